//! The SMS 2003 hierarchy inventory (DESIGN §4.2): the model every assessment and plan is
//! computed from, and its sources.
//!
//! - [`model`]: the serde types ([`Inventory`], [`Site`], [`Boundary`], ...).
//! - [`schema`]: the offline export format — one CSV per table — and the read-only extraction
//!   queries that produce it.
//! - [`map`]: one row → one model record, shared by the CSV loader and the live pull.
//! - [`load`]: loading an export directory, with located [`LoadError`]s and [`Finding`]s.
//! - `pull` (feature `mssql`): the live extraction through tiberius.
//! - [`script`]: the VBScript that reads boundaries and site settings from the SMS Provider.
//! - [`summary`]: the per-site summary `smsmig inventory show` prints.
//! - [`write`](mod@write): writing a model back as an export directory.
//! - [`synth`]: synthetic hierarchies of any size, and the sample hierarchy.

mod csv_read;
pub mod error;
pub mod finding;
pub mod load;
pub mod map;
pub mod model;
#[cfg(feature = "mssql")]
pub mod pull;
pub mod schema;
pub mod script;
pub mod summary;
pub mod synth;
pub mod write;

pub use error::{LoadError, Location};
pub use finding::{Finding, FindingKind, Severity};
pub use load::{load_dir, Loaded};
pub use model::{
    parse_ipv6_prefix, sms2003_service_pack, Advertisement, Boundary, BoundaryKind, BoundaryValue,
    BoundaryValueError, Client, ClientType, Collection, CollectionRule, Inventory, Ipv6Problem,
    Package, Program, Query, Report, RoamingKind, SecurityMode, Site, SiteCode, SiteCodeError,
    SiteProduct, SiteType, SMS2003_SERVICE_PACK_BUILDS,
};
pub use schema::{extraction_script, Table, TableSpec, TABLES};
pub use summary::{summarize, SiteSummary, Summary, Totals};
pub use write::write_dir;
