package vers

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Range is a parsed version range. Its zero value contains no version.
type Range struct {
	// scheme is the range's own versioning scheme ("vers:deb/..."), or ""
	// for the short form, which uses the scheme of the version tested.
	scheme string
	// vers is true for the "vers:" form, whose constraints are a sorted
	// union of intervals; the short form is alternatives of conjunctions.
	vers bool
	// groups are, for the short form, alternatives (separated by "|") of
	// constraints that must all hold (separated by ","); the vers form has
	// one group.
	groups [][]constraint
	any    bool // "*": every version
	text   string
}

type constraint struct {
	op      string // "=", "!=", "<", "<=", ">", ">="
	version string
}

// ParseRange reads a version range in one of two forms:
//
//   - the package-URL vers syntax, "vers:SCHEME/CONSTRAINTS", where
//     CONSTRAINTS are separated by "|" and describe a union of intervals
//     ("vers:deb/>=1.0|<2.0" is every version from 1.0 up to, not
//     including, 2.0; "vers:npm/1.2.3|>=2.0.0" is 1.2.3 and every version
//     from 2.0.0); SCHEME decides how versions compare;
//   - a short form, "CONSTRAINT,CONSTRAINT|CONSTRAINT...": constraints
//     separated by "," must all hold, and "|" separates alternatives
//     (">=1.0,<2.0", "<1.5|>=3.0", "1.2.3"); versions compare with the
//     scheme of the component's type.
//
// A constraint is a comparator (=, !=, <, <=, >, >=; none means =) then a
// version. "*" alone is every version.
func ParseRange(s string) (Range, error) {
	s = strings.TrimSpace(s)
	r := Range{text: s}
	if s == "" {
		return r, errors.New("empty version range")
	}
	if rest, ok := strings.CutPrefix(s, "vers:"); ok {
		scheme, body, ok := strings.Cut(rest, "/")
		if !ok || scheme == "" {
			return r, fmt.Errorf("version range %q: want vers:SCHEME/CONSTRAINTS", s)
		}
		scheme = strings.ToLower(scheme)
		if _, known := schemes[scheme]; !known {
			return r, fmt.Errorf("version range %q: unknown versioning scheme %q; use one of %s", s, scheme, strings.Join(Schemes(), ", "))
		}
		r.scheme, r.vers = scheme, true
		if strings.TrimSpace(body) == "*" {
			r.any = true
			return r, nil
		}
		cs, err := parseConstraints(s, strings.Split(body, "|"), true)
		if err != nil {
			return r, err
		}
		r.groups = [][]constraint{cs}
		return r, nil
	}
	if s == "*" {
		r.any = true
		return r, nil
	}
	for _, alt := range strings.Split(s, "|") {
		cs, err := parseConstraints(s, strings.Split(alt, ","), false)
		if err != nil {
			return r, err
		}
		r.groups = append(r.groups, cs)
	}
	return r, nil
}

func parseConstraints(whole string, parts []string, unescape bool) ([]constraint, error) {
	var out []constraint
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			return nil, fmt.Errorf("version range %q: empty constraint", whole)
		}
		c := constraint{op: "="}
		for _, op := range []string{">=", "<=", "!=", ">", "<", "="} {
			if rest, ok := strings.CutPrefix(p, op); ok {
				c.op, p = op, strings.TrimSpace(rest)
				break
			}
		}
		if unescape {
			if u, err := url.PathUnescape(p); err == nil {
				p = u
			}
		}
		if p == "" || strings.ContainsAny(p, "<>=!* \t") {
			return nil, fmt.Errorf("version range %q: %q is not a version", whole, p)
		}
		c.version = p
		out = append(out, c)
	}
	return out, nil
}

// String returns the range as it was written.
func (r Range) String() string { return r.text }

// Scheme returns the versioning scheme the range names ("vers:deb/...")
// or "" for the short form.
func (r Range) Scheme() string { return r.scheme }

// Contains reports whether version v, of a component whose type (or
// versioning scheme) is scheme, is in the range. A range that names its
// own scheme compares with that one. An empty version is in no range but
// "*".
func (r Range) Contains(scheme, v string) bool {
	if r.any {
		return true
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return false
	}
	if r.scheme != "" {
		scheme = r.scheme
	}
	if !r.vers {
		for _, g := range r.groups {
			if all(g, func(c constraint) bool { return c.holds(scheme, v) }) {
				return true
			}
		}
		return false
	}
	return r.containsVers(scheme, v)
}

func all(cs []constraint, f func(constraint) bool) bool {
	for _, c := range cs {
		if !f(c) {
			return false
		}
	}
	return len(cs) > 0
}

func (c constraint) holds(scheme, v string) bool {
	d := Compare(scheme, v, c.version)
	switch c.op {
	case "=":
		return d == 0
	case "!=":
		return d != 0
	case "<":
		return d < 0
	case "<=":
		return d <= 0
	case ">":
		return d > 0
	case ">=":
		return d >= 0
	}
	return false
}

// containsVers follows the vers specification: a version equal to an "="
// constraint is in, one equal to a "!=" constraint is out; otherwise the
// remaining constraints, sorted by version, are read as intervals: a
// leading "<" or "<=", a trailing ">" or ">=", and each ">" or ">="
// followed by a "<" or "<=".
func (r Range) containsVers(scheme, v string) bool {
	var bounds []constraint
	for _, c := range r.groups[0] {
		switch c.op {
		case "=":
			if Compare(scheme, v, c.version) == 0 {
				return true
			}
		case "!=":
			if Compare(scheme, v, c.version) == 0 {
				return false
			}
		default:
			bounds = append(bounds, c)
		}
	}
	if len(bounds) == 0 {
		// only "!=" constraints: every other version is in
		return slices.ContainsFunc(r.groups[0], func(c constraint) bool { return c.op == "!=" })
	}
	slices.SortStableFunc(bounds, func(a, b constraint) int { return Compare(scheme, a.version, b.version) })
	lower := func(c constraint) bool { return c.op == ">" || c.op == ">=" }
	if len(bounds) == 1 {
		return bounds[0].holds(scheme, v)
	}
	if !lower(bounds[0]) && bounds[0].holds(scheme, v) {
		return true
	}
	if last := bounds[len(bounds)-1]; lower(last) && last.holds(scheme, v) {
		return true
	}
	for i := 0; i+1 < len(bounds); i++ {
		cur, next := bounds[i], bounds[i+1]
		if lower(cur) && !lower(next) && cur.holds(scheme, v) && next.holds(scheme, v) {
			return true
		}
	}
	return false
}
