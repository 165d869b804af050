package sillmatch

import (
	"strconv"
	"strings"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/rules/sill"
)

// BelowMinimum reports whether c's version is older than the minimal
// version the SILL recommends for s. min is s's minimum as
// Software.MinVersion gives it ("2.10.14"; the policy text, such as
// "Dernière stable", when it is not a version).
//
// Versions are compared as the upstream release, numerically, component by
// component, missing components counting as zero ("19.00" equals "19"):
// Debian and RPM epochs and revisions are dropped ("1:7.4.7-1+deb12u5" is
// 7.4.7), Debian's "+really" convention is honoured ("16.02+really26.02" is
// 26.02), and a trailing ".x" in the minimum is a wildcard ("6.x" is 6).
// Suffixes such as "esr", "rc1" or "+dfsg" are ignored, so a pre-release
// never counts as below its release. Anything that cannot be read that way
// (an empty version, "0.0.svn18646", a minimum that is a policy) is not
// below: an unknown is never a finding.
func BelowMinimum(c sillage.Component, s sill.Software) (min string, below bool) {
	min, ok := s.MinVersion()
	if !ok {
		return min, false
	}
	want, ok := parseVersion(min)
	if !ok {
		return min, false
	}
	have, ok := parseVersion(upstreamVersion(c))
	if !ok {
		return min, false
	}
	return min, compareVersions(have, want) < 0
}

// upstreamVersion strips what the packaging adds to a release number.
func upstreamVersion(c sillage.Component) string {
	v := strings.TrimSpace(c.Version)
	switch ecosystem(c.Type) {
	case "deb", "rpm", "apk":
		if i := strings.IndexByte(v, ':'); i >= 0 && isDigits(v[:i]) {
			v = v[i+1:]
		}
		if i := strings.LastIndexByte(v, '-'); i > 0 {
			v = v[:i]
		}
		if i := strings.Index(v, "+really"); i >= 0 {
			v = v[i+len("+really"):]
		}
	}
	return v
}

// parseVersion reads the leading dotted numbers of v. The rest must be
// empty or start with a separator ("-", "+", "~", "_", " ") or a letter
// ("esr", "rc1"); ".svn18646" or ".X" after the numbers is not a version,
// except a trailing ".x" wildcard.
func parseVersion(v string) ([]int, bool) {
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	for strings.HasSuffix(v, ".x") || strings.HasSuffix(v, ".X") || strings.HasSuffix(v, ".*") {
		v = v[:len(v)-2]
	}
	var out []int
	i := 0
	for {
		j := i
		for j < len(v) && v[j] >= '0' && v[j] <= '9' {
			j++
		}
		if j == i || j-i > 18 {
			return nil, false
		}
		n, err := strconv.Atoi(v[i:j])
		if err != nil {
			return nil, false
		}
		out = append(out, n)
		if j == len(v) {
			return out, true
		}
		switch c := v[j]; {
		case c == '.':
			if j+1 < len(v) && v[j+1] >= '0' && v[j+1] <= '9' {
				i = j + 1
				continue
			}
			return nil, false
		case c == '-' || c == '+' || c == '~' || c == '_' || c == ' ':
			return out, true
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			return out, true
		}
		return nil, false
	}
}

func compareVersions(a, b []int) int {
	for i := range max(len(a), len(b)) {
		var x, y int
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
