//! One row → one model record: the mapping shared by the CSV loader and the live pull.
//!
//! Both sources present a row as [`Cells`] (text values indexed by the table's column order in
//! [`schema`](super::schema)); [`map_row`] turns it into a [`Record`] or a [`FieldError`] naming
//! the column. Empty text and the literal `NULL` (what `sqlcmd` prints) both mean "no value".

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr};
use std::str::FromStr;

use super::model::{
    sms2003_service_pack, Advertisement, Boundary, BoundaryKind, BoundaryValueError, Client,
    ClientType, Collection, CollectionRule, Package, Program, Query, Report, RoamingKind,
    SecurityMode, Site, SiteCode, SiteCodeError, SiteType,
};
use super::schema::Table;

/// A row's values by column index of the table's spec.
pub trait Cells {
    /// The value of column `index`; `None` when the column is absent, empty or `NULL`.
    fn cell(&self, index: usize) -> Option<Cow<'_, str>>;
}

impl Cells for [Option<String>] {
    fn cell(&self, index: usize) -> Option<Cow<'_, str>> {
        self.get(index)?
            .as_deref()
            .and_then(present)
            .map(Cow::Borrowed)
    }
}

impl Cells for Vec<Option<String>> {
    fn cell(&self, index: usize) -> Option<Cow<'_, str>> {
        self.as_slice().cell(index)
    }
}

/// `None` for empty text or the `NULL` marker, else the trimmed text.
pub(crate) fn present(text: &str) -> Option<&str> {
    let t = text.trim();
    if t.is_empty() || t == "NULL" {
        None
    } else {
        Some(t)
    }
}

/// Why a value is rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueProblem {
    /// A column that must have a value is empty.
    #[error("a value is required")]
    Required,
    /// Not a non-negative integer in range.
    #[error("not a non-negative integer in range")]
    Integer,
    /// Not a boolean (`0`, `1`, `true`, `false`, `yes`, `no`).
    #[error("not a boolean (0/1, true/false, yes/no)")]
    Bool,
    /// Not a site code.
    #[error(transparent)]
    SiteCode(#[from] SiteCodeError),
    /// `Type` is neither 1 (secondary) nor 2 (primary).
    #[error("site type must be 1 (secondary) or 2 (primary)")]
    SiteType,
    /// Not `Advanced` or `Standard`.
    #[error("security mode must be Advanced or Standard")]
    SecurityMode,
    /// Not a service-pack level (`RTM`, `SP2`, `Service Pack 2`, `2`).
    #[error("not a service-pack level (RTM, SP2, Service Pack 2, 2)")]
    ServicePack,
    /// Unknown boundary type.
    #[error("boundary type must be IP Subnet, IP Range, AD Site or IPv6 Prefix")]
    BoundaryType,
    /// Roaming is not empty, `Local` or `Remote`.
    #[error("roaming must be empty (site boundary), Local or Remote")]
    Roaming,
    /// The boundary value does not parse. Shown without the value, which the error that
    /// carries this problem shows once already ("(found `...`)").
    #[error("{}", .0.reason())]
    Boundary(#[from] BoundaryValueError),
    /// Not an IPv4 or IPv6 address.
    #[error("not an IP address")]
    IpAddress,
    /// Not an IPv4 subnet ID.
    #[error("not an IPv4 subnet ID")]
    Ipv4Subnet,
    /// `Client_Type0` is neither 0 (legacy) nor 1 (advanced).
    #[error("client type must be 0 (legacy) or 1 (advanced)")]
    ClientType,
}

/// A rejected value: which column, what text, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Column index in the table's spec.
    pub column: usize,
    /// The rejected text (empty for a missing value).
    pub value: String,
    /// Why.
    pub problem: ValueProblem,
}

/// Per-site settings (`site_settings.csv`), merged into [`Site`] by the loader.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SiteSettings {
    /// Site code.
    pub code: Option<SiteCode>,
    /// Security mode.
    pub security_mode: Option<SecurityMode>,
    /// SMS service pack.
    pub service_pack: Option<u8>,
    /// SQL Server name.
    pub sql_server: Option<String>,
    /// Database name.
    pub database_name: Option<String>,
    /// SQL Server version.
    pub sql_version: Option<String>,
    /// SQL Server service pack.
    pub sql_service_pack: Option<u8>,
    /// SQL replication flag.
    pub sql_replication: Option<bool>,
    /// .NET 2.0 flag.
    pub dotnet20: Option<bool>,
    /// Feature packs, sorted.
    pub feature_packs: Vec<String>,
}

