//! The sample hierarchy with `testdata/plan/sample.toml` (and its variant without masks): the
//! plan, the states before and after, and every artifact, snapshotted.

use smsmig_migrate::plan::{
    artifacts, plan, Action, ArtifactError, FindingKind, ObjectKind, Phase, Severity,
};

use crate::common::settings;
use crate::support::{
    checked_text, clean_artifacts, planned, render_plan, sample_inventory, slug, target,
    target_text,
};

#[test]
fn sample_plan_verifies_and_reads_well() {
    let inv = sample_inventory();
    let (p, v) = planned(&inv, &target_text("sample.toml"));
    assert!(v.passed(), "{:?}", v.violations);
    assert_eq!(p.error_count(), 0);
    settings().bind(|| {
        insta::assert_snapshot!("plan_sample", render_plan(&inv, &p, &v));
        insta::assert_snapshot!(
            "plan_sample_state",
            format!(
                "## Before\n{}\n## After\n{}",
                v.before.render(),
                v.after.render()
            )
        );
    });
}

#[test]
fn sample_plan_keeps_the_promised_order() {
    let inv = sample_inventory();
    let (p, _) = planned(&inv, &target_text("sample.toml"));
    // Phases never interleave: build, objects, waves in order, cleanup.
    let rank = |s: &smsmig_migrate::plan::Step| (s.phase, s.wave);
    assert!(p.steps.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])));
    // The central site is created first.
    assert!(matches!(p.steps[0].action, Action::CreateSite { site } if site.as_str() == "C01"));
    // Queries and reports are imported into every new primary, explicitly.
    let imports = |kind: ObjectKind| {
        p.steps
            .iter()
            .filter_map(|s| match &s.action {
                Action::ImportObjects { site, kind: k, .. } if *k == kind => Some(site.to_string()),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(imports(ObjectKind::Queries), ["C01", "C02", "C03"]);
    assert_eq!(imports(ObjectKind::Reports), ["C01", "C02", "C03"]);
    assert_eq!(imports(ObjectKind::Collections), ["C01"]);
    // Every wave removes, waits, adds, then reassigns.
    for wave in 1..=4 {
        let actions: Vec<&str> = p
            .steps
            .iter()
            .filter(|s| s.wave == Some(wave))
            .map(|s| s.action.name())
            .collect();
        let first_wait = actions
            .iter()
            .position(|a| *a == "wait_replication")
            .unwrap();
        assert!(actions[..first_wait]
            .iter()
            .all(|a| *a == "remove_boundary"));
        assert!(actions[first_wait + 1..]
            .iter()
            .all(|a| *a == "add_boundary" || *a == "reassign_clients"));
        assert_eq!(actions.last(), Some(&"reassign_clients"));
    }
    // Each decommission is followed by its AD/WINS cleanup, children before parents.
    let cleanup: Vec<String> = p
        .steps
        .iter()
        .filter(|s| s.phase == Phase::Cleanup)
        .map(|s| format!("{} {}", s.action.name(), s.action.site().unwrap()))
        .collect();
    assert_eq!(
        cleanup.first().map(String::as_str),
        Some("decommission_site ELP")
    );
    assert_eq!(
        cleanup.last().map(String::as_str),
        Some("remove_ad_wins_entries HOU")
    );
    // The excluded client stays behind, and says so.
    assert!(p.findings.iter().any(|f| matches!(
        &f.kind,
        FindingKind::ClientsLeftBehind { examples, .. } if examples == &["HOU-SRV017".to_owned()]
    )));
}

#[test]
fn sample_artifacts_are_snapshotted_and_check_clean() {
    let inv = sample_inventory();
    let (p, v) = planned(&inv, &target_text("sample.toml"));
    let files = clean_artifacts(&inv, &p, &v);
    let list: Vec<String> = files
        .iter()
        .map(|a| format!("{} ({} bytes)", a.path, a.bytes().len()))
        .collect();
    settings().bind(|| {
        insta::assert_snapshot!("plan_sample_artifact_list", list.join("\n"));
        for a in &files {
            let text = checked_text(a);
            insta::assert_snapshot!(format!("plan_sample_artifact_{}", slug(&a.path)), text);
        }
    });
}

#[test]
fn planning_is_deterministic() {
    let inv = sample_inventory();
    let text = target_text("sample.toml");
    let t = target(&text, &inv);
    assert_eq!(plan(&inv, &t), plan(&inv, &t));
}

#[test]
fn unknown_masks_are_never_guessed() {
    let inv = sample_inventory();
    let (p, v) = planned(&inv, &target_text("cannot-decide.toml"));
    // The plan is still consistent: nothing undecidable was added.
    assert!(v.passed(), "{:?}", v.violations);
    let undecided: Vec<_> = p
        .findings
        .iter()
        .filter(|f| matches!(f.kind, FindingKind::CannotDecideOverlap { .. }))
        .collect();
    assert!(!undecided.is_empty());
    assert!(undecided.iter().all(|f| f.severity == Severity::Error));
    assert_eq!(
        artifacts(&inv, &p, &v),
        Err(ArtifactError::ErrorFindings {
            count: p.error_count()
        })
    );
    settings().bind(|| {
        insta::assert_snapshot!("plan_cannot_decide", render_plan(&inv, &p, &v));
    });
}
