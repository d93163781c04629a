//! `smsmig`: the command-line front end. Glue only: argument parsing, rendering and exit codes;
//! the work lives in `smsmig-mof` and `smsmig-migrate`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

/// `eprint!` that never panics: standard error may be a closed pipe (`smsmig ... 2>&1 | head`),
/// and a broken pipe must not turn into a crash.
macro_rules! err_print {
    ($($arg:tt)*) => {
        $crate::output::write_stderr(format_args!($($arg)*))
    };
}

/// `eprintln!` that never panics; see [`err_print!`].
macro_rules! err_println {
    ($($arg:tt)*) => {
        $crate::output::write_stderr(format_args!("{}\n", format_args!($($arg)*)))
    };
}

mod args;
mod cmd;
mod diff;
mod output;
mod render;
mod write;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::output::{Exit, Output};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return match err.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(Exit::Usage as u8),
            };
        }
    };
    let mut out = Output::new(&cli.global);
    let result = run(cli.command, &mut out);
    // Output is buffered: a reader that went away (`| head`) may only show up here.
    let reader_gone = out
        .flush()
        .is_err_and(|e| e.kind() == io::ErrorKind::BrokenPipe);
    match result {
        Ok(_) if reader_gone => ExitCode::SUCCESS,
        Ok(exit) => ExitCode::from(exit as u8),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let _ = io::stdout().flush();
            err_println!("{}: {err:#}", out.error_label());
            ExitCode::from(Exit::Usage as u8)
        }
    }
}

fn run(command: Command, out: &mut Output) -> anyhow::Result<Exit> {
    match command {
        Command::Mof(cmd) => cmd::mof::run(cmd, out),
        Command::Inventory(cmd) => cmd::inventory::run(cmd, out),
        Command::Assess(cmd) => cmd::assess::run(cmd, out),
        Command::Plan(cmd) => cmd::plan::run(cmd, out),
        Command::Log(cmd) => cmd::log::run(cmd, out),
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
