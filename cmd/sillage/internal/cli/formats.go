package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/policy"
	"github.com/sillage-oss/sillage/report"
	"github.com/sillage-oss/sillage/rules/rgi"
	"github.com/sillage-oss/sillage/scanner/formats"
)

// formatsOutputs are the -o formats of `sillage formats`.
var formatsOutputs = []string{"csv", "json", "table"}

type formatsOptions struct {
	Outputs        []string
	MigrateLists   []string
	Exclude        []string
	FollowSymlinks bool
	Archives       bool
	List           string
	Workers        int
	FailOn         string
	Quiet          bool
	Policy         string

	outputs []output
	lists   []output // format csv|json, path
	failOn  sillage.Severity
	stdio   IO
	build   Build
}

func (o *formatsOptions) validate() error {
	if len(o.Outputs) == 0 {
		o.Outputs = []string{"table"}
	}
	toStdout := ""
	for _, raw := range o.Outputs {
		format, path, _ := strings.Cut(raw, "=")
		format = strings.TrimSpace(format)
		if !contains(formatsOutputs, format) {
			return usagef("unknown output format %q; choose one of: %s", format, strings.Join(formatsOutputs, ", "))
		}
		if path == "" || path == "-" {
			if toStdout != "" {
				return usagef("both -o %s and -o %s would write to stdout; give all but one a file: -o %s=FILE", toStdout, format, format)
			}
			toStdout, path = format, ""
		} else if err := checkOutputPath(path); err != nil {
			return err
		}
		o.outputs = append(o.outputs, output{format, path})
	}
	for _, path := range o.MigrateLists {
		ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
		if ext != "csv" && ext != "json" {
			return usagef("--migrate-list %s: name a .csv or a .json file", path)
		}
		if err := checkOutputPath(path); err != nil {
			return err
		}
		o.lists = append(o.lists, output{ext, path})
	}
	switch o.List {
	case "all", "action":
	default:
		return usagef("--list %q: choose all or action", o.List)
	}
	if o.FailOn != "" {
		sev, err := sillage.ParseSeverity(o.FailOn)
		if err != nil {
			return usageError{fmt.Errorf("--fail-on: %w", err)}
		}
		o.failOn = sev
	}
	return formats.ValidateExcludes(o.Exclude)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

const formatsLong = `Walk the directories (or files) PATH... and identify the format of every file
by its content, not its name: ODF, Office Open XML (Strict or Transitional),
legacy Microsoft Office, encrypted Office files, PDF and PDF/A claims, images,
audio, video, archives, web and data formats, with their PRONOM ids. Each format
gets its status under the RGI (Référentiel Général d'Interopérabilité v2.0), an
action (none, review, migrate), the open format to migrate to and the SILL
software that converts it. A status the research could not read in the RGI's own
text is shown as "unverified", never as the RGI's ruling.

Files are only read, and only as far as identification needs: the start of the
file, a ZIP's central directory and the start of the entries that tell formats
apart, an OLE2 file's directory, a PDF's first and last 64 KiB.

Outputs (-o FORMAT[=FILE], repeatable; without =FILE the document goes to stdout):
  table   formats, counts, RGI status, what to convert to and with what; the
          directories with the most files to migrate; unreadable paths
  json    the sillage result document with its "formats" object (files[],
          summary[], directories[], unreadable[], totals)
  csv     one line per file

--archives also identifies the members of ZIP archives, reported as
archive.zip!/member, two archives deep; a member is inflated whole only up to
16 MiB, 100:1 and 256 MiB per archive, else identified from its first 32 KiB.

--migrate-list FILE.csv|FILE.json writes the files to migrate, with the format
to convert to, its extension and the SILL converter, for bulk conversion tools.

Exit codes:
  0    done (unreadable files inside the trees are warnings)
  1    findings at or above --fail-on, not waived by the policy
  2    usage error, or an invalid or missing policy file
  3    a PATH is missing or unreadable, or an output could not be written
  130  interrupted`

func newFormatsCmd(stdio IO, build Build) *cobra.Command {
	opts := &formatsOptions{stdio: stdio, build: build}
	cmd := &cobra.Command{
		Use:   "formats PATH...",
		Short: "Inventory the document formats of file trees and say what to migrate (RGI)",
		Long:  formatsLong,
		Example: `  sillage formats /srv/partage
  sillage formats /srv/partage -o json=formats.json -o table --migrate-list to-convert.csv
  sillage formats /mnt/compta --list action -o csv=compta.csv`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.validate(); err != nil {
				return cmdError{cmd.CommandPath(), err}
			}
			return runFormats(cmd.Context(), opts, args)
		},
	}
	f := cmd.Flags()
	f.StringArrayVarP(&opts.Outputs, "output", "o", nil, "output FORMAT[=FILE], repeatable; formats: "+strings.Join(formatsOutputs, ", ")+" (default table)")
	f.StringArrayVar(&opts.MigrateLists, "migrate-list", nil, "write the files to migrate to FILE.csv or FILE.json, repeatable")
	f.StringArrayVar(&opts.Exclude, "exclude", nil, "leave out paths matching this glob below each PATH (\"/archives/**\", \"**/*.tmp\"), repeatable")
	f.BoolVar(&opts.FollowSymlinks, "follow-symlinks", false, "follow symbolic links (a directory reached twice is walked once)")
	f.BoolVar(&opts.Archives, "archives", false, "also identify the members of ZIP archives (archive.zip!/member), 2 archives deep, with size and ratio caps")
	f.StringVar(&opts.List, "list", "all", "files to list in the json and csv outputs: all, or action (review and migrate only; for very large trees)")
	f.IntVar(&opts.Workers, "workers", 0, "files read in parallel (default: twice the CPUs, at least 4)")
	f.StringVar(&opts.FailOn, "fail-on", "", "exit with code 1 when a finding has this severity or higher: info, low, medium, high, critical")
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "no progress on stderr")
	f.StringVar(&opts.Policy, "policy", "", "policy whose waivers and file rules apply (default: .sillage.yaml of the working directory, else the embedded policy; \"default\" for the embedded one)")
	return cmd
}

