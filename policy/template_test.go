package policy

import (
	"testing"

	"github.com/sillage-oss/sillage/policy/internal/model"
	"github.com/sillage-oss/sillage/rules"
)

// FuzzTemplate checks that no message text makes the template parser
// panic, and that a template that compiles renders.
func FuzzTemplate(f *testing.F) {
	env, err := newEnv(rules.AppliesToComponent, newHelpers(rules.Licenses()))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"plain", "{{component.name}}", "{{'}}'}} {{", "}}{{", "{{\"a\\\"}}\"}}", "{{component.locations.map(l, l)}}", "{{1/0}}"} {
		f.Add(s)
	}
	act := &activation{component: &model.Component{Name: "n", Locations: []string{"a"}}, policy: &model.Policy{}}
	f.Fuzz(func(t *testing.T, text string) {
		tmpl, errs := parseTemplate(env, text)
		if len(errs) > 0 {
			for _, e := range errs {
				if e.line < 1 {
					t.Errorf("error at line %d: %s", e.line, e.msg)
				}
			}
			return
		}
		_, _ = tmpl.render(act)
	})
}
