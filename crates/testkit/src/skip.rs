//! Visible skip notices, and failing instead of skipping under CI.

use std::io::Write;

/// True when the environment says this is a CI run (`CI` set to `true` or `1`, any case).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// Reports that `test` cannot run because of `why`.
///
/// Outside CI the notice goes straight to the process's standard error, which the test
/// harness does not capture, so `cargo test` shows it among the results; the test then
/// returns and passes. Under CI (see [`in_ci`]) nothing may be skipped.
///
/// # Panics
/// When [`in_ci`] is true.
pub fn skip(test: &str, why: &str) {
    assert!(
        !in_ci(),
        "{test}: cannot run under CI=true: {why} (.ci/run installs what the tests need)"
    );
    notice(test, why);
}

/// Prints `SKIPPED <test>: <why>` where `cargo test` shows it (past the harness's output
/// capture), whether or not this is CI: for tests that need something CI cannot provide
/// (a live SQL Server), which therefore skip everywhere unless configured.
pub fn notice(test: &str, why: &str) {
    let notice = format!("\nSKIPPED {test}: {why}\n");
    let mut stderr = std::io::stderr().lock();
    // Nothing sensible to do if the terminal is gone.
    let _ = stderr.write_all(notice.as_bytes());
    let _ = stderr.flush();
}
