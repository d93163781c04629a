//! Literals for the fast path: `string_value`, `string_lit`, `char_lit` and `number`
//! (`hex_lit`, `real_lit`, `exponent`, `bin_lit`, `dec_lit`) of `mof.pest`, with the values
//! the converter (`convert.rs`) decodes from them. Where the converter would report an error
//! (an `\x` escape that is no character, `'ab'`, `09`), these give up.

use super::Fast;
use crate::span::Span;
use crate::syntax::ValueKind;

/// The kind of number literal, as the grammar's `number` choice decides it.
#[derive(Clone, Copy)]
pub(super) enum Number {
    Hex,
    Real,
    Bin,
    Dec,
}

impl Fast<'_> {
    /// `string_value = { string_lit ~ string_lit* }` at its first `"`: the span from the first
    /// literal through the last and the concatenated, unescaped value.
    pub(super) fn string_value(&mut self) -> Option<(Span, String)> {
        let start = self.pos;
        let mut out = String::new();
        loop {
            let body = self.pos + 1;
            let close = self.string_close(body)?;
            unescape_into(&mut out, &self.text[body..close])?;
            self.advance(close + 1);
            if self.peek()? != b'"' {
                break;
            }
        }
        Some((Span::new(start, self.end), out))
    }

    /// The closing quote of the `string_lit` whose body starts at `body`: the first `"` after
    /// an even run of backslashes (each `\` escapes the character after it).
    fn string_close(&self, body: usize) -> Option<usize> {
        let mut from = body;
        loop {
            let quote = from + self.text[from..].find('"')?;
            let backslashes = self.bytes[body..quote]
                .iter()
                .rev()
                .take_while(|&&b| b == b'\\')
                .count();
            if backslashes % 2 == 0 {
                return Some(quote);
            }
            from = quote + 1;
        }
    }

    /// `char_lit = @{ "'" ~ ("\\" ~ !("\n" | "\r") ~ ANY | !("'" | "\\" | "\n" | "\r") ~
    /// ANY)* ~ "'" }`, which must decode to exactly one character.
    pub(super) fn char_lit(&mut self) -> Option<ValueKind> {
        let start = self.pos;
        let mut i = start + 1;
        // Byte steps are enough: continuation bytes are never one of the ASCII bytes tested.
        loop {
            match self.bytes.get(i)? {
                b'\'' => break,
                b'\n' | b'\r' => return None,
                b'\\' => match self.bytes.get(i + 1)? {
                    b'\n' | b'\r' => return None,
                    _ => i += 2,
                },
                _ => i += 1,
            }
        }
        let body = &self.text[start + 1..i];
        if body.bytes().any(|b| b"\"{}[]()/".contains(&b)) {
            self.odd_char = true;
        }
        let mut decoded = String::new();
        unescape_into(&mut decoded, body)?;
        let mut chars = decoded.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            return None;
        };
        self.advance(i + 1);
        Some(ValueKind::Char(c))
    }

    /// `number = _{ hex_lit | real_lit | bin_lit | dec_lit }` at `i`: its end and kind.
    pub(super) fn number(&self, i: usize) -> Option<(usize, Number)> {
        let b = self.bytes;
        let digits =
            |from: usize| from + b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
        let s = i + usize::from(matches!(b.get(i), Some(b'+' | b'-')));
        let ends = |end: usize| self.ident_char(end) == 0;
        // hex_lit = @{ sign? ~ "0" ~ ("x" | "X") ~ ASCII_HEX_DIGIT+ ~ !ident_char }
        if b.get(s) == Some(&b'0') && matches!(b.get(s + 1), Some(b'x' | b'X')) {
            let h = s + 2;
            let end = h + b[h..].iter().take_while(|c| c.is_ascii_hexdigit()).count();
            if end > h && ends(end) {
                return Some((end, Number::Hex));
            }
        }
        // real_lit = @{ sign? ~ (ASCII_DIGIT* ~ "." ~ ASCII_DIGIT+ ~ exponent?
        //                       | ASCII_DIGIT+ ~ exponent) ~ !ident_char }
        let int_end = digits(s);
        if b.get(int_end) == Some(&b'.') {
            let frac_end = digits(int_end + 1);
            if frac_end > int_end + 1 {
                let end = self.exponent(frac_end).unwrap_or(frac_end);
                if ends(end) {
                    return Some((end, Number::Real));
                }
            }
        }
        if int_end > s {
            if let Some(end) = self.exponent(int_end) {
                if ends(end) {
                    return Some((end, Number::Real));
                }
            }
        }
        // bin_lit = @{ sign? ~ ("0" | "1")+ ~ ("b" | "B") ~ !ident_char }
        let bin_end = s + b[s..]
            .iter()
            .take_while(|c| matches!(c, b'0' | b'1'))
            .count();
        if bin_end > s && matches!(b.get(bin_end), Some(b'b' | b'B')) && ends(bin_end + 1) {
            return Some((bin_end + 1, Number::Bin));
        }
        // dec_lit = @{ sign? ~ ASCII_DIGIT+ ~ !ident_char }
        (int_end > s && ends(int_end)).then_some((int_end, Number::Dec))
    }

    /// `exponent = _{ ("e" | "E") ~ sign? ~ ASCII_DIGIT+ }` at `i`: its end.
    fn exponent(&self, i: usize) -> Option<usize> {
        let b = self.bytes;
        if !matches!(b.get(i), Some(b'e' | b'E')) {
            return None;
        }
        let s = i + 1 + usize::from(matches!(b.get(i + 1), Some(b'+' | b'-')));
        let end = s + b[s..].iter().take_while(|c| c.is_ascii_digit()).count();
        (end > s).then_some(end)
    }
}

