package winreg

import (
	"bytes"
	"io"
	"testing"

	"github.com/sillage-oss/sillage/scanner/internal/textdec"
)

// hklmExport is the HKLM fixture repeated to about 8 MB, each copy under
// another key name so that every subkey is a new entry, as in a full
// `reg export HKLM\SOFTWARE`.
func hklmExport(b *testing.B) []byte {
	b.Helper()
	one := decodeFixture(b)
	var text bytes.Buffer
	text.WriteString("Windows Registry Editor Version 5.00\r\n\r\n")
	for i := 0; text.Len() < 8<<20; i++ {
		text.WriteString(string(bytes.ReplaceAll(one, []byte(`\Uninstall\`), []byte(`\Uninstall\`+string(rune('a'+i%26))))))
	}
	return utf16le(text.String())
}

func decodeFixture(b *testing.B) []byte {
	data, err := osReadFixture("uninstall-hklm.reg")
	if err != nil {
		b.Fatal(err)
	}
	r, _, err := textdec.Decode(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	text, err := io.ReadAll(r)
	if err != nil {
		b.Fatal(err)
	}
	// drop the header: the copies are appended to one
	return bytes.TrimPrefix(text, []byte("Windows Registry Editor Version 5.00\r\n\r\n"))
}

// BenchmarkDecodeUTF16 is the baseline: decoding the export's text, which
// any reader of the file must do.
func BenchmarkDecodeUTF16(b *testing.B) {
	data := hklmExport(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		r, _, _ := textdec.Decode(bytes.NewReader(data))
		if _, err := io.Copy(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseReg reads the same export into entries.
func BenchmarkParseReg(b *testing.B) {
	data := hklmExport(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := ParseReg(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
