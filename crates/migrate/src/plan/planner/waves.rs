//! One wave's boundary moves: decide which boundaries can be added safely, remove everything
//! an SMS site claims of them, wait for replication, add them; then hand over to the client
//! phase.
//!
//! Deciding an add looks at every entry of another site that is present (or accepted earlier
//! in the wave) and overlaps it, certainly or possibly:
//! - an SMS entry that this wave moves to the same new site is removed; one it moves to another
//!   new site blocks the add (the two new sites would overlap);
//! - an SMS roaming entry that does not move is removed as well (collateral, a warning);
//! - an SMS site boundary that does not move blocks the add (removing it would strand that
//!   site's clients), as does any entry of another ConfigMgr site, and any overlap that depends
//!   on an unknown subnet mask ("cannot decide").
//!
//! A blocked add is not planned and none of its removals are: the address space stays where it
//! is, and an error finding says why.

use std::collections::VecDeque;

use foldhash::{HashMap, HashMapExt as _, HashSet};

use super::Planner;
use crate::inventory::{RoamingKind, SiteCode};
use crate::plan::model::{Action, Connection, FindingKind, Phase};
use crate::plan::overlap::{Overlap, ValueKey};
use crate::plan::target::Wave;
use crate::plan::universe::Universe;

/// A boundary to add to a ConfigMgr site, and the SMS entries it comes from.
struct Candidate {
    /// The ConfigMgr entry.
    entry: u32,
    to: SiteCode,
    connection: Connection,
    /// Present SMS entries this add moves.
    sources: Vec<u32>,
}

/// A site and value standing in the way of an add (counted once however many entries).
type InTheWay<'a> = (SiteCode, &'a ValueKey);

/// No candidate (in the dense per-entry tables of [`Lookup`]).
const NONE: u32 = u32::MAX;

/// One wave's candidates with what [`Planner::assess`] looks up: the candidate each entry is
/// (or is a source of), as dense tables over the entries, and every candidate's overlaps.
struct Lookup<'c> {
    candidates: &'c [Candidate],
    /// Candidate moving each SMS entry, or [`NONE`].
    source_of: Vec<u32>,
    /// Candidate adding each ConfigMgr entry, or [`NONE`].
    cm_cand: Vec<u32>,
    /// `overlaps[overlap_off[i]..overlap_off[i + 1]]`: every entry overlapping candidate `i`'s
    /// entry, with the verdict, in [`Universe::overlapping`] order; copied once per wave, for
    /// the passes that read them while the planner's state changes.
    overlap_off: Vec<u32>,
    overlaps: Vec<(u32, Overlap)>,
}

impl<'c> Lookup<'c> {
    fn new(universe: &Universe<'_>, candidates: &'c [Candidate]) -> Self {
        let mut source_of = vec![NONE; universe.len()];
        let mut cm_cand = vec![NONE; universe.len()];
        let mut overlap_off = Vec::with_capacity(candidates.len() + 1);
        let mut overlaps = Vec::new();
        overlap_off.push(0);
        for (i, c) in candidates.iter().enumerate() {
            cm_cand[c.entry as usize] = i as u32;
            for s in &c.sources {
                source_of[*s as usize] = i as u32;
            }
            universe.overlapping(c.entry, |other, verdict| overlaps.push((other, verdict)));
            overlap_off.push(overlaps.len() as u32);
        }
        Self {
            candidates,
            source_of,
            cm_cand,
            overlap_off,
            overlaps,
        }
    }

    /// Entries overlapping candidate `i`'s entry.
    fn overlaps(&self, i: usize) -> &[(u32, Overlap)] {
        &self.overlaps[self.overlap_off[i] as usize..self.overlap_off[i + 1] as usize]
    }

    fn source_of(&self, e: u32) -> Option<usize> {
        let j = self.source_of[e as usize];
        (j != NONE).then_some(j as usize)
    }

    fn cm_cand(&self, e: u32) -> Option<usize> {
        let j = self.cm_cand[e as usize];
        (j != NONE).then_some(j as usize)
    }
}

/// Why an add is blocked: the entry in the way and (for overlaps between new sites) the new
/// site that holds it or is about to.
enum Block {
    CannotDecide(u32, SiteCode),
    SiteBoundary(u32),
    Target(u32, SiteCode),
}

impl Block {
    fn entry(&self) -> u32 {
        match self {
            Self::CannotDecide(e, _) | Self::SiteBoundary(e) | Self::Target(e, _) => *e,
        }
    }
}

