// Package hostscan inventories the installed software of a root filesystem (the live host "/", a mounted
// disk image or an unpacked rootfs) with syft's installed-software catalogers, several times faster than
// syft's own directory scan.
//
// It exists because syft's directory source is built for source trees, not hosts: before any cataloger runs
// it lstats every entry into a stereoscope file tree and opens every regular file to sniff its MIME type,
// and its indexed glob search scans every basename for each of dpkg's thousand per-package globs. On a host,
// with tens or hundreds of thousands of files, that index is most of the scan. Here one parallel ReadDir
// walk records only names and entry types (symlinks are read, nothing else is opened), symlinks are
// resolved in memory inside the root, globs are answered from basename and extension indexes, and files
// are read, stat'ed or sniffed only when a cataloger asks. Binary catalogers whose findings syft would
// discard as owned by an OS package do not look at owned files at all (see catalogerPlan).
//
// The result is syft's own SBOM (the same catalogers, package IDs, licences, CPEs, PURLs and distro), so
// syft types stay inside scanner/. hostscan never writes to the scanned tree: it only lists directories,
// reads symlinks and reads files (without updating access times, where Linux allows it).
package hostscan

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	_ "modernc.org/sqlite" // the SQL driver syft's RPM cataloger needs for rpmdb.sqlite

	"github.com/anchore/syft/syft"
	"github.com/anchore/syft/syft/cataloging"
	"github.com/anchore/syft/syft/file"
	"github.com/anchore/syft/syft/sbom"
)

// Options configures Scan. The zero value scans nothing: Root is required.
type Options struct {
	// Root is the root of the filesystem to inventory, "/" for the live host. It must be an existing
	// directory; symlinks in it are resolved.
	Root string
	// Exclude holds extra doublestar globs matched against in-root absolute slash paths, such as
	// "/home/**" or "**/*.jar". A glob that starts with neither "/" nor "**" matches at any depth, and a
	// matching directory is not read at all.
	Exclude []string
	// NoDefaultExcludes keeps the volatile, virtual and cache directories of DefaultExcludes in the walk.
	// Virtual mounts (proc, sysfs, devtmpfs, tmpfs on /run, /dev, /sys) are skipped regardless.
	NoDefaultExcludes bool
	// Parallelism is how many directories are read and files sniffed at once, and a quarter of how many
	// syft catalogers run at once (they mostly wait on reads); 0 means runtime.GOMAXPROCS(0) for the
	// first and syft's own default (four per CPU) for the second.
	Parallelism int
	// Inspect, if not nil, is called once the packages are catalogued, with the SBOM and a resolver over
	// the walked tree, so that the caller can read the files the packages point at (licence files,
	// copyright files) with the same in-root symlink resolution, before the tree is released. An error
	// it returns ends the scan.
	Inspect func(ctx context.Context, s *sbom.SBOM, r file.Resolver) error
	// Progress, if not nil, is told how the scan advances. It may be called from several goroutines, so it
	// must be safe for concurrent use, and cheap.
	Progress func(Progress)
}

// Progress is a snapshot of a running scan.
type Progress struct {
	Stage    string // "walk", "catalog" or "done"
	Files    int    // entries (files, directories, symlinks) indexed so far
	Packages int    // packages found so far; 0 until known (cataloging reports only at "done")
}

