package classifier

import (
	"cmp"
	"slices"
	"strings"

	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/lexicon"
	"github.com/stance/classifierd/internal/model"
	"github.com/stance/classifierd/internal/relations"
)

// party is one candidate side of a relation while the relation stage
// runs: its tokens and entity, and its byte span.
type party struct {
	target features.Target
	entity entities.Entity
	span   Span
	// mention is the index of the found mention it is, or -1.
	mention int
	// caller is set for a caller's explicit span.
	caller bool
	// name is set for an unknown name (nameParties) and for a pronoun
	// that refers to a person (pronounParties): a holder, never a target,
	// and no party of the pairs of the others.
	name bool
	// pronoun is set for a pronoun: its entity is the person's.
	pronoun bool
	// post is set for the post of an envoy whom the sentence recalls or
	// appoints (features.PostActedOn): a target, never a holder.
	post bool
}

// pairsInSentences calls fn with every ordered pair of parties that the
// relation stage scores, in its order: two parties of one sentence (of its
// first maxSentenceParties), not two unknown names, not the same actor,
// within a clause
// (features.Context.Pairable); si is their sentence and first its first
// party. parties and targets are in token order. Where (h, t) is a pair,
// so is (t, h), and (h, t) with h > t comes first: oneActor and Pairable
// are symmetric, so each is asked once for the two.
func pairsInSentences(w *workspace, parties []party, targets []features.Target, fn func(si, first, h, t int)) {
	d := &w.doc
	// pair[a][b]: whether (lo+a, lo+b) is a pair, once (lo+b, lo+a) has
	// been asked, which is when the outer loop was at lo+a.
	var pair [maxSentenceParties][maxSentenceParties]bool
	si := 0
	for lo := 0; lo < len(parties); {
		// Parties come in token order, so their sentences in order too.
		for d.Sentences[si].End <= targets[lo].First {
			si++
		}
		sentEnd := d.Sentences[si].End
		hi := lo + 1
		for hi < len(parties) && targets[hi].First < sentEnd {
			hi++
		}
		end := min(hi, lo+maxSentenceParties)
		for t := lo; t < end; t++ {
			for h := lo; h < end; h++ {
				if h == t || parties[h].name && parties[t].name {
					continue // two unknown names: neither may be a target
				}
				ok := pair[h-lo][t-lo]
				if h > t {
					ok = !oneActor(d.Text, &parties[h], &parties[t]) && w.ctx.PairableIn(si, targets, h, t)
					pair[t-lo][h-lo] = ok
				}
				if ok {
					fn(si, lo, h, t)
				}
			}
		}
		lo = hi
	}
}

// maxSentenceParties bounds the parties of one sentence that are paired,
// so that a sentence listing fifty states costs 240 pairs, not 2,450.
const maxSentenceParties = 16

// relate is the relation stage: it pairs the parties of each sentence
// (found mentions, the caller's spans, generic actors such as "police",
// unknown names as holders),
// scores each ordered pair with the relation model and keeps the pairs it
// finds a stance in (relations.Decide): those the service returns
// (relations.Returned) in out, with their evidence, the others in
// w.quietRels, for the later stages. Mentions must be scored first:
// relate reads w's cues and features context as analyze left them.
func (c *Classifier) relate(w *workspace, req Request, mentions []Mention, out []Relation) []Relation {
	m := c.models.Relation
	d := &w.doc
	clear(w.states) // stateEntity's, of the last document
	w.quietRels = w.quietRels[:0]
	parties := c.an.parties(w, req.Text, req.Spans, true)
	if len(parties) < 2 {
		return out
	}
	targets := w.partyTargets
	stances := c.an.partyStances(w, c.model, parties, mentions, true)
	cands := w.relCands[:0]
	w.candFeats = w.candFeats[:0]
	// Both directions of a pair are extracted together, when the first
	// comes, which is (h, t) with h > t (pairsInSentences); the second's
	// score waits in w.pairScores until its turn, in the same sentence.
	scores := &w.pairScores
	pairsInSentences(w, parties, targets, func(si, first, h, t int) {
		ps := &scores.at[h-first][t-first]
		if h > t {
			c.an.dueStance(w, c.model, h)
			c.an.dueStance(w, c.model, t)
			switch {
			case affiliated(d, &parties[h], &parties[t]):
				// A person and the body they belong to hold no stance
				// either way. Scored in training all the same (the
				// unmarked pairs, UnmarkedPairFeatures), where leaving
				// them out moved the model more than the rule.
				*ps = pairScore{label: model.Neutral}
				scores.at[t-first][h-first] = pairScore{label: model.Neutral}
			case parties[h].name:
				// Toward a name nothing is returned: the name's direction
				// alone.
				w.feats = c.relExt.ExtractPair(w.feats[:0], &w.ctx, targets, stances, h, t)
				*ps = c.scorePair(w, m, w.feats)
				scores.at[t-first][h-first] = pairScore{label: model.Neutral}
			case parties[t].name:
				*ps = pairScore{label: model.Neutral}
				w.feats = c.relExt.ExtractPair(w.feats[:0], &w.ctx, targets, stances, t, h)
				scores.at[t-first][h-first] = c.scorePair(w, m, w.feats)
			default:
				kh, kt, kst := w.knownParty(h), w.knownParty(t), stances
				if len(w.knownIndex) > 0 {
					kst = w.knownStances(stances, h, t)
				}
				w.feats, w.feats2 = c.relExt.ExtractPairs(w.feats[:0], w.feats2[:0], &w.ctx, w.knownTargets, kst, kh, kt)
				*ps = c.scorePair(w, m, w.feats)
				scores.at[t-first][h-first] = c.scorePair(w, m, w.feats2)
			}
		}
		if ps.label != model.Neutral && !placedHolder(d, targets[h]) && asserted(&w.ctx, targets, h, t, ps.label) &&
			!features.MediatedBetween(d, targets[min(h, t)], targets[max(h, t)]) {
			cands = append(cands, relCand{h: int32(h), t: int32(t), label: ps.label, probs: ps.probs,
				joint: w.ctx.Joint(targets, h, t) || w.ctx.Mutual(targets, h, t), sentence: int32(si), feats: ps.feats})
		}
	})
	if len(cands) > 0 {
		// Lists only share and drop candidates: without any, nothing to
		// read them for.
		ends := listEnds(w, targets, len(parties))
		cands = shareInLists(w, parties, targets, ends, cands)
		cands = dropParallel(d, targets, ends, cands)
	}
	cands = shareWithOfficials(w, parties, targets, cands)
	// No pair is scored toward a name, but a list's or an official's
	// sharing may give one a relation from outside. A recalled envoy's
	// post is the act's target, and holds nothing ("named its ambassador
	// to Ecuador to lead talks with Peru").
	//
	// What a person or an organisation reports is not done to them
	// (reportsOn), whether the model found it or an official's sharing
	// gave it ("Kremlin spokesman Dmitry Peskov" shares the Kremlin's).
	cands = slices.DeleteFunc(cands, func(cd relCand) bool {
		return parties[cd.t].name || parties[cd.h].post || reportsOn(&w.ctx, &parties[cd.t], targets[cd.h])
	})
	cands = oneWay(cands)
	w.relCands = cands
	for _, cd := range cands {
		h, t := int(cd.h), int(cd.t)
		sent := d.Sentences[cd.sentence]
		r := Relation{
			Holder:   Party{Span: parties[h].span, Entity: parties[h].entity},
			Target:   Party{Span: parties[t].span, Entity: parties[t].entity},
			Label:    cd.label,
			Probs:    cd.probs,
			Sentence: Span{d.Tokens[sent.First].Start, d.Tokens[sent.End-1].End},
		}
		if parties[h].name && !parties[h].pronoun {
			// Its ID is made only for the few names that hold a relation.
			r.Holder.Entity.ID = "name:" + strings.ToLower(r.Holder.Entity.Name)
		}
		fs := w.candFeats[cd.feats[0]:cd.feats[1]]
		r.Quad, r.CAMEO = strongestEvent(w, m, fs, cd.label)
		if !relations.Returned(cd.label, cd.probs) {
			// Read by the later stages, not returned: no evidence.
			w.quietRels = append(w.quietRels, r)
			continue
		}
		if req.MaxEvidence > 0 {
			start := len(w.evidence)
			w.evidence = c.explain(w, m, fs, cd.label, req.MaxEvidence, targets[h], targets[t], true)
			w.evRanges = append(w.evRanges, int32(start), int32(len(w.evidence)))
		}
		out = append(out, r)
	}
	return out
}

