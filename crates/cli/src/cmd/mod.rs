//! One module per command group.

pub(crate) mod assess;
pub(crate) mod inventory;
pub(crate) mod log;
pub(crate) mod mof;
pub(crate) mod mof_migrate;
pub(crate) mod plan;
