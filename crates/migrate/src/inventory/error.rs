//! Errors that stop a load: unreadable files and malformed rows, each with a precise location.

use std::fmt;
use std::io;
use std::path::PathBuf;

use super::map::ValueProblem;

/// A position in an export file: path, 1-based line and 1-based character column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub path: PathBuf,
    /// Line (1-based).
    pub line: u64,
    /// Column in characters (1-based).
    pub column: u64,
}

impl Location {
    /// The file name without its directory (for stable output).
    pub fn file_name(&self) -> String {
        self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path.display(), self.line, self.column)
    }
}

/// Why an inventory directory could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The path is not a directory.
    #[error("{path}: not a directory", path = path.display())]
    NotADirectory {
        /// The path given.
        path: PathBuf,
    },
    /// A required file is absent.
    #[error("{path}: required file is missing", path = path.display())]
    MissingFile {
        /// The expected path.
        path: PathBuf,
    },
    /// Reading failed.
    #[error("reading {path}", path = path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// The file has no header row.
    #[error("{path}: empty file, expected a header row", path = path.display())]
    EmptyFile {
        /// The file.
        path: PathBuf,
    },
    /// A header names a column the format does not have.
    #[error("{at}: unknown column `{name}` (expected: {})", expected.join(", "))]
    UnknownColumn {
        /// Where the header field is.
        at: Location,
        /// The unknown name.
        name: String,
        /// The columns this file may have.
        expected: Vec<&'static str>,
    },
    /// A header names a column twice.
    #[error("{at}: column `{name}` appears twice")]
    DuplicateColumn {
        /// Where the second occurrence is.
        at: Location,
        /// The column.
        name: String,
    },
    /// Required columns are absent from the header.
    #[error("{at}: missing column{s} {}", names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "), s = if names.len() == 1 { "" } else { "s" })]
    MissingColumns {
        /// The header line.
        at: Location,
        /// The missing columns.
        names: Vec<&'static str>,
    },
    /// A row has more or fewer fields than the header.
    #[error("{at}: row has {found} field(s), the header has {expected}")]
    FieldCount {
        /// Where the first surplus (or the end of a short row) is.
        at: Location,
        /// Fields in the header.
        expected: usize,
        /// Fields in the row.
        found: usize,
    },
    /// The CSV syntax is broken.
    #[error("{at}: malformed CSV: {message}")]
    Malformed {
        /// Where.
        at: Location,
        /// The CSV reader's description.
        message: String,
    },
    /// A value is missing or malformed.
    #[error("{at}: column `{column}`: {problem}{}", if value.is_empty() { String::new() } else { format!(" (found `{value}`)") })]
    Value {
        /// Where the field starts.
        at: Location,
        /// Column name.
        column: &'static str,
        /// The rejected text (empty for a missing value).
        value: String,
        /// Why it is rejected.
        problem: ValueProblem,
    },
}

impl LoadError {
    /// The location in a file, when the error has one.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Self::UnknownColumn { at, .. }
            | Self::DuplicateColumn { at, .. }
            | Self::MissingColumns { at, .. }
            | Self::FieldCount { at, .. }
            | Self::Malformed { at, .. }
            | Self::Value { at, .. } => Some(at),
            Self::NotADirectory { .. }
            | Self::MissingFile { .. }
            | Self::Io { .. }
            | Self::EmptyFile { .. } => None,
        }
    }
}
