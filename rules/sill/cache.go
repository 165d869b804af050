package sill

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/internal/atomicfile"
)

// DefaultURL is the live SILL export that Cache.Update downloads.
const DefaultURL = "https://code.gouv.fr/sill/api/sill.json"

// Limits of Cache.Update.
const (
	// DefaultMaxBytes caps a download, and what Load reads: 64 MiB. The
	// live export weighed a few megabytes in 2026 (about 670 entries).
	DefaultMaxBytes int64 = 64 << 20
	// DefaultMinEntries is the fewest entries a download may have to
	// replace the cached copy: an export of a handful of entries is a
	// broken server, not the SILL (240 entries in 2022, about 670 in 2026).
	DefaultMinEntries = 100
	// DefaultTimeout bounds a whole download when Cache.Client is nil.
	// Callers bound it further with the context.
	DefaultTimeout = 2 * time.Minute
)

// Names of the files in Cache.Dir. The data file's name carries the first
// 16 hex digits of its SHA-256, and the metadata file names it: renaming
// the metadata file into place is the single step that switches the cache
// from one copy to the next, so that a failure or a crash at any point
// leaves a complete, consistent copy behind.
const (
	metaFile       = "sill-meta.json"
	dataFilePrefix = "sill-"
	dataFileSuffix = ".json"
	tempPattern    = ".sill-*.tmp"
)

// metaFormat is the version of the metadata file's format.
const metaFormat = 1

// Cache is the copy of the live SILL export in the user's cache directory.
// The zero value uses the defaults.
type Cache struct {
	// Dir is the directory holding the cached copy and its metadata.
	// Empty means DefaultDir().
	Dir string
	// URL is the export to download. Empty means DefaultURL.
	URL string
	// Client makes the request. Nil means a client whose Timeout is
	// DefaultTimeout.
	Client *http.Client
	// MaxBytes caps the size of a download. 0 means DefaultMaxBytes.
	MaxBytes int64
	// MinEntries is the fewest entries a download needs to be kept.
	// 0 means DefaultMinEntries.
	MinEntries int
	// Now returns the current time. Nil means time.Now; tests set it.
	Now func() time.Time
}

// Metadata describes the cached copy. It is stored as JSON in
// Dir/sill-meta.json, next to the copy it names.
type Metadata struct {
	// Format is the version of this structure, currently 1.
	Format int `json:"format"`
	// URL is where the copy was downloaded from.
	URL string `json:"url"`
	// File is the name of the copy in the cache directory, e.g.
	// "sill-0123456789abcdef.json".
	File string `json:"file"`
	// ETag is the server's entity tag for the copy, sent back in
	// If-None-Match; empty when the server gave none.
	ETag string `json:"etag,omitempty"`
	// LastModified is the server's Last-Modified header, verbatim, sent
	// back in If-Modified-Since; empty when the server gave none.
	LastModified string `json:"lastModified,omitempty"`
	// FetchedAt is when the copy was downloaded (UTC).
	FetchedAt time.Time `json:"fetchedAt"`
	// CheckedAt is when the server last confirmed the copy was current:
	// FetchedAt, or the time of the latest 304 Not Modified.
	CheckedAt time.Time `json:"checkedAt"`
	// Entries is the copy's number of entries.
	Entries int `json:"entries"`
	// Size is the copy's size in bytes.
	Size int64 `json:"size"`
	// SHA256 is the hex SHA-256 of the copy.
	SHA256 string `json:"sha256"`
}

// DataDate returns the date of the cached data: Last-Modified when the
// server sent one, else the download time.
func (m Metadata) DataDate() time.Time {
	if t, err := http.ParseTime(m.LastModified); err == nil {
		return t.UTC()
	}
	return m.FetchedAt.UTC()
}

// UpdateResult says what Cache.Update did.
type UpdateResult struct {
	// NotModified is true when the server answered 304 Not Modified: the
	// cached copy is current.
	NotModified bool
	// Changed is true when a new copy with different content replaced the
	// cached one (or was cached for the first time). It is false after a
	// 304, and after a 200 whose content is the same as the cached copy.
	Changed bool
	// Path is the cached copy's file.
	Path string
	// Meta is the cache's metadata after the update.
	Meta Metadata
	// Previous is the metadata before the update; nil when there was no
	// cached copy.
	Previous *Metadata
}

// DefaultDir returns the default cache directory: "sillage/sill" under
// os.UserCacheDir (e.g. ~/.cache/sillage/sill on Linux).
func DefaultDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the user cache directory: %w", err)
	}
	return filepath.Join(base, "sillage", "sill"), nil
}

func (c Cache) dir() (string, error) {
	if c.Dir != "" {
		return c.Dir, nil
	}
	return DefaultDir()
}

func (c Cache) url() string {
	if c.URL != "" {
		return c.URL
	}
	return DefaultURL
}

