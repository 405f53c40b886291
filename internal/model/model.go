package model

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"unsafe"
)

// Metadata describes how a model was built. It travels in the model file
// and is reported by GetModelInfo.
type Metadata struct {
	// Version names the model; every response carries it.
	Version string `json:"version"`
	// Stage is what the model scores: "mention", "relation" or
	// "document" (empty in files from before bundles: a mention model).
	Stage string `json:"stage,omitempty"`
	// Description is free text for humans.
	Description string `json:"description,omitempty"`
	// LexiconVersion is the content hash of the lexicon trained with.
	LexiconVersion string `json:"lexicon_version,omitempty"`
	// TrainingData lists the data sets trained on.
	TrainingData []Dataset `json:"training_data,omitempty"`
	// Evaluations are scores on held-out data measured at build time.
	Evaluations []Evaluation `json:"evaluations,omitempty"`
	// Hyperparameters records the training settings, for reproduction.
	Hyperparameters map[string]float64 `json:"hyperparameters,omitempty"`
}

// Dataset is a training data set.
type Dataset struct {
	Name    string `json:"name"`
	Targets int    `json:"targets"`
}

// Evaluation is a score measured on one data set.
type Evaluation struct {
	Dataset  string       `json:"dataset"`
	Targets  int          `json:"targets"`
	Accuracy float64      `json:"accuracy"`
	MacroF1  float64      `json:"macro_f1"`
	ECE      float64      `json:"ece"`
	PerClass []ClassScore `json:"per_class"`
	// MacroF1Low and MacroF1High are the 95% interval of MacroF1 where one
	// was measured (cross-validated scores); 0 otherwise.
	MacroF1Low  float64 `json:"macro_f1_low,omitempty"`
	MacroF1High float64 `json:"macro_f1_high,omitempty"`
}

