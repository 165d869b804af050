package winreg

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"

	"github.com/sillage-oss/sillage/scanner/internal/textdec"
)

// Limits that keep a hostile or mistaken input from exhausting memory. A
// registry export is read as a stream: only the Uninstall subkeys and the
// values Entry keeps are held, so a full `reg export HKLM` of hundreds of
// megabytes is read in constant memory apart from them.
const (
	// MaxLine bounds a line, and a value with its continuation lines.
	MaxLine = 1 << 20
	// MaxEntries bounds the Uninstall subkeys of one input (a workstation
	// has a few hundred).
	MaxEntries = 100_000
)

// Errors of ParseReg and Parse.
var (
	// ErrNotReg: the text is not a registry export.
	ErrNotReg = errors.New(`not a registry export: the first line is neither "Windows Registry Editor Version 5.00" nor "REGEDIT4"`)
	// ErrTruncated: the input ends inside a value.
	ErrTruncated = errors.New("the export ends in the middle of a value: the file is truncated")
	// ErrTooMany: more Uninstall subkeys than MaxEntries.
	ErrTooMany = fmt.Errorf("more than %d Uninstall subkeys", MaxEntries)
)

// RegInfo describes a registry export.
type RegInfo struct {
	// Version is "5.00" for "Windows Registry Editor Version 5.00" files
	// (Unicode), "4" for REGEDIT4 files (ANSI).
	Version string
	// Encoding is the text encoding found (regedit writes UTF-16LE with a
	// byte-order mark).
	Encoding textdec.Encoding
}

// ParseReg reads a registry export as regedit and `reg export` write it
// and returns the Uninstall subkeys it holds, in file order, whatever else
// the export contains. The format:
//
//	Windows Registry Editor Version 5.00
//
//	[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\7-Zip]
//	"DisplayName"="7-Zip 23.01 (x64)"
//	"NoModify"=dword:00000001
//	"UninstallString"=hex(2):22,00,43,00,3a,00,5c,00,50,00,72,00,6f,00,67,00,72,00,\
//	  61,00,6d,00,20,00,46,00,69,00,6c,00,65,00,73,00,5c,00,...
//
// Strings are quoted with \\ and \" escaped; dword: is eight hex digits;
// hex(2) (REG_EXPAND_SZ), hex(1) (REG_SZ) and hex(7) (REG_MULTI_SZ) are the
// value's bytes in UTF-16LE (ANSI in REGEDIT4 files), hex(4) a
// little-endian DWORD, and a line ending in a backslash continues on the
// next. [-KEY] and "name"=- (deletions, in files meant for import) remove
// what they name. Several exports concatenated into one file are read as
// one.
func ParseReg(r io.Reader) ([]Entry, RegInfo, error) {
	text, enc, err := textdec.Decode(r)
	if err != nil {
		return nil, RegInfo{}, err
	}
	p := &regParser{rd: bufio.NewReaderSize(text, 64<<10), info: RegInfo{Encoding: enc}, index: map[string]int{}, cur: -1}
	if err := p.run(); err != nil {
		return nil, p.info, err
	}
	out := make([]Entry, 0, len(p.entries))
	for _, e := range p.entries {
		if e.Key != "" { // deleted by a later [-KEY]
			out = append(out, e)
		}
	}
	return out, p.info, nil
}

type regParser struct {
	rd      *bufio.Reader
	line    int
	info    RegInfo
	entries []Entry
	index   map[string]int // lower-cased key -> position in entries
	cur     int            // the Uninstall subkey being read, -1 in other keys
}

// physLine returns the next line without its line ending. A line longer
// than MaxLine is returned cut, with long set; last is the line's last
// byte that is not a space; eof is set after the last line.
func (p *regParser) physLine() (line string, long bool, last byte, eof bool, err error) {
	var b []byte
	for {
		chunk, err := p.rd.ReadSlice('\n')
		if t := strings.TrimRight(string(chunk), " \t\r\n\ufeff"); t != "" {
			last = t[len(t)-1]
		}
		if len(b)+len(chunk) <= MaxLine {
			b = append(b, chunk...)
		} else {
			long = true
			if room := MaxLine - len(b); room > 0 {
				b = append(b, chunk[:room]...)
			}
		}
		switch {
		case err == nil:
			p.line++
			return strings.TrimRight(string(b), "\r\n"), long, last, false, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(b) == 0 {
				return "", false, 0, true, nil
			}
			p.line++
			return strings.TrimRight(string(b), "\r\n"), long, last, false, nil
		default:
			return "", false, 0, false, err
		}
	}
}

