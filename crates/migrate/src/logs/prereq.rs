//! `ConfigMgrPrereq.log`: the prerequisite checker's rules, results and queries.
//!
//! The checker logs each rule in one of two forms, and a log may hold both:
//!
//! - a block (ConfigMgr 2007, seed 002): `Rule Name: Client GUID consistency`, then
//!   `Query <sql> returned one or more rows.` (the SQL possibly continuing over unstamped lines),
//!   `Result: Error`, and the rule's description;
//! - a summary line: `<server>; <rule>; <Passed|Warning|Error>; <description>`, the server field
//!   absent in some releases.
//!
//! Rules are merged by name (and server), so a block and its summary line make one rule, and a
//! rule checked again in a later run of the checker keeps its latest result. Every failed or
//! warning rule gets the fix from [`super::fixes`] when the rule is known; every query comes
//! with a runnable rewrite ([`super::sql`]).

use std::collections::BTreeMap;
use std::io::Read;

use nom::branch::alt;
use nom::bytes::complete::tag_no_case;
use nom::character::complete::{char, digit1, multispace1, space0, space1};
use nom::combinator::{all_consuming, opt, recognize, rest};
use nom::error::{context, VerboseError};
use nom::sequence::{delimited, pair, preceded, terminated, tuple};
use nom::IResult;
use serde::Serialize;

use super::entry::{read_entries, Entry, EntryShape};
use super::fixes::{normalize, rule_fix, KnownFix};
use super::line::Stamp;
use super::sql::{make_runnable, RunnableQuery};
use super::{clip, IssueKind, Issues, LogError, LogIssue, SourceInfo};

type Res<'a, T> = IResult<&'a str, T, VerboseError<&'a str>>;

/// Rules kept at most; more distinct rule names than this is not a prerequisite log.
pub const MAX_RULES: usize = 4096;
/// Distinct queries kept per rule.
pub const MAX_QUERIES: usize = 16;
/// Distinct description lines kept per rule, each clipped to [`MAX_DETAIL_BYTES`].
pub const MAX_DETAILS: usize = 16;
/// Longest description line kept.
pub const MAX_DETAIL_BYTES: usize = 2000;

/// A rule's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// `Passed`.
    Passed,
    /// `Warning`: setup can proceed, but fix it first.
    Warning,
    /// `Error` or `Failed`: setup will fail.
    Failed,
    /// No result logged, or a word this tool does not know.
    Unknown,
}

/// One query a rule ran, as logged and made runnable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleQuery {
    /// 1-based line the query entry starts on.
    pub line: u64,
    /// The SQL as logged, continuation lines joined with `\n`.
    pub logged: String,
    /// What the log says it returned (`one or more rows`).
    pub returned: Option<String>,
    /// The runnable rewrite.
    pub runnable: RunnableQuery,
}

/// One prerequisite rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrereqRule {
    /// The rule name as logged.
    pub name: String,
    /// The server checked, when the log says.
    pub server: Option<String>,
    /// The latest result.
    pub outcome: Outcome,
    /// The latest result word as logged.
    pub result: Option<String>,
    /// 1-based line where the rule first appears.
    pub line: u64,
    /// 1-based line of its latest entry.
    pub last_line: u64,
    /// Timestamp of its first entry.
    pub stamp: Option<Stamp>,
    /// How many entries named this rule (block heads and summary lines).
    pub occurrences: u64,
    /// Description lines, in order, without repeats.
    pub details: Vec<String>,
    /// The queries it ran, without repeats.
    pub queries: Vec<RuleQuery>,
    /// What to do, for a rule that did not pass and is known.
    pub fix: Option<KnownFix>,
}

/// Rules by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PrereqCounts {
    /// Rules that passed.
    pub passed: u64,
    /// Rules with a warning.
    pub warning: u64,
    /// Rules that failed.
    pub failed: u64,
    /// Rules with no known result.
    pub unknown: u64,
}

