package sill

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sillage-oss/sillage"
)

// liveFixture is testdata/live-sill.json, the body test servers serve.
func liveFixture(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/live-sill.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// exportServer serves body like Catalogi's Express server: with an ETag
// and, when lastModified is set, a Last-Modified header, answering 304 to
// matching conditional requests. It records the requests' headers.
type exportServer struct {
	mu           sync.Mutex
	body         []byte
	etag         string
	lastModified string
	requests     []http.Header
}

func (s *exportServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	body, etag, lm := s.body, s.etag, s.lastModified
	s.requests = append(s.requests, r.Header.Clone())
	s.mu.Unlock()
	if etag != "" {
		w.Header().Set("ETag", etag)
	}
	if lm != "" {
		w.Header().Set("Last-Modified", lm)
	}
	inm, ims := r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
	if (etag != "" && inm == etag) || (etag == "" && lm != "" && ims == lm) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(body)
}

func (s *exportServer) set(body []byte, etag string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.body, s.etag = body, etag
}

func (s *exportServer) lastRequest() http.Header {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[len(s.requests)-1]
}

// clock is a settable time for Cache.Now.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newCache(t *testing.T, url string, clk *clock) Cache {
	return Cache{Dir: t.TempDir(), URL: url, MinEntries: 1, Now: clk.now}
}

// snapshotDir returns every file of dir with its content, to check that
// a failed update changed nothing and left no temporary file.
func snapshotDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(b)
	}
	return out
}

