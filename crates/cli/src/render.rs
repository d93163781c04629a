//! Diagnostics rendered the way rustc and cargo render theirs (annotate-snippets): a title with
//! severity and code, `--> file:line:col`, the source line with a caret under the span, related
//! locations below, and the `WBEMMOF_E_*` name `mofcomp` would report as a note.
//!
//! Only the lines a diagnostic points at are handed to annotate-snippets, so rendering stays
//! cheap on large files. Line and column are computed here, from byte spans, with
//! [`LineIndex`]; columns count characters.

use std::path::Path;

use annotate_snippets::{Level, Renderer, Snippet};
use smsmig_mof::diagnostic::{Diagnostic, FileId, Severity};
use smsmig_mof::include::SourceSet;
use smsmig_mof::{LineCol, LineIndex, SourceFile, Span};

/// One file's text, its display name and its line index.
pub(crate) struct FileView<'a> {
    name: String,
    text: &'a str,
    lines: LineIndex,
}

impl<'a> FileView<'a> {
    pub(crate) fn new(path: &Path, text: &'a str) -> Self {
        Self {
            name: path.display().to_string(),
            text,
            lines: LineIndex::new(text),
        }
    }

    /// 1-based line and column of a byte offset.
    pub(crate) fn line_col(&self, offset: usize) -> LineCol {
        self.lines.line_col(self.text, offset)
    }
}

/// The views of every file of a set, indexed by [`FileId`].
pub(crate) fn views(set: &SourceSet) -> Vec<FileView<'_>> {
    set.files()
        .iter()
        .map(|f| FileView::new(&f.path, f.text()))
        .collect()
}

/// Render `diagnostics` of one file (parse errors of an input, say) as text, coloured when
/// `color`. Every diagnostic is taken to point into `source`; related locations in other files
/// are left out.
pub(crate) fn render_diagnostics(
    path: &Path,
    source: &SourceFile,
    diagnostics: &[Diagnostic],
    color: bool,
) -> String {
    let view = FileView::new(path, &source.text);
    let mut out = String::new();
    for d in diagnostics {
        let lookup = |file: FileId| (file == d.file).then_some(&view);
        out.push_str(&render_one(d, &lookup, Some(&view), color));
    }
    out
}

/// Render diagnostics of a [`SourceSet`], each in the file its [`FileId`] names.
pub(crate) fn render_set(
    views: &[FileView<'_>],
    diagnostics: &[Diagnostic],
    color: bool,
) -> String {
    let lookup = |file: FileId| views.get(file.index());
    diagnostics
        .iter()
        .map(|d| render_one(d, &lookup, lookup(d.file), color))
        .collect()
}

fn render_one<'v>(
    d: &Diagnostic,
    lookup: &dyn Fn(FileId) -> Option<&'v FileView<'v>>,
    primary: Option<&'v FileView<'v>>,
    color: bool,
) -> String {
    let level = match d.severity() {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
    };
    let title = d.kind.to_string();
    let mut message = level.title(&title).id(d.code());
    let excerpts: Vec<Excerpt> = primary
        .map(|view| Excerpt::new(view, d.span))
        .into_iter()
        .collect();
    let related: Vec<(Excerpt, String)> = d
        .related
        .iter()
        .filter_map(|r| Some((Excerpt::new(lookup(r.file)?, r.span), r.note.to_string())))
        .collect();
    // annotate-snippets draws `^` only under error-level spans and `-` under the others, and
    // prefixes labels of info/note levels: the primary span is error-level for its caret, the
    // related ones warning-level for a plain `-` and label.
    for ex in &excerpts {
        message = message.snippet(ex.snippet(Level::Error.span(ex.range.clone())));
    }
    for (ex, note) in &related {
        message = message.snippet(ex.snippet(Level::Warning.span(ex.range.clone()).label(note)));
    }
    let note = d.wbem_name().map(|name| format!("mofcomp reports {name}"));
    if let Some(note) = &note {
        message = message.footer(Level::Note.title(note));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    format!("{}\n\n", renderer.render(message))
}

/// The lines a span covers, ready for annotate-snippets.
struct Excerpt {
    origin: String,
    source: String,
    first_line: usize,
    range: std::ops::Range<usize>,
}

impl Excerpt {
    fn new(view: &FileView<'_>, span: Span) -> Self {
        let len = view.text.len();
        let start = span.start.min(len);
        let end = span.end.clamp(start, len);
        let from = view.line_col(start);
        let to = view.line_col(end.saturating_sub(1).max(start));
        let first = view.lines.line_span(view.text, from.line);
        let last = view.lines.line_span(view.text, to.line.max(from.line));
        let mut source = view.text[first.start..last.end.max(first.start)].to_owned();
        // A bare CR ends a line for us; annotate-snippets only knows LF. Same length.
        if source.contains('\r') {
            source = source
                .replace("\r\n", "\u{0}\n")
                .replace('\r', "\n")
                .replace('\u{0}', "\r");
        }
        let mut range = (start - first.start)..(end - first.start);
        range.end = range.end.min(source.len());
        range.start = range.start.min(range.end);
        Self {
            origin: view.name.clone(),
            source,
            first_line: from.line,
            range,
        }
    }

    fn snippet<'s>(&'s self, annotation: annotate_snippets::Annotation<'s>) -> Snippet<'s> {
        Snippet::source(&self.source)
            .line_start(self.first_line)
            .origin(&self.origin)
            .fold(true)
            .annotation(annotation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use smsmig_mof::diagnostic::{DiagnosticKind, RelatedNote};

    #[test]
    fn renders_file_line_column_source_and_caret() {
        let text = "class A {};\r\nclass A {};\r\n";
        let source = SourceFile::decode(text.as_bytes());
        let d = Diagnostic::new(
            DiagnosticKind::DuplicateClass {
                name: "A".into(),
                namespace: "root\\cimv2".into(),
            },
            FileId(0),
            Span::new(19, 20),
        )
        .with_related(FileId(0), Span::new(6, 7), RelatedNote::FirstDefinition);
        let out = render_diagnostics(Path::new("x.mof"), &source, &[d], false);
        assert_eq!(
            out,
            "warning[W0103]: class `A` is declared again in namespace root\\cimv2: the second declaration replaces the first\n \
             --> x.mof:2:7\n  |\n2 | class A {};\n  |       ^\n  |\n \
             ::: x.mof:1:7\n  |\n1 | class A {};\n  |       - first defined here\n  |\n\n"
        );
    }
}
