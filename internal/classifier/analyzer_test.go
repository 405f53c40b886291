package classifier

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/sharedtest"
)

// TestAnalyzeKeepsFeatures checks that analyzing only the sentences with a
// mention or a span changes no feature: every mention's and every span's
// features are those of a document tokenized and matched whole, with each
// feature's cue named by its token span (the two documents number their
// cues differently).
func TestAnalyzeKeepsFeatures(t *testing.T) {
	c := newTestClassifier(t)
	an := c.an
	type feature struct {
		Index       uint32
		Value       float32
		Token       int32
		CueFirst    int
		CueEnd      int
		CuePolarity float32
	}
	named := func(fs []features.Feature, cues []features.CueMatch) []feature {
		out := make([]feature, len(fs))
		for i, f := range fs {
			out[i] = feature{Index: f.Index, Value: f.Value, Token: f.Token, CueFirst: -1, CueEnd: -1}
			if f.Cue >= 0 {
				cm := cues[f.Cue]
				out[i].CueFirst, out[i].CueEnd, out[i].CuePolarity = cm.First, cm.End, cm.Polarity
			}
		}
		return out
	}
	checked, skipped := 0, 0
	for n, text := range sharedtest.News(t) {
		// A span in a sentence of its own now and then, where no mention
		// may be: its sentence must be looked up too.
		var spans []Span
		if n%3 == 0 && len(text) > 40 {
			spans = []Span{{len(text) / 2, len(text)/2 + 1}}
		}
		w := new(workspace)
		if err := an.analyze(w, text, entities.Options{Builtin: true}, spans, false); err != nil {
			t.Fatal(err)
		}
		full := new(workspace)
		an.tok.TokenizeInto(&full.doc, text)
		full.cues = an.cues.Match(nil, &full.doc, &full.scratch)
		full.ctx.Reset(&full.doc, full.cues)
		targets := w.targets
		for _, s := range spans {
			targets, _ = withSpan(nil, targets, an.tokenRange(&w.doc, s.Start, s.End, entities.TypeUnspecified))
		}
		for m := range targets {
			got := named(an.ext.Extract(nil, &w.ctx, targets, m), w.cues)
			want := named(an.ext.Extract(nil, &full.ctx, targets, m), full.cues)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("%.60q target %d: features differ (-whole +analyzed):\n%s", text, m, diff)
			}
			checked++
		}
		for si := range w.doc.Sentences {
			if !w.wanted[si] {
				skipped++
			}
		}
	}
	if checked == 0 || skipped == 0 {
		t.Fatalf("%d targets checked, %d sentences left alone: the test shows nothing", checked, skipped)
	}
}
