package hostscan

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/anchore/syft/syft/sbom"
)

// richRoot builds a copy of the shared Debian fixture with what a real host adds: usrmerge symlinks, a
// symlinked doc directory, a Go binary nobody owns, a Go binary and a classifier match that dpkg owns, and a
// classifier match nobody owns.
func richRoot(t *testing.T) string {
	t.Helper()
	needFixture(t)
	root := t.TempDir()
	copyTree(t, fixtureRoot, root)
	makeRoot(t, root, []entry{
		{path: "bin", link: "usr/bin"},
		{path: "lib", link: "usr/lib"},
		{path: "usr/share/doc/bash-doc", link: "bash"},
		{path: "usr/share/doc/libc6-dev", link: "/usr/share/doc/libc6"},
		{path: "etc/alternatives/java", link: "/usr/share/java/commons-cli.jar"},
		{path: "usr/bin/busybox", content: "\x00BusyBox v1.36.1 (2023-03-01 00:00:00 UTC) multi-call binary\x00"},
		{path: "usr/libexec/owned/busybox", content: "\x00BusyBox v1.35.0 (2022-01-01 00:00:00 UTC) multi-call binary\x00"},
	})
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// a Go binary dropped in /opt without a package manager, and the same binary shipped by a deb: syft
	// reports the modules of both (it keeps Go packages found in owned files)
	linkOrCopy(t, exe, filepath.Join(root, "opt/tool/bin/tool"))
	linkOrCopy(t, exe, filepath.Join(root, "usr/bin/owned-tool"))
	// dpkg ownership, as syft reads it, comes from md5sums (and conffiles); list it through the usrmerge link
	appendFile(t, filepath.Join(root, "var/lib/dpkg/info/bash.md5sums"),
		"d41d8cd98f00b204e9800998ecf8427e  usr/libexec/owned/busybox\nd41d8cd98f00b204e9800998ecf8427e  bin/owned-tool\n")
	return root
}

func TestScanMatchesSyft(t *testing.T) {
	tests := []struct {
		name    string
		root    func(t *testing.T) string
		want    []string // type/name@version that must be there
		notWant []string // and that must not
	}{
		{
			name: "debian-minimal fixture",
			root: func(t *testing.T) string { needFixture(t); return fixtureRoot },
			want: []string{"deb/bash@5.2.15-2+b8", "java-archive/commons-cli@1.5.0", "npm/is-number@7.0.0", "python/blinker@1.5"},
		},
		{
			name:    "fixture with symlinks and binaries",
			root:    richRoot,
			want:    []string{"binary/busybox@1.36.1", "go-module/stdlib@" + runtime.Version()},
			notWant: []string{"binary/busybox@1.35.0"}, // owned by bash: syft drops it, hostscan never looks
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := tt.root(t)
			want := stockSBOM(t, root)
			got, err := Scan(t.Context(), Options{Root: root})
			if err != nil {
				t.Fatal(err)
			}
			if d := diffLines(packageLines(want), packageLines(got)); d != "" {
				t.Errorf("packages differ from syft's directory source (-syft +hostscan):\n%s", d)
			}
			names := packageNames(got)
			for _, w := range tt.want {
				if !slices.Contains(names, w) {
					t.Errorf("%s missing from %v", w, names)
				}
			}
			for _, nw := range tt.notWant {
				if slices.Contains(names, nw) {
					t.Errorf("%s reported: %v", nw, names)
				}
			}
			if want.Artifacts.Packages.PackageCount() < 11 {
				t.Errorf("oracle found only %d packages; the fixture should give at least 11", want.Artifacts.Packages.PackageCount())
			}
			if want.Artifacts.LinuxDistribution == nil || got.Artifacts.LinuxDistribution == nil {
				t.Fatalf("distro: syft %v, hostscan %v", want.Artifacts.LinuxDistribution, got.Artifacts.LinuxDistribution)
			}
			if w, g := want.Artifacts.LinuxDistribution.PrettyName, got.Artifacts.LinuxDistribution.PrettyName; w != g {
				t.Errorf("distro: syft %q, hostscan %q", w, g)
			}
		})
	}
}

