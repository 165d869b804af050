package sillmatch

import (
	"strings"

	"github.com/sillage-oss/sillage/rules/sill"
)

// productKey normalises a product name as Windows, macOS and binary
// components spell it, for comparison with SILL names: bracketed parts,
// versions, architectures, locales and dashes go, then case, accents and
// punctuation ("7-Zip 23.01 (x64)" gives "7zip", "Microsoft Office
// Professional Plus 2019 - fr-fr" gives "microsoftofficeprofessionalplus").
func productKey(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	depth := 0
	for _, r := range name {
		switch {
		case r == '(' || r == '[':
			depth++
			b.WriteByte(' ')
		case (r == ')' || r == ']') && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	fields := strings.Fields(b.String())
	kept := fields[:0]
	for _, f := range fields {
		t := strings.ToLower(strings.Trim(f, ",;:"))
		if t == "" || t == "-" || t == "–" || t == "—" || t == "version" || isVersion(t) || isArch(t) || isLocale(t) {
			continue
		}
		kept = append(kept, t)
	}
	return sill.NameKey(strings.Join(kept, " "))
}

// isVersion reports whether t is a version token: "2.10.36", "2019",
// "v1.2", "1.24-update8"; not "7-zip" (no dot, not all digits).
func isVersion(t string) bool {
	t = strings.TrimPrefix(t, "v")
	if t == "" || t[0] < '0' || t[0] > '9' {
		return false
	}
	dot, digits := false, true
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= '0' && c <= '9':
		case c == '.':
			dot, digits = true, false
		case c >= 'a' && c <= 'z', c == '+', c == '~', c == '_', c == '-':
			digits = false
		default:
			return false
		}
	}
	return dot || digits
}

func isArch(t string) bool {
	switch t {
	case "x64", "x86", "x86_64", "amd64", "arm64", "aarch64", "i386", "i686", "64-bit", "32-bit", "64bit", "32bit", "win64", "win32":
		return true
	}
	return false
}

// isLocale reports whether t is a locale tag such as "fr-fr" or "en-us".
func isLocale(t string) bool {
	return len(t) == 5 && t[2] == '-' && isLower(t[0]) && isLower(t[1]) && isLower(t[3]) && isLower(t[4])
}

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }
