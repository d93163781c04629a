//! One wave's client reassignments.
//!
//! Each move selects clients (by default those lying in its boundaries; else by old site,
//! boundary or collection). A client is reassigned to the primary that owns the move's site
//! (the site itself, or the parent of a secondary) — and only when a boundary of that primary
//! or of one of its secondaries, present by now, covers it; the rest are reported, never
//! reassigned blind. One step per (primary, current site), depending on the adds that cover
//! its clients.

use std::collections::{BTreeMap, BTreeSet};

use foldhash::{HashMap, HashMapExt as _};

use super::{Planner, EXAMPLES};
use crate::inventory::{CollectionRule, SiteCode};
use crate::plan::model::{Action, FindingKind, Phase};
use crate::plan::target::{ClientSelection, Move, Wave};

/// Where a group of clients goes: (new primary, current site).
type Route = (SiteCode, Option<SiteCode>);

impl Planner<'_> {
    pub(super) fn reassign(&mut self, wave: &Wave) {
        let number = wave.number;
        let inv = self.inv;
        // Clients chosen, in the order first seen; their primary is in `self.choice`. A dense
        // array rather than a map: a wave may choose a large share of a million clients, and a
        // tree that large costs a cache miss per level on every lookup.
        let mut chosen: Vec<u32> = Vec::new();
        let (mut not_clients, mut already) = (BTreeSet::new(), BTreeSet::new());
        for m in &wave.moves {
            let Some(primary) = self.primary_of.get(&m.to).copied() else {
                continue;
            };
            for c in self.select(number, m) {
                let facts = self.facts[c as usize];
                if self.target.exclude.clients.contains(&facts.resource_id) {
                    continue;
                }
                if !facts.installed || facts.obsolete {
                    not_clients.insert(c);
                    continue;
                }
                if self.reassigned[c as usize] {
                    already.insert(c);
                    continue;
                }
                match self.choice[c as usize] {
                    None => {
                        self.choice[c as usize] = Some(primary);
                        chosen.push(c);
                    }
                    Some(first) if first != primary => {
                        let kind = FindingKind::ClientSelectionConflict {
                            client: inv.clients[c as usize].name.clone(),
                            first,
                            second: primary,
                        };
                        self.finding(Some(first), Some(number), kind);
                    }
                    Some(_) => {}
                }
            }
        }
        if !not_clients.is_empty() {
            let kind = FindingKind::NotClients {
                count: not_clients.len(),
            };
            self.finding(None, Some(number), kind);
        }
        if !already.is_empty() {
            let kind = FindingKind::AlreadyReassigned {
                count: already.len(),
            };
            self.finding(None, Some(number), kind);
        }
        // By client index, as the map this replaces iterated; `choice` is left all `None`.
        chosen.sort_unstable();
        let chosen = chosen
            .into_iter()
            .map(|c| {
                let primary = self.choice[c as usize].take();
                (c, primary.expect("every chosen client has a primary"))
            })
            .collect();
        self.emit_reassignments(number, chosen);
    }

    /// Client indices a move selects (may repeat).
    fn select(&mut self, wave: u32, m: &Move) -> Vec<u32> {
        let mut out = Vec::new();
        match &m.clients {
            ClientSelection::InMovedBoundaries => {
                for i in &m.boundaries {
                    out.extend_from_slice(self.locations.clients_in(self.inv_entry[*i]));
                }
            }
            ClientSelection::Explicit {
                sites,
                boundaries,
                collections,
            } => {
                for site in sites {
                    out.extend_from_slice(self.by_site.get(site).map_or(&[][..], Vec::as_slice));
                }
                for i in boundaries {
                    out.extend_from_slice(self.locations.clients_in(self.inv_entry[*i]));
                }
                for id in collections {
                    self.collection_members(wave, id, &mut out);
                }
            }
        }
        out
    }

    fn collection_members(&mut self, wave: u32, id: &str, out: &mut Vec<u32>) {
        let inv = self.inv;
        let Some(col) = inv.collection(id) else {
            return;
        };
        let mut queries = false;
        for rule in &col.rules {
            match rule {
                CollectionRule::Direct { resource_id, .. } => {
                    if let Ok(i) = inv
                        .clients
                        .binary_search_by_key(resource_id, |c| c.resource_id)
                    {
                        out.push(i as u32);
                    }
                }
                CollectionRule::Query { .. } => queries = true,
            }
        }
        if queries {
            let kind = FindingKind::QueryRuleMembers {
                collection: id.to_owned(),
            };
            self.finding(None, Some(wave), kind);
        }
    }

    /// Whether a present boundary of `primary` (or of one of its secondaries) covers client
    /// `c`; appends the add steps of those boundaries to `adds`.
    fn cover(&self, c: usize, primary: SiteCode, adds: &mut Vec<u32>) -> bool {
        let before = adds.len();
        adds.extend(
            self.locations
                .entries_of(c)
                .iter()
                .filter(|e| {
                    let (site, configmgr) = self.universe.owner(**e);
                    configmgr
                        && self.present[**e as usize]
                        && self.primary_of.get(&site) == Some(&primary)
                })
                .filter_map(|e| self.added_at[*e as usize]),
        );
        adds.len() > before
    }

    /// `chosen`: `(client, primary)` sorted by client, each client once.
    fn emit_reassignments(&mut self, wave: u32, chosen: Vec<(u32, SiteCode)>) {
        // Groups in first-seen order, found through a hash index: a wave may reassign a
        // hundred thousand clients into a few thousand groups.
        let mut index: HashMap<Route, usize> = HashMap::new();
        let mut groups: Vec<(Route, Vec<u32>, Vec<u32>)> = Vec::new();
        let mut outside: BTreeMap<SiteCode, (usize, Vec<String>)> = BTreeMap::new();
        let mut legacy: BTreeMap<SiteCode, usize> = BTreeMap::new();
        let inv = self.inv;
        let mut adds = Vec::new();
        for (c, primary) in chosen {
            adds.clear();
            if !self.cover(c as usize, primary, &mut adds) {
                let slot = outside.entry(primary).or_default();
                slot.0 += 1;
                if slot.1.len() < EXAMPLES {
                    slot.1.push(inv.clients[c as usize].name.clone());
                }
                continue;
            }
            let facts = self.facts[c as usize];
            if facts.legacy {
                *legacy.entry(primary).or_default() += 1;
            }
            let route = (primary, self.assigned[c as usize]);
            let g = *index.entry(route).or_insert_with(|| {
                groups.push((route, Vec::new(), Vec::new()));
                groups.len() - 1
            });
            groups[g].1.push(facts.resource_id);
            groups[g].2.extend_from_slice(&adds);
            self.assigned[c as usize] = Some(primary);
            self.reassigned[c as usize] = true;
        }
        for (to_site, (count, examples)) in outside {
            let kind = FindingKind::ClientsOutsideBoundaries {
                to_site,
                count,
                examples,
            };
            self.finding(Some(to_site), Some(wave), kind);
        }
        for (to_site, count) in legacy {
            self.finding(
                Some(to_site),
                Some(wave),
                FindingKind::LegacyClients { to_site, count },
            );
        }
        // Primaries in target order, then the current site.
        // Positions looked up once, not searched per comparison (sites × groups per wave).
        let mut position: HashMap<SiteCode, usize> = HashMap::new();
        for (i, s) in self.plan.sites.iter().enumerate() {
            position.entry(s.code).or_insert(i);
        }
        let order = |code: SiteCode| position.get(&code).copied();
        groups.sort_by_key(|((to, from), _, _)| (order(*to), *from));
        for ((to_site, from_site), mut clients, deps) in groups {
            clients.sort_unstable();
            let action = Action::ReassignClients {
                from_site,
                to_site,
                clients,
            };
            let seq = self.push(Phase::Wave, Some(wave), action, deps);
            if let Some(from) = from_site {
                self.site_steps.entry(from).or_default().push(seq);
            }
        }
    }

    /// Clients that now lie in boundaries of two sites, one of them new (reported once each).
    /// Only an add can put a client into a second site, so only the clients of `added` entries
    /// are looked at.
    pub(super) fn co_located(&mut self, wave: u32, added: &[u32]) {
        let inv = self.inv;
        let mut candidates: Vec<u32> = added
            .iter()
            .flat_map(|e| self.locations.clients_in(*e).iter().copied())
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let mut count = 0;
        let mut examples = Vec::new();
        let mut sites: Vec<(SiteCode, bool)> = Vec::new();
        for c in candidates {
            let c = c as usize;
            if self.co_reported[c] {
                continue;
            }
            sites.clear();
            for e in self.locations.entries_of(c) {
                if self.present[*e as usize] {
                    sites.push(self.universe.owner(*e));
                }
            }
            sites.sort_unstable();
            sites.dedup();
            if sites.len() > 1 && sites.iter().any(|(_, cm)| *cm) {
                self.co_reported[c] = true;
                count += 1;
                if examples.len() < EXAMPLES {
                    let codes: Vec<String> = sites.iter().map(|(s, _)| s.to_string()).collect();
                    examples.push(format!("{} ({})", inv.clients[c].name, codes.join(", ")));
                }
            }
        }
        if count > 0 {
            let kind = FindingKind::ClientsInTwoSites { count, examples };
            self.finding(None, Some(wave), kind);
        }
    }
}
