package training

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/document"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/model"
)

// TestCompareDocs: saved predictions read back as written; a run
// compared with itself moves nothing; a run that gets one more entity
// right gains accuracy on its source and on all, and none elsewhere; and
// runs over different entities do not compare.
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
	c := append([]DocPrediction(nil), a...)
	c[1].Doc = "other"
	if _, err := CompareDocs(a, c, 200); err == nil {
		t.Error("runs over different entities compared")
	}
	if _, err := ReadDocPredictions([]byte("relation-cv 5\n")); err == nil {
		t.Error("another file read as document predictions")
	}
}

// TestTrainDocumentThreshold: a configured decision threshold is the
// model's whether or not the document model is cross-validated, and
// without one the model takes cross-validation's best.
func TestTrainDocumentThreshold(t *testing.T) {
	tok, err := features.NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	c, err := classifier.Open(classifier.Sources{}, tok)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "docs.jsonl")
	var lines []byte
	for i, text := range []string{
		"Iran praised Russia for its support and signed a trade deal with Moscow.",
		"Israel bombed Syria, and Damascus accused Israel of aggression.",
		"Kenya hosted talks on trade with Ethiopia in Nairobi.",
		"Ukraine condemned Russia's attack on its ports.",
		"Japan and India held joint naval exercises off Chennai.",
		"Mali expelled the French ambassador after a row with Paris.",
	} {
		b, _ := json.Marshal(Doc{ID: fmt.Sprint("d", i), Text: text, Entities: []DocEntity{
			{Entity: strings.Fields(text)[0], Label: []string{"cooperative", "hostile", "neutral"}[i%3]},
		}})
		lines = append(append(lines, b...), '\n')
	}
	if err := os.WriteFile(path, lines, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		folds     int
		threshold float32
	}{{0, 0.375}, {2, 0.375}, {2, 0}} {
		cfg := DocumentConfig{
			Sources:   []Source{{Name: "test", Path: path, Domain: "geo"}},
			FitConfig: FitConfig{Bits: document.Bits, Epochs: 2, L2: 1e-3, LearningRate: 0.05, ClassBalance: 1, Runs: 1, Seed: 1},
			Folds:     tc.folds,
			Threshold: tc.threshold,
		}
		m, scores, err := TrainDocument(cfg, c, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		want := tc.threshold
		if want == 0 {
			want = scores[0].Threshold
		}
		if got := m.DocThreshold(); got != want {
			t.Errorf("folds %d, threshold %v: the model's threshold is %v, want %v", tc.folds, tc.threshold, got, want)
		}
	}
}
