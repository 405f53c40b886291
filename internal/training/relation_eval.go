package training

import (
	"context"
	"fmt"
	"slices"

	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/dataset"
	"github.com/stance/classifierd/internal/evaluation"
	"github.com/stance/classifierd/internal/model"
)

// EvaluateRelations classifies each example with the built-in gazetteer,
// its gold target spans as the caller's spans (and, with holders, its
// gold holder spans too), and scores the relations returned.
func EvaluateRelations(c *classifier.Classifier, exs []dataset.Example, holders bool) (evaluation.RelationMetrics, error) {
	return evaluateOutcomes(c, exs, func(c *classifier.Classifier, ex dataset.Example) ([]evaluation.RelationPair, []evaluation.RelationPair, error) {
		return relationOutcome(c, ex, holders)
	})
}

// relationOutcomeFunc classifies one example and returns its gold
// relations and the relations returned for it.
type relationOutcomeFunc func(c *classifier.Classifier, ex dataset.Example) (gold, got []evaluation.RelationPair, err error)

// evaluateOutcomes scores each example's outcome.
func evaluateOutcomes(c *classifier.Classifier, exs []dataset.Example, outcome relationOutcomeFunc) (evaluation.RelationMetrics, error) {
	var m evaluation.RelationMetrics
	for _, ex := range exs {
		gold, got, err := outcome(c, ex)
		if err != nil {
			return m, err
		}
		if gold != nil || got != nil {
			m.Add(gold, got)
		}
	}
	return m, nil
}

// goldRelation is a labelled pair as the metrics read it.
func goldRelation(g goldPair) evaluation.RelationPair {
	return evaluation.RelationPair{HolderStart: g.span.Holder.Start, HolderEnd: g.span.Holder.End,
		TargetStart: g.span.Target.Start, TargetEnd: g.span.Target.End, HolderName: g.holderName, TargetName: g.targetName, Label: g.label}
}

// returnedRelation is a relation the service returned as the metrics read
// it.
func returnedRelation(r classifier.Relation) evaluation.RelationPair {
	return evaluation.RelationPair{HolderStart: r.Holder.Span.Start, HolderEnd: r.Holder.Span.End,
		TargetStart: r.Target.Span.Start, TargetEnd: r.Target.Span.End,
		HolderName: r.Holder.Entity.Name, TargetName: r.Target.Entity.Name, Label: r.Label}
}

// relationOutcome classifies one example as EvaluateRelations does and
// returns its gold relations (hostile and cooperative pairs) and the
// relations returned; both are nil for an example with no target.
func relationOutcome(c *classifier.Classifier, ex dataset.Example, holders bool) (gold, got []evaluation.RelationPair, err error) {
	allSpans, pairs, err := relationPairs(ex)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", ex.ID, err)
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
		return nil, nil, nil
	}
	res, err := c.Classify(context.Background(), classifier.Request{Text: ex.Text, Spans: spans, Builtin: true})
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", ex.ID, err)
	}
	gold = make([]evaluation.RelationPair, len(golds))
	for i, g := range golds {
		gold[i] = goldRelation(g)
	}
	got = make([]evaluation.RelationPair, len(res.Relations))
	for i, r := range res.Relations {
		got[i] = returnedRelation(r)
	}
	return gold, got, nil
}

// EvaluateRelationsByTarget scores the relation stage as a caller who asks
// "what is said toward this span, and by whom" does: each gold target span
// of an example is classified alone, with the built-in gazetteer and no
// other span, so that the service must find the holder itself, as in a
// wire sentence that codes one event and marks only its target. Every gold
// relation toward the span is scored against the relations returned
// toward it; relations toward other parties are not counted.
//
// EvaluateRelations, which sends every marked actor as a span, scores the
// model's reading of given parties; this scores finding them too.
func EvaluateRelationsByTarget(c *classifier.Classifier, exs []dataset.Example) (evaluation.RelationMetrics, error) {
	return evaluateOutcomes(c, exs, relationOutcomeByTarget)
}

// relationOutcomeByTarget classifies one example as
// EvaluateRelationsByTarget does, once per labelled target span (those of
// pairs labelled none too, so that a relation returned toward them counts
// against precision), and returns its gold relations and, of each
// classification, the relations returned toward its span; both are nil
// for an example with no labelled pair.
func relationOutcomeByTarget(c *classifier.Classifier, ex dataset.Example) (gold, got []evaluation.RelationPair, err error) {
	_, pairs, err := relationPairs(ex)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", ex.ID, err)
	}
	var done []classifier.Span
	for _, p := range pairs {
		target := p.span.Target
		if p.label != model.Neutral {
			gold = append(gold, goldRelation(p))
		}
		if slices.Contains(done, target) {
			continue
		}
		done = append(done, target)
		res, err := c.Classify(context.Background(), classifier.Request{Text: ex.Text, Spans: []classifier.Span{target}, Builtin: true})
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", ex.ID, err)
		}
		for _, r := range res.Relations {
			if r.Target.Span == target {
				got = append(got, returnedRelation(r))
			}
		}
	}
	return gold, got, nil
}
