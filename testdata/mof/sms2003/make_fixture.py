#!/usr/bin/env python3
"""Writes SMS_def.mof: a realistic SMS 2003 SP3 site SMS_def.mof with the HOU site's
customisations, as SMS 2003 ships it: UTF-16LE with a BOM and CRLF line endings.

Both namespaces, registry providers and their registrations, DYNPROPS instances, deleteclass
pragmas, a data class outside root\\cimv2 and comments. Run it from this directory."""

TEXT = r'''//**************************************************************************
//*
//* File: SMS_DEF.MOF
//*
//*   Systems Management Server 2003 SP3 hardware inventory definitions,
//*   site HOU, with the site's customisations (marked CONTOSO).
//*
//*   Compiled on every client by the Hardware Inventory Client Agent.
//*
//**************************************************************************

//==========================================================================
// Client namespace: providers and data classes
//==========================================================================
#pragma namespace ("\\\\.\\root\\CIMV2")

instance of __Namespace
{
    Name = "SMS" ;
};

//----------------------------------------------
// Registry Property Provider
//----------------------------------------------
instance of __Win32Provider as $PropProv
{
    Name    = "RegPropProv" ;
    Clsid   = "{72967901-68EC-11d0-B729-00AA0062CBB7}";
    ImpersonationLevel = 1;
    PerUserInitialization = "FALSE";
};

instance of __PropertyProviderRegistration
{
    Provider     = $PropProv;
    SupportsPut  = TRUE;
    SupportsGet  = TRUE;
};

//----------------------------------------------
// Registry Instance Provider
//----------------------------------------------
instance of __Win32Provider as $InstProv
{
    Name    = "RegProv" ;
    ClsId   = "{fe9af5c0-d3b6-11ce-a5b6-00aa00680c3f}" ;
};

instance of __InstanceProviderRegistration
{
    Provider = $InstProv;
    SupportsPut = TRUE;
    SupportsGet = TRUE;
    SupportsDelete = FALSE;
    SupportsEnumeration = TRUE;
};

//----------------------------------------------
// Add/Remove Programs, read by the registry
// instance provider
//----------------------------------------------
#pragma deleteclass("Win32Reg_AddRemovePrograms", NOFAIL)

[dynamic, provider("RegProv"),
 ClassContext("local|HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall")]
class Win32Reg_AddRemovePrograms
{
    [key]
        string ProdID;
    [PropertyContext("DisplayName")]
        string DisplayName;
    [PropertyContext("InstallDate")]
        string InstallDate;
    [PropertyContext("Publisher")]
        string Publisher;
    [PropertyContext("DisplayVersion")]
        string Version;
};

//----------------------------------------------
// CONTOSO: asset tag written by the build
// process, read by the registry property
// provider
//----------------------------------------------
#pragma deleteclass("Contoso_AssetTag", NOFAIL)

[DYNPROPS]
class Contoso_AssetTag
{
    [key] string KeyName;
    string AssetTag;
    string Department;
    uint32 LeaseMonths;
};

[DYNPROPS]
instance of Contoso_AssetTag
{
    KeyName = "AssetTag";
    [PropertyContext("local|HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso\\Inventory|AssetTag"),
     Dynamic, Provider("RegPropProv")] AssetTag;
    [PropertyContext("local|HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso\\Inventory|Department"),
     Dynamic, Provider("RegPropProv")] Department;
    [PropertyContext("local|HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso\\Inventory|LeaseMonths"),
     Dynamic, Provider("RegPropProv")] LeaseMonths;
};

//----------------------------------------------
// CONTOSO: warranty data, kept in a namespace
// of its own with its own provider registration
//----------------------------------------------
#pragma namespace ("\\\\.\\root")

instance of __Namespace
{
    Name = "Contoso" ;
};

#pragma namespace ("\\\\.\\root\\Contoso")

instance of __Win32Provider as $ContosoPropProv
{
    Name    = "RegPropProv" ;
    Clsid   = "{72967901-68EC-11d0-B729-00AA0062CBB7}";
};

instance of __PropertyProviderRegistration
{
    Provider     = $ContosoPropProv;
    SupportsPut  = TRUE;
    SupportsGet  = TRUE;
};

#pragma deleteclass("Contoso_Warranty", NOFAIL)

[DYNPROPS]
class Contoso_Warranty
{
    [key] string SerialNumber;
    datetime EndDate;
    string Contract;
};

[DYNPROPS]
instance of Contoso_Warranty
{
    SerialNumber = "Local";
    [PropertyContext("local|HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso\\Warranty|EndDate"),
     Dynamic, Provider("RegPropProv")] EndDate;
    [PropertyContext("local|HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso\\Warranty|Contract"),
     Dynamic, Provider("RegPropProv")] Contract;
};

//==========================================================================
// SMS namespace: reporting classes
//==========================================================================
#pragma namespace ("\\\\.\\root\\CIMV2\\SMS")

//=============================================================================
// SMS_Class_Template must be the parent of every class
//=============================================================================
class SMS_Class_Template
{
};

//----------------------------------------------
// Logical Disk
//----------------------------------------------
[ SMS_Report     (TRUE),
  SMS_Group_Name ("Logical Disk"),
  SMS_Class_ID   ("MICROSOFT|LOGICAL_DISK|1.0") ]
class Win32_LogicalDisk : SMS_Class_Template
{
    [SMS_Report (FALSE)     ]   uint16     Access;
    [SMS_Report (TRUE)      ]   uint16     Availability;
    [SMS_Report (TRUE)      ]   string     Caption;
    [SMS_Report (TRUE)      ]   boolean    Compressed;
    [SMS_Report (TRUE), key ]   string     DeviceID;
    [SMS_Report (TRUE)      ]   uint32     DriveType;
    [SMS_Report (TRUE)      ]   string     FileSystem;
    [SMS_Report (TRUE), SMS_Units("Megabytes")]
                                uint64     FreeSpace;
    [SMS_Report (TRUE), SMS_Units("Megabytes")]
                                uint64     Size;
    [SMS_Report (TRUE)      ]   string     VolumeName;
    [SMS_Report (TRUE)      ]   string     VolumeSerialNumber;
};

//----------------------------------------------
// Operating System
//----------------------------------------------
[ SMS_Report     (TRUE),
  SMS_Group_Name ("Operating System"),
  SMS_Class_ID   ("MICROSOFT|OPERATING_SYSTEM|1.0") ]
class Win32_OperatingSystem : SMS_Class_Template
{
    [SMS_Report (TRUE)      ]   string     BuildNumber;
    [SMS_Report (TRUE)      ]   string     Caption;
    [SMS_Report (TRUE)      ]   string     CSDVersion;
    [SMS_Report (TRUE)      ]   datetime   InstallDate;
    [SMS_Report (TRUE)      ]   datetime   LastBootUpTime;
    [SMS_Report (TRUE), key ]   string     Name;
    [SMS_Report (TRUE), SMS_Units("KiloBytes")]
                                uint64     TotalVisibleMemorySize;
    [SMS_Report (TRUE)      ]   string     Version;
};

//----------------------------------------------
// Boot Configuration (not reported by default)
//----------------------------------------------
[ SMS_Report     (FALSE),
  SMS_Group_Name ("Boot Configuration"),
  SMS_Class_ID   ("MICROSOFT|BOOT_CONFIGURATION|1.0") ]
class Win32_BootConfiguration : SMS_Class_Template
{
    [SMS_Report (FALSE)     ]   string     BootDirectory;
    [SMS_Report (FALSE), key]   string     Name;
    [SMS_Report (FALSE)     ]   string     ScratchDirectory;
};

//----------------------------------------------
// Add/Remove Programs
//----------------------------------------------
#pragma deleteclass("Win32Reg_AddRemovePrograms", NOFAIL)

[ SMS_Report     (TRUE),
  SMS_Group_Name ("Add Remove Programs"),
  SMS_Class_ID   ("MICROSOFT|ADD_REMOVE_PROGRAMS|1.0") ]
class Win32Reg_AddRemovePrograms : SMS_Class_Template
{
    [SMS_Report (TRUE), key ]   string     ProdID;
    [SMS_Report (TRUE)      ]   string     DisplayName;
    [SMS_Report (TRUE)      ]   string     InstallDate;
    [SMS_Report (TRUE)      ]   string     Publisher;
    [SMS_Report (TRUE)      ]   string     Version;
};

//----------------------------------------------
// CONTOSO: asset tag
//----------------------------------------------
#pragma deleteclass("Contoso_AssetTag", NOFAIL)

[ SMS_Report     (TRUE),
  SMS_Group_Name ("Asset Tag"),
  SMS_Class_ID   ("CONTOSO|ASSET_TAG|1.0") ]
class Contoso_AssetTag : SMS_Class_Template
{
    [SMS_Report (TRUE), key ]   string     KeyName;
    [SMS_Report (TRUE)      ]   string     AssetTag;
    [SMS_Report (TRUE)      ]   string     Department;
    [SMS_Report (TRUE)      ]   uint32     LeaseMonths;
};

//----------------------------------------------
// CONTOSO: warranty, from root\Contoso
//----------------------------------------------
#pragma deleteclass("Contoso_Warranty", NOFAIL)

[ SMS_Report     (TRUE),
  SMS_Group_Name ("Warranty"),
  SMS_Class_ID   ("CONTOSO|WARRANTY|1.0"),
  SMS_Namespace  (FALSE),
  Namespace      ("\\\\\\\\.\\\\root\\\\Contoso") ]
class Contoso_Warranty : SMS_Class_Template
{
    [SMS_Report (TRUE), key ]   string     SerialNumber;
    [SMS_Report (TRUE)      ]   datetime   EndDate;
    [SMS_Report (TRUE)      ]   string     Contract;
};

// End of SMS_DEF.MOF
'''

data = b"\xff\xfe" + TEXT.replace("\n", "\r\n").encode("utf-16-le")
with open("SMS_def.mof", "wb") as f:
    f.write(data)
