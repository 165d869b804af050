package sillage

import (
	"cmp"
	"slices"
	"strings"
)

// Summary holds the counts a report shows first. Maps are never nil; a key
// appears only when its count is not zero.
type Summary struct {
	// Components is the number of components.
	Components int `json:"components"`
	// ByType counts components per Type.
	ByType map[Type]int `json:"byType"`
	// Licenses counts components by licence knowledge.
	Licenses LicenseSummary `json:"licenses"`
	// SILLMatched is the number of components that match a SILL entry.
	SILLMatched int `json:"sillMatched"`
	// Findings counts findings per severity.
	Findings map[Severity]int `json:"findings"`
	// Migrations is the number of migration opportunities.
	Migrations int `json:"migrations"`
}

// LicenseSummary counts components by what is known of their licences.
type LicenseSummary struct {
	// Declared is the number of components with at least one declared
	// licence.
	Declared int `json:"declared"`
	// Undeclared is the number of components with no licence at all:
	// none declared, detected or concluded.
	Undeclared int `json:"undeclared"`
	// ByCategory counts components per licence category of their
	// concluded licence; components not classified are not counted.
	ByCategory map[LicenseCategory]int `json:"byCategory"`
}

// Summarize computes r.Summary from r's other fields.
func (r *Result) Summarize() {
	s := Summary{
		Components: len(r.Components),
		ByType:     map[Type]int{},
		Findings:   map[Severity]int{},
		Licenses:   LicenseSummary{ByCategory: map[LicenseCategory]int{}},
		Migrations: len(r.Migrations),
	}
	for _, c := range r.Components {
		s.ByType[c.Type]++
		if len(c.Licenses.Declared) > 0 {
			s.Licenses.Declared++
		}
		if len(c.Licenses.Declared) == 0 && len(c.Licenses.Detected) == 0 && c.Licenses.Concluded == "" {
			s.Licenses.Undeclared++
		}
		if c.Licenses.Category != "" {
			s.Licenses.ByCategory[c.Licenses.Category]++
		}
		if c.SILL != nil {
			s.SILLMatched++
		}
	}
	for _, f := range r.Findings {
		s.Findings[f.Severity]++
	}
	r.Summary = s
}

// Normalize puts r in its canonical form: every slice non-nil and sorted
// as its field documents, and the summary recomputed. Reports and golden
// tests rely on it for deterministic output.
func (r *Result) Normalize() {
	if r.Catalogs == nil {
		r.Catalogs = []CatalogRef{}
	}
	slices.SortFunc(r.Catalogs, func(a, b CatalogRef) int { return strings.Compare(a.Name, b.Name) })
	if r.Components == nil {
		r.Components = []Component{}
	}
	for i := range r.Components {
		normalizeComponent(&r.Components[i])
	}
	slices.SortFunc(r.Components, CompareComponents)
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	SortFindings(r.Findings)
	if r.Migrations == nil {
		r.Migrations = []Migration{}
	}
	slices.SortFunc(r.Migrations, func(a, b Migration) int { return strings.Compare(a.ComponentID, b.ComponentID) })
	slices.SortFunc(r.Rules, func(a, b RuleInfo) int { return strings.Compare(a.ID, b.ID) })
	r.Rules = slices.CompactFunc(r.Rules, func(a, b RuleInfo) bool { return a.ID == b.ID })
	if len(r.Rules) == 0 {
		r.Rules = nil
	}
	if r.Warnings == nil {
		r.Warnings = []string{}
	}
	slices.Sort(r.Warnings)
	r.Warnings = slices.Compact(r.Warnings)
	if r.Formats != nil {
		r.Formats.Normalize()
	}
	r.Summarize()
}

func normalizeComponent(c *Component) {
	if c.CPEs == nil {
		c.CPEs = []string{}
	}
	if c.Locations == nil {
		c.Locations = []string{}
	}
	slices.Sort(c.Locations)
	c.Locations = slices.Compact(c.Locations)
	if c.Licenses.Declared == nil {
		c.Licenses.Declared = []DeclaredLicense{}
	}
	if c.Licenses.Detected == nil {
		c.Licenses.Detected = []DetectedLicense{}
	}
}

// SortFindings sorts findings by descending severity, then component ID,
// then rule ID, then message.
func SortFindings(fs []Finding) {
	slices.SortFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(b.Severity.Rank(), a.Severity.Rank()),
			strings.Compare(a.ComponentID, b.ComponentID),
			strings.Compare(a.RuleID, b.RuleID),
			strings.Compare(a.Message, b.Message),
		)
	})
}

// MaxSeverity returns the most serious severity among fs, or "" when fs is
// empty.
func MaxSeverity(fs []Finding) Severity {
	var max Severity
	for _, f := range fs {
		if f.Severity.Rank() > max.Rank() {
			max = f.Severity
		}
	}
	return max
}
