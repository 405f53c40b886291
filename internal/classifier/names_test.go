package classifier

import (
	"testing"

	"github.com/stance/classifierd/internal/features"
)

// TestMayBeActorNoun: the scan's cheap filter lets every actor noun
// through.
func TestMayBeActorNoun(t *testing.T) {
	for w := range actorNouns {
		var d features.Document
		d.Text = "the " + w
		d.Tokens = features.SplitWords(nil, d.Text)
		if !mayBeActorNoun(&d, 1) {
			t.Errorf("mayBeActorNoun(%q) = false", w)
		}
	}
	for _, text := range []string{"the cat", "the bridges", "the Court", "the"} {
		var d features.Document
		d.Text = text
		d.Tokens = features.SplitWords(nil, d.Text)
		if mayBeActorNoun(&d, len(d.Tokens)-1) {
			t.Errorf("mayBeActorNoun(%q) = true", text)
		}
	}
}
