package licensedetect

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// cacheTexts are real licence texts and notices, and a text that is no
// licence: each must come back from the cache as the matcher gave it.
func cacheTexts(t *testing.T) map[string][]byte {
	t.Helper()
	texts := map[string][]byte{
		"notice": []byte("Licensed under the Apache License, Version 2.0 (the \"License\");\nyou may not use this file except in compliance with the License.\n"),
		"prose":  []byte("This is a README. It has nothing to say about licences at all, only about building.\n"),
	}
	for _, n := range []string{"GPL-2.txt", "LGPL-3.txt", "MIT.txt", "etalab-2.0.cp1252.txt"} {
		texts[n] = readTestdata(t, n)
	}
	return texts
}

// unbuilt returns a default detector whose matcher is not built.
func unbuilt(t *testing.T) *Detector {
	t.Helper()
	d, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func built(d *Detector) bool {
	select {
	case <-d.ready:
		return true
	default:
		return false
	}
}

// compareResults compares Results including the match offsets, which
// are not serialised.
var compareResults = cmpopts.EquateEmpty()

func TestCacheRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "licences") // Save creates it
	texts := cacheTexts(t)
	d := detector(t)
	want := map[string]Result{}
	for n, text := range texts {
		want[n] = d.Detect(text)
	}
	if want["GPL-2.txt"].Expression != "GPL-2.0-only" || want["prose"].Matches != nil {
		t.Fatalf("uncached results are not what this test expects: %+v, %+v", want["GPL-2.txt"], want["prose"])
	}

	// first run: every text is matched, and remembered
	c, err := d.OpenCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.Warm() || c.LoadError() != nil {
		t.Fatalf("new cache: Warm %v, LoadError %v", c.Warm(), c.LoadError())
	}
	dc := d.WithCache(c)
	for n, text := range texts {
		if diff := cmp.Diff(want[n], dc.Detect(text), compareResults); diff != "" {
			t.Errorf("%s, cold cache (-uncached +cached):\n%s", n, diff)
		}
	}
	if c.Len() != len(texts) {
		t.Errorf("Len = %d, want %d", c.Len(), len(texts))
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}

	// next run: a detector that never built its matcher answers the same
	fresh := unbuilt(t)
	c2, err := fresh.OpenCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !c2.Warm() || c2.Len() != len(texts) || c2.LoadError() != nil {
		t.Fatalf("reopened cache: Warm %v, Len %d, LoadError %v", c2.Warm(), c2.Len(), c2.LoadError())
	}
	fc := fresh.WithCache(c2)
	for n, text := range texts {
		got, err := fc.DetectReader(t.Context(), strings.NewReader(string(text)), n)
		if err != nil {
			t.Fatal(err)
		}
		w := want[n]
		w.Path = n
		if diff := cmp.Diff(w, got, compareResults); diff != "" {
			t.Errorf("%s, warm cache (-uncached +cached):\n%s", n, diff)
		}
	}
	if built(fresh) {
		t.Error("the matcher was built although every text was in the cache")
	}

	// a text the cache lacks builds the matcher, and is added
	if got := fc.Detect(readTestdata(t, "GPL-3.txt")).Expression; got != "GPL-3.0-only" {
		t.Errorf("uncached GPL-3: %q", got)
	}
	if !built(fresh) || c2.Len() != len(texts)+1 {
		t.Errorf("after a miss: built %v, Len %d", built(fresh), c2.Len())
	}
}

