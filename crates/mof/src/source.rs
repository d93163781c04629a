//! Decoding MOF bytes into text and encoding edited text back the same way (DESIGN §3.1).
//!
//! MOF files arrive as UTF-16LE with a BOM (most Microsoft-shipped files), UTF-16BE, UTF-8 with
//! or without a BOM, UTF-16LE without a BOM (console exports, recognisable by their NUL bytes) or
//! ANSI (Windows-1252). [`SourceFile::decode`] tries them in that order and never fails;
//! [`SourceFile::encode`] writes text back in the same encoding and BOM. Newlines are never
//! normalised: an unchanged text encodes to the original bytes exactly, and
//! [`SourceFile::newline_str`] tells callers which line ending *new* lines should use.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The character encoding of a MOF file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Encoding {
    /// UTF-8, with or without a BOM.
    #[serde(rename = "utf-8")]
    Utf8,
    /// UTF-16 little endian, with or without a BOM.
    #[serde(rename = "utf-16le")]
    Utf16Le,
    /// UTF-16 big endian, with or without a BOM.
    #[serde(rename = "utf-16be")]
    Utf16Be,
    /// The Windows ANSI code page 1252 (the fallback for bytes that are not valid UTF-8).
    #[serde(rename = "windows-1252")]
    Windows1252,
}

impl Encoding {
    /// The name used in reports and JSON: `utf-8`, `utf-16le`, `utf-16be`, `windows-1252`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The line-ending style of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Newline {
    /// Only `\n`.
    Lf,
    /// Only `\r\n`.
    CrLf,
    /// Only bare `\r`.
    Cr,
    /// More than one of the above.
    Mixed,
    /// No line break at all.
    None,
}

impl fmt::Display for Newline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Newline::Lf => "lf",
            Newline::CrLf => "crlf",
            Newline::Cr => "cr",
            Newline::Mixed => "mixed",
            Newline::None => "none",
        })
    }
}

/// Counts of each line ending in a text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct NewlineCounts {
    lf: usize,
    crlf: usize,
    cr: usize,
}

impl NewlineCounts {
    fn of(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut counts = Self::default();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => counts.lf += 1,
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    counts.crlf += 1;
                    i += 1;
                }
                b'\r' => counts.cr += 1,
                _ => {}
            }
            i += 1;
        }
        counts
    }

    fn style(self) -> Newline {
        match (self.lf > 0, self.crlf > 0, self.cr > 0) {
            (false, false, false) => Newline::None,
            (true, false, false) => Newline::Lf,
            (false, true, false) => Newline::CrLf,
            (false, false, true) => Newline::Cr,
            _ => Newline::Mixed,
        }
    }
}

/// A decoded MOF file: its text plus what is needed to write it back byte for byte.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// The decoded text, without BOM, line endings untouched.
    pub text: String,
    /// The encoding the bytes were in.
    pub encoding: Encoding,
    /// True when the bytes started with a byte-order mark.
    pub bom: bool,
    /// The line-ending style of `text`.
    pub newline: Newline,
}

const BOM_UTF8: &[u8] = &[0xEF, 0xBB, 0xBF];
const BOM_UTF16LE: &[u8] = &[0xFF, 0xFE];
const BOM_UTF16BE: &[u8] = &[0xFE, 0xFF];

/// How many leading bytes the BOM-less UTF-16 sniffing looks at.
const SNIFF_LEN: usize = 4096;

impl SourceFile {
    /// Decode `bytes`: by BOM (UTF-8, UTF-16LE, UTF-16BE), else by the NUL-byte pattern of
    /// BOM-less UTF-16, else as UTF-8 when valid, else as Windows-1252.
    ///
    /// Never fails. The only input that does not round-trip through [`SourceFile::encode`] is
    /// UTF-16 with a BOM that is itself malformed (odd length, unpaired surrogate): it is decoded
    /// lossily with U+FFFD, because the BOM leaves no doubt about the encoding.
    #[must_use]
    pub fn decode(bytes: &[u8]) -> SourceFile {
        let (text, encoding, bom) = if let Some(rest) = bytes.strip_prefix(BOM_UTF8) {
            match std::str::from_utf8(rest) {
                Ok(text) => (text.to_owned(), Encoding::Utf8, true),
                // A UTF-8 BOM followed by invalid UTF-8: keep the BOM bytes as text so they
                // survive the round trip through Windows-1252.
                Err(_) => (decode_1252(bytes), Encoding::Windows1252, false),
            }
        } else if let Some(rest) = bytes.strip_prefix(BOM_UTF16LE) {
            (
                decode_utf16_lossy(rest, Endian::Little),
                Encoding::Utf16Le,
                true,
            )
        } else if let Some(rest) = bytes.strip_prefix(BOM_UTF16BE) {
            (
                decode_utf16_lossy(rest, Endian::Big),
                Encoding::Utf16Be,
                true,
            )
        } else if let Some((text, encoding)) = sniff_utf16(bytes) {
            (text, encoding, false)
        } else if let Ok(text) = std::str::from_utf8(bytes) {
            (text.to_owned(), Encoding::Utf8, false)
        } else {
            (decode_1252(bytes), Encoding::Windows1252, false)
        };
        let newline = NewlineCounts::of(&text).style();
        SourceFile {
            text,
            encoding,
            bom,
            newline,
        }
    }

