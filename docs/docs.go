// Package docs carries the machine-readable documents published beside
// the documentation, so that the program checks its input against the
// very schema it publishes.
package docs

import _ "embed"

// ResultSchema is result-schema.json: the JSON Schema (2020-12) of the
// result document, schema version 1.
//
//go:embed result-schema.json
var ResultSchema []byte
