// Package sillmatch ties components to the SILL: which SILL entry a
// component is (Match), which proprietary product it is and what the SILL
// offers instead (Migration), and whether its version is below the SILL's
// minimum (BelowMinimum).
//
// A Matcher is built once from a catalogue (the embedded 2022 snapshot or
// the live export), the curated alias table (rules/sill/data/aliases.yaml)
// and the migration knowledge base (rules/sill/data/migrations.yaml, merged
// with the catalogue's similarExternalSoftwares). Everything is resolved and
// compiled in New; matching is then lookups in maps and a few regular
// expressions picked by a three-character index, with no allocation beyond
// the result in the common case.
//
// The package reads no file, prints nothing and raises no finding: turning
// matches into findings is the policy's job.
package sillmatch

import (
	"context"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/rules/sill"
)

// How a match was made: the values of sillage.SILLMatch.MatchedBy.
const (
	// ByPURL: the component's package URL names an alias exactly.
	ByPURL = "purl"
	// ByPackageAlias: the component's ecosystem and name are an alias.
	ByPackageAlias = "package-alias"
	// BySourcePackage: the Debian or RPM source package is an alias.
	BySourcePackage = "source-package"
	// ByPackagePattern: the binary package name matches an alias pattern.
	ByPackagePattern = "package-pattern"
	// ByWindowsDisplayName: the Windows DisplayName (and Publisher)
	// match an alias pattern.
	ByWindowsDisplayName = "windows-displayname"
	// ByWingetID: a Windows component named by its winget package
	// identifier ("VideoLAN.VLC", from `winget export`) is an alias.
	ByWingetID = "winget-id"
	// ByMacOSBundleID, ByFlatpakID, BySnapName: the application id is an
	// alias.
	ByMacOSBundleID = "macos-bundle-id"
	ByFlatpakID     = "flatpak-id"
	BySnapName      = "snap-name"
	// ByName: the normalised product name equals the SILL name or one of
	// the alias table's names.
	ByName = "normalised-name"
)

// Confidence of each way of matching, from the most to the least sure.
const (
	// ConfidenceExact is for a package URL or an exact package name in
	// the component's own ecosystem: the name is the product's.
	ConfidenceExact = 1.0
	// ConfidenceSource is for a source package alias or an anchored
	// package-name pattern: the binary comes from the product's source,
	// but it might be a part one would not call the product.
	ConfidenceSource = 0.95
	// ConfidenceApp is for Windows DisplayName patterns and macOS,
	// Flatpak and Snap application ids: the product is identified, but
	// the package may be a third party's repackaging.
	ConfidenceApp = 0.9
	// ConfidenceName is for normalised-name equality on ecosystems whose
	// names are product names (Windows, macOS, binaries): two programs
	// can share a name.
	ConfidenceName = 0.8
)

// Matcher matches components against one catalogue. It is immutable after
// New and safe for concurrent use.
type Matcher struct {
	cat *sill.Catalog

	exact    map[string]*target // eco + "\x00" + key
	source   map[string]*target // "deb"/"rpm" + "\x00" + source name
	srcRE    map[string]*index  // eco -> source-name patterns
	pkgRE    map[string]*index  // eco -> binary-name patterns
	windows  *index
	names    map[string]*target // product key -> target; nil value: ambiguous
	products []*product
	migExact map[string]*product // eco + "\x00" + key
	migWin   *index
	migNames map[string]*product // product key -> catalogue-only product

	aliased    []*target // targets with an alias entry, in table order
	unresolved []sill.Ref
}

// target is a SILL entry that components can match.
type target struct {
	sw      sill.Software
	status  string
	entry   *sill.AliasEntry // nil for a catalogue entry the table lacks
	exclude []*regexp.Regexp
	order   int // position in the alias table, for ties
}

// product is a migration knowledge-base product, with its alternatives
// resolved in the catalogue.
type product struct {
	p     sill.Product
	alts  []sillage.Alternative
	order int
}

