package policy

import (
	"context"
	"fmt"
	"strings"
	"time"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/interpreter"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/policy/internal/model"
	"github.com/sillage-oss/sillage/rules"
)

// File is a document of the target whose format was identified: what
// rules that apply to files (appliesTo: file) see as the `file` variable.
type File = model.File

// Input is what the policy evaluates: the components (with their
// concluded licences and SILL matches), the migrations found, the files
// whose format was identified, and the time of the scan.
type Input struct {
	Components []sillage.Component
	Migrations []sillage.Migration
	Files      []File
	// Findings were made by other stages (the per-format summary of a
	// format inventory, see EvaluateFormats): they are kept, and waived
	// like the policy's own.
	Findings []sillage.Finding
	// Now decides which waivers have expired: the scan time. The zero
	// time means the current time.
	Now time.Time
}

// Engine is a compiled policy: every condition and message is parsed and
// type-checked once, then evaluated for each component, file and waiver.
// It is safe for concurrent use.
type Engine struct {
	set        rules.Set
	components []*compiled
	files      []*compiled
	waivers    []*compiled
	pol        *model.Policy
}

type compiled struct {
	rule        rules.Rule
	cond        cel.Program
	message     *template
	remediation *template
	// translations by language: message and remediation (nil when the
	// translation gives none: the rule's own remediation is used)
	translations map[string][2]*template
}

