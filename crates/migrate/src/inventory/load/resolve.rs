//! Resolving rows into the model: keys, duplicates, references and the site tree.

use std::cmp::Ordering;

use super::super::finding::{Finding, FindingKind, Severity};
use super::super::map::SiteSettings;
use super::super::model::{
    Boundary, Client, Inventory, RoamingKind, SecurityMode, Site, SiteCode, SiteProduct, SiteType,
};
use super::super::schema::Table;

/// Finds clients by resource ID for rows in ascending resource-ID order: a forward merge
/// rather than a binary search per row, each probe of which would miss the cache.
#[derive(Default)]
pub(super) struct Seeker {
    next: usize,
}

impl Seeker {
    pub(super) fn find(&mut self, clients: &[(Client, u64)], id: u32) -> Option<usize> {
        while self.next < clients.len() && clients[self.next].0.resource_id < id {
            self.next += 1;
        }
        (self.next < clients.len() && clients[self.next].0.resource_id == id).then_some(self.next)
    }
}

/// Attach multi-valued rows (`resource, value, line`) to their clients: each client's values
/// become one exactly-sized, sorted, deduplicated `Vec`. Rows of unknown resources are reported.
pub(super) fn attach_runs<V: Ord + Copy>(
    clients: &mut [(Client, u64)],
    mut rows: Vec<(u32, V, u64)>,
    file: &'static str,
    f: &mut Vec<Finding>,
    set: impl Fn(&mut Client, Vec<V>),
) {
    if !rows
        .windows(2)
        .all(|w| (w[0].0, w[0].2) <= (w[1].0, w[1].2))
    {
        rows.sort_by_key(|r| (r.0, r.2));
    }
    let mut seek = Seeker::default();
    let mut start = 0;
    while start < rows.len() {
        let id = rows[start].0;
        let end = start + rows[start..].partition_point(|r| r.0 == id);
        match seek.find(clients, id) {
            Some(i) => {
                let mut values: Vec<V> = rows[start..end].iter().map(|r| r.1).collect();
                values.sort_unstable();
                values.dedup();
                values.shrink_to_fit();
                set(&mut clients[i].0, values);
            }
            None => {
                for r in &rows[start..end] {
                    f.push(unknown_resource(file, r.2, "ResourceID", id));
                }
            }
        }
        start = end;
    }
}

pub(super) fn resolve_sites(rows: Vec<(Site, u64)>, f: &mut Vec<Finding>) -> Vec<Site> {
    let file = Table::Sites.spec().file;
    let rows = dedup(
        rows,
        |a, b| a.code.cmp(&b.code),
        |s| s.code.to_string(),
        file,
        Severity::Error,
        f,
    );
    let known = |code: SiteCode| rows.binary_search_by(|(s, _)| s.code.cmp(&code)).ok();
    let mut centrals = Vec::new();
    for (site, line) in &rows {
        let warn = |kind| Finding {
            severity: Severity::Warning,
            file,
            line: Some(*line),
            kind,
        };
        match site.parent {
            None => {
                centrals.push(site.code);
                if site.site_type == SiteType::Secondary {
                    f.push(warn(FindingKind::SecondaryWithoutParent {
                        code: site.code,
                    }));
                }
            }
            Some(parent) => match known(parent) {
                None => f.push(dangling(
                    file,
                    *line,
                    "ReportingSiteCode",
                    parent.as_str(),
                    "site",
                    false,
                )),
                Some(i) if rows[i].0.site_type == SiteType::Secondary => {
                    f.push(warn(FindingKind::ParentIsSecondary {
                        code: site.code,
                        parent,
                    }));
                }
                Some(_) => {}
            },
        }
        // Walk up; a cycle is reported once, by its smallest member.
        let mut current = site.parent;
        let mut steps = 0;
        while let Some(p) = current {
            if p == site.code {
                let cycle_min = cycle_members(&rows, site.code).into_iter().min();
                if cycle_min == Some(site.code) {
                    f.push(warn(FindingKind::ParentCycle { code: site.code }));
                }
                break;
            }
            steps += 1;
            if steps > rows.len() {
                break;
            }
            current = known(p).and_then(|i| rows[i].0.parent);
        }
    }
    if !rows.is_empty() {
        let kind = match centrals.len() {
            0 => Some(FindingKind::NoCentralSite),
            1 => None,
            _ => Some(FindingKind::SeveralCentralSites { codes: centrals }),
        };
        if let Some(kind) = kind {
            f.push(Finding {
                severity: Severity::Warning,
                file,
                line: None,
                kind,
            });
        }
    }
    strip(rows)
}

