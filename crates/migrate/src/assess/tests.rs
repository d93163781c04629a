//! Unit tests of the assessment on hand-built inventories.

use super::*;
use crate::inventory::{Client, ClientType, Inventory, SecurityMode, Site, SiteCode, SiteType};

fn code(s: &str) -> SiteCode {
    SiteCode::parse(s).unwrap()
}

/// A site that passes every site rule: SMS 2003 SP3, advanced security, Windows Server 2003
/// SP2 with .NET 2.0, SQL Server 2005 SP2 without replication, ITMU only.
fn good_site(c: &str, parent: Option<&str>, site_type: SiteType) -> Site {
    let primary = site_type == SiteType::Primary;
    Site {
        code: code(c),
        name: c.to_owned(),
        parent: parent.map(code),
        site_type,
        version: "2.50.4253.3000".to_owned(),
        build: 4253,
        service_pack: Some(3),
        security_mode: Some(SecurityMode::Advanced),
        server_name: format!("{c}SMS01"),
        install_dir: None,
        server_os: Some("Microsoft(R) Windows(R) Server 2003, Enterprise Edition".to_owned()),
        server_os_version: Some("5.2.3790".to_owned()),
        server_os_sp: Some(2),
        dotnet20: Some(true),
        sql_server: primary.then(|| format!("{c}SQL01")),
        sql_version: primary.then(|| "9.00.3042.00".to_owned()),
        sql_service_pack: primary.then_some(2),
        database_name: primary.then(|| format!("SMS_{c}")),
        feature_packs: Vec::new(),
        sql_replication: primary.then_some(false),
    }
}

fn client(id: u32, name: &str, site: &str, build: u32, sp: u8) -> Client {
    let guid = format!("GUID:{id:08X}-0000-0000-0000-000000000000");
    Client {
        resource_id: id,
        name: name.to_owned(),
        sms_guid: Some(guid.clone()),
        hardware_id: Some(format!("2:{id:040X}")),
        machine_id_guid: Some(guid),
        client_installed: true,
        client_type: Some(ClientType::Advanced),
        client_version: Some("2.50.4253.3000".to_owned()),
        obsolete: false,
        domain: None,
        os_name_and_version: None,
        os_name: Some("Microsoft Windows XP Professional".to_owned()),
        os_version: None,
        os_build: Some(build),
        os_service_pack: Some(sp),
        ip_addresses: Vec::new(),
        ip_subnets: Vec::new(),
        ad_site: None,
        assigned_site: Some(code(site)),
    }
}

fn inventory(sites: Vec<Site>, clients: Vec<Client>) -> Inventory {
    let mut inv = Inventory {
        sites,
        clients,
        ..Inventory::default()
    };
    inv.normalize();
    inv
}

fn codes_at(a: &Assessment, site: &str) -> Vec<&'static str> {
    a.findings_of(code(site)).map(|f| f.code).collect()
}

#[test]
fn a_clean_site_is_ready_with_only_cannot_tell_notes() {
    let inv = inventory(vec![good_site("HOU", None, SiteType::Primary)], vec![]);
    let a = assess(&inv);
    let hou = a.site(code("HOU")).unwrap();
    assert_eq!(hou.verdict, Verdict::Ready);
    assert_eq!(
        codes_at(&a, "HOU"),
        ["A015", "A027", "A034", "A060", "A061", "A062"]
    );
    assert_eq!(
        hou.cannot_tell,
        ["A015", "A027", "A034", "A060", "A061", "A062"]
    );
    assert_eq!(hou.recommendation.strategy, Strategy::InPlace);
    assert!(!a.any_blocked());
}

