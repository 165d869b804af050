package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/report"
)

// TestRichGolden pins the human and CI formats on the result that
// exercises them all, in both languages where the format has them.
func TestRichGolden(t *testing.T) {
	res := richResult()
	for _, tc := range []struct {
		name, format string
		o            report.Options
	}{
		{"rich-html-fr", "html", report.Options{}},
		{"rich-html-en", "html", report.Options{Lang: "en"}},
		{"rich-markdown-fr", "markdown", report.Options{Lang: "fr"}},
		{"rich-markdown-en", "markdown", report.Options{Lang: "en"}},
		{"rich-csv", "csv", report.Options{}},
		{"rich-csv-findings", "csv-findings", report.Options{}},
		{"rich-sarif", "sarif", report.Options{}},
		{"rich-junit", "junit", report.Options{}},
		{"rich-junit-fail-on-high", "junit", report.Options{FailOn: sillage.SeverityHigh}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := render(t, tc.format, tc.o, res)
			assertGolden(t, tc.name, got)
			if again := render(t, tc.format, tc.o, res); !bytes.Equal(got, again) {
				t.Errorf("%s output differs between two renderings", tc.name)
			}
		})
	}
}

func TestUnknownLanguage(t *testing.T) {
	for _, f := range []string{"html", "markdown"} {
		r, err := report.New(f, report.Options{Lang: "de"})
		if err != nil {
			t.Fatal(err)
		}
		err = r.Report(&bytes.Buffer{}, richResult())
		if err == nil || !strings.Contains(err.Error(), `"de"`) || !strings.Contains(err.Error(), "fr, en") {
			t.Errorf("%s with lang de: err = %v, want the languages listed", f, err)
		}
	}
	if err := report.CheckLang("en"); err != nil {
		t.Error(err)
	}
}
