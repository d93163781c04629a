//! Writing the two outputs of a split: each item's text slice (leading trivia + item) copied
//! into the side(s) its [`Placement`] names, in compilation order, with the namespace and flag
//! pragmas re-emitted wherever the side's state differs from what the item had in its source.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::{classify, effective_namespace, Layout, Placement, Reason, Sides};
use crate::diagnostic::FileId;
use crate::include::{Entry, SourceSet};
use crate::syntax::ItemKind;

/// The result of [`split`].
#[derive(Clone, Debug)]
pub struct Split {
    /// `configuration.mof`: the data classes.
    pub configuration: String,
    /// `SMS_def.mof`: the reporting classes.
    pub sms_def: String,
    /// Where every item went and why.
    pub layout: Layout,
    /// Things the user should know about the outputs.
    pub notes: Vec<SplitNote>,
}

/// Something the split had to decide on its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SplitNote {
    /// No namespace was in force for the item (and the items after it in the same file that go
    /// to the same output): it is written under the side's default.
    DefaultNamespace {
        /// File of the item.
        file: FileId,
        /// Item index.
        index: usize,
        /// The namespace it is written under.
        namespace: &'static str,
    },
    /// A `cinv2` namespace pragma was written corrected.
    CorrectedNamespace {
        /// File of the pragma.
        file: FileId,
        /// Pragma item index.
        index: usize,
        /// As written.
        written: String,
        /// As emitted.
        emitted: String,
    },
    /// Class or instance flags set for an earlier item of the same output (from another
    /// compilation unit) are still in force for this item, which had none in its source.
    FlagsCarryOver {
        /// File of the item.
        file: FileId,
        /// Item index.
        index: usize,
    },
}

const DEFAULT_DATA: &str = r"\\.\root\cimv2";
const DEFAULT_REPORTING: &str = r"\\.\root\cimv2\sms";

/// Split `set` into `configuration.mof` and `SMS_def.mof` (rules in the [module
/// documentation](super)).
///
/// A set with syntax errors splits too (unparsed regions are copied by the role of their
/// namespace), but callers should refuse to write such outputs: check first.
#[must_use]
pub fn split(set: &SourceSet) -> Split {
    let layout = classify(set);
    let nl = set
        .roots()
        .first()
        .map_or("\n", |&r| set.file(r).source.newline_str());
    let sources = source_names(set);
    let mut conf = SideWriter::new(nl, DEFAULT_DATA);
    let mut sms = SideWriter::new(nl, DEFAULT_REPORTING);
    conf.line(&format!(
        "// configuration.mof: data classes split by smsmig from {sources}"
    ));
    sms.line(&format!(
        "// SMS_def.mof: reporting classes split by smsmig from {sources}"
    ));
    let last = last_placed(set, &layout);
    let mut notes = Vec::new();
    let mut seen = HashSet::new();
    for unit in set.units() {
        let mut flags = Flags::default();
        for entry in &unit.entries {
            if let ItemKind::Pragma(p) = &entry.item.kind {
                if p.name.is("classflags") {
                    flags.class = Some((entry.file, entry.index));
                } else if p.name.is("instanceflags") {
                    flags.instance = Some((entry.file, entry.index));
                }
            }
            if !seen.insert((entry.file, entry.index)) {
                continue;
            }
            let Some(placement) = layout.get(entry.file, entry.index) else {
                continue;
            };
            if placement.sides == Sides::NONE {
                continue;
            }
            let is_last = last.get(&entry.file) == Some(&entry.index);
            for (on, writer) in [
                (placement.sides.configuration, &mut conf),
                (placement.sides.sms_def, &mut sms),
            ] {
                if on {
                    writer.emit(set, entry, placement, flags, &mut notes);
                    if is_last {
                        writer.trailing(set, entry.file);
                    }
                }
            }
        }
    }
    notes.sort_by_key(|n| match n {
        SplitNote::DefaultNamespace { file, index, .. }
        | SplitNote::CorrectedNamespace { file, index, .. }
        | SplitNote::FlagsCarryOver { file, index } => (*file, *index),
    });
    notes.dedup();
    // One default-namespace note per file and namespace: the first item it applies to.
    let mut defaulted = HashSet::new();
    notes.retain(|n| match n {
        SplitNote::DefaultNamespace {
            file, namespace, ..
        } => defaulted.insert((*file, *namespace)),
        _ => true,
    });
    Split {
        configuration: conf.finish(),
        sms_def: sms.finish(),
        layout,
        notes,
    }
}

