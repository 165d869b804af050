package sillage

import "errors"

// UserError is an error with advice for the person at the terminal. Domain
// packages return it where they know what the user should try next; the
// CLI prints Hint after the error.
type UserError struct {
	Err error
	// Hint is one sentence: the next thing to try.
	Hint string
}

func (e *UserError) Error() string { return e.Err.Error() }
func (e *UserError) Unwrap() error { return e.Err }

// WithHint wraps err in a UserError carrying hint.
func WithHint(err error, hint string) error {
	return &UserError{Err: err, Hint: hint}
}

// HintOf returns the hint of the outermost UserError in err's chain, or "".
func HintOf(err error) string {
	var ue *UserError
	if errors.As(err, &ue) {
		return ue.Hint
	}
	return ""
}

// ErrInvalidInput marks an error caused by what the user asked for (a bad
// flag value, a malformed configuration or rule file) rather than by the
// target: the CLI exits with the usage code (2) for it. Mark an error with
// InvalidInput, which leaves its message as it is; errors.Is(err,
// ErrInvalidInput) finds the mark.
var ErrInvalidInput = errors.New("invalid input")

// InvalidInput marks err as caused by what the user asked for (see
// ErrInvalidInput) without changing its message.
func InvalidInput(err error) error { return invalidInput{err} }

type invalidInput struct{ err error }

func (e invalidInput) Error() string        { return e.err.Error() }
func (e invalidInput) Unwrap() error        { return e.err }
func (e invalidInput) Is(target error) bool { return target == ErrInvalidInput }

// Progress reports how a scan is advancing. The scanner sends it to the
// callback the caller supplies; it never prints.
type Progress struct {
	// Stage is what the scanner is doing: "index", "catalog", "read",
	// "evaluate", "done".
	Stage string
	// Files is the number of file system entries indexed so far.
	Files int
	// Packages is the number of packages found so far.
	Packages int
}