func TestScanLocationsAreInRoot(t *testing.T) {
	needFixture(t)
	got, err := Scan(t.Context(), Options{Root: fixtureRoot})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for p := range got.Artifacts.Packages.Enumerate() {
		for _, l := range p.Locations.ToSlice() {
			if !filepath.IsAbs(filepath.FromSlash(l.RealPath)) || l.RealPath[0] != '/' {
				t.Errorf("%s: location %q is not an in-root absolute path", p.Name, l.RealPath)
			}
			if l.RealPath == "/var/lib/dpkg/status" {
				found = true
			}
		}
	}
	if !found {
		t.Error("no package located at /var/lib/dpkg/status")
	}
}

func TestScanExcludes(t *testing.T) {
	needFixture(t)
	tests := []struct {
		name    string
		exclude []string
		gone    []string // type/name@version that must vanish
	}{
		{"absolute subtree", []string{"/usr/local/**"}, []string{"npm/is-number@7.0.0"}},
		{"absolute directory", []string{"/usr/local"}, []string{"npm/is-number@7.0.0"}},
		{"extension anywhere", []string{"**/*.jar"}, []string{"java-archive/commons-cli@1.5.0"}},
		{"relative matches at any depth", []string{"dist-packages"}, []string{"python/blinker@1.5"}},
		{"several", []string{"*.jar", "/usr/lib/python3/**"}, []string{"java-archive/commons-cli@1.5.0", "python/blinker@1.5"}},
	}
	all, err := Scan(t.Context(), Options{Root: fixtureRoot})
	if err != nil {
		t.Fatal(err)
	}
	allNames := packageNames(all)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Scan(t.Context(), Options{Root: fixtureRoot, Exclude: tt.exclude})
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, n := range allNames {
				if !slices.Contains(tt.gone, n) {
					want = append(want, n)
				}
			}
			for _, g := range tt.gone {
				if !slices.Contains(allNames, g) {
					t.Fatalf("%s is not in the unexcluded scan: %v", g, allNames)
				}
			}
			if d := diffLines(want, packageNames(got)); d != "" {
				t.Errorf("packages (-want +got):\n%s", d)
			}
		})
	}
}

func TestScanDefaultExcludes(t *testing.T) {
	needFixture(t)
	root := t.TempDir()
	copyTree(t, fixtureRoot, root)
	npm := func(dir, name string) entry {
		return entry{path: dir + "/node_modules/" + name + "/package.json", content: `{"name":"` + name + `","version":"1.0.0","license":"MIT"}`}
	}
	// each skipped place holds an installed-looking npm package that must not be reported by default
	skipped := []entry{
		npm("proc/1/root/usr/lib", "in-proc"),
		npm("sys/fs/x", "in-sys"),
		npm("dev/shm", "in-dev"),
		npm("run/user/0", "in-run"),
		npm("tmp/build", "in-tmp"),
		npm("var/tmp/build", "in-var-tmp"),
		npm("var/cache/apt/archives/partial", "in-apt-cache"),
		npm("var/cache/dnf/x", "in-dnf-cache"),
		npm("root/.cache/pip/x", "in-pip-cache"),
		npm("home/dev/.npm/_cacache/tmp", "in-npm-cache"),
		npm("home/dev/go/pkg/mod/example.com/x@v1.0.0", "in-go-mod-cache"),
		npm("home/dev/.m2/repository/x", "in-maven-repo"),
	}
	makeRoot(t, root, skipped)
	makeRoot(t, root, []entry{npm("home/dev/app", "in-home")})

	tests := []struct {
		name              string
		noDefaultExcludes bool
		want              int // npm packages beyond the fixture's is-number
	}{
		{"defaults skip volatile and cache directories", false, 1},
		{"NoDefaultExcludes keeps them", true, 1 + len(skipped)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Scan(t.Context(), Options{Root: root, NoDefaultExcludes: tt.noDefaultExcludes})
			if err != nil {
				t.Fatal(err)
			}
			var npmNames []string
			for p := range got.Artifacts.Packages.Enumerate() {
				if p.Type == "npm" && p.Name != "is-number" {
					npmNames = append(npmNames, p.Name)
				}
			}
			if len(npmNames) != tt.want {
				t.Errorf("got %d extra npm packages %v, want %d", len(npmNames), npmNames, tt.want)
			}
			if !slices.Contains(npmNames, "in-home") {
				t.Errorf("installed package in a home directory missing: %v", npmNames)
			}
		})
	}
}

