//! Rules on one site's own facts: version and upgrade path (A00x), site server (A01x), SQL
//! Server and security mode (A02x), feature packs and replication (A03x), and the custom
//! database objects the upgrade removes or overwrites (A06x).

use serde::Serialize;

use super::rule::Rule;
use super::{Evidence, Finding};
use crate::inventory::{Inventory, SecurityMode, Site, SiteProduct, SiteType};

/// The first ConfigMgr 2007 build: RTM is 4.00.5931 (seed 002, "Upgrading Secondary Sites").
const CONFIGMGR_RTM_BUILD: u32 = 5931;
/// ConfigMgr 2007 SP1 is build 4.00.6221 (Microsoft's public documentation; the seeds only give
/// the RTM build).
const CONFIGMGR_SP1_BUILD: u32 = 6221;

/// A release of ConfigMgr 2007 SP1 (seed 003: "available in the following forms").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Release {
    /// The evaluation release (expires after 180 days).
    Evaluation,
    /// The service pack release, applied to an existing ConfigMgr 2007 site.
    ServicePack,
    /// The complete release, for new and upgrade installations.
    Complete,
}

impl Release {
    /// `evaluation`, `service pack`, `complete`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Evaluation => "evaluation",
            Self::ServicePack => "service pack",
            Self::Complete => "complete",
        }
    }
}

/// How a site reaches ConfigMgr 2007 SP1: seed 003's "Supported Upgrade Paths" table.
///
/// | from                          | evaluation | service pack | complete |
/// |-------------------------------|------------|--------------|----------|
/// | SMS 2003 SP1 (and earlier)    | no         | no           | no       |
/// | SMS 2003 SP2                  | no         | no           | yes      |
/// | SMS 2003 SP3                  | yes        | no           | yes      |
/// | ConfigMgr 2007 (no SP)        | no         | yes          | yes      |
/// | ConfigMgr 2007 evaluation     | no         | no           | no       |
/// | ConfigMgr 2007 SP1 evaluation | n/a        | no           | yes      |
///
/// SMS versions before SMS 2003 SP2 cannot be upgraded at all (seed 002, "About Supported
/// Upgrade Paths"). The inventory cannot tell an evaluation release from a licensed one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpgradePath {
    /// What the site runs, e.g. `SMS 2003 SP2` or `ConfigMgr 2007 RTM`.
    pub source: String,
    /// The SP1 releases that upgrade it; empty when none does.
    pub releases: Vec<Release>,
    /// True when the site already runs ConfigMgr 2007 SP1 or later.
    pub at_target: bool,
}

impl UpgradePath {
    /// The path of one site.
    pub fn of(site: &Site) -> Self {
        use Release::{Complete, Evaluation, ServicePack};
        let (source, releases, at_target) = match site.product() {
            SiteProduct::Sms20 => ("SMS 2.0".to_owned(), vec![], false),
            SiteProduct::Sms2003 => match site.service_pack {
                Some(sp @ 0..=1) => (sms2003_label(sp), vec![], false),
                Some(2) => (sms2003_label(2), vec![Complete], false),
                Some(sp) => (sms2003_label(sp), vec![Evaluation, Complete], false),
                None => (format!("SMS 2003 build {}", site.build), vec![], false),
            },
            SiteProduct::ConfigMgr2007 if site.build >= CONFIGMGR_SP1_BUILD => {
                ("ConfigMgr 2007 SP1 or later".to_owned(), vec![], true)
            }
            SiteProduct::ConfigMgr2007 if site.build >= CONFIGMGR_RTM_BUILD => (
                "ConfigMgr 2007 RTM".to_owned(),
                vec![ServicePack, Complete],
                false,
            ),
            SiteProduct::ConfigMgr2007 => (
                format!("ConfigMgr 2007 build {}", site.build),
                vec![],
                false,
            ),
            SiteProduct::Unknown => (format!("version {}", site.version), vec![], false),
        };
        Self {
            source,
            releases,
            at_target,
        }
    }
}