/// The analysis of one `ConfigMgrPrereq.log`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrereqReport {
    /// How the file was read.
    pub source: SourceInfo,
    /// Whether the log says the check ran to the end ("Prerequisite checking is completed").
    pub completed: bool,
    /// Rules by outcome.
    pub counts: PrereqCounts,
    /// The rules, in the order they first appear.
    pub rules: Vec<PrereqRule>,
    /// Rules beyond [`MAX_RULES`], not kept.
    pub dropped_rules: u64,
    /// Problems inside the log.
    pub issues: Issues,
}

impl PrereqReport {
    /// Whether any rule failed (setup would fail).
    pub fn has_failures(&self) -> bool {
        self.counts.failed > 0
    }
}

/// Read a `ConfigMgrPrereq.log` and analyse it.
///
/// # Errors
/// [`LogError::Io`] when reading fails; [`LogError::NoEntries`] when the input holds no
/// timestamped entry at all.
pub fn analyze_prereq<R: Read>(input: R) -> Result<PrereqReport, LogError> {
    let mut builder = Builder::default();
    let (source, mut issues) = read_entries(input, |entry| builder.feed(entry))?;
    issues.extend(builder.issues);
    issues.items.sort_by_key(|i| i.line);
    let mut counts = PrereqCounts::default();
    for rule in &mut builder.rules {
        match rule.outcome {
            Outcome::Passed => counts.passed += 1,
            Outcome::Warning => counts.warning += 1,
            Outcome::Failed => counts.failed += 1,
            Outcome::Unknown => counts.unknown += 1,
        }
        if rule.outcome != Outcome::Passed {
            rule.fix = rule_fix(&rule.name);
        }
    }
    Ok(PrereqReport {
        source,
        completed: builder.completed,
        counts,
        rules: builder.rules,
        dropped_rules: builder.dropped_rules,
        issues,
    })
}

/// What one entry says, in the prerequisite log's vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Said<'a> {
    RuleName(&'a str),
    Query(&'a str),
    Result(&'a str),
    Summary {
        server: Option<&'a str>,
        rule: &'a str,
        result: &'a str,
        description: &'a str,
    },
    Completed,
    Info,
    Text(&'a str),
}

/// `Rule Name: <name>`.
fn rule_name(i: &str) -> Res<'_, &str> {
    context(
        "rule name",
        preceded(
            tuple((tag_no_case("rule name"), space0, char(':'), space0)),
            rest,
        ),
    )(i)
}

/// `Query <sql>` (also `Query: <sql>`); the SQL may continue on the next lines.
fn query(i: &str) -> Res<'_, &str> {
    context(
        "query",
        preceded(
            pair(
                tag_no_case("query"),
                alt((preceded(char(':'), space0), multispace1)),
            ),
            rest,
        ),
    )(i)
}

/// `Result: <word>`.
fn result(i: &str) -> Res<'_, &str> {
    context(
        "result",
        preceded(
            tuple((tag_no_case("result"), space0, char(':'), space0)),
            rest,
        ),
    )(i)
}

/// `returned one or more rows.` (or `no rows`, `3 rows`) ending a query entry.
fn returned_clause(i: &str) -> Res<'_, &str> {
    context(
        "returned clause",
        all_consuming(delimited(
            pair(tag_no_case("returned"), space1),
            recognize(tuple((
                alt((tag_no_case("one or more"), tag_no_case("no"), digit1)),
                space1,
                tag_no_case("row"),
                opt(tag_no_case("s")),
            ))),
            terminated(opt(char('.')), space0),
        )),
    )(i)
}

/// Split a query entry's text into the SQL and what it returned.
fn split_returned(sql: &str) -> (&str, Option<&str>) {
    let lower = sql.to_ascii_lowercase();
    for (at, _) in lower.rmatch_indices("returned") {
        let before = &sql[..at];
        if !before.ends_with(char::is_whitespace) {
            continue;
        }
        if let Ok((_, what)) = returned_clause(&sql[at..]) {
            return (before.trim_end(), Some(what));
        }
    }
    (sql.trim_end(), None)
}

/// The result words the checker writes.
fn outcome_of(word: &str) -> Outcome {
    match normalize(word).as_str() {
        "passed" | "pass" | "success" => Outcome::Passed,
        "warning" | "warn" => Outcome::Warning,
        "error" | "failed" | "fail" | "failure" => Outcome::Failed,
        _ => Outcome::Unknown,
    }
}

