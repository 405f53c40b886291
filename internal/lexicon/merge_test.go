package lexicon

import (
	"reflect"
	"testing"
)

func TestMerge(t *testing.T) {
	base := mustNew(t,
		Cue{"accused", -0.2, KindVerb, "cameo:112"},
		Cue{"partnership", 0.6, KindNoun, "team"},
		Cue{"threat", -0.7, KindNoun, "team"},
		Cue{"very", 1.3, KindIntensifier, "team"},
	)
	over := mustNew(t,
		Cue{"accused", -0.6, KindVerb, "user"},                      // replaces
		Cue{"partnership", 0, KindNoun, "user"},                     // removes
		Cue{"missing", 0, KindNoun, "user"},                         // removes nothing, left out
		Cue{"special military operation", -0.6, KindPhrase, "user"}, // adds
		Cue{"very", 0.5, KindHedge, "user"},                         // replaces, kind and all
	)
	got := base.Merge(over)
	want := []Cue{
		{"accused", -0.6, KindVerb, "user"},
		{"special military operation", -0.6, KindPhrase, "user"},
		{"threat", -0.7, KindNoun, "team"},
		{"very", 0.5, KindHedge, "user"},
	}
	if !reflect.DeepEqual(got.Cues(), want) {
		t.Errorf("Merge =\n%v\nwant\n%v", got.Cues(), want)
	}
	if got.MaxWords() != 3 {
		t.Errorf("MaxWords() = %d, want 3", got.MaxWords())
	}
	// Neither input changes.
	if c, _ := base.Lookup("accused"); c.Weight != -0.2 || base.Len() != 4 {
		t.Errorf("Merge changed its receiver: %v, Len %d", c, base.Len())
	}
	if over.Len() != 5 {
		t.Errorf("Merge changed its argument: Len %d", over.Len())
	}
	if got.Version() == base.Version() {
		t.Error("merged lexicon kept the base version")
	}
}

func TestMergeEdgeCases(t *testing.T) {
	base := mustNew(t, Cue{"threat", -0.7, KindNoun, "team"})
	if got := base.Merge(nil); got != base {
		t.Error("Merge(nil) should return the receiver")
	}
	if got := base.Merge(mustNew(t)); got != base {
		t.Error("Merge(empty) should return the receiver")
	}
	var empty *Lexicon
	got := empty.Merge(base)
	if !reflect.DeepEqual(got.Cues(), base.Cues()) {
		t.Errorf("nil.Merge(base) = %v, want base's cues", got.Cues())
	}
	onlyRemovals := mustNew(t, Cue{"threat", 0, KindNoun, "user"})
	if got := base.Merge(onlyRemovals); got.Len() != 0 || got.MaxWords() != 0 {
		t.Errorf("removing every cue left %v", got.Cues())
	}
}
