//! What to do about what the logs say: known prerequisite rules, known setup failures and
//! success markers, and the product versions setup logs name.
//!
//! Sources: seed 002 (chapter 9, "Running the Prerequisite Checker", "Upgrade Prerequisites",
//! "Troubleshooting Upgrade Issues", "Upgrading a Primary Site", "Upgrading Secondary Sites"),
//! seed 003 (supported upgrade paths), seed 004 (the SP1 upgrade checklist), and Microsoft's
//! list of prerequisite checks for the rule names that list shares with ConfigMgr 2007. A rule
//! or line not in these tables is still reported, with "no known fix".

use serde::Serialize;

/// What to do about a finding, and where that advice comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KnownFix {
    /// One or two sentences: what to do.
    pub fix: &'static str,
    /// The document the advice is drawn from.
    pub source: &'static str,
}

const SEED_CHECKER: &str = "seed 002, Running the Prerequisite Checker";
const SEED_PREREQS: &str = "seed 002, Upgrade Prerequisites";
const SEED_TROUBLE: &str = "seed 002, Troubleshooting Upgrade Issues";
const MS_CHECKS: &str = "Microsoft, list of prerequisite checks";

/// Known prerequisite rules: every spelling the name is logged under, and the fix. Names are
/// compared after [`normalize`].
const RULES: &[(&[&str], KnownFix)] = &[
    (
        &["client guid consistency"],
        KnownFix {
            fix: "Run the rule's query against the site database to list the clients whose SMS \
                  GUID differs from their hardware-ID GUID; for each, delete the record from the \
                  site database, remove the SMS client, or delete smscfg.ini from the Windows \
                  folder and reinstall the client.",
            source: SEED_CHECKER,
        },
    ),
    (
        &[
            "unsupported client operating system version",
            "unsupported client operating system",
        ],
        KnownFix {
            fix: "Run the rule's query to list assigned clients older than Windows 2000 SP4 or \
                  Windows XP SP2; upgrade their operating system or exclude them from the \
                  migration (ConfigMgr 2007 clients need Windows 2000 SP4 or later).",
            source: SEED_CHECKER,
        },
    ),
    (
        &["wsus sdk on site server"],
        KnownFix {
            fix: "If the site will use software updates, install the WSUS 3.0 administration \
                  components on the site server before the upgrade; otherwise the warning can \
                  stand.",
            source: SEED_CHECKER,
        },
    ),
    (
        &["schannel hotfix", "schannel hotfix for windows server 2003"],
        KnownFix {
            fix: "Only matters where an out of band service point will run: install the \
                  Windows Server 2003 schannel hotfix the rule's details name on that server.",
            source: SEED_CHECKER,
        },
    ),
    (
        &["sql server version", "minimum sql server version"],
        KnownFix {
            fix: "Primary sites need SQL Server 2005 SP2 or later: run the SQL Server 2005 \
                  Upgrade Advisor, upgrade SQL Server 2000 to 2005, apply SP2, then rerun the \
                  check.",
            source: "seed 002, Upgrading SQL Server",
        },
    ),
    (
        &["unsupported upgrade path", "upgrade path"],
        KnownFix {
            fix: "Only SMS 2003 SP2 or SP3 sites upgrade to ConfigMgr 2007 directly: apply SMS \
                  2003 SP2 or SP3 first (SP2 sites take the complete release; see the upgrade \
                  path table).",
            source: "seed 003, Supported Upgrade Paths",
        },
    ),
    (
        &[
            "advanced security mode",
            "site security mode",
            "sms 2003 site security mode",
        ],
        KnownFix {
            fix: "Switch the SMS 2003 site to advanced security mode (site properties in the SMS \
                  Administrator console) and let the change settle before upgrading.",
            source: SEED_PREREQS,
        },
    ),
    (
        &[
            "legacy clients",
            "legacy client",
            "unsupported legacy clients",
        ],
        KnownFix {
            fix: "Legacy clients do not work in ConfigMgr 2007 sites: install the SMS 2003 \
                  advanced client on them (Windows 2000 SP4 or later) or retire them before the \
                  upgrade.",
            source: SEED_PREREQS,
        },
    ),
    (
        &[
            "minimum .net framework version for configuration manager site server",
            ".net framework 2.0",
        ],
        KnownFix {
            fix: "Install the .NET Framework 2.0 on the site server (Windows Server 2003 SP2 or \
                  later).",
            source: SEED_PREREQS,
        },
    ),
    (
        &["mmc updates for configuration manager console", "mmc 3.0"],
        KnownFix {
            fix: "Install Microsoft Management Console 3.0 where the ConfigMgr console will run.",
            source: SEED_PREREQS,
        },
    ),
    (
        &["sql server database replication", "sql server replication"],
        KnownFix {
            fix: "Disable SQL Server database replication before the upgrade and reconfigure it \
                  afterwards.",
            source: "seed 004, SP1 upgrade checklist",
        },
    ),
    (
        &["windows automated installation kit", "windows aik"],
        KnownFix {
            fix: "Uninstall Windows AIK 1.0 from the SMS Provider computer and restart it before \
                  the upgrade; setup installs Windows AIK 1.1.",
            source: "seed 004, SP1 upgrade checklist",
        },
    ),
    (
        &["administrative rights on site system"],
        KnownFix {
            fix: "Run Setup with an account that is a local administrator on the site server.",
            source: MS_CHECKS,
        },
    ),
    (
        &["site server computer account administrative rights"],
        KnownFix {
            fix: "Add the site server's computer account to the local Administrators group on \
                  the site database server.",
            source: MS_CHECKS,
        },
    ),
    (
        &["sql server sysadmin rights"],
        KnownFix {
            fix: "Give the account running Setup the sysadmin role on the SQL Server instance \
                  that holds the site database.",
            source: MS_CHECKS,
        },
    ),
    (
        &["pending system restart"],
        KnownFix {
            fix: "Restart the server to finish pending installations, then rerun the check.",
            source: MS_CHECKS,
        },
    ),
    (
        &["domain membership"],
        KnownFix {
            fix: "Join the site server to an Active Directory domain.",
            source: MS_CHECKS,
        },
    ),
];

