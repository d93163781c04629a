//! The findings of a migration (DESIGN §4.1): which classes the site added, which stock
//! switches it flipped, what conflicts with the target, and from that the plan of what to
//! insert, replace and toggle.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use smsmig_mof::split::{effective_namespace, Role};
use smsmig_mof::Span;

use super::catalog::{class_id_vendor, classes, ClassRef, CIMV2};
use super::load::{MofFile, Sources, Target, CONFIGURATION_MOF, SMS_DEF_MOF};
use super::report::{ClassStatus, CustomClass, Finding, FindingCode, Report};
use super::travel::{bundle, Bundle};
use super::Options;

/// What to do to the target, and why.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The findings.
    pub(crate) report: Report,
    /// Data classes to insert into configuration.mof, in input order.
    pub(crate) data: Vec<Bundle>,
    /// Reporting classes to insert into SMS_def.mof, in input order.
    pub(crate) reporting: Vec<Bundle>,
    /// Forced replacements of a target class in configuration.mof (source line breaks).
    pub(crate) configuration_replacements: Vec<(Span, String)>,
    /// Toggle tokens and forced replacements in SMS_def.mof.
    pub(crate) sms_def_replacements: Vec<(Span, String)>,
}

/// The data and reporting classes of one name across the site's files.
#[derive(Default)]
struct Group<'a> {
    data: Vec<ClassRef<'a>>,
    reporting: Vec<ClassRef<'a>>,
}

/// What becomes of one half of a custom class.
enum Half<'a> {
    /// Not in the target: insert it.
    Add,
    /// In the target with the same definition.
    Present,
    /// In the target with a different definition: replace it only when forced.
    Replace(ClassRef<'a>),
}

/// The target's classes, by role.
struct TargetClasses<'a> {
    data: Vec<ClassRef<'a>>,
    reporting: Vec<ClassRef<'a>>,
}

impl<'a> TargetClasses<'a> {
    fn of(target: &'a Target) -> Self {
        Self {
            data: classes(&target.configuration)
                .into_iter()
                .filter(|c| c.role == Role::Data)
                .collect(),
            reporting: classes(&target.sms_def)
                .into_iter()
                .filter(|c| c.role == Role::Reporting)
                .collect(),
        }
    }

    fn reporting_named(&self, key: &str) -> Option<ClassRef<'a>> {
        self.reporting.iter().find(|c| c.key() == key).copied()
    }

    fn data_named(&self, key: &str, namespace: Option<&str>) -> Option<ClassRef<'a>> {
        self.data
            .iter()
            .find(|c| c.key() == key && namespace.is_none_or(|ns| c.namespace() == ns))
            .copied()
    }
}

/// Analyse the site's files against the baseline and the target.
pub(crate) fn analyze(sources: &Sources, target: &Target, options: &Options) -> Plan {
    let mut plan = Plan {
        report: Report::new(),
        data: Vec::new(),
        reporting: Vec::new(),
        configuration_replacements: Vec::new(),
        sms_def_replacements: Vec::new(),
    };
    let targets = TargetClasses::of(target);
    let baseline: Option<Vec<ClassRef<'_>>> = sources.baseline.as_ref().map(classes);
    if baseline.is_none() {
        plan.report.warnings.push(finding(
            FindingCode::NoBaseline,
            "",
            "no --baseline given: custom classes are told from stock ones by the vendor of their \
             SMS_Class_ID, and SMS_Report switches on stock classes are not replayed"
                .to_owned(),
        ));
    }
    for file in sources.inputs() {
        namespace_typos(file, &mut plan.report);
    }
    let mut groups: IndexMap<String, Group<'_>> = IndexMap::new();
    for class in sources.inputs().flat_map(classes) {
        let group = groups.entry(class.key()).or_default();
        match class.role {
            Role::Data => group.data.push(class),
            Role::Reporting => group.reporting.push(class),
        }
    }
    let mut custom_names = BTreeSet::new();
    for group in groups.values() {
        let custom = match &baseline {
            Some(base) => is_custom_against(group, base),
            None => is_custom_by_vendor(group),
        };
        if custom {
            custom_class(group, &targets, options, &mut plan);
            custom_names.insert(group_name(group).to_lowercase());
        } else {
            stock_class(group, baseline.as_deref(), &targets, &mut plan);
        }
    }
    for name in &options.force {
        if !custom_names.contains(&name.to_lowercase()) {
            plan.report.warnings.push(finding(
                FindingCode::ForceUnused,
                name,
                format!("--force {name} names no custom class of the site"),
            ));
        }
    }
    plan
}

fn finding(code: FindingCode, class: &str, message: String) -> Finding {
    Finding {
        code,
        class: class.to_owned(),
        message,
        forced: false,
    }
}

fn group_name<'a>(group: &Group<'a>) -> &'a str {
    group
        .reporting
        .first()
        .or(group.data.first())
        .map_or("", ClassRef::name)
}

