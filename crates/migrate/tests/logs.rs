//! Setup-log analysis over the fixtures in `testdata/logs` (written by its `make_fixtures.py`):
//! one snapshot per fixture, every runnable query checked with a T-SQL parser, and properties
//! of the decoder, the lexer and the analyses on arbitrary input.

use std::fmt::Write as _;
use std::fs::File;
use std::path::Path;

use proptest::prelude::*;
use smsmig_migrate::logs::sql::tokenize;
use smsmig_migrate::logs::{
    analyze_prereq, analyze_setup, make_runnable, Issues, LogError, LogReader, PrereqReport,
    SetupReport, SourceInfo, TextEncoding,
};
use sqlparser::dialect::MsSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer};

mod common;

use common::settings;

fn fixture(rel: &str) -> File {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/logs")
        .join(rel);
    File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// ---- T-SQL checks ---------------------------------------------------------------------------

/// Parse `sql` as T-SQL; `Ok(statement count)` or the parser's message.
fn tsql(sql: &str) -> Result<usize, String> {
    Parser::parse_sql(&MsSqlDialect {}, sql)
        .map(|statements| statements.len())
        .map_err(|e| e.to_string())
}

/// Every rewritten value is a single-quoted string literal to the T-SQL tokenizer, and no
/// double-quoted name is left right after a comparison operator.
fn assert_values_are_literals(sql: &str, values: &[String]) {
    let tokens = Tokenizer::new(&MsSqlDialect {}, sql).tokenize().unwrap();
    let strings: Vec<&String> = tokens
        .iter()
        .filter_map(|t| match t {
            Token::SingleQuotedString(s) => Some(s),
            _ => None,
        })
        .collect();
    for value in values {
        assert!(
            strings.contains(&value),
            "{value:?} is not a string literal in {sql}"
        );
    }
    let significant: Vec<&Token> = tokens
        .iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .collect();
    for pair in significant.windows(2) {
        let comparison = matches!(
            pair[0],
            Token::Eq | Token::Neq | Token::Lt | Token::Gt | Token::LtEq | Token::GtEq
        );
        if let (true, Token::Word(w)) = (comparison, pair[1]) {
            assert_ne!(w.quote_style, Some('"'), "quoted name compared in {sql}");
        }
    }
}

/// The logged values behind each rewrite (`"O'Hare"` → `O'Hare`).
fn rewritten_values(from: &[String]) -> Vec<String> {
    from.iter()
        .map(|f| f[1..f.len() - 1].replace("\"\"", "\""))
        .collect()
}

// ---- renderings -----------------------------------------------------------------------------

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

fn render_source(out: &mut String, s: &SourceInfo) {
    let _ = writeln!(
        out,
        "## Source\nencoding {}, bom {}, {} bytes, {} lines, {} entries, {} unparsed lines, \
         {} dropped lines, {} replacement chars, {} clipped lines, ends mid-line {}\n",
        s.encoding,
        yes(s.bom),
        s.bytes,
        s.lines,
        s.entries,
        s.unparsed_lines,
        s.dropped_lines,
        s.replacement_chars,
        s.clipped_lines,
        yes(s.ends_mid_line)
    );
}

fn render_issues(out: &mut String, issues: &Issues) {
    let _ = writeln!(out, "## Issues ({} in total)", issues.total);
    for issue in &issues.items {
        let _ = writeln!(
            out,
            "- line {}: {}",
            issue.line,
            serde_json::to_string(&issue.kind).unwrap()
        );
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    | {l}\n")).collect()
}

fn render_prereq(r: &PrereqReport) -> String {
    let mut out = String::new();
    render_source(&mut out, &r.source);
    let c = &r.counts;
    let _ = writeln!(
        out,
        "## Summary\ncompleted {}; passed {}, warning {}, failed {}, unknown {}; dropped rules {}\n",
        yes(r.completed),
        c.passed,
        c.warning,
        c.failed,
        c.unknown,
        r.dropped_rules
    );
    let _ = writeln!(out, "## Rules");
    for rule in &r.rules {
        let _ = writeln!(out, "### {:?}: {}", rule.outcome, rule.name);
        let _ = writeln!(
            out,
            "server {}; lines {}..{} ({} entries); first at {}; result {:?}",
            rule.server.as_deref().unwrap_or("-"),
            rule.line,
            rule.last_line,
            rule.occurrences,
            rule.stamp.map_or("-".to_owned(), |s| s.to_string()),
            rule.result.as_deref().unwrap_or("-")
        );
        for detail in &rule.details {
            let _ = writeln!(out, "detail: {detail}");
        }
        match &rule.fix {
            Some(fix) => {
                let _ = writeln!(out, "fix: {} [{}]", fix.fix, fix.source);
            }
            None if rule.outcome != smsmig_migrate::logs::Outcome::Passed => {
                let _ = writeln!(out, "fix: no known fix");
            }
            None => {}
        }
        for q in &rule.queries {
            let _ = writeln!(
                out,
                "query at line {} (returned {}):",
                q.line,
                q.returned.as_deref().unwrap_or("-")
            );
            let _ = write!(out, "  logged:\n{}", indent(&q.logged));
            let _ = write!(out, "  runnable:\n{}", indent(&q.runnable.sql));
            for rw in &q.runnable.rewrites {
                let _ = writeln!(out, "  rewrite @{}: {} -> {}", rw.offset, rw.from, rw.to);
            }
            for note in &q.runnable.notes {
                let _ = writeln!(out, "  note: {}", serde_json::to_string(note).unwrap());
            }
            let verdict = match tsql(&q.runnable.sql) {
                Ok(n) => format!("parses ({n} statement)"),
                Err(e) => format!("does not parse: {e}"),
            };
            let _ = writeln!(out, "  T-SQL (MsSqlDialect): {verdict}");
        }
        out.push('\n');
    }
    render_issues(&mut out, &r.issues);
    out
}

fn render_setup(r: &SetupReport) -> String {
    let mut out = String::new();
    render_source(&mut out, &r.source);
    let _ = writeln!(out, "## Verdict\n{:?}: {}\n", r.verdict, r.verdict.advice());
    let _ = writeln!(out, "## Findings");
    for f in &r.findings {
        let _ = writeln!(
            out,
            "### {:?} {:?} (lines {}..{}, {} entries)\nevidence: {}\ncause: {}\nfix: {} [{}]",
            f.severity,
            f.problem,
            f.line,
            f.last_line,
            f.occurrences,
            f.evidence,
            f.cause,
            f.fix.fix,
            f.fix.source
        );
    }
    let _ = writeln!(out, "\n## Milestones");
    for m in &r.milestones {
        let _ = writeln!(
            out,
            "- {:?} (lines {}..{}, {} entries): {}",
            m.milestone, m.line, m.last_line, m.occurrences, m.next
        );
    }
    let _ = writeln!(out, "\n## Versions");
    for v in &r.versions {
        let _ = writeln!(
            out,
            "- {} ({}), line {}, {} entries",
            v.version,
            v.release.unwrap_or("unknown release"),
            v.line,
            v.occurrences
        );
    }
    let _ = writeln!(out, "\n## Other errors ({} in total)", r.other_errors_total);
    for e in &r.other_errors {
        let _ = writeln!(out, "- line {}: {}", e.line, e.text);
    }
    out.push('\n');
    render_issues(&mut out, &r.issues);
    out
}

// ---- fixture snapshots ----------------------------------------------------------------------

#[test]
fn prereq_fixtures() {
    settings().bind(|| {
        insta::glob!("../../../testdata/logs", "prereq/*.log", |path| {
            let report = analyze_prereq(File::open(path).unwrap()).unwrap();
            for rule in &report.rules {
                for q in &rule.queries {
                    if q.runnable.is_complete() {
                        if let Err(e) = tsql(&q.runnable.sql) {
                            panic!(
                                "{}: rule {:?}: {e}\n{}",
                                path.display(),
                                rule.name,
                                q.runnable.sql
                            );
                        }
                        let from: Vec<String> =
                            q.runnable.rewrites.iter().map(|r| r.from.clone()).collect();
                        assert_values_are_literals(&q.runnable.sql, &rewritten_values(&from));
                    }
                }
            }
            insta::assert_snapshot!("logs_prereq", render_prereq(&report));
        });
    });
}

#[test]
fn setup_fixtures() {
    settings().bind(|| {
        insta::glob!("../../../testdata/logs", "setup/*.log", |path| {
            let report = analyze_setup(File::open(path).unwrap()).unwrap();
            insta::assert_snapshot!("logs_setup", render_setup(&report));
        });
    });
}

#[test]
fn the_seed_queries_become_runnable_tsql() {
    let report = analyze_prereq(fixture("prereq/seed_hou_ansi.log")).unwrap();
    let rule = |name: &str| report.rules.iter().find(|r| r.name == name).unwrap();
    let guid = &rule("Client GUID consistency").queries[0];
    assert!(guid.runnable.rewrites.is_empty());
    assert_eq!(guid.runnable.sql, guid.logged);
    assert_eq!(tsql(&guid.runnable.sql), Ok(1));
    let os = &rule("Unsupported client operating system version").queries[0];
    assert!(os.logged.contains("SMS_Assigned_Sites0=\"HOU\")"));
    assert!(os.runnable.sql.contains("SMS_Assigned_Sites0='HOU')"));
    assert_eq!(os.runnable.rewrites.len(), 1);
    assert_eq!(tsql(&os.runnable.sql), Ok(1));
    // As logged, the value is a column name to SQL Server: the query is wrong, not just ugly.
    let logged = Tokenizer::new(&MsSqlDialect {}, &os.logged)
        .tokenize()
        .unwrap();
    assert!(logged
        .iter()
        .any(|t| matches!(t, Token::Word(w) if w.value == "HOU" && w.quote_style == Some('"'))));
}

#[test]
fn ansi_and_utf16_logs_give_the_same_report() {
    let ansi = analyze_prereq(fixture("prereq/seed_hou_ansi.log")).unwrap();
    let utf16 = analyze_prereq(fixture("prereq/seed_hou_utf16le_bom.log")).unwrap();
    assert_eq!(ansi.source.encoding, TextEncoding::Windows1252);
    assert_eq!(utf16.source.encoding, TextEncoding::Utf16Le);
    assert_eq!(
        (ansi.rules.clone(), ansi.counts),
        (utf16.rules.clone(), utf16.counts)
    );
    assert_eq!(ansi.source.lines, utf16.source.lines);
}

#[test]
fn inputs_without_entries_are_errors() {
    for rel in ["not_a_log.bin", "empty.log"] {
        assert!(matches!(
            analyze_prereq(fixture(rel)),
            Err(LogError::NoEntries { .. })
        ));
        assert!(matches!(
            analyze_setup(fixture(rel)),
            Err(LogError::NoEntries { .. })
        ));
    }
}

// ---- properties -----------------------------------------------------------------------------

fn encode(lines: &[String], encoding: TextEncoding, bom: bool, crlf: bool) -> Vec<u8> {
    let end = if crlf { "\r\n" } else { "\n" };
    let text: String = lines.iter().map(|l| format!("{l}{end}")).collect();
    match encoding {
        TextEncoding::Utf16Le => {
            let mut out = if bom { vec![0xFF, 0xFE] } else { vec![] };
            out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            out
        }
        TextEncoding::Utf16Be => {
            let mut out = if bom { vec![0xFE, 0xFF] } else { vec![] };
            out.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
            out
        }
        TextEncoding::Utf8 => {
            let mut out = if bom { vec![0xEF, 0xBB, 0xBF] } else { vec![] };
            out.extend(text.as_bytes());
            out
        }
        // Only characters U+0000–U+00FF are generated for this case: Latin-1 = 1252 there.
        _ => text.chars().map(|c| c as u32 as u8).collect(),
    }
}

fn read_lines(bytes: &[u8], chunk: usize) -> Vec<String> {
    let mut reader = LogReader::with_chunk_size(bytes, chunk).unwrap();
    let mut out = Vec::new();
    while let Some(line) = reader.next_line().unwrap() {
        out.push(line.text.to_owned());
    }
    out
}

/// Fragments that steer random input into the parsers' interesting corners.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<10-26-2008 17:19:42> ".to_owned()),
        Just("<13-26-2008 17:19".to_owned()),
        Just("Rule Name: ".to_owned()),
        Just("Query select ".to_owned()),
        Just("Result: Error".to_owned()),
        Just("; Error; ".to_owned()),
        Just(" returned one or more rows.".to_owned()),
        Just("=\"HOU\"".to_owned()),
        Just(" in (\"".to_owned()),
        Just("'".to_owned()),
        Just("/*".to_owned()),
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just("  $$<Setup><08-22-2016 04:15:01.917+420><thread=1 (0x1)>".to_owned()),
        Just("$$<".to_owned()),
        Just("Installation and configuration processes are done".to_owned()),
        Just("CompileMOFFile: Failed to compile MOF".to_owned()),
        Just("\r\n".to_owned()),
        Just("\n".to_owned()),
        Just("\0".to_owned()),
        "[ -~]{0,12}",
        "\\PC{0,4}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn lines_survive_every_encoding_and_chunking(
        lines in prop::collection::vec("[ -~\u{e0}-\u{ff}]{0,30}", 0..12),
        unicode in prop::collection::vec("[^\r\n\0\u{feff}]{0,20}", 0..6),
        which in 0usize..4,
        bom in any::<bool>(),
        crlf in any::<bool>(),
        chunk in 1usize..24,
    ) {
        let (encoding, lines) = match which {
            // Without a BOM, UTF-16 is recognised by its zero bytes: keep it mostly ASCII.
            0 => (TextEncoding::Utf16Le, if bom { unicode } else { lines }),
            1 => (TextEncoding::Utf16Be, if bom { unicode } else { lines }),
            2 => (TextEncoding::Utf8, unicode),
            _ => (TextEncoding::Windows1252, lines),
        };
        let bom = bom && encoding != TextEncoding::Windows1252;
        let bytes = encode(&lines, encoding, bom, crlf);
        // One UTF-16 code unit without a BOM cannot be told from two ANSI characters.
        let utf16 = matches!(encoding, TextEncoding::Utf16Le | TextEncoding::Utf16Be);
        prop_assume!(bom || !utf16 || bytes.is_empty() || bytes.len() >= 4);
        prop_assert_eq!(read_lines(&bytes, chunk), lines);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..3000)) {
        let _ = analyze_prereq(&bytes[..]);
        let _ = analyze_setup(&bytes[..]);
    }

    #[test]
    fn log_shaped_garbage_never_panics(
        parts in prop::collection::vec(fragment(), 0..60),
        utf16 in any::<bool>(),
    ) {
        let text: String = parts.concat();
        let bytes: Vec<u8> = if utf16 {
            text.encode_utf16().flat_map(u16::to_le_bytes).collect()
        } else {
            text.into_bytes()
        };
        if let Ok(report) = analyze_prereq(&bytes[..]) {
            for rule in &report.rules {
                for q in &rule.queries {
                    // The rewrite changes only the double-quoted values.
                    prop_assert_eq!(q.runnable.rewrites.is_empty(), q.runnable.sql == q.logged);
                }
            }
        }
        let _ = analyze_setup(&bytes[..]);
    }

    #[test]
    fn tokens_tile_the_query(sql in "\\PC{0,80}") {
        let tokens = tokenize(&sql);
        let mut at = 0;
        for t in &tokens {
            prop_assert_eq!(t.start, at);
            prop_assert!(t.end > t.start);
            at = t.end;
        }
        prop_assert_eq!(at, sql.len());
        if !sql.contains('"') {
            prop_assert_eq!(make_runnable(&sql).sql, sql);
        }
    }

    #[test]
    fn any_value_becomes_the_same_string_literal(value in "[^\0]{0,24}") {
        let logged = format!(
            "select Name0 from v_R_System where Site0 = \"{}\" and x in (\"{}\")",
            value.replace('"', "\"\""),
            value.replace('"', "\"\""),
        );
        let q = make_runnable(&logged);
        prop_assert_eq!(q.rewrites.len(), 2);
        prop_assert!(tsql(&q.sql).is_ok(), "{}", q.sql);
        assert_values_are_literals(&q.sql, &[value]);
    }
}
