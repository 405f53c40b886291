// Package training fits the stance model: it extracts features for every
// labelled target with the serving pipeline's own Analyzer (so training
// and serving cannot drift apart), trains a multinomial logistic
// regression with AdaGrad and L2, calibrates it by temperature scaling on
// a held-out slice, and records its scores on the dev sets.
//
// Training is deterministic: the same data and Config give the same model
// bytes.
package training

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"math/rand/v2"
	"path/filepath"

	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/dataset"
	"github.com/stance/classifierd/internal/evaluation"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/model"
)

// Source is a named stance JSONL data set.
type Source struct {
	Name string
	Path string
	// Weight scales the loss of its examples (1 if zero).
	Weight float64
}

// Config holds the data and hyperparameters.
type Config struct {
	Train []Source
	Dev   []Source
	// Bits is the feature hash width.
	Bits uint
	// Epochs of AdaGrad over the training examples.
	Epochs int
	// L2 regularisation strength per example update.
	L2 float64
	// LearningRate is AdaGrad's base step.
	LearningRate float64
	// Holdout is the fraction of training targets kept aside to fit the
	// temperature.
	Holdout float64
	// DocThreshold is the document-level polar threshold.
	DocThreshold float64
	// ClassBalance reweights the loss toward rarer labels: each label's
	// examples weigh (n/(k·n_label))^ClassBalance, so 0 leaves the data as
	// it is and 1 balances the labels fully. Macro-F1 counts every label
	// alike, and cooperative stance is the rarest in news.
	ClassBalance float64
	// Runs is how many fits, each with its own example order (seeds Seed,
	// Seed+1, ...), are averaged into the model; the average of a few
	// orders varies much less than any one of them.
	Runs int
	// Seed drives the example order.
	Seed uint64
	// Description goes into the model metadata.
	Description string
}

// DefaultConfig returns the settings the embedded model is trained with,
// without data (see DefaultData). They were chosen with the grid of
// `stancetrain -tune` on the NewsMTSC dev sets and geo_dev.
func DefaultConfig() Config {
	return Config{Bits: 20, Epochs: 4, L2: 1e-4, LearningRate: 0.05, Holdout: 0.1, DocThreshold: 0.3,
		ClassBalance: 0.3, Runs: 5, Seed: 1,
		Description: "Multinomial logistic regression over hashed target-aware lexicon, role, clause and WordPiece context features; trained on NewsMTSC train and team-written geopolitical sentences."}
}

// DefaultGeoWeight is the loss weight of the team-written geopolitical
// examples: more than a NewsMTSC sentence, since they are what the service
// is for, but not so much that they drown out ten times as many others.
const DefaultGeoWeight = 1.5

// DefaultData returns the training and dev sets of the embedded model:
// shared is the shared data folder (../shared), root the repository root.
// The dev sets are never trained on.
func DefaultData(shared, root string, geoWeight float64) (train, dev []Source) {
	news := filepath.Join(shared, "data", "newsmtsc")
	geo := filepath.Join(root, "data", "geo")
	train = []Source{
		{Name: "newsmtsc/train", Path: filepath.Join(news, "train.stance.jsonl")},
		{Name: "team/geo_train_a", Path: filepath.Join(geo, "train_a.jsonl"), Weight: geoWeight},
		{Name: "team/geo_train_b", Path: filepath.Join(geo, "train_b.jsonl"), Weight: geoWeight},
		{Name: "team/geo_train_c", Path: filepath.Join(geo, "train_c.jsonl"), Weight: geoWeight},
	}
	dev = []Source{
		{Name: "newsmtsc/dev_rw", Path: filepath.Join(news, "dev_rw.stance.jsonl")},
		{Name: "newsmtsc/dev_mt", Path: filepath.Join(news, "dev_mt.stance.jsonl")},
		{Name: "team/geo_dev", Path: filepath.Join(geo, "dev_geo.jsonl")},
	}
	return train, dev
}

// example is one labelled target's features.
type example struct {
	idx    []uint32
	val    []float32
	label  model.Label
	weight float32
}

