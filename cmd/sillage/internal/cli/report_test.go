package cli_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sillage-oss/sillage/cmd/sillage/internal/cli"
)

// savedResult scans cyclonedx-gomod's XML SBOM (three components, no
// licence: three LIC-UNDECLARED findings) into a result file.
func savedResult(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "result.json")
	runCLI(t, nil, "scan", "sbom:"+fixture(t, "sbom/go-basic.gomod.cdx.xml"), "-o", "json="+out).expect(t, cli.ExitOK)
	return out
}

func TestReportRendersASavedResult(t *testing.T) {
	saved := savedResult(t)
	dir := t.TempDir()
	files := map[string]string{
		"html": "r.html", "csv": "c.csv", "csv-findings": "f.csv", "sarif": "r.sarif", "junit": "r.xml",
		"json": "again.json", "cyclonedx-json": "r.cdx.json", "spdx-json": "r.spdx.json", "cyclonedx-xml": "r.cdx.xml",
	}
	args := []string{"report", saved, "-o", "markdown", "--lang", "en"}
	for f, name := range files {
		args = append(args, "-o", f+"="+filepath.Join(dir, name))
	}
	r := runCLI(t, nil, args...)
	r.expect(t, cli.ExitOK)
	if r.stderr != "" {
		t.Errorf("stderr not empty:\n%s", r.stderr)
	}
	if !strings.HasPrefix(r.stdout, "### sillage · `sbom:") || !strings.Contains(r.stdout, "3 components") || !strings.Contains(r.stdout, "`LIC-UNDECLARED`") {
		t.Errorf("stdout is not the English markdown report:\n%s", r.stdout)
	}
	// the json output of a re-rendered result is the result itself
	if again := readFile(t, filepath.Join(dir, "again.json")); again != readFile(t, saved) {
		t.Error("report -o json does not give back the saved result")
	}
	html := readFile(t, filepath.Join(dir, "r.html"))
	if !strings.Contains(html, `<html lang="en">`) || !strings.Contains(html, "Software compliance report") {
		t.Error("html is not the English report")
	}
	var junit struct {
		Failures int `xml:"failures,attr"`
	}
	if err := xml.Unmarshal([]byte(readFile(t, filepath.Join(dir, "r.xml"))), &junit); err != nil || junit.Failures != 3 {
		t.Errorf("junit: %d failures, err %v; want 3", junit.Failures, err)
	}
	var sarif struct {
		Runs []struct {
			Results []struct {
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(dir, "r.sarif"))), &sarif); err != nil || len(sarif.Runs) != 1 || len(sarif.Runs[0].Results) != 3 {
		t.Errorf("sarif: %+v, err %v", sarif, err)
	}
	if lines := strings.Count(readFile(t, filepath.Join(dir, "c.csv")), "\r\n"); lines != 4 {
		t.Errorf("csv has %d lines, want a header and 3 components", lines)
	}
}

func TestReportDefaultsToFrenchTable(t *testing.T) {
	saved := savedResult(t)
	r := runCLI(t, nil, "report", saved)
	r.expect(t, cli.ExitOK)
	if !strings.Contains(r.stdout, "FINDINGS (3)") {
		t.Errorf("default output is not the table:\n%s", r.stdout)
	}
	r = runCLI(t, nil, "report", saved, "-o", "html")
	r.expect(t, cli.ExitOK)
	if !strings.Contains(r.stdout, `<html lang="fr">`) || !strings.Contains(r.stdout, "Rapport de conformité logicielle") {
		t.Error("html is not French by default")
	}
}

func TestScanWritesTheNewFormats(t *testing.T) {
	dir := t.TempDir()
	r := runCLI(t, nil, "scan", "sbom:"+fixture(t, "sbom/go-basic.gomod.cdx.xml"), "-o", "sarif", "-o", "html="+filepath.Join(dir, "r.html"), "--lang", "en")
	r.expect(t, cli.ExitOK)
	if !strings.Contains(r.stdout, `"version": "2.1.0"`) {
		t.Errorf("stdout is not SARIF:\n%s", r.stdout)
	}
	if html := readFile(t, filepath.Join(dir, "r.html")); !strings.Contains(html, "Software compliance report") {
		t.Error("scan --lang en did not reach the html report")
	}
	runCLI(t, nil, "scan", "sbom:"+fixture(t, "sbom/go-basic.gomod.cdx.xml"), "-o", "html", "--lang", "de").expect(t, cli.ExitUsage)
}

