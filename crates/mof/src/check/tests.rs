use super::*;

fn codes(text: &str) -> Vec<String> {
    let set = SourceSet::from_sources(&[("t.mof", text.as_bytes())]);
    check(&set)
        .iter()
        .map(|d| format!("{} {}", d.code(), d.kind))
        .collect()
}

const SMS: &str = "#pragma namespace(\"\\\\\\\\.\\\\root\\\\cimv2\\\\sms\")\n";
const CIMV2: &str = "#pragma namespace(\"\\\\\\\\.\\\\root\\\\cimv2\")\n";

#[test]
fn clean_file_has_no_diagnostics() {
    let text = format!(
        "{CIMV2}[DYNPROPS] class Asset {{ [key] string Name; uint32 Count = 3; }};\n\
         {SMS}class SMS_Class_Template {{}};\n\
         [SMS_Report(TRUE), SMS_Group_Name(\"Asset\"), SMS_Class_ID(\"CONTOSO|ASSET|1.0\")]\n\
         class Asset : SMS_Class_Template {{ [SMS_Report(TRUE), key] string Name; [SMS_Report(TRUE)] uint32 Count; }};\n"
    );
    assert_eq!(codes(&text), Vec::<String>::new());
}

#[test]
fn duplicate_class_is_reset_by_deleteclass() {
    let text = "class A {};\nclass A {};\n#pragma deleteclass(\"A\", NOFAIL)\nclass A {};\n";
    assert_eq!(
        codes(text),
        ["W0103 class `A` is declared again in namespace (none): the second declaration replaces the first"]
    );
}

#[test]
fn duplicate_members_and_qualifiers() {
    let text = "[Abstract, abstract] class A { string P; uint32 p; void M([in] string x, [in] string X); };\n\
                instance of A { P = \"a\"; P = \"b\"; };\n";
    assert_eq!(
        codes(text),
        [
            "E0103 qualifier `abstract` appears twice in one qualifier list",
            "E0102 `p` is declared twice in `A`",
            "E0102 `X` is declared twice in `A.M`",
            "E0102 `P` is declared twice in `instance of A`",
        ]
    );
}

#[test]
fn aliases_must_be_defined() {
    let text = "instance of __Win32Provider as $P { Name = \"X\"; };\n\
                instance of __InstanceProviderRegistration { Provider = $P; };\n\
                instance of __InstanceProviderRegistration { Provider = $Q; };\n\
                instance of Foo as $P { };\n";
    assert_eq!(
        codes(text),
        [
            "E0104 alias `$Q` is used but never defined",
            "W0101 alias `$P` is defined twice",
        ]
    );
}

#[test]
fn pragmas_are_validated() {
    let text = "#pragma frobnicate(\"x\")\n#pragma deleteclass(\"A\")\n#pragma classflags(\"forceupdate\", \"bogus\")\n\
                #pragma autorecover\n#pragma namespace(\"\\\\\\\\.\\\\root\\\\CINV2\")\n";
    assert_eq!(
        codes(text),
        [
            "E0105 unknown pragma `frobnicate`",
            "E0106 `#pragma deleteclass` expects a quoted name and FAIL or NOFAIL",
            "E0106 `#pragma classflags` expects one or more of \"createonly\", \"updateonly\", \"safeupdate\", \"forceupdate\", or a number",
            "W0201 namespace `\\\\.\\root\\CINV2` misspells cimv2 as cinv2; treated as `root\\cimv2`",
        ]
    );
}

#[test]
fn values_must_fit_their_types() {
    let text = "class A { uint8 Small = 300; string S = 5; uint32 Arr[] = 1; boolean B = {true}; real32 R = 2; };\n\
                instance of A { Small = \"x\"; S = \"ok\"; Arr = {1, 2}; };\n";
    assert_eq!(
        codes(text),
        [
            "E0108 300 is out of range for `Small` of type `uint8`",
            "E0107 `S` is declared `string` but is given an integer",
            "W0102 `Arr` is an array but is given a single value",
            "E0109 `B` is not an array but is given an array value",
            "E0107 `Small` is declared `uint8` but is given a string",
        ]
    );
}

#[test]
fn embedded_instances_fit_embedded_string_properties() {
    let text = "class E { string S; };\n\
                class A { [key] string K; [EmbeddedInstance(\"E\")] string Inner; string Plain; };\n\
                instance of A { K = \"k\"; Inner = instance of E { S = \"x\"; }; Plain = instance of E { }; };\n";
    assert_eq!(
        codes(text),
        ["E0107 `Plain` is declared `string` but is given an embedded instance"]
    );
}

#[test]
fn sms_reporting_class_rules() {
    let text = format!(
        "{CIMV2}class Asset {{ [key] string Name; uint32 Count; }};\n\
         {SMS}class SMS_Class_Template {{}};\n\
         [SMS_Report(FALSE), SMS_Group_Name(\"Asset\"), SMS_Class_ID(\"ASSET\")]\n\
         class Asset : SMS_Class_Template {{ [SMS_Report(TRUE), key] string Name; [SMS_Report(TRUE), key] string Count; [SMS_Report(TRUE)] string Extra; }};\n\
         [SMS_Report(TRUE), SMS_Group_Name(\"Asset\"), SMS_Class_ID(\"ASSET\")]\n\
         class Other {{ }};\n\
         [SMS_Report(TRUE)] class NoId : SMS_Class_Template {{ }};\n"
    );
    assert_eq!(
        codes(&text),
        [
            "W0309 `Asset` is not reported (SMS_Report(FALSE)) but reports Extra",
            "W0302 SMS_Class_ID \"ASSET\" of `Asset` is not of the form VENDOR|NAME|VERSION",
            "W0308 keys of `Asset` differ: reporting class [Name, Count], data class [Name]",
            "W0307 `Asset.Count` is `string` in the reporting class but `uint32` in the data class",
            "W0306 reporting class `Asset` has property `Extra` that its data class lacks",
            "W0304 SMS_Group_Name \"Asset\" of `Other` is already used by `Asset`",
            "W0302 SMS_Class_ID \"ASSET\" of `Other` is not of the form VENDOR|NAME|VERSION",
            "W0303 SMS_Class_ID \"ASSET\" of `Other` is already used by `Asset`",
            "W0305 reporting class `Other` does not derive from SMS_Class_Template",
            "W0301 reporting class `NoId` has no SMS_Class_ID",
        ]
    );
}

#[test]
fn inherited_data_properties_are_not_reported_missing() {
    let text = format!(
        "{CIMV2}class Asset : CIM_Unknown {{ string Own; }};\n\
         {SMS}[SMS_Report(TRUE), SMS_Class_ID(\"A|B|1\")]\n\
         class Asset : SMS_Class_Template {{ [SMS_Report(TRUE)] string Inherited; }};\n"
    );
    assert_eq!(codes(&text), Vec::<String>::new());
}

#[test]
fn syntax_errors_keep_the_parser_code() {
    let diags = codes("class A { string P };\n");
    assert!(diags.iter().any(|d| d.starts_with("E000")), "{diags:?}");
}
