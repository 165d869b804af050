package spdx_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sillage-oss/sillage/rules/spdx"
)

// tree renders the structure of e, so that tests can tell
// "(MIT AND ISC) AND BSD" from "MIT AND ISC AND BSD". A licence prints as
// its id, "+" when OrLater, and "@" and its document when it has one.
func tree(e spdx.Expr) string {
	switch n := e.(type) {
	case nil:
		return "nil"
	case *spdx.License:
		return leaf(*n)
	case *spdx.With:
		return "(with " + leaf(n.License) + " " + n.Exception + ")"
	case *spdx.And:
		return "(and " + operands(n.Operands) + ")"
	case *spdx.Or:
		return "(or " + operands(n.Operands) + ")"
	}
	return fmt.Sprintf("?%T", e)
}

func leaf(l spdx.License) string {
	s := l.ID
	if l.OrLater {
		s += "+"
	}
	if l.DocumentRef != "" {
		s += "@" + l.DocumentRef
	}
	return s
}

func operands(es []spdx.Expr) string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = tree(e)
	}
	return strings.Join(s, " ")
}

// parseTests are valid expressions: the examples of SPDX 2.3 Annex D, and
// strings found in package metadata. FuzzParse seeds its corpus with them.
var parseTests = []struct {
	in   string
	want string // String()
	tree string // tree(); "" when it is want itself (a single licence)
}{
	// Annex D examples.
	{"LGPL-2.1-only OR MIT", "LGPL-2.1-only OR MIT", "(or LGPL-2.1-only MIT)"},
	{"LGPL-2.1-only OR MIT OR BSD-3-Clause", "LGPL-2.1-only OR MIT OR BSD-3-Clause", "(or LGPL-2.1-only MIT BSD-3-Clause)"},
	{"LGPL-2.1-only AND MIT", "LGPL-2.1-only AND MIT", "(and LGPL-2.1-only MIT)"},
	{"LGPL-2.1-only AND MIT AND BSD-2-Clause", "LGPL-2.1-only AND MIT AND BSD-2-Clause", "(and LGPL-2.1-only MIT BSD-2-Clause)"},
	{"GPL-2.0-or-later WITH Bison-exception-2.2", "GPL-2.0-or-later WITH Bison-exception-2.2", "(with GPL-2.0-or-later Bison-exception-2.2)"},
	{"LGPL-2.1-only OR BSD-3-Clause AND MIT", "LGPL-2.1-only OR BSD-3-Clause AND MIT", "(or LGPL-2.1-only (and BSD-3-Clause MIT))"},
	{"MIT AND (LGPL-2.1-or-later OR BSD-3-Clause)", "MIT AND (LGPL-2.1-or-later OR BSD-3-Clause)", "(and MIT (or LGPL-2.1-or-later BSD-3-Clause))"},
	{"CDDL-1.0+", "CDDL-1.0+", ""},
	{"LicenseRef-23", "LicenseRef-23", ""},
	{"LicenseRef-MIT-Style-1", "LicenseRef-MIT-Style-1", ""},
	{"DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2", "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2", "LicenseRef-MIT-Style-2@DocumentRef-spdx-tool-1.2"},

	// Real-world strings.
	{"MIT", "MIT", ""},
	{"  MIT\n", "MIT", "MIT"},
	{"0BSD", "0BSD", ""},
	{"(MIT OR Apache-2.0)", "MIT OR Apache-2.0", "(or MIT Apache-2.0)"},
	{"GPL-2.0+", "GPL-2.0+", ""},
	{"GPL-2.0-or-later WITH Classpath-exception-2.0", "GPL-2.0-or-later WITH Classpath-exception-2.0", "(with GPL-2.0-or-later Classpath-exception-2.0)"},
	{"GPL-2.0+ WITH Classpath-exception-2.0", "GPL-2.0+ WITH Classpath-exception-2.0", "(with GPL-2.0+ Classpath-exception-2.0)"},
	{"LicenseRef-Proprietary", "LicenseRef-Proprietary", ""},
	{"licenseref-lower-case", "licenseref-lower-case", ""},
	{"Apache-2.0 WITH LLVM-exception", "Apache-2.0 WITH LLVM-exception", "(with Apache-2.0 LLVM-exception)"},
	{"(((MIT)))", "MIT", "MIT"},
	{"MIT OR Apache-2.0 AND BSD-3-Clause", "MIT OR Apache-2.0 AND BSD-3-Clause", "(or MIT (and Apache-2.0 BSD-3-Clause))"},
	{"MIT AND Apache-2.0 OR BSD-3-Clause", "MIT AND Apache-2.0 OR BSD-3-Clause", "(or (and MIT Apache-2.0) BSD-3-Clause)"},
	{"(MIT OR Apache-2.0) AND GPL-2.0-only WITH Classpath-exception-2.0", "(MIT OR Apache-2.0) AND GPL-2.0-only WITH Classpath-exception-2.0", "(and (or MIT Apache-2.0) (with GPL-2.0-only Classpath-exception-2.0))"},
	{"(MIT OR (ISC AND (BSD-2-Clause OR Zlib)))", "MIT OR ISC AND (BSD-2-Clause OR Zlib)", "(or MIT (and ISC (or BSD-2-Clause Zlib)))"},

	// Operators in any case; ids kept as written.
	{"mit or apache-2.0", "mit OR apache-2.0", "(or mit apache-2.0)"},
	{"MIT and BSD-3-Clause", "MIT AND BSD-3-Clause", "(and MIT BSD-3-Clause)"},
	{"apache-2.0 With llvm-exception", "apache-2.0 WITH llvm-exception", "(with apache-2.0 llvm-exception)"},
	{"ANDROID AND ORACLE OR WITHOUT", "ANDROID AND ORACLE OR WITHOUT", "(or (and ANDROID ORACLE) WITHOUT)"},

	// Spacing: parentheses need none, any ASCII space separates.
	{"(MIT)AND(ISC OR BSD-2-Clause)", "MIT AND (ISC OR BSD-2-Clause)", "(and MIT (or ISC BSD-2-Clause))"},
	{"MIT\tOR\r\nISC", "MIT OR ISC", "(or MIT ISC)"},
	{"( MIT  OR  ISC )", "MIT OR ISC", "(or MIT ISC)"},

	// Parentheses around an operand with its parent's operator are kept:
	// they are part of the tree until Normalize.
	{"(MIT AND ISC) AND BSD-2-Clause", "(MIT AND ISC) AND BSD-2-Clause", "(and (and MIT ISC) BSD-2-Clause)"},
	{"MIT AND (ISC AND BSD-2-Clause)", "MIT AND (ISC AND BSD-2-Clause)", "(and MIT (and ISC BSD-2-Clause))"},
	{"(MIT OR ISC) OR BSD-2-Clause", "(MIT OR ISC) OR BSD-2-Clause", "(or (or MIT ISC) BSD-2-Clause)"},
	{"(MIT AND ISC) OR BSD-2-Clause", "MIT AND ISC OR BSD-2-Clause", "(or (and MIT ISC) BSD-2-Clause)"},

	// Exceptions and SPDX 3 additions.
	{"GPL-3.0-or-later WITH AdditionRef-my-exception", "GPL-3.0-or-later WITH AdditionRef-my-exception", "(with GPL-3.0-or-later AdditionRef-my-exception)"},
	{"GPL-3.0-or-later WITH DocumentRef-x:AdditionRef-y", "GPL-3.0-or-later WITH DocumentRef-x:AdditionRef-y", "(with GPL-3.0-or-later DocumentRef-x:AdditionRef-y)"},
	{"LicenseRef-a WITH LicenseRef-b-exception", "LicenseRef-a WITH LicenseRef-b-exception", "(with LicenseRef-a LicenseRef-b-exception)"},
	{"DocumentRef-d:LicenseRef-a WITH x", "DocumentRef-d:LicenseRef-a WITH x", "(with LicenseRef-a@DocumentRef-d x)"},
}

