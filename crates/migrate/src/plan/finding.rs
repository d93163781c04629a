//! What the planner found: each kind with the identifiers involved, a stable code and a
//! message (its `Display`).

use std::fmt;

use serde::Serialize;

use super::model::{visible, BoundaryRef, ObjectRef, Severity};
use crate::inventory::SiteCode;

/// What was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum FindingKind {
    /// Two SMS sites already claim overlapping address space before the migration starts.
    InitialOverlap {
        /// One site's entry.
        boundary: BoundaryRef,
        /// The other site.
        other_site: SiteCode,
        /// Its entry.
        other: BoundaryRef,
    },
    /// Whether a boundary to add overlaps another site's depends on a subnet mask the
    /// inventory does not record; the boundary is not added (declare the mask in the target's
    /// `[subnet_masks]`).
    CannotDecideOverlap {
        /// The boundary that was to be added.
        boundary: BoundaryRef,
        /// The ConfigMgr site it was to be added to.
        to_site: SiteCode,
        /// The other site.
        other_site: SiteCode,
        /// Its entry.
        other: BoundaryRef,
        /// How many more entries stand in the way for the same reason.
        others: usize,
    },
    /// A boundary to add overlaps a site boundary of an SMS site that does not move in this
    /// wave; removing it would strand that site's clients, so the boundary is not added.
    ConflictingSiteBoundary {
        /// The boundary that was to be added.
        boundary: BoundaryRef,
        /// The ConfigMgr site it was to be added to.
        to_site: SiteCode,
        /// The SMS site.
        other_site: SiteCode,
        /// Its site boundary.
        other: BoundaryRef,
        /// How many more site boundaries stand in the way.
        others: usize,
    },
    /// Two ConfigMgr sites of the target would claim overlapping address space; neither
    /// boundary is added.
    TargetOverlap {
        /// The boundary that was to be added.
        boundary: BoundaryRef,
        /// The ConfigMgr site it was to be added to.
        to_site: SiteCode,
        /// The ConfigMgr site that claims (part of) it, now or in this wave.
        other_site: SiteCode,
        /// Its boundary.
        other: BoundaryRef,
        /// How many more entries of new sites stand in the way.
        others: usize,
    },
    /// A roaming entry the target does not move overlaps a boundary being added, so it is
    /// removed from its SMS site as well.
    CollateralRemoval {
        /// The removed roaming entry.
        removed: BoundaryRef,
        /// The boundary being added.
        because: BoundaryRef,
        /// The ConfigMgr site it is added to.
        to_site: SiteCode,
    },
    /// Boundaries of a decommissioned site that no wave moved; they disappear with the site.
    BoundariesNotMoved {
        /// How many.
        count: usize,
        /// The first few.
        examples: Vec<BoundaryRef>,
    },
    /// Selected clients that no boundary of their new site covers; they are not reassigned.
    ClientsOutsideBoundaries {
        /// The ConfigMgr primary they were to go to.
        to_site: SiteCode,
        /// How many.
        count: usize,
        /// The first few names.
        examples: Vec<String>,
    },
    /// Clients still assigned to a site when it is decommissioned.
    ClientsLeftBehind {
        /// How many.
        count: usize,
        /// The first few names.
        examples: Vec<String>,
    },
    /// Legacy Clients in a reassignment: the VBScript cannot reassign them; the CCMSETUP
    /// command line upgrades them.
    LegacyClients {
        /// The ConfigMgr primary.
        to_site: SiteCode,
        /// How many.
        count: usize,
    },
    /// A collection selects clients with query rules, which only the site can evaluate;
    /// only its direct members are reassigned.
    QueryRuleMembers {
        /// The collection.
        collection: String,
    },
    /// One client is selected by two moves of a wave that go to different primaries; the
    /// first move keeps it.
    ClientSelectionConflict {
        /// Client name.
        client: String,
        /// The primary of the first move.
        first: SiteCode,
        /// The primary of the second move.
        second: SiteCode,
    },
    /// Clients selected again after an earlier wave reassigned them are not reassigned twice.
    AlreadyReassigned {
        /// How many.
        count: usize,
    },
    /// Discovered resources without an installed, current client are not reassigned.
    NotClients {
        /// How many.
        count: usize,
    },
    /// Built-in objects (`SMS` prefix) are not carried: ConfigMgr has its own.
    BuiltInObjects {
        /// How many.
        count: usize,
    },
    /// An object is not carried because one it needs is not carried.
    MissingDependency {
        /// The object left out.
        object: ObjectRef,
        /// What it needs.
        needs: ObjectRef,
    },
    /// Collections limit each other in a cycle; none of them can be imported first.
    CollectionCycle {
        /// The collections on the cycle, sorted.
        collections: Vec<String>,
    },
    /// Direct membership rules name SMS resource IDs, which the ConfigMgr site assigns anew;
    /// the export turns them into a query rule on the members' names.
    DirectRulesConverted {
        /// The collection.
        collection: String,
        /// Number of direct members.
        members: usize,
    },
    /// After a wave, clients lie in boundaries of two sites, at least one of them new — an AD
    /// site boundary in one and an IP boundary in the other, which address-space comparison
    /// cannot see.
    ClientsInTwoSites {
        /// How many (first reported in this wave).
        count: usize,
        /// The first few, as `NAME (SITE, SITE)`.
        examples: Vec<String>,
    },
    /// A move has nothing left to add: every boundary it names was excluded or already moved.
    NothingToMove {
        /// The ConfigMgr site of the move.
        to_site: SiteCode,
    },
}

