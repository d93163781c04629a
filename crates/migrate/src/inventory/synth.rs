//! Synthetic hierarchies of any size, deterministic from a seed, for benchmarks and property
//! tests; and the curated sample hierarchy of `testdata/hierarchy/` ([`sample`]).
//!
//! The generator uses its own small PRNG ([`Rng`], SplitMix64) so that output never changes
//! with a dependency's version: the same seed and sizes give the same inventory, byte for byte
//! once written.

mod sample;

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};

pub use sample::sample;

use super::model::{
    sms2003_service_pack, Advertisement, Boundary, BoundaryKind, Client, ClientType, Collection,
    CollectionRule, Inventory, Package, Program, Query, Report, RoamingKind, SecurityMode, Site,
    SiteCode, SiteType,
};

/// SplitMix64: tiny, fast, and good enough for test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        // Multiply-shift maps 64 random bits onto 0..n without a modulo bias worth caring about.
        ((u128::from(self.next_u64()) * u128::from(n.max(1))) >> 64) as u64
    }

    /// True with probability `percent`/100.
    pub fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Index chosen by weight.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        let mut x = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if x < u64::from(*w) {
                return i;
            }
            x -= u64::from(*w);
        }
        weights.len() - 1
    }

    /// An SMS-style GUID, `GUID:XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX`.
    pub fn sms_guid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        format!(
            "GUID:{:08X}-{:04X}-{:04X}-{:04X}-{:012X}",
            a >> 32,
            (a >> 16) & 0xFFFF,
            a & 0xFFFF,
            b >> 48,
            b & 0xFFFF_FFFF_FFFF
        )
    }

    /// An SMS hardware ID, `2:` and 40 hex digits.
    pub fn hardware_id(&mut self) -> String {
        let mut s = String::from("2:");
        for _ in 0..5 {
            s.push_str(&format!("{:08X}", self.next_u64() >> 32));
        }
        s
    }
}

/// Sizes of a synthetic hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthConfig {
    /// PRNG seed.
    pub seed: u64,
    /// Number of sites (at least 1; the first is the central primary).
    pub sites: usize,
    /// Number of boundaries across all sites.
    pub boundaries: usize,
    /// Number of discovered resources.
    pub clients: usize,
    /// Number of collections besides the built-in ones.
    pub collections: usize,
    /// Number of packages (each with one or two programs and an advertisement).
    pub packages: usize,
}

impl SynthConfig {
    /// A small hierarchy for property tests.
    pub fn small(seed: u64) -> Self {
        Self {
            seed,
            sites: 6,
            boundaries: 30,
            clients: 60,
            collections: 8,
            packages: 4,
        }
    }
}

/// An operating system as SMS 2003 inventories it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OsProfile {
    caption: &'static str,
    version: &'static str,
    build: u32,
    service_pack: u8,
    discovery_name: &'static str,
}

pub(crate) const W2K_SP4: OsProfile = OsProfile {
    caption: "Microsoft Windows 2000 Professional",
    version: "5.0.2195",
    build: 2195,
    service_pack: 4,
    discovery_name: "Microsoft Windows NT Workstation 5.0",
};
pub(crate) const W2K_SP3: OsProfile = OsProfile {
    service_pack: 3,
    ..W2K_SP4
};
pub(crate) const XP_SP2: OsProfile = OsProfile {
    caption: "Microsoft Windows XP Professional",
    version: "5.1.2600",
    build: 2600,
    service_pack: 2,
    discovery_name: "Microsoft Windows NT Workstation 5.1",
};
pub(crate) const XP_SP1: OsProfile = OsProfile {
    service_pack: 1,
    ..XP_SP2
};
pub(crate) const VISTA: OsProfile = OsProfile {
    caption: "Microsoft\u{ae} Windows Vista\u{2122} Business",
    version: "6.0.6000",
    build: 6000,
    service_pack: 0,
    discovery_name: "Microsoft Windows NT Workstation 6.0",
};
pub(crate) const NT4: OsProfile = OsProfile {
    caption: "Microsoft Windows NT Workstation",
    version: "4.0",
    build: 1381,
    service_pack: 6,
    discovery_name: "Microsoft Windows NT Workstation 4.0",
};
pub(crate) const W2003: OsProfile = OsProfile {
    caption: "Microsoft(R) Windows(R) Server 2003, Standard Edition",
    version: "5.2.3790",
    build: 3790,
    service_pack: 2,
    discovery_name: "Microsoft Windows NT Server 5.2",
};

