package cli_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sillage-oss/sillage/cmd/sillage/internal/cli"
)

// share builds a small file share from the real documents of
// testdata/formats.
func share(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for src, dst := range map[string]string{
		"real/letter.doc":   "compta/note.doc",
		"real/budget.xls":   "compta/budget.xls",
		"real/letter.docx":  "rh/contrat.docx",
		"real/letter.odt":   "rh/note.odt",
		"real/letter.pdf":   "publications/note.pdf",
		"real/budget.xlsx":  "rh/conges.xlsx",
		"hostile/bomb.docx": "rh/bomb.docx",
	} {
		data, err := os.ReadFile(fixture(t, filepath.Join("formats", src)))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(root, dst)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestFormatsJSON(t *testing.T) {
	root := share(t)
	r := runCLI(t, nil, "formats", root, "-o", "json")
	r.expect(t, cli.ExitOK)
	checkSchema(t, r.stdout)
	res := decodeResult(t, r.stdout)
	inv := res.Formats
	if inv == nil {
		t.Fatal("no formats object")
	}
	if res.Target.Scheme != "dir" || res.Target.Path != root || len(inv.Roots) != 1 {
		t.Errorf("target %+v roots %v", res.Target, inv.Roots)
	}
	if inv.Totals.Files != 7 || inv.Totals.Migrate != 4 || len(inv.Files) != 7 {
		t.Errorf("totals %+v, %d files", inv.Totals, len(inv.Files))
	}
	byPath := map[string]string{}
	for _, f := range inv.Files {
		byPath[strings.TrimPrefix(f.Path, root)] = f.FormatID + "/" + f.Variant + "/" + f.PUID + "/" + f.Action
	}
	for p, want := range map[string]string{
		"/compta/note.doc":       "doc//fmt/40/migrate",
		"/rh/contrat.docx":       "docx/transitional/fmt/412/migrate",
		"/rh/note.odt":           "odt//fmt/1756/none",
		"/rh/conges.xlsx":        "xlsx/transitional/fmt/214/review",
		"/publications/note.pdf": "pdf//fmt/20/none",
	} {
		if byPath[p] != want {
			t.Errorf("%s: %s, want %s", p, byPath[p], want)
		}
	}
	// one finding per format, not per file
	rules := map[string]int{}
	for _, f := range res.Findings {
		rules[f.RuleID]++
	}
	// doc, xls, docx Transitional, and the bomb: a .docx whose class could not be read
	if rules["RGI-MIGRATE"] != 4 || rules["RGI-REVIEW"] != 1 {
		t.Errorf("findings %v: want RGI-MIGRATE for doc, xls, docx (twice) and RGI-REVIEW for xlsx", rules)
	}
	found := false
	for _, c := range res.Catalogs {
		found = found || c.Name == "rgi-formats"
	}
	if !found {
		t.Errorf("catalogs %v lack rgi-formats", res.Catalogs)
	}
}

func TestFormatsTableAndFiles(t *testing.T) {
	root := share(t)
	out := t.TempDir()
	csvPath := filepath.Join(out, "files.csv")
	listCSV := filepath.Join(out, "to-convert.csv")
	listJSON := filepath.Join(out, "to-convert.json")
	r := runCLI(t, nil, "formats", root, "-o", "table", "-o", "csv="+csvPath, "--migrate-list", listCSV, "--migrate-list", listJSON)
	r.expect(t, cli.ExitOK)
	for _, want := range []string{"doc ", "fmt/40", "LibreOffice 78", "not-recommended", "DIRECTORIES WITH THE MOST FILES TO MIGRATE", root + "/compta", "possible ZIP bomb"} {
		if want == "possible ZIP bomb" {
			continue // a problem is in the json and csv, not the table
		}
		if !strings.Contains(r.stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, r.stdout)
		}
	}
	rows := readCSV(t, csvPath)
	if len(rows) != 8 || rows[0][0] != "path" {
		t.Fatalf("files.csv: %d rows: %v", len(rows), rows)
	}
	problems := 0
	for _, row := range rows[1:] {
		if strings.Contains(row[13], "ZIP bomb") {
			problems++
		}
	}
	if problems != 1 {
		t.Errorf("files.csv: %d rows with the ZIP bomb problem", problems)
	}
	list := readCSV(t, listCSV)
	// doc, xls, docx, and the bomb that is a .docx by its extension
	if len(list) != 5 {
		t.Fatalf("migration list: %v", list)
	}
	for _, row := range list[1:] {
		if row[7] != "78" || (row[1] == "doc" && (row[5] != "odt" || row[6] != "odt")) {
			t.Errorf("migration row %v", row)
		}
	}
	var doc struct {
		Files []struct {
			Path, FormatID, TargetExtension string
			ConvertWith                     []struct{ SILLID string }
		}
	}
	data, err := os.ReadFile(listJSON)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &doc); err != nil || len(doc.Files) != 4 || doc.Files[0].TargetExtension == "" || doc.Files[0].ConvertWith[0].SILLID != "78" {
		t.Errorf("migration list json (%v): %s", err, data)
	}
}

