//! The SMS 2003 hierarchy model (DESIGN §4.2): sites, boundaries, collections, packages,
//! programs, advertisements, queries, reports and clients.
//!
//! Every source (offline CSV export, live pull) produces this one model. Identifiers that have a
//! grammar are typed ([`SiteCode`], boundary values, IP addresses) so that consumers never
//! re-parse text; fields an export may not know are `Option`.
//!
//! The loader keeps every `Vec` of [`Inventory`] sorted by its key and free of duplicate keys, so
//! the lookup helpers can binary-search; [`Inventory::normalize`] restores that order for an
//! inventory built by hand.

use std::net::{IpAddr, Ipv4Addr};

use serde::{Deserialize, Serialize};

mod boundary;
mod site_code;

pub use boundary::{
    parse_ipv6_prefix, Boundary, BoundaryKind, BoundaryValue, BoundaryValueError, Ipv6Problem,
    RoamingKind,
};
pub use site_code::{SiteCode, SiteCodeError};

/// The whole hierarchy as one value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inventory {
    /// Sites, sorted by code.
    pub sites: Vec<Site>,
    /// Site and roaming boundaries, sorted by (site, kind, value, roaming).
    pub boundaries: Vec<Boundary>,
    /// Collections, sorted by ID.
    pub collections: Vec<Collection>,
    /// Packages, sorted by ID.
    pub packages: Vec<Package>,
    /// Programs, sorted by (package ID, program name).
    pub programs: Vec<Program>,
    /// Advertisements, sorted by ID.
    pub advertisements: Vec<Advertisement>,
    /// Queries, sorted by ID.
    pub queries: Vec<Query>,
    /// Web reports, sorted by ID.
    pub reports: Vec<Report>,
    /// Discovered resources (clients and not-yet-clients), sorted by resource ID.
    pub clients: Vec<Client>,
}

/// Primary or secondary site (`v_Site.Type`: 2 primary, 1 secondary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteType {
    /// A primary site: has its own site database.
    Primary,
    /// A secondary site: no database, administered through its parent primary.
    Secondary,
}

/// SMS 2003 security mode of a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecurityMode {
    /// Advanced security: services run as the computer account (required by ConfigMgr 2007).
    Advanced,
    /// Standard security: services run under the SMS Service account.
    Standard,
}

/// Which product a site runs, derived from its version string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteProduct {
    /// SMS 2.0 (version 2.00.*).
    Sms20,
    /// SMS 2003 (version 2.50.*).
    Sms2003,
    /// Configuration Manager 2007 (version 4.00.*), e.g. a site already upgraded in place.
    ConfigMgr2007,
    /// Anything else.
    Unknown,
}

/// SMS 2003 service-pack levels by build number (the third part of the version):
///
/// | release | version          | build |
/// |---------|------------------|-------|
/// | RTM     | 2.50.2726.0000   | 2726  |
/// | SP1     | 2.50.3174.1018   | 3174  |
/// | SP2     | 2.50.4160.2000   | 4160  |
/// | SP3     | 2.50.4253.3000   | 4253  |
///
/// A build between two releases (a hotfix) counts as the lower release.
pub const SMS2003_SERVICE_PACK_BUILDS: [(u8, u32); 4] =
    [(0, 2726), (1, 3174), (2, 4160), (3, 4253)];

/// The SMS 2003 service pack (0 = RTM) a build number belongs to, or `None` below RTM.
pub fn sms2003_service_pack(build: u32) -> Option<u8> {
    SMS2003_SERVICE_PACK_BUILDS
        .iter()
        .rev()
        .find(|(_, first)| build >= *first)
        .map(|(sp, _)| *sp)
}

