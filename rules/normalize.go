package rules

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/sillage-oss/sillage/rules/spdx"
)

// license-aliases.yaml is the curated table of licence names that are not
// SPDX ids: DEP-5 short names, Fedora's old short names, PyPI classifiers,
// Maven, npm and CRAN spellings, licence URLs, and the names sillage
// refuses to map. Its header states the policy; NormalizeLicense applies it.
//
//go:embed data/license-aliases.yaml
var aliasesYAML []byte

// PublicDomainRef is the licence reference sillage writes for a statement
// that the work is in the public domain (Debian's "public-domain", Fedora's
// and PyPI's "Public Domain"). SPDX has no id for such a claim, only for
// particular dedications (CC0-1.0, Unlicense, NIST-PD...). Its category is
// left unknown: whether a work really is free of copyright depends on the
// work and the jurisdiction (French law does not let an author give up the
// moral right), so the claim needs a review, as the DEP-5 spec itself warns.
const PublicDomainRef = "LicenseRef-PublicDomain"

// How a Normalized expression was obtained, or why there is none.
const (
	// HowSPDX: the text was already a valid SPDX expression of known ids
	// (in any case, possibly with deprecated ids, which are replaced).
	HowSPDX = "spdx"
	// HowAlias: names from the alias table or SPDX full names, e.g.
	// "GPLv2+ and ASL 2.0", "The Apache Software License, Version 2.0".
	HowAlias = "alias"
	// HowURL: a licence URL, e.g. "https://opensource.org/licenses/MIT".
	HowURL = "url"
	// HowClassifier: a PyPI "License ::" trove classifier.
	HowClassifier = "classifier"
	// HowProprietary: the text, or a part of it, says the terms grant no
	// free licence ("Proprietary", "EULA", npm's "UNLICENSED"): it maps to
	// ProprietaryRef.
	HowProprietary = "proprietary"
	// HowAmbiguous: no expression, because every unmapped part names more
	// than one licence ("BSD", "GPL" without a version, "MIT-like").
	HowAmbiguous = "ambiguous"
	// HowFile: no expression, because the licence is in a file the
	// metadata points to ("SEE LICENSE IN LICENSE.txt", CRAN's
	// "file LICENSE"): licence detection must read it.
	HowFile = "file"
	// HowUnmapped: no expression, because some part of the text maps to
	// no licence sillage knows.
	HowUnmapped = "unmapped"
)

// Normalized is what sillage makes of one declared licence statement.
type Normalized struct {
	// Expression is the statement as a canonical SPDX expression of
	// current ids, e.g. "GPL-2.0-or-later AND LGPL-2.0-or-later"; "" when
	// any part of the text could not be mapped, so that an expression is
	// never a partial reading of the statement.
	Expression string
	// Unmapped are the parts of the text that map to nothing, verbatim
	// and in order, e.g. ["BSD"] for "GPLv2+ and BSD"; nil when Expression
	// is set. A part is a licence name, or a licence with an exception
	// when it is the exception that is unknown.
	Unmapped []string
	// How says how Expression was obtained or why it is empty: one of the
	// How* constants, "" for an empty text. With several methods in one
	// statement it names the least direct: proprietary, then classifier,
	// url, alias, spdx; a statement sillage had to split ("MIT/Apache-2.0")
	// is at least alias, since reading its connectives is a convention.
	How string
}

// NormalizeLicense maps a declared licence statement, as package metadata
// spells it (a Debian short name, an RPM License tag, an npm, PyPI or
// Maven licence field, a licence URL), to a canonical SPDX expression of
// current ids: "GPLv2+ and ASL 2.0" gives "GPL-2.0-or-later AND
// Apache-2.0", "GPL-2.0+" gives "GPL-2.0-or-later". Text it cannot map,
// or that names no single licence ("BSD", "GPL" without a version), is
// returned verbatim in Unmapped and never guessed; data/license-aliases.yaml
// states the policy. It never fails and is safe for concurrent use.
func NormalizeLicense(text string) Normalized {
	return normalizer().normalize(text)
}

// maxNormalizeLen bounds the text NormalizeLicense splits into names, in
// bytes after whitespace is collapsed, and maxNormalizeTokens the number of
// words and connectives: splitting is cubic in the number of tokens (about
// 15 ms at the limit), and real statements are far shorter. Longer text is
// still tried as an SPDX expression, else returned unmapped.
const (
	maxNormalizeLen    = 2048
	maxNormalizeTokens = 128
	// maxNameLen and maxNameTokens bound the span looked up as one name:
	// the longest SPDX name has 17 tokens, the longest name of the alias
	// table 90 bytes (a PyPI classifier); URLs may be longer.
	maxNameLen    = 256
	maxNameTokens = 24
)

var normalizer = sync.OnceValue(func() *aliasIndex {
	ix, err := buildAliasIndex(aliasesYAML, Licenses())
	if err != nil {
		panic("rules: embedded data/license-aliases.yaml: " + err.Error())
	}
	return ix
})

// The kinds of alias groups in license-aliases.yaml.
const (
	kindLicense    = "license"    // licence names, matched by aliasKey
	kindException  = "exception"  // what follows "with", matched by exceptionKey
	kindClassifier = "classifier" // PyPI trove classifiers, matched by classifierKey
	kindURL        = "url"        // licence URLs, matched by urlKey
)

type aliasFile struct {
	Revision int          `yaml:"revision"`
	Groups   []aliasGroup `yaml:"groups"`
}

type aliasGroup struct {
	Name      string            `yaml:"name"`
	Kind      string            `yaml:"kind"`
	Source    string            `yaml:"source"`
	Aliases   map[string]string `yaml:"aliases"`
	Ambiguous map[string]string `yaml:"ambiguous"` // name -> why it is not mapped
}

// aliasTarget is what a name maps to: an expression, or for a name known to
// be ambiguous, nothing and the reason.
type aliasTarget struct {
	expr  spdx.Expr // canonical; nil when ambiguous
	why   string    // for an ambiguous name: why it is not mapped
	group string    // the group it comes from, "spdx" when generated
	name  string    // the name as written in the table
}

func (t aliasTarget) ambiguous() bool { return t.expr == nil }

// aliasIndex is the alias table ready for lookups. It is read-only once
// built.
type aliasIndex struct {
	lic       *LicenseTable
	revision  int
	curated   map[string]map[string]aliasTarget // kind -> key -> target
	generated map[string]map[string]aliasTarget // kindLicense, kindException -> key -> target
	// collisions are the keys that two SPDX ids or names share with
	// different meanings; they are left out of generated.
	collisions map[string][]string
	groups     []aliasGroup // as loaded, for counts
}