func TestReportFailOn(t *testing.T) {
	saved := savedResult(t)
	out := filepath.Join(t.TempDir(), "r.xml")
	r := runCLI(t, nil, "report", saved, "--fail-on", "low", "-o", "junit="+out)
	r.expect(t, cli.ExitFindings)
	if !strings.Contains(r.stderr, "3 findings at or above the --fail-on severity (low)") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	if _, err := os.Stat(out); err != nil {
		t.Error("outputs are not written when findings fail the run")
	}
	// JUnit failures follow --fail-on: low findings pass at medium
	runCLI(t, nil, "report", saved, "--fail-on", "medium", "-o", "junit="+out).expect(t, cli.ExitOK)
	if got := readFile(t, out); !strings.Contains(got, `failures="0"`) || strings.Contains(got, "<failure") {
		t.Errorf("junit with --fail-on medium still fails low findings:\n%s", got)
	}
}

func TestReportFromStdin(t *testing.T) {
	saved := savedResult(t)
	data, err := os.ReadFile(saved)
	if err != nil {
		t.Fatal(err)
	}
	r := sillageIO(t, t.Context(), cli.IO{In: bytes.NewReader(data)}, nil, "report", "-", "-o", "csv-findings")
	r.expect(t, cli.ExitOK)
	if !strings.HasPrefix(r.stdout, "severity,rule_id,status,") || strings.Count(r.stdout, "LIC-UNDECLARED") != 3 {
		t.Errorf("stdout:\n%s", r.stdout)
	}
}

func TestReportRejectsBadInput(t *testing.T) {
	saved := readFile(t, savedResult(t))
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	newer := strings.Replace(saved, `"schemaVersion": 1`, `"schemaVersion": 2`, 1)
	badName := regexp.MustCompile(`"name": "github.com/google/uuid"`).ReplaceAllString(saved, `"name": 42`)
	tests := []struct {
		name, path string
		want       []string
	}{
		{"missing", filepath.Join(dir, "nope.json"), []string{"cannot read the result file", "no such file", "hint: give the path of a file written by 'sillage scan -o json=FILE'"}},
		{"directory", dir, []string{"is a directory"}},
		{"not json", write("trunc.json", saved[:len(saved)/2]), []string{"not JSON", "hint: "}},
		{"array", write("arr.json", "[1,2]"), []string{"not a sillage result: the document is a JSON array"}},
		{"cyclonedx", fixture(t, "sbom/npm-basic.cdx.json"), []string{"this is a CycloneDX SBOM", "hint: to scan an SBOM: sillage scan sbom:FILE"}},
		{"spdx", fixture(t, "sbom/npm-basic.spdx.json"), []string{"this is an SPDX SBOM"}},
		{"no schema version", write("nov.json", `{"tool": {"name": "x"}}`), []string{"it has no schemaVersion"}},
		{"newer", write("newer.json", newer), []string{"the result was written by sillage 1.2.3 with schema version 2; this sillage reads schema version 1", "hint: "}},
		{"invalid", write("invalid.json", badName), []string{"not a valid sillage result", "'/components/1/name'", "got number, want string"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, "out-"+strings.ReplaceAll(tt.name, " ", "-")+".html")
			r := runCLI(t, nil, "report", tt.path, "-o", "html="+out, "-o", "markdown")
			r.expect(t, cli.ExitScanFailed)
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr does not say %q:\n%s", w, r.stderr)
				}
			}
			if r.stdout != "" {
				t.Errorf("stdout not empty: %q", r.stdout)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("an output file was written from a bad result")
			}
		})
	}
	if !strings.Contains(badName, `"name": 42`) || newer == saved {
		t.Fatal("the test did not corrupt the result as intended")
	}
}

// A newer sillage of the same schema version may add fields: they are
// ignored, and named on stderr.
func TestReportToleratesAddedFields(t *testing.T) {
	saved := readFile(t, savedResult(t))
	added := strings.Replace(saved, `"schemaVersion": 1,`, `"schemaVersion": 1, "addedLater": [],`, 1)
	added = strings.Replace(added, `"foundBy": "sbom`, `"evidence": {"x": 1}, "foundBy": "sbom`, -1)
	p := filepath.Join(t.TempDir(), "added.json")
	if err := os.WriteFile(p, []byte(added), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, nil, "report", p, "-o", "csv")
	r.expect(t, cli.ExitOK)
	if !strings.Contains(r.stderr, "fields this version of sillage does not know were ignored: /addedLater, /components/*/evidence") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	if strings.Count(r.stdout, "\r\n") != 4 {
		t.Errorf("csv:\n%s", r.stdout)
	}
}

