package document

import (
	"testing"

	"github.com/stance/classifierd/internal/model"
)

func sum(fs []model.Feature, w []float32) float32 {
	var s float32
	for _, f := range fs {
		s += f.Value * w[f.Index]
	}
	return s
}

// TestFeaturesFollowInput: the same input gives the same features, every
// index is in range, and the stance signals move the features: a model
// with weight on every bucket scores two inputs differently when their
// mention means differ, or when one entity only speaks.
func TestFeaturesFollowInput(t *testing.T) {
	base := Input{Type: 1, Mentions: 3, Salience: 0.4, Mean: [3]float32{0.6, 0.1, 0.3}, Weighted: [3]float32{0.6, 0.1, 0.3},
		Max: [3]float32{0.9, 0.2, 0.5}, Share: [3]float32{0.67, 0, 0.33}, First: 0.1}
	a := Features(nil, &base)
	b := Features(nil, &base)
	if len(a) != len(b) {
		t.Fatal("features differ between two calls")
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("feature %d differs between two calls: %v, %v", i, a[i], b[i])
		}
		if a[i].Index >= 1<<Bits {
			t.Fatalf("index %d out of range", a[i].Index)
		}
	}
	w := make([]float32, 1<<Bits)
	for i := range w {
		w[i] = float32(hash(uint64(i)+1)%1000)/1000 - 0.5 // distinct per bucket
	}
	other := base
	other.Mean = [3]float32{0.1, 0.6, 0.3}
	if sum(a, w) == sum(Features(nil, &other), w) {
		t.Error("a different mention mean gives the same score")
	}
	speaker := base
	speaker.Speaks = 1
	if sum(a, w) == sum(Features(nil, &speaker), w) {
		t.Error("an entity that speaks scores as one that does not")
	}
}

func BenchmarkFeatures(b *testing.B) {
	in := Input{Type: 1, Mentions: 3, Salience: 0.4, Mean: [3]float32{0.6, 0.1, 0.3}, LeadMentions: 1}
	var fs []model.Feature
	b.ReportAllocs()
	for b.Loop() {
		fs = Features(fs[:0], &in)
	}
}
