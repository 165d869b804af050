package rules

import (
	_ "embed"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"go.yaml.in/yaml/v3"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/rules/spdx"
	"github.com/sillage-oss/sillage/rules/vers"
)

//go:embed policy/default.yaml
var defaultPolicyYAML []byte

// DefaultPolicySource is how errors and waivers name the embedded default
// policy file.
const DefaultPolicySource = "embedded:default.yaml"

// PolicyFormat is the version of the policy file format this build reads
// (the file's `format` key).
const PolicyFormat = 1

// MaxPolicySize bounds a policy file: a larger one is refused unread.
const MaxPolicySize = 1 << 20

// What a rule applies to: the value of its appliesTo field, which decides
// the variable its condition and message see.
const (
	AppliesToComponent = "component"
	AppliesToFile      = "file"
	AppliesToWaiver    = "waiver"
)

// LicensePolicy holds the licence lists a policy's rules may refer to
// (as policy.licenses in conditions).
type LicensePolicy struct {
	// Allow are licence terms ("MIT", "GPL-2.0-only WITH
	// Classpath-exception-2.0", "LicenseRef-Acme") in canonical SPDX form.
	Allow []string
	// Deny are licence terms, like Allow.
	Deny []string
	// DenyCategories are the licence categories denied, including those
	// left out of an allowCategories list.
	DenyCategories []sillage.LicenseCategory
}

// Waiver accepts the findings it selects until it expires.
type Waiver struct {
	// ID names the waiver, unique in its policy.
	ID string
	// Rules restricts the waiver to these rule ids; empty means any rule.
	Rules []string
	// Component restricts it to matching components; nil means any.
	Component *ComponentSelector
	// Path restricts it to findings about files matching this glob
	// (doublestar syntax, slash paths inside the target); "" means any.
	Path string
	// Justification says why the findings are accepted; never empty.
	Justification string
	// Expires is the last day the waiver applies, YYYY-MM-DD.
	Expires string
	// Pos is where the waiver is written.
	Pos   Pos
	until time.Time // the instant it stops applying: the day after Expires, 00:00 UTC
}

// Expired reports whether the waiver no longer applies at time now: the
// expiry day, in UTC, is over.
func (w Waiver) Expired(now time.Time) bool { return !now.Before(w.until) }

// DaysLeft is the number of whole days from now's day (UTC) to the expiry
// day: 0 on the expiry day, negative once expired.
func (w Waiver) DaysLeft(now time.Time) int {
	today := time.Date(now.UTC().Year(), now.UTC().Month(), now.UTC().Day(), 0, 0, 0, 0, time.UTC)
	return int(w.until.Sub(today).Hours()/24) - 1
}

// ComponentSelector says which components a waiver covers; every field
// given must match.
type ComponentSelector struct {
	// PURL is a package URL; without a version it matches every version,
	// and qualifiers it gives must be present with the same value.
	PURL string
	// Name is a glob on the component name ("libreoffice-*").
	Name string
	// Type is the component type ("deb", "npm"...).
	Type string
	// Versions is a version range (see package vers) on the component's
	// version, compared with its ecosystem's rules.
	Versions string
	// Range is Versions parsed.
	Range vers.Range
}

// Profile adjusts a policy to a kind of scan.
type Profile struct {
	Name        string
	Description string
	// FailOn is the default --fail-on threshold; "" for none.
	FailOn sillage.Severity
	// Severities overrides rule severities, by rule id.
	Severities map[string]sillage.Severity
	// Disable lists rules the profile turns off.
	Disable []string
	// Licenses replaces the lists it sets (nil: unchanged).
	Allow, Deny    []string
	DenyCategories []sillage.LicenseCategory
	setAllow       bool
	setDeny        bool
	setCategories  bool
	Pos            Pos
}