// rule is one compiled pattern of an index.
type rule struct {
	re     *regexp.Regexp
	src    string         // exact source restriction
	srcRE  *regexp.Regexp // regex source restriction
	pub    *regexp.Regexp // Windows publisher
	t      *target
	p      *product
	prefix int // length of the pattern's literal prefix: longer is more specific
	order  int
}

// index buckets rules by the first three letters or digits of their
// literal prefix, lower-cased; rules whose prefix is shorter go to rest and
// are tried for every name. A name can only match rules of its own bucket:
// if a pattern starts with a literal, any name it matches starts with it.
type index struct {
	byKey map[string][]*rule
	rest  []*rule
}

func newIndex() *index { return &index{byKey: map[string][]*rule{}} }

func (x *index) add(r *rule, pattern string) {
	lit := literalPrefix(pattern)
	r.prefix = len(lit)
	if k := key3(lit); len(k) == 3 {
		x.byKey[k] = append(x.byKey[k], r)
		return
	}
	x.rest = append(x.rest, r)
}

// best returns the matching rule with the longest literal prefix, then the
// earliest in table order; ok reports whether accept held for any.
func (x *index) best(name string, accept func(*rule) bool) (*rule, bool) {
	var best *rule
	try := func(rs []*rule) {
		for _, r := range rs {
			if best != nil && (r.prefix < best.prefix || (r.prefix == best.prefix && r.order > best.order)) {
				continue
			}
			if r.re.MatchString(name) && accept(r) {
				best = r
			}
		}
	}
	if k := key3(name); len(k) == 3 {
		try(x.byKey[k])
	}
	try(x.rest)
	return best, best != nil
}

// literalPrefix returns the literal text that every match of the
// anchored pattern starts with ("^GIMP [0-9]" gives "GIMP "), "" when
// none.
func literalPrefix(pattern string) string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return ""
	}
	var b strings.Builder
	var walk func(re *syntax.Regexp) bool // false: stop
	walk = func(re *syntax.Regexp) bool {
		switch re.Op {
		case syntax.OpBeginText, syntax.OpBeginLine, syntax.OpEmptyMatch:
			return true
		case syntax.OpLiteral:
			b.WriteString(string(re.Rune))
			return true
		case syntax.OpCapture:
			return walk(re.Sub[0])
		case syntax.OpConcat:
			for _, s := range re.Sub {
				if !walk(s) {
					return false
				}
			}
			return true
		}
		return false
	}
	walk(re)
	return b.String()
}

// key3 returns the first three letters or digits of s, lower-cased.
func key3(s string) string {
	var buf [12]byte
	n, runes := 0, 0
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			continue
		}
		r = unicode.ToLower(r)
		if r < utf8.RuneSelf {
			buf[n] = byte(r)
			n++
		} else {
			n += utf8.EncodeRune(buf[n:], r)
		}
		if runes++; runes == 3 {
			break
		}
	}
	return string(buf[:n])
}

// New builds a Matcher for cat from the embedded alias table and
// knowledge base, the latter merged with cat's similarExternalSoftwares.
// Alias entries and alternatives that do not resolve in cat are skipped
// (Unresolved lists them). It fails when the tables claim one name for two
// different catalogue entries.
func New(cat *sill.Catalog) (*Matcher, error) {
	return NewWith(cat, sill.Aliases(), sill.Migrations())
}

