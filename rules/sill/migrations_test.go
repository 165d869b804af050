package sill

import (
	"strings"
	"testing"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/rules"
)

// TestMigrations checks the embedded knowledge base against the embedded
// 2022 snapshot: every alternative is an existing SILL entry whose name and
// Wikidata id agree, that is still recommended or in observation, whose
// licence is not proprietary, and that is not itself one of the products.
func TestMigrations(t *testing.T) {
	kb := Migrations()
	cat := Embedded()
	res := NewResolver(cat)
	products := map[string]string{}
	for _, p := range kb.Products {
		for _, n := range append([]string{p.Name}, p.Names...) {
			products[NameKey(n)] = p.Name
		}
	}
	lic := rules.Licenses()
	for _, p := range kb.Products {
		if len(p.Alternatives) == 0 && len(p.NotInSill) == 0 {
			t.Errorf("%s: no alternative, in the SILL or not", p.Name)
		}
		for _, a := range p.Alternatives {
			s, ok := cat.ByID(a.ID)
			if !ok {
				t.Errorf("%s: alternative %s: no SILL entry with that id", p.Name, a.Ref)
				continue
			}
			if NameKey(s.Name) != NameKey(a.Name) {
				t.Errorf("%s: alternative %s: the snapshot names id %d %q", p.Name, a.Ref, a.ID, s.Name)
			}
			if q := s.WikidataID(); q != a.Wikidata {
				t.Errorf("%s: alternative %s: wikidata %q, the snapshot says %q", p.Name, a.Ref, a.Wikidata, q)
			}
			if got, ok := res.Resolve(a.Ref); !ok || got.ID != a.ID {
				t.Errorf("%s: alternative %s resolves to %d", p.Name, a.Ref, got.ID)
			}
			if s.Status() == StatusNoLongerRecommended {
				t.Errorf("%s: alternative %s is no longer recommended", p.Name, a.Ref)
			}
			if o, ok := products[NameKey(s.Name)]; ok {
				t.Errorf("%s: alternative %s is the proprietary product %s", p.Name, a.Ref, o)
			}
			n := rules.NormalizeLicense(s.License)
			switch cat := lic.CategoryOf(n.Expression); {
			case n.Expression == "":
				t.Logf("%s: alternative %s: licence %q not mapped to SPDX; a SILL entry is free software by definition", p.Name, a.Ref, s.License)
			case cat == sillage.CategoryProprietary:
				t.Errorf("%s: alternative %s has a proprietary licence %q", p.Name, a.Ref, s.License)
			}
		}
	}
}

// TestMigrationsDoNotOverlapAliases checks that no package name, bundle id
// or application id is both a proprietary product and a SILL alias.
func TestMigrationsDoNotOverlapAliases(t *testing.T) {
	alias := map[string]Ref{}
	for _, e := range Aliases().Entries {
		for eco, names := range map[string][]string{"deb": e.Deb, "rpm": e.RPM, "macos": e.MacOS, "flatpak": e.Flatpak, "snap": e.Snap} {
			for _, n := range names {
				alias[eco+":"+strings.ToLower(n)] = e.Ref
			}
		}
	}
	for _, p := range Migrations().Products {
		for eco, names := range map[string][]string{"deb": p.Deb, "rpm": p.RPM, "macos": p.MacOS, "flatpak": p.Flatpak, "snap": p.Snap} {
			for _, n := range names {
				if r, ok := alias[eco+":"+strings.ToLower(n)]; ok {
					t.Errorf("%s %s is both the product %s and the SILL entry %s", eco, n, p.Name, r)
				}
			}
		}
	}
}

// TestParseMigrationsRejects pins what Validate refuses.
func TestParseMigrationsRejects(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"unanchored", `products: [{name: X, vendor: V, category: c, windows: [{name: 'X'}], alternatives: []}]`, "does not start with ^"},
		{"unrecognisable", `products: [{name: X, vendor: V, category: c, alternatives: []}]`, "no way to recognise it"},
		{"no rationale", `products: [{name: X, vendor: V, category: c, deb: [x], alternatives: [{sill: 1, name: 7zip}]}]`, "no rationale"},
		{"duplicate", `products: [{name: X, vendor: V, category: c, deb: [x]}, {name: x, vendor: V, category: c, deb: [y]}]`, "duplicate product"},
		{"unknown key", `products: [{name: X, vendor: V, category: c, debian: [x]}]`, "field debian not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseMigrations([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestMergeSimilar merges the live fixture's similarExternalSoftwares:
// LibreOffice's "Microsoft Office" joins the Microsoft Office product by
// Wikidata id (LibreOffice already there: not duplicated), 7-Zip's
// "WinRAR" joins WinRAR by name, and an item no product knows becomes a
// catalogue-only product.
func TestMergeSimilar(t *testing.T) {
	live, err := LoadFile("testdata/live-sill.json")
	if err != nil {
		t.Fatal(err)
	}
	kb := Migrations()
	merged := kb.Merge(live)
	byName := map[string]Product{}
	for _, p := range merged.Products {
		byName[p.Name] = p
	}
	ids := func(p Product) []int {
		var out []int
		for _, a := range p.Alternatives {
			out = append(out, a.ID)
		}
		return out
	}
	office := byName["Microsoft Office"]
	if got := ids(office); len(got) != 2 || got[0] != 78 {
		t.Errorf("Microsoft Office alternatives %v, want [78 79] (no duplicate)", got)
	}
	if got := ids(byName["WinRAR"]); len(got) != 1 || got[0] != 1 {
		t.Errorf("WinRAR alternatives %v, want [1]", got)
	}
	chrome := byName["Google Chrome"]
	if got := ids(chrome); len(got) != 2 || got[0] != 89 {
		t.Errorf("Google Chrome alternatives %v, want [89 22]", got)
	}
	if len(merged.Products) < len(kb.Products) {
		t.Fatalf("merge lost products")
	}
	if len(kb.Products[0].Alternatives) != 2 {
		t.Errorf("Merge modified the shared knowledge base")
	}
	// Adobe Photoshop (GIMP's similar item in the fixture) is known by name.
	if got := ids(byName["Adobe Photoshop"]); len(got) != 1 || got[0] != 51 {
		t.Errorf("Adobe Photoshop alternatives %v, want [51]", got)
	}

	extra, err := Load(strings.NewReader(`[
	  {"id": 93, "name": "Nextcloud", "similarExternalSoftwares": [
	    {"externalId": "Q99999999", "sourceSlug": "wikidata", "name": {"en": "Box Drive"}, "isLibreSoftware": false},
	    {"externalId": "Q1", "sourceSlug": "wikidata", "name": {"en": "Seafile"}, "isLibreSoftware": true}
	  ]}
	]`), Source{Kind: SourceFile, Path: "extra.json"})
	if err != nil {
		t.Fatal(err)
	}
	m2 := kb.Merge(extra)
	last := m2.Products[len(m2.Products)-1]
	if !last.FromCatalog || last.Name != "Box Drive" || last.Wikidata != "Q99999999" || len(last.Alternatives) != 1 || last.Alternatives[0].ID != 93 {
		t.Errorf("catalogue-only product %+v", last)
	}
	if len(m2.Products) != len(kb.Products)+1 {
		t.Errorf("a free similar item (Seafile) became a product")
	}
	if err := m2.Validate(); err != nil {
		t.Errorf("merged knowledge base is invalid: %v", err)
	}
}
