//! A reader that goes away (`smsmig ... | head`, `2>&1 | head`) must never crash the binary:
//! every command writes through paths that treat a closed pipe as "stop", never as a panic
//! (exit 101). The pipes are closed right after spawning, before the command has loaded its
//! input, so its first write meets a closed pipe.

mod common;

use std::process::{Command, Stdio};

use common::testdata;

fn exit_with_pipes_closed(args: &[&str]) -> i32 {
    let mut child = Command::new(env!("CARGO_BIN_EXE_smsmig"))
        .args(args)
        .current_dir(testdata())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    drop(child.stderr.take());
    child
        .wait()
        .unwrap()
        .code()
        .expect("exited, not killed by a signal")
}

#[test]
fn closed_pipes_never_panic() {
    let cases: &[&[&str]] = &[
        // Large stdout, and inventory warnings on stderr.
        &["assess", "--inventory", "hierarchy"],
        &[
            "plan",
            "--inventory",
            "hierarchy",
            "--target",
            "plan/sample.toml",
        ],
        &["inventory", "show", "--inventory", "hierarchy"],
        &["inventory", "sql"],
        &["mof", "check", "mof/check"],
        &["log", "prereq", "logs/prereq/seed_hou_utf16le_bom.log"],
        // Diagnostics on stderr, then an error.
        &[
            "mof",
            "migrate",
            "--from",
            "hinv/site/SMS_def.mof",
            "--mini",
            "hinv/bad",
            "--into",
            "hinv/target",
        ],
        &["inventory", "show", "--inventory", "hierarchy-bad/bad_row"],
    ];
    for args in cases {
        let code = exit_with_pipes_closed(args);
        assert_ne!(
            code,
            101,
            "smsmig {} panicked on a closed pipe",
            args.join(" ")
        );
        assert!(
            (0..=2).contains(&code),
            "smsmig {}: exit {code}",
            args.join(" ")
        );
    }
}
