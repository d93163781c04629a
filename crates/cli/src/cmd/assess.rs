//! `smsmig assess --inventory DIR`: in-place upgrade readiness per site (DESIGN §4.3).
//!
//! Text output: a summary, the upgrade order with each site's verdict, the findings grouped by
//! site in that order, and the SP1 upgrade checklist. JSON output (`smsmig.assess/1`): the same,
//! with each site's findings nested under it.
//!
//! Exit codes: 0 when no site is blocked (warnings and "cannot tell" findings alone are 0), 1
//! when any site is blocked, 2 when the inventory cannot be loaded (the loader's error is shown
//! at `file:line:column`, with the offending line).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use annotate_snippets::{Level, Renderer, Snippet};
use anstyle::{AnsiColor, Style};
use serde::Serialize;
use smsmig_migrate::assess::{
    assess, Assessment, ChecklistItem, Finding, ItemStatus, Severity, SiteAssessment, Strategy,
    Verdict,
};
use smsmig_migrate::inventory::{self, LoadError, Loaded, SiteType};

use crate::args::AssessArgs;
use crate::output::{paint, Exit, Output};

pub(crate) fn run(args: AssessArgs, out: &mut Output) -> anyhow::Result<Exit> {
    let loaded = match inventory::load_dir(&args.inventory) {
        Ok(loaded) => loaded,
        Err(err) => {
            let _ = out.flush();
            err_print!("{}", render_load_error(&err, out.color_stderr));
            return Ok(Exit::Usage);
        }
    };
    report_load_findings(&loaded, out);
    let assessment = assess(&loaded.inventory);
    if out.json() {
        out.write_json(&Document::new(&args.inventory, &loaded, &assessment))?;
    } else {
        let text = render_text(&assessment, out.color, out.quiet);
        out.write_all(text.as_bytes())?;
    }
    Ok(if assessment.any_blocked() {
        Exit::Findings
    } else {
        Exit::Ok
    })
}

/// A load error as rustc renders one: title, `--> file:line:col`, the line and a caret.
fn render_load_error(err: &LoadError, color: bool) -> String {
    let text = err.to_string();
    let Some(at) = err.location() else {
        return format!(
            "{}: {text}\n",
            paint(color, AnsiColor::Red.on_default().bold(), "error")
        );
    };
    // The message without its leading `path:line:col: `, which the snippet shows instead.
    let prefix = format!("{at}: ");
    let title = text.strip_prefix(&prefix).unwrap_or(&text).to_owned();
    let line_text = read_line(&at.path, at.line);
    let origin = at.path.display().to_string();
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    match line_text {
        Some(line) => {
            let col = usize::try_from(at.column.saturating_sub(1)).unwrap_or(0);
            let start = line.char_indices().nth(col).map_or(line.len(), |(i, _)| i);
            let end = line[start..]
                .chars()
                .next()
                .map_or(start, |c| start + c.len_utf8());
            let line_no = usize::try_from(at.line).unwrap_or(1);
            let message = Level::Error.title(&title).snippet(
                Snippet::source(&line)
                    .line_start(line_no)
                    .origin(&origin)
                    .annotation(Level::Error.span(start..end.max(start))),
            );
            format!("{}\n", renderer.render(message))
        }
        None => {
            let message = Level::Error.title(&text);
            format!("{}\n", renderer.render(message))
        }
    }
}

/// Line `line` (1-based) of a UTF-8 (or ANSI) file, without its line ending; `None` when the
/// file cannot be read or is UTF-16 (the error's own text still names the position).
fn read_line(path: &Path, line: u64) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return None;
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&bytes);
    let raw = bytes
        .split(|b| *b == b'\n')
        .nth(usize::try_from(line).ok()?.checked_sub(1)?)?;
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    Some(String::from_utf8_lossy(raw).into_owned())
}

/// Warnings and errors the loader found in the data go to standard error (info findings, such
/// as an absent optional file, only with `-v`).
fn report_load_findings(loaded: &Loaded, out: &Output) {
    if out.quiet {
        return;
    }
    for f in &loaded.findings {
        if f.severity >= inventory::Severity::Warning || out.verbose > 0 {
            err_println!("inventory: {f}");
        }
    }
}