impl Planner<'_> {
    /// Plan `wave`, the `index`th of the target.
    pub(super) fn wave(&mut self, index: usize, wave: &Wave) {
        let n = Some(wave.number);
        let candidates = self.candidates(index, wave);
        let look = Lookup::new(&self.universe, &candidates);
        // Block until nothing changes: a blocked add keeps its sources where they are, which
        // may block the adds that overlap it in turn. A worklist rechecks only those, and each
        // add is blocked at most once, so this ends after O(overlaps) work.
        let mut alive = vec![true; candidates.len()];
        let mut reasons: Vec<Vec<Block>> = (0..candidates.len()).map(|_| Vec::new()).collect();
        let mut queue: VecDeque<usize> = (0..candidates.len()).collect();
        let mut queued = vec![true; candidates.len()];
        while let Some(i) = queue.pop_front() {
            queued[i] = false;
            if !alive[i] {
                continue;
            }
            let (blocks, _) = self.assess(i, &look, &alive);
            if blocks.is_empty() {
                continue;
            }
            alive[i] = false;
            reasons[i] = blocks;
            for (other, _) in look.overlaps(i) {
                for j in look
                    .cm_cand(*other)
                    .into_iter()
                    .chain(look.source_of(*other))
                {
                    if alive[j] && !queued[j] {
                        queued[j] = true;
                        queue.push_back(j);
                    }
                }
            }
        }
        // Entries to remove (each once) and entries moving, as marks over the entries.
        let mut removals: Vec<u32> = Vec::new();
        let mut removing = vec![false; self.universe.len()];
        let mut moving = vec![false; self.universe.len()];
        for (i, cand) in candidates.iter().enumerate() {
            if alive[i] {
                for e in self.assess(i, &look, &alive).1 {
                    if !removing[e as usize] {
                        removing[e as usize] = true;
                        removals.push(e);
                    }
                }
                for s in &cand.sources {
                    moving[*s as usize] = true;
                }
            } else {
                for kind in self.blocked(cand, &mut reasons[i]) {
                    self.finding(Some(cand.to), Some(wave.number), kind);
                }
            }
        }
        let accepted: Vec<usize> = (0..candidates.len()).filter(|i| alive[*i]).collect();
        self.collateral(wave.number, &look, &accepted, &removing, &moving);
        let removed = self.remove(wave, removals);
        if !removed.is_empty() {
            let minutes = wave.wait_minutes;
            let deps = removed.iter().map(|(seq, _)| *seq).collect();
            let wait = self.push(Phase::Wave, n, Action::WaitReplication { minutes }, deps);
            for (_, e) in &removed {
                self.wait_after[*e as usize] = Some(wait);
            }
        }
        let added: Vec<u32> = accepted.iter().map(|i| candidates[*i].entry).collect();
        for i in accepted {
            self.add(wave.number, &candidates[i], look.overlaps(i));
        }
        self.reassign(wave);
        self.co_located(wave.number, &added);
    }

    /// What stands in the way of candidate `i` given which candidates are still alive, and what
    /// it would remove.
    fn assess(&self, i: usize, look: &Lookup<'_>, alive: &[bool]) -> (Vec<Block>, Vec<u32>) {
        let cand = &look.candidates[i];
        let (mut blocks, mut removable) = (Vec::new(), Vec::new());
        let by_verdict = |verdict: Overlap, e: u32, site: SiteCode| {
            if verdict == Overlap::CannotDecide {
                Block::CannotDecide(e, site)
            } else {
                Block::Target(e, site)
            }
        };
        for &(other, verdict) in look.overlaps(i) {
            let o = &self.universe.entries[other as usize];
            if o.site == cand.to {
                continue;
            }
            // Two new sites that would overlap: neither add goes ahead, whichever comes first.
            if o.configmgr {
                if self.present[other as usize] || look.cm_cand(other).is_some() {
                    blocks.push(by_verdict(verdict, other, o.site));
                }
                continue;
            }
            if !self.present[other as usize] {
                continue;
            }
            match look.source_of(other) {
                Some(j) if look.candidates[j].to != cand.to => {
                    blocks.push(by_verdict(verdict, other, look.candidates[j].to));
                }
                // Moving to the same site: removed with this add.
                Some(j) if alive[j] => removable.push(other),
                _ if verdict == Overlap::CannotDecide => {
                    blocks.push(Block::CannotDecide(other, o.site));
                }
                _ if o.bref.roaming.is_some() => removable.push(other),
                _ => blocks.push(Block::SiteBoundary(other)),
            }
        }
        (blocks, removable)
    }

    /// The adds a wave asks for, in move order, each with the present SMS entries it moves.
    fn candidates(&mut self, index: usize, wave: &Wave) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = Vec::new();
        let mut seen: HashMap<u32, usize> = HashMap::new();
        let mut targets = std::mem::take(&mut self.move_entry[index]).into_iter();
        for m in &wave.moves {
            let mut any = false;
            for (i, entry) in m.boundaries.iter().zip(targets.by_ref()) {
                let src = self.inv_entry[*i];
                if self.present[entry as usize] {
                    // An earlier wave already put this value into the new site.
                    continue;
                }
                any = true;
                let connection = match self.inv.boundaries[*i].roaming {
                    Some(RoamingKind::Remote) => Connection::Slow,
                    _ => Connection::Fast,
                };
                let k = *seen.entry(entry).or_insert_with(|| {
                    out.push(Candidate {
                        entry,
                        to: m.to,
                        connection,
                        sources: Vec::new(),
                    });
                    out.len() - 1
                });
                if connection == Connection::Fast {
                    out[k].connection = connection;
                }
                // A source removed earlier (collateral, or by an earlier wave) needs no removal
                // now, but its space still goes to the new site.
                if self.present[src as usize] {
                    out[k].sources.push(src);
                }
            }
            if !any {
                let kind = FindingKind::NothingToMove { to_site: m.to };
                self.finding(Some(m.to), Some(wave.number), kind);
            }
        }
        out
    }

    /// The findings for a blocked add: per kind of reason, the first entry in the way and how
    /// many more there are. (An SMS source and the new site's entry it becomes count once.)
    fn blocked(&self, cand: &Candidate, reasons: &mut [Block]) -> Vec<FindingKind> {
        reasons.sort_by_key(Block::entry);
        let boundary = self.universe.entries[cand.entry as usize].bref;
        let to_site = cand.to;
        // (kind rank, first block, distinct (site, value) pairs in the way)
        let mut groups: Vec<(u8, &Block, HashSet<InTheWay<'_>>)> = Vec::new();
        for b in reasons.iter() {
            let (rank, site) = match b {
                Block::CannotDecide(_, s) => (0, *s),
                Block::SiteBoundary(e) => (1, self.universe.owner(*e).0),
                Block::Target(_, s) => (2, *s),
            };
            let key = (site, &self.universe.entries[b.entry() as usize].key);
            match groups.iter_mut().find(|g| g.0 == rank) {
                Some(g) => {
                    g.2.insert(key);
                }
                None => groups.push((rank, b, [key].into_iter().collect())),
            }
        }
        groups.sort_by_key(|g| g.0);
        groups
            .into_iter()
            .map(|(_, block, seen)| {
                let o = &self.universe.entries[block.entry() as usize];
                let (other, others) = (o.bref.to_ref(), seen.len() - 1);
                let boundary = boundary.to_ref();
                match block {
                    Block::CannotDecide(_, other_site) => FindingKind::CannotDecideOverlap {
                        boundary,
                        to_site,
                        other_site: *other_site,
                        other,
                        others,
                    },
                    Block::SiteBoundary(_) => FindingKind::ConflictingSiteBoundary {
                        boundary,
                        to_site,
                        other_site: o.site,
                        other,
                        others,
                    },
                    Block::Target(_, other_site) => FindingKind::TargetOverlap {
                        boundary,
                        to_site,
                        other_site: *other_site,
                        other,
                        others,
                    },
                }
            })
            .collect()
    }

    /// Warnings for roaming entries removed only because they overlap something moving.
    fn collateral(
        &mut self,
        wave: u32,
        look: &Lookup<'_>,
        accepted: &[usize],
        removing: &[bool],
        moving: &[bool],
    ) {
        let mut reported = vec![false; self.universe.len()];
        for &i in accepted {
            let cand = &look.candidates[i];
            let mut hits: Vec<u32> = look
                .overlaps(i)
                .iter()
                .map(|(other, _)| *other)
                .filter(|other| removing[*other as usize] && !moving[*other as usize])
                .collect();
            hits.sort_unstable();
            for other in hits {
                if std::mem::replace(&mut reported[other as usize], true) {
                    continue;
                }
                let o = &self.universe.entries[other as usize];
                let kind = FindingKind::CollateralRemoval {
                    removed: o.bref.to_ref(),
                    because: self.universe.entries[cand.entry as usize].bref.to_ref(),
                    to_site: cand.to,
                };
                self.finding(Some(o.site), Some(wave), kind);
            }
        }
    }

    /// A remove step for each entry, ordered by site and value; returns `(seq, entry)`s.
    fn remove(&mut self, wave: &Wave, mut list: Vec<u32>) -> Vec<(u32, u32)> {
        list.sort_by(|a, b| {
            let (x, y) = (
                &self.universe.entries[*a as usize],
                &self.universe.entries[*b as usize],
            );
            (x.site, &x.key, x.bref.roaming).cmp(&(y.site, &y.key, y.bref.roaming))
        });
        let mut seqs = Vec::with_capacity(list.len());
        for e in list {
            let entry = &self.universe.entries[e as usize];
            let (site, boundary) = (entry.site, entry.bref.to_ref());
            let action = Action::RemoveBoundary { site, boundary };
            let seq = self.push(Phase::Wave, Some(wave.number), action, Vec::new());
            self.present[e as usize] = false;
            self.site_steps.entry(site).or_default().push(seq);
            seqs.push((seq, e));
        }
        seqs
    }

    /// Add `cand`, whose entry `overlaps` these entries.
    fn add(&mut self, wave: u32, cand: &Candidate, overlaps: &[(u32, Overlap)]) {
        let mut deps: Vec<u32> = self.created.get(&cand.to).copied().into_iter().collect();
        deps.extend(
            overlaps
                .iter()
                .filter_map(|(other, _)| self.wait_after[*other as usize]),
        );
        let boundary = self.universe.entries[cand.entry as usize].bref.to_ref();
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
