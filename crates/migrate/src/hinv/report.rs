//! What a migration found, as data: the `smsmig.hinv/1` JSON document the CLI prints with
//! `--format json`, and the counts its summary is made of.

use serde::Serialize;

/// The schema name of the JSON report.
pub const SCHEMA: &str = "smsmig.hinv/1";

/// Everything one run found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// Custom classes of the site, in input order.
    pub custom_classes: Vec<CustomClass>,
    /// `SMS_Report` switches still to be replayed onto the target.
    pub toggles: Vec<Toggle>,
    /// Problems that keep a class out of the target unless `--force` names it.
    pub conflicts: Vec<Finding>,
    /// Things to know that do not stop anything.
    pub warnings: Vec<Finding>,
}

impl Report {
    /// An empty report with the schema set.
    #[must_use]
    pub fn new() -> Self {
        Self {
            schema: SCHEMA,
            ..Self::default()
        }
    }

    /// Conflicts not overridden by `--force`: the migration is incomplete while any remain.
    pub fn open_conflicts(&self) -> impl Iterator<Item = &Finding> + '_ {
        self.conflicts.iter().filter(|c| !c.forced)
    }

    /// Custom classes with this status.
    #[must_use]
    pub fn count(&self, status: ClassStatus) -> usize {
        self.custom_classes
            .iter()
            .filter(|c| c.status == status)
            .count()
    }
}

/// A class the site added to hardware inventory (not in the stock SMS 2003 files).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CustomClass {
    /// Class name as written in the site's files.
    pub name: String,
    /// Namespace of the data class on clients (normalised, e.g. `root\cimv2`).
    pub namespace: String,
    /// `SMS_Class_ID` of the reporting class.
    pub class_id: Option<String>,
    /// The site defines a data class (configuration.mof side).
    pub data: bool,
    /// The site defines a reporting class (SMS_def.mof side).
    pub reporting: bool,
    /// What this run does with it.
    pub status: ClassStatus,
    /// Name of the file that defines it (the reporting class's file when the halves differ).
    pub source: String,
}

/// What happens to a custom class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ClassStatus {
    /// At least one half is added to the target.
    Add,
    /// Already in the target with the same definition: nothing to do.
    Present,
    /// Left out because of a conflict.
    Conflict,
    /// Merged despite a conflict, because `--force` names it.
    Forced,
}

/// An `SMS_Report` switch on a stock class or property, to replay on the target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Toggle {
    /// The class as the site names it.
    pub class: String,
    /// The matching class in the target's SMS_def.mof (found by `SMS_Class_ID`, then name).
    pub target_class: String,
    /// The property, or `None` for the class-level switch.
    pub property: Option<String>,
    /// The value in the target now.
    pub from: bool,
    /// The value the site uses.
    pub to: bool,
}

/// A conflict or warning.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code.
    pub code: FindingCode,
    /// The class concerned (empty for findings about the whole run).
    pub class: String,
    /// One sentence for people.
    pub message: String,
    /// For conflicts: `--force` named the class, so it was merged anyway.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub forced: bool,
}

/// Stable finding codes (serialised in kebab-case).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum FindingCode {
    /// Conflict: the target has a class of this name with a different definition.
    NameExists,
    /// Conflict: the target's SMS_def.mof uses this `SMS_Class_ID` for another class.
    ClassIdExists,
    /// Conflict: the reporting class reports properties its data class does not have.
    PropertyMissing,
    /// Conflict: the site's files define the class twice, differently.
    DuplicateDefinition,
    /// Warning: a reporting class with no data class in any input or in the target.
    NoDataClass,
    /// Warning: a custom data class nothing reports.
    NoReportingClass,
    /// Warning: a toggle whose class or property the target does not have.
    ToggleUnmatched,
    /// Warning: a stock class changed beyond `SMS_Report` switches (not migrated).
    StockClassModified,
    /// Warning: a class taken as stock (vendor `MICROSOFT`) that the target does not have.
    StockClassUnmatched,
    /// Warning: no baseline, so toggles on stock classes cannot be told apart.
    NoBaseline,
    /// Warning: the `root\CINV2` misspelling, read as `root\cimv2`.
    NamespaceTypo,
    /// Warning: `--force` named a class that is not a custom class of the site.
    ForceUnused,
}

impl FindingCode {
    /// The code as serialised, e.g. `name-exists`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            FindingCode::NameExists => "name-exists",
            FindingCode::ClassIdExists => "class-id-exists",
            FindingCode::PropertyMissing => "property-missing",
            FindingCode::DuplicateDefinition => "duplicate-definition",
            FindingCode::NoDataClass => "no-data-class",
            FindingCode::NoReportingClass => "no-reporting-class",
            FindingCode::ToggleUnmatched => "toggle-unmatched",
            FindingCode::StockClassModified => "stock-class-modified",
            FindingCode::StockClassUnmatched => "stock-class-unmatched",
            FindingCode::NoBaseline => "no-baseline",
            FindingCode::NamespaceTypo => "namespace-typo",
            FindingCode::ForceUnused => "force-unused",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_as_their_names() {
        for code in [
            FindingCode::NameExists,
            FindingCode::ClassIdExists,
            FindingCode::PropertyMissing,
            FindingCode::DuplicateDefinition,
            FindingCode::NoDataClass,
            FindingCode::NoReportingClass,
            FindingCode::ToggleUnmatched,
            FindingCode::StockClassModified,
            FindingCode::StockClassUnmatched,
            FindingCode::NoBaseline,
            FindingCode::NamespaceTypo,
            FindingCode::ForceUnused,
        ] {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }
}