/// One SMS site (`v_Site` plus site-control-file and site-server facts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    /// Site code.
    pub code: SiteCode,
    /// Site name (`SiteName`).
    pub name: String,
    /// Parent site (`ReportingSiteCode`); `None` for the central site.
    pub parent: Option<SiteCode>,
    /// Primary or secondary.
    pub site_type: SiteType,
    /// Full version string, e.g. `2.50.4160.2000`.
    pub version: String,
    /// Build number (`BuildNumber`), e.g. 4160.
    pub build: u32,
    /// SMS 2003 service pack, 0 = RTM; from the export, else derived from `build`
    /// with [`sms2003_service_pack`]. `None` when not an SMS 2003 site or unknown.
    pub service_pack: Option<u8>,
    /// Security mode, when known. SMS 2003 keeps it in the site control file, not in a
    /// reporting view, so an export may not carry it.
    pub security_mode: Option<SecurityMode>,
    /// Site server NetBIOS name (`ServerName`).
    pub server_name: String,
    /// SMS installation directory on the site server (`InstallDir`).
    pub install_dir: Option<String>,
    /// Site server operating system caption, e.g. `Microsoft(R) Windows(R) Server 2003,
    /// Enterprise Edition`.
    pub server_os: Option<String>,
    /// Site server OS version, e.g. `5.2.3790`.
    pub server_os_version: Option<String>,
    /// Site server OS service pack (0 = none).
    pub server_os_sp: Option<u8>,
    /// Whether .NET Framework 2.0 is installed on the site server, when known.
    pub dotnet20: Option<bool>,
    /// SQL Server hosting the site database (primaries only).
    pub sql_server: Option<String>,
    /// SQL Server version, e.g. `8.00.2039` (2000 SP4) or `9.00.3042.00` (2005 SP2).
    pub sql_version: Option<String>,
    /// SQL Server service pack (0 = RTM).
    pub sql_service_pack: Option<u8>,
    /// Site database name, e.g. `SMS_HOU`.
    pub database_name: Option<String>,
    /// Installed SMS 2003 feature packs by short name, sorted (e.g. `ITMU`, `OSD`, `DMFP`).
    pub feature_packs: Vec<String>,
    /// Whether the site database takes part in SQL Server replication, when known.
    pub sql_replication: Option<bool>,
}

impl Site {
    /// Which product this site runs, from the version string's major.minor.
    pub fn product(&self) -> SiteProduct {
        let mut parts = self.version.split('.');
        match (parts.next(), parts.next()) {
            (Some("2"), Some("00" | "0")) => SiteProduct::Sms20,
            (Some("2"), Some("50")) => SiteProduct::Sms2003,
            (Some("4"), Some("00" | "0")) => SiteProduct::ConfigMgr2007,
            _ => SiteProduct::Unknown,
        }
    }

    /// True for the central site (no parent).
    pub fn is_central(&self) -> bool {
        self.parent.is_none()
    }
}

/// A collection membership rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CollectionRule {
    /// Query rule (`v_CollectionRuleQuery`).
    Query {
        /// Rule name.
        name: String,
        /// The WQL query expression.
        wql: String,
        /// Collection the query results are limited to (`LimitToCollectionID`), if any.
        limit_to: Option<String>,
    },
    /// Direct rule (a resource added by ID).
    Direct {
        /// Resource ID of the member.
        resource_id: u32,
        /// Rule name (normally the resource's name).
        name: String,
    },
}

/// A collection (`v_Collection`) with its rules and subcollection links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collection {
    /// Collection ID, e.g. `SMS00001` or `HOU00012`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Comment.
    pub comment: Option<String>,
    /// Membership rules, in export order.
    pub rules: Vec<CollectionRule>,
    /// IDs of direct subcollections (`v_CollectToSubCollect`), sorted.
    pub subcollections: Vec<String>,
}

impl Collection {
    /// The site that created the collection, from the ID's first three characters, unless it is
    /// a built-in `SMS` collection.
    pub fn owning_site(&self) -> Option<SiteCode> {
        let prefix = self.id.get(..3)?;
        if prefix == "SMS" {
            return None;
        }
        SiteCode::parse(prefix).ok()
    }