fn sms2003_label(sp: u8) -> String {
    if sp == 0 {
        "SMS 2003 RTM".to_owned()
    } else {
        format!("SMS 2003 SP{sp}")
    }
}

/// Run the site rules on one site.
pub(crate) fn check(inv: &Inventory, site: &Site) -> Vec<Finding> {
    let mut out = Vec::new();
    version(site, &mut out);
    // A site already at SP1 or later is not upgraded: its prerequisites are moot.
    if UpgradePath::of(site).at_target {
        return out;
    }
    server_os(site, &mut out);
    dotnet(site, &mut out);
    if site.site_type == SiteType::Primary {
        sql(site, &mut out);
        replication(site, &mut out);
        // A ConfigMgr 2007 site already runs the console and its own push settings.
        if site.product() != SiteProduct::ConfigMgr2007 {
            console(site, &mut out);
            client_push(site, &mut out);
        }
    }
    if site.is_central() {
        active_directory(site, &mut out);
    }
    if site.product() != SiteProduct::ConfigMgr2007 {
        security(site, &mut out);
        feature_packs(site, &mut out);
        if site.site_type == SiteType::Primary {
            custom_objects(inv, site, &mut out);
        }
        custom_files(site, &mut out);
    }
    out
}

// Seed 003 "Supported Upgrade Paths" table; seed 002 "About Supported Upgrade Paths" and
// "Interoperability Considerations".
fn version(site: &Site, out: &mut Vec<Finding>) {
    let path = UpgradePath::of(site);
    let evidence = Evidence::summary(format!(
        "version {}, build {} ({})",
        site.version, site.build, path.source
    ));
    match site.product() {
        SiteProduct::ConfigMgr2007 => {
            let (title, fix) = if path.at_target {
                (
                    format!("{} already runs ConfigMgr 2007 SP1 or later", site.code),
                    "Nothing to upgrade in place; keep it in the top-down order for its children."
                        .to_owned(),
                )
            } else if path.releases.is_empty() {
                (
                    format!("{} runs a ConfigMgr 2007 build before RTM", site.code),
                    "Pre-release builds cannot be upgraded; reinstall the site with the complete \
                     SP1 release."
                        .to_owned(),
                )
            } else {
                (
                    format!(
                        "{} already runs ConfigMgr 2007 without a service pack",
                        site.code
                    ),
                    "Apply the SP1 service pack release or run the complete release; an \
                     evaluation release cannot be upgraded, which the inventory cannot tell."
                        .to_owned(),
                )
            };
            out.push(Finding::new(
                Rule::AlreadyConfigMgr,
                site.code,
                title,
                evidence,
                fix,
            ));
        }
        SiteProduct::Sms2003 if site.service_pack == Some(2) => out.push(Finding::new(
            Rule::Sms2003Sp2,
            site.code,
            format!(
                "{} runs SMS 2003 SP2: only the complete ConfigMgr 2007 SP1 release upgrades it",
                site.code
            ),
            evidence,
            "Use the complete (not the evaluation) SP1 release. SP2 is out of support: if the \
             site stays on SMS 2003 for long, apply SP3 first.",
        )),
        SiteProduct::Sms2003 if site.service_pack.is_some_and(|sp| sp >= 3) => {}
        _ => out.push(Finding::new(
            Rule::SourceVersionUnsupported,
            site.code,
            format!(
                "{} runs {}, which cannot be upgraded to ConfigMgr 2007",
                site.code, path.source
            ),
            evidence,
            "Upgrade the site to SMS 2003 SP2 or SP3 before upgrading it to ConfigMgr 2007, or \
             replace it side by side.",
        )),
    }
}

/// What the site server runs, as far as caption, version and service pack tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ServerOs {
    Windows2000,
    Server2003 {
        r2: bool,
    },
    Server2008,
    Server2008R2,
    StorageServer,
    /// A client operating system (XP, Vista, 7): never a site server (seed 003 table).
    Workstation,
    Unknown,
}