/// SMS 2003 versions by service pack (0 = RTM).
pub(crate) const SMS_VERSIONS: [&str; 4] = [
    "2.50.2726.0000",
    "2.50.3174.1018",
    "2.50.4160.2000",
    "2.50.4253.3000",
];

/// Everything a new client needs besides the random parts.
pub(crate) struct ClientSpec<'a> {
    pub(crate) resource_id: u32,
    pub(crate) name: String,
    pub(crate) site: Option<SiteCode>,
    pub(crate) os: Option<OsProfile>,
    pub(crate) client_type: Option<ClientType>,
    pub(crate) client_version: &'a str,
    pub(crate) address: Option<Ipv4Addr>,
    pub(crate) ad_site: Option<String>,
    pub(crate) inconsistent_guid: bool,
}

pub(crate) fn make_client(rng: &mut Rng, spec: ClientSpec<'_>) -> Client {
    let installed = spec.client_type.is_some();
    let sms_guid = installed.then(|| rng.sms_guid());
    let machine_id_guid = match (&sms_guid, spec.inconsistent_guid) {
        (Some(_), true) => Some(rng.sms_guid()),
        (guid, _) => guid.clone(),
    };
    let (ip_addresses, ip_subnets) = match spec.address {
        Some(addr) => (
            vec![IpAddr::V4(addr)],
            vec![Ipv4Addr::from(u32::from(addr) & 0xFFFF_FF00)],
        ),
        None => (Vec::new(), Vec::new()),
    };
    Client {
        resource_id: spec.resource_id,
        name: spec.name,
        sms_guid,
        hardware_id: Some(rng.hardware_id()),
        machine_id_guid,
        client_installed: installed,
        client_type: spec.client_type,
        client_version: installed.then(|| spec.client_version.to_owned()),
        obsolete: false,
        domain: Some("CORP".to_owned()),
        os_name_and_version: spec.os.map(|o| o.discovery_name.to_owned()),
        os_name: spec.os.filter(|_| installed).map(|o| o.caption.to_owned()),
        os_version: spec.os.filter(|_| installed).map(|o| o.version.to_owned()),
        os_build: spec.os.filter(|_| installed).map(|o| o.build),
        os_service_pack: spec.os.filter(|_| installed).map(|o| o.service_pack),
        ip_addresses,
        ip_subnets,
        ad_site: spec.ad_site,
        assigned_site: spec.site,
    }
}

/// The `i`-th synthetic site code: `AAA`, `AAB`, ... (A–Z then 0–9 in each place).
pub fn synth_code(i: usize) -> SiteCode {
    const ALPHABET: &[u8; 36] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let code = [
        ALPHABET[(i / 1296) % 36],
        ALPHABET[(i / 36) % 36],
        ALPHABET[i % 36],
    ];
    let text = std::str::from_utf8(&code).expect("the alphabet is ASCII");
    SiteCode::parse(text).expect("the alphabet holds only A-Z and 0-9")
}

