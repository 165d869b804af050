// Package textdec turns the text files Windows tools write into UTF-8.
//
// Which encoding a file has depends on the tool and on how its output was
// saved: regedit and `reg export` write UTF-16LE with a byte-order mark;
// Windows PowerShell 5.1 redirection (`> file`) writes UTF-16LE with a BOM,
// `Out-File -Encoding utf8` UTF-8 with a BOM, PowerShell 7 UTF-8 without
// one; REGEDIT4 files are in the ANSI code page. Decode sniffs the first
// bytes and returns a reader of UTF-8 text, streaming: nothing is read
// ahead beyond a small buffer.
package textdec

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encoding names what Decode found.
type Encoding string

// The encodings Decode recognises.
const (
	UTF8         Encoding = "utf-8"
	UTF8BOM      Encoding = "utf-8-bom"
	UTF16LE      Encoding = "utf-16le-bom"
	UTF16BE      Encoding = "utf-16be-bom"
	UTF16LENoBOM Encoding = "utf-16le"
	Windows1252  Encoding = "windows-1252"
)

// ErrOddLength is returned when UTF-16 text ends in the middle of a code
// unit: the file was cut short.
var ErrOddLength = errors.New("UTF-16 text ends with half a character: the file is truncated")

// Decode returns a reader of the UTF-8 text of r, the byte-order mark
// removed, and the encoding found. Without a BOM, text whose first bytes
// alternate with NULs is UTF-16LE; valid UTF-8 is UTF-8; anything else is
// read as Windows-1252 (the ANSI code page of western Windows
// installations), which never fails.
func Decode(r io.Reader) (io.Reader, Encoding, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(4096)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, "", err
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		_, _ = br.Discard(2)
		return utf16Reader(br, unicode.LittleEndian), UTF16LE, nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		_, _ = br.Discard(2)
		return utf16Reader(br, unicode.BigEndian), UTF16BE, nil
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = br.Discard(3)
		return br, UTF8BOM, nil
	case looksUTF16LE(head):
		return utf16Reader(br, unicode.LittleEndian), UTF16LENoBOM, nil
	case validUTF8Prefix(head, len(head) == 4096):
		return br, UTF8, nil
	}
	return transform.NewReader(br, charmap.Windows1252.NewDecoder()), Windows1252, nil
}

// DecodeAs returns a reader of r decoded from a named character set, for
// XML declarations ("ISO-8859-1", "windows-1252"); nil when the name is
// unknown.
func DecodeAs(charset string, r io.Reader) io.Reader {
	var e encoding.Encoding
	switch lower(charset) {
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1":
		e = charmap.ISO8859_1
	case "iso-8859-15", "iso8859-15", "latin9", "latin-9":
		e = charmap.ISO8859_15
	case "windows-1252", "cp1252", "x-cp1252":
		e = charmap.Windows1252
	case "utf-16", "utf-16le":
		return utf16Reader(r, unicode.LittleEndian)
	case "utf-8", "utf8", "us-ascii", "ascii":
		return r
	default:
		return nil
	}
	return transform.NewReader(r, e.NewDecoder())
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// looksUTF16LE reports whether head is ASCII text in UTF-16LE without a
// BOM: NULs at every odd offset of the first characters.
func looksUTF16LE(head []byte) bool {
	if len(head) < 4 {
		return false
	}
	n := min(len(head)&^1, 64)
	for i := 0; i < n; i += 2 {
		if head[i] == 0 || head[i+1] != 0 {
			return false
		}
	}
	return true
}

// validUTF8Prefix reports whether head is valid UTF-8. When more text
// follows (cut), a character cut by the end of head is allowed.
func validUTF8Prefix(head []byte, cut bool) bool {
	if utf8.Valid(head) {
		return true
	}
	if !cut {
		return false
	}
	for k := 1; k < utf8.UTFMax && k < len(head); k++ {
		if utf8.Valid(head[:len(head)-k]) && !utf8.FullRune(head[len(head)-k:]) {
			return true
		}
	}
	return false
}

// utf16Reader decodes UTF-16 code units into UTF-8, checking that the
// input has an even number of bytes.
func utf16Reader(r io.Reader, order unicode.Endianness) io.Reader {
	dec := unicode.UTF16(order, unicode.IgnoreBOM).NewDecoder()
	return transform.NewReader(&evenReader{r: r}, dec)
}

// evenReader fails when its input ends after an odd number of bytes.
type evenReader struct {
	r io.Reader
	n int64
}

func (e *evenReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	e.n += int64(n)
	if errors.Is(err, io.EOF) && e.n%2 == 1 {
		return n, fmt.Errorf("%w (%d bytes)", ErrOddLength, e.n)
	}
	return n, err
}

// FirstSignificant returns the first byte of br that is not white space or
// a UTF-8 byte-order mark, without consuming it (the white space and BOM
// before it are consumed): what tells JSON ('{', '[') from XML ('<') or a
// .reg header. It returns 0 for input with nothing else.
func FirstSignificant(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.Peek(1)
		if errors.Is(err, io.EOF) {
			return 0, nil
		}
		if err != nil {
			return 0, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			_, _ = br.Discard(1)
			continue
		case 0xEF: // a BOM left inside UTF-8 text
			if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
				_, _ = br.Discard(3)
				continue
			}
		}
		return b[0], nil
	}
}