// Scan inventories the installed software under o.Root and returns syft's SBOM.
// Paths in the SBOM are absolute paths inside the root ("/var/lib/dpkg/status"), whatever o.Root is,
// so a mounted disk image and the live host give the same locations.
//
// A missing root gives an error wrapping fs.ErrNotExist, a root that is not a directory one wrapping
// fs.ErrInvalid. When ctx is cancelled, Scan returns ctx.Err().
func Scan(ctx context.Context, o Options) (*sbom.SBOM, error) {
	root, err := checkRoot(o.Root)
	if err != nil {
		return nil, err
	}
	// compiling the licence matcher is the longest single step: overlap it with the walk
	StartLicenceScanner()

	parallelism := o.Parallelism
	if parallelism <= 0 {
		parallelism = runtime.GOMAXPROCS(0)
	}
	// syft runs package catalogers through a bounded executor in the order it selected them, with the
	// wrapped OS catalogers last: a small bound would leave dpkg waiting behind every other cataloger
	catalogers := 4 * o.Parallelism

	// stop the background sniffing below when Scan returns early
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	globs := o.Exclude
	if !o.NoDefaultExcludes {
		globs = append(append([]string{}, DefaultExcludes...), o.Exclude...)
	}
	ex, err := newExcluder(globs)
	if err != nil {
		return nil, err
	}
	report := func(p Progress) {
		if o.Progress != nil {
			o.Progress(p)
		}
	}

	t, err := walkTree(ctx, walkConfig{
		root:        root,
		exclude:     ex,
		skipDirs:    virtualMounts(ctx, root),
		parallelism: parallelism,
		progress:    func(n int) { report(Progress{Stage: "walk", Files: n}) },
	})
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, fmt.Errorf("walk %s: %w", o.Root, err)
	}
	t.mime = newMIMECache(t, parallelism)
	// every binary cataloger asks for executables: find them while the licence scanner is still building
	go func() { _ = t.mime.ensure(ctx, []string{"application/x-executable"}) }()

	report(Progress{Stage: "catalog", Files: len(t.nodes)})
	s, err := catalog(ctx, o.Root, t, catalogers)
	if err != nil {
		return nil, err
	}
	if o.Inspect != nil {
		if err := o.Inspect(ctx, s, &resolver{t: t, ctx: ctx}); err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return nil, ctxErr
			}
			return nil, err
		}
	}
	report(Progress{Stage: "done", Files: len(t.nodes), Packages: s.Artifacts.Packages.PackageCount()})
	return s, nil
}

// checkRoot returns the root as a clean absolute native path with symlinks evaluated.
func checkRoot(root string) (string, error) {
	if root == "" {
		return "", fmt.Errorf("host root: empty path: %w", fs.ErrNotExist)
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return "", fmt.Errorf("host root %s: %w", root, err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", fmt.Errorf("host root %s: %w", root, err)
	}
	fi, err := os.Stat(real)
	if err != nil {
		return "", fmt.Errorf("host root %s: %w", root, err)
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("host root %s is not a directory: %w", root, fs.ErrInvalid)
	}
	return real, nil
}

// catalog runs syft's installed-software catalogers over the walked tree, parallelism at a time (0: syft's
// default).
func catalog(ctx context.Context, name string, t *tree, parallelism int) (*sbom.SBOM, error) {
	scanCtx, err := WithLicenceScanner(ctx)
	if err != nil {
		return nil, err
	}
	plan := defaultPlan()
	own := newOwnership(t, len(plan.owners))
	src := newHostSource(name, &resolver{t: t, ctx: ctx})

	cfg := syft.DefaultCreateSBOMConfig().
		WithoutFiles().
		// package-to-file "contains" edges (one per owned file) cost time and say nothing an inventory needs;
		// the package-to-package overlap edges and syft's binary de-duplication stay
		WithRelationshipsConfig(cataloging.DefaultRelationshipsConfig().WithPackageFileOwnership(false)).
		WithCatalogerSelection(cataloging.NewSelectionRequest().
			WithDefaults("image").
			WithRemovals(plan.replaced...)).
		WithCatalogers(plan.references(own)...).
		WithUnknownsConfig(cataloging.DefaultUnknownsConfig()).
		WithParallelism(parallelism)

	s, err := syft.CreateSBOM(scanCtx, src, cfg)
	if ctxErr := ctx.Err(); ctxErr != nil {
		return nil, ctxErr
	}
	if err != nil {
		return nil, fmt.Errorf("catalog %s: %w", name, err)
	}
	if s == nil {
		return nil, errors.New("catalog: syft returned no SBOM")
	}
	return s, nil
}
