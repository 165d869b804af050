// Package licensedetect identifies the licences whose text a file contains:
// LICENSE, COPYING, NOTICE and the like, and on request the notices at the
// top of source files. It wraps github.com/google/licensecheck, whose types
// never leave the package, behind a threshold chosen by measurement
// (bench/licenses/README.md), and reports current SPDX ids.
//
// It reads the files it is given and never writes them; it prints nothing
// and logs only to the logger it is given. Building the matcher costs about
// 0.8 s (1 s of CPU), more than matching every licence file of a large
// tree, so it is built once, on first use, and Default shares it. A Cache
// (the only thing the package writes, in a directory of its own) keeps the
// answers across runs, so that texts seen before need no matcher at all.
package licensedetect

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/google/licensecheck"
	"github.com/sillage-oss/sillage/rules"
	"github.com/sillage-oss/sillage/rules/spdx"
)

// DefaultThreshold is the minimum coverage, in percent of the file's words,
// that the licences found must reach together for a file to count as a
// licence text. Below it a file mentions a licence rather than holds it: a
// README with a licence URL, a LICENSE that states a choice between two
// licences in prose (which an AND of the matches would misstate). Chosen
// by measurement (bench/licenses/README.md): on the SPDX texts and three
// held-out corpora of real licence texts every threshold from 10 to 25
// gives the same answers, and higher ones lose real notices; 25 is the
// highest of them, and rejects every prose statement seen in a Go module
// cache and a node_modules.
const DefaultThreshold = 25

// DefaultMaxSize is the largest file, in bytes, that DetectFile and Walk
// read by default. The largest licence file in the Go module cache and
// node_modules measured is a 358 KB third-party notice file; 1 MiB is about
// 20 ms of matching.
const DefaultMaxSize = 1 << 20

// Options configures a Detector. The zero value is ready to use.
type Options struct {
	// Threshold is the minimum total coverage in percent for Result.Expression
	// to be set: 0 means DefaultThreshold, a negative value accepts any match.
	Threshold float64
	// MaxSize is the largest file DetectFile and Walk read, in bytes; 0
	// means DefaultMaxSize.
	MaxSize int64
	// BuiltinOnly leaves out the embedded patterns made from SPDX licence
	// texts (data/SOURCES.md) and uses licensecheck's built-in licences
	// alone. For measurement.
	BuiltinOnly bool
	// Extra are further licences to recognise. Their ids must be SPDX
	// licence ids or LicenseRef- references.
	Extra []Pattern
}

// Pattern is a licence to recognise, written as a licensecheck licence
// regular expression (LRE): the licence's words, case and punctuation
// ignored, with "__N__" for up to N words of any text, "(( a || b ))" for
// alternatives and "(( a ))??" for an optional part. "((" must start a
// line and "))" end one. See https://pkg.go.dev/github.com/google/licensecheck.
type Pattern struct {
	// ID is the SPDX id reported for a match, e.g. "CECILL-2.1".
	ID string `json:"id"`
	// LRE is the pattern.
	LRE string `json:"lre"`
}

// Match is one licence found in a text.
type Match struct {
	// ID is the SPDX expression for the match, usually one id
	// ("Apache-2.0"), in canonical case; a LicenseRef-licensecheck- id for
	// the few licences SPDX does not list.
	ID string `json:"id"`
	// Coverage is the share of the text's words this match covers, in
	// percent.
	Coverage float64 `json:"coverage"`
	// OrLaterUnknown is true when the match is a GNU licence text
	// (GPL, LGPL, AGPL, GFDL), which cannot say whether later versions may
	// be used: ID is then the "-only" id, the reading that grants least.
	// Notices ("either version 2 ... or any later version") say it, and are
	// reported with the id they name.
	OrLaterUnknown bool `json:"orLaterUnknown,omitempty"`
	// URL is true when the match is a licence URL, not licence text.
	URL bool `json:"url,omitempty"`
	// Start and End are the byte offsets of the match in the text; for a
	// file that is not UTF-8, in its UTF-8 conversion (see Detect).
	Start int `json:"-"`
	End   int `json:"-"`
}

// Result is what was found in one text.
type Result struct {
	// Path is the file read, as given or found by Walk; "" for Detect.
	Path string `json:"path"`
	// Expression is the SPDX expression of the licences found, the AND of
	// the distinct Match ids in order of appearance, in canonical form; ""
	// when nothing is recognised or Coverage is under the threshold.
	Expression string `json:"expression"`
	// Matches are the licences found, in order of appearance, including
	// when Coverage is under the threshold, so that a caller can say why a
	// file was not taken as a licence text. Nil when none.
	Matches []Match `json:"matches"`
	// Coverage is the share of the text's words the matches cover
	// together, in percent (0 to 100).
	Coverage float64 `json:"coverage"`
}

