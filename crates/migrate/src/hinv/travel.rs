//! The text that travels with a class when it is copied into a ConfigMgr file (DESIGN §3.4):
//! the comment block above it, its `#pragma deleteclass` guard and the `classflags` right
//! before it, the class itself, its instances (the `[DYNPROPS] instance of` blocks), and the
//! provider registrations its `Provider(...)` qualifiers need. Every piece is a slice of the
//! source text; only the line breaks between pieces are new.

use smsmig_mof::split::Role;
use smsmig_mof::syntax::{Instance, Item, ItemKind, ValueKind};
use smsmig_mof::Span;

use super::catalog::{
    item_namespace, item_span, leading, provider_name, providers_used, ClassRef, SMS_NAMESPACE,
};

/// A class ready to be inserted, with what travels with it.
#[derive(Clone, Debug)]
pub(crate) struct Bundle {
    /// Effective namespace the class is compiled into.
    pub(crate) namespace: String,
    /// The namespace path as the source spells it (case kept, no server), for a pragma.
    pub(crate) spelling: String,
    /// Comment, guards, class and instances, with the source's line breaks.
    pub(crate) text: String,
    /// Provider registrations the class needs, in order of first use.
    pub(crate) providers: Vec<ProviderBlock>,
    /// Name of the file it comes from.
    pub(crate) origin: String,
}

/// An `instance of __Win32Provider` and its `__*ProviderRegistration` instances.
#[derive(Clone, Debug)]
pub(crate) struct ProviderBlock {
    /// Lower-case provider name (`regpropprov`).
    pub(crate) name: String,
    /// The alias of the `__Win32Provider` instance (`PropProv` for `as $PropProv`).
    pub(crate) alias: Option<String>,
    /// The registration text.
    pub(crate) text: String,
}

/// One piece of a bundle: the comment block above a slice, and the slice.
struct Piece<'a> {
    comment: &'a str,
    body: &'a str,
    blank_before: bool,
}

/// The bundle of `class`. Reporting classes take no instances or providers.
pub(crate) fn bundle(class: &ClassRef<'_>) -> Bundle {
    let text = class.file.text();
    let items = &class.file.document.items;
    let namespace = class.namespace();
    let same_ns = |i: usize| item_namespace(&items[i], class.role) == namespace;
    let mut pieces = Vec::new();
    // Walk back over the pragmas directly above the class.
    let mut first = class.index;
    while first > 0 {
        let ItemKind::Pragma(p) = &items[first - 1].kind else {
            break;
        };
        let name = p.name.text.to_lowercase();
        let guards_this = name == "deleteclass"
            && p.first_string()
                .is_some_and(|c| c.eq_ignore_ascii_case(class.name()));
        if !(guards_this || name == "classflags" || name == "namespace") {
            break;
        }
        first -= 1;
    }
    // Where the last copied text ended, to tell whether a blank line preceded the next piece.
    let mut copied_end = leading(text, items, first).start;
    for index in first..=class.index {
        let item = &items[index];
        let keep = index == class.index
            || (matches!(&item.kind, ItemKind::Pragma(p) if !p.name.is("namespace"))
                && same_ns(index));
        let body = if keep { item_text(text, item) } else { "" };
        let above = leading(text, items, index);
        pieces.push(Piece {
            comment: comment_block(text, above),
            body,
            blank_before: has_blank_line(&text[copied_end.min(above.end)..above.end]),
        });
        if keep {
            copied_end = item.span.start + body.len();
        }
    }
    let mut instances: Vec<&Instance> = Vec::new();
    if class.role == Role::Data {
        for (index, item) in items.iter().enumerate() {
            if let ItemKind::Instance(inst) = &item.kind {
                if inst.class_name.is(class.name()) && same_ns(index) {
                    instances.push(inst);
                    pieces.push(Piece {
                        comment: comment_block(text, leading(text, items, index)),
                        body: item_text(text, item),
                        blank_before: true,
                    });
                }
            }
        }
    }
    let providers = if class.role == Role::Data {
        providers_used(class.class, &instances)
            .into_iter()
            .filter_map(|name| provider_block(class, &name, &same_ns))
            .collect()
    } else {
        Vec::new()
    };
    // Reporting classes all go under root\cimv2\sms in SMS_def.mof, whatever namespace below
    // it a site compiled them into.
    let namespace = match class.role {
        Role::Reporting => SMS_NAMESPACE.to_owned(),
        Role::Data => namespace,
    };
    Bundle {
        spelling: spelling(class, &namespace),
        namespace,
        text: render(&pieces),
        providers,
        origin: class.file.file_name(),
    }
}

