package features

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stance/classifierd/internal/lexicon"
	"github.com/stance/classifierd/internal/model"
)

// Feature is one hashed, weighted feature of a mention. It is the linear
// model's input type: the model package owns it, so that the scorer does
// not depend on the extractor.
type Feature = model.Feature

// Target is a mention to extract features for, as token indices.
type Target struct {
	// First and End are token indices: Tokens[First:End] is the mention.
	First, End int
	// Type is the entity type (entities.Type), a feature of its own.
	Type uint8
}

// Role is how a mention relates to a cue in its sentence.
type Role uint8

const (
	// RoleNear is a cue near the mention with no grammatical link found.
	RoleNear Role = iota
	// RoleSubject: the mention acts through a verb cue ("NATO accused").
	RoleSubject
	// RoleObject: the mention undergoes a verb cue ("accused Iran", "Iran
	// was accused").
	RoleObject
	// RoleAttribute: a noun or adjective cue describes the mention
	// ("NATO's expansion poses a threat", "baseless claims by X").
	RoleAttribute
	// RoleCountered (pair features only, pairRole): the party after a
	// cue is what the act is aimed against ("cooperated against the
	// Islamic State", "deepened ties to counter China", "sided with
	// France against Italy"): a cooperative act toward the partners is a
	// hostile one toward it.
	RoleCountered
	numRoles
)

// Template ids: each feature family hashes with its own id.
const (
	tBias uint64 = iota + 1
	tPolarityRole
	tPolaritySide
	tCueRole
	tSentencePolarity
	tContextPiece
	tShape
	tSpeakerPolarity
	tClausePiece
	tCoordPolarity
	tBetweenPolarity
	tSourceRole
	tAttribution
	tMentionPiece
)

// Extractor builds the feature vector of one mention. It is stateless
// apart from the hash width and safe for concurrent use.
type Extractor struct {
	bits uint
}

// NewExtractor returns an extractor hashing into 2^bits buckets.
func NewExtractor(bits uint) *Extractor { return &Extractor{bits: bits} }

// Bits returns the hash width.
func (e *Extractor) Bits() uint { return e.bits }

const (
	contextWindow = 4  // tokens on each side whose pieces are features
	cueReach      = 25 // tokens: cues farther away in the sentence are ignored
)

// Context is a document prepared for feature extraction: its cues and the
// cue totals of each sentence, computed once for all its mentions. Reuse
// one per worker.
type Context struct {
	Doc  *Document
	Cues []CueMatch
	// firstCue[s] is the index of the first cue at or after sentence s;
	// len(Sentences)+1 entries.
	firstCue             []int32
	hostile, cooperative []float32 // per sentence

	// What follows is per token, set for a sentence when a mention in it
	// first asks (prepared[s]): most sentences of most news have no
	// mention, and doing this for every token in Reset cost the news
	// corpus more than it saved.
	prepared []bool
	quoted   []bool // inside double quotes
	// prevBoundary[i] is the last clause boundary token before token i (-1
	// for none) and nextBoundary[i] the first at or after it (the
	// sentence's end for none): a mention's clause is then two loads
	// instead of a scan of up to 80 tokens' text, which features and
	// holder both did per mention.
	prevBoundary, nextBoundary []int32
	// attr[i] is token i's attribution class (attrSpeech, ...), and
	// nSpeech[i] and nDeny[i] count the speech and denial words of its
	// sentence before it: "is there one between the mention and the cue"
	// is then one subtraction.
	attr           []uint8
	nSpeech, nDeny []int32
	// marks[i] are token i's word's WordMarker bits.
	marks []uint16

	// What follows is ExtractPair's per-party cache: a party is in up to
	// 15 pairs of its sentence, and its facts, and its role toward each
	// cue, are the same in all. gen tells this document's entries from a
	// last one's.
	gen     uint64
	parties []partyFacts
	odd     partyFacts // a party read outside its sentence, not cached
	// roleBuf and scopeBuf hold, from a party's cueOff, its role toward
	// each cue of its sentence and the scope markers between it and each
	// cue, noUnknown until first asked.
	roleBuf, scopeBuf []uint8
}

// noUnknown marks a role or scope markers not computed yet.
const noUnknown = 0xff

// partyKey is what a party's cached facts depend on besides the
// document: the party and its neighbours in targets.
type partyKey struct {
	prev, cur, next Target
	has             uint8 // 1: prev exists, 2: next exists
}

// partyFacts are the facts of one party that ExtractPair reads in every
// pair it is in.
type partyFacts struct {
	gen                uint64
	key                partyKey
	si                 int
	left, right        int // its clause
	cueOff             int // into roleBuf and scopeBuf
	speaker            bool
	speaks             bool // isSpeaker only
	agentBy, possessor bool
	coordinated        bool
	// compound is the kind of compound the party's last word makes with
	// a participle ("Iran-backed", "Saudi-led", "US-made"), or 0, and
	// compoundEnd the token after the compound (compoundKind).
	compound    uint8
	compoundEnd int
	// preposition is the code of the preposition that governs the party
	// (governingPreposition).
	preposition uint8
}

