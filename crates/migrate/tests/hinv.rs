//! Hardware-inventory migration on the `testdata/hinv` scenario and on small inline cases:
//! findings, the applied files, idempotency, nothing lost, encodings and namespaces.

use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use smsmig_migrate::hinv::{
    migrate, ClassStatus, FileChange, FindingCode, Migration, MofFile, Options, Sources, Target,
};
use smsmig_mof::edit::TextEdit;

mod common;

use common::settings;

fn scenario() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/hinv")
}

fn sources(baseline: bool) -> Sources {
    let root = scenario();
    Sources::load(
        &root.join("site/SMS_def.mof"),
        &[root.join("site/minimofs")],
        baseline
            .then(|| root.join("baseline/SMS_def.mof"))
            .as_deref(),
    )
    .unwrap()
}

fn target() -> Target {
    Target::load(&scenario().join("target")).unwrap()
}

/// The target after writing `migration`'s files, as the next run would read it.
fn applied(target: &Target, migration: &Migration) -> Target {
    Target {
        dir: target.dir.clone(),
        configuration: MofFile::from_bytes(
            target.configuration.path.clone(),
            &migration.configuration.encoded(),
        )
        .unwrap(),
        sms_def: MofFile::from_bytes(target.sms_def.path.clone(), &migration.sms_def.encoded())
            .unwrap(),
    }
}

/// Undo `change`'s edits on its new text, locating each edit by the size changes before it,
/// and return the result with the replaced originals: the inverse of applying, computed
/// independently of `edit::apply`.
fn unapply(change: &FileChange) -> (String, Vec<(String, String)>) {
    let mut edits: Vec<&TextEdit> = change.edits.iter().collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut restored = String::new();
    let mut replaced = Vec::new();
    let mut shift: isize = 0;
    let mut cursor_new = 0;
    for edit in edits {
        let start_new = (edit.span.start as isize + shift) as usize;
        let end_new = start_new + edit.text.len();
        assert_eq!(
            &change.new_text[start_new..end_new],
            edit.text,
            "edit text in place"
        );
        restored.push_str(&change.new_text[cursor_new..start_new]);
        let original = edit.span.slice(&change.old_text);
        restored.push_str(original);
        replaced.push((original.to_owned(), edit.text.clone()));
        cursor_new = end_new;
        shift += edit.text.len() as isize - edit.span.len() as isize;
    }
    restored.push_str(&change.new_text[cursor_new..]);
    (restored, replaced)
}

/// Every line break in `text` is `\r\n`.
fn all_crlf(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| match b {
        b'\n' => i > 0 && bytes[i - 1] == b'\r',
        b'\r' => bytes.get(i + 1) == Some(&b'\n'),
        _ => true,
    })
}

/// A file's new text for a snapshot: a header with its encoding, then the text with CRLF shown
/// as LF (the header and [`all_crlf`] assertions cover the line endings).
fn file_snapshot(change: &FileChange) -> String {
    let crlf = all_crlf(&change.new_text);
    format!(
        "## {} ({}, line endings: {})\n\n{}",
        change.path.file_name().unwrap().to_string_lossy(),
        change.encoding(),
        if crlf { "crlf" } else { "as written" },
        change.new_text.replace("\r\n", "\n")
    )
}

#[test]
fn scenario_findings_and_applied_files() {
    let target = target();
    let migration = migrate(&sources(true), &target, &Options::default()).unwrap();
    let report = &migration.report;
    settings().bind(|| {
        insta::assert_snapshot!(
            "hinv_scenario_report",
            serde_json::to_string_pretty(report).unwrap()
        );
        insta::assert_snapshot!(
            "hinv_scenario_configuration_mof",
            file_snapshot(&migration.configuration)
        );
        insta::assert_snapshot!(
            "hinv_scenario_sms_def_mof",
            file_snapshot(&migration.sms_def)
        );
    });
    let codes: Vec<FindingCode> = report.conflicts.iter().map(|c| c.code).collect();
    assert_eq!(
        codes,
        [
            FindingCode::NameExists,
            FindingCode::NameExists,
            FindingCode::ClassIdExists,
            FindingCode::PropertyMissing
        ]
    );
    assert_eq!(report.count(ClassStatus::Add), 4);
    assert_eq!(report.count(ClassStatus::Conflict), 3);
    // Win32_Processor in SMS 2003 is SMS_Processor in ConfigMgr: matched by SMS_Class_ID.
    assert!(report
        .toggles
        .iter()
        .any(|t| t.class == "Win32_Processor" && t.target_class == "SMS_Processor"));
}

