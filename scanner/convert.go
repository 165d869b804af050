package scanner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/anchore/syft/syft/artifact"
	"github.com/anchore/syft/syft/file"
	"github.com/anchore/syft/syft/license"
	"github.com/anchore/syft/syft/linux"
	"github.com/anchore/syft/syft/pkg"
	"github.com/anchore/syft/syft/sbom"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/rules"
)

// components converts the packages of s into sillage components, one per
// distinct (type, name, version, purl, locations), in canonical order.
// foundBy, when not empty, replaces syft's cataloger name (for SBOM
// input). fromDocument says the packages come from an SBOM document, whose
// "concluded" licences are its author's conclusions; in syft's own scans,
// "concluded" marks licences identified in licence files, which sillage
// reports as detected.
// ev holds what sillage read in the target for some packages (see
// inspect); it may be nil.
func components(s *sbom.SBOM, foundBy string, fromDocument bool, ev map[artifact.ID]evidence) []sillage.Component {
	if s == nil || s.Artifacts.Packages == nil {
		return []sillage.Component{}
	}
	seen := map[string]int{}
	out := make([]sillage.Component, 0, s.Artifacts.Packages.PackageCount())
	for p := range s.Artifacts.Packages.Enumerate() {
		if nestedAppBundle(p) {
			continue
		}
		c := component(p, foundBy, fromDocument, ev[p.ID()])
		if i, dup := seen[c.ID]; dup {
			// the same package reported twice (two catalogers agreeing):
			// keep one, with the union of what both said
			out[i] = mergeComponents(out[i], c)
			continue
		}
		seen[c.ID] = len(out)
		out = append(out, c)
	}
	slices.SortFunc(out, sillage.CompareComponents)
	return out
}

func component(p pkg.Package, foundBy string, fromDocument bool, ev evidence) sillage.Component {
	c := sillage.Component{
		Name:      strings.TrimSpace(p.Name),
		Version:   strings.TrimSpace(p.Version),
		Type:      componentType(p.Type),
		PURL:      p.PURL,
		CPEs:      cpes(p),
		Locations: locations(p.Locations),
		FoundBy:   p.FoundBy,
	}
	if foundBy != "" {
		c.FoundBy = foundBy
	}
	c.Licenses = licenses(p.Licenses, fromDocument)
	if ev.declared != nil {
		c.Licenses.Declared = ev.declared
	}
	c.Licenses.Detected = mergeDetected(c.Licenses.Detected, ev.detected)
	c.Supplier, c.SourceName, c.Arch = metadataFields(p.Metadata)
	if b, ok := p.Metadata.(pkg.AppleAppBundleEntry); ok {
		appleBundle(&c, b)
	}
	c.ID = sillage.ComponentID(c)
	return c
}

// componentType maps syft's package types to sillage's, which follow the
// package-URL types ("python" → "pypi", "go-module" → "golang").
func componentType(t pkg.Type) sillage.Type {
	switch t {
	case pkg.ApkPkg:
		return sillage.TypeAPK
	case pkg.DotnetPkg:
		return sillage.TypeNuGet
	case pkg.BinaryPkg, pkg.GraalVMNativeImagePkg:
		return sillage.TypeBinary
	case pkg.AppleAppBundlePkg:
		return sillage.TypeMacOS
	case pkg.KbPkg:
		return sillage.TypeWindows
	case pkg.LinuxKernelPkg, pkg.LinuxKernelModulePkg, pkg.GithubActionPkg, pkg.GithubActionWorkflowPkg,
		pkg.CondaPkg, pkg.ModelPkg:
		return sillage.Type(t)
	case pkg.UnknownPkg, "":
		return sillage.TypeUnknown
	}
	if pt := t.PackageURLType(); pt != "" && !strings.Contains(pt, "/") {
		return sillage.Type(pt)
	}
	return sillage.Type(strings.ToLower(string(t)))
}

func cpes(p pkg.Package) []string {
	out := make([]string, 0, len(p.CPEs))
	for _, c := range p.CPEs {
		if s := c.Attributes.String(); s != "" {
			out = append(out, s)
		}
	}
	return slices.Compact(out)
}

