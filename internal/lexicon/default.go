package lexicon

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"
)

// defaultTable is the compiled lexicon that cmd/lexicongen writes.
//
//go:embed data/lexicon.tsv
var defaultTable []byte

var defaultLexicon = sync.OnceValue(func() *Lexicon {
	l, err := Load(bytes.NewReader(defaultTable))
	if err != nil {
		// The table is generated and checked by the tests; a bad one is a
		// build error, not an input error.
		panic(fmt.Sprintf("lexicon: embedded data/lexicon.tsv: %v", err))
	}
	return l
})

// Default returns the lexicon compiled into the binary from CAMEO, VADER,
// AFINN and the team's own cues (see cmd/lexicongen). It is parsed on first
// use and shared.
func Default() *Lexicon { return defaultLexicon() }