/// `server; rule; result; description`, or `rule; result; description`.
fn summary(text: &str) -> Option<Said<'_>> {
    let fields: Vec<&str> = text.splitn(4, ';').map(str::trim).collect();
    let is_result = |f: &&str| outcome_of(f) != Outcome::Unknown;
    match fields.as_slice() {
        [server, rule, result, rest @ ..]
            if is_result(result) && !server.is_empty() && !server.contains(' ') =>
        {
            Some(Said::Summary {
                server: Some(server),
                rule,
                result,
                description: rest.first().copied().unwrap_or(""),
            })
        }
        [rule, result, ..] if is_result(result) && !rule.is_empty() => {
            let description = text.splitn(3, ';').nth(2).map_or("", str::trim);
            Some(Said::Summary {
                server: None,
                rule,
                result,
                description,
            })
        }
        _ => None,
    }
}

fn classify(text: &str) -> Said<'_> {
    let head = text.lines().next().unwrap_or("").trim();
    if let Ok((_, name)) = rule_name(head) {
        return Said::RuleName(name.trim());
    }
    if let Ok((_, sql)) = query(text) {
        return Said::Query(sql);
    }
    if let Ok((_, word)) = result(head) {
        return Said::Result(word.trim());
    }
    let lower = head.to_ascii_lowercase();
    if lower.contains("prerequisite checking is completed") {
        return Said::Completed;
    }
    if lower.starts_with("info:") || lower.starts_with("***") || lower.starts_with("===") {
        return Said::Info;
    }
    summary(head).unwrap_or(Said::Text(text))
}

#[derive(Debug, Default)]
struct Builder {
    rules: Vec<PrereqRule>,
    /// Normalised name → indices of the rules with that name (one per server).
    by_name: BTreeMap<String, Vec<usize>>,
    /// The rule a block is describing.
    open: Option<usize>,
    completed: bool,
    dropped_rules: u64,
    issues: Issues,
}

impl Builder {
    fn feed(&mut self, entry: &Entry) {
        if entry.shape == EntryShape::Plain {
            return;
        }
        match classify(&entry.text) {
            Said::RuleName(name) => {
                self.open = self.rule(name, None, entry);
                if let Some(i) = self.open {
                    // A block for a rule that already has a result is a later run of the
                    // checker: its findings replace the earlier run's.
                    let rule = &mut self.rules[i];
                    if rule.result.is_some() {
                        rule.outcome = Outcome::Unknown;
                        rule.result = None;
                        rule.details.clear();
                        rule.queries.clear();
                    }
                }
            }
            Said::Query(sql) => self.query(sql, entry),
            Said::Result(word) => {
                if let Some(i) = self.open {
                    self.set_result(i, word, entry);
                }
            }
            Said::Summary {
                server,
                rule,
                result,
                description,
            } => {
                self.open = None;
                if let Some(i) = self.rule(rule, server, entry) {
                    self.set_result(i, result, entry);
                    self.detail(i, description);
                }
            }
            Said::Completed => {
                self.completed = true;
                self.open = None;
            }
            Said::Info => {}
            Said::Text(text) => {
                if let Some(i) = self.open {
                    self.detail(i, text);
                }
            }
        }
    }

    /// The rule called `name` on `server`: the latest one of that name whose server agrees
    /// (a block names no server, so it agrees with any), else a new one.
    fn rule(&mut self, name: &str, server: Option<&str>, entry: &Entry) -> Option<usize> {
        let key = normalize(name);
        let found = self.by_name.get(&key).and_then(|ids| {
            ids.iter()
                .rev()
                .copied()
                .find(|&i| match (&self.rules[i].server, server) {
                    (Some(have), Some(want)) => have.eq_ignore_ascii_case(want),
                    _ => true,
                })
        });
        if let Some(i) = found {
            let rule = &mut self.rules[i];
            rule.occurrences += 1;
            rule.last_line = entry.line;
            if rule.server.is_none() {
                rule.server = server.map(str::to_owned);
            }
            return Some(i);
        }
        if self.rules.len() >= MAX_RULES {
            self.dropped_rules += 1;
            return None;
        }
        self.rules.push(PrereqRule {
            name: name.to_owned(),
            server: server.map(str::to_owned),
            outcome: Outcome::Unknown,
            result: None,
            line: entry.line,
            last_line: entry.line,
            stamp: entry.stamp,
            occurrences: 1,
            details: Vec::new(),
            queries: Vec::new(),
            fix: None,
        });
        let i = self.rules.len() - 1;
        self.by_name.entry(key).or_default().push(i);
        Some(i)
    }

