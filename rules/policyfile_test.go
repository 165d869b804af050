package rules

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sillage-oss/sillage"
)

func TestDefaultPolicy(t *testing.T) {
	d := Default()
	if d.Name != "default" || d.Version != "4" || d.Source != "embedded" || d.Extends != "" || d.FailOn != "" {
		t.Fatalf("default policy header: %+v", d)
	}
	if ref := d.Ref(); ref != (sillage.CatalogRef{Name: "policy", Version: "default@4", Source: "embedded"}) {
		t.Errorf("Ref = %+v", ref)
	}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		RuleLicenseUndeclared, RuleLicenseUnknown, RuleLicenseDenied, RuleLicenseNotAllowed, RuleLicenseCategoryDenied,
		RuleLicenseProprietary, RuleSILLNoLongerRecommended, RuleSILLBelowMinimum, RuleSILLMigration, RuleSILLInObservation,
		RuleSILLRecommended, RuleSILLNotListed, RuleWaiverExpired, RuleWaiverExpiring,
	}
	var got []string
	for _, r := range d.Rules {
		got = append(got, r.ID)
		if !r.Enabled || r.Title == "" || r.Message == "" || r.Remediation == "" || r.Condition == "" || r.Pos.Line == 0 || r.ConditionPos.Line == 0 {
			t.Errorf("rule %s is incomplete: %+v", r.ID, r)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("rules %v, want %v", got, want)
	}
	if names := d.ProfileNames(); !slices.Equal(names, []string{"workstation", "server", "ci", "procurement"}) {
		t.Errorf("profiles %v", names)
	}
	// Default hands out copies
	d.Rules[0].Severity = sillage.SeverityCritical
	if Default().Rules[0].Severity == sillage.SeverityCritical {
		t.Error("Default returned a shared slice")
	}
}

func TestWithProfile(t *testing.T) {
	d := Default()
	ci, err := d.WithProfile("ci")
	if err != nil {
		t.Fatal(err)
	}
	sev := func(s Set, id string) (sillage.Severity, bool) {
		for _, r := range s.Rules {
			if r.ID == id {
				return r.Severity, r.Enabled
			}
		}
		t.Fatalf("no rule %s", id)
		return "", false
	}
	if ci.Profile != "ci" || ci.FailOn != sillage.SeverityHigh || !slices.Equal(ci.Licenses.DenyCategories, []sillage.LicenseCategory{sillage.CategoryProprietary}) {
		t.Errorf("ci: profile %q failOn %q deny categories %v", ci.Profile, ci.FailOn, ci.Licenses.DenyCategories)
	}
	if s, on := sev(ci, RuleLicenseUnknown); s != sillage.SeverityMedium || !on {
		t.Errorf("ci: LIC-UNKNOWN %s enabled=%v, want medium", s, on)
	}
	if _, on := sev(ci, RuleSILLRecommended); on {
		t.Error("ci: SILL-RECOMMENDED still enabled")
	}
	if ref := ci.Ref(); ref.Profile != "ci" || ref.Version != "default@4" {
		t.Errorf("ci Ref = %+v", ref)
	}
	// the base set is unchanged
	if s, on := sev(d, RuleLicenseUnknown); s != sillage.SeverityLow || !on || len(d.Licenses.DenyCategories) != 0 {
		t.Errorf("WithProfile changed its receiver: LIC-UNKNOWN %s, categories %v", s, d.Licenses.DenyCategories)
	}
	proc, _ := d.WithProfile("procurement")
	if s, _ := sev(proc, RuleLicenseProprietary); s != sillage.SeverityMedium {
		t.Errorf("procurement: LIC-PROPRIETARY %s, want medium", s)
	}
	srv, _ := d.WithProfile("server")
	if s, _ := sev(srv, RuleSILLNoLongerRecommended); s != sillage.SeverityHigh {
		t.Errorf("server: SILL-NO-LONGER-RECOMMENDED %s, want high", s)
	}
	ws, _ := d.WithProfile("workstation")
	if s, _ := sev(ws, RuleSILLNotListed); s != sillage.SeverityLow {
		t.Errorf("workstation: SILL-NOT-LISTED %s, want low", s)
	}
	none, err := d.WithProfile("")
	if err != nil || none.Profile != "" {
		t.Errorf("no profile: %v %q", err, none.Profile)
	}
	_, err = d.WithProfile("laptop")
	if err == nil || !errors.Is(err, sillage.ErrInvalidInput) || !strings.Contains(err.Error(), "workstation, server, ci, procurement") {
		t.Errorf("unknown profile: %v", err)
	}
}

