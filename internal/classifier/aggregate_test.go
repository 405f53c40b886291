package classifier

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/document"
	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/features"
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

// mentionsAndInputs classifies text with the built-in gazetteer and
// returns its mentions and its entities' document inputs, by entity name.
func mentionsAndInputs(t *testing.T, c *Classifier, text string) (map[string][]Mention, map[string]document.Input) {
	t.Helper()
	req := Request{Text: text, Builtin: true}
	res, err := c.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	mentions := map[string][]Mention{}
	for _, m := range res.Mentions {
		mentions[m.Entity.Name] = append(mentions[m.Entity.Name], m)
	}
	inputs := map[string]document.Input{}
	err = c.DocumentInputs(context.Background(), req, func(e EntityStance, in *document.Input) {
		inputs[e.Entity.Name] = *in
	})
	if err != nil {
		t.Fatal(err)
	}
	return mentions, inputs
}

// TestDocumentInputsMutual: a mention that only names an entity as one
// party of a pair ("the Ukraine-Russia crisis") does not set its largest
// mention probabilities, and weighs mutualWeight in the lead's mean,
// unless the pair is all there is of it.
func TestDocumentInputsMutual(t *testing.T) {
	c := newTestClassifier(t)
	mentions, inputs := mentionsAndInputs(t, c, "The Ukraine-Russia crisis escalated on Monday. Russia signed a trade deal with Kazakhstan.\nLater, Ukraine thanked its partners.")
	if len(mentions["Russia"]) != 2 || len(mentions["Ukraine"]) != 2 {
		t.Fatalf("mentions: %+v", mentions)
	}
	pair, alone := mentions["Russia"][0].Probs, mentions["Russia"][1].Probs
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
	_, inputs = mentionsAndInputs(t, c, "The Ukraine-Russia crisis escalated on Monday.")
	for name, in := range inputs {
		if in.Max == ([model.NumLabels]float32{}) {
			t.Errorf("%s: Max is zero where every mention is one party of a pair", name)
		}
	}
}

// TestDocumentInputsHeldHostile: a mention whose stance another entity
// holds ("NATO threatened Russia") gives its hostility to HeldHostile,
// split by how hostile the text is toward the holder.
func TestDocumentInputsHeldHostile(t *testing.T) {
	c := newTestClassifier(t)
	mentions, inputs := mentionsAndInputs(t, c, "NATO threatened Russia on Monday.")
	if len(mentions["NATO"]) != 1 || len(mentions["Russia"]) != 1 {
		t.Fatalf("mentions: %+v", mentions)
	}
	nato, russia := mentions["NATO"][0], mentions["Russia"][0]
	if russia.Holder.ID != nato.Entity.ID {
		t.Fatalf("Russia's holder is %q, want NATO (%q)", russia.Holder.ID, nato.Entity.ID)
	}
	in := inputs["Russia"]
	blame, p := nato.Probs[model.Hostile], russia.Probs[model.Hostile]
	if want := [2]float32{blame * p, (1 - blame) * p}; math.Abs(float64(in.HeldHostile[0]-want[0])) > 1e-6 || math.Abs(float64(in.HeldHostile[1]-want[1])) > 1e-6 {
		t.Errorf("Russia's HeldHostile = %v, want %v", in.HeldHostile, want)
	}
	// The hostility that NATO, acting first, holds toward Russia counts
	// in Russia's largest hostility and in its means only as far as the
	// text does not blame NATO: a victim's.
	want := (1 - blame) * p
	for name, got := range map[string]float32{"Max": in.Max[model.Hostile], "Mean": in.Mean[model.Hostile], "Weighted": in.Weighted[model.Hostile]} {
		if math.Abs(float64(got-want)) > 1e-6 {
			t.Errorf("Russia's %s hostile = %v, want %v (its mention's %v less NATO's blame %v)", name, got, want, p, blame)
		}
	}
	// The lead's mean keeps it.
	if math.Abs(float64(in.Lead[model.Hostile]-p)) > 1e-6 {
		t.Errorf("Russia's Lead hostile = %v, want its mention's %v", in.Lead[model.Hostile], p)
	}
}