    fn set_result(&mut self, i: usize, word: &str, entry: &Entry) {
        let outcome = outcome_of(word);
        if outcome == Outcome::Unknown {
            self.issues.push(LogIssue {
                line: entry.line,
                kind: IssueKind::UnknownResult {
                    result: clip(word, 80),
                },
            });
        }
        let rule = &mut self.rules[i];
        rule.outcome = outcome;
        rule.result = Some(clip(word, 80));
        rule.last_line = entry.line;
    }

    /// Add a description line; a description wrapped over several log lines is one line here.
    fn detail(&mut self, i: usize, text: &str) {
        let details = &mut self.rules[i].details;
        if text.trim().is_empty() || details.len() >= MAX_DETAILS {
            return;
        }
        let text = clip(
            &text.split_whitespace().collect::<Vec<_>>().join(" "),
            MAX_DETAIL_BYTES,
        );
        if !details.contains(&text) {
            details.push(text);
        }
    }

    fn query(&mut self, sql: &str, entry: &Entry) {
        let Some(i) = self.open else {
            self.issues.push(LogIssue {
                line: entry.line,
                kind: IssueKind::QueryWithoutRule,
            });
            return;
        };
        let (logged, returned) = split_returned(sql.trim());
        let rule = &mut self.rules[i];
        rule.last_line = entry.line;
        if rule.queries.len() >= MAX_QUERIES || rule.queries.iter().any(|q| q.logged == logged) {
            return;
        }
        rule.queries.push(RuleQuery {
            line: entry.line,
            logged: logged.to_owned(),
            returned: returned.map(|r| r.to_ascii_lowercase()),
            runnable: make_runnable(logged),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_block_lines() {
        assert_eq!(
            classify("Rule Name: Client GUID consistency"),
            Said::RuleName("Client GUID consistency")
        );
        assert_eq!(classify("Result: Error"), Said::Result("Error"));
        assert_eq!(
            classify("Query select 1\nfrom t"),
            Said::Query("select 1\nfrom t")
        );
        assert_eq!(
            classify("Querying the site"),
            Said::Text("Querying the site")
        );
        assert_eq!(
            classify("******* Prerequisite checking is completed. *******"),
            Said::Completed
        );
        assert_eq!(
            classify("INFO: Check Sql version on secondary site."),
            Said::Info
        );
    }

    #[test]
    fn classifies_summary_lines() {
        assert_eq!(
            classify("SEC01.contoso.com; SQL Server version; Error; Sites need SQL; really"),
            Said::Summary {
                server: Some("SEC01.contoso.com"),
                rule: "SQL Server version",
                result: "Error",
                description: "Sites need SQL; really",
            }
        );
        assert_eq!(
            classify("Unsupported site system role;    Error;    Remove it; now"),
            Said::Summary {
                server: None,
                rule: "Unsupported site system role",
                result: "Error",
                description: "Remove it; now",
            }
        );
        assert_eq!(classify("a; b; c"), Said::Text("a; b; c"));
    }

    #[test]
    fn splits_the_returned_clause() {
        assert_eq!(
            split_returned("select 1 returned one or more rows."),
            ("select 1", Some("one or more rows"))
        );
        assert_eq!(
            split_returned("select x\nreturned 3 rows"),
            ("select x", Some("3 rows"))
        );
        assert_eq!(
            split_returned("select returned from t"),
            ("select returned from t", None)
        );
    }
}
