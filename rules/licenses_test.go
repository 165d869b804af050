package rules

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/sillage-oss/sillage"
)

const regenerateHint = "regenerate with: go generate ./rules (see rules/data/SOURCES.md)"

func TestLicenseTableParses(t *testing.T) {
	if _, err := parseLicenseTable(licensesJSON); err != nil {
		t.Fatalf("embedded data/licenses.json: %v", err)
	}
}

// TestLicenseCount pins what the table holds: every licence id of SPDX
// License List 3.28.0 as npm spdx-license-list 6.12.0 lists them in
// spdx.json (727), that is 695 current ids plus 32 deprecated ones (the 26
// of spdx-license-ids' deprecated.json and the six "+" GNU ids, GPL-2.0+
// and the like, which that package leaves out). The package's licenses/
// directory has 728 files because it also ships KiCad-libraries-exception,
// an exception, which the table keeps with the exceptions.
func TestLicenseCount(t *testing.T) {
	all := Licenses().All()
	deprecated := 0
	for _, l := range all {
		if l.Deprecated {
			deprecated++
		}
	}
	if len(all) != 727 || deprecated != 32 {
		t.Errorf("got %d licences, %d deprecated; want 727 (SPDX 3.28.0), 32 deprecated", len(all), deprecated)
	}
	if got := Licenses().ListVersion(); got != "3.28.0" {
		t.Errorf("ListVersion() = %q, want 3.28.0", got)
	}
	if n := len(Licenses().Exceptions()); n < 79 {
		t.Errorf("%d exceptions, want at least 79", n)
	}
}

func TestEveryLicenseIsClassified(t *testing.T) {
	for _, l := range Licenses().All() {
		if !slices.Contains(validCategories, l.Category) {
			t.Errorf("%s: category %q", l.ID, l.Category)
		}
		if l.Name == "" || l.CategoryBasis == "" {
			t.Errorf("%s: empty name or categoryBasis", l.ID)
		}
		if l.Category == sillage.CategoryUnknown && l.CategoryBasis != "none" {
			t.Errorf("%s: unknown from %s: an override or seed should not say unknown", l.ID, l.CategoryBasis)
		}
	}
}

