//! Loading MOF files and following `#pragma include` (DESIGN §3.5).
//!
//! [`SourceSet::load`] reads the files it is given (the *roots*), decodes and parses each, and
//! follows every `#pragma include("x.mof")` relative to the directory of the including file, as
//! `mofcomp` does. A file reached twice is parsed once. An include that cannot be read, or that
//! would include a file already being included (a cycle), becomes a [`Diagnostic`]; only an
//! unreadable *root* is a [`LoadError`], because then there is nothing to check at all.
//!
//! [`SourceSet::units`] then lays the files out the way `mofcomp` would compile them: one
//! [`Unit`] per root that no other root includes, its items in order with each include replaced
//! by the included file's items. Items of an included file that appear before any namespace
//! pragma of their own take the namespace in force at the `#pragma include`.

use std::collections::{BTreeMap, HashSet};
use std::io;
use std::path::{Component, Path, PathBuf};

use thiserror::Error;

use crate::diagnostic::{Diagnostic, DiagnosticKind, FileId};
use crate::error::ParseError;
use crate::parse::parse;
use crate::source::SourceFile;
use crate::syntax::{Document, Item, ItemKind, Namespace};

/// A root file that could not be read.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum LoadError {
    /// Reading the file failed.
    #[error("cannot read {}", path.display())]
    Read {
        /// The path as given.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
}

/// One decoded and parsed file.
#[derive(Debug)]
pub struct LoadedFile {
    /// The path as given for a root, or resolved against the including file for an include.
    pub path: PathBuf,
    /// The decoded text with its encoding, BOM and newline style.
    pub source: SourceFile,
    /// The syntax tree.
    pub document: Document,
    /// Syntax errors, in order.
    pub errors: Vec<ParseError>,
    /// Every `#pragma include` of this file, in order.
    pub includes: Vec<Include>,
}

impl LoadedFile {
    /// The decoded text.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.source.text
    }
}

/// A `#pragma include` and what it resolved to.
#[derive(Clone, Debug)]
pub struct Include {
    /// Index of the pragma among the including file's items.
    pub item: usize,
    /// The included file; `None` when it could not be read or would close a cycle.
    pub target: Option<FileId>,
}

/// Every file reached from the roots, with the include problems found while loading.
#[derive(Debug, Default)]
pub struct SourceSet {
    files: Vec<LoadedFile>,
    roots: Vec<FileId>,
    diagnostics: Vec<Diagnostic>,
}

/// Reads a file's bytes; the file system for [`SourceSet::load`], a map in tests.
pub type Reader<'r> = dyn FnMut(&Path) -> io::Result<Vec<u8>> + 'r;

impl SourceSet {
    /// Load `roots` from the file system and every file they include.
    ///
    /// An include is looked up relative to the including file; when that exact path does not
    /// exist, a case-insensitive match is tried, because MOF files are written on Windows.
    ///
    /// # Errors
    /// [`LoadError::Read`] when a root cannot be read.
    pub fn load<P: AsRef<Path>>(roots: &[P]) -> Result<Self, LoadError> {
        Self::load_with(roots, &mut read_case_insensitive)
    }

    /// Load `roots` and their includes through `read`.
    ///
    /// # Errors
    /// [`LoadError::Read`] when `read` fails for a root.
    pub fn load_with<P: AsRef<Path>>(
        roots: &[P],
        read: &mut Reader<'_>,
    ) -> Result<Self, LoadError> {
        let mut loader = Loader {
            set: SourceSet::default(),
            by_key: BTreeMap::new(),
            stack: Vec::new(),
            read,
        };
        for root in roots {
            let path = root.as_ref().to_path_buf();
            let key = normalize_path(&path);
            if let Some(&id) = loader.by_key.get(&key) {
                loader.set.roots.push(id);
                continue;
            }
            let bytes = (loader.read)(&path).map_err(|source| LoadError::Read {
                path: path.clone(),
                source,
            })?;
            let id = loader.add(path, key, &bytes);
            loader.set.roots.push(id);
        }
        Ok(loader.set)
    }

