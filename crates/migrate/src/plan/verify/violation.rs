//! What the verifier can find wrong with a plan.

use std::fmt;

use serde::Serialize;

use crate::inventory::SiteCode;
use crate::plan::model::{BoundaryRef, ObjectRef};
use crate::plan::overlap::Overlap;

/// A broken invariant, at a step (or at the end of the plan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The step, or `None` for a check made after the last step.
    pub seq: Option<u32>,
    /// What is wrong.
    pub kind: ViolationKind,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.seq {
            Some(seq) => write!(f, "step {seq}: {}", self.kind),
            None => write!(f, "after the last step: {}", self.kind),
        }
    }
}

/// The invariants of DESIGN §4.4, and the bookkeeping a plan must get right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ViolationKind {
    /// Steps are not numbered 1, 2, 3, ...
    SeqOutOfOrder {
        /// The number the step should have.
        expected: u32,
    },
    /// A dependency that is not an earlier step.
    BadDependency {
        /// The dependency.
        on: u32,
    },
    /// A site the plan and the inventory do not know.
    UnknownSite {
        /// The code.
        site: SiteCode,
    },
    /// The action needs an SMS site, this is a ConfigMgr one (or the reverse).
    WrongProduct {
        /// The site.
        site: SiteCode,
        /// `SMS` or `ConfigMgr`: what the action needs.
        expected: &'static str,
    },
    /// A ConfigMgr site used before it is built.
    SiteNotBuilt {
        /// The site.
        site: SiteCode,
    },
    /// A site built twice.
    AlreadyBuilt {
        /// The site.
        site: SiteCode,
    },
    /// The first site built is not the central site.
    CentralNotFirst {
        /// The site built first.
        site: SiteCode,
    },
    /// A ConfigMgr site attached to an SMS 2003 parent.
    SmsParent {
        /// The ConfigMgr site.
        site: SiteCode,
        /// Its SMS parent.
        parent: SiteCode,
    },
    /// A site built before its parent.
    ParentNotBuilt {
        /// The site.
        site: SiteCode,
        /// Its parent.
        parent: SiteCode,
    },
    /// A decommissioned site used again.
    SiteDecommissioned {
        /// The site.
        site: SiteCode,
    },
    /// A boundary removed that the site does not hold.
    BoundaryNotPresent {
        /// The site.
        site: SiteCode,
        /// The boundary.
        boundary: BoundaryRef,
    },
    /// A boundary added that the site already holds.
    BoundaryAlreadyPresent {
        /// The site.
        site: SiteCode,
        /// The boundary.
        boundary: BoundaryRef,
    },
    /// An added boundary overlaps (or may overlap) one another site still holds.
    Overlap {
        /// The site the boundary is added to.
        site: SiteCode,
        /// The boundary.
        boundary: BoundaryRef,
        /// The site still holding the other.
        other_site: SiteCode,
        /// The other boundary.
        other: BoundaryRef,
        /// `yes` or `cannot_decide`.
        overlap: Overlap,
    },
    /// A boundary added without a replication wait after the removal of an overlapping one.
    NoReplicationWait {
        /// The site the boundary is added to.
        site: SiteCode,
        /// The boundary.
        boundary: BoundaryRef,
        /// The site the overlapping entry was removed from.
        removed_site: SiteCode,
        /// The removed entry.
        removed: BoundaryRef,
        /// The removal step.
        removed_at: u32,
    },
    /// A wait of zero minutes.
    ZeroWait,
    /// A client reassigned to a site whose boundaries do not cover it (yet).
    ClientNotCovered {
        /// Resource ID.
        client: u32,
        /// The ConfigMgr site.
        site: SiteCode,
    },
    /// A client reassigned from a site it is not assigned to.
    WrongFromSite {
        /// Resource ID.
        client: u32,
        /// The step's `from_site`.
        expected: Option<SiteCode>,
        /// Where the client actually is.
        actual: Option<SiteCode>,
    },
    /// A client the inventory does not have.
    UnknownClient {
        /// Resource ID.
        client: u32,
    },
    /// Clients reassigned to a secondary site (clients are assigned to primaries).
    ReassignToSecondary {
        /// The site.
        site: SiteCode,
    },
    /// An object imported that was never exported.
    NotExported {
        /// The object.
        object: ObjectRef,
    },
    /// An object the inventory does not have.
    UnknownObject {
        /// The object.
        object: ObjectRef,
    },
    /// An object imported before something it needs (limiting collection before collection,
    /// collection before advertisement, package before program, ...).
    DependencyNotImported {
        /// The object.
        object: ObjectRef,
        /// What it needs first.
        needs: ObjectRef,
    },
    /// A carried object never imported where it must be (queries and reports into every
    /// query/report site, the rest into the import site).
    NeverImported {
        /// The object.
        object: ObjectRef,
        /// The site.
        site: SiteCode,
    },
    /// A site decommissioned while a child site is still running.
    ChildStillActive {
        /// The site.
        site: SiteCode,
        /// Its child.
        child: SiteCode,
    },
    /// AD and WINS entries removed while the site still runs (it would publish them again).
    AdWinsBeforeDecommission {
        /// The site.
        site: SiteCode,
    },
    /// A decommissioned site whose AD and WINS entries are never removed.
    AdWinsNotRemoved {
        /// The site.
        site: SiteCode,
    },
    /// A new site never built.
    NeverBuilt {
        /// The site.
        site: SiteCode,
    },
    /// A site the plan says it decommissions, never decommissioned.
    NeverDecommissioned {
        /// The site.
        site: SiteCode,
    },
}

