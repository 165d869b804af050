package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/sillage-oss/sillage"
)

// ParseBaseline reads a previous result document (`sillage scan -o
// json`) to compare a scan with. It checks that the document is a
// sillage result of a schema version this build reads; fields it does
// not know (from a newer sillage of the same schema version) are ignored.
func ParseBaseline(data []byte) (sillage.Result, error) {
	var head struct {
		SchemaVersion *int `json:"schemaVersion"`
		Tool          struct {
			Name string `json:"name"`
		} `json:"tool"`
		Findings json.RawMessage `json:"findings"`
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return sillage.Result{}, errors.New("empty file: not a sillage result")
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return sillage.Result{}, fmt.Errorf("not a sillage result (JSON): %w", jsonError(data, err))
	}
	switch {
	case head.SchemaVersion == nil || head.Tool.Name != "sillage":
		return sillage.Result{}, errors.New("not a sillage result: no schemaVersion or tool.name is not sillage; give a file written by 'sillage scan -o json'")
	case *head.SchemaVersion > sillage.SchemaVersion:
		return sillage.Result{}, fmt.Errorf("schema version %d is newer than the %d this sillage reads; upgrade sillage", *head.SchemaVersion, sillage.SchemaVersion)
	case *head.SchemaVersion < 1:
		return sillage.Result{}, fmt.Errorf("schema version %d is not a sillage schema version", *head.SchemaVersion)
	case head.Findings == nil || string(head.Findings) == "null":
		return sillage.Result{}, errors.New("not a sillage result: it has no findings list")
	}
	var r sillage.Result
	if err := json.Unmarshal(data, &r); err != nil {
		return sillage.Result{}, fmt.Errorf("not a sillage result: %w", jsonError(data, err))
	}
	return r, nil
}

// jsonError adds the line to a JSON syntax error.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n")) + 1
		return fmt.Errorf("line %d: %w", line, err)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		line := bytes.Count(data[:min(int(te.Offset), len(data))], []byte("\n")) + 1
		return fmt.Errorf("line %d: field %s: %w", line, te.Field, err)
	}
	return err
}

// Fingerprint is what identifies a finding across scans: its rule and
// its subject. The subject of a finding about a component is the package
// whatever its version: its package URL without version, qualifiers or
// subpath ("npm/lodash"), or its type and name when it has none; about a
// file, its path; about neither, its message.
func Fingerprint(f sillage.Finding, c *sillage.Component) string {
	return f.RuleID + "\x00" + subject(f, c)
}

func subject(f sillage.Finding, c *sillage.Component) string {
	switch {
	case c != nil:
		if p, ok := parsePURL(c.PURL); ok {
			return "purl:" + p.identity()
		}
		return "component:" + string(c.Type) + "/" + strings.ToLower(c.Name)
	case f.ComponentID != "":
		return "component-id:" + f.ComponentID
	case f.Path != "":
		return "file:" + f.Path
	}
	return "message:" + f.Message
}

// exact is the identity of a finding within one place: same rule, same
// component at the same place (its ID), same file.
func exact(f sillage.Finding) string {
	k := f.RuleID + "\x00" + f.ComponentID + "\x00" + f.Path
	if f.ComponentID == "" && f.Path == "" {
		k += "\x00" + f.Message
	}
	return k
}

// MarkBaseline sets Baseline on every finding: BaselineExisting when the
// previous result had the same finding, BaselineNew otherwise. A finding
// is the same when it has the same rule and the same component ID (the
// same package at the same place), or else the same Fingerprint: a
// package upgraded, or moved, keeps its findings existing. Each previous
// finding matches one finding at most, so a second copy of a package with
// the same problem is new. comps are the components findings refer to.
func MarkBaseline(findings []sillage.Finding, comps []sillage.Component, prev sillage.Result) {
	prevComps := make(map[string]*sillage.Component, len(prev.Components))
	for i := range prev.Components {
		prevComps[prev.Components[i].ID] = &prev.Components[i]
	}
	curComps := make(map[string]*sillage.Component, len(comps))
	for i := range comps {
		curComps[comps[i].ID] = &comps[i]
	}
	used := make([]bool, len(prev.Findings))
	byExact := map[string][]int{}
	byPrint := map[string][]int{}
	for i, f := range prev.Findings {
		byExact[exact(f)] = append(byExact[exact(f)], i)
		fp := Fingerprint(f, prevComps[f.ComponentID])
		byPrint[fp] = append(byPrint[fp], i)
	}
	take := func(idx []int) bool {
		for _, i := range idx {
			if !used[i] {
				used[i] = true
				return true
			}
		}
		return false
	}
	for i := range findings {
		findings[i].Baseline = sillage.BaselineNew
		if take(byExact[exact(findings[i])]) {
			findings[i].Baseline = sillage.BaselineExisting
		}
	}
	for i := range findings {
		f := &findings[i]
		if f.Baseline == sillage.BaselineExisting {
			continue
		}
		if take(byPrint[Fingerprint(*f, curComps[f.ComponentID])]) {
			f.Baseline = sillage.BaselineExisting
		}
	}
}
