use super::*;

const INPUT: &str = r#"// Site customisations
#pragma namespace("\\\\.\\root\\cimv2")
instance of __Namespace { Name = "sms"; };

instance of __Win32Provider as $PropProv { Name = "RegPropProv"; };
instance of __PropertyProviderRegistration { Provider = $PropProv; SupportsGet = TRUE; };
instance of __Win32Provider as $Unused { Name = "Nobody"; };

#pragma deleteclass("Asset", NOFAIL)
// Asset tag from the registry
[DYNPROPS] class Asset { [key] string Name; string Tag; };
[DYNPROPS] instance of Asset { Name = "A";
  [PropertyContext("local|HKEY_LOCAL_MACHINE\\SOFTWARE\\X|Tag"), Dynamic, Provider("RegPropProv")] Tag; };

#pragma namespace("\\\\.\\root\\cimv2\\sms")
#pragma deleteclass("Asset", NOFAIL)
[SMS_Report(TRUE), SMS_Class_ID("CONTOSO|ASSET|1.0")]
class Asset : SMS_Class_Template { [SMS_Report(TRUE), key] string Name; };

#pragma namespace("\\\\.\\root\\WMI")
class MSStorageDriver_Info { [key] string InstanceName; };
// end
"#;

fn layout_lines(set: &SourceSet, layout: &Layout) -> Vec<String> {
    let file = FileId(0);
    set.file(file)
        .document
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let p = layout.get(file, i).unwrap();
            let label = describe(item);
            let reason = match p.reason {
                Reason::TravelsWith { index, .. } => format!("with #{index}"),
                other => format!("{other:?}").to_lowercase(),
            };
            format!(
                "#{i} {} {} -> {} ({reason})",
                label.kind,
                label.name,
                p.sides.name()
            )
        })
        .collect()
}

#[test]
fn every_item_is_placed_with_what_travels_with_it() {
    let set = SourceSet::from_sources(&[("SMS_def.mof", INPUT.as_bytes())]);
    assert!(!set.has_errors(), "{:?}", set.file(FileId(0)).errors);
    let layout = classify(&set);
    assert_eq!(
        layout_lines(&set, &layout),
        [
            r#"#0 pragma namespace("\\.\root\cimv2") -> - (structural)"#,
            "#1 instance __Namespace -> SMS_def.mof (createsnamespace)",
            "#2 instance __Win32Provider as $PropProv -> configuration.mof (with #7)",
            "#3 instance __PropertyProviderRegistration -> configuration.mof (with #2)",
            "#4 instance __Win32Provider as $Unused -> configuration.mof (namespace)",
            r#"#5 pragma deleteclass("Asset") -> configuration.mof (with #6)"#,
            "#6 class Asset -> configuration.mof (namespace)",
            "#7 instance Asset -> configuration.mof (with #6)",
            r#"#8 pragma namespace("\\.\root\cimv2\sms") -> - (structural)"#,
            r#"#9 pragma deleteclass("Asset") -> SMS_def.mof (with #10)"#,
            "#10 class Asset -> SMS_def.mof (namespace)",
            r#"#11 pragma namespace("\\.\root\WMI") -> - (structural)"#,
            "#12 class MSStorageDriver_Info -> configuration.mof (namespace)",
        ]
    );
}

#[test]
fn outputs_copy_text_and_carry_their_namespaces() {
    let set = SourceSet::from_sources(&[("SMS_def.mof", INPUT.as_bytes())]);
    let out = split(&set);
    assert_eq!(
        out.configuration,
        r#"// configuration.mof: data classes split by smsmig from SMS_def.mof
// Site customisations
#pragma namespace("\\\\.\\root\\cimv2")

instance of __Win32Provider as $PropProv { Name = "RegPropProv"; };
instance of __PropertyProviderRegistration { Provider = $PropProv; SupportsGet = TRUE; };
instance of __Win32Provider as $Unused { Name = "Nobody"; };

#pragma deleteclass("Asset", NOFAIL)
// Asset tag from the registry
[DYNPROPS] class Asset { [key] string Name; string Tag; };
[DYNPROPS] instance of Asset { Name = "A";
  [PropertyContext("local|HKEY_LOCAL_MACHINE\\SOFTWARE\\X|Tag"), Dynamic, Provider("RegPropProv")] Tag; };

#pragma namespace("\\\\.\\root\\WMI")
class MSStorageDriver_Info { [key] string InstanceName; };
// end
"#
    );
    assert_eq!(
        out.sms_def,
        r#"// SMS_def.mof: reporting classes split by smsmig from SMS_def.mof
// Site customisations
#pragma namespace("\\\\.\\root\\cimv2")
instance of __Namespace { Name = "sms"; };

#pragma namespace("\\\\.\\root\\cimv2\\sms")
#pragma deleteclass("Asset", NOFAIL)
[SMS_Report(TRUE), SMS_Class_ID("CONTOSO|ASSET|1.0")]
class Asset : SMS_Class_Template { [SMS_Report(TRUE), key] string Name; };
"#
    );
    assert!(out.notes.is_empty(), "{:?}", out.notes);
}

