//! Validation like `mofcomp -check`, plus the SMS hardware-inventory rules (DESIGN §3.5).
//!
//! [`check`] runs over a whole [`SourceSet`] and returns every [`Diagnostic`], sorted by file
//! and position:
//! - syntax errors from the parser and include problems from the loader;
//! - per item (`check/lang.rs`): unknown pragmas and bad pragma arguments, the `cinv2`
//!   namespace misspelling, duplicate qualifiers, duplicate properties/methods/parameters,
//!   default values that do not fit their declared type;
//! - per compilation unit: a class declared twice in one namespace (a `#pragma deleteclass`
//!   in between resets it), aliases used but never defined or defined twice, instance values
//!   that do not fit the property type declared by a class of the same unit;
//! - across the whole set (`check/sms.rs`): the SMS rules on reporting classes and their data
//!   classes.
//!
//! Errors are only what `mofcomp` rejects; the rest are warnings (see [`crate::diagnostic`]).

mod lang;
mod sms;
mod types;

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{sort, Diagnostic, DiagnosticKind, FileId, RelatedNote};
use crate::include::{Entry, SourceSet, Unit};
use crate::span::Span;
use crate::split::{classify, entry_namespace};
use crate::syntax::{Class, Instance, ItemKind, Property, Value, ValueKind};

/// Every diagnostic for `set`, sorted by file, position and code, without duplicates.
#[must_use]
pub fn check(set: &SourceSet) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    for id in set.ids() {
        let file = set.file(id);
        out.extend(
            file.errors
                .iter()
                .map(|e| Diagnostic::syntax(id, e.clone())),
        );
        lang::check_items(id, &file.document, &mut out);
    }
    out.extend(set.diagnostics().iter().cloned());
    let units = set.units();
    for unit in &units {
        check_unit(unit, &mut out);
    }
    let layout = classify(set);
    sms::check(&units, &layout, &mut out);
    sort(&mut out);
    let mut seen = HashSet::new();
    out.retain(|d| seen.insert((d.file, d.span, d.code(), d.kind.to_string())));
    out
}

/// Count of diagnostics at error severity.
#[must_use]
pub fn error_count(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| d.is_error()).count()
}

/// Classes of one unit by effective namespace (empty when none) and lower-case name.
struct ClassIndex<'a> {
    classes: HashMap<(String, String), (&'a Entry<'a>, &'a Class)>,
}

impl<'a> ClassIndex<'a> {
    fn new(unit: &'a Unit<'a>) -> Self {
        let mut classes = HashMap::new();
        for e in &unit.entries {
            if let ItemKind::Class(c) = &e.item.kind {
                let key = (
                    entry_namespace(e).unwrap_or_default(),
                    c.name.text.to_lowercase(),
                );
                classes.entry(key).or_insert((e, c));
            }
        }
        Self { classes }
    }

    /// The declaration of property `name` in class `class` of namespace `ns` or its
    /// superclasses, if the unit declares them.
    fn property(&self, ns: &str, class: &str, name: &str) -> Option<&'a Property> {
        let mut current = class.to_lowercase();
        // A superclass chain longer than the number of classes is a cycle.
        for _ in 0..=self.classes.len() {
            let (_, c) = self.classes.get(&(ns.to_owned(), current))?;
            if let Some(p) = c.properties().find(|p| p.name.is(name)) {
                return Some(p);
            }
            current = c.superclass.as_ref()?.text.to_lowercase();
        }
        None
    }
}

fn check_unit(unit: &Unit<'_>, out: &mut Vec<Diagnostic>) {
    duplicate_classes(unit, out);
    aliases(unit, out);
    let index = ClassIndex::new(unit);
    for e in &unit.entries {
        if let ItemKind::Instance(i) = &e.item.kind {
            let ns = entry_namespace(e).unwrap_or_default();
            instance_values(&index, &ns, e.file, i, out);
        }
    }
}