#[test]
fn target_encoding_bom_and_newlines_are_kept() {
    let root = scenario();
    let target = target();
    let migration = migrate(&sources(true), &target, &Options::default()).unwrap();
    let original = fs::read(root.join("target/configuration.mof")).unwrap();
    assert_eq!(&original[..2], [0xFF, 0xFE], "fixture is UTF-16LE with BOM");
    let bytes = migration.configuration.encoded();
    assert_eq!(&bytes[..2], [0xFF, 0xFE]);
    assert_eq!(bytes.len() % 2, 0);
    let units: Vec<u16> = bytes[2..]
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let decoded = String::from_utf16(&units).unwrap();
    assert_eq!(decoded, migration.configuration.new_text);
    assert!(all_crlf(&decoded), "configuration.mof stays CRLF");
    let sms_def = migration.sms_def.encoded();
    assert!(sms_def.is_ascii(), "SMS_def.mof stays single-byte");
    assert!(
        all_crlf(&migration.sms_def.new_text),
        "SMS_def.mof stays CRLF"
    );
    // An unchanged target encodes back to its own bytes.
    assert_eq!(
        target
            .configuration
            .source
            .encode(target.configuration.text()),
        original
    );
}

#[test]
fn second_run_finds_nothing_to_do() {
    let target = target();
    let sources = sources(true);
    let first = migrate(&sources, &target, &Options::default()).unwrap();
    assert!(first.has_changes());
    let second = migrate(&sources, &applied(&target, &first), &Options::default()).unwrap();
    assert!(!second.has_changes(), "{:#?}", second.configuration.edits);
    assert!(second.report.toggles.is_empty());
    assert_eq!(second.report.count(ClassStatus::Add), 0);
    // Conflicts stay conflicts: never merged silently, also not on the second run.
    assert_eq!(second.report.count(ClassStatus::Conflict), 3);
}

#[test]
fn forced_conflicts_merge_and_then_settle() {
    let target = target();
    let sources = sources(true);
    let options = Options {
        force: vec![
            "win32reg_addremoveprograms64".into(),
            "Contoso_DiskQuota".into(),
            "Contoso_VirusScan".into(),
        ],
    };
    let first = migrate(&sources, &target, &options).unwrap();
    assert_eq!(first.report.count(ClassStatus::Forced), 3);
    assert!(first.report.conflicts.iter().all(|c| c.forced));
    assert_eq!(first.report.open_conflicts().count(), 0);
    // The site's ARP64 definition replaces the target's, in place.
    assert!(first.configuration.new_text.contains("InstallLocation"));
    assert_eq!(
        first
            .configuration
            .new_text
            .matches("class Win32Reg_AddRemovePrograms64")
            .count(),
        1
    );
    let second = migrate(&sources, &applied(&target, &first), &options).unwrap();
    assert!(!second.has_changes());
    assert!(second.report.conflicts.is_empty());
    assert_eq!(second.report.count(ClassStatus::Present), 7);
}

