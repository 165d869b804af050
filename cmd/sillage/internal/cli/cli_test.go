package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/cmd/sillage/internal/cli"
	"github.com/sillage-oss/sillage/rules/sill"
)

var update = flag.Bool("update", false, "rewrite files in testdata/golden")

// repoRoot is the repository's root directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func fixture(t *testing.T, rel string) string {
	t.Helper()
	return filepath.Join(repoRoot(t), "testdata", filepath.FromSlash(rel))
}

type run struct {
	code           int
	stdout, stderr string
}

type env map[string]string

// runCLI runs the CLI in-process, stdout and stderr not terminals.
func runCLI(t *testing.T, e env, args ...string) run {
	t.Helper()
	return sillageIO(t, t.Context(), cli.IO{}, e, args...)
}

func sillageIO(t *testing.T, ctx context.Context, stdio cli.IO, e env, args ...string) run {
	t.Helper()
	var out, errOut bytes.Buffer
	stdio.Out, stdio.Err = &out, &errOut
	if e == nil {
		e = env{}
	}
	if _, ok := e["SOURCE_DATE_EPOCH"]; !ok {
		e["SOURCE_DATE_EPOCH"] = "1795425000" // 2026-11-23T09:10:00Z
	}
	// never the user's cache: a SILL downloaded on this machine would
	// change every result
	if _, ok := e["SILLAGE_CACHE_DIR"]; !ok {
		e["SILLAGE_CACHE_DIR"] = t.TempDir()
	}
	stdio.Getenv = func(k string) string { return e[k] }
	code := cli.Run(ctx, args, stdio, cli.Build{Version: "1.2.3", Commit: "abc1234", Date: "2026-11-23"})
	return run{code, out.String(), errOut.String()}
}

func (r run) expect(t *testing.T, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
}

var (
	schemaOnce sync.Once
	schema     *jsonschema.Schema
	schemaErr  error
)

// checkSchema validates a result document against docs/result-schema.json.
func checkSchema(t *testing.T, data string) {
	t.Helper()
	schemaOnce.Do(func() {
		c := jsonschema.NewCompiler()
		f, err := os.Open(filepath.Join(repoRoot(t), "docs", "result-schema.json"))
		if err != nil {
			schemaErr = err
			return
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			schemaErr = err
			return
		}
		if schemaErr = c.AddResource("result-schema.json", doc); schemaErr == nil {
			schema, schemaErr = c.Compile("result-schema.json")
		}
	})
	if schemaErr != nil {
		t.Fatal(schemaErr)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Errorf("result does not match docs/result-schema.json: %v", err)
	}
}

func decodeResult(t *testing.T, data string) sillage.Result {
	t.Helper()
	checkSchema(t, data)
	var res sillage.Result
	dec := json.NewDecoder(strings.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&res); err != nil {
		t.Fatalf("stdout is not a sillage result: %v\n%s", err, data)
	}
	if dec.More() {
		t.Fatal("stdout holds more than the JSON document")
	}
	return res
}

func TestVersion(t *testing.T) {
	r := runCLI(t, nil, "version")
	r.expect(t, cli.ExitOK)
	if !strings.HasPrefix(r.stdout, "sillage 1.2.3\ncommit:  abc1234\nbuilt:   2026-11-23\ngo:") {
		t.Errorf("version output:\n%s", r.stdout)
	}
	r = runCLI(t, nil, "--version")
	r.expect(t, cli.ExitOK)
	if r.stdout != "sillage 1.2.3\n" {
		t.Errorf("--version output %q", r.stdout)
	}
}

