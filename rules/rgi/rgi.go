// Package rgi holds the file formats of the French Référentiel Général
// d'Interopérabilité (RGI v2.0): their status, how sure the research is of
// that status, the action sillage suggests, the open replacement, the SILL
// software that converts them, their PRONOM ids and the content signatures
// that identify them.
//
// The data is formats.yaml in this directory, derived from the project's
// researched table; SOURCE.md gives its provenance and sources.
// Statuses are only reported as RGI rulings when their confidence is one
// of rgi-text, secondary or official-derivative: see Format.Reported.
package rgi

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/sillage-oss/sillage"
)

//go:embed formats.yaml
var formatsYAML []byte

// Statuses an RGI entry may have.
const (
	StatusRecommended    = "recommended"
	StatusObservation    = "observation"
	StatusNotRecommended = "not-recommended"
	StatusEndOfLife      = "end-of-life"
	StatusAbsent         = "absent"
	StatusUnknown        = "unknown"
	// StatusUnverified is what sillage reports instead of a status whose
	// confidence is too low to be presented as the RGI's ruling.
	StatusUnverified = "unverified"
)

// Actions sillage suggests for a format.
const (
	ActionNone    = "none"
	ActionReview  = "review"
	ActionMigrate = "migrate"
)

var (
	statuses    = []string{StatusRecommended, StatusObservation, StatusNotRecommended, StatusEndOfLife, StatusAbsent, StatusUnknown}
	confidences = []string{"rgi-text", "secondary", "official-derivative", "draft", "inferred", "unverified"}
	// reportable confidences: SOURCE.md's rule
	reportable = []string{"rgi-text", "secondary", "official-derivative"}
	actions    = []string{ActionNone, ActionReview, ActionMigrate}
	strengths  = []string{"", "definitive", "strong", "heuristic"}
	kinds      = []string{"magic", "ascii", "zip-mimetype", "zip-entry", "zip-entry-contains", "cfb-stream", "cfb-stream-contains",
		"xml-root", "xmp-contains", "riff", "isobmff-brand", "ebml-doctype", "ogg-codec", "json-key", "text", "all"}
)

// Table is the whole formats.yaml.
type Table struct {
	SchemaVersion int       `yaml:"schema_version"`
	RGI           Reference `yaml:"rgi"`
	Formats       []Format  `yaml:"formats"`

	byID map[string]int
}

// Reference describes the RGI document itself.
type Reference struct {
	Title             string            `yaml:"title"`
	Version           string            `yaml:"version"`
	DocumentDate      string            `yaml:"document_date"`
	ApprovedBy        string            `yaml:"approved_by"`
	Publisher         string            `yaml:"publisher"`
	StatusInForce     string            `yaml:"status_in_force_per_dinum"`
	URL               string            `yaml:"url"`
	ScopeQuote        string            `yaml:"scope_quote"`
	StatusDefinitions map[string]string `yaml:"status_definitions"`
}

// Format is one entry of the table.
type Format struct {
	ID           string   `yaml:"id"`
	Name         string   `yaml:"name"`
	Family       string   `yaml:"family"`
	Domain       string   `yaml:"domain"`
	Spec         string   `yaml:"spec"`
	OpenStandard string   `yaml:"open_standard"` // true, false or partial
	RGI          Status   `yaml:"rgi"`
	Action       string   `yaml:"action"`
	Severity     string   `yaml:"severity"`
	Replacement  []string `yaml:"replacement"`
	// Tools is the research's free text on software that handles the
	// format; ConvertWith is the same as SILL references.
	Tools       []string `yaml:"tools"`
	ConvertWith []Tool   `yaml:"convert_with"`
	Extensions  []string `yaml:"extensions"`
	MimeTypes   []string `yaml:"mime_types"`
	// Pronom lists the format's PRONOM ids; the first is reported when the
	// version is not determined.
	Pronom []string `yaml:"pronom"`
	// PronomByVersion gives the id of each version or variant sillage can
	// tell apart ("1.2", "transitional", "2b", "default").
	PronomByVersion map[string]string `yaml:"pronom_by_version"`
	Signatures      []Signature       `yaml:"signatures"`

	VersionCheck          map[string]any `yaml:"version_check"`
	ConformanceClassCheck *Conformance   `yaml:"conformance_class_check"`
	Detail                map[string]any `yaml:"detail"`
	AppliesTo             []string       `yaml:"applies_to"`
	Notes                 string         `yaml:"notes"`
}