// Train fits a model. Progress goes to log.
func Train(cfg Config, an *classifier.Analyzer, log io.Writer) (*model.Model, error) {
	var train, holdout []example
	var datasets []model.Dataset
	for _, src := range cfg.Train {
		exs, err := dataset.ReadFile(src.Path)
		if err != nil {
			return nil, err
		}
		w := src.Weight
		if w == 0 {
			w = 1
		}
		n := 0
		err = extract(an, exs, float32(w), func(id string, e example) {
			n++
			if inHoldout(id, cfg.Holdout) {
				holdout = append(holdout, e)
			} else {
				train = append(train, e)
			}
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name, err)
		}
		datasets = append(datasets, model.Dataset{Name: src.Name, Targets: n})
		fmt.Fprintf(log, "train %s: %d targets\n", src.Name, n)
	}
	fmt.Fprintf(log, "fitting on %d targets, calibrating on %d\n", len(train), len(holdout))

	balance(train, cfg.ClassBalance)
	weights, bias := fitRuns(cfg, train)
	temp := fitTemperature(weights, bias, holdout)
	fmt.Fprintf(log, "temperature %.3f\n", temp)

	params := model.Params{Bits: cfg.Bits, Weights: weights, Bias: bias, Temperature: temp, DocThreshold: float32(cfg.DocThreshold)}
	params.Meta = model.Metadata{
		Version:        version(params),
		Description:    cfg.Description,
		LexiconVersion: an.Lexicon().Version(),
		TrainingData:   datasets,
		Hyperparameters: map[string]float64{
			"hash_bits": float64(cfg.Bits), "epochs": float64(cfg.Epochs), "l2": cfg.L2,
			"learning_rate": cfg.LearningRate, "holdout": cfg.Holdout, "seed": float64(cfg.Seed),
			"class_balance": cfg.ClassBalance, "runs": float64(max(cfg.Runs, 1)),
		},
	}
	m, err := model.New(params)
	if err != nil {
		return nil, err
	}
	c, err := classifier.New(an, m)
	if err != nil {
		return nil, err
	}
	for _, src := range cfg.Dev {
		exs, err := dataset.ReadFile(src.Path)
		if err != nil {
			return nil, err
		}
		met, err := Evaluate(c, exs)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name, err)
		}
		fmt.Fprintf(log, "dev %s: n=%d accuracy=%.4f macro-F1=%.4f ECE=%.4f\n", src.Name, met.N, met.Accuracy, met.MacroF1, met.ECE)
		params.Meta.Evaluations = append(params.Meta.Evaluations, met.Evaluation(src.Name))
	}
	return model.New(params)
}

// Evaluate classifies the targets of labelled examples and scores them.
func Evaluate(c *classifier.Classifier, exs []dataset.Example) (evaluation.Metrics, error) {
	var conf evaluation.Confusion
	for _, ex := range exs {
		golds := make([]model.Label, len(ex.Labels))
		for i, s := range ex.Labels {
			l, err := model.ParseLabel(s)
			if err != nil {
				return evaluation.Metrics{}, fmt.Errorf("%s: %w", ex.ID, err)
			}
			golds[i] = l
		}
		if len(golds) == 0 {
			continue
		}
		err := c.ScoreSpans(ex.Text, spansOf(ex), func(i int, probs [model.NumLabels]float32) {
			conf.Add(golds[i], probs)
		})
		if err != nil {
			return evaluation.Metrics{}, fmt.Errorf("%s: %w", ex.ID, err)
		}
	}
	return conf.Metrics(), nil
}

func spansOf(ex dataset.Example) []classifier.Span {
	spans := make([]classifier.Span, len(ex.Targets))
	for i, t := range ex.Targets {
		spans[i] = classifier.Span{Start: t.Start, End: t.End}
	}
	return spans
}

// extract computes the features of every labelled target.
func extract(an *classifier.Analyzer, exs []dataset.Example, weight float32, emit func(id string, e example)) error {
	for _, ex := range exs {
		if len(ex.Labels) == 0 {
			continue
		}
		labels := make([]model.Label, len(ex.Labels))
		for i, s := range ex.Labels {
			l, err := model.ParseLabel(s)
			if err != nil {
				return fmt.Errorf("%s: %w", ex.ID, err)
			}
			labels[i] = l
		}
		err := an.SpanFeatures(ex.Text, spansOf(ex), true, func(i int, fs []features.Feature) {
			e := example{label: labels[i], weight: weight, idx: make([]uint32, len(fs)), val: make([]float32, len(fs))}
			for j, f := range fs {
				e.idx[j], e.val[j] = f.Index, f.Value
			}
			emit(fmt.Sprintf("%s#%d", ex.ID, i), e)
		})
		if err != nil {
			return fmt.Errorf("%s: %w", ex.ID, err)
		}
	}
	return nil
}

// balance scales the weights of exs by label as Config.ClassBalance says.
func balance(exs []example, alpha float64) {
	if alpha == 0 || len(exs) == 0 {
		return
	}
	var n [model.NumLabels]float64
	var total float64
	for _, e := range exs {
		n[e.label] += float64(e.weight)
		total += float64(e.weight)
	}
	var scale [model.NumLabels]float32
	for k := range scale {
		if n[k] > 0 {
			scale[k] = float32(math.Pow(total/(model.NumLabels*n[k]), alpha))
		}
	}
	for i := range exs {
		exs[i].weight *= scale[exs[i].label]
	}
}

