package report

import (
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/table"
	"github.com/muesli/termenv"
)

// WriteTable writes rows under headers as a plain table fitted to
// o.Width, in the style of the scan table. Commands that list things other
// than a Result (licences, catalogue entries) use it so that terminal
// styling stays in this package.
func WriteTable(w io.Writer, headers []string, rows [][]string, o Options) error {
	_, err := io.WriteString(w, renderTable(newRenderer(w, o), headers, rows, o.Width))
	return err
}

func newRenderer(w io.Writer, o Options) *lipgloss.Renderer {
	re := lipgloss.NewRenderer(w)
	if o.Color {
		re.SetColorProfile(termenv.ANSI)
	} else {
		re.SetColorProfile(termenv.Ascii)
	}
	return re
}

// renderTable lays rows out under headers, without outer borders, fitted
// to width columns (0: no limit), with trailing spaces trimmed.
func renderTable(re *lipgloss.Renderer, headers []string, rows [][]string, width int) string {
	t := table.New().
		Border(lipgloss.NormalBorder()).
		BorderTop(false).BorderBottom(false).BorderLeft(false).BorderRight(false).
		BorderColumn(false).BorderHeader(true).
		BorderStyle(re.NewStyle().Faint(true)).
		Wrap(false).
		Headers(headers...).
		Rows(rows...).
		StyleFunc(func(row, col int) lipgloss.Style {
			s := re.NewStyle().PaddingRight(2)
			if row == table.HeaderRow {
				return s.Bold(true)
			}
			return s
		})
	if width > 0 {
		t = t.Width(width)
	}
	var b strings.Builder
	for _, line := range strings.Split(t.Render(), "\n") {
		b.WriteString(strings.TrimRight(line, " "))
		b.WriteString("\n")
	}
	return b.String()
}
