//! `smsmig mof check` and `smsmig mof split`, run as the real binary on the fixtures in
//! `testdata/mof` (the per-code fixtures in `check/`, the SMS 2003 `SMS_def.mof` in `sms2003/`):
//! rendering, JSON, exit codes, and what split writes or refuses to write.

use std::fs;
use std::path::Path;

mod common;

use common::settings;

/// Run `smsmig <args>` in `testdata/mof` (so fixture paths print relative); returns the exit
/// code and a rendering of both streams with `tmp` (when given) replaced by `<tmp>`.
fn run(args: &[&str], tmp: Option<&Path>) -> (i32, String) {
    let mut cmd = common::smsmig(args).current_dir(&common::testdata_dir("mof"));
    if let Some(tmp) = tmp {
        cmd = cmd.filter(tmp, "<tmp>");
    }
    cmd.run().code_and_transcript()
}

#[test]
fn check_clean_file_exits_0() {
    let (code, text) = run(&["mof", "check", "sms2003/SMS_def.mof"], None);
    assert_eq!(code, 0, "{text}");
    settings().bind(|| insta::assert_snapshot!("mof_check_clean", text));
}

#[test]
fn check_renders_every_fixture_and_exits_1_on_errors() {
    let (code, text) = run(&["--color", "never", "mof", "check", "check"], None);
    assert_eq!(code, 1);
    for code in ["W0103", "E0202", "W0201", "W0309", "E0001"] {
        assert!(text.contains(&format!("[{code}]")), "{code} missing");
    }
    settings().bind(|| insta::assert_snapshot!("mof_check_fixtures_text", text));
}

#[test]
fn check_quiet_shows_only_errors() {
    let (code, text) = run(
        &[
            "-q",
            "mof",
            "check",
            "check/w0201_misspelled_cimv2.mof",
            "check/e0104_undefined_alias.mof",
        ],
        None,
    );
    assert_eq!(code, 1);
    assert!(text.contains("E0104") && !text.contains("W0201"), "{text}");
}

#[test]
fn check_json_reports_items_roles_and_diagnostics() {
    let (code, text) = run(
        &[
            "--format",
            "json",
            "mof",
            "check",
            "check/w0306_property_missing_in_data_class.mof",
            "check/e0202_include_cycle.mof",
        ],
        None,
    );
    assert_eq!(code, 1);
    let json_start = text.find('{').unwrap();
    let json_end = text.rfind('}').unwrap();
    let value: serde_json::Value = serde_json::from_str(&text[json_start..=json_end]).unwrap();
    assert_eq!(value["schema"], "smsmig.check/1");
    settings().bind(|| insta::assert_snapshot!("mof_check_json", text));
}

#[test]
fn check_warnings_only_exits_0_and_colour_is_ansi() {
    let (code, text) = run(
        &[
            "--color",
            "always",
            "mof",
            "check",
            "check/w0304_duplicate_group_name.mof",
        ],
        None,
    );
    assert_eq!(code, 0);
    assert!(text.contains("\u{1b}["), "{text}");
}

#[test]
fn check_unreadable_path_exits_2() {
    let (code, text) = run(&["mof", "check", "no/such/file.mof"], None);
    assert_eq!(code, 2);
    settings().bind(|| insta::assert_snapshot!("mof_check_unreadable", text));
}

#[test]
fn check_walks_directories_for_mof_in_any_case() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("sub")).unwrap();
    fs::write(tmp.path().join("sub/UPPER.MOF"), "class A {};\n").unwrap();
    fs::write(tmp.path().join("notes.txt"), "not a MOF {").unwrap();
    let (code, text) = run(
        &["mof", "check", &tmp.path().display().to_string()],
        Some(tmp.path()),
    );
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("checked 1 file: 0 errors, 0 warnings"),
        "{text}"
    );
    let empty = tempfile::tempdir().unwrap();
    let (code, text) = run(
        &["mof", "check", &empty.path().display().to_string()],
        Some(empty.path()),
    );
    assert_eq!(code, 2);
    assert!(text.contains("no .mof files under <tmp>"), "{text}");
}

#[test]
fn split_writes_both_files_that_check_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("hinv");
    let out_arg = out.display().to_string();
    let (code, text) = run(
        &["mof", "split", "sms2003/SMS_def.mof", "--out", &out_arg],
        Some(tmp.path()),
    );
    assert_eq!(code, 0, "{text}");
    settings().bind(|| insta::assert_snapshot!("mof_split_sms2003_text", text));
    for name in ["configuration.mof", "SMS_def.mof"] {
        let bytes = fs::read(out.join(name)).unwrap();
        assert_eq!(&bytes[..2], b"\xff\xfe", "{name} keeps the UTF-16LE BOM");
    }
    let (code, text) = run(&["mof", "check", &out_arg], Some(tmp.path()));
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("checked 2 files: 0 errors, 0 warnings"),
        "{text}"
    );
}

#[test]
fn split_refuses_to_overwrite_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let out_arg = tmp.path().display().to_string();
    fs::write(tmp.path().join("SMS_def.mof"), "keep me").unwrap();
    let (code, text) = run(
        &["mof", "split", "sms2003/SMS_def.mof", "--out", &out_arg],
        Some(tmp.path()),
    );
    assert_eq!(code, 2);
    settings().bind(|| insta::assert_snapshot!("mof_split_refuses_overwrite", text));
    assert_eq!(
        fs::read(tmp.path().join("SMS_def.mof")).unwrap(),
        b"keep me"
    );
    assert!(!tmp.path().join("configuration.mof").exists());

    let (code, text) = run(
        &[
            "-q",
            "mof",
            "split",
            "sms2003/SMS_def.mof",
            "--out",
            &out_arg,
            "--force",
        ],
        Some(tmp.path()),
    );
    assert_eq!(code, 0, "{text}");
    assert_eq!(
        fs::read(tmp.path().join("SMS_def.mof.bak")).unwrap(),
        b"keep me"
    );
}

#[test]
fn split_writes_nothing_when_the_input_has_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("hinv");
    let (code, text) = run(
        &[
            "--color",
            "never",
            "mof",
            "split",
            "sms2003/SMS_def.mof",
            "check/syntax_error_keeps_parser_code.mof",
            "--out",
            &out.display().to_string(),
        ],
        Some(tmp.path()),
    );
    assert_eq!(code, 2);
    assert!(!out.exists(), "nothing written, not even the directory");
    settings().bind(|| insta::assert_snapshot!("mof_split_invalid_input", text));
}

#[test]
fn split_json_reports_where_every_item_went() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, text) = run(
        &[
            "--format",
            "json",
            "mof",
            "split",
            "check/w0201_misspelled_cimv2.mof",
            "--out",
            &tmp.path().display().to_string(),
        ],
        Some(tmp.path()),
    );
    assert_eq!(code, 0, "{text}");
    settings().bind(|| insta::assert_snapshot!("mof_split_json", text));
    let conf = fs::read_to_string(tmp.path().join("configuration.mof")).unwrap();
    assert!(
        conf.contains(r#"#pragma namespace("\\\\.\\root\\CIMV2")"#),
        "{conf}"
    );
}
