//! Helpers shared by the `smsmig-migrate` integration tests: the workspace and `testdata/`
//! paths, and the insta settings for `snapshots/migrate`.
//!
//! Each test file is its own crate and uses only some of these helpers, hence `dead_code`.

#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};

/// The canonical path of the workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace")
}

/// The canonical path of `testdata/`.
pub fn testdata() -> PathBuf {
    workspace().join("testdata")
}

/// insta settings writing to the top-level `snapshots/migrate`, without module prefix or
/// expression.
pub fn settings() -> insta::Settings {
    let dir = workspace().join("snapshots/migrate");
    std::fs::create_dir_all(&dir).expect("snapshot directory");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}
