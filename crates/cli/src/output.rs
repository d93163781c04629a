//! Where output goes and how it looks: format, colour, verbosity, exit codes (DESIGN §5).

use std::io::{self, IsTerminal, Write};

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use crate::args::{ColorChoice, Format, GlobalArgs};

/// Process exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub(crate) enum Exit {
    /// Success, nothing pending.
    Ok = 0,
    /// Findings at error level, or changes pending under `--check`.
    Findings = 1,
    /// Bad usage, or unreadable or invalid input.
    Usage = 2,
}

/// Standard output with the user's choices attached.
pub(crate) struct Output {
    stdout: io::BufWriter<io::Stdout>,
    pub(crate) format: Format,
    pub(crate) color: bool,
    pub(crate) color_stderr: bool,
    pub(crate) quiet: bool,
    pub(crate) verbose: u8,
}

impl Output {
    pub(crate) fn new(global: &GlobalArgs) -> Self {
        let decide = |tty: bool| match global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && std::env::var_os("NO_COLOR").is_none(),
        };
        Self {
            stdout: io::BufWriter::new(io::stdout()),
            format: global.format,
            color: decide(io::stdout().is_terminal()),
            color_stderr: decide(io::stderr().is_terminal()),
            quiet: global.quiet,
            verbose: global.verbose,
        }
    }

    /// True when `--format json`.
    pub(crate) fn json(&self) -> bool {
        self.format == Format::Json
    }

    /// Write a JSON document (pretty, newline-terminated).
    pub(crate) fn write_json<T: Serialize>(&mut self, value: &T) -> anyhow::Result<()> {
        serde_json::to_writer_pretty(&mut self.stdout, value)?;
        writeln!(self.stdout)?;
        Ok(())
    }

    /// Wrap `text` in `style` when colour is on.
    pub(crate) fn paint(&self, style: Style, text: &str) -> String {
        paint(self.color, style, text)
    }

    /// The `error` label for messages on standard error.
    pub(crate) fn error_label(&self) -> String {
        paint(
            self.color_stderr,
            AnsiColor::Red.on_default().bold(),
            "error",
        )
    }

    pub(crate) fn flush(&mut self) -> io::Result<()> {
        self.stdout.flush()
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.stdout.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.stdout.flush()
    }
}

/// Write to standard error, ignoring failure: a closed stderr is no reason to crash, and there
/// is nowhere left to report it.
pub(crate) fn write_stderr(args: std::fmt::Arguments<'_>) {
    let _ = io::stderr().write_fmt(args);
}

/// Wrap `text` in `style` when `on`.
pub(crate) fn paint(on: bool, style: Style, text: &str) -> String {
    if on {
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        text.to_owned()
    }
}
