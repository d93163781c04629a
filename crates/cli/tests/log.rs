//! `smsmig log prereq|setup`, run as the real binary over the fixtures in `testdata/logs`.

mod common;

use common::settings;

/// The log fixtures' directory, `testdata/logs`.
fn logs() -> std::path::PathBuf {
    common::testdata_dir("logs")
}

/// Run `smsmig` with `args`; returns the exit code and a rendering with paths filtered.
fn smsmig(args: &[&str]) -> (i32, String) {
    common::smsmig(args)
        .filter(&logs(), "<testdata>")
        .run()
        .code_and_transcript()
}

fn fixture(rel: &str) -> String {
    common::fixture_in("logs", rel)
}

#[test]
fn prereq_text_lists_failed_rules_with_runnable_queries_and_fixes() {
    let (code, text) = smsmig(&["log", "prereq", &fixture("prereq/seed_hou_utf16le_bom.log")]);
    assert_eq!(code, 1);
    assert!(text.contains("assign2.SMS_Assigned_Sites0='HOU')"));
    settings().bind(|| insta::assert_snapshot!("log_prereq_text_seed", text));
}

#[test]
fn prereq_verbose_lists_passed_rules_and_issues() {
    let (code, text) = smsmig(&["log", "prereq", "-v", &fixture("prereq/malformed.log")]);
    assert_eq!(code, 1);
    settings().bind(|| insta::assert_snapshot!("log_prereq_text_malformed_verbose", text));
}

#[test]
fn prereq_with_warnings_only_exits_0() {
    let (code, text) = smsmig(&["log", "prereq", &fixture("prereq/quotes_edge_cases.log")]);
    assert_eq!(code, 0);
    settings().bind(|| insta::assert_snapshot!("log_prereq_text_warnings_only", text));
}

#[test]
fn prereq_json_carries_the_schema() {
    let (code, _) = smsmig(&[
        "log",
        "prereq",
        &fixture("prereq/secondary_summary_utf16be.log"),
    ]);
    assert_eq!(code, 1);
    let output = common::command()
        .args(["--format", "json", "log", "prereq"])
        .arg(fixture("prereq/truncated_mid_query_utf16le.log"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["schema"], "smsmig.prereq/1");
    assert_eq!(json["source"]["ends_mid_line"], true);
    let (_, text) = smsmig(&[
        "--format",
        "json",
        "log",
        "prereq",
        &fixture("prereq/seed_hou_ansi.log"),
    ]);
    settings().bind(|| insta::assert_snapshot!("log_prereq_json_seed", text));
}

#[test]
fn setup_text_for_each_verdict() {
    let cases = [
        (
            "setup/secondary_upgrade_success.log",
            0,
            "log_setup_text_succeeded",
        ),
        (
            "setup/sql_monitor_leftover.log",
            0,
            "log_setup_text_warnings",
        ),
        (
            "setup/xp_sms_notification_utf16le_bom.log",
            1,
            "log_setup_text_failed",
        ),
        (
            "setup/truncated_utf16le.log",
            1,
            "log_setup_text_incomplete",
        ),
        (
            "setup/trace_format_cb.log",
            1,
            "log_setup_text_trace_format",
        ),
    ];
    for (rel, expected, name) in cases {
        let (code, text) = smsmig(&["log", "setup", &fixture(rel)]);
        assert_eq!(code, expected, "{rel}");
        settings().bind(|| insta::assert_snapshot!(name, text));
    }
}

#[test]
fn setup_json_carries_the_schema() {
    let (code, text) = smsmig(&[
        "--format",
        "json",
        "log",
        "setup",
        &fixture("setup/compile_mof.log"),
    ]);
    assert_eq!(code, 1);
    let body = text
        .split("--- stdout\n")
        .nth(1)
        .unwrap()
        .split("--- stderr")
        .next()
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(json["schema"], "smsmig.setup/1");
    assert_eq!(json["verdict"], "failed");
    settings().bind(|| insta::assert_snapshot!("log_setup_json_compile_mof", text));
}

#[test]
fn unreadable_input_exits_2() {
    let (missing, garbage, empty) = (
        fixture("no_such.log"),
        fixture("not_a_log.bin"),
        fixture("empty.log"),
    );
    let cases = [
        (
            "log_unreadable_missing",
            ["log", "prereq", missing.as_str()],
        ),
        (
            "log_unreadable_not_a_log",
            ["log", "setup", garbage.as_str()],
        ),
        ("log_unreadable_empty", ["log", "prereq", empty.as_str()]),
    ];
    for (name, args) in cases {
        let (code, text) = smsmig(&args);
        assert_eq!(code, 2, "{name}");
        settings().bind(|| insta::assert_snapshot!(name, text));
    }
    let dir = logs().display().to_string();
    assert_eq!(smsmig(&["log", "setup", &dir]).0, 2);
}
