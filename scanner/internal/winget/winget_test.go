package winget

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseExport(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "windows", "winget-export.json"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if e.Version != "2.0" || e.WinGetVersion != "1.6.3482" || len(e.Packages) != 7 {
		t.Fatalf("export = %+v", e)
	}
	if diff := cmp.Diff(Package{ID: "Mozilla.Firefox.fr", Version: "121.0", Source: "winget"}, e.Packages[3]); diff != "" {
		t.Error(diff)
	}
	c := Component(e.Packages[3], "winget-export")
	if c.Name != "Mozilla.Firefox.fr" || c.Type != "windows" || c.PURL != "" || c.Locations[0] != "winget:Mozilla.Firefox.fr" || len(c.ID) != 16 {
		t.Errorf("component = %+v", c)
	}
}

func TestParseSchema1AndEncodings(t *testing.T) {
	// schema 1.0 names the identifier "Id"; PowerShell may save it in UTF-16
	doc := `{"$schema": "https://aka.ms/winget-packages.schema.1.0.json", "Sources": [{"Packages": [{"Id": "Git.Git"}], "SourceDetails": {"Name": "winget"}}]}`
	var u16 []byte
	u16 = append(u16, 0xFF, 0xFE)
	for _, r := range doc {
		u16 = append(u16, byte(r), 0)
	}
	for name, in := range map[string][]byte{"utf-8": []byte(doc), "utf-16": u16} {
		e, err := Parse(bytes.NewReader(in))
		if err != nil || len(e.Packages) != 1 || e.Packages[0].ID != "Git.Git" || e.Version != "1.0" {
			t.Errorf("%s: %+v %v", name, e, err)
		}
	}
}

func TestParseHostile(t *testing.T) {
	for name, in := range map[string]string{
		"truncated":  `{"Sources": [{"Packages": [{"PackageIdentifier": "7zip.7z`,
		"not export": `{"hello": "world"}`,
		"array":      `[1,2,3]`,
		"empty":      ``,
		"deep":       `{"Sources": ` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`,
		"huge":       `{"Sources": [], "x": "` + strings.Repeat("a", MaxSize) + `"}`,
	} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
