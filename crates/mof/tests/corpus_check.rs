//! `mof check` over the real-world corpus in `../shared/corpus` (see its `MANIFEST.tsv`):
//!
//! - every file not marked `invalid` checks with zero error-severity diagnostics: errors are only
//!   what `mofcomp` rejects, and these files compile;
//! - the DMTF CIM 2.49 schema is checked as `mofcomp` compiles it, from its top file
//!   `cim_schema_2.49.0.mof`, which pulls in all 1,634 files with `#pragma include`;
//! - every `invalid` file has at least one error; `either` files are checked without panicking;
//! - the corpus's SMS files get the SMS warnings they deserve (spot checks below).
//!
//! Other trees in the corpus were flattened into single file names when collected, so their
//! `#pragma include` lines name files that are not there: for those files, and only those, a
//! missing include (E0201) is expected and allowed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use smsmig_mof::check::check;
use smsmig_mof::diagnostic::{Diagnostic, Severity};
use smsmig_mof::include::SourceSet;
use smsmig_mof::LineIndex;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

const TREE: &str = "cim_schema/pywbem__pywbem__tests__schema__cim_schema_2.49.0Final-MOFs.zip/";
const TREE_TOP: &str = "cim_schema_2.49.0.mof";

/// Files the manifest marks `valid` that do not parse (see `tests/corpus.rs`).
const MISLABELLED_VALID: &[&str] = &[
    "wmi_general/DevSecNinja__GuestConfigurationProject__Modules__Module__DSCResources__Resource__Resource.schema.mof",
    "wmi_general/OpenPegasus__OpenPegasus__pegasus__src__Providers__TestProviders__Load__AssociationTestProviderR.mof",
];

/// Files the manifest marks `valid` because the DMTF compilers they come from (pywbem,
/// OpenPegasus, OpenWBEM) accept them, but that break a rule `mofcomp` enforces, with the only
/// error code they may get.
const MOFCOMP_REJECTS: &[(&str, &str)] = &[
    // `string IndicationName;` twice in each of four classes (WBEMMOF_E_DUPLICATE_PROPERTY).
    (
        "pywbem_tests/pywbem__pywbemtools__tests__unit__pywbemcli__qualifier_filter_model.mof",
        "E0102",
    ),
    // `s2 = ...;` twice in one instance, on purpose ("with 2 s2 values").
    (
        "wmi_general/OpenPegasus__OpenPegasus__pegasus__src__Pegasus__Compiler__cmdline__tests__ValidMof4a.mof",
        "E0102",
    ),
];

fn manifest() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(corpus_dir().join("MANIFEST.tsv")).expect("MANIFEST.tsv");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut cols = l.split('\t');
            let file = cols.next().unwrap_or_default().to_owned();
            let expect = cols.next().unwrap_or_default().to_owned();
            (file, expect)
        })
        .collect()
}

fn describe(set: &SourceSet, d: &Diagnostic) -> String {
    let file = set.file(d.file);
    let at = LineIndex::new(file.text()).line_col(file.text(), d.span.start);
    format!(
        "{}:{}:{}: {} {}",
        file.path.display(),
        at.line,
        at.column,
        d.code(),
        d.kind
    )
}

#[test]
fn corpus_files_check_clean_of_errors() {
    let rows = manifest();
    assert!(rows.len() > 2000, "the corpus manifest is incomplete");
    let mut failures = Vec::new();
    let mut warnings: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut checked = 0;
    for (file, expect) in &rows {
        if file.starts_with(TREE) || MISLABELLED_VALID.contains(&file.as_str()) {
            continue;
        }
        let path = corpus_dir().join(file);
        let set = SourceSet::load(&[&path]).expect("corpus file is readable");
        let diags = check(&set);
        checked += 1;
        let errors: Vec<&Diagnostic> = diags
            .iter()
            .filter(|d| d.severity() == Severity::Error)
            .collect();
        for d in diags.iter().filter(|d| d.severity() == Severity::Warning) {
            *warnings.entry(d.code()).or_default() += 1;
        }
        match expect.as_str() {
            "invalid" if errors.is_empty() => {
                failures.push(format!("{file}: invalid but no error"));
            }
            "valid" => {
                let allowed = MOFCOMP_REJECTS
                    .iter()
                    .find(|(f, _)| f == file)
                    .map(|(_, code)| *code);
                if allowed.is_some() && errors.is_empty() {
                    failures.push(format!("{file}: expected {allowed:?}, found no error"));
                }
                failures.extend(
                    errors
                        .iter()
                        .filter(|d| d.code() != "E0201" && Some(d.code()) != allowed)
                        .map(|d| describe(&set, d)),
                );
            }
            _ => {}
        }
    }
    assert!(checked > 800, "only {checked} files checked");
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The SMS warnings do fire on the corpus's ConfigMgr files.
    for code in ["W0301", "W0302", "W0305"] {
        assert!(warnings.contains_key(code), "no {code} in {warnings:?}");
    }
}

#[test]
fn cim_schema_tree_checks_clean_through_its_includes() {
    let top = corpus_dir().join(TREE).join(TREE_TOP);
    let set = SourceSet::load(&[&top]).expect("top file is readable");
    let in_tree = manifest()
        .iter()
        .filter(|(f, _)| f.starts_with(TREE))
        .count();
    assert_eq!(
        set.files().len(),
        in_tree,
        "every file of the tree is reached"
    );
    let diags = check(&set);
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| describe(&set, d))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(set.units().len(), 1);
}

#[test]
fn sms_spot_checks() {
    // The Lenovo console export: SMS_Class_ID("Lenovo_Odometer") is not VENDOR|NAME|VERSION.
    let path = corpus_dir().join("minimof/CDRT__Library__mof__odometer.mof");
    let set = SourceSet::load(&[&path]).unwrap();
    let codes: Vec<&str> = check(&set).iter().map(Diagnostic::code).collect();
    assert!(codes.contains(&"W0302"), "{codes:?}");
    assert!(!codes.iter().any(|c| c.starts_with('E')), "{codes:?}");
}
