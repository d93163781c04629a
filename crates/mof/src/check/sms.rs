//! The SMS hardware-inventory rules (DESIGN §3.5), all warnings: a reporting class is a class
//! whose [`Layout`] role is reporting (see [`crate::split`]); `SMS_Class_Template` itself is
//! exempt.
//!
//! A reporting class is paired with the data class of the same name in the namespace its
//! `Namespace("...")` qualifier names (default `root\cimv2`; a data class with no namespace in
//! force matches too). Stock classes whose data class is built into WMI have no pair and are
//! not compared. Property and key comparisons run only when the data class's whole superclass
//! chain is declared in the checked files, so an inherited property is never reported missing.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::diagnostic::{Diagnostic, DiagnosticKind, FileId, RelatedNote};
use crate::include::{Entry, Unit};
use crate::namespace::normalize_namespace;
use crate::span::Span;
use crate::split::{effective_namespace, entry_namespace, Layout, Role};
use crate::syntax::{Class, ItemKind, Property, Qualifier, Qualifiers, ValueKind};

/// A class with where it is and its role.
struct ClassRef<'a> {
    /// Index of the unit it was first reached in.
    unit: usize,
    file: FileId,
    class: &'a Class,
    namespace: String,
    role: Role,
}

/// Run the SMS rules over every class of every unit (each item once).
pub(super) fn check(units: &[Unit<'_>], layout: &Layout, out: &mut Vec<Diagnostic>) {
    let mut seen = HashSet::new();
    let mut classes = Vec::new();
    for (unit, e) in units
        .iter()
        .enumerate()
        .flat_map(|(i, u)| u.entries.iter().map(move |e| (i, e)))
    {
        if !seen.insert((e.file, e.index)) {
            continue;
        }
        if let Some(c) = class_ref(unit, e, layout) {
            classes.push(c);
        }
    }
    let model = Model::new(&classes);
    let mut ids = FirstUse::default();
    let mut groups = FirstUse::default();
    for r in classes
        .iter()
        .filter(|c| c.role == Role::Reporting && !c.class.name.is("SMS_Class_Template"))
    {
        class_id(r, &mut ids, out);
        group_name(r, &mut groups, out);
        derivation(&model, r, out);
        reported_properties(r, out);
        if let Some(d) = model.data_class_for(r) {
            compare(&model, r, d, out);
        }
    }
}

fn class_ref<'a>(unit: usize, e: &Entry<'a>, layout: &Layout) -> Option<ClassRef<'a>> {
    let ItemKind::Class(class) = &e.item.kind else {
        return None;
    };
    let role = layout.get(e.file, e.index)?.role?;
    Some(ClassRef {
        unit,
        file: e.file,
        class,
        namespace: entry_namespace(e).unwrap_or_default(),
        role,
    })
}

/// Classes by namespace and lower-case name (first declaration wins).
struct Model<'c, 'a> {
    by_key: HashMap<(String, String), &'c ClassRef<'a>>,
    data_by_name: HashMap<String, Vec<&'c ClassRef<'a>>>,
}

impl<'c, 'a> Model<'c, 'a> {
    fn new(classes: &'c [ClassRef<'a>]) -> Self {
        let mut by_key = HashMap::new();
        let mut data_by_name: HashMap<String, Vec<&ClassRef<'a>>> = HashMap::new();
        for c in classes {
            let name = c.class.name.text.to_lowercase();
            by_key
                .entry((c.namespace.clone(), name.clone()))
                .or_insert(c);
            if c.role == Role::Data {
                data_by_name.entry(name).or_default().push(c);
            }
        }
        Self {
            by_key,
            data_by_name,
        }
    }

    /// The data class paired with reporting class `r`.
    fn data_class_for(&self, r: &ClassRef<'a>) -> Option<&'c ClassRef<'a>> {
        let expected = r
            .class
            .qualifiers
            .get("Namespace")
            .and_then(string_value)
            .map_or_else(|| "root\\cimv2".to_owned(), qualifier_namespace);
        let candidates = self.data_by_name.get(&r.class.name.text.to_lowercase())?;
        // Same compilation first, then anywhere; the expected namespace first, then none.
        let rank = |d: &ClassRef<'_>| {
            let ns = if d.namespace == expected {
                0
            } else if d.namespace.is_empty() {
                1
            } else {
                return None;
            };
            Some((usize::from(d.unit != r.unit), ns))
        };
        candidates
            .iter()
            .filter_map(|d| Some((rank(d)?, *d)))
            .min_by_key(|(k, _)| *k)
            .map(|(_, d)| d)
    }

    /// The superclass chain of `c` (itself first) as far as it is declared in `c`'s namespace,
    /// and the superclass where it leaves the declared classes (`None` when it ends at a class
    /// with no superclass).
    fn chain(&self, c: &'c ClassRef<'a>) -> (Vec<&'c ClassRef<'a>>, Option<&'a str>) {
        let mut chain = vec![c];
        let mut current = c;
        while let Some(sup) = &current.class.superclass {
            let key = (c.namespace.clone(), sup.text.to_lowercase());
            match self.by_key.get(&key) {
                Some(next) if !chain.iter().any(|x| std::ptr::eq(*x, *next)) => {
                    chain.push(next);
                    current = next;
                }
                _ => return (chain, Some(&sup.text)),
            }
        }
        (chain, None)
    }
}

