// Package policy applies a rule set to components and returns findings.
//
// Evaluation is a pure function of its inputs: no file reads, no printing,
// no exit calls. The CLI decides what findings mean for the exit code.
package policy

import (
	"context"
	"fmt"
	"strings"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/rules"
)

// check returns the message of a finding for c, or "" when c passes. in
// gives what else the evaluation knows (the migrations).
type check func(c sillage.Component, in *input) string

// input indexes an Input for the checks.
type input struct {
	migrations map[string]sillage.Migration // by component ID
}

// applications are the component types that are programs a user
// installed, rather than libraries or OS packages.
var applications = map[sillage.Type]bool{
	sillage.TypeWindows: true, sillage.TypeMacOS: true, sillage.TypeFlatpak: true, sillage.TypeSnap: true,
}

func sillStatus(status string, msg string) check {
	return func(c sillage.Component, _ *input) string {
		if c.SILL == nil || c.SILL.Status != status {
			return ""
		}
		return fmt.Sprintf(msg, c.Label(), c.SILL.Name, c.SILL.ID)
	}
}

var checks = map[string]check{
	rules.RuleSILLRecommended:         sillStatus("recommended", "%s is %s, recommended by the SILL (entry %s)"),
	rules.RuleSILLInObservation:       sillStatus("in-observation", "%s is %s, in observation in the SILL (entry %s)"),
	rules.RuleSILLNoLongerRecommended: sillStatus("no-longer-recommended", "%s is %s, which the SILL no longer recommends (entry %s)"),
	rules.RuleSILLBelowMinimum: func(c sillage.Component, _ *input) string {
		if c.SILL == nil || !c.SILL.BelowMinimum {
			return ""
		}
		return fmt.Sprintf("%s is older than %s, the minimal version the SILL recommends for %s", c.Label(), c.SILL.MinVersion, c.SILL.Name)
	},
	rules.RuleSILLNotListed: func(c sillage.Component, in *input) string {
		if c.SILL != nil || !applications[c.Type] {
			return ""
		}
		if _, ok := in.migrations[c.ID]; ok {
			return "" // reported as a migration
		}
		return fmt.Sprintf("%s (%s) is not on the SILL", c.Label(), c.Type)
	},
	rules.RuleSILLMigration: func(c sillage.Component, in *input) string {
		m, ok := in.migrations[c.ID]
		if !ok || len(m.Alternatives) == 0 {
			return ""
		}
		var alts []string
		for _, a := range m.Alternatives {
			alts = append(alts, a.Name)
		}
		return fmt.Sprintf("%s is %s (%s); the SILL lists %s", c.Label(), m.Product, m.Category, strings.Join(alts, ", "))
	},
	rules.RuleLicenseUndeclared: func(c sillage.Component, _ *input) string {
		l := c.Licenses
		if len(l.Declared) > 0 || len(l.Detected) > 0 || l.Concluded != "" {
			return ""
		}
		return fmt.Sprintf("%s (%s) declares no licence and none was detected", c.Label(), c.Type)
	},
}

// Input is what the policy evaluates: the components (with their
// concluded licences and SILL matches) and the migrations found.
type Input struct {
	Components []sillage.Component
	Migrations []sillage.Migration
}

// Evaluate applies rs to in. Findings are sorted by severity, then
// component ID, then rule ID, so that every report is deterministic. It
// returns an error when rs names a rule this build does not implement.
func Evaluate(ctx context.Context, rs rules.Set, in Input) ([]sillage.Finding, error) {
	comps := in.Components
	idx := &input{migrations: map[string]sillage.Migration{}}
	for _, m := range in.Migrations {
		idx.migrations[m.ComponentID] = m
	}
	if err := rs.Validate(); err != nil {
		return nil, err
	}
	type bound struct {
		rule  rules.Rule
		check check
	}
	bs := make([]bound, 0, len(rs.Rules))
	for _, r := range rs.Rules {
		ck, ok := checks[r.ID]
		if !ok {
			return nil, fmt.Errorf("policy %s: rule %s: not implemented by this version of sillage", rs.Name, r.ID)
		}
		bs = append(bs, bound{r, ck})
	}
	findings := []sillage.Finding{}
	for i, c := range comps {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		for _, b := range bs {
			msg := b.check(c, idx)
			if msg == "" {
				continue
			}
			findings = append(findings, sillage.Finding{
				RuleID:      b.rule.ID,
				Severity:    b.rule.Severity,
				ComponentID: c.ID,
				Message:     msg,
				Remediation: b.rule.Remediation,
			})
		}
	}
	sillage.SortFindings(findings)
	return findings, nil
}
