//! Writing an [`Inventory`] as an export directory: the inverse of [`load_dir`](super::load_dir).
//!
//! Used by the synthetic generator, the sample hierarchy and round-trip tests. Every file of the
//! format is written (with its header even when empty), in the column order of the schema.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use super::model::{
    Boundary, Client, ClientType, CollectionRule, Inventory, RoamingKind, SecurityMode, Site,
    SiteType,
};
use super::schema::{Table, TABLES};

/// Write every CSV of the format into `dir` (which must exist), replacing existing files.
///
/// # Errors
/// I/O errors from creating or writing a file.
pub fn write_dir(inv: &Inventory, dir: &Path) -> io::Result<()> {
    for spec in TABLES {
        let file = File::create(dir.join(spec.file))?;
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(BufWriter::with_capacity(1 << 16, file));
        w.write_record(spec.columns.iter().map(|c| c.name))?;
        write_rows(inv, spec.table, &mut |cells: &[Option<String>]| {
            w.write_record(cells.iter().map(|c| c.as_deref().unwrap_or("")))
                .map_err(io::Error::from)
        })?;
        w.flush()?;
        w.into_inner()
            .map_err(|e| io::Error::other(e.to_string()))?
            .flush()?;
    }
    Ok(())
}

type Emit<'a> = dyn FnMut(&[Option<String>]) -> io::Result<()> + 'a;

fn write_rows(inv: &Inventory, table: Table, emit: &mut Emit<'_>) -> io::Result<()> {
    match table {
        Table::Sites => inv.sites.iter().try_for_each(|s| emit(&site_cells(s))),
        Table::SiteSettings => inv.sites.iter().try_for_each(|s| emit(&settings_cells(s))),
        Table::Boundaries => inv
            .boundaries
            .iter()
            .try_for_each(|b| emit(&boundary_cells(b))),
        Table::Collections => inv
            .collections
            .iter()
            .try_for_each(|c| emit(&[s(&c.id), s(&c.name), c.comment.clone()])),
        Table::Subcollections => inv.collections.iter().try_for_each(|c| {
            c.subcollections
                .iter()
                .try_for_each(|sub| emit(&[s(&c.id), s(sub)]))
        }),
        Table::CollectionQueryRules => inv.collections.iter().try_for_each(|c| {
            c.rules.iter().try_for_each(|r| match r {
                CollectionRule::Query {
                    name,
                    wql,
                    limit_to,
                } => emit(&[s(&c.id), s(name), s(wql), limit_to.clone(), None]),
                CollectionRule::Direct { .. } => Ok(()),
            })
        }),
        Table::CollectionDirectRules => inv.collections.iter().try_for_each(|c| {
            c.rules.iter().try_for_each(|r| match r {
                CollectionRule::Direct { resource_id, name } => {
                    emit(&[s(&c.id), n(*resource_id), s(name)])
                }
                CollectionRule::Query { .. } => Ok(()),
            })
        }),
        Table::Packages => inv.packages.iter().try_for_each(|p| {
            emit(&[
                s(&p.id),
                s(&p.name),
                p.version.clone(),
                p.manufacturer.clone(),
                p.language.clone(),
                p.description.clone(),
                p.source_path.clone(),
                p.source_site.map(|c| c.to_string()),
            ])
        }),
        Table::Programs => inv.programs.iter().try_for_each(|p| {
            emit(&[
                s(&p.package_id),
                s(&p.name),
                s(&p.command_line),
                p.comment.clone(),
                p.flags.map(|f| f.to_string()),
                p.dependent_program.clone(),
            ])
        }),
        Table::Advertisements => inv.advertisements.iter().try_for_each(|a| {
            emit(&[
                s(&a.id),
                s(&a.name),
                s(&a.package_id),
                s(&a.program_name),
                s(&a.collection_id),
                a.source_site.map(|c| c.to_string()),
                a.include_subcollections.map(bool01),
            ])
        }),
        Table::Queries => inv.queries.iter().try_for_each(|q| {
            emit(&[
                s(&q.id),
                s(&q.name),
                q.comments.clone(),
                q.target_class.clone(),
                s(&q.expression),
                q.limit_to.clone(),
            ])
        }),
        Table::Reports => inv.reports.iter().try_for_each(|r| {
            emit(&[
                n(r.id),
                s(&r.name),
                r.category.clone(),
                r.comment.clone(),
                s(&r.sql),
                r.security_key.clone(),
            ])
        }),
        Table::Clients => inv.clients.iter().try_for_each(|c| emit(&client_cells(c))),
        Table::ClientOs => inv.clients.iter().try_for_each(|c| {
            if c.os_service_pack.is_none() {
                return Ok(());
            }
            emit(&[
                n(c.resource_id),
                c.os_name.clone(),
                c.os_version.clone(),
                c.os_build.map(|b| b.to_string()),
                c.os_service_pack
                    .filter(|sp| *sp > 0)
                    .map(|sp| format!("Service Pack {sp}")),
            ])
        }),
        Table::ClientIpAddresses => inv.clients.iter().try_for_each(|c| {
            c.ip_addresses
                .iter()
                .try_for_each(|ip| emit(&[n(c.resource_id), Some(ip.to_string())]))
        }),
        Table::ClientIpSubnets => inv.clients.iter().try_for_each(|c| {
            c.ip_subnets
                .iter()
                .try_for_each(|sn| emit(&[n(c.resource_id), Some(sn.to_string())]))
        }),
        Table::ClientAssignedSites => inv.clients.iter().try_for_each(|c| match c.assigned_site {
            Some(site) => emit(&[n(c.resource_id), Some(site.to_string())]),
            None => Ok(()),
        }),
    }
}