/// With a baseline: custom when the baseline has no class of that name in the same role (the
/// reporting class decides when there is one).
fn is_custom_against(group: &Group<'_>, baseline: &[ClassRef<'_>]) -> bool {
    let (role, key) = match (group.reporting.first(), group.data.first()) {
        (Some(r), _) => (Role::Reporting, r.key()),
        (None, Some(d)) => (Role::Data, d.key()),
        (None, None) => return false,
    };
    !baseline.iter().any(|b| b.role == role && b.key() == key)
}

/// Without a baseline: custom unless the reporting class's `SMS_Class_ID` vendor is
/// `MICROSOFT`; a data class nothing reports is custom.
fn is_custom_by_vendor(group: &Group<'_>) -> bool {
    match group.reporting.first() {
        Some(r) => !r
            .class_id()
            .is_some_and(|id| class_id_vendor(id).eq_ignore_ascii_case("MICROSOFT")),
        None => true,
    }
}

/// One definition of a class from several files: identical copies collapse into the first;
/// different ones are a conflict (the last wins when forced).
fn pick<'a>(refs: &[ClassRef<'a>], conflicts: &mut Vec<Finding>) -> Option<ClassRef<'a>> {
    let first = *refs.first()?;
    let signature = first.signature();
    let differing: Vec<&ClassRef<'a>> =
        refs.iter().filter(|r| r.signature() != signature).collect();
    if differing.is_empty() {
        return Some(first);
    }
    let files: BTreeSet<String> = refs.iter().map(|r| r.file.file_name()).collect();
    let role = if first.role == Role::Data {
        "data"
    } else {
        "reporting"
    };
    conflicts.push(finding(
        FindingCode::DuplicateDefinition,
        first.name(),
        format!(
            "the {role} class {} is defined differently in {}",
            first.name(),
            files.into_iter().collect::<Vec<_>>().join(", ")
        ),
    ));
    refs.last().copied()
}

/// Find and plan one custom class.
fn custom_class<'a>(
    group: &Group<'a>,
    targets: &TargetClasses<'a>,
    options: &Options,
    plan: &mut Plan,
) {
    let mut conflicts = Vec::new();
    let reporting = pick(&group.reporting, &mut conflicts);
    let hint = reporting.and_then(|r| r.data_namespace_hint());
    let data_refs: Vec<ClassRef<'a>> = match &hint {
        Some(ns) if group.data.iter().any(|d| &d.namespace() == ns) => group
            .data
            .iter()
            .filter(|d| &d.namespace() == ns)
            .copied()
            .collect(),
        _ => group.data.clone(),
    };
    let data = pick(&data_refs, &mut conflicts);
    let name = reporting.or(data).map_or("", |c| c.name()).to_owned();
    let data_half = data.map(
        |d| match targets.data_named(&d.key(), Some(&d.namespace())) {
            Some(t) if t.signature() == d.signature() => Half::Present,
            Some(t) => {
                conflicts.push(finding(
                    FindingCode::NameExists,
                    &name,
                    format!(
                        "{CONFIGURATION_MOF} already defines {} in {} differently",
                        t.name(),
                        d.namespace()
                    ),
                ));
                Half::Replace(t)
            }
            None => Half::Add,
        },
    );
    let reporting_half = reporting.map(|r| match targets.reporting_named(&r.key()) {
        Some(t) if t.signature() == r.signature() => Half::Present,
        Some(t) => {
            conflicts.push(finding(
                FindingCode::NameExists,
                &name,
                format!("{SMS_DEF_MOF} already defines {} differently", t.name()),
            ));
            Half::Replace(t)
        }
        None => Half::Add,
    });
    if let (Some(r), Some(half)) = (reporting, &reporting_half) {
        if !matches!(half, Half::Present) {
            check_reporting(r, data, hint.as_deref(), targets, &mut conflicts, plan);
        }
    }
    if reporting.is_none() {
        plan.report.warnings.push(finding(
            FindingCode::NoReportingClass,
            &name,
            format!("no reporting class reports {name}: clients will compile it but inventory will not collect it"),
        ));
    }
    let forced = options.is_forced(&name);
    let has_conflicts = !conflicts.is_empty();
    let status = if has_conflicts && !forced {
        ClassStatus::Conflict
    } else {
        let mut changed = false;
        if let (Some(d), Some(half)) = (data, &data_half) {
            changed |= place(
                d,
                half,
                &mut plan.data,
                &mut plan.configuration_replacements,
            );
        }
        if let (Some(r), Some(half)) = (reporting, &reporting_half) {
            changed |= place(r, half, &mut plan.reporting, &mut plan.sms_def_replacements);
        }
        match (has_conflicts, changed) {
            (true, _) => ClassStatus::Forced,
            (false, true) => ClassStatus::Add,
            (false, false) => ClassStatus::Present,
        }
    };
    for mut c in conflicts {
        c.forced = forced;
        plan.report.conflicts.push(c);
    }
    plan.report.custom_classes.push(CustomClass {
        name,
        namespace: data
            .map(|d| d.namespace())
            .or(hint)
            .unwrap_or_else(|| CIMV2.to_owned()),
        class_id: reporting.and_then(|r| r.class_id()).map(str::to_owned),
        data: data.is_some(),
        reporting: reporting.is_some(),
        status,
        source: reporting
            .or(data)
            .map(|c| c.file.file_name())
            .unwrap_or_default(),
    });
}

