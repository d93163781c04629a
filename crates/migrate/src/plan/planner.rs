//! The planner: a pure function from an inventory and a validated target to a [`Plan`].
//!
//! The planner keeps a running picture of the hierarchy (which entry is present, which client
//! is assigned where) while it emits steps, so each decision sees the state the step will meet.
//! Phases live in submodules: `objects` (carry selection, export and import), `waves`
//! (boundary moves), `clients` (selection and reassignment); building the sites and cleaning up
//! are here.

mod clients;
mod objects;
mod waves;

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt as _};

use super::model::{
    Action, BoundaryRef, Finding, FindingKind, ObjectSet, Phase, Plan, Step, WaveInfo,
};
use super::overlap::Overlap;
use super::target::{site_range, ClientSelection, Target};
use super::universe::{BoundaryView, ClientEntries, Entry, Universe};
use crate::inventory::{Client, ClientType, Inventory, SiteCode};

/// How many examples a finding lists.
const EXAMPLES: usize = 5;

/// Plan the side-by-side migration of `inv` to `target` (which must have been resolved
/// against `inv`). Never fails: what cannot be planned safely becomes a finding.
pub fn plan(inv: &Inventory, target: &Target) -> Plan {
    let mut p = Planner::new(inv, target);
    p.initial_overlaps();
    p.build_sites();
    p.objects();
    for (i, wave) in target.waves.iter().enumerate() {
        p.wave(i, wave);
    }
    p.cleanup();
    p.finish()
}

/// Clients and the entries they lie in, both ways, as compressed rows.
struct Locations {
    /// Entries each client lies in.
    of_client: ClientEntries,
    /// `entry_cli[entry_off[e]..entry_off[e + 1]]`: clients in entry `e`, ascending.
    entry_off: Vec<u32>,
    entry_cli: Vec<u32>,
}

impl Locations {
    fn build(inv: &Inventory, u: &Universe<'_>) -> Self {
        let of_client = u.locate_all(&inv.clients);
        let mut counts = vec![0u32; u.len() + 1];
        for e in of_client.all() {
            counts[*e as usize + 1] += 1;
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let entry_off = counts.clone();
        let mut fill = counts;
        let mut entry_cli = vec![0u32; of_client.all().len()];
        for c in 0..of_client.clients() {
            for e in of_client.of(c) {
                entry_cli[fill[*e as usize] as usize] = c as u32;
                fill[*e as usize] += 1;
            }
        }
        Self {
            of_client,
            entry_off,
            entry_cli,
        }
    }

    fn entries_of(&self, client: usize) -> &[u32] {
        self.of_client.of(client)
    }

    fn clients_in(&self, entry: u32) -> &[u32] {
        let e = entry as usize;
        &self.entry_cli[self.entry_off[e] as usize..self.entry_off[e + 1] as usize]
    }
}

/// The facts about a client the client phase needs.
#[derive(Debug, Clone, Copy)]
struct ClientFacts {
    resource_id: u32,
    installed: bool,
    obsolete: bool,
    legacy: bool,
}

impl ClientFacts {
    fn of(c: &Client) -> Self {
        Self {
            resource_id: c.resource_id,
            installed: c.client_installed,
            obsolete: c.obsolete,
            legacy: c.client_type == Some(ClientType::Legacy),
        }
    }
}

struct Planner<'a> {
    inv: &'a Inventory,
    target: &'a Target,
    /// The plan so far (steps and findings are appended as phases run).
    plan: Plan,
    universe: Universe<'a>,
    /// Universe entry of each inventory boundary.
    inv_entry: Vec<u32>,
    /// Per wave, the ConfigMgr entry of each boundary its moves name, in move order.
    move_entry: Vec<Vec<u32>>,
    /// Whether each entry is present now.
    present: Vec<bool>,
    /// For removed SMS entries: the wait step that followed the removal.
    wait_after: Vec<Option<u32>>,
    /// For added ConfigMgr entries: the add step.
    added_at: Vec<Option<u32>>,
    /// Create step of each new site.
    created: HashMap<SiteCode, u32>,
    /// Steps that touched each SMS site (removals, exports, reassignments away).
    site_steps: HashMap<SiteCode, Vec<u32>>,
    locations: Locations,
    /// Current assignment of each client (index into `inv.clients`).
    assigned: Vec<Option<SiteCode>>,
    /// Whether a wave has reassigned the client.
    reassigned: Vec<bool>,
    /// Scratch for one wave's client selection: the primary chosen for each client (all
    /// `None` between waves).
    choice: Vec<Option<SiteCode>>,
    /// Whether the client was reported in two sites' boundaries.
    co_reported: Vec<bool>,
    /// What the client phase reads of each client, in one small record: the inventory's
    /// records are large, and a wave visits its clients scattered over all of them.
    facts: Vec<ClientFacts>,
    /// Client indices by the SMS site they are assigned to in the inventory (empty unless a
    /// move selects clients by site).
    by_site: HashMap<SiteCode, Vec<u32>>,
    /// The primary each new site's clients are assigned to.
    primary_of: HashMap<SiteCode, SiteCode>,
}

