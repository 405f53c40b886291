package training

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/model"
)

// Cross-validation is how the mention model's data, features and
// hyperparameters are chosen: the dev sets are too small to choose on (the
// model tuned on them lost 0.05 macro-F1 on held-out news), so every
// labelled target takes its turn as held-out data. Features are extracted
// once (LoadCV); each setting then costs only the k fits (CVData.Run).

// CVData is the labelled data of a cross-validation, its features
// extracted once.
type CVData struct {
	// Sources are the data sets, in order.
	Sources []Source
	items   []cvItem
	// groups[g] is the source a group first appears in.
	groups []int
	bits   uint
}

type cvItem struct {
	e      example // shared features, weight 1
	dom    uint64  // domainKey of its source
	group  int32
	source int16
	multi  bool
	id     uint64 // hash of the source name and target id
}

// LoadCV extracts the features of every labelled target of sources.
func LoadCV(an *classifier.Analyzer, bits uint, sources []Source, pronouns bool, log io.Writer) (*CVData, error) {
	d := &CVData{Sources: sources, bits: bits}
	groupOf := map[string]int32{}
	for si, src := range sources {
		n := 0
		dom := domainKey(src.Domain)
		err := loadSource(an, src, pronouns, func(it item) {
			key := src.Domain + "\x00" + it.group
			if src.Format == FormatStance {
				key = it.group // the same sentence in two stance files is one group
			}
			g, ok := groupOf[key]
			if !ok {
				g = int32(len(d.groups))
				groupOf[key] = g
				d.groups = append(d.groups, si)
			}
			h := fnv.New64a()
			h.Write([]byte(src.Name + "\x00" + it.id))
			d.items = append(d.items, cvItem{e: it.e, dom: dom, group: g, source: int16(si), multi: it.multi, id: h.Sum64()})
			n++
		})
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(log, "cv data %s: %d targets\n", src.Name, n)
	}
	return d, nil
}

// CVOptions are the settings one cross-validation run compares.
type CVOptions struct {
	FitConfig
	// Folds is k (5 if zero).
	Folds int
	// Domains get per-domain feature copies (Config.Domains).
	Domains []string
	// Weights overrides Source.Weight by domain; 0 leaves a domain out of
	// training (it is still scored, if it has gold labels).
	Weights map[string]float64
	// Fraction trains on only this share of a source's groups, by source
	// name (a learning curve); scoring is unchanged.
	Fraction map[string]float64
	// Bootstrap is the number of resamples of the pooled intervals (1000
	// if zero).
	Bootstrap int
}

// CVResult is the out-of-fold outcome of a cross-validation.
type CVResult struct {
	Folds int
	// Scores are per scored set: "all" (every gold target), each domain,
	// "newsmtsc/multi" (NewsMTSC sentences with several targets),
	// "newsmtsc/single" (those with one), and each source. Weakly labelled
	// sets are marked so.
	Scores []CVScore
	// pred[i] is item i's out-of-fold prediction.
	pred []model.Label
	data *CVData
}

// CVScore is one scored set's cross-validated figures.
type CVScore struct {
	Set  string
	Weak bool // weak labels (PerSenT): not a score of the model
	N    int
	// FoldF1 and FoldAcc are per fold; Mean and HalfWidth give
	// mean ± t·sd/√k, the 95% interval over folds.
	FoldF1, FoldAcc  []float64
	MeanF1, HalfF1   float64
	MeanAcc, HalfAcc float64
	// PooledF1 is the macro-F1 of all out-of-fold predictions together,
	// with a 95% bootstrap interval over groups (sentences or documents):
	// the most honest single number.
	PooledF1, PooledLo, PooledHi float64
	PooledAcc                    float64
}

// Score returns the scores of a set, or false.
func (r *CVResult) Score(set string) (CVScore, bool) {
	for _, s := range r.Scores {
		if s.Set == set {
			return s, true
		}
	}
	return CVScore{}, false
}

// sets returns the scored sets an item belongs to.
func (d *CVData) sets(it *cvItem) []string {
	src := d.Sources[it.source]
	if src.Format != FormatStance {
		return []string{src.Domain + " (weak)", src.Name + " (weak)"}
	}
	s := []string{"all", src.Domain, src.Name}
	if src.Domain == "newsmtsc" {
		if it.multi {
			s = append(s, "newsmtsc/multi")
		} else {
			s = append(s, "newsmtsc/single")
		}
	}
	return s
}

