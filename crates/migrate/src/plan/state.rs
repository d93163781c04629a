//! Snapshots of the hierarchy — which site holds which boundary, how many clients each has —
//! before and after a plan, rendered as text for the dry run's unified diff.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::model::{visible, BoundaryRef, Connection};
use super::overlap::ValueKey;
use crate::inventory::{RoamingKind, SiteCode, SiteType};

/// Where a site stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteStatus {
    /// Running.
    Active,
    /// A new site the plan has not built (yet).
    NotBuilt,
    /// Uninstalled.
    Decommissioned,
}

/// A boundary held by a site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldBoundary {
    /// The boundary.
    #[serde(flatten)]
    pub boundary: BoundaryRef,
    /// For a ConfigMgr site: the network connection.
    pub connection: Option<Connection>,
}

/// One site's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteState {
    /// Site code.
    pub code: SiteCode,
    /// Site name.
    pub name: String,
    /// Parent site.
    pub parent: Option<SiteCode>,
    /// True for a ConfigMgr 2007 site of the target; false for an SMS site.
    pub configmgr: bool,
    /// Primary or secondary.
    pub site_type: SiteType,
    /// Status.
    pub status: SiteStatus,
    /// Boundaries held, sorted by kind and value.
    pub boundaries: Vec<HeldBoundary>,
    /// Clients assigned.
    pub clients: usize,
}

/// Every site's state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HierarchyState {
    /// By site code.
    pub sites: BTreeMap<SiteCode, SiteState>,
}

impl HierarchyState {
    /// Sort each site's boundaries (kind, value, roaming) so renderings compare line by line.
    pub(crate) fn sort(&mut self) {
        for site in self.sites.values_mut() {
            site.boundaries.sort_by(|a, b| {
                let ka = (
                    a.boundary.kind,
                    ValueKey::of(&a.boundary.parsed),
                    a.boundary.roaming,
                );
                let kb = (
                    b.boundary.kind,
                    ValueKey::of(&b.boundary.parsed),
                    b.boundary.roaming,
                );
                ka.cmp(&kb)
            });
        }
    }

    /// Text for a diff: one line per site and one per boundary, each starting with the site
    /// code, so a moved boundary shows as one line removed and one added. Sites not built are
    /// left out. Names are quoted with control characters escaped: every line stays one line.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for site in self.sites.values() {
            if site.status == SiteStatus::NotBuilt {
                continue;
            }
            let product = if site.configmgr {
                "ConfigMgr 2007"
            } else {
                "SMS 2003"
            };
            let kind = match site.site_type {
                SiteType::Primary => "primary",
                SiteType::Secondary => "secondary",
            };
            let parent = site
                .parent
                .map_or_else(|| "-".to_owned(), |p| p.to_string());
            let status = match site.status {
                SiteStatus::Decommissioned => "decommissioned",
                _ => "active",
            };
            let _ = writeln!(
                out,
                "{}: {product} {kind} \"{}\", parent {parent}, {status}, {} client(s)",
                site.code,
                visible(&site.name),
                site.clients
            );
            for b in &site.boundaries {
                let role = match (site.configmgr, b.boundary.roaming) {
                    (true, _) => "boundary",
                    (false, None) => "site boundary",
                    (false, Some(RoamingKind::Local)) => "local roaming boundary",
                    (false, Some(RoamingKind::Remote)) => "remote roaming boundary",
                };
                let connection = match b.connection {
                    Some(Connection::Fast) => " (fast)",
                    Some(Connection::Slow) => " (slow)",
                    None => "",
                };
                let _ = writeln!(
                    out,
                    "{}: {role} {} {}{connection}",
                    site.code,
                    b.boundary.kind.as_str(),
                    visible(&b.boundary.value)
                );
            }
        }
        out
    }
}
