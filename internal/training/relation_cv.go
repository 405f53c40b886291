package training

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"sort"

	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/dataset"
	"github.com/stance/classifierd/internal/evaluation"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/model"
)

// Cross-validation of the relation model is how its data, features,
// hyperparameters and decision threshold are chosen: the probe sets are
// held out, read once to report. Every sentence of the training sources
// takes its turn as held-out data, all of its pairs together, and is
// scored end to end as EvaluateRelations scores the probes: the fold's
// model in a classifier, the sentence classified with its gold target
// spans, the relations returned matched with the gold pairs.

// RelationCVData is the relation training data of a cross-validation,
// the pair features of every sentence extracted once (LoadRelationCV);
// each setting then costs the k fits and one classification of every
// sentence (RelationCVData.Run).
type RelationCVData struct {
	// Sources are the data sets, in order.
	Sources []Source
	sents   []relSentence
	an      *classifier.Analyzer
	mention *model.Model
	bits    uint
}

// relSentence is one labelled sentence and its pairs' training examples.
type relSentence struct {
	ex     dataset.Example
	source int
	pairs  []example
	// unmarked are the pairs with a party the data does not mark.
	unmarked []example
}

// LoadRelationCV reads sources and extracts the pair features of every
// labelled pair in bits-wide hashes, as TrainRelation does; mention is
// the mention model whose stances the pair features read.
func LoadRelationCV(an *classifier.Analyzer, mention *model.Model, bits uint, sources []Source, log io.Writer) (*RelationCVData, error) {
	d := &RelationCVData{Sources: sources, an: an, mention: mention, bits: bits}
	ext := features.NewExtractor(bits)
	for si, src := range sources {
		exs, err := src.examples()
		if err != nil {
			return nil, err
		}
		n, nu := 0, 0
		for _, ex := range exs {
			es, un, err := relationExamples(an, ext, mention, ex)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", src.Name, err)
			}
			n += len(es)
			nu += len(un)
			d.sents = append(d.sents, relSentence{ex: ex, source: si, pairs: es, unmarked: un})
		}
		fmt.Fprintf(log, "relation cv data %s: %d sentences, %d pairs, %d with an unmarked party\n", src.Name, len(exs), n, nu)
	}
	return d, nil
}

// relationFolds deals sentences to k folds, grouped by id (every pair of
// a sentence, and every sentence of an id, in one fold; Run passes an
// example's Group, its article, as its id where it has one) and stratified by
// source: each source's ids, in the order of a hash of the id, are dealt
// round-robin, so that each fold holds its share of every source. An id
// belongs to the source it first appears in.
func relationFolds(ids []string, sources []int, k int) []int {
	type group struct {
		id     string
		hash   uint64
		source int
	}
	index := map[string]int{}
	var groups []group
	for i, id := range ids {
		if _, ok := index[id]; ok {
			continue
		}
		h := fnv.New64a()
		h.Write([]byte(id))
		index[id] = len(groups)
		groups = append(groups, group{id, h.Sum64(), sources[i]})
	}
	bySource := map[int][]int{}
	for g := range groups {
		bySource[groups[g].source] = append(bySource[groups[g].source], g)
	}
	groupFold := make([]int, len(groups))
	for _, gs := range bySource {
		sort.Slice(gs, func(i, j int) bool {
			a, b := groups[gs[i]], groups[gs[j]]
			return a.hash < b.hash || a.hash == b.hash && a.id < b.id
		})
		for i, g := range gs {
			groupFold[g] = i % k
		}
	}
	fold := make([]int, len(ids))
	for i, id := range ids {
		fold[i] = groupFold[index[id]]
	}
	return fold
}

// RelationCVOptions are the settings one relation cross-validation runs.
type RelationCVOptions struct {
	FitConfig
	// Folds is k (5 if zero).
	Folds int
	// Holdout is the share of each fold's training sentences kept aside
	// to fit the temperature (RelationConfig.Holdout).
	Holdout float64
	// UnmarkedWeight is RelationConfig.UnmarkedWeight.
	UnmarkedWeight float64
	// Skip names sources that are scored but not trained on: what adding
	// a source brings, paired against a run without Skip.
	Skip []string
	// ByTarget scores each sentence as EvaluateRelationsByTarget does,
	// each gold target span sent alone, so that holders must be found;
	// else as EvaluateRelations does, every marked actor a span.
	ByTarget bool
}