/// Lower-case, inner blanks collapsed, trailing `.` dropped: how rule names are compared.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word.to_lowercase());
    }
    while out.ends_with('.') {
        out.pop();
    }
    out
}

/// The fix for the prerequisite rule named `name`, if it is a known rule.
pub fn rule_fix(name: &str) -> Option<KnownFix> {
    let key = normalize(name);
    RULES
        .iter()
        .find(|(names, _)| names.contains(&key.as_str()))
        .map(|(_, fix)| *fix)
}

/// How bad a setup-log finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth doing something about, but setup can complete.
    Warning,
    /// Setup failed, or will.
    Error,
}

/// The setup-log failures this tool recognises (seed 002, "Troubleshooting Upgrade Issues").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SetupProblem {
    /// `xp_SMS_notification not found`: cannot insert the default site control image.
    XpSmsNotification,
    /// `CompileMOFFile: Failed to compile MOF` while installing the SMS Provider.
    CompileMof,
    /// A secondary site's bootstrap could not find `install.map`, or its build differs.
    InstallMap,
    /// Other bootstrap errors while upgrading a secondary site.
    Bootstrap,
    /// Setup did not detect the installed site type correctly.
    SiteTypeDetection,
    /// The SMS SQL Monitor service is left over (not needed from ConfigMgr 2007 SP1).
    SqlMonitorLeftover,
    /// Setup says it stopped, with no more specific cause recognised.
    SetupStopped,
}

impl SetupProblem {
    /// A short title, in the log's words where it has them.
    pub fn title(self) -> &'static str {
        match self {
            Self::XpSmsNotification => "xp_SMS_notification not found",
            Self::CompileMof => "CompileMOFFile: Failed to compile MOF (SMS Provider)",
            Self::InstallMap => "install.map missing or of another build (secondary site)",
            Self::Bootstrap => "secondary site bootstrap error",
            Self::SiteTypeDetection => "site type detected wrongly",
            Self::SqlMonitorLeftover => "SMS SQL Monitor service left over",
            Self::SetupStopped => "Setup stopped",
        }
    }
}

/// How a [`SetupProblem`] shows in the log and what to do about it.
#[derive(Debug)]
pub struct SetupPattern {
    /// The problem.
    pub problem: SetupProblem,
    /// How bad it is.
    pub severity: Severity,
    /// Lower-case needles; a line matches one when it also contains one of its qualifiers
    /// (an empty qualifier list means the needle alone is enough).
    pub needles: &'static [(&'static str, &'static [&'static str])],
    /// The usual cause.
    pub cause: &'static str,
    /// What to do.
    pub fix: KnownFix,
}

const FAILURE_WORDS: &[&str] = &[
    "fail",
    "error",
    "cannot",
    "can't",
    "could not",
    "unable",
    "not found",
    "not find",
    "missing",
    "mismatch",
    "does not match",
    "invalid",
    "incorrect",
    "wrong",
    "unknown",
];

