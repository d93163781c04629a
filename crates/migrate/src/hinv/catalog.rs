//! What the migration needs to know about the classes of a set of MOF files: each class with
//! its role (data or reporting) and effective namespace, its `SMS_Report` switches and
//! `SMS_Class_ID`, a structural signature to tell "same definition" from "different", and the
//! text that travels with it when it is copied (DESIGN §3.4).

use std::fmt::Write as _;

use smsmig_mof::split::{effective_namespace, looks_reporting, namespace_role, Role};
use smsmig_mof::syntax::{
    Class, Feature, Instance, Item, ItemKind, PragmaArg, Qualifiers, Value, ValueKind,
};
use smsmig_mof::Span;

use super::load::MofFile;

/// The namespace reporting classes live in.
pub(crate) const SMS_NAMESPACE: &str = r"root\cimv2\sms";
/// The namespace most data classes live in.
pub(crate) const CIMV2: &str = r"root\cimv2";
/// Where `mofcomp` puts items compiled before any `#pragma namespace`.
const DEFAULT_NAMESPACE: &str = r"root\default";

/// One top-level class of one file.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ClassRef<'a> {
    /// The file it is in.
    pub(crate) file: &'a MofFile,
    /// Index of the class item in the file's document.
    pub(crate) index: usize,
    /// The class item.
    pub(crate) item: &'a Item,
    /// The class.
    pub(crate) class: &'a Class,
    /// Data or reporting.
    pub(crate) role: Role,
}

impl<'a> ClassRef<'a> {
    /// The class name as written.
    pub(crate) fn name(&self) -> &'a str {
        &self.class.name.text
    }

    /// Lower-case name, the key classes are matched by.
    pub(crate) fn key(&self) -> String {
        self.class.name.text.to_lowercase()
    }

    /// The effective namespace of the class (see [`item_namespace`]).
    pub(crate) fn namespace(&self) -> String {
        item_namespace(self.item, self.role)
    }

    /// The class's text as written.
    pub(crate) fn text(&self) -> &'a str {
        self.item.span.slice(self.file.text())
    }

    /// `SMS_Class_ID`, if any.
    pub(crate) fn class_id(&self) -> Option<&'a str> {
        string_qualifier(&self.class.qualifiers, "SMS_Class_ID")
    }

    /// The class-level `SMS_Report` value and the span of its `TRUE`/`FALSE` token.
    pub(crate) fn report(&self) -> Option<(bool, Span)> {
        bool_qualifier(&self.class.qualifiers, "SMS_Report")
    }

    /// Property names with their `SMS_Report` value and token span, in order.
    pub(crate) fn property_reports(&self) -> Vec<(&'a str, Option<(bool, Span)>)> {
        self.class
            .properties()
            .map(|p| {
                (
                    p.name.text.as_str(),
                    bool_qualifier(&p.qualifiers, "SMS_Report"),
                )
            })
            .collect()
    }

    /// True when the class has a property of this name (case-insensitive).
    pub(crate) fn has_property(&self, name: &str) -> bool {
        self.class.properties().any(|p| p.name.is(name))
    }

    /// For a reporting class, the namespace its `Namespace` qualifier says the data class is
    /// in, normalised.
    pub(crate) fn data_namespace_hint(&self) -> Option<String> {
        string_qualifier(&self.class.qualifiers, "Namespace").map(wmi_path_namespace)
    }

    /// The structural signature (see [`signature`]).
    pub(crate) fn signature(&self) -> String {
        signature(self.class)
    }
}

/// The effective namespace an item is compiled into: the normalised namespace in force (with
/// the `cinv2` misspelling read as `cimv2`); before any namespace pragma, `root\cimv2\sms` for
/// a reporting class and `root\default` (where `mofcomp` would put it) otherwise.
pub(crate) fn item_namespace(item: &Item, role: Role) -> String {
    match &item.namespace {
        Some(ns) if !ns.normalized.is_empty() => effective_namespace(&ns.normalized).0,
        _ if role == Role::Reporting => SMS_NAMESPACE.to_owned(),
        _ => DEFAULT_NAMESPACE.to_owned(),
    }
}

