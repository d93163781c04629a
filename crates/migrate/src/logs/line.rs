//! `nom` parsers for one log line.
//!
//! Two shapes carry a timestamp:
//!
//! - **stamped**, the setup and prerequisite logs of ConfigMgr 2007:
//!   `<10-26-2008 17:19:42> Result: Error`;
//! - **trace**, the SMS/ConfigMgr component trace format, stamp at the end:
//!   `Done with service installation  $$<Configuration Manager Setup><08-22-2016
//!   04:15:01.917+420><thread=2868 (0xB34)>`, or with SMS 2003's spelled-out date
//!   `<Wed Oct 29 10:52:16.203 2008 Eastern Standard Time>`.
//!
//! Any other line is plain text (a continuation of the entry before it). Parsers are built
//! bottom-up, each labelled with `context`; once a line has committed to a shape (`<` followed by
//! a digit, or the `$$<` marker) the rest is under `cut`, so a damaged stamp is reported at the
//! column where it breaks instead of silently becoming text.

use std::fmt;

use nom::branch::alt;
use nom::bytes::complete::{tag, take_till1, take_while1, take_while_m_n};
use nom::character::complete::{char, digit1, hex_digit1, satisfy, space0, space1};
use nom::combinator::{cut, eof, map, map_res, opt, peek, rest, verify};
use nom::error::{context, VerboseError, VerboseErrorKind};
use nom::sequence::{delimited, pair, preceded, terminated, tuple};
use nom::IResult;
use serde::{Serialize, Serializer};

use super::entry::EntryShape;

type Res<'a, T> = IResult<&'a str, T, VerboseError<&'a str>>;

/// A log timestamp as written. Local time; trace stamps may add milliseconds and the offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp {
    /// Year.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month, 1–31.
    pub day: u8,
    /// Hour, 0–23.
    pub hour: u8,
    /// Minute, 0–59.
    pub minute: u8,
    /// Second, 0–60 (leap second).
    pub second: u8,
    /// Milliseconds, when logged.
    pub millis: Option<u16>,
    /// The trace format's time-zone bias in minutes (`+420`), when logged.
    pub bias: Option<i16>,
}

impl fmt::Display for Stamp {
    /// The log's own notation: `MM-DD-YYYY HH:MM:SS[.mmm][+bias]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}-{:02}-{:04} {:02}:{:02}:{:02}",
            self.month, self.day, self.year, self.hour, self.minute, self.second
        )?;
        if let Some(ms) = self.millis {
            write!(f, ".{ms:03}")?;
        }
        if let Some(bias) = self.bias {
            write!(f, "{bias:+}")?;
        }
        Ok(())
    }
}

impl Serialize for Stamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One line split into its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedLine<'a> {
    /// Which shape the line has.
    pub shape: EntryShape,
    /// The timestamp (stamped and trace lines).
    pub stamp: Option<Stamp>,
    /// The logging component (trace lines).
    pub component: Option<&'a str>,
    /// The logging thread (trace lines).
    pub thread: Option<u32>,
    /// The message text, without stamp and surrounding blanks.
    pub message: &'a str,
}

/// Where and why a committed stamp failed to parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StampError {
    /// 1-based column, in characters.
    pub column: usize,
    /// The innermost `context` label at the failure.
    pub expected: &'static str,
}

/// Parse one line. A line whose stamp is damaged comes back as plain text with the error.
pub fn parse_line(text: &str) -> (ParsedLine<'_>, Option<StampError>) {
    let plain = ParsedLine {
        shape: EntryShape::Plain,
        stamp: None,
        component: None,
        thread: None,
        message: text.trim(),
    };
    match stamped_line(text) {
        Ok((_, (stamp, message))) => {
            let parsed = ParsedLine {
                shape: EntryShape::Stamped,
                stamp: Some(stamp),
                message: message.trim(),
                ..plain
            };
            return (parsed, None);
        }
        Err(nom::Err::Failure(e)) => return (plain, Some(stamp_error(text, &e))),
        Err(_) => {}
    }
    let Some(at) = text.rfind("$$<") else {
        return (plain, None);
    };
    match trace_suffix(&text[at..]) {
        Ok((_, (component, stamp, thread))) => {
            // Some trace lines start with a `~` marker; it is not part of the message.
            let message = text[..at].trim();
            let message = message.strip_prefix('~').unwrap_or(message).trim_start();
            let parsed = ParsedLine {
                shape: EntryShape::Trace,
                stamp: Some(stamp),
                component: Some(component),
                thread,
                message,
            };
            (parsed, None)
        }
        Err(nom::Err::Failure(e) | nom::Err::Error(e)) => (plain, Some(stamp_error(text, &e))),
        Err(nom::Err::Incomplete(_)) => (plain, None),
    }
}

