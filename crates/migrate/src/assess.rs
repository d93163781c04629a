//! In-place upgrade assessment (DESIGN §4.3): can each SMS 2003 site be upgraded in place to
//! ConfigMgr 2007 SP1, in which order, what must be fixed first, and what the SP1 upgrade
//! checklist still asks for.
//!
//! Every rule is drawn from the seed documents (chapter 9 of the ConfigMgr 2007 migration book,
//! the SP1 supported configurations and the SP1 upgrade checklist); each rule's code cites its
//! seed in a comment. Where the inventory does not carry a fact a rule needs, the rule says so
//! with a "cannot tell" finding instead of guessing.
//!
//! Modules: `rule` (the catalogue — stable codes, severities, references: [`RULES`]), `site`
//! (one site's own facts: version and [`UpgradePath`], site server, SQL Server, security mode,
//! feature packs, replication, custom database objects), `clients` (legacy clients, operating
//! systems, GUID consistency), `order` (the top-down upgrade order and the hierarchy rules),
//! `strategy` (the per-site [`Recommendation`]: in place or side by side, with reasons) and
//! `checklist` (the SP1 upgrade checklist, [`ChecklistItem`]).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::inventory::{Inventory, SiteCode, SiteProduct, SiteType};

mod checklist;
mod clients;
mod order;
mod rule;
mod site;
mod strategy;

pub use checklist::{ChecklistItem, ItemStatus};
pub use rule::{Rule, Severity, RULES};
pub use site::{Release, UpgradePath};
pub use strategy::{Reason, ReasonKind, Recommendation, Strategy, RESTRUCTURING_NOTE};

/// How many clients (or groups) a finding lists before it only counts the rest.
pub const DEFAULT_EVIDENCE_LIMIT: usize = 10;

/// Options of an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// How many evidence items a finding lists; the rest are counted.
    pub evidence_limit: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            evidence_limit: DEFAULT_EVIDENCE_LIMIT,
        }
    }
}

/// The whole assessment of a hierarchy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// Site codes in the order to upgrade them: the central site, then primaries top-down, then
    /// secondaries after their parent primaries; sites with no place in the tree last.
    pub sites_in_upgrade_order: Vec<SiteCode>,
    /// Per-site results, in upgrade order.
    pub sites: Vec<SiteAssessment>,
    /// Every finding, grouped by site in upgrade order; within a site, most severe first, then
    /// by code.
    pub findings: Vec<Finding>,
    /// The SP1 upgrade checklist (seed 004) with each step's status.
    pub checklist: Vec<ChecklistItem>,
    /// Notes on the whole hierarchy that the inventory cannot decide.
    pub notes: Vec<String>,
}

/// One site's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteAssessment {
    /// Site code.
    pub code: SiteCode,
    /// Site name.
    pub name: String,
    /// Primary or secondary.
    pub site_type: SiteType,
    /// Parent site, `None` for the central site.
    pub parent: Option<SiteCode>,
    /// 1-based position in the upgrade order.
    pub step: usize,
    /// The product the site runs now.
    pub product: SiteProduct,
    /// Version string as exported.
    pub version: String,
    /// How the site reaches ConfigMgr 2007 SP1 (seed 003's upgrade-path table).
    pub upgrade_path: UpgradePath,
    /// Ready, ready with warnings, or blocked.
    pub verdict: Verdict,
    /// Findings of this site by severity.
    pub counts: Counts,
    /// Codes of the rules that could not tell from the inventory, sorted.
    pub cannot_tell: Vec<&'static str>,
    /// In place or side by side, with reasons.
    pub recommendation: Recommendation,
}

/// Number of findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Errors.
    pub error: usize,
    /// Warnings.
    pub warning: usize,
    /// Informational findings.
    pub info: usize,
}

/// A site's readiness for the in-place upgrade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No errors and no warnings (facts the inventory cannot tell are listed separately).
    Ready,
    /// Warnings only: setup will run, but they should be fixed first.
    ReadyWithWarnings,
    /// At least one error: setup will fail, or the site cannot be upgraded yet.
    Blocked,
}

impl Verdict {
    /// `ready`, `ready with warnings`, `blocked`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ready => "ready",
            Self::ReadyWithWarnings => "ready with warnings",
            Self::Blocked => "blocked",
        }
    }
}

/// One finding of one rule at one site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule's stable code, e.g. `A020`.
    pub code: &'static str,
    /// Severity (from the rule).
    pub severity: Severity,
    /// The site the finding is about.
    pub site: SiteCode,
    /// True when the inventory lacks the fact the rule needs: the finding says what to check
    /// by hand rather than what is wrong.
    pub cannot_tell: bool,
    /// One line saying what was found.
    pub title: String,
    /// What in the inventory shows it.
    pub evidence: Evidence,
    /// What to do, in one or two sentences.
    pub fix: String,
    /// The document and section the rule comes from.
    pub reference: &'static str,
}

/// What in the inventory shows a finding: a one-line summary and, for findings about clients
/// (or groups of clients), the first few items with the rest counted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// One line of facts, e.g. `SQL Server SATSQL01 version 8.00.2039, SP4`.
    pub summary: String,
    /// The first items (clients, duplicate groups), at most the evidence limit.
    pub items: Vec<EvidenceItem>,
    /// How many items there are in all (`total - items.len()` were left out).
    pub total: usize,
}