/// The value of a number literal, as the converter computes it; `None` for a decimal with a
/// leading `0` and a digit 8 or 9, which the converter reports.
pub(super) fn number_value(text: &str, number: Number) -> Option<ValueKind> {
    Some(match number {
        Number::Hex => ValueKind::Integer(parse_radix(text, 16)),
        Number::Bin => ValueKind::Integer(parse_radix(text, 2)),
        Number::Real => ValueKind::Real(text.parse().unwrap_or(f64::NAN)),
        Number::Dec => {
            let digits = text.trim_start_matches(['+', '-']);
            if digits.len() > 1 && digits.starts_with('0') {
                if digits.bytes().any(|b| b > b'7') {
                    return None;
                }
                ValueKind::Integer(parse_radix(text, 8))
            } else {
                ValueKind::Integer(text.parse().ok())
            }
        }
    })
}

/// A signed integer in `radix`, with its `0x` / `b` decoration; `None` when it overflows `i128`
/// (the converter's `parse_radix`).
fn parse_radix(text: &str, radix: u32) -> Option<i128> {
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let digits = match radix {
        16 => &rest[2..],
        2 => &rest[..rest.len() - 1],
        _ => rest,
    };
    let magnitude = i128::from_str_radix(digits, radix).ok()?;
    Some(if negative { -magnitude } else { magnitude })
}

/// Append the unescaped literal `body` to `out` as the converter does; `None` for an `\x`
/// escape that is no character (the converter reports it).
fn unescape_into(out: &mut String, body: &str) -> Option<()> {
    let Some(first) = body.find('\\') else {
        out.push_str(body);
        return Some(());
    };
    out.push_str(&body[..first]);
    let mut chars = body[first..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((_, e)) = chars.next() else { break };
        let simple = match e {
            'b' => Some('\u{8}'),
            't' => Some('\t'),
            'n' => Some('\n'),
            'f' => Some('\u{C}'),
            'r' => Some('\r'),
            '"' | '\'' | '\\' => Some(e),
            _ => None,
        };
        if let Some(ch) = simple {
            out.push(ch);
            continue;
        }
        if !matches!(e, 'x' | 'X') {
            // Unknown escapes are kept as written.
            out.push('\\');
            out.push(e);
            continue;
        }
        let mut end = i + 2;
        let mut value = 0u32;
        let mut digits = 0;
        while digits < 4 {
            match chars.peek() {
                Some(&(j, h)) if h.is_ascii_hexdigit() => {
                    value = value * 16 + h.to_digit(16).unwrap_or(0);
                    end = j + 1;
                    digits += 1;
                    chars.next();
                }
                _ => break,
            }
        }
        if digits == 0 {
            out.push_str(&body[first + i..first + end]);
            continue;
        }
        out.push(char::from_u32(value)?);
    }
    Some(())
}