/// The namespace a `Namespace("...")` qualifier names. SMS_def.mof doubles its backslashes
/// inside the string (`"\\\\\\\\.\\\\root\\\\cimv2"` decodes to `\\\\.\\root\\cimv2`), so runs
/// of backslashes are collapsed before normalising.
fn qualifier_namespace(value: &str) -> String {
    let trimmed = value.trim_start_matches(['\\', '/']);
    let mut path = String::new();
    if value.len() - trimmed.len() >= 2 {
        path.push_str("\\\\");
    }
    let mut after_separator = false;
    for ch in trimmed.chars() {
        if ch == '\\' || ch == '/' {
            if !after_separator {
                path.push('\\');
            }
            after_separator = true;
        } else {
            path.push(ch);
            after_separator = false;
        }
    }
    effective_namespace(&normalize_namespace(&path)).0
}

fn string_value(q: &Qualifier) -> Option<&str> {
    match q.value.as_ref().map(|v| &v.kind) {
        Some(ValueKind::String(s)) => Some(s),
        _ => None,
    }
}

/// `TRUE` for a bare qualifier, its boolean value otherwise; `None` when not a boolean.
fn bool_value(q: &Qualifier) -> Option<bool> {
    match q.value.as_ref().map(|v| &v.kind) {
        None => Some(true),
        Some(ValueKind::Boolean(b)) => Some(*b),
        _ => None,
    }
}

fn is_key(q: &Qualifiers) -> bool {
    q.get("Key").and_then(bool_value).unwrap_or(false)
}

/// First class seen with each (case-insensitive) value.
#[derive(Default)]
struct FirstUse {
    first: BTreeMap<String, (String, FileId, Span)>,
}

impl FirstUse {
    /// The earlier class using `value`, when it is a different class.
    fn note(
        &mut self,
        value: &str,
        class: &str,
        file: FileId,
        span: Span,
    ) -> Option<(String, FileId, Span)> {
        match self.first.get(&value.to_lowercase()) {
            Some((other, f, s)) if !other.eq_ignore_ascii_case(class) => {
                Some((other.clone(), *f, *s))
            }
            Some(_) => None,
            None => {
                self.first
                    .insert(value.to_lowercase(), (class.to_owned(), file, span));
                None
            }
        }
    }
}

/// W0301, W0302, W0303.
fn class_id(r: &ClassRef<'_>, ids: &mut FirstUse, out: &mut Vec<Diagnostic>) {
    let class = &r.class.name.text;
    let Some(q) = r.class.qualifiers.get("SMS_Class_ID") else {
        let kind = DiagnosticKind::MissingClassId {
            class: class.clone(),
        };
        out.push(Diagnostic::new(kind, r.file, r.class.name.span));
        return;
    };
    let id = string_value(q).unwrap_or_default();
    let parts: Vec<&str> = id.split('|').map(str::trim).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
        let kind = DiagnosticKind::MalformedClassId {
            class: class.clone(),
            id: id.to_owned(),
        };
        out.push(Diagnostic::new(kind, r.file, q.span));
    }
    if id.is_empty() {
        return;
    }
    if let Some((other, file, span)) = ids.note(id, class, r.file, q.span) {
        let kind = DiagnosticKind::DuplicateClassId {
            id: id.to_owned(),
            class: class.clone(),
            other,
        };
        out.push(Diagnostic::new(kind, r.file, q.span).with_related(
            file,
            span,
            RelatedNote::FirstDefinition,
        ));
    }
}

/// W0304.
fn group_name(r: &ClassRef<'_>, groups: &mut FirstUse, out: &mut Vec<Diagnostic>) {
    let Some(q) = r.class.qualifiers.get("SMS_Group_Name") else {
        return;
    };
    let Some(group) = string_value(q) else { return };
    let class = &r.class.name.text;
    if let Some((other, file, span)) = groups.note(group, class, r.file, q.span) {
        let kind = DiagnosticKind::DuplicateGroupName {
            group: group.to_owned(),
            class: class.clone(),
            other,
        };
        out.push(Diagnostic::new(kind, r.file, q.span).with_related(
            file,
            span,
            RelatedNote::FirstDefinition,
        ));
    }
}

/// W0305: the chain of declared superclasses must reach `SMS_Class_Template`.
fn derivation<'c, 'a>(model: &Model<'c, 'a>, r: &'c ClassRef<'a>, out: &mut Vec<Diagnostic>) {
    let (chain, open) = model.chain(r);
    let reaches = |name: &str| name.eq_ignore_ascii_case("SMS_Class_Template");
    if chain.iter().skip(1).any(|c| reaches(&c.class.name.text)) || open.is_some_and(reaches) {
        return;
    }
    let kind = DiagnosticKind::NotDerivedFromTemplate {
        class: r.class.name.text.clone(),
        superclass: open.map(str::to_owned),
    };
    out.push(Diagnostic::new(kind, r.file, r.class.name.span));
}