    /// Encode `text` in this file's encoding, with its BOM when it had one. Line endings are
    /// written exactly as they are in `text`.
    ///
    /// Characters that Windows-1252 cannot represent are written as `?`; use
    /// [`SourceFile::can_encode`] first to find out.
    #[must_use]
    pub fn encode(&self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() * 2 + 3);
        match self.encoding {
            Encoding::Utf8 => {
                if self.bom {
                    out.extend_from_slice(BOM_UTF8);
                }
                out.extend_from_slice(text.as_bytes());
            }
            Encoding::Utf16Le | Encoding::Utf16Be => {
                let little = self.encoding == Encoding::Utf16Le;
                if self.bom {
                    out.extend_from_slice(if little { BOM_UTF16LE } else { BOM_UTF16BE });
                }
                for unit in text.encode_utf16() {
                    let pair = if little {
                        unit.to_le_bytes()
                    } else {
                        unit.to_be_bytes()
                    };
                    out.extend_from_slice(&pair);
                }
            }
            Encoding::Windows1252 => {
                for ch in text.chars() {
                    out.push(encode_1252_char(ch).unwrap_or(b'?'));
                }
            }
        }
        out
    }

    /// True when every character of `text` is representable in this file's encoding (always
    /// true except for Windows-1252).
    #[must_use]
    pub fn can_encode(&self, text: &str) -> bool {
        self.encoding != Encoding::Windows1252
            || text.chars().all(|c| encode_1252_char(c).is_some())
    }

    /// The line ending new lines should use so they match the file: `"\r\n"` for CRLF files
    /// and mixed files where CRLF is at least as common as LF, `"\r"` for files that only use
    /// bare CR, otherwise `"\n"`.
    #[must_use]
    pub fn newline_str(&self) -> &'static str {
        match self.newline {
            Newline::CrLf => "\r\n",
            Newline::Cr => "\r",
            Newline::Mixed => {
                let counts = NewlineCounts::of(&self.text);
                if counts.crlf >= counts.lf {
                    "\r\n"
                } else {
                    "\n"
                }
            }
            Newline::Lf | Newline::None => "\n",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Endian {
    Little,
    Big,
}

fn utf16_units(bytes: &[u8], endian: Endian) -> impl Iterator<Item = u16> + '_ {
    bytes.chunks_exact(2).map(move |pair| match endian {
        Endian::Little => u16::from_le_bytes([pair[0], pair[1]]),
        Endian::Big => u16::from_be_bytes([pair[0], pair[1]]),
    })
}

fn decode_utf16_strict(bytes: &[u8], endian: Endian) -> Option<String> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    char::decode_utf16(utf16_units(bytes, endian))
        .collect::<Result<String, _>>()
        .ok()
}

