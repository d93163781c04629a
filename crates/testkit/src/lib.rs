//! Test support shared by the smsmig crates' integration tests (a dev-dependency only).
//!
//! What the tool generates is consumed by real interpreters, so tests run it there:
//! - [`Wine`]: VBScript through Wine's `cscript` and batch files through Wine's `cmd`
//!   (Debian's `wine64`), with script errors that Wine reports only on its debug channel turned
//!   into a failed [`Run`] (Wine's `cscript` exits 0 after a runtime error);
//! - [`Chromium`]: headless Chromium for HTML (`--dump-dom`, `--screenshot`, `--print-to-pdf`).
//!
//! A test whose interpreter is missing calls [`skip`] (through [`Wine::get`] or
//! [`Chromium::get`]): outside CI it prints a notice straight to the terminal, past the test
//! harness's output capture, and passes; with `CI=true` it fails instead, so CI never skips.
//!
//! Wine 8.0 (Debian 12) runs a subset of VBScript: see `WINE.md` beside this crate for what
//! it lacks (`ChrW`, `Join`, `WScript.Arguments.Named`, `ReDim`, UTF-16 script files, ...).

mod chromium;
mod skip;
mod wine;

pub use chromium::Chromium;
pub use skip::{in_ci, notice, skip};
pub use wine::{windows_path, Run, Wine};
