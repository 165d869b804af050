package textdec

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	for name, tt := range map[string]struct {
		in   []byte
		enc  Encoding
		text string
	}{
		"utf-16le bom":    {[]byte{0xFF, 0xFE, 'C', 0, 'a', 0, 'f', 0, 0xE9, 0}, UTF16LE, "Café"},
		"utf-16be bom":    {[]byte{0xFE, 0xFF, 0, 'C', 0, 'a', 0, 'f', 0, 0xE9}, UTF16BE, "Café"},
		"utf-16le no bom": {[]byte{'[', 0, 'C', 0, 'a', 0, 'f', 0, 0xE9, 0}, UTF16LENoBOM, "[Café"},
		"utf-8 bom":       {[]byte{0xEF, 0xBB, 0xBF, 'C', 'a', 'f', 0xC3, 0xA9}, UTF8BOM, "Café"},
		"utf-8":           {[]byte("Café"), UTF8, "Café"},
		"windows-1252":    {[]byte{'C', 'a', 'f', 0xE9, ' ', 0x80}, Windows1252, "Café €"},
		"empty":           {nil, UTF8, ""},
	} {
		r, enc, err := Decode(bytes.NewReader(tt.in))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		got, err := io.ReadAll(r)
		if err != nil || enc != tt.enc || string(got) != tt.text {
			t.Errorf("%s: %q %s %v, want %q %s", name, got, enc, err, tt.text, tt.enc)
		}
	}
}

func TestDecodeOddUTF16(t *testing.T) {
	r, _, err := Decode(bytes.NewReader([]byte{0xFF, 0xFE, 'a', 0, 'b'}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(r); !errors.Is(err, ErrOddLength) {
		t.Errorf("error %v, want ErrOddLength", err)
	}
}

func TestDecodeAs(t *testing.T) {
	r := DecodeAs("ISO-8859-1", bytes.NewReader([]byte{0xE9}))
	got, _ := io.ReadAll(r)
	if string(got) != "é" {
		t.Errorf("got %q", got)
	}
	if DecodeAs("EBCDIC", bytes.NewReader(nil)) != nil {
		t.Error("an unknown charset was accepted")
	}
}

func TestFirstSignificant(t *testing.T) {
	for in, want := range map[string]byte{
		"  \r\n\t{\"a\":1}":       '{',
		"\xEF\xBB\xBF<REQUEST>":   '<',
		" \xEF\xBB\xBF [1]":       '[',
		"\xEF\xBBx":               0xEF, // not a whole BOM: the byte itself
		"Windows Registry Editor": 'W',
		" \n ":                    0,
		"":                        0,
	} {
		br := bufio.NewReader(strings.NewReader(in))
		got, err := FirstSignificant(br)
		if err != nil || got != want {
			t.Errorf("FirstSignificant(%q) = %q, %v; want %q", in, got, err, want)
		}
		if want != 0 {
			if b, _ := br.Peek(1); len(b) == 0 || b[0] != want {
				t.Errorf("FirstSignificant(%q) consumed the byte it returned", in)
			}
		}
	}
}