#[test]
fn order_is_primaries_top_down_then_secondaries() {
    let inv = inventory(
        vec![
            good_site("HOU", None, SiteType::Primary),
            good_site("BMT", Some("HOU"), SiteType::Secondary),
            good_site("DAL", Some("HOU"), SiteType::Primary),
            good_site("AUS", Some("DAL"), SiteType::Primary),
            good_site("ABC", Some("HOU"), SiteType::Primary),
            good_site("FTW", Some("DAL"), SiteType::Secondary),
            good_site("XXX", Some("ZZZ"), SiteType::Primary),
        ],
        vec![],
    );
    let a = assess(&inv);
    let order: Vec<&str> = a
        .sites_in_upgrade_order
        .iter()
        .map(SiteCode::as_str)
        .collect();
    assert_eq!(order, ["HOU", "ABC", "DAL", "AUS", "BMT", "FTW", "XXX"]);
    let steps: Vec<usize> = a.sites.iter().map(|s| s.step).collect();
    assert_eq!(steps, [1, 2, 3, 4, 5, 6, 7]);
    assert!(codes_at(&a, "BMT").contains(&"A052"));
    assert!(codes_at(&a, "XXX").contains(&"A053"));
    assert_eq!(a.site(code("XXX")).unwrap().verdict, Verdict::Blocked);
}

#[test]
fn a_blocked_parent_blocks_its_sms_children_down_the_tree() {
    let mut hou = good_site("HOU", None, SiteType::Primary);
    hou.security_mode = Some(SecurityMode::Standard);
    let inv = inventory(
        vec![
            hou,
            good_site("DAL", Some("HOU"), SiteType::Primary),
            good_site("AUS", Some("DAL"), SiteType::Primary),
            good_site("BMT", Some("HOU"), SiteType::Secondary),
        ],
        vec![],
    );
    let a = assess(&inv);
    for site in ["HOU", "DAL", "AUS", "BMT"] {
        assert_eq!(
            a.site(code(site)).unwrap().verdict,
            Verdict::Blocked,
            "{site}"
        );
    }
    let dal = a
        .findings_of(code("DAL"))
        .find(|f| f.code == "A051")
        .unwrap();
    assert_eq!(dal.evidence.summary, "HOU is blocked by A025");
    let aus = a
        .findings_of(code("AUS"))
        .find(|f| f.code == "A051")
        .unwrap();
    assert_eq!(aus.evidence.summary, "DAL is blocked by A051");
}

#[test]
fn configmgr_child_under_sms_parent() {
    let mut dal = good_site("DAL", Some("HOU"), SiteType::Primary);
    dal.version = "4.00.5931.0000".to_owned();
    dal.build = 5931;
    dal.service_pack = None;
    let inv = inventory(vec![good_site("HOU", None, SiteType::Primary), dal], vec![]);
    let a = assess(&inv);
    assert_eq!(codes_at(&a, "DAL"), ["A050", "A003"]);
    let dal = a.site(code("DAL")).unwrap();
    assert_eq!(dal.recommendation.strategy, Strategy::AlreadyConfigMgr);
    assert_eq!(
        dal.upgrade_path.releases,
        [Release::ServicePack, Release::Complete]
    );
}

#[test]
fn upgrade_path_table() {
    let path = |build: u32, sp: Option<u8>, version: &str| {
        let mut s = good_site("HOU", None, SiteType::Primary);
        s.version = version.to_owned();
        s.build = build;
        s.service_pack = sp;
        UpgradePath::of(&s)
    };
    use Release::{Complete, Evaluation};
    assert!(path(3174, Some(1), "2.50.3174.1018").releases.is_empty());
    assert!(path(2726, Some(0), "2.50.2726.0000").releases.is_empty());
    assert_eq!(path(4160, Some(2), "2.50.4160.2000").releases, [Complete]);
    assert_eq!(
        path(4253, Some(3), "2.50.4253.3000").releases,
        [Evaluation, Complete]
    );
    assert!(path(1493, None, "2.00.1493.4000").releases.is_empty());
    assert!(path(6221, None, "4.00.6221.1000").at_target);
}

