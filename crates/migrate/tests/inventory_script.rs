//! The SMS Provider script (`smsmig inventory script`): its text as a snapshot, and runs under
//! Wine's `cscript` — the shipping build (no WMI in Wine: `/whatif` and the connection error)
//! and the stand-in build against canned objects for three sites with hostile names, local and
//! remote roaming ranges, AD sites and IPv6 prefixes. What it writes is loaded with the real
//! loader and compared with the canned data.

use std::fs;
use std::path::{Path, PathBuf};

use smsmig_migrate::inventory::script::{
    provider_script, Provider, StandIn, StandInObject, StandInValue, QUERIES, SITE_PLACEHOLDER,
};
use smsmig_migrate::inventory::{
    load_dir, Boundary, BoundaryKind, Loaded, RoamingKind, Severity, SiteCode,
};
use smsmig_testkit::{Run, Wine};

mod common;

use common::settings;

const DATA: &str = "stand-in.txt";
const LOG: &str = "stand-in.log";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "smsmig-inventory-script-{}-{name}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("out")).unwrap();
    dir
}

fn text(v: &str) -> StandInValue {
    StandInValue::Text(v.to_owned())
}

fn list(items: &[&str]) -> StandInValue {
    StandInValue::List(items.iter().map(|s| (*s).to_owned()).collect())
}

fn object(namespace: &str, class: &str, props: &[(&str, StandInValue)]) -> StandInObject {
    StandInObject {
        namespace: namespace.to_owned(),
        class: class.to_owned(),
        properties: props
            .iter()
            .map(|(n, v)| ((*n).to_owned(), v.clone()))
            .collect(),
    }
}

const SITE_NS: &str = "root\\sms\\site_HOU";

/// A hostile AD site name, a hostile SQL Server name (quotes, comma, CR LF, ampersand,
/// apostrophe, non-ASCII beyond Latin-1 and beyond the BMP).
const HOSTILE_AD_SITE: &str = "Z\u{fc}rich \"Ost\", B\u{fc}ro & Co's";
const FAR_AD_SITE: &str = "\u{6771}\u{4eac}-\u{14c}saka \u{1f600}";
const HOSTILE_SQL: &str = "AUS\"SQL\",01\r\nB&'x";

