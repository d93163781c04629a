//! The Configuration Manager 2007 SP1 upgrade checklist (seed 004), each step with the status
//! the inventory supports: done, to do, cannot tell, or not applicable.
//!
//! Seed 004 is written for ConfigMgr 2007 sites taking SP1, and points to a separate checklist
//! for SMS 2003 sites; its steps are the ones an SMS 2003 → ConfigMgr 2007 SP1 upgrade with the
//! complete release goes through too, so they are applied to every site still to upgrade.
//! Steps about things the export does not record (backups, status messages, updates) are
//! "cannot tell", never "done".

use std::collections::BTreeSet;

use serde::Serialize;

use super::{Finding, SiteAssessment};
use crate::inventory::{Inventory, SiteCode, SiteProduct, SiteType};

/// A checklist step's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// The inventory shows the step is done (or nothing is left to do for it).
    Done,
    /// The inventory shows the step still has to be done.
    Todo,
    /// The inventory does not record what the step needs; check by hand.
    CannotTell,
    /// The step does not apply to this hierarchy.
    NotApplicable,
}

impl ItemStatus {
    /// `done`, `todo`, `cannot tell`, `n/a`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Todo => "todo",
            Self::CannotTell => "cannot tell",
            Self::NotApplicable => "n/a",
        }
    }
}

/// One step of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistItem {
    /// 1-based step number, in the checklist's order.
    pub step: usize,
    /// The step, as the checklist says it (shortened).
    pub text: &'static str,
    /// Its status.
    pub status: ItemStatus,
    /// Why that status, with figures from the inventory.
    pub note: String,
    /// The sites the note is about, in upgrade order.
    pub sites: Vec<SiteCode>,
}

/// Codes of the rules that check "the supported configurations" (step 1): their errors and
/// warnings make the step "to do"; their "cannot tell" twins make it "cannot tell".
const CONFIG_RULES: &[&str] = &[
    "A001", "A010", "A011", "A013", "A020", "A025", "A040", "A041", "A042",
];
const CONFIG_UNKNOWN: &[&str] = &["A012", "A014", "A022", "A026", "A043"];

struct Ctx<'a> {
    inv: &'a Inventory,
    sites: &'a [SiteAssessment],
    findings: &'a [Finding],
    items: Vec<ChecklistItem>,
}

impl Ctx<'_> {
    fn push(
        &mut self,
        text: &'static str,
        status: ItemStatus,
        note: impl Into<String>,
        sites: Vec<SiteCode>,
    ) {
        self.items.push(ChecklistItem {
            step: self.items.len() + 1,
            text,
            status,
            note: note.into(),
            sites,
        });
    }

    fn manual(&mut self, text: &'static str, note: &str) {
        self.push(text, ItemStatus::CannotTell, note, Vec::new());
    }

    /// The sites of `set` that the assessment has, in upgrade order.
    fn in_order(&self, set: &BTreeSet<SiteCode>) -> Vec<SiteCode> {
        self.sites
            .iter()
            .filter(|s| set.contains(&s.code))
            .map(|s| s.code)
            .collect()
    }

    /// Sites still to upgrade (not at ConfigMgr 2007 SP1), in upgrade order.
    fn to_upgrade(&self) -> Vec<SiteCode> {
        self.sites
            .iter()
            .filter(|s| !s.upgrade_path.at_target)
            .map(|s| s.code)
            .collect()
    }

    /// Sites running ConfigMgr 2007 already, in upgrade order.
    fn configmgr(&self) -> Vec<SiteCode> {
        self.sites
            .iter()
            .filter(|s| s.product == SiteProduct::ConfigMgr2007)
            .map(|s| s.code)
            .collect()
    }

    /// Sites (in upgrade order) with a finding whose code is in `codes`.
    fn sites_with(&self, codes: &[&str]) -> Vec<SiteCode> {
        self.sites
            .iter()
            .filter(|s| {
                self.findings
                    .iter()
                    .any(|f| f.site == s.code && codes.contains(&f.code))
            })
            .map(|s| s.code)
            .collect()
    }

    /// Primaries (in upgrade order) whose `sql_replication` is `value`.
    fn replication(&self, value: Option<bool>) -> Vec<SiteCode> {
        self.sites
            .iter()
            .filter(|s| s.site_type == SiteType::Primary)
            .filter(|s| {
                self.inv
                    .site(s.code)
                    .is_some_and(|x| x.sql_replication == value)
            })
            .map(|s| s.code)
            .collect()
    }
}