// Recognised reports whether the text counts as a licence text: some
// licence matched and the matches cover at least the threshold.
func (r Result) Recognised() bool { return r.Expression != "" }

// Detector identifies licence texts. It is safe for concurrent use. Its
// matcher is built on first use, which costs about a second of CPU (see
// bench/licenses/README.md); Build starts that early.
type Detector struct {
	*core
	cache *Cache // nil: every text is matched
}

// core is what the detectors made by WithCache share with the one they
// were made from: the options and the matcher, built once.
type core struct {
	threshold float64
	maxSize   int64
	patterns  func() ([]licensecheck.License, error)
	// setup lists the patterns and what their ids map to, once: what a
	// cached match needs, without compiling anything
	setup func() (*patternSet, error)

	once  sync.Once
	ready chan struct{}
	m     *matcher // set once ready is closed and err is nil
	err   error
}

// patternSet is the list the matcher is compiled from.
type patternSet struct {
	list        []licensecheck.License
	ids         map[string]mapping // licensecheck or pattern id -> report
	fingerprint string             // see fingerprint
}

// matcher is the built licensecheck scanner with what its ids map to.
type matcher struct {
	scanner *licensecheck.Scanner
	ids     map[string]mapping // licensecheck or pattern id -> report
}

// New returns a Detector for o. It checks o but does not build the
// matcher: the first call that needs it does, once.
func New(o Options) (*Detector, error) {
	d := &Detector{core: &core{threshold: o.Threshold, maxSize: o.MaxSize, ready: make(chan struct{})}}
	if d.threshold == 0 {
		d.threshold = DefaultThreshold
	}
	if d.threshold > 100 {
		return nil, fmt.Errorf("licence coverage threshold %v%%: must be at most 100", o.Threshold)
	}
	if d.maxSize == 0 {
		d.maxSize = DefaultMaxSize
	}
	if d.maxSize < 0 {
		return nil, fmt.Errorf("maximum licence file size %d: must be positive", o.MaxSize)
	}
	t := rules.Licenses()
	for _, p := range o.Extra {
		if _, ok := t.Canonical(p.ID); !ok && !(spdx.License{ID: p.ID}).IsRef() {
			return nil, fmt.Errorf("licence pattern %q: id is neither an SPDX licence id nor a LicenseRef-", p.ID)
		}
		if p.LRE == "" {
			return nil, fmt.Errorf("licence pattern %s: empty pattern", p.ID)
		}
	}
	extra := slices.Clone(o.Extra)
	builtinOnly := o.BuiltinOnly
	d.patterns = func() ([]licensecheck.License, error) {
		// When two patterns match the same words, licensecheck reports the
		// first in this list: put the specific ones first.
		list := appendPatterns(nil, extra)
		if !builtinOnly {
			emb, err := embeddedPatterns()
			if err != nil {
				return nil, err
			}
			list = appendPatterns(list, emb)
		}
		return append(list, licensecheck.BuiltinLicenses()...), nil
	}
	d.setup = sync.OnceValues(d.listPatterns)
	return d, nil
}

func appendPatterns(list []licensecheck.License, ps []Pattern) []licensecheck.License {
	for _, p := range ps {
		list = append(list, licensecheck.License{ID: p.ID, LRE: p.LRE})
	}
	return list
}

// Default returns the process-wide Detector with the default options. Its
// matcher is built on first use and then shared by every caller.
func Default() (*Detector, error) { return defaultDetector() }

var defaultDetector = sync.OnceValues(func() (*Detector, error) { return New(Options{}) })

// Threshold returns the coverage threshold in percent; negative when any
// match counts.
func (d *Detector) Threshold() float64 { return d.threshold }

// MaxSize returns the largest file DetectFile reads, in bytes.
func (d *Detector) MaxSize() int64 { return d.maxSize }

// start starts building the matcher in the background, once, and returns
// a channel closed when it is built or has failed.
func (d *Detector) start() <-chan struct{} {
	d.once.Do(func() {
		go func() {
			defer close(d.ready)
			d.m, d.err = d.build()
		}()
	})
	return d.ready
}

