//! Streaming decode of Windows log files into lines.
//!
//! [`LogReader`] looks at the first [`SNIFF_LEN`] bytes once to choose the encoding, then feeds
//! fixed-size chunks from a `BufReader` through an incremental `encoding_rs` decoder and cuts the
//! decoded text at `\n`. Memory stays bounded by the chunk size plus one line, and a line is
//! never longer than [`MAX_LINE_BYTES`]: the rest of a longer one is dropped (garbage files can be
//! one 200 MB "line"). Undecodable input — a UTF-16 file cut after an odd byte, a lone surrogate,
//! invalid UTF-8 — becomes U+FFFD and is counted, never an error or a panic.

use std::fmt;
use std::io::{self, BufRead, BufReader, Read};

use encoding_rs::{CoderResult, Decoder, Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use serde::Serialize;

use super::LogError;

/// Bytes read from the file per decode step.
pub const CHUNK_SIZE: usize = 64 * 1024;
/// Bytes examined to choose the encoding when the file has no byte order mark.
pub const SNIFF_LEN: usize = 64 * 1024;
/// Longest line kept, in bytes of decoded UTF-8; longer lines are clipped.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// The text encodings a Windows log comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum TextEncoding {
    /// UTF-16, little-endian (what "Unicode" means on Windows).
    #[serde(rename = "utf-16le")]
    Utf16Le,
    /// UTF-16, big-endian.
    #[serde(rename = "utf-16be")]
    Utf16Be,
    /// UTF-8.
    #[serde(rename = "utf-8")]
    Utf8,
    /// The ANSI code page of Western-European Windows.
    #[serde(rename = "windows-1252")]
    Windows1252,
}

impl TextEncoding {
    /// The name used in reports (`utf-16le`, `windows-1252`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::Utf16Le => "utf-16le",
            Self::Utf16Be => "utf-16be",
            Self::Utf8 => "utf-8",
            Self::Windows1252 => "windows-1252",
        }
    }

    fn codec(self) -> &'static Encoding {
        match self {
            Self::Utf16Le => UTF_16LE,
            Self::Utf16Be => UTF_16BE,
            Self::Utf8 => UTF_8,
            Self::Windows1252 => WINDOWS_1252,
        }
    }
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Choose the encoding of `head` (the first bytes of a file): the byte order mark if there is
/// one, else UTF-16 when most code units of the sample have a zero high (or low) byte — log
/// text is mostly ASCII — else UTF-8 when the sample is valid UTF-8 with at least one multi-byte
/// sequence, else ANSI. Returns the encoding and the length of the BOM to skip.
pub fn sniff(head: &[u8]) -> (TextEncoding, usize) {
    match head {
        [0xEF, 0xBB, 0xBF, ..] => return (TextEncoding::Utf8, 3),
        [0xFF, 0xFE, ..] => return (TextEncoding::Utf16Le, 2),
        [0xFE, 0xFF, ..] => return (TextEncoding::Utf16Be, 2),
        _ => {}
    }
    let units = head.len() / 2;
    if units >= 2 {
        let (mut low_zero, mut high_zero) = (0usize, 0usize);
        for pair in head.chunks_exact(2) {
            low_zero += usize::from(pair[0] == 0);
            high_zero += usize::from(pair[1] == 0);
        }
        // A zero-filled tail (a log preallocated then cut off) counts for both sides, hence
        // the requirement that the other side be clearly rarer.
        if high_zero * 4 > units && low_zero * 4 < high_zero {
            return (TextEncoding::Utf16Le, 0);
        }
        if low_zero * 4 > units && high_zero * 4 < low_zero {
            return (TextEncoding::Utf16Be, 0);
        }
    }
    let valid = match std::str::from_utf8(head) {
        Ok(text) => Some(text.len()),
        // `error_len() == None`: the sample merely ends inside a sequence; judge what is before.
        Err(e) if e.error_len().is_none() => Some(e.valid_up_to()),
        Err(_) => None,
    };
    if valid.is_some_and(|len| head[..len].iter().any(|b| *b >= 0x80)) {
        (TextEncoding::Utf8, 0)
    } else {
        (TextEncoding::Windows1252, 0)
    }
}

