package agentinv

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/sillage-oss/sillage/scanner/internal/textdec"
)

// Errors of Read.
var (
	// ErrNotInventory: the document is neither GLPI JSON nor a REQUEST XML
	// inventory.
	ErrNotInventory = errors.New("not a GLPI or OCS inventory")
	// ErrTooLarge: the document is larger than MaxSize.
	ErrTooLarge = fmt.Errorf("the inventory is larger than %d MiB", MaxSize>>20)
	// ErrTruncated: the document ends early.
	ErrTruncated = errors.New("the inventory ends early: the file is truncated")
)

// Kind restricts what Read accepts.
type Kind int

// The kinds of documents.
const (
	// GLPI accepts GLPI JSON and the agents' XML.
	GLPI Kind = iota
	// OCS accepts the XML only, plain or zlib-compressed as the OCS agents
	// send it.
	OCS
)

// Read reads one inventory document. The format is recognised from the
// content.
func Read(r io.Reader, kind Kind) (Inventory, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(2)
	var src io.Reader = br
	if len(head) == 2 && head[0] == 0x78 && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 {
		zr, err := zlib.NewReader(br)
		if err != nil {
			return Inventory{}, fmt.Errorf("zlib: %w", err)
		}
		defer zr.Close()
		src = zr
	}
	lr := &limited{r: src, left: MaxSize}
	// UTF-16 text (a BOM, or NULs between ASCII bytes) is decoded here;
	// anything else is passed on as bytes, so that an XML declaration's
	// encoding="ISO-8859-1" is honoured by the XML reader
	raw := bufio.NewReaderSize(lr, 64<<10)
	var text io.Reader = raw
	if p, _ := raw.Peek(4); len(p) >= 2 && (p[0] == 0xFF && p[1] == 0xFE || p[0] == 0xFE && p[1] == 0xFF ||
		len(p) == 4 && p[0] != 0 && p[1] == 0 && p[2] != 0 && p[3] == 0) {
		t, _, err := textdec.Decode(raw)
		if err != nil {
			return Inventory{}, err
		}
		text = t
	} else if bytes.HasPrefix(p, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = raw.Discard(3)
	}
	tb := bufio.NewReaderSize(text, 64<<10)
	first, err := textdec.FirstSignificant(tb)
	if err != nil {
		return Inventory{}, err
	}
	var inv Inventory
	switch {
	case first == '{' && kind == GLPI:
		inv, err = readJSON(tb)
	case first == '<':
		inv, err = readXML(tb, kind)
	case first == 0:
		return Inventory{}, fmt.Errorf("%w: the file is empty", ErrNotInventory)
	default:
		want := "JSON or XML"
		if kind == OCS {
			want = "XML"
		}
		return Inventory{}, fmt.Errorf("%w: expected %s, found %q", ErrNotInventory, want, rune(first))
	}
	if lr.over {
		return Inventory{}, ErrTooLarge
	}
	return inv, err
}

// text is a JSON value read as text whatever its JSON type: agents write
// sizes and flags as numbers or strings.
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*t = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
	case b[0] == '{' || b[0] == '[':
		*t = ""
	default:
		*t = text(b)
	}
	return nil
}

type glpiDoc struct {
	DeviceID text `json:"deviceid"`
	ItemType text `json:"itemtype"`
	Content  *struct {
		Hardware struct {
			Name   text `json:"name"`
			OSName text `json:"osname"`
		} `json:"hardware"`
		OperatingSystem struct {
			FullName text `json:"full_name"`
			Name     text `json:"name"`
			Version  text `json:"version"`
		} `json:"operatingsystem"`
		Softwares *[]struct {
			Name           text `json:"name"`
			Version        text `json:"version"`
			Publisher      text `json:"publisher"`
			From           text `json:"from"`
			Arch           text `json:"arch"`
			InstallDate    text `json:"install_date"`
			Folder         text `json:"folder"`
			ReleaseType    text `json:"release_type"`
			SystemCategory text `json:"system_category"`
			Comments       text `json:"comments"`
			GUID           text `json:"guid"`
		} `json:"softwares"`
	} `json:"content"`
}

func readJSON(r io.Reader) (Inventory, error) {
	dec := json.NewDecoder(r)
	var d glpiDoc
	if err := dec.Decode(&d); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return Inventory{}, fmt.Errorf("%w (%w)", ErrTruncated, err)
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return Inventory{}, fmt.Errorf("%w: %s has the wrong JSON type (%s)", ErrNotInventory, te.Field, te.Value)
		}
		return Inventory{}, fmt.Errorf("JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Inventory{}, fmt.Errorf("JSON: text after the inventory document")
	}
	if d.Content == nil {
		return Inventory{}, fmt.Errorf(`%w: the JSON has no "content" object (a GLPI inventory has "deviceid" and "content")`, ErrNotInventory)
	}
	c := d.Content
	inv := Inventory{
		Format:   "glpi-json",
		DeviceID: string(d.DeviceID),
		ItemType: string(d.ItemType),
		HostName: strings.TrimSpace(string(c.Hardware.Name)),
		OS:       firstOf(string(c.OperatingSystem.FullName), string(c.Hardware.OSName), join(string(c.OperatingSystem.Name), string(c.OperatingSystem.Version))),
	}
	if c.Softwares != nil {
		inv.HasSoftware = true
		for _, s := range *c.Softwares {
			inv.Software = append(inv.Software, Software{
				Name: string(s.Name), Version: string(s.Version), Publisher: string(s.Publisher),
				From: string(s.From), Arch: string(s.Arch), InstallDate: string(s.InstallDate),
				Folder: string(s.Folder), ReleaseType: string(s.ReleaseType),
				SystemCategory: string(s.SystemCategory), Comments: string(s.Comments), GUID: string(s.GUID),
			})
		}
	}
	return inv, nil
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

