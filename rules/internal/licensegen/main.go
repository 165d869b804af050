// Command licensegen builds rules/data/licenses.json, the SPDX licence table
// that package rules embeds, from published licence lists and sillage's own
// curated data.
//
// Inputs (see rules/data/SOURCES.md for versions and how fetch.sh gets them):
//   - npm spdx-license-list: ids, names, OSI approval (the licence list)
//   - npm spdx-license-ids: which ids are current and which deprecated
//   - npm spdx-exceptions and SPDX exceptions.json: exception ids
//   - SPDX licenses.json (the copy in Go module github.com/github/go-spdx/v2):
//     the FSF-libre flags, which the npm packages do not carry
//   - ScanCode LicenseDB index (Debian python3-license-expression): the seed
//     of the categories
//   - rules/data/license-categories.yaml, license-replacements.yaml and
//     french-licenses.yaml: sillage's corrections and the French list
//
// It fails, naming the file and the id, on any inconsistency between them,
// and writes its output sorted and formatted the same way every time, so
// that a regeneration from the same inputs changes nothing. It never
// downloads anything itself.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// options are the command-line flags. Every input path defaults to its
// place under -src, the layout fetch.sh produces.
type options struct {
	src         string // directory fetch.sh filled
	list        string // spdx-license-list package directory
	ids         string // spdx-license-ids package directory
	exceptions  string // spdx-exceptions package directory
	spdxJSON    string // SPDX licenses.json with isFsfLibre
	spdxExcJSON string // SPDX exceptions.json
	scancode    string // scancode-licensedb-index.json
	data        string // rules/data: curated inputs, and where output goes
	out         string // output file; default <data>/licenses.json
}

func run(args []string, stdout, stderr io.Writer) int {
	var o options
	fs := flag.NewFlagSet("licensegen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.src, "src", "", "directory filled by fetch.sh (required unless every input path is given)")
	fs.StringVar(&o.list, "list", "", "unpacked npm spdx-license-list package (default <src>/spdx-license-list)")
	fs.StringVar(&o.ids, "ids", "", "unpacked npm spdx-license-ids package (default <src>/spdx-license-ids)")
	fs.StringVar(&o.exceptions, "exceptions", "", "unpacked npm spdx-exceptions package (default <src>/spdx-exceptions)")
	fs.StringVar(&o.spdxJSON, "spdx-licenses", "", "SPDX licenses.json carrying isFsfLibre (default <src>/spdx-json/licenses.json)")
	fs.StringVar(&o.spdxExcJSON, "spdx-exceptions", "", "SPDX exceptions.json (default <src>/spdx-json/exceptions.json)")
	fs.StringVar(&o.scancode, "scancode", "", "ScanCode LicenseDB index.json (default <src>/scancode/scancode-licensedb-index.json)")
	fs.StringVar(&o.data, "data", "data", "directory of the curated YAML files")
	fs.StringVar(&o.out, "out", "", "output file (default <data>/licenses.json)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := o.resolve(); err != nil {
		fmt.Fprintln(stderr, "licensegen:", err)
		return 2
	}
	if err := generate(o, stdout); err != nil {
		fmt.Fprintln(stderr, "licensegen:", err)
		return 1
	}
	return 0
}

func (o *options) resolve() error {
	for _, d := range []struct {
		p         *string
		flag, rel string
	}{
		{&o.list, "list", "spdx-license-list"},
		{&o.ids, "ids", "spdx-license-ids"},
		{&o.exceptions, "exceptions", "spdx-exceptions"},
		{&o.spdxJSON, "spdx-licenses", "spdx-json/licenses.json"},
		{&o.spdxExcJSON, "spdx-exceptions", "spdx-json/exceptions.json"},
		{&o.scancode, "scancode", "scancode/scancode-licensedb-index.json"},
	} {
		if *d.p != "" {
			continue
		}
		if o.src == "" {
			return fmt.Errorf("no -src and no -%s: run rules/internal/licensegen/fetch.sh DIR, then pass -src DIR", d.flag)
		}
		*d.p = filepath.Join(o.src, d.rel)
	}
	if o.out == "" {
		o.out = filepath.Join(o.data, "licenses.json")
	}
	return nil
}

// Category names, as sillage.LicenseCategory spells them. The generator
// does not import the root package: it only has to write the strings, and
// the test in package rules checks them against the constants.
const (
	catPermissive = "permissive"
	catWeak       = "weak-copyleft"
	catStrong     = "strong-copyleft"
	catNetwork    = "network-copyleft"
	catPD         = "public-domain"
	catPropr      = "proprietary"
	catUnknown    = "unknown"
)

var categories = []string{catPermissive, catWeak, catStrong, catNetwork, catPD, catPropr, catUnknown}

// scancodeCategory maps ScanCode LicenseDB categories to sillage's.
var scancodeCategory = map[string]string{
	"Permissive":       catPermissive,
	"Copyleft Limited": catWeak,
	"Copyleft":         catStrong,
	"Public Domain":    catPD,
	"Proprietary Free": catPropr,
	"Commercial":       catPropr,
	"Free Restricted":  catPropr,
	"Source-available": catPropr,
	"Patent License":   catUnknown,
	"Unstated License": catUnknown,
	"CLA":              catUnknown,
}

// FSF verdicts, as licenses.json spells them.
const (
	fsfLibre   = "libre"
	fsfNonFree = "non-free"
	fsfUnknown = "unknown"
)

// outLicense is one entry of licenses.json. Field order is the output order.
type outLicense struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Category      string `json:"category"`
	CategoryBasis string `json:"categoryBasis"`
	OSIApproved   bool   `json:"osiApproved"`
	FSF           string `json:"fsf"`
	Deprecated    bool   `json:"deprecated"`
	ReplacedBy    string `json:"replacedBy"`
	French        string `json:"french"`
}

