//! Splitting MOF files by namespace into ConfigMgr 2007's `configuration.mof` (data classes)
//! and `SMS_def.mof` (reporting classes) (DESIGN §3.4; seed: "Migrating Hardware Inventory
//! Customizations").
//!
//! # Roles
//! - Items in `root\cimv2\sms` (or below it, such as the console's `root\cimv2\sms\inv_temp`)
//!   are **reporting**: they go to `SMS_def.mof`.
//! - Items in `root\cimv2` and every other client namespace (`root\wmi`, `root\ccm\...`) are
//!   **data**: they go to `configuration.mof`. A data class outside `root\cimv2` keeps a namespace
//!   pragma of its own.
//! - The seed's `root\CINV2` is a misspelling of `root\cimv2`: a `cinv2` path segment is read as
//!   `cimv2` (the checker warns, W0201), and the split writes the corrected pragma.
//! - Items before any `#pragma namespace` (or after `#pragma namespace("")`) are decided by
//!   content: a class derived from `SMS_Class_Template`, or carrying `SMS_Report`,
//!   `SMS_Class_ID` or `SMS_Group_Name` on itself or a property, is reporting; anything else is
//!   data. Such items are written under `root\cimv2\sms` or `root\cimv2` respectively, the
//!   namespaces ConfigMgr compiles those files into.
//!
//! # What travels with a class
//! - its `#pragma deleteclass("X", ...)` (and a `#pragma deleteinstance` of one of its
//!   instances);
//! - the `#pragma classflags` / `instanceflags` in force, re-emitted before it when needed;
//! - its leading comment block (an item's leading trivia is part of what is copied);
//! - its instances, in particular the `[DYNPROPS] instance of X` blocks;
//! - the provider registration it reaches: the `instance of __Win32Provider as $P` whose `Name`
//!   its `Provider("...")` qualifiers name (or whose alias it uses), and every
//!   `__*ProviderRegistration` instance with `Provider = $P`;
//! - an `instance of __Namespace` goes to each side that uses the namespace it creates.
//!
//! File-level pragmas (`locale`, `amendment`, `autorecover`) and qualifier declarations made
//! before any namespace pragma go to both sides that take items from their file. Namespace,
//! flag and include pragmas are *structural*: they are re-emitted where the output needs them
//! (included files are inlined).
//!
//! # Output
//! [`split`] returns the two texts and the [`Layout`] that says where every item went. Items are
//! copied as text slices (leading trivia + item), in compilation order, never re-printed; only
//! a header line and namespace pragmas that have no source text are new.

mod emit;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::diagnostic::FileId;
use crate::include::{Entry, SourceSet, Unit};
use crate::syntax::{Class, Instance, Item, ItemKind, Qualifiers, Value, ValueKind};

pub use emit::{split, Split, SplitNote};

/// Data or reporting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Collected on the client: `configuration.mof`.
    Data,
    /// Says what to report: `SMS_def.mof`.
    Reporting,
}

impl Role {
    /// `data` or `reporting`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Role::Data => "data",
            Role::Reporting => "reporting",
        }
    }
}

/// Which output files an item is copied into.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Sides {
    /// Copied into `configuration.mof`.
    pub configuration: bool,
    /// Copied into `SMS_def.mof`.
    pub sms_def: bool,
}

impl Sides {
    /// Nowhere (structural items).
    pub const NONE: Sides = Sides {
        configuration: false,
        sms_def: false,
    };
    /// Both files.
    pub const BOTH: Sides = Sides {
        configuration: true,
        sms_def: true,
    };

    /// The side a role goes to.
    #[must_use]
    pub fn of(role: Role) -> Sides {
        Sides {
            configuration: role == Role::Data,
            sms_def: role == Role::Reporting,
        }
    }

    /// Both sides of either.
    #[must_use]
    pub fn union(self, other: Sides) -> Sides {
        Sides {
            configuration: self.configuration || other.configuration,
            sms_def: self.sms_def || other.sms_def,
        }
    }

    /// `configuration.mof`, `SMS_def.mof`, `both` or `-`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match (self.configuration, self.sms_def) {
            (true, true) => "both",
            (true, false) => "configuration.mof",
            (false, true) => "SMS_def.mof",
            (false, false) => "-",
        }
    }

    /// The role when exactly one side.
    #[must_use]
    pub fn role(self) -> Option<Role> {
        match (self.configuration, self.sms_def) {
            (true, false) => Some(Role::Data),
            (false, true) => Some(Role::Reporting),
            _ => None,
        }
    }
}

