' ---------------------------------------------------------------------------
' Everything below reads the SMS Provider through WmiConnect, WmiQuery and
' WmiProp only, with the queries declared above. It keeps to the VBScript that
' both Windows 2000/2003 cscript and Wine 8.0 run: no ChrW, AscW, Join, ReDim,
' WScript.Arguments.Named, WScript.StdOut or Sleep; values from WMI are never
' put into a query except site codes checked to be three letters or digits.
' ---------------------------------------------------------------------------

Dim fso, gServer, gOut, gWhatIf, gHelp, gEncoding, gWarnings, gByteMode
Dim gBoundaryRows, gSettingRows, gSites

Set fso = CreateObject("Scripting.FileSystemObject")
WScript.Quit Run()

Function Run()
    gWarnings = 0
    gByteMode = 0
    If Not ParseArgs() Then
        Usage
        Run = EXIT_USAGE
        Exit Function
    End If
    If gHelp Then
        Usage
        Run = EXIT_OK
        Exit Function
    End If
    If gWhatIf Then
        WhatIf
        Run = EXIT_OK
        Exit Function
    End If
    Run = Export()
End Function

Function ParseArgs()
    Dim i, a, la
    gServer = "."
    gOut = "."
    gWhatIf = False
    gHelp = False
    gEncoding = "utf-8"
    ParseArgs = True
    For i = 0 To WScript.Arguments.Count - 1
        a = WScript.Arguments(i)
        la = LCase(a)
        If la = "/whatif" Or la = "-whatif" Then
            gWhatIf = True
        ElseIf la = "/?" Or la = "/help" Or la = "-h" Or la = "--help" Then
            gHelp = True
        ElseIf Left(la, 8) = "/server:" And Len(a) > 8 Then
            gServer = Mid(a, 9)
        ElseIf Left(la, 5) = "/out:" And Len(a) > 5 Then
            gOut = Mid(a, 6)
        ElseIf la = "/encoding:utf-8" Or la = "/encoding:utf-16" Then
            gEncoding = Mid(la, 11)
        Else
            Say "error: unknown argument " & a
            ParseArgs = False
        End If
    Next
End Function

Sub Usage()
    Say "usage: cscript //nologo " & WScript.ScriptName & " [/server:NAME] [/out:DIR] [/encoding:utf-8|utf-16] [/whatif]"
    Say ""
    Say "Reads the site and roaming boundaries and site settings of every site the SMS"
    Say "Provider of NAME (default: this computer) reaches, and writes " & BOUNDARIES_FILE
    Say "and " & SETTINGS_FILE & " into DIR (default: the current directory) for"
    Say "smsmig inventory show/assess/plan. Read-only: it never changes the provider."
    Say "  /whatif    print the WMI queries it would run; connect to nothing, write nothing"
    Say "  /encoding  utf-8 (default) or utf-16 (UTF-16LE with BOM; smsmig reads both)"
    Say "Exit codes: 0 done, 1 bad arguments, 2 nothing exported, 3 exported with warnings."
End Sub

Sub WhatIf()
    Say "What if: connect to \\" & gServer & "\" & NS_ROOT & " and run"
    Say "  " & Q_PROVIDER_LOCATION
    Say "then connect to \\<Machine>\" & NS_SITE_PREFIX & "<SiteCode> of that provider and run"
    Say "  " & Q_SITES
    Say "then once for each site it lists (site codes checked: three letters or digits)"
    Say "  " & Q_SITE_ASSIGNMENT
    Say "  " & Q_ROAMING_BOUNDARY
    Say "  " & Q_SITE_DEFINITION
    Say "and write " & fso.BuildPath(gOut, BOUNDARIES_FILE) & " and " & fso.BuildPath(gOut, SETTINGS_FILE) & " (" & gEncoding & ")."
    Say "Nothing was read or written."
End Sub

Sub Say(text)
    WScript.Echo text
End Sub

Sub Warn(text)
    gWarnings = gWarnings + 1
    Say "warning: " & text
End Sub

' ---- the export ------------------------------------------------------------

