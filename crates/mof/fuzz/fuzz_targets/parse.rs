//! Fuzz target `parse`: arbitrary bytes are decoded, parsed and the whole tree walked; nothing
//! may panic, and the tiles must cover the text.
//!
//! Run from `crates/mof`: `RUSTC_BOOTSTRAP=1 cargo fuzz run parse -- -max_total_time=600`.
//! To fuzz later stages (split, check), add them to `exercise`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use smsmig_mof::syntax::{Feature, ItemKind, Qualifiers, Value, ValueKind};
use smsmig_mof::{parse, LineIndex, Parsed, SourceFile};

fuzz_target!(|bytes: &[u8]| {
    let source = SourceFile::decode(bytes);
    let parsed = parse(&source.text);
    check(&source, &parsed);
    exercise(&source, &parsed);
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
