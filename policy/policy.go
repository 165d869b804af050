// Package policy applies a rule set to components and returns findings.
//
// Evaluation is a pure function of its inputs: no file reads, no printing,
// no exit calls. The CLI decides what findings mean for the exit code.
package policy

import (
	"context"
	"fmt"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/rules"
)

// check returns the message of a finding for c, or "" when c passes.
type check func(c sillage.Component) string

var checks = map[string]check{
	rules.RuleLicenseUndeclared: func(c sillage.Component) string {
		l := c.Licenses
		if len(l.Declared) > 0 || len(l.Detected) > 0 || l.Concluded != "" {
			return ""
		}
		return fmt.Sprintf("%s (%s) declares no licence and none was detected", c.Label(), c.Type)
	},
}

// Evaluate applies rs to comps. Findings are sorted by severity, then
// component ID, then rule ID, so that every report is deterministic. It
// returns an error when rs names a rule this build does not implement.
func Evaluate(ctx context.Context, rs rules.Set, comps []sillage.Component) ([]sillage.Finding, error) {
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
			msg := b.check(c)
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