// Reset prepares c for document d with its cue matches (in token order).
func (c *Context) Reset(d *Document, cues []CueMatch) {
	c.Doc, c.Cues = d, cues
	c.firstCue = c.firstCue[:0]
	c.hostile, c.cooperative = c.hostile[:0], c.cooperative[:0]
	ci := 0
	for _, s := range d.Sentences {
		for ci < len(cues) && cues[ci].First < s.First {
			ci++
		}
		c.firstCue = append(c.firstCue, int32(ci))
		var h, k float32
		for j := ci; j < len(cues) && cues[j].First < s.End; j++ {
			if cues[j].RelationOnly {
				continue
			}
			if p := cues[j].Polarity; p < 0 {
				h -= p
			} else {
				k += p
			}
		}
		c.hostile = append(c.hostile, h)
		c.cooperative = append(c.cooperative, k)
	}
	c.firstCue = append(c.firstCue, int32(len(cues)))
	n := len(d.Tokens)
	c.prevBoundary = slices.Grow(c.prevBoundary[:0], n)[:n]
	c.nextBoundary = slices.Grow(c.nextBoundary[:0], n)[:n]
	c.quoted = slices.Grow(c.quoted[:0], n)[:n]
	c.attr = slices.Grow(c.attr[:0], n)[:n]
	c.marks = slices.Grow(c.marks[:0], n)[:n]
	c.nSpeech = slices.Grow(c.nSpeech[:0], n)[:n]
	c.nDeny = slices.Grow(c.nDeny[:0], n)[:n]
	c.prepared = slices.Grow(c.prepared[:0], len(d.Sentences))[:len(d.Sentences)]
	clear(c.prepared)
	c.gen++
	c.roleBuf, c.scopeBuf = c.roleBuf[:0], c.scopeBuf[:0]
}

// prepare sets the per-token fields for sentence si, once per document.
func (c *Context) prepare(si int) {
	if c.prepared[si] {
		return
	}
	c.prepared[si] = true
	d, sent := c.Doc, c.Doc.Sentences[si]
	open := false
	prev := int32(-1)
	var speech, deny int32
	for i := sent.First; i < sent.End; i++ {
		c.quoted[i] = open
		c.nSpeech[i], c.nDeny[i] = speech, deny
		lx := d.lexeme(i)
		a := lx.attr
		c.attr[i] = a
		c.marks[i] = lx.marks
		if a&attrSpeech != 0 {
			speech++
		}
		if a&attrDeny != 0 {
			deny++
		}
		c.prevBoundary[i] = prev
		c.nextBoundary[i] = -1 // until the pass below: not a boundary
		// Quotation marks are one-rune tokens of 1 or 3 bytes; the length
		// test spares comparing every other token's text.
		if t := &d.Tokens[i]; t.Kind == KindPunct && (t.End-t.Start == 1 || t.End-t.Start == 3) {
			switch d.Text[t.Start:t.End] {
			case "\"":
				open = !open
			case "“":
				open = true
			case "”":
				open = false
			}
		}
		if a&attrBoundary != 0 && !quoteColon(d, i, sent.End) && !joiningDash(d, i) {
			prev = int32(i)
			c.nextBoundary[i] = int32(i)
		}
	}
	next := int32(sent.End)
	for i := sent.End - 1; i >= sent.First; i-- {
		if c.nextBoundary[i] == int32(i) {
			next = int32(i)
		}
		c.nextBoundary[i] = next
	}
}

// SentenceMarks returns the WordMarker marks of sentence si's tokens,
// marks[k] for token Sentences[si].First+k, and whether d's words are
// marked at all (a WordMarker was registered before its WordPiece was
// made); without marks, the caller must look at every token itself.
func (c *Context) SentenceMarks(si int) (marks []uint16, ok bool) {
	c.prepare(si)
	s := c.Doc.Sentences[si]
	return c.marks[s.First:s.End], c.Doc.wp.marker != nil
}

