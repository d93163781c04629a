//! `smsmig mof migrate`: hardware-inventory customisations into ConfigMgr 2007's hinv files.

use crate::args::MofMigrateArgs;
use crate::output::{Exit, Output};

pub(crate) fn run(args: MofMigrateArgs, _out: &mut Output) -> anyhow::Result<Exit> {
    anyhow::bail!("`smsmig mof migrate {args:?}` is not built yet")
}
