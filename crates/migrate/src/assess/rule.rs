//! The rule catalogue: every rule's stable code, severity, name and the document it comes from.
//!
//! Codes never change meaning once published: a new condition gets a new code. They are grouped
//! by tens — A00x source version, A01x site server, A02x SQL Server, security mode and Active
//! Directory, A03x feature packs and replication, A04x clients, A05x hierarchy and order, A06x
//! custom objects and files the upgrade removes or overwrites.
//!
//! Severities follow the prerequisite checker's two levels (seed 002, "Running the Prerequisite
//! Checker"): an error is "likely to cause Setup to fail" and must be corrected first; a warning
//! "will not prevent you from upgrading your site but should be fixed prior to the upgrade".
//! Info findings change nothing about the verdict; "cannot tell" rules are info findings that
//! name a fact the inventory does not carry.

/// How serious a finding is: the scale inventory findings use (and plan findings), so a load
/// and an assessment rank and render their findings alike.
pub use crate::inventory::Severity;

/// One assessment rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// A001: the site's version has no upgrade path to ConfigMgr 2007 SP1.
    SourceVersionUnsupported,
    /// A002: SMS 2003 SP2 — only the complete SP1 release upgrades it; SP2 is out of support.
    Sms2003Sp2,
    /// A003: the site already runs ConfigMgr 2007.
    AlreadyConfigMgr,
    /// A010: the site server's operating system is not supported.
    ServerOsUnsupported,
    /// A011: the site server runs Windows Server 2003 SP1, below the upgrade prerequisite SP2.
    ServerOs2003Sp1,
    /// A012: the site server's operating system is not in the inventory.
    ServerOsUnknown,
    /// A013: .NET Framework 2.0 is not installed on the site server.
    DotNetMissing,
    /// A014: whether .NET Framework 2.0 is installed is not in the inventory.
    DotNetUnknown,
    /// A015: whether MMC 3.0, which the ConfigMgr console needs, is on the site server is not
    /// in the inventory.
    MmcUnknown,
    /// A020: the primary's site database runs an unsupported SQL Server version.
    SqlUnsupported,
    /// A021: SQL Server 2008 or 2008 R2 needs update KB955262 on the site server.
    Sql2008Update,
    /// A022: the primary's SQL Server version is not in the inventory.
    SqlUnknown,
    /// A025: the site runs in standard security mode.
    StandardSecurity,
    /// A026: the site's security mode is not in the inventory.
    SecurityUnknown,
    /// A027: whether the Active Directory schema is extended for ConfigMgr 2007 is not in the
    /// inventory.
    AdSchemaUnknown,
    /// A030: SMS 2003 feature packs other than ITMU are installed.
    FeaturePacks,
    /// A031: ITMU is installed: keep it and upgrade it with the site.
    Itmu,
    /// A032: the site database takes part in SQL Server replication.
    SqlReplication,
    /// A033: whether the site database is replicated is not in the inventory.
    SqlReplicationUnknown,
    /// A034: whether client push installation is disabled on the primary is not in the
    /// inventory.
    ClientPushUnknown,
    /// A040: legacy clients are assigned to the site.
    LegacyClients,
    /// A041: clients below Windows 2000 SP4 / XP SP2 (the prerequisite checker's query).
    ClientOsUnsupported,
    /// A042: clients below seed 003's supported list that the checker's query misses.
    ClientOsBelowSupportedList,
    /// A043: installed clients without hardware inventory of their operating system.
    ClientOsUnknown,
    /// A044: Windows 2000 clients, supported but not in native mode.
    Windows2000NativeMode,
    /// A045: clients whose operating system needs a hotfix before the SP1 client installs.
    ClientOsHotfix,
    /// A046: inconsistent client GUIDs (the checker's "Client GUID consistency" rule).
    InconsistentGuids,
    /// A047: one SMS GUID on several active client records.
    DuplicateGuids,
    /// A048: one hardware ID under several SMS GUIDs.
    SharedHardwareId,
    /// A050: a ConfigMgr 2007 site reports to an SMS 2003 parent.
    ConfigMgrUnderSms,
    /// A051: the parent site is blocked, so this site cannot be upgraded before it.
    ParentBlocked,
    /// A052: a secondary site is upgraded after its parent primary, from the parent.
    SecondaryAfterParent,
    /// A053: the site has no place in the top-down order (missing parent or a cycle).
    NotInTree,
    /// A060: custom tables in the site database are removed by the upgrade.
    CustomTables,
    /// A061: changes to default reports are overwritten by the upgrade.
    DefaultReports,
    /// A062: custom files in the SMS folder structure are removed by the upgrade.
    CustomFiles,
}

