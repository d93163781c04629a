//! Unified diffs of pending changes, coloured when the output is a terminal.

use anstyle::AnsiColor;
use std::ops::Range;

use similar::udiff::UnifiedHunkHeader;
use similar::{capture_diff_slices, group_diff_ops, Algorithm, ChangeTag, DiffOp};

use crate::output::paint;

/// A unified diff of `old` → `new` with `---`/`+++` headers naming `old_name` and `new_name`,
/// three lines of context. Empty when the texts are equal. Line endings are compared as they
/// are, so a CRLF file edited with CRLF lines diffs only where it changed.
pub(crate) fn unified(old: &str, new: &str, old_name: &str, new_name: &str, color: bool) -> String {
    if old == new {
        return String::new();
    }
    let (old, new) = (lines(old), lines(new));
    let ops = capture_diff_slices(Algorithm::Myers, &old, &new);
    render(&old, &new, ops, (old_name, new_name), color)
}

/// [`unified`] for texts made of sections: runs of consecutive lines with the same
/// `section(line)` key. Sections with the same key are diffed with each other; the others are
/// wholly deleted or inserted.
///
/// A whole-text diff costs O(lines × changes): minutes for the hierarchy of a large estate,
/// where nearly every site changes (its boundaries move, its clients leave). Section by
/// section, each diff is as small as a site.
pub(crate) fn unified_sections(
    old: &str,
    new: &str,
    names: (&str, &str),
    color: bool,
    section: impl Fn(&str) -> &str,
) -> String {
    if old == new {
        return String::new();
    }
    let (old, new) = (lines(old), lines(new));
    let (old_sections, new_sections) = (sections(&old, &section), sections(&new, &section));
    let mut ops = Vec::new();
    let (mut at_old, mut at_new) = (0, 0);
    let by_key = capture_diff_slices(Algorithm::Myers, &keys(&old_sections), &keys(&new_sections));
    for op in by_key {
        let (o, n) = (op.old_range(), op.new_range());
        let (o_end, n_end) = (o.end, n.end);
        if let DiffOp::Equal { .. } = op {
            for (a, b) in old_sections[o].iter().zip(&new_sections[n]) {
                let inner =
                    capture_diff_slices(Algorithm::Myers, &old[a.1.clone()], &new[b.1.clone()]);
                ops.extend(
                    inner
                        .into_iter()
                        .map(|op| shifted(op, a.1.start, b.1.start)),
                );
            }
        } else {
            // Whole sections out, then whole sections in.
            let old_len: usize = old_sections[o].iter().map(|s| s.1.len()).sum();
            let new_len: usize = new_sections[n].iter().map(|s| s.1.len()).sum();
            if old_len > 0 {
                ops.push(DiffOp::Delete {
                    old_index: at_old,
                    old_len,
                    new_index: at_new,
                });
            }
            if new_len > 0 {
                ops.push(DiffOp::Insert {
                    old_index: at_old + old_len,
                    new_index: at_new,
                    new_len,
                });
            }
        }
        // Where the next sections start (inner ops' indices say little about that).
        let start = |s: &[Section<'_>], i: usize, end: usize| s.get(i).map_or(end, |s| s.1.start);
        at_old = start(&old_sections, o_end, old.len());
        at_new = start(&new_sections, n_end, new.len());
    }
    render(&old, &new, ops, names, color)
}

fn keys<'a>(sections: &[Section<'a>]) -> Vec<&'a str> {
    sections.iter().map(|s| s.0).collect()
}

/// A run of lines sharing a key: the key and the lines' indices.
type Section<'a> = (&'a str, Range<usize>);

fn sections<'a>(lines: &[&'a str], key: impl Fn(&'a str) -> &'a str) -> Vec<Section<'a>> {
    let mut out: Vec<Section<'a>> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let k = key(line);
        match out.last_mut() {
            Some((last, range)) if *last == k => range.end = i + 1,
            _ => out.push((k, i..i + 1)),
        }
    }
    out
}

/// `op` with its indices moved by `old` and `new` lines.
fn shifted(op: DiffOp, old: usize, new: usize) -> DiffOp {
    match op {
        DiffOp::Equal {
            old_index,
            new_index,
            len,
        } => DiffOp::Equal {
            old_index: old_index + old,
            new_index: new_index + new,
            len,
        },
        DiffOp::Delete {
            old_index,
            old_len,
            new_index,
        } => DiffOp::Delete {
            old_index: old_index + old,
            old_len,
            new_index: new_index + new,
        },
        DiffOp::Insert {
            old_index,
            new_index,
            new_len,
        } => DiffOp::Insert {
            old_index: old_index + old,
            new_index: new_index + new,
            new_len,
        },
        DiffOp::Replace {
            old_index,
            old_len,
            new_index,
            new_len,
        } => DiffOp::Replace {
            old_index: old_index + old,
            old_len,
            new_index: new_index + new,
            new_len,
        },
    }
}

