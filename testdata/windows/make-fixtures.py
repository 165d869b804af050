#!/usr/bin/env python3
"""Write the Windows workstation fixtures of sillage byte for byte in the
formats Windows tools produce. No Windows machine was available, so the
files are produced here, to the formats' rules (see ../README.md, section
"windows/"), from one description of a workstation's Uninstall keys.

    python3 testdata/windows/make-fixtures.py

rewrites, in this directory:
  uninstall-hklm.reg        reg export HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall
  uninstall-wow6432node.reg reg export HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall
  uninstall-hkcu.reg        reg export HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall
  workstation.reg           copy /b uninstall-hklm.reg+uninstall-wow6432node.reg+uninstall-hkcu.reg workstation.reg
  workstation.ps51.json     Windows PowerShell 5.1: Get-ItemProperty <the three>\\* | Select-Object ... | ConvertTo-Json > workstation.ps51.json
  7zip.ps7.json             PowerShell 7: Get-ItemProperty 'HKLM:\\...\\Uninstall\\7-Zip' | ConvertTo-Json -Depth 1 > 7zip.ps7.json
  winget-export.json        winget export -o winget-export.json --include-versions
  ../ocs/PC-DSI-042.ocs     the OCS Inventory NG Windows agent's local inventory (zlib-compressed
                            XML, fields and order of XMLInteract.cpp, TinyXML layout) of the same
                            machine: a reduced <HARDWARE> and every Uninstall subkey with a
                            DisplayName, as the agent lists them (it reads neither
                            SystemComponent, ParentKeyName nor ReleaseType)
"""
import json
import os
import zlib
from xml.sax.saxutils import escape as xml_escape

HERE = os.path.dirname(os.path.abspath(__file__))
UNINSTALL = r"Microsoft\Windows\CurrentVersion\Uninstall"
HKLM = "HKEY_LOCAL_MACHINE\\SOFTWARE\\" + UNINSTALL
WOW = "HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\" + UNINSTALL
HKCU = "HKEY_CURRENT_USER\\Software\\" + UNINSTALL

SZ, EXPAND, DWORD = "sz", "expand", "dword"

