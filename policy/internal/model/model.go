// Package model is what policy conditions see: the Go types behind the
// CEL variables component, file, waiver and policy. Field names are the
// CEL names (the cel struct tags), which follow the result document's
// JSON names; docs/policy.md documents them.
//
// The package name is the CEL type prefix ("model.Component").
package model

import "github.com/sillage-oss/sillage"

// Component is the `component` variable.
type Component struct {
	ID         string     `cel:"id"`
	Name       string     `cel:"name"`
	Version    string     `cel:"version"`
	Type       string     `cel:"type"`
	PURL       string     `cel:"purl"`
	Label      string     `cel:"label"`
	Supplier   string     `cel:"supplier"`
	SourceName string     `cel:"sourceName"`
	Arch       string     `cel:"arch"`
	FoundBy    string     `cel:"foundBy"`
	Locations  []string   `cel:"locations"`
	CPEs       []string   `cel:"cpes"`
	Licenses   Licenses   `cel:"licenses"`
	SILL       *SILL      `cel:"sill"`
	Migration  *Migration `cel:"migration"`
}

// Licenses is component.licenses.
type Licenses struct {
	Declared  []Declared `cel:"declared"`
	Detected  []Detected `cel:"detected"`
	Concluded string     `cel:"concluded"`
	Category  string     `cel:"category"`
}

// Declared is one of component.licenses.declared.
type Declared struct {
	Value     string   `cel:"value"`
	SPDX      string   `cel:"spdx"`
	Locations []string `cel:"locations"`
}

// Detected is one of component.licenses.detected.
type Detected struct {
	SPDX     string  `cel:"spdx"`
	Coverage float64 `cel:"coverage"`
	Location string  `cel:"location"`
}

// SILL is component.sill, null when the component matches no entry.
type SILL struct {
	ID           string  `cel:"id"`
	Name         string  `cel:"name"`
	Status       string  `cel:"status"`
	MatchedBy    string  `cel:"matchedBy"`
	Confidence   float64 `cel:"confidence"`
	MinVersion   string  `cel:"minVersion"`
	BelowMinimum bool    `cel:"belowMinimum"`
}

// Migration is component.migration, null when the component is no
// proprietary product sillage knows.
type Migration struct {
	Product      string        `cel:"product"`
	Category     string        `cel:"category"`
	Alternatives []Alternative `cel:"alternatives"`
}

// Alternative is one of component.migration.alternatives.
type Alternative struct {
	SILLID             string `cel:"sillId"`
	Name               string `cel:"name"`
	SupportContract    bool   `cel:"supportContract"`
	ComptoirDuLibreURL string `cel:"comptoirDuLibreUrl"`
}

// File is the `file` variable: a document of the target and its format.
type File struct {
	// Path is the slash path inside the target.
	Path string `cel:"path"`
	// FormatID is the format's id in the RGI formats table ("docx").
	FormatID string `cel:"formatId"`
	// FormatName is its name ("Office Open XML Document").
	FormatName string `cel:"formatName"`
	// RGIStatus is recommended, observation, not-recommended, end-of-life,
	// absent or unknown.
	RGIStatus string `cel:"rgiStatus"`
	// RGIConfidence says how sure the status is (rgi-text, secondary...).
	RGIConfidence string `cel:"rgiConfidence"`
	// Action is none, review or migrate.
	Action string `cel:"action"`
	// Replacements are the ids of the open formats to convert to.
	Replacements []string `cel:"replacements"`
}

// Waiver is the `waiver` variable.
type Waiver struct {
	ID            string   `cel:"id"`
	Justification string   `cel:"justification"`
	Expires       string   `cel:"expires"`
	Source        string   `cel:"source"`
	Rules         []string `cel:"rules"`
	Expired       bool     `cel:"expired"`
	DaysLeft      int      `cel:"daysLeft"`
}

// Policy is the `policy` variable.
type Policy struct {
	Name     string         `cel:"name"`
	Version  string         `cel:"version"`
	Profile  string         `cel:"profile"`
	Licenses PolicyLicenses `cel:"licenses"`
}

// PolicyLicenses is policy.licenses.
type PolicyLicenses struct {
	Allow          []string `cel:"allow"`
	Deny           []string `cel:"deny"`
	DenyCategories []string `cel:"denyCategories"`
}

// FromComponent makes the component variable; m is the component's
// migration, or nil.
func FromComponent(c sillage.Component, m *sillage.Migration) Component {
	out := Component{
		ID: c.ID, Name: c.Name, Version: c.Version, Type: string(c.Type), PURL: c.PURL, Label: c.Label(),
		Supplier: c.Supplier, SourceName: c.SourceName, Arch: c.Arch, FoundBy: c.FoundBy,
		Locations: nonNil(c.Locations), CPEs: nonNil(c.CPEs),
		Licenses: Licenses{Concluded: c.Licenses.Concluded, Category: string(c.Licenses.Category)},
	}
	if out.Licenses.Category == "" {
		out.Licenses.Category = string(sillage.CategoryUnknown)
	}
	out.Licenses.Declared = make([]Declared, len(c.Licenses.Declared))
	for i, d := range c.Licenses.Declared {
		out.Licenses.Declared[i] = Declared{Value: d.Value, SPDX: d.SPDX, Locations: nonNil(d.Locations)}
	}
	out.Licenses.Detected = make([]Detected, len(c.Licenses.Detected))
	for i, d := range c.Licenses.Detected {
		out.Licenses.Detected[i] = Detected{SPDX: d.SPDX, Coverage: d.Coverage, Location: d.Location}
	}
	if s := c.SILL; s != nil {
		out.SILL = &SILL{ID: s.ID, Name: s.Name, Status: s.Status, MatchedBy: s.MatchedBy, Confidence: s.Confidence,
			MinVersion: s.MinVersion, BelowMinimum: s.BelowMinimum}
	}
	if m != nil {
		mm := &Migration{Product: m.Product, Category: m.Category, Alternatives: make([]Alternative, len(m.Alternatives))}
		for i, a := range m.Alternatives {
			mm.Alternatives[i] = Alternative{SILLID: a.SILLID, Name: a.Name, SupportContract: a.SupportContract, ComptoirDuLibreURL: a.ComptoirDuLibreURL}
		}
		out.Migration = mm
	}
	return out
}

// NewWaiver makes the waiver variable.
func NewWaiver(id, justification, expires, source string, rules []string, expired bool, daysLeft int) Waiver {
	return Waiver{ID: id, Justification: justification, Expires: expires, Source: source, Rules: nonNil(rules), Expired: expired, DaysLeft: daysLeft}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
