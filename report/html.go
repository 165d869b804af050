package report

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sillage-oss/sillage"
)

// The HTML report is one self-contained file: the template, its style
// sheet and its script are compiled in and inlined, the charts are SVG
// drawn here, and a Content-Security-Policy forbids loading anything
// else. It is readable without JavaScript (the script only sorts and
// filters the tables) and prints on A4.
//
// Every value from the result goes through html/template, which escapes
// it for its context (text, attribute, URL, inside SVG too): package
// names, versions, messages and waiver justifications are chosen by
// whoever published a package or wrote a policy. No value is ever placed
// inside the script; the script reads the table cells' text.

//go:embed html/report.html.tmpl
var htmlTemplate string

//go:embed html/report.css
var htmlCSS string

//go:embed html/report.js
var htmlJS string

var htmlBase = template.Must(template.New("report").Funcs(template.FuncMap{
	// replaced per rendering by the language's functions
	"t":      func(string, ...any) (string, error) { return "", nil },
	"num":    func(int) string { return "" },
	"pct":    func(int, int) string { return "" },
	"date":   func(time.Time) string { return "" },
	"sev":    func(sillage.Severity) string { return "" },
	"cat":    func(sillage.LicenseCategory) string { return "" },
	"sill":   func(string) string { return "" },
	"bytes":  func(int64) string { return "" },
	"rgi":    func(string) string { return "" },
	"action": func(string) string { return "" },
}).Parse(strings.Replace(htmlTemplate, "@CSP@", htmlCSP, 1)))

// htmlCSP is the page's Content-Security-Policy: nothing may be loaded
// from anywhere, and only the report's own style sheet and script (by
// hash) run. It is a second line of defence behind the escaping: markup
// that got through would neither run a script nor fetch anything.
var htmlCSP = "default-src 'none'; style-src '" + cspHash(htmlCSS) + "'; script-src '" + cspHash(htmlJS) +
	"'; base-uri 'none'; form-action 'none'"

func cspHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(h[:])
}

type htmlReporter struct{ o Options }

func newHTML(o Options) Reporter { return htmlReporter{o} }

