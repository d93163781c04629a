//! Every boundary entry a plan can touch — the SMS sites' entries from the inventory and the
//! boundaries the plan adds to ConfigMgr sites — with the indexes both the planner and the
//! verifier query: which entries overlap an entry, and which entries a client lies in.
//!
//! The table is static; who holds an entry at a given step is the caller's state, so one
//! table serves a whole simulation.

use std::collections::HashMap;
use std::net::IpAddr;

use super::index::IntervalIndex;
use super::model::BoundaryRef;
use super::overlap::{Overlap, Space, SubnetMasks, ValueKey};
use crate::inventory::{BoundaryValue, Client, RoamingKind, SiteCode};

/// One boundary entry of one site.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) site: SiteCode,
    pub(crate) bref: BoundaryRef,
    pub(crate) key: ValueKey,
    pub(crate) space: Space,
    /// An entry of a ConfigMgr site (added by the plan).
    pub(crate) configmgr: bool,
}

impl Entry {
    pub(crate) fn new(
        site: SiteCode,
        bref: BoundaryRef,
        configmgr: bool,
        masks: &SubnetMasks,
    ) -> Self {
        Self {
            site,
            key: ValueKey::of(&bref.parsed),
            space: Space::of(&bref.parsed, masks),
            bref,
            configmgr,
        }
    }

    /// The roaming part of the entry's identity: SMS keeps a site boundary and a roaming entry
    /// of the same value apart; a ConfigMgr site has one boundary per value.
    fn id_roaming(&self) -> Option<RoamingKind> {
        if self.configmgr {
            None
        } else {
            self.bref.roaming
        }
    }
}

/// Identity of an entry: site, normalised value, roaming status (always `None` on ConfigMgr).
pub(crate) type EntryKey = (SiteCode, ValueKey, Option<RoamingKind>);

/// The table and its indexes.
#[derive(Debug)]
pub(crate) struct Universe {
    pub(crate) entries: Vec<Entry>,
    /// Site and "is ConfigMgr" of each entry, apart from the large entries, for the hot loops
    /// over clients (one small array instead of a record per lookup).
    owners: Vec<(SiteCode, bool)>,
    by_key: HashMap<EntryKey, u32>,
    /// IPv4 entries by reach.
    v4: IntervalIndex<u32>,
    v6: IntervalIndex<u128>,
    ad: HashMap<String, Vec<u32>>,
    /// Subnet entries by subnet ID: clients match a subnet boundary by their subnet ID. The
    /// map gives a `(start, len)` slice of `subnet_ids`: one probe per client, not a probe and
    /// then a separate allocation to chase (a cache miss each over a million clients).
    subnets: HashMap<u32, (u32, u32)>,
    subnet_ids: Vec<u32>,
    /// IP range entries: clients match by address.
    ranges: IntervalIndex<u32>,
}

impl Universe {
    /// Index `entries`; a second entry with the key of an earlier one is dropped.
    pub(crate) fn build(all: Vec<Entry>) -> Self {
        let mut entries = Vec::with_capacity(all.len());
        let mut by_key = HashMap::with_capacity(all.len());
        for e in all {
            let key = (e.site, e.key.clone(), e.id_roaming());
            if by_key.contains_key(&key) {
                continue;
            }
            by_key.insert(key, entries.len() as u32);
            entries.push(e);
        }
        let (mut v4, mut v6, mut ranges) = (Vec::new(), Vec::new(), Vec::new());
        let mut ad: HashMap<String, Vec<u32>> = HashMap::new();
        let mut subnets: HashMap<u32, Vec<u32>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            let id = i as u32;
            match &e.space {
                Space::V4 { reach, .. } => v4.push((reach.0, reach.1, id)),
                Space::V6(iv) => v6.push((iv.0, iv.1, id)),
                Space::Ad(name) => ad.entry(name.clone()).or_default().push(id),
            }
            match e.bref.parsed {
                BoundaryValue::IpSubnet { subnet_id } => {
                    subnets.entry(subnet_id).or_default().push(id)
                }
                BoundaryValue::IpRange { start, end } => ranges.push((start, end, id)),
                _ => {}
            }
        }
        let mut subnet_ids = Vec::with_capacity(subnets.values().map(Vec::len).sum());
        let subnets = subnets
            .into_iter()
            .map(|(subnet, ids)| {
                let start = subnet_ids.len() as u32;
                subnet_ids.extend_from_slice(&ids);
                (subnet, (start, ids.len() as u32))
            })
            .collect();
        let owners = entries.iter().map(|e| (e.site, e.configmgr)).collect();
        Self {
            entries,
            owners,
            by_key,
            v4: IntervalIndex::new(v4),
            v6: IntervalIndex::new(v6),
            ad,
            subnets,
            subnet_ids,
            ranges: IntervalIndex::new(ranges),
        }
    }

    /// Site of entry `e`, and whether it belongs to a ConfigMgr site.
    pub(crate) fn owner(&self, e: u32) -> (SiteCode, bool) {
        self.owners[e as usize]
    }

    /// The entry with this identity.
    pub(crate) fn find(&self, key: &EntryKey) -> Option<u32> {
        self.by_key.get(key).copied()
    }

    /// The identity of a boundary of `site`.
    pub(crate) fn key_of(site: SiteCode, bref: &BoundaryRef, configmgr: bool) -> EntryKey {
        let roaming = if configmgr { None } else { bref.roaming };
        (site, ValueKey::of(&bref.parsed), roaming)
    }

    /// Every other entry that overlaps entry `id` certainly or possibly, with the verdict.
    pub(crate) fn overlapping(&self, id: u32, mut found: impl FnMut(u32, Overlap)) {
        let me = &self.entries[id as usize];
        let mut check = |other: u32| {
            if other == id {
                return;
            }
            let verdict = me.space.overlap(&self.entries[other as usize].space);
            if verdict != Overlap::No {
                found(other, verdict);
            }
        };
        match &me.space {
            Space::V4 { reach, .. } => self.v4.query(reach.0, reach.1, &mut check),
            Space::V6(iv) => self.v6.query(iv.0, iv.1, &mut check),
            Space::Ad(name) => {
                for other in self.ad.get(name).into_iter().flatten() {
                    check(*other);
                }
            }
        }
    }

    /// Every entry a client lies in, by its subnet IDs, addresses and AD site (an entry may be
    /// reported more than once). `buf` is scratch space for the lower-cased AD site name.
    pub(crate) fn locate(&self, client: &Client, buf: &mut String, mut found: impl FnMut(u32)) {
        for s in &client.ip_subnets {
            if let Some(&(start, len)) = self.subnets.get(&u32::from(*s)) {
                let (start, len) = (start as usize, len as usize);
                for id in &self.subnet_ids[start..start + len] {
                    found(*id);
                }
            }
        }
        for addr in &client.ip_addresses {
            match addr {
                IpAddr::V4(a) => {
                    let a = u32::from(*a);
                    self.ranges.query(a, a, &mut found);
                }
                IpAddr::V6(a) => {
                    let a = u128::from(*a);
                    self.v6.query(a, a, &mut found);
                }
            }
        }
        if let Some(site) = &client.ad_site {
            buf.clear();
            if site.is_ascii() {
                buf.extend(site.chars().map(|c| c.to_ascii_lowercase()));
            } else {
                buf.push_str(&site.to_lowercase());
            }
            for id in self.ad.get(buf.as_str()).into_iter().flatten() {
                found(*id);
            }
        }
    }

    /// Number of entries.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}