impl FindingKind {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InitialOverlap { .. } => "initial_overlap",
            Self::CannotDecideOverlap { .. } => "cannot_decide_overlap",
            Self::ConflictingSiteBoundary { .. } => "conflicting_site_boundary",
            Self::TargetOverlap { .. } => "target_overlap",
            Self::CollateralRemoval { .. } => "collateral_removal",
            Self::BoundariesNotMoved { .. } => "boundaries_not_moved",
            Self::ClientsOutsideBoundaries { .. } => "clients_outside_boundaries",
            Self::ClientsLeftBehind { .. } => "clients_left_behind",
            Self::LegacyClients { .. } => "legacy_clients",
            Self::QueryRuleMembers { .. } => "query_rule_members",
            Self::ClientSelectionConflict { .. } => "client_selection_conflict",
            Self::AlreadyReassigned { .. } => "already_reassigned",
            Self::NotClients { .. } => "not_clients",
            Self::BuiltInObjects { .. } => "built_in_objects",
            Self::MissingDependency { .. } => "missing_dependency",
            Self::CollectionCycle { .. } => "collection_cycle",
            Self::DirectRulesConverted { .. } => "direct_rules_converted",
            Self::ClientsInTwoSites { .. } => "clients_in_two_sites",
            Self::NothingToMove { .. } => "nothing_to_move",
        }
    }

    /// The severity this kind always has.
    pub fn severity(&self) -> Severity {
        match self {
            Self::CannotDecideOverlap { .. }
            | Self::ConflictingSiteBoundary { .. }
            | Self::TargetOverlap { .. }
            | Self::ClientSelectionConflict { .. }
            | Self::CollectionCycle { .. } => Severity::Error,
            Self::InitialOverlap { .. }
            | Self::CollateralRemoval { .. }
            | Self::BoundariesNotMoved { .. }
            | Self::ClientsOutsideBoundaries { .. }
            | Self::ClientsLeftBehind { .. }
            | Self::LegacyClients { .. }
            | Self::QueryRuleMembers { .. }
            | Self::MissingDependency { .. }
            | Self::ClientsInTwoSites { .. }
            | Self::NothingToMove { .. } => Severity::Warning,
            Self::AlreadyReassigned { .. }
            | Self::NotClients { .. }
            | Self::BuiltInObjects { .. }
            | Self::DirectRulesConverted { .. } => Severity::Info,
        }
    }
}

/// ` (and N more)` when `n > 0`.
fn more(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(" (and {n} more)")
    }
}

