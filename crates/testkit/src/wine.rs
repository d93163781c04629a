//! Wine's `cscript` and `cmd` (Debian's `wine64`), in a prefix of the tests' own.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::skip::skip;

/// How long one interpreter run may take before it is killed (the first start of a new prefix
/// takes ~10 s; later runs well under a second).
const RUN_TIMEOUT: Duration = Duration::from_secs(180);

/// Wine's debug channels that report what `cscript` otherwise swallows: script runtime and
/// parse errors, unimplemented VBScript functions and host methods (each ends the script).
const DEBUG_CHANNELS: &str = "-all,fixme+wscript,fixme+vbscript,err+vbscript";

/// Markers on those channels (and Wine's crash handler) that mean the script did not run to
/// its end, although the process may exit 0.
const SCRIPT_ERROR_MARKERS: &[&str] = &[
    "OnScriptError",
    "parser_error",
    "ParseScriptText failed",
    "fixme:vbscript:",
    "Unhandled page fault",
    "Unhandled exception",
];

/// A Wine installation and the prefix the tests run it in.
#[derive(Debug)]
pub struct Wine {
    exe: PathBuf,
    prefix: PathBuf,
}

/// What one interpreter run did.
#[derive(Debug)]
pub struct Run {
    /// The exit code (`None` when killed by a signal or the timeout).
    pub status: Option<i32>,
    /// Raw standard output: Wine's console writes the OEM code page (CP437/850), so only
    /// ASCII is exact here. Scripts that must report non-ASCII text exactly write a UTF-16
    /// file instead (Wine's `Scripting.FileSystemObject` handles those).
    pub stdout: Vec<u8>,
    /// Standard error, with Wine's debug lines.
    pub stderr: String,
    /// The lines of `stderr` that say the script failed (see the module's markers).
    pub script_errors: Vec<String>,
    /// True when the run was killed after [`RUN_TIMEOUT`].
    pub timed_out: bool,
}

impl Run {
    /// Standard output as text, CRLF turned into LF; bytes that are not UTF-8 become U+FFFD.
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).replace("\r\n", "\n")
    }

    /// Panics, showing everything the run printed, unless it ran to its end without a script
    /// error and exited with `code`.
    ///
    /// # Panics
    /// As described.
    pub fn assert_exit(&self, code: i32) -> &Self {
        assert!(
            !self.timed_out && self.script_errors.is_empty() && self.status == Some(code),
            "expected a clean run with exit code {code}, got {:?}{}\nscript errors: {:#?}\n\
             --- stdout\n{}\n--- stderr\n{}",
            self.status,
            if self.timed_out { " (timed out)" } else { "" },
            self.script_errors,
            self.stdout_text(),
            self.stderr
        );
        self
    }
}

static WINE: OnceLock<Result<Wine, String>> = OnceLock::new();

impl Wine {
    /// The Wine to run tests with, its prefix made ready on first use; `None` after a visible
    /// skip notice for `test` when Wine is not installed or does not start.
    ///
    /// Looks for `$SMSMIG_WINE`, then `/usr/lib/wine/wine64` (Debian's `wine64`), then
    /// `wine64` and `wine` on `PATH`.
    ///
    /// # Panics
    /// Under `CI=true` when Wine is missing or broken (see [`skip`]).
    pub fn get(test: &str) -> Option<&'static Wine> {
        match WINE.get_or_init(Wine::start) {
            Ok(wine) => Some(wine),
            Err(why) => {
                skip(test, why);
                None
            }
        }
    }

    fn start() -> Result<Wine, String> {
        let exe = find_exe().ok_or_else(|| {
            "Wine is not installed (Debian: apt-get install wine64; or set SMSMIG_WINE)".to_owned()
        })?;
        let user = std::env::var("USER")
            .ok()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| "user".to_owned());
        let prefix = std::env::temp_dir().join(format!("smsmig-wineprefix-{user}"));
        let wine = Wine { exe, prefix };
        let run = wine.run(&["cmd", "/c", "exit 0"], None, &[]);
        if run.status != Some(0) {
            return Err(format!(
                "{} did not start (exit {:?}): {}",
                wine.exe.display(),
                run.status,
                run.stderr.lines().last().unwrap_or("")
            ));
        }
        Ok(wine)
    }

    /// Runs `cscript //nologo <script> <args>` in the script's directory.
    pub fn cscript(&self, script: &Path, args: &[&str]) -> Run {
        let path = windows_path(script);
        let mut argv = vec!["cscript", "//nologo", path.as_str()];
        argv.extend_from_slice(args);
        self.run(&argv, script.parent(), &[])
    }

    /// Runs `cmd /c <script> <args>` in the script's directory with extra environment
    /// variables (Wine passes them through; `WINEPATH` is prepended to the Windows `PATH`).
    pub fn cmd(&self, script: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
        let path = windows_path(script);
        let mut argv = vec!["cmd", "/c", path.as_str()];
        argv.extend_from_slice(args);
        self.run(&argv, script.parent(), env)
    }

    fn run(&self, argv: &[&str], dir: Option<&Path>, env: &[(&str, &str)]) -> Run {
        let mut command = Command::new(&self.exe);
        command
            .args(argv)
            .env("WINEPREFIX", &self.prefix)
            .env("WINEDEBUG", DEBUG_CHANNELS)
            // No Mono or Gecko installer prompts in a new prefix; no window system.
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            .env_remove("DISPLAY")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(dir) = dir {
            command.current_dir(dir);
        }
        let mut child = match command.spawn() {
            Ok(child) => child,
            Err(err) => {
                return Run {
                    status: None,
                    stdout: Vec::new(),
                    stderr: format!("cannot start {}: {err}", self.exe.display()),
                    script_errors: vec![format!("cannot start Wine: {err}")],
                    timed_out: false,
                }
            }
        };
        let stdout = drain(child.stdout.take());
        let stderr = drain(child.stderr.take());
        let started = Instant::now();
        let mut timed_out = false;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status.code(),
                Ok(None) if started.elapsed() > RUN_TIMEOUT => {
                    let _ = child.kill();
                    let _ = child.wait();
                    timed_out = true;
                    break None;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
                Err(_) => break None,
            }
        };
        let stdout = stdout.join().unwrap_or_default();
        let stderr = String::from_utf8_lossy(&stderr.join().unwrap_or_default()).into_owned();
        let script_errors = stderr
            .lines()
            .filter(|line| SCRIPT_ERROR_MARKERS.iter().any(|m| line.contains(m)))
            .map(str::to_owned)
            .collect();
        Run {
            status,
            stdout,
            stderr,
            script_errors,
            timed_out,
        }
    }
}

/// Reads a child's pipe to its end on a thread of its own (so neither pipe can fill up and
/// stall the child).
fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

fn find_exe() -> Option<PathBuf> {
    if let Some(exe) = std::env::var_os("SMSMIG_WINE") {
        return Some(PathBuf::from(exe));
    }
    let debian = Path::new("/usr/lib/wine/wine64");
    if debian.is_file() {
        return Some(debian.to_owned());
    }
    ["wine64", "wine"].into_iter().find_map(on_path)
}

/// The first `name` on `PATH`.
pub(crate) fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// The path Wine's programs see for a Unix path: the `Z:` drive maps `/`.
pub fn windows_path(path: &Path) -> String {
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    format!("Z:{}", absolute.display()).replace('/', "\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_paths_are_on_drive_z() {
        assert_eq!(
            windows_path(Path::new("/no/such/dir/x.vbs")),
            r"Z:\no\such\dir\x.vbs"
        );
    }
}
