//! Turning a pest failure into a [`ParseError`]: where it happened, what was expected there (as
//! readable labels), and what was found.
//!
//! Pest reports two things at a failure: the rules tried at the furthest position a rule was
//! attempted (its classic "positives"), and, with error detail on, every literal token tried at
//! the furthest position any token was attempted. The error is placed at the further of the two;
//! rules give labels like `property name`, literal tokens give punctuation like `` `;` ``.

use std::collections::BTreeSet;
use std::sync::Once;

use pest::error::{ErrorVariant, InputLocation};

use crate::error::{ParseError, ParseErrorKind};
use crate::grammar::Rule;
use crate::span::Span;

use super::scan;

/// Turn on pest's per-token attempt tracking, process-wide and for good. It is off until the
/// first syntax error so that valid input parses at full speed; the failing item is then parsed
/// a second time with it on. It is never turned off again, so concurrent parses cannot race on
/// it and messages are always the same.
pub(super) fn enable_error_detail() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| pest::set_error_detail(true));
}

/// The error for a failed parse of the item at `base` (`err` positions are relative to it).
pub(super) fn syntax_error(text: &str, base: usize, err: &pest::error::Error<Rule>) -> ParseError {
    let rule_pos = base
        + match err.location {
            InputLocation::Pos(p) | InputLocation::Span((p, _)) => p,
        };
    let attempts = err.parse_attempts();
    let token_pos = attempts.as_ref().map_or(0, |a| base + a.max_position);
    let pos = rule_pos.max(token_pos);

    let mut labels: BTreeSet<(u8, String)> = BTreeSet::new();
    if pos == rule_pos {
        if let ErrorVariant::ParsingError { positives, .. } = &err.variant {
            labels.extend(
                positives
                    .iter()
                    .flat_map(|r| rule_labels(*r))
                    .map(|l| ranked(l)),
            );
        }
    }
    if let Some(attempts) = attempts.filter(|_| pos == token_pos) {
        labels.extend(
            attempts
                .expected_tokens()
                .iter()
                .filter_map(|t| token_label(&t.to_string())),
        );
    }
    // Everything a value may start with (`$Alias`, `{`, `[quals] instance of`) is "value".
    if labels.contains(&ranked("value")) {
        for start in ["alias", "`{`", "`[`", "`instance`"] {
            labels.remove(&ranked(start));
        }
    }
    // `ref` is only possible after a class name; "property name" says enough.
    if labels.contains(&ranked("property name")) {
        labels.remove(&ranked("`ref`"));
    }
    if let Some(lexical) = scan::unterminated(text, base, pos) {
        return lexical;
    }
    let (found, mut span) = scan::found_at(text, pos);
    let closer = ["`;`", "`)`", "`]`", "`}`"]
        .iter()
        .any(|c| labels.contains(&ranked(c)));
    let previous_end = scan::last_token_end(text, base, pos);
    if pos >= text.len() || (closer && line_break_between(text, previous_end, pos)) {
        // A missing `;` or bracket belongs right after the previous token, often lines before
        // the token that showed it missing (or the end of the file).
        span = Span::empty(previous_end);
    }
    ParseError::new(
        span,
        ParseErrorKind::Syntax {
            expected: labels.into_iter().map(|(_, label)| label).collect(),
            found,
        },
    )
}

/// True when a line break separates `from` and `to`.
fn line_break_between(text: &str, from: usize, to: usize) -> bool {
    text.as_bytes()[from.min(to)..to]
        .iter()
        .any(|&b| b == b'\n' || b == b'\r')
}

/// A label for a literal token: punctuation only, because keywords, literals and names are
/// labelled by their rules. The number sorts punctuation first.
fn token_label(token: &str) -> Option<(u8, String)> {
    matches!(
        token,
        ";" | "{" | "}" | "(" | ")" | "[" | "]" | "," | "=" | ":"
    )
    .then(|| ranked(&format!("`{token}`")))
}

/// A label for a rule tried at the error position.
fn rule_labels(rule: Rule) -> &'static [&'static str] {
    match rule {
        Rule::item => &["`class`", "`instance`", "`qualifier`", "`#pragma`", "`[`"],
        Rule::pragma | Rule::kw_pragma => &["`#pragma`"],
        Rule::qualifier_stmt | Rule::kw_qualifier => &["`qualifier`"],
        Rule::class_decl | Rule::kw_class => &["`class`"],
        Rule::instance_decl | Rule::instance_value | Rule::kw_instance => &["`instance`"],
        Rule::kw_of => &["`of`"],
        Rule::kw_as => &["`as`"],
        Rule::kw_ref => &["`ref`"],
        Rule::kw_scope | Rule::scope_spec => &["`scope`"],
        Rule::kw_flavor | Rule::flavor_spec => &["`flavor`"],
        Rule::class_body | Rule::instance_body | Rule::array_value => &["`{`"],
        Rule::qualifier_list | Rule::array_spec => &["`[`"],
        Rule::param_list => &["`(`"],
        Rule::feature => &["property or method"],
        Rule::property_value => &["property name"],
        Rule::qualifier => &["qualifier name"],
        Rule::param => &["parameter"],
        Rule::type_name | Rule::qualifier_decl => &["type"],
        Rule::class_name => &["class name"],
        Rule::property_name => &["property name"],
        Rule::param_name => &["parameter name"],
        Rule::qualifier_name => &["qualifier name"],
        Rule::pragma_name => &["pragma name"],
        Rule::pragma_word => &["value"],
        Rule::scope_word => &["scope"],
        Rule::flavor | Rule::flavor_stmt | Rule::flavor_word => &["flavor"],
        Rule::array_size => &["array size"],
        Rule::alias_ref => &["alias"],
        Rule::string_value
        | Rule::string_lit
        | Rule::char_lit
        | Rule::hex_lit
        | Rule::real_lit
        | Rule::bin_lit
        | Rule::dec_lit
        | Rule::bool_lit
        | Rule::null_lit
        | Rule::object_handle => &["value"],
        _ => &[],
    }
}

/// Punctuation and keywords sort before descriptions.
fn ranked(label: &str) -> (u8, String) {
    (u8::from(!label.starts_with('`')), label.to_owned())
}
