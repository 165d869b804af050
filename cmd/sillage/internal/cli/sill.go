package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/report"
	"github.com/sillage-oss/sillage/rules/sill"
)

// errSILL marks a failed catalogue operation (download, unreadable file):
// exit code 3, like a failed scan.
var errSILL = errors.New("SILL catalogue")

// sillCache is the cache of the live SILL export: the user cache
// directory, or SILLAGE_CACHE_DIR when set (CI runners, tests).
func sillCache(stdio IO, url string) sill.Cache {
	c := sill.Cache{URL: url}
	if dir := stdio.getenv("SILLAGE_CACHE_DIR"); dir != "" {
		c.Dir = dir
	}
	return c
}

// resolveSILL loads the catalogue a command uses: --sill FILE, else the
// cached live export, else the embedded 2022 snapshot.
func resolveSILL(stdio IO, file string) (*sill.Catalog, error) {
	cat, err := sill.Resolve(file, sillCache(stdio, ""))
	if err != nil {
		if errors.Is(err, sillage.ErrInvalidInput) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %w", errSILL, err)
	}
	return cat, nil
}

func newSILLCmd(stdio IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sill",
		Short: "The SILL, the State's catalogue of recommended free software: update, status, search, show",
		Long: `The SILL (Socle interministériel de logiciels libres) is the catalogue of free
software the French State recommends, kept by DINUM at code.gouv.fr/sill.

sillage embeds the 2022 snapshot of the SILL (240 entries; SILL, DINUM / Etalab,
Licence Ouverte 2.0). 'sillage sill update' downloads the live export into the
user cache directory; from then on every command uses it. --sill FILE uses a
given export instead. Every report names the catalogue and date it used.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newSILLUpdateCmd(stdio), newSILLStatusCmd(stdio), newSILLSearchCmd(stdio), newSILLShowCmd(stdio))
	return cmd
}

func newSILLUpdateCmd(stdio IO) *cobra.Command {
	var url string
	cmd := &cobra.Command{
		Use:   "update",
		Short: "Download the live SILL export into the user cache directory",
		Long: `Download the live SILL export (` + sill.DefaultURL + `) into the user
cache directory (SILLAGE_CACHE_DIR overrides it). The download is validated
before it replaces the cached copy; on any failure the previous copy is kept.
The request is conditional (ETag, If-Modified-Since), so an unchanged export is
not downloaded again.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			res, err := sillCache(stdio, url).Update(cmd.Context())
			if err != nil {
				if cmd.Context().Err() != nil {
					return cmd.Context().Err()
				}
				return sillage.WithHint(fmt.Errorf("%w: update: %w", errSILL, err),
					"the previous catalogue is kept; check the network or the URL, or give a downloaded export with --sill FILE")
			}
			switch {
			case res.NotModified:
				fmt.Fprintf(stdio.Out, "SILL unchanged since %s (%d entries): %s\n", res.Meta.DataDate().Format("2006-01-02"), res.Meta.Entries, res.Path)
			case !res.Changed:
				fmt.Fprintf(stdio.Out, "SILL downloaded again, content unchanged (%d entries): %s\n", res.Meta.Entries, res.Path)
			default:
				fmt.Fprintf(stdio.Out, "SILL updated: %d entries dated %s, from %s: %s\n", res.Meta.Entries, res.Meta.DataDate().Format("2006-01-02"), res.Meta.URL, res.Path)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&url, "url", sill.DefaultURL, "URL of the SILL export to download")
	return cmd
}

func newSILLStatusCmd(stdio IO) *cobra.Command {
	var file, format string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Say which SILL catalogue sillage uses, and its date",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cat, err := catalogFor(cmd, stdio, file, format)
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(stdio, cat.Source)
			}
			fmt.Fprintf(stdio.Out, "%s\n", cat.Source.Describe())
			if cat.Source.Kind == sill.SourceEmbedded {
				fmt.Fprintf(stdio.Out, "source: %s (%s)\n", sill.SnapshotURL, sill.Attribution)
				fmt.Fprintln(stdio.Out, "run 'sillage sill update' to download the live catalogue")
			}
			return nil
		},
	}
	addCatalogFlags(cmd, &file, &format)
	return cmd
}

func newSILLSearchCmd(stdio IO) *cobra.Command {
	var file, format string
	cmd := &cobra.Command{
		Use:     "search TEXT...",
		Short:   "Search the SILL by name, function, keyword or category (accents and case ignored)",
		Example: "  sillage sill search navigateur\n  sillage sill search 'traitement de texte' -o json",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := catalogFor(cmd, stdio, file, format)
			if err != nil {
				return err
			}
			found := cat.Search(strings.Join(args, " "))
			if format == "json" {
				if found == nil {
					found = []sill.Software{}
				}
				return writeJSON(stdio, found)
			}
			if len(found) == 0 {
				fmt.Fprintf(stdio.Err, "no SILL entry matches %q in the %s\n", strings.Join(args, " "), cat.Source.Describe())
				return nil
			}
			return writeSILLTable(stdio, cat, found)
		},
	}
	addCatalogFlags(cmd, &file, &format)
	return cmd
}

