//! `smsmig mof check|split` (and dispatch of `mof migrate`).

use crate::args::MofCommand;
use crate::output::{Exit, Output};

pub(crate) fn run(cmd: MofCommand, out: &mut Output) -> anyhow::Result<Exit> {
    match cmd {
        MofCommand::Migrate(args) => super::mof_migrate::run(args, out),
        other => anyhow::bail!("`smsmig mof {other:?}` is not built yet"),
    }
}
