package spdx_test

import (
	"errors"
	"testing"

	"github.com/sillage-oss/sillage/rules/spdx"
)

// FuzzParse checks, in the round-trip style of encoding/csv's fuzz test,
// that whatever Parse accepts prints to a canonical text that parses back
// to an Equal expression and prints the same again, and that what it
// rejects is rejected with a *SyntaxError inside the input.
func FuzzParse(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.in)
	}
	for _, tt := range parseErrorTests {
		if len(tt.in) < 100 { // the limit tests are too big to mutate usefully
			f.Add(tt.in)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := spdx.Parse(s)
		strict, strictErr := spdx.ParseStrict(s)
		if err != nil {
			var se *spdx.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error %v is a %T", s, err, err)
			}
			if se.Offset < 0 || se.Offset > len(s) && se.Offset != spdx.MaxLength {
				t.Fatalf("Parse(%q) error offset %d out of range", s, se.Offset)
			}
			if strictErr == nil {
				t.Fatalf("ParseStrict(%q) accepts what Parse rejects: %v", s, err)
			}
			return
		}
		if strictErr == nil && !spdx.Equal(strict, e) {
			t.Fatalf("ParseStrict(%q) = %q, Parse = %q", s, strict, e)
		}
		if err := spdx.Validate(e); err != nil {
			t.Fatalf("Parse(%q) is not valid: %v", s, err)
		}

		text := e.String()
		if len(text) > spdx.MaxLength {
			// String adds spaces around operators next to parentheses,
			// so an input near the limit can print longer than it.
			return
		}
		// The canonical text has upper-case operators: strict mode takes it.
		e2, err := spdx.ParseStrict(text)
		if err != nil {
			t.Fatalf("round trip of %q -> %q: %v", s, text, err)
		}
		if !spdx.Equal(e, e2) {
			t.Fatalf("round trip of %q -> %q changed the tree", s, text)
		}
		if text2 := e2.String(); text2 != text {
			t.Fatalf("String is not a fixed point: %q -> %q -> %q", s, text, text2)
		}

		n := spdx.Normalize(e)
		n2, err := spdx.Parse(n.String())
		if err != nil || !spdx.Equal(n, n2) || n2.String() != n.String() {
			t.Fatalf("Normalize(%q) = %q does not round-trip: %v", s, n, err)
		}

		// Every term allowed at unit cost: satisfiable, and the total is
		// the number of chosen terms.
		choice, total, ok := spdx.Choose(e, func(spdx.Term) (int, bool) { return 1, true })
		if !ok || total != len(choice) || len(choice) == 0 || len(choice) > len(spdx.Terms(e)) {
			t.Fatalf("Choose(%q) = %d terms, total %d, ok %v", s, len(choice), total, ok)
		}
		if !spdx.Equal(spdx.Map(e, func(spdx.Term) spdx.Expr { return nil }), e) {
			t.Fatalf("identity Map of %q changed it", s)
		}
	})
}
