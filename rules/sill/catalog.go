// Package sill is the SILL (Socle Interministériel de Logiciels Libres), the
// French State's catalogue of recommended free software, as sillage uses it:
// one typed model (Software) that decodes Catalogi's live export
// (https://code.gouv.fr/sill/api/sill.json), the 2022 snapshot compiled into
// the binary (Embedded), a cache of the live export in the user's cache
// directory (Cache), and the choice between them (Resolve).
//
// The package loads, validates, searches and downloads catalogues. It does
// not match components against them (that is the policy package's job),
// prints nothing, and does no network access except in Cache.Update.
package sill

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sillage-oss/sillage"
)

// Attribution is the credit the SILL's licence (Licence Ouverte 2.0) asks
// reusers to give. Reports that use a catalogue should print it.
const Attribution = "SILL, DINUM / Etalab, Licence Ouverte 2.0"

// ErrInvalid marks a catalogue that is not a valid SILL export: not JSON,
// not an array, an entry without id or name, duplicate ids...
var ErrInvalid = errors.New("invalid SILL catalogue")

// Catalog is a loaded SILL catalogue and where it came from. Its Software
// is sorted by ID, ids are unique and positive, names non-empty. The
// catalogue returned by Embedded is shared: callers must not modify it.
type Catalog struct {
	// Software holds the entries, sorted by ID.
	Software []Software
	// Source says where the entries come from.
	Source Source

	byID map[int]int // ID -> index in Software
}

// SourceKind says where a catalogue was read from.
type SourceKind string

// The kinds of source, in the order Resolve prefers them (File first).
const (
	// SourceFile is a file the user named (--sill FILE).
	SourceFile SourceKind = "file"
	// SourceCache is the copy of the live export that Cache.Update
	// downloaded.
	SourceCache SourceKind = "cache"
	// SourceEmbedded is the 2022 snapshot compiled into sillage.
	SourceEmbedded SourceKind = "embedded"
)

// Source is a catalogue's provenance, for `sillage sill status` and for
// every Result (see Catalog.Ref).
type Source struct {
	// Kind is where the catalogue was read from.
	Kind SourceKind `json:"kind"`
	// Path is the file read: the --sill file, or the cached copy. Empty
	// for the embedded snapshot.
	Path string `json:"path,omitempty"`
	// URL is where the data was downloaded from (cache) or published
	// (embedded: the Git repository and commit). Empty for a file.
	URL string `json:"url,omitempty"`
	// Date is the date of the data: 2022-05-10 for the embedded snapshot;
	// for the cache, the server's Last-Modified, else the download time;
	// for a file, the latest updateTime of its entries, else the file's
	// modification time. UTC.
	Date time.Time `json:"date"`
	// Version is what results record as the catalogue's version: Date as
	// "2006-01-02", e.g. "2022-05-10"; empty when the data has no date.
	// Two downloads of the same day share it: SHA256 tells them apart.
	Version string `json:"version"`
	// Entries is the number of entries.
	Entries int `json:"entries"`
	// SHA256 is the hex SHA-256 of the bytes read (for the embedded
	// snapshot, of sill.json), so that two reports can tell whether they
	// used the same data.
	SHA256 string `json:"sha256"`
	// FetchedAt is when the cached copy was downloaded; zero otherwise.
	FetchedAt time.Time `json:"fetchedAt,omitzero"`
}

// Describe returns a one-line description of the source for people, e.g.
// "embedded SILL snapshot of 2022-05-10 (240 entries)".
func (s Source) Describe() string {
	switch s.Kind {
	case SourceEmbedded:
		return fmt.Sprintf("embedded SILL snapshot of %s (%d entries)", s.Version, s.Entries)
	case SourceCache:
		return fmt.Sprintf("live SILL export downloaded from %s on %s, cached in %s (%d entries, dated %s)",
			s.URL, s.FetchedAt.UTC().Format("2006-01-02 15:04 MST"), s.Path, s.Entries, s.Version)
	}
	return fmt.Sprintf("SILL file %s (%d entries, dated %s)", s.Path, s.Entries, s.Version)
}

// Ref returns how a Result records the catalogue it used: name "sill",
// the data's date as version, and "embedded", the download URL or the
// file path as source.
func (c *Catalog) Ref() sillage.CatalogRef {
	src := string(SourceEmbedded)
	switch c.Source.Kind {
	case SourceCache:
		src = c.Source.URL
	case SourceFile:
		src = c.Source.Path
	}
	return sillage.CatalogRef{Name: "sill", Version: c.Source.Version, Source: src}
}

