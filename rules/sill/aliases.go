package sill

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// aliasesYAML is the curated alias table; its header documents every key
// and where the names come from.
//
//go:embed data/aliases.yaml
var aliasesYAML []byte

// Ref names a SILL entry so that the reference survives a catalogue in
// which ids or names moved: by SILL id, with the entry's name and Wikidata
// id as a cross-check. See Resolver.
type Ref struct {
	// ID is the SILL id in the 2022 snapshot, e.g. 78.
	ID int `yaml:"sill"`
	// Name is the entry's name in the 2022 snapshot, e.g. "LibreOffice".
	Name string `yaml:"name"`
	// Wikidata is the entry's Wikidata Q-id, e.g. "Q10135"; empty when the
	// snapshot has none.
	Wikidata string `yaml:"wikidata,omitempty"`
}

// String returns "LibreOffice (78)".
func (r Ref) String() string { return fmt.Sprintf("%s (%d)", r.Name, r.ID) }

// PackagePattern matches binary package names with a regular expression,
// optionally only among the binaries of one source package.
type PackagePattern struct {
	// Name is a regular expression anchored with "^", e.g. "^libreoffice-".
	// It must also end with "$" unless Source restricts it.
	Name string `yaml:"name"`
	// Source, when set, is the source package the binary must come from:
	// an exact name, or a regular expression when it starts with "^".
	Source string `yaml:"source,omitempty"`
}

// WindowsPattern recognises a program in the Windows uninstall registry.
type WindowsPattern struct {
	// Name is a regular expression on DisplayName, anchored with "^",
	// matched without regard to case, e.g. "^VLC media player".
	Name string `yaml:"name"`
	// Publisher, when set, is a regular expression on Publisher, anchored
	// with "^". A component whose publisher is known must match it.
	Publisher string `yaml:"publisher,omitempty"`
}

// AliasEntry lists the names under which one SILL entry is installed.
// Exact names are compared as the ecosystem spells them (Debian, RPM, Go)
// or without regard to case (npm, PyPI, Maven, Composer, Windows, macOS,
// Flatpak); strings starting with "^" are anchored regular expressions.
type AliasEntry struct {
	Ref `yaml:",inline"`
	// Names are other product names, compared after normalisation with the
	// names of Windows, macOS and binary components.
	Names []string `yaml:"names,omitempty"`

	// Deb and RPM are exact binary package names; DebSource and RPMSource
	// source package names (or "^...$" patterns) whose binaries are the
	// product; DebPattern and RPMPattern anchored binary-name patterns.
	Deb        []string         `yaml:"deb,omitempty"`
	DebSource  []string         `yaml:"debSource,omitempty"`
	DebPattern []PackagePattern `yaml:"debPattern,omitempty"`
	RPM        []string         `yaml:"rpm,omitempty"`
	RPMSource  []string         `yaml:"rpmSource,omitempty"`
	RPMPattern []PackagePattern `yaml:"rpmPattern,omitempty"`

	// NPM ("@scope/name"), PyPI, Maven ("group:artifact"), Composer
	// ("vendor/name"), Gem, Golang (module path), NuGet and Binary (the
	// names syft's binary classifiers give) are exact names, or "^...$"
	// patterns, in those ecosystems.
	NPM      []string `yaml:"npm,omitempty"`
	PyPI     []string `yaml:"pypi,omitempty"`
	Maven    []string `yaml:"maven,omitempty"` // group:artifact
	Composer []string `yaml:"composer,omitempty"`
	Gem      []string `yaml:"gem,omitempty"`
	Golang   []string `yaml:"golang,omitempty"`
	NuGet    []string `yaml:"nuget,omitempty"`
	Binary   []string `yaml:"binary,omitempty"`

	// Windows patterns recognise the product in the uninstall registry;
	// Winget are Windows Package Manager identifiers ("VideoLAN.VLC";
	// without regard to case; a string starting with "^" is an anchored
	// pattern over the lower-cased identifier); MacOS are
	// CFBundleIdentifier values, Flatpak application ids, Snap store
	// names.
	Windows []WindowsPattern `yaml:"windows,omitempty"`
	Winget  []string         `yaml:"winget,omitempty"`
	MacOS   []string         `yaml:"macos,omitempty"`
	Flatpak []string         `yaml:"flatpak,omitempty"`
	Snap    []string         `yaml:"snap,omitempty"`

	// Exclude are regular expressions of binary package names that the
	// source aliases must not claim.
	Exclude []string `yaml:"exclude,omitempty"`
	// NoVersionCheck names the ecosystems ("deb", "windows"... or "all")
	// whose component version is not the version the SILL minimum speaks
	// of, so that no version finding is raised from them.
	NoVersionCheck []string `yaml:"noVersionCheck,omitempty"`
	// Note explains a choice, for people reading the table.
	Note string `yaml:"note,omitempty"`
}