/// One decoded line, borrowed from the reader until the next call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogLine<'a> {
    /// 1-based line number.
    pub number: u64,
    /// The text without its line end (`\r\n`, `\n`) and without NUL characters.
    pub text: &'a str,
    /// The line was longer than the limit and is cut short.
    pub clipped: bool,
}

/// Reads a log file line by line, decoding incrementally. See the module docs.
pub struct LogReader<R> {
    input: BufReader<R>,
    decoder: Decoder,
    encoding: TextEncoding,
    bom: bool,
    /// Decoded text not yet handed out; `start` is how much of it is consumed.
    decoded: String,
    start: usize,
    /// The line handed out last (owned so it can be cleaned of `\r` and NULs).
    line: String,
    eof: bool,
    /// Dropping the rest of a clipped line up to its `\n`.
    skipping: bool,
    max_line: usize,
    bytes: u64,
    lines: u64,
    replacement_chars: u64,
    clipped_lines: u64,
    ends_mid_line: bool,
}

impl<R> fmt::Debug for LogReader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogReader")
            .field("encoding", &self.encoding)
            .field("bytes", &self.bytes)
            .field("lines", &self.lines)
            .finish_non_exhaustive()
    }
}

impl<R: Read> LogReader<R> {
    /// Start reading `input`, choosing its encoding from the first bytes.
    ///
    /// # Errors
    /// [`LogError::Io`] when reading those first bytes fails.
    pub fn new(input: R) -> Result<Self, LogError> {
        Self::with_chunk_size(input, CHUNK_SIZE)
    }

    /// Like [`LogReader::new`], reading `chunk` bytes per step (tests use tiny chunks to split
    /// code units and line ends across reads).
    ///
    /// # Errors
    /// [`LogError::Io`] when reading the first bytes fails.
    pub fn with_chunk_size(mut input: R, chunk: usize) -> Result<Self, LogError> {
        let mut head = Vec::with_capacity(SNIFF_LEN);
        let eof =
            read_head(&mut input, &mut head).map_err(|source| LogError::Io { lines: 0, source })?;
        let (encoding, bom_len) = sniff(&head);
        let mut reader = Self {
            input: BufReader::with_capacity(chunk.max(1), input),
            decoder: encoding.codec().new_decoder_without_bom_handling(),
            encoding,
            bom: bom_len > 0,
            decoded: String::new(),
            start: 0,
            line: String::new(),
            eof,
            skipping: false,
            max_line: MAX_LINE_BYTES,
            bytes: head.len() as u64,
            lines: 0,
            replacement_chars: 0,
            clipped_lines: 0,
            ends_mid_line: false,
        };
        decode_into(
            &mut reader.decoder,
            &mut reader.decoded,
            &head[bom_len..],
            eof,
        );
        Ok(reader)
    }

    /// Lower the line length limit (tests).
    #[cfg(test)]
    pub(crate) fn set_max_line(&mut self, max: usize) {
        self.max_line = max;
    }

