//! Text edits on a document's decoded text (DESIGN §3.3: "edits re-emit raw slices").
//!
//! A [`TextEdit`] replaces one span of the original text (an empty span is an insertion).
//! [`apply`] builds the new text from the original's slices between the edits and the edits'
//! own text, so every byte outside an edit span survives exactly as it was, line endings
//! included. Edits refer to the *original* text: their offsets never shift as others apply.

use std::fmt;

use crate::span::Span;

/// Replace `span` of the original text with `text`; an empty span inserts at `span.start`.
#[derive(Clone, PartialEq, Eq)]
pub struct TextEdit {
    /// The original bytes this edit replaces (empty for an insertion).
    pub span: Span,
    /// The text put in their place.
    pub text: String,
}

impl TextEdit {
    /// Insert `text` at byte `offset` of the original text.
    #[must_use]
    pub fn insert(offset: usize, text: impl Into<String>) -> Self {
        Self {
            span: Span::empty(offset),
            text: text.into(),
        }
    }

    /// Replace `span` of the original text with `text`.
    #[must_use]
    pub fn replace(span: Span, text: impl Into<String>) -> Self {
        Self {
            span,
            text: text.into(),
        }
    }

    /// True when the edit inserts without removing anything.
    #[must_use]
    pub fn is_insertion(&self) -> bool {
        self.span.is_empty()
    }
}

impl fmt::Debug for TextEdit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} => {:?}", self.span, self.text)
    }
}

/// Why a set of edits cannot be applied.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EditError {
    /// An edit reaches past the end of the text.
    #[error("edit {span:?} is outside the text ({len} bytes)")]
    OutOfBounds {
        /// The offending edit's span.
        span: Span,
        /// Length of the original text.
        len: usize,
    },
    /// An edit starts or ends inside a multi-byte character.
    #[error("edit {span:?} does not start and end on character boundaries")]
    NotCharBoundary {
        /// The offending edit's span.
        span: Span,
    },
    /// Two edits touch the same bytes, or an insertion falls strictly inside a replacement.
    #[error("edits {first:?} and {second:?} overlap")]
    Overlap {
        /// The earlier edit's span.
        first: Span,
        /// The later edit's span.
        second: Span,
    },
}

/// Sort `edits` into application order: by start, insertions before a replacement starting at
/// the same offset, and otherwise in the order given (several insertions at one offset keep
/// their relative order).
fn ordered(edits: &[TextEdit]) -> Vec<&TextEdit> {
    let mut sorted: Vec<(usize, &TextEdit)> = edits.iter().enumerate().collect();
    sorted.sort_by_key(|&(index, edit)| (edit.span.start, edit.span.end, index));
    sorted.into_iter().map(|(_, edit)| edit).collect()
}

/// Check that `edits` are in bounds, on character boundaries and pairwise disjoint.
///
/// # Errors
/// The first problem found, in offset order.
pub fn validate(text: &str, edits: &[TextEdit]) -> Result<(), EditError> {
    let mut previous: Option<Span> = None;
    for edit in ordered(edits) {
        let span = edit.span;
        if span.end > text.len() || span.start > span.end {
            return Err(EditError::OutOfBounds {
                span,
                len: text.len(),
            });
        }
        if !text.is_char_boundary(span.start) || !text.is_char_boundary(span.end) {
            return Err(EditError::NotCharBoundary { span });
        }
        if let Some(prev) = previous {
            // Touching is fine (`a..b` then `b..c`, or an insertion at either end of a
            // replacement); sharing a byte, or an insertion strictly inside, is not.
            if span.start < prev.end {
                return Err(EditError::Overlap {
                    first: prev,
                    second: span,
                });
            }
        }
        previous = Some(span);
    }
    Ok(())
}

/// Apply `edits` to `text`, which must be the text their spans refer to.
///
/// # Errors
/// [`EditError`] when an edit is out of bounds, splits a character, or overlaps another; the
/// text is then not edited at all.
pub fn apply(text: &str, edits: &[TextEdit]) -> Result<String, EditError> {
    validate(text, edits)?;
    let added: usize = edits.iter().map(|e| e.text.len()).sum();
    let mut out = String::with_capacity(text.len() + added);
    let mut cursor = 0;
    for edit in ordered(edits) {
        out.push_str(&text[cursor..edit.span.start]);
        out.push_str(&edit.text);
        cursor = edit.span.end;
    }
    out.push_str(&text[cursor..]);
    Ok(out)
}

