// Package winreg reads the programs installed on a Windows machine from the
// Uninstall keys of its registry, the list "Programs and Features" (and
// Settings > Apps) shows:
//
//	HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*
//	HKEY_LOCAL_MACHINE\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\*   (32-bit programs)
//	HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Uninstall\*               (per-user installs)
//
// They come from the live registry (live_windows.go, Windows builds only),
// from a registry export (.reg, as regedit and `reg export` write it) or
// from PowerShell's `Get-ItemProperty ... | ConvertTo-Json`. All three give
// Entries, and Hidden and Component, which decide what is a program and
// what component it is, are the same for all of them and tested on every
// platform.
package winreg

import (
	"strconv"
	"strings"
	"time"

	"github.com/sillage-oss/sillage"
)

// The values of an Uninstall subkey that sillage reads. Others are not
// kept, so an entry's size does not depend on what the registry holds.
const (
	ValDisplayName     = "DisplayName"
	ValDisplayVersion  = "DisplayVersion"
	ValPublisher       = "Publisher"
	ValInstallDate     = "InstallDate"
	ValInstallLocation = "InstallLocation"
	ValSystemComponent = "SystemComponent"
	ValParentKeyName   = "ParentKeyName"
	ValReleaseType     = "ReleaseType"
)

var kept = map[string]string{}

func init() {
	for _, n := range []string{ValDisplayName, ValDisplayVersion, ValPublisher, ValInstallDate,
		ValInstallLocation, ValSystemComponent, ValParentKeyName, ValReleaseType} {
		kept[strings.ToLower(n)] = n
	}
}

// maxValueLen bounds a kept value; longer ones are cut (a DisplayName is
// a line of text).
const maxValueLen = 4096

// Entry is one subkey of an Uninstall key: the program's registration.
type Entry struct {
	// Key is the subkey's full path as regedit spells it:
	// "HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\7-Zip".
	Key    string
	values map[string]string // canonical value name -> text
}

// NewEntry returns an entry for the subkey at key.
func NewEntry(key string) Entry { return Entry{Key: key} }

// Set records a value by its registry name, compared without regard to
// case as the registry does. Values sillage does not read are dropped.
// DWORDs are given in decimal.
func (e *Entry) Set(name, value string) {
	canon, ok := kept[strings.ToLower(name)]
	if !ok {
		return
	}
	if len(value) > maxValueLen {
		value = value[:maxValueLen]
	}
	if e.values == nil {
		e.values = make(map[string]string, 8)
	}
	e.values[canon] = value
}

// Delete removes a value (a .reg file's "name"=-).
func (e *Entry) Delete(name string) {
	if canon, ok := kept[strings.ToLower(name)]; ok {
		delete(e.values, canon)
	}
}

// Get returns a value, "" when absent.
func (e Entry) Get(name string) string { return e.values[name] }

// Wanted reports whether Set would keep a value of that name, so that
// readers can skip decoding the others.
func Wanted(name string) bool {
	_, ok := kept[strings.ToLower(name)]
	return ok
}

// Why Programs and Features leaves an entry out: the values of the second
// result of Hidden.
const (
	HiddenNoName          = "no DisplayName"
	HiddenSystemComponent = "SystemComponent=1"
	HiddenParent          = "ParentKeyName set (a part or update of another program)"
	HiddenUpdate          = "ReleaseType is an update"
)

// Hidden reports whether "Programs and Features" leaves e out, and why:
//   - an entry without DisplayName is not listed;
//   - SystemComponent=1 marks a component another program installed and
//     manages (runtimes registered by an MSI bundle, Office's parts);
//   - ParentKeyName names the program an entry belongs to: language packs,
//     add-ins and updates of Office and Visual Studio;
//   - ReleaseType "Update", "Hotfix", "Security Update" (and "Service
//     Pack", "Update Rollup") are patches, which the control panel shows
//     under "Installed updates", not as programs.
//
// Whitespace around a DisplayName does not count; SystemComponent counts
// when it is 1 as a DWORD or as text, as some installers write it.
func Hidden(e Entry) (bool, string) {
	if strings.TrimSpace(e.Get(ValDisplayName)) == "" {
		return true, HiddenNoName
	}
	if n, err := strconv.ParseUint(strings.TrimSpace(e.Get(ValSystemComponent)), 0, 32); err == nil && n == 1 {
		return true, HiddenSystemComponent
	}
	if strings.TrimSpace(e.Get(ValParentKeyName)) != "" {
		return true, HiddenParent
	}
	if IsUpdateReleaseType(e.Get(ValReleaseType)) {
		return true, HiddenUpdate
	}
	return false, ""
}

