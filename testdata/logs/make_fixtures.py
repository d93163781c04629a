#!/usr/bin/env python3
"""Writes the ConfigMgr log fixtures byte for byte (encodings, BOMs, CRLF, cut-off endings).

Run from anywhere: `python3 testdata/logs/make_fixtures.py`. The output is checked in; this
script documents how each binary file was made. Texts follow the seed's examples (seed 002,
chapter 9): the two prerequisite-rule queries it quotes, the secondary-site upgrade excerpt, and
the failures listed under "Troubleshooting Upgrade Issues".
"""

import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))


def write(rel, data):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def crlf(lines):
    return "".join(line + "\r\n" for line in lines)


def stamp(day, clock):
    return f"<{day} {clock}>"


def stamped(day, entries):
    """entries: (clock, text) pairs; text may hold '\n' for unstamped continuation lines."""
    out = []
    for clock, text in entries:
        first, *rest = text.split("\n")
        out.append(f"{stamp(day, clock)} {first}".rstrip())
        out.extend(rest)
    return out


# --- the two rule queries seed 002 quotes -----------------------------------------------------

# As the real log writes it: one line. The book typesets `''` as `'`; see the verbatim fixture.
GUID_QUERY = (
    "select Netbios_Name0, SMS_Unique_Identifier0, GUID from System_DISC sys join "
    "MachineIdGroupXRef xref on sys.ItemKey=xref.MachineID where "
    "IsNULL(SMS_Unique_Identifier0,'') != IsNULL(GUID,'')"
)

OS_QUERY_LINES = [
    "select Netbios_Name0, ip.IP_Addresses0, Operating_System_Name_and0, os.CSDVersion0",
    "from System_DISC as sd left join Operating_System_DATA as os",
    "on sd.ItemKey = os.MachineID inner join System_SMS_Assign_ARR as assign",
    "on assign.ItemKey=sd.ItemKey left join System_IP_Address_ARR as ip",
    "on sd.ItemKey = ip.ItemKey",
    "where Netbios_Name0 in",
    "(select Netbios_Name0 from System_DISC as sd2",
    "left join Operating_System_DATA as os2 on sd2.ItemKey = os2.MachineID inner join",
    "System_SMS_Assign_ARR as assign2",
    "on assign2.ItemKey=sd2.ItemKey",
    "where (os2.BuildNumber0 < '2195'",
    "or (os2.BuildNumber0 = '2600' and os2.CSDVersion0 < 'Service Pack 2')",
    "or (os2.BuildNumber0 = '2195' and os2.CSDVersion0 < 'Service Pack 4') )",
    'and sd2.Client0=\'1\' and assign2.SMS_Assigned_Sites0="HOU")',
]


def os_query(site='"HOU"'):
    lines = list(OS_QUERY_LINES)
    lines[-1] = lines[-1].replace('"HOU"', site)
    return "\n".join(lines)


GUID_TEXT = (
    "Inconsistent client GUIDs can lead to SQL Server errors and should be resolved before "
    "continuing the upgrade process."
)
OS_TEXT = "Configuration Manager clients are only supported on Windows 2000 SP4 or later operating systems."


def seed_hou_prereq():
    server = "HOUSMS01.contoso.com"
    return stamped(
        "10-26-2008",
        [
            ("17:19:20", "********************************************"),
            ("17:19:20", "******* Start Prerequisite checking. *******"),
            ("17:19:20", "********************************************"),
            ("17:19:21", f"INFO: Setup type: upgrade. Site code: HOU. Site server: {server}"),
            ("17:19:21", "INFO: Setup is running as CONTOSO\\René.Dupré"),
            ("17:19:22", f"{server};    Administrative rights on site system;    Passed"),
            ("17:19:23", f"{server};    Minimum .NET Framework version for Configuration Manager site server;    Passed"),
            ("17:19:24", f"{server};    SQL Server version;    Passed"),
            ("17:19:25", f"{server};    WSUS SDK on site server;    Warning;    Configuration Manager requires the WSUS 3.0 administration components on the site server to manage software updates."),
            ("17:19:26", f"{server};    Schannel hotfix;    Warning;    The Windows Server 2003 schannel hotfix is required on out of band service points."),
            ("17:19:27", f"{server};    Backlogged inboxes;    Error;    The site server has backlogged inboxes; process or remove the files before upgrading."),
            ("17:19:41", "Rule Name: Client GUID consistency"),
            ("17:19:42", f"Query {GUID_QUERY} returned one or more rows."),
            ("17:19:42", "Result: Error"),
            ("17:19:42", GUID_TEXT),
            ("17:19:43", "Rule Name: Unsupported client operating system version"),
            ("17:19:44", f"Query {os_query()} returned one or more rows."),
            ("17:19:44", "Result: Warning"),
            ("17:19:44", OS_TEXT),
            ("17:19:50", f"{server};    Client GUID consistency;    Error;    {GUID_TEXT}"),
            ("17:19:50", f"{server};    Unsupported client operating system version;    Warning;    {OS_TEXT}"),
            ("17:19:51", "***************************************************"),
            ("17:19:51", "******* Prerequisite checking is completed. *******"),
            ("17:19:51", "***************************************************"),
        ],
    )


