package licensedetect

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// DefaultHeaderLines is how many lines of a source file Walk reads with
// WalkOptions.Headers: enough for a copyright block and a licence notice
// (the Apache-2.0 and GPL notices are 13 to 15 lines).
const DefaultHeaderLines = 40

// WalkOptions configures Walk. The zero value is ready to use.
type WalkOptions struct {
	// Headers also reads the first HeaderLines lines of source files (by
	// extension: .go, .c, .java, .js, .py...) for licence notices. Off by
	// default: it reads every source file of the tree.
	Headers bool
	// HeaderLines is how many lines of a source file are read, within its
	// first 8 KiB; 0 means DefaultHeaderLines. Coverage is then the share
	// of those lines.
	HeaderLines int
	// Workers is how many files are read and matched at once; 0 means
	// runtime.GOMAXPROCS(0).
	Workers int
	// Logger receives the files skipped and why, at debug level. Nil
	// discards.
	Logger *slog.Logger
	// SkipDir, when not nil, is asked about every directory below a root
	// (path as the walk found it, name its base name); the walk does not
	// enter those for which it returns true. Version-control directories
	// are always skipped.
	SkipDir func(path, name string) bool
}

// Stats counts what Walk did.
type Stats struct {
	// Files is the number of files read and matched.
	Files int `json:"files"`
	// Bytes is the number of bytes read from them.
	Bytes int64 `json:"bytes"`
	// Recognised is the number of files with an Expression.
	Recognised int `json:"recognised"`
	// Binary and TooLarge count the candidate files skipped as not text
	// or over the size limit; Errors those that could not be read.
	Binary   int `json:"binary"`
	TooLarge int `json:"tooLarge"`
	Errors   int `json:"errors"`
}

// licenceStems are the words that make a file name a licence file name.
var licenceStems = map[string]bool{
	"license": true, "licence": true, "licenses": true, "licences": true,
	"copying": true, "copyright": true, "copyrights": true, "copyleft": true,
	"notice": true, "notices": true, "unlicense": true,
}

// notLicenceExt are extensions that make a file with a licence stem in its
// name something else: code, data, images.
var notLicenceExt = map[string]bool{
	"go": true, "js": true, "mjs": true, "cjs": true, "ts": true, "tsx": true, "jsx": true, "mts": true, "cts": true,
	"map": true, "py": true, "pyc": true, "rb": true, "java": true, "class": true, "kt": true, "scala": true,
	"c": true, "h": true, "cc": true, "cpp": true, "hpp": true, "cs": true, "php": true, "rs": true, "swift": true,
	"json": true, "yaml": true, "yml": true, "xml": true, "toml": true, "lock": true, "sum": true, "mod": true,
	"css": true, "scss": true, "vue": true, "svelte": true, "sh": true, "pl": true, "pm": true, "el": true, "elc": true,
	"png": true, "jpg": true, "jpeg": true, "gif": true, "svg": true, "ico": true, "pdf": true, "gz": true, "zip": true,
	"o": true, "so": true, "a": true, "dll": true, "exe": true, "tmpl": true, "tpl": true, "erb": true, "ejs": true,
	"hbs": true, "d": true, "snap": true, "test": true, "spec": true, "proto": true,
}

// IsLicenseFile reports whether a file named name (a base name) is a licence
// file: one of the names below, in any case, with any extension but those
// of code, data or images. A name is split into words at ".", "-" and "_";
// it is a licence file name when one word is LICENSE, LICENCE (or their
// plurals), COPYING, COPYRIGHT, COPYLEFT, NOTICE(S) or UNLICENSE. So
// LICENSE, LICENSE.md, LICENSE-MIT, MIT-LICENSE.txt, COPYING.LESSER,
// NOTICE, bundle.js.LICENSE.txt and debian/copyright are; license.go and
// licensecheck are not.
func IsLicenseFile(name string) bool {
	lower := strings.ToLower(name)
	words := strings.FieldsFunc(lower, func(r rune) bool { return r == '.' || r == '-' || r == '_' })
	found := false
	for _, w := range words {
		if licenceStems[w] {
			found = true
			break
		}
	}
	if !found {
		return false
	}
	if i := strings.LastIndexByte(lower, '.'); i > 0 && notLicenceExt[lower[i+1:]] {
		return false
	}
	return true
}