/// Generate a hierarchy of the configured size.
pub fn generate(cfg: &SynthConfig) -> Inventory {
    let mut rng = Rng::new(cfg.seed);
    let sites = gen_sites(&mut rng, cfg.sites.max(1));
    let boundaries = gen_boundaries(&mut rng, &sites, cfg.boundaries);
    let primaries: Vec<SiteCode> = sites
        .iter()
        .filter(|s| s.site_type == SiteType::Primary)
        .map(|s| s.code)
        .collect();
    let subnets_by_site = subnet_index(&boundaries, &sites);
    let os_choices = [
        W2K_SP4, W2K_SP3, XP_SP1, XP_SP2, XP_SP2, XP_SP2, VISTA, NT4, W2003,
    ];
    let mut clients = Vec::with_capacity(cfg.clients);
    for i in 0..cfg.clients {
        let site = *rng.pick(&primaries);
        let os = *rng.pick(&os_choices);
        let client_type = match rng.below(100) {
            0..=4 => None,
            5..=19 => Some(ClientType::Legacy),
            _ if os.build == NT4.build => Some(ClientType::Legacy),
            _ => Some(ClientType::Advanced),
        };
        let address = pick_address(&mut rng, &subnets_by_site, site);
        let version = SMS_VERSIONS[1 + rng.below(3) as usize];
        let inconsistent_guid = rng.percent(1);
        clients.push(make_client(
            &mut rng,
            ClientSpec {
                resource_id: 16_777_216 + i as u32,
                name: format!("WS{i:07}"),
                site: Some(site),
                os: Some(os),
                client_type,
                client_version: version,
                address,
                ad_site: Some(format!("{site}-Site")),
                inconsistent_guid,
            },
        ));
    }
    let collections = gen_collections(&mut rng, &primaries, &clients, cfg.collections);
    let (packages, programs, advertisements) =
        gen_software(&mut rng, &primaries, &collections, cfg.packages);
    let mut inv = Inventory {
        sites,
        boundaries,
        collections,
        packages,
        programs,
        advertisements,
        queries: gen_queries(&primaries),
        reports: gen_reports(),
        clients,
    };
    inv.normalize();
    inv
}

fn gen_sites(rng: &mut Rng, count: usize) -> Vec<Site> {
    let mut sites: Vec<Site> = Vec::with_capacity(count);
    for i in 0..count {
        let code = synth_code(i);
        let primaries: Vec<SiteCode> = sites
            .iter()
            .filter(|s| s.site_type == SiteType::Primary)
            .map(|s| s.code)
            .collect();
        let parent = (i > 0).then(|| *rng.pick(&primaries));
        let site_type = if i > 0 && rng.percent(35) {
            SiteType::Secondary
        } else {
            SiteType::Primary
        };
        let sp = 1 + rng.below(3) as usize;
        sites.push(site(
            code,
            &format!("Site {code}"),
            parent,
            site_type,
            sp,
            if rng.percent(70) {
                SecurityMode::Advanced
            } else {
                SecurityMode::Standard
            },
        ));
    }
    sites
}

/// A site with typical server facts; primaries get SQL Server 2005 SP2.
pub(crate) fn site(
    code: SiteCode,
    name: &str,
    parent: Option<SiteCode>,
    site_type: SiteType,
    sp: usize,
    security: SecurityMode,
) -> Site {
    let version = SMS_VERSIONS[sp.min(3)];
    let build: u32 = version
        .split('.')
        .nth(2)
        .and_then(|b| b.parse().ok())
        .unwrap_or(0);
    let primary = site_type == SiteType::Primary;
    Site {
        code,
        name: name.to_owned(),
        parent,
        site_type,
        version: version.to_owned(),
        build,
        service_pack: sms2003_service_pack(build),
        security_mode: Some(security),
        server_name: format!("{code}SMS01"),
        install_dir: Some("D:\\SMS".to_owned()),
        server_os: Some(W2003.caption.replace("Standard", "Enterprise")),
        server_os_version: Some(W2003.version.to_owned()),
        server_os_sp: Some(2),
        dotnet20: Some(true),
        sql_server: primary.then(|| format!("{code}SQL01")),
        sql_version: primary.then(|| "9.00.3042.00".to_owned()),
        sql_service_pack: primary.then_some(2),
        database_name: primary.then(|| format!("SMS_{code}")),
        feature_packs: vec!["ITMU".to_owned()],
        sql_replication: primary.then_some(false),
    }
}

fn gen_boundaries(rng: &mut Rng, sites: &[Site], count: usize) -> Vec<Boundary> {
    let mut out = Vec::with_capacity(count);
    for j in 0..count {
        let site = sites[j % sites.len()].code;
        let base = 0x0A00_0000u32.wrapping_add((j as u32) << 8);
        let kind = [
            BoundaryKind::IpSubnet,
            BoundaryKind::IpRange,
            BoundaryKind::AdSite,
            BoundaryKind::Ipv6Prefix,
        ][rng.weighted(&[70, 15, 10, 5])];
        let value = match kind {
            BoundaryKind::IpSubnet => Ipv4Addr::from(base).to_string(),
            BoundaryKind::IpRange => format!(
                "{}-{}",
                Ipv4Addr::from(base + 1),
                Ipv4Addr::from(base + 254)
            ),
            BoundaryKind::AdSite => format!("ADSITE-{j}"),
            BoundaryKind::Ipv6Prefix => format!("2001:0db8:{:04x}:{:04x}", j >> 16, j & 0xFFFF),
        };
        let roaming = match rng.below(100) {
            // SMS 2003 site boundaries are IP subnets and AD sites only.
            0..=79 if kind.sms2003_site_boundary() => None,
            0..=94 => Some(RoamingKind::Local),
            _ => Some(RoamingKind::Remote),
        };
        if let Ok(b) = Boundary::new(site, kind, &value, roaming) {
            out.push(b);
        }
    }
    out
}

