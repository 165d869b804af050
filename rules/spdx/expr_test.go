package spdx_test

import (
	"strings"
	"testing"

	"github.com/sillage-oss/sillage/rules/spdx"
)

// mustParse parses s or fails the test.
func mustParse(t testing.TB, s string) spdx.Expr {
	t.Helper()
	e, err := spdx.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func lic(id string) *spdx.License { return &spdx.License{ID: id} }

func TestEqualID(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"MIT", "MIT", true},
		{"MIT", "mit", true},
		{"Apache-2.0", "APACHE-2.0", true},
		{"LicenseRef-x", "licenseref-X", true},
		{"MIT", "MIT-0", false},
		{"", "", true},
		{"K", "\u212a", false}, // Kelvin sign: ids are ASCII, no Unicode folding
	}
	for _, tt := range tests {
		if got := spdx.EqualID(tt.a, tt.b); got != tt.want {
			t.Errorf("EqualID(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestEqual(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"MIT", "mit", true},
		{"MIT OR Apache-2.0", "mit or APACHE-2.0", true},
		{"(MIT OR ISC)", "MIT OR ISC", true},
		{"GPL-2.0-only WITH Classpath-exception-2.0", "gpl-2.0-only with classpath-exception-2.0", true},
		{"DocumentRef-a:LicenseRef-b", "documentref-A:licenseref-B", true},
		{"MIT OR ISC", "ISC OR MIT", false},
		{"MIT OR ISC", "MIT AND ISC", false},
		{"GPL-2.0", "GPL-2.0+", false},
		{"GPL-2.0+", "GPL-2.0-or-later", false},
		{"LicenseRef-b", "DocumentRef-a:LicenseRef-b", false},
		{"GPL-2.0-only", "GPL-2.0-only WITH Classpath-exception-2.0", false},
		{"A WITH X", "A WITH Y", false},
		{"A AND B AND C", "(A AND B) AND C", false},
		{"A OR B OR C", "A OR B", false},
	}
	for _, tt := range tests {
		t.Run(tt.a+" vs "+tt.b, func(t *testing.T) {
			a, b := mustParse(t, tt.a), mustParse(t, tt.b)
			if got := spdx.Equal(a, b); got != tt.want {
				t.Errorf("Equal = %v, want %v", got, tt.want)
			}
			if got := spdx.Equal(b, a); got != tt.want {
				t.Errorf("Equal (swapped) = %v, want %v", got, tt.want)
			}
		})
	}
	if !spdx.Equal(nil, nil) || spdx.Equal(nil, lic("MIT")) || spdx.Equal(lic("MIT"), nil) {
		t.Error("Equal mishandles nil")
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"MIT", "MIT"},
		{"(MIT AND ISC) AND BSD-2-Clause", "MIT AND ISC AND BSD-2-Clause"},
		{"MIT AND (ISC AND (BSD-2-Clause AND Zlib))", "MIT AND ISC AND BSD-2-Clause AND Zlib"},
		{"(MIT OR ISC) OR (BSD-2-Clause OR Zlib)", "MIT OR ISC OR BSD-2-Clause OR Zlib"},
		{"(MIT AND ISC) OR (BSD-2-Clause OR (Zlib AND (X AND Y)))", "MIT AND ISC OR BSD-2-Clause OR Zlib AND X AND Y"},
		{"MIT AND (ISC OR BSD-2-Clause)", "MIT AND (ISC OR BSD-2-Clause)"},
		{"A WITH X AND (B WITH Y AND C)", "A WITH X AND B WITH Y AND C"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			e := mustParse(t, tt.in)
			before := tree(e)
			n := spdx.Normalize(e)
			if got := n.String(); got != tt.want {
				t.Errorf("Normalize = %q, want %q", got, tt.want)
			}
			if tree(e) != before {
				t.Errorf("Normalize modified its input: %s, was %s", tree(e), before)
			}
			if got := spdx.Normalize(n); !spdx.Equal(got, n) {
				t.Errorf("Normalize is not idempotent: %q, then %q", n, got)
			}
		})
	}
}

