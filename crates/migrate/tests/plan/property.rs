//! Property: for random synthetic hierarchies (made messy with overlapping boundaries) and
//! random valid targets, every plan the planner emits passes the verifier, planning is
//! deterministic, and a plan without error findings yields artifacts whose MOFs pass
//! `mof check`.

use std::fmt::Write as _;

use proptest::prelude::*;
use smsmig_migrate::inventory::synth::{generate, Rng, SynthConfig};
use smsmig_migrate::inventory::{
    Boundary, BoundaryKind, Inventory, RoamingKind, SiteCode, SiteType,
};
use smsmig_migrate::plan::{artifacts, plan, verify, Target};

use crate::support::checked_text;

/// Make the synthetic hierarchy messier, the way real ones are: copies of boundaries at other
/// sites (as site or roaming entries), wide ranges over several sites' subnets, and AD site
/// boundaries that clients of another site's subnets live in.
fn overlay(inv: &mut Inventory, seed: u64) {
    let mut rng = Rng::new(seed);
    let sites: Vec<SiteCode> = inv.sites.iter().map(|s| s.code).collect();
    let roaming = |r: u64| [None, Some(RoamingKind::Local), Some(RoamingKind::Remote)][r as usize];
    let mut extra = Vec::new();
    for _ in 0..rng.below(6) {
        if inv.boundaries.is_empty() {
            break;
        }
        let b = rng.pick(&inv.boundaries).clone();
        let site = *rng.pick(&sites);
        extra.extend(Boundary::new(site, b.kind, &b.value, roaming(rng.below(3))).ok());
    }
    if rng.percent(40) {
        let start = 0x0A00_0000u32 + ((rng.below(64) as u32) << 8);
        let end = start + (rng.below(8) as u32 + 1) * 256 - 1;
        let value = format!(
            "{}-{}",
            std::net::Ipv4Addr::from(start),
            std::net::Ipv4Addr::from(end)
        );
        let site = *rng.pick(&sites);
        extra
            .extend(Boundary::new(site, BoundaryKind::IpRange, &value, roaming(rng.below(3))).ok());
    }
    if rng.percent(40) {
        let clients_of = *rng.pick(&sites);
        let site = *rng.pick(&sites);
        let value = format!("{clients_of}-Site");
        extra.extend(Boundary::new(site, BoundaryKind::AdSite, &value, None).ok());
    }
    inv.boundaries.extend(extra);
    inv.normalize();
    inv.boundaries.dedup_by(|a, b| {
        (a.site_code, a.kind, &a.value, a.roaming) == (b.site_code, b.kind, &b.value, b.roaming)
    });
}