/// The JSON document (`smsmig.assess/1`).
#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    inventory: String,
    summary: Summary,
    upgrade_order: Vec<&'a str>,
    sites: Vec<SiteDoc<'a>>,
    checklist: &'a [ChecklistItem],
    notes: &'a [String],
    inventory_findings: &'a [inventory::Finding],
}

#[derive(Serialize)]
struct SiteDoc<'a> {
    #[serde(flatten)]
    site: &'a SiteAssessment,
    findings: Vec<&'a Finding>,
}

/// Sites by verdict.
#[derive(Serialize)]
struct Summary {
    sites: usize,
    ready: usize,
    ready_with_warnings: usize,
    blocked: usize,
}

impl Summary {
    fn of(a: &Assessment) -> Self {
        let n = |v: Verdict| a.sites.iter().filter(|s| s.verdict == v).count();
        Self {
            sites: a.sites.len(),
            ready: n(Verdict::Ready),
            ready_with_warnings: n(Verdict::ReadyWithWarnings),
            blocked: n(Verdict::Blocked),
        }
    }
}

impl<'a> Document<'a> {
    fn new(dir: &Path, loaded: &'a Loaded, a: &'a Assessment) -> Self {
        Self {
            schema: "smsmig.assess/1",
            inventory: dir.display().to_string(),
            summary: Summary::of(a),
            upgrade_order: a
                .sites_in_upgrade_order
                .iter()
                .map(|c| c.as_str())
                .collect(),
            sites: a
                .sites
                .iter()
                .map(|s| SiteDoc {
                    site: s,
                    findings: a.findings_of(s.code).collect(),
                })
                .collect(),
            checklist: &a.checklist,
            notes: &a.notes,
            inventory_findings: &loaded.findings,
        }
    }
}

fn verdict_style(v: Verdict) -> Style {
    match v {
        Verdict::Ready => AnsiColor::Green.on_default().bold(),
        Verdict::ReadyWithWarnings => AnsiColor::Yellow.on_default().bold(),
        Verdict::Blocked => AnsiColor::Red.on_default().bold(),
    }
}

fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Error => AnsiColor::Red.on_default().bold(),
        Severity::Warning => AnsiColor::Yellow.on_default().bold(),
        Severity::Info => AnsiColor::Cyan.on_default().bold(),
    }
}

/// The whole text report; `quiet` keeps only the summary and the order table.
fn render_text(a: &Assessment, color: bool, quiet: bool) -> String {
    let mut s = String::new();
    let sum = Summary::of(a);
    let _ = writeln!(
        s,
        "In-place upgrade to ConfigMgr 2007 SP1: {} site(s): {} ready, {} ready with warnings, {} blocked",
        sum.sites, sum.ready, sum.ready_with_warnings, sum.blocked
    );
    s.push_str("\n## Upgrade order\n\n");
    order_table(a, color, &mut s);
    if quiet {
        return s;
    }
    for site in &a.sites {
        site_section(a, site, color, &mut s);
    }
    s.push_str("\n## Checklist (Configuration Manager 2007 SP1 Upgrade Checklist)\n\n");
    checklist(&a.checklist, color, &mut s);
    if !a.notes.is_empty() {
        s.push_str("\n## Notes\n\n");
        for note in &a.notes {
            let _ = writeln!(s, "- {note}");
        }
    }
    s
}

fn order_table(a: &Assessment, color: bool, s: &mut String) {
    let name_w = a
        .sites
        .iter()
        .map(|x| x.name.chars().count())
        .max()
        .unwrap_or(0);
    let path_w = a
        .sites
        .iter()
        .map(|x| x.upgrade_path.source.chars().count())
        .max()
        .unwrap_or(0);
    for site in &a.sites {
        let kind = match site.site_type {
            SiteType::Primary => "primary",
            SiteType::Secondary => "secondary",
        };
        let parent = site
            .parent
            .map_or_else(|| "central".to_owned(), |p| format!("under {p}"));
        let mut verdict = paint(color, verdict_style(site.verdict), site.verdict.as_str());
        if !site.cannot_tell.is_empty() {
            let _ = write!(verdict, " ({} to check by hand)", site.cannot_tell.len());
        }
        let line = format!(
            "{:>3}. {}  {:<name_w$}  {:<9}  {:<9}  {:<path_w$}  {verdict}",
            site.step, site.code, site.name, kind, parent, site.upgrade_path.source,
        );
        let _ = writeln!(s, "{}", line.trim_end());
    }
}

