// Command patterngen builds scanner/licensedetect/data/patterns.json.gz:
// licensecheck patterns made from the texts of the SPDX licence list, for
// the licences that licensecheck's built-in patterns do not identify.
//
// Input: the npm package spdx-license-list (its spdx.json and
// licenses/<id>.json, field licenseText), unpacked in a directory; see
// ../../data/SOURCES.md for the version and how to fetch it.
//
// A licence gets a pattern when all of these hold, in this order:
//  1. its id is current (not deprecated) and is its own family (see
//     licensedetect.Family: "GPL-2.0-or-later" is not, its text being
//     GPL-2.0's);
//  2. licensecheck's built-in patterns, through the detector, do not
//     identify its own text right (a match, every match of its family),
//     nor the text of another id of its family;
//  3. toLRE leaves at least minWords words of its text, and the pattern
//     parses and matches its own text;
//  4. with all the patterns kept so far added, no SPDX text is given a
//     wrong id by it, and no text that the built-in patterns identify
//     right loses that. Offending patterns are removed and the check is
//     run again until none offends.
//
// The output is sorted by id, so that the same input gives the same file.
// It prints what it kept and dropped, and why.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/google/licensecheck"
	"github.com/sillage-oss/sillage/rules"
	"github.com/sillage-oss/sillage/rules/spdx"
	"github.com/sillage-oss/sillage/scanner/licensedetect"
)

// minWords is the fewest words a pattern may have: shorter texts match
// too easily inside other licences.
const minWords = 20

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("patterngen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	src := fs.String("src", "", "directory of the unpacked npm package spdx-license-list")
	out := fs.String("out", "data/patterns.json.gz", "output file")
	curated := fs.String("curated", "data/curated.lre", "hand-written patterns to add first")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *src == "" {
		fmt.Fprintln(stderr, "patterngen: -src is required (see data/SOURCES.md)")
		return 2
	}
	if err := generate(*src, *curated, *out, stdout); err != nil {
		fmt.Fprintln(stderr, "patterngen:", err)
		return 1
	}
	return 0
}

// licence is one entry of the SPDX list with its text.
type licence struct {
	id, text string
}

