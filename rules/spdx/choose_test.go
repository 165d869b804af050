package spdx_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/sillage-oss/sillage/rules/spdx"
)

// costs returns a cost function that allows the terms in m, keyed by
// Term.String(), at their cost, and nothing else.
func costs(m map[string]int) func(spdx.Term) (int, bool) {
	return func(t spdx.Term) (int, bool) {
		c, ok := m[t.String()]
		return c, ok
	}
}

func termStrings(ts []spdx.Term) []string {
	var s []string
	for _, t := range ts {
		s = append(s, t.String())
	}
	return s
}

func TestChoose(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		costs  map[string]int
		want   []string // chosen terms; nil when not ok
		total  int
		wantOK bool
	}{
		{"single allowed", "MIT", map[string]int{"MIT": 1}, []string{"MIT"}, 1, true},
		{"single denied", "GPL-3.0-only", map[string]int{"MIT": 1}, nil, 0, false},
		{"OR picks the allowed branch", "GPL-3.0-only OR MIT", map[string]int{"MIT": 1}, []string{"MIT"}, 1, true},
		{"OR picks the cheapest branch", "MIT OR GPL-3.0-only", map[string]int{"MIT": 5, "GPL-3.0-only": 1}, []string{"GPL-3.0-only"}, 1, true},
		{"OR tie picks the leftmost", "ISC OR MIT", map[string]int{"MIT": 1, "ISC": 1}, []string{"ISC"}, 1, true},
		{"OR with nothing allowed", "GPL-2.0-only OR GPL-3.0-only", map[string]int{"MIT": 1}, nil, 0, false},
		{"AND needs all", "MIT AND Apache-2.0", map[string]int{"MIT": 1, "Apache-2.0": 2}, []string{"MIT", "Apache-2.0"}, 3, true},
		{"AND with one denied", "MIT AND GPL-3.0-only", map[string]int{"MIT": 1}, nil, 0, false},
		{"AND of ORs", "(MIT OR GPL-3.0-only) AND (LGPL-2.1-only OR Apache-2.0)", map[string]int{"MIT": 1, "Apache-2.0": 1, "LGPL-2.1-only": 3}, []string{"MIT", "Apache-2.0"}, 2, true},
		{"OR of ANDs by total", "A OR B AND C", map[string]int{"A": 3, "B": 1, "C": 1}, []string{"B", "C"}, 2, true},
		{"OR of ANDs tie picks the leftmost", "B AND C OR A", map[string]int{"A": 2, "B": 1, "C": 1}, []string{"B", "C"}, 2, true},
		{"nested ORs", "(A OR B) OR (C AND D)", map[string]int{"B": 5, "C": 1, "D": 1}, []string{"C", "D"}, 2, true},
		{"WITH carries its exception", "GPL-2.0-only WITH Classpath-exception-2.0 OR GPL-3.0-only", map[string]int{"GPL-2.0-only WITH Classpath-exception-2.0": 1}, []string{"GPL-2.0-only WITH Classpath-exception-2.0"}, 1, true},
		{"WITH term differs from bare licence", "GPL-2.0-only WITH Classpath-exception-2.0", map[string]int{"GPL-2.0-only": 1}, nil, 0, false},
		{"repeats counted per occurrence", "MIT AND (MIT OR ISC)", map[string]int{"MIT": 1, "ISC": 1}, []string{"MIT", "MIT"}, 2, true},
		{"zero costs", "MIT OR ISC", map[string]int{"MIT": 0, "ISC": 0}, []string{"MIT"}, 0, true},
		{"negative cost counts as zero", "ISC OR MIT", map[string]int{"MIT": -5, "ISC": 0}, []string{"ISC"}, 0, true},
		{"totals saturate", "A AND B AND C", map[string]int{"A": math.MaxInt, "B": math.MaxInt, "C": 1}, []string{"A", "B", "C"}, math.MaxInt, true},
		{"deep", "((A OR (B AND (C OR D))) AND (E OR F))", map[string]int{"B": 1, "D": 1, "F": 1}, []string{"B", "D", "F"}, 3, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			choice, total, ok := spdx.Choose(mustParse(t, tt.in), costs(tt.costs))
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tt.wantOK)
			}
			if got := termStrings(choice); !equalSlices(got, tt.want) {
				t.Errorf("choice = %q, want %q", got, tt.want)
			}
			if total != tt.total {
				t.Errorf("total = %d, want %d", total, tt.total)
			}
		})
	}
}

func TestChooseInvalidTrees(t *testing.T) {
	all := func(spdx.Term) (int, bool) { return 1, true }
	for _, e := range []spdx.Expr{nil, &spdx.And{}, &spdx.Or{}, &spdx.And{Operands: []spdx.Expr{lic("MIT"), &spdx.Or{}}}} {
		if choice, total, ok := spdx.Choose(e, all); ok || choice != nil || total != 0 {
			t.Errorf("Choose(%s) = %v, %d, %v, want nil, 0, false", tree(e), choice, total, ok)
		}
		if spdx.Satisfies(e, func(spdx.Term) bool { return true }) {
			t.Errorf("Satisfies(%s) = true", tree(e))
		}
	}
}