/// The roots' file names, for the header line.
fn source_names(set: &SourceSet) -> String {
    let mut names: Vec<String> = set
        .roots()
        .iter()
        .map(|&r| {
            let path = &set.file(r).path;
            path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        })
        .collect();
    names.dedup();
    names.join(", ")
}

/// For each file, the index of its last item copied anywhere (its trailing trivia follows it).
fn last_placed(set: &SourceSet, layout: &Layout) -> HashMap<FileId, usize> {
    set.ids()
        .filter_map(|id| {
            let n = set.file(id).document.items.len();
            let last = (0..n)
                .rev()
                .find(|&i| layout.get(id, i).is_some_and(|p| p.sides != Sides::NONE))?;
            Some((id, last))
        })
        .collect()
}

/// The class and instance flags pragmas in force at an item.
#[derive(Clone, Copy, Debug, Default)]
struct Flags {
    class: Option<(FileId, usize)>,
    instance: Option<(FileId, usize)>,
}

struct SideWriter {
    out: String,
    nl: &'static str,
    default_ns: &'static str,
    namespace: Option<String>,
    emitted: HashSet<(FileId, usize)>,
    flags: Flags,
}

impl SideWriter {
    fn new(nl: &'static str, default_ns: &'static str) -> Self {
        Self {
            out: String::new(),
            nl,
            default_ns,
            namespace: None,
            emitted: HashSet::new(),
            flags: Flags::default(),
        }
    }

    fn at_line_start(&self) -> bool {
        self.out.is_empty() || self.out.ends_with(['\n', '\r'])
    }

    /// New text on a line of its own.
    /// The line is left open: what follows starts with its own line break (copied leading
    /// trivia does, and [`SideWriter::copy`] adds one otherwise), so no blank line appears
    /// that the source did not have.
    fn line(&mut self, text: &str) {
        if !self.at_line_start() {
            self.out.push_str(self.nl);
        }
        self.out.push_str(text);
    }

    /// Copied source text: `leading` trivia then the item slice.
    ///
    /// Items that went to the other side leave their blank lines behind: line breaks at the
    /// start of `leading` are dropped where they would make more than one blank line in a row.
    fn copy(&mut self, leading: &str, body: &str) {
        if !self.at_line_start() && !leading.starts_with(['\n', '\r']) {
            self.out.push_str(self.nl);
        }
        let ending = trailing_breaks(&self.out);
        let mut leading = leading;
        while !self.out.is_empty() && ending + leading_breaks(leading) > 2 {
            leading = strip_break(leading);
        }
        self.out.push_str(leading);
        self.out.push_str(body);
    }

    /// Copy a structural pragma: with its leading trivia the first time, bare afterwards.
    fn copy_pragma(&mut self, set: &SourceSet, at: (FileId, usize)) {
        let file = set.file(at.0);
        let item = &file.document.items[at.1];
        let body = item.span.slice(file.text());
        if self.emitted.insert(at) {
            self.copy(item.leading.slice(file.text()), body);
        } else {
            self.copy("", body);
        }
    }

    fn emit(
        &mut self,
        set: &SourceSet,
        entry: &Entry<'_>,
        placement: &Placement,
        flags: Flags,
        notes: &mut Vec<SplitNote>,
    ) {
        if placement.reason != Reason::Structural {
            self.set_namespace(set, entry, placement, notes);
            self.set_flags(set, entry, flags, notes);
        }
        let file = set.file(entry.file);
        let text = file.text();
        self.copy(entry.item.leading.slice(text), entry.item.span.slice(text));
    }