# (subkey, [(value name, type, data)]), in the order RegEnumKeyEx returns
# subkeys (case-insensitive alphabetical); values in the order the
# installers write them. DisplayName, Publisher and product codes come from
# the winget-pkgs manifests cited in ../README.md.
HKLM_KEYS = [
    ("7-Zip", [
        ("DisplayName", SZ, "7-Zip 23.01 (x64)"),
        ("DisplayVersion", SZ, "23.01"),
        ("DisplayIcon", SZ, "C:\\Program Files\\7-Zip\\7zFM.exe"),
        ("InstallLocation", SZ, "C:\\Program Files\\7-Zip\\"),
        ("UninstallString", SZ, "\"C:\\Program Files\\7-Zip\\Uninstall.exe\""),
        ("QuietUninstallString", SZ, "\"C:\\Program Files\\7-Zip\\Uninstall.exe\" /S"),
        ("NoModify", DWORD, 1),
        ("NoRepair", DWORD, 1),
        ("EstimatedSize", DWORD, 5570),
        ("VersionMajor", DWORD, 23),
        ("VersionMinor", DWORD, 1),
        ("Publisher", SZ, "Igor Pavlov"),
    ]),
    ("AddressBook", []),
    ("Connection Manager", [
        ("SystemComponent", DWORD, 1),
    ]),
    ("Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.38.33130", []),  # replaced below by its bundle key
    ("Mozilla Firefox 121.0 (x64 fr)", [
        ("Comments", SZ, "Mozilla Firefox 121.0 (x64 fr)"),
        ("DisplayIcon", SZ, "C:\\Program Files\\Mozilla Firefox\\firefox.exe,0"),
        ("DisplayName", SZ, "Mozilla Firefox (x64 fr)"),
        ("DisplayVersion", SZ, "121.0"),
        ("HelpLink", SZ, "https://support.mozilla.org"),
        ("InstallLocation", SZ, "C:\\Program Files\\Mozilla Firefox"),
        ("Publisher", SZ, "Mozilla"),
        ("UninstallString", SZ, "\"C:\\Program Files\\Mozilla Firefox\\uninstall\\helper.exe\""),
        ("URLInfoAbout", SZ, "https://www.mozilla.org"),
        ("URLUpdateInfo", SZ, "https://www.mozilla.org/firefox/121.0/releasenotes"),
        ("NoModify", DWORD, 1),
        ("NoRepair", DWORD, 1),
        ("EstimatedSize", DWORD, 240157),
    ]),
    ("MozillaMaintenanceService", [
        ("DisplayName", SZ, "Mozilla Maintenance Service"),
        ("UninstallString", SZ, "\"C:\\Program Files (x86)\\Mozilla Maintenance Service\\uninstall.exe\""),
        ("DisplayIcon", SZ, "C:\\Program Files (x86)\\Mozilla Maintenance Service\\Uninstall.exe,0"),
        ("DisplayVersion", SZ, "121.0"),
        ("Publisher", SZ, "Mozilla"),
        ("Comments", SZ, "Mozilla Maintenance Service"),
        ("NoModify", DWORD, 1),
        ("NoRepair", DWORD, 1),
        ("EstimatedSize", DWORD, 330),
    ]),
    ("Office16.PROPLUS", [
        ("DisplayName", SZ, "Microsoft Office Professionnel Plus 2016"),
        ("DisplayVersion", SZ, "16.0.4266.1001"),
        ("Publisher", SZ, "Microsoft Corporation"),
        ("InstallLocation", SZ, "C:\\Program Files\\Microsoft Office\\"),
        ("InstallDate", SZ, "20230906"),
        ("DisplayIcon", SZ, "C:\\Program Files\\Common Files\\Microsoft Shared\\OFFICE16\\Office Setup Controller\\pss10r.chm"),
        ("ModifyPath", SZ, "\"C:\\Program Files\\Common Files\\Microsoft Shared\\OFFICE16\\Office Setup Controller\\setup.exe\" /modify PROPLUS /dll OSETUP.DLL"),
        ("UninstallString", SZ, "\"C:\\Program Files\\Common Files\\Microsoft Shared\\OFFICE16\\Office Setup Controller\\setup.exe\" /uninstall PROPLUS /dll OSETUP.DLL"),
        ("NoRepair", DWORD, 0),
        ("NoModify", DWORD, 0),
        ("NoRemove", DWORD, 0),
    ]),
    ("VLC media player", [
        ("UninstallString", SZ, "\"C:\\Program Files\\VideoLAN\\VLC\\uninstall.exe\""),
        ("InstallLocation", EXPAND, "C:\\Program Files\\VideoLAN\\VLC"),
        ("DisplayName", SZ, "VLC media player"),
        ("DisplayIcon", SZ, "C:\\Program Files\\VideoLAN\\VLC\\vlc.exe"),
        ("DisplayVersion", SZ, "3.0.20"),
        ("URLInfoAbout", SZ, "http://www.videolan.org/"),
        ("Publisher", SZ, "VideoLAN"),
        ("VersionMajor", SZ, "3"),
        ("VersionMinor", SZ, "0"),
        ("EstimatedSize", DWORD, 174232),
    ]),
    ("WinRAR archiver", [
        ("DisplayName", SZ, "WinRAR 6.24 (64-bit)"),
        ("DisplayVersion", SZ, "6.24.0"),
        ("VersionMajor", DWORD, 6),
        ("VersionMinor", DWORD, 24),
        ("Publisher", SZ, "win.rar GmbH"),
        ("DisplayIcon", SZ, "C:\\Program Files\\WinRAR\\WinRAR.exe"),
        ("InstallLocation", SZ, "C:\\Program Files\\WinRAR\\"),
        ("UninstallString", SZ, "C:\\Program Files\\WinRAR\\uninstall.exe"),
        ("NoModify", DWORD, 1),
        ("NoRepair", DWORD, 1),
        ("EstimatedSize", DWORD, 8952),
    ]),
    ("{90160000-0011-0000-1000-0000000FF1CE}", [
        ("AuthorizedCDFPrefix", SZ, ""),
        ("Comments", SZ, ""),
        ("Contact", SZ, ""),
        ("DisplayVersion", SZ, "16.0.4266.1001"),
        ("HelpLink", SZ, ""),
        ("HelpTelephone", SZ, ""),
        ("InstallDate", SZ, "20230906"),
        ("InstallLocation", SZ, "C:\\Program Files\\Microsoft Office\\"),
        ("InstallSource", SZ, "D:\\"),
        ("ModifyPath", EXPAND, "MsiExec.exe /X{90160000-0011-0000-1000-0000000FF1CE}"),
        ("NoModify", DWORD, 1),
        ("Publisher", SZ, "Microsoft Corporation"),
        ("Readme", SZ, ""),
        ("Size", SZ, ""),
        ("EstimatedSize", DWORD, 2614252),
        ("SystemComponent", DWORD, 1),
        ("UninstallString", EXPAND, "MsiExec.exe /X{90160000-0011-0000-1000-0000000FF1CE}"),
        ("URLInfoAbout", SZ, ""),
        ("URLUpdateInfo", SZ, ""),
        ("VersionMajor", DWORD, 16),
        ("VersionMinor", DWORD, 0),
        ("WindowsInstaller", DWORD, 1),
        ("Version", DWORD, 0x100010aa),
        ("Language", DWORD, 1036),
        ("DisplayName", SZ, "Microsoft Office Professionnel Plus 2016"),
    ]),
    ("{90160000-0011-0000-1000-0000000FF1CE}_Office16.PROPLUS_{2F3AF1A1-6BB4-4B29-9B52-4C4B4A11B9E6}", [
        ("DisplayName", SZ, "Mise à jour de sécurité pour Microsoft Office 2016 (KB5002140) Édition 64 bits"),
        ("DisplayVersion", SZ, ""),
        ("Publisher", SZ, "Microsoft"),
        ("HelpLink", SZ, "https://support.microsoft.com/kb/5002140"),
        ("URLInfoAbout", SZ, "https://support.microsoft.com/kb/5002140"),
        ("InstallDate", SZ, "20240109"),
        ("ParentKeyName", SZ, "Office16.PROPLUS"),
        ("ParentDisplayName", SZ, "Microsoft Office Professionnel Plus 2016"),
        ("ReleaseType", SZ, "Security Update"),
        ("NoModify", DWORD, 1),
        ("NoRepair", DWORD, 1),
        ("UninstallString", SZ, "\"C:\\Program Files\\Common Files\\Microsoft Shared\\OFFICE16\\Oarpmany.exe\" /removereleaseinpatch \"{90160000-0011-0000-1000-0000000FF1CE}\" \"{2F3AF1A1-6BB4-4B29-9B52-4C4B4A11B9E6}\" \"1036\" \"0\""),
    ]),
    ("{9675011C-2395-4AD7-B1CC-92910F991F58}", []),  # removed below: VLC is the NSIS install
    ("{A181A302-3F6D-4BAD-97A8-A426A6499D78}", [
        ("AuthorizedCDFPrefix", SZ, ""),
        ("Comments", SZ, ""),
        ("Contact", SZ, ""),
        ("DisplayVersion", SZ, "14.38.33130"),
        ("HelpLink", SZ, ""),
        ("HelpTelephone", SZ, ""),
        ("InstallDate", SZ, "20231212"),
        ("InstallLocation", SZ, ""),
        ("InstallSource", SZ, "C:\\ProgramData\\Package Cache\\{A181A302-3F6D-4BAD-97A8-A426A6499D78}v14.38.33130\\packages\\vcRuntimeMinimum_amd64\\"),
        ("ModifyPath", EXPAND, "MsiExec.exe /I{A181A302-3F6D-4BAD-97A8-A426A6499D78}"),
        ("NoModify", DWORD, 1),
        ("NoRepair", DWORD, 1),
        ("Publisher", SZ, "Microsoft Corporation"),
        ("Readme", SZ, ""),
        ("Size", SZ, ""),
        ("EstimatedSize", DWORD, 2412),
        ("SystemComponent", DWORD, 1),
        ("UninstallString", EXPAND, "MsiExec.exe /I{A181A302-3F6D-4BAD-97A8-A426A6499D78}"),
        ("URLInfoAbout", SZ, ""),
        ("URLUpdateInfo", SZ, ""),
        ("VersionMajor", DWORD, 14),
        ("VersionMinor", DWORD, 38),
        ("WindowsInstaller", DWORD, 1),
        ("Version", DWORD, 0x0e26816a),
        ("Language", DWORD, 1033),
        ("DisplayName", SZ, "Microsoft Visual C++ 2022 X64 Minimum Runtime - 14.38.33130"),
    ]),
]
# the Visual C++ bundle registers under its bundle id, not its name
HKLM_KEYS = [k for k in HKLM_KEYS if k[0] not in (
    "Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.38.33130",
    "{9675011C-2395-4AD7-B1CC-92910F991F58}")]