func newSILLShowCmd(stdio IO) *cobra.Command {
	var file, format string
	cmd := &cobra.Command{
		Use:     "show ID|NAME",
		Short:   "Show SILL entries by id or exact name",
		Example: "  sillage sill show 78\n  sillage sill show LibreOffice -o json",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := catalogFor(cmd, stdio, file, format)
			if err != nil {
				return err
			}
			q := strings.Join(args, " ")
			found := cat.Lookup(q)
			if len(found) == 0 {
				return cmdError{cmd.CommandPath(), sillage.WithHint(sillage.InvalidInput(fmt.Errorf("no SILL entry has the id or name %q", q)),
					"find it with 'sillage sill search "+q+"'")}
			}
			if format == "json" {
				return writeJSON(stdio, found)
			}
			var b bytes.Buffer
			for i, s := range found {
				if i > 0 {
					b.WriteString("\n")
				}
				writeSILLEntry(&b, s)
			}
			fmt.Fprintf(&b, "\n(%s)\n", cat.Source.Describe())
			_, err = stdio.Out.Write(b.Bytes())
			return err
		},
	}
	addCatalogFlags(cmd, &file, &format)
	return cmd
}

// catalogFor checks a sill subcommand's -o and loads the catalogue its
// --sill names (or the cached or embedded one).
func catalogFor(cmd *cobra.Command, stdio IO, file, format string) (*sill.Catalog, error) {
	if err := checkListFormat(cmd, format); err != nil {
		return nil, err
	}
	return resolveSILL(stdio, file)
}

func checkListFormat(cmd *cobra.Command, format string) error {
	if format != "table" && format != "json" {
		return cmdError{cmd.CommandPath(), usagef("unknown output format %q; choose one of: json, table", format)}
	}
	return nil
}

func writeJSON(stdio IO, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := stdio.Out.Write(buf.Bytes())
	return err
}

func writeSILLTable(stdio IO, cat *sill.Catalog, sw []sill.Software) error {
	rows := make([][]string, 0, len(sw))
	for _, s := range sw {
		support := ""
		if s.IsPresentInSupportContract {
			support = "yes"
		}
		rows = append(rows, []string{strconv.Itoa(s.ID), s.Name, string(s.Status()), s.License, support, s.Description})
	}
	var b bytes.Buffer
	o := report.Options{Width: stdio.Width, Color: colorEnabled(stdio)}
	if err := report.WriteTable(&b, []string{"ID", "NAME", "STATUS", "LICENCE", "SUPPORT", "FUNCTION"}, rows, o); err != nil {
		return err
	}
	fmt.Fprintf(&b, "\n%d entries · %s\n", len(sw), cat.Source.Describe())
	_, err := stdio.Out.Write(b.Bytes())
	return err
}

// writeSILLEntry writes one entry as "field: value" lines.
func writeSILLEntry(b *bytes.Buffer, s sill.Software) {
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(b, "%-22s %s\n", k+":", v)
		}
	}
	line("id", strconv.Itoa(s.ID))
	line("name", s.Name)
	line("status", string(s.Status()))
	line("function", s.Description)
	line("licence", s.License)
	if v, ok := s.MinVersion(); ok {
		line("minimal version", v)
	} else {
		line("minimal version", s.VersionMin)
	}
	if s.IsPresentInSupportContract {
		line("support contract", "yes (interministerial support contract)")
	}
	line("wikidata", s.WikidataID())
	line("comptoir du libre", s.ComptoirDuLibreURL())
	if e := s.SoftwareExternalData; e != nil {
		line("website", e.Website())
		line("source code", e.Repository())
	}
	if len(s.Categories) > 0 {
		line("categories", strings.Join(s.Categories, ", "))
	}
	var similar []string
	for _, x := range s.SimilarExternalSoftwares {
		name := x.Title()
		if x.Proprietary() {
			name += " (proprietary)"
		}
		similar = append(similar, name)
	}
	line("similar to", strings.Join(similar, ", "))
	if d := s.Dereferencing; d != nil {
		line("dereferenced", d.Reason)
	}
}

// addCatalogFlags gives a command that reads the catalogue --sill FILE and
// -o json|table.
func addCatalogFlags(cmd *cobra.Command, file, format *string) {
	cmd.Flags().StringVar(file, "sill", "", "use this SILL export (JSON, live schema) instead of the cached or embedded catalogue")
	cmd.Flags().StringVarP(format, "output", "o", "table", "output format: json, table")
}
