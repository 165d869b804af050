package exclude

import (
	"slices"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := map[string]string{
		"/home/**":           "/home/**",
		"**/node_modules":    "**/node_modules",
		"*.jar":              "**/*.jar",
		"./vendor/":          "/vendor",
		`C:\Users\*\AppData`: "**/C:/Users/*/AppData",
		`\Windows\Temp\**`:   "/Windows/Temp/**",
		"  ":                 "",
	}
	for in, want := range tests {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
	if got := NormalizeAll([]string{"*.jar", " ", "/x"}); !slices.Equal(got, []string{"**/*.jar", "/x"}) {
		t.Errorf("NormalizeAll = %q", got)
	}
	if g, bad := Invalid([]string{"/ok/**", "/bad/[", "/also/["}); !bad || g != "/bad/[" {
		t.Errorf("Invalid = %q, %v; want the first bad glob", g, bad)
	}
	if _, bad := Invalid([]string{"/ok/**", "*.tmp"}); bad {
		t.Error("Invalid reported a valid list")
	}
}
