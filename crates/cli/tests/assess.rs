//! `smsmig assess`, run as the real binary over the sample hierarchy and the variants in
//! `testdata/assess/`: text and JSON output, and the exit codes 0 / 1 / 2.

mod common;

use common::{fixture, settings, testdata, transcript};

/// Run `smsmig` with `args`; exit code, stdout and stderr with the testdata path filtered.
fn smsmig(args: &[&str]) -> (i32, String, String) {
    common::smsmig(args)
        .filter(&testdata(), "<testdata>")
        .run()
        .into_parts()
}

#[test]
fn sample_hierarchy_text_is_blocked_and_exits_1() {
    let (code, out, err) = smsmig(&["assess", "--inventory", &fixture("hierarchy")]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.starts_with("In-place upgrade to ConfigMgr 2007 SP1: 9 site(s)"),
        "{out}"
    );
    // Findings are grouped per site in upgrade order: HOU's section before DAL's, secondaries
    // after the primaries.
    let pos = |needle: &str| {
        out.find(needle)
            .unwrap_or_else(|| panic!("{needle} in {out}"))
    };
    assert!(pos("## 1. HOU Houston") < pos("## 2. DAL Dallas"));
    assert!(pos("## 4. AUS Austin") < pos("## 5. BMT Beaumont"));
    assert!(pos("## 9. ELP") < pos("## Checklist"));
    settings().bind(|| insta::assert_snapshot!("assess_cli_sample", transcript(code, &out, &err)));
}

#[test]
fn ready_hierarchy_exits_0() {
    let (code, out, err) = smsmig(&["assess", "--inventory", &fixture("assess/ready")]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("2 ready, 0 ready with warnings, 0 blocked"),
        "{out}"
    );
    settings().bind(|| insta::assert_snapshot!("assess_cli_ready", transcript(code, &out, &err)));
}

#[test]
fn cannot_tell_is_shown_and_does_not_block() {
    let (code, out, err) = smsmig(&[
        "assess",
        "--inventory",
        &fixture("assess/unknown_facts"),
        "-q",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    settings().bind(|| {
        insta::assert_snapshot!(
            "assess_cli_unknown_facts_quiet",
            transcript(code, &out, &err)
        );
    });
}

#[test]
fn json_carries_the_schema_and_nests_findings_per_site() {
    let (code, out, err) = smsmig(&[
        "--format",
        "json",
        "assess",
        "--inventory",
        &fixture("assess/client_identity"),
    ]);
    assert_eq!(code, 1, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["schema"], "smsmig.assess/1");
    assert_eq!(json["summary"]["blocked"], 1);
    assert_eq!(json["upgrade_order"][0], "HOU");
    let findings = json["sites"][0]["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["code"] == "A047"));
    assert!(json["checklist"].as_array().unwrap().len() > 10);
    settings().bind(|| insta::assert_snapshot!("assess_cli_client_identity_json", out));
}

#[test]
fn loader_findings_go_to_stderr() {
    let (code, out, err) = smsmig(&["assess", "--inventory", &fixture("assess/broken_tree")]);
    assert_eq!(code, 1);
    assert!(
        err.contains("inventory: sites.csv:5: warning: ReportingSiteCode `ZZZ`"),
        "{err}"
    );
    assert!(out.contains("error[A053]"), "{out}");
}

#[test]
fn unreadable_inventory_exits_2_with_file_line_column() {
    let (code, out, err) = smsmig(&["assess", "--inventory", &fixture("assess/invalid")]);
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("<testdata>/assess/invalid/sites.csv:3:16"),
        "{err}"
    );
    settings().bind(|| insta::assert_snapshot!("assess_cli_invalid", transcript(code, &out, &err)));

    let missing = fixture("assess/no-such-dir");
    let (code, _, err) = smsmig(&["assess", "--inventory", &missing]);
    assert_eq!(code, 2);
    assert!(err.contains("not a directory"), "{err}");
}
