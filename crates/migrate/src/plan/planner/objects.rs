//! The objects phase: which SMS database objects are carried, in which order, exported from
//! which SMS site and imported into which ConfigMgr site.
//!
//! Order rules (seed 002, "Migrating SMS Database Objects"): a collection after the collections
//! its query rules are limited to; subcollection links after both collections exist; programs
//! after their package and after the program they depend on; advertisements after their
//! collection, package and program; queries after the collection they are limited to. Queries
//! and reports do not replicate down the hierarchy, so they are imported explicitly into every
//! ConfigMgr primary that needs them; everything else is imported once, into the import site,
//! and replicates down from there.

use std::collections::{BTreeMap, BTreeSet};

use foldhash::{HashMap, HashMapExt as _};

use super::Planner;
use crate::inventory::{Inventory, SiteCode};
use crate::plan::model::{
    is_builtin, parse_dependent_program, Action, FindingKind, ObjectKind, ObjectRef, ObjectSet,
    Phase,
};

/// The SMS site an object is exported from: the site that created it (by source site or ID
/// prefix), else the central site.
pub(crate) fn owner(inv: &Inventory, obj: &ObjectRef) -> Option<SiteCode> {
    let known = |c: SiteCode| inv.site(c).is_some();
    let prefix = |id: &str| {
        id.get(..3)
            .and_then(|p| SiteCode::parse(p).ok())
            .filter(|c| known(*c))
    };
    let package = |id: &str| {
        inv.package(id)
            .and_then(|p| p.source_site)
            .filter(|c| known(*c))
            .or_else(|| prefix(id))
    };
    let found = match obj {
        ObjectRef::Collection { id } => prefix(id),
        ObjectRef::SubcollectionLink { child, .. } => prefix(child),
        ObjectRef::Package { id } => package(id),
        ObjectRef::Program { package: p, .. } => package(p),
        ObjectRef::Advertisement { id } => inv
            .advertisement(id)
            .and_then(|a| a.source_site)
            .filter(|c| known(*c))
            .or_else(|| prefix(id)),
        ObjectRef::Query { id } => prefix(id),
        ObjectRef::Report { id } => inv
            .report(*id)
            .and_then(|r| r.security_key.as_deref())
            .and_then(prefix),
    };
    found
        .or_else(|| inv.central_sites().next().map(|s| s.code))
        .or_else(|| inv.sites.first().map(|s| s.code))
}

/// A program by (package ID, name).
type ProgramKey<'a> = (&'a str, &'a str);