def secondary_summary():
    """The check run on the primary with "All secondary sites" ticked (servers per line)."""
    return stamped(
        "11-01-2008",
        [
            ("08:02:10", "******* Start Prerequisite checking. *******"),
            ("08:02:11", "INFO: Checking secondary site BEA (Beaumont) on BEASMS01.contoso.com"),
            ("08:02:12", "BEASMS01.contoso.com;    Administrative rights on site system;    Passed"),
            ("08:02:13", "BEASMS01.contoso.com;    Domain membership;    Passed"),
            ("08:02:14", "BEASMS01.contoso.com;    Pending system restart;    Error;    A system restart is pending; restart the server and run the check again."),
            ("08:02:20", "INFO: Checking secondary site AUS (Austin) on AUSSMS01.contoso.com"),
            ("08:02:21", "AUSSMS01.contoso.com;    Administrative rights on site system;    Passed"),
            ("08:02:22", "AUSSMS01.contoso.com;    Domain membership;    Passed"),
            ("08:02:23", "AUSSMS01.contoso.com;    Pending system restart;    Passed"),
            ("08:02:30", "******* Prerequisite checking is completed. *******"),
        ],
    )


def quotes_edge_cases():
    """Value-position double quotes in IN lists and LIKE, an embedded single quote, a quoted
    identifier that must stay, and a rule logged in a later run with a new result."""
    in_list = "\n".join(OS_QUERY_LINES[:-1]) + (
        "\nand sd2.Client0='1' and assign2.SMS_Assigned_Sites0 in (\"HOU\", \"BEA\", \"AUS\"))"
    )
    return stamped(
        "11-03-2008",
        [
            ("09:00:00", "Rule Name: Unsupported client operating system version"),
            ("09:00:01", f"Query {in_list} returned one or more rows."),
            ("09:00:01", "Result: Warning"),
            ("09:00:01", OS_TEXT),
            ("09:00:02", "Rule Name: Client GUID consistency"),
            (
                "09:00:03",
                'Query select sys.Netbios_Name0 as "Client name", sys.Name0 from System_DISC sys\n'
                "where sys.Resource_Domain_OR_Workgr0 like \"O'HARE%\"\n"
                'and sys.Netbios_Name0 <> "SMS-000005" returned one or more rows.',
            ),
            ("09:00:03", "Result: Error"),
            ("09:00:03", GUID_TEXT),
            ("09:30:00", "******* Start Prerequisite checking. *******"),
            ("09:30:01", "Rule Name: Client GUID consistency"),
            ("09:30:02", f"Query {GUID_QUERY} returned no rows."),
            ("09:30:02", "Result: Passed"),
            ("09:30:05", "******* Prerequisite checking is completed. *******"),
        ],
    )


def verbatim_lost_quote():
    """The client GUID excerpt exactly as the book prints it: the typesetting turned each `''`
    into `'` and wrapped the lines (its arrows dropped here)."""
    return [
        "<10-26-2008 17:19:41> Rule Name: Client GUID consistency",
        "<10-26-2008 17:19:42> Query select Netbios_Name0, SMS_Unique_Identifier0,",
        "GUID from System_DISC sys join MachineIdGroupXRef xref on",
        "sys.ItemKey=xref.MachineID where IsNULL(SMS_Unique_Identifier0,')",
        "!= IsNULL(GUID,') returned one or more rows.",
        "<10-26-2008 17:19:42> Result: Error",
        "<10-26-2008 17:19:42> Inconsistent client GUIDs can lead to SQL",
        "Server errors and should be resolved before continuing the upgrade process.",
    ]


def trace(text, clock, thread=2868):
    return f"{text}  $$<Configuration Manager Setup><11-04-2008 {clock}+300><thread={thread} (0x{thread:X})>"


def prereq_trace_format():
    """Trace-format lines; the query's first lines carry no stamp, the stamp closes the entry."""
    return [
        trace("INFO: Starting prerequisite checking.", "10:00:00.100"),
        trace("Rule Name: Client GUID consistency", "10:00:01.200"),
        "Query select Netbios_Name0, SMS_Unique_Identifier0, GUID from System_DISC sys join",
        "MachineIdGroupXRef xref on sys.ItemKey=xref.MachineID",
        trace("where IsNULL(SMS_Unique_Identifier0,'') != IsNULL(GUID,'') returned one or more rows.", "10:00:01.350"),
        trace("Result: Error", "10:00:01.351"),
        trace(GUID_TEXT, "10:00:01.352"),
        trace("HOUSMS01.contoso.com;    SQL Server version;    Passed", "10:00:02.000"),
        trace("Prerequisite checking is completed.", "10:00:03.000"),
    ]