fn s(text: &str) -> Option<String> {
    Some(text.to_owned())
}

fn n(value: u32) -> Option<String> {
    Some(value.to_string())
}

fn bool01(b: bool) -> String {
    if b { "1" } else { "0" }.to_owned()
}

fn site_cells(site: &Site) -> Vec<Option<String>> {
    vec![
        Some(site.code.to_string()),
        s(&site.name),
        site.parent.map(|p| p.to_string()),
        Some(
            match site.site_type {
                SiteType::Primary => "2",
                SiteType::Secondary => "1",
            }
            .to_owned(),
        ),
        s(&site.version),
        n(site.build),
        s(&site.server_name),
        site.install_dir.clone(),
        site.server_os.clone(),
        site.server_os_version.clone(),
        site.server_os_sp
            .filter(|sp| *sp > 0)
            .map(|sp| format!("Service Pack {sp}")),
    ]
}

fn settings_cells(site: &Site) -> Vec<Option<String>> {
    vec![
        Some(site.code.to_string()),
        site.security_mode.map(|m| {
            match m {
                SecurityMode::Advanced => "Advanced",
                SecurityMode::Standard => "Standard",
            }
            .to_owned()
        }),
        site.service_pack.map(|sp| {
            if sp == 0 {
                "RTM".to_owned()
            } else {
                format!("SP{sp}")
            }
        }),
        site.sql_server.clone(),
        site.database_name.clone(),
        site.sql_version.clone(),
        site.sql_service_pack.map(|sp| {
            if sp == 0 {
                "RTM".to_owned()
            } else {
                format!("SP{sp}")
            }
        }),
        site.sql_replication.map(bool01),
        site.dotnet20.map(bool01),
        (!site.feature_packs.is_empty()).then(|| site.feature_packs.join(";")),
    ]
}

fn boundary_cells(b: &Boundary) -> Vec<Option<String>> {
    vec![
        Some(b.site_code.to_string()),
        s(b.kind.as_str()),
        s(&b.value),
        b.roaming.map(|r| {
            match r {
                RoamingKind::Local => "Local",
                RoamingKind::Remote => "Remote",
            }
            .to_owned()
        }),
    ]
}

fn client_cells(c: &Client) -> Vec<Option<String>> {
    vec![
        n(c.resource_id),
        s(&c.name),
        c.sms_guid.clone(),
        c.hardware_id.clone(),
        c.machine_id_guid.clone(),
        Some(bool01(c.client_installed)),
        c.client_type.map(|t| {
            match t {
                ClientType::Legacy => "0",
                ClientType::Advanced => "1",
            }
            .to_owned()
        }),
        c.client_version.clone(),
        Some(bool01(c.obsolete)),
        c.domain.clone(),
        c.ad_site.clone(),
        c.os_name_and_version.clone(),
    ]
}
