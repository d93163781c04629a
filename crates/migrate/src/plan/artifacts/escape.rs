//! Escaping every interpolated value for the language of the file it lands in.
//!
//! - VBScript ([`vbs_string`]): a string expression; `"` doubled; line breaks, tabs, other
//!   control characters and every non-ASCII character become `vbCrLf`/`vbLf`/`vbCr`/`vbTab`/
//!   `ChrW(n)` concatenations, so the script is plain ASCII and a value can never end the
//!   literal or the line.
//! - cmd.exe: [`cmd_quoted`] for an argument (double-quoted, `%` doubled because batch files
//!   expand `%VAR%` even inside quotes; `"` and control characters cannot be represented in a
//!   quoted argument and are rejected); [`cmd_echo`] for text shown with `echo(` (`^` before
//!   `& | < > ^ ( ) "`, so the line never enters quote mode; `%` doubled; one `echo(` per line;
//!   non-ASCII shown as `?`, since batch files are read in the OEM code page). Scripts run
//!   with delayed expansion disabled, so `!` needs nothing.
//! - MOF ([`mof_string`]): `\\`, `\"`, `\n`, `\r`, `\t`, `\b`, `\f`, other control characters as
//!   `\xHHHH`; the file is written as UTF-16LE, so other characters stay as they are.
//! - WQL ([`wql_string`]): a double-quoted literal with `\` and `"` backslash-escaped.
//! - CSV ([`csv_field`]): a field that a spreadsheet will not run as a formula (a leading
//!   `= + - @`, tab or CR gets a `'` in front); quoting is the CSV writer's.
//! - Markdown ([`md_text`], [`md_code`]): inline text with markup characters backslash-escaped,
//!   code spans with a fence longer than any backtick run inside; line breaks shown as `↵`.

use std::fmt::Write as _;

/// Why a value cannot be written into a file of some language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EscapeError {
    /// A character that a quoted cmd.exe argument cannot carry.
    #[error("`{value}` cannot be a cmd.exe argument: it contains {what}")]
    CmdArgument {
        /// The value.
        value: String,
        /// What it contains (`a double quote`, `a line break`, `a control character`).
        what: &'static str,
    },
}

/// A VBScript string expression whose value is `text`.
pub fn vbs_string(text: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut literal = String::new();
    let flush = |literal: &mut String, parts: &mut Vec<String>| {
        if !literal.is_empty() {
            parts.push(format!("\"{literal}\""));
            literal.clear();
        }
    };
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let special = match c {
            '"' => {
                literal.push_str("\"\"");
                continue;
            }
            '\r' if chars.peek() == Some(&'\n') => {
                chars.next();
                "vbCrLf".to_owned()
            }
            '\r' => "vbCr".to_owned(),
            '\n' => "vbLf".to_owned(),
            '\t' => "vbTab".to_owned(),
            ' '..='~' => {
                literal.push(c);
                continue;
            }
            _ => {
                let mut units = [0u16; 2];
                c.encode_utf16(&mut units)
                    .iter()
                    .map(|u| format!("ChrW({u})"))
                    .collect::<Vec<_>>()
                    .join(" & ")
            }
        };
        flush(&mut literal, &mut parts);
        parts.push(special);
    }
    flush(&mut literal, &mut parts);
    if parts.is_empty() {
        "\"\"".to_owned()
    } else {
        parts.join(" & ")
    }
}

/// A double-quoted cmd.exe argument for a batch file.
///
/// # Errors
/// [`EscapeError::CmdArgument`] when `text` holds a `"`, a line break or another control
/// character, none of which a quoted argument can carry.
pub fn cmd_quoted(text: &str) -> Result<String, EscapeError> {
    let bad = |what| EscapeError::CmdArgument {
        value: text.to_owned(),
        what,
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => return Err(bad("a double quote")),
            '\r' | '\n' => return Err(bad("a line break")),
            c if c.is_control() => return Err(bad("a control character")),
            '%' => out.push_str("%%"),
            c => out.push(c),
        }
    }
    out.push('"');
    Ok(out)
}

/// `echo(` lines that print `text` from a batch file, one per line of `text`.
pub fn cmd_echo(text: &str) -> Vec<String> {
    text.split('\n')
        .map(|line| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            let mut out = String::from("echo(");
            for c in line.chars() {
                match c {
                    '^' | '&' | '|' | '<' | '>' | '(' | ')' | '"' => {
                        out.push('^');
                        out.push(c);
                    }
                    '%' => out.push_str("%%"),
                    '\t' => out.push(' '),
                    ' '..='~' => out.push(c),
                    _ => out.push('?'),
                }
            }
            out
        })
        .collect()
}