fn cycle_members(rows: &[(Site, u64)], start: SiteCode) -> Vec<SiteCode> {
    let mut members = vec![start];
    let mut current = start;
    loop {
        let parent = rows
            .binary_search_by(|(s, _)| s.code.cmp(&current))
            .ok()
            .and_then(|i| rows[i].0.parent);
        match parent {
            Some(p) if p != start && !members.contains(&p) => {
                members.push(p);
                current = p;
            }
            _ => return members,
        }
    }
}

/// Merge `site_settings.csv` into the sites. Several rows for one site are merged column by
/// column: the SQL export and `inventory pull` write the central site's SQL Server facts, the
/// SMS Provider script (`inventory script`) every site's SQL Server and database names, and a
/// consultant may add rows by hand; a column two rows give different values is an error
/// finding (the first value is kept).
pub(super) fn merge_settings(
    inv: &mut Inventory,
    mut rows: Vec<(SiteSettings, u64)>,
    f: &mut Vec<Finding>,
) {
    let file = Table::SiteSettings.spec().file;
    rows.sort_by(|a, b| a.0.code.cmp(&b.0.code).then(a.1.cmp(&b.1)));
    // Each merged row keeps the line every column's value came from.
    type Origins = Vec<(&'static str, u64)>;
    let mut merged: Vec<(SiteSettings, u64, Origins)> = Vec::new();
    for (row, line) in rows {
        match merged.last_mut() {
            Some((kept, first_line, origins)) if kept.code == row.code => {
                let key = row.code.map(|c| c.to_string()).unwrap_or_default();
                let from = |origins: &[(&'static str, u64)], column| {
                    origins
                        .iter()
                        .find(|(c, _)| *c == column)
                        .map_or(*first_line, |(_, l)| *l)
                };
                let mut filled = Vec::new();
                merge_row(kept, row, |column, conflict| match conflict {
                    None => filled.push((column, line)),
                    Some((kept, dropped)) => f.push(Finding {
                        severity: Severity::Error,
                        file,
                        line: Some(line),
                        kind: FindingKind::ConflictingValue {
                            key: key.clone(),
                            column,
                            kept,
                            dropped,
                            first_line: from(origins, column),
                        },
                    }),
                });
                origins.extend(filled);
            }
            _ => merged.push((row, line, Vec::new())),
        }
    }
    for (s, line, _) in merged {
        let Some(code) = s.code else { continue };
        let Ok(i) = inv.sites.binary_search_by(|site| site.code.cmp(&code)) else {
            f.push(dangling(
                file,
                line,
                "SiteCode",
                code.as_str(),
                "site",
                true,
            ));
            continue;
        };
        let site = &mut inv.sites[i];
        site.security_mode = s.security_mode.or(site.security_mode);
        site.service_pack = s.service_pack.or(site.service_pack);
        site.sql_server = s.sql_server;
        site.database_name = s.database_name;
        site.sql_version = s.sql_version;
        site.sql_service_pack = s.sql_service_pack;
        site.sql_replication = s.sql_replication;
        site.dotnet20 = s.dotnet20;
        site.feature_packs = s.feature_packs;
    }
}

/// Fill the columns `kept` lacks from `row`, telling `seen(column, None)` for each one filled
/// and `seen(column, Some((kept, other)))` for each column both give, differently.
fn merge_row(
    kept: &mut SiteSettings,
    row: SiteSettings,
    mut seen: impl FnMut(&'static str, Option<(String, String)>),
) {
    fn fill<T: PartialEq>(
        column: &'static str,
        kept: &mut Option<T>,
        new: Option<T>,
        show: impl Fn(&T) -> String,
        seen: &mut impl FnMut(&'static str, Option<(String, String)>),
    ) {
        match (kept.as_ref(), new) {
            (None, Some(new)) => {
                *kept = Some(new);
                seen(column, None);
            }
            (Some(a), Some(b)) if *a != b => seen(column, Some((show(a), show(&b)))),
            _ => {}
        }
    }
    let s = &mut seen;
    let mode = |m: &SecurityMode| format!("{m:?}");
    fill(
        "SecurityMode",
        &mut kept.security_mode,
        row.security_mode,
        mode,
        s,
    );
    fill(
        "ServicePack",
        &mut kept.service_pack,
        row.service_pack,
        u8::to_string,
        s,
    );
    fill(
        "SQLServer",
        &mut kept.sql_server,
        row.sql_server,
        String::clone,
        s,
    );
    fill(
        "SQLDatabase",
        &mut kept.database_name,
        row.database_name,
        String::clone,
        s,
    );
    fill(
        "SQLVersion",
        &mut kept.sql_version,
        row.sql_version,
        String::clone,
        s,
    );
    let sp = u8::to_string;
    fill(
        "SQLServicePack",
        &mut kept.sql_service_pack,
        row.sql_service_pack,
        sp,
        s,
    );
    let yes = bool::to_string;
    fill(
        "SQLReplication",
        &mut kept.sql_replication,
        row.sql_replication,
        yes,
        s,
    );
    fill("DotNet20", &mut kept.dotnet20, row.dotnet20, yes, s);
    let mut packs =
        (!kept.feature_packs.is_empty()).then(|| std::mem::take(&mut kept.feature_packs));
    let new_packs = (!row.feature_packs.is_empty()).then_some(row.feature_packs);
    fill("FeaturePacks", &mut packs, new_packs, |p| p.join(";"), s);
    kept.feature_packs = packs.unwrap_or_default();
}

pub(super) fn resolve_boundaries(
    inv: &Inventory,
    rows: Vec<(Boundary, u64)>,
    f: &mut Vec<Finding>,
) -> Vec<Boundary> {
    let file = Table::Boundaries.spec().file;
    let rows = dedup(
        rows,
        |a, b| {
            (a.site_code, a.kind, &a.value, a.roaming).cmp(&(
                b.site_code,
                b.kind,
                &b.value,
                b.roaming,
            ))
        },
        |b| {
            let roaming = b.roaming.map_or("site", |r| match r {
                RoamingKind::Local => "local",
                RoamingKind::Remote => "remote",
            });
            format!(
                "{} {} {} ({roaming})",
                b.site_code,
                b.kind.as_str(),
                b.value
            )
        },
        file,
        Severity::Warning,
        f,
    );
    for (b, line) in &rows {
        match inv.site(b.site_code) {
            None => f.push(dangling(
                file,
                *line,
                "SiteCode",
                b.site_code.as_str(),
                "site",
                false,
            )),
            Some(site)
                if b.is_site_boundary()
                    && !b.kind.sms2003_site_boundary()
                    && matches!(site.product(), SiteProduct::Sms2003 | SiteProduct::Sms20) =>
            {
                f.push(Finding {
                    severity: Severity::Warning,
                    file,
                    line: Some(*line),
                    kind: FindingKind::UnsupportedSiteBoundary {
                        site: b.site_code,
                        boundary_kind: b.kind,
                        value: b.value.clone(),
                    },
                });
            }
            Some(_) => {}
        }
    }
    strip(rows)
}

/// Sort by `cmp` (ties by line) and keep the first row of each key, reporting the others.
/// In place, and without sorting input that is already in key order (exports are ordered by
/// their key), so a million-row table is never copied.
pub(super) fn dedup<T>(
    mut rows: Vec<(T, u64)>,
    cmp: impl Fn(&T, &T) -> Ordering,
    key: impl Fn(&T) -> String,
    file: &'static str,
    severity: Severity,
    f: &mut Vec<Finding>,
) -> Vec<(T, u64)> {
    let ordered = |a: &(T, u64), b: &(T, u64)| cmp(&a.0, &b.0).then(a.1.cmp(&b.1));
    // `windows` rather than `is_sorted_by`, which needs Rust 1.82 (the MSRV is 1.80).
    if !rows
        .windows(2)
        .all(|w| ordered(&w[0], &w[1]) != Ordering::Greater)
    {
        rows.sort_by(ordered);
    }
    // `dedup_by` hands over (later, kept) pairs; report each dropped row.
    rows.dedup_by(|later, kept| {
        let same = cmp(&later.0, &kept.0) == Ordering::Equal;
        if same {
            f.push(Finding {
                severity,
                file,
                line: Some(later.1),
                kind: FindingKind::DuplicateKey {
                    key: key(&later.0),
                    first_line: kept.1,
                },
            });
        }
        same
    });
    rows
}

pub(super) fn strip<T>(rows: Vec<(T, u64)>) -> Vec<T> {
    rows.into_iter().map(|(t, _)| t).collect()
}

pub(super) fn dangling(
    file: &'static str,
    line: u64,
    column: &'static str,
    value: &str,
    target: &'static str,
    skipped: bool,
) -> Finding {
    Finding {
        severity: Severity::Warning,
        file,
        line: Some(line),
        kind: FindingKind::DanglingReference {
            column,
            value: value.to_owned(),
            target,
            skipped,
        },
    }
}

pub(super) fn unknown_resource(
    file: &'static str,
    line: u64,
    column: &'static str,
    id: u32,
) -> Finding {
    dangling(file, line, column, &id.to_string(), "resource", true)
}