Function Export()
    Dim root, site, locations, loc, machine, code, found, sites, o, n
    Export = EXIT_NOTHING
    If Not fso.FolderExists(gOut) Then
        Say "error: output folder " & gOut & " does not exist"
        Exit Function
    End If
    If Not WmiConnect(gServer, NS_ROOT, root) Then
        Say "error: cannot connect to \\" & gServer & "\" & NS_ROOT & " (" & gWmiError & ")"
        Exit Function
    End If
    If Not WmiQuery(root, Q_PROVIDER_LOCATION, locations) Then
        Say "error: " & Q_PROVIDER_LOCATION & " failed (" & gWmiError & ")"
        Exit Function
    End If
    found = False
    For Each loc In locations
        If Not found And IsTrue(WmiProp(loc, "ProviderForLocalSite")) Then
            machine = Text(WmiProp(loc, "Machine"))
            code = UCase(Trim(Text(WmiProp(loc, "SiteCode"))))
            If Not IsSiteCode(code) Then
                Warn "SMS_ProviderLocation names an invalid site code; skipped"
            ElseIf machine = "" Then
                Warn "SMS_ProviderLocation of " & code & " names no machine; skipped"
            Else
                found = True
            End If
        End If
    Next
    If Not found Then
        Say "error: no SMS_ProviderLocation with ProviderForLocalSite = true on \\" & gServer
        Exit Function
    End If
    If Not WmiConnect(machine, NS_SITE_PREFIX & code, site) Then
        Say "error: cannot connect to \\" & machine & "\" & NS_SITE_PREFIX & code & " (" & gWmiError & ")"
        Exit Function
    End If
    Say "connected to \\" & machine & "\" & NS_SITE_PREFIX & code
    If Not WmiQuery(site, Q_SITES, sites) Then
        Say "error: " & Q_SITES & " failed (" & gWmiError & ")"
        Exit Function
    End If
    Set gBoundaryRows = CreateObject("Scripting.Dictionary")
    Set gSettingRows = CreateObject("Scripting.Dictionary")
    Set gSites = CreateObject("Scripting.Dictionary")
    If UBound(sites) < 0 Then
        Say "error: " & Q_SITES & " returned no site"
        Exit Function
    End If
    n = 0
    For Each o In sites
        code = UCase(Trim(Text(WmiProp(o, "SiteCode"))))
        If Not IsSiteCode(code) Then
            Warn "SMS_Site lists a site whose code is not three letters or digits; skipped"
        ElseIf gSites.Exists(code) Then
            Warn "SMS_Site lists " & code & " twice; read once"
        Else
            gSites.Add code, True
            If ReadSite(site, code) Then n = n + 1
        End If
    Next
    If n = 0 Then
        Say "error: no site's site control items could be read"
        Exit Function
    End If
    If Not WriteCsv(BOUNDARIES_FILE, BOUNDARIES_HEADER, gBoundaryRows) Then Exit Function
    If Not WriteCsv(SETTINGS_FILE, SETTINGS_HEADER, gSettingRows) Then Exit Function
    Say "read " & n & " of " & gSites.Count & " site(s); " & gWarnings & " warning(s)"
    If gWarnings = 0 Then
        Export = EXIT_OK
    Else
        Export = EXIT_WARNINGS
    End If
End Function

