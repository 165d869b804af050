package scanner

import (
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"howett.net/plist"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/rules"
	"github.com/sillage-oss/sillage/scanner/internal/desktopapps"
	"github.com/sillage-oss/sillage/scanner/internal/hostscan"
	"github.com/sillage-oss/sillage/scanner/internal/winreg"
)

// workstationApps finds what a host has beyond its package databases:
// Flatpak and Snap applications, and on a Windows machine scanned live
// (host:C:\), the programs of its registry's Uninstall keys.
func workstationApps(root string, o Options) ([]sillage.Component, []string) {
	excluded := hostExcluder(o)
	apps, warnings, err := desktopapps.Find(root, desktopapps.Options{Excluded: excluded})
	if err != nil {
		warnings = append(warnings, fmt.Sprintf("%s: Flatpak and Snap applications not read: %v", root, err))
	}
	var out []sillage.Component
	for _, a := range apps {
		out = append(out, desktopComponent(a))
	}
	if runtime.GOOS == "windows" && isLiveRoot(root) {
		comps, w := liveRegistry()
		out = append(out, comps...)
		warnings = append(warnings, w...)
	}
	return out, warnings
}

func desktopComponent(a desktopapps.App) sillage.Component {
	c := sillage.Component{
		Name:            a.Name,
		Version:         a.Version,
		Type:            sillage.TypeFlatpak,
		CPEs:            []string{},
		Locations:       []string{a.Location},
		Supplier:        a.Developer,
		Arch:            a.Arch,
		FoundBy:         FoundByFlatpak,
		InstallLocation: a.InstallLocation,
		Licenses:        sillage.Licenses{Declared: []sillage.DeclaredLicense{}, Detected: []sillage.DetectedLicense{}},
	}
	if a.Kind == "snap" {
		c.Type, c.FoundBy = sillage.TypeSnap, FoundBySnap
	}
	if a.License != "" {
		c.Licenses.Declared = append(c.Licenses.Declared, sillage.DeclaredLicense{
			Value:     a.License,
			SPDX:      rules.NormalizeLicense(a.License).Expression,
			Locations: []string{a.LicenseFile},
		})
	}
	c.ID = sillage.ComponentID(c)
	return c
}

// liveRegistry reads the running Windows machine's Uninstall keys.
func liveRegistry() ([]sillage.Component, []string) {
	entries, skipped, err := winreg.Live()
	var warnings []string
	if err != nil {
		return nil, []string{"Windows registry: programs not read: " + err.Error()}
	}
	if skipped > 0 {
		warnings = append(warnings, fmt.Sprintf("Windows registry: %d Uninstall subkeys could not be opened", skipped))
	}
	return registryComponents(entries, FoundByRegistry), warnings
}

// hostExcluder reports whether an in-root path is left out by the scan's
// exclusions (the default host excludes unless NoDefaultExcludes, and
// --exclude), testing the path and each directory above it as the host
// walk does.
func hostExcluder(o Options) func(string) bool {
	var globs []string
	if !o.NoDefaultExcludes {
		globs = append(globs, hostscan.DefaultExcludes...)
	}
	globs = append(globs, normalizeGlobs(o.Exclude)...)
	if len(globs) == 0 {
		return nil
	}
	return func(p string) bool {
		for q := path.Clean(p); q != "/" && q != "."; q = path.Dir(q) {
			for _, g := range globs {
				if ok, _ := doublestar.Match(g, q); ok {
					return true
				}
			}
		}
		return false
	}
}

// mergeHostComponents adds components to a host inventory, keeping its
// order and leaving out those already present.
func mergeHostComponents(inv *sillage.Inventory, extra []sillage.Component) {
	if len(extra) == 0 {
		return
	}
	seen := map[string]bool{}
	for _, c := range inv.Components {
		seen[c.ID] = true
	}
	for _, c := range extra {
		if !seen[c.ID] {
			seen[c.ID] = true
			inv.Components = append(inv.Components, c)
		}
	}
	slices.SortFunc(inv.Components, sillage.CompareComponents)
}

// macOSVersion returns "macOS 14.2" from the root's
// /System/Library/CoreServices/SystemVersion.plist, "" when there is none.
func macOSVersion(root string) string {
	f, err := os.Open(filepath.Join(root, "System", "Library", "CoreServices", "SystemVersion.plist"))
	if err != nil {
		return ""
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 1<<20))
	if err != nil {
		return ""
	}
	var v struct {
		ProductName    string `plist:"ProductName"`
		ProductVersion string `plist:"ProductVersion"`
	}
	if _, err := plist.Unmarshal(data, &v); err != nil {
		return ""
	}
	return strings.TrimSpace(v.ProductName + " " + v.ProductVersion)
}
