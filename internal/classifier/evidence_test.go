package classifier

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/model"
	"github.com/stance/classifierd/internal/sharedtest"
)

// TestEvidenceReadable holds the evidence of the seed articles to what a
// reader accepts as reasons: words, never punctuation, numbers or function
// words (but a relation's "against"); nothing inside a mention (an entity's own name is no reason); a
// lexicon cue listed with its own polarity, never neutral; a context word
// that supports the label listed with the label.
func TestEvidenceReadable(t *testing.T) {
	dir := sharedtest.Path(t, "seeds")
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no seed articles in %s: %v", dir, err)
	}
	c := newTestClassifier(t)
	items := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(raw)
		res, err := c.Classify(context.Background(), Request{Text: text, Builtin: true, MaxEvidence: 5})
		if err != nil {
			t.Fatal(err)
		}
		isFunction := func(s string) bool { return features.FunctionWord(strings.ToLower(s)) }
		// A hostile relation's evidence may be a word that aims the act
		// against its target ("against"), function word though it is.
		check := func(what string, label model.Label, ev []Evidence, relation bool) {
			for _, e := range ev {
				items++
				s := text[e.Span.Start:e.Span.End]
				r := []rune(s)
				switch {
				case !unicode.IsLetter(r[0]):
					t.Errorf("%s: %s: evidence %q is not a word", filepath.Base(f), what, s)
				case e.Source == "context" && isFunction(s) && !(relation && label == model.Hostile && features.CounterWord(strings.ToLower(s))):
					t.Errorf("%s: %s: evidence %q is a function word", filepath.Base(f), what, s)
				case e.Source != "context" && e.Label == model.Neutral:
					t.Errorf("%s: %s: lexicon cue %q listed as neutral", filepath.Base(f), what, s)
				case e.Source == "context" && e.Contribution > 0 && e.Label != label:
					t.Errorf("%s: %s: %q supports %v but is listed as %v", filepath.Base(f), what, s, label, e.Label)
				}
				for _, m := range res.Mentions {
					if e.Span.Start < m.Span.End && m.Span.Start < e.Span.End {
						t.Errorf("%s: %s: evidence %q lies in the mention %q", filepath.Base(f), what, s, text[m.Span.Start:m.Span.End])
					}
				}
			}
		}
		for _, m := range res.Mentions {
			check(text[m.Span.Start:m.Span.End], m.Label, m.Evidence, false)
		}
		for _, r := range res.Relations {
			check(text[r.Holder.Span.Start:r.Holder.Span.End]+" -> "+text[r.Target.Span.Start:r.Target.Span.End], r.Label, r.Evidence, true)
		}
	}
	if items < 100 {
		t.Errorf("only %d evidence items in the seed articles", items)
	}
}
