//! Making the prerequisite checker's logged SQL runnable.
//!
//! The checker logs each rule's query as it built it, and it writes string values in double
//! quotes: `assign2.SMS_Assigned_Sites0="HOU"` (seed 002, "Running the Prerequisite Checker").
//! SQL Server reads `"HOU"` as a quoted identifier (QUOTED_IDENTIFIER is on in Management
//! Studio), so the query fails with "Invalid column name 'HOU'". The fix the seed describes is
//! to write the value in single quotes.
//!
//! Only double-quoted tokens in a *value* position are rewritten: right after a comparison
//! operator, after `LIKE`, or as an element of an `IN (...)` list. A double-quoted token
//! anywhere else (`select "Name" from ...`) really is an identifier and is left alone, noted.
//! The rewrite un-doubles `""` and doubles any `'` in the value (`"O'Hare"` becomes
//! `'O''Hare'`). Everything else — comments, existing string literals, bracketed identifiers —
//! is copied byte for byte, which is why the query is lexed rather than pattern-matched.

use nom::branch::alt;
use nom::bytes::complete::{is_not, tag, take_till, take_until, take_while1};
use nom::character::complete::{anychar, char, multispace1};
use nom::combinator::{cut, map, recognize};
use nom::error::{context, VerboseError, VerboseErrorKind};
use nom::multi::many0_count;
use nom::sequence::{preceded, terminated};
use nom::IResult;
use serde::Serialize;

type Res<'a, T> = IResult<&'a str, T, VerboseError<&'a str>>;

/// The lexical classes the rewrite needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Blanks and line ends.
    Space,
    /// `-- ...` to the end of the line, or `/* ... */`.
    Comment,
    /// `'...'` with `''` escapes.
    String,
    /// `"..."` with `""` escapes.
    QuotedIdent,
    /// `[...]` with `]]` escapes.
    BracketIdent,
    /// A keyword, name, variable or number.
    Word,
    /// An operator or punctuation, one to two characters.
    Op,
}

/// One token: its class and byte range in the query. Tokens tile the query exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// The class.
    pub kind: TokenKind,
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset after the last character.
    pub end: usize,
    /// A quoted token or comment that runs to the end of the query without closing.
    pub unterminated: bool,
}

const UNCLOSED_STRING: &str = "closing `'` of the string literal";
const UNCLOSED_QUOTED: &str = "closing `\"` of the quoted name";
const UNCLOSED_BRACKET: &str = "closing `]` of the bracketed name";
const UNCLOSED_COMMENT: &str = "`*/` closing the comment";

/// `open`, then (committed) any run of non-`close` characters or doubled `close`, then `close`.
fn quoted<'a>(
    open: char,
    close: char,
    doubled: &'static str,
    label: &'static str,
) -> impl FnMut(&'a str) -> Res<'a, &'a str> {
    let stop: &'static str = match close {
        '\'' => "'",
        '"' => "\"",
        _ => "]",
    };
    recognize(preceded(
        char(open),
        cut(context(
            label,
            terminated(many0_count(alt((tag(doubled), is_not(stop)))), char(close)),
        )),
    ))
}

/// `/* ... */`; T-SQL nests these, which logged prerequisite queries never do, so this doesn't.
fn block_comment(i: &str) -> Res<'_, &str> {
    recognize(preceded(
        tag("/*"),
        cut(context(
            UNCLOSED_COMMENT,
            terminated(take_until("*/"), tag("*/")),
        )),
    ))(i)
}

/// `-- ...` up to (not including) the line end.
fn line_comment(i: &str) -> Res<'_, &str> {
    recognize(preceded(tag("--"), take_till(|c| c == '\n')))(i)
}

/// Two-character operators first, then any single character.
fn operator(i: &str) -> Res<'_, &str> {
    alt((
        alt((
            tag("<>"),
            tag("!="),
            tag("<="),
            tag(">="),
            tag("!<"),
            tag("!>"),
        )),
        recognize(anychar),
    ))(i)
}

/// One token of any class.
fn token(i: &str) -> Res<'_, (TokenKind, &str)> {
    let word = take_while1(|c: char| c.is_alphanumeric() || matches!(c, '_' | '@' | '#' | '$'));
    alt((
        map(multispace1, |s| (TokenKind::Space, s)),
        map(alt((line_comment, block_comment)), |s| {
            (TokenKind::Comment, s)
        }),
        map(quoted('\'', '\'', "''", UNCLOSED_STRING), |s| {
            (TokenKind::String, s)
        }),
        map(quoted('"', '"', "\"\"", UNCLOSED_QUOTED), |s| {
            (TokenKind::QuotedIdent, s)
        }),
        map(quoted('[', ']', "]]", UNCLOSED_BRACKET), |s| {
            (TokenKind::BracketIdent, s)
        }),
        map(word, |s| (TokenKind::Word, s)),
        map(operator, |s| (TokenKind::Op, s)),
    ))(i)
}

