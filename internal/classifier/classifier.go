package classifier

import (
	"context"
	"fmt"
	"slices"

	"github.com/stance/classifierd/internal/document"
	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/lexicon"
	"github.com/stance/classifierd/internal/model"
)

// Classifier scores the stance of a text toward the entities it mentions.
// It is immutable and safe for concurrent use; a reload builds a new one.
type Classifier struct {
	an *Analyzer
	// models are the three stages' models; model is the mention model,
	// the one every mention is scored with.
	models *model.Bundle
	model  *model.Model
	// relExt hashes pair features with the relation model's width.
	relExt *features.Extractor
}

// New joins an analyzer and a model bundle. The analyzer must hash
// features with the mention model's width.
func New(an *Analyzer, b *model.Bundle) (*Classifier, error) {
	if an.ext.Bits() != b.Bits() {
		return nil, fmt.Errorf("analyzer hashes %d bits, model %s has %d", an.ext.Bits(), b.Version(), b.Bits())
	}
	c := &Classifier{an: an, models: b, model: b.Mention}
	if b.Relation != nil {
		c.relExt = features.NewExtractor(b.Relation.Bits())
	}
	return c, nil
}

// Model returns the classifier's model bundle.
func (c *Classifier) Model() *model.Bundle { return c.models }

// Analyzer returns the classifier's analyzer.
func (c *Classifier) Analyzer() *Analyzer { return c.an }

// Span is a half-open range of UTF-8 byte offsets.
type Span struct{ Start, End int }

// Request is one document to classify. Offsets are UTF-8 bytes.
type Request struct {
	Text    string
	Targets []entities.Target
	// Spans are explicit spans to classify, answered in Result.Targeted.
	Spans []Span
	// Builtin enables the built-in gazetteer.
	Builtin bool
	// TypesAsGiven leaves the targets without a type untyped instead of
	// typing them as the service can (entities.Options.TypesAsGiven).
	TypesAsGiven bool
	// MaxEvidence is the most evidence items per mention; 0 means none.
	MaxEvidence int
}

// Evidence is one cue or context word that moved a decision.
type Evidence struct {
	Span Span
	// Contribution is the log-odds the item adds to the predicted label.
	Contribution float32
	// Label is the stance the item pushes toward on its own.
	Label model.Label
	// Source is the lexicon source, or "context" for a nearby word.
	Source string
}

// Mention is a scored mention.
type Mention struct {
	Span     Span
	Entity   entities.Entity
	Label    model.Label
	Probs    [model.NumLabels]float32
	Evidence []Evidence
	// Holder is who holds the stance, when the text says; ID is empty
	// otherwise.
	Holder entities.Entity
}

// EntityStance is the document's stance toward one entity.
type EntityStance struct {
	Entity   entities.Entity
	Label    model.Label
	Probs    [model.NumLabels]float32
	Mentions int
	Salience float64
}

// Party is one side of a relation: a found mention or a caller's span.
type Party struct {
	Span   Span
	Entity entities.Entity
}

// Relation is a directed stance that the text asserts from a holder toward
// a target: what the holder does or says toward it. Label is Hostile or
// Cooperative; Probs[Neutral] is the probability that no stance is asserted.
type Relation struct {
	Holder, Target Party
	Label          model.Label
	Probs          [model.NumLabels]float32
	Evidence       []Evidence
	Sentence       Span
	// Quad and CAMEO are the CAMEO class and code of the strongest
	// lexicon cue of the relation, when one has a code.
	Quad  lexicon.Quad
	CAMEO string
}

// Dyad sums up the relations from one entity toward another.
type Dyad struct {
	Holder, Target entities.Entity
	Label          model.Label
	Probs          [model.NumLabels]float32
	// Support is the number of relations behind the dyad.
	Support int
}

// Result is the classification of one document.
type Result struct {
	Mentions []Mention
	Entities []EntityStance
	Targeted []Mention
	// Relations are in sentence order, then by target, then by holder.
	Relations []Relation
	// Dyads are ordered by support, then by first relation.
	Dyads []Dyad
	// evidence holds the evidence of all mentions, which their Evidence
	// slices cut from; ClassifyInto reuses it.
	evidence []Evidence
	// inputs are the document stage's inputs, aligned with Entities (see
	// DocumentInputs).
	inputs     []document.Input
	keepInputs bool
}