// Extract appends the features of mention targets[m] to dst. targets are
// all mentions of the document in token order.
func (e *Extractor) Extract(dst []Feature, c *Context, targets []Target, m int) []Feature {
	d, cues := c.Doc, c.Cues
	t := targets[m]
	si := d.SentenceOf(t.First)
	sent := d.Sentences[si]
	d.resolveSentence(si) // the context words' pieces are read below
	add := func(f Feature, key uint64) {
		f.Index = e.hash(key)
		dst = append(dst, f)
	}
	none := Feature{Value: 1, Cue: -1, Token: -1}

	add(none, tBias<<56|uint64(t.Type))

	// Shape of the mention: possessive, at sentence start, inside quotes.
	if PossessiveAfter(d, t) {
		add(none, tShape<<56|1)
	}
	if t.First == sent.First {
		add(none, tShape<<56|2)
	}
	c.prepare(si)
	if c.quoted[t.First] {
		add(none, tShape<<56|3)
	}
	speaker := uint64(0)
	if isSpeaker(d, sent, t) {
		speaker = 1
		add(none, tShape<<56|4)
	}

	coord := uint64(0)
	if isCoordinated(d, targets, m) {
		coord = 1
		add(none, tShape<<56|5)
	}

	// The mention's clause: cues beyond a clause boundary ("but", "while",
	// ";") more often concern someone else.
	left, right := c.clause(si, t)

	// Cues within reach in the sentence, by role, side and clause; a
	// binary search keeps this bounded in a huge sentence.
	var ch, cc float32 // hostile and cooperative totals of the clause
	lo, hi := int(c.firstCue[si]), int(c.firstCue[si+1])
	lo += sort.Search(hi-lo, func(j int) bool { return cues[lo+j].End+cueReach >= t.First })
	for ci := lo; ci < hi && cues[ci].First <= t.End+cueReach; ci++ {
		cue := &cues[ci]
		if cue.First < t.End && cue.End > t.First || cue.RelationOnly {
			continue // the mention itself ("Cooperation Organization"), or not the mention stage's
		}
		dist := distance(t, cue)
		if dist > cueReach {
			continue
		}
		decay := float32(1 / (1 + 0.25*float64(dist)))
		pol, mag := polaritySign(cue.Polarity)
		role := RoleOf(d, targets, m, cue)
		side := uint64(0)
		if cue.First >= t.End {
			side = 1
		}
		neg := uint64(0)
		if cue.Negated {
			neg = 1
		}
		scope := uint64(0)
		if cue.End <= left || cue.First >= right {
			scope = 1
		} else if cue.Polarity < 0 {
			ch -= cue.Polarity
		} else {
			cc += cue.Polarity
		}
		cf := Feature{Value: mag * decay, Cue: int32(ci), Token: -1}
		add(cf, tPolarityRole<<56|scope<<48|pol<<40|uint64(role)<<32|uint64(cue.Quad)<<24|uint64(cue.Kind)<<16)
		add(cf, tPolarityRole<<56|scope<<48|pol<<40|uint64(role)<<32|0xff)
		add(cf, tCoordPolarity<<56|coord<<48|pol<<40|uint64(role)<<32)
		add(cf, tSpeakerPolarity<<56|speaker<<48|pol<<40|side<<32|scope)
		add(cf, tPolaritySide<<56|scope<<48|pol<<40|side<<32|uint64(distBucket(dist)))
		add(Feature{Value: decay, Cue: int32(ci), Token: -1}, tCueRole<<56|neg<<48|uint64(role)<<32|uint64(cue.ID))
		// Another mention between this one and the cue: in a sentence
		// about several targets the cue more often concerns that one.
		between := uint64(0)
		if mentionBetween(targets, m, cue) {
			between = 1
		}
		add(cf, tBetweenPolarity<<56|between<<48|pol<<40|side<<32|scope)
		// The lexicon a cue comes from by role: a sentiment word (VADER,
		// AFINN) next to a mention says less about a stance toward it
		// than a CAMEO event verb or a team cue does.
		add(cf, tSourceRole<<56|uint64(sourceClass(cue.Source))<<48|pol<<40|uint64(role)<<32)
		e.attribution(add, c, t, sent.First, cue, role, side, pol, cf)
	}
	if h := c.hostile[si]; h > 0 {
		add(Feature{Value: squash(h), Cue: -1, Token: -1}, tSentencePolarity<<56|1)
	}
	if k := c.cooperative[si]; k > 0 {
		add(Feature{Value: squash(k), Cue: -1, Token: -1}, tSentencePolarity<<56|2)
	}

	if ch > 0 {
		add(Feature{Value: squash(ch), Cue: -1, Token: -1}, tSentencePolarity<<56|3)
	}
	if cc > 0 {
		add(Feature{Value: squash(cc), Cue: -1, Token: -1}, tSentencePolarity<<56|4)
	}

	// Word pieces right around the mention, by side and distance band.
	for i := max(sent.First, t.First-contextWindow); i < min(sent.End, t.End+contextWindow); i++ {
		if i >= t.First && i < t.End {
			continue
		}
		band := uint64(0)
		if i >= t.End {
			band = 1
		}
		if i == t.First-1 || i == t.End {
			band |= 2 // adjacent
		}
		for _, id := range d.pieceIDs(i) {
			add(Feature{Value: 1, Cue: -1, Token: int32(i)}, tContextPiece<<56|band<<32|uint64(uint32(id)))
		}
	}

	// Bag of pieces of the mention's clause, scaled by its length: the
	// sentence's tone, without the clauses about other targets ("X
	// praised the deal, while Y ...").
	if n := right - left - (t.End - t.First); n > 0 {
		v := float32(1 / math.Sqrt(float64(n)))
		for i := left; i < right; i++ {
			if i >= t.First && i < t.End {
				continue
			}
			for _, id := range d.pieceIDs(i) {
				add(Feature{Value: v, Cue: -1, Token: int32(i)}, tClausePiece<<56|uint64(uint32(id)))
			}
		}
	}
	// The mention's own pieces: how the news speaks of this party ("Trump",
	// "Hamas") is a prior that cross-validation found worth +0.016
	// macro-F1 on NewsMTSC (also with whole news events held out). They
	// come last and name the token PriorToken, no token of the text, so
	// that evidence never shows the mention's own words and the document
	// stage can read the mention without them (PriorStart).
	prior := Feature{Value: 1, Cue: -1, Token: PriorToken}
	for i := t.First; i < min(t.End, sent.End); i++ {
		for _, id := range d.pieceIDs(i) {
			add(prior, tMentionPiece<<56|uint64(uint32(id)))
		}
	}
	return dst
}

