package hostscan

import (
	"context"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"testing"

	"github.com/anchore/syft/syft"
	"github.com/anchore/syft/syft/artifact"
	"github.com/anchore/syft/syft/cataloging"
	"github.com/anchore/syft/syft/file"
	"github.com/anchore/syft/syft/source"
)

// linkRoot is richRoot plus the symlink shapes that trip resolvers: a directory link to its own parent
// (X11 -> .), a two-link cycle, a self link, a chain, a dangling link, a link to a directory elsewhere, and
// absolute links, all inside the root.
func linkRoot(t *testing.T) string {
	root := richRoot(t)
	makeRoot(t, root, []entry{
		{path: "usr/bin/X11", link: "."},
		{path: "usr/lib/loop-a", link: "loop-b"},
		{path: "usr/lib/loop-b", link: "loop-a"},
		{path: "usr/lib/self", link: "self"},
		{path: "usr/lib/jvm/java-17-openjdk-amd64/release", content: "JAVA_VERSION=\"17.0.9\"\nIMPLEMENTOR=\"Debian\"\n"},
		{path: "usr/lib/jvm/default-java", link: "java-17-openjdk-amd64"},
		{path: "usr/lib/jvm/chain", link: "default-java"},
		{path: "usr/share/java/commons.jar", link: "commons-cli.jar"},
		{path: "usr/share/java/dangling.jar", link: "missing-1.0.jar"},
		{path: "opt/app/lib", link: "/srv/shared/lib"},
		{path: "srv/shared/lib/app.jar", content: "not really a jar"},
		{path: "srv/shared/lib/package.json", content: `{"name":"shared","version":"2.0.0"}`},
		{path: "var/lib/dpkg/status.d/tzdata", content: "Package: tzdata\nVersion: 2024a-0+deb12u1\n"},
		{path: "lib/apk/db/installed", content: "P:musl\nV:1.2.4-r2\n"},
		{path: "usr/lib/python3/dist-packages/foo.egg-info/PKG-INFO", content: "Metadata-Version: 2.1\nName: foo\nVersion: 1.0\n"},
		{path: "usr/local/lib/python3.11/site-packages/bar-2.0.dist-info/METADATA", content: "Metadata-Version: 2.1\nName: bar\nVersion: 2.0\n"},
	})
	return root
}

// walkedResolver walks root with no excludes and returns this package's resolver over it.
func walkedResolver(t *testing.T, root string) *resolver {
	t.Helper()
	real, err := checkRoot(root)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := walkTree(t.Context(), walkConfig{root: real, parallelism: 2})
	if err != nil {
		t.Fatal(err)
	}
	tr.mime = newMIMECache(tr, 2)
	return &resolver{t: tr, ctx: t.Context()}
}

// locationLines renders locations as "real<-access", in the order given.
func locationLines(locs []file.Location) []string {
	out := []string{}
	for _, l := range locs {
		out = append(out, l.RealPath+"<-"+l.AccessPath)
	}
	return out
}

// catalogerGlobs are globs syft's installed-software catalogers use, in the shapes the resolver must get right.
var catalogerGlobs = []string{
	"**/var/lib/dpkg/status",
	"**/var/lib/dpkg/status.d/*",
	"**/var/lib/dpkg/{status,status.d/**}",
	"**/lib/apk/db/installed",
	"**/var/lib/dpkg/info/bash.*",
	"**/*.jar",
	"**/*.{jar,war,ear,par,sar,nar,jpi,hpi,kar,lpkg}",
	"**/package.json",
	"**/*.dist-info/METADATA",
	"**/{*.egg-info,*.dist-info}/{PKG-INFO,METADATA}",
	"**/*egg-info/PKG-INFO",
	"/usr/share/doc/*/copyright",
	"**/usr/share/doc/*/copyright",
	"/usr/share/doc/**/copyright",
	"**/usr/lib/jvm/*/release",
	"**/release",
	"**/busybox",
	"**/bin/busybox",
	"**/{var/lib,usr/share,usr/lib/sysimage}/rpm/{Packages,Packages.db,rpmdb.sqlite}",
	"**/python*",
	"**/libpython*.so*",
	"**/php*/**/*.so",
	"/lib/apk/db/installed",
	"/bin/*",
	"/opt/app/lib/*.jar",
	"/opt/**/*.jar",
	"**/etc/os-release",
	"**/*-release",
	"**/X11/**/tool",
	"**/*",
}