/// The span of an item without the trivia a pragma's span may run on into: the tree promises
/// a pragma ends at its closing parenthesis, but a pragma with an optional `;` can reach over
/// the following blank lines and comments, which belong to the next item.
pub(crate) fn item_span(text: &str, item: &Item) -> Span {
    let ItemKind::Pragma(pragma) = &item.kind else {
        return item.span;
    };
    let last = pragma
        .args
        .last()
        .map_or(pragma.name.span.end, |arg| match arg {
            PragmaArg::String { span, .. } => span.end,
            PragmaArg::Word(ident) => ident.span.end,
        });
    let bytes = text.as_bytes();
    let mut end = last.max(item.span.start);
    let skip = |mut i: usize, newlines: bool| {
        while i < item.span.end
            && (bytes[i] == b' '
                || bytes[i] == b'\t'
                || (newlines && matches!(bytes[i], b'\r' | b'\n')))
        {
            i += 1;
        }
        i
    };
    let after = skip(end, true);
    if after < item.span.end && bytes[after] == b')' {
        end = after + 1;
    }
    let after = skip(end, false);
    if after < item.span.end && bytes[after] == b';' {
        end = after + 1;
    }
    Span::new(item.span.start, end.min(item.span.end))
}

/// The trivia above item `index`: from the end of the previous item (see [`item_span`]) to the
/// item's start.
pub(crate) fn leading(text: &str, items: &[Item], index: usize) -> Span {
    let start = match index.checked_sub(1) {
        Some(prev) => item_span(text, &items[prev]).end,
        None => items[index].leading.start,
    };
    Span::new(start.min(items[index].span.start), items[index].span.start)
}

/// Every top-level class of `file` that takes part in hardware inventory: data classes and
/// reporting classes, without `SMS_Class_Template` itself and WMI system classes.
pub(crate) fn classes(file: &MofFile) -> Vec<ClassRef<'_>> {
    file.document
        .items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            let ItemKind::Class(class) = &item.kind else {
                return None;
            };
            if class.name.is("SMS_Class_Template") || class.name.text.starts_with("__") {
                return None;
            }
            let by_namespace = item
                .namespace
                .as_ref()
                .and_then(|ns| namespace_role(&effective_namespace(&ns.normalized).0));
            let role = by_namespace.unwrap_or(if looks_reporting(class) {
                Role::Reporting
            } else {
                Role::Data
            });
            Some(ClassRef {
                file,
                index,
                item,
                class,
                role,
            })
        })
        .collect()
}

/// The value of a string qualifier.
pub(crate) fn string_qualifier<'q>(qualifiers: &'q Qualifiers, name: &str) -> Option<&'q str> {
    match qualifiers.get(name)?.value.as_ref().map(|v| &v.kind) {
        Some(ValueKind::String(s)) => Some(s),
        _ => None,
    }
}

/// The value of a boolean qualifier and the span of its token.
pub(crate) fn bool_qualifier(qualifiers: &Qualifiers, name: &str) -> Option<(bool, Span)> {
    let value = qualifiers.get(name)?.value.as_ref()?;
    match value.kind {
        ValueKind::Boolean(b) => Some((b, value.span)),
        _ => None,
    }
}

/// The vendor part of an `SMS_Class_ID` (`MICROSOFT` in `MICROSOFT|PROCESSOR|1.0`).
pub(crate) fn class_id_vendor(class_id: &str) -> &str {
    class_id.split('|').next().unwrap_or("").trim()
}

/// A namespace written as a WMI object path inside a qualifier value, such as
/// `\\\\.\\root\\wmi` after the MOF string escapes are decoded (reporting classes double the
/// backslashes), normalised to `root\wmi`.
pub(crate) fn wmi_path_namespace(path: &str) -> String {
    let server_form = path.starts_with(['\\', '/']);
    let mut segments = path.split(['\\', '/']).filter(|s| !s.is_empty());
    if server_form {
        segments.next();
    }
    let joined = segments.collect::<Vec<_>>().join("\\").to_lowercase();
    effective_namespace(&joined).0
}

/// A canonical text of what a class declares — name, superclass, qualifiers with their decoded
/// values and flavors, properties and methods — independent of layout, comments, order and
/// the case of names, so two copies of one definition compare equal however they are written.
pub(crate) fn signature(class: &Class) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "class {}:{} {}",
        class.name.text.to_lowercase(),
        class
            .superclass
            .as_ref()
            .map(|s| s.text.to_lowercase())
            .unwrap_or_default(),
        qualifiers_signature(&class.qualifiers)
    );
    let mut features: Vec<String> = class
        .features
        .iter()
        .map(|f| match f {
            Feature::Property(p) => format!(
                "prop {} {}{}{:?} {} = {}",
                p.name.text.to_lowercase(),
                p.data_type.name.text.to_lowercase(),
                if p.data_type.is_ref { " ref" } else { "" },
                p.array,
                qualifiers_signature(&p.qualifiers),
                p.default.as_ref().map(value_signature).unwrap_or_default()
            ),
            Feature::Method(m) => {
                let params: Vec<String> = m
                    .params
                    .iter()
                    .map(|p| {
                        format!(
                            "{} {}{:?} {}",
                            p.name.text.to_lowercase(),
                            p.data_type.name.text.to_lowercase(),
                            p.array,
                            qualifiers_signature(&p.qualifiers)
                        )
                    })
                    .collect();
                format!(
                    "method {} {} ({}) {}",
                    m.name.text.to_lowercase(),
                    m.return_type.name.text.to_lowercase(),
                    params.join(", "),
                    qualifiers_signature(&m.qualifiers)
                )
            }
        })
        .collect();
    features.sort();
    for f in features {
        out.push('\n');
        out.push_str(&f);
    }
    out
}

