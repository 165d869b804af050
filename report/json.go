package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/sillage-oss/sillage"
)

type jsonReporter struct{}

func newJSON(Options) Reporter { return jsonReporter{} }

// Report writes res as the sillage result document (schema in
// docs/result-schema.md), indented, with a final newline. Characters such
// as < and & are written as they are, not escaped.
func (jsonReporter) Report(w io.Writer, res sillage.Result) error {
	res.Normalize()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		return fmt.Errorf("encode result: %w", err)
	}
	return nil
}
