//! Reading one export CSV: encoding, the `sqlcmd` dialect, header validation, and exact
//! `line:column` positions for errors.
//!
//! Accepted input: UTF-8 with or without BOM (fields that are not UTF-8 are read as
//! Windows-1252, what Management Studio writes for "ANSI"), or UTF-16 with BOM (`sqlcmd -u`).
//! `sqlcmd -s"," -W` output loads as is: the dashed line under the header and a trailing
//! `(N rows affected)` line are skipped, and `NULL` means no value.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use csv::ByteRecord;

use super::error::{LoadError, Location};
use super::map::{present, Cells, FieldError};
use super::schema::TableSpec;

/// Where the bytes come from: streamed from disk, or decoded into memory (UTF-16 input).
enum Bytes {
    File,
    Memory(Vec<u8>),
}

/// An open export file with its header mapped onto the table's columns.
pub(crate) struct TableReader {
    path: PathBuf,
    bytes: Bytes,
    reader: csv::Reader<Box<dyn Read>>,
    /// For each spec column, the field index in the file (None when the column is absent).
    map: Vec<Option<usize>>,
    /// Number of fields in the header.
    width: usize,
    /// Records read so far (the header is record 0).
    records: u64,
}

/// A row with its position.
pub(crate) struct Row<'r> {
    record: &'r ByteRecord,
    map: &'r [Option<usize>],
    /// 1-based line of the row's first character.
    pub(crate) line: u64,
    byte: u64,
}

impl Row<'_> {
    /// Byte offset of the row's start in the (decoded) input.
    pub(crate) fn byte(&self) -> u64 {
        self.byte
    }
}

impl Cells for Row<'_> {
    fn cell(&self, index: usize) -> Option<Cow<'_, str>> {
        let field = self.map.get(index).copied().flatten()?;
        let raw = self.record.get(field)?;
        match std::str::from_utf8(raw) {
            Ok(text) => present(text).map(Cow::Borrowed),
            Err(_) => {
                let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(raw);
                present(&text).map(|t| Cow::Owned(t.to_owned()))
            }
        }
    }
}