HKLM_KEYS.append(("{8bdfe669-9705-4184-9368-db9ce581e0e7}", [
    ("BundleCachePath", SZ, "C:\\ProgramData\\Package Cache\\{8bdfe669-9705-4184-9368-db9ce581e0e7}\\VC_redist.x64.exe"),
    ("BundleAddonCode", SZ, ""),
    ("BundleDetectCode", SZ, ""),
    ("BundlePatchCode", SZ, ""),
    ("BundleUpgradeCode", SZ, "{C146EF48-4D31-3C3D-A2C5-1E91AF8A0A9B}"),
    ("DisplayName", SZ, "Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.38.33130"),
    ("DisplayVersion", SZ, "14.38.33130.0"),
    ("Publisher", SZ, "Microsoft Corporation"),
    ("InstallDate", SZ, "20231212"),
    ("NoElevateOnModify", DWORD, 1),
    ("QuietUninstallString", SZ, "\"C:\\ProgramData\\Package Cache\\{8bdfe669-9705-4184-9368-db9ce581e0e7}\\VC_redist.x64.exe\" /uninstall /quiet"),
    ("UninstallString", SZ, "\"C:\\ProgramData\\Package Cache\\{8bdfe669-9705-4184-9368-db9ce581e0e7}\\VC_redist.x64.exe\"  /uninstall"),
    ("EstimatedSize", DWORD, 20540),
]))
HKLM_KEYS.sort(key=lambda k: k[0].lower())

