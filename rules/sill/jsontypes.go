package sill

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Millis is a point in time as Catalogi writes it: milliseconds since the
// Unix epoch. Zero means unknown.
//
// It decodes from a JSON number (the 2025 export), a numeric string, or an
// ISO 8601 / RFC 3339 string (the 2026 export writes dereferencing times
// that way); null decodes to zero. It always encodes as a number.
type Millis int64

// MillisOf returns t as Millis; the zero time gives 0.
func MillisOf(t time.Time) Millis {
	if t.IsZero() {
		return 0
	}
	return Millis(t.UnixMilli())
}

// Time returns m in UTC, or the zero time when m is 0.
func (m Millis) Time() time.Time {
	if m == 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(m)).UTC()
}

// UnmarshalJSON implements json.Unmarshaler.
func (m *Millis) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		*m = 0
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		return m.parseString(s)
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("time %s: want milliseconds since 1970 or an ISO 8601 date", b)
	}
	*m = Millis(f)
	return nil
}

func (m *Millis) parseString(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		*m = 0
		return nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
		*m = Millis(f)
		return nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05Z07:00", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			*m = MillisOf(t)
			return nil
		}
	}
	return fmt.Errorf("time %q: want milliseconds since 1970 or an ISO 8601 date", s)
}

// LocalizedString is text that Catalogi stores either as a plain string or
// as an object keyed by language ("fr", "en"). A plain string is kept under
// the empty key, so that it encodes back as a plain string. Null values are
// dropped.
type LocalizedString map[string]string

// UnmarshalJSON implements json.Unmarshaler.
func (l *LocalizedString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*l = nil
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*l = nil
		if s != "" {
			*l = LocalizedString{"": s}
		}
		return nil
	}
	var obj map[string]*string
	if err := json.Unmarshal(b, &obj); err != nil {
		return fmt.Errorf("localized text: want a string or an object of strings by language: %w", err)
	}
	out := make(LocalizedString, len(obj))
	for lang, s := range obj {
		if s != nil && *s != "" {
			out[lang] = *s
		}
	}
	*l = out
	if len(out) == 0 {
		*l = nil
	}
	return nil
}

// MarshalJSON implements json.Marshaler: a plain string when l holds only
// one, else the object.
func (l LocalizedString) MarshalJSON() ([]byte, error) {
	if s, ok := l[""]; ok && len(l) == 1 {
		return json.Marshal(s)
	}
	return json.Marshal(map[string]string(l))
}

// Text returns the text in lang, else in French, else in English, else the
// plain string, else in the first language in alphabetical order; "" when
// l is empty.
func (l LocalizedString) Text(lang string) string {
	for _, k := range []string{lang, "fr", "en", ""} {
		if s, ok := l[k]; ok {
			return s
		}
	}
	for _, k := range slices.Sorted(maps.Keys(l)) {
		return l[k]
	}
	return ""
}

// String returns the French text, with the fallbacks of Text.
func (l LocalizedString) String() string { return l.Text("fr") }

// all returns every text in l, in key order, for searching.
func (l LocalizedString) all() []string {
	out := make([]string, 0, len(l))
	for _, k := range slices.Sorted(maps.Keys(l)) {
		out = append(out, l[k])
	}
	return out
}

// Strings is a list of strings, as Catalogi's keywords and categories. It
// tolerates what the live export has been seen to put in such lists:
// numbers and booleans are kept as text; objects such as Wikidata labels
// ({"value": "Python", "language": "en"}) give their "value", "@value",
// "name", "label" or "text" member; nulls and other objects are dropped;
// a single string stands for a one-item list.
type Strings []string

// UnmarshalJSON implements json.Unmarshaler.
func (s *Strings) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*s = nil
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var one string
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*s = Strings{one}
		return nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(b, &items); err != nil {
		return fmt.Errorf("want a list of strings: %w", err)
	}
	out := make(Strings, 0, len(items))
	for _, it := range items {
		if v, ok := stringOf(it); ok {
			out = append(out, v)
		}
	}
	*s = out
	return nil
}

// stringOf returns the text a list item stands for, and whether it has one.
func stringOf(raw json.RawMessage) (string, bool) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", false
	}
	switch v := v.(type) {
	case string:
		return v, v != ""
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(v), true
	case map[string]any:
		for _, k := range []string{"value", "@value", "name", "label", "text"} {
			if s, ok := v[k].(string); ok && s != "" {
				return s, true
			}
		}
	}
	return "", false
}
