//! Loading an inventory directory (the offline export) into the model.
//!
//! Loading is strict about form and lenient about content: a malformed row, an unknown or
//! missing column stops the load with a [`LoadError`] at `file:line:column`; duplicate keys and
//! references to things the export lacks become [`Finding`]s, and the load goes on.

use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;

use csv::ByteRecord;

use super::csv_read::TableReader;
use super::error::LoadError;
use super::finding::{Finding, FindingKind, Severity};
use super::map::{map_row, ClientOs, Record, SiteSettings};
use super::model::{
    Advertisement, Boundary, Client, Collection, CollectionRule, Inventory, Package, Program,
    Query, Report, Site, SiteCode,
};
use super::schema::{Table, TableSpec, TABLES};

mod resolve;

use resolve::{
    attach_runs, dangling, dedup, merge_settings, resolve_boundaries, resolve_sites, strip,
    unknown_resource, Seeker,
};

/// A loaded inventory and what was found on the way.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The model, every list sorted by key and free of duplicate keys.
    pub inventory: Inventory,
    /// Findings in file order.
    pub findings: Vec<Finding>,
}

impl Loaded {
    /// The most severe finding, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

/// Load the CSV files of `dir` (see `docs/inventory-format.md`).
///
/// # Errors
/// [`LoadError`] for an unreadable directory or file, a missing `sites.csv`, unknown, duplicate
/// or missing columns, malformed CSV and malformed values — each with its location.
pub fn load_dir(dir: &Path) -> Result<Loaded, LoadError> {
    if !dir.is_dir() {
        return Err(LoadError::NotADirectory {
            path: dir.to_owned(),
        });
    }
    let big = |t: Table| {
        std::fs::metadata(dir.join(t.spec().file)).map_or(0, |m| m.len()) > PARALLEL_BYTES
    };
    let parts = if big(Table::Clients) {
        // The clients table is as large as all the others together: read it on a second
        // thread. Tables are independent until resolved, so the result is the same.
        let (clients, rest) = std::thread::scope(|scope| {
            let handle = scope.spawn(|| read_tables(dir, |t| t == Table::Clients));
            let rest = read_tables(dir, |t| t != Table::Clients);
            let clients = handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (clients, rest)
        });
        match (clients, rest) {
            (Ok(mut a), Ok(b)) => {
                a.absorb(b);
                a
            }
            // Report the error of the earlier table, as a sequential load would.
            (Err(a), Err(b)) => return Err(if a.0 <= b.0 { a.1 } else { b.1 }),
            (Err(e), _) | (_, Err(e)) => return Err(e.1),
        }
    } else {
        read_tables(dir, |_| true).map_err(|e| e.1)?
    };
    Ok(parts.finish())
}

/// Above this size `clients.csv` is read on its own thread.
const PARALLEL_BYTES: u64 = 8 << 20;

/// Read the tables `wanted` selects; an error comes with its table's position in load order.
fn read_tables(
    dir: &Path,
    wanted: impl Fn(Table) -> bool,
) -> Result<Parts, Box<(usize, LoadError)>> {
    let mut parts = Parts::default();
    for (index, spec) in TABLES.iter().enumerate().filter(|(_, s)| wanted(s.table)) {
        read_table(dir, spec, &mut parts).map_err(|e| Box::new((index, e)))?;
    }
    Ok(parts)
}

fn read_table(dir: &Path, spec: &'static TableSpec, parts: &mut Parts) -> Result<(), LoadError> {
    let path = dir.join(spec.file);
    if !path.is_file() {
        if spec.required_file {
            return Err(LoadError::MissingFile { path });
        }
        parts.findings.push(Finding {
            severity: Severity::Info,
            file: spec.file,
            line: None,
            kind: FindingKind::MissingFile,
        });
        return Ok(());
    }
    let mut reader = TableReader::open(&path, spec)?;
    let mut record = ByteRecord::new();
    while let Some(row) = reader.next(&mut record)? {
        let (line, byte) = (row.line, row.byte());
        match map_row(spec.table, &row) {
            Ok(rec) => parts.add(rec, line),
            Err(err) => return Err(reader.value_error(spec, byte, line, err)),
        }
    }
    Ok(())
}

/// Rows as read, each with its line, before keys and references are resolved.
#[derive(Default)]
struct Parts {
    sites: Vec<(Site, u64)>,
    settings: Vec<(SiteSettings, u64)>,
    boundaries: Vec<(Boundary, u64)>,
    collections: Vec<(Collection, u64)>,
    links: Vec<(String, String, u64)>,
    query_rules: Vec<(String, CollectionRule, u64)>,
    direct_rules: Vec<(String, CollectionRule, u64)>,
    packages: Vec<(Package, u64)>,
    programs: Vec<(Program, u64)>,
    advertisements: Vec<(Advertisement, u64)>,
    queries: Vec<(Query, u64)>,
    reports: Vec<(Report, u64)>,
    clients: Vec<(Client, u64)>,
    client_os: Vec<(ClientOs, u64)>,
    ips: Vec<(u32, IpAddr, u64)>,
    subnets: Vec<(u32, Ipv4Addr, u64)>,
    assigned: Vec<(u32, SiteCode, u64)>,
    findings: Vec<Finding>,
}

impl Parts {
    /// Take over the rows of `other`, which read other tables.
    fn absorb(&mut self, other: Parts) {
        let Parts {
            sites,
            settings,
            boundaries,
            collections,
            links,
            query_rules,
            direct_rules,
            packages,
            programs,
            advertisements,
            queries,
            reports,
            clients,
            client_os,
            ips,
            subnets,
            assigned,
            findings,
        } = other;
        self.sites.extend(sites);
        self.settings.extend(settings);
        self.boundaries.extend(boundaries);
        self.collections.extend(collections);
        self.links.extend(links);
        self.query_rules.extend(query_rules);
        self.direct_rules.extend(direct_rules);
        self.packages.extend(packages);
        self.programs.extend(programs);
        self.advertisements.extend(advertisements);
        self.queries.extend(queries);
        self.reports.extend(reports);
        self.clients.extend(clients);
        self.client_os.extend(client_os);
        self.ips.extend(ips);
        self.subnets.extend(subnets);
        self.assigned.extend(assigned);
        self.findings.extend(findings);
    }