// checkEvery is how many mentions are scored between context checks, so
// that a cancelled call on a huge document stops soon.
const checkEvery = 64

// Classify scores req. It returns a *FieldError for invalid spans or
// targets and the context's error when ctx ends first.
func (c *Classifier) Classify(ctx context.Context, req Request) (Result, error) {
	var res Result
	if err := c.ClassifyInto(ctx, req, &res); err != nil {
		return Result{}, err
	}
	return res, nil
}

// ClassifyInto is Classify that builds the result in res, reusing the
// slices that an earlier result left there, so that a caller that is done
// with each result before the next (a server converting it to a response)
// does not allocate them again. Whatever res held is overwritten, the
// evidence of its mentions included; after an error its contents are
// unspecified.
func (c *Classifier) ClassifyInto(ctx context.Context, req Request, res *Result) error {
	if err := ValidateSpans(req.Text, req.Spans); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	w := c.an.get()
	defer c.an.put(w)
	w.evidence, w.evRanges = w.evidence[:0], w.evRanges[:0]
	// The stages, in order; each reads what the ones before it left in w
	// and res.
	//  1. analyze: words, sentences, mentions, cues (Analyzer.analyze)
	//  2. mentions: the stance toward each mention and each caller span
	//  3. relations: who is hostile or cooperative toward whom, and dyads
	//  4. document: the stance of the whole text toward each entity
	//  5. assemble: hand out the evidence
	// Pronouns are linked for the document stage, which counts them as
	// mentions, and for the relation stage, where those in subject
	// position hold relations (pronounParties).
	corefs := c.models.Document != nil || c.models.Relation != nil || res.keepInputs
	if err := c.an.analyze(w, req.Text, entities.Options{Builtin: req.Builtin, Targets: req.Targets, TypesAsGiven: req.TypesAsGiven}, req.Spans, corefs); err != nil {
		return targetError(err)
	}
	if err := spansWithoutWords(&w.doc, req.Spans); err != nil {
		return err
	}
	if err := c.scoreMentions(ctx, w, req, res); err != nil {
		return err
	}
	res.Relations, res.Dyads = res.Relations[:0], res.Dyads[:0]
	w.actedOn, w.stageRels = w.actedOn[:0], w.stageRels[:0]
	if c.models.Relation != nil {
		if err := ctx.Err(); err != nil {
			return err
		}
		res.Relations = c.relate(w, req, res.Mentions, res.Relations)
		res.Dyads = c.dyads(w, res.Dyads, res.Relations)
		w.stageRels = append(append(w.stageRels, res.Relations...), w.quietRels...)
		c.holdersFromRelations(w, res, w.stageRels)
	}
	c.scoreCorefs(w, res)
	c.aggregate(res, w, req.Text, w.mentions)
	assembleEvidence(w, req, res)
	return nil
}

// scoreMentions is the mention stage: the stance toward every found
// mention and every caller span, with evidence ranges in w.
func (c *Classifier) scoreMentions(ctx context.Context, w *workspace, req Request, res *Result) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	an := c.an
	res.Mentions = resize(res.Mentions, len(w.mentions))
	w.mentionContext = resize(w.mentionContext, len(w.mentions))
	for i, m := range w.mentions {
		if i%checkEvery == checkEvery-1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		w.feats = an.ext.Extract(w.feats[:0], &w.ctx, w.targets, i)
		var s model.Scores
		res.Mentions[i], s = c.score(w, w.targets, i, w.feats, req.MaxEvidence)
		w.mentionContext[i] = s.Probs
		if c.models.Document != nil || res.keepInputs {
			w.mentionContext[i] = c.withoutPrior(w.feats, s)
		}
		res.Mentions[i].Span = Span{m.Start, m.End}
		res.Mentions[i].Entity = m.Entity
	}
	res.Targeted = resize(res.Targeted, len(req.Spans))
	var merged []features.Target
	for i, s := range req.Spans {
		if i%checkEvery == checkEvery-1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		var at int
		merged, at = withSpan(merged, w.targets, an.tokenRange(&w.doc, s.Start, s.End, entities.TypeUnspecified))
		w.feats = an.ext.Extract(w.feats[:0], &w.ctx, merged, at)
		res.Targeted[i], _ = c.score(w, merged, at, w.feats, req.MaxEvidence)
		res.Targeted[i].Span = s
		res.Targeted[i].Entity = spanEntity(req.Text, s, w.mentions)
	}
	return nil
}

