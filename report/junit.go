package report

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/sillage-oss/sillage"
)

// JUnit XML, the test report format CI servers display (GitLab's
// artifacts:reports:junit, Jenkins, Azure DevOps). Each rule is a test
// suite and each finding a test case:
//   - an active finding at or above Options.FailOn (low when unset) is a
//     failure, its type the severity;
//   - a waived finding, or one already in the baseline, is skipped, with
//     the reason;
//   - any other finding (info, or below --fail-on) passes, its message in
//     system-out.
// A result with no findings has one passing test case, so that the report
// is never empty.

type junitReporter struct{ o Options }

func newJUnit(o Options) Reporter { return junitReporter{o} }

type junitTestSuites struct {
	XMLName  xml.Name         `xml:"testsuites"`
	Name     string           `xml:"name,attr"`
	Tests    int              `xml:"tests,attr"`
	Failures int              `xml:"failures,attr"`
	Errors   int              `xml:"errors,attr"`
	Skipped  int              `xml:"skipped,attr"`
	Time     string           `xml:"time,attr"`
	Suites   []junitTestSuite `xml:"testsuite"`
}

type junitTestSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Hostname   string          `xml:"hostname,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitTestCase `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitTestCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure"`
	Skipped   *junitSkipped `xml:"skipped"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

func (r junitReporter) Report(w io.Writer, res sillage.Result) error {
	res.Normalize()
	ix := newIndex(res)
	threshold := r.o.failThreshold()
	stamp := res.ScannedAt.UTC().Format("2006-01-02T15:04:05")
	host := ""
	if res.Host != nil {
		host = res.Host.Name
	}
	props := []junitProperty{{"target", res.Target.String()}, {"sillage.version", res.Tool.Version}, {"fail-on", string(threshold)}}
	for _, c := range res.Catalogs {
		props = append(props, junitProperty{"catalog." + c.Name, c.Version})
	}

	byRule := map[string]*junitTestSuite{}
	worst := map[string]int{}
	var order []string
	for _, f := range res.Findings {
		s, ok := byRule[f.RuleID]
		if !ok {
			s = &junitTestSuite{Name: f.RuleID, Time: "0", Timestamp: stamp, Hostname: host, Properties: props}
			byRule[f.RuleID] = s
			order = append(order, f.RuleID)
		}
		worst[f.RuleID] = max(worst[f.RuleID], f.Severity.Rank())
		name := ix.subject(f)
		if name == "" {
			name = res.Target.String()
		}
		tc := junitTestCase{Name: name, Classname: "sillage." + f.RuleID, File: junitFile(f, ix), Time: "0"}
		detail := junitDetail(f, ix)
		switch {
		case f.Waiver != nil:
			msg := "waived"
			if f.Waiver.ID != "" {
				msg += " by " + f.Waiver.ID
			}
			if f.Waiver.Expires != "" {
				msg += " until " + f.Waiver.Expires
			}
			tc.Skipped = &junitSkipped{Message: msg + ": " + f.Waiver.Justification}
			tc.SystemOut = detail
			s.Skipped++
		case f.Baseline == sillage.BaselineExisting:
			tc.Skipped = &junitSkipped{Message: "already in the baseline: " + f.Message}
			tc.SystemOut = detail
			s.Skipped++
		case f.Severity.Rank() >= threshold.Rank():
			tc.Failure = &junitFailure{Message: f.Message, Type: string(f.Severity), Text: detail}
			s.Failures++
		default:
			tc.SystemOut = detail
		}
		s.Tests++
		s.Cases = append(s.Cases, tc)
	}
	// the most serious rules first
	slices.SortStableFunc(order, func(a, b string) int {
		return cmp.Or(cmp.Compare(worst[b], worst[a]), strings.Compare(a, b))
	})
	doc := junitTestSuites{Name: "sillage " + res.Target.String(), Time: "0"}
	for _, id := range order {
		s := byRule[id]
		doc.Suites = append(doc.Suites, *s)
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Skipped += s.Skipped
	}
	if len(doc.Suites) == 0 {
		doc.Suites = []junitTestSuite{{
			Name: "sillage", Tests: 1, Time: "0", Timestamp: stamp, Hostname: host, Properties: props,
			Cases: []junitTestCase{{Name: "no findings", Classname: "sillage", Time: "0"}},
		}}
		doc.Tests = 1
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encode junit: %w", err)
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitFile is the file a test case is about, relative to the target.
func junitFile(f sillage.Finding, ix index) string {
	p := f.Path
	if p == "" {
		p = firstLocation(ix.byID[f.ComponentID])
	}
	if !strings.HasPrefix(p, "/") {
		return ""
	}
	return strings.TrimPrefix(p, "/")
}

// junitDetail is what a CI server shows under a test case.
func junitDetail(f sillage.Finding, ix index) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s [%s] %s\n", strings.ToUpper(string(f.Severity)), f.RuleID, f.Message)
	if c, ok := ix.byID[f.ComponentID]; ok {
		fmt.Fprintf(&b, "component: %s (%s)\n", c.Label(), c.Type)
		if c.PURL != "" {
			fmt.Fprintf(&b, "purl: %s\n", c.PURL)
		}
		if len(c.Locations) > 0 {
			fmt.Fprintf(&b, "found in: %s\n", strings.Join(c.Locations, ", "))
		}
	}
	if f.Path != "" {
		fmt.Fprintf(&b, "file: %s\n", f.Path)
	}
	if f.Remediation != "" {
		fmt.Fprintf(&b, "remediation: %s\n", f.Remediation)
	}
	if f.Baseline != "" {
		fmt.Fprintf(&b, "baseline: %s\n", f.Baseline)
	}
	return b.String()
}