func TestUpdateETag(t *testing.T) {
	body := liveFixture(t)
	srv := &exportServer{body: body, etag: `W/"1c1b-abc"`}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	clk := &clock{time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	c := newCache(t, ts.URL+"/sill/api/sill.json", clk)

	res, err := c.Update(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !res.Changed || res.NotModified || res.Previous != nil {
		t.Errorf("first update: %+v", res)
	}
	if h := srv.lastRequest(); h.Get("If-None-Match") != "" || h.Get("If-Modified-Since") != "" || h.Get("Accept") != "application/json" {
		t.Errorf("first request headers: %v", h)
	}
	got, err := os.ReadFile(res.Path)
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("cached copy differs from the download (%v)", err)
	}
	wantMeta := Metadata{
		Format:    1,
		URL:       c.URL,
		File:      filepath.Base(res.Path),
		ETag:      `W/"1c1b-abc"`,
		FetchedAt: clk.t,
		CheckedAt: clk.t,
		Entries:   7,
		Size:      int64(len(body)),
		SHA256:    res.Meta.SHA256,
	}
	if diff := cmp.Diff(wantMeta, res.Meta); diff != "" {
		t.Errorf("metadata (-want +got):\n%s", diff)
	}
	if m, err := c.Metadata(); err != nil || !cmp.Equal(m, res.Meta) {
		t.Errorf("stored metadata = %+v, %v", m, err)
	}
	if !strings.HasPrefix(wantMeta.File, "sill-"+res.Meta.SHA256[:16]) {
		t.Errorf("file %q not named after its hash", wantMeta.File)
	}

	cat, err := c.Load()
	if err != nil {
		t.Fatal(err)
	}
	wantSrc := Source{
		Kind:      SourceCache,
		Path:      res.Path,
		URL:       c.URL,
		Date:      clk.t, // no Last-Modified: the download time
		Version:   "2026-03-01",
		Entries:   7,
		SHA256:    res.Meta.SHA256,
		FetchedAt: clk.t,
	}
	if diff := cmp.Diff(wantSrc, cat.Source); diff != "" {
		t.Errorf("Source (-want +got):\n%s", diff)
	}
	if ref := cat.Ref(); ref.Name != "sill" || ref.Version != "2026-03-01" || ref.Source != c.URL {
		t.Errorf("Ref() = %+v", ref)
	}
	if d := cat.Source.Describe(); !strings.Contains(d, "live SILL export downloaded from "+c.URL+" on 2026-03-01 10:00 UTC") ||
		!strings.Contains(d, "(7 entries, dated 2026-03-01)") {
		t.Errorf("Describe() = %q", d)
	}

	// Second update: the ETag comes back, the server says 304.
	before := snapshotDir(t, c.Dir)
	clk.t = clk.t.Add(24 * time.Hour)
	res2, err := c.Update(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if h := srv.lastRequest(); h.Get("If-None-Match") != `W/"1c1b-abc"` {
		t.Errorf("second request If-None-Match = %q", h.Get("If-None-Match"))
	}
	if !res2.NotModified || res2.Changed || res2.Path != res.Path {
		t.Errorf("second update: %+v", res2)
	}
	if !res2.Meta.CheckedAt.Equal(clk.t) || !res2.Meta.FetchedAt.Equal(res.Meta.FetchedAt) {
		t.Errorf("after 304: fetched %v, checked %v", res2.Meta.FetchedAt, res2.Meta.CheckedAt)
	}
	after := snapshotDir(t, c.Dir)
	if after[res2.Meta.File] != before[res.Meta.File] || len(after) != 2 {
		t.Errorf("304 changed the copy or left files: %v", slices.Sorted(maps.Keys(after)))
	}
}

func TestUpdateLastModified(t *testing.T) {
	srv := &exportServer{body: liveFixture(t), lastModified: "Sun, 01 Mar 2026 08:00:00 GMT"}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	clk := &clock{time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	c := newCache(t, ts.URL, clk)
	if _, err := c.Update(t.Context()); err != nil {
		t.Fatal(err)
	}
	cat, err := c.Load()
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC); !cat.Source.Date.Equal(want) || cat.Source.Version != "2026-03-01" {
		t.Errorf("date %v, version %q: want Last-Modified %v", cat.Source.Date, cat.Source.Version, want)
	}
	res, err := c.Update(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.lastRequest().Get("If-Modified-Since"); got != "Sun, 01 Mar 2026 08:00:00 GMT" {
		t.Errorf("If-Modified-Since = %q", got)
	}
	if !res.NotModified {
		t.Errorf("second update: %+v", res)
	}
}

func TestUpdateNewContent(t *testing.T) {
	body := liveFixture(t)
	srv := &exportServer{body: body, etag: `"v1"`}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	c := newCache(t, ts.URL, &clock{time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)})
	first, err := c.Update(t.Context())
	if err != nil {
		t.Fatal(err)
	}

	// The export changes: one entry fewer.
	var entries []json.RawMessage
	if err := json.Unmarshal(body, &entries); err != nil {
		t.Fatal(err)
	}
	smaller, _ := json.Marshal(entries[:6])
	srv.set(smaller, `"v2"`)
	res, err := c.Update(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !res.Changed || res.NotModified || res.Meta.Entries != 6 || res.Meta.ETag != `"v2"` || res.Previous == nil || res.Previous.ETag != `"v1"` {
		t.Errorf("update: %+v", res)
	}
	if _, err := os.Stat(first.Path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("previous copy %s not removed: %v", first.Path, err)
	}
	if files := snapshotDir(t, c.Dir); len(files) != 2 {
		t.Errorf("files: %v", slices.Sorted(maps.Keys(files)))
	}
	cat, err := c.Load()
	if err != nil || len(cat.Software) != 6 {
		t.Fatalf("Load: %v", err)
	}

	// The server ignores conditional requests and sends the same bytes:
	// nothing changes but the metadata.
	srv.set(smaller, "")
	res, err = c.Update(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed || res.NotModified || res.Meta.ETag != "" {
		t.Errorf("same content: %+v", res)
	}
}

// TestUpdateFailures checks that every kind of failure returns an error
// and leaves the previous copy and its metadata byte for byte as they
// were, with no temporary file behind.
func TestUpdateFailures(t *testing.T) {
	body := liveFixture(t)
	var objects []json.RawMessage
	if err := json.Unmarshal(body, &objects); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		handler http.HandlerFunc
		cache   func(*Cache)
		ctx     func(context.Context) (context.Context, context.CancelFunc)
		want    string // in the error
		is      error  // in the error's chain, if not nil
	}{
		{
			name:    "HTTP 500",
			handler: func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) },
			want:    "HTTP 500 Internal Server Error",
		},
		{
			name:    "HTTP 404",
			handler: http.NotFound,
			want:    "HTTP 404 Not Found",
		},
		{
			name: "body shorter than Content-Length",
			handler: func(w http.ResponseWriter, r *http.Request) {
				conn, buf, err := w.(http.Hijacker).Hijack()
				if err != nil {
					panic(err)
				}
				fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body))
				buf.Write(body[:len(body)/2])
				buf.Flush()
				conn.Close()
			},
			want: "unexpected EOF",
		},
		{
			name: "chunked body cut off",
			handler: func(w http.ResponseWriter, r *http.Request) {
				conn, buf, err := w.(http.Hijacker).Hijack()
				if err != nil {
					panic(err)
				}
				half := body[:len(body)/2]
				fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n", len(half), half)
				buf.Flush()
				conn.Close()
			},
			want: "unexpected EOF",
		},
		{
			name:    "truncated JSON",
			handler: serve(body[:len(body)-40]),
			want:    "truncated JSON",
			is:      ErrInvalid,
		},
		{
			name:    "array of strings",
			handler: serve([]byte(`["LibreOffice", "Firefox"]`)),
			want:    "entry 0: want a JSON object, got a JSON string",
			is:      ErrInvalid,
		},
		{
			name:    "HTML page with 200",
			handler: serve([]byte("<!DOCTYPE html>\n<html><head><title>Catalogi</title></head><body>Maintenance en cours</body></html>\n")),
			want:    "got HTML or XML, not JSON",
			is:      ErrInvalid,
		},
		{
			name:    "JSON object",
			handler: serve([]byte(`{"message": "Internal error"}`)),
			want:    "got a JSON object",
			is:      ErrInvalid,
		},
		{
			name:    "entry without name",
			handler: serve([]byte(`[{"id": 78, "name": "LibreOffice"}, {"id": 89}]`)),
			want:    `entry 1 (id 89): no "name"`,
			is:      ErrInvalid,
		},
		{
			name:    "too few entries for the default minimum",
			handler: serve(body),
			cache:   func(c *Cache) { c.MinEntries = 0 },
			want:    "7 entries, fewer than the 100 expected",
			is:      ErrInvalid,
		},
		{
			name:    "oversized, announced",
			handler: serve(body),
			cache:   func(c *Cache) { c.MaxBytes = 1000 },
			want:    "more than the 1000-byte limit",
		},
		{
			name: "oversized, chunked",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				for _, o := range objects { // several writes: no Content-Length
					w.Write(o)
					w.(http.Flusher).Flush()
				}
			},
			cache: func(c *Cache) { c.MaxBytes = 1000 },
			want:  "more than the 1000-byte limit",
		},
		{
			name: "304 to an unconditional request",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusNotModified)
			},
			cache: func(c *Cache) { c.URL += "?other" }, // another URL: no conditional headers
			want:  "HTTP 304 Not Modified",
		},
		{
			name:    "slow server: no answer before the deadline",
			handler: blockUntilGone,
			ctx: func(ctx context.Context) (context.Context, context.CancelFunc) {
				return context.WithTimeout(ctx, 50*time.Millisecond)
			},
			want: "context deadline exceeded",
			is:   context.DeadlineExceeded,
		},
		{
			name: "slow server: body stalls past the deadline",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write(body[:100])
				w.(http.Flusher).Flush()
				blockUntilGone(w, r)
			},
			ctx: func(ctx context.Context) (context.Context, context.CancelFunc) {
				return context.WithTimeout(ctx, 50*time.Millisecond)
			},
			want: "context deadline exceeded",
			is:   context.DeadlineExceeded,
		},
		{
			name:    "cancelled",
			handler: blockUntilGone,
			ctx: func(ctx context.Context) (context.Context, context.CancelFunc) {
				ctx, cancel := context.WithCancel(ctx)
				cancel()
				return ctx, cancel
			},
			want: "context canceled",
			is:   context.Canceled,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A good copy first.
			good := httptest.NewServer(&exportServer{body: body, etag: `"good"`})
			defer good.Close()
			c := newCache(t, good.URL, &clock{time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)})
			if _, err := c.Update(t.Context()); err != nil {
				t.Fatal(err)
			}
			before := snapshotDir(t, c.Dir)

			bad := httptest.NewServer(tt.handler)
			defer bad.Close()
			c.URL = bad.URL
			if tt.cache != nil {
				tt.cache(&c)
			}
			ctx, cancel := context.WithCancel(t.Context())
			if tt.ctx != nil {
				ctx, cancel = tt.ctx(t.Context())
			}
			defer cancel()
			_, err := c.Update(ctx)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\ndoes not say %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q is not %v", err, tt.is)
			}
			if diff := cmp.Diff(before, snapshotDir(t, c.Dir)); diff != "" {
				t.Errorf("cache changed (-before +after):\n%s", diff)
			}
			c.URL = good.URL
			if cat, err := c.Load(); err != nil || len(cat.Software) != 7 {
				t.Errorf("previous copy no longer loads: %v", err)
			}
		})
	}
}

