//! Pest pairs into the syntax tree: the one place that knows both `Rule` and the tree types.
//!
//! Every function takes the pair of one grammar rule and returns its node. Spans are offset by
//! `base`, the position of the item in the whole text (the grammar runs on one item at a time).
//! Literal problems the grammar lets through on purpose (bad escapes, `09`, `'ab'`) are recorded
//! as errors here; the node still gets a best-effort value so the tree stays usable.

use pest::iterators::Pair;

use super::scan;
use crate::error::{ParseError, ParseErrorKind};
use crate::grammar::Rule;
use crate::span::Span;
use crate::syntax::{
    ArraySpec, Class, DataType, Feature, Ident, Instance, ItemKind, Method, Parameter, Pragma,
    PragmaArg, Property, PropertyValue, Qualifier, QualifierDecl, QualifierFlavor, Qualifiers,
    Value, ValueKind,
};

/// Converts the pairs of one item; collects the literal errors it finds.
pub(super) struct Converter<'e> {
    base: usize,
    errors: &'e mut Vec<ParseError>,
}

impl<'e> Converter<'e> {
    /// A converter for an item parsed from the text at offset `base`.
    pub(super) fn new(base: usize, errors: &'e mut Vec<ParseError>) -> Self {
        Self { base, errors }
    }

    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.base + s.start(), self.base + s.end())
    }

    /// The span of a rule that may end with an optional element, without the trivia pest
    /// skipped looking for it.
    fn tight_span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        let end = scan::tight_end(pair.as_str(), 0, s.end() - s.start());
        Span::new(self.base + s.start(), self.base + s.start() + end)
    }

    fn ident(&self, pair: &Pair<'_, Rule>) -> Ident {
        Ident {
            span: self.span(pair),
            text: pair.as_str().to_owned(),
        }
    }

    /// `item`: pragma, qualifier statement, or qualified class or instance.
    pub(super) fn item(&mut self, pair: Pair<'_, Rule>) -> ItemKind {
        let mut inner = pair.into_inner();
        let Some(mut first) = inner.next() else {
            return ItemKind::Error;
        };
        let mut qualifiers = Qualifiers::default();
        if first.as_rule() == Rule::qualifier_list {
            qualifiers = self.qualifier_list(first);
            match inner.next() {
                Some(next) => first = next,
                None => return ItemKind::Error,
            }
        }
        match first.as_rule() {
            Rule::pragma => ItemKind::Pragma(self.pragma(first)),
            Rule::qualifier_stmt => self.qualifier_stmt(first),
            Rule::class_decl => ItemKind::Class(self.class(first, qualifiers)),
            Rule::instance_decl => ItemKind::Instance(self.instance(first, qualifiers)),
            _ => ItemKind::Error,
        }
    }

    fn pragma(&mut self, pair: Pair<'_, Rule>) -> Pragma {
        let mut name = None;
        let mut args = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::kw_pragma => {}
                Rule::pragma_name => name = Some(self.ident(&p)),
                _ => args.push(self.pragma_arg(p)),
            }
        }
        Pragma {
            name: name.unwrap_or_else(|| empty_ident(self.base)),
            args,
        }
    }

    fn pragma_arg(&mut self, pair: Pair<'_, Rule>) -> PragmaArg {
        match pair.as_rule() {
            Rule::string_value => {
                let span = self.tight_span(&pair);
                let value = self.string_value(pair);
                PragmaArg::String { span, value }
            }
            // Numbers are rare in pragmas (`classflags(1)`); keep them as words, as written.
            _ => PragmaArg::Word(self.ident(&pair)),
        }
    }

    fn qualifier_stmt(&mut self, pair: Pair<'_, Rule>) -> ItemKind {
        let mut name = None;
        let mut kind = ItemKind::Error;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::qualifier_name => name = Some(self.ident(&p)),
                Rule::flavor_stmt => {
                    let flavors = p.into_inner().map(|f| self.ident(&f)).collect();
                    let name = name.take().unwrap_or_else(|| empty_ident(self.base));
                    kind = ItemKind::QualifierFlavor(QualifierFlavor { name, flavors });
                }
                Rule::qualifier_decl => {
                    let name = name.take().unwrap_or_else(|| empty_ident(self.base));
                    kind = ItemKind::QualifierDecl(self.qualifier_decl(name, p));
                }
                _ => {}
            }
        }
        kind
    }

    fn qualifier_decl(&mut self, name: Ident, pair: Pair<'_, Rule>) -> QualifierDecl {
        let mut decl = QualifierDecl {
            name,
            data_type: empty_ident(self.base),
            array: None,
            default: None,
            scope: Vec::new(),
            flavor: Vec::new(),
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::type_name => decl.data_type = self.ident(&p),
                Rule::array_spec => decl.array = Some(self.array_spec(p)),
                Rule::scope_spec => decl.scope.extend(self.words(p, Rule::scope_word)),
                Rule::flavor_spec => decl.flavor.extend(self.words(p, Rule::flavor_word)),
                _ => decl.default = Some(self.value(p)),
            }
        }
        decl
    }

    fn words(&self, pair: Pair<'_, Rule>, rule: Rule) -> Vec<Ident> {
        pair.into_inner()
            .filter(|p| p.as_rule() == rule)
            .map(|p| self.ident(&p))
            .collect()
    }

    fn qualifier_list(&mut self, pair: Pair<'_, Rule>) -> Qualifiers {
        let span = Some(self.span(&pair));
        let list = pair.into_inner().map(|q| self.qualifier(q)).collect();
        Qualifiers { span, list }
    }

    fn qualifier(&mut self, pair: Pair<'_, Rule>) -> Qualifier {
        let span = self.tight_span(&pair);
        let mut name = empty_ident(span.start);
        let mut value = None;
        let mut flavors = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::qualifier_name => name = self.ident(&p),
                Rule::flavor => flavors.push(self.ident(&p)),
                _ => value = Some(self.value(p)),
            }
        }
        Qualifier {
            span,
            name,
            value,
            flavors,
        }
    }

    fn class(&mut self, pair: Pair<'_, Rule>, qualifiers: Qualifiers) -> Class {
        let mut class = Class {
            qualifiers,
            name: empty_ident(self.base),
            alias: None,
            superclass: None,
            body: Span::empty(self.base),
            features: Vec::new(),
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                // The first class name is the class's, a second one its superclass.
                Rule::class_name if class.name.text.is_empty() => class.name = self.ident(&p),
                Rule::class_name => class.superclass = Some(self.ident(&p)),
                Rule::alias_ref => class.alias = Some(self.alias_name(&p)),
                Rule::class_body => {
                    class.body = self.span(&p);
                    class.features = p.into_inner().map(|f| self.feature(f)).collect();
                }
                _ => {}
            }
        }
        class
    }

    /// `$Name` without the `$`.
    fn alias_name(&self, pair: &Pair<'_, Rule>) -> Ident {
        let span = self.span(pair);
        Ident {
            span: Span::new(span.start + 1, span.end),
            text: pair.as_str()[1..].to_owned(),
        }
    }

    fn feature(&mut self, pair: Pair<'_, Rule>) -> Feature {
        let span = self.span(&pair);
        let mut qualifiers = Qualifiers::default();
        let mut data_type = untyped(span.start);
        let mut name = empty_ident(span.start);
        let mut array = None;
        let mut default = None;
        let mut params = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::qualifier_list => qualifiers = self.qualifier_list(p),
                Rule::type_name => data_type.name = self.ident(&p),
                Rule::kw_ref => data_type.is_ref = true,
                Rule::property_name => name = self.ident(&p),
                Rule::array_spec => array = Some(self.array_spec(p)),
                Rule::param_list => params = Some(p.into_inner().map(|q| self.param(q)).collect()),
                _ => default = Some(self.value(p)),
            }
        }
        match params {
            Some(params) => Feature::Method(Method {
                span,
                qualifiers,
                return_type: data_type,
                name,
                params,
            }),
            None => Feature::Property(Property {
                span,
                qualifiers,
                data_type,
                name,
                array,
                default,
            }),
        }
    }

    fn array_spec(&mut self, pair: Pair<'_, Rule>) -> ArraySpec {
        match pair.into_inner().next() {
            Some(size) => match size.as_str().parse() {
                Ok(n) => ArraySpec::Fixed(n),
                Err(_) => {
                    self.error(
                        &size,
                        ParseErrorKind::InvalidNumber {
                            literal: size.as_str().to_owned(),
                        },
                    );
                    ArraySpec::Fixed(u64::MAX)
                }
            },
            None => ArraySpec::Unbounded,
        }
    }

    fn param(&mut self, pair: Pair<'_, Rule>) -> Parameter {
        let span = self.tight_span(&pair);
        let mut param = Parameter {
            span,
            qualifiers: Qualifiers::default(),
            data_type: untyped(span.start),
            name: empty_ident(span.start),
            array: None,
            default: None,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::qualifier_list => param.qualifiers = self.qualifier_list(p),
                Rule::type_name => param.data_type.name = self.ident(&p),
                Rule::kw_ref => param.data_type.is_ref = true,
                Rule::param_name => param.name = self.ident(&p),
                Rule::array_spec => param.array = Some(self.array_spec(p)),
                _ => param.default = Some(self.value(p)),
            }
        }
        param
    }

    /// `instance_decl` or `instance_value`.
    fn instance(&mut self, pair: Pair<'_, Rule>, qualifiers: Qualifiers) -> Instance {
        let mut instance = Instance {
            qualifiers,
            class_name: empty_ident(self.base),
            alias: None,
            body: Span::empty(self.base),
            properties: Vec::new(),
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::qualifier_list => instance.qualifiers = self.qualifier_list(p),
                Rule::class_name => instance.class_name = self.ident(&p),
                Rule::alias_ref => instance.alias = Some(self.alias_name(&p)),
                Rule::instance_body => {
                    instance.body = self.span(&p);
                    instance.properties = p.into_inner().map(|v| self.property_value(v)).collect();
                }
                _ => {}
            }
        }
        instance
    }

    fn property_value(&mut self, pair: Pair<'_, Rule>) -> PropertyValue {
        let span = self.span(&pair);
        let mut pv = PropertyValue {
            span,
            qualifiers: Qualifiers::default(),
            name: empty_ident(span.start),
            value: None,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::qualifier_list => pv.qualifiers = self.qualifier_list(p),
                Rule::property_name => pv.name = self.ident(&p),
                _ => pv.value = Some(self.value(p)),
            }
        }
        pv
    }

    /// Any rule of the grammar's `value`.
    fn value(&mut self, pair: Pair<'_, Rule>) -> Value {
        let span = self.tight_span(&pair);
        let kind = match pair.as_rule() {
            Rule::string_value => ValueKind::String(self.string_value(pair)),
            Rule::hex_lit => ValueKind::Integer(parse_radix(pair.as_str(), 16)),
            Rule::bin_lit => ValueKind::Integer(parse_radix(pair.as_str(), 2)),
            Rule::dec_lit => self.decimal(&pair),
            Rule::real_lit => ValueKind::Real(pair.as_str().parse().unwrap_or(f64::NAN)),
            Rule::array_value => {
                ValueKind::Array(pair.into_inner().map(|v| self.value(v)).collect())
            }
            Rule::alias_ref => ValueKind::Alias(pair.as_str()[1..].to_owned()),
            Rule::char_lit => self.char16(&pair),
            Rule::bool_lit => ValueKind::Boolean(pair.as_str().eq_ignore_ascii_case("true")),
            Rule::instance_value => {
                ValueKind::Instance(Box::new(self.instance(pair, Qualifiers::default())))
            }
            Rule::object_handle => ValueKind::Identifier(pair.as_str().to_owned()),
            _ => ValueKind::Null,
        };
        Value { span, kind }
    }

    /// Decimal, or octal with a leading `0`.
    fn decimal(&mut self, pair: &Pair<'_, Rule>) -> ValueKind {
        let text = pair.as_str();
        let digits = text.trim_start_matches(['+', '-']);
        if digits.len() > 1 && digits.starts_with('0') {
            if digits.bytes().any(|b| b > b'7') {
                self.error(
                    pair,
                    ParseErrorKind::InvalidNumber {
                        literal: text.to_owned(),
                    },
                );
                return ValueKind::Integer(None);
            }
            return ValueKind::Integer(parse_radix(text, 8));
        }
        ValueKind::Integer(text.parse().ok())
    }

    fn char16(&mut self, pair: &Pair<'_, Rule>) -> ValueKind {
        let text = pair.as_str();
        let decoded = self.unescape(&text[1..text.len() - 1], self.span(pair).start + 1);
        let mut chars = decoded.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => ValueKind::Char(c),
            (first, _) => {
                self.error(
                    pair,
                    ParseErrorKind::InvalidChar16 {
                        literal: text.to_owned(),
                    },
                );
                ValueKind::Char(first.unwrap_or('\0'))
            }
        }
    }

    /// The concatenated, unescaped value of adjacent string literals.
    fn string_value(&mut self, pair: Pair<'_, Rule>) -> String {
        let mut out = String::new();
        for lit in pair.into_inner() {
            let text = lit.as_str();
            let start = self.base + lit.as_span().start() + 1;
            self.unescape_into(&mut out, &text[1..text.len() - 1], start);
        }
        out
    }

    /// Resolve backslash escapes of a literal body starting at text offset `start`.
    fn unescape(&mut self, body: &str, start: usize) -> String {
        let mut out = String::with_capacity(body.len());
        self.unescape_into(&mut out, body, start);
        out
    }

    /// Append the unescaped `body` (starting at text offset `start`) to `out`.
    fn unescape_into(&mut self, out: &mut String, body: &str, start: usize) {
        if !body.contains('\\') {
            out.push_str(body);
            return;
        }
        let mut chars = body.char_indices().peekable();
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
                // Unknown escapes such as `\s` or `\C` are kept as written: OpenPegasus, OMI
                // and DSC compile files that contain them.
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
                // `\x` without digits: kept as written, like other unknown escapes.
                out.push_str(&body[i..end]);
                continue;
            }
            let decoded = char::from_u32(value);
            match decoded {
                Some(ch) => out.push(ch),
                None => {
                    let escape = body[i..end].to_owned();
                    self.errors.push(ParseError::new(
                        Span::new(start + i, start + end),
                        ParseErrorKind::InvalidEscape { escape },
                    ));
                    out.push_str(&body[i..end]);
                }
            }
        }
    }

    fn error(&mut self, pair: &Pair<'_, Rule>, kind: ParseErrorKind) {
        let span = self.span(pair);
        self.errors.push(ParseError::new(span, kind));
    }
}

fn empty_ident(at: usize) -> Ident {
    Ident {
        span: Span::empty(at),
        text: String::new(),
    }
}

fn untyped(at: usize) -> DataType {
    DataType {
        name: empty_ident(at),
        is_ref: false,
    }
}

/// A signed integer in `radix`, with its `0x` / `b` decoration; `None` when it overflows `i128`.
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
