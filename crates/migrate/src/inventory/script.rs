//! `smsmig inventory script`: the VBScript that reads what the site database's views lack —
//! site and roaming boundaries, and each site's SQL Server — from the SMS Provider of an
//! SMS 2003 site, and writes `boundaries.csv` and `site_settings.csv` in the export format
//! (`docs/inventory-format.md`).
//!
//! The script runs under `cscript` on Windows 2000 and Server 2003 (no PowerShell) and under
//! Wine 8.0's `cscript`, so it keeps to the VBScript both accept (`crates/testkit/WINE.md`) and
//! to ASCII. It connects as the SMS 2003 SDK describes ("Connecting to the SMS Namespace":
//! `\\server\root\sms`, the `SMS_ProviderLocation` with `ProviderForLocalSite = true`, then
//! `\\<Machine>\root\sms\site_<SiteCode>`), lists the hierarchy's sites with `SMS_Site`, and
//! reads three site control items per site: the central site's provider holds the site control
//! files of every site below it ("Working with SMS Site Settings": "Site control files are
//! available for the site to which your script connects and for all sites that report to that
//! site"). It only reads: no `Put_`, `Delete_`, `ExecMethod` or session handle — a site control
//! item is read straight from its class, as the SMS 2003 Scripting Guide's boundary report does.
//!
//! Layout of the generated script, top to bottom: a comment header; constants generated here
//! (file names and CSV headers from [`schema`](super::schema), the WQL of [`QUERIES`], boundary
//! kind spellings); `BoundaryRow` and `SettingsRow`, generated from the schema's columns; the
//! *provider block*, the only code that touches WMI (`WmiConnect`, `WmiQuery`, `WmiProp`):
//! [`Provider::Wmi`] in the script users run, [`Provider::StandIn`] in the tests, which feeds
//! canned objects from a file ([`StandIn`]); and the body (`script/body.vbs`), the same text in
//! both builds.
//!
//! Encoding: the body writes each CSV as UTF-16LE first (exact on every Windows), then
//! transcodes it to UTF-8 without BOM by reading the UTF-16 bytes back through the ANSI code
//! page, which a single-byte code page (1252 and the like) carries byte for byte — checked at
//! run time on a scratch file. Where it does not (double-byte code pages), or with
//! `/encoding:utf-16`, the file stays UTF-16LE with BOM, which the loader reads as well. No
//! `ADODB.Stream`: it is not scriptable under Wine (every call fails with
//! `TYPE_E_LIBNOTREGISTERED`), so the UTF-8 path could not be tested, and it writes a BOM.

use std::fmt::Write as _;

use serde::Serialize;

use super::model::{BoundaryKind, RoamingKind};
use super::schema::Table;
use crate::plan::artifacts::escape::vbs_string;

/// The file name `smsmig inventory script` writes.
pub const SCRIPT_FILE: &str = "smsmig-inventory.vbs";

/// What the text `<SiteCode>` in a per-site query is replaced with: a site code the script has
/// checked to be three letters or digits.
pub const SITE_PLACEHOLDER: &str = "<SiteCode>";

/// Which code reads WMI objects in a generated script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Provider<'a> {
    /// The SMS Provider through WMI scripting: the script users run.
    Wmi,
    /// A stand-in for tests: objects from the UTF-16 file `data` (written by
    /// [`StandIn::to_utf16`]); every connection and query is logged to the UTF-16 file `log`.
    /// Both paths are as the script sees them (relative to its working directory).
    StandIn {
        /// Path of the objects file.
        data: &'a str,
        /// Path of the log it writes.
        log: &'a str,
    },
}

/// A page of Microsoft's documentation a fact of the script comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The page's title.
    pub title: &'static str,
    /// Its address.
    pub url: &'static str,
}

/// Where a query runs (serialised as its path).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Namespace {
    /// `\\<server>\root\sms`, on the server given with `/server:` (default: this computer).
    Root,
    /// `\\<Machine>\root\sms\site_<SiteCode>` of the local site's `SMS_ProviderLocation`.
    Site,
}

