//! ConfigMgr setup logs: `ConfigMgrPrereq.log` and `ConfigMgrSetup.log` (DESIGN §4.3).
//!
//! The logs are read as Windows leaves them — UTF-16 (either byte order, with or without a BOM),
//! ANSI (Windows-1252) or UTF-8, CRLF line ends, possibly cut off mid-line or mid-code unit, and
//! sometimes hundreds of megabytes long — so nothing here ever holds a whole file:
//!
//! - [`decode`]: [`LogReader`] sniffs the encoding from the first bytes and decodes fixed-size
//!   chunks incrementally with `encoding_rs`, yielding one line at a time;
//! - [`line`](mod@line): `nom` parsers for the two line shapes, `<MM-DD-YYYY HH:MM:SS> text`
//!   and the SMS trace format `text $$<Component><MM-DD-YYYY HH:MM:SS.mmm+TZ><thread=N (0xN)>`;
//! - [`entry`]: [`Entries`] groups lines into log entries, joining continuation lines (a
//!   prerequisite rule's SQL often spans several lines without a timestamp);
//! - [`sql`]: a small T-SQL lexer that makes the logged queries runnable — the prerequisite
//!   checker writes site codes as `"HOU"`, SQL Server needs the string literal `'HOU'`;
//! - [`prereq`] and [`setup`]: the analyses, with the tables of known fixes in [`fixes`].
//!
//! Results are plain serde values; errors are [`LogError`]. Nothing here prints.

pub mod decode;
pub mod entry;
pub mod fixes;
pub mod line;
pub mod prereq;
pub mod setup;
pub mod sql;

use std::io;

use serde::Serialize;

pub use decode::{LogLine, LogReader, TextEncoding};
pub use entry::{Entries, Entry, EntryShape};
pub use line::Stamp;
pub use prereq::{analyze_prereq, Outcome, PrereqCounts, PrereqReport, PrereqRule, RuleQuery};
pub use setup::{analyze_setup, SetupFinding, SetupReport, SetupVerdict};
pub use sql::{make_runnable, QueryNote, QuoteRewrite, RunnableQuery};

/// Why a log could not be analysed at all. Problems inside a readable log (a malformed
/// timestamp, an unrecognised line) are [`LogIssue`]s in the report instead.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LogError {
    /// Reading the file failed.
    #[error("reading the log failed after {lines} lines")]
    Io {
        /// Lines read successfully before the failure.
        lines: u64,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// The input holds no timestamped log entry: it is empty, or not a ConfigMgr log.
    #[error("no log entries found in {lines} lines ({encoding})")]
    NoEntries {
        /// Lines read.
        lines: u64,
        /// The encoding the text was decoded as.
        encoding: TextEncoding,
    },
}

/// Facts about the file itself: how it was decoded and how intact it looked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceInfo {
    /// The encoding the bytes were decoded as.
    pub encoding: TextEncoding,
    /// Whether the file started with a byte order mark.
    pub bom: bool,
    /// Bytes read.
    pub bytes: u64,
    /// Lines read.
    pub lines: u64,
    /// Log entries found (timestamped or trace-format lines with their continuations).
    pub entries: u64,
    /// Non-blank lines that belonged to no entry.
    pub unparsed_lines: u64,
    /// Continuation lines dropped because their entry exceeded [`entry::MAX_ENTRY_BYTES`].
    pub dropped_lines: u64,
    /// U+FFFD characters produced by undecodable bytes (a cut-off UTF-16 code unit is one).
    pub replacement_chars: u64,
    /// Lines longer than [`decode::MAX_LINE_BYTES`], kept only up to that length.
    pub clipped_lines: u64,
    /// The last line has no line end: the file was cut off, or is still being written.
    pub ends_mid_line: bool,
}

/// Something wrong inside a readable log, with the line it is on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogIssue {
    /// 1-based line number.
    pub line: u64,
    /// What is wrong.
    #[serde(flatten)]
    pub kind: IssueKind,
}

/// The kinds of [`LogIssue`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum IssueKind {
    /// A line starts like `<MM-DD-YYYY ...>` or carries `$$<` but the stamp does not parse; the
    /// line is treated as plain text.
    MalformedStamp {
        /// 1-based column (in characters) where parsing stopped.
        column: usize,
        /// What the parser expected there (a `context` label).
        expected: &'static str,
    },
    /// A `Query` entry whose rule could not be determined (no `Rule Name:` before it).
    QueryWithoutRule,
    /// A rule result word the analysis does not know (kept verbatim, counted as unknown).
    UnknownResult {
        /// The word as logged.
        result: String,
    },
}

/// At most this many issues are kept; the rest are only counted (bounded memory on garbage).
pub const MAX_ISSUES: usize = 100;

/// Issues kept plus a count of all of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Issues {
    /// The first [`MAX_ISSUES`] issues, in line order.
    pub items: Vec<LogIssue>,
    /// How many issues there were in total.
    pub total: u64,
}

impl Issues {
    /// Record an issue, keeping it only while fewer than [`MAX_ISSUES`] are kept.
    pub fn push(&mut self, issue: LogIssue) {
        self.total += 1;
        if self.items.len() < MAX_ISSUES {
            self.items.push(issue);
        }
    }

    /// Merge `other` (later in the file) into `self`.
    pub fn extend(&mut self, other: Issues) {
        let extra = other.total - other.items.len() as u64;
        for issue in other.items {
            self.push(issue);
        }
        self.total += extra;
    }
}

/// Clip `text` to at most `max` bytes on a character boundary, marking the cut with `…`.
pub(crate) fn clip(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_respects_char_boundaries() {
        assert_eq!(clip("abc", 5), "abc");
        assert_eq!(clip("abcdef", 3), "abc…");
        assert_eq!(clip("aéb", 2), "a…");
    }

    #[test]
    fn issues_keep_a_bounded_prefix_and_count_all() {
        let mut issues = Issues::default();
        for line in 0..(MAX_ISSUES as u64 + 5) {
            issues.push(LogIssue {
                line,
                kind: IssueKind::QueryWithoutRule,
            });
        }
        assert_eq!(issues.items.len(), MAX_ISSUES);
        assert_eq!(issues.total, MAX_ISSUES as u64 + 5);
        let mut all = Issues::default();
        all.extend(issues);
        assert_eq!(all.total, MAX_ISSUES as u64 + 5);
    }
}
