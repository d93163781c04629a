//! `smsmig plan`, run as the real binary over the sample hierarchy with the targets of
//! `testdata/plan/`: the dry run (steps, findings, before/after diff, verification), the JSON
//! document, writing artifacts, refusing to write them, and exit codes 0 / 1 / 2.

use std::path::Path;

use serde_json::Value;

mod common;

use common::{fixture, settings, testdata, transcript};

/// Run `smsmig` with `args`; exit code, stdout and stderr with testdata and `out` filtered.
fn smsmig(args: &[&str], out: Option<&Path>) -> (i32, String, String) {
    let mut cmd = common::smsmig(args).filter(&testdata(), "<testdata>");
    if let Some(out) = out {
        cmd = cmd.filter(out, "<out>");
    }
    cmd.run().into_parts()
}

fn plan_args<'a>(target: &'a str, extra: &[&'a str]) -> Vec<String> {
    let mut v = vec![
        "plan".to_owned(),
        "--inventory".to_owned(),
        fixture("hierarchy"),
        "--target".to_owned(),
        fixture(&format!("plan/{target}")),
    ];
    v.extend(extra.iter().map(|s| (*s).to_owned()));
    v
}

fn run(target: &str, extra: &[&str], out: Option<&Path>) -> (i32, String, String) {
    let args = plan_args(target, extra);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    smsmig(&refs, out)
}

#[test]
fn dry_run_prints_plan_diff_and_verdict() {
    let (code, out, err) = run("sample.toml", &[], None);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Side-by-side plan: 4 new site(s), 4 wave(s), 120 step(s)"));
    assert!(out.contains("--- before\n+++ after\n"));
    assert!(out.contains("-HOU: site boundary IP Subnet 10.1.0.0\n"));
    assert!(out.contains("+C01: boundary IP Subnet 10.1.0.0 (fast)\n"));
    assert!(out.ends_with("passed: 120 step(s) simulated, every invariant holds\n"));
    settings()
        .bind(|| insta::assert_snapshot!("plan_cli_sample_text", transcript(code, &out, &err)));
}

#[test]
fn json_follows_the_schema() {
    let (code, out, err) = run("sample.toml", &["--format", "json"], None);
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["schema"], "smsmig.plan/1");
    let initial = doc["initial_state"]["boundaries"].as_array().unwrap();
    assert_eq!(initial.len(), 33);
    assert_eq!(initial[0]["kind"], "ip_subnet");
    for b in initial {
        let kind = b["kind"].as_str().unwrap();
        assert!(["ip_subnet", "ip_range", "ad_site", "ipv6_prefix"].contains(&kind));
        assert!(b["roaming"].is_null() || b["roaming"] == "local" || b["roaming"] == "remote");
    }
    let steps = doc["steps"].as_array().unwrap();
    for (i, s) in steps.iter().enumerate() {
        assert_eq!(s["seq"], i as u64 + 1);
        for d in s["depends_on"].as_array().unwrap() {
            assert!(d.as_u64().unwrap() < i as u64 + 1);
        }
    }
    let actions: std::collections::BTreeSet<&str> = steps
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    for a in [
        "create_site",
        "remove_boundary",
        "wait_replication",
        "add_boundary",
        "reassign_clients",
        "export_objects",
        "import_objects",
        "remove_ad_wins_entries",
        "decommission_site",
    ] {
        assert!(actions.contains(a), "{a}");
    }
    let wait = steps
        .iter()
        .find(|s| s["action"] == "wait_replication")
        .unwrap();
    assert_eq!(wait["minutes"], 90);
    assert_eq!(wait["wave"], 1);
    let reassign = steps
        .iter()
        .find(|s| s["action"] == "reassign_clients")
        .unwrap();
    assert_eq!(reassign["from_site"], "HOU");
    assert_eq!(reassign["to_site"], "C01");
    assert_eq!(reassign["clients"], 139);
    let add = steps
        .iter()
        .find(|s| s["action"] == "add_boundary")
        .unwrap();
    assert_eq!(add["boundary"]["connection"], "fast");
    assert!(doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["code"].is_string()));
    assert_eq!(doc["verification"]["passed"], true);
    settings().bind(|| insta::assert_snapshot!("plan_cli_sample_json", out));
}

#[test]
fn out_writes_artifacts_and_keeps_what_is_there() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("plan");
    let out_arg = out_dir.display().to_string();
    let (code, out, err) = run("sample.toml", &["--out", &out_arg, "-q"], Some(&out_dir));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "", "quiet prints nothing for a clean plan");
    let md = std::fs::read_to_string(out_dir.join("plan.md")).unwrap();
    assert!(md.starts_with("# Side-by-side migration plan\n"));
    let mof = std::fs::read(out_dir.join("objects").join("C01-collections.mof")).unwrap();
    assert_eq!(&mof[..2], &[0xFF, 0xFE]);
    let cmd = std::fs::read_to_string(out_dir.join("waves/wave-02/reassign-C02.cmd")).unwrap();
    assert!(cmd
        .contains("\"\\\\CMDAL01\\SMS_C02\\Client\\CCMSETUP.EXE\" /noservice SMSSITECODE=C02\r\n"));

    // A second run does not overwrite without --force.
    let (code, _, err) = run("sample.toml", &["--out", &out_arg], Some(&out_dir));
    assert_eq!(code, 2);
    assert!(err.contains("already exist"), "{err}");

    // With --force it does, keeping a backup of each file.
    let (code, out, err) = run(
        "sample.toml",
        &["--out", &out_arg, "--force"],
        Some(&out_dir),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out_dir.join("plan.md.bak").exists());
    let listed = out.split("## Artifacts\n").nth(1).unwrap();
    settings().bind(|| insta::assert_snapshot!("plan_cli_written", listed));
}

#[test]
fn an_unsafe_plan_exits_1_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("plan");
    let out_arg = out_dir.display().to_string();
    let (code, out, err) = run(
        "cannot-decide.toml",
        &["--out", &out_arg, "-q"],
        Some(&out_dir),
    );
    assert_eq!(code, 1);
    assert!(
        !out_dir.exists(),
        "no artifacts for a plan with error findings"
    );
    settings().bind(|| {
        insta::assert_snapshot!("plan_cli_cannot_decide_quiet", transcript(code, &out, &err));
    });
}

#[test]
fn an_invalid_target_exits_2_with_located_errors() {
    let (code, out, err) = run(
        "invalid/boundaries-and-masks.toml",
        &["--color", "never"],
        None,
    );
    assert_eq!(code, 2);
    assert_eq!(out, "");
    settings()
        .bind(|| insta::assert_snapshot!("plan_cli_invalid_target", transcript(code, &out, &err)));

    let (code, out, _) = run(
        "invalid/configmgr-under-sms.toml",
        &["--format", "json"],
        None,
    );
    assert_eq!(code, 2);
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["schema"], "smsmig.plan/1");
    assert_eq!(doc["target_errors"][0]["code"], "configmgr_under_sms");
}

#[test]
fn unreadable_inputs_exit_2() {
    let (code, _, err) = run("no-such-target.toml", &[], None);
    assert_eq!(code, 2);
    assert!(err.contains("no-such-target.toml"), "{err}");
    let (code, _, err) = smsmig(
        &[
            "plan",
            "--inventory",
            &fixture("no-such-dir"),
            "--target",
            &fixture("plan/sample.toml"),
        ],
        None,
    );
    assert_eq!(code, 2);
    assert!(err.contains("loading inventory"), "{err}");
}
