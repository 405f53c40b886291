package embedded_test

import (
	"bytes"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/classifier/classifiertest"
	"github.com/stance/classifierd/internal/dataset"
	"github.com/stance/classifierd/internal/model"
	"github.com/stance/classifierd/internal/model/embedded"
	"github.com/stance/classifierd/internal/sharedtest"
	"github.com/stance/classifierd/internal/training"
)

// TestRebuild retrains every stage as `go run ./cmd/stancetrain` does and
// checks that the result is the embedded bundle byte for byte: the
// committed models, and the cross-validated scores they record, are
// reproducible from the repository and the shared data. It takes a minute
// or two.
func TestRebuild(t *testing.T) {
	shared := sharedtest.Dir(t)
	var log bytes.Buffer
	b, err := training.TrainBundle("bundle", shared, sharedtest.RepoRoot(t), &log)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), embedded.File()) {
		emb, _ := embedded.Model()
		t.Errorf("retrained bundle %s (%d bytes) differs from the embedded %s (%d bytes); run `go run ./cmd/stancetrain`\n%s",
			b.Version(), buf.Len(), emb.Version(), len(embedded.File()), log.String())
	}
}

// Quality floors of the embedded bundle, about 0.01 below what it
// measured when it was built: the mention model's pooled out-of-fold
// macro-F1 ("cv/..."), the relation model's on the held-out probe
// sentences, the document model's cross-validated macro-F1.
var floors = map[string]float64{
	"cv/newsmtsc":               0.67,
	"cv/newsmtsc/single":        0.67,
	"cv/newsmtsc/multi":         0.65,
	"cv/geo":                    0.75,
	"relation:team/probe_a":     0.62,
	"relation:team/probe_b":     0.55,
	"document:cv/all":           0.50,
	"document:cv/team/geo_docs": 0.60,
	// 0.424 before the document threshold went to 0.375 for the seed
	// articles (0.405 now, inside its interval [0.357, 0.456]).
	"document:cv/persent/dev":     0.395,
	"document:cv/team/geo_docs_c": 0.65,
	"document:cv/team/geo_docs_d": 0.68,
}

// TestQualityFloor checks the scores the embedded bundle records against
// the floors, and re-scores the relation probes, which are cheap, to check
// that what the metadata records is what the models score.
func TestQualityFloor(t *testing.T) {
	sharedtest.Dir(t)
	c := classifiertest.Embedded(t)
	recorded := make(map[string]model.Evaluation)
	for _, e := range c.Model().Metadata().Evaluations {
		recorded[e.Dataset] = e
	}
	for name, floor := range floors {
		e, ok := recorded[name]
		switch {
		case !ok:
			t.Errorf("the bundle records no score on %s", name)
		case e.MacroF1 < floor:
			t.Errorf("%s: macro-F1 %.4f below the floor %.4f", name, e.MacroF1, floor)
		case strings.HasPrefix(name, "cv/") && !(e.MacroF1Low <= e.MacroF1 && e.MacroF1 <= e.MacroF1High):
			t.Errorf("%s: macro-F1 %.4f outside its interval [%.4f, %.4f]", name, e.MacroF1, e.MacroF1Low, e.MacroF1High)
		}
	}
	for _, probe := range []string{"probe_a", "probe_b"} {
		exs, err := dataset.ReadFile(filepath.Join(sharedtest.RepoRoot(t), "data", "relations", probe+".jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		met, err := training.EvaluateRelations(c, exs, false)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %s", probe, met)
		if rec := recorded["relation:team/"+probe]; math.Abs(rec.Accuracy-met.Recall()) > 1e-6 {
			t.Errorf("%s: metadata records recall %.6f, re-evaluation gives %.6f", probe, rec.Accuracy, met.Recall())
		}
	}
}
