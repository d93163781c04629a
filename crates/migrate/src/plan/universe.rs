//! Every boundary entry a plan can touch — the SMS sites' entries from the inventory and the
//! boundaries the plan adds to ConfigMgr sites — with what both the planner and the verifier
//! ask of it: which entries overlap an entry (computed for all entries at once), and which
//! entries each client lies in (matched for all clients at once).
//!
//! The table is static; who holds an entry at a given step is the caller's state, so one
//! table serves a whole simulation.

use std::hash::BuildHasher as _;
use std::net::IpAddr;

use foldhash::{HashMap, HashMapExt as _};
use hashbrown::HashTable;

use super::index::IntervalIndex;
use super::model::BoundaryRef;
use super::overlap::{meets, Overlap, Space, SubnetMasks, ValueKey};
use crate::inventory::{Boundary, BoundaryKind, BoundaryValue, Client, RoamingKind, SiteCode};

/// A boundary as an entry holds it: borrowed from the inventory or the plan, so that building
/// the table (hundreds of thousands of entries, once for the planner and once for the
/// verifier) copies no text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BoundaryView<'a> {
    pub(crate) kind: BoundaryKind,
    pub(crate) value: &'a str,
    pub(crate) roaming: Option<RoamingKind>,
    pub(crate) parsed: &'a BoundaryValue,
}

impl<'a> BoundaryView<'a> {
    /// An inventory boundary.
    pub(crate) fn of(b: &'a Boundary) -> Self {
        Self {
            kind: b.kind,
            value: &b.value,
            roaming: b.roaming,
            parsed: &b.parsed,
        }
    }

    /// A boundary a step names.
    pub(crate) fn of_ref(b: &'a BoundaryRef) -> Self {
        Self {
            kind: b.kind,
            value: &b.value,
            roaming: b.roaming,
            parsed: &b.parsed,
        }
    }

    /// The boundary as a step or finding names it.
    pub(crate) fn to_ref(self) -> BoundaryRef {
        BoundaryRef {
            kind: self.kind,
            value: self.value.to_owned(),
            roaming: self.roaming,
            parsed: self.parsed.clone(),
        }
    }
}

/// One boundary entry of one site.
#[derive(Debug, Clone)]
pub(crate) struct Entry<'a> {
    pub(crate) site: SiteCode,
    pub(crate) bref: BoundaryView<'a>,
    pub(crate) key: ValueKey,
    pub(crate) space: Space,
    /// An entry of a ConfigMgr site (added by the plan).
    pub(crate) configmgr: bool,
}

