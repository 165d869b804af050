package policy_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/policy"
	"github.com/sillage-oss/sillage/rules"
)

var scanTime = time.Date(2026, 11, 23, 9, 10, 0, 0, time.UTC)

func mk(typ sillage.Type, name, version string, f func(*sillage.Component)) sillage.Component {
	c := sillage.Component{Name: name, Version: version, Type: typ}
	if f != nil {
		f(&c)
	}
	c.ID = sillage.ComponentID(c)
	return c
}

func concluded(expr string, cat sillage.LicenseCategory) func(*sillage.Component) {
	return func(c *sillage.Component) {
		c.Licenses.Declared = []sillage.DeclaredLicense{{Value: expr, SPDX: expr}}
		c.Licenses.Concluded = expr
		c.Licenses.Category = cat
	}
}

func loadPolicy(t testing.TB, yaml string) rules.Set {
	t.Helper()
	s, err := rules.LoadPolicy("p.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func eval(t testing.TB, s rules.Set, in policy.Input) []sillage.Finding {
	t.Helper()
	if in.Now.IsZero() {
		in.Now = scanTime
	}
	fs, err := policy.Evaluate(t.Context(), s, in)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// byComponent lists "RULE severity" per component name, and per path for
// file findings, and "-" for findings about neither.
func byComponent(comps []sillage.Component, fs []sillage.Finding) map[string][]string {
	names := map[string]string{}
	for _, c := range comps {
		names[c.ID] = c.Name
	}
	out := map[string][]string{}
	for _, f := range fs {
		k := names[f.ComponentID]
		if f.Path != "" {
			k = f.Path
		}
		if k == "" {
			k = "-"
		}
		s := f.RuleID + " " + string(f.Severity)
		if f.Waiver != nil {
			s += " waived:" + f.Waiver.ID
		}
		out[k] = append(out[k], s)
	}
	for _, v := range out {
		slices.Sort(v)
	}
	return out
}

func TestDefaultRules(t *testing.T) {
	comps := []sillage.Component{
		mk(sillage.TypeNPM, "undeclared", "1.0", nil),
		mk(sillage.TypeDeb, "unmapped", "1.0", func(c *sillage.Component) {
			c.Licenses.Declared = []sillage.DeclaredLicense{{Value: "BSD-variant"}, {Value: "MIT", SPDX: "MIT"}}
			c.Licenses.Category = sillage.CategoryUnknown
		}),
		mk(sillage.TypeNPM, "mit", "1.0", concluded("MIT", sillage.CategoryPermissive)),
		mk(sillage.TypeWindows, "Vendor Tool", "3.1", concluded("LicenseRef-Proprietary", sillage.CategoryProprietary)),
		mk(sillage.TypeDeb, "libreoffice-writer", "4:7.4.7-1", func(c *sillage.Component) {
			concluded("MPL-2.0", sillage.CategoryWeakCopyleft)(c)
			c.SILL = &sillage.SILLMatch{ID: "78", Name: "LibreOffice", Status: "recommended", MinVersion: "7.5", BelowMinimum: true}
		}),
		mk(sillage.TypeDeb, "oldie", "1.0", func(c *sillage.Component) {
			concluded("GPL-2.0-only", sillage.CategoryStrongCopyleft)(c)
			c.SILL = &sillage.SILLMatch{ID: "12", Name: "Oldie", Status: "no-longer-recommended"}
		}),
		mk(sillage.TypeFlatpak, "org.new.App", "2.0", concluded("MIT", sillage.CategoryPermissive)),
		mk(sillage.TypeWindows, "Microsoft Office Professional Plus 2019", "16.0", nil),
	}
	office := comps[len(comps)-1]
	in := policy.Input{Components: comps, Migrations: []sillage.Migration{{ComponentID: office.ID, Product: "Microsoft Office", Category: "office suite",
		Alternatives: []sillage.Alternative{{SILLID: "78", Name: "LibreOffice"}, {SILLID: "200", Name: "OnlyOffice"}}}}}
	fs := eval(t, rules.Default(), in)
	want := map[string][]string{
		"undeclared":         {"LIC-UNDECLARED low"},
		"unmapped":           {"LIC-UNKNOWN low"},
		"Vendor Tool":        {"LIC-PROPRIETARY info", "SILL-NOT-LISTED info"},
		"libreoffice-writer": {"SILL-BELOW-MINIMUM low", "SILL-RECOMMENDED info"},
		"oldie":              {"SILL-NO-LONGER-RECOMMENDED medium"},
		"org.new.App":        {"SILL-NOT-LISTED info"},
		"Microsoft Office Professional Plus 2019": {"LIC-UNDECLARED low", "SILL-MIGRATION info"},
	}
	if diff := cmp.Diff(want, byComponent(comps, fs)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	msgs := map[string]string{}
	for _, f := range fs {
		msgs[f.RuleID] = f.Message
	}
	for rule, msg := range map[string]string{
		"LIC-UNKNOWN":        "the licence of unmapped@1.0 (deb) is not identified: BSD-variant",
		"SILL-MIGRATION":     "Microsoft Office Professional Plus 2019@16.0 is Microsoft Office (office suite); the SILL lists LibreOffice, OnlyOffice",
		"SILL-BELOW-MINIMUM": "libreoffice-writer@4:7.4.7-1 is older than 7.5, the minimal version the SILL recommends for LibreOffice",
		"LIC-PROPRIETARY":    "Vendor Tool@3.1 (windows) is under a proprietary licence (LicenseRef-Proprietary)",
	} {
		if msgs[rule] != msg {
			t.Errorf("%s message %q, want %q", rule, msgs[rule], msg)
		}
	}
}

func TestLicenseLists(t *testing.T) {
	s := loadPolicy(t, `name: lists
version: 1
licenses:
  allow: [MIT, Apache-2.0, GPL-2.0-only]
  deny: [AGPL-3.0-only, SSPL-1.0]
  denyCategories: [proprietary]
`)
	comps := []sillage.Component{
		mk(sillage.TypeNPM, "mit", "1", concluded("MIT", sillage.CategoryPermissive)),
		mk(sillage.TypeNPM, "choice", "1", concluded("MIT OR AGPL-3.0-only", sillage.CategoryPermissive)),
		mk(sillage.TypeNPM, "agpl", "1", concluded("AGPL-3.0-only", sillage.CategoryNetworkCopyleft)),
		mk(sillage.TypeNPM, "both", "1", concluded("Apache-2.0 AND AGPL-3.0-only", sillage.CategoryNetworkCopyleft)),
		mk(sillage.TypeNPM, "either-denied", "1", concluded("AGPL-3.0-only OR SSPL-1.0", sillage.CategoryNetworkCopyleft)),
		mk(sillage.TypeMaven, "classpath", "1", concluded("GPL-2.0-only WITH Classpath-exception-2.0", sillage.CategoryWeakCopyleft)),
		mk(sillage.TypeNPM, "isc", "1", concluded("ISC", sillage.CategoryPermissive)),
		mk(sillage.TypeNPM, "closed", "1", concluded("LicenseRef-Commercial", sillage.CategoryProprietary)),
		// MIT can be chosen: allowed, and not of a denied category
		mk(sillage.TypeNPM, "free-or-closed", "1", concluded("MIT OR LicenseRef-Commercial", sillage.CategoryPermissive)),
		mk(sillage.TypeNPM, "nothing", "1", nil),
	}
	got := byComponent(comps, eval(t, s, policy.Input{Components: comps}))
	want := map[string][]string{
		// an OR lets the user pick the allowed branch
		"agpl":          {"LIC-DENIED high", "LIC-NOT-ALLOWED high"},
		"both":          {"LIC-DENIED high", "LIC-NOT-ALLOWED high"},
		"either-denied": {"LIC-DENIED high", "LIC-NOT-ALLOWED high"},
		// the licence alone on the allow list allows it with an exception
		"isc":    {"LIC-NOT-ALLOWED high"},
		"closed": {"LIC-CATEGORY-DENIED high", "LIC-NOT-ALLOWED high", "LIC-PROPRIETARY info"},
		// unknown is never allowed
		"nothing": {"LIC-NOT-ALLOWED high", "LIC-UNDECLARED low"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestProfiles(t *testing.T) {
	comps := []sillage.Component{
		mk(sillage.TypeNPM, "closed", "1", concluded("LicenseRef-Proprietary", sillage.CategoryProprietary)),
		mk(sillage.TypeDeb, "unmapped", "1", func(c *sillage.Component) {
			c.Licenses.Declared = []sillage.DeclaredLicense{{Value: "custom"}}
			c.Licenses.Category = sillage.CategoryUnknown
		}),
		mk(sillage.TypeDeb, "firefox-esr", "115", func(c *sillage.Component) {
			concluded("MPL-2.0", sillage.CategoryWeakCopyleft)(c)
			c.SILL = &sillage.SILLMatch{ID: "89", Name: "Firefox", Status: "recommended"}
		}),
	}
	tests := map[string]map[string][]string{
		"": {
			"closed": {"LIC-PROPRIETARY info"}, "unmapped": {"LIC-UNKNOWN low"}, "firefox-esr": {"SILL-RECOMMENDED info"},
		},
		"ci": {
			"closed": {"LIC-CATEGORY-DENIED high", "LIC-PROPRIETARY info"}, "unmapped": {"LIC-UNKNOWN medium"},
		},
		"procurement": {
			"closed": {"LIC-PROPRIETARY medium"}, "unmapped": {"LIC-UNKNOWN low"}, "firefox-esr": {"SILL-RECOMMENDED info"},
		},
		"workstation": {
			"closed": {"LIC-PROPRIETARY info"}, "unmapped": {"LIC-UNKNOWN info"}, "firefox-esr": {"SILL-RECOMMENDED info"},
		},
	}
	for profile, want := range tests {
		t.Run(profile, func(t *testing.T) {
			s, err := rules.Default().WithProfile(profile)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, byComponent(comps, eval(t, s, policy.Input{Components: comps}))); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHelpers(t *testing.T) {
	tests := []struct {
		cond string
		want bool
	}{
		{`license.category('MIT OR GPL-3.0-only') == 'permissive'`, true},
		{`license.category('') == 'unknown'`, true},
		{`license.category('not an (expression') == 'unknown'`, true},
		{`license.ids('(MIT OR GPL-2.0+) AND MIT') == ['MIT', 'GPL-2.0-or-later']`, true},
		{`license.frenchList('EUPL-1.2')`, true},
		{`license.frenchList('GPL-2.0-only')`, false},
		{`license.frenchList('GPL-2.0-only OR CECILL-2.1')`, true},
		{`license.allowed('mit', ['MIT'])`, true}, // ids compare without case
		{`license.allowed('', ['MIT'])`, false},
		{`license.denied('', ['MIT'])`, false},
		{`license.categoryDenied('', ['unknown'])`, true},
		{`license.categoryDenied('MIT AND LicenseRef-foo', ['unknown'])`, true},
		{`license.categoryDenied('MIT OR LicenseRef-foo', ['unknown'])`, false},
		{`version.lessThan('1.10', '1.9')`, false},
		{`version.lessThan('deb', '1.0~rc1', '1.0')`, true},
		{`version.lessThan('npm', '1.0.0', '1.0.0-rc.1')`, false},
		{`version.compare('rpm', '1.0^git1', '1.0') == 1`, true},
		{`version.inRange('2.5', '>=2.0,<3.0')`, true},
		{`version.inRange('deb', '1:2.0-1', '<1:2.0')`, false},
		{`version.inRange(component.type, component.version, 'vers:deb/>=1.0|<2.0')`, true},
		{`'x'.upperAscii() == 'X' && ['b', 'a'].sort() == ['a', 'b']`, true},
	}
	comp := mk(sillage.TypeDeb, "pkg", "1.5-2", nil)
	for i, tt := range tests {
		s := loadPolicy(t, fmt.Sprintf("name: h\nversion: 1\nextends: none\nrules:\n  - id: H\n    severity: info\n    condition: %q\n    message: m\n", tt.cond))
		got := len(eval(t, s, policy.Input{Components: []sillage.Component{comp}})) == 1
		if got != tt.want {
			t.Errorf("%d: %s = %v, want %v", i, tt.cond, got, tt.want)
		}
	}
}

func TestFileRules(t *testing.T) {
	files := []policy.File{
		{Path: "/docs/budget.xls", FormatID: "xls", FormatName: "Microsoft Excel 97-2003 Workbook", RGIStatus: "absent", Action: "migrate", Replacements: []string{"ods"}},
		{Path: "/docs/report.docx", FormatID: "docx", FormatName: "Office Open XML Document", RGIStatus: "observation", Action: "review"},
		{Path: "/docs/note.odt", FormatID: "odt", FormatName: "OpenDocument Text", RGIStatus: "recommended", Action: "none"},
		{Path: "/docs/scan.xyz", FormatID: "xyz", FormatName: "Something", RGIStatus: "unknown", Action: "review"},
	}
	fs := eval(t, loadPolicy(t, fileRulesPolicy), policy.Input{Files: files})
	want := map[string][]string{"/docs/budget.xls": {"RGI-FORMAT-MIGRATE low"}, "/docs/report.docx": {"RGI-FORMAT-IN-OBSERVATION info"}}
	if diff := cmp.Diff(want, byComponent(nil, fs)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	for _, f := range fs {
		if f.RuleID == "RGI-FORMAT-MIGRATE" && f.Message != "/docs/budget.xls is Microsoft Excel 97-2003 Workbook (RGI status: absent); the RGI retains ods instead" {
			t.Errorf("message %q", f.Message)
		}
		if f.ComponentID != "" {
			t.Errorf("file finding with a component: %+v", f)
		}
	}
}

// rgiFileRules are per-file RGI rules, as docs/policy.md shows them: one
// finding per document.
const rgiFileRules = `rules:
  - id: RGI-FORMAT-MIGRATE
    severity: low
    title: Document in a format the RGI does not retain
    appliesTo: file
    condition: file.action == 'migrate'
    message: >-
      {{file.path}} is {{file.formatName}} (RGI status: {{file.rgiStatus}}); the RGI retains
      {{size(file.replacements) > 0 ? file.replacements.join(', ') : 'an open format'}} instead
    remediation: >-
      convert the document to an open format of the RGI (ODF for editable office documents,
      PDF/A for documents that are not to be edited)

  - id: RGI-FORMAT-IN-OBSERVATION
    severity: info
    title: Document in a format the RGI keeps in observation
    appliesTo: file
    condition: file.rgiStatus == 'observation'
    message: "{{file.path}} is {{file.formatName}}, in observation in the RGI"
    remediation: prefer the format the RGI recommends for exchanges outside the administration
`

// fileRulesPolicy extends the default policy with rgiFileRules.
const fileRulesPolicy = "name: files\nversion: 1\n" + rgiFileRules

const waiverPolicy = "name: w\nversion: 1\n" + rgiFileRules + `waivers:
  - id: by-purl
    component: {purl: "pkg:npm/left-pad"}
    justification: vendored, replaced in Q3
    expires: 2027-06-30
  - id: by-exact-purl
    rules: [LIC-UNDECLARED]
    component: {purl: "pkg:npm/%40acme/util@2.0.0"}
    justification: internal package
    expires: 2027-06-30
  - id: by-range
    component: {name: "zlib*", type: deb, versions: ">=1:1.2,<1:1.3"}
    justification: upstream licence is Zlib, packaging omits it
    expires: 2027-06-30
  - id: by-rule
    rules: [SILL-NOT-LISTED]
    justification: apps are reviewed by the workstation team
    expires: 2026-12-10
  - id: by-path
    rules: [RGI-FORMAT-MIGRATE]
    path: "archive/**"
    justification: archived documents are not exchanged
    expires: 2027-01-01
  - id: too-old
    rules: [LIC-UNKNOWN]
    justification: was accepted for the 2025 audit
    expires: 2026-11-22
`

func TestWaivers(t *testing.T) {
	s := loadPolicy(t, waiverPolicy)
	purl := func(p string) func(*sillage.Component) { return func(c *sillage.Component) { c.PURL = p } }
	comps := []sillage.Component{
		mk(sillage.TypeNPM, "left-pad", "1.3.0", purl("pkg:npm/left-pad@1.3.0")),
		mk(sillage.TypeNPM, "right-pad", "1.0.0", purl("pkg:npm/right-pad@1.0.0")),
		mk(sillage.TypeNPM, "@acme/util", "2.0.0", purl("pkg:npm/%40acme/util@2.0.0")),
		mk(sillage.TypeNPM, "@acme/util", "2.0.1", purl("pkg:npm/@acme/util@2.0.1")),
		mk(sillage.TypeDeb, "zlib1g", "1:1.2.13.dfsg-1", nil),
		mk(sillage.TypeDeb, "zlib1g", "1:1.3.1-1", nil),
		mk(sillage.TypeWindows, "Some App", "1", concluded("MIT", sillage.CategoryPermissive)),
		mk(sillage.TypeDeb, "unmapped", "1", func(c *sillage.Component) {
			c.Licenses.Declared = []sillage.DeclaredLicense{{Value: "custom"}}
			c.Licenses.Category = sillage.CategoryUnknown
		}),
	}
	files := []policy.File{
		{Path: "/archive/2019/budget.xls", FormatName: "XLS", Action: "migrate"},
		{Path: "/current/budget.xls", FormatName: "XLS", Action: "migrate"},
	}
	fs := eval(t, s, policy.Input{Components: comps, Files: files})
	got := map[string][]string{}
	for _, f := range fs {
		k := f.Path
		for _, c := range comps {
			if c.ID == f.ComponentID {
				k = c.Label()
			}
		}
		if k == "" {
			k = "-"
		}
		v := f.RuleID + " " + string(f.Severity)
		if f.Waiver != nil {
			v += " waived:" + f.Waiver.ID
			if f.Waiver.Justification == "" || f.Waiver.Expires == "" || !strings.HasPrefix(f.Waiver.Source, "p.yaml:") {
				t.Errorf("incomplete waiver %+v", f.Waiver)
			}
		}
		got[k] = append(got[k], v)
	}
	want := map[string][]string{
		"left-pad@1.3.0":           {"LIC-UNDECLARED low waived:by-purl"}, // versionless purl: every version
		"right-pad@1.0.0":          {"LIC-UNDECLARED low"},
		"@acme/util@2.0.0":         {"LIC-UNDECLARED low waived:by-exact-purl"}, // %40 and @ are the same purl
		"@acme/util@2.0.1":         {"LIC-UNDECLARED low"},                      // another version
		"zlib1g@1:1.2.13.dfsg-1":   {"LIC-UNDECLARED low waived:by-range"},      // dpkg order: in range
		"zlib1g@1:1.3.1-1":         {"LIC-UNDECLARED low"},
		"Some App@1":               {"SILL-NOT-LISTED info waived:by-rule"},
		"unmapped@1":               {"LIC-UNKNOWN low"}, // its waiver expired: it counts again
		"/archive/2019/budget.xls": {"RGI-FORMAT-MIGRATE low waived:by-path"},
		"/current/budget.xls":      {"RGI-FORMAT-MIGRATE low"},
		"-":                        {"POLICY-WAIVER-EXPIRED medium", "POLICY-WAIVER-EXPIRING info"},
	}
	for _, v := range got {
		slices.Sort(v)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	for _, f := range fs {
		switch f.RuleID {
		case "POLICY-WAIVER-EXPIRED":
			if f.Message != "waiver too-old (p.yaml:46) expired on 2026-11-22; the findings it accepted count again" {
				t.Errorf("message %q", f.Message)
			}
		case "POLICY-WAIVER-EXPIRING":
			if f.Message != "waiver by-rule (p.yaml:37) expires on 2026-12-10, in 17 days" {
				t.Errorf("message %q", f.Message)
			}
		}
	}
	// a waived finding stays active for nothing but is still there
	n := 0
	for _, f := range fs {
		if !f.Active() {
			n++
		}
	}
	if n != 5 {
		t.Errorf("%d waived findings, want 5", n)
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name, rule string
		want       []string
	}{
		{"undeclared", "condition: component.nmae == 'x'\n    message: m", []string{"p.yaml:7: rule X: condition: undefined field 'nmae'", "    | component.nmae == 'x'\n    |          ^"}},
		{"block scalar line", "condition: |\n      component.name == 'x' &&\n        component.vesion == '1'\n    message: m", []string{"p.yaml:9: rule X: condition: undefined field 'vesion'"}},
		{"not a bool", "condition: component.name\n    message: m", []string{"p.yaml:7: rule X: condition: gives a string; a condition must be true or false"}},
		{"syntax", "condition: component.name ==\n    message: m", []string{"p.yaml:7: rule X: condition: Syntax error"}},
		{"null comparison", "condition: component.sill == null || component.migration != null\n    message: m", []string{"p.yaml:7: rule X: condition: an absent model.SILL is never null, it reads as empty; test it with has()", "an absent model.Migration is never null"}},
		{"wrong variable", "condition: file.path == 'x'\n    message: m", []string{"p.yaml:7: rule X: condition: undeclared reference to 'file'"}},
		{"bad helper arguments", "condition: license.allowed(component.licenses.concluded)\n    message: m", []string{"p.yaml:7: rule X: condition: found no matching overload for 'license.allowed'"}},
		{"message placeholder", "condition: 'true'\n    message: \"{{component.nam}} is bad\"", []string{"p.yaml:8: rule X: message: {{component.nam}}: undefined field 'nam'"}},
		{"unclosed placeholder", "condition: 'true'\n    message: \"{{component.name is bad\"", []string{`p.yaml:8: rule X: message: "{{" without "}}"`}},
		{"remediation line", "condition: 'true'\n    message: m\n    remediation: |\n      first line\n      then {{nope}}", []string{"p.yaml:11: rule X: remediation: {{nope}}: undeclared reference to 'nope'"}},
		{"translation placeholder", "condition: 'true'\n    message: m\n    translations:\n      fr:\n        message: \"{{component.nom}} est mal\"", []string{"p.yaml:11: rule X: translations.fr.message: {{component.nom}}: undefined field 'nom'"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := loadPolicy(t, "name: p\nversion: 1\nextends: none\nrules:\n  - id: X\n    severity: low\n    "+tt.rule+"\n")
			_, err := policy.Compile(s)
			if err == nil {
				t.Fatal("compiled")
			}
			if !errors.Is(err, sillage.ErrInvalidInput) {
				t.Errorf("not marked invalid input: %T", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestEvalError(t *testing.T) {
	s := loadPolicy(t, "name: p\nversion: 1\nextends: none\nrules:\n  - id: X\n    severity: low\n    condition: component.licenses.declared[0].value == 'MIT'\n    message: m\n")
	_, err := policy.Evaluate(t.Context(), s, policy.Input{Components: []sillage.Component{mk(sillage.TypeNPM, "a", "1", nil)}})
	var ee *policy.EvalError
	if !errors.As(err, &ee) || !errors.Is(err, sillage.ErrInvalidInput) {
		t.Fatalf("err = %v (%T)", err, err)
	}
	if !strings.Contains(err.Error(), "p.yaml:7: rule X: condition: on component a@1") {
		t.Errorf("error: %v", err)
	}
}

func TestDisabledRuleIsNotCompiled(t *testing.T) {
	s := rules.Default()
	for i := range s.Rules {
		s.Rules[i].Enabled = s.Rules[i].ID == rules.RuleLicenseUndeclared
	}
	e, err := policy.Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := e.Evaluate(t.Context(), policy.Input{Components: []sillage.Component{
		mk(sillage.TypeWindows, "x", "1", nil), // also not on the SILL, but that rule is off
	}, Now: scanTime})
	if err != nil || len(fs) != 1 || fs[0].RuleID != rules.RuleLicenseUndeclared {
		t.Errorf("findings %+v, err %v", fs, err)
	}
}

func TestTemplates(t *testing.T) {
	comp := mk(sillage.TypeNPM, "a", "1.0", func(c *sillage.Component) {
		c.Locations = []string{"/x/package-lock.json", "/y/package-lock.json"}
		c.Licenses.Detected = []sillage.DetectedLicense{{SPDX: "MIT", Coverage: 97.5}}
	})
	for tmpl, want := range map[string]string{
		"plain text": "plain text",
		"{{component.name}}@{{component.version}}":        "a@1.0",
		"in {{component.locations}}":                      "in /x/package-lock.json, /y/package-lock.json",
		"{{component.licenses.detected[0].coverage}}%":    "97.5%",
		"{{size(component.locations)}} places":            "2 places",
		"{{has(component.sill)}}":                         "false",
		"literal {{'{{'}} and {{'}}'}}":                   "literal {{ and }}",
		"{{ component.name == 'a' ? 'yes' : 'no' }}":      "yes",
		"{{component.locations.map(l, l.split('/')[1])}}": "x, y",
	} {
		s := loadPolicy(t, fmt.Sprintf("name: t\nversion: 1\nextends: none\nrules:\n  - id: T\n    severity: info\n    condition: 'true'\n    message: %q\n", tmpl))
		fs := eval(t, s, policy.Input{Components: []sillage.Component{comp}})
		if len(fs) != 1 || fs[0].Message != want {
			t.Errorf("%q gave %+v, want %q", tmpl, fs, want)
		}
	}
	s := loadPolicy(t, "name: t\nversion: 1\nextends: none\nrules:\n  - id: T\n    severity: info\n    condition: 'true'\n    message: \"a }} b\"\n")
	if _, err := policy.Compile(s); err == nil || !strings.Contains(err.Error(), `"}}" without "{{"`) {
		t.Errorf("stray }}: %v", err)
	}
}

func TestTranslations(t *testing.T) {
	s := loadPolicy(t, `name: p
version: 1
extends: none
rules:
  - id: X
    severity: low
    condition: "true"
    message: "{{component.label}} is bad"
    remediation: fix it
    translations:
      fr:
        message: "{{component.label}} est mauvais"
        remediation: "le corriger"
      de:
        message: "{{component.label}} ist schlecht"
`)
	fs := eval(t, s, policy.Input{Components: []sillage.Component{mk(sillage.TypeNPM, "left-pad", "1.3.0", nil)}})
	if len(fs) != 1 {
		t.Fatalf("%d findings, want 1", len(fs))
	}
	f := fs[0]
	if f.Message != "left-pad@1.3.0 is bad" || f.Remediation != "fix it" {
		t.Errorf("own text %q / %q", f.Message, f.Remediation)
	}
	want := map[string]sillage.FindingText{
		"fr": {Message: "left-pad@1.3.0 est mauvais", Remediation: "le corriger"},
		"de": {Message: "left-pad@1.3.0 ist schlecht", Remediation: "fix it"}, // no remediation given: the rule's own
	}
	if diff := cmp.Diff(want, f.Translations); diff != "" {
		t.Errorf("translations (-want +got):\n%s", diff)
	}
	if m, r := f.Text("fr"); m != "left-pad@1.3.0 est mauvais" || r != "le corriger" {
		t.Errorf("Text(fr) = %q, %q", m, r)
	}
	if m, _ := f.Text("en"); m != "left-pad@1.3.0 is bad" {
		t.Errorf("Text(en) = %q, want the rule's own message", m)
	}
	// every rule of the default policy speaks French
	for _, r := range rules.Default().Rules {
		if r.Translations["fr"].Message == "" || r.Translations["fr"].Remediation == "" {
			t.Errorf("default rule %s has no complete French translation", r.ID)
		}
	}
}

func TestRuleInfos(t *testing.T) {
	fs := []sillage.Finding{{RuleID: "SILL-RECOMMENDED"}, {RuleID: "RGI-MIGRATE"}, {RuleID: "SILL-RECOMMENDED"}, {RuleID: "LIC-UNDECLARED"}}
	got := policy.RuleInfos(fs, rules.Default())
	want := []sillage.RuleInfo{
		{ID: "LIC-UNDECLARED", Title: "Component declares no licence"},
		{ID: "RGI-MIGRATE", Title: "Document format to migrate to an open format (RGI)"},
		{ID: "SILL-RECOMMENDED", Title: "Component is recommended by the SILL"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("RuleInfos (-want +got):\n%s", diff)
	}
	if policy.RuleInfos(nil, rules.Default()) != nil {
		t.Error("rules without findings")
	}
}
