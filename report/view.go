package report

import (
	"cmp"
	"slices"
	"strings"

	"github.com/sillage-oss/sillage"
)

// The SILL statuses, in the order reports list them.
var sillStatuses = []string{"recommended", "in-observation", "no-longer-recommended"}

// findingStatus is how a finding counts: "active", "waived" (a waiver
// accepts it) or "existing" (already in the baseline).
func findingStatus(f sillage.Finding) string {
	switch {
	case f.Waiver != nil:
		return "waived"
	case f.Baseline == sillage.BaselineExisting:
		return "existing"
	}
	return "active"
}

// index gives reporters what they look up in a Result.
type index struct {
	byID map[string]sillage.Component
}

func newIndex(res sillage.Result) index {
	ix := index{byID: make(map[string]sillage.Component, len(res.Components))}
	for _, c := range res.Components {
		ix.byID[c.ID] = c
	}
	return ix
}

// componentLabel names a finding's subject: the component's
// "name@version", else the finding's path, else "".
func (ix index) subject(f sillage.Finding) string {
	if c, ok := ix.byID[f.ComponentID]; ok {
		return c.Label()
	}
	return f.Path
}

// sillCoverage counts components per SILL status, and those not on the
// SILL.
type sillCoverage struct {
	ByStatus map[string]int
	Matched  int
	NotOn    int
	Total    int
}

func coverage(res sillage.Result) sillCoverage {
	s := sillCoverage{ByStatus: map[string]int{}, Total: len(res.Components)}
	for _, c := range res.Components {
		if c.SILL == nil {
			s.NotOn++
			continue
		}
		s.Matched++
		s.ByStatus[c.SILL.Status]++
	}
	return s
}

// severityCounts counts findings per severity and status.
type severityCounts struct {
	Severity                 sillage.Severity
	Active, Waived, Existing int
}

func (s severityCounts) Total() int { return s.Active + s.Waived + s.Existing }

// findingCounts returns one entry per severity, most serious first.
func findingCounts(fs []sillage.Finding) []severityCounts {
	var out []severityCounts
	for _, sev := range slices.Backward(sillage.Severities()) {
		sc := severityCounts{Severity: sev}
		for _, f := range fs {
			if f.Severity != sev {
				continue
			}
			switch findingStatus(f) {
			case "waived":
				sc.Waived++
			case "existing":
				sc.Existing++
			default:
				sc.Active++
			}
		}
		out = append(out, sc)
	}
	return out
}

// productMigration groups the migrations of one proprietary product.
type productMigration struct {
	Product, Category string
	Components        []sillage.Component
	Alternatives      []sillage.Alternative
}

// migrationsByProduct groups migrations by product: the products found
// on most components first, then those with an alternative the support
// contract covers, then by name.
func migrationsByProduct(res sillage.Result, ix index) []productMigration {
	byProduct := map[string]*productMigration{}
	var order []string
	for _, m := range res.Migrations {
		p, ok := byProduct[m.Product]
		if !ok {
			p = &productMigration{Product: m.Product, Category: m.Category}
			byProduct[m.Product] = p
			order = append(order, m.Product)
		}
		if c, ok := ix.byID[m.ComponentID]; ok {
			p.Components = append(p.Components, c)
		} else {
			p.Components = append(p.Components, sillage.Component{ID: m.ComponentID, Name: m.ComponentID})
		}
		for _, a := range m.Alternatives {
			if !slices.ContainsFunc(p.Alternatives, func(b sillage.Alternative) bool { return b.SILLID == a.SILLID }) {
				p.Alternatives = append(p.Alternatives, a)
			}
		}
	}
	out := make([]productMigration, 0, len(order))
	for _, k := range order {
		out = append(out, *byProduct[k])
	}
	supported := func(p productMigration) int {
		if slices.ContainsFunc(p.Alternatives, func(a sillage.Alternative) bool { return a.SupportContract }) {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(out, func(a, b productMigration) int {
		return cmp.Or(
			cmp.Compare(len(b.Components), len(a.Components)),
			cmp.Compare(supported(b), supported(a)),
			cmp.Compare(len(b.Alternatives), len(a.Alternatives)),
			strings.Compare(a.Product, b.Product),
		)
	})
	return out
}

// catalog returns the version of the named catalogue in res, or "".
func catalog(res sillage.Result, name string) string {
	for _, c := range res.Catalogs {
		if c.Name == name {
			return c.Version
		}
	}
	return ""
}
