package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/report"
	"github.com/sillage-oss/sillage/rules"
	"github.com/sillage-oss/sillage/scanner"
	"github.com/sillage-oss/sillage/scanner/licensedetect"
)

func newLicenseCmd(stdio IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "license",
		Aliases: []string{"licence"},
		Short:   "Licence knowledge: list the embedded licence table, detect licences in files",
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newLicenseListCmd(stdio))
	cmd.AddCommand(newLicenseDetectCmd(stdio))
	return cmd
}

// detection is one file in `license detect -o json`.
type detection struct {
	Path       string                  `json:"path"`
	Expression *string                 `json:"expression"`
	Matches    []detectionMatch        `json:"matches"`
	Category   sillage.LicenseCategory `json:"category"`
}

type detectionMatch struct {
	ID       string  `json:"id"`
	Coverage float64 `json:"coverage"`
}

func newLicenseDetectCmd(stdio IO) *cobra.Command {
	var format string
	var headers, noCache bool
	cmd := &cobra.Command{
		Use:   "detect PATH...",
		Short: "Identify the licences in licence files (and source headers) with google/licensecheck",
		Long: `Identify the licence texts in files. A directory is walked for licence files
(LICENSE, LICENCE, COPYING, COPYRIGHT, NOTICE, UNLICENSE and their variants, and
REUSE LICENSES/ directories); a file is read whatever its name. With
--license-headers, the first lines of source files are read too.

For each file: the SPDX expression of the licences found (an AND of the
distinct ids whose matches cover at least ` + strconv.Itoa(int(licensedetect.DefaultThreshold)) + `% of the file), every match
with its coverage, and the category. A GNU licence text cannot say whether
"or later" applies: it is reported as the -only id.`,
		Example: `  sillage license detect .
  sillage license detect LICENSE vendor/ -o json
  sillage license detect --license-headers src/`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkListFormat(cmd, format); err != nil {
				return err
			}
			return runLicenseDetect(cmd.Context(), stdio, args, format, headers, licenceCacheDir(stdio, noCache))
		},
	}
	cmd.Flags().StringVarP(&format, "output", "o", "table", "output format: json, table")
	cmd.Flags().BoolVar(&headers, "license-headers", false, "also read the first lines of source files for licence notices")
	cmd.Flags().BoolVar(&noCache, "no-cache", false, "neither read nor write the licence-match cache (see SILLAGE_CACHE_DIR)")
	return cmd
}

func runLicenseDetect(ctx context.Context, stdio IO, paths []string, format string, headers bool, cacheDir string) error {
	d, err := licensedetect.Default()
	if err != nil {
		return err
	}
	if cacheDir != "" {
		// a cache that cannot be opened or saved costs time, not results
		if c, err := d.OpenCache(cacheDir); err == nil {
			d = d.WithCache(c)
			defer func() { _ = c.Save() }()
		}
	}
	tab := rules.Licenses()
	var out []detection
	add := func(r licensedetect.Result) {
		det := detection{Path: r.Path, Matches: []detectionMatch{}, Category: sillage.CategoryUnknown}
		for _, m := range r.Matches {
			det.Matches = append(det.Matches, detectionMatch{ID: m.ID, Coverage: math.Round(m.Coverage*10) / 10})
		}
		if r.Expression != "" {
			e := r.Expression
			det.Expression = &e
			det.Category = tab.CategoryOf(e)
		}
		out = append(out, det)
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return statPathError(p, err)
		}
		if fi.IsDir() {
			if _, err := d.Walk(ctx, []string{p}, licensedetect.WalkOptions{Headers: headers}, add); err != nil {
				return err
			}
			continue
		}
		r, err := d.DetectFile(ctx, p)
		switch {
		case errors.Is(err, licensedetect.ErrBinary), errors.Is(err, licensedetect.ErrTooLarge):
			fmt.Fprintf(stdio.Err, "sillage: %s: skipped: %v\n", p, err)
			continue
		case err != nil:
			return fmt.Errorf("%w: %w", errOutput, err)
		}
		add(r)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if out == nil {
		out = []detection{}
	}
	if format == "json" {
		return writeJSON(stdio, out)
	}
	rows := make([][]string, 0, len(out))
	for _, det := range out {
		expr := "-"
		if det.Expression != nil {
			expr = *det.Expression
		}
		var ms []string
		for _, m := range det.Matches {
			ms = append(ms, fmt.Sprintf("%s %.0f%%", m.ID, m.Coverage))
		}
		rows = append(rows, []string{det.Path, expr, string(det.Category), strings.Join(ms, ", ")})
	}
	var b bytes.Buffer
	o := report.Options{Width: stdio.Width, Color: colorEnabled(stdio)}
	if err := report.WriteTable(&b, []string{"FILE", "LICENCE", "CATEGORY", "MATCHES"}, rows, o); err != nil {
		return err
	}
	fmt.Fprintf(&b, "\n%d files\n", len(out))
	_, err = stdio.Out.Write(b.Bytes())
	return err
}

