package policy_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/policy"
	"github.com/sillage-oss/sillage/rules"
)

// workload makes n varied components, the shapes a host scan produces:
// OS packages with and without licences, SILL matches of every status,
// applications, proprietary products with migrations.
func workload(n int) policy.Input {
	r := rand.New(rand.NewPCG(6, 6))
	types := []sillage.Type{sillage.TypeDeb, sillage.TypeDeb, sillage.TypeDeb, sillage.TypeNPM, sillage.TypePyPI, sillage.TypeWindows, sillage.TypeFlatpak}
	licences := []struct {
		expr string
		cat  sillage.LicenseCategory
	}{
		{"MIT", sillage.CategoryPermissive}, {"GPL-2.0-or-later", sillage.CategoryStrongCopyleft},
		{"LGPL-2.1-only OR MPL-2.0", sillage.CategoryWeakCopyleft}, {"Apache-2.0 AND BSD-3-Clause", sillage.CategoryPermissive},
		{"LicenseRef-Proprietary", sillage.CategoryProprietary}, {"", sillage.CategoryUnknown},
	}
	statuses := []string{"recommended", "in-observation", "no-longer-recommended"}
	var in policy.Input
	for i := range n {
		c := sillage.Component{Name: fmt.Sprintf("pkg-%d", i), Version: fmt.Sprintf("%d.%d", r.IntN(5), r.IntN(20)), Type: types[r.IntN(len(types))]}
		l := licences[r.IntN(len(licences))]
		switch r.IntN(4) {
		case 0: // nothing declared
		case 1: // declared but not mapped
			c.Licenses.Declared = []sillage.DeclaredLicense{{Value: "custom licence " + c.Name}}
			c.Licenses.Category = sillage.CategoryUnknown
		default:
			if l.expr != "" {
				c.Licenses.Declared = []sillage.DeclaredLicense{{Value: l.expr, SPDX: l.expr}}
			}
			c.Licenses.Concluded, c.Licenses.Category = l.expr, l.cat
		}
		if r.IntN(10) == 0 {
			c.SILL = &sillage.SILLMatch{ID: fmt.Sprint(r.IntN(300)), Name: "Soft " + c.Name, Status: statuses[r.IntN(3)], MinVersion: "2.0", BelowMinimum: r.IntN(2) == 0}
		}
		c.ID = sillage.ComponentID(c)
		if c.Type == sillage.TypeWindows && r.IntN(3) == 0 {
			m := sillage.Migration{ComponentID: c.ID, Product: "Product " + c.Name, Category: "office suite"}
			for range r.IntN(3) {
				m.Alternatives = append(m.Alternatives, sillage.Alternative{SILLID: "78", Name: "LibreOffice"})
			}
			in.Migrations = append(in.Migrations, m)
		}
		in.Components = append(in.Components, c)
	}
	in.Now = scanTime
	return in
}

