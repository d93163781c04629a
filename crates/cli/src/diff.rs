//! Unified diffs of pending changes, coloured when the output is a terminal.

use anstyle::AnsiColor;
use similar::{ChangeTag, TextDiff};

use crate::output::paint;

/// A unified diff of `old` → `new` with `---`/`+++` headers naming `old_name` and `new_name`,
/// three lines of context. Empty when the texts are equal. Line endings are compared as they
/// are, so a CRLF file edited with CRLF lines diffs only where it changed.
pub(crate) fn unified(old: &str, new: &str, old_name: &str, new_name: &str, color: bool) -> String {
    if old == new {
        return String::new();
    }
    let diff = TextDiff::from_lines(old, new);
    let mut text = String::new();
    let header = AnsiColor::White.on_default().bold();
    text.push_str(&paint(color, header, &format!("--- {old_name}")));
    text.push('\n');
    text.push_str(&paint(color, header, &format!("+++ {new_name}")));
    text.push('\n');
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        let range = hunk.header().to_string();
        text.push_str(&paint(
            color,
            AnsiColor::Cyan.on_default(),
            range.trim_end(),
        ));
        text.push('\n');
        for change in hunk.iter_changes() {
            let (sign, style) = match change.tag() {
                ChangeTag::Delete => ('-', Some(AnsiColor::Red.on_default())),
                ChangeTag::Insert => ('+', Some(AnsiColor::Green.on_default())),
                ChangeTag::Equal => (' ', None),
            };
            let value = change.value();
            let line = value.trim_end_matches(['\n', '\r']);
            let line = format!("{sign}{line}");
            match style {
                Some(style) => text.push_str(&paint(color, style, &line)),
                None => text.push_str(&line),
            }
            text.push('\n');
            if change.missing_newline() {
                text.push_str("\\ No newline at end of file\n");
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
}