impl<'a> Entry<'a> {
    pub(crate) fn new(
        site: SiteCode,
        bref: BoundaryView<'a>,
        configmgr: bool,
        masks: &SubnetMasks,
    ) -> Self {
        Self {
            site,
            key: ValueKey::of(bref.parsed),
            space: Space::of(bref.parsed, masks),
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

/// The entries each client lies in, as compressed rows: `ent[off[c]..off[c + 1]]` for client
/// `c`, ascending and without repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ClientEntries {
    off: Vec<u32>,
    ent: Vec<u32>,
}

impl ClientEntries {
    /// From `(client, entry)` pairs in any order, repeats allowed.
    fn from_pairs(clients: usize, pairs: &[(u32, u32)]) -> Self {
        let mut off = vec![0u32; clients + 1];
        for (c, _) in pairs {
            off[*c as usize + 1] += 1;
        }
        for i in 1..off.len() {
            off[i] += off[i - 1];
        }
        let mut fill = off.clone();
        let mut ent = vec![0u32; pairs.len()];
        for (c, e) in pairs {
            ent[fill[*c as usize] as usize] = *e;
            fill[*c as usize] += 1;
        }
        // Sort each row and squeeze out repeats, compacting in place.
        let mut kept = 0;
        for c in 0..clients {
            let (start, end) = (off[c] as usize, off[c + 1] as usize);
            ent[start..end].sort_unstable();
            off[c] = kept as u32;
            for i in start..end {
                if i == start || ent[i] != ent[kept - 1] {
                    ent[kept] = ent[i];
                    kept += 1;
                }
            }
        }
        off[clients] = kept as u32;
        ent.truncate(kept);
        Self { off, ent }
    }

    /// Entries client `c` lies in.
    pub(crate) fn of(&self, c: usize) -> &[u32] {
        &self.ent[self.off[c] as usize..self.off[c + 1] as usize]
    }

    /// Number of clients.
    pub(crate) fn clients(&self) -> usize {
        self.off.len() - 1
    }

    /// Every (client, entry) pair, by client.
    pub(crate) fn all(&self) -> &[u32] {
        &self.ent
    }
}

/// Identity of an entry: site, normalised value, roaming status (always `None` on ConfigMgr).
pub(crate) type EntryKey = (SiteCode, ValueKey, Option<RoamingKind>);

/// The table and its indexes.
#[derive(Debug)]
pub(crate) struct Universe<'a> {
    pub(crate) entries: Vec<Entry<'a>>,
    /// Site and "is ConfigMgr" of each entry, apart from the large entries, for the hot loops
    /// over clients (one small array instead of a record per lookup).
    owners: Vec<(SiteCode, bool)>,
    /// Entry indices by identity. The table holds only indices (the keys live in `entries`):
    /// a quarter of a million identities stay a few megabytes, not tens, and so in the cache.
    by_key: HashTable<u32>,
    hasher: foldhash::fast::RandomState,
    /// IPv6 entries by prefix: clients match by address.
    v6: IntervalIndex<u128>,
    ad: HashMap<String, Vec<u32>>,
    /// Subnet entries by subnet ID (clients match a subnet boundary by their subnet ID):
    /// `(subnet ID, entry)` sorted, so that clients sorted by subnet ID are matched in one
    /// merge.
    subnets: Vec<(u32, u32)>,
    /// IP range entries: clients match by address.
    ranges: IntervalIndex<u32>,
    /// What [`Self::overlapping`] answers, for every entry.
    overlaps: OverlapTable,
}

/// Every entry's overlapping entries, as compressed rows: `with[off[e]..off[e + 1]]`.
///
/// The table is static, and the planner and the verifier between them ask for the overlaps of
/// nearly every entry, often more than once; one sweep over the sorted intervals answers all
/// of them, where a query per entry walks an interval tree that outgrows the cache.
#[derive(Debug)]
struct OverlapTable {
    off: Vec<u32>,
    with: Vec<(u32, Overlap)>,
}

impl OverlapTable {
    fn build(
        entries: &[Entry<'_>],
        v4: &IntervalIndex<u32>,
        v6: &IntervalIndex<u128>,
        ad: &HashMap<String, Vec<u32>>,
    ) -> Self {
        // (entry, rank of the other entry, other, verdict). A row is ordered by rank, as a
        // query lists it: position in the interval index, or entry number for AD names.
        let mut rows: Vec<(u32, u32, u32, Overlap)> = Vec::new();
        // Where reaches meet, cores decide between certain and possible (`Space::overlap`).
        let mut core = vec![(0u32, 0u32); entries.len()];
        for (i, e) in entries.iter().enumerate() {
            if let Space::V4 { core: c, .. } = e.space {
                core[i] = c;
            }
        }
        v4.self_join(|pa, pb| {
            let (a, b) = (v4.id_at(pa), v4.id_at(pb));
            let verdict = if meets(core[a as usize], core[b as usize]) {
                Overlap::Yes
            } else {
                Overlap::CannotDecide
            };
            rows.push((a, pb as u32, b, verdict));
            rows.push((b, pa as u32, a, verdict));
        });
        v6.self_join(|pa, pb| {
            let (a, b) = (v6.id_at(pa), v6.id_at(pb));
            rows.push((a, pb as u32, b, Overlap::Yes));
            rows.push((b, pa as u32, a, Overlap::Yes));
        });
        for ids in ad.values() {
            for a in ids {
                rows.extend(
                    ids.iter()
                        .filter(|b| *b != a)
                        .map(|b| (*a, *b, *b, Overlap::Yes)),
                );
            }
        }
        // Counting sort by entry, then each (short) row by rank.
        let mut off = vec![0u32; entries.len() + 1];
        for r in &rows {
            off[r.0 as usize + 1] += 1;
        }
        for i in 1..off.len() {
            off[i] += off[i - 1];
        }
        let mut fill = off.clone();
        let mut placed = vec![(0u32, 0u32, Overlap::No); rows.len()];
        for (e, rank, other, verdict) in rows {
            placed[fill[e as usize] as usize] = (rank, other, verdict);
            fill[e as usize] += 1;
        }
        for e in 0..entries.len() {
            placed[off[e] as usize..off[e + 1] as usize].sort_unstable_by_key(|r| r.0);
        }
        let with = placed.into_iter().map(|(_, o, v)| (o, v)).collect();
        Self { off, with }
    }

    fn row(&self, e: u32) -> &[(u32, Overlap)] {
        &self.with[self.off[e as usize] as usize..self.off[e as usize + 1] as usize]
    }
}

impl<'a> Universe<'a> {
    /// Index `all`; a second entry with the key of an earlier one is dropped. Returns the
    /// table and, for each entry of `all`, the number it has in the table.
    pub(crate) fn build(all: Vec<Entry<'a>>) -> (Self, Vec<u32>) {
        // Deduplicated in place: a second table of a few hundred thousand entries would cost
        // its size again in fresh pages.
        let mut entries = all;
        let mut by_key = HashTable::with_capacity(entries.len());
        let hasher = foldhash::fast::RandomState::default();
        let hash = |e: &Entry<'_>| hasher.hash_one((e.site, &e.key, e.id_roaming()));
        let mut kept = 0;
        let mut slots = Vec::with_capacity(entries.len());
        for i in 0..entries.len() {
            let e = &entries[i];
            let h = hash(e);
            let same = |k: &u32| Self::is(&entries[*k as usize], (e.site, &e.key, e.id_roaming()));
            if let Some(k) = by_key.find(h, same) {
                slots.push(*k);
                continue;
            }
            slots.push(kept as u32);
            by_key.insert_unique(h, kept as u32, |k| hash(&entries[*k as usize]));
            entries.swap(kept, i);
            kept += 1;
        }
        entries.truncate(kept);
        let (mut v4, mut v6, mut ranges) = (Vec::new(), Vec::new(), Vec::new());
        let mut ad: HashMap<String, Vec<u32>> = HashMap::new();
        let mut subnets = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            let id = i as u32;
            match &e.space {
                Space::V4 { reach, .. } => v4.push((reach.0, reach.1, id)),
                Space::V6(iv) => v6.push((iv.0, iv.1, id)),
                Space::Ad(name) => ad.entry(name.clone()).or_default().push(id),
            }
            match *e.bref.parsed {
                BoundaryValue::IpSubnet { subnet_id } => subnets.push((subnet_id, id)),
                BoundaryValue::IpRange { start, end } => ranges.push((start, end, id)),
                _ => {}
            }
        }
        subnets.sort_unstable();
        let owners = entries.iter().map(|e| (e.site, e.configmgr)).collect();
        // IPv4 entries by reach (only the overlap table needs them), IPv6 by prefix.
        let (v4, v6) = (IntervalIndex::new(v4), IntervalIndex::new(v6));
        let overlaps = OverlapTable::build(&entries, &v4, &v6, &ad);
        let table = Self {
            entries,
            owners,
            by_key,
            hasher,
            v6,
            ad,
            subnets,
            ranges: IntervalIndex::new(ranges),
            overlaps,
        };
        (table, slots)
    }