/// Subnet-ID site boundaries per site, for placing clients inside their site. (Looked up by
/// code: a scan of the sites per boundary and per client is quadratic at bench sizes.)
fn subnet_index(boundaries: &[Boundary], sites: &[Site]) -> HashMap<SiteCode, Vec<u32>> {
    let mut index: HashMap<SiteCode, Vec<u32>> =
        sites.iter().map(|s| (s.code, Vec::new())).collect();
    let by_code: HashMap<SiteCode, &Site> = sites.iter().map(|s| (s.code, s)).collect();
    for b in boundaries {
        if let (super::model::BoundaryValue::IpSubnet { subnet_id }, None) = (&b.parsed, b.roaming)
        {
            // Clients of a secondary's boundaries are assigned to its parent primary.
            let owner = by_code.get(&b.site_code).and_then(|s| match s.site_type {
                SiteType::Primary => Some(s.code),
                SiteType::Secondary => s.parent,
            });
            if let Some(entry) = owner.and_then(|o| index.get_mut(&o)) {
                entry.push(*subnet_id);
            }
        }
    }
    index
}

fn pick_address(
    rng: &mut Rng,
    index: &HashMap<SiteCode, Vec<u32>>,
    site: SiteCode,
) -> Option<Ipv4Addr> {
    let subnets = index.get(&site)?;
    if subnets.is_empty() {
        return None;
    }
    let subnet = *rng.pick(subnets);
    Some(Ipv4Addr::from(subnet + 1 + rng.below(254) as u32))
}

/// A collection with one query rule named like the collection, limited to `limit_to` if given.
fn query_collection(id: &str, name: &str, wql: &str, limit_to: Option<&str>) -> Collection {
    Collection {
        id: id.to_owned(),
        name: name.to_owned(),
        comment: None,
        rules: vec![CollectionRule::Query {
            name: name.to_owned(),
            wql: wql.to_owned(),
            limit_to: limit_to.map(str::to_owned),
        }],
        subcollections: Vec::new(),
    }
}

/// The built-in collections every SMS 2003 site has (a subset).
pub(crate) fn builtin_collections() -> Vec<Collection> {
    let query = |id: &str, name: &str, wql: &str| query_collection(id, name, wql, None);
    vec![
        query("SMS00001", "All Systems", "select * from SMS_R_System"),
        query(
            "SMS00004",
            "All Windows Workstation or Professional Systems",
            "select * from SMS_R_System where OperatingSystemNameandVersion like \"%Workstation%\"",
        ),
    ]
}

fn gen_collections(
    rng: &mut Rng,
    primaries: &[SiteCode],
    clients: &[Client],
    count: usize,
) -> Vec<Collection> {
    let mut cols = builtin_collections();
    for i in 0..count {
        let owner = *rng.pick(primaries);
        let id = format!("{owner}{:05X}", 0x10 + i);
        let rules = if clients.is_empty() || rng.percent(60) {
            vec![CollectionRule::Query {
                name: format!("Systems of {owner}"),
                wql: format!("select * from SMS_R_System where SMSAssignedSites = \"{owner}\""),
                limit_to: Some("SMS00001".to_owned()),
            }]
        } else {
            (0..3)
                .map(|_| {
                    let c = rng.pick(clients);
                    CollectionRule::Direct {
                        resource_id: c.resource_id,
                        name: c.name.clone(),
                    }
                })
                .collect()
        };
        let parent = rng.below(cols.len() as u64) as usize;
        cols[parent].subcollections.push(id.clone());
        cols.push(Collection {
            id,
            name: format!("Collection {i}"),
            comment: None,
            rules,
            subcollections: Vec::new(),
        });
    }
    for c in &mut cols {
        c.subcollections.sort();
        c.subcollections.dedup();
    }
    cols
}