func TestCacheFileIsJSON(t *testing.T) {
	dir := t.TempDir()
	d := detector(t)
	c, err := d.OpenCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	d.WithCache(c).Detect(readTestdata(t, "MIT.txt"))
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(c.Path())
	if err != nil {
		t.Fatal(err)
	}
	var cf cacheFile
	if err := json.Unmarshal(b, &cf); err != nil {
		t.Fatal(err)
	}
	if cf.Format != 1 || len(cf.Fingerprint) != 64 || len(cf.Texts) != 1 {
		t.Fatalf("cache file: format %d, fingerprint %q, %d texts", cf.Format, cf.Fingerprint, len(cf.Texts))
	}
	for h, e := range cf.Texts {
		if len(h) != 64 || len(e.Matches) != 1 || e.Matches[0].ID != "MIT" || e.Percent < 90 {
			t.Errorf("entry %s: %+v", h, e)
		}
	}
	if !strings.HasPrefix(filepath.Base(c.Path()), "licensecheck-"+cf.Fingerprint[:16]) {
		t.Errorf("file %s is not named after fingerprint %s", c.Path(), cf.Fingerprint)
	}
	// nothing added: Save writes nothing
	fi, _ := os.Stat(c.Path())
	old := fi.ModTime().Add(-time.Hour)
	if err := os.Chtimes(c.Path(), old, old); err != nil {
		t.Fatal(err)
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(c.Path()); !fi.ModTime().Equal(old) {
		t.Error("Save rewrote the file with nothing to add")
	}
}

func TestCacheBelongsToItsPatterns(t *testing.T) {
	dir := t.TempDir()
	d := detector(t)
	c, err := d.OpenCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	other, err := New(Options{Extra: []Pattern{{ID: "LicenseRef-acme", LRE: "the acme licence anyone may use this software"}}})
	if err != nil {
		t.Fatal(err)
	}
	oc, err := other.OpenCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	if oc.Path() == c.Path() {
		t.Fatalf("detectors with other patterns share the cache file %s", c.Path())
	}
	// thresholds are applied on reading, so they do not split the cache
	strict, err := New(Options{Threshold: 90})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := strict.OpenCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Path() != c.Path() {
		t.Errorf("a threshold changed the cache file: %s, %s", sc.Path(), c.Path())
	}
	defer func() {
		if recover() == nil {
			t.Error("WithCache took another detector's cache")
		}
	}()
	other.WithCache(c)
}

func TestCacheCorruptFileIsEmpty(t *testing.T) {
	dir := t.TempDir()
	d := detector(t)
	c, err := d.OpenCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{
		"{not json",
		`{"format":1,"fingerprint":"0000","texts":{}}`, // another matcher's
		`{"format":2,"texts":{}}`,
	} {
		if err := os.WriteFile(c.Path(), []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		c2, err := d.OpenCache(dir)
		if err != nil {
			t.Fatalf("%s: OpenCache: %v", bad, err)
		}
		if c2.Warm() || c2.LoadError() == nil {
			t.Errorf("%s: Warm %v, LoadError %v", bad, c2.Warm(), c2.LoadError())
		}
		// the detector still works, and Save replaces the bad file
		if got := d.WithCache(c2).Detect(readTestdata(t, "MIT.txt")).Expression; got != "MIT" {
			t.Errorf("%s: Detect = %q", bad, got)
		}
		if err := c2.Save(); err != nil {
			t.Fatal(err)
		}
		c3, _ := d.OpenCache(dir)
		if c3.Len() != 1 || c3.LoadError() != nil {
			t.Errorf("%s: after Save: Len %d, LoadError %v", bad, c3.Len(), c3.LoadError())
		}
	}
}

func TestCacheSaveMergesOtherProcesses(t *testing.T) {
	dir := t.TempDir()
	d := detector(t)
	a, _ := d.OpenCache(dir)
	b, _ := d.OpenCache(dir) // opened before a saves, as a second process would
	d.WithCache(a).Detect(readTestdata(t, "MIT.txt"))
	d.WithCache(b).Detect(readTestdata(t, "GPL-2.txt"))
	if err := a.Save(); err != nil {
		t.Fatal(err)
	}
	if err := b.Save(); err != nil {
		t.Fatal(err)
	}
	c, _ := d.OpenCache(dir)
	if c.Len() != 2 {
		t.Errorf("after two saves the cache has %d texts, want 2", c.Len())
	}
	if ents, _ := filepath.Glob(filepath.Join(dir, ".licensecheck-*")); len(ents) != 0 {
		t.Errorf("temporary files left: %v", ents)
	}
}

func TestCacheTrimKeepsUsed(t *testing.T) {
	m := map[[32]byte]cachedScan{}
	keep := map[[32]byte]bool{}
	for i := range 10 {
		var k [32]byte
		k[0] = byte(i)
		m[k] = cachedScan{Percent: float64(i)}
		if i >= 7 {
			keep[k] = true
		}
	}
	got := trim(m, keep, 5)
	if len(got) != 5 {
		t.Fatalf("trim kept %d, want 5", len(got))
	}
	for k := range keep {
		if _, ok := got[k]; !ok {
			t.Errorf("trim dropped used entry %d", k[0])
		}
	}
	for _, i := range []byte{0, 1} { // then the lowest keys
		if _, ok := got[[32]byte{i}]; !ok {
			t.Errorf("trim dropped entry %d", i)
		}
	}
}

func TestCachePrunesStaleFiles(t *testing.T) {
	dir := t.TempDir()
	d := detector(t)
	old := time.Now().Add(-31 * 24 * time.Hour)
	files := map[string]bool{ // name -> should survive
		"licensecheck-0123456789abcdef.json": false, // an older release's, unused for a month
		"licensecheck-fedcba9876543210.json": true,  // another release's, used recently
		".licensecheck-123.tmp":              false, // an interrupted save
		"sill-meta.json":                     true,  // not the licence cache's
	}
	for n, keep := range files {
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
		if !keep || n == "sill-meta.json" {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	c, _ := d.OpenCache(dir)
	d.WithCache(c).Detect(readTestdata(t, "MIT.txt"))
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	for n, keep := range files {
		_, err := os.Stat(filepath.Join(dir, n))
		if (err == nil) != keep {
			t.Errorf("%s: exists %v, want %v", n, err == nil, keep)
		}
	}
	if _, err := os.Stat(c.Path()); err != nil {
		t.Errorf("the cache file itself: %v", err)
	}
}

func TestWalkWithWarmCacheBuildsNothing(t *testing.T) {
	dir := t.TempDir()
	d := detector(t)
	// a first walk fills the cache
	c, _ := d.OpenCache(dir)
	first, _ := walk(t, d.WithCache(c), []string{tree(t)}, WalkOptions{})
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	fresh := unbuilt(t)
	c2, _ := fresh.OpenCache(dir)
	again, _ := walk(t, fresh.WithCache(c2), []string{tree(t)}, WalkOptions{})
	if diff := cmp.Diff(first, again); diff != "" || len(first) == 0 {
		t.Errorf("walk with a warm cache (-first +again):\n%s", diff)
	}
	if built(fresh) {
		t.Error("the matcher was built although every licence file was in the cache")
	}
}

func TestLicensecheckRequired(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	path, version, _ := strings.Cut(licensecheckRequired, "@")
	if !strings.Contains(string(b), "\t"+path+" "+version+"\n") {
		t.Errorf("go.mod does not require %s %s: update licensecheckRequired with it, so that the licence cache of test builds follows", path, version)
	}
}
