package classifier

import (
	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/model"
)

// aggregate groups mentions by entity into document-level stances.
func (c *Classifier) aggregate(text string, ms []entities.Mention, scored []Mention) []EntityStance {
	groups := entities.GroupMentions(text, ms)
	out := make([]EntityStance, 0, len(groups))
	probs := make([][model.NumLabels]float32, 0, 8)
	for _, g := range groups {
		probs = probs[:0]
		for _, i := range g.Mentions {
			probs = append(probs, scored[i].Probs)
		}
		label, mean := c.model.DocumentLabel(probs)
		out = append(out, EntityStance{Entity: g.Entity, Label: label, Probs: mean, Mentions: len(g.Mentions), Salience: g.Salience})
	}
	return out
}
