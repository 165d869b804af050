package policy

import (
	"strings"
	"testing"

	"github.com/sillage-oss/sillage"
)

func TestEvaluateFormats(t *testing.T) {
	inv := &sillage.FormatInventory{Summary: []sillage.FormatSummary{
		{FormatID: "doc", Name: "Microsoft Word 97-2003 binary document", Files: 312, Action: "migrate", Severity: sillage.SeverityHigh,
			RGIStatus: "absent", Replacement: "odt", ConvertWith: []sillage.ConvertTool{{SILLID: "78", Name: "LibreOffice"}}},
		{FormatID: "docx", Variant: "transitional", Name: "Office Open XML WordprocessingML", Files: 1, Action: "migrate", Severity: sillage.SeverityMedium,
			RGIStatus: "not-recommended", Replacement: "odt"},
		{FormatID: "ooxml-macro", Name: "Macro-enabled OOXML", Files: 2, Action: "review", Severity: sillage.SeverityMedium, RGIStatus: "unverified"},
		{FormatID: "odt", Name: "OpenDocument Text", Files: 40, Action: "none", Severity: sillage.SeverityInfo, RGIStatus: "recommended"},
	}}
	fs := EvaluateFormats(inv)
	if len(fs) != 3 {
		t.Fatalf("%d findings, want one per format to migrate or review: %+v", len(fs), fs)
	}
	if fs[0].RuleID != RuleRGIMigrate || fs[0].Severity != sillage.SeverityHigh || fs[0].ComponentID != "" ||
		!strings.Contains(fs[0].Message, "312 files are Microsoft Word 97-2003 binary document (doc), RGI status absent; migrate to odt with LibreOffice (SILL 78)") {
		t.Errorf("first finding %+v", fs[0])
	}
	if fs[1].Severity != sillage.SeverityMedium || !strings.Contains(fs[1].Message, "1 file is Office Open XML WordprocessingML Transitional (docx), RGI status not-recommended") {
		t.Errorf("second finding %+v", fs[1])
	}
	// the review rule caps the format's severity at its own (low)
	if fs[2].RuleID != RuleRGIReview || fs[2].Severity != sillage.SeverityLow || !strings.Contains(fs[2].Message, "RGI status not verified") {
		t.Errorf("third finding %+v", fs[2])
	}
	if got := EvaluateFormats(nil); len(got) != 0 {
		t.Errorf("no inventory: %v", got)
	}
	for _, r := range FormatRules {
		if r.Severity.Rank() == 0 || r.Remediation == "" {
			t.Errorf("rule %+v", r)
		}
	}
}
