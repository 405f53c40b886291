package classifier

import (
	"context"
	"runtime"
	"runtime/pprof"
	"slices"
	"testing"
	"time"

	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/relations"
	"github.com/stance/classifierd/internal/sharedtest"
)

// The stage benchmarks each run one stage over the whole news corpus per
// iteration (seeds and Wikinews, read at run time), so MB/s compare
// directly: go test -run '^$' -bench . -benchmem ./internal/classifier/
//
// They measure the steady state of a long-running server: benchSetup
// classifies and tokenizes the corpus once first, so that the WordPiece
// cache holds the corpus's out-of-vocabulary words.
// BenchmarkStageTokenizeCold measures the cold cache. StageTokenize and
// StageMatchCues do whole documents, where Classify looks up words and
// matches cues only in the sentences with a mention (see analyze).

func benchSetup(b *testing.B) (*Classifier, []string) {
	b.Helper()
	docs := sharedtest.News(b)
	c := newTestClassifier(b)
	var doc features.Document
	var scratch features.Scratch
	for _, d := range docs {
		if _, err := c.Classify(context.Background(), Request{Text: d, Builtin: true, MaxEvidence: 5}); err != nil {
			b.Fatal(err)
		}
		// Classify looks up the words of the sentences with mentions only;
		// the stages that tokenize or match whole documents need the rest.
		c.an.tok.TokenizeInto(&doc, d)
		c.an.cues.Match(nil, &doc, &scratch)
	}
	b.SetBytes(sharedtest.Bytes(docs))
	b.ReportAllocs()
	return c, docs
}

func BenchmarkStageSplitWords(b *testing.B) {
	_, docs := benchSetup(b)
	var toks []features.Token
	for b.Loop() {
		for _, d := range docs {
			toks = features.SplitWords(toks[:0], d)
		}
	}
}

func BenchmarkStageTokenize(b *testing.B) {
	c, docs := benchSetup(b)
	var doc features.Document
	for b.Loop() {
		for _, d := range docs {
			c.an.tok.TokenizeInto(&doc, d)
		}
	}
}

// BenchmarkStageTokenizeCold tokenizes the corpus with an empty WordPiece
// cache each iteration: every distinct out-of-vocabulary word goes to the
// WordPiece model once, as for new text.
func BenchmarkStageTokenizeCold(b *testing.B) {
	docs := sharedtest.News(b)
	b.SetBytes(sharedtest.Bytes(docs))
	b.ReportAllocs()
	var doc features.Document
	for b.Loop() {
		b.StopTimer()
		tok, err := features.NewTokenizer()
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for _, d := range docs {
			tok.TokenizeInto(&doc, d)
		}
	}
}

