// Package winget reads the JSON file `winget export` writes: the packages
// the Windows Package Manager knows to be installed, by source, with their
// versions when --include-versions was given
// (https://aka.ms/winget-packages.schema.2.0.json; schema 1.0 files, which
// name the identifier "Id", are read too).
package winget

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/scanner/internal/textdec"
)

// MaxSize bounds the file: an export lists a few hundred identifiers.
const MaxSize = 16 << 20

// MaxPackages bounds the packages of one export.
const MaxPackages = 100_000

// Export is what an export file says.
type Export struct {
	// Schema is the $schema URL, Version the schema version in it ("2.0").
	Schema, Version string
	// WinGetVersion is the version of winget that wrote the file.
	WinGetVersion string
	// Packages, in file order.
	Packages []Package
}

// Package is one exported package.
type Package struct {
	// ID is the winget package identifier, "Mozilla.Firefox".
	ID string
	// Version is the installed version, "" when the export was made
	// without --include-versions.
	Version string
	// Source is the winget source's name: "winget", "msstore".
	Source string
}

type file struct {
	Schema        string `json:"$schema"`
	WinGetVersion string `json:"WinGetVersion"`
	Sources       []struct {
		Packages []struct {
			PackageIdentifier string `json:"PackageIdentifier"`
			ID                string `json:"Id"`
			Version           string `json:"Version"`
		} `json:"Packages"`
		SourceDetails struct {
			Name string `json:"Name"`
		} `json:"SourceDetails"`
	} `json:"Sources"`
}

// ErrNotExport is returned for JSON that is not a winget export.
var ErrNotExport = errors.New(`not a winget export: no "Sources" list of packages (make one with: winget export -o FILE --include-versions)`)

// Parse reads an export file, in whatever encoding it was saved.
func Parse(r io.Reader) (Export, error) {
	text, _, err := textdec.Decode(r)
	if err != nil {
		return Export{}, err
	}
	data, err := io.ReadAll(io.LimitReader(text, MaxSize+1))
	if err != nil {
		return Export{}, err
	}
	if len(data) > MaxSize {
		return Export{}, fmt.Errorf("the file is larger than %d MiB: not a winget export", MaxSize>>20)
	}
	var f file
	if err := json.Unmarshal(data, &f); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) && strings.Contains(err.Error(), "unexpected end") {
			return Export{}, fmt.Errorf("the JSON ends early: the file is truncated (%w)", err)
		}
		return Export{}, fmt.Errorf("JSON: %w", err)
	}
	if f.Sources == nil {
		return Export{}, ErrNotExport
	}
	out := Export{Schema: f.Schema, WinGetVersion: f.WinGetVersion, Version: schemaVersion(f.Schema)}
	for _, s := range f.Sources {
		for _, p := range s.Packages {
			id := strings.TrimSpace(p.PackageIdentifier)
			if id == "" {
				id = strings.TrimSpace(p.ID)
			}
			if id == "" {
				continue
			}
			if len(out.Packages) >= MaxPackages {
				return Export{}, fmt.Errorf("more than %d packages", MaxPackages)
			}
			out.Packages = append(out.Packages, Package{ID: id, Version: strings.TrimSpace(p.Version), Source: s.SourceDetails.Name})
		}
	}
	return out, nil
}

// schemaVersion reads "2.0" from "https://aka.ms/winget-packages.schema.2.0.json".
func schemaVersion(url string) string {
	const prefix = "winget-packages.schema."
	i := strings.Index(url, prefix)
	if i < 0 {
		return ""
	}
	return strings.TrimSuffix(url[i+len(prefix):], ".json")
}

// Component is the component of an exported package: a Windows program
// named by its winget identifier, located in the export file by source
// and identifier ("winget:Mozilla.Firefox"), without a package URL (there
// is no package-URL type for winget).
func Component(p Package, foundBy string) sillage.Component {
	c := sillage.Component{
		Name:      p.ID,
		Version:   p.Version,
		Type:      sillage.TypeWindows,
		CPEs:      []string{},
		Locations: []string{p.Source + ":" + p.ID},
		FoundBy:   foundBy,
		Licenses:  sillage.Licenses{Declared: []sillage.DeclaredLicense{}, Detected: []sillage.DetectedLicense{}},
	}
	if p.Source == "" {
		c.Locations = []string{p.ID}
	}
	c.ID = sillage.ComponentID(c)
	return c
}
