//! Rules on clients (A04x): legacy clients, client operating systems, and client identity
//! (GUID consistency, duplicate GUIDs, shared hardware IDs).
//!
//! Which clients a rule looks at follows the prerequisite checker where the seed quotes its
//! query: the unsupported-OS query filters on `Client0 = '1'` and the site's own
//! `SMS_Assigned_Sites0`; the GUID-consistency query has no filter, so it sees every resource in
//! the site's database — in SMS 2003 that is the site's own resources and those reported up
//! from the sites below it.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use super::rule::Rule;
use super::{Evidence, EvidenceItem, Finding, Options};
use crate::inventory::{Client, ClientType, Inventory, Site, SiteCode, SiteType};

/// Clients grouped once for all sites.
#[derive(Debug)]
pub(crate) struct ClientIndex<'a> {
    /// Clients by assigned site (unknown sites included), each list by resource ID.
    assigned: BTreeMap<SiteCode, Vec<&'a Client>>,
    /// For each primary site, the clients with inconsistent GUIDs among the records its
    /// database holds.
    inconsistent_in_database: BTreeMap<SiteCode, Vec<&'a Client>>,
    /// Groups of active records sharing one SMS GUID.
    duplicate_guids: Vec<Vec<&'a Client>>,
    /// Groups of active records sharing one hardware ID under different SMS GUIDs.
    shared_hardware_ids: Vec<Vec<&'a Client>>,
    /// The sites a client counts for in group rules: its assigned site if the inventory has
    /// it, else the central sites.
    central: Vec<SiteCode>,
}

impl<'a> ClientIndex<'a> {
    pub(crate) fn new(inv: &'a Inventory) -> Self {
        let central: Vec<SiteCode> = inv.central_sites().map(|s| s.code).collect();
        // The primaries whose database holds a site's resources: the site itself if primary,
        // and every primary above it.
        let databases: BTreeMap<SiteCode, Vec<SiteCode>> = inv
            .sites
            .iter()
            .map(|s| {
                let mut dbs: Vec<SiteCode> = std::iter::once(s.code)
                    .chain(inv.ancestors(s.code))
                    .filter(|c| {
                        inv.site(*c)
                            .is_some_and(|x| x.site_type == SiteType::Primary)
                    })
                    .collect();
                dbs.sort_unstable();
                (s.code, dbs)
            })
            .collect();
        let mut assigned: BTreeMap<SiteCode, Vec<&Client>> = BTreeMap::new();
        let mut inconsistent_in_database: BTreeMap<SiteCode, Vec<&Client>> = BTreeMap::new();
        for c in &inv.clients {
            if let Some(site) = c.assigned_site {
                assigned.entry(site).or_default().push(c);
            }
            if inconsistent_guids(c).is_none() {
                continue;
            }
            let dbs = c
                .assigned_site
                .and_then(|s| databases.get(&s))
                .unwrap_or(&central);
            for db in dbs {
                inconsistent_in_database.entry(*db).or_default().push(c);
            }
        }
        Self {
            assigned,
            inconsistent_in_database,
            duplicate_guids: groups(inv, |c| c.sms_guid.as_deref(), |_| true),
            shared_hardware_ids: groups(
                inv,
                |c| c.hardware_id.as_deref(),
                |g| {
                    let mut guids: Vec<String> = g
                        .iter()
                        .filter_map(|c| c.sms_guid.as_deref())
                        .map(str::to_ascii_uppercase)
                        .collect();
                    guids.sort_unstable();
                    guids.dedup();
                    guids.len() > 1
                },
            ),
            central,
        }
    }

    /// Clients assigned to `site`, by resource ID.
    pub(crate) fn assigned_to(&self, site: SiteCode) -> &[&'a Client] {
        self.assigned.get(&site).map_or(&[], Vec::as_slice)
    }

    /// True when `c` counts for `site` in the group rules.
    fn counts_for(&self, c: &Client, site: SiteCode, inv: &Inventory) -> bool {
        match c.assigned_site.filter(|a| inv.site(*a).is_some()) {
            Some(a) => a == site,
            None => self.central.contains(&site),
        }
    }
}

