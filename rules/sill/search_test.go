package sill

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func ids(sw []Software) []int {
	out := make([]int, len(sw))
	for i, s := range sw {
		out[i] = s.ID
	}
	return out
}

func TestSearchEmbedded(t *testing.T) {
	c := Embedded()
	tests := []struct {
		query string
		first int   // id expected first; 0: no result
		has   []int // ids expected among the results
	}{
		{query: "libreoffice", first: 78},
		{query: "LIBREOFFICE", first: 78},
		{query: "Libre Office", first: 78},
		{query: "navigateur", first: 89, has: []int{89}}, // function "Navigateur web"
		{query: "Navigateur web", first: 89},
		{query: "78", first: 78},
		{query: "Mozilla Firefox ESR", first: 89},
		{query: "firefox", first: 89, has: []int{57, 71}}, // Grammalecte and KeeFox extend Firefox
		{query: "7-zip", first: 1},
		{query: "courrielleur", first: 147},
		{query: "zzzz-nothing-like-it", first: 0},
		{query: "  ", first: 0},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got := c.Search(tt.query)
			if tt.first == 0 {
				if got != nil {
					t.Fatalf("Search(%q) = %v, want nil", tt.query, ids(got))
				}
				return
			}
			if len(got) == 0 || got[0].ID != tt.first {
				t.Fatalf("Search(%q) = %v, want %d first", tt.query, ids(got), tt.first)
			}
			for _, id := range tt.has {
				if !slices.Contains(ids(got), id) {
					t.Errorf("Search(%q) = %v, lacks %d", tt.query, ids(got), id)
				}
			}
		})
	}
}

// TestSearchAccents: accents and case do not matter, either way round.
// The 2022 functions of BlueGriffon (18), Notepad++ (97) and GNU Emacs
// (174) start with "Éditeur".
func TestSearchAccents(t *testing.T) {
	c := Embedded()
	// VS Code (155) only by its Wikidata description, "Editeur de code".
	for _, q := range []string{"éditeur", "editeur", "EDITEUR", "Éditeur"} {
		got := ids(c.Search(q))
		if diff := cmp.Diff([]int{18, 97, 155, 174}, slices.Sorted(slices.Values(got))); diff != "" {
			t.Errorf("Search(%q) (-want +got):\n%s", q, diff)
		}
		if len(got) > 0 && got[len(got)-1] != 155 {
			t.Errorf("Search(%q) = %v, want 155 (external data only) last", q, got)
		}
	}
	// "édition" (in "Consultation et édition de documents") is found
	// without its accent too.
	if a, b := ids(c.Search("édition")), ids(c.Search("edition")); len(a) < 10 || !slices.Equal(a, b) {
		t.Errorf("édition: %d results, edition: %d", len(a), len(b))
	}
	if got := fold("ÉÈÊËÀÂÇÎÏÔÛÙÜŸŒÆ"); got != "eeeeaaciiouuuyoeae" {
		t.Errorf("fold = %q", got)
	}
}

// TestSearchWordStart: a word found at the start of a word ranks above
// one found inside another: "visio" is BigBlueButton's, Element's and
// Jitsi's "visioconférence" before Centreon's "supervision".
func TestSearchWordStart(t *testing.T) {
	got := ids(Embedded().Search("visio"))
	if len(got) < 4 {
		t.Fatalf("visio = %v", got)
	}
	if diff := cmp.Diff([]int{67, 196, 237}, slices.Sorted(slices.Values(got[:3]))); diff != "" {
		t.Errorf("visio, first three (-want +got):\n%s", diff)
	}
	if i := slices.Index(got, 20); i < 3 {
		t.Errorf("visio = %v: Centreon (20) at %d", got, i)
	}
}

func TestSearchLive(t *testing.T) {
	c := loadFixture(t, "live-sill.json")
	// "photoshop" is no SILL entry's name, but GIMP lists it as similar.
	if diff := cmp.Diff([]int{51}, ids(c.Search("photoshop"))); diff != "" {
		t.Errorf("photoshop (-want +got):\n%s", diff)
	}
	// "office": LibreOffice by name first, then the others by weaker fields.
	got := ids(c.Search("office"))
	if len(got) == 0 || got[0] != 78 {
		t.Errorf("office = %v, want 78 first", got)
	}
	// Keywords count: "tableur" is a LibreOffice keyword.
	if diff := cmp.Diff([]int{78}, ids(c.Search("tableur"))); diff != "" {
		t.Errorf("tableur (-want +got):\n%s", diff)
	}
	// Every word must match: "dessin vectoriel" is Inkscape, not GIMP.
	if diff := cmp.Diff([]int{61}, ids(c.Search("dessin vectoriel"))); diff != "" {
		t.Errorf("dessin vectoriel (-want +got):\n%s", diff)
	}
	// Ties rank recommended before in observation: both GIMP (51) and
	// Inkscape (61) are "Éditeur ..." by description.
	if diff := cmp.Diff([]int{51, 61}, ids(c.Search("editeur"))); diff != "" {
		t.Errorf("editeur (-want +got):\n%s", diff)
	}
}

func TestLookup(t *testing.T) {
	c := Embedded()
	tests := []struct {
		query string
		want  []int
	}{
		{"78", []int{78}},
		{" 78 ", []int{78}},
		{"LibreOffice", []int{78}},
		{"libreoffice", []int{78}},
		{"libre office", []int{78}},
		{"Mozilla Firefox ESR", []int{89}},
		{"mozilla firefox esr", []int{89}},
		{"Grammalecte", []int{56, 57}}, // names are not unique
		{"Firefox", nil},               // a search, not a lookup
		{"999", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got := c.Lookup(tt.query)
		if diff := cmp.Diff(tt.want, ids(got), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Lookup(%q) (-want +got):\n%s", tt.query, diff)
		}
	}
	// A catalogue built by hand (no index) still answers.
	hand := &Catalog{Software: []Software{{ID: 5, Name: "Five"}}}
	if s, ok := hand.ByID(5); !ok || s.Name != "Five" {
		t.Error("ByID on a hand-built catalogue")
	}
	if _, ok := hand.ByID(6); ok {
		t.Error("ByID(6) found something")
	}
}