impl fmt::Display for ViolationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SeqOutOfOrder { expected } => write!(f, "step should be number {expected}"),
            Self::BadDependency { on } => {
                write!(f, "depends on {on}, which is not an earlier step")
            }
            Self::UnknownSite { site } => write!(f, "unknown site {site}"),
            Self::WrongProduct { site, expected } => {
                write!(f, "{site} is not an {expected} site")
            }
            Self::SiteNotBuilt { site } => write!(f, "ConfigMgr site {site} is not built yet"),
            Self::AlreadyBuilt { site } => write!(f, "site {site} is built twice"),
            Self::CentralNotFirst { site } => {
                write!(f, "{site} is built first but is not the central site")
            }
            Self::SmsParent { site, parent } => write!(
                f,
                "ConfigMgr site {site} cannot be a child of SMS 2003 site {parent}"
            ),
            Self::ParentNotBuilt { site, parent } => {
                write!(f, "{site} is built before its parent {parent}")
            }
            Self::SiteDecommissioned { site } => write!(f, "site {site} is already decommissioned"),
            Self::BoundaryNotPresent { site, boundary } => {
                write!(f, "{site} does not hold {boundary}")
            }
            Self::BoundaryAlreadyPresent { site, boundary } => {
                write!(f, "{site} already holds {boundary}")
            }
            Self::Overlap {
                site,
                boundary,
                other_site,
                other,
                overlap,
            } => {
                let how = if *overlap == Overlap::Yes {
                    "overlaps"
                } else {
                    "may overlap (depending on a subnet mask)"
                };
                write!(
                    f,
                    "{boundary} added to {site} {how} {other} still held by {other_site}"
                )
            }
            Self::NoReplicationWait {
                site,
                boundary,
                removed_site,
                removed,
                removed_at,
            } => write!(
                f,
                "{boundary} added to {site} without waiting for replication after {removed} was \
                 removed from {removed_site} at step {removed_at}"
            ),
            Self::ZeroWait => write!(f, "a replication wait of 0 minutes"),
            Self::ClientNotCovered { client, site } => write!(
                f,
                "client {client} reassigned to {site}, but no boundary of {site} covers it"
            ),
            Self::WrongFromSite {
                client,
                expected,
                actual,
            } => {
                let show = |s: &Option<SiteCode>| {
                    s.map_or_else(|| "no site".to_owned(), |c| c.to_string())
                };
                write!(
                    f,
                    "client {client} is reassigned from {} but is assigned to {}",
                    show(expected),
                    show(actual)
                )
            }
            Self::UnknownClient { client } => write!(f, "unknown client {client}"),
            Self::ReassignToSecondary { site } => {
                write!(f, "clients reassigned to secondary site {site}")
            }
            Self::NotExported { object } => write!(f, "{object} is imported but never exported"),
            Self::UnknownObject { object } => write!(f, "unknown {object}"),
            Self::DependencyNotImported { object, needs } => {
                write!(f, "{object} is imported before {needs}")
            }
            Self::NeverImported { object, site } => {
                write!(f, "{object} is never imported into {site}")
            }
            Self::ChildStillActive { site, child } => {
                write!(
                    f,
                    "{site} is decommissioned while its child {child} still runs"
                )
            }
            Self::AdWinsBeforeDecommission { site } => write!(
                f,
                "AD and WINS entries of {site} are removed while it runs (it republishes them)"
            ),
            Self::AdWinsNotRemoved { site } => {
                write!(
                    f,
                    "AD and WINS entries of decommissioned {site} are never removed"
                )
            }
            Self::NeverBuilt { site } => write!(f, "new site {site} is never built"),
            Self::NeverDecommissioned { site } => write!(f, "{site} is never decommissioned"),
        }
    }
}
