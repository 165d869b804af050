package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/policy"
	"github.com/sillage-oss/sillage/policy/sillmatch"
	"github.com/sillage-oss/sillage/report"
	"github.com/sillage-oss/sillage/rules"
	"github.com/sillage-oss/sillage/scanner"
)

type scanOptions struct {
	Outputs           []string // raw -o values: FORMAT or FORMAT=FILE
	Exclude           []string
	NoDefaultExcludes bool
	FailOn            string
	Quiet             bool
	SILL              string // --sill FILE
	Formats           bool   // --formats: also inventory document formats

	outputs []output
	failOn  sillage.Severity
	stdio   IO
	build   Build
}

// output is one requested rendering: a format and where it goes ("" is
// stdout).
type output struct {
	format string
	path   string
}

func (o *scanOptions) validate() error {
	if len(o.Outputs) == 0 {
		o.Outputs = []string{"table"}
	}
	toStdout := ""
	for _, raw := range o.Outputs {
		format, path, _ := strings.Cut(raw, "=")
		format = strings.TrimSpace(format)
		if _, err := report.New(format, report.Options{}); err != nil {
			return usageError{err}
		}
		if path == "" || path == "-" {
			if toStdout != "" {
				return usagef("both -o %s and -o %s would write to stdout; give all but one a file: -o %s=FILE", toStdout, format, format)
			}
			toStdout = format
			path = ""
		} else if err := checkOutputPath(path); err != nil {
			return err
		}
		o.outputs = append(o.outputs, output{format, path})
	}
	if o.FailOn != "" {
		sev, err := sillage.ParseSeverity(o.FailOn)
		if err != nil {
			return usageError{fmt.Errorf("--fail-on: %w", err)}
		}
		o.failOn = sev
	}
	return nil
}

// checkOutputPath fails early, before a long scan, when an output file
// could not be written: its directory must exist and it must not be a
// directory itself.
func checkOutputPath(path string) error {
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	if err != nil {
		return usageError{fmt.Errorf("output %s: directory %s does not exist", path, dir)}
	}
	if !fi.IsDir() {
		return usageError{fmt.Errorf("output %s: %s is not a directory", path, dir)}
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return usageError{fmt.Errorf("output %s is a directory; give a file name", path)}
	}
	return nil
}

const scanLong = `Inventory the software of TARGET (default: the current directory) and report
its components, licences and findings.

Targets:
  dir:PATH             a source tree or unpacked application (manifests, lock files, binaries)
  host:PATH            the installed software of a root filesystem: the live host (host:/,
                       the default path) or a mounted disk image / unpacked rootfs
  oci-archive:FILE     a container image saved as an OCI archive (no daemon needed)
  docker-archive:FILE  a container image saved with 'docker save'
  oci-dir:DIR          a container image in an OCI layout directory
  sbom:FILE            an existing CycloneDX (JSON/XML), SPDX (JSON/tag-value) or syft JSON SBOM
  PATH                 a bare directory is dir: (or oci-dir: if it holds an OCI layout);
                       a bare file is an image archive if it is one, else an SBOM

Outputs (-o FORMAT[=FILE], repeatable; without =FILE the document goes to stdout):
  %s

host: targets skip these paths unless --no-default-excludes is given:
  %s

Exit codes:
  0    no finding at or above --fail-on (or no --fail-on)
  1    findings at or above --fail-on
  2    usage or configuration error
  3    scan failed: missing, unreadable or corrupt target, malformed SBOM, unwritable output
  130  interrupted

Environment:
  NO_COLOR             no colour and no progress animation
  SOURCE_DATE_EPOCH    use this Unix time as the scan time (reproducible output)`

func newScanCmd(stdio IO, build Build, runF func(context.Context, *scanOptions, string) error) *cobra.Command {
	opts := &scanOptions{stdio: stdio, build: build}
	cmd := &cobra.Command{
		Use:   "scan [TARGET]",
		Short: "Inventory a source tree, host, image or SBOM and report on it",
		Long:  fmt.Sprintf(scanLong, strings.Join(report.Formats(), ", "), wrapList(scanner.DefaultHostExcludes(), 76, "  ")),
		Example: `  sillage scan .
  sillage scan host:/ -o json=host.json -o table
  sillage scan oci-archive:image.tar -o cyclonedx-json=image.cdx.json
  sillage scan sbom:vendor.spdx.json --fail-on medium`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.validate(); err != nil {
				return cmdError{cmd.CommandPath(), err}
			}
			target := "."
			if len(args) == 1 {
				target = args[0]
			}
			if scheme, _ := sillage.ParseTarget(target); opts.Formats && scheme != "" && scheme != sillage.SchemeDir {
				return cmdError{cmd.CommandPath(), usagef("--formats needs a directory target (dir:PATH), not %s:", scheme)}
			}
			return runF(cmd.Context(), opts, target)
		},
	}
	f := cmd.Flags()
	f.StringArrayVarP(&opts.Outputs, "output", "o", nil, "output FORMAT[=FILE], repeatable; formats: "+strings.Join(report.Formats(), ", ")+" (default table)")
	f.StringArrayVar(&opts.Exclude, "exclude", nil, "leave out paths matching this glob (\"/home/**\", \"**/*.jar\"), repeatable")
	f.BoolVar(&opts.NoDefaultExcludes, "no-default-excludes", false, "host: also scan /proc, /sys, /dev, /run, /tmp and package caches")
	f.StringVar(&opts.FailOn, "fail-on", "", "exit with code 1 when a finding has this severity or higher: info, low, medium, high, critical")
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "no progress on stderr")
	f.BoolVar(&opts.Formats, "formats", false, "dir: targets: also inventory the document formats (see 'sillage formats')")
	f.StringVar(&opts.SILL, "sill", "", "compare with this SILL export (JSON, live schema) instead of the cached or embedded catalogue")
	return cmd
}