// recordingResolver records every path and glob syft's catalogers ask for.
type recordingResolver struct {
	file.Resolver
	mu    sync.Mutex
	globs []string
	paths []string
}

func (r *recordingResolver) FilesByGlob(patterns ...string) ([]file.Location, error) {
	r.mu.Lock()
	r.globs = append(r.globs, patterns...)
	r.mu.Unlock()
	return r.Resolver.FilesByGlob(patterns...)
}

func (r *recordingResolver) FilesByPath(paths ...string) ([]file.Location, error) {
	r.mu.Lock()
	r.paths = append(r.paths, paths...)
	r.mu.Unlock()
	return r.Resolver.FilesByPath(paths...)
}

func (r *recordingResolver) RelativeFileByPath(l file.Location, p string) *file.Location {
	r.mu.Lock()
	r.paths = append(r.paths, p)
	r.mu.Unlock()
	return r.Resolver.RelativeFileByPath(l, p)
}

type resolverSource struct{ r file.Resolver }

func (s resolverSource) ID() artifact.ID                                  { return "recording" }
func (s resolverSource) FileResolver(source.Scope) (file.Resolver, error) { return s.r, nil }
func (s resolverSource) Close() error                                     { return nil }
func (s resolverSource) Describe() source.Description {
	return source.Description{ID: "recording", Metadata: source.DirectoryMetadata{Path: "/", Base: "/"}}
}

