package policy

import (
	"fmt"
	"reflect"
	"strings"
	"sync"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"cel.dev/cel-go/ext"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/policy/internal/model"
	"github.com/sillage-oss/sillage/rules"
	"github.com/sillage-oss/sillage/rules/spdx"
	"github.com/sillage-oss/sillage/rules/vers"
)

// The CEL type names of the variables.
const (
	typeComponent = "model.Component"
	typeFile      = "model.File"
	typeWaiver    = "model.Waiver"
	typePolicy    = "model.Policy"
)

// helpers are the functions conditions may call. They cache what they
// parse: a scan has many components with the same licence expression.
type helpers struct {
	lic    *rules.LicenseTable
	french map[string]bool // lower-case SPDX ids on the French list
	exprs  sync.Map        // expression text -> spdx.Expr, or nil when it does not parse
	ranges sync.Map        // range text -> vers.Range, or error
}

func newHelpers(lic *rules.LicenseTable) *helpers {
	h := &helpers{lic: lic, french: map[string]bool{}}
	for _, e := range lic.FrenchList() {
		for _, id := range e.SPDX {
			h.french[strings.ToLower(id)] = true
		}
	}
	return h
}

// expr parses a licence expression, or returns nil for "" or text that is
// not an SPDX expression.
func (h *helpers) expr(s string) spdx.Expr {
	if s == "" {
		return nil
	}
	if v, ok := h.exprs.Load(s); ok {
		e, _ := v.(spdx.Expr)
		return e
	}
	e, err := spdx.Parse(s)
	if err != nil {
		h.exprs.Store(s, nil)
		return nil
	}
	c, _ := h.lic.Canonicalize(e)
	h.exprs.Store(s, c)
	return c
}

func strings2(l ref.Val) ([]string, error) {
	lister, ok := l.(traits.Lister)
	if !ok {
		return nil, fmt.Errorf("want a list of strings, got %s", l.Type())
	}
	var out []string
	for it := lister.Iterator(); it.HasNext() == types.True; {
		v := it.Next()
		s, ok := v.Value().(string)
		if !ok {
			return nil, fmt.Errorf("want a list of strings, got an element of type %s", v.Type())
		}
		out = append(out, s)
	}
	return out, nil
}

// listed reports whether term t is in terms: the term itself, or for a
// licence WITH an exception, the licence alone (an exception only adds
// permissions).
func listed(t spdx.Term, terms []string) bool {
	whole := t.String()
	bare := t.License.String()
	for _, s := range terms {
		if strings.EqualFold(s, whole) || t.Exception != "" && strings.EqualFold(s, bare) {
			return true
		}
	}
	return false
}

func (h *helpers) allowed(expr string, terms []string) bool {
	e := h.expr(expr)
	return e != nil && spdx.Satisfies(e, func(t spdx.Term) bool { return listed(t, terms) })
}

func (h *helpers) denied(expr string, terms []string) bool {
	e := h.expr(expr)
	return e != nil && !spdx.Satisfies(e, func(t spdx.Term) bool { return !listed(t, terms) })
}

func (h *helpers) categoryDenied(expr string, cats []string) bool {
	in := func(c sillage.LicenseCategory) bool {
		for _, s := range cats {
			if strings.EqualFold(s, string(c)) {
				return true
			}
		}
		return false
	}
	e := h.expr(expr)
	if e == nil {
		return in(sillage.CategoryUnknown)
	}
	return !spdx.Satisfies(e, func(t spdx.Term) bool { return !in(h.lic.TermCategory(t)) })
}

func (h *helpers) category(expr string) string {
	e := h.expr(expr)
	if e == nil {
		return string(sillage.CategoryUnknown)
	}
	return string(h.lic.ExpressionCategory(e))
}

func (h *helpers) frenchList(expr string) bool {
	e := h.expr(expr)
	return e != nil && spdx.Satisfies(e, func(t spdx.Term) bool { return h.french[strings.ToLower(t.License.ID)] })
}

