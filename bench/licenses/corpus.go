package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/sillage-oss/sillage/rules"
	"github.com/sillage-oss/sillage/scanner/licensedetect"
)

// sample is one licence text with the licence it is known to be.
type sample struct {
	name string // where it comes from, for the listings
	want string // SPDX id
	text string
}

// spdxCorpus reads every licence of the npm package spdx-license-list
// (its spdx.json), with its text, sorted by id.
func spdxCorpus(dir string) ([]sample, error) {
	var index map[string]json.RawMessage
	if err := readJSON(filepath.Join(dir, "spdx.json"), &index); err != nil {
		return nil, err
	}
	var out []sample
	for id := range index {
		var l struct{ LicenseText string }
		if err := readJSON(filepath.Join(dir, "licenses", id+".json"), &l); err != nil {
			return nil, err
		}
		out = append(out, sample{name: id, want: id, text: l.LicenseText})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
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

// dep5Names maps the short names of the Debian copyright format
// (https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/#license-short-name)
// that are not SPDX ids to SPDX ids, lower-cased. "+" is handled apart.
// Names that denote several SPDX licences are left out: "Artistic" (1.0,
// -Perl or -cl8), "BSD" (which?), "GPL" with no version, "Perl" (GPL-1+
// OR Artistic), "MIT/X11", "public-domain".
var dep5Names = map[string]string{
	"expat":          "MIT",
	"gpl-1":          "GPL-1.0-only",
	"gpl-2":          "GPL-2.0-only",
	"gpl-3":          "GPL-3.0-only",
	"lgpl-2":         "LGPL-2.0-only",
	"lgpl-2.1":       "LGPL-2.1-only",
	"lgpl-3":         "LGPL-3.0-only",
	"agpl-3":         "AGPL-3.0-only",
	"gfdl-1.2":       "GFDL-1.2-only",
	"gfdl-1.3":       "GFDL-1.3-only",
	"gfdl-niv-1.2":   "GFDL-1.2-no-invariants-only",
	"gfdl-niv-1.3":   "GFDL-1.3-no-invariants-only",
	"bsd-2-clause":   "BSD-2-Clause",
	"bsd-3-clause":   "BSD-3-Clause",
	"bsd-4-clause":   "BSD-4-Clause",
	"apache-2":       "Apache-2.0",
	"artistic-2":     "Artistic-2.0",
	"mpl-2":          "MPL-2.0",
	"zope-2.1":       "ZPL-2.1",
	"cc0":            "CC0-1.0",
	"bsl":            "", // Boost, or Business Source?
	"python":         "", // PSF-2.0 or Python-2.0, by version
	"artistic":       "",
	"bsd":            "",
	"gpl":            "",
	"lgpl":           "",
	"perl":           "",
	"mit/x11":        "",
	"public-domain":  "",
	"lgpl-2.1+-or-3": "",
}

// dep5ID returns the SPDX id a Debian short name denotes, and false when
// it denotes none, several, or a licence with an exception ("GPL-2+ with
// Autoconf exception": the exception would be wanted too).
func dep5ID(name string) (string, bool) {
	low := strings.ToLower(strings.TrimSpace(name))
	if strings.Contains(low, " ") || strings.Contains(low, ",") {
		return "", false // "with ... exception", "or", "and"
	}
	later := strings.HasSuffix(low, "+")
	low = strings.TrimSuffix(low, "+")
	id, ok := dep5Names[low]
	if !ok {
		l, ok := rules.Licenses().Lookup(low)
		if !ok {
			return "", false
		}
		id = l.ID
		if l.Deprecated && l.ReplacedBy != "" && !strings.Contains(l.ReplacedBy, " ") {
			id = l.ReplacedBy // "GPL-2.0" -> "GPL-2.0-only"
		}
	}
	if id == "" {
		return "", false
	}
	if later {
		if !strings.HasSuffix(id, "-only") {
			return "", false
		}
		id = strings.TrimSuffix(id, "-only") + "-or-later"
	}
	return id, true
}

var fieldLine = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*:`)

// debianCorpus reads the stand-alone License paragraphs of the
// machine-readable copyright files /usr/share/doc/*/copyright under each
// root: the paragraph's short name says what the text is. Paragraphs whose
// name maps to no single SPDX id are counted in skipped; a text seen twice
// with the same name is kept once.
func debianCorpus(roots []string) (out []sample, skipped int, err error) {
	seen := make(map[string]bool)
	for _, root := range roots {
		files, err := filepath.Glob(filepath.Join(root, "usr/share/doc/*/copyright"))
		if err != nil {
			return nil, 0, err
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				continue // dangling symlink, unreadable: not our concern
			}
			s := strings.ReplaceAll(string(b), "\r\n", "\n")
			firstLine, _, _ := strings.Cut(s, "\n")
			if !strings.Contains(firstLine, "copyright-format") && !strings.Contains(firstLine, "dep5") {
				continue
			}
			for _, para := range splitParagraphs(s) {
				name, text, ok := licenceParagraph(para)
				if !ok {
					continue
				}
				id, ok := dep5ID(name)
				if !ok {
					skipped++
					continue
				}
				key := id + "\x00" + strings.Join(strings.Fields(text), " ")
				if seen[key] {
					continue
				}
				seen[key] = true
				pkg := filepath.Base(filepath.Dir(f))
				out = append(out, sample{name: pkg + ": " + name, want: id, text: text})
			}
		}
	}
	return out, skipped, nil
}

func splitParagraphs(s string) [][]string {
	var paras [][]string
	var cur []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) == "" {
			if len(cur) > 0 {
				paras = append(paras, cur)
			}
			cur = nil
			continue
		}
		cur = append(cur, l)
	}
	if len(cur) > 0 {
		paras = append(paras, cur)
	}
	return paras
}

// licenceParagraph returns the name and text of a stand-alone License
// paragraph (one without Files:) whose text has at least three lines.
func licenceParagraph(para []string) (name, text string, ok bool) {
	for _, l := range para {
		if strings.HasPrefix(l, "Files:") {
			return "", "", false
		}
	}
	if !strings.HasPrefix(para[0], "License:") {
		return "", "", false
	}
	name = strings.TrimSpace(strings.TrimPrefix(para[0], "License:"))
	var body []string
	for _, l := range para[1:] {
		if fieldLine.MatchString(l) {
			break // Comment: and the like
		}
		l = strings.TrimPrefix(l, " ")
		if strings.TrimSpace(l) == "." {
			l = ""
		}
		body = append(body, l)
	}
	if len(body) < 3 {
		return "", "", false
	}
	return name, strings.Join(body, "\n") + "\n", true
}

// commonLicenses are the files of Debian's /usr/share/common-licenses and
// what they are. Artistic is Perl's Artistic licence; LGPL-3 holds only
// the LGPL's additional permissions; BSD is the University of California's
// 3-clause licence.
var commonLicenses = map[string]string{
	"Apache-2.0": "Apache-2.0", "Artistic": "Artistic-1.0-Perl", "BSD": "BSD-3-Clause", "CC0-1.0": "CC0-1.0",
	"GFDL-1.2": "GFDL-1.2-only", "GFDL-1.3": "GFDL-1.3-only", "GPL-1": "GPL-1.0-only", "GPL-2": "GPL-2.0-only",
	"GPL-3": "GPL-3.0-only", "LGPL-2": "LGPL-2.0-only", "LGPL-2.1": "LGPL-2.1-only", "LGPL-3": "LGPL-3.0-only",
	"MPL-1.1": "MPL-1.1", "MPL-2.0": "MPL-2.0",
}

// commonCorpus reads /usr/share/common-licenses under root (symbolic links
// such as GPL -> GPL-3 excepted).
func commonCorpus(dir string) ([]sample, error) {
	var out []sample
	names := make([]string, 0, len(commonLicenses))
	for n := range commonLicenses {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			if os.IsNotExist(err) {
				continue
			}
			return nil, err
		}
		out = append(out, sample{name: "common-licenses/" + n, want: commonLicenses[n], text: string(b)})
	}
	return out, nil
}

// npmCorpus pairs the licence files of the packages under node_modules
// trees with the licence their package.json declares, when that is one
// SPDX licence id. Packages declare what their authors chose; the file is
// what they ship. A text seen twice with the same id is kept once.
func npmCorpus(roots []string) (out []sample, skipped int, err error) {
	seen := make(map[string]bool)
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, e os.DirEntry, err error) error {
			if err != nil || e.IsDir() || e.Name() != "package.json" {
				return nil
			}
			var pkg struct {
				Name, Version string
				License       any
			}
			if readJSON(path, &pkg) != nil || pkg.Name == "" || pkg.Version == "" {
				return nil
			}
			dir := filepath.Dir(path)
			ents, err := os.ReadDir(dir)
			if err != nil {
				return nil
			}
			decl, _ := pkg.License.(string)
			id, ok := rules.Licenses().Canonical(decl)
			for _, f := range ents {
				if f.IsDir() || !licensedetect.IsLicenseFile(f.Name()) {
					continue
				}
				if !ok {
					skipped++
					continue
				}
				b, err := os.ReadFile(filepath.Join(dir, f.Name()))
				if err != nil || len(b) > licensedetect.DefaultMaxSize {
					continue
				}
				key := id + "\x00" + strings.Join(strings.Fields(string(b)), " ")
				if seen[key] {
					continue
				}
				seen[key] = true
				out = append(out, sample{name: pkg.Name + "@" + pkg.Version + "/" + f.Name(), want: id, text: string(b)})
			}
			return nil
		})
		if err != nil {
			return nil, 0, err
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, skipped, nil
}

// classifierCorpus reads the licence texts of Google's licenseclassifier v2
// (assets/License/<id>/*.txt in its Go module), a collection of real-world
// variants of each licence, for the ids that are SPDX licence ids. It
// plays no part in building sillage's patterns.
func classifierCorpus(dir string) (out []sample, skipped int, err error) {
	files, err := filepath.Glob(filepath.Join(dir, "assets", "License", "*", "*.txt"))
	if err != nil {
		return nil, 0, err
	}
	for _, f := range files {
		name := filepath.Base(filepath.Dir(f))
		id, ok := rules.Licenses().Canonical(name)
		if !ok {
			skipped++
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, sample{name: name + "/" + filepath.Base(f), want: id, text: string(b)})
	}
	return out, skipped, nil
}
