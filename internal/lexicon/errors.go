package lexicon

import (
	"errors"
	"fmt"
)

// Problems that Load, New and Write report; test for them with errors.Is.
var (
	// ErrFields means a line does not have 3 or 4 tab-separated fields.
	ErrFields = errors.New("want phrase<TAB>weight<TAB>kind[<TAB>source]")
	// ErrPhrase means a phrase is not lowercase words separated by single
	// spaces.
	ErrPhrase = errors.New("bad phrase")
	// ErrWeight means a weight is not a number in the range of its kind.
	ErrWeight = errors.New("bad weight")
	// ErrKind means a kind is not one of the names Kind.String returns.
	ErrKind = errors.New("bad kind")
	// ErrSource means a source is empty or has characters outside
	// [A-Za-z0-9:._-/+].
	ErrSource = errors.New("bad source")
	// ErrDuplicate means a phrase appears twice.
	ErrDuplicate = errors.New("duplicate phrase")
	// ErrEncoding means a line is not valid UTF-8.
	ErrEncoding = errors.New("invalid UTF-8")
)

// LineError is a problem on one line of a lexicon file.
type LineError struct {
	// Line is the 1-based line number.
	Line int
	// Err is the problem, wrapping one of the Err* sentinels.
	Err error
}

// Error returns "line N: problem".
func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the problem.
func (e *LineError) Unwrap() error { return e.Err }