// RelationCVResult is the out-of-fold outcome of a relation
// cross-validation: each sentence scored by the model of the folds it
// was not trained on.
type RelationCVResult struct {
	Folds int
	// IDs and Sets name each sentence and the scored set (source) it is
	// in; Per are its relation counts.
	IDs  []string
	Sets []string
	Per  []evaluation.RelationMetrics
	// Gold and Got are each sentence's gold relations and those returned,
	// for error analysis (nil for a restored result).
	Gold, Got [][]evaluation.RelationPair
	// Examples are the sentences (nil for a restored result).
	Examples []dataset.Example
}

// Run cross-validates one setting.
func (d *RelationCVData) Run(opt RelationCVOptions) (*RelationCVResult, error) {
	k := opt.Folds
	if k == 0 {
		k = 5
	}
	ids := make([]string, len(d.sents))
	groups := make([]string, len(d.sents))
	srcs := make([]int, len(d.sents))
	for i, s := range d.sents {
		ids[i], groups[i], srcs[i] = s.ex.ID, cmp.Or(s.ex.Group, s.ex.ID), s.source
	}
	fold := relationFolds(groups, srcs, k)
	r := &RelationCVResult{Folds: k, IDs: ids, Sets: make([]string, len(d.sents)), Per: make([]evaluation.RelationMetrics, len(d.sents)),
		Gold: make([][]evaluation.RelationPair, len(d.sents)), Got: make([][]evaluation.RelationPair, len(d.sents)), Examples: make([]dataset.Example, len(d.sents))}
	fc := opt.FitConfig
	fc.Bits = d.bits
	for f := range k {
		var train, holdout []example
		for i, s := range d.sents {
			if fold[i] == f || slices.Contains(opt.Skip, d.Sources[s.source].Name) {
				continue
			}
			es := s.pairs
			if opt.UnmarkedWeight > 0 {
				es = append(slices.Clip(es), scaledBy(s.unmarked, opt.UnmarkedWeight)...)
			}
			es = scaledBy(es, d.Sources[s.source].Weight)
			if inHoldout(s.ex.ID, opt.Holdout) {
				holdout = append(holdout, es...)
			} else {
				train = append(train, es...)
			}
		}
		// fit rebalances weights in place: train holds copies of the
		// examples, whose feature slices it only reads.
		params := fc.fit(train, holdout)
		params.Meta = model.Metadata{Version: fmt.Sprintf("relation-cv-fold-%d", f), Stage: model.StageRelation}
		m, err := model.New(params)
		if err != nil {
			return nil, err
		}
		c, err := newClassifier(d.an, d.mention, m)
		if err != nil {
			return nil, err
		}
		var outcome relationOutcomeFunc = func(c *classifier.Classifier, ex dataset.Example) ([]evaluation.RelationPair, []evaluation.RelationPair, error) {
			return relationOutcome(c, ex, false)
		}
		if opt.ByTarget {
			outcome = relationOutcomeByTarget
		}
		for i, s := range d.sents {
			if fold[i] != f {
				continue
			}
			gold, got, err := outcome(c, s.ex)
			if err != nil {
				return nil, err
			}
			r.Per[i].Add(gold, got)
			r.Gold[i], r.Got[i], r.Examples[i] = gold, got, s.ex
		}
	}
	for i, s := range d.sents {
		r.Sets[i] = d.Sources[s.source].Name
	}
	return r, nil
}

// RelationCVScore is one scored set's pooled out-of-fold figures, with
// 95% bootstrap intervals over sentences.
type RelationCVScore struct {
	Set       string
	Sentences int
	evaluation.RelationMetrics
	RecallLo, RecallHi       float64
	PrecisionLo, PrecisionHi float64
	F1, F1Lo, F1Hi           float64
}

