// Command dep5 measures how well sillage's declared licences for Debian
// packages agree with the packages' machine-readable copyright files.
//
// For every installed package of ROOT/var/lib/dpkg/status whose
// /usr/share/doc/PACKAGE/copyright is in the DEP-5 format (copyright-format
// 1.0), it reads the first line of every License field of the header and
// Files paragraphs, maps each short name to SPDX ids with a small reference
// table taken from the DEP-5 spec (section 7.1, independent of sillage's
// alias table), and compares that set of ids with the one sillage reports
// for the package: the SPDX expression of each declared licence of the
// "deb" component, or rules.NormalizeLicense of its value when the scanner
// left it empty.
//
// Usage (from the repository root; see README.md):
//
//	go run ./bench/dep5 [-root DIR] [-top N] [-list]
//
// It reads files only and prints a report on stdout.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/rules"
	"github.com/sillage-oss/sillage/rules/spdx"
	"github.com/sillage-oss/sillage/scanner"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("dep5", flag.ContinueOnError)
	flags.SetOutput(stderr)
	root := flags.String("root", "/", "root of the installed system to read")
	top := flags.Int("top", 20, "how many of the most frequent disagreements to show")
	list := flags.Bool("list", false, "also list every package that disagrees")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() > 0 {
		fmt.Fprintln(stderr, "dep5: unexpected arguments; use -root DIR")
		return 2
	}
	if err := bench(ctx, *root, *top, *list, stdout); err != nil {
		fmt.Fprintln(stderr, "dep5:", err)
		return 1
	}
	return 0
}

// pkgRef is what the copyright file says about one package.
type pkgRef struct {
	name     string
	text     []byte              // its content
	synopses []string            // License first lines of the header and Files paragraphs
	all      []string            // License first lines of every paragraph, stand-alone ones too
	ids      map[string]bool     // reference SPDX ids
	from     map[string][]string // reference id -> short names that gave it
	noID     []string            // short names the reference cannot map
}

// pkgSillage is what sillage says.
type pkgSillage struct {
	found  bool
	ids    map[string]bool
	from   map[string][]string // id -> declared values that gave it
	values []string            // declared values
}

func bench(ctx context.Context, root string, top int, list bool, w io.Writer) error {
	start := time.Now()
	installed, err := readStatus(filepath.Join(root, "var/lib/dpkg/status"))
	if err != nil {
		return err
	}
	var refs []*pkgRef
	notDEP5 := 0
	for _, name := range installed {
		file := "/usr/share/doc/" + name + "/copyright"
		b, err := readInRoot(root, file)
		if err != nil {
			continue
		}
		r, ok := parseCopyright(b)
		if !ok {
			notDEP5++
			continue
		}
		r.name, r.text = name, b
		refs = append(refs, r)
	}
	readTime := time.Since(start)

	scanStart := time.Now()
	inv, err := scanner.Scan(ctx, "host:"+root, scanner.Options{})
	if err != nil {
		return err
	}
	scanTime := time.Since(scanStart)

	debs := map[string][]sillage.Component{}
	for _, c := range inv.Components {
		if c.Type == sillage.TypeDeb {
			debs[c.Name] = append(debs[c.Name], c)
		}
	}

	fmt.Fprintf(w, "# DEP-5 agreement: %s\n\n", root)
	fmt.Fprintf(w, "installed packages: %d; with a DEP-5 copyright file: %d; other copyright files: %d; deb components found by sillage: %d\n\n",
		len(installed), len(refs), notDEP5, len(debs))

	for _, m := range modes {
		report(w, m, refs, debs, top, list)
	}
	fmt.Fprintf(w, "time: %s (copyright files %s, host scan %s)\n", time.Since(start).Round(time.Millisecond),
		readTime.Round(time.Millisecond), scanTime.Round(time.Millisecond))
	return nil
}

// ---- dpkg status and copyright files -----------------------------------