WOW_KEYS = [
    ("{AC76BA86-7AD7-1036-7B44-AC0F074E4100}", [
        ("AuthorizedCDFPrefix", SZ, ""),
        ("Comments", SZ, ""),
        ("Contact", SZ, "Customer Support"),
        ("DisplayVersion", SZ, "23.008.20421"),
        ("HelpLink", SZ, "http://www.adobe.com/go/acrreader_support_fr"),
        ("HelpTelephone", SZ, ""),
        ("InstallDate", SZ, "20240112"),
        ("InstallLocation", SZ, "C:\\Program Files (x86)\\Adobe\\Acrobat Reader DC\\"),
        ("InstallSource", SZ, "C:\\ProgramData\\Adobe\\Setup\\{AC76BA86-7AD7-1036-7B44-AC0F074E4100}\\"),
        ("ModifyPath", EXPAND, "MsiExec.exe /I{AC76BA86-7AD7-1036-7B44-AC0F074E4100}"),
        ("NoModify", DWORD, 1),
        ("Publisher", SZ, "Adobe Systems Incorporated"),
        ("Readme", SZ, ""),
        ("Size", SZ, ""),
        ("EstimatedSize", DWORD, 624852),
        ("UninstallString", EXPAND, "MsiExec.exe /I{AC76BA86-7AD7-1036-7B44-AC0F074E4100}"),
        ("URLInfoAbout", SZ, "http://www.adobe.com/fr"),
        ("URLUpdateInfo", SZ, ""),
        ("VersionMajor", DWORD, 23),
        ("VersionMinor", DWORD, 8),
        ("WindowsInstaller", DWORD, 1),
        ("Version", DWORD, 0x170851c5),
        ("Language", DWORD, 1036),
        ("DisplayName", SZ, "Adobe Acrobat Reader DC - Français"),
    ]),
]

HKCU_KEYS = [
    ("OneDriveSetup.exe", [
        ("DisplayName", SZ, "Microsoft OneDrive"),
        ("DisplayIcon", SZ, "C:\\Users\\c.martin\\AppData\\Local\\Microsoft\\OneDrive\\23.246.1127.0002\\OneDriveSetup.exe,-101"),
        ("DisplayVersion", SZ, "23.246.1127.0002"),
        ("Publisher", SZ, "Microsoft Corporation"),
        ("UninstallString", SZ, "C:\\Users\\c.martin\\AppData\\Local\\Microsoft\\OneDrive\\23.246.1127.0002\\OneDriveSetup.exe  /uninstall "),
        ("URLInfoAbout", SZ, "https://go.microsoft.com/fwlink/?LinkID=215117"),
        ("URLUpdateInfo", SZ, "https://go.microsoft.com/fwlink/?LinkID=215117"),
        ("EstimatedSize", DWORD, 226104),
        ("NoRepair", DWORD, 1),
        ("NoModify", DWORD, 1),
    ]),
    ("ZoomUMX", [
        ("DisplayIcon", SZ, "C:\\Users\\c.martin\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe"),
        ("DisplayName", SZ, "Zoom"),
        ("DisplayVersion", SZ, "5.17.1 (23123)"),
        ("EstimatedSize", DWORD, 322563),
        ("HelpLink", SZ, "https://support.zoom.us/home"),
        ("InstallLocation", EXPAND, "%APPDATA%\\Zoom\\bin"),
        ("NoModify", DWORD, 1),
        ("NoRepair", DWORD, 1),
        ("Publisher", SZ, "Zoom Video Communications, Inc."),
        ("UninstallString", SZ, "\"C:\\Users\\c.martin\\AppData\\Roaming\\Zoom\\uninstall\\Installer.exe\" /uninstall"),
        ("URLInfoAbout", SZ, "https://zoom.us"),
    ]),
]


