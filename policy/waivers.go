package policy

import (
	"net/url"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/rules"
)

// waives reports whether waiver w selects finding f, about component c
// (nil for a finding about a file or the target). Every selector the
// waiver gives must match: its rules, its component, its path.
func waives(w rules.Waiver, f sillage.Finding, c *sillage.Component) bool {
	if len(w.Rules) > 0 && !slices.Contains(w.Rules, f.RuleID) {
		return false
	}
	if w.Path != "" {
		if f.Path == "" {
			return false
		}
		if ok, _ := doublestar.Match(w.Path, strings.TrimPrefix(f.Path, "/")); !ok {
			if ok, _ := doublestar.Match(w.Path, f.Path); !ok {
				return false
			}
		}
	}
	if s := w.Component; s != nil {
		if c == nil || !selects(s, *c) {
			return false
		}
	}
	return true
}

// selects reports whether component selector s matches c.
func selects(s *rules.ComponentSelector, c sillage.Component) bool {
	if s.Type != "" && !strings.EqualFold(s.Type, string(c.Type)) {
		return false
	}
	if s.Name != "" {
		if ok, _ := doublestar.Match(s.Name, c.Name); !ok {
			return false
		}
	}
	if s.PURL != "" {
		want, ok1 := parsePURL(s.PURL)
		have, ok2 := parsePURL(c.PURL)
		if !ok1 || !ok2 || !want.covers(have) {
			return false
		}
	}
	if s.Versions != "" && !s.Range.Contains(string(c.Type), c.Version) {
		return false
	}
	return true
}

// purl is a package URL split into its parts, percent-decoded.
type purl struct {
	typ, namespace, name, version string
	qualifiers                    map[string]string
	subpath                       string
}

// parsePURL reads "pkg:type/namespace/name@version?qualifiers#subpath".
// It is lenient where tools are ("pkg:npm/@scope/name" with an unencoded
// "@").
func parsePURL(s string) (purl, bool) {
	var p purl
	rest, ok := strings.CutPrefix(strings.TrimSpace(s), "pkg:")
	if !ok {
		return p, false
	}
	rest = strings.TrimLeft(rest, "/")
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		p.subpath = strings.Trim(unescape(rest[i+1:]), "/")
		rest = rest[:i]
	}
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		p.qualifiers = map[string]string{}
		for _, kv := range strings.Split(rest[i+1:], "&") {
			k, v, _ := strings.Cut(kv, "=")
			if k != "" {
				p.qualifiers[strings.ToLower(k)] = unescape(v)
			}
		}
		rest = rest[:i]
	}
	typ, path, ok := strings.Cut(rest, "/")
	if !ok || typ == "" {
		return p, false
	}
	p.typ = strings.ToLower(typ)
	// the version follows the last "@" of the last path segment
	last := strings.LastIndexByte(path, '/')
	if i := strings.LastIndexByte(path, '@'); i > last && i > 0 {
		p.version = unescape(path[i+1:])
		path = path[:i]
	}
	path = strings.Trim(path, "/")
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		p.namespace, p.name = unescape(path[:i]), unescape(path[i+1:])
	} else {
		p.name = unescape(path)
	}
	return p, p.name != ""
}

func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// covers reports whether the waiver's package URL p designates the
// component's package URL c: same type, namespace and name (compared
// without case), the same version if p gives one, and the qualifiers
// and subpath p gives.
func (p purl) covers(c purl) bool {
	if p.typ != c.typ || !strings.EqualFold(p.namespace, c.namespace) || !strings.EqualFold(p.name, c.name) {
		return false
	}
	if p.version != "" && p.version != c.version {
		return false
	}
	for k, v := range p.qualifiers {
		if c.qualifiers[k] != v {
			return false
		}
	}
	return p.subpath == "" || p.subpath == c.subpath
}

// identity is a package URL without version, qualifiers or subpath:
// the package whatever its release.
func (p purl) identity() string {
	if p.namespace == "" {
		return p.typ + "/" + strings.ToLower(p.name)
	}
	return p.typ + "/" + strings.ToLower(p.namespace) + "/" + strings.ToLower(p.name)
}