/// A MOF string literal whose value is `text`.
pub fn mof_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_control() => {
                let _ = write!(out, "\\x{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A WQL string literal (double-quoted) whose value is `text`.
pub fn wql_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c == '\\' || c == '"' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A CSV field value that spreadsheets show as text, never evaluate.
pub fn csv_field(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// Inline Markdown text showing `text` literally.
pub fn md_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => out.push('↵'),
            '\t' => out.push(' '),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A Markdown code span showing `text` literally.
pub fn md_code(text: &str) -> String {
    let body: String = text
        .chars()
        .map(|c| match c {
            '\r' | '\n' => '↵',
            '\t' => ' ',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect();
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    // A space on each side keeps a leading or trailing backtick off the fence.
    if body.starts_with('`') || body.ends_with('`') || body.is_empty() {
        format!("{fence} {body} {fence}")
    } else {
        format!("{fence}{body}{fence}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "Dallas \"R&D\" 100% <lab>\r\nline2\n^|!";

    #[test]
    fn vbscript_literals_stay_on_one_line_and_ascii() {
        assert_eq!(vbs_string(""), "\"\"");
        assert_eq!(vbs_string("C01"), "\"C01\"");
        assert_eq!(vbs_string("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(
            vbs_string(HOSTILE),
            "\"Dallas \"\"R&D\"\" 100% <lab>\" & vbCrLf & \"line2\" & vbLf & \"^|!\""
        );
        assert_eq!(
            vbs_string("a\tb\rc"),
            "\"a\" & vbTab & \"b\" & vbCr & \"c\""
        );
        assert_eq!(vbs_string("Québec"), "\"Qu\" & ChrW(233) & \"bec\"");
        assert_eq!(vbs_string("😀"), "ChrW(55357) & ChrW(56832)");
        assert_eq!(vbs_string("\n"), "vbLf");
        for s in [HOSTILE, "Québec 😀", "\u{1}"] {
            let v = vbs_string(s);
            assert!(
                v.is_ascii() && !v.contains('\n') && !v.contains('\r'),
                "{v}"
            );
        }
    }

    #[test]
    fn cmd_arguments_double_percent_and_reject_the_unrepresentable() {
        assert_eq!(
            cmd_quoted("\\\\CM01\\SMS_C01").unwrap(),
            "\"\\\\CM01\\SMS_C01\""
        );
        assert_eq!(cmd_quoted("100% & <x>").unwrap(), "\"100%% & <x>\"");
        assert!(matches!(
            cmd_quoted("a\"b"),
            Err(EscapeError::CmdArgument {
                what: "a double quote",
                ..
            })
        ));
        assert!(matches!(
            cmd_quoted("a\nb"),
            Err(EscapeError::CmdArgument {
                what: "a line break",
                ..
            })
        ));
        assert!(cmd_quoted("a\u{7}b").is_err());
    }

    #[test]
    fn cmd_echo_escapes_every_metacharacter() {
        assert_eq!(
            cmd_echo(HOSTILE),
            vec![
                "echo(Dallas ^\"R^&D^\" 100%% ^<lab^>".to_owned(),
                "echo(line2".to_owned(),
                "echo(^^^|!".to_owned(),
            ]
        );
        assert_eq!(
            cmd_echo("San Antonio (Austin)"),
            ["echo(San Antonio ^(Austin^)"]
        );
        assert_eq!(cmd_echo("Québec"), ["echo(Qu?bec"]);
        assert_eq!(cmd_echo(""), ["echo("]);
    }

    #[test]
    fn mof_strings_escape_backslashes_quotes_and_controls() {
        assert_eq!(
            mof_string("\\\\CM01\\root\\sms\\site_C01"),
            "\"\\\\\\\\CM01\\\\root\\\\sms\\\\site_C01\""
        );
        assert_eq!(
            mof_string(HOSTILE),
            "\"Dallas \\\"R&D\\\" 100% <lab>\\r\\nline2\\n^|!\""
        );
        assert_eq!(mof_string("a\u{1}b"), "\"a\\x0001b\"");
        assert_eq!(mof_string("Québec"), "\"Québec\"");
    }

    #[test]
    fn wql_and_csv() {
        assert_eq!(wql_string("WS\"01\\x"), "\"WS\\\"01\\\\x\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_field("-1"), "'-1");
        assert_eq!(csv_field("10.1.0.0"), "10.1.0.0");
    }

    #[test]
    fn markdown_shows_text_literally() {
        assert_eq!(md_text("R&D *bold* [x](y)"), "R\\&D \\*bold\\* \\[x\\](y)");
        assert_eq!(md_text("a\r\nb\nc"), "a↵b↵c");
        assert_eq!(md_code("10.1.0.0"), "`10.1.0.0`");
        assert_eq!(md_code("a`b"), "``a`b``");
        assert_eq!(md_code("`x"), "`` `x ``");
        assert_eq!(md_code("a\nb"), "`a↵b`");
    }
}
