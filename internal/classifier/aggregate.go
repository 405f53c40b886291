package classifier

import (
	"slices"
	"strings"

	"github.com/stance/classifierd/internal/document"
	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/lexicon"
	"github.com/stance/classifierd/internal/model"
)

// mutualWeight is the weight, in an entity's document stance, of a mention
// that only names it as one party of a mutual conflict or pairing
// ("the Ukraine-Russia crisis", "between Iran and NATO"). The labelling
// convention calls both parties of an explicit mutual conflict hostile, and
// that is the right reading of the sentence, but a document that names a
// conflict as background says which conflict it is about, not which side
// it takes: counted in full, every article that mentions a war would lean
// hostile toward both belligerents, whatever it says about them elsewhere.
// Such a mention weighs mutualWeight in the weighted and lead means, and
// sets the largest probabilities only of an entity named in no other way.
const mutualWeight = 0.25

// defendedAt is the probability from which a hostile relation counts in
// the defended rule.
const defendedAt = 0.6

// leadSentences is how many sentences open a document (headline and
// lead), where news says what it is about.
const leadSentences = 2

// aggregate groups the mentions of res by entity into document-level
// stances, in res.Entities: the document model's label for each entity,
// from what the mention and relation stages found about it (see package
// document), or where the bundle has no document model, the mention
// model's threshold rule over the weighted mean of its mentions. The
// document inputs are kept in res.inputs, aligned with the entities.
func (c *Classifier) aggregate(res *Result, w *workspace, text string, ms []entities.Mention) {
	out, scored := res.Entities[:0], res.Mentions
	res.inputs = res.inputs[:0]
	groups := w.grouper.Group(text, ms)
	probs, weights := w.groupProbs, w.groupWeights
	d := &w.doc
	var docTone [2]float32
	nwanted := 0
	// The tone of the sentences read for their mentions: a sentence read
	// only for its generic actors would make a short text's tone differ
	// from the same words in an article.
	for si, want := range w.wanted {
		if want && !slices.Contains(w.genericOnly, int32(si)) {
			h, k := w.ctx.Tone(si)
			docTone[0] += h
			docTone[1] += k
			nwanted++
		}
	}
	if nwanted > 0 {
		docTone[0] /= float32(nwanted)
		docTone[1] /= float32(nwanted)
	}
	// How hostile the text is toward each entity, by its mentions' mean,
	// for weighing the relations others receive from it.
	hostility := w.hostility
	clear(hostility)
	if hostility == nil {
		hostility = map[string]float32{}
		w.hostility = hostility
	}
	for _, g := range groups {
		var sum float32
		for _, i := range g.Mentions {
			sum += scored[i].Probs[model.Hostile]
		}
		hostility[g.Entity.ID] = sum / float32(len(g.Mentions))
	}
	tallyRelations(w, w.stageRels)
	for _, g := range groups {
		probs, weights = probs[:0], weights[:0]
		in := document.Input{Type: uint8(g.Entity.Type), Mentions: len(g.Mentions), Salience: g.Salience, DocTone: docTone}
		var speaks, mutual int
		var mutualMax [model.NumLabels]float32
		var leadWeight float32
		for n, i := range g.Mentions {
			p := scored[i].Probs
			probs = append(probs, p)
			wt := float32(1)
			if mutualParty(text, ms, i) {
				wt = mutualWeight
				mutual++
			}
			weights = append(weights, wt)
			// Hostility that an actor the text blames holds toward the
			// entity, acting on it (actorFirst: "NATO's expansion is
			// directed towards Russia"), makes it a victim: as far as the
			// text blames the holder, it counts in neither the entity's
			// largest hostility nor its means. (In the means too: document
			// CV -0.0005 [-0.0041, +0.0030] accuracy, flat, and seed
			// 003's Russia, NATO's target, reads hostile 0.36 instead of
			// 0.38, under the threshold rather than on it. The lead's mean
			// keeps the hostility: taken out there too, -0.0016.)
			pm := p
			if hd := scored[i].Holder.ID; hd != "" && hd != g.Entity.ID {
				blame := hostility[hd]
				in.HeldHostile[0] += blame * p[model.Hostile]
				in.HeldHostile[1] += (1 - blame) * p[model.Hostile]
				if i < len(w.actedOn) && w.actedOn[i] {
					pm[model.Hostile] *= 1 - blame
				}
			}
			addContext(&in, w.mentionContext[i])
			for l := range p {
				in.Mean[l] += pm[l]
				in.Weighted[l] += wt * pm[l]
				if wt == 1 {
					in.Max[l] = max(in.Max[l], pm[l])
				} else {
					mutualMax[l] = max(mutualMax[l], pm[l])
				}
			}
			in.Share[scored[i].Label]++
			t := w.targets[i]
			si := d.SentenceOf(t.First)
			h, k := w.ctx.Tone(si)
			in.Tone[0] += h
			in.Tone[1] += k
			if si < leadSentences {
				in.LeadMentions++
				leadWeight += wt
				for l := range p {
					in.Lead[l] += wt * p[l]
				}
			}
			if w.ctx.Speaks(t) {
				speaks++
			}
			if n == 0 && len(text) > 0 {
				in.First = float32(ms[i].Start) / float32(len(text))
			}
		}
		// Pronouns that refer to this entity count as mentions of it here,
		// and their sentences' tone as said about it.
		n := len(g.Mentions)
		for ci, cr := range w.corefs {
			if ci >= len(w.corefProbs) || ms[cr.mention].Entity.ID != g.Entity.ID {
				continue
			}
			p := w.corefProbs[ci]
			n++
			addContext(&in, w.corefContext[ci])
			weights = append(weights, 1)
			for l := range p {
				in.Mean[l] += p[l]
				in.Weighted[l] += p[l]
				in.Max[l] = max(in.Max[l], p[l])
			}
			in.Share[labelOf(p)]++
			h, k := w.ctx.Tone(d.SentenceOf(cr.token))
			in.Tone[0] += h
			in.Tone[1] += k
			in.Corefs++
		}
		var wsum float32
		for _, x := range weights {
			wsum += x
		}
		for l := range in.Mean {
			in.Mean[l] /= float32(n)
			in.Context[l] /= float32(n)
			in.Share[l] /= float32(n)
			if wsum > 0 {
				in.Weighted[l] /= wsum
			}
			if in.LeadMentions > 0 {
				in.Lead[l] /= leadWeight
			}
			if mutual == len(g.Mentions) {
				in.Max[l] = mutualMax[l]
			}
		}
		in.HeldHostile[0] /= float32(len(g.Mentions))
		in.HeldHostile[1] /= float32(len(g.Mentions))
		in.Mutual = float32(mutual) / float32(len(g.Mentions))
		in.Tone[0] /= float32(n)
		in.Tone[1] /= float32(n)
		in.Speaks = min(1, float32(speaks+w.held[g.Entity.ID])/float32(len(g.Mentions)))
		in.Receives = w.received[g.Entity.ID]
		es := EntityStance{Entity: g.Entity, Mentions: len(g.Mentions), Salience: g.Salience}
		if m := c.models.Document; m != nil {
			w.feats = document.Features(w.feats[:0], &in)
			s := m.Score(w.feats)
			es.Label, es.Probs = document.Decide(s.Probs, m.DocThreshold()), s.Probs
		} else {
			es.Label, es.Probs = c.model.DocumentLabel(probs, weights)
		}
		out = append(out, es)
		if res.keepInputs {
			res.inputs = append(res.inputs, in)
		}
	}
	w.groupProbs, w.groupWeights = probs, weights
	if c.models.Document != nil {
		defended(w, out, w.stageRels)
	}
	res.Entities = out
}