// IsUpdateReleaseType reports whether a ReleaseType (registry) or
// RELEASE_TYPE (GLPI, OCS) names a patch rather than a program.
func IsUpdateReleaseType(t string) bool {
	switch strings.ToLower(strings.TrimSpace(t)) {
	case "update", "hotfix", "security update", "service pack", "update rollup", "critical update":
		return true
	}
	return false
}

// Component is the component of a visible entry: name DisplayName,
// version DisplayVersion, supplier Publisher, the install date and
// location, the subkey as location, and for a subkey of the 32-bit view
// (WOW6432Node) the architecture x86. There is no package-URL type for
// Windows programs: purl stays empty and the component's id is its key.
func Component(e Entry, foundBy string) sillage.Component {
	c := sillage.Component{
		Name:            clean(e.Get(ValDisplayName)),
		Version:         clean(e.Get(ValDisplayVersion)),
		Type:            sillage.TypeWindows,
		CPEs:            []string{},
		Locations:       []string{e.Key},
		Supplier:        clean(e.Get(ValPublisher)),
		FoundBy:         foundBy,
		InstallDate:     InstallDate(e.Get(ValInstallDate)),
		InstallLocation: strings.TrimSpace(e.Get(ValInstallLocation)),
		Licenses: sillage.Licenses{
			Declared: []sillage.DeclaredLicense{},
			Detected: []sillage.DetectedLicense{},
		},
	}
	if strings.Contains(asciiLower(e.Key), `\wow6432node\`) {
		c.Arch = "x86"
	}
	c.ID = sillage.ComponentID(c)
	return c
}

// clean trims a value and drops what follows a control character: some
// installers leave a NUL and garbage after the text.
func clean(s string) string {
	if i := strings.IndexFunc(s, func(r rune) bool { return r < 0x20 && r != '\t' }); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// InstallDate normalises the InstallDate value to "2024-01-15". Windows
// Installer writes "20240115"; some installers write "15/01/2024",
// "1/15/2024" or "2024-01-15". Dates that are ambiguous (both day and month
// at most 12 in a slash form) or impossible give "".
func InstallDate(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	var y, m, d int
	switch {
	case len(v) == 8 && allDigits(v):
		y, m, d = atoi(v[:4]), atoi(v[4:6]), atoi(v[6:])
	case len(v) >= 10 && v[4] == '-' && v[7] == '-':
		y, m, d = atoi(v[:4]), atoi(v[5:7]), atoi(v[8:10])
	case len(v) >= 10 && v[4] == '/' && v[7] == '/':
		y, m, d = atoi(v[:4]), atoi(v[5:7]), atoi(v[8:10])
	default:
		parts := strings.Split(strings.Fields(v)[0], "/")
		if len(parts) != 3 || len(parts[2]) != 4 {
			return ""
		}
		a, b := atoi(parts[0]), atoi(parts[1])
		y = atoi(parts[2])
		switch {
		case a > 12 && b <= 12:
			d, m = a, b
		case b > 12 && a <= 12:
			m, d = a, b
		case a == b:
			d, m = a, b
		default:
			return ""
		}
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if y < 1980 || y > 2200 || t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return ""
	}
	return t.Format(time.DateOnly)
}

// InstallDateDMY is InstallDate for sources that write day first
// ("18/04/2017": the GLPI and FusionInventory agents' XML): a slash date
// is read as day/month/year.
func InstallDateDMY(v string) string {
	fields := strings.Fields(v)
	if len(fields) == 0 {
		return ""
	}
	parts := strings.Split(fields[0], "/")
	if len(parts) == 3 && len(parts[2]) == 4 && len(parts[0]) <= 2 && len(parts[1]) <= 2 {
		return InstallDate(parts[2] + "-" + pad2(parts[1]) + "-" + pad2(parts[0]))
	}
	return InstallDate(v)
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func atoi(s string) int {
	if !allDigits(s) {
		return -1
	}
	n, _ := strconv.Atoi(s)
	return n
}

// UninstallSubkey reports whether key is a program's subkey of an
// Uninstall key (exactly one level below
// ...\Microsoft\Windows\CurrentVersion\Uninstall), whatever hive or view it
// is in, and returns the subkey's name. A hive loaded under another name
// (reg load HKLM\OFFLINE ...) is recognised too.
func UninstallSubkey(key string) (string, bool) {
	const marker = `\microsoft\windows\currentversion\uninstall\`
	i := strings.LastIndex(asciiLower(key), marker)
	if i < 0 {
		return "", false
	}
	name := key[i+len(marker):]
	if name == "" || strings.Contains(name, `\`) {
		return "", false
	}
	return name, true
}

// asciiLower lower-cases ASCII letters only, so that byte offsets in the
// result are offsets in s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
