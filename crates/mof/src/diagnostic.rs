//! What `mof check` finds: syntax errors, what `mofcomp` itself rejects, and the SMS hardware
//! inventory rules (DESIGN §3.5).
//!
//! A [`Diagnostic`] is a typed [`DiagnosticKind`] plus where it is: the [`FileId`] of a file in
//! a [`SourceSet`](crate::include::SourceSet), a byte [`Span`] into that file's decoded text, and
//! related locations (the first definition of a duplicate, the data class of a reporting class).
//! Nothing here is rendered text: the CLI turns spans into `file:line:col` and source excerpts.
//!
//! Severity follows one rule: an [`Severity::Error`] is only what `mofcomp` would reject (so every
//! file `mofcomp` compiles checks clean of errors); everything else is a [`Severity::Warning`].
//! Codes are stable: `E00xx` are the parser's syntax codes (kept as the parser assigns them),
//! `E01xx` semantic errors, `E02xx` include errors, `W01xx` language warnings, `W02xx` namespace
//! warnings, `W03xx` SMS inventory warnings.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;
use thiserror::Error;

use crate::error::ParseError;
use crate::span::Span;

/// Index of a file in a [`SourceSet`](crate::include::SourceSet); `FileId(0)` is the first file
/// loaded (and the only one when a single text is checked).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FileId(pub u32);

impl FileId {
    /// The index as a `usize`.
    #[must_use]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// `mofcomp` would reject the file.
    Error,
    /// The file compiles, but something is probably wrong.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One finding, located in one file.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// What was found.
    pub kind: DiagnosticKind,
    /// The file the primary span points into.
    pub file: FileId,
    /// The primary location.
    pub span: Span,
    /// Other locations that explain the finding.
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// A diagnostic with no related locations.
    #[must_use]
    pub fn new(kind: DiagnosticKind, file: FileId, span: Span) -> Self {
        Self {
            kind,
            file,
            span,
            related: Vec::new(),
        }
    }

    /// A syntax error of `file`, keeping the parser's code and span.
    #[must_use]
    pub fn syntax(file: FileId, error: ParseError) -> Self {
        let span = error.span;
        Self::new(DiagnosticKind::Syntax(error), file, span)
    }

    /// Add a related location.
    #[must_use]
    pub fn with_related(mut self, file: FileId, span: Span, note: RelatedNote) -> Self {
        self.related.push(Related { file, span, note });
        self
    }

    /// Stable code, e.g. `E0102`; syntax errors keep the parser's code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// Error or warning.
    #[must_use]
    pub fn severity(&self) -> Severity {
        self.kind.severity()
    }

    /// The `WBEMMOF_E_*` name `mofcomp` reports for the same problem, where it has one.
    #[must_use]
    pub fn wbem_name(&self) -> Option<&'static str> {
        self.kind.wbem_name()
    }

    /// True for error severity.
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }
}

impl From<ParseError> for Diagnostic {
    /// A syntax error of the first (or only) file.
    fn from(error: ParseError) -> Self {
        Diagnostic::syntax(FileId::default(), error)
    }
}

/// A secondary location of a diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// The file it points into.
    pub file: FileId,
    /// Where.
    pub span: Span,
    /// Why it is shown.
    pub note: RelatedNote,
}

/// Why a related location is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RelatedNote {
    /// The first definition of something defined again.
    FirstDefinition,
    /// The data class paired with a reporting class.
    DataClass,
    /// The property in the data class.
    DataProperty,
    /// A property reported although its class is not.
    ReportedProperty,
}

impl fmt::Display for RelatedNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RelatedNote::FirstDefinition => "first defined here",
            RelatedNote::DataClass => "data class",
            RelatedNote::DataProperty => "declared here in the data class",
            RelatedNote::ReportedProperty => "reported property",
        })
    }
}

