package scanner_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/scanner"
)

// fixture returns the path of a file under the repository's testdata/.
func fixture(t *testing.T, rel string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "testdata", filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("fixture %s: %v", rel, err)
	}
	return p
}

func scan(t *testing.T, arg string, o scanner.Options) sillage.Inventory {
	t.Helper()
	inv, err := scanner.Scan(t.Context(), arg, o)
	if err != nil {
		t.Fatalf("Scan(%s): %v (hint: %s)", arg, err, sillage.HintOf(err))
	}
	return inv
}

// labels returns "type:name@version" for every component, sorted.
func labels(cs []sillage.Component) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, string(c.Type)+":"+c.Label())
	}
	slices.Sort(out)
	return out
}

func find(t *testing.T, cs []sillage.Component, name string) sillage.Component {
	t.Helper()
	for _, c := range cs {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no component %q among %v", name, labels(cs))
	return sillage.Component{}
}

func declaredValues(c sillage.Component) []string {
	var out []string
	for _, d := range c.Licenses.Declared {
		out = append(out, d.Value)
	}
	return out
}

var npmBasic = []string{
	"npm:ansi-styles@4.3.0", "npm:chalk@4.1.2", "npm:color-convert@2.0.1", "npm:color-name@1.1.4",
	"npm:has-flag@4.0.0", "npm:is-number@7.0.0", "npm:once@1.4.0", "npm:sillage-fixture-npm-basic@1.0.0",
	"npm:supports-color@7.2.0", "npm:wrappy@1.0.2",
}

func TestScanDirNPM(t *testing.T) {
	dir := fixture(t, "projects/npm-basic")
	inv := scan(t, "dir:"+dir, scanner.Options{})
	if diff := cmp.Diff(npmBasic, labels(inv.Components)); diff != "" {
		t.Errorf("components (-want +got):\n%s", diff)
	}
	if inv.Target.Scheme != sillage.SchemeDir || inv.Target.Path != dir {
		t.Errorf("target = %+v", inv.Target)
	}
	if inv.Host != nil {
		t.Errorf("a source tree has no host, got %+v", inv.Host)
	}
	chalk := find(t, inv.Components, "chalk")
	if chalk.PURL != "pkg:npm/chalk@4.1.2" {
		t.Errorf("chalk purl = %q", chalk.PURL)
	}
	if diff := cmp.Diff([]string{"/package-lock.json"}, chalk.Locations); diff != "" {
		t.Errorf("chalk locations (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"MIT"}, declaredValues(chalk)); diff != "" {
		t.Errorf("chalk licences (-want +got):\n%s", diff)
	}
	if got := find(t, inv.Components, "sillage-fixture-npm-basic").Licenses.Declared; len(got) != 1 || got[0].SPDX != "EUPL-1.2" {
		t.Errorf("project licence = %+v, want EUPL-1.2", got)
	}
	for _, c := range inv.Components {
		if c.ID != sillage.ComponentID(c) {
			t.Errorf("%s: ID %s is not ComponentID", c.Label(), c.ID)
		}
	}
}

func TestScanDirGo(t *testing.T) {
	inv := scan(t, "dir:"+fixture(t, "projects/go-basic"), scanner.Options{})
	if diff := cmp.Diff([]string{"golang:github.com/google/uuid@v1.6.0", "golang:github.com/pkg/errors@v0.9.1"}, labels(inv.Components)); diff != "" {
		t.Errorf("components (-want +got):\n%s", diff)
	}
	if p := find(t, inv.Components, "github.com/google/uuid").PURL; p != "pkg:golang/github.com/google/uuid@v1.6.0" {
		t.Errorf("purl = %q", p)
	}
}

func TestScanDirExclude(t *testing.T) {
	dir := fixture(t, "rootfs/debian-minimal")
	all := scan(t, dir, scanner.Options{})
	if !slices.Contains(labels(all.Components), "maven:commons-cli@1.5.0") {
		t.Fatalf("the jar was not found: %v", labels(all.Components))
	}
	for _, glob := range []string{"/usr/share/java/**", "**/*.jar", "*.jar", "./usr/share/java"} {
		t.Run(glob, func(t *testing.T) {
			inv := scan(t, dir, scanner.Options{Exclude: []string{glob}})
			if slices.Contains(labels(inv.Components), "maven:commons-cli@1.5.0") {
				t.Errorf("--exclude %s kept the jar", glob)
			}
			if len(inv.Components) != len(all.Components)-1 {
				t.Errorf("--exclude %s removed %d components, want 1", glob, len(all.Components)-len(inv.Components))
			}
		})
	}
	_, err := scanner.Scan(t.Context(), dir, scanner.Options{Exclude: []string{"/usr/[share"}})
	if !errors.Is(err, sillage.ErrInvalidInput) {
		t.Errorf("invalid glob: err = %v, want ErrInvalidInput", err)
	}
}

var tinyImage = []string{"deb:base-files@12.4+deb12u11", "deb:libbz2-1.0@1.0.8-5+b1", "deb:zlib1g@1:1.2.13.dfsg-1"}

func TestScanImages(t *testing.T) {
	tests := []struct {
		arg    string
		scheme sillage.Scheme
		tags   []string
	}{
		{"oci-archive:" + fixture(t, "images/tiny.oci.tar"), sillage.SchemeOCIArchive, nil},
		{"docker-archive:" + fixture(t, "images/tiny.docker.tar"), sillage.SchemeDockerArchive, []string{"docker.io/sillage/tiny:latest"}},
		{"oci-dir:" + fixture(t, "images/tiny.oci-dir"), sillage.SchemeOCIDir, nil},
		// bare paths: the kind is recognised from the content
		{fixture(t, "images/tiny.oci.tar"), sillage.SchemeOCIArchive, nil},
		{fixture(t, "images/tiny.docker.tar"), sillage.SchemeDockerArchive, []string{"docker.io/sillage/tiny:latest"}},
		{fixture(t, "images/tiny.oci-dir"), sillage.SchemeOCIDir, nil},
	}
	var ids []string
	for _, tt := range tests {
		t.Run(filepath.Base(tt.arg), func(t *testing.T) {
			inv := scan(t, tt.arg, scanner.Options{})
			if inv.Target.Scheme != tt.scheme {
				t.Errorf("scheme = %s, want %s", inv.Target.Scheme, tt.scheme)
			}
			if diff := cmp.Diff(tinyImage, labels(inv.Components)); diff != "" {
				t.Errorf("components (-want +got):\n%s", diff)
			}
			img := inv.Target.Image
			if img == nil || img.ID != "sha256:8ce9a0ff64683a10c8a2fb90a725649a6b6c940feaef7f2226693cbb50f77c60" || img.Layers != 1 || img.OS != "linux" || img.Architecture != "amd64" {
				t.Errorf("image = %+v", img)
			}
			if img != nil && !cmp.Equal(tt.tags, img.Tags, cmp.Comparer(func(a, b []string) bool { return slices.Equal(a, b) })) && !(len(tt.tags) == 0 && len(img.Tags) == 0) {
				t.Errorf("tags = %v, want %v", img.Tags, tt.tags)
			}
			if d := inv.Target.Distro; d == nil || d.ID != "debian" || d.VersionID != "12" {
				t.Errorf("distro = %+v", d)
			}
			zlib := find(t, inv.Components, "zlib1g")
			if zlib.SourceName != "zlib" || zlib.Arch != "amd64" || !strings.Contains(zlib.Supplier, "@") {
				t.Errorf("zlib1g metadata: source %q arch %q supplier %q", zlib.SourceName, zlib.Arch, zlib.Supplier)
			}
			var got []string
			for _, c := range inv.Components {
				got = append(got, c.ID)
			}
			ids = append(ids, strings.Join(got, ","))
		})
	}
	// the same image in three containers gives the same components
	for _, s := range ids[1:] {
		if s != ids[0] {
			t.Errorf("component IDs differ between image forms: %s vs %s", s, ids[0])
		}
	}
}

func TestReadSBOMs(t *testing.T) {
	go2 := []string{"golang:example.com/sillage-fixture/go-basic", "golang:github.com/google/uuid@v1.6.0", "golang:github.com/pkg/errors@v0.9.1"}
	tests := []struct {
		file    string
		format  string
		version string
		want    []string
	}{
		// npm names the root component after the directory it ran in
		{"npm-basic.cdx.json", "cyclonedx-json", "1.5", slices.Sorted(slices.Values(append(slices.DeleteFunc(slices.Clone(npmBasic), func(s string) bool {
			return strings.HasPrefix(s, "npm:sillage-fixture")
		}), "npm:npm-basic@1.0.0")))},
		{"npm-basic.spdx.json", "spdx-json", "2.3", npmBasic},
		{"npm-basic.syft.spdx", "spdx-tag-value", "2.3", npmBasic},
		{"npm-basic.syft.cdx14.json", "cyclonedx-json", "1.4", npmBasic},
		{"npm-basic.syft.json", "syft-json", "16.1.13", npmBasic},
		{"go-basic.gomod.cdx.json", "cyclonedx-json", "1.5", nil},
		{"go-basic.gomod.cdx.xml", "cyclonedx-xml", "1.5", nil},
		{"go-basic.syft.spdx22.json", "spdx-json", "2.2", nil},
		{"go-basic.syft.cdx16.xml", "cyclonedx-xml", "1.6", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := fixture(t, "sbom/"+tt.file)
			for _, arg := range []string{"sbom:" + path, path} {
				inv := scan(t, arg, scanner.Options{})
				doc := inv.Target.Document
				if inv.Target.Scheme != sillage.SchemeSBOM || doc == nil || doc.Format != tt.format || doc.Version != tt.version {
					t.Fatalf("%s: target = %+v, document = %+v", arg, inv.Target, doc)
				}
				got := labels(inv.Components)
				if tt.want != nil {
					if diff := cmp.Diff(tt.want, got); diff != "" {
						t.Errorf("components (-want +got):\n%s", diff)
					}
					continue
				}
				for _, w := range go2[1:] {
					if !slices.Contains(got, w) {
						t.Errorf("missing %s in %v", w, got)
					}
				}
				for _, c := range inv.Components {
					if c.FoundBy != "sbom:"+tt.format {
						t.Errorf("%s found by %q", c.Label(), c.FoundBy)
					}
				}
			}
		})
	}
}

func TestReadSBOMLicences(t *testing.T) {
	// npm's SPDX document concludes nothing and declares MIT for chalk
	inv := scan(t, "sbom:"+fixture(t, "sbom/npm-basic.spdx.json"), scanner.Options{})
	chalk := find(t, inv.Components, "chalk")
	if len(chalk.Licenses.Declared) != 1 || chalk.Licenses.Declared[0].SPDX != "MIT" {
		t.Errorf("chalk declared = %+v", chalk.Licenses.Declared)
	}
	// cyclonedx-gomod asserted licences from the module cache
	inv = scan(t, "sbom:"+fixture(t, "sbom/go-basic.gomod.cdx.json"), scanner.Options{})
	uuid := find(t, inv.Components, "github.com/google/uuid")
	lic := uuid.Licenses.Concluded
	for _, d := range uuid.Licenses.Declared {
		lic += d.SPDX
	}
	if !strings.Contains(lic, "BSD-3-Clause") {
		t.Errorf("uuid licences = %+v, want BSD-3-Clause", uuid.Licenses)
	}
}

func TestScanErrors(t *testing.T) {
	tmp := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tar, err := os.ReadFile(fixture(t, "images/tiny.oci.tar"))
	if err != nil {
		t.Fatal(err)
	}
	truncated := write("truncated.tar", tar[:len(tar)/2])
	bom, err := os.ReadFile(fixture(t, "sbom/npm-basic.cdx.json"))
	if err != nil {
		t.Fatal(err)
	}
	brokenBOM := write("broken.cdx.json", bom[:len(bom)/2])
	xmlBOM, err := os.ReadFile(fixture(t, "sbom/go-basic.gomod.cdx.xml"))
	if err != nil {
		t.Fatal(err)
	}
	brokenXML := write("broken.cdx.xml", xmlBOM[:len(xmlBOM)/2])
	text := write("notes.txt", []byte("just some notes\n"))
	spdx3ish := write("future.json", []byte(`{"bomFormat":"CycloneDX","specVersion":"9.9","components":[]}`))

	tests := []struct {
		name     string
		arg      string
		wantErr  error
		wantText string
	}{
		{"missing path", filepath.Join(tmp, "nope"), scanner.ErrTarget, "does not exist"},
		{"missing sbom", "sbom:" + filepath.Join(tmp, "nope.json"), scanner.ErrTarget, "does not exist"},
		{"truncated archive", "oci-archive:" + truncated, scanner.ErrTarget, "truncated"},
		{"docker archive as OCI", "oci-archive:" + fixture(t, "images/tiny.docker.tar"), scanner.ErrTarget, "no oci-layout"},
		{"text as archive", "docker-archive:" + text, scanner.ErrTarget, "not a tar archive"},
		{"truncated SBOM", "sbom:" + brokenBOM, scanner.ErrTarget, "malformed JSON"},
		{"bare truncated SBOM", brokenBOM, scanner.ErrTarget, "malformed JSON"},
		{"truncated XML SBOM", "sbom:" + brokenXML, scanner.ErrTarget, "malformed XML"},
		{"not an SBOM", "sbom:" + text, scanner.ErrTarget, "not a recognised SBOM"},
		{"unsupported version", "sbom:" + spdx3ish, scanner.ErrTarget, "cyclonedx"},
		{"dir is a file", "dir:" + text, scanner.ErrTarget, "not a directory"},
		{"host is a file", "host:" + text, scanner.ErrTarget, "not a directory"},
		{"sbom is a dir", "sbom:" + tmp, scanner.ErrTarget, "is a directory"},
		{"oci-dir without layout", "oci-dir:" + tmp, scanner.ErrTarget, "not an OCI image layout"},
		{"empty path", "dir:", sillage.ErrInvalidInput, "no path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scanner.Scan(t.Context(), tt.arg, scanner.Options{})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("err = %q, want it to mention %q", err, tt.wantText)
			}
			if sillage.HintOf(err) == "" {
				t.Errorf("err %q has no hint for the user", err)
			}
		})
	}
}

func TestScanCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, arg := range []string{
		"dir:" + fixture(t, "projects/npm-basic"),
		"oci-archive:" + fixture(t, "images/tiny.oci.tar"),
		"sbom:" + fixture(t, "sbom/npm-basic.cdx.json"),
	} {
		if _, err := scanner.Scan(ctx, arg, scanner.Options{}); !errors.Is(err, context.Canceled) {
			t.Errorf("Scan(%s) with a cancelled context: err = %v, want context.Canceled", arg, err)
		}
	}
}

func TestScanReportsProgress(t *testing.T) {
	var stages []string
	var last sillage.Progress
	scan(t, "dir:"+fixture(t, "projects/npm-basic"), scanner.Options{Progress: func(p sillage.Progress) {
		if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
			stages = append(stages, p.Stage)
		}
		last = p
	}})
	if len(stages) == 0 || stages[len(stages)-1] != "done" || last.Packages != len(npmBasic) {
		t.Errorf("progress stages %v, last %+v", stages, last)
	}
}

func detected(c sillage.Component) map[string]string {
	out := map[string]string{}
	for _, d := range c.Licenses.Detected {
		out[d.Location] = d.SPDX
	}
	return out
}

func TestLicenceDetectionHost(t *testing.T) {
	root := fixture(t, "rootfs/debian-minimal")
	inv := scan(t, "host:"+root, scanner.Options{})
	// libc6's copyright file is not in the DEP-5 format: nothing is
	// declared, the detector reads the file
	libc := find(t, inv.Components, "libc6")
	if len(libc.Licenses.Declared) != 0 {
		t.Fatalf("libc6 declares %v; the fixture's copyright file should give nothing to declare", declaredValues(libc))
	}
	got := libc.Licenses.Detected
	if len(got) != 1 || got[0].Location != "/usr/share/doc/libc6/copyright" || !strings.Contains(got[0].SPDX, "LGPL-2.1-or-later") || got[0].Coverage <= 25 {
		t.Errorf("libc6 detected %+v; want one detection of its copyright file with LGPL-2.1-or-later over the threshold", got)
	}
	// zlib1g's DEP-5 file maps entirely to SPDX: auto mode does not read it
	if z := find(t, inv.Components, "zlib1g"); len(z.Licenses.Detected) != 0 {
		t.Errorf("zlib1g detected %+v in auto mode; its declared licence settles it", z.Licenses.Detected)
	}
	all := scan(t, "host:"+root, scanner.Options{LicenseDetection: scanner.DetectAll})
	if d := detected(find(t, all.Components, "zlib1g")); d["/usr/share/doc/zlib1g/copyright"] != "Zlib" {
		t.Errorf("zlib1g detected %v with LicenseDetection all; want Zlib from its copyright file", d)
	}
	none := scan(t, "host:"+root, scanner.Options{LicenseDetection: scanner.DetectNone})
	for _, c := range none.Components {
		if c.Type == sillage.TypeDeb && len(c.Licenses.Detected) != 0 {
			t.Errorf("%s detected %+v with LicenseDetection none", c.Name, c.Licenses.Detected)
		}
	}
}

