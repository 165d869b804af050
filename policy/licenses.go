package policy

import (
	"slices"
	"strings"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/rules"
	"github.com/sillage-oss/sillage/rules/spdx"
)

// ConcludeLicenses sets each component's concluded licence and its
// category from what was declared and detected, keeping the three apart.
// The rules, in order (docs/result-schema.md repeats them):
//
//  1. A conclusion the input already carries (an SBOM's licenseConcluded
//     or CycloneDX "concluded" licence, chosen deliberately by its author)
//     is kept, in canonical form.
//  2. When every declared statement maps to SPDX, the conclusion is their
//     AND: a package whose metadata lists several licences contains files
//     under each of them.
//  3. When nothing is declared, or a declared statement maps to nothing
//     (free text, "SEE LICENSE IN ..."), identified licence texts decide:
//     the AND of the detected ids.
//  4. Otherwise nothing is concluded and the category is unknown: an
//     unmapped declaration is never guessed, and unknown is never
//     permissive.
//
// The category is that of the concluded expression (see
// rules.LicenseTable.ExpressionCategory).
func ConcludeLicenses(comps []sillage.Component, tab *rules.LicenseTable) {
	for i := range comps {
		l := &comps[i].Licenses
		l.Concluded = conclude(*l, tab)
		if l.Concluded == "" {
			l.Category = sillage.CategoryUnknown
			continue
		}
		l.Category = tab.CategoryOf(l.Concluded)
	}
}

func conclude(l sillage.Licenses, tab *rules.LicenseTable) string {
	if l.Concluded != "" {
		if c, _, err := tab.CanonicalExpression(l.Concluded); err == nil {
			return c
		}
		return l.Concluded
	}
	var declared []string
	mapped := true        // every declared statement is a known SPDX expression
	unmappedText := false // some statement maps to nothing at all
	for _, d := range l.Declared {
		if d.SPDX == "" {
			mapped, unmappedText = false, true
			continue
		}
		if hasUnidentifiedRef(d.SPDX) {
			mapped = false
		}
		declared = append(declared, d.SPDX)
	}
	if len(declared) > 0 && mapped {
		return andOf(declared, tab)
	}
	var detected []string
	for _, d := range l.Detected {
		detected = append(detected, d.SPDX)
	}
	if len(detected) > 0 {
		return andOf(detected, tab)
	}
	// statements that name a licence text sillage could not identify
	// (a LicenseRef-) are still the package's own statement
	if len(declared) > 0 && !unmappedText {
		return andOf(declared, tab)
	}
	return ""
}

// hasUnidentifiedRef reports whether expr names a LicenseRef- other than
// sillage's own public-domain and proprietary markers: a licence whose
// text the declaring party defined (a custom Debian short name, an SBOM's
// extracted licence) and sillage has not identified.
func hasUnidentifiedRef(expr string) bool {
	for _, f := range strings.FieldsFunc(expr, func(r rune) bool { return r == ' ' || r == '(' || r == ')' }) {
		if strings.HasPrefix(f, "LicenseRef-") && f != rules.PublicDomainRef && f != rules.ProprietaryRef {
			return true
		}
	}
	return false
}

// andOf joins distinct expressions with AND, in canonical form, sorted so
// that the same licences always give the same text. Expressions that do
// not parse make the conclusion impossible.
func andOf(exprs []string, tab *rules.LicenseTable) string {
	var parts []spdx.Expr
	seen := map[string]bool{}
	for _, s := range exprs {
		e, err := spdx.Parse(s)
		if err != nil {
			return ""
		}
		c, _ := tab.Canonicalize(e)
		c = spdx.Normalize(c)
		// an AND operand that is itself an AND contributes its operands
		ops := []spdx.Expr{c}
		if and, ok := c.(*spdx.And); ok {
			ops = and.Operands
		}
		for _, op := range ops {
			key := op.String()
			if !seen[key] {
				seen[key] = true
				parts = append(parts, op)
			}
		}
	}
	slices.SortFunc(parts, func(a, b spdx.Expr) int {
		switch {
		case a.String() < b.String():
			return -1
		case a.String() > b.String():
			return 1
		}
		return 0
	})
	if len(parts) == 0 {
		return ""
	}
	return spdx.Normalize(spdx.AllOf(parts...)).String()
}
