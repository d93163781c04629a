//! The verifier: simulate a plan step by step against the inventory and check every invariant
//! of DESIGN §4.4, trusting nothing the planner decided.
//!
//! - At no step do two sites (SMS or ConfigMgr, site or roaming entries) claim overlapping
//!   address space that they did not already share before the plan: an added boundary must not
//!   overlap — certainly or possibly — any entry another site still holds.
//! - Every SMS entry overlapping an added boundary was removed, and a replication wait came
//!   after that removal and before the add.
//! - Clients are reassigned only to built, primary ConfigMgr sites, from the site they are in,
//!   and only once a boundary of that site (or of one of its secondaries) covers them.
//! - The first site built is the central site; every site is built after its parent; no
//!   ConfigMgr site has an SMS parent.
//! - Objects are imported after they were exported, and after what they need: limiting
//!   collections, both ends of a subcollection link, packages before programs, collections,
//!   packages and programs before advertisements; queries and reports are imported explicitly
//!   into every site that needs them.
//! - A site is decommissioned after its children, and its AD and WINS entries are removed
//!   after it is decommissioned.

mod objects;
mod violation;

use foldhash::{HashMap, HashMapExt as _, HashSet, HashSetExt as _};

pub use violation::{Violation, ViolationKind};

use super::model::{Action, BoundaryRef, Connection, NewSite, ObjectKind, ObjectRef, Plan, Step};
use super::state::{HeldBoundary, HierarchyState, SiteState, SiteStatus};
use super::universe::{BoundaryView, ClientEntries, Entry, Universe};
use crate::inventory::{Inventory, SiteCode, SiteType};

/// The outcome of [`verify`]: every violation, and the hierarchy before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Violations, in step order.
    pub violations: Vec<Violation>,
    /// The hierarchy before the first step.
    pub before: HierarchyState,
    /// The hierarchy after the last step.
    pub after: HierarchyState,
}

