//! One wave's boundary moves: decide which boundaries can be added safely, remove everything
//! an SMS site claims of them, wait for replication, add them; then hand over to the client
//! phase.
//!
//! Deciding an add looks at every entry of another site that is present (or accepted earlier
//! in the wave) and overlaps it, certainly or possibly:
//! - an SMS entry that this wave moves anyway is removed;
//! - an SMS roaming entry that does not move is removed as well (collateral, a warning);
//! - an SMS site boundary that does not move blocks the add (removing it would strand that
//!   site's clients), as does any entry of another ConfigMgr site, and any overlap that depends
//!   on an unknown subnet mask ("cannot decide").
//!
//! A blocked add is not planned and none of its removals are: the address space stays where it
//! is, and an error finding says why.

use std::collections::{HashMap, HashSet};

use super::Planner;
use crate::plan::model::{Action, Connection, FindingKind, Phase};
use crate::plan::overlap::Overlap;
use crate::plan::target::Wave;
use crate::plan::universe::Universe;
use crate::inventory::{RoamingKind, SiteCode};

/// A boundary to add to a ConfigMgr site, and the SMS entries it comes from.
struct Candidate {
    /// The ConfigMgr entry.
    entry: u32,
    to: SiteCode,
    connection: Connection,
}

/// Why an add is blocked.
enum Block {
    CannotDecide(u32),
    SiteBoundary(u32),
    Target(u32),
}

