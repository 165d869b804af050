//go:build !unix

package formats

import "testing"

const nobodyRootEnv = "SILLAGE_TEST_NOBODY_ROOT"

// rerunAsNobody: a system without Unix users has no root that reads
// everything; tests that need it are unix only.
func rerunAsNobody(t *testing.T, root string) {
	t.Skip("needs a Unix system to run as an unprivileged user")
}
