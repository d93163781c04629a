//! The SMS 2003 hierarchy inventory (DESIGN §4.2): the model every assessment and plan is
//! computed from, and its sources.
//!
//! - [`model`]: the serde types ([`Inventory`], [`Site`], [`Boundary`], ...).

pub mod model;

pub use model::{
    sms2003_service_pack, Advertisement, Boundary, BoundaryKind, BoundaryValue, BoundaryValueError,
    Client, ClientType, Collection, CollectionRule, Inventory, Package, Program, Query, Report,
    RoamingKind, SecurityMode, Site, SiteCode, SiteCodeError, SiteProduct, SiteType,
    SMS2003_SERVICE_PACK_BUILDS,
};