// statPathError says that a path given on the command line cannot be read.
func statPathError(p string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return sillage.WithHint(fmt.Errorf("%w: %s does not exist", scanner.ErrTarget, p), "check the path")
	case errors.Is(err, fs.ErrPermission):
		return sillage.WithHint(fmt.Errorf("%w: %s: permission denied", scanner.ErrTarget, p), "run sillage as a user that can read it")
	}
	return fmt.Errorf("%w: %w", scanner.ErrTarget, err)
}

type licenseListOptions struct {
	Format   string
	Category string
	French   bool
}

// licenseRow is one licence in `license list -o json`.
type licenseRow struct {
	ID          string                  `json:"id"`
	Name        string                  `json:"name"`
	Category    sillage.LicenseCategory `json:"category"`
	OSIApproved bool                    `json:"osiApproved"`
	FSF         rules.FSFStatus         `json:"fsf"`
	Deprecated  bool                    `json:"deprecated"`
	ReplacedBy  string                  `json:"replacedBy,omitempty"`
	French      rules.FrenchGroup       `json:"french,omitempty"`
}

var categoryNames = []string{
	string(sillage.CategoryPermissive), string(sillage.CategoryWeakCopyleft), string(sillage.CategoryStrongCopyleft),
	string(sillage.CategoryNetworkCopyleft), string(sillage.CategoryPublicDomain), string(sillage.CategoryProprietary),
	string(sillage.CategoryUnknown),
}

func newLicenseListCmd(stdio IO) *cobra.Command {
	opts := &licenseListOptions{}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the embedded SPDX licence table with sillage's categories",
		Long: `List every SPDX licence sillage knows, with its category, OSI approval, FSF
verdict, deprecation and its place on the list of licences French
administrations may use for their own code and data (CRPA art. L. 323-2 and
D. 323-2-1).

Categories: ` + strings.Join(categoryNames, ", "),
		Example: `  sillage license list --french-list
  sillage license list --category network-copyleft -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Format != "table" && opts.Format != "json" {
				return cmdError{cmd.CommandPath(), usagef("unknown output format %q; choose one of: json, table", opts.Format)}
			}
			if opts.Category != "" && !slices.Contains(categoryNames, opts.Category) {
				return cmdError{cmd.CommandPath(), usagef("unknown category %q; choose one of: %s", opts.Category, strings.Join(categoryNames, ", "))}
			}
			return runLicenseList(stdio, opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Format, "output", "o", "table", "output format: json, table")
	cmd.Flags().StringVar(&opts.Category, "category", "", "only licences of this category: "+strings.Join(categoryNames, ", "))
	cmd.Flags().BoolVar(&opts.French, "french-list", false, "only the licences French administrations may use for their own code and data")
	return cmd
}

func runLicenseList(stdio IO, opts *licenseListOptions) error {
	tab := rules.Licenses()
	var rows []licenseRow
	for _, l := range tab.All() {
		if opts.Category != "" && string(l.Category) != opts.Category {
			continue
		}
		if opts.French && l.French == rules.FrenchNone {
			continue
		}
		rows = append(rows, licenseRow{
			ID: l.ID, Name: l.Name, Category: l.Category, OSIApproved: l.OSIApproved, FSF: l.FSF,
			Deprecated: l.Deprecated, ReplacedBy: l.ReplacedBy, French: l.French,
		})
	}
	if rows == nil {
		rows = []licenseRow{}
	}
	var buf bytes.Buffer
	if opts.Format == "json" {
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rows); err != nil {
			return err
		}
	} else {
		cells := make([][]string, 0, len(rows))
		for _, r := range rows {
			dep := ""
			if r.Deprecated {
				dep = "deprecated"
				if r.ReplacedBy != "" {
					dep += " → " + r.ReplacedBy
				}
			}
			cells = append(cells, []string{r.ID, string(r.Category), yesNo(r.OSIApproved), string(r.FSF), string(r.French), dep, r.Name})
		}
		o := report.Options{Width: stdio.Width, Color: colorEnabled(stdio)}
		if err := report.WriteTable(&buf, []string{"ID", "CATEGORY", "OSI", "FSF", "FRENCH LIST", "STATUS", "NAME"}, cells, o); err != nil {
			return err
		}
		fmt.Fprintf(&buf, "\n%d licences · SPDX licence list %s · %s\n", len(rows), tab.ListVersion(), tab.Ref().Version)
		if opts.French {
			src := tab.FrenchSource()
			fmt.Fprintf(&buf, "Source: %s; %s. Versions: %s\n", src.Law, src.Decree, src.Versions)
		}
	}
	_, err := stdio.Out.Write(buf.Bytes())
	return err
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// licenceCacheDir is where scans keep the licence-match cache
// (licensedetect.Cache): licences/ in SILLAGE_CACHE_DIR when it is set,
// else sillage/licences in the user cache directory; "" with --no-cache
// or when there is no user cache directory.
func licenceCacheDir(stdio IO, off bool) string {
	if off {
		return ""
	}
	if dir := stdio.getenv("SILLAGE_CACHE_DIR"); dir != "" {
		return filepath.Join(dir, "licences")
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(base, "sillage", "licences")
}
