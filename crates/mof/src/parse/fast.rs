//! A hand-written recursive-descent parser for well-formed MOF: the fast path of
//! [`parse`](super::parse), tried before the pest grammar.
//!
//! Pest's machinery (pairs, the call stack of rule closures, position bookkeeping) costs about
//! three quarters of the time of a parse. Most inputs have no syntax error, so this parser goes
//! straight from bytes to the [`Document`] and gives up (`None`) on anything it is not sure
//! about: a syntax error, a literal the converter would report (bad octal digit, `'ab'`, an
//! escape that is no character, an array size beyond `u64`), an unterminated comment, or
//! brackets nested deeper than [`MAX_NESTING`]. Then the pest path runs and its diagnostics and
//! error recovery apply unchanged.
//!
//! `mof.pest` stays the reference; this module mirrors it rule by rule, with the same ordered
//! choices and the same greedy repetitions, and builds the nodes the converter (`convert.rs`)
//! builds from the pairs:
//!
//! - trivia: `WHITESPACE`, `COMMENT`, `block_comment`, `line_comment` ([`Fast::skip`]);
//! - top level: `file`, `item` ([`document`], [`Fast::item`]);
//! - pragmas: `pragma`, `kw_pragma`, `pragma_name`, `pragma_args`, `pragma_arg`, `pragma_word`;
//! - qualifier statements: `qualifier_stmt`, `flavor_stmt`, `qualifier_decl`, `scope_spec`,
//!   `flavor_spec`, `scope_word`, `flavor_word`;
//! - qualifier lists: `qualifier_list`, `qualifier`, `flavor_list`, `flavor`;
//! - classes: `class_decl`, `superclass`, `class_body`, `feature`, `data_type`, `array_spec`,
//!   `array_size`, `param_list`, `param`;
//! - instances: `instance_decl`, `instance_value`, `instance_head`, `instance_body`,
//!   `property_value`, `alias_decl`;
//! - values: `value`, `object_handle`, `array_value`, `bool_lit`, `null_lit`, `alias_ref`, and
//!   in [`literal`] `string_value`, `string_lit`, `char_lit`, `number`, `hex_lit`, `real_lit`,
//!   `exponent`, `bin_lit`, `dec_lit`, `sign`;
//! - names and keywords: `class_name`, `property_name`, `type_name`, `param_name`,
//!   `qualifier_name`, `ident`, `ident_start`, `ident_char`, and every `kw_*` rule.
//!
//! Spans are what the converter gives: the end of the last token of a node, never the trivia
//! pest skipped looking for an optional element (`scan::tight_end`). That the two paths produce
//! identical documents, and that this one never accepts a text the grammar rejects, is proven
//! by the differential tests in `tests/fast_path.rs` over the whole corpus, every fixture and
//! mutated fixtures.

mod literal;

use literal::number_value;

use super::{scan, Builder, MAX_NESTING};
use crate::span::Span;
use crate::syntax::{
    ArraySpec, Class, DataType, Document, Feature, Ident, Instance, ItemKind, Method, Parameter,
    Pragma, PragmaArg, Property, PropertyValue, Qualifier, QualifierDecl, QualifierFlavor,
    Qualifiers, Value, ValueKind,
};

/// The qualifier flavors of the grammar's `flavor` rule; none is a prefix of another, so the
/// order of the choice does not matter.
const FLAVORS: [&str; 9] = [
    "EnableOverride",
    "DisableOverride",
    "ToSubclass",
    "ToInstance",
    "Restricted",
    "Amended",
    "NotToInstance",
    "NotToSubclass",
    "Translatable",
];

