// Package vers compares package versions the way their ecosystems do and
// tests them against version ranges written in the package-URL "vers"
// syntax ("vers:deb/>=1.0|<2.0") or the shorter comma form (">=1.0,<2.0").
//
// Each ecosystem orders versions its own way: Debian's "1.0~rc1" is older
// than "1.0", but semantic versioning's "1.0.0-rc1" is too, while Debian's
// "1.0-1" (a revision) is newer than "1.0". Compare applies the rules of
// the scheme it is given: the dpkg algorithm for deb, rpmvercmp for rpm,
// semantic versioning precedence for npm, cargo, golang, nuget and
// composer, and a generic natural order for the rest. It imports the
// standard library only.
package vers

import (
	"slices"
	"strings"
)

// The versioning schemes Compare implements. The names are vers
// versioning schemes (package-URL types) where one exists.
const (
	Deb     = "deb"
	RPM     = "rpm"
	SemVer  = "semver"
	Generic = "generic"
)

// schemes maps every scheme name a range may give to the algorithm used.
var schemes = map[string]string{
	"deb": Deb, "rpm": RPM,
	"semver": SemVer, "npm": SemVer, "cargo": SemVer, "golang": SemVer, "nuget": SemVer, "composer": SemVer,
	"generic": Generic, "pypi": Generic, "maven": Generic, "gem": Generic, "apk": Generic, "alpine": Generic,
	"alpm": Generic, "conan": Generic, "hex": Generic, "pub": Generic, "swift": Generic, "cocoapods": Generic,
	"hackage": Generic, "cran": Generic, "github": Generic, "windows": Generic, "macos": Generic,
	"flatpak": Generic, "snap": Generic, "binary": Generic,
}

