package cli

import (
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
	"github.com/sillage-oss/sillage/internal/atomicfile"
	"github.com/sillage-oss/sillage/policy"
	"github.com/sillage-oss/sillage/policy/sillmatch"
	"github.com/sillage-oss/sillage/report"
	"github.com/sillage-oss/sillage/rules"
	"github.com/sillage-oss/sillage/rules/sill"
	"github.com/sillage-oss/sillage/scanner"
)

type scanOptions struct {
	Outputs           []string // raw -o values: FORMAT or FORMAT=FILE
	Exclude           []string
	NoDefaultExcludes bool
	FailOn            string
	Quiet             bool
	SILL              string // --sill FILE
	LicenseDetection  string
	LicenseHeaders    bool
	Lang              string // --lang, for html and markdown
	Policy            string // --policy FILE
	Profile           string // --profile NAME
	Baseline          string // --baseline FILE
	Formats           bool   // --formats: also inventory document formats
	NoCache           bool   // --no-cache: no licence-match cache

	outputs   []output
	failOn    sillage.Severity
	failOnSet bool // --fail-on was given, possibly as "none"
	detection scanner.LicenseDetection
	// multiHost is set when the target holds one inventory per machine
	// (glpi:DIR, ocs:DIR): outputs are per host or streamed.
	multiHost bool
	stdio     IO
	build     Build
}

// output is one requested rendering: a format and where it goes ("" is
// stdout).
type output struct {
	format string
	path   string
}

func (o *scanOptions) validate() error {
	outs, err := parseOutputs(o.Outputs)
	if err != nil {
		return err
	}
	o.outputs = outs
	for _, out := range outs {
		if out.path != "" {
			if err := checkHostTemplate(out.path); err != nil {
				return err
			}
		}
	}
	if err := report.CheckLang(o.Lang); err != nil {
		return usageError{fmt.Errorf("--lang: %w", err)}
	}
	det, err := scanner.ParseLicenseDetection(o.LicenseDetection)
	if err != nil {
		return usageError{fmt.Errorf("--license-detection: %w", err)}
	}
	o.detection = det
	if strings.EqualFold(o.FailOn, "none") {
		o.failOnSet = true
	} else if o.FailOn != "" {
		o.failOnSet = true
		sev, err := sillage.ParseSeverity(o.FailOn)
		if err != nil {
			return usageError{fmt.Errorf("--fail-on: %w", err)}
		}
		o.failOn = sev
	}
	return nil
}

// parseOutputs reads -o values, FORMAT or FORMAT=FILE ("table" when there
// are none): every format must exist, at most one may go to stdout, and
// every file must be writable.
func parseOutputs(raws []string) ([]output, error) {
	if len(raws) == 0 {
		raws = []string{"table"}
	}
	var outs []output
	toStdout := ""
	for _, raw := range raws {
		format, path, _ := strings.Cut(raw, "=")
		format = strings.TrimSpace(format)
		if _, err := report.New(format, report.Options{}); err != nil {
			return nil, usageError{err}
		}
		if path == "" || path == "-" {
			if toStdout != "" {
				return nil, usagef("both -o %s and -o %s would write to stdout; give all but one a file: -o %s=FILE", toStdout, format, format)
			}
			toStdout = format
			path = ""
		} else if err := checkOutputPath(path); err != nil {
			return nil, err
		}
		outs = append(outs, output{format, path})
	}
	return outs, nil
}

// checkOutputPath fails early, before a long scan, when an output file
// could not be written: its directory must exist and it must not be a
// directory itself.
func checkOutputPath(path string) error {
	dir := filepath.Dir(path)
	if strings.Contains(filepath.Base(path), hostPlaceholder) {
		// a template: the directory must exist, the files will be made
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return usageError{fmt.Errorf("output %s: directory %s does not exist", path, dir)}
		}
		return nil
	}
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
  winreg:FILE          a Windows machine's programs from a registry export of its Uninstall keys
                       (reg export / regedit .reg, or Get-ItemProperty ... | ConvertTo-Json)
  winget:FILE          the packages of a 'winget export -o FILE --include-versions'
  glpi:FILE|DIR        GLPI agent inventories (JSON or XML); a directory: one machine per file
  ocs:FILE|DIR         OCS Inventory agent inventories (.ocs, .xml); a directory: one machine per file
  PATH                 a bare directory is dir: (or oci-dir: if it holds an OCI layout);
                       a bare file is an image archive if it is one, a registry, winget, GLPI
                       or OCS inventory if its content is one, else an SBOM

host: also lists Flatpak and Snap applications and macOS .app bundles; on Windows,
host:C:\ adds the programs of the registry's Uninstall keys.

