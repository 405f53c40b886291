package classifier

import (
	"context"
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/model"
)

// relationTexts returns the relations of a result as "holder -> target
// label" lines, by the text of their spans.
func relationTexts(text string, res Result) []string {
	var out []string
	for _, r := range res.Relations {
		out = append(out, text[r.Holder.Span.Start:r.Holder.Span.End]+" -> "+text[r.Target.Span.Start:r.Target.Span.End]+" "+r.Label.String())
	}
	return out
}

// TestRelations checks the embedded models on sentences of the kinds the
// relation stage is for: the agent of a verb, a passive turned around,
// joint action both ways, a speaker, a refusal, generic actors without a
// named one, and sentences that assert no relation ("did not condemn").
func TestRelations(t *testing.T) {
	c := newTestClassifier(t)
	for _, tc := range []struct {
		text    string
		want    []string // each must be among the relations
		notWant []string // none of these may be
	}{
		{"NATO accused Iran of destabilizing the region.", []string{"NATO -> Iran hostile"}, []string{"Iran -> NATO hostile"}},
		{"Russia attacked Ukraine.", []string{"Russia -> Ukraine hostile"}, []string{"Ukraine -> Russia hostile"}},
		{"Iran and Russia signed a strategic partnership.", []string{"Iran -> Russia cooperative", "Russia -> Iran cooperative"}, nil},
		{"Syria was bombed by Israel on Tuesday.", []string{"Israel -> Syria hostile"}, []string{"Syria -> Israel hostile"}},
		{"Japan refused to cooperate with North Korea.", []string{"Japan -> North Korea hostile"}, []string{"Japan -> North Korea cooperative"}},
		{"China pledged support for Pakistan.", []string{"China -> Pakistan cooperative"}, nil},
		{"Egypt did not condemn Ethiopia.", nil, []string{"Egypt -> Ethiopia hostile"}},
		// Generic actors alone, in a text that names no state.
		{"Police fired tear gas at protesters.", []string{"Police -> protesters hostile"}, nil},
	} {
		t.Run(tc.text, func(t *testing.T) {
			res, err := c.Classify(context.Background(), Request{Text: tc.text, Builtin: true, MaxEvidence: 3})
			if err != nil {
				t.Fatal(err)
			}
			got := relationTexts(tc.text, res)
			has := func(s string) bool {
				for _, g := range got {
					if g == s {
						return true
					}
				}
				return false
			}
			for _, w := range tc.want {
				if !has(w) {
					t.Errorf("no %q among %q", w, got)
				}
			}
			for _, w := range tc.notWant {
				if has(w) {
					t.Errorf("%q among %q", w, got)
				}
			}
		})
	}
}

// TestGenericOnlySentencesInShortTexts: a sentence that names only generic
// actors is read for relations in a short text, and left unread in an
// article (wantGenericOnly), where the tone of the article's mention
// sentences is all the document stage reads.
func TestGenericOnlySentencesInShortTexts(t *testing.T) {
	c := newTestClassifier(t)
	const sentence = "Police fired tear gas at protesters."
	article := strings.Repeat("Iran and Russia signed a trade agreement in Tehran on Monday. ", 20) + sentence
	for _, tc := range []struct {
		text string
		want bool
	}{{sentence, true}, {article, false}} {
		res, err := c.Classify(context.Background(), Request{Text: tc.text, Builtin: true})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, g := range relationTexts(tc.text, res) {
			found = found || g == "Police -> protesters hostile"
		}
		if found != tc.want {
			t.Errorf("%d bytes: police -> protesters found %v, want %v", len(tc.text), found, tc.want)
		}
	}
}

// TestRelationSpanIsCallerSpan: a caller's span takes part as a party,
// and a relation toward it carries exactly that span.
func TestRelationSpanIsCallerSpan(t *testing.T) {
	c := newTestClassifier(t)
	text := "NATO accused the Islamic Republic of destabilizing the region."
	start := strings.Index(text, "the Islamic Republic")
	span := Span{start, start + len("the Islamic Republic")}
	res, err := c.Classify(context.Background(), Request{Text: text, Builtin: true, Spans: []Span{span}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Relations {
		if r.Target.Span == span && r.Label == model.Hostile && text[r.Holder.Span.Start:r.Holder.Span.End] == "NATO" {
			return
		}
	}
	t.Errorf("no hostile relation from NATO toward the span %v among %q", span, relationTexts(text, res))
}

// TestDyadsCountOfficialsForTheirState: an official's relation counts for
// the state they speak for, so that the document's dyads say what the
// state's officials said.
func TestDyadsCountOfficialsForTheirState(t *testing.T) {
	c := newTestClassifier(t)
	text := "Iranian Foreign Minister Hossein Amir-Abdollahian condemned NATO's expansion as a threat to the region."
	res, err := c.Classify(context.Background(), Request{Text: text, Builtin: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Dyads {
		if d.Holder.ID == "IRN" && d.Target.ID == "NATO" && d.Label == model.Hostile {
			return
		}
	}
	var got []string
	for _, d := range res.Dyads {
		got = append(got, d.Holder.Name+" -> "+d.Target.Name+" "+d.Label.String())
	}
	t.Errorf("no hostile Iran -> NATO dyad among %q (relations %q)", got, relationTexts(text, res))
}

// TestHolderFromSameEntityInSentence: a mention that no relation is toward
// takes the holder of a relation toward the same entity in its sentence,
// and only in its sentence.
func TestHolderFromSameEntityInSentence(t *testing.T) {
	c := newTestClassifier(t)
	text := "Iran warned NATO about its expansion, saying NATO was a threat. NATO met in Brussels."
	w := c.an.get()
	defer c.an.put(w)
	if err := c.an.analyze(w, text, entities.Options{Builtin: true}, nil, false); err != nil {
		t.Fatal(err)
	}
	var res Result
	var natos []int
	for i, m := range w.mentions {
		res.Mentions = append(res.Mentions, Mention{Span: Span{m.Start, m.End}, Entity: m.Entity})
		if m.Entity.ID == "NATO" {
			natos = append(natos, i)
		}
	}
	if len(natos) != 3 || w.mentions[0].Entity.ID != "IRN" {
		t.Fatalf("mentions %v: want Iran and three NATO", w.mentions)
	}
	first := w.mentions[natos[0]]
	res.Relations = []Relation{{
		Holder:   Party{Span: Span{w.mentions[0].Start, w.mentions[0].End}, Entity: w.mentions[0].Entity},
		Target:   Party{Span: Span{first.Start, first.End}, Entity: first.Entity},
		Label:    model.Hostile,
		Probs:    [model.NumLabels]float32{0.9, 0.05, 0.05},
		Sentence: Span{0, strings.Index(text, " NATO met")},
	}}
	c.holdersFromRelations(w, &res)
	for k, want := range []string{"IRN", "IRN", ""} {
		if got := res.Mentions[natos[k]].Holder.ID; got != want {
			t.Errorf("NATO mention %d: holder %q, want %q", k, got, want)
		}
	}
}