func TestReportUsageErrors(t *testing.T) {
	saved := savedResult(t)
	for name, args := range map[string][]string{
		"no argument":   {"report"},
		"two arguments": {"report", saved, saved},
		"bad format":    {"report", saved, "-o", "pdf"},
		"bad language":  {"report", saved, "-o", "html", "--lang", "de"},
		"bad fail-on":   {"report", saved, "--fail-on", "severe"},
		"two stdout":    {"report", saved, "-o", "html", "-o", "markdown"},
		"missing dir":   {"report", saved, "-o", "html=" + filepath.Join(t.TempDir(), "no", "r.html")},
	} {
		t.Run(name, func(t *testing.T) {
			r := runCLI(t, nil, args...)
			r.expect(t, cli.ExitUsage)
			if !strings.Contains(r.stderr, "run 'sillage report --help' for usage") {
				t.Errorf("stderr:\n%s", r.stderr)
			}
		})
	}
}

// In a GitHub Actions step, scan writes a workflow command per active
// finding to stderr; stdout is the same document as elsewhere.
func TestGitHubAnnotations(t *testing.T) {
	root := repoRoot(t)
	bom := "sbom:" + fixture(t, "sbom/go-basic.gomod.cdx.xml")
	plain := runCLI(t, nil, "scan", bom, "-o", "json")
	plain.expect(t, cli.ExitOK)
	if strings.Contains(plain.stderr, "::") {
		t.Errorf("annotations outside GitHub Actions:\n%s", plain.stderr)
	}
	gh := runCLI(t, env{"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": root}, "scan", bom, "-o", "json", "--fail-on", "low")
	gh.expect(t, cli.ExitFindings)
	if gh.stdout != plain.stdout {
		t.Error("stdout differs in GitHub Actions")
	}
	lines := regexp.MustCompile(`(?m)^::error file=testdata/sbom/go-basic\.gomod\.cdx\.xml,title=sillage LIC-UNDECLARED \(low\)%3A [^:]+::.+ declares no licence and none was detected%0AWhat to do: .+$`).FindAllString(gh.stderr, -1)
	if len(lines) != 3 {
		t.Errorf("want 3 error annotations on the SBOM file, got %d:\n%s", len(lines), gh.stderr)
	}
	// below --fail-on they are warnings
	gh = runCLI(t, env{"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": root}, "scan", bom, "-o", "json", "--fail-on", "high")
	gh.expect(t, cli.ExitOK)
	if n := strings.Count(gh.stderr, "::warning file=testdata/sbom/go-basic.gomod.cdx.xml,"); n != 3 || strings.Contains(gh.stderr, "::error") {
		t.Errorf("want 3 warnings and no error:\n%s", gh.stderr)
	}
}

// The JSON Lines a scan of several machines writes render again, one
// result per machine.
func TestReportJSONLines(t *testing.T) {
	dir := t.TempDir()
	lines := filepath.Join(dir, "estate.jsonl")
	runCLI(t, nil, "scan", "glpi:"+fixture(t, "glpi"), "-o", "json="+lines).expect(t, cli.ExitOK)
	r := runCLI(t, nil, "report", lines, "-o", "table")
	r.expect(t, cli.ExitOK)
	if n := strings.Count(r.stdout, "sillage 1.2.3 · glpi:"); n != 4 {
		t.Errorf("%d tables, want one per machine (4):\n%s", n, r.stdout)
	}
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	runCLI(t, nil, "report", lines, "-o", "html="+filepath.Join(out, "{host}.html")).expect(t, cli.ExitOK)
	for _, host := range []string{"glpixps", "pc-arg-23"} {
		if _, err := os.Stat(filepath.Join(out, host+".html")); err != nil {
			t.Errorf("no report for %s: %v", host, err)
		}
	}
	// one HTML file cannot hold four machines
	r = runCLI(t, nil, "report", lines, "-o", "html="+filepath.Join(dir, "all.html"))
	r.expect(t, cli.ExitUsage)
	if !strings.Contains(r.stderr, "{host}") {
		t.Errorf("the error does not show how to write one file per host:\n%s", r.stderr)
	}
	// a broken line is named
	data, _ := os.ReadFile(lines)
	bad := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(bad, append(data, []byte(`{"schemaVersion": 1}`+"\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, nil, "report", bad, "-o", "json")
	r.expect(t, cli.ExitScanFailed)
	if !strings.Contains(r.stderr, "line 5") {
		t.Errorf("the error does not name the broken line:\n%s", r.stderr)
	}
}
