package licensedetect

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/licensecheck"
	"github.com/sillage-oss/sillage/rules"
	"github.com/sillage-oss/sillage/rules/spdx"
)

// detector is the default detector, built once for all tests (about a
// second of CPU).
func detector(t *testing.T) *Detector {
	t.Helper()
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Build(t.Context()); err != nil {
		t.Fatal(err)
	}
	return d
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "licenses", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// brief is the part of a Result a test checks.
type brief struct {
	Expression     string
	IDs            []string // of the matches, in order
	OrLaterUnknown bool     // of the first match
}

func briefOf(r Result) brief {
	b := brief{Expression: r.Expression}
	for _, m := range r.Matches {
		b.IDs = append(b.IDs, m.ID)
	}
	if len(r.Matches) > 0 {
		b.OrLaterUnknown = r.Matches[0].OrLaterUnknown
	}
	return b
}

func TestDetect(t *testing.T) {
	d := detector(t)
	gpl2 := readTestdata(t, "GPL-2.txt")
	gpl3 := readTestdata(t, "GPL-3.txt")
	lgpl3 := readTestdata(t, "LGPL-3.txt")
	notice := []byte(`This program is free software; you can redistribute it and/or modify
it under the terms of the GNU General Public License as published by
the Free Software Foundation; either version 2 of the License, or
(at your option) any later version.

This program is distributed in the hope that it will be useful,
but WITHOUT ANY WARRANTY; without even the implied warranty of
MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
GNU General Public License for more details.

`)
	tests := []struct {
		name string
		text []byte
		want brief
	}{
		{"MIT with a copyright line", readTestdata(t, "MIT.txt"), brief{"MIT", []string{"MIT"}, false}},
		{"Apache-2.0", readTestdata(t, "Apache-2.0.txt"), brief{"Apache-2.0", []string{"Apache-2.0"}, false}},
		// A licence text cannot tell -only from -or-later: -only, flagged.
		{"GPL-2.0 text", gpl2, brief{"GPL-2.0-only", []string{"GPL-2.0-only"}, true}},
		// The "How to apply" sample notice at the end of the GPL-3.0 text
		// is part of the text, not a second licence.
		{"GPL-3.0 text with its appendix", gpl3, brief{"GPL-3.0-only", []string{"GPL-3.0-only"}, true}},
		// A notice before the text says which the text is.
		{"GPL-2.0-or-later notice then the text", append(slices.Clone(notice), gpl2...),
			brief{"GPL-2.0-or-later", []string{"GPL-2.0-or-later"}, false}},
		// Debian's LGPL-3 holds only the additional permissions.
		{"LGPL-3.0 permissions alone", lgpl3, brief{"LGPL-3.0-only", []string{"LGPL-3.0-only"}, true}},
		// The LGPL-3.0 requires the GPL-3.0 text beside it: not GPL-3.0.
		{"LGPL-3.0 then the GPL-3.0 text", append(slices.Clone(lgpl3), gpl3...),
			brief{"LGPL-3.0-only", []string{"LGPL-3.0-only"}, true}},
		{"GPL-3.0 then the LGPL-3.0 text", append(slices.Clone(gpl3), lgpl3...),
			brief{"LGPL-3.0-only", []string{"LGPL-3.0-only"}, true}},
		// Windows-1252 text (the French accents and quotes) is converted.
		{"etalab-2.0 in Windows-1252", readTestdata(t, "etalab-2.0.cp1252.txt"), brief{"etalab-2.0", []string{"etalab-2.0"}, false}},
		{"two licences", append(readTestdata(t, "MIT.txt"), readTestdata(t, "Apache-2.0.txt")...),
			brief{"MIT AND Apache-2.0", []string{"MIT", "Apache-2.0"}, false}},
		{"README that mentions MIT", []byte("# demo\n\nThis project is licensed under the MIT License. See LICENSE for details;\n" +
			"it is short and permissive, and we like it. Build with make, test with make test.\n"), brief{}},
		{"README that links to the MIT licence", []byte("# demo\n\nLicensed under the MIT licence, " +
			"https://www.opensource.org/licenses/MIT, like most of our projects. Build it with make, test it with\n" +
			"make test, and send patches by e-mail to the list; see CONTRIBUTING for how to write them.\n"),
			brief{"", []string{"MIT"}, false}},
		{"empty", nil, brief{}},
		{"not a licence", []byte("hello, world\n"), brief{}},
		// From the embedded SPDX-text patterns: licensecheck lacks it.
		{"MIT-Modern-Variant (HarfBuzz)", []byte(mitModern), brief{"MIT-Modern-Variant", []string{"MIT-Modern-Variant"}, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := d.Detect(tt.text)
			if diff := cmp.Diff(tt.want, briefOf(got), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Detect (-want +got):\n%s\nmatches: %+v", diff, got.Matches)
			}
			if got.Coverage < 0 || got.Coverage > 100 {
				t.Errorf("Coverage = %v, want 0..100", got.Coverage)
			}
			sum := 0.0
			for _, m := range got.Matches {
				sum += m.Coverage
				if m.Start < 0 || m.End > len(tt.text)+len(tt.text)/2 || m.Start >= m.End {
					t.Errorf("match %s at [%d:%d] out of the text", m.ID, m.Start, m.End)
				}
			}
			if diff := sum - got.Coverage; diff > 0.01 || diff < -0.01 {
				t.Errorf("matches cover %v%%, Coverage = %v%%", sum, got.Coverage)
			}
		})
	}
}

// mitModern is HarfBuzz's licence, SPDX MIT-Modern-Variant, as Debian's
// copyright file for libharfbuzz0b has it, with its copyright lines.
const mitModern = `Copyright © 2010-2022  Google, Inc.
Copyright © 2018  Ebrahim Byagowi

Permission is hereby granted, without written agreement and without
license or royalty fees, to use, copy, modify, and distribute this
software and its documentation for any purpose, provided that the
above copyright notice and the following two paragraphs appear in
all copies of this software.

IN NO EVENT SHALL THE COPYRIGHT HOLDER BE LIABLE TO ANY PARTY FOR
DIRECT, INDIRECT, SPECIAL, INCIDENTAL, OR CONSEQUENTIAL DAMAGES
ARISING OUT OF THE USE OF THIS SOFTWARE AND ITS DOCUMENTATION, EVEN
IF THE COPYRIGHT HOLDER HAS BEEN ADVISED OF THE POSSIBILITY OF SUCH
DAMAGE.

THE COPYRIGHT HOLDER SPECIFICALLY DISCLAIMS ANY WARRANTIES, INCLUDING,
BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND
FITNESS FOR A PARTICULAR PURPOSE.  THE SOFTWARE PROVIDED HEREUNDER IS
ON AN "AS IS" BASIS, AND THE COPYRIGHT HOLDER HAS NO OBLIGATION TO
PROVIDE MAINTENANCE, SUPPORT, UPDATES, ENHANCEMENTS, OR MODIFICATIONS.
`

func TestThreshold(t *testing.T) {
	// The URL is about an eighth of the words.
	text := []byte("# demo\n\nLicensed under the MIT licence, https://www.opensource.org/licenses/MIT, like most of our projects.\n" +
		"Build it with make, test it with make test, and send patches by e-mail to the list; see CONTRIBUTING for how.\n")
	for _, tt := range []struct {
		threshold float64
		want      string
	}{
		{-1, "MIT"}, // any match
		{0, ""},     // DefaultThreshold: the URL is a small part of the text
		{5, "MIT"},  // the URL's words are more than 5% of these
		{100, ""},   // never all of it
		{99.9, ""},
	} {
		d, err := New(Options{Threshold: tt.threshold})
		if err != nil {
			t.Fatal(err)
		}
		d.m, d.err = detector(t).m, nil // share the built matcher
		d.once.Do(func() { close(d.ready) })
		if got := d.Detect(text).Expression; got != tt.want {
			t.Errorf("threshold %v: Expression = %q, want %q", tt.threshold, got, tt.want)
		}
	}
}

func TestNewRejects(t *testing.T) {
	for _, o := range []Options{
		{Threshold: 101},
		{MaxSize: -1},
		{Extra: []Pattern{{ID: "Not-A-Licence", LRE: "some words here and there"}}},
		{Extra: []Pattern{{ID: "MIT"}}},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("New(%+v) = nil error", o)
		}
	}
}

