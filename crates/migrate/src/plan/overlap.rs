//! Address space as integer intervals, and when two boundaries overlap (DESIGN §4.4).
//!
//! - An IP range is the inclusive interval `start..=end` of `u32` addresses.
//! - An IPv6 prefix is the `u128` interval its first `len` bits fix.
//! - An AD site is a name; two AD site boundaries overlap when the names are equal ignoring
//!   case (AD compares site names case-insensitively). AD sites and IP space are different
//!   dimensions and never compared.
//! - An IP subnet is only its subnet ID: the mask is not recorded. Its address space is
//!   `id..=id | host` for *some* mask whose host bits are zero in the ID, so what we know is a
//!   *core* (the ID itself, in every such subnet) and a *reach* (the largest such subnet). Two
//!   IPv4 boundaries overlap for certain when their cores meet, certainly not when their
//!   reaches are apart, and otherwise the answer depends on the mask: [`Overlap::CannotDecide`].
//!   A target may declare masks ([`SubnetMasks`]); a subnet with a known mask has core = reach.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::inventory::BoundaryValue;

/// Whether two boundaries claim common address space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Overlap {
    /// Certainly disjoint.
    No,
    /// The answer depends on a subnet mask nobody recorded.
    CannotDecide,
    /// Certainly overlapping.
    Yes,
}

/// Subnet masks declared by the target, as prefix lengths.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubnetMasks {
    /// Prefix length per subnet ID.
    pub by_subnet: BTreeMap<u32, u8>,
    /// Prefix length for every other subnet ID whose host bits under it are zero.
    pub default: Option<u8>,
}

/// The host part of a prefix length, as a mask of the low bits.
pub fn host_bits(prefix: u8) -> u32 {
    if prefix >= 32 {
        0
    } else {
        u32::MAX >> prefix
    }
}

impl SubnetMasks {
    /// The prefix length that applies to `subnet_id`, if any.
    pub fn prefix_of(&self, subnet_id: u32) -> Option<u8> {
        if let Some(p) = self.by_subnet.get(&subnet_id) {
            return Some(*p);
        }
        self.default.filter(|p| subnet_id & host_bits(*p) == 0)
    }

    /// True when nothing is declared.
    pub fn is_empty(&self) -> bool {
        self.by_subnet.is_empty() && self.default.is_none()
    }
}

impl Serialize for SubnetMasks {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.by_subnet.len() + 1))?;
        if let Some(d) = self.default {
            map.serialize_entry("default", &d)?;
        }
        for (id, p) in &self.by_subnet {
            map.serialize_entry(&Ipv4Addr::from(*id).to_string(), p)?;
        }
        map.end()
    }
}

/// The address space of one boundary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Space {
    /// IPv4: inclusive intervals `core` ⊆ `reach` (equal unless a subnet's mask is unknown).
    V4 {
        /// Addresses the boundary certainly covers.
        core: (u32, u32),
        /// Addresses it may cover.
        reach: (u32, u32),
    },
    /// IPv6: an inclusive interval.
    V6((u128, u128)),
    /// An Active Directory site name, lower-cased.
    Ad(String),
}

impl Space {
    /// The space of a boundary value, given the declared masks.
    pub fn of(value: &BoundaryValue, masks: &SubnetMasks) -> Self {
        match value {
            BoundaryValue::IpSubnet { subnet_id } => {
                let id = *subnet_id;
                if let Some(prefix) = masks.prefix_of(id) {
                    let iv = (id, id | host_bits(prefix));
                    return Self::V4 {
                        core: iv,
                        reach: iv,
                    };
                }
                // The shortest mask the ID allows leaves every trailing zero bit to hosts.
                let tz = id.trailing_zeros();
                let reach_end = if tz >= 32 {
                    u32::MAX
                } else {
                    id | ((1u32 << tz) - 1)
                };
                Self::V4 {
                    core: (id, id),
                    reach: (id, reach_end),
                }
            }
            BoundaryValue::IpRange { start, end } => Self::V4 {
                core: (*start, *end),
                reach: (*start, *end),
            },
            BoundaryValue::AdSite { name } => Self::Ad(name.to_lowercase()),
            BoundaryValue::Ipv6Prefix { .. } => {
                Self::V6(value.ipv6_interval().unwrap_or((0, u128::MAX)))
            }
        }
    }

    /// Whether `self` and `other` overlap.
    pub fn overlap(&self, other: &Self) -> Overlap {
        match (self, other) {
            (
                Self::V4 {
                    core: c1,
                    reach: r1,
                },
                Self::V4 {
                    core: c2,
                    reach: r2,
                },
            ) => {
                if !meets(*r1, *r2) {
                    Overlap::No
                } else if meets(*c1, *c2) {
                    Overlap::Yes
                } else {
                    Overlap::CannotDecide
                }
            }
            (Self::V6(a), Self::V6(b)) => {
                if meets(*a, *b) {
                    Overlap::Yes
                } else {
                    Overlap::No
                }
            }
            (Self::Ad(a), Self::Ad(b)) => {
                if a == b {
                    Overlap::Yes
                } else {
                    Overlap::No
                }
            }
            _ => Overlap::No,
        }
    }
}

/// True when two inclusive intervals share a point.
pub fn meets<T: Ord>(a: (T, T), b: (T, T)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

/// A boundary value normalised for identity: equal keys name the same boundary (AD site names
/// compared without case, ranges and prefixes by their numbers whatever the spelling).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum ValueKey {
    Subnet(u32),
    Range(u32, u32),
    Ad(String),
    V6(u128, u8),
}