func TestScanTargets(t *testing.T) {
	tests := []struct {
		arg    string
		scheme sillage.Scheme
		count  int
	}{
		{"dir:" + fixture(t, "projects/npm-basic"), sillage.SchemeDir, 10},
		{fixture(t, "projects/go-basic"), sillage.SchemeDir, 2},
		{"host:" + fixture(t, "rootfs/debian-minimal"), sillage.SchemeHost, 11},
		{"oci-archive:" + fixture(t, "images/tiny.oci.tar"), sillage.SchemeOCIArchive, 3},
		{"docker-archive:" + fixture(t, "images/tiny.docker.tar"), sillage.SchemeDockerArchive, 3},
		{"oci-dir:" + fixture(t, "images/tiny.oci-dir"), sillage.SchemeOCIDir, 3},
		{"sbom:" + fixture(t, "sbom/npm-basic.spdx.json"), sillage.SchemeSBOM, 10},
		{fixture(t, "sbom/go-basic.gomod.cdx.xml"), sillage.SchemeSBOM, 3},
	}
	for _, tt := range tests {
		t.Run(string(tt.scheme)+"/"+filepath.Base(tt.arg), func(t *testing.T) {
			r := runCLI(t, nil, "scan", tt.arg, "-o", "json")
			r.expect(t, cli.ExitOK)
			res := decodeResult(t, r.stdout)
			if res.Target.Scheme != tt.scheme || len(res.Components) != tt.count {
				t.Errorf("target %s with %d components, want %s with %d", res.Target.Scheme, len(res.Components), tt.scheme, tt.count)
			}
			if res.SchemaVersion != 1 || res.Tool.Name != "sillage" || res.Tool.Version != "1.2.3" {
				t.Errorf("result header: schema %d, tool %+v", res.SchemaVersion, res.Tool)
			}
			if got := res.ScannedAt.Format("2006-01-02T15:04:05Z07:00"); got != "2026-11-23T09:10:00Z" {
				t.Errorf("scannedAt %s does not honour SOURCE_DATE_EPOCH", got)
			}
			if (tt.scheme == sillage.SchemeHost) != (res.Host != nil) {
				t.Errorf("host = %+v for a %s target", res.Host, tt.scheme)
			}
			if r.stderr != "" {
				t.Errorf("stderr is not empty without a terminal:\n%s", r.stderr)
			}
		})
	}
}

func TestScanDefaultTargetIsCurrentDirectory(t *testing.T) {
	dir := fixture(t, "projects/npm-basic")
	t.Chdir(dir)
	r := runCLI(t, nil, "scan", "-o", "json")
	r.expect(t, cli.ExitOK)
	res := decodeResult(t, r.stdout)
	if res.Target.Scheme != sillage.SchemeDir || res.Target.Path != dir || len(res.Components) != 10 {
		t.Errorf("scan without target: %+v, %d components", res.Target, len(res.Components))
	}
}