Outputs (-o FORMAT[=FILE], repeatable; without =FILE the document goes to stdout):
  %s
  {host} in a file name is replaced by the result's host name: -o json=out/{host}.json.
  A glpi: or ocs: directory gives one result per machine: with {host}, one file each;
  otherwise JSON formats are written as JSON Lines (one result per line) and tables
  one after another; XML formats need {host}.

host: targets skip these paths unless --no-default-excludes is given:
  %s

Policy (docs/policy.md):
  The policy decides the findings. Which one applies: --policy FILE; else
  .sillage.yaml at the root of a dir: target; else .sillage.yaml in the working
  directory; else the embedded default policy (--policy default forces it). In
  CI, name the policy with --policy: a .sillage.yaml in the scanned tree comes
  with the change under review.

Profiles (--profile NAME) adjust severities, licence lists and the default
--fail-on of the policy to a kind of scan:
%s

Waived findings, and with --baseline PREVIOUS.json the findings that result
already had, are reported but do not count towards --fail-on.

Exit codes:
  0    no finding at or above --fail-on (or no --fail-on)
  1    findings at or above --fail-on, not waived and (with --baseline) new
  2    usage or configuration error: a bad flag, an invalid policy file, a
       missing or malformed --baseline
  3    scan failed: missing, unreadable or corrupt target, malformed SBOM, unwritable output;
       for a directory of inventories, the readable ones are still written
  130  interrupted

Environment:
  NO_COLOR             no colour and no progress animation
  SOURCE_DATE_EPOCH    use this Unix time as the scan time (reproducible output)`

func newScanCmd(stdio IO, build Build, runF func(context.Context, *scanOptions, string) error) *cobra.Command {
	opts := &scanOptions{stdio: stdio, build: build}
	cmd := &cobra.Command{
		Use:   "scan [TARGET]",
		Short: "Inventory a source tree, host, image or SBOM and report on it",
		Long:  fmt.Sprintf(scanLong, strings.Join(report.Formats(), ", "), wrapList(scanner.DefaultHostExcludes(), 76, "  "), profileHelp("  ", 80)),
		Example: `  sillage scan .
  sillage scan host:/ -o json=host.json -o table
  sillage scan oci-archive:image.tar -o cyclonedx-json=image.cdx.json
  sillage scan sbom:vendor.spdx.json --fail-on medium
  sillage scan . --profile ci --baseline main.json -o json=result.json
  sillage scan winreg:poste-042.reg -o table
  sillage scan glpi:/srv/glpi/inventories -o json=out/{host}.json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.validate(); err != nil {
				return cmdError{cmd.CommandPath(), err}
			}
			target := "."
			if len(args) == 1 {
				target = args[0]
			}
			opts.multiHost = scanner.MultiHost(target)
			if err := opts.validateMultiHost(target); err != nil {
				return cmdError{cmd.CommandPath(), err}
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
	f.StringVar(&opts.FailOn, "fail-on", "", "exit with code 1 when a finding has this severity or higher: info, low, medium, high, critical, or none (default: the profile's)")
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "no progress on stderr")
	f.StringVar(&opts.LicenseDetection, "license-detection", "auto", "which licence files to identify: auto (packages whose declared licence is missing or not SPDX), all, none")
	f.BoolVar(&opts.LicenseHeaders, "license-headers", false, "dir: also read the first lines of source files for licence notices")
	f.BoolVar(&opts.NoCache, "no-cache", false, "neither read nor write the licence-match cache (see SILLAGE_CACHE_DIR)")
	f.StringVar(&opts.Policy, "policy", "", "policy file to apply (default: .sillage.yaml of the target or working directory, else the embedded policy; \"default\" for the embedded one)")
	f.StringVar(&opts.Profile, "profile", "", "adjust the policy to a kind of scan: "+strings.Join(rules.Default().ProfileNames(), ", "))
	f.StringVar(&opts.Baseline, "baseline", "", "compare with this earlier result (-o json); only new findings count towards --fail-on")
	f.BoolVar(&opts.Formats, "formats", false, "dir: targets: also inventory the document formats (see 'sillage formats')")
	f.StringVar(&opts.SILL, "sill", "", "compare with this SILL export (JSON, live schema) instead of the cached or embedded catalogue")
	f.StringVar(&opts.Lang, "lang", "fr", "language of the html and markdown reports: "+strings.Join(report.Languages(), ", "))
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
	// so are the policy and the baseline
	pol, err := loadPolicy(opts.Policy, opts.Profile, target)
	if err != nil {
		return err
	}
	if pol.auto && !opts.Quiet {
		fmt.Fprintf(opts.stdio.Err, "sillage: policy %s@%s from %s\n", pol.set.Name, pol.set.Version, pol.path)
	}
	var baseline *sillage.Result
	if opts.Baseline != "" {
		b, err := readBaseline(opts.Baseline)
		if err != nil {
			return err
		}
		baseline = &b
	}
	prog := newProgress(opts.stdio, opts.Quiet)
	defer prog.finish()

	invs, scanErr := scanner.ScanAll(ctx, target, scanner.Options{
		Exclude:           opts.Exclude,
		NoDefaultExcludes: opts.NoDefaultExcludes,
		LicenseDetection:  opts.detection,
		LicenseHeaders:    opts.LicenseHeaders,
		LicenseCache:      licenceCacheDir(opts.stdio, opts.NoCache),
		Progress:          prog.update,
	})
	if len(invs) == 0 {
		return scanErr
	}
	matcher, err := sillmatch.New(catalog)
	if err != nil {
		return fmt.Errorf("%w: %w", errSILL, err)
	}
	results := make([]sillage.Result, 0, len(invs))
	for _, inv := range invs {
		prog.update(sillage.Progress{Stage: "evaluate", Packages: len(inv.Components)})
		res, err := evaluate(ctx, opts, inv, catalog, matcher, pol, baseline, started)
		if err != nil {
			return err
		}
		results = append(results, res)
	}
	prog.finish()

	failOn, origin := effectiveFailOn(opts, pol.set)
	if err := writeResults(opts, results, opts.multiHost, report.Options{Lang: opts.Lang, FailOn: failOn}); err != nil {
		return err
	}
	for _, res := range results {
		if err := annotateGitHub(opts.stdio, res, failOn); err != nil {
			return err
		}
	}
	if scanErr != nil {
		// some inventories of a directory could not be read: the others
		// are written, the run still fails
		return scanErr
	}
	if failOn != "" {
		// waived findings, and findings already in a baseline, are shown
		// but do not fail the run
		n := 0
		for _, res := range results {
			for _, f := range res.Findings {
				if f.Active() && f.Severity.Rank() >= failOn.Rank() {
					n++
				}
			}
		}
		if n > 0 {
			return fmt.Errorf("%d %w (%s%s)", n, errFindings, failOn, origin)
		}
	}
	return nil
}