    fn add(&mut self, rec: Record, line: u64) {
        match rec {
            Record::Site(s) => self.sites.push((*s, line)),
            Record::SiteSettings(s) => self.settings.push((*s, line)),
            Record::Boundary(b) => self.boundaries.push((b, line)),
            Record::Collection(c) => self.collections.push((c, line)),
            Record::Subcollection { parent, child } => self.links.push((parent, child, line)),
            Record::Rule {
                collection_id,
                rule,
            } => match rule {
                CollectionRule::Query { .. } => self.query_rules.push((collection_id, rule, line)),
                CollectionRule::Direct { .. } => {
                    self.direct_rules.push((collection_id, rule, line));
                }
            },
            Record::Package(p) => self.packages.push((p, line)),
            Record::Program(p) => self.programs.push((p, line)),
            Record::Advertisement(a) => self.advertisements.push((a, line)),
            Record::Query(q) => self.queries.push((q, line)),
            Record::Report(r) => self.reports.push((r, line)),
            Record::Client(c) => self.clients.push((*c, line)),
            Record::ClientOs(o) => self.client_os.push((o, line)),
            Record::ClientIp {
                resource_id,
                address,
            } => self.ips.push((resource_id, address, line)),
            Record::ClientSubnet {
                resource_id,
                subnet,
            } => self.subnets.push((resource_id, subnet, line)),
            Record::ClientAssignedSite { resource_id, site } => {
                self.assigned.push((resource_id, site, line));
            }
        }
    }

