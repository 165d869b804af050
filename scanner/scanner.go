// Package scanner turns a scan target into an inventory of components.
//
// It is the only package that knows syft: syft's packages, sources and SBOM
// types are converted to sillage.Component here and never leave the
// package. It reads the target and never writes to it, prints nothing and
// reports progress only through the callback it is given.
package scanner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/scanner/internal/exclude"
	"github.com/sillage-oss/sillage/scanner/licensedetect"
)

// Options configures a scan. The zero value is ready to use.
type Options struct {
	// Exclude lists globs of paths to leave out, matched against slash
	// paths inside the target ("/home/**", "**/*.jar"). A glob that starts
	// with neither "/" nor "**" matches at any depth. Ignored for SBOMs.
	Exclude []string
	// NoDefaultExcludes keeps, for host targets, the virtual, volatile and
	// cache directories that are skipped by default (DefaultHostExcludes).
	NoDefaultExcludes bool
	// Progress, when not nil, is called as the scan advances, possibly
	// from several goroutines.
	Progress func(sillage.Progress)
	// LicenseDetection says which packages' licence files are read and
	// identified; "" is DetectAuto.
	LicenseDetection LicenseDetection
	// LicenseHeaders also reads the first lines of the source files of a
	// dir: target for licence notices (Inventory.Target.Licenses).
	LicenseHeaders bool
	// LicenseCache is the directory of the licence-match cache
	// (licensedetect.Cache): licence texts matched by an earlier scan are
	// not matched again, and a scan whose texts are all known never builds
	// the matcher. Empty: no cache.
	LicenseCache string
	// licenceCache is LicenseCache opened, during one scan.
	licenceCache *licensedetect.Cache
	// Logger receives debug information. Nil discards it.
	Logger *slog.Logger
}

func (o Options) progress(p sillage.Progress) {
	if o.Progress != nil {
		o.Progress(p)
	}
}

func (o Options) logger() *slog.Logger {
	if o.Logger != nil {
		return o.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// ErrTarget marks errors caused by the target itself: missing, unreadable,
// corrupt or of the wrong kind. The CLI exits with code 3 for them.
var ErrTarget = errors.New("scan failed")

func targetError(err error, hint string) error {
	return sillage.WithHint(fmt.Errorf("%w: %w", ErrTarget, err), hint)
}

// Scan inventories the target named by arg: "dir:PATH", "host:PATH",
// "oci-archive:FILE", "docker-archive:FILE", "oci-dir:DIR", "sbom:FILE",
// "winreg:FILE", "winget:FILE", "glpi:FILE", "ocs:FILE", or a bare path
// whose kind is recognised from the file system: a directory is a source
// tree (or an OCI layout), a file is an image archive when it is a tar
// holding one, a workstation inventory when its content is one (registry
// export, winget export, GLPI or OCS inventory), else an SBOM. A glpi: or
// ocs: directory holds one machine per file: read it with ScanAll.
func Scan(ctx context.Context, arg string, o Options) (sillage.Inventory, error) {
	t, err := ResolveTarget(arg)
	if err != nil {
		return sillage.Inventory{}, err
	}
	if err := ctx.Err(); err != nil {
		return sillage.Inventory{}, err
	}
	if o.readsLicenceTexts(t) {
		o = o.openLicenceCache()
		defer o.saveLicenceCache()
	}
	var inv sillage.Inventory
	switch t.Scheme {
	case sillage.SchemeHost:
		inv, err = scanHost(ctx, t, o)
	case sillage.SchemeDir:
		inv, err = scanDir(ctx, t, o)
	case sillage.SchemeOCIArchive, sillage.SchemeDockerArchive, sillage.SchemeOCIDir:
		inv, err = scanImage(ctx, t, o)
	case sillage.SchemeSBOM:
		inv, err = readSBOM(ctx, t, o)
	case sillage.SchemeWinReg:
		inv, err = scanWinReg(ctx, t, o)
	case sillage.SchemeWinget:
		inv, err = scanWinget(ctx, t, o)
	case sillage.SchemeGLPI, sillage.SchemeOCS:
		if fi, statErr := os.Stat(t.Path); statErr == nil && fi.IsDir() {
			return sillage.Inventory{}, sillage.WithHint(sillage.InvalidInput(fmt.Errorf("%s is a directory of inventories, one machine each", t.Path)),
				"scan it with ScanAll (the sillage CLI does), or name one file")
		}
		inv, err = scanAgentInventory(ctx, t, o)
	default:
		return sillage.Inventory{}, fmt.Errorf("scheme %q has no scanner", t.Scheme)
	}
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return sillage.Inventory{}, ctxErr
		}
		return sillage.Inventory{}, err
	}
	o.progress(sillage.Progress{Stage: "done", Packages: len(inv.Components)})
	return inv, nil
}