/// Three sites as the central site's provider shows them: HOU (primary) and its secondary BMT,
/// and the primary AUS.
fn three_sites() -> StandIn {
    let site_def = |code: &str, server: &str, db: &str| {
        object(
            SITE_NS,
            "SMS_SCI_SiteDefinition",
            &[
                ("SiteCode", text(code)),
                ("FileType", text("1")),
                ("SQLServerName", text(server)),
                ("SQLDatabaseName", text(db)),
            ],
        )
    };
    StandIn {
        objects: vec![
            object(
                "root\\sms",
                "SMS_ProviderLocation",
                &[
                    ("Machine", text("OTHERSMS")),
                    ("SiteCode", text("ZZZ")),
                    ("ProviderForLocalSite", text("false")),
                ],
            ),
            object(
                "root\\sms",
                "SMS_ProviderLocation",
                &[
                    ("Machine", text("HOUSMS01")),
                    ("SiteCode", text("hou")),
                    ("ProviderForLocalSite", text("true")),
                    ("NamespacePath", text("\\\\HOUSMS01\\root\\sms\\site_HOU")),
                ],
            ),
            object(SITE_NS, "SMS_Site", &[("SiteCode", text("HOU"))]),
            object(SITE_NS, "SMS_Site", &[("SiteCode", text("BMT"))]),
            object(SITE_NS, "SMS_Site", &[("SiteCode", text("AUS"))]),
            // A PROPOSED copy the script must not take for the ACTUAL one.
            object(
                SITE_NS,
                "SMS_SCI_SiteAssignment",
                &[
                    ("SiteCode", text("HOU")),
                    ("FileType", text("2")),
                    ("AssignDetails", list(&["10.99.0.0"])),
                    ("AssignTypes", list(&["IP Subnet"])),
                ],
            ),
            object(
                SITE_NS,
                "SMS_SCI_SiteAssignment",
                &[
                    ("SiteCode", text("HOU")),
                    ("FileType", text("1")),
                    (
                        "AssignDetails",
                        list(&["10.1.0.0", "10.1.1.0", HOSTILE_AD_SITE]),
                    ),
                    (
                        "AssignTypes",
                        list(&["IP Subnet", "IP Subnet", "Active Directory site"]),
                    ),
                ],
            ),
            object(
                SITE_NS,
                "SMS_SCI_RoamingBoundary",
                &[
                    ("SiteCode", text("HOU")),
                    ("FileType", text("1")),
                    (
                        "Details",
                        list(&["10.1.0.1-10.1.63.254", "Houston-VPN", "2001:db8:1:1::"]),
                    ),
                    (
                        "Types",
                        list(&["IP Ranges", "AD Site Name", "IPv6 Prefixes"]),
                    ),
                    ("Flags", list(&["0", "1", "0"])),
                    ("IncludeSiteBoundary", text("True")),
                ],
            ),
            site_def("HOU", "HOUSQL01", "SMS_HOU"),
            object(
                SITE_NS,
                "SMS_SCI_SiteAssignment",
                &[
                    ("SiteCode", text("BMT")),
                    ("FileType", text("1")),
                    ("AssignDetails", list(&["10.2.0.0", "Beaumont"])),
                    ("AssignTypes", list(&["IP Subnets", "AD Site Name"])),
                ],
            ),
            object(
                SITE_NS,
                "SMS_SCI_RoamingBoundary",
                &[
                    ("SiteCode", text("BMT")),
                    ("FileType", text("1")),
                    ("Details", list(&["10.1.30.1-10.1.40.254"])),
                    ("Types", list(&["IP Ranges"])),
                    ("Flags", list(&["1"])),
                    ("IncludeSiteBoundary", text("False")),
                ],
            ),
            site_def("BMT", "", ""),
            object(
                SITE_NS,
                "SMS_SCI_SiteAssignment",
                &[
                    ("SiteCode", text("AUS")),
                    ("FileType", text("1")),
                    ("AssignDetails", list(&["10.40.0.0", FAR_AD_SITE])),
                    ("AssignTypes", list(&["IP Subnet", "Active Directory site"])),
                ],
            ),
            object(
                SITE_NS,
                "SMS_SCI_RoamingBoundary",
                &[
                    ("SiteCode", text("AUS")),
                    ("FileType", text("1")),
                    (
                        "Details",
                        list(&["2001:db8:40::", "2001:0DB8:0041:0000", "SanAntonio"]),
                    ),
                    (
                        "Types",
                        list(&["IPv6 Prefixes", "IPv6 Prefixes", "AD Site Name"]),
                    ),
                    ("Flags", list(&["0", "1", "0"])),
                    ("IncludeSiteBoundary", text("True")),
                ],
            ),
            site_def("AUS", HOSTILE_SQL, "SMS_AUS"),
        ],
        failing_connections: Vec::new(),
        failing_queries: Vec::new(),
    }
}

