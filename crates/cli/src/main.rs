//! `smsmig`: the command-line front end. Glue only: argument parsing, rendering and exit codes;
//! the work lives in `smsmig-mof` and `smsmig-migrate`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

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
    let _ = out.flush();
    match result {
        Ok(exit) => ExitCode::from(exit as u8),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let _ = io::stdout().flush();
            eprintln!("{}: {err:#}", out.error_label());
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
