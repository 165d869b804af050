package rules

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/rules/spdx"
)

//go:embed data/license-exceptions.yaml
var exceptionsYAML []byte

// ProprietaryRef is the licence reference sillage writes for software
// whose terms grant no free licence (an EULA, "all rights reserved" with no
// grant, a commercial licence): category proprietary.
const ProprietaryRef = "LicenseRef-Proprietary"

// proprietaryMarkers are words that, in a LicenseRef- id, say the terms
// are not a free licence ("LicenseRef-Commercial", "LicenseRef-EULA",
// "LicenseRef-scancode-proprietary-license").
var proprietaryMarkers = []string{"proprietary", "commercial", "eula", "all-rights-reserved", "allrightsreserved", "closed"}

type exceptionFile struct {
	Revision int `yaml:"revision"`
	Linking  []struct {
		ID     string `yaml:"id"`
		Reason string `yaml:"reason"`
	} `yaml:"linking"`
}

var linkingExceptions = sync.OnceValue(func() map[string]bool {
	m, err := parseLinkingExceptions(exceptionsYAML, Licenses())
	if err != nil {
		panic("rules: embedded data/license-exceptions.yaml: " + err.Error())
	}
	return m
})

func parseLinkingExceptions(b []byte, t *LicenseTable) (map[string]bool, error) {
	var f exceptionFile
	if err := yaml.Unmarshal(b, &f); err != nil {
		return nil, err
	}
	m := map[string]bool{}
	for i, e := range f.Linking {
		if !t.IsException(e.ID) {
			return nil, fmt.Errorf("linking[%d]: %q is not an SPDX exception id", i, e.ID)
		}
		if strings.TrimSpace(e.Reason) == "" {
			return nil, fmt.Errorf("linking[%d] %s: missing reason", i, e.ID)
		}
		m[strings.ToLower(e.ID)] = true
	}
	return m, nil
}

// IsLinkingException reports whether the SPDX exception id lets the
// licensed code be combined with other code without its copyleft reaching
// that code (Classpath-exception-2.0, GCC-exception-3.1...), as listed in
// data/license-exceptions.yaml.
func (t *LicenseTable) IsLinkingException(id string) bool {
	return linkingExceptions()[strings.ToLower(id)]
}

// Canonicalize rewrites e with current SPDX ids in their canonical case:
// deprecated ids become their replacement ("GPL-2.0" → "GPL-2.0-only",
// "GPL-2.0-with-classpath-exception" → "GPL-2.0-only WITH
// Classpath-exception-2.0"), and the "+" of GNU licences becomes their
// "-or-later" id ("GPL-2.0+" → "GPL-2.0-or-later"). It also returns the
// licence and exception ids that are not on the SPDX list (LicenseRef-
// references excepted), in order; they are left as written.
func (t *LicenseTable) Canonicalize(e spdx.Expr) (spdx.Expr, []string) {
	var unknown []string
	out := spdx.Map(e, func(term spdx.Term) spdx.Expr {
		l := term.License
		exc := term.Exception
		if exc != "" {
			if c, ok := t.canonicalException(exc); ok {
				exc = c
			} else if !strings.HasPrefix(strings.ToLower(exc), "additionref-") && !strings.HasPrefix(strings.ToLower(exc), "licenseref-") {
				unknown = append(unknown, exc)
			}
		}
		if l.IsRef() {
			return withException(&l, exc)
		}
		info, ok := t.Lookup(l.ID)
		if !ok {
			unknown = append(unknown, l.ID)
			return withException(&l, exc)
		}
		id := info.ID
		if info.Deprecated && info.ReplacedBy != "" {
			repl, err := spdx.Parse(info.ReplacedBy)
			if err == nil {
				if lic, ok := repl.(*spdx.License); ok {
					id = lic.ID
					l.OrLater = l.OrLater || lic.OrLater
				} else if w, ok := repl.(*spdx.With); ok && exc == "" {
					id = w.License.ID
					exc = w.Exception
				}
			}
		}
		if l.OrLater {
			if later, ok := t.orLaterID(id); ok {
				id = later
				l.OrLater = false
			}
		}
		l.ID = id
		return withException(&l, exc)
	})
	return out, unknown
}

// orLaterID returns the "-or-later" id of a GNU licence version:
// "GPL-2.0" and "GPL-2.0-only" give "GPL-2.0-or-later".
func (t *LicenseTable) orLaterID(id string) (string, bool) {
	base := strings.TrimSuffix(id, "-only")
	base = strings.TrimSuffix(base, "-or-later")
	c, ok := t.Canonical(base + "-or-later")
	return c, ok
}