// TestActorFirst: a relation reads actor first where its holder stands
// before its target or is a passive's agent.
func TestActorFirst(t *testing.T) {
	tok, err := features.NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		text, holder, target string
		want                 bool
	}{
		{"NATO threatened Russia.", "NATO", "Russia", true},
		{"Russia was threatened by NATO.", "NATO", "Russia", true},
		{"Russia was threatened by the NATO alliance.", "NATO", "Russia", true},
		{"Russia and NATO met.", "NATO", "Russia", false},
	} {
		d := tok.Tokenize(tc.text)
		h, tg := strings.Index(tc.text, tc.holder), strings.Index(tc.text, tc.target)
		r := Relation{Holder: Party{Span: Span{h, h + len(tc.holder)}}, Target: Party{Span: Span{tg, tg + len(tc.target)}}}
		if got := actorFirst(d, &r); got != tc.want {
			t.Errorf("%q: actorFirst(%s -> %s) = %v, want %v", tc.text, tc.holder, tc.target, got, tc.want)
		}
	}
}

// TestDocumentInputsSpeaksNotActs: the relations an entity holds count as
// its speaking only where they are words, not material acts: an
// aggressor is no speaker.
func TestDocumentInputsSpeaksNotActs(t *testing.T) {
	c := newTestClassifier(t)
	for _, tc := range []struct {
		text, entity string
		speaks       bool
	}{
		{"Russia bombed Ukraine on Monday.", "Russia", false},
		{"Russia accused Ukraine on Monday.", "Russia", true},
	} {
		res, err := c.Classify(context.Background(), Request{Text: tc.text, Builtin: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Relations) == 0 {
			t.Fatalf("%q: no relation", tc.text)
		}
		_, inputs := mentionsAndInputs(t, c, tc.text)
		if got := inputs[tc.entity].Speaks > 0; got != tc.speaks {
			t.Errorf("%q: %s speaks %v (relations %+v), want speaking %v", tc.text, tc.entity, inputs[tc.entity].Speaks, res.Relations, tc.speaks)
		}
	}
}

// TestDocumentInputsContext: an entity's Context is its mentions'
// probabilities without the prior of their own words, which is what the
// mention model gives the same features less the mention's pieces.
func TestDocumentInputsContext(t *testing.T) {
	c := newTestClassifier(t)
	const text = "Donald Trump praised the new trade agreement on Monday."
	mentions, inputs := mentionsAndInputs(t, c, text)
	if len(mentions["Donald Trump"]) != 1 {
		t.Fatalf("mentions: %+v", mentions)
	}
	w := c.an.get()
	defer c.an.put(w)
	if err := c.an.analyze(w, text, entities.Options{Builtin: true}, nil, false); err != nil {
		t.Fatal(err)
	}
	fs := c.an.ext.Extract(nil, &w.ctx, w.targets, 0)
	k := features.PriorStart(fs)
	if k == len(fs) {
		t.Fatal("no prior features")
	}
	want := model.Softmax(c.model.Logits(fs[:k]), c.model.Temperature())
	got := inputs["Donald Trump"].Context
	for l := range want {
		if math.Abs(float64(got[l]-want[l])) > 1e-4 {
			t.Fatalf("Context = %v, want %v (the mention model without the prior)", got, want)
		}
	}
	if p := mentions["Donald Trump"][0].Probs; p == got {
		t.Errorf("Context equals the mention's probabilities %v: the prior was not taken out", p)
	}
}

// TestPronounsReferToTheSubject: a pronoun refers to the person the text
// has named most among those named in the two sentences before it, not to
// whoever was named last: in a profile, "She said" after "She later met
// the governor, John Smith" is the profile's subject.
func TestPronounsReferToTheSubject(t *testing.T) {
	c := newTestClassifier(t)
	text := "Maria Lopez was elected mayor in 2019. Lopez praised the city council. " +
		"She later met the governor, John Smith. She said the talks had gone well."
	corefs := map[string]int{}
	err := c.DocumentInputs(context.Background(), Request{Text: text, Builtin: true}, func(e EntityStance, in *document.Input) {
		corefs[e.Entity.Name] = in.Corefs
	})
	if err != nil {
		t.Fatal(err)
	}
	if corefs["Maria Lopez"] != 1 || corefs["John Smith"] != 0 {
		t.Errorf("pronoun links %v, want one to Maria Lopez and none to John Smith", corefs)
	}
}
