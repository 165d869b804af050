package vers

import (
	"strings"
	"testing"
)

func TestCompare(t *testing.T) {
	tests := []struct {
		scheme, a, b string
		want         int
	}{
		// dpkg: examples of Debian Policy §5.6.12 and dpkg's own test suite
		{"deb", "1.0", "1.0", 0},
		{"deb", "1.0~rc1", "1.0", -1},
		{"deb", "1.0~~", "1.0~", -1},
		{"deb", "1.0~", "1.0", -1},
		{"deb", "1.0", "1.0a", -1},
		{"deb", "1.0a", "1.0+", -1}, // letters sort before non-letters
		{"deb", "1:1.0", "2.0", 1},  // epoch first
		{"deb", "1.0-1", "1.0-2", -1},
		{"deb", "1.0-10", "1.0-9", 1},
		{"deb", "1.2.13.dfsg-1", "1.2.13-1", 1},
		{"deb", "2.36-9+deb12u14", "2.36-9+deb12u9", 1},
		{"deb", "7.88.1-10+deb12u14", "7.88.1-10", 1},
		{"deb", "1:1.2.13.dfsg-1", "1:1.2.13.dfsg-1", 0},
		{"deb", "1.0.0", "1.0", 1},
		{"deb", "001.0", "1.0", 0},
		// rpm: rpmvercmp
		{"rpm", "1.0", "1.0", 0},
		{"rpm", "1.0", "1.0.1", -1},
		{"rpm", "1.0a", "1.0", 1},
		{"rpm", "1.0~rc1", "1.0", -1},
		{"rpm", "1.0^git1", "1.0", 1},
		{"rpm", "1.0^git1", "1.0.1", -1},
		{"rpm", "2.0.1-1.el9", "2.0.1-2.el9", -1},
		{"rpm", "1:1.0-1", "2.0-1", 1},
		{"rpm", "5.5p1", "5.5p10", -1},
		{"rpm", "1.0-1", "1.0", 0}, // no release on one side: same version
		{"rpm", "a", "1", -1},
		// semver (npm, cargo, golang)
		{"npm", "1.0.0-alpha", "1.0.0", -1},
		{"npm", "1.0.0-alpha", "1.0.0-alpha.1", -1},
		{"npm", "1.0.0-alpha.1", "1.0.0-alpha.beta", -1},
		{"npm", "1.0.0-beta.2", "1.0.0-beta.11", -1},
		{"npm", "1.0.0-rc.1", "1.0.0", -1},
		{"npm", "1.0.0+build.5", "1.0.0", 0},
		{"npm", "4.17.21", "4.17.3", 1},
		{"golang", "v0.9.1", "v0.10.0", -1},
		{"golang", "v2.0.0+incompatible", "v1.9.9", 1},
		{"cargo", "1.2", "1.2.0", 0},
		// generic (pypi, maven, gem, windows...)
		{"pypi", "1.0rc1", "1.0", -1},
		{"pypi", "1.0.dev3", "1.0a1", -1},
		{"pypi", "1.0a1", "1.0b1", -1},
		{"pypi", "1.0.post1", "1.0", 1},
		{"maven", "1.0-SNAPSHOT", "1.0", -1},
		{"maven", "2.10", "2.9.1", 1},
		{"windows", "24.2.0.316", "24.10", -1},
		{"generic", "1.0.1", "1.0.rc1", 1},
		{"", "10", "9", 1},
	}
	for _, tt := range tests {
		if got := Compare(tt.scheme, tt.a, tt.b); got != tt.want {
			t.Errorf("Compare(%s, %q, %q) = %d, want %d", tt.scheme, tt.a, tt.b, got, tt.want)
		}
		if got := Compare(tt.scheme, tt.b, tt.a); got != -tt.want {
			t.Errorf("Compare(%s, %q, %q) = %d, want %d (antisymmetry)", tt.scheme, tt.b, tt.a, got, -tt.want)
		}
	}
}

func TestSchemeFor(t *testing.T) {
	for typ, want := range map[string]string{"deb": Deb, "RPM": RPM, "npm": SemVer, "golang": SemVer, "pypi": Generic, "unknown": Generic, "": Generic} {
		if got := SchemeFor(typ); got != want {
			t.Errorf("SchemeFor(%q) = %s, want %s", typ, got, want)
		}
	}
}