def reg_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def reg_hex(prefix, kind, data):
    """regedit's hex data: lower-case bytes, comma separated, a line cut
    with a backslash and continued after two spaces once it reaches the
    77th column."""
    out = prefix + kind
    col = len(out)
    for i, b in enumerate(data):
        out += "%02x" % b
        if i == len(data) - 1:
            break
        out += ","
        col += 3
        if col >= 77:
            out += "\\\r\n  "
            col = 2
    return out


def reg_export(root, keys):
    lines = ["Windows Registry Editor Version 5.00", "", "[" + root + "]", ""]
    for name, values in keys:
        lines.append("[" + root + "\\" + name + "]")
        for vname, typ, data in values:
            prefix = reg_string(vname) + "="
            if typ == SZ:
                lines.append(prefix + reg_string(data))
            elif typ == DWORD:
                lines.append(prefix + "dword:%08x" % data)
            elif typ == EXPAND:
                lines.append(reg_hex(prefix, "hex(2):", (data + "\0").encode("utf-16-le")))
        lines.append("")
    text = "\r\n".join(lines) + "\r\n"
    return b"\xff\xfe" + text.encode("utf-16-le")


def ps51_escape(s):
    # JavaScriptSerializer, used by Windows PowerShell 5.1's ConvertTo-Json
    out = []
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "<>&'" or o < 0x20:
            out.append("\\u%04x" % o)
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


SELECTED = ["DisplayName", "DisplayVersion", "Publisher", "InstallDate", "InstallLocation",
            "SystemComponent", "ParentKeyName", "ReleaseType", "PSPath"]


def ps51_json(hives):
    objs = []
    for root, keys in hives:
        for name, values in keys:
            if not values:  # Get-ItemProperty writes nothing for a key without values
                continue
            vals = {v[0]: v for v in values}
            fields = []
            for f in SELECTED:
                if f == "PSPath":
                    fields.append((f, ps51_escape("Microsoft.PowerShell.Core\\Registry::" + root + "\\" + name)))
                elif f not in vals:
                    fields.append((f, "null"))
                elif vals[f][1] == DWORD:
                    fields.append((f, str(vals[f][2])))
                else:
                    fields.append((f, ps51_escape(vals[f][2])))
            objs.append("    {\r\n" + ",\r\n".join('        "%s":  %s' % kv for kv in fields) + "\r\n    }")
    text = "[\r\n" + ",\r\n".join(objs) + "\r\n]\r\n"
    return b"\xff\xfe" + text.encode("utf-16-le")


def ps7_single(root, key):
    name, values = key
    doc = {}
    for vname, typ, data in values:
        doc[vname] = data
    doc["PSPath"] = "Microsoft.PowerShell.Core\\Registry::" + root + "\\" + name
    doc["PSParentPath"] = "Microsoft.PowerShell.Core\\Registry::" + root
    doc["PSChildName"] = name
    doc["PSDrive"] = "HKLM"
    doc["PSProvider"] = "Microsoft.PowerShell.Core\\Registry"
    text = json.dumps(doc, indent=2, ensure_ascii=False).replace("\n", "\r\n") + "\r\n"
    return text.encode("utf-8")