// recordQueries runs syft's installed-software catalogers over r and returns the globs and paths they asked for.
func recordQueries(t *testing.T, r file.Resolver) (globs, paths []string) {
	t.Helper()
	rec := &recordingResolver{Resolver: r}
	ctx, err := WithLicenceScanner(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cfg := syft.DefaultCreateSBOMConfig().WithoutFiles().
		WithCatalogerSelection(cataloging.NewSelectionRequest().WithDefaults("image"))
	if _, err := syft.CreateSBOM(ctx, resolverSource{r: rec}, cfg); err != nil {
		t.Fatal(err)
	}
	slices.Sort(rec.globs)
	slices.Sort(rec.paths)
	return slices.Compact(rec.globs), slices.Compact(rec.paths)
}

func TestResolverMatchesSyftDirectoryResolver(t *testing.T) {
	root := linkRoot(t)
	stock := stockResolver(t, root)
	ours := walkedResolver(t, root)

	recordedGlobs, recordedPaths := recordQueries(t, ours)
	if len(recordedGlobs) < 20 {
		t.Fatalf("recorded only %d cataloger globs", len(recordedGlobs))
	}
	globs := append(slices.Clone(catalogerGlobs), recordedGlobs...)

	t.Run("FilesByGlob", func(t *testing.T) {
		for _, g := range globs {
			want, err := stock.FilesByGlob(g)
			if err != nil {
				t.Fatalf("syft FilesByGlob(%q): %v", g, err)
			}
			got, err := ours.FilesByGlob(g)
			if err != nil {
				t.Fatalf("FilesByGlob(%q): %v", g, err)
			}
			if w, g2 := locationLines(want), locationLines(got); !slices.Equal(w, g2) {
				t.Errorf("FilesByGlob(%q):\nsyft     %v\nhostscan %v", g, w, g2)
			}
		}
	})

	paths := append([]string{
		"/var/lib/dpkg/status",
		"/bin/bash", // through the usrmerge link, missing in the fixture
		"/lib/apk/db/installed",
		"/usr/share/java/commons.jar",
		"/usr/share/java/dangling.jar",
		"/usr/lib/loop-a",
		"/usr/lib/self",
		"/usr/lib/jvm/chain/release",
		"/usr/bin/X11/X11/X11/busybox",
		"/etc/alternatives/java",
		"/opt/app/lib/app.jar",
		"/usr/share/doc/bash-doc/copyright",
		"/usr/share/doc/libc6-dev/copyright",
		"/usr/share/doc", // a directory: no location
		"/usr/share/doc/../doc/bash/copyright",
		"/nope",
	}, recordedPaths...)
	t.Run("FilesByPath", func(t *testing.T) {
		for _, p := range paths {
			want, _ := stock.FilesByPath(p)
			got, _ := ours.FilesByPath(p)
			if w, g := locationLines(want), locationLines(got); !slices.Equal(w, g) {
				t.Errorf("FilesByPath(%q): syft %v, hostscan %v", p, w, g)
			}
		}
	})
	t.Run("RelativeFileByPath", func(t *testing.T) {
		from := file.NewLocation("/var/lib/dpkg/status")
		for _, p := range paths {
			want, got := stock.RelativeFileByPath(from, p), ours.RelativeFileByPath(from, p)
			if (want == nil) != (got == nil) || (want != nil && locationLines([]file.Location{*want})[0] != locationLines([]file.Location{*got})[0]) {
				t.Errorf("RelativeFileByPath(%q): syft %v, hostscan %v", p, want, got)
			}
		}
	})
	t.Run("HasPath", func(t *testing.T) {
		for _, p := range append(paths, "/usr", "/usr/lib/jvm/default-java", "/srv/shared/lib") {
			if want, got := stock.HasPath(p), ours.HasPath(p); want != got {
				t.Errorf("HasPath(%q): syft %v, hostscan %v", p, want, got)
			}
		}
	})
	t.Run("FilesByMIMEType", func(t *testing.T) {
		for _, types := range [][]string{
			{"application/x-executable", "application/x-sharedlib", "application/x-mach-binary", "application/x-elf", "application/vnd.microsoft.portable-executable"},
			{"text/plain"},
			{"application/zip", "application/java-archive"},
		} {
			want, err := stock.FilesByMIMEType(types...)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ours.FilesByMIMEType(types...)
			if err != nil {
				t.Fatal(err)
			}
			if w, g := locationLines(want), locationLines(got); !slices.Equal(w, g) {
				t.Errorf("FilesByMIMEType(%v):\nsyft     %v\nhostscan %v", types, w, g)
			}
		}
	})
	t.Run("FileContentsByLocation", func(t *testing.T) {
		locs, err := ours.FilesByPath("/usr/lib/jvm/chain/release")
		if err != nil || len(locs) != 1 {
			t.Fatalf("FilesByPath: %v %v", locs, err)
		}
		rc, err := ours.FileContentsByLocation(locs[0])
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil || string(b) != "JAVA_VERSION=\"17.0.9\"\nIMPLEMENTOR=\"Debian\"\n" {
			t.Errorf("contents %q, %v", b, err)
		}
	})
	t.Run("FileMetadataByLocation", func(t *testing.T) {
		stockLocs, err := stock.FilesByPath("/usr/share/java/commons-cli.jar")
		if err != nil || len(stockLocs) != 1 {
			t.Fatalf("syft FilesByPath: %v %v", stockLocs, err)
		}
		want, err := stock.FileMetadataByLocation(stockLocs[0])
		if err != nil {
			t.Fatal(err)
		}
		got, err := ours.FileMetadataByLocation(file.NewLocation("/usr/share/java/commons-cli.jar"))
		if err != nil {
			t.Fatal(err)
		}
		if want.MIMEType != got.MIMEType || want.Type != got.Type || want.Size() != got.Size() || want.Mode() != got.Mode() {
			t.Errorf("metadata: syft %s %v %d %v, hostscan %s %v %d %v", want.MIMEType, want.Type, want.Size(), want.Mode(), got.MIMEType, got.Type, got.Size(), got.Mode())
		}
	})
}

func TestResolverChrootSymlinks(t *testing.T) {
	outside := t.TempDir()
	makeRoot(t, outside, []entry{{path: "etc/y", content: "outside the root"}})
	root := filepath.Join(t.TempDir(), "mnt", "img")
	makeRoot(t, root, []entry{
		{path: "etc/y", content: "inside the root"},
		{path: "usr/lib/x", link: "/etc/y"},                            // absolute: taken from the root
		{path: "usr/lib/up", link: "../../../../../../../../../etc/y"}, // climbs above the root: stops at it
		{path: "usr/lib/abs-outside", link: filepath.Join(outside, "etc/y")},
		{path: "usr/lib/dir", link: "/etc"},
		{path: "a", link: "b"},
		{path: "b", link: "a"},
		{path: "d/loop", link: "../d"},
	})
	r := walkedResolver(t, root)
	tests := []struct {
		path     string
		wantReal string // "" when nothing may resolve
	}{
		{"/usr/lib/x", "/etc/y"},
		{"/usr/lib/up", "/etc/y"},
		{"/usr/lib/dir/y", "/etc/y"},
		{"/usr/lib/abs-outside", ""}, // the target path does not exist inside the root
		{"/a", ""},
		{"/d/loop/loop/loop/loop", ""}, // a directory
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			locs, err := r.FilesByPath(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			var got string
			if len(locs) > 0 {
				got = locs[0].RealPath
			}
			if got != tt.wantReal {
				t.Fatalf("FilesByPath(%q) real path %q, want %q", tt.path, got, tt.wantReal)
			}
			if got == "" {
				return
			}
			rc, err := r.FileContentsByLocation(locs[0])
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil || string(b) != "inside the root" {
				t.Errorf("read %q through %s: %q, %v", tt.wantReal, tt.path, b, err)
			}
		})
	}
	// globs over loops end, and every hit is a regular file inside the root
	for _, g := range []string{"**/*", "**/y", "/d/**/loop/*", "/a/**"} {
		locs, err := r.FilesByGlob(g)
		if err != nil {
			t.Fatalf("FilesByGlob(%q): %v", g, err)
		}
		for _, l := range locs {
			if l.RealPath != "/etc/y" {
				t.Errorf("FilesByGlob(%q) returned %s", g, l.RealPath)
			}
		}
	}
}

