package licensedetect

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/licensecheck"

	"github.com/sillage-oss/sillage/internal/atomicfile"
)

// A Cache remembers, from one run to the next, what the matcher found in
// the texts it read, by the SHA-256 of each text. Matching a text again
// costs little, but building the matcher costs about a second of CPU
// (see Detector): a scan whose licence texts are all in the cache never
// builds it. Rescanning the same host or tree, or hosts installed from
// the same packages, finds the same texts.
//
// A Cache belongs to the pattern list of the Detector that opened it,
// together with the licensecheck version that compiled it: both go into a
// fingerprint that names the cache file, so that a new sillage release or
// other Options.Extra never read matches made by another matcher. What is
// cached is licensecheck's raw answer; thresholds and the mapping to SPDX
// ids are applied afresh on every read.
//
// The cache is a single JSON file per fingerprint in a directory of its
// own, loaded when opened and rewritten, merged with what other processes
// wrote meanwhile, by Save. A missing, unreadable or corrupt file is an
// empty cache: the cache only ever saves time. A Cache is safe for
// concurrent use.
type Cache struct {
	dir, file   string
	fingerprint string

	mu      sync.Mutex
	entries map[[32]byte]cachedScan // loaded or saved
	added   map[[32]byte]cachedScan // matched since the last Save
	used    map[[32]byte]bool       // read or added by this process
	loadErr error
}

// cachedScan is licensecheck's answer for one text, as much of it as a
// Result needs.
type cachedScan struct {
	Percent float64       `json:"percent"`
	Matches []cachedMatch `json:"matches,omitempty"`
}

