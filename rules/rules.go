// Package rules holds the rule data sillage evaluates components against,
// and the default policy compiled into the binary.
//
// It describes rules; it does not apply them (that is the policy package)
// and it never reads files outside the embedded defaults unless a caller
// hands it one.
package rules

import (
	"fmt"

	"github.com/sillage-oss/sillage"
)

// Set is a named, versioned list of rules: a policy.
type Set struct {
	// Name identifies the policy, e.g. "default".
	Name string
	// Version is the policy's version, recorded in every Result.
	Version string
	// Rules are the rules to apply, in the order they are reported.
	Rules []Rule
}

// Rule is one check and what to say when it fails.
type Rule struct {
	// ID is the stable rule identifier, e.g. "LIC-UNDECLARED". It is
	// also the SARIF ruleId.
	ID string
	// Severity is the severity of the findings the rule raises.
	Severity sillage.Severity
	// Title is a short description of what the rule checks.
	Title string
	// Remediation tells the user what to do about a finding.
	Remediation string
}

// The rule IDs of the default policy. They are stable: reports, baselines
// and SARIF refer to them.
const (
	// RuleLicenseUndeclared flags components for which no licence was
	// declared or detected: without a licence, no right to use the software
	// is granted, and an unknown licence is never to be taken as permissive.
	RuleLicenseUndeclared = "LIC-UNDECLARED"
	// RuleSILLRecommended notes a component the SILL recommends.
	RuleSILLRecommended = "SILL-RECOMMENDED"
	// RuleSILLInObservation notes a component the SILL lists "en
	// observation": listed, not yet recommended.
	RuleSILLInObservation = "SILL-IN-OBSERVATION"
	// RuleSILLNoLongerRecommended flags a component the SILL no longer
	// recommends (dereferenced).
	RuleSILLNoLongerRecommended = "SILL-NO-LONGER-RECOMMENDED"
	// RuleSILLBelowMinimum flags a component older than the SILL's
	// minimal recommended version.
	RuleSILLBelowMinimum = "SILL-BELOW-MINIMUM"
	// RuleSILLNotListed notes an application (Windows, macOS, Flatpak or
	// Snap program) that matches no SILL entry. Libraries and OS packages
	// are not reported one by one: the summary counts them.
	RuleSILLNotListed = "SILL-NOT-LISTED"
	// RuleSILLMigration flags a proprietary product for which the SILL
	// lists free alternatives (see the result's migrations).
	RuleSILLMigration = "SILL-MIGRATION"
)

// Default returns the policy sillage applies when the user gives none.
func Default() Set {
	return Set{
		Name:    "default",
		Version: "2",
		Rules: []Rule{{
			ID:          RuleLicenseUndeclared,
			Severity:    sillage.SeverityLow,
			Title:       "Component declares no licence",
			Remediation: "find the licence in the component's documentation or from its supplier, and record it (in an SBOM or a policy waiver); until then treat it as all rights reserved",
		}, {
			ID:          RuleSILLNoLongerRecommended,
			Severity:    sillage.SeverityMedium,
			Title:       "Component is no longer recommended by the SILL",
			Remediation: "plan a replacement: 'sillage sill show ID' gives the reason and the similar software the SILL recommends",
		}, {
			ID:          RuleSILLBelowMinimum,
			Severity:    sillage.SeverityLow,
			Title:       "Component is older than the SILL's minimal version",
			Remediation: "upgrade to the minimal version the SILL recommends or later",
		}, {
			ID:          RuleSILLMigration,
			Severity:    sillage.SeverityInfo,
			Title:       "Proprietary product with free alternatives on the SILL",
			Remediation: "assess a migration to one of the SILL alternatives listed in the report",
		}, {
			ID:          RuleSILLInObservation,
			Severity:    sillage.SeverityInfo,
			Title:       "Component is in observation in the SILL",
			Remediation: "none needed; the SILL lists it but does not recommend it yet",
		}, {
			ID:          RuleSILLRecommended,
			Severity:    sillage.SeverityInfo,
			Title:       "Component is recommended by the SILL",
			Remediation: "none needed",
		}, {
			ID:          RuleSILLNotListed,
			Severity:    sillage.SeverityInfo,
			Title:       "Application not on the SILL",
			Remediation: "check whether a SILL entry covers the same need ('sillage sill search'), or propose the software for the SILL",
		}},
	}
}

// Ref returns how a Result records which policy produced its findings.
func (s Set) Ref() sillage.CatalogRef {
	return sillage.CatalogRef{Name: "policy", Version: s.Name + "@" + s.Version, Source: "embedded"}
}

// Validate checks that every rule has an ID and a valid severity and that
// no ID appears twice.
func (s Set) Validate() error {
	seen := map[string]bool{}
	for i, r := range s.Rules {
		if r.ID == "" {
			return fmt.Errorf("policy %s: rule %d: missing id", s.Name, i+1)
		}
		if seen[r.ID] {
			return fmt.Errorf("policy %s: rule %s: duplicate id", s.Name, r.ID)
		}
		seen[r.ID] = true
		if r.Severity.Rank() == 0 {
			return fmt.Errorf("policy %s: rule %s: severity %q is not one of info, low, medium, high, critical", s.Name, r.ID, r.Severity)
		}
	}
	return nil
}
