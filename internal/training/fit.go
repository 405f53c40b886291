package training

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/fnv"
	"math"
	"math/rand/v2"

	"github.com/stance/classifierd/internal/model"
)

// This file is the fitting core that every stage's trainer shares: a
// multinomial logistic regression over hashed features, fitted with
// AdaGrad and L2, averaged over several example orders, and calibrated by
// temperature scaling. A stage's trainer only builds examples.

// example is one labelled item's features: a mention, a pair of parties,
// or an entity of a document.
type example struct {
	idx    []uint32
	val    []float32
	label  model.Label
	weight float32
}

// newExample copies features into an example.
func newExample(fs []model.Feature, label model.Label, weight float32) example {
	e := example{label: label, weight: weight, idx: make([]uint32, len(fs)), val: make([]float32, len(fs))}
	for j, f := range fs {
		e.idx[j], e.val[j] = f.Index, f.Value
	}
	return e
}

// FitConfig are the settings of the fit.
type FitConfig struct {
	// Bits is the feature hash width.
	Bits uint
	// Epochs of AdaGrad over the training examples.
	Epochs int
	// L2 regularisation strength per example update.
	L2 float64
	// LearningRate is AdaGrad's base step.
	LearningRate float64
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
}

// fit fits weights on train and the temperature on holdout, and returns
// the model's numbers (without metadata). train's weights are rebalanced
// in place as ClassBalance says.
func (cfg FitConfig) fit(train, holdout []example) model.Params {
	balance(train, cfg.ClassBalance)
	weights, bias := fitRuns(cfg, train)
	temp := fitTemperature(weights, bias, holdout)
	return model.Params{Bits: cfg.Bits, Weights: weights, Bias: bias, Temperature: temp}
}

// hyperparameters returns the fit's settings as a model's metadata
// records them, with the share of examples held out for the temperature
// and the stage's own settings (extra, which may be nil).
func (cfg FitConfig) hyperparameters(holdout float64, extra map[string]float64) map[string]float64 {
	h := map[string]float64{
		"hash_bits": float64(cfg.Bits), "epochs": float64(cfg.Epochs), "l2": cfg.L2,
		"learning_rate": cfg.LearningRate, "holdout": holdout, "seed": float64(cfg.Seed),
		"class_balance": cfg.ClassBalance, "runs": float64(max(cfg.Runs, 1)),
	}
	for k, v := range extra {
		h[k] = v
	}
	return h
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
func fitRuns(cfg FitConfig, exs []example) ([]float32, [model.NumLabels]float32) {
	runs := max(cfg.Runs, 1)
	weights, bias := fitOnce(cfg, exs)
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
		add(fitOnce(c, exs))
	}
	for i, x := range sum {
		weights[i] = float32(x / float64(runs))
	}
	for k, x := range bsum {
		bias[k] = float32(x / float64(runs))
	}
	return weights, bias
}

// fitOnce runs AdaGrad on the multinomial logistic loss with L2.
func fitOnce(cfg FitConfig, exs []example) ([]float32, [model.NumLabels]float32) {
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
	// The decision threshold changes the labels as much as a weight does:
	// two models that label differently must not share a version.
	for _, x := range [2]float32{p.Temperature, p.DocThreshold} {
		binary.LittleEndian.PutUint32(buf[:], math.Float32bits(x))
		h.Write(buf[:])
	}
	return "stance-lr-" + hex.EncodeToString(h.Sum(nil))[:12]
}
