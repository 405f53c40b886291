package training

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stance/classifierd/internal/model"
)

// synthetic returns n examples over 3 informative features, one per
// label, plus noise features; a fraction flip of the labels is replaced by
// a random one.
func synthetic(n int, flip float64, seed uint64) []example {
	rng := rand.New(rand.NewPCG(seed, 7))
	exs := make([]example, n)
	for i := range exs {
		l := model.Label(rng.IntN(model.NumLabels))
		fs := []model.Feature{{Index: uint32(l), Value: 1}, {Index: uint32(10 + rng.IntN(50)), Value: 1}}
		if rng.Float64() < flip {
			l = model.Label(rng.IntN(model.NumLabels))
		}
		exs[i] = newExample(fs, l, 1)
	}
	return exs
}

func testFit() FitConfig {
	return FitConfig{Bits: 8, Epochs: 5, L2: 1e-4, LearningRate: 0.1, Runs: 2, Seed: 1}
}

func accuracy(t *testing.T, p model.Params, exs []example) float64 {
	t.Helper()
	p.Meta.Version = "test"
	m, err := model.New(p)
	if err != nil {
		t.Fatal(err)
	}
	right := 0
	for _, e := range exs {
		fs := make([]model.Feature, len(e.idx))
		for j := range e.idx {
			fs[j] = model.Feature{Index: e.idx[j], Value: e.val[j]}
		}
		if m.Score(fs).Label() == e.label {
			right++
		}
	}
	return float64(right) / float64(len(exs))
}

// TestFitLearnsSeparableData: on labels that one feature each decides, the
// fit gets every held-out example right.
func TestFitLearnsSeparableData(t *testing.T) {
	p := testFit().fit(synthetic(600, 0, 1), synthetic(200, 0, 2))
	if acc := accuracy(t, p, synthetic(300, 0, 3)); acc != 1 {
		t.Errorf("accuracy %.3f on separable data, want 1", acc)
	}
}

// TestFitRegularisation: a stronger L2 gives smaller weights.
func TestFitRegularisation(t *testing.T) {
	norm := func(l2 float64) float64 {
		cfg := testFit()
		cfg.L2 = l2
		p := cfg.fit(synthetic(600, 0.1, 1), nil)
		var s float64
		for _, w := range p.Weights {
			s += float64(w) * float64(w)
		}
		return math.Sqrt(s)
	}
	weak, strong := norm(1e-5), norm(0.1)
	if !(strong < 0.8*weak) {
		t.Errorf("weight norm %.3f with L2 0.1, %.3f with 1e-5: regularisation does not shrink", strong, weak)
	}
}

// TestFitCalibration: held-out labels that are often wrong call for a
// higher temperature (softer probabilities) than clean ones.
func TestFitCalibration(t *testing.T) {
	train := synthetic(600, 0, 1)
	clean := testFit().fit(append([]example(nil), train...), synthetic(300, 0, 2))
	noisy := testFit().fit(append([]example(nil), train...), synthetic(300, 0.5, 2))
	if !(noisy.Temperature > clean.Temperature) || noisy.Temperature <= 1 {
		t.Errorf("temperature %.2f on noisy held-out labels, %.2f on clean ones", noisy.Temperature, clean.Temperature)
	}
}

// TestBalance: with ClassBalance 1 every label weighs the same in all.
func TestBalance(t *testing.T) {
	var exs []example
	for i := range 100 {
		l := model.Neutral
		if i < 10 {
			l = model.Cooperative
		} else if i < 40 {
			l = model.Hostile
		}
		exs = append(exs, example{label: l, weight: 1})
	}
	balance(exs, 1)
	var sum [model.NumLabels]float64
	for _, e := range exs {
		sum[e.label] += float64(e.weight)
	}
	for k := 1; k < model.NumLabels; k++ {
		if math.Abs(sum[k]-sum[0]) > 1e-3 {
			t.Fatalf("label weights %v after full balancing", sum)
		}
	}
}

// TestFitDeterministic: the same data and settings give the same numbers.
func TestFitDeterministic(t *testing.T) {
	a := testFit().fit(synthetic(300, 0.2, 1), synthetic(100, 0.2, 2))
	b := testFit().fit(synthetic(300, 0.2, 1), synthetic(100, 0.2, 2))
	if version(a) != version(b) {
		t.Error("two fits of the same data differ")
	}
}

// TestVersionCoversThreshold: models that differ only in their decision
// threshold label differently, so their versions differ.
func TestVersionCoversThreshold(t *testing.T) {
	a := testFit().fit(synthetic(300, 0.2, 1), synthetic(100, 0.2, 2))
	b := a
	a.DocThreshold, b.DocThreshold = 0.375, 0.4
	if version(a) == version(b) {
		t.Error("thresholds 0.375 and 0.4 give one version")
	}
}
