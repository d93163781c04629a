//! Hardware-inventory migration (DESIGN §4.1; seed: "Migrating Hardware Inventory
//! Customizations"): carry an SMS 2003 site's `SMS_def.mof` and mini-MOF customisations into
//! ConfigMgr 2007's `configuration.mof` (data classes) and `SMS_def.mof` (reporting classes).
//!
//! - [`load`]: reading the inputs and the target `hinv` directory ([`Sources`], [`Target`]).
//! - `catalog`: classes with their role, namespace, `SMS_Report` switches and a structural
//!   signature; `travel`: the text that travels with a class.
//! - `analyze`: custom classes (against the baseline, or by `SMS_Class_ID` vendor), conflicts
//!   and warnings; `toggle`: `SMS_Report` switches on stock classes, replayed by
//!   `SMS_Class_ID` then name.
//! - `insert`: where new text goes (the "Added extensions" region, or the end) and which
//!   namespace pragmas it needs.
//! - [`report`]: the findings as data (`smsmig.hinv/1`).
//!
//! [`migrate`] computes every change as a [`TextEdit`] on the target's decoded text and applies
//! them to the original, so everything not edited stays byte for byte, in the file's own
//! encoding, BOM and newline style. Running it again on its own output finds nothing to do.

mod analyze;
mod catalog;
mod insert;
pub mod load;
pub mod report;
mod toggle;
mod travel;

use std::io;
use std::path::PathBuf;

use smsmig_mof::edit::{apply, with_newlines, EditError, TextEdit};
use smsmig_mof::error::ParseError;
use smsmig_mof::source::{Encoding, SourceFile};

pub use load::{MofFile, Sources, Target};
pub use report::{ClassStatus, CustomClass, Finding, FindingCode, Report, Toggle};

/// Choices that change what the migration does.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Custom classes to merge despite their conflicts (names, case-insensitive).
    pub force: Vec<String>,
}

impl Options {
    /// True when `--force` names `class`.
    #[must_use]
    pub fn is_forced(&self, class: &str) -> bool {
        self.force.iter().any(|f| f.eq_ignore_ascii_case(class))
    }
}

/// The result of a migration: the findings and the new content of both target files.
#[derive(Clone, Debug)]
pub struct Migration {
    /// What was found.
    pub report: Report,
    /// The change to `configuration.mof`.
    pub configuration: FileChange,
    /// The change to `SMS_def.mof`.
    pub sms_def: FileChange,
}

impl Migration {
    /// True when either file changes.
    #[must_use]
    pub fn has_changes(&self) -> bool {
        self.configuration.is_changed() || self.sms_def.is_changed()
    }

    /// Both file changes, `configuration.mof` first.
    #[must_use]
    pub fn files(&self) -> [&FileChange; 2] {
        [&self.configuration, &self.sms_def]
    }
}

/// The new content of one target file.
#[derive(Clone, Debug)]
pub struct FileChange {
    /// The file.
    pub path: PathBuf,
    /// The edits, against the original decoded text.
    pub edits: Vec<TextEdit>,
    /// The original decoded text.
    pub old_text: String,
    /// The decoded text after the edits.
    pub new_text: String,
    source: SourceFile,
}

impl FileChange {
    fn new(file: &MofFile, edits: Vec<TextEdit>) -> Result<Self, HinvError> {
        let new_text = apply(file.text(), &edits).map_err(|source| HinvError::Edit {
            path: file.path.clone(),
            source,
        })?;
        if !file.source.can_encode(&new_text) {
            return Err(HinvError::Unencodable {
                path: file.path.clone(),
                encoding: file.source.encoding,
            });
        }
        Ok(Self {
            path: file.path.clone(),
            edits,
            old_text: file.text().to_owned(),
            new_text,
            source: file.source.clone(),
        })
    }

    /// True when the text changes.
    #[must_use]
    pub fn is_changed(&self) -> bool {
        self.old_text != self.new_text
    }

    /// The file's encoding (kept for the new content).
    #[must_use]
    pub fn encoding(&self) -> Encoding {
        self.source.encoding
    }

    /// The new content in the file's own encoding and BOM.
    #[must_use]
    pub fn encoded(&self) -> Vec<u8> {
        self.source.encode(&self.new_text)
    }
}

/// Find the site's customisations and compute the edits that carry them into the target.
///
/// # Errors
/// [`HinvError::Edit`] if the computed edits overlap (an internal inconsistency), and
/// [`HinvError::Unencodable`] when a Windows-1252 target cannot hold the new text. Nothing is
/// written either way: writing is the caller's business.
pub fn migrate(
    sources: &Sources,
    target: &Target,
    options: &Options,
) -> Result<Migration, HinvError> {
    let plan = analyze::analyze(sources, target, options);
    let mut providers = insert::registered_providers(&target.configuration);
    let configuration_edits = replacements(&target.configuration, &plan.configuration_replacements)
        .chain(insert::insertion(
            &target.configuration,
            &plan.data,
            &mut providers,
        ))
        .collect();
    let mut sms_def_providers = insert::registered_providers(&target.sms_def);
    let sms_def_edits = replacements(&target.sms_def, &plan.sms_def_replacements)
        .chain(insert::insertion(
            &target.sms_def,
            &plan.reporting,
            &mut sms_def_providers,
        ))
        .collect();
    Ok(Migration {
        configuration: FileChange::new(&target.configuration, configuration_edits)?,
        sms_def: FileChange::new(&target.sms_def, sms_def_edits)?,
        report: plan.report,
    })
}

fn replacements<'a>(
    file: &'a MofFile,
    list: &'a [(smsmig_mof::Span, String)],
) -> impl Iterator<Item = TextEdit> + 'a {
    let newline = file.source.newline_str();
    list.iter()
        .map(move |(span, text)| TextEdit::replace(*span, with_newlines(text, newline)))
}

/// A failure that stops the migration before anything is computed or written. Problems *in*
/// the customisations (conflicts, a reporting class without data class) are not errors but
/// findings in the [`Report`].
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

/// A MOF file that did not parse: its path, decoded source (to render line and column) and
/// every syntax error.
#[derive(Debug)]
pub struct ParseFailure {
    /// The file.
    pub path: PathBuf,
    /// Its decoded text with encoding and newline style.
    pub source: SourceFile,
    /// The syntax errors, in source order.
    pub errors: Vec<ParseError>,
}
