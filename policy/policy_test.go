package policy_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/policy"
	"github.com/sillage-oss/sillage/rules"
)

func comp(name string, l sillage.Licenses) sillage.Component {
	c := sillage.Component{Name: name, Version: "1.0", Type: sillage.TypeNPM, Licenses: l}
	c.ID = sillage.ComponentID(c)
	return c
}

func ruleIDs(fs []sillage.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.RuleID+":"+f.Severity.String()+":"+strings.SplitN(f.Message, " ", 2)[0])
	}
	return out
}

func TestEvaluateDefault(t *testing.T) {
	tests := []struct {
		name  string
		comps []sillage.Component
		want  []string
	}{
		{"declared", []sillage.Component{comp("a", sillage.Licenses{Declared: []sillage.DeclaredLicense{{Value: "MIT", SPDX: "MIT"}}})}, nil},
		{"declared but unmapped", []sillage.Component{comp("a", sillage.Licenses{Declared: []sillage.DeclaredLicense{{Value: "Custom EULA"}}})}, nil},
		{"detected only", []sillage.Component{comp("a", sillage.Licenses{Detected: []sillage.DetectedLicense{{SPDX: "MIT"}}})}, nil},
		{"concluded only", []sillage.Component{comp("a", sillage.Licenses{Concluded: "Apache-2.0"})}, nil},
		{"nothing", []sillage.Component{comp("a", sillage.Licenses{})}, []string{"LIC-UNDECLARED:low:a@1.0"}},
		{"sorted by component", []sillage.Component{comp("b", sillage.Licenses{}), comp("a", sillage.Licenses{})}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := policy.Evaluate(t.Context(), undeclaredOnly(), policy.Input{Components: tt.comps})
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			if tt.name == "sorted by component" {
				// both fail; order follows component IDs, whatever the input order
				a, b := tt.comps[1], tt.comps[0]
				first, second := a, b
				if b.ID < a.ID {
					first, second = b, a
				}
				want = []string{"LIC-UNDECLARED:low:" + first.Label(), "LIC-UNDECLARED:low:" + second.Label()}
			}
			if diff := cmp.Diff(want, ruleIDs(got)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			for _, f := range got {
				if f.ComponentID == "" || f.Remediation == "" || !strings.Contains(f.Message, "declares no licence") {
					t.Errorf("incomplete finding %+v", f)
				}
			}
		})
	}
}

func TestEvaluateRejectsBadRuleSets(t *testing.T) {
	tests := []struct {
		name string
		rs   rules.Set
		want string
	}{
		{"no condition", rules.Set{Name: "x", Rules: []rules.Rule{{ID: "NOPE", Severity: sillage.SeverityLow}}}, "rule NOPE: missing condition"},
		{"bad severity", rules.Set{Name: "x", Rules: []rules.Rule{{ID: rules.RuleLicenseUndeclared, Severity: "severe"}}}, `severity "severe"`},
		{"missing id", rules.Set{Name: "x", Rules: []rules.Rule{{Severity: sillage.SeverityLow}}}, "missing id"},
		{"duplicate id", rules.Set{Name: "x", Rules: []rules.Rule{
			{ID: rules.RuleLicenseUndeclared, Severity: sillage.SeverityLow, Condition: "true"},
			{ID: rules.RuleLicenseUndeclared, Severity: sillage.SeverityHigh, Condition: "true"}}}, "duplicate id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := policy.Evaluate(t.Context(), tt.rs, policy.Input{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestEvaluateCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	comps := make([]sillage.Component, 5000)
	if _, err := policy.Evaluate(ctx, rules.Default(), policy.Input{Components: comps}); err != context.Canceled {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestDefaultRulesValid(t *testing.T) {
	if err := rules.Default().Validate(); err != nil {
		t.Fatal(err)
	}
	if ref := rules.Default().Ref(); ref.Name != "policy" || ref.Version != "default@4" {
		t.Errorf("Ref = %+v", ref)
	}
}

// undeclaredOnly is the default policy restricted to LIC-UNDECLARED.
func undeclaredOnly() rules.Set {
	rs := rules.Default()
	for _, r := range rs.Rules {
		if r.ID == rules.RuleLicenseUndeclared {
			rs.Rules = []rules.Rule{r}
			break
		}
	}
	return rs
}