impl TableReader {
    /// Open `path` and validate its header against `spec`.
    ///
    /// # Errors
    /// I/O errors, an empty file, unknown, duplicate or missing columns.
    pub(crate) fn open(path: &Path, spec: &'static TableSpec) -> Result<Self, LoadError> {
        let io_err = |source| LoadError::Io {
            path: path.to_owned(),
            source,
        };
        let mut file = File::open(path).map_err(io_err)?;
        let mut bom = [0u8; 2];
        let n = read_up_to(&mut file, &mut bom).map_err(io_err)?;
        let (bytes, input): (Bytes, Box<dyn Read>) = match &bom[..n] {
            [0xFF, 0xFE] | [0xFE, 0xFF] => {
                let mut raw = bom[..n].to_vec();
                file.read_to_end(&mut raw).map_err(io_err)?;
                let (text, _, _) = encoding_rs::UTF_16LE.decode(&raw);
                let decoded = text.into_owned().into_bytes();
                (
                    Bytes::Memory(decoded.clone()),
                    Box::new(io::Cursor::new(decoded)),
                )
            }
            _ => {
                file.seek(SeekFrom::Start(0)).map_err(io_err)?;
                (Bytes::File, Box::new(file))
            }
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            // Only LF ends a record: with the default (CR, LF or CRLF) the reader reports CRLF
            // rows one line early and at the preceding LF's offset. The CR stays in the last
            // field, and every value is trimmed anyway.
            .terminator(csv::Terminator::Any(b'\n'))
            .buffer_capacity(1 << 16)
            .from_reader(input);
        let mut header = ByteRecord::new();
        let got = reader
            .read_byte_record(&mut header)
            .map_err(|e| csv_error(path, &e))?;
        if !got {
            return Err(LoadError::EmptyFile {
                path: path.to_owned(),
            });
        }
        let mut this = Self {
            path: path.to_owned(),
            bytes,
            reader,
            map: vec![None; spec.columns.len()],
            width: header.len(),
            records: 1,
        };
        this.map_header(&header, spec)?;
        Ok(this)
    }

    fn map_header(
        &mut self,
        header: &ByteRecord,
        spec: &'static TableSpec,
    ) -> Result<(), LoadError> {
        for (field, raw) in header.iter().enumerate() {
            let name = String::from_utf8_lossy(raw);
            let name = name.trim_start_matches('\u{feff}').trim();
            let at = || self.locate(header, field);
            match spec.column_index(name) {
                None => {
                    return Err(LoadError::UnknownColumn {
                        at: at(),
                        name: name.to_owned(),
                        expected: spec.columns.iter().map(|c| c.name).collect(),
                    })
                }
                Some(i) if self.map[i].is_some() => {
                    return Err(LoadError::DuplicateColumn {
                        at: at(),
                        name: name.to_owned(),
                    })
                }
                Some(i) => self.map[i] = Some(field),
            }
        }
        let missing: Vec<&'static str> = spec
            .columns
            .iter()
            .zip(&self.map)
            .filter(|(c, m)| c.required && m.is_none())
            .map(|(c, _)| c.name)
            .collect();
        if !missing.is_empty() {
            return Err(LoadError::MissingColumns {
                at: Location {
                    path: self.path.clone(),
                    line: 1,
                    column: 1,
                },
                names: missing,
            });
        }
        Ok(())
    }

    /// Read the next data row into `record`; `Ok(None)` at the end.
    ///
    /// # Errors
    /// Malformed CSV, or a row whose field count differs from the header's.
    pub(crate) fn next<'r>(
        &'r mut self,
        record: &'r mut ByteRecord,
    ) -> Result<Option<Row<'r>>, LoadError> {
        loop {
            if !self
                .reader
                .read_byte_record(record)
                .map_err(|e| csv_error(&self.path, &e))?
            {
                return Ok(None);
            }
            self.records += 1;
            if self.is_noise(record) {
                continue;
            }
            if record.len() != self.width {
                let field = record.len().min(self.width);
                return Err(LoadError::FieldCount {
                    at: self.locate(record, field),
                    expected: self.width,
                    found: record.len(),
                });
            }
            let pos = record
                .position()
                .cloned()
                .unwrap_or_else(csv::Position::new);
            return Ok(Some(Row {
                record,
                map: &self.map,
                line: pos.line(),
                byte: pos.byte(),
            }));
        }
    }

    /// `sqlcmd` decorations: the dashed separator under the header, a `(N rows affected)`
    /// footer, and blank rows.
    fn is_noise(&self, record: &ByteRecord) -> bool {
        let all_blank = record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace));
        if all_blank {
            return true;
        }
        if self.records == 2
            && record.iter().all(|f| {
                f.trim_ascii().first() == Some(&b'-') && f.trim_ascii().iter().all(|b| *b == b'-')
            })
        {
            return true;
        }
        if record.len() == 1 {
            let text = String::from_utf8_lossy(&record[0]);
            let t = text.trim();
            return t.starts_with('(') && t.ends_with("affected)");
        }
        false
    }

    /// The error for a rejected value of the row that starts at `byte` on `line`.
    pub(crate) fn value_error(
        &self,
        spec: &'static TableSpec,
        byte: u64,
        line: u64,
        err: FieldError,
    ) -> LoadError {
        let field = self.map.get(err.column).copied().flatten().unwrap_or(0);
        let at = self
            .locate_at(byte, line, field)
            .unwrap_or_else(|| self.loc(line, 1));
        LoadError::Value {
            at,
            column: spec.columns.get(err.column).map_or("?", |c| c.name),
            value: err.value,
            problem: err.problem,
        }
    }

    /// Position of field `field` of a record just read.
    fn locate(&self, record: &ByteRecord, field: usize) -> Location {
        let pos = record
            .position()
            .cloned()
            .unwrap_or_else(csv::Position::new);
        self.locate_at(pos.byte(), pos.line(), field)
            .unwrap_or_else(|| self.loc(pos.line(), 1))
    }

    fn loc(&self, line: u64, column: u64) -> Location {
        Location {
            path: self.path.clone(),
            line,
            column,
        }
    }

    /// Re-read the raw text from the record's start and find where `field` begins.
    /// Only runs on the error path, so the hot loop keeps no raw text.
    fn locate_at(&self, byte: u64, line: u64, field: usize) -> Option<Location> {
        const WINDOW: usize = 1 << 20;
        let chunk: Cow<'_, [u8]> = match &self.bytes {
            Bytes::Memory(all) => {
                let start = usize::try_from(byte).ok()?.min(all.len());
                Cow::Borrowed(&all[start..(start + WINDOW).min(all.len())])
            }
            Bytes::File => {
                let mut file = File::open(&self.path).ok()?;
                file.seek(SeekFrom::Start(byte)).ok()?;
                let mut buf = Vec::with_capacity(WINDOW);
                file.take(WINDOW as u64).read_to_end(&mut buf).ok()?;
                Cow::Owned(buf)
            }
        };
        let chunk = if byte == 0 {
            chunk
                .strip_prefix(b"\xEF\xBB\xBF".as_slice())
                .map_or(chunk.clone(), |c| Cow::Owned(c.to_vec()))
        } else {
            chunk
        };
        let (lines, column) = field_start(&chunk, field);
        Some(self.loc(line + lines, column))
    }
}

/// Lines advanced and 1-based character column at which field `field` starts, scanning one
/// CSV record from its first byte.
fn field_start(text: &[u8], field: usize) -> (u64, u64) {
    let mut lines = 0u64;
    let mut line_start = 0usize;
    let mut current = 0usize;
    let mut in_quotes = false;
    let mut i = 0usize;
    while current < field && i < text.len() {
        let b = text[i];
        if in_quotes {
            if b == b'"' {
                if text.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            } else if b == b'\n' {
                lines += 1;
                line_start = i + 1;
            }
        } else if b == b'"' {
            in_quotes = true;
        } else if b == b',' {
            current += 1;
        } else if b == b'\n' || b == b'\r' {
            break;
        }
        i += 1;
    }
    let col = String::from_utf8_lossy(&text[line_start..i])
        .chars()
        .count() as u64
        + 1;
    (lines, col)
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn csv_error(path: &Path, err: &csv::Error) -> LoadError {
    let (line, column) = err.position().map_or((0, 1), |p| (p.line(), 1));
    match err.kind() {
        csv::ErrorKind::Io(e) => LoadError::Io {
            path: path.to_owned(),
            source: io::Error::new(e.kind(), e.to_string()),
        },
        _ => LoadError::Malformed {
            at: Location {
                path: path.to_owned(),
                line,
                column,
            },
            message: err.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_start_counts_characters_and_quotes() {
        assert_eq!(field_start(b"a,b,c\n", 0), (0, 1));
        assert_eq!(field_start(b"a,b,c\n", 2), (0, 5));
        assert_eq!(field_start("\u{e9}\u{e9},x".as_bytes(), 1), (0, 4));
        assert_eq!(field_start(b"\"a,b\",c", 1), (0, 7));
        assert_eq!(field_start(b"\"line\none\",c", 1), (1, 6));
        assert_eq!(field_start(b"\"say \"\"hi\"\"\",c", 1), (0, 14));
    }
}
