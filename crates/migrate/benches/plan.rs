//! Plan + verify at scale: 2,000 SMS sites, 200,000 boundaries, 1,000,000 clients, against a
//! target of 200 new sites in 10 waves — and the same at 1/10 size, to see how time grows.
//!
//! Run with `cargo bench -p smsmig-migrate --bench plan` (add `-- --full-only` or
//! `-- --tenth-only` for one size; by default 1/10, 1/2 and full size; `-- --no-masks` for a
//! target without `[subnet_masks]`; `-- --runs=N` to plan and verify each size N times, 3 by
//! default; `-- --double` to add twice the full size). Prints, per size: generation, target parsing, the best and the median planning and
//! verification times, step and finding counts, and the process's peak resident memory
//! (`VmHWM` from `/proc/self/status`, reset between sizes through `/proc/self/clear_refs`
//! where the kernel allows it).
#![allow(clippy::print_stdout)]

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use smsmig_migrate::inventory::synth::{generate, SynthConfig};
use smsmig_migrate::inventory::{Inventory, SiteType};
use smsmig_migrate::plan::{plan, verify, Target};

/// A target over `inv`: `new_sites` ConfigMgr sites (a central site, primaries under it, every
/// fifth of those with a secondary below), old site `i` going to new site `i % new_sites` in
/// wave `i % waves + 1`, whole sites, default client selection, /24 subnets.
fn target_text(inv: &Inventory, new_sites: usize, waves: usize, masks: bool) -> String {
    let mut t = String::from("replication_wait_minutes = 60\n");
    if masks {
        t.push_str("[subnet_masks]\ndefault = 24\n");
    }
    let code =
        |i: usize| format!("X{:02}", i % 100).replace('X', ["X", "Y", "Z", "W", "V"][i / 100]);
    let mut kinds = Vec::new();
    for i in 0..new_sites {
        let _ = write!(
            t,
            "[[site]]\ncode = \"{}\"\nname = \"New {i}\"\nserver = \"CM{i:03}\"\n",
            code(i)
        );
        if i == 0 {
            kinds.push(SiteType::Primary);
        } else if i % 5 == 0 && kinds[i - 1] == SiteType::Primary {
            let _ = writeln!(t, "parent = \"{}\"\ntype = \"secondary\"", code(i - 1));
            kinds.push(SiteType::Secondary);
        } else {
            let _ = writeln!(t, "parent = \"{}\"", code(0));
            kinds.push(SiteType::Primary);
        }
    }
    for w in 0..waves {
        let _ = writeln!(t, "[[wave]]\nname = \"wave {}\"", w + 1);
        let mut by_new: Vec<Vec<String>> = vec![Vec::new(); new_sites];
        for (i, s) in inv.sites.iter().enumerate().filter(|(i, _)| i % waves == w) {
            by_new[i % new_sites].push(format!("\"{}\"", s.code));
        }
        for (n, sites) in by_new.iter().enumerate().filter(|(_, s)| !s.is_empty()) {
            let _ = write!(
                t,
                "[[wave.move]]\nto = \"{}\"\nsites = [{}]\n",
                code(n),
                sites.join(", ")
            );
        }
    }
    t
}

fn vm(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn mb(kb: Option<u64>) -> String {
    kb.map_or_else(
        || "n/a".to_owned(),
        |k| format!("{:.0} MB", k as f64 / 1024.0),
    )
}

struct Figures {
    plan: Duration,
    verify: Duration,
}

fn run(
    label: &str,
    (sites, boundaries, clients): (usize, usize, usize),
    masks: bool,
    runs: usize,
) -> Figures {
    reset_peak();
    let t = Instant::now();
    let inv = generate(&SynthConfig {
        seed: 2007,
        sites,
        boundaries,
        clients,
        collections: sites,
        packages: sites / 2,
    });
    let generated = t.elapsed();
    let rss_inventory = vm("VmRSS:");
    let text = target_text(&inv, (sites / 10).max(2), 10, masks);
    let t = Instant::now();
    let target = Target::parse(&text, &inv).expect("the bench target is valid");
    let parsed = t.elapsed();
    // Each size is planned and verified `runs` times; the best and the median are reported
    // (this VM's timings vary by tens of percent from one run to the next).
    let mut times: Vec<(Duration, Duration)> = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        drop(last.take());
        let t = Instant::now();
        let p = plan(&inv, &target);
        let planned = t.elapsed();
        let t = Instant::now();
        let v = verify(&inv, &p);
        let verified = t.elapsed();
        assert!(
            v.passed(),
            "{:?}",
            &v.violations[..v.violations.len().min(5)]
        );
        times.push((planned, verified));
        last = Some(p);
    }
    let p = last.expect("at least one run");
    times.sort_by_key(|(a, b)| *a + *b);
    let (best, median) = (times[0], times[times.len() / 2]);
    println!("== {label}: {sites} sites, {boundaries} boundaries, {clients} clients");
    println!("   generate {generated:.2?}, parse target {parsed:.2?}");
    for (what, (planned, verified)) in [("best", best), ("median", median)] {
        println!(
            "   {what} of {runs}: plan {planned:.2?}, verify {verified:.2?}, plan+verify {:.2?}",
            planned + verified
        );
    }
    println!(
        "   {} steps, {} findings ({} errors), verification passed",
        p.steps.len(),
        p.findings.len(),
        p.error_count()
    );
    println!(
        "   RSS after generating {}, peak (VmHWM) {}",
        mb(rss_inventory),
        mb(vm("VmHWM:"))
    );
    Figures {
        plan: best.0,
        verify: best.1,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let full_only = args.iter().any(|a| a == "--full-only");
    let tenth_only = args.iter().any(|a| a == "--tenth-only");
    // Without masks nearly every subnet move is "cannot decide": the worst case for overlap
    // queries (a subnet ID like 10.0.0.0 may reach a whole /8).
    let masks = !args.iter().any(|a| a == "--no-masks");
    let runs = args
        .iter()
        .find_map(|a| a.strip_prefix("--runs="))
        .map_or(3, |n| n.parse::<usize>().expect("--runs=N").max(1));
    let tenth = (!full_only).then(|| run("1/10 size", (200, 20_000, 100_000), masks, runs));
    // The half size shows growth once the working set no longer fits in the CPU caches.
    let half = (!full_only && !tenth_only)
        .then(|| run("1/2 size", (1_000, 100_000, 500_000), masks, runs));
    let full = (!tenth_only).then(|| run("full size", (2_000, 200_000, 1_000_000), masks, runs));
    // Twice the full size, on request: how time grows once nothing fits in the caches.
    let double = args
        .iter()
        .any(|a| a == "--double")
        .then(|| run("2x full size", (4_000, 400_000, 2_000_000), masks, runs));
    let ratio = |x: Duration, y: Duration| y.as_secs_f64() / x.as_secs_f64().max(1e-9);
    let growth = |what: &str, a: &Figures, b: &Figures| {
        println!(
            "== growth {what}, best runs: plan x{:.1}, verify x{:.1}, plan+verify x{:.1}",
            ratio(a.plan, b.plan),
            ratio(a.verify, b.verify),
            ratio(a.plan + a.verify, b.plan + b.verify)
        );
    };
    if let (Some(a), Some(b)) = (&tenth, &full) {
        growth("1/10 -> full (10x input)", a, b);
    }
    if let (Some(a), Some(b)) = (&half, &full) {
        growth("1/2 -> full (2x input)", a, b);
    }
    if let (Some(a), Some(b)) = (&full, &double) {
        growth("full -> 2x full (2x input)", a, b);
    }
}
