package hostscan

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
)

// walkConfig says what to skip while walking.
type walkConfig struct {
	root        string          // native directory, symlinks evaluated
	exclude     *excluder       // may be nil
	skipDirs    map[string]bool // in-root paths of virtual mounts
	parallelism int             // directory readers
	progress    func(files int) // may be nil; called with the running entry count
}

// walker reads directories in parallel and appends what it finds to one tree. Reading a directory
// (the I/O) happens outside the lock; recording its entries happens under it.
type walker struct {
	cfg  walkConfig
	tree *tree

	mu      sync.Mutex
	cond    *sync.Cond
	queue   []int32 // directories waiting to be read
	active  int     // directories being read
	err     error   // first fatal error (ctx cancellation)
	entries atomic.Int64
	lastRep atomic.Int64
}

// progressEvery is how many entries pass between two progress calls.
const progressEvery = 4096

// walkTree indexes everything under cfg.root with one ReadDir per directory, using the type bits each
// directory entry carries (d_type), so no file is stat'ed or opened. Only symlinks are read (readlink).
// Devices, fifos and sockets are skipped, as are excluded paths and virtual mounts, whose directories
// are never opened. Unreadable directories are skipped silently, as syft skips them.
func walkTree(ctx context.Context, cfg walkConfig) (*tree, error) {
	if cfg.parallelism < 1 {
		cfg.parallelism = 1
	}
	t := &tree{
		root:   cfg.root,
		byPath: make(map[string]int32, 1<<16),
	}
	t.nodes = append(t.nodes, node{path: "/", parent: rootID, kind: kindDir})
	t.byPath["/"] = rootID
	w := &walker{cfg: cfg, tree: t, queue: []int32{rootID}}
	w.cond = sync.NewCond(&w.mu)

	var wg sync.WaitGroup
	for range cfg.parallelism {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.work(ctx)
		}()
	}
	wg.Wait()
	if w.err != nil {
		return nil, w.err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if cfg.progress != nil {
		cfg.progress(len(t.nodes))
	}
	t.buildIndexes()
	return t, nil
}

// work takes directories off the queue until the queue is empty and no reader can add more.
func (w *walker) work(ctx context.Context) {
	for {
		w.mu.Lock()
		for len(w.queue) == 0 && w.active > 0 && w.err == nil {
			w.cond.Wait()
		}
		if len(w.queue) == 0 || w.err != nil {
			w.cond.Broadcast()
			w.mu.Unlock()
			return
		}
		id := w.queue[len(w.queue)-1]
		w.queue = w.queue[:len(w.queue)-1]
		dirPath := w.tree.nodes[id].path
		w.active++
		w.mu.Unlock()

		var entries []walkedEntry
		if err := ctx.Err(); err == nil {
			entries = w.readDir(dirPath)
		}

		w.mu.Lock()
		w.active--
		if err := ctx.Err(); err != nil && w.err == nil {
			w.err = err
		}
		if w.err == nil {
			w.record(id, entries)
		}
		w.cond.Broadcast()
		w.mu.Unlock()
	}
}

// walkedEntry is a directory entry read outside the lock.
type walkedEntry struct {
	path string
	link string
	kind kind
}

// nativePath turns an in-root path into a path on this machine.
func nativePath(root, inRoot string) string {
	if root == "/" && filepath.Separator == '/' {
		return inRoot
	}
	return filepath.Join(root, filepath.FromSlash(inRoot))
}

// readDir lists one directory, dropping what the walk skips.
func (w *walker) readDir(dirPath string) []walkedEntry {
	f, err := openNoAtime(nativePath(w.cfg.root, dirPath), true)
	if err != nil {
		return nil
	}
	des, _ := f.ReadDir(-1) // keep what was read before an error
	_ = f.Close()
	out := make([]walkedEntry, 0, len(des))
	for _, de := range des {
		p := childPath(dirPath, de.Name())
		var k kind
		switch t := de.Type(); {
		case t.IsDir():
			k = kindDir
			if w.cfg.skipDirs[p] {
				continue
			}
		case t.IsRegular():
			k = kindFile
		case t&fs.ModeSymlink != 0:
			k = kindLink
		default: // devices, fifos, sockets
			continue
		}
		if w.cfg.exclude.excluded(p) {
			continue
		}
		e := walkedEntry{path: p, kind: k}
		if k == kindLink {
			target, err := os.Readlink(nativePath(w.cfg.root, p))
			if err != nil {
				continue
			}
			e.link = filepath.ToSlash(target)
		}
		out = append(out, e)
	}
	return out
}

// record adds the entries of directory id to the tree and queues its subdirectories. Caller holds mu.
func (w *walker) record(id int32, entries []walkedEntry) {
	t := w.tree
	children := make([]int32, 0, len(entries))
	for _, e := range entries {
		cid := int32(len(t.nodes))
		t.nodes = append(t.nodes, node{path: e.path, link: e.link, parent: id, kind: e.kind})
		t.byPath[e.path] = cid
		children = append(children, cid)
		if e.kind == kindDir {
			w.queue = append(w.queue, cid)
		}
	}
	t.nodes[id].children = children
	n := w.entries.Add(int64(len(entries)))
	if w.cfg.progress != nil && n-w.lastRep.Load() >= progressEvery {
		w.lastRep.Store(n)
		w.cfg.progress(int(n))
	}
}