' One site: its site assignment (site boundaries), roaming boundaries and site
' definition. False when none of them could be read.
' SMS_SCI_SiteAssignment: AssignDetails[i] is a boundary of type AssignTypes[i]
' (SMS 2003 SDK, https://learn.microsoft.com/en-us/previous-versions/system-center/developer/aa508745(v=msdn.10)).
' SMS_SCI_RoamingBoundary: parallel arrays Details, Types and Flags (fast or
' slow: 1 is remote), IncludeSiteBoundary (ConfigMgr 2007 SDK,
' https://learn.microsoft.com/en-us/previous-versions/system-center/developer/cc143004(v=msdn.10)).
' SMS_SCI_SiteDefinition: SQLServerName, SQLDatabaseName (ConfigMgr 2007 SDK,
' https://learn.microsoft.com/en-us/previous-versions/system-center/developer/cc144303(v=msdn.10)).
Function ReadSite(conn, code)
    Dim item, details, types, flags, i, nSite, nRoaming, okAny, server, database
    okAny = False
    nSite = 0
    nRoaming = 0
    If ReadItem(conn, Replace(Q_SITE_ASSIGNMENT, SITE_PLACEHOLDER, code), code, item) Then
        okAny = True
        details = AsList(WmiProp(item, "AssignDetails"))
        types = AsList(WmiProp(item, "AssignTypes"))
        If UBound(details) <> UBound(types) Then
            Warn code & ": AssignDetails and AssignTypes differ in length; extra entries ignored"
        End If
        For i = 0 To UBound(details)
            If i <= UBound(types) Then
                AddBoundary code, types(i), details(i), ""
                nSite = nSite + 1
            End If
        Next
    End If
    If ReadItem(conn, Replace(Q_ROAMING_BOUNDARY, SITE_PLACEHOLDER, code), code, item) Then
        okAny = True
        details = AsList(WmiProp(item, "Details"))
        types = AsList(WmiProp(item, "Types"))
        flags = AsList(WmiProp(item, "Flags"))
        If UBound(details) <> UBound(types) Or UBound(details) <> UBound(flags) Then
            Warn code & ": roaming Details, Types and Flags differ in length"
        End If
        For i = 0 To UBound(details)
            If i <= UBound(types) Then
                If i <= UBound(flags) Then
                    AddBoundary code, types(i), details(i), RoamingOf(flags(i))
                Else
                    AddBoundary code, types(i), details(i), ROAMING_LOCAL
                End If
                nRoaming = nRoaming + 1
            End If
        Next
        If Not IsTrue(WmiProp(item, "IncludeSiteBoundary")) Then
            Say code & ": IncludeSiteBoundary is false: its site boundaries are not also local roaming boundaries"
        End If
    End If
    If ReadItem(conn, Replace(Q_SITE_DEFINITION, SITE_PLACEHOLDER, code), code, item) Then
        okAny = True
        server = Text(WmiProp(item, "SQLServerName"))
        database = Text(WmiProp(item, "SQLDatabaseName"))
    Else
        server = ""
        database = ""
    End If
    If okAny Then
        gSettingRows.Add gSettingRows.Count, SettingsRow(code, server, database)
        Say code & ": " & nSite & " site boundaries, " & nRoaming & " roaming boundaries"
    Else
        Warn code & ": no site control items could be read (site not reachable from this provider?)"
    End If
    ReadSite = okAny
End Function

' The site control item a query returns: the ACTUAL (FileType 1) one when the
' provider returns several (FileType: EMPTY 0, ACTUAL 1, PROPOSED 2, ...;
' SMS_SCI_Component, SMS 2003 SDK,
' https://learn.microsoft.com/en-us/previous-versions/system-center/developer/aa508765(v=msdn.10)).
Function ReadItem(conn, wql, code, ByRef item)
    Dim items, o, first
    ReadItem = False
    If Not WmiQuery(conn, wql, items) Then
        Warn code & ": " & wql & " failed (" & gWmiError & ")"
        Exit Function
    End If
    first = True
    For Each o In items
        If first Or Text(WmiProp(o, "FileType")) = "1" Then
            Set item = o
            ReadItem = True
            first = False
        End If
    Next
End Function

Sub AddBoundary(code, kind, value, roaming)
    gBoundaryRows.Add gBoundaryRows.Count, BoundaryRow(code, KindOf(code, Text(kind)), Text(value), roaming)
End Sub

