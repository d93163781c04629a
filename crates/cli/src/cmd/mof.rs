//! `smsmig mof check|split` (and dispatch of `mof migrate`).
//!
//! Exit codes (DESIGN §5):
//! - `check`: 0 when no diagnostic is an error (warnings are shown), 1 when any is — a syntax
//!   error in a MOF is a finding like any other; 2 when a path cannot be read.
//! - `split`: 0 when both files were written; 2 when a path cannot be read, when the input has
//!   any error (then nothing at all is written), or when an output exists and `--force` is not
//!   given.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::Serialize;
use smsmig_mof::check::{check, error_count};
use smsmig_mof::diagnostic::{Diagnostic, FileId};
use smsmig_mof::include::SourceSet;
use smsmig_mof::split::{self, describe, Layout, Reason, Sides, Split, SplitNote};
use smsmig_mof::{Encoding, SourceFile};

use crate::args::{MofCheckArgs, MofCommand, MofSplitArgs};
use crate::output::{Exit, Output};
use crate::render::{render_set, views, FileView};
use crate::write::write_atomic;

pub(crate) fn run(cmd: MofCommand, out: &mut Output) -> anyhow::Result<Exit> {
    match cmd {
        MofCommand::Check(args) => run_check(&args, out),
        MofCommand::Split(args) => run_split(&args, out),
        MofCommand::Migrate(args) => super::mof_migrate::run(args, out),
    }
}

/// The files named by `paths`: files as given, directories walked (sorted) for `*.mof` in any
/// letter case.
fn collect(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        let meta =
            std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
        if !meta.is_dir() {
            files.push(path.clone());
            continue;
        }
        let before = files.len();
        for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
            let entry = entry.with_context(|| format!("walking {}", path.display()))?;
            let is_mof = entry
                .path()
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("mof"));
            if entry.file_type().is_file() && is_mof {
                files.push(entry.into_path());
            }
        }
        if files.len() == before {
            bail!("no .mof files under {}", path.display());
        }
    }
    Ok(files)
}

fn load(paths: &[PathBuf]) -> anyhow::Result<SourceSet> {
    let files = collect(paths)?;
    SourceSet::load(&files).map_err(|err| match err {
        smsmig_mof::include::LoadError::Read { path, source } => {
            anyhow::Error::new(source).context(format!("reading {}", path.display()))
        }
        other => anyhow::Error::new(other),
    })
}

/// The diagnostics rendered for the terminal: all of them, or only the errors under `--quiet`.
fn render_shown(views: &[FileView<'_>], diagnostics: &[Diagnostic], out: &Output) -> String {
    let shown: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| !out.quiet || d.is_error())
        .cloned()
        .collect();
    render_set(views, &shown, out.color)
}

fn run_check(args: &MofCheckArgs, out: &mut Output) -> anyhow::Result<Exit> {
    let set = load(&args.paths)?;
    let diagnostics = check(&set);
    let errors = error_count(&diagnostics);
    let views = views(&set);
    let layout = split::classify(&set);
    if out.json() {
        let report = CheckJson {
            schema: "smsmig.check/1",
            files: file_reports(&set, &views, &layout, &diagnostics, false),
            summary: Summary::of(&set, &diagnostics),
        };
        out.write_json(&report)?;
    } else {
        let text = render_shown(&views, &diagnostics, out);
        out.write_all(text.as_bytes())?;
        if out.verbose > 0 {
            for id in set.ids() {
                let file = set.file(id);
                writeln!(
                    out,
                    "{}: {}{}, {} newlines, {} items",
                    file.path.display(),
                    file.source.encoding,
                    if file.source.bom { " with BOM" } else { "" },
                    file.source.newline,
                    file.document.items.len()
                )?;
            }
        }
        if !out.quiet {
            writeln!(out, "{}", Summary::of(&set, &diagnostics))?;
        }
    }
    Ok(if errors > 0 { Exit::Findings } else { Exit::Ok })
}