// defended relabels an entity that the document model calls hostile but
// that the article's bigger villain acts against: an entity called hostile
// whose hostility is surer holds a hostile relation toward it. An article
// that blames NATO for threatening Russia does not make Russia its villain
// too; the entity keeps the more probable of its other two labels. Only a
// relation the relation model is sure of (defendedAt) counts: its weakest
// relations come from long background sentences listing many actors,
// where it is least often right.
func defended(w *workspace, out []EntityStance, rels []Relation) {
	if w.entityAt == nil {
		w.entityAt = map[string]int{}
	}
	clear(w.entityAt)
	for i := range out {
		w.entityAt[out[i].Entity.ID] = i
	}
	for _, r := range rels {
		if r.Label != model.Hostile || r.Probs[model.Hostile] < defendedAt {
			continue
		}
		ti, ok := w.entityAt[r.Target.Entity.ID]
		if !ok || out[ti].Label != model.Hostile {
			continue
		}
		hi, ok := w.entityAt[r.Holder.Entity.ID]
		if !ok {
			hi, ok = w.entityAt[r.Holder.Entity.Country]
		}
		if !ok || hi == ti || out[hi].Label != model.Hostile || out[hi].Probs[model.Hostile] <= out[ti].Probs[model.Hostile] {
			continue
		}
		t := &out[ti]
		t.Label = model.Neutral
		if t.Probs[model.Cooperative] > t.Probs[model.Neutral] {
			t.Label = model.Cooperative
		}
	}
}