/// Hardware-inventory OS facts of one resource (`client_os.csv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientOs {
    /// Resource ID.
    pub resource_id: u32,
    /// Caption.
    pub caption: Option<String>,
    /// Version.
    pub version: Option<String>,
    /// Build number.
    pub build: Option<u32>,
    /// Service pack (0 = none).
    pub service_pack: u8,
}

/// One row in model form.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Record {
    /// `sites.csv`.
    Site(Box<Site>),
    /// `site_settings.csv`.
    SiteSettings(Box<SiteSettings>),
    /// `boundaries.csv`.
    Boundary(Boundary),
    /// `collections.csv` (rules and subcollections are attached later).
    Collection(Collection),
    /// `subcollections.csv`.
    Subcollection {
        /// Parent collection.
        parent: String,
        /// Subcollection.
        child: String,
    },
    /// `collection_query_rules.csv` / `collection_direct_rules.csv`.
    Rule {
        /// Collection the rule belongs to.
        collection_id: String,
        /// The rule.
        rule: CollectionRule,
    },
    /// `packages.csv`.
    Package(Package),
    /// `programs.csv`.
    Program(Program),
    /// `advertisements.csv`.
    Advertisement(Advertisement),
    /// `queries.csv`.
    Query(Query),
    /// `reports.csv`.
    Report(Report),
    /// `clients.csv` (addresses, subnets, OS and assignment are attached later).
    Client(Box<Client>),
    /// `client_os.csv`.
    ClientOs(ClientOs),
    /// `client_ip_addresses.csv`.
    ClientIp {
        /// Resource ID.
        resource_id: u32,
        /// Address.
        address: IpAddr,
    },
    /// `client_ip_subnets.csv`.
    ClientSubnet {
        /// Resource ID.
        resource_id: u32,
        /// Subnet ID.
        subnet: Ipv4Addr,
    },
    /// `client_assigned_sites.csv`.
    ClientAssignedSite {
        /// Resource ID.
        resource_id: u32,
        /// Assigned site.
        site: SiteCode,
    },
}

/// Map one row of `table` to a record.
///
/// # Errors
/// [`FieldError`] for the first column whose value is missing or malformed.
pub fn map_row(table: Table, c: &(impl Cells + ?Sized)) -> Result<Record, FieldError> {
    Ok(match table {
        Table::Sites => Record::Site(Box::new(site(c)?)),
        Table::SiteSettings => Record::SiteSettings(Box::new(site_settings(c)?)),
        Table::Boundaries => Record::Boundary(boundary(c)?),
        Table::Collections => Record::Collection(Collection {
            id: text(c, 0)?,
            name: text(c, 1)?,
            comment: opt_text(c, 2),
            rules: Vec::new(),
            subcollections: Vec::new(),
        }),
        Table::Subcollections => Record::Subcollection {
            parent: text(c, 0)?,
            child: text(c, 1)?,
        },
        Table::CollectionQueryRules => Record::Rule {
            collection_id: text(c, 0)?,
            rule: CollectionRule::Query {
                name: text(c, 1)?,
                wql: text(c, 2)?,
                limit_to: opt_text(c, 3),
            },
        },
        Table::CollectionDirectRules => Record::Rule {
            collection_id: text(c, 0)?,
            rule: CollectionRule::Direct {
                resource_id: num(c, 1)?,
                name: text(c, 2)?,
            },
        },
        Table::Packages => Record::Package(Package {
            id: text(c, 0)?,
            name: text(c, 1)?,
            version: opt_text(c, 2),
            manufacturer: opt_text(c, 3),
            language: opt_text(c, 4),
            description: opt_text(c, 5),
            source_path: opt_text(c, 6),
            source_site: opt_site_code(c, 7)?,
        }),
        Table::Programs => Record::Program(Program {
            package_id: text(c, 0)?,
            name: text(c, 1)?,
            command_line: text(c, 2)?,
            comment: opt_text(c, 3),
            flags: opt_num(c, 4)?,
            dependent_program: opt_text(c, 5),
        }),
        Table::Advertisements => Record::Advertisement(Advertisement {
            id: text(c, 0)?,
            name: text(c, 1)?,
            package_id: text(c, 2)?,
            program_name: text(c, 3)?,
            collection_id: text(c, 4)?,
            source_site: opt_site_code(c, 5)?,
            include_subcollections: opt_bool(c, 6)?,
        }),
        Table::Queries => Record::Query(Query {
            id: text(c, 0)?,
            name: text(c, 1)?,
            comments: opt_text(c, 2),
            target_class: opt_text(c, 3),
            expression: text(c, 4)?,
            limit_to: opt_text(c, 5),
        }),
        Table::Reports => Record::Report(Report {
            id: num(c, 0)?,
            name: text(c, 1)?,
            category: opt_text(c, 2),
            comment: opt_text(c, 3),
            sql: text(c, 4)?,
            security_key: opt_text(c, 5),
        }),
        Table::Clients => Record::Client(Box::new(client(c)?)),
        Table::ClientOs => Record::ClientOs(ClientOs {
            resource_id: num(c, 0)?,
            caption: opt_text(c, 1),
            version: opt_text(c, 2),
            build: opt_num(c, 3)?,
            service_pack: csd_service_pack(c.cell(4).as_deref()),
        }),
        Table::ClientIpAddresses => Record::ClientIp {
            resource_id: num(c, 0)?,
            address: parse_with(c, 1, |t| {
                IpAddr::from_str(t).map_err(|_| ValueProblem::IpAddress)
            })?,
        },
        Table::ClientIpSubnets => Record::ClientSubnet {
            resource_id: num(c, 0)?,
            subnet: parse_with(c, 1, |t| {
                Ipv4Addr::from_str(t).map_err(|_| ValueProblem::Ipv4Subnet)
            })?,
        },
        Table::ClientAssignedSites => Record::ClientAssignedSite {
            resource_id: num(c, 0)?,
            site: parse_with(c, 1, |t| SiteCode::parse(t).map_err(ValueProblem::from))?,
        },
    })
}