def prereq_malformed():
    return [
        "garbage before the first entry",
        "<10-26-2008 17:19:41> Rule Name: Client GUID consistency",
        "<13-26-2008 17:19:42> Query this stamp has a thirteenth month",
        "<10-26-2008 17:19> Result: Error",
        "<10-26-2008 17:19:43> Result: Skipped",
        "<10-26-2008 17:19:44> Query select 1 returned one or more rows.",
        "<10-26-2008 17:19:45> INFO: a query before any rule name follows",
        "<10-26-2008 17:19:46> Rule Name: Rule without result",
        "<10-26-2008 17:19:47> Query select * from v_R_System where Name0 = \"HOU-01\" and (Client0 = 1",
        "<10-26-2008 17:19:48> HOUSMS01;    Pending system restart;    Error;    Restart the server.",
        "<10-26-2008 17:19:49> Query select 2 returned no rows.",
        "trailing text continuing that query",
    ]


def prereq_fixtures():
    write("prereq/seed_hou_ansi.log", crlf(seed_hou_prereq()).encode("cp1252"))
    write("prereq/seed_hou_utf16le_bom.log", b"\xff\xfe" + crlf(seed_hou_prereq()).encode("utf-16-le"))
    write("prereq/secondary_summary_utf16be.log", crlf(secondary_summary()).encode("utf-16-be"))
    write("prereq/quotes_edge_cases.log", crlf(quotes_edge_cases()).encode("cp1252"))
    write("prereq/seed_verbatim_lost_quote.log", crlf(verbatim_lost_quote()).encode("cp1252"))
    write("prereq/trace_format.log", crlf(prereq_trace_format()).encode("utf-8"))
    # Cut inside the OS query's "HOU" and then half a code unit: the checker was killed.
    full = b"\xff\xfe" + crlf(seed_hou_prereq()).encode("utf-16-le")
    cut = full.index('"HO'.encode("utf-16-le")) + len('"HO'.encode("utf-16-le")) + 1
    write("prereq/truncated_mid_query_utf16le.log", full[:cut])
    malformed = crlf(prereq_malformed()).encode("cp1252")
    malformed = malformed.replace(b"garbage before", b"\x00\x01\xfe\xffgarbage before")
    write("prereq/malformed.log", malformed + b"\x00" * 64)


# --- ConfigMgrSetup.log --------------------------------------------------------------------------

def setup_secondary_success():
    # The seed's secondary-site excerpt; its wrapped "path <...>" line is a continuation line.
    return stamped(
        "11-02-2008",
        [
            ("09:12:01", "SMS Setup full version is 4.00.5931.0000"),
            ("09:12:02", "SMS Build Number = 5931"),
            ("09:12:05", "Upgrading secondary site BEA (parent site HOU)."),
            ("09:14:10", "Installing SMS Site Component Manager ..."),
            ("09:14:10", "Installing Site Component Manager under acct <NT AUTHORITY\\SYSTEM>\npath <C:\\SMS\\bin\\i386\\sitecomp.exe>"),
            ("09:14:11", "Started Site Component Manager service"),
            ("09:14:11", "SMS Site Component Manager installation completed."),
            ("09:14:11", "Done with service installation"),
            ("09:14:12", "Starting WMI."),
            ("09:14:12", "Using default Timeout value."),
            ("09:14:12", "Checking status of WinMgmt..."),
            ("09:14:13", "Verified that WinMgmt is running."),
            ("09:14:13", "SMS Setup full version is 4.00.5931.0000"),
            ("09:15:40", "Installation and configuration processes are done."),
        ],
    )


def setup_xp_notification():
    return stamped(
        "10-28-2008",
        [
            ("21:02:11", "SMS Setup full version is 4.00.6221.1000"),
            ("21:02:12", "Existing SMS site version is 2.50.4253.3000"),
            ("21:05:40", "Upgrading the site database SMS_HOU on HOUSQL01."),
            ("21:09:02", "Importing the default site control file into the database."),
            ("21:09:03", "error xp_SMS_notification not found"),
            ("21:09:03", "Error: Cannot insert the default site control image to the database."),
            ("21:09:04", "Setup failed to upgrade the site database."),
        ],
    )