impl Verification {
    /// True when no invariant is broken.
    pub fn passed(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Simulate `plan` on `inv` and check it.
pub fn verify(inv: &Inventory, plan: &Plan) -> Verification {
    let mut sim = Sim::new(inv, plan);
    let before = sim.state();
    let mut i = 0;
    while i < plan.steps.len() {
        // Consecutive reassignments are checked together (see `Sim::reassign_run`).
        let run = plan.steps[i..]
            .iter()
            .take_while(|s| matches!(s.action, Action::ReassignClients { .. }))
            .count();
        if run > 0 {
            sim.reassign_run(i, &plan.steps[i..i + run]);
            i += run;
            continue;
        }
        let step = &plan.steps[i];
        sim.step(i, step);
        i += 1;
    }
    sim.finish();
    let after = sim.state();
    Verification {
        violations: sim.violations,
        before,
        after,
    }
}

/// Resource ID → index into `inv.clients`; the last client wins where an ID repeats.
enum ClientIndex {
    /// Resource IDs are normally allocated densely: a table by `id - min`, `u32::MAX` where no
    /// client has the ID. A step's clients come in ID order, so the lookups walk the table
    /// forwards; a hash table over a million clients costs a cache miss per lookup instead.
    Dense { min: u32, slots: Vec<u32> },
    /// Any other spread of IDs.
    Map(HashMap<u32, u32>),
}

impl ClientIndex {
    fn new(inv: &Inventory) -> Self {
        let ids = inv.clients.iter().map(|c| c.resource_id);
        let (Some(min), Some(max)) = (ids.clone().min(), ids.clone().max()) else {
            return Self::Map(HashMap::new());
        };
        let span = (max - min) as usize + 1;
        if span > 2 * inv.clients.len() + 1024 {
            return Self::Map(ids.enumerate().map(|(i, id)| (id, i as u32)).collect());
        }
        let mut slots = vec![u32::MAX; span];
        for (i, id) in ids.enumerate() {
            slots[(id - min) as usize] = i as u32;
        }
        Self::Dense { min, slots }
    }

    fn get(&self, id: u32) -> Option<u32> {
        match self {
            Self::Dense { min, slots } => id
                .checked_sub(*min)
                .and_then(|k| slots.get(k as usize))
                .copied()
                .filter(|i| *i != u32::MAX),
            Self::Map(map) => map.get(&id).copied(),
        }
    }
}

struct Sim<'a> {
    inv: &'a Inventory,
    plan: &'a Plan,
    new_sites: HashMap<SiteCode, &'a NewSite>,
    /// Primary each new site's clients are assigned to.
    primary_of: HashMap<SiteCode, SiteCode>,
    universe: Universe<'a>,
    /// Entries by site.
    site_entries: HashMap<SiteCode, Vec<u32>>,
    /// Direct children of each SMS site (one pass, not a scan of every site per decommission).
    children: HashMap<SiteCode, Vec<SiteCode>>,
    present: Vec<bool>,
    removed_at: Vec<Option<u32>>,
    connection: Vec<Option<Connection>>,
    last_wait: Option<u32>,
    built: HashSet<SiteCode>,
    decommissioned: HashSet<SiteCode>,
    ad_wins_removed: HashSet<SiteCode>,
    /// Entries each client lies in.
    located: ClientEntries,
    /// The entry each add step names, by step index (`u32::MAX` for other steps).
    added_entry: Vec<u32>,
    assigned: Vec<Option<SiteCode>>,
    /// Resource ID → index into `inv.clients` (one probe instead of a bisection over a large
    /// array of large records).
    client_index: ClientIndex,
    exported: HashSet<ObjectRef>,
    imported: HashSet<(SiteCode, ObjectRef)>,
    violations: Vec<Violation>,
    seq: u32,
}

impl<'a> Sim<'a> {
    fn new(inv: &'a Inventory, plan: &'a Plan) -> Self {
        let mut entries: Vec<Entry> = inv
            .boundaries
            .iter()
            .map(|b| Entry::new(b.site_code, BoundaryView::of(b), false, &plan.masks))
            .collect();
        let mut adds = Vec::new();
        for (i, step) in plan.steps.iter().enumerate() {
            if let Action::AddBoundary { site, boundary, .. } = &step.action {
                entries.push(Entry::new(
                    *site,
                    BoundaryView::of_ref(boundary),
                    true,
                    &plan.masks,
                ));
                adds.push(i);
            }
        }
        let (universe, slots) = Universe::build(entries);
        // The entry each add names, by step index.
        let mut added_entry = vec![u32::MAX; plan.steps.len()];
        for (step, slot) in adds.iter().zip(&slots[inv.boundaries.len()..]) {
            added_entry[*step] = *slot;
        }
        let present: Vec<bool> = universe.entries.iter().map(|e| !e.configmgr).collect();
        let located = universe.locate_all(&inv.clients);
        let new_sites: HashMap<SiteCode, &NewSite> =
            plan.sites.iter().map(|s| (s.code, s)).collect();
        let primary_of = plan
            .sites
            .iter()
            .filter_map(|s| Some((s.code, plan.assignment_site(s.code)?)))
            .collect();
        let n = universe.len();
        let mut site_entries: HashMap<SiteCode, Vec<u32>> = HashMap::new();
        for (i, e) in universe.entries.iter().enumerate() {
            site_entries.entry(e.site).or_default().push(i as u32);
        }
        // Built here rather than shared with the planner: the verifier trusts none of its code.
        let mut children: HashMap<SiteCode, Vec<SiteCode>> = HashMap::new();
        for s in &inv.sites {
            if let Some(parent) = s.parent {
                children.entry(parent).or_default().push(s.code);
            }
        }
        Self {
            inv,
            plan,
            new_sites,
            primary_of,
            universe,
            site_entries,
            children,
            present,
            removed_at: vec![None; n],
            connection: vec![None; n],
            last_wait: None,
            built: HashSet::new(),
            decommissioned: HashSet::new(),
            ad_wins_removed: HashSet::new(),
            located,
            added_entry,
            assigned: inv.clients.iter().map(|c| c.assigned_site).collect(),
            client_index: ClientIndex::new(inv),
            exported: HashSet::new(),
            imported: HashSet::new(),
            violations: Vec::new(),
            seq: 0,
        }
    }

    fn violation(&mut self, kind: ViolationKind) {
        let seq = (self.seq > 0).then_some(self.seq);
        self.violations.push(Violation { seq, kind });
    }

    /// The checks every step gets: its place in the sequence and its dependencies.
    fn begin(&mut self, index: usize, step: &Step) {
        self.seq = step.seq;
        let expected = index as u32 + 1;
        if step.seq != expected {
            self.violation(ViolationKind::SeqOutOfOrder { expected });
        }
        for on in &step.depends_on {
            if *on == 0 || *on >= step.seq {
                self.violation(ViolationKind::BadDependency { on: *on });
            }
        }
    }