/// Split `sql` into tokens that tile it. Never fails: an unclosed quote or comment becomes one
/// token to the end, marked `unterminated`.
pub fn tokenize(sql: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut rest = sql;
    while !rest.is_empty() {
        let start = sql.len() - rest.len();
        match token(rest) {
            Ok((after, (kind, _))) => {
                let end = sql.len() - after.len();
                tokens.push(Token {
                    kind,
                    start,
                    end,
                    unterminated: false,
                });
                rest = after;
            }
            Err(nom::Err::Failure(e)) => {
                tokens.push(Token {
                    kind: unclosed_kind(&e),
                    start,
                    end: sql.len(),
                    unterminated: true,
                });
                rest = "";
            }
            // `operator` takes any character, so only an empty input fails softly.
            Err(_) => break,
        }
    }
    tokens
}

fn unclosed_kind(e: &VerboseError<&str>) -> TokenKind {
    let label = e.errors.iter().find_map(|(_, kind)| match kind {
        VerboseErrorKind::Context(label) => Some(*label),
        _ => None,
    });
    match label {
        Some(UNCLOSED_STRING) => TokenKind::String,
        Some(UNCLOSED_QUOTED) => TokenKind::QuotedIdent,
        Some(UNCLOSED_BRACKET) => TokenKind::BracketIdent,
        _ => TokenKind::Comment,
    }
}

/// One `"value"` turned into `'value'`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuoteRewrite {
    /// Byte offset of the token in the logged query.
    pub offset: usize,
    /// The token as logged, e.g. `"HOU"`.
    pub from: String,
    /// The string literal written instead, e.g. `'HOU'`.
    pub to: String,
}

/// Something about a query worth knowing before running it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum QueryNote {
    /// A string literal, name or comment never closes: the query cannot run as logged.
    Unterminated {
        /// Byte offset where it opens.
        offset: usize,
        /// What is open: `string literal`, `quoted name`, `bracketed name` or `comment`.
        what: &'static str,
    },
    /// Parentheses do not balance: the query was cut short or mangled.
    UnbalancedParentheses {
        /// Opened minus closed at the end (negative: a `)` with nothing open).
        depth: i64,
    },
    /// A string literal spans a line end, which a query copied from a wrapped page or a
    /// lost quote produces: check it before running.
    LiteralSpansLines {
        /// Byte offset of the literal.
        offset: usize,
    },
    /// A double-quoted token outside a value position, left as a quoted identifier.
    QuotedIdentifierKept {
        /// Byte offset of the token.
        offset: usize,
        /// The token.
        token: String,
    },
}

/// A logged query and the runnable T-SQL made from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunnableQuery {
    /// The query to run against the site database.
    pub sql: String,
    /// The double-quoted values turned into string literals.
    pub rewrites: Vec<QuoteRewrite>,
    /// Problems found while lexing.
    pub notes: Vec<QueryNote>,
}

impl RunnableQuery {
    /// False when a note says the query cannot run as it stands (unterminated token,
    /// unbalanced parentheses).
    pub fn is_complete(&self) -> bool {
        !self.notes.iter().any(|n| {
            matches!(
                n,
                QueryNote::Unterminated { .. } | QueryNote::UnbalancedParentheses { .. }
            )
        })
    }
}

const COMPARISONS: [&str; 9] = ["=", "<>", "!=", "<", ">", "<=", ">=", "!<", "!>"];