func runFormats(ctx context.Context, opts *formatsOptions, roots []string) error {
	started := scanTime(opts.stdio)
	// the policy's waivers accept format findings, and its file rules (if
	// any) see every listed file; a bad policy file should not cost a walk
	pol, err := loadPolicy(opts.Policy, "", "")
	if err != nil {
		return err
	}
	if pol.auto && !opts.Quiet {
		fmt.Fprintf(opts.stdio.Err, "sillage: policy %s@%s from %s\n", pol.set.Name, pol.set.Version, pol.path)
	}
	prog := newProgress(opts.stdio, opts.Quiet)
	defer prog.finish()
	tab := rgi.Load()
	inv, err := formats.Inventory(ctx, roots, formats.Options{
		Exclude:        opts.Exclude,
		FollowSymlinks: opts.FollowSymlinks,
		Archives:       opts.Archives,
		Workers:        opts.Workers,
		ActionOnly:     opts.List == "action",
		Table:          tab,
		Progress:       func(n int) { prog.update(sillage.Progress{Stage: "read", Files: n}) },
	})
	if err != nil {
		return err
	}
	in := policy.Input{Findings: policy.EvaluateFormats(inv), Now: started}
	if pol.engine.HasFileRules() {
		in.Files = policy.FilesOf(inv)
	}
	findings, err := pol.engine.Evaluate(ctx, in)
	if err != nil {
		return err
	}
	res := sillage.Result{
		SchemaVersion: sillage.SchemaVersion,
		Tool:          sillage.Tool{Name: "sillage", Version: opts.build.version()},
		Target:        sillage.Target{Scheme: sillage.SchemeDir, Path: commonDir(inv.Roots)},
		ScannedAt:     started,
		Catalogs:      []sillage.CatalogRef{tab.Ref(), pol.set.Ref()},
		Findings:      findings,
		Rules:         policy.RuleInfos(findings, pol.set),
		Warnings:      formatWarnings(inv),
		Formats:       inv,
	}
	res.Normalize()
	prog.finish()
	if err := writeFormatsOutputs(opts, res, tab); err != nil {
		return err
	}
	if opts.failOn != "" {
		n := 0
		for _, f := range res.Findings {
			if f.Active() && f.Severity.Rank() >= opts.failOn.Rank() {
				n++
			}
		}
		if n > 0 {
			return fmt.Errorf("%d %w (%s)", n, errFindings, opts.failOn)
		}
	}
	return nil
}

