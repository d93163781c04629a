//! `smsmig mof migrate`: hardware-inventory customisations into ConfigMgr 2007's hinv files
//! (DESIGN §4.1, §5).
//!
//! Default: a dry run printing a unified diff per target file and a summary. `--apply` writes
//! the changed files atomically, keeping a `.bak` of each; `--check` exits 1 when changes are
//! pending. Open conflicts (not named by `--force`) also exit 1: the migration is incomplete.
//! Any input problem — unreadable or unparsable MOF, a target that is not a ConfigMgr `hinv`
//! directory, a read-only target under `--apply` — exits 2 before anything is written.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anstyle::AnsiColor;
use anyhow::{bail, Context};
use serde::Serialize;
use smsmig_migrate::hinv::{
    self, ClassStatus, FileChange, Finding, HinvError, Migration, Options, Report, Sources, Target,
};
use smsmig_mof::diagnostic::Diagnostic;

use crate::args::MofMigrateArgs;
use crate::diff::unified;
use crate::output::{Exit, Output};
use crate::render::render_diagnostics;
use crate::write::write_atomic;

pub(crate) fn run(args: MofMigrateArgs, out: &mut Output) -> anyhow::Result<Exit> {
    let loaded = Sources::load(&args.from, &args.mini, args.baseline.as_deref())
        .and_then(|sources| Ok((sources, Target::load(&args.into)?)));
    let (sources, target) = match loaded {
        Ok(pair) => pair,
        Err(err) => return Err(input_error(err, out)),
    };
    let options = Options {
        force: args.force.clone(),
    };
    let migration = hinv::migrate(&sources, &target, &options).map_err(|e| input_error(e, out))?;
    let mut written = Vec::new();
    if args.apply && migration.has_changes() {
        check_writable(&target.dir, &migration)?;
        for file in migration.files().into_iter().filter(|f| f.is_changed()) {
            let backup = write_atomic(&file.path, &file.encoded())
                .with_context(|| format!("writing {}", file.path.display()))?;
            written.push((file.path.clone(), backup));
        }
    }
    if out.json() {
        out.write_json(&JsonReport::new(&migration, &written))?;
    } else if !out.quiet {
        let text = render_text(&args, &migration, &written, out.color);
        out.write_all(text.as_bytes())?;
    }
    let pending = migration.has_changes() && !args.apply;
    let open_conflicts = migration.report.open_conflicts().next().is_some();
    Ok(if open_conflicts || (args.check && pending) {
        Exit::Findings
    } else {
        Exit::Ok
    })
}

/// Turn a load or migration error into the error `main` prints (exit 2), printing parse errors
/// with `file:line:col` and the source line first.
fn input_error(err: HinvError, out: &Output) -> anyhow::Error {
    if let HinvError::Parse(failure) = &err {
        let diagnostics: Vec<Diagnostic> = failure
            .errors
            .iter()
            .cloned()
            .map(Diagnostic::from)
            .collect();
        let text = render_diagnostics(
            &failure.path,
            &failure.source,
            &diagnostics,
            out.color_stderr,
        );
        let _ = std::io::stdout().flush();
        err_print!("{text}");
        return anyhow::anyhow!("{err}; nothing was written");
    }
    anyhow::anyhow!("{:#}; nothing was written", anyhow::Error::new(err))
}

/// Refuse to write into a read-only target before touching any file, so a failure never
/// leaves one file migrated and the other not. The read-only attribute is honoured even for
/// users the operating system would let write.
fn check_writable(dir: &Path, migration: &Migration) -> anyhow::Result<()> {
    let dir_meta = fs::metadata(dir).with_context(|| format!("reading {}", dir.display()))?;
    if dir_meta.permissions().readonly() {
        bail!(
            "target directory {} is read-only; nothing was written",
            dir.display()
        );
    }
    for file in migration.files().into_iter().filter(|f| f.is_changed()) {
        let meta =
            fs::metadata(&file.path).with_context(|| format!("reading {}", file.path.display()))?;
        if meta.permissions().readonly() {
            bail!("{} is read-only; nothing was written", file.path.display());
        }
    }
    tempfile::tempfile_in(dir).with_context(|| {
        format!(
            "cannot create files in {}; nothing was written",
            dir.display()
        )
    })?;
    Ok(())
}

/// The `smsmig.hinv/1` document: the report, plus what was written under `--apply`.
#[derive(Serialize)]
struct JsonReport<'a> {
    #[serde(flatten)]
    report: &'a Report,
    files: Vec<JsonFile>,
}

#[derive(Serialize)]
struct JsonFile {
    path: String,
    changed: bool,
    encoding: &'static str,
    written: bool,
    backup: Option<String>,
}

impl<'a> JsonReport<'a> {
    fn new(migration: &'a Migration, written: &[(PathBuf, Option<PathBuf>)]) -> Self {
        let files = migration
            .files()
            .into_iter()
            .map(|f| {
                let write = written.iter().find(|(p, _)| *p == f.path);
                JsonFile {
                    path: f.path.display().to_string(),
                    changed: f.is_changed(),
                    encoding: f.encoding().name(),
                    written: write.is_some(),
                    backup: write.and_then(|(_, b)| b.as_ref().map(|b| b.display().to_string())),
                }
            })
            .collect();
        Self {
            report: &migration.report,
            files,
        }
    }
}

/// Diff (dry run and `--check`) or what was written (`--apply`), then the summary.
fn render_text(
    args: &MofMigrateArgs,
    migration: &Migration,
    written: &[(PathBuf, Option<PathBuf>)],
    color: bool,
) -> String {
    let mut text = String::new();
    if args.apply {
        for (path, backup) in written {
            let _ = match backup {
                Some(b) => writeln!(text, "updated {} (backup: {})", path.display(), b.display()),
                None => writeln!(text, "updated {}", path.display()),
            };
        }
    } else {
        for file in migration.files() {
            text.push_str(&file_diff(file, color));
        }
    }
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(&summary(args, migration, color));
    text
}

