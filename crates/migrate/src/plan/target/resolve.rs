//! Validation: resolve every name of a raw target against the inventory, collecting all errors.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use foldhash::{HashMap, HashMapExt as _};
use toml::Spanned;

use super::{
    ClientSelection, Exclusions, Move, RawBoundary, RawCleanup, RawExclude, RawMove, RawObjects,
    RawRoaming, RawSite, RawSiteType, RawTarget, RawWave, Target, TargetError, Wave,
};
use crate::inventory::{BoundaryKind, BoundaryValue, Inventory, RoamingKind, SiteCode, SiteType};
use crate::plan::model::{NewSite, ObjectKind};
use crate::plan::overlap::{host_bits, SubnetMasks, ValueKey};

/// Codes Windows or SMS reserve (KB 279868).
const RESERVED: [&str; 5] = ["AUX", "CON", "NUL", "PRN", "SMS"];

/// Longest replication wait accepted: a week.
const MAX_WAIT: i64 = 7 * 24 * 60;

pub(super) fn resolve(raw: RawTarget, inv: &Inventory) -> Result<Target, Vec<TargetError>> {
    let mut cx = Cx {
        inv,
        errors: Vec::new(),
        names: None,
    };
    let sites = cx.sites(&raw.sites);
    let masks = cx.masks(&raw.subnet_masks);
    let exclude = cx.exclusions(&raw.exclude);
    let default_wait = raw
        .replication_wait_minutes
        .as_ref()
        .and_then(|w| cx.wait(w));
    let waves = cx.waves(&raw.waves, default_wait, &sites, &exclude);
    let (carry, import_site, query_report_sites) = cx.objects(&raw.objects, &sites);
    let decommission = cx.decommission(&raw.cleanup);
    if !cx.errors.is_empty() {
        // In the order of the text; errors without a place last (stable).
        cx.errors
            .sort_by_key(|e| e.span().map_or((1, 0), |s| (0, s.start)));
        return Err(cx.errors);
    }
    let Some(import_site) = import_site else {
        return Err(vec![TargetError::NoCentralSite]);
    };
    Ok(Target {
        sites,
        waves,
        masks,
        carry,
        import_site,
        query_report_sites,
        exclude,
        decommission,
    })
}

struct Cx<'a> {
    inv: &'a Inventory,
    errors: Vec<TargetError>,
    /// Lower-case client name → resource IDs, built on first use.
    names: Option<HashMap<String, Vec<u32>>>,
}

