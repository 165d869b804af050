// Package policy applies a policy (a rules.Set) to components, files and
// waivers and returns findings.
//
// Rules are conditions in CEL, the Common Expression Language, over a
// documented model (docs/policy.md): Compile type-checks them once, and
// an Engine evaluates them. Evaluation is a pure function of its inputs:
// no file reads, no printing, no exit calls. The CLI decides what findings
// mean for the exit code.
package policy

import (
	"context"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/rules"
)

// Evaluate compiles rs and applies it to in: Compile then
// Engine.Evaluate. Callers that evaluate a policy more than once should
// keep the Engine.
func Evaluate(ctx context.Context, rs rules.Set, in Input) ([]sillage.Finding, error) {
	e, err := Compile(rs)
	if err != nil {
		return nil, err
	}
	return e.Evaluate(ctx, in)
}
