//! Namespace paths from `#pragma namespace(...)`, normalised for comparison (DESIGN §3.3).
//!
//! A pragma may spell the same namespace as `\\.\root\cimv2`, `\\SERVER\ROOT\CIMV2`,
//! `//./root/cimv2` or `root\CIMV2`; all normalise to `root\cimv2`. The original spelling is kept
//! in [`Namespace::raw`](crate::syntax::Namespace::raw) for output. Relative names such as
//! `__SystemClass` are normalised as written; resolving them and recognising misspellings (the
//! `cinv2` typo) is the checker's business.

use crate::syntax::Namespace;

/// Normalise a namespace path whose string escapes are already decoded: `/` becomes `\`, a
/// leading `\\server\` prefix is removed, and the result is lower-cased.
///
/// ```
/// use smsmig_mof::namespace::normalize_namespace;
/// assert_eq!(normalize_namespace(r"\\.\root\CIMV2\SMS"), r"root\cimv2\sms");
/// assert_eq!(normalize_namespace("//server/root/cimv2"), r"root\cimv2");
/// assert_eq!(normalize_namespace(r"root\WMI"), r"root\wmi");
/// ```
#[must_use]
pub fn normalize_namespace(raw: &str) -> String {
    let path = raw.replace('/', "\\");
    let rest = match path.strip_prefix("\\\\") {
        // `\\server\path`: drop the server; `\\server` alone leaves nothing.
        Some(after) => after.find('\\').map_or("", |i| &after[i + 1..]),
        None => path.as_str(),
    };
    rest.to_lowercase()
}

impl Namespace {
    /// A namespace from its decoded pragma string, with the normalised form computed.
    #[must_use]
    pub fn new(raw: impl Into<String>) -> Namespace {
        let raw = raw.into();
        let normalized = normalize_namespace(&raw);
        Namespace { raw, normalized }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_prefix_slashes_and_case() {
        assert_eq!(normalize_namespace(r"\\.\root\cimv2"), r"root\cimv2");
        assert_eq!(
            normalize_namespace(r"\\MYSERVER\Root\CIMv2\sms"),
            r"root\cimv2\sms"
        );
        assert_eq!(normalize_namespace("root/suse"), r"root\suse");
        assert_eq!(normalize_namespace(r"\\.\root"), "root");
        assert_eq!(normalize_namespace(r"\\."), "");
    }

    #[test]
    fn relative_names_are_kept_as_written() {
        assert_eq!(normalize_namespace("__SystemClass"), "__systemclass");
        assert_eq!(normalize_namespace(r"root\CINV2"), r"root\cinv2");
    }

    #[test]
    fn namespace_new_keeps_raw() {
        let ns = Namespace::new(r"\\.\ROOT\cimv2");
        assert_eq!(ns.raw, r"\\.\ROOT\cimv2");
        assert_eq!(ns.normalized, r"root\cimv2");
    }
}
