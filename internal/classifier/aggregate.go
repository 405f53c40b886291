package classifier

import (
	"strings"

	"github.com/stance/classifierd/internal/entities"
)

// mutualWeight is the weight, in an entity's document stance, of a mention
// that only names it as one party of a mutual conflict or pairing
// ("the Ukraine-Russia crisis", "between Iran and NATO"). The labelling
// convention calls both parties of an explicit mutual conflict hostile, and
// that is the right reading of the sentence, but a document that names a
// conflict as background says which conflict it is about, not which side
// it takes: counted in full, every article that mentions a war would lean
// hostile toward both belligerents, whatever it says about them elsewhere.
const mutualWeight = 0.25

// aggregate groups mentions by entity into document-level stances,
// appended to out, with w's buffers.
func (c *Classifier) aggregate(out []EntityStance, w *workspace, text string, ms []entities.Mention, scored []Mention) []EntityStance {
	groups := w.grouper.Group(text, ms)
	probs, weights := w.groupProbs, w.groupWeights
	for _, g := range groups {
		probs, weights = probs[:0], weights[:0]
		for _, i := range g.Mentions {
			probs = append(probs, scored[i].Probs)
			w := float32(1)
			if mutualParty(text, ms, i) {
				w = mutualWeight
			}
			weights = append(weights, w)
		}
		label, mean := c.model.DocumentLabel(probs, weights)
		out = append(out, EntityStance{Entity: g.Entity, Label: label, Probs: mean, Mentions: len(g.Mentions), Salience: g.Salience})
	}
	w.groupProbs, w.groupWeights = probs, weights
	return out
}

// mutualParty reports whether mention i is joined to a neighbouring mention
// of another entity as one side of a pair: by a hyphen or dash with no space
// ("Ukraine-Russia", "Iran–Iraq"), or as "between X and Y". ms is in text
// order.
func mutualParty(text string, ms []entities.Mention, i int) bool {
	m := ms[i]
	other := func(j int) bool { return j >= 0 && j < len(ms) && ms[j].Entity.ID != m.Entity.ID }
	if other(i-1) && isDash(text[ms[i-1].End:m.Start]) || other(i+1) && isDash(text[m.End:ms[i+1].Start]) {
		return true
	}
	if other(i+1) && text[m.End:ms[i+1].Start] == " and " && hasWordSuffix(text[:m.Start], "between ") {
		return true
	}
	if other(i-1) && text[ms[i-1].End:m.Start] == " and " && hasWordSuffix(text[:ms[i-1].Start], "between ") {
		return true
	}
	return false
}

func isDash(s string) bool { return s == "-" || s == "–" || s == "—" }

// hasWordSuffix reports whether s ends with the word w (case-insensitive),
// preceded by a non-letter or the start of s.
func hasWordSuffix(s, w string) bool {
	if len(s) < len(w) || !strings.EqualFold(s[len(s)-len(w):], w) {
		return false
	}
	if len(s) == len(w) {
		return true
	}
	c := s[len(s)-len(w)-1]
	return !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z')
}
