// Package spdx parses and evaluates SPDX licence expressions, such as
// "(MIT OR Apache-2.0) AND GPL-2.0-only WITH Classpath-exception-2.0", as
// defined by SPDX 2.3 Annex D and the SPDX 3 licensing profile.
//
// It knows the grammar only, not the SPDX licence list: it neither checks
// that an id exists nor rewrites deprecated ids, and it keeps ids as they
// were written. A package that holds the list does that through Map. It
// imports the standard library only, so that every stage can use it.
//
// Parse runs on package metadata, which an attacker may control: it bounds
// the input length (MaxLength) and the nesting depth (MaxDepth), and never
// panics. The functions that take an Expr recurse on it, so trees built by
// hand should stay as shallow as parsed ones.
package spdx

import (
	"strings"
)

// Expr is a parsed licence expression: a *License, a *With, an *And or an
// *Or. No other type implements it.
//
// A parsed Expr keeps the shape of its text: an AND or OR chain is one node
// with all its operands, and a parenthesised group stays a nested node, so
// "(MIT AND ISC) AND BSD-3-Clause" is an And whose first operand is an And.
// Normalize flattens such nesting.
type Expr interface {
	// String returns the canonical text of the expression: single spaces,
	// operators in upper case, ids as written, and parentheses only where
	// the tree needs them (an OR under an AND, or an operand with the same
	// operator as its parent). For a valid e (see Validate),
	// Parse(e.String()) is Equal to e.
	String() string
	expr()
}

// License is a licence leaf: a licence id from the SPDX list, optionally
// followed by "+", or a user-defined "LicenseRef-" reference.
type License struct {
	// ID is the licence id as written, e.g. "MIT", "gpl-2.0-only", or for a
	// reference the whole "LicenseRef-..." id, e.g. "LicenseRef-Proprietary".
	ID string
	// OrLater is true when the id was followed by "+" ("GPL-2.0+"): this
	// version of the licence or any later one. References never have it.
	OrLater bool
	// DocumentRef is the "DocumentRef-..." id of the SPDX document that
	// defines a LicenseRef, e.g. "DocumentRef-spdx-tool-1.2"; "" when the
	// reference is local or ID is not a reference.
	DocumentRef string
}

// With is a licence together with an exception to it or an addition to it,
// e.g. "GPL-2.0-or-later WITH Classpath-exception-2.0".
type With struct {
	// License is the licence the exception applies to.
	License License
	// Exception is the exception id as written, e.g. "Classpath-exception-2.0",
	// or an SPDX 3 addition reference, e.g. "AdditionRef-Foo" or
	// "DocumentRef-x:AdditionRef-Foo".
	Exception string
}

// And is a conjunction: the user must comply with every operand.
type And struct {
	// Operands holds at least two expressions, in the order written.
	Operands []Expr
}

// Or is a disjunction: the user may choose any one operand.
type Or struct {
	// Operands holds at least two expressions, in the order written.
	Operands []Expr
}

func (*License) expr() {}
func (*With) expr()    {}
func (*And) expr()     {}
func (*Or) expr()      {}

const (
	licenseRefPrefix  = "LicenseRef-"
	documentRefPrefix = "DocumentRef-"
	additionRefPrefix = "AdditionRef-"
)

// IsRef reports whether l is a user-defined "LicenseRef-" reference rather
// than an id from the SPDX licence list. The prefix is matched without
// regard to case.
func (l License) IsRef() bool { return hasPrefixFold(l.ID, licenseRefPrefix) }

// String returns the licence as SPDX writes it, e.g. "GPL-2.0+" or
// "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2".
func (l License) String() string {
	var b strings.Builder
	l.write(&b)
	return b.String()
}

func (l License) write(b *strings.Builder) {
	if l.DocumentRef != "" {
		b.WriteString(l.DocumentRef)
		b.WriteByte(':')
	}
	b.WriteString(l.ID)
	if l.OrLater {
		b.WriteByte('+')
	}
}

// String returns the canonical text of w, e.g.
// "GPL-2.0-or-later WITH Classpath-exception-2.0".
func (w *With) String() string {
	var b strings.Builder
	write(&b, w)
	return b.String()
}

// String returns the canonical text of a; see Expr.
func (a *And) String() string {
	var b strings.Builder
	write(&b, a)
	return b.String()
}

