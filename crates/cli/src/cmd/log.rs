//! `smsmig log prereq|setup`.

use crate::args::LogCommand;
use crate::output::{Exit, Output};

pub(crate) fn run(cmd: LogCommand, _out: &mut Output) -> anyhow::Result<Exit> {
    anyhow::bail!("`smsmig log {cmd:?}` is not built yet")
}
