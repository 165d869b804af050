package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sillage-oss/sillage"
)

func TestCanonicalExpression(t *testing.T) {
	tests := []struct {
		in, want string
		unknown  []string
	}{
		{"mit", "MIT", nil},
		{"GPL-2.0+", "GPL-2.0-or-later", nil},
		{"GPL-2.0", "GPL-2.0-only", nil},
		{"gpl-3.0-only+", "GPL-3.0-or-later", nil},
		{"LGPL-2.1+ AND MIT", "LGPL-2.1-or-later AND MIT", nil},
		{"GPL-2.0-with-classpath-exception", "GPL-2.0-only WITH Classpath-exception-2.0", nil},
		{"gpl-2.0-only with classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0", nil},
		{"Apache-1.0+", "Apache-1.0+", nil},
		{"(MIT OR apache-2.0) AND (BSD-3-Clause AND Zlib)", "(MIT OR Apache-2.0) AND BSD-3-Clause AND Zlib", nil},
		{"LicenseRef-Proprietary", "LicenseRef-Proprietary", nil},
		{"MIT OR Foo-1.0", "MIT OR Foo-1.0", []string{"Foo-1.0"}},
		{"GPL-2.0-only WITH Bar-exception", "GPL-2.0-only WITH Bar-exception", []string{"Bar-exception"}},
		{"etalab-2.0", "etalab-2.0", nil},
	}
	tab := Licenses()
	for _, tt := range tests {
		got, unknown, err := tab.CanonicalExpression(tt.in)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if got != tt.want || !cmp.Equal(unknown, tt.unknown) {
			t.Errorf("CanonicalExpression(%q) = %q, %q; want %q, %q", tt.in, got, unknown, tt.want, tt.unknown)
		}
	}
	if _, _, err := tab.CanonicalExpression("MIT/Apache-2.0"); err == nil {
		t.Error("an invalid expression was accepted")
	}
}

func TestExpressionCategory(t *testing.T) {
	tests := []struct {
		expr string
		want sillage.LicenseCategory
	}{
		{"MIT", sillage.CategoryPermissive},
		{"GPL-3.0-or-later", sillage.CategoryStrongCopyleft},
		{"GPL-2.0+", sillage.CategoryStrongCopyleft},
		{"GPL-2.0", sillage.CategoryStrongCopyleft},
		{"AGPL-3.0-only", sillage.CategoryNetworkCopyleft},
		{"LGPL-2.1-only", sillage.CategoryWeakCopyleft},
		{"CC0-1.0", sillage.CategoryPublicDomain},
		{"MIT OR GPL-3.0-only", sillage.CategoryPermissive},
		{"MIT AND GPL-3.0-only", sillage.CategoryStrongCopyleft},
		{"MIT AND LicenseRef-foo", sillage.CategoryUnknown},
		{"MIT OR LicenseRef-foo", sillage.CategoryPermissive},
		{"LicenseRef-foo", sillage.CategoryUnknown},
		{"LicenseRef-Proprietary", sillage.CategoryProprietary},
		{"LicenseRef-scancode-commercial-license", sillage.CategoryProprietary},
		{"LicenseRef-foo AND LicenseRef-EULA", sillage.CategoryProprietary},
		{"GPL-2.0-only WITH Classpath-exception-2.0", sillage.CategoryWeakCopyleft},
		{"GPL-2.0-with-classpath-exception", sillage.CategoryWeakCopyleft},
		{"GPL-3.0-or-later WITH GCC-exception-3.1", sillage.CategoryWeakCopyleft},
		{"GPL-2.0-only WITH openvpn-openssl-exception", sillage.CategoryStrongCopyleft},
		{"Apache-2.0 WITH LLVM-exception", sillage.CategoryPermissive},
		{"NotALicence-9", sillage.CategoryUnknown},
		{"MIT OR", sillage.CategoryUnknown},
		{"CC-BY-NC-4.0 OR MIT", sillage.CategoryPermissive},
		{"CC-BY-NC-4.0 AND MIT", sillage.CategoryProprietary},
	}
	tab := Licenses()
	for _, tt := range tests {
		if got := tab.CategoryOf(tt.expr); got != tt.want {
			t.Errorf("CategoryOf(%q) = %s, want %s", tt.expr, got, tt.want)
		}
	}
}

func TestLinkingExceptionsData(t *testing.T) {
	if _, err := parseLinkingExceptions(exceptionsYAML, Licenses()); err != nil {
		t.Fatal(err)
	}
	if _, err := parseLinkingExceptions([]byte("linking:\n  - {id: Not-an-exception, reason: x}\n"), Licenses()); err == nil {
		t.Error("an unknown exception id was accepted")
	}
	if _, err := parseLinkingExceptions([]byte("linking:\n  - {id: Classpath-exception-2.0}\n"), Licenses()); err == nil {
		t.Error("an entry without a reason was accepted")
	}
}