/// The setup-log patterns, most specific first: a line is filed under the first that matches.
pub const SETUP_PATTERNS: &[SetupPattern] = &[
    SetupPattern {
        problem: SetupProblem::XpSmsNotification,
        severity: Severity::Error,
        needles: &[
            ("xp_sms_notification", FAILURE_WORDS),
            ("cannot insert the default site control image", &[]),
        ],
        cause: "The xp_SMS_notification extended stored procedure is missing from the site \
                database server, usually because SQL Server was reinstalled.",
        fix: KnownFix {
            fix: "Re-create the procedure as Microsoft KB 556084 describes (in master: \
                  sp_addextendedproc xp_SMS_notification, 'C:\\WINDOWS\\system32\\smsxp.dll', \
                  after sp_dropextendedproc if a stale entry exists), then rerun Setup.",
            source: SEED_TROUBLE,
        },
    },
    SetupPattern {
        problem: SetupProblem::CompileMof,
        severity: Severity::Error,
        needles: &[
            ("failed to compile mof", &[]),
            ("compilemoffile", FAILURE_WORDS),
        ],
        cause: "Setup could not install the SMS Provider; this generally follows from an \
                incorrect Active Directory Service Principal Name (SPN) registration.",
        fix: KnownFix {
            fix: "Check the SPNs of the SQL Server service account (setspn -L <account>): \
                  register MSSQLSvc/<server FQDN>:<port> once, for the account SQL Server runs \
                  as, remove duplicates, then rerun Setup.",
            source: SEED_TROUBLE,
        },
    },
    SetupPattern {
        problem: SetupProblem::InstallMap,
        severity: Severity::Error,
        needles: &[("install.map", FAILURE_WORDS)],
        cause: "The secondary site's bootstrap could not locate install.map in the local \
                source files, or install.map names a different build than the parent site.",
        fix: KnownFix {
            fix: "Copy the complete installation files to \\SMSSetup at the root of a local \
                  drive of the secondary site server (or let the parent site copy them), make \
                  sure they are the parent site's build, and read C:\\SMS_BOOTSTRAP.log before \
                  upgrading again.",
            source: SEED_TROUBLE,
        },
    },
    SetupPattern {
        problem: SetupProblem::Bootstrap,
        severity: Severity::Error,
        needles: &[("bootstrap", FAILURE_WORDS)],
        cause: "The SMS_Bootstrap service on the secondary site server could not prepare or \
                start Setup.",
        fix: KnownFix {
            fix: "Read C:\\SMS_BOOTSTRAP.log on the secondary site server; check the local \
                  source path (\\SMSSetup on a local drive) and the build in install.map, then \
                  upgrade the secondary site again from its parent.",
            source: SEED_TROUBLE,
        },
    },
    SetupPattern {
        problem: SetupProblem::SiteTypeDetection,
        severity: Severity::Error,
        needles: &[("site type", FAILURE_WORDS)],
        cause: "Setup did not detect the installed site type, usually after earlier failed \
                upgrade attempts or because the site server registry holds wrong information.",
        fix: KnownFix {
            fix: "Compare the site server's HKLM\\SOFTWARE\\Microsoft\\SMS registry (site type, \
                  site code, parent) with the real site; if an earlier failed attempt left it \
                  inconsistent, restore the site from backup, then rerun Setup.",
            source: SEED_TROUBLE,
        },
    },
    SetupPattern {
        problem: SetupProblem::SqlMonitorLeftover,
        severity: Severity::Warning,
        needles: &[
            ("sms_sql_monitor", FAILURE_WORDS),
            ("sql monitor", FAILURE_WORDS),
        ],
        cause: "The SMS SQL Monitor service is not needed from ConfigMgr 2007 SP1 and was not \
                removed cleanly; it causes misleading errors at logon, in the event log and in \
                status messages.",
        fix: KnownFix {
            fix: "Run `SC delete SMS_SQL_MONITOR`, then delete HKLM\\Software\\Microsoft\\SMS\\\
                  COMPONENTS\\SMS_SITE_COMPONENT_MANAGER\\Component Servers\\<server>\\\
                  Components\\SMS_SQL_MONITOR and HKLM\\Software\\Microsoft\\SMS\\Tracing\\\
                  SMS_SQL_MONITOR.",
            source: SEED_TROUBLE,
        },
    },
    SetupPattern {
        problem: SetupProblem::SetupStopped,
        severity: Severity::Error,
        needles: &[
            ("setup has encountered fatal errors", &[]),
            ("setup failed", &[]),
            ("setup cannot continue", &[]),
            ("setup is unable to continue", &[]),
        ],
        cause: "Setup stopped; the log names no cause this tool recognises.",
        fix: KnownFix {
            fix: "Read the error lines logged just before this one (the findings and other \
                  errors listed with it), fix what they name, then rerun Setup.",
            source: SEED_TROUBLE,
        },
    },
];

/// The first pattern `lower` (a lower-cased log message) matches.
pub fn match_setup(lower: &str) -> Option<&'static SetupPattern> {
    SETUP_PATTERNS.iter().find(|p| {
        p.needles.iter().any(|(needle, qualifiers)| {
            lower.contains(needle)
                && (qualifiers.is_empty() || qualifiers.iter().any(|q| lower.contains(q)))
        })
    })
}

