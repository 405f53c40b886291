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

// defaultSnapshot is the parsed table, as cmd/lexicongen writes it beside
// the table, so that a start-up need not parse it.
//
//go:embed data/lexicon.snapshot
var defaultSnapshot string

var defaultLexicon = sync.OnceValue(func() *Lexicon {
	// A snapshot that is stale or fails its checks is ignored and the
	// table parsed instead; a test checks that the embedded one is the
	// table's and reads as parsing it gives.
	if l, err := readSnapshot(defaultSnapshot, defaultTable); err == nil {
		return l
	}
	l, err := Load(bytes.NewReader(defaultTable))
	if err != nil {
		// The table is generated and checked by the tests; a bad one is a
		// build error, not an input error.
		panic(fmt.Sprintf("lexicon: embedded data/lexicon.tsv: %v", err))
	}
	return l
})

// Default returns the lexicon compiled into the binary from CAMEO, VADER,
// AFINN and the team's own cues (see cmd/lexicongen). It is read on first
// use and shared.
func Default() *Lexicon { return defaultLexicon() }