fn run_split(args: &MofSplitArgs, out: &mut Output) -> anyhow::Result<Exit> {
    let set = load(&args.paths)?;
    let diagnostics = check(&set);
    let errors = error_count(&diagnostics);
    let views = views(&set);
    if errors > 0 {
        if out.json() {
            let layout = split::classify(&set);
            let report = SplitJson {
                schema: "smsmig.split/1",
                files: file_reports(&set, &views, &layout, &diagnostics, true),
                outputs: None,
                notes: Vec::new(),
                summary: Summary::of(&set, &diagnostics),
            };
            out.write_json(&report)?;
        } else {
            out.write_all(render_shown(&views, &diagnostics, out).as_bytes())?;
        }
        out.flush()?;
        err_println!(
            "{}: not splitting: {} in the input; nothing written",
            out.error_label(),
            plural(errors, "error")
        );
        return Ok(Exit::Usage);
    }
    let conf_path = args.out.join("configuration.mof");
    let sms_path = args.out.join("SMS_def.mof");
    if !args.force {
        for p in [&conf_path, &sms_path] {
            if p.exists() {
                bail!(
                    "{} exists; use --force to overwrite it (a backup is kept)",
                    p.display()
                );
            }
        }
    }
    let result = split::split(&set);
    let encoder = output_encoding(&set, &result);
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let mut backups = Vec::new();
    for (path, text) in [
        (&conf_path, &result.configuration),
        (&sms_path, &result.sms_def),
    ] {
        if let Some(b) = write_atomic(path, &encoder.encode(text))? {
            backups.push(b);
        }
    }
    let outputs = Outputs {
        encoding: encoder.encoding,
        bom: encoder.bom,
        configuration: OutputFile::new(&conf_path, &set, &result.layout, |s| s.configuration),
        sms_def: OutputFile::new(&sms_path, &set, &result.layout, |s| s.sms_def),
        backups: backups.iter().map(|b| b.display().to_string()).collect(),
    };
    if out.json() {
        let report = SplitJson {
            schema: "smsmig.split/1",
            files: file_reports(&set, &views, &result.layout, &diagnostics, true),
            notes: result
                .notes
                .iter()
                .map(|n| NoteJson::new(n, &set, &views))
                .collect(),
            outputs: Some(outputs),
            summary: Summary::of(&set, &diagnostics),
        };
        out.write_json(&report)?;
    } else {
        if !out.quiet {
            out.write_all(render_set(&views, &diagnostics, out.color).as_bytes())?;
            let text = split_report(&set, &views, &result, &outputs);
            out.write_all(text.as_bytes())?;
        }
    }
    Ok(Exit::Ok)
}

/// The outputs are written in the first root's encoding, BOM and newline style (Microsoft's
/// files are UTF-16LE with BOM); when that is ANSI and cannot hold every character, UTF-16LE.
fn output_encoding(set: &SourceSet, result: &Split) -> SourceFile {
    let first = set.roots().first().map(|&r| set.file(r).source.clone());
    match first {
        Some(src) if src.can_encode(&result.configuration) && src.can_encode(&result.sms_def) => {
            src
        }
        _ => SourceFile {
            text: String::new(),
            encoding: Encoding::Utf16Le,
            bom: true,
            newline: smsmig_mof::Newline::CrLf,
        },
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[derive(Serialize)]
struct CheckJson<'a> {
    schema: &'static str,
    files: Vec<FileJson<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct SplitJson<'a> {
    schema: &'static str,
    files: Vec<FileJson<'a>>,
    /// `null` when nothing was written.
    outputs: Option<Outputs>,
    notes: Vec<NoteJson>,
    summary: Summary,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
}

impl Summary {
    fn of(set: &SourceSet, diagnostics: &[Diagnostic]) -> Self {
        let errors = error_count(diagnostics);
        Self {
            files: set.files().len(),
            errors,
            warnings: diagnostics.len() - errors,
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "checked {}: {}, {}",
            plural(self.files, "file"),
            plural(self.errors, "error"),
            plural(self.warnings, "warning")
        )
    }
}

#[derive(Serialize)]
struct FileJson<'a> {
    path: String,
    encoding: Encoding,
    bom: bool,
    newline: String,
    /// Named on the command line (or found in a named directory), not only included.
    root: bool,
    items: Vec<ItemJson<'a>>,
    diagnostics: Vec<DiagnosticJson>,
}

