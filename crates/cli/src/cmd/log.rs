//! `smsmig log prereq|setup`: read a ConfigMgrPrereq.log or ConfigMgrSetup.log (UTF-16 or ANSI,
//! however large) and say what went wrong and what to do about it.
//!
//! Exit codes: 0 when the log shows no failure (warnings alone are 0), 1 when it does (a failed
//! prerequisite rule; a setup run that failed or never logged its completion), 2 when the file
//! cannot be read or holds no log entries.

use std::fs::File;
use std::io::Write;
use std::path::Path;

use anstyle::{AnsiColor, Style};
use anyhow::Context as _;
use serde::Serialize;
use smsmig_migrate::logs::fixes::Severity;
use smsmig_migrate::logs::{
    analyze_prereq, analyze_setup, Issues, Outcome, PrereqReport, PrereqRule, QueryNote, RuleQuery,
    SetupReport, SetupVerdict, SourceInfo,
};

use crate::args::LogCommand;
use crate::output::{Exit, Output};

pub(crate) fn run(cmd: LogCommand, out: &mut Output) -> anyhow::Result<Exit> {
    match cmd {
        LogCommand::Prereq(args) => prereq(&args.file, out),
        LogCommand::Setup(args) => setup(&args.file, out),
    }
}

/// The JSON document: the schema, the file, then the report's own fields.
#[derive(Serialize)]
struct Document<'a, T> {
    schema: &'static str,
    file: String,
    #[serde(flatten)]
    report: &'a T,
}

fn open(path: &Path) -> anyhow::Result<File> {
    File::open(path).with_context(|| format!("reading {}", path.display()))
}

fn prereq(path: &Path, out: &mut Output) -> anyhow::Result<Exit> {
    let report =
        analyze_prereq(open(path)?).with_context(|| format!("reading {}", path.display()))?;
    if out.json() {
        out.write_json(&Document {
            schema: "smsmig.prereq/1",
            file: path.display().to_string(),
            report: &report,
        })?;
    } else {
        render_prereq(&report, path, out)?;
    }
    Ok(if report.has_failures() {
        Exit::Findings
    } else {
        Exit::Ok
    })
}

fn setup(path: &Path, out: &mut Output) -> anyhow::Result<Exit> {
    let report =
        analyze_setup(open(path)?).with_context(|| format!("reading {}", path.display()))?;
    if out.json() {
        out.write_json(&Document {
            schema: "smsmig.setup/1",
            file: path.display().to_string(),
            report: &report,
        })?;
    } else {
        render_setup(&report, path, out)?;
    }
    Ok(if report.verdict.is_failure() {
        Exit::Findings
    } else {
        Exit::Ok
    })
}

fn red() -> Style {
    AnsiColor::Red.on_default().bold()
}

fn yellow() -> Style {
    AnsiColor::Yellow.on_default().bold()
}

fn green() -> Style {
    AnsiColor::Green.on_default().bold()
}

fn bold() -> Style {
    Style::new().bold()
}

/// `name: path (encoding, N lines)` and what is wrong with the file itself.
fn render_source(out: &mut Output, name: &str, path: &Path, s: &SourceInfo) -> anyhow::Result<()> {
    let title = out.paint(bold(), name);
    writeln!(
        out,
        "{title}: {} ({}, {} lines)",
        path.display(),
        s.encoding,
        s.lines
    )?;
    if s.ends_mid_line {
        writeln!(
            out,
            "  the last line has no line end: the file is cut off or still being written"
        )?;
    }
    if s.replacement_chars > 0 {
        writeln!(
            out,
            "  {} undecodable character(s) shown as \u{FFFD}",
            s.replacement_chars
        )?;
    }
    if s.clipped_lines > 0 || s.dropped_lines > 0 {
        writeln!(
            out,
            "  {} over-long line(s) clipped, {} continuation line(s) dropped",
            s.clipped_lines, s.dropped_lines
        )?;
    }
    Ok(())
}