impl ValueKey {
    pub(crate) fn of(value: &BoundaryValue) -> Self {
        match value {
            BoundaryValue::IpSubnet { subnet_id } => Self::Subnet(*subnet_id),
            BoundaryValue::IpRange { start, end } => Self::Range(*start, *end),
            BoundaryValue::AdSite { name } => Self::Ad(name.to_lowercase()),
            BoundaryValue::Ipv6Prefix { prefix, len } => Self::V6(*prefix, *len),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::BoundaryKind;

    fn space(kind: BoundaryKind, text: &str, masks: &SubnetMasks) -> Space {
        Space::of(&BoundaryValue::parse(kind, text).unwrap(), masks)
    }

    fn ov(a: (BoundaryKind, &str), b: (BoundaryKind, &str), masks: &SubnetMasks) -> Overlap {
        let x = space(a.0, a.1, masks);
        let y = space(b.0, b.1, masks);
        assert_eq!(x.overlap(&y), y.overlap(&x), "symmetric");
        x.overlap(&y)
    }

    use BoundaryKind::{AdSite, IpRange, IpSubnet, Ipv6Prefix};

    #[test]
    fn ranges_compare_as_intervals() {
        let m = SubnetMasks::default();
        let r = |a, b| ov((IpRange, a), (IpRange, b), &m);
        assert_eq!(r("10.0.0.1-10.0.0.9", "10.0.0.9-10.0.0.20"), Overlap::Yes);
        assert_eq!(r("10.0.0.1-10.0.0.9", "10.0.0.10-10.0.0.20"), Overlap::No);
        assert_eq!(
            r("0.0.0.0-255.255.255.255", "1.2.3.4-1.2.3.4"),
            Overlap::Yes
        );
    }

    #[test]
    fn subnet_ids_without_masks_cannot_always_be_decided() {
        let m = SubnetMasks::default();
        // Same ID: every mask contains the ID itself.
        assert_eq!(
            ov((IpSubnet, "10.1.0.0"), (IpSubnet, "10.1.0.0"), &m),
            Overlap::Yes
        );
        // 10.1.0.0/16 would contain 10.1.1.0; /24 would not.
        assert_eq!(
            ov((IpSubnet, "10.1.0.0"), (IpSubnet, "10.1.1.0"), &m),
            Overlap::CannotDecide
        );
        // 10.1.1.0 can reach at most 10.1.1.255: never 10.1.2.0.
        assert_eq!(
            ov((IpSubnet, "10.1.1.0"), (IpSubnet, "10.1.2.0"), &m),
            Overlap::No
        );
        // The ID inside a range: every mask overlaps it.
        assert_eq!(
            ov(
                (IpSubnet, "10.21.4.0"),
                (IpRange, "10.21.0.1-10.21.255.254"),
                &m
            ),
            Overlap::Yes
        );
        // A range just above the ID, within its largest possible subnet.
        assert_eq!(
            ov((IpSubnet, "10.1.0.0"), (IpRange, "10.1.0.1-10.1.0.20"), &m),
            Overlap::CannotDecide
        );
        assert_eq!(
            ov((IpSubnet, "10.1.0.0"), (IpRange, "10.2.0.1-10.2.0.20"), &m),
            Overlap::No
        );
        // 0.0.0.0 may be anything.
        assert_eq!(
            ov((IpSubnet, "0.0.0.0"), (IpRange, "200.0.0.1-200.0.0.2"), &m),
            Overlap::CannotDecide
        );
    }

    #[test]
    fn declared_masks_decide() {
        let mut m = SubnetMasks::default();
        m.by_subnet.insert(0x0A01_0000, 16);
        assert_eq!(
            ov((IpSubnet, "10.1.0.0"), (IpSubnet, "10.1.1.0"), &m),
            Overlap::Yes
        );
        assert_eq!(
            ov((IpSubnet, "10.1.0.0"), (IpRange, "10.1.0.1-10.1.0.20"), &m),
            Overlap::Yes
        );
        let m = SubnetMasks {
            default: Some(24),
            ..SubnetMasks::default()
        };
        assert_eq!(
            ov((IpSubnet, "10.1.0.0"), (IpSubnet, "10.1.1.0"), &m),
            Overlap::No
        );
        // The default does not apply where the ID has host bits under it.
        assert_eq!(m.prefix_of(0x0A01_0080), None);
        assert_eq!(
            ov(
                (IpSubnet, "10.1.0.128"),
                (IpRange, "10.1.0.129-10.1.0.130"),
                &m
            ),
            Overlap::CannotDecide
        );
    }

    #[test]
    fn ad_sites_ignore_case_and_other_dimensions() {
        let m = SubnetMasks::default();
        assert_eq!(
            ov((AdSite, "Houston-HQ"), (AdSite, "HOUSTON-hq"), &m),
            Overlap::Yes
        );
        assert_eq!(ov((AdSite, "Houston"), (AdSite, "Dallas"), &m), Overlap::No);
        assert_eq!(
            ov((AdSite, "Houston"), (IpSubnet, "10.0.0.0"), &m),
            Overlap::No
        );
        assert_eq!(
            ov(
                (Ipv6Prefix, "2001:db8::/32"),
                (IpRange, "0.0.0.0-255.255.255.255"),
                &m
            ),
            Overlap::No
        );
    }

    #[test]
    fn ipv6_prefixes_nest() {
        let m = SubnetMasks::default();
        assert_eq!(
            ov(
                (Ipv6Prefix, "2001:db8::/32"),
                (Ipv6Prefix, "2001:0db8:0040"),
                &m
            ),
            Overlap::Yes
        );
        assert_eq!(
            ov(
                (Ipv6Prefix, "2001:0db8:0001:0001"),
                (Ipv6Prefix, "2001:0db8:0040"),
                &m
            ),
            Overlap::No
        );
    }
}
