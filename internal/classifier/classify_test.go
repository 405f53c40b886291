package classifier

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/model"
)

// ClassifyInto over a result left by other documents gives what Classify
// gives: nothing of the earlier result shows through, evidence included.
func TestClassifyIntoReusesResult(t *testing.T) {
	c := newTestClassifier(t)
	long := strings.Repeat("NATO accused Iran of destabilizing the region while Russia and Belarus deepened ties. ", 30)
	reqs := []Request{
		{Text: long, Builtin: true, MaxEvidence: 20},
		{Text: "Iran and Russia signed a cooperation pact.", Builtin: true, MaxEvidence: 5},
		{Text: "Iran and Russia signed a cooperation pact.", Builtin: true},
		{Text: "Acme Corp praised Iran.", Builtin: true, MaxEvidence: 3,
			Targets: []entities.Target{{Name: "Acme Corp"}}, Spans: []Span{{0, 4}, {18, 22}}},
		{Text: "Nothing here.", Builtin: true, MaxEvidence: 5},
		{Text: long, Builtin: false, MaxEvidence: 5, Spans: []Span{{0, 4}}},
	}
	var res Result
	for round := range 2 {
		for i, req := range reqs {
			want, err := c.Classify(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.ClassifyInto(context.Background(), req, &res); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, res, cmpopts.EquateEmpty(), cmpopts.IgnoreUnexported(Result{})); diff != "" {
				t.Errorf("round %d request %d: ClassifyInto differs from Classify (-want +got):\n%s", round, i, diff)
			}
		}
	}
}

// newTestClassifier opens the default classifier with a new tokenizer.
func newTestClassifier(t testing.TB) *Classifier {
	t.Helper()
	return openTestClassifier(t, Sources{})
}

// openTestClassifier opens the classifier of src with a new tokenizer.
func openTestClassifier(t testing.TB, src Sources) *Classifier {
	t.Helper()
	tok, err := features.NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	c, err := Open(src, tok)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSpansOverWhiteSpace: a span over a text of white space alone is a
// field error, not a crash; one in white space beside words is read.
func TestSpansOverWhiteSpace(t *testing.T) {
	c := newTestClassifier(t)
	_, err := c.Classify(context.Background(), Request{Text: " \n\t", Spans: []Span{{0, 1}, {1, 2}}, Builtin: true})
	var fe FieldErrors
	if !errors.As(err, &fe) || len(fe) != 2 || fe[0].Field != "spans[0]" {
		t.Errorf("white-space text: %v, want a field error for each span", err)
	}
	if err := c.ScoreSpans(" ", []Span{{0, 1}}, func(int, [model.NumLabels]float32) {}); !errors.As(err, &fe) {
		t.Errorf("ScoreSpans on white space: %v, want a field error", err)
	}
	res, err := c.Classify(context.Background(), Request{Text: "Iran said it.  ", Spans: []Span{{13, 15}}, Builtin: true})
	if err != nil || len(res.Targeted) != 1 {
		t.Errorf("a span in white space after words: %v, %d answers", err, len(res.Targeted))
	}
}

// A target sent without a type that the service can tell is a person is
// answered as one the caller typed: found by its surname, linked by its
// pronouns and read by the document stage as a person.
func TestUntypedPersonTargetAnsweredAsTyped(t *testing.T) {
	c := newTestClassifier(t)
	text := "Guy Seemann, a pollster, won praise for his survey. Seemann said neighbours answer one question. He says the answers surprised him."
	answer := func(typ entities.Type) Result {
		res, err := c.Classify(context.Background(), Request{Text: text, Builtin: true,
			Targets: []entities.Target{{ID: "g", Name: "Guy Seemann", Type: typ}}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	untyped, typed := answer(entities.TypeUnspecified), answer(entities.TypePerson)
	if len(untyped.Entities) == 0 || untyped.Entities[0].Entity.Type != entities.TypePerson {
		t.Fatalf("entities %+v, want the target typed a person", untyped.Entities)
	}
	if diff := cmp.Diff(typed, untyped, cmpopts.EquateEmpty(), cmpopts.IgnoreUnexported(Result{})); diff != "" {
		t.Errorf("untyped answer differs from the typed one (-typed +untyped):\n%s", diff)
	}
	n := 0
	for _, m := range untyped.Mentions {
		if m.Entity.ID == "g" {
			n++
		}
	}
	if n < 2 {
		t.Errorf("%d mentions of the target, want the surname's too", n)
	}
}
