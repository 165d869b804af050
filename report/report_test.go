package report_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/anchore/syft/syft/format"
	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/report"
)

var update = flag.Bool("update", false, "rewrite files in testdata/golden")

func assertGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v; create it with: go test ./report -update", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s changed (-want +got):\n%s\nif intended: go test ./report -update", name, diff)
	}
}

// sampleResult is a host scan with a bit of everything the formats must
// carry: several ecosystems, mapped and unmapped licences, an expression,
// a concluded licence, a SILL match, findings, a warning, and a package
// name an attacker could have chosen.
func sampleResult() sillage.Result {
	comps := []sillage.Component{
		{
			Name: "bash", Version: "5.2.15-2+b8", Type: sillage.TypeDeb,
			PURL:      "pkg:deb/debian/bash@5.2.15-2%2Bb8?arch=amd64&distro=debian-12",
			CPEs:      []string{"cpe:2.3:a:gnu:bash:5.2.15-2\\+b8:*:*:*:*:*:*:*", "cpe:2.3:a:bash:bash:5.2.15-2\\+b8:*:*:*:*:*:*:*"},
			Locations: []string{"/var/lib/dpkg/status", "/usr/share/doc/bash/copyright"},
			Licenses: sillage.Licenses{Declared: []sillage.DeclaredLicense{
				{Value: "GPL-3+", SPDX: "GPL-3.0-or-later", Locations: []string{"/usr/share/doc/bash/copyright"}},
				{Value: "permissive", Locations: []string{"/usr/share/doc/bash/copyright"}},
				{Value: "GPL-3+ with Autoconf-data exception", SPDX: "GPL-3.0-or-later WITH AdditionRef-Autoconf-data-exception"},
			}},
			Supplier: "Matthias Klose <doko@debian.org>", SourceName: "bash", Arch: "amd64", FoundBy: "dpkg-db-cataloger",
		},
		{
			Name: "libreoffice-writer", Version: "4:7.4.7-1+deb12u5", Type: sillage.TypeDeb,
			PURL:      "pkg:deb/debian/libreoffice-writer@4%3A7.4.7-1%2Bdeb12u5?arch=amd64&distro=debian-12",
			Locations: []string{"/var/lib/dpkg/status"},
			Licenses: sillage.Licenses{Declared: []sillage.DeclaredLicense{
				{Value: "MPL-2.0", SPDX: "MPL-2.0"}, {Value: "LGPL-3+", SPDX: "LGPL-3.0-or-later"},
			}},
			SourceName: "libreoffice", FoundBy: "dpkg-db-cataloger",
			SILL: &sillage.SILLMatch{ID: "71", Name: "LibreOffice", Status: "recommended", MatchedBy: "alias", Confidence: 1},
		},
		{
			Name: "chalk", Version: "4.1.2", Type: sillage.TypeNPM, PURL: "pkg:npm/chalk@4.1.2",
			Locations: []string{"/usr/local/lib/node_modules/chalk/package.json"},
			Licenses:  sillage.Licenses{Concluded: "MIT OR Apache-2.0", Declared: []sillage.DeclaredLicense{{Value: "MIT", SPDX: "MIT"}}},
			Supplier:  "Sindre Sorhus", FoundBy: "javascript-package-cataloger",
		},
		{
			Name: "Microsoft Office Professional Plus 2019 - fr-fr", Version: "16.0.10827.20138", Type: sillage.TypeWindows,
			Supplier: "Microsoft Corporation", Locations: []string{"HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\ProPlus2019Volume - fr-fr"},
			Licenses: sillage.Licenses{Declared: []sillage.DeclaredLicense{{Value: "Proprietary", SPDX: "LicenseRef-Proprietary"}}}, FoundBy: "windows-registry",
		},
		{
			Name: `<script>alert("x")</script>`, Version: "1.0 & more", Type: sillage.TypeBinary,
			Locations: []string{"/opt/evil/bin/tool"}, FoundBy: "binary-classifier-cataloger",
		},
	}
	for i := range comps {
		comps[i].ID = sillage.ComponentID(comps[i])
	}
	r := sillage.Result{
		SchemaVersion: sillage.SchemaVersion,
		Tool:          sillage.Tool{Name: "sillage", Version: "1.2.3"},
		Target: sillage.Target{
			Scheme: sillage.SchemeHost, Path: "/",
			Distro: &sillage.Distro{ID: "debian", VersionID: "12", PrettyName: "Debian GNU/Linux 12 (bookworm)"},
		},
		Host:       &sillage.Host{Name: "poste-042", MachineID: "0123456789abcdef0123456789abcdef", OS: "Debian GNU/Linux 12 (bookworm)"},
		ScannedAt:  time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC),
		Catalogs:   []sillage.CatalogRef{{Name: "policy", Version: "default@1", Source: "embedded"}},
		Components: comps,
		Findings: []sillage.Finding{{
			RuleID: "LIC-UNDECLARED", Severity: sillage.SeverityLow, ComponentID: comps[4].ID,
			Message:     comps[4].Label() + " (binary) declares no licence and none was detected",
			Remediation: "find the licence",
		}},
		Migrations: []sillage.Migration{{
			ComponentID: comps[3].ID, Product: "Microsoft Office", Category: "office suite",
			Alternatives: []sillage.Alternative{{SILLID: "78", Name: "LibreOffice", SupportContract: true, ComptoirDuLibreURL: "https://comptoir-du-libre.org/fr/softwares/33"}},
		}},
		Warnings: []string{"/var/lib/rpm/rpmdb.sqlite: unable to read"},
	}
	r.Normalize()
	return r
}