/// Why an item went where it went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reason {
    /// The namespace in force decides.
    Namespace,
    /// No namespace in force: the content decides.
    Content,
    /// It travels with another item (a class, a provider instance).
    TravelsWith {
        /// The file of the item it travels with.
        file: FileId,
        /// That item's index.
        index: usize,
    },
    /// An `instance of __Namespace`: it goes where the namespace it creates is used.
    CreatesNamespace,
    /// A file-level pragma or a qualifier declaration without namespace: both sides.
    Shared,
    /// A namespace, flags or include pragma: re-emitted where needed.
    Structural,
    /// A region that did not parse.
    Unparsed,
}

/// Where one item goes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Placement {
    /// Data or reporting; `None` for structural and shared items.
    pub role: Option<Role>,
    /// The output files it is copied into.
    pub sides: Sides,
    /// Why.
    pub reason: Reason,
    /// The normalised namespace in force (with `cinv2` read as `cimv2`), if any.
    pub namespace: Option<String>,
}

/// Where every item of a [`SourceSet`] goes, indexed by file and item.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    files: Vec<Vec<Option<Placement>>>,
}

impl Layout {
    /// The placement of item `index` of `file`, if the item is part of a compilation unit.
    #[must_use]
    pub fn get(&self, file: FileId, index: usize) -> Option<&Placement> {
        self.files.get(file.index())?.get(index)?.as_ref()
    }

    fn set(&mut self, file: FileId, index: usize, placement: Placement) {
        self.files[file.index()][index] = Some(placement);
    }
}

/// A short description of an item for reports: its kind and name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemLabel {
    /// `class`, `instance`, `pragma`, `qualifier`, `qualifier_flavor` or `error`.
    pub kind: &'static str,
    /// Class name, instance class (with `as $Alias`), pragma name with its first argument,
    /// qualifier name; empty for an unparsed region.
    pub name: String,
}

/// Kind and name of `item`.
#[must_use]
pub fn describe(item: &Item) -> ItemLabel {
    let (kind, name) = match &item.kind {
        ItemKind::Class(c) => ("class", c.name.text.clone()),
        ItemKind::Instance(i) => (
            "instance",
            match &i.alias {
                Some(a) => format!("{} as ${}", i.class_name.text, a.text),
                None => i.class_name.text.clone(),
            },
        ),
        ItemKind::Pragma(p) => (
            "pragma",
            match p.first_string() {
                Some(arg) => format!("{}(\"{}\")", p.name.text.to_lowercase(), arg),
                None => p.name.text.to_lowercase(),
            },
        ),
        ItemKind::QualifierDecl(q) => ("qualifier", q.name.text.clone()),
        ItemKind::QualifierFlavor(q) => ("qualifier_flavor", q.name.text.clone()),
        _ => ("error", String::new()),
    };
    ItemLabel { kind, name }
}

/// The namespace as the split and the checker read it: `normalized` with a `cinv2` segment read
/// as `cimv2`. The flag is true when that correction was made.
#[must_use]
pub fn effective_namespace(normalized: &str) -> (String, bool) {
    let mut fixed = false;
    let parts: Vec<&str> = normalized
        .split('\\')
        .map(|seg| {
            if seg == "cinv2" {
                fixed = true;
                "cimv2"
            } else {
                seg
            }
        })
        .collect();
    (parts.join("\\"), fixed)
}

/// The role the namespace gives its items; `None` when empty (the content decides).
#[must_use]
pub fn namespace_role(effective: &str) -> Option<Role> {
    const SMS: &str = "root\\cimv2\\sms";
    if effective.is_empty() {
        None
    } else if effective == SMS || effective.starts_with("root\\cimv2\\sms\\") {
        Some(Role::Reporting)
    } else {
        Some(Role::Data)
    }
}