    fn set_namespace(
        &mut self,
        set: &SourceSet,
        entry: &Entry<'_>,
        placement: &Placement,
        notes: &mut Vec<SplitNote>,
    ) {
        let in_force = placement.namespace.as_deref().filter(|ns| !ns.is_empty());
        let Some(target) = in_force else {
            let default = self.default_ns;
            notes.push(SplitNote::DefaultNamespace {
                file: entry.file,
                index: entry.index,
                namespace: default,
            });
            let normalized = crate::namespace::normalize_namespace(default);
            if self.namespace.as_deref() != Some(&normalized) {
                self.line(&pragma_text(default));
                self.namespace = Some(normalized);
            }
            return;
        };
        let raw = entry
            .namespace
            .map(|ns| ns.raw.as_str())
            .unwrap_or_default();
        let misspelled = entry
            .namespace
            .is_some_and(|ns| effective_namespace(&ns.normalized).1);
        let same = self.namespace.as_deref() == Some(target);
        match entry.ns_pragma {
            Some(at) if !self.emitted.contains(&at) || !same => {
                if misspelled {
                    let fixed = fix_cinv2(raw);
                    if self.emitted.insert(at) {
                        let file = set.file(at.0);
                        let leading = file.document.items[at.1].leading.slice(file.text());
                        self.copy(leading, "");
                    }
                    self.line(&pragma_text(&fixed));
                    notes.push(SplitNote::CorrectedNamespace {
                        file: at.0,
                        index: at.1,
                        written: raw.to_owned(),
                        emitted: fixed,
                    });
                } else {
                    self.copy_pragma(set, at);
                }
            }
            Some(_) => {}
            None if !same => self.line(&pragma_text(&fix_cinv2(raw))),
            None => {}
        }
        self.namespace = Some(target.to_owned());
    }

    fn set_flags(
        &mut self,
        set: &SourceSet,
        entry: &Entry<'_>,
        flags: Flags,
        notes: &mut Vec<SplitNote>,
    ) {
        let (want, have) = match entry.item.kind {
            ItemKind::Class(_) => (flags.class, &mut self.flags.class),
            ItemKind::Instance(_) => (flags.instance, &mut self.flags.instance),
            _ => return,
        };
        if want == *have {
            return;
        }
        *have = want;
        match want {
            Some(at) => self.copy_pragma(set, at),
            None => notes.push(SplitNote::FlagsCarryOver {
                file: entry.file,
                index: entry.index,
            }),
        }
    }

    /// The file's trailing trivia, when it holds more than whitespace.
    fn trailing(&mut self, set: &SourceSet, file: FileId) {
        let loaded = set.file(file);
        let trailing = loaded.document.trailing.slice(loaded.text());
        if !trailing.trim().is_empty() {
            self.out.push_str(trailing);
        }
    }

    fn finish(mut self) -> String {
        if !self.at_line_start() {
            self.out.push_str(self.nl);
        }
        self.out
    }
}

/// Line breaks at the end of `text` (only line breaks and nothing else after the last one).
fn trailing_breaks(text: &str) -> usize {
    let tail = text.len() - text.trim_end_matches(['\n', '\r']).len();
    text[text.len() - tail..].matches('\n').count()
}

/// Line breaks at the start of `text`, before anything else.
fn leading_breaks(text: &str) -> usize {
    let head = text.len() - text.trim_start_matches(['\n', '\r']).len();
    text[..head].matches('\n').count()
}

/// `text` without its first line break.
fn strip_break(text: &str) -> &str {
    text.strip_prefix("\r\n")
        .or_else(|| text.strip_prefix('\n'))
        .or_else(|| text.strip_prefix('\r'))
        .unwrap_or(text)
}

/// `#pragma namespace("...")` for a decoded path, escaping backslashes and quotes.
fn pragma_text(raw: &str) -> String {
    let escaped = raw.replace('\\', "\\\\").replace('"', "\\\"");
    format!("#pragma namespace(\"{escaped}\")")
}

/// `raw` with each `cinv2` segment spelled `cimv2`, keeping the case of the `n`.
fn fix_cinv2(raw: &str) -> String {
    raw.split('\\')
        .map(|seg| {
            if seg.eq_ignore_ascii_case("cinv2") {
                seg.chars()
                    .enumerate()
                    .map(|(i, c)| match (i, c) {
                        (2, 'n') => 'm',
                        (2, 'N') => 'M',
                        _ => c,
                    })
                    .collect()
            } else {
                seg.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cinv2_is_fixed_keeping_case() {
        assert_eq!(fix_cinv2(r"\\.\root\CINV2\sms"), r"\\.\root\CIMV2\sms");
        assert_eq!(fix_cinv2(r"root\cinv2"), r"root\cimv2");
        assert_eq!(fix_cinv2(r"root\cinv2x"), r"root\cinv2x");
    }

    #[test]
    fn pragma_text_escapes() {
        assert_eq!(
            pragma_text(r"\\.\root\cimv2"),
            r#"#pragma namespace("\\\\.\\root\\cimv2")"#
        );
    }
}