func render(t *testing.T, format string, o report.Options, res sillage.Result) []byte {
	t.Helper()
	r, err := report.New(format, o)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.Report(&buf, res); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	res := sampleResult()
	for _, f := range report.Formats() {
		t.Run(f, func(t *testing.T) {
			got := render(t, f, report.Options{}, res)
			assertGolden(t, f, got)
			// rendering is deterministic
			if again := render(t, f, report.Options{}, res); !bytes.Equal(got, again) {
				t.Errorf("%s output differs between two renderings", f)
			}
		})
	}
	t.Run("table-narrow", func(t *testing.T) {
		got := render(t, "table", report.Options{Width: 60}, res)
		for i, line := range strings.Split(strings.TrimRight(string(got), "\n"), "\n") {
			if w := len([]rune(line)); w > 60 && i > 1 {
				t.Errorf("line %d is %d columns wide, want <= 60: %q", i+1, w, line)
			}
		}
		assertGolden(t, "table-narrow", got)
	})
}

func TestFormats(t *testing.T) {
	want := []string{"csv", "csv-findings", "cyclonedx-json", "cyclonedx-xml", "html", "json", "junit", "markdown", "sarif", "spdx-json", "table"}
	if diff := cmp.Diff(want, report.Formats()); diff != "" {
		t.Errorf("formats (-want +got):\n%s", diff)
	}
	if _, err := report.New("pdf", report.Options{}); err == nil || !strings.Contains(err.Error(), "csv, csv-findings, cyclonedx-json, cyclonedx-xml, html, json, junit, markdown, sarif, spdx-json, table") {
		t.Errorf("unknown format error = %v, want the list of formats", err)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	res := sampleResult()
	var back sillage.Result
	if err := json.Unmarshal(render(t, "json", report.Options{}, res), &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(res, back); diff != "" {
		t.Errorf("json round trip (-want +got):\n%s", diff)
	}
}

func TestTableColour(t *testing.T) {
	res := sampleResult()
	plain := render(t, "table", report.Options{}, res)
	if bytes.Contains(plain, []byte("\x1b[")) {
		t.Error("table without Color contains ANSI escapes")
	}
	coloured := render(t, "table", report.Options{Color: true}, res)
	if !bytes.Contains(coloured, []byte("\x1b[")) {
		t.Error("table with Color has no ANSI escapes")
	}
}

// moduleDir returns the directory of a module of the build, from the
// module cache, to read the JSON schemas it ships.
func moduleDir(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", path).Output()
	if err != nil {
		t.Fatalf("go list -m %s: %v", path, err)
	}
	return strings.TrimSpace(string(out))
}

func compileSchema(t *testing.T, dir string, main string, others ...string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	for _, name := range append([]string{main}, others...) {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := c.AddResource(name, doc); err != nil {
			t.Fatal(err)
		}
		if m, ok := doc.(map[string]any); ok {
			if id, ok := m["$id"].(string); ok {
				if err := c.AddResource(id, doc); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	s, err := c.Compile(main)
	if err != nil {
		t.Fatalf("compile %s: %v", main, err)
	}
	return s
}

func validate(t *testing.T, s *jsonschema.Schema, data []byte) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(doc); err != nil {
		t.Errorf("document is not valid against its schema: %v", err)
	}
}

func TestCycloneDXValidAgainstSchema(t *testing.T) {
	dir := filepath.Join(moduleDir(t, "github.com/CycloneDX/cyclonedx-go"), "schema")
	s := compileSchema(t, dir, "bom-1.6.schema.json", "spdx.schema.json", "jsf-0.82.schemax.json")
	validate(t, s, render(t, "cyclonedx-json", report.Options{}, sampleResult()))
}

func TestSPDXValidAgainstSchema(t *testing.T) {
	dir := filepath.Join(moduleDir(t, "github.com/anchore/syft"), "schema", "spdx-json")
	s := compileSchema(t, dir, "spdx-schema-2.3.json")
	validate(t, s, render(t, "spdx-json", report.Options{}, sampleResult()))
}

// TestSBOMsReadBack decodes each SBOM sillage writes with other tools'
// readers (cyclonedx-go, syft) and checks that every component comes back
// with its name, version, purl and licences.
func TestSBOMsReadBack(t *testing.T) {
	res := sampleResult()
	for _, f := range []string{"cyclonedx-json", "cyclonedx-xml", "spdx-json"} {
		t.Run(f, func(t *testing.T) {
			data := render(t, f, report.Options{}, res)
			s, id, version, err := format.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("syft cannot read sillage's %s: %v", f, err)
			}
			if string(id) != f || (version != "1.6" && version != "2.3") {
				t.Errorf("syft identified %s %s", id, version)
			}
			got := map[string]string{}
			for p := range s.Artifacts.Packages.Enumerate() {
				var lic []string
				for _, l := range p.Licenses.ToSlice() {
					v := l.SPDXExpression
					if v == "" {
						v = l.Value
					}
					lic = append(lic, v)
				}
				slices.Sort(lic)
				got[p.Name+"@"+p.Version] = p.PURL + " " + strings.Join(lic, ",")
			}
			for _, c := range res.Components {
				g, ok := got[c.Label()]
				if !ok {
					t.Errorf("%s lost in %s; have %v", c.Label(), f, got)
					continue
				}
				if c.PURL != "" && !strings.HasPrefix(g, c.PURL+" ") {
					t.Errorf("%s: purl read back as %q, want %q", c.Label(), g, c.PURL)
				}
				if c.Licenses.Concluded != "" && !strings.Contains(g, c.Licenses.Concluded) {
					t.Errorf("%s: concluded licence %q lost: %q", c.Label(), c.Licenses.Concluded, g)
				}
			}
		})
	}
	t.Run("cyclonedx-go", func(t *testing.T) {
		for _, f := range []cdx.BOMFileFormat{cdx.BOMFileFormatJSON, cdx.BOMFileFormatXML} {
			name := map[cdx.BOMFileFormat]string{cdx.BOMFileFormatJSON: "cyclonedx-json", cdx.BOMFileFormatXML: "cyclonedx-xml"}[f]
			var bom cdx.BOM
			if err := cdx.NewBOMDecoder(bytes.NewReader(render(t, name, report.Options{}, res)), f).Decode(&bom); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if bom.SpecVersion != cdx.SpecVersion1_6 || bom.Components == nil {
				t.Fatalf("%s: spec %v", name, bom.SpecVersion)
			}
			refs := map[string]cdx.Component{}
			for _, c := range *bom.Components {
				refs[c.BOMRef] = c
			}
			for _, c := range res.Components {
				got, ok := refs[c.ID]
				if !ok || got.Name != c.Name {
					t.Errorf("%s: component %s (%s) not found by bom-ref", name, c.ID, c.Label())
				}
			}
			for _, c := range res.Components {
				if c.Name == "bash" && refs[c.ID].Licenses == nil {
					t.Errorf("%s: bash has no licences", name)
				}
			}
		}
	})
}

func TestTableTreeLicences(t *testing.T) {
	res := sampleResult()
	res.Target.Licenses = []sillage.DetectedLicense{
		{SPDX: "EUPL-1.2", Coverage: 100, Location: "/LICENSE"},
		{SPDX: "MIT", Coverage: 98.8, Location: "/third_party/a/LICENSE"},
		{SPDX: "MIT", Coverage: 98.8, Location: "/third_party/b/LICENSE"},
	}
	out := string(render(t, "table", report.Options{}, res))
	if !strings.Contains(out, "licences of the tree: EUPL-1.2 (/LICENSE), MIT (/third_party/a/LICENSE +1)") {
		t.Errorf("table does not name the tree's licences:\n%s", out)
	}
	res.Target.Licenses = nil
	if out := string(render(t, "table", report.Options{}, res)); strings.Contains(out, "licences of the tree") {
		t.Error("table names tree licences for a result without any")
	}
}

func TestSBOMsCarryInstallFacts(t *testing.T) {
	res := sampleResult()
	res.Components = append(res.Components, sillage.Component{Name: "7-Zip 23.01 (x64)", Version: "23.01", Type: sillage.TypeWindows,
		InstallDate: "2024-01-15", InstallLocation: `C:\Program Files\7-Zip\`, Locations: []string{`HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\7-Zip`}})
	res.Components[len(res.Components)-1].ID = sillage.ComponentID(res.Components[len(res.Components)-1])
	cdxOut := string(render(t, "cyclonedx-json", report.Options{}, res))
	for _, want := range []string{`"sillage:installDate"`, `"2024-01-15"`, `"sillage:installLocation"`, `C:\\Program Files\\7-Zip\\`} {
		if !strings.Contains(cdxOut, want) {
			t.Errorf("cyclonedx-json lacks %s", want)
		}
	}
	spdxOut := string(render(t, "spdx-json", report.Options{}, res))
	if !strings.Contains(spdxOut, `installed on 2024-01-15; installed in C:\\Program Files\\7-Zip\\`) {
		t.Error("spdx-json lacks the install date and location in the package comment")
	}
}
