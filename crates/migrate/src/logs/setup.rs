//! `ConfigMgrSetup.log`: known failures, success markers, versions and a verdict.
//!
//! Each entry is matched against the failures seed 002 lists under "Troubleshooting Upgrade
//! Issues" ([`super::fixes::SETUP_PATTERNS`]), the success markers of "Upgrading a Primary
//! Site" and "Upgrading Secondary Sites" ([`super::fixes::MILESTONES`]) and the version lines
//! (`SMS Setup full version is 4.00.5931.0000`, `SMS Build Number = 5931`). Other lines that
//! read as errors are kept as samples. Everything is aggregated per kind, so memory does not
//! grow with the log.
//!
//! Setup appends to the same log on every run, so the verdict looks at the end: a completion
//! marker after the last recognised failure means the last run succeeded.

use std::collections::BTreeMap;
use std::io::Read;

use nom::bytes::complete::tag;
use nom::character::complete::{char, digit1, space0};
use nom::combinator::recognize;
use nom::error::{context, VerboseError};
use nom::multi::many1_count;
use nom::sequence::{pair, preceded, tuple};
use nom::IResult;
use serde::Serialize;

use super::entry::{read_entries, Entry};
use super::fixes::{
    match_setup, release_of, release_of_build, KnownFix, SetupMilestone, SetupProblem, Severity,
    MILESTONES,
};
use super::{clip, Issues, LogError, SourceInfo};

type Res<'a, T> = IResult<&'a str, T, VerboseError<&'a str>>;

/// Error lines kept as samples; the rest are counted.
pub const MAX_ERROR_SAMPLES: usize = 20;
/// Distinct versions kept.
pub const MAX_VERSIONS: usize = 32;
/// Longest evidence text kept.
const EVIDENCE_BYTES: usize = 400;

/// A recognised failure, aggregated over every line that shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetupFinding {
    /// Which failure.
    pub problem: SetupProblem,
    /// How bad.
    pub severity: Severity,
    /// 1-based line of the first occurrence.
    pub line: u64,
    /// 1-based line of the last occurrence.
    pub last_line: u64,
    /// How many entries showed it.
    pub occurrences: u64,
    /// The first entry's text.
    pub evidence: String,
    /// The usual cause.
    pub cause: &'static str,
    /// What to do.
    pub fix: KnownFix,
}

/// A success marker, aggregated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetupMarker {
    /// Which marker.
    pub milestone: SetupMilestone,
    /// 1-based line of the first occurrence.
    pub line: u64,
    /// 1-based line of the last occurrence.
    pub last_line: u64,
    /// How many entries showed it.
    pub occurrences: u64,
    /// What to do next.
    pub next: &'static str,
}

/// A product version named by the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionSeen {
    /// The version (`4.00.5931.0000`) or bare build number (`5931`) as logged.
    pub version: String,
    /// The release it belongs to, when known.
    pub release: Option<&'static str>,
    /// 1-based line of the first mention.
    pub line: u64,
    /// How many entries named it.
    pub occurrences: u64,
}

/// An error line no pattern recognised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorLine {
    /// 1-based line.
    pub line: u64,
    /// Its text, clipped.
    pub text: String,
}

/// How setup went, judged from the end of the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SetupVerdict {
    /// Completed, nothing wrong recognised.
    Succeeded,
    /// Completed, with warnings or unrecognised error lines to review.
    SucceededWithWarnings,
    /// A recognised failure after the last completion marker (or with none).
    Failed,
    /// No completion marker and no recognised failure: still running, stopped, or cut off.
    Incomplete,
}

impl SetupVerdict {
    /// What to do, in one sentence.
    pub fn advice(self) -> &'static str {
        match self {
            Self::Succeeded => {
                "Setup completed: check the services and the site status in the console."
            }
            Self::SucceededWithWarnings => {
                "Setup completed: deal with the warnings below, then check the site status."
            }
            Self::Failed => "Setup failed: fix the errors below, then run Setup again.",
            Self::Incomplete => {
                "Setup did not log its completion: if it is no longer running, read the error \
                 lines below and the end of the log."
            }
        }
    }

    /// Whether the log shows a failure or no completion.
    pub fn is_failure(self) -> bool {
        matches!(self, Self::Failed | Self::Incomplete)
    }
}