// Pos is a place in a policy file.
type Pos struct {
	File string
	Line int
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// TextPos says where the text of a rule field (a condition, a message) is
// written, so that an error at a line of the text can name the line of the
// file.
type TextPos struct {
	Pos
	// Block is true when the text is a YAML block scalar ("|" or ">"),
	// whose first line follows the key's line.
	Block bool
}

// Line returns the file line of line n (from 1) of the text.
func (t TextPos) LineOf(n int) int {
	if n < 1 {
		n = 1
	}
	if t.Block {
		return t.Line + n
	}
	return t.Line + n - 1
}

// PolicyError is one mistake in a policy file.
type PolicyError struct {
	Pos Pos
	// Item is what the mistake is in: "rule LIC-X", "waiver legacy",
	// "profile ci", or "" for the top level.
	Item string
	// Field is the field at fault: "severity", "licenses.deny[2]".
	Field string
	Msg   string
}

func (e *PolicyError) Error() string {
	var b strings.Builder
	b.WriteString(e.Pos.String())
	b.WriteString(": ")
	if e.Item != "" {
		b.WriteString(e.Item + ": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// PolicyErrors are every mistake found in a policy, in file order. It
// marks itself as invalid input (sillage.ErrInvalidInput).
type PolicyErrors []*PolicyError

func (es PolicyErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Is makes errors.Is(err, sillage.ErrInvalidInput) true.
func (es PolicyErrors) Is(target error) bool { return target == sillage.ErrInvalidInput }

// maxErrors bounds the errors reported for one file.
const maxErrors = 50

// ---------------------------------------------------------------- parsing

type parser struct {
	file string
	errs PolicyErrors
	lic  *LicenseTable
}

func (p *parser) errorf(n *yaml.Node, item, field, format string, args ...any) {
	if len(p.errs) >= maxErrors {
		return
	}
	line := 0
	if n != nil {
		line = n.Line
	}
	p.errs = append(p.errs, &PolicyError{Pos: Pos{p.file, line}, Item: item, Field: field, Msg: fmt.Sprintf(format, args...)})
}

func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 8; i++ {
		n = n.Alias
	}
	return n
}

type entry struct{ key, val *yaml.Node }

// fields reads a mapping whose keys must be among known; unknown or
// repeated keys are errors.
func (p *parser) fields(n *yaml.Node, item, field string, known ...string) map[string]entry {
	out := map[string]entry{}
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		p.errorf(n, item, field, "want a mapping (key: value lines), not %s", describe(n))
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, item, field, "keys must be plain words")
			continue
		}
		name := k.Value
		if name == "<<" {
			p.errorf(k, item, join(field, name), "YAML merge keys are not supported; write the fields out")
			continue
		}
		if !slices.Contains(known, name) {
			p.errorf(k, item, join(field, name), "unknown field; expected one of %s", strings.Join(known, ", "))
			continue
		}
		if _, dup := out[name]; dup {
			p.errorf(k, item, join(field, name), "given twice")
			continue
		}
		out[name] = entry{k, v}
	}
	return out
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

func describe(n *yaml.Node) string {
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "an empty value"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "an unsupported YAML node"
}

// str reads a scalar as text (numbers and dates as written).
func (p *parser) str(e entry, item, field string) string {
	n := resolve(e.val)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.errorf(e.key, item, field, "want a text value, not %s", describe(n))
		return ""
	}
	return n.Value
}

func (p *parser) boolean(e entry, item, field string) bool {
	n := resolve(e.val)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		p.errorf(e.key, item, field, "want true or false, not %s", describe(n))
		return false
	}
	return n.Value == "true" || n.Value == "True" || n.Value == "TRUE"
}

// list reads a sequence of scalars; an empty value is an empty list.
func (p *parser) list(e entry, item, field string) ([]string, []*yaml.Node) {
	n := resolve(e.val)
	if n != nil && n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return []string{}, nil
	}
	if n == nil || n.Kind != yaml.SequenceNode {
		p.errorf(e.key, item, field, "want a list ([a, b] or lines starting with '- '), not %s", describe(n))
		return nil, nil
	}
	out := make([]string, 0, len(n.Content))
	nodes := make([]*yaml.Node, 0, len(n.Content))
	for i, c := range n.Content {
		c = resolve(c)
		if c == nil || c.Kind != yaml.ScalarNode || c.Tag == "!!null" {
			p.errorf(c, item, fmt.Sprintf("%s[%d]", field, i+1), "want a text value, not %s", describe(c))
			continue
		}
		out = append(out, c.Value)
		nodes = append(nodes, c)
	}
	return out, nodes
}

func (p *parser) severity(e entry, item, field string) sillage.Severity {
	s := p.str(e, item, field)
	if s == "" {
		return ""
	}
	sev, err := sillage.ParseSeverity(s)
	if err != nil {
		p.errorf(e.val, item, field, "%v", err)
		return ""
	}
	return sev
}

