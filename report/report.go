// Package report renders a sillage.Result in one output format.
//
// Reporters write only to the writer they are given and read nothing but
// the Result: no file, no clock, no environment. Terminal width and colour
// arrive in Options, decided by the CLI. Machine-readable formats are
// deterministic: the same Result always renders to the same bytes.
package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/sillage-oss/sillage"
)

// Reporter renders a Result in one output format.
type Reporter interface {
	Report(w io.Writer, res sillage.Result) error
}

// Options tune the human-readable formats; machine-readable formats ignore
// them.
type Options struct {
	// Width is the width of the terminal in columns; 0 means no limit.
	Width int
	// Color enables ANSI colours and styles.
	Color bool
	// Lang is the language of the HTML report: "fr" (the default, also
	// for "") or "en". See Languages.
	Lang string
	// FailOn is the severity from which an active finding fails the
	// build (the CLI's --fail-on). JUnit marks such findings as failures
	// and GitHub annotations as errors; "" means low.
	FailOn sillage.Severity
}

// Languages lists the languages of the HTML report, the default first.
func Languages() []string { return []string{"fr", "en"} }

// CheckLang returns an error naming the languages when lang is not one.
func CheckLang(lang string) error {
	if lang == "" || slices.Contains(Languages(), lang) {
		return nil
	}
	return fmt.Errorf("unknown language %q; choose one of: %s", lang, strings.Join(Languages(), ", "))
}

// failThreshold is o.FailOn, or low when it is not set.
func (o Options) failThreshold() sillage.Severity {
	if o.FailOn.Rank() == 0 {
		return sillage.SeverityLow
	}
	return o.FailOn
}

var registry = map[string]func(Options) Reporter{
	"table":          newTable,
	"json":           newJSON,
	"cyclonedx-json": newCycloneDXJSON,
	"cyclonedx-xml":  newCycloneDXXML,
	"spdx-json":      newSPDXJSON,
	"html":           newHTML,
	"markdown":       newMarkdown,
	"csv":            newCSVComponents,
	"csv-findings":   newCSVFindings,
	"sarif":          newSARIF,
	"junit":          newJUnit,
}

// Formats returns the format names, sorted.
func Formats() []string { return slices.Sorted(maps.Keys(registry)) }

// New returns the Reporter for format, or an error listing the formats.
func New(format string, o Options) (Reporter, error) {
	mk, ok := registry[format]
	if !ok {
		return nil, fmt.Errorf("unknown output format %q; choose one of: %s", format, strings.Join(Formats(), ", "))
	}
	return mk(o), nil
}
