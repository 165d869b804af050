package sill

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Weights of where a search word is found. A word scores the weight of
// every kind of place it is found in (once per kind), so that an entry
// whose function, category and description all say "navigateur" ranks
// above one that mentions browsers in passing.
const (
	weightExactName   = 1000 // the whole query is the name, or the id
	weightName        = 100
	weightDescription = 40 // description, 2022 function
	weightCategory    = 30 // categories, keywords, 2022 component
	weightExternal    = 20 // external data name and description, Comptoir du Libre name
	weightRelated     = 10 // similar software ("photoshop" finds GIMP), 2022 parent
)

// Search returns the entries that match text, best first. Matching
// ignores case and accents ("editeur" finds "Éditeur"). Every word of text
// must occur (as a substring; the start of a word counts more) in the entry's name, description (the 2022
// function), categories, keywords, external data, the names of similar
// software (so that "photoshop" finds GIMP when the catalogue lists
// Photoshop as similar) or its 2022 parent (so that "firefox" finds Firefox
// extensions). An entry whose name or id is the whole query comes first;
// then entries rank by where their words were found (see the weights),
// then by status (recommended first), name and id. Nil when text has no
// words or nothing matches.
func (c *Catalog) Search(text string) []Software {
	words := strings.FieldsFunc(fold(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) == 0 {
		return nil
	}
	whole := compact(fold(text))
	type hit struct {
		s     Software
		score int
	}
	var hits []hit
	for _, s := range c.Software {
		f := searchFields(s)
		score := 0
		if compact(f.name) == whole || strconv.Itoa(s.ID) == strings.TrimSpace(text) {
			score = weightExactName
		}
		all := true
		for _, w := range words {
			n := f.score(w)
			if n == 0 {
				all = false
				break
			}
			score += n
		}
		if all || score >= weightExactName {
			hits = append(hits, hit{s, score})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		return cmp.Or(
			cmp.Compare(b.score, a.score),
			cmp.Compare(a.s.Status().rank(), b.s.Status().rank()),
			strings.Compare(fold(a.s.Name), fold(b.s.Name)),
			cmp.Compare(a.s.ID, b.s.ID),
		)
	})
	if len(hits) == 0 {
		return nil
	}
	out := make([]Software, len(hits))
	for i, h := range hits {
		out[i] = h.s
	}
	return out
}

// fields is an entry's searchable text, folded, grouped by weight.
type fields struct {
	name                                     string
	description, category, external, related []string
}

func searchFields(s Software) fields {
	f := fields{name: fold(s.Name), description: []string{fold(s.Description)}}
	add := func(dst *[]string, texts ...string) {
		for _, t := range texts {
			if t != "" {
				*dst = append(*dst, fold(t))
			}
		}
	}
	add(&f.category, s.Categories...)
	add(&f.category, s.Keywords...)
	if l := s.SILL2022; l != nil {
		add(&f.description, l.Function)
		add(&f.category, l.Component)
	}
	if e := s.SoftwareExternalData; e != nil {
		add(&f.external, e.Label.all()...)
		add(&f.external, e.Name.all()...)
		add(&f.external, e.Description.all()...)
		add(&f.category, e.Keywords...)
		add(&f.category, e.ApplicationCategories...)
	}
	if c := s.ComptoirDuLibreSoftware; c != nil {
		add(&f.external, c.Name)
	}
	for _, sim := range s.SimilarExternalSoftwares {
		add(&f.related, sim.Label.all()...)
		add(&f.related, sim.Name.all()...)
	}
	if l := s.SILL2022; l != nil {
		add(&f.related, l.SimilarNames...)
		add(&f.related, l.Parent)
	}
	return f
}

// score returns the sum of the weights of the kinds of place word occurs
// in, 0 if none. A word found only inside another ("visio" in
// "supervision") scores a quarter of one found at the start of a word
// ("visioconférence").
func (f fields) score(word string) int {
	total := matchWeight([]string{f.name}, word, weightName)
	for _, g := range []struct {
		texts  []string
		weight int
	}{
		{f.description, weightDescription},
		{f.category, weightCategory},
		{f.external, weightExternal},
		{f.related, weightRelated},
	} {
		total += matchWeight(g.texts, word, g.weight)
	}
	return total
}

// matchWeight returns weight if word starts a word of one of texts,
// weight/4 (at least 1) if it only occurs inside one, 0 if it does not occur.
func matchWeight(texts []string, word string, weight int) int {
	best := 0
	for _, t := range texts {
		for i := 0; ; {
			j := strings.Index(t[i:], word)
			if j < 0 {
				break
			}
			j += i
			if j == 0 || !isWordRune(lastRune(t[:j])) {
				return weight
			}
			best = max(1, weight/4)
			i = j + 1
		}
	}
	return best
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// fold lowers s and removes the accents of Latin letters, so that
// "Éditeur" and "editeur" compare equal. Ligatures are spelt out (œ → oe).
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToLower(s) {
		if r < 0x80 {
			b.WriteRune(r)
			continue
		}
		if m, ok := unaccent[r]; ok {
			b.WriteString(m)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// compact keeps only the letters and digits of s: "7-Zip" and "7zip",
// "Libre Office" and "LibreOffice" compare equal once compacted.
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

// unaccent maps the lower-case accented Latin letters of French and its
// neighbours to their base letters. The standard library has no Unicode
// normalisation, and golang.org/x/text is not a dependency.
var unaccent = func() map[rune]string {
	m := map[rune]string{'œ': "oe", 'æ': "ae", 'ß': "ss", 'ø': "o", 'ł': "l", 'đ': "d"}
	for base, letters := range map[string]string{
		"a": "àáâãäåāăą",
		"c": "çćĉċč",
		"d": "ď",
		"e": "èéêëēĕėęě",
		"g": "ĝğġģ",
		"i": "ìíîïĩīĭįı",
		"n": "ñńņňŉ",
		"o": "òóôõöōŏő",
		"r": "ŕŗř",
		"s": "śŝşš",
		"t": "ţťŧ",
		"u": "ùúûüũūŭůűų",
		"y": "ýÿŷ",
		"z": "źżž",
	} {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()
