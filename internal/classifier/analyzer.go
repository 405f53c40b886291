package classifier

import (
	"slices"
	"sync"

	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/lexicon"
	"github.com/stance/classifierd/internal/model"
	"github.com/stance/classifierd/internal/relations"
)

// Analyzer runs the stages before scoring: tokenize, find mentions, match
// cues, prepare features. Training uses it alone; the Classifier adds the
// model. An Analyzer is immutable and safe for concurrent use.
type Analyzer struct {
	tok  *features.Tokenizer
	gaz  *entities.Gazetteer
	lex  *lexicon.Lexicon
	cues *features.CueIndex
	ext  *features.Extractor
	pool sync.Pool // *workspace
}

// NewAnalyzer builds an analyzer that hashes features into 2^bits buckets.
func NewAnalyzer(tok *features.Tokenizer, gaz *entities.Gazetteer, lex *lexicon.Lexicon, bits uint) *Analyzer {
	a := &Analyzer{tok: tok, gaz: gaz, lex: lex, cues: features.NewCueIndex(lex), ext: features.NewExtractor(bits)}
	a.pool.New = func() any { return new(workspace) }
	return a
}

// Gazetteer returns the analyzer's gazetteer.
func (a *Analyzer) Gazetteer() *entities.Gazetteer { return a.gaz }

// Lexicon returns the analyzer's lexicon.
func (a *Analyzer) Lexicon() *lexicon.Lexicon { return a.lex }

// workspace holds one document's intermediate results. Workspaces are
// pooled so that steady-state scoring allocates little per document.
type workspace struct {
	doc      features.Document
	scratch  features.Scratch
	cues     []features.CueMatch
	ctx      features.Context
	targets  []features.Target
	feats    []features.Feature
	mentions []entities.Mention
	// wanted[s] is set for the sentences with a mention or a span: the
	// only ones whose words and cues analyze looks up. In a short text,
	// it is set too for the sentences with two generic actors, listed in
	// genericOnly (wantGenericOnly); genericScan is its scratch.
	wanted      []bool
	genericOnly []int32
	genericScan []bool
	// Evidence scratch (see Classifier.explain).
	items  []evItem
	itemAt []int32
	// inMention[t] is set where token t lies in a mention (w.targets):
	// no evidence is shown there.
	inMention []bool
	top       []int32 // explain's ranking, item indices
	evidence  []Evidence
	evRanges  []int32
	// aggregate's buffers: the entity groups, and one group's mention
	// probabilities and weights.
	grouper entities.Grouper
	// The relation stage's buffers: parties, their tokens, the mentions'
	// entities and the generic actors found.
	parties       []party
	spanParties   []party // the caller's spans, before parties merges them in
	nameParties   []party // the unknown names (nameParties), before parties merges them in
	mergedParties []party // parties and names merged
	// knownTargets are the parties' targets without the unknown names,
	// knownIndex each party's index among them (-1 for a name), empty
	// where there is no name (parties).
	knownTargets   []features.Target
	knownIndex     []int
	knownBuf       []features.Target
	knownStanceBuf [][2]float32
	leftOut        []entities.Mention // the gazetteer's forms left out for their context
	partyTargets   []features.Target
	mentionEnts    []entities.Entity
	generic        []relations.Generic
	relCands       []relCand
	partyStances   [][2]float32
	stanceDue      []bool // partyStances' parties left for dueStance
	candFeats      []features.Feature
	feats2         []features.Feature // the second direction's, in relate
	pairScores     pairScores
	shareOrder     []int32                             // shareInLists' candidates of a list, likeliest first
	listEnds       []int32                             // listEnds' list ends, by party
	hostility      map[string]float32                  // aggregate's, by entity ID
	held           map[string]int                      // relations in words held, by entity ID (tallyRelations)
	received       map[string][model.NumLabels]float32 // relations received, by entity ID (tallyRelations)
	states         map[string]entities.Entity          // stateEntity's, by ID
	entityAt       map[string]int                      // aggregate's entities by ID
	dyadAt         map[dyadKey]int                     // dyads' index by actors
	holderAt       map[Span]int                        // the best relation toward each span
	holderIn       map[entityInSentence]int            // the best relation toward each entity in a sentence
	// quietRels are the relations the relation stage found but the
	// service does not return (relations.Returned); stageRels the returned
	// and those, which the stages after it read.
	quietRels, stageRels []Relation
	// actedOn[i] is set where mention i's holder came from a hostile
	// relation in the order news reports an act in (actorFirst).
	actedOn      []bool
	corefs       []coref
	corefPeople  corefPeople // findCorefs' people of the document
	corefProbs   [][model.NumLabels]float32
	corefContext [][model.NumLabels]float32 // corefProbs without the pronoun's prior
	// mentionContext[i] is mention i's probabilities without the prior
	// of its own words (Classifier.withoutPrior): what this text says of
	// it, which the document stage reads beside them.
	mentionContext [][model.NumLabels]float32
	groupProbs     [][model.NumLabels]float32
	groupWeights   []float32
}