fn names(examples: &[String]) -> String {
    examples
        .iter()
        .map(|n| visible(n).into_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InitialOverlap {
                boundary,
                other_site,
                other,
            } => write!(
                f,
                "{boundary} already overlaps {other} of {other_site}; \
                 the plan adds no overlap of its own, but this one stays until a wave moves them"
            ),
            Self::CannotDecideOverlap {
                boundary,
                to_site,
                other_site,
                other,
                others,
            } => write!(
                f,
                "cannot decide whether {boundary} overlaps {other} of {other_site}{}: it \
                 depends on a subnet mask the inventory does not record; not added to \
                 {to_site} (declare the mask under [subnet_masks])",
                more(*others)
            ),
            Self::ConflictingSiteBoundary {
                boundary,
                to_site,
                other_site,
                other,
                others,
            } => write!(
                f,
                "{boundary} overlaps site boundary {other} of {other_site}{}, which does not \
                 move in this wave; not added to {to_site} (move both in one wave, or exclude \
                 one)",
                more(*others)
            ),
            Self::TargetOverlap {
                boundary,
                to_site,
                other_site,
                other,
                others,
            } => write!(
                f,
                "{boundary} overlaps {other} of ConfigMgr site {other_site}{}; not added to \
                 {to_site}",
                more(*others)
            ),
            Self::CollateralRemoval {
                removed,
                because,
                to_site,
            } => write!(
                f,
                "{removed} is not moved but overlaps {because}, which moves to {to_site}; \
                 it is removed too"
            ),
            Self::BoundariesNotMoved { count, examples } => {
                let list: Vec<String> = examples.iter().map(ToString::to_string).collect();
                write!(
                    f,
                    "{count} boundary entr{} no wave moved disappear{} when the site is \
                     decommissioned: {}{}",
                    if *count == 1 { "y" } else { "ies" },
                    if *count == 1 { "s" } else { "" },
                    list.join(", "),
                    if *count > examples.len() { ", ..." } else { "" }
                )
            }
            Self::ClientsOutsideBoundaries {
                to_site,
                count,
                examples,
            } => write!(
                f,
                "{count} selected client(s) lie in no boundary of {to_site} and are not \
                 reassigned: {}{}",
                names(examples),
                if *count > examples.len() { ", ..." } else { "" }
            ),
            Self::ClientsLeftBehind { count, examples } => write!(
                f,
                "{count} client(s) are still assigned when the site is decommissioned: {}{}",
                names(examples),
                if *count > examples.len() { ", ..." } else { "" }
            ),
            Self::LegacyClients { to_site, count } => write!(
                f,
                "{count} Legacy Client(s) go to {to_site}: Microsoft.SMS.Client cannot reassign \
                 them; run the CCMSETUP command line instead"
            ),
            Self::QueryRuleMembers { collection } => write!(
                f,
                "collection {} has query rules that only the site can evaluate; only its \
                 direct members are selected",
                visible(collection)
            ),
            Self::ClientSelectionConflict {
                client,
                first,
                second,
            } => write!(
                f,
                "client {} is selected for {first} and for {second} in one wave; it stays \
                 with {first}",
                visible(client)
            ),
            Self::AlreadyReassigned { count } => write!(
                f,
                "{count} client(s) selected again were already reassigned by an earlier wave"
            ),
            Self::NotClients { count } => write!(
                f,
                "{count} selected resource(s) have no current client installed (or are \
                 obsolete) and are not reassigned"
            ),
            Self::BuiltInObjects { count } => write!(
                f,
                "{count} built-in object(s) (SMS prefix) are not carried: ConfigMgr has its own"
            ),
            Self::MissingDependency { object, needs } => {
                write!(f, "{object} is not carried: it needs {needs}, which is not")
            }
            Self::CollectionCycle { collections } => write!(
                f,
                "collections limit each other in a cycle and cannot be imported: {}",
                names(collections)
            ),
            Self::DirectRulesConverted {
                collection,
                members,
            } => write!(
                f,
                "collection {}: {members} direct member(s) become a query rule on their names, \
                 because resource IDs differ in the new site",
                visible(collection)
            ),
            Self::ClientsInTwoSites { count, examples } => write!(
                f,
                "{count} client(s) lie in boundaries of two sites at once (an AD site in one, \
                 IP space in the other), so their site is ambiguous until both move: {}{}",
                names(examples),
                if *count > examples.len() { ", ..." } else { "" }
            ),
            Self::NothingToMove { to_site } => write!(
                f,
                "a move to {to_site} has no boundary left to add (excluded or already moved)"
            ),
        }
    }
}