/// Parse `text` into the document the pest path would produce, or `None` when the text has (or
/// might have) a syntax or literal error, or nests too deeply.
pub(super) fn document(text: &str) -> Option<Document> {
    let mut p = Fast {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        end: 0,
        depth: 0,
        odd_char: false,
    };
    let mut builder = Builder::default();
    // `file = { SOI ~ item* ~ EOI }`
    loop {
        p.skip()?;
        if p.pos >= p.bytes.len() {
            break;
        }
        let start = p.pos;
        let kind = p.item()?;
        builder.push(Span::new(start, p.end), kind);
    }
    // A char literal holding a bracket, quote or slash makes the byte scanner that bounds
    // nesting count differently from the grammar; ask it, as the pest path does.
    if p.odd_char && scan::too_deep(text, MAX_NESTING) {
        return None;
    }
    Some(builder.finish(text, Vec::new()).document)
}

/// The parser state: a position in the text and the end of the last token consumed.
struct Fast<'t> {
    text: &'t str,
    bytes: &'t [u8],
    /// Where the next token is looked for (trivia may precede it).
    pos: usize,
    /// The end of the last token consumed: where a node ends.
    end: usize,
    /// Open brackets (`{`, `[`, `(`).
    depth: usize,
    /// A char literal contains a byte that the nesting scanner misreads.
    odd_char: bool,
}

impl<'t> Fast<'t> {
    // ---- trivia and tokens ----------------------------------------------------------------

    /// `WHITESPACE` and `COMMENT`, as pest skips them between tokens. `None` at a block
    /// comment that never closes (the grammar fails there).
    fn skip(&mut self) -> Option<()> {
        let b = self.bytes;
        let mut i = self.pos;
        loop {
            match b.get(i) {
                Some(b' ' | b'\t'..=b'\r') => i += 1,
                Some(b'/') => match b.get(i + 1) {
                    Some(b'/') => {
                        i = b[i + 2..]
                            .iter()
                            .position(|&c| c == b'\n' || c == b'\r')
                            .map_or(b.len(), |k| i + 2 + k);
                    }
                    Some(b'*') => i = i + 2 + self.text[i + 2..].find("*/")? + 2,
                    _ => break,
                },
                _ => break,
            }
        }
        self.pos = i;
        Some(())
    }

    /// The next significant byte after trivia (0 at the end of the text, which no rule
    /// accepts either).
    fn peek(&mut self) -> Option<u8> {
        self.skip()?;
        Some(self.bytes.get(self.pos).copied().unwrap_or(0))
    }

    /// Consume the token ending at `end`.
    fn advance(&mut self, end: usize) {
        self.pos = end;
        self.end = end;
    }

    /// Consume the punctuation `c` if it comes next.
    fn eat(&mut self, c: u8) -> Option<bool> {
        if self.peek()? == c {
            self.advance(self.pos + 1);
            return Some(true);
        }
        Some(false)
    }

    /// Consume the punctuation `c`, or give up.
    fn expect(&mut self, c: u8) -> Option<()> {
        self.eat(c)?.then_some(())
    }

    /// Consume the opening bracket `c`, bounding the nesting as the pest path does.
    fn open(&mut self, c: u8) -> Option<()> {
        self.expect(c)?;
        self.depth += 1;
        (self.depth <= MAX_NESTING).then_some(())
    }

    /// Consume the closing bracket `c`.
    fn close(&mut self, c: u8) -> Option<()> {
        self.expect(c)?;
        self.depth -= 1;
        Some(())
    }

    /// The length of the `ident_char` at `i` (0 when there is none): ASCII letters, digits,
    /// `_`, and every non-ASCII character but U+FEFF.
    fn ident_char(&self, i: usize) -> usize {
        match self.bytes.get(i) {
            Some(c) if c.is_ascii_alphanumeric() || *c == b'_' => 1,
            Some(&c) if c >= 0x80 => match self.text[i..].chars().next() {
                Some('\u{FEFF}') | None => 0,
                Some(ch) => ch.len_utf8(),
            },
            _ => 0,
        }
    }

    /// The end of the `ident` at `i`, or `i` when none starts there (`ident_start` is
    /// `ident_char` without the digits).
    fn ident_end(&self, i: usize) -> usize {
        if self.bytes.get(i).is_some_and(u8::is_ascii_digit) {
            return i;
        }
        let mut j = i;
        loop {
            let n = self.ident_char(j);
            if n == 0 {
                return j;
            }
            j += n;
        }
    }

