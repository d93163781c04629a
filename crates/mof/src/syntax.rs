//! The lossless syntax tree (DESIGN §3.3).
//!
//! A [`Document`] is a list of top-level [`Item`]s. Each item owns the trivia (comments, blank
//! lines) directly above it as its `leading` span; the text after the last item is the document's
//! `trailing` span. `leading`, `span` of every item and `trailing` tile the whole decoded text, so
//! printing an unedited document is copying its text, and copying an item is copying its slice.
//! Nodes keep spans into the text plus the decoded values their meaning needs (names, literal
//! values); nothing is ever re-printed from the tree.

use serde::Serialize;

use crate::span::Span;

/// A parsed MOF text.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Document {
    /// Top-level items in source order.
    pub items: Vec<Item>,
    /// Trivia after the last item (comments, blank lines, an unterminated tail).
    pub trailing: Span,
}

impl Document {
    /// Every span that tiles the text, in order: each item's `leading` and `span`, then `trailing`.
    pub fn tiles(&self) -> impl Iterator<Item = Span> + '_ {
        self.items
            .iter()
            .flat_map(|item| [item.leading, item.span])
            .chain(std::iter::once(self.trailing))
    }

    /// Classes declared at top level.
    pub fn classes(&self) -> impl Iterator<Item = (&Item, &Class)> + '_ {
        self.items.iter().filter_map(|item| match &item.kind {
            ItemKind::Class(class) => Some((item, class)),
            _ => None,
        })
    }

    /// Instances declared at top level.
    pub fn instances(&self) -> impl Iterator<Item = (&Item, &Instance)> + '_ {
        self.items.iter().filter_map(|item| match &item.kind {
            ItemKind::Instance(instance) => Some((item, instance)),
            _ => None,
        })
    }
}

/// A top-level production with the trivia above it.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    /// Comments and whitespace between the previous item and this one.
    pub leading: Span,
    /// The item itself, from its first token through its terminating `;` (or, for a pragma,
    /// its closing parenthesis; for an unparsable region, up to where parsing resynchronised).
    pub span: Span,
    /// What the item is.
    pub kind: ItemKind,
    /// The namespace in force where the item appears; `None` before any `#pragma namespace`.
    pub namespace: Option<Namespace>,
}

/// The kinds of top-level item.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ItemKind {
    /// `#pragma name(args)`.
    Pragma(Pragma),
    /// `class X : Super { ... };`.
    Class(Class),
    /// `instance of X [as $A] { ... };`.
    Instance(Instance),
    /// DMTF `qualifier X : type = value, scope(...), flavor(...);`.
    QualifierDecl(QualifierDecl),
    /// WMI qualifier-flavor statement `Qualifier Description : ToSubClass Amended;`.
    QualifierFlavor(QualifierFlavor),
    /// A region that failed to parse; its errors are in [`crate::Parsed::errors`].
    Error,
}

/// A namespace path as written, with its normalised form for comparison.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Namespace {
    /// The decoded path as written in the pragma (escapes resolved), e.g. `\\.\root\cimv2`.
    pub raw: String,
    /// Lower-case, server prefix removed, `/` turned into `\`, e.g. `root\cimv2\sms`.
    pub normalized: String,
}

/// An identifier with its span. `text` is the identifier as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Ident {
    /// Where it is written.
    pub span: Span,
    /// The identifier as written (original case).
    pub text: String,
}

impl Ident {
    /// Case-insensitive comparison, as MOF compares names.
    #[must_use]
    pub fn is(&self, name: &str) -> bool {
        self.text.eq_ignore_ascii_case(name)
    }
}

/// A `#pragma`.
#[derive(Clone, Debug, Serialize)]
pub struct Pragma {
    /// The pragma name as written (`namespace`, `NAMESPACE`, `deleteclass`...).
    pub name: Ident,
    /// Arguments inside the parentheses; empty for `#pragma autorecover`.
    pub args: Vec<PragmaArg>,
}