// runScan is the scan command: scanner → policy → report.
func runScan(ctx context.Context, opts *scanOptions, target string) error {
	started := scanTime(opts.stdio)
	// the catalogue is checked before the scan: a bad --sill file should
	// not cost a scan
	catalog, err := resolveSILL(opts.stdio, opts.SILL)
	if err != nil {
		return err
	}
	prog := newProgress(opts.stdio, opts.Quiet)
	defer prog.finish()

	inv, err := scanner.Scan(ctx, target, scanner.Options{
		Exclude:           opts.Exclude,
		NoDefaultExcludes: opts.NoDefaultExcludes,
		Progress:          prog.update,
	})
	if err != nil {
		return err
	}
	prog.update(sillage.Progress{Stage: "evaluate", Packages: len(inv.Components)})
	licenses := rules.Licenses()
	policy.ConcludeLicenses(inv.Components, licenses)
	matcher, err := sillmatch.New(catalog)
	if err != nil {
		return fmt.Errorf("%w: %w", errSILL, err)
	}
	comps, migrations, err := matcher.Apply(ctx, inv.Components)
	if err != nil {
		return err
	}
	rs := rules.Default()
	findings, err := policy.Evaluate(ctx, rs, policy.Input{Components: comps, Migrations: migrations})
	if err != nil {
		return err
	}
	res := sillage.Result{
		SchemaVersion: sillage.SchemaVersion,
		Tool:          sillage.Tool{Name: "sillage", Version: opts.build.version()},
		Target:        inv.Target,
		Host:          inv.Host,
		ScannedAt:     started,
		Catalogs:      []sillage.CatalogRef{licenses.Ref(), rs.Ref(), catalog.Ref()},
		Components:    comps,
		Findings:      findings,
		Migrations:    migrations,
		Warnings:      inv.Warnings,
	}
	if opts.Formats {
		prog.update(sillage.Progress{Stage: "read", Packages: len(comps)})
		finv, ff, ref, err := inventoryFormats(ctx, inv.Target, opts.Exclude)
		if err != nil {
			return err
		}
		res.Formats = finv
		res.Findings = append(res.Findings, ff...)
		res.Catalogs = append(res.Catalogs, ref)
		res.Warnings = append(res.Warnings, formatWarnings(finv)...)
	}
	res.Normalize()
	prog.finish()

	if err := writeOutputs(opts, res); err != nil {
		return err
	}
	if opts.failOn != "" {
		// waived findings, and findings already in a baseline, are shown
		// but do not fail the run
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

// scanTime is now, in UTC to the second, unless SOURCE_DATE_EPOCH fixes it.
func scanTime(stdio IO) time.Time {
	if s := stdio.getenv("SOURCE_DATE_EPOCH"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.Unix(n, 0).UTC()
		}
	}
	return time.Now().UTC().Truncate(time.Second)
}

var errOutput = errors.New("cannot write output")

// writeOutputs renders every requested output in memory first, so that a
// rendering error leaves no file behind, then writes each file atomically
// and the stdout document last.
func writeOutputs(opts *scanOptions, res sillage.Result) error {
	rendered := make([][]byte, len(opts.outputs))
	for i, out := range opts.outputs {
		ro := report.Options{}
		if out.path == "" {
			ro.Width = opts.stdio.Width
			ro.Color = colorEnabled(opts.stdio)
		}
		r, err := report.New(out.format, ro)
		if err != nil {
			return usageError{err}
		}
		var buf bytes.Buffer
		if err := r.Report(&buf, res); err != nil {
			return fmt.Errorf("%w: render %s: %w", errOutput, out.format, err)
		}
		rendered[i] = buf.Bytes()
	}
	for i, out := range opts.outputs {
		if out.path == "" {
			continue
		}
		if err := writeFileAtomic(out.path, rendered[i]); err != nil {
			return sillage.WithHint(fmt.Errorf("%w: %w", errOutput, err), "check that the output directory is writable and has free space")
		}
	}
	for i, out := range opts.outputs {
		if out.path == "" {
			if _, err := opts.stdio.Out.Write(rendered[i]); err != nil {
				return fmt.Errorf("%w: stdout: %w", errOutput, err)
			}
		}
	}
	return nil
}

func colorEnabled(stdio IO) bool {
	return stdio.OutTTY && stdio.getenv("NO_COLOR") == "" && stdio.getenv("TERM") != "dumb"
}

// writeFileAtomic writes data to a temporary file beside path, syncs it
// and renames it over path, so that readers see the old file or the new
// one, never a partial one.
func writeFileAtomic(path string, data []byte) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	cleanup := func(err error) error {
		_ = f.Close()
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		return cleanup(err)
	}
	if err := f.Sync(); err != nil {
		return cleanup(err)
	}
	if err := f.Chmod(0o644); err != nil {
		return cleanup(err)
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// wrapList joins items with ", " into lines of at most width columns.
func wrapList(items []string, width int, indent string) string {
	var b strings.Builder
	line := 0
	for i, it := range items {
		if i < len(items)-1 {
			it += ","
		}
		switch {
		case i == 0:
		case line+1+len(it) > width:
			b.WriteString("\n" + indent)
			line = 0
		default:
			b.WriteString(" ")
			line++
		}
		b.WriteString(it)
		line += len(it)
	}
	return b.String()
}