// Status is an entry's RGI status with the evidence for it.
type Status struct {
	Status     string `yaml:"status"`
	Confidence string `yaml:"confidence"`
	Evidence   string `yaml:"evidence"`
}

// Tool is SILL software that converts a format to its replacement.
type Tool struct {
	SILL int    `yaml:"sill"`
	Name string `yaml:"name"`
}

// Conformance tells OOXML Strict from Transitional.
type Conformance struct {
	Strict        PartCheck `yaml:"strict"`
	Transitional  PartCheck `yaml:"transitional"`
	OnTransitonal struct {
		RGIStatus string `yaml:"rgi_status"`
		Severity  string `yaml:"severity"`
	} `yaml:"on_transitional"`
}

// PartCheck looks for a string in the first bytes of a ZIP entry.
type PartCheck struct {
	ZipEntry string `yaml:"zip_entry"`
	Contains string `yaml:"contains"`
	Within   int    `yaml:"within"`
}

// Signature is one way to identify a format by content (the kinds are
// documented at the top of formats.yaml).
type Signature struct {
	Kind     string      `yaml:"kind"`
	Offset   int         `yaml:"offset"`
	Hex      string      `yaml:"hex"`
	Value    string      `yaml:"value"`
	Path     string      `yaml:"path"`
	Within   int         `yaml:"within"`
	Local    string      `yaml:"local"`
	NS       string      `yaml:"ns"`
	NSPrefix string      `yaml:"ns_prefix"`
	Form     string      `yaml:"form"`
	Brands   []string    `yaml:"brands"`
	Key      string      `yaml:"key"`
	Values   []string    `yaml:"values"`
	Encoding string      `yaml:"encoding"`
	Of       []Signature `yaml:"of"`
	// Strength is definitive (the default), strong or heuristic.
	Strength string `yaml:"strength"`
}

// Load returns the embedded table. It is parsed on first use and shared:
// callers must not modify it. It never fails: TestEmbedded guarantees that
// the embedded data is valid.
func Load() *Table { return embedded() }

var embedded = sync.OnceValue(func() *Table {
	t, err := Parse(formatsYAML)
	if err != nil {
		panic("rgi: embedded formats.yaml: " + err.Error())
	}
	return t
})

// Ref is how a Result records the format table it used.
func (t *Table) Ref() sillage.CatalogRef {
	return sillage.CatalogRef{Name: "rgi-formats", Version: "rgi-" + t.RGI.Version + "+sillage-1", Source: "embedded"}
}

// Parse reads a formats.yaml document and validates it.
func Parse(data []byte) (*Table, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var t Table
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("formats.yaml: %w", err)
	}
	if err := t.validate(); err != nil {
		return nil, err
	}
	return &t, nil
}