#[test]
fn nothing_is_lost() {
    let target = target();
    let migration = migrate(&sources(true), &target, &Options::default()).unwrap();
    let after = applied(&target, &migration);
    let has_class =
        |file: &MofFile, name: &str| file.document.classes().any(|(_, c)| c.name.is(name));
    for class in &migration.report.custom_classes {
        let conflicted = migration
            .report
            .conflicts
            .iter()
            .any(|c| c.class == class.name);
        let data_in = !class.data || has_class(&after.configuration, &class.name);
        let reporting_in = !class.reporting || has_class(&after.sms_def, &class.name);
        assert!(
            conflicted || (data_in && reporting_in),
            "{} is neither migrated nor reported as a conflict",
            class.name
        );
    }
    // Outside the edits, the target's text is untouched; configuration.mof only gains text and
    // SMS_def.mof changes only TRUE/FALSE tokens besides the appended classes.
    let (restored, replaced) = unapply(&migration.configuration);
    assert_eq!(restored, target.configuration.text());
    assert!(replaced.iter().all(|(old, _)| old.is_empty()));
    let (restored, replaced) = unapply(&migration.sms_def);
    assert_eq!(restored, target.sms_def.text());
    for (old, new) in replaced.iter().filter(|(old, _)| !old.is_empty()) {
        assert!(
            ["TRUE", "FALSE"].contains(&old.as_str()) && ["TRUE", "FALSE"].contains(&new.as_str()),
            "{old:?} -> {new:?}"
        );
    }
}

#[test]
fn without_baseline_vendor_decides_and_toggles_are_not_guessed() {
    let migration = migrate(&sources(false), &target(), &Options::default()).unwrap();
    let report = &migration.report;
    settings().bind(|| {
        insta::assert_snapshot!(
            "hinv_no_baseline_report",
            serde_json::to_string_pretty(report).unwrap()
        );
    });
    assert!(report.toggles.is_empty());
    assert!(report
        .warnings
        .iter()
        .any(|w| w.code == FindingCode::NoBaseline));
    // The MICROSOFT-vendor class ID makes Contoso_DiskQuota look stock: it is not silently
    // dropped, a warning names it.
    assert!(report
        .warnings
        .iter()
        .any(|w| w.code == FindingCode::StockClassUnmatched && w.class == "Contoso_DiskQuota"));
}

// ---- small inline cases -------------------------------------------------------------------

fn mof(name: &str, text: &str) -> MofFile {
    MofFile::from_bytes(name, text.as_bytes()).unwrap()
}

fn inline(site: &str, configuration: &str, sms_def: &str) -> Migration {
    let sources = Sources {
        site: mof("SMS_def.mof", site),
        minis: Vec::new(),
        baseline: None,
    };
    let target = Target {
        dir: PathBuf::from("hinv"),
        configuration: mof("configuration.mof", configuration),
        sms_def: mof("SMS_def.mof", sms_def),
    };
    migrate(&sources, &target, &Options::default()).unwrap()
}

const SITE_PAIR: &str = "#pragma namespace (\"\\\\\\\\.\\\\root\\\\cimv2\")\n\
[dynamic, provider(\"RegProv\"), ClassContext(\"local|HKEY_LOCAL_MACHINE\\\\SOFTWARE\\\\X\")]\n\
class X_Data\n{\n    [key] string Name;\n};\n\n\
#pragma namespace (\"\\\\\\\\.\\\\root\\\\cimv2\\\\sms\")\n\
[SMS_Report(TRUE), SMS_Group_Name(\"X\"), SMS_Class_ID(\"ACME|X|1.0\")]\n\
class X_Data : SMS_Class_Template\n{\n    [SMS_Report(TRUE), key] string Name;\n};\n";

const SMS_DEF: &str = "#pragma namespace (\"\\\\\\\\.\\\\root\\\\cimv2\\\\sms\")\n\
[abstract] class SMS_Class_Template {};\n";

#[test]
fn no_pragma_when_the_namespace_in_force_matches() {
    let configuration = "// stock\n#pragma namespace (\"\\\\\\\\.\\\\root\\\\cimv2\")\nclass A { [key] string K; };\n";
    let m = inline(SITE_PAIR, configuration, SMS_DEF);
    let added = &m.configuration.new_text[configuration.len()..];
    assert!(!added.contains("#pragma namespace"), "{added}");
    assert!(
        added.starts_with("\n// smsmig: migrated from SMS_def.mof\n"),
        "{added:?}"
    );
    let reporting = &m.sms_def.new_text[SMS_DEF.len()..];
    assert!(!reporting.contains("#pragma namespace"), "{reporting}");
}

