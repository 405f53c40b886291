package entities

import (
	"errors"
	"fmt"
)

// ErrInvalidTarget is wrapped by every *TargetError, for errors.Is.
var ErrInvalidTarget = errors.New("invalid target")

// TargetError reports a caller target that cannot be matched.
type TargetError struct {
	Index  int    // index into Options.Targets
	Field  string // "name" or "aliases[i]"
	Reason string
}

func (e *TargetError) Error() string {
	return fmt.Sprintf("target %d: %s: %s", e.Index, e.Field, e.Reason)
}

// Unwrap lets errors.Is(err, ErrInvalidTarget) match.
func (e *TargetError) Unwrap() error { return ErrInvalidTarget }
