package rules

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/sillage-oss/sillage"
)

// licenses.json is generated from the SPDX licence list, the ScanCode
// LicenseDB category seed and the curated files beside it; the command
// fetches its pinned inputs from npm, Debian and the Go module proxy. See
// data/SOURCES.md.
//
//go:generate sh internal/licensegen/generate.sh

//go:embed data/licenses.json
var licensesJSON []byte

// FSFStatus is the Free Software Foundation's verdict on a licence, as the
// SPDX licence list records it (its isFsfLibre field).
type FSFStatus string

// The FSF verdicts.
const (
	// FSFLibre: the FSF lists the licence as a free software licence.
	FSFLibre FSFStatus = "libre"
	// FSFNonFree: the FSF lists the licence as non-free.
	FSFNonFree FSFStatus = "non-free"
	// FSFUnknown: no verdict is known, because the FSF has not rated the
	// licence or because the licence is newer than the SPDX snapshot the
	// flags come from (see data/SOURCES.md). It says nothing either way.
	FSFUnknown FSFStatus = "unknown"
)

// FrenchGroup places a licence on the list of licences French
// administrations may use for the source code and data they publish
// (Code des relations entre le public et l'administration, art. L. 323-2
// and D. 323-2-1).
type FrenchGroup string

// The groups of the French list.
const (
	// FrenchNone: not on the list; using it for the administration's own
	// code would need a homologation by décret.
	FrenchNone FrenchGroup = ""
	// FrenchPermissive: "licences permissives" (Apache-2.0, BSD, CeCILL-B, MIT).
	FrenchPermissive FrenchGroup = "permissive"
	// FrenchReciprocity: "licences avec obligation de réciprocité"
	// (CeCILL, EPL, EUPL, GNU GPL/LGPL/AGPL, MPL).
	FrenchReciprocity FrenchGroup = "reciprocity"
	// FrenchData: licences for data (Licence Ouverte 2.0, ODbL).
	FrenchData FrenchGroup = "data"
)

// License is what sillage knows of one SPDX licence.
type License struct {
	// ID is the SPDX identifier in its canonical case, e.g. "GPL-3.0-only".
	ID string `json:"id"`
	// Name is the SPDX full name, e.g. "GNU General Public License v3.0 only".
	Name string `json:"name"`
	// Category says what the licence obliges; never empty. Licences sillage
	// could not classify are sillage.CategoryUnknown.
	Category sillage.LicenseCategory `json:"category"`
	// CategoryBasis says where Category comes from: "scancode:<key>" (the
	// ScanCode LicenseDB entry it was seeded from), "override" (a curated
	// correction in data/license-categories.yaml, with its reason there) or
	// "none" (neither, hence unknown).
	CategoryBasis string `json:"categoryBasis"`
	// OSIApproved reports whether the Open Source Initiative approved the
	// licence, per the SPDX list.
	OSIApproved bool `json:"osiApproved"`
	// FSF is the Free Software Foundation's verdict; see FSFStatus.
	FSF FSFStatus `json:"fsf"`
	// Deprecated reports whether SPDX deprecated the id. A deprecated id
	// is still valid in expressions, but ReplacedBy should be preferred.
	Deprecated bool `json:"deprecated"`
	// ReplacedBy is, for a deprecated id, the SPDX expression to use
	// instead: an id ("GPL-2.0-only") or "ID WITH EXCEPTION"
	// ("GPL-2.0-only WITH Classpath-exception-2.0"). Empty for current ids,
	// and for the deprecated ids that have no single successor (Net-SNMP).
	ReplacedBy string `json:"replacedBy"`
	// French is the licence's group on the French administration's list,
	// FrenchNone when it is not on it.
	French FrenchGroup `json:"french"`
}

// FSFLibre reports whether the FSF lists the licence as free. False means
// non-free or not rated: see FSF to tell them apart.
func (l License) FSFLibre() bool { return l.FSF == FSFLibre }

// Exception is an SPDX licence exception, the part after WITH in an
// expression such as "GPL-2.0-only WITH Classpath-exception-2.0".
type Exception struct {
	// ID is the SPDX exception identifier in its canonical case.
	ID string `json:"id"`
	// Name is the SPDX full name; empty for the few ids the sources give
	// without one.
	Name string `json:"name"`
	// Deprecated reports whether SPDX deprecated the id.
	Deprecated bool `json:"deprecated"`
}

