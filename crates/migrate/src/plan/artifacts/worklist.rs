//! Boundary work lists: one CSV per site with every boundary to delete from it (SMS, site and
//! roaming tabs) or add to it (ConfigMgr), in step order, with the steps to finish first.

use std::collections::BTreeMap;

use super::escape::csv_field;
use super::{worklist_path, Artifact, ArtifactEncoding};
use crate::inventory::{Inventory, RoamingKind, SiteCode};
use crate::plan::model::{Action, Connection, Plan, Step};

pub(super) fn boundary_lists(inv: &Inventory, plan: &Plan) -> Vec<Artifact> {
    let mut by_site: BTreeMap<SiteCode, Vec<&Step>> = BTreeMap::new();
    for step in &plan.steps {
        match &step.action {
            Action::RemoveBoundary { site, .. } | Action::AddBoundary { site, .. } => {
                by_site.entry(*site).or_default().push(step);
            }
            _ => {}
        }
    }
    by_site
        .into_iter()
        .map(|(site, steps)| {
            let name = inv
                .site(site)
                .map(|s| s.name.as_str())
                .or_else(|| plan.site(site).map(|s| s.name.as_str()))
                .unwrap_or("");
            Artifact {
                path: worklist_path(site),
                text: list(site, name, &steps),
                encoding: ArtifactEncoding::Utf8Bom,
            }
        })
        .collect()
}

fn list(site: SiteCode, name: &str, steps: &[&Step]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let header = [
        "step",
        "wave",
        "action",
        "site",
        "site_name",
        "kind",
        "value",
        "entry",
        "after_steps",
        "done",
    ];
    let _ = w.write_record(header);
    for step in steps {
        let (action, boundary, entry) = match &step.action {
            Action::RemoveBoundary { boundary, .. } => {
                let entry = match boundary.roaming {
                    None => "site boundary",
                    Some(RoamingKind::Local) => "local roaming boundary",
                    Some(RoamingKind::Remote) => "remote roaming boundary",
                };
                ("delete", boundary, entry)
            }
            Action::AddBoundary {
                boundary,
                connection,
                ..
            } => {
                let entry = match connection {
                    Connection::Fast => "fast (LAN)",
                    Connection::Slow => "slow or unreliable",
                };
                ("add", boundary, entry)
            }
            _ => continue,
        };
        let after: Vec<String> = step.depends_on.iter().map(ToString::to_string).collect();
        let record = [
            step.seq.to_string(),
            step.wave.map(|w| w.to_string()).unwrap_or_default(),
            action.to_owned(),
            site.to_string(),
            csv_field(name),
            boundary.kind.as_str().to_owned(),
            csv_field(&boundary.value),
            entry.to_owned(),
            after.join(" "),
            String::new(),
        ];
        let _ = w.write_record(&record);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