// evaluate runs the licence, SILL and policy stages over one inventory
// and assembles its result.
func evaluate(ctx context.Context, opts *scanOptions, inv sillage.Inventory, catalog *sill.Catalog, matcher *sillmatch.Matcher,
	pol *loadedPolicy, baseline *sillage.Result, started time.Time) (sillage.Result, error) {
	licenses := rules.Licenses()
	policy.ConcludeLicenses(inv.Components, licenses)
	comps, migrations, err := matcher.Apply(ctx, inv.Components)
	if err != nil {
		return sillage.Result{}, err
	}
	rs := pol.set
	in := policy.Input{Components: comps, Migrations: migrations, Now: started}
	catalogs := []sillage.CatalogRef{licenses.Ref(), rs.Ref(), catalog.Ref()}
	warnings := inv.Warnings
	var finv *sillage.FormatInventory
	if opts.Formats {
		var ff []sillage.Finding
		var ref sillage.CatalogRef
		finv, ff, ref, err = inventoryFormats(ctx, inv.Target, opts.Exclude)
		if err != nil {
			return sillage.Result{}, err
		}
		// the per-format summary goes through the policy's waivers; a
		// policy with file rules also sees every listed file
		in.Findings = ff
		if pol.engine.HasFileRules() {
			in.Files = policy.FilesOf(finv)
		}
		catalogs = append(catalogs, ref)
		warnings = append(warnings, formatWarnings(finv)...)
	}
	findings, err := pol.engine.Evaluate(ctx, in)
	if err != nil {
		return sillage.Result{}, err
	}
	if baseline != nil {
		policy.MarkBaseline(findings, comps, *baseline)
	}
	res := sillage.Result{
		SchemaVersion: sillage.SchemaVersion,
		Tool:          sillage.Tool{Name: "sillage", Version: opts.build.version()},
		Target:        inv.Target,
		Host:          inv.Host,
		ScannedAt:     started,
		Catalogs:      catalogs,
		Components:    comps,
		Findings:      findings,
		Rules:         policy.RuleInfos(findings, rs),
		Migrations:    migrations,
		Warnings:      warnings,
		Formats:       finv,
	}
	res.Normalize()
	return res, nil
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

func colorEnabled(stdio IO) bool {
	return stdio.OutTTY && stdio.getenv("NO_COLOR") == "" && stdio.getenv("TERM") != "dumb"
}

// writeFileAtomic writes data to a temporary file beside path, syncs it
// and renames it over path, so that readers see the old file or the new
// one, never a partial one.
func writeFileAtomic(path string, data []byte) error {
	if err := atomicfile.Write(path, data, ""); err != nil {
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