func TestRange(t *testing.T) {
	tests := []struct {
		rng, scheme, v string
		want           bool
	}{
		{">=1.0,<2.0", "npm", "1.5.0", true},
		{">=1.0,<2.0", "npm", "2.0.0", false},
		{">=1.0,<2.0", "npm", "2.0.0-rc.1", true}, // a pre-release of 2.0 is before 2.0
		{">=1.0,<2.0", "npm", "0.9.9", false},
		{"<1.5|>=3.0", "generic", "1.4", true},
		{"<1.5|>=3.0", "generic", "2.0", false},
		{"<1.5|>=3.0", "generic", "3.1", true},
		{"1.2.3", "npm", "1.2.3", true},
		{"=1.2.3", "npm", "1.2.4", false},
		{"!=1.2.3", "npm", "1.2.4", true},
		{"*", "deb", "", true},
		{">=1.0", "deb", "", false},
		// the component's scheme decides: dpkg orders 1.0~rc1 before 1.0
		{"<1.0", "deb", "1.0~rc1", true},
		{"<2.36-9+deb12u10", "deb", "2.36-9+deb12u14", false},
		{">=1:1.2.13,<1:1.3", "deb", "1:1.2.13.dfsg-1", true},
		// vers: the range names its scheme
		{"vers:deb/>=1.0|<2.0", "npm", "1.0~rc1", false},
		{"vers:deb/>=1.0|<2.0", "npm", "1.9", true},
		{"vers:npm/1.2.3|>=2.0.0", "", "1.2.3", true},
		{"vers:npm/1.2.3|>=2.0.0", "", "1.5.0", false},
		{"vers:npm/1.2.3|>=2.0.0", "", "2.1.0", true},
		{"vers:npm/<1.0.0|>=2.0.0|<3.0.0", "", "0.5.0", true},
		{"vers:npm/<1.0.0|>=2.0.0|<3.0.0", "", "1.5.0", false},
		{"vers:npm/<1.0.0|>=2.0.0|<3.0.0", "", "2.5.0", true},
		{"vers:npm/<1.0.0|>=2.0.0|<3.0.0", "", "3.0.0", false},
		{"vers:npm/>=2.0.0|!=2.1.0", "", "2.1.0", false},
		{"vers:npm/>=2.0.0|!=2.1.0", "", "2.2.0", true},
		{"vers:npm/!=2.1.0", "", "2.2.0", true},
		{"vers:npm/*", "", "9", true},
		{"vers:npm/1.0.0%2Bbuild", "", "1.0.0", true},
	}
	for _, tt := range tests {
		r, err := ParseRange(tt.rng)
		if err != nil {
			t.Errorf("ParseRange(%q): %v", tt.rng, err)
			continue
		}
		if got := r.Contains(tt.scheme, tt.v); got != tt.want {
			t.Errorf("%q contains %s %q = %v, want %v", tt.rng, tt.scheme, tt.v, got, tt.want)
		}
	}
}

func TestParseRangeErrors(t *testing.T) {
	for rng, want := range map[string]string{
		"":                 "empty",
		"vers:":            "want vers:SCHEME/CONSTRAINTS",
		"vers:foo/1.0":     `unknown versioning scheme "foo"`,
		">=1.0,":           "empty constraint",
		">=":               "is not a version",
		">= 1.0 2.0":       "is not a version",
		"vers:npm/>=1|<=>": "is not a version",
	} {
		if _, err := ParseRange(rng); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseRange(%q) = %v, want an error mentioning %q", rng, err, want)
		}
	}
}

func FuzzCompare(f *testing.F) {
	for _, s := range []string{"1.0", "1:2.3~rc1-4", "1.0^git", "v1.2.3-alpha.1+b", "1.0.dev3", "~~", "-", ":"} {
		f.Add("deb", s, "1.0")
	}
	f.Fuzz(func(t *testing.T, scheme, a, b string) {
		for _, s := range []string{"deb", "rpm", "npm", "generic"} {
			x, y := Compare(s, a, b), Compare(s, b, a)
			if x != -y {
				t.Errorf("%s: Compare(%q, %q) = %d but Compare(%q, %q) = %d", s, a, b, x, b, a, y)
			}
			if Compare(s, a, a) != 0 {
				t.Errorf("%s: %q is not equal to itself", s, a)
			}
		}
		_, _ = ParseRange(a)
	})
}