/// The kinds of finding. `Display` is the one-line message.
#[derive(Clone, Debug, Error)]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// A syntax error from the parser (its code, `WBEMMOF_E_*` name and message are kept).
    #[error(transparent)]
    Syntax(ParseError),

    /// W0103: a class declared twice in one namespace of one compilation, with no
    /// `#pragma deleteclass` for it in between. `mofcomp` accepts this: its default class flag
    /// is create-or-update, so the second declaration silently replaces the first.
    #[error("class `{name}` is declared again in namespace {namespace}: the second declaration replaces the first")]
    DuplicateClass {
        /// Class name as written the second time.
        name: String,
        /// Normalised namespace, or `(none)` before any namespace pragma.
        namespace: String,
    },

    /// E0102: a property, method or parameter name used twice in one class, instance or method.
    #[error("`{name}` is declared twice in `{owner}`")]
    DuplicateProperty {
        /// The class, instance class or method that holds both.
        owner: String,
        /// The repeated name.
        name: String,
    },

    /// E0103: the same qualifier twice in one qualifier list.
    #[error("qualifier `{name}` appears twice in one qualifier list")]
    DuplicateQualifier {
        /// Qualifier name.
        name: String,
    },

    /// E0104: `$Alias` used but never defined in the compilation.
    #[error("alias `${alias}` is used but never defined")]
    UndefinedAlias {
        /// Alias name without `$`.
        alias: String,
    },

    /// E0105: a `#pragma` that `mofcomp` does not know.
    #[error("unknown pragma `{name}`")]
    UnknownPragma {
        /// Pragma name as written.
        name: String,
    },

    /// E0106: a known pragma with arguments `mofcomp` does not accept.
    #[error("`#pragma {pragma}` expects {expected}")]
    InvalidPragmaArguments {
        /// Pragma name, lower-case.
        pragma: String,
        /// What the arguments should look like.
        expected: &'static str,
    },

    /// E0107: a value whose kind does not fit the declared type.
    #[error("`{property}` is declared `{declared}` but is given {found}")]
    TypeMismatch {
        /// Property (or parameter) name.
        property: String,
        /// Declared type as written (`uint32`, `CIM_Foo ref`...).
        declared: String,
        /// What the value is (`a string`, `a real number`...).
        found: &'static str,
    },

    /// E0108: an integer outside the range of its declared type.
    #[error("{value} is out of range for `{property}` of type `{declared}`")]
    OutOfRange {
        /// Property name.
        property: String,
        /// Declared integer type.
        declared: String,
        /// The value as written.
        value: String,
    },

    /// E0109: an array value `{...}` given to a scalar property.
    #[error("`{property}` is not an array but is given an array value")]
    ArrayForScalar {
        /// Property name.
        property: String,
    },

    /// E0201: a `#pragma include` whose file cannot be read.
    #[error("included file `{path}` cannot be read ({})", io_reason(*reason), path = path.display())]
    IncludeNotFound {
        /// The path resolved relative to the including file.
        path: PathBuf,
        /// The I/O error kind.
        reason: std::io::ErrorKind,
    },

    /// E0202: a `#pragma include` that includes a file already being included.
    #[error("`{path}` includes itself through {}", chain_text(chain))]
    IncludeCycle {
        /// The file included again.
        path: PathBuf,
        /// The include chain from that file back to itself.
        chain: Vec<PathBuf>,
    },

    /// W0101: the same alias defined twice; references resolve to the first.
    #[error("alias `${alias}` is defined twice")]
    DuplicateAlias {
        /// Alias name without `$`.
        alias: String,
    },

    /// W0102: a single value given to an array property.
    #[error("`{property}` is an array but is given a single value")]
    ScalarForArray {
        /// Property name.
        property: String,
    },

    /// W0201: the `cinv2` misspelling of `cimv2` (seed: "root\CINV2"); treated as `root\cimv2`.
    #[error("namespace `{written}` misspells cimv2 as cinv2; treated as `{meant}`")]
    MisspelledCimv2 {
        /// The namespace as written.
        written: String,
        /// The normalised namespace it is taken to mean.
        meant: String,
    },

    /// W0301: a reporting class without `SMS_Class_ID`.
    #[error("reporting class `{class}` has no SMS_Class_ID")]
    MissingClassId {
        /// Class name.
        class: String,
    },

    /// W0302: an `SMS_Class_ID` not of the form `VENDOR|NAME|VERSION`.
    #[error("SMS_Class_ID \"{id}\" of `{class}` is not of the form VENDOR|NAME|VERSION")]
    MalformedClassId {
        /// Class name.
        class: String,
        /// The ID as written (decoded).
        id: String,
    },

    /// W0303: two reporting classes with one `SMS_Class_ID`.
    #[error("SMS_Class_ID \"{id}\" of `{class}` is already used by `{other}`")]
    DuplicateClassId {
        /// The ID.
        id: String,
        /// This class.
        class: String,
        /// The class that used it first.
        other: String,
    },

    /// W0304: two reporting classes with one `SMS_Group_Name`.
    #[error("SMS_Group_Name \"{group}\" of `{class}` is already used by `{other}`")]
    DuplicateGroupName {
        /// The group name.
        group: String,
        /// This class.
        class: String,
        /// The class that used it first.
        other: String,
    },

    /// W0305: a reporting class not derived from `SMS_Class_Template`.
    #[error("reporting class `{class}` does not derive from SMS_Class_Template{}",
        superclass.as_ref().map(|s| format!(" (its superclass is `{s}`)")).unwrap_or_default())]
    NotDerivedFromTemplate {
        /// Class name.
        class: String,
        /// The superclass where its chain leaves the known classes, if any.
        superclass: Option<String>,
    },

    /// W0306: a reporting property its data class does not declare.
    #[error("reporting class `{class}` has property `{property}` that its data class lacks")]
    PropertyMissingInDataClass {
        /// Reporting class name.
        class: String,
        /// Property name.
        property: String,
    },

    /// W0307: a reporting property typed differently from the data class's.
    #[error("`{class}.{property}` is `{reporting}` in the reporting class but `{data}` in the data class")]
    PropertyTypeMismatch {
        /// Class name.
        class: String,
        /// Property name.
        property: String,
        /// Type in the reporting class (with `[]` for arrays).
        reporting: String,
        /// Type in the data class.
        data: String,
    },

    /// W0308: the reporting and data class disagree on the key properties.
    #[error("keys of `{class}` differ: reporting class [{}], data class [{}]",
        reporting.join(", "), data.join(", "))]
    KeyMismatch {
        /// Class name.
        class: String,
        /// Key properties of the reporting class.
        reporting: Vec<String>,
        /// Key properties of the data class.
        data: Vec<String>,
    },

    /// W0309: properties marked `SMS_Report(TRUE)` in a class that is not reported.
    #[error("`{class}` is not reported ({}) but reports {}",
        if *explicit { "SMS_Report(FALSE)" } else { "no SMS_Report, default FALSE" },
        properties.join(", "))]
    ReportedPropertyInUnreportedClass {
        /// Class name.
        class: String,
        /// The properties marked `SMS_Report(TRUE)`.
        properties: Vec<String>,
        /// True for an explicit `SMS_Report(FALSE)`, false when the qualifier is absent.
        explicit: bool,
    },
}