fn gen_software(
    rng: &mut Rng,
    primaries: &[SiteCode],
    collections: &[Collection],
    count: usize,
) -> (Vec<Package>, Vec<Program>, Vec<Advertisement>) {
    let (mut packages, mut programs, mut ads) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..count {
        let owner = *rng.pick(primaries);
        let id = format!("{owner}{:05X}", 0x100 + i);
        packages.push(Package {
            id: id.clone(),
            name: format!("Application {i}"),
            version: Some("1.0".to_owned()),
            manufacturer: Some("Contoso".to_owned()),
            language: Some("English".to_owned()),
            description: None,
            source_path: Some(format!("\\\\{owner}SMS01\\Source$\\App{i}")),
            source_site: Some(owner),
        });
        programs.push(Program {
            package_id: id.clone(),
            name: "Install".to_owned(),
            command_line: "msiexec /i app.msi /qn".to_owned(),
            comment: None,
            flags: Some(0x0000_1000),
            dependent_program: None,
        });
        if rng.percent(50) {
            programs.push(Program {
                package_id: id.clone(),
                name: "Uninstall".to_owned(),
                command_line: "msiexec /x app.msi /qn".to_owned(),
                comment: None,
                flags: Some(0x0000_1000),
                dependent_program: None,
            });
        }
        let target = rng.pick(collections);
        ads.push(Advertisement {
            id: format!("{owner}2{:04X}", i),
            name: format!("Application {i} to {}", target.name),
            package_id: id,
            program_name: "Install".to_owned(),
            collection_id: target.id.clone(),
            source_site: Some(owner),
            include_subcollections: Some(true),
        });
    }
    (packages, programs, ads)
}

fn gen_queries(primaries: &[SiteCode]) -> Vec<Query> {
    primaries
        .iter()
        .take(3)
        .enumerate()
        .map(|(i, site)| Query {
            id: format!("{site}{:05X}", 0x200 + i),
            name: format!("Clients assigned to {site}"),
            comments: None,
            target_class: Some("SMS_R_System".to_owned()),
            expression: format!("select * from SMS_R_System where SMSAssignedSites = \"{site}\""),
            limit_to: None,
        })
        .collect()
}

fn gen_reports() -> Vec<Report> {
    vec![Report {
        id: 1,
        name: "Computers by assigned site".to_owned(),
        category: Some("Site - Client Information".to_owned()),
        comment: None,
        sql: "SELECT asg.SMS_Assigned_Sites0, COUNT(*) FROM v_RA_System_SMSAssignedSites asg \
              GROUP BY asg.SMS_Assigned_Sites0"
            .to_owned(),
        security_key: None,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_deterministic_and_in_range() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
            assert!(a.below(10) < 10);
            b.below(10);
        }
        assert!(Rng::new(1).sms_guid().starts_with("GUID:"));
        assert_eq!(Rng::new(1).sms_guid().len(), 41);
        assert_eq!(Rng::new(1).hardware_id().len(), 42);
    }

    #[test]
    fn synth_codes_are_valid_and_distinct() {
        let codes: Vec<SiteCode> = (0..2000).map(synth_code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), codes.len());
        assert_eq!(synth_code(0).as_str(), "AAA");
    }

    #[test]
    fn generate_is_deterministic_and_consistent() {
        let cfg = SynthConfig::small(42);
        let a = generate(&cfg);
        assert_eq!(a, generate(&cfg));
        assert_ne!(a, generate(&SynthConfig::small(43)));
        assert_eq!(a.sites.len(), 6);
        assert_eq!(a.clients.len(), 60);
        assert_eq!(a.central_sites().count(), 1);
        for c in &a.clients {
            let site = c.assigned_site.and_then(|s| a.site(s)).unwrap();
            assert_eq!(site.site_type, SiteType::Primary);
        }
        for s in &a.sites {
            if let Some(p) = s.parent {
                assert_eq!(a.site(p).unwrap().site_type, SiteType::Primary);
            }
        }
    }
}