#[test]
fn items_without_namespace_are_placed_by_content() {
    let text = "#pragma deleteclass(\"R\", NOFAIL)\n[SMS_Report(TRUE)] class R : SMS_Class_Template { };\nclass D { };\n";
    let set = SourceSet::from_sources(&[("mini.mof", text.as_bytes())]);
    let out = split(&set);
    assert_eq!(
        out.sms_def,
        "// SMS_def.mof: reporting classes split by smsmig from mini.mof\n\
         #pragma namespace(\"\\\\\\\\.\\\\root\\\\cimv2\\\\sms\")\n\
         #pragma deleteclass(\"R\", NOFAIL)\n[SMS_Report(TRUE)] class R : SMS_Class_Template { };\n"
    );
    assert_eq!(
        out.configuration,
        "// configuration.mof: data classes split by smsmig from mini.mof\n\
         #pragma namespace(\"\\\\\\\\.\\\\root\\\\cimv2\")\nclass D { };\n"
    );
    assert_eq!(out.notes.len(), 2, "{:?}", out.notes);
}

#[test]
fn cinv2_pragmas_are_written_corrected() {
    let text = "// data\n#pragma namespace(\"\\\\\\\\.\\\\root\\\\CINV2\")\nclass D { };\n";
    let set = SourceSet::from_sources(&[("a.mof", text.as_bytes())]);
    let out = split(&set);
    assert_eq!(
        out.configuration,
        "// configuration.mof: data classes split by smsmig from a.mof\n// data\n\
         #pragma namespace(\"\\\\\\\\.\\\\root\\\\CIMV2\")\nclass D { };\n"
    );
    assert!(matches!(
        out.notes.as_slice(),
        [SplitNote::CorrectedNamespace { .. }]
    ));
}

#[test]
fn classflags_in_force_travel_with_the_class() {
    let text = "#pragma namespace(\"\\\\\\\\.\\\\root\\\\cimv2\\\\sms\")\n\
                #pragma classflags(\"forceupdate\")\n\
                #pragma namespace(\"\\\\\\\\.\\\\root\\\\cimv2\")\nclass D { };\n";
    let set = SourceSet::from_sources(&[("a.mof", text.as_bytes())]);
    let out = split(&set);
    assert!(
        out.configuration
            .contains("cimv2\")\n#pragma classflags(\"forceupdate\")\nclass D"),
        "{}",
        out.configuration
    );
}

#[test]
fn instance_path_class_names() {
    assert_eq!(instance_path_class("Win32_Foo.Name=\"a:b\""), "Win32_Foo");
    assert_eq!(instance_path_class("Win32_Foo=@"), "Win32_Foo");
    assert_eq!(
        instance_path_class(r"\\.\root\cimv2:Win32_Foo.Key=1"),
        "Win32_Foo"
    );
}

#[test]
fn effective_namespace_reads_cinv2_as_cimv2() {
    assert_eq!(
        effective_namespace(r"root\cinv2\sms"),
        (r"root\cimv2\sms".to_owned(), true)
    );
    assert_eq!(
        namespace_role(r"root\cimv2\sms\inv_temp"),
        Some(Role::Reporting)
    );
    assert_eq!(namespace_role(r"root\cimv2\smsx"), Some(Role::Data));
    assert_eq!(namespace_role(""), None);
}