/// One listed item of evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceItem {
    /// Resource ID, when the item is one client.
    pub resource_id: Option<u32>,
    /// Client name, or the shared GUID / hardware ID of a group.
    pub name: String,
    /// The facts about it.
    pub detail: String,
}

impl Evidence {
    /// Evidence with a summary and no items.
    pub fn summary(summary: impl Into<String>) -> Self {
        Self {
            summary: summary.into(),
            items: Vec::new(),
            total: 0,
        }
    }

    /// Evidence listing `items` (already in a stable order), keeping the first `limit`.
    pub fn listing(summary: impl Into<String>, items: Vec<EvidenceItem>, limit: usize) -> Self {
        let total = items.len();
        let mut items = items;
        items.truncate(limit);
        Self {
            summary: summary.into(),
            items,
            total,
        }
    }

    /// How many items were left out.
    pub fn more(&self) -> usize {
        self.total.saturating_sub(self.items.len())
    }
}

impl Finding {
    /// A finding of `rule` at `site`; severity, code, reference and "cannot tell" come from
    /// the rule.
    pub fn new(
        rule: Rule,
        site: SiteCode,
        title: impl Into<String>,
        evidence: Evidence,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            code: rule.code(),
            severity: rule.severity(),
            site,
            cannot_tell: rule.cannot_tell(),
            title: title.into(),
            evidence,
            fix: fix.into(),
            reference: rule.reference(),
        }
    }
}

impl Assessment {
    /// The result of one site.
    pub fn site(&self, code: SiteCode) -> Option<&SiteAssessment> {
        self.sites.iter().find(|s| s.code == code)
    }

    /// The findings of one site, in report order.
    pub fn findings_of(&self, code: SiteCode) -> impl Iterator<Item = &Finding> + '_ {
        self.findings.iter().filter(move |f| f.site == code)
    }

    /// True when any site is blocked.
    pub fn any_blocked(&self) -> bool {
        self.sites.iter().any(|s| s.verdict == Verdict::Blocked)
    }
}

/// Assess `inv` with the default options.
pub fn assess(inv: &Inventory) -> Assessment {
    assess_with(inv, &Options::default())
}

/// Assess `inv`: run every rule on every site, order the sites top-down, propagate blocked
/// parents to their children, recommend a strategy per site and fill in the checklist.
pub fn assess_with(inv: &Inventory, options: &Options) -> Assessment {
    let plan = order::upgrade_order(inv);
    let client_index = clients::ClientIndex::new(inv);
    let mut findings: Vec<Finding> = Vec::new();
    let mut sites: Vec<SiteAssessment> = Vec::with_capacity(plan.order.len());
    // Error codes of the blocked sites so far: the parent-blocked rule reads its parent's.
    let mut blocked: BTreeMap<SiteCode, Vec<&'static str>> = BTreeMap::new();
    for (i, &code) in plan.order.iter().enumerate() {
        let Some(s) = inv.site(code) else { continue };
        let mut own = site::check(inv, s);
        if !UpgradePath::of(s).at_target {
            own.extend(clients::check(inv, s, &client_index, options));
        }
        own.extend(order::check(inv, s, &plan, &blocked));
        sort_findings(&mut own);
        let counts = count(&own);
        let verdict = verdict_of(&counts);
        if verdict == Verdict::Blocked {
            let mut errors: Vec<&'static str> = own
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .map(|f| f.code)
                .collect();
            errors.sort_unstable();
            errors.dedup();
            blocked.insert(code, errors);
        }
        let mut cannot_tell: Vec<&'static str> = own
            .iter()
            .filter(|f| f.cannot_tell)
            .map(|f| f.code)
            .collect();
        cannot_tell.sort_unstable();
        cannot_tell.dedup();
        let recommendation = strategy::recommend(s, client_index.assigned_to(code), &own);
        sites.push(SiteAssessment {
            code,
            name: s.name.clone(),
            site_type: s.site_type,
            parent: s.parent,
            step: i + 1,
            product: s.product(),
            version: s.version.clone(),
            upgrade_path: UpgradePath::of(s),
            verdict,
            counts,
            cannot_tell,
            recommendation,
        });
        findings.extend(own);
    }
    let checklist = checklist::build(inv, &sites, &findings);
    Assessment {
        sites_in_upgrade_order: plan.order,
        sites,
        findings,
        checklist,
        notes: vec![strategy::RESTRUCTURING_NOTE.to_owned()],
    }
}

/// Most severe first, then by code, then by title (several findings of one rule at one site).
fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.code.cmp(b.code))
            .then_with(|| a.title.cmp(&b.title))
    });
}

fn count(findings: &[Finding]) -> Counts {
    let mut c = Counts::default();
    for f in findings {
        match f.severity {
            Severity::Error => c.error += 1,
            Severity::Warning => c.warning += 1,
            Severity::Info => c.info += 1,
        }
    }
    c
}

fn verdict_of(counts: &Counts) -> Verdict {
    if counts.error > 0 {
        Verdict::Blocked
    } else if counts.warning > 0 {
        Verdict::ReadyWithWarnings
    } else {
        Verdict::Ready
    }
}

#[cfg(test)]
mod tests;
