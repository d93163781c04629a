use smsmig_migrate::inventory::synth::sample;
use smsmig_migrate::plan::{plan, verify, Target};

#[test]
fn scratch() {
    let inv = sample();
    for c in inv.clients.iter().filter(|c| c.name.starts_with("HOU-SRV")) { eprintln!("{}", c.name); }
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/plan/sample.toml")).unwrap();
    let target = match Target::parse(&text, &inv) { Ok(t) => t, Err(e) => { for x in e { eprintln!("{x} {:?}", x.span()); } panic!() } };
    let p = plan(&inv, &target);
    for s in &p.steps { eprintln!("{:3} {:?} {:?} {} {:?} deps={:?}", s.seq, s.phase, s.wave, s.action.name(), s.action.site(), s.depends_on); }
    for f in &p.findings { eprintln!("{} {} {:?}: {}", f.severity, f.code(), f.site, f.kind); }
    let v = verify(&inv, &p);
    for x in &v.violations { eprintln!("VIOLATION {x}"); }
    eprintln!("{}", v.after.render());
}
