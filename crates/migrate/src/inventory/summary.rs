//! A per-site summary of an inventory: the site tree with versions and counts, as
//! `smsmig inventory show` prints it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::model::{ClientType, Inventory, SecurityMode, SiteCode, SiteType};

/// The summary of one site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteSummary {
    /// Site code.
    pub code: SiteCode,
    /// Site name.
    pub name: String,
    /// Parent site.
    pub parent: Option<SiteCode>,
    /// Depth in the drawn tree: 0 for the central site, and for a site whose parent is unknown
    /// or on a parent cycle (it starts a tree of its own).
    pub depth: usize,
    /// Primary or secondary.
    pub site_type: SiteType,
    /// Version string.
    pub version: String,
    /// SMS 2003 service pack (0 = RTM).
    pub service_pack: Option<u8>,
    /// Security mode.
    pub security_mode: Option<SecurityMode>,
    /// Site boundaries.
    pub site_boundaries: usize,
    /// Roaming boundaries.
    pub roaming_boundaries: usize,
    /// Collections created at this site (by collection ID prefix).
    pub collections: usize,
    /// Packages whose source site this is.
    pub packages: usize,
    /// Resources assigned to this site.
    pub clients: usize,
    /// Of which run the Legacy Client.
    pub legacy_clients: usize,
}

/// Totals over the whole inventory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Sites.
    pub sites: usize,
    /// Primary sites.
    pub primary_sites: usize,
    /// Secondary sites.
    pub secondary_sites: usize,
    /// Boundaries (site and roaming).
    pub boundaries: usize,
    /// Collections.
    pub collections: usize,
    /// Packages.
    pub packages: usize,
    /// Programs.
    pub programs: usize,
    /// Advertisements.
    pub advertisements: usize,
    /// Queries.
    pub queries: usize,
    /// Reports.
    pub reports: usize,
    /// Discovered resources.
    pub resources: usize,
    /// Resources with the SMS client installed.
    pub clients_installed: usize,
    /// Advanced Clients.
    pub advanced_clients: usize,
    /// Legacy Clients.
    pub legacy_clients: usize,
    /// Resources not assigned to any site.
    pub unassigned: usize,
}

/// The summary: sites top-down (parents before children, siblings by code) and totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Sites in tree order.
    pub sites: Vec<SiteSummary>,
    /// Totals.
    pub totals: Totals,
}

#[derive(Default)]
struct Counts {
    site_boundaries: usize,
    roaming_boundaries: usize,
    collections: usize,
    packages: usize,
    clients: usize,
    legacy_clients: usize,
}

/// Summarise an inventory.
pub fn summarize(inv: &Inventory) -> Summary {
    let mut counts: BTreeMap<SiteCode, Counts> = BTreeMap::new();
    for b in &inv.boundaries {
        let c = counts.entry(b.site_code).or_default();
        if b.is_site_boundary() {
            c.site_boundaries += 1;
        } else {
            c.roaming_boundaries += 1;
        }
    }
    for col in &inv.collections {
        if let Some(site) = col.owning_site() {
            counts.entry(site).or_default().collections += 1;
        }
    }
    for p in &inv.packages {
        if let Some(site) = p.source_site {
            counts.entry(site).or_default().packages += 1;
        }
    }
    let mut totals = Totals {
        sites: inv.sites.len(),
        boundaries: inv.boundaries.len(),
        collections: inv.collections.len(),
        packages: inv.packages.len(),
        programs: inv.programs.len(),
        advertisements: inv.advertisements.len(),
        queries: inv.queries.len(),
        reports: inv.reports.len(),
        resources: inv.clients.len(),
        ..Totals::default()
    };
    for client in &inv.clients {
        let legacy = client.client_type == Some(ClientType::Legacy);
        totals.clients_installed += usize::from(client.client_installed);
        totals.legacy_clients += usize::from(legacy);
        totals.advanced_clients += usize::from(client.client_type == Some(ClientType::Advanced));
        match client.assigned_site {
            Some(site) => {
                let c = counts.entry(site).or_default();
                c.clients += 1;
                c.legacy_clients += usize::from(legacy);
            }
            None => totals.unassigned += 1,
        }
    }
    // Depth follows the drawn tree: a site whose parent was not drawn before it (unknown
    // parent, parent cycle) starts a tree of its own.
    let mut depths: BTreeMap<SiteCode, usize> = BTreeMap::new();
    let sites = inv
        .sites_top_down()
        .into_iter()
        .map(|site| {
            let depth = site
                .parent
                .and_then(|p| depths.get(&p))
                .map_or(0, |d| d + 1);
            depths.insert(site.code, depth);
            let c = counts.remove(&site.code).unwrap_or_default();
            match site.site_type {
                SiteType::Primary => totals.primary_sites += 1,
                SiteType::Secondary => totals.secondary_sites += 1,
            }
            SiteSummary {
                code: site.code,
                name: site.name.clone(),
                parent: site.parent,
                depth,
                site_type: site.site_type,
                version: site.version.clone(),
                service_pack: site.service_pack,
                security_mode: site.security_mode,
                site_boundaries: c.site_boundaries,
                roaming_boundaries: c.roaming_boundaries,
                collections: c.collections,
                packages: c.packages,
                clients: c.clients,
                legacy_clients: c.legacy_clients,
            }
        })
        .collect();
    Summary { sites, totals }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::synth::sample;

    #[test]
    fn sample_tree_starts_at_houston() {
        let s = summarize(&sample());
        assert_eq!(s.sites[0].code.as_str(), "HOU");
        assert_eq!(s.sites[0].depth, 0);
        let codes: Vec<&str> = s.sites.iter().map(|x| x.code.as_str()).collect();
        assert_eq!(
            codes,
            ["HOU", "BMT", "DAL", "FTW", "GAL", "SAT", "AUS", "ELP", "CRP"]
        );
        let assigned: usize = s.sites.iter().map(|x| x.clients).sum();
        assert_eq!(assigned + s.totals.unassigned, s.totals.resources);
    }
}
