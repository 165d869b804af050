//go:build !unix

package hostscan

import "io/fs"

// ownerIDs returns -1, -1: this platform has no numeric owners.
func ownerIDs(fs.FileInfo) (uid, gid int) { return -1, -1 }
