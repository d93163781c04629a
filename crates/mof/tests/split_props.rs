//! Property test of the split: for generated SMS-style MOF files that check without errors
//! (namespace pragmas including the `cinv2` misspelling and `""`, data and reporting classes,
//! deleteclass pragmas, DYNPROPS instances, providers with their registrations, namespace
//! creators, classflags, comments, items before any namespace pragma), both outputs check
//! without errors, every class lands exactly once in its namespace, and every copied item is
//! there verbatim.

use std::collections::BTreeMap;

use proptest::prelude::*;
use smsmig_mof::check::{check, error_count};
use smsmig_mof::include::SourceSet;
use smsmig_mof::split::{classify, split};
use smsmig_mof::ItemKind;

const NAMESPACES: &[&str] = &[
    r#"#pragma namespace("\\\\.\\root\\cimv2")"#,
    r#"#pragma namespace("\\\\.\\root\\cimv2\\sms")"#,
    r#"#pragma namespace("\\\\.\\root\\WMI")"#,
    r#"#pragma namespace("\\\\.\\root\\CINV2")"#,
    r#"#pragma namespace("\\\\.\\root\\CINV2\\SMS")"#,
    r#"#pragma namespace("")"#,
];

/// One generated snippet: `kind` picks the construct, `n` makes its names unique.
fn snippet(kind: u8, pick: u8, n: usize, nl: &str) -> String {
    match kind % 10 {
        0 => NAMESPACES[usize::from(pick) % NAMESPACES.len()].to_owned(),
        1 => format!("// data class {n}{nl}[DYNPROPS]{nl}class D{n}{nl}{{{nl}    [key] string K;{nl}    uint32 V = {pick};{nl}}};"),
        2 => format!(
            "[SMS_Report(TRUE), SMS_Group_Name(\"G{n}\"), SMS_Class_ID(\"V|N{n}|1.0\")]{nl}\
             class R{n} : SMS_Class_Template{nl}{{{nl}    [SMS_Report(TRUE), key] string K;{nl}}};"
        ),
        3 => format!("#pragma deleteclass(\"D{}\", NOFAIL){nl}class D{n} {{ [key] string K; }};", n),
        4 => format!(
            "[DYNPROPS]{nl}instance of D{pick}{nl}{{{nl}    K = \"k{n}\";{nl}    \
             [PropertyContext(\"local|HKEY_LOCAL_MACHINE\\\\SOFTWARE\\\\X|V\"), Dynamic, Provider(\"RegPropProv\")] V;{nl}}};"
        ),
        5 => format!(
            "instance of __Win32Provider as $P{n} {{ Name = \"RegPropProv\"; }};{nl}\
             instance of __PropertyProviderRegistration {{ Provider = $P{n}; SupportsGet = TRUE; }};"
        ),
        6 => format!("instance of __Namespace {{ Name = \"N{n}\"; }};"),
        7 => "#pragma classflags(\"forceupdate\")".to_owned(),
        8 => format!("/* comment {n} */"),
        _ => format!(
            "#pragma deleteclass(\"R{n}\", NOFAIL){nl}[SMS_Report(FALSE), SMS_Class_ID(\"V|R{n}|1.0\")]{nl}\
             class R{n} : SMS_Class_Template {{ [key] string K; }};"
        ),
    }
}

fn classes(set: &SourceSet) -> BTreeMap<(String, String), usize> {
    let layout = classify(set);
    let mut out = BTreeMap::new();
    for id in set.ids() {
        for (i, item) in set.file(id).document.items.iter().enumerate() {
            if let ItemKind::Class(c) = &item.kind {
                let ns = layout
                    .get(id, i)
                    .and_then(|p| p.namespace.clone())
                    .filter(|ns| !ns.is_empty());
                let reporting = c.superclass.is_some();
                // No namespace in force: the split writes it under the side's default.
                let ns = ns.unwrap_or_else(|| {
                    if reporting {
                        r"root\cimv2\sms"
                    } else {
                        r"root\cimv2"
                    }
                    .to_owned()
                });
                *out.entry((ns, c.name.text.clone())).or_default() += 1;
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn split_outputs_check_clean_and_keep_every_class(
        parts in prop::collection::vec((any::<u8>(), any::<u8>()), 1..30),
        crlf in any::<bool>(),
    ) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let text: String = parts
            .iter()
            .enumerate()
            .map(|(n, &(kind, pick))| snippet(kind, pick % 8, n, nl) + nl)
            .collect();
        let set = SourceSet::from_sources(&[("in.mof", text.as_bytes())]);
        prop_assume!(error_count(&check(&set)) == 0);

        let result = split(&set);
        let conf = SourceSet::from_sources(&[("configuration.mof", result.configuration.as_bytes())]);
        let sms = SourceSet::from_sources(&[("SMS_def.mof", result.sms_def.as_bytes())]);
        for (name, out) in [("configuration", &conf), ("sms_def", &sms)] {
            let diags = check(out);
            prop_assert_eq!(error_count(&diags), 0, "{} has errors: {:?}\n{}", name, diags, text);
        }

        let mut outputs = classes(&conf);
        for (k, v) in classes(&sms) {
            *outputs.entry(k).or_default() += v;
        }
        prop_assert_eq!(outputs, classes(&set), "{}", text);

        let file = &set.files()[0];
        for (i, item) in file.document.items.iter().enumerate() {
            let p = result.layout.get(smsmig_mof::diagnostic::FileId(0), i).unwrap();
            let slice = item.span.slice(file.text());
            if p.sides.configuration {
                prop_assert!(result.configuration.contains(slice), "item {} missing", i);
            }
            if p.sides.sms_def {
                prop_assert!(result.sms_def.contains(slice), "item {} missing", i);
            }
        }
    }
}
