package sillmatch

import (
	"net/url"
	"strings"

	"github.com/sillage-oss/sillage"
)

// purl holds the parts of a package URL that matching uses.
type purl struct {
	eco      string // the purl type, as an alias-table ecosystem
	ns, name string // namespace (may contain "/") and name, decoded
	upstream string // qualifier "upstream": Debian/RPM source package
	bundleID string // qualifier "bundle_id": macOS CFBundleIdentifier
}

// parsePURL reads "pkg:type/namespace/name@version?qualifiers#subpath".
// It is lenient (an unencoded "@" in an npm scope is accepted) and false
// only when s is not a package URL at all.
func parsePURL(s string) (purl, bool) {
	rest, ok := strings.CutPrefix(s, "pkg:")
	if !ok {
		return purl{}, false
	}
	rest = strings.TrimLeft(rest, "/")
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest = rest[:i]
	}
	var quals string
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest, quals = rest[:i], rest[i+1:]
	}
	typ, path, ok := strings.Cut(rest, "/")
	if !ok || typ == "" || path == "" {
		return purl{}, false
	}
	slash := strings.LastIndexByte(path, '/')
	if at := strings.IndexByte(path[slash+1:], '@'); at >= 0 {
		path = path[:slash+1+at]
	}
	p := purl{eco: ecosystem(sillage.Type(typeOf(strings.ToLower(typ))))}
	if slash >= 0 {
		p.ns, p.name = unescape(path[:slash]), unescape(path[slash+1:])
	} else {
		p.name = unescape(path)
	}
	for quals != "" {
		var kv string
		kv, quals, _ = strings.Cut(quals, "&")
		k, v, _ := strings.Cut(kv, "=")
		switch strings.ToLower(k) {
		case "upstream":
			p.upstream = unescape(v)
		case "bundle_id", "bundleid":
			p.bundleID = unescape(v)
		}
	}
	return p, p.name != ""
}

func typeOf(t string) string {
	if t == "github" || t == "bitbucket" {
		return "" // repositories, not packages
	}
	return t
}

func unescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// purlKey returns the alias-map key of p in its ecosystem: npm
// "@scope/name", Maven "group:artifact", Composer "vendor/name", Go the
// module path, others the name.
func purlKey(p purl) (string, bool) {
	switch p.eco {
	case "deb", "rpm", "gem", "nuget", "pypi":
		return exactKey(p.eco, p.name), true
	case "npm", "composer":
		if p.ns != "" {
			return exactKey(p.eco, p.ns+"/"+p.name), true
		}
		return exactKey(p.eco, p.name), true
	case "maven":
		if p.ns == "" {
			return "", false
		}
		return exactKey(p.eco, p.ns+":"+p.name), true
	case "golang":
		if p.ns != "" {
			return p.ns + "/" + p.name, true
		}
		return p.name, true
	}
	return "", false
}
