//! `smsmig inventory sql|pull|script|show`: print the extraction queries, run them against a
//! site database, write the SMS Provider script, and summarise an export directory.
//!
//! Exit codes: `show` 0, or 1 when the load found error-level problems (duplicate keys), or 2
//! for unreadable or malformed input (with `file:line:column`); `pull` 0, or 1 when rows were
//! written that the loader will reject, or 2 when the pull failed; `script` 0, or 2 when the
//! script exists (without `--force`) or cannot be written.

use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::time::Duration;

use anstyle::{AnsiColor, Style};
use anyhow::Context as _;
use serde::Serialize;
use smsmig_migrate::inventory::{
    extraction_script, load_dir, summarize, Finding, SecurityMode, Severity, SiteSummary, SiteType,
    Summary, TABLES,
};

use crate::args::{InventoryCommand, InventoryPullArgs, InventoryScriptArgs, InventoryShowArgs};
use crate::output::{Exit, Output};

pub(crate) fn run(cmd: InventoryCommand, out: &mut Output) -> anyhow::Result<Exit> {
    match cmd {
        InventoryCommand::Sql => sql(out),
        InventoryCommand::Pull(args) => pull::run(&args, out),
        InventoryCommand::Script(args) => script::run(&args, out),
        InventoryCommand::Show(args) => show(&args, out),
    }
}

#[derive(Serialize)]
struct QueryDoc {
    file: &'static str,
    purpose: &'static str,
    sql: Option<String>,
}

fn sql(out: &mut Output) -> anyhow::Result<Exit> {
    if out.json() {
        #[derive(Serialize)]
        struct Doc {
            schema: &'static str,
            queries: Vec<QueryDoc>,
        }
        let queries = TABLES
            .iter()
            .map(|t| QueryDoc {
                file: t.file,
                purpose: t.purpose,
                sql: t.select_sql(&|_, _| true),
            })
            .collect();
        out.write_json(&Doc {
            schema: "smsmig.inventory-sql/1",
            queries,
        })?;
    } else {
        out.write_all(extraction_script().as_bytes())?;
    }
    Ok(Exit::Ok)
}

#[derive(Serialize)]
struct ShowDoc<'a> {
    schema: &'static str,
    inventory: String,
    #[serde(flatten)]
    summary: &'a Summary,
    findings: &'a [Finding],
}

fn show(args: &InventoryShowArgs, out: &mut Output) -> anyhow::Result<Exit> {
    let loaded = load_dir(&args.inventory)?;
    let summary = summarize(&loaded.inventory);
    if out.json() {
        out.write_json(&ShowDoc {
            schema: "smsmig.inventory/1",
            inventory: args.inventory.display().to_string(),
            summary: &summary,
            findings: &loaded.findings,
        })?;
    } else if !out.quiet {
        render_summary(&summary, out)?;
        render_findings(&loaded.findings, &args.inventory, out)?;
    }
    Ok(if loaded.worst() == Some(Severity::Error) {
        Exit::Findings
    } else {
        Exit::Ok
    })
}

/// Tree prefixes (`├─ `, `└─ `, `│  `) for sites in top-down order.
fn tree_prefixes(sites: &[SiteSummary]) -> Vec<String> {
    let is_last = |i: usize| {
        !sites[i + 1..]
            .iter()
            .any(|s| s.parent == sites[i].parent && s.depth == sites[i].depth)
    };
    // open[d] says whether the ancestor at depth d still has siblings below it.
    let mut open: Vec<bool> = Vec::new();
    sites
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if s.depth == 0 {
                open.clear();
                return String::new();
            }
            open.truncate(s.depth - 1);
            let mut prefix: String = open
                .iter()
                .map(|o| if *o { "│  " } else { "   " })
                .collect();
            let last = is_last(i);
            prefix.push_str(if last { "└─ " } else { "├─ " });
            open.push(!last);
            prefix
        })
        .collect()
}

