//! `smsmig assess`.

use crate::args::AssessArgs;
use crate::output::{Exit, Output};

pub(crate) fn run(args: AssessArgs, _out: &mut Output) -> anyhow::Result<Exit> {
    anyhow::bail!("`smsmig assess {args:?}` is not built yet")
}
