package features

import (
	"math/rand/v2"
	"strings"
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

// TestMatchIndexesShareLexemes checks two cue indexes that take turns
// with one tokenizer's lexemes, each caching its entries there, and one
// numbered past what a lexeme can cache: each finds what it finds in a
// Document without lexemes.
func TestMatchIndexesShareLexemes(t *testing.T) {
	tok := mustTokenizer(t)
	full := NewCueIndex(lexicon.Default())
	few, err := lexicon.New(lexicon.Default().Cues()[:500])
	if err != nil {
		t.Fatal(err)
	}
	small := NewCueIndex(few)
	uncached := NewCueIndex(lexicon.Default())
	uncached.id = maxCachingID + 1
	var s Scratch
	for _, text := range sharedtest.News(t)[:40] {
		d := tok.Tokenize(text)
		bare := *d
		bare.lexemes = nil
		for round := range 2 {
			for name, x := range map[string]*CueIndex{"full": full, "small": small, "uncached": uncached} {
				want := x.Match(nil, &bare, &s)
				if diff := cmp.Diff(want, x.Match(nil, d, &s)); diff != "" {
					t.Fatalf("round %d, %s index, Match(%.60q) with lexemes differs (-without +with):\n%s", round, name, text, diff)
				}
			}
		}
	}
	if len(full.Match(nil, tok.Tokenize(sharedtest.News(t)[0]), &s)) == len(small.Match(nil, tok.Tokenize(sharedtest.News(t)[0]), &s)) {
		t.Fatal("the two indexes find as many cues: the test cannot tell their entries apart")
	}
}

// TestMatchFindsLongestCues checks Match against a reference that joins
// the lowered words at each token and looks the phrase up in the lexicon,
// longest first: the same cues, at the same tokens, over the news corpus.
func TestMatchFindsLongestCues(t *testing.T) {
	tok := mustTokenizer(t)
	lex := lexicon.Default()
	x := NewCueIndex(lex)
	isCue := func(phrase string) bool {
		c, ok := lex.Lookup(phrase)
		switch {
		case !ok || c.Weight == 0:
			return false
		case c.Kind == lexicon.KindNegator, c.Kind == lexicon.KindIntensifier, c.Kind == lexicon.KindHedge:
			return false
		}
		return true
	}
	// A modifier of several words: its words are no cue unless a longer
	// cue starts where it does.
	isMulti := func(phrase string) bool {
		c, ok := lex.Lookup(phrase)
		return ok && c.Kind.IsModifier() && strings.Contains(phrase, " ")
	}
	var s, ref Scratch
	for _, text := range sharedtest.News(t) {
		d := tok.Tokenize(text)
		ref.lowerAll(d)
		var want [][2]int
		for _, sent := range d.Sentences {
			skip := 0 // the words inside a modifier phrase start no cue
			for i := sent.First; i < sent.End; {
				m := min(lexicon.MaxPhraseWords, sent.End-i)
				for ; m > 1 && !isMulti(strings.Join(ref.lower[i:i+m], " ")); m-- {
				}
				first := false
				if m > 1 {
					first = i >= skip
					skip = max(skip, i+m)
				}
				if i < skip && !first {
					i++
					continue
				}
				n := min(lexicon.MaxPhraseWords, sent.End-i)
				for ; n > 0 && !isCue(strings.Join(ref.lower[i:i+n], " ")); n-- {
				}
				if n == 0 {
					i++
					continue
				}
				want = append(want, [2]int{i, i + n})
				i += n
			}
		}
		var got [][2]int
		for _, m := range x.Match(nil, d, &s) {
			got = append(got, [2]int{m.First, m.End})
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("cues of %.60q differ (-reference +Match):\n%s", text, diff)
		}
	}
}

// TestMatchInWantedSentences checks MatchIn on a Document that SplitInto
// left unresolved: for a random choice of sentences it finds exactly the
// cues that Match finds in them on a tokenized Document, looking up the
// words of those sentences only; a later Match finds all of them.
func TestMatchInWantedSentences(t *testing.T) {
	tok := mustTokenizer(t)
	x := NewCueIndex(lexicon.Default())
	rnd := rand.New(rand.NewPCG(3, 5))
	var s Scratch
	var d Document
	for _, text := range sharedtest.News(t)[:60] {
		all := x.Match(nil, tok.Tokenize(text), &s)
		tok.SplitInto(&d, text)
		want := make([]bool, len(d.Sentences))
		for i := range want {
			want[i] = rnd.IntN(3) == 0
		}
		var wantCues []CueMatch
		for _, c := range all {
			if want[d.SentenceOf(c.First)] {
				wantCues = append(wantCues, c)
			}
		}
		if diff := cmp.Diff(wantCues, x.MatchIn(nil, &d, &s, want)); diff != "" {
			t.Fatalf("MatchIn(%.60q) differs from Match in the wanted sentences (-want +got):\n%s", text, diff)
		}
		for si, sent := range d.Sentences {
			for i := sent.First; i < sent.End; i++ {
				if (d.lexemes[i] != nil) != want[si] {
					t.Fatalf("%.60q: token %d of sentence %d (wanted %v) has lexeme %v", text, i, si, want[si], d.lexemes[i] != nil)
				}
			}
		}
		if diff := cmp.Diff(all, x.Match(nil, &d, &s)); diff != "" {
			t.Fatalf("Match(%.60q) after MatchIn differs (-tokenized +split):\n%s", text, diff)
		}
	}
}

// TestMultiWordModifiers: a modifier of several words acts as the lexicon
// says, where its words end before the cue; a word of it alone does not,
// and a one-word modifier still does.
func TestMultiWordModifiers(t *testing.T) {
	plain := func(text, cue string) float32 {
		d, cues := prepared(t, text)
		return cueAt(t, d, cues, cue).Polarity
	}
	condemned := plain("Egypt condemned Ethiopia.", "condemned")
	for _, tc := range []struct {
		text, cue string
		negated   bool
		// factor is the cue's polarity over its plain one: -0.75 for a
		// negation, the hedge's weight for a hedge.
		factor float32
	}{
		{"Egypt refused to condemn Ethiopia.", "condemn", true, -0.75},
		{"Egypt refrained from condemning Ethiopia.", "condemning", true, -0.75},
		{"Egypt stopped short of condemning Ethiopia.", "condemning", true, -0.75},
		{"Egypt no longer condemned Ethiopia.", "condemned", true, -0.75},
		{"Egypt not only condemned Ethiopia.", "condemned", false, 1},
		{"Egypt did not condemn Ethiopia.", "condemn", true, -0.75},
		{"Egypt refused condemned Ethiopia.", "condemned", false, 1},
		{"Egypt is said to have condemned Ethiopia.", "condemned", false, 0.6},
	} {
		d, cues := prepared(t, tc.text)
		cue := cueAt(t, d, cues, tc.cue)
		base := plain("Egypt "+tc.cue+" Ethiopia.", tc.cue)
		if tc.cue == "condemned" {
			base = condemned
		}
		if cue.Negated != tc.negated {
			t.Errorf("%q: negated %v, want %v", tc.text, cue.Negated, tc.negated)
		}
		if got := cue.Polarity / base; got < tc.factor-1e-4 || got > tc.factor+1e-4 {
			t.Errorf("%q: polarity %.3f, %.3f of the plain cue's, want %.3f", tc.text, cue.Polarity, got, tc.factor)
		}
	}
	// The window counts from the phrase's last word.
	d, cues := prepared(t, "Egypt stopped short of formally condemning Ethiopia.")
	if cue := cueAt(t, d, cues, "condemning"); !cue.Negated {
		t.Errorf("%q: condemning not negated", d.Text)
	}
	// The words inside a modifier phrase are no cue of their own; its
	// first word may be ("refused" of "refused to" is a refusal).
	d, cues = prepared(t, "Egypt refused to condemn Ethiopia.")
	cueAt(t, d, cues, "refused")
	for _, tc := range []struct{ text, word string }{
		{"Egypt no doubt condemned Ethiopia.", "doubt"},
	} {
		d, cues := prepared(t, tc.text)
		for _, c := range cues {
			if d.Surface(c.First) == tc.word {
				t.Errorf("%q: %q matched as a cue", tc.text, tc.word)
			}
		}
	}
}
