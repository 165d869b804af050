package policy

import (
	"slices"
	"strings"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/rules"
)

// RuleInfos describes the rules of s (and the built-in format rules) that
// raised findings, sorted by ID, for Result.Rules.
func RuleInfos(findings []sillage.Finding, s rules.Set) []sillage.RuleInfo {
	titles := map[string]string{}
	for _, r := range FormatRules {
		titles[r.ID] = r.Title
	}
	for _, r := range s.Rules {
		titles[r.ID] = r.Title
	}
	seen := map[string]bool{}
	var out []sillage.RuleInfo
	for _, f := range findings {
		if seen[f.RuleID] {
			continue
		}
		seen[f.RuleID] = true
		out = append(out, sillage.RuleInfo{ID: f.RuleID, Title: titles[f.RuleID]})
	}
	slices.SortFunc(out, func(a, b sillage.RuleInfo) int { return strings.Compare(a.ID, b.ID) })
	return out
}
