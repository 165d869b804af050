//go:build unix

package formats

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// nobodyRootEnv names, in a test run again by rerunAsNobody, the tree
// the first run prepared.
const nobodyRootEnv = "SILLAGE_TEST_NOBODY_ROOT"

// rerunAsNobody runs the calling test again in a copy of the test binary
// as the unprivileged user nobody (uid 65534), for tests of what a user
// cannot read: root reads every file whatever its mode. The rerun gets
// root, the tree to read (made readable down to the files under test),
// in nobodyRootEnv, and runs in it: it needs nothing from the checkout. It
// fails the test when the rerun fails or does not run the test.
func rerunAsNobody(t *testing.T, root string) {
	t.Helper()
	// t.TempDir's parents are root's alone
	for d := root; d != filepath.Dir(d) && d != os.TempDir(); d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// the go tool builds test binaries in a directory only root can enter
	dir, err := os.MkdirTemp("", "sillage-nobody-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "formats.test")
	in, err := os.Open(self)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^"+t.Name()+"$", "-test.v", "-test.count=1")
	cmd.Env = []string{"TMPDIR=" + os.TempDir(), "HOME=/", nobodyRootEnv + "=" + root}
	cmd.Dir = root
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	got, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s as nobody: %v\n%s", t.Name(), err, got)
	}
	if !strings.Contains(string(got), "--- PASS: "+t.Name()) {
		t.Fatalf("%s did not run as nobody:\n%s", t.Name(), got)
	}
}
