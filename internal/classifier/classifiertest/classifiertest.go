// Package classifiertest gives other packages' tests the classifier of the
// embedded bundle. It cannot live in sharedtest: the classifier's own tests
// import that package.
package classifiertest

import (
	"sync"
	"testing"

	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/features"
)

var (
	once     sync.Once
	embedded *classifier.Classifier
	err      error
)

// Embedded returns the classifier of the embedded bundle with the default
// gazetteer and lexicon, opened once per test binary and shared: a
// Classifier is immutable and safe for concurrent use.
func Embedded(tb testing.TB) *classifier.Classifier {
	tb.Helper()
	once.Do(func() {
		var tok *features.Tokenizer
		if tok, err = features.NewTokenizer(); err == nil {
			embedded, err = classifier.Open(classifier.Sources{}, tok)
		}
	})
	if err != nil {
		tb.Fatal(err)
	}
	return embedded
}