fn decode_utf16_lossy(bytes: &[u8], endian: Endian) -> String {
    if let Some(text) = decode_utf16_strict(bytes, endian) {
        return text;
    }
    let mut text: String = char::decode_utf16(utf16_units(bytes, endian))
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    if !bytes.len().is_multiple_of(2) {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    text
}

/// Recognise BOM-less UTF-16 by its NUL bytes: MOF text is overwhelmingly ASCII, so in UTF-16LE
/// most odd-indexed bytes are NUL and almost no even-indexed ones are (mirrored for BE).
/// Only a strict decode is accepted, so whatever is returned encodes back to `bytes`.
fn sniff_utf16(bytes: &[u8]) -> Option<(String, Encoding)> {
    if bytes.len() < 2 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    let pairs = head.len() / 2;
    let (mut even_nul, mut odd_nul) = (0usize, 0usize);
    for pair in head.chunks_exact(2) {
        even_nul += usize::from(pair[0] == 0);
        odd_nul += usize::from(pair[1] == 0);
    }
    // At least half the code units look like ASCII in one byte order and hardly any in the
    // other: a UTF-8 or ANSI text has no NUL bytes at all.
    let (endian, encoding) = if odd_nul * 2 >= pairs && even_nul * 8 <= pairs {
        (Endian::Little, Encoding::Utf16Le)
    } else if even_nul * 2 >= pairs && odd_nul * 8 <= pairs {
        (Endian::Big, Encoding::Utf16Be)
    } else {
        return None;
    };
    decode_utf16_strict(bytes, endian).map(|text| (text, encoding))
}

fn decode_1252(bytes: &[u8]) -> String {
    // encoding_rs implements the WHATWG index, which maps every byte (including the five
    // unassigned ones, 0x81 0x8D 0x8F 0x90 0x9D, to the C1 controls) so the mapping is a
    // bijection and round-trips.
    let (text, _had_errors) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    text.into_owned()
}

fn encode_1252_char(ch: char) -> Option<u8> {
    if ch.is_ascii() {
        return u8::try_from(ch).ok();
    }
    let mut buf = [0u8; 4];
    let (bytes, _, had_errors) = encoding_rs::WINDOWS_1252.encode(ch.encode_utf8(&mut buf));
    (!had_errors && bytes.len() == 1).then(|| bytes[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom {
            BOM_UTF16LE.to_vec()
        } else {
            Vec::new()
        };
        for unit in text.encode_utf16() {
            out.extend_from_slice(&unit.to_le_bytes());
        }
        out
    }

    #[test]
    fn utf16le_with_bom_and_crlf_round_trips() {
        let bytes = utf16le("class A\r\n{\r\n};\r\n", true);
        let sf = SourceFile::decode(&bytes);
        assert_eq!(sf.encoding, Encoding::Utf16Le);
        assert!(sf.bom);
        assert_eq!(sf.newline, Newline::CrLf);
        assert_eq!(sf.newline_str(), "\r\n");
        assert_eq!(sf.encode(&sf.text), bytes);
    }

    #[test]
    fn utf16le_without_bom_is_sniffed() {
        let bytes = utf16le("instance of X\n{\n};\n", false);
        let sf = SourceFile::decode(&bytes);
        assert_eq!((sf.encoding, sf.bom), (Encoding::Utf16Le, false));
        assert_eq!(sf.text, "instance of X\n{\n};\n");
        assert_eq!(sf.encode(&sf.text), bytes);
    }

    #[test]
    fn utf16be_with_bom() {
        let mut bytes = BOM_UTF16BE.to_vec();
        for unit in "é\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        let sf = SourceFile::decode(&bytes);
        assert_eq!((sf.encoding, sf.text.as_str()), (Encoding::Utf16Be, "é\n"));
        assert_eq!(sf.encode(&sf.text), bytes);
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let sf = SourceFile::decode(b"\xEF\xBB\xBFa\r\nb\n");
        assert_eq!(
            (sf.encoding, sf.bom, sf.newline),
            (Encoding::Utf8, true, Newline::Mixed)
        );
        assert_eq!(sf.text, "a\r\nb\n");
        assert_eq!(sf.encode(&sf.text), b"\xEF\xBB\xBFa\r\nb\n");
        let sf = SourceFile::decode("ç\r".as_bytes());
        assert_eq!(
            (sf.encoding, sf.bom, sf.newline),
            (Encoding::Utf8, false, Newline::Cr)
        );
        assert_eq!(sf.newline_str(), "\r");
    }

    #[test]
    fn every_windows_1252_byte_round_trips() {
        let bytes: Vec<u8> = (0u8..=255).filter(|b| *b != 0).collect();
        let sf = SourceFile::decode(&bytes);
        assert_eq!(sf.encoding, Encoding::Windows1252);
        assert_eq!(sf.encode(&sf.text), bytes);
        assert!(sf.text.contains('é'));
        assert!(sf.can_encode("é€"));
        assert!(!sf.can_encode("中"));
    }

    #[test]
    fn mixed_newline_prefers_the_dominant_style() {
        let sf = SourceFile::decode(b"a\nb\nc\r\n");
        assert_eq!((sf.newline, sf.newline_str()), (Newline::Mixed, "\n"));
        let sf = SourceFile::decode(b"a\r\nb\r\nc\n");
        assert_eq!(sf.newline_str(), "\r\n");
        assert_eq!(SourceFile::decode(b"x").newline, Newline::None);
    }

    #[test]
    fn encoding_names() {
        assert_eq!(Encoding::Utf16Le.to_string(), "utf-16le");
        assert_eq!(
            serde_json::to_string(&Encoding::Windows1252).unwrap(),
            "\"windows-1252\""
        );
    }

    #[test]
    fn odd_length_utf16_bom_is_lossy_but_does_not_panic() {
        let sf = SourceFile::decode(&[0xFF, 0xFE, b'a', 0, b'b']);
        assert_eq!(sf.text, "a\u{FFFD}");
    }
}