// Ecosystems are the keys an AliasEntry has names for, and the values
// NoVersionCheck accepts besides "all".
var Ecosystems = []string{"deb", "rpm", "npm", "pypi", "maven", "composer", "gem", "golang", "nuget", "binary", "windows", "macos", "flatpak", "snap"}

// Covers reports whether the entry has names in ecosystem eco ("deb"
// includes source names and patterns).
func (e AliasEntry) Covers(eco string) bool {
	switch eco {
	case "deb":
		return len(e.Deb)+len(e.DebSource)+len(e.DebPattern) > 0
	case "rpm":
		return len(e.RPM)+len(e.RPMSource)+len(e.RPMPattern) > 0
	case "npm":
		return len(e.NPM) > 0
	case "pypi":
		return len(e.PyPI) > 0
	case "maven":
		return len(e.Maven) > 0
	case "composer":
		return len(e.Composer) > 0
	case "gem":
		return len(e.Gem) > 0
	case "golang":
		return len(e.Golang) > 0
	case "nuget":
		return len(e.NuGet) > 0
	case "binary":
		return len(e.Binary) > 0
	case "windows":
		return len(e.Windows)+len(e.Winget) > 0
	case "macos":
		return len(e.MacOS) > 0
	case "flatpak":
		return len(e.Flatpak) > 0
	case "snap":
		return len(e.Snap) > 0
	}
	return false
}

// VersionChecked reports whether the version of a component of ecosystem
// eco, matched through this entry, is the product's version.
func (e AliasEntry) VersionChecked(eco string) bool {
	return !slices.Contains(e.NoVersionCheck, "all") && !slices.Contains(e.NoVersionCheck, eco)
}

// AliasTable is the curated table of data/aliases.yaml.
type AliasTable struct {
	// AmbiguousNames are SILL names, normalised (lower case, letters and
	// digits), that name equality never uses: "dash" is also Debian's
	// shell.
	AmbiguousNames []string `yaml:"ambiguousNames"`
	// Entries are sorted by SILL id in the file; ids are unique.
	Entries []AliasEntry `yaml:"entries"`
}

// Aliases returns the embedded alias table. It is parsed on first use and
// shared: callers must not modify it. It never fails: TestAliases
// guarantees that the embedded table is valid.
func Aliases() *AliasTable { return embeddedAliases() }

var embeddedAliases = sync.OnceValue(func() *AliasTable {
	t, err := ParseAliases(aliasesYAML)
	if err != nil {
		panic("sill: embedded aliases.yaml: " + err.Error())
	}
	return t
})

// ParseAliases decodes and validates an alias table in the format of
// data/aliases.yaml. Unknown keys are errors, so that a typo does not
// silently drop names.
func ParseAliases(data []byte) (*AliasTable, error) {
	var t AliasTable
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("aliases: %w", err)
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return &t, nil
}

// Validate checks that ids are positive and unique, that names are set,
// that every regular expression compiles and is anchored (package
// patterns end with "$" unless a source restricts them, so that a bare
// prefix never matches), and that NoVersionCheck names known ecosystems.
// It returns every problem found, each naming the entry.
func (t *AliasTable) Validate() error {
	var errs []error
	seen := map[int]bool{}
	for _, e := range t.Entries {
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("aliases: entry %s: %s", e.Ref, fmt.Sprintf(format, args...)))
		}
		if e.ID <= 0 {
			bad("sill id must be positive")
		}
		if seen[e.ID] {
			bad("duplicate sill id")
		}
		seen[e.ID] = true
		if strings.TrimSpace(e.Name) == "" {
			bad("no name")
		}
		if e.Wikidata != "" && !wikidataQID.MatchString(e.Wikidata) {
			bad("wikidata %q is not a Q-id", e.Wikidata)
		}
		for _, list := range [][]string{e.Names, e.Deb, e.RPM, e.MacOS, e.Flatpak, e.Snap, e.Binary} {
			for _, s := range list {
				if s == "" || strings.TrimSpace(s) != s || strings.HasPrefix(s, "^") {
					bad("%q is not an exact name", s)
				}
			}
		}
		for _, list := range [][]string{e.DebSource, e.RPMSource, e.NPM, e.PyPI, e.Maven, e.Composer, e.Gem, e.Golang, e.NuGet, e.Winget} {
			for _, s := range list {
				if err := checkNameOrPattern(s); err != nil {
					bad("%v", err)
				}
			}
		}
		for _, p := range slices.Concat(e.DebPattern, e.RPMPattern) {
			if err := checkPattern(p.Name, p.Source == ""); err != nil {
				bad("%v", err)
			}
			if p.Source != "" {
				if err := checkNameOrPattern(p.Source); err != nil {
					bad("source: %v", err)
				}
			}
		}
		for _, w := range e.Windows {
			if err := checkWindows(w); err != nil {
				bad("%v", err)
			}
		}
		for _, x := range e.Exclude {
			if err := checkPattern(x, false); err != nil {
				bad("exclude: %v", err)
			}
		}
		for _, eco := range e.NoVersionCheck {
			if eco != "all" && !slices.Contains(Ecosystems, eco) {
				bad("noVersionCheck: unknown ecosystem %q", eco)
			}
		}
	}
	return errors.Join(errs...)
}

