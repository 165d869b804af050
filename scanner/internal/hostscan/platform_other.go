//go:build !linux

package hostscan

import (
	"context"
	"os"
)

// openNoAtime opens a file or directory for reading. Only Linux can skip the access-time update.
func openNoAtime(name string, _ bool) (*os.File, error) {
	return os.Open(name)
}

// virtualMounts returns nothing outside Linux: the default excludes cover /proc, /sys and /dev there.
func virtualMounts(context.Context, string) map[string]bool { return nil }