func buildAliasIndex(b []byte, lic *LicenseTable) (*aliasIndex, error) {
	var f aliasFile
	if err := yaml.Unmarshal(b, &f); err != nil {
		return nil, err
	}
	if f.Revision < 1 {
		return nil, fmt.Errorf("missing revision")
	}
	ix := &aliasIndex{
		lic:        lic,
		revision:   f.Revision,
		curated:    map[string]map[string]aliasTarget{},
		generated:  map[string]map[string]aliasTarget{kindLicense: {}, kindException: {}},
		collisions: map[string][]string{},
		groups:     f.Groups,
	}
	for _, k := range []string{kindLicense, kindException, kindClassifier, kindURL} {
		ix.curated[k] = map[string]aliasTarget{}
	}
	seen := map[string]bool{}
	for gi, g := range f.Groups {
		where := fmt.Sprintf("group %d (%s)", gi+1, g.Name)
		if g.Name == "" || seen[g.Name] {
			return nil, fmt.Errorf("%s: empty or duplicate name", where)
		}
		seen[g.Name] = true
		if strings.TrimSpace(g.Source) == "" {
			return nil, fmt.Errorf("%s: missing source", where)
		}
		m, ok := ix.curated[g.Kind]
		if !ok {
			return nil, fmt.Errorf("%s: kind %q is not one of license, exception, classifier, url", where, g.Kind)
		}
		add := func(name string, t aliasTarget) error {
			k := keyFor(g.Kind, name)
			if k == "" {
				return fmt.Errorf("%s: %q has an empty key", where, name)
			}
			if old, dup := m[k]; dup && !sameTarget(old, t) {
				return fmt.Errorf("%s: %q and %q (group %s) have the same key %q but different targets", where, name, old.name, old.group, k)
			}
			m[k] = t
			return nil
		}
		for _, name := range sortedKeys(g.Aliases) {
			target := g.Aliases[name]
			e, err := ix.parseTarget(g.Kind, target)
			if err != nil {
				return nil, fmt.Errorf("%s: %q: %w", where, name, err)
			}
			if err := add(name, aliasTarget{expr: e, group: g.Name, name: name}); err != nil {
				return nil, err
			}
		}
		for _, name := range sortedKeys(g.Ambiguous) {
			why := strings.TrimSpace(g.Ambiguous[name])
			if why == "" {
				return nil, fmt.Errorf("%s: ambiguous %q: missing reason", where, name)
			}
			if err := add(name, aliasTarget{why: why, group: g.Name, name: name}); err != nil {
				return nil, err
			}
		}
	}
	ix.generate()
	return ix, nil
}

// parseTarget checks that a target of the table is canonical: a valid
// expression of current SPDX ids (or ProprietaryRef, PublicDomainRef), as
// CanonicalExpression would write it; for exceptions, an SPDX exception id
// or an AdditionRef-.
func (ix *aliasIndex) parseTarget(kind, target string) (spdx.Expr, error) {
	if kind == kindException {
		if strings.HasPrefix(target, "AdditionRef-") {
			if _, err := spdx.Parse("MIT WITH " + target); err != nil {
				return nil, fmt.Errorf("target %q: %w", target, err)
			}
			return &spdx.License{ID: target}, nil // only the id is used
		}
		e, ok := ix.lic.Exception(target)
		if !ok || e.ID != target || e.Deprecated {
			return nil, fmt.Errorf("target %q is not a current SPDX exception id in its canonical case", target)
		}
		return &spdx.License{ID: target}, nil
	}
	canon, unknown, err := ix.lic.CanonicalExpression(target)
	if err != nil {
		return nil, fmt.Errorf("target %q: %w", target, err)
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("target %q: ids not on the SPDX list: %s", target, strings.Join(unknown, ", "))
	}
	if canon != target {
		return nil, fmt.Errorf("target %q is not canonical: write %q", target, canon)
	}
	e, err := spdx.Parse(canon)
	if err != nil {
		return nil, err
	}
	for _, l := range spdx.Licenses(e) {
		if l.IsRef() && l.ID != ProprietaryRef && l.ID != PublicDomainRef {
			return nil, fmt.Errorf("target %q: LicenseRef %s is neither %s nor %s", target, l.ID, ProprietaryRef, PublicDomainRef)
		}
	}
	return e, nil
}

// generate indexes every SPDX licence id and full name, and every exception
// id and name, by their keys, so that "Apache License 2.0", "apache 2.0"
// and "GNU General Public License v2.0 or later" need no curated entry.
// Deprecated ids map to their replacement. A key that two of them share
// with different meanings is left out and recorded in collisions.
func (ix *aliasIndex) generate() {
	gen := ix.generated[kindLicense]
	bad := map[string]bool{}
	put := func(m map[string]aliasTarget, k string, t aliasTarget) {
		if k == "" || bad[k] {
			return
		}
		if old, dup := m[k]; dup && !sameTarget(old, t) {
			ix.collisions[k] = append(ix.collisions[k], old.name, t.name)
			delete(m, k)
			bad[k] = true
			return
		}
		m[k] = t
	}
	for _, l := range ix.lic.All() {
		e, unknown := ix.lic.Canonicalize(&spdx.License{ID: l.ID})
		if len(unknown) > 0 {
			continue
		}
		e = spdx.Normalize(e)
		if l.Deprecated && l.ReplacedBy == "" {
			continue // no single successor (Net-SNMP): no alias
		}
		for _, name := range []string{l.ID, l.Name} {
			put(gen, aliasKey(name), aliasTarget{expr: e, group: "spdx", name: name})
		}
	}
	gex := ix.generated[kindException]
	for _, x := range ix.lic.Exceptions() {
		if x.Deprecated {
			continue
		}
		t := aliasTarget{expr: &spdx.License{ID: x.ID}, group: "spdx"}
		for _, name := range []string{x.ID, x.Name} {
			t.name = name
			put(gex, exceptionKey(name), t)
		}
	}
}