// String returns the canonical text of o; see Expr.
func (o *Or) String() string {
	var b strings.Builder
	write(&b, o)
	return b.String()
}

// write appends the canonical text of e to b. One builder serves the whole
// tree, so printing is linear in the size of the output.
func write(b *strings.Builder, e Expr) {
	switch n := e.(type) {
	case *License:
		n.write(b)
	case *With:
		n.License.write(b)
		b.WriteString(" WITH ")
		b.WriteString(n.Exception)
	case *And:
		for i, op := range n.Operands {
			if i > 0 {
				b.WriteString(" AND ")
			}
			// OR binds looser than AND, and a nested AND would merge into
			// this one when read back: both need parentheses.
			_, isOr := op.(*Or)
			_, isAnd := op.(*And)
			writeOperand(b, op, isOr || isAnd)
		}
	case *Or:
		for i, op := range n.Operands {
			if i > 0 {
				b.WriteString(" OR ")
			}
			_, isOr := op.(*Or)
			writeOperand(b, op, isOr)
		}
	}
}

func writeOperand(b *strings.Builder, e Expr, paren bool) {
	if paren {
		b.WriteByte('(')
	}
	write(b, e)
	if paren {
		b.WriteByte(')')
	}
}

// EqualID reports whether two licence or exception ids are the same id.
// SPDX ids are matched without regard to case, and they are ASCII, so the
// comparison folds ASCII letters only: "mit" equals "MIT".
func EqualID(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && EqualID(s[:len(prefix)], prefix)
}

// Equal reports whether a and b have the same structure and the same
// leaves, comparing ids with EqualID. It does not apply any law of logic:
// "MIT OR ISC" and "ISC OR MIT" differ, and so do "A AND (B AND C)" and
// "A AND B AND C" (Normalize both first to ignore such nesting). Two nil
// expressions are equal.
func Equal(a, b Expr) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case *License:
		y, ok := b.(*License)
		return ok && equalLicense(*x, *y)
	case *With:
		y, ok := b.(*With)
		return ok && equalLicense(x.License, y.License) && EqualID(x.Exception, y.Exception)
	case *And:
		y, ok := b.(*And)
		return ok && equalOperands(x.Operands, y.Operands)
	case *Or:
		y, ok := b.(*Or)
		return ok && equalOperands(x.Operands, y.Operands)
	}
	return false
}

func equalLicense(a, b License) bool {
	return a.OrLater == b.OrLater && EqualID(a.ID, b.ID) && EqualID(a.DocumentRef, b.DocumentRef)
}

func equalOperands(a, b []Expr) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// AllOf returns the conjunction of es, "es[0] AND es[1] AND ...". Nil
// operands are skipped, and an operand that is itself an *And contributes
// its operands, so building never adds nesting. It returns nil for no
// operand and the operand itself for one. The result shares its nodes with
// es; it does not copy them.
func AllOf(es ...Expr) Expr {
	ops := build(es, func(e Expr) ([]Expr, bool) {
		a, ok := e.(*And)
		if !ok {
			return nil, false
		}
		return a.Operands, true
	})
	if len(ops) < 2 {
		return single(ops)
	}
	return &And{Operands: ops}
}

// AnyOf returns the disjunction of es, "es[0] OR es[1] OR ...", in the same
// way as AllOf: nil operands are skipped, *Or operands are merged, and
// fewer than two operands give nil or the operand itself.
func AnyOf(es ...Expr) Expr {
	ops := build(es, func(e Expr) ([]Expr, bool) {
		o, ok := e.(*Or)
		if !ok {
			return nil, false
		}
		return o.Operands, true
	})
	if len(ops) < 2 {
		return single(ops)
	}
	return &Or{Operands: ops}
}

func build(es []Expr, same func(Expr) ([]Expr, bool)) []Expr {
	ops := make([]Expr, 0, len(es))
	for _, e := range es {
		if e == nil {
			continue
		}
		if inner, ok := same(e); ok {
			ops = append(ops, inner...)
			continue
		}
		ops = append(ops, e)
	}
	return ops
}

func single(ops []Expr) Expr {
	if len(ops) == 0 {
		return nil
	}
	return ops[0]
}
