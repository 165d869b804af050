package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/sillage-oss/sillage"
)

// SARIF 2.1.0 (OASIS), as code-scanning services read it (GitHub code
// scanning, GitLab, Azure DevOps, SonarQube). One run; one rule per rule
// ID found; one result per finding, waived findings included with a
// suppression, baseline findings with their baselineState.

const (
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion = "2.1.0"
	// sarifRoot is the uriBaseId of artifact locations: the scanned
	// directory for dir: and host: targets, the directory holding the
	// target file (SBOM, image archive) for the others.
	sarifRoot = "TARGETROOT"
	// sillageURI is the tool's home page in SARIF's driver.informationUri.
	sillageURI = "https://github.com/sillage-oss/sillage"
)

type sarifReporter struct{}

func newSARIF(Options) Reporter { return sarifReporter{} }

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                        `json:"tool"`
	Invocations        []sarifInvocation                `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult                    `json:"results"`
	Properties         map[string]any                   `json:"properties,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	ShortDescription     *sarifMessage     `json:"shortDescription,omitempty"`
	Help                 *sarifMessage     `json:"help,omitempty"`
	DefaultConfiguration sarifRuleConfig   `json:"defaultConfiguration"`
	Properties           map[string]string `json:"properties,omitempty"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	StartTimeUTC               string              `json:"startTimeUtc,omitempty"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string       `json:"level"`
	Message sarifMessage `json:"message"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifMessage       `json:"message"`
	Locations           []sarifLocation    `json:"locations,omitempty"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	BaselineState       string             `json:"baselineState,omitempty"`
	Properties          map[string]string  `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifLogicalLocation struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName,omitempty"`
	Kind               string `json:"kind,omitempty"`
}

type sarifSuppression struct {
	Kind          string            `json:"kind"`
	Status        string            `json:"status"`
	Justification string            `json:"justification"`
	Properties    map[string]string `json:"properties,omitempty"`
}

// sarifLevel maps a severity to a SARIF level: critical and high are
// errors, medium a warning, low and info notes.
func sarifLevel(s sillage.Severity) string {
	switch s {
	case sillage.SeverityCritical, sillage.SeverityHigh:
		return "error"
	case sillage.SeverityMedium:
		return "warning"
	}
	return "note"
}

func (sarifReporter) Report(w io.Writer, res sillage.Result) error {
	res.Normalize()
	ix := newIndex(res)
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{Name: "sillage", Version: res.Tool.Version, InformationURI: sillageURI, Rules: []sarifRule{}}},
		Invocations: []sarifInvocation{{
			ExecutionSuccessful: true,
			StartTimeUTC:        res.ScannedAt.UTC().Format(time.RFC3339),
		}},
		Results:    []sarifResult{},
		Properties: map[string]any{"target": res.Target.String()},
	}
	for _, wn := range res.Warnings {
		run.Invocations[0].ToolExecutionNotifications = append(run.Invocations[0].ToolExecutionNotifications,
			sarifNotification{Level: "warning", Message: sarifMessage{Text: wn}})
	}
	if res.Host != nil && res.Host.Name != "" {
		run.Properties["host"] = res.Host.Name
	}
	for _, c := range res.Catalogs {
		run.Properties["catalog:"+c.Name] = c.Version
	}
	if root := sarifRootURI(res.Target); root != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLocation{sarifRoot: {URI: root}}
	}

	// rules, in order of first appearance (findings are sorted by
	// severity), with the most serious severity seen as default level
	ruleIndex := map[string]int{}
	ruleTitles := map[string]string{}
	for _, ri := range res.Rules {
		ruleTitles[ri.ID] = ri.Title
	}
	for _, f := range res.Findings {
		if _, ok := ruleIndex[f.RuleID]; !ok {
			ruleIndex[f.RuleID] = len(run.Tool.Driver.Rules)
			r := sarifRule{ID: f.RuleID, DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(f.Severity)},
				Properties: map[string]string{"severity": string(f.Severity)}}
			if f.Remediation != "" {
				r.Help = &sarifMessage{Text: f.Remediation}
			}
			if t := ruleTitles[f.RuleID]; t != "" {
				r.ShortDescription = &sarifMessage{Text: t}
			}
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, r)
		}
	}

	for _, f := range res.Findings {
		c, hasComp := ix.byID[f.ComponentID]
		r := sarifResult{
			RuleID:              f.RuleID,
			RuleIndex:           ruleIndex[f.RuleID],
			Level:               sarifLevel(f.Severity),
			Message:             sarifMessage{Text: f.Message},
			PartialFingerprints: map[string]string{"sillageFinding/v1": findingFingerprint(f, c)},
			Properties:          map[string]string{"severity": string(f.Severity)},
		}
		if f.Remediation != "" {
			r.Properties["remediation"] = f.Remediation
		}
		loc := sarifLocation{PhysicalLocation: &sarifPhysicalLocation{
			ArtifactLocation: sarifArtifactLocation{URI: sarifArtifactURI(res.Target, f, c), URIBaseID: sarifRoot}}}
		if hasComp {
			fqn := c.PURL
			if fqn == "" {
				fqn = c.Label()
			}
			loc.LogicalLocations = []sarifLogicalLocation{{Name: c.Label(), FullyQualifiedName: fqn, Kind: "package"}}
			r.Properties["componentId"] = c.ID
			if c.PURL != "" {
				r.Properties["purl"] = c.PURL
			}
		}
		r.Locations = []sarifLocation{loc}
		if wv := f.Waiver; wv != nil {
			r.Suppressions = []sarifSuppression{{
				Kind: "external", Status: "accepted", Justification: wv.Justification,
				Properties: map[string]string{"waiverId": wv.ID, "expires": wv.Expires, "source": wv.Source},
			}}
		}
		switch f.Baseline {
		case sillage.BaselineNew:
			r.BaselineState = "new"
		case sillage.BaselineExisting:
			r.BaselineState = "unchanged"
		}
		run.Results = append(run.Results, r)
	}

	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}); err != nil {
		return fmt.Errorf("encode sarif: %w", err)
	}
	return nil
}

