package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

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

func TestSARIFValidAgainstSchema(t *testing.T) {
	s := compileSchema(t, "testdata", "sarif-schema-2.1.0.json")
	for name, res := range map[string]sillage.Result{"sample": sampleResult(), "rich": richResult(), "empty": emptyResult()} {
		t.Run(name, func(t *testing.T) {
			validate(t, s, render(t, "sarif", report.Options{}, res))
		})
	}
}

func emptyResult() sillage.Result {
	r := sillage.Result{SchemaVersion: 1, Tool: sillage.Tool{Name: "sillage", Version: "dev"}, Target: sillage.Target{Scheme: sillage.SchemeDir, Path: "/src"}}
	r.Normalize()
	return r
}

type sarifDoc struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID                   string `json:"id"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		OriginalURIBaseIDs map[string]struct {
			URI string `json:"uri"`
		} `json:"originalUriBaseIds"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			Suppressions []struct {
				Kind          string `json:"kind"`
				Justification string `json:"justification"`
			} `json:"suppressions"`
			BaselineState       string            `json:"baselineState"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
		} `json:"results"`
	} `json:"runs"`
}

// TestSARIFContent checks what code-scanning services rely on: each rule
// once, levels from severities, every result located in a file relative
// to the target, waivers as suppressions, baseline states.
func TestSARIFContent(t *testing.T) {
	res := richResult()
	var doc sarifDoc
	if err := json.Unmarshal(render(t, "sarif", report.Options{}, res), &doc); err != nil {
		t.Fatal(err)
	}
	run := doc.Runs[0]
	if got := run.OriginalURIBaseIDs["TARGETROOT"].URI; got != "file:///" {
		t.Errorf("target root = %q", got)
	}
	rules := map[string]bool{}
	for _, r := range run.Tool.Driver.Rules {
		if rules[r.ID] {
			t.Errorf("rule %s listed twice", r.ID)
		}
		rules[r.ID] = true
	}
	if len(rules) != 8 {
		t.Errorf("%d rules, want 8", len(rules))
	}
	if len(run.Results) != len(res.Findings) {
		t.Fatalf("%d results for %d findings", len(run.Results), len(res.Findings))
	}
	levels := map[sillage.Severity]string{"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
	fps := map[string]bool{}
	for i, r := range run.Results {
		f := res.Findings[i]
		if r.RuleID != f.RuleID || run.Tool.Driver.Rules[r.RuleIndex].ID != f.RuleID || r.Message.Text != f.Message {
			t.Errorf("result %d: %s (rule %d) %q, finding %s %q", i, r.RuleID, r.RuleIndex, r.Message.Text, f.RuleID, f.Message)
		}
		if r.Level != levels[f.Severity] {
			t.Errorf("result %d: level %s for %s", i, r.Level, f.Severity)
		}
		if len(r.Locations) != 1 || r.Locations[0].PhysicalLocation.ArtifactLocation.URI == "" || r.Locations[0].PhysicalLocation.ArtifactLocation.URIBaseID != "TARGETROOT" {
			t.Errorf("result %d has no artifact location: %+v", i, r.Locations)
		}
		if (f.Waiver != nil) != (len(r.Suppressions) == 1) {
			t.Errorf("result %d: suppressions %+v for waiver %+v", i, r.Suppressions, f.Waiver)
		} else if f.Waiver != nil && (r.Suppressions[0].Kind != "external" || r.Suppressions[0].Justification != f.Waiver.Justification) {
			t.Errorf("result %d: suppression %+v", i, r.Suppressions[0])
		}
		want := map[string]string{"new": "new", "existing": "unchanged", "": ""}[f.Baseline]
		if r.BaselineState != want {
			t.Errorf("result %d: baselineState %q for baseline %q", i, r.BaselineState, f.Baseline)
		}
		fp := r.PartialFingerprints["sillageFinding/v1"]
		if len(fp) != 32 || fps[fp] {
			t.Errorf("result %d: fingerprint %q missing or not unique", i, fp)
		}
		fps[fp] = true
	}
	uris := map[string]string{}
	for i, r := range run.Results {
		uris[res.Findings[i].RuleID+" "+res.Findings[i].Message[:10]] = r.Locations[0].PhysicalLocation.ArtifactLocation.URI
	}
	for _, want := range []string{"srv/app/docs/contrat%20final.docx", "srv/app/package-lock.json", "var/lib/dpkg/status", "HKLM%5CSOFTWARE%5CMicrosoft%5CWindows%5CCurrentVersion%5CUninstall%5CWinRAR%20archiver"} {
		if !slices.Contains(slices.Collect(maps.Values(uris)), want) {
			t.Errorf("no result located at %s; have %v", want, uris)
		}
	}

	// an SBOM target: results point at the SBOM file, from its directory
	sb := richResult()
	sb.Target = sillage.Target{Scheme: sillage.SchemeSBOM, Path: "/builds/app/vendor sbom.cdx.json"}
	if err := json.Unmarshal(render(t, "sarif", report.Options{}, sb), &doc); err != nil {
		t.Fatal(err)
	}
	if got := doc.Runs[0].OriginalURIBaseIDs["TARGETROOT"].URI; got != "file:///builds/app/" {
		t.Errorf("sbom target root = %q", got)
	}
	for _, r := range doc.Runs[0].Results {
		if got := r.Locations[0].PhysicalLocation.ArtifactLocation.URI; got != "vendor%20sbom.cdx.json" {
			t.Errorf("sbom result located at %q", got)
		}
	}
}

type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []struct {
		Name       string `xml:"name,attr"`
		Tests      int    `xml:"tests,attr"`
		Failures   int    `xml:"failures,attr"`
		Errors     int    `xml:"errors,attr"`
		Skipped    int    `xml:"skipped,attr"`
		Timestamp  string `xml:"timestamp,attr"`
		Properties []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"properties>property"`
		Cases []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Time      string `xml:"time,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// TestJUnitStructure checks the document as JUnit readers (GitLab,
// Jenkins) read it: the root is testsuites, the counts add up, and each
// finding is a test case whose outcome follows its status.
func TestJUnitStructure(t *testing.T) {
	res := richResult()
	for _, tc := range []struct {
		failOn    sillage.Severity
		failures  int
		skipped   int
		firstRule string
	}{
		// active and >= low: critical, high (new), medium RGI, two low
		{"", 5, 4, "LIC-DENIED"},
		{sillage.SeverityHigh, 2, 4, "LIC-DENIED"},
	} {
		data := render(t, "junit", report.Options{FailOn: tc.failOn}, res)
		if !bytes.HasPrefix(data, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
			t.Error("no XML declaration")
		}
		var doc junitDoc
		if err := xml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		if doc.Tests != len(res.Findings) || doc.Failures != tc.failures || doc.Skipped != tc.skipped || doc.Errors != 0 {
			t.Errorf("fail-on %q: tests %d failures %d skipped %d, want %d %d %d", tc.failOn, doc.Tests, doc.Failures, doc.Skipped, len(res.Findings), tc.failures, tc.skipped)
		}
		if doc.Suites[0].Name != tc.firstRule {
			t.Errorf("first suite %s, want the most serious rule %s", doc.Suites[0].Name, tc.firstRule)
		}
		sum := [3]int{}
		for _, s := range doc.Suites {
			n := [3]int{}
			for _, c := range s.Cases {
				n[0]++
				if c.Failure != nil {
					n[1]++
					if c.Failure.Type == "" || c.Failure.Message == "" || !strings.Contains(c.Failure.Text, "remediation:") {
						t.Errorf("%s: failure without type, message or remediation: %+v", s.Name, c.Failure)
					}
				}
				if c.Skipped != nil {
					n[2]++
				}
				if c.Failure != nil && c.Skipped != nil {
					t.Errorf("%s/%s both failed and skipped", s.Name, c.Name)
				}
				if c.Name == "" || c.Classname != "sillage."+s.Name || c.Time != "0" {
					t.Errorf("%s: test case %+v", s.Name, c)
				}
			}
			if n != [3]int{s.Tests, s.Failures, s.Skipped} {
				t.Errorf("suite %s says %d/%d/%d, has %v", s.Name, s.Tests, s.Failures, s.Skipped, n)
			}
			if s.Timestamp != "2026-11-23T09:30:00" || len(s.Properties) == 0 {
				t.Errorf("suite %s: timestamp %q, properties %v", s.Name, s.Timestamp, s.Properties)
			}
			for i := range sum {
				sum[i] += n[i]
			}
		}
		if sum != [3]int{doc.Tests, doc.Failures, doc.Skipped} {
			t.Errorf("suites add up to %v, root says %d/%d/%d", sum, doc.Tests, doc.Failures, doc.Skipped)
		}
	}
	// the waiver's justification and expiry are the skip reason
	if data := string(render(t, "junit", report.Options{}, res)); !strings.Contains(data, `<skipped message="waived by pidgin-until-tchap until 2027-06-30: Tchap rollout ends in June &lt;img src=x onerror=alert(1)&gt;">`) {
		t.Error("waived finding is not skipped with its justification")
	}
	// no findings: one passing case, never an empty report
	var doc junitDoc
	if err := xml.Unmarshal(render(t, "junit", report.Options{}, emptyResult()), &doc); err != nil || doc.Tests != 1 || doc.Failures != 0 || len(doc.Suites) != 1 {
		t.Errorf("empty result: %+v, %v", doc, err)
	}
}

func TestCSVFormulaInjection(t *testing.T) {
	res := richResult()
	for _, f := range []string{"csv", "csv-findings"} {
		t.Run(f, func(t *testing.T) {
			data := render(t, f, report.Options{}, res)
			rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			want := len(res.Components)
			if f == "csv-findings" {
				want = len(res.Findings)
			}
			if len(rows) != want+1 {
				t.Errorf("%d rows, want a header and %d", len(rows), want)
			}
			found := false
			for _, row := range rows {
				for _, cell := range row {
					if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
						t.Errorf("cell %q would be evaluated as a formula", cell)
					}
					if cell == "'"+csvFormula || strings.HasPrefix(cell, "'"+csvFormula+"@") {
						found = true
					}
				}
			}
			if !found {
				t.Error("the formula name is not kept as text with a leading apostrophe")
			}
			if !bytes.Contains(data, []byte("\r\n")) {
				t.Error("rows are not CRLF-terminated (RFC 4180)")
			}
		})
	}
}

func TestMarkdownEscapingAndCap(t *testing.T) {
	md := string(render(t, "markdown", report.Options{Lang: "en"}, richResult()))
	for _, bad := range []string{"<img", "<script", "</script", "](http", "<b>"} {
		// outside code spans, nothing may be markup
		for _, line := range strings.Split(md, "\n") {
			if regexp.MustCompile(`(^|[^\\])` + regexp.QuoteMeta(bad)).MatchString(stripCodeSpans(line)) {
				t.Errorf("markdown has raw %q outside code: %s", bad, line)
			}
		}
	}
	// every table row has as many cells as its header
	var cols int
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			cols = 0
			continue
		}
		n := len(regexp.MustCompile(`(^|[^\\])\|`).FindAllString(line, -1))
		if cols == 0 {
			cols = n
		} else if n != cols {
			t.Errorf("row has %d cells, header %d: %s", n-1, cols-1, line)
		}
	}
	if !strings.Contains(md, "`` a\\|b`c *d* [e](http://attacker.example) @team@0.1 ``") {
		t.Error("a name with a backtick and a pipe is not one code span")
	}

	// many findings: the table stops at 20 and says how many more
	res := richResult()
	base := res.Findings[0]
	for i := range 30 {
		f := base
		f.Message = fmt.Sprintf("extra finding %02d", i)
		res.Findings = append(res.Findings, f)
	}
	md = string(render(t, "markdown", report.Options{Lang: "en"}, res))
	listed := len(regexp.MustCompile("(?m)^\\| [^|]+ \\| `[A-Z-]+` \\|").FindAllString(md, -1))
	if listed != 20 || !strings.Contains(md, "… and 19 more") {
		t.Errorf("%d finding rows; want 20 and '… and 19 more':\n%s", listed, md)
	}
}