fn file_diff(file: &FileChange, color: bool) -> String {
    let name = file.path.display().to_string();
    unified(&file.old_text, &file.new_text, &name, &name, color)
}

/// The readable end of a run: counts, the classes, toggles, conflicts and warnings, and what
/// to do next.
fn summary(args: &MofMigrateArgs, migration: &Migration, color: bool) -> String {
    let report = &migration.report;
    let bold = |s: &str| crate::output::paint(color, AnsiColor::White.on_default().bold(), s);
    let mut t = String::new();
    let conflicts = report.open_conflicts().count();
    let _ = writeln!(
        t,
        "{}",
        bold(&format!(
            "{} custom {}, {} {}, {} {}, {} {}",
            report.custom_classes.len(),
            plural(report.custom_classes.len(), "class", "classes"),
            report.toggles.len(),
            plural(report.toggles.len(), "toggle", "toggles"),
            conflicts,
            plural(conflicts, "conflict", "conflicts"),
            report.warnings.len(),
            plural(report.warnings.len(), "warning", "warnings"),
        ))
    );
    if !report.custom_classes.is_empty() {
        t.push_str("\nCustom classes\n");
        let width = report
            .custom_classes
            .iter()
            .map(|c| c.name.len())
            .max()
            .unwrap_or(0);
        for c in &report.custom_classes {
            let halves = match (c.data, c.reporting) {
                (true, true) => "data+reporting",
                (true, false) => "data only",
                (false, true) => "reporting only",
                (false, false) => "-",
            };
            let _ = writeln!(
                t,
                "  {:<8} {:<width$}  {:<16} {:<15} {}",
                status_label(c.status),
                c.name,
                c.namespace,
                halves,
                c.source
            );
        }
    }
    if !report.toggles.is_empty() {
        t.push_str("\nSMS_Report toggles\n");
        for toggle in &report.toggles {
            let what = match &toggle.property {
                Some(p) => format!("{}.{p}", toggle.target_class),
                None => format!("{} (class)", toggle.target_class),
            };
            let renamed = if toggle.class.eq_ignore_ascii_case(&toggle.target_class) {
                String::new()
            } else {
                format!("  (SMS 2003: {})", toggle.class)
            };
            let _ = writeln!(
                t,
                "  {what}: {} -> {}{renamed}",
                upper(toggle.from),
                upper(toggle.to)
            );
        }
    }
    findings(&mut t, "Conflicts (not merged)", &report.conflicts);
    findings(&mut t, "Warnings", &report.warnings);
    t.push_str("\nNext\n");
    for step in next_steps(args, migration) {
        let _ = writeln!(t, "  - {step}");
    }
    t
}

fn findings(t: &mut String, title: &str, list: &[Finding]) {
    if list.is_empty() {
        return;
    }
    let _ = writeln!(t, "\n{title}");
    for f in list {
        let forced = if f.forced { " [forced]" } else { "" };
        let class = if f.class.is_empty() {
            String::new()
        } else {
            format!(" {}:", f.class)
        };
        let _ = writeln!(t, "  {}{class} {}{forced}", f.code.as_str(), f.message);
    }
}

fn next_steps(args: &MofMigrateArgs, migration: &Migration) -> Vec<String> {
    let report = &migration.report;
    let mut steps = Vec::new();
    let open: Vec<&str> = {
        let mut names: Vec<&str> = report.open_conflicts().map(|c| c.class.as_str()).collect();
        names.dedup();
        names
    };
    if !open.is_empty() {
        steps.push(format!(
            "resolve the conflicts in the site's MOFs, or merge anyway with --force {}",
            open.join(" --force ")
        ));
    }
    let changed = migration.has_changes();
    if changed && !args.apply {
        steps.push(
            "review the diff, then run again with --apply (each file is kept as a .bak)".to_owned(),
        );
    }
    if changed {
        let when = if args.apply { "now" } else { "after --apply" };
        steps.push(format!(
            "{when}: on the site server, watch dataldr.log for the new SMS_def.mof classes being \
             compiled"
        ));
        steps.push(
            "clients pick up the change at their next Machine Policy Retrieval & Evaluation \
             Cycle; run it (or wait for the polling interval), then a Hardware Inventory Cycle \
             to report the new classes"
                .to_owned(),
        );
        let other_ns = report.custom_classes.iter().any(|c| {
            c.status != ClassStatus::Conflict
                && c.data
                && !c.namespace.eq_ignore_ascii_case("root\\cimv2")
        });
        if other_ns {
            steps.push(
                "data classes outside root\\cimv2 keep their own #pragma namespace: check on a test \
                 client with mofcomp -check that they compile"
                    .to_owned(),
            );
        }
    }
    if steps.is_empty() {
        steps.push("nothing to do: the target already has every customisation".to_owned());
    }
    steps
}

fn status_label(status: ClassStatus) -> &'static str {
    match status {
        ClassStatus::Add => "add",
        ClassStatus::Present => "present",
        ClassStatus::Conflict => "conflict",
        ClassStatus::Forced => "forced",
        _ => "?",
    }
}

fn plural<'s>(n: usize, one: &'s str, many: &'s str) -> &'s str {
    if n == 1 {
        one
    } else {
        many
    }
}

fn upper(value: bool) -> &'static str {
    if value {
        "TRUE"
    } else {
        "FALSE"
    }
}