#[test]
fn explicit_pragma_when_the_file_ends_in_another_namespace() {
    let configuration = "#pragma namespace (\"\\\\\\\\.\\\\root\\\\cimv2\")\nclass A { };\n\
#pragma namespace (\"\\\\\\\\.\\\\root\\\\ccm\\\\invagt\")\nclass B { };";
    let m = inline(SITE_PAIR, configuration, SMS_DEF);
    let added = &m.configuration.new_text[configuration.len()..];
    // No final newline in the target: the insertion starts a new line and leaves a blank one.
    assert!(
        added.starts_with("\n\n#pragma namespace (\"\\\\\\\\.\\\\root\\\\cimv2\")\n"),
        "{added:?}"
    );
    // Nothing follows the end of the file, so nothing is restored.
    assert_eq!(added.matches("#pragma namespace").count(), 1);
}

#[test]
fn mid_file_region_restores_the_namespace_for_what_follows() {
    let configuration = "#pragma namespace (\"\\\\\\\\.\\\\root\\\\wmi\")\r\n\
class W { };\r\n\r\n\
//====================\r\n// Added extensions start\r\n//====================\r\n\r\n\
//====================\r\n// Added extensions end\r\n//====================\r\n\r\n\
class AfterRegion { };\r\n";
    let m = inline(SITE_PAIR, configuration, SMS_DEF);
    let new = &m.configuration.new_text;
    let start = new.find("// Added extensions start").unwrap();
    let end = new
        .find("//====================\r\n// Added extensions end")
        .unwrap();
    let region = &new[start..end];
    assert!(region.contains("class X_Data"));
    assert!(region.contains("#pragma namespace (\"\\\\\\\\.\\\\root\\\\cimv2\")\r\n"));
    // The class after the region still compiles into root\wmi.
    assert!(
        region
            .trim_end()
            .ends_with("#pragma namespace (\"\\\\\\\\.\\\\root\\\\wmi\")"),
        "{region}"
    );
    assert!(all_crlf(new));
    let reparsed = smsmig_mof::parse(new);
    assert!(reparsed.errors.is_empty());
    let after = reparsed
        .document
        .classes()
        .find(|(_, c)| c.name.is("AfterRegion"))
        .unwrap()
        .0;
    assert_eq!(after.namespace.as_ref().unwrap().normalized, "root\\wmi");
}

#[test]
fn identical_duplicates_collapse_and_different_ones_conflict() {
    let site = format!("{SITE_PAIR}\n{SITE_PAIR}");
    let m = inline(&site, "", SMS_DEF);
    assert_eq!(m.report.custom_classes.len(), 1);
    assert!(m.report.conflicts.is_empty());
    assert_eq!(m.configuration.new_text.matches("class X_Data").count(), 1);
    let changed = SITE_PAIR.replace(
        "[key] string Name;\n};\n\n#pragma",
        "[key] string Name;\n    string Extra;\n};\n\n#pragma",
    );
    let m = inline(&format!("{SITE_PAIR}\n{changed}"), "", SMS_DEF);
    assert_eq!(m.report.conflicts[0].code, FindingCode::DuplicateDefinition);
    assert!(!m.has_changes());
}

