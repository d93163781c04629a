//! The target description: the new ConfigMgr 2007 hierarchy and how to get there (TOML,
//! documented in `docs/target-format.md`).
//!
//! [`Target::parse`] reads the TOML (with spans, via `toml::Spanned`) and resolves every name
//! against the inventory: site codes, boundaries, collections, clients. Every problem is
//! reported at once, as a list of [`TargetError`]s with the byte span they point at. A resolved
//! [`Target`] refers to boundaries by their index in [`Inventory::boundaries`], so it belongs to
//! the inventory it was resolved against.

mod error;
mod resolve;

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use toml::Spanned;

pub use error::{TargetError, TextSpan};
pub(crate) use resolve::site_range;

use super::model::{NewSite, ObjectKind};
use super::overlap::SubnetMasks;
use crate::inventory::{Inventory, SiteCode};

/// A validated target, resolved against one inventory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The new sites, top-down: the central site first, every parent before its children,
    /// siblings in target order.
    pub sites: Vec<NewSite>,
    /// The waves, in order.
    pub waves: Vec<Wave>,
    /// Declared subnet masks.
    pub masks: SubnetMasks,
    /// Object kinds to carry (programs travel with packages).
    pub carry: BTreeSet<ObjectKind>,
    /// Where collections, packages, programs and advertisements are imported (default: the
    /// central new site; they replicate down from there).
    pub import_site: SiteCode,
    /// Where queries and reports are imported (default: every new primary; they do not
    /// replicate down).
    pub query_report_sites: Vec<SiteCode>,
    /// What to leave behind.
    pub exclude: Exclusions,
    /// SMS sites to decommission at the end (default: all), in inventory order.
    pub decommission: Vec<SiteCode>,
}

/// One wave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wave {
    /// Number, from 1.
    pub number: u32,
    /// Name, if given.
    pub name: Option<String>,
    /// Replication wait in minutes.
    pub wait_minutes: u32,
    /// Boundary moves.
    pub moves: Vec<Move>,
}

/// Boundaries going to one new site in one wave, and the clients that follow them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    /// The new site.
    pub to: SiteCode,
    /// Inventory boundary indices, sorted, exclusions removed.
    pub boundaries: Vec<usize>,
    /// Which clients to reassign.
    pub clients: ClientSelection,
}

/// Which clients a move reassigns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientSelection {
    /// Default: the clients that lie in the moved boundaries.
    InMovedBoundaries,
    /// The union of the named selections.
    Explicit {
        /// Clients assigned to these SMS sites.
        sites: Vec<SiteCode>,
        /// Clients that lie in these inventory boundaries (indices).
        boundaries: Vec<usize>,
        /// Direct members of these collections.
        collections: Vec<String>,
    },
}

/// What the target leaves behind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exclusions {
    /// Inventory boundary indices never moved.
    pub boundaries: BTreeSet<usize>,
    /// Resource IDs never reassigned.
    pub clients: BTreeSet<u32>,
    /// Collection IDs not carried.
    pub collections: BTreeSet<String>,
    /// Package IDs not carried (nor their programs).
    pub packages: BTreeSet<String>,
    /// Advertisement IDs not carried.
    pub advertisements: BTreeSet<String>,
    /// Query IDs not carried.
    pub queries: BTreeSet<String>,
    /// Report IDs not carried.
    pub reports: BTreeSet<u32>,
}

impl Target {
    /// Parse and validate a target description against `inv`.
    ///
    /// # Errors
    /// Every [`TargetError`] found: TOML syntax or shape first (then nothing else is checked),
    /// else every site, boundary, wave, mask, object and exclusion problem.
    pub fn parse(text: &str, inv: &Inventory) -> Result<Self, Vec<TargetError>> {
        let raw: RawTarget = toml::from_str(text).map_err(|e| {
            vec![TargetError::Syntax {
                message: e.message().to_owned(),
                span: e.span(),
            }]
        })?;
        resolve::resolve(raw, inv)
    }
}

// The TOML shape. `Spanned` keeps the byte range of each value for error messages.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    replication_wait_minutes: Option<Spanned<i64>>,
    #[serde(default, rename = "site")]
    sites: Vec<RawSite>,
    #[serde(default)]
    subnet_masks: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    objects: RawObjects,
    #[serde(default)]
    exclude: RawExclude,
    #[serde(default, rename = "wave")]
    waves: Vec<Spanned<RawWave>>,
    #[serde(default)]
    cleanup: RawCleanup,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSite {
    code: Spanned<String>,
    name: Spanned<String>,
    parent: Option<Spanned<String>>,
    server: Spanned<String>,
    #[serde(rename = "type", default)]
    site_type: Option<RawSiteType>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawSiteType {
    Primary,
    Secondary,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBoundary {
    site: Spanned<String>,
    kind: Spanned<String>,
    value: Spanned<String>,
    roaming: Option<RawRoaming>,
}

/// Which entries a boundary reference names: the site boundary, a roaming entry, or (absent)
/// every entry with that value at that site.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum RawRoaming {
    Site,
    Local,
    Remote,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWave {
    name: Option<String>,
    replication_wait_minutes: Option<Spanned<i64>>,
    #[serde(default, rename = "move")]
    moves: Vec<Spanned<RawMove>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMove {
    to: Spanned<String>,
    #[serde(default)]
    sites: Vec<Spanned<String>>,
    #[serde(default)]
    boundaries: Vec<Spanned<RawBoundary>>,
    clients: Option<RawClients>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClients {
    #[serde(default)]
    sites: Vec<Spanned<String>>,
    #[serde(default)]
    boundaries: Vec<Spanned<RawBoundary>>,
    #[serde(default)]
    collections: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObjects {
    carry: Option<Vec<Spanned<String>>>,
    import_into: Option<Spanned<String>>,
    queries_reports_into: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExclude {
    #[serde(default)]
    boundaries: Vec<Spanned<RawBoundary>>,
    #[serde(default)]
    clients: Vec<Spanned<String>>,
    #[serde(default)]
    client_ids: Vec<Spanned<i64>>,
    #[serde(default)]
    collections: Vec<Spanned<String>>,
    #[serde(default)]
    packages: Vec<Spanned<String>>,
    #[serde(default)]
    advertisements: Vec<Spanned<String>>,
    #[serde(default)]
    queries: Vec<Spanned<String>>,
    #[serde(default)]
    reports: Vec<Spanned<i64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCleanup {
    decommission: Option<Vec<Spanned<String>>>,
}