func TestScanOutputs(t *testing.T) {
	dir := t.TempDir()
	jsonPath := filepath.Join(dir, "r.json")
	cdxPath := filepath.Join(dir, "r.cdx.json")
	xmlPath := filepath.Join(dir, "r.cdx.xml")
	spdxPath := filepath.Join(dir, "r.spdx.json")
	if err := os.WriteFile(jsonPath, []byte("old content"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, nil, "scan", "sbom:"+fixture(t, "sbom/npm-basic.cdx.json"),
		"-o", "json="+jsonPath, "-o", "cyclonedx-json="+cdxPath, "-o", "cyclonedx-xml="+xmlPath, "-o", "spdx-json="+spdxPath, "-o", "table")
	r.expect(t, cli.ExitOK)
	if !strings.Contains(r.stdout, "chalk") || strings.Contains(r.stdout, "{") {
		t.Errorf("stdout should be the table alone:\n%s", r.stdout)
	}
	res := decodeResult(t, readFile(t, jsonPath))
	if len(res.Components) != 10 {
		t.Errorf("json file has %d components", len(res.Components))
	}
	for _, p := range []string{cdxPath, spdxPath} {
		var doc map[string]any
		if err := json.Unmarshal([]byte(readFile(t, p)), &doc); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	if x := readFile(t, xmlPath); !strings.HasPrefix(x, "<?xml") || !strings.Contains(x, "http://cyclonedx.org/schema/bom/1.6") {
		t.Errorf("cyclonedx-xml file:\n%.200s", x)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 4 {
		t.Errorf("output directory holds %d entries, want the 4 outputs and no temporary file", len(entries))
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestScanUsageErrors(t *testing.T) {
	bom := "sbom:" + fixture(t, "sbom/npm-basic.cdx.json")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown format", []string{"scan", bom, "-o", "pdf"}, "choose one of: csv, csv-findings, cyclonedx-json, cyclonedx-xml, html, json, junit, markdown, sarif, spdx-json, table"},
		{"two documents on stdout", []string{"scan", bom, "-o", "json", "-o", "table"}, "give all but one a file"},
		{"bad fail-on", []string{"scan", bom, "--fail-on", "severe"}, "unknown severity"},
		{"output dir missing", []string{"scan", bom, "-o", "json=" + filepath.Join(t.TempDir(), "no", "r.json")}, "does not exist"},
		{"output is a dir", []string{"scan", bom, "-o", "json=" + t.TempDir()}, "is a directory"},
		{"unknown flag", []string{"scan", bom, "--colour"}, "unknown flag"},
		{"two targets", []string{"scan", bom, bom}, "accepts at most 1 arg"},
		{"unknown command", []string{"scna"}, "unknown command"},
		{"bad exclude glob", []string{"scan", "dir:" + fixture(t, "projects/npm-basic"), "--exclude", "[a"}, "not a valid glob"},
		{"target without path", []string{"scan", "dir:"}, "has no path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, nil, tt.args...)
			r.expect(t, cli.ExitUsage)
			if r.stdout != "" {
				t.Errorf("stdout not empty on a usage error:\n%s", r.stdout)
			}
			if !strings.Contains(r.stderr, tt.want) || !strings.Contains(r.stderr, "--help") {
				t.Errorf("stderr does not say %q and point to --help:\n%s", tt.want, r.stderr)
			}
		})
	}
}

func TestScanFailures(t *testing.T) {
	dir := t.TempDir()
	tar, err := os.ReadFile(fixture(t, "images/tiny.docker.tar"))
	if err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "cut.tar")
	if err := os.WriteFile(truncated, tar[:len(tar)-3000], 0o644); err != nil {
		t.Fatal(err)
	}
	malformed := filepath.Join(dir, "bad.spdx.json")
	if err := os.WriteFile(malformed, []byte(`{"spdxVersion": "SPDX-2.3", "packages": [`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "result.json")
	tests := []struct {
		name string
		arg  string
		want string
	}{
		{"missing path", filepath.Join(dir, "missing"), "does not exist"},
		{"truncated archive", "docker-archive:" + truncated, "truncated"},
		{"malformed SBOM", "sbom:" + malformed, "malformed JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, nil, "scan", tt.arg, "-o", "json", "-o", "json="+out)
			r.expect(t, cli.ExitScanFailed)
			if r.stdout != "" {
				t.Errorf("stdout not empty after a failed scan:\n%s", r.stdout)
			}
			if !strings.Contains(r.stderr, tt.want) || !strings.Contains(r.stderr, "hint: ") {
				t.Errorf("stderr does not say %q with a hint:\n%s", tt.want, r.stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a failed scan wrote an output file")
			}
		})
	}
}

func TestFailOn(t *testing.T) {
	// cyclonedx-gomod's XML carries no licence at all: three LIC-UNDECLARED (low)
	bom := "sbom:" + fixture(t, "sbom/go-basic.gomod.cdx.xml")
	out := filepath.Join(t.TempDir(), "r.json")
	r := runCLI(t, nil, "scan", bom, "--fail-on", "low", "-o", "json="+out)
	r.expect(t, cli.ExitFindings)
	if !strings.Contains(r.stderr, "3 findings at or above the --fail-on severity (low)") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	if res := decodeResult(t, readFile(t, out)); len(res.Findings) != 3 || res.Findings[0].RuleID != "LIC-UNDECLARED" {
		t.Errorf("findings = %+v", res.Findings)
	}
	runCLI(t, nil, "scan", bom, "--fail-on", "medium", "-o", "json").expect(t, cli.ExitOK)
	runCLI(t, nil, "scan", bom, "-o", "json").expect(t, cli.ExitOK)
	// npm's SBOM declares a licence for everything
	runCLI(t, nil, "scan", "sbom:"+fixture(t, "sbom/npm-basic.spdx.json"), "--fail-on", "info", "-o", "json").expect(t, cli.ExitOK)
}

func TestInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	r := sillageIO(t, ctx, cli.IO{}, nil, "scan", "dir:"+fixture(t, "projects/npm-basic"), "-o", "json")
	r.expect(t, cli.ExitInterrupted)
	if r.stdout != "" || !strings.Contains(r.stderr, "interrupted") {
		t.Errorf("stdout %q stderr %q", r.stdout, r.stderr)
	}
}

func TestProgress(t *testing.T) {
	target := "host:" + fixture(t, "rootfs/debian-minimal")
	tty := cli.IO{ErrTTY: true}
	r := sillageIO(t, t.Context(), tty, nil, "scan", target, "-o", "json")
	r.expect(t, cli.ExitOK)
	if !strings.Contains(r.stderr, "\r\x1b[2K") || !strings.Contains(r.stderr, "packages") {
		t.Errorf("no live progress on a terminal:\n%q", r.stderr)
	}
	decodeResult(t, r.stdout) // stdout stays pure

	r = sillageIO(t, t.Context(), tty, env{"NO_COLOR": "1"}, "scan", target, "-o", "json")
	r.expect(t, cli.ExitOK)
	if strings.Contains(r.stderr, "\x1b") || !strings.Contains(r.stderr, "sillage: ") {
		t.Errorf("NO_COLOR progress should be plain lines:\n%q", r.stderr)
	}

	r = sillageIO(t, t.Context(), tty, nil, "scan", target, "-o", "json", "-q")
	r.expect(t, cli.ExitOK)
	if r.stderr != "" {
		t.Errorf("-q left progress on stderr:\n%q", r.stderr)
	}
}

func TestTableColour(t *testing.T) {
	target := "sbom:" + fixture(t, "sbom/go-basic.gomod.cdx.xml")
	r := sillageIO(t, t.Context(), cli.IO{OutTTY: true, Width: 80}, nil, "scan", target)
	r.expect(t, cli.ExitOK)
	if !strings.Contains(r.stdout, "\x1b[") {
		t.Error("no colour on a terminal")
	}
	for _, line := range strings.Split(r.stdout, "\n") {
		if w := len([]rune(stripANSI(line))); w > 80 {
			t.Errorf("line wider than the 80-column terminal (%d): %q", w, line)
		}
	}
	r = sillageIO(t, t.Context(), cli.IO{OutTTY: true}, env{"NO_COLOR": "1"}, "scan", target)
	r.expect(t, cli.ExitOK)
	if strings.Contains(r.stdout, "\x1b") {
		t.Error("colour despite NO_COLOR")
	}
}

var ansiEscape = regexp.MustCompile(`\x1b\[[0-9;]*m`)

func stripANSI(s string) string { return ansiEscape.ReplaceAllString(s, "") }

// redact makes a result document independent of where the repository is
// checked out.
func redact(t *testing.T, s string) string {
	s = strings.ReplaceAll(s, repoRoot(t), "<repo>")
	s = regexp.MustCompile(`urn:uuid:[0-9a-f-]{36}`).ReplaceAllString(s, "urn:uuid:<redacted>")
	return s
}

func assertGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v; create it with: go test ./cmd/sillage/internal/cli -update", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s changed (-want +got):\n%s\nif intended: go test ./cmd/sillage/internal/cli -update", name, diff)
	}
}