fn stamp_error(line: &str, e: &VerboseError<&str>) -> StampError {
    let at = e.errors.first().map_or(line.len(), |(rest, _)| {
        // `rest` is a suffix of `line`; its start is where parsing stopped.
        line.len() - rest.len().min(line.len())
    });
    let expected = e
        .errors
        .iter()
        .find_map(|(_, kind)| match kind {
            VerboseErrorKind::Context(label) => Some(*label),
            _ => None,
        })
        .unwrap_or("log line");
    let at = (0..=at)
        .rev()
        .find(|i| line.is_char_boundary(*i))
        .unwrap_or(0);
    StampError {
        column: line[..at].chars().count() + 1,
        expected,
    }
}

/// Exactly `n` ASCII digits as a number.
fn digits<'a>(n: usize, label: &'static str) -> impl FnMut(&'a str) -> Res<'a, u16> {
    context(
        label,
        map_res(
            take_while_m_n(n, n, |c: char| c.is_ascii_digit()),
            str::parse,
        ),
    )
}

/// `n` digits whose value lies in `lo..=hi`, as a `u8`.
fn ranged<'a>(n: usize, label: &'static str, lo: u8, hi: u8) -> impl FnMut(&'a str) -> Res<'a, u8> {
    context(
        label,
        map(
            verify(digits(n, label), move |v| {
                (u16::from(lo)..=u16::from(hi)).contains(v)
            }),
            |v| v as u8,
        ),
    )
}

/// `MM-DD-YYYY`.
fn numeric_date(i: &str) -> Res<'_, (u8, u8, u16)> {
    let (i, (month, _, day, _, year)) = tuple((
        ranged(2, "month 01-12", 1, 12),
        char('-'),
        ranged(2, "day 01-31", 1, 31),
        char('-'),
        digits(4, "four-digit year"),
    ))(i)?;
    Ok((i, (month, day, year)))
}

/// The time-of-day half of a stamp.
#[derive(Debug, Clone, Copy)]
struct Clock {
    hour: u8,
    minute: u8,
    second: u8,
    millis: Option<u16>,
    bias: Option<i16>,
}

impl Clock {
    fn on(self, year: u16, month: u8, day: u8) -> Stamp {
        Stamp {
            year,
            month,
            day,
            hour: self.hour,
            minute: self.minute,
            second: self.second,
            millis: self.millis,
            bias: self.bias,
        }
    }
}

/// `HH:MM:SS[.mmm][±bias]`; the bias is the trace format's minutes from UTC.
fn clock(i: &str) -> Res<'_, Clock> {
    let bias = map_res(
        pair(alt((char('+'), char('-'))), digit1),
        |(sign, n): (char, &str)| n.parse::<i16>().map(|n| if sign == '-' { -n } else { n }),
    );
    let (i, (hour, _, minute, _, second, millis, bias)) = tuple((
        ranged(2, "hour 00-23", 0, 23),
        char(':'),
        ranged(2, "minute 00-59", 0, 59),
        char(':'),
        ranged(2, "second 00-60", 0, 60),
        opt(preceded(char('.'), digits(3, "milliseconds"))),
        opt(context("time-zone bias", bias)),
    ))(i)?;
    let clock = Clock {
        hour,
        minute,
        second,
        millis,
        bias,
    };
    Ok((i, clock))
}

/// `MM-DD-YYYY HH:MM:SS...`, the stamp both ConfigMgr shapes use.
fn numeric_stamp(i: &str) -> Res<'_, Stamp> {
    context(
        "timestamp MM-DD-YYYY HH:MM:SS",
        map(
            tuple((numeric_date, char(' '), clock)),
            |((month, day, year), _, clock)| clock.on(year, month, day),
        ),
    )(i)
}

/// A three-letter English month name.
fn month_name(i: &str) -> Res<'_, u8> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    context(
        "month name",
        map_res(
            take_while_m_n(3, 3, |c: char| c.is_ascii_alphabetic()),
            |m: &str| {
                MONTHS
                    .iter()
                    .position(|name| name.eq_ignore_ascii_case(m))
                    .map(|p| p as u8 + 1)
                    .ok_or(())
            },
        ),
    )(i)
}

/// SMS 2003's `Wed Oct 29 10:52:16.203 2008 Eastern Standard Time` (zone name dropped).
fn spelled_stamp(i: &str) -> Res<'_, Stamp> {
    let day = context(
        "day of month",
        map_res(
            take_while_m_n(1, 2, |c: char| c.is_ascii_digit()),
            str::parse::<u8>,
        ),
    );
    context(
        "timestamp Www Mmm D HH:MM:SS YYYY",
        map(
            tuple((
                take_while_m_n(3, 3, |c: char| c.is_ascii_alphabetic()),
                space1,
                month_name,
                space1,
                verify(day, |d| (1..=31).contains(d)),
                space1,
                clock,
                space1,
                digits(4, "four-digit year"),
                opt(preceded(space1, take_till1(|c| c == '>'))),
            )),
            |(_, _, month, _, day, _, clock, _, year, _)| {
                Clock {
                    bias: None,
                    ..clock
                }
                .on(year, month, day)
            },
        ),
    )(i)
}