// FrenchSource is the legal source of the French list.
type FrenchSource struct {
	// Law cites the articles of the Code des relations entre le public et
	// l'administration.
	Law string `json:"law"`
	// Decree cites the décret that last changed the list.
	Decree string `json:"decree"`
	// Versions is where the versions in use are published (data.gouv.fr).
	Versions string `json:"versions"`
	// Note says what the list covers, in French.
	Note string `json:"note"`
}

// FrenchEntry is one licence of the French administration's list.
type FrenchEntry struct {
	// Group is the list's group: permissive, reciprocity or data.
	Group FrenchGroup
	// GroupTitle is the group's French title, e.g. "Licences permissives".
	GroupTitle string
	// Family is the licence family as the décret names it, e.g. "GNU GPL".
	Family string
	// Version is the version as data.gouv.fr publishes it, e.g. "GPL-3.0".
	Version string
	// SPDX are the SPDX ids that denote this version, e.g.
	// ["GPL-3.0-only", "GPL-3.0-or-later", "GPL-3.0", "GPL-3.0+"].
	SPDX []string
	// Source cites the law, for reports: one line built from FrenchSource.
	Source string
}

// LicenseTable is the embedded SPDX licence list with sillage's
// categories, the SPDX exceptions and the French list. It is read-only and
// safe for concurrent use.
type LicenseTable struct {
	listVersion string
	revision    int
	licenses    []License      // sorted by id, case-insensitively
	byID        map[string]int // lower-case id -> index in licenses
	exceptions  []Exception    // sorted likewise
	excByID     map[string]int
	source      FrenchSource
	french      []FrenchEntry
}

// Licenses returns the embedded licence table, parsed on first use. It
// never fails: TestLicenseTableParses guarantees the embedded data is
// valid, so a failure here is a build defect and panics.
func Licenses() *LicenseTable { return embeddedLicenses() }

var embeddedLicenses = sync.OnceValue(func() *LicenseTable {
	t, err := parseLicenseTable(licensesJSON)
	if err != nil {
		panic("rules: embedded data/licenses.json: " + err.Error())
	}
	return t
})

// licenseFile is the layout of data/licenses.json.
type licenseFile struct {
	SPDXListVersion string `json:"spdxListVersion"`
	Revision        int    `json:"revision"`
	French          struct {
		Source FrenchSource `json:"source"`
		Groups []struct {
			Group    FrenchGroup `json:"group"`
			Title    string      `json:"title"`
			Licenses []struct {
				Family  string   `json:"family"`
				Version string   `json:"version"`
				SPDX    []string `json:"spdx"`
			} `json:"licenses"`
		} `json:"groups"`
	} `json:"french"`
	Licenses   []License   `json:"licenses"`
	Exceptions []Exception `json:"exceptions"`
}

var validCategories = []sillage.LicenseCategory{
	sillage.CategoryPermissive, sillage.CategoryWeakCopyleft, sillage.CategoryStrongCopyleft,
	sillage.CategoryNetworkCopyleft, sillage.CategoryPublicDomain, sillage.CategoryProprietary,
	sillage.CategoryUnknown,
}

// parseLicenseTable decodes and checks data/licenses.json.
func parseLicenseTable(b []byte) (*LicenseTable, error) {
	var f licenseFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, err
	}
	if f.SPDXListVersion == "" || f.Revision < 1 {
		return nil, fmt.Errorf("missing spdxListVersion or revision")
	}
	if len(f.Licenses) == 0 {
		return nil, fmt.Errorf("no licences")
	}
	t := &LicenseTable{
		listVersion: f.SPDXListVersion,
		revision:    f.Revision,
		licenses:    f.Licenses,
		byID:        make(map[string]int, len(f.Licenses)),
		exceptions:  f.Exceptions,
		excByID:     make(map[string]int, len(f.Exceptions)),
		source:      f.French.Source,
	}
	for i, l := range t.licenses {
		k := strings.ToLower(l.ID)
		if l.ID == "" {
			return nil, fmt.Errorf("licence %d: empty id", i+1)
		}
		if _, dup := t.byID[k]; dup {
			return nil, fmt.Errorf("licence %s: duplicate id", l.ID)
		}
		t.byID[k] = i
		if !slices.Contains(validCategories, l.Category) {
			return nil, fmt.Errorf("licence %s: invalid category %q", l.ID, l.Category)
		}
		if !slices.Contains([]FSFStatus{FSFLibre, FSFNonFree, FSFUnknown}, l.FSF) {
			return nil, fmt.Errorf("licence %s: invalid fsf %q", l.ID, l.FSF)
		}
		if !slices.Contains([]FrenchGroup{FrenchNone, FrenchPermissive, FrenchReciprocity, FrenchData}, l.French) {
			return nil, fmt.Errorf("licence %s: invalid french group %q", l.ID, l.French)
		}
	}
	for i, e := range t.exceptions {
		k := strings.ToLower(e.ID)
		if _, dup := t.excByID[k]; dup || e.ID == "" {
			return nil, fmt.Errorf("exception %q: empty or duplicate id", e.ID)
		}
		if _, clash := t.byID[k]; clash {
			return nil, fmt.Errorf("exception %s: also a licence id", e.ID)
		}
		t.excByID[k] = i
	}
	cite := f.French.Source.Law + "; " + f.French.Source.Decree + "; versions: " + f.French.Source.Versions
	for _, g := range f.French.Groups {
		for _, l := range g.Licenses {
			for _, id := range l.SPDX {
				if _, ok := t.byID[strings.ToLower(id)]; !ok {
					return nil, fmt.Errorf("french list: %s is not a licence id", id)
				}
			}
			t.french = append(t.french, FrenchEntry{Group: g.Group, GroupTitle: g.Title, Family: l.Family,
				Version: l.Version, SPDX: l.SPDX, Source: cite})
		}
	}
	return t, nil
}

