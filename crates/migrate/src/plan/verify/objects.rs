//! Object imports: each object exported first, and what it needs already available at the site
//! — imported there or at a ConfigMgr site above it (collections, packages, programs and
//! advertisements replicate down) or built in (`SMS` prefix).

use super::{Sim, ViolationKind};
use crate::inventory::{CollectionRule, Inventory, SiteCode, SiteType};
use crate::plan::model::{is_builtin, parse_dependent_program, ObjectRef};

/// Whether the inventory has the object.
fn exists(inv: &Inventory, obj: &ObjectRef) -> bool {
    match obj {
        ObjectRef::Collection { id } => inv.collection(id).is_some(),
        ObjectRef::SubcollectionLink { parent, child } => inv
            .collection(parent)
            .is_some_and(|p| p.subcollections.iter().any(|c| c == child)),
        ObjectRef::Package { id } => inv.package(id).is_some(),
        ObjectRef::Program { package, name } => inv.program(package, name).is_some(),
        ObjectRef::Advertisement { id } => inv.advertisement(id).is_some(),
        ObjectRef::Query { id } => inv.query(id).is_some(),
        ObjectRef::Report { id } => inv.report(*id).is_some(),
    }
}

/// What an object needs imported before it (built-ins left out).
fn needs(inv: &Inventory, obj: &ObjectRef) -> Vec<ObjectRef> {
    let collection =
        |id: &str| (!is_builtin(id)).then(|| ObjectRef::Collection { id: id.to_owned() });
    match obj {
        ObjectRef::Collection { id } => inv
            .collection(id)
            .map(|c| {
                c.rules
                    .iter()
                    .filter_map(|r| match r {
                        CollectionRule::Query { limit_to, .. } => limit_to.as_deref(),
                        CollectionRule::Direct { .. } => None,
                    })
                    .filter(|l| l != id)
                    .filter_map(collection)
                    .collect()
            })
            .unwrap_or_default(),
        ObjectRef::SubcollectionLink { parent, child } => collection(parent)
            .into_iter()
            .chain(collection(child))
            .collect(),
        ObjectRef::Program { package, name } => {
            let mut v = vec![ObjectRef::Package {
                id: package.clone(),
            }];
            if let Some((p, n)) = inv
                .program(package, name)
                .and_then(|p| p.dependent_program.as_deref())
                .and_then(parse_dependent_program)
            {
                v.push(ObjectRef::Program {
                    package: p,
                    name: n,
                });
            }
            v
        }
        ObjectRef::Advertisement { id } => inv
            .advertisement(id)
            .map(|a| {
                collection(&a.collection_id)
                    .into_iter()
                    .chain([
                        ObjectRef::Package {
                            id: a.package_id.clone(),
                        },
                        ObjectRef::Program {
                            package: a.package_id.clone(),
                            name: a.program_name.clone(),
                        },
                    ])
                    .collect()
            })
            .unwrap_or_default(),
        ObjectRef::Query { id } => inv
            .query(id)
            .and_then(|q| q.limit_to.as_deref())
            .and_then(collection)
            .into_iter()
            .collect(),
        ObjectRef::Package { .. } | ObjectRef::Report { .. } => Vec::new(),
    }
}

impl Sim<'_> {
    pub(super) fn import(&mut self, site: SiteCode, objects: &[ObjectRef]) {
        if !self.configmgr_site(site) {
            return;
        }
        if self.new_sites[&site].site_type == SiteType::Secondary {
            self.violation(ViolationKind::WrongProduct {
                site,
                expected: "ConfigMgr primary",
            });
            return;
        }
        for obj in objects {
            if !exists(self.inv, obj) {
                self.violation(ViolationKind::UnknownObject {
                    object: obj.clone(),
                });
                continue;
            }
            if !self.exported.contains(obj) {
                self.violation(ViolationKind::NotExported {
                    object: obj.clone(),
                });
            }
            for need in needs(self.inv, obj) {
                if !self.available(site, &need) {
                    self.violation(ViolationKind::DependencyNotImported {
                        object: obj.clone(),
                        needs: need,
                    });
                }
            }
            self.imported.insert((site, obj.clone()));
        }
    }

    /// Imported at `site` or at a ConfigMgr site above it.
    fn available(&self, site: SiteCode, obj: &ObjectRef) -> bool {
        let mut current = Some(site);
        for _ in 0..=self.new_sites.len() {
            let Some(code) = current else {
                return false;
            };
            if self.imported.contains(&(code, obj.clone())) {
                return true;
            }
            current = self.new_sites.get(&code).and_then(|s| s.parent);
        }
        false
    }
}
