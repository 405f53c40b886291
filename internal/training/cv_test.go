package training

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stance/classifierd/internal/model"
)

// syntheticCV returns CV data over synthetic examples: two gold sources
// and a weak one, groups of three targets.
func syntheticCV(n int) *CVData {
	d := &CVData{bits: 8, Sources: []Source{
		{Name: "a", Domain: "newsmtsc"}, {Name: "b", Domain: "geo"}, {Name: "w", Domain: "persent", Format: FormatPerSenT, Weight: 0.5},
	}}
	for i, e := range synthetic(n, 0, 4) {
		src := (i / 3) % 3
		g := int32(i / 3)
		if int(g) == len(d.groups) {
			d.groups = append(d.groups, src)
		}
		d.items = append(d.items, cvItem{e: e, dom: domainKey(d.Sources[src].Domain), group: g, source: int16(src), multi: i%2 == 0})
	}
	return d
}

// TestFoldsStratified: every source's groups are dealt evenly over the
// folds (a group has one fold by construction).
func TestFoldsStratified(t *testing.T) {
	d := syntheticCV(900)
	fold := d.folds(5)
	count := map[[2]int]int{}
	for g, s := range d.groups {
		count[[2]int{s, fold[g]}]++
	}
	for s := range d.Sources {
		lo, hi := math.MaxInt, 0
		for f := range 5 {
			lo, hi = min(lo, count[[2]int{s, f}]), max(hi, count[[2]int{s, f}])
		}
		if hi-lo > 1 || lo == 0 {
			t.Errorf("source %d: groups per fold from %d to %d", s, lo, hi)
		}
	}
}

// TestRunLearnsSeparable: on data one feature decides, every out-of-fold
// prediction is right, and weak labels are scored apart.
func TestRunLearnsSeparable(t *testing.T) {
	r := syntheticCV(900).Run(CVOptions{FitConfig: testFit(), Bootstrap: 200})
	for _, set := range []string{"all", "newsmtsc", "geo", "persent (weak)"} {
		s, ok := r.Score(set)
		if !ok {
			t.Fatalf("no score for %s", set)
		}
		if s.PooledF1 != 1 || s.PooledLo != 1 || len(s.FoldF1) != 5 {
			t.Errorf("%s: %+v, want perfect scores over 5 folds", set, s)
		}
	}
	all, _ := r.Score("all")
	if all.N != 600 {
		t.Errorf("all has %d targets, want the 600 gold ones", all.N)
	}
	if s, _ := r.Score("persent (weak)"); !s.Weak {
		t.Error("PerSenT not marked weak")
	}
}

// TestCompare: a run against itself differs by exactly 0; a run with
// noisy labels left out of training is no worse.
func TestCompare(t *testing.T) {
	d := syntheticCV(900)
	r := d.Run(CVOptions{FitConfig: testFit(), Bootstrap: 100})
	got, err := Compare(r, r, "all", 100)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(CVDelta{Set: "all"}, got); diff != "" {
		t.Errorf("self comparison (-want +got):\n%s", diff)
	}
	if _, err := Compare(r, syntheticCV(300).Run(CVOptions{FitConfig: testFit()}), "all", 100); err == nil {
		t.Error("runs over different data compared without error")
	}
}

func TestMeanInterval(t *testing.T) {
	mean, half := meanInterval([]float64{1, 2, 3, 4, 5})
	// sd = sqrt(2.5), t(4) = 2.776.
	if want := 2.776 * math.Sqrt(2.5) / math.Sqrt(5); mean != 3 || math.Abs(half-want) > 1e-9 {
		t.Errorf("meanInterval = %v ± %v, want 3 ± %v", mean, half, want)
	}
}

func TestConfusionScores(t *testing.T) {
	var c confusion
	c[model.Hostile][model.Hostile] = 2
	c[model.Hostile][model.Neutral] = 2
	c[model.Neutral][model.Neutral] = 4
	acc, f1 := c.scores()
	// hostile P=1 R=.5 F=2/3; neutral P=4/6 R=1 F=.8; cooperative 0.
	if math.Abs(acc-0.75) > 1e-9 || math.Abs(f1-(2.0/3+0.8)/3) > 1e-9 {
		t.Errorf("scores = %v, %v", acc, f1)
	}
}

// TestDomainCopy: the shared features stay first and unchanged, and each
// domain's copy is its own, within the hash width.
func TestDomainCopy(t *testing.T) {
	e := newExample([]model.Feature{{Index: 3, Value: 1}, {Index: 200, Value: 0.5}}, model.Hostile, 2)
	a, b := domainCopy(e, domainKey("geo"), 8), domainCopy(e, domainKey("newsmtsc"), 8)
	if diff := cmp.Diff(e.idx, a.idx[:2]); diff != "" || a.val[2] != 1 || a.val[3] != 0.5 || a.weight != 2 {
		t.Errorf("copy changed the shared features: %v %v", a.idx, a.val)
	}
	if cmp.Equal(a.idx[2:], b.idx[2:]) {
		t.Errorf("two domains share copy indices %v", a.idx[2:])
	}
	for _, i := range a.idx {
		if i >= 1<<8 {
			t.Errorf("index %d beyond 8 bits", i)
		}
	}
	if got := domainCopy(e, 0, 8); len(got.idx) != 2 {
		t.Errorf("no domain gave %d features", len(got.idx))
	}
}

// TestRestore: saved predictions come back as the same scores, and are
// refused for other targets.
func TestRestore(t *testing.T) {
	d := syntheticCV(300)
	r := d.Run(CVOptions{FitConfig: testFit()})
	back, err := d.Restore(r.Predictions(), r.Folds)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r.Scores, back.Scores); diff != "" {
		t.Errorf("restored scores (-want +got):\n%s", diff)
	}
	other := syntheticCV(300)
	other.items[0].id++
	if _, err := other.Restore(r.Predictions(), r.Folds); err == nil {
		t.Error("predictions restored over other targets")
	}
}