// legacy is the default policy as sillage 0.x hard-coded it in Go
// (default@2): the reference the CEL policy must reproduce, and the
// baseline of the benchmarks.
func legacy(in policy.Input) []sillage.Finding {
	migrations := map[string]sillage.Migration{}
	for _, m := range in.Migrations {
		migrations[m.ComponentID] = m
	}
	apps := map[sillage.Type]bool{sillage.TypeWindows: true, sillage.TypeMacOS: true, sillage.TypeFlatpak: true, sillage.TypeSnap: true}
	sev := map[string]sillage.Severity{}
	rem := map[string]string{}
	for _, r := range rules.Default().Rules {
		sev[r.ID], rem[r.ID] = r.Severity, r.Remediation
	}
	out := []sillage.Finding{}
	add := func(id string, c sillage.Component, msg string) {
		out = append(out, sillage.Finding{RuleID: id, Severity: sev[id], ComponentID: c.ID, Message: msg, Remediation: rem[id]})
	}
	for _, c := range in.Components {
		l := c.Licenses
		if len(l.Declared) == 0 && len(l.Detected) == 0 && l.Concluded == "" {
			add(rules.RuleLicenseUndeclared, c, fmt.Sprintf("%s (%s) declares no licence and none was detected", c.Label(), c.Type))
		}
		if s := c.SILL; s != nil {
			switch s.Status {
			case "recommended":
				add(rules.RuleSILLRecommended, c, fmt.Sprintf("%s is %s, recommended by the SILL (entry %s)", c.Label(), s.Name, s.ID))
			case "in-observation":
				add(rules.RuleSILLInObservation, c, fmt.Sprintf("%s is %s, in observation in the SILL (entry %s)", c.Label(), s.Name, s.ID))
			case "no-longer-recommended":
				add(rules.RuleSILLNoLongerRecommended, c, fmt.Sprintf("%s is %s, which the SILL no longer recommends (entry %s)", c.Label(), s.Name, s.ID))
			}
			if s.BelowMinimum {
				add(rules.RuleSILLBelowMinimum, c, fmt.Sprintf("%s is older than %s, the minimal version the SILL recommends for %s", c.Label(), s.MinVersion, s.Name))
			}
		}
		m, hasM := migrations[c.ID]
		if c.SILL == nil && apps[c.Type] && !hasM {
			add(rules.RuleSILLNotListed, c, fmt.Sprintf("%s (%s) is not on the SILL", c.Label(), c.Type))
		}
		if hasM && len(m.Alternatives) > 0 {
			var alts []string
			for _, a := range m.Alternatives {
				alts = append(alts, a.Name)
			}
			add(rules.RuleSILLMigration, c, fmt.Sprintf("%s is %s (%s); the SILL lists %s", c.Label(), m.Product, m.Category, strings.Join(alts, ", ")))
		}
	}
	sillage.SortFindings(out)
	return out
}

// TestDefaultReproducesLegacy checks that the CEL default policy gives
// exactly the findings the hard-coded default@2 gave, message for
// message, on a varied workload: the rules it kept did not change.
func TestDefaultReproducesLegacy(t *testing.T) {
	in := workload(3000)
	s := rules.Default()
	kept := map[string]bool{}
	for _, id := range []string{rules.RuleLicenseUndeclared, rules.RuleSILLRecommended, rules.RuleSILLInObservation,
		rules.RuleSILLNoLongerRecommended, rules.RuleSILLBelowMinimum, rules.RuleSILLNotListed, rules.RuleSILLMigration} {
		kept[id] = true
	}
	for i := range s.Rules {
		s.Rules[i].Enabled = kept[s.Rules[i].ID]
	}
	got := eval(t, s, in)
	for i := range got {
		if got[i].Translations["fr"].Message == "" {
			t.Fatalf("%s finding without its French translation: %+v", got[i].RuleID, got[i])
		}
		got[i].Translations = nil // default@2 had none; the English text must not change
	}
	want := legacy(in)
	if len(want) < 1000 {
		t.Fatalf("workload too thin: %d findings", len(want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CEL default policy differs from default@2 (-legacy +cel):\n%s", diff)
	}
}

// BenchmarkLegacy10k is the baseline: the default@2 rules hard-coded in Go.
func BenchmarkLegacy10k(b *testing.B) {
	in := workload(10000)
	b.ResetTimer()
	for b.Loop() {
		legacy(in)
	}
}

// BenchmarkEvaluate10k applies the compiled default policy (all 16
// rules) to 10,000 components.
func BenchmarkEvaluate10k(b *testing.B) {
	in := workload(10000)
	e, err := policy.Compile(rules.Default())
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.Evaluate(b.Context(), in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluateLists10k adds the licence list rules (allow, deny and
// categories, which evaluate the SPDX expression) of the ci profile.
func BenchmarkEvaluateLists10k(b *testing.B) {
	in := workload(10000)
	s, err := rules.LoadPolicy("bench.yaml", []byte("name: b\nversion: 1\nlicenses:\n  allow: [MIT, Apache-2.0, BSD-3-Clause, MPL-2.0]\n  deny: [GPL-2.0-or-later]\n"))
	if err != nil {
		b.Fatal(err)
	}
	if s, err = s.WithProfile("ci"); err != nil {
		b.Fatal(err)
	}
	e, err := policy.Compile(s)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.Evaluate(b.Context(), in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompileDefault is the cost paid once per scan.
func BenchmarkCompileDefault(b *testing.B) {
	s := rules.Default()
	for b.Loop() {
		if _, err := policy.Compile(s); err != nil {
			b.Fatal(err)
		}
	}
}