fn classify_server_os(caption: Option<&str>, version: Option<&str>) -> ServerOs {
    let caption = caption.unwrap_or("").to_ascii_lowercase();
    if caption.contains("storage server") {
        return ServerOs::StorageServer;
    }
    let r2 = caption.contains(" r2");
    let server = caption.contains("server") || caption.is_empty();
    let mut parts = version.unwrap_or("").split('.');
    match (parts.next(), parts.next()) {
        (Some("5"), Some("0")) => ServerOs::Windows2000,
        (Some("5"), Some("1")) => ServerOs::Workstation,
        (Some("5"), Some("2")) if caption.contains("xp") => ServerOs::Workstation,
        (Some("5"), Some("2")) => ServerOs::Server2003 { r2 },
        (Some("6"), Some("0")) if server => ServerOs::Server2008,
        (Some("6"), Some("1")) if server => ServerOs::Server2008R2,
        (Some("6"), Some("0" | "1")) => ServerOs::Workstation,
        _ if caption.contains("2000") => ServerOs::Windows2000,
        _ if caption.contains("server 2003") => ServerOs::Server2003 { r2 },
        _ if caption.contains("server 2008") && r2 => ServerOs::Server2008R2,
        _ if caption.contains("server 2008") => ServerOs::Server2008,
        _ if ["xp", "vista", "windows 7"]
            .iter()
            .any(|w| caption.contains(w)) =>
        {
            ServerOs::Workstation
        }
        _ => ServerOs::Unknown,
    }
}

// Seed 002 "Upgrade Prerequisites": "All site server systems must be running Windows Server
// 2003 SP 2 or above". Seed 003 "Core Site System Requirements": Windows Server 2003 (SP1 or
// SP2), 2003 R2 and 2008 (SP1 or SP2) are supported site servers; XP, Vista, 7, Storage Server
// and 2008 R2 are not.
fn server_os(site: &Site, out: &mut Vec<Finding>) {
    let os = classify_server_os(site.server_os.as_deref(), site.server_os_version.as_deref());
    let described = describe_os(site);
    let evidence = Evidence::summary(format!("site server {}: {described}", site.server_name));
    let unsupported = |why: &str| {
        Finding::new(
            Rule::ServerOsUnsupported,
            site.code,
            format!("site server {} runs {why}", site.server_name),
            evidence.clone(),
            "Move the site server to Windows Server 2003 SP2 (or later) before the upgrade, or \
             build a new server and migrate side by side. Windows Server 2003 cannot later be \
             upgraded to 2008 in place with ConfigMgr installed.",
        )
    };
    let sp = site.server_os_sp;
    match os {
        ServerOs::Unknown => out.push(Finding::new(
            Rule::ServerOsUnknown,
            site.code,
            format!(
                "cannot tell from the inventory which operating system site server {} runs",
                site.server_name
            ),
            evidence,
            "Check by hand that the site server runs Windows Server 2003 SP2 or later.",
        )),
        ServerOs::Windows2000 => out.push(unsupported("Windows 2000, not a supported site server")),
        ServerOs::Workstation => {
            out.push(unsupported(
                "a client operating system, not a supported site server",
            ));
        }
        ServerOs::StorageServer => {
            out.push(unsupported(
                "Windows Storage Server, not a supported site server",
            ));
        }
        ServerOs::Server2008R2 => out.push(unsupported(
            "Windows Server 2008 R2, not supported for site servers by ConfigMgr 2007 SP1",
        )),
        ServerOs::Server2008 if sp == Some(0) => out.push(unsupported(
            "Windows Server 2008 without a service pack (SP1 or SP2 is supported)",
        )),
        ServerOs::Server2008 => {}
        ServerOs::Server2003 { .. } => match sp {
            None => out.push(Finding::new(
                Rule::ServerOsUnknown,
                site.code,
                format!(
                    "cannot tell from the inventory which service pack site server {} has",
                    site.server_name
                ),
                evidence,
                "Check by hand that Windows Server 2003 SP2 is installed on the site server.",
            )),
            Some(0) => out.push(unsupported("Windows Server 2003 without a service pack")),
            Some(1) => out.push(Finding::new(
                Rule::ServerOs2003Sp1,
                site.code,
                format!(
                    "site server {} runs Windows Server 2003 SP1; the upgrade prerequisites ask \
                     for SP2",
                    site.server_name
                ),
                evidence,
                "Apply Windows Server 2003 SP2 to the site server before the upgrade.",
            )),
            Some(_) => {}
        },
    }
}