// inHoldout puts a fixed, id-determined fraction of targets aside.
func inHoldout(id string, frac float64) bool {
	h := fnv.New64a()
	h.Write([]byte(id))
	return float64(h.Sum64()%10000) < frac*10000
}

// fitRuns averages the weights of cfg.Runs fits with successive seeds.
func fitRuns(cfg Config, exs []example) ([]float32, [model.NumLabels]float32) {
	runs := max(cfg.Runs, 1)
	weights, bias := fit(cfg, exs)
	if runs == 1 {
		return weights, bias
	}
	sum := make([]float64, len(weights))
	var bsum [model.NumLabels]float64
	add := func(w []float32, b [model.NumLabels]float32) {
		for i, x := range w {
			sum[i] += float64(x)
		}
		for k, x := range b {
			bsum[k] += float64(x)
		}
	}
	add(weights, bias)
	for r := 1; r < runs; r++ {
		c := cfg
		c.Seed = cfg.Seed + uint64(r)
		add(fit(c, exs))
	}
	for i, x := range sum {
		weights[i] = float32(x / float64(runs))
	}
	for k, x := range bsum {
		bias[k] = float32(x / float64(runs))
	}
	return weights, bias
}

// fit runs AdaGrad on the multinomial logistic loss with L2.
func fit(cfg Config, exs []example) ([]float32, [model.NumLabels]float32) {
	n := model.NumLabels << cfg.Bits
	w := make([]float64, n)
	g2 := make([]float64, n)
	var b, bg2 [model.NumLabels]float64

	order := make([]int, len(exs))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
	const eps = 1e-8
	for epoch := 0; epoch < cfg.Epochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, ei := range order {
			e := &exs[ei]
			var z [model.NumLabels]float64
			z = b
			for j, idx := range e.idx {
				v := float64(e.val[j])
				base := int(idx) * model.NumLabels
				for k := range model.NumLabels {
					z[k] += v * w[base+k]
				}
			}
			p := softmax64(z)
			for k := range model.NumLabels {
				grad := p[k]
				if model.Label(k) == e.label {
					grad -= 1
				}
				grad *= float64(e.weight)
				bg2[k] += grad * grad
				b[k] -= cfg.LearningRate * grad / (math.Sqrt(bg2[k]) + eps)
				for j, idx := range e.idx {
					pos := int(idx)*model.NumLabels + k
					gk := grad*float64(e.val[j]) + cfg.L2*w[pos]
					g2[pos] += gk * gk
					w[pos] -= cfg.LearningRate * gk / (math.Sqrt(g2[pos]) + eps)
				}
			}
		}
	}
	out := make([]float32, n)
	for i, x := range w {
		out[i] = float32(x)
	}
	var bias [model.NumLabels]float32
	for k := range bias {
		bias[k] = float32(b[k])
	}
	return out, bias
}

func softmax64(z [model.NumLabels]float64) [model.NumLabels]float64 {
	mx := max(z[0], z[1], z[2])
	var p [model.NumLabels]float64
	var s float64
	for k := range z {
		p[k] = math.Exp(z[k] - mx)
		s += p[k]
	}
	for k := range p {
		p[k] /= s
	}
	return p
}

// fitTemperature picks the temperature that minimises the negative log
// likelihood of the held-out targets (a grid is plenty for one parameter).
func fitTemperature(w []float32, b [model.NumLabels]float32, exs []example) float32 {
	if len(exs) == 0 {
		return 1
	}
	logits := make([][model.NumLabels]float32, len(exs))
	for i, e := range exs {
		z := b
		for j, idx := range e.idx {
			for k := range model.NumLabels {
				z[k] += e.val[j] * w[int(idx)*model.NumLabels+k]
			}
		}
		logits[i] = z
	}
	best, bestNLL := float32(1), math.Inf(1)
	for t := float32(0.5); t <= 4.0001; t += 0.05 {
		var nll float64
		for i, e := range exs {
			p := model.Softmax(logits[i], t)
			nll -= math.Log(max(float64(p[e.label]), 1e-12))
		}
		if nll < bestNLL {
			best, bestNLL = t, nll
		}
	}
	return float32(math.Round(float64(best)*100) / 100)
}

// version names a model by a hash of its numbers, so that the same
// training run always gives the same name and any change a new one.
func version(p model.Params) string {
	h := sha256.New()
	var buf [4]byte
	for _, x := range p.Weights {
		binary.LittleEndian.PutUint32(buf[:], math.Float32bits(x))
		h.Write(buf[:])
	}
	for _, x := range p.Bias {
		binary.LittleEndian.PutUint32(buf[:], math.Float32bits(x))
		h.Write(buf[:])
	}
	binary.LittleEndian.PutUint32(buf[:], math.Float32bits(p.Temperature))
	h.Write(buf[:])
	return "stance-lr-" + hex.EncodeToString(h.Sum(nil))[:12]
}