    fn finish(mut self) -> Loaded {
        let mut f = std::mem::take(&mut self.findings);
        let sites = resolve_sites(std::mem::take(&mut self.sites), &mut f);
        let mut inv = Inventory {
            sites,
            ..Inventory::default()
        };
        merge_settings(&mut inv, std::mem::take(&mut self.settings), &mut f);
        inv.boundaries = resolve_boundaries(&inv, std::mem::take(&mut self.boundaries), &mut f);
        inv.clients = self.resolve_clients(&inv, &mut f);
        inv.collections = self.resolve_collections(&inv, &mut f);
        self.resolve_software(&mut inv, &mut f);
        let order = |file: &str| TABLES.iter().position(|t| t.file == file);
        f.sort_by(|a, b| {
            (order(a.file), a.line.unwrap_or(0)).cmp(&(order(b.file), b.line.unwrap_or(0)))
        });
        Loaded {
            inventory: inv,
            findings: f,
        }
    }

    fn resolve_clients(&mut self, inv: &Inventory, f: &mut Vec<Finding>) -> Vec<Client> {
        let file = Table::Clients.spec().file;
        let mut clients = dedup(
            std::mem::take(&mut self.clients),
            |a, b| a.resource_id.cmp(&b.resource_id),
            |c| c.resource_id.to_string(),
            file,
            Severity::Error,
            f,
        );
        let mut seek = Seeker::default();
        let os_file = Table::ClientOs.spec().file;
        let os_rows = dedup(
            std::mem::take(&mut self.client_os),
            |a, b| a.resource_id.cmp(&b.resource_id),
            |o| o.resource_id.to_string(),
            os_file,
            Severity::Warning,
            f,
        );
        for (os, line) in os_rows {
            let Some(i) = seek.find(&clients, os.resource_id) else {
                f.push(unknown_resource(
                    os_file,
                    line,
                    "ResourceID",
                    os.resource_id,
                ));
                continue;
            };
            let c = &mut clients[i].0;
            c.os_name = os.caption;
            c.os_version = os.version;
            c.os_build = os.build;
            c.os_service_pack = Some(os.service_pack);
        }
        let ip_file = Table::ClientIpAddresses.spec().file;
        attach_runs(
            &mut clients,
            std::mem::take(&mut self.ips),
            ip_file,
            f,
            |c, ips| {
                c.ip_addresses = ips;
            },
        );
        let sn_file = Table::ClientIpSubnets.spec().file;
        attach_runs(
            &mut clients,
            std::mem::take(&mut self.subnets),
            sn_file,
            f,
            |c, sns| {
                c.ip_subnets = sns;
            },
        );
        let as_file = Table::ClientAssignedSites.spec().file;
        let mut assigned = std::mem::take(&mut self.assigned);
        if !assigned
            .windows(2)
            .all(|w| (w[0].0, w[0].2) <= (w[1].0, w[1].2))
        {
            assigned.sort_by_key(|r| (r.0, r.2));
        }
        let mut seek = Seeker::default();
        for (id, site, line) in assigned {
            let Some(i) = seek.find(&clients, id) else {
                f.push(unknown_resource(as_file, line, "ResourceID", id));
                continue;
            };
            if inv.site(site).is_none() {
                f.push(dangling(
                    as_file,
                    line,
                    "SMS_Assigned_Sites0",
                    site.as_str(),
                    "site",
                    false,
                ));
            }
            let c = &mut clients[i].0;
            match c.assigned_site {
                None => c.assigned_site = Some(site),
                Some(kept) if kept == site => {}
                Some(kept) => f.push(Finding {
                    severity: Severity::Warning,
                    file: as_file,
                    line: Some(line),
                    kind: FindingKind::SeveralAssignedSites {
                        resource_id: id,
                        kept,
                        dropped: site,
                    },
                }),
            }
        }
        strip(clients)
    }

