package sill

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/sillage-oss/sillage"
)

// Resolve picks the catalogue a run uses: the file the user named (--sill
// FILE) when file is not empty, else the cached copy of the live export,
// else the embedded 2022 snapshot. The catalogue's Source says which, and
// Source.Describe says it in a line for `sillage sill status`.
//
// A file that cannot be loaded is an error, never replaced by another
// catalogue. So is a cached copy that exists but is broken: a run must not
// fall back silently to 2022 data; the error's hint says how to repair the
// cache.
func Resolve(file string, cache Cache) (*Catalog, error) {
	if file != "" {
		return LoadFile(file)
	}
	cat, err := cache.Load()
	switch {
	case err == nil:
		return cat, nil
	case errors.Is(err, fs.ErrNotExist):
		return Embedded(), nil
	}
	dir, _ := cache.dir()
	return nil, sillage.WithHint(fmt.Errorf("%w", err),
		fmt.Sprintf("run 'sillage sill update' to download the SILL again, or delete %s to use the embedded 2022 snapshot", dir))
}