    /// Site of entry `e`, and whether it belongs to a ConfigMgr site.
    pub(crate) fn owner(&self, e: u32) -> (SiteCode, bool) {
        self.owners[e as usize]
    }

    /// The entry with this identity.
    pub(crate) fn find(&self, key: &EntryKey) -> Option<u32> {
        let h = self.hasher.hash_one(key);
        let (site, value, roaming) = key;
        self.by_key
            .find(h, |i| {
                Self::is(&self.entries[*i as usize], (*site, value, *roaming))
            })
            .copied()
    }

    /// Whether `e` has the identity `(site, value, roaming)`.
    fn is(
        e: &Entry<'_>,
        (site, value, roaming): (SiteCode, &ValueKey, Option<RoamingKind>),
    ) -> bool {
        e.site == site && e.key == *value && e.id_roaming() == roaming
    }

    /// The identity of a boundary of `site`.
    pub(crate) fn key_of(site: SiteCode, bref: &BoundaryRef, configmgr: bool) -> EntryKey {
        let roaming = if configmgr { None } else { bref.roaming };
        (site, ValueKey::of(&bref.parsed), roaming)
    }

    /// Every other entry that overlaps entry `id` certainly or possibly, with the verdict, in
    /// index order (by start, end and entry for IP space, by entry for AD names).
    pub(crate) fn overlapping(&self, id: u32, mut found: impl FnMut(u32, Overlap)) {
        for (other, verdict) in self.overlaps.row(id) {
            found(*other, *verdict);
        }
    }

