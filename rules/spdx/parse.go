package spdx

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits on what Parse accepts. Both bound the work and the stack that
// attacker-controlled metadata can cost; real expressions are far smaller.
const (
	// MaxLength is the longest expression Parse accepts, in bytes (64 KiB).
	// The canonical form of an accepted expression can be a little longer,
	// as String puts spaces around operators next to parentheses.
	MaxLength = 64 << 10
	// MaxDepth is the deepest nesting of parentheses Parse accepts.
	MaxDepth = 200
)

// SyntaxError reports why and where Parse rejected an expression. Its
// message names what was expected and what was found, e.g.
// `spdx: expected licence id after "AND", found end of input at offset 7 in "MIT AND"`.
type SyntaxError struct {
	// Input is the expression as given to Parse.
	Input string
	// Offset is the byte offset in Input at which the problem was found:
	// len(Input) when the input ended too early, MaxLength when it is too
	// long.
	Offset int
	// Msg says what was expected and what was found, in lower case.
	Msg string
}

// maxQuoted is how much of the input a SyntaxError message quotes.
const maxQuoted = 64

// Error returns the message, the offset and the input, or for long inputs
// an excerpt of it around the offset.
func (e *SyntaxError) Error() string {
	if len(e.Input) <= maxQuoted {
		return fmt.Sprintf("spdx: %s at offset %d in %q", e.Msg, e.Offset, e.Input)
	}
	start := max(0, e.Offset-maxQuoted/2)
	end := min(len(e.Input), start+maxQuoted)
	start = max(0, end-maxQuoted)
	return fmt.Sprintf("spdx: %s at offset %d near %q in a %d-byte expression",
		e.Msg, e.Offset, e.Input[start:end], len(e.Input))
}

// Parse parses an SPDX licence expression. It accepts the operators AND, OR
// and WITH in any case ("mit or apache-2.0"), as real package metadata
// often has them in lower case; ParseStrict does not. Ids are kept as
// written. Space, tab and line breaks separate tokens, and parentheses need
// no space around them. The error is a *SyntaxError.
func Parse(s string) (Expr, error) { return parse(s, false) }

// ParseStrict is Parse with the operators matched case-sensitively, as the
// SPDX specification says: "MIT or ISC" is an error. A word that spells an
// operator in another case is still not taken as an id, so that whatever
// ParseStrict accepts, Parse accepts and reads the same way.
func ParseStrict(s string) (Expr, error) { return parse(s, true) }

func parse(s string, strict bool) (Expr, error) {
	p := &parser{in: s, strict: strict}
	if len(s) > MaxLength {
		return nil, p.errorf(MaxLength, "expression is %d bytes, longer than the limit of %d", len(s), MaxLength)
	}
	if err := p.next(); err != nil {
		return nil, err
	}
	if p.tok.kind == tokEOF {
		return nil, p.errorf(p.tok.off, "empty expression")
	}
	e, err := p.parseOr("")
	if err != nil {
		return nil, err
	}
	switch p.tok.kind {
	case tokEOF:
		return e, nil
	case tokRParen:
		return nil, p.errorf(p.tok.off, `unexpected ")" with no matching "("`)
	}
	return nil, p.unexpected(p.afterTerm("end of input"))
}

type tokenKind uint8

const (
	tokEOF  tokenKind = iota
	tokWord           // an idstring that is not an operator
	tokAnd
	tokOr
	tokWith
	tokLParen
	tokRParen
	tokPlus
	tokColon
)

// token is a lexical token: its kind and its bytes in the input.
type token struct {
	kind     tokenKind
	off, end int
}

// parser is a recursive descent parser with one token of lookahead. The
// grammar, loosest binding first:
//
//	or   = and *("OR" and)
//	and  = term *("AND" term)
//	term = "(" or ")" / license ["WITH" exception]
type parser struct {
	in      string
	strict  bool
	tok     token // the next token, not yet consumed
	prevEnd int   // end of the token before tok, to tell "GPL-2.0+" from "GPL-2.0 +"
	depth   int   // parentheses open around tok
	withOK  bool  // the last term was a bare licence, so WITH could follow it
}

