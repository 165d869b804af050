//go:build unix

package hostscan

import (
	"io/fs"
	"syscall"
)

// ownerIDs returns the numeric owner and group of a file, or -1 when the platform does not say.
func ownerIDs(fi fs.FileInfo) (uid, gid int) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid), int(st.Gid)
	}
	return -1, -1
}
