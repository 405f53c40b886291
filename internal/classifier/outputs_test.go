package classifier

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/stance/classifierd/internal/dataset"
	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/sharedtest"
)

// TestDumpOutputs is a tool for changes that must not change results
// (speed work): with STANCE_DUMP=FILE it writes every token, sentence, cue
// and Result, floats printed so that they round-trip exactly, for the news
// corpus and the NewsMTSC dev sets (with their target spans as explicit
// spans and their target names as caller targets), with 0, 5 and 20
// evidence items. Run it before and after, then cmp the two files:
//
//	STANCE_DUMP=/tmp/before go test -run TestDumpOutputs ./internal/classifier/
func TestDumpOutputs(t *testing.T) {
	path := os.Getenv("STANCE_DUMP")
	if path == "" {
		t.Skip("set STANCE_DUMP=FILE to write the dump")
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := bufio.NewWriter(f)
	defer out.Flush()

	c := newTestClassifier(t)
	ctx := context.Background()
	dump := func(req Request) {
		w := c.an.get()
		if err := c.an.analyze(w, req.Text, entities.Options{Builtin: req.Builtin, Targets: req.Targets}, req.Spans); err != nil {
			t.Fatal(err)
		}
		// analyze matches cues only in the sentences with a mention; the
		// dump lists all of the document's.
		cues := c.an.cues.Match(nil, &w.doc, new(features.Scratch))
		fmt.Fprintf(out, "tokens %v\nsentences %v\ncues %+v\nmentions %+v\n", w.doc.Tokens, w.doc.Sentences, cues, w.mentions)
		for i := range w.mentions {
			w.feats = c.an.ext.Extract(w.feats[:0], &w.ctx, w.targets, i)
			// A feature names its cue by its index in the cues that
			// analyze matched, which are not the dump's: the dump gives
			// the cue's first token instead (-1 for none).
			fmt.Fprintf(out, "features %d [", i)
			for k, f := range w.feats {
				cue := -1
				if f.Cue >= 0 {
					cue = w.cues[f.Cue].First
				}
				if k > 0 {
					fmt.Fprint(out, " ")
				}
				fmt.Fprintf(out, "{%d %v %d %d}", f.Index, f.Value, cue, f.Token)
			}
			fmt.Fprintln(out, "]")
		}
		c.an.put(w)
		for _, n := range []int{0, 5, 20} {
			req.MaxEvidence = n
			res, err := c.Classify(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(out, "result %d mentions %+v\nentities %+v\ntargeted %+v\n", n, res.Mentions, res.Entities, res.Targeted)
		}
	}
	for _, d := range sharedtest.News(t) {
		dump(Request{Text: d, Builtin: true})
	}
	for _, name := range []string{"dev_mt.stance.jsonl", "dev_rw.stance.jsonl"} {
		exs, err := dataset.ReadFile(sharedtest.Path(t, "data", "newsmtsc", name))
		if err != nil {
			t.Fatal(err)
		}
		for _, ex := range exs {
			req := Request{Text: ex.Text, Builtin: true}
			for _, tg := range ex.Targets {
				req.Spans = append(req.Spans, Span{tg.Start, tg.End})
				req.Targets = append(req.Targets, entities.Target{Name: ex.Text[tg.Start:tg.End]})
			}
			dump(req)
		}
	}
}