func TestScanRootErrors(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "file")
	if err := os.WriteFile(regular, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		root string
		want error
	}{
		{"missing", filepath.Join(dir, "nope"), fs.ErrNotExist},
		{"empty", "", fs.ErrNotExist},
		{"not a directory", regular, fs.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Scan(t.Context(), Options{Root: tt.root})
			if !errors.Is(err, tt.want) {
				t.Fatalf("Scan(%q) error = %v, want one wrapping %v", tt.root, err, tt.want)
			}
		})
	}
}

func TestScanCancelled(t *testing.T) {
	needFixture(t)
	tests := []struct {
		name    string
		stage   string // cancel when Progress reports this stage; "" cancels before Scan
		wantErr error
	}{
		{"before the walk", "", context.Canceled},
		{"when cataloging starts", "catalog", context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			if tt.stage == "" {
				cancel()
			}
			_, err := Scan(ctx, Options{Root: fixtureRoot, Progress: func(p Progress) {
				if p.Stage == tt.stage {
					cancel()
				}
			}})
			if err != tt.wantErr { //nolint:errorlint // Scan returns ctx.Err() itself, unwrapped
				t.Fatalf("Scan error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestScanProgress(t *testing.T) {
	needFixture(t)
	var stages []string
	last := Progress{}
	_, err := Scan(t.Context(), Options{Root: fixtureRoot, Parallelism: 1, Progress: func(p Progress) {
		stages = append(stages, p.Stage)
		last = p
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(stages) == 0 || stages[len(stages)-1] != "done" || !slices.Contains(stages, "catalog") {
		t.Errorf("stages %v: want catalog then done", stages)
	}
	if last.Files == 0 || last.Packages < 11 {
		t.Errorf("final progress %+v: want files and at least 11 packages", last)
	}
}

// BenchmarkScan times Scan over the shared fixture; compare with BenchmarkSyftDirectorySource (same
// catalogers through syft's own directory source) for the ratio. The licence scanner is built once per
// process in both, as a long-lived process would.
func BenchmarkScan(b *testing.B) {
	needFixture(b)
	if _, err := WithLicenceScanner(b.Context()); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Scan(b.Context(), Options{Root: fixtureRoot}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSyftDirectorySource is the baseline for BenchmarkScan.
func BenchmarkSyftDirectorySource(b *testing.B) {
	needFixture(b)
	for b.Loop() {
		stockSBOM(b, fixtureRoot)
	}
}

// usedCatalogers reads the cataloger names syft records in an SBOM's descriptor.
func usedCatalogers(t *testing.T, s *sbom.SBOM) []string {
	t.Helper()
	b, err := json.Marshal(s.Descriptor.Configuration)
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Catalogers struct {
			Used []string `json:"used"`
		} `json:"catalogers"`
	}
	if err := json.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	return cfg.Catalogers.Used
}

// TestScanRunsSyftImageCatalogers pins the cataloger set: the plan's wrappers must replace catalogers of
// syft's "image" selection by their exact names (a renamed cataloger would otherwise run twice), and the
// scan must run every cataloger syft's image mode runs.
func TestScanRunsSyftImageCatalogers(t *testing.T) {
	needFixture(t)
	stock := usedCatalogers(t, stockSBOM(t, fixtureRoot))
	got, err := Scan(t.Context(), Options{Root: fixtureRoot})
	if err != nil {
		t.Fatal(err)
	}
	ours := usedCatalogers(t, got)
	for _, name := range defaultPlan().replaced {
		if !slices.Contains(stock, name) {
			t.Errorf("plan replaces %q, which syft's image selection does not have: %v", name, stock)
		}
	}
	if d := diffLines(stock, ours); d != "" {
		t.Errorf("catalogers differ from syft's image selection (-syft +hostscan):\n%s", d)
	}
}
