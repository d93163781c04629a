//! Boundaries: kinds, roaming, and the typed, fallibly parsed value.

use std::net::{Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

use super::SiteCode;

/// What a boundary's value denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoundaryKind {
    /// An IP subnet given by its subnet ID only (the mask is not recorded).
    IpSubnet,
    /// An inclusive IPv4 address range.
    IpRange,
    /// An Active Directory site name.
    AdSite,
    /// An IPv6 prefix.
    Ipv6Prefix,
}

impl BoundaryKind {
    /// The spelling used in the CSV export (`IP Subnet`, `IP Range`, `AD Site`, `IPv6 Prefix`,
    /// as the SMS Administrator console shows them).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::IpSubnet => "IP Subnet",
            Self::IpRange => "IP Range",
            Self::AdSite => "AD Site",
            Self::Ipv6Prefix => "IPv6 Prefix",
        }
    }

    /// Parse the CSV spelling (case-insensitive; spaces and `_` optional), also accepting the
    /// site control file's spellings: `SMS_SCI_RoamingBoundary.Types` (`IP Subnets`,
    /// `IP Ranges`, `AD Site Name`, `IPv6 Prefixes`; SMS_SCI_RoamingBoundary Server WMI Class,
    /// <https://learn.microsoft.com/en-us/previous-versions/system-center/developer/cc143004(v=msdn.10)>)
    /// and `SMS_SCI_SiteAssignment.AssignTypes` (`IP Subnet`, `Active Directory site`, as the
    /// SMS 2003 Scripting Guide's boundary scripts write them).
    pub fn parse(text: &str) -> Option<Self> {
        let norm: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '_')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        match norm.as_str() {
            "ipsubnet" | "ipsubnets" => Some(Self::IpSubnet),
            "iprange" | "ipranges" | "ipaddressrange" | "ipaddressranges" => Some(Self::IpRange),
            "adsite"
            | "adsitename"
            | "adsites"
            | "activedirectorysite"
            | "activedirectorysitename" => Some(Self::AdSite),
            "ipv6prefix" | "ipv6prefixes" => Some(Self::Ipv6Prefix),
            _ => None,
        }
    }

    /// Whether an SMS 2003 site may have a *site* boundary of this kind. SMS 2003 site
    /// boundaries are IP subnets and Active Directory sites; IP ranges (and IPv6 prefixes)
    /// exist only as roaming boundaries. "Planning Site Boundaries and Roaming Boundaries"
    /// (SMS 2003 Concepts, Planning, and Deployment Guide,
    /// <http://technet.microsoft.com/en-us/library/cc181572.aspx>): "the boundaries of an SMS
    /// site are defined by IP subnet or Active Directory site name"; "Roaming and Roaming
    /// Boundaries" (<https://technet.microsoft.com/en-us/library/cc181243.aspx>): "Roaming
    /// boundaries are specified by IP subnet, IP address range, and/or Active Directory site
    /// name".
    pub fn sms2003_site_boundary(self) -> bool {
        matches!(self, Self::IpSubnet | Self::AdSite)
    }
}

/// A roaming boundary is local (fast, well connected) or remote (slow or unreliable link).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoamingKind {
    /// Local roaming boundary.
    Local,
    /// Remote roaming boundary ("slow or unreliable network connection").
    Remote,
}

/// A boundary's value in typed form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BoundaryValue {
    /// Subnet ID as a host-order `u32` address; the mask is unknown.
    IpSubnet {
        /// The subnet ID, e.g. `0x0A010000` for 10.1.0.0.
        subnet_id: u32,
    },
    /// Inclusive IPv4 range, `start <= end`, host-order `u32`s.
    IpRange {
        /// First address.
        start: u32,
        /// Last address (inclusive).
        end: u32,
    },
    /// Active Directory site name.
    AdSite {
        /// The AD site name as written.
        name: String,
    },
    /// IPv6 prefix: the first `len` bits of `prefix` are significant, the rest are zero.
    Ipv6Prefix {
        /// The prefix as a host-order `u128` (serialised as IPv6 address text, because
        /// serde's internally tagged enums cannot carry `u128`).
        #[serde(with = "ipv6_text")]
        prefix: u128,
        /// Prefix length in bits (1..=128).
        len: u8,
    },
}

impl BoundaryValue {
    /// The kind of this value.
    pub fn kind(&self) -> BoundaryKind {
        match self {
            Self::IpSubnet { .. } => BoundaryKind::IpSubnet,
            Self::IpRange { .. } => BoundaryKind::IpRange,
            Self::AdSite { .. } => BoundaryKind::AdSite,
            Self::Ipv6Prefix { .. } => BoundaryKind::Ipv6Prefix,
        }
    }

