package model

import "errors"

var (
	// ErrUnknownLabel is returned for a label other than hostile,
	// cooperative or neutral.
	ErrUnknownLabel = errors.New("unknown label")
	// ErrInvalidModel wraps every problem found while loading a model.
	ErrInvalidModel = errors.New("invalid model")
)