    /// A set of in-memory files, all of them roots, includes resolved among them.
    #[must_use]
    pub fn from_sources<P: AsRef<Path>>(files: &[(P, &[u8])]) -> Self {
        let map: BTreeMap<PathBuf, Vec<u8>> = files
            .iter()
            .map(|(p, b)| (normalize_path(p.as_ref()), b.to_vec()))
            .collect();
        let roots: Vec<PathBuf> = files
            .iter()
            .map(|(p, _)| p.as_ref().to_path_buf())
            .collect();
        let mut read = |path: &Path| {
            map.get(&normalize_path(path))
                .cloned()
                .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
        };
        Self::load_with(&roots, &mut read).expect("every root is in the map")
    }

    /// Every file, in the order first reached.
    #[must_use]
    pub fn files(&self) -> &[LoadedFile] {
        &self.files
    }

    /// One file.
    ///
    /// # Panics
    /// When `id` is not from this set.
    #[must_use]
    pub fn file(&self, id: FileId) -> &LoadedFile {
        &self.files[id.index()]
    }

    /// Ids of the files, in order.
    pub fn ids(&self) -> impl Iterator<Item = FileId> {
        (0..self.files.len()).map(|i| FileId(u32::try_from(i).expect("fewer than 2^32 files")))
    }

    /// The roots, in the order given.
    #[must_use]
    pub fn roots(&self) -> &[FileId] {
        &self.roots
    }

    /// Include problems found while loading (missing files, cycles).
    #[must_use]
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// True when any file has a syntax error or an include could not be followed.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        !self.diagnostics.is_empty() || self.files.iter().any(|f| !f.errors.is_empty())
    }

    /// The compilation units: one per root that no other root includes (of roots that include
    /// each other, the first given), each the root's items with includes expanded in place.
    /// A file reached twice within one unit contributes its items once.
    #[must_use]
    pub fn units(&self) -> Vec<Unit<'_>> {
        let reach: Vec<HashSet<FileId>> = self.roots.iter().map(|&r| self.reach(r)).collect();
        let mut units = Vec::new();
        let mut seen_roots = HashSet::new();
        for (i, &root) in self.roots.iter().enumerate() {
            if !seen_roots.insert(root) {
                continue;
            }
            let subsumed = self.roots.iter().enumerate().any(|(j, &other)| {
                other != root && reach[j].contains(&root) && (!reach[i].contains(&other) || j < i)
            });
            if subsumed {
                continue;
            }
            let mut unit = Unit {
                root,
                entries: Vec::new(),
            };
            let mut done = HashSet::new();
            self.expand(root, None, &mut done, &mut unit.entries);
            units.push(unit);
        }
        units
    }

    fn reach(&self, root: FileId) -> HashSet<FileId> {
        let mut seen = HashSet::from([root]);
        let mut todo = vec![root];
        while let Some(id) = todo.pop() {
            for inc in &self.file(id).includes {
                if let Some(t) = inc.target {
                    if seen.insert(t) {
                        todo.push(t);
                    }
                }
            }
        }
        seen
    }

    /// Append `file`'s items to `out`, expanding includes. `inherited` is the namespace in force
    /// at the `#pragma include` that reached this file.
    fn expand<'a>(
        &'a self,
        file: FileId,
        inherited: Option<Inherited<'a>>,
        done: &mut HashSet<FileId>,
        out: &mut Vec<Entry<'a>>,
    ) {
        if !done.insert(file) {
            return;
        }
        let loaded = self.file(file);
        let mut last_pragma: Option<(FileId, usize)> = None;
        let mut includes = loaded.includes.iter().peekable();
        for (index, item) in loaded.document.items.iter().enumerate() {
            if let ItemKind::Pragma(p) = &item.kind {
                if p.name.is("namespace") {
                    last_pragma = Some((file, index));
                }
            }
            let (namespace, ns_pragma) = match (&item.namespace, inherited) {
                (Some(ns), _) => (Some(ns), last_pragma),
                (None, Some(inh)) => (Some(inh.namespace), inh.pragma),
                (None, None) => (None, None),
            };
            out.push(Entry {
                file,
                index,
                item,
                namespace,
                ns_pragma,
            });
            if includes.peek().is_some_and(|inc| inc.item == index) {
                let inc = includes.next().expect("peeked");
                if let Some(target) = inc.target {
                    let inh = namespace.map(|namespace| Inherited {
                        namespace,
                        pragma: ns_pragma,
                    });
                    self.expand(target, inh, done, out);
                }
            }
        }
    }
}

