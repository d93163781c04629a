//! The whole hardware-inventory migration on a generated site: a 1 MB SMS 2003 `SMS_def.mof`
//! (the scenario's file plus generated custom classes and switched stock properties) and 200
//! mini-MOFs (registry classes in root\cimv2, some in root\wmi, some `[DYNPROPS]`), migrated
//! into the scenario's ConfigMgr 2007 target (run with
//! `cargo bench -p smsmig-migrate --bench hinv`).
//!
//! Prints the best and median of several runs for: decoding and parsing every input and the
//! target, the migration itself (findings and edits), and both together with encoding the
//! output. Disk I/O is left out: the files are generated in memory.

#![allow(clippy::print_stdout)]

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use smsmig_migrate::hinv::{migrate, MofFile, Options, Sources, Target};

const SITE_BYTES: usize = 1_000_000;
const MINIS: usize = 200;
const RUNS: usize = 15;

fn scenario() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/hinv")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(scenario().join(rel)).unwrap()
}

/// A custom data class and its reporting class, SMS 2003 style (CRLF).
fn custom_pair(out: &mut String, name: &str, namespace: &str, properties: usize) {
    let _ = write!(
        out,
        "//--------------------------------------------------------------------------\r\n\
         // {name}\r\n\
         //--------------------------------------------------------------------------\r\n\r\n\
         #pragma namespace (\"\\\\\\\\.\\\\{ns}\")\r\n\
         #pragma deleteclass(\"{name}\", NOFAIL)\r\n\r\n\
         [dynamic, provider(\"RegProv\"),\r\n \
         ClassContext(\"local|HKEY_LOCAL_MACHINE\\\\SOFTWARE\\\\Contoso\\\\{name}\")]\r\n\
         class {name}\r\n{{\r\n    [key]\r\n        string     KeyName;\r\n",
        ns = namespace.replace('\\', "\\\\"),
    );
    for p in 0..properties {
        let _ = write!(
            out,
            "    [PropertyContext(\"Value{p}\")]\r\n        string     Value{p};\r\n"
        );
    }
    let _ = write!(
        out,
        "}};\r\n\r\n#pragma namespace (\"\\\\\\\\.\\\\root\\\\cimv2\\\\sms\")\r\n\r\n\
         [ SMS_Report     (TRUE),\r\n  SMS_Group_Name (\"{name}\"),\r\n  \
         SMS_Class_ID   (\"CONTOSO|{upper}|1.0\"){hint} ]\r\n\r\n\
         class {name} : SMS_Class_Template\r\n{{\r\n    [SMS_Report (TRUE), key]\r\n        \
         string     KeyName;\r\n",
        upper = name.to_uppercase(),
        hint = if namespace == "root\\cimv2" {
            String::new()
        } else {
            format!(
                ",\r\n  Namespace      (\"\\\\\\\\\\\\\\\\.\\\\\\\\{}\")",
                namespace.replace('\\', "\\\\\\\\")
            )
        },
    );
    for p in 0..properties {
        let report = if p % 3 == 0 { "FALSE" } else { "TRUE" };
        let _ = write!(
            out,
            "    [SMS_Report ({report})]\r\n        string     Value{p};\r\n"
        );
    }
    out.push_str("};\r\n\r\n");
}

/// The scenario's site file grown to `SITE_BYTES` with custom classes.
fn site_file() -> Vec<u8> {
    let mut text = String::from_utf8(read("site/SMS_def.mof")).unwrap();
    let mut n = 0;
    while text.len() < SITE_BYTES {
        custom_pair(&mut text, &format!("Contoso_Gen{n:04}"), "root\\cimv2", 12);
        n += 1;
    }
    text.into_bytes()
}

