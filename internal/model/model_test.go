package model

import (
	"math"
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