func (t *Table) validate() error {
	if t.SchemaVersion != 1 {
		return fmt.Errorf("formats.yaml: schema_version %d, want 1", t.SchemaVersion)
	}
	t.byID = map[string]int{}
	for i := range t.Formats {
		f := &t.Formats[i]
		if f.ID == "" {
			return fmt.Errorf("formats.yaml: format %d has no id", i+1)
		}
		if _, dup := t.byID[f.ID]; dup {
			return fmt.Errorf("formats.yaml: %s: duplicate id", f.ID)
		}
		t.byID[f.ID] = i
		bad := func(what, v string, allowed []string) error {
			return fmt.Errorf("formats.yaml: %s: %s %q is not one of %s", f.ID, what, v, strings.Join(allowed, ", "))
		}
		if !slices.Contains(statuses, f.RGI.Status) {
			return bad("rgi.status", f.RGI.Status, statuses)
		}
		if !slices.Contains(confidences, f.RGI.Confidence) {
			return bad("rgi.confidence", f.RGI.Confidence, confidences)
		}
		if !slices.Contains(actions, f.Action) {
			return bad("action", f.Action, actions)
		}
		if sillage.Severity(f.Severity).Rank() == 0 {
			return fmt.Errorf("formats.yaml: %s: severity %q is not a severity", f.ID, f.Severity)
		}
		for j, s := range f.Signatures {
			if err := s.validate(); err != nil {
				return fmt.Errorf("formats.yaml: %s: signature %d: %w", f.ID, j+1, err)
			}
		}
		for _, p := range append(slices.Clone(f.Pronom), mapValues(f.PronomByVersion)...) {
			if !strings.HasPrefix(p, "fmt/") && !strings.HasPrefix(p, "x-fmt/") {
				return fmt.Errorf("formats.yaml: %s: %q is not a PRONOM id", f.ID, p)
			}
		}
		for _, c := range f.ConvertWith {
			if c.SILL <= 0 || c.Name == "" {
				return fmt.Errorf("formats.yaml: %s: convert_with needs a SILL id and a name", f.ID)
			}
		}
	}
	for _, f := range t.Formats {
		for _, r := range f.Replacement {
			if _, ok := t.byID[r]; !ok {
				return fmt.Errorf("formats.yaml: %s: replacement %q is not a format id", f.ID, r)
			}
		}
	}
	return nil
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func (s Signature) validate() error {
	if !slices.Contains(kinds, s.Kind) {
		return fmt.Errorf("kind %q is not one of %s", s.Kind, strings.Join(kinds, ", "))
	}
	if !slices.Contains(strengths, s.Strength) {
		return fmt.Errorf("strength %q is not one of definitive, strong, heuristic", s.Strength)
	}
	switch s.Kind {
	case "magic":
		if _, err := s.Bytes(); err != nil || s.Hex == "" {
			return fmt.Errorf("magic: bad hex %q", s.Hex)
		}
	case "ascii", "zip-mimetype", "xmp-contains", "ebml-doctype":
		if s.Value == "" {
			return fmt.Errorf("%s: empty value", s.Kind)
		}
	case "zip-entry", "cfb-stream":
		if s.Path == "" {
			return fmt.Errorf("%s: empty path", s.Kind)
		}
	case "zip-entry-contains", "cfb-stream-contains":
		if s.Path == "" || (s.Value == "" && s.Hex == "") {
			return fmt.Errorf("%s: needs a path and a value or hex", s.Kind)
		}
	case "ogg-codec":
		if _, err := s.Bytes(); err != nil || s.Hex == "" {
			return fmt.Errorf("ogg-codec: bad hex %q", s.Hex)
		}
	case "all":
		if len(s.Of) < 2 {
			return fmt.Errorf("all: needs two signatures or more")
		}
		for _, o := range s.Of {
			if err := o.validate(); err != nil {
				return err
			}
		}
	}
	return nil
}

// Bytes returns the bytes a magic, ogg-codec or cfb-stream-contains
// signature looks for: Hex decoded, or Value.
func (s Signature) Bytes() ([]byte, error) {
	if s.Hex == "" {
		return []byte(s.Value), nil
	}
	if len(s.Hex)%2 != 0 {
		return nil, fmt.Errorf("odd hex length")
	}
	b := make([]byte, len(s.Hex)/2)
	for i := range b {
		var v byte
		for _, c := range s.Hex[2*i : 2*i+2] {
			v <<= 4
			switch {
			case c >= '0' && c <= '9':
				v |= byte(c - '0')
			case c >= 'A' && c <= 'F':
				v |= byte(c-'A') + 10
			case c >= 'a' && c <= 'f':
				v |= byte(c-'a') + 10
			default:
				return nil, fmt.Errorf("bad hex digit %q", c)
			}
		}
		b[i] = v
	}
	return b, nil
}

// Format returns the entry with this id.
func (t *Table) Format(id string) (Format, bool) {
	i, ok := t.byID[id]
	if !ok {
		return Format{}, false
	}
	return t.Formats[i], true
}

// Reportable reports whether a confidence is high enough for the status to
// be shown as the RGI's ruling (SOURCE.md: rgi-text, secondary,
// official-derivative).
func Reportable(confidence string) bool { return slices.Contains(reportable, confidence) }

// Reported returns the status to show for the entry: its RGI status when
// the confidence is reportable, else StatusUnverified.
func (f Format) Reported() string {
	if Reportable(f.RGI.Confidence) {
		return f.RGI.Status
	}
	return StatusUnverified
}

// PUID returns the PRONOM id of a version or variant of the format
// ("1.2", "transitional"), falling back to the "default" entry, then to
// the first listed id, then "".
func (f Format) PUID(version string) string {
	if p, ok := f.PronomByVersion[version]; ok && version != "" {
		return p
	}
	if p, ok := f.PronomByVersion["default"]; ok {
		return p
	}
	if len(f.Pronom) > 0 {
		return f.Pronom[0]
	}
	return ""
}

// Extension returns the format's main file extension, "" when it has none.
func (f Format) Extension() string {
	if len(f.Extensions) == 0 {
		return ""
	}
	return f.Extensions[0]
}
