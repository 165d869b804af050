package policy_test

import (
	"testing"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/policy"
	"github.com/sillage-oss/sillage/rules"
)

func TestConcludeLicenses(t *testing.T) {
	decl := func(pairs ...string) []sillage.DeclaredLicense {
		var out []sillage.DeclaredLicense
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, sillage.DeclaredLicense{Value: pairs[i], SPDX: pairs[i+1]})
		}
		return out
	}
	det := func(ids ...string) []sillage.DetectedLicense {
		var out []sillage.DetectedLicense
		for _, id := range ids {
			out = append(out, sillage.DetectedLicense{SPDX: id, Coverage: 98})
		}
		return out
	}
	tests := []struct {
		name      string
		in        sillage.Licenses
		concluded string
		category  sillage.LicenseCategory
	}{
		{"nothing", sillage.Licenses{}, "", sillage.CategoryUnknown},
		{"one declared", sillage.Licenses{Declared: decl("Expat", "MIT")}, "MIT", sillage.CategoryPermissive},
		{"several declared, deduplicated and sorted", sillage.Licenses{Declared: decl("GPL-2+", "GPL-2.0-or-later", "Expat", "MIT", "MIT", "MIT")},
			"GPL-2.0-or-later AND MIT", sillage.CategoryStrongCopyleft},
		{"declared expression", sillage.Licenses{Declared: decl("MIT or Apache-2.0", "MIT OR Apache-2.0", "Zlib", "Zlib")},
			"(MIT OR Apache-2.0) AND Zlib", sillage.CategoryPermissive},
		{"deprecated ids canonicalised", sillage.Licenses{Declared: decl("GPL-2.0+", "GPL-2.0+")}, "GPL-2.0-or-later", sillage.CategoryStrongCopyleft},
		{"unmapped declaration, nothing detected", sillage.Licenses{Declared: decl("GPL-3+", "GPL-3.0-or-later", "permissive", "")}, "", sillage.CategoryUnknown},
		{"unmapped declaration, text detected", sillage.Licenses{Declared: decl("SEE LICENSE IN LICENSE.txt", ""), Detected: det("Apache-2.0")},
			"Apache-2.0", sillage.CategoryPermissive},
		{"declared wins over detected", sillage.Licenses{Declared: decl("MIT", "MIT"), Detected: det("Apache-2.0")}, "MIT", sillage.CategoryPermissive},
		{"detected only", sillage.Licenses{Detected: det("MIT", "BSD-3-Clause", "MIT")}, "BSD-3-Clause AND MIT", sillage.CategoryPermissive},
		{"SBOM conclusion kept", sillage.Licenses{Concluded: "agpl-3.0-only", Declared: decl("MIT", "MIT")}, "AGPL-3.0-only", sillage.CategoryNetworkCopyleft},
		{"proprietary", sillage.Licenses{Declared: decl("UNLICENSED", "LicenseRef-Proprietary")}, "LicenseRef-Proprietary", sillage.CategoryProprietary},
		{"unknown id", sillage.Licenses{Declared: decl("Foo-1.0", "Foo-1.0")}, "Foo-1.0", sillage.CategoryUnknown},
		{"custom short name, text detected", sillage.Licenses{Declared: decl("BSD-variant", "LicenseRef-dep5-BSD-variant", "GPL-2", "GPL-2.0-only"), Detected: det("bzip2-1.0.6")},
			"bzip2-1.0.6", sillage.CategoryPermissive},
		{"custom short name, nothing detected", sillage.Licenses{Declared: decl("Expat and Tcl-BSDish", "MIT AND LicenseRef-dep5-Tcl-BSDish")},
			"LicenseRef-dep5-Tcl-BSDish AND MIT", sillage.CategoryUnknown},
		{"public-domain claim is a statement, not an unidentified text", sillage.Licenses{Declared: decl("public-domain", "LicenseRef-PublicDomain"), Detected: det("MIT")},
			"LicenseRef-PublicDomain", sillage.CategoryUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			comps := []sillage.Component{{Name: "x", Licenses: tt.in}}
			policy.ConcludeLicenses(comps, rules.Licenses())
			got := comps[0].Licenses
			if got.Concluded != tt.concluded || got.Category != tt.category {
				t.Errorf("concluded %q (%s), want %q (%s)", got.Concluded, got.Category, tt.concluded, tt.category)
			}
			if len(got.Declared) != len(tt.in.Declared) || len(got.Detected) != len(tt.in.Detected) {
				t.Error("declared or detected licences were changed")
			}
		})
	}
}