func (p *parser) category(n *yaml.Node, item, field, s string) (sillage.LicenseCategory, bool) {
	c := sillage.LicenseCategory(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(validCategories, c) {
		return c, true
	}
	names := make([]string, len(validCategories))
	for i, v := range validCategories {
		names[i] = string(v)
	}
	p.errorf(n, item, field, "%q is not a licence category; use one of %s", s, strings.Join(names, ", "))
	return "", false
}

// licenseTerms reads a list of licence terms into canonical SPDX text.
func (p *parser) licenseTerms(e entry, item, field string) []string {
	vals, nodes := p.list(e, item, field)
	out := make([]string, 0, len(vals))
	for i, v := range vals {
		f := fmt.Sprintf("%s[%d]", field, i+1)
		x, err := spdx.ParseStrict(v)
		if err != nil {
			p.errorf(nodes[i], item, f, "%q is not an SPDX licence id: %v", v, err)
			continue
		}
		switch x.(type) {
		case *spdx.License, *spdx.With:
		default:
			p.errorf(nodes[i], item, f, "%q is an expression; list single licences (an id, or ID WITH EXCEPTION)", v)
			continue
		}
		c, unknown := p.lic.Canonicalize(x)
		if len(unknown) > 0 {
			p.errorf(nodes[i], item, f, "%q is not on the SPDX licence list; 'sillage license list' shows the ids, LicenseRef-NAME names another licence", strings.Join(unknown, ", "))
			continue
		}
		out = append(out, c.String())
	}
	return out
}

func (p *parser) categories(e entry, item, field string) []sillage.LicenseCategory {
	vals, nodes := p.list(e, item, field)
	out := make([]sillage.LicenseCategory, 0, len(vals))
	for i, v := range vals {
		if c, ok := p.category(nodes[i], item, fmt.Sprintf("%s[%d]", field, i+1), v); ok && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// licensesBlock is a licenses: mapping; nil fields were not given.
type licensesBlock struct {
	allow, deny    []string
	denyCategories []sillage.LicenseCategory
	set            [3]bool // allow, deny, categories
}

func (p *parser) licenses(e entry, item, field string) licensesBlock {
	var b licensesBlock
	f := p.fields(e.val, item, field, "allow", "deny", "allowCategories", "denyCategories")
	if x, ok := f["allow"]; ok {
		b.allow, b.set[0] = p.licenseTerms(x, item, join(field, "allow")), true
	}
	if x, ok := f["deny"]; ok {
		b.deny, b.set[1] = p.licenseTerms(x, item, join(field, "deny")), true
	}
	if x, ok := f["denyCategories"]; ok {
		b.denyCategories, b.set[2] = p.categories(x, item, join(field, "denyCategories")), true
	}
	if x, ok := f["allowCategories"]; ok {
		allowed := p.categories(x, item, join(field, "allowCategories"))
		if len(allowed) == 0 {
			p.errorf(x.key, item, join(field, "allowCategories"), "an empty list would deny every licence; leave the field out instead")
		} else {
			for _, c := range validCategories {
				if !slices.Contains(allowed, c) && !slices.Contains(b.denyCategories, c) {
					b.denyCategories = append(b.denyCategories, c)
				}
			}
			b.set[2] = true
		}
	}
	for _, a := range b.allow {
		if slices.ContainsFunc(b.deny, func(d string) bool { return strings.EqualFold(a, d) }) {
			p.errorf(e.key, item, field, "%s is both allowed and denied", a)
		}
	}
	return b
}

// rawRule is a rules: entry; empty fields were not given.
type rawRule struct {
	rule Rule
	set  map[string]bool
	pos  Pos
}

var ruleIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

var profileNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)

func textPos(file string, n *yaml.Node) TextPos {
	n = resolve(n)
	if n == nil {
		return TextPos{}
	}
	return TextPos{Pos: Pos{file, n.Line}, Block: n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0}
}

func (p *parser) rule(n *yaml.Node, index int) (rawRule, bool) {
	item := fmt.Sprintf("rule #%d", index)
	n = resolve(n)
	// the id first, so that every other error names the rule
	if n != nil && n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "id" && resolve(n.Content[i+1]).Kind == yaml.ScalarNode {
				item = "rule " + resolve(n.Content[i+1]).Value
			}
		}
	}
	f := p.fields(n, item, "", "id", "severity", "title", "appliesTo", "condition", "message", "remediation", "translations", "enabled")
	r := rawRule{set: map[string]bool{}}
	if n != nil {
		r.pos = Pos{p.file, n.Line}
	}
	r.rule.Enabled = true
	idEntry, ok := f["id"]
	if !ok {
		p.errorf(n, item, "id", "missing; every rule needs an id such as ACME-GPL-IN-CODE")
		return r, false
	}
	r.rule.ID = p.str(idEntry, item, "id")
	if r.rule.ID != "" && !ruleIDPattern.MatchString(r.rule.ID) {
		p.errorf(idEntry.val, item, "id", "%q: use letters, digits, '.', '_' and '-' (at most 64)", r.rule.ID)
	}
	r.rule.Pos = r.pos
	for name, e := range f {
		r.set[name] = true
		switch name {
		case "severity":
			r.rule.Severity = p.severity(e, item, name)
		case "title":
			r.rule.Title = p.str(e, item, name)
		case "appliesTo":
			r.rule.AppliesTo = p.str(e, item, name)
			if !slices.Contains([]string{AppliesToComponent, AppliesToFile, AppliesToWaiver}, r.rule.AppliesTo) {
				p.errorf(e.val, item, name, "%q: use component, file or waiver", r.rule.AppliesTo)
			}
		case "condition":
			r.rule.Condition = strings.TrimSpace(p.str(e, item, name))
			r.rule.ConditionPos = textPos(p.file, e.val)
			if r.rule.Condition == "" {
				p.errorf(e.key, item, name, "empty; write a CEL expression that is true when the rule is broken")
			}
		case "message":
			r.rule.Message = strings.TrimSpace(p.str(e, item, name))
			r.rule.MessagePos = textPos(p.file, e.val)
			if r.rule.Message == "" {
				p.errorf(e.key, item, name, "empty; say what is wrong, e.g. \"{{component.label}} is ...\"")
			}
		case "remediation":
			r.rule.Remediation = strings.TrimSpace(p.str(e, item, name))
			r.rule.RemediationPos = textPos(p.file, e.val)
		case "translations":
			r.rule.Translations = p.translations(e, item)
		case "enabled":
			r.rule.Enabled = p.boolean(e, item, name)
		}
	}
	return r, true
}

