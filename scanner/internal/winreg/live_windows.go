//go:build windows

package winreg

import (
	"errors"
	"strconv"

	"golang.org/x/sys/windows/registry"
)

// uninstallPath is the Uninstall key under SOFTWARE.
const uninstallPath = `SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall`

// liveView is one place programs are registered.
type liveView struct {
	root   registry.Key
	name   string // as regedit spells the path to the Uninstall key
	access uint32
}

var liveViews = []liveView{
	{registry.LOCAL_MACHINE, `HKEY_LOCAL_MACHINE\` + uninstallPath, registry.WOW64_64KEY},
	{registry.LOCAL_MACHINE, `HKEY_LOCAL_MACHINE\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall`, registry.WOW64_32KEY},
	{registry.CURRENT_USER, `HKEY_CURRENT_USER\` + uninstallPath, 0},
}

// Live reads the Uninstall subkeys of the running machine's registry: the
// 64-bit and 32-bit (WOW6432Node) views of HKEY_LOCAL_MACHINE and the
// current user's HKEY_CURRENT_USER, opened read-only. A view that does not
// exist (no 32-bit view on a 32-bit Windows, no per-user installs) is
// skipped; a subkey that cannot be read is skipped and counted in
// skipped.
func Live() (entries []Entry, skipped int, err error) {
	for _, v := range liveViews {
		k, err := registry.OpenKey(v.root, uninstallPath, registry.ENUMERATE_SUB_KEYS|registry.QUERY_VALUE|v.access)
		if err != nil {
			if errors.Is(err, registry.ErrNotExist) {
				continue
			}
			return nil, skipped, err
		}
		names, err := k.ReadSubKeyNames(-1)
		if err != nil {
			k.Close()
			return nil, skipped, err
		}
		for _, n := range names {
			e, ok := readLive(k, n, v.name+`\`+n, v.access)
			if !ok {
				skipped++
				continue
			}
			entries = append(entries, e)
			if len(entries) > MaxEntries {
				k.Close()
				return nil, skipped, ErrTooMany
			}
		}
		k.Close()
	}
	return entries, skipped, nil
}

func readLive(parent registry.Key, name, path string, access uint32) (Entry, bool) {
	k, err := registry.OpenKey(parent, name, registry.QUERY_VALUE|access)
	if err != nil {
		return Entry{}, false
	}
	defer k.Close()
	e := NewEntry(path)
	for _, v := range []string{ValDisplayName, ValDisplayVersion, ValPublisher, ValInstallDate,
		ValInstallLocation, ValSystemComponent, ValParentKeyName, ValReleaseType} {
		if s, _, err := k.GetStringValue(v); err == nil {
			e.Set(v, s)
			continue
		}
		if n, _, err := k.GetIntegerValue(v); err == nil {
			e.Set(v, strconv.FormatUint(n, 10))
		}
	}
	return e, true
}