// readStatus returns the names of the installed packages, sorted.
func readStatus(file string) ([]string, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, p := range paragraphs(b) {
		f := fields(p)
		st := strings.Fields(f["status"])
		if f["package"] != "" && len(st) == 3 && st[2] == "installed" {
			names = append(names, f["package"])
		}
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// paragraphs splits a deb822 file at blank lines.
func paragraphs(b []byte) [][]string {
	var out [][]string
	var cur []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			if len(cur) > 0 {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		if strings.HasPrefix(line, "#") {
			continue
		}
		cur = append(cur, line)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// fields returns the first line of each field of a paragraph, by lower-case
// name.
func fields(p []string) map[string]string {
	m := map[string]string{}
	for _, line := range p {
		if line[0] == ' ' || line[0] == '\t' {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		m[strings.ToLower(strings.TrimSpace(name))] = strings.TrimSpace(value)
	}
	return m
}

var formatRE = regexp.MustCompile(`^https?://www\.debian\.org/doc/packaging-manuals/copyright-format/1\.0/?$`)

// parseCopyright reads a DEP-5 file: the License synopses of its header and
// Files paragraphs. A stand-alone License paragraph only gives the text of
// a short name used in those, so it adds nothing. ok is false when the file
// is not DEP-5 1.0.
func parseCopyright(b []byte) (*pkgRef, bool) {
	ps := paragraphs(b)
	if len(ps) == 0 || !formatRE.MatchString(fields(ps[0])["format"]) {
		return nil, false
	}
	r := &pkgRef{ids: map[string]bool{}, from: map[string][]string{}}
	for i, p := range ps {
		f := fields(p)
		lic, has := f["license"]
		if !has || lic == "" {
			continue
		}
		r.all = append(r.all, lic)
		if _, files := f["files"]; i > 0 && !files {
			continue // stand-alone License paragraph
		}
		r.synopses = append(r.synopses, lic)
		for _, name := range shortNames(lic) {
			ids := dep5IDs(name)
			if len(ids) == 0 {
				r.noID = append(r.noID, name)
			}
			for _, id := range ids {
				r.ids[id] = true
				if !slices.Contains(r.from[id], name) {
					r.from[id] = append(r.from[id], name)
				}
			}
		}
	}
	slices.Sort(r.noID)
	r.noID = slices.Compact(r.noID)
	return r, true
}

// readInRoot reads a file of the system at root, resolving symbolic links
// inside root (an absolute link target is relative to root, not to this
// machine).
func readInRoot(root, name string) ([]byte, error) {
	p := path.Clean("/" + name)
	for hops := 0; hops < 40; hops++ {
		parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
		resolved := "/"
		redirected := false
		for i, part := range parts {
			cur := path.Join(resolved, part)
			fi, err := os.Lstat(filepath.Join(root, cur))
			if err != nil {
				return nil, err
			}
			if fi.Mode()&fs.ModeSymlink == 0 {
				resolved = cur
				continue
			}
			target, err := os.Readlink(filepath.Join(root, cur))
			if err != nil {
				return nil, err
			}
			if !path.IsAbs(target) {
				target = path.Join(resolved, target)
			}
			p = path.Clean(path.Join(append([]string{target}, parts[i+1:]...)...))
			redirected = true
			break
		}
		if !redirected {
			return os.ReadFile(filepath.Join(root, resolved))
		}
	}
	return nil, errors.New("too many symbolic links: " + name)
}

// ---- the reference: DEP-5 section 7.1 -----------------------------------

// dep5Family is one row of the DEP-5 table of standard short names: the
// SPDX id pattern ({v} for the version), and the version implied when
// none is given (the spec: "If the version number is omitted, the lowest
// version number is implied").
type dep5Family struct {
	pattern string
	lowest  string
	gnu     bool // "+" gives -or-later; without it, -only
}

var dep5Table = map[string]dep5Family{
	"apache":       {"Apache-{v}", "1.0", false},
	"artistic":     {"Artistic-{v}", "1.0", false},
	"bsd-2-clause": {"BSD-2-Clause", "", false},
	"bsd-3-clause": {"BSD-3-Clause", "", false},
	"bsd-4-clause": {"BSD-4-Clause", "", false},
	"isc":          {"ISC", "", false},
	"cc-by":        {"CC-BY-{v}", "1.0", false},
	"cc-by-sa":     {"CC-BY-SA-{v}", "1.0", false},
	"cc-by-nd":     {"CC-BY-ND-{v}", "1.0", false},
	"cc-by-nc":     {"CC-BY-NC-{v}", "1.0", false},
	"cc-by-nc-sa":  {"CC-BY-NC-SA-{v}", "1.0", false},
	"cc-by-nc-nd":  {"CC-BY-NC-ND-{v}", "1.0", false},
	"cc0":          {"CC0-{v}", "1.0", false},
	"cddl":         {"CDDL-{v}", "1.0", false},
	"cpl":          {"CPL-{v}", "1.0", false},
	"efl":          {"EFL-{v}", "1.0", false},
	"expat":        {"MIT", "", false},
	"gpl":          {"GPL-{v}", "1.0", true},
	"lgpl":         {"LGPL-{v}", "2.0", true},
	"gfdl":         {"GFDL-{v}", "1.0", true},
	"gfdl-niv":     {"GFDL-{v}-no-invariants", "1.0", true},
	"lppl":         {"LPPL-{v}", "1.0", false},
	"mpl":          {"MPL-{v}", "1.1", false},
	"python":       {"Python-{v}", "2.0", false},
	"qpl":          {"QPL-{v}", "1.0", false},
	"w3c":          {"W3C", "", false},
	"zlib":         {"Zlib", "", false},
	"zope":         {"ZPL-{v}", "1.0", false},
}

var (
	// a word that could be a versionless short name: "GPL", "LGPL+"
	bareName    = regexp.MustCompile(`(?:^|\b)[A-Za-z][A-Za-z0-9-]*\+?(?:\b|$)`)
	connectives = regexp.MustCompile(`(?i),|\s+or\s+|\s+and\s+`)
	withPart    = regexp.MustCompile(`(?i)\s+with\s+.*$`)
	shortName   = regexp.MustCompile(`^(.+?)(?:-([0-9][0-9.]*[a-z]?))?(\+)?$`)
)

// shortNames splits a synopsis into its short names, per DEP-5 section 7.2:
// "or", "and" and "," combine names; "with X exception" qualifies the name
// before it (the reference compares licences, not exceptions).
func shortNames(synopsis string) []string {
	var out []string
	for _, n := range connectives.Split(synopsis, -1) {
		n = strings.TrimSpace(withPart.ReplaceAllString(strings.TrimSpace(n), ""))
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}

// dep5IDs maps one short name: a DEP-5 standard short name, or else an id
// of the SPDX list as is (maintainers often write "MIT" or "Apache-2.0").
// Perl is "GPL-1+ or Artistic-1", as the spec says. Anything else (custom
// names, public-domain) gives nothing.
func dep5IDs(name string) []string {
	lic := rules.Licenses()
	if strings.EqualFold(name, "perl") {
		return []string{"GPL-1.0-or-later", "Artistic-1.0"}
	}
	m := shortName.FindStringSubmatch(name)
	if m != nil {
		if fam, ok := dep5Table[strings.ToLower(m[1])]; ok {
			v := m[2]
			if v == "" {
				v = fam.lowest
			}
			if !strings.Contains(fam.pattern, "{v}") && m[2] != "" {
				return nil
			}
			for _, cand := range versionSpellings(v) {
				id := strings.ReplaceAll(fam.pattern, "{v}", cand)
				switch {
				case fam.gnu && m[3] != "":
					id += "-or-later"
				case fam.gnu:
					id += "-only"
				case m[3] != "":
					if c, ok := current(lic, id); ok {
						return []string{c + "+"}
					}
					continue
				}
				if c, ok := current(lic, id); ok {
					return []string{c}
				}
			}
			return nil
		}
	}
	if c, ok := current(lic, name); ok {
		return []string{c}
	}
	// another SPDX id, with DEP-5's version equivalence ("OPL-1+", "PSF-2")
	if m != nil && m[2] != "" {
		for _, v := range versionSpellings(m[2]) {
			if c, ok := current(lic, m[1]+"-"+v); ok {
				if m[3] != "" {
					c += "+"
				}
				return []string{c}
			}
		}
	}
	return nil
}

// versionSpellings: DEP-5 holds "2", "2.0" and "2.0.0" equal.
func versionSpellings(v string) []string {
	if v == "" {
		return []string{""}
	}
	base := strings.TrimSuffix(strings.TrimSuffix(v, ".0"), ".0")
	return []string{v, base, base + ".0", base + ".0.0"}
}

// current returns the current id for an SPDX id: itself in canonical case,
// or a deprecated id's replacement when that is a single licence.
func current(lic *rules.LicenseTable, id string) (string, bool) {
	l, ok := lic.Lookup(id)
	if !ok {
		return "", false
	}
	if !l.Deprecated {
		return l.ID, true
	}
	e, err := spdx.Parse(l.ReplacedBy)
	if err != nil {
		return "", false
	}
	switch x := e.(type) {
	case *spdx.License:
		return x.String(), true
	case *spdx.With:
		return x.License.String(), true
	}
	return "", false
}

// ---- sillage's side -------------------------------------------------------

// mode is one way of getting sillage's licences for a package.
type mode struct {
	title    string
	ids      func(r *pkgRef, comps []sillage.Component) pkgSillage
	synopses bool // the values are the synopses, not syft's declared licences
}

var modes = []mode{
	{"sillage as shipped: the scanner's declared licences (its SPDX field, NormalizeLicense(value) where that is empty)",
		func(_ *pkgRef, comps []sillage.Component) pkgSillage { return fromDeclared(comps, false, nil) }, false},
	{"NormalizeLicense on every declared value (the scanner will call it itself)",
		func(_ *pkgRef, comps []sillage.Component) pkgSillage { return fromDeclared(comps, true, nil) }, false},
	{"diagnostic: as above, without the values syft took from /usr/share/common-licenses/ paths",
		func(r *pkgRef, comps []sillage.Component) pkgSillage { return fromDeclared(comps, true, r) }, false},
	{"diagnostic: NormalizeLicense on the License: synopses themselves (sillage parsing DEP-5 files itself)",
		func(r *pkgRef, _ []sillage.Component) pkgSillage { return fromSynopses(r, false) }, true},
	{"diagnostic: as above, with DEP-5's rule that a standard short name without version means the lowest version",
		func(r *pkgRef, _ []sillage.Component) pkgSillage { return fromSynopses(r, true) }, true},
}

// fromDeclared collects the ids of the components' declared licences.
// With r, it leaves out the values syft read from a
// "/usr/share/common-licenses/NAME" path rather than from a License field.
func fromDeclared(comps []sillage.Component, normalizeAll bool, r *pkgRef) pkgSillage {
	s := pkgSillage{found: len(comps) > 0, ids: map[string]bool{}, from: map[string][]string{}}
	lic := rules.Licenses()
	for _, c := range comps {
		for _, d := range c.Licenses.Declared {
			if r != nil && fromCommonLicensesPath(r, d.Value) {
				continue
			}
			s.values = append(s.values, d.Value)
			expr := ""
			if d.SPDX != "" && !normalizeAll {
				if canon, unknown, err := lic.CanonicalExpression(d.SPDX); err == nil && len(unknown) == 0 {
					expr = canon
				}
			} else {
				expr = rules.NormalizeLicense(d.Value).Expression
			}
			s.add(d.Value, expr)
		}
	}
	slices.Sort(s.values)
	s.values = slices.Compact(s.values)
	return s
}

// fromSynopses normalises the License synopses the bench read. With
// lowest, it first gives the versionless standard short names their
// lowest version, as DEP-5 section 7.1 says ("GPL" is "GPL-1"), which
// NormalizeLicense does not do since it cannot know the text comes from a
// DEP-5 file.
func fromSynopses(r *pkgRef, lowest bool) pkgSillage {
	s := pkgSillage{found: true, ids: map[string]bool{}, from: map[string][]string{}}
	for _, syn := range r.synopses {
		s.values = append(s.values, syn)
		text := syn
		if lowest {
			text = bareName.ReplaceAllStringFunc(text, func(w string) string {
				if fam, ok := dep5Table[strings.ToLower(strings.TrimSuffix(w, "+"))]; ok && fam.lowest != "" {
					return strings.TrimSuffix(w, "+") + "-" + fam.lowest + strings.Repeat("+", strings.Count(w, "+"))
				}
				return w
			})
		}
		s.add(syn, rules.NormalizeLicense(text).Expression)
	}
	slices.Sort(s.values)
	s.values = slices.Compact(s.values)
	return s
}

func (s *pkgSillage) add(value, expr string) {
	e, err := spdx.Parse(expr)
	if err != nil {
		return // unmapped: no id
	}
	for _, l := range spdx.Licenses(e) {
		if l.IsRef() {
			continue
		}
		id := l.String()
		s.ids[id] = true
		if !slices.Contains(s.from[id], value) {
			s.from[id] = append(s.from[id], value)
		}
	}
}

// fromCommonLicensesPath reports whether syft can only have found v in a
// "/usr/share/common-licenses/v" path: the file names that path and uses v
// as no short name.
func fromCommonLicensesPath(r *pkgRef, v string) bool {
	if !bytes.Contains(r.text, []byte("/usr/share/common-licenses/"+v)) {
		return false
	}
	for _, l := range r.all {
		if strings.EqualFold(strings.Fields(l)[0], v) || slices.ContainsFunc(shortNames(l), func(n string) bool { return strings.EqualFold(n, v) }) {
			return false
		}
	}
	return true
}

// ---- the report ---------------------------------------------------------

type issue struct {
	key      string // "missing GPL-1.0-or-later: syft reported no such name"
	count    int
	examples []string
}

func report(w io.Writer, m mode, refs []*pkgRef, debs map[string][]sillage.Component, top int, list bool) {
	var equal, subset, withRef, equalWithRef, notFound, equalKnown int
	var jaccard float64
	issues := map[string]*issue{}
	note := func(key, example string) {
		is := issues[key]
		if is == nil {
			is = &issue{key: key}
			issues[key] = is
		}
		is.count++
		if len(is.examples) < 3 {
			is.examples = append(is.examples, example)
		}
	}
	var disagree []string
	for _, r := range refs {
		s := m.ids(r, debs[r.name])
		if !s.found {
			notFound++
		}
		inter, union := 0, 0
		for id := range r.ids {
			if s.ids[id] {
				inter++
			}
		}
		union = len(r.ids) + len(s.ids) - inter
		j := 1.0
		if union > 0 {
			j = float64(inter) / float64(union)
		}
		jaccard += j
		eq := inter == len(r.ids) && inter == len(s.ids)
		if eq {
			equal++
		}
		if inter == len(r.ids) {
			subset++
		}
		if len(r.ids) > 0 {
			withRef++
			if eq {
				equalWithRef++
			}
		}
		if eq {
			equalKnown++
			continue
		}
		disagree = append(disagree, fmt.Sprintf("%s: reference %v, sillage %v; License: %q; declared %q",
			r.name, sortedSet(r.ids), sortedSet(s.ids), r.synopses, s.values))
		for _, id := range sortedSet(r.ids) {
			if !s.ids[id] {
				cause := missingCause(r, s, id)
				if m.synopses {
					cause = missingFromSynopses(r, id)
				}
				note("missing "+id+": "+cause, r.name+" ("+strings.Join(r.from[id], ", ")+")")
			}
		}
		onlyUnknown := inter == len(r.ids)
		for _, id := range sortedSet(s.ids) {
			if !r.ids[id] {
				cause := extraCause(r, s, id)
				if m.synopses {
					cause = extraFromSynopses(r, s, id)
				}
				if !strings.HasPrefix(cause, noIDCause) {
					onlyUnknown = false
				}
				note("extra "+id+": "+cause, r.name+" ("+strings.Join(s.from[id], ", ")+")")
			}
		}
		if onlyUnknown {
			equalKnown++
		}
	}
	n := len(refs)
	fmt.Fprintf(w, "## %s\n\n", m.title)
	fmt.Fprintf(w, "| measure | value |\n| --- | --- |\n")
	fmt.Fprintf(w, "| packages considered | %d |\n", n)
	fmt.Fprintf(w, "| agreement (same set of SPDX ids) | %s |\n", pct(equal, n))
	fmt.Fprintf(w, "| agreement, packages whose reference set is not empty (%d) | %s |\n", withRef, pct(equalWithRef, withRef))
	fmt.Fprintf(w, "| agreement, not counting the ids sillage gives names the reference cannot map | %s |\n", pct(equalKnown, n))
	fmt.Fprintf(w, "| reference ⊆ sillage | %s |\n", pct(subset, n))
	fmt.Fprintf(w, "| mean Jaccard index | %.3f |\n", jaccard/float64(max(n, 1)))
	fmt.Fprintf(w, "| packages sillage did not report | %d |\n\n", notFound)

	all := make([]*issue, 0, len(issues))
	for _, is := range issues {
		all = append(all, is)
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].count != all[j].count {
			return all[i].count > all[j].count
		}
		return all[i].key < all[j].key
	})
	fmt.Fprintf(w, "Most frequent disagreements (a package can have several):\n\n| packages | disagreement | examples |\n| --- | --- | --- |\n")
	for _, is := range all[:min(top, len(all))] {
		fmt.Fprintf(w, "| %d | %s | %s |\n", is.count, is.key, strings.Join(is.examples, "; "))
	}
	fmt.Fprintln(w)
	if list {
		fmt.Fprintf(w, "Packages that disagree:\n\n")
		for _, d := range disagree {
			fmt.Fprintln(w, "- "+d)
		}
		fmt.Fprintln(w)
	}
}

// missingCause says why sillage lacks a reference id.
func missingCause(r *pkgRef, s pkgSillage, id string) string {
	for _, name := range r.from[id] {
		for _, v := range s.values {
			if strings.EqualFold(v, name) {
				n := rules.NormalizeLicense(v)
				if n.Expression == "" {
					return "sillage leaves " + quoteList([]string{v}) + " unmapped (" + n.How + ")"
				}
				return "sillage maps " + quoteList([]string{v}) + " to " + n.Expression
			}
		}
	}
	if !s.found {
		return "package not reported"
	}
	for _, name := range r.from[id] {
		if regexp.MustCompile(`(?m)^License:(?:\t| {2,})` + regexp.QuoteMeta(name) + `\s*$`).Match(r.text) {
			return `syft's pattern ^License: (\S*) misses a License: line with two spaces or a tab`
		}
	}
	for _, syn := range r.synopses {
		for _, name := range r.from[id] {
			if slices.Contains(shortNames(syn), name) && strings.Fields(syn)[0] != name {
				return "syft keeps only the first word of License: lines (" + quoteList([]string{syn}) + ")"
			}
		}
	}
	return "syft reported no such name"
}

// extraCause says where an id sillage reports but the reference lacks
// comes from.
func extraCause(r *pkgRef, s pkgSillage, id string) string {
	for _, v := range s.from[id] {
		if bytes.Contains(r.text, []byte("/usr/share/common-licenses/"+v)) {
			return "syft reads a /usr/share/common-licenses/ path as a licence (" + quoteList([]string{v}) + ")"
		}
	}
	for _, v := range s.from[id] {
		for _, name := range r.noID {
			if strings.EqualFold(v, name) {
				return noIDCause + quoteList([]string{v})
			}
		}
	}
	for _, v := range s.from[id] {
		if !usedIn(r, v) {
			return "a name only in a stand-alone License paragraph (" + quoteList([]string{v}) + ")"
		}
	}
	return "mapped differently (" + quoteList(s.from[id]) + ")"
}

// missingFromSynopses says why NormalizeLicense of the synopses lacks a
// reference id.
func missingFromSynopses(r *pkgRef, id string) string {
	for _, syn := range r.synopses {
		for _, name := range r.from[id] {
			if !slices.Contains(shortNames(syn), name) {
				continue
			}
			n := rules.NormalizeLicense(syn)
			if n.Expression == "" {
				return fmt.Sprintf("sillage leaves a synopsis unmapped (%s: %s)", n.How, quoteList(n.Unmapped))
			}
			return fmt.Sprintf("sillage maps %q to %s", syn, n.Expression)
		}
	}
	return "not found"
}

// extraFromSynopses says where an id of NormalizeLicense of the synopses
// that the reference lacks comes from.
func extraFromSynopses(r *pkgRef, s pkgSillage, id string) string {
	for _, syn := range s.from[id] {
		for _, name := range shortNames(syn) {
			if slices.Contains(r.noID, name) && slices.ContainsFunc(
				spdxIDs(rules.NormalizeLicense(name).Expression), func(x string) bool { return x == id }) {
				return noIDCause + quoteList([]string{name})
			}
		}
	}
	return "mapped differently (" + quoteList(s.from[id]) + ")"
}

func spdxIDs(expr string) []string {
	e, err := spdx.Parse(expr)
	if err != nil {
		return nil
	}
	var out []string
	for _, l := range spdx.Licenses(e) {
		out = append(out, l.String())
	}
	return out
}

func usedIn(r *pkgRef, v string) bool {
	for _, syn := range r.synopses {
		for _, n := range shortNames(syn) {
			if strings.EqualFold(n, v) {
				return true
			}
		}
		if strings.EqualFold(strings.Fields(syn)[0], v) {
			return true
		}
	}
	return false
}

// noIDCause starts the cause of an extra id that sillage found for a name
// the reference cannot map ("zlib/libpng", "BSD-3", "APACHE-2-LLVM-EXCEPTIONS").
const noIDCause = "the reference has no id for "

func quoteList(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func pct(a, b int) string {
	if b == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%% (%d/%d)", 100*float64(a)/float64(b), a, b)
}