/// Rewrite the value-position double quotes of `logged` as T-SQL string literals; see the
/// module docs for which tokens count.
pub fn make_runnable(logged: &str) -> RunnableQuery {
    let tokens = tokenize(logged);
    let mut sql = String::with_capacity(logged.len());
    let mut rewrites = Vec::new();
    let mut notes = Vec::new();
    // One entry per open parenthesis: whether it opens an `IN (...)` list.
    let mut parens: Vec<bool> = Vec::new();
    let mut depth: i64 = 0;
    let mut prev: Option<&str> = None;
    for tok in &tokens {
        let text = &logged[tok.start..tok.end];
        if tok.unterminated {
            notes.push(QueryNote::Unterminated {
                offset: tok.start,
                what: match tok.kind {
                    TokenKind::String => "string literal",
                    TokenKind::QuotedIdent => "quoted name",
                    TokenKind::BracketIdent => "bracketed name",
                    _ => "comment",
                },
            });
        }
        match tok.kind {
            TokenKind::Space | TokenKind::Comment => {
                sql.push_str(text);
                continue;
            }
            TokenKind::QuotedIdent if !tok.unterminated && in_value_position(prev, &parens) => {
                let value = text[1..text.len() - 1].replace("\"\"", "\"");
                let literal = string_literal(&value);
                sql.push_str(&literal);
                rewrites.push(QuoteRewrite {
                    offset: tok.start,
                    from: text.to_owned(),
                    to: literal,
                });
            }
            TokenKind::QuotedIdent => {
                sql.push_str(text);
                if !tok.unterminated {
                    notes.push(QueryNote::QuotedIdentifierKept {
                        offset: tok.start,
                        token: text.to_owned(),
                    });
                }
            }
            TokenKind::String => {
                sql.push_str(text);
                if text.contains('\n') {
                    notes.push(QueryNote::LiteralSpansLines { offset: tok.start });
                }
            }
            _ => sql.push_str(text),
        }
        match text {
            "(" => {
                depth += 1;
                parens.push(prev.is_some_and(|p| p.eq_ignore_ascii_case("in")));
            }
            ")" => {
                depth -= 1;
                parens.pop();
            }
            _ => {}
        }
        prev = Some(text);
    }
    if depth != 0 {
        notes.push(QueryNote::UnbalancedParentheses { depth });
    }
    RunnableQuery {
        sql,
        rewrites,
        notes,
    }
}

/// After a comparison or `LIKE`, or first/next in an `IN (...)` list.
fn in_value_position(prev: Option<&str>, parens: &[bool]) -> bool {
    let Some(prev) = prev else { return false };
    COMPARISONS.contains(&prev)
        || prev.eq_ignore_ascii_case("like")
        || (matches!(prev, "(" | ",") && parens.last() == Some(&true))
}

/// Escape `value` as a T-SQL string literal (`'` doubled), for values that did not come from a
/// log (a site code typed by the user).
pub fn string_literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(sql: &str) -> Vec<(TokenKind, &str, bool)> {
        tokenize(sql)
            .into_iter()
            .map(|t| (t.kind, &sql[t.start..t.end], t.unterminated))
            .collect()
    }

    #[test]
    fn lexes_the_classes_the_rewrite_needs() {
        use TokenKind::*;
        assert_eq!(
            kinds("a.b<>'it''s' -- x\n[q]]]\"d\"\"q\"/*c*/"),
            [
                (Word, "a", false),
                (Op, ".", false),
                (Word, "b", false),
                (Op, "<>", false),
                (String, "'it''s'", false),
                (Space, " ", false),
                (Comment, "-- x", false),
                (Space, "\n", false),
                (BracketIdent, "[q]]]", false),
                (QuotedIdent, "\"d\"\"q\"", false),
                (Comment, "/*c*/", false),
            ]
        );
        assert_eq!(kinds("x = 'open"), {
            let mut v = kinds("x = ");
            v.push((String, "'open", true));
            v
        });
    }

    #[test]
    fn rewrites_value_positions_only() {
        let q = make_runnable(
            "select \"Name\" from t where a=\"HOU\" and b like \"H%\" and c in (\"A\", \"B\") \
             and f(\"x\") = 1",
        );
        assert_eq!(
            q.sql,
            "select \"Name\" from t where a='HOU' and b like 'H%' and c in ('A', 'B') \
             and f(\"x\") = 1"
        );
        assert_eq!(q.rewrites.len(), 4);
        assert_eq!(q.rewrites[0].offset, 29);
        assert!(q.is_complete());
        assert_eq!(
            q.notes,
            [
                QueryNote::QuotedIdentifierKept {
                    offset: 7,
                    token: "\"Name\"".into()
                },
                QueryNote::QuotedIdentifierKept {
                    offset: 77,
                    token: "\"x\"".into()
                },
            ]
        );
    }

    #[test]
    fn escapes_embedded_quotes() {
        let q = make_runnable("where n = \"O'Hare \"\"T\"\"\"");
        assert_eq!(q.sql, "where n = 'O''Hare \"T\"'");
    }

    #[test]
    fn notes_what_cannot_run() {
        let q = make_runnable("select (a from t where x = 'open");
        assert!(!q.is_complete());
        assert_eq!(
            q.notes,
            [
                QueryNote::Unterminated {
                    offset: 27,
                    what: "string literal"
                },
                QueryNote::UnbalancedParentheses { depth: 1 },
            ]
        );
        let q = make_runnable("where IsNULL(a,')\n!= IsNULL(b,')");
        assert_eq!(q.notes, [QueryNote::LiteralSpansLines { offset: 15 }]);
    }

    #[test]
    fn literal_helper_doubles_quotes() {
        assert_eq!(string_literal("O'Hare"), "'O''Hare'");
    }
}
