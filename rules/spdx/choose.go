package spdx

import "math"

// Choose returns the cheapest set of terms that satisfies e: the licences,
// with their exceptions, that a user of the software would comply with.
// cost(t) returns the cost of complying with t and whether t is allowed at
// all; a term that is not allowed is never chosen. An And needs all its
// operands, and an Or takes its cheapest satisfiable operand, the leftmost
// one on a tie, so the answer is deterministic. ok is false, with a nil
// choice, when no choice satisfies e; nil expressions, and And or Or nodes
// without operands, are never satisfied.
//
// The choice lists terms in the order written, and total is the sum of
// their costs. A term is counted at each place it occurs: for
// "MIT AND (MIT OR ISC)" the choice is MIT, MIT and costs twice the cost of
// MIT. Counting shared terms once would make the problem NP-hard (it
// contains weighted set cover); counting each occurrence makes choosing
// each operand of an And independently optimal, so Choose runs in time
// linear in the size of e, whatever its width.
//
// cost is called at most once per term occurrence, in the order written,
// and not for the rest of an And once one of its operands is unsatisfiable.
// Negative costs count as zero, and totals saturate at math.MaxInt.
func Choose(e Expr, cost func(Term) (int, bool)) (choice []Term, total int, ok bool) {
	c := chooser{cost: cost}
	total, ok = c.eval(e)
	if !ok {
		return nil, 0, false
	}
	return c.collect(nil, e), total, true
}

// Satisfies reports whether some choice of operands satisfies e using only
// allowed terms: whether Choose would return ok for any costs with the same
// allowed terms. allowed is called at most once per term occurrence, in the
// order written, and evaluation stops as soon as the answer is known.
func Satisfies(e Expr, allowed func(Term) bool) bool {
	switch n := e.(type) {
	case *And:
		if len(n.Operands) == 0 {
			return false
		}
		for _, op := range n.Operands {
			if !Satisfies(op, allowed) {
				return false
			}
		}
		return true
	case *Or:
		for _, op := range n.Operands {
			if Satisfies(op, allowed) {
				return true
			}
		}
		return false
	}
	t, ok := termOf(e)
	return ok && allowed(t)
}

// chooser evaluates in two passes: eval computes the cheapest cost of every
// node bottom-up and records each Or's pick, then collect follows the
// picks. Building the choice as eval goes would copy the terms of a
// subtree once per enclosing Or.
type chooser struct {
	cost  func(Term) (int, bool)
	picks map[*Or]int // index of the chosen operand of each satisfiable Or
}

func (c *chooser) eval(e Expr) (int, bool) {
	switch n := e.(type) {
	case *And:
		if len(n.Operands) == 0 {
			return 0, false
		}
		total := 0
		for _, op := range n.Operands {
			t, ok := c.eval(op)
			if !ok {
				return 0, false
			}
			total = addSat(total, t)
		}
		return total, true
	case *Or:
		best, pick := 0, -1
		for i, op := range n.Operands {
			t, ok := c.eval(op)
			if ok && (pick < 0 || t < best) {
				best, pick = t, i
			}
		}
		if pick < 0 {
			return 0, false
		}
		if c.picks == nil {
			c.picks = make(map[*Or]int)
		}
		c.picks[n] = pick
		return best, true
	}
	t, ok := termOf(e)
	if !ok {
		return 0, false
	}
	cost, allowed := c.cost(t)
	if !allowed {
		return 0, false
	}
	return max(cost, 0), true
}

// collect appends the terms chosen under e, which eval found satisfiable.
func (c *chooser) collect(dst []Term, e Expr) []Term {
	switch n := e.(type) {
	case *And:
		for _, op := range n.Operands {
			dst = c.collect(dst, op)
		}
		return dst
	case *Or:
		return c.collect(dst, n.Operands[c.picks[n]])
	}
	t, _ := termOf(e)
	return append(dst, t)
}

// addSat adds two non-negative ints, saturating at math.MaxInt.
func addSat(a, b int) int {
	if a > math.MaxInt-b {
		return math.MaxInt
	}
	return a + b
}
