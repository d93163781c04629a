//! Streams 200 MB setup and prerequisite logs, ANSI and UTF-16LE, through the analyses and prints
//! the time taken and the peak resident memory of each run.
//!
//! `cargo bench -p smsmig-migrate --bench log_stream` (optionally `-- <megabytes>`). Each log is
//! generated into a temporary directory, analysed, and deleted. Peak memory is the kernel's
//! `VmHWM` from `/proc/self/status`, reset before each analysis by writing `5` to
//! `/proc/self/clear_refs` (Linux); where the reset is unavailable the figure is the process peak
//! so far, and says so.
#![allow(clippy::print_stdout)]

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use smsmig_migrate::logs::{analyze_prereq, analyze_setup};

const MB: u64 = 1024 * 1024;

/// How a generated log is encoded.
#[derive(Debug, Clone, Copy)]
enum Enc {
    Ansi,
    Utf16Le,
}

/// Writes lines in `enc` with CRLF line ends, counting bytes.
struct LogWriter {
    out: BufWriter<File>,
    enc: Enc,
    bytes: u64,
    units: Vec<u8>,
}

impl LogWriter {
    fn create(path: &Path, enc: Enc) -> io::Result<Self> {
        let mut w = Self {
            out: BufWriter::with_capacity(1 << 20, File::create(path)?),
            enc,
            bytes: 0,
            units: Vec::new(),
        };
        if let Enc::Utf16Le = enc {
            w.out.write_all(&[0xFF, 0xFE])?;
            w.bytes += 2;
        }
        Ok(w)
    }

    fn line(&mut self, text: &str) -> io::Result<()> {
        match self.enc {
            Enc::Ansi => {
                // The generated text is ASCII apart from `é`, which is 0xE9 in Windows-1252.
                self.units.clear();
                self.units
                    .extend(text.chars().map(|c| if c == 'é' { 0xE9 } else { c as u8 }));
                self.units.extend_from_slice(b"\r\n");
            }
            Enc::Utf16Le => {
                self.units.clear();
                for unit in text.encode_utf16().chain("\r\n".encode_utf16()) {
                    self.units.extend_from_slice(&unit.to_le_bytes());
                }
            }
        }
        self.out.write_all(&self.units)?;
        self.bytes += self.units.len() as u64;
        Ok(())
    }
}

fn stamp(n: u64) -> String {
    let (h, m, s) = ((n / 3600) % 24, (n / 60) % 60, n % 60);
    format!(
        "<10-{:02}-2008 {h:02}:{m:02}:{s:02}>",
        1 + (n / 86_400) % 28
    )
}

/// A setup log: one install after another, each with versions, progress, an occasional SQL
/// Monitor complaint and error line, and its completion marker.
fn write_setup(path: &Path, enc: Enc, target: u64) -> io::Result<u64> {
    let mut w = LogWriter::create(path, enc)?;
    let mut n = 0u64;
    while w.bytes < target {
        let body = [
            "SMS Setup full version is 4.00.6221.1000".to_owned(),
            "SMS Build Number = 6221".to_owned(),
            format!("Upgrading site database SMS_HOU, step {n}, user CONTOSO\\René"),
            "Installing Site Component Manager under acct <NT AUTHORITY\\SYSTEM>".to_owned(),
            "Started Site Component Manager service".to_owned(),
            "SMS Site Component Manager installation completed.".to_owned(),
            "Failed to delete service SMS_SQL_MONITOR, error 1072.".to_owned(),
            format!("Error: timeout waiting for the provider (attempt {n})"),
            "Verified that WinMgmt is running.".to_owned(),
            "Installation and configuration processes are done.".to_owned(),
        ];
        for text in &body {
            w.line(&format!("{} {text}", stamp(n)))?;
            n += 1;
        }
        w.line("path <C:\\SMS\\bin\\i386\\sitecomp.exe>")?;
    }
    w.out.flush()?;
    Ok(w.bytes)
}

/// A prerequisite log: the check run again and again, rules with multi-line queries.
fn write_prereq(path: &Path, enc: Enc, target: u64) -> io::Result<u64> {
    let mut w = LogWriter::create(path, enc)?;
    let mut n = 0u64;
    while w.bytes < target {
        w.line(&format!(
            "{} ******* Start Prerequisite checking. *******",
            stamp(n)
        ))?;
        for rule in 0..20 {
            let s = stamp(n);
            n += 1;
            w.line(&format!("{s} Rule Name: Generated rule {rule}"))?;
            w.line(&format!(
                "{s} Query select Netbios_Name0 from System_DISC as sd"
            ))?;
            w.line("inner join System_SMS_Assign_ARR as assign on assign.ItemKey=sd.ItemKey")?;
            w.line(&format!(
                "where assign.SMS_Assigned_Sites0=\"HOU\" and sd.Rule0 = {rule} returned one or more rows."
            ))?;
            w.line(&format!(
                "{s} Result: {}",
                if rule % 3 == 0 { "Error" } else { "Warning" }
            ))?;
            w.line(&format!(
                "{s} Generated rule {rule} needs attention, see René's notes."
            ))?;
            w.line(&format!(
                "{s} HOUSMS01;    Generated rule {rule};    Passed"
            ))?;
        }
        w.line(&format!(
            "{} ******* Prerequisite checking is completed. *******",
            stamp(n)
        ))?;
    }
    w.out.flush()?;
    Ok(w.bytes)
}

/// `VmHWM` and `VmRSS` in KiB.
fn memory() -> (u64, u64) {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

fn reset_peak() -> bool {
    fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn main() -> io::Result<()> {
    let megabytes: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir()?;
    println!(
        "log_stream: {megabytes} MB per log, temp dir {}",
        dir.path().display()
    );
    println!(
        "{:<8} {:<9} {:>10} {:>10} {:>9} {:>10} {:>12} {:>12}",
        "log", "encoding", "MB", "lines", "seconds", "MB/s", "peak RSS KiB", "RSS before"
    );
    for (kind, enc) in [
        ("setup", Enc::Ansi),
        ("setup", Enc::Utf16Le),
        ("prereq", Enc::Ansi),
        ("prereq", Enc::Utf16Le),
    ] {
        let path = dir.path().join(format!("{kind}-{enc:?}.log"));
        let bytes = match kind {
            "setup" => write_setup(&path, enc, megabytes * MB)?,
            _ => write_prereq(&path, enc, megabytes * MB)?,
        };
        let reset = reset_peak();
        let before = memory().1;
        let start = Instant::now();
        let (lines, summary) = match kind {
            "setup" => {
                let r = analyze_setup(File::open(&path)?).map_err(io::Error::other)?;
                (
                    r.source.lines,
                    format!(
                        "verdict {:?}, {} error lines",
                        r.verdict, r.other_errors_total
                    ),
                )
            }
            _ => {
                let r = analyze_prereq(File::open(&path)?).map_err(io::Error::other)?;
                (
                    r.source.lines,
                    format!("{} rules, {} failed", r.rules.len(), r.counts.failed),
                )
            }
        };
        let seconds = start.elapsed().as_secs_f64();
        let (peak, _) = memory();
        let mb = bytes as f64 / MB as f64;
        println!(
            "{kind:<8} {:<9} {mb:>10.1} {lines:>10} {seconds:>9.2} {:>10.1} {peak:>12} {before:>12}{}   ({summary})",
            format!("{enc:?}"),
            mb / seconds,
            if reset { "" } else { " (process peak)" },
        );
        fs::remove_file(&path)?;
    }
    Ok(())
}
