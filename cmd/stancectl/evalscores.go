package main

import (
	"fmt"
	"io"
	"strings"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/batch"
	"github.com/stance/classifierd/internal/evaluation"
	"github.com/stance/classifierd/internal/model"
)

// relationScore scores the relations of stance JSONL whose targets carry a
// holder: for each gold relation (hostile or cooperative), whether a
// relation toward the gold target span comes from the right holder (its
// span overlapping the gold holder's, or its entity named as the gold
// holder is) and with the right label; and of the relations returned in
// those documents, how many a gold relation backs.
type relationScore struct {
	Documents int `json:"documents"`
	// Gold relations; Found with the right holder; Right with the right
	// label too.
	Gold  int `json:"gold"`
	Found int `json:"found"`
	Right int `json:"right"`
	// Returned relations; Correct ones that a gold relation backs.
	Returned int `json:"returned"`
	Correct  int `json:"correct"`
}

func (s *relationScore) add(d *batch.Doc, resp *stancev1.ClassifyResponse) error {
	if len(d.Relations) == 0 {
		return nil
	}
	if e := resp.GetError(); e != nil {
		return fmt.Errorf("document %q: %s", d.ID, e.GetMessage())
	}
	s.Documents++
	overlaps := func(sp *stancev1.Span, start, end int) bool {
		return int(sp.GetStart()) < end && start < int(sp.GetEnd())
	}
	holderOK := func(r *stancev1.Relation, g batch.GoldRelation) bool {
		return overlaps(r.GetHolder().GetSpan(), g.Holder.Start, g.Holder.End) ||
			g.HolderName != "" && strings.EqualFold(r.GetHolder().GetEntity().GetName(), g.HolderName)
	}
	targetOK := func(r *stancev1.Relation, g batch.GoldRelation) bool {
		return overlaps(r.GetTarget().GetSpan(), g.Target.Start, g.Target.End) ||
			g.TargetName != "" && strings.EqualFold(r.GetTarget().GetEntity().GetName(), g.TargetName)
	}
	label := func(r *stancev1.Relation) string {
		return strings.ToLower(strings.TrimPrefix(r.GetLabel().String(), "STANCE_"))
	}
	for _, g := range d.Relations {
		if g.Label == "none" {
			continue
		}
		s.Gold++
		found, right := false, false
		for _, r := range resp.GetRelations() {
			sp := r.GetTarget().GetSpan()
			if int(sp.GetStart()) == g.Target.Start && int(sp.GetEnd()) == g.Target.End && holderOK(r, g) {
				found = true
				right = right || label(r) == g.Label
			}
		}
		if found {
			s.Found++
		}
		if right {
			s.Right++
		}
	}
	for _, r := range resp.GetRelations() {
		s.Returned++
		for _, g := range d.Relations {
			if g.Label != "none" && label(r) == g.Label && targetOK(r, g) && holderOK(r, g) {
				s.Correct++
				break
			}
		}
	}
	return nil
}

func (s *relationScore) name() string { return "relations" }

func (s *relationScore) value() any {
	return map[string]any{"counts": s, "recall": ratio(s.Right, s.Gold), "found": ratio(s.Found, s.Gold), "precision": ratio(s.Correct, s.Returned)}
}

func (s *relationScore) writeText(w io.Writer, input string) error {
	_, err := fmt.Fprintf(w, "%s: relations in %s: %d gold relations, %.4f returned with the right holder and label (%.4f with the right holder); %d returned, precision %.4f\n",
		input, plural(int64(s.Documents), "document"), s.Gold, ratio(s.Right, s.Gold), ratio(s.Found, s.Gold), s.Returned, ratio(s.Correct, s.Returned))
	return err
}

func ratio(a, b int) float64 {
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
		pred := model.Neutral
		found := false
		for _, e := range resp.GetEntities() {
			if e.GetEntity().GetId() == batch.GoldTargetID(g.Entity) {
				found = true
				switch e.GetLabel() {
				case stancev1.Stance_STANCE_HOSTILE:
					pred = model.Hostile
				case stancev1.Stance_STANCE_COOPERATIVE:
					pred = model.Cooperative
				}
			}
		}
		if !found {
			s.Missing++
		}
		s.conf.AddLabel(golds[i], pred)
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
