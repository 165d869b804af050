package formats

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/sillage-oss/sillage/rules/rgi"
)

// How much of a file identification reads: the head always (one read),
// more only for what needs it: text up to textLimit to check its
// encoding, a PDF's first and last pdfBlock bytes for its XMP metadata, a
// ZIP's central directory and the start of the entries a signature names,
// an OLE2 file's directory.
const (
	headSize  = 8 << 10
	smallFile = 32 << 10
	textLimit = 64 << 10
	pdfBlock  = 64 << 10
)

// heads are the buffers files are read into; nothing identification
// returns refers to them.
var heads = sync.Pool{New: func() any { b := make([]byte, smallFile); return &b }}

// Identifier identifies file formats by content with the signatures of a
// format table. It is safe for concurrent use.
type Identifier struct {
	tab     *rgi.Table
	formats []*rgi.Format
	sigs    [][]csig // the signatures of formats[i], compiled
	byExt   map[string][]*rgi.Format
	byID    map[string]*rgi.Format
	legacy  *rgi.Format     // encoding-legacy-8bit
	textIDs map[string]bool // formats whose encoding is checked
}

// NewIdentifier compiles tab's signatures. Encoding entries
// (encoding-utf8, encoding-legacy-8bit) describe text, not files: they
// are applied to the text formats they name, never matched on their own.
func NewIdentifier(tab *rgi.Table) *Identifier {
	id := &Identifier{tab: tab, byExt: map[string][]*rgi.Format{}, byID: map[string]*rgi.Format{}, textIDs: map[string]bool{}}
	for i := range tab.Formats {
		f := &tab.Formats[i]
		id.byID[f.ID] = f
		if f.Domain == "encoding" {
			if f.ID == "encoding-legacy-8bit" {
				id.legacy = f
			}
			for _, a := range f.AppliesTo {
				id.textIDs[a] = true
			}
			continue
		}
		id.formats = append(id.formats, f)
		id.sigs = append(id.sigs, compile(f.Signatures))
		for _, e := range f.Extensions {
			id.byExt[e] = append(id.byExt[e], f)
		}
	}
	return id
}

// csig is a signature with its bytes decoded and its rank computed once.
type csig struct {
	rgi.Signature
	b        []byte
	strength int // 3 definitive, 2 strong, 1 heuristic (needs the extension)
	spec     int // 2 container-specific, 1 magic bytes, 0 text
	of       []csig
}

func compile(sigs []rgi.Signature) []csig {
	out := make([]csig, 0, len(sigs))
	for _, s := range sigs {
		c := csig{Signature: s, of: compile(s.Of)}
		c.b, _ = s.Bytes()
		c.strength = 3
		switch s.Strength {
		case "strong":
			c.strength = 2
		case "heuristic":
			c.strength = 1
		}
		if (s.Kind == "magic" || s.Kind == "ascii") && c.strength < 3 && len(c.b) < 3 {
			c.strength = 1 // "BM" or 0x0A at the start of a text file prove nothing
		}
		switch s.Kind {
		case "magic", "ascii":
			c.spec = 1
		case "text":
			c.spec = 0
		default:
			c.spec = 2
		}
		out = append(out, c)
	}
	return out
}

// Table returns the format table the identifier uses.
func (id *Identifier) Table() *rgi.Table { return id.tab }

// Basis values: how a format was identified.
const (
	BasisContent          = "content"
	BasisContentExtension = "content+extension"
	BasisExtension        = "extension"
	BasisNone             = "none"
)

// Match is the format identified for one file.
type Match struct {
	// Format is the entry identified, nil when none was.
	Format *rgi.Format
	// Variant is "transitional" or "strict" for Office Open XML.
	Variant string
	// Version is the version identified ("1.3", "2b"), used for the PUID.
	Version string
	// PUID is the PRONOM id.
	PUID              string
	Basis             string
	Detail            string
	Problem           string
	ExtensionMismatch bool
}

// FormatID returns the identified format's id, or "unidentified".
func (m Match) FormatID() string {
	if m.Format == nil {
		return Unidentified
	}
	return m.Format.ID
}

