// Package rules holds the rule data sillage evaluates components against,
// and the default policy compiled into the binary.
//
// It describes rules; it does not apply them (that is the policy package)
// and it never reads files outside the embedded defaults unless a caller
// hands it one.
package rules

import (
	"fmt"
	"strings"

	"github.com/sillage-oss/sillage"
)

// Set is a named, versioned list of rules: a policy, with the licence
// lists its rules refer to, its waivers and its profiles. LoadPolicy reads
// one from a policy file (docs/policy.md); Default is the embedded one.
type Set struct {
	// Name identifies the policy, e.g. "default".
	Name string
	// Version is the policy's version, recorded in every Result.
	Version string
	// Source is "embedded" for the default policy, else the file the
	// policy was read from, as the user named it.
	Source string
	// Extends is "default@4" when the policy extends the default one.
	Extends string
	// DefaultProfile is the profile the file asks for when the command
	// line names none; "" for none.
	DefaultProfile string
	// Profile is the profile applied (see WithProfile), "" for none.
	Profile string
	// FailOn is the policy's default --fail-on threshold, "" for none.
	FailOn sillage.Severity
	// Licenses are the licence lists rules refer to.
	Licenses LicensePolicy
	// Rules are the rules to apply, in the order they are written.
	Rules []Rule
	// Waivers accept findings until they expire.
	Waivers []Waiver
	// Profiles are the profiles the policy offers.
	Profiles []Profile
}

// RuleText is a rule's message and remediation in one language, with
// where they are written.
type RuleText struct {
	Message, Remediation       string
	MessagePos, RemediationPos TextPos
}

// FormatRuleIDs are the built-in rules of the format summary, which
// waivers may name besides the rules of the policy.
var FormatRuleIDs = []string{RuleRGIMigrate, RuleRGIReview}

// Rule is one check and what to say when it fails.
type Rule struct {
	// ID is the stable rule identifier, e.g. "LIC-UNDECLARED". It is
	// also the SARIF ruleId.
	ID string
	// Severity is the severity of the findings the rule raises.
	Severity sillage.Severity
	// Title is a short description of what the rule checks.
	Title string
	// Remediation tells the user what to do about a finding; it may hold
	// {{expression}} placeholders, like Message.
	Remediation string
	// AppliesTo is what the condition is evaluated on: AppliesToComponent
	// (the default), AppliesToFile or AppliesToWaiver.
	AppliesTo string
	// Condition is a CEL expression over the AppliesTo variable, true
	// when the rule is broken.
	Condition string
	// Message is the finding's message, with {{expression}} placeholders
	// evaluated like the condition.
	Message string
	// Translations are Message and Remediation in other languages, by
	// language code ("fr"). Reports in that language use them; Message
	// and Remediation stay the finding's own text. Nil when none.
	Translations map[string]RuleText
	// Enabled is false for a rule a policy or profile turned off.
	Enabled bool
	// Pos is where the rule was last defined or overridden.
	Pos Pos
	// ConditionPos, MessagePos and RemediationPos say where those texts
	// are written, for error messages.
	ConditionPos, MessagePos, RemediationPos TextPos
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
	// RuleLicenseUnknown flags a component whose licence is declared or
	// detected but not identified.
	RuleLicenseUnknown = "LIC-UNKNOWN"
	// RuleLicenseDenied flags a licence on the policy's deny list.
	RuleLicenseDenied = "LIC-DENIED"
	// RuleLicenseNotAllowed flags a licence the allow list does not cover.
	RuleLicenseNotAllowed = "LIC-NOT-ALLOWED"
	// RuleLicenseCategoryDenied flags a licence of a denied category.
	RuleLicenseCategoryDenied = "LIC-CATEGORY-DENIED"
	// RuleLicenseProprietary notes a proprietary component.
	RuleLicenseProprietary = "LIC-PROPRIETARY"
	// RuleRGIMigrate summarises, per format, the documents of a format
	// inventory the RGI data says to migrate. It is built in, not a rule
	// of the policy file: waivers may name it.
	RuleRGIMigrate = "RGI-MIGRATE"
	// RuleRGIReview summarises, per format, the documents to review.
	RuleRGIReview = "RGI-REVIEW"
	// RuleWaiverExpired flags a waiver past its expiry date: it no longer
	// waives anything.
	RuleWaiverExpired = "POLICY-WAIVER-EXPIRED"
	// RuleWaiverExpiring notes a waiver that expires within 30 days.
	RuleWaiverExpiring = "POLICY-WAIVER-EXPIRING"
)

// Ref returns how a Result records which policy produced its findings.
func (s Set) Ref() sillage.CatalogRef {
	src := s.Source
	if src == "" {
		src = "embedded"
	}
	return sillage.CatalogRef{Name: "policy", Version: s.Name + "@" + s.Version, Source: src, Extends: s.Extends, Profile: s.Profile}
}

// Validate checks that every rule has an ID, a valid severity and a
// condition, and that no ID appears twice. LoadPolicy checks more; this
// is for sets built in code.
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
		if strings.TrimSpace(r.Condition) == "" {
			return fmt.Errorf("policy %s: rule %s: missing condition", s.Name, r.ID)
		}
	}
	return nil
}
