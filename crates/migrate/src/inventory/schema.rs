//! The offline export format: one CSV file per table, its columns, and the read-only
//! extraction query that produces it (documented in `docs/inventory-format.md`).
//!
//! Column names are the SMS 2003 view column names wherever a view has the value; columns that
//! come from a join or from outside the reporting views carry descriptive aliases. The same
//! [`TableSpec`] drives the CSV loader (header validation), `smsmig inventory sql` (the query
//! text) and `smsmig inventory pull` (view discovery and the query actually run), so the three
//! cannot drift apart.

use std::fmt::Write as _;

/// Every table of the export, in load order (referenced tables first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Table {
    /// `sites.csv`.
    Sites,
    /// `site_settings.csv`.
    SiteSettings,
    /// `boundaries.csv`.
    Boundaries,
    /// `collections.csv`.
    Collections,
    /// `subcollections.csv`.
    Subcollections,
    /// `collection_query_rules.csv`.
    CollectionQueryRules,
    /// `collection_direct_rules.csv`.
    CollectionDirectRules,
    /// `packages.csv`.
    Packages,
    /// `programs.csv`.
    Programs,
    /// `advertisements.csv`.
    Advertisements,
    /// `queries.csv`.
    Queries,
    /// `reports.csv`.
    Reports,
    /// `clients.csv`.
    Clients,
    /// `client_os.csv`.
    ClientOs,
    /// `client_ip_addresses.csv`.
    ClientIpAddresses,
    /// `client_ip_subnets.csv`.
    ClientIpSubnets,
    /// `client_assigned_sites.csv`.
    ClientAssignedSites,
}

/// Where a column's value comes from in the site database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A column of a view or table joined in the query (`alias.column`).
    Object {
        /// Alias used in the query's FROM clause.
        alias: &'static str,
        /// Column name in that object.
        column: &'static str,
    },
    /// A computed expression (server properties, constants).
    Expr(&'static str),
    /// Not available from SQL: the value is filled in by hand or left empty.
    None,
}

/// One CSV column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Header name.
    pub name: &'static str,
    /// The header must contain this column (otherwise it may be left out).
    pub required: bool,
    /// The value may be empty (or `NULL`).
    pub nullable: bool,
    /// Where the value comes from.
    pub source: Source,
}

/// A database object a query reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Object {
    /// Alias in the query.
    pub alias: &'static str,
    /// View or table name.
    pub name: &'static str,
    /// The query cannot run without it (the driving object); others are LEFT JOINed.
    pub required: bool,
}

/// One CSV file of the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableSpec {
    /// Which table.
    pub table: Table,
    /// File name inside the inventory directory.
    pub file: &'static str,
    /// The directory must contain this file; other files may be absent (treated as empty).
    pub required_file: bool,
    /// One line saying what a row is.
    pub purpose: &'static str,
    /// Columns, in header order.
    pub columns: &'static [Column],
    /// Views and tables the query reads; empty when the data is not in the database's views.
    pub objects: &'static [Object],
    /// FROM clause (with joins) using the aliases of `objects`.
    pub from: &'static str,
    /// ORDER BY expression list, so exports are deterministic.
    pub order_by: &'static str,
}

const fn req(name: &'static str, alias: &'static str, column: &'static str) -> Column {
    Column {
        name,
        required: true,
        nullable: false,
        source: Source::Object { alias, column },
    }
}

const fn req_null(name: &'static str, alias: &'static str, column: &'static str) -> Column {
    Column {
        name,
        required: true,
        nullable: true,
        source: Source::Object { alias, column },
    }
}

const fn opt(name: &'static str, alias: &'static str, column: &'static str) -> Column {
    Column {
        name,
        required: false,
        nullable: true,
        source: Source::Object { alias, column },
    }
}

const fn opt_expr(name: &'static str, expr: &'static str) -> Column {
    Column {
        name,
        required: false,
        nullable: true,
        source: Source::Expr(expr),
    }
}

const fn manual(name: &'static str, required: bool, nullable: bool) -> Column {
    Column {
        name,
        required,
        nullable,
        source: Source::None,
    }
}

const fn view(alias: &'static str, name: &'static str) -> Object {
    Object {
        alias,
        name,
        required: true,
    }
}

const fn joined(alias: &'static str, name: &'static str) -> Object {
    Object {
        alias,
        name,
        required: false,
    }
}