' The site control file's spellings of a boundary type, in smsmig's own.
Function KindOf(code, kind)
    Select Case LCase(Trim(kind))
        Case "ip subnet", "ip subnets"
            KindOf = KIND_IP_SUBNET
        Case "ip range", "ip ranges", "ip address range", "ip address ranges"
            KindOf = KIND_IP_RANGE
        Case "active directory site", "active directory site name", "ad site", "ad site name", "ad sites"
            KindOf = KIND_AD_SITE
        Case "ipv6 prefix", "ipv6 prefixes"
            KindOf = KIND_IPV6_PREFIX
        Case Else
            Warn code & ": unknown boundary type """ & kind & """ written as it is; smsmig will reject the row"
            KindOf = kind
    End Select
End Function

' SMS_SCI_RoamingBoundary.Flags: 1 is a remote (slow) boundary, anything else local.
Function RoamingOf(flag)
    RoamingOf = ROAMING_LOCAL
    If IsNumeric(flag) Then
        If CLng(flag) = 1 Then RoamingOf = ROAMING_REMOTE
    End If
End Function

' ---- values ----------------------------------------------------------------

Function IsSiteCode(code)
    Dim re
    Set re = New RegExp
    re.Pattern = "^[A-Z0-9][A-Z0-9][A-Z0-9]$"
    IsSiteCode = re.Test(code)
End Function

Function IsTrue(v)
    IsTrue = False
    If IsNull(v) Or IsEmpty(v) Then Exit Function
    If VarType(v) = vbBoolean Then
        IsTrue = v
    Else
        IsTrue = (LCase(Trim(CStr(v))) = "true" Or Trim(CStr(v)) = "1")
    End If
End Function

Function Text(v)
    If IsNull(v) Or IsEmpty(v) Then
        Text = ""
    ElseIf IsArray(v) Then
        Text = ""
    Else
        Text = CStr(v)
    End If
End Function

' A WMI array property as an array (Null, a missing property and a scalar
' become an empty or one-element array).
Function AsList(v)
    Dim d
    If IsArray(v) Then
        AsList = v
        Exit Function
    End If
    Set d = CreateObject("Scripting.Dictionary")
    If Not (IsNull(v) Or IsEmpty(v)) Then d.Add 0, v
    AsList = d.Items
End Function

' One CSV field: quoted when it holds a quote, comma, CR or LF (quotes doubled).
Function CsvField(v)
    Dim s
    s = Text(v)
    If InStr(s, """") > 0 Or InStr(s, ",") > 0 Or InStr(s, vbCr) > 0 Or InStr(s, vbLf) > 0 Then
        CsvField = """" & Replace(s, """", """""") & """"
    Else
        CsvField = s
    End If
End Function

' ---- files -----------------------------------------------------------------

' Writes header and rows as name in gOut: UTF-16LE first (exact on every system),
' then transcoded to UTF-8 unless /encoding:utf-16 or this system cannot write
' bytes exactly; an existing file is kept as a backup (see PutInPlace).
Function WriteCsv(name, header, rows)
    Dim target, tmp16, tmp8, ts, k, encoding
    WriteCsv = False
    target = fso.BuildPath(gOut, name)
    tmp16 = target & ".utf16.tmp"
    tmp8 = target & ".utf8.tmp"
    On Error Resume Next
    Set ts = fso.CreateTextFile(tmp16, True, True)
    ts.Write header & vbCrLf
    For Each k In rows.Keys
        ts.Write rows.Item(k) & vbCrLf
    Next
    ts.Close
    If Err.Number <> 0 Then
        Say "error: cannot write " & tmp16 & " (0x" & Hex(Err.Number) & ")"
        Err.Clear
        Exit Function
    End If
    On Error GoTo 0
    encoding = "UTF-16LE"
    If gEncoding = "utf-8" Then
        If ByteTransparent() Then
            If Utf16ToUtf8(tmp16, tmp8) Then
                fso.DeleteFile tmp16
                tmp16 = tmp8
                encoding = "UTF-8"
            Else
                If fso.FileExists(tmp8) Then fso.DeleteFile tmp8
                Warn "could not transcode " & name & " to UTF-8; written as UTF-16LE (smsmig reads it)"
            End If
        Else
            Warn "this system's ANSI code page does not carry bytes exactly; " & name & " written as UTF-16LE (smsmig reads it)"
        End If
    End If
    If Not PutInPlace(tmp16, target) Then Exit Function
    Say "wrote " & target & " (" & encoding & ", " & rows.Count & " row(s))"
    WriteCsv = True
End Function

' Renames tmp to target, keeping an existing target as target.bak (or the first
' free target.bak.N: no backup is ever overwritten).
Function PutInPlace(tmp, target)
    Dim backup, n
    PutInPlace = False
    On Error Resume Next
    If fso.FileExists(target) Then
        backup = target & ".bak"
        n = 0
        Do While fso.FileExists(backup)
            n = n + 1
            backup = target & ".bak." & n
        Loop
        fso.MoveFile target, backup
        If Err.Number = 0 Then Say "kept the previous " & target & " as " & backup
    End If
    If Err.Number = 0 Then fso.MoveFile tmp, target
    If Err.Number <> 0 Then
        Say "error: cannot put " & target & " in place (0x" & Hex(Err.Number) & ")"
        Err.Clear
        Exit Function
    End If
    PutInPlace = True
