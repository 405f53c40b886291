package training

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stance/classifierd/internal/evaluation"
)

// TestRelationFolds: every sentence id has one fold (a repeated id, even
// in another source, goes with its first), each source's ids are dealt
// evenly over the folds, and the deal depends only on the ids.
func TestRelationFolds(t *testing.T) {
	var ids []string
	var srcs []int
	for s, n := range []int{103, 57, 12} {
		for i := range n {
			ids = append(ids, fmt.Sprintf("rel-%c-%04d", 'a'+s, i))
			srcs = append(srcs, s)
		}
	}
	// Repeats: the same sentence id again in its source and in another.
	ids = append(ids, "rel-a-0007", "rel-a-0042")
	srcs = append(srcs, 0, 2)
	const k = 5
	fold := relationFolds(ids, srcs, k)
	first := map[string]int{}
	count := map[[2]int]int{}
	for i, id := range ids {
		if f, ok := first[id]; ok {
			if fold[i] != f {
				t.Errorf("%s in folds %d and %d", id, f, fold[i])
			}
			continue
		}
		first[id] = fold[i]
		if fold[i] < 0 || fold[i] >= k {
			t.Fatalf("%s in fold %d of %d", id, fold[i], k)
		}
		count[[2]int{srcs[i], fold[i]}]++
	}
	for s := range 3 {
		lo, hi := len(ids), 0
		for f := range k {
			lo, hi = min(lo, count[[2]int{s, f}]), max(hi, count[[2]int{s, f}])
		}
		if hi-lo > 1 || lo == 0 {
			t.Errorf("source %d: ids per fold from %d to %d", s, lo, hi)
		}
	}
	// The deal is by id: reversing the input order changes no fold.
	rev, revSrc := make([]string, len(ids)), make([]int, len(ids))
	for i := range ids {
		rev[len(ids)-1-i], revSrc[len(ids)-1-i] = ids[i], srcs[i]
	}
	rev = rev[2:] // drop the repeats, so that each id keeps its source
	revSrc = revSrc[2:]
	revFold := relationFolds(rev, revSrc, k)
	for i, id := range rev {
		if revFold[i] != first[id] {
			t.Errorf("%s: fold %d in reverse order, %d in order", id, revFold[i], first[id])
		}
	}
}

// TestRelationCVScores: pooled scores add the sentences' counts, a run
// compared with itself differs by exactly 0, and saved counts read back.
func TestRelationCVScores(t *testing.T) {
	r := &RelationCVResult{Folds: 2, IDs: []string{"s1", "s2", "s3"}, Sets: []string{"a", "a", "b"}, Per: []evaluation.RelationMetrics{
		{Gold: 2, Found: 2, Right: 1, Returned: 2, Correct: 1},
		{Gold: 1, Found: 1, Right: 1, Returned: 2, Correct: 1},
		{Gold: 1, Returned: 1},
	}}
	sc := r.Scores(200)
	if len(sc) != 3 || sc[0].Set != "all" || sc[0].Gold != 4 || sc[0].Right != 2 || sc[0].Returned != 5 || sc[0].Correct != 2 {
		t.Fatalf("scores %+v", sc)
	}
	if sc[1].Set != "a" || sc[1].Recall() != 2.0/3 || sc[1].Precision() != 0.5 {
		t.Errorf("set a: %+v", sc[1])
	}
	if sc[0].RecallLo > sc[0].Recall() || sc[0].RecallHi < sc[0].Recall() {
		t.Errorf("recall %.3f outside its interval [%.3f, %.3f]", sc[0].Recall(), sc[0].RecallLo, sc[0].RecallHi)
	}
	d, err := CompareRelations(r, r, 200)
	if err != nil {
		t.Fatal(err)
	}
	if d != (RelationCVDelta{}) {
		t.Errorf("a run against itself: %+v", d)
	}
	var buf bytes.Buffer
	if err := r.Save(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ReadRelationCV(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, back); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}
}

// TestScaledBy: a relation source's Weight scales its examples' weights,
// unmarked pairs' included, on copies; unset or 1 leaves them.
func TestScaledBy(t *testing.T) {
	exs := append([]example{newExample(nil, 0, 1)}, scaledBy([]example{newExample(nil, 0, 1)}, 2)...)
	got := scaledBy(exs, 0.5)
	if got[0].weight != 0.5 || got[1].weight != 1 {
		t.Errorf("weights %v and %v at 0.5, want 0.5 and 1", got[0].weight, got[1].weight)
	}
	if exs[0].weight != 1 || exs[1].weight != 2 {
		t.Errorf("the source's examples changed: %v and %v", exs[0].weight, exs[1].weight)
	}
	if got := scaledBy(exs, 0); &got[0] != &exs[0] {
		t.Error("an unset weight copied the examples")
	}
}
