//! The WMI dialect of the Managed Object Format, as `mofcomp` accepts it.
//!
//! - [`source`]: decoding bytes (UTF-16LE/BE with or without BOM, UTF-8, Windows-1252) into text,
//!   remembering encoding, BOM and newline style to write edits back the same way (DESIGN §3.1).
//! - [`parse`](mod@parse) with the grammar in `mof.pest`: text into a lossless [`syntax`] tree,
//!   every syntax error reported, resynchronising at the next top-level item (DESIGN §3.2–3.3).
//! - [`span`]: byte spans and the line index used when rendering diagnostics.
//! - [`syntax`]: the tree; items, their trivia and the namespace in force for each.
//! - [`include`](mod@include): loading files into a [`SourceSet`](include::SourceSet),
//!   following `#pragma include` relative to the including file, and laying them out as
//!   compilation units.
//! - [`split`]: data vs reporting roles, what travels with a class, and the split into
//!   `configuration.mof` and `SMS_def.mof` (DESIGN §3.4).
//! - [`check`] with [`diagnostic`]: validation like `mofcomp -check` plus the SMS rules, every
//!   finding a typed diagnostic with a stable code (DESIGN §3.5).
//!
//! The crate never prints and never exits; errors are typed values carrying spans.

// pest's generated parser, built without pest's `std` feature, names `::alloc::boxed::Box`.
extern crate alloc;

pub mod check;
pub mod diagnostic;
pub mod edit;
pub mod error;
mod grammar;
pub mod include;
pub mod namespace;
pub mod parse;
pub mod source;
pub mod span;
pub mod split;
pub mod syntax;

pub use error::{ParseError, ParseErrorKind};
pub use parse::{parse, Parsed};
pub use source::{Encoding, Newline, SourceFile};
pub use span::{LineCol, LineIndex, Span};
pub use syntax::{Document, Item, ItemKind, Namespace};