// Lookup returns the licence with the given SPDX id. Ids are matched
// case-insensitively, as SPDX specifies ("mit" finds MIT). Only licence ids
// match: not exceptions, LicenseRef-* or expressions ("MIT OR Apache-2.0",
// "MPL-1.1+"), which are for the expression parser to split first.
func (t *LicenseTable) Lookup(id string) (License, bool) {
	i, ok := t.byID[strings.ToLower(id)]
	if !ok {
		return License{}, false
	}
	return t.licenses[i], true
}

// Canonical returns the canonical case of a licence id ("mit" -> "MIT",
// "gpl-3.0-or-later" -> "GPL-3.0-or-later"), and false when it is none.
func (t *LicenseTable) Canonical(id string) (string, bool) {
	l, ok := t.Lookup(id)
	return l.ID, ok
}

// Category returns the category of a licence id, and
// sillage.CategoryUnknown for an id that is not on the list.
func (t *LicenseTable) Category(id string) sillage.LicenseCategory {
	if l, ok := t.Lookup(id); ok {
		return l.Category
	}
	return sillage.CategoryUnknown
}

// IsException reports whether id is an SPDX licence exception id,
// case-insensitively ("classpath-exception-2.0" is).
func (t *LicenseTable) IsException(id string) bool {
	_, ok := t.excByID[strings.ToLower(id)]
	return ok
}

// Exception returns the exception with the given id, case-insensitively.
func (t *LicenseTable) Exception(id string) (Exception, bool) {
	i, ok := t.excByID[strings.ToLower(id)]
	if !ok {
		return Exception{}, false
	}
	return t.exceptions[i], true
}

// All returns every licence, deprecated ids included, sorted by id
// case-insensitively. The slice is a copy.
func (t *LicenseTable) All() []License { return slices.Clone(t.licenses) }

// Exceptions returns every exception, sorted like All. The slice is a copy.
func (t *LicenseTable) Exceptions() []Exception { return slices.Clone(t.exceptions) }

// ListVersion returns the version of the SPDX licence list the table
// comes from, e.g. "3.28.0".
func (t *LicenseTable) ListVersion() string { return t.listVersion }

// Ref returns how a Result records which licence data classified its
// licences: the SPDX list version and the revision of sillage's curation,
// e.g. "spdx-3.28.0+sillage-1".
func (t *LicenseTable) Ref() sillage.CatalogRef {
	return sillage.CatalogRef{
		Name:    "licenses",
		Version: fmt.Sprintf("spdx-%s+sillage-%d", t.listVersion, t.revision),
		Source:  "embedded",
	}
}

// FrenchList returns the licences French administrations may use for the
// code and data they publish, in the order of the list (permissive, with
// reciprocity, data), each with its SPDX ids and legal source. The slice
// and its entries are copies.
func (t *LicenseTable) FrenchList() []FrenchEntry {
	out := slices.Clone(t.french)
	for i := range out {
		out[i].SPDX = slices.Clone(out[i].SPDX)
	}
	return out
}

// FrenchSource returns the legal source of the French list in full.
func (t *LicenseTable) FrenchSource() FrenchSource { return t.source }