// folds assigns each group a fold: per source, groups in hash order are
// dealt round-robin, so that every fold has its share of every source.
func (d *CVData) folds(k int) []int {
	fold := make([]int, len(d.groups))
	hash := make([]uint64, len(d.groups))
	for _, it := range d.items {
		h := fnv.New64a()
		fmt.Fprintf(h, "%d/%d", it.group, len(d.groups))
		hash[it.group] = h.Sum64()
	}
	bySource := map[int][]int{}
	for g, s := range d.groups {
		bySource[s] = append(bySource[s], g)
	}
	for _, gs := range bySource {
		sort.Slice(gs, func(i, j int) bool { return hash[gs[i]] < hash[gs[j]] })
		for i, g := range gs {
			fold[g] = i % k
		}
	}
	return fold
}

// Run cross-validates one setting.
func (d *CVData) Run(opt CVOptions) *CVResult {
	k := opt.Folds
	if k == 0 {
		k = 5
	}
	fold := d.folds(k)
	weight := make([]float64, len(d.Sources))
	frac := make([]float64, len(d.Sources))
	copies := make([]bool, len(d.Sources))
	for i, s := range d.Sources {
		copies[i] = slices.Contains(opt.Domains, s.Domain)
		weight[i] = s.Weight
		if s.Weight == 0 && s.Format == FormatStance {
			weight[i] = 1
		}
		if w, ok := opt.Weights[s.Domain]; ok {
			weight[i] = w
		}
		frac[i] = 1
		if f, ok := opt.Fraction[s.Name]; ok {
			frac[i] = f
		}
	}
	pred := make([]model.Label, len(d.items))
	fc := opt.FitConfig
	fc.Bits = d.bits
	for f := range k {
		var train []example
		for i := range d.items {
			it := &d.items[i]
			w := weight[it.source]
			if fold[it.group] == f || w <= 0 || !inFraction(it.group, frac[it.source]) {
				continue
			}
			e := it.e
			e.weight = float32(w)
			if copies[it.source] {
				e = domainCopy(e, it.dom, d.bits)
			}
			train = append(train, e)
		}
		balance(train, fc.ClassBalance)
		w, b := fitRuns(fc, train)
		for i := range d.items {
			if it := &d.items[i]; fold[it.group] == f {
				pred[i] = predict(w, b, &it.e)
			}
		}
	}
	r := &CVResult{Folds: k, pred: pred, data: d}
	r.score(fold, opt.Bootstrap)
	return r
}

// inFraction keeps a fixed, group-determined share of groups.
func inFraction(group int32, frac float64) bool {
	if frac >= 1 {
		return true
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "frac/%d", group)
	return float64(h.Sum64()%10000) < frac*10000
}

// predict is the label the serving model would give: argmax of the
// logits, ties to neutral as in model.Scores.Label.
func predict(w []float32, b [model.NumLabels]float32, e *example) model.Label {
	z := b
	for j, idx := range e.idx {
		for k := range model.NumLabels {
			z[k] += e.val[j] * w[int(idx)*model.NumLabels+k]
		}
	}
	best := model.Neutral
	for _, l := range model.Labels {
		if z[l] > z[best] {
			best = l
		}
	}
	return best
}

type confusion [model.NumLabels][model.NumLabels]float64

func (c *confusion) add(o *confusion, times float64) {
	for g := range c {
		for p := range c[g] {
			c[g][p] += times * o[g][p]
		}
	}
}

// scores returns accuracy and macro-F1.
func (c *confusion) scores() (acc, f1 float64) {
	var n, right float64
	for g := range c {
		for p := range c[g] {
			n += c[g][p]
		}
		right += c[g][g]
	}
	if n == 0 {
		return 0, 0
	}
	for l := range model.NumLabels {
		var pred, gold float64
		for k := range model.NumLabels {
			pred += c[k][l]
			gold += c[l][k]
		}
		if pred+gold > 0 {
			f1 += 2 * c[l][l] / (pred + gold) / model.NumLabels
		}
	}
	return right / n, f1
}

