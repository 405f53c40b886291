package training

import (
	"bytes"
	"testing"

	"github.com/stance/classifierd/internal/model"
)

// TestCompareDocs: saved predictions read back as written; a run
// compared with itself moves nothing; a run that gets one more entity
// right gains accuracy on its source and on all, and none elsewhere; an
// entity one run did not find counts as neutral there; and runs that
// disagree on a gold label do not compare.
func TestCompareDocs(t *testing.T) {
	var a []DocPrediction
	for i, src := range []string{"persent/dev", "persent/dev", "persent/dev", "persent/dev", "team/geo", "team/geo"} {
		gold := model.Label(i % model.NumLabels)
		a = append(a, DocPrediction{Source: src, Doc: string(rune('a' + i)), Entity: "doc:X", Gold: gold, Pred: model.Neutral})
	}
	var buf bytes.Buffer
	if err := SaveDocPredictions(&buf, a); err != nil {
		t.Fatal(err)
	}
	back, err := ReadDocPredictions(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(a) {
		t.Fatalf("read %d predictions, wrote %d", len(back), len(a))
	}
	for i := range a {
		if back[i] != a[i] {
			t.Fatalf("prediction %d read as %+v, written %+v", i, back[i], a[i])
		}
	}
	same, err := CompareDocs(a, back, 200)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range same {
		if d.Accuracy != 0 || d.MacroF1 != 0 || d.AccuracyLo != 0 || d.AccuracyHi != 0 {
			t.Errorf("%s against itself: %+v", d.Source, d)
		}
	}
	b := append([]DocPrediction(nil), a...)
	b[0].Pred = b[0].Gold // hostile, now right
	ds, err := CompareDocs(a, b, 200)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"persent/dev": 0.25, "team/geo": 0, "all": 1.0 / 6}
	if len(ds) != len(want) {
		t.Fatalf("%d deltas, want %d: %+v", len(ds), len(want), ds)
	}
	for _, d := range ds {
		if w, ok := want[d.Source]; !ok || d.Accuracy < w-1e-9 || d.Accuracy > w+1e-9 {
			t.Errorf("%s: accuracy Δ %.4f, want %.4f", d.Source, d.Accuracy, w)
		}
		if d.AccuracyLo > d.Accuracy || d.AccuracyHi < d.Accuracy {
			t.Errorf("%s: interval [%.4f, %.4f] misses the delta %.4f", d.Source, d.AccuracyLo, d.AccuracyHi, d.Accuracy)
		}
	}
	// A run that finds one entity more and one fewer: each counts as
	// neutral where it is missing, as stancectl eval scores it.
	c := append([]DocPrediction(nil), a[1:]...)
	c = append(c, DocPrediction{Source: "persent/dev", Doc: "new", Entity: "doc:X", Gold: model.Cooperative, Pred: model.Cooperative})
	ds, err = CompareDocs(a, c, 200)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Source == "persent/dev" && (d.N != 5 || d.Accuracy < 0.2-1e-9 || d.Accuracy > 0.2+1e-9) {
			t.Errorf("one entity more found and right, one fewer: %+v, want 5 entities and accuracy Δ 0.2", d)
		}
	}
	c = append([]DocPrediction(nil), a...)
	c[1].Gold = model.Hostile
	if _, err := CompareDocs(a, c, 200); err == nil {
		t.Error("runs with different gold labels compared")
	}
	if _, err := ReadDocPredictions([]byte("relation-cv 5\n")); err == nil {
		t.Error("another file read as document predictions")
	}
}
