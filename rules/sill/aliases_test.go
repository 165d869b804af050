package sill

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestAliases checks the embedded alias table against the embedded 2022
// snapshot: every entry names an existing SILL id, its name and Wikidata
// id agree with the snapshot's, and it resolves to itself.
func TestAliases(t *testing.T) {
	tab := Aliases()
	cat := Embedded()
	res := NewResolver(cat)
	for _, e := range tab.Entries {
		s, ok := cat.ByID(e.ID)
		if !ok {
			t.Errorf("%s: no SILL entry with id %d in the 2022 snapshot", e.Ref, e.ID)
			continue
		}
		if NameKey(s.Name) != NameKey(e.Name) {
			t.Errorf("%s: the snapshot names id %d %q", e.Ref, e.ID, s.Name)
		}
		if q := s.WikidataID(); q != e.Wikidata {
			t.Errorf("%s: wikidata %q, the snapshot says %q", e.Ref, e.Wikidata, q)
		}
		if got, ok := res.Resolve(e.Ref, e.Names...); !ok || got.ID != e.ID {
			t.Errorf("%s: resolves to %d (%v)", e.Ref, got.ID, ok)
		}
	}
}

// TestAliasCoverage is the floor: at least 120 SILL entries with
// names in some ecosystem. It logs the per-ecosystem counts.
func TestAliasCoverage(t *testing.T) {
	covered := 0
	per := map[string]int{}
	for _, e := range Aliases().Entries {
		has := false
		for _, eco := range Ecosystems {
			if e.Covers(eco) {
				per[eco]++
				has = true
			}
		}
		if has {
			covered++
		}
	}
	if covered < 120 {
		t.Errorf("%d SILL entries covered, want at least 120", covered)
	}
	var parts []string
	for _, eco := range Ecosystems {
		parts = append(parts, eco+"="+strconv.Itoa(per[eco]))
	}
	t.Logf("%d SILL entries covered; per ecosystem: %s", covered, strings.Join(parts, " "))
}

// TestAliasPatterns checks every regular expression: it compiles, starts
// with ^, and (for package names) ends with $ unless a source restricts
// it. Validate enforces the same; this test says which pattern fails.
func TestAliasPatterns(t *testing.T) {
	check := func(e AliasEntry, re string, whole bool) {
		t.Helper()
		if _, err := regexp.Compile(re); err != nil {
			t.Errorf("%s: %q: %v", e.Ref, re, err)
		}
		if !strings.HasPrefix(re, "^") {
			t.Errorf("%s: %q is not anchored with ^", e.Ref, re)
		}
		if whole && !strings.HasSuffix(re, "$") {
			t.Errorf("%s: %q does not end with $", e.Ref, re)
		}
	}
	n := 0
	for _, e := range Aliases().Entries {
		for _, p := range slices.Concat(e.DebPattern, e.RPMPattern) {
			check(e, p.Name, p.Source == "")
			n++
			if strings.HasPrefix(p.Source, "^") {
				check(e, p.Source, true)
			}
		}
		for _, list := range [][]string{e.DebSource, e.RPMSource, e.NPM, e.PyPI, e.Maven, e.Composer, e.Gem, e.Golang, e.NuGet} {
			for _, s := range list {
				if strings.HasPrefix(s, "^") {
					check(e, s, true)
					n++
				}
			}
		}
		for _, w := range e.Windows {
			check(e, w.Name, false)
			n++
			if w.Publisher != "" {
				check(e, w.Publisher, false)
			}
		}
		for _, x := range e.Exclude {
			check(e, x, false)
		}
	}
	t.Logf("%d patterns", n)
}

// TestAliasKeysAreUnique checks that no exact name is claimed by two
// entries in the same ecosystem, so that an exact match is never a tie.
func TestAliasKeysAreUnique(t *testing.T) {
	owner := map[string]Ref{}
	claim := func(e AliasEntry, eco string, names []string, fold bool) {
		for _, n := range names {
			if strings.HasPrefix(n, "^") {
				continue
			}
			k := eco + ":" + n
			if fold {
				k = strings.ToLower(k)
			}
			if o, ok := owner[k]; ok && o.ID != e.ID {
				t.Errorf("%s is claimed by %s and %s", k, o, e.Ref)
			}
			owner[k] = e.Ref
		}
	}
	for _, e := range Aliases().Entries {
		claim(e, "deb", e.Deb, false)
		claim(e, "debsrc", e.DebSource, false)
		claim(e, "rpm", e.RPM, false)
		claim(e, "rpmsrc", e.RPMSource, false)
		claim(e, "npm", e.NPM, true)
		claim(e, "pypi", e.PyPI, true)
		claim(e, "maven", e.Maven, true)
		claim(e, "composer", e.Composer, true)
		claim(e, "gem", e.Gem, true)
		claim(e, "golang", e.Golang, false)
		claim(e, "binary", e.Binary, true)
		claim(e, "macos", e.MacOS, true)
		claim(e, "flatpak", e.Flatpak, true)
		claim(e, "snap", e.Snap, true)
		claim(e, "name", keys(e.Names), false)
	}
}

