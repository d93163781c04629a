//! Every file of the real-world corpus in `../shared/corpus` (see its `MANIFEST.tsv`): files not
//! marked `invalid` parse with no error and round-trip byte for byte; `invalid` files yield an
//! error on the line that is really broken; `either` files never panic.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use smsmig_mof::{parse, LineIndex, SourceFile};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

/// The broken line of each `invalid` file, found by reading it.
const INVALID_LINES: &[(&str, usize)] = &[
    // A pasted `--------` banner line before the `#pragma namespace`.
    (
        "minimof/dustinestes__MECM_Toolkit__Infrastructure__MOFs__ODBC__ODBC_configuration.mof",
        0,
    ),
    (
        "minimof/dustinestes__MECM_Toolkit__Infrastructure__MOFs__ODBC__ODBC_sms_def.mof",
        0,
    ),
    (
        "pywbem_tests/pywbem__pywbem__tests__unittest__pywbem__testmofs__parse_error04.mof",
        0,
    ),
    (
        "pywbem_tests/pywbem__pywbemtools__tests__unit__pywbemcli__mof_with_error.mof",
        0,
    ),
    ("wmi_general/microsoft__omi__Unix__tests__mof__syntaxerror.mof", 0),
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
        let index = LineIndex::new(&sf.text);
        match row.expect.as_str() {
            "invalid" => {
                invalid_n += 1;
                let want = INVALID_LINES
                    .iter()
                    .find(|(f, _)| *f == row.file)
                    .map(|(_, l)| *l);
                let lines: Vec<usize> = parsed
                    .errors
                    .iter()
                    .map(|e| index.line_col(&sf.text, e.span.start).line)
                    .collect();
                match want {
                    Some(line) if lines.first() == Some(&line) => {}
                    _ => problems.push(format!("want first error on line {want:?}, errors on {lines:?}: {}",
                        parsed.errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(" | "))),
                }
                invalid_ok += usize::from(problems.is_empty());
            }
            "either" => either_n += 1,
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
            let _ = writeln!(failures, "{} [{}]: {}", row.file, row.expect, problems.join("; "));
        }
    }
    eprintln!(
        "corpus: valid {valid_ok}/{valid_n} parse clean and round-trip; invalid {invalid_ok}/{invalid_n} \
         report the broken line; either {either_n} without panic"
    );
    assert!(failures.is_empty(), "corpus failures:\n{failures}");
}