fn describe_os(site: &Site) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(caption) = &site.server_os {
        parts.push(caption.clone());
    }
    if let Some(version) = &site.server_os_version {
        parts.push(version.clone());
    }
    match site.server_os_sp {
        Some(0) => parts.push("no service pack".to_owned()),
        Some(sp) => parts.push(format!("SP{sp}")),
        None => {}
    }
    if parts.is_empty() {
        "operating system not in the export".to_owned()
    } else {
        parts.join(", ")
    }
}

// Seed 002 "Upgrade Prerequisites": "... with .NET Framework 2.0 installed".
fn dotnet(site: &Site, out: &mut Vec<Finding>) {
    match site.dotnet20 {
        Some(true) => {}
        Some(false) => out.push(Finding::new(
            Rule::DotNetMissing,
            site.code,
            format!(
                ".NET Framework 2.0 is not installed on site server {}",
                site.server_name
            ),
            Evidence::summary(format!("site_settings: DotNet20 = no for {}", site.code)),
            "Install .NET Framework 2.0 on the site server before running Setup.",
        )),
        None => out.push(Finding::new(
            Rule::DotNetUnknown,
            site.code,
            format!(
                "cannot tell from the inventory whether .NET Framework 2.0 is installed on {}",
                site.server_name
            ),
            Evidence::summary(format!(
                "site_settings: no DotNet20 value for {}",
                site.code
            )),
            "Check by hand that .NET Framework 2.0 is installed on the site server (record it \
             as DotNet20 in site_settings.csv).",
        )),
    }
}

/// The SQL Server release a version string names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SqlRelease {
    Before2000,
    Sql2000,
    Sql2005 { sp: Option<u8> },
    Sql2008,
    Sql2008R2,
    After2008R2,
    Unparsed,
}

/// SQL Server 2005 builds by service pack (Microsoft KB 321185): RTM 1399, SP1 2047, SP2 3042,
/// SP3 4035, SP4 5000.
const SQL2005_SP_BUILDS: [(u8, u32); 5] = [(0, 1399), (1, 2047), (2, 3042), (3, 4035), (4, 5000)];

fn classify_sql(version: &str, sp: Option<u8>) -> SqlRelease {
    let mut parts = version.trim().split('.');
    let major: Option<u32> = parts.next().and_then(|p| p.parse().ok());
    let minor: Option<u32> = parts.next().and_then(|p| p.parse().ok());
    let build: Option<u32> = parts.next().and_then(|p| p.parse().ok());
    match (major, minor) {
        (Some(0..=7), _) => SqlRelease::Before2000,
        (Some(8), _) => SqlRelease::Sql2000,
        (Some(9), _) => SqlRelease::Sql2005 {
            sp: sp.or_else(|| {
                let build = build?;
                SQL2005_SP_BUILDS
                    .iter()
                    .rev()
                    .find(|(_, first)| build >= *first)
                    .map(|(sp, _)| *sp)
            }),
        },
        (Some(10), Some(50..)) => SqlRelease::Sql2008R2,
        (Some(10), Some(_)) => SqlRelease::Sql2008,
        (Some(11..), _) => SqlRelease::After2008R2,
        _ => SqlRelease::Unparsed,
    }
}