/// The analysis of one `ConfigMgrSetup.log`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetupReport {
    /// How the file was read.
    pub source: SourceInfo,
    /// The verdict.
    pub verdict: SetupVerdict,
    /// Recognised failures and warnings, in order of first occurrence.
    pub findings: Vec<SetupFinding>,
    /// Success markers, in order of first occurrence.
    pub milestones: Vec<SetupMarker>,
    /// Versions named, in order of first mention.
    pub versions: Vec<VersionSeen>,
    /// The first [`MAX_ERROR_SAMPLES`] unrecognised error lines.
    pub other_errors: Vec<ErrorLine>,
    /// How many unrecognised error lines there were.
    pub other_errors_total: u64,
    /// Problems inside the log.
    pub issues: Issues,
}

/// Read a `ConfigMgrSetup.log` and analyse it.
///
/// # Errors
/// [`LogError::Io`] when reading fails; [`LogError::NoEntries`] when the input holds no
/// timestamped entry at all.
pub fn analyze_setup<R: Read>(input: R) -> Result<SetupReport, LogError> {
    let mut builder = Builder::default();
    let (source, issues) = read_entries(input, |entry| builder.feed(entry))?;
    Ok(builder.finish(source, issues))
}

#[derive(Debug, Default)]
struct Builder {
    findings: BTreeMap<SetupProblem, SetupFinding>,
    milestones: BTreeMap<SetupMilestone, SetupMarker>,
    versions: BTreeMap<String, VersionSeen>,
    other_errors: Vec<ErrorLine>,
    other_errors_total: u64,
    /// Reused lower-case copy of the entry text.
    lower: String,
}

impl Builder {
    fn feed(&mut self, entry: &Entry) {
        // ASCII lower-casing keeps byte offsets, so `lower` and the text can be indexed alike;
        // every needle is ASCII.
        self.lower.clear();
        self.lower.push_str(&entry.text);
        self.lower.make_ascii_lowercase();
        let lower = self.lower.as_str();
        for (needle, milestone, next) in MILESTONES {
            if lower.contains(needle) {
                self.milestones
                    .entry(*milestone)
                    .and_modify(|m| {
                        m.last_line = entry.line;
                        m.occurrences += 1;
                    })
                    .or_insert(SetupMarker {
                        milestone: *milestone,
                        line: entry.line,
                        last_line: entry.line,
                        occurrences: 1,
                        next,
                    });
            }
        }
        for version in versions_in(&entry.text, lower) {
            if self.versions.len() >= MAX_VERSIONS && !self.versions.contains_key(version) {
                continue;
            }
            self.versions
                .entry(version.to_owned())
                .and_modify(|v| v.occurrences += 1)
                .or_insert_with(|| VersionSeen {
                    version: version.to_owned(),
                    release: release_of(version).or_else(|| release_of_build(version)),
                    line: entry.line,
                    occurrences: 1,
                });
        }
        if let Some(pattern) = match_setup(lower) {
            self.findings
                .entry(pattern.problem)
                .and_modify(|f| {
                    f.last_line = entry.line;
                    f.occurrences += 1;
                })
                .or_insert_with(|| SetupFinding {
                    problem: pattern.problem,
                    severity: pattern.severity,
                    line: entry.line,
                    last_line: entry.line,
                    occurrences: 1,
                    evidence: clip(&entry.text, EVIDENCE_BYTES),
                    cause: pattern.cause,
                    fix: pattern.fix,
                });
        } else if looks_like_error(lower) {
            self.other_errors_total += 1;
            if self.other_errors.len() < MAX_ERROR_SAMPLES {
                self.other_errors.push(ErrorLine {
                    line: entry.line,
                    text: clip(&entry.text, EVIDENCE_BYTES),
                });
            }
        }
    }