func (p *regParser) errorf(format string, a ...any) error {
	return fmt.Errorf("line %d: %w", p.line, fmt.Errorf(format, a...))
}

func (p *regParser) run() error {
	header := false
	p.cur = -1
	for {
		line, long, last, eof, err := p.physLine()
		if err != nil {
			return err
		}
		if eof {
			if !header {
				return ErrNotReg
			}
			return nil
		}
		line = strings.TrimLeft(line, "\ufeff")
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			continue
		case trimmed == "Windows Registry Editor Version 5.00":
			header = true
			p.info.Version = "5.00"
			continue
		case trimmed == "REGEDIT4":
			header = true
			if p.info.Version == "" {
				p.info.Version = "4"
			}
			continue
		case !header:
			return ErrNotReg
		case trimmed[0] == ';':
			continue
		case trimmed[0] == '[':
			if err := p.key(trimmed, long); err != nil {
				return err
			}
		default:
			if err := p.value(line, long, last); err != nil {
				return err
			}
		}
	}
}

// key starts a new key: an Uninstall subkey becomes the current entry,
// any other key makes the values that follow ignored.
func (p *regParser) key(line string, long bool) error {
	if long {
		return p.errorf("key name longer than %d bytes", MaxLine)
	}
	end := strings.LastIndexByte(line, ']')
	if end < 0 {
		return p.errorf("key %q has no closing ]: %w", shorten(line), ErrTruncated)
	}
	name := line[1:end]
	deleted := strings.HasPrefix(name, "-")
	name = strings.TrimPrefix(name, "-")
	p.cur = -1
	if _, ok := UninstallSubkey(name); !ok {
		return nil
	}
	k := strings.ToLower(name)
	if deleted {
		if i, ok := p.index[k]; ok {
			p.entries[i].Key = ""
			delete(p.index, k)
		}
		return nil
	}
	i, ok := p.index[k]
	if !ok {
		if len(p.entries) >= MaxEntries {
			return ErrTooMany
		}
		i = len(p.entries)
		p.entries = append(p.entries, NewEntry(name))
		p.index[k] = i
	}
	p.cur = i
	return nil
}

// skip consumes the continuation lines of a value sillage does not read.
func (p *regParser) skip(start int, last byte) error {
	for last == '\\' {
		_, _, l, eof, err := p.physLine()
		if err != nil {
			return err
		}
		if eof {
			return fmt.Errorf("line %d: %w", start, ErrTruncated)
		}
		last = l
	}
	return nil
}

// value reads one value line, with its continuation lines.
func (p *regParser) value(line string, long bool, last byte) error {
	start := p.line
	tooLong := func(name string) error {
		return fmt.Errorf("line %d: value %q longer than %d bytes", start, name, MaxLine)
	}
	name, data, err := valueName(line)
	if long {
		// binary blobs and long strings of other values: skip them
		if p.cur >= 0 && err == nil && Wanted(name) {
			return tooLong(name)
		}
		return p.skip(start, last)
	}
	if err != nil {
		if errors.Is(err, errOpenString) {
			return fmt.Errorf("line %d: value name: %w", start, ErrTruncated)
		}
		return fmt.Errorf("line %d: %w", start, err)
	}
	wanted := p.cur >= 0 && Wanted(name)
	for {
		cont, err := continues(data)
		if err != nil {
			return fmt.Errorf("line %d: %w", start, err)
		}
		if !cont {
			break
		}
		next, nlong, nlast, eof, err := p.physLine()
		if err != nil {
			return err
		}
		if eof {
			return fmt.Errorf("line %d: value %q: %w", start, name, ErrTruncated)
		}
		hex := !strings.HasPrefix(data, `"`)
		if nlong || len(data)+len(next) > MaxLine {
			if wanted || !hex {
				return tooLong(name)
			}
			return p.skip(start, nlast)
		}
		if hex {
			data = strings.TrimSuffix(strings.TrimRight(data, " \t"), `\`) + strings.TrimSpace(next)
		} else {
			data += "\n" + next
		}
	}
	if !wanted {
		return nil
	}
	e := &p.entries[p.cur]
	if data == "-" {
		e.Delete(name)
		return nil
	}
	v, err := decodeData(data, p.info.Version == "4")
	if err != nil {
		return fmt.Errorf("line %d: value %q: %w", start, name, err)
	}
	e.Set(name, v)
	return nil
}

var errOpenString = errors.New("unterminated string")

// valueName splits `"name"=data` or `@=data`.
func valueName(line string) (name, data string, err error) {
	line = strings.TrimLeft(line, " \t")
	if strings.HasPrefix(line, "@") {
		rest := strings.TrimLeft(line[1:], " \t")
		if !strings.HasPrefix(rest, "=") {
			return "", "", fmt.Errorf("expected = after @ in %q", shorten(line))
		}
		return "", strings.TrimSpace(rest[1:]), nil
	}
	if !strings.HasPrefix(line, `"`) {
		return "", "", fmt.Errorf("expected a quoted value name or [key], got %q", shorten(line))
	}
	name, n, ok := unquote(line)
	if !ok {
		return "", "", errOpenString
	}
	rest := strings.TrimLeft(line[n:], " \t")
	if !strings.HasPrefix(rest, "=") {
		return "", "", fmt.Errorf("expected = after value name %q", name)
	}
	return name, strings.TrimSpace(rest[1:]), nil
}

// unquote reads a quoted string at the start of s, with \\ and \"
// escapes, and returns it, the length consumed and whether it was closed.
func unquote(s string) (string, int, bool) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
				continue
			}
			b.WriteByte(c)
		case '"':
			return b.String(), i + 1, true
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), len(s), false
}