    /// The next line, or `None` at the end of the file.
    ///
    /// # Errors
    /// [`LogError::Io`] when reading fails; the lines before it were valid.
    pub fn next_line(&mut self) -> Result<Option<LogLine<'_>>, LogError> {
        loop {
            if let Some(at) = self.decoded[self.start..].find('\n') {
                let end = self.start + at;
                let was_skipping = std::mem::replace(&mut self.skipping, false);
                let raw_start = std::mem::replace(&mut self.start, end + 1);
                if was_skipping {
                    continue;
                }
                return Ok(Some(self.hand_out(raw_start, end)));
            }
            let pending = self.decoded.len() - self.start;
            if !self.skipping && pending > self.max_line {
                // No line end in sight: hand out the prefix now and drop the rest as it comes.
                let raw_start = self.start;
                self.skipping = true;
                self.start = self.decoded.len();
                return Ok(Some(self.hand_out(raw_start, self.decoded.len())));
            }
            if self.eof {
                self.ends_mid_line |= pending > 0 || self.skipping;
                if pending > 0 && !self.skipping {
                    let (raw_start, end) = (self.start, self.decoded.len());
                    self.start = end;
                    return Ok(Some(self.hand_out(raw_start, end)));
                }
                self.skipping = false;
                self.decoded.clear();
                self.start = 0;
                return Ok(None);
            }
            self.fill()?;
        }
    }

    /// Copy `decoded[from..to]` into the line buffer without `\r` at the end or NULs anywhere,
    /// clipped to the line length limit.
    fn hand_out(&mut self, from: usize, to: usize) -> LogLine<'_> {
        let mut raw = self.decoded[from..to].trim_end_matches('\r');
        let clipped = raw.len() > self.max_line;
        if clipped {
            let mut end = self.max_line;
            while !raw.is_char_boundary(end) {
                end -= 1;
            }
            raw = &raw[..end];
            self.clipped_lines += 1;
        }
        self.line.clear();
        if raw.contains('\0') {
            self.line.extend(raw.chars().filter(|c| *c != '\0'));
        } else {
            self.line.push_str(raw);
        }
        self.replacement_chars += self.line.matches('\u{FFFD}').count() as u64;
        self.lines += 1;
        LogLine {
            number: self.lines,
            text: &self.line,
            clipped,
        }
    }

    /// Decode the next chunk, first dropping what has been handed out.
    fn fill(&mut self) -> Result<(), LogError> {
        if self.skipping {
            self.decoded.clear();
            self.start = 0;
        } else if self.start > 0 {
            self.decoded.drain(..self.start);
            self.start = 0;
        }
        let chunk = loop {
            match self.input.fill_buf() {
                Ok(chunk) => break chunk,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(source) => {
                    return Err(LogError::Io {
                        lines: self.lines,
                        source,
                    })
                }
            }
        };
        let n = chunk.len();
        self.eof = n == 0;
        decode_into(&mut self.decoder, &mut self.decoded, chunk, self.eof);
        self.input.consume(n);
        self.bytes += n as u64;
        Ok(())
    }

    /// The encoding the file is decoded as.
    pub fn encoding(&self) -> TextEncoding {
        self.encoding
    }

    /// Whether the file starts with a byte order mark.
    pub fn bom(&self) -> bool {
        self.bom
    }

    /// Bytes read so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Lines handed out so far.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// U+FFFD characters in the lines handed out so far.
    pub fn replacement_chars(&self) -> u64 {
        self.replacement_chars
    }

    /// Lines clipped to the length limit so far.
    pub fn clipped_lines(&self) -> u64 {
        self.clipped_lines
    }

    /// After the end: whether the last line had no line end.
    pub fn ends_mid_line(&self) -> bool {
        self.ends_mid_line
    }
}