fn render_issues(out: &mut Output, issues: &Issues) -> anyhow::Result<()> {
    if issues.total == 0 {
        return Ok(());
    }
    if out.verbose == 0 {
        writeln!(
            out,
            "{} problem(s) inside the log (damaged timestamps, unknown results); -v lists them",
            issues.total
        )?;
        return Ok(());
    }
    writeln!(out, "problems inside the log ({}):", issues.total)?;
    for issue in &issues.items {
        writeln!(
            out,
            "  line {}: {}",
            issue.line,
            serde_json::to_string(&issue.kind)?
        )?;
    }
    Ok(())
}

/// Print `text` indented by `pad`, every line.
fn block(out: &mut Output, pad: &str, text: &str) -> anyhow::Result<()> {
    for line in text.lines() {
        writeln!(out, "{pad}{line}")?;
    }
    Ok(())
}

fn render_prereq(r: &PrereqReport, path: &Path, out: &mut Output) -> anyhow::Result<()> {
    render_source(out, "ConfigMgrPrereq.log", path, &r.source)?;
    if !r.completed {
        writeln!(
            out,
            "  no \"Prerequisite checking is completed\": the check was interrupted or the log \
             is cut short"
        )?;
    }
    let mut shown: Vec<&PrereqRule> = r
        .rules
        .iter()
        .filter(|rule| match rule.outcome {
            Outcome::Failed => true,
            Outcome::Warning | Outcome::Unknown => !out.quiet,
            Outcome::Passed => out.verbose > 0,
        })
        .collect();
    // Failures first, then warnings, unknowns and (with -v) passes; in log order within each.
    let rank = |o: Outcome| match o {
        Outcome::Failed => 0,
        Outcome::Warning => 1,
        Outcome::Unknown => 2,
        Outcome::Passed => 3,
    };
    shown.sort_by_key(|rule| (rank(rule.outcome), rule.line));
    for rule in shown {
        writeln!(out)?;
        render_rule(out, rule)?;
    }
    writeln!(out)?;
    render_issues(out, &r.issues)?;
    let c = &r.counts;
    let failed = format!("{} failed", c.failed);
    let failed = if c.failed > 0 {
        out.paint(red(), &failed)
    } else {
        failed
    };
    let mut summary = format!(
        "{} rules: {failed}, {} warning(s), {} passed",
        r.rules.len(),
        c.warning,
        c.passed
    );
    if c.unknown > 0 {
        summary.push_str(&format!(", {} without a result", c.unknown));
    }
    writeln!(out, "{summary}")?;
    Ok(())
}

fn render_rule(out: &mut Output, rule: &PrereqRule) -> anyhow::Result<()> {
    let label = match rule.outcome {
        Outcome::Failed => out.paint(red(), "FAILED "),
        Outcome::Warning => out.paint(yellow(), "WARNING"),
        Outcome::Unknown => out.paint(yellow(), "UNKNOWN"),
        Outcome::Passed => out.paint(green(), "passed "),
    };
    let server = rule
        .server
        .as_deref()
        .map(|s| format!("{s}, "))
        .unwrap_or_default();
    writeln!(out, "{label} {} ({server}line {})", rule.name, rule.line)?;
    if rule.outcome == Outcome::Passed {
        return Ok(());
    }
    for detail in &rule.details {
        writeln!(out, "  {detail}")?;
    }
    for query in &rule.queries {
        render_query(out, query)?;
    }
    match &rule.fix {
        Some(fix) => writeln!(out, "  fix: {} ({})", fix.fix, fix.source)?,
        None => writeln!(
            out,
            "  fix: no known fix; the rule's own description above is the guide"
        )?,
    }
    Ok(())
}