// PriorToken is the Token of the features of a mention's own words (its
// prior: how news speaks of the party, whatever this text says), which
// Extract appends last.
const PriorToken = -2

// PriorStart returns where the prior features of a mention's features fs
// (as Extract returns them) start: fs[:PriorStart(fs)] is what the text
// around the mention says.
func PriorStart(fs []Feature) int {
	k := len(fs)
	for k > 0 && fs[k-1].Token == PriorToken {
		k--
	}
	return k
}

// SameFeatures reports whether Extract gives target a[i] among targets a
// the features it gives b[j] among b, without extracting them: they must
// be the same target, and Extract reads the other targets only through
// isCoordinated, RoleOf (blockedBefore) and mentionBetween, all about the
// target's neighbours in the list; where the neighbours differ, those are
// compared for each cue that Extract reads. (The relation stage scores
// its parties, a list with the generic actors added, with the mention
// model, and takes the mention stage's score where this holds.) Keep it in
// step with Extract.
func (c *Context) SameFeatures(a []Target, i int, b []Target, j int) bool {
	t := a[i]
	if t != b[j] {
		return false
	}
	if (i > 0) == (j > 0) && (i == 0 || a[i-1] == b[j-1]) &&
		(i+1 < len(a)) == (j+1 < len(b)) && (i+1 == len(a) || a[i+1] == b[j+1]) {
		return true // the same neighbours
	}
	d, cues := c.Doc, c.Cues
	if isCoordinated(d, a, i) != isCoordinated(d, b, j) {
		return false
	}
	// The cues Extract reads, as it finds them.
	si := d.SentenceOf(t.First)
	lo, hi := int(c.firstCue[si]), int(c.firstCue[si+1])
	lo += sort.Search(hi-lo, func(k int) bool { return cues[lo+k].End+cueReach >= t.First })
	for ci := lo; ci < hi && cues[ci].First <= t.End+cueReach; ci++ {
		cue := &cues[ci]
		if cue.First < t.End && cue.End > t.First || distance(t, cue) > cueReach || cue.RelationOnly {
			continue
		}
		if RoleOf(d, a, i, cue) != RoleOf(d, b, j, cue) || mentionBetween(a, i, cue) != mentionBetween(b, j, cue) {
			return false
		}
	}
	return true
}

// Attribution classes of words (Context.attr), a bit each.
const (
	// attrSpeech: a reporting verb or "according": whoever stands on its
	// far side from a cue is a speaker, not the cue's target.
	attrSpeech uint8 = 1 << iota
	// attrDeny: a denial or refusal ("denied", "rejected", "refused"):
	// the cue after it is not asserted ("rejected the claims", "refused to
	// condemn").
	attrDeny
	// attrReverse: a verb that turns the cue noun after it around ("halted
	// aid", "opposed mediation", "lifted sanctions").
	attrReverse
	// attrBoundary: a clause boundary (isClauseBoundary).
	attrBoundary
)

// attrFunction marks, in a lexeme's attr, a word that is no evidence to
// show (FunctionWord), above the scope markers.
const attrFunction uint8 = 1 << 7

// attrScopeShift is where a lexeme's attr keeps the scope markers of its
// lowered word (scopeMarks), above the attribution classes; Context.attr
// has them too, and the tests of a class's bit ignore them.
const attrScopeShift = 4

// attrReach is how many tokens before a cue a denial or reversing verb
// governs it: "refused to condemn", "halted all military aid".
const attrReach = 3

