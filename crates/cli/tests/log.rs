//! `smsmig log prereq|setup`, run as the real binary over the fixtures in `testdata/logs`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn settings() -> insta::Settings {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../snapshots/cli");
    std::fs::create_dir_all(dir).unwrap();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(std::fs::canonicalize(dir).unwrap());
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

fn testdata() -> PathBuf {
    std::fs::canonicalize(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/logs"))
        .unwrap()
}

/// Run `smsmig` with `args`; returns the exit code and a rendering with paths filtered.
fn smsmig(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_smsmig"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let code = output.status.code().unwrap();
    let root = testdata().display().to_string();
    let filter = |bytes: &[u8]| String::from_utf8_lossy(bytes).replace(&root, "<testdata>");
    let text = format!(
        "exit: {code}\n--- stdout\n{}--- stderr\n{}",
        filter(&output.stdout),
        filter(&output.stderr)
    );
    (code, text)
}

fn fixture(rel: &str) -> String {
    testdata().join(rel).display().to_string()
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
    let output = Command::new(env!("CARGO_BIN_EXE_smsmig"))
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
    let dir = testdata().display().to_string();
    assert_eq!(smsmig(&["log", "setup", &dir]).0, 2);
}