#[test]
fn evidence_lists_up_to_the_limit_and_counts_the_rest() {
    let clients: Vec<Client> = (0..25)
        .map(|i| client(100 + i, &format!("HOU-WS{i:03}"), "HOU", 2600, 1))
        .collect();
    let inv = inventory(vec![good_site("HOU", None, SiteType::Primary)], clients);
    let a = assess_with(&inv, &Options { evidence_limit: 5 });
    let f = a
        .findings_of(code("HOU"))
        .find(|f| f.code == "A041")
        .unwrap();
    assert_eq!(
        (f.evidence.items.len(), f.evidence.total, f.evidence.more()),
        (5, 25, 20)
    );
    assert_eq!(f.evidence.items[0].name, "HOU-WS000");
    assert_eq!(
        a.site(code("HOU")).unwrap().verdict,
        Verdict::ReadyWithWarnings
    );
    // XP SP1 can be brought into support in place: not a reason for side by side.
    let rec = &a.site(code("HOU")).unwrap().recommendation;
    assert_eq!(rec.strategy, Strategy::InPlace);
}

#[test]
fn nt4_clients_and_an_unsupported_server_suggest_side_by_side() {
    let mut hou = good_site("HOU", None, SiteType::Primary);
    hou.server_os = Some("Microsoft Windows 2000 Server".to_owned());
    hou.server_os_version = Some("5.0.2195".to_owned());
    let mut nt4 = client(1, "HOU-WS001", "HOU", 1381, 6);
    nt4.os_name = Some("Microsoft Windows NT Workstation".to_owned());
    nt4.client_type = Some(ClientType::Legacy);
    let inv = inventory(vec![hou], vec![nt4]);
    let a = assess(&inv);
    let rec = &a.site(code("HOU")).unwrap().recommendation;
    assert_eq!(rec.strategy, Strategy::ConsiderSideBySide);
    let kinds: Vec<ReasonKind> = rec.reasons.iter().map(|r| r.kind).collect();
    assert_eq!(kinds, [ReasonKind::MixedEnvironment, ReasonKind::Hardware]);
    assert!(rec.reasons[0]
        .detail
        .contains("Microsoft Windows NT Workstation"));
}

#[test]
fn guid_inconsistency_is_seen_by_every_database_above_the_client() {
    let mut bad = client(7, "AUS-WS001", "AUS", 2600, 2);
    bad.machine_id_guid = Some("GUID:OTHER".to_owned());
    let inv = inventory(
        vec![
            good_site("HOU", None, SiteType::Primary),
            good_site("DAL", Some("HOU"), SiteType::Primary),
            good_site("AUS", Some("DAL"), SiteType::Primary),
            good_site("SAT", Some("HOU"), SiteType::Primary),
        ],
        vec![bad],
    );
    let a = assess(&inv);
    for (site, expect) in [("HOU", true), ("DAL", true), ("AUS", true), ("SAT", false)] {
        assert_eq!(codes_at(&a, site).contains(&"A046"), expect, "{site}");
    }
}

#[test]
fn duplicate_guids_and_shared_hardware_ids() {
    let mut a1 = client(1, "HOU-WS001", "HOU", 2600, 2);
    let mut a2 = client(2, "HOU-WS002", "HOU", 2600, 2);
    a2.sms_guid = a1.sms_guid.clone();
    a2.machine_id_guid = a1.machine_id_guid.clone();
    let mut b1 = client(3, "HOU-WS003", "HOU", 2600, 2);
    let b2 = client(4, "HOU-WS003", "HOU", 2600, 2);
    b1.hardware_id = b2.hardware_id.clone();
    // Obsolete records take no part.
    let mut stale = client(5, "HOU-OLD", "HOU", 2600, 2);
    stale.sms_guid = a1.sms_guid.clone();
    stale.obsolete = true;
    a1.hardware_id = Some("2:AAAA".to_owned());
    let inv = inventory(
        vec![good_site("HOU", None, SiteType::Primary)],
        vec![a1, a2, b1, b2, stale],
    );
    let a = assess(&inv);
    let dup = a
        .findings_of(code("HOU"))
        .find(|f| f.code == "A047")
        .unwrap();
    assert_eq!(dup.evidence.total, 1);
    assert!(dup.evidence.items[0]
        .detail
        .contains("HOU-WS001 (1), HOU-WS002 (2)"));
    assert!(dup.evidence.items[0].detail.contains("cloned image"));
    let shared = a
        .findings_of(code("HOU"))
        .find(|f| f.code == "A048")
        .unwrap();
    assert_eq!(
        shared.evidence.items[0].detail,
        "HOU-WS003 (3), HOU-WS003 (4)"
    );
}