impl<'a> Planner<'a> {
    fn new(inv: &'a Inventory, target: &'a Target) -> Self {
        let masks = &target.masks;
        let mut all: Vec<Entry> = inv
            .boundaries
            .iter()
            .map(|b| Entry::new(b.site_code, BoundaryView::of(b), false, masks))
            .collect();
        for wave in &target.waves {
            for m in &wave.moves {
                for i in &m.boundaries {
                    let bref = BoundaryView::of(&inv.boundaries[*i]);
                    all.push(Entry::new(m.to, bref, true, masks));
                }
            }
        }
        let (universe, mut slots) = Universe::build(all);
        // The table's number of each move's ConfigMgr entry, wave by wave.
        let mut moved = slots.split_off(inv.boundaries.len());
        let mut move_entry = Vec::with_capacity(target.waves.len());
        for wave in target.waves.iter().rev() {
            let count: usize = wave.moves.iter().map(|m| m.boundaries.len()).sum();
            move_entry.push(moved.split_off(moved.len() - count));
        }
        move_entry.reverse();
        let inv_entry = slots;
        let present = universe.entries.iter().map(|e| !e.configmgr).collect();
        let locations = Locations::build(inv, &universe);
        let n = universe.len();
        let primary_of = assignment_sites(target);
        Self {
            inv,
            target,
            primary_of,
            plan: Plan {
                sites: target.sites.clone(),
                waves: target
                    .waves
                    .iter()
                    .map(|w| WaveInfo {
                        number: w.number,
                        name: w.name.clone(),
                        wait_minutes: w.wait_minutes,
                    })
                    .collect(),
                masks: target.masks.clone(),
                objects: ObjectSet::default(),
                import_site: Some(target.import_site),
                query_report_sites: target.query_report_sites.clone(),
                decommission: target.decommission.clone(),
                steps: Vec::new(),
                findings: Vec::new(),
            },
            universe,
            inv_entry,
            move_entry,
            present,
            wait_after: vec![None; n],
            added_at: vec![None; n],
            created: HashMap::new(),
            site_steps: HashMap::new(),
            locations,
            assigned: inv.clients.iter().map(|c| c.assigned_site).collect(),
            reassigned: vec![false; inv.clients.len()],
            choice: vec![None; inv.clients.len()],
            co_reported: vec![false; inv.clients.len()],
            facts: inv.clients.iter().map(ClientFacts::of).collect(),
            by_site: if selects_by_site(target) {
                group(
                    inv.clients
                        .iter()
                        .enumerate()
                        .filter_map(|(i, c)| Some((c.assigned_site?, i as u32))),
                )
                .into_iter()
                .collect()
            } else {
                HashMap::new()
            },
        }
    }

    /// Append a step; returns its `seq`.
    fn push(&mut self, phase: Phase, wave: Option<u32>, action: Action, mut deps: Vec<u32>) -> u32 {
        let seq = self.plan.steps.len() as u32 + 1;
        deps.sort_unstable();
        deps.dedup();
        self.plan.steps.push(Step {
            seq,
            phase,
            wave,
            action,
            depends_on: deps,
        });
        seq
    }

    fn finding(&mut self, site: Option<SiteCode>, wave: Option<u32>, kind: FindingKind) {
        self.plan.findings.push(Finding {
            severity: kind.severity(),
            site,
            wave,
            kind,
        });
    }

    /// Overlaps between SMS sites before anything moves: worth a warning, not the plan's doing.
    fn initial_overlaps(&mut self) {
        let mut found = Vec::new();
        for (i, e) in self.universe.entries.iter().enumerate() {
            if e.configmgr {
                continue;
            }
            let i = i as u32;
            self.universe.overlapping(i, |other, verdict| {
                let o = &self.universe.entries[other as usize];
                if verdict == Overlap::Yes && !o.configmgr && o.site != e.site && i < other {
                    found.push((i, other));
                }
            });
        }
        found.sort_unstable();
        for (a, b) in found {
            let (ea, eb) = (
                &self.universe.entries[a as usize],
                &self.universe.entries[b as usize],
            );
            let kind = FindingKind::InitialOverlap {
                boundary: ea.bref.to_ref(),
                other_site: eb.site,
                other: eb.bref.to_ref(),
            };
            self.finding(Some(ea.site), None, kind);
        }
    }

    /// Create the new sites top-down (the target already ordered them).
    fn build_sites(&mut self) {
        for site in &self.target.sites {
            let deps = site
                .parent
                .and_then(|p| self.created.get(&p).copied())
                .into_iter()
                .collect();
            let seq = self.push(
                Phase::Build,
                None,
                Action::CreateSite { site: site.code },
                deps,
            );
            self.created.insert(site.code, seq);
        }
    }