/// What the loader must read back from the three sites.
fn expected_boundaries() -> Vec<Boundary> {
    use BoundaryKind::{AdSite, IpRange, IpSubnet, Ipv6Prefix};
    use RoamingKind::{Local, Remote};
    let rows: &[(&str, BoundaryKind, &str, Option<RoamingKind>)] = &[
        ("HOU", IpSubnet, "10.1.0.0", None),
        ("HOU", IpSubnet, "10.1.1.0", None),
        ("HOU", AdSite, HOSTILE_AD_SITE, None),
        ("HOU", IpRange, "10.1.0.1-10.1.63.254", Some(Local)),
        ("HOU", AdSite, "Houston-VPN", Some(Remote)),
        ("HOU", Ipv6Prefix, "2001:db8:1:1::", Some(Local)),
        ("BMT", IpSubnet, "10.2.0.0", None),
        ("BMT", AdSite, "Beaumont", None),
        ("BMT", IpRange, "10.1.30.1-10.1.40.254", Some(Remote)),
        ("AUS", IpSubnet, "10.40.0.0", None),
        ("AUS", AdSite, FAR_AD_SITE, None),
        ("AUS", Ipv6Prefix, "2001:db8:40::", Some(Local)),
        ("AUS", Ipv6Prefix, "2001:0DB8:0041:0000", Some(Remote)),
        ("AUS", AdSite, "SanAntonio", Some(Local)),
    ];
    let mut out: Vec<Boundary> = rows
        .iter()
        .map(|(site, kind, value, roaming)| {
            Boundary::new(SiteCode::parse(site).unwrap(), *kind, value, *roaming).unwrap()
        })
        .collect();
    out.sort_by(|a, b| {
        (a.site_code, a.kind, &a.value, a.roaming).cmp(&(b.site_code, b.kind, &b.value, b.roaming))
    });
    out
}

/// `sites.csv` for the three sites (the SQL route writes it; the script does not).
const SITES_CSV: &str =
    "SiteCode,SiteName,ReportingSiteCode,Type,Version,BuildNumber,ServerName\r\n\
                         HOU,Houston,,2,2.50.4160.2000,4160,HOUSMS01\r\n\
                         BMT,Beaumont,HOU,1,2.50.4160.2000,4160,BMTSMS01\r\n\
                         AUS,Austin,HOU,2,2.50.4253.3000,4253,AUSSMS01\r\n";

/// The stand-in build of the script with `data` beside it in `dir`.
fn stand_in_script(dir: &Path, data: &StandIn) -> PathBuf {
    let script = dir.join("smsmig-inventory.vbs");
    fs::write(
        &script,
        provider_script(Provider::StandIn {
            data: DATA,
            log: LOG,
        }),
    )
    .unwrap();
    fs::write(dir.join(DATA), data.to_utf16()).unwrap();
    script
}

fn utf16_file(path: &Path) -> String {
    let bytes = fs::read(path).unwrap();
    assert_eq!(&bytes[..2], &[0xFF, 0xFE], "{}", path.display());
    let units: Vec<u16> = bytes[2..]
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16(&units).unwrap().replace("\r\n", "\n")
}

/// The connections and queries a run against the three sites must make, in order.
fn expected_log(sites: &[&str]) -> String {
    let mut log = String::from("connect . root\\sms\n");
    log.push_str(&format!("query root\\sms {}\n", QUERIES[0].wql));
    log.push_str("connect HOUSMS01 root\\sms\\site_HOU\n");
    log.push_str(&format!("query root\\sms\\site_hou {}\n", QUERIES[1].wql));
    for site in sites {
        for q in QUERIES.iter().filter(|q| q.per_site) {
            log.push_str(&format!(
                "query root\\sms\\site_hou {}\n",
                q.wql.replace(SITE_PLACEHOLDER, site)
            ));
        }
    }
    log
}

/// Copies the script's CSVs beside a `sites.csv` and loads them with the real loader.
fn load_export(dir: &Path) -> Loaded {
    let inv = dir.join("inventory");
    fs::create_dir_all(&inv).unwrap();
    fs::write(inv.join("sites.csv"), SITES_CSV).unwrap();
    for file in ["boundaries.csv", "site_settings.csv"] {
        fs::copy(dir.join("out").join(file), inv.join(file)).unwrap();
    }
    load_dir(&inv).unwrap()
}