/// The lines of `text`, each with its line ending.
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// The unified diff of `ops` over the lines `old` → `new`.
fn render(
    old: &[&str],
    new: &[&str],
    ops: Vec<DiffOp>,
    (old_name, new_name): (&str, &str),
    color: bool,
) -> String {
    let mut text = String::new();
    let header = AnsiColor::White.on_default().bold();
    text.push_str(&paint(color, header, &format!("--- {old_name}")));
    text.push('\n');
    text.push_str(&paint(color, header, &format!("+++ {new_name}")));
    text.push('\n');
    for hunk in group_diff_ops(ops, 3) {
        let range = UnifiedHunkHeader::new(&hunk).to_string();
        text.push_str(&paint(color, AnsiColor::Cyan.on_default(), &range));
        text.push('\n');
        for op in &hunk {
            for change in op.iter_changes(old, new) {
                let (sign, style) = match change.tag() {
                    ChangeTag::Delete => ('-', Some(AnsiColor::Red.on_default())),
                    ChangeTag::Insert => ('+', Some(AnsiColor::Green.on_default())),
                    ChangeTag::Equal => (' ', None),
                };
                let value = change.value();
                let line = format!("{sign}{}", value.trim_end_matches(['\n', '\r']));
                match style {
                    Some(style) => text.push_str(&paint(color, style, &line)),
                    None => text.push_str(&line),
                }
                text.push('\n');
                if !value.ends_with('\n') {
                    text.push_str("\\ No newline at end of file\n");
                }
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(unified("a\n", "a\n", "a", "b", false), "");
    }

    #[test]
    fn crlf_lines_diff_without_carriage_returns_in_output() {
        let d = unified("a\r\nb\r\n", "a\r\nc\r\n", "x", "y", false);
        assert_eq!(d, "--- x\n+++ y\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n");
    }

    /// Apply a unified diff (as rendered, no colour) to `old`.
    fn patch(old: &str, diff: &str) -> String {
        let old: Vec<&str> = old.lines().collect();
        let mut out: Vec<&str> = Vec::new();
        let mut at = 0;
        for line in diff.lines().skip(2) {
            if let Some(header) = line.strip_prefix("@@ -") {
                let range = header.split(' ').next().unwrap();
                let (start, len) = match range.split_once(',') {
                    Some((s, l)) => (s.parse::<usize>().unwrap(), l.parse::<usize>().unwrap()),
                    None => (range.parse().unwrap(), 1),
                };
                let start = if len == 0 { start } else { start - 1 };
                out.extend(&old[at..start]);
                at = start;
            } else if let Some(l) = line.strip_prefix('+') {
                out.push(l);
            } else if let Some(l) = line.strip_prefix('-') {
                assert_eq!(old[at], l);
                at += 1;
            } else {
                assert_eq!(old[at], &line[1..]);
                out.push(&line[1..]);
                at += 1;
            }
        }
        out.extend(&old[at..]);
        out.iter().map(|l| format!("{l}\n")).collect()
    }

    fn key(line: &str) -> &str {
        line.split_once(':').map_or(line, |(k, _)| k)
    }

    #[test]
    fn sections_are_diffed_with_their_own_kind() {
        let old = "A: 1\nA: x\nB: 2\nB: y\nB: z\nD: 4\n";
        let new = "A: 1\nA: x\nB: 2\nB: z\nC: 3\nD: 4\nD: w\n";
        let d = unified_sections(old, new, ("before", "after"), false, key);
        assert_eq!(
            d,
            "--- before\n+++ after\n@@ -1,6 +1,7 @@\n A: 1\n A: x\n B: 2\n-B: y\n B: z\n+C: 3\n D: 4\n+D: w\n"
        );
        assert_eq!(patch(old, &d), new);
        assert_eq!(unified_sections(old, old, ("a", "b"), false, key), "");
    }

    proptest::proptest! {
        /// Whatever the sections, the diff turns the old text into the new one.
        #[test]
        fn sectioned_diff_patches_old_into_new(
            old in proptest::collection::vec((0u8..5, 0u8..4), 0..30),
            new in proptest::collection::vec((0u8..5, 0u8..4), 0..30),
        ) {
            let text = |lines: &[(u8, u8)]| -> String {
                lines.iter().map(|(k, v)| format!("{}: {v}\n", char::from(b'A' + k))).collect()
            };
            let (old, new) = (text(&old), text(&new));
            let d = unified_sections(&old, &new, ("a", "b"), false, key);
            proptest::prop_assert_eq!(patch(&old, &d), new);
        }
    }
}
