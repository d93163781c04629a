//! `smsmig inventory sql|pull|show`, run as the real binary over `testdata/hierarchy*`.

use std::io::{Read, Write};
use std::net::TcpListener;

mod common;

use common::{fixture, settings, testdata};

/// Run `smsmig` with `args` and extra environment; exit code and a path-filtered rendering.
fn smsmig_env(args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut cmd = common::smsmig(args).env_remove("SMSMIG_SQL_PASSWORD");
    for (k, v) in env {
        cmd = cmd.env(k, v);
    }
    cmd.filter(&testdata(), "<testdata>")
        .run()
        .code_and_transcript()
}

fn smsmig(args: &[&str]) -> (i32, String) {
    smsmig_env(args, &[])
}

/// The JSON document on a transcript's stdout.
fn stdout_json(transcript: &str) -> serde_json::Value {
    let json = transcript
        .split("--- stdout\n")
        .nth(1)
        .and_then(|s| s.split("--- stderr\n").next())
        .unwrap();
    serde_json::from_str(json).unwrap()
}

#[test]
fn show_prints_the_site_tree_with_versions_and_counts() {
    let (code, text) = smsmig(&["inventory", "show", "--inventory", &fixture("hierarchy")]);
    assert_eq!(code, 0);
    assert!(
        text.contains("├─ BMT") && text.contains("│  └─ FTW"),
        "{text}"
    );
    settings().bind(|| insta::assert_snapshot!("inventory_show_sample", text));
}

#[test]
fn show_json_carries_the_schema() {
    let (code, text) = smsmig(&[
        "--format",
        "json",
        "inventory",
        "show",
        "--inventory",
        &fixture("hierarchy-sqlcmd"),
    ]);
    assert_eq!(code, 0);
    let value = stdout_json(&text);
    assert_eq!(value["schema"], "smsmig.inventory/1");
    assert_eq!(value["sites"][0]["code"], "HOU");
    assert_eq!(value["totals"]["resources"], 3);
    settings().bind(|| insta::assert_snapshot!("inventory_show_json_sqlcmd", text));
}

#[test]
fn show_malformed_input_exits_2_with_file_line_column() {
    let (code, text) = smsmig(&[
        "inventory",
        "show",
        "--inventory",
        &fixture("hierarchy-bad/bad_row"),
    ]);
    assert_eq!(code, 2);
    assert!(text.contains("bad_row/sites.csv:3:35:"), "{text}");
    settings().bind(|| insta::assert_snapshot!("inventory_show_bad_row", text));
}

#[test]
fn show_duplicate_keys_exit_1_and_are_listed() {
    let (code, text) = smsmig(&[
        "inventory",
        "show",
        "--inventory",
        &fixture("hierarchy-bad/duplicate_key"),
    ]);
    assert_eq!(code, 1);
    settings().bind(|| insta::assert_snapshot!("inventory_show_duplicate_key", text));
}

#[test]
fn show_dangling_references_are_warnings_exit_0() {
    let (code, text) = smsmig(&[
        "inventory",
        "show",
        "-v",
        "--inventory",
        &fixture("hierarchy-bad/dangling_reference"),
    ]);
    assert_eq!(code, 0);
    assert!(
        text.contains("info: file is absent"),
        "-v shows info findings: {text}"
    );
    settings().bind(|| insta::assert_snapshot!("inventory_show_dangling_verbose", text));
}

#[test]
fn sql_prints_every_query_with_its_file() {
    let (code, text) = smsmig(&["inventory", "sql"]);
    assert_eq!(code, 0);
    for file in [
        "sites.csv",
        "clients.csv",
        "client_assigned_sites.csv",
        "boundaries.csv",
    ] {
        assert!(text.contains(&format!("-- {file}:")), "{file}");
    }
    assert!(text.contains("FROM v_RA_System_SMSAssignedSites AS asg"));
}