    fn resolve_collections(&mut self, inv: &Inventory, f: &mut Vec<Finding>) -> Vec<Collection> {
        let file = Table::Collections.spec().file;
        let mut cols = dedup(
            std::mem::take(&mut self.collections),
            |a, b| a.id.cmp(&b.id),
            |c| c.id.clone(),
            file,
            Severity::Error,
            f,
        );
        let find = |cols: &[(Collection, u64)], id: &str| {
            cols.binary_search_by(|(c, _)| c.id.as_str().cmp(id)).ok()
        };
        let link_file = Table::Subcollections.spec().file;
        for (parent, child, line) in std::mem::take(&mut self.links) {
            let Some(p) = find(&cols, &parent) else {
                f.push(dangling(
                    link_file,
                    line,
                    "parentCollectionID",
                    &parent,
                    "collection",
                    true,
                ));
                continue;
            };
            if find(&cols, &child).is_none() {
                f.push(dangling(
                    link_file,
                    line,
                    "subCollectionID",
                    &child,
                    "collection",
                    false,
                ));
            }
            cols[p].0.subcollections.push(child);
        }
        let rule_files = [
            (
                Table::CollectionQueryRules,
                std::mem::take(&mut self.query_rules),
            ),
            (
                Table::CollectionDirectRules,
                std::mem::take(&mut self.direct_rules),
            ),
        ];
        for (table, rules) in rule_files {
            let rf = table.spec().file;
            for (cid, rule, line) in rules {
                let Some(i) = find(&cols, &cid) else {
                    f.push(dangling(rf, line, "CollectionID", &cid, "collection", true));
                    continue;
                };
                match &rule {
                    CollectionRule::Query {
                        limit_to: Some(lim),
                        ..
                    } if find(&cols, lim).is_none() => {
                        f.push(dangling(
                            rf,
                            line,
                            "LimitToCollectionID",
                            lim,
                            "collection",
                            false,
                        ));
                    }
                    CollectionRule::Direct { resource_id, .. }
                        if inv.client(*resource_id).is_none() =>
                    {
                        // Direct rules may name user resources, which are not exported.
                        let mut finding = unknown_resource(rf, line, "ResourceID", *resource_id);
                        finding.severity = Severity::Info;
                        if let FindingKind::DanglingReference { skipped, .. } = &mut finding.kind {
                            *skipped = false;
                        }
                        f.push(finding);
                    }
                    _ => {}
                }
                cols[i].0.rules.push(rule);
            }
        }
        cols.into_iter()
            .map(|(mut c, _)| {
                c.subcollections.sort();
                c.subcollections.dedup();
                c
            })
            .collect()
    }