#[derive(Clone, Copy)]
struct Inherited<'a> {
    namespace: &'a Namespace,
    pragma: Option<(FileId, usize)>,
}

/// A compilation: a root file with its includes expanded in place.
#[derive(Clone, Debug)]
pub struct Unit<'a> {
    /// The root file.
    pub root: FileId,
    /// Every item, in compilation order.
    pub entries: Vec<Entry<'a>>,
}

/// One item in a [`Unit`].
#[derive(Clone, Copy, Debug)]
pub struct Entry<'a> {
    /// The file it is written in.
    pub file: FileId,
    /// Its index among that file's items.
    pub index: usize,
    /// The item.
    pub item: &'a Item,
    /// The namespace in force: the item's own, or for an included file's items before its
    /// first namespace pragma, the one in force at the `#pragma include`.
    pub namespace: Option<&'a Namespace>,
    /// The `#pragma namespace` item that put `namespace` in force, as (file, item index).
    pub ns_pragma: Option<(FileId, usize)>,
}

struct Loader<'r, 'f> {
    set: SourceSet,
    by_key: BTreeMap<PathBuf, FileId>,
    /// Files being loaded, outermost first, for cycle detection.
    stack: Vec<FileId>,
    read: &'r mut Reader<'f>,
}

impl Loader<'_, '_> {
    fn add(&mut self, path: PathBuf, key: PathBuf, bytes: &[u8]) -> FileId {
        let source = SourceFile::decode(bytes);
        let parsed = parse(&source.text);
        let id = FileId(u32::try_from(self.set.files.len()).expect("fewer than 2^32 files"));
        let pending: Vec<(usize, String)> = parsed
            .document
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| include_target(item).map(|t| (i, t.to_owned())))
            .collect();
        self.set.files.push(LoadedFile {
            path,
            source,
            document: parsed.document,
            errors: parsed.errors,
            includes: Vec::new(),
        });
        self.by_key.insert(key, id);
        self.stack.push(id);
        for (item, target) in pending {
            let target = self.follow(id, item, &target);
            self.set.files[id.index()]
                .includes
                .push(Include { item, target });
        }
        self.stack.pop();
        id
    }

    fn follow(&mut self, from: FileId, item: usize, target: &str) -> Option<FileId> {
        let including = &self.set.files[from.index()];
        let span = including.document.items[item].span;
        let dir = including.path.parent().unwrap_or_else(|| Path::new(""));
        // `\` is the separator in MOF files written on Windows.
        let key = normalize_path(&dir.join(target.replace('\\', "/")));
        let path = key.clone();
        if let Some(&existing) = self.by_key.get(&key) {
            if let Some(pos) = self.stack.iter().position(|&f| f == existing) {
                let mut chain: Vec<PathBuf> = self.stack[pos..]
                    .iter()
                    .map(|&f| self.set.files[f.index()].path.clone())
                    .collect();
                chain.push(path.clone());
                let kind = DiagnosticKind::IncludeCycle { path, chain };
                self.set.diagnostics.push(Diagnostic::new(kind, from, span));
                return None;
            }
            return Some(existing);
        }
        match (self.read)(&path) {
            Ok(bytes) => Some(self.add(path, key, &bytes)),
            Err(err) => {
                let kind = DiagnosticKind::IncludeNotFound {
                    path,
                    reason: err.kind(),
                };
                let diag = Diagnostic::new(kind, from, span);
                self.set.diagnostics.push(diag);
                None
            }
        }
    }
}