// asserted reports whether the text asserts the relation the model finds
// from party h toward party t. Not attacking is no cooperation: a
// cooperative relation whose every cooperative cue is a negated hostile
// one ("did not condemn") is none, while "would not recognise Kosovo"
// stays a rejection (relation CV: +0.0007 [+0.0002, +0.0012] precision,
// recall unchanged). A denied attack is no attack: "Russia denied it had
// attacked Ukraine" (+0.0009 [+0.0004, +0.0015] precision, -0.0003
// [-0.0007, +0.0000] recall). A refused hostile act is no act either:
// "Indonesia refused to condemn Russia" (relation CV moved by under
// 0.0001; the team's evaluation sets 7 relations fewer returned, 1 fewer
// right, of 6,748).
func asserted(c *features.Context, targets []features.Target, h, t int, label model.Label) bool {
	switch label {
	case model.Cooperative:
		return !c.NegatedOnly(targets, h, t, false)
	case model.Hostile:
		return !c.DeniedOnly(targets, h, t) && !c.RefusedOnly(targets, h, t) && !c.DisapprovedHarm(targets, h, t)
	}
	return true
}

// reportsOn reports whether t, a person or an organisation, speaks the
// sentence in which the holder h acts: "Araghchi said NATO is a threat to
// the region", "Lavrov said Washington was to blame", "Human Rights Watch
// said Ethiopian forces had killed dozens of civilians". What a speaker
// reports a party doing is not done to the speaker, unless the report
// says it is ("Petro said Rubio had called him a drug lord", "NATO said
// Russia had violated its airspace"). A state that speaks is often the
// victim of what it reports ("Ukraine said Russia shelled Kharkiv"), and
// the model reads those; a person or a monitor seldom is, and the model,
// which does not see types, read them alike. In the team's sentences a
// person speaker was the target of 16 wrong relations and 3 right ones,
// an organisation of 24 wrong and 12 right, 10 of those with a pronoun.
func reportsOn(c *features.Context, t *party, h features.Target) bool {
	d := c.Doc
	person := t.entity.Type == entities.TypePerson
	if !person && t.entity.Type != entities.TypeOrganization {
		return false
	}
	if h.End <= t.target.First {
		return quotedBy(c, t.target, h, person)
	}
	if h.First < t.target.End {
		return false
	}
	verb := features.SpeechVerbOf(d, t.target)
	if verb < 0 || h.First <= verb {
		return false
	}
	// The report runs to the first comma or subordinate clause: what
	// follows it is the speaker's own ("said ... after agreeing with
	// Japan", "said ..., and spoke with Luxon", "said ..., a remark that
	// drew criticism from the EU").
	from := verb + 1
	if from+1 < h.First && (d.Surface(from) == "," || d.Surface(from) == ":") && features.IsOpeningQuote(d.Surface(from+1)) {
		from += 2 // Araghchi said, "NATO is a threat"
	}
	for i := from; i < h.First; i++ {
		switch d.LowerFast(i) {
		case ",", ";", ":", "(", "after", "before", "during", "following", "while", "when", "whereas":
			return false
		}
	}
	// A pronoun for a person in the sentence may be the speaker: "Petro
	// said Rubio had called him a drug lord", "Pashinyan said he and
	// Aliyev had agreed".
	sent := d.Sentences[d.SentenceOf(verb)]
	for i := verb + 1; i < sent.End; i++ {
		if refersBack(d.LowerFast(i), person) {
			return false
		}
	}
	return true
}