    /// True when the case-insensitive keyword `kw` stands at `i`, not followed by an
    /// `ident_char` (every `kw_*` rule).
    fn keyword_at(&self, i: usize, kw: &str) -> bool {
        self.bytes
            .get(i..i + kw.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(kw.as_bytes()))
            && self.ident_char(i + kw.len()) == 0
    }

    /// Consume the keyword `kw` if it comes next.
    fn eat_keyword(&mut self, kw: &str) -> Option<bool> {
        self.skip()?;
        if self.keyword_at(self.pos, kw) {
            self.advance(self.pos + kw.len());
            return Some(true);
        }
        Some(false)
    }

    /// An identifier in any name role (`class_name`, `property_name`, `type_name`...).
    fn name(&mut self) -> Option<Ident> {
        self.skip()?;
        let start = self.pos;
        let end = self.ident_end(start);
        if end == start {
            return None;
        }
        self.advance(end);
        Some(Ident {
            span: Span::new(start, end),
            text: self.text[start..end].to_owned(),
        })
    }

    /// `alias_decl`'s `alias_ref`: `$Name`, giving the name without the `$`.
    fn alias(&mut self) -> Option<Ident> {
        self.skip()?;
        let start = self.pos;
        if self.bytes.get(start) != Some(&b'$') {
            return None;
        }
        let mut end = start + 1;
        loop {
            let n = self.ident_char(end);
            if n == 0 {
                break;
            }
            end += n;
        }
        if end == start + 1 {
            return None;
        }
        self.advance(end);
        Some(Ident {
            span: Span::new(start + 1, end),
            text: self.text[start + 1..end].to_owned(),
        })
    }

    /// `alias_decl?`: `as $Alias`.
    fn alias_decl(&mut self) -> Option<Option<Ident>> {
        if self.eat_keyword("as")? {
            return self.alias().map(Some);
        }
        Some(None)
    }

    /// One `flavor` keyword if it comes next.
    fn flavor(&mut self) -> Option<Option<Ident>> {
        self.skip()?;
        let start = self.pos;
        for kw in FLAVORS {
            if self.keyword_at(start, kw) {
                self.advance(start + kw.len());
                return Some(Some(Ident {
                    span: Span::new(start, self.end),
                    text: self.text[start..self.end].to_owned(),
                }));
            }
        }
        Some(None)
    }

    /// `flavor+`.
    fn flavors(&mut self) -> Option<Vec<Ident>> {
        let mut flavors = vec![self.flavor()??];
        while let Some(flavor) = self.flavor()? {
            flavors.push(flavor);
        }
        Some(flavors)
    }

    // ---- items ----------------------------------------------------------------------------

    /// `item = { pragma | qualifier_stmt | qualifier_list? ~ (class_decl | instance_decl) }`,
    /// at its first significant byte.
    fn item(&mut self) -> Option<ItemKind> {
        let start = self.pos;
        if self.bytes[start] == b'#' {
            return self.pragma().map(ItemKind::Pragma);
        }
        if self.keyword_at(start, "qualifier") {
            self.advance(start + "qualifier".len());
            return self.qualifier_stmt();
        }
        let qualifiers = self.qualifiers()?;
        if self.eat_keyword("class")? {
            let class = self.class(qualifiers)?;
            self.expect(b';')?;
            return Some(ItemKind::Class(class));
        }
        if self.eat_keyword("instance")? {
            let instance = self.instance(qualifiers)?;
            self.expect(b';')?;
            return Some(ItemKind::Instance(instance));
        }
        None
    }