    /// Collection IDs that the query rules are limited to, sorted and deduplicated.
    pub fn limiting_collections(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self
            .rules
            .iter()
            .filter_map(|r| match r {
                CollectionRule::Query { limit_to, .. } => limit_to.as_deref(),
                CollectionRule::Direct { .. } => None,
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// A software distribution package (`v_Package`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    /// Package ID, e.g. `HOU00003`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Version text.
    pub version: Option<String>,
    /// Manufacturer.
    pub manufacturer: Option<String>,
    /// Language.
    pub language: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Package source path (`PkgSourcePath`), e.g. a UNC path.
    pub source_path: Option<String>,
    /// Site that owns the package (`SourceSite`).
    pub source_site: Option<SiteCode>,
}

/// A program of a package (`v_Program`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Program {
    /// Package the program belongs to.
    pub package_id: String,
    /// Program name, unique within the package.
    pub name: String,
    /// Command line.
    pub command_line: String,
    /// Comment.
    pub comment: Option<String>,
    /// Program flags bit field (`ProgramFlags`).
    pub flags: Option<u32>,
    /// Program to run first (`DependentProgram`), raw text.
    pub dependent_program: Option<String>,
}

/// An advertisement (`v_Advertisement`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Advertisement {
    /// Advertisement ID.
    pub id: String,
    /// Name.
    pub name: String,
    /// Package advertised.
    pub package_id: String,
    /// Program of that package.
    pub program_name: String,
    /// Target collection.
    pub collection_id: String,
    /// Site that created the advertisement (`SourceSite`).
    pub source_site: Option<SiteCode>,
    /// Whether subcollections are included, when known.
    pub include_subcollections: Option<bool>,
}

/// A stored query (`SMS_Query`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    /// Query ID, e.g. `HOU00001` or `SMS067`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Comments.
    pub comments: Option<String>,
    /// WMI class the query returns, e.g. `SMS_R_System`.
    pub target_class: Option<String>,
    /// The WQL expression.
    pub expression: String,
    /// Collection the query is limited to, if any.
    pub limit_to: Option<String>,
}

/// A web report (`v_Report`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// Report ID.
    pub id: u32,
    /// Name.
    pub name: String,
    /// Category.
    pub category: Option<String>,
    /// Comment.
    pub comment: Option<String>,
    /// The report's SQL.
    pub sql: String,
    /// Report security key, e.g. `HOU00010`.
    pub security_key: Option<String>,
}

/// SMS 2003 client type (`v_R_System.Client_Type0`: 0 legacy, 1 advanced).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientType {
    /// Legacy Client (not supported by ConfigMgr 2007).
    Legacy,
    /// Advanced Client.
    Advanced,
}

/// A discovered system resource (`v_R_System` and its `v_RA_*` / `v_GS_*` companions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    /// Resource ID.
    pub resource_id: u32,
    /// NetBIOS name.
    pub name: String,
    /// SMS unique identifier (`SMS_Unique_Identifier0`), e.g. `GUID:0F4C...`.
    pub sms_guid: Option<String>,
    /// Hardware ID (`Hardware_ID0`), e.g. `2:0A1B...`.
    pub hardware_id: Option<String>,
    /// The GUID the site's machine-ID table (`MachineIdGroupXRef.GUID`) records for this
    /// resource; differing from `sms_guid` is what the ConfigMgr prerequisite checker's
    /// "Client GUID consistency" rule reports.
    pub machine_id_guid: Option<String>,
    /// Whether the SMS client is installed (`Client0`).
    pub client_installed: bool,
    /// Client type, when a client is installed and the type is known.
    pub client_type: Option<ClientType>,
    /// Client version, e.g. `2.50.4160.2000`.
    pub client_version: Option<String>,
    /// Whether the resource is marked obsolete (`Obsolete0`).
    pub obsolete: bool,
    /// Domain or workgroup.
    pub domain: Option<String>,
    /// OS name from discovery (`Operating_System_Name_and0`), e.g.
    /// `Microsoft Windows NT Workstation 5.1`; known even without hardware inventory.
    pub os_name_and_version: Option<String>,
    /// OS caption (`v_GS_OPERATING_SYSTEM.Caption0`), e.g. `Microsoft Windows XP Professional`.
    pub os_name: Option<String>,
    /// OS version (`Version0`), e.g. `5.1.2600`.
    pub os_version: Option<String>,
    /// OS build number (`BuildNumber0`), e.g. 2600.
    pub os_build: Option<u32>,
    /// OS service pack from `CSDVersion0` (`Service Pack 2` → 2; none → 0).
    pub os_service_pack: Option<u8>,
    /// IP addresses (`v_RA_System_IPAddresses`), sorted.
    pub ip_addresses: Vec<IpAddr>,
    /// IP subnet IDs (`v_RA_System_IPSubnets`), sorted.
    pub ip_subnets: Vec<Ipv4Addr>,
    /// Active Directory site (`AD_Site_Name0`).
    pub ad_site: Option<String>,
    /// Assigned site (`v_RA_System_SMSAssignedSites`; the first one if several).
    pub assigned_site: Option<SiteCode>,
}