fn site_section(a: &Assessment, site: &SiteAssessment, color: bool, s: &mut String) {
    let kind = match site.site_type {
        SiteType::Primary => "primary",
        SiteType::Secondary => "secondary",
    };
    let place = site
        .parent
        .map_or_else(|| "central site".to_owned(), |p| format!("child of {p}"));
    let verdict = paint(color, verdict_style(site.verdict), site.verdict.as_str());
    let _ = writeln!(
        s,
        "\n## {}. {} {} ({kind}, {place}): {verdict}\n",
        site.step, site.code, site.name
    );
    let path = &site.upgrade_path;
    let reach = if path.at_target {
        "already there".to_owned()
    } else if path.releases.is_empty() {
        "no release upgrades it".to_owned()
    } else {
        let names: Vec<&str> = path.releases.iter().map(|r| r.as_str()).collect();
        format!("{} release", names.join(" or "))
    };
    let _ = writeln!(
        s,
        "upgrade path: {} -> ConfigMgr 2007 SP1: {reach}",
        path.source
    );
    let rec = &site.recommendation;
    let _ = writeln!(s, "recommendation: {}", rec.strategy.as_str());
    if rec.strategy == Strategy::ConsiderSideBySide {
        for r in &rec.reasons {
            let kind = r.kind.as_str();
            let _ = writeln!(s, "  - {kind}: {}", r.detail);
        }
    }
    for note in &rec.notes {
        let _ = writeln!(s, "  note: {note}");
    }
    let c = site.counts;
    let mut counts = format!(
        "findings: {} error(s), {} warning(s), {} info",
        c.error, c.warning, c.info
    );
    if !site.cannot_tell.is_empty() {
        let _ = write!(counts, "; cannot tell: {}", site.cannot_tell.join(", "));
    }
    let _ = writeln!(s, "{counts}");
    for f in a.findings_of(site.code) {
        finding(f, color, s);
    }
}

fn finding(f: &Finding, color: bool, s: &mut String) {
    let label = paint(
        color,
        severity_style(f.severity),
        &format!("{}[{}]", f.severity, f.code),
    );
    let _ = writeln!(s, "\n{label}: {}", f.title);
    let _ = writeln!(s, "  evidence: {}", f.evidence.summary);
    for item in &f.evidence.items {
        match item.resource_id {
            Some(id) => {
                let _ = writeln!(s, "    - {} ({id}): {}", item.name, item.detail);
            }
            None => {
                let _ = writeln!(s, "    - {}: {}", item.name, item.detail);
            }
        }
    }
    if f.evidence.more() > 0 {
        let _ = writeln!(s, "    ... and {} more", f.evidence.more());
    }
    let _ = writeln!(s, "  fix: {}", f.fix);
    let _ = writeln!(s, "  see: {}", f.reference);
}

fn checklist(items: &[ChecklistItem], color: bool, s: &mut String) {
    for item in items {
        let style = match item.status {
            ItemStatus::Done => AnsiColor::Green.on_default(),
            ItemStatus::Todo => AnsiColor::Yellow.on_default().bold(),
            ItemStatus::CannotTell => AnsiColor::Cyan.on_default(),
            ItemStatus::NotApplicable => Style::new(),
        };
        let status = format!("[{}]", item.status.as_str());
        let pad = " ".repeat(13usize.saturating_sub(status.len()));
        let _ = writeln!(
            s,
            "{:>3}. {}{pad} {}",
            item.step,
            paint(color, style, &status),
            item.text
        );
        let _ = writeln!(s, "     {:13} {}", "", item.note);
    }
}
