package sillage

import (
	"fmt"
	"strings"
)

// Severity ranks a Finding. The zero value is not a valid severity.
type Severity string

// The severities, from least to most serious.
const (
	SeverityInfo     Severity = "info"
	SeverityLow      Severity = "low"
	SeverityMedium   Severity = "medium"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

// Severities lists every severity from least to most serious.
func Severities() []Severity {
	return []Severity{SeverityInfo, SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical}
}

// Rank returns 1 (info) to 5 (critical), or 0 for an invalid severity.
func (s Severity) Rank() int {
	for i, k := range Severities() {
		if k == s {
			return i + 1
		}
	}
	return 0
}

// ParseSeverity returns the severity named s (case-insensitive), or an
// error listing the valid names.
func ParseSeverity(s string) (Severity, error) {
	v := Severity(strings.ToLower(strings.TrimSpace(s)))
	if v.Rank() > 0 {
		return v, nil
	}
	names := make([]string, 0, 5)
	for _, k := range Severities() {
		names = append(names, string(k))
	}
	return "", fmt.Errorf("unknown severity %q; choose one of: %s", s, strings.Join(names, ", "))
}

// Finding is one thing the policy says about a component or a file.
type Finding struct {
	// RuleID identifies the rule that raised the finding; it is stable
	// across versions and is also the SARIF ruleId, e.g. "LIC-UNDECLARED".
	RuleID string `json:"ruleId"`
	// Severity ranks the finding.
	Severity Severity `json:"severity"`
	// ComponentID is the ID of the component concerned, or empty for a
	// finding about the target as a whole.
	ComponentID string `json:"componentId"`
	// Message says what is wrong, in one sentence that names the component.
	Message string `json:"message"`
	// Remediation says what the user can do about it.
	Remediation string `json:"remediation"`
	// Translations are Message and Remediation in other languages, by
	// language code ("fr"), when the rule that raised the finding gives
	// them; reports in that language show them. Nil when none.
	Translations map[string]FindingText `json:"translations,omitempty"`
	// Path is the file the finding is about, as a slash path inside the
	// target, for findings about files (a document format) rather than
	// components; empty otherwise.
	Path string `json:"path,omitempty"`
	// Waiver is set when a waiver of the policy accepts the finding. A
	// waived finding stays in the result and is shown as waived; it does
	// not count towards --fail-on.
	Waiver *Waiver `json:"waiver,omitempty"`
	// Baseline is "new" or "existing" when the scan was compared with a
	// previous result (--baseline): only new findings count towards
	// --fail-on. Empty when no baseline was given.
	Baseline string `json:"baseline,omitempty"`
}

// FindingText is a finding's message and remediation in one language.
type FindingText struct {
	Message     string `json:"message"`
	Remediation string `json:"remediation"`
}

// Text returns the finding's message and remediation in language lang
// when it has them, else in its own language.
func (f Finding) Text(lang string) (message, remediation string) {
	if t, ok := f.Translations[lang]; ok && t.Message != "" {
		rem := t.Remediation
		if rem == "" {
			rem = f.Remediation
		}
		return t.Message, rem
	}
	return f.Message, f.Remediation
}

// The values of Finding.Baseline.
const (
	BaselineNew      = "new"
	BaselineExisting = "existing"
)

// Waiver is an accepted exception to a policy rule, with the reason and
// the date after which it no longer applies.
type Waiver struct {
	// ID names the waiver in its policy file, e.g. "legacy-acrobat".
	ID string `json:"id"`
	// Justification says why the finding is accepted; it is mandatory.
	Justification string `json:"justification"`
	// Expires is the last day the waiver applies, as YYYY-MM-DD.
	Expires string `json:"expires"`
	// Source is where the waiver was read, "FILE:LINE".
	Source string `json:"source"`
}

// Active reports whether the finding counts: it is neither waived nor,
// when a baseline was given, already present in the baseline.
func (f Finding) Active() bool {
	return f.Waiver == nil && f.Baseline != BaselineExisting
}

// Migration is a proprietary product found in the target together with the
// SILL software that could replace it.
type Migration struct {
	// ComponentID is the ID of the proprietary component.
	ComponentID string `json:"componentId"`
	// Product is the product's common name, e.g. "Microsoft Office".
	Product string `json:"product"`
	// Category is the kind of software, e.g. "office suite".
	Category string `json:"category"`
	// Alternatives are the SILL entries that can replace it, best first.
	Alternatives []Alternative `json:"alternatives"`
}

// Alternative is one SILL entry proposed to replace a proprietary product.
type Alternative struct {
	// SILLID is the SILL entry's identifier.
	SILLID string `json:"sillId"`
	// Name is the SILL entry's name.
	Name string `json:"name"`
	// SupportContract is true when the interministerial support contract
	// covers the software.
	SupportContract bool `json:"supportContract"`
	// ComptoirDuLibreURL is the software's page on the Comptoir du Libre,
	// when it has one.
	ComptoirDuLibreURL string `json:"comptoirDuLibreUrl,omitempty"`
}

// String returns the severity's name.
func (s Severity) String() string { return string(s) }
