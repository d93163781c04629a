' The SMS Provider through WMI scripting (SWbemLocator), as the SMS 2003 SDK's
' "Connecting to the SMS Namespace" describes
' (https://learn.microsoft.com/en-us/previous-versions/system-center/developer/ms816640(v=msdn.10)).
' Reads only: ConnectServer, ExecQuery and property values.
Dim gWmiError, gLocator

' Connects conn to \\server\namespace; False (reason in gWmiError) on failure.
Function WmiConnect(server, namespace, ByRef conn)
    WmiConnect = False
    gWmiError = ""
    On Error Resume Next
    If IsEmpty(gLocator) Then Set gLocator = CreateObject("WbemScripting.SWbemLocator")
    If Err.Number = 0 Then Set conn = gLocator.ConnectServer(server, namespace)
    If Err.Number <> 0 Then
        gWmiError = "0x" & Hex(Err.Number) & " " & Err.Description
        Err.Clear
        Exit Function
    End If
    WmiConnect = True
End Function

' Runs the WQL query wql on conn and returns its objects as an array in items
' (flags 0: the call returns once every object has arrived, so errors show here).
Function WmiQuery(conn, wql, ByRef items)
    Dim results, o, d
    WmiQuery = False
    gWmiError = ""
    Set d = CreateObject("Scripting.Dictionary")
    On Error Resume Next
    Set results = conn.ExecQuery(wql, "WQL", 0)
    If Err.Number = 0 Then
        For Each o In results
            d.Add d.Count, o
        Next
    End If
    If Err.Number <> 0 Then
        gWmiError = "0x" & Hex(Err.Number) & " " & Err.Description
        Err.Clear
        Exit Function
    End If
    items = d.Items
    WmiQuery = True
End Function

' The value of property name of a WMI object; Null when it has none.
Function WmiProp(obj, name)
    WmiProp = Null
    On Error Resume Next
    WmiProp = obj.Properties_.Item(name).Value
    Err.Clear
End Function