const userPolicy = `# a ministry's policy
name: dsi-interieur
version: "2026.1"
profile: ci
licenses:
  allow: [MIT, apache-2.0, "GPL-2.0-only WITH Classpath-exception-2.0", LicenseRef-Acme]
  denyCategories: [network-copyleft]
rules:
  - id: LIC-UNKNOWN
    severity: high
  - id: SILL-RECOMMENDED
    enabled: false
  - id: ACME-NO-LEFTPAD
    severity: critical
    title: left-pad is banned
    condition: component.name == 'left-pad'
    message: "{{component.label}} is banned"
profiles:
  ci:
    failOn: critical
  audit:
    severities: {ACME-NO-LEFTPAD: low}
waivers:
  - id: legacy-acrobat
    rules: [SILL-MIGRATION]
    component: {name: "Adobe Acrobat*", type: windows, versions: ">=11,<12"}
    justification: signature workflow until the 2027 contract ends
    expires: 2027-06-30
`

func TestLoadPolicyExtendsDefault(t *testing.T) {
	s, err := LoadPolicy("ministry.yaml", []byte(userPolicy))
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "dsi-interieur" || s.Version != "2026.1" || s.Source != "ministry.yaml" || s.Extends != "default@4" || s.DefaultProfile != "ci" {
		t.Errorf("header: %+v", s)
	}
	if !slices.Equal(s.Licenses.Allow, []string{"MIT", "Apache-2.0", "GPL-2.0-only WITH Classpath-exception-2.0", "LicenseRef-Acme"}) {
		t.Errorf("allow list not canonical: %v", s.Licenses.Allow)
	}
	if len(s.Rules) != len(Default().Rules)+1 || s.Rules[len(s.Rules)-1].ID != "ACME-NO-LEFTPAD" {
		t.Fatalf("rules: %d, last %s", len(s.Rules), s.Rules[len(s.Rules)-1].ID)
	}
	for _, r := range s.Rules {
		switch r.ID {
		case RuleLicenseUnknown:
			// overridden field by field: severity changes, the rest is the default's
			if r.Severity != sillage.SeverityHigh || r.Condition != ruleOf(Default(), RuleLicenseUnknown).Condition || r.Pos.File != "ministry.yaml" || r.Pos.Line != 9 {
				t.Errorf("LIC-UNKNOWN override: %+v", r)
			}
		case RuleSILLRecommended:
			if r.Enabled {
				t.Error("SILL-RECOMMENDED not disabled")
			}
		case "ACME-NO-LEFTPAD":
			if r.AppliesTo != AppliesToComponent || r.ConditionPos.Line != 16 || r.ConditionPos.Block {
				t.Errorf("new rule: %+v", r)
			}
		}
	}
	if len(s.Waivers) != 1 {
		t.Fatalf("waivers %+v", s.Waivers)
	}
	w := s.Waivers[0]
	if w.Pos.String() != "ministry.yaml:24" || w.Component == nil || !w.Component.Range.Contains("windows", "11.0.23") || w.Component.Range.Contains("windows", "12.0") {
		t.Errorf("waiver: %+v", w)
	}
	// the file's ci profile replaces the default's; its own profile is added
	ci, err := s.WithProfile("")
	if err != nil {
		t.Fatal(err)
	}
	if ci.Profile != "ci" || ci.FailOn != sillage.SeverityCritical || len(ci.Licenses.DenyCategories) != 1 || ci.Licenses.DenyCategories[0] != sillage.CategoryNetworkCopyleft {
		t.Errorf("file's ci profile: failOn %s, categories %v", ci.FailOn, ci.Licenses.DenyCategories)
	}
	if !slices.Contains(s.ProfileNames(), "audit") || !slices.Contains(s.ProfileNames(), "procurement") {
		t.Errorf("profiles %v", s.ProfileNames())
	}
}