    /// Check and apply one step (reassignments go through [`Self::reassign_run`]).
    fn step(&mut self, index: usize, step: &Step) {
        if let Action::ReassignClients { .. } = step.action {
            return self.reassign_run(index, std::slice::from_ref(step));
        }
        self.begin(index, step);
        match &step.action {
            Action::CreateSite { site } => self.create(*site),
            Action::ExportObjects { site, objects, .. } => {
                if self.sms_site(*site) {
                    self.exported.extend(objects.iter().cloned());
                }
            }
            Action::ImportObjects { site, objects, .. } => self.import(*site, objects),
            Action::RemoveBoundary { site, boundary } => self.remove(*site, boundary),
            Action::WaitReplication { minutes } => {
                if *minutes == 0 {
                    self.violation(ViolationKind::ZeroWait);
                }
                self.last_wait = Some(step.seq);
            }
            Action::AddBoundary {
                site,
                boundary,
                connection,
            } => self.add(*site, boundary, *connection, self.added_entry[index]),
            Action::ReassignClients { .. } => {}
            Action::DecommissionSite { site } => self.decommission(*site),
            Action::RemoveAdWinsEntries { site } => {
                if !self.decommissioned.contains(site) {
                    self.violation(ViolationKind::AdWinsBeforeDecommission { site: *site });
                }
                self.ad_wins_removed.insert(*site);
            }
        }
    }

    /// True when `site` is an SMS site still running; records a violation otherwise.
    fn sms_site(&mut self, site: SiteCode) -> bool {
        if self.new_sites.contains_key(&site) {
            self.violation(ViolationKind::WrongProduct {
                site,
                expected: "SMS",
            });
            false
        } else if self.inv.site(site).is_none() {
            self.violation(ViolationKind::UnknownSite { site });
            false
        } else if self.decommissioned.contains(&site) {
            self.violation(ViolationKind::SiteDecommissioned { site });
            false
        } else {
            true
        }
    }

    /// Records that `site`, used where a new site is needed, is not one: an SMS site of the
    /// inventory, or no site at all.
    fn not_a_new_site(&mut self, site: SiteCode) {
        let kind = if self.inv.site(site).is_some() {
            ViolationKind::WrongProduct {
                site,
                expected: "ConfigMgr",
            }
        } else {
            ViolationKind::UnknownSite { site }
        };
        self.violation(kind);
    }

    /// True when `site` is a built ConfigMgr site; records a violation otherwise.
    fn configmgr_site(&mut self, site: SiteCode) -> bool {
        if !self.new_sites.contains_key(&site) {
            self.not_a_new_site(site);
            false
        } else if !self.built.contains(&site) {
            self.violation(ViolationKind::SiteNotBuilt { site });
            false
        } else {
            true
        }
    }

    fn create(&mut self, site: SiteCode) {
        let Some(new) = self.new_sites.get(&site).copied() else {
            self.not_a_new_site(site);
            return;
        };
        if self.built.contains(&site) {
            self.violation(ViolationKind::AlreadyBuilt { site });
        }
        match new.parent {
            None => {}
            Some(parent) if self.inv.site(parent).is_some() => {
                self.violation(ViolationKind::SmsParent { site, parent });
            }
            Some(parent) => {
                if self.built.is_empty() {
                    self.violation(ViolationKind::CentralNotFirst { site });
                } else if !self.built.contains(&parent) {
                    self.violation(ViolationKind::ParentNotBuilt { site, parent });
                }
            }
        }
        self.built.insert(site);
    }

    fn remove(&mut self, site: SiteCode, boundary: &BoundaryRef) {
        if !self.sms_site(site) {
            return;
        }
        let key = Universe::key_of(site, boundary, false);
        match self.universe.find(&key) {
            Some(e) if self.present[e as usize] => {
                self.present[e as usize] = false;
                self.removed_at[e as usize] = Some(self.seq);
            }
            _ => self.violation(ViolationKind::BoundaryNotPresent {
                site,
                boundary: boundary.clone(),
            }),
        }
    }

