package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/sillage-oss/sillage"
)

// FormatsTable writes the format inventory of res for people: the totals,
// one line per format (files, size, RGI status, action, replacement and
// the SILL software that converts it), the directories with the most
// files to migrate, and the unreadable paths.
func FormatsTable(w io.Writer, res sillage.Result, o Options) error {
	res.Normalize()
	inv := res.Formats
	if inv == nil {
		return fmt.Errorf("the result has no format inventory")
	}
	re := newRenderer(w, o)
	bold := re.NewStyle().Bold(true)
	var b strings.Builder
	b.WriteString(bold.Render(truncate(res.Tool.Name+" "+res.Tool.Version+" · formats of "+strings.Join(inv.Roots, ", "), o.Width)))
	b.WriteString("\n")
	b.WriteString(truncate(formatsCountsLine(inv), o.Width))
	b.WriteString("\n\n")
	writeFormatsSections(&b, re, inv, o)
	_, err := io.WriteString(w, b.String())
	return err
}

func formatsCountsLine(inv *sillage.FormatInventory) string {
	t := inv.Totals
	line := fmt.Sprintf("%s files, %s · %s to migrate, %s to review · %s unidentified",
		count(t.Files), humanBytes(t.Bytes), count(t.Migrate), count(t.Review), count(t.Unidentified))
	if t.Unreadable > 0 {
		line += fmt.Sprintf(" · %s unreadable", count(t.Unreadable))
	}
	if t.Vanished > 0 {
		line += fmt.Sprintf(" · %s vanished during the walk", count(t.Vanished))
	}
	if t.Skipped > 0 {
		line += fmt.Sprintf(" · %s skipped (links, special files)", count(t.Skipped))
	}
	return line
}

// writeFormatsSections writes the format table, the top directories and
// the unreadable paths; the scan table reuses it.
func writeFormatsSections(b *strings.Builder, re *lipgloss.Renderer, inv *sillage.FormatInventory, o Options) {
	bold := re.NewStyle().Bold(true)
	dim := re.NewStyle().Faint(true)
	if len(inv.Summary) == 0 {
		b.WriteString(dim.Render("no files found"))
		b.WriteString("\n")
	} else {
		rows := make([][]string, 0, len(inv.Summary))
		unverified := false
		for _, s := range inv.Summary {
			id := s.FormatID
			if s.Variant != "" {
				id += " (" + s.Variant + ")"
			}
			if s.RGIStatus == "unverified" {
				unverified = true
			}
			rows = append(rows, []string{id, strings.Join(s.PUIDs, " "), count(s.Files), humanBytes(s.Bytes),
				rgiLabel(s), s.Action, dash(s.Replacement), toolsLabel(s.ConvertWith)})
		}
		b.WriteString(renderTable(re, []string{"FORMAT", "PUID", "FILES", "SIZE", "RGI STATUS", "ACTION", "TO", "CONVERT WITH (SILL)"}, rows, o.Width))
		if unverified {
			b.WriteString(dim.Render(truncate("unverified: the research behind the status is not the RGI's own text (rules/rgi/SOURCE.md); the action is sillage's", o.Width)))
			b.WriteString("\n")
		}
	}
	if len(inv.Directories) > 0 {
		b.WriteString("\n")
		b.WriteString(bold.Render("DIRECTORIES WITH THE MOST FILES TO MIGRATE"))
		b.WriteString("\n")
		rows := make([][]string, 0, len(inv.Directories))
		for _, d := range inv.Directories {
			var parts []string
			for _, k := range slices.Sorted(maps.Keys(d.ByFormat)) {
				parts = append(parts, fmt.Sprintf("%s %d", k, d.ByFormat[k]))
			}
			rows = append(rows, []string{count(d.Migrate), humanBytes(d.Bytes), d.Path, strings.Join(parts, ", ")})
		}
		b.WriteString(renderTable(re, []string{"MIGRATE", "SIZE", "DIRECTORY", "FORMATS"}, rows, o.Width))
	}
	if len(inv.Unreadable) > 0 {
		b.WriteString("\n")
		b.WriteString(bold.Render(fmt.Sprintf("UNREADABLE (%s)", count(inv.Totals.Unreadable))))
		b.WriteString("\n")
		for i, u := range inv.Unreadable {
			if i == 10 {
				b.WriteString(dim.Render(fmt.Sprintf("… %d more in the json output", inv.Totals.Unreadable-10)))
				b.WriteString("\n")
				break
			}
			b.WriteString(truncate(u.Path+": "+u.Error, o.Width))
			b.WriteString("\n")
		}
	}
}

func rgiLabel(s sillage.FormatSummary) string {
	switch {
	case s.RGIStatus == "":
		return "-"
	case s.RGIStatus == "unverified" && s.UnverifiedStatus != "":
		return fmt.Sprintf("unverified (%s: %s)", s.Confidence, s.UnverifiedStatus)
	case s.RGIStatus == "unverified":
		return "unverified"
	}
	return s.RGIStatus
}