var langPattern = regexp.MustCompile(`^[a-z]{2}$`)

// translations reads a rule's translations: a mapping from a two-letter
// language code to {message, remediation}.
func (p *parser) translations(e entry, item string) map[string]RuleText {
	n := resolve(e.val)
	if n == nil || n.Kind != yaml.MappingNode {
		p.errorf(e.key, item, "translations", "want a mapping of language codes (fr: {message: ..., remediation: ...}), not %s", describe(n))
		return nil
	}
	out := map[string]RuleText{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		lang := k.Value
		field := "translations." + lang
		if !langPattern.MatchString(lang) {
			p.errorf(k, item, field, "%q: use a two-letter lower-case language code such as fr", lang)
			continue
		}
		if _, dup := out[lang]; dup {
			p.errorf(k, item, field, "given twice")
			continue
		}
		f := p.fields(n.Content[i+1], item, field, "message", "remediation")
		var t RuleText
		if m, ok := f["message"]; ok {
			t.Message = strings.TrimSpace(p.str(m, item, field+".message"))
			t.MessagePos = textPos(p.file, m.val)
		}
		if m, ok := f["remediation"]; ok {
			t.Remediation = strings.TrimSpace(p.str(m, item, field+".remediation"))
			t.RemediationPos = textPos(p.file, m.val)
		}
		if t.Message == "" {
			p.errorf(k, item, field+".message", "missing; a translation gives at least the message")
		}
		out[lang] = t
	}
	return out
}

func (p *parser) waiver(n *yaml.Node, index int) (Waiver, bool) {
	item := fmt.Sprintf("waiver #%d", index)
	n = resolve(n)
	if n != nil && n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "id" && resolve(n.Content[i+1]).Kind == yaml.ScalarNode {
				item = "waiver " + resolve(n.Content[i+1]).Value
			}
		}
	}
	f := p.fields(n, item, "", "id", "rules", "component", "path", "justification", "expires")
	var w Waiver
	if n != nil {
		w.Pos = Pos{p.file, n.Line}
	}
	nerr := len(p.errs)
	if e, ok := f["id"]; ok {
		w.ID = p.str(e, item, "id")
		if w.ID != "" && !ruleIDPattern.MatchString(w.ID) {
			p.errorf(e.val, item, "id", "%q: use letters, digits, '.', '_' and '-' (at most 64)", w.ID)
		}
	} else {
		p.errorf(n, item, "id", "missing; name the waiver, e.g. legacy-acrobat")
	}
	if e, ok := f["justification"]; ok {
		w.Justification = strings.TrimSpace(p.str(e, item, "justification"))
		if w.Justification == "" {
			p.errorf(e.key, item, "justification", "empty; say why the finding is accepted")
		}
	} else {
		p.errorf(n, item, "justification", "missing; a waiver must say why the finding is accepted")
	}
	if e, ok := f["expires"]; ok {
		w.Expires = p.str(e, item, "expires")
		d, err := time.Parse(time.DateOnly, w.Expires)
		if err != nil {
			if w.Expires != "" {
				p.errorf(e.val, item, "expires", "%q is not a date; write YYYY-MM-DD, e.g. 2027-06-30", w.Expires)
			}
		} else {
			w.until = d.AddDate(0, 0, 1)
		}
	} else {
		p.errorf(n, item, "expires", "missing; a waiver must end: write the last day it applies, YYYY-MM-DD")
	}
	if e, ok := f["rules"]; ok {
		w.Rules, _ = p.list(e, item, "rules")
	}
	if e, ok := f["path"]; ok {
		w.Path = p.str(e, item, "path")
		if w.Path != "" && !doublestar.ValidatePattern(w.Path) {
			p.errorf(e.val, item, "path", "%q is not a valid glob", w.Path)
		}
	}
	if e, ok := f["component"]; ok {
		w.Component = p.selector(e, item)
	}
	if len(w.Rules) == 0 && w.Component == nil && w.Path == "" {
		p.errorf(n, item, "", "selects nothing; give rules, component or path")
	}
	return w, len(p.errs) == nerr
}