/// All tables, in load order.
pub const TABLES: &[TableSpec] = &[
    TableSpec {
        table: Table::Sites,
        file: "sites.csv",
        required_file: true,
        purpose: "one row per site of the hierarchy, with its site server's operating system",
        columns: &[
            req("SiteCode", "s", "SiteCode"),
            req("SiteName", "s", "SiteName"),
            req_null("ReportingSiteCode", "s", "ReportingSiteCode"),
            req("Type", "s", "Type"),
            req("Version", "s", "Version"),
            req("BuildNumber", "s", "BuildNumber"),
            req("ServerName", "s", "ServerName"),
            opt("InstallDir", "s", "InstallDir"),
            opt("ServerOSCaption", "os", "Caption0"),
            opt("ServerOSVersion", "os", "Version0"),
            opt("ServerCSDVersion", "os", "CSDVersion0"),
        ],
        objects: &[
            view("s", "v_Site"),
            joined("sys", "v_R_System"),
            joined("os", "v_GS_OPERATING_SYSTEM"),
        ],
        // A correlated MIN() instead of APPLY/ROW_NUMBER so the query also runs on SQL Server
        // 2000, the very servers that must use the offline route.
        from: "v_Site AS s\n\
               LEFT JOIN v_GS_OPERATING_SYSTEM AS os ON os.ResourceID =\n    \
               (SELECT MIN(sys.ResourceID) FROM v_R_System AS sys\n     \
               WHERE sys.Netbios_Name0 = s.ServerName AND ISNULL(sys.Obsolete0, 0) = 0)",
        order_by: "s.SiteCode",
    },
    TableSpec {
        table: Table::SiteSettings,
        file: "site_settings.csv",
        required_file: false,
        purpose: "per-site facts kept outside the reporting views (site control file, SQL Server)",
        columns: &[
            req("SiteCode", "i", "ThisSiteCode"),
            manual("SecurityMode", false, true),
            manual("ServicePack", false, true),
            opt_expr(
                "SQLServer",
                "CAST(SERVERPROPERTY('MachineName') AS nvarchar(128))",
            ),
            opt_expr("SQLDatabase", "DB_NAME()"),
            opt_expr(
                "SQLVersion",
                "CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128))",
            ),
            opt_expr(
                "SQLServicePack",
                "CAST(SERVERPROPERTY('ProductLevel') AS nvarchar(128))",
            ),
            opt_expr(
                "SQLReplication",
                "CASE WHEN DATABASEPROPERTYEX(DB_NAME(), 'IsPublished') = 1\n\
                 \x20        OR DATABASEPROPERTYEX(DB_NAME(), 'IsMergePublished') = 1\n\
                 \x20        OR DATABASEPROPERTYEX(DB_NAME(), 'IsSubscribed') = 1\n\
                 \x20      THEN 1 ELSE 0 END",
            ),
            manual("DotNet20", false, true),
            manual("FeaturePacks", false, true),
        ],
        objects: &[view("i", "v_Identification")],
        from: "v_Identification AS i",
        order_by: "i.ThisSiteCode",
    },
    TableSpec {
        table: Table::Boundaries,
        file: "boundaries.csv",
        required_file: false,
        purpose: "site and roaming boundaries (site control file: SMS_SCI_SiteAssignment, \
                  SMS_SCI_RoamingBoundary)",
        columns: &[
            manual("SiteCode", true, false),
            manual("BoundaryType", true, false),
            manual("Value", true, false),
            manual("Roaming", true, true),
        ],
        objects: &[],
        from: "",
        order_by: "",
    },
    TableSpec {
        table: Table::Collections,
        file: "collections.csv",
        required_file: false,
        purpose: "one row per collection",
        columns: &[
            req("CollectionID", "c", "CollectionID"),
            req("Name", "c", "Name"),
            opt("Comment", "c", "Comment"),
        ],
        objects: &[view("c", "v_Collection")],
        from: "v_Collection AS c",
        order_by: "c.CollectionID",
    },
    TableSpec {
        table: Table::Subcollections,
        file: "subcollections.csv",
        required_file: false,
        purpose: "one row per parent/subcollection link",
        columns: &[
            req("parentCollectionID", "l", "parentCollectionID"),
            req("subCollectionID", "l", "subCollectionID"),
        ],
        objects: &[view("l", "v_CollectToSubCollect")],
        from: "v_CollectToSubCollect AS l",
        order_by: "l.parentCollectionID, l.subCollectionID",
    },
    TableSpec {
        table: Table::CollectionQueryRules,
        file: "collection_query_rules.csv",
        required_file: false,
        purpose: "one row per query membership rule",
        columns: &[
            req("CollectionID", "q", "CollectionID"),
            req("RuleName", "q", "RuleName"),
            req("QueryExpression", "q", "QueryExpression"),
            opt("LimitToCollectionID", "q", "LimitToCollectionID"),
            opt("QueryID", "q", "QueryID"),
        ],
        objects: &[view("q", "v_CollectionRuleQuery")],
        from: "v_CollectionRuleQuery AS q",
        order_by: "q.CollectionID, q.RuleName",
    },
    TableSpec {
        table: Table::CollectionDirectRules,
        file: "collection_direct_rules.csv",
        required_file: false,
        purpose: "one row per direct membership rule",
        columns: &[
            req("CollectionID", "d", "CollectionID"),
            req("ResourceID", "d", "ResourceID"),
            req("RuleName", "d", "RuleName"),
        ],
        objects: &[view("d", "v_CollectionRuleDirect")],
        from: "v_CollectionRuleDirect AS d",
        order_by: "d.CollectionID, d.ResourceID",
    },
    TableSpec {
        table: Table::Packages,
        file: "packages.csv",
        required_file: false,
        purpose: "one row per software distribution package",
        columns: &[
            req("PackageID", "p", "PackageID"),
            req("Name", "p", "Name"),
            opt("Version", "p", "Version"),
            opt("Manufacturer", "p", "Manufacturer"),
            opt("Language", "p", "Language"),
            opt("Description", "p", "Description"),
            opt("PkgSourcePath", "p", "PkgSourcePath"),
            opt("SourceSite", "p", "SourceSite"),
        ],
        objects: &[view("p", "v_Package")],
        from: "v_Package AS p",
        order_by: "p.PackageID",
    },
    TableSpec {
        table: Table::Programs,
        file: "programs.csv",
        required_file: false,
        purpose: "one row per program of a package",
        columns: &[
            req("PackageID", "g", "PackageID"),
            req("ProgramName", "g", "ProgramName"),
            req("CommandLine", "g", "CommandLine"),
            opt("Comment", "g", "Comment"),
            opt("ProgramFlags", "g", "ProgramFlags"),
            opt("DependentProgram", "g", "DependentProgram"),
        ],
        objects: &[view("g", "v_Program")],
        from: "v_Program AS g",
        order_by: "g.PackageID, g.ProgramName",
    },
    TableSpec {
        table: Table::Advertisements,
        file: "advertisements.csv",
        required_file: false,
        purpose: "one row per advertisement",
        columns: &[
            req("AdvertisementID", "a", "AdvertisementID"),
            req("AdvertisementName", "a", "AdvertisementName"),
            req("PackageID", "a", "PackageID"),
            req("ProgramName", "a", "ProgramName"),
            req("CollectionID", "a", "CollectionID"),
            opt("SourceSite", "a", "SourceSite"),
            opt("IncludeSubCollection", "a", "IncludeSubCollection"),
        ],
        objects: &[view("a", "v_Advertisement")],
        from: "v_Advertisement AS a",
        order_by: "a.AdvertisementID",
    },
    TableSpec {
        table: Table::Queries,
        file: "queries.csv",
        required_file: false,
        purpose: "one row per stored query",
        columns: &[
            req("QueryID", "q", "QueryID"),
            req("Name", "q", "Name"),
            opt("Comments", "q", "Comments"),
            opt("TargetClassName", "q", "TargetClassName"),
            req("Expression", "q", "Expression"),
            opt("LimitToCollectionID", "q", "LimitToCollectionID"),
        ],
        objects: &[view("q", "v_Query")],
        from: "v_Query AS q",
        order_by: "q.QueryID",
    },
    TableSpec {
        table: Table::Reports,
        file: "reports.csv",
        required_file: false,
        purpose: "one row per web report",
        columns: &[
            req("ReportID", "r", "ReportID"),
            req("Name", "r", "Name"),
            opt("Category", "r", "Category"),
            opt("Comment", "r", "Comment"),
            req("SQLQuery", "r", "SQLQuery"),
            opt("SecurityKey", "r", "SecurityKey"),
        ],
        objects: &[view("r", "v_Report")],
        from: "v_Report AS r",
        order_by: "r.ReportID",
    },
    TableSpec {
        table: Table::Clients,
        file: "clients.csv",
        required_file: false,
        purpose: "one row per discovered system resource",
        columns: &[
            req("ResourceID", "sys", "ResourceID"),
            req("Netbios_Name0", "sys", "Netbios_Name0"),
            opt("SMS_Unique_Identifier0", "sys", "SMS_Unique_Identifier0"),
            opt("Hardware_ID0", "sys", "Hardware_ID0"),
            opt("MachineIdGUID", "xref", "GUID"),
            opt("Client0", "sys", "Client0"),
            opt("Client_Type0", "sys", "Client_Type0"),
            opt("Client_Version0", "sys", "Client_Version0"),
            opt("Obsolete0", "sys", "Obsolete0"),
            opt(
                "Resource_Domain_OR_Workgr0",
                "sys",
                "Resource_Domain_OR_Workgr0",
            ),
            opt("AD_Site_Name0", "sys", "AD_Site_Name0"),
            opt(
                "Operating_System_Name_and0",
                "sys",
                "Operating_System_Name_and0",
            ),
        ],
        objects: &[
            view("sys", "v_R_System"),
            joined("xref", "MachineIdGroupXRef"),
        ],
        from: "v_R_System AS sys\n\
               LEFT JOIN MachineIdGroupXRef AS xref ON xref.MachineID = sys.ResourceID",
        order_by: "sys.ResourceID",
    },
    TableSpec {
        table: Table::ClientOs,
        file: "client_os.csv",
        required_file: false,
        purpose: "one row per resource with hardware inventory of its operating system",
        columns: &[
            req("ResourceID", "os", "ResourceID"),
            opt("Caption0", "os", "Caption0"),
            opt("Version0", "os", "Version0"),
            opt("BuildNumber0", "os", "BuildNumber0"),
            opt("CSDVersion0", "os", "CSDVersion0"),
        ],
        objects: &[view("os", "v_GS_OPERATING_SYSTEM")],
        from: "v_GS_OPERATING_SYSTEM AS os",
        order_by: "os.ResourceID",
    },
    TableSpec {
        table: Table::ClientIpAddresses,
        file: "client_ip_addresses.csv",
        required_file: false,
        purpose: "one row per IP address of a resource",
        columns: &[
            req("ResourceID", "ip", "ResourceID"),
            req("IP_Addresses0", "ip", "IP_Addresses0"),
        ],
        objects: &[view("ip", "v_RA_System_IPAddresses")],
        from: "v_RA_System_IPAddresses AS ip",
        order_by: "ip.ResourceID, ip.IP_Addresses0",
    },
    TableSpec {
        table: Table::ClientIpSubnets,
        file: "client_ip_subnets.csv",
        required_file: false,
        purpose: "one row per IP subnet of a resource",
        columns: &[
            req("ResourceID", "sn", "ResourceID"),
            req("IP_Subnets0", "sn", "IP_Subnets0"),
        ],
        objects: &[view("sn", "v_RA_System_IPSubnets")],
        from: "v_RA_System_IPSubnets AS sn",
        order_by: "sn.ResourceID, sn.IP_Subnets0",
    },
    TableSpec {
        table: Table::ClientAssignedSites,
        file: "client_assigned_sites.csv",
        required_file: false,
        purpose: "one row per site a resource is assigned to",
        columns: &[
            req("ResourceID", "asg", "ResourceID"),
            req("SMS_Assigned_Sites0", "asg", "SMS_Assigned_Sites0"),
        ],
        objects: &[view("asg", "v_RA_System_SMSAssignedSites")],
        from: "v_RA_System_SMSAssignedSites AS asg",
        order_by: "asg.ResourceID, asg.SMS_Assigned_Sites0",
    },
];