// attribution adds the features that say whose a cue is: whether a
// reporting verb, a denial or a reversing verb stands between mention m
// and cue ci or governs the cue, whether the cue was negated (by the
// cue's sign before the flip: "did not condemn" is not praise), and
// whether quotes separate them.
// Each is a conjunction with the cue's role and sign, so a linear model
// can weigh "X said Y threatened" apart from "X threatened Y".
func (e *Extractor) attribution(add func(Feature, uint64), c *Context, t Target, sentFirst int, cue *CueMatch, role Role, side, pol uint64, cf Feature) {
	// The tokens between the mention and the cue.
	a, b := t.End, cue.First
	if side == 0 {
		a, b = cue.End, t.First
	}
	key := tAttribution<<56 | pol<<40 | side<<32 | uint64(role)<<24
	if a < b {
		if c.nSpeech[b]-c.nSpeech[a] > 0 {
			add(cf, key|1<<48) // "X said Y threatened", "Y is a threat, X said"
		}
		if c.nDeny[b]-c.nDeny[a] > 0 {
			add(cf, key|2<<48) // "X denied the accusations", "X refused to condemn Y"
		}
	}
	var governed uint8
	for j := max(sentFirst, cue.First-attrReach); j < cue.First; j++ {
		governed |= c.attr[j]
	}
	if governed&attrDeny != 0 {
		add(cf, key|3<<48)
	}
	if governed&attrReverse != 0 {
		add(cf, key|4<<48) // "halted aid", "lifted sanctions"
	}
	if cue.Negated {
		// The sign the cue had before negation flipped it.
		orig := uint64(3) - pol
		add(cf, key&^(0xff<<40)|orig<<40|5<<48)
	}
	if c.quoted[cue.First] != c.quoted[t.First] {
		add(cf, key|7<<48) // the mention speaks or is spoken of in quotes
	}
}

// attrClass returns a word's attribution classes.
func attrClass(w string) uint8 {
	if isClauseBoundary(w) {
		return attrBoundary
	}
	if isSpeechVerb(w) {
		return attrSpeech
	}
	switch w {
	case "according", "According", "quoted", "cited", "alleged", "alleges", "reported", "believes", "says", "saying", "claims":
		return attrSpeech
	case "denied", "denies", "deny", "denying", "rejected", "rejects", "reject", "rejecting", "refused", "refuses", "refuse",
		"refusing", "dismissed", "dismisses", "declined", "declines", "rebuffed", "disputed", "disputes", "ruled", "dropped":
		return attrDeny
	case "halted", "halt", "halts", "halting", "suspended", "suspend", "suspends", "suspending", "cut", "cuts", "cutting",
		"ended", "ending", "blocked", "block", "blocks", "blocking", "opposed", "opposes", "oppose", "opposing", "withdrew",
		"withdraw", "withdraws", "withdrawing", "scrapped", "froze", "freeze", "freezes", "frozen", "cancelled", "canceled",
		"abandoned", "stopped", "vetoed", "undermined", "undermine", "undermines", "sabotaged", "lifted", "lift", "lifts",
		"eased", "ease", "eases", "against", "without", "lost", "loses", "curtailed", "reduced", "postponed":
		return attrReverse
	}
	return 0
}

// maxClause caps the tokens on each side of a mention that its clause
// spans, so that a mention costs the same in a run-on sentence.
const maxClause = 40

// ClauseOf returns the token range [first, end) of the clause around
// mention t: its sentence, split at strong boundaries (";", ":", dashes,
// "but", "while", "although", "however") and at most 40 tokens on each
// side of the mention.
func (c *Context) ClauseOf(t Target) (first, end int) {
	return c.clause(c.Doc.SentenceOf(t.First), t)
}

// clause is the clause of mention t in sentence si: what clauseBounds in
// the tests computes by scanning.
func (c *Context) clause(si int, t Target) (left, right int) {
	sent := c.Doc.Sentences[si]
	c.prepare(si)
	left, right = max(sent.First, t.First-maxClause), min(sent.End, t.End+maxClause)
	if b := int(c.prevBoundary[t.First]); b >= left {
		left = b + 1
	}
	if t.End < sent.End {
		if b := int(c.nextBoundary[t.End]); b < right {
			right = b
		}
	}
	return left, right
}

// quoteColon reports whether token i of a sentence ending at end is a
// colon that opens a quote ("Johnson said: "Iran is lying.""): the quote
// is what the speaker says, in the speaker's clause, not a clause of its
// own.
func quoteColon(d *Document, i, end int) bool {
	if i+1 >= end || d.Text[d.Tokens[i].Start:d.Tokens[i].End] != ":" {
		return false
	}
	return IsOpeningQuote(d.Text[d.Tokens[i+1].Start:d.Tokens[i+1].End])
}

// IsOpeningQuote reports whether token w is a quotation mark that can
// open a quote.
func IsOpeningQuote(w string) bool {
	switch w {
	case "\"", "“", "'", "‘":
		return true
	}
	return false
}

// ClauseBoundaryAt reports whether token i of d, as written, is a clause
// boundary (isClauseBoundary), and not a dash that joins the words either
// side of it as a hyphen does ("the Russia–Ukraine talks",
// "Thailand–Cambodia border clashes": an en dash written without spaces
// joins two names into one phrase, where " – " between spaces sets off an
// aside).
func ClauseBoundaryAt(d *Document, i int) bool {
	return isClauseBoundary(d.Surface(i)) && !joiningDash(d, i)
}

