package batch

import (
	"fmt"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/evaluation"
	"github.com/stance/classifierd/internal/model"
)

// Scorer scores answers against the labels of their documents: the
// label of each explicit span against the argmax of the probabilities in
// the index-aligned targeted mention.
type Scorer struct {
	// Confusion accumulates the scored targets.
	Confusion evaluation.Confusion
	// Documents is the number of documents scored.
	Documents int
}

// Add scores one answered document. Documents without labels are ignored.
// An error means the document could not be scored (its answer is an error,
// or does not match its labels); the Scorer is unchanged then.
func (s *Scorer) Add(d *Doc, resp *stancev1.ClassifyResponse) error {
	if len(d.Labels) == 0 && d.Err == nil {
		return nil
	}
	if e := resp.GetError(); e != nil {
		return fmt.Errorf("document %q: %s", d.ID, e.GetMessage())
	}
	if n := len(resp.GetTargeted()); n != len(d.Labels) {
		return fmt.Errorf("document %q: %d answers for %d labelled spans", d.ID, n, len(d.Labels))
	}
	gold := make([]model.Label, len(d.Labels))
	for i, l := range d.Labels {
		g, err := model.ParseLabel(l)
		if err != nil {
			return fmt.Errorf("document %q target %d: %w", d.ID, i, err)
		}
		gold[i] = g
	}
	for i, m := range resp.GetTargeted() {
		p := m.GetProbabilities()
		var probs [model.NumLabels]float32
		probs[model.Hostile] = p.GetHostile()
		probs[model.Cooperative] = p.GetCooperative()
		probs[model.Neutral] = p.GetNeutral()
		s.Confusion.Add(gold[i], probs)
	}
	s.Documents++
	return nil
}
