//! The plan: new sites, ordered steps with dependencies, findings, and the objects carried.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use super::overlap::SubnetMasks;
use crate::inventory::{BoundaryKind, BoundaryValue, RoamingKind, SiteCode, SiteType};

pub use super::finding::FindingKind;
pub use crate::inventory::Severity;

/// `text` with control characters escaped (`\n`, `\u{1b}`), so that a name from the inventory
/// or target stays on one line and cannot drive a terminal; everything else as written.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// A ConfigMgr 2007 site the target asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewSite {
    /// New site code (never one of the SMS hierarchy's codes).
    pub code: SiteCode,
    /// Site name.
    pub name: String,
    /// Parent ConfigMgr site; `None` for the central site.
    pub parent: Option<SiteCode>,
    /// Site server (NetBIOS or DNS name), validated as a host name.
    pub server: String,
    /// Primary or secondary.
    pub site_type: SiteType,
}

/// One wave of boundary moves and client reassignments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaveInfo {
    /// Wave number, from 1 in target order.
    pub number: u32,
    /// Name from the target, if any.
    pub name: Option<String>,
    /// Replication wait after the wave's removals, in minutes.
    pub wait_minutes: u32,
}

/// A boundary as a step names it: kind, value as written, and roaming status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoundaryRef {
    /// Kind of value.
    pub kind: BoundaryKind,
    /// The value as the inventory (or target) spells it.
    pub value: String,
    /// `None` for a site boundary; `Some` for a roaming-boundary entry. On an add to a
    /// ConfigMgr site: the roaming status of the SMS entry it came from.
    pub roaming: Option<RoamingKind>,
    /// The parsed value.
    #[serde(skip)]
    pub parsed: BoundaryValue,
}

impl BoundaryRef {
    /// The reference of an inventory boundary.
    pub fn of(b: &crate::inventory::Boundary) -> Self {
        Self {
            kind: b.kind,
            value: b.value.clone(),
            roaming: b.roaming,
            parsed: b.parsed.clone(),
        }
    }
}

impl fmt::Display for BoundaryRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let roaming = match self.roaming {
            None => "",
            Some(RoamingKind::Local) => " (local roaming)",
            Some(RoamingKind::Remote) => " (remote roaming)",
        };
        write!(
            f,
            "{} {}{roaming}",
            self.kind.as_str(),
            visible(&self.value)
        )
    }
}

/// A ConfigMgr 2007 boundary's network connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Connection {
    /// Fast (LAN): SMS site boundaries and local roaming boundaries.
    Fast,
    /// Slow or unreliable: SMS remote roaming boundaries.
    Slow,
}

/// The phase a step belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Building the new sites.
    Build,
    /// Exporting and importing database objects.
    Objects,
    /// A wave: boundaries and clients.
    Wave,
    /// Decommissioning the old sites.
    Cleanup,
}

/// The kinds of SMS database objects carried, in import order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    /// Collections and their subcollection links.
    Collections,
    /// Packages.
    Packages,
    /// Programs of packages.
    Programs,
    /// Advertisements.
    Advertisements,
    /// Queries (do not replicate down).
    Queries,
    /// Web reports (do not replicate down).
    Reports,
}

impl ObjectKind {
    /// Every kind in import order.
    pub const ALL: [Self; 6] = [
        Self::Collections,
        Self::Packages,
        Self::Programs,
        Self::Advertisements,
        Self::Queries,
        Self::Reports,
    ];

    /// `n` objects of this kind in words: `1 collection`, `3 queries`.
    pub fn count(self, n: usize) -> String {
        let one = match self {
            Self::Collections => "collection",
            Self::Packages => "package",
            Self::Programs => "program",
            Self::Advertisements => "advertisement",
            Self::Queries => "query",
            Self::Reports => "report",
        };
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {}", self.as_str())
        }
    }

    /// Lower-case plural name, as in file names and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Collections => "collections",
            Self::Packages => "packages",
            Self::Programs => "programs",
            Self::Advertisements => "advertisements",
            Self::Queries => "queries",
            Self::Reports => "reports",
        }
    }
}

/// One SMS database object.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ObjectRef {
    /// A collection by ID.
    Collection {
        /// Collection ID.
        id: String,
    },
    /// A parent → subcollection link (`SMS_CollectToSubCollect`).
    SubcollectionLink {
        /// Parent collection ID.
        parent: String,
        /// Subcollection ID.
        child: String,
    },
    /// A package by ID.
    Package {
        /// Package ID.
        id: String,
    },
    /// A program of a package.
    Program {
        /// Package ID.
        package: String,
        /// Program name.
        name: String,
    },
    /// An advertisement by ID.
    Advertisement {
        /// Advertisement ID.
        id: String,
    },
    /// A query by ID.
    Query {
        /// Query ID.
        id: String,
    },
    /// A web report by ID.
    Report {
        /// Report ID.
        id: u32,
    },
}

