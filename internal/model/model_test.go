package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestDocumentLabel(t *testing.T) {
	m, err := New(testParams()) // document threshold 0.3
	if err != nil {
		t.Fatal(err)
	}
	p := func(h, c, n float32) [NumLabels]float32 { return [NumLabels]float32{h, c, n} }
	tests := []struct {
		name     string
		mentions [][NumLabels]float32
		weights  []float32
		want     Label
	}{
		{"no mentions", nil, nil, Neutral},
		{"one neutral mention leaning hostile", [][NumLabels]float32{p(0.31, 0.01, 0.68)}, nil, Neutral},
		{"one hostile mention among factual ones", [][NumLabels]float32{p(0.9, 0.05, 0.05), p(0.1, 0.1, 0.8), p(0.05, 0.05, 0.9)}, nil, Hostile},
		{"mean under the threshold", [][NumLabels]float32{p(0.6, 0.1, 0.3), p(0.05, 0.05, 0.9), p(0.05, 0.05, 0.9)}, nil, Neutral},
		{"cooperative beats hostile", [][NumLabels]float32{p(0.1, 0.8, 0.1), p(0.5, 0.1, 0.4)}, nil, Cooperative},
		{"weights discount a mention", [][NumLabels]float32{p(0.9, 0.05, 0.05), p(0.1, 0.7, 0.2)}, []float32{0.1, 1}, Cooperative},
		{"all weights zero fall back to equal", [][NumLabels]float32{p(0.9, 0.05, 0.05)}, []float32{0}, Hostile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, mean := m.DocumentLabel(tt.mentions, tt.weights)
			if got != tt.want {
				t.Errorf("DocumentLabel = %v (mean %v), want %v", got, mean, tt.want)
			}
			if sum := mean[0] + mean[1] + mean[2]; sum < 0.999 || sum > 1.001 {
				t.Errorf("mean %v does not sum to 1", mean)
			}
		})
	}
}

// Contributions is each label's weight minus the row's mean, times the
// feature's value, over the temperature, bit for bit: evidence is ranked by
// these values.
func TestContributions(t *testing.T) {
	p := testParams()
	m, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []Feature{{Index: 3, Value: 1}, {Index: 200, Value: 0.7}, {Index: 9, Value: 2}} {
		w := p.Weights[int(f.Index)*NumLabels : int(f.Index)*NumLabels+NumLabels]
		mean := (w[0] + w[1] + w[2]) / NumLabels
		all := m.Contributions(f)
		for _, l := range Labels {
			if want := f.Value * (w[l] - mean) / p.Temperature; math.Float32bits(want) != math.Float32bits(all[l]) {
				t.Errorf("feature %+v label %s: Contributions %v, want %v", f, l, all[l], want)
			}
		}
		if all == [NumLabels]float32{} && f.Index != 9 {
			t.Errorf("feature %+v: no contribution", f)
		}
	}
}

// A packed model scores and explains bit for bit as its full table does,
// zero buckets (and a -0 weight, which is not zero) included.
func TestPackedRows(t *testing.T) {
	const bits = 12
	p := Params{Meta: Metadata{Version: "v"}, Bits: bits, Weights: make([]float32, NumLabels<<bits), Temperature: 0.9, Bias: [NumLabels]float32{0.1, -0.2, 0}}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 1<<bits; i++ {
		if rng.IntN(20) == 0 {
			for k := range NumLabels {
				p.Weights[i*NumLabels+k] = float32(rng.NormFloat64())
			}
		}
	}
	p.Weights[7*NumLabels+1] = float32(math.Copysign(0, -1))
	m, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	if m.packed == nil {
		t.Fatal("a 4096-bucket model is not packed")
	}
	full := *m
	full.packed = nil
	for range 200 {
		var fs []Feature
		for range rng.IntN(40) {
			fs = append(fs, Feature{Index: uint32(rng.IntN(1 << bits)), Value: float32(rng.Float64() * 2)})
		}
		fs = append(fs, Feature{Index: 7, Value: -1})
		if got, want := m.Score(fs), full.Score(fs); got != want {
			t.Fatalf("packed Score %v, want %v", got, want)
		}
		for _, f := range fs {
			if got, want := m.Contributions(f), full.Contributions(f); got != want {
				t.Fatalf("packed Contributions(%+v) %v, want %v", f, got, want)
			}
		}
	}
	// A model whose packed rows would not stay in a core's cache keeps its
	// full table.
	if packRows(make([]row, 1<<16), 0) == nil {
		t.Error("an all-zero table of 65,536 buckets is not packed")
	}
	dense := make([]row, 1<<16)
	for i := range dense {
		dense[i].w[0] = 1
	}
	if packRows(dense, len(dense)) != nil {
		t.Error("65,536 non-zero rows are packed")
	}
	// The count of non-zero weights alone rules a large model out.
	if packRows(make([]row, 1<<16), 3<<16) != nil {
		t.Error("a model said to hold 196,608 non-zero weights is packed")
	}
}
