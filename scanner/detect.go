package scanner

import (
	"context"
	"errors"
	"math"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/anchore/syft/syft/artifact"
	"github.com/anchore/syft/syft/file"
	"github.com/anchore/syft/syft/license"
	"github.com/anchore/syft/syft/pkg"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/scanner/licensedetect"
)

// LicenseDetection says which packages' licence files a scan reads with
// the licence detector (package licensedetect).
type LicenseDetection string

// The licence detection modes.
const (
	// DetectAuto reads the licence files of the packages whose declared
	// licences do not settle the question: none declared, or a declared
	// statement that does not map to SPDX; and the licence texts syft
	// found but could not identify. It is the default ("" means auto).
	DetectAuto LicenseDetection = "auto"
	// DetectAll reads the licence files of every package.
	DetectAll LicenseDetection = "all"
	// DetectNone reads no licence file.
	DetectNone LicenseDetection = "none"
)

// ParseLicenseDetection returns the mode named s ("" is auto).
func ParseLicenseDetection(s string) (LicenseDetection, error) {
	switch m := LicenseDetection(strings.ToLower(strings.TrimSpace(s))); m {
	case "", DetectAuto:
		return DetectAuto, nil
	case DetectAll, DetectNone:
		return m, nil
	}
	return "", sillage.InvalidInput(errors.New("unknown licence detection mode " + s + "; choose auto, all or none"))
}

// licenceFileNames are the names under which a package directory holds
// its licence text, tried one by one through the resolver (a directory
// listing would cost a glob over the whole tree on host scans).
var licenceFileNames = []string{
	"LICENSE", "LICENSE.md", "LICENSE.txt", "LICENSE.rst", "LICENCE", "LICENCE.md", "LICENCE.txt",
	"license", "license.md", "license.txt", "License.txt", "License.md",
	"COPYING", "COPYING.md", "COPYING.txt", "COPYING.LESSER", "COPYING.LIB",
	"LICENSE-MIT", "LICENSE-APACHE", "LICENSE.MIT", "LICENSE.APACHE2", "UNLICENSE",
}

// manifestNames are the files that locate a language package in the
// directory that also holds its licence files.
var manifestNames = map[string]bool{
	"package.json":  true, // npm, installed under node_modules
	"METADATA":      true, // Python *.dist-info
	"PKG-INFO":      true, // Python *.egg-info
	"Cargo.toml":    true,
	"composer.json": true,
	"pubspec.yaml":  true,
}

// licenceCandidates returns the in-target paths of the files that may
// hold p's licence text, and whether p needs detection at all in mode m.
// declared is what the scan declares for p.
func licenceCandidates(p pkg.Package, declared []sillage.DeclaredLicense, r file.Resolver, m LicenseDetection) []string {
	var out []string
	// texts syft found and could not identify are always worth a look
	for _, l := range p.Licenses.ToSlice() {
		if l.Type == license.Concluded && l.SPDXExpression == "" {
			out = append(out, locations(l.Locations)...)
		}
	}
	if m != DetectAll && settled(declared) {
		return out
	}
	if p.Type == pkg.DebPkg {
		if c := debCopyright(p); c != "" {
			out = append(out, c)
		}
		return out
	}
	for _, loc := range locations(p.Locations) {
		dir, base := path.Split(loc)
		switch {
		case manifestNames[base]:
			out = append(out, existing(r, dir)...)
			if base == "METADATA" { // PEP 639: dist-info/licenses/
				out = append(out, existing(r, dir+"licenses/")...)
			}
		case (base == "package-lock.json" || base == "yarn.lock" || base == "pnpm-lock.yaml") && p.Type == pkg.NpmPkg:
			// a source tree with its dependencies installed
			out = append(out, existing(r, dir+"node_modules/"+p.Name+"/")...)
		}
	}
	return out
}

// settled reports whether the declared licences say everything: there is
// at least one, and each maps to SPDX.
func settled(declared []sillage.DeclaredLicense) bool {
	if len(declared) == 0 {
		return false
	}
	for _, d := range declared {
		// a custom Debian short name is a reference to a text sillage
		// has not identified yet
		if d.SPDX == "" || strings.Contains(d.SPDX, dep5RefPrefix) {
			return false
		}
	}
	return true
}

// dep5RefPrefix starts the LicenseRef- ids given to the custom short
// names of Debian copyright files (see package dep5).
const dep5RefPrefix = "LicenseRef-dep5-"

// existing returns the licence files present in dir (a slash path ending
// in "/").
func existing(r file.Resolver, dir string) []string {
	var out []string
	for _, n := range licenceFileNames {
		p := dir + n
		if locs, err := r.FilesByPath(p); err == nil && len(locs) > 0 {
			out = append(out, p)
		}
	}
	return out
}

// detectJob is one licence file to read for one package.
type detectJob struct {
	id   artifact.ID
	path string
}

// detectLicences reads the files of jobs through r and identifies their
// licences, on all cores. Files that are not text, too large or unreadable
// are skipped: detection adds knowledge, its failure removes none.
func detectLicences(ctx context.Context, r file.Resolver, jobs []detectJob, o Options) (map[artifact.ID][]sillage.DetectedLicense, error) {
	out := map[artifact.ID][]sillage.DetectedLicense{}
	if len(jobs) == 0 {
		return out, nil
	}
	d, err := o.licenceDetector()
	if err != nil {
		return nil, err
	}
	// the same file may serve several packages (a shared copyright file):
	// read each once
	byPath := map[string][]artifact.ID{}
	var paths []string
	for _, j := range jobs {
		if _, ok := byPath[j.path]; !ok {
			paths = append(paths, j.path)
		}
		byPath[j.path] = append(byPath[j.path], j.id)
	}
	results := make([]licensedetect.Result, len(paths))
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(paths)) {
		wg.Go(func() {
			for i := range next {
				// DetectReader reads at most the detector's limit
				rc, ok := openTargetFile(r, paths[i])
				if !ok {
					continue
				}
				res, err := d.DetectReader(ctx, rc, paths[i])
				rc.Close()
				if err == nil {
					results[i] = res
				}
			}
		})
	}
