package evaluation

import (
	"testing"

	"github.com/stance/classifierd/internal/model"
)

// TestRelationMetrics: a gold relation is found through its holder's
// name as well as its span, a wrong label is found but not right, and a
// returned relation no gold backs lowers precision; "none" pairs are not
// gold relations.
func TestRelationMetrics(t *testing.T) {
	gold := []RelationPair{
		{HolderStart: 0, HolderEnd: 6, TargetStart: 20, TargetEnd: 27, HolderName: "Russia", TargetName: "Ukraine", Label: model.Hostile},
		{HolderStart: 30, HolderEnd: 35, TargetStart: 40, TargetEnd: 45, HolderName: "Chad", TargetName: "Niger", Label: model.Cooperative},
		{HolderStart: 20, HolderEnd: 27, TargetStart: 0, TargetEnd: 6, Label: model.Neutral},
	}
	got := []RelationPair{
		// "Moscow" at 50-56 is another mention of the holder.
		{HolderStart: 50, HolderEnd: 56, TargetStart: 20, TargetEnd: 27, HolderName: "Russia", TargetName: "Ukraine", Label: model.Hostile},
		{HolderStart: 30, HolderEnd: 35, TargetStart: 40, TargetEnd: 45, HolderName: "Chad", TargetName: "Niger", Label: model.Hostile},
		{HolderStart: 20, HolderEnd: 27, TargetStart: 0, TargetEnd: 6, HolderName: "Ukraine", TargetName: "Russia", Label: model.Hostile},
	}
	var m RelationMetrics
	m.Add(gold, got)
	if m.Gold != 2 || m.Found != 2 || m.Right != 1 || m.Returned != 3 || m.Correct != 1 {
		t.Errorf("metrics %+v, want gold 2, found 2, right 1, returned 3, correct 1", m)
	}
	if m.Recall() != 0.5 || m.Precision() != 1.0/3 {
		t.Errorf("recall %v precision %v", m.Recall(), m.Precision())
	}
}