/// Every rule, in code order.
pub const RULES: &[Rule] = &[
    Rule::SourceVersionUnsupported,
    Rule::Sms2003Sp2,
    Rule::AlreadyConfigMgr,
    Rule::ServerOsUnsupported,
    Rule::ServerOs2003Sp1,
    Rule::ServerOsUnknown,
    Rule::DotNetMissing,
    Rule::DotNetUnknown,
    Rule::MmcUnknown,
    Rule::SqlUnsupported,
    Rule::Sql2008Update,
    Rule::SqlUnknown,
    Rule::StandardSecurity,
    Rule::SecurityUnknown,
    Rule::AdSchemaUnknown,
    Rule::FeaturePacks,
    Rule::Itmu,
    Rule::SqlReplication,
    Rule::SqlReplicationUnknown,
    Rule::ClientPushUnknown,
    Rule::LegacyClients,
    Rule::ClientOsUnsupported,
    Rule::ClientOsBelowSupportedList,
    Rule::ClientOsUnknown,
    Rule::Windows2000NativeMode,
    Rule::ClientOsHotfix,
    Rule::InconsistentGuids,
    Rule::DuplicateGuids,
    Rule::SharedHardwareId,
    Rule::ConfigMgrUnderSms,
    Rule::ParentBlocked,
    Rule::SecondaryAfterParent,
    Rule::NotInTree,
    Rule::CustomTables,
    Rule::DefaultReports,
    Rule::CustomFiles,
];

