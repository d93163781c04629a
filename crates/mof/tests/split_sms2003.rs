//! The split of a realistic SMS 2003 `SMS_def.mof` (UTF-16LE with BOM, CRLF; written by
//! `testdata/mof/sms2003/make_fixture.py`): where every item goes, both outputs in full, and the
//! properties that make a split trustworthy — both outputs check without errors, every class
//! of the input is in exactly one output in the right namespace, and every copied item is its
//! original text.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use smsmig_mof::check::{check, error_count};
use smsmig_mof::include::SourceSet;
use smsmig_mof::split::{describe, split, Reason};
use smsmig_mof::{Encoding, ItemKind, LineIndex, Newline};

fn fixture() -> SourceSet {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/mof/sms2003/SMS_def.mof");
    let bytes = std::fs::read(&path).expect("fixture");
    SourceSet::from_sources(&[("SMS_def.mof", bytes.as_slice())])
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../snapshots/mof"));
    std::fs::create_dir_all(dir).expect("snapshot directory");
    s.set_snapshot_path(dir.canonicalize().expect("snapshots/mof"));
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s
}

/// Classes of a text by (effective namespace, name), counted.
fn classes(set: &SourceSet) -> BTreeMap<(String, String), usize> {
    let layout = smsmig_mof::split::classify(set);
    let mut out = BTreeMap::new();
    for id in set.ids() {
        for (i, item) in set.file(id).document.items.iter().enumerate() {
            if let ItemKind::Class(c) = &item.kind {
                let ns = layout
                    .get(id, i)
                    .and_then(|p| p.namespace.clone())
                    .unwrap_or_default();
                *out.entry((ns, c.name.text.clone())).or_default() += 1;
            }
        }
    }
    out
}

#[test]
fn fixture_is_utf16le_with_bom_and_crlf_and_checks_clean() {
    let set = fixture();
    let file = &set.files()[0];
    assert_eq!(file.source.encoding, Encoding::Utf16Le);
    assert!(file.source.bom);
    assert_eq!(file.source.newline, Newline::CrLf);
    let diags = check(&set);
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn split_of_sms2003_sms_def() {
    let set = fixture();
    let result = split(&set);
    let file = &set.files()[0];
    let lines = LineIndex::new(file.text());

    let mut snap = String::from("## Layout\n");
    for (i, item) in file.document.items.iter().enumerate() {
        let p = result
            .layout
            .get(smsmig_mof::diagnostic::FileId(0), i)
            .expect("placed");
        let label = describe(item);
        let line = lines.line_col(file.text(), item.span.start).line;
        let reason = match p.reason {
            Reason::TravelsWith { index, .. } => {
                let target = &file.document.items[index];
                format!(
                    "with line {}",
                    lines.line_col(file.text(), target.span.start).line
                )
            }
            other => format!("{other:?}"),
        };
        let _ = writeln!(
            snap,
            "{line:>4} {} {} | {} | {} | {}",
            label.kind,
            label.name,
            p.namespace.as_deref().unwrap_or("-"),
            p.sides.name(),
            reason
        );
    }
    let _ = writeln!(snap, "\n## Notes\n{:?}", result.notes);
    // CRLF shown as `\r` markers so the snapshot shows the line endings were kept.
    let show = |t: &str| t.replace("\r\n", "\\r\n");
    let _ = write!(
        snap,
        "\n## configuration.mof\n{}",
        show(&result.configuration)
    );
    let _ = write!(snap, "\n## SMS_def.mof\n{}", show(&result.sms_def));
    settings().bind(|| insta::assert_snapshot!("split_sms2003", snap));

    // Both outputs compile on their own: no errors (and here no warnings either).
    for (name, text) in [
        ("configuration.mof", &result.configuration),
        ("SMS_def.mof", &result.sms_def),
    ] {
        let out = SourceSet::from_sources(&[(name, file.source.encode(text).as_slice())]);
        let diags = check(&out);
        assert_eq!(error_count(&diags), 0, "{name}: {diags:?}");
        assert!(diags.is_empty(), "{name}: {diags:?}");
    }

    // No class lost, none duplicated, none moved to another namespace.
    let conf = SourceSet::from_sources(&[("c.mof", result.configuration.as_bytes())]);
    let sms = SourceSet::from_sources(&[("s.mof", result.sms_def.as_bytes())]);
    let mut outputs = classes(&conf);
    for (k, v) in classes(&sms) {
        *outputs.entry(k).or_default() += v;
    }
    assert_eq!(outputs, classes(&set));

    // Every item that was copied is there verbatim.
    for (i, item) in file.document.items.iter().enumerate() {
        let p = result
            .layout
            .get(smsmig_mof::diagnostic::FileId(0), i)
            .unwrap();
        let text = item.span.slice(file.text());
        if p.sides.configuration {
            assert!(result.configuration.contains(text), "item {i} missing");
        }
        if p.sides.sms_def {
            assert!(result.sms_def.contains(text), "item {i} missing");
        }
    }
}