func BenchmarkStageFindMentions(b *testing.B) {
	c, docs := benchSetup(b)
	for b.Loop() {
		for _, d := range docs {
			if _, err := c.an.gaz.Find(d, entities.Options{Builtin: true}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// prepared tokenizes the corpus once, for the stages after tokenization.
func prepared(b *testing.B, c *Classifier, docs []string) []*workspace {
	b.Helper()
	ws := make([]*workspace, len(docs))
	for i, d := range docs {
		ws[i] = new(workspace)
		if err := c.an.analyze(ws[i], d, entities.Options{Builtin: true}, nil, false); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	return ws
}

func BenchmarkStageMatchCues(b *testing.B) {
	c, docs := benchSetup(b)
	ws := prepared(b, c, docs)
	for b.Loop() {
		for _, w := range ws {
			w.cues = c.an.cues.Match(w.cues[:0], &w.doc, &w.scratch)
		}
	}
}

func BenchmarkStageExtractFeatures(b *testing.B) {
	c, docs := benchSetup(b)
	ws := prepared(b, c, docs)
	for b.Loop() {
		for _, w := range ws {
			w.ctx.Reset(&w.doc, w.cues)
			for m := range w.targets {
				w.feats = c.an.ext.Extract(w.feats[:0], &w.ctx, w.targets, m)
			}
		}
	}
}

func BenchmarkStageScore(b *testing.B) {
	c, docs := benchSetup(b)
	ws := prepared(b, c, docs)
	all := make([][][]features.Feature, len(ws))
	for i, w := range ws {
		for m := range w.targets {
			all[i] = append(all[i], c.an.ext.Extract(nil, &w.ctx, w.targets, m))
		}
	}
	b.ResetTimer()
	for b.Loop() {
		for _, doc := range all {
			for _, fs := range doc {
				c.model.Score(fs)
			}
		}
	}
}

func BenchmarkClassify(b *testing.B) {
	c, docs := benchSetup(b)
	ctx := context.Background()
	for b.Loop() {
		for _, d := range docs {
			if _, err := c.Classify(ctx, Request{Text: d, Builtin: true, MaxEvidence: 5}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkClassifyNoEvidence(b *testing.B) {
	c, docs := benchSetup(b)
	ctx := context.Background()
	for b.Loop() {
		for _, d := range docs {
			if _, err := c.Classify(ctx, Request{Text: d, Builtin: true}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkClassifyParallel(b *testing.B) {
	c, docs := benchSetup(b)
	ctx := context.Background()
	// RunParallel does not reset the timer as b.Loop does: without this
	// the first round counts the gazetteer build.
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			for _, d := range docs {
				if _, err := c.Classify(ctx, Request{Text: d, Builtin: true, MaxEvidence: 5}); err != nil {
					b.Error(err)
				}
			}
		}
	})
}

// BenchmarkClassifyArticle is Classify of the seed article closest to
// 5 KB (sharedtest.Article), the article of the RPC benchmarks and of
// cmd/stanceload.
func BenchmarkClassifyArticle(b *testing.B) {
	c, _ := benchSetup(b)
	art := sharedtest.Article(b)
	b.SetBytes(int64(len(art)))
	ctx := context.Background()
	for b.Loop() {
		if _, err := c.Classify(ctx, Request{Text: art, Builtin: true, MaxEvidence: 5}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClassifyStages classifies the corpus with the bundle's stages
// switched on one by one: mentions only, with relations, and with the
// document model, so that each stage's share of Classify reads as the
// ratio of two rows of one run.
func BenchmarkClassifyStages(b *testing.B) {
	c, docs := benchSetup(b)
	full := c.models
	for _, stage := range []struct {
		name string
		rel  bool
		doc  bool
	}{{"mentions", false, false}, {"relations", true, false}, {"all", true, true}} {
		bundle := *full
		if !stage.rel {
			bundle.Relation = nil
		}
		if !stage.doc {
			bundle.Document = nil
		}
		cs, err := New(c.an, &bundle)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(stage.name, func(b *testing.B) {
			b.SetBytes(sharedtest.Bytes(docs))
			b.ReportAllocs()
			var res Result
			for b.Loop() {
				for _, d := range docs {
					if err := cs.ClassifyInto(context.Background(), Request{Text: d, Builtin: true, MaxEvidence: 5}, &res); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkRelationShare classifies the corpus without and with the
// relation stage (the document model off in both) in alternate passes, in
// alternating order, and reports the second's time over the first's as
// relations/mentions: what issue 16 bounds at 1.20. Each pass is timed in
// the CPU time of its thread (threadTime), so that a pass that other
// processes preempt on a busy machine does not count their time; what
// they cost it in caches still counts. ns/op is the two passes together.
//
// Each pass carries the profiler label pass=mentions or pass=relations, so
// that a CPU profile (-test.cpuprofile) splits by pass: go tool pprof
// -tagfocus pass=relations (or -tagfocus pass=mentions -proto > m.pb.gz, the
// same for relations, then -diff_base m.pb.gz r.pb.gz) shows what the
// relation stage costs, inside the stage and in the stages around it.
func BenchmarkRelationShare(b *testing.B) {
	c, docs := benchSetup(b)
	var cs [2]*Classifier
	for k, rel := range []bool{false, true} {
		bundle := *c.models
		bundle.Document = nil
		if !rel {
			bundle.Relation = nil
		}
		var err error
		if cs[k], err = New(c.an, &bundle); err != nil {
			b.Fatal(err)
		}
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var res Result
	var spent [2]time.Duration
	labels := [2]pprof.LabelSet{pprof.Labels("pass", "mentions"), pprof.Labels("pass", "relations")}
	passes := 0
	for b.Loop() {
		for j := range 2 {
			k := (passes + j) % 2
			pprof.Do(context.Background(), labels[k], func(ctx context.Context) {
				start := threadTime()
				for _, d := range docs {
					if err := cs[k].ClassifyInto(ctx, Request{Text: d, Builtin: true, MaxEvidence: 5}, &res); err != nil {
						b.Fatal(err)
					}
				}
				spent[k] += threadTime() - start
			})
		}
		passes++
	}
	b.ReportMetric(float64(spent[0])/float64(passes), "mentions-ns/pass")
	b.ReportMetric(float64(spent[1])/float64(passes), "relations-ns/pass")
	b.ReportMetric(float64(spent[1])/float64(spent[0]), "relations/mentions")
}

// BenchmarkStageGenericActors finds the generic actors ("police", "Iraqi
// troops") of the sentences with a mention, as the relation stage does.
func BenchmarkStageGenericActors(b *testing.B) {
	c, docs := benchSetup(b)
	ws := prepared(b, c, docs)
	ents := make([][]entities.Entity, len(ws))
	for i, w := range ws {
		for _, m := range w.mentions {
			ents[i] = append(ents[i], m.Entity)
		}
	}
	b.ResetTimer()
	done := threadClock(b)
	for b.Loop() {
		for i, w := range ws {
			w.generic = relations.FindGeneric(w.generic[:0], &w.ctx, w.wanted, w.targets, ents[i])
		}
	}
	done()
}

// BenchmarkStageRelate runs the relation stage (parties, pair features and
// scores, evidence) over the corpus, its mentions scored beforehand.
func BenchmarkStageRelate(b *testing.B) {
	c, docs := benchSetup(b)
	ws := prepared(b, c, docs)
	results := make([]Result, len(ws))
	reqs := make([]Request, len(ws))
	for i, w := range ws {
		reqs[i] = Request{Text: docs[i], Builtin: true, MaxEvidence: 5}
		if err := c.scoreMentions(context.Background(), w, reqs[i], &results[i]); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	done := threadClock(b)
	for b.Loop() {
		for i, w := range ws {
			w.evidence, w.evRanges = w.evidence[:0], w.evRanges[:0]
			results[i].Relations = c.relate(w, reqs[i], results[i].Mentions, results[i].Relations[:0])
		}
	}
	done()
}

// threadClock starts timing the CPU time of the calling goroutine's
// thread, to which it locks the goroutine; the function it returns reports
// it per iteration as cpu-ns/op, which on a busy machine varies less than
// ns/op does.
func threadClock(b *testing.B) func() {
	runtime.LockOSThread()
	start := threadTime()
	return func() {
		b.ReportMetric(float64(threadTime()-start)/float64(b.N), "cpu-ns/op")
		runtime.UnlockOSThread()
	}
}

// BenchmarkStageNameParties finds the unknown names that may hold a
// relation (nameParties) in the sentences with a mention, as the relation
// stage does, over the parties found without them.
func BenchmarkStageNameParties(b *testing.B) {
	c, docs := benchSetup(b)
	ws := prepared(b, c, docs)
	known := make([][]party, len(ws))
	for i, w := range ws {
		known[i] = slices.Clone(c.an.parties(w, docs[i], nil, false))
	}
	b.ResetTimer()
	done := threadClock(b)
	found := 0
	for b.Loop() {
		found = 0
		for i, w := range ws {
			w.nameParties = nameParties(w.nameParties[:0], &w.doc, w.wanted, known[i], w.targets, w.leftOut, w.cues)
			found += len(w.nameParties)
		}
	}
	done()
	b.ReportMetric(float64(found), "names/pass")
}