// Compile checks and compiles every enabled rule of s. Its errors are
// rules.PolicyErrors naming the file, line, rule and field.
func Compile(s rules.Set) (*Engine, error) {
	if err := s.Validate(); err != nil {
		return nil, sillage.InvalidInput(err)
	}
	h := newHelpers(rules.Licenses())
	envs := map[string]*cel.Env{}
	for _, a := range []string{rules.AppliesToComponent, rules.AppliesToFile, rules.AppliesToWaiver} {
		env, err := newEnv(a, h)
		if err != nil {
			return nil, fmt.Errorf("policy: CEL environment: %w", err)
		}
		envs[a] = env
	}
	e := &Engine{set: s, pol: &model.Policy{Name: s.Name, Version: s.Version, Profile: s.Profile, Licenses: model.PolicyLicenses{
		Allow: nonNil(s.Licenses.Allow), Deny: nonNil(s.Licenses.Deny), DenyCategories: []string{},
	}}}
	for _, c := range s.Licenses.DenyCategories {
		e.pol.Licenses.DenyCategories = append(e.pol.Licenses.DenyCategories, string(c))
	}
	var errs rules.PolicyErrors
	for _, r := range s.Rules {
		if !r.Enabled {
			continue
		}
		appliesTo := r.AppliesTo
		if appliesTo == "" {
			appliesTo = rules.AppliesToComponent
		}
		env, ok := envs[appliesTo]
		if !ok {
			errs = append(errs, ruleError(r, r.Pos, "appliesTo", fmt.Sprintf("%q: use component, file or waiver", appliesTo)))
			continue
		}
		c := &compiled{rule: r}
		c.cond = compileCondition(env, r, &errs)
		c.message = compileTemplate(env, r, "message", r.Message, r.MessagePos, &errs)
		c.remediation = compileTemplate(env, r, "remediation", r.Remediation, r.RemediationPos, &errs)
		for lang, t := range r.Translations {
			if c.translations == nil {
				c.translations = map[string][2]*template{}
			}
			var tt [2]*template
			tt[0] = compileTemplate(env, r, "translations."+lang+".message", t.Message, t.MessagePos, &errs)
			if t.Remediation != "" {
				tt[1] = compileTemplate(env, r, "translations."+lang+".remediation", t.Remediation, t.RemediationPos, &errs)
			}
			c.translations[lang] = tt
		}
		switch appliesTo {
		case rules.AppliesToComponent:
			e.components = append(e.components, c)
		case rules.AppliesToFile:
			e.files = append(e.files, c)
		case rules.AppliesToWaiver:
			e.waivers = append(e.waivers, c)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return e, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func ruleError(r rules.Rule, pos rules.Pos, field, msg string) *rules.PolicyError {
	return &rules.PolicyError{Pos: pos, Item: "rule " + r.ID, Field: field, Msg: msg}
}

func compileCondition(env *cel.Env, r rules.Rule, errs *rules.PolicyErrors) cel.Program {
	ast, iss := env.Compile(r.Condition)
	if iss.Err() != nil {
		lines := strings.Split(r.Condition, "\n")
		for _, ce := range iss.Errors() {
			ln := ce.Location.Line()
			msg := ce.Message
			if ln >= 1 && ln <= len(lines) {
				col := max(ce.Location.Column(), 0)
				msg += "\n    | " + lines[ln-1] + "\n    | " + strings.Repeat(" ", min(col, len(lines[ln-1]))) + "^"
			}
			*errs = append(*errs, ruleError(r, rules.Pos{File: r.ConditionPos.File, Line: r.ConditionPos.LineOf(ln)}, "condition", msg))
		}
		return nil
	}
	if !nullComparisons(ast, r, r.ConditionPos, 0, errs) {
		return nil
	}
	if t := ast.OutputType(); !t.IsExactType(types.BoolType) && !t.IsExactType(types.DynType) {
		*errs = append(*errs, ruleError(r, r.ConditionPos.Pos, "condition", fmt.Sprintf("gives a %s; a condition must be true or false", t)))
		return nil
	}
	prog, err := env.Program(ast, cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		*errs = append(*errs, ruleError(r, r.ConditionPos.Pos, "condition", err.Error()))
		return nil
	}
	return prog
}

func compileTemplate(env *cel.Env, r rules.Rule, field, text string, pos rules.TextPos, errs *rules.PolicyErrors) *template {
	t, perrs := parseTemplate(env, text)
	for _, pe := range perrs {
		*errs = append(*errs, ruleError(r, rules.Pos{File: pos.File, Line: pos.LineOf(pe.line)}, field, pe.msg))
	}
	return t
}

// nullComparisons reports comparisons of an object with null
// ("component.sill == null"): an absent object reads as an empty one, as
// with protocol buffers, so such a comparison is always false; has()
// tests presence. line0 is the line of the text before the expression's
// first line, for placeholders.
func nullComparisons(a *cel.Ast, r rules.Rule, pos rules.TextPos, line0 int, errs *rules.PolicyErrors) bool {
	native := a.NativeRep()
	isNull := func(e celast.NavigableExpr) bool {
		return e.Kind() == celast.LiteralKind && e.AsLiteral() == types.NullValue
	}
	ok := true
	for _, call := range celast.MatchDescendants(celast.NavigateAST(native), func(e celast.NavigableExpr) bool {
		if e.Kind() != celast.CallKind {
			return false
		}
		f := e.AsCall().FunctionName()
		return f == operators.Equals || f == operators.NotEquals
	}) {
		args := call.Children()
		if len(args) != 2 {
			continue
		}
		for i, other := range []celast.NavigableExpr{args[1], args[0]} {
			if isNull(args[i]) && other.Type().Kind() == types.StructKind {
				loc := native.SourceInfo().GetStartLocation(call.ID())
				*errs = append(*errs, ruleError(r, rules.Pos{File: pos.File, Line: pos.LineOf(line0 + loc.Line())}, fieldOf(r, pos),
					fmt.Sprintf("an absent %s is never null, it reads as empty; test it with has(), e.g. has(component.sill)", other.Type())))
				ok = false
			}
		}
	}
	return ok
}

func fieldOf(r rules.Rule, pos rules.TextPos) string {
	switch pos {
	case r.MessagePos:
		return "message"
	case r.RemediationPos:
		return "remediation"
	}
	return "condition"
}

// activation resolves the variables of one evaluation without a map.
type activation struct {
	component *model.Component
	file      *model.File
	waiver    *model.Waiver
	policy    *model.Policy
}

func (a *activation) ResolveName(name string) (any, bool) {
	switch name {
	case "component":
		return a.component, a.component != nil
	case "file":
		return a.file, a.file != nil
	case "waiver":
		return a.waiver, a.waiver != nil
	case "policy":
		return a.policy, true
	}
	return nil, false
}

func (a *activation) Parent() interpreter.Activation { return nil }

// EvalError is a condition or message that failed on one input, e.g. a
// field of a null value: the policy is at fault, not the target.
type EvalError struct {
	Rule  rules.Rule
	Field string
	On    string // what it was evaluated on: "component bash@5.2 (a1b2...)"
	Err   error
}

func (e *EvalError) Error() string {
	pos := e.Rule.ConditionPos.Pos
	if e.Field == "message" {
		pos = e.Rule.MessagePos.Pos
	} else if e.Field == "remediation" {
		pos = e.Rule.RemediationPos.Pos
	}
	return fmt.Sprintf("%s: rule %s: %s: on %s: %v (guard the expression, e.g. size(l) > 0 && l[0] ...)", pos, e.Rule.ID, e.Field, e.On, e.Err)
}

// Is marks evaluation errors as invalid input: the policy must change.
func (e *EvalError) Is(target error) bool { return target == sillage.ErrInvalidInput }

func (c *compiled) eval(act *activation, on func() string) (msg, rem string, hit bool, err error) {
	v, _, err := c.cond.Eval(act)
	if err != nil {
		return "", "", false, &EvalError{c.rule, "condition", on(), err}
	}
	if b, ok := v.(types.Bool); !ok || !bool(b) {
		if !ok {
			return "", "", false, &EvalError{c.rule, "condition", on(), fmt.Errorf("gave %v, not true or false", v)}
		}
		return "", "", false, nil
	}
	if msg, err = c.message.render(act); err != nil {
		return "", "", false, &EvalError{c.rule, "message", on(), err}
	}
	if rem, err = c.remediation.render(act); err != nil {
		return "", "", false, &EvalError{c.rule, "remediation", on(), err}
	}
	return msg, rem, true, nil
}

// finding evaluates the rule and, when it is broken, returns the finding
// with its message, remediation and translations rendered.
func (c *compiled) finding(act *activation, on func() string) (sillage.Finding, bool, error) {
	msg, rem, hit, err := c.eval(act, on)
	if err != nil || !hit {
		return sillage.Finding{}, false, err
	}
	tr, err := c.translate(act, on, rem)
	if err != nil {
		return sillage.Finding{}, false, err
	}
	return sillage.Finding{RuleID: c.rule.ID, Severity: c.rule.Severity, Message: msg, Remediation: rem, Translations: tr}, true, nil
}

// translate renders the rule's translations for a finding it raised, with
// the same activation; nil when the rule has none.
func (c *compiled) translate(act *activation, on func() string, rem string) (map[string]sillage.FindingText, error) {
	if len(c.translations) == 0 {
		return nil, nil
	}
	out := make(map[string]sillage.FindingText, len(c.translations))
	for lang, tt := range c.translations {
		m, err := tt[0].render(act)
		if err != nil {
			return nil, &EvalError{c.rule, "translations." + lang + ".message", on(), err}
		}
		r := rem
		if tt[1] != nil {
			if r, err = tt[1].render(act); err != nil {
				return nil, &EvalError{c.rule, "translations." + lang + ".remediation", on(), err}
			}
		}
		out[lang] = sillage.FindingText{Message: m, Remediation: r}
	}
	return out, nil
}

// Evaluate applies the policy to in: every component rule to every
// component, every file rule to every file, every waiver rule to every
// waiver. Findings that an unexpired waiver selects carry it (and stay in
// the list); expired waivers waive nothing. Findings are sorted like
// Result.Findings.
func (e *Engine) Evaluate(ctx context.Context, in Input) ([]sillage.Finding, error) {
	now := in.Now
	if now.IsZero() {
		now = time.Now()
	}
	migrations := make(map[string]*sillage.Migration, len(in.Migrations))
	for i := range in.Migrations {
		migrations[in.Migrations[i].ComponentID] = &in.Migrations[i]
	}
	findings := []sillage.Finding{}
	act := &activation{policy: e.pol}
	if len(e.components) > 0 {
		for i, c := range in.Components {
			if i%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			mc := model.FromComponent(c, migrations[c.ID])
			act.component = &mc
			on := func() string { return fmt.Sprintf("component %s (%s)", c.Label(), c.ID) }
			for _, r := range e.components {
				f, hit, err := r.finding(act, on)
				if err != nil {
					return nil, err
				}
				if hit {
					f.ComponentID = c.ID
					findings = append(findings, f)
				}
			}
		}
		act.component = nil
	}
	for i := range in.Files {
		f := in.Files[i]
		if f.Replacements == nil {
			f.Replacements = []string{}
		}
		act.file = &f
		on := func() string { return "file " + f.Path }
		for _, r := range e.files {
			fd, hit, err := r.finding(act, on)
			if err != nil {
				return nil, err
			}
			if hit {
				fd.Path = f.Path
				findings = append(findings, fd)
			}
		}
	}
	act.file = nil
	findings = append(findings, in.Findings...)
	active := make([]rules.Waiver, 0, len(e.set.Waivers))
	waiverRules := map[string]bool{}
	for _, r := range e.waivers {
		waiverRules[r.rule.ID] = true
	}
	for _, w := range e.set.Waivers {
		expired := w.Expired(now)
		if !expired {
			active = append(active, w)
		}
		mw := model.NewWaiver(w.ID, w.Justification, w.Expires, w.Pos.String(), w.Rules, expired, w.DaysLeft(now))
		act.waiver = &mw
		on := func() string { return "waiver " + w.ID }
		for _, r := range e.waivers {
			f, hit, err := r.finding(act, on)
			if err != nil {
				return nil, err
			}
			if hit {
				findings = append(findings, f)
			}
		}
	}
	if len(active) > 0 {
		byID := make(map[string]*sillage.Component, len(in.Components))
		for i := range in.Components {
			byID[in.Components[i].ID] = &in.Components[i]
		}
		for i := range findings {
			f := &findings[i]
			if waiverRules[f.RuleID] {
				continue // a waiver cannot silence what is said about waivers
			}
			for _, w := range active {
				if waives(w, *f, byID[f.ComponentID]) {
					f.Waiver = &sillage.Waiver{ID: w.ID, Justification: w.Justification, Expires: w.Expires, Source: w.Pos.String()}
					break
				}
			}
		}
	}
	sillage.SortFindings(findings)
	return findings, nil
}

// HasFileRules reports whether the policy has rules that apply to files:
// only then is it worth listing every identified file in Input.Files.
func (e *Engine) HasFileRules() bool { return len(e.files) > 0 }

// Set returns the policy the engine was compiled from.
func (e *Engine) Set() rules.Set { return e.set }