// quotedBy is reportsOn for a quote before its speaker: ""Kyiv is
// sabotaging every chance of a settlement," Dmitry Peskov told
// journalists" does not make Peskov Kyiv's target, nor ""Thank you,
// Norway," Mohammad Mustafa said" Norway's. The speaker of the quote is
// its target where the quote says so in the first person singular
// (""Tehran tried to silence me," the dissident said"); "we" and "our"
// stand for the speaker's side, whose state the team's labels give. In
// the team's sentences 11 relations from inside a quote toward its person
// speaker were wrong and 3 right.
func quotedBy(c *features.Context, speaker, h features.Target, person bool) bool {
	d := c.Doc
	if !c.Quoted(h.First) || c.Quoted(speaker.First) || !c.Speaks(speaker) {
		return false
	}
	si := d.SentenceOf(h.First)
	if d.SentenceOf(speaker.First) != si {
		return false
	}
	for i := d.Sentences[si].First; i < speaker.First; i++ {
		if !c.Quoted(i) {
			continue
		}
		switch d.LowerFast(i) {
		case "i", "me", "my", "myself":
			if person {
				return false
			}
		case "we", "us", "our", "ourselves":
			if !person {
				return false
			}
		}
	}
	return true
}

// refersBack reports whether w, a lowered word, may stand for a speaker
// that is a person (person) or an organisation.
func refersBack(w string, person bool) bool {
	if person {
		switch w {
		case "he", "she", "him", "his", "her", "himself", "herself", "i", "me", "my", "myself":
			return true
		}
		return false
	}
	switch w {
	case "it", "its", "itself", "they", "them", "their", "themselves", "we", "us", "our":
		return true
	}
	return false
}

// placedHolder reports whether party t stands right after a preposition
// that makes it where an act happens ("shot down by Israeli jets over
// Syria", "drones near Kharkiv"): no holder. "In" and "at" are not among
// them: "received in Beijing" and "talks at Moscow" name the host, and
// relation CV lost more of those (-0.001 recall) than it saved. These
// move relation CV by -0.0002 recall and +0.0002 precision.
func placedHolder(d *features.Document, t features.Target) bool {
	if t.First == 0 {
		return false
	}
	switch d.LowerFast(t.First - 1) {
	case "over", "above", "across", "near", "into", "inside":
		return true
	}
	return false
}

// pairScore is the relation model's verdict on an ordered pair: its label
// (Neutral for none) and, for a relation, its probabilities and the range
// of its features in workspace.candFeats.
type pairScore struct {
	label model.Label
	probs [model.NumLabels]float32
	feats [2]int32
}

// pairScores are the scores of the ordered pairs of one sentence's
// parties, at[h-first][t-first].
type pairScores struct {
	at [maxSentenceParties][maxSentenceParties]pairScore
}

// scorePair scores the features fs of an ordered pair with the relation
// model m, keeping the features of a relation in w.candFeats.
func (c *Classifier) scorePair(w *workspace, m *model.Model, fs []features.Feature) pairScore {
	ps := pairScore{label: model.Neutral}
	logits := m.Logits(fs)
	if relations.Unreachable(logits, m.Temperature()) {
		return ps
	}
	ps.probs = model.Softmax(logits, m.Temperature())
	if ps.label = relations.Decide(ps.probs); ps.label != model.Neutral {
		from := len(w.candFeats)
		w.candFeats = append(w.candFeats, fs...)
		ps.feats = [2]int32{int32(from), int32(len(w.candFeats))}
	}
	return ps
}

// shareInLists gives every member of a list of three or more parties
// ("condemned by Egypt, Greece and Cyprus", "signed with China, India
// and Russia") the relation toward, and from, each party outside the list
// that its likeliest member has, from shareFrom: the model scores each
// pair on its own, and the members away from the act read farther from it
// than the one next to it, though the list acts, or is acted on, as one.
// Two parties make such a list only where the text marks them as acting
// alike (listMark: "Tunisia and Mauritania both rejected", "Both Serbia
// and Kosovo agreed", "Norway and Iceland jointly criticised"), and then
// only as holders: "X and Y" alone is as often the two sides of an act
// ("talks between X and Y"), and a relation the two receive is as often
// the other side's reply read backwards.
func shareInLists(w *workspace, parties []party, targets []features.Target, ends []int32, cands []relCand) []relCand {
	d := &w.doc
	cands = shareInGroups(w, parties, cands, 3, false, func(first int) int { return int(ends[first]) })
	return shareInGroups(w, parties, cands, 2, true, func(first int) int {
		if first > 0 && int(ends[first-1]) >= first {
			return first // the tail of a longer list, shared above
		}
		if last := int(ends[first]); last == first+1 && listMark(d, targets, first, last) != unmarked {
			return last
		}
		return first
	})
}

// listEnds returns listEnd of every party, read once for the passes over
// the lists: ends[i] is the last party of the list that starts at party
// i. The slice is the workspace's.
func listEnds(w *workspace, targets []features.Target, n int) []int32 {
	ends := w.listEnds[:0]
	for i := range n {
		ends = append(ends, int32(listEnd(&w.doc, targets, i)))
	}
	w.listEnds = ends
	return ends
}

// A list's mark says how its members act: unmarked, each on its own
// ("both", "each", "all": parallel), or together ("jointly").
const (
	unmarked = iota
	parallel
	together
)

// listMark returns how the text marks the members of the list from party
// first to party last as acting: "both" or "each" right after the last
// ("Chile and Peru both rejected"), or "both" right before the first in
// its sentence, make parallel acts; "all" after the last too, for a list
// of three or more; "jointly" or "together" after the last make joint
// ones.
func listMark(d *features.Document, targets []features.Target, first, last int) int {
	a, b := targets[first], targets[last]
	if a.First > 0 && d.LowerFast(a.First-1) == "both" && d.SentenceOf(a.First-1) == d.SentenceOf(a.First) {
		return parallel
	}
	if b.End >= len(d.Tokens) || d.SentenceOf(b.End) != d.SentenceOf(b.First) {
		return unmarked
	}
	switch d.LowerFast(b.End) {
	case "both", "each":
		return parallel
	case "all":
		if last-first >= 2 {
			return parallel
		}
	case "jointly", "together":
		return together
	}
	return unmarked
}

// parallelList is a list of parties, first to last, whose acts the text
// marks as parallel, in sentence sentence.
type parallelList struct{ first, last, sentence int32 }

