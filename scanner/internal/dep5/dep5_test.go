package dep5

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The files under testdata/ are /usr/share/doc/PKG/copyright of a Debian 12
// machine, copied verbatim (2026-11-23).

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSynopses(t *testing.T) {
	tests := []struct {
		file string
		ok   bool
		want []string
	}{
		{"adduser.copyright", true, []string{"GPL-2+"}},
		{"zlib1g.copyright", true, []string{"Zlib"}},
		// three spaces after "License:", which syft's pattern misses
		// (BSD-2-Clause and LGPL-2.1 alone are stand-alone License paragraphs)
		{"libbpf1.copyright", true, []string{"LGPL-2.1 or BSD-2-Clause", "GPL-2.0", "GPL-2 with Linux-syscall-note exception", "GPL-2+"}},
		// a free-form file: not machine-readable
		{"libc6.copyright", false, nil},
	}
	for _, tt := range tests {
		got, ok := Synopses(read(t, tt.file))
		if ok != tt.ok {
			t.Errorf("%s: machine-readable = %v, want %v", tt.file, ok, tt.ok)
			continue
		}
		if tt.want != nil {
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s synopses (-want +got):\n%s", tt.file, diff)
			}
		}
	}
	// dbus's header synopsis has four names joined by "or", "," and "and"
	got, _ := Synopses(read(t, "dbus.copyright"))
	if len(got) == 0 || got[0] != "GPL-2+ or AFL-2.1, and Expat and Tcl-BSDish" {
		t.Errorf("dbus synopses = %q", got)
	}
	// standalone License paragraphs (texts of short names) add nothing
	bash, _ := Synopses(read(t, "bash.copyright"))
	for _, s := range bash {
		if s == "" {
			t.Error("empty synopsis")
		}
	}
	if _, ok := Synopses([]byte("Format: https://example.org/other\n\nFiles: *\nLicense: MIT\n")); ok {
		t.Error("a file with another Format was read as DEP-5")
	}
	if _, ok := Synopses(nil); ok {
		t.Error("an empty file was read as DEP-5")
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ synopsis, want string }{
		{"GPL-2+", "GPL-2.0-or-later"},
		{"GPL-2", "GPL-2.0-only"},
		{"GPL", "GPL-1.0-only"},
		{"GPL+", "GPL-1.0-or-later"},
		{"LGPL", "LGPL-2.0-only"},
		{"Artistic", "Artistic-1.0"},
		{"Expat", "MIT"},
		{"BSD-3-clause", "BSD-3-Clause"},
		{"LGPL-2.1 or BSD-2-Clause", "LGPL-2.1-only OR BSD-2-Clause"},
		{"GPL-2+ or Artistic", "GPL-2.0-or-later OR Artistic-1.0"},
		{"Zlib", "Zlib"},
		{"Tcl-BSDish", "LicenseRef-dep5-Tcl-BSDish"},
		{"public-domain", "LicenseRef-PublicDomain"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.synopsis).Expression; got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.synopsis, got, tt.want)
		}
	}
}

func TestNormalizeCustomNames(t *testing.T) {
	for in, want := range map[string]string{
		"GPL-2+ or AFL-2.1, and Expat and Tcl-BSDish": "(GPL-2.0-or-later OR AFL-2.1) AND MIT AND LicenseRef-dep5-Tcl-BSDish",
		"MIT-US-export":    "LicenseRef-dep5-MIT-US-export",
		"GPL-2+":           "GPL-2.0-or-later",
		"Expat or Custom+": "MIT OR LicenseRef-dep5-Custom-plus",
	} {
		if got := Normalize(in).Expression; got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}
