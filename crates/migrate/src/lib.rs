//! The migration from SMS 2003 to ConfigMgr 2007.
//!
//! The crate never prints and never exits; errors are typed values.

pub mod inventory;