func serve(b []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	}
}

// blockUntilGone answers nothing until the client goes away.
func blockUntilGone(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }

func TestUpdateEmptyCacheFailure(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusBadGateway)
	}))
	defer ts.Close()
	c := newCache(t, ts.URL, &clock{time.Now()})
	if _, err := c.Update(t.Context()); err == nil || sillage.HintOf(err) == "" {
		t.Errorf("error %v, hint %q", err, sillage.HintOf(err))
	}
	if files := snapshotDir(t, c.Dir); len(files) != 0 {
		t.Errorf("files left: %v", files)
	}
	if _, err := c.Load(); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load() = %v, want fs.ErrNotExist", err)
	}
	if _, err := c.Metadata(); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Metadata() = %v, want fs.ErrNotExist", err)
	}
}

func TestUpdateBadURL(t *testing.T) {
	c := Cache{Dir: t.TempDir(), URL: "http://[::1", MinEntries: 1}
	if _, err := c.Update(t.Context()); !errors.Is(err, sillage.ErrInvalidInput) {
		t.Errorf("error %v is not ErrInvalidInput", err)
	}
}

// TestUpdateURLChange: conditional headers belong to the URL they came
// from.
func TestUpdateURLChange(t *testing.T) {
	srv := &exportServer{body: liveFixture(t), etag: `"e"`}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	c := newCache(t, ts.URL+"/a", &clock{time.Now()})
	if _, err := c.Update(t.Context()); err != nil {
		t.Fatal(err)
	}
	c.URL = ts.URL + "/b"
	res, err := c.Update(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if h := srv.lastRequest(); h.Get("If-None-Match") != "" {
		t.Errorf("conditional request to a new URL: %v", h)
	}
	if res.NotModified || res.Meta.URL != c.URL {
		t.Errorf("result %+v", res)
	}
}

func TestCacheCorrupt(t *testing.T) {
	ts := httptest.NewServer(&exportServer{body: liveFixture(t), etag: `"e"`})
	defer ts.Close()
	c := newCache(t, ts.URL, &clock{time.Now()})
	res, err := c.Update(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(res.Path, []byte(`[{"id": 1, "name": "tampered"}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = c.Load()
	if err == nil || errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "does not match its metadata") {
		t.Errorf("Load() of a tampered copy = %v", err)
	}
	// Update does not trust the broken copy: no conditional request, and
	// a fresh copy replaces it.
	res2, err := c.Update(t.Context())
	if err != nil || res2.Previous != nil || !res2.Changed {
		t.Fatalf("update over a broken copy: %+v, %v", res2, err)
	}
	if _, err := c.Load(); err != nil {
		t.Errorf("after repair: %v", err)
	}
	// A copy missing behind its metadata is broken, not absent.
	if err := os.Remove(res2.Path); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Load(); err == nil || errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load() with the copy gone = %v, want an error that is not fs.ErrNotExist", err)
	}
}

func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	old := now.Add(-2 * staleAfter)
	files := map[string]time.Time{
		"sill-aaaaaaaaaaaaaaaa.json": now, // the current copy
		"sill-bbbbbbbbbbbbbbbb.json": old, // an orphan
		"sill-cccccccccccccccc.json": now, // maybe a concurrent update's
		".sill-123.tmp":              old,
		".sill-456.tmp":              now,
		"sill-meta.json":             old,
		"notes.txt":                  old,
	}
	for name, mt := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	removeStale(dir, "sill-aaaaaaaaaaaaaaaa.json", now)
	got := slices.Sorted(maps.Keys(snapshotDir(t, dir)))
	want := []string{".sill-456.tmp", "notes.txt", "sill-aaaaaaaaaaaaaaaa.json", "sill-cccccccccccccccc.json", "sill-meta.json"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("files left (-want +got):\n%s", diff)
	}
}

func TestDefaultDir(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("XDG_CACHE_HOME is how Linux finds the cache directory")
	}
	base := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", base)
	got, err := DefaultDir()
	if err != nil || got != filepath.Join(base, "sillage", "sill") {
		t.Errorf("DefaultDir() = %q, %v", got, err)
	}
	if dir, _ := (Cache{}).dir(); dir != got {
		t.Errorf("zero Cache uses %q", dir)
	}
	if (Cache{}).url() != DefaultURL || (Cache{}).maxBytes() != DefaultMaxBytes || (Cache{}).minEntries() != DefaultMinEntries {
		t.Error("zero Cache defaults")
	}
}