impl ObjectRef {
    /// The kind of import step this object belongs to.
    pub fn kind(&self) -> ObjectKind {
        match self {
            Self::Collection { .. } | Self::SubcollectionLink { .. } => ObjectKind::Collections,
            Self::Package { .. } => ObjectKind::Packages,
            Self::Program { .. } => ObjectKind::Programs,
            Self::Advertisement { .. } => ObjectKind::Advertisements,
            Self::Query { .. } => ObjectKind::Queries,
            Self::Report { .. } => ObjectKind::Reports,
        }
    }
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Collection { id } => write!(f, "collection {}", visible(id)),
            Self::SubcollectionLink { parent, child } => write!(
                f,
                "subcollection link {} -> {}",
                visible(parent),
                visible(child)
            ),
            Self::Package { id } => write!(f, "package {}", visible(id)),
            Self::Program { package, name } => write!(
                f,
                "program \"{}\" of package {}",
                visible(name),
                visible(package)
            ),
            Self::Advertisement { id } => write!(f, "advertisement {}", visible(id)),
            Self::Query { id } => write!(f, "query {}", visible(id)),
            Self::Report { id } => write!(f, "report {id}"),
        }
    }
}

/// The objects a plan carries, each list in import order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ObjectSet {
    /// Collections, limiting collections first, then subcollection links.
    pub collections: Vec<ObjectRef>,
    /// Packages.
    pub packages: Vec<ObjectRef>,
    /// Programs, a program's dependent program first.
    pub programs: Vec<ObjectRef>,
    /// Advertisements.
    pub advertisements: Vec<ObjectRef>,
    /// Queries.
    pub queries: Vec<ObjectRef>,
    /// Reports.
    pub reports: Vec<ObjectRef>,
}

impl ObjectSet {
    /// The list of one kind.
    pub fn of(&self, kind: ObjectKind) -> &[ObjectRef] {
        match kind {
            ObjectKind::Collections => &self.collections,
            ObjectKind::Packages => &self.packages,
            ObjectKind::Programs => &self.programs,
            ObjectKind::Advertisements => &self.advertisements,
            ObjectKind::Queries => &self.queries,
            ObjectKind::Reports => &self.reports,
        }
    }

    /// Total number of objects (links included).
    pub fn len(&self) -> usize {
        ObjectKind::ALL.iter().map(|k| self.of(*k).len()).sum()
    }

    /// True when nothing is carried.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What a step does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Install a new ConfigMgr site (attached to its parent, if any).
    CreateSite {
        /// The new site.
        site: SiteCode,
    },
    /// Export objects from the SMS site that owns them.
    ExportObjects {
        /// SMS site.
        site: SiteCode,
        /// Kind.
        kind: ObjectKind,
        /// The objects, in import order.
        objects: Vec<ObjectRef>,
    },
    /// Import objects into a ConfigMgr site (the step's MOF artifact).
    ImportObjects {
        /// ConfigMgr site.
        site: SiteCode,
        /// Kind.
        kind: ObjectKind,
        /// The objects, in import order.
        objects: Vec<ObjectRef>,
    },
    /// Delete a site or roaming boundary from an SMS site.
    RemoveBoundary {
        /// SMS site.
        site: SiteCode,
        /// The entry.
        boundary: BoundaryRef,
    },
    /// Wait for the removals to replicate through the SMS hierarchy.
    WaitReplication {
        /// Minutes to wait.
        minutes: u32,
    },
    /// Add a boundary to a ConfigMgr site.
    AddBoundary {
        /// ConfigMgr site.
        site: SiteCode,
        /// The boundary.
        boundary: BoundaryRef,
        /// Network connection.
        connection: Connection,
    },
    /// Reassign clients to a ConfigMgr primary site.
    ReassignClients {
        /// The site they are assigned to now (`None`: unassigned).
        from_site: Option<SiteCode>,
        /// The ConfigMgr primary site.
        to_site: SiteCode,
        /// Resource IDs, sorted.
        clients: Vec<u32>,
    },
    /// Uninstall an SMS site.
    DecommissionSite {
        /// SMS site.
        site: SiteCode,
    },
    /// Remove what the old site published in Active Directory (System Management container)
    /// and WINS (the management point record).
    RemoveAdWinsEntries {
        /// SMS site.
        site: SiteCode,
    },
}

impl Action {
    /// The action's name as in JSON (`create_site`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            Self::CreateSite { .. } => "create_site",
            Self::ExportObjects { .. } => "export_objects",
            Self::ImportObjects { .. } => "import_objects",
            Self::RemoveBoundary { .. } => "remove_boundary",
            Self::WaitReplication { .. } => "wait_replication",
            Self::AddBoundary { .. } => "add_boundary",
            Self::ReassignClients { .. } => "reassign_clients",
            Self::DecommissionSite { .. } => "decommission_site",
            Self::RemoveAdWinsEntries { .. } => "remove_ad_wins_entries",
        }
    }

    /// The site the action is about (`to_site` for a reassignment), if any.
    pub fn site(&self) -> Option<SiteCode> {
        match self {
            Self::CreateSite { site }
            | Self::ExportObjects { site, .. }
            | Self::ImportObjects { site, .. }
            | Self::RemoveBoundary { site, .. }
            | Self::AddBoundary { site, .. }
            | Self::DecommissionSite { site }
            | Self::RemoveAdWinsEntries { site } => Some(*site),
            Self::ReassignClients { to_site, .. } => Some(*to_site),
            Self::WaitReplication { .. } => None,
        }
    }
}