// Seed 002 "Upgrade Prerequisites": "All primary sites must be running SQL Server 2005 SP 2 or
// above"; "Upgrading SQL Server" for the fix. Seed 003 "SQL Server Site Database
// Configurations": 2005 SP2/SP3, 2008 (no SP, SP1), 2008 R2; 2008 needs KB955262. Secondary
// sites have no site database, so the rule is for primaries only.
fn sql(site: &Site, out: &mut Vec<Finding>) {
    let server = site
        .sql_server
        .as_deref()
        .unwrap_or("(server not in the export)");
    let db = site
        .database_name
        .as_deref()
        .map(|d| format!(" (database {d})"))
        .unwrap_or_default();
    let Some(version) = site.sql_version.as_deref() else {
        out.push(Finding::new(
            Rule::SqlUnknown,
            site.code,
            "cannot tell from the inventory which SQL Server version hosts the site database",
            Evidence::summary(format!("SQL Server {server}{db}: no version in the export")),
            "Check by hand that the site database server runs SQL Server 2005 SP2 or later.",
        ));
        return;
    };
    let release = classify_sql(version, site.sql_service_pack);
    let sp_text = match (site.sql_service_pack, release) {
        (Some(0), _) => ", RTM".to_owned(),
        (Some(sp), _) => format!(", SP{sp}"),
        (None, SqlRelease::Sql2005 { sp: Some(sp) }) => format!(", SP{sp} by build number"),
        (None, _) => String::new(),
    };
    let evidence = Evidence::summary(format!(
        "SQL Server {server}{db} version {version}{sp_text}"
    ));
    let unsupported = |what: &str, fix: &str| {
        Finding::new(
            Rule::SqlUnsupported,
            site.code,
            format!("the site database runs on {what}; ConfigMgr 2007 needs SQL Server 2005 SP2 or later"),
            evidence.clone(),
            fix,
        )
    };
    const UPGRADE_2000: &str = "Run the SQL Server 2005 Upgrade Advisor, upgrade the site \
        database server to SQL Server 2005 and apply SP2 before upgrading the site; re-register \
        xp_SMS_notification with its full path if the advisor flags it.";
    match release {
        SqlRelease::Before2000 => out.push(unsupported("a SQL Server release before 2000", UPGRADE_2000)),
        SqlRelease::Sql2000 => out.push(unsupported("SQL Server 2000", UPGRADE_2000)),
        SqlRelease::Sql2005 { sp: Some(sp) } if sp < 2 => out.push(unsupported(
            &format!("SQL Server 2005 {}", if sp == 0 { "RTM".to_owned() } else { format!("SP{sp}") }),
            "Apply SQL Server 2005 SP2 (or later) to the site database server before upgrading.",
        )),
        SqlRelease::Sql2005 { sp: None } => out.push(Finding::new(
            Rule::SqlUnknown,
            site.code,
            "cannot tell from the inventory which SQL Server 2005 service pack hosts the site database",
            evidence,
            "Check by hand that SQL Server 2005 SP2 or later is installed.",
        )),
        SqlRelease::Sql2005 { .. } => {}
        SqlRelease::Sql2008 | SqlRelease::Sql2008R2 => out.push(Finding::new(
            Rule::Sql2008Update,
            site.code,
            format!(
                "the site database runs on SQL Server {}: ConfigMgr 2007 SP1 needs update KB955262",
                if release == SqlRelease::Sql2008 { "2008" } else { "2008 R2" }
            ),
            evidence,
            "Apply update KB955262 to the site server, the SMS Provider computer and every \
             computer with a remote ConfigMgr console.",
        )),
        SqlRelease::After2008R2 => out.push(unsupported(
            "a SQL Server release ConfigMgr 2007 SP1 does not support",
            "Host the site database on SQL Server 2005 SP2/SP3, 2008 or 2008 R2.",
        )),
        SqlRelease::Unparsed => out.push(Finding::new(
            Rule::SqlUnknown,
            site.code,
            format!("cannot tell which SQL Server release version `{version}` is"),
            evidence,
            "Check by hand that the site database server runs SQL Server 2005 SP2 or later.",
        )),
    }
}

