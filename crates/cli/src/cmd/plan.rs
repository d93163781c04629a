//! `smsmig plan`: plan a side-by-side migration, verify it, show it, write its artifacts.
//!
//! Default: a dry run — the steps, the findings, a unified diff of the hierarchy before and
//! after (which site holds which boundary, clients per site) and the verifier's verdict. With
//! `--out DIR` the artifacts are written too, but only for a plan that passes verification and
//! has no error findings; existing files are replaced only with `--force` (each keeps a backup).
//!
//! Exit codes: 0 plan verified without error findings; 1 error findings or a failed
//! verification; 2 unreadable inventory or target, invalid target, or artifacts in the way.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use annotate_snippets::{Level, Renderer, Snippet};
use anyhow::Context as _;
use serde::Serialize;
use serde_json::{json, Value};
use smsmig_migrate::inventory::{
    load_dir, BoundaryKind, Inventory, RoamingKind, Severity, SiteCode,
};
use smsmig_migrate::plan::describe::{dependencies, describe, plain};
use smsmig_migrate::plan::{
    artifacts, plan, verify, Action, Artifact, BoundaryRef, Connection, HierarchyState, NewSite,
    ObjectKind, ObjectRef, Phase, Plan, SiteStatus, Step, Target, TargetError, Verification,
    ViolationKind, WaveInfo,
};

use crate::args::PlanArgs;
use crate::diff::unified_sections;
use crate::output::{Exit, Output};
use crate::write::write_atomic;

pub(crate) fn run(args: PlanArgs, out: &mut Output) -> anyhow::Result<Exit> {
    let inv = load_dir(&args.inventory)
        .with_context(|| format!("loading inventory {}", args.inventory.display()))?
        .inventory;
    let text = std::fs::read_to_string(&args.target)
        .with_context(|| format!("reading {}", args.target.display()))?;
    let target = match Target::parse(&text, &inv) {
        Ok(t) => t,
        Err(errors) => return target_errors(out, &args.target, &text, &errors),
    };
    let plan = plan(&inv, &target);
    let verification = verify(&inv, &plan);
    let failed = !verification.passed() || plan.error_count() > 0;
    let written = match (&args.out, failed) {
        (Some(dir), false) => {
            let files = artifacts(&inv, &plan, &verification)?;
            match write_all(dir, &files, args.force)? {
                Some(paths) => paths,
                None => return Ok(Exit::Usage),
            }
        }
        _ => Vec::new(),
    };
    if out.json() {
        out.write_json(&document(&inv, &plan, &verification, &written))?;
    } else {
        render_text(out, &inv, &plan, &verification, &written)?;
    }
    if failed && args.out.is_some() {
        err_println!(
            "{}: the plan {}; no artifacts written",
            out.error_label(),
            if verification.passed() {
                "has error findings"
            } else {
                "fails verification"
            }
        );
    }
    Ok(if failed { Exit::Findings } else { Exit::Ok })
}

/// Write every artifact under `dir`; `None` (after a message) when files exist and `force` is
/// off.
fn write_all(dir: &Path, files: &[Artifact], force: bool) -> anyhow::Result<Option<Vec<PathBuf>>> {
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|a| {
            a.path
                .split('/')
                .fold(dir.to_path_buf(), |p, part| p.join(part))
        })
        .collect();
    let existing: Vec<&PathBuf> = paths.iter().filter(|p| p.exists()).collect();
    if !force && !existing.is_empty() {
        err_println!(
            "error: {} artifact(s) already exist (first: {}); pass --force to replace them",
            existing.len(),
            existing[0].display()
        );
        return Ok(None);
    }
    for (file, path) in files.iter().zip(&paths) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        write_atomic(path, &file.bytes())?;
    }
    Ok(Some(files.iter().map(|a| PathBuf::from(&a.path)).collect()))
}