impl Table {
    /// This table's spec.
    pub fn spec(self) -> &'static TableSpec {
        TABLES
            .iter()
            .find(|t| t.table == self)
            .unwrap_or(&TABLES[0])
    }
}

impl TableSpec {
    /// Index of the column called `name` (case-insensitive, as SQL Server compares names).
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// True when the table has an extraction query (boundaries do not).
    pub fn has_query(&self) -> bool {
        !self.objects.is_empty()
    }

    /// The extraction query with every column. `available(alias, column)` says whether an
    /// optional object's column exists (pass `|_, _| true` for the documented full query);
    /// missing ones, and columns with no SQL source, are selected as `NULL` so the CSV keeps
    /// its header. Returns `None` for tables without a query.
    pub fn select_sql(&self, available: &dyn Fn(&str, &str) -> bool) -> Option<String> {
        if !self.has_query() {
            return None;
        }
        let mut sql = String::from("SELECT");
        for (i, col) in self.columns.iter().enumerate() {
            let sep = if i == 0 { " " } else { ",\n       " };
            let expr = match col.source {
                Source::Object { alias, column } if available(alias, column) => {
                    if column == col.name {
                        format!("{alias}.{column}")
                    } else {
                        format!("{alias}.{column} AS {}", col.name)
                    }
                }
                Source::Expr(expr) => format!("{expr} AS {}", col.name),
                Source::Object { .. } | Source::None => format!("NULL AS {}", col.name),
            };
            let _ = write!(sql, "{sep}{expr}");
        }
        let _ = write!(sql, "\nFROM {}\nORDER BY {}", self.from, self.order_by);
        Some(sql)
    }
}