// NewWith is New with explicit tables, for tests and for tables loaded
// from elsewhere.
func NewWith(cat *sill.Catalog, aliases *sill.AliasTable, kb *sill.MigrationKB) (*Matcher, error) {
	m := &Matcher{
		cat:      cat,
		exact:    map[string]*target{},
		source:   map[string]*target{},
		srcRE:    map[string]*index{"deb": newIndex(), "rpm": newIndex()},
		pkgRE:    map[string]*index{"deb": newIndex(), "rpm": newIndex()},
		windows:  newIndex(),
		names:    map[string]*target{},
		migExact: map[string]*product{},
		migWin:   newIndex(),
		migNames: map[string]*product{},
	}
	res := sill.NewResolver(cat)
	byID := map[int]*target{}
	targetOf := func(s sill.Software) *target {
		if t, ok := byID[s.ID]; ok {
			return t
		}
		t := &target{sw: s, status: string(s.Status()), order: len(byID)}
		byID[s.ID] = t
		return t
	}
	if err := m.addAliases(aliases, res, targetOf); err != nil {
		return nil, err
	}
	m.addNames(aliases, targetOf)
	if err := m.addProducts(kb.Merge(cat), res); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *Matcher) addAliases(tab *sill.AliasTable, res *sill.Resolver, targetOf func(sill.Software) *target) error {
	for i := range tab.Entries {
		e := &tab.Entries[i]
		s, ok := res.Resolve(e.Ref, e.Names...)
		if !ok {
			m.unresolved = append(m.unresolved, e.Ref)
			continue
		}
		t := targetOf(s)
		if t.entry == nil {
			t.entry = e
			m.aliased = append(m.aliased, t)
		}
		for _, x := range e.Exclude {
			re, err := regexp.Compile(x)
			if err != nil {
				return fmt.Errorf("aliases: %s: exclude %q: %w", e.Ref, x, err)
			}
			t.exclude = append(t.exclude, re)
		}
		put := func(eco string, names []string) error {
			for _, n := range names {
				if strings.HasPrefix(n, "^") {
					if err := m.addPackageRule(eco, sill.PackagePattern{Name: n}, t); err != nil {
						return err
					}
					continue
				}
				k := eco + "\x00" + exactKey(eco, n)
				if o, ok := m.exact[k]; ok && o != t {
					return fmt.Errorf("aliases: %s %s is claimed by %s and %s", eco, n, o.sw.Name, s.Name)
				}
				m.exact[k] = t
			}
			return nil
		}
		for _, l := range []struct {
			eco   string
			names []string
		}{
			{"deb", e.Deb}, {"rpm", e.RPM}, {"npm", e.NPM}, {"pypi", e.PyPI}, {"maven", e.Maven},
			{"composer", e.Composer}, {"gem", e.Gem}, {"golang", e.Golang}, {"nuget", e.NuGet},
			{"binary", e.Binary}, {"macos", e.MacOS}, {"flatpak", e.Flatpak}, {"snap", e.Snap},
			{"winget", e.Winget},
		} {
			if err := put(l.eco, l.names); err != nil {
				return err
			}
		}
		for _, src := range []struct {
			eco   string
			names []string
		}{{"deb", e.DebSource}, {"rpm", e.RPMSource}} {
			for _, n := range src.names {
				if strings.HasPrefix(n, "^") {
					re, err := regexp.Compile(n)
					if err != nil {
						return fmt.Errorf("aliases: %s: %q: %w", e.Ref, n, err)
					}
					m.srcRE[src.eco].add(&rule{re: re, t: t, order: t.order}, n)
					continue
				}
				k := src.eco + "\x00" + n
				if o, ok := m.source[k]; ok && o != t {
					return fmt.Errorf("aliases: %s source %s is claimed by %s and %s", src.eco, n, o.sw.Name, s.Name)
				}
				m.source[k] = t
			}
		}
		for _, p := range e.DebPattern {
			if err := m.addPackageRule("deb", p, t); err != nil {
				return err
			}
		}
		for _, p := range e.RPMPattern {
			if err := m.addPackageRule("rpm", p, t); err != nil {
				return err
			}
		}
		for _, w := range e.Windows {
			r, err := windowsRule(w)
			if err != nil {
				return fmt.Errorf("aliases: %s: %w", e.Ref, err)
			}
			r.t, r.order = t, t.order
			m.windows.add(r, w.Name)
		}
	}
	return nil
}

