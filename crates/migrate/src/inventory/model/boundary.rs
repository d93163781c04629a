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
    /// site control file's plural spellings (`IP Subnets`, `IP Ranges`, `AD Site Name`,
    /// `IPv6 Prefixes`).
    pub fn parse(text: &str) -> Option<Self> {
        let norm: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '_')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        match norm.as_str() {
            "ipsubnet" | "ipsubnets" => Some(Self::IpSubnet),
            "iprange" | "ipranges" => Some(Self::IpRange),
            "adsite" | "adsitename" | "adsites" => Some(Self::AdSite),
            "ipv6prefix" | "ipv6prefixes" => Some(Self::Ipv6Prefix),
            _ => None,
        }
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
    /// - IPv6 prefix: `2001:db8::/48`, or SMS's own form of one to four hex groups
    ///   (`2001:0db8:0001:0002`), each group 16 bits, length = 16 × groups.
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

/// Why a boundary value does not parse.
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
    #[error("`{value}` is not an IPv6 prefix")]
    Ipv6Prefix {
        /// The rejected text.
        value: String,
    },
    /// The prefix has bits set beyond its length.
    #[error("IPv6 prefix `{value}` has bits set beyond its length")]
    Ipv6HostBits {
        /// The rejected text.
        value: String,
    },
    /// An empty AD site name or one with control characters.
    #[error("`{value}` is not a valid Active Directory site name")]
    AdSite {
        /// The rejected text.
        value: String,
    },
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

fn parse_v6_prefix(text: &str) -> Result<BoundaryValue, BoundaryValueError> {
    let bad = || BoundaryValueError::Ipv6Prefix {
        value: text.to_owned(),
    };
    let (prefix, len) = if let Some((addr, len)) = text.split_once('/') {
        let addr: Ipv6Addr = addr.trim().parse().map_err(|_| bad())?;
        let len: u8 = len.trim().parse().map_err(|_| bad())?;
        (u128::from(addr), len)
    } else {
        // SMS form: up to four 16-bit groups, no `::`.
        let groups: Vec<&str> = text.split(':').collect();
        if groups.is_empty() || groups.len() > 4 {
            return Err(bad());
        }
        let mut prefix = 0u128;
        for (i, group) in groups.iter().enumerate() {
            if group.is_empty() || group.len() > 4 {
                return Err(bad());
            }
            let v = u16::from_str_radix(group, 16).map_err(|_| bad())?;
            prefix |= u128::from(v) << (112 - 16 * i);
        }
        (prefix, (16 * groups.len()) as u8)
    };
    if len == 0 || len > 128 {
        return Err(bad());
    }
    let host = if len == 128 {
        0
    } else {
        u128::MAX >> u32::from(len)
    };
    if prefix & host != 0 {
        return Err(BoundaryValueError::Ipv6HostBits {
            value: text.to_owned(),
        });
    }
    Ok(BoundaryValue::Ipv6Prefix { prefix, len })
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
            Err(BoundaryValueError::Ipv6HostBits { .. })
        ));
        assert!(BoundaryValue::parse(BoundaryKind::Ipv6Prefix, "2001:db8::/129").is_err());
        assert!(BoundaryValue::parse(BoundaryKind::Ipv6Prefix, "1:2:3:4:5").is_err());
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
    }
}
