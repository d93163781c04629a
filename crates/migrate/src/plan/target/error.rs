//! Why a target description is rejected. Every variant carries the identifiers involved and,
//! where the TOML text has one, the byte span to point at.

use std::ops::Range;

use crate::inventory::{BoundaryValueError, SiteCodeError};

/// A byte range into the target text.
pub type TextSpan = Range<usize>;

/// One problem with a target description.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TargetError {
    /// Not valid TOML, or not the documented shape (unknown key, wrong type).
    #[error("{message}")]
    Syntax {
        /// The TOML parser's message.
        message: String,
        /// Where.
        span: Option<TextSpan>,
    },
    /// A site code that is not three characters `A-Z0-9`.
    #[error("invalid site code: {source}")]
    InvalidSiteCode {
        /// Why.
        #[source]
        source: SiteCodeError,
        /// Where.
        span: TextSpan,
    },
    /// A site code Windows or SMS reserves (`AUX`, `CON`, `NUL`, `PRN`, `SMS`; KB 279868).
    #[error("site code `{code}` is reserved (AUX, CON, NUL, PRN and SMS cannot be site codes)")]
    ReservedSiteCode {
        /// The code.
        code: String,
        /// Where.
        span: TextSpan,
    },
    /// A code that names no site where one of `expected` kind is required.
    #[error("unknown {expected} site `{code}`")]
    UnknownSiteCode {
        /// The code.
        code: String,
        /// `new` (a site of the target) or `SMS` (a site of the inventory).
        expected: &'static str,
        /// Where.
        span: TextSpan,
    },
    /// Two new sites with one code.
    #[error("site `{code}` is defined twice")]
    DuplicateSite {
        /// The code.
        code: String,
        /// The second definition.
        span: TextSpan,
    },
    /// A new site reuses the code of an SMS site (side by side needs new codes).
    #[error("site code `{code}` belongs to an SMS site; new sites need new codes")]
    SiteCodeInUse {
        /// The code.
        code: String,
        /// Where.
        span: TextSpan,
    },
    /// No new site without a parent.
    #[error("the target has no central site (a site without `parent`)")]
    NoCentralSite,
    /// More than one new site without a parent.
    #[error("the target has several central sites: {codes}")]
    SeveralCentralSites {
        /// The codes, comma-separated.
        codes: String,
        /// The second one.
        span: TextSpan,
    },
    /// A ConfigMgr site with an SMS 2003 parent (a ConfigMgr site cannot be the child of one).
    #[error("ConfigMgr site `{site}` cannot have SMS 2003 site `{parent}` as its parent")]
    ConfigMgrUnderSms {
        /// The new site.
        site: String,
        /// The SMS parent.
        parent: String,
        /// Where the parent is named.
        span: TextSpan,
    },
    /// A new site is its own ancestor.
    #[error("site `{site}` is its own ancestor")]
    ParentCycle {
        /// A site on the cycle.
        site: String,
        /// Where its parent is named.
        span: TextSpan,
    },
    /// A secondary site without a parent, or under another secondary.
    #[error("secondary site `{site}` needs a primary parent")]
    SecondaryParent {
        /// The secondary site.
        site: String,
        /// Where.
        span: TextSpan,
    },
    /// A site server that is not a host name.
    #[error("`{value}` is not a host name (letters, digits and `-` in dot-separated labels)")]
    InvalidServerName {
        /// The text.
        value: String,
        /// Where.
        span: TextSpan,
    },
    /// An empty site name.
    #[error("site `{site}` has an empty name")]
    EmptyName {
        /// The site.
        site: String,
        /// Where.
        span: TextSpan,
    },
    /// A boundary kind other than `ip_subnet`, `ip_range`, `ad_site`, `ipv6_prefix`.
    #[error("unknown boundary kind `{kind}`")]
    UnknownBoundaryKind {
        /// The text.
        kind: String,
        /// Where.
        span: TextSpan,
    },
    /// A boundary value that does not parse.
    #[error("invalid boundary: {source}")]
    InvalidBoundary {
        /// Why.
        #[source]
        source: BoundaryValueError,
        /// Where.
        span: TextSpan,
    },
    /// A boundary the site does not have.
    #[error("site `{site}` has no {kind} boundary `{value}`")]
    UnknownBoundary {
        /// The SMS site.
        site: String,
        /// Kind as written.
        kind: String,
        /// Value as written.
        value: String,
        /// Where.
        span: TextSpan,
    },
    /// One boundary entry reached by two moves.
    #[error("boundary {boundary} of `{site}` is mapped twice (first in wave {first_wave})")]
    BoundaryMappedTwice {
        /// The SMS site.
        site: String,
        /// The entry, rendered.
        boundary: String,
        /// Wave of the first mapping.
        first_wave: u32,
        /// The second mapping.
        span: TextSpan,
    },
    /// A wave without moves, or a move naming neither sites nor boundaries.
    #[error("wave {wave} moves no sites and no boundaries")]
    WaveWithoutSites {
        /// The wave number.
        wave: u32,
        /// Where.
        span: Option<TextSpan>,
    },
    /// No replication wait, neither at the top nor for this wave.
    #[error("wave {wave} has no replication wait: set `replication_wait_minutes`")]
    MissingReplicationWait {
        /// The wave number.
        wave: u32,
    },
    /// A wait outside 1..=10080 minutes (one week).
    #[error("replication wait of {value} minutes is outside 1..=10080")]
    InvalidWait {
        /// The value.
        value: i64,
        /// Where.
        span: TextSpan,
    },
    /// A `[subnet_masks]` entry that is not a subnet ID with a mask.
    #[error("invalid subnet mask entry `{key}`: {reason}")]
    InvalidMask {
        /// The key.
        key: String,
        /// Why.
        reason: &'static str,
        /// Where.
        span: TextSpan,
    },
    /// An object kind other than those documented.
    #[error(
        "unknown object kind `{value}` (collections, packages, advertisements, queries, reports)"
    )]
    UnknownObjectKind {
        /// The text.
        value: String,
        /// Where.
        span: TextSpan,
    },
    /// An exclusion or selection naming an object or client the inventory lacks.
    #[error("unknown {what} `{id}`")]
    UnknownObject {
        /// `collection`, `package`, `advertisement`, `query`, `report`, `client`.
        what: &'static str,
        /// The ID or name.
        id: String,
        /// Where.
        span: TextSpan,
    },
    /// Objects imported into a secondary site (they need a site database).
    #[error("objects cannot be imported into secondary site `{site}`")]
    ImportIntoSecondary {
        /// The site.
        site: String,
        /// Where.
        span: TextSpan,
    },
    /// A site to decommission has a child site that stays.
    #[error("SMS site `{site}` cannot be decommissioned while its child `{child}` stays")]
    DecommissionKeepsChild {
        /// The site.
        site: String,
        /// The child that is kept.
        child: String,
        /// Where.
        span: TextSpan,
    },
}

