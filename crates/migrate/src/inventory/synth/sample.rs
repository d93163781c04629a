//! The sample hierarchy committed in `testdata/hierarchy/`, shaped like the examples of the
//! ConfigMgr 2007 migration chapter (seed 002): central primary HOU (Houston) with the
//! secondary BMT (Beaumont) beneath it, child primaries, SMS 2003 RTM/SP1/SP2/SP3 sites in
//! standard and advanced security, legacy and advanced clients on Windows NT 4.0, 2000, XP and
//! Vista, a few inconsistent client GUIDs, and site and roaming boundaries that overlap.

use std::net::Ipv4Addr;

use super::{
    builtin_collections, make_client, query_collection, site, ClientSpec, OsProfile, Rng, NT4,
    SMS_VERSIONS, VISTA, W2003, W2K_SP3, W2K_SP4, XP_SP1, XP_SP2,
};
use crate::inventory::model::{
    Advertisement, Boundary, BoundaryKind, ClientType, Collection, CollectionRule, Inventory,
    Package, Program, Query, Report, RoamingKind, SecurityMode, SiteCode, SiteType,
};

fn code(text: &str) -> SiteCode {
    SiteCode::parse(text).expect("sample site codes are valid")
}

/// Build the sample hierarchy (deterministic).
pub fn sample() -> Inventory {
    let mut inv = Inventory {
        sites: sample_sites(),
        boundaries: sample_boundaries(),
        ..Inventory::default()
    };
    inv.clients = sample_clients();
    inv.collections = sample_collections(&inv);
    sample_software(&mut inv);
    inv.normalize();
    inv
}

fn sample_sites() -> Vec<crate::inventory::model::Site> {
    use SecurityMode::{Advanced, Standard};
    use SiteType::{Primary, Secondary};
    let hou = code("HOU");
    let dal = code("DAL");
    let sat = code("SAT");
    let aus = code("AUS");
    let mut sites = vec![
        site(hou, "Houston", None, Primary, 2, Advanced),
        site(code("BMT"), "Beaumont", Some(hou), Secondary, 2, Advanced),
        site(code("GAL"), "Galveston", Some(hou), Secondary, 1, Standard),
        site(dal, "Dallas", Some(hou), Primary, 3, Advanced),
        site(code("FTW"), "Fort Worth", Some(dal), Secondary, 3, Advanced),
        site(sat, "San Antonio", Some(hou), Primary, 1, Standard),
        site(
            code("CRP"),
            "Corpus Christi",
            Some(sat),
            Secondary,
            1,
            Standard,
        ),
        site(aus, "Austin", Some(sat), Primary, 2, Standard),
        site(code("ELP"), "El Paso", Some(aus), Secondary, 0, Standard),
    ];
    for s in &mut sites {
        match s.code.as_str() {
            // SQL Server 2000 SP4 on Windows 2000: the site that must use the offline route.
            "SAT" => {
                s.server_os = Some("Microsoft Windows 2000 Server".to_owned());
                s.server_os_version = Some("5.0.2195".to_owned());
                s.server_os_sp = Some(4);
                s.dotnet20 = Some(false);
                s.sql_version = Some("8.00.2039".to_owned());
                s.sql_service_pack = Some(4);
                s.sql_replication = Some(true);
                s.feature_packs = vec!["ITMU".to_owned(), "OSD".to_owned()];
            }
            // SQL Server 2005 SP1 on Windows Server 2003 SP1 without .NET 2.0.
            "AUS" => {
                s.server_os_sp = Some(1);
                s.dotnet20 = Some(false);
                s.sql_version = Some("9.00.2047.00".to_owned());
                s.sql_service_pack = Some(1);
                s.feature_packs = vec!["DMFP".to_owned(), "ITMU".to_owned()];
            }
            "GAL" | "CRP" => s.server_os_sp = Some(1),
            "ELP" => {
                s.server_os_sp = Some(1);
                s.dotnet20 = None;
                s.feature_packs = Vec::new();
            }
            _ => {}
        }
    }
    sites
}

