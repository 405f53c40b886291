package evaluation

import (
	"fmt"
	"strings"

	"github.com/stance/classifierd/internal/model"
)

// RelationPair is a holder -> target relation as the relation scores
// compare them: UTF-8 byte spans, the actors' names, and the label (for a
// gold pair, Neutral is "no relation").
type RelationPair struct {
	HolderStart, HolderEnd, TargetStart, TargetEnd int
	HolderName, TargetName                         string
	Label                                          model.Label
}

// RelationMetrics score the relation stage on sentences whose holder ->
// target pairs are labelled: for each gold relation (hostile or
// cooperative), whether the service returns a relation toward the gold
// target span from the right holder, with the right label; and for each
// relation returned in a labelled sentence, whether a gold relation backs
// it.
type RelationMetrics struct {
	// Gold is the number of gold relations; Found those with a returned
	// relation of the right holder toward the target; Right those whose
	// label is right too.
	Gold, Found, Right int
	// Returned is the number of relations returned in the sentences;
	// Correct those that match a gold relation, holder, target and label.
	Returned, Correct int
	// Per label: gold, right, returned and correct counts.
	PerLabel [model.NumLabels]struct{ Gold, Right, Returned, Correct int }
}

// Recall is the share of gold relations returned with the right holder
// and label.
func (m RelationMetrics) Recall() float64 { return ratio(m.Right, m.Gold) }

// Precision is the share of returned relations that a gold one backs.
func (m RelationMetrics) Precision() float64 { return ratio(m.Correct, m.Returned) }

// F1 is the harmonic mean of Recall and Precision.
func (m RelationMetrics) F1() float64 { return f1(m.Precision(), m.Recall()) }

// f1 is the harmonic mean of precision p and recall r (0 when both are).
func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func (m RelationMetrics) String() string {
	return fmt.Sprintf("gold=%d holder+label right=%.3f (found %.3f) returned=%d precision=%.3f",
		m.Gold, m.Recall(), ratio(m.Found, m.Gold), m.Returned, m.Precision())
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Evaluation records the metrics in model metadata: Targets is the number
// of gold relations, Accuracy the recall (right holder and label), MacroF1
// the mean over hostile and cooperative of the F1 of recall and precision.
func (m RelationMetrics) Evaluation(name string) model.Evaluation {
	e := model.Evaluation{Dataset: name, Targets: m.Gold, Accuracy: m.Recall()}
	var f1s float64
	for _, l := range []model.Label{model.Hostile, model.Cooperative} {
		pl := m.PerLabel[l]
		p, r := ratio(pl.Correct, pl.Returned), ratio(pl.Right, pl.Gold)
		f := f1(p, r)
		f1s += f
		e.PerClass = append(e.PerClass, model.ClassScore{Label: l.String(), Precision: p, Recall: r, F1: f, Support: pl.Gold})
	}
	e.MacroF1 = f1s / 2
	return e
}

// Add scores one sentence or document: gold are its labelled pairs (the
// Neutral ones are ignored), got the relations returned for it. A gold
// relation is found when a relation toward its exact target span comes
// from its holder (the spans overlap, or the holder's entity bears the
// gold holder's name: another mention of the same actor); a returned
// relation is correct when a gold one of its label matches it, holder and
// target each by overlap or name.
func (m *RelationMetrics) Add(gold, got []RelationPair) {
	holderOK := func(r, g *RelationPair) bool {
		return r.HolderStart < g.HolderEnd && g.HolderStart < r.HolderEnd || sameName(r.HolderName, g.HolderName)
	}
	for i := range gold {
		g := &gold[i]
		if g.Label == model.Neutral {
			continue
		}
		m.Gold++
		m.PerLabel[g.Label].Gold++
		found, right := false, false
		for j := range got {
			r := &got[j]
			if r.TargetStart == g.TargetStart && r.TargetEnd == g.TargetEnd && holderOK(r, g) {
				found = true
				right = right || r.Label == g.Label
			}
		}
		if found {
			m.Found++
		}
		if right {
			m.Right++
			m.PerLabel[g.Label].Right++
		}
	}
	for j := range got {
		r := &got[j]
		m.Returned++
		m.PerLabel[r.Label].Returned++
		for i := range gold {
			g := &gold[i]
			targetOK := r.TargetStart < g.TargetEnd && g.TargetStart < r.TargetEnd || sameName(r.TargetName, g.TargetName)
			if g.Label != model.Neutral && r.Label == g.Label && targetOK && holderOK(r, g) {
				m.Correct++
				m.PerLabel[r.Label].Correct++
				break
			}
		}
	}
}

// Merge adds o's counts to m, times times: the sum of metrics over
// several sets, or a set drawn several times in a bootstrap resample.
func (m *RelationMetrics) Merge(o RelationMetrics, times int) {
	m.Gold += times * o.Gold
	m.Found += times * o.Found
	m.Right += times * o.Right
	m.Returned += times * o.Returned
	m.Correct += times * o.Correct
	for l := range m.PerLabel {
		m.PerLabel[l].Gold += times * o.PerLabel[l].Gold
		m.PerLabel[l].Right += times * o.PerLabel[l].Right
		m.PerLabel[l].Returned += times * o.PerLabel[l].Returned
		m.PerLabel[l].Correct += times * o.PerLabel[l].Correct
	}
}

// sameName compares an entity's name with a gold canonical name.
func sameName(a, b string) bool { return a != "" && strings.EqualFold(a, b) }