    /// Add `boundary` to `site`: the table's `entry`.
    fn add(&mut self, site: SiteCode, boundary: &BoundaryRef, connection: Connection, entry: u32) {
        if !self.configmgr_site(site) {
            return;
        }
        if self.present[entry as usize] {
            self.violation(ViolationKind::BoundaryAlreadyPresent {
                site,
                boundary: boundary.clone(),
            });
            return;
        }
        let mut found = Vec::new();
        self.universe
            .overlapping(entry, |other, verdict| found.push((other, verdict)));
        found.sort_unstable();
        for (other, verdict) in found {
            let o = &self.universe.entries[other as usize];
            if o.site == site {
                continue;
            }
            if self.present[other as usize] {
                let kind = ViolationKind::Overlap {
                    site,
                    boundary: boundary.clone(),
                    other_site: o.site,
                    other: o.bref.to_ref(),
                    overlap: verdict,
                };
                self.violation(kind);
            } else if let Some(removed_at) = self.removed_at[other as usize] {
                if self.last_wait.is_none_or(|w| w < removed_at) {
                    let kind = ViolationKind::NoReplicationWait {
                        site,
                        boundary: boundary.clone(),
                        removed_site: o.site,
                        removed: o.bref.to_ref(),
                        removed_at,
                    };
                    self.violation(kind);
                }
            }
        }
        self.present[entry as usize] = true;
        self.connection[entry as usize] = Some(connection);
    }

    /// Check and apply a run of consecutive reassignment steps, `steps[k]` being step
    /// `first + k`.
    ///
    /// Equivalent to checking them one by one, in the same violation order: reassignments
    /// change nothing but the clients' sites, so each client's steps can be replayed in order
    /// independently of the others. Replaying them by resource ID reads the client tables front
    /// to back; step by step, a million clients' tables are read at random, which costs several
    /// times as much per client as at a tenth of the size.
    fn reassign_run(&mut self, first: usize, steps: &[Step]) {
        let outer = std::mem::take(&mut self.violations);
        // Violations tagged (step, 0 for the step / 1 for its clients, position, order).
        let mut tagged: Vec<((usize, u8, usize, usize), Violation)> = Vec::new();
        // (resource ID, step, position in the step) of every client to replay.
        let mut replay: Vec<(u32, u32, u32)> = Vec::new();
        for (k, step) in steps.iter().enumerate() {
            self.begin(first + k, step);
            let Action::ReassignClients {
                to_site, clients, ..
            } = &step.action
            else {
                unreachable!("a run holds only reassignments");
            };
            if self.configmgr_site(*to_site) {
                if self.new_sites[to_site].site_type == SiteType::Primary {
                    let k = k as u32;
                    replay.extend(clients.iter().zip(0..).map(|(id, p)| (*id, k, p)));
                } else {
                    self.violation(ViolationKind::ReassignToSecondary { site: *to_site });
                }
            }
            let found = std::mem::take(&mut self.violations);
            tagged.extend(
                found
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| ((k, 0, 0, i), v)),
            );
        }
        replay.sort_unstable();
        for (id, k, p) in replay {
            let step = &steps[k as usize];
            let Action::ReassignClients {
                from_site, to_site, ..
            } = &step.action
            else {
                unreachable!("a run holds only reassignments");
            };
            let seq = (step.seq > 0).then_some(step.seq);
            let tag = |order: usize| (k as usize, 1, p as usize, order);
            let Some(c) = self.client_index.get(id).map(|c| c as usize) else {
                let kind = ViolationKind::UnknownClient { client: id };
                tagged.push((tag(0), Violation { seq, kind }));
                continue;
            };
            if self.assigned[c] != *from_site {
                let kind = ViolationKind::WrongFromSite {
                    client: id,
                    expected: *from_site,
                    actual: self.assigned[c],
                };
                tagged.push((tag(0), Violation { seq, kind }));
            }
            let covered = self.located.of(c).iter().any(|e| {
                let (site, configmgr) = self.universe.owner(*e);
                configmgr
                    && self.present[*e as usize]
                    && self.primary_of.get(&site) == Some(to_site)
            });
            if !covered {
                let kind = ViolationKind::ClientNotCovered {
                    client: id,
                    site: *to_site,
                };
                tagged.push((tag(1), Violation { seq, kind }));
            }
            self.assigned[c] = Some(*to_site);
        }
        tagged.sort_by_key(|(tag, _)| *tag);
        self.violations = outer;
        self.violations.extend(tagged.into_iter().map(|(_, v)| v));
    }

