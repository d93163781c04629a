//! `smsmig mof check|split|migrate`.

use crate::args::MofCommand;
use crate::output::{Exit, Output};

pub(crate) fn run(cmd: MofCommand, _out: &mut Output) -> anyhow::Result<Exit> {
    anyhow::bail!("`smsmig mof {cmd:?}` is not built yet")
}