impl Serialize for Namespace {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.path())
    }
}

impl Namespace {
    /// The namespace path as the script writes it.
    pub fn path(self) -> &'static str {
        match self {
            Self::Root => "root\\sms",
            Self::Site => "root\\sms\\site_<SiteCode>",
        }
    }
}

/// One WQL query of the script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WmiQuery {
    /// The VBScript constant holding it.
    #[serde(skip)]
    pub constant: &'static str,
    /// Where it runs.
    pub namespace: Namespace,
    /// The query; per-site queries contain [`SITE_PLACEHOLDER`].
    pub wql: &'static str,
    /// Run once per site `SMS_Site` lists.
    pub per_site: bool,
    /// The properties the script reads from its objects.
    pub properties: &'static [&'static str],
    /// What the script takes from it.
    pub purpose: &'static str,
    /// The class's documentation.
    pub source: Source,
}

const SDK_PROVIDER_LOCATION: Source = Source {
    title: "SMS_ProviderLocation (SMS 2003 SDK)",
    url: "https://learn.microsoft.com/en-us/previous-versions/system-center/developer/ms815803(v=msdn.10)",
};
const SDK_SITE: Source = Source {
    title: "SMS_Site (SMS 2003 SDK)",
    url: "https://learn.microsoft.com/en-us/previous-versions/system-center/developer/aa508769(v=msdn.10)",
};
const SDK_SITE_ASSIGNMENT: Source = Source {
    title: "SMS_SCI_SiteAssignment (SMS 2003 SDK)",
    url: "https://learn.microsoft.com/en-us/previous-versions/system-center/developer/aa508745(v=msdn.10)",
};
const SDK_ROAMING_BOUNDARY: Source = Source {
    title: "SMS_SCI_RoamingBoundary Server WMI Class (ConfigMgr 2007 SDK)",
    url: "https://learn.microsoft.com/en-us/previous-versions/system-center/developer/cc143004(v=msdn.10)",
};
const SDK_SITE_DEFINITION: Source = Source {
    title: "SMS_SCI_SiteDefinition Server WMI Class (ConfigMgr 2007 SDK)",
    url: "https://learn.microsoft.com/en-us/previous-versions/system-center/developer/cc144303(v=msdn.10)",
};

/// Every query the script runs, in order.
pub const QUERIES: &[WmiQuery] = &[
    WmiQuery {
        constant: "Q_PROVIDER_LOCATION",
        namespace: Namespace::Root,
        wql: "SELECT * FROM SMS_ProviderLocation WHERE ProviderForLocalSite = true",
        per_site: false,
        properties: &["ProviderForLocalSite", "Machine", "SiteCode"],
        purpose: "the computer and site code of the SMS Provider for the server's site",
        source: SDK_PROVIDER_LOCATION,
    },
    WmiQuery {
        constant: "Q_SITES",
        namespace: Namespace::Site,
        wql: "SELECT * FROM SMS_Site",
        per_site: false,
        properties: &["SiteCode"],
        purpose: "the sites of the hierarchy the provider reaches",
        source: SDK_SITE,
    },
    WmiQuery {
        constant: "Q_SITE_ASSIGNMENT",
        namespace: Namespace::Site,
        wql: "SELECT * FROM SMS_SCI_SiteAssignment WHERE SiteCode = '<SiteCode>'",
        per_site: true,
        properties: &["FileType", "AssignDetails", "AssignTypes"],
        purpose: "site boundaries: AssignDetails[i] is a boundary of type AssignTypes[i]",
        source: SDK_SITE_ASSIGNMENT,
    },
    WmiQuery {
        constant: "Q_ROAMING_BOUNDARY",
        namespace: Namespace::Site,
        wql: "SELECT * FROM SMS_SCI_RoamingBoundary WHERE SiteCode = '<SiteCode>'",
        per_site: true,
        properties: &[
            "FileType",
            "Details",
            "Types",
            "Flags",
            "IncludeSiteBoundary",
        ],
        purpose: "roaming boundaries: Details[i] of type Types[i], remote when Flags[i] = 1 \
                  (slow), local otherwise",
        source: SDK_ROAMING_BOUNDARY,
    },
    WmiQuery {
        constant: "Q_SITE_DEFINITION",
        namespace: Namespace::Site,
        wql: "SELECT * FROM SMS_SCI_SiteDefinition WHERE SiteCode = '<SiteCode>'",
        per_site: true,
        properties: &["FileType", "SQLServerName", "SQLDatabaseName"],
        purpose: "the site's SQL Server and database",
        source: SDK_SITE_DEFINITION,
    },
];