fn assert_matches_canned(loaded: &Loaded) {
    let problems: Vec<String> = loaded
        .findings
        .iter()
        .filter(|f| f.severity > Severity::Info)
        .map(ToString::to_string)
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(loaded.inventory.boundaries, expected_boundaries());
    let settings: Vec<(String, Option<String>, Option<String>)> = loaded
        .inventory
        .sites
        .iter()
        .map(|s| {
            (
                s.code.to_string(),
                s.sql_server.clone(),
                s.database_name.clone(),
            )
        })
        .collect();
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(
        settings,
        [
            ("AUS".to_owned(), some(HOSTILE_SQL), some("SMS_AUS")),
            ("BMT".to_owned(), None, None),
            ("HOU".to_owned(), some("HOUSQL01"), some("SMS_HOU")),
        ]
    );
}

fn stdout(run: &Run) -> String {
    run.stdout_text()
}

#[test]
fn script_snapshot() {
    let script = provider_script(Provider::Wmi).replace("\r\n", "\n");
    let script = script.replace(
        &format!("smsmig {}", env!("CARGO_PKG_VERSION")),
        "smsmig <version>",
    );
    settings().bind(|| insta::assert_snapshot!("inventory_provider_script", script));
}

#[test]
fn exports_three_sites_from_a_stand_in_provider_as_utf8() {
    let Some(wine) = Wine::get("exports_three_sites_from_a_stand_in_provider_as_utf8") else {
        return;
    };
    let dir = scratch("utf8");
    let script = stand_in_script(&dir, &three_sites());
    let run = wine.cscript(&script, &["/out:out"]);
    run.assert_exit(0);
    let out = stdout(&run);
    assert!(out.contains("read 3 of 3 site(s); 0 warning(s)"), "{out}");
    assert!(out.contains("boundaries.csv (UTF-8, 14 row(s))"), "{out}");
    assert!(out.contains("site_settings.csv (UTF-8, 3 row(s))"), "{out}");
    assert!(out.contains("BMT: IncludeSiteBoundary is false"), "{out}");
    assert_eq!(
        utf16_file(&dir.join(LOG)),
        expected_log(&["HOU", "BMT", "AUS"])
    );

    // UTF-8 without BOM, CRLF rows, every value CSV-quoted as needed.
    let bytes = fs::read(dir.join("out/boundaries.csv")).unwrap();
    let csv = String::from_utf8(bytes).expect("UTF-8");
    assert!(
        csv.starts_with("SiteCode,BoundaryType,Value,Roaming\r\n"),
        "{csv}"
    );
    assert!(csv.contains(&format!(
        "HOU,AD Site,\"{}\",\r\n",
        HOSTILE_AD_SITE.replace('"', "\"\"")
    )));
    assert!(csv.contains(&format!("AUS,AD Site,{FAR_AD_SITE},\r\n")));
    assert!(
        !csv.contains("10.99.0.0"),
        "took the PROPOSED site assignment"
    );
    assert!(!csv.replace("\r\n", "").contains('\n'));
    let settings = fs::read_to_string(dir.join("out/site_settings.csv")).unwrap();
    assert!(settings.contains(&format!(
        "AUS,,,\"{}\",SMS_AUS,,,,,\r\n",
        HOSTILE_SQL.replace('"', "\"\"")
    )));
    assert!(dir.join("out").read_dir().unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".tmp")));

    assert_matches_canned(&load_export(&dir));

    // A second run keeps the first files as .bak.
    let run = wine.cscript(&script, &["/out:out"]);
    run.assert_exit(0);
    assert!(
        stdout(&run).contains("kept the previous"),
        "{}",
        stdout(&run)
    );
    assert_eq!(
        fs::read(dir.join("out/boundaries.csv.bak")).unwrap(),
        fs::read(dir.join("out/boundaries.csv")).unwrap()
    );
    wine.cscript(&script, &["/out:out"]).assert_exit(0);
    assert!(dir.join("out/site_settings.csv.bak.1").is_file());
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn exports_utf16_on_request_and_loads_the_same() {
    let Some(wine) = Wine::get("exports_utf16_on_request_and_loads_the_same") else {
        return;
    };
    let dir = scratch("utf16");
    let script = stand_in_script(&dir, &three_sites());
    let run = wine.cscript(&script, &["/encoding:utf-16", "/out:out"]);
    run.assert_exit(0);
    assert!(stdout(&run).contains("boundaries.csv (UTF-16LE, 14 row(s))"));
    let text = utf16_file(&dir.join("out/boundaries.csv"));
    assert!(text.contains(FAR_AD_SITE));
    assert_matches_canned(&load_export(&dir));
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn whatif_prints_every_query_and_touches_nothing() {
    let Some(wine) = Wine::get("whatif_prints_every_query_and_touches_nothing") else {
        return;
    };
    let dir = scratch("whatif");
    let script = stand_in_script(&dir, &three_sites());
    let run = wine.cscript(&script, &["/WhatIf", "/server:HOUSMS01"]);
    run.assert_exit(0);
    let out = stdout(&run);
    assert!(out.contains("connect to \\\\HOUSMS01\\root\\sms"), "{out}");
    for q in QUERIES {
        assert!(out.contains(q.wql), "{} missing from:\n{out}", q.wql);
    }
    assert!(out.contains("Nothing was read or written."));
    assert!(!dir.join(LOG).exists(), "/whatif connected to the provider");
    assert_eq!(fs::read_dir(dir.join("out")).unwrap().count(), 0);
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn unreadable_sites_and_odd_data_are_warnings_never_queries() {
    let Some(wine) = Wine::get("unreadable_sites_and_odd_data_are_warnings_never_queries") else {
        return;
    };
    let dir = scratch("warnings");
    let mut data = three_sites();
    // A site code that must never reach a query, a site this provider cannot read, and a
    // boundary type the script does not know.
    data.objects.push(object(
        SITE_NS,
        "SMS_Site",
        &[("SiteCode", text("X' OR '1"))],
    ));
    data.objects
        .push(object(SITE_NS, "SMS_Site", &[("SiteCode", text("CRP"))]));
    for q in QUERIES.iter().filter(|q| q.per_site) {
        data.failing_queries
            .push(q.wql.replace(SITE_PLACEHOLDER, "CRP"));
    }
    data.objects.push(object(
        SITE_NS,
        "SMS_SCI_SiteAssignment",
        &[
            ("SiteCode", text("ELP")),
            ("AssignDetails", list(&["AA-BB"])),
            ("AssignTypes", list(&["IPX Network"])),
        ],
    ));
    data.objects
        .push(object(SITE_NS, "SMS_Site", &[("SiteCode", text("ELP"))]));
    let script = stand_in_script(&dir, &data);
    let run = wine.cscript(&script, &["/out:out"]);
    run.assert_exit(3);
    let out = stdout(&run);
    assert!(
        out.contains("site whose code is not three letters or digits"),
        "{out}"
    );
    assert!(
        out.contains("CRP: no site control items could be read"),
        "{out}"
    );
    assert!(
        out.contains("ELP: unknown boundary type \"IPX Network\""),
        "{out}"
    );
    assert!(out.contains("read 4 of 5 site(s)"), "{out}");
    let log = utf16_file(&dir.join(LOG));
    assert!(!log.contains("X'"), "{log}");
    assert_eq!(log, expected_log(&["HOU", "BMT", "AUS", "CRP", "ELP"]));
    // The unknown type is written as it is, and the loader says where.
    let csv = fs::read_to_string(dir.join("out/boundaries.csv")).unwrap();
    assert!(csv.contains("ELP,IPX Network,AA-BB,\r\n"), "{csv}");
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn provider_rows_merge_with_the_sql_exports_site_settings() {
    let Some(wine) = Wine::get("provider_rows_merge_with_the_sql_exports_site_settings") else {
        return;
    };
    let dir = scratch("merge");
    let script = stand_in_script(&dir, &three_sites());
    wine.cscript(&script, &["/out:out"]).assert_exit(0);
    // What `inventory pull` writes for the central site, with the script's rows appended.
    let script_rows = fs::read_to_string(dir.join("out/site_settings.csv")).unwrap();
    let (_, rows) = script_rows.split_once("\r\n").unwrap();
    let inv = dir.join("inventory");
    fs::create_dir_all(&inv).unwrap();
    fs::write(inv.join("sites.csv"), SITES_CSV).unwrap();
    fs::write(
        inv.join("site_settings.csv"),
        format!(
            "SiteCode,SecurityMode,ServicePack,SQLServer,SQLDatabase,SQLVersion,SQLServicePack,\
             SQLReplication,DotNet20,FeaturePacks\r\nHOU,,,HOUSQL01,SMS_HOU,9.00.3042.00,SP2,0,,\r\n\
             {rows}"
        ),
    )
    .unwrap();
    let loaded = load_dir(&inv).unwrap();
    assert!(
        loaded.worst() < Some(Severity::Warning),
        "{:#?}",
        loaded.findings
    );
    let hou = loaded
        .inventory
        .site(SiteCode::parse("HOU").unwrap())
        .unwrap();
    assert_eq!(hou.sql_server.as_deref(), Some("HOUSQL01"));
    assert_eq!(hou.sql_version.as_deref(), Some("9.00.3042.00"));
    assert_eq!(hou.sql_service_pack, Some(2));
    let aus = loaded
        .inventory
        .site(SiteCode::parse("AUS").unwrap())
        .unwrap();
    assert_eq!(aus.sql_server.as_deref(), Some(HOSTILE_SQL));
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_shipping_script_runs_in_wine_up_to_the_missing_provider() {
    let Some(wine) = Wine::get("the_shipping_script_runs_in_wine_up_to_the_missing_provider")
    else {
        return;
    };
    let dir = scratch("wmi");
    let script = dir.join("smsmig-inventory.vbs");
    fs::write(&script, provider_script(Provider::Wmi)).unwrap();
    let run = wine.cscript(&script, &["/whatif"]);
    run.assert_exit(0);
    for q in QUERIES {
        assert!(stdout(&run).contains(q.wql));
    }
    // Wine has WMI scripting but no SMS Provider: the connection fails, cleanly.
    let run = wine.cscript(&script, &["/out:out"]);
    run.assert_exit(2);
    assert!(
        stdout(&run).contains("error: cannot connect to \\\\.\\root\\sms"),
        "{}",
        stdout(&run)
    );
    assert_eq!(fs::read_dir(dir.join("out")).unwrap().count(), 0);
    let run = wine.cscript(&script, &["/out"]);
    run.assert_exit(1);
    assert!(stdout(&run).contains("error: unknown argument /out"));
    assert!(stdout(&run).contains("usage: cscript //nologo smsmig-inventory.vbs"));
    fs::remove_dir_all(dir).unwrap();
}

/// The sample hierarchy's boundaries and SQL Servers as the central site's provider would show
/// them, in the site control file's spellings.
fn sample_as_provider(inv: &smsmig_migrate::inventory::Inventory) -> StandIn {
    let mut objects = vec![object(
        "root\\sms",
        "SMS_ProviderLocation",
        &[
            ("Machine", text("HOUSMS01")),
            ("SiteCode", text("HOU")),
            ("ProviderForLocalSite", text("true")),
        ],
    )];
    for site in &inv.sites {
        let code = site.code.as_str();
        objects.push(object(SITE_NS, "SMS_Site", &[("SiteCode", text(code))]));
        let mine = || inv.boundaries.iter().filter(|b| b.site_code == site.code);
        let assign_type = |k: BoundaryKind| match k {
            BoundaryKind::IpSubnet => "IP Subnet",
            BoundaryKind::AdSite => "Active Directory site",
            BoundaryKind::IpRange => "IP Ranges",
            _ => "IPv6 Prefixes",
        };
        let roam_type = |k: BoundaryKind| match k {
            BoundaryKind::IpSubnet => "IP Subnets",
            BoundaryKind::AdSite => "AD Site Name",
            BoundaryKind::IpRange => "IP Ranges",
            _ => "IPv6 Prefixes",
        };
        let assigned: Vec<&Boundary> = mine().filter(|b| b.roaming.is_none()).collect();
        let roaming: Vec<&Boundary> = mine().filter(|b| b.roaming.is_some()).collect();
        let strings = |v: Vec<String>| StandInValue::List(v);
        objects.push(StandInObject {
            namespace: SITE_NS.to_owned(),
            class: "SMS_SCI_SiteAssignment".to_owned(),
            properties: vec![
                ("SiteCode".to_owned(), text(code)),
                ("FileType".to_owned(), text("1")),
                (
                    "AssignDetails".to_owned(),
                    strings(assigned.iter().map(|b| b.value.clone()).collect()),
                ),
                (
                    "AssignTypes".to_owned(),
                    strings(
                        assigned
                            .iter()
                            .map(|b| assign_type(b.kind).to_owned())
                            .collect(),
                    ),
                ),
            ],
        });
        objects.push(StandInObject {
            namespace: SITE_NS.to_owned(),
            class: "SMS_SCI_RoamingBoundary".to_owned(),
            properties: vec![
                ("SiteCode".to_owned(), text(code)),
                ("FileType".to_owned(), text("1")),
                (
                    "Details".to_owned(),
                    strings(roaming.iter().map(|b| b.value.clone()).collect()),
                ),
                (
                    "Types".to_owned(),
                    strings(
                        roaming
                            .iter()
                            .map(|b| roam_type(b.kind).to_owned())
                            .collect(),
                    ),
                ),
                (
                    "Flags".to_owned(),
                    strings(
                        roaming
                            .iter()
                            .map(|b| {
                                if b.roaming == Some(RoamingKind::Remote) {
                                    "1"
                                } else {
                                    "0"
                                }
                                .to_owned()
                            })
                            .collect(),
                    ),
                ),
                ("IncludeSiteBoundary".to_owned(), text("True")),
            ],
        });
        objects.push(object(
            SITE_NS,
            "SMS_SCI_SiteDefinition",
            &[
                ("SiteCode", text(code)),
                ("FileType", text("1")),
                (
                    "SQLServerName",
                    text(site.sql_server.as_deref().unwrap_or("")),
                ),
                (
                    "SQLDatabaseName",
                    text(site.database_name.as_deref().unwrap_or("")),
                ),
            ],
        ));
    }
    StandIn {
        objects,
        ..StandIn::default()
    }
}

#[test]
fn the_sample_hierarchy_round_trips_through_the_script() {
    let Some(wine) = Wine::get("the_sample_hierarchy_round_trips_through_the_script") else {
        return;
    };
    let sample = smsmig_migrate::inventory::synth::sample();
    let dir = scratch("sample");
    let script = stand_in_script(&dir, &sample_as_provider(&sample));
    let run = wine.cscript(&script, &["/out:out"]);
    run.assert_exit(0);
    assert!(
        stdout(&run).contains("read 9 of 9 site(s); 0 warning(s)"),
        "{}",
        stdout(&run)
    );
    // The script's two files in place of the sample's own.
    let inv = dir.join("inventory");
    smsmig_migrate::inventory::write_dir(&sample, {
        fs::create_dir_all(&inv).unwrap();
        &inv
    })
    .unwrap();
    for file in ["boundaries.csv", "site_settings.csv"] {
        fs::copy(dir.join("out").join(file), inv.join(file)).unwrap();
    }
    let loaded = load_dir(&inv).unwrap();
    assert!(
        loaded.worst() < Some(Severity::Warning),
        "{:#?}",
        loaded.findings
    );
    assert_eq!(loaded.inventory.boundaries, sample.boundaries);
    for (got, want) in loaded.inventory.sites.iter().zip(&sample.sites) {
        assert_eq!(
            (&got.code, &got.sql_server, &got.database_name),
            (&want.code, &want.sql_server, &want.database_name)
        );
    }
    fs::remove_dir_all(dir).unwrap();
}
