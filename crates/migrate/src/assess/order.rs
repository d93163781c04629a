//! The upgrade order and the hierarchy rules (A05x).
//!
//! Seed 002 ("About Supported Upgrade Paths"): a ConfigMgr site cannot report to an SMS 2003
//! parent, so "you must always begin your upgrade with the central site and progress down the
//! hierarchy"; a child site that should go first must be detached and upgraded standalone.
//! Seed 004: "After upgrading the central site, upgrade the rest of the hierarchy from the top
//! down. After the primary sites are upgraded, begin upgrading their associated secondary
//! sites". Seed 002 ("Upgrading Secondary Sites"): a secondary is upgraded after its parent
//! primary, from that parent.
//!
//! The order is therefore: the primaries depth-first from each central site (siblings by
//! code), then each primary's secondaries in the primaries' order, then — last, by code — sites
//! with no place in the tree.

use std::collections::{BTreeMap, BTreeSet};

use super::rule::Rule;
use super::{Evidence, Finding};
use crate::inventory::{Inventory, Site, SiteCode, SiteProduct, SiteType};

/// The computed order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    /// Every site, in upgrade order.
    pub(crate) order: Vec<SiteCode>,
    /// Sites reached from a central site through primaries.
    placed: BTreeSet<SiteCode>,
    /// 1-based position of each site in `order`.
    steps: BTreeMap<SiteCode, usize>,
}

/// Order the sites top-down (see the module docs).
pub(crate) fn upgrade_order(inv: &Inventory) -> Plan {
    let mut primaries: Vec<SiteCode> = Vec::new();
    let mut seen: BTreeSet<SiteCode> = BTreeSet::new();
    let mut stack: Vec<SiteCode> = inv
        .central_sites()
        .filter(|s| s.site_type == SiteType::Primary)
        .map(|s| s.code)
        .collect();
    stack.reverse();
    while let Some(code) = stack.pop() {
        if !seen.insert(code) {
            continue;
        }
        primaries.push(code);
        let mut kids: Vec<SiteCode> = inv
            .children(code)
            .filter(|s| s.site_type == SiteType::Primary)
            .map(|s| s.code)
            .collect();
        kids.reverse();
        stack.extend(kids);
    }
    let mut order = primaries.clone();
    for p in &primaries {
        for s in inv
            .children(*p)
            .filter(|s| s.site_type == SiteType::Secondary)
        {
            if seen.insert(s.code) {
                order.push(s.code);
            }
        }
    }
    let placed = seen.clone();
    for s in &inv.sites {
        if seen.insert(s.code) {
            order.push(s.code);
        }
    }
    let steps = order.iter().enumerate().map(|(i, c)| (*c, i + 1)).collect();
    Plan {
        order,
        placed,
        steps,
    }
}

fn is_configmgr(site: &Site) -> bool {
    site.product() == SiteProduct::ConfigMgr2007
}

/// Run the hierarchy rules for `site`. `blocked` maps each site assessed so far (every site
/// before this one in the order, its parent among them when it has a place) that is blocked to
/// the codes of its errors, sorted.
pub(crate) fn check(
    inv: &Inventory,
    site: &Site,
    plan: &Plan,
    blocked: &BTreeMap<SiteCode, Vec<&'static str>>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if !plan.placed.contains(&site.code) {
        out.push(not_in_tree(inv, site));
        return out;
    }
    let Some(parent) = site.parent.and_then(|p| inv.site(p)) else {
        return out;
    };
    // Seed 002 "About Supported Upgrade Paths"; seed 001 "Checking for Site Compatibility".
    if is_configmgr(site) && !is_configmgr(parent) {
        out.push(Finding::new(
            Rule::ConfigMgrUnderSms,
            site.code,
            format!(
                "{} runs ConfigMgr 2007 but reports to {}, which runs {}",
                site.code,
                parent.code,
                super::site::UpgradePath::of(parent).source
            ),
            Evidence::summary(format!(
                "{}: version {}; parent {}: version {}",
                site.code, site.version, parent.code, parent.version
            )),
            format!(
                "Detach {} from {} and run it as a standalone ConfigMgr site until {} is \
                 upgraded, then attach it again.",
                site.code, parent.code, parent.code
            ),
        ));
    }
    let parent_blockers = blocked.get(&parent.code);
    if let Some(blockers) = parent_blockers.filter(|_| !is_configmgr(site) && !is_configmgr(parent))
    {
        out.push(Finding::new(
            Rule::ParentBlocked,
            site.code,
            format!(
                "{} must be upgraded before {}, and {} is blocked",
                parent.code, site.code, parent.code
            ),
            Evidence::summary(format!(
                "{} is blocked by {}",
                parent.code,
                blockers.join(", ")
            )),
            format!(
                "Clear {}'s errors first: a ConfigMgr site cannot report to an SMS 2003 parent. \
                 To upgrade {} sooner, detach it, upgrade it (or migrate it side by side) as a \
                 standalone site, and attach it again later.",
                parent.code, site.code
            ),
        ));
    }
    // Seed 002 "Upgrading Secondary Sites"; seed 004 (secondaries after their primaries).
    if site.site_type == SiteType::Secondary && !is_configmgr(site) {
        let step = |code: SiteCode| {
            plan.order
                .iter()
                .position(|c| *c == code)
                .map_or(0, |i| i + 1)
        };
        out.push(Finding::new(
            Rule::SecondaryAfterParent,
            site.code,
            format!(
                "secondary site {} is upgraded after its parent primary {}, from {}",
                site.code, parent.code, parent.code
            ),
            Evidence::summary(format!(
                "secondary site of {}; step {} of the upgrade order, after {} (step {})",
                parent.code,
                step(site.code),
                parent.code,
                step(parent.code)
            )),
            format!(
                "After {p} is upgraded, run the prerequisite checker on {p} with All Secondary \
                 Sites checked, then upgrade {s} with the Upgrade Secondary Site wizard from \
                 {p}'s console (local source files go in \\SMSSetup at the root of a local drive).",
                p = parent.code,
                s = site.code
            ),
        ));
    }
    out
}

fn not_in_tree(inv: &Inventory, site: &Site) -> Finding {
    let why = match site.parent {
        None => "it is a secondary site without a parent".to_owned(),
        Some(p) => match inv.site(p) {
            None => format!("its parent {p} is not in the inventory"),
            Some(parent) if parent.site_type == SiteType::Secondary => {
                format!("its parent {p} is a secondary site")
            }
            // A placed primary places all its children, so the parent has no place either:
            // a cycle, or a break further up.
            Some(_) => format!(
                "its chain of parents ({}) never reaches a central site",
                chain(inv, site)
            ),
        },
    };
    Finding::new(
        Rule::NotInTree,
        site.code,
        format!(
            "{} has no place in the top-down upgrade order: {why}",
            site.code
        ),
        Evidence::summary(format!(
            "{}: parent {}, {}",
            site.code,
            site.parent
                .map_or_else(|| "none".to_owned(), |p| p.to_string()),
            if site.site_type == SiteType::Primary {
                "primary"
            } else {
                "secondary"
            }
        )),
        "Fix the site's parent in the hierarchy (or in the export) so that every site reaches \
         the central site through primary sites; upgrade it only after its parent.",
    )
}

fn chain(inv: &Inventory, site: &Site) -> String {
    std::iter::once(site.code)
        .chain(inv.ancestors(site.code))
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(" -> ")
}
