package scanner

import (
	"context"
	"io"
	"path"
	"strings"

	"github.com/anchore/syft/syft/artifact"
	"github.com/anchore/syft/syft/file"
	"github.com/anchore/syft/syft/pkg"
	"github.com/anchore/syft/syft/sbom"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/scanner/internal/dep5"
)

// evidence is what sillage reads in the target itself, beyond what syft
// reports, for one package.
type evidence struct {
	// declared, when set, replaces syft's declared licences: sillage read
	// the package's machine-readable copyright file.
	declared []sillage.DeclaredLicense
	// detected are the licences sillage's detector found in the package's
	// licence files; they replace syft's detections of the same files.
	detected []sillage.DetectedLicense
}

// maxEvidenceFile bounds the files inspect reads.
const maxEvidenceFile = 4 << 20

// inspect reads, through the scan's resolver and while the target is still
// open, the files that say more about the packages than syft extracted:
// the DEP-5 copyright files of Debian packages, whose License synopses
// sillage reads itself (see package dep5 for why); then the licence files
// of the packages that o.LicenseDetection selects.
func inspect(ctx context.Context, s *sbom.SBOM, r file.Resolver, o Options) (map[artifact.ID]evidence, error) {
	m := o.LicenseDetection
	out := map[artifact.ID]evidence{}
	if s == nil || s.Artifacts.Packages == nil || r == nil {
		return out, nil
	}
	n := 0
	for p := range s.Artifacts.Packages.Enumerate(pkg.DebPkg) {
		if n++; n%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		copyright := debCopyright(p)
		if copyright == "" {
			continue
		}
		data, ok := readTargetFile(r, copyright)
		if !ok {
			continue
		}
		synopses, ok := dep5.Synopses(data)
		if !ok || len(synopses) == 0 {
			continue
		}
		var ev evidence
		for _, syn := range synopses {
			ev.declared = append(ev.declared, sillage.DeclaredLicense{
				Value:     syn,
				SPDX:      dep5.Normalize(syn).Expression,
				Locations: []string{copyright},
			})
		}
		out[p.ID()] = ev
	}
	if m == DetectNone {
		return out, nil
	}
	var jobs []detectJob
	for p := range s.Artifacts.Packages.Enumerate() {
		declared := out[p.ID()].declared
		if declared == nil {
			declared = licenses(p.Licenses, false).Declared
		}
		for _, f := range licenceCandidates(p, declared, r, m) {
			jobs = append(jobs, detectJob{id: p.ID(), path: f})
		}
	}
	found, err := detectLicences(ctx, r, jobs, o)
	if err != nil {
		return nil, err
	}
	for id, dl := range found {
		ev := out[id]
		ev.detected = dl
		out[id] = ev
	}
	return out, nil
}

// debCopyright returns the path of a Debian package's copyright file,
// /usr/share/doc/NAME/copyright, among the files syft associated with it.
func debCopyright(p pkg.Package) string {
	for _, l := range p.Locations.ToSlice() {
		if isDebCopyright(l.RealPath) {
			return l.RealPath
		}
	}
	for _, lic := range p.Licenses.ToSlice() {
		for _, l := range lic.Locations.ToSlice() {
			if isDebCopyright(l.RealPath) {
				return l.RealPath
			}
		}
	}
	return ""
}

func isDebCopyright(p string) bool {
	return path.Base(p) == "copyright" && strings.HasPrefix(p, "/usr/share/doc/")
}

// openTargetFile opens a file of the target by its in-target path,
// through the scan's resolver. It reports false when the file cannot be
// opened.
func openTargetFile(r file.Resolver, p string) (io.ReadCloser, bool) {
	locs, err := r.FilesByPath(p)
	if err != nil || len(locs) == 0 {
		return nil, false
	}
	rc, err := r.FileContentsByLocation(locs[0])
	if err != nil {
		return nil, false
	}
	return rc, true
}

// readTargetFile reads a file of the target by its in-target path, at
// most maxEvidenceFile bytes. It reports false when the file cannot be
// read or is larger than that.
func readTargetFile(r file.Resolver, p string) ([]byte, bool) {
	rc, ok := openTargetFile(r, p)
	if !ok {
		return nil, false
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxEvidenceFile+1))
	if err != nil || len(data) > maxEvidenceFile {
		return nil, false
	}
	return data, true
}
