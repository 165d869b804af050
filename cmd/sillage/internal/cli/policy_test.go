package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/cmd/sillage/internal/cli"
	"github.com/sillage-oss/sillage/policy"
	"github.com/sillage-oss/sillage/rules"
)

// writePolicy writes a policy file in dir (a new temporary directory if
// dir is "") and returns its path.
func writePolicy(t *testing.T, dir, name, text string) string {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func policyRef(t *testing.T, res sillage.Result) sillage.CatalogRef {
	t.Helper()
	for _, c := range res.Catalogs {
		if c.Name == "policy" {
			return c
		}
	}
	t.Fatalf("no policy in catalogs %+v", res.Catalogs)
	return sillage.CatalogRef{}
}

func ruleCounts(res sillage.Result) map[string]int {
	out := map[string]int{}
	for _, f := range res.Findings {
		k := f.RuleID + " " + string(f.Severity)
		if f.Waiver != nil {
			k += " waived"
		}
		if f.Baseline != "" {
			k += " " + f.Baseline
		}
		out[k]++
	}
	return out
}

const isc = `name: no-isc
version: "2026.1"
licenses:
  deny: [ISC]
rules:
  - id: ACME-ROOT-PACKAGE
    severity: info
    condition: component.name.startsWith('sillage-fixture-') && license.frenchList(component.licenses.concluded)
    message: "{{component.label}} is under {{component.licenses.concluded}}, on the French administration's list"
waivers:
  - id: wrappy-ok
    rules: [LIC-DENIED]
    component: {purl: "pkg:npm/wrappy", versions: ">=1.0,<2"}
    justification: a dependency of once; replaced when once is
    expires: 2027-06-30
`

func TestScanPolicyFile(t *testing.T) {
	bom := "sbom:" + fixture(t, "sbom/npm-basic.spdx.json")
	path := writePolicy(t, "", "no-isc.yaml", isc)
	out := filepath.Join(t.TempDir(), "r.json")
	r := runCLI(t, nil, "scan", bom, "--policy", path, "--fail-on", "high", "-o", "json="+out)
	r.expect(t, cli.ExitFindings)
	// once and wrappy are ISC; wrappy is waived and does not count
	if !strings.Contains(r.stderr, "1 findings at or above the --fail-on severity (high)") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	res := decodeResult(t, readFile(t, out))
	want := map[string]int{"LIC-DENIED high": 1, "LIC-DENIED high waived": 1, "ACME-ROOT-PACKAGE info": 1}
	if got := ruleCounts(res); !mapsEqual(got, want) {
		t.Errorf("findings %v, want %v", got, want)
	}
	for _, f := range res.Findings {
		if f.Waiver != nil && (f.Waiver.ID != "wrappy-ok" || f.Waiver.Source != path+":11" || f.Waiver.Expires != "2027-06-30") {
			t.Errorf("waiver %+v", f.Waiver)
		}
		if f.RuleID == "ACME-ROOT-PACKAGE" && f.Message != "sillage-fixture-npm-basic@1.0.0 is under EUPL-1.2, on the French administration's list" {
			t.Errorf("message %q", f.Message)
		}
	}
	if ref := policyRef(t, res); ref.Version != "no-isc@2026.1" || ref.Source != path || ref.Extends != "default@4" || ref.Profile != "" {
		t.Errorf("policy ref %+v", ref)
	}
	// the waiver keeps the finding visible in the table too
	r = runCLI(t, nil, "scan", bom, "--policy", path)
	r.expect(t, cli.ExitOK)
	if !strings.Contains(r.stdout, "LIC-DENIED  wrappy@1.0.2 (npm) is licensed under ISC, which the policy denies") {
		t.Errorf("the waived finding is hidden from the table:\n%s", r.stdout)
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestScanPolicyDiscovery(t *testing.T) {
	// a dir: target whose root holds .sillage.yaml
	project := t.TempDir()
	for _, f := range []string{"package.json", "package-lock.json"} {
		if err := os.WriteFile(filepath.Join(project, f), []byte(readFile(t, fixture(t, "projects/npm-basic/"+f))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	inTree := writePolicy(t, project, ".sillage.yaml", "name: in-tree\nversion: 1\n")
	bom := "sbom:" + fixture(t, "sbom/npm-basic.spdx.json")
	scan := func(args ...string) (sillage.CatalogRef, run) {
		t.Helper()
		r := runCLI(t, nil, append([]string{"scan", "-o", "json"}, args...)...)
		r.expect(t, cli.ExitOK)
		return policyRef(t, decodeResult(t, r.stdout)), r
	}
	if ref, _ := scan(bom); ref.Version != "default@4" {
		t.Errorf("without a policy file: %+v", ref)
	}
	// the repository root cannot be found from elsewhere: no fixture()
	// nor repoRoot() below
	cwd := t.TempDir()
	inCwd := writePolicy(t, cwd, ".sillage.yaml", "name: in-cwd\nversion: 1\n")
	t.Chdir(cwd)

	ref, r := scan("dir:" + project)
	if ref.Version != "in-tree@1" || ref.Source != inTree {
		t.Errorf("dir: target: policy %+v, want the tree's %s", ref, inTree)
	}
	if !strings.Contains(r.stderr, "sillage: policy in-tree@1 from "+inTree) {
		t.Errorf("stderr does not say which policy file was found:\n%s", r.stderr)
	}
	if ref, _ = scan(project); ref.Version != "in-tree@1" {
		t.Errorf("bare directory: policy %+v", ref)
	}
	if ref, _ = scan(bom); ref.Version != "in-cwd@1" || ref.Source != inCwd {
		t.Errorf("sbom: target: policy %+v, want the working directory's %s", ref, inCwd)
	}
	if ref, r = scan("dir:"+project, "--policy", "default"); ref.Version != "default@4" || ref.Source != "embedded" || r.stderr != "" {
		t.Errorf("--policy default: policy %+v, stderr %q", ref, r.stderr)
	}
	explicit := writePolicy(t, "", "p.yaml", "name: explicit\nversion: 1\n")
	if ref, r = scan("dir:"+project, "--policy", explicit); ref.Version != "explicit@1" || r.stderr != "" {
		t.Errorf("--policy FILE: policy %+v, stderr %q", ref, r.stderr)
	}
	if _, r = scan("dir:"+project, "-q"); r.stderr != "" {
		t.Errorf("-q left a note on stderr: %q", r.stderr)
	}
}

func TestScanProfile(t *testing.T) {
	// cyclonedx-gomod's XML declares no licence: three LIC-UNDECLARED
	bom := "sbom:" + fixture(t, "sbom/go-basic.gomod.cdx.xml")
	r := runCLI(t, nil, "scan", bom, "--profile", "ci", "-o", "json")
	r.expect(t, cli.ExitOK) // ci fails on high; these are medium in ci
	res := decodeResult(t, r.stdout)
	if got := ruleCounts(res); !mapsEqual(got, map[string]int{"LIC-UNDECLARED medium": 3}) {
		t.Errorf("ci findings %v", got)
	}
	if ref := policyRef(t, res); ref.Profile != "ci" || ref.Version != "default@4" {
		t.Errorf("policy ref %+v", ref)
	}
	runCLI(t, nil, "scan", bom, "--profile", "ci", "--fail-on", "medium", "-o", "json").expect(t, cli.ExitFindings)

	// ci's own threshold fails a denied licence; --fail-on none overrides it
	deny := writePolicy(t, "", "deny.yaml", "name: deny-isc\nversion: 1\nlicenses:\n  deny: [ISC]\n")
	npm := "sbom:" + fixture(t, "sbom/npm-basic.spdx.json")
	r = runCLI(t, nil, "scan", npm, "--policy", deny, "--profile", "ci", "-o", "json")
	r.expect(t, cli.ExitFindings)
	if !strings.Contains(r.stderr, "2 findings at or above the --fail-on severity (high, from profile ci)") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	runCLI(t, nil, "scan", npm, "--policy", deny, "--profile", "ci", "--fail-on", "none", "-o", "json").expect(t, cli.ExitOK)

	// procurement raises what the default leaves at info
	r = runCLI(t, nil, "scan", "host:"+fixture(t, "rootfs/debian-desktop"), "--profile", "procurement", "-o", "json")
	r.expect(t, cli.ExitOK)
	if ref := policyRef(t, decodeResult(t, r.stdout)); ref.Profile != "procurement" {
		t.Errorf("policy ref %+v", ref)
	}

	r = runCLI(t, nil, "scan", bom, "--profile", "laptop")
	r.expect(t, cli.ExitUsage)
	if !strings.Contains(r.stderr, `no profile "laptop"; use one of workstation, server, ci, procurement`) || r.stdout != "" {
		t.Errorf("unknown profile: stdout %q stderr:\n%s", r.stdout, r.stderr)
	}
}

func TestScanBaseline(t *testing.T) {
	dir := t.TempDir()
	gomod := "sbom:" + fixture(t, "sbom/go-basic.gomod.cdx.xml")
	prev := filepath.Join(dir, "prev.json")
	runCLI(t, nil, "scan", gomod, "-o", "json="+prev).expect(t, cli.ExitOK)

	// the same findings again: existing, and they do not fail the run
	r := runCLI(t, nil, "scan", gomod, "--baseline", prev, "--fail-on", "low", "-o", "json")
	r.expect(t, cli.ExitOK)
	if got := ruleCounts(decodeResult(t, r.stdout)); !mapsEqual(got, map[string]int{"LIC-UNDECLARED low existing": 3}) {
		t.Errorf("re-scan against itself: %v", got)
	}

	// against a baseline without them: new, and they fail it
	npmPrev := filepath.Join(dir, "npm.json")
	runCLI(t, nil, "scan", "sbom:"+fixture(t, "sbom/npm-basic.spdx.json"), "-o", "json="+npmPrev).expect(t, cli.ExitOK)
	r = runCLI(t, nil, "scan", gomod, "--baseline", npmPrev, "--fail-on", "low", "-o", "json")
	r.expect(t, cli.ExitFindings)
	if got := ruleCounts(decodeResult(t, r.stdout)); !mapsEqual(got, map[string]int{"LIC-UNDECLARED low new": 3}) {
		t.Errorf("against another scan: %v", got)
	}

	// bad baselines are usage errors, found before the scan
	truncated := filepath.Join(dir, "truncated.json")
	data := readFile(t, prev)
	if err := os.WriteFile(truncated, []byte(data[:len(data)/2]), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.json")
	for name, tt := range map[string]struct{ file, want string }{
		"missing":   {filepath.Join(dir, "none.json"), "does not exist"},
		"truncated": {truncated, "not a sillage result (JSON)"},
		"an SBOM":   {fixture(t, "sbom/npm-basic.cdx.json"), "not a sillage result: no schemaVersion"},
	} {
		t.Run(name, func(t *testing.T) {
			r := runCLI(t, nil, "scan", gomod, "--baseline", tt.file, "-o", "json="+out)
			r.expect(t, cli.ExitUsage)
			if !strings.Contains(r.stderr, "baseline "+tt.file) || !strings.Contains(r.stderr, tt.want) || !strings.Contains(r.stderr, "hint: ") {
				t.Errorf("stderr does not say %q with a hint:\n%s", tt.want, r.stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("an output was written")
			}
		})
	}
}

func TestScanWaiverExpiry(t *testing.T) {
	bom := "sbom:" + fixture(t, "sbom/go-basic.gomod.cdx.xml")
	path := writePolicy(t, "", "w.yaml", `name: w
version: 1
waivers:
  - id: go-modules
    rules: [LIC-UNDECLARED]
    component: {type: golang}
    justification: licences checked by hand, see ticket 42
    expires: 2026-10-31
`)
	// SOURCE_DATE_EPOCH 2026-11-23 (the default of runCLI): expired
	r := runCLI(t, nil, "scan", bom, "--policy", path, "--fail-on", "low", "-o", "json")
	r.expect(t, cli.ExitFindings)
	res := decodeResult(t, r.stdout)
	if got := ruleCounts(res); !mapsEqual(got, map[string]int{"LIC-UNDECLARED low": 3, "POLICY-WAIVER-EXPIRED medium": 1}) {
		t.Errorf("expired waiver: %v", got)
	}
	// 2026-10-15: still valid, expires within 30 days
	r = runCLI(t, env{"SOURCE_DATE_EPOCH": "1792051200"}, "scan", bom, "--policy", path, "--fail-on", "low", "-o", "json")
	r.expect(t, cli.ExitOK)
	if got := ruleCounts(decodeResult(t, r.stdout)); !mapsEqual(got, map[string]int{"LIC-UNDECLARED low waived": 3, "POLICY-WAIVER-EXPIRING info": 1}) {
		t.Errorf("valid waiver: %v", got)
	}
}

func TestScanInvalidPolicy(t *testing.T) {
	bom := "sbom:" + fixture(t, "sbom/go-basic.gomod.cdx.xml")
	path := writePolicy(t, "", "bad.yaml", `name: bad
version: 1
rules:
  - id: ACME-1
    severity: severe
    condition: component.nmae == 'x'
    message: m
`)
	out := filepath.Join(t.TempDir(), "r.json")
	for name, tt := range map[string]struct {
		args []string
		want []string
	}{
		"invalid":     {[]string{"--policy", path}, []string{"policy " + path + " is not valid:", path + ":5: rule ACME-1: severity: unknown severity \"severe\""}},
		"missing":     {[]string{"--policy", filepath.Join(t.TempDir(), "none.yaml")}, []string{"does not exist", "hint: "}},
		"directory":   {[]string{"--policy", t.TempDir()}, []string{"is a directory"}},
		"bad fail-on": {[]string{"--fail-on", "nope"}, []string{"unknown severity"}},
		"fails at run time": {[]string{"--policy", writePolicy(t, "", "run.yaml", "name: r\nversion: 1\nrules:\n  - id: X\n    severity: low\n    condition: component.licenses.declared[0].value == 'MIT'\n    message: m\n")},
			[]string{"run.yaml:6: rule X: condition: on component example.com/sillage-fixture/go-basic", "index out of bounds", "guard the expression"}},
		"cel compile err": {[]string{"--policy", writePolicy(t, "", "cel.yaml", "name: c\nversion: 1\nrules:\n  - id: X\n    severity: low\n    condition: |\n      component.name == 'a' ||\n      component.nmae == 'b'\n    message: m\n")}, []string{"cel.yaml:8: rule X: condition: undefined field 'nmae'"}},
	} {
		t.Run(name, func(t *testing.T) {
			r := runCLI(t, nil, append([]string{"scan", bom, "-o", "json=" + out}, tt.args...)...)
			r.expect(t, cli.ExitUsage)
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr does not say %q:\n%s", w, r.stderr)
				}
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("an output was written")
			}
		})
	}
}

func TestPolicyValidate(t *testing.T) {
	good := writePolicy(t, "", "good.yaml", isc)
	r := runCLI(t, nil, "policy", "validate", good)
	r.expect(t, cli.ExitOK)
	if !strings.Contains(r.stdout, good+": valid: policy no-isc@2026.1 (extends default@4), 15 rules (15 enabled), 1 waivers") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	expired := writePolicy(t, "", "expired.yaml", "name: e\nversion: 1\nwaivers:\n  - {id: old, rules: [LIC-UNKNOWN], justification: j, expires: 2025-01-01}\n")
	r = runCLI(t, nil, "policy", "validate", expired)
	r.expect(t, cli.ExitOK)
	if !strings.Contains(r.stdout, expired+":4: waiver old expired on 2025-01-01") {
		t.Errorf("expired waiver not reported:\n%s", r.stdout)
	}
	bad := writePolicy(t, "", "bad.yaml", "name: b\nversion: 1\nrules:\n  - id: X\n    severity: low\n    condition: component.licenses.concluded\n    message: \"{{component.nope}}\"\n")
	r = runCLI(t, nil, "policy", "validate", good, bad)
	r.expect(t, cli.ExitUsage)
	for _, w := range []string{bad + ":6: rule X: condition: gives a string", bad + ":7: rule X: message: {{component.nope}}: undefined field 'nope'", "1 of 2 policy files are not valid"} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr does not say %q:\n%s", w, r.stderr)
		}
	}
	if !strings.Contains(r.stdout, good+": valid") {
		t.Errorf("the good file is not reported valid:\n%s", r.stdout)
	}
	runCLI(t, nil, "policy", "validate").expect(t, cli.ExitUsage)
	runCLI(t, nil, "policy", "validate", filepath.Join(t.TempDir(), "none.yaml")).expect(t, cli.ExitUsage)
}

// TestPolicyExample checks the example policy of docs/policy.md.
func TestPolicyExample(t *testing.T) {
	r := runCLI(t, nil, "policy", "validate", filepath.Join(repoRoot(t), "docs", "policy-example.yaml"))
	r.expect(t, cli.ExitOK)
}

func TestPolicyShow(t *testing.T) {
	t.Chdir(t.TempDir()) // no .sillage.yaml
	r := runCLI(t, nil, "policy", "show")
	r.expect(t, cli.ExitOK)
	if !strings.HasPrefix(r.stdout, "# Effective policy default@4, read from embedded") || !strings.Contains(r.stdout, "# defined at embedded:default.yaml:") {
		t.Errorf("show:\n%.600s", r.stdout)
	}
	// what show prints is a policy that gives the same rules
	shown, err := rules.LoadPolicy("shown.yaml", []byte(r.stdout))
	if err != nil {
		t.Fatalf("the shown policy does not load: %v\n%s", err, r.stdout)
	}
	if _, err := policy.Compile(shown); err != nil {
		t.Fatalf("the shown policy does not compile: %v", err)
	}
	if !sameRules(shown.Rules, rules.Default().Rules) {
		t.Error("the shown policy's rules differ from the default's")
	}

	// with a profile: its severities are applied, its disabled rules say so
	r = runCLI(t, nil, "policy", "show", "--profile", "ci", "-o", "json")
	r.expect(t, cli.ExitOK)
	var doc struct {
		Profile string `json:"profile"`
		FailOn  string `json:"failOn"`
		Rules   []struct {
			ID       string `json:"id"`
			Severity string `json:"severity"`
			Enabled  *bool  `json:"enabled"`
		} `json:"rules"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("-o json: %v\n%s", err, r.stdout)
	}
	if doc.Profile != "ci" || doc.FailOn != "high" {
		t.Errorf("profile %q failOn %q", doc.Profile, doc.FailOn)
	}
	for _, rr := range doc.Rules {
		if rr.ID == "LIC-UNKNOWN" && rr.Severity != "medium" || rr.ID == "SILL-RECOMMENDED" && (rr.Enabled == nil || *rr.Enabled) {
			t.Errorf("ci rule %+v", rr)
		}
	}

	// a policy file in DIR, with its waiver and its origin
	dir := t.TempDir()
	p := writePolicy(t, dir, ".sillage.yaml", isc)
	r = runCLI(t, nil, "policy", "show", dir)
	r.expect(t, cli.ExitOK)
	for _, w := range []string{"Effective policy no-isc@2026.1, read from " + p + ", merged with the default@4 it extends", "# defined at " + p + ":11", "id: wrappy-ok", "- ISC"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("show DIR lacks %q:\n%s", w, r.stdout)
		}
	}
	runCLI(t, nil, "policy", "show", "-o", "xml").expect(t, cli.ExitUsage)
}

func sameRules(a, b []rules.Rule) bool {
	return slices.EqualFunc(a, b, func(x, y rules.Rule) bool {
		return x.ID == y.ID && x.Severity == y.Severity && x.Enabled == y.Enabled && x.AppliesTo == y.AppliesTo &&
			x.Condition == y.Condition && x.Message == y.Message && x.Remediation == y.Remediation && x.Title == y.Title
	})
}

func TestPolicyExplain(t *testing.T) {
	t.Chdir(t.TempDir())
	r := runCLI(t, nil, "policy", "explain", "lic-unknown")
	r.expect(t, cli.ExitOK)
	for _, w := range []string{"LIC-UNKNOWN: Component's licence is not identified", "severity:    low", "applies to:  each component",
		"defined at:  embedded:default.yaml:", "condition:   component.licenses.category == 'unknown'", "profiles:    workstation: info; server: info; ci: medium"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("explain lacks %q:\n%s", w, r.stdout)
		}
	}
	r = runCLI(t, nil, "policy", "explain", "SILL-RECOMMENDED", "--profile", "ci")
	r.expect(t, cli.ExitOK)
	if !strings.Contains(r.stdout, "severity:    info, DISABLED") || !strings.Contains(r.stdout, "profile ci") {
		t.Errorf("explain --profile ci:\n%s", r.stdout)
	}
	p := writePolicy(t, "", "p.yaml", isc)
	r = runCLI(t, nil, "policy", "explain", "LIC-DENIED", "--policy", p)
	r.expect(t, cli.ExitOK)
	if !strings.Contains(r.stdout, "waiver:      wrappy-ok ("+p+":11, until 2027-06-30): a dependency of once") {
		t.Errorf("explain does not list the waiver:\n%s", r.stdout)
	}
	r = runCLI(t, nil, "policy", "explain", "NOPE")
	r.expect(t, cli.ExitUsage)
	if !strings.Contains(r.stderr, `has no rule "NOPE"; its rules: LIC-UNDECLARED`) {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}