// Seed 002 "Upgrade Prerequisites": "All sites you will be upgrading need to be in advanced
// security mode."
fn security(site: &Site, out: &mut Vec<Finding>) {
    match site.security_mode {
        Some(SecurityMode::Advanced) => {}
        Some(SecurityMode::Standard) => out.push(Finding::new(
            Rule::StandardSecurity,
            site.code,
            format!("{} runs in standard security mode", site.code),
            Evidence::summary(format!(
                "site_settings: SecurityMode = Standard for {}",
                site.code
            )),
            "Switch the site to advanced security mode (site properties in the SMS \
             Administrator console) before the upgrade.",
        )),
        None => out.push(Finding::new(
            Rule::SecurityUnknown,
            site.code,
            format!(
                "cannot tell from the inventory which security mode {} runs in",
                site.code
            ),
            Evidence::summary(format!(
                "site_settings: no SecurityMode value for {}",
                site.code
            )),
            "Check by hand that the site runs in advanced security mode (record it as \
             SecurityMode in site_settings.csv).",
        )),
    }
}

// Seed 002 "Upgrade Prerequisites": "Microsoft Management Console (MMC) 3.0 is required for the
// ConfigMgr console". Setup installs the console on a primary's site server; the export does not
// record installed software.
fn console(site: &Site, out: &mut Vec<Finding>) {
    out.push(Finding::new(
        Rule::MmcUnknown,
        site.code,
        "cannot tell from the inventory whether MMC 3.0 is installed on the site server; the \
         ConfigMgr console needs it",
        Evidence::summary(format!(
            "the export does not record software installed on {}",
            site.server_name
        )),
        "Install Microsoft Management Console 3.0 on the site server (and on every computer \
         that will run the ConfigMgr console) before the upgrade.",
    ));
}

// Seed 002 "Upgrading a Primary Site": "verify client push installation is disabled on your
// site prior to the upgrade. This will allow you more control over the client upgrade process."
// The setting lives in the site control file, which the export does not carry.
fn client_push(site: &Site, out: &mut Vec<Finding>) {
    out.push(Finding::new(
        Rule::ClientPushUnknown,
        site.code,
        "cannot tell from the inventory whether client push installation is disabled; with it \
         enabled, clients start upgrading as soon as the site does",
        Evidence::summary("the export does not record the Client Push Installation settings"),
        "Disable client push installation on the site before the upgrade and upgrade the \
         clients on your own schedule (software distribution, the Client Push wizard or the \
         software update point).",
    ));
}

// Seed 001 "Checking for Site Compatibility to Complete Site Assignment": "you must either
// extend the Active Directory schema for Configuration Manager 2007 or clients must be able to
// communicate with a server locator point"; seeds 003/004: no re-extension for SP1. The schema
// is forest-wide, so the finding is the central site's.
fn active_directory(site: &Site, out: &mut Vec<Finding>) {
    out.push(Finding::new(
        Rule::AdSchemaUnknown,
        site.code,
        "cannot tell from the inventory whether the Active Directory schema is extended for \
         ConfigMgr 2007; without it, or a server locator point, clients cannot complete site \
         assignment",
        Evidence::summary("the export does not record the Active Directory schema"),
        "Extend the Active Directory schema for ConfigMgr 2007 before the upgrade, or plan a \
         server locator point (also needed for clients of another forest or of workgroups).",
    ));
}

