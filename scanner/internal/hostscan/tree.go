package hostscan

import (
	"path"
	"sort"
	"strings"
	"sync"
)

// kind is what a walked directory entry is. Devices, fifos and sockets are never recorded.
type kind uint8

const (
	kindDir kind = iota + 1
	kindFile
	kindLink
)

// maxLinkHops bounds symlink resolution, as the kernel's ELOOP limit (40) does; loops end here.
const maxLinkHops = 40

// node is one walked entry.
type node struct {
	path     string  // in-root absolute slash path: "/" for the root, "/usr/bin/ls"
	link     string  // raw symlink target as readlink returned it (kindLink only)
	children []int32 // entries of a directory, in no particular order (kindDir only)
	parent   int32   // the directory holding this entry; the root is its own parent
	kind     kind
}

func (n *node) name() string { return path.Base(n.path) }

// tree is the in-memory index of a root filesystem, built by one walk. It is read-only once built,
// except for the lazily built indexes below, which are guarded by their sync.Once.
type tree struct {
	root   string // the native directory walked (symlinks evaluated)
	nodes  []node
	byPath map[string]int32

	byBase map[string][]int32 // basename -> every node with it (any kind)
	byExt  map[string][]int32 // last extension without the dot ("jar" for a.b.jar) -> nodes
	bases  []string           // sorted unique basenames, for basename globs

	backrefsOnce sync.Once
	backrefs     map[int32][]int32 // node -> symlinks whose target (one hop) is that node, sorted by path

	mime *mimeCache
}

const rootID int32 = 0

// childPath joins an in-root directory path and an entry name.
func childPath(dir, name string) string {
	if dir == "/" {
		return "/" + name
	}
	return dir + "/" + name
}

// buildIndexes fills byBase, byExt and bases from nodes.
func (t *tree) buildIndexes() {
	t.byBase = make(map[string][]int32, len(t.nodes)/2)
	t.byExt = make(map[string][]int32, 1024)
	for i := range t.nodes {
		if i == int(rootID) {
			continue
		}
		name := t.nodes[i].name()
		t.byBase[name] = append(t.byBase[name], int32(i))
		if dot := strings.LastIndexByte(name, '.'); dot >= 0 && dot < len(name)-1 {
			ext := name[dot+1:]
			t.byExt[ext] = append(t.byExt[ext], int32(i))
		}
	}
	t.bases = make([]string, 0, len(t.byBase))
	for b := range t.byBase {
		t.bases = append(t.bases, b)
	}
	sort.Strings(t.bases)
}

// lookup returns the node at an exact in-root path, following no symlink.
func (t *tree) lookup(p string) (int32, bool) {
	id, ok := t.byPath[p]
	return id, ok
}

// resolve returns the node that in-root path p names, with chroot semantics: every symlink met on the way
// is followed (the last component only when followLast is set), an absolute link target starts again at the
// root, and ".." never climbs above the root. It fails for a missing component, a symlink loop or a chain
// longer than maxLinkHops.
func (t *tree) resolve(p string, followLast bool) (int32, bool) {
	// fast path: a recorded path was reached by the walk through real directories only
	if id, ok := t.byPath[p]; ok && (t.nodes[id].kind != kindLink || !followLast) {
		return id, true
	}
	cur := rootID
	hops := 0
	rest := p
	// pending holds the components still to walk, as a stack of strings (link targets are pushed in front)
	var pending []string
	for {
		var comp string
		if rest == "" {
			if len(pending) == 0 {
				return cur, true
			}
			rest, pending = pending[len(pending)-1], pending[:len(pending)-1]
			continue
		}
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			comp, rest = rest[:i], rest[i+1:]
		} else {
			comp, rest = rest, ""
		}
		switch comp {
		case "", ".":
			continue
		case "..":
			cur = t.nodes[cur].parent
			continue
		}
		if t.nodes[cur].kind != kindDir {
			return 0, false
		}
		child, ok := t.byPath[childPath(t.nodes[cur].path, comp)]
		if !ok {
			return 0, false
		}
		last := rest == "" && len(pending) == 0
		if t.nodes[child].kind == kindLink && (!last || followLast) {
			hops++
			if hops > maxLinkHops {
				return 0, false
			}
			target := t.nodes[child].link
			if rest != "" {
				pending = append(pending, rest)
			}
			rest = target
			if strings.HasPrefix(target, "/") {
				cur = rootID
			}
			continue
		}
		cur = child
	}
}

// linkBackrefs returns, for a node, the symlinks whose target (one hop, ancestors followed) is that node,
// sorted by path. It is built on first use.
func (t *tree) linkBackrefs(id int32) []int32 {
	t.backrefsOnce.Do(func() {
		t.backrefs = make(map[int32][]int32)
		for i := range t.nodes {
			n := &t.nodes[i]
			if n.kind != kindLink {
				continue
			}
			target := n.link
			if !strings.HasPrefix(target, "/") {
				target = childPath(path.Dir(n.path), target)
			}
			dest, ok := t.resolve(target, false)
			if !ok || dest == int32(i) {
				continue
			}
			t.backrefs[dest] = append(t.backrefs[dest], int32(i))
		}
		for _, links := range t.backrefs {
			sort.Slice(links, func(a, b int) bool { return t.nodes[links[a]].path < t.nodes[links[b]].path })
		}
	})
	return t.backrefs[id]
}

// cleanRequest turns a path asked for by a cataloger into a clean in-root absolute path.
func cleanRequest(p string) string {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return path.Clean(p)
}
