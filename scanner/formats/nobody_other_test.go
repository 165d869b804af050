//go:build !unix

package formats

import "testing"

// rerunAsNobody: a system without Unix users has no root that reads
// everything; tests that need it are unix only.
func rerunAsNobody(t *testing.T) {
	t.Skip("needs a Unix system to run as an unprivileged user")
}
