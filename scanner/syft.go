package scanner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/anchore/stereoscope"
	"github.com/anchore/stereoscope/pkg/image"
	"github.com/anchore/syft/syft"
	"github.com/anchore/syft/syft/artifact"
	"github.com/anchore/syft/syft/cataloging"
	"github.com/anchore/syft/syft/cataloging/pkgcataloging"
	"github.com/anchore/syft/syft/event"
	"github.com/anchore/syft/syft/event/monitor"
	"github.com/anchore/syft/syft/event/parsers"
	"github.com/anchore/syft/syft/sbom"
	"github.com/anchore/syft/syft/source"
	"github.com/anchore/syft/syft/source/directorysource"
	"github.com/anchore/syft/syft/source/stereoscopesource"
	"github.com/bmatcuk/doublestar/v4"
	"github.com/wagoodman/go-partybus"
	"github.com/wagoodman/go-progress"

	// syft's RPM cataloger reads rpmdb.sqlite through database/sql and
	// needs a driver registered under the name "sqlite"
	_ "modernc.org/sqlite"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/scanner/internal/exclude"
	"github.com/sillage-oss/sillage/scanner/internal/hostscan"
)

// sbomConfig is the syft configuration shared by directory and image
// scans: packages only (no file digests or metadata), no package-to-file
// relationships, empty versions kept empty rather than "UNKNOWN".
func sbomConfig(defaultTag string) *syft.CreateSBOMConfig {
	cfg := syft.DefaultCreateSBOMConfig().
		WithTool("sillage", "").
		WithoutFiles().
		WithCatalogerSelection(cataloging.NewSelectionRequest().WithDefaults(defaultTag)).
		WithRelationshipsConfig(cataloging.DefaultRelationshipsConfig().WithPackageFileOwnership(false)).
		WithUnknownsConfig(cataloging.UnknownsConfig{RemoveWhenPackagesDefined: true}).
		WithComplianceConfig(cataloging.ComplianceConfig{
			MissingName:    cataloging.ComplianceActionDrop,
			MissingVersion: cataloging.ComplianceActionKeep,
		}).
		WithPackagesConfig(offlinePackagesConfig())
	return cfg
}

// offlinePackagesConfig keeps syft's catalogers from reaching the network
// or running tools found in the target: sillage scans offline and never
// executes what it scans. The Go cataloger would otherwise run `go list`
// (which may download modules); licences of Go modules are read from the
// tree's vendor directory and from the local module cache, where a build
// has put them.
func offlinePackagesConfig() pkgcataloging.Config {
	c := pkgcataloging.DefaultConfig()
	g := c.Golang.
		WithUsePackagesLib(false).
		WithSearchRemoteLicenses(false).
		WithSearchLocalVendorLicenses(true)
	if dir := goModCache(); dir != "" {
		g = g.WithSearchLocalModCacheLicenses(true).WithLocalModCacheDir(dir)
	} else {
		g = g.WithSearchLocalModCacheLicenses(false)
	}
	return c.WithGolangConfig(g)
}

// goModCache is the Go module cache the go command would use, from the
// environment only (sillage runs no tool): GOMODCACHE, else the first
// GOPATH entry's pkg/mod, else ~/go/pkg/mod; "" when none exists.
func goModCache() string {
	dir := os.Getenv("GOMODCACHE")
	if dir == "" {
		if gp := filepath.SplitList(os.Getenv("GOPATH")); len(gp) > 0 && gp[0] != "" {
			dir = filepath.Join(gp[0], "pkg", "mod")
		} else if home, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(home, "go", "pkg", "mod")
		}
	}
	if fi, err := os.Stat(dir); dir == "" || err != nil || !fi.IsDir() {
		return ""
	}
	return dir
}

func validateExcludes(globs []string) error {
	if g, bad := exclude.Invalid(globs); bad {
		return sillage.WithHint(sillage.InvalidInput(fmt.Errorf("--exclude %q is not a valid glob", g)),
			"use doublestar globs such as /home/** or **/*.jar")
	}
	return nil
}