/// One step of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// Execution order, from 1.
    pub seq: u32,
    /// Phase.
    pub phase: Phase,
    /// Wave number, for wave steps.
    pub wave: Option<u32>,
    /// What to do.
    pub action: Action,
    /// Steps that must be complete first (their `seq`s, ascending).
    pub depends_on: Vec<u32>,
}

/// A finding: something that could not be planned safely, or is worth knowing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Severity; an error means the plan must not be carried out as it stands.
    pub severity: Severity,
    /// Site concerned, if one.
    pub site: Option<SiteCode>,
    /// Wave concerned, if one.
    pub wave: Option<u32>,
    /// What was found.
    pub kind: FindingKind,
}

impl Finding {
    /// The stable code of the finding (`cannot_decide_overlap`, ...).
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

/// Built-in objects carry the `SMS` prefix; ConfigMgr has its own and keeps their IDs.
pub(crate) fn is_builtin(id: &str) -> bool {
    id.starts_with("SMS")
}

/// `<PKG><Program>` (as SMS 2003 stores it) or `PKG;;Program` (as ConfigMgr does).
pub(crate) fn parse_dependent_program(text: &str) -> Option<(String, String)> {
    let text = text.trim();
    if let Some((pkg, prog)) = text.split_once(";;") {
        return (!pkg.is_empty() && !prog.is_empty()).then(|| (pkg.to_owned(), prog.to_owned()));
    }
    let rest = text.strip_prefix('<')?;
    let (pkg, rest) = rest.split_once("><")?;
    let prog = rest.strip_suffix('>')?;
    (!pkg.is_empty() && !prog.is_empty()).then(|| (pkg.to_owned(), prog.to_owned()))
}

/// The plan for a side-by-side migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// The new sites, in creation order (central first, parents before children).
    pub sites: Vec<NewSite>,
    /// The waves.
    pub waves: Vec<WaveInfo>,
    /// Subnet masks the target declared (they decide overlaps of subnet IDs).
    pub masks: SubnetMasks,
    /// Objects carried, in import order.
    pub objects: ObjectSet,
    /// The ConfigMgr site collections, packages, programs and advertisements are imported into.
    pub import_site: Option<SiteCode>,
    /// The ConfigMgr primaries queries and reports are imported into.
    pub query_report_sites: Vec<SiteCode>,
    /// The SMS sites decommissioned at the end.
    pub decommission: Vec<SiteCode>,
    /// The steps, `seq` 1, 2, ...
    pub steps: Vec<Step>,
    /// Findings, most severe first.
    pub findings: Vec<Finding>,
}

impl Plan {
    /// The new site with this code.
    pub fn site(&self, code: SiteCode) -> Option<&NewSite> {
        self.sites.iter().find(|s| s.code == code)
    }

    /// The primary a client in `code`'s boundaries is assigned to: the site itself when
    /// primary, else its nearest primary ancestor among the new sites.
    pub fn assignment_site(&self, code: SiteCode) -> Option<SiteCode> {
        let mut current = self.site(code)?;
        for _ in 0..=self.sites.len() {
            if current.site_type == SiteType::Primary {
                return Some(current.code);
            }
            current = self.site(current.parent?)?;
        }
        None
    }

    /// Number of findings at error severity.
    pub fn error_count(&self) -> usize {
        self.finding_count(Severity::Error)
    }

    /// Number of findings at `severity`.
    pub fn finding_count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// The wave with this number.
    pub fn wave(&self, number: u32) -> Option<&WaveInfo> {
        self.waves.iter().find(|w| w.number == number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_escapes_only_control_characters() {
        assert_eq!(visible("Dallas \"R&D\" Québec"), "Dallas \"R&D\" Québec");
        assert_eq!(visible("a\nb\u{1b}[31m"), "a\\nb\\u{1b}[31m");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn dependent_program_forms() {
        assert_eq!(
            parse_dependent_program("<HOU00002><Advanced Client Silent Upgrade>"),
            Some(("HOU00002".into(), "Advanced Client Silent Upgrade".into()))
        );
        assert_eq!(
            parse_dependent_program("HOU00002;;Install"),
            Some(("HOU00002".into(), "Install".into()))
        );
        assert_eq!(parse_dependent_program(""), None);
        assert_eq!(parse_dependent_program("<HOU00002>"), None);
        assert_eq!(parse_dependent_program("<><x>"), None);
    }
}