/// `<MM-DD-YYYY HH:MM:SS>`: committed once `<` is followed by a digit.
fn bracketed_stamp(i: &str) -> Res<'_, Stamp> {
    preceded(
        pair(char('<'), peek(satisfy(|c| c.is_ascii_digit()))),
        cut(terminated(
            numeric_stamp,
            context("`>` after the timestamp", char('>')),
        )),
    )(i)
}

/// `<stamp> message`, the ConfigMgr 2007 setup-log line.
fn stamped_line(i: &str) -> Res<'_, (Stamp, &str)> {
    pair(bracketed_stamp, preceded(space0, rest))(i)
}

/// `<thread=N (0xN)>`; the hexadecimal repeat is optional.
fn thread(i: &str) -> Res<'_, u32> {
    context(
        "thread",
        delimited(
            tag("<thread="),
            terminated(
                map_res(digit1, str::parse),
                opt(delimited(tag(" (0x"), hex_digit1, char(')'))),
            ),
            char('>'),
        ),
    )(i)
}

/// Either stamp notation. Which alternative got furthest says little about a damaged stamp, so a
/// failure is reported once, at the stamp's start.
fn trace_stamp(i: &str) -> Res<'_, Stamp> {
    alt((numeric_stamp, spelled_stamp))(i).map_err(|e| {
        e.map(|_| VerboseError {
            errors: vec![(i, VerboseErrorKind::Context("trace timestamp"))],
        })
    })
}

/// `$$<Component><stamp><thread=N (0xN)>` at the end of a trace line.
fn trace_suffix(i: &str) -> Res<'_, (&str, Stamp, Option<u32>)> {
    let component = context(
        "component name",
        terminated(take_while1(|c| c != '>' && c != '<'), char('>')),
    );
    let stamp = delimited(
        context("`<` before the trace timestamp", char('<')),
        trace_stamp,
        context("`>` after the trace timestamp", char('>')),
    );
    preceded(
        tag("$$<"),
        cut(terminated(
            tuple((component, stamp, opt(thread))),
            context("end of line after the trace stamp", pair(space0, eof)),
        )),
    )(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamped_lines() {
        let (line, err) = parse_line("<10-26-2008 17:19:42> Result: Error");
        assert_eq!(err, None);
        assert_eq!(line.shape, EntryShape::Stamped);
        assert_eq!(line.message, "Result: Error");
        assert_eq!(line.stamp.unwrap().to_string(), "10-26-2008 17:19:42");
        let (line, _) = parse_line("<01-04-2013 16:25:28>");
        assert_eq!((line.shape, line.message), (EntryShape::Stamped, ""));
    }

    #[test]
    fn trace_lines_numeric_and_spelled() {
        let (line, err) = parse_line(
            "~ *** Failed to connect to the SQL Server.  $$<Configuration Manager Setup>\
             <08-22-2016 04:15:01.917+420><thread=2868 (0xB34)>",
        );
        assert_eq!(err, None);
        assert_eq!(line.shape, EntryShape::Trace);
        assert_eq!(line.message, "*** Failed to connect to the SQL Server.");
        assert_eq!(line.component, Some("Configuration Manager Setup"));
        assert_eq!(line.thread, Some(2868));
        assert_eq!(
            line.stamp.unwrap().to_string(),
            "08-22-2016 04:15:01.917+420"
        );
        let (line, err) = parse_line(
            "Started.$$<SMS_EXECUTIVE><Wed Oct 29 10:52:16.203 2008 Eastern Standard Time>\
             <thread=2640 (0xA50)>",
        );
        assert_eq!(err, None);
        assert_eq!(line.stamp.unwrap().to_string(), "10-29-2008 10:52:16.203");
    }

    #[test]
    fn committed_stamps_report_where_they_break() {
        let (line, err) = parse_line("<13-26-2008 17:19:42> x");
        assert_eq!(line.shape, EntryShape::Plain);
        let err = err.unwrap();
        assert_eq!((err.column, err.expected), (2, "month 01-12"));
        let err = parse_line("<10-26-2008 17:19> x").1.unwrap();
        assert_eq!(
            (err.column, err.expected),
            (18, "timestamp MM-DD-YYYY HH:MM:SS")
        );
        let err = parse_line("<10-26-2008 17:19:42 x").1.unwrap();
        assert_eq!(err.expected, "`>` after the timestamp");
        let err = parse_line("text $$<Comp><garbage><thread=1>").1.unwrap();
        assert_eq!(err.expected, "trace timestamp");
    }

    #[test]
    fn uncommitted_lines_are_plain() {
        for text in [
            "",
            "  select 1",
            "<Configuration Manager Setup>",
            "a < b",
            "x $ y",
        ] {
            let (line, err) = parse_line(text);
            assert_eq!((line.shape, err), (EntryShape::Plain, None), "{text:?}");
        }
    }
}