fn sample_boundaries() -> Vec<Boundary> {
    use BoundaryKind::{AdSite, IpRange, IpSubnet, Ipv6Prefix};
    use RoamingKind::{Local, Remote};
    // Site boundaries are IP subnets and AD sites only, as SMS 2003 allows; IP ranges and IPv6
    // prefixes are roaming boundaries (see `BoundaryKind::sms2003_site_boundary`).
    let rows: &[(&str, BoundaryKind, &str, Option<RoamingKind>)] = &[
        ("HOU", IpSubnet, "10.1.0.0", None),
        ("HOU", IpSubnet, "10.1.1.0", None),
        ("HOU", IpSubnet, "10.1.2.0", None),
        ("HOU", AdSite, "Houston-HQ", None),
        ("HOU", IpRange, "10.1.16.1-10.1.31.254", Some(Local)),
        ("HOU", Ipv6Prefix, "2001:0db8:0001:0001", Some(Local)),
        ("HOU", IpRange, "10.1.0.1-10.1.63.254", Some(Local)),
        ("HOU", AdSite, "Houston-VPN", Some(Remote)),
        ("BMT", IpSubnet, "10.2.0.0", None),
        ("BMT", IpSubnet, "10.2.1.0", None),
        ("BMT", AdSite, "Beaumont", None),
        // Overlaps HOU's local roaming ranges.
        ("BMT", IpRange, "10.1.30.1-10.1.40.254", Some(Local)),
        ("GAL", IpSubnet, "10.3.0.0", None),
        ("GAL", IpRange, "10.3.8.1-10.3.15.254", Some(Local)),
        ("DAL", IpSubnet, "10.20.0.0", None),
        ("DAL", IpSubnet, "10.20.1.0", None),
        ("DAL", IpSubnet, "10.20.2.0", None),
        ("DAL", AdSite, "Dallas", None),
        ("DAL", IpRange, "10.21.0.1-10.21.255.254", Some(Remote)),
        // Inside DAL's remote roaming range.
        ("FTW", IpSubnet, "10.21.4.0", None),
        ("FTW", AdSite, "FortWorth", None),
        ("SAT", IpSubnet, "10.30.0.0", None),
        ("SAT", IpSubnet, "10.30.1.0", None),
        ("SAT", IpRange, "10.30.64.1-10.30.127.254", Some(Local)),
        ("SAT", AdSite, "SanAntonio", None),
        ("CRP", IpSubnet, "10.31.0.0", None),
        ("CRP", IpRange, "10.31.0.1-10.31.3.254", Some(Local)),
        ("AUS", IpSubnet, "10.40.0.0", None),
        ("AUS", IpSubnet, "10.40.1.0", None),
        ("AUS", AdSite, "Austin", None),
        // Claimed by SAT as well.
        ("AUS", AdSite, "SanAntonio", Some(Local)),
        // SMS's own form of a /64 prefix.
        ("AUS", Ipv6Prefix, "2001:db8:40::", Some(Local)),
        ("ELP", IpSubnet, "10.41.0.0", None),
    ];
    rows.iter()
        .map(|(site, kind, value, roaming)| {
            Boundary::new(code(site), *kind, value, *roaming).expect("sample boundaries parse")
        })
        .collect()
}

/// Per primary: subnets its clients live in (its own and its secondaries'), client count,
/// OS mix (weights for W2K SP4, W2K SP3, XP SP1, XP SP2, Vista, NT 4.0, Server 2003),
/// percentage of legacy clients, and the client version its advanced clients run.
struct Population {
    site: &'static str,
    subnets: &'static [[u8; 3]],
    clients: usize,
    os_weights: [u32; 7],
    legacy_percent: u64,
    version: &'static str,
}

const POPULATIONS: &[Population] = &[
    Population {
        site: "HOU",
        subnets: &[
            [10, 1, 0],
            [10, 1, 1],
            [10, 1, 2],
            [10, 2, 0],
            [10, 2, 1],
            [10, 3, 0],
        ],
        clients: 140,
        os_weights: [20, 3, 15, 50, 0, 2, 10],
        legacy_percent: 5,
        version: SMS_VERSIONS[2],
    },
    Population {
        site: "DAL",
        subnets: &[[10, 20, 0], [10, 20, 1], [10, 20, 2], [10, 21, 4]],
        clients: 110,
        os_weights: [10, 0, 10, 55, 15, 0, 10],
        legacy_percent: 3,
        version: SMS_VERSIONS[3],
    },
    Population {
        site: "SAT",
        subnets: &[[10, 30, 0], [10, 30, 1], [10, 31, 0]],
        clients: 90,
        os_weights: [35, 5, 20, 25, 0, 8, 7],
        legacy_percent: 30,
        version: SMS_VERSIONS[1],
    },
    Population {
        site: "AUS",
        subnets: &[[10, 40, 0], [10, 40, 1], [10, 41, 0]],
        clients: 70,
        os_weights: [30, 5, 20, 30, 0, 5, 10],
        legacy_percent: 20,
        version: SMS_VERSIONS[2],
    },
];

