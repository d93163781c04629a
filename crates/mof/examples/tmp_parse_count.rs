fn walk(d: &std::path::Path, out: &mut Vec<String>) {
    let mut v: Vec<_> = std::fs::read_dir(d).unwrap().map(|e| e.unwrap().path()).collect();
    v.sort();
    for p in v {
        if p.is_dir() { walk(&p, out) } else if p.extension().is_some_and(|e| e == "mof") {
            out.push(smsmig_mof::SourceFile::decode(&std::fs::read(&p).unwrap()).text);
        }
    }
}
fn main() {
    let mut texts = Vec::new();
    walk(std::path::Path::new("/work/shared/corpus/cim_schema/pywbem__pywbem__tests__schema__cim_schema_2.49.0Final-MOFs.zip"), &mut texts);
    let mut n = 0;
    for t in &texts { n += smsmig_mof::parse(t).document.items.len(); }
    println!("{n}");
}