/// TOML for a random target over `inv`: 1–4 new sites in a random tree, old sites (or some of
/// their boundaries) spread over random waves and destinations, random client selections,
/// masks, exclusions and carried object kinds.
fn random_target(inv: &Inventory, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut t = String::new();
    let _ = writeln!(t, "replication_wait_minutes = {}", 1 + rng.below(240));
    match rng.below(3) {
        0 => {}
        1 => t.push_str("[subnet_masks]\ndefault = 24\n"),
        _ => {
            t.push_str("[subnet_masks]\n");
            let subnets: std::collections::BTreeSet<&str> = inv
                .boundaries
                .iter()
                .filter(|b| b.kind == BoundaryKind::IpSubnet)
                .map(|b| b.value.as_str())
                .collect();
            for value in subnets {
                if rng.percent(50) {
                    let _ = writeln!(t, "\"{value}\" = 24");
                }
            }
        }
    }
    let count = 1 + rng.below(4) as usize;
    let codes: Vec<String> = (0..count).map(|i| format!("N0{i}")).collect();
    let mut types = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        let _ = write!(
            t,
            "[[site]]\ncode = \"{code}\"\nname = \"New {i}\"\nserver = \"CMN0{i}\"\n"
        );
        let mut kind = SiteType::Primary;
        if i > 0 {
            let parent = rng.below(i as u64) as usize;
            let _ = writeln!(t, "parent = \"{}\"", codes[parent]);
            if types[parent] == SiteType::Primary && rng.percent(30) {
                t.push_str("type = \"secondary\"\n");
                kind = SiteType::Secondary;
            }
        }
        types.push(kind);
    }
    if rng.percent(30) {
        let kinds = [
            "collections",
            "packages",
            "advertisements",
            "queries",
            "reports",
        ];
        let chosen: Vec<String> = kinds
            .iter()
            .filter(|_| rng.percent(60))
            .map(|k| format!("\"{k}\""))
            .collect();
        let _ = writeln!(t, "[objects]\ncarry = [{}]", chosen.join(", "));
    }
    t.push_str("[exclude]\n");
    if let Some(c) = inv.clients.first().filter(|_| rng.percent(30)) {
        let _ = writeln!(t, "client_ids = [{}]", c.resource_id);
    }
    if let Some(c) = inv.collections.last().filter(|_| rng.percent(30)) {
        let _ = writeln!(t, "collections = [\"{}\"]", c.id);
    }
    let mut old: Vec<SiteCode> = inv.sites.iter().map(|s| s.code).collect();
    // Shuffle, then leave some sites where they are.
    for i in (1..old.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        old.swap(i, j);
    }
    let moved = old.len() - rng.below(old.len() as u64 / 3 + 1) as usize;
    let waves = (1 + rng.below(3) as usize).min(moved);
    for w in 0..waves {
        let _ = writeln!(t, "[[wave]]\nname = \"wave {w}\"");
        for site in old[..moved].iter().copied().skip(w).step_by(waves) {
            let to = &codes[rng.below(count as u64) as usize];
            let _ = write!(t, "[[wave.move]]\nto = \"{to}\"\n");
            let own: Vec<_> = inv.boundaries_of(site).iter().collect();
            if !own.is_empty() && rng.percent(25) {
                // A reference names every entry with its value (site and roaming): one each.
                let some: std::collections::BTreeSet<String> = own
                    .iter()
                    .filter(|_| rng.percent(50))
                    .map(|b| {
                        format!(
                            "{{ site = \"{site}\", kind = \"{}\", value = \"{}\" }}",
                            b.kind.as_str(),
                            b.value
                        )
                    })
                    .collect();
                let some: Vec<String> = some.into_iter().collect();
                if some.is_empty() {
                    let _ = writeln!(t, "sites = [\"{site}\"]");
                } else {
                    let _ = writeln!(t, "boundaries = [{}]", some.join(", "));
                }
            } else {
                let _ = writeln!(t, "sites = [\"{site}\"]");
            }
            match rng.below(4) {
                0 => {
                    let _ = writeln!(t, "clients = {{ sites = [\"{site}\"] }}");
                }
                1 => {
                    if let Some(c) = inv
                        .collections
                        .get(rng.below(inv.collections.len() as u64) as usize)
                    {
                        let _ = writeln!(t, "clients = {{ collections = [\"{}\"] }}", c.id);
                    }
                }
                _ => {}
            }
        }
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_plan_verifies(
        seed in any::<u64>(),
        target_seed in any::<u64>(),
        sites in 2usize..10,
        boundaries in 4usize..60,
        clients in 0usize..120,
    ) {
        let mut inv = generate(&SynthConfig { seed, sites, boundaries, clients, collections: 6, packages: 4 });
        overlay(&mut inv, seed ^ target_seed);
        let text = random_target(&inv, target_seed);
        let target = match Target::parse(&text, &inv) {
            Ok(t) => t,
            Err(e) => panic!("generated target rejected: {e:?}\n{text}"),
        };
        let p = plan(&inv, &target);
        let v = verify(&inv, &p);
        prop_assert!(v.passed(), "violations {:?}\n{}", v.violations, text);
        prop_assert_eq!(&plan(&inv, &target), &p);
        if p.error_count() == 0 {
            let files = artifacts(&inv, &p, &v).expect("artifacts of a clean plan");
            for a in &files {
                checked_text(a);
            }
        }
    }
}
