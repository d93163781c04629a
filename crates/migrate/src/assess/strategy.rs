//! The per-site recommendation: upgrade in place, or consider a side-by-side migration.
//!
//! Seed 002 ("Planning Your Migration from SMS 2003"): an in-place upgrade is simpler, but a
//! side-by-side migration is worth considering for
//! - **restructuring** the hierarchy ("the most compelling reason");
//! - a **mixed environment** kept for an extended period, e.g. for older clients ConfigMgr 2007
//!   does not support (Windows 98, Windows NT);
//! - **hardware upgrades** of the site server, which make in place less compelling.
//!
//! "Choosing your migration strategies is not an all-or-nothing decision", so the choice is
//! made per site. Of the three reasons the inventory can show two — unsupported clients and a
//! site server that must be rebuilt; restructuring depends on the target hierarchy, which the
//! assessment does not have, so it is left as a note.

use serde::Serialize;

use super::rule::Rule;
use super::Finding;
use crate::inventory::{Client, Site, SiteProduct, SiteType};

/// What the inventory cannot show about the choice, for the whole hierarchy (seed 002).
pub const RESTRUCTURING_NOTE: &str = "Restructuring the hierarchy is the most compelling reason \
    for a side-by-side migration; the inventory cannot tell whether you plan it. The choice need \
    not be the same for every site.";

/// The recommended strategy for one site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Upgrade the site in place (after fixing its findings).
    InPlace,
    /// The inventory shows reasons to consider a side-by-side migration.
    ConsiderSideBySide,
    /// The site already runs ConfigMgr 2007.
    AlreadyConfigMgr,
}

impl Strategy {
    /// `in place`, `consider side by side`, `already ConfigMgr 2007`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InPlace => "in place",
            Self::ConsiderSideBySide => "consider side by side",
            Self::AlreadyConfigMgr => "already ConfigMgr 2007",
        }
    }
}

/// Which of seed 002's reasons for a side-by-side migration applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    /// Clients ConfigMgr 2007 does not support would keep an SMS 2003 site alive.
    MixedEnvironment,
    /// The site server must be rebuilt or replaced.
    Hardware,
}

impl ReasonKind {
    /// `mixed environment`, `hardware`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MixedEnvironment => "mixed environment",
            Self::Hardware => "hardware",
        }
    }
}

/// One reason, with the evidence behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// Which reason.
    pub kind: ReasonKind,
    /// What in the assessment shows it.
    pub detail: String,
}

/// The recommendation for one site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recommendation {
    /// In place, side by side, or nothing to do.
    pub strategy: Strategy,
    /// Reasons for side by side (empty for in place).
    pub reasons: Vec<Reason>,
    /// Things that bear on the choice but that the inventory cannot decide.
    pub notes: Vec<String>,
}

/// Recommend a strategy for `site` from its own findings.
pub(crate) fn recommend(site: &Site, assigned: &[&Client], findings: &[Finding]) -> Recommendation {
    if site.product() == SiteProduct::ConfigMgr2007 {
        return Recommendation {
            strategy: Strategy::AlreadyConfigMgr,
            reasons: Vec::new(),
            notes: Vec::new(),
        };
    }
    let mut reasons = Vec::new();
    // Seed 002's example of clients that keep a mixed environment alive: "Windows 98 or Windows
    // NT systems" — operating systems older than Windows 2000 (build 2195), which no service
    // pack or client upgrade brings into support. Legacy clients on Windows 2000 or later, and
    // XP SP1, can be fixed in place and are not a reason.
    let mut old: Vec<&str> = assigned
        .iter()
        .filter(|c| c.client_installed && !c.obsolete && c.os_build.is_some_and(|b| b < 2195))
        .map(|c| c.os_name.as_deref().unwrap_or("an OS before Windows 2000"))
        .collect();
    let count = old.len();
    old.sort_unstable();
    old.dedup();
    if count > 0 {
        reasons.push(Reason {
            kind: ReasonKind::MixedEnvironment,
            detail: format!(
                "{count} client(s) run an operating system older than Windows 2000 ({}), which \
                 ConfigMgr 2007 does not support; to keep managing them, an SMS 2003 site must \
                 stay beside the ConfigMgr sites",
                old.join(", ")
            ),
        });
    }
    if findings
        .iter()
        .any(|f| f.code == Rule::ServerOsUnsupported.code())
    {
        reasons.push(Reason {
            kind: ReasonKind::Hardware,
            detail: format!(
                "site server {} needs a supported operating system first; if it is rebuilt \
                 or replaced anyway, a new ConfigMgr site beside it is less extra work",
                site.server_name
            ),
        });
    }
    let mut notes = Vec::new();
    if site.site_type == SiteType::Secondary {
        notes.push(
            "a branch distribution point can replace a secondary site in many scenarios".to_owned(),
        );
    }
    if findings
        .iter()
        .any(|f| f.code == Rule::SourceVersionUnsupported.code())
    {
        notes.push("in place first needs SMS 2003 SP2 or SP3 on this site".to_owned());
    }
    Recommendation {
        strategy: if reasons.is_empty() {
            Strategy::InPlace
        } else {
            Strategy::ConsiderSideBySide
        },
        reasons,
        notes,
    }
}