func sameTarget(a, b aliasTarget) bool {
	if a.ambiguous() || b.ambiguous() {
		return a.ambiguous() && b.ambiguous()
	}
	return spdx.Equal(a.expr, b.expr)
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func keyFor(kind, name string) string {
	switch kind {
	case kindException:
		return exceptionKey(name)
	case kindClassifier:
		return classifierKey(name)
	case kindURL:
		return urlKey(name)
	}
	return aliasKey(name)
}

// ---- keys -----------------------------------------------------------------

var (
	// R's "GPL (>= 2)" and "Apache License (== 2.0)" (Writing R Extensions,
	// "Licensing").
	keyAtLeast = regexp.MustCompile(`\(\s*>=\s*([0-9][0-9.]*)\s*\)`)
	keyExactly = regexp.MustCompile(`\(\s*==\s*([0-9][0-9.]*)\s*\)`)
	// a version: "2", "2.0", "2.0.0+", "1.3", "3.01"
	keyVersion = regexp.MustCompile(`^[0-9][0-9.]*\+?$`)
	// trailing zero components of a version: "2.0" is "2", as DEP-5 and
	// SPDX hold ("2.0.0" equals "2.0" and "2")
	keyZeros = regexp.MustCompile(`(\.0+)+$`)
	// "or later", "or any later version", "or (at your option) any later
	// version", "and later", "or newer", "or greater" ("version" and
	// "license" are already gone)
	keyOrLater = regexp.MustCompile(`(\S) (?:or|and) (?:at your option )?(?:any )?(?:later|newer|greater|above|higher)\b`)
)

// keyNoise are words that carry nothing for matching: "The MIT License",
// "Apache License, Version 2.0", "EPL v 1.0".
var keyNoise = map[string]bool{"the": true, "license": true, "licence": true, "licenses": true, "licences": true,
	"version": true, "ver": true, "v": true}

// keyPhrases shorten the long forms of licence family names, in order, so
// that "GNU Lesser General Public License v2.1", "GNU LGPL v2.1" and
// "LGPL-2.1" share a key. They apply to both sides of a lookup (the table
// and the text), so they only need to be consistent.
var keyPhrases = []struct{ from, to string }{
	{"gnu affero general public", "agpl"}, {"affero general public", "agpl"}, {"affero gpl", "agpl"},
	{"gnu library or lesser general public", "lgpl"},
	{"gnu lesser general public", "lgpl"}, {"lesser general public", "lgpl"},
	{"gnu library general public", "lgpl"}, {"library general public", "lgpl"},
	{"gnu general public", "gpl"}, {"general public", "gpl"},
	{"gnu free documentation", "gfdl"}, {"free documentation", "gfdl"},
	{"gnu gpl", "gpl"}, {"gnu lgpl", "lgpl"}, {"gnu agpl", "agpl"}, {"gnu gfdl", "gfdl"}, {"gnu fdl", "gfdl"}, {"fdl", "gfdl"},
	{"apache software", "apache"},
	{"mozilla public", "mpl"}, {"eclipse public", "epl"}, {"european union public", "eupl"},
	{"common development and distribution", "cddl"}, {"common public", "cpl"},
	{"creative commons", "cc"},
}

// ccPhrases apply to keys of Creative Commons names only.
var ccPhrases = []struct{ from, to string }{
	{"attribution", "by"}, {"share alike", "sa"}, {"sharealike", "sa"},
	{"non commercial", "nc"}, {"noncommercial", "nc"},
	{"no derivatives", "nd"}, {"noderivatives", "nd"}, {"no derivs", "nd"}, {"noderivs", "nd"},
	{"zero", "0"}, {"international", ""}, {"universal", ""}, {"unported", ""}, {"generic", ""},
}

// aliasKey reduces a licence name to the key it is looked up by: lower
// case; punctuation, quotes and dashes as spaces; noise words dropped;
// versions without "v", "version" or trailing ".0" ("GPLv2", "GPL version
// 2.0" and "GPL-2" all give "gpl 2"); "or later" as "+"; family names
// shortened (keyPhrases). "GNU General Public License v2 or later" and
// "GPL-2.0+" both give "gpl 2+".
func aliasKey(s string) string {
	s = strings.ToLower(s)
	s = keyAtLeast.ReplaceAllString(s, " $1+ ")
	s = keyExactly.ReplaceAllString(s, " $1 ")
	var b strings.Builder
	for _, r := range s {
		switch {
		// "~" stays: Debian names a variant "BSD-3-clause~Sun", which is
		// not SPDX's BSD-3-Clause-Sun
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '+' || r == '*' || r == '~':
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	var words []string
	for _, w := range strings.Fields(b.String()) {
		w = strings.Trim(w, ".")
		if w == "" {
			continue
		}
		if strings.Trim(w, "+") == "" { // a "+" on its own: "GPL 2 +"
			if len(words) > 0 {
				words[len(words)-1] += "+"
			}
			continue
		}
		if name, version, ok := splitGlued(w); ok {
			words = append(words, name)
			w = version
		}
		if keyVersion.MatchString(w) {
			plus := strings.HasSuffix(w, "+")
			w = keyZeros.ReplaceAllString(strings.TrimRight(strings.TrimSuffix(w, "+"), "."), "")
			if plus {
				w += "+"
			}
		}
		words = append(words, w)
	}
	kept := words[:0]
	for _, w := range words {
		if !keyNoise[w] {
			kept = append(kept, w)
		}
	}
	s = " " + strings.Join(kept, " ") + " "
	s = keyOrLater.ReplaceAllString(s, "$1+")
	for _, p := range keyPhrases {
		s = strings.ReplaceAll(s, " "+p.from+" ", " "+p.to+" ")
	}
	if strings.HasPrefix(s, " cc ") {
		for _, p := range ccPhrases {
			s = strings.ReplaceAll(s, " "+p.from+" ", " "+p.to+" ")
		}
	}
	// "COMMON DEVELOPMENT AND DISTRIBUTION LICENSE (CDDL) Version 1.0"
	// gives "cddl cddl 1": drop the repeated word
	fields := strings.Fields(s)
	fields = slices.Compact(fields)
	return strings.Join(fields, " ")
}

// splitGlued splits a word glued to a version, "gplv2+" into "gpl" and
// "2+", "lgpl2.1" into "lgpl" and "2.1", "cc0" into "cc" and "0": letters,
// an optional "v", then digits and dots and an optional "+".
func splitGlued(w string) (name, version string, ok bool) {
	i := strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
	if i <= 0 || w[i] < '0' || w[i] > '9' {
		return "", "", false
	}
	rest := strings.TrimSuffix(w[i:], "+")
	if strings.Trim(rest, "0123456789.") != "" {
		return "", "", false
	}
	name = w[:i]
	if len(name) > 1 && name[len(name)-1] == 'v' {
		name = name[:len(name)-1]
	}
	return name, w[i:], true
}

// exceptionKey is aliasKey without the word "exception", so that "OpenSSL
// exception", "Classpath-exception-2.0" and "the Classpath Exception" give
// "openssl", "classpath 2" and "classpath". The plural is kept: Fedora's
// "with exceptions" names no exception in particular.
func exceptionKey(s string) string {
	fields := strings.Fields(aliasKey(s))
	fields = slices.DeleteFunc(fields, func(w string) bool { return w == "exception" })
	return strings.Join(fields, " ")
}

// classifierKey matches PyPI classifiers case-insensitively, with any
// spacing around "::".
func classifierKey(s string) string {
	parts := strings.Split(strings.ToLower(s), "::")
	for i, p := range parts {
		parts[i] = strings.Join(strings.Fields(p), " ")
	}
	return strings.Join(parts, " :: ")
}

// urlKey reduces a URL to host and path: no scheme, "www.", query,
// fragment, trailing "/" or file extension; lower case.
func urlKey(s string) string {
	s = strings.ToLower(strings.Trim(strings.TrimSpace(s), "<>\"'"))
	for _, p := range []string{"https://", "http://", "ftp://", "//"} {
		s = strings.TrimPrefix(s, p)
	}
	s = strings.TrimPrefix(s, "www.")
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimRight(s, "/")
	for _, ext := range []string{".txt", ".html", ".htm", ".php", ".md", ".json", ".pdf"} {
		if strings.HasSuffix(s, ext) {
			s = strings.TrimSuffix(s, ext)
			break
		}
	}
	return strings.TrimRight(s, "/")
}

func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "www.")
}

// ---- lookups --------------------------------------------------------------

// leafKind says what a lookup found.
type leafKind uint8

const (
	leafUnknown   leafKind = iota
	leafMapped             // expr is set
	leafAmbiguous          // a name the table refuses to map
)

type leafResult struct {
	kind leafKind
	expr spdx.Expr // canonical
	how  string
}

// lookupLicense maps one licence name, URL or classifier, without
// splitting it.
func (ix *aliasIndex) lookupLicense(text string) leafResult {
	if r, ok := ix.lookupSPDX(text); ok {
		return r
	}
	if isURL(text) && !strings.ContainsRune(text, ' ') {
		return ix.lookupURL(text)
	}
	if strings.HasPrefix(strings.ToLower(text), "license ::") {
		return ix.lookupClassifier(text)
	}
	return ix.lookupName(aliasKey(text), HowAlias)
}

// lookupSPDX accepts text that is already an SPDX expression of known ids.
// "BSD" and "public-domain" parse, but are not SPDX ids: they are left to
// the alias table.
func (ix *aliasIndex) lookupSPDX(text string) (leafResult, bool) {
	if !looksLikeExpression(text) {
		return leafResult{}, false
	}
	e, err := spdx.Parse(text)
	if err != nil {
		return leafResult{}, false
	}
	c, unknown := ix.lic.Canonicalize(e)
	if len(unknown) > 0 {
		return leafResult{}, false
	}
	for _, l := range spdx.Licenses(c) {
		if l.DocumentRef != "" {
			return leafResult{}, false // refers to another document: keep it out of a component's licence
		}
	}
	how := HowSPDX
	for _, l := range spdx.Licenses(c) {
		if l.ID == ProprietaryRef {
			how = HowProprietary
		}
	}
	return leafResult{kind: leafMapped, expr: spdx.Normalize(c), how: how}, true
}

// looksLikeExpression rejects, before parsing, text that holds characters
// no SPDX expression has, such as the spaces-and-commas of free text: it
// keeps the parser's errors for what could be an expression.
func looksLikeExpression(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '-', c == '.', c == '+', c == ':', c == '(', c == ')', c == ' ':
		default:
			return false
		}
	}
	return true
}