func (c Cache) now() time.Time {
	if c.Now != nil {
		return c.Now().UTC()
	}
	return time.Now().UTC()
}

func (c Cache) client() *http.Client {
	if c.Client != nil {
		return c.Client
	}
	return &http.Client{Timeout: DefaultTimeout}
}

func (c Cache) maxBytes() int64 {
	if c.MaxBytes > 0 {
		return c.MaxBytes
	}
	return DefaultMaxBytes
}

func (c Cache) minEntries() int {
	if c.MinEntries > 0 {
		return c.MinEntries
	}
	return DefaultMinEntries
}

// Metadata returns the metadata of the cached copy. The error wraps
// fs.ErrNotExist when there is no cached copy.
func (c Cache) Metadata() (Metadata, error) {
	dir, err := c.dir()
	if err != nil {
		return Metadata{}, fmt.Errorf("%w: %w", fs.ErrNotExist, err)
	}
	return readMeta(dir)
}

func readMeta(dir string) (Metadata, error) {
	path := filepath.Join(dir, metaFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return Metadata{}, fmt.Errorf("SILL cache: %w", err)
	}
	var m Metadata
	if err := json.Unmarshal(data, &m); err != nil {
		return Metadata{}, fmt.Errorf("SILL cache %s: %w", path, err)
	}
	if m.Format != metaFormat {
		return Metadata{}, fmt.Errorf("SILL cache %s: format %d, want %d", path, m.Format, metaFormat)
	}
	if m.File == "" || m.File != filepath.Base(m.File) || !strings.HasPrefix(m.File, dataFilePrefix) {
		return Metadata{}, fmt.Errorf("SILL cache %s: bad file name %q", path, m.File)
	}
	return m, nil
}

// Load returns the cached copy of the live export, checked against its
// metadata (size and SHA-256) and validated. The error wraps fs.ErrNotExist
// when there is no cached copy (or no cache directory can be found).
func (c Cache) Load() (*Catalog, error) {
	dir, err := c.dir()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", fs.ErrNotExist, err)
	}
	m, err := readMeta(dir)
	if err != nil {
		return nil, err
	}
	cat, _, err := loadCached(dir, m)
	if err != nil {
		// An update running at the same time may have replaced the copy
		// between the two reads: read the metadata again, once.
		if m2, err2 := readMeta(dir); err2 == nil && m2.File != m.File {
			cat, _, err = loadCached(dir, m2)
		}
	}
	return cat, err
}

// loadCached reads and checks the copy m names, returning it and its bytes.
func loadCached(dir string, m Metadata) (*Catalog, []byte, error) {
	path := filepath.Join(dir, m.File)
	data, err := os.ReadFile(path)
	if err != nil {
		// Not %w: a copy missing behind its metadata is a broken cache,
		// not an absent one (fs.ErrNotExist), and must not be ignored.
		return nil, nil, fmt.Errorf("SILL cache: %v", err)
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); int64(len(data)) != m.Size || got != m.SHA256 {
		return nil, nil, fmt.Errorf("SILL cache %s: content does not match its metadata (sha256 %s, want %s)", path, got, m.SHA256)
	}
	date := m.DataDate()
	cat, err := decode(data, Source{
		Kind:      SourceCache,
		Path:      path,
		URL:       m.URL,
		Date:      date,
		Version:   date.Format(time.DateOnly),
		FetchedAt: m.FetchedAt.UTC(),
	})
	if err != nil {
		return nil, nil, fmt.Errorf("SILL cache %s: %w", path, err)
	}
	return cat, data, nil
}