/// True when a class reads as a reporting class: derived from `SMS_Class_Template`, the
/// template itself, or carrying SMS inventory qualifiers on itself or a property.
#[must_use]
pub fn looks_reporting(class: &Class) -> bool {
    const SMS_QUALIFIERS: [&str; 3] = ["SMS_Report", "SMS_Class_ID", "SMS_Group_Name"];
    let marked = |q: &Qualifiers| SMS_QUALIFIERS.iter().any(|n| q.has(n));
    class.name.is("SMS_Class_Template")
        || class
            .superclass
            .as_ref()
            .is_some_and(|s| s.is("SMS_Class_Template"))
        || marked(&class.qualifiers)
        || class.properties().any(|p| marked(&p.qualifiers))
}

/// The role of an entry from its namespace, or from its content when none is in force.
fn base_role(entry: &Entry<'_>) -> (Role, Reason) {
    if let Some(role) = entry_namespace(entry).as_deref().and_then(namespace_role) {
        return (role, Reason::Namespace);
    }
    let role = match &entry.item.kind {
        ItemKind::Class(c) if looks_reporting(c) => Role::Reporting,
        _ => Role::Data,
    };
    (role, Reason::Content)
}

/// The effective namespace in force at an entry.
pub(crate) fn entry_namespace(entry: &Entry<'_>) -> Option<String> {
    entry
        .namespace
        .map(|ns| effective_namespace(&ns.normalized).0)
}

/// Where every item of `set` goes (see the module documentation for the rules).
#[must_use]
pub fn classify(set: &SourceSet) -> Layout {
    let mut layout = Layout {
        files: set
            .files()
            .iter()
            .map(|f| vec![None; f.document.items.len()])
            .collect(),
    };
    for unit in set.units() {
        classify_unit(&unit, &mut layout);
    }
    layout
}

/// Key of a class within a unit: effective namespace (empty when none) and lower-case name.
type ClassKey = (String, String);

fn class_key(entry: &Entry<'_>, name: &str) -> ClassKey {
    (
        entry_namespace(entry).unwrap_or_default(),
        name.to_lowercase(),
    )
}