impl Pragma {
    /// The first argument when it is a string.
    #[must_use]
    pub fn first_string(&self) -> Option<&str> {
        match self.args.first() {
            Some(PragmaArg::String { value, .. }) => Some(value),
            _ => None,
        }
    }
}

/// One pragma argument.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PragmaArg {
    /// A string literal (adjacent literals concatenated, escapes resolved).
    String {
        /// Where it is written.
        span: Span,
        /// Decoded value.
        value: String,
    },
    /// A bare word such as `FAIL` or `NOFAIL`.
    Word(Ident),
}

/// A qualifier use `Name(value) : Flavor Flavor` or `Name{a, b}`.
#[derive(Clone, Debug, Serialize)]
pub struct Qualifier {
    /// The whole qualifier including flavors.
    pub span: Span,
    /// Qualifier name.
    pub name: Ident,
    /// The value in parentheses or braces; `None` for a bare qualifier such as `Key`.
    pub value: Option<Value>,
    /// Flavors after `:`.
    pub flavors: Vec<Ident>,
}

/// A bracketed qualifier list `[A, B(1)]`; empty when absent.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Qualifiers {
    /// The brackets and everything between; `None` when there is no list.
    pub span: Option<Span>,
    /// The qualifiers in order.
    pub list: Vec<Qualifier>,
}

impl Qualifiers {
    /// The first qualifier with this name (case-insensitive).
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Qualifier> {
        self.list.iter().find(|q| q.name.is(name))
    }

    /// True when a qualifier of this name is present.
    #[must_use]
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

/// A class declaration.
#[derive(Clone, Debug, Serialize)]
pub struct Class {
    /// Qualifiers before `class`.
    pub qualifiers: Qualifiers,
    /// Class name.
    pub name: Ident,
    /// `as $Alias`, without the `$`.
    pub alias: Option<Ident>,
    /// `: Superclass`.
    pub superclass: Option<Ident>,
    /// From `{` through `}`.
    pub body: Span,
    /// Properties and methods in order.
    pub features: Vec<Feature>,
}

impl Class {
    /// Properties, in order.
    pub fn properties(&self) -> impl Iterator<Item = &Property> + '_ {
        self.features.iter().filter_map(|f| match f {
            Feature::Property(p) => Some(p),
            Feature::Method(_) => None,
        })
    }

    /// Methods, in order.
    pub fn methods(&self) -> impl Iterator<Item = &Method> + '_ {
        self.features.iter().filter_map(|f| match f {
            Feature::Method(m) => Some(m),
            Feature::Property(_) => None,
        })
    }
}

/// A class feature.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Feature {
    /// A property (including references).
    Property(Property),
    /// A method.
    Method(Method),
}

/// A data type as written: a built-in type name (`string`, `uint32`, `datetime`, `object`...)
/// or, for references, the referenced class.
#[derive(Clone, Debug, Serialize)]
pub struct DataType {
    /// The type name as written.
    pub name: Ident,
    /// True for `ClassName ref Prop`.
    pub is_ref: bool,
}

/// Array suffix of a property or parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "size", rename_all = "snake_case")]
pub enum ArraySpec {
    /// `[]`.
    Unbounded,
    /// `[n]`.
    Fixed(u64),
}

/// A property declaration in a class.
#[derive(Clone, Debug, Serialize)]
pub struct Property {
    /// Through the terminating `;`.
    pub span: Span,
    /// Qualifiers on the property.
    pub qualifiers: Qualifiers,
    /// Declared type.
    pub data_type: DataType,
    /// Property name.
    pub name: Ident,
    /// Array suffix.
    pub array: Option<ArraySpec>,
    /// `= value`.
    pub default: Option<Value>,
}

