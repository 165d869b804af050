package hostscan

import (
	"context"
	"io"
	"strings"
	"sync"

	"github.com/gabriel-vasile/mimetype"
)

// sniffLen is how much of a file gabriel-vasile/mimetype looks at (its default read limit), so sniffing
// this many bytes gives the type stereoscope's directory index would record.
const sniffLen = 3072

// executableTypes are the MIME types of executables, as syft's catalogers ask for them.
var executableTypes = map[string]bool{
	"application/x-executable":                      true,
	"application/x-mach-binary":                     true,
	"application/x-elf":                             true,
	"application/x-sharedlib":                       true,
	"application/vnd.microsoft.portable-executable": true,
}

// notExecutableExts are file name extensions of text, source, document, image, font, compressed, archive
// and object formats. A query for executables does not open files named so: opening each file is most of
// the cost of that query on a host (on this project's benchmark roots, 336k of 363k files of a developer
// machine and 28k of 41k of a Debian server rootfs carry one of these extensions, and none of them is an
// ELF, PE or Mach-O executable or library; the only ELF files among them are relocatable objects, which
// are not an executable type anyway). A file is still sniffed fully when its own metadata is asked for.
var notExecutableExts = toSet(`py pyi pyc pyo pyx pxd rb pl pm pod php js mjs cjs ts jsx tsx json yaml yml toml ini cfg
conf xml xsd xsl html htm xhtml css scss md rst txt csv tex h hh hpp hxx c cc cpp cxx go rs java kt scala cs swift lua tcl
sh bash zsh fish sql properties mo po pot gmo desktop service svg png jpg jpeg gif bmp ico tif tiff webp xpm ttf otf woff
woff2 pfb afm pcf gz xz bz2 zst lz lzma zip jar war whl egg tar tgz deb rpm 7z bc o a mod sum vim el elc tmpl erb`)

func toSet(words string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(words) {
		set[w] = true
	}
	return set
}

// mayBeExecutable reports whether a file name leaves open that the file is an executable.
func mayBeExecutable(name string) bool {
	dot := strings.LastIndexByte(name, '.')
	if dot <= 0 || dot == len(name)-1 {
		return true
	}
	return !notExecutableExts[strings.ToLower(name[dot+1:])]
}

// mimeCache sniffs MIME types on demand and remembers them. Asking only for executable types (every
// binary cataloger does) reads the first bytes of each regular file that mayBeExecutable and runs the
// detector only on ELF, PE and Mach-O magic, since mimetype can only answer an executable type after one
// of those; asking for any other type sniffs every regular file fully, once.
type mimeCache struct {
	t           *tree
	parallelism int

	execOnce sync.Once
	fullOnce sync.Once
	mu       sync.Mutex
	types    []string // per node; "" = not sniffed, or empty, or not executable when only execOnce ran
	full     []bool   // per node: types[i] is the complete answer
}

func newMIMECache(t *tree, parallelism int) *mimeCache {
	if parallelism < 1 {
		parallelism = 1
	}
	return &mimeCache{t: t, parallelism: parallelism, types: make([]string, len(t.nodes)), full: make([]bool, len(t.nodes))}
}

// ensure sniffs what answering a query for these types needs. It returns ctx.Err() if cancelled.
func (m *mimeCache) ensure(ctx context.Context, types []string) error {
	onlyExec := true
	for _, ty := range types {
		if !executableTypes[ty] {
			onlyExec = false
		}
	}
	if onlyExec {
		m.execOnce.Do(func() { m.sniffAll(ctx, true) })
	} else {
		m.fullOnce.Do(func() { m.sniffAll(ctx, false) })
	}
	return ctx.Err()
}

// sniffAll sniffs every regular file in parallel. Each node is written by one goroutine only.
func (m *mimeCache) sniffAll(ctx context.Context, execOnly bool) {
	jobs := make(chan int, 256)
	var wg sync.WaitGroup
	for range m.parallelism {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, sniffLen)
			for i := range jobs {
				m.sniffNode(i, execOnly, buf)
			}
		}()
	}
	for i := range m.t.nodes {
		if m.t.nodes[i].kind != kindFile || (execOnly && !mayBeExecutable(m.t.nodes[i].name())) {
			continue
		}
		if i%1024 == 0 && ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
}

// sniffNode sniffs one file unless an earlier full sniff already did.
func (m *mimeCache) sniffNode(i int, execOnly bool, buf []byte) {
	m.mu.Lock()
	done := m.full[i]
	m.mu.Unlock()
	if done {
		return
	}
	ty, complete := sniffFile(nativePath(m.t.root, m.t.nodes[i].path), execOnly, buf)
	m.mu.Lock()
	if !m.full[i] {
		m.types[i], m.full[i] = ty, complete
	}
	m.mu.Unlock()
}

// typeOf returns the full MIME type of one node, sniffing it if needed.
func (m *mimeCache) typeOf(id int32) string {
	m.mu.Lock()
	ty, done := m.types[id], m.full[id]
	m.mu.Unlock()
	if done {
		return ty
	}
	ty, _ = sniffFile(nativePath(m.t.root, m.t.nodes[id].path), false, make([]byte, sniffLen))
	m.mu.Lock()
	m.types[id], m.full[id] = ty, true
	m.mu.Unlock()
	return ty
}

// matching returns the regular-file nodes whose type is one of types, in walk order.
func (m *mimeCache) matching(types []string) []int32 {
	want := map[string]bool{}
	for _, ty := range types {
		want[ty] = true
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var ids []int32
	for i, ty := range m.types {
		if ty != "" && want[ty] {
			ids = append(ids, int32(i))
		}
	}
	return ids
}

// sniffFile returns the MIME type of a file as stereoscope records it ("" for an empty or unreadable
// file), and whether that answer is complete. With execOnly, a file without executable magic gets "",
// false: it is known not to be an executable, and nothing more.
func sniffFile(name string, execOnly bool, buf []byte) (string, bool) {
	f, err := openNoAtime(name, false)
	if err != nil {
		return "", true
	}
	n, _ := io.ReadFull(f, buf)
	_ = f.Close()
	if n == 0 {
		return "", true
	}
	head := buf[:n]
	if execOnly && !executableMagic(head) {
		return "", false
	}
	ty := mimetype.Detect(head).String()
	if i := strings.IndexByte(ty, ';'); i >= 0 {
		ty = ty[:i]
	}
	return ty, true
}

// executableMagic reports whether a file starts like an ELF, PE (MZ) or Mach-O file (thin or fat): the
// only files for which mimetype can return an executable type.
func executableMagic(b []byte) bool {
	if len(b) >= 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F' {
		return true
	}
	if len(b) >= 2 && b[0] == 'M' && b[1] == 'Z' {
		return true
	}
	if len(b) < 4 {
		return false
	}
	be := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	le := uint32(b[3])<<24 | uint32(b[2])<<16 | uint32(b[1])<<8 | uint32(b[0])
	switch {
	case be == 0xfeedface || be == 0xfeedfacf || le == 0xfeedface || le == 0xfeedfacf:
		return true
	case be == 0xcafebabe || be == 0xcafebabf: // fat Mach-O (or a Java class, which mimetype tells apart)
		return true
	}
	return false
}