/// The columns of `boundaries.csv` the script fills, with the VBScript expression of each.
const BOUNDARY_FIELDS: &[(&str, &str)] = &[
    ("SiteCode", "code"),
    ("BoundaryType", "kind"),
    ("Value", "value"),
    ("Roaming", "roaming"),
];

/// The columns of `site_settings.csv` the script fills, with the VBScript expression of each.
const SETTINGS_FIELDS: &[(&str, &str)] = &[
    ("SiteCode", "code"),
    ("SQLServer", "sqlServer"),
    ("SQLDatabase", "sqlDatabase"),
];

/// The columns of `site_settings.csv` the SMS Provider has no documented source for; the script
/// leaves them empty. (The security mode is a site property in the console, "SMS
/// Implementation Security", <http://technet.microsoft.com/en-us/library/cc179934(v=technet.10)>,
/// but no SDK page names the site control property that holds it; the service pack is derived
/// from `sites.csv`'s build; SQL Server's version, .NET and feature packs live outside SMS.)
pub const SETTINGS_NOT_FROM_PROVIDER: &[&str] = &[
    "SecurityMode",
    "ServicePack",
    "SQLVersion",
    "SQLServicePack",
    "SQLReplication",
    "DotNet20",
    "FeaturePacks",
];

/// Exit codes of the generated script.
pub const EXIT_CODES: &[(u8, &str)] = &[
    (0, "every site read, files written"),
    (1, "bad arguments"),
    (
        2,
        "nothing exported (no connection, no readable site, or a file could not be written)",
    ),
    (
        3,
        "files written with warnings (a site not read, odd site control data, UTF-16 fallback)",
    ),
];

/// The script's command-line arguments, each with what it does.
pub const ARGUMENTS: &[(&str, &str)] = &[
    (
        "/server:NAME",
        "the server whose root\\sms to start from (default `.`, this computer)",
    ),
    (
        "/out:DIR",
        "an existing folder for the CSV files (default: the current directory); a file \
         already there is kept as FILE.bak (or FILE.bak.N, never overwriting a backup)",
    ),
    (
        "/encoding:utf-8|utf-16",
        "UTF-8 without BOM (default; UTF-16LE with BOM where the ANSI code page cannot carry \
         bytes exactly) or UTF-16LE with BOM",
    ),
    (
        "/whatif",
        "print the WMI queries it would run; connect to nothing, write nothing",
    ),
];

/// The columns of `table` the script fills from the SMS Provider, or `None` when the script
/// does not write it. `inventory pull` points to the script for these tables.
pub fn provider_columns(table: Table) -> Option<Vec<&'static str>> {
    let fields = match table {
        Table::Boundaries => BOUNDARY_FIELDS,
        Table::SiteSettings => SETTINGS_FIELDS,
        _ => return None,
    };
    Some(fields.iter().map(|(name, _)| *name).collect())
}

