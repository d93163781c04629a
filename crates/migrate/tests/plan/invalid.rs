//! Invalid targets (`testdata/plan/invalid/`): every problem reported at once, each with a code,
//! a message and the place in the TOML it points at.

use std::fmt::Write as _;

use smsmig_migrate::plan::{Target, TargetError};

use crate::common::settings;
use crate::support::sample_inventory;

/// `line:column` of a byte offset (1-based, columns in characters).
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

fn render(text: &str, errors: &[TargetError]) -> String {
    let mut out = String::from("## Errors\n");
    for e in errors {
        match e.span() {
            Some(span) => {
                assert!(span.start <= span.end && span.end <= text.len(), "{e:?}");
                let (line, col) = line_col(text, span.start);
                let source = text.lines().nth(line - 1).unwrap_or("");
                let _ = writeln!(out, "{} at {line}:{col}: {e}\n    | {source}", e.code());
            }
            None => {
                let _ = writeln!(out, "{}: {e}", e.code());
            }
        }
    }
    out
}

#[test]
fn invalid_targets_report_every_problem() {
    let inv = sample_inventory();
    settings().bind(|| {
        insta::glob!("../../../../testdata/plan", "invalid/*.toml", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let errors = match Target::parse(&text, &inv) {
                Ok(_) => panic!("{} should be rejected", path.display()),
                Err(errors) => errors,
            };
            insta::assert_snapshot!("plan_invalid", render(&text, &errors));
        });
    });
}

#[test]
fn each_promised_error_has_a_fixture() {
    let inv = sample_inventory();
    let dir = crate::common::workspace().join("testdata/plan/invalid");
    let mut codes = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        if let Err(errors) = Target::parse(&text, &inv) {
            codes.extend(errors.iter().map(TargetError::code));
        }
    }
    for code in [
        "unknown_site_code",
        "invalid_site_code",
        "reserved_site_code",
        "boundary_mapped_twice",
        "wave_without_sites",
        "configmgr_under_sms",
        "site_code_in_use",
        "several_central_sites",
        "parent_cycle",
        "secondary_parent",
        "invalid_server_name",
        "empty_name",
        "duplicate_site",
        "unknown_boundary",
        "unknown_boundary_kind",
        "invalid_boundary",
        "invalid_mask",
        "missing_replication_wait",
        "invalid_wait",
        "unknown_object",
        "unknown_object_kind",
        "import_into_secondary",
        "decommission_keeps_child",
        "syntax",
    ] {
        assert!(codes.contains(&code), "no fixture produces {code}");
    }
}