/// Read up to [`SNIFF_LEN`] bytes; returns whether the input ended within them.
fn read_head<R: Read>(input: &mut R, head: &mut Vec<u8>) -> io::Result<bool> {
    let mut buf = [0u8; 4096];
    while head.len() < SNIFF_LEN {
        let want = buf.len().min(SNIFF_LEN - head.len());
        match input.read(&mut buf[..want]) {
            Ok(0) => return Ok(true),
            Ok(n) => head.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(false)
}

/// Decode all of `src` onto the end of `dst`; `last` flushes a partial sequence as U+FFFD.
fn decode_into(decoder: &mut Decoder, dst: &mut String, mut src: &[u8], last: bool) {
    loop {
        // Only `None` on arithmetic overflow, impossible for chunk-sized input.
        let room = decoder
            .max_utf8_buffer_length(src.len())
            .unwrap_or(src.len() * 3 + 16);
        dst.reserve(room);
        let (result, read, _) = decoder.decode_to_string(src, dst, last);
        src = &src[read..];
        match result {
            CoderResult::InputEmpty => return,
            CoderResult::OutputFull => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(bytes: &[u8], chunk: usize) -> (Vec<String>, LogReader<&[u8]>) {
        let mut reader = LogReader::with_chunk_size(bytes, chunk).unwrap();
        let mut out = Vec::new();
        while let Some(line) = reader.next_line().unwrap() {
            out.push(line.text.to_owned());
        }
        (out, reader)
    }

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { vec![] };
        out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }

    #[test]
    fn sniffs_boms_and_bomless_utf16() {
        assert_eq!(sniff(b"\xEF\xBB\xBFabc"), (TextEncoding::Utf8, 3));
        assert_eq!(sniff(b"\xFF\xFEa\0"), (TextEncoding::Utf16Le, 2));
        assert_eq!(sniff(b"\xFE\xFF\0a"), (TextEncoding::Utf16Be, 2));
        assert_eq!(
            sniff(&utf16le("<10-26-2008>", false)).0,
            TextEncoding::Utf16Le
        );
        assert_eq!(sniff(&[0, b'<', 0, b'1', 0, b'0']).0, TextEncoding::Utf16Be);
        assert_eq!(sniff("caf\u{e9}".as_bytes()).0, TextEncoding::Utf8);
        assert_eq!(sniff(b"caf\xE9").0, TextEncoding::Windows1252);
        assert_eq!(sniff(b"plain ascii").0, TextEncoding::Windows1252);
        assert_eq!(sniff(b"").0, TextEncoding::Windows1252);
    }

    #[test]
    fn crlf_lines_in_every_encoding_and_chunking() {
        let text = "first\r\nsecond caf\u{e9}\r\n\r\nlast\r\n";
        let expected = ["first", "second caf\u{e9}", "", "last"];
        let mut inputs = vec![utf16le(text, true), utf16le(text, false)];
        inputs.push(text.as_bytes().to_vec());
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        inputs.push(be);
        inputs.push(b"first\r\nsecond caf\xE9\r\n\r\nlast\r\n".to_vec());
        for input in &inputs {
            for chunk in [1, 2, 3, 7, CHUNK_SIZE] {
                let (lines, reader) = lines_of(input, chunk);
                assert_eq!(lines, expected, "chunk {chunk}, {:?}", reader.encoding());
                assert!(!reader.ends_mid_line());
                assert_eq!(reader.replacement_chars(), 0);
                assert_eq!(reader.bytes(), input.len() as u64);
            }
        }
    }

    #[test]
    fn utf16_cut_after_an_odd_byte_ends_in_one_replacement() {
        let mut bytes = utf16le("done\r\nhalf", true);
        bytes.push(b'x');
        let (lines, reader) = lines_of(&bytes, 3);
        assert_eq!(lines, ["done", "half\u{FFFD}"]);
        assert_eq!(reader.replacement_chars(), 1);
        assert!(reader.ends_mid_line());
    }

    #[test]
    fn nul_characters_are_dropped() {
        let (lines, _) = lines_of(b"a\0b\r\n\0\0\0", 4);
        assert_eq!(lines, ["ab", ""]);
    }

    #[test]
    fn long_lines_are_clipped_and_the_rest_skipped() {
        let input = format!("{}\nshort\n{}", "x".repeat(50), "y".repeat(30));
        let mut reader = LogReader::with_chunk_size(input.as_bytes(), 4).unwrap();
        reader.set_max_line(10);
        let mut seen = Vec::new();
        while let Some(line) = reader.next_line().unwrap() {
            seen.push((line.number, line.text.to_owned(), line.clipped));
        }
        assert_eq!(
            seen,
            [
                (1, "x".repeat(10), true),
                (2, "short".to_owned(), false),
                (3, "y".repeat(10), true),
            ]
        );
        assert_eq!(reader.clipped_lines(), 2);
        assert!(reader.ends_mid_line());
    }

    #[test]
    fn empty_input_has_no_lines() {
        let (lines, reader) = lines_of(b"", 8);
        assert!(lines.is_empty());
        assert!(!reader.ends_mid_line());
    }

    #[test]
    fn read_errors_are_typed() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("disk gone"))
            }
        }
        assert!(matches!(
            LogReader::new(Failing),
            Err(LogError::Io { lines: 0, .. })
        ));
    }
}
