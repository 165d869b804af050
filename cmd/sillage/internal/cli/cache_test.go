package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sillage-oss/sillage/cmd/sillage/internal/cli"
)

// licenceCacheTexts returns how many texts the licence cache under
// SILLAGE_CACHE_DIR=dir holds, and -1 when there is no cache file.
func licenceCacheTexts(t *testing.T, dir string) int {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "licences", "licensecheck-*.json"))
	if err != nil {
		t.Fatal(err)
	}
	switch len(files) {
	case 0:
		return -1
	case 1:
	default:
		t.Fatalf("several licence cache files: %v", files)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Texts map[string]json.RawMessage `json:"texts"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("licence cache %s: %v", files[0], err)
	}
	return len(f.Texts)
}

// TestScanLicenceCache: a scan remembers the licence texts it matched in
// SILLAGE_CACHE_DIR/licences, the next scan gives the same result from
// it, a broken cache file costs nothing but time, and --no-cache touches
// no cache.
func TestScanLicenceCache(t *testing.T) {
	target := "host:" + fixture(t, "rootfs/debian-minimal")
	args := []string{"scan", target, "-o", "json", "--license-detection", "all"}

	nocache := t.TempDir()
	ref := runCLI(t, env{"SILLAGE_CACHE_DIR": nocache}, append(args, "--no-cache")...)
	ref.expect(t, cli.ExitOK)
	if _, err := os.Stat(filepath.Join(nocache, "licences")); !os.IsNotExist(err) {
		t.Errorf("--no-cache: the licence cache directory exists (%v)", err)
	}

	dir := t.TempDir()
	e := env{"SILLAGE_CACHE_DIR": dir}
	first := runCLI(t, e, args...)
	first.expect(t, cli.ExitOK)
	n := licenceCacheTexts(t, dir)
	// the fixture's eight copyright files (curl's and libcurl4's are the
	// same text) and the npm package's LICENSE
	if n != 8 {
		t.Fatalf("after a scan with --license-detection all, the licence cache holds %d texts", n)
	}
	again := runCLI(t, e, args...)
	again.expect(t, cli.ExitOK)
	for name, r := range map[string]run{"first scan": first, "scan from the cache": again} {
		if diff := cmp.Diff(ref.stdout, r.stdout); diff != "" {
			t.Errorf("%s differs from a scan without cache (-without +with):\n%s", name, diff)
		}
	}
	if got := licenceCacheTexts(t, dir); got != n {
		t.Errorf("a second scan of the same texts changed the cache: %d texts, then %d", n, got)
	}

	files, _ := filepath.Glob(filepath.Join(dir, "licences", "licensecheck-*.json"))
	if err := os.WriteFile(files[0], []byte("{truncated"), 0o644); err != nil {
		t.Fatal(err)
	}
	broken := runCLI(t, e, args...)
	broken.expect(t, cli.ExitOK)
	if diff := cmp.Diff(ref.stdout, broken.stdout); diff != "" {
		t.Errorf("a scan over a broken cache file differs (-without +with):\n%s", diff)
	}
	if got := licenceCacheTexts(t, dir); got != n {
		t.Errorf("the broken cache file was not rewritten: %d texts, want %d", got, n)
	}
}

func TestLicenseDetectCache(t *testing.T) {
	dir := t.TempDir()
	e := env{"SILLAGE_CACHE_DIR": dir}
	args := []string{"license", "detect", fixture(t, "projects/npm-installed"), "-o", "json"}
	first := runCLI(t, e, args...)
	first.expect(t, cli.ExitOK)
	if n := licenceCacheTexts(t, dir); n < 1 {
		t.Fatalf("license detect left %d texts in the cache", n)
	}
	again := runCLI(t, e, args...)
	again.expect(t, cli.ExitOK)
	if first.stdout != again.stdout {
		t.Errorf("license detect from the cache differs:\n%s\nthen\n%s", first.stdout, again.stdout)
	}
	off := t.TempDir()
	runCLI(t, env{"SILLAGE_CACHE_DIR": off}, append(args, "--no-cache")...).expect(t, cli.ExitOK)
	if n := licenceCacheTexts(t, off); n != -1 {
		t.Errorf("license detect --no-cache wrote a cache of %d texts", n)
	}
}

// TestScanUnwritableLicenceCache: a cache directory that cannot be created
// costs time, never the scan.
func TestScanUnwritableLicenceCache(t *testing.T) {
	args := []string{"scan", "host:" + fixture(t, "rootfs/debian-minimal"), "-o", "json", "--license-detection", "all"}
	ref := runCLI(t, nil, append(args, "--no-cache")...)
	ref.expect(t, cli.ExitOK)
	// licences is a file: the cache directory cannot be made (even as root)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "licences"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, env{"SILLAGE_CACHE_DIR": dir}, args...)
	r.expect(t, cli.ExitOK)
	if diff := cmp.Diff(ref.stdout, r.stdout); diff != "" {
		t.Errorf("scan with an unwritable cache differs (-without +with):\n%s", diff)
	}
	if r.stderr != "" {
		t.Errorf("stderr: %q", r.stderr)
	}
}