def setup_compile_mof():
    return stamped(
        "10-29-2008",
        [
            ("14:20:00", "SMS Setup full version is 4.00.6221.1000"),
            ("14:31:10", "Installing the SMS Provider on HOUSMS01."),
            ("14:31:12", "Compiling MOF file C:\\SMS\\bin\\i386\\smsprov.mof"),
            ("14:31:20", "CompileMOFFile: Failed to compile MOF C:\\SMS\\bin\\i386\\smsprov.mof"),
            ("14:31:20", "Failed to install the SMS Provider."),
        ],
    )


def setup_install_map():
    return stamped(
        "11-05-2008",
        [
            ("07:40:00", "SMS_BOOTSTRAP started; installation source C:\\SMSSetup"),
            ("07:40:01", "Cannot find install.map in C:\\SMSSetup\\bin\\i386."),
            ("07:40:02", "install.map build number 5931 does not match the parent site build 6221."),
            ("07:40:02", "SMS_BOOTSTRAP failed to start Setup."),
        ],
    )


def setup_wrong_site_type():
    return stamped(
        "11-06-2008",
        [
            ("16:00:00", "SMS Setup full version is 4.00.6221.1000"),
            ("16:00:02", "Detected an existing SMS secondary site on this server."),
            ("16:00:03", "The site type in the registry does not match the site type in the site control file."),
            ("16:00:03", "Setup is unable to continue."),
        ],
    )


def setup_sql_monitor():
    return stamped(
        "11-07-2008",
        [
            ("10:00:00", "SMS Setup full version is 4.00.6221.1000"),
            ("10:20:00", "SMS Site Component Manager installation completed."),
            ("10:21:00", "Removing the SMS SQL Monitor service."),
            ("10:21:01", "Failed to delete service SMS_SQL_MONITOR, error 1072 (The specified service has been marked for deletion)."),
            ("10:25:00", "Installation and configuration processes are done."),
        ],
    )


def setup_rerun():
    return setup_xp_notification() + stamped(
        "10-29-2008",
        [
            ("08:00:00", "SMS Setup full version is 4.00.6221.1000"),
            ("08:01:00", "Re-created xp_SMS_notification in master."),
            ("08:40:00", "SMS Site Component Manager installation completed."),
            ("08:45:00", "Installation and configuration processes are done."),
        ],
    )


def setup_trace_cb():
    return [
        trace("INFO: Configuration Manager Setup full version is 5.00.8540.1000", "04:10:00.100"),
        trace("INFO: Connecting to SQL Server HOUSQL01.", "04:15:01.900"),
        "[SQL Server Native Client 11.0]TCP Provider: An existing connection was forcibly closed by the remote host.~~",
        trace(" *** [08001][10054][Microsoft][SQL Server Native Client 11.0]Client unable to establish connection", "04:15:01.917"),
        trace(" *** Failed to connect to the SQL Server, connection type: SMS ACCESS.", "04:15:01.917"),
        trace("~Setup has encountered fatal errors during database initialization.", "04:15:02.010"),
    ]


def setup_malformed():
    return [
        "<11-08-2008 12:00:00> SMS Setup full version is 4.00.6221.1000",
        "<11-32-2008 12:00:01> this day does not exist",
        "<11-08-2008 12:00:02 missing the closing bracket",
        "plain continuation line",
        "<11-08-2008 12:00:03> Error: Setup could not open the registry key.",
    ]


def setup_fixtures():
    write("setup/secondary_upgrade_success.log", crlf(setup_secondary_success()).encode("cp1252"))
    write("setup/xp_sms_notification_utf16le_bom.log", b"\xff\xfe" + crlf(setup_xp_notification()).encode("utf-16-le"))
    write("setup/compile_mof.log", crlf(setup_compile_mof()).encode("cp1252"))
    write("setup/bootstrap_install_map.log", crlf(setup_install_map()).encode("cp1252"))
    write("setup/wrong_site_type.log", crlf(setup_wrong_site_type()).encode("cp1252"))
    write("setup/sql_monitor_leftover.log", crlf(setup_sql_monitor()).encode("cp1252"))
    write("setup/rerun_after_failure.log", crlf(setup_rerun()).encode("cp1252"))
    write("setup/trace_format_cb.log", b"\xef\xbb\xbf" + crlf(setup_trace_cb()).encode("utf-8"))
    # No BOM, cut after the last full line's first half and an odd byte.
    full = crlf(setup_secondary_success()[:-2]).encode("utf-16-le")
    write("setup/truncated_utf16le.log", full[: len(full) - 41])
    mixed = crlf(setup_malformed()).encode("cp1252").replace(b"plain continuation line\r\n", b"plain \x00continuation line\n")
    write("setup/malformed.log", mixed)


def garbage_fixtures():
    rng = random.Random(20081026)
    write("not_a_log.bin", bytes(rng.randrange(256) for _ in range(4096)))
    write("empty.log", b"")


if __name__ == "__main__":
    prereq_fixtures()
    setup_fixtures()
    garbage_fixtures()
