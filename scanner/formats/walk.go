// Package formats inventories the document formats of file trees: it
// walks them, identifies every file's format by content with the
// signatures of rules/rgi, and counts what the RGI says to migrate.
//
// It only reads: files are opened read-only (without following a link
// that replaced a file during the walk, and without updating access times
// where the system allows it), and each is read only as far as
// identification needs (see Identifier).
package formats

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/rules/rgi"
	"github.com/sillage-oss/sillage/scanner/internal/exclude"
)

// ErrRoot marks an error about a root the user gave: missing, unreadable.
var ErrRoot = errors.New("cannot read the tree to inventory")

// Options tune an inventory.
type Options struct {
	// Exclude are doublestar globs matched against slash paths below each
	// root ("/archives/**", "**/*.tmp"); "x" means "**/x".
	Exclude []string
	// FollowSymlinks follows symbolic links to files and directories; a
	// directory already visited (a link loop) is skipped. By default links
	// are counted as skipped and not followed.
	FollowSymlinks bool
	// Workers is the number of files read in parallel; 0 means a default
	// suited to local disks and network shares alike.
	Workers int
	// ActionOnly keeps in FormatInventory.Files only the files whose action
	// is review or migrate (the summary counts every file). For trees of
	// millions of files.
	ActionOnly bool
	// Archives also identifies the members of ZIP archives (not of ZIP
	// based documents such as ODF or OOXML), reported as
	// "archive.zip!/member"; nested archives are opened 2 deep. Reading is
	// capped per member and per archive (see archive.go).
	Archives bool
	// Progress, when set, is called from time to time with the number of
	// files identified so far.
	Progress func(files int)
	// Table is the format table; nil means the embedded one.
	Table *rgi.Table
}

// Limits of the inventory document.
const (
	maxUnreadableListed = 1000
	maxDirectories      = 20
)

// ValidateExcludes checks the --exclude globs.
func ValidateExcludes(globs []string) error {
	for _, g := range globs {
		if !doublestar.ValidatePattern(exclude.Normalize(g)) {
			return sillage.WithHint(sillage.InvalidInput(fmt.Errorf("--exclude %q is not a valid glob", g)),
				"use doublestar globs such as /archives/** or **/*.tmp")
		}
	}
	return nil
}

// job is one file to identify.
type job struct {
	path    string // as opened
	display string // root as given + slash path below it
	dir     string // display path of its directory
	name    string
	follow  bool // the path may be a link to follow
}

type result struct {
	job
	m      Match
	size   int64
	err    error
	vanish bool
	member bool // a member of an archive
}

