// Package embedded holds the default stance model, compiled into every
// binary so that the server starts with no files beside it. The model file
// is written by `go run ./cmd/stancetrain` (see the README's model card).
package embedded

import (
	"bytes"
	_ "embed"
	"sync"

	"github.com/stance/classifierd/internal/model"
)

//go:embed stance-model.bin.gz
var modelFile []byte

// File returns the bytes of the embedded model file.
func File() []byte { return modelFile }

// Model returns the embedded model bundle, loaded once.
var Model = sync.OnceValues(func() (*model.Bundle, error) {
	return model.LoadBundle(bytes.NewReader(modelFile))
})
