//go:build unix

package formats

import (
	"strings"

	"golang.org/x/sys/unix"
)

// mkdirLong creates every directory of an absolute path longer than
// PATH_MAX, one name at a time relative to its parent's handle.
func mkdirLong(path string) error {
	fd, err := unix.Open("/", unix.O_RDONLY|unix.O_DIRECTORY, 0)
	if err != nil {
		return err
	}
	for _, name := range strings.Split(strings.Trim(path, "/"), "/") {
		if err := unix.Mkdirat(fd, name, 0o755); err != nil && err != unix.EEXIST {
			unix.Close(fd)
			return err
		}
		next, err := unix.Openat(fd, name, unix.O_RDONLY|unix.O_DIRECTORY, 0)
		unix.Close(fd)
		if err != nil {
			return err
		}
		fd = next
	}
	return unix.Close(fd)
}

func writeLong(path string, data []byte) error {
	fd, err := openLong(path, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	if err := unix.Fchmod(fd, 0o644); err != nil {
		return err
	}
	_, err = unix.Write(fd, data)
	return err
}