// joiningDash reports whether token i of d is a dash that touches a word
// on both sides: "Russia–Ukraine". A dash between numbers ("2014–2015")
// is left a boundary, as it was: a range joins no parties.
func joiningDash(d *Document, i int) bool {
	return isHyphen(d.Surface(i)) && touchesBoth(d, i) && d.Tokens[i-1].Kind == KindWord && d.Tokens[i+1].Kind == KindWord
}

// touchesBoth reports whether token i of d has a token right before and
// right after it, with no space between.
func touchesBoth(d *Document, i int) bool {
	return i > 0 && i+1 < len(d.Tokens) && d.Tokens[i-1].End == d.Tokens[i].Start && d.Tokens[i].End == d.Tokens[i+1].Start
}

func isClauseBoundary(w string) bool {
	switch w {
	case ";", ":", "but", "But", "while", "While", "whereas", "although", "Although", "though", "however", "However", "—", "–":
		return true
	}
	return false
}

// hash maps a feature key to a bucket with the splitmix64 finalizer: fast,
// well mixed and fixed forever (the trained weights depend on it).
func (e *Extractor) hash(key uint64) uint32 {
	key ^= key >> 30
	key *= 0xbf58476d1ce4e5b9
	key ^= key >> 27
	key *= 0x94d049bb133111eb
	key ^= key >> 31
	return uint32(key >> (64 - e.bits))
}

func polaritySign(p float32) (sign uint64, magnitude float32) {
	if p < 0 {
		return 1, -p
	}
	return 2, p
}

func squash(x float32) float32 { return x / (1 + x) * 2 }

// distance is the number of tokens between a mention and a cue.
func distance(t Target, c *CueMatch) int {
	if c.First >= t.End {
		return c.First - t.End
	}
	return t.First - c.End
}

func distBucket(d int) int {
	switch {
	case d <= 1:
		return 0
	case d <= 3:
		return 1
	case d <= 7:
		return 2
	case d <= 15:
		return 3
	}
	return 4
}

// RoleOf decides how mention m relates to cue c. For verbs the side of the
// verb decides subject or object, turned around by a passive ("Iran was
// accused by NATO": Iran is the object, NATO the subject); another mention
// standing between them takes the role instead ("NATO accused Iran and
// Russia" still makes Russia an object, but in "Iran said NATO threatened",
// Iran is not the subject of "threatened").
func RoleOf(d *Document, targets []Target, m int, c *CueMatch) Role {
	t := targets[m]
	if c.Kind == lexicon.KindVerb {
		passive := passiveAt(d, c)
		if t.End <= c.First {
			if blockedBefore(targets, m, c.First) {
				return RoleNear
			}
			if passive {
				return RoleObject
			}
			return RoleSubject
		}
		if passive && t.First > 0 && d.Surface(t.First-1) == "by" {
			return RoleSubject
		}
		return RoleObject
	}
	if t.End <= c.First && !blockedBefore(targets, m, c.First) && !prepositionBetween(d, t.End, c.First) {
		return RoleAttribute
	}
	if t.First >= c.End && t.First-c.End <= 2 {
		return RoleAttribute // "threat from NATO", "baseless NATO claims"
	}
	return RoleNear
}

// isCoordinated reports whether mention m is one of two parties joined
// into one phrase ("Ukraine-Russia crisis", "Russia and NATO", "between
// Moscow and Kiev"): a cue then describes their relation more than
// a stance toward either.
func isCoordinated(d *Document, targets []Target, m int) bool {
	t := targets[m]
	for _, o := range [2]int{m - 1, m + 1} {
		// Two mentions in one hyphenated word ("Ukraine-Russia").
		if o >= 0 && o < len(targets) && targets[o].First == t.First && targets[o].End == t.End {
			return true
		}
	}
	joiner := func(i int) bool {
		switch d.Surface(i) {
		case "-", "–", "and", "&", "/":
			return true
		}
		return false
	}
	if m > 0 && t.First >= 2 && targets[m-1].End == t.First-1 && joiner(t.First-1) {
		return true
	}
	if m+1 < len(targets) && t.End+1 < len(d.Tokens) && targets[m+1].First == t.End+1 && joiner(t.End) {
		return true
	}
	return false
}

// prepositionBetween reports whether a preposition stands in tokens
// [from, to): a noun cue in a prepositional phrase after the mention ("X's
// counterpart after the escalation") belongs to the phrase, not to X.
func prepositionBetween(d *Document, from, to int) bool {
	for i := from; i < to; i++ {
		switch d.Surface(i) {
		case "after", "before", "amid", "during", "in", "at", "on", "with", "for", "from", "over", "despite", "since", "about", "between", "among", "into", "to":
			return true
		}
	}
	return false
}

// blockedBefore reports whether another mention stands between mention m
// and token cueFirst: the nearer mention is the verb's subject.
func blockedBefore(targets []Target, m, cueFirst int) bool {
	return m+1 < len(targets) && targets[m+1].First < cueFirst && targets[m+1].First >= targets[m].End
}

