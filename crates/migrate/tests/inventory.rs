//! Inventory: the committed sample hierarchy, malformed exports, the extraction SQL and its
//! documentation, and (when `SMSMIG_TEST_MSSQL` names a server) a live pull.

use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

use smsmig_migrate::inventory::{
    extraction_script, load_dir, summarize, synth, write_dir, Loaded, SecurityMode, SiteType,
    TABLES,
};

mod common;

use common::{settings, workspace};

/// A readable rendering of a load: the site tree, totals and findings.
fn render(loaded: &Loaded) -> String {
    let summary = summarize(&loaded.inventory);
    let mut out = String::from("## Sites\n");
    for s in &summary.sites {
        let kind = match s.site_type {
            SiteType::Primary => "primary",
            SiteType::Secondary => "secondary",
        };
        let sp = s.service_pack.map_or("?".to_owned(), |sp| {
            if sp == 0 {
                "RTM".to_owned()
            } else {
                format!("SP{sp}")
            }
        });
        let mode = match s.security_mode {
            Some(SecurityMode::Advanced) => "advanced",
            Some(SecurityMode::Standard) => "standard",
            None => "?",
        };
        let _ = writeln!(
            out,
            "{}{} {} ({kind}, {} {sp}, {mode}) boundaries {}+{} roaming, collections {}, \
             packages {}, clients {} ({} legacy)",
            "  ".repeat(s.depth),
            s.code,
            s.name,
            s.version,
            s.site_boundaries,
            s.roaming_boundaries,
            s.collections,
            s.packages,
            s.clients,
            s.legacy_clients,
        );
    }
    let _ = writeln!(out, "\n## Totals\n{:#?}", summary.totals);
    out.push_str("\n## Findings\n");
    for f in &loaded.findings {
        let _ = writeln!(out, "{f}");
    }
    out
}

#[test]
fn sample_testdata_matches_the_generator() {
    let dir = workspace().join("testdata/hierarchy");
    let inv = synth::sample();
    let fresh = tempfile::tempdir().unwrap();
    write_dir(&inv, fresh.path()).unwrap();
    if std::env::var_os("SMSMIG_BLESS").is_some() {
        fs::create_dir_all(&dir).unwrap();
        write_dir(&inv, &dir).unwrap();
    }
    let mut total = 0;
    for spec in TABLES {
        let want = fs::read(fresh.path().join(spec.file)).unwrap();
        let have = fs::read(dir.join(spec.file))
            .unwrap_or_else(|e| panic!("{}: {e} (regenerate with SMSMIG_BLESS=1)", spec.file));
        assert!(
            want == have,
            "{} differs from the generator (regenerate with SMSMIG_BLESS=1)",
            spec.file
        );
        total += have.len();
    }
    assert!(total < 1_000_000, "sample is {total} bytes");
}

#[test]
fn sample_loads_and_summarises() {
    let loaded = load_dir(&workspace().join("testdata/hierarchy")).unwrap();
    assert_eq!(loaded.inventory, synth::sample());
    settings().bind(|| insta::assert_snapshot!("inventory_sample_summary", render(&loaded)));
}

#[test]
fn sqlcmd_export_loads_as_is() {
    let loaded = load_dir(&workspace().join("testdata/hierarchy-sqlcmd")).unwrap();
    settings().bind(|| insta::assert_snapshot!("inventory_sqlcmd_summary", render(&loaded)));
}

#[test]
fn malformed_exports_give_located_errors_or_findings() {
    let root = workspace().join("testdata/hierarchy-bad");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 6);
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let text = match load_dir(&dir) {
            Ok(loaded) => {
                assert!(
                    !loaded.findings.is_empty(),
                    "{name}: a bad fixture must produce an error or findings"
                );
                render(&loaded)
            }
            Err(err) => {
                match err.location() {
                    Some(loc) => assert!(loc.line >= 1 && loc.column >= 1),
                    None => assert!(
                        matches!(
                            err,
                            smsmig_migrate::inventory::LoadError::MissingFile { .. }
                        ),
                        "{name}: {err}"
                    ),
                }
                let prefix = format!("{}{}", dir.display(), std::path::MAIN_SEPARATOR);
                format!("## Error\n{}\n", err.to_string().replace(&prefix, ""))
            }
        };
        settings().bind(|| insta::assert_snapshot!(format!("inventory_bad_{name}"), text));
    }
}

#[test]
fn extraction_queries_parse_as_tsql_and_only_select() {
    use sqlparser::ast::Statement;
    use sqlparser::dialect::MsSqlDialect;
    for spec in TABLES.iter().filter(|s| s.has_query()) {
        let sql = spec.select_sql(&|_, _| true).unwrap();
        let stmts = sqlparser::parser::Parser::parse_sql(&MsSqlDialect {}, &sql)
            .unwrap_or_else(|e| panic!("{}: {e}\n{sql}", spec.file));
        assert_eq!(stmts.len(), 1, "{}", spec.file);
        assert!(matches!(stmts[0], Statement::Query(_)), "{}", spec.file);
    }
    let script = extraction_script();
    for spec in TABLES {
        assert!(
            script.contains(&format!("-- {}:", spec.file)),
            "{}",
            spec.file
        );
    }
    settings().bind(|| insta::assert_snapshot!("inventory_extraction_sql", script));
}

#[test]
fn format_documentation_names_every_file_and_column() {
    let doc = fs::read_to_string(workspace().join("docs/inventory-format.md")).unwrap();
    for spec in TABLES {
        assert!(
            doc.contains(&format!("`{}`", spec.file)),
            "{} undocumented",
            spec.file
        );
        for col in spec.columns {
            assert!(
                doc.contains(&format!("`{}`", col.name)),
                "{}: column {} undocumented",
                spec.file,
                col.name
            );
        }
        for obj in spec.objects {
            assert!(
                doc.contains(obj.name),
                "{}: {} undocumented",
                spec.file,
                obj.name
            );
        }
    }
}

#[cfg(feature = "mssql")]
#[test]
#[allow(clippy::print_stderr)] // The skip notice is meant to be seen.
fn live_pull_when_a_server_is_configured() {
    use smsmig_migrate::inventory::pull::{pull, Auth, NoProgress, PullOptions, Target};
    let Some(conn) = std::env::var_os("SMSMIG_TEST_MSSQL") else {
        eprintln!(
            "skipped: set SMSMIG_TEST_MSSQL=host[,port];database;user (password in \
             SMSMIG_TEST_MSSQL_PASSWORD, or no user for integrated auth) to run against SQL Server"
        );
        return;
    };
    let conn = conn.to_string_lossy().into_owned();
    let mut parts = conn.split(';');
    let server = parts.next().unwrap_or_default().to_owned();
    let database = parts.next().unwrap_or("SMS_HOU").to_owned();
    let auth = match parts.next().filter(|u| !u.is_empty()) {
        Some(user) => Auth::Sql {
            user: user.to_owned(),
            password: std::env::var("SMSMIG_TEST_MSSQL_PASSWORD").unwrap_or_default(),
        },
        None => Auth::Integrated,
    };
    let out = tempfile::tempdir().unwrap();
    let target = Target::parse(&server, &database).unwrap();
    let opts = PullOptions {
        auth,
        trust_server_certificate: true,
        query_timeout: std::time::Duration::from_secs(300),
        retries: 2,
    };
    let report = pull(&target, &opts, out.path(), &mut NoProgress).unwrap();
    assert!(report.tables.iter().any(|t| t.rows > 0));
    let loaded = load_dir(out.path()).unwrap();
    assert!(!loaded.inventory.sites.is_empty());
}