// Schemes lists the scheme names a range may give, sorted.
func Schemes() []string {
	out := make([]string, 0, len(schemes))
	for k := range schemes {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// SchemeFor returns the algorithm used for versions of a component type
// (a package-URL type such as "deb" or "npm"): Deb, RPM, SemVer or
// Generic. Unknown types get Generic.
func SchemeFor(componentType string) string {
	if s, ok := schemes[strings.ToLower(componentType)]; ok {
		return s
	}
	return Generic
}

// Compare returns -1, 0 or 1 as a is older than, the same as or newer
// than b under scheme, a scheme name or component type (see SchemeFor).
func Compare(scheme, a, b string) int {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	switch SchemeFor(scheme) {
	case Deb:
		return compareDeb(a, b)
	case RPM:
		return compareRPM(a, b)
	case SemVer:
		return compareSemVer(a, b)
	}
	return compareGeneric(a, b)
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// compareDigits compares two runs of decimal digits numerically, whatever
// their length.
func compareDigits(a, b string) int {
	a = strings.TrimLeft(a, "0")
	b = strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return sign(len(a) - len(b))
	}
	return strings.Compare(a, b)
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// ---- Debian (Debian Policy §5.6.12) ----

// splitDeb splits "epoch:upstream-revision"; the epoch defaults to 0 and
// the revision to "".
func splitDeb(v string) (epoch, upstream, revision string) {
	epoch = "0"
	if i := strings.IndexByte(v, ':'); i >= 0 {
		epoch, v = v[:i], v[i+1:]
	}
	if i := strings.LastIndexByte(v, '-'); i >= 0 {
		return epoch, v[:i], v[i+1:]
	}
	return epoch, v, ""
}

func compareDeb(a, b string) int {
	ea, ua, ra := splitDeb(a)
	eb, ub, rb := splitDeb(b)
	if c := compareDigits(ea, eb); c != 0 {
		return c
	}
	if c := debPart(ua, ub); c != 0 {
		return c
	}
	return debPart(ra, rb)
}

// debOrder is the weight of a character in the non-digit parts: a tilde
// sorts before anything, even the end of the part; letters sort before
// non-letters.
func debOrder(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	c := s[i]
	switch {
	case c == '~':
		return -1
	case isDigit(c):
		return 0
	case isLetter(c):
		return int(c)
	}
	return int(c) + 256
}

// debPart compares two upstream versions or two revisions: alternately a
// non-digit prefix, compared with debOrder, then a run of digits, compared
// numerically (an empty run is zero).
func debPart(a, b string) int {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		for i < len(a) && !isDigit(a[i]) || j < len(b) && !isDigit(b[j]) {
			oa, ob := debOrder(a, i), debOrder(b, j)
			if oa != ob {
				return sign(oa - ob)
			}
			i++
			j++
		}
		si := i
		for i < len(a) && isDigit(a[i]) {
			i++
		}
		sj := j
		for j < len(b) && isDigit(b[j]) {
			j++
		}
		if c := compareDigits(a[si:i], b[sj:j]); c != 0 {
			return c
		}
	}
	return 0
}

// ---- RPM (rpmvercmp) ----

// splitRPM splits "epoch:version-release"; the epoch defaults to 0.
func splitRPM(v string) (epoch, version, release string) {
	epoch = "0"
	if i := strings.IndexByte(v, ':'); i >= 0 && i < len(v) && allDigits(v[:i]) {
		epoch, v = v[:i], v[i+1:]
	}
	if i := strings.LastIndexByte(v, '-'); i >= 0 {
		return epoch, v[:i], v[i+1:]
	}
	return epoch, v, ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func compareRPM(a, b string) int {
	ea, va, ra := splitRPM(a)
	eb, vb, rb := splitRPM(b)
	if c := compareDigits(ea, eb); c != 0 {
		return c
	}
	if c := rpmvercmp(va, vb); c != 0 {
		return c
	}
	if ra == "" || rb == "" {
		// a version without a release matches every release of it
		return 0
	}
	return rpmvercmp(ra, rb)
}

func isAlnum(c byte) bool { return isDigit(c) || isLetter(c) }

// rpmvercmp compares segments of digits or of letters, separators
// ignored; "~" sorts before everything and "^" after the end of a version
// but before any further segment.
func rpmvercmp(a, b string) int {
	if a == b {
		return 0
	}
	for len(a) > 0 || len(b) > 0 {
		for len(a) > 0 && !isAlnum(a[0]) && a[0] != '~' && a[0] != '^' {
			a = a[1:]
		}
		for len(b) > 0 && !isAlnum(b[0]) && b[0] != '~' && b[0] != '^' {
			b = b[1:]
		}
		if strings.HasPrefix(a, "~") || strings.HasPrefix(b, "~") {
			if !strings.HasPrefix(a, "~") {
				return 1
			}
			if !strings.HasPrefix(b, "~") {
				return -1
			}
			a, b = a[1:], b[1:]
			continue
		}
		if strings.HasPrefix(a, "^") || strings.HasPrefix(b, "^") {
			switch {
			case a == "":
				return -1
			case b == "":
				return 1
			case !strings.HasPrefix(a, "^"):
				return 1
			case !strings.HasPrefix(b, "^"):
				return -1
			}
			a, b = a[1:], b[1:]
			continue
		}
		if a == "" || b == "" {
			break
		}
		num := isDigit(a[0])
		take := func(s string) (string, string) {
			i := 0
			for i < len(s) && (num && isDigit(s[i]) || !num && isLetter(s[i])) {
				i++
			}
			return s[:i], s[i:]
		}
		var sa, sb string
		sa, a = take(a)
		sb, b = take(b)
		if sb == "" {
			// segments of different kinds: a number is newer
			if num {
				return 1
			}
			return -1
		}
		var c int
		if num {
			c = compareDigits(sa, sb)
		} else {
			c = strings.Compare(sa, sb)
		}
		if c != 0 {
			return c
		}
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}

// ---- semantic versioning 2.0 precedence ----

type semver struct {
	core [3]string // digits
	pre  []string
}

// parseSemVer reads "v1.2.3-pre+build", tolerating a leading "v", a
// missing minor or patch ("1.2") and Go's "+incompatible".
func parseSemVer(v string) (semver, bool) {
	v = strings.TrimPrefix(strings.TrimPrefix(v, "v"), "V")
	if i := strings.IndexByte(v, '+'); i >= 0 {
		v = v[:i]
	}
	var s semver
	core := v
	if i := strings.IndexByte(v, '-'); i >= 0 {
		core = v[:i]
		pre := v[i+1:]
		if pre == "" {
			return s, false
		}
		s.pre = strings.Split(pre, ".")
		for _, p := range s.pre {
			if p == "" {
				return s, false
			}
		}
	}
	parts := strings.Split(core, ".")
	if len(parts) == 0 || len(parts) > 3 {
		return s, false
	}
	s.core = [3]string{"0", "0", "0"}
	for i, p := range parts {
		if !allDigits(p) {
			return s, false
		}
		s.core[i] = p
	}
	return s, true
}

func compareSemVer(a, b string) int {
	sa, oka := parseSemVer(a)
	sb, okb := parseSemVer(b)
	if !oka || !okb {
		return compareGeneric(a, b)
	}
	for i := range 3 {
		if c := compareDigits(sa.core[i], sb.core[i]); c != 0 {
			return c
		}
	}
	switch {
	case len(sa.pre) == 0 && len(sb.pre) == 0:
		return 0
	case len(sa.pre) == 0:
		return 1
	case len(sb.pre) == 0:
		return -1
	}
	for i := range min(len(sa.pre), len(sb.pre)) {
		x, y := sa.pre[i], sb.pre[i]
		nx, ny := allDigits(x), allDigits(y)
		var c int
		switch {
		case nx && ny:
			c = compareDigits(x, y)
		case nx:
			c = -1
		case ny:
			c = 1
		default:
			c = strings.Compare(x, y)
		}
		if c != 0 {
			return c
		}
	}
	return sign(len(sa.pre) - len(sb.pre))
}

// ---- generic natural order ----

// preRelease are words that mark a version as earlier than the release
// they precede ("1.0rc1", "2.0.0.beta", "1.0-SNAPSHOT", "1.0.dev3").
var preRelease = map[string]int{
	"dev": 1, "snapshot": 1, "pre": 2, "preview": 2, "a": 3, "alpha": 3, "b": 4, "beta": 4,
	"m": 5, "milestone": 5, "c": 6, "cr": 6, "rc": 6,
}

type token struct {
	num   bool
	text  string
	tilde bool // preceded by "~": earlier than anything
}

func tokens(v string) []token {
	var out []token
	tilde := false
	for i := 0; i < len(v); {
		c := v[i]
		switch {
		case isDigit(c) || isLetter(c):
			j := i
			for j < len(v) && isDigit(v[j]) == isDigit(c) && isAlnum(v[j]) {
				j++
			}
			out = append(out, token{num: isDigit(c), text: strings.ToLower(v[i:j]), tilde: tilde})
			tilde = false
			i = j
		case c == '~':
			tilde = true
			i++
		default:
			i++
		}
	}
	return out
}

// rank orders a token with respect to the end of a version: a pre-release
// word or a tilde is before it (negative), anything else after it.
func (t token) rank() int {
	if t.tilde {
		return -10
	}
	if !t.num {
		if r, ok := preRelease[t.text]; ok {
			return r - 10
		}
	}
	return 1
}

// compareGeneric compares runs of digits numerically and runs of letters
// alphabetically, separators ignored. A number is newer than a word
// ("1.0.1" > "1.0.rc1"); pre-release words (dev, alpha, beta, rc...) and
// "~" make a version older than the release they follow ("1.0rc1" <
// "1.0"), any other suffix newer ("1.0.post1", "1.0a" with a letter that
// is not a pre-release word).
func compareGeneric(a, b string) int {
	ta, tb := tokens(a), tokens(b)
	for i := range min(len(ta), len(tb)) {
		x, y := ta[i], tb[i]
		if x.tilde != y.tilde {
			if x.tilde {
				return -1
			}
			return 1
		}
		switch {
		case x.num && y.num:
			if c := compareDigits(x.text, y.text); c != 0 {
				return c
			}
		case x.num:
			return 1
		case y.num:
			return -1
		default:
			rx, okx := preRelease[x.text]
			ry, oky := preRelease[y.text]
			switch {
			case okx && oky && rx != ry:
				return sign(rx - ry)
			case okx && !oky:
				return -1
			case oky && !okx:
				return 1
			}
			if c := strings.Compare(x.text, y.text); c != 0 && !(okx && oky) {
				return c
			}
		}
	}
	switch {
	case len(ta) > len(tb):
		return sign(ta[len(tb)].rank())
	case len(tb) > len(ta):
		return -sign(tb[len(ta)].rank())
	}
	return 0
}