// IsLicensePath reports whether Walk takes the file at path for a licence
// file: its name is a licence file name (IsLicenseFile), or it is a text
// in a LICENSES directory, where the REUSE specification
// (https://reuse.software) puts one licence per file, named by its SPDX id.
func IsLicensePath(path string) bool {
	name := filepath.Base(path)
	return IsLicenseFile(name) || inLicencesDir(path, name)
}

// inLicencesDir reports whether the file name at path sits in a directory
// named LICENSES (any case), where the REUSE specification
// (https://reuse.software) puts one licence text per file, named by its
// SPDX id ("LICENSES/EUPL-1.2.txt"), with no extension or .txt or .md
// (other files there are data: licensecheck's own licenses/*.lre).
func inLicencesDir(path, name string) bool {
	dir := strings.ToLower(filepath.Base(filepath.Dir(path)))
	if dir != "licenses" && dir != "licences" {
		return false
	}
	ext := strings.ToLower(filepath.Ext(name))
	return ext == "" || ext == ".txt" || ext == ".md"
}

// sourceExt are the extensions of the source files whose first lines Walk
// reads with WalkOptions.Headers.
var sourceExt = map[string]bool{
	"c": true, "h": true, "cc": true, "cpp": true, "cxx": true, "hpp": true, "hh": true, "hxx": true,
	"go": true, "rs": true, "java": true, "kt": true, "kts": true, "scala": true, "groovy": true,
	"js": true, "mjs": true, "cjs": true, "jsx": true, "ts": true, "tsx": true, "mts": true, "cts": true,
	"vue": true, "svelte": true, "css": true, "scss": true, "less": true,
	"py": true, "pyx": true, "rb": true, "php": true, "pl": true, "pm": true, "swift": true, "m": true, "mm": true,
	"cs": true, "fs": true, "vb": true, "sh": true, "bash": true, "zsh": true, "lua": true, "r": true,
	"el": true, "clj": true, "erl": true, "ex": true, "exs": true, "hs": true, "ml": true, "mli": true,
	"dart": true, "sql": true, "proto": true, "s": true, "asm": true, "f": true, "f90": true, "tcl": true,
}

// isSourceFile reports whether name has a source file extension.
func isSourceFile(name string) bool {
	i := strings.LastIndexByte(name, '.')
	return i > 0 && sourceExt[strings.ToLower(name[i+1:])]
}

// skipDirs are version-control directories Walk does not enter.
var skipDirs = map[string]bool{".git": true, ".hg": true, ".svn": true, ".bzr": true}

// jobQueue is how many files the walk may find ahead of the workers:
// more than the licence files of an 8 GB Go module cache (1717), in half a
// megabyte.
const jobQueue = 1 << 14

// job is one file for the workers; seq orders the results.
type job struct {
	seq    int
	path   string
	header bool // read only the first lines: a source file
}

type outcome struct {
	seq  int
	res  Result
	n    int64 // bytes read
	err  error
	emit bool // call fn
}

