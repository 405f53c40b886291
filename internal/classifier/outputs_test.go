package classifier

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/dataset"
	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/sharedtest"
)

var updateOutputs = flag.Bool("update", false, "rewrite testdata/outputs.sha256 from the current outputs")

// TestDumpOutputs is a golden test of every output: it writes every
// token, sentence, cue, feature and Result (relations and dyads included),
// floats printed so that they round-trip exactly, for the news corpus and
// the NewsMTSC dev sets (with their target spans as explicit spans and
// their target names as caller targets), with 0, 5 and 20 evidence items,
// and compares the SHA-256 of it all with testdata/outputs.sha256. A change
// that must not change results (speed work) keeps it; one that should
// (a retrained model) updates it with -update. With STANCE_DUMP=FILE the
// dump itself is written too, to diff two builds:
//
//	STANCE_DUMP=/tmp/before go test -run TestDumpOutputs ./internal/classifier/
func TestDumpOutputs(t *testing.T) {
	sums := sha256.New()
	var sink io.Writer = sums
	if path := os.Getenv("STANCE_DUMP"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sink = io.MultiWriter(sums, f)
	}
	out := bufio.NewWriter(sink)

	c := newTestClassifier(t)
	ctx := context.Background()
	dump := func(req Request) {
		w := c.an.get()
		if err := c.an.analyze(w, req.Text, entities.Options{Builtin: req.Builtin, Targets: req.Targets}, req.Spans, true); err != nil {
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
			fmt.Fprintf(out, "result %d mentions %+v\nentities %+v\ntargeted %+v\nrelations %+v\ndyads %+v\n", n,
				res.Mentions, res.Entities, res.Targeted, res.Relations, res.Dyads)
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
	if err := out.Flush(); err != nil {
		t.Fatal(err)
	}
	got := hex.EncodeToString(sums.Sum(nil)) + "\n"
	golden := filepath.Join("testdata", "outputs.sha256")
	if *updateOutputs {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("the outputs changed (sha256 %s, golden %s): if that is meant (a new model), go test ./internal/classifier -run TestDumpOutputs -update; "+
			"to see what changed, STANCE_DUMP=FILE before and after and diff", strings.TrimSpace(got), strings.TrimSpace(string(want)))
	}
}