func (m *Matcher) addPackageRule(eco string, p sill.PackagePattern, t *target) error {
	re, err := regexp.Compile(p.Name)
	if err != nil {
		return fmt.Errorf("aliases: %s: %q: %w", t.sw.Name, p.Name, err)
	}
	r := &rule{re: re, t: t, order: t.order}
	if strings.HasPrefix(p.Source, "^") {
		if r.srcRE, err = regexp.Compile(p.Source); err != nil {
			return fmt.Errorf("aliases: %s: source %q: %w", t.sw.Name, p.Source, err)
		}
	} else {
		r.src = p.Source
	}
	idx, ok := m.pkgRE[eco]
	if !ok {
		idx = newIndex()
		m.pkgRE[eco] = idx
	}
	idx.add(r, p.Name)
	return nil
}

func windowsRule(w sill.WindowsPattern) (*rule, error) {
	re, err := regexp.Compile("(?i)" + w.Name)
	if err != nil {
		return nil, fmt.Errorf("windows %q: %w", w.Name, err)
	}
	r := &rule{re: re}
	if w.Publisher != "" {
		if r.pub, err = regexp.Compile("(?i)" + w.Publisher); err != nil {
			return nil, fmt.Errorf("windows publisher %q: %w", w.Publisher, err)
		}
	}
	return r, nil
}

// addNames fills the normalised-name map: every catalogue entry's name
// (except plugins, which have a parent, ambiguous names and names of fewer
// than three characters) and the alias table's other names. A name that
// two entries share matches neither.
func (m *Matcher) addNames(tab *sill.AliasTable, targetOf func(sill.Software) *target) {
	ambiguous := map[string]bool{}
	for _, n := range tab.AmbiguousNames {
		ambiguous[sill.NameKey(n)] = true
	}
	add := func(k string, t *target) {
		if len(k) < 3 {
			return
		}
		if o, ok := m.names[k]; ok && o != t {
			m.names[k] = nil
			return
		}
		m.names[k] = t
	}
	for _, s := range m.cat.Software {
		if s.SILL2022 != nil && s.SILL2022.Parent != "" {
			continue
		}
		if k := sill.NameKey(s.Name); !ambiguous[k] {
			add(k, targetOf(s))
		}
	}
	for _, t := range m.aliased {
		for _, n := range t.entry.Names {
			add(productKey(n), t)
		}
	}
}

func (m *Matcher) addProducts(kb *sill.MigrationKB, res *sill.Resolver) error {
	for i := range kb.Products {
		pr := &product{p: kb.Products[i], alts: []sillage.Alternative{}, order: i}
		for _, a := range pr.p.Alternatives {
			s, ok := res.Resolve(a.Ref)
			if !ok {
				m.unresolved = append(m.unresolved, a.Ref)
				continue
			}
			if s.Status() == sill.StatusNoLongerRecommended || notFree(s) {
				continue
			}
			id := strconv.Itoa(s.ID)
			if slices.ContainsFunc(pr.alts, func(x sillage.Alternative) bool { return x.SILLID == id }) {
				continue
			}
			pr.alts = append(pr.alts, sillage.Alternative{
				SILLID:             id,
				Name:               s.Name,
				SupportContract:    s.IsPresentInSupportContract,
				ComptoirDuLibreURL: s.ComptoirDuLibreURL(),
			})
		}
		m.products = append(m.products, pr)
		for _, l := range []struct {
			eco   string
			names []string
		}{{"deb", pr.p.Deb}, {"rpm", pr.p.RPM}, {"macos", pr.p.MacOS}, {"flatpak", pr.p.Flatpak}, {"snap", pr.p.Snap}, {"winget", pr.p.Winget}} {
			for _, n := range l.names {
				k := l.eco + "\x00" + exactKey(l.eco, n)
				if _, ok := m.migExact[k]; !ok {
					m.migExact[k] = pr
				}
			}
		}
		for _, w := range pr.p.Windows {
			r, err := windowsRule(w)
			if err != nil {
				return fmt.Errorf("migrations: %s: %w", pr.p.Name, err)
			}
			r.p, r.order = pr, i
			m.migWin.add(r, w.Name)
			r.prefix = 0 // products are tried in file order, not by specificity
		}
		if pr.p.FromCatalog {
			for _, n := range append([]string{pr.p.Name}, pr.p.Names...) {
				if k := productKey(n); len(k) >= 3 {
					if _, ok := m.migNames[k]; !ok {
						m.migNames[k] = pr
					}
				}
			}
		}
	}
	return nil
}

