//! `SMS_Report` switches on stock classes (DESIGN §4.1): where the site's class differs from
//! the stock SMS 2003 one, the site's value is replayed onto the same class in ConfigMgr's
//! SMS_def.mof — found by `SMS_Class_ID`, then by name, because ConfigMgr renamed some
//! classes (`Win32_Processor` became `SMS_Processor`) — by replacing only the `TRUE`/`FALSE`
//! token.

use super::analyze::Plan;
use super::catalog::ClassRef;
use super::load::SMS_DEF_MOF;
use super::report::{Finding, FindingCode, Toggle};

/// One switch the site made: the property (`None` for the class) and the site's value.
struct Switch<'a> {
    property: Option<&'a str>,
    value: bool,
}

/// Compare `site` with `base`, warn about changes other than switches, and plan the switches
/// the target does not have yet.
pub(crate) fn replay<'a>(
    site: ClassRef<'a>,
    base: ClassRef<'a>,
    targets: &[ClassRef<'a>],
    plan: &mut Plan,
) {
    let switches = switches(site, base, plan);
    if switches.is_empty() {
        return;
    }
    let by_id = site.class_id().and_then(|id| {
        targets
            .iter()
            .find(|t| t.class_id().is_some_and(|i| i.eq_ignore_ascii_case(id)))
    });
    let Some(target) = by_id.or_else(|| targets.iter().find(|t| t.key() == site.key())) else {
        plan.report.warnings.push(warning(
            site.name(),
            format!(
                "{} SMS_Report change(s) on {} cannot be replayed: {SMS_DEF_MOF} has no class with \
                 its SMS_Class_ID or name",
                switches.len(),
                site.name()
            ),
        ));
        return;
    };
    let text = target.file.text();
    for switch in switches {
        let current = match switch.property {
            None => target.report(),
            Some(name) => {
                let Some(property) = target.class.properties().find(|p| p.name.is(name)) else {
                    plan.report.warnings.push(warning(
                        site.name(),
                        format!(
                            "{}.{name}: the target class {} has no such property; SMS_Report \
                             ({}) not replayed",
                            site.name(),
                            target.name(),
                            upper(switch.value)
                        ),
                    ));
                    continue;
                };
                super::catalog::bool_qualifier(&property.qualifiers, "SMS_Report")
            }
        };
        let Some((from, span)) = current else {
            plan.report.warnings.push(warning(
                site.name(),
                format!(
                    "{}{}: the target has no SMS_Report qualifier to switch",
                    target.name(),
                    switch.property.map(|p| format!(".{p}")).unwrap_or_default()
                ),
            ));
            continue;
        };
        if from == switch.value {
            continue;
        }
        plan.sms_def_replacements
            .push((span, token(switch.value, span.slice(text))));
        plan.report.toggles.push(Toggle {
            class: site.name().to_owned(),
            target_class: target.name().to_owned(),
            property: switch.property.map(str::to_owned),
            from,
            to: switch.value,
        });
    }
}

/// The class-level and property switches where `site` differs from `base`. Properties added or
/// removed are a warning: only switches are migrated for stock classes.
fn switches<'a>(site: ClassRef<'a>, base: ClassRef<'a>, plan: &mut Plan) -> Vec<Switch<'a>> {
    let mut out = Vec::new();
    if let (Some((value, _)), Some((stock, _))) = (site.report(), base.report()) {
        if value != stock {
            out.push(Switch {
                property: None,
                value,
            });
        }
    }
    let base_props = base.property_reports();
    for (name, report) in site.property_reports() {
        let stock = base_props
            .iter()
            .find(|(b, _)| b.eq_ignore_ascii_case(name))
            .and_then(|(_, r)| *r);
        if let (Some((value, _)), Some((stock, _))) = (report, stock) {
            if value != stock {
                out.push(Switch {
                    property: Some(name),
                    value,
                });
            }
        }
    }
    let added: Vec<&str> = site
        .property_reports()
        .into_iter()
        .map(|(n, _)| n)
        .filter(|n| !base.has_property(n))
        .collect();
    let removed: Vec<&str> = base_props
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| !site.has_property(n))
        .collect();
    if !added.is_empty() || !removed.is_empty() {
        let mut parts = Vec::new();
        if !added.is_empty() {
            parts.push(format!("adds {}", added.join(", ")));
        }
        if !removed.is_empty() {
            parts.push(format!("removes {}", removed.join(", ")));
        }
        plan.report.warnings.push(Finding {
            code: FindingCode::StockClassModified,
            class: site.name().to_owned(),
            message: format!(
                "the site's {} {} compared with the stock class; only SMS_Report switches are \
                 migrated for stock classes",
                site.name(),
                parts.join(" and ")
            ),
            forced: false,
        });
    }
    out
}

fn warning(class: &str, message: String) -> Finding {
    Finding {
        code: FindingCode::ToggleUnmatched,
        class: class.to_owned(),
        message,
        forced: false,
    }
}

fn upper(value: bool) -> &'static str {
    if value {
        "TRUE"
    } else {
        "FALSE"
    }
}

/// The new token for `value`, in the letter case of the token it replaces (`TRUE`, `true`,
/// `True`).
pub(crate) fn token(value: bool, replaced: &str) -> String {
    let word = upper(value);
    if replaced.chars().all(|c| !c.is_ascii_lowercase()) {
        word.to_owned()
    } else if replaced.chars().all(|c| !c.is_ascii_uppercase()) {
        word.to_lowercase()
    } else {
        let lower = word.to_lowercase();
        let mut chars = lower.chars();
        chars
            .next()
            .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_keeps_the_letter_case() {
        assert_eq!(token(true, "FALSE"), "TRUE");
        assert_eq!(token(false, "true"), "false");
        assert_eq!(token(true, "False"), "True");
    }
}