#[test]
fn pull_without_a_password_says_how_to_give_one() {
    let out = tempfile::tempdir().unwrap();
    let (code, text) = smsmig(&[
        "inventory",
        "pull",
        "--server",
        "127.0.0.1,9",
        "--database",
        "SMS_HOU",
        "--user",
        "smsreader",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(text.contains("set SMSMIG_SQL_PASSWORD"), "{text}");
}

#[test]
fn pull_never_prints_the_password() {
    let out = tempfile::tempdir().unwrap();
    let (code, text) = smsmig_env(
        &[
            "inventory",
            "pull",
            "--server",
            "127.0.0.1,9",
            "--database",
            "SMS_HOU",
            "--user",
            "smsreader",
            "--out",
            out.path().to_str().unwrap(),
            "-vv",
        ],
        &[("SMSMIG_SQL_PASSWORD", "Tr0ub4dor&3")],
    );
    assert_eq!(code, 2);
    assert!(text.contains("cannot reach 127.0.0.1,9"), "{text}");
    assert!(!text.contains("Tr0ub4dor"), "{text}");
}

#[test]
fn pull_from_sql_server_2000_points_to_the_offline_route() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut sock, _) = listener.accept().unwrap();
        let mut request = [0u8; 26];
        sock.read_exact(&mut request).unwrap();
        // A PRELOGIN answer with VERSION 8.0.2039 (SQL Server 2000 SP4).
        let payload = [0u8, 0, 6, 0, 6, 0xFF, 8, 0, 0x07, 0xF7, 0, 0];
        let mut packet = vec![0x04, 1, 0, (payload.len() + 8) as u8, 0, 0, 1, 0];
        packet.extend_from_slice(&payload);
        sock.write_all(&packet).unwrap();
    });
    let out = tempfile::tempdir().unwrap();
    let server_arg = format!("127.0.0.1,{port}");
    let (code, text) = smsmig_env(
        &[
            "inventory",
            "pull",
            "--server",
            &server_arg,
            "--database",
            "SMS_SAT",
            "--user",
            "smsreader",
            "--out",
            out.path().to_str().unwrap(),
        ],
        &[("SMSMIG_SQL_PASSWORD", "x")],
    );
    server.join().unwrap();
    assert_eq!(code, 2);
    let text = text.replace(&server_arg, "127.0.0.1,<port>");
    assert!(text.contains("SQL Server 2000 (8.00.2039)"), "{text}");
    settings().bind(|| insta::assert_snapshot!("inventory_pull_sql2000", text));
}

/// `smsmig inventory script` in a fresh directory: exit code and transcript, temp path hidden.
fn script_run(tmp: &std::path::Path, args: &[&str]) -> (i32, String) {
    let out = tmp.join("kit");
    let out = out.display().to_string();
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["inventory", "script", "--out", &out]);
    common::smsmig(&all)
        .filter(tmp, "<tmp>")
        .run()
        .code_and_transcript()
}

#[test]
fn script_writes_the_provider_vbscript_and_says_how_to_run_it() {
    use smsmig_migrate::inventory::script::{provider_script, Provider};
    let tmp = tempfile::tempdir().unwrap();
    let (code, text) = script_run(tmp.path(), &[]);
    assert_eq!(code, 0, "{text}");
    let written = std::fs::read(tmp.path().join("kit/smsmig-inventory.vbs")).unwrap();
    assert_eq!(written, provider_script(Provider::Wmi).into_bytes());
    settings().bind(|| insta::assert_snapshot!("inventory_script_text", text));

    // An existing script is kept unless --force, which keeps a backup.
    let (code, text) = script_run(tmp.path(), &[]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("smsmig-inventory.vbs exists; use --force"),
        "{text}"
    );
    let (code, text) = script_run(tmp.path(), &["--quiet"]);
    assert_eq!(code, 2, "{text}");
    let all = ["inventory", "script", "--force", "--out"];
    let out = tmp.path().join("kit").display().to_string();
    let mut args = all.to_vec();
    args.push(&out);
    let run = common::smsmig(&args).run();
    assert_eq!(run.code, 0);
    assert!(tmp.path().join("kit/smsmig-inventory.vbs.bak").is_file());
}

#[test]
fn script_json_describes_the_script() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, text) = script_run(tmp.path(), &["--format", "json"]);
    assert_eq!(code, 0, "{text}");
    let value = stdout_json(&text);
    assert_eq!(value["schema"], "smsmig.inventory-script/1");
    assert_eq!(value["read_only"], true);
    assert_eq!(value["queries"].as_array().unwrap().len(), 5);
    assert_eq!(value["writes"][0]["file"], "boundaries.csv");
    settings().bind(|| insta::assert_snapshot!("inventory_script_json", text));
}