/// A method declaration.
#[derive(Clone, Debug, Serialize)]
pub struct Method {
    /// Through the terminating `;`.
    pub span: Span,
    /// Qualifiers on the method.
    pub qualifiers: Qualifiers,
    /// Return type.
    pub return_type: DataType,
    /// Method name.
    pub name: Ident,
    /// Parameters in order.
    pub params: Vec<Parameter>,
}

/// A method parameter.
#[derive(Clone, Debug, Serialize)]
pub struct Parameter {
    /// The whole parameter.
    pub span: Span,
    /// Qualifiers such as `[in, out]`.
    pub qualifiers: Qualifiers,
    /// Declared type.
    pub data_type: DataType,
    /// Parameter name.
    pub name: Ident,
    /// Array suffix.
    pub array: Option<ArraySpec>,
    /// Default value.
    pub default: Option<Value>,
}

/// An `instance of` declaration (also used for embedded instance values).
#[derive(Clone, Debug, Serialize)]
pub struct Instance {
    /// Qualifiers before `instance of`.
    pub qualifiers: Qualifiers,
    /// The class this is an instance of.
    pub class_name: Ident,
    /// `as $Alias`, without the `$`.
    pub alias: Option<Ident>,
    /// From `{` through `}`.
    pub body: Span,
    /// Property assignments in order.
    pub properties: Vec<PropertyValue>,
}

impl Instance {
    /// The value assigned to property `name` (case-insensitive).
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.properties
            .iter()
            .find(|p| p.name.is(name))
            .and_then(|p| p.value.as_ref())
    }
}

/// `[quals] Name = value;` or, in the WMI `[DYNPROPS]` pattern, `[quals] Name;` with no value.
#[derive(Clone, Debug, Serialize)]
pub struct PropertyValue {
    /// Through the terminating `;`.
    pub span: Span,
    /// Qualifiers on the assignment.
    pub qualifiers: Qualifiers,
    /// Property name.
    pub name: Ident,
    /// Assigned value; `None` for a qualified property without value.
    pub value: Option<Value>,
}

/// A literal or compound value.
#[derive(Clone, Debug, Serialize)]
pub struct Value {
    /// Where it is written (for concatenated strings, from the first literal to the last).
    pub span: Span,
    /// What it is.
    pub kind: ValueKind,
}

/// The kinds of value.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ValueKind {
    /// Decimal, hex, octal or binary integer; `None` when it does not fit in an `i128`.
    Integer(Option<i128>),
    /// Real number.
    Real(f64),
    /// String (adjacent literals concatenated, escapes resolved).
    String(String),
    /// `'c'` char16 literal.
    Char(char),
    /// `true` / `false` in any case.
    Boolean(bool),
    /// `null` in any case.
    Null,
    /// `$Alias` reference, without the `$`.
    Alias(String),
    /// `{a, b}`; empty for `{}`.
    Array(Vec<Value>),
    /// Embedded `instance of X { ... }`.
    Instance(Box<Instance>),
    /// A bare identifier: DSP0004's object handle initialising a reference, which pywbem
    /// accepts (`SystemCreationClassName = CIM_ComputerSystem;`); mofcomp does not.
    Identifier(String),
}

/// DMTF qualifier declaration `qualifier Name : type[] = default, scope(...), flavor(...);`.
#[derive(Clone, Debug, Serialize)]
pub struct QualifierDecl {
    /// Qualifier name.
    pub name: Ident,
    /// Declared type.
    pub data_type: Ident,
    /// Array suffix.
    pub array: Option<ArraySpec>,
    /// Default value.
    pub default: Option<Value>,
    /// Words inside `scope(...)`.
    pub scope: Vec<Ident>,
    /// Words inside `flavor(...)`.
    pub flavor: Vec<Ident>,
}

/// WMI qualifier-flavor statement `Qualifier Name : Flavor ...;`.
#[derive(Clone, Debug, Serialize)]
pub struct QualifierFlavor {
    /// Qualifier name.
    pub name: Ident,
    /// Flavors after `:`.
    pub flavors: Vec<Ident>,
}
