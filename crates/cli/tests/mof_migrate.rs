//! `smsmig mof migrate` run as a program on the `testdata/hinv` scenario: the dry-run diff and
//! summary, the JSON report, `--apply` with backups, `--check`, `--force`, and bad input.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

mod common;

use common::settings;

fn scenario() -> PathBuf {
    common::testdata_dir("hinv")
}

/// Run `smsmig --color never mof migrate <args>` in the scenario directory.
fn smsmig(args: &[&str]) -> Output {
    common::command()
        .current_dir(scenario())
        .args(["--color", "never", "mof", "migrate"])
        .args(args)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// The scenario's inputs, with `--into` pointing at `into`.
fn inputs(into: &str) -> Vec<String> {
    [
        "--from",
        "site/SMS_def.mof",
        "--mini",
        "site/minimofs",
        "--baseline",
        "baseline/SMS_def.mof",
        "--into",
        into,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

fn run(args: &[String]) -> Output {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    smsmig(&refs)
}

/// A copy of the scenario's target in a temporary directory.
fn target_copy() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    for name in ["configuration.mof", "SMS_def.mof"] {
        fs::copy(scenario().join("target").join(name), dir.path().join(name)).unwrap();
    }
    let path = dir.path().to_str().unwrap().to_owned();
    (dir, path)
}

const FORCE: [&str; 6] = [
    "--force",
    "Win32Reg_AddRemovePrograms64",
    "--force",
    "Contoso_DiskQuota",
    "--force",
    "Contoso_VirusScan",
];

fn with(mut args: Vec<String>, more: &[&str]) -> Vec<String> {
    args.extend(more.iter().map(|s| (*s).to_owned()));
    args
}

#[test]
fn dry_run_prints_the_diff_and_a_summary() {
    let out = run(&inputs("target"));
    // Open conflicts make the run exit 1: the migration is not complete.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    settings().bind(|| insta::assert_snapshot!("hinv_cli_dry_run", stdout(&out)));
}

#[test]
fn json_report_has_the_hinv_schema() {
    let out = run(&with(inputs("target"), &["--format", "json"]));
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["schema"], "smsmig.hinv/1");
    for key in [
        "custom_classes",
        "toggles",
        "conflicts",
        "warnings",
        "files",
    ] {
        assert!(json[key].is_array(), "{key}");
    }
    settings().bind(|| insta::assert_snapshot!("hinv_cli_json", stdout(&out)));
}

#[test]
fn apply_writes_backups_and_the_files_check_clean() {
    let (dir, into) = target_copy();
    let originals: Vec<Vec<u8>> = ["configuration.mof", "SMS_def.mof"]
        .iter()
        .map(|n| fs::read(dir.path().join(n)).unwrap())
        .collect();
    let out = run(&with(inputs(&into), &["--apply"]));
    assert_eq!(
        out.status.code(),
        Some(1),
        "conflicts stay open: {}",
        stderr(&out)
    );
    let text = stdout(&out).replace(&into, "[TARGET]");
    assert!(
        text.starts_with(
            "updated [TARGET]/configuration.mof (backup: [TARGET]/configuration.mof.bak)\n\
         updated [TARGET]/SMS_def.mof (backup: [TARGET]/SMS_def.mof.bak)\n"
        ),
        "{text}"
    );
    for (name, original) in ["configuration.mof", "SMS_def.mof"].iter().zip(&originals) {
        let backup = fs::read(dir.path().join(format!("{name}.bak"))).unwrap();
        assert_eq!(&backup, original, "{name}.bak holds the original bytes");
    }
    let written = fs::read(dir.path().join("configuration.mof")).unwrap();
    assert_eq!(&written[..2], [0xFF, 0xFE], "still UTF-16LE with BOM");
    // The applied files pass `smsmig mof check`.
    let check = common::command()
        .args(["--color", "never", "mof", "check"])
        .arg(dir.path().join("configuration.mof"))
        .arg(dir.path().join("SMS_def.mof"))
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert!(
        stdout(&check).contains("0 errors, 0 warnings"),
        "{}",
        stdout(&check)
    );
    // Second run: no diff; only the conflicts keep the exit code at 1.
    let again = run(&with(inputs(&into), &["--check"]));
    assert_eq!(again.status.code(), Some(1));
    assert!(!stdout(&again).contains("\n+++ "), "{}", stdout(&again));
    assert!(stdout(&again).starts_with("7 custom classes, 0 toggles, 4 conflicts"));
}

#[test]
fn forced_apply_then_check_is_clean_and_keeps_every_backup() {
    let (dir, into) = target_copy();
    let first = run(&with(inputs(&into), &["--apply"]));
    assert_eq!(first.status.code(), Some(1));
    let after_first = fs::read(dir.path().join("SMS_def.mof")).unwrap();
    let forced = run(&with(with(inputs(&into), &FORCE), &["--apply"]));
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    // The older backup is kept; the new one is numbered.
    let original = fs::read(scenario().join("target/SMS_def.mof")).unwrap();
    assert_eq!(
        fs::read(dir.path().join("SMS_def.mof.bak")).unwrap(),
        original
    );
    assert_eq!(
        fs::read(dir.path().join("SMS_def.mof.bak.1")).unwrap(),
        after_first
    );
    let check = run(&with(with(inputs(&into), &FORCE), &["--check"]));
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert!(!stdout(&check).contains("\n+++ "));
    settings()
        .bind(|| insta::assert_snapshot!("hinv_cli_check_after_forced_apply", stdout(&check)));
}

#[test]
fn check_exits_1_while_changes_are_pending() {
    let out = run(&with(with(inputs("target"), &FORCE), &["--check", "-q"]));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "", "quiet prints nothing");
}

