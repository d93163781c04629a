//! The command line (DESIGN §5).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Move an SMS 2003 estate to ConfigMgr 2007: MOF customisations, hierarchy inventory,
/// upgrade assessment and side-by-side plans. Every action is a dry run unless `--apply`.
#[derive(Debug, Parser)]
#[command(
    name = "smsmig",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub(crate) quiet: bool,
    /// Print more detail (repeat for more).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub(crate) verbose: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check, split and migrate MOF files.
    #[command(subcommand)]
    Mof(MofCommand),
    /// Extract and inspect the SMS 2003 hierarchy.
    #[command(subcommand)]
    Inventory(InventoryCommand),
    /// Assess each site's readiness for an in-place upgrade to ConfigMgr 2007.
    Assess(AssessArgs),
    /// Plan a side-by-side migration, verify it and write its artifacts.
    Plan(PlanArgs),
    /// Parse ConfigMgr setup logs.
    #[command(subcommand)]
    Log(LogCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum MofCommand {
    /// Parse and validate MOF files or directories, like `mofcomp -check` plus SMS rules.
    Check(MofCheckArgs),
    /// Split MOF files by namespace into configuration.mof (data) and SMS_def.mof (reporting).
    Split(MofSplitArgs),
    /// Carry SMS 2003 inventory customisations into ConfigMgr 2007's hinv files.
    Migrate(MofMigrateArgs),
}

#[derive(Debug, Args)]
pub(crate) struct MofCheckArgs {
    /// Files or directories (directories are walked for *.mof).
    #[arg(required = true)]
    pub(crate) paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct MofSplitArgs {
    /// Files or directories to split.
    #[arg(required = true)]
    pub(crate) paths: Vec<PathBuf>,
    /// Directory to write configuration.mof and SMS_def.mof into.
    #[arg(long)]
    pub(crate) out: PathBuf,
    /// Overwrite existing output files.
    #[arg(long)]
    pub(crate) force: bool,
}

#[derive(Debug, Args)]
pub(crate) struct MofMigrateArgs {
    /// The site's SMS 2003 SMS_def.mof.
    #[arg(long)]
    pub(crate) from: PathBuf,
    /// Mini-MOF files or directories.
    #[arg(long = "mini")]
    pub(crate) mini: Vec<PathBuf>,
    /// The stock SMS 2003 SMS_def.mof from the installation media.
    #[arg(long)]
    pub(crate) baseline: Option<PathBuf>,
    /// ConfigMgr 2007 inboxes\clifiles.src\hinv directory.
    #[arg(long)]
    pub(crate) into: PathBuf,
    /// Write the changes (atomically, keeping a .bak of each file).
    #[arg(long, conflicts_with = "check")]
    pub(crate) apply: bool,
    /// Exit 1 when changes are pending.
    #[arg(long)]
    pub(crate) check: bool,
    /// Merge these conflicting classes anyway.
    #[arg(long = "force", value_name = "CLASS")]
    pub(crate) force: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum InventoryCommand {
    /// Print the read-only extraction queries.
    Sql,
    /// Run the extraction queries against the site database and write the CSV directory.
    Pull(InventoryPullArgs),
    /// Summarise an inventory directory.
    Show(InventoryShowArgs),
    /// Write the VBScript that reads boundaries and site settings from the SMS Provider.
    Script(InventoryScriptArgs),
}

#[derive(Debug, Args)]
pub(crate) struct InventoryPullArgs {
    /// SQL Server host, optionally with `,port`.
    #[arg(long)]
    pub(crate) server: String,
    /// Site database, e.g. SMS_HOU.
    #[arg(long)]
    pub(crate) database: String,
    /// SQL login (password from SMSMIG_SQL_PASSWORD or a prompt).
    #[arg(
        long,
        required_unless_present = "integrated",
        conflicts_with = "integrated"
    )]
    pub(crate) user: Option<String>,
    /// Integrated (Windows) authentication.
    #[arg(long)]
    pub(crate) integrated: bool,
    /// Accept the server's certificate without validation.
    #[arg(long)]
    pub(crate) trust_server_certificate: bool,
    /// Query timeout in seconds.
    #[arg(long, default_value_t = 300)]
    pub(crate) timeout: u64,
    /// How often to reconnect and restart a table after a dropped connection.
    #[arg(long, default_value_t = 2)]
    pub(crate) retries: u32,
    /// Directory to write the CSV files into.
    #[arg(long)]
    pub(crate) out: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct InventoryScriptArgs {
    /// Directory to write smsmig-inventory.vbs into (created if missing).
    #[arg(long)]
    pub(crate) out: PathBuf,
    /// Replace an existing script (a backup is kept).
    #[arg(long)]
    pub(crate) force: bool,
}

#[derive(Debug, Args)]
pub(crate) struct InventoryShowArgs {
    /// Inventory directory (offline export).
    #[arg(long)]
    pub(crate) inventory: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct AssessArgs {
    /// Inventory directory (offline export).
    #[arg(long)]
    pub(crate) inventory: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct PlanArgs {
    /// Inventory directory (offline export).
    #[arg(long)]
    pub(crate) inventory: PathBuf,
    /// Target description (TOML).
    #[arg(long)]
    pub(crate) target: PathBuf,
    /// Write plan.md and the artifacts into this directory.
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
    /// Overwrite existing artifacts in --out.
    #[arg(long)]
    pub(crate) force: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum LogCommand {
    /// Parse ConfigMgrPrereq.log: rules, results, runnable SQL and fixes.
    Prereq(LogArgs),
    /// Parse ConfigMgrSetup.log: known failures, success markers and fixes.
    Setup(LogArgs),
}

#[derive(Debug, Args)]
pub(crate) struct LogArgs {
    /// The log file (UTF-16 or ANSI).
    pub(crate) file: PathBuf,
}
