package licensedetect

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestIsLicenseFile(t *testing.T) {
	for name, want := range map[string]bool{
		"LICENSE": true, "license": true, "LICENCE": true, "LICENSE.md": true, "LICENSE.txt": true,
		"LICENSE-MIT": true, "LICENSE-APACHE": true, "LICENSE_APACHE-2.0.txt": true, "MIT-LICENSE": true,
		"COPYING": true, "COPYING.LESSER": true, "COPYING.LIB": true, "COPYRIGHT": true, "copyright": true,
		"NOTICE": true, "NOTICE.txt": true, "UNLICENSE": true, "bundle.js.LICENSE.txt": true,
		"foo.LICENSE": true, "LICENSES.md": true, "THIRD-PARTY-NOTICES.md": true, "LICENSE.html": true,
		"license.go": false, "license.js": false, "licenses.json": false, "licensecheck": false,
		"README.md": false, "copyright.py": false, "notice.tsx": false, "LICENSE.png": false,
		"licensing.txt": false, "NOTICES.yaml": false, "main.go": false, "": false,
	} {
		if got := IsLicenseFile(name); got != want {
			t.Errorf("IsLicenseFile(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestIsLicensePath(t *testing.T) {
	for path, want := range map[string]bool{
		"proj/LICENSE":                  true,
		"proj/LICENSES/EUPL-1.2.txt":    true,
		"proj/licenses/MIT":             true,
		"proj/LICENSES/CC-BY-4.0.md":    true,
		"proj/licenses/helper.go":       false,
		"licensecheck/licenses/MIT.lre": false,
		"proj/src/MIT.txt":              false,
	} {
		if got := IsLicensePath(filepath.FromSlash(path)); got != want {
			t.Errorf("IsLicensePath(%q) = %v, want %v", path, got, want)
		}
	}
}

// tree copies testdata/tree to a temporary directory and adds what git
// cannot store: a .git directory with a LICENSE in it.
func tree(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "tree")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "tree"))); err != nil {
		t.Fatal(err)
	}
	git := filepath.Join(dir, "single", ".git")
	if err := os.Mkdir(git, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(git, "LICENSE"), readTestdata(t, "MIT.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

type walked struct {
	Path, Expression string
}

func walk(t *testing.T, d *Detector, roots []string, o WalkOptions) ([]walked, Stats) {
	t.Helper()
	var got []walked
	base := filepath.Dir(roots[0])
	st, err := d.Walk(t.Context(), roots, o, func(r Result) {
		rel, _ := filepath.Rel(base, r.Path)
		got = append(got, walked{filepath.ToSlash(rel), r.Expression})
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, st
}

func TestWalk(t *testing.T) {
	d := detector(t)
	dir := tree(t)
	licences := []walked{
		{"tree/dual/LICENSE-APACHE", "Apache-2.0"},
		{"tree/dual/LICENSE-MIT", "MIT"},
		{"tree/single/COPYING.LESSER", "LGPL-3.0-only"},
		{"tree/single/sub/NOTICE", ""}, // read, not recognised
	}
	for _, workers := range []int{0, 1, 3} {
		got, st := walk(t, d, []string{dir}, WalkOptions{Workers: workers})
		if diff := cmp.Diff(licences, got); diff != "" {
			t.Errorf("workers %d: Walk (-want +got):\n%s", workers, diff)
		}
		if st.Files != 4 || st.Recognised != 3 || st.Binary+st.TooLarge+st.Errors != 0 {
			t.Errorf("workers %d: stats %+v", workers, st)
		}
	}
	// With headers, the Go file with a notice comes too, not the other.
	got, _ := walk(t, d, []string{dir}, WalkOptions{Headers: true})
	want := append(licences[:3:3], walked{"tree/single/sub/NOTICE", ""}, walked{"tree/single/sub/main.go", "Apache-2.0"})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("headers: Walk (-want +got):\n%s", diff)
	}
	// A file given as a root is read whatever its name; roots keep their order.
	readme := filepath.Join(dir, "dual", "README.md")
	got, _ = walk(t, d, []string{readme, filepath.Join(dir, "dual", "LICENSE-MIT")}, WalkOptions{})
	if diff := cmp.Diff([]walked{{"README.md", ""}, {"LICENSE-MIT", "MIT"}}, got); diff != "" {
		t.Errorf("file roots: Walk (-want +got):\n%s", diff)
	}
}

func TestWalkREUSE(t *testing.T) {
	d := detector(t)
	dir := filepath.Join(t.TempDir(), "proj")
	files := map[string][]byte{
		"LICENSES/MIT.txt":        readTestdata(t, "MIT.txt"),
		"LICENSES/Apache-2.0.txt": readTestdata(t, "Apache-2.0.txt"),
		"LICENSES/helper.go":      []byte("package licenses\n"),
		"src/main.go":             []byte("package main\n"),
	}
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := walk(t, d, []string{dir}, WalkOptions{})
	want := []walked{{"proj/LICENSES/Apache-2.0.txt", "Apache-2.0"}, {"proj/LICENSES/MIT.txt", "MIT"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Walk (-want +got):\n%s", diff)
	}
}

func TestWalkSkips(t *testing.T) {
	d := detector(t)
	dir := filepath.Join(t.TempDir(), "root")
	mit := readTestdata(t, "MIT.txt")
	files := map[string][]byte{
		"a/LICENSE":     mit,
		"b/LICENSE":     append([]byte("\x00\x01binary"), mit...),
		"c/LICENSE":     []byte(strings.Repeat("Permission is hereby granted. ", 100)),
		"d/COPYING":     readTestdata(t, "etalab-2.0.cp1252.txt"), // not UTF-8
		"e/LICENSE.png": append([]byte("\x89PNG\r\n\x1a\n"), mit...),
	}
	for name, b := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	small, err := New(Options{MaxSize: 2500})
	if err != nil {
		t.Fatal(err)
	}
	small.m, small.err = d.m, nil // share the built matcher
	small.once.Do(func() { close(small.ready) })
	got, st := walk(t, small, []string{dir}, WalkOptions{})
	want := []walked{{"root/a/LICENSE", "MIT"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Walk (-want +got):\n%s", diff)
	}
	// b: binary; c and d: over 2500 bytes; e: not a licence file name.
	if st.Files != 1 || st.Binary != 1 || st.TooLarge != 2 || st.Errors != 0 {
		t.Errorf("stats %+v, want 1 file, 1 binary, 2 too large", st)
	}
	got, st = walk(t, d, []string{dir}, WalkOptions{})
	if diff := cmp.Diff([]walked{{"root/a/LICENSE", "MIT"}, {"root/c/LICENSE", ""}, {"root/d/COPYING", "etalab-2.0"}}, got); diff != "" {
		t.Errorf("default size limit: Walk (-want +got):\n%s", diff)
	}
	if st.Binary != 1 {
		t.Errorf("stats %+v, want 1 binary", st)
	}
}

func TestWalkErrors(t *testing.T) {
	d := detector(t)
	if _, err := d.Walk(t.Context(), []string{filepath.Join(t.TempDir(), "missing")}, WalkOptions{}, func(Result) {}); err == nil {
		t.Error("missing root: err = nil")
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	calls := 0
	_, err := d.Walk(ctx, []string{tree(t)}, WalkOptions{}, func(Result) { calls++ })
	if err != context.Canceled {
		t.Errorf("cancelled: err = %v, want context.Canceled", err)
	}
	if calls != 0 {
		t.Errorf("cancelled: fn called %d times", calls)
	}
}

// TestWalkCancelMidway cancels from fn: Walk stops and says so.
func TestWalkCancelMidway(t *testing.T) {
	d := detector(t)
	dir := t.TempDir()
	mit := readTestdata(t, "MIT.txt")
	for i := range 200 {
		p := filepath.Join(dir, "pkg"+strings.Repeat("x", i%7), "v"+string(rune('a'+i%26)), "n"+itoa(i), "LICENSE")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, mit, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	calls := 0
	_, err := d.Walk(ctx, []string{dir}, WalkOptions{Workers: 2}, func(Result) {
		calls++
		if calls == 3 {
			cancel()
		}
	})
	if err != context.Canceled {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if calls != 3 {
		t.Errorf("fn called %d times after cancelling at the 3rd", calls)
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// TestWalkWithoutLicenceFilesBuildsNothing checks that the matcher is not
// built when there is nothing to match.
func TestWalkWithoutLicenceFilesBuildsNothing(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := d.Walk(t.Context(), []string{dir}, WalkOptions{}, func(Result) { t.Error("fn called") })
	if err != nil || st.Files != 0 {
		t.Errorf("Walk = %+v, %v", st, err)
	}
	select {
	case <-d.ready:
		t.Error("the matcher was built")
	default:
	}
}

func TestWalkSkipDir(t *testing.T) {
	d := detector(t)
	dir := tree(t)
	var asked []string
	got, _ := walk(t, d, []string{dir}, WalkOptions{SkipDir: func(path, name string) bool {
		asked = append(asked, name)
		return name == "dual"
	}})
	want := []walked{{"tree/single/COPYING.LESSER", "LGPL-3.0-only"}, {"tree/single/sub/NOTICE", ""}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SkipDir dual: Walk (-want +got):\n%s", diff)
	}
	for _, n := range asked {
		if n == "tree" {
			t.Error("SkipDir was asked about the root itself")
		}
	}
}