// TestGoldenHostScan pins the result document and the CycloneDX BOM of
// the main job, a host scan, end to end.
func TestGoldenHostScan(t *testing.T) {
	target := "host:" + fixture(t, "rootfs/debian-minimal")
	for _, format := range []string{"json", "cyclonedx-json"} {
		t.Run(format, func(t *testing.T) {
			r := runCLI(t, nil, "scan", target, "-o", format)
			r.expect(t, cli.ExitOK)
			assertGolden(t, "host-debian-minimal."+format, redact(t, r.stdout))
		})
	}
}

func TestLicenseList(t *testing.T) {
	type row struct {
		ID       string `json:"id"`
		Category string `json:"category"`
		French   string `json:"french"`
	}
	list := func(args ...string) []row {
		t.Helper()
		r := runCLI(t, nil, append([]string{"license", "list", "-o", "json"}, args...)...)
		r.expect(t, cli.ExitOK)
		var rows []row
		if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
			t.Fatalf("license list -o json: %v", err)
		}
		return rows
	}
	all := list()
	if len(all) != 727 {
		t.Errorf("%d licences, want the 727 ids of the SPDX list 3.28", len(all))
	}
	french := list("--french-list")
	got := map[string]string{}
	for _, r := range french {
		got[r.ID] = r.French
	}
	for id, group := range map[string]string{"MIT": "permissive", "CECILL-B": "permissive", "EUPL-1.2": "reciprocity", "GPL-3.0-or-later": "reciprocity", "etalab-2.0": "data"} {
		if got[id] != group {
			t.Errorf("--french-list: %s in group %q, want %q", id, got[id], group)
		}
	}
	if _, ok := got["GPL-2.0-only"]; ok {
		t.Error("--french-list lists GPL-2.0-only, which is not on the French list")
	}
	for _, r := range list("--category", "network-copyleft") {
		if r.Category != "network-copyleft" {
			t.Errorf("--category network-copyleft listed %s (%s)", r.ID, r.Category)
		}
	}
	r := runCLI(t, nil, "license", "list", "--french-list")
	r.expect(t, cli.ExitOK)
	if !strings.Contains(r.stdout, "D. 323-2-1") || !strings.Contains(r.stdout, "CECILL-2.1") {
		t.Errorf("the French list table does not cite its legal source:\n%s", r.stdout)
	}
	runCLI(t, nil, "license", "list", "--category", "copyleft").expect(t, cli.ExitUsage)
	runCLI(t, nil, "licence", "list", "-o", "yaml").expect(t, cli.ExitUsage)
}

