//! Rules that need only one item: pragmas, duplicate qualifiers and members, default values.

use std::collections::HashMap;

use super::types::{check_value, Declared};
use crate::diagnostic::{Diagnostic, DiagnosticKind, FileId, RelatedNote};
use crate::namespace::normalize_namespace;
use crate::span::Span;
use crate::split::effective_namespace;
use crate::syntax::{
    Class, Document, Ident, Instance, ItemKind, Pragma, PragmaArg, Qualifiers, Value, ValueKind,
};

/// Check every item of one file.
pub(super) fn check_items(file: FileId, doc: &Document, out: &mut Vec<Diagnostic>) {
    for item in &doc.items {
        match &item.kind {
            ItemKind::Pragma(p) => pragma(file, item.span, p, out),
            ItemKind::Class(c) => class(file, c, out),
            ItemKind::Instance(i) => instance(file, i, out),
            ItemKind::QualifierDecl(q) => {
                if let Some(default) = &q.default {
                    let decl = Declared::of_qualifier(&q.data_type, q.array);
                    check_value(&decl, &q.name.text, default, file, out);
                }
            }
            _ => {}
        }
    }
}

const CLASS_FLAGS: &[&str] = &["createonly", "updateonly", "safeupdate", "forceupdate"];
const INSTANCE_FLAGS: &[&str] = &["createonly", "updateonly"];

/// E0105 unknown pragma, E0106 bad arguments, W0201 the `cinv2` misspelling.
fn pragma(file: FileId, span: Span, p: &Pragma, out: &mut Vec<Diagnostic>) {
    let name = p.name.text.to_ascii_lowercase();
    let strings: Vec<&str> = p
        .args
        .iter()
        .filter_map(|a| match a {
            PragmaArg::String { value, .. } => Some(value.as_str()),
            PragmaArg::Word(_) => None,
        })
        .collect();
    let words = |a: &PragmaArg| match a {
        PragmaArg::String { value, .. } => value.to_ascii_lowercase(),
        PragmaArg::Word(w) => w.text.to_ascii_lowercase(),
    };
    let one_string = p.args.len() == 1 && strings.len() == 1;
    // Flags by name, or as the numeric WBEM_FLAG value (`#pragma classflags(64)`).
    let flag = |a: &PragmaArg, names: &[&str]| {
        let w = words(a);
        names.contains(&w.as_str())
            || (matches!(a, PragmaArg::Word(_))
                && !w.is_empty()
                && w.bytes().all(|b| b.is_ascii_digit()))
    };
    let (ok, expected) = match name.as_str() {
        "namespace" => (one_string, "one namespace path string"),
        "include" => (one_string, "one file name string"),
        "amendment" => (one_string, "one locale string such as \"MS_409\""),
        "locale" => (one_string, "one locale string"),
        "autorecover" => (p.args.is_empty(), "no arguments"),
        "classflags" => (
            !p.args.is_empty() && p.args.iter().all(|a| flag(a, CLASS_FLAGS)),
            "one or more of \"createonly\", \"updateonly\", \"safeupdate\", \"forceupdate\", or a number",
        ),
        "instanceflags" => (
            !p.args.is_empty() && p.args.iter().all(|a| flag(a, INSTANCE_FLAGS)),
            "one or more of \"createonly\", \"updateonly\", or a number",
        ),
        "deleteclass" | "deleteinstance" => (
            matches!(p.args.as_slice(), [PragmaArg::String { .. }, PragmaArg::Word(w)]
                if w.is("FAIL") || w.is("NOFAIL")),
            "a quoted name and FAIL or NOFAIL",
        ),
        _ => {
            let kind = DiagnosticKind::UnknownPragma {
                name: p.name.text.clone(),
            };
            out.push(Diagnostic::new(kind, file, p.name.span));
            return;
        }
    };
    if !ok {
        let kind = DiagnosticKind::InvalidPragmaArguments {
            pragma: name,
            expected,
        };
        out.push(Diagnostic::new(kind, file, span));
        return;
    }
    if name == "namespace" {
        if let Some(PragmaArg::String { span, value }) = p.args.first() {
            let (meant, misspelled) = effective_namespace(&normalize_namespace(value));
            if misspelled {
                let kind = DiagnosticKind::MisspelledCimv2 {
                    written: value.clone(),
                    meant,
                };
                out.push(Diagnostic::new(kind, file, *span));
            }
        }
    }
}

/// E0103: the same qualifier twice in one list.
fn qualifiers(file: FileId, q: &Qualifiers, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, Span> = HashMap::new();
    for qual in &q.list {
        let key = qual.name.text.to_lowercase();
        if let Some(&first) = seen.get(&key) {
            let kind = DiagnosticKind::DuplicateQualifier {
                name: qual.name.text.clone(),
            };
            out.push(Diagnostic::new(kind, file, qual.name.span).with_related(
                file,
                first,
                RelatedNote::FirstDefinition,
            ));
        } else {
            seen.insert(key, qual.name.span);
        }
        if let Some(v) = &qual.value {
            embedded(file, v, out);
        }
    }
}

/// E0102: a name declared twice among `names`, reported against `owner`.
fn duplicate_names<'a>(
    file: FileId,
    owner: &str,
    names: impl Iterator<Item = &'a Ident>,
    out: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<String, Span> = HashMap::new();
    for name in names {
        let key = name.text.to_lowercase();
        if let Some(&first) = seen.get(&key) {
            let kind = DiagnosticKind::DuplicateProperty {
                owner: owner.to_owned(),
                name: name.text.clone(),
            };
            out.push(Diagnostic::new(kind, file, name.span).with_related(
                file,
                first,
                RelatedNote::FirstDefinition,
            ));
        } else {
            seen.insert(key, name.span);
        }
    }
}

fn class(file: FileId, c: &Class, out: &mut Vec<Diagnostic>) {
    qualifiers(file, &c.qualifiers, out);
    let names = c.features.iter().map(|f| match f {
        crate::syntax::Feature::Property(p) => &p.name,
        crate::syntax::Feature::Method(m) => &m.name,
    });
    duplicate_names(file, &c.name.text, names, out);
    for p in c.properties() {
        qualifiers(file, &p.qualifiers, out);
        if let Some(default) = &p.default {
            check_value(&Declared::of_property(p), &p.name.text, default, file, out);
            embedded(file, default, out);
        }
    }
    for m in c.methods() {
        qualifiers(file, &m.qualifiers, out);
        let owner = format!("{}.{}", c.name.text, m.name.text);
        duplicate_names(file, &owner, m.params.iter().map(|p| &p.name), out);
        for param in &m.params {
            qualifiers(file, &param.qualifiers, out);
            if let Some(default) = &param.default {
                check_value(
                    &Declared::of_parameter(param),
                    &param.name.text,
                    default,
                    file,
                    out,
                );
            }
        }
    }
}

fn instance(file: FileId, i: &Instance, out: &mut Vec<Diagnostic>) {
    qualifiers(file, &i.qualifiers, out);
    let owner = format!("instance of {}", i.class_name.text);
    duplicate_names(file, &owner, i.properties.iter().map(|p| &p.name), out);
    for pv in &i.properties {
        qualifiers(file, &pv.qualifiers, out);
        if let Some(v) = &pv.value {
            embedded(file, v, out);
        }
    }
}

/// Embedded instances inside a value get the instance rules too.
fn embedded(file: FileId, value: &Value, out: &mut Vec<Diagnostic>) {
    match &value.kind {
        ValueKind::Instance(inner) => instance(file, inner, out),
        ValueKind::Array(items) => items.iter().for_each(|v| embedded(file, v, out)),
        _ => {}
    }
}