impl Rule {
    /// The stable code, e.g. `A020`.
    pub fn code(self) -> &'static str {
        self.meta().0
    }

    /// The rule's severity.
    pub fn severity(self) -> Severity {
        self.meta().1
    }

    /// True for rules that report a fact the inventory does not carry.
    pub fn cannot_tell(self) -> bool {
        self.meta().2
    }

    /// A short name for the rule catalogue.
    pub fn name(self) -> &'static str {
        self.meta().3
    }

    /// The document (and section) the rule comes from.
    pub fn reference(self) -> &'static str {
        self.meta().4
    }

    fn meta(self) -> (&'static str, Severity, bool, &'static str, &'static str) {
        use Severity::{Error, Info, Warning};
        match self {
            // Seed 002, "About Supported Upgrade Paths"; seed 003, "Supported Upgrade Paths".
            Self::SourceVersionUnsupported => (
                "A001",
                Error,
                false,
                "site version can reach ConfigMgr 2007 SP1",
                "Configuration Manager 2007 SP1 Supported Configurations, Supported Upgrade Paths; \
                 Migrating to Configuration Manager 2007, About Supported Upgrade Paths",
            ),
            // Seed 003 table (SP2: complete release only); seed 002, "Interoperability".
            Self::Sms2003Sp2 => (
                "A002",
                Info,
                false,
                "SMS 2003 SP2 upgrade path",
                "Configuration Manager 2007 SP1 Supported Configurations, Supported Upgrade Paths; \
                 Migrating to Configuration Manager 2007, Interoperability Considerations",
            ),
            // Seed 003 table (ConfigMgr 2007 rows).
            Self::AlreadyConfigMgr => (
                "A003",
                Info,
                false,
                "site already runs ConfigMgr 2007",
                "Configuration Manager 2007 SP1 Supported Configurations, Supported Upgrade Paths",
            ),
            // Seed 002, "Upgrade Prerequisites"; seed 003, "Core Site System Requirements".
            Self::ServerOsUnsupported => (
                "A010",
                Error,
                false,
                "site server operating system supported",
                "Migrating to Configuration Manager 2007, Upgrade Prerequisites; \
                 Configuration Manager 2007 SP1 Supported Configurations, Core Site System Requirements",
            ),
            Self::ServerOs2003Sp1 => (
                "A011",
                Warning,
                false,
                "site server on Windows Server 2003 SP2",
                "Migrating to Configuration Manager 2007, Upgrade Prerequisites",
            ),
            Self::ServerOsUnknown => (
                "A012",
                Info,
                true,
                "site server operating system known",
                "Migrating to Configuration Manager 2007, Upgrade Prerequisites",
            ),
            // Seed 002, "Upgrade Prerequisites": "with .NET Framework 2.0 installed".
            Self::DotNetMissing => (
                "A013",
                Error,
                false,
                ".NET Framework 2.0 on the site server",
                "Migrating to Configuration Manager 2007, Upgrade Prerequisites",
            ),
            Self::DotNetUnknown => (
                "A014",
                Info,
                true,
                ".NET Framework 2.0 known",
                "Migrating to Configuration Manager 2007, Upgrade Prerequisites",
            ),
            // Seed 002, "Upgrade Prerequisites": MMC 3.0 is required for the ConfigMgr console,
            // which Setup installs on the site server.
            Self::MmcUnknown => (
                "A015",
                Info,
                true,
                "MMC 3.0 on the site server",
                "Migrating to Configuration Manager 2007, Upgrade Prerequisites",
            ),
            // Seed 002, "Upgrade Prerequisites" and "Upgrading SQL Server"; seed 003, "SQL
            // Server Site Database Configurations".
            Self::SqlUnsupported => (
                "A020",
                Error,
                false,
                "SQL Server 2005 SP2 or later on primaries",
                "Migrating to Configuration Manager 2007, Upgrade Prerequisites and Upgrading SQL Server; \
                 Configuration Manager 2007 SP1 Supported Configurations, SQL Server Site Database Configurations",
            ),
            Self::Sql2008Update => (
                "A021",
                Info,
                false,
                "SQL Server 2008 needs KB955262",
                "Configuration Manager 2007 SP1 Supported Configurations, SQL Server Site Database Configurations",
            ),
            Self::SqlUnknown => (
                "A022",
                Info,
                true,
                "SQL Server version known",
                "Migrating to Configuration Manager 2007, Upgrade Prerequisites",
            ),
            // Seed 002, "Upgrade Prerequisites": "need to be in advanced security mode".
            Self::StandardSecurity => (
                "A025",
                Error,
                false,
                "advanced security mode",
                "Migrating to Configuration Manager 2007, Upgrade Prerequisites",
            ),
            Self::SecurityUnknown => (
                "A026",
                Info,
                true,
                "security mode known",
                "Migrating to Configuration Manager 2007, Upgrade Prerequisites",
            ),
            // Seed 001, "Checking for Site Compatibility to Complete Site Assignment": clients
            // complete site assignment only with the schema extended for ConfigMgr 2007 or a
            // server locator point; seeds 003 and 004: SP1 needs no re-extension.
            Self::AdSchemaUnknown => (
                "A027",
                Info,
                true,
                "Active Directory schema extended or a server locator point",
                "Configuration Manager 2007 client deployment changes, Checking for Site Compatibility to Complete Site Assignment",
            ),
            // Seed 002, "Feature Packs".
            Self::FeaturePacks => (
                "A030",
                Warning,
                false,
                "feature packs other than ITMU removed",
                "Migrating to Configuration Manager 2007, Feature Packs",
            ),
            // Seed 002, "Feature Packs" and "Upgrading a Primary Site" step 10.
            Self::Itmu => (
                "A031",
                Info,
                false,
                "ITMU kept and upgraded",
                "Migrating to Configuration Manager 2007, Feature Packs and Upgrading a Primary Site",
            ),
            // Seed 004 ("disable it before upgrading"); seed 000 ("Disable All SQL Replication").
            Self::SqlReplication => (
                "A032",
                Warning,
                false,
                "SQL Server replication disabled",
                "Configuration Manager 2007 SP1 Upgrade Checklist",
            ),
            Self::SqlReplicationUnknown => (
                "A033",
                Info,
                true,
                "SQL Server replication known",
                "Configuration Manager 2007 SP1 Upgrade Checklist",
            ),
            // Seed 002, "Upgrading a Primary Site": verify client push installation is disabled
            // before the upgrade, to keep control of the client upgrade.
            Self::ClientPushUnknown => (
                "A034",
                Info,
                true,
                "client push installation disabled",
                "Migrating to Configuration Manager 2007, Upgrading a Primary Site",
            ),
            // Seed 002, "Upgrade Prerequisites" (legacy clients do not work in ConfigMgr sites).
            Self::LegacyClients => (
                "A040",
                Warning,
                false,
                "no legacy clients",
                "Migrating to Configuration Manager 2007, Upgrade Prerequisites",
            ),
            // Seed 002, "Running the Prerequisite Checker" (the unsupported client OS query).
            Self::ClientOsUnsupported => (
                "A041",
                Warning,
                false,
                "clients on Windows 2000 SP4 / XP SP2 or later",
                "Migrating to Configuration Manager 2007, Running the Prerequisite Checker",
            ),
            // Seed 003, "Computer Client Operating System Requirements".
            Self::ClientOsBelowSupportedList => (
                "A042",
                Warning,
                false,
                "client operating systems on the supported list",
                "Configuration Manager 2007 SP1 Supported Configurations, Computer Client Operating System Requirements",
            ),
            Self::ClientOsUnknown => (
                "A043",
                Info,
                true,
                "client operating systems known",
                "Migrating to Configuration Manager 2007, Running the Prerequisite Checker",
            ),
            // Seed 003, "Unsupported Operating Systems".
            Self::Windows2000NativeMode => (
                "A044",
                Info,
                false,
                "Windows 2000 clients and native mode",
                "Configuration Manager 2007 SP1 Supported Configurations, Unsupported Operating Systems",
            ),
            // Seed 003, client OS table footnotes 6 and 7.
            Self::ClientOsHotfix => (
                "A045",
                Info,
                false,
                "client operating systems needing a hotfix",
                "Configuration Manager 2007 SP1 Supported Configurations, Computer Client Operating System Requirements",
            ),
            // Seed 002, "Running the Prerequisite Checker" (Client GUID consistency, Result: Error).
            Self::InconsistentGuids => (
                "A046",
                Error,
                false,
                "client GUID consistency",
                "Migrating to Configuration Manager 2007, Running the Prerequisite Checker",
            ),
            // Seed 001, "Managing Client Identity"; fix from seed 002 (delete smscfg.ini).
            Self::DuplicateGuids => (
                "A047",
                Warning,
                false,
                "one SMS GUID per client",
                "Configuration Manager 2007 client deployment changes, Managing Client Identity; \
                 Migrating to Configuration Manager 2007, Running the Prerequisite Checker",
            ),
            // Seed 001, "Managing Client Identity"; seed 000, site properties "Advanced" tab.
            Self::SharedHardwareId => (
                "A048",
                Info,
                false,
                "one hardware ID per client",
                "Configuration Manager 2007 client deployment changes, Managing Client Identity",
            ),
            // Seed 002, "About Supported Upgrade Paths"; seed 001, "Checking for Site
            // Compatibility".
            Self::ConfigMgrUnderSms => (
                "A050",
                Error,
                false,
                "no ConfigMgr site under an SMS 2003 parent",
                "Migrating to Configuration Manager 2007, About Supported Upgrade Paths",
            ),
            Self::ParentBlocked => (
                "A051",
                Error,
                false,
                "parent upgraded first (top-down)",
                "Migrating to Configuration Manager 2007, About Supported Upgrade Paths; \
                 Configuration Manager 2007 SP1 Upgrade Checklist",
            ),
            // Seed 002, "Upgrading Secondary Sites"; seed 004 (secondaries after primaries).
            Self::SecondaryAfterParent => (
                "A052",
                Info,
                false,
                "secondary sites after their parent primary",
                "Migrating to Configuration Manager 2007, Upgrading Secondary Sites",
            ),
            Self::NotInTree => (
                "A053",
                Error,
                false,
                "site has a place in the top-down order",
                "Migrating to Configuration Manager 2007, About Supported Upgrade Paths",
            ),
            // Seed 002, "Database Upgrade Tips and Tricks".
            Self::CustomTables => (
                "A060",
                Info,
                true,
                "custom tables exported",
                "Migrating to Configuration Manager 2007, Database Upgrade Tips and Tricks",
            ),
            Self::DefaultReports => (
                "A061",
                Info,
                true,
                "default report changes saved",
                "Migrating to Configuration Manager 2007, Database Upgrade Tips and Tricks",
            ),
            // Seed 002, "About Backing Up Your Site": "the upgrade removes any custom files you
            // have added to the SMS folder structure".
            Self::CustomFiles => (
                "A062",
                Info,
                true,
                "custom files in the SMS folders copied aside",
                "Migrating to Configuration Manager 2007, About Backing Up Your Site",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_well_formed() {
        for pair in RULES.windows(2) {
            assert!(pair[0].code() < pair[1].code(), "{:?}", pair);
        }
        for rule in RULES {
            let code = rule.code();
            assert_eq!(code.len(), 4);
            assert!(code.starts_with('A') && code[1..].chars().all(|c| c.is_ascii_digit()));
            if rule.cannot_tell() {
                assert_eq!(rule.severity(), Severity::Info, "{code}");
            }
            assert!(
                rule.reference().contains("Configuration Manager 2007"),
                "{code}"
            );
            assert!(!rule.name().is_empty());
        }
    }
}
