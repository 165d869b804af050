package cli_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sillage-oss/sillage/cmd/sillage/internal/cli"
)

// TestDevCPUProfile: SILLAGE_DEV_CPUPROFILE writes a CPU profile (pprof's
// gzipped protobuf) when the run ends, leaves the document on stdout as
// it is, and a profile that cannot be written is reported without
// changing the exit code. Not parallel: the CPU profiler is per process.
func TestDevCPUProfile(t *testing.T) {
	dir := t.TempDir()
	target := fixture(t, "rootfs/debian-minimal")
	args := []string{"scan", "host:" + target, "-o", "json"}
	ref := runCLI(t, env{"SILLAGE_CACHE_DIR": t.TempDir()}, args...)
	ref.expect(t, cli.ExitOK)

	path := filepath.Join(dir, "scan.pprof")
	r := runCLI(t, env{"SILLAGE_CACHE_DIR": t.TempDir(), "SILLAGE_DEV_CPUPROFILE": path}, args...)
	r.expect(t, cli.ExitOK)
	if r.stdout != ref.stdout {
		t.Error("with SILLAGE_DEV_CPUPROFILE, stdout differs from a run without it")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no profile written: %v", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the profile is not gzipped protobuf, as pprof writes it: %v", err)
	}
	if pb, err := io.ReadAll(zr); err != nil || len(pb) == 0 {
		t.Fatalf("the profile does not decompress to a protobuf message: %d bytes, %v", len(pb), err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
		t.Errorf("temporary files left beside the profile: %v", left)
	}

	bad := filepath.Join(dir, "missing", "scan.pprof")
	r = runCLI(t, env{"SILLAGE_CACHE_DIR": t.TempDir(), "SILLAGE_DEV_CPUPROFILE": bad}, args...)
	r.expect(t, cli.ExitOK)
	if !strings.Contains(r.stderr, "SILLAGE_DEV_CPUPROFILE") || !strings.Contains(r.stderr, "missing") {
		t.Errorf("an unwritable profile path is not reported on stderr:\n%s", r.stderr)
	}
}