// checkNameOrPattern accepts an exact name, or a regular expression that
// starts with "^" and ends with "$".
func checkNameOrPattern(s string) error {
	if s == "" || strings.TrimSpace(s) != s {
		return fmt.Errorf("%q is not a name", s)
	}
	if strings.HasPrefix(s, "^") {
		return checkPattern(s, true)
	}
	return nil
}

// checkPattern compiles re and checks that it is anchored at the start,
// and at the end too when whole is set.
func checkPattern(re string, whole bool) error {
	if !strings.HasPrefix(re, "^") {
		return fmt.Errorf("pattern %q does not start with ^", re)
	}
	if whole && (!strings.HasSuffix(re, "$") || strings.HasSuffix(re, `\$`)) {
		return fmt.Errorf("pattern %q does not end with $: a bare prefix would match other packages", re)
	}
	if _, err := regexp.Compile(re); err != nil {
		return fmt.Errorf("pattern %q: %v", re, err)
	}
	return nil
}

func checkWindows(w WindowsPattern) error {
	if err := checkPattern(w.Name, false); err != nil {
		return fmt.Errorf("windows name: %v", err)
	}
	if w.Publisher != "" {
		if err := checkPattern(w.Publisher, false); err != nil {
			return fmt.Errorf("windows publisher: %v", err)
		}
	}
	return nil
}

// Resolver finds the entries that Refs name in one catalogue. Build it
// once per catalogue; it is safe for concurrent use.
type Resolver struct {
	cat        *Catalog
	byWikidata map[string][]int // Q-id -> indexes in cat.Software
	byName     map[string][]int // normalised name -> indexes
}

// NewResolver indexes cat by Wikidata id and normalised name.
func NewResolver(cat *Catalog) *Resolver {
	r := &Resolver{cat: cat, byWikidata: map[string][]int{}, byName: map[string][]int{}}
	for i, s := range cat.Software {
		if q := s.WikidataID(); q != "" {
			r.byWikidata[q] = append(r.byWikidata[q], i)
		}
		if k := NameKey(s.Name); k != "" {
			r.byName[k] = append(r.byName[k], i)
		}
	}
	return r
}

// Resolve returns the catalogue entry ref names, trying in order:
//
//  1. the Wikidata id, when exactly one entry carries it, or when several
//     do (the 2022 data gives GLPI's Q-id to its plugin "Survey" too) and
//     one of them has ref's id or name;
//  2. the SILL id, when that entry's Wikidata id, if any, equals ref's and
//     its name is compatible with ref's ("Mozilla Firefox ESR" and
//     "Mozilla Firefox": one normalised name contains the other);
//  3. the name or one of the other names given, when exactly one entry
//     has it.
//
// It returns false when none applies: a reference is never guessed.
func (r *Resolver) Resolve(ref Ref, otherNames ...string) (Software, bool) {
	sw := r.cat.Software
	if ref.Wikidata != "" {
		idx := r.byWikidata[ref.Wikidata]
		if len(idx) == 1 {
			return sw[idx[0]], true
		}
		for _, i := range idx {
			if sw[i].ID == ref.ID {
				return sw[i], true
			}
		}
		for _, i := range idx {
			if NameKey(sw[i].Name) == NameKey(ref.Name) {
				return sw[i], true
			}
		}
	}
	if s, ok := r.cat.ByID(ref.ID); ok {
		q := s.WikidataID()
		if (ref.Wikidata == "" || q == "" || q == ref.Wikidata) && compatibleNames(ref.Name, s.Name, otherNames) {
			return s, true
		}
	}
	for _, n := range append([]string{ref.Name}, otherNames...) {
		if idx := r.byName[NameKey(n)]; len(idx) == 1 {
			return sw[idx[0]], true
		}
	}
	return Software{}, false
}

// Resolve is NewResolver(cat).Resolve(r), for a single lookup.
func (r Ref) Resolve(cat *Catalog) (Software, bool) { return NewResolver(cat).Resolve(r) }

// NameKey normalises a software name for comparison: lower case, accents
// removed, letters and digits only ("7-Zip" and "7zip" give "7zip").
func NameKey(s string) string { return compact(fold(s)) }

// compatibleNames reports whether a catalogue entry named got can be the
// entry named want (or one of others): equal once normalised, or one
// containing the other when the shorter has at least four characters.
func compatibleNames(want, got string, others []string) bool {
	g := NameKey(got)
	for _, n := range append([]string{want}, others...) {
		w := NameKey(n)
		if w == g {
			return true
		}
		short, long := w, g
		if len(short) > len(long) {
			short, long = long, short
		}
		if len(short) >= 4 && strings.Contains(long, short) {
			return true
		}
	}
	return false
}