#[derive(Serialize)]
struct ItemJson<'a> {
    kind: &'static str,
    name: String,
    line: usize,
    column: usize,
    namespace: Option<&'a str>,
    role: Option<&'static str>,
    /// `configuration.mof`, `SMS_def.mof`, `both` or `-` (split only).
    #[serde(skip_serializing_if = "Option::is_none")]
    goes_to: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<Reason>,
}

#[derive(Serialize)]
struct DiagnosticJson {
    code: &'static str,
    severity: smsmig_mof::diagnostic::Severity,
    wbem_name: Option<&'static str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: String,
    related: Vec<RelatedJson>,
}

#[derive(Serialize)]
struct RelatedJson {
    path: String,
    line: usize,
    column: usize,
    note: String,
}

fn file_reports<'a>(
    set: &SourceSet,
    views: &[FileView<'_>],
    layout: &'a Layout,
    diagnostics: &[Diagnostic],
    with_sides: bool,
) -> Vec<FileJson<'a>> {
    set.ids()
        .map(|id| {
            let file = set.file(id);
            let view = &views[id.index()];
            let items = file
                .document
                .items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let label = describe(item);
                    let at = view.line_col(item.span.start);
                    let placement = layout.get(id, i);
                    ItemJson {
                        kind: label.kind,
                        name: label.name,
                        line: at.line,
                        column: at.column,
                        namespace: placement.and_then(|p| p.namespace.as_deref()),
                        role: placement.and_then(|p| p.role).map(split::Role::name),
                        goes_to: with_sides.then(|| placement.map_or("-", |p| p.sides.name())),
                        reason: placement.filter(|_| with_sides).map(|p| p.reason),
                    }
                })
                .collect();
            FileJson {
                path: file.path.display().to_string(),
                encoding: file.source.encoding,
                bom: file.source.bom,
                newline: file.source.newline.to_string(),
                root: set.roots().contains(&id),
                items,
                diagnostics: diagnostics
                    .iter()
                    .filter(|d| d.file == id)
                    .map(|d| diagnostic_json(d, set, views))
                    .collect(),
            }
        })
        .collect()
}