// formatWarnings turns the unreadable paths into result warnings.
func formatWarnings(inv *sillage.FormatInventory) []string {
	var ws []string
	for _, u := range inv.Unreadable {
		ws = append(ws, u.Path+": "+u.Error)
	}
	if more := inv.Totals.Unreadable - len(inv.Unreadable); more > 0 {
		ws = append(ws, fmt.Sprintf("%d more unreadable paths not listed", more))
	}
	if inv.Totals.Vanished > 0 {
		ws = append(ws, fmt.Sprintf("%d files vanished during the walk", inv.Totals.Vanished))
	}
	return ws
}

// commonDir is the deepest directory holding every root.
func commonDir(roots []string) string {
	if len(roots) == 0 {
		return "/"
	}
	if len(roots) == 1 {
		return roots[0]
	}
	common := filepath.Dir(roots[0])
	for _, r := range roots[1:] {
		for !strings.HasPrefix(r+string(filepath.Separator), strings.TrimSuffix(common, string(filepath.Separator))+string(filepath.Separator)) {
			parent := filepath.Dir(common)
			if parent == common {
				break
			}
			common = parent
		}
	}
	return common
}

// targetExtensions maps each format id to its main file extension.
func targetExtensions(tab *rgi.Table) map[string]string {
	m := map[string]string{}
	for _, f := range tab.Formats {
		m[f.ID] = f.Extension()
	}
	return m
}

// writeFormatsOutputs renders everything in memory, writes the files
// atomically, then stdout, as scan does.
func writeFormatsOutputs(opts *formatsOptions, res sillage.Result, tab *rgi.Table) error {
	type doc struct {
		path string
		data []byte
	}
	var docs []doc
	for _, out := range opts.outputs {
		var buf bytes.Buffer
		var err error
		switch out.format {
		case "table":
			ro := report.Options{}
			if out.path == "" {
				ro.Width = opts.stdio.Width
				ro.Color = colorEnabled(opts.stdio)
			}
			err = report.FormatsTable(&buf, res, ro)
		case "json":
			var r report.Reporter
			if r, err = report.New("json", report.Options{}); err == nil {
				err = r.Report(&buf, res)
			}
		case "csv":
			err = report.FormatsCSV(&buf, res.Formats)
		}
		if err != nil {
			return fmt.Errorf("%w: render %s: %w", errOutput, out.format, err)
		}
		docs = append(docs, doc{out.path, buf.Bytes()})
	}
	exts := targetExtensions(tab)
	for _, l := range opts.lists {
		var buf bytes.Buffer
		if err := report.MigrateList(&buf, res.Formats, l.format, exts); err != nil {
			return fmt.Errorf("%w: migration list: %w", errOutput, err)
		}
		docs = append(docs, doc{l.path, buf.Bytes()})
	}
	for _, d := range docs {
		if d.path == "" {
			continue
		}
		if err := writeFileAtomic(d.path, d.data); err != nil {
			return sillage.WithHint(fmt.Errorf("%w: %w", errOutput, err), "check that the output directory is writable and has free space")
		}
	}
	for _, d := range docs {
		if d.path == "" {
			if _, err := opts.stdio.Out.Write(d.data); err != nil {
				return fmt.Errorf("%w: stdout: %w", errOutput, err)
			}
		}
	}
	return nil
}

// inventoryFormats is `scan --formats`: the format inventory of a dir:
// target, with its findings.
func inventoryFormats(ctx context.Context, t sillage.Target, exclude []string) (*sillage.FormatInventory, []sillage.Finding, sillage.CatalogRef, error) {
	if t.Scheme != sillage.SchemeDir {
		return nil, nil, sillage.CatalogRef{}, usageError{errors.New("--formats needs a directory target (dir:PATH)")}
	}
	tab := rgi.Load()
	inv, err := formats.Inventory(ctx, []string{t.Path}, formats.Options{Exclude: exclude, Table: tab})
	if err != nil {
		return nil, nil, sillage.CatalogRef{}, err
	}
	return inv, policy.EvaluateFormats(inv), tab.Ref(), nil
}