def winget_export():
    packages = [("7zip.7zip", "23.01"), ("Adobe.Acrobat.Reader.32-bit", "23.008.20421"),
                ("Microsoft.OneDrive", "23.246.1127.0002"), ("Mozilla.Firefox.fr", "121.0"),
                ("RARLab.WinRAR", "6.24.0"), ("VideoLAN.VLC", "3.0.20"), ("Zoom.Zoom", "5.17.1.23123")]
    pk = ",\n".join('\t\t\t\t{\n\t\t\t\t\t"PackageIdentifier" : "%s",\n\t\t\t\t\t"Version" : "%s"\n\t\t\t\t}' % p for p in packages)
    text = ('{\n\t"$schema" : "https://aka.ms/winget-packages.schema.2.0.json",\n'
            '\t"CreationDate" : "2024-01-15T10:31:24.532-00:00",\n'
            '\t"Sources" : \n\t[\n\t\t{\n\t\t\t"Packages" : \n\t\t\t[\n' + pk + '\n\t\t\t],\n'
            '\t\t\t"SourceDetails" : \n\t\t\t{\n'
            '\t\t\t\t"Argument" : "https://cdn.winget.microsoft.com/cache",\n'
            '\t\t\t\t"Identifier" : "Microsoft.Winget.Source_8wekyb3d8bbwe",\n'
            '\t\t\t\t"Name" : "winget",\n'
            '\t\t\t\t"Type" : "Microsoft.PreIndexed.Package"\n'
            '\t\t\t}\n\t\t}\n\t],\n'
            '\t"WinGetVersion" : "1.6.3482"\n}')
    return text.replace("\n", "\r\n").encode("utf-8")


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


hklm, wow, hkcu = reg_export(HKLM, HKLM_KEYS), reg_export(WOW, WOW_KEYS), reg_export(HKCU, HKCU_KEYS)
write("uninstall-hklm.reg", hklm)
write("uninstall-wow6432node.reg", wow)
write("uninstall-hkcu.reg", hkcu)
write("workstation.reg", hklm + wow + hkcu)
write("workstation.ps51.json", ps51_json([(HKLM, HKLM_KEYS), (WOW, WOW_KEYS), (HKCU, HKCU_KEYS)]))
write("7zip.ps7.json", ps7_single(HKLM, HKLM_KEYS[0]))
write("winget-export.json", winget_export())


def ocs_windows():
    ind = "    "
    out = ['<?xml version="1.0" encoding="UTF-8" ?>', "<REQUEST>", ind + "<CONTENT>"]

    def elem(depth, name, value):
        value = str(value)
        if value == "":
            return ind * depth + "<%s />" % name
        return ind * depth + "<%s>%s</%s>" % (name, xml_escape(value), name)

    out.append(ind * 2 + "<HARDWARE>")
    for name, value in [("NAME", "PC-DSI-042"), ("WORKGROUP", "MINISTERE"), ("USERDOMAIN", "MINISTERE"),
                        ("OSNAME", "Microsoft Windows 10 Professionnel"), ("OSVERSION", "10.0.19045"),
                        ("OSCOMMENTS", "Service Pack 0"), ("ARCH", "x86 64 bits"), ("TYPE", 0)]:
        out.append(elem(3, name, value))
    out.append(ind * 2 + "</HARDWARE>")
    for root, keys, bits in [(HKLM, HKLM_KEYS, 64), (WOW, WOW_KEYS, 32), (HKCU, HKCU_KEYS, 64)]:
        for name, values in keys:
            vals = {v[0]: v[2] for v in values}
            if "DisplayName" not in vals:
                continue
            date = vals.get("InstallDate", "")
            date = date[:4] + "/" + date[4:6] + "/" + date[6:] if len(date) == 8 else "0000/00/00"
            out.append(ind * 2 + "<SOFTWARES>")
            for field, value in [("PUBLISHER", vals.get("Publisher", "")), ("NAME", vals["DisplayName"]),
                                 ("VERSION", vals.get("DisplayVersion", "")), ("FOLDER", vals.get("InstallLocation", "")),
                                 ("COMMENTS", vals.get("Comments", "")), ("FILENAME", ""), ("FILESIZE", 0),
                                 ("GUID", name), ("LANGUAGE", ""), ("INSTALLDATE", date), ("BITSWIDTH", bits),
                                 ("SOURCE", 1)]:
                out.append(elem(3, field, value))
            out.append(ind * 2 + "</SOFTWARES>")
    out += [ind + "</CONTENT>", ind + "<DEVICEID>PC-DSI-042-2024-01-15-10-31-24</DEVICEID>",
            ind + "<QUERY>INVENTORY</QUERY>", "</REQUEST>", ""]
    return zlib.compress("\n".join(out).encode("utf-8"))


write(os.path.join("..", "ocs", "PC-DSI-042.ocs"), ocs_windows())
