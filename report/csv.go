package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sillage-oss/sillage"
)

// Two CSV outputs, because a spreadsheet holds one table: `csv` has a row
// per component, `csv-findings` a row per finding. Both are RFC 4180
// (comma, CRLF, UTF-8), with a header row whose names are stable.

type csvComponents struct{}

func newCSVComponents(Options) Reporter { return csvComponents{} }

var csvComponentHeader = []string{
	"id", "type", "name", "version", "purl",
	"licence", "licence_category", "declared_licences",
	"sill_id", "sill_name", "sill_status", "sill_min_version", "sill_below_minimum",
	"migration_product", "sill_alternatives",
	"active_findings", "max_active_severity", "waived_findings",
	"supplier", "source_name", "arch", "found_by", "locations",
}

// Report writes one row per component, in the result's order.
func (csvComponents) Report(w io.Writer, res sillage.Result) error {
	res.Normalize()
	migr := map[string]sillage.Migration{}
	for _, m := range res.Migrations {
		migr[m.ComponentID] = m
	}
	type tally struct {
		active, waived int
		max            sillage.Severity
	}
	tallies := map[string]*tally{}
	for _, f := range res.Findings {
		t := tallies[f.ComponentID]
		if t == nil {
			t = &tally{}
			tallies[f.ComponentID] = t
		}
		switch {
		case f.Waiver != nil:
			t.waived++
		case f.Active():
			t.active++
			if f.Severity.Rank() > t.max.Rank() {
				t.max = f.Severity
			}
		}
	}
	cw := newCSV(w)
	cw.row(csvComponentHeader...)
	for _, c := range res.Components {
		var declared []string
		for _, d := range c.Licenses.Declared {
			v := d.SPDX
			if v == "" {
				v = d.Value
			}
			declared = append(declared, v)
		}
		var sillID, sillName, sillStatus, sillMin, below string
		if s := c.SILL; s != nil {
			sillID, sillName, sillStatus, sillMin = s.ID, s.Name, s.Status, s.MinVersion
			below = strconv.FormatBool(s.BelowMinimum)
		}
		var product string
		var alts []string
		if m, ok := migr[c.ID]; ok {
			product = m.Product
			for _, a := range m.Alternatives {
				alts = append(alts, fmt.Sprintf("%s (SILL %s)", a.Name, a.SILLID))
			}
		}
		t := tallies[c.ID]
		if t == nil {
			t = &tally{}
		}
		cw.row(c.ID, string(c.Type), c.Name, c.Version, c.PURL,
			c.Licenses.Concluded, string(c.Licenses.Category), strings.Join(declared, "; "),
			sillID, sillName, sillStatus, sillMin, below,
			product, strings.Join(alts, "; "),
			strconv.Itoa(t.active), string(t.max), strconv.Itoa(t.waived),
			c.Supplier, c.SourceName, c.Arch, c.FoundBy, strings.Join(c.Locations, "; "))
	}
	return cw.flush()
}

type csvFindings struct{}

func newCSVFindings(Options) Reporter { return csvFindings{} }

var csvFindingHeader = []string{
	"severity", "rule_id", "status", "component_id", "component_type", "component_name", "component_version",
	"path", "message", "remediation", "waiver_id", "waiver_justification", "waiver_expires", "waiver_source", "baseline",
}

// Report writes one row per finding, most serious first, waived and
// baseline findings included (the status column says which).
func (csvFindings) Report(w io.Writer, res sillage.Result) error {
	res.Normalize()
	ix := newIndex(res)
	cw := newCSV(w)
	cw.row(csvFindingHeader...)
	for _, f := range res.Findings {
		c := ix.byID[f.ComponentID]
		var wid, wjust, wexp, wsrc string
		if wv := f.Waiver; wv != nil {
			wid, wjust, wexp, wsrc = wv.ID, wv.Justification, wv.Expires, wv.Source
		}
		cw.row(string(f.Severity), f.RuleID, findingStatus(f), f.ComponentID, string(c.Type), c.Name, c.Version,
			f.Path, f.Message, f.Remediation, wid, wjust, wexp, wsrc, f.Baseline)
	}
	return cw.flush()
}

type csvWriter struct {
	w   *csv.Writer
	err error
}

func newCSV(w io.Writer) *csvWriter {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &csvWriter{w: cw}
}

func (c *csvWriter) row(cells ...string) {
	if c.err != nil {
		return
	}
	out := make([]string, len(cells))
	for i, s := range cells {
		out[i] = csvCell(s)
	}
	c.err = c.w.Write(out)
}

func (c *csvWriter) flush() error {
	c.w.Flush()
	if c.err != nil {
		return c.err
	}
	return c.w.Error()
}

// csvCell defuses formula injection: a spreadsheet evaluates a cell that
// starts with = + - @ (or a tab or carriage return, which some strip
// first) as a formula, and package names and messages are chosen by
// whoever published the package. Such a cell gets a leading apostrophe,
// which spreadsheets display as text (OWASP, "CSV Injection").
func csvCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