// liveExport serves the embedded 2022 catalogue re-encoded in the live
// export's schema (the model's JSON is the live schema), with an ETag, or
// fails with HTTP 500 while broken is set.
func liveExport(t *testing.T) (url string, broken *atomic.Bool, hits *atomic.Int32) {
	t.Helper()
	body, err := json.Marshal(sill.Embedded().Software)
	if err != nil {
		t.Fatal(err)
	}
	broken, hits = &atomic.Bool{}, &atomic.Int32{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if broken.Load() {
			http.Error(w, "maintenance", http.StatusInternalServerError)
			return
		}
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 02 Nov 2026 10:00:00 GMT")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/sill/api/sill.json", broken, hits
}

func TestSILLCommands(t *testing.T) {
	e := env{"SILLAGE_CACHE_DIR": t.TempDir()}
	// without a download: the embedded snapshot
	r := runCLI(t, e, "sill", "status")
	r.expect(t, cli.ExitOK)
	if !strings.Contains(r.stdout, "embedded SILL snapshot of 2022-05-10 (240 entries)") {
		t.Errorf("status:\n%s", r.stdout)
	}
	r = runCLI(t, e, "sill", "search", "navigateur", "-o", "json")
	r.expect(t, cli.ExitOK)
	var found []struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &found); err != nil || len(found) == 0 || found[0].Name != "Mozilla Firefox ESR" {
		t.Errorf("search navigateur: %v %+v", err, found)
	}
	r = runCLI(t, e, "sill", "show", "78")
	r.expect(t, cli.ExitOK)
	for _, want := range []string{"LibreOffice", "recommended", "Q10135", "comptoir-du-libre.org/fr/softwares/33", "support contract"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("show 78 lacks %q:\n%s", want, r.stdout)
		}
	}
	runCLI(t, e, "sill", "show", "No Such Software").expect(t, cli.ExitUsage)

	// update from a server, then status says so and scans record it
	url, broken, hits := liveExport(t)
	r = runCLI(t, e, "sill", "update", "--url", url)
	r.expect(t, cli.ExitOK)
	if !strings.Contains(r.stdout, "SILL updated: 240 entries dated 2026-11-02") {
		t.Errorf("update:\n%s", r.stdout)
	}
	r = runCLI(t, e, "sill", "status")
	r.expect(t, cli.ExitOK)
	if !strings.Contains(r.stdout, "live SILL export downloaded from "+url) {
		t.Errorf("status after update:\n%s", r.stdout)
	}
	r = runCLI(t, e, "sill", "update", "--url", url)
	r.expect(t, cli.ExitOK)
	if !strings.Contains(r.stdout, "unchanged") || hits.Load() != 2 {
		t.Errorf("second update (conditional request): %d requests\n%s", hits.Load(), r.stdout)
	}
	res := decodeResult(t, runCLI(t, e, "scan", "sbom:"+fixture(t, "sbom/npm-basic.spdx.json"), "-o", "json").stdout)
	if !slices.ContainsFunc(res.Catalogs, func(c sillage.CatalogRef) bool {
		return c.Name == "sill" && c.Version == "2026-11-02" && c.Source == url
	}) {
		t.Errorf("the result does not name the cached catalogue: %+v", res.Catalogs)
	}
	// a failed update keeps the cached copy
	broken.Store(true)
	r = runCLI(t, e, "sill", "update", "--url", url)
	r.expect(t, cli.ExitScanFailed)
	if !strings.Contains(r.stderr, "500") || !strings.Contains(r.stderr, "previous catalogue is kept") {
		t.Errorf("failed update stderr:\n%s", r.stderr)
	}
	r = runCLI(t, e, "sill", "status")
	if !strings.Contains(r.stdout, "live SILL export") {
		t.Errorf("the cached copy was lost after a failed update:\n%s", r.stdout)
	}
	// --sill FILE wins over the cache
	file := filepath.Join(repoRoot(t), "rules", "sill", "testdata", "live-sill.json")
	r = runCLI(t, e, "sill", "status", "--sill", file)
	r.expect(t, cli.ExitOK)
	if !strings.Contains(r.stdout, "SILL file "+file) {
		t.Errorf("status --sill:\n%s", r.stdout)
	}
	runCLI(t, e, "scan", "sbom:"+fixture(t, "sbom/npm-basic.spdx.json"), "--sill", filepath.Join(t.TempDir(), "missing.json")).expect(t, cli.ExitUsage)
}