/// The whole script, with CRLF line ends (ASCII only).
pub fn provider_script(provider: Provider<'_>) -> String {
    let mut s = String::new();
    header(&mut s);
    constants(&mut s);
    row_functions(&mut s);
    s.push_str("' --- provider: begin\n");
    match provider {
        Provider::Wmi => s.push_str(include_str!("script/wmi.vbs")),
        Provider::StandIn { data, log } => {
            let _ = writeln!(s, "Const STAND_IN_DATA = {}", vbs_string(data));
            let _ = writeln!(s, "Const STAND_IN_LOG = {}", vbs_string(log));
            s.push_str(include_str!("script/stand_in.vbs"));
        }
    }
    s.push_str("' --- provider: end\n\n");
    s.push_str(include_str!("script/body.vbs"));
    s.replace("\r\n", "\n").replace('\n', "\r\n")
}

fn header(s: &mut String) {
    let _ = writeln!(
        s,
        "' {SCRIPT_FILE}: written by smsmig {} (`smsmig inventory script`).",
        env!("CARGO_PKG_VERSION")
    );
    s.push_str(
        "'\n\
         ' Reads from the SMS Provider of an SMS 2003 site the site boundaries, roaming\n\
         ' boundaries and SQL Server of every site it reaches, and writes boundaries.csv\n\
         ' and site_settings.csv for smsmig (docs/inventory-format.md). It only reads:\n\
         ' no Put_, Delete_, ExecMethod or site control session; /whatif shows every query.\n\
         '\n\
         ' Run on the central site server (or any computer whose account may use the SMS\n\
         ' Provider: a member of SMS Admins there, with Read on the Sites security class):\n\
         '   cscript //nologo smsmig-inventory.vbs [/server:NAME] [/out:DIR]\n\
         '                                         [/encoding:utf-8|utf-16] [/whatif]\n\
         '\n\
         ' Classes read (SDK pages):\n",
    );
    for q in QUERIES {
        let _ = writeln!(s, "'   {}: {}", q.source.title, q.source.url);
    }
    s.push_str("\nOption Explicit\n\n");
}

fn constants(s: &mut String) {
    let mut constant = |name: &str, value: &str| {
        let literal = vbs_string(value);
        debug_assert!(!literal.contains(" & "), "{name} needs a plain literal");
        let _ = writeln!(s, "Const {name} = {literal}");
    };
    let spec_header = |table: Table| {
        table
            .spec()
            .columns
            .iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
            .join(",")
    };
    constant("BOUNDARIES_FILE", Table::Boundaries.spec().file);
    constant("SETTINGS_FILE", Table::SiteSettings.spec().file);
    constant("BOUNDARIES_HEADER", &spec_header(Table::Boundaries));
    constant("SETTINGS_HEADER", &spec_header(Table::SiteSettings));
    constant("NS_ROOT", Namespace::Root.path());
    constant(
        "NS_SITE_PREFIX",
        Namespace::Site.path().trim_end_matches(SITE_PLACEHOLDER),
    );
    constant("SITE_PLACEHOLDER", SITE_PLACEHOLDER);
    for q in QUERIES {
        constant(q.constant, q.wql);
    }
    constant("KIND_IP_SUBNET", BoundaryKind::IpSubnet.as_str());
    constant("KIND_IP_RANGE", BoundaryKind::IpRange.as_str());
    constant("KIND_AD_SITE", BoundaryKind::AdSite.as_str());
    constant("KIND_IPV6_PREFIX", BoundaryKind::Ipv6Prefix.as_str());
    constant("ROAMING_LOCAL", roaming_text(RoamingKind::Local));
    constant("ROAMING_REMOTE", roaming_text(RoamingKind::Remote));
    for (code, _) in EXIT_CODES {
        let name = match code {
            0 => "EXIT_OK",
            1 => "EXIT_USAGE",
            2 => "EXIT_NOTHING",
            _ => "EXIT_WARNINGS",
        };
        let _ = writeln!(s, "Const {name} = {code}");
    }
    s.push('\n');
}

/// The `Roaming` column's spelling (what the loader reads back).
fn roaming_text(kind: RoamingKind) -> &'static str {
    match kind {
        RoamingKind::Local => "Local",
        RoamingKind::Remote => "Remote",
    }
}

