package training

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/classifier/classifiertest"
	"github.com/stance/classifierd/internal/document"
	"github.com/stance/classifierd/internal/entities"
)

// TestTrainDocumentThreshold: a configured decision threshold is the
// model's whether or not the document model is cross-validated, and
// without one the model takes cross-validation's best.
func TestTrainDocumentThreshold(t *testing.T) {
	c := classifiertest.Embedded(t)
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

// TestServedTypes: the team's labelled entities are scored in
// cross-validation with the types the service finds them with.
func TestServedTypes(t *testing.T) {
	d := Doc{
		ID:    "t1",
		Title: "Moscow rejects alliance claims",
		Text:  "Foreign Minister Hamid Rezaei said Russia and NATO had met. The Zorblax Front said nothing.",
		Entities: []DocEntity{
			{Entity: "Russia", Aliases: []string{"Moscow"}, Label: "neutral"},
			{Entity: "NATO", Label: "hostile"},
			{Entity: "Hamid Rezaei", Label: "neutral"},
			{Entity: "Zorblax Front", Label: "neutral"},
		},
	}
	want := map[string]entities.Type{
		"doc:Russia":        entities.TypeCountry,
		"doc:NATO":          entities.TypeOrganization,
		"doc:Hamid Rezaei":  entities.TypePerson,
		"doc:Zorblax Front": entities.TypeUnspecified,
	}
	got := servedTypes(&d)
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: served type %v, want %v", id, got[id], w)
		}
	}
	if p := servedTypes(&Doc{Entity: "Jane Roe", Label: "neutral", Text: "Jane Roe won."}); p != nil {
		t.Errorf("PerSenT document: served types %v, want none (its people are trained as people)", p)
	}
}

// TestTrainDocumentEval: documents given by reference to an article file
// are read with the article's title and text and scored, not trained on,
// and their scores go into the model's metadata.
func TestTrainDocumentEval(t *testing.T) {
	c := classifiertest.Embedded(t)
	dir := t.TempDir()
	train := filepath.Join(dir, "train.jsonl")
	var lines []byte
	for i, text := range []string{
		"Iran praised Russia for its support and signed a trade deal with Moscow.",
		"Israel bombed Syria, and Damascus accused Israel of aggression.",
		"Kenya hosted talks on trade with Ethiopia in Nairobi.",
	} {
		b, _ := json.Marshal(Doc{ID: fmt.Sprint("d", i), Text: text, Entities: []DocEntity{
			{Entity: strings.Fields(text)[0], Label: []string{"cooperative", "hostile", "neutral"}[i]},
		}})
		lines = append(append(lines, b...), '\n')
	}
	arts := filepath.Join(dir, "articles")
	if err := os.Mkdir(arts, 0o755); err != nil {
		t.Fatal(err)
	}
	csv := "url,date,title,text\nhttps://example.org/1,2020-01-01,Talks in Nairobi,\"Kenya and Ethiopia held talks on trade. Kenya's president praised the deal.\"\n"
	refs := filepath.Join(dir, "refs.jsonl")
	ref := `{"id":"r1","article":"https://example.org/1","entities":[{"entity":"Kenya","label":"cooperative"},{"entity":"Ethiopia","label":"neutral"}]}` + "\n"
	for p, b := range map[string]string{train: string(lines), filepath.Join(arts, "a.csv"): csv, refs: ref} {
		if err := os.WriteFile(p, []byte(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := DocumentConfig{
		Sources:   []Source{{Name: "test", Path: train, Domain: "geo"}},
		Eval:      []Source{{Name: "refs", Path: refs, Articles: arts}},
		FitConfig: FitConfig{Bits: document.Bits, Epochs: 2, L2: 1e-3, LearningRate: 0.05, ClassBalance: 1, Runs: 1, Seed: 1},
		Threshold: 0.375,
	}
	m, _, err := TrainDocument(cfg, c, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	meta := m.Metadata()
	found := false
	for _, e := range meta.Evaluations {
		if e.Dataset == "eval/refs" {
			found = true
			if e.Targets != 2 {
				t.Errorf("eval/refs scored %d entities, want 2", e.Targets)
			}
		}
	}
	if !found {
		t.Errorf("no eval/refs evaluation in %+v", meta.Evaluations)
	}
	for _, d := range meta.TrainingData {
		if d.Name == "refs" {
			t.Error("the evaluation documents are in the training data")
		}
	}
	cfg.Eval[0].Path = train // lines without an article
	if _, _, err := TrainDocument(cfg, c, io.Discard); err == nil {
		t.Error("documents that name no known article were scored")
	}
}