fn render_query(out: &mut Output, q: &RuleQuery) -> anyhow::Result<()> {
    let returned = q
        .returned
        .as_deref()
        .map(|r| format!(", it returned {r}"))
        .unwrap_or_default();
    let how = if q.runnable.rewrites.is_empty() {
        String::new()
    } else {
        let values: Vec<String> = q
            .runnable
            .rewrites
            .iter()
            .map(|rw| format!("{} as {}", rw.from, rw.to))
            .collect();
        format!("; rewritten {}", values.join(", "))
    };
    writeln!(
        out,
        "  query (line {}{returned}{how}), to run against the site database:",
        q.line
    )?;
    block(out, "      ", &q.runnable.sql)?;
    for note in &q.runnable.notes {
        let text = match note {
            QueryNote::Unterminated { what, .. } => {
                format!("a {what} never closes: the query is cut short and cannot run as is")
            }
            QueryNote::UnbalancedParentheses { depth } => {
                format!("parentheses do not balance ({depth:+}): the query is cut short or mangled")
            }
            QueryNote::LiteralSpansLines { .. } => {
                "a string literal spans a line end: check for a lost quote before running".into()
            }
            QueryNote::QuotedIdentifierKept { token, .. } => {
                format!("{token} is kept as a quoted column name")
            }
            _ => serde_json::to_string(note)?,
        };
        writeln!(out, "  note: {text}")?;
    }
    Ok(())
}

fn render_setup(r: &SetupReport, path: &Path, out: &mut Output) -> anyhow::Result<()> {
    render_source(out, "ConfigMgrSetup.log", path, &r.source)?;
    let verdict = match r.verdict {
        SetupVerdict::Succeeded => out.paint(green(), "SUCCEEDED"),
        SetupVerdict::SucceededWithWarnings => out.paint(yellow(), "SUCCEEDED WITH WARNINGS"),
        SetupVerdict::Failed => out.paint(red(), "FAILED"),
        SetupVerdict::Incomplete => out.paint(red(), "INCOMPLETE"),
    };
    writeln!(out, "verdict: {verdict}: {}", r.verdict.advice())?;
    for f in &r.findings {
        if out.quiet && f.severity != Severity::Error {
            continue;
        }
        let label = match f.severity {
            Severity::Error => out.paint(red(), "ERROR  "),
            Severity::Warning => out.paint(yellow(), "WARNING"),
        };
        let lines = if f.occurrences > 1 {
            format!("lines {}-{}, {} times", f.line, f.last_line, f.occurrences)
        } else {
            format!("line {}", f.line)
        };
        writeln!(out, "\n{label} {} ({lines})", f.problem.title())?;
        writeln!(out, "  log:   {}", f.evidence.lines().next().unwrap_or(""))?;
        writeln!(out, "  cause: {}", f.cause)?;
        writeln!(out, "  fix:   {} ({})", f.fix.fix, f.fix.source)?;
    }
    if !out.quiet {
        for m in &r.milestones {
            let label = out.paint(green(), "done   ");
            writeln!(
                out,
                "\n{label} {} (line {})",
                m.milestone.title(),
                m.last_line
            )?;
            writeln!(out, "  next:  {}", m.next)?;
        }
    }
    if !r.versions.is_empty() && !out.quiet {
        writeln!(out)?;
        writeln!(out, "versions named:")?;
        for v in &r.versions {
            writeln!(
                out,
                "  {} ({}), line {}",
                v.version,
                v.release.unwrap_or("release not known"),
                v.line
            )?;
        }
    }
    if r.other_errors_total > 0 {
        writeln!(out, "\nother error lines ({}):", r.other_errors_total)?;
        for e in &r.other_errors {
            let mut lines = e.text.lines();
            writeln!(out, "  line {}: {}", e.line, lines.next().unwrap_or(""))?;
            for more in lines {
                writeln!(out, "      {more}")?;
            }
        }
        if r.other_errors_total > r.other_errors.len() as u64 {
            writeln!(
                out,
                "  ... and {} more",
                r.other_errors_total - r.other_errors.len() as u64
            )?;
        }
    }
    writeln!(out)?;
    render_issues(out, &r.issues)?;
    let errors = r
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = r.findings.len() - errors;
    writeln!(
        out,
        "{errors} recognised error(s), {warnings} warning(s), {} other error line(s), \
         {} success marker(s)",
        r.other_errors_total,
        r.milestones.len()
    )?;
    Ok(())
}
