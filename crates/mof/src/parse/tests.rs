use super::*;
use crate::syntax::{Feature, PragmaArg, ValueKind};

fn ok(text: &str) -> Document {
    let parsed = parse(text);
    assert!(parsed.errors.is_empty(), "{:#?}", parsed.errors);
    let tiled: String = parsed.document.tiles().map(|s| s.slice(text)).collect();
    assert_eq!(tiled, text);
    parsed.document
}

#[test]
fn sms_def_basics() {
    let text = r#"// header
#pragma namespace ("\\\\.\\root\\CIMV2\\sms")
#pragma deleteclass("Foo", NOFAIL)
[ SMS_Report (TRUE), SMS_Group_Name ("Foo"), SMS_Class_ID ("CORP|FOO|1.0") ]
class Foo : SMS_Class_Template
{
    [SMS_Report (TRUE), key] string Name;
    [SMS_Report (FALSE)] uint32 Count[] = {1, 0x1F, 010, 101b, -2};
};
"#;
    let doc = ok(text);
    assert_eq!(doc.items.len(), 3);
    let ns = doc.items[2].namespace.as_ref().unwrap();
    assert_eq!(ns.normalized, r"root\cimv2\sms");
    assert_eq!(ns.raw, r"\\.\root\CIMV2\sms");
    let ItemKind::Pragma(p) = &doc.items[1].kind else {
        panic!()
    };
    assert!(matches!(&p.args[1], PragmaArg::Word(w) if w.text == "NOFAIL"));
    let (_, class) = doc.classes().next().unwrap();
    assert_eq!(class.name.text, "Foo");
    assert_eq!(
        class.superclass.as_ref().unwrap().text,
        "SMS_Class_Template"
    );
    let props: Vec<_> = class.properties().collect();
    let Some(v) = &props[1].default else { panic!() };
    let ValueKind::Array(vals) = &v.kind else {
        panic!()
    };
    let ints: Vec<_> = vals
        .iter()
        .map(|v| match v.kind {
            ValueKind::Integer(i) => i.unwrap(),
            _ => panic!(),
        })
        .collect();
    assert_eq!(ints, [1, 31, 8, 5, -2]);
}

#[test]
fn dynprops_instance_and_methods() {
    let text = r#"instance of __Win32Provider as $PropProv
{
    Name = "RegPropProv";
    Clsid = "{72967901-68EC-11d0-B729-00AA0062CBB7}";
};
[DYNPROPS]
instance of Win32Reg_Asset
{
    KeyName = "x";
    [PropertyContext("local|HKEY_LOCAL_MACHINE\\SOFTWARE|Tag"), Dynamic, Provider("RegPropProv")] AssetTag;
};
class M { [static] uint32 Go([in] string a = "x", [out] object ref b[]); Disk ref PathToDisk; };
"#;
    let doc = ok(text);
    let (_, inst) = doc.instances().nth(1).unwrap();
    assert!(inst.qualifiers.has("dynprops"));
    assert!(inst.properties[1].value.is_none());
    let (_, class) = doc.classes().next().unwrap();
    let Feature::Method(m) = &class.features[0] else {
        panic!()
    };
    assert_eq!(m.params.len(), 2);
    assert!(m.params[1].data_type.is_ref);
    let prop = class.properties().next().unwrap();
    assert!(prop.data_type.is_ref);
    assert_eq!(prop.data_type.name.text, "Disk");
}

#[test]
fn errors_resynchronise_at_the_next_item() {
    let text = "class A { string x };\nclass B { string y; };\nclass C { string z };\n";
    let parsed = parse(text);
    assert_eq!(parsed.errors.len(), 2, "{:#?}", parsed.errors);
    assert_eq!(
        parsed.errors[0].to_string(),
        "expected one of `(`, `;`, `=`, `[`, found `}`",
    );
    let kinds: Vec<_> = parsed
        .document
        .items
        .iter()
        .map(|i| matches!(i.kind, ItemKind::Error))
        .collect();
    assert_eq!(kinds, [true, false, true]);
    let tiled: String = parsed.document.tiles().map(|s| s.slice(text)).collect();
    assert_eq!(tiled, text);
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    let text = format!(
        "class A {{ [Q({}1{})] string x; }};\nclass B {{}};\n",
        "{".repeat(depth),
        "}".repeat(depth)
    );
    let parsed = parse(&text);
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].code(), "E0007");
    assert!(matches!(parsed.document.items[1].kind, ItemKind::Class(_)));
    // Right at the limit still parses (in a debug build, on a test thread's stack).
    let ok_depth = MAX_NESTING - 3;
    let text = format!(
        "class A {{ [Q({}1{})] string x; }};",
        "{".repeat(ok_depth),
        "}".repeat(ok_depth)
    );
    let parsed = parse(&text);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
}

#[test]
fn spans_exclude_trivia_pest_skipped_for_optional_tails() {
    let text = "#pragma autorecover // note\n[A /* c */ , B(\"x\" /* d */) ]\nclass C { uint32 M([in] string p /* e */); };";
    let doc = ok(text);
    assert_eq!(doc.items[0].span.slice(text), "#pragma autorecover");
    let (_, class) = doc.classes().next().unwrap();
    let q: Vec<_> = class
        .qualifiers
        .list
        .iter()
        .map(|q| q.span.slice(text))
        .collect();
    assert_eq!(q, ["A", "B(\"x\" /* d */)"]);
    let v = class.qualifiers.list[1].value.as_ref().unwrap();
    assert_eq!(v.span.slice(text), "\"x\"");
    let Feature::Method(m) = &class.features[0] else {
        panic!()
    };
    assert_eq!(m.params[0].span.slice(text), "[in] string p");
}

/// Found by the differential fuzzer: a `//` comment running to the end of the file without a
/// newline ends in any character, and pest's path kept it in the pragma's span.
#[test]
fn line_comment_at_end_of_file_is_trailing_trivia() {
    let text = "// head\n#pragma na// Eve";
    let doc = ok(text);
    assert_eq!(doc.items[0].span.slice(text), "#pragma na");
    assert_eq!(doc.trailing.slice(text), "// Eve");
    let text = "class A {}; // \"quoted // not a comment start\"";
    let doc = ok(text);
    assert_eq!(doc.items[0].span.slice(text), "class A {};");
}

#[test]
fn namespace_pragma_carries_the_namespace_it_sets() {
    let doc = ok("class A {};\n#pragma namespace(\"root/WMI\")\nclass B {};");
    let ns: Vec<_> = doc
        .items
        .iter()
        .map(|i| i.namespace.as_ref().map(|n| n.normalized.clone()))
        .collect();
    assert_eq!(
        ns,
        [
            None,
            Some(r"root\wmi".to_owned()),
            Some(r"root\wmi".to_owned())
        ]
    );
}
