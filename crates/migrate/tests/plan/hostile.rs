//! Hostile names through every artifact: each interpolated value must come back unchanged
//! when the file is read the way its consumer reads it (VBScript, cmd.exe, MOF, CSV).

use smsmig_migrate::inventory::{Boundary, BoundaryKind, CollectionRule, Inventory, SiteCode};
use smsmig_migrate::plan::Artifact;
use smsmig_mof::syntax::{Instance, ValueKind};

use crate::common::settings;
use crate::support::{checked_text, clean_artifacts, planned, sample_inventory, slug, target_text};

const HOU_NAME: &str = "Houston \"Main\" & <Co> 100%";
const AD_SITE: &str = "=Houston, \"HQ\" & 100%";
const COLLECTION: &str = "Houston \"Workstations\" & 100%\nnew line";
const PACKAGE: &str = "Office \"2003\" & <SP3> 100%";
const SOURCE: &str = "\\\\HOUSMS01\\Source$\\Office 100%";
const COMMAND: &str = "setup.exe /settings \"C:\\Program Files\\unattend.ini\" & echo 100%";
const CLIENT: &str = "HOU\"WS&001";
const Q01: &str = "Central \"HQ\" & Co 100% <main>\nsecond line";
const Q02: &str = "R&D ^|<>% \"quoted\"\r\nTab\there 'single' Québec 😀";
const WAVE1: &str = "Wave 1: Wave \"one\" & 50% of <Houston>\nline two";
const WAVE2: &str = "Wave 2: %PATH% ^& !x! `rm -rf` [link](http://x) *bold* | more";

/// The sample hierarchy with hostile names in the places an export can carry them.
fn hostile_inventory() -> Inventory {
    let mut inv = sample_inventory();
    let hou = SiteCode::parse("HOU").unwrap();
    inv.sites.iter_mut().find(|s| s.code == hou).unwrap().name = HOU_NAME.to_owned();
    for b in inv.boundaries.iter_mut() {
        if b.site_code == hou && b.value == "Houston-HQ" {
            *b = Boundary::new(hou, BoundaryKind::AdSite, AD_SITE, None).unwrap();
        }
    }
    for c in inv.clients.iter_mut() {
        if c.ad_site.as_deref() == Some("Houston-HQ") {
            c.ad_site = Some(AD_SITE.to_owned());
        }
        if c.name == "HOU-WS001" {
            c.name = CLIENT.to_owned();
        }
    }
    for col in inv.collections.iter_mut() {
        if col.id == "HOU00010" {
            col.name = COLLECTION.to_owned();
            col.comment = Some("ends */ with \\ backslash".to_owned());
        }
        for rule in col.rules.iter_mut() {
            if let CollectionRule::Direct { name, .. } = rule {
                if name == "HOU-WS001" {
                    *name = CLIENT.to_owned();
                }
            }
        }
    }
    let pkg = inv
        .packages
        .iter_mut()
        .find(|p| p.id == "HOU00001")
        .unwrap();
    pkg.name = PACKAGE.to_owned();
    pkg.source_path = Some(SOURCE.to_owned());
    let prog = inv
        .programs
        .iter_mut()
        .find(|p| p.package_id == "HOU00001" && p.name == "Per-system unattended")
        .unwrap();
    prog.command_line = COMMAND.to_owned();
    inv.normalize();
    inv
}

fn artifact<'a>(files: &'a [Artifact], path: &str) -> &'a Artifact {
    files
        .iter()
        .find(|a| a.path == path)
        .unwrap_or_else(|| panic!("no artifact {path}"))
}

/// Evaluate a VBScript string expression of the forms `vbs_string` writes.
fn eval_vbs(expr: &str) -> String {
    let mut units: Vec<u16> = Vec::new();
    let mut rest = expr.trim();
    loop {
        if let Some(body) = rest.strip_prefix('"') {
            let mut end = 0;
            let bytes = body.as_bytes();
            let mut text = String::new();
            loop {
                if bytes[end] == b'"' {
                    if bytes.get(end + 1) == Some(&b'"') {
                        text.push('"');
                        end += 2;
                        continue;
                    }
                    break;
                }
                text.push(bytes[end] as char);
                end += 1;
            }
            units.extend(text.encode_utf16());
            rest = &body[end + 1..];
        } else if let Some(r) = rest.strip_prefix("vbCrLf") {
            units.extend([13, 10]);
            rest = r;
        } else if let Some(r) = rest.strip_prefix("vbLf") {
            units.push(10);
            rest = r;
        } else if let Some(r) = rest.strip_prefix("vbCr") {
            units.push(13);
            rest = r;
        } else if let Some(r) = rest.strip_prefix("vbTab") {
            units.push(9);
            rest = r;
        } else if let Some(r) = rest.strip_prefix("ChrW(") {
            let (n, r) = r.split_once(')').unwrap();
            units.push(n.parse().unwrap());
            rest = r;
        } else {
            panic!("unexpected VBScript: {rest}");
        }
        rest = rest.trim_start();
        match rest.strip_prefix('&') {
            Some(r) => rest = r.trim_start(),
            None => break,
        }
    }
    assert!(rest.is_empty(), "trailing VBScript: {rest}");
    String::from_utf16(&units).unwrap()
}

/// What cmd.exe prints for an `echo(` line of a batch file without delayed expansion.
fn eval_echo(line: &str) -> String {
    let body = line.strip_prefix("echo(").expect("an echo( line");
    let mut out = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '^' => out.push(chars.next().expect("escaped character")),
            '%' => {
                assert_eq!(chars.next(), Some('%'), "a lone % would expand a variable");
                out.push('%');
            }
            '&' | '|' | '<' | '>' | '"' => panic!("unescaped {c} in {line}"),
            c => out.push(c),
        }
    }
    out
}