impl Planner<'_> {
    pub(super) fn objects(&mut self) {
        self.plan.objects = self.select_objects();
        let inv = self.inv;
        let mut exports: HashMap<ObjectKind, Vec<u32>> = HashMap::new();
        for kind in ObjectKind::ALL {
            let mut by_site: BTreeMap<SiteCode, Vec<ObjectRef>> = BTreeMap::new();
            for obj in self.plan.objects.of(kind) {
                if let Some(site) = owner(inv, obj) {
                    by_site.entry(site).or_default().push(obj.clone());
                }
            }
            for (site, objects) in by_site {
                let action = Action::ExportObjects {
                    site,
                    kind,
                    objects,
                };
                let seq = self.push(Phase::Objects, None, action, Vec::new());
                self.site_steps.entry(site).or_default().push(seq);
                exports.entry(kind).or_default().push(seq);
            }
        }
        let import_site = self.target.import_site;
        let mut imported: HashMap<(SiteCode, ObjectKind), u32> = HashMap::new();
        for kind in ObjectKind::ALL {
            let objects = self.plan.objects.of(kind).to_vec();
            if objects.is_empty() {
                continue;
            }
            let sites = match kind {
                ObjectKind::Queries | ObjectKind::Reports => self.target.query_report_sites.clone(),
                _ => vec![import_site],
            };
            let needs: &[ObjectKind] = match kind {
                ObjectKind::Programs => &[ObjectKind::Packages],
                ObjectKind::Advertisements => &[
                    ObjectKind::Collections,
                    ObjectKind::Packages,
                    ObjectKind::Programs,
                ],
                ObjectKind::Queries => &[ObjectKind::Collections],
                _ => &[],
            };
            for site in sites {
                let mut deps = exports.get(&kind).cloned().unwrap_or_default();
                deps.extend(self.created.get(&site).copied());
                // Collections and packages replicate down from the import site.
                deps.extend(
                    needs
                        .iter()
                        .filter_map(|k| imported.get(&(import_site, *k)).copied()),
                );
                let action = Action::ImportObjects {
                    site,
                    kind,
                    objects: objects.clone(),
                };
                let seq = self.push(Phase::Objects, None, action, deps);
                imported.insert((site, kind), seq);
            }
        }
    }

    fn select_objects(&mut self) -> ObjectSet {
        let mut set = ObjectSet::default();
        let mut builtins = 0;
        let carry = self.target.carry.clone();
        if carry.contains(&ObjectKind::Collections) {
            builtins += self.select_collections(&mut set);
        }
        if carry.contains(&ObjectKind::Packages) {
            self.select_software(&mut set, &carry);
        }
        if carry.contains(&ObjectKind::Advertisements) {
            self.select_advertisements(&mut set);
        }
        if carry.contains(&ObjectKind::Queries) {
            builtins += self.select_queries(&mut set);
        }
        if carry.contains(&ObjectKind::Reports) {
            let ex = &self.target.exclude.reports;
            set.reports = self
                .inv
                .reports
                .iter()
                .filter(|r| !ex.contains(&r.id))
                .map(|r| ObjectRef::Report { id: r.id })
                .collect();
        }
        if builtins > 0 {
            self.finding(None, None, FindingKind::BuiltInObjects { count: builtins });
        }
        set
    }

    /// Collections in limiting order, then subcollection links; returns the built-ins skipped.
    fn select_collections(&mut self, set: &mut ObjectSet) -> usize {
        let inv = self.inv;
        let ex = &self.target.exclude.collections;
        let builtins = inv.collections.iter().filter(|c| is_builtin(&c.id)).count();
        let mut chosen: BTreeSet<&str> = inv
            .collections
            .iter()
            .filter(|c| !is_builtin(&c.id) && !ex.contains(&c.id))
            .map(|c| c.id.as_str())
            .collect();
        // Drop collections whose limiting collection is not carried, until none is left.
        loop {
            let missing: Vec<(&str, &str)> = chosen
                .iter()
                .filter_map(|id| {
                    let col = inv.collection(id)?;
                    let dep = col
                        .limiting_collections()
                        .into_iter()
                        .find(|d| !is_builtin(d) && !chosen.contains(d))?;
                    Some((col.id.as_str(), dep))
                })
                .collect();
            if missing.is_empty() {
                break;
            }
            for (id, dep) in missing {
                chosen.remove(id);
                let kind = FindingKind::MissingDependency {
                    object: ObjectRef::Collection { id: id.to_owned() },
                    needs: ObjectRef::Collection { id: dep.to_owned() },
                };
                self.finding(None, None, kind);
            }
        }
        // Kahn's algorithm, smallest ID first among the ready ones.
        let deps: BTreeMap<&str, Vec<&str>> = chosen
            .iter()
            .map(|id| {
                let col = inv.collection(id).expect("chosen from the inventory");
                let d = col
                    .limiting_collections()
                    .into_iter()
                    .filter(|d| chosen.contains(d) && d != id)
                    .collect();
                (*id, d)
            })
            .collect();
        let mut waiting: HashMap<&str, usize> = deps.iter().map(|(id, d)| (*id, d.len())).collect();
        let mut dependents: HashMap<&str, Vec<&str>> = HashMap::new();
        for (id, d) in &deps {
            for x in d {
                dependents.entry(*x).or_default().push(id);
            }
        }
        let mut ready: BTreeSet<&str> = waiting
            .iter()
            .filter(|(_, n)| **n == 0)
            .map(|(id, _)| *id)
            .collect();
        let mut order: Vec<&str> = Vec::new();
        let mut done: BTreeSet<&str> = BTreeSet::new();
        while let Some(next) = ready.pop_first() {
            done.insert(next);
            order.push(next);
            for d in dependents.get(next).into_iter().flatten() {
                let n = waiting.get_mut(d).expect("every dependent waits");
                *n -= 1;
                if *n == 0 {
                    ready.insert(d);
                }
            }
        }
        if order.len() < chosen.len() {
            let collections: Vec<String> = chosen
                .iter()
                .filter(|id| !done.contains(*id))
                .map(|id| (*id).to_owned())
                .collect();
            self.finding(None, None, FindingKind::CollectionCycle { collections });
        }
        for id in &order {
            let col = inv.collection(id).expect("chosen from the inventory");
            let members = col
                .rules
                .iter()
                .filter(|r| matches!(r, crate::inventory::CollectionRule::Direct { .. }))
                .count();
            if members > 0 {
                let kind = FindingKind::DirectRulesConverted {
                    collection: (*id).to_owned(),
                    members,
                };
                self.finding(None, None, kind);
            }
        }
        let carried: BTreeSet<&str> = order.iter().copied().collect();
        set.collections = order
            .iter()
            .map(|id| ObjectRef::Collection {
                id: (*id).to_owned(),
            })
            .collect();
        let mut links: Vec<ObjectRef> = inv
            .collections
            .iter()
            .filter(|p| carried.contains(p.id.as_str()) || is_builtin(&p.id))
            .flat_map(|p| {
                p.subcollections
                    .iter()
                    .filter(|c| carried.contains(c.as_str()))
                    .map(|c| ObjectRef::SubcollectionLink {
                        parent: p.id.clone(),
                        child: c.clone(),
                    })
            })
            .collect();
        links.sort();
        set.collections.extend(links);
        builtins
    }

    /// Packages and their programs (a program after the one it depends on).
    fn select_software(&mut self, set: &mut ObjectSet, carry: &BTreeSet<ObjectKind>) {
        let inv = self.inv;
        let ex = &self.target.exclude.packages;
        let packages: BTreeSet<&str> = inv
            .packages
            .iter()
            .filter(|p| !ex.contains(&p.id))
            .map(|p| p.id.as_str())
            .collect();
        set.packages = packages
            .iter()
            .map(|id| ObjectRef::Package {
                id: (*id).to_owned(),
            })
            .collect();
        if !carry.contains(&ObjectKind::Programs) {
            return;
        }
        let mut chosen: BTreeSet<(&str, &str)> = inv
            .programs
            .iter()
            .filter(|p| packages.contains(p.package_id.as_str()))
            .map(|p| (p.package_id.as_str(), p.name.as_str()))
            .collect();
        let dependency = |pkg: &str, name: &str| {
            inv.program(pkg, name)
                .and_then(|p| p.dependent_program.as_deref())
                .and_then(parse_dependent_program)
        };
        loop {
            let missing: Vec<(ProgramKey<'_>, (String, String))> = chosen
                .iter()
                .filter_map(|(pkg, name)| {
                    let dep = dependency(pkg, name)?;
                    (!chosen.contains(&(dep.0.as_str(), dep.1.as_str())))
                        .then_some(((*pkg, *name), dep))
                })
                .collect();
            if missing.is_empty() {
                break;
            }
            for ((pkg, name), (dpkg, dname)) in missing {
                chosen.remove(&(pkg, name));
                let kind = FindingKind::MissingDependency {
                    object: ObjectRef::Program {
                        package: pkg.to_owned(),
                        name: name.to_owned(),
                    },
                    needs: ObjectRef::Program {
                        package: dpkg,
                        name: dname,
                    },
                };
                self.finding(None, None, kind);
            }
        }
        // Depth-first: the dependency chain of each program first (chains are short).
        let mut order: Vec<(&str, &str)> = Vec::new();
        let mut placed: BTreeSet<(&str, &str)> = BTreeSet::new();
        for start in &chosen {
            let mut chain = vec![*start];
            while let Some(dep) = dependency(chain[chain.len() - 1].0, chain[chain.len() - 1].1) {
                let Some(key) = inv
                    .program(&dep.0, &dep.1)
                    .map(|p| (p.package_id.as_str(), p.name.as_str()))
                    .filter(|k| chosen.contains(k))
                else {
                    break;
                };
                if chain.contains(&key) || placed.contains(&key) {
                    break;
                }
                chain.push(key);
            }
            for key in chain.into_iter().rev() {
                if placed.insert(key) {
                    order.push(key);
                }
            }
        }
        set.programs = order
            .into_iter()
            .map(|(p, n)| ObjectRef::Program {
                package: p.to_owned(),
                name: n.to_owned(),
            })
            .collect();
    }

    fn select_advertisements(&mut self, set: &mut ObjectSet) {
        let inv = self.inv;
        let ex = &self.target.exclude.advertisements;
        let carried: std::collections::HashSet<&ObjectRef> = set
            .collections
            .iter()
            .chain(&set.packages)
            .chain(&set.programs)
            .collect();
        let has = |_: &[ObjectRef], obj: &ObjectRef| carried.contains(obj);
        let mut out = Vec::new();
        for a in inv.advertisements.iter().filter(|a| !ex.contains(&a.id)) {
            let collection = ObjectRef::Collection {
                id: a.collection_id.clone(),
            };
            let package = ObjectRef::Package {
                id: a.package_id.clone(),
            };
            let program = ObjectRef::Program {
                package: a.package_id.clone(),
                name: a.program_name.clone(),
            };
            let missing = if !(is_builtin(&a.collection_id) || has(&set.collections, &collection)) {
                Some(collection)
            } else if !has(&set.packages, &package) {
                Some(package)
            } else if !has(&set.programs, &program) {
                Some(program)
            } else {
                None
            };
            let object = ObjectRef::Advertisement { id: a.id.clone() };
            match missing {
                None => out.push(object),
                Some(needs) => {
                    self.finding(None, None, FindingKind::MissingDependency { object, needs });
                }
            }
        }
        set.advertisements = out;
    }

    /// Queries (limited to a carried or built-in collection); returns the built-ins skipped.
    fn select_queries(&mut self, set: &mut ObjectSet) -> usize {
        let inv = self.inv;
        let ex = &self.target.exclude.queries;
        let mut builtins = 0;
        let mut out = Vec::new();
        let collections: std::collections::HashSet<&ObjectRef> = set.collections.iter().collect();
        for q in inv.queries.iter().filter(|q| !ex.contains(&q.id)) {
            if is_builtin(&q.id) {
                builtins += 1;
                continue;
            }
            let object = ObjectRef::Query { id: q.id.clone() };
            match q.limit_to.as_deref() {
                Some(limit)
                    if !is_builtin(limit)
                        && !collections.contains(&ObjectRef::Collection {
                            id: limit.to_owned(),
                        }) =>
                {
                    let needs = ObjectRef::Collection {
                        id: limit.to_owned(),
                    };
                    self.finding(None, None, FindingKind::MissingDependency { object, needs });
                }
                _ => out.push(object),
            }
        }
        set.queries = out;
        builtins
    }
}