    /// Parse `text` as a boundary of `kind`.
    ///
    /// - IP subnet: a dotted IPv4 subnet ID, `10.1.0.0`;
    /// - IP range: `10.1.0.1-10.1.0.254` (spaces around `-` allowed), start not after end;
    /// - AD site: any non-empty name without control characters;
    /// - IPv6 prefix: CIDR `2001:db8::/48`, or SMS's own form without a length — see
    ///   [`parse_ipv6_prefix`] for the prefix-length rule.
    ///
    /// # Errors
    /// [`BoundaryValueError`] naming the rejected text.
    pub fn parse(kind: BoundaryKind, text: &str) -> Result<Self, BoundaryValueError> {
        let text = text.trim();
        match kind {
            BoundaryKind::IpSubnet => Ok(Self::IpSubnet {
                subnet_id: parse_v4(text)?,
            }),
            BoundaryKind::IpRange => parse_range(text),
            BoundaryKind::AdSite => {
                if text.is_empty() || text.chars().any(char::is_control) {
                    Err(BoundaryValueError::AdSite {
                        value: text.to_owned(),
                    })
                } else {
                    Ok(Self::AdSite {
                        name: text.to_owned(),
                    })
                }
            }
            BoundaryKind::Ipv6Prefix => parse_v6_prefix(text),
        }
    }

    /// The IPv4 interval this value covers, when it is known without a mask:
    /// a range covers `start..=end`; a subnet ID alone does not say (returns `None`).
    pub fn ipv4_interval(&self) -> Option<(u32, u32)> {
        match *self {
            Self::IpRange { start, end } => Some((start, end)),
            _ => None,
        }
    }

    /// The IPv6 interval of a prefix, inclusive.
    pub fn ipv6_interval(&self) -> Option<(u128, u128)> {
        match *self {
            Self::Ipv6Prefix { prefix, len } => {
                let host = if len >= 128 {
                    0
                } else {
                    u128::MAX >> u32::from(len)
                };
                Some((prefix, prefix | host))
            }
            _ => None,
        }
    }
}

/// Why a boundary value does not parse. Each message names the value; [`reason`](Self::reason)
/// says the same without it, for callers that show the value themselves.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BoundaryValueError {
    /// Not a dotted-quad IPv4 address.
    #[error("`{value}` is not an IPv4 address")]
    Ipv4 {
        /// The rejected text.
        value: String,
    },
    /// Not of the form `start-end`.
    #[error("`{value}` is not an IP range of the form `start-end`")]
    RangeSyntax {
        /// The rejected text.
        value: String,
    },
    /// The range's start lies after its end.
    #[error("IP range `{value}` starts after it ends")]
    RangeReversed {
        /// The rejected text.
        value: String,
    },
    /// Not an IPv6 prefix.
    #[error("`{value}` is not an IPv6 prefix: {problem}")]
    Ipv6Prefix {
        /// The rejected text.
        value: String,
        /// What is wrong with it.
        problem: Ipv6Problem,
    },
    /// The prefix has bits set beyond its length.
    #[error("IPv6 prefix `{value}` has bits set past its length /{len}")]
    Ipv6HostBits {
        /// The rejected text.
        value: String,
        /// The prefix length it was read with.
        len: u8,
    },
    /// An empty AD site name or one with control characters.
    #[error("`{value}` is not a valid Active Directory site name")]
    AdSite {
        /// The rejected text.
        value: String,
    },
}

impl BoundaryValueError {
    /// What is wrong, without repeating the value (for messages that show it already).
    pub fn reason(&self) -> String {
        match self {
            Self::Ipv4 { .. } => "not an IPv4 address".to_owned(),
            Self::RangeSyntax { .. } => "not an IP range of the form `start-end`".to_owned(),
            Self::RangeReversed { .. } => "the IP range starts after it ends".to_owned(),
            Self::Ipv6Prefix { problem, .. } => format!("not an IPv6 prefix: {problem}"),
            Self::Ipv6HostBits { len, .. } => {
                format!("the IPv6 prefix has bits set past its length /{len}")
            }
            Self::AdSite { .. } => "not a valid Active Directory site name".to_owned(),
        }
    }
}