// dropParallel drops the relations between the members of a list whose
// acts the text marks as parallel (listMark: "Estonia and Latvia each
// summoned the ambassador of Belarus"): each acted on its own, not on the
// other, though the model reads two subjects of one verb as joint.
// Unless the act is on each other ("both accused each other", "each
// blamed the other"). ends are listEnds, one per party; cands are in
// sentence order, and are read once.
func dropParallel(d *features.Document, targets []features.Target, ends []int32, cands []relCand) []relCand {
	var lists []parallelList
	for first := 0; first < len(ends); first++ {
		last := int(ends[first])
		if last == first {
			continue
		}
		if listMark(d, targets, first, last) == parallel && !eachOther(d, targets[last].End) {
			lists = append(lists, parallelList{int32(first), int32(last), int32(d.SentenceOf(targets[first].First))})
		}
		first = last
	}
	if len(lists) == 0 {
		return cands
	}
	li := 0
	return slices.DeleteFunc(cands, func(c relCand) bool {
		for li < len(lists) && lists[li].sentence < c.sentence {
			li++
		}
		for _, l := range lists[li:] {
			if l.sentence != c.sentence {
				break
			}
			if c.h >= l.first && c.h <= l.last && c.t >= l.first && c.t <= l.last {
				return true
			}
		}
		return false
	})
}

// eachOther reports whether the clause that goes on at token from says
// "each other", "one another" or "the other": an act of the members on
// one another.
func eachOther(d *features.Document, from int) bool {
	s := d.Sentences[d.SentenceOf(min(from, len(d.Tokens)-1))]
	for i := from; i+1 < s.End && !features.ClauseBoundaryAt(d, i); i++ {
		switch w, next := d.LowerFast(i), d.LowerFast(i+1); {
		case w == "each" && next == "other", w == "one" && next == "another", w == "the" && next == "other":
			return true
		}
	}
	return false
}

// shareWithOfficials gives an official and the state their title names,
// side by side ("US Secretary of State Mike Pompeo", "Iran's foreign
// minister Abbas Araghchi", "President Muhammadu Buhari of Nigeria"), each
// other's relations toward and from the other parties, as shareInLists
// does for a list: the official speaks and acts for the state, and the
// state through the official, but the model reads the two apart, and the
// one farther from the verb (the state in "according to a tweet by US
// Secretary of State Mike Pompeo") reads weaker.
func shareWithOfficials(w *workspace, parties []party, targets []features.Target, cands []relCand) []relCand {
	d := &w.doc
	return shareInGroups(w, parties, cands, 2, false, func(first int) int { return officialEnd(d, parties, targets, first) })
}

// officialEnd returns first+1 where parties first and first+1 are an
// official and their state named side by side in one phrase (officialOf):
// in one sentence, with the words of a title between them ("Iran's
// foreign minister Abbas Araghchi", "Iran's president, Masoud
// Pezeshkian"), and no conjunction. A comma right after the first party
// ends the phrase ("Russia attacked Ukraine, Zelensky said": Ukraine is no
// title), unless the second owns a title after it ("Pezeshkian, Iran's
// president"). Else first.
func officialEnd(d *features.Document, parties []party, targets []features.Target, first int) int {
	if first+1 >= len(parties) {
		return first
	}
	a, b := targets[first], targets[first+1]
	if b.First-a.End > maxOfficialGap ||
		!(officialOf(parties[first].entity, parties[first+1].entity) || officialOf(parties[first+1].entity, parties[first].entity)) ||
		d.SentenceOf(a.First) != d.SentenceOf(b.First) {
		return first
	}
	for i := a.End; i < b.First; i++ {
		switch w := d.LowerFast(i); w {
		case "and", "or", "but", "while", ";", ":":
			return first
		case ",":
			if i == a.End && !features.PossessiveAfter(d, b) {
				return first
			}
		}
	}
	return first + 1
}

// maxOfficialGap is the most tokens between a state and its official
// named together: "Iran's foreign minister Abbas Araghchi" ('s, foreign,
// minister), "Buhari of Nigeria" (of).
const maxOfficialGap = 3

// officialOf reports whether person p is an official of s: a named
// person the text links to state s, or to the state of s, the generic
// actor of the title before the name ("US Secretary of State").
func officialOf(p, s entities.Entity) bool {
	return p.Type == entities.TypePerson && p.Country != "" && !isGeneric(p) &&
		(p.Country == s.ID || isGeneric(s) && p.Country == s.Country)
}

// shareInGroups gives every member of each group of at least minSize
// parties the relation toward, and from, each party outside the group
// that its likeliest member has, from shareFrom. end(first) is the last
// party of the group that starts at party first, first itself where none
// does; a group's parties are in one sentence. cands come sentence by
// sentence, in the order pairsInSentences visits pairs (target, then
// holder), and so do the relations returned; each group is read in its
// own sentence's candidates only. With holdersOnly, the members take only
// the relations a member holds.
func shareInGroups(w *workspace, parties []party, cands []relCand, minSize int, holdersOnly bool, end func(first int) int) []relCand {
	d := &w.doc
	n0 := len(cands)
	lo := 0                      // the first candidate of the list's sentence
	sent, added := int32(-1), n0 // the sentence, and where its shared candidates start
	for first := 0; first < len(parties); {
		last := end(first)
		if last-first+1 < minSize {
			first = last + 1
			continue
		}
		si := int32(d.SentenceOf(parties[first].target.First))
		for lo < n0 && cands[lo].sentence < si {
			lo++
		}
		hi := lo
		for hi < n0 && cands[hi].sentence == si {
			hi++
		}
		if si != sent {
			sent, added = si, len(cands)
		}
		in := func(i int32) bool { return int(i) >= first && int(i) <= last }
		// The sentence's relations between a member and an outsider, the
		// likeliest first, so that each member takes the likeliest one.
		order := w.shareOrder[:0]
		for ci := lo; ci < hi; ci++ {
			if c := &cands[ci]; in(c.h) != in(c.t) && c.probs[c.label] >= shareFrom && (!holdersOnly || in(c.h)) {
				order = append(order, int32(ci))
			}
		}
		slices.SortStableFunc(order, func(a, b int32) int {
			return cmp.Compare(cands[b].probs[cands[b].label], cands[a].probs[cands[a].label])
		})
		w.shareOrder = order
		for _, ci := range order {
			c := cands[ci]
			for m := int32(first); m <= int32(last); m++ {
				h, t := c.h, m
				if in(c.h) {
					h, t = m, c.t
				}
				if h == c.h && t == c.t || oneActor(d.Text, &parties[h], &parties[t]) {
					continue
				}
				same := func(o relCand) bool { return o.h == h && o.t == t }
				k := slices.IndexFunc(cands[lo:hi], same) + lo
				if k < lo {
					if k = slices.IndexFunc(cands[added:], same) + added; k < added {
						s := c
						s.h, s.t = h, t
						cands = append(cands, s)
						continue
					}
				}
				// The member's own reading, where it has one of the same
				// label, counts as much as the likeliest member's.
				if o := &cands[k]; o.label == c.label && o.probs[c.label] < c.probs[c.label] {
					o.probs = c.probs
				}
			}
		}
		first = last + 1
	}
	if len(cands) > n0 {
		slices.SortStableFunc(cands, func(a, b relCand) int {
			return cmp.Or(cmp.Compare(a.sentence, b.sentence), cmp.Compare(a.t, b.t), cmp.Compare(a.h, b.h))
		})
	}
	return cands
}

