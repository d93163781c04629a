//! The in-place upgrade assessment over the sample hierarchy (`testdata/hierarchy`) and the
//! variants in `testdata/assess/`: one snapshot per fixture, a check that every rule of the
//! catalogue is triggered by some fixture, and invariants of the order and verdicts on every
//! fixture and on synthetic hierarchies.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use smsmig_migrate::assess::{assess, Assessment, Severity, Verdict, RULES};
use smsmig_migrate::inventory::synth::{generate, SynthConfig};
use smsmig_migrate::inventory::{load_dir, Inventory, SiteType};

mod common;

use common::{settings, testdata};

/// Every fixture that loads: the sample, then the variants by name (not `invalid`, which
/// exists to fail loading).
fn fixtures() -> Vec<(String, PathBuf)> {
    let mut out = vec![("hierarchy".to_owned(), testdata().join("hierarchy"))];
    let mut variants: Vec<PathBuf> = std::fs::read_dir(testdata().join("assess"))
        .expect("testdata/assess")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir() && p.file_name().is_some_and(|n| n != "invalid"))
        .collect();
    variants.sort();
    for path in variants {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        out.push((name, path));
    }
    out
}

fn load(path: &Path) -> Inventory {
    load_dir(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .inventory
}

/// A purpose-built text rendering: order and verdicts, findings per site, checklist.
fn render(a: &Assessment) -> String {
    let mut s = String::from("## Upgrade order\n");
    for site in &a.sites {
        let _ = writeln!(
            s,
            "{}. {} {:?} parent={} {} -> releases={:?} at_target={} verdict={:?} counts={}/{}/{} cannot_tell=[{}] strategy={:?}",
            site.step,
            site.code,
            site.site_type,
            site.parent.map_or_else(|| "-".to_owned(), |p| p.to_string()),
            site.upgrade_path.source,
            site.upgrade_path.releases,
            site.upgrade_path.at_target,
            site.verdict,
            site.counts.error,
            site.counts.warning,
            site.counts.info,
            site.cannot_tell.join(","),
            site.recommendation.strategy,
        );
        for r in &site.recommendation.reasons {
            let _ = writeln!(s, "   reason {:?}: {}", r.kind, r.detail);
        }
        for n in &site.recommendation.notes {
            let _ = writeln!(s, "   note: {n}");
        }
    }
    for site in &a.sites {
        let _ = writeln!(s, "\n## Findings {}", site.code);
        for f in a.findings_of(site.code) {
            let tell = if f.cannot_tell { " (cannot tell)" } else { "" };
            let _ = writeln!(s, "{} {}{tell}: {}", f.code, f.severity, f.title);
            let _ = writeln!(s, "  evidence: {}", f.evidence.summary);
            for item in &f.evidence.items {
                let id = item
                    .resource_id
                    .map_or_else(String::new, |i| format!(" ({i})"));
                let _ = writeln!(s, "  - {}{id}: {}", item.name, item.detail);
            }
            if f.evidence.more() > 0 {
                let _ = writeln!(
                    s,
                    "  ... {} more of {}",
                    f.evidence.more(),
                    f.evidence.total
                );
            }
            let _ = writeln!(s, "  fix: {}", f.fix);
        }
    }
    s.push_str("\n## Checklist\n");
    for item in &a.checklist {
        let sites: Vec<&str> = item.sites.iter().map(|c| c.as_str()).collect();
        let _ = writeln!(
            s,
            "{}. [{:?}] {} | {} | [{}]",
            item.step,
            item.status,
            item.text,
            item.note,
            sites.join(",")
        );
    }
    s
}

/// Invariants that hold for any inventory.
fn check_invariants(inv: &Inventory, a: &Assessment, label: &str) {
    // Every site exactly once, in the order the sites list follows.
    let order: Vec<_> = a.sites.iter().map(|s| s.code).collect();
    assert_eq!(order, a.sites_in_upgrade_order, "{label}");
    assert_eq!(
        order.iter().collect::<BTreeSet<_>>().len(),
        inv.sites.len(),
        "{label}: every site once"
    );
    let pos = |c| order.iter().position(|x| *x == c);
    let placed = |s: &smsmig_migrate::assess::SiteAssessment| {
        !a.findings_of(s.code).any(|f| f.code == "A053")
    };
    let last_primary = a
        .sites
        .iter()
        .filter(|s| placed(s) && s.site_type == SiteType::Primary)
        .map(|s| s.step)
        .max()
        .unwrap_or(0);
    for s in a.sites.iter().filter(|s| placed(s)) {
        // Parents first; secondaries after every primary.
        if let Some(p) = s.parent {
            assert!(
                pos(p) < pos(s.code),
                "{label}: {} before its parent",
                s.code
            );
        }
        if s.site_type == SiteType::Secondary {
            assert!(
                s.step > last_primary,
                "{label}: secondary {} among primaries",
                s.code
            );
        }
    }
    // Unplaced sites come last.
    let first_unplaced = a.sites.iter().position(|s| !placed(s));
    if let Some(i) = first_unplaced {
        assert!(a.sites[i..].iter().all(|s| !placed(s)), "{label}");
    }
    // Verdicts follow the findings; findings are grouped by site in order, most severe first.
    for s in &a.sites {
        let worst = a.findings_of(s.code).map(|f| f.severity).max();
        let expected = match worst {
            Some(Severity::Error) => Verdict::Blocked,
            Some(Severity::Warning) => Verdict::ReadyWithWarnings,
            _ => Verdict::Ready,
        };
        assert_eq!(s.verdict, expected, "{label}: {}", s.code);
        let sev: Vec<Severity> = a.findings_of(s.code).map(|f| f.severity).collect();
        assert!(sev.windows(2).all(|w| w[0] >= w[1]), "{label}: {}", s.code);
        for f in a.findings_of(s.code) {
            assert!(f.evidence.items.len() <= f.evidence.total.max(f.evidence.items.len()));
            assert!(
                !f.fix.is_empty() && !f.title.is_empty(),
                "{label}: {}",
                f.code
            );
        }
    }
    let site_runs: Vec<_> = a.findings.iter().map(|f| pos(f.site)).collect();
    assert!(
        site_runs.windows(2).all(|w| w[0] <= w[1]),
        "{label}: findings grouped in order"
    );
    // A blocked SMS 2003 parent blocks its SMS 2003 children.
    for s in &a.sites {
        let Some(parent) = s.parent.and_then(|p| a.site(p)) else {
            continue;
        };
        let sms = |x: &smsmig_migrate::assess::SiteAssessment| {
            x.product != smsmig_migrate::inventory::SiteProduct::ConfigMgr2007
        };
        if parent.verdict == Verdict::Blocked && sms(parent) && sms(s) && placed(s) {
            assert_eq!(
                s.verdict,
                Verdict::Blocked,
                "{label}: {} under blocked {}",
                s.code,
                parent.code
            );
        }
    }
    let steps: Vec<usize> = a.checklist.iter().map(|i| i.step).collect();
    assert_eq!(
        steps,
        (1..=a.checklist.len()).collect::<Vec<_>>(),
        "{label}"
    );
}

#[test]
fn every_fixture_is_snapshotted() {
    for (name, path) in fixtures() {
        let inv = load(&path);
        let a = assess(&inv);
        check_invariants(&inv, &a, &name);
        let text = render(&a);
        settings().bind(|| insta::assert_snapshot!(format!("assess_{name}"), text));
    }
}

#[test]
fn every_rule_is_triggered_by_a_fixture() {
    let mut seen: BTreeSet<&'static str> = BTreeSet::new();
    for (_, path) in fixtures() {
        let a = assess(&load(&path));
        seen.extend(a.findings.iter().map(|f| f.code));
    }
    let missing: Vec<&str> = RULES
        .iter()
        .map(|r| r.code())
        .filter(|c| !seen.contains(c))
        .collect();
    assert!(missing.is_empty(), "rules no fixture triggers: {missing:?}");
}

#[test]
fn rule_catalogue_is_snapshotted() {
    let mut s = String::new();
    for r in RULES {
        let tell = if r.cannot_tell() { ", cannot tell" } else { "" };
        let _ = writeln!(
            s,
            "{} {}{tell}: {}\n    {}",
            r.code(),
            r.severity(),
            r.name(),
            r.reference()
        );
    }
    settings().bind(|| insta::assert_snapshot!("assess_rules", s));
}

#[test]
fn sample_verdicts_match_its_story() {
    let a = assess(&load(&testdata().join("hierarchy")));
    let verdict = |c: &str| {
        a.sites
            .iter()
            .find(|s| s.code.as_str() == c)
            .unwrap()
            .verdict
    };
    // SAT: SMS 2003 SP1 on Windows 2000 with SQL Server 2000 — blocked on its own account.
    let sat: BTreeSet<&str> = a
        .findings
        .iter()
        .filter(|f| f.site.as_str() == "SAT" && f.severity == Severity::Error)
        .map(|f| f.code)
        .collect();
    for code in ["A001", "A010", "A013", "A020", "A025"] {
        assert!(sat.contains(code), "SAT lacks {code}: {sat:?}");
    }
    assert_eq!(verdict("SAT"), Verdict::Blocked);
    assert_eq!(a.sites_in_upgrade_order[0].as_str(), "HOU");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn synthetic_hierarchies_keep_the_invariants(seed in any::<u64>()) {
        let inv = generate(&SynthConfig::small(seed));
        let a = assess(&inv);
        check_invariants(&inv, &a, &format!("seed {seed}"));
    }
}
