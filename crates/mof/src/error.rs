//! Syntax errors found while parsing (DESIGN §3.5, first bullet).
//!
//! Every error carries a [`Span`] into the decoded text, a stable code and, where `mofcomp` has
//! one, the name of the `WBEMMOF_E_*` status it would report for the same mistake. Messages say
//! what was expected and what was found; rendering (`file:line:col`, source line, caret) is the
//! CLI's job.
//!
//! | code  | kind                                      | `WBEMMOF_E_*`                         |
//! |-------|-------------------------------------------|---------------------------------------|
//! | E0001 | [`ParseErrorKind::Syntax`]                | by what was expected: `EXPECTED_SEMI`, `EXPECTED_CLOSE_BRACE`, `EXPECTED_CLOSE_BRACKET`, `EXPECTED_CLOSE_PAREN`, `EXPECTED_OPEN_BRACE`, `EXPECTED_OPEN_PAREN`, `EXPECTED_CLASS_NAME`, `EXPECTED_PROPERTY_NAME`, `EXPECTED_QUALIFIER_NAME`, `EXPECTED_ALIAS_NAME`, `EXPECTED_FLAVOR_TYPE`, `EXPECTED_TYPE_IDENTIFIER`, `ILLEGAL_CONSTANT_VALUE`, else `UNRECOGNIZED_TOKEN` |
//! | E0002 | [`ParseErrorKind::UnterminatedString`]    | `UNRECOGNIZED_TOKEN`                  |
//! | E0003 | [`ParseErrorKind::UnterminatedComment`]   | none                                  |
//! | E0004 | [`ParseErrorKind::InvalidEscape`]         | `UNRECOGNIZED_TOKEN`                  |
//! | E0005 | [`ParseErrorKind::InvalidNumber`]         | `ILLEGAL_CONSTANT_VALUE`              |
//! | E0006 | [`ParseErrorKind::InvalidChar16`]         | `ILLEGAL_CONSTANT_VALUE`              |
//! | E0007 | [`ParseErrorKind::NestingTooDeep`]        | none                                  |
//!
//! Codes are stable: a code is never reused for another kind.

use thiserror::Error;

use crate::span::Span;

/// One syntax error.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("{kind}")]
pub struct ParseError {
    /// Where the error is: the unexpected token, or the unterminated construct.
    pub span: Span,
    /// What went wrong.
    pub kind: ParseErrorKind,
}

/// The kinds of syntax error.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// A token that does not fit the grammar where it stands.
    #[error("expected {}, found {found}", expected_list(expected))]
    Syntax {
        /// What would have been accepted here, as display labels such as `` `;` `` or
        /// `property name`, punctuation first.
        expected: Vec<String>,
        /// The token found instead, quoted, or `end of file`.
        found: String,
    },
    /// A string literal with no closing `"` before the end of its line.
    #[error("unterminated string literal")]
    UnterminatedString,
    /// A `/*` comment with no closing `*/`.
    #[error("unterminated block comment")]
    UnterminatedComment,
    /// A `\xHHHH` escape naming no character (a UTF-16 surrogate). Other unknown escapes are
    /// kept as written, as OpenPegasus, OMI and DSC do.
    #[error("invalid escape sequence `{escape}`")]
    InvalidEscape {
        /// The escape as written, e.g. `\q`.
        escape: String,
    },
    /// A numeric literal that is not well formed (e.g. `09`, an octal literal with a digit 8
    /// or 9).
    #[error("invalid number `{literal}`")]
    InvalidNumber {
        /// The literal as written.
        literal: String,
    },
    /// Brackets nested deeper than [`crate::parse::MAX_NESTING`] levels.
    #[error("brackets nested more than {limit} levels deep")]
    NestingTooDeep {
        /// The nesting limit.
        limit: usize,
    },
    /// A char16 literal that does not hold exactly one character.
    #[error("char16 literal `{literal}` must hold exactly one character")]
    InvalidChar16 {
        /// The literal as written, quotes included.
        literal: String,
    },
}

impl ParseError {
    /// An error of `kind` at `span`.
    #[must_use]
    pub fn new(span: Span, kind: ParseErrorKind) -> Self {
        Self { span, kind }
    }