// newCatalog sorts sw by ID, indexes it and completes src.
func newCatalog(sw []Software, src Source) *Catalog {
	slices.SortFunc(sw, func(a, b Software) int { return a.ID - b.ID })
	c := &Catalog{Software: sw, Source: src, byID: make(map[int]int, len(sw))}
	for i, s := range sw {
		c.byID[s.ID] = i
	}
	c.Source.Entries = len(sw)
	if c.Source.Date.IsZero() {
		c.Source.Date = latestUpdate(sw)
	}
	c.Source.Date = c.Source.Date.UTC()
	if c.Source.Version == "" && !c.Source.Date.IsZero() {
		c.Source.Version = c.Source.Date.Format(time.DateOnly)
	}
	return c
}

func latestUpdate(sw []Software) time.Time {
	var m Millis
	for _, s := range sw {
		m = max(m, s.UpdateTime, s.ReferencedSinceTime)
	}
	return m.Time()
}

// ByID returns the entry with the given id.
func (c *Catalog) ByID(id int) (Software, bool) {
	if c.byID == nil { // a Catalog built by hand
		for _, s := range c.Software {
			if s.ID == id {
				return s, true
			}
		}
		return Software{}, false
	}
	i, ok := c.byID[id]
	if !ok {
		return Software{}, false
	}
	return c.Software[i], true
}

// Lookup finds entries by id or exact name, for `sillage sill show`. A
// query of digits is an id ("78"); anything else is compared to names
// without regard to case, accents, spaces or punctuation ("libre office"
// finds LibreOffice). It returns every match, sorted by id: names are not
// unique (two 2022 entries are named "Grammalecte"). Nil when none.
func (c *Catalog) Lookup(query string) []Software {
	q := strings.TrimSpace(query)
	if q == "" {
		return nil
	}
	if id, err := strconv.Atoi(q); err == nil {
		if s, ok := c.ByID(id); ok {
			return []Software{s}
		}
		return nil
	}
	key := compact(fold(q))
	var out []Software
	for _, s := range c.Software {
		if compact(fold(s.Name)) == key {
			out = append(out, s)
		}
	}
	return out
}

// maxDecodeBytes bounds what Load and LoadFile read, as DefaultMaxBytes.
const maxDecodeBytes = DefaultMaxBytes

// Load decodes and validates a catalogue in the live export's format (a
// JSON array of CompiledData.Software.Public) from r, reading at most
// DefaultMaxBytes. src describes where r comes from; Load fills in Entries
// and SHA256, and Date and Version when they are zero (from the entries'
// latest updateTime).
//
// Errors wrap ErrInvalid and say what is wrong and where: "entry 3 (id
// 12): no \"name\"". Entries are counted from 0, as in jq's .[3]. Unknown
// members are ignored, so that newer exports still load.
func Load(r io.Reader, src Source) (*Catalog, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxDecodeBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read SILL catalogue: %w", err)
	}
	if int64(len(data)) > maxDecodeBytes {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrInvalid, maxDecodeBytes)
	}
	return decode(data, src)
}

// LoadFile loads the catalogue in the file at path (--sill FILE), as Load.
// Its Source has kind SourceFile, the path as given, and as Date the
// entries' latest updateTime or else the file's modification time. Errors
// also wrap sillage.ErrInvalidInput: the user named a bad file.
func LoadFile(path string) (*Catalog, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, sillage.WithHint(sillage.InvalidInput(fmt.Errorf("SILL file: %w", err)),
			"pass the path of a SILL export saved from "+DefaultURL)
	}
	defer f.Close()
	src := Source{Kind: SourceFile, Path: path}
	cat, err := Load(f, src)
	if err != nil {
		return nil, sillage.WithHint(sillage.InvalidInput(fmt.Errorf("SILL file %s: %w", path, err)),
			"pass a JSON file in the format of "+DefaultURL+", or leave out --sill to use the cached or embedded catalogue")
	}
	if latestUpdate(cat.Software).IsZero() {
		if fi, err := f.Stat(); err == nil {
			cat.Source.Date = fi.ModTime().UTC()
			cat.Source.Version = cat.Source.Date.Format(time.DateOnly)
		}
	}
	return cat, nil
}