// notFree reports whether the catalogue's own external data says the
// software is not free: such an entry is never proposed as an
// alternative.
func notFree(s sill.Software) bool {
	e := s.SoftwareExternalData
	return e != nil && e.IsLibreSoftware != nil && !*e.IsLibreSoftware
}

// Unresolved lists the alias entries and alternatives that name no entry
// of the catalogue, in table order; nil when all resolved. The embedded
// snapshot resolves everything; a live catalogue may not.
func (m *Matcher) Unresolved() []sill.Ref { return slices.Clone(m.unresolved) }

// hit is the outcome of matching one component.
type hit struct {
	t    *target
	eco  string
	by   string
	conf float64
}

// Match returns the SILL entry c is, with how it was matched and how sure
// the match is; false when c is none.
//
// The ways are tried from the surest to the least sure, and the first
// that gives an entry wins, so a tie can only occur inside one way: exact
// names cannot tie (New rejects a name claimed twice); among patterns, the
// one with the longer literal prefix wins ("^libnginx-mod-" over a
// pattern starting with "^lib"), then the earlier entry in the table;
// a normalised name shared by two entries matches neither.
//
//  1. the package URL, or the ecosystem and name, is an exact alias (1.0);
//  2. deb and rpm: the source package is an alias (0.95), unless the binary
//     is a library or development package (see aliases.yaml) or excluded;
//  3. deb and rpm: the binary name matches an anchored pattern, within its
//     source when the pattern says so (0.95);
//  4. windows: DisplayName and Publisher patterns; macos, flatpak, snap:
//     application ids (0.9);
//  5. windows, macos, binary and untyped components: the normalised name
//     equals a SILL name or one of the table's names (0.8).
//
// Status is the entry's Software.Status().
func (m *Matcher) Match(c sillage.Component) (*sillage.SILLMatch, bool) {
	h, ok := m.match(c)
	if !ok {
		return nil, false
	}
	return &sillage.SILLMatch{
		ID:         strconv.Itoa(h.t.sw.ID),
		Name:       h.t.sw.Name,
		Status:     h.t.status,
		MatchedBy:  h.by,
		Confidence: h.conf,
	}, true
}