type cachedMatch struct {
	ID    string `json:"id"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	URL   bool   `json:"url,omitempty"`
}

// cacheFile is the layout of a cache file.
type cacheFile struct {
	Format      int                   `json:"format"`
	Fingerprint string                `json:"fingerprint"`
	Texts       map[string]cachedScan `json:"texts"` // hex SHA-256 of the UTF-8 text -> answer
}

const (
	cacheFormat = 1
	// CacheMaxEntries bounds a cache file: about 150 bytes each. A Debian
	// host has one copyright file per package, a Go module cache or a
	// node_modules a few thousand licence files.
	CacheMaxEntries = 100_000
	// cacheMaxBytes is the largest cache file Open reads.
	cacheMaxBytes = 64 << 20
	// cacheStaleAge is how long a cache file of another fingerprint (an
	// older release) is kept after its last write.
	cacheStaleAge = 30 * 24 * time.Hour
	cachePrefix   = "licensecheck-"
	cacheSuffix   = ".json"
	cacheTemp     = ".licensecheck-*.tmp"
)

// licensecheckRequired is the licensecheck version go.mod requires
// (TestLicensecheckRequired keeps the two equal). Binaries record the
// version they link, but test binaries record none.
const licensecheckRequired = "github.com/google/licensecheck@v0.3.1"

// fingerprint identifies what a matcher compiled from list answers: the
// patterns, in order (the first of two equal matches wins), and the
// licensecheck release that compiles and runs them.
//
// Each field is hashed raw behind its length, so that no two lists hash the
// same bytes. (Quoting each field with %q did the same at 40 ms a scan: the
// patterns are 1 MB of text.)
func fingerprint(list []licensecheck.License) string {
	v := licensecheckVersion()
	h := sha256.New()
	fmt.Fprintf(h, "sillage licence cache %d\nlicensecheck %s\n", cacheFormat, v)
	var n [8]byte
	field := func(s string) {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		io.WriteString(h, s)
	}
	for _, l := range list {
		field(l.ID)
		field(l.URL)
		field(l.LRE)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// licensecheckVersion is the licensecheck module linked into this binary,
// from its build information, else the one go.mod requires.
var licensecheckVersion = sync.OnceValue(func() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == "github.com/google/licensecheck" {
				if m.Replace != nil {
					m = m.Replace
				}
				return m.Path + "@" + m.Version
			}
		}
	}
	return licensecheckRequired
})

// OpenCache opens the cache of d's matcher in dir, reading what an earlier
// run saved there. It creates nothing: Save does. It fails only when dir
// is empty or d's patterns cannot be listed. A missing, unreadable or
// corrupt cache file is an empty cache, with the reason in LoadError.
func (d *Detector) OpenCache(dir string) (*Cache, error) {
	if dir == "" {
		return nil, errors.New("licence cache: no directory")
	}
	ps, err := d.setup()
	if err != nil {
		return nil, err
	}
	c := &Cache{
		dir:         dir,
		file:        filepath.Join(dir, cachePrefix+ps.fingerprint[:16]+cacheSuffix),
		fingerprint: ps.fingerprint,
		added:       map[[32]byte]cachedScan{},
		used:        map[[32]byte]bool{},
	}
	c.entries, c.loadErr = c.read()
	if c.entries == nil {
		c.entries = map[[32]byte]cachedScan{}
	}
	return c, nil
}

// WithCache returns a Detector that shares d's options and matcher and
// reads and fills c. A nil c gives a detector without cache. It panics
// when c was opened by a detector with other patterns.
func (d *Detector) WithCache(c *Cache) *Detector {
	if c != nil {
		if ps, err := d.setup(); err != nil || ps.fingerprint != c.fingerprint {
			panic("licensedetect: WithCache: the cache belongs to a detector with other patterns")
		}
	}
	return &Detector{core: d.core, cache: c}
}

// Path is the cache file.
func (c *Cache) Path() string { return c.file }

// LoadError says why the cache file could not be read when it was opened;
// nil when it was read or did not exist.
func (c *Cache) LoadError() error { return c.loadErr }

// Warm reports whether the cache holds any answer; a nil Cache is cold. A detector whose cache
// is cold builds its matcher ahead, as one without cache does.
func (c *Cache) Warm() bool {
	if c == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)+len(c.added) > 0
}

// Len is the number of texts the cache knows.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries) + len(c.added)
}

func (c *Cache) get(key [32]byte) (licensecheck.Coverage, bool) {
	c.mu.Lock()
	e, ok := c.entries[key]
	if !ok {
		e, ok = c.added[key]
	}
	if ok {
		c.used[key] = true
	}
	c.mu.Unlock()
	if !ok {
		return licensecheck.Coverage{}, false
	}
	cov := licensecheck.Coverage{Percent: e.Percent}
	for _, m := range e.Matches {
		cov.Match = append(cov.Match, licensecheck.Match{ID: m.ID, Start: m.Start, End: m.End, IsURL: m.URL})
	}
	return cov, true
}

func (c *Cache) put(key [32]byte, cov licensecheck.Coverage) {
	e := cachedScan{Percent: cov.Percent}
	for _, m := range cov.Match {
		e.Matches = append(e.Matches, cachedMatch{ID: m.ID, Start: m.Start, End: m.End, URL: m.IsURL})
	}
	c.mu.Lock()
	c.added[key] = e
	c.used[key] = true
	c.mu.Unlock()
}

// Save writes the answers found since the last Save to the cache file,
// merged with what the file holds now (another process may have saved
// meanwhile). The file is replaced in one rename: a reader sees the old
// file or the new one, never a part. Over CacheMaxEntries, the answers
// this process used are kept first. Save does nothing when nothing was
// added, and removes cache files of other fingerprints not written for 30
// days.
func (c *Cache) Save() error {
	c.mu.Lock()
	added := c.added
	used := maps.Clone(c.used)
	c.mu.Unlock()
	if len(added) == 0 {
		return nil
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return fmt.Errorf("licence cache: %w", err)
	}
	merged, _ := c.read() // a file that cannot be read is replaced
	if merged == nil {
		merged = map[[32]byte]cachedScan{}
	}
	for k, v := range added {
		merged[k] = v
	}
	if len(merged) > CacheMaxEntries {
		merged = trim(merged, used, CacheMaxEntries)
	}
	if err := c.write(merged); err != nil {
		return err
	}
	c.mu.Lock()
	for k, v := range added {
		c.entries[k] = v
		delete(c.added, k)
	}
	c.mu.Unlock()
	c.prune()
	return nil
}

// trim keeps at most n entries of m: those in keep first, then the others
// in key order (an arbitrary but stable choice).
func trim(m map[[32]byte]cachedScan, keep map[[32]byte]bool, n int) map[[32]byte]cachedScan {
	out := make(map[[32]byte]cachedScan, n)
	var rest [][32]byte
	for k, v := range m {
		if keep[k] && len(out) < n {
			out[k] = v
		} else if !keep[k] {
			rest = append(rest, k)
		}
	}
	slices.SortFunc(rest, func(a, b [32]byte) int { return bytes.Compare(a[:], b[:]) })
	for _, k := range rest {
		if len(out) >= n {
			break
		}
		out[k] = m[k]
	}
	return out
}

// read loads the cache file; a missing file is an empty cache.
func (c *Cache) read() (map[[32]byte]cachedScan, error) {
	f, err := os.Open(c.file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("licence cache: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, cacheMaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("licence cache %s: %w", c.file, err)
	}
	if len(b) > cacheMaxBytes {
		return nil, fmt.Errorf("licence cache %s: over %d bytes", c.file, cacheMaxBytes)
	}
	var cf cacheFile
	if err := json.Unmarshal(b, &cf); err != nil {
		return nil, fmt.Errorf("licence cache %s: %w", c.file, err)
	}
	if cf.Format != cacheFormat || cf.Fingerprint != c.fingerprint {
		return nil, fmt.Errorf("licence cache %s: format %d, fingerprint %.16s: not this matcher's", c.file, cf.Format, cf.Fingerprint)
	}
	out := make(map[[32]byte]cachedScan, len(cf.Texts))
	for h, e := range cf.Texts {
		var k [32]byte
		if n, err := hex.Decode(k[:], []byte(h)); err != nil || n != len(k) || len(h) != 2*len(k) {
			continue
		}
		out[k] = e
	}
	return out, nil
}

// write replaces the cache file with entries, through a temporary file in
// the same directory and a rename.
func (c *Cache) write(entries map[[32]byte]cachedScan) error {
	cf := cacheFile{Format: cacheFormat, Fingerprint: c.fingerprint, Texts: make(map[string]cachedScan, len(entries))}
	for k, v := range entries {
		cf.Texts[hex.EncodeToString(k[:])] = v
	}
	b, err := json.Marshal(cf) // map keys are sorted: the same entries give the same file
	if err != nil {
		return fmt.Errorf("licence cache: %w", err)
	}
	if err := atomicfile.Write(c.file, b, cacheTemp); err != nil {
		return fmt.Errorf("licence cache: %w", err)
	}
	return nil
}

// prune removes the cache files of other fingerprints, and temporary files
// left by interrupted saves, not written for cacheStaleAge.
func (c *Cache) prune() {
	des, err := os.ReadDir(c.dir)
	if err != nil {
		return
	}
	for _, de := range des {
		n := de.Name()
		ours := strings.HasPrefix(n, cachePrefix) && strings.HasSuffix(n, cacheSuffix)
		temp := strings.HasPrefix(n, ".licensecheck-") && strings.HasSuffix(n, ".tmp")
		if (!ours && !temp) || filepath.Join(c.dir, n) == c.file || !de.Type().IsRegular() {
			continue
		}
		if fi, err := de.Info(); err == nil && time.Since(fi.ModTime()) > cacheStaleAge {
			_ = os.Remove(filepath.Join(c.dir, n))
		}
	}
}