func join(a, b string) string {
	return strings.TrimSpace(strings.TrimSpace(a) + " " + strings.TrimSpace(b))
}

// readXML reads a REQUEST document as a stream of tokens, keeping only the
// sections it needs; nesting and element text are bounded.
func readXML(r io.Reader, kind Kind) (Inventory, error) {
	dec := xml.NewDecoder(&controlFilter{r: r})
	dec.CharsetReader = func(charset string, in io.Reader) (io.Reader, error) {
		if out := textdec.DecodeAs(charset, in); out != nil {
			return out, nil
		}
		return nil, fmt.Errorf("unsupported XML encoding %q", charset)
	}
	format := "glpi-xml"
	if kind == OCS {
		format = "ocs-xml"
	}
	inv := Inventory{Format: format}
	var (
		path       []string
		buf        strings.Builder
		cur        *Software
		hw         = map[string]string{}
		osys       = map[string]string{}
		sawContent bool
	)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			if len(path) > 0 {
				return Inventory{}, fmt.Errorf("%w: <%s> is not closed", ErrTruncated, path[len(path)-1])
			}
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) && strings.Contains(se.Msg, "unexpected EOF") {
				return Inventory{}, fmt.Errorf("%w (%w)", ErrTruncated, err)
			}
			return Inventory{}, fmt.Errorf("XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToUpper(t.Name.Local)
			if len(path) == 0 && name != "REQUEST" {
				return Inventory{}, fmt.Errorf("%w: the XML root element is <%s>, not <REQUEST>", ErrNotInventory, t.Name.Local)
			}
			if len(path) >= maxDepth {
				return Inventory{}, fmt.Errorf("XML: elements nested more than %d deep", maxDepth)
			}
			path = append(path, name)
			buf.Reset()
			if len(path) == 2 && name == "CONTENT" {
				sawContent = true
			}
			if len(path) == 3 && path[1] == "CONTENT" && name == "SOFTWARES" {
				inv.HasSoftware = true
				inv.Software = append(inv.Software, Software{})
				cur = &inv.Software[len(inv.Software)-1]
			}
		case xml.CharData:
			if buf.Len()+len(t) > maxText {
				return Inventory{}, fmt.Errorf("XML: <%s> holds more than %d bytes of text", path[len(path)-1], maxText)
			}
			buf.Write(t)
		case xml.EndElement:
			if len(path) == 0 {
				return Inventory{}, fmt.Errorf("XML: unexpected </%s>", t.Name.Local)
			}
			value := strings.TrimSpace(buf.String())
			buf.Reset()
			switch {
			case len(path) == 4 && path[1] == "CONTENT" && path[2] == "SOFTWARES" && cur != nil:
				setSoftware(cur, path[3], value)
			case len(path) == 4 && path[1] == "CONTENT" && path[2] == "HARDWARE":
				hw[path[3]] = value
			case len(path) == 4 && path[1] == "CONTENT" && path[2] == "OPERATINGSYSTEM":
				osys[path[3]] = value
			case len(path) == 3 && path[1] == "CONTENT" && path[2] == "SOFTWARES":
				cur = nil
			case len(path) == 2 && path[1] == "DEVICEID":
				inv.DeviceID = value
			}
			path = path[:len(path)-1]
		}
	}
	if !sawContent {
		return Inventory{}, fmt.Errorf("%w: the <REQUEST> has no <CONTENT>", ErrNotInventory)
	}
	inv.HostName = hw["NAME"]
	inv.OS = firstOf(osys["FULL_NAME"], hw["OSNAME"], join(osys["NAME"], osys["VERSION"]))
	return inv, nil
}

func setSoftware(s *Software, field, v string) {
	switch field {
	case "NAME":
		s.Name = v
	case "VERSION":
		s.Version = v
	case "PUBLISHER":
		s.Publisher = v
	case "FROM":
		s.From = v
	case "ARCH", "ARCHITECTURE":
		s.Arch = v
	case "BITSWIDTH":
		if s.Arch == "" {
			s.Arch = v
		}
	case "INSTALLDATE", "INSTALL_DATE":
		s.InstallDate = v
	case "FOLDER":
		s.Folder = v
	case "RELEASE_TYPE":
		s.ReleaseType = v
	case "SYSTEM_CATEGORY":
		s.SystemCategory = v
	case "COMMENTS":
		s.Comments = v
	case "GUID":
		s.GUID = v
	}
}

// controlFilter replaces the C0 control characters XML forbids (agents
// copy them from registry values) with spaces, so that one stray byte
// does not lose a whole inventory.
type controlFilter struct{ r io.Reader }

func (c *controlFilter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := 0; i < n; i++ {
		if b := p[i]; b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
			p[i] = ' '
		}
	}
	return n, err
}

// limited fails once more than left bytes have been read.
type limited struct {
	r    io.Reader
	left int64
	over bool
}

func (l *limited) Read(p []byte) (int, error) {
	if l.left <= 0 {
		var one [1]byte
		if n, _ := l.r.Read(one[:]); n == 0 {
			return 0, io.EOF
		}
		l.over = true
		return 0, ErrTooLarge
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}
