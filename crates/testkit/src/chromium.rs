//! Headless Chromium (Debian's `chromium`) for generated HTML.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::skip::skip;
use crate::wine::on_path;

/// A Chromium to render pages with, headless, in a fresh profile per run.
#[derive(Debug, Clone)]
pub struct Chromium {
    exe: PathBuf,
}

impl Chromium {
    /// `$SMSMIG_CHROMIUM`, else `chromium`, `chromium-browser` or `google-chrome` on `PATH`;
    /// `None` after a visible skip notice for `test` when none is installed.
    ///
    /// # Panics
    /// Under `CI=true` when Chromium is missing (see [`skip`]).
    pub fn get(test: &str) -> Option<Chromium> {
        let exe = std::env::var_os("SMSMIG_CHROMIUM")
            .map(PathBuf::from)
            .filter(|exe| exe.is_file())
            .or_else(|| {
                ["chromium", "chromium-browser", "google-chrome"]
                    .into_iter()
                    .find_map(on_path)
            });
        match exe {
            Some(exe) => Some(Chromium { exe }),
            None => {
                skip(
                    test,
                    "Chromium is not installed (Debian: apt-get install chromium; or set \
                     SMSMIG_CHROMIUM)",
                );
                None
            }
        }
    }

    /// Runs Chromium headless on the local file `page` with `args` added, in a new profile,
    /// with no network traffic of its own (this machine's network is closed).
    ///
    /// # Panics
    /// When the profile directory cannot be made or Chromium cannot be started.
    pub fn run(&self, page: &Path, args: &[&str]) -> Output {
        let profile = std::env::temp_dir().join(format!(
            "smsmig-chromium-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        std::fs::create_dir_all(&profile).expect("chromium profile directory");
        let url = format!(
            "file://{}",
            std::fs::canonicalize(page)
                .unwrap_or_else(|_| page.to_owned())
                .display()
        );
        let output = Command::new(&self.exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(args)
            .arg(url)
            .output()
            .expect("start chromium");
        let _ = std::fs::remove_dir_all(&profile);
        output
    }

    /// The DOM after the page loaded (`--dump-dom`), as text.
    pub fn dump_dom(&self, page: &Path) -> String {
        String::from_utf8_lossy(&self.run(page, &["--dump-dom"]).stdout).into_owned()
    }

    /// A PNG screenshot of `page` at `width`×`height` CSS pixels into `png`; true when
    /// Chromium wrote it.
    pub fn screenshot(&self, page: &Path, png: &Path, width: u32, height: u32) -> bool {
        let _ = std::fs::remove_file(png);
        self.run(
            page,
            &[
                &format!("--screenshot={}", png.display()),
                &format!("--window-size={width},{height}"),
            ],
        );
        png.is_file()
    }

    /// Prints `page` to `pdf` (`--print-to-pdf`); true when Chromium wrote it.
    pub fn print_to_pdf(&self, page: &Path, pdf: &Path) -> bool {
        let _ = std::fs::remove_file(pdf);
        self.run(
            page,
            &[
                &format!("--print-to-pdf={}", pdf.display()),
                "--no-pdf-header-footer",
            ],
        );
        pdf.is_file()
    }
}