fn row_functions(s: &mut String) {
    row_function(s, "BoundaryRow", Table::Boundaries, BOUNDARY_FIELDS);
    row_function(s, "SettingsRow", Table::SiteSettings, SETTINGS_FIELDS);
}

/// `Function <name>(<args>)`: one CSV line with the table's columns in schema order, the
/// fields the script fills CSV-quoted, the others empty.
fn row_function(s: &mut String, name: &str, table: Table, fields: &[(&str, &str)]) {
    let args: Vec<&str> = fields.iter().map(|(_, arg)| *arg).collect();
    let mut parts: Vec<String> = Vec::new();
    let mut commas = String::new();
    for (i, column) in table.spec().columns.iter().enumerate() {
        if i > 0 {
            commas.push(',');
        }
        if let Some((_, arg)) = fields.iter().find(|(c, _)| *c == column.name) {
            if !commas.is_empty() {
                parts.push(vbs_string(&commas));
                commas.clear();
            }
            parts.push(format!("CsvField({arg})"));
        }
    }
    if !commas.is_empty() {
        parts.push(vbs_string(&commas));
    }
    let _ = writeln!(
        s,
        "' One {} line.\nFunction {name}({})\n    {name} = {}\nEnd Function\n",
        table.spec().file,
        args.join(", "),
        parts.join(" & ")
    );
}

/// What `smsmig inventory script --format json` prints about the script.
#[derive(Debug, Clone, Serialize)]
pub struct Description {
    /// The script's file name.
    pub file: &'static str,
    /// How to run it.
    pub run: &'static str,
    /// What it runs on.
    pub runs_on: &'static str,
    /// Which provider to point it at.
    pub run_against: &'static str,
    /// The rights its account needs.
    pub rights: &'static str,
    /// It never changes anything on the provider.
    pub read_only: bool,
    /// Its arguments.
    pub arguments: Vec<NamedText>,
    /// Every query, in order.
    pub queries: &'static [WmiQuery],
    /// The files it writes.
    pub writes: Vec<FileDescription>,
    /// Its exit codes.
    pub exit_codes: Vec<ExitCode>,
}

/// A name and what it means.
#[derive(Debug, Clone, Serialize)]
pub struct NamedText {
    /// The name.
    pub name: &'static str,
    /// What it means.
    pub text: &'static str,
}

/// An exit code and its meaning.
#[derive(Debug, Clone, Serialize)]
pub struct ExitCode {
    /// The code.
    pub code: u8,
    /// Its meaning.
    pub meaning: &'static str,
}

/// One file the script writes.
#[derive(Debug, Clone, Serialize)]
pub struct FileDescription {
    /// File name.
    pub file: &'static str,
    /// Every column of its header, in order.
    pub columns: Vec<&'static str>,
    /// The columns filled from the SMS Provider (the others are left empty).
    pub from_provider: Vec<&'static str>,
}

/// The script described, for `--format json` (schema `smsmig.inventory-script/1`).
pub fn description() -> Description {
    let file = |table: Table| FileDescription {
        file: table.spec().file,
        columns: table.spec().columns.iter().map(|c| c.name).collect(),
        from_provider: provider_columns(table).unwrap_or_default(),
    };
    Description {
        file: SCRIPT_FILE,
        run: "cscript //nologo smsmig-inventory.vbs [/server:NAME] [/out:DIR] \
              [/encoding:utf-8|utf-16] [/whatif]",
        runs_on: "Windows 2000, XP or Server 2003 or later, with Windows Script Host (cscript); \
                  no PowerShell, no SMS console needed",
        run_against: "the central site's SMS Provider, whose site control files cover every \
                      site below it: run the script on the central site server, or name that \
                      server with /server:NAME",
        rights: "a member of SMS Admins on the SMS Provider's computer, with Read on the Sites \
                 security class (SMS_Site)",
        read_only: true,
        arguments: ARGUMENTS
            .iter()
            .map(|(name, text)| NamedText { name, text })
            .collect(),
        queries: QUERIES,
        writes: vec![file(Table::Boundaries), file(Table::SiteSettings)],
        exit_codes: EXIT_CODES
            .iter()
            .map(|(code, meaning)| ExitCode {
                code: *code,
                meaning,
            })
            .collect(),
    }
}