func TestParse(t *testing.T) {
	for _, tt := range parseTests {
		t.Run(tt.in, func(t *testing.T) {
			e, err := spdx.Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got := e.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			wantTree := tt.tree
			if wantTree == "" {
				wantTree = tt.want
			}
			if got := tree(e); got != wantTree {
				t.Errorf("tree = %s, want %s", got, wantTree)
			}
			if err := spdx.Validate(e); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

func TestParseLicenseFields(t *testing.T) {
	tests := []struct {
		in    string
		want  spdx.License
		isRef bool
	}{
		{"MIT", spdx.License{ID: "MIT"}, false},
		{"GPL-2.0+", spdx.License{ID: "GPL-2.0", OrLater: true}, false},
		{"LicenseRef-Proprietary", spdx.License{ID: "LicenseRef-Proprietary"}, true},
		{"licenseREF-x", spdx.License{ID: "licenseREF-x"}, true},
		{"DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2", spdx.License{ID: "LicenseRef-MIT-Style-2", DocumentRef: "DocumentRef-spdx-tool-1.2"}, true},
		{"LicenseRefX", spdx.License{ID: "LicenseRefX"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			e, err := spdx.Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			l, ok := e.(*spdx.License)
			if !ok {
				t.Fatalf("Parse(%q) is a %T, want *spdx.License", tt.in, e)
			}
			if *l != tt.want {
				t.Errorf("Parse(%q) = %+v, want %+v", tt.in, *l, tt.want)
			}
			if got := l.IsRef(); got != tt.isRef {
				t.Errorf("IsRef() = %v, want %v", got, tt.isRef)
			}
		})
	}
}

// parseErrorTests are invalid expressions, the text their error must
// contain, and the offset it must give.
var parseErrorTests = []struct {
	in     string
	msg    string
	offset int
}{
	{"", "empty expression", 0},
	{" \t", "empty expression", 2},
	{"MIT AND", `expected licence id after "AND", found end of input`, 7},
	{"AND MIT", `expected licence id, found operator "AND"`, 0},
	{"(MIT", `expected ")" to match "(" at offset 0, found end of input`, 4},
	{"MIT)", `unexpected ")" with no matching "("`, 3},
	{"MIT OR OR BSD", `expected licence id after "OR", found operator "OR"`, 7},
	{"MIT AND )", `expected licence id after "AND", found ")"`, 8},
	{"()", `expected licence id after "(", found ")"`, 1},
	{"(MIT BSD)", `expected AND, OR, WITH or ")", found "BSD"`, 5},
	{"(MIT WITH X BSD)", `expected AND, OR or ")", found "BSD"`, 12},
	{"MIT WITH", `expected exception id after "WITH", found end of input`, 8},
	{"MIT WITH (Foo)", `expected exception id after "WITH", found "("`, 9},
	{"MIT WITH AND", `expected exception id after "WITH", found operator "AND"`, 9},
	{"MIT WITH X WITH Y", `expected AND, OR or end of input, found operator "WITH"`, 11},
	{"(MIT) WITH X", `unexpected "WITH" after ")"`, 6},
	{"GPL-2.0++", `unexpected "+"`, 8},
	{"GPL-2.0 +", `unexpected "+"`, 8},
	{"+MIT", `unexpected "+"`, 0},
	{"MIT WITH X+", `unexpected "+"`, 10},
	{"LicenseRef-a+", "a LicenseRef- id has no later versions", 12},
	{"License Ref", `expected AND, OR, WITH or end of input, found "Ref"`, 8},
	{"MIT/Apache-2.0", `invalid character "/" (ids contain only letters, digits, "-" and "."; join licences with AND or OR)`, 3},
	{"MIT, ISC", `invalid character ","`, 3},
	{"MIT AND\u00a0BSD", `invalid character "\u00a0"`, 7},
	{"MIT \xff", "invalid character byte 0xff", 4},
	{"MIT:x", `unexpected ":"`, 3},
	{"LicenseRef-", `expected id after "LicenseRef-"`, 11},
	{"MIT WITH AdditionRef-", `expected id after "AdditionRef-"`, 21},
	{"DocumentRef-x", `expected ":LicenseRef-<id>" after "DocumentRef-x"`, 13},
	{"DocumentRef-x :LicenseRef-y", `expected ":LicenseRef-<id>" after "DocumentRef-x"`, 13},
	{"DocumentRef-:LicenseRef-a", `expected id after "DocumentRef-"`, 12},
	{"DocumentRef-x:", `expected "LicenseRef-" after "DocumentRef-x:"`, 14},
	{"DocumentRef-x:MIT", `expected "LicenseRef-" after "DocumentRef-x:"`, 14},
	{"DocumentRef-x: LicenseRef-y", `expected "LicenseRef-" after "DocumentRef-x:"`, 14},
	{"DocumentRef-x:LicenseRef-", `expected id after "LicenseRef-"`, 25},
	{"MIT WITH DocumentRef-x:LicenseRef-y", `expected "AdditionRef-" after "DocumentRef-x:"`, 23},
	{"MIT WITH DocumentRef-x", `expected ":AdditionRef-<id>" after "DocumentRef-x"`, 22},
	{strings.Repeat("MIT OR ", 10<<10) + "MIT", "expression is 71683 bytes, longer than the limit of 65536", spdx.MaxLength},
	{strings.Repeat("(", 1000) + "MIT" + strings.Repeat(")", 1000), "parentheses nested deeper than 200", 200},
	{strings.Repeat("(", 1000), "parentheses nested deeper than 200", 200},
}

func TestParseErrors(t *testing.T) {
	for _, tt := range parseErrorTests {
		t.Run(clip(tt.in), func(t *testing.T) {
			e, err := spdx.Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %q, want an error", clip(tt.in), e)
			}
			var se *spdx.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is a %T, want *spdx.SyntaxError", err, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not contain %q", err, tt.msg)
			}
			if se.Offset != tt.offset {
				t.Errorf("offset = %d, want %d (error %q)", se.Offset, tt.offset, err)
			}
			if want := fmt.Sprintf(" at offset %d ", tt.offset); !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not contain %q", err, want)
			}
			if !strings.HasPrefix(err.Error(), "spdx: ") {
				t.Errorf("error %q does not start with the package name", err)
			}
			// The whole input is quoted only when it is short.
			if n := len(err.Error()); n > 400 {
				t.Errorf("error is %d bytes long: %.100q...", n, err)
			}
		})
	}
}