func TestLicenseSpotChecks(t *testing.T) {
	tests := []struct {
		id       string
		category sillage.LicenseCategory
		osi      bool
		fsf      FSFStatus
		french   FrenchGroup
	}{
		{"MIT", sillage.CategoryPermissive, true, FSFLibre, FrenchPermissive},
		{"Apache-2.0", sillage.CategoryPermissive, true, FSFLibre, FrenchPermissive},
		{"BSD-3-Clause", sillage.CategoryPermissive, true, FSFLibre, FrenchPermissive},
		{"BSD-2-Clause-Patent", sillage.CategoryPermissive, true, FSFUnknown, FrenchNone},
		{"GPL-3.0-only", sillage.CategoryStrongCopyleft, true, FSFLibre, FrenchReciprocity},
		{"GPL-3.0-or-later", sillage.CategoryStrongCopyleft, true, FSFLibre, FrenchReciprocity},
		{"GPL-2.0-only", sillage.CategoryStrongCopyleft, true, FSFLibre, FrenchNone},
		{"AGPL-3.0-only", sillage.CategoryNetworkCopyleft, true, FSFLibre, FrenchReciprocity},
		{"AGPL-3.0-or-later", sillage.CategoryNetworkCopyleft, true, FSFLibre, FrenchReciprocity},
		{"LGPL-3.0-only", sillage.CategoryWeakCopyleft, true, FSFLibre, FrenchReciprocity},
		// 2.1 is not on the French list: only version 3 is.
		{"LGPL-2.1-only", sillage.CategoryWeakCopyleft, true, FSFLibre, FrenchNone},
		{"MPL-2.0", sillage.CategoryWeakCopyleft, true, FSFLibre, FrenchReciprocity},
		{"EPL-2.0", sillage.CategoryWeakCopyleft, true, FSFLibre, FrenchReciprocity},
		// EUPL-1.2 art. 1: communication includes "providing access to its
		// essential functionalities": network use triggers the copyleft.
		{"EUPL-1.2", sillage.CategoryNetworkCopyleft, true, FSFLibre, FrenchReciprocity},
		{"EUPL-1.0", sillage.CategoryStrongCopyleft, false, FSFUnknown, FrenchNone},
		{"OSL-3.0", sillage.CategoryNetworkCopyleft, true, FSFLibre, FrenchNone},
		{"CECILL-2.1", sillage.CategoryStrongCopyleft, true, FSFUnknown, FrenchReciprocity},
		{"CECILL-C", sillage.CategoryWeakCopyleft, false, FSFLibre, FrenchReciprocity},
		{"CECILL-B", sillage.CategoryPermissive, false, FSFLibre, FrenchPermissive},
		{"CC0-1.0", sillage.CategoryPublicDomain, false, FSFLibre, FrenchNone},
		{"Unlicense", sillage.CategoryPublicDomain, true, FSFLibre, FrenchNone},
		{"CC-BY-4.0", sillage.CategoryPermissive, false, FSFLibre, FrenchNone},
		{"CC-BY-SA-4.0", sillage.CategoryStrongCopyleft, false, FSFLibre, FrenchNone},
		{"CC-BY-NC-4.0", sillage.CategoryProprietary, false, FSFNonFree, FrenchNone},
		{"CC-BY-ND-4.0", sillage.CategoryProprietary, false, FSFNonFree, FrenchNone},
		{"OFL-1.1", sillage.CategoryWeakCopyleft, true, FSFLibre, FrenchNone},
		{"JSON", sillage.CategoryProprietary, false, FSFNonFree, FrenchNone},
		{"SSPL-1.0", sillage.CategoryProprietary, false, FSFUnknown, FrenchNone},
		{"BUSL-1.1", sillage.CategoryProprietary, false, FSFUnknown, FrenchNone},
		{"etalab-2.0", sillage.CategoryPermissive, false, FSFUnknown, FrenchData},
		{"ODbL-1.0", sillage.CategoryStrongCopyleft, false, FSFLibre, FrenchData},
		{"0BSD", sillage.CategoryPermissive, true, FSFUnknown, FrenchNone},
		{"Zlib", sillage.CategoryPermissive, true, FSFLibre, FrenchNone},
		{"BSL-1.0", sillage.CategoryPermissive, true, FSFLibre, FrenchNone},
		{"WTFPL", sillage.CategoryPermissive, false, FSFLibre, FrenchNone},
		// Added to SPDX after the snapshot the FSF flags come from.
		{"HDF5", sillage.CategoryPermissive, false, FSFUnknown, FrenchNone},
	}
	table := Licenses()
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			l, ok := table.Lookup(tt.id)
			if !ok {
				t.Fatalf("Lookup(%q) found nothing", tt.id)
			}
			got := fmt.Sprintf("category=%s osi=%t fsf=%s french=%q", l.Category, l.OSIApproved, l.FSF, l.French)
			want := fmt.Sprintf("category=%s osi=%t fsf=%s french=%q", tt.category, tt.osi, tt.fsf, tt.french)
			if got != want {
				t.Errorf("%s:\n got %s\nwant %s", tt.id, got, want)
			}
			if l.FSFLibre() != (tt.fsf == FSFLibre) {
				t.Errorf("FSFLibre() = %t", l.FSFLibre())
			}
		})
	}
}

