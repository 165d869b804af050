//go:build linux

package hostscan

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// mountinfo is an excerpt of a real /proc/self/mountinfo, plus a disk image mounted with its own proc.
const mountinfo = `22 1 252:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
24 22 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw
25 22 0:5 / /dev rw,nosuid shared:8 - devtmpfs udev rw,size=4096k
26 25 0:23 / /dev/shm rw,nosuid,nodev shared:9 - tmpfs tmpfs rw
27 22 0:24 / /run rw,nosuid,nodev shared:10 - tmpfs tmpfs rw,mode=755
28 22 0:25 / /tmp rw,nosuid,nodev shared:11 - tmpfs tmpfs rw
29 24 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw
30 22 7:0 / /mnt/img rw,relatime shared:20 - ext4 /dev/loop0 rw
31 30 0:27 / /mnt/img/proc rw,relatime shared:21 - proc proc rw
32 30 0:28 / /mnt/img/run rw,relatime shared:22 - tmpfs tmpfs rw
33 30 0:29 / /mnt/img/srv/my\040data rw,relatime shared:23 - tmpfs tmpfs rw
34 22 0:30 / /home/user/nfs rw,relatime shared:24 - nfs4 server:/export rw
`

func TestParseMountinfo(t *testing.T) {
	tests := []struct {
		root string
		want []string
	}{
		// tmpfs counts only on /run, /dev, /sys (and /var/run, /var/lock): /tmp is left to the excludes
		{"/", []string{"/dev", "/dev/shm", "/mnt/img/proc", "/proc", "/run", "/sys", "/sys/fs/cgroup"}},
		{"/mnt/img", []string{"/proc", "/run"}},
		{"/mnt/img/", []string{"/proc", "/run"}},
		{"/srv", nil},
	}
	for _, tt := range tests {
		t.Run(tt.root, func(t *testing.T) {
			got := slices.Sorted(maps.Keys(parseMountinfo(t.Context(), strings.NewReader(mountinfo), tt.root)))
			if !slices.Equal(got, tt.want) {
				t.Errorf("virtual mounts under %s = %v, want %v", tt.root, got, tt.want)
			}
		})
	}
}