// Walk finds the licence files under roots (see IsLicenseFile, and the
// files of a LICENSES directory, as REUSE lays them out), and with
// o.Headers the source files, and identifies the licences in each, on
// o.Workers goroutines. A root that is a file is read whatever its name.
// Files over MaxSize and files that are not text are skipped before they
// are read whole; version-control directories are not entered; symbolic
// links to directories are not followed.
//
// fn is called from Walk's goroutine, one file at a time, in a
// deterministic order: roots in the order given, files within a root in
// lexical order. It gets every licence file read, recognised or not, and
// the source files in which a licence matched. Unreadable files are
// counted in Stats and logged, and do not stop the walk; a root that does
// not exist does, before anything is read. The matcher is built when the
// first candidate file is found, while the walk goes on, so a tree without
// licence files costs no build. When ctx ends, Walk stops and returns its
// error.
func (d *Detector) Walk(ctx context.Context, roots []string, o WalkOptions, fn func(Result)) (Stats, error) {
	var st Stats
	for _, r := range roots {
		if _, err := os.Stat(r); err != nil {
			return st, fmt.Errorf("licence detection: %w", err)
		}
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	lines := o.HeaderLines
	if lines <= 0 {
		lines = DefaultHeaderLines
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// A deep queue lets the walk go on while the workers wait for the
	// matcher to be built, so that the two overlap; with a shallow one the
	// walk stalled until the build was done. An unbounded queue on its own
	// goroutine was measured slower with headers (a hop per file).
	jobs := make(chan job, jobQueue)
	outs := make(chan outcome, 4*workers)
	var walkErr error
	go func() {
		defer close(jobs)
		walkErr = d.find(ctx, roots, o, jobs, log)
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if ctx.Err() != nil {
					continue // drain
				}
				outs <- d.work(ctx, j, lines)
			}
		}()
	}
	go func() {
		wg.Wait()
		close(outs)
	}()

	pending := make(map[int]outcome)
	next := 0
	for out := range outs {
		pending[out.seq] = out
		for {
			o, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			st.add(o, log)
			if o.emit && ctx.Err() == nil {
				fn(o.res)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return st, err
	}
	if walkErr != nil {
		return st, walkErr
	}
	select {
	case <-d.ready:
		return st, d.err // an invalid Options.Extra pattern
	default:
		return st, nil
	}
}

// find sends the candidate files under roots to jobs, in order. On a large
// tree, listing the directories costs more than matching the few licence
// files in them; listing them ahead on several goroutines was measured and
// gained nothing on the benchmark machine (bench/licenses/README.md), so
// one goroutine walks.
func (d *Detector) find(ctx context.Context, roots []string, o WalkOptions, jobs chan<- job, log *slog.Logger) error {
	headers := o.Headers
	seq := 0
	send := func(path string, header bool) error {
		if seq == 0 {
			d.BuildAhead() // overlap the build with the rest of the walk
		}
		select {
		case jobs <- job{seq: seq, path: path, header: header}:
			seq++
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for _, root := range roots {
		fi, err := os.Stat(root)
		if err != nil {
			return fmt.Errorf("licence detection: %w", err)
		}
		if !fi.IsDir() {
			if err := send(root, false); err != nil {
				return err
			}
			continue
		}
		err = filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				log.Debug("licence detection: skip", "path", path, "err", err)
				return nil // the entry is skipped; WalkDir goes on
			}
			if e.IsDir() {
				if path != root && (skipDirs[e.Name()] || (o.SkipDir != nil && o.SkipDir(path, e.Name()))) {
					return filepath.SkipDir
				}
				return ctx.Err()
			}
			if !e.Type().IsRegular() && e.Type()&fs.ModeSymlink == 0 {
				return nil
			}
			switch {
			case IsLicensePath(path):
				return send(path, false)
			case headers && isSourceFile(e.Name()):
				return send(path, true)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// work reads and matches one file.
func (d *Detector) work(ctx context.Context, j job, lines int) outcome {
	out := outcome{seq: j.seq}
	n := 0
	if j.header {
		n = lines
	}
	text, read, err := readText(j.path, d.maxSize, n)
	out.n = read
	if err != nil {
		out.err = err
		return out
	}
	out.res, err = d.match(ctx, text)
	if err != nil {
		out.err = err
		return out
	}
	out.res.Path = j.path
	out.emit = !j.header || len(out.res.Matches) > 0
	return out
}

func (st *Stats) add(o outcome, log *slog.Logger) {
	switch {
	case o.err == nil:
		st.Files++
		st.Bytes += o.n
		if o.res.Recognised() {
			st.Recognised++
		}
		return
	case errors.Is(o.err, ErrBinary):
		st.Binary++
	case errors.Is(o.err, ErrTooLarge):
		st.TooLarge++
	case errors.Is(o.err, context.Canceled), errors.Is(o.err, context.DeadlineExceeded):
		return
	default:
		st.Errors++
	}
	log.Debug("licence detection: skip", "err", o.err)
}