func ruleOf(s Set, id string) Rule {
	for _, r := range s.Rules {
		if r.ID == id {
			return r
		}
	}
	return Rule{}
}

func TestLoadPolicyExtendsNone(t *testing.T) {
	s, err := LoadPolicy("p.yaml", []byte(`name: strict
version: 1
extends: none
failOn: medium
licenses:
  allowCategories: [permissive, public-domain]
rules:
  - id: ONLY
    severity: low
    condition: "true"
    message: x
`))
	if err != nil {
		t.Fatal(err)
	}
	if s.Extends != "" || len(s.Rules) != 1 || len(s.Profiles) != 0 || s.FailOn != sillage.SeverityMedium {
		t.Errorf("%+v", s)
	}
	// allowCategories denies every other category, unknown included
	for _, c := range []sillage.LicenseCategory{sillage.CategoryWeakCopyleft, sillage.CategoryProprietary, sillage.CategoryUnknown} {
		if !slices.Contains(s.Licenses.DenyCategories, c) {
			t.Errorf("allowCategories did not deny %s: %v", c, s.Licenses.DenyCategories)
		}
	}
	if slices.Contains(s.Licenses.DenyCategories, sillage.CategoryPermissive) {
		t.Errorf("permissive denied: %v", s.Licenses.DenyCategories)
	}
}

