package training

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/stance/classifierd/internal/evaluation"
	"github.com/stance/classifierd/internal/model"
)

// DocPrediction is one labelled entity's out-of-fold document label, as
// the document model's cross-validation gave it: saved by one build and
// compared with another's (CompareDocs), entity by entity.
type DocPrediction struct {
	Source, Doc, Entity string
	Gold, Pred          model.Label
}

func (p DocPrediction) key() string { return p.Source + "\t" + p.Doc + "\t" + p.Entity }

// SaveDocPredictions writes predictions for ReadDocPredictions: a header
// line, then a line per entity, "source doc entity gold pred" separated
// by tabs.
func SaveDocPredictions(w io.Writer, ps []DocPrediction) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "document-cv 1")
	for _, p := range ps {
		fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%s\n", p.Source, p.Doc, p.Entity, p.Gold, p.Pred)
	}
	return bw.Flush()
}

// ReadDocPredictions reads what SaveDocPredictions wrote.
func ReadDocPredictions(b []byte) ([]DocPrediction, error) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	if !sc.Scan() || sc.Text() != "document-cv 1" {
		return nil, fmt.Errorf("not a document cv file")
	}
	var out []DocPrediction
	for line := 2; sc.Scan(); line++ {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("line %d: %d fields, want 5", line, len(f))
		}
		gold, err := model.ParseLabel(f[3])
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		pred, err := model.ParseLabel(f[4])
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		out = append(out, DocPrediction{Source: f[0], Doc: f[1], Entity: f[2], Gold: gold, Pred: pred})
	}
	return out, sc.Err()
}

// DocDelta is the paired difference of two cross-validation runs (b − a)
// on one source's entities, or on all ("all"), with 95% bootstrap
// intervals over entities resampled in pairs.
type DocDelta struct {
	Source                           string
	N                                int
	Accuracy, AccuracyLo, AccuracyHi float64
	MacroF1, MacroF1Lo, MacroF1Hi    float64
}

// CompareDocs pairs two runs' predictions entity by entity and returns the
// deltas per source, in a's order, then over all. An entity that one run
// did not find (a change to how entities are found) counts as neutral
// there, as stancectl eval scores an entity missing from the answer; the
// runs must agree on every gold label.
func CompareDocs(a, b []DocPrediction, nboot int) ([]DocDelta, error) {
	if nboot <= 0 {
		nboot = 1000
	}
	byKey := make(map[string]DocPrediction, len(b))
	for _, p := range b {
		byKey[p.key()] = p
	}
	inA := make(map[string]bool, len(a))
	var sources []string
	pairs := map[string][][2]DocPrediction{}
	add := func(p, q DocPrediction) {
		if _, seen := pairs[p.Source]; !seen {
			sources = append(sources, p.Source)
		}
		pairs[p.Source] = append(pairs[p.Source], [2]DocPrediction{p, q})
		pairs["all"] = append(pairs["all"], [2]DocPrediction{p, q})
	}
	for _, p := range a {
		inA[p.key()] = true
		q, ok := byKey[p.key()]
		if !ok {
			q = p
			q.Pred = model.Neutral
		}
		if q.Gold != p.Gold {
			return nil, fmt.Errorf("%s %s %s: gold %s in one run, %s in the other", p.Source, p.Doc, p.Entity, p.Gold, q.Gold)
		}
		add(p, q)
	}
	for _, q := range b {
		if !inA[q.key()] {
			p := q
			p.Pred = model.Neutral
			add(p, q)
		}
	}
	var out []DocDelta
	for _, s := range append(sources, "all") {
		ps := pairs[s]
		stat := func(f func(evaluation.Metrics) float64) func([]int) float64 {
			return func(counts []int) float64 {
				var ca, cb evaluation.Confusion
				for i, n := range counts {
					for range n {
						ca.AddLabel(ps[i][0].Gold, ps[i][0].Pred)
						cb.AddLabel(ps[i][1].Gold, ps[i][1].Pred)
					}
				}
				return f(cb.Metrics()) - f(ca.Metrics())
			}
		}
		ones := make([]int, len(ps))
		for i := range ones {
			ones[i] = 1
		}
		acc := stat(func(m evaluation.Metrics) float64 { return m.Accuracy })
		f1 := stat(func(m evaluation.Metrics) float64 { return m.MacroF1 })
		d := DocDelta{Source: s, N: len(ps), Accuracy: acc(ones), MacroF1: f1(ones)}
		d.AccuracyLo, d.AccuracyHi = bootstrap(nboot, len(ps), acc)
		d.MacroF1Lo, d.MacroF1Hi = bootstrap(nboot, len(ps), f1)
		out = append(out, d)
	}
	return out, nil
}