impl TargetError {
    /// The span in the target text, if the error has one.
    pub fn span(&self) -> Option<TextSpan> {
        match self {
            Self::Syntax { span, .. } | Self::WaveWithoutSites { span, .. } => span.clone(),
            Self::NoCentralSite | Self::MissingReplicationWait { .. } => None,
            Self::InvalidSiteCode { span, .. }
            | Self::ReservedSiteCode { span, .. }
            | Self::UnknownSiteCode { span, .. }
            | Self::DuplicateSite { span, .. }
            | Self::SiteCodeInUse { span, .. }
            | Self::SeveralCentralSites { span, .. }
            | Self::ConfigMgrUnderSms { span, .. }
            | Self::ParentCycle { span, .. }
            | Self::SecondaryParent { span, .. }
            | Self::InvalidServerName { span, .. }
            | Self::EmptyName { span, .. }
            | Self::UnknownBoundaryKind { span, .. }
            | Self::InvalidBoundary { span, .. }
            | Self::UnknownBoundary { span, .. }
            | Self::BoundaryMappedTwice { span, .. }
            | Self::InvalidWait { span, .. }
            | Self::InvalidMask { span, .. }
            | Self::UnknownObjectKind { span, .. }
            | Self::UnknownObject { span, .. }
            | Self::ImportIntoSecondary { span, .. }
            | Self::DecommissionKeepsChild { span, .. } => Some(span.clone()),
        }
    }

    /// A stable code for the error (`unknown_site_code`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Syntax { .. } => "syntax",
            Self::InvalidSiteCode { .. } => "invalid_site_code",
            Self::ReservedSiteCode { .. } => "reserved_site_code",
            Self::UnknownSiteCode { .. } => "unknown_site_code",
            Self::DuplicateSite { .. } => "duplicate_site",
            Self::SiteCodeInUse { .. } => "site_code_in_use",
            Self::NoCentralSite => "no_central_site",
            Self::SeveralCentralSites { .. } => "several_central_sites",
            Self::ConfigMgrUnderSms { .. } => "configmgr_under_sms",
            Self::ParentCycle { .. } => "parent_cycle",
            Self::SecondaryParent { .. } => "secondary_parent",
            Self::InvalidServerName { .. } => "invalid_server_name",
            Self::EmptyName { .. } => "empty_name",
            Self::UnknownBoundaryKind { .. } => "unknown_boundary_kind",
            Self::InvalidBoundary { .. } => "invalid_boundary",
            Self::UnknownBoundary { .. } => "unknown_boundary",
            Self::BoundaryMappedTwice { .. } => "boundary_mapped_twice",
            Self::WaveWithoutSites { .. } => "wave_without_sites",
            Self::MissingReplicationWait { .. } => "missing_replication_wait",
            Self::InvalidWait { .. } => "invalid_wait",
            Self::InvalidMask { .. } => "invalid_mask",
            Self::UnknownObjectKind { .. } => "unknown_object_kind",
            Self::UnknownObject { .. } => "unknown_object",
            Self::ImportIntoSecondary { .. } => "import_into_secondary",
            Self::DecommissionKeepsChild { .. } => "decommission_keeps_child",
        }
    }
}
