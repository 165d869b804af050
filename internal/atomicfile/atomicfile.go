// Package atomicfile writes files so that a reader sees the old content or
// the new one, never a part: sillage's outputs and caches.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write writes data to path through a temporary file in the same
// directory, made from pattern as os.CreateTemp does ("" means
// ".NAME.tmp-*"), then synced, given mode 0644 and renamed over path. The
// temporary file is removed on failure. Errors are the os package's, which
// name the file.
func Write(path string, data []byte, pattern string) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if pattern == "" {
		pattern = "." + base + ".tmp-*"
	}
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