fn classify_unit(unit: &Unit<'_>, layout: &mut Layout) {
    // An item reached in an earlier unit keeps its first placement.
    let entries: Vec<&Entry<'_>> = unit
        .entries
        .iter()
        .filter(|e| layout.get(e.file, e.index).is_none())
        .collect();
    let mut classes: HashMap<ClassKey, Vec<usize>> = HashMap::new();
    for (pos, e) in entries.iter().enumerate() {
        if let ItemKind::Class(c) = &e.item.kind {
            classes
                .entry(class_key(e, &c.name.text))
                .or_default()
                .push(pos);
        }
    }
    let mut placed: Vec<Option<Placement>> = vec![None; entries.len()];
    let place = |e: &Entry<'_>, role: Option<Role>, sides: Sides, reason: Reason| Placement {
        role,
        sides,
        reason,
        namespace: entry_namespace(e),
    };
    // Pass 1: classes, structural and shared items.
    for (pos, e) in entries.iter().enumerate() {
        placed[pos] = match &e.item.kind {
            ItemKind::Class(_) => {
                let (role, reason) = base_role(e);
                Some(place(e, Some(role), Sides::of(role), reason))
            }
            ItemKind::Pragma(p) => {
                let name = p.name.text.to_lowercase();
                match name.as_str() {
                    "namespace" | "classflags" | "instanceflags" | "include" => {
                        Some(place(e, None, Sides::NONE, Reason::Structural))
                    }
                    "deleteclass" | "deleteinstance" => None,
                    _ => Some(place(e, None, Sides::BOTH, Reason::Shared)),
                }
            }
            ItemKind::QualifierDecl(_) | ItemKind::QualifierFlavor(_) => {
                match entry_namespace(e).as_deref().and_then(namespace_role) {
                    Some(role) => Some(place(e, Some(role), Sides::of(role), Reason::Namespace)),
                    None => Some(place(e, None, Sides::BOTH, Reason::Shared)),
                }
            }
            ItemKind::Instance(_) => None,
            _ => {
                let (role, _) = base_role(e);
                Some(place(e, Some(role), Sides::of(role), Reason::Unparsed))
            }
        };
    }
    // Pass 2: what travels with a class: its deleteclass pragma and its instances.
    // A deleteclass pragma precedes its class; an instance follows it.
    let find_class = |from: usize, e: &Entry<'_>, name: &str, after: bool| -> Option<usize> {
        let list = classes.get(&class_key(e, name))?;
        let next = list.iter().copied().find(|&p| p > from);
        let prev = list.iter().copied().rev().find(|&p| p < from);
        if after {
            next.or(prev)
        } else {
            prev.or(next)
        }
    };
    for (pos, e) in entries.iter().enumerate() {
        let (target, after) = match &e.item.kind {
            ItemKind::Pragma(p) if p.name.is("deleteclass") => {
                (p.first_string().map(str::to_owned), true)
            }
            ItemKind::Pragma(p) if p.name.is("deleteinstance") => {
                (p.first_string().map(instance_path_class), false)
            }
            ItemKind::Instance(i) if !is_provider(i) && !is_registration(i) && !is_namespace(i) => {
                (Some(i.class_name.text.clone()), false)
            }
            _ => continue,
        };
        placed[pos] = Some(
            match target.and_then(|name| find_class(pos, e, &name, after)) {
                Some(class_pos) => travel(e, &entries, &placed, class_pos),
                None => {
                    let (role, reason) = base_role(e);
                    place(e, Some(role), Sides::of(role), reason)
                }
            },
        );
    }
    // Pass 3: provider instances travel with their first user; registrations with the provider.
    let users = ProviderUsers::collect(&entries);
    for (pos, e) in entries.iter().enumerate() {
        let ItemKind::Instance(i) = &e.item.kind else {
            continue;
        };
        if !is_provider(i) {
            continue;
        }
        // A provider serves the namespace it is registered in.
        let by_name = string_property(i, "Name").and_then(|n| {
            let ns = entry_namespace(e).unwrap_or_default();
            users.by_name.get(&(ns, n.to_lowercase()))
        });
        let by_alias = i
            .alias
            .as_ref()
            .and_then(|a| users.by_alias.get(&a.text.to_lowercase()));
        let user = by_name
            .into_iter()
            .chain(by_alias)
            .copied()
            .filter(|&u| placed[u].is_some())
            .min();
        placed[pos] = Some(match user {
            Some(u) => travel(e, &entries, &placed, u),
            None => {
                let (role, reason) = base_role(e);
                place(e, Some(role), Sides::of(role), reason)
            }
        });
    }
    let providers: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .filter_map(|(pos, e)| match &e.item.kind {
            ItemKind::Instance(i) if is_provider(i) => {
                Some((i.alias.as_ref()?.text.to_lowercase(), pos))
            }
            _ => None,
        })
        .collect();
    for (pos, e) in entries.iter().enumerate() {
        let ItemKind::Instance(i) = &e.item.kind else {
            continue;
        };
        if !is_registration(i) {
            continue;
        }
        let provider = match i.get("Provider").map(|v| &v.kind) {
            Some(ValueKind::Alias(a)) => providers.get(&a.to_lowercase()).copied(),
            _ => None,
        };
        placed[pos] = Some(match provider {
            Some(p) => travel(e, &entries, &placed, p),
            None => {
                let (role, reason) = base_role(e);
                place(e, Some(role), Sides::of(role), reason)
            }
        });
    }
    // Pass 4: namespace creators go wherever their namespace is used.
    for (pos, e) in entries.iter().enumerate() {
        let ItemKind::Instance(i) = &e.item.kind else {
            continue;
        };
        if !is_namespace(i) {
            continue;
        }
        let created = string_property(i, "Name").map(|name| {
            let parent = entry_namespace(e).unwrap_or_default();
            let name = name.to_lowercase();
            if parent.is_empty() {
                name
            } else {
                format!("{parent}\\{name}")
            }
        });
        let used = created.map_or(Sides::NONE, |created| {
            let below = format!("{created}\\");
            entries
                .iter()
                .zip(&placed)
                .filter_map(|(other, p)| Some((entry_namespace(other)?, p.as_ref()?)))
                .filter(|(ns, p)| {
                    p.reason != Reason::Structural && (*ns == created || ns.starts_with(&below))
                })
                .fold(Sides::NONE, |acc, (_, p)| acc.union(p.sides))
        });
        placed[pos] = Some(if used == Sides::NONE {
            let (role, reason) = base_role(e);
            place(e, Some(role), Sides::of(role), reason)
        } else {
            place(e, used.role(), used, Reason::CreatesNamespace)
        });
    }
    for (e, p) in entries.iter().zip(placed) {
        let p = p.expect("every entry is placed by one of the passes");
        layout.set(e.file, e.index, p);
    }
}

