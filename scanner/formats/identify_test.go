package formats

import (
	"archive/zip"
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sillage-oss/sillage/rules/rgi"
)

const testdata = "../../testdata/formats"

// label is one line of testdata/formats/labels.tsv: a real document and
// the format it is known to be (the program that wrote it says so).
type label struct {
	file, formatID, variant, puid string
}

func readLabels(t testing.TB) []label {
	t.Helper()
	f, err := os.Open(filepath.Join(testdata, "labels.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ls []label
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := strings.Split(line, "\t")
		for len(c) < 4 {
			c = append(c, "")
		}
		ls = append(ls, label{c[0], c[1], c[2], c[3]})
	}
	if len(ls) < 40 {
		t.Fatalf("only %d labelled files", len(ls))
	}
	return ls
}

func identifyPath(t testing.TB, id *Identifier, path string) Match {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return id.Identify(f, fi.Size(), filepath.Base(path))
}

var puidGap = map[string]bool{"png": true, "rtf": true}

// TestLabelledDocuments identifies every real document of the labelled set
// (LibreOffice, ImageMagick, SoX, FFmpeg, archivers: see testdata/README.md)
// and the hostile ones.
func TestLabelledDocuments(t *testing.T) {
	id := NewIdentifier(rgi.Load())
	for _, l := range readLabels(t) {
		t.Run(l.file, func(t *testing.T) {
			m := identifyPath(t, id, filepath.Join(testdata, l.file))
			if m.FormatID() != l.formatID {
				t.Fatalf("format %s, want %s (basis %s, detail %q, problem %q)", m.FormatID(), l.formatID, m.Basis, m.Detail, m.Problem)
			}
			if m.Variant != l.variant {
				t.Errorf("variant %q, want %q", m.Variant, l.variant)
			}
			if l.puid != "" && m.PUID != l.puid {
				// DROID tells PNG and RTF versions apart by chunks and
				// control words sillage does not read: it reports the
				// format's main PUID
				if !puidGap[l.formatID] || m.PUID != m.Format.PUID("") {
					t.Errorf("PUID %q, want %q (version %q)", m.PUID, l.puid, m.Version)
				}
			}
		})
	}
}

// The hostile files say what is wrong with them, and cost bounded reads.
func TestHostileFiles(t *testing.T) {
	id := NewIdentifier(rgi.Load())
	for file, want := range map[string]struct {
		basis, problem string
		mismatch       bool
	}{
		"hostile/truncated.docx":    {BasisExtension, "no end of central directory", false},
		"hostile/garbage.doc":       {BasisExtension, "corrupt OLE2", false},
		"hostile/bomb.zip":          {BasisContent, "possible ZIP bomb", false},
		"hostile/bomb.docx":         {BasisExtension, "possible ZIP bomb", false},
		"hostile/really-a-pdf.docx": {BasisContent, "", true},
		"hostile/empty.docx":        {BasisNone, "", false},
	} {
		r := &countingReader{path: filepath.Join(testdata, file)}
		fi, err := os.Stat(r.path)
		if err != nil {
			t.Fatal(err)
		}
		m := id.Identify(r, fi.Size(), file)
		if m.Basis != want.basis || !strings.Contains(m.Problem, want.problem) || (want.problem == "") != (m.Problem == "") || m.ExtensionMismatch != want.mismatch {
			t.Errorf("%s: basis %s problem %q mismatch %v; want %s, %q, %v", file, m.Basis, m.Problem, m.ExtensionMismatch, want.basis, want.problem, want.mismatch)
		}
		// the bombs declare 20 MB: identification reads a few kilobytes
		if r.n > 200<<10 {
			t.Errorf("%s: read %d bytes", file, r.n)
		}
	}
}

// countingReader counts the bytes identification reads.
type countingReader struct {
	path string
	n    int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	f, err := os.Open(c.path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n, err := f.ReadAt(p, off)
	c.n += int64(n)
	return n, err
}

// LibreOffice writes Transitional only; a Strict document is the real
// letter.docx with its main part in the Strict namespace.
func TestOOXMLStrict(t *testing.T) {
	src, err := zip.OpenReader(filepath.Join(testdata, "real", "letter.docx"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range src.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "word/document.xml" {
			data = bytes.ReplaceAll(data, []byte("http://schemas.openxmlformats.org/wordprocessingml/2006/main"), []byte("http://purl.oclc.org/ooxml/wordprocessingml/main"))
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	zw.Close()
	m := NewIdentifier(rgi.Load()).Identify(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "strict.docx")
	if m.FormatID() != "docx" || m.Variant != "strict" || m.PUID != "fmt/1827" {
		t.Errorf("strict docx: %s %q %s", m.FormatID(), m.Variant, m.PUID)
	}
}

// Text formats by content: HTML without its extension, JSON that does not
// parse, mail, an SVG named .xml.
func TestTextFormats(t *testing.T) {
	id := NewIdentifier(rgi.Load())
	for _, c := range []struct{ name, content, want string }{
		{"page.txt", "<!DOCTYPE html>\n<html><body>x</body></html>", "html"},
		{"broken.json", "{\"a\": ", "json"}, // text with the extension: still what the user calls JSON
		{"ok.json", "[1, 2]", "json"},
		{"notes", "just words, no extension\n", "txt"},
		{"msg.eml", "From: a@b.fr\nTo: c@d.fr\nSubject: x\nDate: Mon, 1 Jan 2026 00:00:00 +0000\n\nbody\n", "eml"},
		{"logo.xml", "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\"/>", "svg"},
		{"plan.kml", "<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document/></kml>", "kml"},
		{"report.txt", "BMW annual report\n", "txt"}, // "BM" is a bitmap only with .bmp
		{"style.css", "body { color: red }\n", "css"},
		{"data.bin", "\x00\x01\x02\x03binary", "unidentified"},
	} {
		m := id.Identify(strings.NewReader(c.content), int64(len(c.content)), c.name)
		if m.FormatID() == "unidentified" && c.want == "txt" {
			t.Errorf("%s: unidentified", c.name)
		}
		if got := m.FormatID(); got != c.want {
			t.Errorf("%s: %s (basis %s), want %s", c.name, got, m.Basis, c.want)
		}
	}
}

// Identify never panics and never reads past the caps, whatever the bytes.
func FuzzIdentify(f *testing.F) {
	for _, l := range readLabels(f) {
		data, err := os.ReadFile(filepath.Join(testdata, l.file))
		if err == nil && len(data) < 64<<10 {
			f.Add(data, filepath.Base(l.file))
		}
	}
	id := NewIdentifier(rgi.Load())
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		m := id.Identify(bytes.NewReader(data), int64(len(data)), name)
		if m.Format == nil && m.Basis != BasisNone {
			t.Errorf("unidentified with basis %s", m.Basis)
		}
	})
}

func BenchmarkIdentify(b *testing.B) {
	id := NewIdentifier(rgi.Load())
	ls := readLabels(b)
	type file struct {
		name string
		data []byte
	}
	var files []file
	for _, l := range ls {
		data, err := os.ReadFile(filepath.Join(testdata, l.file))
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, file{filepath.Base(l.file), data})
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		f := files[i%len(files)]
		id.Identify(bytes.NewReader(f.data), int64(len(f.data)), f.name)
	}
}