/// Canned SMS Provider objects for [`Provider::StandIn`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StandIn {
    /// The objects, in the order queries return them.
    pub objects: Vec<StandInObject>,
    /// Namespaces whose connection fails (e.g. `root\sms\site_HOU`).
    pub failing_connections: Vec<String>,
    /// Queries that fail, exactly as the script sends them.
    pub failing_queries: Vec<String>,
}

/// One canned WMI object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandInObject {
    /// Its namespace, e.g. `root\sms\site_HOU`.
    pub namespace: String,
    /// Its class, e.g. `SMS_SCI_RoamingBoundary`.
    pub class: String,
    /// Its properties.
    pub properties: Vec<(String, StandInValue)>,
}

/// A canned property value (numbers and booleans are given as text, as `WmiProp` callers
/// accept both).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StandInValue {
    /// A scalar.
    Text(String),
    /// An array.
    List(Vec<String>),
}

impl StandIn {
    /// The objects file: UTF-16LE with BOM, CRLF lines.
    pub fn to_utf16(&self) -> Vec<u8> {
        let escape = |v: &str| {
            v.replace('\\', "\\\\")
                .replace('\r', "\\r")
                .replace('\n', "\\n")
        };
        let mut text = String::new();
        for ns in &self.failing_connections {
            let _ = writeln!(text, "fail connect {}", ns.to_ascii_lowercase());
        }
        for wql in &self.failing_queries {
            let _ = writeln!(text, "fail query {wql}");
        }
        for o in &self.objects {
            let _ = writeln!(text, "object {}:{}", o.namespace, o.class);
            for (name, value) in &o.properties {
                match value {
                    StandInValue::Text(v) => {
                        let _ = writeln!(text, "{name}={}", escape(v));
                    }
                    StandInValue::List(items) if items.is_empty() => {
                        let _ = writeln!(text, "{name}[]");
                    }
                    StandInValue::List(items) => {
                        for v in items {
                            let _ = writeln!(text, "{name}[]={}", escape(v));
                        }
                    }
                }
            }
            text.push_str("end\n");
        }
        let mut bytes = vec![0xFF, 0xFE];
        for unit in text.replace('\n', "\r\n").encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What neither Wine 8.0 nor the read-only contract allows in the script
    /// (`crates/testkit/WINE.md`).
    const FORBIDDEN: &[&str] = &[
        "chrw",
        "ascw",
        "join(",
        "redim",
        ".named",
        "stdout",
        "stderr",
        "sleep",
        "execute",
        "put_",
        "delete_",
        "execmethod",
        "spawninstance",
        "commit",
        "getsessionhandle",
        "adodb",
        "getobject(",
    ];

    fn code_lines(script: &str) -> impl Iterator<Item = &str> {
        script
            .lines()
            .map(str::trim)
            .filter(|l| !l.starts_with('\''))
    }

    #[test]
    fn the_script_is_ascii_crlf_and_stays_in_the_common_subset() {
        let script = provider_script(Provider::Wmi);
        assert!(script.is_ascii());
        assert!(!script.replace("\r\n", "").contains('\n'));
        assert!(!script.replace("\r\n", "").contains('\r'));
        for line in code_lines(&script) {
            let lower = line.to_ascii_lowercase();
            for word in FORBIDDEN {
                assert!(!lower.contains(word), "`{word}` in: {line}");
            }
        }
    }

    #[test]
    fn only_the_provider_block_touches_wmi_and_the_builds_differ_only_there() {
        let wmi = provider_script(Provider::Wmi);
        let stand_in = provider_script(Provider::StandIn {
            data: "in.txt",
            log: "out.log",
        });
        let outside = |s: &str| {
            let (head, rest) = s.split_once("' --- provider: begin").unwrap();
            let (_, tail) = rest.split_once("' --- provider: end").unwrap();
            (head.to_owned(), tail.to_owned())
        };
        assert_eq!(outside(&wmi), outside(&stand_in));
        let (head, tail) = outside(&wmi);
        for line in code_lines(&head).chain(code_lines(&tail)) {
            let lower = line.to_ascii_lowercase();
            for word in [
                "swbem",
                "execquery",
                "connectserver",
                "properties_",
                "winmgmts",
            ] {
                assert!(
                    !lower.contains(word),
                    "`{word}` outside the provider: {line}"
                );
            }
        }
    }

    #[test]
    fn every_query_and_property_the_body_uses_is_declared() {
        let body = include_str!("script/body.vbs");
        for q in QUERIES {
            assert!(body.contains(q.constant), "{} unused", q.constant);
            assert_eq!(q.per_site, q.wql.contains(SITE_PLACEHOLDER), "{}", q.wql);
        }
        let declared: Vec<&str> = QUERIES
            .iter()
            .flat_map(|q| q.properties.iter().copied())
            .collect();
        let mut rest = body;
        let mut used = 0;
        while let Some(at) = rest.find("WmiProp(") {
            rest = &rest[at..];
            let name = rest.split('"').nth(1).unwrap();
            assert!(declared.contains(&name), "WmiProp of undeclared `{name}`");
            rest = &rest[8..];
            used += 1;
        }
        assert!(used >= 10);
        for name in &declared {
            assert!(
                body.contains(&format!("\"{name}\"")),
                "{name} declared but never read"
            );
        }
    }

    #[test]
    fn every_column_is_filled_or_declared_empty() {
        for (table, fields, empty) in [
            (Table::Boundaries, BOUNDARY_FIELDS, &[][..]),
            (
                Table::SiteSettings,
                SETTINGS_FIELDS,
                SETTINGS_NOT_FROM_PROVIDER,
            ),
        ] {
            let columns: Vec<&str> = table.spec().columns.iter().map(|c| c.name).collect();
            for c in &columns {
                assert!(
                    fields.iter().any(|(f, _)| f == c) != empty.contains(c),
                    "{}: column {c} must be filled or declared empty, not both",
                    table.spec().file
                );
            }
            for (f, _) in fields {
                assert!(columns.contains(f), "{f}");
            }
        }
    }

    #[test]
    fn row_functions_put_fields_in_schema_order() {
        let mut s = String::new();
        row_functions(&mut s);
        assert!(
            s.contains("SettingsRow = CsvField(code) & \",,,\" & CsvField(sqlServer) & \",\" & CsvField(sqlDatabase) & \",,,,,\""),
            "{s}"
        );
        assert!(s.contains(
            "BoundaryRow = CsvField(code) & \",\" & CsvField(kind) & \",\" & CsvField(value) & \",\" & CsvField(roaming)"
        ));
    }

    #[test]
    fn stand_in_data_is_utf16_and_escapes_line_breaks() {
        let data = StandIn {
            objects: vec![StandInObject {
                namespace: "root\\sms".into(),
                class: "SMS_Site".into(),
                properties: vec![
                    (
                        "SiteName".into(),
                        StandInValue::Text("a\\b\r\nZ\u{fc}rich".into()),
                    ),
                    ("Empty".into(), StandInValue::List(vec![])),
                ],
            }],
            failing_connections: vec!["root\\sms\\site_BMT".into()],
            failing_queries: vec![],
        };
        let bytes = data.to_utf16();
        assert_eq!(&bytes[..2], &[0xFF, 0xFE]);
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let text = String::from_utf16(&units).unwrap();
        assert_eq!(
            text,
            "fail connect root\\sms\\site_bmt\r\nobject root\\sms:SMS_Site\r\n\
             SiteName=a\\\\b\\r\\nZ\u{fc}rich\r\nEmpty[]\r\nend\r\n"
        );
    }
}