/// Why a text is not an IPv6 prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Ipv6Problem {
    /// Empty.
    #[error("it is empty")]
    Empty,
    /// A group is empty, longer than four digits or not hexadecimal.
    #[error("each group is one to four hex digits")]
    Group,
    /// `::` appears more than once.
    #[error("`::` may appear only once")]
    DoubleColons,
    /// More than four groups without a `/length`.
    #[error(
        "without `/length` it is SMS's 64-bit form of at most four 16-bit groups; \
         write `address/length` for any other prefix"
    )]
    TooManyGroups,
    /// `::` between four written groups, where it stands for no group.
    #[error("`::` stands for no group between four written groups")]
    NothingCompressed,
    /// The address before `/` does not parse.
    #[error("the part before `/` is not an IPv6 address")]
    Address,
    /// The length after `/` is not 1 to 128.
    #[error("the length after `/` must be 1 to 128")]
    Length,
}

/// `u128` ⇄ IPv6 address text, for the serde form of [`BoundaryValue::Ipv6Prefix`].
mod ipv6_text {
    use std::net::Ipv6Addr;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(super) fn serialize<S: Serializer>(prefix: &u128, s: S) -> Result<S::Ok, S::Error> {
        Ipv6Addr::from(*prefix).serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
        Ipv6Addr::deserialize(d).map(u128::from)
    }
}

fn parse_v4(text: &str) -> Result<u32, BoundaryValueError> {
    text.parse::<Ipv4Addr>()
        .map(u32::from)
        .map_err(|_| BoundaryValueError::Ipv4 {
            value: text.to_owned(),
        })
}

fn parse_range(text: &str) -> Result<BoundaryValue, BoundaryValueError> {
    let (a, b) = text
        .split_once('-')
        .ok_or_else(|| BoundaryValueError::RangeSyntax {
            value: text.to_owned(),
        })?;
    let start = parse_v4(a.trim())?;
    let end = parse_v4(b.trim())?;
    if start > end {
        return Err(BoundaryValueError::RangeReversed {
            value: text.to_owned(),
        });
    }
    Ok(BoundaryValue::IpRange { start, end })
}

/// Parse an IPv6 prefix as SMS and smsmig write it. The prefix-length rule:
///
/// - `address/length` (CIDR, e.g. `2001:db8::/48`): as written; bits past the length must be 0.
/// - No length, with `::` (`2001:db8:40::`, how SMS shows a prefix whose trailing groups are 0)
///   or four groups written out (`2001:0DB8:0040:0000`, the form the ConfigMgr 2007 console
///   stores: "an IPv6 prefix entered as `aa::bb` would need to be translated into
///   `00AA:0000:0000:00BB`", New Boundary dialog box,
///   <http://systemscenter.ru/smsv4.en/html/067302a4-3770-4444-bf17-2de050df9bb7.htm>): the
///   64-bit subnet prefix SMS compares clients' prefixes with, i.e. a /64; `::` stands for the
///   zero groups up to the fourth.
/// - No length, one to three groups without `::` (`2001:0db8:0040`): 16 bits per group
///   (/16, /32, /48), as this format has always read them.
///
/// # Errors
/// [`BoundaryValueError::Ipv6Prefix`] saying what is wrong, or
/// [`BoundaryValueError::Ipv6HostBits`] when bits past the length are set.
pub fn parse_ipv6_prefix(text: &str) -> Result<(u128, u8), BoundaryValueError> {
    let bad = |problem| BoundaryValueError::Ipv6Prefix {
        value: text.to_owned(),
        problem,
    };
    let (prefix, len) = if let Some((addr, len)) = text.split_once('/') {
        let addr: Ipv6Addr = addr.trim().parse().map_err(|_| bad(Ipv6Problem::Address))?;
        let len: u8 = len.trim().parse().map_err(|_| bad(Ipv6Problem::Length))?;
        if len == 0 || len > 128 {
            return Err(bad(Ipv6Problem::Length));
        }
        (u128::from(addr), len)
    } else {
        sms_ipv6_prefix(text).map_err(bad)?
    };
    let host = if len == 128 {
        0
    } else {
        u128::MAX >> u32::from(len)
    };
    if prefix & host != 0 {
        return Err(BoundaryValueError::Ipv6HostBits {
            value: text.to_owned(),
            len,
        });
    }
    Ok((prefix, len))
}

