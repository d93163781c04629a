//! Where and how new classes go into a ConfigMgr file (DESIGN §4.1): inside the
//! `// Added extensions start` / `// Added extensions end` region when the file has one, else
//! at the end; without a namespace pragma when the namespace in force there is the class's
//! own, with an explicit `#pragma namespace` otherwise; and, when the insertion is followed by
//! more of the file, with the original namespace restored after it.

use std::collections::BTreeSet;

use smsmig_mof::edit::{with_newlines, TextEdit};
use smsmig_mof::split::effective_namespace;
use smsmig_mof::syntax::{Item, ItemKind};

use super::catalog::{item_span, provider_name};
use super::load::MofFile;
use super::travel::{Bundle, ProviderBlock};

/// Namespace `mofcomp` compiles into before any pragma.
const DEFAULT_NAMESPACE: &str = r"root\default";

/// Where new text goes in a file and what is in force there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct InsertionPoint {
    /// Byte offset in the decoded text (a line start, or the end of the text).
    pub(crate) offset: usize,
    /// True when inside the "Added extensions" region.
    pub(crate) in_region: bool,
    /// Effective namespace in force at `offset`, with its spelling for a pragma.
    pub(crate) namespace: Option<(String, String)>,
    /// True when items follow `offset` that rely on the namespace in force there.
    pub(crate) needs_restore: bool,
}

/// Find the insertion point of `file`.
pub(crate) fn insertion_point(file: &MofFile) -> InsertionPoint {
    let text = file.text();
    let items = &file.document.items;
    let (offset, in_region) = match region_end(text, items) {
        Some(offset) => (offset, true),
        None => (text.len(), false),
    };
    let namespace = items
        .iter()
        .take_while(|i| item_span(text, i).end <= offset)
        .last()
        .and_then(|i| i.namespace.as_ref())
        .filter(|ns| !ns.normalized.is_empty())
        .map(|ns| {
            let effective = effective_namespace(&ns.normalized).0;
            let spelling = spelling_of(&ns.raw, &effective);
            (effective, spelling)
        });
    let next = items.iter().find(|i| i.span.start >= offset);
    let needs_restore = next.is_some_and(|i| !is_namespace_pragma(i));
    InsertionPoint {
        offset,
        in_region,
        namespace,
        needs_restore,
    }
}

fn is_namespace_pragma(item: &Item) -> bool {
    matches!(&item.kind, ItemKind::Pragma(p) if p.name.is("namespace"))
}

/// `raw` without its server prefix when it names `effective`, else `effective`.
fn spelling_of(raw: &str, effective: &str) -> String {
    let raw = raw.replace('/', "\\");
    let path = match raw.strip_prefix("\\\\") {
        Some(after) => after.find('\\').map_or("", |i| &after[i + 1..]),
        None => raw.as_str(),
    };
    if path.eq_ignore_ascii_case(effective) {
        path.to_owned()
    } else {
        effective.to_owned()
    }
}

/// The offset to insert at inside the "Added extensions" region: the start of the line of the
/// end marker, or of the decoration lines (`//=====`) right above it. `None` when the file has
/// no complete region outside items.
fn region_end(text: &str, items: &[Item]) -> Option<usize> {
    let mut seen_start = false;
    let mut decoration_start: Option<usize> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        let comment = line.trim().strip_prefix("//").map(str::trim);
        match comment {
            Some(c) if c.eq_ignore_ascii_case("added extensions start") => seen_start = true,
            Some(c) if seen_start && c.eq_ignore_ascii_case("added extensions end") => {
                let at = decoration_start.unwrap_or(here);
                let inside_item = items.iter().any(|i| {
                    let span = item_span(text, i);
                    span.start < at && at < span.end
                });
                return (!inside_item).then_some(at);
            }
            _ => {}
        }
        let decoration = comment.is_some_and(|c| {
            !c.is_empty() && c.chars().all(|ch| "=-*#/_~+".contains(ch) || ch == ' ')
        });
        decoration_start = match (decoration, decoration_start) {
            (true, Some(start)) => Some(start),
            (true, None) => Some(here),
            (false, _) => None,
        };
    }
    None
}

/// `#pragma namespace ("\\\\.\\root\\cimv2")` for a namespace spelled `root\cimv2`.
pub(crate) fn namespace_pragma(spelling: &str) -> String {
    format!(
        "#pragma namespace (\"\\\\\\\\.\\\\{}\")",
        spelling.replace('\\', "\\\\")
    )
}

/// The provider registrations `file` already has, as (namespace, lower-case name).
pub(crate) fn registered_providers(file: &MofFile) -> BTreeSet<(String, String)> {
    file.document
        .instances()
        .filter_map(|(item, inst)| {
            let name = provider_name(inst)?.to_lowercase();
            let ns = item
                .namespace
                .as_ref()
                .map(|ns| effective_namespace(&ns.normalized).0)
                .unwrap_or_default();
            Some((ns, name))
        })
        .collect()
}

