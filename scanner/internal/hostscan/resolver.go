package hostscan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"

	stfile "github.com/anchore/stereoscope/pkg/file"
	"github.com/anchore/syft/syft/file"
)

// resolver answers syft's file questions from a tree. Every path it returns is an in-root absolute path;
// file contents and metadata are read from the disk lazily, only when a cataloger asks.
type resolver struct {
	t *tree
	// ctx is the scan's context: syft's Resolver methods take none, and a MIME query may read many files
	ctx context.Context
	// hide, when set, makes entries invisible to this view (see unownedCataloger)
	hide func(id int32) bool
	// listed, when set, limits AllLocations to the entries it accepts (see nixCataloger)
	listed func(path string) bool
}

var _ file.Resolver = (*resolver)(nil)

func (r *resolver) hidden(id int32) bool { return r.hide != nil && r.hide(id) }

// HasPath reports whether the path exists (any type), following symlinks in its directories; like syft's
// directory resolver, a symlink counts even when it dangles.
func (r *resolver) HasPath(p string) bool {
	id, ok := r.t.resolve(cleanRequest(p), false)
	return ok && !r.hidden(id)
}

// FilesByPath returns a location per path that resolves (following symlinks) to a regular file. The real
// path is where the file is; the access path is the path asked for.
func (r *resolver) FilesByPath(paths ...string) ([]file.Location, error) {
	locs := make([]file.Location, 0, len(paths))
	for _, p := range paths {
		req := cleanRequest(p)
		id, ok := r.t.resolve(req, true)
		if !ok || r.t.nodes[id].kind != kindFile || r.hidden(id) {
			continue
		}
		locs = append(locs, file.NewVirtualLocation(r.t.nodes[id].path, req))
	}
	return locs, nil
}

// FilesByGlob returns the regular files matching any pattern, each file once (the first pattern, and the
// best path within it, wins), following symlinks.
func (r *resolver) FilesByGlob(patterns ...string) ([]file.Location, error) {
	seen := map[int32]bool{}
	locs := make([]file.Location, 0)
	for _, pattern := range patterns {
		if err := r.ctx.Err(); err != nil {
			return nil, err
		}
		for _, res := range r.t.searchGlob(pattern) {
			if seen[res.real] || r.t.nodes[res.real].kind != kindFile || r.hidden(res.real) {
				continue
			}
			seen[res.real] = true
			locs = append(locs, file.NewVirtualLocation(r.t.nodes[res.real].path, res.access))
		}
	}
	return locs, nil
}

// FilesByMIMEType returns the regular files whose content has one of the MIME types, sorted by path.
func (r *resolver) FilesByMIMEType(types ...string) ([]file.Location, error) {
	if err := r.t.mime.ensure(r.ctx, types); err != nil {
		return nil, err
	}
	ids := r.t.mime.matching(types)
	sort.Slice(ids, func(i, j int) bool { return r.t.nodes[ids[i]].path < r.t.nodes[ids[j]].path })
	locs := make([]file.Location, 0, len(ids))
	for _, id := range ids {
		if r.hidden(id) {
			continue
		}
		p := r.t.nodes[id].path
		locs = append(locs, file.NewVirtualLocation(p, p))
	}
	return locs, nil
}

// RelativeFileByPath returns the file at path, ignoring the location: a root filesystem has one layer.
func (r *resolver) RelativeFileByPath(_ file.Location, p string) *file.Location {
	locs, err := r.FilesByPath(p)
	if err != nil || len(locs) == 0 {
		return nil
	}
	return &locs[0]
}

// AllLocations streams every entry (files, directories, symlinks), without resolving symlinks.
func (r *resolver) AllLocations(ctx context.Context) <-chan file.Location {
	out := make(chan file.Location)
	go func() {
		defer close(out)
		for i := 1; i < len(r.t.nodes); i++ {
			p := r.t.nodes[i].path
			if r.hidden(int32(i)) || (r.listed != nil && !r.listed(p)) {
				continue
			}
			select {
			case <-ctx.Done():
				return
			case out <- file.NewLocation(p):
			}
		}
	}()
	return out
}

// FileMetadataByLocation stats the entry at the location's real path (without following a final
// symlink) and sniffs the MIME type of a regular file.
func (r *resolver) FileMetadataByLocation(loc file.Location) (file.Metadata, error) {
	id, ok := r.t.resolve(cleanRequest(loc.RealPath), false)
	if !ok || r.hidden(id) {
		return file.Metadata{}, fmt.Errorf("location %s: %w", loc.RealPath, os.ErrNotExist)
	}
	n := &r.t.nodes[id]
	fi, err := os.Lstat(nativePath(r.t.root, n.path))
	if err != nil {
		return file.Metadata{}, fmt.Errorf("stat %s: %w", n.path, err)
	}
	uid, gid := ownerIDs(fi)
	md := file.Metadata{
		FileInfo: fi,
		Path:     n.path,
		Type:     stfile.TypeFromMode(fi.Mode()),
		UserID:   uid,
		GroupID:  gid,
	}
	switch n.kind {
	case kindLink:
		md.LinkDestination = n.link
	case kindFile:
		md.MIMEType = r.t.mime.typeOf(id)
	}
	return md, nil
}

// FileContentsByLocation returns a reader that opens the file at the location's real path on first use.
func (r *resolver) FileContentsByLocation(loc file.Location) (io.ReadCloser, error) {
	if loc.RealPath == "" {
		return nil, errors.New("empty path given")
	}
	id, ok := r.t.resolve(cleanRequest(loc.RealPath), true)
	if !ok || r.hidden(id) {
		return nil, fmt.Errorf("read %s: %w", loc.RealPath, os.ErrNotExist)
	}
	if r.t.nodes[id].kind != kindFile {
		return nil, fmt.Errorf("cannot read contents of non-file %q", loc.RealPath)
	}
	return &lazyFile{name: nativePath(r.t.root, r.t.nodes[id].path)}, nil
}

// lazyFile opens its file on first use, so that catalogers can hold many readers cheaply. It offers
// ReadAt and Seek, which syft's binary parsers need to avoid reading whole files into memory.
type lazyFile struct {
	name string
	f    *os.File
}

func (l *lazyFile) open() error {
	if l.f != nil {
		return nil
	}
	f, err := openNoAtime(l.name, false)
	if err != nil {
		return err
	}
	l.f = f
	return nil
}

func (l *lazyFile) Read(b []byte) (int, error) {
	if err := l.open(); err != nil {
		return 0, err
	}
	return l.f.Read(b)
}

func (l *lazyFile) ReadAt(b []byte, off int64) (int, error) {
	if err := l.open(); err != nil {
		return 0, err
	}
	return l.f.ReadAt(b, off)
}

func (l *lazyFile) Seek(off int64, whence int) (int64, error) {
	if err := l.open(); err != nil {
		return 0, err
	}
	return l.f.Seek(off, whence)
}

func (l *lazyFile) Close() error {
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	if errors.Is(err, os.ErrClosed) {
		err = nil
	}
	return err
}