func (m *Matcher) match(c sillage.Component) (hit, bool) {
	eco := ecosystem(c.Type)
	p, hasPURL := parsePURL(c.PURL)
	if hasPURL {
		if k, ok := purlKey(p); ok {
			if t, ok := m.exact[p.eco+"\x00"+k]; ok {
				return hit{t, p.eco, ByPURL, ConfidenceExact}, true
			}
			if t, ok := m.byLibraryPattern(p.eco, k); ok {
				return hit{t, p.eco, ByPURL, ConfidenceExact}, true
			}
		}
		if eco == "" || eco == "unknown" {
			eco = p.eco
		}
	}
	name := c.Name
	switch eco {
	case "deb", "rpm":
		if t, ok := m.exact[eco+"\x00"+name]; ok {
			return hit{t, eco, ByPackageAlias, ConfidenceExact}, true
		}
		src := sourceName(eco, c, p)
		if t, ok := m.bySource(eco, name, src); ok {
			return hit{t, eco, BySourcePackage, ConfidenceSource}, true
		}
		if idx := m.pkgRE[eco]; idx != nil {
			r, ok := idx.best(name, func(r *rule) bool {
				switch {
				case r.src != "":
					return src == r.src
				case r.srcRE != nil:
					return r.srcRE.MatchString(src)
				}
				return true
			})
			if ok {
				return hit{r.t, eco, ByPackagePattern, ConfidenceSource}, true
			}
		}
		return hit{}, false
	case "npm", "pypi", "maven", "composer", "gem", "golang", "nuget", "binary":
		if k := exactKey(eco, name); k != "" {
			if t, ok := m.exact[eco+"\x00"+k]; ok {
				return hit{t, eco, ByPackageAlias, ConfidenceExact}, true
			}
			if t, ok := m.byLibraryPattern(eco, k); ok {
				return hit{t, eco, ByPackageAlias, ConfidenceExact}, true
			}
		}
		if eco != "binary" {
			return hit{}, false
		}
	case "flatpak", "snap":
		if t, ok := m.exact[eco+"\x00"+exactKey(eco, name)]; ok {
			by := ByFlatpakID
			if eco == "snap" {
				by = BySnapName
			}
			return hit{t, eco, by, ConfidenceApp}, true
		}
		return hit{}, false
	case "windows":
		if isWingetID(name) {
			k := exactKey("winget", name)
			if t, ok := m.exact["winget\x00"+k]; ok {
				return hit{t, eco, ByWingetID, ConfidenceApp}, true
			}
			if t, ok := m.byLibraryPattern("winget", k); ok {
				return hit{t, eco, ByWingetID, ConfidenceApp}, true
			}
		}
		var vetoed *target
		r, ok := m.windows.best(name, func(r *rule) bool {
			if publisherOK(r, c.Supplier) {
				return true
			}
			vetoed = r.t
			return false
		})
		if ok {
			return hit{r.t, eco, ByWindowsDisplayName, ConfidenceApp}, true
		}
		if t := m.names[productKey(name)]; t != nil && t != vetoed {
			return hit{t, eco, ByName, ConfidenceName}, true
		}
		return hit{}, false
	case "macos":
		if id := bundleID(c, p); id != "" {
			if t, ok := m.exact["macos\x00"+strings.ToLower(id)]; ok {
				return hit{t, eco, ByMacOSBundleID, ConfidenceApp}, true
			}
		}
	case "", "unknown", "generic", "application":
	default:
		return hit{}, false
	}
	if t := m.names[productKey(name)]; t != nil {
		return hit{t, eco, ByName, ConfidenceName}, true
	}
	return hit{}, false
}

// byLibraryPattern matches a key of a language ecosystem (npm, PyPI,
// Maven...) against the table's anchored whole-name patterns
// ("^org\.springframework\.boot:spring-boot(-[a-z0-9-]+)?$"). Such a
// pattern spells a name exactly, up to a closed family of suffixes, hence
// the exact confidence. deb and rpm patterns are ByPackagePattern.
func (m *Matcher) byLibraryPattern(eco, key string) (*target, bool) {
	if eco == "deb" || eco == "rpm" {
		return nil, false
	}
	idx := m.pkgRE[eco]
	if idx == nil {
		return nil, false
	}
	r, ok := idx.best(key, func(*rule) bool { return true })
	if !ok {
		return nil, false
	}
	return r.t, true
}

// bySource matches a binary package through its source package, leaving
// out libraries and development packages.
func (m *Matcher) bySource(eco, name, src string) (*target, bool) {
	if src == "" {
		return nil, false
	}
	t, ok := m.source[eco+"\x00"+src]
	if !ok {
		r, found := m.srcRE[eco].best(src, func(*rule) bool { return true })
		if !found {
			return nil, false
		}
		t = r.t
	}
	if isLibrary(name, src) {
		return nil, false
	}
	for _, x := range t.exclude {
		if x.MatchString(name) {
			return nil, false
		}
	}
	return t, true
}