// ResolveTarget parses arg, makes its path absolute and checks that it
// exists and is of the right kind for its scheme. A bare path gets its
// scheme from what it is.
func ResolveTarget(arg string) (sillage.Target, error) {
	scheme, path := sillage.ParseTarget(arg)
	if scheme == sillage.SchemeHost && path == "" {
		path = "/"
	}
	if path == "" {
		return sillage.Target{}, sillage.WithHint(
			sillage.InvalidInput(fmt.Errorf("target %q has no path", arg)),
			fmt.Sprintf("write the path after the colon, e.g. %s:./project", scheme))
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return sillage.Target{}, targetError(fmt.Errorf("resolve %s: %w", path, err), "check the path")
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return sillage.Target{}, statError(arg, err)
	}
	t := sillage.Target{Scheme: scheme, Path: abs}
	if scheme == "" {
		t.Scheme, err = sniffScheme(abs, fi)
		if err != nil {
			return sillage.Target{}, err
		}
	}
	if t.Scheme == sillage.SchemeGLPI || t.Scheme == sillage.SchemeOCS {
		return t, nil // a file, or a directory of them
	}
	wantDir := t.Scheme == sillage.SchemeDir || t.Scheme == sillage.SchemeHost || t.Scheme == sillage.SchemeOCIDir
	if wantDir && !fi.IsDir() {
		return sillage.Target{}, targetError(fmt.Errorf("%s is not a directory", abs),
			fmt.Sprintf("a %s target must be a directory; for an SBOM file use sbom:%s, for an image archive oci-archive: or docker-archive:", t.Scheme, path))
	}
	if !wantDir && fi.IsDir() {
		return sillage.Target{}, targetError(fmt.Errorf("%s is a directory", abs),
			fmt.Sprintf("a %s target must be a file; for a directory use dir:%s or oci-dir:%s", t.Scheme, path, path))
	}
	return t, nil
}

func statError(arg string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return targetError(fmt.Errorf("target %s does not exist", arg),
			"check the path; targets are dir:PATH, host:PATH, oci-archive:FILE, docker-archive:FILE, oci-dir:DIR, sbom:FILE, winreg:FILE, winget:FILE, glpi:FILE|DIR or ocs:FILE|DIR")
	case errors.Is(err, fs.ErrPermission):
		return targetError(fmt.Errorf("target %s: permission denied", arg),
			"run sillage as a user that can read the target (host scans of / usually need root)")
	default:
		return targetError(fmt.Errorf("target %s: %w", arg, err), "check the path")
	}
}

// sniffScheme decides what a bare path is: a directory is a source tree
// unless it holds an OCI image layout; a file is an image archive when it
// is a tar with an image manifest, a workstation inventory when its first
// bytes are one (sniffWorkstation), otherwise an SBOM.
func sniffScheme(path string, fi fs.FileInfo) (sillage.Scheme, error) {
	if fi.IsDir() {
		if isOCILayout(os.DirFS(path)) {
			return sillage.SchemeOCIDir, nil
		}
		return sillage.SchemeDir, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", statError(path, err)
	}
	defer f.Close()
	kind, err := sniffArchive(f)
	if err != nil {
		return "", targetError(fmt.Errorf("read %s: %w", path, err), "check that the file is readable")
	}
	if kind != "" {
		return kind, nil
	}
	if kind := sniffWorkstation(path); kind != "" {
		return kind, nil
	}
	return sillage.SchemeSBOM, nil
}

func isOCILayout(fsys fs.FS) bool {
	for _, name := range []string{"oci-layout", "index.json"} {
		if fi, err := fs.Stat(fsys, name); err != nil || !fi.Mode().IsRegular() {
			return false
		}
	}
	return true
}

// sniffArchive reports whether r is a tar archive of a container image:
// SchemeOCIArchive when it has an oci-layout entry, SchemeDockerArchive
// when it has a manifest.json entry and no oci-layout, "" when it is not a
// tar or holds neither. It reads the tar headers only.
func sniffArchive(r io.ReadSeeker) (sillage.Scheme, error) {
	names, err := tarEntryNames(r, 10000)
	if err != nil || names == nil {
		return "", err
	}
	switch {
	case names["oci-layout"]:
		return sillage.SchemeOCIArchive, nil
	case names["manifest.json"]:
		return sillage.SchemeDockerArchive, nil
	}
	return "", nil
}

// normalizeGlobs turns user exclusions into rooted doublestar patterns
// (see package exclude).
func normalizeGlobs(gs []string) []string { return exclude.NormalizeAll(gs) }
