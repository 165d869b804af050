package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/sillage-oss/sillage/cmd/sillage/internal/cli"
)

// TestCIExamples runs the sillage commands of the CI examples in docs/,
// in order, in an empty checkout: the flags and formats they use must
// exist, and the files the later steps read must have been written.
func TestCIExamples(t *testing.T) {
	for _, tc := range []struct {
		file  string
		lines func(doc map[string]any) []string
		files []string
	}{
		{"github-actions.yml", func(doc map[string]any) []string {
			var out []string
			for _, job := range doc["jobs"].(map[string]any) {
				for _, step := range job.(map[string]any)["steps"].([]any) {
					if run, ok := step.(map[string]any)["run"].(string); ok {
						out = append(out, strings.Split(run, "\n")...)
					}
				}
			}
			return out
		}, []string{"sillage.json", "sillage.sarif", "sillage.md", "sillage.html", "sillage-en.html"}},
		{"gitlab-ci.yml", func(doc map[string]any) []string {
			var out []string
			job := doc["sillage"].(map[string]any)
			for _, key := range []string{"script", "after_script"} {
				for _, l := range job[key].([]any) {
					out = append(out, l.(string))
				}
			}
			return out
		}, []string{"sillage.json", "sillage-junit.xml", "sillage.sarif", "sillage.md", "sillage.html", "sillage-en.html"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(repoRoot(t), "docs", "examples", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			var doc map[string]any
			if err := yaml.Unmarshal(data, &doc); err != nil {
				t.Fatalf("%s is not YAML: %v", tc.file, err)
			}
			if !strings.Contains(string(data), "go install github.com/sillage-oss/sillage/cmd/sillage@latest") {
				t.Error("the example does not install sillage from its module path")
			}
			t.Chdir(t.TempDir())
			ran := 0
			for _, line := range tc.lines(doc) {
				_, cmd, ok := strings.Cut(" "+strings.TrimSpace(line), " sillage ")
				if !ok || strings.Contains(line, "sillage.md >>") {
					continue
				}
				r := runCLI(t, nil, strings.Fields(cmd)...)
				r.expect(t, cli.ExitOK)
				ran++
			}
			if ran != 2 {
				t.Errorf("ran %d sillage commands, want a scan and a report", ran)
			}
			for _, f := range tc.files {
				if fi, err := os.Stat(f); err != nil || fi.Size() == 0 {
					t.Errorf("%s was not written: %v", f, err)
				}
			}
		})
	}
}
