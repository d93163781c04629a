//! Why a hardware-inventory migration could not even start: unreadable or unparsable input,
//! or a target directory that is not ConfigMgr's `hinv` directory.
//!
//! Problems *in* the customisations (conflicts, a reporting class without data class) are not
//! errors: they are findings in the [`Report`](super::Report).

use std::io;
use std::path::PathBuf;

use smsmig_mof::edit::EditError;
use smsmig_mof::error::ParseError;
use smsmig_mof::source::Encoding;

/// A failure that stops the migration before anything is computed or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HinvError {
    /// A file or directory could not be read.
    #[error("cannot read {}", path.display())]
    Read {
        /// The path that failed.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// Walking a mini-MOF directory failed part way.
    #[error("cannot walk {}", path.display())]
    Walk {
        /// The directory being walked.
        path: PathBuf,
        /// The walk error.
        #[source]
        source: walkdir::Error,
    },
    /// A MOF file has syntax errors; nothing is migrated from or into a file that does not
    /// parse.
    #[error("{} does not parse ({} syntax error{})", .0.path.display(), .0.errors.len(), if .0.errors.len() == 1 { "" } else { "s" })]
    Parse(Box<ParseFailure>),
    /// The target directory does not exist.
    #[error("target directory {} does not exist", path.display())]
    MissingTarget {
        /// The path given as target.
        path: PathBuf,
    },
    /// The target path exists but is not a directory.
    #[error("target {} is not a directory", path.display())]
    TargetNotDirectory {
        /// The path given as target.
        path: PathBuf,
    },
    /// The target directory lacks one of the two files of a ConfigMgr 2007
    /// `inboxes\clifiles.src\hinv` directory.
    #[error("{} is not a ConfigMgr hinv directory: it has no {missing}", path.display())]
    NotHinvDirectory {
        /// The target directory.
        path: PathBuf,
        /// The file that is missing: `configuration.mof` or `SMS_def.mof`.
        missing: &'static str,
    },
    /// The edits computed for a target file could not be applied (an internal inconsistency;
    /// nothing is written).
    #[error("edits for {} do not apply", path.display())]
    Edit {
        /// The target file.
        path: PathBuf,
        /// Why.
        #[source]
        source: EditError,
    },
    /// New text contains characters the target file's encoding cannot hold.
    #[error("{} is {encoding} and cannot hold the migrated text", path.display())]
    Unencodable {
        /// The target file.
        path: PathBuf,
        /// Its encoding.
        encoding: Encoding,
    },
}

/// A MOF file that did not parse: its path, decoded text (to render line and column) and
/// every syntax error.
#[derive(Debug)]
pub struct ParseFailure {
    /// The file.
    pub path: PathBuf,
    /// Its decoded text.
    pub text: String,
    /// The syntax errors, in source order.
    pub errors: Vec<ParseError>,
}