    /// Decommission the chosen SMS sites bottom-up, each followed by its AD/WINS cleanup.
    fn cleanup(&mut self) {
        let inv = self.inv;
        // Depths and children looked up once: asking the inventory per site scans every site
        // (children) or climbs the tree per comparison, O(sites²) over a large hierarchy.
        let depth: HashMap<SiteCode, usize> = self
            .target
            .decommission
            .iter()
            .map(|c| (*c, inv.ancestors(*c).len()))
            .collect();
        let mut order = self.target.decommission.clone();
        order.sort_by(|a, b| depth[b].cmp(&depth[a]).then(a.cmp(b)));
        let children = children_of(inv);
        // Clients still assigned to each site, with the first few names (one pass).
        let mut remaining: HashMap<SiteCode, (usize, Vec<String>)> = HashMap::new();
        for (i, c) in inv.clients.iter().enumerate() {
            if let Some(site) = self.assigned[i] {
                let slot = remaining.entry(site).or_default();
                slot.0 += 1;
                if slot.1.len() < EXAMPLES {
                    slot.1.push(c.name.clone());
                }
            }
        }
        let mut decommissioned: HashMap<SiteCode, u32> = HashMap::new();
        for code in order {
            self.boundaries_left(code);
            if let Some((count, examples)) = remaining.remove(&code) {
                let kind = FindingKind::ClientsLeftBehind { count, examples };
                self.finding(Some(code), None, kind);
            }
            let mut deps = self.site_steps.get(&code).cloned().unwrap_or_default();
            deps.extend(
                children
                    .get(&code)
                    .into_iter()
                    .flatten()
                    .filter_map(|c| decommissioned.get(c).copied()),
            );
            let seq = self.push(
                Phase::Cleanup,
                None,
                Action::DecommissionSite { site: code },
                deps,
            );
            decommissioned.insert(code, seq);
            let (start, end) = site_range(inv, code);
            for i in start..end {
                let e = self.inv_entry[i] as usize;
                self.present[e] = false;
            }
            self.push(
                Phase::Cleanup,
                None,
                Action::RemoveAdWinsEntries { site: code },
                vec![seq],
            );
        }
    }

    /// A finding for the boundaries a decommissioned site still holds.
    fn boundaries_left(&mut self, code: SiteCode) {
        let (start, end) = site_range(self.inv, code);
        let mut examples: Vec<BoundaryRef> = Vec::new();
        let mut count = 0;
        for i in start..end {
            if self.present[self.inv_entry[i] as usize] {
                count += 1;
                if examples.len() < EXAMPLES {
                    examples.push(BoundaryRef::of(&self.inv.boundaries[i]));
                }
            }
        }
        if count > 0 {
            let kind = FindingKind::BoundariesNotMoved { count, examples };
            self.finding(Some(code), None, kind);
        }
    }

    fn finish(mut self) -> Plan {
        // Most severe first; otherwise in the order found (stable sort).
        self.plan
            .findings
            .sort_by_key(|f| std::cmp::Reverse(f.severity));
        self.plan
    }
}

/// The primary each new site's clients are assigned to: the site itself when primary, else its
/// nearest primary ancestor.
fn assignment_sites(target: &Target) -> HashMap<SiteCode, SiteCode> {
    let by_code: HashMap<SiteCode, &crate::plan::model::NewSite> =
        target.sites.iter().map(|s| (s.code, s)).collect();
    let mut out = HashMap::new();
    for site in &target.sites {
        let mut current = Some(site);
        for _ in 0..=target.sites.len() {
            match current {
                Some(s) if s.site_type == crate::inventory::SiteType::Primary => {
                    out.insert(site.code, s.code);
                    break;
                }
                Some(s) => current = s.parent.and_then(|p| by_code.get(&p).copied()),
                None => break,
            }
        }
    }
    out
}

/// Direct child sites of every SMS site, each list in inventory order like
/// [`Inventory::children`], from one pass over the sites.
fn children_of(inv: &Inventory) -> HashMap<SiteCode, Vec<SiteCode>> {
    let mut out: HashMap<SiteCode, Vec<SiteCode>> = HashMap::new();
    for s in &inv.sites {
        if let Some(parent) = s.parent {
            out.entry(parent).or_default().push(s.code);
        }
    }
    out
}

/// Whether a move selects clients by their old site (only then are clients grouped by site).
fn selects_by_site(target: &Target) -> bool {
    target
        .waves
        .iter()
        .flat_map(|w| &w.moves)
        .any(|m| matches!(&m.clients, ClientSelection::Explicit { sites, .. } if !sites.is_empty()))
}

/// Group `(key, value)` pairs into a sorted map of lists.
fn group<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, Vec<V>> {
    let mut map: BTreeMap<K, Vec<V>> = BTreeMap::new();
    for (k, v) in pairs {
        map.entry(k).or_default().push(v);
    }
    map
}
