//! The verifier against hand-made violations: take the verified sample plan, break one
//! invariant, and check the verifier names it.

use smsmig_migrate::inventory::{Inventory, SiteCode};
use smsmig_migrate::plan::{
    artifacts, verify, Action, ArtifactError, ObjectKind, ObjectRef, Overlap, Plan, Step,
    SubnetMasks, ViolationKind,
};

use crate::support::{planned, sample_inventory, target_text};

fn sample_plan() -> (Inventory, Plan) {
    let inv = sample_inventory();
    let (p, v) = planned(&inv, &target_text("sample.toml"));
    assert!(v.passed(), "{:?}", v.violations);
    (inv, p)
}

fn code(s: &str) -> SiteCode {
    SiteCode::parse(s).unwrap()
}

/// The seq of the first step matching `pred`.
fn seq_of(p: &Plan, pred: impl Fn(&Step) -> bool) -> u32 {
    p.steps
        .iter()
        .find(|s| pred(s))
        .expect("a matching step")
        .seq
}

/// Renumber after the steps were reordered or removed, keeping dependencies on the same steps
/// (and dropping those on removed ones).
fn renumber(p: &mut Plan) {
    let map: std::collections::HashMap<u32, u32> = p
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.seq, i as u32 + 1))
        .collect();
    for s in &mut p.steps {
        s.seq = map[&s.seq];
        s.depends_on = s
            .depends_on
            .iter()
            .filter_map(|d| map.get(d).copied())
            .collect();
    }
}

/// Move step `seq` to just before step `before`.
fn move_before(p: &mut Plan, seq: u32, before: u32) {
    let from = p.steps.iter().position(|s| s.seq == seq).unwrap();
    let step = p.steps.remove(from);
    let to = p.steps.iter().position(|s| s.seq == before).unwrap();
    p.steps.insert(to, step);
    renumber(p);
}

fn remove_step(p: &mut Plan, seq: u32) {
    p.steps.retain(|s| s.seq != seq);
    renumber(p);
}

fn violations(inv: &Inventory, p: &Plan) -> Vec<ViolationKind> {
    let v = verify(inv, p);
    assert!(!v.passed(), "the broken plan passed verification");
    v.violations.into_iter().map(|x| x.kind).collect()
}

fn is_add(s: &Step) -> bool {
    matches!(s.action, Action::AddBoundary { .. })
}

#[test]
fn add_before_remove_is_an_overlap() {
    let (inv, mut p) = sample_plan();
    let add = seq_of(&p, |s| s.wave == Some(1) && is_add(s));
    let first_remove = seq_of(&p, |s| s.wave == Some(1));
    move_before(&mut p, add, first_remove);
    let found = violations(&inv, &p);
    assert!(found.iter().any(|k| matches!(
        k,
        ViolationKind::Overlap { site, overlap: Overlap::Yes, .. } if site.as_str() == "C01"
    )));
}

#[test]
fn missing_wait_is_caught() {
    let (inv, mut p) = sample_plan();
    let wait = seq_of(&p, |s| {
        s.wave == Some(2) && matches!(s.action, Action::WaitReplication { .. })
    });
    remove_step(&mut p, wait);
    let found = violations(&inv, &p);
    assert!(found
        .iter()
        .any(|k| matches!(k, ViolationKind::NoReplicationWait { removed_site, .. } if removed_site.as_str() == "DAL")));
    assert!(!found
        .iter()
        .any(|k| matches!(k, ViolationKind::Overlap { .. })));
}

#[test]
fn zero_minute_wait_is_caught() {
    let (inv, mut p) = sample_plan();
    for s in &mut p.steps {
        if let Action::WaitReplication { minutes } = &mut s.action {
            *minutes = 0;
        }
    }
    assert!(violations(&inv, &p).contains(&ViolationKind::ZeroWait));
}

#[test]
fn reassignment_before_add_is_caught() {
    let (inv, mut p) = sample_plan();
    let reassign = seq_of(&p, |s| {
        s.wave == Some(3) && matches!(s.action, Action::ReassignClients { .. })
    });
    let first_add = seq_of(&p, |s| s.wave == Some(3) && is_add(s));
    move_before(&mut p, reassign, first_add);
    let found = violations(&inv, &p);
    assert!(found.iter().any(
        |k| matches!(k, ViolationKind::ClientNotCovered { site, .. } if site.as_str() == "C03")
    ));
}

#[test]
fn reassignment_to_a_secondary_is_caught() {
    let (inv, mut p) = sample_plan();
    for s in &mut p.steps {
        if let Action::ReassignClients { to_site, .. } = &mut s.action {
            if to_site.as_str() == "C02" {
                *to_site = code("C04");
            }
        }
    }
    assert!(
        violations(&inv, &p).contains(&ViolationKind::ReassignToSecondary { site: code("C04") })
    );
}

