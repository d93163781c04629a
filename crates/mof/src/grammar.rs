//! The pest parser generated from `mof.pest` (DESIGN §3.2). Private to the crate: `Rule` and
//! pest's error type never appear in the public API; [`crate::parse`] converts both.

// The derive generates a public `Rule` enum with one variant per grammar rule, documented from
// the grammar's `///` comments; it is only reachable inside this crate.
#![allow(unreachable_pub, missing_docs)]

use pest_derive::Parser;

/// The MOF grammar.
#[derive(Parser)]
#[grammar = "mof.pest"]
pub(crate) struct MofParser;
