//go:build !windows

package winreg

import "errors"

// ErrNoLive is returned by Live on systems that have no registry.
var ErrNoLive = errors.New("the Windows registry can only be read on Windows")

// Live reads the running machine's Uninstall keys; on this system there
// are none.
func Live() (entries []Entry, skipped int, err error) { return nil, 0, ErrNoLive }