func (p *parser) selector(e entry, item string) *ComponentSelector {
	f := p.fields(e.val, item, "component", "purl", "name", "type", "versions")
	s := &ComponentSelector{}
	if x, ok := f["purl"]; ok {
		s.PURL = p.str(x, item, "component.purl")
		if s.PURL != "" && !strings.HasPrefix(s.PURL, "pkg:") {
			p.errorf(x.val, item, "component.purl", "%q is not a package URL (pkg:TYPE/NAMESPACE/NAME@VERSION)", s.PURL)
		}
	}
	if x, ok := f["name"]; ok {
		s.Name = p.str(x, item, "component.name")
		if s.Name != "" && !doublestar.ValidatePattern(s.Name) {
			p.errorf(x.val, item, "component.name", "%q is not a valid glob", s.Name)
		}
	}
	if x, ok := f["type"]; ok {
		s.Type = strings.ToLower(p.str(x, item, "component.type"))
	}
	if x, ok := f["versions"]; ok {
		s.Versions = p.str(x, item, "component.versions")
		if s.Versions != "" {
			r, err := vers.ParseRange(s.Versions)
			if err != nil {
				p.errorf(x.val, item, "component.versions", "%v", err)
			}
			s.Range = r
		}
	}
	if s.PURL == "" && s.Name == "" && s.Type == "" {
		p.errorf(e.key, item, "component", "give purl, name or type")
	}
	return s
}

func (p *parser) profile(name string, e entry) Profile {
	item := "profile " + name
	pr := Profile{Name: name, Pos: Pos{p.file, e.key.Line}, Severities: map[string]sillage.Severity{}}
	if !profileNamePattern.MatchString(name) {
		p.errorf(e.key, item, "", "use lower-case letters, digits, '-' and '_' in profile names")
	}
	f := p.fields(e.val, item, "", "description", "failOn", "severities", "disable", "licenses")
	if x, ok := f["description"]; ok {
		pr.Description = strings.TrimSpace(p.str(x, item, "description"))
	}
	if x, ok := f["failOn"]; ok {
		pr.FailOn = p.failOn(x, item)
	}
	if x, ok := f["severities"]; ok {
		sev := resolve(x.val)
		if sev == nil || sev.Kind != yaml.MappingNode {
			p.errorf(x.key, item, "severities", "want a mapping RULE-ID: severity, not %s", describe(sev))
		} else {
			for i := 0; i+1 < len(sev.Content); i += 2 {
				k := sev.Content[i]
				s := p.severity(entry{k, sev.Content[i+1]}, item, "severities."+k.Value)
				if s != "" {
					pr.Severities[k.Value] = s
				}
			}
		}
	}
	if x, ok := f["disable"]; ok {
		pr.Disable, _ = p.list(x, item, "disable")
	}
	if x, ok := f["licenses"]; ok {
		b := p.licenses(x, item, "licenses")
		pr.Allow, pr.Deny, pr.DenyCategories = b.allow, b.deny, b.denyCategories
		pr.setAllow, pr.setDeny, pr.setCategories = b.set[0], b.set[1], b.set[2]
	}
	return pr
}

func (p *parser) failOn(e entry, item string) sillage.Severity {
	if s := p.str(e, item, "failOn"); strings.EqualFold(s, "none") {
		return ""
	}
	return p.severity(e, item, "failOn")
}

// parsed is one policy file before it is merged with what it extends.
type parsed struct {
	format, name, version, extends, profile string
	failOn                                  sillage.Severity
	failOnSet                               bool
	licenses                                licensesBlock
	rules                                   []rawRule
	waivers                                 []Waiver
	profiles                                []Profile
	namePos                                 *yaml.Node
	root                                    *yaml.Node
}