/// SMS's form without a length: at most four 16-bit groups, `::` allowed once.
fn sms_ipv6_prefix(text: &str) -> Result<(u128, u8), Ipv6Problem> {
    if text.is_empty() {
        return Err(Ipv6Problem::Empty);
    }
    let groups = |part: &str| -> Result<Vec<u16>, Ipv6Problem> {
        if part.is_empty() {
            return Ok(Vec::new());
        }
        part.split(':')
            .map(|g| {
                if g.is_empty() || g.len() > 4 {
                    return Err(Ipv6Problem::Group);
                }
                u16::from_str_radix(g, 16).map_err(|_| Ipv6Problem::Group)
            })
            .collect()
    };
    let (head, tail, compressed) = match text.split_once("::") {
        Some((head, tail)) => {
            if tail.contains("::") {
                return Err(Ipv6Problem::DoubleColons);
            }
            (groups(head)?, groups(tail)?, true)
        }
        None => (groups(text)?, Vec::new(), false),
    };
    let written = head.len() + tail.len();
    if written > 4 {
        return Err(Ipv6Problem::TooManyGroups);
    }
    // `2001:db8:1:2::` is the usual way to write a /64; `1:2::3:4` would leave `::` standing
    // for no group at all, and is more likely a full address misread as a prefix.
    if compressed && written == 4 && !tail.is_empty() {
        return Err(Ipv6Problem::NothingCompressed);
    }
    let count = if compressed { 4 } else { written };
    let mut all = head;
    all.resize(count - tail.len(), 0);
    all.extend(tail);
    let prefix = all
        .iter()
        .enumerate()
        .fold(0u128, |acc, (i, g)| acc | u128::from(*g) << (112 - 16 * i));
    Ok((prefix, (16 * count) as u8))
}

fn parse_v6_prefix(text: &str) -> Result<BoundaryValue, BoundaryValueError> {
    parse_ipv6_prefix(text).map(|(prefix, len)| BoundaryValue::Ipv6Prefix { prefix, len })
}

/// A site or roaming boundary of one site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Boundary {
    /// Owning site.
    pub site_code: SiteCode,
    /// Kind of value.
    pub kind: BoundaryKind,
    /// The value as exported, e.g. `10.1.0.0` or `10.1.0.1-10.1.0.254`.
    pub value: String,
    /// `None` for a site boundary (which SMS also treats as a local roaming boundary);
    /// `Some` for an entry of the site's roaming-boundary list.
    pub roaming: Option<RoamingKind>,
    /// The value parsed according to `kind` (always consistent with `kind`).
    pub parsed: BoundaryValue,
}

impl Boundary {
    /// Build a boundary, parsing `value` according to `kind`.
    ///
    /// # Errors
    /// [`BoundaryValueError`] when `value` is not a valid `kind`.
    pub fn new(
        site_code: SiteCode,
        kind: BoundaryKind,
        value: &str,
        roaming: Option<RoamingKind>,
    ) -> Result<Self, BoundaryValueError> {
        let parsed = BoundaryValue::parse(kind, value)?;
        Ok(Self {
            site_code,
            kind,
            value: value.trim().to_owned(),
            roaming,
            parsed,
        })
    }

