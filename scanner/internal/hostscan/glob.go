package hostscan

import (
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// resolution is one glob or path hit: the path it was reached by, and the node it resolves to.
type resolution struct {
	access string
	real   int32
}

// searchGlob returns every entry matching a doublestar pattern, with the semantics of stereoscope's
// indexed search (the one syft's directory resolver uses): each entry is tested at its real path first,
// then through the paths of symlinks to its ancestors; symlinks are followed to what they point at; each
// access path appears once. Results are sorted: hits at their real path first, then by access path.
// Directories are kept; the resolver drops them.
func (t *tree) searchGlob(pattern string) []resolution {
	var out []resolution
	for _, alt := range expandBraces(pattern) {
		out = t.searchAlternative(alt, out)
	}
	seen := make(map[string]bool, len(out))
	uniq := out[:0]
	for _, r := range out {
		if seen[r.access] {
			continue
		}
		seen[r.access] = true
		uniq = append(uniq, r)
	}
	sort.SliceStable(uniq, func(i, j int) bool {
		ri, rj := uniq[i].access == t.nodes[uniq[i].real].path, uniq[j].access == t.nodes[uniq[j].real].path
		if ri != rj {
			return ri
		}
		return uniq[i].access < uniq[j].access
	})
	return uniq
}

// searchAlternative searches one brace-free pattern, appending to out.
func (t *tree) searchAlternative(glob string, out []resolution) []resolution {
	if !hasMeta(glob) {
		p := cleanRequest(glob)
		if id, ok := t.resolve(p, true); ok {
			out = append(out, resolution{access: p, real: id})
		}
		return out
	}
	if strings.Contains(glob, `\`) {
		// escapes: no index can be trusted to read the pattern the way doublestar does
		return t.matchCandidates(glob, "", t.allNodes(), out)
	}
	dir, last := splitLast(glob)
	switch {
	case !hasMeta(last):
		return t.matchCandidates(glob, last, t.byBase[last], out)
	case isExtGlob(last):
		return t.matchCandidates(glob, last, t.byExt[last[2:]], out)
	case last == "*":
		if _, parent := splitLast(dir); parent != "" && !hasMeta(parent) {
			return t.matchCandidates(glob, last, t.childrenOfDirsNamed(parent), out)
		}
	case strings.Contains(last, "**"):
		return t.matchCandidates(glob, "", t.allNodes(), out)
	}
	return t.matchCandidates(glob, last, t.basenameGlob(last), out)
}

// matchCandidates tests candidates against glob (and, when their basename can match last, through symlinked
// ancestors) and appends a resolution for each hit.
func (t *tree) matchCandidates(glob, last string, candidates []int32, out []resolution) []resolution {
	for _, c := range candidates {
		access, ok := t.firstMatch(glob, last, c)
		if !ok {
			continue
		}
		id := c
		if t.nodes[c].kind == kindLink {
			if id, ok = t.resolve(t.nodes[c].path, true); !ok {
				continue // dangling or looping
			}
		}
		out = append(out, resolution{access: access, real: id})
	}
	return out
}

// firstMatch returns the first path to node c that glob matches: its own path, else a path through a
// symlink pointing at one of its ancestors (recursively), as stereoscope's firstPathToNode does.
func (t *tree) firstMatch(glob, last string, c int32) (string, bool) {
	p := t.nodes[c].path
	if doublestar.MatchUnvalidated(glob, p) {
		return p, true
	}
	if last != "" {
		// aliases only change directories, so a basename the last segment rejects can never match
		if !doublestar.MatchUnvalidated(last, t.nodes[c].name()) {
			return "", false
		}
	}
	observed := map[string]bool{}
	return t.aliasMatch(glob, p, "", observed, true)
}

// aliasMatch tests base+suffix, then the same path with each ancestor of base replaced by a symlink to it.
func (t *tree) aliasMatch(glob, base, suffix string, observed map[string]bool, first bool) (string, bool) {
	full := base + suffix
	if observed[full] {
		return "", false
	}
	observed[full] = true
	if !first && doublestar.MatchUnvalidated(glob, full) {
		if _, ok := t.resolve(full, false); ok {
			return full, true
		}
	}
	for i := 1; i <= len(base); i++ {
		if i < len(base) && base[i] != '/' {
			continue
		}
		dir := base[:i]
		if observed[dir] {
			continue
		}
		observed[dir] = true
		id, ok := t.lookup(dir)
		if !ok {
			continue
		}
		for _, l := range t.linkBackrefs(id) {
			if a, ok := t.aliasMatch(glob, t.nodes[l].path, full[i:], observed, false); ok {
				return a, true
			}
		}
	}
	return "", false
}

// allNodes returns every node but the root.
func (t *tree) allNodes() []int32 {
	ids := make([]int32, 0, len(t.nodes)-1)
	for i := 1; i < len(t.nodes); i++ {
		ids = append(ids, int32(i))
	}
	return ids
}

// childrenOfDirsNamed returns the entries of every directory named name (symlinks to directories
// included, listed at the directory they point to), each directory once.
func (t *tree) childrenOfDirsNamed(name string) []int32 {
	var ids []int32
	listed := map[int32]bool{}
	for _, c := range t.byBase[name] {
		d, ok := t.resolve(t.nodes[c].path, true)
		if !ok || t.nodes[d].kind != kindDir || listed[d] {
			continue
		}
		listed[d] = true
		ids = append(ids, t.nodes[d].children...)
	}
	return ids
}

// basenameGlob returns the nodes whose basename matches a one-segment glob, narrowing the sorted basename
// list by the glob's literal prefix and literal pieces before matching.
func (t *tree) basenameGlob(seg string) []int32 {
	prefix, pieces := literalPieces(seg)
	lo := sort.SearchStrings(t.bases, prefix)
	var ids []int32
	for _, b := range t.bases[lo:] {
		if !strings.HasPrefix(b, prefix) {
			break
		}
		if !containsInOrder(b[len(prefix):], pieces) {
			continue
		}
		if doublestar.MatchUnvalidated(seg, b) {
			ids = append(ids, t.byBase[b]...)
		}
	}
	return ids
}

// literalPieces splits a one-segment glob into its literal prefix and the literal runs after it.
func literalPieces(seg string) (string, []string) {
	var pieces []string
	var cur strings.Builder
	prefix, inPrefix := "", true
	flush := func() {
		if inPrefix {
			prefix, inPrefix = cur.String(), false
		} else if cur.Len() > 0 {
			pieces = append(pieces, cur.String())
		}
		cur.Reset()
	}
	for i := 0; i < len(seg); i++ {
		switch seg[i] {
		case '*', '?':
			flush()
		case '[':
			flush()
			if j := strings.IndexByte(seg[i+1:], ']'); j >= 0 {
				i += j + 1
			}
		default:
			cur.WriteByte(seg[i])
		}
	}
	if inPrefix {
		return cur.String(), nil
	}
	if cur.Len() > 0 {
		pieces = append(pieces, cur.String())
	}
	return prefix, pieces
}

func containsInOrder(s string, pieces []string) bool {
	for _, p := range pieces {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return true
}

// isExtGlob reports whether a segment is "*.ext" with a plain, dot-free extension.
func isExtGlob(seg string) bool {
	return strings.HasPrefix(seg, "*.") && len(seg) > 2 && !hasMeta(seg[2:]) && !strings.Contains(seg[2:], ".")
}

// splitLast splits a pattern at its last slash.
func splitLast(p string) (dir, last string) {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return "", p
	}
	return p[:i], p[i+1:]
}

// expandBraces returns the brace-free alternatives of a doublestar pattern: "a/{b,c/d}" gives "a/b" and
// "a/c/d". Nested groups expand too; brackets and escapes are kept as they are.
func expandBraces(p string) []string {
	start := -1
	depth := 0
	var commas []int
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '[':
			if j := strings.IndexByte(p[i+1:], ']'); j >= 0 {
				i += j + 1
			}
		case '{':
			if depth == 0 {
				start = i
				commas = commas[:0]
			}
			depth++
		case ',':
			if depth == 1 {
				commas = append(commas, i)
			}
		case '}':
			if depth == 0 {
				continue
			}
			depth--
			if depth > 0 {
				continue
			}
			prefix, suffix := p[:start], p[i+1:]
			bounds := append(append([]int{start}, commas...), i)
			var out []string
			for k := 0; k+1 < len(bounds); k++ {
				option := p[bounds[k]+1 : bounds[k+1]]
				out = append(out, expandBraces(prefix+option+suffix)...)
			}
			return out
		}
	}
	return []string{p}
}