func scanDir(ctx context.Context, t sillage.Target, o Options) (sillage.Inventory, error) {
	if err := validateExcludes(o.Exclude); err != nil {
		return sillage.Inventory{}, err
	}
	var excl []string
	for _, g := range normalizeGlobs(o.Exclude) {
		// syft wants exclusions relative to the scan root: "./x" or "**/x"
		if strings.HasPrefix(g, "/") {
			g = "." + g
		}
		excl = append(excl, g)
	}
	src, err := directorysource.New(directorysource.Config{
		Path:    t.Path,
		Base:    t.Path,
		Exclude: source.ExcludeConfig{Paths: excl},
	})
	if err != nil {
		return sillage.Inventory{}, targetError(fmt.Errorf("open directory %s: %w", t.Path, err), "check that the directory is readable")
	}
	defer src.Close()
	o.progress(sillage.Progress{Stage: "index"})
	s, ev, err := createSBOM(ctx, src, sbomConfig("directory"), o)
	if err != nil {
		return sillage.Inventory{}, targetError(fmt.Errorf("catalog %s: %w", t.Path, err), "check that every file under the directory is readable, or leave unreadable parts out with --exclude")
	}
	t.Distro = distro(s.Artifacts.LinuxDistribution)
	if o.LicenseDetection != DetectNone || o.LicenseHeaders {
		globs := normalizeGlobs(o.Exclude)
		excluded := func(rel string) bool {
			for _, g := range globs {
				if ok, _ := doublestar.Match(g, rel); ok {
					return true
				}
			}
			return false
		}
		t.Licenses, err = treeLicences(ctx, o, t.Path, excluded)
		if err != nil {
			if ctx.Err() != nil {
				return sillage.Inventory{}, ctx.Err()
			}
			return sillage.Inventory{}, targetError(fmt.Errorf("read licence files of %s: %w", t.Path, err), "check that the directory is readable")
		}
	}
	return sillage.Inventory{Target: t, Components: components(s, "", false, ev), Warnings: unknownWarnings(s)}, nil
}

func scanImage(ctx context.Context, t sillage.Target, o Options) (sillage.Inventory, error) {
	if err := validateExcludes(o.Exclude); err != nil {
		return sillage.Inventory{}, err
	}
	var kind image.Source
	switch t.Scheme {
	case sillage.SchemeOCIArchive:
		kind = image.OciTarballSource
	case sillage.SchemeDockerArchive:
		kind = image.DockerTarballSource
	case sillage.SchemeOCIDir:
		kind = image.OciDirectorySource
	}
	if t.Scheme != sillage.SchemeOCIDir {
		if err := checkTar(t.Path, t.Scheme); err != nil {
			return sillage.Inventory{}, err
		}
	} else if !isOCILayout(os.DirFS(t.Path)) {
		return sillage.Inventory{}, targetError(fmt.Errorf("%s is not an OCI image layout (no oci-layout and index.json)", t.Path),
			"point oci-dir: at the directory that holds oci-layout and index.json, or use dir: to scan it as a source tree")
	}
	o.progress(sillage.Progress{Stage: "read"})
	img, err := stereoscope.GetImageFromSource(ctx, t.Path, kind)
	if err != nil {
		return sillage.Inventory{}, targetError(fmt.Errorf("read %s image %s: %w", t.Scheme, t.Path, err),
			fmt.Sprintf("check that %s is a complete, uncorrupted %s (for example re-export it with skopeo copy or docker save)", t.Path, t.Scheme))
	}
	defer func() { _ = img.Cleanup() }()
	src := stereoscopesource.New(img, stereoscopesource.ImageConfig{
		Reference: t.Path,
		Exclude:   source.ExcludeConfig{Paths: normalizeGlobs(o.Exclude)},
	})
	defer src.Close()
	s, ev, err := createSBOM(ctx, src, sbomConfig("image"), o)
	if err != nil {
		return sillage.Inventory{}, targetError(fmt.Errorf("catalog image %s: %w", t.Path, err), "check that the image archive is complete")
	}
	t.Distro = distro(s.Artifacts.LinuxDistribution)
	if md, ok := s.Source.Metadata.(source.ImageMetadata); ok {
		t.Image = &sillage.Image{
			ID:             md.ID,
			ManifestDigest: md.ManifestDigest,
			Tags:           md.Tags,
			Architecture:   md.Architecture,
			OS:             md.OS,
			Layers:         len(md.Layers),
		}
	}
	return sillage.Inventory{Target: t, Components: components(s, "", false, ev), Warnings: unknownWarnings(s)}, nil
}