func parsePolicyFile(file string, data []byte, lic *LicenseTable) (*parsed, PolicyErrors) {
	p := &parser{file: file, lic: lic}
	if len(data) > MaxPolicySize {
		p.errorf(nil, "", "", "%d bytes: a policy file is at most %d bytes", len(data), MaxPolicySize)
		return nil, p.errs
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 0
		if _, rest, ok := strings.Cut(msg, "line "); ok {
			fmt.Sscanf(rest, "%d", &line)
		}
		p.errs = append(p.errs, &PolicyError{Pos: Pos{file, line}, Msg: "not valid YAML: " + msg})
		return nil, p.errs
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		p.errorf(nil, "", "", "empty file; a policy needs at least name and version")
		return nil, p.errs
	}
	root := doc.Content[0]
	out := &parsed{root: root, extends: "default"}
	f := p.fields(root, "", "", "format", "name", "version", "extends", "profile", "failOn", "licenses", "rules", "waivers", "profiles")
	if e, ok := f["format"]; ok {
		out.format = p.str(e, "", "format")
		if out.format != "" && out.format != fmt.Sprint(PolicyFormat) {
			p.errorf(e.val, "", "format", "%q: this version of sillage reads policy format %d; upgrade sillage", out.format, PolicyFormat)
		}
	}
	if e, ok := f["name"]; ok {
		out.name = p.str(e, "", "name")
		out.namePos = e.val
		if out.name != "" && !ruleIDPattern.MatchString(out.name) {
			p.errorf(e.val, "", "name", "%q: use letters, digits, '.', '_' and '-' (at most 64)", out.name)
		}
	} else {
		p.errorf(root, "", "name", "missing; name the policy (results record name@version)")
	}
	if e, ok := f["version"]; ok {
		out.version = p.str(e, "", "version")
		if strings.ContainsAny(out.version, " \t\n@") {
			p.errorf(e.val, "", "version", "%q: no spaces or '@' in a version", out.version)
		}
	} else {
		p.errorf(root, "", "version", "missing; give the policy a version, e.g. \"1\" (results record name@version)")
	}
	if e, ok := f["extends"]; ok {
		out.extends = p.str(e, "", "extends")
		if out.extends != "default" && out.extends != "none" {
			p.errorf(e.val, "", "extends", "%q: use default (the embedded policy) or none", out.extends)
		}
	}
	if e, ok := f["profile"]; ok {
		out.profile = p.str(e, "", "profile")
	}
	if e, ok := f["failOn"]; ok {
		out.failOn, out.failOnSet = p.failOn(e, ""), true
	}
	if e, ok := f["licenses"]; ok {
		out.licenses = p.licenses(e, "", "licenses")
	}
	seen := map[string]bool{}
	if e, ok := f["rules"]; ok {
		n := resolve(e.val)
		if n == nil || n.Kind != yaml.SequenceNode {
			if !(n != nil && n.Tag == "!!null") {
				p.errorf(e.key, "", "rules", "want a list of rules (lines starting with '- id:'), not %s", describe(n))
			}
		} else {
			for i, c := range n.Content {
				r, ok := p.rule(c, i+1)
				if !ok {
					continue
				}
				if seen[r.rule.ID] {
					p.errorf(c, "rule "+r.rule.ID, "id", "a rule with this id is already defined in this file")
					continue
				}
				seen[r.rule.ID] = true
				out.rules = append(out.rules, r)
			}
		}
	}
	if e, ok := f["waivers"]; ok {
		n := resolve(e.val)
		if n == nil || n.Kind != yaml.SequenceNode {
			if !(n != nil && n.Tag == "!!null") {
				p.errorf(e.key, "", "waivers", "want a list of waivers (lines starting with '- id:'), not %s", describe(n))
			}
		} else {
			ids := map[string]bool{}
			for i, c := range n.Content {
				w, ok := p.waiver(c, i+1)
				if !ok {
					continue
				}
				if ids[w.ID] {
					p.errorf(c, "waiver "+w.ID, "id", "a waiver with this id is already defined in this file")
					continue
				}
				ids[w.ID] = true
				out.waivers = append(out.waivers, w)
			}
		}
	}
	if e, ok := f["profiles"]; ok {
		n := resolve(e.val)
		if n == nil || n.Kind != yaml.MappingNode {
			if !(n != nil && n.Tag == "!!null") {
				p.errorf(e.key, "", "profiles", "want a mapping of profile names, not %s", describe(n))
			}
		} else {
			names := map[string]bool{}
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if names[k.Value] {
					p.errorf(k, "profile "+k.Value, "", "given twice")
					continue
				}
				names[k.Value] = true
				out.profiles = append(out.profiles, p.profile(k.Value, entry{k, n.Content[i+1]}))
			}
		}
	}
	return out, p.errs
}

// ---------------------------------------------------------------- loading

// LoadPolicy reads a policy file. source names the file in errors, in
// waivers and in results (the path as the user gave it). A file that
// extends the default policy (the default unless it says `extends: none`)
// is merged with it: its rules override the default's rules of the same
// id field by field and add new ones, the licence lists it gives replace
// the default's, its profiles replace those of the same name, and its
// waivers are added. No profile is applied (see Set.WithProfile). Every
// mistake found is returned as PolicyErrors.
func LoadPolicy(source string, data []byte) (Set, error) {
	lic := Licenses()
	f, errs := parsePolicyFile(source, data, lic)
	if f == nil {
		return Set{}, errs
	}
	var base *Set
	if f.extends == "default" {
		d := Default()
		base = &d
	}
	s := merge(source, base, f, &errs)
	if len(errs) > 0 {
		return Set{}, errs
	}
	return s, nil
}

