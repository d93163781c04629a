//! Every file of the real-world corpus in `../shared/corpus` (see its `MANIFEST.tsv`): files not
//! marked `invalid` parse with no error and round-trip byte for byte; `invalid` files yield an
//! error on the line that is really broken; `either` files never panic.

// The one-line pass-count summary is the point of this test's output.
#![allow(clippy::print_stderr)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use smsmig_mof::{parse, LineIndex, SourceFile};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

/// Where the first error of each `invalid` file must be (line, column), found by reading it.
const INVALID: &[(&str, usize, usize)] = &[
    // A pasted `-----` banner line before the `#pragma namespace`.
    (
        "minimof/dustinestes__MECM_Toolkit__Infrastructure__MOFs__ODBC__ODBC_configuration.mof",
        1,
        1,
    ),
    // The same banner above the reporting class.
    (
        "minimof/dustinestes__MECM_Toolkit__Infrastructure__MOFs__ODBC__ODBC_sms_def.mof",
        1,
        1,
    ),
    // `#pragma include ("OMC_PowerManagement.mof"` lacks its `)`; the file ends on the next
    // line, so the error points just after the string on line 2.
    (
        "pywbem_tests/pywbem__pywbem__tests__unittest__pywbem__testmofs__parse_error04.mof",
        2,
        43,
    ),
    // The class's closing `}` on line 3 lacks its `;`. (`badtypedef InstanceID;` on line 2 is
    // syntactically a property of an embedded-object class type, as WMI allows; an unknown
    // class is the checker's to report.)
    (
        "pywbem_tests/pywbem__pywbemtools__tests__unit__pywbemcli__mof_with_error.mof",
        3,
        2,
    ),
    // `dtA[] = {...}";` ends with a stray `"` opening a string that never closes.
    (
        "wmi_general/microsoft__omi__Unix__tests__mof__syntaxerror.mof",
        97,
        79,
    ),
];

/// Files the manifest marks `valid` that are broken all the same, with where (line, column).
/// They are checked like `invalid` files and reported to the corpus maintainer.
const MISLABELLED_VALID: &[(&str, usize, usize)] = &[
    // `[Read, Description("..."), String Status;`: the qualifier list is never closed by `]`.
    (
        "wmi_general/DevSecNinja__GuestConfigurationProject__Modules__Module__DSCResources__Resource__Resource.schema.mof",
        12,
        72,
    ),
    // `ClassName = "TST_Assoc5;` (and `"TST_Assoc6;` on line 162): no closing quote.
    (
        "wmi_general/OpenPegasus__OpenPegasus__pegasus__src__Providers__TestProviders__Load__AssociationTestProviderR.mof",
        150,
        17,
    ),
];

struct Row {
    file: String,
    expect: String,
}

fn manifest() -> Vec<Row> {
    let text = std::fs::read_to_string(corpus_dir().join("MANIFEST.tsv")).expect("MANIFEST.tsv");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut cols = l.split('\t');
            Row {
                file: cols.next().unwrap_or_default().to_owned(),
                expect: cols.next().unwrap_or_default().to_owned(),
            }
        })
        .collect()
}

#[test]
fn corpus() {
    let rows = manifest();
    assert!(rows.len() > 2500, "manifest has {} rows", rows.len());
    let mut failures = String::new();
    let (mut valid_ok, mut valid_n, mut invalid_ok, mut invalid_n, mut either_n) = (0, 0, 0, 0, 0);
    for row in &rows {
        let bytes = std::fs::read(corpus_dir().join(&row.file)).expect(&row.file);
        let sf = SourceFile::decode(&bytes);
        let parsed = parse(&sf.text);
        let tiled: String = parsed.document.tiles().map(|s| s.slice(&sf.text)).collect();
        let mut problems = Vec::new();
        if tiled != sf.text {
            problems.push("tiles do not cover the text".to_owned());
        }
        // The tree is public and Serialize: every tree must convert to JSON (a fixed array
        // size inside an internally tagged enum once made 13 corpus files fail here).
        if let Err(e) = serde_json::to_string(&parsed.document) {
            problems.push(format!("the tree does not serialize: {e}"));
        }
        let index = LineIndex::new(&sf.text);
        let broken = INVALID
            .iter()
            .chain(MISLABELLED_VALID)
            .find(|(f, _, _)| *f == row.file);
        match (row.expect.as_str(), broken) {
            ("either", _) => either_n += 1,
            (_, Some(&(_, line, column))) => {
                invalid_n += 1;
                let first = parsed
                    .errors
                    .first()
                    .map(|e| index.line_col(&sf.text, e.span.start));
                if first.map(|lc| (lc.line, lc.column)) != Some((line, column)) {
                    problems.push(format!(
                        "want the first error at {line}:{column}, got {first:?}: {}",
                        parsed
                            .errors
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(" | ")
                    ));
                }
                invalid_ok += usize::from(problems.is_empty());
            }
            ("invalid", None) => problems.push("invalid file without an expected line".to_owned()),
            _ => {
                valid_n += 1;
                if sf.encode(&sf.text) != bytes {
                    problems.push(format!("does not round-trip ({})", sf.encoding));
                }
                for e in parsed.errors.iter().take(3) {
                    let lc = index.line_col(&sf.text, e.span.start);
                    problems.push(format!("{}:{} {} {}", lc.line, lc.column, e.code(), e));
                }
                valid_ok += usize::from(problems.is_empty());
            }
        }
        if !problems.is_empty() {
            let _ = writeln!(
                failures,
                "{} [{}]: {}",
                row.file,
                row.expect,
                problems.join("; ")
            );
        }
    }
    eprintln!(
        "corpus: valid {valid_ok}/{valid_n} parse clean and round-trip; invalid {invalid_ok}/{invalid_n} \
         report the broken line:column ({} of them marked valid but broken); either {either_n} without panic",
        MISLABELLED_VALID.len()
    );
    assert!(failures.is_empty(), "corpus failures:\n{failures}");
}