const OS_TABLE: [OsProfile; 7] = [W2K_SP4, W2K_SP3, XP_SP1, XP_SP2, VISTA, NT4, W2003];

fn sample_clients() -> Vec<crate::inventory::model::Client> {
    let mut rng = Rng::new(2003);
    let mut clients = Vec::new();
    let mut next_id = 16_777_220u32;
    for pop in POPULATIONS {
        let site = code(pop.site);
        for n in 0..pop.clients {
            let os = OS_TABLE[rng.weighted(&pop.os_weights)];
            let is_server = os.build == W2003.build;
            // NT 4.0 only runs the Legacy Client; Vista only the SP3 Advanced Client.
            let legacy = rng.percent(pop.legacy_percent);
            let client_type = if os.build == NT4.build || (legacy && os.build != VISTA.build) {
                Some(ClientType::Legacy)
            } else {
                Some(ClientType::Advanced)
            };
            let [a, b, c] = *rng.pick(pop.subnets);
            let address = Ipv4Addr::new(a, b, c, 10 + rng.below(240) as u8);
            let prefix = if is_server { "SRV" } else { "WS" };
            let inconsistent_guid = rng.percent(2);
            let client = make_client(
                &mut rng,
                ClientSpec {
                    resource_id: next_id,
                    name: format!("{}-{prefix}{:03}", pop.site, n + 1),
                    site: Some(site),
                    os: Some(os),
                    client_type,
                    client_version: pop.version,
                    address: Some(address),
                    ad_site: Some(ad_site_of(pop.site, c)),
                    // Imaged machines that kept another machine's identity.
                    inconsistent_guid,
                },
            );
            clients.push(client);
            next_id += 1;
        }
    }
    // Discovered by network or AD discovery but never got a client.
    for n in 0..12u32 {
        let pop = &POPULATIONS[(n % 4) as usize];
        let [a, b, c] = *rng.pick(pop.subnets);
        let client = make_client(
            &mut rng,
            ClientSpec {
                resource_id: next_id,
                name: format!("{}-NEW{:03}", pop.site, n + 1),
                site: None,
                os: Some(XP_SP2),
                client_type: None,
                client_version: "",
                address: Some(Ipv4Addr::new(a, b, c, 250)),
                ad_site: Some(ad_site_of(pop.site, c)),
                inconsistent_guid: false,
            },
        );
        clients.push(client);
        next_id += 1;
    }
    clients
}

fn ad_site_of(site: &str, third_octet: u8) -> String {
    match (site, third_octet) {
        ("HOU", 0..=2) => "Houston-HQ",
        ("HOU", _) => "Beaumont",
        ("DAL", 4) => "FortWorth",
        ("DAL", _) => "Dallas",
        ("SAT", _) => "SanAntonio",
        _ => "Austin",
    }
    .to_owned()
}

