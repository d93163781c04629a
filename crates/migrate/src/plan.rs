//! The side-by-side migration planner (DESIGN §4.4; seed 002, "Side-by-Side Migrations").
//!
//! A consultant describes the new ConfigMgr 2007 hierarchy in a TOML target ([`target`], format
//! in `docs/target-format.md`); [`plan()`] turns an [`Inventory`] and a validated [`Target`]
//! into an ordered [`Plan`] of steps with dependencies, in four phases:
//!
//! 1. build the new sites, central first, every parent before its children;
//! 2. carry the SMS database objects: export from the SMS sites that own them, import into
//!    ConfigMgr — limiting collections before the collections they limit, collections before
//!    the advertisements that target them, packages before programs before advertisements, and
//!    queries and reports explicitly, because they do not replicate down;
//! 3. per wave: remove the boundaries from every SMS site that claims any part of them (site and
//!    roaming), wait for replication, add them to the ConfigMgr site, reassign the wave's clients;
//! 4. clean up: decommission the old sites bottom-up and remove their AD and WINS entries.
//!
//! What cannot be planned safely becomes a [`Finding`] instead of a step — in particular an
//! overlap that depends on the unknown mask of a subnet ID is "cannot decide", never a guess.
//!
//! [`verify()`] simulates a plan step by step against the inventory and checks every invariant of
//! DESIGN §4.4 without trusting the planner; [`artifacts()`] writes the scripts, work lists,
//! object MOFs, WSUS WMI filter and `plan.md` for a verified plan.
//!
//! Modules: [`target`] (TOML and validation), [`overlap`] (address spaces as integer
//! intervals), `index` and `universe` (sorted intervals swept in bulk, and the boundary table:
//! every overlapping pair found by one self-join and clients matched by sort-merge, in
//! O(n log n + pairs), no pairwise comparison and no lookup per client), [`model`] and
//! `finding` (the plan
//! and what the planner found), `planner`, [`verify`](mod@verify), [`state`] (hierarchy
//! snapshots for the before/after diff), [`describe`] (step descriptions for any medium),
//! [`artifacts`](mod@artifacts) (with [`artifacts::escape`], one escaping function per
//! language).

pub mod artifacts;
pub mod describe;
mod finding;
mod index;
pub mod model;
pub mod overlap;
mod planner;
pub mod state;
pub mod target;
mod universe;
pub mod verify;

pub use artifacts::{artifacts, Artifact, ArtifactEncoding, ArtifactError};
pub use model::{
    Action, BoundaryRef, Connection, Finding, FindingKind, NewSite, ObjectKind, ObjectRef,
    ObjectSet, Phase, Plan, Severity, Step, WaveInfo,
};
pub use overlap::{Overlap, SubnetMasks};
pub use planner::plan;
pub use state::{HierarchyState, SiteStatus};
pub use target::{Target, TargetError};
pub use verify::{verify, Verification, Violation, ViolationKind};

#[cfg(doc)]
use crate::inventory::Inventory;