func (p *parser) errorf(off int, format string, args ...any) error {
	return &SyntaxError{Input: p.in, Offset: off, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) text(t token) string { return p.in[t.off:t.end] }

// next consumes tok and reads the token after it.
func (p *parser) next() error {
	p.prevEnd = p.tok.end
	i := p.tok.end
	for i < len(p.in) && isSpace(p.in[i]) {
		i++
	}
	if i == len(p.in) {
		p.tok = token{tokEOF, i, i}
		return nil
	}
	switch c := p.in[i]; c {
	case '(':
		p.tok = token{tokLParen, i, i + 1}
	case ')':
		p.tok = token{tokRParen, i, i + 1}
	case '+':
		p.tok = token{tokPlus, i, i + 1}
	case ':':
		p.tok = token{tokColon, i, i + 1}
	default:
		if !isIDChar(c) {
			return p.badChar(i)
		}
		j := i + 1
		for j < len(p.in) && isIDChar(p.in[j]) {
			j++
		}
		kind := tokWord
		switch w := p.in[i:j]; {
		case EqualID(w, "AND"):
			kind = tokAnd
		case EqualID(w, "OR"):
			kind = tokOr
		case EqualID(w, "WITH"):
			kind = tokWith
		}
		p.tok = token{kind, i, j}
	}
	return nil
}

// isIDChar reports whether c may appear in an SPDX idstring.
func isIDChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.'
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func (p *parser) badChar(i int) error {
	r, size := utf8.DecodeRuneInString(p.in[i:])
	what := strconv.Quote(string(r))
	if r == utf8.RuneError && size <= 1 {
		what = fmt.Sprintf("byte 0x%02x", p.in[i])
	}
	hint := ""
	if strings.ContainsRune("/|,;&", r) {
		// "MIT/Apache-2.0" and "MIT, ISC" are common ways of writing a
		// choice or a list that SPDX spells with operators.
		hint = "; join licences with AND or OR"
	}
	return p.errorf(i, `invalid character %s (ids contain only letters, digits, "-" and "."%s)`, what, hint)
}

// describe names a token for an error message.
func (p *parser) describe(t token) string {
	switch t.kind {
	case tokEOF:
		return "end of input"
	case tokAnd, tokOr, tokWith:
		return fmt.Sprintf("operator %q", p.text(t))
	}
	return strconv.Quote(clip(p.text(t)))
}

// clip shortens a word quoted in an error message.
func clip(s string) string {
	const n = 40
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// unexpected reports that tok is not what the parser wanted.
func (p *parser) unexpected(want string) error {
	switch t := p.tok; t.kind {
	case tokPlus:
		return p.errorf(t.off, `unexpected "+" (it may only follow a licence id, directly and once)`)
	case tokColon:
		return p.errorf(t.off, `unexpected ":" (it may only follow a "DocumentRef-" id)`)
	}
	return p.errorf(p.tok.off, "expected %s, found %s", want, p.describe(p.tok))
}

// afterTerm lists what may follow a complete term, ending with end.
func (p *parser) afterTerm(end string) string {
	if p.withOK {
		return "AND, OR, WITH or " + end
	}
	return "AND, OR or " + end
}

// operator consumes the operator in tok and returns its text, as written.
func (p *parser) operator() (string, error) {
	t := p.tok
	text := p.text(t)
	if p.strict {
		if upper := strings.ToUpper(text); text != upper {
			return "", p.errorf(t.off, "operator %q must be written %q", text, upper)
		}
	}
	return text, p.next()
}

// parseOr parses a disjunction; after is the token before it, for errors.
func (p *parser) parseOr(after string) (Expr, error) {
	first, err := p.parseAnd(after)
	if err != nil || p.tok.kind != tokOr {
		return first, err
	}
	ops := []Expr{first}
	for p.tok.kind == tokOr {
		op, err := p.operator()
		if err != nil {
			return nil, err
		}
		e, err := p.parseAnd(op)
		if err != nil {
			return nil, err
		}
		ops = append(ops, e)
	}
	return &Or{Operands: ops}, nil
}

// parseAnd parses a conjunction; after is the token before it, for errors.
func (p *parser) parseAnd(after string) (Expr, error) {
	first, err := p.parseTerm(after)
	if err != nil || p.tok.kind != tokAnd {
		return first, err
	}
	ops := []Expr{first}
	for p.tok.kind == tokAnd {
		op, err := p.operator()
		if err != nil {
			return nil, err
		}
		e, err := p.parseTerm(op)
		if err != nil {
			return nil, err
		}
		ops = append(ops, e)
	}
	return &And{Operands: ops}, nil
}

// parseTerm parses a parenthesised expression or a licence with an
// optional exception; after is the token before it, for errors.
func (p *parser) parseTerm(after string) (Expr, error) {
	switch t := p.tok; t.kind {
	case tokLParen:
		if p.depth == MaxDepth {
			return nil, p.errorf(t.off, "parentheses nested deeper than %d", MaxDepth)
		}
		p.depth++
		if err := p.next(); err != nil {
			return nil, err
		}
		e, err := p.parseOr("(")
		if err != nil {
			return nil, err
		}
		switch p.tok.kind {
		case tokRParen:
		case tokEOF:
			return nil, p.errorf(p.tok.off, `expected ")" to match "(" at offset %d, found end of input`, t.off)
		default:
			return nil, p.unexpected(p.afterTerm(`")"`))
		}
		p.depth--
		if err := p.next(); err != nil {
			return nil, err
		}
		if p.tok.kind == tokWith {
			return nil, p.errorf(p.tok.off, "unexpected %q after \")\" (it must follow a licence id)", p.text(p.tok))
		}
		p.withOK = false
		return e, nil
	case tokWord:
		l, err := p.parseLicense()
		if err != nil {
			return nil, err
		}
		if p.tok.kind != tokWith {
			p.withOK = true
			return &l, nil
		}
		op, err := p.operator()
		if err != nil {
			return nil, err
		}
		x, err := p.parseException(op)
		if err != nil {
			return nil, err
		}
		p.withOK = false
		return &With{License: l, Exception: x}, nil
	}
	want := "licence id"
	if after != "" {
		want += fmt.Sprintf(" after %q", after)
	}
	return nil, p.unexpected(want)
}

// parseLicense parses the licence whose first word is tok:
//
//	license = license-id ["+"] / ["DocumentRef-" id ":"] "LicenseRef-" id
func (p *parser) parseLicense() (License, error) {
	w := p.tok
	text := p.text(w)
	if err := p.next(); err != nil {
		return License{}, err
	}
	var l License
	if hasPrefixFold(text, documentRefPrefix) {
		doc, id, err := p.parseDocumentRef(w, licenseRefPrefix)
		if err != nil {
			return License{}, err
		}
		l = License{ID: id, DocumentRef: doc}
	} else {
		if err := p.checkPrefixed(w); err != nil {
			return License{}, err
		}
		l = License{ID: text}
	}
	if p.tok.kind == tokPlus && p.tok.off == p.prevEnd {
		if l.IsRef() {
			return License{}, p.errorf(p.tok.off, `unexpected "+" (a LicenseRef- id has no later versions)`)
		}
		l.OrLater = true
		if err := p.next(); err != nil {
			return License{}, err
		}
	}
	return l, nil
}

// parseException parses the exception after the WITH operator op:
//
//	exception = exception-id / ["DocumentRef-" id ":"] "AdditionRef-" id
func (p *parser) parseException(op string) (string, error) {
	w := p.tok
	if w.kind != tokWord {
		return "", p.unexpected(fmt.Sprintf("exception id after %q", op))
	}
	text := p.text(w)
	if err := p.next(); err != nil {
		return "", err
	}
	if hasPrefixFold(text, documentRefPrefix) {
		doc, id, err := p.parseDocumentRef(w, additionRefPrefix)
		if err != nil {
			return "", err
		}
		return doc + ":" + id, nil
	}
	return text, p.checkPrefixed(w)
}

// checkPrefixed rejects a reference prefix with nothing after it, such as
// "LicenseRef-": SPDX requires a non-empty id there.
func (p *parser) checkPrefixed(w token) error {
	text := p.text(w)
	for _, prefix := range []string{licenseRefPrefix, additionRefPrefix} {
		if len(text) == len(prefix) && EqualID(text, prefix) {
			return p.errorf(w.end, "expected id after %q", text)
		}
	}
	return nil
}

// parseDocumentRef parses the rest of "DocumentRef-doc:<prefix>id" after
// its first word w, which tok follows, and returns its two parts.
func (p *parser) parseDocumentRef(w token, prefix string) (doc, id string, err error) {
	doc = p.text(w)
	if len(doc) == len(documentRefPrefix) {
		return "", "", p.errorf(w.end, "expected id after %q", doc)
	}
	if p.tok.kind != tokColon || p.tok.off != w.end {
		return "", "", p.errorf(w.end, `expected ":%s<id>" after %q`, prefix, clip(doc))
	}
	colon := p.tok
	if err := p.next(); err != nil {
		return "", "", err
	}
	t := p.tok
	if t.kind != tokWord || t.off != colon.end || !hasPrefixFold(p.text(t), prefix) {
		return "", "", p.errorf(colon.end, "expected %q after %q", prefix, clip(doc)+":")
	}
	id = p.text(t)
	if len(id) == len(prefix) {
		return "", "", p.errorf(t.end, "expected id after %q", id)
	}
	return doc, id, p.next()
}