/// The file named by `#pragma include("...")`, if the item is one.
fn include_target(item: &Item) -> Option<&str> {
    match &item.kind {
        ItemKind::Pragma(p) if p.name.is("include") => p.first_string(),
        _ => None,
    }
}

/// Lexically normalised path (`.` removed, `..` applied), for recognising a file reached twice.
fn normalize_path(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for comp in path.components() {
        match comp {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Read `path`; when it does not exist, look each component up case-insensitively.
fn read_case_insensitive(path: &Path) -> io::Result<Vec<u8>> {
    match std::fs::read(path) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            let found = find_case_insensitive(path).ok_or(err)?;
            std::fs::read(found)
        }
        other => other,
    }
}

fn find_case_insensitive(path: &Path) -> Option<PathBuf> {
    let mut current = PathBuf::new();
    for comp in path.components() {
        let Component::Normal(name) = comp else {
            current.push(comp);
            continue;
        };
        let exact = current.join(name);
        if exact.exists() {
            current = exact;
            continue;
        }
        let dir = if current.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &current
        };
        let wanted = name.to_string_lossy().to_lowercase();
        let mut matches: Vec<PathBuf> = std::fs::read_dir(dir)
            .ok()?
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().to_lowercase() == wanted)
            .map(|e| e.path())
            .collect();
        matches.sort();
        current = matches.into_iter().next()?;
    }
    Some(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(set: &SourceSet, unit: &Unit<'_>) -> Vec<String> {
        unit.entries
            .iter()
            .map(|e| {
                let f = set.file(e.file);
                format!(
                    "{}#{}",
                    f.path.file_name().unwrap().to_string_lossy(),
                    e.index
                )
            })
            .collect()
    }

    #[test]
    fn includes_are_followed_relative_to_the_including_file() {
        let set = SourceSet::from_sources(&[
            (
                "top/a.mof",
                &b"#pragma include(\"sub\\\\b.mof\")\nclass A {};\n"[..],
            ),
            (
                "top/sub/b.mof",
                &b"#pragma include(\"c.mof\")\nclass B {};\n"[..],
            ),
            ("top/sub/c.mof", &b"class C {};\n"[..]),
        ]);
        assert!(set.diagnostics().is_empty(), "{:?}", set.diagnostics());
        let units = set.units();
        assert_eq!(units.len(), 1, "b and c are included by a");
        assert_eq!(
            names(&set, &units[0]),
            ["a.mof#0", "b.mof#0", "c.mof#0", "b.mof#1", "a.mof#1"]
        );
    }

    #[test]
    fn cycles_and_missing_files_are_diagnostics() {
        let set = SourceSet::from_sources(&[
            (
                "a.mof",
                &b"#pragma include(\"b.mof\")\n#pragma include(\"gone.mof\")\n"[..],
            ),
            ("b.mof", &b"#pragma include(\"a.mof\")\n"[..]),
        ]);
        let codes: Vec<_> = set.diagnostics().iter().map(Diagnostic::code).collect();
        assert_eq!(codes, ["E0202", "E0201"]);
        let units = set.units();
        assert_eq!(
            units.len(),
            1,
            "a and b include each other: the first root wins"
        );
        assert_eq!(units[0].root, FileId(0));
    }

    #[test]
    fn included_files_inherit_the_namespace_in_force() {
        let set = SourceSet::from_sources(&[
            (
                "a.mof",
                &b"#pragma namespace(\"\\\\\\\\.\\\\root\\\\cimv2\\\\sms\")\n#pragma include(\"b.mof\")\n"[..],
            ),
            ("b.mof", &b"class B {};\n"[..]),
        ]);
        let units = set.units();
        let b = units[0]
            .entries
            .iter()
            .find(|e| e.file == FileId(1))
            .unwrap();
        assert_eq!(b.namespace.unwrap().normalized, "root\\cimv2\\sms");
        assert_eq!(b.ns_pragma, Some((FileId(0), 0)));
    }

    #[test]
    fn normalize_path_applies_dot_dot() {
        assert_eq!(
            normalize_path(Path::new("a/./b/../c.mof")),
            PathBuf::from("a/c.mof")
        );
    }
}