// checkTar reads every header of the archive at path so that a truncated
// or corrupt archive is reported as such, before stereoscope unpacks it.
func checkTar(path string, scheme sillage.Scheme) error {
	f, err := os.Open(path)
	if err != nil {
		return statError(path, err)
	}
	defer f.Close()
	const again = "the archive is truncated or corrupt; export the image again (skopeo copy, docker save)"
	names, err := tarEntryNames(f, -1)
	if err != nil {
		return targetError(fmt.Errorf("read archive %s: %w", path, err), again)
	}
	if names == nil {
		return targetError(fmt.Errorf("%s is not a tar archive", path),
			"oci-archive: and docker-archive: take an uncompressed tar; for an SBOM file use sbom:")
	}
	if err := checkTarEnd(f); err != nil {
		return targetError(fmt.Errorf("read archive %s: %w", path, err), again)
	}
	var missing []string
	for _, n := range requiredEntries[scheme] {
		if !names[n] {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return targetError(fmt.Errorf("%s is not a %s: it has no %s", path, scheme, strings.Join(missing, ", ")),
			"use oci-archive: for OCI archives (skopeo copy … oci-archive:) and docker-archive: for 'docker save' output")
	}
	return nil
}

// requiredEntries are the files an image archive must hold to be read.
var requiredEntries = map[sillage.Scheme][]string{
	sillage.SchemeOCIArchive:    {"oci-layout", "index.json"},
	sillage.SchemeDockerArchive: {"manifest.json"},
}

// createSBOM catalogs src with syft, then inspects the files syft's
// packages point at while the source is still open.
func createSBOM(ctx context.Context, src source.Source, cfg *syft.CreateSBOMConfig, o Options) (*sbom.SBOM, map[artifact.ID]evidence, error) {
	stop := watchSyftProgress(o)
	defer stop()
	// syft builds a licence matcher (about a second of CPU) on every
	// CreateSBOM call unless the context carries one: share the process's
	lctx, err := hostscan.WithLicenceScanner(ctx)
	if err != nil {
		return nil, nil, err
	}
	s, err := syft.CreateSBOM(lctx, src, cfg)
	if err != nil {
		return nil, nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	r, err := src.FileResolver(source.SquashedScope)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", src.Describe().Name, err)
	}
	ev, err := inspect(ctx, s, r, o)
	if err != nil {
		return nil, nil, err
	}
	return s, ev, nil
}

// syft publishes its progress on a process-wide bus. sillage installs one
// bus once and forwards what it learns to the callbacks of running scans.
var (
	busOnce      sync.Once
	busMu        sync.Mutex
	busListeners = map[int]func(sillage.Progress){}
	busNext      int
	busTasks     []busTask
)

type busTask struct {
	files bool // a file indexing task; otherwise the package count
	prog  progress.StagedProgressable
}

var leadingNumber = regexp.MustCompile(`^[0-9][0-9,]*`)

func watchSyftProgress(o Options) (stop func()) {
	if o.Progress == nil {
		return func() {}
	}
	busOnce.Do(startBus)
	busMu.Lock()
	id := busNext
	busNext++
	busListeners[id] = o.Progress
	busMu.Unlock()

	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(150 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				busMu.Lock()
				tasks := busTasks
				busMu.Unlock()
				var p sillage.Progress
				for _, t := range tasks {
					if t.files {
						p.Stage = "index"
						p.Files = int(t.prog.Current())
						continue
					}
					p.Stage = "catalog"
					if n := leadingNumber.FindString(t.prog.Stage()); n != "" {
						p.Packages, _ = strconv.Atoi(strings.ReplaceAll(n, ",", ""))
					}
				}
				if p.Stage != "" {
					o.Progress(p)
				}
			}
		}
	}()
	return func() {
		close(done)
		busMu.Lock()
		delete(busListeners, id)
		if len(busListeners) == 0 {
			busTasks = nil
		}
		busMu.Unlock()
	}
}

func startBus() {
	b := partybus.NewBus()
	sub := b.Subscribe(event.FileIndexingStarted, event.CatalogerTaskStarted)
	syft.SetBus(b)
	go func() {
		for e := range sub.Events() {
			var t busTask
			switch e.Type {
			case event.FileIndexingStarted:
				_, prog, err := parsers.ParseFileIndexingStarted(e)
				if err != nil {
					continue
				}
				t = busTask{files: true, prog: prog}
			case event.CatalogerTaskStarted:
				prog, info, err := parsers.ParseCatalogerTaskStarted(e)
				if err != nil || info.ID != monitor.PackageCatalogingTaskID {
					continue
				}
				t = busTask{prog: prog}
			default:
				continue
			}
			busMu.Lock()
			if len(busListeners) > 0 {
				busTasks = append(busTasks, t)
			}
			busMu.Unlock()
		}
	}()
}
