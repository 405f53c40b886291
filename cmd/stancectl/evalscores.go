package main

import (
	"fmt"
	"io"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/batch"
	"github.com/stance/classifierd/internal/evaluation"
	"github.com/stance/classifierd/internal/model"
)

// relationScore scores the relations of stance JSONL whose targets carry a
// holder, as evaluation.RelationMetrics does (the trainer's own scores of
// the relation model): gold relations returned with the right holder and
// label, and the share of returned relations that a gold one backs.
type relationScore struct {
	Documents int
	m         evaluation.RelationMetrics
}

func (s *relationScore) add(d *batch.Doc, resp *stancev1.ClassifyResponse) error {
	if len(d.Relations) == 0 {
		return nil
	}
	if e := resp.GetError(); e != nil {
		return fmt.Errorf("document %q: %s", d.ID, e.GetMessage())
	}
	gold := make([]evaluation.RelationPair, len(d.Relations))
	for i, g := range d.Relations {
		l := model.Neutral // "none": no relation
		if g.Label != "none" {
			var err error
			if l, err = model.ParseLabel(g.Label); err != nil {
				return fmt.Errorf("document %q relation %d: %w", d.ID, i, err)
			}
		}
		gold[i] = evaluation.RelationPair{HolderStart: g.Holder.Start, HolderEnd: g.Holder.End, TargetStart: g.Target.Start,
			TargetEnd: g.Target.End, HolderName: g.HolderName, TargetName: g.TargetName, Label: l}
	}
	got := make([]evaluation.RelationPair, len(resp.GetRelations()))
	for i, r := range resp.GetRelations() {
		h, t := r.GetHolder(), r.GetTarget()
		got[i] = evaluation.RelationPair{
			HolderStart: int(h.GetSpan().GetStart()), HolderEnd: int(h.GetSpan().GetEnd()),
			TargetStart: int(t.GetSpan().GetStart()), TargetEnd: int(t.GetSpan().GetEnd()),
			HolderName: h.GetEntity().GetName(), TargetName: t.GetEntity().GetName(), Label: labelOf(r.GetLabel()),
		}
	}
	s.Documents++
	s.m.Add(gold, got)
	return nil
}

// labelOf maps the API's stance to the model's label.
func labelOf(st stancev1.Stance) model.Label {
	switch st {
	case stancev1.Stance_STANCE_HOSTILE:
		return model.Hostile
	case stancev1.Stance_STANCE_COOPERATIVE:
		return model.Cooperative
	}
	return model.Neutral
}

func (s *relationScore) name() string { return "relations" }

func (s *relationScore) value() any {
	m := &s.m
	return map[string]any{"documents": s.Documents, "gold": m.Gold, "found": m.Found, "right": m.Right,
		"returned": m.Returned, "correct": m.Correct, "recall": m.Recall(), "precision": m.Precision()}
}

func (s *relationScore) writeText(w io.Writer, input string) error {
	m := &s.m
	_, err := fmt.Fprintf(w, "%s: relations in %s: %d gold relations, %.4f returned with the right holder and label (%.4f with the right holder); %d returned, precision %.4f\n",
		input, plural(int64(s.Documents), "document"), m.Gold, m.Recall(), frac(m.Found, m.Gold), m.Returned, m.Precision())
	return err
}

func frac(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// documentScore scores document-level labels (PerSenT's "entity" and
// "label", or an "entities" list): each labelled entity, sent as a caller
// target, against the label of its entry in the answer's entities; an
// entity the answer lacks counts as neutral.
type documentScore struct {
	Documents int
	Missing   int
	conf      evaluation.Confusion
}

func (s *documentScore) add(d *batch.Doc, resp *stancev1.ClassifyResponse) error {
	if len(d.Entities) == 0 {
		return nil
	}
	if e := resp.GetError(); e != nil {
		return fmt.Errorf("document %q: %s", d.ID, e.GetMessage())
	}
	golds := make([]model.Label, len(d.Entities))
	for i, g := range d.Entities {
		l, err := model.ParseLabel(g.Label)
		if err != nil {
			return fmt.Errorf("document %q entity %q: %w", d.ID, g.Entity, err)
		}
		golds[i] = l
	}
	s.Documents++
	for i, g := range d.Entities {
		var found *stancev1.EntityStance
		for _, e := range resp.GetEntities() {
			if e.GetEntity().GetId() == batch.GoldTargetID(g.Entity) {
				found = e
			}
		}
		if found == nil {
			s.Missing++
			s.conf.AddLabel(golds[i], model.Neutral)
			continue
		}
		p := found.GetProbabilities()
		if p == nil {
			s.conf.AddLabel(golds[i], labelOf(found.GetLabel()))
			continue
		}
		probs := [model.NumLabels]float32{model.Hostile: p.GetHostile(), model.Cooperative: p.GetCooperative(), model.Neutral: p.GetNeutral()}
		s.conf.AddDecided(golds[i], labelOf(found.GetLabel()), probs)
	}
	return nil
}

func (s *documentScore) name() string { return "entities" }

func (s *documentScore) value() any {
	return map[string]any{"documents": s.Documents, "not_found": s.Missing, "metrics": s.conf.Metrics()}
}

func (s *documentScore) writeText(w io.Writer, input string) error {
	m := s.conf.Metrics()
	entities := fmt.Sprintf("%d entities", m.N)
	if m.N == 1 {
		entities = "1 entity"
	}
	fmt.Fprintf(w, "%s: document-level labels in %s, %s scored (%d not found in the answer, counted neutral)\n\n",
		input, plural(int64(s.Documents), "document"), entities, s.Missing)
	return m.WriteText(w)
}