func locations(ls file.LocationSet) []string {
	var out []string
	for _, l := range ls.ToSlice() {
		if p := locationPath(l); p != "" {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// locationPath is the real path of a file, or for a file inside an archive
// the archive's path followed by the "!/"-separated entries leading to it.
func locationPath(l file.Location) string {
	if l.FullPath != "" {
		return l.FullPath
	}
	if l.RealPath != "" {
		return l.RealPath
	}
	return l.AccessPath
}

func licenses(ls pkg.LicenseSet, fromDocument bool) sillage.Licenses {
	out := sillage.Licenses{
		Declared: []sillage.DeclaredLicense{},
		Detected: []sillage.DetectedLicense{},
	}
	var concluded []string
	for _, l := range ls.ToSlice() {
		value := strings.TrimSpace(l.Value)
		if value == "" {
			value = l.SPDXExpression
		}
		if value == "" && l.Contents != "" {
			value = firstLine(l.Contents)
		}
		if value == "" {
			continue
		}
		if l.Type == license.Concluded {
			switch {
			case l.SPDXExpression == "":
				// a licence text syft could not identify ("sha256:…"):
				// no identification to report
			case fromDocument:
				concluded = append(concluded, l.SPDXExpression)
			default:
				for _, loc := range locationsOrEmpty(l.Locations) {
					out.Detected = append(out.Detected, sillage.DetectedLicense{SPDX: l.SPDXExpression, Location: loc})
				}
			}
			continue
		}
		out.Declared = append(out.Declared, sillage.DeclaredLicense{
			Value:     value,
			SPDX:      rules.NormalizeLicense(value).Expression,
			Locations: locations(l.Locations),
		})
	}
	slices.SortFunc(out.Declared, func(a, b sillage.DeclaredLicense) int {
		if c := strings.Compare(a.Value, b.Value); c != 0 {
			return c
		}
		return strings.Compare(a.SPDX, b.SPDX)
	})
	out.Declared = slices.CompactFunc(out.Declared, func(a, b sillage.DeclaredLicense) bool {
		return a.Value == b.Value && a.SPDX == b.SPDX
	})
	out.Detected = sortDetected(out.Detected)
	// an SBOM's own conclusion is kept as the concluded licence: the
	// supplier of the document made it deliberately
	slices.Sort(concluded)
	concluded = slices.Compact(concluded)
	out.Concluded = joinAnd(concluded)
	return out
}

// locationsOrEmpty returns the paths of ls, or one empty path when ls has
// none, so that a detection without a known file is still reported.
func locationsOrEmpty(ls file.LocationSet) []string {
	if p := locations(ls); len(p) > 0 {
		return p
	}
	return []string{""}
}

func joinAnd(exprs []string) string {
	switch len(exprs) {
	case 0:
		return ""
	case 1:
		return exprs[0]
	}
	parts := make([]string, len(exprs))
	for i, e := range exprs {
		if strings.Contains(e, " ") {
			e = "(" + e + ")"
		}
		parts[i] = e
	}
	return strings.Join(parts, " AND ")
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 120 {
		s = s[:120]
	}
	return strings.TrimSpace(s)
}

// metadataFields extracts the supplier, source package and architecture
// from the ecosystem metadata syft attaches to a package.
func metadataFields(md any) (supplier, source, arch string) {
	switch m := md.(type) {
	case pkg.DpkgDBEntry:
		return m.Maintainer, m.Source, m.Architecture
	case pkg.RpmDBEntry:
		return m.Vendor, sourceRPMName(m.SourceRpm), m.Arch
	case pkg.RpmArchive:
		return m.Vendor, sourceRPMName(m.SourceRpm), m.Arch
	case pkg.ApkDBEntry:
		return m.Maintainer, m.OriginPackage, m.Architecture
	case pkg.NpmPackage:
		return m.Author, "", ""
	case pkg.PythonPackage:
		return m.Author, "", ""
	}
	return "", "", ""
}

// sourceRPMName turns "bash-5.1.8-6.el9.src.rpm" into "bash".
func sourceRPMName(srpm string) string {
	s := strings.TrimSuffix(srpm, ".src.rpm")
	if s == srpm {
		return ""
	}
	// name-version-release: drop the last two dash-separated fields
	for range 2 {
		i := strings.LastIndexByte(s, '-')
		if i <= 0 {
			return ""
		}
		s = s[:i]
	}
	return s
}

func mergeComponents(a, b sillage.Component) sillage.Component {
	a.CPEs = slices.Compact(slices.Sorted(slices.Values(append(a.CPEs, b.CPEs...))))
	a.Licenses.Declared = append(a.Licenses.Declared, b.Licenses.Declared...)
	slices.SortFunc(a.Licenses.Declared, func(x, y sillage.DeclaredLicense) int {
		return strings.Compare(x.Value+"\x00"+x.SPDX, y.Value+"\x00"+y.SPDX)
	})
	a.Licenses.Declared = slices.CompactFunc(a.Licenses.Declared, func(x, y sillage.DeclaredLicense) bool {
		return x.Value == y.Value && x.SPDX == y.SPDX
	})
	if a.Supplier == "" {
		a.Supplier = b.Supplier
	}
	if a.SourceName == "" {
		a.SourceName = b.SourceName
	}
	if a.Arch == "" {
		a.Arch = b.Arch
	}
	return a
}

func distro(r *linux.Release) *sillage.Distro {
	if r == nil || r.ID == "" {
		return nil
	}
	return &sillage.Distro{ID: r.ID, VersionID: r.VersionID, PrettyName: r.PrettyName}
}

// unknownWarnings turns syft's per-file cataloguing errors into warnings.
func unknownWarnings(s *sbom.SBOM) []string {
	if s == nil {
		return nil
	}
	var out []string
	for coord, msgs := range s.Artifacts.Unknowns {
		p := coord.RealPath
		if coord.FullPath != "" {
			p = coord.FullPath
		}
		for _, m := range msgs {
			out = append(out, fmt.Sprintf("%s: %s", p, m))
		}
	}
	slices.Sort(out)
	return out
}

// sortDetected sorts detections by file, then licence, without
// duplicates.
func sortDetected(ds []sillage.DetectedLicense) []sillage.DetectedLicense {
	slices.SortFunc(ds, func(a, b sillage.DetectedLicense) int {
		if c := strings.Compare(a.Location, b.Location); c != 0 {
			return c
		}
		return strings.Compare(a.SPDX, b.SPDX)
	})
	return slices.Compact(ds)
}