fn target_errors(
    out: &mut Output,
    path: &Path,
    text: &str,
    errors: &[TargetError],
) -> anyhow::Result<Exit> {
    if out.json() {
        let list: Vec<Value> = errors
            .iter()
            .map(|e| json!({ "code": e.code(), "message": e.to_string(), "span": e.span() }))
            .collect();
        out.write_json(&json!({ "schema": "smsmig.plan/1", "target_errors": list }))?;
        return Ok(Exit::Usage);
    }
    let origin = path.display().to_string();
    let renderer = if out.color_stderr {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut rendered = String::new();
    for e in errors {
        let title = e.to_string();
        let mut message = Level::Error.title(&title).id(e.code());
        if let Some(span) = e.span().filter(|s| s.end <= text.len()) {
            message = message.snippet(
                Snippet::source(text)
                    .origin(&origin)
                    .fold(true)
                    .annotation(Level::Error.span(span)),
            );
        }
        let _ = writeln!(rendered, "{}\n", renderer.render(message));
    }
    err_print!("{rendered}");
    err_println!("error: {} problem(s) in {origin}", errors.len());
    Ok(Exit::Usage)
}

fn deps_text(step: &Step) -> String {
    let deps = dependencies(step);
    if deps.is_empty() {
        return String::new();
    }
    format!("  (after {})", deps.join(", "))
}

fn phase_text(step: &Step) -> String {
    match (step.phase, step.wave) {
        (Phase::Build, _) => "build".to_owned(),
        (Phase::Objects, _) => "objects".to_owned(),
        (Phase::Wave, Some(w)) => format!("wave {w}"),
        (Phase::Wave, None) => "wave".to_owned(),
        (Phase::Cleanup, _) => "cleanup".to_owned(),
    }
}

fn render_text(
    out: &mut Output,
    inv: &Inventory,
    plan: &Plan,
    verification: &Verification,
    written: &[PathBuf],
) -> anyhow::Result<()> {
    let mut t = String::new();
    if !out.quiet {
        let _ = writeln!(
            t,
            "Side-by-side plan: {} new site(s), {} wave(s), {} step(s); {} error(s), {} \
             warning(s), {} note(s)\n",
            plan.sites.len(),
            plan.waves.len(),
            plan.steps.len(),
            plan.finding_count(Severity::Error),
            plan.finding_count(Severity::Warning),
            plan.finding_count(Severity::Info)
        );
        t.push_str("## Steps\n");
        for step in &plan.steps {
            let _ = writeln!(
                t,
                "{:>4}  {:<8} {}{}",
                step.seq,
                phase_text(step),
                plain(&describe(inv, plan, step)),
                deps_text(step)
            );
        }
        t.push('\n');
    }
    let shown: Vec<_> = plan
        .findings
        .iter()
        .filter(|f| !out.quiet || f.severity == Severity::Error)
        .collect();
    if !shown.is_empty() {
        t.push_str("## Findings\n");
        for f in shown {
            let mut at: Vec<String> = f.site.iter().map(ToString::to_string).collect();
            at.extend(f.wave.map(|w| format!("wave {w}")));
            let at = if at.is_empty() {
                String::new()
            } else {
                format!(" ({})", at.join(", "))
            };
            let _ = writeln!(t, "{}[{}]{at}: {}", f.severity, f.code(), f.kind);
        }
        t.push('\n');
    }
    if !out.quiet {
        t.push_str("## Hierarchy before and after\n");
        let before = verification.before.render();
        let after = verification.after.render();
        // Every line starts with its site's code: diffed site by site.
        fn site(line: &str) -> &str {
            line.split_once(':').map_or(line, |(code, _)| code)
        }
        let diff = unified_sections(&before, &after, ("before", "after"), out.color, site);
        t.push_str(&diff);
        t.push('\n');
    }
    if verification.passed() {
        if !out.quiet {
            let _ = writeln!(
                t,
                "## Verification\npassed: {} step(s) simulated, every invariant holds",
                plan.steps.len()
            );
        }
    } else {
        let _ = writeln!(
            t,
            "## Verification\nFAILED: {} violation(s)",
            verification.violations.len()
        );
        for v in &verification.violations {
            let _ = writeln!(t, "  {v}");
        }
    }
    if !written.is_empty() && !out.quiet {
        let _ = writeln!(t, "\n## Artifacts\n{} file(s) written:", written.len());
        for p in written {
            let _ = writeln!(t, "  {}", p.display());
        }
    }
    out.write_all(t.as_bytes())?;
    Ok(())
}

#[derive(Serialize)]
struct BoundaryDoc<'a> {
    kind: smsmig_migrate::inventory::BoundaryKind,
    value: &'a str,
    roaming: Option<smsmig_migrate::inventory::RoamingKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    connection: Option<smsmig_migrate::plan::Connection>,
}

fn boundary_doc(b: &BoundaryRef) -> BoundaryDoc<'_> {
    BoundaryDoc {
        kind: b.kind,
        value: &b.value,
        roaming: b.roaming,
        connection: None,
    }
}

/// One step of `smsmig.plan/1`: the common fields, then those of its action.
#[derive(Serialize)]
struct StepDoc<'a> {
    seq: u32,
    wave: Option<u32>,
    phase: Phase,
    action: &'static str,
    site: Option<SiteCode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    boundary: Option<BoundaryDoc<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    minutes: Option<u32>,
    /// Present (possibly `null`) on reassignments only.
    #[serde(skip_serializing_if = "Option::is_none")]
    from_site: Option<Option<SiteCode>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to_site: Option<SiteCode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    clients: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    object_kind: Option<ObjectKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    objects: Option<&'a [ObjectRef]>,
    depends_on: &'a [u32],
}

