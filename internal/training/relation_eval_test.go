package training

import (
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/classifier/classifiertest"
	"github.com/stance/classifierd/internal/dataset"
)

// TestEvaluateRelationsByTarget: with the target span alone, the holder
// counts only where the service finds it; with every actor as a span it
// is given.
func TestEvaluateRelationsByTarget(t *testing.T) {
	c := classifiertest.Embedded(t)
	pair := func(text, holder, target string) dataset.Example {
		h, tg := strings.Index(text, holder), strings.Index(text, target)
		return dataset.Example{ID: target, Text: text, Targets: []dataset.Target{
			{Start: tg, End: tg + len(target), Entity: target, Holder: holder, HolderStart: h, HolderEnd: h + len(holder)},
			{Start: h, End: h + len(holder), Entity: holder, Holder: target, HolderStart: tg, HolderEnd: tg + len(target)},
		}, Labels: []string{"hostile", "none"}}
	}
	// A state is found, and so is a name where a holder stands ("Fenwick
	// Rovers accused"); a party named by common words is not.
	found := pair("Russia attacked Ukraine on Tuesday.", "Russia", "Ukraine")
	name := pair("Fenwick Rovers accused Ukraine of cheating.", "Fenwick Rovers", "Ukraine")
	unknown := pair("The visiting side accused Ukraine of cheating.", "visiting side", "Ukraine")
	for _, tc := range []struct {
		ex         dataset.Example
		all, alone int // right holder and label with every span, with the target's alone
	}{
		{found, 1, 1},
		{name, 1, 1},
		{unknown, 1, 0},
	} {
		all, err := EvaluateRelations(c, []dataset.Example{tc.ex}, false)
		if err != nil {
			t.Fatal(err)
		}
		alone, err := EvaluateRelationsByTarget(c, []dataset.Example{tc.ex})
		if err != nil {
			t.Fatal(err)
		}
		if all.Gold != 1 || alone.Gold != 1 || all.Right != tc.all || alone.Right != tc.alone {
			t.Errorf("%q: every span: %d of %d right, want %d; target alone: %d of %d, want %d",
				tc.ex.Text, all.Right, all.Gold, tc.all, alone.Right, alone.Gold, tc.alone)
		}
	}
	// A relation returned toward a target whose pairs are all labelled
	// none counts against precision, as with every span sent.
	none := pair("Russia attacked Ukraine on Tuesday.", "Russia", "Ukraine")
	none.Labels = []string{"none", "none"}
	alone, err := EvaluateRelationsByTarget(c, []dataset.Example{none})
	if err != nil {
		t.Fatal(err)
	}
	if alone.Gold != 0 || alone.Returned != 1 || alone.Correct != 0 {
		t.Errorf("%q labelled none: %d gold, %d returned, %d correct; want 0, 1, 0", none.Text, alone.Gold, alone.Returned, alone.Correct)
	}
}
