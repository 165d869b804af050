package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/sillage-oss/sillage"
)

// The Markdown report is short enough for a merge-request comment: the
// counts, the findings that need attention (at most mdMaxFindings rows),
// and the migrations (at most mdMaxMigrations). It is rendered by GitHub
// and GitLab, which also accept HTML in Markdown: every value is escaped
// so that it shows as the text it is.

const (
	mdMaxFindings   = 20
	mdMaxMigrations = 10
)

type markdownReporter struct{ o Options }

func newMarkdown(o Options) Reporter { return markdownReporter{o} }

func (r markdownReporter) Report(w io.Writer, res sillage.Result) error {
	if err := CheckLang(r.o.Lang); err != nil {
		return err
	}
	res.Normalize()
	l := newLocale(r.o.Lang)
	ix := newIndex(res)
	var b strings.Builder

	title := "sillage · " + mdCode(res.Target.String())
	if res.Host != nil && res.Host.Name != "" {
		title += " · " + mdText(res.Host.Name)
	}
	fmt.Fprintf(&b, "### %s\n\n", title)

	cov := coverage(res)
	counts := findingCounts(res.Findings)
	active := 0
	for _, c := range counts {
		if c.Severity != sillage.SeverityInfo {
			active += c.Active
		}
	}
	products := migrationsByProduct(res, ix)
	fmt.Fprintf(&b, "%s\n\n", l.must("md.summary", l.Num(len(res.Components)), l.Num(cov.Matched), l.Pct(cov.Matched, len(res.Components)), l.Num(active), l.Num(len(products))))

	if len(res.Findings) > 0 {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n|---|--:|--:|--:|\n", l.must("col.severity"), l.must("status.active"), l.must("status.waived"), l.must("status.existing"))
		for _, c := range counts {
			if c.Total() > 0 {
				fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", l.must("sev."+string(c.Severity)), l.Num(c.Active), l.Num(c.Waived), l.Num(c.Existing))
			}
		}
		b.WriteString("\n")
	}

	var listed []sillage.Finding
	info := 0
	for _, f := range res.Findings {
		if f.Severity == sillage.SeverityInfo {
			info++
			continue
		}
		listed = append(listed, f)
	}
	if len(listed) > 0 {
		fmt.Fprintf(&b, "#### %s (%s)\n\n", l.must("md.findings_listed"), l.Num(len(listed)))
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n|---|---|---|---|---|\n",
			l.must("col.severity"), l.must("col.rule"), l.must("col.subject"), l.must("col.message"), l.must("col.status"))
		for i, f := range listed {
			if i == mdMaxFindings {
				break
			}
			sev := l.must("sev." + string(f.Severity))
			if f.Active() {
				sev = "**" + sev + "**"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", sev, mdCode(f.RuleID), mdCode(ix.subject(f)), mdText(msgIn(f, l)), mdStatus(f, l))
		}
		if n := len(listed) - mdMaxFindings; n > 0 {
			fmt.Fprintf(&b, "\n%s\n", l.must("and_more", l.Num(n)))
		}
		b.WriteString("\n")
	}
	if info > 0 {
		fmt.Fprintf(&b, "%s\n\n", l.must("md.info_not_listed", l.Num(info)))
	}

	if len(products) > 0 {
		fmt.Fprintf(&b, "#### %s (%s)\n\n", l.must("migrations"), l.Num(len(products)))
		fmt.Fprintf(&b, "| %s | %s | %s |\n|---|---|---|\n", l.must("product"), l.must("found_as"), l.must("alternatives"))
		for i, p := range products {
			if i == mdMaxMigrations {
				break
			}
			var found []string
			for _, c := range p.Components {
				found = append(found, mdCode(c.Label()))
			}
			var alts []string
			for _, a := range p.Alternatives {
				s := mdText(a.Name) + " (" + mdText(l.must("sill_entry", a.SILLID)) + ")"
				if a.SupportContract {
					s += " ✔ " + mdText(l.must("support_contract"))
				}
				alts = append(alts, s)
			}
			alt := strings.Join(alts, ", ")
			if alt == "" {
				alt = "_" + mdText(l.must("no_alternative")) + "_"
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", mdText(p.Product), strings.Join(found, ", "), alt)
		}
		if n := len(products) - mdMaxMigrations; n > 0 {
			fmt.Fprintf(&b, "\n%s\n", l.must("and_more", l.Num(n)))
		}
		b.WriteString("\n")
	}

	if inv := res.Formats; inv != nil && len(inv.Summary) > 0 {
		fmt.Fprintf(&b, "#### %s\n\n%s\n\n", l.must("formats"),
			mdText(l.must("formats.intro", l.Num(inv.Totals.Files), l.Bytes(inv.Totals.Bytes), l.Num(inv.Totals.Migrate), l.Num(inv.Totals.Review))))
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n|---|--:|---|---|---|\n",
			l.must("col.format"), l.must("col.files"), l.must("col.rgi_status"), l.must("col.action"), l.must("col.replacement"))
		shown := 0
		for _, f := range inv.Summary {
			if f.Action == "none" {
				continue // the table is about what to do
			}
			if shown == mdMaxMigrations {
				break
			}
			shown++
			name := f.Name
			if f.Variant != "" {
				name += " (" + f.Variant + ")"
			}
			repl := ""
			if f.Replacement != "" {
				repl = mdCode(f.Replacement)
			}
			for _, c := range f.ConvertWith {
				repl += " " + mdText(c.Name)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", mdText(name), l.Num(f.Files), mdText(l.must("rgi."+f.RGIStatus)),
				mdText(l.must("action."+f.Action)), strings.TrimSpace(repl))
		}
		b.WriteString("\n")
	}

	var cats []string
	for _, c := range res.Catalogs {
		cats = append(cats, mdText(c.Name+" "+c.Version))
	}
	footer := l.must("md.footer", mdText(res.Tool.Version), strings.Join(cats, ", "), l.Date(res.ScannedAt))
	fmt.Fprintf(&b, "<sub>%s</sub>\n", footer)
	_, err := io.WriteString(w, b.String())
	return err
}

func mdStatus(f sillage.Finding, l locale) string {
	switch findingStatus(f) {
	case "waived":
		s := l.must("status.waived")
		if f.Waiver.Expires != "" {
			s += " " + l.must("waiver.until", f.Waiver.Expires)
		}
		return mdText(s) + ": " + mdText(f.Waiver.Justification)
	case "existing":
		return mdText(l.must("status.existing"))
	}
	if f.Baseline == sillage.BaselineNew {
		return mdText(l.must("baseline.new"))
	}
	return mdText(l.must("status.active"))
}

// mdText escapes s for a Markdown table cell: every character Markdown or
// HTML would interpret is backslash-escaped (CommonMark lets any ASCII
// punctuation be), and line breaks become spaces.
func mdText(s string) string {
	var b strings.Builder
	for _, r := range oneLine(s) {
		if strings.ContainsRune("\\`*_[]<>|~&@:", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdCode writes s as a code span, which shows its content literally: no
// HTML, no links, no mentions. The fence is longer than any run of
// backticks in s, and | is escaped, which GitHub and GitLab tables
// require even inside code.
func mdCode(s string) string {
	s = strings.ReplaceAll(oneLine(s), "|", `\|`)
	if s == "" {
		return ""
	}
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || longest > 0 {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.NewReplacer("\r", " ", "\n", " ", "\t", " ").Replace(s)), " ")
}

// msgIn is the finding's message in the report's language when the policy
// gave a translation, else as the policy wrote it.
func msgIn(f sillage.Finding, l locale) string {
	m, _ := f.Text(l.lang)
	return m
}
