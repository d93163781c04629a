//! Fuzz target `parse`: arbitrary bytes are decoded, parsed and the whole tree walked; nothing
//! may panic, and the tiles must cover the text. Whenever the hand-written fast path accepts
//! the text, the pest reference parser must accept it too and build the identical tree.
//!
//! Run from `crates/mof`: `RUSTC_BOOTSTRAP=1 cargo fuzz run parse -- -max_total_time=600`.
//! The checker's stages (`check`, `split`) run on the same bytes in `check_and_split`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use smsmig_mof::syntax::{Feature, ItemKind, Qualifiers, Value, ValueKind};
use smsmig_mof::{parse, LineIndex, Parsed, SourceFile};

fuzz_target!(|bytes: &[u8]| {
    let source = SourceFile::decode(bytes);
    let parsed = parse(&source.text);
    check(&source, &parsed);
    differential(&source.text);
    exercise(&source, &parsed);
    check_and_split(bytes);
});

/// Invariants of every parse.
fn check(source: &SourceFile, parsed: &Parsed) {
    let text = &source.text;
    let mut end = 0;
    for tile in parsed.document.tiles() {
        assert_eq!(tile.start, end, "tiles are contiguous");
        end = tile.end;
    }
    assert_eq!(end, text.len(), "tiles cover the text");
    let index = LineIndex::new(text);
    for error in &parsed.errors {
        let _ = error.span.slice(text);
        let _ = (error.code(), error.wbem_name(), error.to_string());
        let _ = index.line_col(text, error.span.start);
    }
    let _ = source.encode(text);
}

/// The fast path is an optimisation of the pest grammar, never a second dialect.
fn differential(text: &str) {
    if let Some(fast) = smsmig_mof::parse::parse_fast(text) {
        let reference = smsmig_mof::parse::parse_reference(text);
        assert!(reference.errors.is_empty(), "fast path accepted what pest rejects");
        assert_eq!(
            format!("{fast:?}"),
            format!("{:?}", reference.document),
            "fast path and pest disagree"
        );
    }
}

/// Walk the tree, touching every span; later stages go here too.
fn exercise(source: &SourceFile, parsed: &Parsed) {
    let text = &source.text;
    for item in &parsed.document.items {
        let _ = item.span.slice(text);
        match &item.kind {
            ItemKind::Class(class) => {
                qualifiers(text, &class.qualifiers);
                for feature in &class.features {
                    match feature {
                        Feature::Property(p) => {
                            let _ = p.span.slice(text);
                            qualifiers(text, &p.qualifiers);
                            p.default.iter().for_each(|v| value(text, v));
                        }
                        Feature::Method(m) => {
                            qualifiers(text, &m.qualifiers);
                            for param in &m.params {
                                let _ = param.span.slice(text);
                                param.default.iter().for_each(|v| value(text, v));
                            }
                        }
                    }
                }
            }
            ItemKind::Instance(instance) => {
                qualifiers(text, &instance.qualifiers);
                for p in &instance.properties {
                    let _ = p.span.slice(text);
                    p.value.iter().for_each(|v| value(text, v));
                }
            }
            _ => {}
        }
    }
}

fn qualifiers(text: &str, q: &Qualifiers) {
    for q in &q.list {
        let _ = q.span.slice(text);
        q.value.iter().for_each(|v| value(text, v));
    }
}

fn value(text: &str, v: &Value) {
    let _ = v.span.slice(text);
    match &v.kind {
        ValueKind::Array(items) => items.iter().for_each(|v| value(text, v)),
        ValueKind::Instance(instance) => {
            for p in &instance.properties {
                let _ = p.span.slice(text);
                p.value.iter().for_each(|v| value(text, v));
            }
        }
        _ => {}
    }
}

/// The checker's stages, on the same bytes as a one-file set (includes resolve among the set
/// only, never on disk): `check` and `split` must not panic, every diagnostic span must be in
/// bounds, and every item the split places must be copied, verbatim, into its output(s).
fn check_and_split(bytes: &[u8]) {
    use smsmig_mof::include::SourceSet;

    let set = SourceSet::from_sources(&[("fuzz.mof", bytes)]);
    for d in smsmig_mof::check::check(&set) {
        let _ = d.span.slice(set.file(d.file).text());
        let _ = (d.code(), d.severity(), d.wbem_name(), d.kind.to_string());
        for r in &d.related {
            let _ = r.span.slice(set.file(r.file).text());
        }
    }
    let result = smsmig_mof::split::split(&set);
    let file = &set.files()[0];
    for (i, item) in file.document.items.iter().enumerate() {
        let Some(p) = result.layout.get(smsmig_mof::diagnostic::FileId(0), i) else {
            continue;
        };
        let slice = item.span.slice(file.text());
        if p.sides.configuration {
            assert!(result.configuration.contains(slice), "item {i} not copied");
        }
        if p.sides.sms_def {
            assert!(result.sms_def.contains(slice), "item {i} not copied");
        }
    }
}