func TestExcluder(t *testing.T) {
	tests := []struct {
		glob string
		yes  []string
		no   []string
	}{
		{"/proc", []string{"/proc"}, []string{"/procx", "/usr/proc", "/"}},
		{"/home/**", []string{"/home"}, []string{"/homework"}},
		{"**/*.jar", []string{"/a.jar", "/opt/x/b.jar"}, []string{"/opt/x/b.jar.sig"}},
		{"*.jar", []string{"/a.jar", "/opt/x/b.jar"}, []string{"/opt/jar"}},
		{"node_modules", []string{"/node_modules", "/srv/app/node_modules"}, []string{"/srv/app/node_modules2"}},
		{"**/.cache/pip", []string{"/root/.cache/pip"}, []string{"/root/.cache/pipx"}},
		{"/var/lib/*/cache", []string{"/var/lib/snapd/cache"}, []string{"/var/lib/cache"}},
		{"/opt/{a,b}", []string{"/opt/a", "/opt/b"}, []string{"/opt/c"}},
		{"./srv/", []string{"/srv"}, []string{"/x/srv"}},
	}
	for _, tt := range tests {
		t.Run(tt.glob, func(t *testing.T) {
			e, err := newExcluder([]string{tt.glob})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range tt.yes {
				if !e.excluded(p) {
					t.Errorf("%q should exclude %s", tt.glob, p)
				}
			}
			for _, p := range tt.no {
				if e.excluded(p) {
					t.Errorf("%q should not exclude %s", tt.glob, p)
				}
			}
		})
	}
	if _, err := newExcluder([]string{"/bad/[glob"}); err == nil {
		t.Error("an invalid glob should be rejected")
	}
}

func TestExpandBraces(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"a/b", []string{"a/b"}},
		{"**/{a,b}/c", []string{"**/a/c", "**/b/c"}},
		{"{x,y}{1,2}", []string{"x1", "x2", "y1", "y2"}},
		{"**/{a,{b,c}/d}", []string{"**/a", "**/b/d", "**/c/d"}},
		{"**/[{]x", []string{"**/[{]x"}},
	}
	for _, tt := range tests {
		got := expandBraces(tt.in)
		sort.Strings(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("expandBraces(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// Example of what DefaultExcludes holds, to keep the README honest.
func TestDefaultExcludesAreValid(t *testing.T) {
	if _, err := newExcluder(DefaultExcludes); err != nil {
		t.Fatal(err)
	}
	for _, g := range DefaultExcludes {
		if g == "" || (g[0] != '/' && len(g) > 1 && g[:2] != "**") {
			t.Errorf("default exclude %q should be in-root absolute or start with **", g)
		}
	}
	if !slices.Contains(DefaultExcludes, "/proc") || !slices.Contains(DefaultExcludes, "/var/cache/apt") {
		t.Errorf("DefaultExcludes lost a basic entry: %v", DefaultExcludes)
	}
}