// ClassScore is precision, recall and F1 for one label.
type ClassScore struct {
	Label     string  `json:"label"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
}

// Model is a multinomial logistic regression over hashed features, with
// temperature scaling for calibrated probabilities. A Model is immutable
// and safe for concurrent use.
type Model struct {
	meta Metadata
	bits uint
	// rows holds each bucket's weights with their mean, 16 bytes a
	// bucket: a row never straddles two cache lines, and explaining a
	// decision reads the mean instead of computing it per feature.
	rows []row
	// packed, when set, holds the non-zero rows that Score and
	// Contributions read instead of rows (see packRows).
	packed      *packedRows
	bias        [NumLabels]float32
	temperature float32
	// docThreshold is the mean probability at which a document takes a
	// side toward an entity (see DocumentLabel).
	docThreshold float32
	nonzero      int
}

// Params are the numbers that make a model.
type Params struct {
	Meta Metadata
	// Bits is the hash width: 2^Bits buckets.
	Bits uint
	// Weights has NumLabels << Bits entries, bucket-major.
	Weights []float32
	// Bias is the per-label intercept.
	Bias [NumLabels]float32
	// Temperature divides the logits before the softmax (> 0).
	Temperature float32
	// DocThreshold is the document-level polar threshold in [0, 1): a
	// mention model's fallback rule where a bundle has no document model.
	DocThreshold float32
}

// Limits on a model's shape, checked when one is built or loaded.
const (
	MinBits = 8
	MaxBits = 24
)

// New checks p and builds a model. Every problem is reported at once.
func New(p Params) (*Model, error) {
	var rows []row
	if p.Bits >= MinBits && p.Bits <= MaxBits && len(p.Weights) == NumLabels<<p.Bits {
		rows = make([]row, 1<<p.Bits)
		for i := range rows {
			rows[i].set(p.Weights[i*NumLabels : i*NumLabels+NumLabels])
		}
	}
	return newModel(p, len(p.Weights), rows, nil)
}

// rowScan is what newModel learns by reading every row: the count of
// non-zero weights and the non-finite ones.
type rowScan struct {
	nonzero, bad int
	errs         []error // the first three non-finite weights
}

// add counts row i's weights w.
func (r *rowScan) add(i int, w *[NumLabels]float32) {
	for k, x := range w {
		if !finite(x) {
			if r.bad++; r.bad <= 3 {
				r.errs = append(r.errs, fmt.Errorf("weight %d is %v", i*NumLabels+k, x))
			}
		}
		if x != 0 {
			r.nonzero++
		}
	}
}

// newModel checks p and builds a model of rows, which Load fills straight
// from the file: converting a flat table would leave 12 MB of garbage at
// start-up, which a server then pays for in page faults when its heap
// reuses the pages the runtime gave back. p.Weights is not read; nweights
// is the number of weights given, for the error.
//
// scan, when not nil, is rows already counted (Load counts the rows it
// reads, the only ones not zero): reading the mention model's million rows
// again was a twentieth of a one-core start-up.
func newModel(p Params, nweights int, rows []row, scan *rowScan) (*Model, error) {
	var errs []error
	if p.Meta.Version == "" {
		errs = append(errs, errors.New("version is empty"))
	}
	if p.Bits < MinBits || p.Bits > MaxBits {
		errs = append(errs, fmt.Errorf("hash bits %d out of range [%d, %d]", p.Bits, MinBits, MaxBits))
	} else if rows == nil {
		errs = append(errs, fmt.Errorf("%d weights, want %d for %d hash bits", nweights, NumLabels<<p.Bits, p.Bits))
	}
	if !(p.Temperature > 0) || math.IsInf(float64(p.Temperature), 0) {
		errs = append(errs, fmt.Errorf("temperature %v must be positive and finite", p.Temperature))
	}
	if !(p.DocThreshold >= 0 && p.DocThreshold < 1) {
		errs = append(errs, fmt.Errorf("document threshold %v out of (0, 1)", p.DocThreshold))
	}
	for k, b := range p.Bias {
		if !finite(b) {
			errs = append(errs, fmt.Errorf("bias %d is %v", k, b))
		}
	}
	if scan == nil {
		scan = &rowScan{}
		for i := range rows {
			scan.add(i, &rows[i].w)
		}
	}
	errs = append(errs, scan.errs...)
	if scan.bad > 3 {
		errs = append(errs, fmt.Errorf("%d more weights are not finite", scan.bad-3))
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w: %w", ErrInvalidModel, errors.Join(errs...))
	}
	return &Model{meta: p.Meta, bits: p.Bits, rows: rows, packed: packRows(rows, scan.nonzero), bias: p.Bias,
		temperature: p.Temperature, docThreshold: p.DocThreshold, nonzero: scan.nonzero}, nil
}

// row is one bucket's weights, one per label, and their mean.
type row struct {
	w    [NumLabels]float32
	mean float32
}

// set sets the row's weights to w and computes their mean.
func (r *row) set(w []float32) {
	r.w = [NumLabels]float32{w[0], w[1], w[2]}
	r.mean = (w[0] + w[1] + w[2]) / NumLabels
}

// packedRows are a model's non-zero rows alone. A trained model's are a
// few percent of its buckets (the relation model's 12,000 of 262,144): at
// 16 bytes a bucket the table is 4 MB, which the relation stage reads a
// row here and a row there, between the mention stage's reads of its own
// 16 MB, and misses the processor's caches on most; packed it is 256 KB.
// words[k] marks the non-zero rows among buckets 64k to 64k+63 and counts
// those before them; dense[0] is a row of zeros, which the other buckets
// read, so a zero bucket adds the same zeros it always added.
type packedRows struct {
	words []rankWord
	dense []row
}

type rankWord struct {
	bits uint64
	rank uint32
}

// maxPackedBytes bounds the packed rows that a model reads: a packing a
// core's cache does not hold costs a second dependent load per feature
// and saves nothing (the mention model's would be 880 KB; packed, its
// BenchmarkStageScore took 1.5-1.8x as long).
const maxPackedBytes = 512 << 10

// packRows returns rows packed, or nil when that is larger than
// maxPackedBytes. nonzero, the count of non-zero weights, bounds the
// non-zero rows from below (a row holds at most NumLabels of them), so a
// model too large to pack is known without reading its rows again.
func packRows(rows []row, nonzero int) *packedRows {
	if (nonzero/NumLabels+1)*int(unsafe.Sizeof(row{})) > maxPackedBytes {
		return nil
	}
	n := 0
	for i := range rows {
		if !rows[i].isZero() {
			n++
		}
	}
	words := (len(rows) + 63) / 64
	if words*int(unsafe.Sizeof(rankWord{}))+(n+1)*int(unsafe.Sizeof(row{})) > maxPackedBytes {
		return nil
	}
	p := &packedRows{words: make([]rankWord, words), dense: make([]row, 1, n+1)}
	for i := range rows {
		if rows[i].isZero() {
			continue
		}
		k := i / 64
		if p.words[k].bits == 0 {
			p.words[k].rank = uint32(len(p.dense) - 1)
		}
		p.words[k].bits |= 1 << (i % 64)
		p.dense = append(p.dense, rows[i])
	}
	return p
}

// at returns bucket i's row: its place in dense is one past the non-zero
// rows before it, or 0 when it is zero (the mask below), without a branch.
func (p *packedRows) at(i uint32) *row {
	w := p.words[i/64]
	bit := uint64(1) << (i % 64)
	present := uint32(w.bits>>(i%64)) & 1
	return &p.dense[(w.rank+1+uint32(bits.OnesCount64(w.bits&(bit-1))))&-present]
}

// isZero reports whether every weight of r is +0, bit for bit: a -0
// weight, read as +0, could turn a sum of -0 into +0.
func (r *row) isZero() bool {
	return math.Float32bits(r.w[0])|math.Float32bits(r.w[1])|math.Float32bits(r.w[2]) == 0
}

func finite(f float32) bool { return !math.IsNaN(float64(f)) && !math.IsInf(float64(f), 0) }

// Metadata returns the model's metadata. The caller must not modify the
// slices it holds.
func (m *Model) Metadata() Metadata { return m.meta }

// Version returns the model version.
func (m *Model) Version() string { return m.meta.Version }

// Bits returns the hash width the features must be extracted with.
func (m *Model) Bits() uint { return m.bits }

// NonZero returns the number of non-zero weights.
func (m *Model) NonZero() int { return m.nonzero }

// Scores are a mention's logits and calibrated probabilities.
type Scores struct {
	Logits [NumLabels]float32
	Probs  [NumLabels]float32
}

// Label returns the most probable label.
func (s Scores) Label() Label {
	best := Neutral
	for _, l := range Labels {
		if s.Probs[l] > s.Probs[best] {
			best = l
		}
	}
	return best
}

// Score computes the scores of one feature vector.
func (m *Model) Score(fs []Feature) Scores {
	s := Scores{Logits: m.Logits(fs)}
	s.Probs = Softmax(s.Logits, m.temperature)
	return s
}

// Logits computes the logits of one feature vector, as Score does, without
// the probabilities: Softmax(logits, m.Temperature()) gives those.
func (m *Model) Logits(fs []Feature) [NumLabels]float32 {
	// The sums are kept in locals, which stay in registers: summed in the
	// array, each addition waited for the last one's store to reach the
	// next load. The additions are the same, in the same order.
	l0, l1, l2 := m.bias[0], m.bias[1], m.bias[2]
	if p := m.packed; p != nil {
		for _, f := range fs {
			w := &p.at(f.Index).w
			l0 += f.Value * w[0]
			l1 += f.Value * w[1]
			l2 += f.Value * w[2]
		}
	} else {
		for _, f := range fs {
			w := &m.rows[f.Index].w
			l0 += f.Value * w[0]
			l1 += f.Value * w[1]
			l2 += f.Value * w[2]
		}
	}
	return [NumLabels]float32{l0, l1, l2}
}

// Contributions is how much feature f moves each label's logit above the
// average of all logits (after temperature): positive supports the label.
// All three at once, so that explaining a mention reads each weight row once.
func (m *Model) Contributions(f Feature) [NumLabels]float32 {
	r := &m.rows[f.Index]
	if m.packed != nil {
		r = m.packed.at(f.Index)
	}
	w, mean := &r.w, r.mean
	if m.temperature == 1 {
		// Dividing by 1 changes nothing, and a division takes a dozen
		// multiplications' time (the relation model's temperature is 1).
		return [NumLabels]float32{f.Value * (w[0] - mean), f.Value * (w[1] - mean), f.Value * (w[2] - mean)}
	}
	return [NumLabels]float32{
		f.Value * (w[0] - mean) / m.temperature,
		f.Value * (w[1] - mean) / m.temperature,
		f.Value * (w[2] - mean) / m.temperature,
	}
}

// Softmax turns logits into probabilities at temperature t.
func Softmax(logits [NumLabels]float32, t float32) [NumLabels]float32 {
	mx := max(logits[0], logits[1], logits[2])
	var p [NumLabels]float32
	var sum float64
	for k, z := range logits {
		e := math.Exp(float64((z - mx) / t))
		p[k] = float32(e)
		sum += e
	}
	for k := range p {
		p[k] = float32(float64(p[k]) / sum)
	}
	return p
}

// DocumentLabel aggregates the probabilities of an entity's mentions into
// the document's stance toward it: the weighted mean probabilities, and a
// label that is hostile or cooperative when that mean reaches the model's
// document threshold, beats the other side, and at least one mention is
// labelled that side; neutral otherwise. Most mentions in news are
// factual, so the plain argmax of the mean would call almost every entity
// neutral even in a polemic; but a document never takes a side that none
// of its mentions takes. weights gives each
// mention's weight (all 1 when nil); a mention with weight 0 counts only
// when every weight is 0.
func (m *Model) DocumentLabel(mentions [][NumLabels]float32, weights []float32) (Label, [NumLabels]float32) {
	var mean [NumLabels]float32
	if len(mentions) == 0 {
		mean[Neutral] = 1
		return Neutral, mean
	}
	var total float32
	for i, p := range mentions {
		w := float32(1)
		if weights != nil {
			w = max(weights[i], 0)
		}
		total += w
		for k := range mean {
			mean[k] += w * p[k]
		}
	}
	if !(total > 0) {
		return m.DocumentLabel(mentions, nil)
	}
	for k := range mean {
		mean[k] /= total
	}
	side := Hostile
	if mean[Cooperative] > mean[Hostile] {
		side = Cooperative
	}
	if mean[side] >= m.docThreshold && anyLabelled(mentions, side) {
		return side, mean
	}
	return Neutral, mean
}

// anyLabelled reports whether some mention's most probable label is l.
func anyLabelled(mentions [][NumLabels]float32, l Label) bool {
	for _, p := range mentions {
		if (Scores{Probs: p}).Label() == l {
			return true
		}
	}
	return false
}

// DocThreshold returns the document-level polar threshold.
func (m *Model) DocThreshold() float32 { return m.docThreshold }

// Temperature returns the calibration temperature.
func (m *Model) Temperature() float32 { return m.temperature }

// WithEvaluations returns a copy of m whose metadata records evals
// instead: scores measured after the fit (cross-validation) do not change
// the model's numbers, and so not its version. The copy shares m's
// weights.
func (m *Model) WithEvaluations(evals []Evaluation) *Model {
	c := *m
	c.meta.Evaluations = evals
	return &c
}
