package sillage_test

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sillage-oss/sillage"
)

func resultSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("docs/result-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("docs/result-schema.json: %v", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("result-schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("result-schema.json")
	if err != nil {
		t.Fatalf("compile docs/result-schema.json: %v", err)
	}
	return s
}

// fullResult sets every field of the document, optional ones included, so
// that a field added to the Go types but not to the published schema (whose
// objects forbid unknown properties) fails the test.
func fullResult() sillage.Result {
	c := sillage.Component{
		Name: "libreoffice-writer", Version: "4:7.4.7-1+deb12u5", Type: sillage.TypeDeb,
		PURL: "pkg:deb/debian/libreoffice-writer@4%3A7.4.7-1%2Bdeb12u5", CPEs: []string{"cpe:2.3:a:libreoffice:libreoffice:7.4.7:*:*:*:*:*:*:*"},
		Locations: []string{"/var/lib/dpkg/status"},
		Licenses: sillage.Licenses{
			Declared:  []sillage.DeclaredLicense{{Value: "MPL-2.0", SPDX: "MPL-2.0", Locations: []string{"/usr/share/doc/libreoffice-writer/copyright"}}},
			Detected:  []sillage.DetectedLicense{{SPDX: "MPL-2.0", Coverage: 98.5, Location: "/usr/share/doc/libreoffice-writer/copyright"}},
			Concluded: "MPL-2.0", Category: sillage.CategoryWeakCopyleft,
		},
		Supplier: "Debian LibreOffice Maintainers", SourceName: "libreoffice", Arch: "amd64", FoundBy: "dpkg-db-cataloger",
		InstallDate: "2024-01-15", InstallLocation: "/usr/lib/libreoffice",
		SILL: &sillage.SILLMatch{ID: "71", Name: "LibreOffice", Status: "recommended", MatchedBy: "alias", Confidence: 0.98, MinVersion: "7.5", BelowMinimum: true},
	}
	c.ID = sillage.ComponentID(c)
	r := sillage.Result{
		SchemaVersion: sillage.SchemaVersion,
		Tool:          sillage.Tool{Name: "sillage", Version: "1.0.0"},
		Target: sillage.Target{
			Scheme: sillage.SchemeOCIArchive, Path: "/srv/image.tar",
			Distro:   &sillage.Distro{ID: "debian", VersionID: "12", PrettyName: "Debian GNU/Linux 12 (bookworm)"},
			Image:    &sillage.Image{ID: "sha256:aa", ManifestDigest: "sha256:bb", Tags: []string{"r/x:1"}, Architecture: "amd64", OS: "linux", Layers: 3},
			Document: &sillage.Document{Format: "cyclonedx-json", Version: "1.6", Name: "x"},
			Licenses: []sillage.DetectedLicense{{SPDX: "EUPL-1.2", Coverage: 99.5, Location: "/LICENSE"}},
		},
		Host:       &sillage.Host{Name: "srv-01", MachineID: "0123", OS: "Debian GNU/Linux 12 (bookworm)"},
		ScannedAt:  time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC),
		Catalogs:   []sillage.CatalogRef{{Name: "policy", Version: "dsi@4", Source: "/srv/.sillage.yaml", Extends: "default@4", Profile: "ci"}, {Name: "sill", Version: "2022-05-10", Source: "embedded"}},
		Components: []sillage.Component{c},
		Findings: []sillage.Finding{{RuleID: "SILL-X", Severity: sillage.SeverityMedium, ComponentID: c.ID, Message: "m", Remediation: "r", Path: "/docs/a.doc", Baseline: sillage.BaselineNew,
			Translations: map[string]sillage.FindingText{"fr": {Message: "m fr", Remediation: "r fr"}},
			Waiver:       &sillage.Waiver{ID: "legacy", Justification: "contract until 2027", Expires: "2027-06-30", Source: ".sillage.yaml:12"}}},
		Migrations: []sillage.Migration{{ComponentID: c.ID, Product: "Microsoft Office", Category: "office suite",
			Alternatives: []sillage.Alternative{{SILLID: "71", Name: "LibreOffice", SupportContract: true, ComptoirDuLibreURL: "https://comptoir-du-libre.org/fr/softwares/24"}}}},
		Rules:    []sillage.RuleInfo{{ID: "SILL-X", Title: "Component is x"}},
		Warnings: []string{"w"},
		Formats: &sillage.FormatInventory{
			Roots: []string{"/srv/share"},
			Files: []sillage.FileFormat{{Path: "/srv/share/compta/a\ufffd.docx", PathBase64: "L3Nydi9zaGFyZS9jb21wdGEvYekuZG9jeA==", FormatID: "docx", Variant: "transitional",
				PUID: "fmt/412", RGIStatus: "not-recommended", Confidence: "rgi-text", Action: "migrate", Replacement: "odt", Size: 4096, Basis: "content",
				Detail: "Office Open XML Transitional", ExtensionMismatch: true, Problem: "member over the size cap"}},
			FilesListed: "all",
			Summary: []sillage.FormatSummary{{FormatID: "png", Variant: "strict", Name: "PNG", PUIDs: []string{"fmt/13"}, Files: 3, Bytes: 300,
				RGIStatus: "unverified", Confidence: "draft", UnverifiedStatus: "recommended", Action: "none", Severity: sillage.SeverityInfo,
				Replacement: "png", ConvertWith: []sillage.ConvertTool{{SILLID: "51", Name: "GIMP"}}}},
			Directories: []sillage.DirectoryOffender{{Path: "/srv/share/compta", Migrate: 1, Review: 2, Bytes: 4096, ByFormat: map[string]int{"docx": 1}}},
			Unreadable:  []sillage.UnreadablePath{{Path: "/srv/share/rh", Error: "permission denied"}},
			Totals:      sillage.FormatTotals{Files: 4, Bytes: 4396, ArchiveMembers: 2, Unidentified: 1, Migrate: 1, Review: 2, Unreadable: 1, Vanished: 1, Skipped: 1},
		},
	}
	r.Normalize()
	return r
}

