//! `smsmig inventory sql|pull|show`.

use crate::args::InventoryCommand;
use crate::output::{Exit, Output};

pub(crate) fn run(cmd: InventoryCommand, _out: &mut Output) -> anyhow::Result<Exit> {
    anyhow::bail!("`smsmig inventory {cmd:?}` is not built yet")
}