// shareFrom is the least probability of a relation that the other
// members of its party's list take.
const shareFrom = 0.5

// listEnd returns the last party of the list that starts at party first:
// parties of one sentence joined by commas and, before the last, "and"
// or "or" ("Egypt, Greece and Cyprus"), or first itself where none starts
// there. Commas alone make no list ("In Moscow, Russia said"), nor does a
// place that opens the sentence ("In Washington, Israel and Egypt
// condemned Iran": Washington is where, not who).
func listEnd(d *features.Document, targets []features.Target, first int) int {
	end := d.Sentences[d.SentenceOf(targets[first].First)].End
	if f := targets[first].First; f > 0 && isPlacePreposition(d.LowerFast(f-1)) && targets[first].End < end &&
		d.LowerFast(targets[first].End) == "," {
		return first
	}
	last := first
	for last+1 < len(targets) {
		a, b := targets[last], targets[last+1]
		if b.First <= a.End || b.End > end {
			break
		}
		between := b.First - a.End
		w0 := d.LowerFast(a.End)
		switch {
		case between == 1 && w0 == ",":
			last++
			continue
		case between == 1 && (w0 == "and" || w0 == "or"),
			between == 2 && w0 == "," && (d.LowerFast(a.End+1) == "and" || d.LowerFast(a.End+1) == "or"):
			return last + 1
		}
		break
	}
	return first
}

// isPlacePreposition reports whether w, before a party, makes it a place.
func isPlacePreposition(w string) bool {
	switch w {
	case "in", "at", "from", "near", "inside", "outside", "across":
		return true
	}
	return false
}

// relCand is a scored pair that the model finds a relation in.
type relCand struct {
	h, t     int32 // party indices
	sentence int32
	label    model.Label
	// joint: the two parties are joined in one phrase ("Iran and
	// Russia") or by a predicate that holds both ways ("at war with"):
	// both directions may stand (oneWay).
	joint bool
	probs [model.NumLabels]float32
	// feats is the range of the pair's features in workspace.candFeats.
	feats [2]int32
}

// oneWay keeps, of two relations that run both ways between the same two
// parties, only the more probable one, unless the two are joined in one
// phrase ("Iran and Russia signed", "clashes between X and Y") or by a
// predicate that holds both ways ("X is at war with Y"), or the less
// probable one is likely on its own (relations.BothWays): the model
// scores each direction on its own, and where a sentence reports one
// actor acting on another it tends to see some of the act both ways.
func oneWay(cands []relCand) []relCand {
	keep := cands[:0]
	// Candidates come sentence by sentence: each is compared with those of
	// its own sentence only, so the cost stays linear in the document.
	lo := 0
	for i := range cands {
		r := cands[i]
		for cands[lo].sentence != r.sentence {
			lo++
		}
		hi := i
		for hi < len(cands) && cands[hi].sentence == r.sentence {
			hi++
		}
		drop := false
		for j := lo; j < hi; j++ {
			o := &cands[j]
			if j == i || o.h != r.t || o.t != r.h || r.joint || relations.BothWays(r.probs[r.label]) {
				continue
			}
			if o.probs[o.label] > r.probs[r.label] || o.probs[o.label] == r.probs[r.label] && j < i {
				drop = true
			}
		}
		if !drop {
			keep = append(keep, r)
		}
	}
	return keep
}