fn io_reason(kind: std::io::ErrorKind) -> String {
    match kind {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        other => other.to_string(),
    }
}

fn chain_text(chain: &[PathBuf]) -> String {
    chain
        .iter()
        .map(|p| format!("`{}`", p.display()))
        .collect::<Vec<_>>()
        .join(" → ")
}

impl DiagnosticKind {
    /// Stable code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        use DiagnosticKind as K;
        match self {
            K::Syntax(e) => e.code(),
            K::DuplicateClass { .. } => "W0103",
            K::DuplicateProperty { .. } => "E0102",
            K::DuplicateQualifier { .. } => "E0103",
            K::UndefinedAlias { .. } => "E0104",
            K::UnknownPragma { .. } => "E0105",
            K::InvalidPragmaArguments { .. } => "E0106",
            K::TypeMismatch { .. } => "E0107",
            K::OutOfRange { .. } => "E0108",
            K::ArrayForScalar { .. } => "E0109",
            K::IncludeNotFound { .. } => "E0201",
            K::IncludeCycle { .. } => "E0202",
            K::DuplicateAlias { .. } => "W0101",
            K::ScalarForArray { .. } => "W0102",
            K::MisspelledCimv2 { .. } => "W0201",
            K::MissingClassId { .. } => "W0301",
            K::MalformedClassId { .. } => "W0302",
            K::DuplicateClassId { .. } => "W0303",
            K::DuplicateGroupName { .. } => "W0304",
            K::NotDerivedFromTemplate { .. } => "W0305",
            K::PropertyMissingInDataClass { .. } => "W0306",
            K::PropertyTypeMismatch { .. } => "W0307",
            K::KeyMismatch { .. } => "W0308",
            K::ReportedPropertyInUnreportedClass { .. } => "W0309",
        }
    }

    /// Error for what `mofcomp` rejects, warning otherwise.
    #[must_use]
    pub fn severity(&self) -> Severity {
        if self.code().starts_with('E') {
            Severity::Error
        } else {
            Severity::Warning
        }
    }

    /// The `WBEMMOF_E_*` name `mofcomp` reports, where it has one.
    #[must_use]
    pub fn wbem_name(&self) -> Option<&'static str> {
        use DiagnosticKind as K;
        match self {
            K::Syntax(e) => e.wbem_name(),
            K::DuplicateProperty { .. } => Some("WBEMMOF_E_DUPLICATE_PROPERTY"),
            K::DuplicateQualifier { .. } => Some("WBEMMOF_E_DUPLICATE_QUALIFIER"),
            K::UnknownPragma { .. } => Some("WBEMMOF_E_INVALID_PRAGMA"),
            K::InvalidPragmaArguments { pragma, .. } => Some(match pragma.as_str() {
                "namespace" => "WBEMMOF_E_INVALID_NAMESPACE_SYNTAX",
                "deleteclass" => "WBEMMOF_E_INVALID_DELETECLASS_SYNTAX",
                "deleteinstance" => "WBEMMOF_E_INVALID_DELETEINSTANCE_SYNTAX",
                "amendment" => "WBEMMOF_E_INVALID_AMENDMENT_SYNTAX",
                "classflags" | "instanceflags" => "WBEMMOF_E_INVALID_FLAGS_SYNTAX",
                "include" => "WBEMMOF_E_ERROR_INVALID_INCLUDE_FILE",
                _ => "WBEMMOF_E_INVALID_PRAGMA",
            }),
            K::TypeMismatch { .. } => Some("WBEMMOF_E_TYPE_MISMATCH"),
            K::OutOfRange { .. } => Some("WBEMMOF_E_OUT_OF_RANGE"),
            K::ArrayForScalar { .. } => Some("WBEMMOF_E_UNEXPECTED_ARRAY_INIT"),
            K::IncludeNotFound { .. } | K::IncludeCycle { .. } => {
                Some("WBEMMOF_E_ERROR_INVALID_INCLUDE_FILE")
            }
            _ => None,
        }
    }
}