// isLibrary reports whether a binary built from src is a library or
// development package, which does not mean the product is installed:
// libpq5 (source postgresql-15) comes with any PostgreSQL client program.
func isLibrary(name, src string) bool {
	for _, suf := range []string{"-dev", "-devel", "-dbg", "-dbgsym", "-debuginfo", "-debugsource", "-libs", "-static"} {
		if strings.HasSuffix(name, suf) {
			return true
		}
	}
	if strings.HasPrefix(name, "gir1.2-") {
		return true
	}
	return strings.HasPrefix(name, "lib") && !strings.HasPrefix(name, src)
}

func publisherOK(r *rule, supplier string) bool {
	return r.pub == nil || supplier == "" || r.pub.MatchString(supplier)
}

// Migration returns the proprietary product c is, with the SILL entries
// that can replace it; false when c is no known proprietary product or
// when it matches the SILL (a SILL entry is never a migration).
//
// deb and rpm packages, macOS bundle ids, Flatpak ids and snap names are
// compared exactly; Windows components by DisplayName and Publisher
// patterns, products being tried in the knowledge base's order. Products
// that only the catalogue's similarExternalSoftwares name are recognised
// by their normalised name on Windows, macOS and untyped components.
// Alternatives are never nil; they are empty when the catalogue offers
// none (TeamViewer in the 2022 SILL).
func (m *Matcher) Migration(c sillage.Component) (*sillage.Migration, bool) {
	if _, ok := m.match(c); ok {
		return nil, false
	}
	return m.migration(c)
}

func (m *Matcher) migration(c sillage.Component) (*sillage.Migration, bool) {
	eco := ecosystem(c.Type)
	p, hasPURL := parsePURL(c.PURL)
	if hasPURL && (eco == "" || eco == "unknown") {
		eco = p.eco
	}
	name := c.Name
	if hasPURL && (p.eco == "deb" || p.eco == "rpm") {
		name = p.name
	}
	var pr *product
	switch eco {
	case "deb", "rpm", "flatpak", "snap":
		pr = m.migExact[eco+"\x00"+exactKey(eco, name)]
	case "macos":
		if id := bundleID(c, p); id != "" {
			pr = m.migExact["macos\x00"+strings.ToLower(id)]
		}
	case "windows":
		if isWingetID(name) {
			pr = m.migExact["winget\x00"+exactKey("winget", name)]
		}
		if pr == nil {
			if r, ok := m.migWin.best(name, func(r *rule) bool { return publisherOK(r, c.Supplier) }); ok {
				pr = r.p
			}
		}
	}
	if pr == nil {
		switch eco {
		case "windows", "macos", "", "unknown", "generic", "application":
			pr = m.migNames[productKey(name)]
		}
	}
	if pr == nil {
		return nil, false
	}
	id := c.ID
	if id == "" {
		id = sillage.ComponentID(c)
	}
	return &sillage.Migration{
		ComponentID:  id,
		Product:      pr.p.Name,
		Category:     pr.p.Category,
		Alternatives: slices.Clone(pr.alts),
	}, true
}

// Apply matches every component: it returns a copy of comps, in the same
// order, with SILL set on those that match (with the entry's minimal
// version and whether the component is below it), and the migrations of those
// that are proprietary products, sorted by component ID. It checks ctx
// every 1024 components and returns ctx.Err() when it is done.
func (m *Matcher) Apply(ctx context.Context, comps []sillage.Component) ([]sillage.Component, []sillage.Migration, error) {
	out := slices.Clone(comps)
	migrations := []sillage.Migration{}
	for i := range out {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
		}
		c := &out[i]
		if sm, ok := m.Match(*c); ok {
			min, below := m.BelowMinimum(*c)
			if _, ok := parseVersion(min); ok {
				sm.MinVersion, sm.BelowMinimum = min, below
			}
			c.SILL = sm
			continue
		}
		c.SILL = nil
		if mig, ok := m.migration(*c); ok {
			migrations = append(migrations, *mig)
		}
	}
	slices.SortStableFunc(migrations, func(a, b sillage.Migration) int { return strings.Compare(a.ComponentID, b.ComponentID) })
	return out, migrations, nil
}