func (t *LicenseTable) canonicalException(id string) (string, bool) {
	e, ok := t.Exception(id)
	if !ok {
		return "", false
	}
	return e.ID, true
}

func withException(l *spdx.License, exc string) spdx.Expr {
	if exc == "" {
		return l
	}
	return &spdx.With{License: *l, Exception: exc}
}

// categoryRank orders the known categories from the least to the most
// demanding.
var categoryRank = map[sillage.LicenseCategory]int{
	sillage.CategoryPublicDomain:    0,
	sillage.CategoryPermissive:      1,
	sillage.CategoryWeakCopyleft:    2,
	sillage.CategoryStrongCopyleft:  3,
	sillage.CategoryNetworkCopyleft: 4,
	sillage.CategoryProprietary:     5,
}

// TermCategory is the category of one licence term: the licence's own
// category, lowered to weak copyleft when a linking exception applies. A
// LicenseRef- is proprietary when its name says so (ProprietaryRef,
// "LicenseRef-Commercial"...), unknown otherwise; an id not on the SPDX
// list is unknown.
func (t *LicenseTable) TermCategory(term spdx.Term) sillage.LicenseCategory {
	l := term.License
	var c sillage.LicenseCategory
	switch {
	case l.IsRef():
		c = sillage.CategoryUnknown
		name := strings.ToLower(l.ID)
		for _, m := range proprietaryMarkers {
			if strings.Contains(name, m) {
				c = sillage.CategoryProprietary
				break
			}
		}
	default:
		c = t.Category(l.ID)
		if info, ok := t.Lookup(l.ID); ok && info.Deprecated && info.ReplacedBy != "" {
			if r, err := spdx.Parse(info.ReplacedBy); err == nil {
				c = t.ExpressionCategory(r)
			}
		}
	}
	if term.Exception != "" && t.IsLinkingException(term.Exception) &&
		(c == sillage.CategoryStrongCopyleft || c == sillage.CategoryNetworkCopyleft) {
		c = sillage.CategoryWeakCopyleft
	}
	return c
}

// ExpressionCategory classifies a licence expression. With OR the user may
// pick the branch that obliges least, so the expression takes the least
// demanding category among its branches of known category (unknown only
// when every branch is). With AND every operand applies, so it takes the
// most demanding one; an unknown operand makes the whole unknown (its
// obligations cannot be known), unless another operand is proprietary.
// Unknown is never treated as permissive.
func (t *LicenseTable) ExpressionCategory(e spdx.Expr) sillage.LicenseCategory {
	switch x := e.(type) {
	case *spdx.License:
		return t.TermCategory(spdx.Term{License: *x})
	case *spdx.With:
		return t.TermCategory(spdx.Term{License: x.License, Exception: x.Exception})
	case *spdx.And:
		worst, unknown := -1, false
		for _, op := range x.Operands {
			c := t.ExpressionCategory(op)
			if c == sillage.CategoryProprietary {
				return c
			}
			r, known := categoryRank[c]
			if !known {
				unknown = true
				continue
			}
			worst = max(worst, r)
		}
		if unknown || worst < 0 {
			return sillage.CategoryUnknown
		}
		return rankCategory(worst)
	case *spdx.Or:
		best := -1
		for _, op := range x.Operands {
			if r, known := categoryRank[t.ExpressionCategory(op)]; known && (best < 0 || r < best) {
				best = r
			}
		}
		if best < 0 {
			return sillage.CategoryUnknown
		}
		return rankCategory(best)
	}
	return sillage.CategoryUnknown
}

func rankCategory(r int) sillage.LicenseCategory {
	for c, rank := range categoryRank {
		if rank == r {
			return c
		}
	}
	return sillage.CategoryUnknown
}

// CategoryOf parses and classifies an SPDX expression; text that does
// not parse is unknown.
func (t *LicenseTable) CategoryOf(expr string) sillage.LicenseCategory {
	e, err := spdx.Parse(expr)
	if err != nil {
		return sillage.CategoryUnknown
	}
	return t.ExpressionCategory(e)
}

// CanonicalExpression parses expr and returns its canonical text (see
// Canonicalize) and the ids not on the SPDX list. It returns an error when
// expr is not an SPDX expression.
func (t *LicenseTable) CanonicalExpression(expr string) (string, []string, error) {
	e, err := spdx.Parse(expr)
	if err != nil {
		return "", nil, err
	}
	c, unknown := t.Canonicalize(e)
	return spdx.Normalize(c).String(), unknown, nil
}
