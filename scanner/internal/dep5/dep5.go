// Package dep5 reads Debian machine-readable copyright files (DEP-5,
// https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/) for
// the licences a package declares.
//
// syft reads /usr/share/doc/PKG/copyright with regular expressions: it
// keeps only the first word of each License line, misses lines with two
// spaces after "License:", and takes every /usr/share/common-licenses/NAME
// path mentioned in the file for a licence of the package (the boilerplate
// of a GPL-2+ package names the GPL-2 text, which is not GPL-2.0-only).
// For files in the machine-readable format, sillage reads the License
// synopses itself, as the format defines them.
package dep5

import (
	"bufio"
	"bytes"
	"regexp"
	"strings"

	"github.com/sillage-oss/sillage/rules"
)

// maxSize bounds the copyright files read: the largest in Debian (firefox,
// chromium) are under 1 MiB.
const maxSize = 4 << 20

// formatURL prefixes identify the format; the spec declares the http and
// https forms equivalent.
var formatURL = regexp.MustCompile(`^https?://www\.debian\.org/doc/packaging-manuals/copyright-format/1\.0/?$`)

// Synopses returns the license synopses of a machine-readable copyright
// file: the first line of the License field of the header paragraph and of
// every Files paragraph, in order, without duplicates. A stand-alone
// License paragraph only gives the full text of a short name used by a
// Files paragraph (DEP-5 section 5.3), so it adds nothing. ok is false
// when the file is not in the machine-readable format.
func Synopses(data []byte) (synopses []string, ok bool) {
	if len(data) > maxSize {
		return nil, false
	}
	paras := paragraphs(data)
	if len(paras) == 0 || !formatURL.MatchString(strings.TrimSpace(paras[0]["format"])) {
		return nil, false
	}
	seen := map[string]bool{}
	for i, p := range paras {
		_, files := p["files"]
		if i > 0 && !files {
			continue // a stand-alone License paragraph
		}
		syn := strings.Join(strings.Fields(p["license"]), " ")
		if syn == "" || seen[syn] {
			continue
		}
		seen[syn] = true
		synopses = append(synopses, syn)
	}
	return synopses, true
}

// paragraphs splits a control-file-like document into paragraphs of
// fields. Field names are lower-cased; a field's value is its first line
// only (the synopsis; continuation lines hold the licence text).
func paragraphs(data []byte) []map[string]string {
	var out []map[string]string
	cur := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), maxSize)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			if len(cur) > 0 {
				out = append(out, cur)
				cur = map[string]string{}
			}
			continue
		}
		if line[0] == ' ' || line[0] == '\t' || line[0] == '#' {
			continue // continuation line or comment
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		cur[strings.ToLower(strings.TrimSpace(name))] = strings.TrimSpace(value)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// lowest gives, for DEP-5's versioned standard short names, the version
// a name without one means: "If the version number is omitted, the lowest
// version number is implied" (section 7.1). "GPL" is GPL version 1.
var lowest = map[string]string{
	"apache": "1.0", "artistic": "1.0", "cc-by": "1.0", "cc-by-sa": "1.0", "cc-by-nd": "1.0",
	"cc-by-nc": "1.0", "cc-by-nc-sa": "1.0", "cc-by-nc-nd": "1.0", "cc0": "1.0", "cddl": "1.0",
	"cpl": "1.0", "efl": "1.0", "gpl": "1", "lgpl": "2", "gfdl": "1.1", "gfdl-niv": "1.1",
	"lppl": "1.0", "mpl": "1.0", "python": "2.0", "qpl": "1.0", "zope": "1.0",
}

// shortName is a word of a synopsis that may be a short name: "GPL",
// "GPL+", "LGPL-2.1+".
var shortName = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9-]*?)(\+?)$`)

// Normalize maps a synopsis to SPDX: the versionless standard short names
// get their lowest version, as DEP-5 says, and the result goes through
// rules.NormalizeLicense. Names inside "with ... exception" are left alone.
func Normalize(synopsis string) rules.Normalized {
	words := strings.Fields(synopsis)
	for i, name := range licenceWords(words) {
		m := shortName.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		if v, ok := lowest[strings.ToLower(m[1])]; ok {
			words[i] = m[1] + "-" + v + m[2] + words[i][len(name):]
		}
	}
	n := rules.NormalizeLicense(strings.Join(words, " "))
	if n.Expression != "" {
		return n
	}
	// One custom short name ("Tcl-BSDish", defined by a stand-alone
	// License paragraph of the file) should not lose the standard names
	// around it: each custom name becomes a LicenseRef- of its own, which
	// keeps the expression's category unknown, never permissive.
	changed := false
	for i, name := range licenceWords(words) {
		if rules.NormalizeLicense(name).Expression != "" {
			continue
		}
		ref := customRef(name)
		if ref == "" {
			return n
		}
		words[i] = ref + words[i][len(name):]
		changed = true
	}
	if !changed {
		return n
	}
	if m := rules.NormalizeLicense(strings.Join(words, " ")); m.Expression != "" {
		m.Unmapped = n.Unmapped
		return m
	}
	return n
}

// licenceWords returns, by index into words, the words of a synopsis that
// name licences, without a trailing comma: not the connectives "and" and
// "or", and not what follows "with" (an exception) up to the next
// connective.
func licenceWords(words []string) map[int]string {
	out := map[int]string{}
	inWith := false
	for i, w := range words {
		name := strings.TrimRight(w, ",")
		switch strings.ToLower(name) {
		case "with":
			inWith = true
			continue
		case "or", "and":
			inWith = false
			continue
		}
		if !inWith {
			out[i] = name
		}
	}
	return out
}

// customRef names a custom DEP-5 short name as an SPDX LicenseRef:
// "LicenseRef-dep5-" and the name with the characters SPDX does not allow
// in an id replaced by "-". It returns "" for a word that is not a short
// name (DEP-5 short names are single words of letters, digits and
// punctuation).
func customRef(name string) string {
	if name == "" || len(name) > 64 || strings.HasPrefix(name, "(") || strings.HasSuffix(name, ")") {
		return ""
	}
	var b strings.Builder
	b.WriteString("LicenseRef-dep5-")
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-':
			b.WriteRune(r)
		case r == '+':
			b.WriteString("-plus")
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}
