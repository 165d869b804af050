//go:build unix

package formats

import (
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// openFile opens a file to identify: read-only, without blocking on a
// FIFO that replaced a file, without following a link unless follow is
// set, and without updating its access time where the system lets us.
func openFile(path string, follow bool) (*os.File, error) {
	flags := unix.O_RDONLY | unix.O_NONBLOCK | unix.O_CLOEXEC
	if !follow {
		flags |= unix.O_NOFOLLOW
	}
	fd, err := openRetry(unix.AT_FDCWD, path, flags)
	if errors.Is(err, unix.ENAMETOOLONG) {
		fd, err = openLong(path, flags)
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(fd), path), nil
}

// openRetry opens with O_NOATIME first (allowed to the file's owner and
// to root) and without it when that is refused.
func openRetry(dirfd int, path string, flags int) (int, error) {
	for {
		fd, err := unix.Openat(dirfd, path, flags|noatime, 0)
		if err == unix.EINTR {
			continue
		}
		if err == unix.EPERM && noatime != 0 {
			fd, err = unix.Openat(dirfd, path, flags, 0)
		}
		return fd, err
	}
}

func openDir(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil && errors.Is(err, syscall.ENAMETOOLONG) {
		fd, lerr := openLong(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC)
		if lerr != nil {
			return nil, &fs.PathError{Op: "open", Path: path, Err: lerr}
		}
		return os.NewFile(uintptr(fd), path), nil
	}
	return f, err
}

// readDir lists a directory, sorted by name; past PATH_MAX it opens the
// directory component by component.
func readDir(path string) ([]fs.DirEntry, error) {
	f, err := openDir(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	es, err := f.ReadDir(-1)
	slices.SortFunc(es, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return es, err
}

// openLong opens a path longer than the system's PATH_MAX by opening its
// directories in chunks, each relative to the previous one.
func openLong(path string, flags int) (int, error) {
	const chunk = 2048
	dirfd := unix.AT_FDCWD
	rest := path
	if strings.HasPrefix(rest, "/") {
		fd, err := unix.Open("/", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			return -1, err
		}
		dirfd = fd
		rest = strings.TrimLeft(rest, "/")
	}
	closeDir := func() {
		if dirfd != unix.AT_FDCWD {
			unix.Close(dirfd)
		}
	}
	for len(rest) > chunk {
		cut := strings.LastIndexByte(rest[:chunk], '/')
		if cut <= 0 {
			closeDir()
			return -1, unix.ENAMETOOLONG // one name longer than the chunk
		}
		fd, err := unix.Openat(dirfd, rest[:cut], unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		closeDir()
		if err != nil {
			return -1, err
		}
		dirfd = fd
		rest = strings.TrimLeft(rest[cut:], "/")
	}
	fd, err := openRetry(dirfd, rest, flags)
	closeDir()
	return fd, err
}

func joinPath(dir, name string) string {
	if strings.HasSuffix(dir, "/") {
		return dir + name
	}
	return dir + "/" + name
}

type fileKey struct{ dev, ino uint64 }

func keyOf(fi os.FileInfo) (fileKey, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileKey{}, false
	}
	return fileKey{uint64(st.Dev), uint64(st.Ino)}, true //nolint:unconvert // types differ by platform
}