func TestDeprecatedReplacements(t *testing.T) {
	table := Licenses()
	for id, want := range map[string]string{
		"GPL-2.0":                          "GPL-2.0-only",
		"GPL-2.0+":                         "GPL-2.0-or-later",
		"LGPL-2.1":                         "LGPL-2.1-only",
		"AGPL-3.0":                         "AGPL-3.0-only",
		"GPL-2.0-with-classpath-exception": "GPL-2.0-only WITH Classpath-exception-2.0",
		"wxWindows":                        "LGPL-2.0-or-later WITH WxWindows-exception-3.1",
		"Net-SNMP":                         "",
	} {
		l, ok := table.Lookup(id)
		if !ok || !l.Deprecated || l.ReplacedBy != want {
			t.Errorf("%s: found=%t deprecated=%t replacedBy=%q; want deprecated, replacedBy %q", id, ok, l.Deprecated, l.ReplacedBy, want)
		}
	}
	// Every replacement is made of current ids.
	for _, l := range table.All() {
		if !l.Deprecated {
			if l.ReplacedBy != "" {
				t.Errorf("%s: current id with replacedBy %q", l.ID, l.ReplacedBy)
			}
			continue
		}
		if l.ReplacedBy == "" {
			continue
		}
		lic, exc, with := strings.Cut(l.ReplacedBy, " WITH ")
		if r, ok := table.Lookup(lic); !ok || r.Deprecated || r.ID != lic {
			t.Errorf("%s: replacement licence %q is not a current canonical id", l.ID, lic)
		}
		if e, ok := table.Exception(exc); with && (!ok || e.Deprecated || e.ID != exc) {
			t.Errorf("%s: replacement exception %q is not a current canonical id", l.ID, exc)
		}
	}
}

