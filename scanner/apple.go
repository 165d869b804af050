package scanner

import (
	"net/url"
	"strings"

	"github.com/anchore/syft/syft/pkg"

	"github.com/sillage-oss/sillage"
)

// appleBundle completes a macOS application found by syft's app bundle
// cataloger (Info.plist of a .app): there is no package-URL type for
// macOS applications, and syft leaves the purl empty, but the bundle
// identifier is what identifies the application (com.microsoft.Word), so
// it travels as the "bundle_id" qualifier of a generic package URL, the
// form SBOM consumers keep. The install location is the .app directory.
func appleBundle(c *sillage.Component, b pkg.AppleAppBundleEntry) {
	if id := strings.TrimSpace(b.BundleIdentifier); id != "" && c.PURL == "" {
		u := "pkg:generic/" + url.PathEscape(c.Name)
		if c.Version != "" {
			u += "@" + url.PathEscape(c.Version)
		}
		c.PURL = u + "?bundle_id=" + url.QueryEscape(id)
	}
	for _, l := range c.Locations {
		if dir, ok := strings.CutSuffix(l, "/Contents/Info.plist"); ok && strings.HasSuffix(dir, ".app") {
			c.InstallLocation = dir
			break
		}
	}
}

// nestedAppBundle reports whether p is an application bundle inside
// another one (Slack.app/Contents/Frameworks/Slack Helper.app): helpers
// and plug-ins that ship with the application and that Finder does not
// show as applications.
func nestedAppBundle(p pkg.Package) bool {
	if p.Type != pkg.AppleAppBundlePkg {
		return false
	}
	for _, l := range p.Locations.ToSlice() {
		if isNestedBundle(locationPath(l)) {
			return true
		}
	}
	return false
}

func isNestedBundle(plist string) bool {
	dir := strings.TrimSuffix(plist, "/Contents/Info.plist")
	return strings.Contains(dir, ".app/")
}
