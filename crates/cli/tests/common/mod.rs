//! Helpers shared by the CLI integration tests: the insta settings for `snapshots/cli`, the
//! `testdata/` fixtures, and running the real `smsmig` binary with its output rendered as a
//! path-filtered transcript.
//!
//! Each test file is its own crate and uses only some of these helpers, hence `dead_code`.

#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// insta settings writing to the top-level `snapshots/cli`, without module prefix or expression.
pub fn settings() -> insta::Settings {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../snapshots/cli");
    std::fs::create_dir_all(dir).unwrap();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(std::fs::canonicalize(dir).unwrap());
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

/// The canonical path of `testdata/<sub>` (`""` for `testdata/` itself).
pub fn testdata_dir(sub: &str) -> PathBuf {
    std::fs::canonicalize(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../testdata")
            .join(sub),
    )
    .unwrap()
}

/// The canonical path of `testdata/`.
pub fn testdata() -> PathBuf {
    testdata_dir("")
}

/// `testdata/<sub>/<rel>` as a string argument.
pub fn fixture_in(sub: &str, rel: &str) -> String {
    testdata_dir(sub).join(rel).display().to_string()
}

/// `testdata/<rel>` as a string argument.
pub fn fixture(rel: &str) -> String {
    fixture_in("", rel)
}

/// A bare command for the real binary, for tests that need the raw `Output`.
pub fn command() -> Command {
    Command::new(env!("CARGO_BIN_EXE_smsmig"))
}

/// `smsmig <args>` with `NO_COLOR` removed from the environment (so `--color` decides); adjust it
/// with the builder methods, then [`Smsmig::run`] it.
pub fn smsmig(args: &[&str]) -> Smsmig {
    let mut cmd = command();
    cmd.args(args).env_remove("NO_COLOR");
    Smsmig {
        cmd,
        filters: Vec::new(),
    }
}

/// A prepared run of the binary and the paths to hide in its output.
pub struct Smsmig {
    cmd: Command,
    filters: Vec<(String, String)>,
}

impl Smsmig {
    /// Run in `dir` (so fixture paths given relative print relative).
    pub fn current_dir(mut self, dir: &Path) -> Self {
        self.cmd.current_dir(dir);
        self
    }

    /// Set an environment variable.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.cmd.env(key, value);
        self
    }

    /// Remove an environment variable.
    pub fn env_remove(mut self, key: &str) -> Self {
        self.cmd.env_remove(key);
        self
    }

    /// Replace every occurrence of `path` in stdout and stderr by `placeholder`; filters apply
    /// in the order they were added.
    pub fn filter(mut self, path: &Path, placeholder: &str) -> Self {
        self.filters
            .push((path.display().to_string(), placeholder.to_owned()));
        self
    }

    /// Run to completion; the streams are decoded lossily and filtered.
    pub fn run(mut self) -> Run {
        let output = self.cmd.output().unwrap();
        let code = output.status.code().unwrap();
        let filter = |bytes: &[u8]| {
            let mut text = String::from_utf8_lossy(bytes).into_owned();
            for (from, to) in &self.filters {
                text = text.replace(from, to);
            }
            text
        };
        Run {
            code,
            stdout: filter(&output.stdout),
            stderr: filter(&output.stderr),
        }
    }
}

/// The outcome of [`Smsmig::run`].
pub struct Run {
    /// The exit code.
    pub code: i32,
    /// Filtered stdout.
    pub stdout: String,
    /// Filtered stderr.
    pub stderr: String,
}

impl Run {
    /// The exit code and a [`transcript`] of both streams.
    pub fn code_and_transcript(&self) -> (i32, String) {
        (self.code, transcript(self.code, &self.stdout, &self.stderr))
    }

    /// The exit code, stdout and stderr.
    pub fn into_parts(self) -> (i32, String, String) {
        (self.code, self.stdout, self.stderr)
    }
}

/// The snapshot rendering of a run: exit code, then each stream under its own header.
pub fn transcript(code: i32, stdout: &str, stderr: &str) -> String {
    format!("exit: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}")
}