End Function

' True when text files opened in the ANSI code page read and write every byte
' value as one character (Chr(b) <-> Asc), as single-byte code pages such as
' 1252 do; the UTF-8 path depends on it. Checked once, on a scratch file.
Function ByteTransparent()
    Dim path, ts, i, s, ok
    If gByteMode = 0 Then
        gByteMode = 2
        path = fso.BuildPath(gOut, "smsmig-bytecheck.tmp")
        On Error Resume Next
        Set ts = fso.CreateTextFile(path, True, False)
        For i = 0 To 255
            ts.Write Chr(i)
        Next
        ts.Close
        ok = (Err.Number = 0)
        If ok Then ok = (fso.GetFile(path).Size = 256)
        If ok Then
            Set ts = fso.OpenTextFile(path, 1, False, 0)
            s = ts.Read(512)
            ts.Close
            ok = (Err.Number = 0 And Len(s) = 256)
        End If
        If ok Then
            For i = 0 To 255
                If Asc(Mid(s, i + 1, 1)) <> i Then ok = False
            Next
        End If
        If fso.FileExists(path) Then fso.DeleteFile path
        Err.Clear
        On Error GoTo 0
        If ok Then gByteMode = 1
    End If
    ByteTransparent = (gByteMode = 1)
End Function

' Reads the UTF-16LE file src byte by byte (see ByteTransparent) and writes its
' text to dst as UTF-8 without BOM; an unpaired surrogate becomes U+FFFD.
Function Utf16ToUtf8(src, dst)
    Dim ts, raw, out, i, n, u, u2, buf
    Utf16ToUtf8 = False
    On Error Resume Next
    ' Read(size), not ReadAll: the classic way to read a file's bytes whole.
    Set ts = fso.OpenTextFile(src, 1, False, 0)
    raw = ts.Read(fso.GetFile(src).Size)
    ts.Close
    If Err.Number <> 0 Then
        Err.Clear
        Exit Function
    End If
    Set out = fso.CreateTextFile(dst, True, False)
    If Err.Number <> 0 Then
        Err.Clear
        Exit Function
    End If
    On Error GoTo 0
    n = Len(raw)
    i = 1
    If n >= 2 Then
        If Asc(Mid(raw, 1, 1)) = 255 And Asc(Mid(raw, 2, 1)) = 254 Then i = 3
    End If
    buf = ""
    Do While i + 1 <= n
        u = CLng(Asc(Mid(raw, i, 1))) + 256 * CLng(Asc(Mid(raw, i + 1, 1)))
        i = i + 2
        If u >= 55296 And u <= 56319 Then
            u2 = -1
            If i + 1 <= n Then u2 = CLng(Asc(Mid(raw, i, 1))) + 256 * CLng(Asc(Mid(raw, i + 1, 1)))
            If u2 >= 56320 And u2 <= 57343 Then
                u = 65536 + (u - 55296) * 1024 + (u2 - 56320)
                i = i + 2
            Else
                u = 65533
            End If
        ElseIf u >= 56320 And u <= 57343 Then
            u = 65533
        End If
        buf = buf & Utf8Of(u)
        If u = 10 Or Len(buf) > 4000 Then
            out.Write buf
            buf = ""
        End If
    Loop
    out.Write buf
    out.Close
    Utf16ToUtf8 = True
End Function

' The UTF-8 bytes of code point u, one character per byte.
Function Utf8Of(u)
    If u < 128 Then
        Utf8Of = Chr(u)
    ElseIf u < 2048 Then
        Utf8Of = Chr(192 + u \ 64) & Chr(128 + (u Mod 64))
    ElseIf u < 65536 Then
        Utf8Of = Chr(224 + u \ 4096) & Chr(128 + ((u \ 64) Mod 64)) & Chr(128 + (u Mod 64))
    Else
        Utf8Of = Chr(240 + u \ 262144) & Chr(128 + ((u \ 4096) Mod 64)) & Chr(128 + ((u \ 64) Mod 64)) & Chr(128 + (u Mod 64))
    End If
End Function
