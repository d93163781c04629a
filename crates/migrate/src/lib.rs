//! The migration from SMS 2003 to ConfigMgr 2007.
//!
//! The crate never prints and never exits; errors are typed values.

pub mod assess;
pub mod hinv;
pub mod inventory;
pub mod logs;
pub mod plan;