// Scores returns the pooled scores of "all" and of each source, with
// intervals from nboot resamples of sentences (1000 if zero).
func (r *RelationCVResult) Scores(nboot int) []RelationCVScore {
	if nboot == 0 {
		nboot = 1000
	}
	var names []string
	members := map[string][]int{}
	for i, s := range r.Sets {
		for _, set := range []string{"all", s} {
			if _, ok := members[set]; !ok {
				names = append(names, set)
			}
			members[set] = append(members[set], i)
		}
	}
	var out []RelationCVScore
	for _, name := range names {
		idx := members[name]
		sc := RelationCVScore{Set: name, Sentences: len(idx)}
		for _, i := range idx {
			sc.RelationMetrics.Merge(r.Per[i], 1)
		}
		sc.F1 = sc.RelationMetrics.F1()
		sum := func(counts []int) evaluation.RelationMetrics {
			var m evaluation.RelationMetrics
			for j, n := range counts {
				if n > 0 {
					m.Merge(r.Per[idx[j]], n)
				}
			}
			return m
		}
		sc.RecallLo, sc.RecallHi = bootstrap(nboot, len(idx), func(c []int) float64 { m := sum(c); return m.Recall() })
		sc.PrecisionLo, sc.PrecisionHi = bootstrap(nboot, len(idx), func(c []int) float64 { m := sum(c); return m.Precision() })
		sc.F1Lo, sc.F1Hi = bootstrap(nboot, len(idx), func(c []int) float64 { m := sum(c); return m.F1() })
		out = append(out, sc)
	}
	return out
}

// RelationCVDelta is the paired difference of two runs' pooled recall,
// precision and F1 over the same sentences, each with a 95% bootstrap
// interval over the same resampled sentences: a change whose interval
// holds 0 is not a change.
type RelationCVDelta struct {
	Recall, RecallLo, RecallHi          float64
	Precision, PrecisionLo, PrecisionHi float64
	F1, F1Lo, F1Hi                      float64
}

// CompareRelations returns b's scores minus a's over the sentences both
// runs scored (paired by id).
func CompareRelations(a, b *RelationCVResult, nboot int) (RelationCVDelta, error) {
	if nboot == 0 {
		nboot = 1000
	}
	at := map[string]int{}
	for i, id := range a.IDs {
		at[id] = i
	}
	type pair struct{ a, b evaluation.RelationMetrics }
	var ps []pair
	for j, id := range b.IDs {
		if i, ok := at[id]; ok {
			ps = append(ps, pair{a.Per[i], b.Per[j]})
		}
	}
	if len(ps) == 0 {
		return RelationCVDelta{}, fmt.Errorf("the runs share no sentence")
	}
	sums := func(counts []int) (ma, mb evaluation.RelationMetrics) {
		for i, n := range counts {
			if n > 0 {
				ma.Merge(ps[i].a, n)
				mb.Merge(ps[i].b, n)
			}
		}
		return ma, mb
	}
	stat := func(f func(evaluation.RelationMetrics) float64) func([]int) float64 {
		return func(c []int) float64 { ma, mb := sums(c); return f(mb) - f(ma) }
	}
	all := make([]int, len(ps))
	for i := range all {
		all[i] = 1
	}
	var d RelationCVDelta
	rec := stat(evaluation.RelationMetrics.Recall)
	pre := stat(evaluation.RelationMetrics.Precision)
	f1 := stat(evaluation.RelationMetrics.F1)
	d.Recall, d.Precision, d.F1 = rec(all), pre(all), f1(all)
	d.RecallLo, d.RecallHi = bootstrap(nboot, len(ps), rec)
	d.PrecisionLo, d.PrecisionHi = bootstrap(nboot, len(ps), pre)
	d.F1Lo, d.F1Hi = bootstrap(nboot, len(ps), f1)
	return d, nil
}

// Save writes each sentence's counts, to compare a run of another build
// (a feature change) with by ReadRelationCV and CompareRelations: a line
// per sentence, "id set gold found right returned correct".
func (r *RelationCVResult) Save(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "relation-cv %d\n", r.Folds)
	for i, m := range r.Per {
		fmt.Fprintf(bw, "%s %s %d %d %d %d %d\n", r.IDs[i], r.Sets[i], m.Gold, m.Found, m.Right, m.Returned, m.Correct)
	}
	return bw.Flush()
}

