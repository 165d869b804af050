//go:build linux

package hostscan

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// openNoAtime opens a file or directory for reading without updating its access time where the kernel
// allows it (O_NOATIME needs the caller to own the file or hold CAP_FOWNER), so that an inventory leaves
// no trace on what it reads. It falls back to a plain open.
func openNoAtime(name string, dir bool) (*os.File, error) {
	flags := unix.O_RDONLY | unix.O_CLOEXEC | unix.O_NOATIME
	if dir {
		flags |= unix.O_DIRECTORY
	}
	for {
		fd, err := unix.Open(name, flags, 0)
		if err == nil {
			return os.NewFile(uintptr(fd), name), nil
		}
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if errors.Is(err, unix.EPERM) && flags&unix.O_NOATIME != 0 {
			flags &^= unix.O_NOATIME
			continue
		}
		return nil, &os.PathError{Op: "open", Path: name, Err: err}
	}
}

// virtualFSTypes are filesystems that are kernel views, never installed software, wherever mounted.
var virtualFSTypes = map[string]bool{
	"proc": true, "procfs": true, "sysfs": true, "devfs": true, "devtmpfs": true, "udev": true,
	"devpts": true, "cgroup": true, "cgroup2": true, "securityfs": true, "debugfs": true,
	"tracefs": true, "pstore": true, "bpf": true, "configfs": true, "fusectl": true, "mqueue": true,
	"hugetlbfs": true, "binfmt_misc": true, "efivarfs": true, "selinuxfs": true, "rpc_pipefs": true,
	"nsfs": true,
}

// tmpfsSkipped are the places where a tmpfs is runtime state (the same list as syft's path skipper).
var tmpfsSkipped = []string{"/run", "/dev", "/var/run", "/var/lock", "/sys"}

// virtualMounts returns the in-root paths of the virtual mounts under root (a native, symlink-free
// path), read from /proc/self/mountinfo. A failure to read it skips nothing.
func virtualMounts(ctx context.Context, root string) map[string]bool {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil
	}
	defer f.Close()
	return parseMountinfo(ctx, f, root)
}

// parseMountinfo picks the virtual mounts under root out of a mountinfo table (proc(5)).
func parseMountinfo(ctx context.Context, r io.Reader, root string) map[string]bool {
	root = filepath.Clean(root)
	skip := map[string]bool{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if ctx.Err() != nil {
			return skip
		}
		left, right, ok := strings.Cut(sc.Text(), " - ")
		if !ok {
			continue
		}
		lf, rf := strings.Fields(left), strings.Fields(right)
		if len(lf) < 5 || len(rf) < 1 {
			continue
		}
		mp, fstype := unescapeMount(lf[4]), rf[0]
		var inRoot string
		switch {
		case root == "/":
			inRoot = mp
		case mp == root:
			inRoot = "/"
		case strings.HasPrefix(mp, root+"/"):
			inRoot = mp[len(root):]
		default:
			continue
		}
		if virtualFSTypes[fstype] || (fstype == "tmpfs" && underAny(inRoot, tmpfsSkipped)) {
			if inRoot != "/" {
				skip[inRoot] = true
			}
		}
	}
	return skip
}

// unescapeMount decodes the octal escapes (\040 for a space) of a mountinfo path.
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func underAny(p string, dirs []string) bool {
	for _, d := range dirs {
		if p == d || strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	return false
}