fn qualifiers_signature(qualifiers: &Qualifiers) -> String {
    let mut list: Vec<String> = qualifiers
        .list
        .iter()
        .map(|q| {
            let mut flavors: Vec<String> =
                q.flavors.iter().map(|f| f.text.to_lowercase()).collect();
            flavors.sort();
            format!(
                "{}({}):{}",
                q.name.text.to_lowercase(),
                q.value.as_ref().map(value_signature).unwrap_or_default(),
                flavors.join(" ")
            )
        })
        .collect();
    list.sort();
    format!("[{}]", list.join(", "))
}

fn value_signature(value: &Value) -> String {
    match &value.kind {
        ValueKind::Integer(Some(i)) => i.to_string(),
        ValueKind::Integer(None) => "big-integer".to_owned(),
        ValueKind::Real(r) => format!("{r:?}"),
        ValueKind::String(s) => format!("{s:?}"),
        ValueKind::Char(c) => format!("{c:?}"),
        ValueKind::Boolean(b) => b.to_string(),
        ValueKind::Null => "null".to_owned(),
        ValueKind::Alias(a) => format!("${}", a.to_lowercase()),
        ValueKind::Array(items) => {
            let items: Vec<String> = items.iter().map(value_signature).collect();
            format!("{{{}}}", items.join(", "))
        }
        ValueKind::Instance(inst) => instance_signature(inst),
        _ => "?".to_owned(),
    }
}

fn instance_signature(instance: &Instance) -> String {
    let mut props: Vec<String> = instance
        .properties
        .iter()
        .map(|p| {
            format!(
                "{}{}={}",
                p.name.text.to_lowercase(),
                qualifiers_signature(&p.qualifiers),
                p.value.as_ref().map(value_signature).unwrap_or_default()
            )
        })
        .collect();
    props.sort();
    format!(
        "instance of {} {}{{{}}}",
        instance.class_name.text.to_lowercase(),
        qualifiers_signature(&instance.qualifiers),
        props.join("; ")
    )
}

/// `instance of __Win32Provider` with its `Name`.
pub(crate) fn provider_name(instance: &Instance) -> Option<&str> {
    if !instance.class_name.is("__Win32Provider") {
        return None;
    }
    match instance.get("Name").map(|v| &v.kind) {
        Some(ValueKind::String(s)) => Some(s),
        _ => None,
    }
}

/// The `Provider("...")` names a class and its instances use, lower-case, deduplicated, in
/// order of first use.
pub(crate) fn providers_used(class: &Class, instances: &[&Instance]) -> Vec<String> {
    let mut names = Vec::new();
    let mut add = |q: &Qualifiers| {
        for qualifier in q.list.iter().filter(|q| q.name.is("Provider")) {
            if let Some(ValueKind::String(s)) = qualifier.value.as_ref().map(|v| &v.kind) {
                let s = s.to_lowercase();
                if !names.contains(&s) {
                    names.push(s);
                }
            }
        }
    };
    add(&class.qualifiers);
    for p in class.properties() {
        add(&p.qualifiers);
    }
    for i in instances {
        add(&i.qualifiers);
        for p in &i.properties {
            add(&p.qualifiers);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wmi_paths_in_qualifiers_normalise() {
        assert_eq!(wmi_path_namespace(r"\\\\.\\root\\wmi"), r"root\wmi");
        assert_eq!(
            wmi_path_namespace(r"\\\\localhost\\root\\cimv2\\sms"),
            r"root\cimv2\sms"
        );
        assert_eq!(wmi_path_namespace(r"root\\lenovo"), r"root\lenovo");
        assert_eq!(wmi_path_namespace(r"\\.\ROOT\CINV2"), r"root\cimv2");
    }

    #[test]
    fn vendor_is_the_first_field() {
        assert_eq!(class_id_vendor("MICROSOFT|PROCESSOR|1.0"), "MICROSOFT");
        assert_eq!(class_id_vendor(" Contoso |X|1.0"), "Contoso");
        assert_eq!(class_id_vendor(""), "");
    }
}
