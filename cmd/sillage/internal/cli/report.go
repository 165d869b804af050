package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/report"
)

type reportOptions struct {
	Outputs []string
	Lang    string
	FailOn  string

	outputs []output
	failOn  sillage.Severity
}

const reportLong = `Render a result saved with 'sillage scan -o json=RESULT.json' again, in other
formats, without scanning again. RESULT.json may be - to read standard input.
It may also hold several results as JSON Lines, as a scan of a glpi: or ocs:
directory writes them: each is rendered as that scan would ({host} in a file
name gives one file per machine; JSON Lines and successive tables otherwise).

The file is checked against the published schema (docs/result-schema.json)
before anything is written. A result written by a newer sillage with the same
schema version is read, and the fields this version does not know are named
on stderr; one with a newer schema version is refused.

Outputs (-o FORMAT[=FILE], repeatable; without =FILE the document goes to stdout):
  %s

  html          one self-contained page (no external asset, works offline,
                prints on A4), French by default, --lang en for English
  markdown      a short summary for a merge-request comment
  csv           one row per component (licence, SILL status, findings)
  csv-findings  one row per finding (status, waiver, baseline)
  sarif         SARIF 2.1.0 for code-scanning services
  junit         JUnit XML: a test suite per rule, a failing test case per
                active finding at or above --fail-on (default low)

Exit codes:
  0    the outputs were written, and no active finding at or above --fail-on
  1    active findings at or above --fail-on (the outputs are written)
  2    usage error: unknown flag, format or language, output directory missing
  3    RESULT.json missing, unreadable, not a valid result, or from a newer
       schema version; an output could not be written`

func newReportCmd(stdio IO) *cobra.Command {
	opts := &reportOptions{}
	cmd := &cobra.Command{
		Use:   "report RESULT.json",
		Short: "Render a saved result again: html, markdown, csv, sarif, junit...",
		Long:  fmt.Sprintf(reportLong, strings.Join(report.Formats(), ", ")),
		Example: `  sillage scan host:/ -o json=poste-042.json
  sillage report poste-042.json -o html=poste-042.html
  sillage report poste-042.json -o html=report-en.html --lang en -o csv=components.csv
  sillage scan . -o json | sillage report - -o markdown`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			outs, err := parseOutputs(opts.Outputs)
			if err != nil {
				return cmdError{cmd.CommandPath(), err}
			}
			opts.outputs = outs
			if err := report.CheckLang(opts.Lang); err != nil {
				return cmdError{cmd.CommandPath(), usageError{fmt.Errorf("--lang: %w", err)}}
			}
			if opts.FailOn != "" {
				sev, err := sillage.ParseSeverity(opts.FailOn)
				if err != nil {
					return cmdError{cmd.CommandPath(), usageError{fmt.Errorf("--fail-on: %w", err)}}
				}
				opts.failOn = sev
			}
			err = runReport(stdio, opts, args[0])
			var ue usageError
			if errors.As(err, &ue) {
				return cmdError{cmd.CommandPath(), err}
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringArrayVarP(&opts.Outputs, "output", "o", nil, "output FORMAT[=FILE], repeatable; formats: "+strings.Join(report.Formats(), ", ")+" (default table)")
	f.StringVar(&opts.Lang, "lang", "fr", "language of the html and markdown reports: "+strings.Join(report.Languages(), ", "))
	f.StringVar(&opts.FailOn, "fail-on", "", "exit with code 1 when an active finding has this severity or higher (info, low, medium, high, critical); JUnit failures start there too")
	return cmd
}

// errResultFile marks a result file that cannot be opened.
var errResultFile = errors.New("cannot read the result file")

func runReport(stdio IO, opts *reportOptions, path string) error {
	var in io.Reader
	name := path
	if path == "-" {
		if stdio.In == nil {
			return fmt.Errorf("%w: standard input is not available", errResultFile)
		}
		in, name = stdio.In, "standard input"
	} else {
		f, err := os.Open(path)
		if err != nil {
			hint := "give the path of a file written by 'sillage scan -o json=FILE'"
			if errors.Is(err, fs.ErrPermission) {
				hint = "check the file's permissions"
			}
			return sillage.WithHint(fmt.Errorf("%w: %w", errResultFile, err), hint)
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.IsDir() {
			return sillage.WithHint(fmt.Errorf("%w: %s is a directory", errResultFile, path), "give the path of a file written by 'sillage scan -o json=FILE'")
		}
		in = f
	}
	data, err := io.ReadAll(in)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", errResultFile, name, err)
	}
	docs := splitJSONLines(data)
	var results []sillage.Result
	for i, doc := range docs {
		where := name
		if len(docs) > 1 {
			where = fmt.Sprintf("%s, line %d", name, i+1)
		}
		res, notes, err := report.ReadResult(bytes.NewReader(doc))
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		for _, n := range notes {
			fmt.Fprintf(stdio.Err, "sillage: %s: %s\n", where, n)
		}
		results = append(results, res)
	}
	multi := len(results) > 1
	if multi {
		// the same rules as a scan of several machines: one file per host
		// with {host}, JSON Lines and successive tables otherwise
		for _, out := range opts.outputs {
			if !strings.Contains(out.path, hostPlaceholder) && !streamable(out.format) {
				return usagef("%s holds %d results and -o %s cannot hold several in one document; write one file per host: -o %s=out/%s.%s",
					name, len(results), out.format, out.format, hostPlaceholder, extension(out.format))
			}
		}
	}
	so := &scanOptions{outputs: opts.outputs, stdio: stdio}
	if err := writeResults(so, results, multi, report.Options{Lang: opts.Lang, FailOn: opts.failOn}); err != nil {
		return err
	}
	if opts.failOn != "" {
		n := 0
		for _, res := range results {
			n += countFailing(res.Findings, opts.failOn)
		}
		if n > 0 {
			return fmt.Errorf("%d %w (%s)", n, errFindings, opts.failOn)
		}
	}
	return nil
}

// splitJSONLines returns the documents of data: one for a JSON document
// (however it is indented), one per line for JSON Lines, as a scan of
// several machines writes them. Empty lines are ignored.
func splitJSONLines(data []byte) [][]byte {
	var lines [][]byte
	for l := range bytes.SplitSeq(data, []byte("\n")) {
		if l = bytes.TrimSpace(l); len(l) > 0 {
			lines = append(lines, l)
		}
	}
	if len(lines) < 2 {
		return [][]byte{data}
	}
	for _, l := range lines {
		if l[0] != '{' || !json.Valid(l) {
			return [][]byte{data}
		}
	}
	return lines
}

// countFailing counts the findings that fail a run at threshold: active
// (not waived, not in the baseline) and at least that serious.
func countFailing(fs []sillage.Finding, threshold sillage.Severity) int {
	n := 0
	for _, f := range fs {
		if f.Active() && f.Severity.Rank() >= threshold.Rank() {
			n++
		}
	}
	return n
}

// annotateGitHub writes a workflow command per active finding to stderr
// when the run is a GitHub Actions step (GITHUB_ACTIONS=true), so that
// findings show on the run and on the pull request's files. stdout keeps
// only the requested document: the runner reads commands on stderr too.
func annotateGitHub(stdio IO, res sillage.Result, failOn sillage.Severity) error {
	if stdio.getenv("GITHUB_ACTIONS") != "true" {
		return nil
	}
	return report.WriteGitHubAnnotations(stdio.Err, res, report.AnnotationOptions{FailOn: failOn, Workspace: stdio.getenv("GITHUB_WORKSPACE")})
}