func TestNormalizeBuilt(t *testing.T) {
	tests := []struct {
		name string
		in   spdx.Expr
		want string // tree
	}{
		{"nil", nil, "nil"},
		{"one operand", &spdx.And{Operands: []spdx.Expr{lic("MIT")}}, "MIT"},
		{"no operand", &spdx.Or{}, "nil"},
		{"nil operands dropped", &spdx.Or{Operands: []spdx.Expr{nil, lic("A"), nil, lic("B")}}, "(or A B)"},
		{"single-operand child merged", &spdx.And{Operands: []spdx.Expr{lic("A"), &spdx.Or{Operands: []spdx.Expr{&spdx.And{Operands: []spdx.Expr{lic("B"), lic("C")}}}}}}, "(and A B C)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tree(spdx.Normalize(tt.in)); got != tt.want {
				t.Errorf("Normalize = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestAllOfAnyOf(t *testing.T) {
	a, b, c := lic("A"), lic("B"), lic("C")
	tests := []struct {
		name string
		e    spdx.Expr
		want string // tree
	}{
		{"AllOf none", spdx.AllOf(), "nil"},
		{"AnyOf nils", spdx.AnyOf(nil, nil), "nil"},
		{"AllOf one", spdx.AllOf(a), "A"},
		{"AllOf one and nil", spdx.AllOf(nil, a), "A"},
		{"AllOf two", spdx.AllOf(a, b), "(and A B)"},
		{"AllOf merges And", spdx.AllOf(a, spdx.AllOf(b, c)), "(and A B C)"},
		{"AnyOf merges Or", spdx.AnyOf(spdx.AnyOf(a, b), c), "(or A B C)"},
		{"AllOf keeps Or", spdx.AllOf(spdx.AnyOf(a, b), c), "(and (or A B) C)"},
		{"AnyOf keeps And", spdx.AnyOf(spdx.AllOf(a, b), c), "(or (and A B) C)"},
		{"with", spdx.AnyOf(&spdx.With{License: spdx.License{ID: "GPL-2.0-only"}, Exception: "Classpath-exception-2.0"}, a), "(or (with GPL-2.0-only Classpath-exception-2.0) A)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tree(tt.e); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
			if tt.e != nil {
				if err := spdx.Validate(tt.e); err != nil {
					t.Errorf("Validate: %v", err)
				}
			}
		})
	}
}

func TestStringBuilt(t *testing.T) {
	tests := []struct {
		name string
		e    spdx.Expr
		want string
	}{
		{"or later", &spdx.License{ID: "GPL-2.0", OrLater: true}, "GPL-2.0+"},
		{"document ref", &spdx.License{ID: "LicenseRef-x", DocumentRef: "DocumentRef-d"}, "DocumentRef-d:LicenseRef-x"},
		{"or in and", &spdx.And{Operands: []spdx.Expr{&spdx.Or{Operands: []spdx.Expr{lic("A"), lic("B")}}, lic("C")}}, "(A OR B) AND C"},
		{"and in or", &spdx.Or{Operands: []spdx.Expr{&spdx.And{Operands: []spdx.Expr{lic("A"), lic("B")}}, lic("C")}}, "A AND B OR C"},
		{"and in and", &spdx.And{Operands: []spdx.Expr{lic("A"), &spdx.And{Operands: []spdx.Expr{lic("B"), lic("C")}}}}, "A AND (B AND C)"},
		{"or in or", &spdx.Or{Operands: []spdx.Expr{&spdx.Or{Operands: []spdx.Expr{lic("A"), lic("B")}}, lic("C")}}, "(A OR B) OR C"},
		{"with in and", &spdx.And{Operands: []spdx.Expr{&spdx.With{License: spdx.License{ID: "A"}, Exception: "X"}, lic("C")}}, "A WITH X AND C"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.e.String()
			if got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			back, err := spdx.Parse(got)
			if err != nil {
				t.Fatal(err)
			}
			if !spdx.Equal(back, tt.e) {
				t.Errorf("Parse(String()) = %s, want %s", tree(back), tree(tt.e))
			}
		})
	}
}

func TestTermsLicensesExceptions(t *testing.T) {
	e := mustParse(t, "MIT AND (GPL-2.0+ WITH Classpath-exception-2.0 OR MIT) AND Apache-2.0 WITH LLVM-exception AND LicenseRef-x")
	var terms []string
	for _, tm := range spdx.Terms(e) {
		terms = append(terms, tm.String())
	}
	wantTerms := "MIT|GPL-2.0+ WITH Classpath-exception-2.0|MIT|Apache-2.0 WITH LLVM-exception|LicenseRef-x"
	if got := strings.Join(terms, "|"); got != wantTerms {
		t.Errorf("Terms = %s, want %s", got, wantTerms)
	}
	wantLicenses := []spdx.License{{ID: "MIT"}, {ID: "GPL-2.0", OrLater: true}, {ID: "MIT"}, {ID: "Apache-2.0"}, {ID: "LicenseRef-x"}}
	if got := spdx.Licenses(e); !equalSlices(got, wantLicenses) {
		t.Errorf("Licenses = %+v, want %+v", got, wantLicenses)
	}
	wantExceptions := []string{"Classpath-exception-2.0", "LLVM-exception"}
	if got := spdx.Exceptions(e); !equalSlices(got, wantExceptions) {
		t.Errorf("Exceptions = %q, want %q", got, wantExceptions)
	}
	if spdx.Terms(nil) != nil || spdx.Licenses(nil) != nil || spdx.Exceptions(mustParse(t, "MIT")) != nil {
		t.Error("want nil slices for nil or exception-free expressions")
	}
}

func equalSlices[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestWalk(t *testing.T) {
	e := mustParse(t, "MIT AND (ISC OR BSD-2-Clause WITH X) AND (Zlib OR 0BSD)")
	var all []string
	spdx.Walk(e, func(n spdx.Expr) bool {
		all = append(all, tree(n))
		return true
	})
	want := []string{
		"(and MIT (or ISC (with BSD-2-Clause X)) (or Zlib 0BSD))",
		"MIT",
		"(or ISC (with BSD-2-Clause X))", "ISC", "(with BSD-2-Clause X)",
		"(or Zlib 0BSD)", "Zlib", "0BSD",
	}
	if !equalSlices(all, want) {
		t.Errorf("Walk visited\n%q\nwant\n%q", all, want)
	}

	// Returning false skips the operands of that node only.
	var skipped []string
	spdx.Walk(e, func(n spdx.Expr) bool {
		skipped = append(skipped, tree(n))
		_, isOr := n.(*spdx.Or)
		return !isOr
	})
	want = []string{want[0], want[1], want[2], want[5]}
	if !equalSlices(skipped, want) {
		t.Errorf("Walk skipping Or operands visited\n%q\nwant\n%q", skipped, want)
	}

	spdx.Walk(nil, func(spdx.Expr) bool { t.Error("Walk(nil) called fn"); return true })
}

func TestMap(t *testing.T) {
	// deprecated stands in for the table of deprecated ids another
	// package holds.
	deprecated := func(tm spdx.Term) spdx.Expr {
		switch {
		case tm.License.ID == "GPL-2.0" && tm.License.OrLater:
			// Term.Expr keeps the exception, if there is one.
			return spdx.Term{License: spdx.License{ID: "GPL-2.0-or-later"}, Exception: tm.Exception}.Expr()
		case tm.License.ID == "GPL-2.0" && tm.Exception == "":
			return lic("GPL-2.0-only")
		case tm.License.ID == "GPL-2.0-with-classpath-exception":
			return &spdx.With{License: spdx.License{ID: "GPL-2.0-only"}, Exception: "Classpath-exception-2.0"}
		case tm.License.ID == "Dual":
			return spdx.AnyOf(lic("MIT"), lic("ISC"))
		case tm.License.ID == "Both":
			return spdx.AllOf(lic("MIT"), lic("ISC"))
		}
		return nil
	}
	tests := []struct {
		in, want, normalized string
	}{
		{"MIT", "MIT", "MIT"},
		{"GPL-2.0", "GPL-2.0-only", "GPL-2.0-only"},
		{"GPL-2.0+ OR MIT", "GPL-2.0-or-later OR MIT", "GPL-2.0-or-later OR MIT"},
		{"GPL-2.0+ WITH Classpath-exception-2.0", "GPL-2.0-or-later WITH Classpath-exception-2.0", "GPL-2.0-or-later WITH Classpath-exception-2.0"},
		{"GPL-2.0 WITH Classpath-exception-2.0", "GPL-2.0 WITH Classpath-exception-2.0", "GPL-2.0 WITH Classpath-exception-2.0"},
		{"Apache-2.0 AND GPL-2.0-with-classpath-exception", "Apache-2.0 AND GPL-2.0-only WITH Classpath-exception-2.0", "Apache-2.0 AND GPL-2.0-only WITH Classpath-exception-2.0"},
		{"Apache-2.0 AND Dual", "Apache-2.0 AND (MIT OR ISC)", "Apache-2.0 AND (MIT OR ISC)"},
		{"Apache-2.0 OR Dual", "Apache-2.0 OR (MIT OR ISC)", "Apache-2.0 OR MIT OR ISC"},
		{"Apache-2.0 AND Both", "Apache-2.0 AND (MIT AND ISC)", "Apache-2.0 AND MIT AND ISC"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			e := mustParse(t, tt.in)
			before := e.String()
			got := spdx.Map(e, deprecated)
			if got.String() != tt.want {
				t.Errorf("Map = %q, want %q", got, tt.want)
			}
			if n := spdx.Normalize(got).String(); n != tt.normalized {
				t.Errorf("Normalize(Map) = %q, want %q", n, tt.normalized)
			}
			if e.String() != before {
				t.Errorf("Map modified its input: %q, was %q", e, before)
			}
			if err := spdx.Validate(got); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
	if spdx.Map(nil, deprecated) != nil {
		t.Error("Map(nil) is not nil")
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		e    spdx.Expr
		msg  string // "" when valid
	}{
		{"parsed", mustParse(t, "(MIT OR Apache-2.0) AND GPL-2.0+ WITH X"), ""},
		{"document ref", &spdx.License{ID: "LicenseRef-a", DocumentRef: "DocumentRef-b"}, ""},
		{"nil", nil, "nil expression"},
		{"empty id", lic(""), `invalid term ""`},
		{"space in id", lic("GPL 2"), `invalid term "GPL 2"`},
		{"expression as id", lic("MIT OR ISC"), `invalid term "MIT OR ISC"`},
		{"parenthesised id", lic("(MIT)"), `reads back as "MIT"`},
		{"operator as id", lic("and"), `invalid term "and"`},
		{"plus in id", lic("GPL-2.0+"), `reads back as "GPL-2.0+"`},
		{"ref or later", &spdx.License{ID: "LicenseRef-a", OrLater: true}, `invalid term "LicenseRef-a+"`},
		{"document without ref", &spdx.License{ID: "MIT", DocumentRef: "DocumentRef-b"}, `invalid term "DocumentRef-b:MIT"`},
		{"empty exception", &spdx.With{License: spdx.License{ID: "MIT"}}, `invalid term "MIT WITH "`},
		{"one operand", &spdx.And{Operands: []spdx.Expr{lic("MIT")}}, "AND with 1 operands, want at least 2"},
		{"nil operand", &spdx.Or{Operands: []spdx.Expr{lic("MIT"), nil}}, "OR operand 1 is nil"},
		{"deep invalid leaf", spdx.AllOf(lic("MIT"), spdx.AnyOf(lic("ISC"), lic("a/b"))), `invalid term "a/b"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := spdx.Validate(tt.e)
			if tt.msg == "" {
				if err != nil {
					t.Errorf("Validate: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Validate error = %v, want it to contain %q", err, tt.msg)
			}
		})
	}
}