/// The whole extraction script as `smsmig inventory sql` prints it: every query, each preceded
/// by a comment naming the CSV it produces, and a comment block for boundaries.
pub fn extraction_script() -> String {
    let mut out = String::from(
        "-- smsmig inventory extraction queries (read-only SELECTs).\n\
         -- Run against the central site's database (SMS_<site code>) and save each result\n\
         -- as the named CSV file, with a header row, in one directory. For example:\n\
         --   sqlcmd -S <server> -d SMS_HOU -E -s\",\" -W -Q \"SET NOCOUNT ON; <query>\" -o sites.csv\n\
         -- SQL Server 2000 sites: run them in Query Analyzer and save the results as CSV.\n\
         SET NOCOUNT ON;\n",
    );
    for spec in TABLES {
        out.push('\n');
        let _ = writeln!(out, "-- {}: {}", spec.file, spec.purpose);
        match spec.select_sql(&|_, _| true) {
            Some(sql) => {
                if spec.columns.iter().any(|c| c.source == Source::None) {
                    let manual: Vec<&str> = spec
                        .columns
                        .iter()
                        .filter(|c| c.source == Source::None)
                        .map(|c| c.name)
                        .collect();
                    let _ = writeln!(
                        out,
                        "-- Not in the site database's views; fill in by hand: {}.",
                        manual.join(", ")
                    );
                }
                out.push_str(&sql);
                out.push_str(";\n");
            }
            None => out.push_str(BOUNDARY_NOTE),
        }
    }
    out
}

