//! Lines grouped into log entries.
//!
//! A stamped entry (`<date> text`) owns the plain lines after it: the prerequisite checker logs
//! a rule's SQL over several lines and only the first carries the stamp. A trace entry is the
//! other way round, its stamp closes the entry, so plain lines before a trace line belong to it.
//! Plain lines with no entry to join (the start of a file, garbage) come out as
//! [`EntryShape::Plain`] entries of one line each and are counted as unparsed.

use std::collections::VecDeque;
use std::io::Read;

use serde::Serialize;

use super::line::{parse_line, Stamp};
use super::{IssueKind, Issues, LogError, LogIssue, LogReader, SourceInfo};

/// Longest entry kept, in bytes; further continuation lines are dropped and counted.
pub const MAX_ENTRY_BYTES: usize = 1024 * 1024;

/// The shape of a log entry's stamp line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryShape {
    /// `<MM-DD-YYYY HH:MM:SS> text`.
    Stamped,
    /// `text $$<Component><stamp><thread=N>`.
    Trace,
    /// A line with no stamp that belongs to no entry.
    Plain,
}

/// One log entry: a stamped line with its continuation lines, a trace line with the lines
/// before it, or a lone plain line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 1-based number of the entry's first line.
    pub line: u64,
    /// 1-based number of its last line.
    pub end_line: u64,
    /// How it was stamped.
    pub shape: EntryShape,
    /// Its timestamp.
    pub stamp: Option<Stamp>,
    /// The logging component (trace entries).
    pub component: Option<String>,
    /// The logging thread (trace entries).
    pub thread: Option<u32>,
    /// The message: its lines, trimmed, joined with `\n`.
    pub text: String,
}

impl Entry {
    fn plain(line: u64, text: &str) -> Self {
        Self {
            line,
            end_line: line,
            shape: EntryShape::Plain,
            stamp: None,
            component: None,
            thread: None,
            text: text.to_owned(),
        }
    }

    /// Append a continuation line unless the entry is full; returns whether it was kept.
    fn push_line(&mut self, line: u64, text: &str) -> bool {
        if self.text.len() + text.len() + 1 > MAX_ENTRY_BYTES {
            return false;
        }
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(text);
        self.end_line = line;
        true
    }

    /// The first line of the message.
    pub fn head(&self) -> &str {
        self.text.lines().next().unwrap_or("")
    }
}

/// What the last stamped line was, deciding where a plain line goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Start,
    Stamped,
    Trace,
}

/// Reads [`Entry`] values from a log, one at a time. See the module docs.
#[derive(Debug)]
pub struct Entries<R> {
    reader: LogReader<R>,
    mode: Mode,
    /// The stamped entry still collecting continuation lines.
    open: Option<Entry>,
    /// Plain lines waiting for the trace stamp that closes them, and their total length.
    prefix: Vec<(u64, String)>,
    prefix_bytes: usize,
    ready: VecDeque<Entry>,
    scratch: String,
    done: bool,
    entries: u64,
    unparsed_lines: u64,
    dropped_lines: u64,
    issues: Issues,
}

impl<R: Read> Entries<R> {
    /// Group the lines of `reader` into entries.
    pub fn new(reader: LogReader<R>) -> Self {
        Self {
            reader,
            mode: Mode::Start,
            open: None,
            prefix: Vec::new(),
            prefix_bytes: 0,
            ready: VecDeque::new(),
            scratch: String::new(),
            done: false,
            entries: 0,
            unparsed_lines: 0,
            dropped_lines: 0,
            issues: Issues::default(),
        }
    }

    /// The next entry, or `None` at the end of the log.
    ///
    /// # Errors
    /// [`LogError::Io`] when reading fails.
    pub fn next_entry(&mut self) -> Result<Option<Entry>, LogError> {
        while self.ready.is_empty() && !self.done {
            self.step()?;
        }
        Ok(self.ready.pop_front())
    }

    /// Read one line and file it.
    fn step(&mut self) -> Result<(), LogError> {
        let Some(line) = self.reader.next_line()? else {
            self.done = true;
            self.flush_open();
            self.flush_prefix();
            return Ok(());
        };
        let number = line.number;
        // The line borrows the reader; a reused copy lets it be filed with `&mut self`.
        let mut text = std::mem::take(&mut self.scratch);
        text.clear();
        text.push_str(line.text);
        self.file_line(number, &text);
        self.scratch = text;
        Ok(())
    }

    /// File one line: start, continue or close an entry.
    fn file_line(&mut self, number: u64, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        let (parsed, error) = parse_line(text);
        if let Some(e) = error {
            self.issues.push(LogIssue {
                line: number,
                kind: IssueKind::MalformedStamp {
                    column: e.column,
                    expected: e.expected,
                },
            });
        }
        let mut entry = Entry {
            line: number,
            end_line: number,
            shape: parsed.shape,
            stamp: parsed.stamp,
            component: parsed.component.map(str::to_owned),
            thread: parsed.thread,
            text: String::new(),
        };
        match parsed.shape {
            EntryShape::Stamped => {
                self.flush_open();
                self.flush_prefix();
                entry.text.push_str(parsed.message);
                self.entries += 1;
                self.open = Some(entry);
                self.mode = Mode::Stamped;
            }
            EntryShape::Trace => {
                self.flush_open();
                if let Some((first, _)) = self.prefix.first() {
                    entry.line = *first;
                }
                for (_, text) in self.prefix.drain(..) {
                    entry.push_line(number, &text);
                }
                self.prefix_bytes = 0;
                if !entry.push_line(number, parsed.message) {
                    self.dropped_lines += 1;
                }
                self.entries += 1;
                self.ready.push_back(entry);
                self.mode = Mode::Trace;
            }
            EntryShape::Plain => self.plain_line(number, parsed.message),
        }
    }