/// Mini-MOF `i`: a registry class; every fifth in root\wmi, every seventh a `[DYNPROPS]` one.
fn mini(i: usize) -> (String, Vec<u8>) {
    let name = format!("Contoso_Mini{i:03}");
    let mut text = format!("// Mini-MOF {i}\r\n\r\n");
    let namespace = if i.is_multiple_of(5) {
        "root\\wmi"
    } else {
        "root\\cimv2"
    };
    if i.is_multiple_of(7) {
        let _ = write!(
            text,
            "#pragma namespace (\"\\\\\\\\.\\\\root\\\\cimv2\")\r\n\
             instance of __Win32Provider as $PropProv\r\n{{\r\n    Name = \"RegPropProv\";\r\n    \
             Clsid = \"{{72967901-68EC-11d0-B729-00AA0062CBB7}}\";\r\n}};\r\n\
             instance of __PropertyProviderRegistration\r\n{{\r\n    Provider = $PropProv;\r\n    \
             SupportsGet = TRUE;\r\n}};\r\n\
             [DYNPROPS] class {name} {{ [key] string KeyName; string Tag; }};\r\n\
             [DYNPROPS] instance of {name}\r\n{{\r\n    KeyName = \"K\";\r\n    \
             [PropertyContext(\"local|HKEY_LOCAL_MACHINE\\\\SOFTWARE\\\\Contoso|Tag\"), Dynamic, \
             Provider(\"RegPropProv\")] Tag;\r\n}};\r\n\
             #pragma namespace (\"\\\\\\\\.\\\\root\\\\cimv2\\\\sms\")\r\n\
             [SMS_Report(TRUE), SMS_Group_Name(\"{name}\"), SMS_Class_ID(\"CONTOSO|MINI{i}|1.0\")]\r\n\
             class {name} : SMS_Class_Template {{ [SMS_Report(TRUE), key] string KeyName; \
             [SMS_Report(TRUE)] string Tag; }};\r\n"
        );
    } else {
        custom_pair(&mut text, &name, namespace, 6);
    }
    (format!("mini{i:03}.mof"), text.into_bytes())
}

struct Inputs {
    site: Vec<u8>,
    minis: Vec<(String, Vec<u8>)>,
    baseline: Vec<u8>,
    configuration: Vec<u8>,
    sms_def: Vec<u8>,
}

fn load(inputs: &Inputs) -> (Sources, Target) {
    let sources = Sources {
        site: MofFile::from_bytes("SMS_def.mof", &inputs.site).unwrap(),
        minis: inputs
            .minis
            .iter()
            .map(|(name, bytes)| MofFile::from_bytes(name.as_str(), bytes).unwrap())
            .collect(),
        baseline: Some(MofFile::from_bytes("stock/SMS_def.mof", &inputs.baseline).unwrap()),
    };
    let target = Target {
        dir: PathBuf::from("hinv"),
        configuration: MofFile::from_bytes("hinv/configuration.mof", &inputs.configuration)
            .unwrap(),
        sms_def: MofFile::from_bytes("hinv/SMS_def.mof", &inputs.sms_def).unwrap(),
    };
    (sources, target)
}

fn report(label: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{label:<34} best {:>8.1} ms   median {:>8.1} ms",
        times[0].as_secs_f64() * 1e3,
        times[times.len() / 2].as_secs_f64() * 1e3
    );
}

fn main() {
    let inputs = Inputs {
        site: site_file(),
        minis: (0..MINIS).map(mini).collect(),
        baseline: read("baseline/SMS_def.mof"),
        configuration: read("target/configuration.mof"),
        sms_def: read("target/SMS_def.mof"),
    };
    let mini_bytes: usize = inputs.minis.iter().map(|(_, b)| b.len()).sum();
    println!(
        "site SMS_def.mof {:.2} MB, {MINIS} mini-MOFs {:.2} MB, target configuration.mof UTF-16LE",
        inputs.site.len() as f64 / 1e6,
        mini_bytes as f64 / 1e6
    );
    let (mut parse, mut run, mut total) = (Vec::new(), Vec::new(), Vec::new());
    let mut summary = String::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let (sources, target) = load(&inputs);
        let parsed = start.elapsed();
        let migration = migrate(&sources, &target, &Options::default()).unwrap();
        let bytes = black_box(migration.configuration.encoded()).len()
            + black_box(migration.sms_def.encoded()).len();
        let migrated = start.elapsed();
        parse.push(parsed);
        run.push(migrated - parsed);
        total.push(migrated);
        summary = format!(
            "{} custom classes, {} toggles, {} conflicts; output {:.2} MB encoded",
            migration.report.custom_classes.len(),
            migration.report.toggles.len(),
            migration.report.conflicts.len(),
            bytes as f64 / 1e6
        );
    }
    println!("{summary}");
    report("decode + parse (inputs + target)", parse);
    report("migrate (findings + edits)", run);
    report("whole run", total);
}