// scoreCorefs scores the pronouns that refer to people (see findCorefs)
// as mentions, for the document stage only.
func (c *Classifier) scoreCorefs(w *workspace, res *Result) {
	w.corefProbs, w.corefContext = w.corefProbs[:0], w.corefContext[:0]
	if len(w.corefs) == 0 || c.models.Document == nil && !res.keepInputs {
		return
	}
	merged := w.partyTargets[:0] // free again once relations are done
	for _, cr := range w.corefs {
		var at int
		merged, at = withSpan(merged, w.targets, features.Target{First: cr.token, End: cr.token + 1, Type: uint8(entities.TypePerson)})
		w.feats = c.an.ext.Extract(w.feats[:0], &w.ctx, merged, at)
		sc := c.model.Score(w.feats)
		w.corefProbs = append(w.corefProbs, sc.Probs)
		w.corefContext = append(w.corefContext, c.withoutPrior(w.feats, sc))
	}
	w.partyTargets = merged
}

// assembleEvidence hands out the evidence of the document, all in one
// array: each mention, span and relation gets its part with its capacity
// capped, so appending to one's evidence never overwrites the next.
func assembleEvidence(w *workspace, req Request, res *Result) {
	if req.MaxEvidence == 0 {
		return
	}
	res.evidence = append(res.evidence[:0], w.evidence...)
	all := res.evidence
	r := w.evRanges
	for i := range res.Mentions {
		res.Mentions[i].Evidence = all[r[0]:r[1]:r[1]]
		r = r[2:]
	}
	for i := range res.Targeted {
		res.Targeted[i].Evidence = all[r[0]:r[1]:r[1]]
		r = r[2:]
	}
	for i := range res.Relations {
		res.Relations[i].Evidence = all[r[0]:r[1]:r[1]]
		r = r[2:]
	}
}

// resize returns s with length n, reusing its array when large enough. The
// elements are not cleared: the caller overwrites each.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// spanEntity names the entity of an explicit span: the mention with the
// same span if there is one, else the span's own text.
func spanEntity(text string, s Span, ms []entities.Mention) entities.Entity {
	i, found := slices.BinarySearchFunc(ms, s.Start, func(m entities.Mention, start int) int { return m.Start - start })
	if found && ms[i].End == s.End {
		return ms[i].Entity
	}
	return entities.Entity{Name: text[s.Start:s.End]}
}

// score runs the model on one mention's features and explains it. Its
// evidence goes to w.evidence, and its range there to w.evRanges: Classify
// hands them out once the document is done.
func (c *Classifier) score(w *workspace, targets []features.Target, m int, fs []features.Feature, maxEvidence int) (Mention, model.Scores) {
	s := c.model.Score(fs)
	label := s.Label()
	out := Mention{Label: label, Probs: s.Probs}
	if maxEvidence > 0 {
		start := len(w.evidence)
		w.evidence = c.explain(w, c.model, fs, label, maxEvidence, targets[m], features.Target{}, false)
		w.evRanges = append(w.evRanges, int32(start), int32(len(w.evidence)))
	}
	out.Holder = holder(w, targets, m)
	return out, s
}

// withoutPrior returns the probabilities of scores s of a mention's
// features fs without the prior of its own words: news that mostly
// reports a party one way ("Trump", "Hamas") gives its name a weight that
// says nothing of how this article treats it.
func (c *Classifier) withoutPrior(fs []features.Feature, s model.Scores) [model.NumLabels]float32 {
	k := features.PriorStart(fs)
	if k == len(fs) {
		return s.Probs
	}
	prior, bias := c.model.Logits(fs[k:]), c.model.Logits(nil)
	logits := s.Logits
	for l := range logits {
		logits[l] -= prior[l] - bias[l]
	}
	return model.Softmax(logits, c.model.Temperature())
}

