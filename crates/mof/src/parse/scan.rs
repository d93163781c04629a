//! Byte-level scanning outside the grammar: the trivia before each item, the resynchronisation
//! point after a syntax error, unterminated strings and comments, and the token an error found.
//!
//! Its idea of trivia (blanks, `//` and `/* */` comments) and of a string literal (no line
//! breaks) is the grammar's, so everything it calls trivia between two items is what the
//! grammar would have skipped.

use crate::error::{ParseError, ParseErrorKind};
use crate::span::Span;

/// True for the blanks the grammar's `WHITESPACE` accepts.
fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t' | 0x0B | 0x0C)
}

/// True for bytes that continue an identifier or number (non-ASCII bytes included, so a run
/// always ends on a character boundary).
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Skip blanks and comments from `pos`. `Ok(end)` is the first significant byte (or the end of
/// the text); `Err(start)` when a block comment starting at `start` never closes.
pub(super) fn skip_trivia(text: &str, mut pos: usize) -> Result<usize, usize> {
    let bytes = text.as_bytes();
    while pos < bytes.len() {
        let b = bytes[pos];
        if is_blank(b) {
            pos += 1;
        } else if b == b'/' && bytes.get(pos + 1) == Some(&b'/') {
            pos = line_end(bytes, pos);
        } else if b == b'/' && bytes.get(pos + 1) == Some(&b'*') {
            match text[pos + 2..].find("*/") {
                Some(i) => pos = pos + 2 + i + 2,
                None => return Err(pos),
            }
        } else {
            break;
        }
    }
    Ok(pos)
}

/// The offset of the next `\n` or `\r` at or after `pos`, or the end.
fn line_end(bytes: &[u8], pos: usize) -> usize {
    bytes[pos..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(bytes.len(), |i| pos + i)
}

/// The offset after the closing quote of the (possibly multi-line) string opening at `open`, or
/// the end of the text. Searches for `"` with `str::find`, which uses `memchr`, and counts the
/// backslashes before each to tell an escaped quote from the closing one.
fn string_end(text: &str, open: usize) -> usize {
    let bytes = text.as_bytes();
    let mut from = open + 1;
    while let Some(j) = text[from..].find('"') {
        let quote = from + j;
        let backslashes = bytes[open + 1..quote]
            .iter()
            .rev()
            .take_while(|&&b| b == b'\\')
            .count();
        if backslashes % 2 == 0 {
            return quote + 1;
        }
        from = quote + 1;
    }
    text.len()
}

/// One significant token as the scanner sees it.
struct Token {
    end: usize,
    /// The string or char literal ran into a line break or the end of the text.
    unterminated: bool,
}

/// Scan the token starting at `pos` (a significant byte). With `multiline`, a string literal
/// may span lines as the grammar allows; without, it ends at the line break, which is the
/// better guess when looking for where to resume after an error.
fn token(text: &str, pos: usize, multiline: bool) -> Token {
    let bytes = text.as_bytes();
    let b = bytes[pos];
    if b == b'"' || b == b'\'' {
        let multiline = multiline && b == b'"';
        let mut i = pos + 1;
        while i < bytes.len() {
            match bytes[i] {
                c if c == b => {
                    return Token {
                        end: i + 1,
                        unterminated: false,
                    }
                }
                b'\n' | b'\r' if !multiline => break,
                b'\\' if i + 1 < bytes.len() => i += 2,
                _ => i += 1,
            }
        }
        // `\\` before a multi-byte character may have stepped inside it; back off to a boundary.
        let mut end = i.min(bytes.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        return Token {
            end,
            unterminated: true,
        };
    }
    let end = if is_word(b) {
        pos + bytes[pos..].iter().take_while(|&&c| is_word(c)).count()
    } else {
        pos + text[pos..].chars().next().map_or(1, char::len_utf8)
    };
    Token {
        end,
        unterminated: false,
    }
}

/// True when the word at `pos` is `keyword` (ASCII case-insensitive) and not a longer word.
fn is_keyword_at(bytes: &[u8], pos: usize, keyword: &str) -> bool {
    let end = pos + keyword.len();
    end <= bytes.len()
        && bytes[pos..end].eq_ignore_ascii_case(keyword.as_bytes())
        && !bytes.get(end).is_some_and(|&b| is_word(b))
}

/// True when only blanks precede `pos` on its line.
fn at_line_start(bytes: &[u8], pos: usize) -> bool {
    bytes[..pos]
        .iter()
        .rev()
        .take_while(|&&b| b != b'\n' && b != b'\r')
        .all(|&b| b == b' ' || b == b'\t')
}

/// Could a top-level item start at `pos`? `prev` and `prev2` are the last two significant bytes
/// before it. A keyword must follow the end of an item (`;`, `}` or a pragma's `)`), or for
/// `class` and `qualifier` stand at the start of a line; `instance` never counts at a line start
/// because embedded instance values often do. A `[` counts only after `};` or a pragma's `)`,
/// because inside a class every property's qualifier list follows a `;`.
fn is_item_start(bytes: &[u8], pos: usize, prev: Option<u8>, prev2: Option<u8>) -> bool {
    let after_item = matches!(prev, None | Some(b';' | b'}' | b')'));
    match bytes[pos] {
        b'#' => true,
        b'[' => prev.is_none() || prev == Some(b')') || (prev == Some(b';') && prev2 == Some(b'}')),
        _ if is_keyword_at(bytes, pos, "instance") => after_item,
        _ if is_keyword_at(bytes, pos, "class") || is_keyword_at(bytes, pos, "qualifier") => {
            after_item || at_line_start(bytes, pos)
        }
        _ => false,
    }
}

/// Where to resume after a syntax error in the item starting at `item_start`, the error being
/// at `error_pos`. Returns the end of the unparsable region (the end of its last token, so the
/// trivia after it becomes the next item's leading trivia) and the start of the next plausible
/// item, or the end of the text when there is none.
pub(super) fn resync(text: &str, item_start: usize, error_pos: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let (mut prev, mut prev2) = (None, None);
    let mut last_end = item_start;
    let mut pos = item_start;
    loop {
        pos = match skip_trivia(text, pos) {
            Ok(p) if p < bytes.len() => p,
            _ => return (last_end.max(item_start + 1), bytes.len()),
        };
        if pos > item_start && pos >= error_pos && is_item_start(bytes, pos, prev, prev2) {
            return (last_end, pos);
        }
        let tok = token(text, pos, false);
        prev2 = prev;
        prev = Some(bytes[tok.end - 1]);
        last_end = tok.end;
        pos = tok.end;
    }
}

/// An unterminated string or block comment starting in `start..=upto`, which explains a syntax
/// error at `upto` better than the token pest stopped at. A string that runs to the end of the
/// text is unterminated; so, when the error comes right after it, is a string that spans lines
/// (a missing closing quote makes the string swallow the next line up to its first `"`).
pub(super) fn unterminated(text: &str, start: usize, upto: usize) -> Option<ParseError> {
    let bytes = text.as_bytes();
    let mut pos = start;
    let mut last_string: Option<(usize, usize)> = None;
    while pos <= upto {
        pos = match skip_trivia(text, pos) {
            Ok(p) if p < text.len() => p,
            Ok(_) => break,
            Err(comment) => {
                return Some(ParseError::new(
                    Span::new(comment, comment + 2),
                    ParseErrorKind::UnterminatedComment,
                ))
            }
        };
        if pos > upto {
            break;
        }
        let tok = token(text, pos, true);
        if bytes[pos] == b'"' && tok.unterminated {
            return Some(unterminated_string(bytes, pos));
        }
        if pos == upto {
            break;
        }
        last_string = (bytes[pos] == b'"').then_some((pos, tok.end));
        pos = tok.end;
    }
    let (string_start, string_end) = last_string?;
    bytes[string_start..string_end]
        .iter()
        .any(|&b| b == b'\n' || b == b'\r')
        .then(|| unterminated_string(bytes, string_start))
}

/// The error for a string opened at `start`, spanning the rest of its line.
fn unterminated_string(bytes: &[u8], start: usize) -> ParseError {
    ParseError::new(
        Span::new(start, line_end(bytes, start)),
        ParseErrorKind::UnterminatedString,
    )
}

/// The end of the last token that ends at or before `upto`, scanning from `start`.
pub(super) fn last_token_end(text: &str, start: usize, upto: usize) -> usize {
    let mut pos = start;
    let mut last = start;
    while let Ok(p) = skip_trivia(text, pos) {
        if p >= upto || p >= text.len() {
            break;
        }
        let end = token(text, p, true).end;
        if end > upto {
            break;
        }
        last = end;
        pos = end;
    }
    last
}

/// The end of `text[start..end]` without trailing trivia. Pest ends a rule whose last element
/// is optional after the blanks and comments it skipped looking for it; spans must not.
/// Only a region ending in a blank or `/`, or one whose last line holds a `//` comment that may
/// run to the end of the text without a newline, can end in trivia; others are returned
/// unscanned.
pub(crate) fn tight_end(text: &str, start: usize, end: usize) -> usize {
    let region = &text.as_bytes()[start..end];
    let may_end_in_trivia = match region.last() {
        Some(&b) => is_blank(b) || b == b'/' || last_line_has_line_comment(region),
        None => false,
    };
    if may_end_in_trivia {
        last_token_end(text, start, end)
    } else {
        end
    }
}

/// True when the last line of `region` contains `//` (possibly inside a string: then the scan
/// that follows finds no trivia, which is only slower, never wrong).
fn last_line_has_line_comment(region: &[u8]) -> bool {
    let line_start = region
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1);
    region[line_start..].windows(2).any(|w| w == b"//")
}

/// True when brackets (`{`, `[`, `(`) nest deeper than `limit` anywhere in `text`.
pub(super) fn too_deep(text: &str, limit: usize) -> bool {
    nesting_exceeded(text, 0, limit, false).is_some()
}

/// Scanning from `start`, where the nesting of `{`, `[` and `(` first exceeds `limit`. With
/// `one_item`, the scan stops at the end of the item starting at `start`: its first `;` outside
/// brackets, or a `#`, past which the grammar cannot go.
///
/// The grammar only nests through brackets outside strings and comments, so this bounds the
/// grammar's recursion; counting a bracket the grammar would not see (in a char literal, after
/// a syntax error) only errs on the safe side.
pub(super) fn nesting_exceeded(
    text: &str,
    start: usize,
    limit: usize,
    one_item: bool,
) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = string_end(text, i).saturating_sub(1),
            b'/' if bytes.get(i + 1) == Some(&b'/') => i = line_end(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'*') => match text.get(i + 2..)?.find("*/") {
                Some(j) => i += 2 + j + 1,
                // The grammar fails at an unterminated comment and goes no further.
                None => return None,
            },
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            b';' if one_item && depth == 0 => return None,
            b'#' if one_item && i > start => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The token at `pos`, quoted for a message, and its span.
pub(super) fn found_at(text: &str, pos: usize) -> (String, Span) {
    if pos >= text.len() {
        return ("end of file".to_owned(), Span::empty(text.len()));
    }
    let b = text.as_bytes()[pos];
    if b == b'\n' || b == b'\r' {
        return ("line break".to_owned(), Span::new(pos, pos + 1));
    }
    let end = token(text, pos, false).end;
    let shown: String = text[pos..end].chars().take(32).collect();
    let ellipsis = if shown.len() < end - pos { "…" } else { "" };
    (format!("`{shown}{ellipsis}`"), Span::new(pos, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trivia_stops_at_tokens_and_reports_open_comments() {
        let text = "  // a\r\n /* b */\tclass";
        assert_eq!(skip_trivia(text, 0), Ok(text.find("class").unwrap()));
        assert_eq!(skip_trivia("x /* open", 1), Err(2));
        assert_eq!(skip_trivia("  ", 0), Ok(2));
    }

    #[test]
    fn resync_skips_property_qualifiers_but_not_the_next_class() {
        let text =
            "class A {\n [key] string x\n [read] string y;\n};\n// c\n[abstract] class B {};";
        let err = text.find("[read]").unwrap();
        let (end, next) = resync(text, 0, err);
        assert_eq!(
            &text[..end],
            "class A {\n [key] string x\n [read] string y;\n};"
        );
        assert_eq!(&text[next..next + 10], "[abstract]");
    }

    #[test]
    fn resync_ignores_keywords_in_strings_and_embedded_instances() {
        let text =
            "instance of A { x = \"; class\"; R = {\ninstance of B {}}; };\ninstance of C {};";
        let (_, next) = resync(text, 0, 5);
        assert_eq!(&text[next..], "instance of C {};");
    }

    #[test]
    fn unterminated_string_is_found() {
        let text = "class A { [D(\"abc)] string x; };";
        let e = unterminated(text, 0, text.len() - 1).unwrap();
        assert_eq!(e.kind, ParseErrorKind::UnterminatedString);
        assert_eq!(e.span.start, text.find('"').unwrap());
        let text = "instance of A { x = \"a;\n y = \"b\"; };";
        let err = text.find('b').unwrap();
        let e = unterminated(text, 0, err).unwrap();
        assert_eq!(e.span, Span::new(20, 23));
        assert!(unterminated("x = \"a\nb\"; y", 0, 12).is_none());
    }

    #[test]
    fn found_describes_tokens() {
        assert_eq!(found_at("a foo;", 2).0, "`foo`");
        assert_eq!(found_at("a", 1).0, "end of file");
        assert_eq!(found_at("é", 0).0, "`é`");
    }
}