// Default returns the policy sillage applies when the user gives none,
// read from the embedded rules/policy/default.yaml. It never fails:
// TestDefaultPolicy guarantees the embedded file is valid, so a failure
// here is a build defect and panics.
func Default() Set { return defaultPolicy().clone() }

var defaultPolicy = sync.OnceValue(func() Set {
	f, errs := parsePolicyFile(DefaultPolicySource, defaultPolicyYAML, Licenses())
	if f == nil || len(errs) > 0 {
		panic("rules: embedded default policy: " + errs.Error())
	}
	if f.extends != "none" {
		panic("rules: embedded default policy must not extend anything")
	}
	s := merge("embedded", nil, f, &errs)
	if len(errs) > 0 {
		panic("rules: embedded default policy: " + errs.Error())
	}
	return s
})

// DefaultPolicyYAML returns the text of the embedded default policy.
func DefaultPolicyYAML() []byte { return slices.Clone(defaultPolicyYAML) }

func merge(source string, base *Set, f *parsed, errs *PolicyErrors) Set {
	p := &parser{file: source, errs: *errs}
	defer func() { *errs = p.errs }()
	s := Set{Name: f.name, Version: f.version, Source: source, DefaultProfile: f.profile, FailOn: f.failOn}
	if base != nil {
		s.Extends = base.Name + "@" + base.Version
		s.Licenses = base.Licenses
		s.Rules = slices.Clone(base.Rules)
		s.Waivers = slices.Clone(base.Waivers)
		s.Profiles = slices.Clone(base.Profiles)
		if !f.failOnSet {
			s.FailOn = base.FailOn
		}
	}
	if f.licenses.set[0] {
		s.Licenses.Allow = f.licenses.allow
	}
	if f.licenses.set[1] {
		s.Licenses.Deny = f.licenses.deny
	}
	if f.licenses.set[2] {
		s.Licenses.DenyCategories = f.licenses.denyCategories
	}
	for _, r := range f.rules {
		i := slices.IndexFunc(s.Rules, func(x Rule) bool { return x.ID == r.rule.ID })
		if i < 0 {
			// a new rule needs everything that has no default
			item := "rule " + r.rule.ID
			for _, need := range []string{"severity", "condition", "message"} {
				if !r.set[need] {
					p.errs = append(p.errs, &PolicyError{Pos: r.pos, Item: item, Field: need, Msg: "missing; a new rule needs severity, condition and message"})
				}
			}
			if r.rule.AppliesTo == "" {
				r.rule.AppliesTo = AppliesToComponent
			}
			s.Rules = append(s.Rules, r.rule)
			continue
		}
		old := s.Rules[i]
		if r.set["appliesTo"] && r.rule.AppliesTo != old.AppliesTo && !r.set["condition"] {
			p.errs = append(p.errs, &PolicyError{Pos: r.pos, Item: "rule " + r.rule.ID, Field: "appliesTo",
				Msg: fmt.Sprintf("changes what %s applies to (%s in %s); give a condition and message for %s too", r.rule.ID, old.AppliesTo, old.Pos, r.rule.AppliesTo)})
		}
		old.Pos = r.pos
		if r.set["severity"] {
			old.Severity = r.rule.Severity
		}
		if r.set["title"] {
			old.Title = r.rule.Title
		}
		if r.set["appliesTo"] {
			old.AppliesTo = r.rule.AppliesTo
		}
		if r.set["condition"] {
			old.Condition, old.ConditionPos = r.rule.Condition, r.rule.ConditionPos
		}
		if r.set["message"] {
			old.Message, old.MessagePos = r.rule.Message, r.rule.MessagePos
			// the translations of the old message no longer say the same
			old.Translations = nil
		}
		if r.set["translations"] {
			if old.Translations == nil {
				old.Translations = map[string]RuleText{}
			} else {
				old.Translations = maps.Clone(old.Translations)
			}
			maps.Copy(old.Translations, r.rule.Translations)
		}
		if r.set["remediation"] {
			old.Remediation, old.RemediationPos = r.rule.Remediation, r.rule.RemediationPos
		}
		if r.set["enabled"] {
			old.Enabled = r.rule.Enabled
		}
		s.Rules[i] = old
	}
	for _, pr := range f.profiles {
		if i := slices.IndexFunc(s.Profiles, func(x Profile) bool { return x.Name == pr.Name }); i >= 0 {
			s.Profiles[i] = pr
		} else {
			s.Profiles = append(s.Profiles, pr)
		}
	}
	for _, w := range f.waivers {
		if slices.ContainsFunc(s.Waivers, func(x Waiver) bool { return x.ID == w.ID }) {
			p.errs = append(p.errs, &PolicyError{Pos: w.Pos, Item: "waiver " + w.ID, Field: "id", Msg: "the extended policy already has a waiver with this id"})
			continue
		}
		s.Waivers = append(s.Waivers, w)
	}
	// references to rules must name rules of the merged policy
	known := func(id string) bool { return slices.ContainsFunc(s.Rules, func(r Rule) bool { return r.ID == id }) }
	for _, w := range f.waivers {
		for i, id := range w.Rules {
			// a waiver may also accept the findings of the built-in
			// format summary (RGI-MIGRATE, RGI-REVIEW)
			if !known(id) && !slices.Contains(FormatRuleIDs, id) {
				p.errs = append(p.errs, &PolicyError{Pos: w.Pos, Item: "waiver " + w.ID, Field: fmt.Sprintf("rules[%d]", i+1), Msg: unknownRule(id, s.Rules)})
			}
		}
	}
	for _, pr := range f.profiles {
		for _, id := range sortedKeysOf(pr.Severities) {
			if !known(id) {
				p.errs = append(p.errs, &PolicyError{Pos: pr.Pos, Item: "profile " + pr.Name, Field: "severities." + id, Msg: unknownRule(id, s.Rules)})
			}
		}
		for i, id := range pr.Disable {
			if !known(id) {
				p.errs = append(p.errs, &PolicyError{Pos: pr.Pos, Item: "profile " + pr.Name, Field: fmt.Sprintf("disable[%d]", i+1), Msg: unknownRule(id, s.Rules)})
			}
		}
	}
	if s.DefaultProfile != "" && !slices.ContainsFunc(s.Profiles, func(x Profile) bool { return x.Name == s.DefaultProfile }) {
		p.errs = append(p.errs, &PolicyError{Pos: Pos{source, f.root.Line}, Field: "profile", Msg: fmt.Sprintf("%q is not a profile of this policy; use one of %s", s.DefaultProfile, strings.Join(s.ProfileNames(), ", "))})
	}
	slices.SortStableFunc(p.errs, func(a, b *PolicyError) int { return a.Pos.Line - b.Pos.Line })
	return s
}

