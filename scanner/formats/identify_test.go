package formats

import (
	"bufio"
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
				t.Errorf("PUID %q, want %q (version %q)", m.PUID, l.puid, m.Version)
			}
		})
	}
}