// lookupName looks a key up among the curated names, then the generated
// ones; then, for "X+", X as a single licence "or later"; then, for a
// GNU-style versioned name without "only" or "+", "X only": a version
// without "or later" means that version only, as in DEP-5, Fedora and the
// deprecated SPDX ids ("GPL-2.0" is "GPL-2.0-only").
func (ix *aliasIndex) lookupName(key, how string) leafResult {
	if key == "" {
		return leafResult{}
	}
	if r, ok := ix.exactName(key, how); ok {
		return r
	}
	if base, ok := strings.CutSuffix(key, "+"); ok && base != "" {
		r, ok := ix.exactName(base, how)
		if !ok {
			r, ok = ix.exactName(base+" only", how)
		}
		if ok && r.kind == leafMapped {
			if l, single := r.expr.(*spdx.License); single && !l.IsRef() {
				e, _ := ix.lic.Canonicalize(&spdx.License{ID: l.ID, OrLater: true})
				return leafResult{kind: leafMapped, expr: e, how: r.how}
			}
		}
		if ok && r.kind == leafAmbiguous {
			return r
		}
		return leafResult{}
	}
	if !strings.HasSuffix(key, " only") {
		if r, ok := ix.exactName(key+" only", how); ok {
			return r
		}
	}
	return leafResult{}
}

func (ix *aliasIndex) exactName(key, how string) (leafResult, bool) {
	t, ok := ix.curated[kindLicense][key]
	if !ok {
		t, ok = ix.generated[kindLicense][key]
	}
	if !ok {
		return leafResult{}, false
	}
	return targetResult(t, how), true
}

func targetResult(t aliasTarget, how string) leafResult {
	if t.ambiguous() {
		return leafResult{kind: leafAmbiguous}
	}
	for _, l := range spdx.Licenses(t.expr) {
		if l.ID == ProprietaryRef {
			how = HowProprietary
		}
	}
	return leafResult{kind: leafMapped, expr: t.expr, how: how}
}

// lookupException maps the text after "with" to an exception id.
func (ix *aliasIndex) lookupException(text string) (string, leafKind) {
	if e, ok := ix.lic.Exception(text); ok && !e.Deprecated {
		return e.ID, leafMapped
	}
	if strings.HasPrefix(strings.ToLower(text), "additionref-") {
		if _, err := spdx.Parse("MIT WITH " + text); err == nil {
			return text, leafMapped
		}
	}
	k := exceptionKey(text)
	t, ok := ix.curated[kindException][k]
	if !ok {
		t, ok = ix.generated[kindException][k]
	}
	if k != "" && ok && !t.ambiguous() {
		return t.expr.(*spdx.License).ID, leafMapped
	}
	// An exception SPDX does not list, or whose text the name does not
	// pin down ("Autoconf-data exception", "GCC exception", Fedora's "with
	// exceptions"). An exception only ever adds permissions to the licence
	// it qualifies, so the licence stays known: the term is kept with an
	// SPDX 3 addition reference named after the text, which the category
	// reads as "no linking permission known" (see rules.TermCategory).
	// Only text that says it is an exception qualifies: "BSD with
	// advertising" is Fedora's name of a licence, not an exception.
	if strings.Contains(strings.ToLower(text), "exception") {
		if ref := additionRef(text); ref != "" {
			return ref, leafMapped
		}
	}
	if k == "" || (ok && t.ambiguous()) {
		return "", leafAmbiguous
	}
	return "", leafUnknown
}