#[test]
fn unknown_facts_are_cannot_tell_not_guesses() {
    let mut s = good_site("HOU", None, SiteType::Primary);
    s.server_os = None;
    s.server_os_version = None;
    s.server_os_sp = None;
    s.dotnet20 = None;
    s.sql_version = None;
    s.security_mode = None;
    s.sql_replication = None;
    let mut c = client(1, "HOU-WS001", "HOU", 2600, 2);
    c.os_build = None;
    c.os_service_pack = None;
    let inv = inventory(vec![s], vec![c]);
    let a = assess(&inv);
    let hou = a.site(code("HOU")).unwrap();
    assert_eq!(hou.verdict, Verdict::Ready);
    assert_eq!(
        hou.cannot_tell,
        [
            "A012", "A014", "A015", "A022", "A026", "A027", "A033", "A034", "A043", "A060", "A061",
            "A062"
        ]
    );
    assert!(a
        .findings
        .iter()
        .all(|f| f.cannot_tell == (f.severity == Severity::Info)));
    let step1 = &a.checklist[0];
    assert_eq!(step1.status, ItemStatus::CannotTell);
    let replication = a
        .checklist
        .iter()
        .find(|i| i.text.starts_with("Disable SQL"))
        .unwrap();
    assert_eq!(replication.status, ItemStatus::CannotTell);
}

#[test]
fn checklist_tracks_the_inventory() {
    let mut hou = good_site("HOU", None, SiteType::Primary);
    hou.sql_replication = Some(true);
    let inv = inventory(vec![hou], vec![client(1, "HOU-WS001", "HOU", 2600, 2)]);
    let a = assess(&inv);
    let status = |prefix: &str| {
        a.checklist
            .iter()
            .find(|i| i.text.starts_with(prefix))
            .unwrap()
            .status
    };
    assert_eq!(status("Disable SQL"), ItemStatus::Todo);
    assert_eq!(status("Reconfigure SQL"), ItemStatus::Todo);
    assert_eq!(status("Apply hotfix 945635"), ItemStatus::Todo);
    assert_eq!(status("Upgrade WSUS"), ItemStatus::NotApplicable);
    assert_eq!(status("Back up your sites"), ItemStatus::CannotTell);
    assert_eq!(status("Upgrade the clients"), ItemStatus::Todo);
    assert_eq!(status("Ensure the environment"), ItemStatus::Done);
    let steps: Vec<usize> = a.checklist.iter().map(|i| i.step).collect();
    assert_eq!(steps, (1..=a.checklist.len()).collect::<Vec<_>>());
}

#[test]
fn every_rule_has_a_distinct_code_used_by_findings() {
    // Findings only ever carry catalogue codes.
    let inv = crate::inventory::synth::sample();
    let a = assess(&inv);
    let known: Vec<&str> = RULES.iter().map(|r| r.code()).collect();
    for f in &a.findings {
        assert!(known.contains(&f.code), "{}", f.code);
        let rule = RULES.iter().find(|r| r.code() == f.code).unwrap();
        assert_eq!(f.severity, rule.severity());
        assert_eq!(f.reference, rule.reference());
    }
}
