// Package exclude reads the --exclude globs that every walk of sillage
// accepts: doublestar patterns matched against slash paths inside the
// target.
package exclude

import (
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// Normalize turns a user exclusion into a rooted doublestar pattern:
// "/x/**" stays, "**/x" stays, "x" becomes "**/x", "./x" becomes "/x".
// Backslashes become slashes so Windows users can type paths their way.
// Blank input gives "".
func Normalize(g string) string {
	g = strings.ReplaceAll(strings.TrimSpace(g), `\`, "/")
	g = strings.TrimSuffix(g, "/")
	switch {
	case g == "":
		return ""
	case strings.HasPrefix(g, "/"), strings.HasPrefix(g, "**"):
		return g
	case strings.HasPrefix(g, "./"):
		return "/" + strings.TrimPrefix(g, "./")
	default:
		return "**/" + g
	}
}

// NormalizeAll normalizes gs, leaving out blank ones.
func NormalizeAll(gs []string) []string {
	out := make([]string, 0, len(gs))
	for _, g := range gs {
		if n := Normalize(g); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// Invalid returns the first of gs that is not a valid pattern once
// normalized, and whether there is one.
func Invalid(gs []string) (string, bool) {
	for _, g := range gs {
		if !doublestar.ValidatePattern(Normalize(g)) {
			return g, true
		}
	}
	return "", false
}