// Inventory walks roots and identifies the format of every regular file.
// A root that does not exist or cannot be read is an error (ErrRoot);
// files and directories inside that cannot be read are listed in the
// inventory's Unreadable, and files that vanish during the walk are
// counted. It stops early, returning ctx's error, when ctx is cancelled.
func Inventory(ctx context.Context, roots []string, o Options) (*sillage.FormatInventory, error) {
	if len(roots) == 0 {
		return nil, sillage.InvalidInput(errors.New("no path to inventory"))
	}
	if err := ValidateExcludes(o.Exclude); err != nil {
		return nil, err
	}
	var globs []string
	for _, g := range o.Exclude {
		if n := exclude.Normalize(g); n != "" {
			globs = append(globs, n)
		}
	}
	tab := o.Table
	if tab == nil {
		tab = rgi.Load()
	}
	inv := &sillage.FormatInventory{FilesListed: "all"}
	if o.ActionOnly {
		inv.FilesListed = "action"
	}
	type rootInfo struct {
		given string
		fi    os.FileInfo
	}
	var rs []rootInfo
	for _, r := range roots {
		fi, err := os.Stat(r) // a root given as a link is followed
		if err != nil {
			return nil, sillage.WithHint(fmt.Errorf("%w: %w", ErrRoot, err), "check the path, and that you may read it")
		}
		if fi.IsDir() {
			f, err := openDir(r)
			if err != nil {
				return nil, sillage.WithHint(fmt.Errorf("%w: %w", ErrRoot, err), "check that you may read the directory")
			}
			f.Close()
		}
		abs, err := filepath.Abs(r)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrRoot, err)
		}
		inv.Roots = append(inv.Roots, abs)
		rs = append(rs, rootInfo{r, fi})
	}

	workers := o.Workers
	if workers <= 0 {
		workers = max(4, 2*runtime.GOMAXPROCS(0))
	}
	id := NewIdentifier(tab)
	jobs := make(chan job, 4096)
	results := make(chan result, 4096)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				r := result{job: j}
				var emit func(member)
				if o.Archives {
					emit = func(mb member) {
						dir := mb.path[:strings.LastIndex(mb.path, "!/")]
						select {
						case results <- result{job: job{display: mb.path, dir: dir}, m: mb.m, size: mb.size, member: true}:
						case <-ctx.Done():
						}
					}
				}
				r.m, r.size, r.err = identifyFile(id, j, emit)
				if r.err != nil && errors.Is(r.err, fs.ErrNotExist) {
					r.vanish = true
				}
				select {
				case results <- r:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	agg := newAggregator(inv, tab, o.ActionOnly)
	walkErr := make(chan error, 1)
	go func() {
		defer close(jobs)
		w := &walker{ctx: ctx, jobs: jobs, globs: globs, follow: o.FollowSymlinks, agg: agg, visited: map[fileKey]bool{}}
		for _, r := range rs {
			if !r.fi.IsDir() {
				base := filepath.Base(r.given)
				if w.excluded("/" + filepath.ToSlash(base)) {
					continue
				}
				w.send(job{path: r.given, display: filepath.ToSlash(r.given), dir: filepath.ToSlash(filepath.Dir(r.given)), name: base, follow: true})
				continue
			}
			if k, ok := keyOf(r.fi); ok {
				w.visited[k] = true
			}
			w.walk(r.given, strings.TrimSuffix(filepath.ToSlash(r.given), "/"), "")
		}
		walkErr <- ctx.Err()
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	n := 0
	for r := range results {
		agg.add(r)
		n++
		if o.Progress != nil && n%512 == 0 {
			o.Progress(n)
		}
	}
	if err := <-walkErr; err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if o.Progress != nil {
		o.Progress(n)
	}
	agg.finish()
	inv.Normalize()
	return inv, nil
}

type walker struct {
	ctx     context.Context
	jobs    chan<- job
	globs   []string
	follow  bool
	agg     *aggregator
	visited map[fileKey]bool
}

func (w *walker) send(j job) {
	select {
	case w.jobs <- j:
	case <-w.ctx.Done():
	}
}

func (w *walker) excluded(rel string) bool {
	for _, g := range w.globs {
		if ok, _ := doublestar.Match(g, rel); ok {
			return true
		}
	}
	return false
}

// walk lists dir (opened as path, shown as display, rel below the root)
// and sends its files; subdirectories are walked depth first.
func (w *walker) walk(path, display, rel string) {
	if w.ctx.Err() != nil {
		return
	}
	entries, err := readDirFn(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			w.agg.vanished()
		} else {
			w.agg.unreadable(display, err)
		}
		// entries read before the error are still walked
	}
	for _, e := range entries {
		name := e.Name()
		cpath := joinPath(path, name)
		cdisplay := display + "/" + name
		crel := rel + "/" + name
		if w.excluded(crel) {
			continue
		}
		typ := e.Type()
		link := typ&fs.ModeSymlink != 0
		if link && !w.follow {
			w.agg.skipped()
			continue
		}
		if link || (w.follow && typ.IsDir()) {
			// following links: know where they lead, and every directory
			// already entered, so that a loop is walked once
			fi, err := os.Stat(cpath)
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					w.agg.skipped() // a dangling link
				} else {
					w.agg.unreadable(cdisplay, err)
				}
				continue
			}
			typ = fi.Mode().Type()
			if fi.IsDir() {
				if k, ok := keyOf(fi); ok {
					if w.visited[k] {
						w.agg.skipped() // a loop, or a tree reached twice
						continue
					}
					w.visited[k] = true
				}
			}
		}
		switch {
		case typ.IsDir():
			w.walk(cpath, cdisplay, crel)
		case typ.IsRegular():
			w.send(job{path: cpath, display: cdisplay, dir: display, name: name, follow: link})
		default:
			w.agg.skipped() // devices, pipes, sockets
		}
		if w.ctx.Err() != nil {
			return
		}
	}
}

// identifyFile opens a file read-only and identifies it; with emit, the
// members of a ZIP archive are identified too and sent to emit.
func identifyFile(id *Identifier, j job, emit func(member)) (Match, int64, error) {
	f, err := openFileFn(j.path, j.follow)
	if err != nil {
		return Match{}, 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Match{}, 0, err
	}
	if !fi.Mode().IsRegular() {
		return Match{}, 0, errNotRegular
	}
	m := id.Identify(f, fi.Size(), j.name)
	if emit != nil && m.Format != nil && m.Format.ID == "zip" {
		budget := int64(maxArchiveBudget)
		m.Problem = joinDetail(m.Problem, id.members(f, fi.Size(), j.display, 0, &budget, emit))
	}
	return m, fi.Size(), nil
}

var errNotRegular = errors.New("not a regular file")

// openFileFn and readDirFn are openFile and readDir; tests replace them to
// make files unreadable or vanish, which root (who runs CI) cannot see.
var (
	openFileFn = openFile
	readDirFn  = readDir
)

// displayPath makes a path printable: invalid UTF-8 bytes become U+FFFD,
// and the exact bytes are returned base64-encoded.
func displayPath(p string) (string, string) {
	if utf8.ValidString(p) {
		return p, ""
	}
	return strings.ToValidUTF8(p, "\uFFFD"), base64.StdEncoding.EncodeToString([]byte(p))
}
