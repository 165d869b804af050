// Package agentinv reads the inventories that GLPI and OCS Inventory
// agents already make of an administration's machines:
//
//   - GLPI agent JSON, the glpi-project/inventory_format schema
//     ({"deviceid", "content": {"hardware", "operatingsystem", "softwares"}});
//   - the XML both families write, a REQUEST document of upper-case
//     sections (<REQUEST><CONTENT><HARDWARE>…<SOFTWARES>…</CONTENT>
//     <DEVICEID>…</REQUEST>): the OCS Inventory agents' .ocs files and the
//     FusionInventory / GLPI agents' XML, which inherited the format.
//
// One document is one machine. The software entries become components
// typed by where the agent found them (Windows registry, dpkg, rpm, Snap,
// Flatpak, macOS applications); Windows updates, hotfixes and system
// components, which "Programs and Features" hides, are left out as
// package winreg leaves them out of the registry.
package agentinv

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/scanner/internal/winreg"
)

// MaxSize bounds an inventory document (a large server's GLPI JSON is a
// few megabytes).
const MaxSize = 64 << 20

// maxText bounds one XML element's text.
const maxText = 1 << 20

// maxDepth bounds XML nesting: inventories are four levels deep.
const maxDepth = 64

// Inventory is one machine's inventory.
type Inventory struct {
	// Format is "glpi-json", "glpi-xml" or "ocs-xml".
	Format string
	// DeviceID is the agent's identifier of the machine
	// ("pc-arg-23.cedre.local-2017-04-18-09-26-44").
	DeviceID string
	// ItemType is GLPI's item type ("Computer", "Phone", "Printer"...),
	// "" when the document does not say.
	ItemType string
	// HostName is the machine's name (HARDWARE NAME).
	HostName string
	// OS is the operating system's name as the agent wrote it.
	OS string
	// HasSoftware is false when the document has no software section
	// (network equipment, printers, partial GLPI inventories).
	HasSoftware bool
	// Software lists the entries, in document order.
	Software []Software
}

// Software is one software entry, fields as the agents name them.
type Software struct {
	Name, Version, Publisher string
	// From is where the agent found it: "registry", "WMI", "uwp", "deb",
	// "rpm", "snap", "flatpak"... (GLPI and OCS Unix agents; empty for the
	// OCS Windows agent and for macOS).
	From string
	// Arch is ARCH (GLPI), ARCHITECTURE (OCS Unix) or BITSWIDTH (OCS
	// Windows: "32", "64").
	Arch string
	// InstallDate as written: "2019-12-19", "18/04/2017", "2026/10/23
	// 04:22:50".
	InstallDate string
	// Folder is the install location.
	Folder string
	// ReleaseType ("Security Update"...) and SystemCategory
	// ("system_component", "application", "update"...) are GLPI's.
	ReleaseType, SystemCategory string
	Comments                    string
	GUID                        string
}

// Components converts the inventory's software into components, in
// canonical order. Entries the Windows control panel hides (updates,
// hotfixes, system components) and entries without a name are left out;
// entries that give the same component twice are merged.
func (inv Inventory) Components(foundBy string) []sillage.Component {
	osType := osComponentType(inv.OS)
	ns := purlNamespace(inv.OS)
	seen := map[string]int{}
	out := []sillage.Component{}
	for _, s := range inv.Software {
		if hidden(s) {
			continue
		}
		c, ok := component(s, osType, ns, foundBy)
		if !ok {
			continue
		}
		if i, dup := seen[c.ID]; dup {
			if out[i].InstallLocation == "" {
				out[i].InstallLocation = c.InstallLocation
			}
			if out[i].InstallDate == "" {
				out[i].InstallDate = c.InstallDate
			}
			continue
		}
		seen[c.ID] = len(out)
		out = append(out, c)
	}
	slices.SortFunc(out, sillage.CompareComponents)
	return out
}

// hidden reports whether an entry is a patch or a system component rather
// than a program.
func hidden(s Software) bool {
	if winreg.IsUpdateReleaseType(s.ReleaseType) {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(s.SystemCategory)) {
	case "system_component", "update", "security_update", "hotfix":
		return true
	}
	if strings.EqualFold(s.From, "WMI") && strings.HasPrefix(strings.ToUpper(s.Name), "KB") {
		return true
	}
	// Windows Installer registers a patch of a product under
	// "{product code}_ParentKeyName_{patch code}", with ParentKeyName set;
	// agents that do not report ParentKeyName still give the key
	return patchKey.MatchString(strings.TrimSpace(s.GUID))
}