// evItem is one candidate evidence item: a cue or a context word, as the
// token range [first, end).
type evItem struct {
	first, end int32
	// next is the index+1 of the next item with the same first token.
	next int32
	// cue is the index in w.cues of the last cue that fed the item, which
	// names its source, or -1 for a context word. An index rather than the
	// source string keeps items small and free of pointers.
	cue int32
	per [model.NumLabels]float32
	// strength is |per[label]| once the sums are done: the ranking key.
	strength float32
}

// explain sums feature contributions per text span (a cue, or a context
// word; a cue word that is also a context word is one item) of model m and
// appends the strongest, at most limit, to w.evidence, strongest first
// (ties by position, then by first appearance in fs). Items a reader would
// not accept as a reason are left out: punctuation, numbers and function
// words, and anything inside the parties' own spans (skipA, skipB: "Treaty"
// is no evidence about the North Atlantic Treaty Organization).
//
// Items are keyed by token range, which is the same as keying by byte span
// since tokens do not overlap. w.itemAt[t] is the index+1 of the first
// item whose range starts at token t, so the lookup allocates nothing.
//
// With supportOnly, only items that support the label are listed, and of
// the lexicon cues only those of the label's side: a relation's evidence is
// what carries it.
func (c *Classifier) explain(w *workspace, m *model.Model, fs []features.Feature, label model.Label, limit int, skipA, skipB features.Target, supportOnly bool) []Evidence {
	if n := len(w.doc.Tokens); len(w.itemAt) < n {
		w.itemAt = make([]int32, n)
	}
	items := w.items[:0]
	for _, f := range fs {
		var first, end int32
		switch {
		case f.Cue >= 0:
			cm := &w.cues[f.Cue]
			first, end = int32(cm.First), int32(cm.End)
		case f.Token >= 0:
			first, end = f.Token, f.Token+1
		default:
			continue
		}
		j := w.itemAt[first] - 1
		for j >= 0 && items[j].end != end {
			j = items[j].next - 1
		}
		if j < 0 {
			// Appending a zero item and setting its fields, rather than
			// appending a literal: the compiler builds a literal on the
			// stack with 4-byte stores and copies it with 16-byte loads,
			// which the processor cannot forward from those stores (a
			// stall that was a sixth of explain on the seed article).
			j = int32(len(items))
			items = append(items, evItem{})
			it := &items[j]
			it.first, it.end, it.next, it.cue = first, end, w.itemAt[first], f.Cue
			w.itemAt[first] = j + 1
		} else if f.Cue >= 0 {
			items[j].cue = f.Cue // a lexicon cue names its source
		}
		contrib := m.Contributions(f)
		it := &items[j]
		it.per[0] += contrib[0]
		it.per[1] += contrib[1]
		it.per[2] += contrib[2]
	}
	w.items = items
	const minContribution = 0.02
	// The top list holds item indices, strongest first; an item joins it by
	// insertion, so items come in order of first appearance and a tie goes
	// after the items already there, as a stable sort would put it. Only
	// the winners become Evidence.
	top := w.top[:0]
	for i := range items {
		it := &items[i]
		w.itemAt[it.first] = 0
		it.strength = abs(it.per[label])
		if it.strength < minContribution || supportOnly && (it.per[label] <= 0 || it.cue >= 0 && (w.cues[it.cue].Polarity < 0) != (label == model.Hostile)) || within(it, skipA) || within(it, skipB) {
			continue
		}
		p := len(top)
		for p > 0 && it.outranks(&items[top[p-1]]) {
			p--
		}
		// Where it would rank is asked before the look-ups that may rule
		// it out (a word of a mention, a function word): an item that
		// would not make the list needs neither, and the list holds only
		// items that passed them, so it comes out the same.
		if p >= limit || inMention(w.inMention, it) || it.cue < 0 && !contentWord(&w.doc, int(it.first)) && !(supportOnly && label == model.Hostile && counterWordAt(&w.doc, int(it.first))) {
			continue
		}
		if len(top) < limit {
			top = append(top, 0)
		}
		copy(top[p+1:], top[p:len(top)-1])
		top[p] = int32(i)
	}
	w.top = top
	ev := w.evidence
	for _, i := range top {
		it := &items[i]
		source := "context"
		var toward model.Label
		if it.cue >= 0 {
			// A lexicon cue pushes toward its own polarity, whichever
			// label it supports here ("accused" is hostile, also where it
			// makes its subject a neutral speaker).
			cue := &w.cues[it.cue]
			source = cue.Source
			toward = model.Cooperative
			if cue.Polarity < 0 {
				toward = model.Hostile
			}
		} else if it.per[label] > 0 {
			toward = label // a context word that supports the label
		} else {
			toward = model.Hostile
			for _, l := range model.Labels {
				if it.per[l] > it.per[toward] {
					toward = l
				}
			}
		}
		ev = append(ev, Evidence{Span: Span{w.doc.Tokens[it.first].Start, w.doc.Tokens[it.end-1].End},
			Contribution: it.per[label], Label: toward, Source: source})
	}
	return ev
}