fn render_summary(summary: &Summary, out: &mut Output) -> anyhow::Result<()> {
    let header = [
        "SITE",
        "NAME",
        "TYPE",
        "VERSION",
        "SP",
        "SECURITY",
        "BOUNDARIES",
        "COLLECTIONS",
        "PACKAGES",
        "CLIENTS",
    ];
    let prefixes = tree_prefixes(&summary.sites);
    let rows: Vec<[String; 10]> = summary
        .sites
        .iter()
        .zip(&prefixes)
        .map(|(s, prefix)| {
            [
                format!("{prefix}{}", s.code),
                s.name.clone(),
                match s.site_type {
                    SiteType::Primary => "primary",
                    SiteType::Secondary => "secondary",
                }
                .to_owned(),
                s.version.clone(),
                s.service_pack.map_or_else(
                    || "?".to_owned(),
                    |sp| {
                        if sp == 0 {
                            "RTM".to_owned()
                        } else {
                            format!("SP{sp}")
                        }
                    },
                ),
                match s.security_mode {
                    Some(SecurityMode::Advanced) => "advanced",
                    Some(SecurityMode::Standard) => "standard",
                    None => "?",
                }
                .to_owned(),
                format!("{} + {} roaming", s.site_boundaries, s.roaming_boundaries),
                s.collections.to_string(),
                s.packages.to_string(),
                if s.legacy_clients > 0 {
                    format!("{} ({} legacy)", s.clients, s.legacy_clients)
                } else {
                    s.clients.to_string()
                },
            ]
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let bold = Style::new().bold();
    let line = |cells: &[&str]| {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                text.push_str(cell);
                text.push_str(&" ".repeat(w - cell.chars().count() + 2));
            }
        }
        text
    };
    writeln!(out, "{}", out.paint(bold, &line(&header)))?;
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        writeln!(out, "{}", line(&cells))?;
    }
    let t = &summary.totals;
    writeln!(
        out,
        "\n{} sites ({} primary, {} secondary), {} boundaries, {} collections, {} packages, \
         {} programs, {} advertisements, {} queries, {} reports",
        t.sites,
        t.primary_sites,
        t.secondary_sites,
        t.boundaries,
        t.collections,
        t.packages,
        t.programs,
        t.advertisements,
        t.queries,
        t.reports
    )?;
    writeln!(
        out,
        "{} resources: {} with the SMS client ({} advanced, {} legacy), {} unassigned",
        t.resources, t.clients_installed, t.advanced_clients, t.legacy_clients, t.unassigned
    )?;
    Ok(())
}

fn render_findings(findings: &[Finding], dir: &Path, out: &mut Output) -> anyhow::Result<()> {
    let shown: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity > Severity::Info || out.verbose > 0)
        .collect();
    if shown.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nFindings:")?;
    for f in shown {
        let style = match f.severity {
            Severity::Error => AnsiColor::Red.on_default().bold(),
            Severity::Warning => AnsiColor::Yellow.on_default().bold(),
            Severity::Info => AnsiColor::Cyan.on_default(),
        };
        let path = dir.join(f.file);
        let place = match f.line {
            Some(line) => format!("{}:{line}", path.display()),
            None => path.display().to_string(),
        };
        let label = out.paint(style, &f.severity.to_string());
        writeln!(out, "{place}: {label}: {}", f.kind)?;
    }
    Ok(())
}

/// The password for a SQL login: `SMSMIG_SQL_PASSWORD`, else a prompt on the terminal.
fn password(user: &str, server: &str) -> anyhow::Result<String> {
    if let Some(p) = std::env::var_os("SMSMIG_SQL_PASSWORD") {
        return p
            .into_string()
            .map_err(|_| anyhow::anyhow!("SMSMIG_SQL_PASSWORD is not valid Unicode"));
    }
    if !io::stderr().is_terminal() {
        anyhow::bail!(
            "no password for {user}: set SMSMIG_SQL_PASSWORD or run on a terminal to be prompted"
        );
    }
    rpassword::prompt_password(format!("Password for {user} on {server}: "))
        .context("reading the password")
}

mod pull {
    //! `smsmig inventory pull`: progress bars on a terminal, notes otherwise.

    use super::*;
    use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
    use smsmig_migrate::inventory::pull::{
        pull, Auth, Notice, Progress, PullOptions, PullReport, Target,
    };
    use smsmig_migrate::inventory::script::provider_columns;