// BelowMinimum is the package-level BelowMinimum for c and the entry it
// matches, except that it never reports an ecosystem whose version is not
// the product's (the alias table's noVersionCheck: the Nextcloud desktop
// client is not versioned like the server). min is empty when c matches
// nothing.
func (m *Matcher) BelowMinimum(c sillage.Component) (min string, below bool) {
	h, ok := m.match(c)
	if !ok {
		return "", false
	}
	min, below = BelowMinimum(c, h.t.sw)
	if below && h.t.entry != nil && !h.t.entry.VersionChecked(h.eco) {
		below = false
	}
	return min, below
}

// ecosystem maps a component type to the alias table's ecosystem names.
func ecosystem(t sillage.Type) string {
	s := strings.ToLower(string(t))
	switch s {
	case "go", "go-module":
		return "golang"
	case "python":
		return "pypi"
	case "java-archive", "jenkins-plugin":
		return "maven"
	case "php-composer":
		return "composer"
	case "dpkg":
		return "deb"
	}
	return s
}

// exactKey is name as the alias maps store it for eco: npm, PyPI, Maven,
// Composer, RubyGems, NuGet, binaries and application ids without regard
// to case (PyPI also without regard to "-", "_" and "."), Debian, RPM and
// Go as spelt.
func exactKey(eco, name string) string {
	switch eco {
	case "deb", "rpm", "golang":
		return name
	case "pypi":
		return pep503(name)
	}
	return strings.ToLower(name)
}

// pep503 normalises a PyPI project name: lower case, runs of "-", "_"
// and "." as one "-".
func pep503(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	dash := false
	for _, r := range strings.ToLower(s) {
		if r == '-' || r == '_' || r == '.' {
			dash = true
			continue
		}
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		b.WriteRune(r)
	}
	return b.String()
}

// sourceName returns the source package of a deb or rpm component: its
// SourceName, else the PURL's "upstream" qualifier, else (Debian) the
// binary's own name, since dpkg omits Source when the two are equal.
// Versions ("glibc (2.36-9)", "libreoffice@7.4") and RPM file names
// ("bash-5.1.8-6.el9.src.rpm") are reduced to the name.
func sourceName(eco string, c sillage.Component, p purl) string {
	src := c.SourceName
	if src == "" {
		src = p.upstream
	}
	if src == "" {
		if eco == "deb" {
			return c.Name
		}
		return ""
	}
	if i := strings.IndexAny(src, " @("); i > 0 {
		src = src[:i]
	}
	if eco == "rpm" && strings.HasSuffix(src, ".src.rpm") {
		s := strings.TrimSuffix(src, ".src.rpm")
		for range 2 {
			if i := strings.LastIndexByte(s, '-'); i > 0 {
				s = s[:i]
			}
		}
		src = s
	}
	return src
}

// isWingetID reports whether a Windows component's name has the shape of
// a winget package identifier ("Publisher.Product", dots and no spaces),
// which a DisplayName never has.
func isWingetID(name string) bool {
	return strings.Contains(name, ".") && !strings.ContainsAny(name, " \t/\\")
}

// bundleID returns a macOS component's CFBundleIdentifier: the PURL
// qualifier "bundle_id", else the name when it looks like one
// ("org.mozilla.firefox": dots, no spaces).
func bundleID(c sillage.Component, p purl) string {
	if p.bundleID != "" {
		return p.bundleID
	}
	if strings.Count(c.Name, ".") >= 2 && !strings.ContainsAny(c.Name, " /") {
		return c.Name
	}
	return ""
}