// mutualParty reports whether mention i is joined to a neighbouring mention
// of another entity as one side of a pair: by a hyphen or dash with no space
// ("Ukraine-Russia", "Iran–Iraq"), or as "between X and Y". ms is in text
// order.
func mutualParty(text string, ms []entities.Mention, i int) bool {
	m := ms[i]
	other := func(j int) bool { return j >= 0 && j < len(ms) && ms[j].Entity.ID != m.Entity.ID }
	// gap is the text between two mentions in order, "" when they touch
	// or overlap (a caller target inside a built-in mention).
	gap := func(a, b entities.Mention) string {
		if a.End >= b.Start {
			return ""
		}
		return text[a.End:b.Start]
	}
	if other(i-1) && isDash(gap(ms[i-1], m)) || other(i+1) && isDash(gap(m, ms[i+1])) {
		return true
	}
	if other(i+1) && gap(m, ms[i+1]) == " and " && hasWordSuffix(text[:m.Start], "between ") {
		return true
	}
	if other(i-1) && gap(ms[i-1], m) == " and " && hasWordSuffix(text[:ms[i-1].Start], "between ") {
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

func labelOf(p [model.NumLabels]float32) model.Label {
	return model.Scores{Probs: p}.Label()
}

// addContext adds one mention's probabilities without its prior
// (Classifier.withoutPrior) to in's Context sum and ContextMax.
func addContext(in *document.Input, p [model.NumLabels]float32) {
	for l, v := range p {
		in.Context[l] += v
		in.ContextMax[l] = max(in.ContextMax[l], v)
	}
}

// tallyRelations tallies the document's relations by entity: in
// w.held, how many relations in words it holds (its officials' count for
// a state), what it says toward others, which makes a speaker
// (document.Input.Speaks; an act is no speech); in w.received, the sum of
// the probabilities of the relations it receives, per label.
func tallyRelations(w *workspace, rels []Relation) {
	if w.held == nil {
		w.held = map[string]int{}
	}
	clear(w.held)
	if w.received == nil {
		w.received = map[string][model.NumLabels]float32{}
	}
	clear(w.received)
	for i := range rels {
		r := &rels[i]
		if id := r.Target.Entity.ID; id != "" {
			s := w.received[id]
			for l := range s {
				s[l] += r.Probs[l]
			}
			w.received[id] = s
		}
		if r.Quad == lexicon.QuadMaterialConflict || r.Quad == lexicon.QuadMaterialCoop {
			continue
		}
		h, t := r.Holder.Entity, r.Target.Entity
		if h.ID != "" {
			w.held[h.ID]++
		}
		if h.Country != "" && h.Country != t.ID && h.Country != h.ID {
			w.held[h.Country]++
		}
	}
}