    /// The entries each client lies in, by its subnet IDs, addresses and AD site.
    ///
    /// Clients are matched in bulk: their subnet IDs and addresses are sorted and merged with
    /// the sorted boundary tables, where a lookup per client would jump around tables that
    /// outgrow the cache at a million clients (and cost several times as much per client as
    /// at a hundred thousand).
    pub(crate) fn locate_all(&self, clients: &[Client]) -> ClientEntries {
        // (client, entry) pairs, in no order, possibly repeated.
        let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(clients.len() * 2);
        let mut subnets: Vec<(u32, u32)> = Vec::with_capacity(clients.len());
        let mut v4: Vec<(u32, u32)> = Vec::with_capacity(clients.len());
        let mut v6: Vec<(u128, u32)> = Vec::new();
        let mut buf = String::new();
        // AD site names as clients spell them, with their entries: an estate has far fewer AD
        // sites than clients, and this small table stays in the cache where the entry table's
        // index (one name per AD boundary) does not.
        let mut ad_seen: HashMap<&str, &[u32]> = HashMap::new();
        for (c, client) in clients.iter().enumerate() {
            let c = c as u32;
            subnets.extend(client.ip_subnets.iter().map(|s| (u32::from(*s), c)));
            for addr in &client.ip_addresses {
                match addr {
                    IpAddr::V4(a) => v4.push((u32::from(*a), c)),
                    IpAddr::V6(a) => v6.push((u128::from(*a), c)),
                }
            }
            if let Some(site) = &client.ad_site {
                let entries = match ad_seen.get(site.as_str()) {
                    Some(entries) => *entries,
                    None => {
                        let entries = self.ad_entries(site, &mut buf);
                        ad_seen.insert(site, entries);
                        entries
                    }
                };
                pairs.extend(entries.iter().map(|e| (c, *e)));
            }
        }
        subnets.sort_unstable();
        let mut i = 0;
        for &(subnet, c) in &subnets {
            while i < self.subnets.len() && self.subnets[i].0 < subnet {
                i += 1;
            }
            let mut j = i;
            while j < self.subnets.len() && self.subnets[j].0 == subnet {
                pairs.push((c, self.subnets[j].1));
                j += 1;
            }
        }
        drop(subnets);
        v4.sort_unstable();
        self.ranges.sweep(&v4, |c, e| pairs.push((c, e)));
        drop(v4);
        v6.sort_unstable();
        self.v6.sweep(&v6, |c, e| pairs.push((c, e)));
        ClientEntries::from_pairs(clients.len(), &pairs)
    }

    /// Every entry a client lies in, by its subnet IDs, addresses and AD site, found by
    /// comparing it with every entry: the reference for [`Self::locate_all`].
    #[cfg(test)]
    pub(crate) fn locate(&self, client: &Client) -> Vec<u32> {
        let mut found = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            let hit = match e.bref.parsed {
                BoundaryValue::IpSubnet { subnet_id } => client
                    .ip_subnets
                    .iter()
                    .any(|s| u32::from(*s) == *subnet_id),
                BoundaryValue::IpRange { start, end } => client.ip_addresses.iter().any(
                    |a| matches!(a, IpAddr::V4(a) if (*start..=*end).contains(&u32::from(*a))),
                ),
                BoundaryValue::Ipv6Prefix { .. } => {
                    let Space::V6((lo, hi)) = e.space else {
                        unreachable!("an IPv6 prefix has IPv6 space")
                    };
                    client
                        .ip_addresses
                        .iter()
                        .any(|a| matches!(a, IpAddr::V6(a) if (lo..=hi).contains(&u128::from(*a))))
                }
                BoundaryValue::AdSite { name } => client
                    .ad_site
                    .as_ref()
                    .is_some_and(|s| s.to_lowercase() == name.to_lowercase()),
            };
            if hit {
                found.push(i as u32);
            }
        }
        found
    }