func (a *Analyzer) get() *workspace  { return a.pool.Get().(*workspace) }
func (a *Analyzer) put(w *workspace) { a.pool.Put(w) }

// analyze tokenizes text, finds its mentions (built-in and the caller's
// targets) and cues, and prepares w for feature extraction. The targets
// are the mentions, in order, as token ranges. spans are the caller's
// explicit spans, which features will be extracted for too.
//
// Only the sentences that hold a mention or a span are looked up in the
// word cache and matched against the cue index: features and holders read
// nothing outside a mention's sentence, and those sentences hold under a
// third of the words of news (29% of the news corpus's tokens).
//
// With corefs, pronouns that refer to people are linked too (findCorefs),
// and their sentences read: only the document stage uses them.
func (a *Analyzer) analyze(w *workspace, text string, opts entities.Options, spans []Span, corefs bool) error {
	a.tok.SplitInto(&w.doc, text)
	// The forms the gazetteer left out are no unknown names either
	// (nameParties).
	w.leftOut = w.leftOut[:0]
	opts.LeftOut = &w.leftOut
	// The mentions are only used until the workspace goes back to the
	// pool (Classify copies what it returns), so their slice is reused.
	ms, err := a.gaz.FindInto(w.mentions, text, opts)
	if err != nil {
		return err
	}
	w.mentions = ms
	w.targets = w.targets[:0]
	w.wanted = resize(w.wanted, len(w.doc.Sentences))
	clear(w.wanted)
	// Mentions come in order, so each one's tokens, and sentence, are at
	// or after the last one's.
	from, sent := 0, 0
	for _, m := range ms {
		t := a.tokenRangeFrom(&w.doc, m.Start, m.End, m.Entity.Type, from)
		w.targets = append(w.targets, t)
		sent = w.want(t, sent)
		from = t.First
	}
	w.inMention = resize(w.inMention, len(w.doc.Tokens))
	clear(w.inMention)
	for _, t := range w.targets {
		for i := t.First; i < t.End; i++ {
			w.inMention[i] = true
		}
	}
	for _, s := range spans {
		t := a.tokenRange(&w.doc, s.Start, s.End, entities.TypeUnspecified)
		w.want(t, w.doc.SentenceOf(t.First))
	}
	w.genericOnly = w.genericOnly[:0]
	if len(text) <= genericScanBytes && slices.Contains(w.wanted, false) {
		w.ctx.Reset(&w.doc, nil) // FindGeneric reads the words' marks from it
		w.wantGenericOnly()
	}
	w.corefs = w.corefs[:0]
	if corefs {
		w.corefs = findCorefs(w.corefs, &w.doc, ms, w.targets, w.wanted, &w.corefPeople)
	}
	w.cues = a.cues.MatchIn(w.cues[:0], &w.doc, &w.scratch, w.wanted)
	w.ctx.Reset(&w.doc, w.cues)
	return nil
}

// genericScanBytes is the longest text whose sentences without a mention
// or a span are read for generic actors (wantGenericOnly).
const genericScanBytes = 1024