// Report writes the HTML report of res in the language of Options.Lang.
func (r htmlReporter) Report(w io.Writer, res sillage.Result) error {
	if err := CheckLang(r.o.Lang); err != nil {
		return err
	}
	res.Normalize()
	loc := newLocale(r.o.Lang)
	t, err := htmlBase.Clone()
	if err != nil {
		return err
	}
	t.Funcs(template.FuncMap{
		"t":      loc.T,
		"num":    loc.Num,
		"pct":    loc.Pct,
		"date":   loc.Date,
		"sev":    func(s sillage.Severity) string { return loc.must("sev." + string(s)) },
		"cat":    func(c sillage.LicenseCategory) string { return loc.must("cat." + string(c)) },
		"sill":   func(s string) string { return loc.must("sill." + s) },
		"bytes":  loc.Bytes,
		"rgi":    func(s string) string { return loc.must("rgi." + s) },
		"action": func(s string) string { return loc.must("action." + s) },
	})
	v := buildHTMLView(res, loc)
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		return fmt.Errorf("html: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

type htmlView struct {
	Lang          string
	Res           sillage.Result
	Policy        string
	CSS           template.CSS
	JS            template.JS
	CSP           string
	Cards         htmlCards
	LicenceChart  barChart
	SeverityChart barChart
	SILLChart     donutChart
	Top           []productMigration
	Migrations    []productMigration
	Findings      []findingRow
	Components    []componentRow
	Severities    []sillage.Severity
	Types         []sillage.Type
	Categories    []sillage.LicenseCategory
	SILLStatuses  []string
	Statuses      []string
}

type htmlCards struct {
	Components, SILL, Active, Waived, Existing, Migrations, Undeclared int
}

type findingRow struct {
	sillage.Finding
	Subject, Detail string
	Rank            int
	Status          string
	Expired         bool
}

type componentRow struct {
	sillage.Component
	Licence  string
	Category sillage.LicenseCategory
	SILLKey  string
	Active   int
	Max      sillage.Severity
	MaxRank  int
}

func buildHTMLView(res sillage.Result, loc locale) htmlView {
	ix := newIndex(res)
	v := htmlView{
		Lang:         loc.lang,
		Res:          res,
		Policy:       catalog(res, "policy"),
		CSS:          template.CSS(htmlCSS),
		JS:           template.JS(htmlJS),
		CSP:          htmlCSP,
		SILLStatuses: append(slices.Clone(sillStatuses), "none"),
		Statuses:     []string{"active", "waived", "existing"},
	}
	for _, s := range slices.Backward(sillage.Severities()) {
		v.Severities = append(v.Severities, s)
	}

	cov := coverage(res)
	counts := findingCounts(res.Findings)
	v.Cards = htmlCards{Components: len(res.Components), SILL: cov.Matched, Undeclared: res.Summary.Licenses.Undeclared}
	for _, c := range counts {
		if c.Severity != sillage.SeverityInfo {
			v.Cards.Active += c.Active
		}
		v.Cards.Waived += c.Waived
		v.Cards.Existing += c.Existing
	}
	v.Migrations = migrationsByProduct(res, ix)
	v.Cards.Migrations = len(v.Migrations)
	v.Top = v.Migrations[:min(5, len(v.Migrations))]

	v.LicenceChart = licenceChart(res, loc)
	v.SeverityChart = severityChart(counts, loc)
	v.SILLChart = sillChart(cov, loc)

	scanDay := res.ScannedAt.UTC().Format(time.DateOnly)
	for _, f := range res.Findings {
		row := findingRow{Finding: f, Subject: ix.subject(f), Rank: f.Severity.Rank(), Status: findingStatus(f)}
		// the policy's translation for the report's language, if any
		row.Message, row.Remediation = f.Text(loc.lang)
		if c, ok := ix.byID[f.ComponentID]; ok {
			row.Detail = c.PURL
			if f.Path != "" {
				row.Detail = f.Path
			}
		}
		if f.Waiver != nil && f.Waiver.Expires != "" && f.Waiver.Expires < scanDay {
			row.Expired = true
		}
		v.Findings = append(v.Findings, row)
	}

	types := map[sillage.Type]bool{}
	cats := map[sillage.LicenseCategory]bool{}
	active := map[string]*componentRow{}
	for _, c := range res.Components {
		row := componentRow{Component: c, Licence: licenseLabel(c.Licenses), Category: c.Licenses.Category, SILLKey: "none"}
		if row.Licence == "-" {
			row.Licence = ""
		}
		if c.SILL != nil {
			row.SILLKey = c.SILL.Status
		}
		types[c.Type] = true
		cats[row.Category] = true
		v.Components = append(v.Components, row)
	}
	for i := range v.Components {
		active[v.Components[i].ID] = &v.Components[i]
	}
	for _, f := range res.Findings {
		if row, ok := active[f.ComponentID]; ok && f.Active() {
			row.Active++
			if f.Severity.Rank() > row.MaxRank {
				row.Max, row.MaxRank = f.Severity, f.Severity.Rank()
			}
		}
	}
	v.Types = slices.Sorted(maps.Keys(types))
	for _, c := range append(slices.Clone(categoryOrder), "") {
		if cats[c] {
			v.Categories = append(v.Categories, c)
		}
	}
	return v
}

// barChart is a horizontal bar chart drawn in SVG: one row per bar, each
// bar one or more segments.
type barChart struct {
	ID, Title string
	Width     int
	Height    int
	Rows      []barRow
	Legend    []legendItem
	Empty     bool
}

type barRow struct {
	Label, Value string
	Y, TextY     string
	ValueX       string
	Segments     []barSegment
}

type barSegment struct {
	X, W, Class string
}

type legendItem struct {
	Class, Label string
}

const (
	chartWidth   = 420
	chartLabelW  = 150
	chartBarMaxW = 210
	chartRowH    = 26
)

func ff(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }

// bars lays out rows of segment values, scaled to the largest row total.
func bars(id, title string, labels []string, classes []string, values [][]int, loc locale) barChart {
	bc := barChart{ID: id, Title: title, Width: chartWidth}
	maxTotal := 0
	for _, vs := range values {
		t := 0
		for _, v := range vs {
			t += v
		}
		maxTotal = max(maxTotal, t)
	}
	bc.Empty = maxTotal == 0
	for i, vs := range values {
		y := float64(i*chartRowH + 4)
		row := barRow{Label: labels[i], Y: ff(y), TextY: ff(y + 13)}
		x, total := float64(chartLabelW), 0
		for j, v := range vs {
			total += v
			if v == 0 || maxTotal == 0 {
				continue
			}
			w := math.Max(2, float64(v)/float64(maxTotal)*chartBarMaxW)
			row.Segments = append(row.Segments, barSegment{X: ff(x), W: ff(w), Class: classes[j]})
			x += w
		}
		row.Value = loc.Num(total)
		row.ValueX = ff(x + 6)
		bc.Rows = append(bc.Rows, row)
	}
	bc.Height = len(values)*chartRowH + 4
	return bc
}

func licenceChart(res sillage.Result, loc locale) barChart {
	var labels []string
	var values [][]int
	unclassified := len(res.Components)
	for _, c := range categoryOrder {
		n := res.Summary.Licenses.ByCategory[c]
		unclassified -= n
		labels = append(labels, loc.must("cat."+string(c)))
		values = append(values, []int{n})
	}
	if unclassified > 0 {
		labels = append(labels, loc.must("cat."))
		values = append(values, []int{unclassified})
	}
	bc := bars("chart-licences", loc.must("chart.licences"), labels, []string{"c-none"}, values, loc)
	// one colour per category: the class goes on the row's segment
	for i := range bc.Rows {
		cls := "c-none"
		if i < len(categoryOrder) {
			cls = "c-" + string(categoryOrder[i])
		}
		for j := range bc.Rows[i].Segments {
			bc.Rows[i].Segments[j].Class = cls
		}
	}
	return bc
}

func severityChart(counts []severityCounts, loc locale) barChart {
	var labels []string
	var values [][]int
	for _, c := range counts {
		labels = append(labels, loc.must("sev."+string(c.Severity)))
		values = append(values, []int{c.Active, c.Waived + c.Existing})
	}
	bc := bars("chart-severity", loc.must("chart.severity"), labels, []string{"", "inactive"}, values, loc)
	for i, c := range counts {
		for j := range bc.Rows[i].Segments {
			bc.Rows[i].Segments[j].Class = strings.TrimSpace("s-" + string(c.Severity) + " " + bc.Rows[i].Segments[j].Class)
		}
	}
	bc.Legend = []legendItem{{"s-medium", loc.must("chart.active")}, {"s-medium inactive", loc.must("chart.not_active")}}
	return bc
}

// donutChart is a ring of arcs in SVG, drawn with stroke dashes on
// circles, with a figure in the middle.
type donutChart struct {
	ID, Title    string
	Arcs         []donutArc
	Center, Note string
	Legend       []donutLegend
	Empty        bool
}

type donutArc struct {
	Class, Dash, Offset string
}

type donutLegend struct {
	Class, Label, Value string
	Y, TextY            int
}

const donutR = 52.0

func sillChart(cov sillCoverage, loc locale) donutChart {
	d := donutChart{ID: "chart-sill", Title: loc.must("chart.sill"), Center: loc.Pct(cov.Matched, cov.Total), Note: loc.must("chart.sill_center"), Empty: cov.Total == 0}
	circ := 2 * math.Pi * donutR
	start := 0.0
	for _, s := range append(slices.Clone(sillStatuses), "none") {
		n := cov.ByStatus[s]
		if s == "none" {
			n = cov.NotOn
		}
		y := 14 + 24*len(d.Legend)
		d.Legend = append(d.Legend, donutLegend{Class: "c-sill-" + s, Label: loc.must("sill." + s), Value: loc.Num(n) + " (" + loc.Pct(n, cov.Total) + ")", Y: y, TextY: y + 10})
		if n == 0 || cov.Total == 0 {
			continue
		}
		l := float64(n) / float64(cov.Total) * circ
		d.Arcs = append(d.Arcs, donutArc{Class: "c-sill-" + s, Dash: ff(l) + " " + ff(circ-l), Offset: ff(-start)})
		start += l
	}
	return d
}