func unknownRule(id string, rs []Rule) string {
	return fmt.Sprintf("%q is not a rule of this policy ('sillage policy show' lists them)", id)
}

func sortedKeysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// ProfileNames lists the names of the policy's profiles, in file order.
func (s Set) ProfileNames() []string {
	out := make([]string, len(s.Profiles))
	for i, p := range s.Profiles {
		out[i] = p.Name
	}
	return out
}

// WithProfile returns the policy with the named profile applied: its
// severities, disabled rules, licence lists and failOn threshold. An
// empty name applies the policy's own default profile (its `profile`
// key), if any.
func (s Set) WithProfile(name string) (Set, error) {
	if name == "" {
		name = s.DefaultProfile
	}
	if name == "" {
		return s.clone(), nil
	}
	i := slices.IndexFunc(s.Profiles, func(p Profile) bool { return p.Name == name })
	if i < 0 {
		return Set{}, sillage.InvalidInput(fmt.Errorf("policy %s@%s has no profile %q; use one of %s", s.Name, s.Version, name, strings.Join(s.ProfileNames(), ", ")))
	}
	pr := s.Profiles[i]
	out := s.clone()
	out.Profile = name
	if pr.FailOn != "" {
		out.FailOn = pr.FailOn
	}
	for j := range out.Rules {
		r := &out.Rules[j]
		if sev, ok := pr.Severities[r.ID]; ok {
			r.Severity = sev
		}
		if slices.Contains(pr.Disable, r.ID) {
			r.Enabled = false
		}
	}
	if pr.setAllow {
		out.Licenses.Allow = slices.Clone(pr.Allow)
	}
	if pr.setDeny {
		out.Licenses.Deny = slices.Clone(pr.Deny)
	}
	if pr.setCategories {
		out.Licenses.DenyCategories = slices.Clone(pr.DenyCategories)
	}
	return out, nil
}

func (s Set) clone() Set {
	out := s
	out.Rules = slices.Clone(s.Rules)
	out.Waivers = slices.Clone(s.Waivers)
	out.Profiles = slices.Clone(s.Profiles)
	out.Licenses.Allow = slices.Clone(s.Licenses.Allow)
	out.Licenses.Deny = slices.Clone(s.Licenses.Deny)
	out.Licenses.DenyCategories = slices.Clone(s.Licenses.DenyCategories)
	return out
}