    pub(super) fn run(args: &InventoryPullArgs, out: &mut Output) -> anyhow::Result<Exit> {
        let target = Target::parse(&args.server, &args.database)?;
        let auth = match (&args.user, args.integrated) {
            (Some(user), _) => Auth::Sql {
                user: user.clone(),
                password: password(user, &args.server)?,
            },
            (None, _) => Auth::Integrated,
        };
        let opts = PullOptions {
            auth,
            trust_server_certificate: args.trust_server_certificate,
            query_timeout: Duration::from_secs(args.timeout.max(1)),
            retries: args.retries,
        };
        let bars = !out.quiet && !out.json() && io::stderr().is_terminal();
        let mut progress = Bars::new(bars, out.quiet, out.color_stderr);
        let report = pull(&target, &opts, &args.out, &mut progress)?;
        progress.finish();
        let bad: u64 = report.tables.iter().map(|t| t.bad_rows).sum();
        if out.json() {
            write_json(&report, args, out)?;
        } else if !out.quiet {
            render(&report, args, out)?;
        }
        Ok(if bad > 0 { Exit::Findings } else { Exit::Ok })
    }

    /// Which of smsmig's scripts fills a table the pull could not read.
    pub(super) fn fill_with(file: &str) -> &'static str {
        let table = TABLES.iter().find(|t| t.file == file).map(|t| t.table);
        match table.and_then(provider_columns) {
            Some(_) => {
                "the SMS Provider script fills it: `smsmig inventory script` \
                 (docs/inventory-format.md)"
            }
            None => "run its query from `smsmig inventory sql` with a login that can read the view",
        }
    }

    fn write_json(
        report: &PullReport,
        args: &InventoryPullArgs,
        out: &mut Output,
    ) -> anyhow::Result<()> {
        #[derive(Serialize)]
        struct Table {
            file: &'static str,
            rows: u64,
            written: bool,
            bad_rows: u64,
            #[serde(skip_serializing_if = "Option::is_none")]
            fill_with: Option<&'static str>,
        }
        #[derive(Serialize)]
        struct Doc {
            schema: &'static str,
            server: String,
            database: String,
            server_version: Option<String>,
            out: String,
            tables: Vec<Table>,
        }
        out.write_json(&Doc {
            schema: "smsmig.inventory-pull/1",
            server: args.server.clone(),
            database: args.database.clone(),
            server_version: report.server.map(|v| v.to_string()),
            out: args.out.display().to_string(),
            tables: report
                .tables
                .iter()
                .map(|t| Table {
                    file: t.file,
                    rows: t.rows,
                    written: t.written,
                    bad_rows: t.bad_rows,
                    fill_with: (!t.written).then(|| fill_with(t.file)),
                })
                .collect(),
        })
    }

    fn render(
        report: &PullReport,
        args: &InventoryPullArgs,
        out: &mut Output,
    ) -> anyhow::Result<()> {
        if let Some(v) = report.server {
            writeln!(out, "{} {v}, database {}", v.product(), args.database)?;
        }
        for t in &report.tables {
            let state = match (t.written, t.bad_rows) {
                (false, _) => format!("not written: {}", fill_with(t.file)),
                (true, 0) => format!("{} rows", t.rows),
                (true, bad) => format!("{} rows, {bad} the loader will reject", t.rows),
            };
            writeln!(out, "  {:<28} {state}", t.file)?;
        }
        writeln!(out, "wrote {}", args.out.display())?;
        Ok(())
    }

    /// Progress: one bar per table on a terminal; notes on standard error otherwise.
    struct Bars {
        multi: Option<MultiProgress>,
        current: Option<ProgressBar>,
        quiet: bool,
        color: bool,
    }

    impl Bars {
        fn new(bars: bool, quiet: bool, color: bool) -> Self {
            Self {
                multi: bars.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
                current: None,
                quiet,
                color,
            }
        }

        fn finish(&mut self) {
            if let Some(bar) = self.current.take() {
                bar.finish();
            }
        }

        fn note(&self, text: &str) {
            if self.quiet {
                return;
            }
            let label =
                crate::output::paint(self.color, AnsiColor::Cyan.on_default().bold(), "note");
            match &self.multi {
                Some(m) => {
                    let _ = m.println(format!("{label}: {text}"));
                }
                None => err_println!("{label}: {text}"),
            }
        }
    }

    impl Progress for Bars {
        fn notice(&mut self, notice: &Notice) {
            let text = match notice {
                Notice::Server(v) => format!("server runs {} ({v})", v.product()),
                Notice::NotInDatabase { file } => {
                    format!(
                        "{file}: not in the site database's views; {}",
                        fill_with(file)
                    )
                }
                Notice::MissingObject {
                    file,
                    object,
                    skipped: true,
                } => format!(
                    "{file}: {object} does not exist or is not readable; skipped ({})",
                    fill_with(file)
                ),
                Notice::MissingObject { file, object, .. } => {
                    format!("{file}: {object} does not exist or is not readable; its columns are left empty")
                }
                Notice::EmptyColumns { file, columns } => {
                    format!("{file}: left empty: {}", columns.join(", "))
                }
                Notice::BadValue {
                    file,
                    row,
                    column,
                    problem,
                } => format!("{file}: row {row}: column `{column}`: {problem}"),
                Notice::Retrying { file, attempt } => {
                    format!("{file}: connection lost; reconnecting (attempt {attempt})")
                }
                other => format!("{other:?}"),
            };
            self.note(&text);
        }

        fn table_started(&mut self, file: &'static str, expected: Option<u64>) {
            self.finish();
            let Some(multi) = &self.multi else { return };
            let bar = match expected {
                Some(n) => ProgressBar::new(n).with_style(
                    ProgressStyle::with_template("{prefix:28} {bar:30} {pos}/{len} rows {elapsed}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                ),
                None => ProgressBar::new_spinner().with_style(
                    ProgressStyle::with_template("{prefix:28} {spinner} {pos} rows {elapsed}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                ),
            };
            self.current = Some(multi.add(bar.with_prefix(file)));
        }

        fn rows(&mut self, _file: &'static str, rows: u64) {
            if let Some(bar) = &self.current {
                bar.set_position(rows);
            }
        }

        fn table_finished(&mut self, _file: &'static str, rows: u64) {
            if let Some(bar) = self.current.take() {
                bar.set_length(rows);
                bar.set_position(rows);
                bar.finish();
            }
        }
    }
}

mod script {
    //! `smsmig inventory script`: writes the SMS Provider VBScript and says how to run it.

    use super::*;
    use smsmig_migrate::inventory::script::{
        description, provider_script, Description, Provider, SCRIPT_FILE,
    };

    use crate::write::write_atomic;

    #[derive(Serialize)]
    struct Doc<'a> {
        schema: &'static str,
        path: String,
        backup: Option<String>,
        #[serde(flatten)]
        script: &'a Description,
    }

    pub(super) fn run(args: &InventoryScriptArgs, out: &mut Output) -> anyhow::Result<Exit> {
        let path = args.out.join(SCRIPT_FILE);
        if path.exists() && !args.force {
            anyhow::bail!(
                "{} exists; use --force to overwrite it (a backup is kept)",
                path.display()
            );
        }
        std::fs::create_dir_all(&args.out)
            .with_context(|| format!("creating {}", args.out.display()))?;
        let backup = write_atomic(&path, provider_script(Provider::Wmi).as_bytes())?;
        let about = description();
        if out.json() {
            out.write_json(&Doc {
                schema: "smsmig.inventory-script/1",
                path: path.display().to_string(),
                backup: backup.map(|b| b.display().to_string()),
                script: &about,
            })?;
        } else if !out.quiet {
            render(&path, backup.as_deref(), &about, out)?;
        }
        Ok(Exit::Ok)
    }

    fn render(
        path: &Path,
        backup: Option<&Path>,
        about: &Description,
        out: &mut Output,
    ) -> anyhow::Result<()> {
        writeln!(out, "wrote {}", path.display())?;
        if let Some(b) = backup {
            writeln!(out, "kept the previous script as {}", b.display())?;
        }
        writeln!(
            out,
            "\nRuns on: {}\nRun against: {}\nRights: {}\n  {}",
            about.runs_on, about.run_against, about.rights, about.run
        )?;
        writeln!(out, "\nIt only reads; `/whatif` prints every query first:")?;
        for q in about.queries {
            let each = if q.per_site { " (each site)" } else { "" };
            writeln!(out, "  {}{each}", q.wql)?;
        }
        let files: Vec<&str> = about.writes.iter().map(|f| f.file).collect();
        writeln!(
            out,
            "\nThen put {} beside the other CSV files of the inventory directory (append \
             site_settings.csv's rows to an existing one: rows of one site are merged) and run \
             `smsmig inventory show --inventory DIR`.",
            files.join(" and ")
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::pull::fill_with;

    #[test]
    fn pull_names_the_script_that_fills_what_it_cannot_read() {
        assert!(fill_with("boundaries.csv").contains("smsmig inventory script"));
        assert!(fill_with("clients.csv").contains("smsmig inventory sql"));
    }
}
