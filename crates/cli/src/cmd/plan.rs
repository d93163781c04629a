//! `smsmig plan`.

use crate::args::PlanArgs;
use crate::output::{Exit, Output};

pub(crate) fn run(args: PlanArgs, _out: &mut Output) -> anyhow::Result<Exit> {
    anyhow::bail!("`smsmig plan {args:?}` is not built yet")
}
