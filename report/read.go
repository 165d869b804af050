package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/docs"
)

// ErrResult marks a result document that cannot be read: not JSON, not a
// sillage result, not valid against docs/result-schema.json, or written
// with a newer schema version than this build knows.
var ErrResult = errors.New("cannot read the result document")

// ReadResult decodes a result document as `sillage scan -o json` writes
// it, after checking it against the published JSON Schema
// (docs/result-schema.json). The result comes back normalised.
//
// Within a schema version fields may be added: a document from a newer
// sillage of the same schema version that only has fields this build does
// not know is accepted, and notes names the fields that were ignored.
// Every other problem is an error wrapping ErrResult, with a hint.
func ReadResult(r io.Reader) (res sillage.Result, notes []string, err error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return res, nil, fmt.Errorf("%w: %w", ErrResult, err)
	}
	fail := func(hint, format string, a ...any) error {
		return sillage.WithHint(fmt.Errorf("%w: %s", ErrResult, fmt.Sprintf(format, a...)), hint)
	}
	const writeHint = "give a file written by 'sillage scan -o json=FILE'"
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return res, nil, fail(writeHint, "not JSON: %v", err)
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return res, nil, fail(writeHint, "not a sillage result: the document is a JSON %s, not an object", jsonKind(doc))
	}
	switch {
	case obj["bomFormat"] != nil:
		return res, nil, fail("to scan an SBOM: sillage scan sbom:FILE", "not a sillage result: this is a CycloneDX SBOM")
	case obj["spdxVersion"] != nil:
		return res, nil, fail("to scan an SBOM: sillage scan sbom:FILE", "not a sillage result: this is an SPDX SBOM")
	}
	sv, ok := obj["schemaVersion"]
	if !ok {
		return res, nil, fail(writeHint, "not a sillage result: it has no schemaVersion")
	}
	n, ok := sv.(json.Number)
	v, convErr := n.Int64()
	if !ok || convErr != nil || v < 1 {
		return res, nil, fail(writeHint, "not a sillage result: schemaVersion is %v, not a positive integer", sv)
	}
	if v > sillage.SchemaVersion {
		by := ""
		if t, ok := obj["tool"].(map[string]any); ok {
			if ver, ok := t["version"].(string); ok {
				by = " by sillage " + ver
			}
		}
		return res, nil, fail("read it with a sillage as recent as the one that wrote it, or write the result again with this one",
			"the result was written%s with schema version %d; this sillage reads schema version %d", by, v, sillage.SchemaVersion)
	}

	strict, lenient, err := resultSchemas()
	if err != nil {
		return res, nil, fmt.Errorf("%w: %w", ErrResult, err)
	}
	if err := strict.Validate(doc); err != nil {
		if lerr := lenient.Validate(doc); lerr != nil {
			return res, nil, fail("the file was changed or truncated since sillage wrote it; write it again with 'sillage scan -o json=FILE'",
				"not a valid sillage result (docs/result-schema.json):\n%s", describe(lerr, 5))
		}
		// only properties unknown to this build: a newer sillage of the
		// same schema version added them
		if unknown := unknownProperties(err); len(unknown) > 0 {
			notes = append(notes, "fields this version of sillage does not know were ignored: "+strings.Join(unknown, ", "))
		}
	}
	if err := json.Unmarshal(data, &res); err != nil {
		return res, nil, fail(writeHint, "%v", err)
	}
	res.Normalize()
	return res, notes, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return "value"
}

var (
	schemaOnce              sync.Once
	strictSchema, laxSchema *jsonschema.Schema
	schemaErr               error
)

// resultSchemas compiles the published schema, and a lenient copy of it
// that allows properties it does not list.
func resultSchemas() (strict, lenient *jsonschema.Schema, err error) {
	schemaOnce.Do(func() {
		compile := func(lax bool) (*jsonschema.Schema, error) {
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(docs.ResultSchema))
			if err != nil {
				return nil, fmt.Errorf("embedded result schema: %w", err)
			}
			if lax {
				allowAdditional(doc)
			}
			c := jsonschema.NewCompiler()
			if err := c.AddResource("result-schema.json", doc); err != nil {
				return nil, err
			}
			return c.Compile("result-schema.json")
		}
		if strictSchema, schemaErr = compile(false); schemaErr == nil {
			laxSchema, schemaErr = compile(true)
		}
	})
	return strictSchema, laxSchema, schemaErr
}

// allowAdditional removes every "additionalProperties": false from a
// schema document.
func allowAdditional(v any) {
	switch x := v.(type) {
	case map[string]any:
		if b, ok := x["additionalProperties"].(bool); ok && !b {
			delete(x, "additionalProperties")
		}
		for _, c := range x {
			allowAdditional(c)
		}
	case []any:
		for _, c := range x {
			allowAdditional(c)
		}
	}
}

// leaves returns the innermost errors of a validation error.
func leaves(err error) []*jsonschema.ValidationError {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var out []*jsonschema.ValidationError
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			out = append(out, e)
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return out
}

// describe lists at most max innermost problems of a validation error,
// one a line: "at '/components/3/name': got number, want string".
func describe(err error, max int) string {
	ls := leaves(err)
	if len(ls) == 0 {
		return "  " + err.Error()
	}
	var lines []string
	for _, l := range ls {
		line := "  " + l.Error()
		if !slices.Contains(lines, line) {
			lines = append(lines, line)
		}
	}
	if len(lines) > max {
		lines = append(lines[:max], fmt.Sprintf("  and %d more", len(lines)-max))
	}
	return strings.Join(lines, "\n")
}

// unknownProperties names the properties a strict validation error
// rejected as not in the schema, as JSON pointers.
func unknownProperties(err error) []string {
	var out []string
	for _, l := range leaves(err) {
		ap, ok := l.ErrorKind.(*kind.AdditionalProperties)
		if !ok {
			continue
		}
		base := ""
		for _, tok := range l.InstanceLocation {
			if strings.Trim(tok, "0123456789") == "" {
				tok = "*" // the same field in every element of a list
			}
			base += "/" + tok
		}
		for _, p := range ap.Properties {
			if s := base + "/" + p; !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	slices.Sort(out)
	return out
}