// parties lists the candidate parties of w's document in token order:
// the found mentions, the caller's spans (which win over a mention they
// overlap, so that a relation's party is exactly the caller's span),
// generic actors (which take in a state mention right before them:
// "Iraqi police") and, with names, the unknown names that may hold a
// relation (nameParties; training has none), and leaves their token
// ranges in w.partyTargets and, without the names, in w.knownTargets.
func (a *Analyzer) parties(w *workspace, text string, spans []Span, names bool) []party {
	d := &w.doc
	// The three kinds are listed apart and merged: the mentions and the
	// generic actors come in token order, so merging does what a stable
	// sort of them all by first token did, at a fraction of its cost.
	callers := w.spanParties[:0]
	for _, s := range spans {
		t := a.tokenRange(d, s.Start, s.End, entities.TypeUnspecified)
		callers = append(callers, party{target: t, entity: spanEntity(text, s, w.mentions), span: s, mention: -1, caller: true})
	}
	slices.SortStableFunc(callers, func(a, b party) int { return a.target.First - b.target.First })
	w.spanParties = callers
	ents := w.mentionEnts[:0]
	for _, m := range w.mentions {
		ents = append(ents, m.Entity)
	}
	w.mentionEnts = ents
	w.generic = relations.FindGeneric(w.generic[:0], &w.ctx, w.wanted, w.targets, ents)
	ps := w.parties[:0]
	ci, gi, gm := 0, 0, 0 // next caller party, next generic actor, the generic actor the mentions are at
	// addUpTo adds the caller parties and generic actors that start before
	// token first (at it too, for callers: a stable sort put them first).
	addUpTo := func(first int) {
		for {
			switch {
			case ci < len(callers) && callers[ci].target.First <= first && (gi == len(w.generic) || callers[ci].target.First <= w.generic[gi].First):
				ps = append(ps, callers[ci])
				ci++
			case gi < len(w.generic) && w.generic[gi].First < first:
				g := w.generic[gi]
				gi++
				if n := len(ps); n > 0 && ps[n-1].caller && relations.Owns(d, ps[n-1].target, g.First) {
					continue // "ADF rebels" with the span "ADF": the span names the actor
				}
				t := features.Target{First: g.First, End: g.End, Type: uint8(entities.TypeGroup)}
				ps = append(ps, party{target: t, entity: g.Entity, span: Span{d.Tokens[g.First].Start, d.Tokens[g.End-1].End}, mention: -1})
			default:
				return
			}
		}
	}
	for i, t := range w.targets {
		// A generic actor that took this mention in stands for it.
		for gm < len(w.generic) && w.generic[gm].End <= t.First {
			gm++
		}
		if gm < len(w.generic) && w.generic[gm].First <= t.First && t.End <= w.generic[gm].End {
			continue
		}
		addUpTo(t.First)
		post := features.IsPost(d, t.First)
		if post && !features.PostActedOn(d, t.First) {
			continue // "the Iranian ambassador to Moscow": where he serves, not who speaks
		}
		if features.MadeIn(d, t) {
			continue // "US-made missiles": where they were made, not who fired them
		}
		m := w.mentions[i]
		ps = append(ps, party{target: t, entity: m.Entity, span: Span{m.Start, m.End}, mention: i, post: post})
	}
	addUpTo(len(d.Tokens))
	// Of overlapping parties the one of higher rank stays. A caller's
	// span on the state that a generic actor before it takes in ("police
	// in [Kenya]") stays with the actor's tokens: the span is the
	// actor's owner, not the object of "in".
	out := ps[:0]
	for _, p := range ps {
		if n := len(out); n > 0 && overlaps(out[n-1].target, p.target) && !compoundParts(out, p) {
			if p.rank() < out[n-1].rank() {
				if q := out[n-1]; p.caller && isGeneric(q.entity) && q.entity.Country != "" &&
					q.target.First < p.target.First && q.target.End == p.target.End {
					p.target.First = q.target.First
				}
				out[n-1] = p
			}
			continue
		}
		out = append(out, p)
	}
	w.parties = out // the buffer, before the names are merged in
	if names {
		w.nameParties = nameParties(w.nameParties[:0], d, w.wanted, out, w.targets, w.leftOut, w.cues)
		w.nameParties = pronounParties(w.nameParties, &w.ctx, w.corefs, w.mentions, out)
		out = mergeParties(w, out, w.nameParties)
	}
	w.partyTargets = w.partyTargets[:0]
	for _, p := range out {
		w.partyTargets = append(w.partyTargets, p.target)
	}
	w.knownTargets, w.knownIndex = w.partyTargets, w.knownIndex[:0]
	if names && len(w.nameParties) > 0 {
		// The parties without the names, and each party's index among
		// them: the features of a pair of two known parties, and their
		// stances, are read as if no name were there (knownParty,
		// knownStances), as the
		// model was trained, so that a name changes no other pair's score.
		w.knownTargets = w.knownBuf[:0]
		for _, p := range out {
			if p.name {
				w.knownIndex = append(w.knownIndex, -1)
				continue
			}
			w.knownIndex = append(w.knownIndex, len(w.knownTargets))
			w.knownTargets = append(w.knownTargets, p.target)
		}
		w.knownBuf = w.knownTargets
	}
	return out
}

// knownStances returns stances laid out by w.knownTargets, where only
// parties h and t, the pair extracted, are read.
func (w *workspace) knownStances(stances [][2]float32, h, t int) [][2]float32 {
	ks := slices.Grow(w.knownStanceBuf[:0], len(w.knownTargets))[:len(w.knownTargets)]
	ks[w.knownIndex[h]], ks[w.knownIndex[t]] = stances[h], stances[t]
	w.knownStanceBuf = ks
	return ks
}

// knownParty returns party i's index in w.knownTargets, the parties
// without the unknown names.
func (w *workspace) knownParty(i int) int {
	if len(w.knownIndex) == 0 {
		return i
	}
	return w.knownIndex[i]
}

// mergeParties merges names, in token order and overlapping none of ps,
// into ps, in token order.
func mergeParties(w *workspace, ps, names []party) []party {
	if len(names) == 0 {
		return ps
	}
	merged := slices.Grow(w.mergedParties[:0], len(ps)+len(names))
	i := 0
	for _, p := range ps {
		for i < len(names) && names[i].target.First < p.target.First {
			merged = append(merged, names[i])
			i++
		}
		merged = append(merged, p)
	}
	merged = append(merged, names[i:]...)
	w.mergedParties = merged
	return merged
}

// rank orders overlapping parties: a caller's span first, then a found
// mention, then a generic actor.
func (p *party) rank() int {
	switch {
	case p.caller:
		return 0
	case p.mention >= 0:
		return 1
	}
	return 2
}

func overlaps(a, b features.Target) bool { return a.First < b.End && b.First < a.End }

// compoundParts reports whether party p, which overlaps the last party of
// out in tokens, is another actor of the same hyphenated word
// ("Turkish-Libyan", "US-South Korea"): apart in bytes from every party
// it overlaps, each names its own actor. A word holds at most
// maxCompoundParts of them; beyond, p is read as overlapping, which keeps
// a word of thousands of names linear.
func compoundParts(out []party, p party) bool {
	for i := len(out) - 1; i >= 0 && overlaps(out[i].target, p.target); i-- {
		if len(out)-i >= maxCompoundParts || p.span.Start < out[i].span.End && out[i].span.Start < p.span.End {
			return false
		}
	}
	return true
}

// maxCompoundParts is the most parties one hyphenated word holds: three
// actors ("an Israeli-Cypriot-Greek effort") and a caller's span on one of
// them, with room to spare.
const maxCompoundParts = 6