// readList reads the ids of spdx.json and their texts, sorted by id.
func readList(src string) (version string, ls []licence, err error) {
	var pkg struct{ Version string }
	if err := readJSON(filepath.Join(src, "package.json"), &pkg); err != nil {
		return "", nil, err
	}
	var index map[string]json.RawMessage
	if err := readJSON(filepath.Join(src, "spdx.json"), &index); err != nil {
		return "", nil, err
	}
	for id := range index {
		var l struct{ LicenseText string }
		if err := readJSON(filepath.Join(src, "licenses", id+".json"), &l); err != nil {
			return "", nil, err
		}
		if strings.TrimSpace(l.LicenseText) == "" {
			return "", nil, fmt.Errorf("licenses/%s.json: no licenseText", id)
		}
		ls = append(ls, licence{id, l.LicenseText})
	}
	sort.Slice(ls, func(i, j int) bool { return ls[i].id < ls[j].id })
	return pkg.Version, ls, nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// right reports whether r identifies a text of licence id: something
// matched, and every licence of every match is of id's family.
func right(r licensedetect.Result, id string) bool {
	if len(r.Matches) == 0 {
		return false
	}
	for _, m := range r.Matches {
		if len(wrongIDs(m, id)) > 0 {
			return false
		}
	}
	return true
}

// wrongIDs returns the licences of m that are not of id's family.
func wrongIDs(m licensedetect.Match, id string) []string {
	e, err := spdx.Parse(m.ID)
	if err != nil {
		return []string{m.ID}
	}
	var wrong []string
	for _, l := range spdx.Licenses(e) {
		if licensedetect.Family(l.ID) != licensedetect.Family(id) {
			wrong = append(wrong, l.ID)
		}
	}
	return wrong
}

func detectAll(d *licensedetect.Detector, ls []licence) []licensedetect.Result {
	rs := make([]licensedetect.Result, len(ls))
	for i, l := range ls {
		rs[i] = d.Detect([]byte(l.text))
	}
	return rs
}

func generate(src, curatedFile, out string, w io.Writer) error {
	version, ls, err := readList(src)
	if err != nil {
		return err
	}
	curated, err := readCurated(curatedFile)
	if err != nil {
		return err
	}
	t := rules.Licenses()
	builtin, err := licensedetect.New(licensedetect.Options{BuiltinOnly: true, Threshold: -1})
	if err != nil {
		return err
	}
	base := detectAll(builtin, ls)
	familyRight := make(map[string]bool)
	for i, l := range ls {
		if right(base[i], l.id) {
			familyRight[licensedetect.Family(l.id)] = true
		}
	}

	why := make(map[string]string) // id -> why it has no pattern
	cands := slices.Clone(curated)
	for _, p := range curated {
		if _, ok := t.Canonical(p.ID); !ok {
			return fmt.Errorf("%s: %s is not an SPDX id", curatedFile, p.ID)
		}
		if _, err := licensecheck.NewScanner([]licensecheck.License{{ID: p.ID, LRE: p.LRE}}); err != nil {
			return fmt.Errorf("%s: %s: %v", curatedFile, p.ID, err)
		}
	}
	fmt.Fprintf(w, "%d curated patterns\n", len(curated))
	for _, l := range ls {
		info, ok := t.Lookup(l.id)
		switch {
		case !ok:
			why[l.id] = "not in sillage's licence table"
		case info.Deprecated:
			why[l.id] = "deprecated"
		case licensedetect.Family(l.id) != l.id:
			why[l.id] = "text of family " + licensedetect.Family(l.id)
		case familyRight[l.id]:
			why[l.id] = "built-in"
		case isCandidate(curated, l.id):
			why[l.id] = "has a curated pattern"
		}
		if why[l.id] != "" {
			continue
		}
		lre := toLRE(l.text, minWords)
		if lre == "" {
			why[l.id] = "text too short"
			continue
		}
		sc, err := licensecheck.NewScanner([]licensecheck.License{{ID: l.id, LRE: lre}})
		if err != nil {
			why[l.id] = "pattern does not parse: " + err.Error()
			continue
		}
		if !slices.ContainsFunc(sc.Scan([]byte(l.text)).Match, func(m licensecheck.Match) bool { return m.ID == l.id }) {
			why[l.id] = "pattern does not match its own text"
			continue
		}
		cands = append(cands, licensedetect.Pattern{ID: l.id, LRE: lre})
	}
	fmt.Fprintf(w, "%d SPDX licences; %d candidate patterns\n", len(ls), len(cands))

	for round := 1; ; round++ {
		d, err := licensedetect.New(licensedetect.Options{BuiltinOnly: true, Threshold: -1, Extra: cands})
		if err != nil {
			return err
		}
		offends := make(map[string]string)
		for i, r := range detectAll(d, ls) {
			l := ls[i]
			for _, m := range r.Matches {
				if !isCandidate(cands, m.ID) {
					continue
				}
				if ws := wrongIDs(m, l.id); len(ws) > 0 {
					offends[m.ID] = "wrong id on the text of " + l.id
				} else if right(base[i], l.id) && !right(r, l.id) {
					offends[m.ID] = "breaks the built-in match of " + l.id
				}
			}
			if right(base[i], l.id) && len(r.Matches) == 0 {
				return fmt.Errorf("%s: identified by the built-in patterns, no longer by any with the new ones", l.id)
			}
			if isCandidate(curated, l.id) && !right(r, l.id) {
				return fmt.Errorf("%s: curated pattern %s does not identify the SPDX text of %s", curatedFile, l.id, l.id)
			}
		}
		fmt.Fprintf(w, "round %d: %d patterns, %d offend\n", round, len(cands), len(offends))
		if len(offends) == 0 {
			break
		}
		for _, p := range curated {
			if o, ok := offends[p.ID]; ok {
				return fmt.Errorf("%s: curated pattern %s: %s", curatedFile, p.ID, o)
			}
		}
		cands = slices.DeleteFunc(cands, func(p licensedetect.Pattern) bool {
			if o, ok := offends[p.ID]; ok {
				why[p.ID] = o
				return true
			}
			return false
		})
	}

	reasons := make(map[string][]string)
	for id, r := range why {
		k := r
		if i := strings.Index(r, " on the text of"); i >= 0 {
			k = r[:i]
		} else if strings.HasPrefix(r, "text of family") || strings.HasPrefix(r, "breaks the built-in") || strings.HasPrefix(r, "pattern does not parse") {
			k = strings.Fields(r)[0] + " " + strings.Fields(r)[1] + " " + strings.Fields(r)[2]
		}
		reasons[k] = append(reasons[k], id+": "+r)
	}
	for _, k := range slices.Sorted(maps.Keys(reasons)) {
		v := reasons[k]
		sort.Strings(v)
		fmt.Fprintf(w, "no pattern, %s: %d\n", k, len(v))
		if k != "built-in" && k != "deprecated" && k != "text of family" && k != "has a curated pattern" {
			for _, s := range v {
				fmt.Fprintln(w, "   ", s)
			}
		}
	}
	fmt.Fprintf(w, "kept %d patterns\n", len(cands))

	f := struct {
		Comment         string                  `json:"comment"`
		SPDXListVersion string                  `json:"spdxListVersion"`
		Source          string                  `json:"source"`
		Patterns        []licensedetect.Pattern `json:"patterns"`
	}{
		Comment:  "Generated by scanner/licensedetect/internal/patterngen; do not edit. See data/SOURCES.md.",
		Source:   "npm spdx-license-list@" + version + " (licenses/<id>.json, licenseText); SPDX License List data, CC-BY-3.0",
		Patterns: cands,
	}
	f.SPDXListVersion = listVersion(version)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(f); err != nil {
		return err
	}
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return err
	}
	// no name, no time in the header: the output depends on the input only
	if _, err := zw.Write(buf.Bytes()); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(out, gz.Bytes(), 0o644)
}

// readCurated reads the hand-written patterns: "== ID" starts one, lines
// starting with "#" are comments.
func readCurated(path string) ([]licensedetect.Pattern, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ps []licensedetect.Pattern
	for i, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "== "):
			ps = append(ps, licensedetect.Pattern{ID: strings.TrimSpace(line[3:])})
		case len(ps) == 0:
			if strings.TrimSpace(line) != "" {
				return nil, fmt.Errorf("%s:%d: text before the first \"== ID\" line", path, i+1)
			}
		default:
			ps[len(ps)-1].LRE += line + "\n"
		}
	}
	for _, p := range ps {
		if strings.TrimSpace(p.LRE) == "" {
			return nil, fmt.Errorf("%s: %s: empty pattern", path, p.ID)
		}
	}
	return ps, nil
}

func isCandidate(ps []licensedetect.Pattern, id string) bool {
	return slices.ContainsFunc(ps, func(p licensedetect.Pattern) bool { return p.ID == id })
}

// listVersion is the SPDX licence list release of an spdx-license-list
// version, for the versions this generator was run with.
func listVersion(npm string) string {
	if npm == "6.12.0" {
		return "3.28.0"
	}
	return "unknown (npm spdx-license-list " + npm + ")"
}
