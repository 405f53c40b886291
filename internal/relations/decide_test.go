package relations

import (
	"math/rand/v2"
	"testing"

	"github.com/stance/classifierd/internal/model"
)

// Unreachable never hides a relation that Decide would find, also where
// the logits are a hair apart.
func TestUnreachable(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	skipped := 0
	for range 200000 {
		for _, temp := range []float32{0.5, 0.9, 1, 2, 10} {
			// Logits about the bound: the neutral one's, less the
			// temperature times logit(Floor), a hair either side.
			n := float32(rng.NormFloat64() * 30)
			edge := n + min(0, temp*floorLogit)
			l := [model.NumLabels]float32{n, n, n}
			for _, k := range []model.Label{model.Hostile, model.Cooperative} {
				switch rng.IntN(3) {
				case 0:
					l[k] = n + float32(rng.NormFloat64()*5)
				case 1:
					l[k] = edge - float32(rng.Float64()*0.003)
				default:
					l[k] = edge + float32(rng.NormFloat64()*0.01)
				}
			}
			if !Unreachable(l, temp) {
				continue
			}
			skipped++
			if got := Decide(model.Softmax(l, temp)); got != model.Neutral {
				t.Fatalf("logits %v at temperature %v: Unreachable, but Decide finds %v", l, temp, got)
			}
		}
	}
	if skipped == 0 {
		t.Fatal("Unreachable held for no logits")
	}
}

// TestReturned: of the relations Decide finds, the service returns those
// from Threshold, and never a pair Decide finds none in.
func TestReturned(t *testing.T) {
	mid := float32(Floor+Threshold) / 2
	for _, tc := range []struct {
		p    [model.NumLabels]float32
		want bool
	}{
		{[model.NumLabels]float32{Threshold, 0, 1 - Threshold}, true},
		{[model.NumLabels]float32{0, Threshold, 1 - Threshold}, true},
		{[model.NumLabels]float32{mid, 0, 1 - mid}, Floor == Threshold},
		{[model.NumLabels]float32{0, mid, 1 - mid}, Floor == Threshold},
		{[model.NumLabels]float32{Floor / 2, Floor / 2, 1 - Floor}, false},
	} {
		l := Decide(tc.p)
		if got := Returned(l, tc.p); got != tc.want {
			t.Errorf("Returned(%v, %v) = %v, want %v", l, tc.p, got, tc.want)
		}
	}
	if Floor > Threshold {
		t.Errorf("Floor %v above Threshold %v: the later stages would miss returned relations", Floor, Threshold)
	}
}