// sameActor reports whether two parties are one actor, which holds no
// stance toward itself: the same entity, an official or generic actor and
// their state, or a state's official and its generic actor. It is
// symmetric.
func sameActor(a, b entities.Entity) bool {
	if a.ID == "" || b.ID == "" {
		return a.ID == b.ID && a.Name == b.Name
	}
	// An official and their own state are one actor here: in "Turkey's
	// foreign minister Hakan Fidan", Turkey holds no stance toward Fidan;
	// nor does "the Belarusian president" toward Lukashenko.
	if a.Country != "" && a.Country == b.ID || b.Country != "" && b.Country == a.ID {
		return true
	}
	// A generic actor and an official of one state are one actor; two
	// generic actors of one state are so in the same role only (below),
	// as two roles of one state may be at odds ("the army of Sudan
	// clashed with rebels in Darfur").
	if a.Country != "" && a.Country == b.Country && isGeneric(a) != isGeneric(b) {
		return true
	}
	return a.ID == b.ID && a.Country == b.Country
}

// oneActor reports whether two parties are one actor: sameActor, or a
// caller's span that is no found mention, which has only its words for a
// name, and a party the text names the same way, by its words or its
// entity's name ("The Coast Guard ordered Coast Guard units", where the
// second is the generic actor "military"). It is symmetric.
func oneActor(text string, a, b *party) bool {
	if sameActor(a.entity, b.entity) {
		return true
	}
	if a.entity.ID != "" && b.entity.ID != "" {
		return false
	}
	return strings.EqualFold(a.entity.Name, b.entity.Name) ||
		strings.EqualFold(text[a.span.Start:a.span.End], text[b.span.Start:b.span.End])
}

// affiliated reports whether parties a and b are a person and the body
// they belong to, as the words between them tie them
// (features.AffiliationBetween): the earlier a person or an unknown name
// with a title of the later ("Kerik, a former commissioner of the New York
// police"; "Arnel dela Vega of the army"), or the later a person or an
// organisation right after the earlier's possessive ("Argentina's National
// Congress"), not a state ("Russia's Ukraine invasion"). It is symmetric.
func affiliated(d *features.Document, a, b *party) bool {
	if b.target.First < a.target.First {
		a, b = b, a
	}
	person := func(p *party) bool { return p.name || p.entity.Type == entities.TypePerson }
	// The types first: most pairs are two states, which no words tie.
	titled := person(a) && !person(b)
	owned := person(b) || b.entity.Type == entities.TypeOrganization
	if !titled && !owned {
		return false
	}
	switch features.AffiliationBetween(d, a.target, b.target) {
	case features.AffiliatedBy, features.AffiliatedOf:
		return titled
	case features.AffiliatedOwned:
		return owned
	}
	return false
}

// strongestEvent returns the CAMEO class and code of the lexicon cue with
// a CAMEO code that supports label most, if one does.
func strongestEvent(w *workspace, m *model.Model, fs []features.Feature, label model.Label) (lexicon.Quad, string) {
	best, bestCue := float32(0), int32(-1)
	for _, f := range fs {
		if f.Cue < 0 || w.cues[f.Cue].Quad == lexicon.QuadNone || (w.cues[f.Cue].Polarity < 0) != (label == model.Hostile) {
			continue // no code, or a cue of the other side
		}
		if v := m.Contributions(f)[label]; v > best {
			best, bestCue = v, f.Cue
		}
	}
	if bestCue < 0 {
		return lexicon.QuadNone, ""
	}
	cue := &w.cues[bestCue]
	return cue.Quad, lexicon.Cue{Source: cue.Source}.CAMEO()
}

// dyads sums relations up per (holder, target) pair of actors. A person
// or generic actor that speaks for a state counts for that state too, on
// either side ("Iran's foreign minister said ...": Iran -> NATO as well;
// "Raisi's talks with Putin": Iran -> Russia as well), unless the state is
// the other side.
func (c *Classifier) dyads(w *workspace, out []Dyad, rels []Relation) []Dyad {
	if w.dyadAt == nil {
		w.dyadAt = map[dyadKey]int{}
	}
	clear(w.dyadAt)
	add := func(h, t entities.Entity, r *Relation) {
		k := dyadKey{actorKey(h), actorKey(t)}
		i, ok := w.dyadAt[k]
		if !ok {
			i = len(out)
			w.dyadAt[k] = i
			out = append(out, Dyad{Holder: h, Target: t})
		}
		dy := &out[i]
		dy.Support++
		for l := range dy.Probs {
			dy.Probs[l] += r.Probs[l]
		}
	}
	for i := range rels {
		r := &rels[i]
		h, t := r.Holder.Entity, r.Target.Entity
		if isGeneric(h) && isGeneric(t) && h.ID == t.ID {
			continue // two unnamed governments: nobody a reader can follow
		}
		add(h, t, r)
		hs, hok := c.speaksFor(w, h)
		ts, tok := c.speaksFor(w, t)
		hok = hok && hs.ID != t.ID && hs.ID != t.Country
		tok = tok && ts.ID != h.ID && ts.ID != h.Country
		if hok {
			add(hs, t, r)
		}
		if tok {
			add(h, ts, r)
		}
		if hok && tok && hs.ID != ts.ID {
			add(hs, ts, r)
		}
	}
	for i := range out {
		dy := &out[i]
		for l := range dy.Probs {
			dy.Probs[l] /= float32(dy.Support)
		}
		dy.Label = model.Hostile
		if dy.Probs[model.Cooperative] > dy.Probs[model.Hostile] {
			dy.Label = model.Cooperative
		}
	}
	slices.SortStableFunc(out, func(a, b Dyad) int { return b.Support - a.Support })
	return out
}

// speaksFor returns the state that a person or generic actor speaks for,
// where the text or the gazetteer says.
func (c *Classifier) speaksFor(w *workspace, e entities.Entity) (entities.Entity, bool) {
	if e.Country == "" || e.Type != entities.TypePerson && e.Type != entities.TypeGroup {
		return entities.Entity{}, false
	}
	return c.stateEntity(w, e.Country)
}

// dyadKey names a dyad's two actors.
type dyadKey struct{ holder, target actor }

// actor identifies a party for dyads: an entity by its id and state, a
// caller's span without an entity or a generic actor without a state by
// its name as well.
type actor struct{ id, country, name string }