fn vbs_assignment(text: &str, var: &str) -> String {
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{var} = ")))
        .unwrap_or_else(|| panic!("no {var} ="));
    eval_vbs(line)
}

fn mof_instances(a: &Artifact) -> Vec<Instance> {
    let parsed = smsmig_mof::parse(&a.text);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    parsed
        .document
        .instances()
        .map(|(_, i)| i.clone())
        .collect()
}

fn string(i: &Instance, name: &str) -> String {
    match &i.get(name).expect(name).kind {
        ValueKind::String(s) => s.clone(),
        other => panic!("{name}: {other:?}"),
    }
}

fn csv_rows(a: &Artifact) -> Vec<Vec<String>> {
    csv::Reader::from_reader(a.text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn hostile_names_survive_every_language() {
    let inv = hostile_inventory();
    let (p, v) = planned(&inv, &target_text("hostile.toml"));
    let files = clean_artifacts(&inv, &p, &v);
    for a in &files {
        checked_text(a);
    }

    // VBScript: the values come back exactly.
    let vbs1 = &artifact(&files, "waves/wave-01/reassign-Q01.vbs").text;
    assert_eq!(vbs_assignment(vbs1, "waveName"), WAVE1);
    assert_eq!(vbs_assignment(vbs1, "newSiteName"), Q01);
    let vbs2 = &artifact(&files, "waves/wave-02/reassign-Q02.vbs").text;
    assert_eq!(vbs_assignment(vbs2, "waveName"), WAVE2);
    assert_eq!(vbs_assignment(vbs2, "newSiteName"), Q02);

    // cmd.exe: each line of a name is echoed literally (non-ASCII as `?`).
    let cmd1 = &artifact(&files, "waves/wave-01/reassign-Q01.cmd").text;
    let echoed: Vec<String> = cmd1
        .lines()
        .filter(|l| l.starts_with("echo("))
        .map(eval_echo)
        .collect();
    assert_eq!(
        echoed[..2],
        WAVE1.split('\n').map(str::to_owned).collect::<Vec<_>>()[..]
    );
    assert_eq!(echoed[2], "New site: Q01 Central \"HQ\" & Co 100% <main>");
    assert_eq!(echoed[3], "second line");
    let cmd2 = &artifact(&files, "waves/wave-02/reassign-Q02.cmd").text;
    let echoed: Vec<String> = cmd2
        .lines()
        .filter(|l| l.starts_with("echo("))
        .map(eval_echo)
        .collect();
    assert_eq!(echoed[0], WAVE2);
    assert_eq!(echoed[1], "New site: Q02 R&D ^|<>% \"quoted\"");
    assert_eq!(echoed[2], "Tab here 'single' Qu?bec ?");

    // MOF: the decoded strings equal the inventory's.
    let cols = mof_instances(artifact(&files, "objects/Q01-collections.mof"));
    let hou10 = cols
        .iter()
        .find(|i| string(i, "CollectionID") == "HOU00010")
        .unwrap();
    assert_eq!(string(hou10, "Name"), COLLECTION);
    assert_eq!(string(hou10, "Comment"), "ends */ with \\ backslash");
    let hou12 = cols
        .iter()
        .find(|i| string(i, "CollectionID") == "HOU00012")
        .unwrap();
    let Some(ValueKind::Array(rules)) = hou12.get("CollectionRules").map(|v| &v.kind) else {
        panic!("rules")
    };
    let ValueKind::Instance(rule) = &rules[0].kind else {
        panic!("embedded rule")
    };
    assert!(string(rule, "QueryExpression").contains("(\"HOU\\\"WS&001\", "));
    let pkgs = mof_instances(artifact(&files, "objects/Q01-packages.mof"));
    let office = pkgs
        .iter()
        .find(|i| string(i, "PackageID") == "HOU00001")
        .unwrap();
    assert_eq!(string(office, "Name"), PACKAGE);
    assert_eq!(string(office, "PkgSourcePath"), SOURCE);
    let progs = mof_instances(artifact(&files, "objects/Q01-programs.mof"));
    assert!(progs.iter().any(|i| string(i, "CommandLine") == COMMAND));

    // CSV: fields come back, a formula-looking value as text.
    let hou = csv_rows(artifact(&files, "boundaries/HOU.csv"));
    assert!(hou.iter().all(|r| r[4] == HOU_NAME));
    assert!(hou.iter().any(|r| r[6] == format!("'{AD_SITE}")));
    let q02 = csv_rows(artifact(&files, "boundaries/Q02.csv"));
    assert!(q02.iter().all(|r| r[4] == Q02));
    let clients = csv_rows(artifact(&files, "waves/wave-01/clients-Q01.csv"));
    assert!(clients.iter().any(|r| r[1] == CLIENT));

    // Markdown: no raw markup from names.
    let md = &artifact(&files, "plan.md").text;
    assert!(!md.contains("<main>") && !md.contains("[link](http://x)"));
    assert!(md.contains("Central \"HQ\" \\& Co 100% \\<main\\>↵second line"));

    settings().bind(|| {
        for path in [
            "plan.md",
            "waves/wave-01/reassign-Q01.vbs",
            "waves/wave-01/reassign-Q01.cmd",
            "waves/wave-01/clients-Q01.csv",
            "waves/wave-02/reassign-Q02.vbs",
            "waves/wave-02/reassign-Q02.cmd",
            "boundaries/HOU.csv",
            "boundaries/Q02.csv",
            "objects/Q01-collections.mof",
            "objects/Q01-packages.mof",
            "objects/Q01-programs.mof",
        ] {
            let text = checked_text(artifact(&files, path));
            insta::assert_snapshot!(format!("plan_hostile_{}", slug(path)), text);
        }
    });
}