// score fills r.Scores.
func (r *CVResult) score(fold []int, nboot int) {
	d := r.data
	if nboot == 0 {
		nboot = 1000
	}
	type set struct {
		name   string
		weak   bool
		folds  []confusion
		groups map[int32]*confusion
	}
	var sets []*set
	index := map[string]*set{}
	for i := range d.items {
		it := &d.items[i]
		for _, name := range d.sets(it) {
			s := index[name]
			if s == nil {
				s = &set{name: name, weak: d.Sources[it.source].Format != FormatStance, folds: make([]confusion, r.Folds), groups: map[int32]*confusion{}}
				index[name] = s
				sets = append(sets, s)
			}
			s.folds[fold[it.group]][it.e.label][r.pred[i]]++
			c := s.groups[it.group]
			if c == nil {
				c = new(confusion)
				s.groups[it.group] = c
			}
			c[it.e.label][r.pred[i]]++
		}
	}
	for _, s := range sets {
		sc := CVScore{Set: s.name, Weak: s.weak}
		var pooled confusion
		for f := range s.folds {
			pooled.add(&s.folds[f], 1)
			acc, f1 := s.folds[f].scores()
			sc.FoldF1 = append(sc.FoldF1, f1)
			sc.FoldAcc = append(sc.FoldAcc, acc)
		}
		for g := range pooled {
			for p := range pooled[g] {
				sc.N += int(pooled[g][p])
			}
		}
		sc.PooledAcc, sc.PooledF1 = pooled.scores()
		sc.MeanF1, sc.HalfF1 = meanInterval(sc.FoldF1)
		sc.MeanAcc, sc.HalfAcc = meanInterval(sc.FoldAcc)
		groups := sortedGroups(s.groups)
		sc.PooledLo, sc.PooledHi = bootstrap(nboot, len(groups), func(counts []int) float64 {
			var c confusion
			for i, n := range counts {
				if n > 0 {
					c.add(s.groups[groups[i]], float64(n))
				}
			}
			_, f1 := c.scores()
			return f1
		})
		r.Scores = append(r.Scores, sc)
	}
	slices.SortStableFunc(r.Scores, func(a, b CVScore) int { return setRank(a) - setRank(b) })
}

// setRank orders the scored sets for reading: the summaries first, the
// weak labels last.
func setRank(s CVScore) int {
	if s.Weak {
		return 3
	}
	switch s.Set {
	case "all", "newsmtsc", "newsmtsc/single", "newsmtsc/multi", "geo":
		return 1
	}
	return 2
}

func sortedGroups(m map[int32]*confusion) []int32 {
	gs := make([]int32, 0, len(m))
	for g := range m {
		gs = append(gs, g)
	}
	slices.Sort(gs)
	return gs
}

// bootstrap resamples n groups with replacement nboot times (a fixed seed:
// the same data gives the same interval) and returns the 2.5 and 97.5
// percentiles of stat, which gets how often each group was drawn.
func bootstrap(nboot, n int, stat func(counts []int) float64) (lo, hi float64) {
	if n == 0 {
		return 0, 0
	}
	rng := rand.New(rand.NewPCG(17, 29))
	vals := make([]float64, nboot)
	counts := make([]int, n)
	for b := range vals {
		clear(counts)
		for range n {
			counts[rng.IntN(n)]++
		}
		vals[b] = stat(counts)
	}
	slices.Sort(vals)
	return vals[int(0.025*float64(nboot))], vals[min(nboot-1, int(0.975*float64(nboot)))]
}

// t975 is Student's t 0.975 quantile by degrees of freedom (1..10).
var t975 = [...]float64{0, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228}

// meanInterval returns the mean and the half-width of its 95% t interval.
func meanInterval(xs []float64) (mean, half float64) {
	n := len(xs)
	if n == 0 {
		return 0, 0
	}
	for _, x := range xs {
		mean += x
	}
	mean /= float64(n)
	if n < 2 {
		return mean, 0
	}
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	t := 1.96
	if n-1 < len(t975) {
		t = t975[n-1]
	}
	return mean, t * math.Sqrt(ss/float64(n-1)) / math.Sqrt(float64(n))
}

// CVDelta is the paired difference of two runs' pooled out-of-fold
// macro-F1 on one set, with a 95% bootstrap interval over the same
// resampled groups: a change whose interval holds 0 is not a change.
type CVDelta struct {
	Set           string
	Delta, Lo, Hi float64
}