// Seed 002 "Feature Packs": uninstall every feature pack before upgrading each site, except
// ITMU, which is kept and upgraded; OSD FP images must be redeployed and recaptured.
fn feature_packs(site: &Site, out: &mut Vec<Finding>) {
    let is_itmu = |fp: &str| fp.eq_ignore_ascii_case("ITMU");
    let others: Vec<&str> = site
        .feature_packs
        .iter()
        .map(String::as_str)
        .filter(|fp| !is_itmu(fp))
        .collect();
    let listed = format!(
        "site_settings: FeaturePacks = {}",
        site.feature_packs.join(";")
    );
    if !others.is_empty() {
        let mut fix =
            String::from("Uninstall these feature packs before upgrading the site (keep ITMU).");
        if others.iter().any(|fp| fp.eq_ignore_ascii_case("OSD")) {
            fix.push_str(
                " To keep OSD FP images, deploy each to a reference machine and capture it again \
                 with ConfigMgr OSD.",
            );
        }
        out.push(Finding::new(
            Rule::FeaturePacks,
            site.code,
            format!(
                "feature packs other than ITMU are installed: {}",
                others.join(", ")
            ),
            Evidence::summary(listed.clone()),
            fix,
        ));
    }
    if site.feature_packs.iter().any(|fp| is_itmu(fp)) {
        out.push(Finding::new(
            Rule::Itmu,
            site.code,
            "ITMU is installed: keep it and upgrade it with the site",
            Evidence::summary(listed),
            "Let Setup upgrade ITMU (or run SMSITMU.MSI from \\SMSSETUP\\SUMSCANTOOLS later), and \
             deploy MSI 3.1 or later to SMS 2003 clients that receive Office or Windows \
             Installer updates through it.",
        ));
    }
}

// Seed 004: "If you are using SQL Server Database Replication, disable it before upgrading";
// seed 000: "Disable All SQL Replication Before Upgrading". Only primaries have a database.
fn replication(site: &Site, out: &mut Vec<Finding>) {
    match site.sql_replication {
        Some(false) => {}
        Some(true) => out.push(Finding::new(
            Rule::SqlReplication,
            site.code,
            "the site database takes part in SQL Server replication",
            Evidence::summary(format!(
                "site_settings: SQLReplication = 1 for {}",
                site.code
            )),
            "Disable SQL Server database replication before the upgrade and configure it again \
             afterwards.",
        )),
        None => out.push(Finding::new(
            Rule::SqlReplicationUnknown,
            site.code,
            "cannot tell from the inventory whether the site database is replicated",
            Evidence::summary(format!(
                "site_settings: no SQLReplication value for {}",
                site.code
            )),
            "Check whether the site database is published or subscribed; disable replication \
             before the upgrade.",
        )),
    }
}

// Seed 002 "Database Upgrade Tips and Tricks": custom tables in the SMS database are removed
// (custom views on default tables are kept); changes to default reports are overwritten
// (cloned reports are kept). The export lists neither database tables nor the stock reports,
// so both are "cannot tell" findings with what the export does show.
fn custom_objects(inv: &Inventory, site: &Site, out: &mut Vec<Finding>) {
    out.push(Finding::new(
        Rule::CustomTables,
        site.code,
        "cannot tell from the inventory whether the site database holds custom tables; the \
         upgrade removes them",
        Evidence::summary("the export does not list the site database's tables"),
        "Export any custom tables you created in the site database before the upgrade; custom \
         views on default SMS tables are kept.",
    ));
    let summary = if !site.is_central() {
        "this site's own reports are not in the export (reports do not replicate down the \
         hierarchy)"
            .to_owned()
    } else if inv.reports.is_empty() {
        "the export lists no web reports".to_owned()
    } else {
        let mut categories: Vec<&str> = inv
            .reports
            .iter()
            .filter_map(|r| r.category.as_deref())
            .collect();
        categories.sort_unstable();
        categories.dedup();
        format!(
            "the export lists {} web report(s) in categories {}; it does not say which are \
             default reports or whether they were changed",
            inv.reports.len(),
            if categories.is_empty() {
                "(none)".to_owned()
            } else {
                categories.join(", ")
            }
        )
    };
    out.push(Finding::new(
        Rule::DefaultReports,
        site.code,
        "cannot tell from the inventory which default reports were changed; the upgrade \
         overwrites those changes",
        Evidence::summary(summary),
        "Save the SQL of every default report you changed and re-create the changes after the \
         upgrade; cloned reports are kept.",
    ));
}

