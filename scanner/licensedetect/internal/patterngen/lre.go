package main

import (
	"regexp"
	"strconv"
	"strings"
)

// placeholderWild is how many words of any text a placeholder such as
// "<year>" or "[name of copyright owner]" may stand for.
const placeholderWild = "__12__"

// copyrightWild is how many words a copyright line inside a licence may
// stand for ("Copyright (c) 2008-2010 Derick Eddington. All rights
// reserved." is 8).
const copyrightWild = "__24__"

var (
	// angle is a placeholder in angle brackets; URLs and e-mail addresses
	// in angle brackets are text.
	angle = regexp.MustCompile(`<[^<>\n]{1,60}>`)
	// square is a placeholder in square brackets: blanks, underscores,
	// or words that name what to fill in.
	square     = regexp.MustCompile(`\[[^\[\]\n]{0,80}\]`)
	squareFill = regexp.MustCompile(`(?i)^\[\s*(_*|\s*|\d{4}|(.*\b(year|yyyy|xxxx|name|owner|holder|licensor|author|organi[sz]ation|insert|number|date|software|product|program|institution)\b.*))\s*\]$`)
	// copyrightLine is a copyright notice; "(c)" alone is also a list
	// item, so it needs a year or a placeholder after it.
	copyrightLine = regexp.MustCompile(`(?i)^\s*(copyright\b|©|\(c\)\s*(\d|<|\[|year)|portions copyright\b|all rights reserved)`)
	wildRE        = regexp.MustCompile(`__(\d+)__`)
	// wilds are adjacent wildcards.
	wilds = regexp.MustCompile(`__(\d+)__(\s*__(\d+)__)+`)
	// special are the character pairs that LRE syntax gives a meaning to.
	special = strings.NewReplacer("((", "( (", "))", ") )", "||", "| |", "??", "? ?", "**", "* *")
	unders  = regexp.MustCompile(`_{2,}`)
	words   = regexp.MustCompile(`[\p{L}\p{N}]+`)
)

// toLRE turns a licence text from the SPDX licence list into a licensecheck
// pattern: copyright lines at the start and the end are dropped, those
// inside become a wildcard, placeholders ("<year>", "[name of copyright
// owner]") become wildcards, a short first line (a title) becomes
// optional, and the "How to apply" appendix after "END OF TERMS AND
// CONDITIONS" is left out, since real licence files often omit it. Text
// that the LRE syntax would read as an operator is defused; punctuation
// does not matter to the matcher. It returns "" when too little text is
// left to make a pattern (fewer than minWords words).
func toLRE(text string, minWords int) string {
	const wild, copyright = "\x01", "\x02" // stand-ins until the text is defused
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if i := strings.Index(strings.ToUpper(text), "END OF TERMS AND CONDITIONS"); i >= 0 {
		text = text[:i+len("END OF TERMS AND CONDITIONS")]
	}
	text = angle.ReplaceAllStringFunc(text, func(s string) string {
		low := strings.ToLower(s)
		if strings.Contains(s, "://") || strings.Contains(s, "@") || strings.Contains(s, "#") ||
			strings.HasPrefix(low, "<http") || strings.HasPrefix(low, "<www") {
			return s
		}
		return " " + wild + " "
	})
	text = square.ReplaceAllStringFunc(text, func(s string) string {
		if squareFill.MatchString(s) {
			return " " + wild + " "
		}
		return s
	})
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimRight(l, " \t")
		// A long "copyright" line is a sample notice, text of the licence.
		if copyrightLine.MatchString(l) && len(words.FindAllString(l, -1)) <= 20 {
			l = copyright
		} else {
			l = defuse(l)
		}
		lines = append(lines, l)
	}
	// Drop what a pattern cannot start or end with: blank lines, wildcards
	// (copyright lines, placeholders), lines without words.
	isFiller := func(l string) bool {
		t := strings.TrimSpace(l)
		return len(words.FindAllString(t, -1)) == 0 || strings.HasPrefix(t, wild) || strings.HasPrefix(t, copyright)
	}
	for len(lines) > 0 && isFiller(lines[0]) {
		lines = lines[1:]
	}
	for len(lines) > 0 && isFiller(lines[len(lines)-1]) {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return ""
	}
	// A title: a short first line, not a sentence, followed by more text.
	first := strings.TrimSpace(lines[0])
	if n := len(words.FindAllString(first, -1)); n <= 10 && len(lines) > 1 &&
		!strings.ContainsAny(first[len(first)-1:], ".,;:") && !strings.ContainsAny(first, wild+copyright) {
		rest := lines[1:]
		for len(rest) > 0 && isFiller(rest[0]) {
			rest = rest[1:]
		}
		if len(rest) > 0 {
			lines = append([]string{"(( " + first + " ))??"}, rest...)
		}
	}
	out := strings.Join(lines, "\n")
	if len(words.FindAllString(out, -1)) < minWords {
		return ""
	}
	out = strings.ReplaceAll(out, wild, placeholderWild)
	out = strings.ReplaceAll(out, copyright, copyrightWild)
	// adjacent wildcards, "[year] [name]", make one
	out = wilds.ReplaceAllStringFunc(out, func(w string) string {
		n := 0
		for _, m := range wildRE.FindAllStringSubmatch(w, -1) {
			k, _ := strconv.Atoi(m[1])
			n += k
		}
		return "__" + strconv.Itoa(n) + "__"
	})
	return out + "\n"
}

// defuse rewrites the text of one line so that LRE syntax reads it as
// words only: it breaks up "((", "))", "||", "??", "__" and "//**".
func defuse(l string) string {
	l = unders.ReplaceAllString(l, " ")
	for {
		d := special.Replace(l)
		if d == l {
			break
		}
		l = d
	}
	return strings.ReplaceAll(l, "//", "/ /")
}
