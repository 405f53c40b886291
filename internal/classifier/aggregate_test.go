package classifier

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/document"
	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/model"
)

func TestMutualParty(t *testing.T) {
	// Each case marks mentions with [..]; want lists which are one party of a pair.
	tests := []struct {
		text string
		want []bool
	}{
		{"after the escalation of the [Ukraine]-[Russia] crisis", []bool{true, true}},
		{"along the [Armenia]–[Azerbaijan] border", []bool{true, true}},
		{"tensions between [Iran] and [NATO] grew", []bool{true, true}},
		{"[Iran] and [NATO] met", []bool{false, false}},
		{"the [Soviet]-led [Warsaw Pact]", []bool{false, false}},
		{"a gap between [Iran] and the [EU]", []bool{false, false}},
		{"[Russia]-[Russia] relations", []bool{false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			var text strings.Builder
			var ms []entities.Mention
			for i := 0; i < len(tt.text); i++ {
				switch tt.text[i] {
				case '[':
					ms = append(ms, entities.Mention{Start: text.Len()})
				case ']':
					m := &ms[len(ms)-1]
					m.End = text.Len()
					name := text.String()[m.Start:m.End]
					m.Entity = entities.Entity{ID: name, Name: name}
				default:
					text.WriteByte(tt.text[i])
				}
			}
			for i, want := range tt.want {
				if got := mutualParty(text.String(), ms, i); got != want {
					t.Errorf("mention %d (%s): mutualParty = %v, want %v", i, ms[i].Entity.Name, got, want)
				}
			}
		})
	}
}

// TestMutualPartyOverlap: mentions that overlap (a caller's target inside
// a built-in name) do not crash the check, and a pair still counts.
func TestMutualPartyOverlap(t *testing.T) {
	text := "talks between Iran and Iraq on the Islamic Republic of Iran"
	ms := []entities.Mention{
		{Start: 14, End: 18, Entity: entities.Entity{ID: "IRN"}},
		{Start: 23, End: 27, Entity: entities.Entity{ID: "IRQ"}},
		{Start: 35, End: 59, Entity: entities.Entity{ID: "IRN"}},
		{Start: 39, End: 59, Entity: entities.Entity{ID: "doc:IR"}},
	}
	for i := range ms {
		mutualParty(text, ms, i) // must not panic
	}
	if !mutualParty(text, ms, 1) {
		t.Error(`Iraq in "between Iran and Iraq" is not one party of a pair`)
	}
}

// TestDocumentInputsMutual: a mention that only names an entity as one
// party of a pair ("the Ukraine-Russia crisis") does not set its largest
// mention probabilities, and weighs mutualWeight in the lead's mean,
// unless the pair is all there is of it.
func TestDocumentInputsMutual(t *testing.T) {
	c := newTestClassifier(t)
	text := "The Ukraine-Russia crisis escalated on Monday. Russia signed a trade deal with Kazakhstan.\nLater, Ukraine thanked its partners."
	res, err := c.Classify(context.Background(), Request{Text: text, Builtin: true})
	if err != nil {
		t.Fatal(err)
	}
	probs := map[string][]Mention{}
	for _, m := range res.Mentions {
		probs[m.Entity.Name] = append(probs[m.Entity.Name], m)
	}
	if len(probs["Russia"]) != 2 || len(probs["Ukraine"]) != 2 {
		t.Fatalf("mentions: %+v", probs)
	}
	inputs := map[string]document.Input{}
	err = c.DocumentInputs(context.Background(), Request{Text: text, Builtin: true}, func(e EntityStance, in *document.Input) {
		inputs[e.Entity.Name] = *in
	})
	if err != nil {
		t.Fatal(err)
	}
	pair, alone := probs["Russia"][0].Probs, probs["Russia"][1].Probs
	in := inputs["Russia"]
	if in.Max != alone {
		t.Errorf("Russia's Max = %v, want its one mention outside the pair, %v (the pair's is %v)", in.Max, alone, pair)
	}
	for l := range pair {
		want := (mutualWeight*pair[l] + alone[l]) / (mutualWeight + 1)
		if math.Abs(float64(in.Lead[l]-want)) > 1e-6 {
			t.Errorf("Russia's Lead[%d] = %v, want %v", l, in.Lead[l], want)
		}
	}
	// A pair that is all there is of an entity still gives its maximum.
	text = "The Ukraine-Russia crisis escalated on Monday."
	err = c.DocumentInputs(context.Background(), Request{Text: text, Builtin: true}, func(e EntityStance, in *document.Input) {
		if in.Max == ([model.NumLabels]float32{}) {
			t.Errorf("%s: Max is zero where every mention is one party of a pair", e.Entity.Name)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDocumentInputsHeldHostile: a mention whose stance another entity
// holds ("NATO threatened Russia") gives its hostility to HeldHostile,
// split by how hostile the text is toward the holder.
func TestDocumentInputsHeldHostile(t *testing.T) {
	c := newTestClassifier(t)
	text := "NATO threatened Russia on Monday."
	res, err := c.Classify(context.Background(), Request{Text: text, Builtin: true})
	if err != nil {
		t.Fatal(err)
	}
	var nato, russia Mention
	for _, m := range res.Mentions {
		switch m.Entity.Name {
		case "NATO":
			nato = m
		case "Russia":
			russia = m
		}
	}
	if russia.Holder.ID != nato.Entity.ID || nato.Entity.ID == "" {
		t.Fatalf("Russia's holder is %q, want NATO (%q)", russia.Holder.ID, nato.Entity.ID)
	}
	var in document.Input
	err = c.DocumentInputs(context.Background(), Request{Text: text, Builtin: true}, func(e EntityStance, x *document.Input) {
		if e.Entity.Name == "Russia" {
			in = *x
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	blame, p := nato.Probs[model.Hostile], russia.Probs[model.Hostile]
	if want := [2]float32{blame * p, (1 - blame) * p}; math.Abs(float64(in.HeldHostile[0]-want[0])) > 1e-6 || math.Abs(float64(in.HeldHostile[1]-want[1])) > 1e-6 {
		t.Errorf("Russia's HeldHostile = %v, want %v", in.HeldHostile, want)
	}
}