var patchKey = regexp.MustCompile(`^\{[0-9A-Fa-f-]{36}\}_.+_\{[0-9A-Fa-f-]{36}\}$`)

// notAvailable is what the OCS Windows agent writes for a missing value.
func value(s string) string {
	s = strings.TrimSpace(s)
	if s == "N/A" {
		return ""
	}
	return s
}

func component(s Software, osType sillage.Type, ns, foundBy string) (sillage.Component, bool) {
	name := value(s.Name)
	if name == "" {
		return sillage.Component{}, false
	}
	typ := fromType(s.From, osType)
	if typ == sillage.TypeFlatpak {
		// the GLPI agent names a Flatpak by its title and keeps the
		// application id in the comment: the id is what identifies it
		if id, ok := strings.CutPrefix(strings.TrimSpace(s.Comments), "AppID: "); ok && id != "" {
			name = id
		}
	}
	c := sillage.Component{
		Name:            name,
		Version:         value(s.Version),
		Type:            typ,
		CPEs:            []string{},
		Locations:       []string{},
		Supplier:        value(s.Publisher),
		Arch:            arch(s.Arch),
		FoundBy:         foundBy,
		InstallDate:     winreg.InstallDateDMY(value(s.InstallDate)),
		InstallLocation: value(s.Folder),
		Licenses:        sillage.Licenses{Declared: []sillage.DeclaredLicense{}, Detected: []sillage.DetectedLicense{}},
	}
	if (typ == sillage.TypeDeb || typ == sillage.TypeRPM) && ns != "" {
		c.PURL = packageURL(string(typ), ns, c.Name, c.Version, c.Arch)
	}
	c.ID = sillage.ComponentID(c)
	return c, true
}

func arch(a string) string {
	switch a = value(a); a {
	case "32":
		return "x86"
	case "64":
		return "x64"
	case "0":
		return ""
	}
	return a
}

// fromType maps where an agent found an entry to the component type; an
// entry without origin takes the operating system's type.
func fromType(from string, osType sillage.Type) sillage.Type {
	switch strings.ToLower(strings.TrimSpace(from)) {
	case "registry", "uwp", "wmi", "msi":
		return sillage.TypeWindows
	case "deb", "dpkg":
		return sillage.TypeDeb
	case "rpm":
		return sillage.TypeRPM
	case "snap":
		return sillage.TypeSnap
	case "flatpak":
		return sillage.TypeFlatpak
	case "apk":
		return sillage.TypeAPK
	case "pacman":
		return "alpm"
	case "nix":
		return "nix"
	case "gentoo":
		return "ebuild"
	case "":
		return osType
	}
	return sillage.Type(strings.ToLower(strings.TrimSpace(from)))
}

func osComponentType(os string) sillage.Type {
	o := strings.ToLower(os)
	switch {
	case strings.Contains(o, "windows"):
		return sillage.TypeWindows
	case strings.Contains(o, "mac os") || strings.Contains(o, "macos") || strings.Contains(o, "darwin"):
		return sillage.TypeMacOS
	}
	return sillage.TypeUnknown
}

// purlNamespace is the package-URL namespace of the distribution named
// by os, "" when sillage cannot tell it.
func purlNamespace(os string) string {
	o := strings.ToLower(os)
	for _, d := range []struct{ key, ns string }{
		{"debian", "debian"}, {"ubuntu", "ubuntu"}, {"fedora", "fedora"}, {"red hat", "redhat"},
		{"rhel", "redhat"}, {"centos", "centos"}, {"rocky", "rocky"}, {"almalinux", "almalinux"},
	} {
		if strings.Contains(o, d.key) {
			return d.ns
		}
	}
	return ""
}

func packageURL(typ, ns, name, version, arch string) string {
	var b strings.Builder
	b.WriteString("pkg:" + typ + "/" + ns + "/" + escape(name))
	if version != "" {
		b.WriteString("@" + escape(version))
	}
	if arch != "" {
		b.WriteString("?arch=" + escape(arch))
	}
	return b.String()
}

// escape percent-encodes all but the unreserved characters, as package
// URLs want ("1:7.4" -> "1%3A7.4", "+" -> "%2B").
func escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