func toolsLabel(ts []sillage.ConvertTool) string {
	if len(ts) == 0 {
		return "-"
	}
	var parts []string
	for _, t := range ts {
		parts = append(parts, t.Name+" "+t.SILLID)
	}
	return strings.Join(parts, ", ")
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// count writes n with thin grouping: 12 345.
func count(n int) string {
	s := strconv.Itoa(n)
	if len(s) <= 4 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// humanBytes writes a size in decimal units: 512 B, 4.2 kB, 1.3 GB.
func humanBytes(n int64) string {
	if n < 1000 {
		return fmt.Sprintf("%d B", n)
	}
	f := float64(n)
	for _, u := range []string{"kB", "MB", "GB", "TB", "PB"} {
		f /= 1000
		if f < 1000 {
			return fmt.Sprintf("%.1f %s", f, u)
		}
	}
	return fmt.Sprintf("%.1f EB", f/1000)
}

// FormatsCSV writes every file of the inventory as CSV (RFC 4180, a header
// line, comma-separated), in the order of the inventory.
func FormatsCSV(w io.Writer, inv *sillage.FormatInventory) error {
	tools := toolsByFormat(inv)
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"path", "format_id", "variant", "puid", "rgi_status", "confidence", "action", "replacement",
		"convert_with", "size", "basis", "detail", "extension_mismatch", "problem", "path_base64"})
	for _, f := range inv.Files {
		_ = cw.Write([]string{f.Path, f.FormatID, f.Variant, f.PUID, f.RGIStatus, f.Confidence, f.Action, f.Replacement,
			tools[f.FormatID+"\x00"+f.Variant], strconv.FormatInt(f.Size, 10), f.Basis, f.Detail,
			strconv.FormatBool(f.ExtensionMismatch), f.Problem, f.PathBase64})
	}
	cw.Flush()
	return cw.Error()
}

func toolsByFormat(inv *sillage.FormatInventory) map[string]string {
	m := map[string]string{}
	for _, s := range inv.Summary {
		var parts []string
		for _, t := range s.ConvertWith {
			parts = append(parts, t.Name+" (SILL "+t.SILLID+")")
		}
		m[s.FormatID+"\x00"+s.Variant] = strings.Join(parts, "; ")
	}
	return m
}

// MigrateEntry is one file of a migration list.
type MigrateEntry struct {
	Path       string `json:"path"`
	PathBase64 string `json:"pathBase64,omitempty"`
	FormatID   string `json:"formatId"`
	Variant    string `json:"variant,omitempty"`
	PUID       string `json:"puid"`
	Size       int64  `json:"size"`
	// Replacement is the format to convert to and TargetExtension its
	// file extension ("odt").
	Replacement     string                `json:"replacement"`
	TargetExtension string                `json:"targetExtension"`
	ConvertWith     []sillage.ConvertTool `json:"convertWith"`
}

// MigrateList writes the files whose action is migrate, for bulk
// conversion tools, as "csv" or "json". targetExt gives the file
// extension of each replacement format id.
func MigrateList(w io.Writer, inv *sillage.FormatInventory, format string, targetExt map[string]string) error {
	tools := map[string][]sillage.ConvertTool{}
	for _, s := range inv.Summary {
		tools[s.FormatID+"\x00"+s.Variant] = s.ConvertWith
	}
	entries := []MigrateEntry{}
	for _, f := range inv.Files {
		if f.Action != "migrate" {
			continue
		}
		ct := tools[f.FormatID+"\x00"+f.Variant]
		if ct == nil {
			ct = []sillage.ConvertTool{}
		}
		entries = append(entries, MigrateEntry{Path: f.Path, PathBase64: f.PathBase64, FormatID: f.FormatID, Variant: f.Variant,
			PUID: f.PUID, Size: f.Size, Replacement: f.Replacement, TargetExtension: targetExt[f.Replacement], ConvertWith: ct})
	}
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Roots []string       `json:"roots"`
			Files []MigrateEntry `json:"files"`
		}{inv.Roots, entries})
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"path", "format_id", "variant", "puid", "size", "replacement", "target_extension", "convert_with_sill_id", "convert_with", "path_base64"})
		for _, e := range entries {
			var ids, names []string
			for _, t := range e.ConvertWith {
				ids = append(ids, t.SILLID)
				names = append(names, t.Name)
			}
			_ = cw.Write([]string{e.Path, e.FormatID, e.Variant, e.PUID, strconv.FormatInt(e.Size, 10), e.Replacement, e.TargetExtension,
				strings.Join(ids, ";"), strings.Join(names, ";"), e.PathBase64})
		}
		cw.Flush()
		return cw.Error()
	}
	return fmt.Errorf("unknown migration list format %q; use a .csv or .json file name", format)
}
