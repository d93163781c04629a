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

/// One significant token as the scanner sees it.
struct Token {
    end: usize,
    /// The string or char literal ran into a line break or the end of the text.
    unterminated: bool,
}

/// Scan the token starting at `pos` (a significant byte).
fn token(text: &str, pos: usize) -> Token {
    let bytes = text.as_bytes();
    let b = bytes[pos];
    if b == b'"' || b == b'\'' {
        let mut i = pos + 1;
        while i < bytes.len() {
            match bytes[i] {
                c if c == b => {
                    return Token {
                        end: i + 1,
                        unterminated: false,
                    }
                }
                b'\\' if i + 1 < bytes.len() && !matches!(bytes[i + 1], b'\n' | b'\r') => i += 2,
                b'\n' | b'\r' => break,
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
        && bytes.get(end).is_none_or(|&b| !is_word(b))
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
        let tok = token(text, pos);
        prev2 = prev;
        prev = Some(bytes[tok.end - 1]);
        last_end = tok.end;
        pos = tok.end;
    }
}

/// An unterminated string or block comment starting in `start..=upto`, which explains a syntax
/// error at `upto` better than the token pest stopped at.
pub(super) fn unterminated(text: &str, start: usize, upto: usize) -> Option<ParseError> {
    let mut pos = start;
    while pos <= upto {
        pos = match skip_trivia(text, pos) {
            Ok(p) if p < text.len() => p,
            Ok(_) => return None,
            Err(comment) => {
                return Some(ParseError::new(
                    Span::new(comment, comment + 2),
                    ParseErrorKind::UnterminatedComment,
                ))
            }
        };
        if pos > upto {
            return None;
        }
        let tok = token(text, pos);
        if tok.unterminated && text.as_bytes()[pos] == b'"' {
            return Some(ParseError::new(
                Span::new(pos, tok.end),
                ParseErrorKind::UnterminatedString,
            ));
        }
        pos = tok.end;
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
    let end = token(text, pos).end;
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
        let text = "class A {\n [key] string x\n [read] string y;\n};\n// c\n[abstract] class B {};";
        let err = text.find("[read]").unwrap();
        let (end, next) = resync(text, 0, err);
        assert_eq!(&text[..end], "class A {\n [key] string x\n [read] string y;\n};");
        assert_eq!(&text[next..next + 10], "[abstract]");
    }

    #[test]
    fn resync_ignores_keywords_in_strings_and_embedded_instances() {
        let text = "instance of A { x = \"; class\"; R = {\ninstance of B {}}; };\ninstance of C {};";
        let (_, next) = resync(text, 0, 5);
        assert_eq!(&text[next..], "instance of C {};");
    }

    #[test]
    fn unterminated_string_is_found() {
        let text = "class A { [D(\"abc)] string x; };";
        let e = unterminated(text, 0, text.len() - 1).unwrap();
        assert_eq!(e.kind, ParseErrorKind::UnterminatedString);
        assert_eq!(e.span.start, text.find('"').unwrap());
    }

    #[test]
    fn found_describes_tokens() {
        assert_eq!(found_at("a foo;", 2).0, "`foo`");
        assert_eq!(found_at("a", 1).0, "end of file");
        assert_eq!(found_at("é", 0).0, "`é`");
    }
}