type outException struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Deprecated bool   `json:"deprecated"`
}

// outSource records one input: what it is, which version, under which terms.
type outSource struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	License string `json:"license"`
	Used    string `json:"used"`
}

func generate(o options, stdout io.Writer) error {
	// The licence list: ids, names, OSI.
	var list map[string]struct {
		Name        string `json:"name"`
		OSIApproved bool   `json:"osiApproved"`
	}
	if err := readJSON(filepath.Join(o.list, "spdx.json"), &list); err != nil {
		return err
	}
	listPkg, err := readPackage(o.list)
	if err != nil {
		return err
	}
	listVersion, err := spdxVersion(filepath.Join(o.list, "readme.md"))
	if err != nil {
		return err
	}

	// Current and deprecated ids, from the same SPDX release.
	var idsIndex, idsDeprecated []string
	if err := readJSON(filepath.Join(o.ids, "index.json"), &idsIndex); err != nil {
		return err
	}
	if err := readJSON(filepath.Join(o.ids, "deprecated.json"), &idsDeprecated); err != nil {
		return err
	}
	idsPkg, err := readPackage(o.ids)
	if err != nil {
		return err
	}

	// Exceptions.
	var excIndex, excDeprecated []string
	if err := readJSON(filepath.Join(o.exceptions, "index.json"), &excIndex); err != nil {
		return err
	}
	if err := readJSON(filepath.Join(o.exceptions, "deprecated.json"), &excDeprecated); err != nil {
		return err
	}
	excPkg, err := readPackage(o.exceptions)
	if err != nil {
		return err
	}

	// The official SPDX JSON: FSF flags, deprecation, exception names.
	var spdx struct {
		Version  string `json:"licenseListVersion"`
		Licenses []struct {
			ID         string `json:"licenseId"`
			Deprecated bool   `json:"isDeprecatedLicenseId"`
			FSFLibre   *bool  `json:"isFsfLibre"`
		} `json:"licenses"`
	}
	if err := readJSON(o.spdxJSON, &spdx); err != nil {
		return err
	}
	var spdxExc struct {
		Version    string `json:"licenseListVersion"`
		Exceptions []struct {
			ID         string `json:"licenseExceptionId"`
			Name       string `json:"name"`
			Deprecated bool   `json:"isDeprecatedLicenseId"`
		} `json:"exceptions"`
	}
	if err := readJSON(o.spdxExcJSON, &spdxExc); err != nil {
		return err
	}

	// ScanCode LicenseDB.
	var scancode []scancodeEntry
	if err := readJSON(o.scancode, &scancode); err != nil {
		return err
	}
	scAbout := readAbout(strings.TrimSuffix(o.scancode, "scancode-licensedb-index.json") + "license_key_index.json.ABOUT")

	// Curated data.
	cats, err := readCategories(filepath.Join(o.data, "license-categories.yaml"))
	if err != nil {
		return err
	}
	repls, err := readReplacements(filepath.Join(o.data, "license-replacements.yaml"))
	if err != nil {
		return err
	}
	french, err := readFrench(filepath.Join(o.data, "french-licenses.yaml"))
	if err != nil {
		return err
	}

	// --- consistency of the SPDX sources -------------------------------
	inIndex := set(idsIndex)
	inDeprecated := set(idsDeprecated)
	official := map[string]int{}
	for i, l := range spdx.Licenses {
		official[l.ID] = i
	}
	deprecated := func(id string) bool {
		if inDeprecated[id] {
			return true
		}
		i, ok := official[id]
		return ok && spdx.Licenses[i].Deprecated
	}
	var problems []string
	for id := range list {
		if !inIndex[id] && !deprecated(id) {
			problems = append(problems, fmt.Sprintf("%s: in spdx-license-list but neither current (spdx-license-ids index.json) nor deprecated", id))
		}
		if inIndex[id] && inDeprecated[id] {
			problems = append(problems, fmt.Sprintf("%s: both current and deprecated in spdx-license-ids", id))
		}
	}
	for _, id := range slices.Concat(idsIndex, idsDeprecated) {
		if _, ok := list[id]; !ok {
			problems = append(problems, fmt.Sprintf("%s: in spdx-license-ids %s but not in spdx-license-list %s: use versions from the same SPDX release", id, idsPkg.Version, listPkg.Version))
		}
	}

	// Exceptions: the union of the npm package and the SPDX file. SPDX
	// never removes an id, so an id in either is an exception id.
	exc := map[string]*outException{}
	for _, id := range excIndex {
		exc[id] = &outException{ID: id}
	}
	for _, id := range excDeprecated {
		exc[id] = &outException{ID: id, Deprecated: true}
	}
	for _, e := range spdxExc.Exceptions {
		x, ok := exc[e.ID]
		if !ok {
			x = &outException{ID: e.ID}
			exc[e.ID] = x
		}
		x.Name = e.Name
		x.Deprecated = x.Deprecated || e.Deprecated
	}
	lowerLicence := map[string]string{}
	for id := range list {
		lowerLicence[strings.ToLower(id)] = id
	}
	for id := range exc {
		if l, ok := lowerLicence[strings.ToLower(id)]; ok {
			problems = append(problems, fmt.Sprintf("%s: is both an exception and the licence %s", id, l))
		}
	}
	// spdx-license-list ships one file per licence in licenses/; a file
	// there that is not on its list must be an exception (6.12.0 ships
	// KiCad-libraries-exception.json by mistake).
	files, err := os.ReadDir(filepath.Join(o.list, "licenses"))
	if err != nil {
		return err
	}
	var strays []string
	for _, f := range files {
		id := strings.TrimSuffix(f.Name(), ".json")
		if _, ok := list[id]; ok {
			continue
		}
		if _, ok := exc[id]; ok {
			strays = append(strays, id)
			continue
		}
		problems = append(problems, fmt.Sprintf("%s: licenses/%s has no entry in spdx.json and is no exception", id, f.Name()))
	}

	// --- curated data against the list ----------------------------------
	canon := func(file, what, id string) {
		if _, ok := list[id]; ok {
			return
		}
		if c, ok := lowerLicence[strings.ToLower(id)]; ok {
			problems = append(problems, fmt.Sprintf("%s: %s %q: write it %q, as SPDX does", file, what, id, c))
			return
		}
		problems = append(problems, fmt.Sprintf("%s: %s %q is not an SPDX licence id", file, what, id))
	}
	override := map[string]string{}
	for i, ov := range cats.Overrides {
		if !slices.Contains(categories, ov.Category) {
			problems = append(problems, fmt.Sprintf("license-categories.yaml: override %d: category %q is not one of %s", i+1, ov.Category, strings.Join(categories, ", ")))
		}
		if strings.TrimSpace(ov.Reason) == "" {
			problems = append(problems, fmt.Sprintf("license-categories.yaml: override %d: no reason", i+1))
		}
		for _, id := range ov.IDs {
			canon("license-categories.yaml", "override id", id)
			if _, dup := override[id]; dup {
				problems = append(problems, fmt.Sprintf("license-categories.yaml: %s is overridden twice", id))
			}
			override[id] = ov.Category
		}
	}
	replacedBy := map[string]string{}
	for _, r := range repls.Replacements {
		canon("license-replacements.yaml", "id", r.ID)
		if _, ok := list[r.ID]; ok && !deprecated(r.ID) {
			problems = append(problems, fmt.Sprintf("license-replacements.yaml: %s is not deprecated", r.ID))
		}
		if _, dup := replacedBy[r.ID]; dup {
			problems = append(problems, fmt.Sprintf("license-replacements.yaml: %s listed twice", r.ID))
		}
		if r.ReplacedBy == "" && strings.TrimSpace(r.Reason) == "" {
			problems = append(problems, fmt.Sprintf("license-replacements.yaml: %s: no replacement and no reason", r.ID))
		}
		replacedBy[r.ID] = r.ReplacedBy
		if r.ReplacedBy == "" {
			continue
		}
		lic, ex, with := strings.Cut(r.ReplacedBy, " WITH ")
		if _, ok := list[lic]; !ok || deprecated(lic) {
			problems = append(problems, fmt.Sprintf("license-replacements.yaml: %s: replacement licence %q is not a current SPDX id", r.ID, lic))
		}
		if with {
			if e, ok := exc[ex]; !ok || e.Deprecated {
				problems = append(problems, fmt.Sprintf("license-replacements.yaml: %s: replacement exception %q is not a current SPDX exception id", r.ID, ex))
			}
		}
	}
	for id := range list {
		if _, ok := replacedBy[id]; deprecated(id) && !ok {
			problems = append(problems, fmt.Sprintf("license-replacements.yaml: deprecated id %s has no entry", id))
		}
	}
	frenchGroup := map[string]string{}
	for _, g := range french.Groups {
		if !slices.Contains([]string{"permissive", "reciprocity", "data"}, g.Group) {
			problems = append(problems, fmt.Sprintf("french-licenses.yaml: group %q is not permissive, reciprocity or data", g.Group))
		}
		for _, l := range g.Licenses {
			if len(l.SPDX) == 0 {
				problems = append(problems, fmt.Sprintf("french-licenses.yaml: %s %s: no SPDX id", l.Family, l.Version))
			}
			for _, id := range l.SPDX {
				canon("french-licenses.yaml", "spdx id", id)
				if prev, dup := frenchGroup[id]; dup {
					problems = append(problems, fmt.Sprintf("french-licenses.yaml: %s is in %s and %s", id, prev, g.Group))
				}
				frenchGroup[id] = g.Group
			}
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return errors.New("inconsistent inputs:\n  " + strings.Join(problems, "\n  "))
	}

	// --- the table ---------------------------------------------------------
	seed := newSeed(scancode)
	var out []outLicense
	counts := map[string]int{}
	var unknown, sameAsSeed []string
	ambiguous := 0
	for _, id := range sortedIDs(slices.Collect(maps.Keys(list))) {
		l := outLicense{ID: id, Name: list[id].Name, OSIApproved: list[id].OSIApproved, FSF: fsfUnknown,
			Deprecated: deprecated(id), ReplacedBy: replacedBy[id], French: frenchGroup[id]}
		if i, ok := official[id]; ok && spdx.Licenses[i].FSFLibre != nil {
			l.FSF = fsfNonFree
			if *spdx.Licenses[i].FSFLibre {
				l.FSF = fsfLibre
			}
		}
		e, n := seed.lookup(id)
		if n > 1 {
			ambiguous++
		}
		seeded := ""
		if e != nil {
			c, ok := scancodeCategory[e.Category]
			if !ok {
				return fmt.Errorf("%s: ScanCode category %q of %s has no mapping: add it to scancodeCategory", o.scancode, e.Category, e.Key)
			}
			seeded = c
		}
		switch c, ok := override[id]; {
		case ok:
			l.Category, l.CategoryBasis = c, "override"
			if c == seeded {
				sameAsSeed = append(sameAsSeed, id)
			}
		case e != nil:
			l.Category, l.CategoryBasis = seeded, "scancode:"+e.Key
		default:
			l.Category, l.CategoryBasis = catUnknown, "none"
		}
		if l.Category == catUnknown {
			unknown = append(unknown, id)
		}
		counts[l.Category]++
		out = append(out, l)
	}
	excOut := make([]outException, 0, len(exc))
	for _, id := range sortedIDs(slices.Collect(maps.Keys(exc))) {
		excOut = append(excOut, *exc[id])
	}

	sources := []outSource{
		{Name: "npm spdx-license-list", Version: listPkg.Version + " (SPDX License List " + listVersion + ")", License: "CC0-1.0 (package); SPDX data CC-BY-3.0", Used: "licence ids, names, OSI approval"},
		{Name: "npm spdx-license-ids", Version: idsPkg.Version, License: "CC0-1.0 (package); SPDX data CC-BY-3.0", Used: "current and deprecated ids"},
		{Name: "npm spdx-exceptions", Version: excPkg.Version, License: "CC-BY-3.0", Used: "exception ids"},
		{Name: "SPDX license-list-data licenses.json, exceptions.json (Go module github.com/github/go-spdx/v2 v2.3.3, cmd/)", Version: spdx.Version, License: "CC-BY-3.0 (SPDX data)", Used: "FSF-libre flags, deprecation of the '+' ids, exception names"},
		{Name: "ScanCode LicenseDB index (Debian python3-license-expression 30.1.0)", Version: scAbout, License: "CC-BY-4.0, nexB Inc. and others", Used: "category seed"},
		{Name: "rules/data/license-categories.yaml", Version: fmt.Sprintf("revision %d", cats.Revision), License: "EUPL-1.2 (sillage)", Used: "category overrides"},
		{Name: "rules/data/license-replacements.yaml", Version: "", License: "EUPL-1.2 (sillage)", Used: "replacements of deprecated ids"},
		{Name: "rules/data/french-licenses.yaml", Version: "", License: "the law (CRPA art. L. 323-2, D. 323-2-1)", Used: "French list"},
	}

	var buf bytes.Buffer
	buf.WriteString("{\n")
	writeField(&buf, "comment", "Generated by rules/internal/licensegen from the sources below; do not edit. See rules/data/SOURCES.md.", true)
	writeField(&buf, "spdxListVersion", listVersion, true)
	writeField(&buf, "revision", cats.Revision, true)
	writeLines(&buf, "sources", sources, true)
	writeField(&buf, "french", french, true)
	writeLines(&buf, "licenses", out, true)
	writeLines(&buf, "exceptions", excOut, false)
	buf.WriteString("}\n")
	if err := os.WriteFile(o.out, buf.Bytes(), 0o644); err != nil {
		return err
	}

	summary := countsTable(counts, len(out), len(excOut))
	if err := updateSources(filepath.Join(o.data, "SOURCES.md"), summary); err != nil {
		fmt.Fprintln(stdout, "warning:", err)
	}
	fmt.Fprintf(stdout, "wrote %s: SPDX %s, %d licences, %d exceptions\n", o.out, listVersion, len(out), len(excOut))
	fmt.Fprint(stdout, summary)
	fmt.Fprintf(stdout, "overrides: %d ids (%d restate the seed); ScanCode matches by a secondary key with several candidates: %d\n", len(override), len(sameAsSeed), ambiguous)
	if len(strays) > 0 {
		fmt.Fprintf(stdout, "ignored exception files in spdx-license-list licenses/: %s\n", strings.Join(strays, ", "))
	}
	fmt.Fprintf(stdout, "%d licences have category unknown (no ScanCode entry, no override); curate them in license-categories.yaml:\n  %s\n", len(unknown), strings.Join(unknown, " "))
	return nil
}

// scancodeEntry is one record of the ScanCode LicenseDB index.
type scancodeEntry struct {
	Key        string   `json:"license_key"`
	Category   string   `json:"category"`
	SPDX       string   `json:"spdx_license_key"`
	OtherSPDX  []string `json:"other_spdx_license_keys"`
	Deprecated bool     `json:"is_deprecated"`
}

// seed finds the ScanCode entry for an SPDX id: the entry whose primary
// SPDX key it is, else one that lists it among its other keys; live
// entries win over deprecated ones. Entries ScanCode flags as exceptions
// are kept: the deprecated "GPL-2.0-with-classpath-exception" ids are
// licences in SPDX and exceptions in ScanCode, and the keys already match.
type seed struct {
	primary map[string]*scancodeEntry
	other   map[string][]*scancodeEntry
}

func newSeed(entries []scancodeEntry) seed {
	s := seed{primary: map[string]*scancodeEntry{}, other: map[string][]*scancodeEntry{}}
	slices.SortFunc(entries, func(a, b scancodeEntry) int { return strings.Compare(a.Key, b.Key) })
	for i := range entries {
		e := &entries[i]
		if k := strings.ToLower(e.SPDX); k != "" {
			if prev, ok := s.primary[k]; !ok || (prev.Deprecated && !e.Deprecated) {
				s.primary[k] = e
			}
		}
		for _, o := range e.OtherSPDX {
			k := strings.ToLower(o)
			s.other[k] = append(s.other[k], e)
		}
	}
	return s
}

// lookup returns the entry for id (nil if none) and how many candidates
// there were.
func (s seed) lookup(id string) (*scancodeEntry, int) {
	k := strings.ToLower(id)
	if e, ok := s.primary[k]; ok {
		return e, 1
	}
	cands := s.other[k]
	live := slices.DeleteFunc(slices.Clone(cands), func(e *scancodeEntry) bool { return e.Deprecated })
	if len(live) > 0 {
		cands = live
	}
	if len(cands) == 0 {
		return nil, 0
	}
	return cands[0], len(cands)
}

// Curated files.

type categoriesFile struct {
	Revision  int `yaml:"revision"`
	Overrides []struct {
		IDs      []string `yaml:"ids"`
		Category string   `yaml:"category"`
		Reason   string   `yaml:"reason"`
	} `yaml:"overrides"`
}

func readCategories(path string) (categoriesFile, error) {
	var f categoriesFile
	if err := readYAML(path, &f); err != nil {
		return f, err
	}
	if f.Revision < 1 {
		return f, fmt.Errorf("%s: revision must be a positive integer", path)
	}
	return f, nil
}

type replacementsFile struct {
	Replacements []struct {
		ID         string `yaml:"id"`
		ReplacedBy string `yaml:"replacedBy"`
		Reason     string `yaml:"reason"`
	} `yaml:"replacements"`
}

func readReplacements(path string) (replacementsFile, error) {
	var f replacementsFile
	return f, readYAML(path, &f)
}

// frenchFile is french-licenses.yaml; it is copied as is into licenses.json.
type frenchFile struct {
	Source struct {
		Law      string `yaml:"law" json:"law"`
		Decree   string `yaml:"decree" json:"decree"`
		Versions string `yaml:"versions" json:"versions"`
		Note     string `yaml:"note" json:"note"`
	} `yaml:"source" json:"source"`
	Groups []struct {
		Group    string `yaml:"group" json:"group"`
		Title    string `yaml:"title" json:"title"`
		Licenses []struct {
			Family  string   `yaml:"family" json:"family"`
			Version string   `yaml:"version" json:"version"`
			SPDX    []string `yaml:"spdx" json:"spdx"`
		} `yaml:"licenses" json:"licenses"`
	} `yaml:"groups" json:"groups"`
}

func readFrench(path string) (frenchFile, error) {
	var f frenchFile
	if err := readYAML(path, &f); err != nil {
		return f, err
	}
	if f.Source.Law == "" || f.Source.Versions == "" {
		return f, fmt.Errorf("%s: source.law and source.versions are required", path)
	}
	return f, nil
}

// Readers.

type npmPackage struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

func readPackage(dir string) (npmPackage, error) {
	var p npmPackage
	return p, readJSON(filepath.Join(dir, "package.json"), &p)
}

var versionRE = regexp.MustCompile(`SPDX License List version ([0-9][0-9.]*[0-9])`)

// spdxVersion reads the SPDX list version from spdx-license-list's readme
// ("Using SPDX License List version 3.28.0 (2026-02-20)"), the only place
// the package records it.
func spdxVersion(readme string) (string, error) {
	b, err := os.ReadFile(readme)
	if err != nil {
		return "", err
	}
	m := versionRE.FindSubmatch(b)
	if m == nil {
		return "", fmt.Errorf("%s: no %q line; has the package changed its readme?", readme, "SPDX License List version")
	}
	return string(m[1]), nil
}

// readAbout returns the provenance line of the ScanCode index from the
// .ABOUT file Debian ships beside it, or "unknown".
func readAbout(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "unknown"
	}
	var about struct {
		URL  string `yaml:"download_url"`
		SPDX string `yaml:"spdx_license_list_version"`
	}
	if yaml.Unmarshal(b, &about) != nil || about.URL == "" {
		return "unknown"
	}
	return fmt.Sprintf("%s (SPDX list %s)", about.URL, about.SPDX)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func readYAML(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// Writers.

// marshal is json.Marshal without HTML escaping, so that names such as
// "AT&T" stay readable, and with indent when indent is true.
func marshal(v any, indent bool) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("  ", "  ")
	}
	if err := enc.Encode(v); err != nil {
		panic(err) // only our own types are marshalled
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// writeField writes `  "key": value` with value as indented JSON.
func writeField(buf *bytes.Buffer, key string, v any, comma bool) {
	fmt.Fprintf(buf, "  %q: %s", key, marshal(v, true))
	endLine(buf, comma)
}

// writeLines writes a JSON array with one element per line, so that a
// change to one licence is a one-line diff.
func writeLines[T any](buf *bytes.Buffer, key string, items []T, comma bool) {
	fmt.Fprintf(buf, "  %q: [\n", key)
	for i, it := range items {
		buf.WriteString("    ")
		buf.Write(marshal(it, false))
		endLine(buf, i < len(items)-1)
	}
	buf.WriteString("  ]")
	endLine(buf, comma)
}

func endLine(buf *bytes.Buffer, comma bool) {
	if comma {
		buf.WriteByte(',')
	}
	buf.WriteByte('\n')
}

// countsTable is the Markdown table of licences per category that
// SOURCES.md carries.
func countsTable(counts map[string]int, licences, exceptions int) string {
	var b strings.Builder
	b.WriteString("| category | licences |\n| --- | ---: |\n")
	for _, c := range categories {
		fmt.Fprintf(&b, "| %s | %d |\n", c, counts[c])
	}
	fmt.Fprintf(&b, "| **total** | **%d** |\n\nExceptions: %d.\n", licences, exceptions)
	return b.String()
}

const (
	countsBegin = "<!-- counts:begin (written by licensegen) -->\n"
	countsEnd   = "<!-- counts:end -->"
)

// updateSources replaces the counts block of SOURCES.md.
func updateSources(path, table string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("counts not written to SOURCES.md: %w", err)
	}
	s := string(b)
	i := strings.Index(s, countsBegin)
	j := strings.Index(s, countsEnd)
	if i < 0 || j < i {
		return fmt.Errorf("counts not written: %s has no %q ... %q block", path, strings.TrimSpace(countsBegin), countsEnd)
	}
	s = s[:i+len(countsBegin)] + table + s[j:]
	return os.WriteFile(path, []byte(s), 0o644)
}

func set(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// sortedIDs sorts ids case-insensitively, as SPDX lists them, with the
// exact spelling as tie-break so that the order is total.
func sortedIDs(ids []string) []string {
	slices.SortFunc(ids, compareIDs)
	return ids
}

func compareIDs(a, b string) int {
	if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}
