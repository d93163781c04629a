//! Property test: mutated valid fixtures (ranges deleted, duplicated, random tokens and bytes
//! inserted) never make the parser panic, and the tiles still cover the text exactly.

use std::path::Path;

use proptest::prelude::*;
use smsmig_mof::{parse, SourceFile};

fn fixtures() -> Vec<String> {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/mof/valid"
    ));
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| SourceFile::decode(&std::fs::read(p).expect("fixture")).text)
        .collect()
}

/// Tokens that tend to derail a MOF parser.
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
        (any::<usize>(), 0usize..40).prop_map(|(a, n)| Mutation::Delete(a, n)),
        (any::<usize>(), 0usize..80).prop_map(|(a, n)| Mutation::Duplicate(a, n)),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(a, t)| Mutation::InsertToken(a, t)),
        (any::<usize>(), any::<char>()).prop_map(|(a, c)| Mutation::InsertChar(a, c)),
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn mutated_fixtures_parse_without_panic_and_tile(
        pick in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let texts = fixtures();
        let mut text = texts[pick % texts.len()].clone();
        for m in &mutations {
            apply(&mut text, m);
        }
        let parsed = parse(&text);
        let tiled: String = parsed.document.tiles().map(|s| s.slice(&text)).collect();
        prop_assert_eq!(&tiled, &text);
        for item in &parsed.document.items {
            prop_assert!(!item.span.is_empty());
        }
        for error in &parsed.errors {
            prop_assert!(error.span.end <= text.len());
            prop_assert!(text.is_char_boundary(error.span.start));
        }
    }

    #[test]
    fn arbitrary_bytes_decode_and_parse(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let sf = SourceFile::decode(&bytes);
        let parsed = parse(&sf.text);
        let tiled: String = parsed.document.tiles().map(|s| s.slice(&sf.text)).collect();
        prop_assert_eq!(tiled, sf.text);
    }
}