func keys(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = NameKey(n)
	}
	return out
}

// TestParseAliasesRejects pins what Validate refuses.
func TestParseAliasesRejects(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"bare prefix", `entries: [{sill: 52, name: Git, debPattern: [{name: '^git'}]}]`, "does not end with $"},
		{"unanchored", `entries: [{sill: 52, name: Git, debPattern: [{name: 'git$'}]}]`, "does not start with ^"},
		{"unanchored windows", `entries: [{sill: 52, name: Git, windows: [{name: 'Git'}]}]`, "does not start with ^"},
		{"bad regex", `entries: [{sill: 52, name: Git, windows: [{name: '^Git(('}]}]`, "missing closing )"},
		{"unknown key", `entries: [{sill: 52, name: Git, debian: [git]}]`, "field debian not found"},
		{"duplicate id", `entries: [{sill: 52, name: Git}, {sill: 52, name: Git}]`, "duplicate sill id"},
		{"pattern among exact names", `entries: [{sill: 52, name: Git, deb: ['^git$']}]`, "not an exact name"},
		{"bad wikidata", `entries: [{sill: 52, name: Git, wikidata: Git}]`, "not a Q-id"},
		{"unknown ecosystem", `entries: [{sill: 52, name: Git, noVersionCheck: [debian]}]`, "unknown ecosystem"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseAliases([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	if _, err := ParseAliases([]byte(`entries: [{sill: 52, name: Git, debPattern: [{name: '^git-', source: git}]}]`)); err != nil {
		t.Errorf("a prefix restricted to a source is allowed: %v", err)
	}
}

// TestResolveLiveCatalogue resolves references in catalogues whose names
// and ids differ from the 2022 snapshot's.
func TestResolveLiveCatalogue(t *testing.T) {
	live, err := LoadFile("testdata/live-sill.json")
	if err != nil {
		t.Fatal(err)
	}
	r := NewResolver(live)
	for _, tc := range []struct {
		ref  Ref
		want int
	}{
		{Ref{89, "Mozilla Firefox ESR", "Q698"}, 89}, // renamed "Mozilla Firefox"
		{Ref{1, "7zip", "Q215051"}, 1},               // renamed "7-Zip"
		{Ref{78, "LibreOffice", "Q10135"}, 78},
		{Ref{118, "PostgreSQL", "Q192490"}, 0}, // not in the fixture
	} {
		got, ok := r.Resolve(tc.ref)
		if (tc.want == 0) == ok || got.ID != tc.want {
			t.Errorf("Resolve(%s) = %d, %v; want %d", tc.ref, got.ID, ok, tc.want)
		}
	}

	// A catalogue whose ids moved: Wikidata wins; an id now used by another
	// software does not resolve; a name alone resolves when unique.
	moved, err := Load(strings.NewReader(`[
	  {"id": 900, "name": "LibreOffice", "softwareExternalData": {"externalId": "Q10135", "sourceSlug": "wikidata"}},
	  {"id": 78, "name": "Something Else", "softwareExternalData": {"externalId": "Q1", "sourceSlug": "wikidata"}},
	  {"id": 901, "name": "GIMP"},
	  {"id": 902, "name": "Survey", "softwareExternalData": {"externalId": "Q3104570", "sourceSlug": "wikidata"}},
	  {"id": 54, "name": "GLPI", "softwareExternalData": {"externalId": "Q3104570", "sourceSlug": "wikidata"}}
	]`), Source{Kind: SourceFile, Path: "moved.json"})
	if err != nil {
		t.Fatal(err)
	}
	r = NewResolver(moved)
	for _, tc := range []struct {
		ref  Ref
		want int
	}{
		{Ref{78, "LibreOffice", "Q10135"}, 900},
		{Ref{51, "GIMP", "Q8038"}, 901},
		{Ref{54, "GLPI", "Q3104570"}, 54}, // two entries share the Q-id: the id decides
		{Ref{61, "Inkscape", "Q8041"}, 0},
	} {
		got, ok := r.Resolve(tc.ref)
		if (tc.want == 0) == ok || got.ID != tc.want {
			t.Errorf("moved: Resolve(%s) = %d, %v; want %d", tc.ref, got.ID, ok, tc.want)
		}
	}
	if got, ok := (Ref{78, "LibreOffice", ""}).Resolve(moved); !ok || got.ID != 900 {
		t.Errorf("a name-only reference whose id is taken resolves to %d, %v; want 900 by name", got.ID, ok)
	}
}