fn sample_collections(inv: &Inventory) -> Vec<Collection> {
    let mut cols = builtin_collections();
    let direct = |id: &str, name: &str, prefix: &str, count: usize| Collection {
        id: id.to_owned(),
        name: name.to_owned(),
        comment: Some("Members added by hand".to_owned()),
        rules: inv
            .clients
            .iter()
            .filter(|c| c.name.starts_with(prefix) && c.client_installed)
            .take(count)
            .map(|c| CollectionRule::Direct {
                resource_id: c.resource_id,
                name: c.name.clone(),
            })
            .collect(),
        subcollections: Vec::new(),
    };
    cols[0].subcollections = vec!["HOU00010".to_owned(), "SAT00001".to_owned()];
    let mut houston = query_collection(
        "HOU00010",
        "Houston Workstations",
        "select * from SMS_R_System where SMSAssignedSites = \"HOU\" and \
         OperatingSystemNameandVersion like \"%Workstation%\"",
        Some("SMS00001"),
    );
    houston.subcollections = vec!["HOU00011".to_owned(), "HOU00012".to_owned()];
    cols.push(houston);
    cols.push(query_collection(
        "HOU00011",
        "Windows XP SP1 Workstations",
        "select * from SMS_R_System inner join SMS_G_System_OPERATING_SYSTEM on \
         SMS_G_System_OPERATING_SYSTEM.ResourceID = SMS_R_System.ResourceId where \
         SMS_G_System_OPERATING_SYSTEM.CSDVersion = \"Service Pack 1\"",
        Some("HOU00010"),
    ));
    cols.push(direct("HOU00012", "Upgrade Pilot", "HOU-WS", 6));
    cols.push(query_collection(
        "DAL00001",
        "Dallas Servers",
        "select * from SMS_R_System where SMSAssignedSites = \"DAL\" and \
         OperatingSystemNameandVersion like \"%Server%\"",
        None,
    ));
    cols.push(query_collection(
        "SAT00001",
        "Legacy Clients",
        "select * from SMS_R_System where ClientType = 0 and Client = 1",
        None,
    ));
    cols.push(direct("AUS00002", "Austin Lab", "AUS-WS", 4));
    cols
}