/// Groups of active (not obsolete) records sharing a key (compared case-insensitively, as SQL
/// Server's default collation does), kept when `keep` says so; each group by resource ID, the
/// groups by key.
fn groups<'a>(
    inv: &'a Inventory,
    key: impl Fn(&'a Client) -> Option<&'a str>,
    keep: impl Fn(&[&'a Client]) -> bool,
) -> Vec<Vec<&'a Client>> {
    // Hash first (most keys are unique, so a key seen once costs no allocation), then order the
    // few groups by key so the output never depends on the hasher. A key is only copied when it
    // has lower-case letters to fold.
    let active: Vec<&'a Client> = inv.clients.iter().filter(|c| !c.obsolete).collect();
    let mut first: HashMap<Cow<'a, str>, usize> = HashMap::with_capacity(active.len());
    let mut dups: BTreeMap<usize, Vec<&'a Client>> = BTreeMap::new();
    for (i, c) in active.iter().enumerate() {
        let Some(k) = key(c) else { continue };
        let k = if k.bytes().any(|b| b.is_ascii_lowercase()) {
            Cow::Owned(k.to_ascii_uppercase())
        } else {
            Cow::Borrowed(k)
        };
        match first.entry(k) {
            Entry::Vacant(e) => {
                e.insert(i);
            }
            // Clients come sorted by resource ID, so each group is too.
            Entry::Occupied(e) => dups
                .entry(*e.get())
                .or_insert_with(|| vec![active[*e.get()]])
                .push(c),
        }
    }
    let mut found: Vec<(String, Vec<&'a Client>)> = dups
        .into_values()
        .filter(|g| keep(g))
        .map(|g| (key(g[0]).unwrap_or_default().to_ascii_uppercase(), g))
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found.into_iter().map(|(_, g)| g).collect()
}

/// Run the client rules for one site.
pub(crate) fn check(
    inv: &Inventory,
    site: &Site,
    index: &ClientIndex<'_>,
    options: &Options,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let assigned = index.assigned_to(site.code);
    let limit = options.evidence_limit;
    legacy(site, assigned, limit, &mut out);
    operating_systems(site, assigned, limit, &mut out);
    if site.site_type == SiteType::Primary {
        guid_consistency(
            site,
            index
                .inconsistent_in_database
                .get(&site.code)
                .map_or(&[], Vec::as_slice),
            limit,
            &mut out,
        );
    }
    duplicates(inv, site, index, limit, &mut out);
    out
}

fn item(c: &Client, detail: String) -> EvidenceItem {
    EvidenceItem {
        resource_id: Some(c.resource_id),
        name: c.name.clone(),
        detail,
    }
}

/// Items sorted by name, then resource ID.
fn sorted(mut items: Vec<EvidenceItem>) -> Vec<EvidenceItem> {
    items.sort_by(|a, b| a.name.cmp(&b.name).then(a.resource_id.cmp(&b.resource_id)));
    items
}

fn os_text(c: &Client) -> String {
    let name = c
        .os_name
        .as_deref()
        .or(c.os_name_and_version.as_deref())
        .unwrap_or("unknown OS");
    let mut text = name.to_owned();
    if let Some(build) = c.os_build {
        text.push_str(&format!(", build {build}"));
    }
    match c.os_service_pack {
        Some(0) => text.push_str(", no service pack"),
        Some(sp) => text.push_str(&format!(", SP{sp}")),
        None => {}
    }
    if c.obsolete {
        text.push_str(" (obsolete record)");
    }
    text
}

// Seed 002 "Upgrade Prerequisites": legacy clients do not work in ConfigMgr 2007 sites and are
// not supported; install the advanced client on systems running Windows 2000 SP4 or later.
fn legacy(site: &Site, assigned: &[&Client], limit: usize, out: &mut Vec<Finding>) {
    let items: Vec<EvidenceItem> = assigned
        .iter()
        .filter(|c| c.client_installed && !c.obsolete && c.client_type == Some(ClientType::Legacy))
        .map(|c| {
            item(
                c,
                format!(
                    "legacy client {}; {}",
                    c.client_version.as_deref().unwrap_or("?"),
                    os_text(c)
                ),
            )
        })
        .collect();
    if items.is_empty() {
        return;
    }
    let n = items.len();
    out.push(Finding::new(
        Rule::LegacyClients,
        site.code,
        format!(
            "{n} legacy client(s) are assigned to {}; they do not work in ConfigMgr 2007 sites",
            site.code
        ),
        Evidence::listing(
            format!(
                "{n} active legacy client record(s) assigned to {}",
                site.code
            ),
            sorted(items),
            limit,
        ),
        "Install the Advanced Client on these systems (Windows 2000 SP4 or later) before the \
         upgrade, or keep them in an SMS 2003 site.",
    ));
}

/// The prerequisite checker's "unsupported client OS" predicate (seed 002):
///
/// ```sql
/// where (os2.BuildNumber0 < '2195'
///    or (os2.BuildNumber0 = '2600' and os2.CSDVersion0 < 'Service Pack 2')
///    or (os2.BuildNumber0 = '2195' and os2.CSDVersion0 < 'Service Pack 4'))
/// ```
///
/// The checker compares build numbers as text; this compares them as numbers, which gives the
/// same answer for every four-digit build and also flags three-digit builds (Windows 95) that
/// the text comparison lets through. A missing `CSDVersion0` is the empty string, below any
/// service pack; a missing build (no hardware inventory) matches nothing, as in SQL.
fn below_checker_minimum(build: u32, sp: u8) -> bool {
    build < 2195 || (build == 2600 && sp < 2) || (build == 2195 && sp < 4)
}

/// Operating systems below seed 003's supported client list that the checker's predicate lets
/// through: build 3790 is Windows Server 2003 (supported from SP1) or Windows XP Professional
/// x64 (supported from SP2).
fn below_supported_list(c: &Client, build: u32, sp: u8) -> bool {
    let xp = c
        .os_name
        .as_deref()
        .is_some_and(|n| n.to_ascii_lowercase().contains("xp"));
    build == 3790 && sp < if xp { 2 } else { 1 }
}

/// The hotfix the ConfigMgr 2007 SP1 client needs first (seed 003, footnotes 6 and 7).
fn hotfix_needed(build: u32, sp: u8) -> Option<&'static str> {
    match build {
        6000..=6002 if build == 6002 || sp >= 2 => {
            Some("KB970093 (Windows Vista SP2 / Server 2008 SP2)")
        }
        7600..=7601 => Some("KB974236 (Windows 7 / Server 2008 R2)"),
        _ => None,
    }
}

// Seed 002 "Running the Prerequisite Checker" (the query and "Configuration Manager clients are
// only supported on Windows 2000 SP4 or later operating systems"); seed 003 "Computer Client
// Operating System Requirements" and "Unsupported Operating Systems".
fn operating_systems(site: &Site, assigned: &[&Client], limit: usize, out: &mut Vec<Finding>) {
    let mut unsupported = Vec::new();
    let mut below_list = Vec::new();
    let mut unknown = Vec::new();
    let mut windows_2000 = Vec::new();
    let mut hotfix = Vec::new();
    // `sd2.Client0='1' and assign2.SMS_Assigned_Sites0 = <site>`; obsolete records are not
    // filtered out by the checker either.
    for c in assigned.iter().filter(|c| c.client_installed) {
        let Some(build) = c.os_build else {
            if !c.obsolete {
                let discovery = c
                    .os_name_and_version
                    .as_deref()
                    .unwrap_or("no OS name either");
                unknown.push(item(
                    c,
                    format!("no hardware inventory of its OS; discovery: {discovery}"),
                ));
            }
            continue;
        };
        let sp = c.os_service_pack.unwrap_or(0);
        if below_checker_minimum(build, sp) {
            unsupported.push(item(c, os_text(c)));
        } else if below_supported_list(c, build, sp) {
            below_list.push(item(c, os_text(c)));
        } else if build == 2195 && !c.obsolete {
            windows_2000.push(item(c, os_text(c)));
        } else if let Some(kb) = hotfix_needed(build, sp).filter(|_| !c.obsolete) {
            hotfix.push(item(c, format!("{}: needs {kb}", os_text(c))));
        }
    }
    let code = site.code;
    if !unsupported.is_empty() {
        let n = unsupported.len();
        out.push(Finding::new(
            Rule::ClientOsUnsupported,
            code,
            format!("{n} client(s) assigned to {code} run an OS below Windows 2000 SP4 / XP SP2"),
            Evidence::listing(
                format!("{n} row(s) of the prerequisite checker's unsupported client OS query for {code}"),
                sorted(unsupported),
                limit,
            ),
            "Upgrade these clients to Windows 2000 SP4, Windows XP SP2 or a later operating \
             system, or exclude them from the migration.",
        ));
    }
    if !below_list.is_empty() {
        let n = below_list.len();
        out.push(Finding::new(
            Rule::ClientOsBelowSupportedList,
            code,
            format!("{n} client(s) assigned to {code} run an OS below the SP1 supported list that the prerequisite checker does not catch"),
            Evidence::listing(format!("{n} client(s) on build 3790 without the service pack the list requires"), sorted(below_list), limit),
            "Apply Windows Server 2003 SP1 (or SP2), or Windows XP x64 SP2, before installing the \
             ConfigMgr client.",
        ));
    }
    if !unknown.is_empty() {
        let n = unknown.len();
        out.push(Finding::new(
            Rule::ClientOsUnknown,
            code,
            format!("cannot tell from the inventory which OS service pack {n} client(s) assigned to {code} run"),
            Evidence::listing(format!("{n} installed client(s) without a client_os.csv row"), sorted(unknown), limit),
            "Collect hardware inventory from these clients or check them by hand: the \
             prerequisite checker's query skips clients without OS inventory.",
        ));
    }
    if !windows_2000.is_empty() {
        let n = windows_2000.len();
        out.push(Finding::new(
            Rule::Windows2000NativeMode,
            code,
            format!("{n} Windows 2000 SP4 client(s) assigned to {code}: supported, but not in native mode"),
            Evidence::listing(format!("{n} client(s) on build 2195 with SP4 or later"), sorted(windows_2000), limit),
            "Keep the upgraded site in mixed mode while it has Windows 2000 clients, or upgrade \
             them before switching to native mode.",
        ));
    }
    if !hotfix.is_empty() {
        let n = hotfix.len();
        out.push(Finding::new(
            Rule::ClientOsHotfix,
            code,
            format!("{n} client(s) assigned to {code} need a hotfix before the ConfigMgr 2007 SP1 client installs"),
            Evidence::listing(format!("{n} client(s) on Windows Vista SP2, Server 2008 SP2, Windows 7 or Server 2008 R2"), sorted(hotfix), limit),
            "Apply KB970093 (Vista SP2 / Server 2008 SP2) or KB974236 (Windows 7 / Server 2008 R2) \
             before upgrading these clients.",
        ));
    }
}

// Seed 002 "Running the Prerequisite Checker": rule "Client GUID consistency", Result: Error;
// query `IsNULL(SMS_Unique_Identifier0,'') != IsNULL(GUID,'')` over System_DISC inner-joined
// to MachineIdGroupXRef (a resource without a MachineIdGroupXRef row is not compared).
fn inconsistent_guids(c: &Client) -> Option<(&str, &str)> {
    let xref = c.machine_id_guid.as_deref()?;
    let sms = c.sms_guid.as_deref().unwrap_or("");
    (!sms.eq_ignore_ascii_case(xref)).then_some((sms, xref))
}

/// Report the inconsistent GUIDs among the records of `site`'s database (`in_db`, already
/// filtered by [`inconsistent_guids`]).
fn guid_consistency(site: &Site, in_db: &[&Client], limit: usize, out: &mut Vec<Finding>) {
    let items: Vec<EvidenceItem> = in_db
        .iter()
        .filter_map(|c| {
            let (sms, xref) = inconsistent_guids(c)?;
            let at = c
                .assigned_site
                .map_or_else(|| "unassigned".to_owned(), |s| format!("assigned to {s}"));
            let sms = if sms.is_empty() { "(none)" } else { sms };
            Some(item(
                c,
                format!("SMS GUID {sms}, MachineIdGroupXRef GUID {xref}, {at}"),
            ))
        })
        .collect();
    if items.is_empty() {
        return;
    }
    let n = items.len();
    out.push(Finding::new(
        Rule::InconsistentGuids,
        site.code,
        format!("{n} resource(s) in {}'s database have inconsistent client GUIDs", site.code),
        Evidence::listing(
            format!("{n} row(s) of the prerequisite checker's Client GUID consistency query (this site's resources and those of the sites below it)"),
            sorted(items),
            limit,
        ),
        "For each system, delete it from the site database, remove the SMS client from it, or \
         delete smscfg.ini from its Windows folder and reinstall the client.",
    ));
}

// Seed 001 "Managing Client Identity" (ConfigMgr 2007 identifies clients by hardware ID and
// creates new records for duplicates); seed 000, site properties "Advanced" tab (conflicting
// records); seed 002 for the smscfg.ini fix.
fn duplicates(
    inv: &Inventory,
    site: &Site,
    index: &ClientIndex<'_>,
    limit: usize,
    out: &mut Vec<Finding>,
) {
    let mine = |g: &&Vec<&Client>| g.iter().any(|c| index.counts_for(c, site.code, inv));
    let describe = |g: &[&Client]| {
        g.iter()
            .map(|c| format!("{} ({})", c.name, c.resource_id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let dup: Vec<EvidenceItem> = index
        .duplicate_guids
        .iter()
        .filter(mine)
        .map(|g| {
            let mut hw: Vec<String> = g
                .iter()
                .filter_map(|c| c.hardware_id.as_deref())
                .map(str::to_ascii_uppercase)
                .collect();
            hw.sort_unstable();
            hw.dedup();
            let hardware = if hw.len() > 1 {
                "different hardware IDs (cloned image)"
            } else {
                "same hardware ID (duplicate records)"
            };
            EvidenceItem {
                resource_id: None,
                name: g[0].sms_guid.clone().unwrap_or_default(),
                detail: format!("{}; {hardware}", describe(g)),
            }
        })
        .collect();
    if !dup.is_empty() {
        let n = dup.len();
        out.push(Finding::new(
            Rule::DuplicateGuids,
            site.code,
            format!(
                "{n} SMS GUID(s) are shared by several active client records of {}",
                site.code
            ),
            Evidence::listing(
                format!("{n} group(s) of active records with one SMS_Unique_Identifier0"),
                dup,
                limit,
            ),
            "On every system but one in each group, delete smscfg.ini from the Windows folder and \
             reinstall the client; delete records of machines that no longer exist.",
        ));
    }
    let shared: Vec<EvidenceItem> = index
        .shared_hardware_ids
        .iter()
        .filter(mine)
        .map(|g| EvidenceItem {
            resource_id: None,
            name: g[0].hardware_id.clone().unwrap_or_default(),
            detail: describe(g),
        })
        .collect();
    if !shared.is_empty() {
        let n = shared.len();
        out.push(Finding::new(
            Rule::SharedHardwareId,
            site.code,
            format!(
                "{n} hardware ID(s) appear under several SMS GUIDs at {}",
                site.code
            ),
            Evidence::listing(
                format!(
                    "{n} group(s) of active records with one Hardware_ID0 and different SMS GUIDs"
                ),
                shared,
                limit,
            ),
            "ConfigMgr 2007 creates a new record for a duplicate hardware ID by default; to merge \
             such records instead, choose manual conflict resolution on the site's Advanced tab, \
             and delete records you no longer need.",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checker_predicate() {
        assert!(below_checker_minimum(1381, 6)); // NT 4.0 SP6
        assert!(below_checker_minimum(2195, 3));
        assert!(!below_checker_minimum(2195, 4));
        assert!(below_checker_minimum(2600, 1));
        assert!(!below_checker_minimum(2600, 2));
        assert!(!below_checker_minimum(3790, 0));
        assert!(!below_checker_minimum(6000, 0));
    }

    #[test]
    fn hotfixes() {
        assert!(hotfix_needed(6002, 2).is_some());
        assert!(hotfix_needed(6001, 1).is_none());
        assert!(hotfix_needed(7600, 0).is_some());
        assert!(hotfix_needed(2600, 3).is_none());
    }
}