fn site(c: &(impl Cells + ?Sized)) -> Result<Site, FieldError> {
    let version = text(c, 4)?;
    let build: u32 = num(c, 5)?;
    let mut site = Site {
        code: site_code(c, 0)?,
        name: text(c, 1)?,
        parent: opt_site_code(c, 2)?,
        site_type: parse_with(c, 3, |t| match t {
            "2" => Ok(SiteType::Primary),
            "1" => Ok(SiteType::Secondary),
            _ => Err(ValueProblem::SiteType),
        })?,
        version,
        build,
        service_pack: None,
        security_mode: None,
        server_name: text(c, 6)?,
        install_dir: opt_text(c, 7),
        server_os: opt_text(c, 8),
        server_os_version: opt_text(c, 9),
        server_os_sp: None,
        dotnet20: None,
        sql_server: None,
        sql_version: None,
        sql_service_pack: None,
        database_name: None,
        feature_packs: Vec::new(),
        sql_replication: None,
    };
    if site.server_os.is_some() || site.server_os_version.is_some() {
        site.server_os_sp = Some(csd_service_pack(c.cell(10).as_deref()));
    }
    if site.product() == super::model::SiteProduct::Sms2003 {
        site.service_pack = sms2003_service_pack(build);
    }
    Ok(site)
}