feed:
	for i := range paths {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i, p := range paths {
		res := results[i]
		if !res.Recognised() {
			continue
		}
		dl := sillage.DetectedLicense{SPDX: res.Expression, Coverage: math.Round(res.Coverage*10) / 10, Location: p}
		for _, id := range byPath[p] {
			if !slices.Contains(out[id], dl) {
				out[id] = append(out[id], dl)
			}
		}
	}
	return out, nil
}

// mergeDetected puts sillage's detections in place of syft's for the same
// files (sillage's detector knows more licences and gives the coverage),
// and keeps syft's for the other files.
func mergeDetected(syft, own []sillage.DetectedLicense) []sillage.DetectedLicense {
	if len(own) == 0 {
		return syft
	}
	read := map[string]bool{}
	for _, d := range own {
		read[d.Location] = true
	}
	out := slices.Clone(own)
	for _, d := range syft {
		if !read[d.Location] {
			out = append(out, d)
		}
	}
	return sortDetected(out)
}

// prebuildDetector starts building the detector's matcher in the
// background, so that the build overlaps with cataloguing, unless the
// licence cache is warm (licensedetect.Detector.BuildAhead).
func prebuildDetector(o Options) {
	if d, err := o.licenceDetector(); err == nil {
		d.BuildAhead()
	}
}

// licenceDetector is the detector a scan with o uses: the process's
// default one, reading and filling the scan's licence cache when it has
// one (see openLicenceCache).
func (o Options) licenceDetector() (*licensedetect.Detector, error) {
	d, err := licensedetect.Default()
	if err != nil || o.licenceCache == nil {
		return d, err
	}
	return d.WithCache(o.licenceCache), nil
}

// readsLicenceTexts reports whether a scan of t with o identifies licence
// texts, the only work the licence cache serves: host, directory and image
// scans, unless detection is off (a directory's source headers still count).
// SBOMs and workstation inventories carry their licences as declared, so
// their scans leave the cache file unread.
func (o Options) readsLicenceTexts(t sillage.Target) bool {
	switch t.Scheme {
	case sillage.SchemeHost, sillage.SchemeOCIArchive, sillage.SchemeDockerArchive, sillage.SchemeOCIDir:
		return o.LicenseDetection != DetectNone
	case sillage.SchemeDir:
		return o.LicenseDetection != DetectNone || o.LicenseHeaders
	}
	return false
}

// openLicenceCache returns o with the licence cache of o.LicenseCache
// opened, for one scan. A cache that cannot be opened is no cache.
func (o Options) openLicenceCache() Options {
	if o.LicenseCache == "" {
		return o
	}
	d, err := licensedetect.Default()
	if err == nil {
		o.licenceCache, err = d.OpenCache(o.LicenseCache)
	}
	if err != nil {
		o.logger().Debug("licence cache not used", "dir", o.LicenseCache, "err", err)
	} else if lerr := o.licenceCache.LoadError(); lerr != nil {
		o.logger().Debug("licence cache starts empty", "err", lerr)
	}
	return o
}

// saveLicenceCache writes what the scan added to its licence cache. A
// failure costs only time on the next scan: it is logged, not returned.
func (o Options) saveLicenceCache() {
	if o.licenceCache == nil {
		return
	}
	if err := o.licenceCache.Save(); err != nil {
		o.logger().Warn("licence cache not saved", "err", err)
	}
}

// dependencyDirs are the directories of a source tree that hold other
// projects' code, whose licence files belong to the components found
// there, not to the tree.
var dependencyDirs = map[string]bool{
	"node_modules": true, "bower_components": true, "jspm_packages": true,
	"vendor": true, "Godeps": true,
	"site-packages": true, "dist-packages": true, ".venv": true, "venv": true, ".tox": true, "__pypackages__": true,
	".bundle": true, ".cargo": true, ".gradle": true, ".m2": true,
}

// treeLicences finds the licence files of a source tree outside its
// dependency directories and excluded paths, and with o.LicenseHeaders
// the licence notices of its source files, and identifies them.
func treeLicences(ctx context.Context, o Options, root string, excluded func(rel string) bool) ([]sillage.DetectedLicense, error) {
	headers := o.LicenseHeaders
	d, err := o.licenceDetector()
	if err != nil {
		return nil, err
	}
	var out []sillage.DetectedLicense
	rel := func(p string) string {
		r, err := filepath.Rel(root, p)
		if err != nil {
			return "/" + filepath.ToSlash(p)
		}
		return "/" + filepath.ToSlash(r)
	}
	_, err = d.Walk(ctx, []string{root}, licensedetect.WalkOptions{
		Headers: headers,
		SkipDir: func(p, name string) bool { return dependencyDirs[name] || excluded(rel(p)) },
	}, func(r licensedetect.Result) {
		if !r.Recognised() || excluded(rel(r.Path)) {
			return
		}
		out = append(out, sillage.DetectedLicense{SPDX: r.Expression, Coverage: math.Round(r.Coverage*10) / 10, Location: rel(r.Path)})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