func clip(s string) string {
	if len(s) > 40 {
		return fmt.Sprintf("%s...(%d bytes)", s[:20], len(s))
	}
	return s
}

func TestSyntaxErrorMessage(t *testing.T) {
	_, err := spdx.Parse("MIT AND")
	const want = `spdx: expected licence id after "AND", found end of input at offset 7 in "MIT AND"`
	if err == nil || err.Error() != want {
		t.Errorf("Parse(%q) error = %v, want %s", "MIT AND", err, want)
	}
}

func TestParseLimits(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"nesting at the limit", strings.Repeat("(", spdx.MaxDepth) + "MIT" + strings.Repeat(")", spdx.MaxDepth), true},
		{"nesting over the limit", strings.Repeat("(", spdx.MaxDepth+1) + "MIT" + strings.Repeat(")", spdx.MaxDepth+1), false},
		{"sequential groups do not add up", strings.Repeat("(MIT) AND ", 1000) + "MIT", true},
		{"length at the limit", strings.Repeat("A", spdx.MaxLength), true},
		{"length over the limit", strings.Repeat("A", spdx.MaxLength+1), false},
		{"wide", strings.Repeat("MIT OR ", 9000) + "MIT", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := spdx.Parse(tt.in)
			if (err == nil) != tt.ok {
				t.Errorf("Parse: error %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestParseStrict(t *testing.T) {
	tests := []struct {
		in     string
		want   string // String(), or "" for an error
		msg    string
		offset int
	}{
		{in: "MIT OR Apache-2.0", want: "MIT OR Apache-2.0"},
		{in: "mit OR apache-2.0", want: "mit OR apache-2.0"},
		{in: "GPL-2.0-only WITH Classpath-exception-2.0", want: "GPL-2.0-only WITH Classpath-exception-2.0"},
		{in: "mit or apache-2.0", msg: `operator "or" must be written "OR"`, offset: 4},
		{in: "MIT And ISC", msg: `operator "And" must be written "AND"`, offset: 4},
		{in: "MIT AND ISC with X", msg: `operator "with" must be written "WITH"`, offset: 12},
		{in: "MIT AND", msg: `expected licence id after "AND"`, offset: 7},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			e, err := spdx.ParseStrict(tt.in)
			if tt.want != "" {
				if err != nil {
					t.Fatalf("ParseStrict(%q): %v", tt.in, err)
				}
				if e.String() != tt.want {
					t.Errorf("String() = %q, want %q", e, tt.want)
				}
				return
			}
			var se *spdx.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("ParseStrict(%q) error = %v, want a *spdx.SyntaxError", tt.in, err)
			}
			if !strings.Contains(se.Msg, tt.msg) || se.Offset != tt.offset {
				t.Errorf("error = %q at %d, want %q at %d", se.Msg, se.Offset, tt.msg, tt.offset)
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	const in = "(MIT OR Apache-2.0) AND BSD-3-Clause AND (GPL-2.0-or-later WITH Classpath-exception-2.0 OR ISC)"
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := spdx.Parse(in); err != nil {
			b.Fatal(err)
		}
	}
}