// isSpeaker reports whether mention t is the source of reported speech:
// "X said", "X, the minister, told", "said X", "according to X". The
// stance of what a speaker says is mostly not toward the speaker.
func isSpeaker(d *Document, sent Sentence, t Target) bool {
	if IsPost(d, t.First) {
		return false // "the Iranian ambassador to Moscow noted": the ambassador speaks
	}
	if speechVerbAfter(d, sent, t) >= 0 {
		return true
	}
	if i := t.First - 1; i >= sent.First && isSpeechVerb(d.Surface(i)) {
		return true
	}
	if t.First-2 < sent.First || d.Surface(t.First-1) != "to" {
		return false
	}
	w := d.Surface(t.First - 2)
	return w == "according" || w == "According"
}

// SpeechVerbOf returns the speech verb whose subject mention t is ("X
// said", "X on Monday said", "X, the ambassador to Moscow, noted"), or -1
// where t is no such subject.
func SpeechVerbOf(d *Document, t Target) int {
	if t.End > len(d.Tokens) || IsPost(d, t.First) {
		return -1
	}
	return speechVerbAfter(d, d.Sentences[d.SentenceOf(t.First)], t)
}

// speechVerbAfter is SpeechVerbOf in t's sentence sent, for a t that is
// no post.
func speechVerbAfter(d *Document, sent Sentence, t Target) int {
	from := skipPost(d, sent, t.End)
	for i := from; i < min(sent.End, from+3); i++ {
		w := d.Surface(i)
		if isSpeechVerb(w) {
			return i
		}
		switch w {
		case "has", "had", "have", "also", "later", "then", "previously", "on", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday":
			continue // "X has also said", "X on Monday said"
		}
		break
	}
	return -1
}

// IsPost reports whether a mention starting at token first names the post
// in a diplomat's title ("ambassador to Moscow", "envoy to the UN",
// "representative in Kabul"): the place a person serves, named inside the
// title, is neither an actor of the sentence nor its speaker ("Mehdi
// Safari, the former Iranian ambassador to Moscow, noted that ..." is
// Safari's word, not Russia's).
func IsPost(d *Document, first int) bool { return envoyOfPost(d, first) >= 0 }

// envoyOfPost returns the token of the envoy whose post starts at token
// first ("ambassador" in "ambassador to the UN"), or -1 where first is no
// post (IsPost).
func envoyOfPost(d *Document, first int) int {
	i := first - 1
	if i >= 0 && d.LowerFast(i) == "the" {
		i--
	}
	if i < 1 {
		return -1
	}
	switch d.LowerFast(i) {
	case "to", "in", "at":
		if isEnvoy(d.LowerFast(i - 1)) {
			return i - 1
		}
	}
	return -1
}

// PostActedOn reports whether token first starts a post (IsPost) whose
// envoy a verb before the title, in its clause, recalls, withdraws or
// appoints ("recalled its ambassador to Ecuador", "named a new envoy to
// Sudan"): that act is toward the post, which is then the relation's
// target (and holds none: the classifier's party.post).
func PostActedOn(d *Document, first int) bool {
	envoy := envoyOfPost(d, first)
	if envoy < 0 {
		return false
	}
	// The verb stands at most three words before the envoy ("recalled
	// its ambassador", "withdrew the country's ambassador"), in the
	// sentence, with no word that opens another clause or phrase between
	// ("sent aid while the ambassador to Sudan ...", "sent letters to the
	// ambassador to Ecuador").
	from := max(envoy-4, d.Sentences[d.SentenceOf(first)].First)
	for k := envoy - 1; k >= from; k-- {
		if d.Tokens[k].Kind == KindPunct && !IsPossessiveToken(d.Surface(k)) {
			return false
		}
		switch d.LowerFast(k) {
		case "that", "and", "but", "or", "who", "which", "said", "says", "while", "when", "after", "before", "as",
			"since", "because", "until", "where", "to", "for", "from", "with", "by", "of", "on", "at", "in":
			return false // "recalled that its ambassador to Ecuador had left"
		case "recalled", "recall", "recalls", "recalling", "withdrew", "withdraw", "withdraws", "withdrawing",
			"withdrawn", "appointed", "appoint", "appoints", "named", "nominated", "dispatched", "sent",
			"reinstated", "restored", "upgraded", "downgraded", "accredited":
			return true
		}
	}
	return false
}

func isEnvoy(w string) bool {
	switch w {
	case "ambassador", "ambassadors", "envoy", "envoys", "representative", "representatives", "delegate",
		"delegates", "delegation", "emissary", "consul":
		return true
	}
	return false
}

// skipPost returns the token after an envoy's post that starts at token i
// ("[ambassador] to Moscow noted": the token of "noted"), or i where none
// does: the envoy's words come after the post.
func skipPost(d *Document, sent Sentence, i int) int {
	j := i + 1 // the post's first word, past "to" and an article
	if j < sent.End && d.LowerFast(j) == "the" {
		j++
	}
	if i <= sent.First || j >= sent.End || !IsPost(d, j) {
		return i
	}
	k := j
	for k < min(sent.End, j+4) && d.Tokens[k].Kind != KindPunct && StartsUpper(d.Surface(k)) {
		k++
	}
	if k == j {
		return i
	}
	return k
}