/// Queue one half for insertion or replacement; true when the target changes.
fn place(
    class: ClassRef<'_>,
    half: &Half<'_>,
    inserts: &mut Vec<Bundle>,
    replacements: &mut Vec<(Span, String)>,
) -> bool {
    match half {
        Half::Add => {
            inserts.push(bundle(&class));
            true
        }
        Half::Present => false,
        Half::Replace(existing) => {
            replacements.push((existing.item.span, class.text().to_owned()));
            true
        }
    }
}

/// The checks on a reporting class about to be added: its `SMS_Class_ID` is free in the
/// target, and its data class (from the inputs, else the target) has every property it reports.
fn check_reporting<'a>(
    reporting: ClassRef<'a>,
    data: Option<ClassRef<'a>>,
    hint: Option<&str>,
    targets: &TargetClasses<'a>,
    conflicts: &mut Vec<Finding>,
    plan: &mut Plan,
) {
    let name = reporting.name();
    if let Some(id) = reporting.class_id() {
        let other = targets.reporting.iter().find(|t| {
            t.key() != reporting.key() && t.class_id().is_some_and(|i| i.eq_ignore_ascii_case(id))
        });
        if let Some(other) = other {
            conflicts.push(finding(
                FindingCode::ClassIdExists,
                name,
                format!(
                    "SMS_Class_ID \"{id}\" is already used by {} in {SMS_DEF_MOF}",
                    other.name()
                ),
            ));
        }
    }
    let data = data.or_else(|| targets.data_named(&reporting.key(), hint));
    let Some(data) = data else {
        plan.report.warnings.push(finding(
            FindingCode::NoDataClass,
            name,
            format!(
                "no data class {name} in the inputs or in {CONFIGURATION_MOF}: the reporting class \
                 only works on clients that already have this WMI class"
            ),
        ));
        return;
    };
    let missing: Vec<&str> = reporting
        .class
        .properties()
        .map(|p| p.name.text.as_str())
        .filter(|p| !data.has_property(p))
        .collect();
    if !missing.is_empty() {
        conflicts.push(finding(
            FindingCode::PropertyMissing,
            name,
            format!(
                "the reporting class reports {} that its data class (in {}) does not have",
                missing.join(", "),
                data.file.file_name()
            ),
        ));
    }
}

/// A stock class: with a baseline, replay its `SMS_Report` switches and warn about other
/// changes; without one, warn when the target has no class of that name.
fn stock_class<'a>(
    group: &Group<'a>,
    baseline: Option<&[ClassRef<'a>]>,
    targets: &TargetClasses<'a>,
    plan: &mut Plan,
) {
    let Some(site) = group.reporting.last().copied() else {
        return;
    };
    let Some(baseline) = baseline else {
        if targets.reporting_named(&site.key()).is_none() {
            let by_id = site.class_id().and_then(|id| {
                targets
                    .reporting
                    .iter()
                    .find(|t| t.class_id().is_some_and(|i| i.eq_ignore_ascii_case(id)))
            });
            let note = by_id.map_or_else(String::new, |t| {
                format!(" (its SMS_Class_ID is used by {})", t.name())
            });
            plan.report.warnings.push(finding(
                FindingCode::StockClassUnmatched,
                site.name(),
                format!(
                    "{} is taken as stock (vendor MICROSOFT) but {SMS_DEF_MOF} has no class of that \
                     name{note}; give --baseline to tell whether the site added it",
                    site.name()
                ),
            ));
        }
        return;
    };
    let Some(base) = baseline
        .iter()
        .find(|b| b.role == Role::Reporting && b.key() == site.key())
        .copied()
    else {
        return;
    };
    super::toggle::replay(site, base, &targets.reporting, plan);
}

/// Warn once per file that spells `root\cimv2` as `root\cinv2`.
fn namespace_typos(file: &MofFile, report: &mut Report) {
    let typo = file.document.items.iter().find_map(|item| {
        let ns = item.namespace.as_ref()?;
        effective_namespace(&ns.normalized)
            .1
            .then(|| ns.raw.clone())
    });
    if let Some(raw) = typo {
        report.warnings.push(finding(
            FindingCode::NamespaceTypo,
            "",
            format!(
                "{} uses the namespace {raw}, read as root\\cimv2 (the CINV2 misspelling)",
                file.file_name()
            ),
        ));
    }
}