    fn decommission(&mut self, site: SiteCode) {
        if !self.sms_site(site) {
            return;
        }
        let children = self.children.get(&site).cloned().unwrap_or_default();
        for child in children {
            if !self.decommissioned.contains(&child) {
                self.violation(ViolationKind::ChildStillActive { site, child });
            }
        }
        self.decommissioned.insert(site);
        for e in self.site_entries.get(&site).into_iter().flatten() {
            let e = *e as usize;
            if self.present[e] {
                self.present[e] = false;
                self.removed_at[e] = Some(self.seq);
            }
        }
    }

    /// The hierarchy as it stands.
    fn state(&self) -> HierarchyState {
        let mut state = HierarchyState::default();
        let mut clients: HashMap<SiteCode, usize> = HashMap::new();
        for site in self.assigned.iter().flatten() {
            *clients.entry(*site).or_default() += 1;
        }
        let status = |code: SiteCode, configmgr: bool| {
            if self.decommissioned.contains(&code) {
                SiteStatus::Decommissioned
            } else if configmgr && !self.built.contains(&code) {
                SiteStatus::NotBuilt
            } else {
                SiteStatus::Active
            }
        };
        let sites = self
            .inv
            .sites
            .iter()
            .map(|s| (s.code, s.name.clone(), s.parent, false, s.site_type))
            .chain(
                self.plan
                    .sites
                    .iter()
                    .map(|s| (s.code, s.name.clone(), s.parent, true, s.site_type)),
            );
        for (code, name, parent, configmgr, site_type) in sites {
            let boundaries = self
                .site_entries
                .get(&code)
                .into_iter()
                .flatten()
                .filter(|e| self.present[**e as usize])
                .map(|e| HeldBoundary {
                    boundary: self.universe.entries[*e as usize].bref.to_ref(),
                    connection: self.connection[*e as usize],
                })
                .collect();
            state.sites.insert(
                code,
                SiteState {
                    code,
                    name,
                    parent,
                    configmgr,
                    site_type,
                    status: status(code, configmgr),
                    boundaries,
                    clients: clients.get(&code).copied().unwrap_or(0),
                },
            );
        }
        state.sort();
        state
    }

    fn finish(&mut self) {
        self.seq = 0;
        let plan = self.plan;
        for s in &plan.sites {
            if !self.built.contains(&s.code) {
                self.violation(ViolationKind::NeverBuilt { site: s.code });
            }
        }
        for site in &plan.decommission {
            if !self.decommissioned.contains(site) {
                self.violation(ViolationKind::NeverDecommissioned { site: *site });
            }
        }
        let mut gone: Vec<SiteCode> = self.decommissioned.iter().copied().collect();
        gone.sort_unstable();
        for site in gone {
            if !self.ad_wins_removed.contains(&site) {
                self.violation(ViolationKind::AdWinsNotRemoved { site });
            }
        }
        for kind in ObjectKind::ALL {
            let sites = match kind {
                ObjectKind::Queries | ObjectKind::Reports => plan.query_report_sites.clone(),
                _ => plan.import_site.into_iter().collect(),
            };
            for object in plan.objects.of(kind) {
                for site in &sites {
                    if !self.imported.contains(&(*site, object.clone())) {
                        self.violation(ViolationKind::NeverImported {
                            object: object.clone(),
                            site: *site,
                        });
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::synth::{generate, SynthConfig};

    /// The index answers exactly like the map it replaced, dense or not, with repeated IDs.
    #[test]
    fn client_index_matches_a_map() {
        let base = generate(&SynthConfig::small(7));
        let spread = [1u32, 3, 3, 7, 1_000_000, u32::MAX - 1];
        for ids in [vec![10u32, 11, 12, 12, 15, 40], spread.to_vec(), Vec::new()] {
            let mut inv = Inventory::default();
            for id in &ids {
                let mut c = base.clients[0].clone();
                c.resource_id = *id;
                inv.clients.push(c);
            }
            let map: HashMap<u32, u32> = ids
                .iter()
                .enumerate()
                .map(|(i, id)| (*id, i as u32))
                .collect();
            let index = ClientIndex::new(&inv);
            assert_eq!(
                matches!(index, ClientIndex::Dense { .. }),
                ids.len() == 6 && ids[0] == 10
            );
            for probe in [
                0,
                1,
                2,
                3,
                9,
                10,
                12,
                13,
                15,
                16,
                40,
                41,
                1_000_000,
                u32::MAX,
            ] {
                assert_eq!(index.get(probe), map.get(&probe).copied(), "id {probe}");
            }
        }
    }
}