fn step_doc(step: &Step) -> StepDoc<'_> {
    let mut doc = StepDoc {
        seq: step.seq,
        wave: step.wave,
        phase: step.phase,
        action: step.action.name(),
        site: step.action.site(),
        boundary: None,
        minutes: None,
        from_site: None,
        to_site: None,
        clients: None,
        object_kind: None,
        objects: None,
        depends_on: &step.depends_on,
    };
    match &step.action {
        Action::RemoveBoundary { boundary, .. } => doc.boundary = Some(boundary_doc(boundary)),
        Action::AddBoundary {
            boundary,
            connection,
            ..
        } => {
            let mut b = boundary_doc(boundary);
            b.connection = Some(*connection);
            doc.boundary = Some(b);
        }
        Action::WaitReplication { minutes } => doc.minutes = Some(*minutes),
        Action::ReassignClients {
            from_site,
            to_site,
            clients,
        } => {
            doc.from_site = Some(*from_site);
            doc.to_site = Some(*to_site);
            doc.clients = Some(clients.len());
        }
        Action::ExportObjects { kind, objects, .. }
        | Action::ImportObjects { kind, objects, .. } => {
            doc.object_kind = Some(*kind);
            doc.objects = Some(objects);
        }
        Action::CreateSite { .. }
        | Action::DecommissionSite { .. }
        | Action::RemoveAdWinsEntries { .. } => {}
    }
    doc
}

/// The whole `smsmig.plan/1` document, borrowing from the plan: a plan of a large estate has
/// hundreds of thousands of steps, and a `serde_json::Value` tree of them costs gigabytes.
#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    sites: &'a [NewSite],
    waves: &'a [WaveInfo],
    initial_state: StateDoc<InitialBoundary<'a>>,
    final_state: StateDoc<FinalBoundary<'a>>,
    steps: Vec<StepDoc<'a>>,
    findings: Vec<FindingDoc>,
    verification: VerificationDoc<'a>,
    artifacts: Vec<String>,
}

#[derive(Serialize)]
struct StateDoc<B> {
    boundaries: Vec<B>,
    sites: Vec<SiteClients>,
}

#[derive(Serialize)]
struct InitialBoundary<'a> {
    site: SiteCode,
    kind: BoundaryKind,
    value: &'a str,
    roaming: Option<RoamingKind>,
}

#[derive(Serialize)]
struct FinalBoundary<'a> {
    site: SiteCode,
    kind: BoundaryKind,
    value: &'a str,
    roaming: Option<RoamingKind>,
    connection: Option<Connection>,
}

#[derive(Serialize)]
struct SiteClients {
    site: SiteCode,
    status: SiteStatus,
    clients: usize,
}

#[derive(Serialize)]
struct FindingDoc {
    severity: Severity,
    code: &'static str,
    site: Option<SiteCode>,
    wave: Option<u32>,
    message: String,
}

#[derive(Serialize)]
struct VerificationDoc<'a> {
    passed: bool,
    violations: Vec<ViolationDoc<'a>>,
}

#[derive(Serialize)]
struct ViolationDoc<'a> {
    seq: Option<u32>,
    kind: &'a ViolationKind,
    message: String,
}

fn document<'a>(
    inv: &'a Inventory,
    plan: &'a Plan,
    v: &'a Verification,
    written: &[PathBuf],
) -> Document<'a> {
    let sites = |state: &HierarchyState| -> Vec<SiteClients> {
        state
            .sites
            .values()
            .map(|s| SiteClients {
                site: s.code,
                status: s.status,
                clients: s.clients,
            })
            .collect()
    };
    let initial = inv
        .boundaries
        .iter()
        .map(|b| InitialBoundary {
            site: b.site_code,
            kind: b.kind,
            value: &b.value,
            roaming: b.roaming,
        })
        .collect();
    let last = v
        .after
        .sites
        .values()
        .flat_map(|s| {
            s.boundaries.iter().map(move |b| FinalBoundary {
                site: s.code,
                kind: b.boundary.kind,
                value: &b.boundary.value,
                roaming: b.boundary.roaming,
                connection: b.connection,
            })
        })
        .collect();
    Document {
        schema: "smsmig.plan/1",
        sites: &plan.sites,
        waves: &plan.waves,
        initial_state: StateDoc {
            boundaries: initial,
            sites: sites(&v.before),
        },
        final_state: StateDoc {
            boundaries: last,
            sites: sites(&v.after),
        },
        steps: plan.steps.iter().map(step_doc).collect(),
        findings: plan
            .findings
            .iter()
            .map(|f| FindingDoc {
                severity: f.severity,
                code: f.code(),
                site: f.site,
                wave: f.wave,
                message: f.kind.to_string(),
            })
            .collect(),
        verification: VerificationDoc {
            passed: v.passed(),
            violations: v
                .violations
                .iter()
                .map(|x| ViolationDoc {
                    seq: x.seq,
                    kind: &x.kind,
                    message: x.kind.to_string(),
                })
                .collect(),
        },
        artifacts: written
            .iter()
            .map(|p| p.display().to_string().replace('\\', "/"))
            .collect(),
    }
}
