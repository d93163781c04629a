//! Shared helpers: fixtures, readable renderings, artifact checks (snapshot settings and paths
//! are in `common`, shared with the other test files).

use std::fmt::Write as _;

use smsmig_migrate::inventory::synth::sample;
use smsmig_migrate::inventory::Inventory;
use smsmig_migrate::plan::describe::{describe, plain};
use smsmig_migrate::plan::{
    artifacts, plan, verify, Artifact, ArtifactEncoding, Plan, Target, Verification,
};

use crate::common::workspace;

pub(crate) fn target_text(name: &str) -> String {
    let path = workspace().join("testdata/plan").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The sample hierarchy (the one `testdata/hierarchy/` holds).
pub(crate) fn sample_inventory() -> Inventory {
    sample()
}

/// Parse `text` against `inv`, panicking with every error if it is invalid.
pub(crate) fn target(text: &str, inv: &Inventory) -> Target {
    Target::parse(text, inv).unwrap_or_else(|errors| {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        panic!("invalid target:\n{}", list.join("\n"))
    })
}

/// Plan and verify.
pub(crate) fn planned(inv: &Inventory, text: &str) -> (Plan, Verification) {
    let t = target(text, inv);
    let p = plan(inv, &t);
    let v = verify(inv, &p);
    (p, v)
}

/// Steps, findings and verification as text, for snapshots.
pub(crate) fn render_plan(inv: &Inventory, p: &Plan, v: &Verification) -> String {
    let mut t = String::from("## Sites\n");
    for s in &p.sites {
        let parent = s.parent.map_or_else(|| "-".to_owned(), |c| c.to_string());
        let _ = writeln!(
            t,
            "{} {:?} parent {parent} server {} {:?}",
            s.code, s.name, s.server, s.site_type
        );
    }
    t.push_str("\n## Steps\n");
    for step in &p.steps {
        let phase = match step.wave {
            Some(w) => format!("wave {w}"),
            None => format!("{:?}", step.phase).to_lowercase(),
        };
        let deps = if step.depends_on.is_empty() {
            String::new()
        } else {
            let d: Vec<String> = step.depends_on.iter().map(ToString::to_string).collect();
            format!(" [after {}]", d.join(" "))
        };
        let _ = writeln!(
            t,
            "{:>3} {:<8} {}: {}{deps}",
            step.seq,
            phase,
            step.action.name(),
            plain(&describe(inv, p, step))
        );
    }
    t.push_str("\n## Findings\n");
    for f in &p.findings {
        let site = f.site.map(|s| format!(" {s}")).unwrap_or_default();
        let wave = f.wave.map(|w| format!(" wave {w}")).unwrap_or_default();
        let _ = writeln!(t, "{} {}{site}{wave}: {}", f.severity, f.code(), f.kind);
    }
    t.push_str("\n## Verification\n");
    if v.passed() {
        t.push_str("passed\n");
    }
    for x in &v.violations {
        let _ = writeln!(t, "{x}");
    }
    t
}

/// The artifacts of a plan that must be clean.
pub(crate) fn clean_artifacts(inv: &Inventory, p: &Plan, v: &Verification) -> Vec<Artifact> {
    assert!(v.passed(), "{:?}", v.violations);
    assert_eq!(p.error_count(), 0, "{:?}", p.findings);
    artifacts(inv, p, v).expect("artifacts")
}

/// Check each artifact's encoding and line endings, and that each MOF passes `mof check`
/// without a single diagnostic. Returns the text with CRLF shown as LF, for snapshots.
pub(crate) fn checked_text(a: &Artifact) -> String {
    let windows = [".vbs", ".cmd", ".csv", ".mof", ".txt"];
    if windows.iter().any(|e| a.path.ends_with(e)) {
        // A CSV field may hold a line break inside its quotes; records still end in CRLF.
        let bare_lf = !a.path.ends_with(".csv") && a.text.replace("\r\n", "").contains('\n');
        assert!(!bare_lf, "{}: a line ends in LF alone", a.path);
        assert!(a.text.ends_with("\r\n"), "{}: no final CRLF", a.path);
    }
    if a.path.ends_with(".vbs") || a.path.ends_with(".cmd") {
        assert!(a.text.is_ascii(), "{}: scripts must be ASCII", a.path);
    }
    match a.encoding {
        ArtifactEncoding::Utf16LeBom => assert!(a.bytes().starts_with(&[0xFF, 0xFE])),
        ArtifactEncoding::Utf8Bom => assert!(a.bytes().starts_with(&[0xEF, 0xBB, 0xBF])),
        ArtifactEncoding::Utf8 => assert!(!a.bytes().starts_with(&[0xEF, 0xBB, 0xBF])),
    }
    if a.path.ends_with(".mof") {
        assert_eq!(a.encoding, ArtifactEncoding::Utf16LeBom);
        let bytes = a.bytes();
        let set =
            smsmig_mof::include::SourceSet::from_sources(&[(a.path.as_str(), bytes.as_slice())]);
        let diagnostics = smsmig_mof::check::check(&set);
        let list: Vec<String> = diagnostics
            .iter()
            .map(|d| format!("{} {}", d.code(), d.kind))
            .collect();
        assert!(list.is_empty(), "{}: mof check: {list:?}", a.path);
    }
    a.text.replace("\r\n", "\n")
}

/// A snapshot name for an artifact path.
pub(crate) fn slug(path: &str) -> String {
    path.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
