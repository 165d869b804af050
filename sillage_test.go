package sillage_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sillage-oss/sillage"
)

func TestParseTarget(t *testing.T) {
	tests := []struct {
		arg        string
		wantScheme sillage.Scheme
		wantPath   string
	}{
		{"", "", "."},
		{".", "", "."},
		{"dir:src", sillage.SchemeDir, "src"},
		{"host:/", sillage.SchemeHost, "/"},
		{"host:", sillage.SchemeHost, ""},
		{"oci-archive:img.tar", sillage.SchemeOCIArchive, "img.tar"},
		{"docker-archive:img.tar", sillage.SchemeDockerArchive, "img.tar"},
		{"oci-dir:layout", sillage.SchemeOCIDir, "layout"},
		{"sbom:bom.json", sillage.SchemeSBOM, "bom.json"},
		{"sbom:dir:odd", sillage.SchemeSBOM, "dir:odd"},
		{"C:\\Users", "", "C:\\Users"},
		{"registry:alpine", "", "registry:alpine"},
	}
	for _, tt := range tests {
		s, p := sillage.ParseTarget(tt.arg)
		if s != tt.wantScheme || p != tt.wantPath {
			t.Errorf("ParseTarget(%q) = %q, %q; want %q, %q", tt.arg, s, p, tt.wantScheme, tt.wantPath)
		}
	}
}

func TestParseSeverity(t *testing.T) {
	for _, s := range []string{"info", "LOW", " Medium ", "high", "critical"} {
		if _, err := sillage.ParseSeverity(s); err != nil {
			t.Errorf("ParseSeverity(%q): %v", s, err)
		}
	}
	for _, s := range []string{"", "warning", "crit", "5"} {
		if _, err := sillage.ParseSeverity(s); err == nil {
			t.Errorf("ParseSeverity(%q) accepted an invalid severity", s)
		}
	}
	if !(sillage.SeverityInfo.Rank() < sillage.SeverityLow.Rank() &&
		sillage.SeverityLow.Rank() < sillage.SeverityMedium.Rank() &&
		sillage.SeverityMedium.Rank() < sillage.SeverityHigh.Rank() &&
		sillage.SeverityHigh.Rank() < sillage.SeverityCritical.Rank()) {
		t.Error("severity ranks are not in increasing order")
	}
	if sillage.Severity("bogus").Rank() != 0 {
		t.Error("an invalid severity has a rank")
	}
}

func TestComponentIDStable(t *testing.T) {
	c := sillage.Component{Name: "bash", Version: "5.2.15-2+b8", Type: sillage.TypeDeb,
		PURL: "pkg:deb/debian/bash@5.2.15-2%2Bb8", Locations: []string{"/var/lib/dpkg/status", "/usr/share/doc/bash/copyright"}}
	id := sillage.ComponentID(c)
	if len(id) != 16 {
		t.Fatalf("ID %q is not 16 hex digits", id)
	}
	// order of locations does not matter; licences and CPEs do not count
	d := c
	d.Locations = []string{"/usr/share/doc/bash/copyright", "/var/lib/dpkg/status"}
	d.CPEs = []string{"cpe:2.3:a:gnu:bash:5.2.15:*:*:*:*:*:*:*"}
	if got := sillage.ComponentID(d); got != id {
		t.Errorf("ID changed with location order or CPEs: %s != %s", got, id)
	}
	// the same package elsewhere is another component
	e := c
	e.Locations = []string{"/opt/other/var/lib/dpkg/status"}
	if sillage.ComponentID(e) == id {
		t.Error("two locations gave the same ID")
	}
	// pinned value: IDs are part of the result schema and must not drift
	if id != "a8da9edaa5f229c6" {
		t.Errorf("ComponentID changed to %s: IDs are part of the result schema (baselines, estate store); change the algorithm only with a schema version bump", id)
	}
}

func TestNormalizeSortsAndSummarizes(t *testing.T) {
	r := sillage.Result{
		ScannedAt: time.Unix(0, 0),
		Components: []sillage.Component{
			{ID: "2", Name: "zlib1g", Type: sillage.TypeDeb, Licenses: sillage.Licenses{Declared: []sillage.DeclaredLicense{{Value: "Zlib", SPDX: "Zlib"}}}},
			{ID: "1", Name: "chalk", Type: sillage.TypeNPM, Locations: []string{"/b", "/a", "/a"}},
			{ID: "3", Name: "bash", Type: sillage.TypeDeb, Licenses: sillage.Licenses{Concluded: "GPL-3.0-or-later"}},
		},
		Findings: []sillage.Finding{
			{RuleID: "B", Severity: sillage.SeverityLow, ComponentID: "1"},
			{RuleID: "A", Severity: sillage.SeverityHigh, ComponentID: "2"},
			{RuleID: "A", Severity: sillage.SeverityLow, ComponentID: "1"},
		},
		Warnings: []string{"b", "a", "b"},
	}
	r.Normalize()
	var names []string
	for _, c := range r.Components {
		names = append(names, c.Name)
	}
	if diff := cmp.Diff([]string{"bash", "zlib1g", "chalk"}, names); diff != "" {
		t.Errorf("component order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"/a", "/b"}, r.Components[2].Locations); diff != "" {
		t.Errorf("locations not sorted and deduplicated (-want +got):\n%s", diff)
	}
	var order []string
	for _, f := range r.Findings {
		order = append(order, string(f.Severity)+"/"+f.ComponentID+"/"+f.RuleID)
	}
	if diff := cmp.Diff([]string{"high/2/A", "low/1/A", "low/1/B"}, order); diff != "" {
		t.Errorf("finding order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a", "b"}, r.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	want := sillage.Summary{
		Components: 3,
		ByType:     map[sillage.Type]int{sillage.TypeDeb: 2, sillage.TypeNPM: 1},
		Licenses:   sillage.LicenseSummary{Declared: 1, Undeclared: 1, ByCategory: map[sillage.LicenseCategory]int{}},
		Findings:   map[sillage.Severity]int{sillage.SeverityHigh: 1, sillage.SeverityLow: 2},
	}
	if diff := cmp.Diff(want, r.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	if r.Catalogs == nil || r.Migrations == nil || r.Components[0].CPEs == nil || r.Components[0].Licenses.Detected == nil {
		t.Error("Normalize left a nil slice, which would encode as null")
	}
	if got := sillage.MaxSeverity(r.Findings); got != sillage.SeverityHigh {
		t.Errorf("MaxSeverity = %q, want high", got)
	}
	if got := sillage.MaxSeverity(nil); got != "" {
		t.Errorf("MaxSeverity(nil) = %q, want empty", got)
	}
}

func TestFindingActive(t *testing.T) {
	w := &sillage.Waiver{ID: "w", Justification: "j", Expires: "2027-01-01", Source: "p.yaml:3"}
	for _, tc := range []struct {
		f    sillage.Finding
		want bool
	}{
		{sillage.Finding{}, true},
		{sillage.Finding{Baseline: sillage.BaselineNew}, true},
		{sillage.Finding{Baseline: sillage.BaselineExisting}, false},
		{sillage.Finding{Waiver: w}, false},
		{sillage.Finding{Waiver: w, Baseline: sillage.BaselineNew}, false},
	} {
		if got := tc.f.Active(); got != tc.want {
			t.Errorf("%+v.Active() = %v, want %v", tc.f, got, tc.want)
		}
	}
}