// findingFingerprint identifies a finding across scans for services that
// track alerts: the rule, the component's type and name (not its version:
// an upgrade that leaves the finding is the same alert) and the file.
func findingFingerprint(f sillage.Finding, c sillage.Component) string {
	h := sha256.New()
	for _, s := range []string{f.RuleID, string(c.Type), c.Name, f.Path, firstLocation(c)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

func firstLocation(c sillage.Component) string {
	if len(c.Locations) == 0 {
		return ""
	}
	return c.Locations[0]
}

// fileTarget reports whether the target is one file (SBOM, image
// archive) whose content is not a file tree the user has in a checkout.
func fileTarget(t sillage.Target) bool {
	switch t.Scheme {
	case sillage.SchemeDir, sillage.SchemeHost:
		return false
	}
	return true
}

// sarifRootURI is the file URI the artifact locations are relative to.
func sarifRootURI(t sillage.Target) string {
	if t.Path == "" {
		return ""
	}
	dir := strings.ReplaceAll(t.Path, `\`, "/")
	if fileTarget(t) {
		dir = path.Dir(dir)
	}
	if !strings.HasPrefix(dir, "/") {
		dir = "/" + dir // a Windows path: C:/x → /C:/x
	}
	if !strings.HasSuffix(dir, "/") {
		dir += "/"
	}
	return (&url.URL{Scheme: "file", Path: dir}).String()
}

// sarifArtifactURI is the file a finding points at, relative to the
// target root: the finding's file, else the manifest or database that
// revealed the component (an archive for a file inside it); for an SBOM or
// image, the target file itself. Every result gets one: GitHub code
// scanning rejects a whole file when one result has no artifact location
// (codeql-action issues 1738 and 2459, "locationFromSarifResult"). A
// location that is not a path (a Windows registry key) becomes one
// escaped segment, and a finding about the whole target points at ".".
func sarifArtifactURI(t sillage.Target, f sillage.Finding, c sillage.Component) string {
	if fileTarget(t) && t.Path != "" {
		return uriSegment(path.Base(strings.ReplaceAll(t.Path, `\`, "/")))
	}
	p := f.Path
	if p == "" {
		p = firstLocation(c)
	}
	if i := strings.Index(p, "!/"); i >= 0 {
		p = p[:i]
	}
	switch {
	case p == "":
		return "."
	case !strings.HasPrefix(p, "/") || strings.Contains(p, `\`):
		return uriSegment(p)
	}
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	segs = slices.DeleteFunc(segs, func(s string) bool { return s == "" || s == "." })
	if len(segs) == 0 || slices.Contains(segs, "..") {
		return "."
	}
	for i, s := range segs {
		segs[i] = uriSegment(s)
	}
	return strings.Join(segs, "/")
}

// uriSegment escapes s as one segment of a relative URI reference; a
// colon is escaped too, since in a first segment it would read as a
// scheme.
func uriSegment(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
}