// within reports whether item it lies inside party t's tokens.
func within(it *evItem, t features.Target) bool {
	return t.End > t.First && int(it.first) < t.End && int(it.end) > t.First
}

// inMention reports whether item it lies in a found mention: an entity's
// name ("Treaty", "President") is no reason for a stance.
func inMention(inMention []bool, it *evItem) bool {
	for i := it.first; i < it.end; i++ {
		if inMention[i] {
			return true
		}
	}
	return false
}

// contentWord reports whether token i is a word a reader takes as a reason:
// not punctuation, a number or a function word.
func contentWord(d *features.Document, i int) bool {
	if d.Tokens[i].Kind != features.KindWord {
		return false
	}
	if r := d.Text[d.Tokens[i].Start]; r == '\'' || r == 0xe2 { // "'s", "’s"
		return false
	}
	return !d.IsFunctionWord(i)
}

// counterWordAt reports whether token i is a function word that aims an
// act against its object ("cooperated against the Islamic State"): where
// it carries a relation's hostility, it is the evidence, though a
// function word.
func counterWordAt(d *features.Document, i int) bool {
	return d.Tokens[i].Kind == features.KindWord && features.CounterWord(d.LowerFast(i))
}

// outranks orders items: larger absolute contribution first, then by
// position (the first token's order is its start's, as tokens do not
// overlap).
func (it *evItem) outranks(other *evItem) bool {
	if it.strength != other.strength {
		return it.strength > other.strength
	}
	return it.first < other.first
}

func abs(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}

// holder finds who holds the stance toward targets[m]: the subject of a
// verb cue that m is the object of, in m's clause. Only the cues and
// targets of that clause are looked at, so the cost stays linear in the
// document however many mentions it has.
func holder(w *workspace, targets []features.Target, m int) entities.Entity {
	d := &w.doc
	// In "NATO accused Iran, while Iran and Russia signed a pact", NATO
	// holds no stance toward the second Iran.
	first, end := w.ctx.ClauseOf(targets[m])
	firstCue, _ := slices.BinarySearchFunc(w.cues, first, func(c features.CueMatch, f int) int { return c.First - f })
	firstTarget, _ := slices.BinarySearchFunc(targets, first, func(t features.Target, f int) int { return t.First - f })
	for ci := firstCue; ci < len(w.cues) && w.cues[ci].End <= end; ci++ {
		cue := &w.cues[ci]
		if cue.RelationOnly || features.RoleOf(d, targets, m, cue) != features.RoleObject {
			continue
		}
		for j := firstTarget; j < len(targets) && targets[j].End <= end; j++ {
			if j != m && features.RoleOf(d, targets, j, cue) == features.RoleSubject {
				if e, ok := mentionEntity(w, targets[j]); ok {
					return e
				}
			}
		}
	}
	return entities.Entity{}
}

// mentionEntity returns the entity of the found mention at target t.
func mentionEntity(w *workspace, t features.Target) (entities.Entity, bool) {
	i, found := slices.BinarySearchFunc(w.targets, t.First, func(tt features.Target, first int) int { return tt.First - first })
	if found && w.targets[i].End == t.End {
		return w.mentions[i].Entity, true
	}
	return entities.Entity{}, false
}