func TestLicenceDetectionDir(t *testing.T) {
	dir := fixture(t, "projects/npm-installed")
	inv := scan(t, "dir:"+dir, scanner.Options{LicenseDetection: scanner.DetectAll})
	want := map[string]string{"is-number": "MIT", "once": "ISC", "wrappy": "ISC"}
	for name, spdx := range want {
		loc := "/node_modules/" + name + "/LICENSE"
		if d := detected(find(t, inv.Components, name)); d[loc] != spdx {
			t.Errorf("%s detected %v, want %s in %s", name, d, spdx, loc)
		}
	}
	// the tree's own licence, and nothing from node_modules
	if diff := cmp.Diff([]sillage.DetectedLicense{{SPDX: "EUPL-1.2", Coverage: 100, Location: "/LICENSE"}}, inv.Target.Licenses); diff != "" {
		t.Errorf("target licences (-want +got):\n%s", diff)
	}
	// declared MIT/ISC settle these packages: auto mode reads nothing
	auto := scan(t, "dir:"+dir, scanner.Options{})
	for name := range want {
		if d := find(t, auto.Components, name).Licenses.Detected; len(d) != 0 {
			t.Errorf("%s detected %+v in auto mode", name, d)
		}
	}
	// excluded paths are not read for the tree's licences
	ex := scan(t, "dir:"+dir, scanner.Options{Exclude: []string{"/LICENSE"}})
	if len(ex.Target.Licenses) != 0 {
		t.Errorf("--exclude /LICENSE still gave target licences %+v", ex.Target.Licenses)
	}
	if _, err := scanner.ParseLicenseDetection("some"); err == nil {
		t.Error("ParseLicenseDetection(some) accepted")
	}
}

// Go modules' licences come from the local module cache (offline) when
// the modules are there.
func TestGoModuleLicencesFromModCache(t *testing.T) {
	cache := t.TempDir()
	dir := filepath.Join(cache, "github.com", "google", "uuid@v1.6.0")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(filepath.Join("licensedetect", "testdata", "licenses", "MIT.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "LICENSE"), text, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOMODCACHE", cache)
	t.Setenv("GOFLAGS", "-mod=mod")
	inv := scan(t, "dir:"+fixture(t, "projects/go-basic"), scanner.Options{})
	uuid := find(t, inv.Components, "github.com/google/uuid")
	var got []string
	for _, d := range uuid.Licenses.Detected {
		got = append(got, d.SPDX)
	}
	if !slices.Contains(got, "MIT") {
		t.Errorf("github.com/google/uuid detected %v; want MIT from the module cache given in GOMODCACHE", got)
	}
	// a module absent from the cache gets nothing, and nothing is fetched
	if d := find(t, inv.Components, "github.com/pkg/errors").Licenses.Detected; len(d) != 0 {
		t.Errorf("github.com/pkg/errors detected %+v with an empty module cache", d)
	}
}
