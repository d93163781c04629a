//! Parse throughput in MB/s over the DMTF CIM 2.49 schema tree and the largest ConfigMgr
//! inventory file of the corpus in `../shared/corpus` (run with
//! `cargo bench -p smsmig-mof --bench throughput`). Prints the best of several runs; MB are
//! bytes of decoded text (10^6).
//!
//! Each measurement is a closure over the decoded texts, so later stages (validation) can be
//! added as another `measure` line.

#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use smsmig_mof::{parse, SourceFile};

const CIM: &str = "cim_schema/pywbem__pywbem__tests__schema__cim_schema_2.49.0Final-MOFs.zip";

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

fn mof_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            mof_files(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("mof"))
        {
            out.push(path);
        }
    }
}

/// Run `f` over all `texts` until `budget` is spent (at least `min_runs` times) and print the
/// best run's throughput.
fn measure(label: &str, texts: &[String], min_runs: usize, f: impl Fn(&str) -> usize) {
    let bytes: usize = texts.iter().map(String::len).sum();
    let budget = Duration::from_secs(5);
    let started = Instant::now();
    let mut best = Duration::MAX;
    let mut runs = 0;
    while runs < min_runs || started.elapsed() < budget {
        let t = Instant::now();
        let mut sink = 0;
        for text in texts {
            sink += f(text);
        }
        black_box(sink);
        best = best.min(t.elapsed());
        runs += 1;
        if runs >= 200 {
            break;
        }
    }
    let mbps = bytes as f64 / 1e6 / best.as_secs_f64();
    println!(
        "{label}: {files} files, {mb:.2} MB, best of {runs}: {ms:.1} ms = {mbps:.1} MB/s",
        files = texts.len(),
        mb = bytes as f64 / 1e6,
        ms = best.as_secs_f64() * 1e3,
    );
}

fn parse_items(text: &str) -> usize {
    let parsed = parse(text);
    assert!(parsed.errors.is_empty(), "bench input has syntax errors");
    parsed.document.items.len()
}

fn main() {
    let mut paths = Vec::new();
    mof_files(&corpus().join(CIM), &mut paths);
    if paths.is_empty() {
        println!(
            "corpus not found at {}; nothing to measure",
            corpus().display()
        );
        return;
    }
    let cim: Vec<String> = paths
        .iter()
        .map(|p| SourceFile::decode(&std::fs::read(p).expect("read")).text)
        .collect();
    measure("parse   CIM 2.49 schema", &cim, 5, parse_items);
    measure("parse   CIM 2.49 schema, pest path only", &cim, 5, |t| {
        smsmig_mof::parse::parse_reference(t).document.items.len()
    });

    let mut minimof = Vec::new();
    mof_files(&corpus().join("minimof"), &mut minimof);
    let largest = minimof
        .iter()
        .max_by_key(|p| (std::fs::metadata(p).map_or(0, |m| m.len()), (*p).clone()))
        .expect("minimof files");
    let text = SourceFile::decode(&std::fs::read(largest).expect("read")).text;
    let name = largest.file_name().unwrap_or_default().to_string_lossy();
    measure(&format!("parse   {name}"), &[text], 50, parse_items);

    let raw: Vec<Vec<u8>> = paths
        .iter()
        .map(|p| std::fs::read(p).expect("read"))
        .collect();
    let bytes: usize = raw.iter().map(Vec::len).sum();
    let t = Instant::now();
    for r in &raw {
        black_box(parse(&SourceFile::decode(r).text));
    }
    println!(
        "decode+parse CIM 2.49 schema once: {:.1} MB/s",
        bytes as f64 / 1e6 / t.elapsed().as_secs_f64()
    );

    check_section(&paths, largest);
}

// ---- parse + check (the checker's section) ----

/// Decode, parse and check the files reached from `top` through `#pragma include`, reading from
/// `files` in memory, as `smsmig mof check` does; prints the best run's throughput over `bytes`.
fn measure_check(
    label: &str,
    files: &std::collections::BTreeMap<PathBuf, Vec<u8>>,
    top: &Path,
    min_runs: usize,
) {
    use smsmig_mof::check::check;
    use smsmig_mof::include::SourceSet;
    let budget = Duration::from_secs(5);
    let started = Instant::now();
    let mut best = Duration::MAX;
    let mut best_check = Duration::MAX;
    let mut runs = 0;
    let mut reached = 0;
    let mut diagnostics = 0;
    while runs < min_runs || (started.elapsed() < budget && runs < 200) {
        let t = Instant::now();
        let mut read = |p: &Path| {
            files
                .get(p)
                .cloned()
                .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
        };
        let set = SourceSet::load_with(&[top], &mut read).expect("top file");
        let c = Instant::now();
        let diags = check(&set);
        best_check = best_check.min(c.elapsed());
        best = best.min(t.elapsed());
        reached = set.files().len();
        diagnostics = black_box(diags).len();
        runs += 1;
    }
    let bytes: usize = files.values().map(Vec::len).sum();
    println!(
        "{label}: {reached} files, {mb:.2} MB, {diagnostics} diagnostics, best of {runs}: \
         {ms:.1} ms = {mbps:.1} MB/s (of which check {check_ms:.1} ms)",
        mb = bytes as f64 / 1e6,
        ms = best.as_secs_f64() * 1e3,
        check_ms = best_check.as_secs_f64() * 1e3,
        mbps = bytes as f64 / 1e6 / best.as_secs_f64(),
    );
}

/// Parse + check of the CIM 2.49 tree through its top file, and of the largest ConfigMgr file.
fn check_section(cim_paths: &[PathBuf], largest: &Path) {
    // Canonical paths: the loader resolves includes to lexically normalised paths.
    let canonical = |p: &Path| p.canonicalize().expect("corpus file");
    let read_all = |paths: &[PathBuf]| {
        paths
            .iter()
            .map(|p| (canonical(p), std::fs::read(p).expect("read")))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let top = canonical(&corpus().join(CIM).join("cim_schema_2.49.0.mof"));
    let largest = &canonical(largest);
    measure_check(
        "decode+parse+check CIM 2.49 schema (one compilation via includes)",
        &read_all(cim_paths),
        &top,
        5,
    );
    let name = largest.file_name().unwrap_or_default().to_string_lossy();
    measure_check(
        &format!("decode+parse+check {name}"),
        &read_all(&[largest.to_path_buf()]),
        largest,
        50,
    );
}