#[test]
fn configmgr_site_under_sms_parent_is_caught() {
    let (inv, mut p) = sample_plan();
    let c02 = p
        .sites
        .iter_mut()
        .find(|s| s.code.as_str() == "C02")
        .unwrap();
    c02.parent = Some(code("HOU"));
    assert!(violations(&inv, &p).contains(&ViolationKind::SmsParent {
        site: code("C02"),
        parent: code("HOU"),
    }));
}

#[test]
fn central_site_must_come_first() {
    let (inv, mut p) = sample_plan();
    move_before(&mut p, 2, 1);
    let found = violations(&inv, &p);
    assert!(found.contains(&ViolationKind::CentralNotFirst { site: code("C02") }));
}

fn import_seq(p: &Plan, kind: ObjectKind, site: &str) -> u32 {
    seq_of(
        p,
        |s| matches!(&s.action, Action::ImportObjects { kind: k, site: c, .. } if *k == kind && c.as_str() == site),
    )
}

#[test]
fn advertisement_before_its_collection_is_caught() {
    let (inv, mut p) = sample_plan();
    let ads = import_seq(&p, ObjectKind::Advertisements, "C01");
    let cols = import_seq(&p, ObjectKind::Collections, "C01");
    move_before(&mut p, ads, cols);
    let found = violations(&inv, &p);
    assert!(found.iter().any(|k| matches!(
        k,
        ViolationKind::DependencyNotImported {
            object: ObjectRef::Advertisement { id },
            needs: ObjectRef::Collection { id: col },
        } if id == "HOU20001" && col == "HOU00010"
    )));
}

#[test]
fn program_before_its_package_is_caught() {
    let (inv, mut p) = sample_plan();
    let programs = import_seq(&p, ObjectKind::Programs, "C01");
    let packages = import_seq(&p, ObjectKind::Packages, "C01");
    move_before(&mut p, programs, packages);
    let found = violations(&inv, &p);
    assert!(found.iter().any(|k| matches!(
        k,
        ViolationKind::DependencyNotImported {
            object: ObjectRef::Program { .. },
            needs: ObjectRef::Package { .. }
        }
    )));
}

#[test]
fn queries_must_be_imported_into_every_primary() {
    let (inv, mut p) = sample_plan();
    let queries = import_seq(&p, ObjectKind::Queries, "C02");
    remove_step(&mut p, queries);
    let found = violations(&inv, &p);
    assert!(found.contains(&ViolationKind::NeverImported {
        object: ObjectRef::Query {
            id: "HOU00001".into()
        },
        site: code("C02"),
    }));
}

#[test]
fn import_without_export_is_caught() {
    let (inv, mut p) = sample_plan();
    let export = seq_of(&p, |s| {
        matches!(
            &s.action,
            Action::ExportObjects {
                kind: ObjectKind::Reports,
                ..
            }
        )
    });
    remove_step(&mut p, export);
    let found = violations(&inv, &p);
    assert!(found.contains(&ViolationKind::NotExported {
        object: ObjectRef::Report { id: 401 }
    }));
}

#[test]
fn ad_and_wins_entries_go_after_decommissioning() {
    let (inv, mut p) = sample_plan();
    let ad = seq_of(
        &p,
        |s| matches!(&s.action, Action::RemoveAdWinsEntries { site } if site.as_str() == "DAL"),
    );
    let decommission = seq_of(
        &p,
        |s| matches!(&s.action, Action::DecommissionSite { site } if site.as_str() == "DAL"),
    );
    move_before(&mut p, ad, decommission);
    assert!(violations(&inv, &p)
        .contains(&ViolationKind::AdWinsBeforeDecommission { site: code("DAL") }));

    let (inv, mut p) = sample_plan();
    let ad = seq_of(
        &p,
        |s| matches!(&s.action, Action::RemoveAdWinsEntries { site } if site.as_str() == "HOU"),
    );
    remove_step(&mut p, ad);
    assert!(violations(&inv, &p).contains(&ViolationKind::AdWinsNotRemoved { site: code("HOU") }));
}

