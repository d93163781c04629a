' A STAND-IN for the SMS Provider, for smsmig's tests only: objects come from
' the UTF-16 file STAND_IN_DATA, and every connection and query is logged to
' STAND_IN_LOG. The file holds lines "object <namespace>:<class>", then
' "<Name>=<value>", "<Name>[]=<element>" or "<Name>[]" (an empty array), then
' "end"; "fail connect <namespace>" and "fail query <wql>" make a call fail.
' Values escape "\" as "\\", CR as "\r" and LF as "\n". Queries are the
' script's own: SELECT * FROM <class> [WHERE <Name> = <value> [AND ...]].
Dim gWmiError, gStandIn, gStandInFail, gStandInLog

Sub StandInLoad()
    Dim files, ts, line, obj, p, name, value, list
    If Not IsEmpty(gStandIn) Then Exit Sub
    Set gStandIn = CreateObject("Scripting.Dictionary")
    Set gStandInFail = CreateObject("Scripting.Dictionary")
    Set files = CreateObject("Scripting.FileSystemObject")
    Set gStandInLog = files.CreateTextFile(STAND_IN_LOG, True, True)
    Set ts = files.OpenTextFile(STAND_IN_DATA, 1, False, -1)
    Do While Not ts.AtEndOfStream
        line = ts.ReadLine
        If Left(line, 7) = "object " Then
            Set obj = CreateObject("Scripting.Dictionary")
            obj.Add "__path", LCase(Mid(line, 8))
            gStandIn.Add gStandIn.Count, obj
        ElseIf Left(line, 5) = "fail " Then
            gStandInFail.Add Mid(line, 6), True
        ElseIf line <> "end" And line <> "" Then
            p = InStr(line, "=")
            If p = 0 Then
                name = line
                value = ""
            Else
                name = Left(line, p - 1)
                value = StandInUnescape(Mid(line, p + 1))
            End If
            If Right(name, 2) = "[]" Then
                name = Left(name, Len(name) - 2)
                If Not obj.Exists(name) Then obj.Add name, CreateObject("Scripting.Dictionary")
                Set list = obj.Item(name)
                If p > 0 Then list.Add list.Count, value
            Else
                obj.Add name, value
            End If
        End If
    Loop
    ts.Close
End Sub

Function StandInUnescape(s)
    Dim i, c, out
    out = ""
    i = 1
    Do While i <= Len(s)
        c = Mid(s, i, 1)
        If c = "\" And i < Len(s) Then
            i = i + 1
            c = Mid(s, i, 1)
            If c = "r" Then
                c = vbCr
            ElseIf c = "n" Then
                c = vbLf
            End If
        End If
        out = out & c
        i = i + 1
    Loop
    StandInUnescape = out
End Function

Function WmiConnect(server, namespace, ByRef conn)
    StandInLoad
    gStandInLog.WriteLine "connect " & server & " " & namespace
    WmiConnect = False
    gWmiError = ""
    If gStandInFail.Exists("connect " & LCase(namespace)) Then
        gWmiError = "0x8004100E stand-in: no such namespace"
        Exit Function
    End If
    conn = LCase(namespace)
    WmiConnect = True
End Function

Function WmiQuery(conn, wql, ByRef items)
    Dim rest, cls, conds, k, obj, ok, c, p, name, value, d, i
    gStandInLog.WriteLine "query " & conn & " " & wql
    WmiQuery = False
    gWmiError = ""
    If gStandInFail.Exists("query " & wql) Then
        gWmiError = "0x80041010 stand-in: invalid class"
        Exit Function
    End If
    Set d = CreateObject("Scripting.Dictionary")
    rest = Mid(wql, Len("SELECT * FROM ") + 1)
    p = InStr(rest, " WHERE ")
    If p > 0 Then
        cls = Left(rest, p - 1)
        conds = Split(Mid(rest, p + 7), " AND ")
    Else
        cls = rest
        conds = Array()
    End If
    For Each k In gStandIn.Keys
        Set obj = gStandIn.Item(k)
        ok = (obj.Item("__path") = conn & ":" & LCase(cls))
        For i = 0 To UBound(conds)
            c = conds(i)
            p = InStr(c, " = ")
            name = Left(c, p - 1)
            value = Mid(c, p + 3)
            If Left(value, 1) = "'" Then value = Mid(value, 2, Len(value) - 2)
            If ok Then
                If Not obj.Exists(name) Then
                    ok = False
                ElseIf LCase(CStr(obj.Item(name))) <> LCase(value) Then
                    ok = False
                End If
            End If
        Next
        If ok Then d.Add d.Count, obj
    Next
    items = d.Items
    WmiQuery = True
End Function

Function WmiProp(obj, name)
    WmiProp = Null
    If obj.Exists(name) Then
        If IsObject(obj.Item(name)) Then
            WmiProp = obj.Item(name).Items
        Else
            WmiProp = obj.Item(name)
        End If
    End If
End Function