/// The registration of provider `name` in the class's file and namespace, if it has one.
fn provider_block(
    class: &ClassRef<'_>,
    name: &str,
    same_ns: &dyn Fn(usize) -> bool,
) -> Option<ProviderBlock> {
    let text = class.file.text();
    let items = &class.file.document.items;
    let (index, provider) = items
        .iter()
        .enumerate()
        .find_map(|(i, item)| match &item.kind {
            ItemKind::Instance(inst)
                if provider_name(inst).is_some_and(|n| n.eq_ignore_ascii_case(name))
                    && same_ns(i) =>
            {
                Some((i, inst))
            }
            _ => None,
        })?;
    let mut pieces = vec![Piece {
        comment: comment_block(text, leading(text, items, index)),
        body: item_text(text, &items[index]),
        blank_before: false,
    }];
    if let Some(alias) = &provider.alias {
        for (i, item) in items.iter().enumerate() {
            let ItemKind::Instance(inst) = &item.kind else {
                continue;
            };
            let lower = inst.class_name.text.to_ascii_lowercase();
            let is_registration =
                lower.starts_with("__") && lower.ends_with("providerregistration");
            let points_here = matches!(
                inst.get("Provider").map(|v| &v.kind),
                Some(ValueKind::Alias(a)) if a.eq_ignore_ascii_case(&alias.text)
            );
            if is_registration && points_here && same_ns(i) {
                pieces.push(Piece {
                    comment: comment_block(text, leading(text, items, i)),
                    body: item_text(text, item),
                    blank_before: true,
                });
            }
        }
    }
    Some(ProviderBlock {
        name: name.to_owned(),
        alias: provider.alias.as_ref().map(|a| a.text.clone()),
        text: render(&pieces),
    })
}

/// An item's text (see [`item_span`]).
fn item_text<'t>(text: &'t str, item: &Item) -> &'t str {
    item_span(text, item).slice(text).trim_end()
}

/// Join pieces: a comment sits on the lines right above its slice; pieces that had a blank
/// line between them in the source keep one.
fn render(pieces: &[Piece<'_>]) -> String {
    let mut out = String::new();
    for piece in pieces {
        if piece.comment.is_empty() && piece.body.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str(if piece.blank_before { "\n\n" } else { "\n" });
        }
        out.push_str(piece.comment);
        if !piece.comment.is_empty() && !piece.body.is_empty() {
            out.push('\n');
        }
        out.push_str(piece.body);
    }
    out
}

/// The comment block directly above an item: the last paragraph of its leading trivia (the
/// lines after the last blank line), without the rest of the previous item's line and without
/// surrounding blank lines. Empty when the trivia is only whitespace.
pub(crate) fn comment_block(text: &str, leading: Span) -> &str {
    let mut start = leading.start;
    let end = leading.end;
    if start > 0 && !text[..start].ends_with(['\n', '\r']) {
        // The trivia starts on the previous item's last line: that part belongs to it.
        match text[start..end].find(['\n', '\r']) {
            Some(i) => start += i,
            None => return "",
        }
    }
    let segment = text[start..end].trim_end();
    let mut paragraph = 0;
    let mut offset = 0;
    for line in segment.split_inclusive('\n') {
        if line.trim().is_empty() {
            paragraph = offset + line.len();
        }
        offset += line.len();
    }
    segment[paragraph..].trim_start_matches(['\r', '\n'])
}

/// True when trivia contains an empty line (two line breaks with only blanks between).
fn has_blank_line(trivia: &str) -> bool {
    let mut breaks = 0;
    for c in trivia.chars() {
        match c {
            '\n' => breaks += 1,
            '\r' | ' ' | '\t' => {}
            _ => breaks = 0,
        }
        if breaks >= 2 {
            return true;
        }
    }
    false
}

/// The source's spelling of `namespace` for a pragma: the path in the namespace pragma in
/// force, without its server prefix, when it names the same namespace; else `namespace`.
fn spelling(class: &ClassRef<'_>, namespace: &str) -> String {
    let Some(ns) = &class.item.namespace else {
        return namespace.to_owned();
    };
    let raw = ns.raw.replace('/', "\\");
    let path = match raw.strip_prefix("\\\\") {
        Some(after) => after.find('\\').map_or("", |i| &after[i + 1..]),
        None => raw.as_str(),
    };
    if path.eq_ignore_ascii_case(namespace) {
        path.to_owned()
    } else {
        namespace.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_block_takes_the_last_paragraph() {
        let text =
            "};  // end of A\r\n\r\n// old note\r\n\r\n// Class B\r\n// banner\r\n\r\nclass B";
        let leading = Span::new(2, text.find("class").unwrap());
        assert_eq!(comment_block(text, leading), "// Class B\r\n// banner");
        let only_blank = "};\n\n\nclass B";
        assert_eq!(comment_block(only_blank, Span::new(2, 5)), "");
        let start_of_file = "// top\nclass A";
        assert_eq!(comment_block(start_of_file, Span::new(0, 7)), "// top");
        let same_line = "}; // trailing\nclass A";
        assert_eq!(comment_block(same_line, Span::new(2, 15)), "");
    }

    #[test]
    fn blank_lines_are_detected_across_crlf() {
        assert!(has_blank_line("\r\n\r\n"));
        assert!(has_blank_line("\n  \n// x\n"));
        assert!(!has_blank_line("\r\n// x\r\n"));
    }
}