#[test]
fn parents_are_decommissioned_after_their_children() {
    let (inv, mut p) = sample_plan();
    let hou = seq_of(
        &p,
        |s| matches!(&s.action, Action::DecommissionSite { site } if site.as_str() == "HOU"),
    );
    let first = seq_of(&p, |s| matches!(s.action, Action::DecommissionSite { .. }));
    move_before(&mut p, hou, first);
    let found = violations(&inv, &p);
    assert!(found.contains(&ViolationKind::ChildStillActive {
        site: code("HOU"),
        child: code("BMT"),
    }));

    // Nothing may touch a site once it is gone.
    let (inv, mut p) = sample_plan();
    let hou = seq_of(
        &p,
        |s| matches!(&s.action, Action::DecommissionSite { site } if site.as_str() == "HOU"),
    );
    let wave1 = seq_of(&p, |s| s.wave == Some(1));
    move_before(&mut p, hou, wave1);
    assert!(violations(&inv, &p).contains(&ViolationKind::SiteDecommissioned { site: code("HOU") }));
}

#[test]
fn an_undecidable_overlap_is_a_violation() {
    // The sample plan relies on the target's /24 masks; without them the verifier cannot
    // prove that Fort Worth's 10.21.4.0 stays clear of Dallas's 10.20.0.0.
    let (inv, mut p) = sample_plan();
    p.masks = SubnetMasks::default();
    let found = violations(&inv, &p);
    assert!(found.iter().any(|k| matches!(
        k,
        ViolationKind::Overlap { overlap: Overlap::CannotDecide, site, other_site, .. }
            if site.as_str() == "C04" && other_site.as_str() == "C02"
    )));
}

#[test]
fn bookkeeping_errors_are_caught() {
    let (inv, mut p) = sample_plan();
    p.steps[5].seq = 99;
    p.steps[6].depends_on.push(200);
    let found = violations(&inv, &p);
    assert!(found.contains(&ViolationKind::SeqOutOfOrder { expected: 6 }));
    assert!(found.contains(&ViolationKind::BadDependency { on: 200 }));

    let (inv, mut p) = sample_plan();
    let create = seq_of(
        &p,
        |s| matches!(&s.action, Action::CreateSite { site } if site.as_str() == "C03"),
    );
    remove_step(&mut p, create);
    let found = violations(&inv, &p);
    assert!(found.contains(&ViolationKind::NeverBuilt { site: code("C03") }));
    assert!(found.contains(&ViolationKind::SiteNotBuilt { site: code("C03") }));
}

#[test]
fn no_artifacts_for_a_plan_that_fails_verification() {
    let (inv, mut p) = sample_plan();
    let wait = seq_of(&p, |s| matches!(s.action, Action::WaitReplication { .. }));
    remove_step(&mut p, wait);
    let v = verify(&inv, &p);
    assert_eq!(
        artifacts(&inv, &p, &v),
        Err(ArtifactError::NotVerified {
            violations: v.violations.len()
        })
    );
}

/// The verifier replays a run of reassignments by client, not step by step; what it reports
/// must still read in step order, as if each step had been checked on its own.
#[test]
fn consecutive_reassignments_report_in_step_order() {
    let (inv, mut p) = sample_plan();
    let i = p
        .steps
        .iter()
        .position(
            |s| matches!(&s.action, Action::ReassignClients { clients, .. } if !clients.is_empty()),
        )
        .expect("a reassignment");
    let Action::ReassignClients {
        from_site,
        to_site,
        clients,
    } = p.steps[i].action.clone()
    else {
        unreachable!()
    };
    // The same move again, right after: its client is no longer where it says.
    let mut again = p.steps[i].clone();
    again.seq = u32::MAX - 1;
    if let Action::ReassignClients { clients: c, .. } = &mut again.action {
        *c = vec![clients[0]];
    }
    p.steps.insert(i + 1, again);
    let unknown = u32::MAX - 1;
    if let Action::ReassignClients { clients: c, .. } = &mut p.steps[i].action {
        c.insert(0, unknown);
    }
    renumber(&mut p);
    p.steps[i + 1].depends_on.push(u32::MAX);
    let (first, second) = (p.steps[i].seq, p.steps[i + 1].seq);
    let got: Vec<(Option<u32>, ViolationKind)> = verify(&inv, &p)
        .violations
        .into_iter()
        .map(|v| (v.seq, v.kind))
        .collect();
    assert!(got.windows(2).all(|w| w[0].0 <= w[1].0), "{got:#?}");
    let at = |seq: u32, kind: ViolationKind| {
        got.iter()
            .position(|x| *x == (Some(seq), kind.clone()))
            .unwrap_or_else(|| panic!("{kind:?} at step {seq} not in {got:#?}"))
    };
    let order = [
        at(first, ViolationKind::UnknownClient { client: unknown }),
        at(second, ViolationKind::BadDependency { on: u32::MAX }),
        at(
            second,
            ViolationKind::WrongFromSite {
                client: clients[0],
                expected: from_site,
                actual: Some(to_site),
            },
        ),
    ];
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "{order:?} in {got:#?}"
    );
    assert_eq!(got.len(), 3, "{got:#?}");
}