fn site_settings(c: &(impl Cells + ?Sized)) -> Result<SiteSettings, FieldError> {
    let mut feature_packs: Vec<String> = opt_text(c, 9)
        .map(|t| {
            t.split([';', ','])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    feature_packs.sort();
    feature_packs.dedup();
    Ok(SiteSettings {
        code: Some(site_code(c, 0)?),
        security_mode: opt_parse_with(c, 1, |t| match t.to_ascii_lowercase().as_str() {
            "advanced" => Ok(SecurityMode::Advanced),
            "standard" => Ok(SecurityMode::Standard),
            _ => Err(ValueProblem::SecurityMode),
        })?,
        service_pack: opt_parse_with(c, 2, service_pack_level)?,
        sql_server: opt_text(c, 3),
        database_name: opt_text(c, 4),
        sql_version: opt_text(c, 5),
        sql_service_pack: opt_parse_with(c, 6, service_pack_level)?,
        sql_replication: opt_bool(c, 7)?,
        dotnet20: opt_bool(c, 8)?,
        feature_packs,
    })
}

fn boundary(c: &(impl Cells + ?Sized)) -> Result<Boundary, FieldError> {
    let code = site_code(c, 0)?;
    let kind = parse_with(c, 1, |t| {
        BoundaryKind::parse(t).ok_or(ValueProblem::BoundaryType)
    })?;
    let roaming = opt_parse_with(c, 3, |t| match t.to_ascii_lowercase().as_str() {
        "local" => Ok(RoamingKind::Local),
        "remote" => Ok(RoamingKind::Remote),
        _ => Err(ValueProblem::Roaming),
    })?;
    let value = text(c, 2)?;
    Boundary::new(code, kind, &value, roaming).map_err(|e| FieldError {
        column: 2,
        value,
        problem: e.into(),
    })
}

fn client(c: &(impl Cells + ?Sized)) -> Result<Client, FieldError> {
    Ok(Client {
        resource_id: num(c, 0)?,
        name: text(c, 1)?,
        sms_guid: opt_text(c, 2),
        hardware_id: opt_text(c, 3),
        machine_id_guid: opt_text(c, 4),
        client_installed: opt_bool(c, 5)?.unwrap_or(false),
        client_type: opt_parse_with(c, 6, |t| match t {
            "0" => Ok(ClientType::Legacy),
            "1" => Ok(ClientType::Advanced),
            _ => Err(ValueProblem::ClientType),
        })?,
        client_version: opt_text(c, 7),
        obsolete: opt_bool(c, 8)?.unwrap_or(false),
        domain: opt_text(c, 9),
        ad_site: opt_text(c, 10),
        os_name_and_version: opt_text(c, 11),
        os_name: None,
        os_version: None,
        os_build: None,
        os_service_pack: None,
        ip_addresses: Vec::new(),
        ip_subnets: Vec::new(),
        assigned_site: None,
    })
}

/// `Service Pack 4` → 4, `Service Pack 6a` → 6, empty → 0 (no service pack installed).
pub fn csd_service_pack(csd: Option<&str>) -> u8 {
    let Some(csd) = csd.and_then(present) else {
        return 0;
    };
    let digits: String = csd
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap_or(0)
}

/// `RTM` → 0; `SP2`, `Service Pack 2`, `2` → 2.
fn service_pack_level(text: &str) -> Result<u8, ValueProblem> {
    let lower = text.to_ascii_lowercase();
    if lower == "rtm" {
        return Ok(0);
    }
    let rest = lower
        .strip_prefix("service pack")
        .or_else(|| lower.strip_prefix("sp"))
        .unwrap_or(&lower)
        .trim();
    rest.parse().map_err(|_| ValueProblem::ServicePack)
}

fn text(c: &(impl Cells + ?Sized), i: usize) -> Result<String, FieldError> {
    c.cell(i).map(Cow::into_owned).ok_or(FieldError {
        column: i,
        value: String::new(),
        problem: ValueProblem::Required,
    })
}

fn opt_text(c: &(impl Cells + ?Sized), i: usize) -> Option<String> {
    c.cell(i).map(Cow::into_owned)
}

fn parse_with<T>(
    c: &(impl Cells + ?Sized),
    i: usize,
    f: impl FnOnce(&str) -> Result<T, ValueProblem>,
) -> Result<T, FieldError> {
    opt_parse_with(c, i, f)?.ok_or(FieldError {
        column: i,
        value: String::new(),
        problem: ValueProblem::Required,
    })
}

fn opt_parse_with<T>(
    c: &(impl Cells + ?Sized),
    i: usize,
    f: impl FnOnce(&str) -> Result<T, ValueProblem>,
) -> Result<Option<T>, FieldError> {
    match c.cell(i) {
        None => Ok(None),
        Some(t) => f(&t).map(Some).map_err(|problem| FieldError {
            column: i,
            value: t.into_owned(),
            problem,
        }),
    }
}

fn num<T: FromStr>(c: &(impl Cells + ?Sized), i: usize) -> Result<T, FieldError> {
    parse_with(c, i, |t| t.parse().map_err(|_| ValueProblem::Integer))
}

fn opt_num<T: FromStr>(c: &(impl Cells + ?Sized), i: usize) -> Result<Option<T>, FieldError> {
    opt_parse_with(c, i, |t| t.parse().map_err(|_| ValueProblem::Integer))
}

fn opt_bool(c: &(impl Cells + ?Sized), i: usize) -> Result<Option<bool>, FieldError> {
    opt_parse_with(c, i, |t| match t.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" => Ok(true),
        "0" | "false" | "no" => Ok(false),
        _ => Err(ValueProblem::Bool),
    })
}

fn site_code(c: &(impl Cells + ?Sized), i: usize) -> Result<SiteCode, FieldError> {
    parse_with(c, i, |t| SiteCode::parse(t).map_err(ValueProblem::from))
}

fn opt_site_code(c: &(impl Cells + ?Sized), i: usize) -> Result<Option<SiteCode>, FieldError> {
    opt_parse_with(c, i, |t| SiteCode::parse(t).map_err(ValueProblem::from))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(values: &[&str]) -> Vec<Option<String>> {
        values.iter().map(|v| Some((*v).to_owned())).collect()
    }

    #[test]
    fn maps_a_site_and_derives_its_service_pack() {
        let r = row(&[
            "BMT",
            "Beaumont",
            "HOU",
            "1",
            "2.50.4160.2000",
            "4160",
            "BMTSMS01",
            "D:\\SMS",
            "Microsoft(R) Windows(R) Server 2003, Standard Edition",
            "5.2.3790",
            "Service Pack 2",
        ]);
        let Record::Site(site) = map_row(Table::Sites, &r).unwrap() else {
            panic!("not a site")
        };
        assert_eq!(site.code.as_str(), "BMT");
        assert_eq!(site.parent.map(|p| p.to_string()).as_deref(), Some("HOU"));
        assert_eq!(site.site_type, SiteType::Secondary);
        assert_eq!(site.service_pack, Some(2));
        assert_eq!(site.server_os_sp, Some(2));
    }

    #[test]
    fn null_and_empty_mean_no_value() {
        let mut r = row(&[
            "HOU",
            "Houston",
            "NULL",
            "2",
            "2.50.2726.0000",
            "2726",
            "HOUSMS",
        ]);
        r.push(Some(String::new()));
        let Record::Site(site) = map_row(Table::Sites, &r).unwrap() else {
            panic!("not a site")
        };
        assert_eq!(site.parent, None);
        assert_eq!(site.install_dir, None);
        assert_eq!(site.service_pack, Some(0));
        assert_eq!(site.server_os_sp, None);
    }

    #[test]
    fn errors_name_the_column() {
        let r = row(&["HOU", "Houston", "", "3", "2.50", "1", "X"]);
        let err = map_row(Table::Sites, &r).unwrap_err();
        assert_eq!(err.column, 3);
        assert_eq!(err.value, "3");
        assert_eq!(err.problem, ValueProblem::SiteType);

        let r = row(&["1", "10.0.0.300"]);
        let err = map_row(Table::ClientIpAddresses, &r).unwrap_err();
        assert_eq!((err.column, err.problem), (1, ValueProblem::IpAddress));

        let r = row(&["", "Houston"]);
        let err = map_row(Table::Collections, &r).unwrap_err();
        assert_eq!((err.column, err.problem), (0, ValueProblem::Required));

        let r = row(&["HOU", "IP Range", "10.0.0.9-10.0.0.1", ""]);
        let err = map_row(Table::Boundaries, &r).unwrap_err();
        assert!(matches!(
            err.problem,
            ValueProblem::Boundary(BoundaryValueError::RangeReversed { .. })
        ));
    }

    #[test]
    fn service_pack_spellings() {
        assert_eq!(service_pack_level("RTM"), Ok(0));
        assert_eq!(service_pack_level("SP2"), Ok(2));
        assert_eq!(service_pack_level("Service Pack 3"), Ok(3));
        assert_eq!(service_pack_level("4"), Ok(4));
        assert!(service_pack_level("SPx").is_err());
        assert_eq!(csd_service_pack(Some("Service Pack 6a")), 6);
        assert_eq!(csd_service_pack(Some("")), 0);
        assert_eq!(csd_service_pack(None), 0);
    }

    #[test]
    fn client_type_and_flags() {
        let r = row(&[
            "16777220",
            "HOU-WS001",
            "GUID:A",
            "2:B",
            "GUID:A",
            "1",
            "0",
            "2.50.4160.2000",
            "0",
            "CORP",
            "Houston",
            "Microsoft Windows NT Workstation 5.1",
        ]);
        let Record::Client(client) = map_row(Table::Clients, &r).unwrap() else {
            panic!("not a client")
        };
        assert_eq!(client.client_type, Some(ClientType::Legacy));
        assert!(client.client_installed);
        assert!(!client.obsolete);
    }
}
