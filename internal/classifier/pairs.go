package classifier

import (
	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/model"
)

// PairParty is one side of a pair that UnmarkedPairFeatures reports: its
// byte span and entity, and whether it is one of the caller's spans.
type PairParty struct {
	Span   Span
	Entity entities.Entity
	Caller bool
}

// UnmarkedPairFeatures calls fn with the features of every ordered pair
// of parties that the relation stage would score in text and that is not
// a pair of two caller's spans: pairs with a mention or a generic actor
// the caller did not mark ("military" in "military drills", a place).
// Training data that marks every actor of a sentence as a span labels
// these pairs no relation, so that the model sees what it is asked about
// at serving. The slice passed to fn is reused after fn returns. Spans
// must be valid (see ValidateSpans).
func (a *Analyzer) UnmarkedPairFeatures(ext *features.Extractor, mention *model.Model, text string, spans []Span, fn func(h, t PairParty, fs []features.Feature)) error {
	w := a.get()
	defer a.put(w)
	// Untyped, as a caller's span is: the marked parties are the caller's
	// spans here, and a type would tell the model which parties the data
	// did not mark, not which are actors.
	parties, err := a.trainingParties(w, text, spans, true)
	if err != nil {
		return err
	}
	targets := w.partyTargets
	stances := a.partyStances(w, mention, parties, nil, false)
	pairsInSentences(w, parties, targets, func(_, _, h, t int) {
		if parties[h].caller && parties[t].caller {
			return // a labelled pair: PairFeatures has it
		}
		w.feats = ext.ExtractPair(w.feats[:0], &w.ctx, targets, stances, h, t)
		side := func(p *party) PairParty { return PairParty{Span: p.span, Entity: p.entity, Caller: p.caller} }
		fn(side(&parties[h]), side(&parties[t]), w.feats)
	})
	return nil
}
