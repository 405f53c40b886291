package training

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/dataset"
	"github.com/stance/classifierd/internal/model"
)

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
		f := 0.0
		if p+r > 0 {
			f = 2 * p * r / (p + r)
		}
		f1s += f
		e.PerClass = append(e.PerClass, model.ClassScore{Label: l.String(), Precision: p, Recall: r, F1: f, Support: pl.Gold})
	}
	e.MacroF1 = f1s / 2
	return e
}

// EvaluateRelations classifies each example with the built-in gazetteer,
// its gold target spans as the caller's spans (and, with holders, its
// gold holder spans too), and scores the relations returned.
func EvaluateRelations(c *classifier.Classifier, exs []dataset.Example, holders bool) (RelationMetrics, error) {
	var m RelationMetrics
	for _, ex := range exs {
		allSpans, pairs, err := relationPairs(ex)
		if err != nil {
			return m, fmt.Errorf("%s: %w", ex.ID, err)
		}
		var spans []classifier.Span
		var golds []goldPair
		for _, p := range pairs {
			if !slices.Contains(spans, p.span.Target) {
				spans = append(spans, p.span.Target)
			}
			if p.label != model.Neutral {
				golds = append(golds, p)
			}
		}
		if holders {
			spans = allSpans
		}
		if len(spans) == 0 {
			continue
		}
		res, err := c.Classify(context.Background(), classifier.Request{Text: ex.Text, Spans: spans, Builtin: true})
		if err != nil {
			return m, fmt.Errorf("%s: %w", ex.ID, err)
		}
		for _, g := range golds {
			m.Gold++
			m.PerLabel[g.label].Gold++
			found, right := false, false
			for _, r := range res.Relations {
				if r.Target.Span == g.span.Target && (overlap(r.Holder.Span, g.span.Holder) || sameName(r.Holder.Entity.Name, g.holderName)) {
					found = true
					right = right || r.Label == g.label
				}
			}
			if found {
				m.Found++
			}
			if right {
				m.Right++
				m.PerLabel[g.label].Right++
			}
		}
		for _, r := range res.Relations {
			m.Returned++
			m.PerLabel[r.Label].Returned++
			for _, g := range golds {
				if (overlap(r.Target.Span, g.span.Target) || sameName(r.Target.Entity.Name, g.targetName)) &&
					(overlap(r.Holder.Span, g.span.Holder) || sameName(r.Holder.Entity.Name, g.holderName)) && r.Label == g.label {
					m.Correct++
					m.PerLabel[r.Label].Correct++
					break
				}
			}
		}
	}
	return m, nil
}

func overlap(a, b classifier.Span) bool { return a.Start < b.End && b.Start < a.End }

// sameName compares an entity's name with a gold canonical name: another
// mention of the same actor ("Moscow" for Russia) is the same holder.
func sameName(a, b string) bool { return a != "" && strings.EqualFold(a, b) }
