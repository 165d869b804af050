package sill

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// migrationsYAML is the knowledge base of proprietary products and their
// SILL alternatives; its header documents every key and the sources.
//
//go:embed data/migrations.yaml
var migrationsYAML []byte

// Product is a proprietary product that a host may run, how to recognise
// it, and the SILL entries that can replace it.
type Product struct {
	// Name is the product's common name, e.g. "Microsoft Office".
	Name string `yaml:"name"`
	// Vendor is who sells it, e.g. "Microsoft".
	Vendor string `yaml:"vendor"`
	// Category is the kind of software, in English, e.g. "office suite".
	Category string `yaml:"category"`
	// Wikidata is the product's Wikidata item, e.g. "Q11255"; empty when
	// not checked. It joins the product with the live catalogue's
	// similarExternalSoftwares.
	Wikidata string `yaml:"wikidata,omitempty"`
	// Names are other names of the product, used for the same join.
	Names []string `yaml:"names,omitempty"`

	// Windows patterns recognise the product in the uninstall registry;
	// Winget are its Windows Package Manager identifiers (exact, without
	// regard to case).
	Windows []WindowsPattern `yaml:"windows,omitempty"`
	Winget  []string         `yaml:"winget,omitempty"`
	// Deb, RPM, MacOS, Flatpak and Snap are exact package names, bundle
	// ids, application ids and snap names.
	Deb     []string `yaml:"deb,omitempty"`
	RPM     []string `yaml:"rpm,omitempty"`
	MacOS   []string `yaml:"macos,omitempty"`
	Flatpak []string `yaml:"flatpak,omitempty"`
	Snap    []string `yaml:"snap,omitempty"`

	// Alternatives are the SILL entries that can replace the product,
	// best first. Empty (never nil after parsing) when the catalogue has
	// none: the product is still reported.
	Alternatives []AlternativeRef `yaml:"alternatives"`
	// NotInSill names free alternatives the 2022 SILL does not list.
	NotInSill []string `yaml:"notInSill,omitempty"`
	// Source says where a non-obvious fact comes from.
	Source string `yaml:"source,omitempty"`
	// Note explains a choice, for people reading the table.
	Note string `yaml:"note,omitempty"`
	// FromCatalog is true for a product that exists only because a
	// catalogue entry lists it among its similarExternalSoftwares (see
	// MigrationKB.Merge). Such a product has no identification patterns:
	// only its name identifies it.
	FromCatalog bool `yaml:"-"`
}

// AlternativeRef is one SILL entry proposed to replace a product.
type AlternativeRef struct {
	Ref `yaml:",inline"`
	// Why is a one-line rationale, e.g. "Full office suite; ...".
	Why string `yaml:"why"`
}

// MigrationKB is the knowledge base of data/migrations.yaml.
type MigrationKB struct {
	// Products are tried in order: a more specific product comes first.
	Products []Product `yaml:"products"`
}

// Migrations returns the embedded knowledge base. It is parsed on first
// use and shared: callers must not modify it (Merge returns a copy). It
// never fails: TestMigrations guarantees that the embedded data is valid.
func Migrations() *MigrationKB { return embeddedMigrations() }

var embeddedMigrations = sync.OnceValue(func() *MigrationKB {
	kb, err := ParseMigrations(migrationsYAML)
	if err != nil {
		panic("sill: embedded migrations.yaml: " + err.Error())
	}
	return kb
})

// ParseMigrations decodes and validates a knowledge base in the format of
// data/migrations.yaml. Unknown keys are errors.
func ParseMigrations(data []byte) (*MigrationKB, error) {
	var kb MigrationKB
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&kb); err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	for i := range kb.Products {
		if kb.Products[i].Alternatives == nil {
			kb.Products[i].Alternatives = []AlternativeRef{}
		}
	}
	if err := kb.Validate(); err != nil {
		return nil, err
	}
	return &kb, nil
}

