package builder

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/lexicon"
)

func TestParseValence(t *testing.T) {
	in := "good\t2\t0.5\t[1, 2]\n:-)\t2\n10q\t1\nNo Fun\t-2\nbad  luck\t-4\n\n"
	got, err := parseValence(strings.NewReader(in), 4)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"good": 0.5, "no fun": -0.5, "bad luck": -1}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseValence = %v, want %v", got, want)
	}
	for _, bad := range []string{"word\n", "word\tx\n", "word\t5\n"} {
		if _, err := parseValence(strings.NewReader(bad), 4); err == nil {
			t.Errorf("parseValence(%q) succeeded, want an error", bad)
		}
	}
}

func TestGuessKind(t *testing.T) {
	for word, want := range map[string]lexicon.Kind{
		"bitterly": lexicon.KindAdverb, "friendly": lexicon.KindAdjective, "rally": lexicon.KindNoun,
		"hopeless": lexicon.KindAdjective, "betrayal": lexicon.KindAdjective, "treachery": lexicon.KindNoun,
		"disappointment": lexicon.KindNoun, "angry": lexicon.KindAdjective, "tragedy": lexicon.KindNoun,
		"war": lexicon.KindNoun, "no fun": lexicon.KindPhrase, "hatred": lexicon.KindNoun,
	} {
		if got := guessKind(word); got != want {
			t.Errorf("guessKind(%q) = %v, want %v", word, got, want)
		}
	}
}