// Update downloads the live export into the cache. It sends the cached
// copy's ETag (If-None-Match) and Last-Modified (If-Modified-Since) so that
// an unchanged export costs a 304. A 200 response is read (up to MaxBytes),
// validated as Load does and required to have MinEntries entries before
// it is written, atomically, with its metadata. On any failure (network
// error, HTTP error status, truncated or oversized body, invalid content,
// cancelled ctx) the error says what went wrong and the previous copy and
// metadata are left as they were. ctx bounds the whole download.
func (c Cache) Update(ctx context.Context) (UpdateResult, error) {
	dir, err := c.dir()
	if err != nil {
		return UpdateResult{}, err
	}
	url := c.url()
	var res UpdateResult
	var prev *Metadata
	if m, err := readMeta(dir); err == nil {
		if _, _, err := loadCached(dir, m); err == nil {
			prev = &m // only a valid copy may be kept on a 304
		}
	}
	res.Previous = prev

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return res, sillage.WithHint(sillage.InvalidInput(fmt.Errorf("SILL URL %q: %w", url, err)),
			"pass an http(s) URL to --url, e.g. "+DefaultURL)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "sillage (+https://github.com/sillage-oss/sillage)")
	conditional := prev != nil && prev.URL == url
	if conditional {
		if prev.ETag != "" {
			req.Header.Set("If-None-Match", prev.ETag)
		}
		if prev.LastModified != "" {
			req.Header.Set("If-Modified-Since", prev.LastModified)
		}
	}
	resp, err := c.client().Do(req)
	if err != nil {
		return res, downloadError(ctx, url, err)
	}
	defer resp.Body.Close()

	switch {
	case resp.StatusCode == http.StatusNotModified && conditional:
		m := *prev
		m.CheckedAt = c.now()
		if err := writeFileAtomic(dir, metaFile, mustJSON(m)); err != nil {
			return res, fmt.Errorf("SILL cache: %w", err)
		}
		res.NotModified, res.Path, res.Meta = true, filepath.Join(dir, m.File), m
		return res, nil
	case resp.StatusCode != http.StatusOK:
		return res, sillage.WithHint(fmt.Errorf("download SILL from %s: HTTP %s", url, resp.Status),
			"try again later; the cached or embedded catalogue stays in use")
	}

	limit := c.maxBytes()
	if resp.ContentLength > limit {
		return res, fmt.Errorf("download SILL from %s: %d bytes, more than the %d-byte limit", url, resp.ContentLength, limit)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return res, downloadError(ctx, url, fmt.Errorf("read body: %w", err))
	}
	if int64(len(body)) > limit {
		return res, fmt.Errorf("download SILL from %s: more than the %d-byte limit", url, limit)
	}
	if err := ctx.Err(); err != nil {
		return res, downloadError(ctx, url, err)
	}
	now := c.now()
	cat, err := decode(body, Source{Kind: SourceCache, URL: url})
	if err != nil {
		return res, sillage.WithHint(fmt.Errorf("download SILL from %s: %w", url, err),
			"the server did not send a SILL export; check --url, or try again later")
	}
	if n := len(cat.Software); n < c.minEntries() {
		return res, fmt.Errorf("download SILL from %s: %w: %d entries, fewer than the %d expected", url, ErrInvalid, n, c.minEntries())
	}
	m := Metadata{
		Format:       metaFormat,
		URL:          url,
		File:         dataFilePrefix + cat.Source.SHA256[:16] + dataFileSuffix,
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		FetchedAt:    now,
		CheckedAt:    now,
		Entries:      len(cat.Software),
		Size:         int64(len(body)),
		SHA256:       cat.Source.SHA256,
	}
	res.Changed = prev == nil || prev.SHA256 != m.SHA256
	if !res.Changed {
		m.FetchedAt = prev.FetchedAt // same content: keep when it was first fetched
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return res, fmt.Errorf("SILL cache: %w", err)
	}
	if res.Changed {
		if err := writeFileAtomic(dir, m.File, body); err != nil {
			return res, fmt.Errorf("SILL cache: %w", err)
		}
	}
	if err := writeFileAtomic(dir, metaFile, mustJSON(m)); err != nil {
		if res.Changed && (prev == nil || prev.File != m.File) {
			os.Remove(filepath.Join(dir, m.File))
		}
		return res, fmt.Errorf("SILL cache: %w", err)
	}
	if prev != nil && prev.File != m.File {
		os.Remove(filepath.Join(dir, prev.File))
	}
	removeStale(dir, m.File, now)
	res.Path, res.Meta = filepath.Join(dir, m.File), m
	return res, nil
}

// downloadError wraps err, making sure a cancelled or expired ctx shows in
// the chain (errors.Is(err, context.DeadlineExceeded)).
func downloadError(ctx context.Context, url string, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("download SILL from %s: %w (%v)", url, cerr, err)
	}
	return fmt.Errorf("download SILL from %s: %w", url, err)
}

func mustJSON(v any) []byte {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err) // Metadata always marshals
	}
	return append(b, '\n')
}

// writeFileAtomic writes data to dir/name through a synced temporary file
// in dir, renamed over name.
func writeFileAtomic(dir, name string, data []byte) error {
	return atomicfile.Write(filepath.Join(dir, name), data, tempPattern)
}

// staleAfter is how old a copy or temporary file that the metadata does
// not name must be before Update removes it: younger ones may belong to
// an update running concurrently.
const staleAfter = time.Hour

// removeStale deletes the copies other than keep, and temporary files,
// that are older than staleAfter, and the copy the metadata named before
// (any age). Errors are ignored: stale files only cost disk space.
func removeStale(dir, keep string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		isData := strings.HasPrefix(name, dataFilePrefix) && strings.HasSuffix(name, dataFileSuffix) && name != metaFile
		isTemp := strings.HasPrefix(name, ".sill-") && strings.HasSuffix(name, ".tmp")
		if name == keep || !(isData || isTemp) || e.IsDir() {
			continue
		}
		info, err := e.Info()
		if err != nil || now.Sub(info.ModTime()) < staleAfter {
			continue
		}
		os.Remove(filepath.Join(dir, name))
	}
}