// continues reports whether value data goes on on the next line: hex data
// ending in a backslash, or a string not yet closed.
func continues(data string) (bool, error) {
	switch {
	case strings.HasPrefix(data, `"`):
		_, n, ok := unquote(data)
		if !ok {
			return true, nil
		}
		if strings.TrimSpace(data[n:]) != "" {
			return false, fmt.Errorf("text after the closing quote: %q", shorten(data[n:]))
		}
		return false, nil
	case strings.HasPrefix(data, "hex"):
		return strings.HasSuffix(strings.TrimRight(data, " \t"), `\`), nil
	}
	return false, nil
}

// decodeData turns a value's data into the text Entry keeps: strings as
// they are, DWORDs in decimal, string types given in hex decoded.
func decodeData(data string, ansi bool) (string, error) {
	switch {
	case strings.HasPrefix(data, `"`):
		s, _, ok := unquote(data)
		if !ok {
			return "", ErrTruncated
		}
		return s, nil
	case strings.HasPrefix(data, "dword:"):
		// regedit always writes eight hex digits: fewer is a cut file
		digits := strings.TrimSpace(data[len("dword:"):])
		if len(digits) != 8 {
			return "", fmt.Errorf("dword %q has not eight hex digits: %w", shorten(data), ErrTruncated)
		}
		n, err := strconv.ParseUint(digits, 16, 32)
		if err != nil {
			return "", fmt.Errorf("bad dword %q", shorten(data))
		}
		return strconv.FormatUint(n, 10), nil
	case strings.HasPrefix(data, "hex"):
		typ, raw, ok := strings.Cut(data, ":")
		if !ok {
			return "", fmt.Errorf("bad hex data %q", shorten(data))
		}
		b, err := hexBytes(raw)
		if err != nil {
			return "", err
		}
		switch typ {
		case "hex(1)", "hex(2)":
			return regString(b, ansi), nil
		case "hex(7)":
			return strings.Join(strings.FieldsFunc(regStringAll(b, ansi), func(r rune) bool { return r == 0 }), "\n"), nil
		case "hex(4)":
			if len(b) != 4 {
				return "", fmt.Errorf("hex(4) DWORD of %d bytes", len(b))
			}
			return strconv.FormatUint(uint64(binary.LittleEndian.Uint32(b)), 10), nil
		case "hex(b)":
			if len(b) != 8 {
				return "", fmt.Errorf("hex(b) QWORD of %d bytes", len(b))
			}
			return strconv.FormatUint(binary.LittleEndian.Uint64(b), 10), nil
		}
		if strings.HasPrefix(typ, "hex(") || typ == "hex" {
			return "", nil // binary data: nothing sillage reads
		}
	}
	return "", fmt.Errorf("unrecognised value data %q", shorten(data))
}

// hexBytes parses "22,00,43,00" (spaces and an empty tail allowed).
func hexBytes(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(s, ",")
	out := make([]byte, 0, len(parts))
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" && i == len(parts)-1 {
			break
		}
		n, err := strconv.ParseUint(p, 16, 8)
		if err != nil {
			return nil, fmt.Errorf("bad hex byte %q", shorten(p))
		}
		out = append(out, byte(n))
	}
	return out, nil
}

// regString decodes a string value's bytes up to the first NUL.
func regString(b []byte, ansi bool) string {
	s := regStringAll(b, ansi)
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	return s
}

func regStringAll(b []byte, ansi bool) string {
	if ansi {
		s, err := charmap.Windows1252.NewDecoder().Bytes(b)
		if err != nil {
			return string(b)
		}
		return string(s)
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

func shorten(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
