package features

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stance/classifierd/internal/lexicon"
	"github.com/stance/classifierd/internal/sharedtest"
)

// TestMatchWithoutLexemes checks that Match finds the same cues in a
// Document built without the tokenizer's lexemes, where it lowers and looks
// up every token itself, as in one from the tokenizer, where it reads the
// entries cached in the lexemes (twice, the second time from the cache).
func TestMatchWithoutLexemes(t *testing.T) {
	tok := mustTokenizer(t)
	x := NewCueIndex(lexicon.Default())
	var s Scratch
	for _, text := range sharedtest.News(t) {
		d := tok.Tokenize(text)
		bare := *d
		bare.lexemes = nil
		want := x.Match(nil, &bare, &s)
		for range 2 {
			if diff := cmp.Diff(want, x.Match(nil, d, &s)); diff != "" {
				t.Fatalf("Match(%.60q) with lexemes differs (-without +with):\n%s", text, diff)
			}
		}
	}
}