// additionRef names an exception SPDX does not list: "AdditionRef-" and
// the text with anything outside SPDX's idstring characters turned to
// "-", e.g. "Autoconf-data exception" → "AdditionRef-Autoconf-data-exception".
func additionRef(text string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.TrimSpace(text) {
		ok := r < 0x80 && (r == '.' || r == '-' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z'))
		switch {
		case ok:
			b.WriteRune(r)
			dash = r == '-'
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	name := strings.Trim(b.String(), "-.")
	if name == "" || len(name) > 64 {
		return ""
	}
	return "AdditionRef-" + name
}

// lookupClassifier maps a PyPI "License :: ..." classifier: from the
// table, or else by the name after the last "::" (classifiers added to the
// list after the table was written). "License :: OSI Approved" and the
// like, with nothing after, name no licence.
func (ix *aliasIndex) lookupClassifier(text string) leafResult {
	k := classifierKey(text)
	if t, ok := ix.curated[kindClassifier][k]; ok {
		return targetResult(t, HowClassifier)
	}
	parts := strings.Split(k, " :: ")
	last := parts[len(parts)-1]
	if len(parts) < 2 || last == "osi approved" || last == "" {
		return leafResult{kind: leafAmbiguous}
	}
	r := ix.lookupName(aliasKey(last), HowClassifier)
	if r.kind == leafUnknown {
		// "Mozilla Public License 1.1 (MPL 1.1)": the name with its
		// abbreviation, which must agree
		if open := strings.LastIndexByte(last, '('); open > 0 && strings.HasSuffix(last, ")") {
			a := ix.lookupName(aliasKey(last[:open]), HowClassifier)
			b := ix.lookupLicense(last[open+1 : len(last)-1])
			if a.kind == leafMapped && b.kind == leafMapped && spdx.Equal(a.expr, b.expr) {
				return a
			}
		}
	}
	return r
}

var (
	gnuURL = regexp.MustCompile(`^gnu\.org/(?:licenses/(?:old-licenses/)?|copyleft/)([a-z]+-[0-9.]+)(?:\.en)?(?:-standalone)?$`)
	ccURL  = regexp.MustCompile(`^creativecommons\.org/licenses/([a-z-]+)/([0-9.]+)(?:/([a-z]{2}))?(?:/legalcode(?:\.[a-z]+)?|/deed\.[a-z-]+)?$`)
)

// lookupURL maps a licence URL: from the table, or by the patterns of the
// sites that publish licences under stable addresses (spdx.org,
// opensource.org, gnu.org, creativecommons.org, apache.org, mozilla.org).
// A URL on any other site, such as a project's own LICENSE file, names no
// licence by itself.
func (ix *aliasIndex) lookupURL(text string) leafResult {
	k := urlKey(text)
	if t, ok := ix.curated[kindURL][k]; ok {
		return targetResult(t, HowURL)
	}
	host, path, _ := strings.Cut(k, "/")
	id := func(id string) leafResult {
		if l, ok := ix.lic.Lookup(id); ok && (!l.Deprecated || l.ReplacedBy != "") {
			e, _ := ix.lic.Canonicalize(&spdx.License{ID: l.ID})
			return leafResult{kind: leafMapped, expr: spdx.Normalize(e), how: HowURL}
		}
		return leafResult{}
	}
	switch host {
	case "spdx.org":
		if name, ok := strings.CutPrefix(path, "licenses/"); ok {
			return id(name)
		}
	case "opensource.org":
		for _, p := range []string{"licenses/", "license/"} {
			if name, ok := strings.CutPrefix(path, p); ok && !strings.Contains(name, "/") {
				if r := id(name); r.kind == leafMapped {
					return r
				}
				return ix.lookupName(aliasKey(name), HowURL)
			}
		}
	case "choosealicense.com":
		if name, ok := strings.CutPrefix(path, "licenses/"); ok {
			return id(name)
		}
	case "apache.org":
		if v, ok := strings.CutPrefix(path, "licenses/license-"); ok {
			return ix.lookupName(aliasKey("apache-"+v), HowURL)
		}
	case "mozilla.org":
		if v, ok := strings.CutPrefix(path, "mpl/"); ok {
			v = strings.TrimPrefix(v, "mpl-")
			return ix.lookupName(aliasKey("mpl-"+v), HowURL)
		}
	}
	if m := gnuURL.FindStringSubmatch(k); m != nil {
		return ix.lookupName(aliasKey(m[1]), HowURL)
	}
	if m := ccURL.FindStringSubmatch(k); m != nil {
		name := "CC-" + strings.ToUpper(m[1]) + "-" + m[2]
		if m[3] != "" {
			name += "-" + strings.ToUpper(m[3])
		}
		return id(name)
	}
	return leafResult{}
}

// ---- splitting ------------------------------------------------------------

var (
	seeLicenseIn = regexp.MustCompile(`(?i)^see licen[cs]e in\b`)
	// CRAN: "MIT + file LICENSE" (Writing R Extensions, "Licensing")
	plusFile = regexp.MustCompile(`(?i)^(.*?)\s*\+\s*file\s+licen[cs]e$`)
	// OSGi's Bundle-License header (OSGi Core, "Bundle-License"):
	// "Apache-2.0;link=https://...;description=..." — the attributes only
	// point at the text
	osgiAttr = regexp.MustCompile(`;\s*(?:link|description)\s*=\s*(?:"[^"]*"|[^,;]*)`)
	fileOnly = regexp.MustCompile(`(?i)^(?:file\s+licen[cs]e|licen[cs]e(?:\.[a-z]+)?|see licen[cs]e(?: file)?)$`)
)

// cranTemplates are the CRAN licences whose "+ file LICENSE" only fills in
// the year and the copyright holder; for any other licence the file adds
// restrictions, and the statement is unmapped.
var cranTemplates = map[string]bool{"mit": true, "bsd 2 clause": true, "bsd 3 clause": true}

func (ix *aliasIndex) normalize(text string) Normalized {
	text = strings.Join(strings.Fields(text), " ")
	if text == "" {
		return Normalized{}
	}
	if len(text) <= spdx.MaxLength {
		if r, ok := ix.lookupSPDX(text); ok {
			return finish(ix, r.expr, r.how, text)
		}
	}
	if osgiAttr.MatchString(text) {
		if stripped := strings.TrimSpace(osgiAttr.ReplaceAllString(text, "")); stripped != "" {
			n := ix.normalize(stripped)
			if n.Expression == "" {
				n.Unmapped = []string{text}
			}
			return n
		}
	}
	if seeLicenseIn.MatchString(text) || fileOnly.MatchString(text) {
		return Normalized{Unmapped: []string{text}, How: HowFile}
	}
	if m := plusFile.FindStringSubmatch(text); m != nil {
		if r := ix.lookupLicense(m[1]); r.kind == leafMapped && cranTemplates[aliasKey(m[1])] {
			return finish(ix, r.expr, HowAlias, text)
		}
		return Normalized{Unmapped: []string{text}, How: HowFile}
	}
	if len(text) > maxNormalizeLen || !utf8.ValidString(text) || strings.ContainsFunc(text, unicode.IsControl) {
		// too long to be a statement, or bytes no licence name has
		return Normalized{Unmapped: []string{text}, How: HowUnmapped}
	}
	if strings.HasPrefix(strings.ToLower(text), "license ::") {
		r := ix.lookupClassifier(text)
		if r.kind == leafMapped {
			return finish(ix, r.expr, r.how, text)
		}
		return unmapped([]part{{text: text, ambiguous: r.kind == leafAmbiguous}})
	}
	p := newSplitter(ix, text)
	if p == nil {
		return Normalized{Unmapped: []string{text}, How: HowUnmapped}
	}
	if r := p.strict(0, len(p.toks), 0); r.ok {
		// reading the connectives is sillage's convention, not SPDX's:
		// "MIT/Apache-2.0" is an alias even if its names are SPDX ids
		return finish(ix, p.expr(0, len(p.toks), 0), (r.how | howAliasBit).String(), text)
	}
	p.report(0, len(p.toks))
	parts := p.parts(0, len(p.toks))
	if len(parts) == 0 {
		parts = []part{{text: text}}
	}
	return unmapped(parts)
}

// finish canonicalises e, drops repeated operands ("MIT AND MIT") and
// checks that the result is what CanonicalExpression gives back, with no
// unknown id: a defect in the table or the splitter must not leak an
// invalid expression.
func finish(ix *aliasIndex, e spdx.Expr, how, text string) Normalized {
	c, unknown := ix.lic.Canonicalize(e)
	if len(unknown) > 0 || spdx.Validate(c) != nil {
		return Normalized{Unmapped: []string{text}, How: HowUnmapped}
	}
	s := spdx.Normalize(dedupe(spdx.Normalize(c))).String()
	if again, unknown, err := ix.lic.CanonicalExpression(s); err != nil || again != s || len(unknown) > 0 {
		return Normalized{Unmapped: []string{text}, How: HowUnmapped}
	}
	return Normalized{Expression: s, How: how}
}

// dedupe removes the operands of an AND or OR that repeat an earlier one.
func dedupe(e spdx.Expr) spdx.Expr {
	var ops []spdx.Expr
	var and bool
	switch n := e.(type) {
	case *spdx.And:
		ops, and = n.Operands, true
	case *spdx.Or:
		ops = n.Operands
	default:
		return e
	}
	out := make([]spdx.Expr, 0, len(ops))
	for _, op := range ops {
		op = dedupe(op)
		if !slices.ContainsFunc(out, func(o spdx.Expr) bool { return spdx.Equal(o, op) }) {
			out = append(out, op)
		}
	}
	if and {
		return spdx.AllOf(out...)
	}
	return spdx.AnyOf(out...)
}

type part struct {
	text      string
	ambiguous bool
}

func unmapped(parts []part) Normalized {
	n := Normalized{How: HowAmbiguous}
	for _, p := range parts {
		if !p.ambiguous {
			n.How = HowUnmapped
		}
		if !slices.Contains(n.Unmapped, p.text) {
			n.Unmapped = append(n.Unmapped, p.text)
		}
	}
	return n
}

// Connectives, loosest binding first. A comma or semicolon binds loosest,
// as DEP-5 says ("A or B, and C" is "(A or B) and C"); then "or" and "|";
// then "and" and "&"; then "/" and a "+" between names, which read as
// alternatives between two adjacent names ("MIT/Apache-2.0", "CDDL + GPL");
// then "with".
const (
	classComma = iota
	classOr
	classAnd
	classSlash
	classWith
	numClasses
)

type tokKind uint8

const (
	tokWord tokKind = iota
	tokLParen
	tokRParen
	tokConn
)

type connOp uint8

const (
	opAnd connOp = iota
	opOr
	opWith
	opList // a bare "," or ";": takes the operator of the list it is in
)

type tok struct {
	kind       tokKind
	op         connOp
	class      int
	start, end int // bytes of the text
	match      int // for a parenthesis, the index of its partner
	depth      int // parentheses open before it
}

// howSet collects the methods used in one statement.
type howSet uint8

const (
	howSPDXBit howSet = 1 << iota
	howAliasBit
	howURLBit
	howClassifierBit
	howProprietaryBit
)

var howBits = map[string]howSet{HowSPDX: howSPDXBit, HowAlias: howAliasBit, HowURL: howURLBit,
	HowClassifier: howClassifierBit, HowProprietary: howProprietaryBit}

func (h howSet) String() string {
	for _, c := range []struct {
		bit howSet
		s   string
	}{{howProprietaryBit, HowProprietary}, {howClassifierBit, HowClassifier}, {howURLBit, HowURL}, {howAliasBit, HowAlias}} {
		if h&c.bit != 0 {
			return c.s
		}
	}
	return HowSPDX
}

// splitter finds how a statement divides into licence names joined by
// connectives. Connective words also occur inside names ("Common
// Development and Distribution License", `BSD 3-Clause "New" or "Revised"
// License`, "Apache License, Version 2.0"), so it does not split at every
// connective: it tries the whole span as one name first, then splits at
// the loosest connective class that gives names for every part, preferring
// the division into the fewest names. Results are memoised per span.
type splitter struct {
	ix   *aliasIndex
	text string
	toks []tok
	// memo tables, indexed by span (i*(n+1)+j) and, for strict, class
	leaves []leafResult
	excs   []excResult
	memo   []strictResult
	rmemo  []reportResult
	done   []uint8 // per span: bit 0 leaf looked up, bit 1 report done, bits 2+ strict done per class
}

type excResult struct {
	done bool
	id   string
	kind leafKind
}

// exception looks up tokens i to j-1 as the exception after a "with".
func (p *splitter) exception(i, j int) (string, leafKind) {
	x := p.spanIndex(i, j)
	if r := p.excs[x]; r.done {
		return r.id, r.kind
	}
	r := excResult{done: true}
	if p.leafOK(i, j) && j-i <= maxNameTokens && p.toks[j-1].end-p.toks[i].start <= maxNameLen {
		r.id, r.kind = p.ix.lookupException(p.span(i, j))
	}
	p.excs[x] = r
	return r.id, r.kind
}

func (p *splitter) spanIndex(i, j int) int { return i*(len(p.toks)+1) + j }

func newSplitter(ix *aliasIndex, text string) *splitter {
	toks := tokenize(text)
	if len(toks) == 0 || len(toks) > maxNormalizeTokens {
		return nil
	}
	// match parentheses; unbalanced ones are taken as part of the names
	var stack []int
	balanced := true
	for i := range toks {
		switch toks[i].kind {
		case tokLParen:
			stack = append(stack, i)
		case tokRParen:
			if len(stack) == 0 {
				balanced = false
				continue
			}
			o := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			toks[o].match, toks[i].match = i, o
		}
	}
	if len(stack) > 0 {
		balanced = false
	}
	depth := 0
	for i := range toks {
		if !balanced && (toks[i].kind == tokLParen || toks[i].kind == tokRParen) {
			toks[i].kind = tokWord
		}
		if toks[i].kind == tokRParen {
			depth--
		}
		toks[i].depth = depth
		if toks[i].kind == tokLParen {
			depth++
		}
	}
	spans := (len(toks) + 1) * (len(toks) + 1)
	return &splitter{ix: ix, text: text, toks: toks, leaves: make([]leafResult, spans), excs: make([]excResult, spans),
		memo: make([]strictResult, spans*numClasses), rmemo: make([]reportResult, spans), done: make([]uint8, spans)}
}

// tokenize cuts the text into words, parentheses and connectives.
func tokenize(s string) []tok {
	var toks []tok
	conn := func(op connOp, class, start, end int) {
		toks = append(toks, tok{kind: tokConn, op: op, class: class, start: start, end: end})
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ':
			i++
		case c == '(':
			toks = append(toks, tok{kind: tokLParen, start: i, end: i + 1})
			i++
		case c == ')':
			toks = append(toks, tok{kind: tokRParen, start: i, end: i + 1})
			i++
		case c == ',' || c == ';':
			conn(opList, classComma, i, i+1)
			i++
		case c == '|':
			conn(opOr, classOr, i, i+1)
			i++
		case c == '&':
			conn(opAnd, classAnd, i, i+1)
			i++
		case c == '/':
			conn(opOr, classSlash, i, i+1)
			i++
		case c == '+' && (i == 0 || s[i-1] == ' ') && (i+1 == len(s) || s[i+1] == ' '):
			conn(opOr, classSlash, i, i+1)
			i++
		case isURL(s[i:]):
			end := i
			for end < len(s) && s[end] != ' ' {
				end++
			}
			for end > i && strings.ContainsRune(",;.", rune(s[end-1])) {
				end--
			}
			if end > i && s[end-1] == ')' && !strings.Contains(s[i:end], "(") {
				end--
			}
			toks = append(toks, tok{kind: tokWord, start: i, end: end})
			i = end
		case (c == 'w' || c == 'W') && i+1 < len(s) && s[i+1] == '/' && (i+2 == len(s) || s[i+2] == ' '):
			conn(opWith, classWith, i, i+2) // "GPL2 w/ CPE"
			i += 2
		default:
			end := i
			for end < len(s) && !strings.ContainsRune(" (),;|&/", rune(s[end])) {
				end++
			}
			toks = appendWord(toks, s, i, end)
			i = end
		}
	}
	// DEP-5's ", and" and ", or" are one connective of the loosest class,
	// and ", with" (Maven's "GPL, version 2, with the Classpath Exception")
	// is a "with"
	out := toks[:0]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind == tokConn && t.op == opList && i+1 < len(toks) && toks[i+1].kind == tokConn &&
			(toks[i+1].class == classOr || toks[i+1].class == classAnd || toks[i+1].class == classWith) &&
			toks[i+1].start > t.end && s[toks[i+1].start-1] == ' ' && isWordConn(s[toks[i+1].start:toks[i+1].end]) {
			n := toks[i+1]
			t.op, t.end = n.op, n.end
			if n.op == opWith {
				t.class = classWith
			}
			i++
		}
		out = append(out, t)
	}
	return out
}

func isWordConn(w string) bool {
	switch strings.ToLower(w) {
	case "and", "or", "with":
		return true
	}
	return false
}

// wordConn splits words at the connectives Debian packagers glue into
// short names: "GPL-2+-with-bison-exception", "LGPLv3+_or_GPLv2+".
var wordConn = regexp.MustCompile(`(?i)-with-|_with_|_or_|_and_`)

func appendWord(toks []tok, s string, start, end int) []tok {
	w := s[start:end]
	switch strings.ToLower(w) {
	case "and":
		return append(toks, tok{kind: tokConn, op: opAnd, class: classAnd, start: start, end: end})
	case "or":
		return append(toks, tok{kind: tokConn, op: opOr, class: classOr, start: start, end: end})
	case "with":
		return append(toks, tok{kind: tokConn, op: opWith, class: classWith, start: start, end: end})
	}
	locs := wordConn.FindAllStringIndex(w, -1)
	pos := start
	for _, l := range locs {
		a, b := start+l[0], start+l[1]
		if a == pos || b == end {
			continue // at an edge: not between two names
		}
		toks = append(toks, tok{kind: tokWord, start: pos, end: a})
		sep := strings.ToLower(strings.Trim(s[a:b], "-_"))
		switch sep {
		case "with":
			toks = append(toks, tok{kind: tokConn, op: opWith, class: classWith, start: a, end: b})
		case "or":
			toks = append(toks, tok{kind: tokConn, op: opOr, class: classOr, start: a, end: b})
		default:
			toks = append(toks, tok{kind: tokConn, op: opAnd, class: classAnd, start: a, end: b})
		}
		pos = b
	}
	return append(toks, tok{kind: tokWord, start: pos, end: end})
}

// span returns the text of tokens i to j-1, as written.
func (p *splitter) span(i, j int) string { return p.text[p.toks[i].start:p.toks[j-1].end] }

// leafOK reports whether tokens i to j-1 could be one name: not empty, and
// not starting or ending with a connective or a stray parenthesis.
func (p *splitter) leafOK(i, j int) bool {
	if i >= j {
		return false
	}
	first, last := p.toks[i], p.toks[j-1]
	return first.kind != tokConn && last.kind != tokConn && first.kind != tokRParen && last.kind != tokLParen
}

func (p *splitter) leaf(i, j int) leafResult {
	x := p.spanIndex(i, j)
	if p.done[x]&1 != 0 {
		return p.leaves[x]
	}
	var r leafResult
	if p.leafOK(i, j) && j-i <= maxNameTokens && p.toks[j-1].end-p.toks[i].start <= maxNameLen {
		r = p.ix.lookupLicense(p.span(i, j))
		if r.kind == leafUnknown {
			r = p.annotated(i, j)
		}
	}
	p.leaves[x], p.done[x] = r, p.done[x]|1
	return r
}

// annotated maps "NAME (ABBREVIATION)", such as "Mozilla Public License
// 2.0 (MPL 2.0)" or "Apache 2.0 (https://www.apache.org/licenses/LICENSE-2.0)",
// when both sides map to the same licence. Anything else in parentheses may
// change the terms ("MIT (with modifications)"), so it is not ignored.
func (p *splitter) annotated(i, j int) leafResult {
	last := p.toks[j-1]
	if last.kind != tokRParen || last.match <= i {
		return leafResult{}
	}
	m := last.match
	if m+1 >= j-1 {
		return leafResult{}
	}
	a := p.leaf(i, m)
	if a.kind != leafMapped || !p.leafOK(m+1, j-1) {
		return leafResult{}
	}
	b := p.ix.lookupLicense(p.span(m+1, j-1))
	if b.kind == leafMapped && spdx.Equal(a.expr, b.expr) {
		return a
	}
	return leafResult{}
}

// strictResult is whether and how a span maps entirely. The expression is
// built by expr once the whole statement is divided, so that the search
// itself allocates nothing.
type strictResult struct {
	ok     bool
	leaves int    // names in the division: fewer is better
	how    howSet // the methods its names were found by
	split  int    // the connective divided at, -1 for a name or a group
	class  int    // the class the halves were searched at
	inner  bool   // the span is a parenthesised group
}

// topConn reports whether token k is a connective of span i..j that is not
// inside parentheses.
func (p *splitter) topConn(i, k int) bool {
	return p.toks[k].kind == tokConn && p.toks[k].depth == p.toks[i].depth
}

// listOp is the operator of a bare "," or ";" at k: that of the first
// "and" or "or" after it in the span, as in "A, B and C"; AND when there
// is none, since the statement then lists terms that all apply.
func (p *splitter) listOp(i, k, j int) connOp {
	for x := k + 1; x < j; x++ {
		if p.topConn(i, x) && (p.toks[x].op == opAnd || p.toks[x].op == opOr) {
			return p.toks[x].op
		}
	}
	return opAnd
}

// strict maps tokens i to j-1 entirely, splitting only at connectives of
// class min or tighter; the zero result means it cannot.
func (p *splitter) strict(i, j, min int) strictResult {
	x := p.spanIndex(i, j)
	bit := uint8(4) << min
	if p.done[x]&bit != 0 {
		return p.memo[x*numClasses+min]
	}
	r := p.strict1(i, j, min)
	p.memo[x*numClasses+min], p.done[x] = r, p.done[x]|bit
	return r
}

func (p *splitter) strict1(i, j, min int) strictResult {
	if i >= j {
		return strictResult{}
	}
	switch l := p.leaf(i, j); l.kind {
	case leafMapped:
		return strictResult{ok: true, leaves: 1, how: howBits[l.how], split: -1}
	case leafAmbiguous:
		return strictResult{} // "MIT/X11" must not become "MIT OR X11"
	}
	if p.toks[i].kind == tokLParen && p.toks[i].match == j-1 {
		r := p.strict(i+1, j-1, classComma)
		r.split, r.inner = -1, true
		return r
	}
	for class := min; class < numClasses; class++ {
		var best strictResult
		for k := i + 1; k < j-1; k++ {
			if !p.topConn(i, k) || p.toks[k].class != class {
				continue
			}
			var r strictResult
			if p.toks[k].op == opWith {
				if _, ok := p.with(i, k, j); ok {
					r = strictResult{ok: true, leaves: 1, how: howBits[p.leaf(i, k).how] | howAliasBit, split: k, class: class}
				}
			} else {
				l, rr := p.strict(i, k, class), p.strict(k+1, j, class)
				if l.ok && rr.ok {
					r = strictResult{ok: true, leaves: l.leaves + rr.leaves, how: l.how | rr.how, split: k, class: class}
				}
			}
			if r.ok && (!best.ok || r.leaves < best.leaves) {
				best = r
			}
		}
		if best.ok {
			return best
		}
	}
	return strictResult{}
}

// expr builds the expression of span i..j as strict divided it.
func (p *splitter) expr(i, j, min int) spdx.Expr {
	r := p.strict(i, j, min)
	switch {
	case !r.ok:
		return nil
	case r.inner:
		return p.expr(i+1, j-1, classComma)
	case r.split < 0:
		return p.leaf(i, j).expr
	}
	k := r.split
	op := p.toks[k].op
	if op == opWith {
		e, _ := p.with(i, k, j)
		return e
	}
	l, rr := p.expr(i, k, r.class), p.expr(k+1, j, r.class)
	if op == opList {
		op = p.listOp(i, k, j)
	}
	if op == opOr {
		return spdx.AnyOf(l, rr)
	}
	return spdx.AllOf(l, rr)
}

// with maps "LICENCE with EXCEPTION" (tokens i..k-1, k, k+1..j-1): the
// licence must be a single SPDX licence, the exception a known one.
func (p *splitter) with(i, k, j int) (spdx.Expr, bool) {
	l := p.leaf(i, k)
	if l.kind != leafMapped || !p.leafOK(k+1, j) {
		return nil, false
	}
	lic, ok := l.expr.(*spdx.License)
	if !ok || lic.IsRef() {
		return nil, false
	}
	exc, kind := p.exception(k+1, j)
	if kind != leafMapped {
		return nil, false
	}
	return &spdx.With{License: *lic, Exception: exc}, true
}

// reportResult is the best division of a span found by report. Its parts
// are rebuilt from split once the whole statement is divided, so that the
// search itself copies nothing.
type reportResult struct {
	valid bool
	cost  int // bytes of unmapped text
	count int // unmapped parts
	split int // the connective divided at; -1: the span is one part (own), or inside parentheses (inner)
	own   *part
	inner bool
}

func (r reportResult) better(o reportResult) bool {
	if !o.valid {
		return r.valid
	}
	if !r.valid {
		return false
	}
	if r.cost != o.cost {
		return r.cost < o.cost
	}
	return r.count < o.count
}

// parts lists the unmapped parts of the best division of span i..j.
func (p *splitter) parts(i, j int) []part {
	r := p.rmemo[p.spanIndex(i, j)]
	switch {
	case !r.valid:
		return nil
	case r.own != nil:
		return []part{*r.own}
	case r.inner:
		return p.parts(i+1, j-1)
	case r.split >= 0:
		return append(p.parts(i, r.split), p.parts(r.split+1, j)...)
	}
	return nil
}

// report divides a statement that strict could not map so that the
// unmapped parts are as short as possible, to say which parts are at fault:
// "GPLv2+ and Foo" gives ["Foo"], not the whole text.
func (p *splitter) report(i, j int) reportResult {
	x := p.spanIndex(i, j)
	if p.done[x]&2 != 0 {
		return p.rmemo[x]
	}
	best := reportResult{split: -1}
	whole := func(ambiguous bool) reportResult {
		text := p.span(i, j)
		return reportResult{valid: true, cost: len(text), count: 1, split: -1, own: &part{text: text, ambiguous: ambiguous}}
	}
	switch l := p.leaf(i, j); {
	case l.kind == leafMapped:
		best = reportResult{valid: true, split: -1}
	case l.kind == leafAmbiguous:
		best = whole(true)
	default:
		if p.toks[i].kind == tokLParen && p.toks[i].match == j-1 {
			if r := p.report(i+1, j-1); r.better(best) {
				best = reportResult{valid: true, cost: r.cost, count: r.count, split: -1, inner: true}
			}
		}
		for k := i + 1; k < j-1; k++ {
			if !p.topConn(i, k) {
				continue
			}
			var r reportResult
			if p.toks[k].op == opWith {
				r = p.reportWith(i, k, j)
			} else {
				l, rr := p.report(i, k), p.report(k+1, j)
				if !l.valid || !rr.valid {
					continue
				}
				r = reportResult{valid: true, cost: l.cost + rr.cost, count: l.count + rr.count, split: k}
			}
			if r.better(best) {
				best = r
			}
		}
		// the span as one unknown name, unless a division does as well:
		// "GPL-2+ with Bison exception" is at fault for its exception
		if p.leafOK(i, j) {
			if r := whole(false); r.better(best) {
				best = r
			}
		}
	}
	p.rmemo[x], p.done[x] = best, p.done[x]|2
	return best
}

// reportWith: the parts at fault in "LICENCE with EXCEPTION". An unknown
// exception makes the whole term the unmapped part.
func (p *splitter) reportWith(i, k, j int) reportResult {
	if !p.leafOK(k+1, j) {
		return reportResult{}
	}
	_, kind := p.exception(k+1, j)
	if kind == leafMapped {
		// the licence is at fault: its parts are those of span i..k
		l := p.report(i, k)
		if !l.valid {
			return reportResult{}
		}
		if l.own != nil {
			return l
		}
		return reportResult{valid: true, cost: l.cost, count: l.count, split: -1, own: &part{text: p.span(i, k)}}
	}
	if !p.leafOK(i, k) {
		return reportResult{}
	}
	text := p.span(i, j)
	return reportResult{valid: true, cost: len(text), count: 1, split: -1, own: &part{text: text, ambiguous: kind == leafAmbiguous}}
}
