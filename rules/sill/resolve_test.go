package sill

import (
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sillage-oss/sillage"
)

// TestResolve checks the order of preference: --sill FILE, then the cached
// live export, then the embedded snapshot; and that each says which it is.
func TestResolve(t *testing.T) {
	ts := httptest.NewServer(&exportServer{body: liveFixture(t), etag: `"e"`})
	defer ts.Close()
	clk := &clock{time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)}
	cache := newCache(t, ts.URL, clk)
	file := filepath.Join("testdata", "live-sill-2026.json")

	// Nothing cached: the embedded snapshot.
	c, err := Resolve("", cache)
	if err != nil {
		t.Fatal(err)
	}
	if c != Embedded() || c.Source.Kind != SourceEmbedded {
		t.Errorf("empty cache: %s", c.Source.Describe())
	}

	// A file wins even over nothing.
	c, err = Resolve(file, cache)
	if err != nil {
		t.Fatal(err)
	}
	if c.Source.Kind != SourceFile || c.Source.Path != file || len(c.Software) != 3 {
		t.Errorf("file: %s", c.Source.Describe())
	}

	// Once cached, the live copy replaces the snapshot...
	if _, err := cache.Update(t.Context()); err != nil {
		t.Fatal(err)
	}
	c, err = Resolve("", cache)
	if err != nil {
		t.Fatal(err)
	}
	if c.Source.Kind != SourceCache || len(c.Software) != 7 {
		t.Errorf("cache: %s", c.Source.Describe())
	}
	if d := c.Source.Describe(); !strings.HasPrefix(d, "live SILL export downloaded from "+ts.URL) {
		t.Errorf("cache Describe() = %q", d)
	}

	// ...but not the file.
	c, err = Resolve(file, cache)
	if err != nil {
		t.Fatal(err)
	}
	if c.Source.Kind != SourceFile {
		t.Errorf("file and cache: %s", c.Source.Describe())
	}
	if d := c.Source.Describe(); d != "SILL file "+file+" (3 entries, dated 2026-03-01)" {
		t.Errorf("file Describe() = %q", d)
	}
}

func TestResolveErrors(t *testing.T) {
	// A file that cannot be loaded is an error, not a reason to fall back.
	_, err := Resolve(filepath.Join(t.TempDir(), "nope.json"), Cache{Dir: t.TempDir()})
	if !errors.Is(err, sillage.ErrInvalidInput) {
		t.Errorf("missing file: %v", err)
	}

	// A broken cache is an error whose hint says how to repair it.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, metaFile), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Resolve("", Cache{Dir: dir})
	if err == nil {
		t.Fatal("broken cache: no error")
	}
	if hint := sillage.HintOf(err); !strings.Contains(hint, "sillage sill update") || !strings.Contains(hint, dir) {
		t.Errorf("hint = %q", hint)
	}

	// No cache directory at all (no HOME): the embedded snapshot.
	if c, err := Resolve("", Cache{Dir: filepath.Join(t.TempDir(), "never-created")}); err != nil || c.Source.Kind != SourceEmbedded {
		t.Errorf("missing cache dir: %v", err)
	}
}