/// A placement that copies the sides of the entry at `target`.
fn travel(
    e: &Entry<'_>,
    entries: &[&Entry<'_>],
    placed: &[Option<Placement>],
    target: usize,
) -> Placement {
    let t = placed[target]
        .as_ref()
        .expect("an item travels only with an item placed before it");
    Placement {
        role: t.role,
        sides: t.sides,
        reason: Reason::TravelsWith {
            file: entries[target].file,
            index: entries[target].index,
        },
        namespace: entry_namespace(e),
    }
}

/// Who uses a provider: by namespace and provider name (`Provider("RegPropProv")` qualifiers),
/// and by alias.
struct ProviderUsers {
    by_name: BTreeMap<(String, String), usize>,
    by_alias: BTreeMap<String, usize>,
}

impl ProviderUsers {
    fn collect(entries: &[&Entry<'_>]) -> Self {
        let mut users = ProviderUsers {
            by_name: BTreeMap::new(),
            by_alias: BTreeMap::new(),
        };
        for (pos, e) in entries.iter().enumerate() {
            let mut names = Vec::new();
            let mut aliases = Vec::new();
            match &e.item.kind {
                ItemKind::Class(c) => {
                    names.extend(provider_names(&c.qualifiers));
                    for p in c.properties() {
                        names.extend(provider_names(&p.qualifiers));
                        if let Some(v) = &p.default {
                            collect_aliases(v, &mut aliases);
                        }
                    }
                }
                ItemKind::Instance(i) if !is_registration(i) => {
                    names.extend(provider_names(&i.qualifiers));
                    for pv in &i.properties {
                        names.extend(provider_names(&pv.qualifiers));
                        if let Some(v) = &pv.value {
                            collect_aliases(v, &mut aliases);
                        }
                    }
                }
                _ => {}
            }
            let ns = entry_namespace(e).unwrap_or_default();
            for n in names {
                users
                    .by_name
                    .entry((ns.clone(), n.to_lowercase()))
                    .or_insert(pos);
            }
            for a in aliases {
                users.by_alias.entry(a.to_lowercase()).or_insert(pos);
            }
        }
        users
    }
}

fn provider_names(q: &Qualifiers) -> impl Iterator<Item = String> + '_ {
    q.list
        .iter()
        .filter(|q| q.name.is("Provider"))
        .filter_map(|q| match q.value.as_ref().map(|v| &v.kind) {
            Some(ValueKind::String(s)) => Some(s.clone()),
            _ => None,
        })
}

/// Every `$Alias` referenced inside `value`.
fn collect_aliases(value: &Value, out: &mut Vec<String>) {
    match &value.kind {
        ValueKind::Alias(a) => out.push(a.clone()),
        ValueKind::Array(items) => items.iter().for_each(|v| collect_aliases(v, out)),
        ValueKind::Instance(inst) => inst
            .properties
            .iter()
            .filter_map(|p| p.value.as_ref())
            .for_each(|v| collect_aliases(v, out)),
        _ => {}
    }
}

fn string_property<'i>(instance: &'i Instance, name: &str) -> Option<&'i str> {
    match instance.get(name).map(|v| &v.kind) {
        Some(ValueKind::String(s)) => Some(s),
        _ => None,
    }
}

/// `instance of __Win32Provider` (WMI's provider object).
fn is_provider(i: &Instance) -> bool {
    i.class_name.is("__Win32Provider")
}

/// `instance of __InstanceProviderRegistration`, `__PropertyProviderRegistration`, ...
fn is_registration(i: &Instance) -> bool {
    let name = i.class_name.text.to_ascii_lowercase();
    name.starts_with("__") && name.ends_with("providerregistration")
}

/// `instance of __Namespace`.
fn is_namespace(i: &Instance) -> bool {
    i.class_name.is("__Namespace")
}

/// The class of a `#pragma deleteinstance` path: `Win32_Foo.Key="x"` or `Win32_Foo=@` (after an
/// optional `\\server\namespace:` prefix).
fn instance_path_class(path: &str) -> String {
    let path = path.trim();
    let local = if path.starts_with("\\\\") || path.starts_with("//") {
        path.split_once(':').map_or(path, |(_, rest)| rest)
    } else {
        path
    };
    local
        .split(['.', '='])
        .next()
        .unwrap_or(local)
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests;
