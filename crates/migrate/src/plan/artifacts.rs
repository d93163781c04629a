//! The files that carry out a verified plan (DESIGN §4.4, "Artifacts"):
//!
//! | path | what |
//! |---|---|
//! | `plan.md` | the plan to read, with a checklist per phase and wave |
//! | `boundaries/<SITE>.csv` | per site: the boundaries to remove (SMS) or add (ConfigMgr) |
//! | `objects/<SITE>-<kind>.mof` | per import step: the objects, for `mofcomp` |
//! | `waves/wave-NN/reassign-<SITE>.vbs` | `Microsoft.SMS.Client` `SetAssignedSite` |
//! | `waves/wave-NN/reassign-<SITE>.cmd` | `CCMSETUP.EXE /noservice SMSSITECODE=<SITE>` |
//! | `waves/wave-NN/clients-<SITE>.csv` | the clients that wave reassigns to that site |
//! | `wsus-wmi-filter.txt` | the WMI filter that keeps WSUS GPOs off ConfigMgr clients |
//!
//! Scripts and work lists use CRLF line endings; MOFs are UTF-16LE with a byte-order mark, as
//! `mofcomp` prefers; CSVs are UTF-8 with a byte-order mark so spreadsheets read them right.
//! Every interpolated value goes through [`escape`] for its language.

pub mod escape;
mod markdown;
mod mof;
mod scripts;
mod worklist;

use std::fmt::Write as _;

pub use escape::EscapeError;

use super::model::{ObjectKind, Plan};
use super::verify::Verification;
use crate::inventory::{Inventory, SiteCode};

/// How an artifact's text is encoded on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArtifactEncoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark.
    Utf8Bom,
    /// UTF-16LE with a byte-order mark.
    Utf16LeBom,
}

/// One file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// Relative path with `/` separators.
    pub path: String,
    /// The text, line endings included.
    pub text: String,
    /// Encoding on disk.
    pub encoding: ArtifactEncoding,
}

impl Artifact {
    /// The bytes to write.
    pub fn bytes(&self) -> Vec<u8> {
        match self.encoding {
            ArtifactEncoding::Utf8 => self.text.as_bytes().to_vec(),
            ArtifactEncoding::Utf8Bom => {
                let mut out = vec![0xEF, 0xBB, 0xBF];
                out.extend_from_slice(self.text.as_bytes());
                out
            }
            ArtifactEncoding::Utf16LeBom => {
                let mut out = vec![0xFF, 0xFE];
                for unit in self.text.encode_utf16() {
                    out.extend_from_slice(&unit.to_le_bytes());
                }
                out
            }
        }
    }
}

/// Why artifacts are not produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ArtifactError {
    /// The plan failed verification.
    #[error("the plan breaks {violations} invariant(s); no artifacts are written")]
    NotVerified {
        /// Number of violations.
        violations: usize,
    },
    /// The plan has error findings.
    #[error("the plan has {count} error finding(s); no artifacts are written")]
    ErrorFindings {
        /// Number of error findings.
        count: usize,
    },
    /// A value cannot be written safely into a file.
    #[error("{path}: {source}")]
    Escape {
        /// The artifact.
        path: String,
        /// Why.
        #[source]
        source: EscapeError,
    },
}

/// The artifacts of `plan`, which `verification` (of this plan) must have passed.
///
/// # Errors
/// [`ArtifactError::NotVerified`] or [`ArtifactError::ErrorFindings`] for a plan that must not
/// be carried out; [`ArtifactError::Escape`] when a value cannot be written safely.
pub fn artifacts(
    inv: &Inventory,
    plan: &Plan,
    verification: &Verification,
) -> Result<Vec<Artifact>, ArtifactError> {
    if !verification.passed() {
        return Err(ArtifactError::NotVerified {
            violations: verification.violations.len(),
        });
    }
    if plan.error_count() > 0 {
        return Err(ArtifactError::ErrorFindings {
            count: plan.error_count(),
        });
    }
    let mut out = vec![Artifact {
        path: "plan.md".to_owned(),
        text: markdown::plan_md(inv, plan, &verification.after),
        encoding: ArtifactEncoding::Utf8,
    }];
    out.extend(worklist::boundary_lists(inv, plan));
    out.extend(mof::object_mofs(inv, plan));
    out.extend(scripts::reassignment_scripts(inv, plan)?);
    out.push(Artifact {
        path: WMI_FILTER.to_owned(),
        text: wmi_filter(plan),
        encoding: ArtifactEncoding::Utf8,
    });
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Path of the WSUS WMI filter.
pub const WMI_FILTER: &str = "wsus-wmi-filter.txt";

/// Path of the MOF of one import step.
pub fn mof_path(site: SiteCode, kind: ObjectKind) -> String {
    format!("objects/{site}-{}.mof", kind.as_str())
}

/// Path of a site's boundary work list.
pub fn worklist_path(site: SiteCode) -> String {
    format!("boundaries/{site}.csv")
}

/// Path of a wave's file for one new primary: `reassign` (`.vbs`, `.cmd`) or `clients` (`.csv`).
pub fn wave_path(wave: u32, what: &str, site: SiteCode, ext: &str) -> String {
    format!("waves/wave-{wave:02}/{what}-{site}.{ext}")
}

/// The WMI filter of seed 002 ("Migrating WSUS to Configuration Manager"), with how to use it.
fn wmi_filter(plan: &Plan) -> String {
    let mut t = String::new();
    let mut line = |s: &str| {
        t.push_str(s);
        t.push_str("\r\n");
    };
    line("# WMI filter that keeps WSUS group policies off ConfigMgr 2007 clients");
    line("# (ConfigMgr clients take software-update policy from their site, not from AD).");
    line("# GPMC > WMI Filters > New > Add: namespace root\\CCM, the query after the `;` below;");
    line("# then link the filter to every WSUS policy. The policy applies where the query");
    line("# returns a row: SMS 2003 Advanced Clients (version 2.50) get it, ConfigMgr clients");
    line("# (version 4.x) do not. Computers without any SMS client have no root\\CCM, so the");
    line("# filter is false there too: keep a separate policy for WSUS-only computers.");
    line("Root\\CCM;Select * from SMS_Client where ClientVersion not like '4.%'");
    line("#");
    line("# Alternatives, one per new primary site: apply a policy to every client not");
    line("# assigned to that site.");
    for site in plan
        .sites
        .iter()
        .filter(|s| s.site_type == crate::inventory::SiteType::Primary)
    {
        // Site codes are A-Z0-9 only: nothing in them is special to WQL or LIKE.
        let mut l = String::new();
        let _ = write!(
            l,
            "# Root\\CCM;Select * from SMS_Client where SMS_Authority not like 'SMS:{}'",
            site.code
        );
        line(&l);
    }
    t
}

/// Join lines with CRLF, ending with one.
fn crlf(lines: &[String]) -> String {
    let mut t = String::new();
    for l in lines {
        t.push_str(l);
        t.push_str("\r\n");
    }
    t
}