    /// The AD site entries named `site` (any case). `buf` is scratch space for the lower-cased
    /// name.
    fn ad_entries(&self, site: &str, buf: &mut String) -> &[u32] {
        buf.clear();
        if site.is_ascii() {
            buf.extend(site.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            buf.push_str(&site.to_lowercase());
        }
        self.ad.get(buf.as_str()).map_or(&[], Vec::as_slice)
    }

    /// Number of entries.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, Ipv6Addr};

    use proptest::prelude::*;

    use super::*;
    use crate::inventory::synth::{generate, SynthConfig};
    use crate::inventory::BoundaryKind;

    /// A boundary over a small address space, so that values repeat, nest and overlap.
    fn boundary(site: SiteCode, (kind, a, b, roaming): (u8, u32, u32, bool)) -> Boundary {
        let v4 = |x: u32| Ipv4Addr::from(0x0A00_0000 | (x << 6));
        let (kind, value) = match kind % 4 {
            0 => (BoundaryKind::IpSubnet, v4(a).to_string()),
            1 => {
                let (lo, hi) = (a.min(b), a.max(b));
                let end = Ipv4Addr::from(u32::from(v4(hi)) + 63);
                (BoundaryKind::IpRange, format!("{}-{end}", v4(lo)))
            }
            2 => (
                BoundaryKind::AdSite,
                ["Site-A", "site-a", "SITE-B"][a as usize % 3].to_owned(),
            ),
            _ => (BoundaryKind::Ipv6Prefix, format!("2001:db8:{a:x}::/48")),
        };
        let roaming = roaming.then_some(RoamingKind::Local);
        Boundary::new(site, kind, &value, roaming).expect("a valid boundary")
    }

    proptest! {
        /// Matching clients in bulk finds exactly what comparing each with every entry finds,
        /// and the overlap table holds exactly the pairs whose spaces meet.
        #[test]
        fn bulk_matching_agrees_with_brute_force(
            bounds in prop::collection::vec((0u8..4, 0u32..16, 0u32..16, any::<bool>()), 0..40),
            nets in prop::collection::vec((0u32..20, 0u32..1200, 0u32..20, 0u8..5), 0..60),
        ) {
            let base = generate(&SynthConfig::small(11));
            let sites: Vec<SiteCode> = base.sites.iter().map(|s| s.code).collect();
            let masks = SubnetMasks::default();
            let boundaries: Vec<Boundary> = bounds
                .iter()
                .enumerate()
                .map(|(i, b)| boundary(sites[i % sites.len()], *b))
                .collect();
            let entries: Vec<Entry<'_>> = boundaries
                .iter()
                .enumerate()
                .map(|(i, b)| Entry::new(b.site_code, BoundaryView::of(b), i % 3 == 0, &masks))
                .collect();
            let (u, _) = Universe::build(entries);
            let clients: Vec<Client> = nets
                .iter()
                .map(|(subnet, addr, v6, ad)| {
                    let mut c = base.clients[0].clone();
                    c.ip_subnets = vec![Ipv4Addr::from(0x0A00_0000 | (subnet << 6))];
                    c.ip_addresses = vec![
                        IpAddr::V4(Ipv4Addr::from(0x0A00_0000 | addr)),
                        IpAddr::V6(Ipv6Addr::from((0x2001_0db8_u128 << 96) | (u128::from(*v6) << 80) | 1)),
                    ];
                    c.ad_site = ["SITE-a", "site-b", "Elsewhere", ""].get(*ad as usize).map(|s| (*s).to_owned());
                    c
                })
                .collect();
            let bulk = u.locate_all(&clients);
            prop_assert_eq!(bulk.clients(), clients.len());
            for (i, c) in clients.iter().enumerate() {
                let one = u.locate(c);
                prop_assert_eq!(bulk.of(i), one.as_slice(), "client {}", i);
            }
            // Overlaps: every other entry whose space meets, in index order.
            for (id, me) in u.entries.iter().enumerate() {
                let mut row = Vec::new();
                u.overlapping(id as u32, |other, verdict| row.push((other, verdict)));
                let rank = |o: u32| {
                    let e = &u.entries[o as usize];
                    match e.space {
                        Space::V4 { reach, .. } => (u128::from(reach.0), u128::from(reach.1), o),
                        Space::V6(iv) => (iv.0, iv.1, o),
                        Space::Ad(_) => (0, 0, o),
                    }
                };
                prop_assert!(row.windows(2).all(|w| rank(w[0].0) < rank(w[1].0)), "{:?}", row);
                row.sort_unstable();
                let want: Vec<(u32, Overlap)> = u
                    .entries
                    .iter()
                    .enumerate()
                    .filter(|(o, _)| *o != id)
                    .map(|(o, e)| (o as u32, me.space.overlap(&e.space)))
                    .filter(|(_, v)| *v != Overlap::No)
                    .collect();
                prop_assert_eq!(row, want, "entry {}", id);
            }
        }
    }
}