    /// The stable code of this kind of error (see the table in the module docs).
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self.kind {
            ParseErrorKind::Syntax { .. } => "E0001",
            ParseErrorKind::UnterminatedString => "E0002",
            ParseErrorKind::UnterminatedComment => "E0003",
            ParseErrorKind::InvalidEscape { .. } => "E0004",
            ParseErrorKind::InvalidNumber { .. } => "E0005",
            ParseErrorKind::InvalidChar16 { .. } => "E0006",
            ParseErrorKind::NestingTooDeep { .. } => "E0007",
        }
    }

    /// The name of the `WBEMMOF_E_*` status mofcomp reports for this mistake, when it has one.
    #[must_use]
    pub fn wbem_name(&self) -> Option<&'static str> {
        match &self.kind {
            ParseErrorKind::Syntax { expected, .. } => Some(syntax_wbem_name(expected)),
            ParseErrorKind::UnterminatedString | ParseErrorKind::InvalidEscape { .. } => {
                Some("WBEMMOF_E_UNRECOGNIZED_TOKEN")
            }
            ParseErrorKind::UnterminatedComment | ParseErrorKind::NestingTooDeep { .. } => None,
            ParseErrorKind::InvalidNumber { .. } | ParseErrorKind::InvalidChar16 { .. } => {
                Some("WBEMMOF_E_ILLEGAL_CONSTANT_VALUE")
            }
        }
    }
}

/// Labels that decide the `WBEMMOF_E_*` name of a syntax error, most specific first: mofcomp
/// reports the first thing its recursive-descent parser was looking for, which is the closing
/// token when one was possible.
const SYNTAX_WBEM_NAMES: &[(&str, &str)] = &[
    ("`;`", "WBEMMOF_E_EXPECTED_SEMI"),
    ("`}`", "WBEMMOF_E_EXPECTED_CLOSE_BRACE"),
    ("`]`", "WBEMMOF_E_EXPECTED_CLOSE_BRACKET"),
    ("`)`", "WBEMMOF_E_EXPECTED_CLOSE_PAREN"),
    ("`{`", "WBEMMOF_E_EXPECTED_OPEN_BRACE"),
    ("`(`", "WBEMMOF_E_EXPECTED_OPEN_PAREN"),
    ("class name", "WBEMMOF_E_EXPECTED_CLASS_NAME"),
    ("property name", "WBEMMOF_E_EXPECTED_PROPERTY_NAME"),
    ("qualifier name", "WBEMMOF_E_EXPECTED_QUALIFIER_NAME"),
    ("alias", "WBEMMOF_E_EXPECTED_ALIAS_NAME"),
    ("flavor", "WBEMMOF_E_EXPECTED_FLAVOR_TYPE"),
    ("type", "WBEMMOF_E_EXPECTED_TYPE_IDENTIFIER"),
    ("value", "WBEMMOF_E_ILLEGAL_CONSTANT_VALUE"),
];

fn syntax_wbem_name(expected: &[String]) -> &'static str {
    SYNTAX_WBEM_NAMES
        .iter()
        .find(|(label, _)| expected.iter().any(|e| e == label))
        .map_or("WBEMMOF_E_UNRECOGNIZED_TOKEN", |(_, name)| name)
}

/// `a`, `a or b`, `one of a, b, c`.
fn expected_list(expected: &[String]) -> String {
    match expected {
        [] => "a valid token".to_owned(),
        [one] => one.clone(),
        [a, b] => format!("{a} or {b}"),
        many => format!("one of {}", many.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax(expected: &[&str], found: &str) -> ParseError {
        ParseError::new(
            Span::new(3, 6),
            ParseErrorKind::Syntax {
                expected: expected.iter().map(|s| (*s).to_owned()).collect(),
                found: found.to_owned(),
            },
        )
    }

    #[test]
    fn syntax_messages_and_names() {
        let e = syntax(&["`;`", "`{`"], "`foo`");
        assert_eq!(e.to_string(), "expected `;` or `{`, found `foo`");
        assert_eq!(e.code(), "E0001");
        assert_eq!(e.wbem_name(), Some("WBEMMOF_E_EXPECTED_SEMI"));
        let e = syntax(&["`,`", "`]`", "`:`"], "end of file");
        assert_eq!(
            e.to_string(),
            "expected one of `,`, `]`, `:`, found end of file"
        );
        assert_eq!(e.wbem_name(), Some("WBEMMOF_E_EXPECTED_CLOSE_BRACKET"));
        let e = syntax(&["property name"], "`;`");
        assert_eq!(e.wbem_name(), Some("WBEMMOF_E_EXPECTED_PROPERTY_NAME"));
        let e = syntax(&[], "`@`");
        assert_eq!(e.wbem_name(), Some("WBEMMOF_E_UNRECOGNIZED_TOKEN"));
    }

    #[test]
    fn codes_are_distinct() {
        let kinds = [
            ParseErrorKind::UnterminatedString,
            ParseErrorKind::UnterminatedComment,
            ParseErrorKind::InvalidEscape {
                escape: "\\q".into(),
            },
            ParseErrorKind::InvalidNumber {
                literal: "09".into(),
            },
            ParseErrorKind::InvalidChar16 {
                literal: "'ab'".into(),
            },
            ParseErrorKind::NestingTooDeep { limit: 64 },
        ];
        let mut codes: Vec<_> = kinds
            .into_iter()
            .map(|k| ParseError::new(Span::empty(0), k).code())
            .collect();
        codes.push("E0001");
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 7);
    }
}