/// Rewrite every line ending in `text` (`\r\n`, `\n` or a bare `\r`) as `newline`, for new
/// text going into a file with its own newline style.
#[must_use]
pub fn with_newlines(text: &str, newline: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut rest = text;
    while let Some(pos) = rest.find(['\r', '\n']) {
        out.push_str(&rest[..pos]);
        out.push_str(newline);
        let skip = if rest[pos..].starts_with("\r\n") {
            2
        } else {
            1
        };
        rest = &rest[pos + skip..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn replaces_and_inserts_against_original_offsets() {
        let text = "SMS_Report (FALSE);\r\nnext";
        let edits = [
            TextEdit::insert(text.len(), "\r\nadded"),
            TextEdit::replace(Span::new(12, 17), "TRUE"),
            TextEdit::insert(0, "// head\r\n"),
        ];
        assert_eq!(
            apply(text, &edits).unwrap(),
            "// head\r\nSMS_Report (TRUE);\r\nnext\r\nadded"
        );
    }

    #[test]
    fn insertions_at_one_offset_keep_their_order() {
        let edits = [TextEdit::insert(1, "x"), TextEdit::insert(1, "y")];
        assert_eq!(apply("ab", &edits).unwrap(), "axyb");
    }

    #[test]
    fn touching_edits_are_allowed_overlapping_ones_are_not() {
        let text = "abcdef";
        let touching = [
            TextEdit::replace(Span::new(0, 2), "X"),
            TextEdit::replace(Span::new(2, 4), "Y"),
            TextEdit::insert(4, "-"),
        ];
        assert_eq!(apply(text, &touching).unwrap(), "XY-ef");
        let overlapping = [
            TextEdit::replace(Span::new(0, 3), "X"),
            TextEdit::replace(Span::new(2, 4), "Y"),
        ];
        assert_eq!(
            apply(text, &overlapping),
            Err(EditError::Overlap {
                first: Span::new(0, 3),
                second: Span::new(2, 4)
            })
        );
        let inside = [
            TextEdit::replace(Span::new(0, 3), "X"),
            TextEdit::insert(1, "Y"),
        ];
        assert!(matches!(
            apply(text, &inside),
            Err(EditError::Overlap { .. })
        ));
    }

    #[test]
    fn rejects_out_of_bounds_and_split_characters() {
        assert!(matches!(
            apply("ab", &[TextEdit::insert(3, "x")]),
            Err(EditError::OutOfBounds { len: 2, .. })
        ));
        assert!(matches!(
            apply("é", &[TextEdit::insert(1, "x")]),
            Err(EditError::NotCharBoundary { .. })
        ));
    }

    #[test]
    fn newlines_follow_the_target_style() {
        assert_eq!(with_newlines("a\nb\r\nc\rd", "\r\n"), "a\r\nb\r\nc\r\nd");
        assert_eq!(with_newlines("a\r\n\r\nb\n", "\n"), "a\n\nb\n");
    }

    /// Random text and random disjoint edits on it.
    fn text_and_edits() -> impl Strategy<Value = (String, Vec<TextEdit>)> {
        "[a-z\r\n é]{0,60}".prop_flat_map(|text| {
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let n = bounds.len();
            (
                Just(text),
                Just(bounds),
                prop::collection::vec((0..n, 0usize..3, "[A-Z\n]{0,5}"), 0..8),
            )
                .prop_map(|(text, bounds, raw)| {
                    // Turn (start, length) pairs into disjoint spans by dropping any that
                    // would overlap one already kept.
                    let mut kept: Vec<TextEdit> = Vec::new();
                    for (start, len, new) in raw {
                        let end = (start + len).min(bounds.len() - 1);
                        let span = Span::new(bounds[start], bounds[end]);
                        let clash = kept.iter().any(|k| {
                            let (a, b) = (k.span, span);
                            a.start.max(b.start) < a.end.min(b.end)
                                || (a.is_empty() && b.start < a.start && a.start < b.end)
                                || (b.is_empty() && a.start < b.start && b.start < a.end)
                        });
                        if !clash {
                            kept.push(TextEdit::replace(span, new));
                        }
                    }
                    (text, kept)
                })
        })
    }

    proptest! {
        /// Every byte outside the edit spans survives at its original offset shifted by the
        /// size change of the edits before it, and the total length adds up.
        #[test]
        fn bytes_outside_edits_survive((text, edits) in text_and_edits()) {
            let out = apply(&text, &edits).unwrap();
            let (old, new) = (text.as_bytes(), out.as_bytes());
            for (i, &byte) in old.iter().enumerate() {
                let inside = edits.iter().any(|e| e.span.start <= i && i < e.span.end);
                if inside {
                    continue;
                }
                let shift: isize = edits
                    .iter()
                    .filter(|e| e.span.end <= i)
                    .map(|e| e.text.len() as isize - e.span.len() as isize)
                    .sum();
                let at = (i as isize + shift) as usize;
                prop_assert_eq!(new[at], byte, "byte {} moved", i);
            }
            let removed: usize = edits.iter().map(|e| e.span.len()).sum();
            let added: usize = edits.iter().map(|e| e.text.len()).sum();
            prop_assert_eq!(out.len(), text.len() - removed + added);
        }

        /// No edits, no change.
        #[test]
        fn empty_edit_list_is_identity(text in "[a-z\r\n é]{0,60}") {
            prop_assert_eq!(apply(&text, &[]).unwrap(), text);
        }
    }
}
