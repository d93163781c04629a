//! Parsing MOF text into the lossless [`Document`] (DESIGN §3.2–3.3).
//!
//! The text is parsed one top-level item at a time: the trivia before an item is scanned by hand
//! ([`scan`]), then the grammar's `item` rule runs at the item's first token and its pairs are
//! converted ([`convert`]). When an item does not parse, the error is recorded
//! ([`diagnose`]), the region up to the next plausible item start becomes an
//! [`ItemKind::Error`] item, and parsing goes on, so one call reports every syntax error and
//! the items' `leading` and `span` plus the document's `trailing` still tile the whole text.

mod convert;
mod diagnose;
mod scan;

use pest::Parser as _;

use crate::error::{ParseError, ParseErrorKind};
use crate::grammar::{MofParser, Rule};
use crate::span::Span;
use crate::syntax::{Document, Item, ItemKind, Namespace};

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
    let mut items = Vec::new();
    let mut errors = Vec::new();
    let mut namespace: Option<Namespace> = None;
    let mut pos = 0;
    let trailing = loop {
        let start = match scan::skip_trivia(text, pos) {
            Ok(start) if start < text.len() => start,
            Ok(_) => break Span::new(pos, text.len()),
            Err(comment) => {
                errors.push(ParseError::new(
                    Span::new(comment, comment + 2),
                    ParseErrorKind::UnterminatedComment,
                ));
                break Span::new(pos, text.len());
            }
        };
        let leading = Span::new(pos, start);
        let (span, kind) = parse_item(text, start, &mut errors);
        if let ItemKind::Pragma(pragma) = &kind {
            if pragma.name.is("namespace") {
                if let Some(path) = pragma.first_string() {
                    namespace = Some(Namespace::new(path));
                }
            }
        }
        items.push(Item {
            leading,
            span,
            kind,
            namespace: namespace.clone(),
        });
        pos = span.end;
    };
    errors.sort_by_key(|e| (e.span.start, e.span.end));
    Parsed {
        document: Document { items, trailing },
        errors,
    }
}

/// Parse the item starting at `start` (a significant character): its span and kind, or an
/// error region reaching to where parsing can resume.
fn parse_item(text: &str, start: usize, errors: &mut Vec<ParseError>) -> (Span, ItemKind) {
    let input = &text[start..];
    match MofParser::parse(Rule::item, input) {
        Ok(mut pairs) => match pairs.next() {
            Some(pair) => {
                let span = Span::new(start + pair.as_span().start(), start + pair.as_span().end());
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
