package spdx

import (
	"errors"
	"fmt"
)

// Term is one licence leaf of an expression together with its exception,
// if any: the unit a policy allows or denies, and what Choose picks.
type Term struct {
	// License is the licence.
	License License
	// Exception is the exception or addition that follows "WITH", e.g.
	// "Classpath-exception-2.0"; "" when there is none.
	Exception string
}

// String returns the term as SPDX writes it, e.g. "MIT" or
// "GPL-2.0-or-later WITH Classpath-exception-2.0".
func (t Term) String() string { return t.Expr().String() }

// Expr returns the term as an expression: a *With when it has an
// exception, otherwise a *License.
func (t Term) Expr() Expr {
	if t.Exception != "" {
		return &With{License: t.License, Exception: t.Exception}
	}
	l := t.License
	return &l
}

// termOf returns the term of a leaf, and false if e is not a leaf.
func termOf(e Expr) (Term, bool) {
	switch n := e.(type) {
	case *License:
		return Term{License: *n}, true
	case *With:
		return Term{License: n.License, Exception: n.Exception}, true
	}
	return Term{}, false
}

// Walk calls fn for e and then, if fn returns true, for each operand of e,
// depth first in the order written. The leaves are *License and *With
// nodes; Walk does not descend into a With. It does nothing for a nil e.
func Walk(e Expr, fn func(Expr) bool) {
	if e == nil || !fn(e) {
		return
	}
	switch n := e.(type) {
	case *And:
		for _, op := range n.Operands {
			Walk(op, fn)
		}
	case *Or:
		for _, op := range n.Operands {
			Walk(op, fn)
		}
	}
}

// Terms returns every term of e in the order written, repeats included:
// "MIT AND (MIT OR ISC)" gives MIT, MIT, ISC. It returns nil for nil.
func Terms(e Expr) []Term {
	var ts []Term
	Walk(e, func(n Expr) bool {
		if t, ok := termOf(n); ok {
			ts = append(ts, t)
		}
		return true
	})
	return ts
}

// Licenses returns the licence of every term of e in the order written,
// repeats included, with their exceptions left out.
func Licenses(e Expr) []License {
	var ls []License
	for _, t := range Terms(e) {
		ls = append(ls, t.License)
	}
	return ls
}

// Exceptions returns the exception of every term of e that has one, in the
// order written, repeats included.
func Exceptions(e Expr) []string {
	var xs []string
	for _, t := range Terms(e) {
		if t.Exception != "" {
			xs = append(xs, t.Exception)
		}
	}
	return xs
}

// Map returns a copy of e in which every term t is replaced by fn(t), or
// kept when fn returns nil. fn may return any expression, e.g. a *With to
// turn the deprecated "GPL-2.0-with-classpath-exception" into
// "GPL-2.0-only WITH Classpath-exception-2.0". Map does not flatten what fn
// returns into the parent (call Normalize for that) and does not modify e.
// It returns nil for nil.
func Map(e Expr, fn func(Term) Expr) Expr {
	switch n := e.(type) {
	case *And:
		return &And{Operands: mapOperands(n.Operands, fn)}
	case *Or:
		return &Or{Operands: mapOperands(n.Operands, fn)}
	}
	t, ok := termOf(e)
	if !ok {
		return nil
	}
	if r := fn(t); r != nil {
		return r
	}
	return t.Expr()
}

func mapOperands(ops []Expr, fn func(Term) Expr) []Expr {
	out := make([]Expr, len(ops))
	for i, op := range ops {
		out[i] = Map(op, fn)
	}
	return out
}

// Normalize returns a copy of e in which every operand that has the same
// operator as its parent is merged into it, so that "A AND (B AND C)" and
// "(A AND B) AND C" both become "A AND B AND C", and an And or Or left with
// one operand is replaced by it. Equal expressions normalize to Equal
// expressions, and String of the result is stable. It does not reorder or
// remove operands, and it returns nil for nil.
func Normalize(e Expr) Expr {
	switch n := e.(type) {
	case *License:
		c := *n
		return &c
	case *With:
		c := *n
		return &c
	case *And:
		ops := make([]Expr, 0, len(n.Operands))
		for _, op := range n.Operands {
			op = Normalize(op)
			if inner, ok := op.(*And); ok {
				ops = append(ops, inner.Operands...)
			} else if op != nil {
				ops = append(ops, op)
			}
		}
		if len(ops) < 2 {
			return single(ops)
		}
		return &And{Operands: ops}
	case *Or:
		ops := make([]Expr, 0, len(n.Operands))
		for _, op := range n.Operands {
			op = Normalize(op)
			if inner, ok := op.(*Or); ok {
				ops = append(ops, inner.Operands...)
			} else if op != nil {
				ops = append(ops, op)
			}
		}
		if len(ops) < 2 {
			return single(ops)
		}
		return &Or{Operands: ops}
	}
	return nil
}

// Validate reports whether e is a well-formed expression, one whose String
// parses back to an Equal expression: every And and Or has at least two
// non-nil operands, and every term is valid SPDX syntax (an id made of
// letters, digits, "-" and ".", "+" only after a list id, DocumentRef only
// with a LicenseRef, and so on). Parse only returns valid expressions; use
// Validate on expressions built by hand or by Map.
func Validate(e Expr) error {
	if e == nil {
		return errors.New("spdx: nil expression")
	}
	var err error
	Walk(e, func(n Expr) bool {
		if err != nil {
			return false
		}
		switch n := n.(type) {
		case *And:
			err = validateOperands("AND", n.Operands)
		case *Or:
			err = validateOperands("OR", n.Operands)
		default:
			err = validateTerm(n)
		}
		return err == nil
	})
	return err
}

func validateOperands(op string, ops []Expr) error {
	if len(ops) < 2 {
		return fmt.Errorf("spdx: %s with %d operands, want at least 2", op, len(ops))
	}
	for i, o := range ops {
		if o == nil {
			return fmt.Errorf("spdx: %s operand %d is nil", op, i)
		}
	}
	return nil
}

// validateTerm checks a leaf against the parser itself, so that Validate
// and Parse cannot disagree on what a valid term is.
func validateTerm(leaf Expr) error {
	s := leaf.String()
	got, err := Parse(s)
	if err != nil {
		return fmt.Errorf("spdx: invalid term %q: %w", s, err)
	}
	if _, ok := termOf(got); !ok || !Equal(got, leaf) {
		return fmt.Errorf("spdx: invalid term %q: it reads back as %q", s, got)
	}
	return nil
}
