package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/report"
	"github.com/sillage-oss/sillage/rules"
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
	return cmd
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