/// Sort diagnostics by file, then position, then code, so output is deterministic.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.file, a.span.start, a.span.end, a.code()).cmp(&(
            b.file,
            b.span.start,
            b.span.end,
            b.code(),
        ))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_severity_follows_the_prefix() {
        let kinds = [
            DiagnosticKind::DuplicateClass {
                name: "A".into(),
                namespace: "root\\cimv2".into(),
            },
            DiagnosticKind::UndefinedAlias { alias: "X".into() },
            DiagnosticKind::MissingClassId { class: "A".into() },
            DiagnosticKind::KeyMismatch {
                class: "A".into(),
                reporting: vec!["Name".into()],
                data: vec![],
            },
        ];
        let codes: Vec<_> = kinds.iter().map(DiagnosticKind::code).collect();
        assert_eq!(codes, ["W0103", "E0104", "W0301", "W0308"]);
        assert_eq!(kinds[0].severity(), Severity::Warning);
        assert_eq!(kinds[1].severity(), Severity::Error);
        assert_eq!(kinds[2].severity(), Severity::Warning);
    }

    #[test]
    fn messages_name_the_identifiers() {
        let kind = DiagnosticKind::KeyMismatch {
            class: "Asset".into(),
            reporting: vec!["Name".into(), "Id".into()],
            data: vec!["Name".into()],
        };
        assert_eq!(
            kind.to_string(),
            "keys of `Asset` differ: reporting class [Name, Id], data class [Name]"
        );
        let kind = DiagnosticKind::ReportedPropertyInUnreportedClass {
            class: "A".into(),
            properties: vec!["P".into()],
            explicit: true,
        };
        assert_eq!(
            kind.to_string(),
            "`A` is not reported (SMS_Report(FALSE)) but reports P"
        );
        let kind = DiagnosticKind::IncludeCycle {
            path: "a.mof".into(),
            chain: vec!["a.mof".into(), "b.mof".into(), "a.mof".into()],
        };
        assert_eq!(
            kind.to_string(),
            "`a.mof` includes itself through `a.mof` → `b.mof` → `a.mof`"
        );
    }
}
