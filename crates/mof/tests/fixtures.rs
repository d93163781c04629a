//! One snapshot per fixture in `testdata/mof/{valid,invalid}`: the decoded source's encoding,
//! every item (kind, name, namespace, span, and for classes and instances their features with
//! decoded values) and every syntax error. Invariants are checked before snapshotting: the bytes
//! round-trip, the tiles cover the text, spans increase and stay in bounds, valid fixtures have
//! no error and invalid ones at least one.

use std::fmt::Write as _;
use std::path::Path;

use smsmig_mof::syntax::{
    ArraySpec, DataType, Feature, Instance, ItemKind, PragmaArg, Qualifiers, Value, ValueKind,
};
use smsmig_mof::{parse, LineIndex, Parsed, SourceFile, Span};

fn settings() -> insta::Settings {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../snapshots/mof"));
    std::fs::create_dir_all(dir).expect("snapshot dir");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir.canonicalize().expect("snapshot dir"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

#[test]
fn fixtures() {
    settings().bind(|| {
        insta::glob!("../../../testdata/mof", "{valid,invalid}/*.mof", |path| {
            let bytes = std::fs::read(path).expect("fixture");
            let sf = SourceFile::decode(&bytes);
            let parsed = parse(&sf.text);
            check_invariants(path, &bytes, &sf, &parsed);
            insta::assert_snapshot!(render(&sf, &parsed));
        });
    });
}

fn check_invariants(path: &Path, bytes: &[u8], sf: &SourceFile, parsed: &Parsed) {
    let name = path.display();
    assert_eq!(sf.encode(&sf.text), bytes, "{name}: round trip");
    let mut end = 0;
    for tile in parsed.document.tiles() {
        assert_eq!(tile.start, end, "{name}: tiles are contiguous");
        assert!(tile.end <= sf.text.len(), "{name}: tile in bounds");
        end = tile.end;
    }
    assert_eq!(end, sf.text.len(), "{name}: tiles cover the text");
    for item in &parsed.document.items {
        assert!(!item.span.is_empty(), "{name}: items are not empty");
    }
    let mut last = 0;
    for error in &parsed.errors {
        assert!(error.span.start >= last, "{name}: errors in order");
        assert!(error.span.end <= sf.text.len(), "{name}: error in bounds");
        last = error.span.start;
    }
    let invalid = path.components().any(|c| c.as_os_str() == "invalid");
    assert_eq!(
        !parsed.errors.is_empty(),
        invalid,
        "{name}: errors {:?}",
        parsed.errors
    );
}

fn render(sf: &SourceFile, parsed: &Parsed) -> String {
    let text = &sf.text;
    let index = LineIndex::new(text);
    let at = |span: Span| {
        let (a, b) = (
            index.line_col(text, span.start),
            index.line_col(text, span.end),
        );
        format!("{}:{}-{}:{}", a.line, a.column, b.line, b.column)
    };
    let mut out = String::new();
    let _ = writeln!(out, "## Source");
    let _ = writeln!(
        out,
        "encoding: {}, bom: {}, newline: {}, lines: {}",
        sf.encoding,
        sf.bom,
        sf.newline,
        index.line_count()
    );
    let _ = writeln!(out, "\n## Items");
    for item in &parsed.document.items {
        let ns = item
            .namespace
            .as_ref()
            .map_or("-", |n| n.normalized.as_str());
        let _ = writeln!(out, "{} [{ns}] {}", at(item.span), headline(&item.kind));
        match &item.kind {
            ItemKind::Class(class) => {
                for feature in &class.features {
                    let _ = writeln!(out, "    {}", feature_line(feature));
                }
            }
            ItemKind::Instance(instance) => instance_lines(&mut out, instance, 1),
            _ => {}
        }
    }
    let _ = writeln!(out, "trailing: {}", at(parsed.document.trailing));
    let _ = writeln!(out, "\n## Errors");
    for error in &parsed.errors {
        let lc = index.line_col(text, error.span.start);
        let _ = writeln!(
            out,
            "{}:{} {} {}: {}",
            lc.line,
            lc.column,
            error.code(),
            error.wbem_name().unwrap_or("-"),
            error
        );
    }
    out
}

fn headline(kind: &ItemKind) -> String {
    match kind {
        ItemKind::Pragma(p) => {
            let args: Vec<String> = p
                .args
                .iter()
                .map(|a| match a {
                    PragmaArg::String { value, .. } => format!("{value:?}"),
                    PragmaArg::Word(w) => w.text.clone(),
                })
                .collect();
            format!("pragma {}({})", p.name.text, args.join(", "))
        }
        ItemKind::Class(c) => {
            let mut s = format!("{}class {}", quals(&c.qualifiers), c.name.text);
            if let Some(a) = &c.alias {
                let _ = write!(s, " as ${}", a.text);
            }
            if let Some(sup) = &c.superclass {
                let _ = write!(s, " : {}", sup.text);
            }
            s
        }
        ItemKind::Instance(i) => instance_head(i),
        ItemKind::QualifierDecl(q) => {
            let mut s = format!(
                "qualifier {} : {}{}",
                q.name.text,
                q.data_type.text,
                array(q.array)
            );
            if let Some(v) = &q.default {
                let _ = write!(s, " = {}", value(v));
            }
            let words = |w: &[smsmig_mof::syntax::Ident]| {
                w.iter()
                    .map(|i| i.text.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let _ = write!(
                s,
                ", scope({}), flavor({})",
                words(&q.scope),
                words(&q.flavor)
            );
            s
        }
        ItemKind::QualifierFlavor(q) => {
            let flavors: Vec<&str> = q.flavors.iter().map(|f| f.text.as_str()).collect();
            format!("qualifier-flavor {} : {}", q.name.text, flavors.join(" "))
        }
        ItemKind::Error => "error".to_owned(),
        _ => "other".to_owned(),
    }
}

fn instance_head(i: &Instance) -> String {
    let mut s = format!("{}instance of {}", quals(&i.qualifiers), i.class_name.text);
    if let Some(a) = &i.alias {
        let _ = write!(s, " as ${}", a.text);
    }
    s
}

fn instance_lines(out: &mut String, instance: &Instance, depth: usize) {
    for p in &instance.properties {
        let v = p
            .value
            .as_ref()
            .map_or("(no value)".to_owned(), |v| match &v.kind {
                ValueKind::Instance(inner) => instance_head(inner),
                _ => value(v),
            });
        let _ = writeln!(
            out,
            "{}{}{} = {v}",
            "    ".repeat(depth),
            quals(&p.qualifiers),
            p.name.text
        );
        let nested: Vec<&Instance> = match p.value.as_ref().map(|v| &v.kind) {
            Some(ValueKind::Instance(inner)) => vec![inner],
            Some(ValueKind::Array(items)) => items
                .iter()
                .filter_map(|v| match &v.kind {
                    ValueKind::Instance(inner) => Some(&**inner),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        for inner in nested {
            let _ = writeln!(out, "{}{}", "    ".repeat(depth + 1), instance_head(inner));
            instance_lines(out, inner, depth + 2);
        }
    }
}

fn feature_line(feature: &Feature) -> String {
    match feature {
        Feature::Property(p) => {
            let mut s = format!(
                "{}property {} {}{}",
                quals(&p.qualifiers),
                data_type(&p.data_type),
                p.name.text,
                array(p.array)
            );
            if let Some(v) = &p.default {
                let _ = write!(s, " = {}", value(v));
            }
            s
        }
        Feature::Method(m) => {
            let params: Vec<String> = m
                .params
                .iter()
                .map(|p| {
                    let mut s = format!(
                        "{}{} {}{}",
                        quals(&p.qualifiers),
                        data_type(&p.data_type),
                        p.name.text,
                        array(p.array)
                    );
                    if let Some(v) = &p.default {
                        let _ = write!(s, " = {}", value(v));
                    }
                    s
                })
                .collect();
            format!(
                "{}method {} {}({})",
                quals(&m.qualifiers),
                data_type(&m.return_type),
                m.name.text,
                params.join(", ")
            )
        }
    }
}

fn data_type(t: &DataType) -> String {
    if t.is_ref {
        format!("{} ref", t.name.text)
    } else {
        t.name.text.clone()
    }
}

fn array(a: Option<ArraySpec>) -> String {
    match a {
        None => String::new(),
        Some(ArraySpec::Unbounded) => "[]".to_owned(),
        Some(ArraySpec::Fixed(n)) => format!("[{n}]"),
    }
}

fn quals(q: &Qualifiers) -> String {
    if q.list.is_empty() {
        return String::new();
    }
    let list: Vec<String> = q
        .list
        .iter()
        .map(|q| {
            let mut s = q.name.text.clone();
            match &q.value {
                Some(
                    v @ Value {
                        kind: ValueKind::Array(_),
                        ..
                    },
                ) => s.push_str(&value(v)),
                Some(v) => {
                    let _ = write!(s, "({})", value(v));
                }
                None => {}
            }
            if !q.flavors.is_empty() {
                let flavors: Vec<&str> = q.flavors.iter().map(|f| f.text.as_str()).collect();
                let _ = write!(s, " : {}", flavors.join(" "));
            }
            s
        })
        .collect();
    format!("[{}] ", list.join(", "))
}

fn value(v: &Value) -> String {
    match &v.kind {
        ValueKind::Integer(Some(i)) => i.to_string(),
        ValueKind::Integer(None) => "<integer out of range>".to_owned(),
        ValueKind::Real(r) => format!("{r:?}"),
        ValueKind::String(s) => format!("{s:?}"),
        ValueKind::Char(c) => format!("{c:?}"),
        ValueKind::Boolean(b) => b.to_string(),
        ValueKind::Null => "null".to_owned(),
        ValueKind::Alias(a) => format!("${a}"),
        ValueKind::Identifier(i) => format!("<identifier {i}>"),
        ValueKind::Array(items) => {
            let items: Vec<String> = items.iter().map(value).collect();
            format!("{{{}}}", items.join(", "))
        }
        ValueKind::Instance(i) => instance_head(i),
        _ => "<other>".to_owned(),
    }
}