func TestBuildReportsBadExtraPattern(t *testing.T) {
	d, err := New(Options{BuiltinOnly: true, Extra: []Pattern{{ID: "LicenseRef-Bad", LRE: "(( unbalanced words here\n"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Build(t.Context()); err == nil {
		t.Error("Build = nil error for an invalid pattern")
	}
}

func TestExtraPattern(t *testing.T) {
	d, err := New(Options{BuiltinOnly: true, Extra: []Pattern{{ID: "LicenseRef-Acme", LRE: "The Acme licence: __5__ may use this software for any purpose whatsoever.\n"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Build(t.Context()); err != nil {
		t.Fatal(err)
	}
	r := d.Detect([]byte("The Acme Licence: anyone at all may use this software for any purpose whatsoever.\n"))
	if r.Expression != "LicenseRef-Acme" {
		t.Errorf("Expression = %q, want LicenseRef-Acme; matches %+v", r.Expression, r.Matches)
	}
}

// TestBuiltinIDsMap checks that every licence licensecheck knows is
// reported as current SPDX ids (or a LicenseRef-licensecheck- reference,
// or dropped, as idExceptions decides), so that no deprecated or invented
// id reaches a report.
func TestBuiltinIDsMap(t *testing.T) {
	tab := rules.Licenses()
	seen := make(map[string]bool)
	for _, l := range licensecheck.BuiltinLicenses() {
		if seen[l.ID] {
			continue
		}
		seen[l.ID] = true
		m, ok := mapID(tab, l.ID)
		if !ok {
			t.Errorf("%s: neither an SPDX id nor in idExceptions", l.ID)
			continue
		}
		if m.expr == "" {
			if _, listed := idExceptions[l.ID]; !listed {
				t.Errorf("%s: dropped without being listed in idExceptions", l.ID)
			}
			continue
		}
		checkExpression(t, l.ID, m.expr)
	}
	for id := range idExceptions {
		if !seen[id] {
			t.Errorf("idExceptions: %s is not a licensecheck built-in id", id)
		}
	}
}

// checkExpression fails unless expr parses and names only current SPDX
// ids in canonical case and LicenseRef-licensecheck- references. The
// one deprecated id with no replacement, Net-SNMP, is allowed.
func checkExpression(t *testing.T, from, expr string) {
	t.Helper()
	e, err := spdx.ParseStrict(expr)
	if err != nil {
		t.Errorf("%s -> %q: %v", from, expr, err)
		return
	}
	for _, l := range spdx.Licenses(e) {
		if l.IsRef() {
			if !strings.HasPrefix(l.ID, refPrefix) {
				t.Errorf("%s -> %s: a reference not under %s", from, l.ID, refPrefix)
			}
			continue
		}
		info, ok := rules.Licenses().Lookup(l.ID)
		switch {
		case !ok:
			t.Errorf("%s -> %s: not an SPDX id", from, l.ID)
		case info.ID != l.ID:
			t.Errorf("%s -> %s: not in canonical case %s", from, l.ID, info.ID)
		case info.Deprecated && l.ID != "Net-SNMP":
			t.Errorf("%s -> %s: deprecated", from, l.ID)
		}
	}
}

func TestMapIDOrLater(t *testing.T) {
	tab := rules.Licenses()
	for id, want := range map[string]mapping{
		"GPL-2.0":           {expr: "GPL-2.0-only", orLaterUnknown: true},
		"LGPL-2.1":          {expr: "LGPL-2.1-only", orLaterUnknown: true},
		"AGPL-3.0":          {expr: "AGPL-3.0-only", orLaterUnknown: true},
		"GFDL-1.3":          {expr: "GFDL-1.3-only", orLaterUnknown: true},
		"GPL-2.0-or-later":  {expr: "GPL-2.0-or-later"},
		"GPL-3.0-only":      {expr: "GPL-3.0-only"},
		"bzip2-1.0.5":       {expr: "bzip2-1.0.6"},
		"mit":               {expr: "MIT"},
		"MIT-NoAd":          {expr: "X11-swapped"},
		"CommonsClause":     {expr: "LicenseRef-licensecheck-CommonsClause"},
		"GooglePatentsFile": {},
	} {
		got, ok := mapID(tab, id)
		if !ok || got != want {
			t.Errorf("mapID(%s) = %+v, %v; want %+v", id, got, ok, want)
		}
	}
}

// TestEmbeddedPatterns checks data/patterns.json.gz: valid SPDX ids, no
// duplicates, and the patterns build (Default's build, shared).
func TestEmbeddedPatterns(t *testing.T) {
	ps, err := EmbeddedPatterns()
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) < 100 {
		t.Fatalf("%d embedded patterns; regenerate data/patterns.json.gz (see data/SOURCES.md)", len(ps))
	}
	seen := make(map[string]bool)
	for _, p := range ps {
		if seen[p.ID] {
			t.Errorf("pattern %s twice", p.ID)
		}
		seen[p.ID] = true
		m, ok := mapID(rules.Licenses(), p.ID)
		if !ok || m.expr != p.ID {
			t.Errorf("pattern %s: not a current SPDX id in canonical case (%+v)", p.ID, m)
		}
		checkExpression(t, p.ID, p.ID)
	}
	detector(t) // builds them
}

func TestFamily(t *testing.T) {
	for in, want := range map[string]string{
		"GPL-2.0-only":                    "GPL-2.0",
		"GPL-2.0-or-later":                "GPL-2.0",
		"GPL-2.0+":                        "GPL-2.0",
		"gpl-2.0":                         "GPL-2.0",
		"GFDL-1.3-invariants-or-later":    "GFDL-1.3",
		"GFDL-1.3-no-invariants-only":     "GFDL-1.3",
		"OFL-1.1-RFN":                     "OFL-1.1",
		"MPL-2.0-no-copyleft-exception":   "MPL-2.0",
		"CAL-1.0-Combined-Work-Exception": "CAL-1.0",
		"StandardML-NJ":                   "SMLNJ",
		"eCos-2.0":                        "GPL-2.0",
		"MIT":                             "MIT",
		"LicenseRef-foo":                  "LicenseRef-foo",
		"BSD-3-Clause":                    "BSD-3-Clause",
	} {
		if got := Family(in); got != want {
			t.Errorf("Family(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGNUNotices(t *testing.T) {
	ms := func(ids ...string) []licensecheck.Match {
		out := make([]licensecheck.Match, len(ids))
		for i, id := range ids {
			out[i] = licensecheck.Match{ID: id}
		}
		return out
	}
	for _, tt := range []struct {
		in, want []string
	}{
		{[]string{"GPL-3.0", "GPL-3.0-or-later"}, []string{"GPL-3.0", "GPL-3.0"}},
		{[]string{"GPL-2.0-or-later", "GPL-2.0"}, []string{"GPL-2.0-or-later", "GPL-2.0-or-later"}},
		{[]string{"GPL-2.0-only", "GPL-2.0-or-later", "GPL-2.0"}, []string{"GPL-2.0-only", "GPL-2.0-or-later", "GPL-2.0"}},
		{[]string{"LGPL-3.0", "GPL-3.0", "GPL-3.0-or-later"}, []string{"LGPL-3.0", "LGPL-3.0", "LGPL-3.0"}},
		{[]string{"LGPL-3.0-or-later", "LGPL-3.0", "GPL-3.0"}, []string{"LGPL-3.0-or-later", "LGPL-3.0-or-later", "LGPL-3.0-or-later"}},
		{[]string{"GPL-3.0-or-later"}, []string{"GPL-3.0-or-later"}},
		{[]string{"MIT", "GPL-2.0", "Apache-2.0"}, []string{"MIT", "GPL-2.0", "Apache-2.0"}},
	} {
		if diff := cmp.Diff(tt.want, gnuNotices(ms(tt.in...))); diff != "" {
			t.Errorf("gnuNotices(%v) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestToUTF8(t *testing.T) {
	for in, want := range map[string]string{
		"plain":               "plain",
		"caf\xe9":             "café",
		"\x93quoted\x94 \x80": "“quoted” €",
		"déjà UTF-8":          "déjà UTF-8",
	} {
		if got := string(toUTF8([]byte(in))); got != want {
			t.Errorf("toUTF8(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsBinary(t *testing.T) {
	for _, tt := range []struct {
		in   []byte
		want bool
	}{
		{[]byte("MIT License\n\nPermission is hereby granted\r\n\f"), false},
		{[]byte("caf\xe9 cr\xe8me"), false},
		{[]byte("ELF\x00\x01\x02"), true},
		{[]byte{0xff, 0xfe, 'M', 0, 'I', 0, 'T', 0}, true}, // UTF-16
		{bytes.Repeat([]byte("ab\x01\x02\x03"), 100), true},
		{nil, false},
	} {
		if got := isBinary(tt.in); got != tt.want {
			t.Errorf("isBinary(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestDetectFile(t *testing.T) {
	d := detector(t)
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mit := readTestdata(t, "MIT.txt")
	r, err := d.DetectFile(t.Context(), write("LICENSE", mit))
	if err != nil || r.Expression != "MIT" || r.Path != filepath.Join(dir, "LICENSE") {
		t.Errorf("DetectFile(LICENSE) = %+v, %v", r, err)
	}
	bin := append([]byte("\x7fELF\x02\x01\x01\x00"), mit...)
	if _, err := d.DetectFile(t.Context(), write("LICENSE.bin", bin)); !errors.Is(err, ErrBinary) {
		t.Errorf("binary file: err = %v, want ErrBinary", err)
	}
	small, err := New(Options{MaxSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := small.DetectFile(t.Context(), write("BIG", mit)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("oversized file: err = %v, want ErrTooLarge", err)
	}
	if _, err := d.DetectFile(t.Context(), filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: err = %v, want ErrNotExist", err)
	}
	if _, err := d.DetectFile(t.Context(), dir); err == nil {
		t.Error("directory: err = nil")
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := d.DetectFile(ctx, filepath.Join(dir, "LICENSE")); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v, want context.Canceled", err)
	}
}

func TestDetectReader(t *testing.T) {
	d := detector(t)
	r, err := d.DetectReader(t.Context(), bytes.NewReader(readTestdata(t, "MIT.txt")), "/usr/share/doc/x/copyright")
	if err != nil || r.Expression != "MIT" || r.Path != "/usr/share/doc/x/copyright" {
		t.Errorf("DetectReader(MIT) = %+v, %v; want MIT at the given path", r, err)
	}
	if _, err := d.DetectReader(t.Context(), bytes.NewReader([]byte("ELF\x00\x01\x02")), "bin"); !errors.Is(err, ErrBinary) {
		t.Errorf("binary: err %v, want ErrBinary", err)
	}
	big := bytes.Repeat([]byte("a "), int(d.MaxSize()))
	if _, err := d.DetectReader(t.Context(), bytes.NewReader(big), "big"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("big: err %v, want ErrTooLarge", err)
	}
}