// TestScanSILL scans a host whose dpkg database holds real bookworm
// stanzas of SILL software and of its libraries.
func TestScanSILL(t *testing.T) {
	r := runCLI(t, nil, "scan", "host:"+fixture(t, "rootfs/debian-desktop"), "-o", "json")
	r.expect(t, cli.ExitOK)
	res := decodeResult(t, r.stdout)
	got := map[string]string{}
	for _, c := range res.Components {
		if c.SILL != nil {
			got[c.Name] = c.SILL.ID + " " + c.SILL.Status
		} else {
			got[c.Name] = "-"
		}
	}
	want := map[string]string{
		"firefox-esr": "89 recommended", "libreoffice-writer": "78 recommended", "libreoffice-core": "78 recommended",
		"libreoffice-common": "78 recommended", "postgresql-15": "118 recommended", "postgresql-client-15": "118 recommended",
		"mariadb-server": "84 recommended", "nginx": "95 recommended", "git": "52 recommended",
		// a library of a SILL product is not the product
		"libpq5": "-",
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: SILL %q, want %q", name, got[name], w)
		}
	}
	if res.Summary.SILLMatched < 9 {
		t.Errorf("summary: %d components on the SILL", res.Summary.SILLMatched)
	}
	n := 0
	for _, f := range res.Findings {
		if f.RuleID == "SILL-RECOMMENDED" {
			n++
		}
	}
	if n != res.Summary.SILLMatched {
		t.Errorf("%d SILL-RECOMMENDED findings for %d matches", n, res.Summary.SILLMatched)
	}
}