func stripCodeSpans(line string) string {
	return regexp.MustCompile("``[^`].*?``|`[^`]*`").ReplaceAllString(line, "")
}

func TestGitHubAnnotationsEscaping(t *testing.T) {
	res := richResult()
	res.Target = sillage.Target{Scheme: sillage.SchemeDir, Path: "/home/runner/work/app/app"}
	res.Findings = append(res.Findings, sillage.Finding{
		RuleID: "X", Severity: sillage.SeverityHigh, Path: "/a,b:c.txt",
		Message: "line one\n::error::forged\r\n100%", Remediation: "fix",
	})
	var b bytes.Buffer
	if err := report.WriteGitHubAnnotations(&b, res, report.AnnotationOptions{FailOn: sillage.SeverityMedium, Workspace: "/home/runner/work/app/app/"}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	// active findings of severity low or more: critical, high new, the
	// added one, RGI medium, two low
	if len(lines) != 6 {
		t.Fatalf("%d lines, want 6:\n%s", len(lines), b.String())
	}
	want := "::error file=a%2Cb%3Ac.txt,title=sillage X (high)%3A /a%2Cb%3Ac.txt::line one%0A::error::forged%0D%0A100%25%0AWhat to do: fix"
	if !slices.Contains(lines, want) {
		t.Errorf("no line\n%s\nin\n%s", want, b.String())
	}
	for _, l := range lines {
		if !regexp.MustCompile(`^::(error|warning) `).MatchString(l) {
			t.Errorf("not a workflow command: %s", l)
		}
		if strings.HasPrefix(l, "::warning") && strings.Contains(l, "(critical)") {
			t.Errorf("a finding at or above --fail-on is a warning: %s", l)
		}
	}
	if !strings.Contains(b.String(), "::error file=srv/app/docs/contrat final.docx,title=sillage RGI-FORMAT (medium)") {
		t.Errorf("the file finding is not located relative to the workspace:\n%s", b.String())
	}
}

func TestI18nCatalogues(t *testing.T) {
	tmpl, err := os.ReadFile(filepath.Join("html", "report.html.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`\bt "([^"]+)"`).FindAllStringSubmatch(string(tmpl), -1) {
		used[m[1]] = true
	}
	if len(used) < 40 {
		t.Fatalf("found only %d message keys in the template", len(used))
	}
	keys := map[string][]string{}
	for _, lang := range report.Languages() {
		for k, v := range report.Messages(lang) {
			keys[k] = append(keys[k], lang)
			if strings.TrimSpace(v) == "" && k != "" {
				t.Errorf("%s: %s is empty", lang, k)
			}
		}
	}
	for k, langs := range keys {
		if len(langs) != len(report.Languages()) {
			t.Errorf("%s is only in %v", k, langs)
		}
	}
	for k := range used {
		if _, ok := keys[k]; !ok {
			t.Errorf("the template uses %q, which no catalogue has", k)
		}
	}
	fr, en := report.Messages("fr"), report.Messages("en")
	for k := range fr {
		if strings.Count(fr[k], "%") != strings.Count(en[k], "%") {
			t.Errorf("%s: fr and en have different verbs: %q, %q", k, fr[k], en[k])
		}
	}
}

func TestReadResult(t *testing.T) {
	res := richResult()
	back, notes, err := report.ReadResult(bytes.NewReader(render(t, "json", report.Options{}, res)))
	if err != nil || notes != nil {
		t.Fatalf("err %v, notes %v", err, notes)
	}
	if diff := cmp.Diff(res, back); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}
	_, _, err = report.ReadResult(strings.NewReader(`{"schemaVersion": 1}`))
	if !errors.Is(err, report.ErrResult) || sillage.HintOf(err) == "" || !strings.Contains(err.Error(), "missing properties") {
		t.Errorf("incomplete result: %v", err)
	}
}

func TestTableMarksWaivedAndBaselineFindings(t *testing.T) {
	out := string(render(t, "table", report.Options{}, richResult()))
	for _, want := range []string{
		"SILL-NO-LONGER-RECOMMENDED  pidgin@2.14.12-1 is Pidgin, which the SILL no longer recommends (entry 95) [waived until 2027-06-30: Tchap rollout ends in June " + xssImg + "]",
		"is older than 7.5, the minimal version the SILL recommends for LibreOffice [in the baseline]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the table does not say %q:\n%s", want, out)
		}
	}
}

// An empty result (a directory with nothing in it) renders in every
// format, and says so in the human ones.
func TestEmptyResultRenders(t *testing.T) {
	for _, f := range report.Formats() {
		out := string(render(t, f, report.Options{Lang: "en"}, emptyResult()))
		switch f {
		case "html":
			for _, want := range []string{"No findings.", "No components found.", "Nothing to chart."} {
				if !strings.Contains(out, want) {
					t.Errorf("html does not say %q", want)
				}
			}
		case "markdown":
			if !strings.Contains(out, "0 components · 0 on the SILL (–)") {
				t.Errorf("markdown:\n%s", out)
			}
		}
	}
}

// A finding's translation is shown in a report of that language, its own
// text in the others.
func TestReportsUseTranslations(t *testing.T) {
	res := richResult()
	for _, tc := range []struct {
		format, lang, want, not string
	}{
		{"html", "fr", "est sous une licence que la politique interdit", "is under a licence the policy denies"},
		{"html", "en", "is under a licence the policy denies", "est sous une licence que la politique interdit"},
		{"markdown", "fr", "est sous une licence que la politique interdit", "is under a licence the policy denies"},
		{"markdown", "en", "is under a licence the policy denies", "est sous une licence que la politique interdit"},
	} {
		out := string(render(t, tc.format, report.Options{Lang: tc.lang}, res))
		if !strings.Contains(out, tc.want) || strings.Contains(out, tc.not) {
			t.Errorf("%s %s: want %q and not %q", tc.format, tc.lang, tc.want, tc.not)
		}
	}
}
