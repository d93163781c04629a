//! One fixture per diagnostic code in `testdata/mof/check/` (named after the code it shows,
//! e.g. `e0102_duplicate_property.mof`), each checked with its includes followed and snapshotted
//! as a readable rendering: files, items with namespace and role, diagnostics.

use std::fmt::Write as _;
use std::path::Path;

use smsmig_mof::check::check;
use smsmig_mof::diagnostic::Diagnostic;
use smsmig_mof::include::SourceSet;
use smsmig_mof::split::{classify, describe};
use smsmig_mof::LineIndex;

fn fixtures_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/mof/check")
        .canonicalize()
        .expect("testdata/mof/check exists")
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

/// A path relative to the fixtures directory, with `/` separators.
fn rel(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn render(set: &SourceSet, diagnostics: &[Diagnostic], base: &Path) -> String {
    let layout = classify(set);
    let lines: Vec<LineIndex> = set
        .files()
        .iter()
        .map(|f| LineIndex::new(f.text()))
        .collect();
    let at = |file: smsmig_mof::diagnostic::FileId, offset: usize| {
        let f = set.file(file);
        let lc = lines[file.index()].line_col(f.text(), offset);
        format!("{}:{}:{}", rel(&f.path, base), lc.line, lc.column)
    };
    let mut out = String::from("## Files\n");
    for id in set.ids() {
        let f = set.file(id);
        let root = if set.roots().contains(&id) {
            " root"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{} {} {}{}",
            rel(&f.path, base),
            f.source.encoding,
            f.source.newline,
            root
        );
    }
    out.push_str("\n## Items\n");
    for id in set.ids() {
        for (i, item) in set.file(id).document.items.iter().enumerate() {
            let label = describe(item);
            let p = layout.get(id, i);
            let ns = p
                .and_then(|p| p.namespace.clone())
                .unwrap_or_else(|| "-".into());
            let role = p.and_then(|p| p.role).map_or("-", |r| r.name());
            let name = if label.name.is_empty() {
                String::new()
            } else {
                format!(" {}", label.name)
            };
            let _ = writeln!(
                out,
                "{} {}{} | ns {} | {}",
                at(id, item.span.start),
                label.kind,
                name,
                ns,
                role
            );
        }
    }
    out.push_str("\n## Diagnostics\n");
    for d in diagnostics {
        let wbem = d.wbem_name().map(|n| format!(" ({n})")).unwrap_or_default();
        let _ = writeln!(
            out,
            "{} {}[{}] {}{}",
            at(d.file, d.span.start),
            d.severity(),
            d.code(),
            d.kind,
            wbem
        );
        for r in &d.related {
            let _ = writeln!(out, "    {} {}", at(r.file, r.span.start), r.note);
        }
    }
    // Messages name included files by their full path.
    let prefix = format!("{}/", base.display());
    out.replace(&prefix, "")
}

#[test]
fn check_fixtures() {
    let base = fixtures_dir();
    settings().bind(|| {
        insta::glob!("../../../testdata/mof/check", "*.mof", |path| {
            let set = SourceSet::load(&[path]).expect("fixture is readable");
            let diagnostics = check(&set);
            // The fixture's name starts with the code it demonstrates; that code must appear.
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let code = name.split('_').next().unwrap().to_uppercase();
            if code.starts_with('E') || code.starts_with('W') {
                assert!(
                    diagnostics.iter().any(|d| d.code() == code),
                    "{name}: no {code} in {:?}",
                    diagnostics.iter().map(Diagnostic::code).collect::<Vec<_>>()
                );
            }
            insta::assert_snapshot!("check", render(&set, &diagnostics, &base));
        });
    });
}