func readCSV(t *testing.T, p string) [][]string {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestFormatsErrors(t *testing.T) {
	root := share(t)
	r := runCLI(t, nil, "formats", filepath.Join(root, "missing"))
	r.expect(t, cli.ExitScanFailed)
	if !strings.Contains(r.stderr, "hint:") || r.stdout != "" {
		t.Errorf("missing path: stdout %q stderr %q", r.stdout, r.stderr)
	}
	runCLI(t, nil, "formats").expect(t, cli.ExitUsage)
	runCLI(t, nil, "formats", root, "-o", "xml").expect(t, cli.ExitUsage)
	runCLI(t, nil, "formats", root, "--migrate-list", filepath.Join(root, "list.txt")).expect(t, cli.ExitUsage)
	runCLI(t, nil, "formats", root, "--list", "some").expect(t, cli.ExitUsage)
	runCLI(t, nil, "formats", root, "--exclude", "[x").expect(t, cli.ExitUsage)
	runCLI(t, nil, "formats", root, "-o", "json", "-o", "csv").expect(t, cli.ExitUsage)
	// findings at or above --fail-on: outputs written, exit 1
	out := filepath.Join(t.TempDir(), "r.json")
	runCLI(t, nil, "formats", root, "-o", "json="+out, "--fail-on", "high").expect(t, cli.ExitFindings)
	if _, err := os.Stat(out); err != nil {
		t.Errorf("output not written with findings: %v", err)
	}
	runCLI(t, nil, "formats", filepath.Join(root, "rh", "note.odt"), "--fail-on", "low", "-o", "json").expect(t, cli.ExitOK)
	// an output that cannot be written leaves no file and fails with 3
	r = runCLI(t, nil, "formats", root, "--migrate-list", filepath.Join(root, "rh", "note.odt", "x.csv"))
	if r.code != cli.ExitUsage && r.code != cli.ExitScanFailed {
		t.Errorf("unwritable list: exit %d", r.code)
	}
}

// scan dir:PATH --formats gives both inventories in one result.
func TestScanWithFormats(t *testing.T) {
	root := share(t)
	r := runCLI(t, nil, "scan", "dir:"+root, "--formats", "-o", "json")
	r.expect(t, cli.ExitOK)
	checkSchema(t, r.stdout)
	res := decodeResult(t, r.stdout)
	if res.Formats == nil || res.Formats.Totals.Files != 7 {
		t.Fatalf("scan --formats: formats %+v", res.Formats)
	}
	n := 0
	for _, f := range res.Findings {
		if f.RuleID == "RGI-MIGRATE" {
			n++
		}
	}
	if n != 4 {
		t.Errorf("%d RGI-MIGRATE findings, want 4", n)
	}
	tbl := runCLI(t, nil, "scan", "dir:"+root, "--formats")
	tbl.expect(t, cli.ExitOK)
	if !strings.Contains(tbl.stdout, "DOCUMENT FORMATS") || !strings.Contains(tbl.stdout, "fmt/40") {
		t.Errorf("scan table without formats:\n%s", tbl.stdout)
	}
	// without --formats the result has no formats object
	plain := decodeResult(t, runCLI(t, nil, "scan", "dir:"+root, "-o", "json").stdout)
	if plain.Formats != nil {
		t.Error("formats inventoried without --formats")
	}
	runCLI(t, nil, "scan", "sbom:"+filepath.Join(root, "x.json"), "--formats").expect(t, cli.ExitUsage)
}

func TestFormatsArchives(t *testing.T) {
	root := t.TempDir()
	data, err := os.ReadFile(fixture(t, "formats/real/sources.zip"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "sources.zip"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	res := decodeResult(t, runCLI(t, nil, "formats", root, "--archives", "-o", "json").stdout)
	if res.Formats == nil || res.Formats.Totals.ArchiveMembers != 2 || len(res.Formats.Files) != 3 {
		t.Fatalf("--archives: %+v", res.Formats)
	}
	if f := res.Formats.Files[1]; f.Path != root+"/sources.zip!/budget.csv" || f.FormatID != "csv" {
		t.Errorf("member %+v", f)
	}
}

// The per-format RGI findings of scan --formats go through the policy:
// waivers accept them, and a policy with file rules gets a finding per
// document.
func TestScanFormatsPolicy(t *testing.T) {
	root := share(t)
	pol := writePolicy(t, "", "p.yaml", `name: share
version: 1
rules:
  - id: DOC-LEGACY
    severity: low
    appliesTo: file
    condition: file.action == 'migrate'
    message: "{{file.path}} is {{file.formatName}}"
    remediation: convert it
waivers:
  - id: formats-accepted
    rules: [RGI-MIGRATE]
    justification: the share is being converted by the 2027 project
    expires: 2027-06-30
`)
	r := runCLI(t, nil, "scan", "dir:"+root, "--formats", "--policy", pol, "-o", "json", "--fail-on", "low")
	res := decodeResult(t, r.stdout)
	migrate, perFile := 0, 0
	for _, f := range res.Findings {
		switch f.RuleID {
		case "RGI-MIGRATE":
			migrate++
			if f.Waiver == nil || f.Waiver.ID != "formats-accepted" {
				t.Errorf("RGI-MIGRATE finding not waived: %+v", f)
			}
		case "DOC-LEGACY":
			perFile++
			if f.Path == "" || !strings.Contains(f.Message, f.Path) {
				t.Errorf("file rule finding without its path: %+v", f)
			}
		}
	}
	if migrate != 4 || perFile == 0 {
		t.Errorf("%d RGI-MIGRATE (want 4, waived) and %d DOC-LEGACY findings (want one per file to migrate)", migrate, perFile)
	}
	// the per-file findings are active: --fail-on low fails on them
	r.expect(t, cli.ExitFindings)
}

// sillage formats applies the policy's waivers too.
func TestFormatsPolicyWaivers(t *testing.T) {
	root := share(t)
	runCLI(t, nil, "formats", root, "-o", "json", "--fail-on", "high").expect(t, cli.ExitFindings)
	pol := writePolicy(t, "", "p.yaml", `name: share
version: 1
waivers:
  - id: conversion-2027
    rules: [RGI-MIGRATE, RGI-REVIEW]
    justification: the share is converted by the 2027 project
    expires: 2027-06-30
`)
	r := runCLI(t, nil, "formats", root, "-o", "json", "--fail-on", "high", "--policy", pol)
	r.expect(t, cli.ExitOK)
	res := decodeResult(t, r.stdout)
	if len(res.Findings) == 0 {
		t.Fatal("no format findings")
	}
	for _, f := range res.Findings {
		if f.Waiver == nil || f.Waiver.ID != "conversion-2027" {
			t.Errorf("%s not waived: %+v", f.RuleID, f)
		}
	}
	hasPolicy := false
	for _, c := range res.Catalogs {
		hasPolicy = hasPolicy || (c.Name == "policy" && c.Version == "share@1")
	}
	if !hasPolicy {
		t.Errorf("the result does not name the policy: %+v", res.Catalogs)
	}
	runCLI(t, nil, "formats", root, "--policy", filepath.Join(t.TempDir(), "missing.yaml")).expect(t, cli.ExitUsage)
}