// wantGenericOnly marks wanted the sentences not wanted yet that name two
// generic actors or more ("Police fired tear gas at protesters", "Rebels
// ambushed an army convoy"), so that the relation stage reads them, and
// lists them in genericOnly. Only short texts are scanned (a sentence, a
// headline, a wire item): in an article, reading every word of the
// sentences without a mention (71% of the news corpus's words) for
// generic actors would add a tenth to Classify's time for a few hundred
// actors in 1.4 MB.
func (w *workspace) wantGenericOnly() {
	d := &w.doc
	unread := w.genericScan[:0]
	for _, want := range w.wanted {
		unread = append(unread, !want)
	}
	w.genericScan = unread
	found := relations.FindGeneric(w.generic[:0], &w.ctx, unread, nil, nil)
	w.generic = found
	for i := 0; i < len(found); {
		s := d.SentenceOf(found[i].First)
		n := 0
		for ; i < len(found) && d.SentenceOf(found[i].First) == s; i++ {
			n++
		}
		if n >= 2 {
			w.wanted[s] = true
			w.genericOnly = append(w.genericOnly, int32(s))
		}
	}
}

// want marks the sentences of target t's tokens as wanted and returns the
// first of them. No sentence before from holds t's first token.
func (w *workspace) want(t features.Target, from int) int {
	sents := w.doc.Sentences
	for from < len(sents) && sents[from].End <= t.First {
		from++
	}
	for s := from; s < len(sents) && sents[s].First < t.End; s++ {
		w.wanted[s] = true
	}
	return from
}

// tokenRange maps a byte span to the tokens it touches.
func (a *Analyzer) tokenRange(d *features.Document, start, end int, t entities.Type) features.Target {
	return a.tokenRangeFrom(d, start, end, t, 0)
}

// tokenRangeFrom is tokenRange where no token before from ends after start.
func (a *Analyzer) tokenRangeFrom(d *features.Document, start, end int, t entities.Type, from int) features.Target {
	first := d.TokenAtFrom(start, from)
	last := d.TokenAtFrom(max(start, end-1), first)
	if last < len(d.Tokens) {
		last++
	}
	if first >= last {
		// A span in white space after the last token: anchor it to the
		// last token so that it still has a sentence.
		first, last = max(0, len(d.Tokens)-1), len(d.Tokens)
	}
	return features.Target{First: first, End: last, Type: uint8(t)}
}

// withSpan returns the targets with an explicit span inserted in order, and
// the span's index among them.
func withSpan(dst, targets []features.Target, span features.Target) ([]features.Target, int) {
	dst = dst[:0]
	at := -1
	for _, t := range targets {
		if at < 0 && span.First <= t.First {
			at = len(dst)
			dst = append(dst, span)
		}
		if t.First == span.First && t.End == span.End {
			continue // the span is this mention
		}
		dst = append(dst, t)
	}
	if at < 0 {
		at = len(dst)
		dst = append(dst, span)
	}
	return dst, at
}

// SpanFeatures extracts the features of explicit byte spans of text, as the
// Classifier would for ClassifyRequest.spans, and calls fn with each. The
// slice passed to fn is reused after fn returns. Spans must be valid (see
// ValidateSpans).
func (a *Analyzer) SpanFeatures(text string, spans []Span, builtin bool, fn func(i int, fs []features.Feature)) error {
	w := a.get()
	defer a.put(w)
	if err := a.analyze(w, text, entities.Options{Builtin: builtin}, spans, false); err != nil {
		return err
	}
	if err := spansWithoutWords(&w.doc, spans); err != nil {
		return err
	}
	var merged []features.Target
	for i, s := range spans {
		var at int
		merged, at = withSpan(merged, w.targets, a.tokenRange(&w.doc, s.Start, s.End, entities.TypeUnspecified))
		w.feats = a.ext.Extract(w.feats[:0], &w.ctx, merged, at)
		fn(i, w.feats)
	}
	return nil
}

// coref is a pronoun that refers to a person mentioned before it.
type coref struct {
	token   int // the pronoun
	mention int // the person's last mention before it
	// sole: no other person is named in the sentences the pronoun may
	// refer back to, so that neither its gender nor salience decides.
	sole bool
}

