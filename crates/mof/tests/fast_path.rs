//! Differential tests of the hand-written fast path against the pest grammar (the reference):
//! whenever the fast path returns a document, the pest path must report no error and produce
//! the identical document (compared as Debug text); and on every corpus file the pest path parses
//! without error, the fast path must not give up, so it is really the one in use.

// The one-line summaries of how many texts the fast path took are the point of the output.
#![allow(clippy::print_stderr)]

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use smsmig_mof::parse::{parse_fast, parse_reference};
use smsmig_mof::SourceFile;

/// Compare the two paths on `text`; `Ok(true)` when the fast path took it, `Err` with a
/// description when they disagree.
fn compare(text: &str) -> Result<bool, String> {
    let Some(fast) = parse_fast(text) else {
        return Ok(false);
    };
    let reference = parse_reference(text);
    if !reference.errors.is_empty() {
        return Err(format!(
            "the fast path accepted a text with errors: {}",
            reference
                .errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
    // Debug, not JSON: serde cannot serialise `ArraySpec::Fixed` (an integer in an internally
    // tagged newtype variant), and Debug shows every field, reals included.
    let (fast, reference) = (format!("{fast:?}"), format!("{:?}", reference.document));
    if fast != reference {
        let (f, r) = first_difference(&fast, &reference);
        return Err(format!(
            "documents differ:\n  fast:      {f}\n  reference: {r}"
        ));
    }
    Ok(true)
}

/// The two JSON texts from a little before their first difference.
fn first_difference(a: &str, b: &str) -> (String, String) {
    let at = a
        .bytes()
        .zip(b.bytes())
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let from = at.saturating_sub(120);
    let cut = |s: &str| s.get(from..).unwrap_or(s).chars().take(300).collect();
    (cut(a), cut(b))
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

#[test]
fn corpus_fast_path_matches_reference_and_is_used() {
    let manifest =
        std::fs::read_to_string(corpus_dir().join("MANIFEST.tsv")).expect("MANIFEST.tsv");
    let rows: Vec<&str> = manifest
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .filter(|f| !f.trim().is_empty())
        .collect();
    assert!(rows.len() > 2500, "manifest has {} rows", rows.len());
    let mut failures = Vec::new();
    let (mut taken, mut clean) = (0, 0);
    for file in &rows {
        let bytes = std::fs::read(corpus_dir().join(file)).expect(file);
        let text = SourceFile::decode(&bytes).text;
        let reference_ok = parse_reference(&text).errors.is_empty();
        clean += usize::from(reference_ok);
        match compare(&text) {
            Ok(true) => taken += 1,
            Ok(false) if reference_ok => {
                failures.push(format!("{file}: error-free, but the fast path gave up"));
            }
            Ok(false) => {}
            Err(e) => failures.push(format!("{file}: {e}")),
        }
    }
    eprintln!(
        "fast path: took {taken} of {} corpus files ({clean} error-free)",
        rows.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(taken, clean);
}

fn fixture_paths(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("fixture dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            fixture_paths(&path, out);
        } else if path.extension().is_some_and(|e| e == "mof") {
            out.push(path);
        }
    }
}

/// Every `.mof` fixture under `testdata/mof`, decoded.
fn fixtures() -> Vec<(PathBuf, String)> {
    let mut paths = Vec::new();
    fixture_paths(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/mof")),
        &mut paths,
    );
    paths
        .into_iter()
        .map(|p| {
            let text = SourceFile::decode(&std::fs::read(&p).expect("fixture")).text;
            (p, text)
        })
        .collect()
}

#[test]
fn fixtures_fast_path_matches_reference() {
    let fixtures = fixtures();
    assert!(fixtures.len() > 40, "{} fixtures", fixtures.len());
    let mut failures = Vec::new();
    let mut taken = 0;
    for (path, text) in &fixtures {
        match compare(text) {
            Ok(took) => taken += usize::from(took),
            Err(e) => failures.push(format!("{}: {e}", path.display())),
        }
        if path.components().any(|c| c.as_os_str() == "valid")
            && parse_reference(text).errors.is_empty()
            && parse_fast(text).is_none()
        {
            failures.push(format!(
                "{}: valid, but the fast path gave up",
                path.display()
            ));
        }
    }
    eprintln!("fast path: took {taken} of {} fixtures", fixtures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Corner cases of the grammar, each compared; the ones the fast path must take are marked.
#[test]
fn corner_cases() {
    let cases: &[(&str, bool)] = &[
        ("", true),
        ("  // only a comment\n/* and a block */ ", true),
        ("/* open", false),
        ("#pragma autorecover\n", true),
        // Found by fuzzing: a line comment at the end of the file, with no newline.
        ("// head\n#pragma na// Eve", true),
        ("#pragma autorecover // tail", true),
        ("class A {}; // tail \"//\"", true),
        ("# \t PRAGMA namespace(\"\\\\\\\\.\\\\root\\\\x\");;", false),
        ("#pragma namespace(\"\\\\\\\\.\\\\root\\\\x\")\nclass A {};", true),
        ("#pragma deleteclass(\"A\", NOFAIL) // c\n", true),
        ("#pragma classflags(1, -0x1F, 1.5, 101b, \"a\" \"b\");", true),
        ("#pragma foo (", false),
        ("qualifier Description : ToSubClass Amended;", true),
        ("qualifier Amendedx : string = null, scope(class, property), flavor(amended);", true),
        ("qualifier Key : boolean = false, scope(property, reference), flavor(DisableOverride, ToSubclass);", true),
        ("qualifier Q : uint32[] = {1, 2};", true),
        ("qualifier Q : uint32[3], scope(any);", true),
        ("[abstract, Description(\"x\" /* c */ \"y\") : Amended ToSubclass] class A : B { };", true),
        ("class A as $a1 : B {};", true),
        ("class A { B ref C; B ref ref; string ref; B ref /* c */ D; };", true),
        ("class A { B ref; };", true),
        ("class A { [key] string k[] = {\"a\"}; uint8 b[4]; uint64 n[18446744073709551616]; };", false),
        ("class A { [in, out] uint32 M([in] string a[], [out] B ref c = null, uint8 d = 7); };", true),
        ("class A { uint32 M(); void N( ) ; };", true),
        ("class A { x y = 09; };", false),
        ("class A { x y = 07; x z = -017; x w = +5; x v = 0; };", true),
        ("class A { x y = 0x1G; };", false),
        ("class A { x y = 1.5e3; x z = .5; x w = -2E-3; x v = 1e5; x u = 0x1f; x t = 11B; };", true),
        ("class A { x y = 1.5e; };", false),
        ("class A { x y = 170141183460469231731687303715884105728; x z = -0x80000000000000000000000000000000; };", true),
        ("class A { char16 c = 'a'; char16 d = '\\x41'; char16 e = '\\''; char16 f = '{'; };", true),
        ("class A { char16 c = 'ab'; };", false),
        ("class A { char16 c = '\\xD800'; };", false),
        ("class A { string s = \"a\\tb\\x41\\x\\q\\\"\\\\\" \"\nc\"; };", true),
        ("class A { string s = \"\\xDFFF\"; };", false),
        ("class A { string s = \"open; };", false),
        ("class A { boolean b = TRUE; boolean c = falsey; x n = NULL; x o = nullx; x i = instancex; };", true),
        ("instance of A as $x { a = $x; b = {}; c = {1, {2}}; [DYNPROPS] d; };", true),
        ("instance of A { a = instance of B { c = 1; }; b = [q] instance of C as $c {}; };", true),
        ("instance of A { a = instance; };", false),
        ("[q(1)] instance of A { x = CIM_ComputerSystem; };", true),
        ("instance A {};", false),
        ("class \u{e9}t\u{e9} { string \u{fc}; };", true),
        ("class A { string b\u{feff}; };", false),
        ("\u{feff}class A {};", false),
        ("class A {}", false),
        ("class A {}; garbage", false),
        ("class A { x y = {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{1}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}; };", false),
    ];
    let mut failures = Vec::new();
    for &(text, must_take) in cases {
        match compare(text) {
            Ok(took) if must_take && !took => {
                failures.push(format!("{text:?}: the fast path gave up"));
            }
            Ok(_) => {}
            Err(e) => failures.push(format!("{text:?}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Tokens that tend to derail a MOF parser (as in `mutations.rs`), plus trivia and small
/// valid fragments, which keep more mutants well-formed so the fast path takes them.
const TOKENS: &[&str] = &[
    ";",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "\"",
    "'",
    "/*",
    "*/",
    "//",
    "#pragma ",
    "class ",
    "instance of ",
    "qualifier ",
    "$",
    ",",
    ":",
    "=",
    "\n",
    "\r",
    "0x",
    "101b",
    "\\",
    "é",
    "ref ",
    "as $A",
    "\u{feff}",
    "{{{{",
    "}}}}",
    "instance of X {",
    "\"\\x",
    " ",
    "\t",
    "/* c */",
    "// c\n",
    "\r\n",
    " 1",
    " -0x1F",
    " 1.5e3",
    " 'c'",
    " \"s\" ",
    " null",
    " TRUE",
    " ref",
    " $a",
    "[Key] ",
    "x",
    "_9",
];

#[derive(Clone, Debug)]
enum Mutation {
    Delete(usize, usize),
    Duplicate(usize, usize),
    InsertToken(usize, usize),
    InsertChar(usize, char),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => (any::<usize>(), 0usize..40).prop_map(|(a, n)| Mutation::Delete(a, n)),
        1 => (any::<usize>(), 0usize..80).prop_map(|(a, n)| Mutation::Duplicate(a, n)),
        3 => (any::<usize>(), 0..TOKENS.len()).prop_map(|(a, t)| Mutation::InsertToken(a, t)),
        1 => (any::<usize>(), any::<char>()).prop_map(|(a, c)| Mutation::InsertChar(a, c)),
    ]
}

/// The char boundary at or before `n % (len + 1)`.
fn boundary(text: &str, n: usize) -> usize {
    let mut i = n % (text.len() + 1);
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &mut String, m: &Mutation) {
    match *m {
        Mutation::Delete(a, n) => {
            let start = boundary(text, a);
            let end = boundary(text, start + n.min(text.len() - start));
            text.replace_range(start..end, "");
        }
        Mutation::Duplicate(a, n) => {
            let start = boundary(text, a);
            let end = boundary(text, start + n.min(text.len() - start));
            let copy = text[start..end].to_owned();
            text.insert_str(end, &copy);
        }
        Mutation::InsertToken(a, t) => {
            let at = boundary(text, a);
            text.insert_str(at, TOKENS[t]);
        }
        Mutation::InsertChar(a, c) => {
            let at = boundary(text, a);
            text.insert(at, c);
        }
    }
}

/// Trivia that may stand between any two tokens.
const TRIVIA: &[&str] = &[
    " ", "\t", "\n", "\r\n", "\u{b}", "/* c */", "/**/", "// c\n",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    /// Trivia inserted anywhere: between tokens the text stays well-formed (so the fast path
    /// takes it and must place every span as pest does), inside a token it usually breaks it.
    #[test]
    fn fixtures_with_trivia_agree(
        pick in any::<usize>(),
        inserts in prop::collection::vec((any::<usize>(), 0..TRIVIA.len()), 1..8),
    ) {
        let fixtures = fixtures();
        let mut text = fixtures[pick % fixtures.len()].1.clone();
        for &(at, t) in &inserts {
            let at = boundary(&text, at);
            text.insert_str(at, TRIVIA[t]);
        }
        if let Err(e) = compare(&text) {
            prop_assert!(false, "{}\n--- text ---\n{}", e, text);
        }
    }

    #[test]
    fn mutated_fixtures_agree(
        pick in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let fixtures = fixtures();
        let mut text = fixtures[pick % fixtures.len()].1.clone();
        for m in &mutations {
            apply(&mut text, m);
        }
        if let Err(e) = compare(&text) {
            prop_assert!(false, "{}\n--- text ---\n{}", e, text);
        }
    }
}
