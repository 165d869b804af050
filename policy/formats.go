package policy

import (
	"fmt"
	"strings"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/rules"
)

// The rules about the format inventory of a tree. They are summaries,
// one finding per format found, never one per file: a share holds millions
// of files. They are kept out of the component policy (rules.Set) so that
// they apply whatever policy file is in force.
const (
	// RuleRGIMigrate flags a document format the RGI data says to migrate
	// (legacy Microsoft binary files, OOXML documents, proprietary
	// formats).
	RuleRGIMigrate = rules.RuleRGIMigrate
	// RuleRGIReview notes a document format to review (OOXML spreadsheets,
	// formats whose RGI status is in observation or unknown and that carry
	// patents or belong to one vendor).
	RuleRGIReview = rules.RuleRGIReview
)

// FormatRules are the format-inventory rules: the severity is the most a
// finding may have (the format's own severity applies below it).
var FormatRules = []rules.Rule{{
	ID:          RuleRGIMigrate,
	Severity:    sillage.SeverityHigh,
	Title:       "Document format to migrate to an open format (RGI)",
	Remediation: "convert the files with the SILL software named in the format summary ('sillage formats --migrate-list FILE.csv' lists them); documents exchanged with partners come first",
}, {
	ID:          RuleRGIReview,
	Severity:    sillage.SeverityLow,
	Title:       "Document format to review (RGI)",
	Remediation: "check whether these files are exchanged outside the administration; if so, prefer the open replacement in the format summary",
}}

var formatRules = map[string]string{RuleRGIMigrate: "migrate", RuleRGIReview: "review"}

// formatRemediationFR are the rules' remediations in French.
var formatRemediationFR = map[string]string{
	RuleRGIMigrate: "convertir les fichiers avec le logiciel du SILL indiqué dans la synthèse des formats (« sillage formats --migrate-list FICHIER.csv » en donne la liste) ; commencer par les documents échangés avec des partenaires",
	RuleRGIReview:  "vérifier si ces fichiers sont échangés hors de l'administration ; si oui, préférer le format ouvert indiqué dans la synthèse des formats",
}

// EvaluateFormats applies FormatRules to a format inventory: one finding
// per format (and OOXML variant) whose action is that of the rule, never
// one per file. The finding's severity is the format's (a legacy .doc is
// high, an OOXML document low, OOXML Transitional medium), capped by the
// rule's.
func EvaluateFormats(inv *sillage.FormatInventory) []sillage.Finding {
	findings := []sillage.Finding{}
	if inv == nil {
		return findings
	}
	for _, r := range FormatRules {
		action, ok := formatRules[r.ID]
		if !ok {
			continue
		}
		for _, s := range inv.Summary {
			if s.Action != action {
				continue
			}
			sev := s.Severity
			if sev.Rank() == 0 || sev.Rank() > r.Severity.Rank() {
				sev = r.Severity
			}
			findings = append(findings, sillage.Finding{
				RuleID:      r.ID,
				Severity:    sev,
				Message:     formatMessage(s),
				Remediation: r.Remediation,
				Translations: map[string]sillage.FindingText{
					"fr": {Message: formatMessageFR(s), Remediation: formatRemediationFR[r.ID]},
				},
			})
		}
	}
	sillage.SortFindings(findings)
	return findings
}

func formatMessage(s sillage.FormatSummary) string {
	name := s.Name
	if s.Variant != "" {
		name += " " + strings.ToUpper(s.Variant[:1]) + s.Variant[1:]
	}
	noun := "files are"
	if s.Files == 1 {
		noun = "file is"
	}
	msg := fmt.Sprintf("%d %s %s (%s)", s.Files, noun, name, s.FormatID)
	switch s.RGIStatus {
	case "", "unverified", "unknown":
		msg += ", RGI status not verified"
	default:
		msg += ", RGI status " + s.RGIStatus
	}
	if s.Replacement != "" {
		msg += "; " + s.Action + " to " + s.Replacement
		if len(s.ConvertWith) > 0 {
			var ts []string
			for _, t := range s.ConvertWith {
				ts = append(ts, fmt.Sprintf("%s (SILL %s)", t.Name, t.SILLID))
			}
			msg += " with " + strings.Join(ts, " or ")
		}
	}
	return msg
}

// FilesOf lists the files of a format inventory as the `file` variable of
// file rules sees them.
func FilesOf(inv *sillage.FormatInventory) []File {
	if inv == nil {
		return nil
	}
	names := map[string]string{}
	for _, s := range inv.Summary {
		names[s.FormatID] = s.Name
	}
	out := make([]File, 0, len(inv.Files))
	for _, f := range inv.Files {
		repl := []string{}
		if f.Replacement != "" {
			repl = append(repl, f.Replacement)
		}
		out = append(out, File{
			Path: f.Path, FormatID: f.FormatID, FormatName: names[f.FormatID],
			RGIStatus: f.RGIStatus, RGIConfidence: f.Confidence, Action: f.Action, Replacements: repl,
		})
	}
	return out
}

// formatMessageFR is formatMessage in French.
func formatMessageFR(s sillage.FormatSummary) string {
	name := s.Name
	if s.Variant != "" {
		name += " " + strings.ToUpper(s.Variant[:1]) + s.Variant[1:]
	}
	msg := fmt.Sprintf("%d fichiers sont au format %s (%s)", s.Files, name, s.FormatID)
	if s.Files == 1 {
		msg = fmt.Sprintf("1 fichier est au format %s (%s)", name, s.FormatID)
	}
	switch s.RGIStatus {
	case "", "unverified", "unknown":
		msg += ", statut RGI non vérifié"
	default:
		msg += ", statut RGI : " + s.RGIStatus
	}
	if s.Replacement != "" {
		verb := "à migrer"
		if s.Action == "review" {
			verb = "à examiner, remplacement possible"
		}
		msg += " ; " + verb + " vers " + s.Replacement
		if len(s.ConvertWith) > 0 {
			var ts []string
			for _, t := range s.ConvertWith {
				ts = append(ts, fmt.Sprintf("%s (SILL %s)", t.Name, t.SILLID))
			}
			msg += " avec " + strings.Join(ts, " ou ")
		}
	}
	return msg
}