impl Planner<'_> {
    pub(super) fn wave(&mut self, wave: &Wave) {
        let n = Some(wave.number);
        let (candidates, moving) = self.candidates(wave);
        let mut pending: HashSet<u32> = HashSet::new();
        let mut accepted: Vec<&Candidate> = Vec::new();
        let mut removals: HashSet<u32> = HashSet::new();
        for cand in &candidates {
            let mut blocks = Vec::new();
            let mut removable = Vec::new();
            self.universe.overlapping(cand.entry, |other, verdict| {
                let o = &self.universe.entries[other as usize];
                if o.site == cand.to || !(self.present[other as usize] || pending.contains(&other)) {
                    return;
                }
                if o.configmgr {
                    blocks.push(if verdict == Overlap::CannotDecide {
                        Block::CannotDecide(other)
                    } else {
                        Block::Target(other)
                    });
                } else if moving.contains(&other) {
                    removable.push(other);
                } else if verdict == Overlap::CannotDecide {
                    blocks.push(Block::CannotDecide(other));
                } else if o.bref.roaming.is_some() {
                    removable.push(other);
                } else {
                    blocks.push(Block::SiteBoundary(other));
                }
            });
            if blocks.is_empty() {
                pending.insert(cand.entry);
                removals.extend(removable);
                accepted.push(cand);
            } else {
                blocks.sort_by_key(|b| match b {
                    Block::CannotDecide(e) | Block::SiteBoundary(e) | Block::Target(e) => *e,
                });
                for b in blocks {
                    self.blocked(wave.number, cand, &b);
                }
            }
        }
        self.collateral(wave.number, &accepted, &removals, &moving);
        let removed = self.remove(wave, removals);
        if !removed.is_empty() {
            let minutes = wave.wait_minutes;
            let deps = removed.iter().map(|(seq, _)| *seq).collect();
            let wait = self.push(Phase::Wave, n, Action::WaitReplication { minutes }, deps);
            for (_, e) in &removed {
                self.wait_after[*e as usize] = Some(wait);
            }
        }
        for cand in accepted {
            self.add(wave.number, cand);
        }
        self.reassign(wave);
    }

    /// The adds a wave asks for, in move order, and the present SMS entries it moves.
    fn candidates(&mut self, wave: &Wave) -> (Vec<Candidate>, HashSet<u32>) {
        let mut out: Vec<Candidate> = Vec::new();
        let mut index: HashMap<u32, usize> = HashMap::new();
        let mut moving = HashSet::new();
        for m in &wave.moves {
            let mut any = false;
            for i in &m.boundaries {
                let src = self.inv_entry[*i];
                let key = Universe::key_of(m.to, &self.universe.entries[src as usize].bref, true);
                let entry = self.universe.find(&key).expect("move targets are in the table");
                if self.present[entry as usize] {
                    // An earlier wave already put this value into the new site.
                    continue;
                }
                any = true;
                // A source removed earlier (collateral, or by an earlier wave's add elsewhere)
                // needs no removal now, but its space still goes to the new site.
                if self.present[src as usize] {
                    moving.insert(src);
                }
                let connection = match self.inv.boundaries[*i].roaming {
                    Some(RoamingKind::Remote) => Connection::Slow,
                    _ => Connection::Fast,
                };
                match index.get(&entry) {
                    Some(&k) if connection == Connection::Fast => out[k].connection = connection,
                    Some(_) => {}
                    None => {
                        index.insert(entry, out.len());
                        out.push(Candidate {
                            entry,
                            to: m.to,
                            connection,
                        });
                    }
                }
            }
            if !any {
                let kind = FindingKind::NothingToMove { to_site: m.to };
                self.finding(Some(m.to), Some(wave.number), kind);
            }
        }
        (out, moving)
    }

    fn blocked(&mut self, wave: u32, cand: &Candidate, block: &Block) {
        let (Block::CannotDecide(e) | Block::SiteBoundary(e) | Block::Target(e)) = block;
        let o = &self.universe.entries[*e as usize];
        let boundary = self.universe.entries[cand.entry as usize].bref.clone();
        let (other_site, other, to_site) = (o.site, o.bref.clone(), cand.to);
        let kind = match block {
            Block::CannotDecide(_) => FindingKind::CannotDecideOverlap {
                boundary,
                to_site,
                other_site,
                other,
            },
            Block::SiteBoundary(_) => FindingKind::ConflictingSiteBoundary {
                boundary,
                to_site,
                other_site,
                other,
            },
            Block::Target(_) => FindingKind::TargetOverlap {
                boundary,
                to_site,
                other_site,
                other,
            },
        };
        self.finding(Some(to_site), Some(wave), kind);
    }

    /// Warnings for roaming entries removed only because they overlap something moving.
    fn collateral(
        &mut self,
        wave: u32,
        accepted: &[&Candidate],
        removals: &HashSet<u32>,
        moving: &HashSet<u32>,
    ) {
        let mut reported: HashSet<u32> = HashSet::new();
        for cand in accepted {
            let mut hits = Vec::new();
            self.universe.overlapping(cand.entry, |other, _| {
                if removals.contains(&other) && !moving.contains(&other) {
                    hits.push(other);
                }
            });
            hits.sort_unstable();
            for other in hits {
                if !reported.insert(other) {
                    continue;
                }
                let o = &self.universe.entries[other as usize];
                let kind = FindingKind::CollateralRemoval {
                    removed: o.bref.clone(),
                    because: self.universe.entries[cand.entry as usize].bref.clone(),
                    to_site: cand.to,
                };
                self.finding(Some(o.site), Some(wave), kind);
            }
        }
    }

    /// A remove step for each entry, ordered by site and value; returns `(seq, entry)`s.
    fn remove(&mut self, wave: &Wave, removals: HashSet<u32>) -> Vec<(u32, u32)> {
        let mut list: Vec<u32> = removals.into_iter().collect();
        list.sort_by(|a, b| {
            let (x, y) = (&self.universe.entries[*a as usize], &self.universe.entries[*b as usize]);
            (x.site, &x.key, x.bref.roaming).cmp(&(y.site, &y.key, y.bref.roaming))
        });
        let mut seqs = Vec::with_capacity(list.len());
        for e in list {
            let entry = &self.universe.entries[e as usize];
            let (site, boundary) = (entry.site, entry.bref.clone());
            let action = Action::RemoveBoundary { site, boundary };
            let seq = self.push(Phase::Wave, Some(wave.number), action, Vec::new());
            self.present[e as usize] = false;
            self.site_steps.entry(site).or_default().push(seq);
            seqs.push((seq, e));
        }
        seqs
    }

    fn add(&mut self, wave: u32, cand: &Candidate) {
        let mut deps: Vec<u32> = self.created.get(&cand.to).copied().into_iter().collect();
        self.universe.overlapping(cand.entry, |other, _| {
            if let Some(w) = self.wait_after[other as usize] {
                deps.push(w);
            }
        });
        let boundary = self.universe.entries[cand.entry as usize].bref.clone();
        let action = Action::AddBoundary {
            site: cand.to,
            boundary,
            connection: cand.connection,
        };
        let seq = self.push(Phase::Wave, Some(wave), action, deps);
        self.present[cand.entry as usize] = true;
        self.added_at[cand.entry as usize] = Some(seq);
    }
}