fn sample_software(inv: &mut Inventory) {
    let package = |id: &str, name: &str, version: &str, maker: &str, site: &str| Package {
        id: id.to_owned(),
        name: name.to_owned(),
        version: Some(version.to_owned()),
        manufacturer: Some(maker.to_owned()),
        language: Some("English".to_owned()),
        description: None,
        source_path: Some(format!("\\\\{site}SMS01\\Source$\\{}", id)),
        source_site: Some(code(site)),
    };
    inv.packages = vec![
        package("HOU00001", "Office 2003 SP3", "11.0", "Microsoft", "HOU"),
        package(
            "HOU00002",
            "SMS 2003 Advanced Client",
            "2.50",
            "Microsoft",
            "HOU",
        ),
        package("DAL00001", "Adobe Reader", "8.1", "Adobe", "DAL"),
        package(
            "SAT00001",
            "Inventory Tool for Microsoft Updates",
            "2.0",
            "Microsoft",
            "SAT",
        ),
    ];
    let program = |pkg: &str, name: &str, cmd: &str, dep: Option<&str>| Program {
        package_id: pkg.to_owned(),
        name: name.to_owned(),
        command_line: cmd.to_owned(),
        comment: None,
        flags: Some(0x0000_1000),
        dependent_program: dep.map(str::to_owned),
    };
    inv.programs = vec![
        program(
            "HOU00001",
            "Per-system unattended",
            "setup.exe /settings unattend.ini /qb",
            None,
        ),
        program(
            "HOU00001",
            "Uninstall",
            "msiexec /x {90110409-6000-11D3-8CFE-0150048383C9} /qn",
            None,
        ),
        program(
            "HOU00002",
            "Advanced Client Silent Upgrade",
            "ccmsetup.exe /noservice SMSSITECODE=AUTO",
            None,
        ),
        program("DAL00001", "Install", "AdbeRdr810_en_US.exe /sPB /rs", None),
        program(
            "SAT00001",
            "Scan",
            "SmsItmuScan.exe /cache",
            Some("<HOU00002><Advanced Client Silent Upgrade>"),
        ),
    ];
    let ad = |id: &str, name: &str, pkg: &str, prog: &str, col: &str, site: &str| Advertisement {
        id: id.to_owned(),
        name: name.to_owned(),
        package_id: pkg.to_owned(),
        program_name: prog.to_owned(),
        collection_id: col.to_owned(),
        source_site: Some(code(site)),
        include_subcollections: Some(true),
    };
    inv.advertisements = vec![
        ad(
            "HOU20001",
            "Office 2003 to Houston",
            "HOU00001",
            "Per-system unattended",
            "HOU00010",
            "HOU",
        ),
        ad(
            "HOU20002",
            "Advanced Client to legacy clients",
            "HOU00002",
            "Advanced Client Silent Upgrade",
            "SAT00001",
            "HOU",
        ),
        ad(
            "DAL20001",
            "Adobe Reader to Dallas servers",
            "DAL00001",
            "Install",
            "DAL00001",
            "DAL",
        ),
        ad(
            "SAT20001",
            "ITMU scan",
            "SAT00001",
            "Scan",
            "SMS00001",
            "SAT",
        ),
    ];
    inv.queries = vec![
        Query {
            id: "HOU00001".to_owned(),
            name: "Windows XP SP1 systems".to_owned(),
            comments: Some("Below the ConfigMgr 2007 client minimum".to_owned()),
            target_class: Some("SMS_R_System".to_owned()),
            expression: "select * from SMS_R_System inner join SMS_G_System_OPERATING_SYSTEM on \
                         SMS_G_System_OPERATING_SYSTEM.ResourceID = SMS_R_System.ResourceId \
                         where SMS_G_System_OPERATING_SYSTEM.BuildNumber = \"2600\" and \
                         SMS_G_System_OPERATING_SYSTEM.CSDVersion = \"Service Pack 1\""
                .to_owned(),
            limit_to: None,
        },
        Query {
            id: "SAT00002".to_owned(),
            name: "Legacy clients".to_owned(),
            comments: None,
            target_class: Some("SMS_R_System".to_owned()),
            expression: "select Name, SMSAssignedSites from SMS_R_System where ClientType = 0"
                .to_owned(),
            limit_to: Some("SMS00001".to_owned()),
        },
    ];
    inv.reports = vec![
        Report {
            id: 401,
            name: "Clients with inconsistent GUIDs".to_owned(),
            category: Some("Migration".to_owned()),
            comment: Some("Same check as the ConfigMgr 2007 prerequisite checker".to_owned()),
            sql: "select Netbios_Name0, SMS_Unique_Identifier0, GUID from System_DISC sys \
                  join MachineIdGroupXRef xref on sys.ItemKey = xref.MachineID \
                  where IsNULL(SMS_Unique_Identifier0, '') != IsNULL(GUID, '')"
                .to_owned(),
            security_key: None,
        },
        Report {
            id: 402,
            name: "Legacy clients by site".to_owned(),
            category: Some("Migration".to_owned()),
            comment: None,
            sql: "select asg.SMS_Assigned_Sites0, count(*) from v_R_System sys \
                  join v_RA_System_SMSAssignedSites asg on asg.ResourceID = sys.ResourceID \
                  where sys.Client_Type0 = 0 group by asg.SMS_Assigned_Sites0"
                .to_owned(),
            security_key: Some("HOU00005".to_owned()),
        },
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_survives_a_json_round_trip() {
        let inv = sample();
        let json = serde_json::to_string(&inv).unwrap();
        let back: Inventory = serde_json::from_str(&json).unwrap();
        assert_eq!(back, inv);
    }

    #[test]
    fn sample_has_the_promised_shape() {
        let inv = sample();
        let hou = inv.site(code("HOU")).unwrap();
        assert!(hou.is_central());
        let bmt = inv.site(code("BMT")).unwrap();
        assert_eq!(
            (bmt.name.as_str(), bmt.parent),
            ("Beaumont", Some(hou.code))
        );
        assert_eq!(bmt.site_type, SiteType::Secondary);
        let sps: Vec<Option<u8>> = inv.sites.iter().map(|s| s.service_pack).collect();
        for sp in 0..=3 {
            assert!(sps.contains(&Some(sp)), "SP{sp}");
        }
        assert!(inv.clients.len() >= 400);
        let legacy = inv
            .clients
            .iter()
            .filter(|c| c.client_type == Some(ClientType::Legacy))
            .count();
        assert!(legacy > 10);
        assert!(inv
            .clients
            .iter()
            .any(|c| c.sms_guid.is_some() && c.sms_guid != c.machine_id_guid));
        for os in [W2K_SP4, XP_SP1, XP_SP2, VISTA, NT4] {
            assert!(inv.clients.iter().any(
                |c| c.os_build == Some(os.build) && c.os_service_pack == Some(os.service_pack)
            ));
        }
    }
}
