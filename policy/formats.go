package policy

import (
	"fmt"
	"strings"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/rules"
)

// formatRules raise findings about the document formats of a tree, not
// about components. Evaluate accepts them in a rule set (they match no
// component); EvaluateFormats applies them.
var formatRules = map[string]string{
	rules.RuleRGIMigrate: "migrate",
	rules.RuleRGIReview:  "review",
}

func init() {
	for id := range formatRules {
		checks[id] = func(sillage.Component, *input) string { return "" }
	}
}

// EvaluateFormats applies the format rules of rs to a format inventory:
// one finding per format (and OOXML variant) whose action is that of the
// rule, never one per file. The finding's severity is the format's (a
// legacy .doc is high, an OOXML document low, OOXML Transitional medium),
// capped by the rule's: the rule's severity is the most it may raise.
func EvaluateFormats(rs rules.Set, inv *sillage.FormatInventory) []sillage.Finding {
	findings := []sillage.Finding{}
	if inv == nil {
		return findings
	}
	for _, r := range rs.Rules {
		action, ok := formatRules[r.ID]
		if !ok {
			continue
		}
		for _, s := range inv.Summary {
			if s.Action != action {
				continue
			}
			sev := s.Severity
			if sev.Rank() == 0 || sev.Rank() > r.Severity.Rank() {
				sev = r.Severity
			}
			findings = append(findings, sillage.Finding{
				RuleID:      r.ID,
				Severity:    sev,
				Message:     formatMessage(s),
				Remediation: r.Remediation,
			})
		}
	}
	sillage.SortFindings(findings)
	return findings
}

func formatMessage(s sillage.FormatSummary) string {
	name := s.Name
	if s.Variant != "" {
		name += " " + strings.ToUpper(s.Variant[:1]) + s.Variant[1:]
	}
	noun := "files are"
	if s.Files == 1 {
		noun = "file is"
	}
	msg := fmt.Sprintf("%d %s %s (%s)", s.Files, noun, name, s.FormatID)
	switch s.RGIStatus {
	case "", "unverified", "unknown":
		msg += ", RGI status not verified"
	default:
		msg += ", RGI status " + s.RGIStatus
	}
	if s.Replacement != "" {
		msg += "; " + s.Action + " to " + s.Replacement
		if len(s.ConvertWith) > 0 {
			var ts []string
			for _, t := range s.ConvertWith {
				ts = append(ts, fmt.Sprintf("%s (SILL %s)", t.Name, t.SILLID))
			}
			msg += " with " + strings.Join(ts, " or ")
		}
	}
	return msg
}