// Unidentified is the format id of a file no signature matched.
const Unidentified = "unidentified"

// probe holds what has been read of one file, so that each part is read
// at most once whatever the number of signatures that look at it.
type probe struct {
	r    io.ReaderAt
	size int64
	ext  string
	head []byte

	isZip, isCFB, isPDF bool

	zipDone  bool
	zip      *zipDir
	zipErr   error
	zipCache map[string][]byte

	cfbDone bool
	cfb     *cfb
	cfbErr  error

	pdfDone bool
	pdf     []byte

	textDone bool
	isText   bool
	utf16    bool
	text     []byte // up to textLimit bytes, for text files

	xmlDone    bool
	xmlOK      bool
	xmlName    xml.Name
	xmlVersion string // the root's version attribute
}

// Identify identifies the file r of the given size whose name is name
// (only its extension is used). It reads only the parts identification
// needs and never fails: what it could not read is reported in
// Match.Problem.
func (id *Identifier) Identify(r io.ReaderAt, size int64, name string) Match {
	p := &probe{r: r, size: size, ext: extension(name)}
	// a small file is read whole, once: every later read (a ZIP's
	// directory and entries, an OLE2 directory) is then free
	buf := heads.Get().(*[]byte)
	defer heads.Put(buf)
	n := int64(headSize)
	if size <= smallFile {
		n = size
	}
	p.head = (*buf)[:min(n, int64(len(*buf)))]
	m, err := r.ReadAt(p.head, 0)
	p.head = p.head[:m]
	if err != nil && !errors.Is(err, io.EOF) && m == 0 && size > 0 {
		return Match{Basis: BasisNone, Problem: "read: " + err.Error()}
	}
	if size <= smallFile && int64(m) == size {
		p.r = bytes.NewReader(p.head)
	}
	p.isZip = bytes.HasPrefix(p.head, []byte("PK\x03\x04")) || bytes.HasPrefix(p.head, []byte("PK\x05\x06"))
	p.isCFB = bytes.HasPrefix(p.head, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"))
	if i := bytes.Index(p.head[:min(len(p.head), 1024)], []byte("%PDF-")); i >= 0 {
		p.isPDF = true
	}
	return id.identify(p)
}

func (id *Identifier) identify(p *probe) Match {
	var best *rgi.Format
	bestScore, bestStrong := 0, false
	for i, f := range id.formats {
		s, strong := id.score(p, f, id.sigs[i])
		if s > bestScore {
			best, bestScore, bestStrong = f, s, strong
		}
	}
	m := Match{Format: best, Basis: BasisContent}
	if best != nil && !bestStrong {
		m.Basis = BasisContentExtension
	}
	// only a generic container or plain text matched: the extension may
	// name the specific format (a truncated .docx is still a .docx, an
	// OLE2 .sdw a StarOffice file, a text .css a style sheet)
	if best == nil || generic[best.ID] {
		if f := id.byExtension(p, best); f != nil {
			m.Format, m.Basis = f, BasisExtension
		}
	}
	if m.Format == nil {
		if p.textLike() {
			m.Format, m.Basis = id.byID["txt"], BasisContent
		} else {
			m.Basis = BasisNone
			if len(id.byExt[p.ext]) > 0 {
				m.Detail = fmt.Sprintf("content not recognised (extension .%s)", p.ext)
			}
		}
	}
	if m.Format != nil {
		if fs := id.byExt[p.ext]; len(fs) > 0 && !hasExt(m.Format, p.ext) {
			m.ExtensionMismatch = true
		}
		id.refine(p, &m)
	}
	if p.zip != nil && m.Problem == "" {
		m.Problem = p.zip.bomb()
	}
	if m.Problem == "" {
		switch {
		case p.isZip && p.zipErr != nil && !errors.Is(p.zipErr, errZipEncrypt):
			m.Problem = p.zipErr.Error()
		case p.isCFB && p.cfbErr != nil:
			m.Problem = p.cfbErr.Error()
		}
	}
	return m
}

// generic formats are container fallbacks: a more specific format of the
// same container wins, and the extension may name it.
var generic = map[string]bool{"zip": true, "ole2-cfb": true, "xml": true, "txt": true, "ogg-container": true}

func (id *Identifier) byExtension(p *probe, content *rgi.Format) *rgi.Format {
	for _, f := range id.byExt[p.ext] {
		if content != nil && f.ID == content.ID {
			return nil
		}
		if len(f.Signatures) == 0 {
			return f
		}
		if content == nil {
			continue
		}
		for _, s := range f.Signatures {
			k := s.Kind
			switch {
			case content.ID == "zip" && strings.HasPrefix(k, "zip-"),
				content.ID == "ole2-cfb" && strings.HasPrefix(k, "cfb-"),
				content.ID == "xml" && k == "xml-root",
				content.ID == "txt" && k == "text",
				content.ID == "ogg-container" && k == "ogg-codec":
				return f
			}
		}
	}
	return nil
}

func hasExt(f *rgi.Format, ext string) bool {
	for _, e := range f.Extensions {
		if e == ext {
			return true
		}
	}
	return false
}

func extension(name string) string {
	base := path.Base(strings.ReplaceAll(name, `\`, "/"))
	i := strings.LastIndexByte(base, '.')
	if i <= 0 {
		return ""
	}
	return strings.ToLower(base[i+1:])
}

// score returns how well f matches: 0 for no match, else strength*10 +
// specificity of the best signature (or content check) that matches, and
// whether that match stands without the extension.
func (id *Identifier) score(p *probe, f *rgi.Format, sigs []csig) (int, bool) {
	best, strong := 0, false
	consider := func(strength, spec int) {
		if strength == 1 && !hasExt(f, p.ext) {
			return // a heuristic needs the extension's agreement
		}
		if s := strength*10 + spec; s > best {
			best, strong = s, strength > 1
		}
	}
	for i := range sigs {
		s := &sigs[i]
		if !p.gate(s.Kind) {
			continue
		}
		if st, ok := p.match(s); ok {
			if st == 0 {
				st = s.strength
			}
			consider(st, s.spec)
		}
	}
	if check, ok := contentChecks[f.ID]; ok {
		if st := check(p); st > 0 {
			consider(st, 2)
		}
	}
	return best, strong
}

// gate skips signatures that cannot match this file's container cheaply.
func (p *probe) gate(kind string) bool {
	switch kind {
	case "zip-mimetype", "zip-entry", "zip-entry-contains":
		return p.isZip
	case "cfb-stream", "cfb-stream-contains":
		return p.isCFB
	case "xmp-contains":
		return p.isPDF
	case "xml-root":
		return p.startsWith('<')
	case "json-key":
		return p.startsWith('{')
	case "text":
		return p.textLike()
	}
	return true
}

// match reports whether s matches; the int overrides the signature's
// strength when not 0 (an ISO base media major brand is definitive, a
// compatible brand only strong).
func (p *probe) match(s *csig) (int, bool) {
	switch s.Kind {
	case "magic", "ascii":
		b := s.b
		return 0, s.Offset+len(b) <= len(p.head) && bytes.Equal(p.head[s.Offset:s.Offset+len(b)], b)
	case "zip-mimetype":
		v := p.zipMimetype()
		return 0, v != "" && strings.HasPrefix(v, s.Value)
	case "zip-entry":
		d := p.zipDir()
		return 0, d != nil && d.has(s.Path)
	case "zip-entry-contains":
		within := s.Within
		if within == 0 {
			within = 64 << 10
		}
		return 0, bytes.Contains(p.zipEntry(s.Path, within), []byte(s.Value))
	case "cfb-stream":
		c := p.cfbDir()
		return 0, c != nil && c.names[s.Path]
	case "cfb-stream-contains":
		c := p.cfbDir()
		if c == nil || !c.names[s.Path] {
			return 0, false
		}
		want := s.b
		data, _ := c.streamStart(s.Path, max(4096, s.Offset+len(want)))
		if s.Offset > 0 || s.Hex != "" {
			return 0, s.Offset+len(want) <= len(data) && bytes.Equal(data[s.Offset:s.Offset+len(want)], want)
		}
		return 0, bytes.Contains(data, want)
	case "xmp-contains":
		return 0, bytes.Contains(p.pdfBlocks(), []byte(s.Value))
	case "riff":
		return 0, len(p.head) >= 12 && string(p.head[:4]) == "RIFF" && string(p.head[8:12]) == s.Form
	case "isobmff-brand":
		return p.isobmff(s.Brands)
	case "ebml-doctype":
		return 0, p.ebmlDocType() == s.Value
	case "ogg-codec":
		return 0, p.oggCodec(s.b)
	case "xml-root":
		return 0, p.xmlRoot(s.Signature)
	case "json-key":
		return 0, p.jsonKey(s.Key, s.Values)
	case "text":
		// any text: its encoding is checked once the format is known
		// (refine), so that a windows-1252 CSV is still a CSV
		return 0, p.textLike()
	case "all":
		for i := range s.of {
			if _, ok := p.match(&s.of[i]); !ok {
				return 0, false
			}
		}
		return 0, true
	}
	return 0, false
}

func (p *probe) startsWith(c byte) bool {
	h := bytes.TrimPrefix(p.head, []byte("\xEF\xBB\xBF"))
	h = bytes.TrimLeft(h[:min(len(h), 1024)], " \t\r\n")
	return len(h) > 0 && h[0] == c
}

// zipMimetype returns the content of a stored "mimetype" first entry, as
// ODF, EPUB and ASiC require (ODF 1.2 Part 3 §3.3), or "".
func (p *probe) zipMimetype() string {
	h := p.head
	if len(h) < 38 || string(h[30:38]) != "mimetype" || binary.LittleEndian.Uint16(h[8:]) != 0 {
		return ""
	}
	nameLen := int(binary.LittleEndian.Uint16(h[26:]))
	extraLen := int(binary.LittleEndian.Uint16(h[28:]))
	n := int(binary.LittleEndian.Uint32(h[18:]))
	start := 30 + nameLen + extraLen
	if nameLen != 8 || n > 256 || start+n > len(h) {
		return ""
	}
	return string(h[start : start+n])
}

func (p *probe) zipDir() *zipDir {
	if !p.zipDone {
		p.zipDone = true
		p.zip, p.zipErr = readZipDir(p.r, p.size)
	}
	return p.zip
}

// zipEntry returns up to n inflated bytes of the start of entry name
// (nil when absent or unreadable).
func (p *probe) zipEntry(name string, n int) []byte {
	d := p.zipDir()
	if d == nil || !d.has(name) {
		return nil
	}
	if b, ok := p.zipCache[name]; ok && (len(b) >= n || len(b) < cap(b)) {
		return b[:min(len(b), n)]
	}
	b, err := d.readStart(p.r, p.size, name, n)
	if err != nil && p.zipErr == nil {
		p.zipErr = fmt.Errorf("ZIP entry %s: %w", name, err)
	}
	if p.zipCache == nil {
		p.zipCache = map[string][]byte{}
	}
	p.zipCache[name] = b
	return b
}

func (p *probe) cfbDir() *cfb {
	if !p.cfbDone {
		p.cfbDone = true
		p.cfb, p.cfbErr = readCFB(p.r, p.size, p.head)
	}
	return p.cfb
}

// pdfBlocks returns the first and last pdfBlock bytes of a PDF, where
// PDF/A writers put the (unfiltered) XMP metadata in practice.
func (p *probe) pdfBlocks() []byte {
	if p.pdfDone {
		return p.pdf
	}
	p.pdfDone = true
	if p.size <= int64(len(p.head)) {
		p.pdf = p.head
		return p.pdf
	}
	first := p.readAt(0, min(p.size, pdfBlock))
	if p.size <= 2*pdfBlock {
		p.pdf = p.readAt(0, p.size)
		return p.pdf
	}
	p.pdf = append(first, p.readAt(p.size-pdfBlock, pdfBlock)...)
	return p.pdf
}

func (p *probe) readAt(off, n int64) []byte {
	b := make([]byte, n)
	m, _ := p.r.ReadAt(b, off)
	return b[:m]
}

// textLike reports whether the file looks like text: no NUL byte and few
// control characters in its start (UTF-16 with a byte-order mark counts).
func (p *probe) textLike() bool {
	if p.textDone {
		return p.isText
	}
	p.textDone = true
	h := p.head
	if len(h) == 0 {
		return false
	}
	if bytes.HasPrefix(h, []byte("\xFF\xFE")) || bytes.HasPrefix(h, []byte("\xFE\xFF")) {
		p.isText, p.utf16 = true, true
		p.text = h
		return true
	}
	ctl := 0
	for _, c := range h {
		if c == 0 {
			return false
		}
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b {
			ctl++
		}
	}
	if ctl*100 > len(h) {
		return false
	}
	p.isText = true
	p.text = h
	if p.size > int64(len(h)) {
		more := p.readAt(0, min(p.size, textLimit))
		if bytes.IndexByte(more, 0) < 0 {
			p.text = more
		}
	}
	return true
}

func (p *probe) validUTF8() bool {
	if p.utf16 {
		return true // not 8-bit
	}
	t := p.text
	if int64(len(t)) < p.size {
		// the sample may cut a character in two: stop at its last line
		if r := bytes.LastIndexByte(t, '\n'); r > 0 {
			t = t[:r]
		}
	}
	return utf8.Valid(t)
}

func (p *probe) isobmff(brands []string) (int, bool) {
	h := p.head
	if len(h) < 16 || string(h[4:8]) != "ftyp" {
		return 0, false
	}
	major := string(h[8:12])
	for _, b := range brands {
		if b == major {
			return 3, true
		}
	}
	end := int(binary.BigEndian.Uint32(h))
	end = min(end, len(h))
	for i := 16; i+4 <= end; i += 4 {
		for _, b := range brands {
			if string(h[i:i+4]) == b {
				return 2, true
			}
		}
	}
	return 0, false
}

func (p *probe) ebmlDocType() string {
	h := p.head
	if len(h) < 8 || !bytes.HasPrefix(h, []byte("\x1A\x45\xDF\xA3")) {
		return ""
	}
	i := bytes.Index(h[4:min(len(h), 128)], []byte("\x42\x82"))
	if i < 0 {
		return ""
	}
	i += 4 + 2
	if i >= len(h) {
		return ""
	}
	// the size is an EBML variable-length integer; doc types are short
	first := h[i]
	w := 1
	for w <= 8 && first&(0x80>>(w-1)) == 0 {
		w++
	}
	if w > 8 || i+w > len(h) {
		return ""
	}
	n := int(first & (0xFF >> w))
	for k := 1; k < w; k++ {
		n = n<<8 | int(h[i+k])
	}
	if i+w+n > len(h) || n > 32 {
		return ""
	}
	return string(h[i+w : i+w+n])
}

func (p *probe) oggCodec(want []byte) bool {
	h := p.head
	if len(h) < 28 || string(h[:4]) != "OggS" {
		return false
	}
	start := 27 + int(h[26])
	return start+len(want) <= len(h) && bytes.Equal(h[start:start+len(want)], want)
}

func (p *probe) xmlRoot(s rgi.Signature) bool {
	if !p.xmlDone {
		p.xmlDone = true
		if p.textLike() {
			d := xml.NewDecoder(bytes.NewReader(p.text))
			d.Strict = false
			d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
			for {
				tok, err := d.RawToken()
				if err != nil {
					break
				}
				if se, ok := tok.(xml.StartElement); ok {
					p.xmlOK = true
					p.xmlName = se.Name
					for _, a := range se.Attr {
						if a.Name.Space == "" && a.Name.Local == "version" {
							p.xmlVersion = a.Value
						}
					}
					// resolve the prefix from the root's own declarations
					for _, a := range se.Attr {
						if (se.Name.Space == "" && a.Name.Space == "" && a.Name.Local == "xmlns") ||
							(se.Name.Space != "" && a.Name.Space == "xmlns" && a.Name.Local == se.Name.Space) {
							p.xmlName.Space = a.Value
							break
						}
					}
					if p.xmlName.Space == se.Name.Space && se.Name.Space != "" {
						p.xmlName.Space = "" // an undeclared prefix
					}
					break
				}
			}
		}
	}
	if !p.xmlOK {
		return false
	}
	if s.Local != "" && p.xmlName.Local != s.Local {
		return false
	}
	if s.NS != "" && p.xmlName.Space != s.NS {
		return false
	}
	if s.NSPrefix != "" && !strings.HasPrefix(p.xmlName.Space, s.NSPrefix) {
		return false
	}
	return s.Local != "" || s.NS != "" || s.NSPrefix != ""
}

func (p *probe) jsonKey(key string, values []string) bool {
	if !p.textLike() {
		return false
	}
	d := json.NewDecoder(bytes.NewReader(p.text))
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return false
		}
		k, _ := t.(string)
		if k == key {
			v, err := d.Token()
			if err != nil {
				return false
			}
			s, _ := v.(string)
			for _, want := range values {
				if s == want {
					return true
				}
			}
			return false
		}
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			return false
		}
	}
	return false
}

// contentChecks are the checks formats.yaml describes in words (notes)
// for text formats; they return a strength (0: no match).
var contentChecks = map[string]func(*probe) int{
	"html": func(p *probe) int {
		if !p.textLike() || p.utf16 {
			return 0
		}
		s := strings.ToLower(string(skipXMLProlog(p.text[:min(len(p.text), 1024)])))
		if strings.HasPrefix(s, "<!doctype html") || strings.HasPrefix(s, "<html") {
			return 2
		}
		return 0
	},
	"json": func(p *probe) int {
		if !p.textLike() || p.utf16 || !(p.startsWith('{') || p.startsWith('[')) {
			return 0
		}
		if int64(len(p.text)) >= p.size {
			if json.Valid(p.text) {
				return 2
			}
			return 0
		}
		return 1
	},
	"mhtml": func(p *probe) int {
		if !p.textLike() {
			return 0
		}
		h := strings.ToLower(string(p.text[:min(len(p.text), 1024)]))
		if strings.Contains(h, "mime-version:") && strings.Contains(h, "multipart/related") {
			return 2
		}
		return 0
	},
	"eml": func(p *probe) int {
		if !p.textLike() {
			return 0
		}
		return mailHeaders(p.text[:min(len(p.text), 2048)])
	},
	"dxf": func(p *probe) int {
		if !p.textLike() {
			return 0
		}
		if dxfStart.Match(p.text[:min(len(p.text), 64)]) {
			return 2
		}
		return 0
	},
}

var dxfStart = regexp.MustCompile(`^\s*0\r?\nSECTION\r?\n`)

// skipXMLProlog drops a byte-order mark, blank space and leading comments.
func skipXMLProlog(b []byte) []byte {
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		if !bytes.HasPrefix(b, []byte("<!--")) {
			return b
		}
		i := bytes.Index(b, []byte("-->"))
		if i < 0 {
			return b
		}
		b = b[i+3:]
	}
}

var headerLine = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*:`)

var mailHeader = regexp.MustCompile(`(?im)^(from|to|date|subject|received|return-path|message-id|mime-version|content-type):`)

// mailHeaders returns 2 when the text starts with an RFC 5322 header block
// of at least three known fields.
func mailHeaders(b []byte) int {
	if !headerLine.Match(b) {
		return 0
	}
	end := bytes.Index(b, []byte("\n\n"))
	if e2 := bytes.Index(b, []byte("\r\n\r\n")); e2 >= 0 && (end < 0 || e2 < end) {
		end = e2
	}
	if end < 0 {
		end = len(b)
	}
	seen := map[string]bool{}
	for _, m := range mailHeader.FindAllSubmatch(b[:end], -1) {
		seen[strings.ToLower(string(m[1]))] = true
	}
	if len(seen) >= 3 {
		return 2
	}
	return 0
}
