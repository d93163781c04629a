//! One-line descriptions of steps, as pieces the caller renders for its medium: plain text,
//! codes and values (site codes, boundary values, paths), and free-text names (site names) that
//! must be escaped — `plan.md` escapes them for Markdown, the terminal quotes them.

use super::artifacts::{mof_path, wave_path};
use super::model::{visible, Action, Connection, ObjectKind, ObjectRef, Plan, Step};
use crate::inventory::{Inventory, RoamingKind, SiteCode, SiteType};

/// A piece of a description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Prose of the tool's own.
    Text(String),
    /// A code, value or path, shown as code.
    Code(String),
    /// A name from the inventory or target, shown as text but escaped.
    Name(String),
}

/// How many objects an export or import step lists by ID.
const LISTED: usize = 8;

fn t(s: impl Into<String>) -> Piece {
    Piece::Text(s.into())
}

fn c(s: impl ToString) -> Piece {
    Piece::Code(s.to_string())
}

fn site_name(inv: &Inventory, plan: &Plan, code: SiteCode) -> Option<String> {
    inv.site(code)
        .map(|s| s.name.clone())
        .or_else(|| plan.site(code).map(|s| s.name.clone()))
}

fn object_id(obj: &ObjectRef) -> String {
    match obj {
        ObjectRef::Collection { id }
        | ObjectRef::Package { id }
        | ObjectRef::Advertisement { id }
        | ObjectRef::Query { id } => id.clone(),
        ObjectRef::SubcollectionLink { parent, child } => format!("{parent}->{child}"),
        ObjectRef::Program { package, name } => format!("{package}/{name}"),
        ObjectRef::Report { id } => id.to_string(),
    }
}

/// `4 collections and 2 subcollection links`: a link is not a collection of its own.
fn object_count(kind: ObjectKind, objects: &[ObjectRef]) -> String {
    let links = objects
        .iter()
        .filter(|o| matches!(o, ObjectRef::SubcollectionLink { .. }))
        .count();
    let mut text = kind.count(objects.len() - links);
    match links {
        0 => {}
        1 => text.push_str(" and 1 subcollection link"),
        n => text.push_str(&format!(" and {n} subcollection links")),
    }
    text
}

fn object_list(out: &mut Vec<Piece>, objects: &[ObjectRef]) {
    for (i, obj) in objects.iter().take(LISTED).enumerate() {
        out.push(t(if i == 0 { ": " } else { ", " }));
        out.push(c(object_id(obj)));
    }
    if objects.len() > LISTED {
        out.push(t(format!(" and {} more", objects.len() - LISTED)));
    }
}

/// The description of a step.
pub fn describe(inv: &Inventory, plan: &Plan, step: &Step) -> Vec<Piece> {
    let mut out = Vec::new();
    match &step.action {
        Action::CreateSite { site } => {
            let new = plan.site(*site);
            let kind = match new.map(|s| s.site_type) {
                Some(SiteType::Secondary) => "secondary",
                _ => "primary",
            };
            out.push(t(format!("install ConfigMgr 2007 {kind} site ")));
            out.push(c(site));
            if let Some(new) = new {
                out.push(t(" "));
                out.push(Piece::Name(new.name.clone()));
                out.push(t(" on "));
                out.push(c(&new.server));
                match new.parent {
                    None => out.push(t(", the central site")),
                    Some(p) => {
                        out.push(t(", child of "));
                        out.push(c(p));
                    }
                }
            }
        }
        Action::ExportObjects {
            site,
            kind,
            objects,
        } => {
            out.push(t(format!(
                "export {} from SMS site ",
                object_count(*kind, objects)
            )));
            out.push(c(site));
            object_list(&mut out, objects);
        }
        Action::ImportObjects {
            site,
            kind,
            objects,
        } => {
            out.push(t(format!("import {} into ", object_count(*kind, objects))));
            out.push(c(site));
            out.push(t(" with "));
            out.push(c(mof_path(*site, *kind)));
        }
        Action::RemoveBoundary { site, boundary } => {
            let entry = match boundary.roaming {
                None => "site boundary",
                Some(RoamingKind::Local) => "local roaming boundary",
                Some(RoamingKind::Remote) => "remote roaming boundary",
            };
            out.push(t(format!("delete {entry} {} ", boundary.kind.as_str())));
            out.push(c(&boundary.value));
            out.push(t(" from SMS site "));
            out.push(c(site));
        }
        Action::WaitReplication { minutes } => out.push(t(format!(
            "wait {minutes} minutes for the removals to replicate"
        ))),
        Action::AddBoundary {
            site,
            boundary,
            connection,
        } => {
            out.push(t(format!("add boundary {} ", boundary.kind.as_str())));
            out.push(c(&boundary.value));
            out.push(t(" to "));
            out.push(c(site));
            out.push(t(match connection {
                Connection::Fast => " (fast)",
                Connection::Slow => " (slow or unreliable)",
            }));
        }
        Action::ReassignClients {
            from_site,
            to_site,
            clients,
        } => {
            let n = clients.len();
            out.push(t(format!(
                "reassign {n} client{} from ",
                if n == 1 { "" } else { "s" }
            )));
            match from_site {
                Some(f) => out.push(c(f)),
                None => out.push(t("no site")),
            }
            out.push(t(" to "));
            out.push(c(to_site));
            if let Some(w) = step.wave {
                out.push(t(" with "));
                out.push(c(wave_path(w, "reassign", *to_site, "vbs")));
                out.push(t(" or "));
                out.push(c(wave_path(w, "reassign", *to_site, "cmd")));
            }
        }
        Action::DecommissionSite { site } => {
            out.push(t("decommission SMS site "));
            out.push(c(site));
            if let Some(name) = site_name(inv, plan, *site) {
                out.push(t(" "));
                out.push(Piece::Name(name));
            }
        }
        Action::RemoveAdWinsEntries { site } => {
            out.push(t("remove the Active Directory and WINS entries of "));
            out.push(c(site));
        }
    }
    out
}

/// How many of a step's dependencies [`dependencies`] lists before summarising the rest.
pub const DEPS_SHOWN: usize = 6;

/// The step's dependencies as a description lists them: the first [`DEPS_SHOWN`] sequence
/// numbers, then `N more` for the rest; empty when the step depends on nothing.
pub fn dependencies(step: &Step) -> Vec<String> {
    let mut deps: Vec<String> = step
        .depends_on
        .iter()
        .take(DEPS_SHOWN)
        .map(ToString::to_string)
        .collect();
    if step.depends_on.len() > DEPS_SHOWN {
        deps.push(format!("{} more", step.depends_on.len() - DEPS_SHOWN));
    }
    deps
}

/// Render pieces as plain text: codes as they are, names quoted with control characters
/// escaped.
pub fn plain(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Text(s) => s.clone(),
            Piece::Code(s) => visible(s).into_owned(),
            Piece::Name(s) => format!("\"{}\"", visible(s)),
        })
        .collect()
}
