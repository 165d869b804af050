package winreg

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sillage-oss/sillage/scanner/internal/textdec"
)

// MaxJSON bounds a PowerShell JSON document: ConvertTo-Json output of a
// workstation's Uninstall keys is a few megabytes.
const MaxJSON = 64 << 20

// ErrTooLarge is returned for a JSON document larger than MaxJSON.
var ErrTooLarge = fmt.Errorf("the JSON document is larger than %d MiB", MaxJSON>>20)

// Format is the kind of export Parse read.
type Format string

// The formats Parse recognises.
const (
	FormatReg            Format = "reg"
	FormatPowerShellJSON Format = "powershell-json"
)

// Info describes what Parse read.
type Info struct {
	Format Format
	// Version is the .reg format version ("5.00", "4"); "" for JSON.
	Version  string
	Encoding textdec.Encoding
	// Computer is the machine name PowerShell recorded (PSComputerName,
	// present when the command ran through Invoke-Command), else "".
	Computer string
}

// Parse reads a registry export and returns its Uninstall subkeys: a .reg
// file (see ParseReg) or the JSON of PowerShell's
//
//	Get-ItemProperty HKLM:\Software\Microsoft\Windows\CurrentVersion\Uninstall\* | ConvertTo-Json
//
// (see ParsePowerShellJSON). The format is recognised from the content,
// whatever the text encoding.
func Parse(r io.Reader) ([]Entry, Info, error) {
	text, enc, err := textdec.Decode(r)
	if err != nil {
		return nil, Info{}, err
	}
	br := bufio.NewReaderSize(text, 64<<10)
	first, err := textdec.FirstSignificant(br)
	if err != nil {
		return nil, Info{Encoding: enc}, err
	}
	if first == '[' || first == '{' {
		entries, info, err := parsePSJSON(br)
		info.Encoding = enc
		return entries, info, err
	}
	entries, ri, err := ParseReg(br)
	return entries, Info{Format: FormatReg, Version: ri.Version, Encoding: enc}, err
}

// ParsePowerShellJSON reads ConvertTo-Json output of Get-ItemProperty over
// Uninstall keys: an array of objects, or a single object when there was
// one key. Each object's registry values are its properties; PSPath
// ("Microsoft.PowerShell.Core\Registry::HKEY_LOCAL_MACHINE\SOFTWARE\...")
// gives the key, or PSParentPath and PSChildName. Objects whose PSPath is
// not an Uninstall subkey are left out; objects without any path (a
// Select-Object that dropped it) are kept, with the key they can give.
// Nested objects (PSDrive, PSProvider) are skipped. The array is decoded
// one object at a time.
func ParsePowerShellJSON(r io.Reader) ([]Entry, Info, error) {
	text, enc, err := textdec.Decode(r)
	if err != nil {
		return nil, Info{}, err
	}
	entries, info, err := parsePSJSON(bufio.NewReader(text))
	info.Encoding = enc
	return entries, info, err
}

func parsePSJSON(r io.Reader) ([]Entry, Info, error) {
	info := Info{Format: FormatPowerShellJSON}
	lr := &limitReader{r: r, left: MaxJSON}
	dec := json.NewDecoder(lr)
	dec.UseNumber()
	wrap := func(err error) error {
		if lr.over {
			return ErrTooLarge
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return fmt.Errorf("the JSON document ends early: the file is truncated (%w)", err)
		}
		return fmt.Errorf("JSON: %w", err)
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, info, wrap(err)
	}
	var entries []Entry
	seen := 0
	add := func(obj map[string]json.RawMessage) error {
		seen++
		e, computer, ok := psEntry(obj)
		if computer != "" && info.Computer == "" {
			info.Computer = computer
		}
		if !ok {
			return nil
		}
		if len(entries) >= MaxEntries {
			return ErrTooMany
		}
		entries = append(entries, e)
		return nil
	}
	switch tok {
	case json.Delim('['):
		for dec.More() {
			var obj map[string]json.RawMessage
			if err := dec.Decode(&obj); err != nil {
				return nil, info, wrap(err)
			}
			if err := add(obj); err != nil {
				return nil, info, err
			}
		}
		if _, err := dec.Token(); err != nil {
			return nil, info, wrap(err)
		}
	case json.Delim('{'):
		// a single object: read it whole
		obj := map[string]json.RawMessage{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, info, wrap(err)
			}
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return nil, info, wrap(err)
			}
			if k, ok := kt.(string); ok {
				obj[k] = v
			}
		}
		if _, err := dec.Token(); err != nil {
			return nil, info, wrap(err)
		}
		if err := add(obj); err != nil {
			return nil, info, err
		}
	default:
		return nil, info, errors.New("JSON: expected an array or an object of registry values")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err == nil {
			return nil, info, errors.New("JSON: more than one document in the file")
		}
		return nil, info, wrap(err)
	}
	if seen > 0 && len(entries) == 0 {
		return nil, info, errors.New("the JSON holds no Uninstall registry entries (no object with DisplayName or a PSPath under ...\\CurrentVersion\\Uninstall)")
	}
	return entries, info, nil
}

const psRegistryPrefix = `Microsoft.PowerShell.Core\Registry::`

// psEntry turns one ConvertTo-Json object into an Entry; ok is false when
// the object is not an Uninstall subkey.
func psEntry(obj map[string]json.RawMessage) (e Entry, computer string, ok bool) {
	str := func(k string) string {
		for name, raw := range obj {
			if strings.EqualFold(name, k) {
				var s string
				if json.Unmarshal(raw, &s) == nil {
					return s
				}
			}
		}
		return ""
	}
	computer = str("PSComputerName")
	key := strings.TrimPrefix(str("PSPath"), psRegistryPrefix)
	if key == "" {
		if parent := strings.TrimPrefix(str("PSParentPath"), psRegistryPrefix); parent != "" {
			if child := str("PSChildName"); child != "" {
				key = parent + `\` + child
			}
		}
	}
	if key != "" {
		key = expandHive(key)
		if _, ok := UninstallSubkey(key); !ok {
			return Entry{}, computer, false
		}
	} else if str("DisplayName") == "" {
		return Entry{}, computer, false
	}
	e = NewEntry(key)
	for name, raw := range obj {
		if !Wanted(name) {
			continue
		}
		if v, ok := scalar(raw); ok {
			e.Set(name, v)
		}
	}
	return e, computer, true
}

// expandHive writes the PowerShell drive names as regedit does
// ("HKLM:\SOFTWARE" -> "HKEY_LOCAL_MACHINE\SOFTWARE").
func expandHive(key string) string {
	for short, long := range map[string]string{`HKLM:\`: `HKEY_LOCAL_MACHINE\`, `HKCU:\`: `HKEY_CURRENT_USER\`} {
		if len(key) >= len(short) && strings.EqualFold(key[:len(short)], short) {
			return long + key[len(short):]
		}
	}
	return key
}

// scalar returns a JSON string or number as text; false for null, objects
// and arrays.
func scalar(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", false
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	case 't', 'f':
		var b bool
		if json.Unmarshal(raw, &b) != nil {
			return "", false
		}
		if b {
			return "1", true
		}
		return "0", true
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		var n json.Number
		if json.Unmarshal(raw, &n) != nil {
			return "", false
		}
		if i, err := n.Int64(); err == nil {
			return strconv.FormatInt(i, 10), true
		}
		return n.String(), true
	}
	return "", false
}

// limitReader fails once more than left bytes have been read.
type limitReader struct {
	r    io.Reader
	left int64
	over bool
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
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