func TestChooseCallsCostOncePerTerm(t *testing.T) {
	e := mustParse(t, "(MIT OR ISC) AND (MIT OR (Apache-2.0 AND BSD-2-Clause WITH X)) AND Zlib")
	var calls []string
	_, _, ok := spdx.Choose(e, func(t spdx.Term) (int, bool) {
		calls = append(calls, t.String())
		return 1, true
	})
	want := termStrings(spdx.Terms(e))
	if !ok || !equalSlices(calls, want) {
		t.Errorf("cost called for %q, want %q", calls, want)
	}
}

func TestSatisfies(t *testing.T) {
	tests := []struct {
		in      string
		allowed []string
		want    bool
	}{
		{"MIT", []string{"MIT"}, true},
		{"MIT", []string{"ISC"}, false},
		{"MIT OR GPL-3.0-only", []string{"MIT"}, true},
		{"GPL-3.0-only OR MIT", []string{"MIT"}, true},
		{"MIT AND GPL-3.0-only", []string{"MIT"}, false},
		{"MIT AND (GPL-3.0-only OR Apache-2.0)", []string{"MIT", "Apache-2.0"}, true},
		{"MIT OR Apache-2.0 AND GPL-3.0-only", []string{"Apache-2.0"}, false},
		{"(MIT OR Apache-2.0) AND GPL-3.0-only", []string{"MIT", "Apache-2.0"}, false},
		{"GPL-2.0-only WITH Classpath-exception-2.0", []string{"GPL-2.0-only WITH Classpath-exception-2.0"}, true},
		{"GPL-2.0-only WITH Classpath-exception-2.0", []string{"GPL-2.0-only"}, false},
		{"LicenseRef-Proprietary OR MIT", []string{"MIT"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			e := mustParse(t, tt.in)
			allowed := func(t spdx.Term) bool {
				for _, a := range tt.allowed {
					if a == t.String() {
						return true
					}
				}
				return false
			}
			if got := spdx.Satisfies(e, allowed); got != tt.want {
				t.Errorf("Satisfies = %v, want %v", got, tt.want)
			}
			_, _, ok := spdx.Choose(e, func(t spdx.Term) (int, bool) { return 1, allowed(t) })
			if ok != tt.want {
				t.Errorf("Choose ok = %v, want %v (as Satisfies)", ok, tt.want)
			}
		})
	}
}

// wide returns "(X0 OR MIT) AND (X1 OR MIT) AND ..." with n operands, the
// kind of expression an aggregated SBOM can produce.
func wide(n int) string {
	ors := make([]string, n)
	for i := range ors {
		ors[i] = fmt.Sprintf("(X%d OR MIT)", i)
	}
	return strings.Join(ors, " AND ")
}

func TestChooseWide(t *testing.T) {
	const n = 2000
	onlyMIT := func(t spdx.Term) (int, bool) { return 1, t.License.ID == "MIT" }

	e := mustParse(t, wide(n))
	choice, total, ok := spdx.Choose(e, onlyMIT)
	if !ok || total != n || len(choice) != n {
		t.Fatalf("Choose = %d terms, total %d, ok %v; want %d, %d, true", len(choice), total, ok, n, n)
	}
	for i, c := range choice {
		if c.License.ID != "MIT" {
			t.Fatalf("choice[%d] = %s, want MIT", i, c)
		}
	}

	// One unsatisfiable operand at the end sinks the whole AND.
	e = mustParse(t, wide(n)+" AND (X OR Y)")
	if _, _, ok := spdx.Choose(e, onlyMIT); ok {
		t.Error("Choose: ok with an unsatisfiable last operand")
	}
	if spdx.Satisfies(e, func(t spdx.Term) bool { return t.License.ID == "MIT" }) {
		t.Error("Satisfies: true with an unsatisfiable last operand")
	}

	// An OR of many ANDs, the cheapest last.
	ands := make([]string, n)
	for i := range ands {
		ands[i] = fmt.Sprintf("A%d AND B%d", i, i)
	}
	e = mustParse(t, strings.Join(ands, " OR "))
	last := fmt.Sprint(n - 1)
	choice, total, ok = spdx.Choose(e, func(t spdx.Term) (int, bool) {
		if strings.HasSuffix(t.License.ID, last) && len(t.License.ID) == len(last)+1 {
			return 0, true
		}
		return 1, true
	})
	if want := []string{"A" + last, "B" + last}; !ok || total != 0 || !equalSlices(termStrings(choice), want) {
		t.Errorf("Choose = %q, %d, %v; want %q, 0, true", termStrings(choice), total, ok, want)
	}
}

func BenchmarkChoose(b *testing.B) {
	// Keyed by licence and exception, so that the cost function does not
	// allocate and the benchmark measures Choose.
	type key struct{ id, exception string }
	allowed := map[key]int{{"MIT", ""}: 1, {"Apache-2.0", ""}: 1, {"BSD-3-Clause", ""}: 1, {"ISC", ""}: 1, {"GPL-2.0-or-later", "Classpath-exception-2.0"}: 5}
	cost := func(t spdx.Term) (int, bool) {
		c, ok := allowed[key{t.License.ID, t.Exception}]
		return c, ok
	}
	for _, bm := range []struct {
		name, in string
	}{
		{"typical", "(MIT OR Apache-2.0) AND BSD-3-Clause AND (GPL-2.0-or-later WITH Classpath-exception-2.0 OR ISC)"},
		{"wide", wide(2000)},
	} {
		b.Run(bm.name, func(b *testing.B) {
			e := mustParse(b, bm.in)
			b.ReportAllocs()
			for b.Loop() {
				spdx.Choose(e, cost)
			}
		})
	}
}
