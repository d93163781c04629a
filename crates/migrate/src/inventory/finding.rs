//! Findings of a load: problems in the data that do not stop it (duplicates, dangling
//! references, an inconsistent site tree), each tied to a file and line.

use std::fmt;

use serde::Serialize;

use super::model::{BoundaryKind, SiteCode};

/// How serious a finding is. One scale for every finding about an estate: a load's (here), the
/// assessment's (`assess::Severity`) and the plan's (`plan::Severity`) are this type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing, or a fact to check by hand: nothing is wrong with the data, and the
    /// assessment's verdict does not change.
    Info,
    /// The data is incomplete or inconsistent (the record was kept, or skipped as said); for an
    /// assessment, Setup will run but this should be fixed before the upgrade.
    Warning,
    /// The data is ambiguous (e.g. two rows with one key) and results may be wrong; for an
    /// assessment, Setup will fail or the site cannot be upgraded yet; for a plan, it must not
    /// be carried out as it stands.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        })
    }
}

/// What was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum FindingKind {
    /// An optional file is absent; its table is treated as empty.
    MissingFile,
    /// A second row with the same key; the first row is kept, this one dropped.
    DuplicateKey {
        /// The key, e.g. `HOU` or `16777220` or `HOU00003/Install`.
        key: String,
        /// Line of the row that was kept.
        first_line: u64,
    },
    /// A value refers to something the export does not contain.
    DanglingReference {
        /// Column holding the reference.
        column: &'static str,
        /// The value.
        value: String,
        /// What it should name: `site`, `collection`, `package`, `program`, `resource`.
        target: &'static str,
        /// Whether the row was skipped (it could not be attached) or kept.
        skipped: bool,
    },
    /// No site without a parent: the hierarchy has no central site.
    NoCentralSite,
    /// More than one site without a parent.
    SeveralCentralSites {
        /// Their codes, sorted.
        codes: Vec<SiteCode>,
    },
    /// A site is its own ancestor.
    ParentCycle {
        /// A site on the cycle.
        code: SiteCode,
    },
    /// A secondary site without a parent.
    SecondaryWithoutParent {
        /// The secondary site.
        code: SiteCode,
    },
    /// A site reports to a secondary site, which SMS does not allow.
    ParentIsSecondary {
        /// The child site.
        code: SiteCode,
        /// Its secondary parent.
        parent: SiteCode,
    },
    /// A site boundary of a kind SMS 2003 only had as a roaming boundary (an IP range or an
    /// IPv6 prefix); the row is kept as a site boundary.
    UnsupportedSiteBoundary {
        /// The SMS 2003 site.
        site: SiteCode,
        /// The boundary's kind.
        boundary_kind: BoundaryKind,
        /// The value.
        value: String,
    },
    /// Two rows for one key give a column different values; the first is kept. (Rows that only
    /// complete each other are merged without a finding.)
    ConflictingValue {
        /// The key, e.g. `HOU`.
        key: String,
        /// The column.
        column: &'static str,
        /// The value kept (from the first row that has one).
        kept: String,
        /// This row's value, dropped.
        dropped: String,
        /// Line of the row whose value was kept.
        first_line: u64,
    },
    /// A resource is assigned to more than one site; the first row is kept.
    SeveralAssignedSites {
        /// Resource ID.
        resource_id: u32,
        /// Site kept.
        kept: SiteCode,
        /// Site dropped.
        dropped: SiteCode,
    },
}

/// One finding, located in the export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Severity.
    pub severity: Severity,
    /// File name inside the inventory directory.
    pub file: &'static str,
    /// Line of the row (1-based), when the finding is about one row.
    pub line: Option<u64>,
    /// What was found.
    #[serde(flatten)]
    pub kind: FindingKind,
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingFile => f.write_str("file is absent; treated as empty"),
            Self::DuplicateKey { key, first_line } => write!(
                f,
                "duplicate key `{key}` (first on line {first_line}); this row is ignored"
            ),
            Self::DanglingReference {
                column,
                value,
                target,
                skipped,
            } => {
                write!(f, "{column} `{value}` names no {target} in the export")?;
                if *skipped {
                    f.write_str("; row skipped")?;
                }
                Ok(())
            }
            Self::NoCentralSite => f.write_str("no site without a parent: no central site"),
            Self::SeveralCentralSites { codes } => {
                let list: Vec<&str> = codes.iter().map(SiteCode::as_str).collect();
                write!(f, "several sites without a parent: {}", list.join(", "))
            }
            Self::ParentCycle { code } => write!(f, "site {code} is its own ancestor"),
            Self::SecondaryWithoutParent { code } => {
                write!(f, "secondary site {code} has no parent")
            }
            Self::ParentIsSecondary { code, parent } => {
                write!(f, "site {code} reports to {parent}, a secondary site")
            }
            Self::UnsupportedSiteBoundary {
                site,
                boundary_kind,
                value,
            } => write!(
                f,
                "{site} has {} `{value}` as a site boundary, but SMS 2003 site boundaries are IP \
                 subnets and Active Directory sites only; kept as a site boundary: check whether \
                 it is one of the site's roaming boundaries",
                boundary_kind.as_str()
            ),
            Self::ConflictingValue {
                key,
                column,
                kept,
                dropped,
                first_line,
            } => write!(
                f,
                "{column} of `{key}` is `{kept}` on line {first_line} and `{dropped}` here; \
                 `{kept}` kept"
            ),
            Self::SeveralAssignedSites {
                resource_id,
                kept,
                dropped,
            } => write!(
                f,
                "resource {resource_id} is assigned to {kept} and {dropped}; {kept} kept"
            ),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}: {}", self.file, self.severity, self.kind),
            None => write!(f, "{}: {}: {}", self.file, self.severity, self.kind),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_with_location() {
        let finding = Finding {
            severity: Severity::Warning,
            file: "clients.csv",
            line: Some(7),
            kind: FindingKind::DanglingReference {
                column: "SMS_Assigned_Sites0",
                value: "XYZ".into(),
                target: "site",
                skipped: false,
            },
        };
        assert_eq!(
            finding.to_string(),
            "clients.csv:7: warning: SMS_Assigned_Sites0 `XYZ` names no site in the export"
        );
        let json = serde_json::to_value(&finding).unwrap();
        assert_eq!(json["kind"], "dangling_reference");
        assert_eq!(json["severity"], "warning");
    }
}