    fn finish(self, source: SourceInfo, issues: Issues) -> SetupReport {
        let completed_at = self
            .milestones
            .get(&SetupMilestone::Completed)
            .map(|m| m.last_line);
        let mut findings: Vec<SetupFinding> = self.findings.into_values().collect();
        findings.sort_by_key(|f| (f.line, f.problem));
        let errors_after = findings.iter().any(|f| {
            f.severity == Severity::Error && completed_at.is_none_or(|done| f.last_line > done)
        });
        let verdict = match completed_at {
            _ if errors_after => SetupVerdict::Failed,
            None => SetupVerdict::Incomplete,
            Some(_) if findings.is_empty() && self.other_errors_total == 0 => {
                SetupVerdict::Succeeded
            }
            Some(_) => SetupVerdict::SucceededWithWarnings,
        };
        let mut milestones: Vec<SetupMarker> = self.milestones.into_values().collect();
        milestones.sort_by_key(|m| (m.line, m.milestone));
        let mut versions: Vec<VersionSeen> = self.versions.into_values().collect();
        versions.sort_by(|a, b| a.line.cmp(&b.line).then_with(|| a.version.cmp(&b.version)));
        SetupReport {
            source,
            verdict,
            findings,
            milestones,
            versions,
            other_errors: self.other_errors,
            other_errors_total: self.other_errors_total,
            issues,
        }
    }
}

/// An entry with a line that reads as an error: one starting with `error`, `failed`, `fatal`
/// or SQL's `***`, or saying `error:` or ` failed to `.
fn looks_like_error(lower: &str) -> bool {
    lower.lines().any(|line| {
        let bare = line.trim_start_matches(|c: char| c == '~' || c.is_whitespace());
        bare.starts_with("***")
            || ["error", "failed", "fatal"]
                .iter()
                .any(|w| bare.starts_with(w))
            || line.contains("error:")
            || line.contains(" failed to ")
    })
}

/// `4.00.5931.0000`: two to four dot-separated numbers.
fn dotted_version(i: &str) -> Res<'_, &str> {
    context(
        "dotted version",
        recognize(pair(digit1, many1_count(preceded(char('.'), digit1)))),
    )(i)
}

/// `= 5931` after `Build Number`.
fn build_number(i: &str) -> Res<'_, &str> {
    context(
        "build number",
        preceded(tuple((space0, tag("="), space0)), digit1),
    )(i)
}

/// The versions an entry names: `... version is <dotted>` and `Build Number = <n>`; `lower` is
/// `text` ASCII-lower-cased.
fn versions_in<'a>(text: &'a str, lower: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    for (at, needle) in lower.match_indices("version is ") {
        if let Ok((_, v)) = dotted_version(&text[at + needle.len()..]) {
            out.push(v);
        }
    }
    for (at, needle) in lower.match_indices("build number") {
        if let Ok((_, v)) = build_number(&text[at + needle.len()..]) {
            out.push(v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_versions() {
        let versions = |text: &str| {
            versions_in(text, &text.to_ascii_lowercase())
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            versions("SMS Setup full version is 4.00.5931.0000"),
            ["4.00.5931.0000"]
        );
        assert_eq!(versions("SMS Build Number = 6221"), ["6221"]);
        assert!(versions("The version is unknown").is_empty());
    }

    #[test]
    fn recognises_error_lines() {
        assert!(looks_like_error("error: could not connect"));
        assert!(looks_like_error(
            " *** [08001] client unable to establish connection"
        ));
        assert!(looks_like_error("~failed to create the database"));
        assert!(looks_like_error("setup: failed to open key"));
        assert!(!looks_like_error("no errors found"));
        assert!(!looks_like_error("info: errorlevel is 0"));
    }

    fn report(log: &str) -> SetupReport {
        analyze_setup(log.as_bytes()).unwrap()
    }

    #[test]
    fn verdict_looks_at_the_end_of_the_log() {
        let failed_then_done = "<10-26-2008 10:00:00> CompileMOFFile: Failed to compile MOF\n\
             <10-27-2008 10:00:00> Installation and configuration processes are done.\n";
        assert_eq!(
            report(failed_then_done).verdict,
            SetupVerdict::SucceededWithWarnings
        );
        let done_then_failed =
            "<10-26-2008 10:00:00> Installation and configuration processes are done.\n\
             <10-27-2008 10:00:00> CompileMOFFile: Failed to compile MOF\n";
        assert_eq!(report(done_then_failed).verdict, SetupVerdict::Failed);
        assert_eq!(
            report("<10-26-2008 10:00:00> Starting.\n").verdict,
            SetupVerdict::Incomplete
        );
        assert_eq!(
            report("<10-26-2008 10:00:00> Installation and configuration processes are done.\n")
                .verdict,
            SetupVerdict::Succeeded
        );
    }
}