#[test]
fn toggle_keeps_the_token_case_and_nothing_else() {
    let base = "#pragma namespace(\"root\\\\cimv2\\\\sms\")\n\
[SMS_Report(false), SMS_Class_ID(\"MICROSOFT|T|1.0\")] class T : SMS_Class_Template { [SMS_Report(false), key] string K; };\n";
    let site = base.replacen("SMS_Report(false)", "SMS_Report(true)", 1);
    let sources = Sources {
        site: mof("SMS_def.mof", &site),
        minis: Vec::new(),
        baseline: Some(mof("stock.mof", base)),
    };
    let target = Target {
        dir: PathBuf::from("hinv"),
        configuration: mof("configuration.mof", ""),
        sms_def: mof("SMS_def.mof", &base.replace("class T", "class T_Renamed")),
    };
    let m = migrate(&sources, &target, &Options::default()).unwrap();
    assert_eq!(m.report.toggles.len(), 1);
    assert_eq!(m.report.toggles[0].target_class, "T_Renamed");
    assert_eq!(m.sms_def.edits.len(), 1);
    assert_eq!(m.sms_def.edits[0].text, "true");
    assert_eq!(m.sms_def.edits[0].span.len(), "false".len());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever subset of the scenario's mini-MOFs is migrated, in whatever order, the second
    /// run has nothing to do and every custom class is in the target or a conflict.
    #[test]
    fn any_subset_of_minis_is_idempotent(picks in prop::collection::vec(0usize..4, 0..6)) {
        let root = scenario();
        let mut names: Vec<PathBuf> = fs::read_dir(root.join("site/minimofs"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "mof"))
            .collect();
        names.sort();
        let minis: Vec<PathBuf> = picks.iter().map(|&i| names[i].clone()).collect();
        let sources = Sources::load(
            &root.join("site/SMS_def.mof"),
            &minis,
            Some(&root.join("baseline/SMS_def.mof")),
        )
        .unwrap();
        let target = target();
        let first = migrate(&sources, &target, &Options::default()).unwrap();
        let after = applied(&target, &first);
        let second = migrate(&sources, &after, &Options::default()).unwrap();
        prop_assert!(!second.has_changes());
        for class in &first.report.custom_classes {
            let in_target = after.configuration.document.classes().chain(after.sms_def.document.classes())
                .any(|(_, c)| c.name.is(&class.name));
            let conflict = first.report.conflicts.iter().any(|c| c.class == class.name);
            prop_assert!(in_target || conflict, "{} lost", class.name);
        }
    }
}

#[test]
fn cinv2_misspelling_is_read_as_cimv2_and_written_correctly() {
    let site = SITE_PAIR.replacen("root\\\\cimv2\")", "root\\\\CINV2\")", 1);
    assert!(site.contains("CINV2"));
    let configuration = "#pragma namespace (\"\\\\\\\\.\\\\root\\\\wmi\")\n";
    let m = inline(&site, configuration, SMS_DEF);
    assert!(m
        .report
        .warnings
        .iter()
        .any(|w| w.code == FindingCode::NamespaceTypo));
    assert_eq!(m.report.custom_classes[0].namespace, "root\\cimv2");
    let added = &m.configuration.new_text[configuration.len()..];
    assert!(
        added.contains("#pragma namespace (\"\\\\\\\\.\\\\root\\\\cimv2\")"),
        "{added}"
    );
    assert!(!added.to_lowercase().contains("cinv2"));
}

#[test]
fn a_data_class_nothing_reports_is_migrated_with_a_warning() {
    let data_only = SITE_PAIR.split("\n\n").next().unwrap().to_owned() + "\n";
    let m = inline(&data_only, "", SMS_DEF);
    assert_eq!(m.report.custom_classes.len(), 1);
    assert!(!m.report.custom_classes[0].reporting);
    assert!(m
        .report
        .warnings
        .iter()
        .any(|w| w.code == FindingCode::NoReportingClass && w.class == "X_Data"));
    assert!(m.configuration.new_text.contains("class X_Data"));
    assert!(!m.sms_def.is_changed());
}

#[test]
fn a_provider_alias_the_target_already_uses_is_renamed() {
    let site = "#pragma namespace(\"\\\\\\\\.\\\\root\\\\cimv2\")\n\
instance of __Win32Provider as $Prov { Name = \"RegPropProv\"; };\n\
instance of __PropertyProviderRegistration { Provider = $Prov; SupportsGet = TRUE; };\n\
[DYNPROPS] class Y_Data { [key] string K; string V; };\n\
[DYNPROPS] instance of Y_Data { K = \"k\"; [Dynamic, Provider(\"RegPropProv\")] V; };\n";
    let configuration = "#pragma namespace(\"\\\\\\\\.\\\\root\\\\cimv2\")\n\
instance of __Win32Provider as $Prov { Name = \"RegProv\"; };\n";
    let m = inline(site, configuration, SMS_DEF);
    let added = &m.configuration.new_text[configuration.len()..];
    assert!(added.contains("as $Prov2"), "{added}");
    assert!(added.contains("Provider = $Prov2;"), "{added}");
    assert!(smsmig_mof::parse(&m.configuration.new_text)
        .errors
        .is_empty());
}
