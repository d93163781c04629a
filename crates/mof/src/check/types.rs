//! Does a value fit its declared type? (E0107 type mismatch, E0108 out of range, E0109 array
//! for a scalar, W0102 scalar for an array.)
//!
//! Only what `mofcomp` rejects is an error: a string where a number is declared, a number where
//! a string is, an integer outside its type's range. `null` fits everything, and an alias fits
//! everything (it names an object the compiler resolves later). Types the checker does not
//! know (anything but the DMTF intrinsic types) are not checked.

use crate::diagnostic::{Diagnostic, DiagnosticKind, FileId};
use crate::syntax::{
    ArraySpec, DataType, Ident, Parameter, Property, Qualifiers, Value, ValueKind,
};

/// A declared type: name, reference or not, array or not.
pub(super) struct Declared<'a> {
    name: &'a str,
    is_ref: bool,
    array: bool,
    /// `[EmbeddedInstance("X")]` or `[EmbeddedObject]` on a string: an embedded instance fits.
    embedded: bool,
}

impl<'a> Declared<'a> {
    fn new(data_type: &'a DataType, array: Option<ArraySpec>, qualifiers: &Qualifiers) -> Self {
        Self {
            name: &data_type.name.text,
            is_ref: data_type.is_ref,
            array: array.is_some(),
            embedded: qualifiers.has("EmbeddedInstance") || qualifiers.has("EmbeddedObject"),
        }
    }

    pub(super) fn of_property(p: &'a Property) -> Self {
        Self::new(&p.data_type, p.array, &p.qualifiers)
    }

    pub(super) fn of_parameter(p: &'a Parameter) -> Self {
        Self::new(&p.data_type, p.array, &p.qualifiers)
    }

    pub(super) fn of_qualifier(name: &'a Ident, array: Option<ArraySpec>) -> Self {
        Self {
            name: &name.text,
            is_ref: false,
            array: array.is_some(),
            embedded: false,
        }
    }

    /// The type as written, `ref` and `[]` included.
    fn text(&self) -> String {
        let mut s = self.name.to_owned();
        if self.is_ref {
            s.push_str(" ref");
        }
        if self.array {
            s.push_str("[]");
        }
        s
    }
}

/// The intrinsic types, lower-case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Intrinsic {
    Int { min: i128, max: i128 },
    Real,
    String,
    Boolean,
    Datetime,
    Char16,
    Object,
    Reference,
}

fn intrinsic(decl: &Declared<'_>) -> Option<Intrinsic> {
    if decl.is_ref {
        return Some(Intrinsic::Reference);
    }
    let int = |min: i128, max: i128| Some(Intrinsic::Int { min, max });
    match decl.name.to_ascii_lowercase().as_str() {
        "uint8" => int(0, u8::MAX.into()),
        "sint8" => int(i8::MIN.into(), i8::MAX.into()),
        "uint16" => int(0, u16::MAX.into()),
        "sint16" => int(i16::MIN.into(), i16::MAX.into()),
        "uint32" => int(0, u32::MAX.into()),
        "sint32" => int(i32::MIN.into(), i32::MAX.into()),
        "uint64" => int(0, u64::MAX.into()),
        "sint64" => int(i64::MIN.into(), i64::MAX.into()),
        "real32" | "real64" => Some(Intrinsic::Real),
        "string" => Some(Intrinsic::String),
        "boolean" => Some(Intrinsic::Boolean),
        "datetime" => Some(Intrinsic::Datetime),
        "char16" => Some(Intrinsic::Char16),
        "object" => Some(Intrinsic::Object),
        _ => None,
    }
}

/// What a value is, for messages.
fn found(kind: &ValueKind) -> &'static str {
    match kind {
        ValueKind::Integer(_) => "an integer",
        ValueKind::Real(_) => "a real number",
        ValueKind::String(_) => "a string",
        ValueKind::Char(_) => "a char16 literal",
        ValueKind::Boolean(_) => "a boolean",
        ValueKind::Null => "null",
        ValueKind::Alias(_) => "an alias",
        ValueKind::Array(_) => "an array",
        ValueKind::Instance(_) => "an embedded instance",
        _ => "a value",
    }
}

/// Check `value` against `decl`, pushing what does not fit.
pub(super) fn check_value(
    decl: &Declared<'_>,
    property: &str,
    value: &Value,
    file: FileId,
    out: &mut Vec<Diagnostic>,
) {
    match (&value.kind, decl.array) {
        (ValueKind::Null | ValueKind::Alias(_), _) => {}
        (ValueKind::Array(_), false) => {
            let kind = DiagnosticKind::ArrayForScalar {
                property: property.to_owned(),
            };
            out.push(Diagnostic::new(kind, file, value.span));
        }
        (ValueKind::Array(items), true) => {
            for item in items {
                check_scalar(decl, property, item, file, out);
            }
        }
        (_, true) => {
            let kind = DiagnosticKind::ScalarForArray {
                property: property.to_owned(),
            };
            out.push(Diagnostic::new(kind, file, value.span));
            check_scalar(decl, property, value, file, out);
        }
        (_, false) => check_scalar(decl, property, value, file, out),
    }
}

fn check_scalar(
    decl: &Declared<'_>,
    property: &str,
    value: &Value,
    file: FileId,
    out: &mut Vec<Diagnostic>,
) {
    let Some(ty) = intrinsic(decl) else { return };
    let fits = match (&value.kind, ty) {
        (ValueKind::Null | ValueKind::Alias(_), _) => true,
        (ValueKind::Integer(n), Intrinsic::Int { min, max }) => {
            if !n.is_some_and(|n| (min..=max).contains(&n)) {
                let kind = DiagnosticKind::OutOfRange {
                    property: property.to_owned(),
                    declared: decl.text(),
                    value: n.map_or_else(|| "the value".to_owned(), |n| n.to_string()),
                };
                out.push(Diagnostic::new(kind, file, value.span));
            }
            true
        }
        (ValueKind::Integer(_) | ValueKind::Real(_), Intrinsic::Real)
        | (ValueKind::String(_), Intrinsic::String | Intrinsic::Datetime | Intrinsic::Reference)
        | (ValueKind::Boolean(_), Intrinsic::Boolean)
        | (ValueKind::Char(_) | ValueKind::Integer(_), Intrinsic::Char16)
        | (ValueKind::Instance(_), Intrinsic::Object) => true,
        (ValueKind::Instance(_), Intrinsic::String) => decl.embedded,
        (ValueKind::String(s), Intrinsic::Char16) => s.chars().count() == 1,
        _ => false,
    };
    if !fits {
        let kind = DiagnosticKind::TypeMismatch {
            property: property.to_owned(),
            declared: decl.text(),
            found: found(&value.kind),
        };
        out.push(Diagnostic::new(kind, file, value.span));
    }
}