// findCorefs links pronouns to people, by the simple rule news writing
// follows: a sentence with no person named in it whose subject-position
// pronoun ("he", "she", "his", "her" among its first words) refers to a
// person named in the previous two sentences: of those, the one the text
// has named most so far (the one it is about), on a tie the one named or
// referred to last.
// The last named alone would take the pronoun from a profile's subject to
// whoever it quoted or met in the sentence before. It marks those
// sentences wanted, so that their words and cues are read. Only people's
// document stance uses the links: mentions are what the text names. ps is
// scratch space, reused from document to document.
func findCorefs(dst []coref, d *features.Document, ms []entities.Mention, targets []features.Target, wanted []bool,
	ps *corefPeople) []coref {
	ps.reset()
	lastSent, mi := -10, 0
	for si, s := range d.Sentences {
		ps.prune(si)
		person := false
		for mi < len(targets) && targets[mi].First < s.End {
			if ms[mi].Entity.Type == entities.TypePerson {
				ps.named(ms[mi].Entity.ID, mi, si)
				lastSent, person = si, true
			}
			mi++
		}
		if person || si-lastSent > 2 {
			continue
		}
		best := ps.likeliest()
		if best < 0 {
			continue
		}
		for i := s.First; i < min(s.End, s.First+4); i++ {
			switch d.Surface(i) {
			case "He", "She", "he", "she", "His", "Her", "his", "her":
				dst = append(dst, coref{token: i, mention: ps.people[best].last, sole: len(ps.recent) == 1})
				wanted[si] = true
				// The pronoun names the person here, for the
				// sentences after it.
				lastSent = si
				ps.referred(best, si)
				i = s.End
			}
		}
	}
	return dst
}

// corefPeople are the people findCorefs has seen named in a document: how
// often each is named, by entity id, and which were named in the last
// sentences, the only ones a pronoun may refer to. A map and a window
// keep the work linear in the mentions, however many people a document
// names.
type corefPeople struct {
	index  map[string]int32 // entity id -> people
	people []corefPerson
	recent []int32 // people named in the window (prune)
}

// corefPerson is one person findCorefs has seen named.
type corefPerson struct {
	count    int  // mentions so far
	last     int  // the last mention
	sentence int  // the last sentence that names them, or a pronoun for them
	recent   bool // in corefPeople.recent
}

func (ps *corefPeople) reset() {
	if ps.index == nil {
		ps.index = map[string]int32{}
	}
	clear(ps.index)
	ps.people, ps.recent = ps.people[:0], ps.recent[:0]
}

// prune leaves in the window the people named in the two sentences before
// sentence si or in it.
func (ps *corefPeople) prune(si int) {
	keep := ps.recent[:0]
	for _, j := range ps.recent {
		if p := &ps.people[j]; si-p.sentence <= 2 {
			keep = append(keep, j)
		} else {
			p.recent = false
		}
	}
	ps.recent = keep
}

// named records that mention m, of the person with entity id, names them
// in sentence si.
func (ps *corefPeople) named(id string, m, si int) {
	i, ok := ps.index[id]
	if !ok {
		i = int32(len(ps.people))
		ps.index[id] = i
		ps.people = append(ps.people, corefPerson{})
	}
	p := &ps.people[i]
	p.count++
	p.last = m
	ps.referred(int(i), si)
}

// referred records that person k is named, or referred to by a pronoun,
// in sentence si.
func (ps *corefPeople) referred(k, si int) {
	p := &ps.people[k]
	p.sentence = si
	if !p.recent {
		p.recent = true
		ps.recent = append(ps.recent, int32(k))
	}
}

// likeliest returns the person a pronoun refers to in the sentence the
// window was last pruned for: of those named in the two sentences before
// it, the one named most, on a tie the one named or referred to last; -1
// where none was.
func (ps *corefPeople) likeliest() int {
	best := -1
	for _, j := range ps.recent {
		p, b := &ps.people[j], -1
		if best >= 0 {
			b = ps.people[best].count
		}
		if p.count > b || p.count == b && (p.sentence > ps.people[best].sentence ||
			p.sentence == ps.people[best].sentence && p.last > ps.people[best].last) {
			best = int(j)
		}
	}
	return best
}