// Compare returns b's pooled macro-F1 minus a's on set, paired by item.
// Both runs must come from data with the same items in the same order
// (the same sources; features may differ).
func Compare(a, b *CVResult, set string, nboot int) (CVDelta, error) {
	if len(a.pred) != len(b.pred) {
		return CVDelta{}, fmt.Errorf("runs over %d and %d targets cannot be paired", len(a.pred), len(b.pred))
	}
	if nboot == 0 {
		nboot = 1000
	}
	d := a.data
	type pair struct{ a, b confusion }
	groups := map[int32]*pair{}
	for i := range d.items {
		it := &d.items[i]
		if b.data.items[i].id != it.id || b.data.items[i].e.label != it.e.label {
			return CVDelta{}, fmt.Errorf("target %d differs between the runs", i)
		}
		if !slices.Contains(d.sets(it), set) {
			continue
		}
		p := groups[it.group]
		if p == nil {
			p = new(pair)
			groups[it.group] = p
		}
		p.a[it.e.label][a.pred[i]]++
		p.b[it.e.label][b.pred[i]]++
	}
	ids := make([]int32, 0, len(groups))
	for g := range groups {
		ids = append(ids, g)
	}
	slices.Sort(ids)
	stat := func(counts []int) float64 {
		var ca, cb confusion
		for i, n := range counts {
			if n > 0 {
				ca.add(&groups[ids[i]].a, float64(n))
				cb.add(&groups[ids[i]].b, float64(n))
			}
		}
		_, fa := ca.scores()
		_, fb := cb.scores()
		return fb - fa
	}
	all := make([]int, len(ids))
	for i := range all {
		all[i] = 1
	}
	lo, hi := bootstrap(nboot, len(ids), stat)
	return CVDelta{Set: set, Delta: stat(all), Lo: lo, Hi: hi}, nil
}

// Predictions returns the out-of-fold predictions, to compare with a run
// of another build (a feature change) by CVData.Restore and Compare: a
// fingerprint of the targets (8 bytes), then a label byte per target.
func (r *CVResult) Predictions() []byte {
	b := binary.LittleEndian.AppendUint64(nil, r.data.fingerprint())
	for _, l := range r.pred {
		b = append(b, byte(l))
	}
	return b
}

// fingerprint hashes the targets' identities and labels in order.
func (d *CVData) fingerprint() uint64 {
	h := fnv.New64a()
	for _, it := range d.items {
		h.Write(binary.LittleEndian.AppendUint64(nil, it.id^uint64(it.e.label)))
	}
	return h.Sum64()
}

// Restore rebuilds a result from saved Predictions over the same targets
// in the same order.
func (d *CVData) Restore(saved []byte, folds int) (*CVResult, error) {
	if len(saved) < 8 || binary.LittleEndian.Uint64(saved) != d.fingerprint() {
		return nil, errors.New("saved predictions are of other targets or another order")
	}
	pred := saved[8:]
	if len(pred) != len(d.items) {
		return nil, fmt.Errorf("%d saved predictions for %d targets", len(pred), len(d.items))
	}
	r := &CVResult{Folds: folds, pred: make([]model.Label, len(pred)), data: d}
	for i, b := range pred {
		if int(b) >= model.NumLabels {
			return nil, fmt.Errorf("saved prediction %d is label %d", i, b)
		}
		r.pred[i] = model.Label(b)
	}
	r.score(d.folds(folds), 0)
	return r, nil
}

// WriteText prints the scores as a table, one scored set a line.
func (r *CVResult) WriteText(w io.Writer) {
	fmt.Fprintf(w, "%-24s %6s  %-22s %-26s %s\n", "set", "n", "macro-F1 folds mean±CI", "pooled macro-F1 [95% CI]", "accuracy mean±CI")
	for _, s := range r.Scores {
		name := s.Set
		fmt.Fprintf(w, "%-24s %6d  %.4f ± %.4f        %.4f [%.4f, %.4f]   %.4f ± %.4f\n",
			name, s.N, s.MeanF1, s.HalfF1, s.PooledF1, s.PooledLo, s.PooledHi, s.MeanAcc, s.HalfAcc)
	}
}

// CrossValidate extracts the features of cfg.Train and cross-validates
// cfg's settings over them in k folds: the one-call form of LoadCV and
// Run.
func CrossValidate(cfg Config, an *classifier.Analyzer, k int, log io.Writer) (*CVResult, error) {
	d, err := LoadCV(an, cfg.Bits, cfg.Train, cfg.PerSenTPronouns, log)
	if err != nil {
		return nil, err
	}
	return d.Run(CVOptions{FitConfig: cfg.FitConfig, Folds: k, Domains: cfg.Domains}), nil
}

// Evaluations returns the pooled out-of-fold scores of the gold sets, as
// a model's metadata records them ("cv/newsmtsc", ...), with their 95%
// bootstrap intervals.
func (r *CVResult) Evaluations() []model.Evaluation {
	var out []model.Evaluation
	for _, s := range r.Scores {
		if s.Weak {
			continue
		}
		out = append(out, model.Evaluation{Dataset: "cv/" + s.Set, Targets: s.N, Accuracy: s.PooledAcc,
			MacroF1: s.PooledF1, MacroF1Low: s.PooledLo, MacroF1High: s.PooledHi})
	}
	return out
}