    /// `pragma = { kw_pragma ~ pragma_name ~ (pragma_args | !"(") ~ ";"? }`.
    fn pragma(&mut self) -> Option<Pragma> {
        // kw_pragma = @{ "#" ~ (" " | "\t")* ~ ^"pragma" ~ !ident_char }
        let mut i = self.pos + 1;
        while matches!(self.bytes.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        if !self.keyword_at(i, "pragma") {
            return None;
        }
        self.advance(i + "pragma".len());
        let name = self.name()?;
        let mut args = Vec::new();
        if self.peek()? == b'(' {
            self.open(b'(')?;
            if self.peek()? != b')' {
                loop {
                    args.push(self.pragma_arg()?);
                    if !self.eat(b',')? {
                        break;
                    }
                }
            }
            self.close(b')')?;
        }
        self.eat(b';')?;
        Some(Pragma { name, args })
    }

    /// `pragma_arg = _{ string_value | pragma_word | number }`; a number is kept as a word.
    fn pragma_arg(&mut self) -> Option<PragmaArg> {
        let c = self.peek()?;
        if c == b'"' {
            let (span, value) = self.string_value()?;
            return Some(PragmaArg::String { span, value });
        }
        if self.ident_end(self.pos) > self.pos {
            return self.name().map(PragmaArg::Word);
        }
        let start = self.pos;
        let (end, _) = self.number(start)?;
        self.advance(end);
        Some(PragmaArg::Word(Ident {
            span: Span::new(start, end),
            text: self.text[start..end].to_owned(),
        }))
    }

    /// `qualifier_stmt = { kw_qualifier ~ qualifier_name ~ ":" ~ (flavor_stmt | qualifier_decl)
    /// ~ ";" }`, after the keyword.
    fn qualifier_stmt(&mut self) -> Option<ItemKind> {
        let name = self.name()?;
        self.expect(b':')?;
        if let Some(first) = self.flavor()? {
            // flavor_stmt = { flavor+ }
            let mut flavors = vec![first];
            while let Some(flavor) = self.flavor()? {
                flavors.push(flavor);
            }
            self.expect(b';')?;
            return Some(ItemKind::QualifierFlavor(QualifierFlavor { name, flavors }));
        }
        // qualifier_decl = { type_name ~ array_spec? ~ ("=" ~ value)?
        //                    ~ ("," ~ (scope_spec | flavor_spec))* }
        let data_type = self.name()?;
        let array = self.array_spec()?;
        let default = self.default()?;
        let (mut scope, mut flavor) = (Vec::new(), Vec::new());
        while self.eat(b',')? {
            if self.eat_keyword("scope")? {
                scope.extend(self.words()?);
            } else if self.eat_keyword("flavor")? {
                flavor.extend(self.words()?);
            } else {
                return None;
            }
        }
        self.expect(b';')?;
        Some(ItemKind::QualifierDecl(QualifierDecl {
            name,
            data_type,
            array,
            default,
            scope,
            flavor,
        }))
    }

    /// The `"(" ~ word ~ ("," ~ word)* ~ ")"` of `scope_spec` and `flavor_spec`.
    fn words(&mut self) -> Option<Vec<Ident>> {
        self.open(b'(')?;
        let mut words = vec![self.name()?];
        while self.eat(b',')? {
            words.push(self.name()?);
        }
        self.close(b')')?;
        Some(words)
    }

    /// `qualifier_list?`: empty when no `[` comes next.
    fn qualifiers(&mut self) -> Option<Qualifiers> {
        if self.peek()? != b'[' {
            return Some(Qualifiers::default());
        }
        // qualifier_list = { "[" ~ qualifier ~ ("," ~ qualifier)* ~ "]" }
        let start = self.pos;
        self.open(b'[')?;
        let mut list = vec![self.qualifier()?];
        while self.eat(b',')? {
            list.push(self.qualifier()?);
        }
        self.close(b']')?;
        Some(Qualifiers {
            span: Some(Span::new(start, self.end)),
            list,
        })
    }

    /// `qualifier = { qualifier_name ~ ("(" ~ value ~ ")" | array_value)? ~ flavor_list? }`.
    fn qualifier(&mut self) -> Option<Qualifier> {
        let name = self.name()?;
        let value = match self.peek()? {
            b'(' => {
                self.open(b'(')?;
                let value = self.value()?;
                self.close(b')')?;
                Some(value)
            }
            b'{' => Some(self.array_value()?),
            _ => None,
        };
        // flavor_list = _{ ":" ~ flavor+ }
        let flavors = if self.eat(b':')? {
            self.flavors()?
        } else {
            Vec::new()
        };
        Some(Qualifier {
            span: Span::new(name.span.start, self.end),
            name,
            value,
            flavors,
        })
    }

    // ---- classes --------------------------------------------------------------------------

    /// `class_decl` after `kw_class`, without its `;`:
    /// `class_name ~ alias_decl? ~ superclass? ~ class_body`.
    fn class(&mut self, qualifiers: Qualifiers) -> Option<Class> {
        let name = self.name()?;
        let alias = self.alias_decl()?;
        // superclass = _{ ":" ~ class_name }
        let superclass = if self.eat(b':')? {
            Some(self.name()?)
        } else {
            None
        };
        // class_body = { "{" ~ feature* ~ "}" }
        let start = self.skip().map(|()| self.pos)?;
        self.open(b'{')?;
        let mut features = Vec::new();
        while self.peek()? != b'}' {
            features.push(self.feature()?);
        }
        self.close(b'}')?;
        Some(Class {
            qualifiers,
            name,
            alias,
            superclass,
            body: Span::new(start, self.end),
            features,
        })
    }

    /// `feature = { qualifier_list? ~ data_type ~ property_name ~ (param_list | array_spec? ~
    /// ("=" ~ value)?) ~ ";" }`.
    fn feature(&mut self) -> Option<Feature> {
        let start = self.pos;
        let qualifiers = self.qualifiers()?;
        let data_type = self.data_type()?;
        let name = self.name()?;
        if self.peek()? == b'(' {
            // param_list = { "(" ~ (param ~ ("," ~ param)*)? ~ ")" }
            self.open(b'(')?;
            let mut params = Vec::new();
            if self.peek()? != b')' {
                params.push(self.param()?);
                while self.eat(b',')? {
                    params.push(self.param()?);
                }
            }
            self.close(b')')?;
            self.expect(b';')?;
            return Some(Feature::Method(Method {
                span: Span::new(start, self.end),
                qualifiers,
                return_type: data_type,
                name,
                params,
            }));
        }
        let array = self.array_spec()?;
        let default = self.default()?;
        self.expect(b';')?;
        Some(Feature::Property(Property {
            span: Span::new(start, self.end),
            qualifiers,
            data_type,
            name,
            array,
            default,
        }))
    }

    /// `data_type = _{ type_name ~ (kw_ref ~ &ident_start)? }`.
    fn data_type(&mut self) -> Option<DataType> {
        let name = self.name()?;
        self.skip()?;
        let at_ref = self.pos;
        let mut is_ref = false;
        if self.keyword_at(at_ref, "ref") {
            self.pos = at_ref + "ref".len();
            self.skip()?;
            let c = self.bytes.get(self.pos).copied().unwrap_or(0);
            if !c.is_ascii_digit() && self.ident_char(self.pos) > 0 {
                is_ref = true;
                self.end = at_ref + "ref".len();
            } else {
                // `ref` is the property's name.
                self.pos = at_ref;
            }
        }
        Some(DataType { name, is_ref })
    }

    /// `array_spec?`: `[]` or `[n]`.
    fn array_spec(&mut self) -> Option<Option<ArraySpec>> {
        if self.peek()? != b'[' {
            return Some(None);
        }
        self.open(b'[')?;
        self.skip()?;
        let start = self.pos;
        let digits = self.bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let spec = if digits == 0 {
            ArraySpec::Unbounded
        } else {
            // A size beyond u64 is an error the converter reports.
            let n = self.text[start..start + digits].parse().ok()?;
            self.advance(start + digits);
            ArraySpec::Fixed(n)
        };
        self.close(b']')?;
        Some(Some(spec))
    }

    /// `("=" ~ value)?`.
    fn default(&mut self) -> Option<Option<Value>> {
        if self.eat(b'=')? {
            return self.value().map(Some);
        }
        Some(None)
    }

    /// `param = { qualifier_list? ~ data_type ~ param_name ~ array_spec? ~ ("=" ~ value)? }`.
    fn param(&mut self) -> Option<Parameter> {
        self.skip()?;
        let start = self.pos;
        let qualifiers = self.qualifiers()?;
        let data_type = self.data_type()?;
        let name = self.name()?;
        let array = self.array_spec()?;
        let default = self.default()?;
        Some(Parameter {
            span: Span::new(start, self.end),
            qualifiers,
            data_type,
            name,
            array,
            default,
        })
    }

    // ---- instances ------------------------------------------------------------------------

    /// `instance_head ~ instance_body` after `kw_instance`:
    /// `kw_of ~ class_name ~ alias_decl? ~ "{" ~ property_value* ~ "}"`.
    fn instance(&mut self, qualifiers: Qualifiers) -> Option<Instance> {
        if !self.eat_keyword("of")? {
            return None;
        }
        let class_name = self.name()?;
        let alias = self.alias_decl()?;
        let start = self.skip().map(|()| self.pos)?;
        self.open(b'{')?;
        let mut properties = Vec::new();
        while self.peek()? != b'}' {
            properties.push(self.property_value()?);
        }
        self.close(b'}')?;
        Some(Instance {
            qualifiers,
            class_name,
            alias,
            body: Span::new(start, self.end),
            properties,
        })
    }

    /// `property_value = { qualifier_list? ~ property_name ~ ("=" ~ value)? ~ ";" }`.
    fn property_value(&mut self) -> Option<PropertyValue> {
        let start = self.pos;
        let qualifiers = self.qualifiers()?;
        let name = self.name()?;
        let value = self.default()?;
        self.expect(b';')?;
        Some(PropertyValue {
            span: Span::new(start, self.end),
            qualifiers,
            name,
            value,
        })
    }

    // ---- values ---------------------------------------------------------------------------

    /// `value = _{ string_value | number | array_value | alias_ref | char_lit | bool_lit |
    /// null_lit | instance_value | object_handle }`, each decided by its first byte.
    fn value(&mut self) -> Option<Value> {
        let c = self.peek()?;
        let start = self.pos;
        let kind = match c {
            b'"' => {
                let (span, value) = self.string_value()?;
                return Some(Value {
                    span,
                    kind: ValueKind::String(value),
                });
            }
            b'+' | b'-' | b'.' | b'0'..=b'9' => {
                let (end, number) = self.number(start)?;
                self.advance(end);
                number_value(&self.text[start..end], number)?
            }
            b'{' => return self.array_value(),
            b'$' => {
                let alias = self.alias()?;
                ValueKind::Alias(alias.text)
            }
            b'\'' => self.char_lit()?,
            b'[' => {
                let qualifiers = self.qualifiers()?;
                if !self.eat_keyword("instance")? {
                    return None;
                }
                ValueKind::Instance(Box::new(self.instance(qualifiers)?))
            }
            _ if self.eat_keyword("true")? => ValueKind::Boolean(true),
            _ if self.eat_keyword("false")? => ValueKind::Boolean(false),
            _ if self.eat_keyword("null")? => ValueKind::Null,
            // Were `instance_value` to fail here, pest would take `instance` as an object
            // handle; giving up instead is always safe.
            _ if self.eat_keyword("instance")? => {
                ValueKind::Instance(Box::new(self.instance(Qualifiers::default())?))
            }
            // object_handle = @{ ident }
            _ => ValueKind::Identifier(self.name()?.text),
        };
        Some(Value {
            span: Span::new(start, self.end),
            kind,
        })
    }

    /// `array_value = { "{" ~ (value ~ ("," ~ value)*)? ~ "}" }`.
    fn array_value(&mut self) -> Option<Value> {
        let start = self.skip().map(|()| self.pos)?;
        self.open(b'{')?;
        let mut values = Vec::new();
        if self.peek()? != b'}' {
            values.push(self.value()?);
            while self.eat(b',')? {
                values.push(self.value()?);
            }
        }
        self.close(b'}')?;
        Some(Value {
            span: Span::new(start, self.end),
            kind: ValueKind::Array(values),
        })
    }
}
