package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixture writes a miniature of every input into a temporary directory,
// in the layout fetch.sh produces, and returns it. edit may change the
// files (by name relative to the directory) before they are written.
func fixture(t *testing.T, edit func(files map[string]string)) string {
	t.Helper()
	files := map[string]string{
		"spdx-license-list/package.json": `{"name":"spdx-license-list","version":"6.12.0"}`,
		"spdx-license-list/readme.md":    "*Using SPDX License List version 3.28.0 (2026-02-20)*\n",
		"spdx-license-list/spdx.json": `{
			"MIT": {"name": "MIT License", "osiApproved": true},
			"GPL-2.0": {"name": "GNU General Public License v2.0 only", "osiApproved": true},
			"GPL-2.0-only": {"name": "GNU General Public License v2.0 only", "osiApproved": true},
			"AGPL-3.0-only": {"name": "GNU Affero General Public License v3.0 only", "osiApproved": true},
			"New-1.0": {"name": "A licence ScanCode does not know", "osiApproved": false}}`,
		"spdx-license-list/licenses/MIT.json":                     `{}`,
		"spdx-license-list/licenses/Classpath-exception-2.0.json": `{}`,
		"spdx-license-ids/package.json":                           `{"name":"spdx-license-ids","version":"3.0.23"}`,
		"spdx-license-ids/index.json":                             `["MIT", "GPL-2.0-only", "AGPL-3.0-only", "New-1.0"]`,
		"spdx-license-ids/deprecated.json":                        `["GPL-2.0"]`,
		"spdx-exceptions/package.json":                            `{"name":"spdx-exceptions","version":"2.5.0"}`,
		"spdx-exceptions/index.json":                              `["Classpath-exception-2.0"]`,
		"spdx-exceptions/deprecated.json":                         `[]`,
		"spdx-json/licenses.json": `{"licenseListVersion": "abc1234", "licenses": [
			{"licenseId": "MIT", "isDeprecatedLicenseId": false, "isFsfLibre": true},
			{"licenseId": "GPL-2.0", "isDeprecatedLicenseId": true, "isFsfLibre": true},
			{"licenseId": "AGPL-3.0-only", "isDeprecatedLicenseId": false, "isFsfLibre": false}]}`,
		"spdx-json/exceptions.json": `{"licenseListVersion": "abc1234", "exceptions": [
			{"licenseExceptionId": "Classpath-exception-2.0", "name": "Classpath exception 2.0", "isDeprecatedLicenseId": false}]}`,
		"scancode/scancode-licensedb-index.json": `[
			{"license_key": "mit", "category": "Permissive", "spdx_license_key": "MIT", "other_spdx_license_keys": [], "is_deprecated": false},
			{"license_key": "gpl-2.0", "category": "Copyleft", "spdx_license_key": "GPL-2.0-only", "other_spdx_license_keys": ["GPL-2.0"], "is_deprecated": false},
			{"license_key": "agpl-3.0", "category": "Copyleft", "spdx_license_key": "AGPL-3.0-only", "other_spdx_license_keys": [], "is_deprecated": false}]`,
		"data/license-categories.yaml":   "revision: 2\noverrides:\n  - ids: [AGPL-3.0-only]\n    category: network-copyleft\n    reason: \"§13\"\n",
		"data/license-replacements.yaml": "replacements:\n  - {id: GPL-2.0, replacedBy: GPL-2.0-only, reason: bare id}\n",
		"data/french-licenses.yaml": "source: {law: CRPA, decree: D, versions: V, note: N}\n" +
			"groups:\n  - group: permissive\n    title: P\n    licenses:\n      - {family: MIT, version: MIT, spdx: [MIT]}\n",
		"data/SOURCES.md": "x\n" + countsBegin + "old\n" + countsEnd + "\ny\n",
	}
	if edit != nil {
		edit(files)
	}
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runGen(t *testing.T, dir string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	code := run([]string{"-src", dir, "-data", filepath.Join(dir, "data")}, &out, &out)
	return code, out.String()
}

func TestGenerate(t *testing.T) {
	dir := fixture(t, nil)
	if code, out := runGen(t, dir); code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	first, err := os.ReadFile(filepath.Join(dir, "data", "licenses.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		SPDXListVersion string         `json:"spdxListVersion"`
		Revision        int            `json:"revision"`
		Licenses        []outLicense   `json:"licenses"`
		Exceptions      []outException `json:"exceptions"`
	}
	if err := json.Unmarshal(first, &got); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if got.SPDXListVersion != "3.28.0" || got.Revision != 2 {
		t.Errorf("version %q revision %d", got.SPDXListVersion, got.Revision)
	}
	want := map[string]outLicense{
		"AGPL-3.0-only": {ID: "AGPL-3.0-only", Category: catNetwork, CategoryBasis: "override", FSF: fsfNonFree, OSIApproved: true},
		"GPL-2.0":       {ID: "GPL-2.0", Category: catStrong, CategoryBasis: "scancode:gpl-2.0", FSF: fsfLibre, OSIApproved: true, Deprecated: true, ReplacedBy: "GPL-2.0-only"},
		"GPL-2.0-only":  {ID: "GPL-2.0-only", Category: catStrong, CategoryBasis: "scancode:gpl-2.0", FSF: fsfUnknown, OSIApproved: true},
		"MIT":           {ID: "MIT", Category: catPermissive, CategoryBasis: "scancode:mit", FSF: fsfLibre, OSIApproved: true, French: "permissive"},
		"New-1.0":       {ID: "New-1.0", Category: catUnknown, CategoryBasis: "none", FSF: fsfUnknown},
	}
	var order []string
	for _, l := range got.Licenses {
		order = append(order, l.ID)
		w := want[l.ID]
		w.Name = l.Name
		if l != w {
			t.Errorf("%s:\n got %+v\nwant %+v", l.ID, l, w)
		}
	}
	if strings.Join(order, " ") != "AGPL-3.0-only GPL-2.0 GPL-2.0-only MIT New-1.0" {
		t.Errorf("order %v", order)
	}
	if len(got.Exceptions) != 1 || got.Exceptions[0].Name != "Classpath exception 2.0" {
		t.Errorf("exceptions %+v", got.Exceptions)
	}
	md, _ := os.ReadFile(filepath.Join(dir, "data", "SOURCES.md"))
	if !strings.Contains(string(md), "| unknown | 1 |") || strings.Contains(string(md), "old") {
		t.Errorf("SOURCES.md counts not updated:\n%s", md)
	}

	// Same inputs, same bytes.
	if code, out := runGen(t, dir); code != 0 {
		t.Fatalf("second run: exit %d:\n%s", code, out)
	}
	second, _ := os.ReadFile(filepath.Join(dir, "data", "licenses.json"))
	if !bytes.Equal(first, second) {
		t.Error("output differs between two runs on the same inputs")
	}
}

func TestGenerateRejects(t *testing.T) {
	tests := []struct {
		name string
		edit func(map[string]string)
		want string // in the error
	}{
		{"override typo", func(f map[string]string) {
			f["data/license-categories.yaml"] = strings.Replace(f["data/license-categories.yaml"], "AGPL-3.0-only", "agpl-3.0-only", 1)
		}, `write it "AGPL-3.0-only"`},
		{"override unknown id", func(f map[string]string) {
			f["data/license-categories.yaml"] = strings.Replace(f["data/license-categories.yaml"], "AGPL-3.0-only", "AGPL-9", 1)
		}, `"AGPL-9" is not an SPDX licence id`},
		{"bad category", func(f map[string]string) {
			f["data/license-categories.yaml"] = strings.Replace(f["data/license-categories.yaml"], "network-copyleft", "network", 1)
		}, `category "network"`},
		{"deprecated without replacement", func(f map[string]string) {
			f["data/license-replacements.yaml"] = "replacements: []\n"
		}, "deprecated id GPL-2.0 has no entry"},
		{"replacement not current", func(f map[string]string) {
			f["data/license-replacements.yaml"] = "replacements:\n  - {id: GPL-2.0, replacedBy: GPL-2.0, reason: x}\n"
		}, `replacement licence "GPL-2.0"`},
		{"id lists from different releases", func(f map[string]string) {
			f["spdx-license-ids/index.json"] = `["MIT", "GPL-2.0-only", "AGPL-3.0-only", "New-1.0", "Newer-2.0"]`
		}, "Newer-2.0: in spdx-license-ids"},
		{"stray licence file", func(f map[string]string) {
			f["spdx-license-list/licenses/Ghost.json"] = `{}`
		}, "Ghost: licenses/Ghost.json"},
		{"unknown yaml field", func(f map[string]string) {
			f["data/french-licenses.yaml"] += "extra: 1\n"
		}, "field extra not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out := runGen(t, fixture(t, tt.edit))
			if code == 0 || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d, want failure mentioning %q; output:\n%s", code, tt.want, out)
			}
		})
	}
}