// Seed 002 "About Backing Up Your Site": the upgrade removes custom files added to the SMS
// folder structure. The export lists the install directory, not its files.
fn custom_files(site: &Site, out: &mut Vec<Finding>) {
    let dir = site
        .install_dir
        .as_deref()
        .unwrap_or("(install directory not in the export)");
    out.push(Finding::new(
        Rule::CustomFiles,
        site.code,
        "cannot tell from the inventory whether custom files were added to the SMS folders; \
         the upgrade removes them",
        Evidence::summary(format!(
            "SMS folder {dir} on {}; its files are not in the export",
            site.server_name
        )),
        "Copy custom files you added under the SMS folder structure to another location before \
         the upgrade, and restore them afterwards.",
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_os_classification() {
        let c = |cap: &str, ver: &str| {
            classify_server_os(
                (!cap.is_empty()).then_some(cap),
                (!ver.is_empty()).then_some(ver),
            )
        };
        assert_eq!(
            c("Microsoft Windows 2000 Server", "5.0.2195"),
            ServerOs::Windows2000
        );
        assert_eq!(
            c(
                "Microsoft(R) Windows(R) Server 2003, Enterprise Edition",
                "5.2.3790"
            ),
            ServerOs::Server2003 { r2: false }
        );
        assert_eq!(
            c(
                "Microsoft(R) Windows(R) Server 2003 R2, Standard Edition",
                "5.2.3790"
            ),
            ServerOs::Server2003 { r2: true }
        );
        assert_eq!(
            c("Microsoft Windows XP Professional x64 Edition", "5.2.3790"),
            ServerOs::Workstation
        );
        assert_eq!(
            c("Microsoft Windows Server 2008 Enterprise", "6.0.6001"),
            ServerOs::Server2008
        );
        assert_eq!(
            c("Microsoft Windows Server 2008 R2 Standard", "6.1.7600"),
            ServerOs::Server2008R2
        );
        assert_eq!(
            c("Microsoft Windows Vista Business", "6.0.6000"),
            ServerOs::Workstation
        );
        assert_eq!(
            c("Windows Storage Server 2003", "5.2.3790"),
            ServerOs::StorageServer
        );
        assert_eq!(c("", ""), ServerOs::Unknown);
        assert_eq!(
            c("Microsoft Windows Server 2003", ""),
            ServerOs::Server2003 { r2: false }
        );
    }

    #[test]
    fn sql_classification() {
        assert_eq!(classify_sql("8.00.2039", Some(4)), SqlRelease::Sql2000);
        assert_eq!(
            classify_sql("9.00.3042.00", None),
            SqlRelease::Sql2005 { sp: Some(2) }
        );
        assert_eq!(
            classify_sql("9.00.2047.00", None),
            SqlRelease::Sql2005 { sp: Some(1) }
        );
        assert_eq!(
            classify_sql("9.00.4035", Some(3)),
            SqlRelease::Sql2005 { sp: Some(3) }
        );
        assert_eq!(classify_sql("9.00", None), SqlRelease::Sql2005 { sp: None });
        assert_eq!(classify_sql("10.0.1600.22", None), SqlRelease::Sql2008);
        assert_eq!(classify_sql("10.50.1600.1", None), SqlRelease::Sql2008R2);
        assert_eq!(classify_sql("11.0.2100", None), SqlRelease::After2008R2);
        assert_eq!(classify_sql("7.00.623", None), SqlRelease::Before2000);
        assert_eq!(classify_sql("abc", None), SqlRelease::Unparsed);
    }
}