fn diagnostic_json(d: &Diagnostic, set: &SourceSet, views: &[FileView<'_>]) -> DiagnosticJson {
    let view = &views[d.file.index()];
    let start = view.line_col(d.span.start);
    let end = view.line_col(d.span.end);
    DiagnosticJson {
        code: d.code(),
        severity: d.severity(),
        wbem_name: d.wbem_name(),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        message: d.kind.to_string(),
        related: d
            .related
            .iter()
            .map(|r| {
                let at = views[r.file.index()].line_col(r.span.start);
                RelatedJson {
                    path: set.file(r.file).path.display().to_string(),
                    line: at.line,
                    column: at.column,
                    note: r.note.to_string(),
                }
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct Outputs {
    encoding: Encoding,
    bom: bool,
    configuration: OutputFile,
    sms_def: OutputFile,
    /// Backups of files `--force` overwrote.
    backups: Vec<String>,
}

#[derive(Serialize)]
struct OutputFile {
    path: String,
    classes: Vec<String>,
    items: usize,
}

impl OutputFile {
    fn new(path: &Path, set: &SourceSet, layout: &Layout, side: fn(Sides) -> bool) -> Self {
        let mut classes = Vec::new();
        let mut items = 0;
        for (id, index) in placed_items(set, layout, side) {
            items += 1;
            if let smsmig_mof::ItemKind::Class(c) = &set.file(id).document.items[index].kind {
                classes.push(c.name.text.clone());
            }
        }
        Self {
            path: path.display().to_string(),
            classes,
            items,
        }
    }
}

/// Items copied to one side, in file and item order.
fn placed_items(set: &SourceSet, layout: &Layout, side: fn(Sides) -> bool) -> Vec<(FileId, usize)> {
    set.ids()
        .flat_map(|id| {
            let n = set.file(id).document.items.len();
            (0..n)
                .filter(move |&i| layout.get(id, i).is_some_and(|p| side(p.sides)))
                .map(move |i| (id, i))
        })
        .collect()
}

#[derive(Serialize)]
struct NoteJson {
    path: String,
    line: usize,
    column: usize,
    message: String,
    #[serde(flatten)]
    note: SplitNote,
}

impl NoteJson {
    fn new(note: &SplitNote, set: &SourceSet, views: &[FileView<'_>]) -> Self {
        let (file, index) = note_at(note);
        let at = views[file.index()].line_col(set.file(file).document.items[index].span.start);
        Self {
            path: set.file(file).path.display().to_string(),
            line: at.line,
            column: at.column,
            message: note_message(note),
            note: note.clone(),
        }
    }
}

fn note_at(note: &SplitNote) -> (FileId, usize) {
    match note {
        SplitNote::DefaultNamespace { file, index, .. }
        | SplitNote::CorrectedNamespace { file, index, .. }
        | SplitNote::FlagsCarryOver { file, index } => (*file, *index),
        _ => (FileId(0), 0),
    }
}

fn note_message(note: &SplitNote) -> String {
    match note {
        SplitNote::DefaultNamespace { namespace, .. } => {
            format!("no namespace in force: written under {namespace}")
        }
        SplitNote::CorrectedNamespace {
            written, emitted, ..
        } => format!("namespace {written} written as {emitted}"),
        SplitNote::FlagsCarryOver { .. } => {
            "flags set for an earlier item of this output still apply here".to_owned()
        }
        _ => "note".to_owned(),
    }
}

/// The text report of a split: per output, every item copied there, then notes.
fn split_report(
    set: &SourceSet,
    views: &[FileView<'_>],
    result: &Split,
    outputs: &Outputs,
) -> String {
    let mut text = String::new();
    let where_ = |id: FileId, index: usize| {
        let at = views[id.index()].line_col(set.file(id).document.items[index].span.start);
        format!("{}:{}", set.file(id).path.display(), at.line)
    };
    for (file, side) in [
        (
            &outputs.configuration,
            (|s: Sides| s.configuration) as fn(Sides) -> bool,
        ),
        (&outputs.sms_def, |s: Sides| s.sms_def),
    ] {
        let rows: Vec<[String; 4]> = placed_items(set, &result.layout, side)
            .into_iter()
            .map(|(id, i)| {
                let item = &set.file(id).document.items[i];
                let label = describe(item);
                let p = result.layout.get(id, i).expect("placed");
                let reason = match p.reason {
                    Reason::Namespace => String::new(),
                    Reason::Content => "by content: no namespace in force".to_owned(),
                    Reason::TravelsWith { file, index } => {
                        let item = &set.file(file).document.items[index];
                        let target = describe(item);
                        let at = if file == id {
                            let line = views[file.index()].line_col(item.span.start).line;
                            format!("line {line}")
                        } else {
                            where_(file, index)
                        };
                        format!("with {} {} ({at})", target.kind, target.name)
                    }
                    Reason::CreatesNamespace => "creates a namespace used here".to_owned(),
                    Reason::Shared => "file-level: both outputs".to_owned(),
                    _ => "unparsed".to_owned(),
                };
                [
                    where_(id, i),
                    format!("{} {}", label.kind, label.name),
                    p.namespace.clone().unwrap_or_else(|| "-".to_owned()),
                    reason,
                ]
            })
            .collect();
        let _ = writeln!(text, "{} ← {}", file.path, plural(rows.len(), "item"));
        let widths: Vec<usize> = (0..3)
            .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
            .collect();
        for r in &rows {
            let line = format!(
                "  {:w0$}  {:w1$}  {:w2$}  {}",
                r[0],
                r[1],
                r[2],
                r[3],
                w0 = widths[0],
                w1 = widths[1],
                w2 = widths[2]
            );
            let _ = writeln!(text, "{}", line.trim_end());
        }
    }
    if !result.notes.is_empty() {
        let _ = writeln!(text, "notes:");
        for n in &result.notes {
            let (file, index) = note_at(n);
            let _ = writeln!(text, "  {}: {}", where_(file, index), note_message(n));
        }
    }
    for b in &outputs.backups {
        let _ = writeln!(text, "kept backup {b}");
    }
    let _ = writeln!(
        text,
        "wrote {} and {} ({}{})",
        outputs.configuration.path,
        outputs.sms_def.path,
        outputs.encoding,
        if outputs.bom { " with BOM" } else { "" }
    );
    text
}