/// The edit that inserts `bundles` into `file`, or `None` when there is nothing to insert.
/// Provider registrations already in `providers` are left out; those inserted are added.
pub(crate) fn insertion(
    file: &MofFile,
    bundles: &[Bundle],
    providers: &mut BTreeSet<(String, String)>,
) -> Option<TextEdit> {
    if bundles.is_empty() {
        return None;
    }
    let text = file.text();
    let point = insertion_point(file);
    let here = point.namespace.as_ref().map(|(ns, _)| ns.as_str());
    // Classes of the namespace in force first (no pragma needed), then the others grouped by
    // namespace in order of first appearance; input order within a namespace.
    let mut order: Vec<&str> = Vec::new();
    for b in bundles {
        if !order.contains(&b.namespace.as_str()) {
            order.push(&b.namespace);
        }
    }
    let rank = |ns: &str| {
        let pos = order.iter().position(|o| *o == ns).unwrap_or(usize::MAX);
        (Some(ns) != here, pos)
    };
    let mut sorted: Vec<&Bundle> = bundles.iter().collect();
    sorted.sort_by_key(|b| rank(&b.namespace));
    let mut chunks: Vec<String> = Vec::new();
    let mut current = here.map(str::to_owned);
    let mut aliases = defined_aliases(file);
    for bundle in sorted {
        if current.as_deref() != Some(bundle.namespace.as_str()) {
            chunks.push(namespace_pragma(&bundle.spelling));
            current = Some(bundle.namespace.clone());
        }
        let mut chunk = format!("// smsmig: migrated from {}\n", bundle.origin);
        for provider in &bundle.providers {
            if providers.insert((bundle.namespace.clone(), provider.name.clone())) {
                chunk.push_str(&unique_alias(provider, &mut aliases));
                chunk.push_str("\n\n");
            }
        }
        chunk.push_str(&bundle.text);
        chunks.push(chunk);
    }
    if point.needs_restore && current.as_deref() != here {
        let spelling = point
            .namespace
            .as_ref()
            .map_or(DEFAULT_NAMESPACE, |(_, s)| s.as_str());
        chunks.push(namespace_pragma(spelling));
    }
    let before = &text[..point.offset];
    let prefix = if before.is_empty() || ends_with_blank_line(before) {
        ""
    } else if before.ends_with(['\n', '\r']) {
        "\n"
    } else {
        "\n\n"
    };
    let suffix = if point.offset < text.len() { "\n" } else { "" };
    let body = format!("{prefix}{}\n{suffix}", chunks.join("\n\n"));
    Some(TextEdit::insert(
        point.offset,
        with_newlines(&body, file.source.newline_str()),
    ))
}

/// Lower-case aliases (`as $X`) the file defines: `mofcomp` rejects an alias defined twice in
/// one file.
fn defined_aliases(file: &MofFile) -> BTreeSet<String> {
    file.document
        .items
        .iter()
        .filter_map(|item| match &item.kind {
            ItemKind::Instance(i) => i.alias.as_ref(),
            ItemKind::Class(c) => c.alias.as_ref(),
            _ => None,
        })
        .map(|a| a.text.to_lowercase())
        .collect()
}

/// The provider's registration text, its alias renamed (`$PropProv` to `$PropProv2`) when the
/// file already defines it. The new alias is added to `aliases`.
fn unique_alias(provider: &ProviderBlock, aliases: &mut BTreeSet<String>) -> String {
    let Some(alias) = &provider.alias else {
        return provider.text.clone();
    };
    if aliases.insert(alias.to_lowercase()) {
        return provider.text.clone();
    }
    let renamed = (2u32..)
        .map(|n| format!("{alias}{n}"))
        .find(|a| !aliases.contains(&a.to_lowercase()))
        .expect("an unused alias exists");
    aliases.insert(renamed.to_lowercase());
    rename_alias(&provider.text, alias, &renamed)
}

/// Replace every `$old` reference (case-insensitive, whole identifier) in `text` by `$new`.
fn rename_alias(text: &str, old: &str, new: &str) -> String {
    let pattern = format!("${}", old.to_lowercase());
    let lower = text.to_lowercase();
    let mut out = String::with_capacity(text.len() + 8);
    let mut cursor = 0;
    let mut from = 0;
    while let Some(found) = lower[from..].find(&pattern) {
        let at = from + found;
        let end = at + pattern.len();
        let whole = !text[end..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        if whole {
            out.push_str(&text[cursor..at]);
            out.push('$');
            out.push_str(new);
            cursor = end;
        }
        from = end;
    }
    out.push_str(&text[cursor..]);
    out
}

/// True when `text` ends with an empty line (or is only line breaks).
fn ends_with_blank_line(text: &str) -> bool {
    let trimmed = text.trim_end_matches([' ', '\t']);
    let Some(rest) = trimmed
        .strip_suffix("\r\n")
        .or_else(|| trimmed.strip_suffix('\n'))
        .or_else(|| trimmed.strip_suffix('\r'))
    else {
        return false;
    };
    let rest = rest.trim_end_matches([' ', '\t']);
    rest.is_empty() || rest.ends_with(['\n', '\r'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pragma_escapes_backslashes() {
        assert_eq!(
            namespace_pragma(r"root\cimv2"),
            r#"#pragma namespace ("\\\\.\\root\\cimv2")"#
        );
    }

    #[test]
    fn alias_renames_whole_references_only() {
        let text = "instance of __Win32Provider as $PropProv { };\n\
                    instance of __PropertyProviderRegistration { Provider = $propprov; };\n\
                    // $PropProvider stays";
        let renamed = rename_alias(text, "PropProv", "PropProv2");
        assert_eq!(renamed.matches("$PropProv2").count(), 2);
        assert!(renamed.contains("$PropProvider stays"));
    }

    #[test]
    fn blank_line_endings() {
        assert!(ends_with_blank_line("a\r\n\r\n"));
        assert!(ends_with_blank_line("a\n  \n"));
        assert!(!ends_with_blank_line("a\r\n"));
        assert!(!ends_with_blank_line("a"));
    }

    #[test]
    fn spelling_keeps_case_and_drops_server() {
        assert_eq!(spelling_of(r"\\.\root\WMI", r"root\wmi"), r"root\WMI");
        assert_eq!(spelling_of(r"\\.\root\cinv2", r"root\cimv2"), r"root\cimv2");
    }
}