/// W0103: a class declared twice in one namespace with no deleteclass between.
fn duplicate_classes(unit: &Unit<'_>, out: &mut Vec<Diagnostic>) {
    let mut first: HashMap<(String, String), (FileId, Span)> = HashMap::new();
    for e in &unit.entries {
        let ns = entry_namespace(e).unwrap_or_default();
        match &e.item.kind {
            ItemKind::Pragma(p) if p.name.is("deleteclass") => {
                if let Some(name) = p.first_string() {
                    first.remove(&(ns, name.to_lowercase()));
                }
            }
            ItemKind::Class(c) => {
                let key = (ns, c.name.text.to_lowercase());
                if let Some(&(file, span)) = first.get(&key) {
                    let namespace = if key.0.is_empty() {
                        "(none)".to_owned()
                    } else {
                        key.0.clone()
                    };
                    let kind = DiagnosticKind::DuplicateClass {
                        name: c.name.text.clone(),
                        namespace,
                    };
                    out.push(Diagnostic::new(kind, e.file, c.name.span).with_related(
                        file,
                        span,
                        RelatedNote::FirstDefinition,
                    ));
                } else {
                    first.insert(key, (e.file, c.name.span));
                }
            }
            _ => {}
        }
    }
}

/// E0104 and W0101: aliases used but never defined, and defined twice, within one unit.
fn aliases(unit: &Unit<'_>, out: &mut Vec<Diagnostic>) {
    let mut defined: HashMap<String, (FileId, Span)> = HashMap::new();
    for e in &unit.entries {
        let alias = match &e.item.kind {
            ItemKind::Class(c) => c.alias.as_ref(),
            ItemKind::Instance(i) => i.alias.as_ref(),
            _ => None,
        };
        let Some(alias) = alias else { continue };
        let key = alias.text.to_lowercase();
        if let Some(&(file, span)) = defined.get(&key) {
            let kind = DiagnosticKind::DuplicateAlias {
                alias: alias.text.clone(),
            };
            out.push(Diagnostic::new(kind, e.file, alias.span).with_related(
                file,
                span,
                RelatedNote::FirstDefinition,
            ));
        } else {
            defined.insert(key, (e.file, alias.span));
        }
    }
    for e in &unit.entries {
        let mut uses = Vec::new();
        alias_uses(&e.item.kind, &mut uses);
        for (alias, span) in uses {
            if !defined.contains_key(&alias.to_lowercase()) {
                let kind = DiagnosticKind::UndefinedAlias { alias };
                out.push(Diagnostic::new(kind, e.file, span));
            }
        }
    }
}

/// Every `$Alias` an item references, with the span of the value.
fn alias_uses(kind: &ItemKind, out: &mut Vec<(String, Span)>) {
    let mut push = |value: &Value| {
        for_each_alias(value, &mut |name, span| out.push((name.to_owned(), span)));
    };
    match kind {
        ItemKind::Class(c) => {
            for p in c.properties() {
                if let Some(v) = &p.default {
                    push(v);
                }
            }
        }
        ItemKind::Instance(i) => {
            for p in &i.properties {
                if let Some(v) = &p.value {
                    push(v);
                }
            }
        }
        _ => {}
    }
}

fn for_each_alias(value: &Value, f: &mut dyn FnMut(&str, Span)) {
    match &value.kind {
        ValueKind::Alias(a) => f(a, value.span),
        ValueKind::Array(items) => items.iter().for_each(|v| for_each_alias(v, f)),
        ValueKind::Instance(inst) => inst
            .properties
            .iter()
            .filter_map(|p| p.value.as_ref())
            .for_each(|v| for_each_alias(v, f)),
        _ => {}
    }
}

/// E0107–E0109 and W0102 for the values of an instance whose class the unit declares.
fn instance_values(
    index: &ClassIndex<'_>,
    ns: &str,
    file: FileId,
    instance: &Instance,
    out: &mut Vec<Diagnostic>,
) {
    for pv in &instance.properties {
        let Some(value) = &pv.value else { continue };
        if let Some(decl) = index.property(ns, &instance.class_name.text, &pv.name.text) {
            types::check_value(
                &types::Declared::of_property(decl),
                &pv.name.text,
                value,
                file,
                out,
            );
        }
        embedded_values(index, ns, file, value, out);
    }
}

fn embedded_values(
    index: &ClassIndex<'_>,
    ns: &str,
    file: FileId,
    value: &Value,
    out: &mut Vec<Diagnostic>,
) {
    match &value.kind {
        ValueKind::Instance(inner) => instance_values(index, ns, file, inner, out),
        ValueKind::Array(items) => items
            .iter()
            .for_each(|v| embedded_values(index, ns, file, v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests;