/// Runs with `--apply` and asserts exit 2, the message, and that nothing was written.
fn assert_refused(args: &[String], dir: &Path, message: &str) -> String {
    let before: Vec<(PathBuf, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let bytes = fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    let out = run(&with(args.to_vec(), &["--apply"]));
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains(message), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    let after = fs::read_dir(dir).unwrap().count();
    assert_eq!(after, before.len(), "no file created in {}", dir.display());
    for (path, bytes) in before {
        assert_eq!(
            fs::read(&path).unwrap(),
            bytes,
            "{} unchanged",
            path.display()
        );
    }
    err
}

#[test]
fn unparsable_mini_mof_shows_where_and_writes_nothing() {
    let (dir, into) = target_copy();
    let args = with(inputs(&into), &["--mini", "bad/contoso_printer_broken.mof"]);
    let err = assert_refused(&args, dir.path(), "does not parse");
    settings().bind(|| insta::assert_snapshot!("hinv_cli_parse_error", err));
}

#[test]
fn missing_target_directory_is_refused() {
    let (dir, into) = target_copy();
    let missing = format!("{into}/no-such-hinv");
    let err = assert_refused(&inputs(&missing), dir.path(), "does not exist");
    assert!(err.contains("no-such-hinv"));
}

#[test]
fn target_that_is_not_a_hinv_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        scenario().join("target/SMS_def.mof"),
        dir.path().join("SMS_def.mof"),
    )
    .unwrap();
    let into = dir.path().to_str().unwrap();
    assert_refused(
        &inputs(into),
        dir.path(),
        "is not a ConfigMgr hinv directory: it has no configuration.mof",
    );
}

#[test]
fn read_only_target_is_refused_before_any_write() {
    let (dir, into) = target_copy();
    let sms_def = dir.path().join("SMS_def.mof");
    let mut perms = fs::metadata(&sms_def).unwrap().permissions();
    perms.set_readonly(true);
    fs::set_permissions(&sms_def, perms).unwrap();
    assert_refused(&inputs(&into), dir.path(), "SMS_def.mof is read-only");
}

#[test]
fn read_only_target_directory_is_refused() {
    let (dir, into) = target_copy();
    let original = fs::metadata(dir.path()).unwrap().permissions();
    let mut perms = original.clone();
    perms.set_readonly(true);
    fs::set_permissions(dir.path(), perms).unwrap();
    assert_refused(&inputs(&into), dir.path(), "is read-only");
    // Give the directory its permissions back so the temporary directory can be removed.
    fs::set_permissions(dir.path(), original).unwrap();
}