func TestLookupIsCaseInsensitive(t *testing.T) {
	table := Licenses()
	for in, want := range map[string]string{
		"mit":              "MIT",
		"MIT":              "MIT",
		"gpl-3.0-OR-LATER": "GPL-3.0-or-later",
		"Etalab-2.0":       "etalab-2.0",
		"cecill-b":         "CECILL-B",
		"gpl-2.0+":         "GPL-2.0+",
	} {
		if got, ok := table.Canonical(in); !ok || got != want {
			t.Errorf("Canonical(%q) = %q, %t; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "LicenseRef-Proprietary", "MIT OR Apache-2.0", "MPL-1.1+", " MIT", "Classpath-exception-2.0"} {
		if l, ok := table.Lookup(in); ok {
			t.Errorf("Lookup(%q) = %s, want nothing", in, l.ID)
		}
	}
	if got := table.Category("LicenseRef-acme-eula"); got != sillage.CategoryUnknown {
		t.Errorf("Category of an unlisted id = %s, want unknown", got)
	}
	if got := table.Category("agpl-3.0-only"); got != sillage.CategoryNetworkCopyleft {
		t.Errorf("Category(agpl-3.0-only) = %s", got)
	}
}

func TestExceptionsAreNotLicences(t *testing.T) {
	table := Licenses()
	for _, id := range []string{"Classpath-exception-2.0", "classpath-exception-2.0", "LLVM-exception", "GCC-exception-3.1", "KiCad-libraries-exception"} {
		if !table.IsException(id) {
			t.Errorf("IsException(%q) = false", id)
		}
		if _, ok := table.Lookup(id); ok {
			t.Errorf("Lookup(%q) found a licence", id)
		}
	}
	for _, id := range []string{"MIT", "GPL-2.0-with-classpath-exception", ""} {
		if table.IsException(id) {
			t.Errorf("IsException(%q) = true", id)
		}
	}
	if e, ok := table.Exception("llvm-EXCEPTION"); !ok || e.ID != "LLVM-exception" || e.Name == "" {
		t.Errorf("Exception(llvm-EXCEPTION) = %+v, %t", e, ok)
	}
}

func TestAllIsSortedCopy(t *testing.T) {
	all := Licenses().All()
	if !slices.IsSortedFunc(all, func(a, b License) int { return compareFold(a.ID, b.ID) }) {
		t.Error("All() is not sorted by id")
	}
	all[0].Category = "changed"
	if Licenses().All()[0].Category == "changed" {
		t.Error("All() returned the table's own slice")
	}
	exc := Licenses().Exceptions()
	if !slices.IsSortedFunc(exc, func(a, b Exception) int { return compareFold(a.ID, b.ID) }) {
		t.Error("Exceptions() is not sorted by id")
	}
}

func compareFold(a, b string) int {
	if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func TestLicensesRef(t *testing.T) {
	ref := Licenses().Ref()
	if !regexp.MustCompile(`^spdx-3\.28\.0\+sillage-[1-9][0-9]*$`).MatchString(ref.Version) || ref.Name != "licenses" || ref.Source != "embedded" {
		t.Errorf("Ref() = %+v", ref)
	}
}

// categoriesYAML is data/license-categories.yaml.
type categoriesYAML struct {
	Revision  int `yaml:"revision"`
	Overrides []struct {
		IDs      []string `yaml:"ids"`
		Category string   `yaml:"category"`
		Reason   string   `yaml:"reason"`
	} `yaml:"overrides"`
}

func readYAMLFile(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestCategoryOverrides checks that every override names an SPDX id in its
// canonical case and a valid category, with a reason, and that the
// embedded table applies it (else licenses.json is stale).
func TestCategoryOverrides(t *testing.T) {
	var f categoriesYAML
	readYAMLFile(t, "data/license-categories.yaml", &f)
	table := Licenses()
	if want := fmt.Sprintf("+sillage-%d", f.Revision); !strings.HasSuffix(table.Ref().Version, want) {
		t.Errorf("licenses.json revision differs from license-categories.yaml revision %d; %s", f.Revision, regenerateHint)
	}
	seen := map[string]bool{}
	for i, ov := range f.Overrides {
		cat := sillage.LicenseCategory(ov.Category)
		if !slices.Contains(validCategories, cat) {
			t.Errorf("override %d: category %q is not a sillage.LicenseCategory", i+1, ov.Category)
		}
		if strings.TrimSpace(ov.Reason) == "" {
			t.Errorf("override %d (%v): no reason", i+1, ov.IDs)
		}
		if len(ov.IDs) == 0 {
			t.Errorf("override %d: no ids", i+1)
		}
		for _, id := range ov.IDs {
			l, ok := table.Lookup(id)
			switch {
			case !ok:
				t.Errorf("override %d: %q is not an SPDX licence id", i+1, id)
				continue
			case l.ID != id:
				t.Errorf("override %d: write %q as %q", i+1, id, l.ID)
			case seen[id]:
				t.Errorf("override %d: %s already overridden", i+1, id)
			}
			seen[id] = true
			if l.Category != cat || l.CategoryBasis != "override" {
				t.Errorf("%s: table says %s (%s), override says %s; %s", id, l.Category, l.CategoryBasis, cat, regenerateHint)
			}
		}
	}
	for _, l := range table.All() {
		if l.CategoryBasis == "override" && !seen[l.ID] {
			t.Errorf("%s: table says override but license-categories.yaml has none; %s", l.ID, regenerateHint)
		}
	}
}

// frenchYAML is data/french-licenses.yaml.
type frenchYAML struct {
	Source FrenchSource `yaml:"source"`
	Groups []struct {
		Group    string `yaml:"group"`
		Title    string `yaml:"title"`
		Licenses []struct {
			Family  string   `yaml:"family"`
			Version string   `yaml:"version"`
			SPDX    []string `yaml:"spdx"`
		} `yaml:"licenses"`
	} `yaml:"groups"`
}

func TestFrenchListMatchesData(t *testing.T) {
	var f frenchYAML
	readYAMLFile(t, "data/french-licenses.yaml", &f)
	table := Licenses()
	if got := table.FrenchSource(); got.Law != f.Source.Law || got.Decree != f.Source.Decree || got.Versions != f.Source.Versions {
		t.Errorf("FrenchSource() = %+v, want %+v; %s", got, f.Source, regenerateHint)
	}
	want := map[string]FrenchGroup{}
	var versions []string
	for _, g := range f.Groups {
		for _, l := range g.Licenses {
			versions = append(versions, g.Group+":"+l.Version)
			for _, id := range l.SPDX {
				want[id] = FrenchGroup(g.Group)
			}
		}
	}
	var got []string
	for _, e := range table.FrenchList() {
		got = append(got, string(e.Group)+":"+e.Version)
		if !strings.Contains(e.Source, "L. 323-2") || !strings.Contains(e.Source, "2021-1559") {
			t.Errorf("%s: Source %q does not cite the law", e.Version, e.Source)
		}
	}
	if !slices.Equal(got, versions) {
		t.Errorf("FrenchList() versions = %v, want %v; %s", got, versions, regenerateHint)
	}
	// The versions data.gouv.fr publishes, as DOMAIN.md lists them.
	wantVersions := []string{
		"permissive:Apache-2.0", "permissive:BSD-2-Clause", "permissive:BSD-3-Clause", "permissive:CECILL-B", "permissive:MIT",
		"reciprocity:CECILL-2.1", "reciprocity:CECILL-C", "reciprocity:EPL-2.0", "reciprocity:EUPL-1.2",
		"reciprocity:GPL-3.0", "reciprocity:LGPL-3.0", "reciprocity:AGPL-3.0", "reciprocity:MPL-2.0",
		"data:Etalab-2.0", "data:ODbL-1.0",
	}
	if !slices.Equal(versions, wantVersions) {
		t.Errorf("french-licenses.yaml versions = %v, want %v", versions, wantVersions)
	}
	for _, l := range table.All() {
		if l.French != want[l.ID] {
			t.Errorf("%s: french = %q, french-licenses.yaml says %q; %s", l.ID, l.French, want[l.ID], regenerateHint)
		}
	}
	for id := range want {
		if c, ok := table.Canonical(id); !ok || c != id {
			t.Errorf("french-licenses.yaml: %q is not a canonical SPDX id (%q)", id, c)
		}
	}
}

// TestSourcesCounts keeps the counts in data/SOURCES.md true.
func TestSourcesCounts(t *testing.T) {
	b, err := os.ReadFile("data/SOURCES.md")
	if err != nil {
		t.Fatal(err)
	}
	counts := map[sillage.LicenseCategory]int{}
	for _, l := range Licenses().All() {
		counts[l.Category]++
	}
	for _, c := range validCategories {
		m := regexp.MustCompile(`(?m)^\| ` + regexp.QuoteMeta(string(c)) + ` \| (\d+) \|$`).FindSubmatch(b)
		if m == nil {
			t.Errorf("SOURCES.md has no count for %s; %s", c, regenerateHint)
			continue
		}
		if n, _ := strconv.Atoi(string(m[1])); n != counts[c] {
			t.Errorf("SOURCES.md: %s = %d, table has %d; %s", c, n, counts[c], regenerateHint)
		}
	}
}

func TestParseLicenseTableRejects(t *testing.T) {
	ok := `{"spdxListVersion":"3.28.0","revision":1,"licenses":[{"id":"MIT","name":"MIT License","category":"permissive","categoryBasis":"x","fsf":"libre"}],"exceptions":[]}`
	if _, err := parseLicenseTable([]byte(ok)); err != nil {
		t.Fatalf("minimal table: %v", err)
	}
	for name, in := range map[string]string{
		"not json":          `{`,
		"no version":        strings.Replace(ok, `"3.28.0"`, `""`, 1),
		"bad category":      strings.Replace(ok, `"permissive"`, `"permisive"`, 1),
		"bad fsf":           strings.Replace(ok, `"libre"`, `"yes"`, 1),
		"duplicate id":      strings.Replace(ok, `}],"exceptions"`, `},{"id":"mit","name":"x","category":"permissive","fsf":"libre"}],"exceptions"`, 1),
		"exception clashes": strings.Replace(ok, `"exceptions":[]`, `"exceptions":[{"id":"MIT"}]`, 1),
		"no licences":       `{"spdxListVersion":"3.28.0","revision":1,"licenses":[]}`,
	} {
		if _, err := parseLicenseTable([]byte(in)); err == nil {
			t.Errorf("%s: parsed without error", name)
		}
	}
}