// decode validates data as a live-format catalogue.
func decode(data []byte, src Source) (*Catalog, error) {
	sum := sha256.Sum256(data)
	body := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, fmt.Errorf("%w: empty file", ErrInvalid)
	}
	switch body[0] {
	case '[':
	case '{':
		return nil, fmt.Errorf("%w: want a JSON array of software entries, got a JSON object", ErrInvalid)
	case '<':
		return nil, fmt.Errorf("%w: got HTML or XML, not JSON", ErrInvalid)
	default:
		if !json.Valid(body) {
			return nil, fmt.Errorf("%w: not JSON", ErrInvalid)
		}
		return nil, fmt.Errorf("%w: want a JSON array of software entries, got a JSON %s", ErrInvalid, jsonKind(body))
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(body, &raws); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrInvalid, syntaxProblem(body, err))
	}
	if len(raws) == 0 {
		return nil, fmt.Errorf("%w: no software entries (empty array)", ErrInvalid)
	}
	sw := make([]Software, len(raws))
	seen := make(map[int]int, len(raws))
	for i, raw := range raws {
		s, err := decodeEntry(raw)
		if err != nil {
			return nil, fmt.Errorf("%w: entry %d%s: %w", ErrInvalid, i, entryLabel(s), err)
		}
		if j, dup := seen[s.ID]; dup {
			return nil, fmt.Errorf("%w: entry %d%s: duplicate id %d (also entry %d)", ErrInvalid, i, entryLabel(s), s.ID, j)
		}
		seen[s.ID] = i
		sw[i] = s
	}
	src.SHA256 = hex.EncodeToString(sum[:])
	return newCatalog(sw, src), nil
}

// decodeEntry decodes and checks one entry. On error, the returned
// Software holds whatever identity could be read, for the message.
func decodeEntry(raw json.RawMessage) (Software, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return Software{}, fmt.Errorf("want a JSON object, got a JSON %s", jsonKind(raw))
	}
	var probe struct {
		ID   json.RawMessage `json:"id"`
		Name json.RawMessage `json:"name"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return Software{}, err
	}
	var s Software
	_ = json.Unmarshal(probe.Name, &s.Name) // for messages; checked below
	if len(probe.ID) == 0 || string(probe.ID) == "null" {
		return s, errors.New(`no "id"`)
	}
	if err := json.Unmarshal(probe.ID, &s.ID); err != nil {
		return s, fmt.Errorf(`"id" is %s, want a positive integer`, probe.ID)
	}
	if s.ID <= 0 {
		return s, fmt.Errorf(`"id" is %d, want a positive integer`, s.ID)
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return s, fmt.Errorf("%q is a JSON %s, want %s", te.Field, te.Value, goKind(te.Type.String()))
		}
		return s, err
	}
	if strings.TrimSpace(s.Name) == "" {
		return s, errors.New(`no "name"`)
	}
	s.normalize()
	return s, nil
}

func entryLabel(s Software) string {
	s.Name = strings.TrimSpace(s.Name)
	switch {
	case s.ID > 0 && s.Name != "":
		return fmt.Sprintf(" (id %d, %q)", s.ID, s.Name)
	case s.ID > 0:
		return fmt.Sprintf(" (id %d)", s.ID)
	case s.Name != "":
		return fmt.Sprintf(" (%q)", s.Name)
	}
	return ""
}

// syntaxProblem explains a JSON decoding error in terms of the file.
func syntaxProblem(body []byte, err error) string {
	var se *json.SyntaxError
	switch {
	case strings.Contains(err.Error(), "unexpected end of JSON input"):
		return fmt.Sprintf("truncated JSON: the data ends after %d bytes, inside the array", len(body))
	case errors.As(err, &se):
		line, col := position(body, se.Offset)
		return fmt.Sprintf("not valid JSON at line %d, column %d: %v", line, col, se)
	}
	return fmt.Sprintf("not a JSON array of software entries: %v", err)
}

// position turns the offset of a json.SyntaxError (the number of bytes
// read, the offending one included) into the 1-based line and column of
// the offending byte.
func position(body []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(body)))
	before := body[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - (bytes.LastIndexByte(before, '\n') + 1)
	return line, max(col, 1)
}

// jsonKind names the kind of JSON value that raw starts with.
func jsonKind(raw []byte) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch c := raw[0]; {
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == '"':
		return "string"
	case c == 't' || c == 'f':
		return "boolean"
	case c == 'n':
		return "null"
	case c == '-' || (c >= '0' && c <= '9'):
		return "number"
	}
	return "value that is not JSON"
}

// goKind turns a Go type name from encoding/json into JSON terms.
func goKind(t string) string {
	switch {
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "float"), t == "sill.Millis":
		return "a number"
	case t == "string":
		return "a string"
	case t == "bool":
		return "a boolean"
	case strings.HasPrefix(t, "[]"), t == "sill.Strings":
		return "an array"
	}
	return "an object"
}