const BOUNDARY_NOTE: &str = "\
-- SMS 2003 keeps boundaries in the site control file, not in a reporting view, so there is
-- no query: `smsmig inventory script` writes a read-only VBScript that reads them from the
-- SMS Provider (SMS_SCI_SiteAssignment, SMS_SCI_RoamingBoundary) and writes this file. By
-- hand, write one row per boundary with the columns
--   SiteCode,BoundaryType,Value,Roaming
-- Site boundaries (AssignTypes/AssignDetails) have an empty Roaming; roaming boundaries
-- (Types/Details/Flags) have Roaming = Local (flag 0) or Remote (flag 1). BoundaryType is
-- IP Subnet, IP Range, AD Site or IPv6 Prefix.
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_in_enum_order_and_unique() {
        for pair in TABLES.windows(2) {
            assert!(pair[0].table < pair[1].table);
            assert_ne!(pair[0].file, pair[1].file);
        }
        for spec in TABLES {
            assert_eq!(spec.table.spec().file, spec.file);
            let mut names: Vec<String> = spec
                .columns
                .iter()
                .map(|c| c.name.to_ascii_lowercase())
                .collect();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), spec.columns.len(), "{}", spec.file);
        }
    }

    #[test]
    fn every_query_is_a_single_select_over_known_aliases() {
        for spec in TABLES.iter().filter(|s| s.has_query()) {
            let sql = spec.select_sql(&|_, _| true).unwrap();
            assert!(sql.starts_with("SELECT "), "{sql}");
            for word in [
                "INSERT", "UPDATE", "DELETE", "EXEC", "DROP", "ALTER", "INTO",
            ] {
                assert!(
                    !sql.to_ascii_uppercase()
                        .split(|c: char| !c.is_ascii_alphanumeric())
                        .any(|w| w == word),
                    "{} contains {word}",
                    spec.file
                );
            }
            for col in spec.columns {
                if let Source::Object { alias, .. } = col.source {
                    assert!(
                        spec.objects.iter().any(|o| o.alias == alias),
                        "{}: alias {alias}",
                        spec.file
                    );
                }
            }
        }
    }

    #[test]
    fn unavailable_columns_become_null() {
        let spec = Table::Clients.spec();
        let sql = spec.select_sql(&|alias, _| alias != "xref").unwrap();
        assert!(sql.contains("NULL AS MachineIdGUID"), "{sql}");
        assert!(sql.contains("sys.ResourceID"));
        assert!(Table::Boundaries.spec().select_sql(&|_, _| true).is_none());
    }
}