// ReadRelationCV reads counts that Save wrote.
func ReadRelationCV(b []byte) (*RelationCVResult, error) {
	r := &RelationCVResult{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	if !sc.Scan() {
		return nil, fmt.Errorf("empty relation cv file")
	}
	if _, err := fmt.Sscanf(sc.Text(), "relation-cv %d", &r.Folds); err != nil {
		return nil, fmt.Errorf("not a relation cv file: %w", err)
	}
	for line := 2; sc.Scan(); line++ {
		var id, set string
		var m evaluation.RelationMetrics
		if _, err := fmt.Sscanf(sc.Text(), "%s %s %d %d %d %d %d", &id, &set, &m.Gold, &m.Found, &m.Right, &m.Returned, &m.Correct); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		r.IDs, r.Sets, r.Per = append(r.IDs, id), append(r.Sets, set), append(r.Per, m)
	}
	return r, sc.Err()
}

// WriteText prints the scores as a table, one scored set a line.
func (r *RelationCVResult) WriteText(w io.Writer, nboot int) {
	fmt.Fprintf(w, "%-20s %5s %5s  %-24s %-24s %-24s %s\n", "set", "sents", "gold", "recall [95% CI]", "precision [95% CI]", "F1 [95% CI]", "returned")
	for _, s := range r.Scores(nboot) {
		fmt.Fprintf(w, "%-20s %5d %5d  %.3f [%.3f, %.3f]   %.3f [%.3f, %.3f]   %.3f [%.3f, %.3f]   %d\n",
			s.Set, s.Sentences, s.Gold, s.Recall(), s.RecallLo, s.RecallHi, s.Precision(), s.PrecisionLo, s.PrecisionHi, s.F1, s.F1Lo, s.F1Hi, s.Returned)
	}
}

// WriteErrors writes the out-of-fold mistakes for reading: per sentence
// with one, its text, the gold relations missed (MISS: no relation from
// the holder toward the target; LABEL: one of the other label) and the
// relations returned that no gold pair backs (FALSE: between two marked
// parties; FALSE-REVERSE: the gold relation runs the other way;
// FALSE-UNMARKED: a party the annotators did not mark, such as a place or
// a second mention).
func (r *RelationCVResult) WriteErrors(w io.Writer) {
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	name := func(p evaluation.RelationPair) string {
		return fmt.Sprintf("%s -> %s %s", p.HolderName, p.TargetName, p.Label)
	}
	for i := range r.Per {
		m := r.Per[i]
		if r.Examples == nil || m.Right == m.Gold && m.Correct == m.Returned {
			continue
		}
		ex := r.Examples[i]
		fmt.Fprintf(bw, "## %s %s\n%s\n", r.IDs[i], r.Sets[i], ex.Text)
		for _, g := range r.Gold[i] {
			var one evaluation.RelationMetrics
			one.Add([]evaluation.RelationPair{g}, r.Got[i])
			if one.Right == 1 {
				continue
			}
			kind := "MISS"
			if one.Found == 1 {
				kind = "LABEL"
			}
			fmt.Fprintf(bw, "  %s gold %s\n", kind, name(g))
		}
		marked := func(start, end int) bool {
			for _, t := range ex.Targets {
				if start < t.End && t.Start < end || t.HasHolder() && start < t.HolderEnd && t.HolderStart < end {
					return true
				}
			}
			return false
		}
		for _, p := range r.Got[i] {
			var one evaluation.RelationMetrics
			one.Add(r.Gold[i], []evaluation.RelationPair{p})
			if one.Correct > 0 {
				continue
			}
			kind := "FALSE"
			rev := p
			rev.HolderStart, rev.HolderEnd, rev.TargetStart, rev.TargetEnd = p.TargetStart, p.TargetEnd, p.HolderStart, p.HolderEnd
			rev.HolderName, rev.TargetName = p.TargetName, p.HolderName
			one = evaluation.RelationMetrics{}
			one.Add(r.Gold[i], []evaluation.RelationPair{rev})
			switch {
			case !marked(p.HolderStart, p.HolderEnd) || !marked(p.TargetStart, p.TargetEnd):
				kind = "FALSE-UNMARKED"
			case one.Correct > 0:
				kind = "FALSE-REVERSE"
			}
			fmt.Fprintf(bw, "  %s %s\n", kind, name(p))
		}
	}
}
