package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/sillage-oss/sillage"
)

type tableReporter struct{ o Options }

func newTable(o Options) Reporter { return tableReporter{o} }

// Report writes a human summary of res: a header naming the target, the
// counts, the components (name, version, type, licence, SILL entry) in a
// table that fits Options.Width, then the findings.
func (r tableReporter) Report(w io.Writer, res sillage.Result) error {
	res.Normalize()
	re := newRenderer(w, r.o)
	bold := re.NewStyle().Bold(true)
	dim := re.NewStyle().Faint(true)

	var b strings.Builder
	b.WriteString(bold.Render(truncate(header(res), r.o.Width)))
	b.WriteString("\n")
	b.WriteString(truncate(countsLine(res), r.o.Width))
	b.WriteString("\n")
	if l := treeLicencesLine(res.Target.Licenses); l != "" {
		b.WriteString(truncate(l, r.o.Width))
		b.WriteString("\n")
	}
	b.WriteString("\n")

	if len(res.Components) == 0 {
		b.WriteString(dim.Render("no components found"))
		b.WriteString("\n")
	} else {
		rows := make([][]string, 0, len(res.Components))
		for _, c := range res.Components {
			rows = append(rows, []string{c.Name, c.Version, string(c.Type), licenseLabel(c.Licenses), sillLabel(c.SILL)})
		}
		b.WriteString(renderTable(re, []string{"NAME", "VERSION", "TYPE", "LICENCE", "SILL"}, rows, r.o.Width))
	}

	if len(res.Findings) > 0 {
		byID := map[string]sillage.Component{}
		for _, c := range res.Components {
			byID[c.ID] = c
		}
		b.WriteString("\n")
		b.WriteString(bold.Render(fmt.Sprintf("FINDINGS (%d)", len(res.Findings))))
		b.WriteString("\n")
		// the document orders findings by component ID; people read them
		// by severity, then component name
		fs := slices.Clone(res.Findings)
		slices.SortStableFunc(fs, func(a, b sillage.Finding) int {
			if c := b.Severity.Rank() - a.Severity.Rank(); c != 0 {
				return c
			}
			if c := strings.Compare(byID[a.ComponentID].Label(), byID[b.ComponentID].Label()); c != 0 {
				return c
			}
			return strings.Compare(a.RuleID, b.RuleID)
		})
		for _, f := range fs {
			sev := severityStyle(re, f.Severity).Render(fmt.Sprintf("%-8s", strings.ToUpper(string(f.Severity))))
			line := fmt.Sprintf("%s %s  %s", sev, f.RuleID, f.Message)
			switch {
			case f.Waiver != nil:
				line += dim.Render(fmt.Sprintf(" [waived until %s: %s]", f.Waiver.Expires, f.Waiver.Justification))
			case f.Baseline == sillage.BaselineExisting:
				line += dim.Render(" [in the baseline]")
			}
			b.WriteString(truncate(line, r.o.Width))
			b.WriteString("\n")
		}
	}
	if len(res.Migrations) > 0 {
		byID := map[string]sillage.Component{}
		for _, c := range res.Components {
			byID[c.ID] = c
		}
		b.WriteString("\n")
		b.WriteString(bold.Render(fmt.Sprintf("MIGRATION OPPORTUNITIES (%d)", len(res.Migrations))))
		b.WriteString("\n")
		for _, m := range res.Migrations {
			var alts []string
			for _, a := range m.Alternatives {
				alts = append(alts, fmt.Sprintf("%s (SILL %s)", a.Name, a.SILLID))
			}
			to := strings.Join(alts, ", ")
			if to == "" {
				to = "no SILL alternative yet"
			}
			line := fmt.Sprintf("%s [%s] %s → %s", m.Product, m.Category, byID[m.ComponentID].Label(), to)
			b.WriteString(truncate(line, r.o.Width))
			b.WriteString("\n")
		}
	}
	if res.Formats != nil {
		b.WriteString("\n")
		b.WriteString(bold.Render("DOCUMENT FORMATS"))
		b.WriteString("\n")
		b.WriteString(truncate(formatsCountsLine(res.Formats), r.o.Width))
		b.WriteString("\n")
		writeFormatsSections(&b, re, res.Formats, r.o)
	}
	if len(res.Warnings) > 0 {
		b.WriteString("\n")
		noun := "warnings"
		if len(res.Warnings) == 1 {
			noun = "warning"
		}
		b.WriteString(dim.Render(fmt.Sprintf("%d %s (see the json output for the list)", len(res.Warnings), noun)))
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func header(res sillage.Result) string {
	parts := []string{res.Tool.Name + " " + res.Tool.Version, res.Target.String()}
	if res.Host != nil && res.Host.Name != "" {
		parts = append(parts, "host "+res.Host.Name)
	}
	if d := res.Target.Distro; d != nil {
		name := d.PrettyName
		if name == "" {
			name = strings.TrimSpace(d.ID + " " + d.VersionID)
		}
		parts = append(parts, name)
	}
	if doc := res.Target.Document; doc != nil {
		parts = append(parts, doc.Format+" "+doc.Version)
	}
	return strings.Join(parts, " · ")
}

// treeLicencesLine names the licences of a scanned source tree: each
// distinct expression with the first file it was found in and how many
// more, e.g. "licence of the tree: EUPL-1.2 (/LICENSE), MIT (/vendor.txt +2)".
func treeLicencesLine(ls []sillage.DetectedLicense) string {
	if len(ls) == 0 {
		return ""
	}
	type seen struct {
		first string
		n     int
	}
	var order []string
	by := map[string]*seen{}
	for _, l := range ls {
		if s, ok := by[l.SPDX]; ok {
			s.n++
			continue
		}
		by[l.SPDX] = &seen{first: l.Location, n: 1}
		order = append(order, l.SPDX)
	}
	parts := make([]string, 0, len(order))
	for _, e := range order {
		s := by[e]
		where := s.first
		if s.n > 1 {
			where += fmt.Sprintf(" +%d", s.n-1)
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", e, where))
	}
	return "licences of the tree: " + strings.Join(parts, ", ")
}

func countsLine(res sillage.Result) string {
	s := res.Summary
	var types []string
	for _, t := range slices.Sorted(maps.Keys(s.ByType)) {
		types = append(types, fmt.Sprintf("%s %d", t, s.ByType[t]))
	}
	line := fmt.Sprintf("%d components", s.Components)
	if len(types) > 0 {
		line += " (" + strings.Join(types, ", ") + ")"
	}
	line += fmt.Sprintf(" · licence declared for %d, none for %d", s.Licenses.Declared, s.Licenses.Undeclared)
	var cats []string
	for _, c := range categoryOrder {
		if n := s.Licenses.ByCategory[c]; n > 0 {
			cats = append(cats, fmt.Sprintf("%s %d", c, n))
		}
	}
	if len(cats) > 0 {
		line += " · " + strings.Join(cats, ", ")
	}
	var sev []string
	for _, k := range slices.Backward(sillage.Severities()) {
		if n := s.Findings[k]; n > 0 {
			sev = append(sev, fmt.Sprintf("%s %d", k, n))
		}
	}
	if len(sev) > 0 {
		line += " · findings: " + strings.Join(sev, ", ")
	} else {
		line += " · no findings"
	}
	return line
}

// categoryOrder is the order licence categories are listed in: from the
// least to the most demanding, unknown last.
var categoryOrder = []sillage.LicenseCategory{
	sillage.CategoryPublicDomain, sillage.CategoryPermissive, sillage.CategoryWeakCopyleft,
	sillage.CategoryStrongCopyleft, sillage.CategoryNetworkCopyleft, sillage.CategoryProprietary,
	sillage.CategoryUnknown,
}

// licenseLabel is the licence shown for a component: the concluded
// expression, else the declared SPDX expressions, else the declared text.
func licenseLabel(l sillage.Licenses) string {
	if l.Concluded != "" {
		return l.Concluded
	}
	var parts []string
	for _, d := range l.Declared {
		v := d.SPDX
		if v == "" {
			v = d.Value
		}
		if !slices.Contains(parts, v) {
			parts = append(parts, v)
		}
	}
	if len(parts) == 0 {
		if len(l.Detected) > 0 {
			return l.Detected[0].SPDX
		}
		return "-"
	}
	return strings.Join(parts, ", ")
}

func sillLabel(m *sillage.SILLMatch) string {
	if m == nil {
		return "-"
	}
	return m.Name + " (" + m.Status + ")"
}

func severityStyle(re *lipgloss.Renderer, s sillage.Severity) lipgloss.Style {
	st := re.NewStyle().Bold(true)
	switch s {
	case sillage.SeverityCritical, sillage.SeverityHigh:
		return st.Foreground(lipgloss.Color("1"))
	case sillage.SeverityMedium:
		return st.Foreground(lipgloss.Color("3"))
	case sillage.SeverityLow:
		return st.Foreground(lipgloss.Color("6"))
	}
	return st
}

// truncate shortens s to width display columns, marking the cut with "…";
// ANSI styles in s are kept intact.
func truncate(s string, width int) string {
	if width <= 0 {
		return s
	}
	return ansi.Truncate(s, width, "…")
}