impl Cx<'_> {
    fn code(&mut self, text: &Spanned<String>) -> Option<SiteCode> {
        match SiteCode::parse(text.get_ref()) {
            Ok(code) => Some(code),
            Err(source) => {
                self.errors.push(TargetError::InvalidSiteCode {
                    source,
                    span: text.span(),
                });
                None
            }
        }
    }

    fn sms_site(&mut self, text: &Spanned<String>) -> Option<SiteCode> {
        let code = self.code(text)?;
        if self.inv.site(code).is_none() {
            self.errors.push(TargetError::UnknownSiteCode {
                code: code.to_string(),
                expected: "SMS",
                span: text.span(),
            });
            return None;
        }
        Some(code)
    }

    fn new_site<'s>(
        &mut self,
        text: &Spanned<String>,
        sites: &'s [NewSite],
    ) -> Option<&'s NewSite> {
        let code = self.code(text)?;
        let found = sites.iter().find(|s| s.code == code);
        if found.is_none() {
            self.errors.push(TargetError::UnknownSiteCode {
                code: code.to_string(),
                expected: "new",
                span: text.span(),
            });
        }
        found
    }

    /// The new sites in top-down order.
    fn sites(&mut self, raw: &[RawSite]) -> Vec<NewSite> {
        let mut sites: Vec<(NewSite, &RawSite)> = Vec::new();
        for r in raw {
            let Some(code) = self.code(&r.code) else {
                continue;
            };
            if RESERVED.contains(&code.as_str()) {
                self.errors.push(TargetError::ReservedSiteCode {
                    code: code.to_string(),
                    span: r.code.span(),
                });
            }
            if sites.iter().any(|(s, _)| s.code == code) {
                self.errors.push(TargetError::DuplicateSite {
                    code: code.to_string(),
                    span: r.code.span(),
                });
                continue;
            }
            if self.inv.site(code).is_some() {
                self.errors.push(TargetError::SiteCodeInUse {
                    code: code.to_string(),
                    span: r.code.span(),
                });
            }
            if r.name.get_ref().trim().is_empty() {
                self.errors.push(TargetError::EmptyName {
                    site: code.to_string(),
                    span: r.name.span(),
                });
            }
            if !is_host_name(r.server.get_ref()) {
                self.errors.push(TargetError::InvalidServerName {
                    value: r.server.get_ref().clone(),
                    span: r.server.span(),
                });
            }
            let parent = r.parent.as_ref().and_then(|p| self.code(p));
            let site_type = match r.site_type {
                Some(RawSiteType::Secondary) => SiteType::Secondary,
                _ => SiteType::Primary,
            };
            let site = NewSite {
                code,
                name: r.name.get_ref().clone(),
                parent,
                server: r.server.get_ref().clone(),
                site_type,
            };
            sites.push((site, r));
        }
        self.check_tree(&sites);
        top_down(sites.into_iter().map(|(s, _)| s).collect())
    }

    fn check_tree(&mut self, sites: &[(NewSite, &RawSite)]) {
        let find = |code: SiteCode| sites.iter().find(|(s, _)| s.code == code);
        let mut centrals = Vec::new();
        for (site, raw) in sites {
            let Some(parent) = site.parent else {
                centrals.push((site, raw));
                if site.site_type == SiteType::Secondary {
                    self.errors.push(TargetError::SecondaryParent {
                        site: site.code.to_string(),
                        span: raw.code.span(),
                    });
                }
                continue;
            };
            let span = raw.parent.as_ref().map_or(raw.code.span(), Spanned::span);
            if self.inv.site(parent).is_some() {
                self.errors.push(TargetError::ConfigMgrUnderSms {
                    site: site.code.to_string(),
                    parent: parent.to_string(),
                    span,
                });
                continue;
            }
            let Some((parent_site, _)) = find(parent) else {
                self.errors.push(TargetError::UnknownSiteCode {
                    code: parent.to_string(),
                    expected: "new",
                    span,
                });
                continue;
            };
            if site.site_type == SiteType::Secondary && parent_site.site_type != SiteType::Primary {
                self.errors.push(TargetError::SecondaryParent {
                    site: site.code.to_string(),
                    span: span.clone(),
                });
            }
            // Walk up: more steps than sites means a cycle.
            let mut current = Some(parent);
            for _ in 0..=sites.len() {
                current = current.and_then(find).and_then(|(s, _)| s.parent);
                if current == Some(site.code) {
                    self.errors.push(TargetError::ParentCycle {
                        site: site.code.to_string(),
                        span: span.clone(),
                    });
                    break;
                }
            }
        }
        match centrals.as_slice() {
            [] => self.errors.push(TargetError::NoCentralSite),
            [_] => {}
            [_, rest @ ..] => {
                let codes: Vec<String> = centrals.iter().map(|(s, _)| s.code.to_string()).collect();
                self.errors.push(TargetError::SeveralCentralSites {
                    codes: codes.join(", "),
                    span: rest[0].1.code.span(),
                });
            }
        }
    }

    fn masks(
        &mut self,
        raw: &std::collections::BTreeMap<String, Spanned<toml::Value>>,
    ) -> SubnetMasks {
        let mut masks = SubnetMasks::default();
        for (key, value) in raw {
            let span = value.span();
            let bad = |reason| TargetError::InvalidMask {
                key: key.clone(),
                reason,
                span: span.clone(),
            };
            let Some(prefix) = prefix_of(value.get_ref()) else {
                self.errors.push(bad(
                    "the mask must be a prefix length 1..=32 or a dotted mask",
                ));
                continue;
            };
            if key == "default" {
                masks.default = Some(prefix);
                continue;
            }
            let Ok(id) = key.parse::<Ipv4Addr>() else {
                self.errors.push(bad(
                    "the key must be a subnet ID such as \"10.1.0.0\" or `default`",
                ));
                continue;
            };
            let id = u32::from(id);
            if id & host_bits(prefix) != 0 {
                self.errors
                    .push(bad("the subnet ID has bits set under the mask"));
                continue;
            }
            masks.by_subnet.insert(id, prefix);
        }
        masks
    }

    fn wait(&mut self, w: &Spanned<i64>) -> Option<u32> {
        let v = *w.get_ref();
        if (1..=MAX_WAIT).contains(&v) {
            u32::try_from(v).ok()
        } else {
            self.errors.push(TargetError::InvalidWait {
                value: v,
                span: w.span(),
            });
            None
        }
    }

    /// Inventory indices of the boundaries a reference names.
    fn boundary(&mut self, r: &Spanned<RawBoundary>) -> Vec<usize> {
        let b = r.get_ref();
        let Some(site) = self.sms_site(&b.site) else {
            return Vec::new();
        };
        let Some(kind) = BoundaryKind::parse(b.kind.get_ref()) else {
            self.errors.push(TargetError::UnknownBoundaryKind {
                kind: b.kind.get_ref().clone(),
                span: b.kind.span(),
            });
            return Vec::new();
        };
        let value = match BoundaryValue::parse(kind, b.value.get_ref()) {
            Ok(v) => v,
            Err(source) => {
                self.errors.push(TargetError::InvalidBoundary {
                    source,
                    span: b.value.span(),
                });
                return Vec::new();
            }
        };
        let key = ValueKey::of(&value);
        let (start, end) = site_range(self.inv, site);
        let found: Vec<usize> = (start..end)
            .filter(|i| {
                let e = &self.inv.boundaries[*i];
                e.kind == kind
                    && ValueKey::of(&e.parsed) == key
                    && match b.roaming {
                        None => true,
                        Some(RawRoaming::Site) => e.roaming.is_none(),
                        Some(RawRoaming::Local) => e.roaming == Some(RoamingKind::Local),
                        Some(RawRoaming::Remote) => e.roaming == Some(RoamingKind::Remote),
                    }
            })
            .collect();
        if found.is_empty() {
            self.errors.push(TargetError::UnknownBoundary {
                site: site.to_string(),
                kind: b.kind.get_ref().clone(),
                value: b.value.get_ref().clone(),
                span: r.span(),
            });
        }
        found
    }

    fn exclusions(&mut self, raw: &RawExclude) -> Exclusions {
        let mut ex = Exclusions::default();
        for r in &raw.boundaries {
            ex.boundaries.extend(self.boundary(r));
        }
        for name in &raw.clients {
            let ids = self.client_named(name);
            ex.clients.extend(ids);
        }
        for id in &raw.client_ids {
            match u32::try_from(*id.get_ref())
                .ok()
                .filter(|i| self.inv.client(*i).is_some())
            {
                Some(i) => {
                    ex.clients.insert(i);
                }
                None => self.unknown("client", id.get_ref().to_string(), id.span()),
            }
        }
        let inv = self.inv;
        self.ids(&raw.collections, "collection", &mut ex.collections, |id| {
            inv.collection(id).is_some()
        });
        self.ids(&raw.packages, "package", &mut ex.packages, |id| {
            inv.package(id).is_some()
        });
        self.ids(
            &raw.advertisements,
            "advertisement",
            &mut ex.advertisements,
            |id| inv.advertisement(id).is_some(),
        );
        self.ids(&raw.queries, "query", &mut ex.queries, |id| {
            inv.query(id).is_some()
        });
        for id in &raw.reports {
            match u32::try_from(*id.get_ref())
                .ok()
                .filter(|i| inv.report(*i).is_some())
            {
                Some(i) => {
                    ex.reports.insert(i);
                }
                None => self.unknown("report", id.get_ref().to_string(), id.span()),
            }
        }
        ex
    }

    fn ids(
        &mut self,
        raw: &[Spanned<String>],
        what: &'static str,
        into: &mut BTreeSet<String>,
        exists: impl Fn(&str) -> bool,
    ) {
        for id in raw {
            if exists(id.get_ref()) {
                into.insert(id.get_ref().clone());
            } else {
                self.unknown(what, id.get_ref().clone(), id.span());
            }
        }
    }

    fn unknown(&mut self, what: &'static str, id: String, span: std::ops::Range<usize>) {
        self.errors
            .push(TargetError::UnknownObject { what, id, span });
    }

    fn client_named(&mut self, name: &Spanned<String>) -> Vec<u32> {
        let inv = self.inv;
        let names = self.names.get_or_insert_with(|| {
            let mut map: HashMap<String, Vec<u32>> = HashMap::new();
            for c in &inv.clients {
                map.entry(c.name.to_lowercase())
                    .or_default()
                    .push(c.resource_id);
            }
            map
        });
        match names.get(&name.get_ref().to_lowercase()) {
            Some(ids) => ids.clone(),
            None => {
                self.unknown("client", name.get_ref().clone(), name.span());
                Vec::new()
            }
        }
    }

    fn waves(
        &mut self,
        raw: &[Spanned<RawWave>],
        default_wait: Option<u32>,
        sites: &[NewSite],
        exclude: &Exclusions,
    ) -> Vec<Wave> {
        // Inventory index → wave that first mapped it.
        let mut mapped: HashMap<usize, u32> = HashMap::new();
        let mut waves = Vec::new();
        for (i, w) in raw.iter().enumerate() {
            let number = i as u32 + 1;
            let wave = w.get_ref();
            let wait = match &wave.replication_wait_minutes {
                Some(v) => self.wait(v),
                None => {
                    if default_wait.is_none() {
                        self.errors
                            .push(TargetError::MissingReplicationWait { wave: number });
                    }
                    default_wait
                }
            };
            if wave.moves.is_empty() {
                self.errors.push(TargetError::WaveWithoutSites {
                    wave: number,
                    span: Some(w.span()),
                });
            }
            let moves = wave
                .moves
                .iter()
                .filter_map(|m| self.one_move(m, number, sites, exclude, &mut mapped))
                .collect();
            waves.push(Wave {
                number,
                name: wave.name.clone(),
                wait_minutes: wait.unwrap_or(0),
                moves,
            });
        }
        waves
    }

    fn one_move(
        &mut self,
        m: &Spanned<RawMove>,
        wave: u32,
        sites: &[NewSite],
        exclude: &Exclusions,
        mapped: &mut HashMap<usize, u32>,
    ) -> Option<Move> {
        let raw = m.get_ref();
        let to = self.new_site(&raw.to, sites).map(|s| s.code);
        if raw.sites.is_empty() && raw.boundaries.is_empty() {
            self.errors.push(TargetError::WaveWithoutSites {
                wave,
                span: Some(m.span()),
            });
        }
        // (index, span of the reference that reached it)
        let mut reached: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
        for s in &raw.sites {
            if let Some(code) = self.sms_site(s) {
                let (start, end) = site_range(self.inv, code);
                reached.extend((start..end).map(|i| (i, s.span())));
            }
        }
        for r in &raw.boundaries {
            reached.extend(self.boundary(r).into_iter().map(|i| (i, r.span())));
        }
        let mut boundaries = Vec::new();
        for (i, span) in reached {
            if exclude.boundaries.contains(&i) {
                continue;
            }
            if let Some(first_wave) = mapped.get(&i) {
                let b = &self.inv.boundaries[i];
                self.errors.push(TargetError::BoundaryMappedTwice {
                    site: b.site_code.to_string(),
                    boundary: crate::plan::model::BoundaryRef::of(b).to_string(),
                    first_wave: *first_wave,
                    span,
                });
                continue;
            }
            mapped.insert(i, wave);
            boundaries.push(i);
        }
        boundaries.sort_unstable();
        let clients = match &raw.clients {
            None => ClientSelection::InMovedBoundaries,
            Some(c) => {
                let sites = c.sites.iter().filter_map(|s| self.sms_site(s)).collect();
                let boundaries = c.boundaries.iter().flat_map(|r| self.boundary(r)).collect();
                let inv = self.inv;
                let mut collections = Vec::new();
                for id in &c.collections {
                    if inv.collection(id.get_ref()).is_some() {
                        collections.push(id.get_ref().clone());
                    } else {
                        self.unknown("collection", id.get_ref().clone(), id.span());
                    }
                }
                ClientSelection::Explicit {
                    sites,
                    boundaries,
                    collections,
                }
            }
        };
        Some(Move {
            to: to?,
            boundaries,
            clients,
        })
    }

    fn objects(
        &mut self,
        raw: &RawObjects,
        sites: &[NewSite],
    ) -> (BTreeSet<ObjectKind>, Option<SiteCode>, Vec<SiteCode>) {
        let mut carry = BTreeSet::new();
        match &raw.carry {
            None => carry.extend(ObjectKind::ALL),
            Some(list) => {
                for k in list {
                    match k.get_ref().as_str() {
                        "collections" => carry.insert(ObjectKind::Collections),
                        "packages" => {
                            carry.insert(ObjectKind::Programs);
                            carry.insert(ObjectKind::Packages)
                        }
                        "advertisements" => carry.insert(ObjectKind::Advertisements),
                        "queries" => carry.insert(ObjectKind::Queries),
                        "reports" => carry.insert(ObjectKind::Reports),
                        other => {
                            self.errors.push(TargetError::UnknownObjectKind {
                                value: other.to_owned(),
                                span: k.span(),
                            });
                            false
                        }
                    };
                }
            }
        }
        let central = sites.iter().find(|s| s.parent.is_none()).map(|s| s.code);
        let import_site = match &raw.import_into {
            None => central,
            Some(text) => self.primary(text, sites),
        };
        let query_report_sites = match &raw.queries_reports_into {
            None => sites
                .iter()
                .filter(|s| s.site_type == SiteType::Primary)
                .map(|s| s.code)
                .collect(),
            Some(list) => {
                let mut v: Vec<SiteCode> =
                    list.iter().filter_map(|t| self.primary(t, sites)).collect();
                v.dedup();
                v
            }
        };
        (carry, import_site, query_report_sites)
    }

    fn primary(&mut self, text: &Spanned<String>, sites: &[NewSite]) -> Option<SiteCode> {
        let site = self.new_site(text, sites)?;
        if site.site_type == SiteType::Secondary {
            self.errors.push(TargetError::ImportIntoSecondary {
                site: site.code.to_string(),
                span: text.span(),
            });
            return None;
        }
        Some(site.code)
    }

    fn decommission(&mut self, raw: &RawCleanup) -> Vec<SiteCode> {
        let Some(list) = &raw.decommission else {
            return self.inv.sites.iter().map(|s| s.code).collect();
        };
        let chosen: Vec<(SiteCode, std::ops::Range<usize>)> = list
            .iter()
            .filter_map(|t| self.sms_site(t).map(|c| (c, t.span())))
            .collect();
        for (code, span) in &chosen {
            for child in self.inv.children(*code) {
                if !chosen.iter().any(|(c, _)| *c == child.code) {
                    self.errors.push(TargetError::DecommissionKeepsChild {
                        site: code.to_string(),
                        child: child.code.to_string(),
                        span: span.clone(),
                    });
                }
            }
        }
        let mut codes: Vec<SiteCode> = chosen.into_iter().map(|(c, _)| c).collect();
        codes.sort_unstable();
        codes.dedup();
        codes
    }
}