// StartsUpper reports whether w starts with an upper-case letter.
func StartsUpper(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

func isSpeechVerb(w string) bool {
	switch w {
	case "said", "says", "say", "told", "tells", "added", "stated", "stressed", "noted", "argued", "insisted",
		"claimed", "wrote", "tweeted", "announced", "explained", "asked", "responded", "replied", "declared", "urged", "warned":
		return true
	}
	return false
}

// passiveAt reports whether verb cue c stands in a passive: a form of
// "be" before it, across a few adverbs ("was repeatedly shelled by") and a
// participle it is coordinated with ("was boarded and seized by"), or a
// participle after "and", "but" or "or" that a "by" agent follows ("was
// welcomed by Egypt and criticised by Ethiopia"). A form in -ing after
// "be" is the progressive, active ("Israel was bombing Gaza", "is helping
// Russia").
func passiveAt(d *Document, c *CueMatch) bool {
	if isIngForm(d.LowerFast(c.First)) {
		return false
	}
	i := c.First - 1
	skipAdverbs := func() {
		for n := 0; i >= 0 && n < 2 && isAdverb(d.LowerFast(i)); n++ {
			i--
		}
	}
	skipAdverbs()
	if i >= 0 && isBeForm(d.LowerFast(i)) {
		return true
	}
	if i >= 1 && isCoordinator(d.LowerFast(i)) && isParticiple(d.LowerFast(i-1)) {
		i -= 2
		skipAdverbs()
		return i >= 0 && isBeForm(d.LowerFast(i))
	}
	// A participle with its own agent after a coordinator: "was welcomed
	// by Egypt and criticised by Ethiopia"; "retaliated by expelling"
	// names a means, not an agent.
	if i < 0 || c.End != c.First+1 || c.End+1 >= len(d.Tokens) || d.LowerFast(c.End) != "by" || !isParticiple(d.LowerFast(c.First)) {
		return false
	}
	switch d.LowerFast(i) {
	case "and", "but", "or":
		return !isIngForm(d.LowerFast(c.End + 1))
	}
	return false
}

// isIngForm reports whether w is a verb's form in -ing: a gerund or a
// present participle ("bombing", "being"; not "king").
func isIngForm(w string) bool { return len(w) > 4 && w[len(w)-3:] == "ing" }

func isAdverb(w string) bool {
	switch w {
	case "not", "never", "also", "then", "again", "later", "twice", "once", "first", "since", "just", "allegedly",
		"already", "still", "now", "soon", "even", "further":
		return true
	}
	return len(w) > 4 && strings.HasSuffix(w, "ly")
}

func isCoordinator(w string) bool { return w == "and" || w == "or" || w == "," }

func isParticiple(w string) bool {
	return len(w) > 3 && (strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "en"))
}

func isBeForm(w string) bool {
	switch w {
	case "is", "was", "were", "are", "been", "being", "be", "got", "get", "gets":
		return true
	}
	return false
}

// IsPossessiveToken reports whether w is the possessive clitic token
// ("'s", "’s", or an apostrophe alone).
func IsPossessiveToken(w string) bool {
	return w == "'s" || w == "’s" || w == "'S" || w == "’S" || w == "'" || w == "’"
}

// PossessiveAfter reports whether the possessive clitic follows t
// ("Iran's", "the Netherlands'"): t owns what comes next.
func PossessiveAfter(d *Document, t Target) bool {
	return t.End < len(d.Tokens) && IsPossessiveToken(d.Surface(t.End))
}

// mentionBetween reports whether another mention stands between mention m
// and cue c ("X welcomed the talks with Y": Y stands between X and a cue
// after the talks, X between Y and a cue before it).
func mentionBetween(targets []Target, m int, c *CueMatch) bool {
	t := targets[m]
	if c.First >= t.End {
		return m+1 < len(targets) && targets[m+1].First >= t.End && targets[m+1].End <= c.First
	}
	return m > 0 && targets[m-1].End <= t.First && targets[m-1].First >= c.End
}

// Lexicon source classes of a cue, a bit each (a cue may come from several
// sources: "vader+afinn").
const (
	srcCAMEO uint8 = 1 << iota
	srcVADER
	srcAFINN
	srcTeam
)

// sourceClass returns the bit set of lexicon sources named in a cue's
// Source ("cameo:112", "vader+afinn", "team"); user cues and unknown
// sources give 0.
func sourceClass(source string) uint8 {
	var v uint8
	for source != "" {
		var part string
		part, source, _ = strings.Cut(source, "+")
		switch {
		case strings.HasPrefix(part, "cameo"):
			v |= srcCAMEO
		case part == "vader":
			v |= srcVADER
		case part == "afinn":
			v |= srcAFINN
		case part == "team":
			v |= srcTeam
		}
	}
	return v
}