func actorKey(e entities.Entity) actor {
	if e.ID != "" && !isGeneric(e) || e.Country != "" {
		return actor{e.ID, e.Country, ""}
	}
	return actor{e.ID, e.Country, e.Name}
}

// stateEntity returns the entity with the given ID: from the document's
// mentions when it is named there, else from the gazetteer, whose look-up
// scans its table; so each ID is looked up once per document.
func (c *Classifier) stateEntity(w *workspace, id string) (entities.Entity, bool) {
	if w.states == nil {
		w.states = map[string]entities.Entity{}
	}
	if e, ok := w.states[id]; ok {
		return e, e.ID != ""
	}
	var e entities.Entity
	found := false
	for _, m := range w.mentions {
		if m.Entity.ID == id {
			e, found = m.Entity, true
			break
		}
	}
	if !found {
		e, found = c.an.gaz.Lookup(id)
	}
	w.states[id] = e // the zero entity remembers a miss
	return e, found
}

// PairSpan is an ordered pair of byte spans of a text: a holder and a
// target.
type PairSpan struct{ Holder, Target Span }

// trainingParties analyzes text with the built-in gazetteer and spans as
// the caller's, and returns the parties the relation stage would pair,
// their targets in w.partyTargets. untyped drops the targets' entity types,
// as a caller's span has none.
func (a *Analyzer) trainingParties(w *workspace, text string, spans []Span, untyped bool) ([]party, error) {
	if err := a.analyze(w, text, entities.Options{Builtin: true}, spans, false); err != nil {
		return nil, err
	}
	parties := a.parties(w, text, spans, false)
	if untyped {
		for i := range w.partyTargets {
			w.partyTargets[i].Type = uint8(entities.TypeUnspecified)
		}
	}
	return parties, nil
}

// PairFeatures extracts the pair features of holder-target pairs of text,
// with the given spans as the caller's spans (so that they are parties
// exactly), as the relation stage would, and calls fn with each; fs is nil
// for a pair the stage would not score (not in one sentence, too far
// apart). The slice passed to fn is reused after fn returns. Spans must be
// valid (see ValidateSpans).
func (a *Analyzer) PairFeatures(ext *features.Extractor, mention *model.Model, text string, spans []Span, pairs []PairSpan, fn func(i int, fs []features.Feature)) error {
	w := a.get()
	defer a.put(w)
	parties, err := a.trainingParties(w, text, spans, false)
	if err != nil {
		return err
	}
	stances := a.partyStances(w, mention, parties, nil, false)
	find := func(s Span) int {
		for i, p := range parties {
			if p.span == s {
				return i
			}
		}
		return -1
	}
	for i, pr := range pairs {
		h, t := find(pr.Holder), find(pr.Target)
		if h < 0 || t < 0 || h == t || !w.ctx.Pairable(w.partyTargets, h, t) {
			fn(i, nil)
			continue
		}
		w.feats = ext.ExtractPair(w.feats[:0], &w.ctx, w.partyTargets, stances, h, t)
		fn(i, w.feats)
	}
	return nil
}

// partyStances scores the stance the text takes toward each party with
// the mention model, over the party list (so that training and serving see
// the same features), for the parties that share their sentence with
// another; the others get zeros, as no pair reads them.
//
// scored are the mentions as the mention stage scored them, when it has.
// With lazy, a party that needs the mention model is left for dueStance,
// which scores it when a pair first reads it: a quarter of them are in no
// pair (too far apart, in another clause).
func (a *Analyzer) partyStances(w *workspace, m *model.Model, parties []party, scored []Mention, lazy bool) [][2]float32 {
	d := &w.doc
	st := slices.Grow(w.partyStances[:0], len(parties))[:len(parties)]
	due := slices.Grow(w.stanceDue[:0], len(parties))[:len(parties)]
	clear(due)
	w.stanceDue = due
	targets := w.partyTargets
	si := 0
	for lo := 0; lo < len(parties); {
		for d.Sentences[si].End <= targets[lo].First {
			si++
		}
		sentEnd := d.Sentences[si].End
		// Names are not among the parties a mention's features read
		// (knownTargets): a sentence of mentions and names is one of
		// mentions only.
		hi, onlyMentions := lo, true
		for ; hi < len(parties) && targets[hi].First < sentEnd; hi++ {
			onlyMentions = onlyMentions && (parties[hi].mention >= 0 || parties[hi].name)
		}
		for i := lo; i < hi; i++ {
			switch {
			case hi-lo < 2 || parties[i].name:
				// No pair reads it, or a name: the mention model, trained
				// on named targets, reads little in an unknown name, and
				// its stance would cost a mention's reading for each.
				st[i] = [2]float32{}
				continue
			case scored != nil && parties[i].mention >= 0 && (onlyMentions || w.ctx.SameFeatures(w.knownTargets, w.knownParty(i), w.targets, parties[i].mention)):
				// The mention stage scored this mention, with these very
				// features where SameFeatures says so. Where every party
				// of the sentence is a mention, its score is taken as it
				// is, as it always was; its features differ only where a
				// mention overlapping another was left out of the parties
				// (a caller's target inside a built-in mention).
				p := scored[parties[i].mention].Probs
				st[i] = [2]float32{p[model.Hostile], p[model.Cooperative]}
				continue
			case lazy:
				st[i], due[i] = [2]float32{}, true
				continue
			}
			st[i] = a.partyStance(w, m, i)
		}
		lo = hi
	}
	w.partyStances = st
	return st
}

// dueStance scores party i's stance, if partyStances left it due. It uses
// w.feats.
func (a *Analyzer) dueStance(w *workspace, m *model.Model, i int) {
	if w.stanceDue[i] {
		w.partyStances[i] = a.partyStance(w, m, i)
		w.stanceDue[i] = false
	}
}

// partyStance scores the stance toward party i with mention model m over
// the party list. It uses w.feats.
func (a *Analyzer) partyStance(w *workspace, m *model.Model, i int) [2]float32 {
	w.feats = a.ext.Extract(w.feats[:0], &w.ctx, w.knownTargets, w.knownParty(i))
	p := m.Score(w.feats).Probs
	return [2]float32{p[model.Hostile], p[model.Cooperative]}
}

func isGeneric(e entities.Entity) bool { return strings.HasPrefix(e.ID, "generic:") }