fn list(sites: &[SiteCode]) -> String {
    sites
        .iter()
        .map(SiteCode::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Fill in the checklist.
pub(crate) fn build(
    inv: &Inventory,
    sites: &[SiteAssessment],
    findings: &[Finding],
) -> Vec<ChecklistItem> {
    let mut cx = Ctx {
        inv,
        sites,
        findings,
        items: Vec::new(),
    };
    supported_configurations(&mut cx);
    cx.manual(
        "Check the site status messages for unresolved issues.",
        "site status is not in the inventory",
    );
    cx.manual(
        "Install critical Windows updates on site servers and site systems.",
        "installed updates are not in the inventory",
    );
    cx.manual(
        "Install critical SQL Server updates on site database servers.",
        "installed updates are not in the inventory",
    );
    let cm = cx.configmgr();
    if cm.is_empty() {
        cx.push(
            "Uninstall Windows AIK 1.0 from the SMS Provider computer and restart it.",
            ItemStatus::NotApplicable,
            "Windows AIK 1.0 comes with ConfigMgr 2007, and no site runs it yet",
            Vec::new(),
        );
    } else {
        cx.push(
            "Uninstall Windows AIK 1.0 from the SMS Provider computer and restart it.",
            ItemStatus::CannotTell,
            format!(
                "installed software is not in the inventory; ConfigMgr 2007 sites: {}",
                list(&cm)
            ),
            cm.clone(),
        );
    }
    let (on, unknown) = (cx.replication(Some(true)), cx.replication(None));
    let (status, note, at) = if !on.is_empty() {
        (
            ItemStatus::Todo,
            format!("replicated site databases: {}", list(&on)),
            on.clone(),
        )
    } else if !unknown.is_empty() {
        (
            ItemStatus::CannotTell,
            format!("replication not recorded for {}", list(&unknown)),
            unknown.clone(),
        )
    } else {
        (
            ItemStatus::Done,
            "no primary site's database is replicated".to_owned(),
            Vec::new(),
        )
    };
    cx.push("Disable SQL Server database replication.", status, note, at);
    cx.manual("Back up your sites.", "backups are not in the inventory");
    sms_client_hotfix(&mut cx);
    if cm.is_empty() {
        cx.push(
            "Upgrade WSUS to WSUS SP1 on software update points.",
            ItemStatus::NotApplicable,
            "software update points are a ConfigMgr role, and no site runs ConfigMgr yet",
            Vec::new(),
        );
    } else {
        cx.push(
            "Upgrade WSUS to WSUS SP1 on software update points.",
            ItemStatus::CannotTell,
            "site systems and their roles are not in the inventory",
            cm,
        );
    }
    cx.manual(
        "Back up a customised SMS_def.mof before the upgrade overwrites it.",
        "MOF files are not in the inventory; `smsmig mof migrate` carries customisations into ConfigMgr's files",
    );
    cx.manual(
        "Run the Setup Prerequisite Checker.",
        "`smsmig log prereq` reads the ConfigMgrPrereq.log it writes",
    );
    new_prerequisites(&mut cx);
    cx.manual(
        "Test the database upgrade on a copy of the site database.",
        "run `setup /testdbupgrade <copy>` from SMSSETUP\\BIN\\I386 against a copy, never the live database",
    );
    cx.manual(
        "Download prerequisite updates with `setup /download <path>` if the site server has no Internet access.",
        "Internet access of the site servers is not in the inventory",
    );
    procedure(&mut cx);
    clients(&mut cx);
    cx.items
}

// Step 1; seed 003 is the "supported configurations" document it points to.
fn supported_configurations(cx: &mut Ctx<'_>) {
    let failing = cx.sites_with(CONFIG_RULES);
    let unknown = cx.sites_with(CONFIG_UNKNOWN);
    let text = "Ensure the environment meets the supported configurations for ConfigMgr 2007 SP1.";
    if !failing.is_empty() {
        let mut codes: Vec<&str> = cx
            .findings
            .iter()
            .filter(|f| CONFIG_RULES.contains(&f.code))
            .map(|f| f.code)
            .collect();
        codes.sort_unstable();
        codes.dedup();
        let note = format!("findings {} at {}", codes.join(", "), list(&failing));
        cx.push(text, ItemStatus::Todo, note, failing);
    } else if !unknown.is_empty() {
        let note = format!("facts missing from the inventory at {}", list(&unknown));
        cx.push(text, ItemStatus::CannotTell, note, unknown);
    } else {
        cx.push(
            text,
            ItemStatus::Done,
            "no configuration findings",
            Vec::new(),
        );
    }
}

fn is_sms2003_client(c: &crate::inventory::Client) -> bool {
    c.client_installed
        && !c.obsolete
        && c.client_version
            .as_deref()
            .is_some_and(|v| v.starts_with("2.50"))
}

// Seed 004: "If you have SMS 2003 clients in the site, apply hotfix 945635."
fn sms_client_hotfix(cx: &mut Ctx<'_>) {
    let text = "Apply hotfix 945635 to sites that will have SMS 2003 clients.";
    let mut count = 0;
    let mut assigned: BTreeSet<SiteCode> = BTreeSet::new();
    for c in cx.inv.clients.iter().filter(|c| is_sms2003_client(c)) {
        count += 1;
        assigned.extend(c.assigned_site);
    }
    let at = cx.in_order(&assigned);
    if count == 0 {
        cx.push(
            text,
            ItemStatus::NotApplicable,
            "no active SMS 2003 clients",
            Vec::new(),
        );
        return;
    }
    let pending: Vec<SiteCode> = at
        .iter()
        .copied()
        .filter(|c| {
            cx.sites
                .iter()
                .any(|s| s.code == *c && s.product != SiteProduct::ConfigMgr2007)
        })
        .collect();
    let note = format!(
        "{count} active SMS 2003 client(s), assigned to {}",
        list(&at)
    );
    if pending.is_empty() {
        cx.push(
            text,
            ItemStatus::CannotTell,
            format!("{note}; installed hotfixes are not in the inventory"),
            at,
        );
    } else {
        cx.push(
            text,
            ItemStatus::Todo,
            format!("{note}; their sites are not upgraded yet"),
            at,
        );
    }
}

// Seed 004: WebDAV (management points, BITS-enabled distribution points) and RDC (site servers,
// branch distribution points) are not installed by default on Windows Server 2008.
fn new_prerequisites(cx: &mut Ctx<'_>) {
    let on_2008: Vec<SiteCode> = cx
        .sites
        .iter()
        .filter(|s| {
            cx.inv.site(s.code).is_some_and(|x| {
                x.server_os_version
                    .as_deref()
                    .is_some_and(|v| v.starts_with("6."))
            })
        })
        .map(|s| s.code)
        .collect();
    let note = if on_2008.is_empty() {
        "site systems other than the site servers are not in the inventory".to_owned()
    } else {
        format!(
            "site servers on Windows Server 2008 need RDC (and WebDAV where they are management \
             points or BITS-enabled distribution points): {}",
            list(&on_2008)
        )
    };
    cx.push(
        "Verify every site system meets the new prerequisites (WebDAV, RDC on Windows Server 2008).",
        ItemStatus::CannotTell,
        note,
        on_2008,
    );
}

// The steps of the upgrade itself: restart, run Setup top-down, replication back, verify,
// SMS_def.mof customisations back.
fn procedure(cx: &mut Ctx<'_>) {
    let todo = cx.to_upgrade();
    let pending = |cx: &mut Ctx<'_>, text: &'static str, note: String, done_note: &str| {
        if todo.is_empty() {
            cx.push(text, ItemStatus::Done, done_note, Vec::new());
        } else {
            cx.push(text, ItemStatus::Todo, note, todo.clone());
        }
    };
    pending(
        cx,
        "Restart the site servers and site systems before Setup.",
        format!("{} site(s) to upgrade", todo.len()),
        "every site already runs ConfigMgr 2007 SP1 or later",
    );
    pending(
        cx,
        "Run Setup on the central site first.",
        format!("sites to upgrade: {}", list(&todo)),
        "every site already runs ConfigMgr 2007 SP1 or later",
    );
    pending(
        cx,
        "Upgrade the rest of the hierarchy top-down: primaries, then their secondaries, consoles and clients.",
        format!("order: {}", todo.iter().map(SiteCode::as_str).collect::<Vec<_>>().join(" -> ")),
        "every site already runs ConfigMgr 2007 SP1 or later",
    );
    let (on, unknown) = (cx.replication(Some(true)), cx.replication(None));
    let text = "Reconfigure SQL Server database replication after the upgrade.";
    if !on.is_empty() {
        cx.push(
            text,
            ItemStatus::Todo,
            format!("replicated site databases: {}", list(&on)),
            on,
        );
    } else if !unknown.is_empty() {
        cx.push(
            text,
            ItemStatus::CannotTell,
            format!("replication not recorded for {}", list(&unknown)),
            unknown,
        );
    } else {
        cx.push(
            text,
            ItemStatus::NotApplicable,
            "no primary site's database is replicated",
            Vec::new(),
        );
    }
    pending(
        cx,
        "Verify that each site installed.",
        "`smsmig log setup` reads ConfigMgrSetup.log for \"Installation and configuration processes are done\"".to_owned(),
        "every site reports a ConfigMgr 2007 SP1 or later version",
    );
    cx.manual(
        "Add your SMS_def.mof customisations back on the upgraded site servers.",
        "MOF files are not in the inventory; `smsmig mof migrate` does this from the backup",
    );
}

// Seed 004: "Upgrade the clients. Clients do not automatically update as a result of the site
// upgrade."
fn clients(cx: &mut Ctx<'_>) {
    let text = "Upgrade the clients: they do not upgrade with the site.";
    let active: Vec<&crate::inventory::Client> = cx
        .inv
        .clients
        .iter()
        .filter(|c| c.client_installed && !c.obsolete)
        .collect();
    if active.is_empty() {
        cx.push(
            text,
            ItemStatus::NotApplicable,
            "no active clients in the inventory",
            Vec::new(),
        );
        return;
    }
    let old: Vec<&&crate::inventory::Client> = active
        .iter()
        .filter(|c| {
            c.client_version
                .as_deref()
                .is_some_and(|v| !v.starts_with("4."))
        })
        .collect();
    let unknown = active.iter().filter(|c| c.client_version.is_none()).count();
    let at = cx.in_order(&old.iter().filter_map(|c| c.assigned_site).collect());
    if !old.is_empty() {
        let note = format!(
            "{} of {} active client(s) run an SMS 2003 or older client",
            old.len(),
            active.len()
        );
        cx.push(text, ItemStatus::Todo, note, at);
    } else if unknown > 0 {
        cx.push(
            text,
            ItemStatus::CannotTell,
            format!("{unknown} active client(s) without a client version"),
            Vec::new(),
        );
    } else {
        cx.push(
            text,
            ItemStatus::Done,
            "every active client runs a ConfigMgr 2007 client",
            Vec::new(),
        );
    }
}
