package licensedetect

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sync"
)

// data/patterns.json.gz holds the licence patterns made from SPDX licence
// texts that licensecheck's built-in set lacks. It is generated: see
// data/SOURCES.md.
//
//go:generate sh internal/patterngen/generate.sh
//go:embed data/patterns.json.gz
var patternsGz []byte

// patternFile is the layout of data/patterns.json.gz.
type patternFile struct {
	Comment         string    `json:"comment"`
	SPDXListVersion string    `json:"spdxListVersion"`
	Source          string    `json:"source"`
	Patterns        []pattern `json:"patterns"`
}

type pattern struct {
	ID  string `json:"id"`
	LRE string `json:"lre"`
}

// embeddedPatterns decodes data/patterns.json.gz, once.
var embeddedPatterns = sync.OnceValues(func() ([]Pattern, error) {
	f, err := decodePatterns(patternsGz)
	if err != nil {
		return nil, fmt.Errorf("embedded data/patterns.json.gz: %w", err)
	}
	ps := make([]Pattern, len(f.Patterns))
	for i, p := range f.Patterns {
		ps[i] = Pattern(p)
	}
	return ps, nil
})

// EmbeddedPatterns returns the patterns made from SPDX licence texts that
// a Detector adds to licensecheck's built-in licences unless
// Options.BuiltinOnly is set, sorted by id. The slice is a copy.
func EmbeddedPatterns() ([]Pattern, error) {
	ps, err := embeddedPatterns()
	return slices.Clone(ps), err
}

func decodePatterns(gz []byte) (*patternFile, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	var f patternFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, err
	}
	return &f, nil
}