/// W0309: `SMS_Report(TRUE)` properties in a class that is not reported.
fn reported_properties(r: &ClassRef<'_>, out: &mut Vec<Diagnostic>) {
    let class_report = r.class.qualifiers.get("SMS_Report");
    if class_report.and_then(bool_value) == Some(true) {
        return;
    }
    let reported: Vec<&Property> = r
        .class
        .properties()
        // Keys are reported whenever the class is, whatever their own SMS_Report says.
        .filter(|p| {
            !is_key(&p.qualifiers)
                && p.qualifiers.get("SMS_Report").and_then(bool_value) == Some(true)
        })
        .collect();
    if reported.is_empty() {
        return;
    }
    let kind = DiagnosticKind::ReportedPropertyInUnreportedClass {
        class: r.class.name.text.clone(),
        properties: reported.iter().map(|p| p.name.text.clone()).collect(),
        explicit: class_report.is_some(),
    };
    let span = class_report.map_or(r.class.name.span, |q| q.span);
    let mut diag = Diagnostic::new(kind, r.file, span);
    for p in reported {
        diag = diag.with_related(r.file, p.name.span, RelatedNote::ReportedProperty);
    }
    out.push(diag);
}

/// The type of a property as compared between the pair: name, `ref`, `[]`.
fn type_text(p: &Property) -> String {
    let mut s = p.data_type.name.text.clone();
    if p.data_type.is_ref {
        s.push_str(" ref");
    }
    if p.array.is_some() {
        s.push_str("[]");
    }
    s
}

/// W0306, W0307, W0308 between reporting class `r` and its data class `d`.
fn compare<'c, 'a>(
    model: &Model<'c, 'a>,
    r: &'c ClassRef<'a>,
    d: &'c ClassRef<'a>,
    out: &mut Vec<Diagnostic>,
) {
    let (chain, open) = model.chain(d);
    let complete = open.is_none();
    let mut data: BTreeMap<String, (FileId, &Property)> = BTreeMap::new();
    // Superclass first, so a subclass's redeclaration wins.
    for c in chain.iter().rev() {
        for p in c.class.properties() {
            data.insert(p.name.text.to_lowercase(), (c.file, p));
        }
    }
    let class = &r.class.name.text;
    for p in r.class.properties() {
        match data.get(&p.name.text.to_lowercase()) {
            None if complete => {
                let kind = DiagnosticKind::PropertyMissingInDataClass {
                    class: class.clone(),
                    property: p.name.text.clone(),
                };
                out.push(Diagnostic::new(kind, r.file, p.name.span).with_related(
                    d.file,
                    d.class.name.span,
                    RelatedNote::DataClass,
                ));
            }
            None => {}
            Some((file, dp)) => {
                let (rt, dt) = (type_text(p), type_text(dp));
                if !rt.eq_ignore_ascii_case(&dt) {
                    let kind = DiagnosticKind::PropertyTypeMismatch {
                        class: class.clone(),
                        property: p.name.text.clone(),
                        reporting: rt,
                        data: dt,
                    };
                    out.push(
                        Diagnostic::new(kind, r.file, p.data_type.name.span).with_related(
                            *file,
                            dp.data_type.name.span,
                            RelatedNote::DataProperty,
                        ),
                    );
                }
            }
        }
    }
    if !complete {
        return;
    }
    let keys = |props: &mut dyn Iterator<Item = &Property>| -> Vec<String> {
        props
            .filter(|p| is_key(&p.qualifiers))
            .map(|p| p.name.text.clone())
            .collect()
    };
    let rk = keys(&mut r.class.properties());
    let dk = keys(&mut data.values().map(|(_, p)| *p));
    let lower = |v: &[String]| v.iter().map(|s| s.to_lowercase()).collect::<HashSet<_>>();
    if lower(&rk) != lower(&dk) {
        let kind = DiagnosticKind::KeyMismatch {
            class: class.clone(),
            reporting: rk,
            data: dk,
        };
        out.push(
            Diagnostic::new(kind, r.file, r.class.name.span).with_related(
                d.file,
                d.class.name.span,
                RelatedNote::DataClass,
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_qualifiers_collapse_doubled_backslashes() {
        // MOF text "\\\\\\\\.\\\\root\\\\cimv2" decodes to \\\\.\\root\\cimv2.
        assert_eq!(qualifier_namespace(r"\\\\.\\root\\cimv2"), r"root\cimv2");
        assert_eq!(qualifier_namespace(r"root\\lenovo"), r"root\lenovo");
        assert_eq!(
            qualifier_namespace(r"\\.\root\HP\InstrumentedBIOS"),
            r"root\hp\instrumentedbios"
        );
        assert_eq!(qualifier_namespace(r"root\CINV2"), r"root\cimv2");
    }
}