// ScoreSpans scores explicit byte spans of text with the built-in
// gazetteer on, as Classify does for ClassifyRequest.spans, but without
// evidence or aggregation: the evaluation path.
func (c *Classifier) ScoreSpans(text string, spans []Span, fn func(i int, probs [model.NumLabels]float32)) error {
	if err := ValidateSpans(text, spans); err != nil {
		return err
	}
	return c.an.SpanFeatures(text, spans, true, func(i int, fs []features.Feature) {
		fn(i, c.model.Score(fs).Probs)
	})
}

// holdersFromRelations sets each mention's holder to the holder of the
// most probable of rels toward it (the relations the relation stage
// found, returned or not: w.stageRels): the relation model sees speakers,
// passives and possessors that the mention scorer's own holder rule does
// not.
//
// A mention that no relation is toward takes the holder of the most
// probable relation toward the same entity in its sentence: in "The
// president stated that NATO's expansion creates tensions, stressing, 'The
// expansion of NATO is a threat'", the stance toward the second NATO is
// the president's as much as toward the first.
//
// An official or a generic actor ("the government") who speaks for a
// state is reported as that state: a mention's holder says whose stance it
// is, and news holds states to what their officials say.
func (c *Classifier) holdersFromRelations(w *workspace, res *Result, rels []Relation) {
	if w.holderAt == nil {
		w.holderAt = map[Span]int{}
		w.holderIn = map[entityInSentence]int{}
	}
	clear(w.holderAt)
	clear(w.holderIn)
	w.actedOn = w.actedOn[:0]
	surer := func(j, b int) bool {
		return rels[j].Probs[rels[j].Label] > rels[b].Probs[rels[b].Label]
	}
	for j := range rels {
		r := &rels[j]
		if r.Holder.Entity.ID == "" {
			continue
		}
		if b, ok := w.holderAt[r.Target.Span]; !ok || surer(j, b) {
			w.holderAt[r.Target.Span] = j
		}
		if r.Target.Entity.ID != "" {
			k := entityInSentence{r.Target.Entity.ID, r.Sentence.Start}
			if b, ok := w.holderIn[k]; !ok || surer(j, b) {
				w.holderIn[k] = j
			}
		}
	}
	d := &w.doc
	for i := range res.Mentions {
		m := &res.Mentions[i]
		j, ok := w.holderAt[m.Span]
		if !ok && len(w.holderIn) > 0 {
			sent := d.Sentences[d.SentenceOf(w.targets[i].First)]
			j, ok = w.holderIn[entityInSentence{m.Entity.ID, d.Tokens[sent.First].Start}]
		}
		w.actedOn = append(w.actedOn, ok && rels[j].Label == model.Hostile && actorFirst(d, &rels[j]))
		if ok {
			h := rels[j].Holder.Entity
			if state, ok := c.speaksFor(w, h); ok {
				h = state
			}
			m.Holder = h
		}
	}
}

// actorFirst reports whether relation r reads in the order news reports
// an act in: its holder before its target ("NATO's policy is directed at
// Russia"), or after it as a passive's agent ("Russia was threatened by
// NATO"). The model's relations the other way round are more often its
// misreadings.
func actorFirst(d *features.Document, r *Relation) bool {
	return r.Holder.Span.Start < r.Target.Span.Start || features.AgentBy(d, d.TokenAt(r.Holder.Span.Start))
}

// entityInSentence keys the relations toward an entity in one sentence
// (by the sentence's first byte).
type entityInSentence struct {
	id    string
	start int
}

// DocumentInputs classifies req and calls fn with each entity's
// document-stage input: what the document model is trained on.
func (c *Classifier) DocumentInputs(ctx context.Context, req Request, fn func(e EntityStance, in *document.Input)) error {
	res := Result{keepInputs: true}
	if err := c.ClassifyInto(ctx, req, &res); err != nil {
		return err
	}
	for i := range res.Entities {
		fn(res.Entities[i], &res.inputs[i])
	}
	return nil
}