// Validate checks that every product has a unique name, a category and at
// least one way to be recognised, that its patterns compile and are
// anchored, and that every alternative names a SILL id with a name. Whether
// the ids exist is a property of a catalogue, checked by the tests against
// the embedded snapshot.
func (kb *MigrationKB) Validate() error {
	var errs []error
	seen := map[string]bool{}
	for _, p := range kb.Products {
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("migrations: product %q: %s", p.Name, fmt.Sprintf(format, args...)))
		}
		if strings.TrimSpace(p.Name) == "" {
			bad("no name")
		}
		if seen[NameKey(p.Name)] {
			bad("duplicate product")
		}
		seen[NameKey(p.Name)] = true
		if p.Category == "" || p.Vendor == "" {
			bad("no category or vendor")
		}
		if p.Wikidata != "" && !wikidataQID.MatchString(p.Wikidata) {
			bad("wikidata %q is not a Q-id", p.Wikidata)
		}
		if !p.FromCatalog && len(p.Windows)+len(p.Winget)+len(p.Deb)+len(p.RPM)+len(p.MacOS)+len(p.Flatpak)+len(p.Snap) == 0 {
			bad("no way to recognise it")
		}
		for _, w := range p.Windows {
			if err := checkWindows(w); err != nil {
				bad("%v", err)
			}
		}
		for _, list := range [][]string{p.Deb, p.RPM, p.MacOS, p.Flatpak, p.Snap, p.Winget} {
			for _, s := range list {
				if s == "" || strings.TrimSpace(s) != s || strings.HasPrefix(s, "^") {
					bad("%q is not an exact name", s)
				}
			}
		}
		ids := map[int]bool{}
		for _, a := range p.Alternatives {
			if a.ID <= 0 || a.Name == "" {
				bad("alternative %s: no id or name", a.Ref)
			}
			if ids[a.ID] {
				bad("alternative %s listed twice", a.Ref)
			}
			ids[a.ID] = true
			if !p.FromCatalog && strings.TrimSpace(a.Why) == "" {
				bad("alternative %s: no rationale", a.Ref)
			}
		}
	}
	return errors.Join(errs...)
}

// Merge returns a copy of kb completed with cat's similarExternalSoftwares:
// each proprietary item that a catalogue entry lists as similar makes that
// entry an alternative to the item. The item joins the product with the
// same Wikidata id, else the product one of whose names is the item's
// name once normalised; an item that joins no product becomes a new
// product (FromCatalog), recognised by its name alone. Alternatives the
// knowledge base already gives keep their place; the catalogue's come
// after them, in catalogue order. kb itself is not modified.
func (kb *MigrationKB) Merge(cat *Catalog) *MigrationKB {
	out := &MigrationKB{Products: make([]Product, len(kb.Products))}
	for i, p := range kb.Products {
		p.Alternatives = slices.Clone(p.Alternatives)
		out.Products[i] = p
	}
	find := func(sim SimilarSoftware) int {
		if id := strings.TrimSpace(sim.ExternalID); id != "" {
			for i, p := range out.Products {
				if p.Wikidata == id {
					return i
				}
			}
		}
		titles := slices.Concat(sim.Label.all(), sim.Name.all())
		for i, p := range out.Products {
			for _, n := range append([]string{p.Name}, p.Names...) {
				for _, t := range titles {
					if k := NameKey(t); k != "" && k == NameKey(n) {
						return i
					}
				}
			}
		}
		return -1
	}
	for _, s := range cat.Software {
		for _, sim := range s.SimilarProprietary() {
			title := strings.TrimSpace(sim.Title())
			if title == "" {
				continue
			}
			i := find(sim)
			if i < 0 {
				p := Product{
					Name:         title,
					Vendor:       "unknown",
					Category:     catalogCategory(s),
					Names:        slices.Concat(sim.Label.all(), sim.Name.all()),
					Alternatives: []AlternativeRef{},
					FromCatalog:  true,
				}
				if wikidataQID.MatchString(strings.TrimSpace(sim.ExternalID)) {
					p.Wikidata = strings.TrimSpace(sim.ExternalID)
				}
				out.Products = append(out.Products, p)
				i = len(out.Products) - 1
			}
			p := &out.Products[i]
			ref := Ref{ID: s.ID, Name: s.Name, Wikidata: s.WikidataID()}
			if slices.ContainsFunc(p.Alternatives, func(a AlternativeRef) bool { return sameEntry(a.Ref, ref) }) {
				continue
			}
			p.Alternatives = append(p.Alternatives, AlternativeRef{
				Ref: ref,
				Why: fmt.Sprintf("The SILL lists it as similar to %s.", title),
			})
		}
	}
	return out
}

// sameEntry reports whether two references name the same SILL entry:
// same Wikidata id, or same id with compatible names.
func sameEntry(a, b Ref) bool {
	if a.Wikidata != "" && a.Wikidata == b.Wikidata {
		return true
	}
	return a.ID == b.ID && compatibleNames(a.Name, b.Name, nil)
}

// catalogCategory describes a catalogue-only product by its free
// alternative's category, in the catalogue's language.
func catalogCategory(s Software) string {
	if len(s.Categories) > 0 && s.Categories[0] != "" {
		return s.Categories[0]
	}
	if s.Description != "" {
		return s.Description
	}
	return "other"
}