    /// True for a site boundary (as opposed to a roaming-boundary entry).
    pub fn is_site_boundary(&self) -> bool {
        self.roaming.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundary_values_parse() {
        assert_eq!(
            BoundaryValue::parse(BoundaryKind::IpSubnet, "10.1.0.0"),
            Ok(BoundaryValue::IpSubnet {
                subnet_id: 0x0A01_0000
            })
        );
        assert_eq!(
            BoundaryValue::parse(BoundaryKind::IpRange, "10.1.0.1 - 10.1.0.254"),
            Ok(BoundaryValue::IpRange {
                start: 0x0A01_0001,
                end: 0x0A01_00FE
            })
        );
        assert!(matches!(
            BoundaryValue::parse(BoundaryKind::IpRange, "10.1.0.9-10.1.0.1"),
            Err(BoundaryValueError::RangeReversed { .. })
        ));
        assert!(matches!(
            BoundaryValue::parse(BoundaryKind::IpSubnet, "10.1.0.256"),
            Err(BoundaryValueError::Ipv4 { .. })
        ));
        assert!(matches!(
            BoundaryValue::parse(BoundaryKind::AdSite, " "),
            Err(BoundaryValueError::AdSite { .. })
        ));
        let sms = BoundaryValue::parse(BoundaryKind::Ipv6Prefix, "2001:0db8:0001:0002").unwrap();
        let cidr = BoundaryValue::parse(BoundaryKind::Ipv6Prefix, "2001:db8:1:2::/64").unwrap();
        assert_eq!(sms, cidr);
        assert_eq!(
            cidr.ipv6_interval(),
            Some((
                0x2001_0db8_0001_0002_0000_0000_0000_0000,
                0x2001_0db8_0001_0002_ffff_ffff_ffff_ffff
            ))
        );
        assert!(matches!(
            BoundaryValue::parse(BoundaryKind::Ipv6Prefix, "2001:db8::1/64"),
            Err(BoundaryValueError::Ipv6HostBits { len: 64, .. })
        ));
        assert!(BoundaryValue::parse(BoundaryKind::Ipv6Prefix, "2001:db8::/129").is_err());
        assert!(BoundaryValue::parse(BoundaryKind::Ipv6Prefix, "1:2:3:4:5").is_err());
    }

    fn v6(text: &str) -> Result<(u128, u8), BoundaryValueError> {
        parse_ipv6_prefix(text)
    }

    #[test]
    fn ipv6_prefixes_as_sms_writes_them_are_64_bit() {
        let p64 = |s: &str| (s.parse::<Ipv6Addr>().map(u128::from).unwrap(), 64);
        // SMS's display of a prefix whose trailing groups are zero.
        assert_eq!(v6("2001:db8:40::"), Ok(p64("2001:db8:40::")));
        // The ConfigMgr console's stored form, upper case.
        assert_eq!(v6("2001:0DB8:0040:0000"), Ok(p64("2001:db8:40::")));
        // Its documented example: `aa::bb` is `00AA:0000:0000:00BB`.
        assert_eq!(v6("aa::bb"), Ok(p64("aa:0:0:bb::")));
        assert_eq!(v6("2001:db8:1:2::"), Ok(p64("2001:db8:1:2::")));
        assert_eq!(v6("::"), Ok((0, 64)));
        // Fewer than four groups without `::` keep their 16 bits each.
        assert_eq!(v6("2001:0db8:0040"), Ok((p64("2001:db8:40::").0, 48)));
        assert_eq!(v6("2001"), Ok((p64("2001::").0, 16)));
    }

    #[test]
    fn ipv6_prefix_errors_say_why_once() {
        let problem = |s: &str| match v6(s) {
            Err(BoundaryValueError::Ipv6Prefix { problem, .. }) => problem,
            other => panic!("{s}: {other:?}"),
        };
        assert_eq!(problem("2001:db8:1:2:3::"), Ipv6Problem::TooManyGroups);
        assert_eq!(problem("2001:db8:1:2:0:0:0:0"), Ipv6Problem::TooManyGroups);
        assert_eq!(problem("1:2::3:4"), Ipv6Problem::NothingCompressed);
        assert_eq!(problem("2001::db8::"), Ipv6Problem::DoubleColons);
        assert_eq!(problem("2001:db8g::"), Ipv6Problem::Group);
        assert_eq!(problem("20011:db8::"), Ipv6Problem::Group);
        assert_eq!(problem("2001:db8:::"), Ipv6Problem::Group);
        assert_eq!(problem(""), Ipv6Problem::Empty);
        assert_eq!(problem("2001:db8::/0"), Ipv6Problem::Length);
        assert_eq!(problem("2001:db8::/x"), Ipv6Problem::Length);
        assert_eq!(problem("10.0.0.0/8"), Ipv6Problem::Address);
        let err = v6("2001:db8::1:2:3/64").unwrap_err();
        assert_eq!(
            err.to_string(),
            "IPv6 prefix `2001:db8::1:2:3/64` has bits set past its length /64"
        );
        let err = v6("2001:db8:1:2:3::").unwrap_err();
        assert_eq!(err.to_string().matches("2001:db8:1:2:3::").count(), 1);
        assert!(!err.reason().contains("2001"), "{}", err.reason());
    }

    #[test]
    fn boundary_kind_spellings() {
        for kind in [
            BoundaryKind::IpSubnet,
            BoundaryKind::IpRange,
            BoundaryKind::AdSite,
            BoundaryKind::Ipv6Prefix,
        ] {
            assert_eq!(BoundaryKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(
            BoundaryKind::parse("ip_subnet"),
            Some(BoundaryKind::IpSubnet)
        );
        assert_eq!(BoundaryKind::parse("subnet"), None);
        // The site control file's spellings.
        for (text, kind) in [
            ("IP Subnets", BoundaryKind::IpSubnet),
            ("IP Ranges", BoundaryKind::IpRange),
            ("AD Site Name", BoundaryKind::AdSite),
            ("Active Directory site", BoundaryKind::AdSite),
            ("IPv6 Prefixes", BoundaryKind::Ipv6Prefix),
        ] {
            assert_eq!(BoundaryKind::parse(text), Some(kind), "{text}");
        }
        assert!(BoundaryKind::IpSubnet.sms2003_site_boundary());
        assert!(BoundaryKind::AdSite.sms2003_site_boundary());
        assert!(!BoundaryKind::IpRange.sms2003_site_boundary());
        assert!(!BoundaryKind::Ipv6Prefix.sms2003_site_boundary());
    }
}