// BuildAhead starts building the matcher in the background, unless the
// detector's cache is warm: then the texts it has seen need no matcher, and
// one it has not builds the matcher when it comes.
func (d *Detector) BuildAhead() {
	if !d.cache.Warm() {
		d.start()
	}
}

// Build builds the matcher if it is not built yet and waits for it. It
// fails only when a pattern in Options.Extra is not a valid LRE. Other
// methods build on demand: call Build to pay the cost, or see the error,
// at a time of your choosing. When ctx ends first, Build returns its error
// and the build goes on in the background.
func (d *Detector) Build(ctx context.Context) error {
	select {
	case <-d.start():
		return d.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *core) listPatterns() (*patternSet, error) {
	list, err := c.patterns()
	if err != nil {
		return nil, err
	}
	t := rules.Licenses()
	ids := make(map[string]mapping, len(list))
	for _, l := range list {
		if _, done := ids[l.ID]; done {
			continue
		}
		m, ok := mapID(t, l.ID)
		if !ok {
			m = mapping{expr: l.ID} // a LicenseRef- from Options.Extra
		}
		ids[l.ID] = m
	}
	return &patternSet{list: list, ids: ids, fingerprint: fingerprint(list)}, nil
}

func (c *core) build() (*matcher, error) {
	ps, err := c.setup()
	if err != nil {
		return nil, err
	}
	sc, err := licensecheck.NewScanner(ps.list)
	if err != nil {
		return nil, fmt.Errorf("build licence matcher: %w", err)
	}
	return &matcher{scanner: sc, ids: ps.ids}, nil
}

// Detect identifies the licences in text. Text that is not valid UTF-8 is
// read as Windows-1252 (a superset of ISO 8859-1), the usual encoding of
// older licence files; match offsets then refer to its UTF-8 conversion.
// Detect builds the matcher on first use; it panics if that fails, which
// only invalid Options.Extra patterns can cause (see Build).
func (d *Detector) Detect(text []byte) Result {
	r, err := d.match(context.Background(), toUTF8(text))
	if err != nil {
		panic("licensedetect: " + err.Error() + " (call Build to get this as an error)")
	}
	return r
}

// match identifies the licences in text, which is UTF-8: from the cache
// when it has the text, else with the matcher, built if need be.
func (d *Detector) match(ctx context.Context, text []byte) (Result, error) {
	if d.cache == nil {
		if err := d.Build(ctx); err != nil {
			return Result{}, err
		}
		return d.m.detect(text, d.threshold), nil
	}
	ps, err := d.setup()
	if err != nil {
		return Result{}, err
	}
	key := sha256.Sum256(text)
	if cov, ok := d.cache.get(key); ok {
		return interpret(cov, ps.ids, d.threshold), nil
	}
	if err := d.Build(ctx); err != nil {
		return Result{}, err
	}
	cov := d.m.scanner.Scan(text)
	d.cache.put(key, cov)
	return interpret(cov, ps.ids, d.threshold), nil
}

func (m *matcher) detect(text []byte, threshold float64) Result {
	return interpret(m.scanner.Scan(text), m.ids, threshold)
}

// interpret turns what licensecheck found in a text into a Result.
func interpret(cov licensecheck.Coverage, ids map[string]mapping, threshold float64) Result {
	var r Result
	if len(cov.Match) == 0 {
		return r
	}
	// licensecheck gives the coverage of all matches together, in words,
	// and byte offsets for each; share it out in proportion to the bytes.
	spans := 0
	for _, lm := range cov.Match {
		spans += lm.End - lm.Start
	}
	gnuIDs := gnuNotices(cov.Match)
	for i, lm := range cov.Match {
		id := gnuIDs[i]
		mp := ids[id]
		if mp.expr == "" {
			continue // dropped: not a licence
		}
		share := 0.0
		if spans > 0 {
			share = cov.Percent * float64(lm.End-lm.Start) / float64(spans)
		}
		if n := len(r.Matches); n > 0 && r.Matches[n-1].ID == mp.expr && !r.Matches[n-1].URL && !lm.IsURL {
			// one licence in several pieces (a GNU text and its appendix)
			r.Matches[n-1].Coverage += share
			r.Matches[n-1].End = lm.End
		} else {
			r.Matches = append(r.Matches, Match{ID: mp.expr, Coverage: share, OrLaterUnknown: mp.orLaterUnknown,
				URL: lm.IsURL, Start: lm.Start, End: lm.End})
		}
		r.Coverage += share
	}
	r.Coverage = min(r.Coverage, 100)
	if len(r.Matches) > 0 && r.Coverage >= threshold {
		r.Expression = expression(r.Matches)
	}
	return r
}

// gnuVersions are the GNU licences whose text licensecheck reports under
// the bare version ("GPL-2.0") and whose notices it reports as "-only" or
// "-or-later".
var gnuVersions = map[string]bool{
	"GPL-1.0": true, "GPL-2.0": true, "GPL-3.0": true, "LGPL-2.0": true, "LGPL-2.1": true, "LGPL-3.0": true,
	"AGPL-1.0": true, "AGPL-3.0": true,
}

// gnuNotices returns the licensecheck ids of ms, rewritten where a GNU
// licence's text and its notices meet in one file:
//   - a notice after the licence text is the sample in the text's "How to
//     apply these terms" appendix, part of the text: it takes the text's id;
//   - notices before the text, when they agree, say which the text is:
//     the text takes their id ("GPL-2.0-or-later");
//   - the LGPL 3.0 is a set of permissions added to the GPL 3.0 and requires
//     the GPL text to be supplied with it: LGPL-licensed works ship both
//     texts, often in one file, so a GPL-3.0 text or notice in a file with
//     the LGPL-3.0 text is part of the LGPL, not a second licence.
func gnuNotices(ms []licensecheck.Match) []string {
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	base := func(id string) (string, bool) { // "GPL-2.0-or-later" -> "GPL-2.0", true
		for _, suf := range []string{"-only", "-or-later"} {
			if b, ok := strings.CutSuffix(id, suf); ok && gnuVersions[b] {
				return b, true
			}
		}
		return id, false
	}
	for i, id := range ids {
		if !gnuVersions[id] {
			continue
		}
		if i > 0 && ids[i-1] == id {
			continue // handled with the first text of the family
		}
		before := ""
		agree := true
		for j := range i {
			if b, notice := base(ids[j]); notice && b == id {
				if before != "" && before != ids[j] {
					agree = false
				}
				before = ids[j]
			}
		}
		text := id
		if before != "" && agree {
			text = before
		}
		for j := i; j < len(ids); j++ {
			if b, notice := base(ids[j]); b == id && (notice || ids[j] == id) {
				ids[j] = text
			}
		}
	}
	if slices.ContainsFunc(ids, func(id string) bool { b, _ := base(id); return b == "LGPL-3.0" }) {
		lgpl := "LGPL-3.0"
		for _, id := range ids {
			if b, _ := base(id); b == "LGPL-3.0" {
				lgpl = id
				break
			}
		}
		for i, id := range ids {
			if b, _ := base(id); b == "GPL-3.0" {
				ids[i] = lgpl
			}
		}
	}
	return ids
}

// expression is the AND of the distinct ids of ms, in order of first
// appearance, canonicalised.
func expression(ms []Match) string {
	var es []spdx.Expr
	seen := make(map[string]bool, len(ms))
	for _, m := range ms {
		if seen[m.ID] {
			continue
		}
		seen[m.ID] = true
		e, err := spdx.Parse(m.ID)
		if err != nil {
			continue // cannot happen: ids are checked by New and by tests
		}
		es = append(es, e)
	}
	e := spdx.AllOf(es...)
	if e == nil {
		return ""
	}
	if s, _, err := rules.Licenses().CanonicalExpression(e.String()); err == nil {
		return s
	}
	return e.String()
}

// toUTF8 returns b, or when b is not valid UTF-8, b decoded as
// Windows-1252.
func toUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	var out bytes.Buffer
	out.Grow(len(b) + len(b)/8)
	for _, c := range b {
		if c < 0x80 {
			out.WriteByte(c)
			continue
		}
		r := rune(c)
		if c >= 0x80 && c < 0xa0 {
			r = cp1252[c-0x80]
		}
		out.WriteRune(r)
	}
	return out.Bytes()
}

// cp1252 maps the bytes 0x80-0x9f of Windows-1252 to runes; the five
// unassigned ones map to U+FFFD.
var cp1252 = [32]rune{
	'€', '\ufffd', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\ufffd', 'Ž', '\ufffd',
	'\ufffd', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\ufffd', 'ž', 'Ÿ',
}

// ErrBinary is returned by DetectFile for a file that is not text.
var ErrBinary = errors.New("not a text file")

// ErrTooLarge is returned by DetectFile for a file over the size limit.
var ErrTooLarge = errors.New("file too large for licence detection")
