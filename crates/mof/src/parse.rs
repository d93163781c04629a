//! Parsing MOF text into the lossless [`Document`] (DESIGN §3.2–3.3).
//!
//! The text is parsed one top-level item at a time: the trivia before an item is scanned by hand
//! (`parse/scan.rs`), then the grammar's `item` rule runs at the item's first token and its pairs are
//! converted (`parse/convert.rs`). When an item does not parse, the error is recorded
//! (`parse/diagnose.rs`), the region up to the next plausible item start becomes an
//! [`ItemKind::Error`] item, and parsing goes on, so one call reports every syntax error and
//! the items' `leading` and `span` plus the document's `trailing` still tile the whole text.
//!
//! Before any of that, the hand-written parser in `parse/fast.rs` tries the whole text: it mirrors the
//! grammar for well-formed input and gives up on anything else, when the pest path runs.

mod convert;
mod diagnose;
mod fast;
mod scan;

use pest::Parser as _;

use crate::error::{ParseError, ParseErrorKind};
use crate::grammar::{MofParser, Rule};
use crate::span::Span;
use crate::syntax::{Document, Item, ItemKind, Namespace};

/// How deeply `{`, `[` and `(` may nest. Real files stay under ten levels; the bound keeps the
/// recursive grammar and the tree well inside any thread's stack.
pub const MAX_NESTING: usize = 64;

/// The result of [`parse`]: the tree of everything that parsed, and every syntax error.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    /// The document; unparsable regions are [`ItemKind::Error`] items.
    pub document: Document,
    /// Syntax errors in source order.
    pub errors: Vec<ParseError>,
}

impl Parsed {
    /// True when there is no syntax error.
    #[must_use]
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Parse MOF `text` (already decoded, see [`crate::source::SourceFile`]).
///
/// Never fails and never panics: syntax errors are collected in [`Parsed::errors`] and the
/// regions they are in become [`ItemKind::Error`] items. Each item records the namespace in force
/// where it stands, from the `#pragma namespace` items before it; a namespace pragma itself
/// carries the namespace it switches to.
#[must_use]
pub fn parse(text: &str) -> Parsed {
    match fast::document(text) {
        Some(document) => Parsed {
            document,
            errors: Vec::new(),
        },
        None => parse_reference(text),
    }
}

/// The hand-written fast path alone: the document of a well-formed `text`, or `None` when it
/// gives up. For the differential tests; use [`parse`].
#[doc(hidden)]
#[must_use]
pub fn parse_fast(text: &str) -> Option<Document> {
    fast::document(text)
}

/// The pest path alone, the reference the fast path is tested against. For the differential
/// tests; use [`parse`].
#[doc(hidden)]
#[must_use]
pub fn parse_reference(text: &str) -> Parsed {
    let mut errors = Vec::new();
    let mut builder = Builder::default();
    // The grammar recurses once per bracket level; bound it before running it.
    let deep = scan::too_deep(text, MAX_NESTING);
    // Fast path: the whole text in one go. Only when it fails is the text parsed again item by
    // item, which reports every error and resynchronises after each.
    let whole = if deep {
        None
    } else {
        MofParser::parse(Rule::file, text).ok()
    };
    if let Some(mut pairs) = whole {
        let items = pairs.next().into_iter().flat_map(|file| file.into_inner());
        for pair in items.filter(|p| p.as_rule() == Rule::item) {
            let (start, end) = (pair.as_span().start(), pair.as_span().end());
            let span = Span::new(start, scan::tight_end(text, start, end));
            let kind = convert::Converter::new(0, &mut errors).item(pair);
            builder.push(span, kind);
        }
        return builder.finish(text, errors);
    }
    loop {
        let start = match scan::skip_trivia(text, builder.pos) {
            Ok(start) if start < text.len() => start,
            Ok(_) => break,
            Err(comment) => {
                errors.push(ParseError::new(
                    Span::new(comment, comment + 2),
                    ParseErrorKind::UnterminatedComment,
                ));
                break;
            }
        };
        let too_deep = deep
            .then(|| scan::nesting_exceeded(text, start, MAX_NESTING, true))
            .flatten();
        let (span, kind) = match too_deep {
            Some(at) => {
                errors.push(ParseError::new(
                    Span::new(at, at + 1),
                    ParseErrorKind::NestingTooDeep { limit: MAX_NESTING },
                ));
                error_region(text, start, at)
            }
            None => parse_item(text, start, &mut errors),
        };
        builder.push(span, kind);
    }
    builder.finish(text, errors)
}

/// Collects items, giving each its leading trivia and the namespace in force.
#[derive(Default)]
struct Builder {
    items: Vec<Item>,
    namespace: Option<Namespace>,
    /// End of the last item: where the next item's leading trivia starts.
    pos: usize,
}

impl Builder {
    fn push(&mut self, span: Span, kind: ItemKind) {
        if let ItemKind::Pragma(pragma) = &kind {
            if pragma.name.is("namespace") {
                if let Some(path) = pragma.first_string() {
                    self.namespace = Some(Namespace::new(path));
                }
            }
        }
        self.items.push(Item {
            leading: Span::new(self.pos, span.start),
            span,
            kind,
            namespace: self.namespace.clone(),
        });
        self.pos = span.end;
    }

    fn finish(self, text: &str, mut errors: Vec<ParseError>) -> Parsed {
        errors.sort_by_key(|e| (e.span.start, e.span.end));
        Parsed {
            document: Document {
                items: self.items,
                trailing: Span::new(self.pos, text.len()),
            },
            errors,
        }
    }
}

/// Parse the item starting at `start` (a significant character): its span and kind, or an
/// error region reaching to where parsing can resume.
fn parse_item(text: &str, start: usize, errors: &mut Vec<ParseError>) -> (Span, ItemKind) {
    let input = &text[start..];
    match MofParser::parse(Rule::item, input) {
        Ok(mut pairs) => match pairs.next() {
            Some(pair) => {
                let (from, to) = (start + pair.as_span().start(), start + pair.as_span().end());
                let span = Span::new(from, scan::tight_end(text, from, to));
                let kind = convert::Converter::new(start, errors).item(pair);
                (span, kind)
            }
            None => error_region(text, start, start),
        },
        Err(_) => {
            // Parse the item again with per-token tracking on, for a precise message.
            diagnose::enable_error_detail();
            let error = match MofParser::parse(Rule::item, input) {
                Err(err) => diagnose::syntax_error(text, start, &err),
                Ok(_) => ParseError::new(
                    Span::empty(start),
                    ParseErrorKind::Syntax {
                        expected: Vec::new(),
                        found: scan::found_at(text, start).0,
                    },
                ),
            };
            let error_pos = error.span.start;
            errors.push(error);
            error_region(text, start, error_pos)
        }
    }
}

/// The [`ItemKind::Error`] item from `start` to the last token before the next plausible item
/// start at or after `error_pos`.
fn error_region(text: &str, start: usize, error_pos: usize) -> (Span, ItemKind) {
    let (end, _next) = scan::resync(text, start, error_pos);
    (Span::new(start, end), ItemKind::Error)
}

#[cfg(test)]
mod tests;