impl Inventory {
    /// Sort every list by its key, as the loader leaves them, so lookups work.
    pub fn normalize(&mut self) {
        self.sites.sort_by_key(|s| s.code);
        self.boundaries.sort_by(|a, b| {
            (a.site_code, a.kind, &a.value, a.roaming).cmp(&(
                b.site_code,
                b.kind,
                &b.value,
                b.roaming,
            ))
        });
        self.collections.sort_by(|a, b| a.id.cmp(&b.id));
        self.packages.sort_by(|a, b| a.id.cmp(&b.id));
        self.programs
            .sort_by(|a, b| (&a.package_id, &a.name).cmp(&(&b.package_id, &b.name)));
        self.advertisements.sort_by(|a, b| a.id.cmp(&b.id));
        self.queries.sort_by(|a, b| a.id.cmp(&b.id));
        self.reports.sort_by_key(|r| r.id);
        self.clients.sort_by_key(|c| c.resource_id);
    }

    /// The site with this code.
    pub fn site(&self, code: SiteCode) -> Option<&Site> {
        self.sites
            .binary_search_by(|s| s.code.cmp(&code))
            .ok()
            .map(|i| &self.sites[i])
    }

    /// The central site(s): sites without a parent, sorted by code (normally exactly one).
    pub fn central_sites(&self) -> impl Iterator<Item = &Site> + '_ {
        self.sites.iter().filter(|s| s.parent.is_none())
    }

    /// Direct child sites of `code`, sorted by code.
    pub fn children(&self, code: SiteCode) -> impl Iterator<Item = &Site> + '_ {
        self.sites.iter().filter(move |s| s.parent == Some(code))
    }

    /// The chain of parents above `code`, nearest first; stops at a missing site or a cycle.
    pub fn ancestors(&self, code: SiteCode) -> Vec<SiteCode> {
        let mut chain = Vec::new();
        let mut current = self.site(code).and_then(|s| s.parent);
        while let Some(parent) = current {
            if parent == code || chain.contains(&parent) {
                break;
            }
            chain.push(parent);
            current = self.site(parent).and_then(|s| s.parent);
        }
        chain
    }

    /// Boundaries (site and roaming) of one site.
    pub fn boundaries_of(&self, code: SiteCode) -> &[Boundary] {
        let start = self.boundaries.partition_point(|b| b.site_code < code);
        let end = self.boundaries.partition_point(|b| b.site_code <= code);
        &self.boundaries[start..end]
    }

    /// The collection with this ID.
    pub fn collection(&self, id: &str) -> Option<&Collection> {
        self.collections
            .binary_search_by(|c| c.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.collections[i])
    }

    /// Collections that list `id` as a subcollection.
    pub fn parent_collections<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Collection> {
        self.collections
            .iter()
            .filter(move |c| c.subcollections.iter().any(|s| s == id))
    }

    /// The package with this ID.
    pub fn package(&self, id: &str) -> Option<&Package> {
        self.packages
            .binary_search_by(|p| p.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.packages[i])
    }

    /// Programs of one package.
    pub fn programs_of(&self, package_id: &str) -> &[Program] {
        let start = self
            .programs
            .partition_point(|p| p.package_id.as_str() < package_id);
        let end = self
            .programs
            .partition_point(|p| p.package_id.as_str() <= package_id);
        &self.programs[start..end]
    }

    /// The program `name` of package `package_id`.
    pub fn program(&self, package_id: &str, name: &str) -> Option<&Program> {
        self.programs_of(package_id).iter().find(|p| p.name == name)
    }

    /// The advertisement with this ID.
    pub fn advertisement(&self, id: &str) -> Option<&Advertisement> {
        self.advertisements
            .binary_search_by(|a| a.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.advertisements[i])
    }

    /// Advertisements that target a collection.
    pub fn advertisements_for<'a>(
        &'a self,
        collection_id: &'a str,
    ) -> impl Iterator<Item = &'a Advertisement> {
        self.advertisements
            .iter()
            .filter(move |a| a.collection_id == collection_id)
    }

    /// The query with this ID.
    pub fn query(&self, id: &str) -> Option<&Query> {
        self.queries
            .binary_search_by(|q| q.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.queries[i])
    }

    /// The report with this ID.
    pub fn report(&self, id: u32) -> Option<&Report> {
        self.reports
            .binary_search_by_key(&id, |r| r.id)
            .ok()
            .map(|i| &self.reports[i])
    }

    /// The client with this resource ID.
    pub fn client(&self, resource_id: u32) -> Option<&Client> {
        self.clients
            .binary_search_by_key(&resource_id, |c| c.resource_id)
            .ok()
            .map(|i| &self.clients[i])
    }

    /// Clients assigned to a site.
    pub fn clients_assigned_to(&self, code: SiteCode) -> impl Iterator<Item = &Client> + '_ {
        self.clients
            .iter()
            .filter(move |c| c.assigned_site == Some(code))
    }

    /// Sites in top-down order: every parent before its children, siblings by code.
    /// Sites in a parent cycle or under a missing parent come last, by code.
    pub fn sites_top_down(&self) -> Vec<&Site> {
        let mut order: Vec<&Site> = Vec::with_capacity(self.sites.len());
        let mut stack: Vec<&Site> = self.central_sites().collect();
        stack.reverse();
        while let Some(site) = stack.pop() {
            if order.iter().any(|s| s.code == site.code) {
                continue;
            }
            order.push(site);
            let mut kids: Vec<&Site> = self.children(site.code).collect();
            kids.reverse();
            stack.extend(kids);
        }
        for site in &self.sites {
            if !order.iter().any(|s| s.code == site.code) {
                order.push(site);
            }
        }
        order
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> SiteCode {
        SiteCode::parse(s).unwrap()
    }

    #[test]
    fn service_pack_from_build() {
        assert_eq!(sms2003_service_pack(2726), Some(0));
        assert_eq!(sms2003_service_pack(3174), Some(1));
        assert_eq!(sms2003_service_pack(3200), Some(1));
        assert_eq!(sms2003_service_pack(4160), Some(2));
        assert_eq!(sms2003_service_pack(4253), Some(3));
        assert_eq!(sms2003_service_pack(1493), None);
    }

    fn site(c: &str, parent: Option<&str>) -> Site {
        Site {
            code: code(c),
            name: c.to_owned(),
            parent: parent.map(code),
            site_type: SiteType::Primary,
            version: "2.50.4160.2000".to_owned(),
            build: 4160,
            service_pack: Some(2),
            security_mode: Some(SecurityMode::Advanced),
            server_name: format!("SMS{c}"),
            install_dir: None,
            server_os: None,
            server_os_version: None,
            server_os_sp: None,
            dotnet20: None,
            sql_server: None,
            sql_version: None,
            sql_service_pack: None,
            database_name: None,
            feature_packs: Vec::new(),
            sql_replication: None,
        }
    }

    #[test]
    fn hierarchy_helpers() {
        let mut inv = Inventory {
            sites: vec![
                site("BMT", Some("HOU")),
                site("HOU", None),
                site("DAL", Some("HOU")),
                site("AUS", Some("DAL")),
            ],
            ..Inventory::default()
        };
        inv.normalize();
        assert_eq!(inv.site(code("DAL")).unwrap().name, "DAL");
        assert_eq!(inv.ancestors(code("AUS")), vec![code("DAL"), code("HOU")]);
        let order: Vec<&str> = inv
            .sites_top_down()
            .iter()
            .map(|s| s.code.as_str())
            .collect();
        assert_eq!(order, ["HOU", "BMT", "DAL", "AUS"]);
        assert_eq!(inv.sites[0].product(), SiteProduct::Sms2003);
    }
}