func TestLicenseDetect(t *testing.T) {
	type det struct {
		Path       string  `json:"path"`
		Expression *string `json:"expression"`
		Matches    []struct {
			ID       string  `json:"id"`
			Coverage float64 `json:"coverage"`
		} `json:"matches"`
		Category string `json:"category"`
	}
	detect := func(args ...string) []det {
		t.Helper()
		r := runCLI(t, nil, append([]string{"license", "detect", "-o", "json"}, args...)...)
		r.expect(t, cli.ExitOK)
		var ds []det
		if err := json.Unmarshal([]byte(r.stdout), &ds); err != nil {
			t.Fatalf("license detect -o json: %v\n%s", err, r.stdout)
		}
		return ds
	}

	// the project's own LICENSE is the full EUPL-1.2 text
	ds := detect(filepath.Join(repoRoot(t), "LICENSE"))
	if len(ds) != 1 || ds[0].Expression == nil || *ds[0].Expression != "EUPL-1.2" {
		t.Fatalf("LICENSE: got %+v, want one result EUPL-1.2", ds)
	}
	if ds[0].Category != "network-copyleft" || len(ds[0].Matches) == 0 || ds[0].Matches[0].ID != "EUPL-1.2" || ds[0].Matches[0].Coverage < 90 {
		t.Errorf("LICENSE: got %+v, want EUPL-1.2 matched over >= 90%% of the text, network-copyleft", ds[0])
	}

	// a file with no licence text: expression null, category unknown
	ds = detect(fixture(t, "projects/go-basic/go.mod"))
	if len(ds) != 1 || ds[0].Expression != nil || ds[0].Category != "unknown" || len(ds[0].Matches) != 0 {
		t.Errorf("go.mod: got %+v, want expression null, no match, unknown", ds)
	}
	r := runCLI(t, nil, "license", "detect", "-o", "json", fixture(t, "projects/go-basic/go.mod"))
	if !strings.Contains(r.stdout, `"expression": null`) {
		t.Errorf("expression not written as null:\n%s", r.stdout)
	}

	// a directory is walked for licence-like files only
	ds = detect(fixture(t, "rootfs/debian-minimal"))
	if len(ds) == 0 {
		t.Fatal("no licence file found under rootfs/debian-minimal")
	}
	for _, d := range ds {
		if base := filepath.Base(d.Path); base != "copyright" && !strings.Contains(strings.ToUpper(base), "LICEN") && !strings.Contains(strings.ToUpper(base), "COPYING") {
			t.Errorf("walk read %s, which is not a licence file", d.Path)
		}
	}

	// the table names the file and the licence
	r = runCLI(t, nil, "license", "detect", filepath.Join(repoRoot(t), "LICENSE"))
	r.expect(t, cli.ExitOK)
	if !strings.Contains(r.stdout, "EUPL-1.2") || !strings.Contains(r.stdout, "LICENSE") {
		t.Errorf("table lacks the file or the licence:\n%s", r.stdout)
	}

	runCLI(t, nil, "license", "detect", filepath.Join(t.TempDir(), "missing")).expect(t, cli.ExitScanFailed)
	runCLI(t, nil, "license", "detect", "-o", "yaml", "LICENSE").expect(t, cli.ExitUsage)
	runCLI(t, nil, "license", "detect").expect(t, cli.ExitUsage)
}

func TestScanLicenceDetection(t *testing.T) {
	dir := fixture(t, "projects/npm-installed")
	r := runCLI(t, nil, "scan", "dir:"+dir, "-o", "json", "--license-detection", "all")
	r.expect(t, cli.ExitOK)
	checkSchema(t, r.stdout)
	res := decodeResult(t, r.stdout)
	if len(res.Target.Licenses) != 1 || res.Target.Licenses[0].SPDX != "EUPL-1.2" || res.Target.Licenses[0].Location != "/LICENSE" {
		t.Errorf("target licences %+v, want EUPL-1.2 from /LICENSE", res.Target.Licenses)
	}
	n := 0
	for _, c := range res.Components {
		n += len(c.Licenses.Detected)
	}
	if n != 3 {
		t.Errorf("%d detected licences with --license-detection all, want 3 (is-number, once, wrappy)", n)
	}
	r = runCLI(t, nil, "scan", "dir:"+dir, "-o", "json", "--license-detection", "none")
	r.expect(t, cli.ExitOK)
	if res := decodeResult(t, r.stdout); len(res.Target.Licenses) != 0 {
		t.Errorf("--license-detection none still read the tree's licences: %+v", res.Target.Licenses)
	}
	r = runCLI(t, nil, "scan", "dir:"+dir, "--license-detection", "some")
	r.expect(t, cli.ExitUsage)
	if !strings.Contains(r.stderr, "auto, all or none") {
		t.Errorf("bad --license-detection: stderr does not list the modes:\n%s", r.stderr)
	}
}