func TestLoadPolicyErrors(t *testing.T) {
	head := "name: p\nversion: \"1\"\n"
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"not yaml", "name: [a\n", []string{"p.yaml:1: not valid YAML"}},
		{"empty", "", []string{"p.yaml: empty file"}},
		{"not a mapping", "- a\n", []string{"p.yaml:1: want a mapping"}},
		{"unknown key", head + "nmae: x\n", []string{"p.yaml:3: nmae: unknown field; expected one of format, name"}},
		{"missing name and version", "extends: none\n", []string{"p.yaml:1: name: missing", "p.yaml:1: version: missing"}},
		{"future format", "format: 2\n" + head, []string{"p.yaml:1: format: \"2\": this version of sillage reads policy format 1"}},
		{"bad extends", head + "extends: strict\n", []string{`p.yaml:3: extends: "strict": use default`}},
		{"bad licence id", head + "licenses:\n  deny: [MIT, MTI]\n", []string{`p.yaml:4: licenses.deny[2]: "MTI" is not on the SPDX licence list`}},
		{"expression in list", head + "licenses:\n  allow:\n    - MIT OR ISC\n", []string{`p.yaml:5: licenses.allow[1]: "MIT OR ISC" is an expression`}},
		{"bad category", head + "licenses:\n  denyCategories: [copyleft]\n", []string{`p.yaml:4: licenses.denyCategories[1]: "copyleft" is not a licence category`}},
		{"allowed and denied", head + "licenses:\n  allow: [MIT]\n  deny: [mit]\n", []string{"p.yaml:3: licenses: MIT is both allowed and denied"}},
		{"bad severity", head + "rules:\n  - id: X\n    severity: severe\n    condition: 'true'\n    message: m\n", []string{`p.yaml:5: rule X: severity: unknown severity "severe"`}},
		{"rule without id", head + "rules:\n  - severity: low\n", []string{"p.yaml:4: rule #1: id: missing"}},
		{"new rule incomplete", head + "rules:\n  - id: NEW\n    severity: low\n", []string{"p.yaml:4: rule NEW: condition: missing", "p.yaml:4: rule NEW: message: missing"}},
		{"duplicate rule", head + "rules:\n  - {id: A, severity: low, condition: 'true', message: m}\n  - {id: A, severity: low}\n", []string{"p.yaml:5: rule A: id: a rule with this id is already defined"}},
		{"bad appliesTo", head + "rules:\n  - {id: A, severity: low, condition: 'true', message: m, appliesTo: host}\n", []string{`p.yaml:4: rule A: appliesTo: "host": use component, file or waiver`}},
		{"bad rule id", head + "rules:\n  - {id: 'A B', severity: low, condition: 'true', message: m}\n", []string{`rule A B: id: "A B": use letters`}},
		{"enabled not bool", head + "rules:\n  - {id: LIC-UNKNOWN, enabled: no-way}\n", []string{"p.yaml:4: rule LIC-UNKNOWN: enabled: want true or false"}},
		{"waiver without justification", head + "waivers:\n  - id: w\n    rules: [LIC-UNKNOWN]\n    expires: 2027-01-01\n", []string{"p.yaml:4: waiver w: justification: missing"}},
		{"waiver bad date", head + "waivers:\n  - {id: w, rules: [LIC-UNKNOWN], justification: j, expires: 2027-13-01}\n", []string{`p.yaml:4: waiver w: expires: "2027-13-01" is not a date`}},
		{"waiver without expiry", head + "waivers:\n  - {id: w, rules: [LIC-UNKNOWN], justification: j}\n", []string{"p.yaml:4: waiver w: expires: missing"}},
		{"waiver unknown rule", head + "waivers:\n  - {id: w, rules: [NOPE], justification: j, expires: 2027-01-01}\n", []string{`p.yaml:4: waiver w: rules[1]: "NOPE" is not a rule of this policy`}},
		{"waiver selects nothing", head + "waivers:\n  - {id: w, justification: j, expires: 2027-01-01}\n", []string{"p.yaml:4: waiver w: selects nothing"}},
		{"waiver bad range", head + "waivers:\n  - id: w\n    component: {name: x, versions: '>=1.0,'}\n    justification: j\n    expires: 2027-01-01\n", []string{`p.yaml:5: waiver w: component.versions: version range ">=1.0,": empty constraint`}},
		{"waiver bad purl", head + "waivers:\n  - id: w\n    component: {purl: 'npm/x'}\n    justification: j\n    expires: 2027-01-01\n", []string{`p.yaml:5: waiver w: component.purl: "npm/x" is not a package URL`}},
		{"waiver empty selector", head + "waivers:\n  - id: w\n    component: {versions: '1.0'}\n    justification: j\n    expires: 2027-01-01\n", []string{"p.yaml:5: waiver w: component: give purl, name or type"}},
		{"waiver duplicate", head + "waivers:\n  - {id: w, rules: [LIC-UNKNOWN], justification: j, expires: 2027-01-01}\n  - {id: w, rules: [LIC-UNKNOWN], justification: j, expires: 2027-01-01}\n", []string{"p.yaml:5: waiver w: id: a waiver with this id is already defined"}},
		{"profile unknown rule", head + "profiles:\n  mine:\n    severities: {NOPE: low}\n", []string{`p.yaml:4: profile mine: severities.NOPE: "NOPE" is not a rule`}},
		{"profile bad severity", head + "profiles:\n  mine:\n    severities: {LIC-UNKNOWN: big}\n", []string{`p.yaml:5: profile mine: severities.LIC-UNKNOWN: unknown severity "big"`}},
		{"profile bad name", head + "profiles:\n  Mine:\n    failOn: low\n", []string{"p.yaml:4: profile Mine: use lower-case letters"}},
		{"default profile unknown", head + "profile: laptop\n", []string{`p.yaml:1: profile: "laptop" is not a profile of this policy; use one of workstation, server, ci, procurement`}},
		{"merge key", head + "licenses:\n  <<: {allow: [MIT]}\n", []string{"p.yaml:4: licenses.<<: YAML merge keys are not supported"}},
		{"translation bad language", head + "rules:\n  - id: X\n    severity: low\n    condition: 'true'\n    message: m\n    translations:\n      FR: {message: m}\n", []string{`p.yaml:9: rule X: translations.FR: "FR": use a two-letter lower-case language code`}},
		{"translation without message", head + "rules:\n  - id: X\n    severity: low\n    condition: 'true'\n    message: m\n    translations:\n      fr: {remediation: r}\n", []string{"p.yaml:9: rule X: translations.fr.message: missing"}},
		{"translation unknown field", head + "rules:\n  - id: X\n    severity: low\n    condition: 'true'\n    message: m\n    translations:\n      fr: {message: m, title: t}\n", []string{"rule X: translations.fr.title: unknown field"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadPolicy("p.yaml", []byte(tt.yaml))
			var pe PolicyErrors
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v (%T), want PolicyErrors", err, err)
			}
			if !errors.Is(err, sillage.ErrInvalidInput) {
				t.Error("policy errors are not marked as invalid input")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("errors do not say %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestLoadPolicyTooLarge(t *testing.T) {
	_, err := LoadPolicy("big.yaml", make([]byte, MaxPolicySize+1))
	if err == nil || !strings.Contains(err.Error(), "at most") {
		t.Errorf("err = %v", err)
	}
}

func TestWaiverExpiry(t *testing.T) {
	s, err := LoadPolicy("p.yaml", []byte("name: p\nversion: 1\nwaivers:\n  - {id: w, rules: [LIC-UNKNOWN], justification: j, expires: 2027-06-30}\n"))
	if err != nil {
		t.Fatal(err)
	}
	w := s.Waivers[0]
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tt := range []struct {
		now     string
		expired bool
		days    int
	}{
		{"2027-06-01T12:00:00Z", false, 29},
		{"2027-06-30T00:00:00Z", false, 0},
		{"2027-06-30T23:59:59Z", false, 0}, // the expiry day is the last day it applies
		{"2027-07-01T00:00:00Z", true, -1},
		{"2027-07-01T01:00:00+02:00", false, 0}, // still June 30 in UTC
	} {
		if got := w.Expired(at(tt.now)); got != tt.expired {
			t.Errorf("Expired(%s) = %v, want %v", tt.now, got, tt.expired)
		}
		if got := w.DaysLeft(at(tt.now)); got != tt.days {
			t.Errorf("DaysLeft(%s) = %d, want %d", tt.now, got, tt.days)
		}
	}
}

// FuzzLoadPolicy checks that no file makes the loader panic, and that
// every error names the file.
func FuzzLoadPolicy(f *testing.F) {
	f.Add([]byte(userPolicy))
	f.Add(DefaultPolicyYAML())
	f.Add([]byte("name: p\nversion: 1\nrules:\n  - {id: A, severity: low, condition: 'true', message: m}\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("name: p\nversion: 1\nwaivers:\n  - {id: w, component: {purl: 'pkg:npm/x', versions: 'vers:npm/>=1|<2'}, justification: j, expires: 2027-01-01}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := LoadPolicy("fuzz.yaml", data)
		if err == nil {
			return
		}
		var pe PolicyErrors
		if !errors.As(err, &pe) || len(pe) == 0 {
			t.Fatalf("error of type %T: %v", err, err)
		}
		for _, e := range pe {
			if e.Pos.File != "fuzz.yaml" && e.Pos.File != DefaultPolicySource {
				t.Errorf("error names %q: %v", e.Pos.File, e)
			}
		}
	})
}

func TestOverrideTranslations(t *testing.T) {
	find := func(s Set, id string) Rule {
		for _, r := range s.Rules {
			if r.ID == id {
				return r
			}
		}
		t.Fatalf("no rule %s", id)
		return Rule{}
	}
	// a new English message makes the default's French one stale: dropped
	s, err := LoadPolicy("p.yaml", []byte("name: p\nversion: 1\nrules:\n  - id: LIC-UNDECLARED\n    message: \"{{component.label}} has no licence\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if tr := find(s, RuleLicenseUndeclared).Translations; tr != nil {
		t.Errorf("overridden message kept the default's translations %v", tr)
	}
	// a translation alone is added to the default's
	s, err = LoadPolicy("p.yaml", []byte("name: p\nversion: 1\nrules:\n  - id: LIC-UNDECLARED\n    translations:\n      de: {message: \"{{component.label}} hat keine Lizenz\"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	tr := find(s, RuleLicenseUndeclared).Translations
	if tr["de"].Message == "" || tr["fr"].Message == "" {
		t.Errorf("translations %v, want the default's fr and the file's de", tr)
	}
	if Default().Rules[0].Translations["de"].Message != "" {
		t.Error("the override changed the embedded default policy")
	}
}
