package rgi

import (
	"testing"

	"github.com/sillage-oss/sillage/rules/sill"
)

func TestEmbedded(t *testing.T) {
	tab := Load()
	if len(tab.Formats) != 98 {
		t.Errorf("%d formats, want the 98 of the research table", len(tab.Formats))
	}
	for _, id := range []string{"odt", "docx", "doc", "pdf", "pdfa", "png", "zip", "ooxml-encrypted"} {
		if _, ok := tab.Format(id); !ok {
			t.Errorf("format %s missing", id)
		}
	}
}

// The statuses the research could establish are reported; the others are
// never presented as RGI rulings.
func TestReportedStatus(t *testing.T) {
	tab := Load()
	for id, want := range map[string]string{
		"odt":     StatusRecommended, // secondary
		"docx":    StatusObservation, // rgi-text
		"doc":     StatusAbsent,      // rgi-text
		"pdf":     StatusRecommended, // official-derivative
		"pdfa":    StatusUnverified,  // draft
		"png":     StatusUnverified,  // draft
		"svg":     StatusUnverified,  // unverified
		"rar":     StatusUnverified,  // inferred
		"geojson": StatusUnknown,     // official-derivative, status unknown
	} {
		f, _ := tab.Format(id)
		if got := f.Reported(); got != want {
			t.Errorf("%s (%s/%s): reported %q, want %q", id, f.RGI.Status, f.RGI.Confidence, got, want)
		}
	}
	for _, f := range tab.Formats {
		if f.RGI.Status == StatusUnknown && f.Reported() != StatusUnknown && f.Reported() != StatusUnverified {
			t.Errorf("%s: unknown status reported as %q", f.ID, f.Reported())
		}
	}
}

// Every SILL tool named for a conversion is an entry of the embedded SILL
// with that id and name, and every format to migrate that has one names a
// replacement.
func TestConvertWithAreSILLEntries(t *testing.T) {
	cat := sill.Embedded()
	n := 0
	for _, f := range Load().Formats {
		for _, c := range f.ConvertWith {
			n++
			s, ok := cat.ByID(c.SILL)
			if !ok {
				t.Errorf("%s: SILL id %d not in the embedded SILL", f.ID, c.SILL)
				continue
			}
			if s.Name != c.Name {
				t.Errorf("%s: SILL %d is %q, not %q", f.ID, c.SILL, s.Name, c.Name)
			}
		}
		if f.Action == ActionMigrate && len(f.Replacement) == 0 {
			t.Errorf("%s: migrate without a replacement", f.ID)
		}
	}
	if n < 40 {
		t.Errorf("only %d conversion tools", n)
	}
	doc, _ := Load().Format("doc")
	if len(doc.ConvertWith) != 1 || doc.ConvertWith[0].SILL != 78 {
		t.Errorf("doc converts with %v, want LibreOffice (78)", doc.ConvertWith)
	}
}

func TestPUID(t *testing.T) {
	tab := Load()
	for _, c := range []struct{ id, version, want string }{
		{"odt", "1.3", "fmt/1756"}, {"odt", "", "fmt/136"}, {"docx", "strict", "fmt/1827"}, {"docx", "transitional", "fmt/412"},
		{"pdf", "1.7", "fmt/276"}, {"pdf", "9.9", "fmt/276"}, {"pdfa", "2b", "fmt/477"}, {"html", "", "fmt/96"}, {"html", "5", "fmt/471"},
		{"txt", "", "x-fmt/111"},
	} {
		f, _ := tab.Format(c.id)
		if got := f.PUID(c.version); got != c.want {
			t.Errorf("%s %q: PUID %q, want %q", c.id, c.version, got, c.want)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for name, doc := range map[string]string{
		"status":      "schema_version: 1\nformats:\n  - {id: a, rgi: {status: banned, confidence: draft}, action: none, severity: info}\n",
		"confidence":  "schema_version: 1\nformats:\n  - {id: a, rgi: {status: unknown, confidence: sure}, action: none, severity: info}\n",
		"kind":        "schema_version: 1\nformats:\n  - {id: a, rgi: {status: unknown, confidence: draft}, action: none, severity: info, signatures: [{kind: guess}]}\n",
		"replacement": "schema_version: 1\nformats:\n  - {id: a, rgi: {status: unknown, confidence: draft}, action: migrate, severity: info, replacement: [zz]}\n",
		"field":       "schema_version: 1\nformats:\n  - {id: a, rgi: {status: unknown, confidence: draft}, action: none, severity: info, colour: red}\n",
		"duplicate":   "schema_version: 1\nformats:\n  - {id: a, rgi: {status: unknown, confidence: draft}, action: none, severity: info}\n  - {id: a, rgi: {status: unknown, confidence: draft}, action: none, severity: info}\n",
	} {
		if _, err := Parse([]byte(doc)); err == nil {
			t.Errorf("%s: Parse accepted %q", name, doc)
		}
	}
}