/// Setup progress markers that mean something went right, and what to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SetupMilestone {
    /// "Installation and configuration processes are done": Setup finished.
    Completed,
    /// The SMS Site Component Manager service was installed and started.
    SiteComponentManagerInstalled,
    /// Setup verified that WMI is running.
    WmiVerified,
}

impl SetupMilestone {
    /// A short title, in the log's words.
    pub fn title(self) -> &'static str {
        match self {
            Self::Completed => "Installation and configuration processes are done",
            Self::SiteComponentManagerInstalled => {
                "SMS Site Component Manager installation completed"
            }
            Self::WmiVerified => "Verified that WinMgmt is running",
        }
    }
}

/// Lower-case needle, milestone and what to do once it is seen.
pub const MILESTONES: &[(&str, SetupMilestone, &str)] = &[
    (
        "installation and configuration processes are done",
        SetupMilestone::Completed,
        "Confirm SMS_EXECUTIVE, SMS_SITE_COMPONENT_MANAGER, SMS_SITE_SQL_BACKUP and \
         SMS_SITE_VSS_WRITER are running, then review site system and component status in the \
         ConfigMgr console (seed 002, Upgrading a Primary Site).",
    ),
    (
        "site component manager installation completed",
        SetupMilestone::SiteComponentManagerInstalled,
        "Site Component Manager now installs the site's components; watch its status messages.",
    ),
    (
        "verified that winmgmt is running",
        SetupMilestone::WmiVerified,
        "Nothing to do: WMI is available for the SMS Provider.",
    ),
];

/// Product releases by `major.minor.build` (SMS 2003 and ConfigMgr 2007).
const RELEASES: &[(&str, &str)] = &[
    ("2.50.2726", "SMS 2003 RTM"),
    ("2.50.3174", "SMS 2003 SP1"),
    ("2.50.4160", "SMS 2003 SP2"),
    ("2.50.4253", "SMS 2003 SP3"),
    ("4.00.5931", "Configuration Manager 2007 RTM"),
    ("4.00.6221", "Configuration Manager 2007 SP1"),
    ("4.00.6487", "Configuration Manager 2007 SP2"),
];

/// The release a version string such as `4.00.5931.0000` belongs to.
pub fn release_of(version: &str) -> Option<&'static str> {
    let mut parts = version.split('.');
    let (major, minor, build) = (parts.next()?, parts.next()?, parts.next()?);
    let key = format!("{major}.{minor}.{build}");
    RELEASES
        .iter()
        .find(|(v, _)| *v == key)
        .map(|(_, name)| *name)
}

/// The release a bare build number such as `5931` belongs to.
pub fn release_of_build(build: &str) -> Option<&'static str> {
    RELEASES
        .iter()
        .find(|(v, _)| v.rsplit('.').next() == Some(build))
        .map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_match_after_normalizing() {
        assert!(rule_fix("Client GUID consistency").is_some());
        assert!(rule_fix("  client   GUID Consistency. ").is_some());
        assert!(rule_fix("Unsupported client operating system version").is_some());
        assert!(rule_fix("Some rule nobody documented").is_none());
    }

    #[test]
    fn every_rule_name_is_already_normalized() {
        for (names, _) in RULES {
            for name in *names {
                assert_eq!(normalize(name), *name);
            }
        }
    }

    #[test]
    fn setup_patterns_need_their_qualifiers() {
        let hit = |s: &str| match_setup(&s.to_lowercase()).map(|p| p.problem);
        assert_eq!(
            hit("error xp_SMS_notification not found"),
            Some(SetupProblem::XpSmsNotification)
        );
        assert_eq!(hit("Registering xp_SMS_notification"), None);
        assert_eq!(
            hit("CompileMOFFile: Failed to compile MOF C:\\x.mof"),
            Some(SetupProblem::CompileMof)
        );
        assert_eq!(hit("Read install.map from C:\\SMSSetup"), None);
        assert_eq!(
            hit("Failed to stop service SMS_SQL_MONITOR"),
            Some(SetupProblem::SqlMonitorLeftover)
        );
        assert_eq!(
            hit("Setup failed to configure SQL Service Broker."),
            Some(SetupProblem::SetupStopped)
        );
    }

    #[test]
    fn releases_by_version_and_build() {
        assert_eq!(
            release_of("4.00.5931.0000"),
            Some("Configuration Manager 2007 RTM")
        );
        assert_eq!(
            release_of("4.00.6221.1000"),
            Some("Configuration Manager 2007 SP1")
        );
        assert_eq!(release_of("5.00.7711.0000"), None);
        assert_eq!(release_of("4.00"), None);
        assert_eq!(release_of_build("4160"), Some("SMS 2003 SP2"));
    }
}
