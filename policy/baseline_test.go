package policy_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/policy"
	"github.com/sillage-oss/sillage/rules"
)

func TestMarkBaseline(t *testing.T) {
	at := func(loc string) func(*sillage.Component) {
		return func(c *sillage.Component) {
			c.PURL = "pkg:npm/left-pad@" + c.Version
			c.Locations = []string{loc}
		}
	}
	oldPad := mk(sillage.TypeNPM, "left-pad", "1.1.0", at("/a/package-lock.json"))
	oldNoPURL := mk(sillage.TypeWindows, "Tool", "1.0", nil)
	prevComps := []sillage.Component{oldPad, oldNoPURL}
	prevFiles := []policy.File{{Path: "/docs/a.xls", FormatName: "XLS", Action: "migrate"}}
	prevPolicy := loadPolicy(t, fileRulesPolicy+"waivers:\n  - {id: old, rules: [LIC-UNKNOWN], justification: j, expires: 2026-01-01}\n")
	prev := sillage.Result{Components: prevComps, Findings: eval(t, prevPolicy, policy.Input{Components: prevComps, Files: prevFiles})}

	newPad := mk(sillage.TypeNPM, "left-pad", "1.3.0", at("/a/package-lock.json"))  // upgraded
	copyPad := mk(sillage.TypeNPM, "left-pad", "1.3.0", at("/b/package-lock.json")) // a second copy
	newTool := mk(sillage.TypeWindows, "Tool", "2.0", nil)                          // no purl: type and name
	other := mk(sillage.TypeNPM, "right-pad", "1.0.0", nil)                         // not in the baseline
	comps := []sillage.Component{newPad, copyPad, newTool, other}
	files := []policy.File{{Path: "/docs/a.xls", FormatName: "XLS", Action: "migrate"}, {Path: "/docs/b.xls", FormatName: "XLS", Action: "migrate"}}
	fs := eval(t, prevPolicy, policy.Input{Components: comps, Files: files})
	policy.MarkBaseline(fs, comps, prev)

	got := map[string][]string{}
	for _, f := range fs {
		k := f.Path
		for _, c := range comps {
			if c.ID == f.ComponentID {
				k = strings.TrimSpace(c.Label() + " " + strings.Join(c.Locations, " "))
			}
		}
		if k == "" {
			k = f.RuleID
		}
		got[k] = append(got[k], f.Baseline)
		if !f.Active() && f.Baseline != sillage.BaselineExisting {
			t.Errorf("%s inactive without being waived or existing", f.Message)
		}
	}
	want := map[string][]string{
		"left-pad@1.3.0 /a/package-lock.json": {"existing"}, // LIC-UNDECLARED, upgraded
		"left-pad@1.3.0 /b/package-lock.json": {"new"},      // the baseline had one left-pad finding
		"Tool@2.0":                            {"existing", "existing"},
		"right-pad@1.0.0":                     {"new"},
		"/docs/a.xls":                         {"existing"},
		"/docs/b.xls":                         {"new"},
		"POLICY-WAIVER-EXPIRED":               {"existing"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("baseline states (-want +got):\n%s", diff)
	}
}

func TestMarkBaselineSameScan(t *testing.T) {
	in := workload(500)
	fs := eval(t, rules.Default(), in)
	prev := sillage.Result{Components: in.Components, Findings: fs}
	again := eval(t, rules.Default(), in)
	policy.MarkBaseline(again, in.Components, prev)
	for _, f := range again {
		if f.Baseline != sillage.BaselineExisting {
			t.Fatalf("a re-scan of the same components has a new finding: %+v", f)
		}
	}
	policy.MarkBaseline(again, in.Components, sillage.Result{})
	for _, f := range again {
		if f.Baseline != sillage.BaselineNew {
			t.Fatalf("against an empty baseline, %+v is not new", f)
		}
	}
}

func TestParseBaseline(t *testing.T) {
	good, err := json.Marshal(sillage.Result{SchemaVersion: 1, Tool: sillage.Tool{Name: "sillage", Version: "1"}, Findings: []sillage.Finding{{RuleID: "X"}}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := policy.ParseBaseline(good)
	if err != nil || len(r.Findings) != 1 {
		t.Fatalf("good baseline: %v %+v", err, r)
	}
	// a newer sillage of the same schema version may add fields
	newer := strings.Replace(string(good), `"schemaVersion":1`, `"schemaVersion":1,"futureField":{"a":1}`, 1)
	if _, err := policy.ParseBaseline([]byte(newer)); err != nil {
		t.Errorf("unknown field refused: %v", err)
	}
	for name, tt := range map[string]struct{ data, want string }{
		"empty":        {"  \n", "empty file"},
		"truncated":    {string(good[:len(good)-10]), "not a sillage result (JSON)"},
		"syntax":       {"{\n\"schemaVersion\": 1,\n,}", "line 3"},
		"not sillage":  {`{"bomFormat": "CycloneDX"}`, "no schemaVersion or tool.name is not sillage"},
		"future":       {strings.Replace(string(good), `"schemaVersion":1`, `"schemaVersion":2`, 1), "schema version 2 is newer"},
		"no findings":  {`{"schemaVersion": 1, "tool": {"name": "sillage"}}`, "no findings list"},
		"wrong type":   {`{"schemaVersion": 1, "tool": {"name": "sillage"}, "findings": [{"ruleId": 3}]}`, "ruleId"},
		"zero version": {`{"schemaVersion": 0, "tool": {"name": "sillage"}, "findings": []}`, "schema version 0"},
	} {
		if _, err := policy.ParseBaseline([]byte(tt.data)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want it to say %q", name, err, tt.want)
		}
	}
}