    fn resolve_software(&mut self, inv: &mut Inventory, f: &mut Vec<Finding>) {
        let pf = Table::Packages.spec().file;
        let packages = dedup(
            std::mem::take(&mut self.packages),
            |a, b| a.id.cmp(&b.id),
            |p| p.id.clone(),
            pf,
            Severity::Error,
            f,
        );
        for (p, line) in &packages {
            if let Some(site) = p.source_site.filter(|s| inv.site(*s).is_none()) {
                f.push(dangling(
                    pf,
                    *line,
                    "SourceSite",
                    site.as_str(),
                    "site",
                    false,
                ));
            }
        }
        inv.packages = strip(packages);
        let gf = Table::Programs.spec().file;
        let programs = dedup(
            std::mem::take(&mut self.programs),
            |a, b| (&a.package_id, &a.name).cmp(&(&b.package_id, &b.name)),
            |p| format!("{}/{}", p.package_id, p.name),
            gf,
            Severity::Error,
            f,
        );
        for (p, line) in &programs {
            if inv.package(&p.package_id).is_none() {
                f.push(dangling(
                    gf,
                    *line,
                    "PackageID",
                    &p.package_id,
                    "package",
                    false,
                ));
            }
        }
        inv.programs = strip(programs);
        let af = Table::Advertisements.spec().file;
        let ads = dedup(
            std::mem::take(&mut self.advertisements),
            |a, b| a.id.cmp(&b.id),
            |a| a.id.clone(),
            af,
            Severity::Error,
            f,
        );
        for (a, line) in &ads {
            if inv.package(&a.package_id).is_none() {
                f.push(dangling(
                    af,
                    *line,
                    "PackageID",
                    &a.package_id,
                    "package",
                    false,
                ));
            } else if inv.program(&a.package_id, &a.program_name).is_none() {
                let key = format!("{}/{}", a.package_id, a.program_name);
                f.push(dangling(af, *line, "ProgramName", &key, "program", false));
            }
            if inv.collection(&a.collection_id).is_none() {
                f.push(dangling(
                    af,
                    *line,
                    "CollectionID",
                    &a.collection_id,
                    "collection",
                    false,
                ));
            }
        }
        inv.advertisements = strip(ads);
        let qf = Table::Queries.spec().file;
        let queries = dedup(
            std::mem::take(&mut self.queries),
            |a, b| a.id.cmp(&b.id),
            |q| q.id.clone(),
            qf,
            Severity::Error,
            f,
        );
        for (q, line) in &queries {
            if let Some(lim) = q
                .limit_to
                .as_deref()
                .filter(|l| inv.collection(l).is_none())
            {
                f.push(dangling(
                    qf,
                    *line,
                    "LimitToCollectionID",
                    lim,
                    "collection",
                    false,
                ));
            }
        }
        inv.queries = strip(queries);
        inv.reports = strip(dedup(
            std::mem::take(&mut self.reports),
            |a, b| a.id.cmp(&b.id),
            |r| r.id.to_string(),
            Table::Reports.spec().file,
            Severity::Error,
            f,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::synth::{generate, sample, SynthConfig};
    use crate::inventory::write::write_dir;

    fn round_trip(inv: &Inventory) -> Loaded {
        let dir = tempfile::tempdir().unwrap();
        write_dir(inv, dir.path()).unwrap();
        load_dir(dir.path()).unwrap()
    }

    #[test]
    fn sample_round_trips_without_findings() {
        let inv = sample();
        let loaded = round_trip(&inv);
        let findings: Vec<String> = loaded.findings.iter().map(ToString::to_string).collect();
        assert_eq!(findings, Vec::<String>::new());
        assert_eq!(loaded.inventory, inv);
    }

    #[test]
    fn unsorted_exports_attach_client_rows_correctly() {
        let dir = tempfile::tempdir().unwrap();
        let put = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        put(
            "sites.csv",
            "SiteCode,SiteName,ReportingSiteCode,Type,Version,BuildNumber,ServerName\n\
             HOU,Houston,,2,2.50.4160.2000,4160,H\n",
        );
        put(
            "clients.csv",
            "ResourceID,Netbios_Name0\n30,C\n10,A\n20,B\n",
        );
        put(
            "client_ip_addresses.csv",
            "ResourceID,IP_Addresses0\n20,10.0.0.2\n10,10.0.0.1\n99,10.0.0.9\n20,10.0.0.2\n20,fe80::1\n",
        );
        put(
            "client_assigned_sites.csv",
            "ResourceID,SMS_Assigned_Sites0\n30,HOU\n10,HOU\n",
        );
        let loaded = load_dir(dir.path()).unwrap();
        let inv = &loaded.inventory;
        let ids: Vec<u32> = inv.clients.iter().map(|c| c.resource_id).collect();
        assert_eq!(ids, [10, 20, 30]);
        assert_eq!(
            inv.client(10).unwrap().ip_addresses,
            ["10.0.0.1".parse::<IpAddr>().unwrap()]
        );
        let b: Vec<String> = inv
            .client(20)
            .unwrap()
            .ip_addresses
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(b, ["10.0.0.2", "fe80::1"]);
        assert!(inv.client(30).unwrap().ip_addresses.is_empty());
        assert_eq!(inv.clients_assigned_to(inv.sites[0].code).count(), 2);
        let dangling: Vec<String> = loaded
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            dangling,
            ["client_ip_addresses.csv:4: warning: ResourceID `99` names no resource in the export; row skipped"]
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(16))]
        #[test]
        fn synthetic_inventories_round_trip(seed in 0u64..1_000_000) {
            let inv = generate(&SynthConfig::small(seed));
            let loaded = round_trip(&inv);
            proptest::prop_assert_eq!(&loaded.inventory, &inv);
            proptest::prop_assert!(loaded.worst() < Some(Severity::Error));
            // The generator makes site boundaries SMS 2003 allows.
            let unsupported = loaded
                .findings
                .iter()
                .any(|f| matches!(f.kind, FindingKind::UnsupportedSiteBoundary { .. }));
            proptest::prop_assert!(!unsupported);
        }
    }
}