func TestResultMatchesPublishedSchema(t *testing.T) {
	s := resultSchema(t)
	for name, r := range map[string]sillage.Result{"full": fullResult(), "empty": func() sillage.Result {
		r := sillage.Result{SchemaVersion: 1, Tool: sillage.Tool{Name: "sillage", Version: "dev"}, Target: sillage.Target{Scheme: sillage.SchemeDir, Path: "/src"}}
		r.Normalize()
		return r
	}()} {
		t.Run(name, func(t *testing.T) {
			data, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Validate(doc); err != nil {
				t.Errorf("the %s result does not match docs/result-schema.json: %v", name, err)
			}
		})
	}
}

// TestEveryFieldIsSetInFullResult guards the test above: if a field is
// added to the types but left zero in fullResult, the schema check would
// not see it.
func TestEveryFieldIsSetInFullResult(t *testing.T) {
	var walk func(path string, v reflect.Value)
	walk = func(path string, v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() {
				t.Errorf("%s is nil in fullResult", path)
				return
			}
			walk(path, v.Elem())
		case reflect.Struct:
			if v.Type() == reflect.TypeOf(time.Time{}) {
				return
			}
			for i := range v.NumField() {
				f := v.Type().Field(i)
				name := strings.Split(f.Tag.Get("json"), ",")[0]
				if name == "" || name == "-" {
					continue
				}
				fv := v.Field(i)
				if path+"."+name == "result.summary" {
					continue // derived by Summarize; its shape is checked by the schema
				}
				if fv.IsZero() {
					t.Errorf("%s.%s is zero in fullResult", path, name)
					continue
				}
				walk(path+"."+name, fv)
			}
		case reflect.Slice:
			if v.Len() == 0 {
				t.Errorf("%s is empty in fullResult", path)
				return
			}
			walk(path+"[0]", v.Index(0))
		}
	}
	walk("result", reflect.ValueOf(fullResult()))
}