/// The index range of one site's boundaries in the (sorted) inventory.
pub(crate) fn site_range(inv: &Inventory, code: SiteCode) -> (usize, usize) {
    let start = inv.boundaries.partition_point(|b| b.site_code < code);
    let end = inv.boundaries.partition_point(|b| b.site_code <= code);
    (start, end)
}

/// Parents before children, siblings in target order; sites outside the tree (cycles) last.
fn top_down(sites: Vec<NewSite>) -> Vec<NewSite> {
    let mut order: Vec<NewSite> = Vec::with_capacity(sites.len());
    let mut queue: Vec<SiteCode> = sites
        .iter()
        .filter(|s| s.parent.is_none())
        .map(|s| s.code)
        .collect();
    let mut i = 0;
    while i < queue.len() {
        let code = queue[i];
        i += 1;
        if let Some(site) = sites.iter().find(|s| s.code == code) {
            if order.iter().any(|s| s.code == code) {
                continue;
            }
            order.push(site.clone());
            queue.extend(
                sites
                    .iter()
                    .filter(|s| s.parent == Some(code))
                    .map(|s| s.code),
            );
        }
    }
    for s in &sites {
        if !order.iter().any(|o| o.code == s.code) {
            order.push(s.clone());
        }
    }
    order
}

/// A prefix length from `16` or `"255.255.0.0"` (contiguous masks only).
fn prefix_of(value: &toml::Value) -> Option<u8> {
    match value {
        toml::Value::Integer(n) => u8::try_from(*n).ok().filter(|p| (1..=32).contains(p)),
        toml::Value::String(s) => {
            let mask = u32::from(s.parse::<Ipv4Addr>().ok()?);
            let prefix = mask.leading_ones();
            (prefix >= 1 && mask.checked_shl(prefix).unwrap_or(0) == 0).then_some(prefix as u8)
        }
        _ => None,
    }
}

/// A DNS host name or NetBIOS-style name: dot-separated labels of letters, digits and `-`.
fn is_host_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 253
        && text.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_and_host_names() {
        assert_eq!(prefix_of(&toml::Value::Integer(16)), Some(16));
        assert_eq!(prefix_of(&toml::Value::Integer(0)), None);
        assert_eq!(prefix_of(&toml::Value::Integer(33)), None);
        assert_eq!(
            prefix_of(&toml::Value::String("255.255.254.0".into())),
            Some(23)
        );
        assert_eq!(
            prefix_of(&toml::Value::String("255.255.255.255".into())),
            Some(32)
        );
        assert_eq!(prefix_of(&toml::Value::String("255.0.255.0".into())), None);
        assert_eq!(prefix_of(&toml::Value::String("0.0.0.0".into())), None);
        assert!(is_host_name("CMCEN01"));
        assert!(is_host_name("cm01.corp.contoso.com"));
        assert!(!is_host_name("CM 01"));
        assert!(!is_host_name("CM\"01"));
        assert!(!is_host_name("-CM"));
        assert!(!is_host_name("CM..X"));
        assert!(!is_host_name(""));
    }
}
