//! Loads a synthetic inventory of 1,000,000 clients and 200,000 boundaries and prints the time
//! taken and the peak resident memory of the load.
//!
//! `cargo bench -p smsmig-migrate --bench inventory_load` (optionally `-- <clients>
//! <boundaries>`). The export is generated into a temporary directory by this process; the load
//! then runs in a fresh child process (this binary re-run with `--load-only DIR`) so that the
//! peak memory (`VmHWM` from `/proc/self/status`, Linux) is the load's alone and not the
//! generator's. For profiling, `-- --generate-only DIR` writes the export into `DIR` and
//! `-- --load-only DIR` loads it.
#![allow(clippy::print_stdout)]

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use smsmig_migrate::inventory::synth::{generate, SynthConfig};
use smsmig_migrate::inventory::{load_dir, write_dir, Severity};

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn load_only(dir: &Path) {
    let start = Instant::now();
    let loaded = load_dir(dir).expect("the synthetic export loads");
    let elapsed = start.elapsed();
    let inv = &loaded.inventory;
    let errors = loaded
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    println!(
        "load: {:.2} s for {} clients, {} boundaries, {} sites, {} collections ({} findings, {errors} errors)",
        elapsed.as_secs_f64(),
        inv.clients.len(),
        inv.boundaries.len(),
        inv.sites.len(),
        inv.collections.len(),
        loaded.findings.len(),
    );
    match peak_rss_kib() {
        Some(kib) => println!("load: peak RSS {:.0} MiB (VmHWM)", kib as f64 / 1024.0),
        None => println!("load: peak RSS unavailable (no /proc/self/status)"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let keep = match args.as_slice() {
        [flag, dir] if flag == "--load-only" => {
            load_only(Path::new(dir));
            return;
        }
        [flag, dir] if flag == "--generate-only" => Some(dir.clone()),
        _ => None,
    };
    let number = |i: usize, default: usize| {
        args.get(i)
            .and_then(|a| a.replace('_', "").parse().ok())
            .unwrap_or(default)
    };
    let cfg = SynthConfig {
        seed: 2003,
        sites: 250,
        boundaries: number(1, 200_000),
        clients: number(0, 1_000_000),
        collections: 2_000,
        packages: 1_000,
    };
    let tmp = tempfile::tempdir().expect("temporary directory");
    let out = keep.as_deref().map_or(tmp.path(), Path::new);
    std::fs::create_dir_all(out).expect("output directory");
    let start = Instant::now();
    let inv = generate(&cfg);
    write_dir(&inv, out).expect("writing the export");
    drop(inv);
    println!(
        "generate: {:.2} s, {} clients, {} boundaries, export {:.0} MiB",
        start.elapsed().as_secs_f64(),
        cfg.clients,
        cfg.boundaries,
        dir_size(out) as f64 / (1024.0 * 1024.0)
    );
    if keep.is_some() {
        return;
    }
    let status = Command::new(std::env::current_exe().expect("own path"))
        .arg("--load-only")
        .arg(out)
        .status()
        .expect("running the load");
    assert!(status.success(), "load failed: {status}");
}