func (h *helpers) ids(expr string) []string {
	e := h.expr(expr)
	if e == nil {
		return []string{}
	}
	var out []string
	for _, l := range spdx.Licenses(e) {
		if !contains(out, l.ID) {
			out = append(out, l.ID)
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func (h *helpers) versionRange(s string) (vers.Range, error) {
	if v, ok := h.ranges.Load(s); ok {
		if err, isErr := v.(error); isErr {
			return vers.Range{}, err
		}
		return v.(vers.Range), nil
	}
	r, err := vers.ParseRange(s)
	if err != nil {
		h.ranges.Store(s, err)
		return r, err
	}
	h.ranges.Store(s, r)
	return r, nil
}

// str2 adapts a func(string, []string) bool to a CEL binary binding.
func str2(f func(string, []string) bool) cel.OverloadOpt {
	return cel.BinaryBinding(func(a, b ref.Val) ref.Val {
		s, ok := a.Value().(string)
		if !ok {
			return types.NewErr("want a string, got %s", a.Type())
		}
		l, err := strings2(b)
		if err != nil {
			return types.NewErrFromString(err.Error())
		}
		return types.Bool(f(s, l))
	})
}

func str1(f func(string) ref.Val) cel.OverloadOpt {
	return cel.UnaryBinding(func(a ref.Val) ref.Val {
		s, ok := a.Value().(string)
		if !ok {
			return types.NewErr("want a string, got %s", a.Type())
		}
		return f(s)
	})
}

func stringArgs(args []ref.Val) ([]string, ref.Val) {
	out := make([]string, len(args))
	for i, a := range args {
		s, ok := a.Value().(string)
		if !ok {
			return nil, types.NewErr("want a string, got %s", a.Type())
		}
		out[i] = s
	}
	return out, nil
}

// fn3 binds a function of three strings.
func fn3(f func(a, b, c string) ref.Val) cel.OverloadOpt {
	return cel.FunctionBinding(func(args ...ref.Val) ref.Val {
		s, bad := stringArgs(args)
		if bad != nil {
			return bad
		}
		return f(s[0], s[1], s[2])
	})
}

func fn2(f func(a, b string) ref.Val) cel.OverloadOpt {
	return cel.BinaryBinding(func(a, b ref.Val) ref.Val {
		s, bad := stringArgs([]ref.Val{a, b})
		if bad != nil {
			return bad
		}
		return f(s[0], s[1])
	})
}

func (h *helpers) inRange(scheme, v, rng string) ref.Val {
	r, err := h.versionRange(rng)
	if err != nil {
		return types.NewErrFromString(err.Error())
	}
	return types.Bool(r.Contains(scheme, v))
}

// options returns the CEL declarations of the helper functions.
func (h *helpers) options() []cel.EnvOption {
	S, B, I, LS := cel.StringType, cel.BoolType, cel.IntType, cel.ListType(cel.StringType)
	return []cel.EnvOption{
		cel.Function("license.allowed",
			cel.Overload("license_allowed_string_list", []*cel.Type{S, LS}, B, str2(h.allowed))),
		cel.Function("license.denied",
			cel.Overload("license_denied_string_list", []*cel.Type{S, LS}, B, str2(h.denied))),
		cel.Function("license.categoryDenied",
			cel.Overload("license_categoryDenied_string_list", []*cel.Type{S, LS}, B, str2(h.categoryDenied))),
		cel.Function("license.category",
			cel.Overload("license_category_string", []*cel.Type{S}, S, str1(func(s string) ref.Val { return types.String(h.category(s)) }))),
		cel.Function("license.frenchList",
			cel.Overload("license_frenchList_string", []*cel.Type{S}, B, str1(func(s string) ref.Val { return types.Bool(h.frenchList(s)) }))),
		cel.Function("license.ids",
			cel.Overload("license_ids_string", []*cel.Type{S}, LS, str1(func(s string) ref.Val { return types.NewStringList(types.DefaultTypeAdapter, h.ids(s)) }))),
		cel.Function("version.compare",
			cel.Overload("version_compare_string_string", []*cel.Type{S, S}, I,
				fn2(func(a, b string) ref.Val { return types.Int(vers.Compare(vers.Generic, a, b)) })),
			cel.Overload("version_compare_string_string_string", []*cel.Type{S, S, S}, I,
				fn3(func(scheme, a, b string) ref.Val { return types.Int(vers.Compare(scheme, a, b)) }))),
		cel.Function("version.lessThan",
			cel.Overload("version_lessThan_string_string", []*cel.Type{S, S}, B,
				fn2(func(a, b string) ref.Val { return types.Bool(vers.Compare(vers.Generic, a, b) < 0) })),
			cel.Overload("version_lessThan_string_string_string", []*cel.Type{S, S, S}, B,
				fn3(func(scheme, a, b string) ref.Val { return types.Bool(vers.Compare(scheme, a, b) < 0) }))),
		cel.Function("version.inRange",
			cel.Overload("version_inRange_string_string", []*cel.Type{S, S}, B,
				fn2(func(v, r string) ref.Val { return h.inRange(vers.Generic, v, r) })),
			cel.Overload("version_inRange_string_string_string", []*cel.Type{S, S, S}, B,
				fn3(h.inRange))),
	}
}

// newEnv returns the CEL environment of rules that apply to appliesTo:
// the policy variable, the helper functions, the strings and lists
// extensions, and the one variable the rule is about.
func newEnv(appliesTo string, h *helpers) (*cel.Env, error) {
	opts := []cel.EnvOption{
		ext.NativeTypes(
			reflect.TypeFor[model.Component](), reflect.TypeFor[model.File](),
			reflect.TypeFor[model.Waiver](), reflect.TypeFor[model.Policy](),
			ext.ParseStructTags(true)),
		ext.Strings(), ext.Lists(),
		cel.Variable("policy", cel.ObjectType(typePolicy)),
	}
	switch appliesTo {
	case rules.AppliesToComponent:
		opts = append(opts, cel.Variable("component", cel.ObjectType(typeComponent)))
	case rules.AppliesToFile:
		opts = append(opts, cel.Variable("file", cel.ObjectType(typeFile)))
	case rules.AppliesToWaiver:
		opts = append(opts, cel.Variable("waiver", cel.ObjectType(typeWaiver)))
	default:
		return nil, fmt.Errorf("unknown appliesTo %q", appliesTo)
	}
	opts = append(opts, h.options()...)
	return cel.NewEnv(opts...)
}