    fn plain_line(&mut self, number: u64, text: &str) {
        match (self.mode, self.open.as_mut()) {
            (Mode::Stamped, Some(open)) => {
                if !open.push_line(number, text) {
                    self.dropped_lines += 1;
                }
            }
            (Mode::Trace, _) => {
                if self.prefix_bytes + text.len() + 1 > MAX_ENTRY_BYTES {
                    // A runaway prefix is not a trace message; give it up as unparsed text.
                    self.flush_prefix();
                }
                self.prefix_bytes += text.len() + 1;
                self.prefix.push((number, text.to_owned()));
            }
            _ => {
                self.unparsed_lines += 1;
                self.ready.push_back(Entry::plain(number, text));
            }
        }
    }

    fn flush_open(&mut self) {
        if let Some(open) = self.open.take() {
            self.ready.push_back(open);
        }
    }

    /// Plain lines never closed by a trace stamp: one unparsed entry per line.
    fn flush_prefix(&mut self) {
        self.prefix_bytes = 0;
        for (number, text) in self.prefix.drain(..) {
            self.unparsed_lines += 1;
            self.ready.push_back(Entry::plain(number, &text));
        }
    }

    /// Timestamped and trace entries seen so far.
    pub fn entries(&self) -> u64 {
        self.entries
    }

    /// Issues found so far (malformed stamps).
    pub fn take_issues(&mut self) -> Issues {
        std::mem::take(&mut self.issues)
    }

    /// What is known about the file so far (complete once `next_entry` returned `None`).
    pub fn source_info(&self) -> SourceInfo {
        SourceInfo {
            encoding: self.reader.encoding(),
            bom: self.reader.bom(),
            bytes: self.reader.bytes(),
            lines: self.reader.lines(),
            entries: self.entries,
            unparsed_lines: self.unparsed_lines,
            dropped_lines: self.dropped_lines,
            replacement_chars: self.reader.replacement_chars(),
            clipped_lines: self.reader.clipped_lines(),
            ends_mid_line: self.reader.ends_mid_line(),
        }
    }
}

/// Read every entry of `input`, handing each to `feed`, and return how the file was read with the
/// reader's issues: the common front half of the prereq and setup analyses.
///
/// # Errors
/// [`LogError::Io`] when reading fails; [`LogError::NoEntries`] when the input holds no
/// timestamped entry at all.
pub(crate) fn read_entries<R: Read>(
    input: R,
    mut feed: impl FnMut(&Entry),
) -> Result<(SourceInfo, Issues), LogError> {
    let mut entries = Entries::new(LogReader::new(input)?);
    while let Some(entry) = entries.next_entry()? {
        feed(&entry);
    }
    let source = entries.source_info();
    if source.entries == 0 {
        return Err(LogError::NoEntries {
            lines: source.lines,
            encoding: source.encoding,
        });
    }
    Ok((source, entries.take_issues()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(text: &str) -> (Vec<(u64, u64, EntryShape, String)>, SourceInfo) {
        let mut it = Entries::new(LogReader::new(text.as_bytes()).unwrap());
        let mut out = Vec::new();
        while let Some(e) = it.next_entry().unwrap() {
            out.push((e.line, e.end_line, e.shape, e.text));
        }
        (out, it.source_info())
    }

    #[test]
    fn stamped_entries_take_the_lines_after_them() {
        let (got, info) = entries(
            "stray\r\n<10-26-2008 17:19:42> Query select a\r\nfrom b\r\n\r\n  where c=\"HOU\"\r\n\
             <10-26-2008 17:19:43> Result: Error\r\n",
        );
        assert_eq!(
            got,
            [
                (1, 1, EntryShape::Plain, "stray".to_owned()),
                (
                    2,
                    5,
                    EntryShape::Stamped,
                    "Query select a\nfrom b\nwhere c=\"HOU\"".to_owned()
                ),
                (6, 6, EntryShape::Stamped, "Result: Error".to_owned()),
            ]
        );
        assert_eq!((info.entries, info.unparsed_lines), (2, 1));
    }

    #[test]
    fn trace_entries_take_the_lines_before_them() {
        let (got, info) = entries(
            "first $$<Setup><08-22-2016 04:15:01.917+420><thread=1>\n\
             select *\nfrom t $$<Setup><08-22-2016 04:15:02.000+420><thread=1>\n\
             dangling\n",
        );
        assert_eq!(
            got,
            [
                (1, 1, EntryShape::Trace, "first".to_owned()),
                (2, 3, EntryShape::Trace, "select *\nfrom t".to_owned()),
                (4, 4, EntryShape::Plain, "dangling".to_owned()),
            ]
        );
        assert_eq!((info.entries, info.unparsed_lines), (2, 1));
    }

    #[test]
    fn malformed_stamps_are_issues_and_plain_text() {
        let mut it = Entries::new(LogReader::new(&b"<99-26-2008 17:19:42> x\n"[..]).unwrap());
        let e = it.next_entry().unwrap().unwrap();
        assert_eq!(e.shape, EntryShape::Plain);
        let issues = it.take_issues();
        assert_eq!(issues.total, 1);
        assert_eq!(issues.items[0].line, 1);
    }
}
