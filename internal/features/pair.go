package features

import (
	"math"
	"slices"
	"strings"

	"github.com/stance/classifierd/internal/lexicon"
)

// Template ids of pair features, apart from the mention templates'.
const (
	tPairBias uint64 = iota + 0x40
	tPairDistance
	tPairCueRoles
	tPairCueRolesCoarse
	tPairCuePosition
	tPairCueIdentity
	tPairCueClause
	tPairSpeaker
	tPairJoint
	tPairPossessor
	tPairBetweenPiece
	tPairOuterPiece
	tPairSentence
	tPairAgentBy
	tPairQuoted
	tPairDenial
	tPairNegated
	tPairStance
	tPairThirdParty
	tPairCompound
	tPairActsBack
	tPairMutual
	tPairPreposition
)

// cueDecay is how fast a cue's pair features fall with its distance in
// tokens from the farther party: 1/(1+cueDecay·d). Chosen by relation CV
// over train_a to train_o against 0.1 with the cue's identity undecayed:
// +0.004 [+0.001, +0.008] recall, +0.007 [+0.004, +0.010] precision (0.1,
// 0.3 and 0.4 read within 0.001 of it; an undecayed identity is the loss).
const cueDecay = 0.2

// maxPairGap is the farthest apart, in tokens, that two parties of one
// sentence are paired: beyond it a sentence is a list, not an event.
const maxPairGap = 40

// Pairable reports whether targets h and t are close enough in one
// sentence to be scored as a pair. It is symmetric: Pairable(targets, h,
// t) is Pairable(targets, t, h).
func (c *Context) Pairable(targets []Target, h, t int) bool {
	d := c.Doc
	si := d.SentenceOf(targets[h].First)
	return si == d.SentenceOf(targets[t].First) && c.PairableIn(si, targets, h, t)
}

// PairableIn is Pairable for targets h and t that both start in sentence
// si, which the caller knows: it spares finding their sentences.
func (c *Context) PairableIn(si int, targets []Target, h, t int) bool {
	if !Close(targets[h], targets[t]) {
		return false
	}
	left, right := c.clause(si, targets[h])
	left2, right2 := c.clause(si, targets[t])
	if targets[t].First >= left && targets[t].End <= right || targets[h].First >= left2 && targets[h].End <= right2 {
		return true
	}
	lo, hi := targets[h], targets[t]
	if hi.First < lo.First {
		lo, hi = hi, lo
	}
	return c.subjectAcross(si, lo, hi)
}

// subjectAcross reports whether party lo is the subject that a predicate
// opened by the boundary word before party hi shares (opensPredicate,
// sharedSubjectEnd): "Argentina thanked Brazil but criticised Chile" pairs
// Argentina with Chile, though "but" ends a clause, and not Brazil. lo
// must be in the clause that the boundary ends. Like the roles, it reads
// no other party, so that an unknown name changes no pair of two others.
func (c *Context) subjectAcross(si int, lo, hi Target) bool {
	d := c.Doc
	b := int(c.prevBoundary[hi.First])
	sent := d.Sentences[si]
	if b < lo.End || int(c.nextBoundary[lo.End]) != b || !opensPredicate(d, sent, b) {
		return false
	}
	cues := c.Cues[c.firstCue[si]:c.firstCue[si+1]]
	return isSharedSubject(d, lo, sharedSubjectEnd(d, sent, cues, b))
}

// Close reports whether two parties of one sentence are near enough, and
// apart, to be scored as a pair. Two parties of one hyphenated word are a
// pair: "the US-China trade war", "the Turkish-Libyan agreement" name both
// sides of what follows. Parties that overlap otherwise ("US-South Korea"
// is two words, "US-South" and "Korea") are not: the features read them
// in token order.
func Close(a, b Target) bool {
	if a.First < b.End && b.First < a.End {
		return a.First == b.First && a.End == b.End
	}
	gap := b.First - a.End
	if a.First > b.First {
		gap = a.First - b.End
	}
	return gap <= maxPairGap
}

// ExtractPair appends the features of the ordered pair (targets[h],
// targets[t]) to dst: does the holder h act or speak toward the target t
// in their sentence, and with which polarity? The features say how each
// cue of the sentence relates to both parties (subject and object of one
// verb, passives turned around, the speaker of a sentence and the parties
// of what is said, the possessor of a stance noun, two parties joined in
// joint action), where the cue stands, and the words between them. The
// two must be Pairable.
//
// stances are the mention model's probabilities (hostile, cooperative) of
// the stance the text takes toward each party, aligned with targets: a
// pair is more likely hostile where the text is hostile toward its target.
func (e *Extractor) ExtractPair(dst []Feature, c *Context, targets []Target, stances [][2]float32, h, t int) []Feature {
	dst, _ = e.extractPairs(dst, nil, c, targets, stances, h, t, false)
	return dst
}

// ExtractPairs appends the features of the ordered pair (targets[h],
// targets[t]) to ht and those of (targets[t], targets[h]) to th, as
// ExtractPair gives each, doing once what the two directions share: the
// parties' facts and roles, the cues within reach and where they stand,
// the words between and around the two. h and t must be in one sentence
// (as Pairable parties are).
func (e *Extractor) ExtractPairs(ht, th []Feature, c *Context, targets []Target, stances [][2]float32, h, t int) ([]Feature, []Feature) {
	return e.extractPairs(ht, th, c, targets, stances, h, t, true)
}

// pairDir is one direction of a pair while extractPairs runs: its holder
// and target (as indices, tokens and cached facts) and what its features
// read of them.
type pairDir struct {
	dst              []Feature
	h, t             int
	th, tt           Target
	ph, pt           *partyFacts
	order            uint64 // 0: holder first
	quoted           uint64 // the target is inside quotes
	sameClause       uint64 // the target is in the holder's clause
	speaker, agentBy bool   // of the holder
	tSpeaker         bool   // the target speaks
	possessor        bool   // of the holder
}

// extractPairs is ExtractPair of (h, t) into ht and, with both, of (t, h)
// into th. Each direction's features are appended in the order
// ExtractPair appends them; where a feature is the same in both (its key
// names no side), it is hashed once.
func (e *Extractor) extractPairs(ht, th []Feature, c *Context, targets []Target, stances [][2]float32, h, t int, both bool) ([]Feature, []Feature) {
	d, cues := c.Doc, c.Cues
	c.growParties(len(targets))
	ph := c.party(targets, h, -1)
	si := ph.si
	sent := d.Sentences[si]
	if both && (targets[t].First < sent.First || targets[t].First >= sent.End) {
		// Not one sentence: each direction reads the other party in its
		// holder's sentence.
		ht = e.ExtractPair(ht, c, targets, stances, h, t)
		th = e.ExtractPair(th, c, targets, stances, t, h)
		return ht, th
	}
	pt := c.party(targets, t, si)
	firstCue := int(c.firstCue[si])
	d.resolveSentence(si)
	c.prepare(si)
	var dirs [2]pairDir
	nd := 1
	dirs[0] = pairDir{dst: ht, h: h, t: t, th: targets[h], tt: targets[t], ph: ph, pt: pt}
	if both {
		nd = 2
		dirs[1] = pairDir{dst: th, h: t, t: h, th: targets[t], tt: targets[h], ph: pt, pt: ph}
	}
	none := Feature{Value: 1, Cue: -1, Token: -1}
	// add appends f with key to direction k's features; addBoth appends
	// f with a key that names no side to every direction's.
	add := func(k int, f Feature, key uint64) {
		f.Index = e.hash(key)
		dirs[k].dst = append(dirs[k].dst, f)
	}
	addBoth := func(f Feature, key uint64) {
		f.Index = e.hash(key)
		for k := range nd {
			dirs[k].dst = append(dirs[k].dst, f)
		}
	}

	// The two parties in text order, and what lies between them.
	lo, hi := targets[h], targets[t]
	if hi.First < lo.First {
		lo, hi = hi, lo
	}
	gap := hi.First - lo.End
	between := 0
	for j := min(h, t) + 1; j < max(h, t); j++ {
		if targets[j].First >= lo.End && targets[j].End <= hi.First {
			between++
		}
	}
	joint := hi.First-lo.End <= 1 && ph.coordinated && pt.coordinated // c.Joint
	mutual := mutualWith(d, targets, min(h, t), max(h, t))
	if mutual {
		addBoth(none, tPairMutual<<56)
	}
	for k := range nd {
		dr := &dirs[k]
		if dr.tt.First < dr.th.First {
			dr.order = 1
		}
		dr.speaker, dr.tSpeaker, dr.agentBy, dr.possessor = dr.ph.speaker, dr.pt.speaks, dr.ph.agentBy, dr.ph.possessor
		if c.quoted[dr.tt.First] {
			dr.quoted = 1
		}
		// Parties in different clauses ("X accused Y, while Z signed
		// ...") are rarely one's act on the other.
		if dr.tt.First >= dr.ph.left && dr.tt.End <= dr.ph.right {
			dr.sameClause = 1
		}
		// No entity type: a caller's span has none, and training marks
		// every party as one, so a type would only tell the model which
		// parties the data did not mark.
		add(k, none, tPairBias<<56|dr.order<<16)
		add(k, none, tPairBias<<56|1<<48)
		add(k, none, tPairDistance<<56|dr.order<<16|uint64(distBucket(gap))<<8|uint64(min(between, 2)))
		add(k, none, tPairDistance<<56|1<<48|dr.sameClause<<8|dr.order)
	}

	var hostile, coop float32 // the pair's cue totals
	from := max(sent.First, lo.First-cueReach)
	to := min(sent.End, hi.End+cueReach)
	for ci := int(c.firstCue[si]); ci < int(c.firstCue[si+1]); ci++ {
		cue := &cues[ci]
		if cue.End <= from || cue.First >= to {
			continue
		}
		th, tt := targets[h], targets[t]
		if cue.First < th.End && cue.End > th.First || cue.First < tt.End && cue.End > tt.First {
			continue // a cue inside a party's own name
		}
		j := ci - firstCue
		// The roles of parties h and t toward the cue.
		var roles [2]Role
		for k, p := range [2]*partyFacts{ph, pt} {
			r := Role(c.roleBuf[p.cueOff+j])
			if r == noUnknown {
				r = pairRole(d, sent, cues[firstCue:c.firstCue[si+1]], targets, [2]int{h, t}[k], cue)
				c.roleBuf[p.cueOff+j] = uint8(r)
			}
			roles[k] = r
		}
		pol, mag := polaritySign(cue.Polarity)
		if cue.Polarity < 0 {
			hostile -= cue.Polarity
		} else {
			coop += cue.Polarity
		}
		pos := uint64(1) // between the parties
		switch {
		case cue.End <= lo.First:
			pos = 0
		case cue.First >= hi.End:
			pos = 2
		}
		neg := uint64(0)
		if cue.Negated {
			neg = 1
		}
		pron := -1 // "its" before a stance noun: whose it is
		if cue.Kind != 0 && cue.Kind != lexicon.KindVerb {
			pron = possessivePronounBefore(d, sent, cue)
		}
		// A cue outside the pair whose other side is a third party: "X
		// and Y criticized Z" is their act on Z, not on each other; "Z
		// accused X and Y" Z's on them.
		third := uint64(0)
		if pos != 1 && thirdParty(targets, sent, h, t, cue, pos == 2) {
			third = 1
		}
		// Where one party undergoes the other's hostile verb ("NATO
		// accused Iran", "Russia attacked Ukraine"), whether a later act
		// in the sentence turns back on the actor ("accused Venezuelan
		// soldiers of firing on its troops"): only then does the one
		// acted on act on the actor, as victims do not reciprocate.
		back := uint64(2) // not worked out yet
		dist := max(distance(th, cue), distance(tt, cue))
		// A cue counts less the farther it stands from the farther
		// party, its identity as well: a "meeting with" twenty words
		// before a quote says little about the quote's two parties.
		near := float32(1 / (1 + cueDecay*float64(dist)))
		v := mag * near
		cf := Feature{Value: v, Cue: int32(ci), Token: -1}
		for k := range nd {
			dr := &dirs[k]
			rh, rt := roles[k], roles[1-k]
			inH, inT := uint64(0), uint64(0)
			if cue.First >= dr.ph.left && cue.End <= dr.ph.right {
				inH = 1
			}
			if cue.First >= dr.pt.left && cue.End <= dr.pt.right {
				inT = 1
			}
			add(k, cf, tPairCueRoles<<56|neg<<48|pol<<40|uint64(rh)<<32|uint64(rt)<<24|uint64(cue.Quad)<<16|uint64(cue.Kind)<<8)
			add(k, cf, tPairCueRolesCoarse<<56|pol<<40|uint64(rh)<<32|uint64(rt)<<24)
			add(k, cf, tPairCuePosition<<56|neg<<48|pol<<40|pos<<32|dr.order<<24|uint64(cue.Quad)<<16)
			add(k, Feature{Value: near, Cue: int32(ci), Token: -1}, tPairCueIdentity<<56|neg<<48|uint64(rh)<<40|uint64(rt)<<32|uint64(cue.ID))
			add(k, cf, tPairCueClause<<56|pol<<40|inH<<32|inT<<24|dr.order<<16|dr.sameClause<<8)
			if third != 0 {
				add(k, cf, tPairThirdParty<<56|pol<<40|pos<<32|uint64(rh)<<24|uint64(rt)<<16)
			}
			if rh == RoleObject && rt == RoleSubject && cue.Polarity < 0 && cue.Kind == lexicon.KindVerb {
				if back == 2 {
					back = b2u(actsBack(d, sent, cues[c.firstCue[si]:c.firstCue[si+1]], cue))
				}
				add(k, cf, tPairActsBack<<56|back<<8)
			}
			if dr.speaker {
				// "X said Y is a threat", "X's minister said": X speaks
				// toward the parties of what is said.
				add(k, cf, tPairSpeaker<<56|pol<<40|uint64(rt)<<32|dr.quoted<<24|pos<<16)
			}
			if dr.tSpeaker {
				add(k, cf, tPairSpeaker<<56|1<<50|pol<<40|uint64(rh)<<32)
			}
			if joint {
				add(k, cf, tPairJoint<<56|pol<<40|uint64(rh)<<32|uint64(cue.Quad)<<24)
			}
			if mutual && pos == 1 {
				add(k, cf, tPairMutual<<56|1<<48|pol<<40|uint64(cue.Quad)<<24)
			}
			if cue.Kind != 0 && (dr.possessor && cue.First >= dr.th.End && cue.First <= dr.th.End+3 ||
				pron >= 0 && antecedentOf(targets, dr.h, pron, sent)) {
				add(k, cf, tPairPossessor<<56|pol<<40|uint64(cue.Kind)<<32|dr.order<<24)
			}
			if dr.agentBy {
				add(k, cf, tPairAgentBy<<56|pol<<40|uint64(rt)<<32)
			}
			// A denial or a negation between the holder and the cue
			// asserts no event: "Thailand rejected reports that its jets
			// had bombed Cambodia", "Cuba said it had played no part in
			// ...".
			if cue.First > dr.th.End {
				m := c.scopeBuf[dr.ph.cueOff+j]
				if m == noUnknown {
					m = scopeMarkers(d, dr.th.End, cue.First)
					c.scopeBuf[dr.ph.cueOff+j] = m
				}
				if m != 0 {
					add(k, cf, tPairDenial<<56|uint64(m)<<48|pol<<40|uint64(rh)<<32|uint64(rt)<<24)
					add(k, none, tPairNegated<<56|uint64(m)<<48|pol<<40)
				}
			}
		}
	}
	if hostile > 0 {
		addBoth(Feature{Value: squash(hostile), Cue: -1, Token: -1}, tPairSentence<<56|1)
	}
	if coop > 0 {
		addBoth(Feature{Value: squash(coop), Cue: -1, Token: -1}, tPairSentence<<56|2)
	}
	for k := range nd {
		dr := &dirs[k]
		if dr.speaker {
			add(k, none, tPairSpeaker<<56|1<<52|dr.order)
		}
		if joint {
			add(k, none, tPairJoint<<56|1<<52)
		}
		if dr.agentBy {
			add(k, none, tPairAgentBy<<56|1<<52|dr.order)
		}
		// "Iran-backed Houthis", "the Saudi-led coalition": the state
		// of the compound backs or leads the actor it modifies, and takes
		// no part in what that actor does; "US-made missiles" none.
		if kind, end := dr.ph.compound, dr.ph.compoundEnd; kind != 0 {
			add(k, none, tPairCompound<<56|uint64(kind)<<16|b2u(dr.tt.First >= end && dr.tt.First <= end+1)<<8)
		}
		if kind, end := dr.pt.compound, dr.pt.compoundEnd; kind != 0 {
			add(k, none, tPairCompound<<56|1<<48|uint64(kind)<<16|b2u(dr.th.First >= end && dr.th.First <= end+1)<<8)
		}
		// A quote's speaker outside it speaks toward the parties in it;
		// two parties both inside it are what the speaker says.
		hq := uint64(0)
		if c.quoted[dr.th.First] {
			hq = 1
		}
		add(k, none, tPairQuoted<<56|hq<<16|dr.quoted<<8|dr.order)
		sp := uint64(0)
		if dr.speaker {
			sp = 1
		}
		// The preposition that governs each party: "in Baku", "from
		// Russia", "at the International Court": a party after "in"
		// is most often where an act happens, after "from" a source,
		// which the bag of words between the parties does not place.
		add(k, none, tPairPreposition<<56|uint64(dr.pt.preposition)<<8|dr.order)
		add(k, none, tPairPreposition<<56|1<<48|uint64(dr.ph.preposition)<<8|dr.order)
		for l := range 2 {
			add(k, Feature{Value: stances[dr.t][l], Cue: -1, Token: -1}, tPairStance<<56|uint64(l)<<8|sp)
			add(k, Feature{Value: stances[dr.t][l], Cue: -1, Token: -1}, tPairStance<<56|1<<48|uint64(l)<<8|dr.order)
			add(k, Feature{Value: stances[dr.h][l], Cue: -1, Token: -1}, tPairStance<<56|2<<48|uint64(l)<<8|dr.order)
		}
	}

	// The words between the parties carry most of what the pair is about
	// ("accused", "signed a pact with", "was attacked by", "denied"), all
	// of them: relation CV over a-p against the first 12 only, +0.007
	// [+0.005, +0.010] recall, +0.004 [+0.002, +0.007] precision (16:
	// +0.006 and +0.003; 20 and 28 as all).
	if n := min(gap, maxPairGap); n > 0 {
		v := float32(1 / math.Sqrt(float64(n)))
		for i := lo.End; i < lo.End+n; i++ {
			for _, id := range d.pieceIDs(i) {
				for k := range nd {
					add(k, Feature{Value: v, Cue: -1, Token: int32(i)}, tPairBetweenPiece<<56|dirs[k].order<<32|uint64(uint32(id)))
				}
			}
		}
	}
	// The words just outside the pair: "between X and Y", "X and Y
	// signed", "denied that X attacked Y", and four before it, where what
	// governs the pair often stands ("mediated between X and Y", "urged X
	// and Y to"). Relation CV over a-p against two before: -0.000 recall,
	// +0.006 [+0.003, +0.009] precision (three: +0.004 before train_p;
	// five: +0.010, but seed 002's United States turns cooperative).
	for _, i := range [6]int{lo.First - 4, lo.First - 3, lo.First - 2, lo.First - 1, hi.End, hi.End + 1} {
		if i < sent.First || i >= sent.End {
			continue
		}
		band := uint64(0)
		if i >= hi.End {
			band = 1
		}
		for _, id := range d.pieceIDs(i) {
			for k := range nd {
				add(k, Feature{Value: 0.5, Cue: -1, Token: int32(i)}, tPairOuterPiece<<56|band<<40|dirs[k].order<<32|uint64(uint32(id)))
			}
		}
	}
	return dirs[0].dst, dirs[1].dst
}

// Compound kinds (compoundKind): what a participle after a party's
// name and a hyphen says of it.
const (
	compoundNone uint8 = iota
	// compoundBacks: "Iran-backed", "Russian-funded", "US-trained".
	compoundBacks
	// compoundLeads: "Saudi-led", "Kremlin-run", "state-owned".
	compoundLeads
	// compoundMakes: "US-made", "Chinese-built": an origin, no act.
	compoundMakes
	// compoundBrokers: "Qatari-brokered", "UN-sponsored".
	compoundBrokers
)

// compoundKind returns the kind of compound that the last word of party t
// makes with a participle after a hyphen, and the token after the
// compound; compoundNone and t.End where it makes none. The hyphen is
// inside the word ("Iran-backed", one token; also U+2010 and U+2011), or a
// token of its own touching both words ("U.S.-made", "Iran–backed").
func compoundKind(d *Document, t Target) (kind uint8, end int) {
	w := d.LowerFast(t.End - 1)
	var part string
	end = t.End
	if i := lastHyphen(w); i > 0 {
		part = w[i:]
	} else if e := t.End; e+1 < len(d.Tokens) && isHyphen(d.Surface(e)) && touchesBoth(d, e) {
		part, end = d.LowerFast(e+1), e+2
	} else {
		return compoundNone, t.End
	}
	switch part {
	case "backed", "funded", "supported", "armed", "trained", "allied", "aligned", "financed", "equipped", "friendly",
		"supplied":
		return compoundBacks, end
	case "led", "run", "controlled", "held", "owned", "dominated", "ruled", "commanded", "appointed":
		return compoundLeads, end
	case "made", "built", "produced", "manufactured", "designed", "origin":
		return compoundMakes, end
	case "brokered", "mediated", "sponsored", "drafted", "hosted", "proposed":
		return compoundBrokers, end
	}
	return compoundNone, t.End
}

// lastHyphen returns the index after the last hyphen in w ("-", U+2010
// or U+2011: the hyphens isJoiner keeps inside a word), or 0 for none. A
// byte loop: strings.LastIndexAny, asked of
// every mention, was 8% of the relation stage.
func lastHyphen(w string) int {
	for i := len(w) - 1; i > 0; i-- {
		switch c := w[i]; {
		case c == '-':
			return i + 1
		case (c == 0x90 || c == 0x91) && i > 2 && w[i-1] == 0x80 && w[i-2] == 0xe2:
			return i + 1
		}
	}
	return 0
}

// isHyphen reports whether s is a hyphen or an en dash standing for one.
func isHyphen(s string) bool { return s == "-" || s == "\u2010" || s == "\u2011" || s == "\u2013" }

// MadeIn reports whether party t only names where something was made
// ("US-made missiles", "Chinese-built drones"): an origin, which takes no
// part in what is done with the thing. (A supplier, "Iran-supplied
// drones", backs the one it supplies.)
func MadeIn(d *Document, t Target) bool {
	kind, _ := compoundKind(d, t)
	return kind == compoundMakes
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// thirdPartyReach is how near a cue a party must stand to be the cue's
// other side: its object right after it, or its subject right before.
const thirdPartyReach = 3

// thirdParty reports whether a party other than h and t stands on the far
// side of cue c from both of them, within thirdPartyReach tokens in
// sentence sent: after it when after is set (the cue follows the pair),
// else before it. targets are in token order.
func thirdParty(targets []Target, sent Sentence, h, t int, c *CueMatch, after bool) bool {
	if after {
		for j := max(h, t) + 1; j < len(targets) && targets[j].First < sent.End; j++ {
			if targets[j].First >= c.End {
				return targets[j].First-c.End <= thirdPartyReach
			}
		}
		return false
	}
	for j := min(h, t) - 1; j >= 0 && targets[j].First >= sent.First; j-- {
		if targets[j].End <= c.First {
			return c.First-targets[j].End <= thirdPartyReach
		}
	}
	return false
}

// growParties makes room in the party cache for n parties. Entries are
// added zeroed: gen 0 is no document's.
func (c *Context) growParties(n int) {
	if n > len(c.parties) {
		c.parties = append(c.parties, make([]partyFacts, n-len(c.parties))...)
	}
}

// party returns the cached facts of party targets[m], computing them if
// this document has none for it and its neighbours. si is the sentence
// to read the party in, or -1 for its own; a party read in another
// sentence than its own (a pair not Pairable) is not cached. The pointer
// is good until the next growParties.
func (c *Context) party(targets []Target, m, si int) *partyFacts {
	k := partyKey{cur: targets[m]}
	if m > 0 {
		k.prev, k.has = targets[m-1], 1
	}
	if m+1 < len(targets) {
		k.next = targets[m+1]
		k.has |= 2
	}
	p := &c.parties[m]
	if p.gen == c.gen && p.key == k && (si < 0 || p.si == si) {
		return p
	}
	own := c.Doc.SentenceOf(k.cur.First)
	if si < 0 {
		si = own
	}
	if si != own {
		c.odd = partyFacts{}
		p = &c.odd
	}
	c.fillParty(p, targets, m, si)
	if p != &c.odd {
		p.gen, p.key = c.gen, k
	}
	return p
}

// fillParty computes the facts of party targets[m] read in sentence si,
// as ExtractPair did for each pair.
func (c *Context) fillParty(p *partyFacts, targets []Target, m, si int) {
	d := c.Doc
	sent := d.Sentences[si]
	d.resolveSentence(si)
	t := targets[m]
	p.si = si
	if t.First >= sent.First && t.End <= sent.End && !c.speechNear(si, t) {
		// isSpeaker and ownsSpeaker look for a speech word no further
		// than speechNear does, and find none.
		p.speaks, p.speaker = false, false
	} else {
		p.speaks = isSpeaker(d, sent, t)
		p.speaker = p.speaks || ownsSpeaker(d, sent, t)
	}
	p.agentBy = byBefore(d, sent, t.First)
	p.possessor = PossessiveAfter(d, t)
	p.left, p.right = c.clause(si, t)
	p.coordinated = isCoordinated(d, targets, m)
	p.compound, p.compoundEnd = compoundKind(d, t)
	p.preposition = governingPreposition(d, sent, t)
	n := int(c.firstCue[si+1] - c.firstCue[si])
	p.cueOff = len(c.roleBuf)
	for range n {
		c.roleBuf = append(c.roleBuf, noUnknown)
		c.scopeBuf = append(c.scopeBuf, noUnknown)
	}
}

// speechNear reports whether a word of attribution class attrSpeech
// stands in sentence si, which holds t, from two tokens before t to nine
// after it: every word that isSpeaker or ownsSpeaker looks for (speech
// verbs, "according") has the class, and neither looks further (isSpeaker
// past an envoy's post: "envoy to the United Nations said"). Reading
// the class per token spares most parties' words their text.
func (c *Context) speechNear(si int, t Target) bool {
	c.prepare(si)
	sent := c.Doc.Sentences[si]
	for i := max(sent.First, t.First-2); i < min(sent.End, t.End+9); i++ {
		if c.attr[i]&attrSpeech != 0 {
			return true
		}
	}
	return false
}

// ownsSpeaker reports whether mention t is the possessor or modifier of
// a speaker: "Iran's foreign minister said", "Iranian officials told". The
// state of an official speaks through them.
func ownsSpeaker(d *Document, sent Sentence, t Target) bool {
	i := t.End
	if i < sent.End && IsPossessiveToken(d.Surface(i)) {
		i++
	}
	for n := 0; i < sent.End && n < 5; i, n = i+1, n+1 {
		w := d.Surface(i)
		if isSpeechVerb(w) {
			return n > 0
		}
		if d.Tokens[i].Kind == KindPunct {
			return false
		}
	}
	return false
}

// AgentBy reports whether token i opens a passive's agent ("was bombed
// by the Israeli air force": the Israeli air force), as byBefore reads it
// in i's sentence.
func AgentBy(d *Document, i int) bool {
	return i < len(d.Tokens) && byBefore(d, d.Sentences[d.SentenceOf(i)], i)
}

// byBefore reports whether "by" or "by the" stands right before token i:
// the agent of a passive ("was bombed by the Israeli air force").
func byBefore(d *Document, sent Sentence, i int) bool {
	for j := i - 1; j >= max(sent.First, i-3); j-- {
		switch d.LowerFast(j) {
		case "by":
			return true
		case "the", "a", "an", "its", "their", "suspected", "alleged":
			continue
		}
		return false
	}
	return false
}

// pairRole is RoleOf, with the agent of a passive found past a determiner
// ("were blacklisted by the U.S. Treasury": the U.S. is the subject), the
// one who feels as the subject of a word of feeling (feelingAt), a party
// after the cue that the act is aimed against as RoleCountered
// (counteredAt: "cooperated against the Islamic State"), a verb's
// parties read across coordinated predicates (coordinatedRole: "thanked
// Brazil but criticised Chile"), and a relation-only stance noun's parties
// read as a verb's. sentCues are the cues of c's sentence.
func pairRole(d *Document, sent Sentence, sentCues []CueMatch, targets []Target, m int, c *CueMatch) Role {
	r := RoleOf(d, targets, m, c)
	t := targets[m]
	if r == RoleNear && c.Kind == lexicon.KindVerb && t.End <= c.First && !passiveAt(d, c) && asideBetween(d, t.End, c.First) {
		// "Ahmed al-Assadi, a spokesman for the PMF, accused the United
		// States": the party in the aside stands nearer the verb, but the
		// subject is the one the aside describes.
		return RoleSubject
	}
	if feelingAt(d, sent, c) {
		// "The White House was disappointed by India's decision",
		// "Jordan has grown alarmed at Iranian smuggling": the one who
		// feels holds the stance toward its cause, which the passive's
		// "by" and an adjective's attribute would turn around.
		switch {
		case t.First >= c.End && t.First-c.End <= 3 && c.End < sent.End && isFeelingCause(d.LowerFast(c.End)):
			return RoleObject
		case t.End <= c.First && !blockedBefore(targets, m, c.First):
			return RoleSubject
		}
	}
	if c.Kind == lexicon.KindNoun && !c.RelationOnly && predicateNoun(d, sent, c) {
		// "NATO is a threat to Iran", "Belarus remains a close ally of
		// Russia": a noun said of its subject names, after its
		// preposition, what it is toward, as a verb would.
		switch {
		case t.First >= c.End && t.First-c.End <= 3:
			return RoleObject
		case r == RoleAttribute && t.End <= c.First:
			return RoleSubject
		}
	}
	r = coordinatedRole(d, sent, sentCues, t, c, r)
	if t.First >= c.End && counteredAt(d, sent, c.End, t.First) {
		return RoleCountered
	}
	if c.RelationOnly {
		// A relation-only stance noun names its object with its own
		// preposition ("opposition to", "mistrust of"): a party at most
		// three tokens after it is its object ("opposition to the NATO
		// presence"), the one it is attributed to (or the antecedent of
		// "its" before it) its subject, as for a verb.
		if t.First >= c.End && t.First-c.End <= 3 {
			return RoleObject
		}
		if r == RoleAttribute {
			return RoleSubject
		}
		if p := possessivePronounBefore(d, sent, c); p >= 0 && antecedentOf(targets, m, p, sent) {
			return RoleSubject
		}
	}
	if r == RoleObject && c.Kind == lexicon.KindVerb && t.First >= c.End && passiveAt(d, c) &&
		byBefore(d, sent, t.First) {
		return RoleSubject
	}
	if r == RoleObject && c.Kind == lexicon.KindVerb && objectBefore(d, targets, m, c) {
		// "accused China of bullying the Philippines": the Philippines is
		// the object of China's act, not of the accusation.
		return RoleNear
	}
	return r
}

// maxAside is the most tokens of an aside between commas that
// asideBetween reads.
const maxAside = 12

// asideBetween reports whether tokens [from, to) are an aside between
// commas that describes what stands before it: a comma at from and right
// before to, none between, and the aside opens with a determiner or a
// relative pronoun (", a spokesman for the PMF,", ", the US envoy,", ",
// which Russia backs,").
func asideBetween(d *Document, from, to int) bool {
	if to-from < 3 || to-from > maxAside+2 || d.Surface(from) != "," || d.Surface(to-1) != "," {
		return false
	}
	for i := from + 1; i < to-1; i++ {
		if d.Surface(i) == "," {
			return false
		}
	}
	switch d.LowerFast(from + 1) {
	case "a", "an", "the", "which", "who", "whose":
		return true
	}
	return false
}

// objectBefore reports whether party m, after verb cue c, has another
// party before it that is the verb's own object: the first party after
// the cue, within thirdPartyReach tokens of it, with a word other than a
// list's joiners between it and m, outside the parties ("accused China of
// bullying the Philippines", "accused China of bullying Vietnam and the
// Philippines", "urged Russia to stop attacking Ukraine", but not
// "condemned Egypt, Greece and Cyprus", whose members are all the verb's
// objects). Only the pair features read it: a mention's own stance still
// counts every verb before it.
func objectBefore(d *Document, targets []Target, m int, c *CueMatch) bool {
	t := targets[m]
	if m == 0 || t.First < c.End {
		return false
	}
	first := -1 // the first party between the cue and m
	for k := m - 1; k >= 0 && targets[k].First >= c.End; k-- {
		if targets[k].End <= t.First {
			first = k
		}
	}
	if first < 0 || targets[first].First-c.End > thirdPartyReach {
		return false
	}
	k := first // the next party that may cover token i
	for i := targets[first].End; i < t.First; i++ {
		for k < m && targets[k].End <= i {
			k++
		}
		if k < m && targets[k].First <= i {
			continue // inside a party
		}
		switch d.LowerFast(i) {
		case ",", "and", "or", "nor", "the", "both", "as", "well":
			continue
		}
		return true
	}
	return false
}

// counteredAt reports whether a word that aims an act against what
// follows ("against", "to counter", "to contain", "aimed at") stands in
// tokens [from, to) of the sentence, right before token to or with only
// the start of the party's noun phrase between: determiners and
// possessive pronouns, and one lower-case modifier right before the party
// ("against the Islamic State", "to counter Beijing's", "against rival
// Chinese militias"). A preposition, a gerund or a noun between makes the
// party something else's object ("against terrorism across Syria",
// "warned Iran against attacking Israel").
func counteredAt(d *Document, sent Sentence, from, to int) bool {
	for j := to - 1; j >= max(from, sent.First, to-3); j-- {
		if d.Tokens[j].Kind != KindWord {
			return false
		}
		w := d.LowerFast(j)
		if CounterWord(w) || w == "at" && j-1 >= from && (d.LowerFast(j-1) == "aimed" || d.LowerFast(j-1) == "directed") {
			return true
		}
		switch {
		case nounPhraseStart(w):
		case j == to-1 && !StartsUpper(d.Surface(j)) && !isIngForm(w) && !d.IsFunctionWord(j):
			// One modifier before the party ("rival", "jihadist").
		default:
			return false
		}
	}
	return false
}

// nounPhraseStart reports whether w may open a noun phrase before its head:
// an article, a determiner or a possessive pronoun.
func nounPhraseStart(w string) bool {
	switch w {
	case "the", "a", "an", "its", "their", "his", "her", "our", "any", "all", "both", "these", "those", "such":
		return true
	}
	return false
}

// CounterWord reports whether w aims an act against its object
// ("against", "counter", "deter"), which the relation stage shows as the
// evidence of the hostility it carries.
func CounterWord(w string) bool {
	switch w {
	case "against", "counter", "countering", "confront", "confronting", "deter", "deterring", "contain", "containing",
		"combat", "combating", "combatting", "repel", "repelling", "resist", "resisting", "isolate", "isolating",
		"targeting", "targetting":
		return true
	}
	return false
}

// possessivePronounBefore returns the token of a possessive pronoun
// ("its", "their", "his", "her") at most three tokens before cue c in its
// sentence, with no punctuation between ("declares its strong opposition
// to"), or -1.
func possessivePronounBefore(d *Document, sent Sentence, c *CueMatch) int {
	for i := c.First - 1; i >= max(sent.First, c.First-3); i-- {
		if d.Tokens[i].Kind == KindPunct {
			return -1
		}
		switch d.LowerFast(i) {
		case "its", "their", "his", "her":
			return i
		}
	}
	return -1
}

// antecedentOf reports whether targets[m] is the party a possessive
// pronoun at token pron refers to, by the simplest rule that news bears
// out: the nearest party before it in its sentence ("Iran opposes war,
// and it declares its opposition to NATO": Iran). The party then owns the
// stance noun after the pronoun as "Iran's opposition to NATO" would.
func antecedentOf(targets []Target, m, pron int, sent Sentence) bool {
	t := targets[m]
	return t.First >= sent.First && t.End <= pron && (m+1 == len(targets) || targets[m+1].First >= pron)
}

// Scope markers between a holder and a cue, a bit each.
const (
	// markDenial: "denied", "rejected reports", "dismissed allegations":
	// the act is not asserted.
	markDenial = 1 << iota
	// markNegation: "not", "no", "never", and holding back: "refrained
	// from", "avoided".
	markNegation
	// markRefusal: "refused to", "declined to": a cooperative act
	// refused is a hostile one.
	markRefusal
)

// scopeMarkers returns the scope markers in tokens [from, to). Each
// word's are in its lexeme (scopeMarks, once a word), which the loop
// loads anyway: comparing every token with the marker words was a fifth
// of ExtractPair.
func scopeMarkers(d *Document, from, to int) uint8 {
	var a uint8
	for i := from; i < to; i++ {
		a |= d.lexeme(i).attr
	}
	return a &^ attrFunction >> attrScopeShift
}

// actsBack reports whether, after cue c in sentence sent, a later hostile
// cue of sentCues is followed by a pronoun that may stand for c's subject:
// "Guyana accused Venezuelan soldiers of firing on a boat carrying rations
// to its troops" (but not "NATO accused Iran of destabilizing the
// region").
func actsBack(d *Document, sent Sentence, sentCues []CueMatch, c *CueMatch) bool {
	for i := range sentCues {
		n := &sentCues[i]
		if n.First < c.End || n.Polarity >= 0 {
			continue
		}
		for j := n.End; j < sent.End; j++ {
			switch d.LowerFast(j) {
			case "it", "its", "itself", "them", "their", "themselves":
				return true
			}
		}
		return false
	}
	return false
}

// scopeMarks returns the scope markers that w, a lowered word, is.
func scopeMarks(w string) uint8 {
	switch w {
	case "denied", "denies", "deny", "denying", "rejected", "rejects", "dismissed", "dismisses", "disputed",
		"disputes", "refuted", "refutes", "contradicting", "contradicted", "rebuffed":
		return markDenial
	case "not", "no", "never", "none", "neither", "nor", "n't", "without", "refrained", "refrains", "refraining",
		"avoided", "avoids", "avoiding", "abstained", "abstains", "abstaining":
		return markNegation
	case "refused", "refuses", "refusing", "declined", "declines":
		return markRefusal
	}
	return 0
}

// Joint reports whether targets h and t are joined in one phrase: "Iran
// and Russia", "Ukraine-Russia", "between Moscow and Kyiv".
func (c *Context) Joint(targets []Target, h, t int) bool {
	d := c.Doc
	lo, hi := targets[h], targets[t]
	if hi.First < lo.First {
		lo, hi = hi, lo
	}
	return hi.First-lo.End <= 1 && isCoordinated(d, targets, h) && isCoordinated(d, targets, t)
}

// Speaks reports whether mention t is the speaker of its sentence ("X
// said", "according to X") or owns the speaker ("X's foreign minister
// said").
func (c *Context) Speaks(t Target) bool {
	d := c.Doc
	sent := d.Sentences[d.SentenceOf(t.First)]
	return isSpeaker(d, sent, t) || ownsSpeaker(d, sent, t)
}

// Quoted reports whether token i is inside double quotes opened in its
// sentence.
func (c *Context) Quoted(i int) bool {
	c.prepare(c.Doc.SentenceOf(i))
	return c.quoted[i]
}

// Tone returns the hostile and cooperative cue totals of sentence si
// (positive numbers), as matched for the sentences the stages read.
func (c *Context) Tone(si int) (hostile, cooperative float32) {
	return c.hostile[si], c.cooperative[si]
}

// PieceIDs returns the WordPiece ids of token i, looking up its sentence's
// words if that is not done yet. The slice belongs to the word cache.
func (d *Document) PieceIDs(i int) []int32 {
	d.resolveFor(i)
	return d.pieceIDs(i)
}

// SentenceCues returns the cues of sentence si, a sub-slice of c.Cues.
func (c *Context) SentenceCues(si int) []CueMatch {
	return c.Cues[c.firstCue[si]:c.firstCue[si+1]]
}

// pairCues calls fn with each cue within reach of parties h and t in
// their sentence, as ExtractPair reads them (cues inside a party's own
// name aside), until fn returns false.
func (c *Context) pairCues(targets []Target, h, t int, fn func(cue *CueMatch) bool) {
	d := c.Doc
	lo, hi := targets[h], targets[t]
	if hi.First < lo.First {
		lo, hi = hi, lo
	}
	si := d.SentenceOf(lo.First)
	sent := d.Sentences[si]
	from, to := max(sent.First, lo.First-cueReach), min(sent.End, hi.End+cueReach)
	for ci := int(c.firstCue[si]); ci < int(c.firstCue[si+1]); ci++ {
		cue := &c.Cues[ci]
		if cue.End <= from || cue.First >= to || cue.First < lo.End && cue.End > lo.First || cue.First < hi.End && cue.End > hi.First {
			continue
		}
		if !fn(cue) {
			return
		}
	}
}

// NegatedOnly reports whether every cue of the given side (hostile or
// cooperative) within reach of parties h and t in their sentence is one
// that a negator flipped, and there is one: "Egypt did not condemn
// Ethiopia" has a cooperative cue only because "condemn" is negated, and
// not condemning is no cooperation; "did not attack" no friendship. A
// refusal is no negator ("refused to cooperate": the refusal is its own
// hostile cue), so it is not affected.
func (c *Context) NegatedOnly(targets []Target, h, t int, hostile bool) bool {
	negated, plain := false, false
	c.pairCues(targets, h, t, func(cue *CueMatch) bool {
		if cue.Polarity == 0 || (cue.Polarity < 0) != hostile {
			return true
		}
		if !cue.Negated {
			plain = true
			return false
		}
		negated = true
		return true
	})
	return negated && !plain
}

// RefusedOnly reports whether every hostile cue within reach of parties h
// and t in their sentence is a refusal ("refused", "declined") of a
// hostile act that the refusal's negator flipped, and there is one:
// "Indonesia refused to condemn Russia" and "India declined to sanction
// Moscow" assert no condemnation and no sanction, and the refusal alone is
// toward no one. "Refused to cooperate with" keeps its flipped
// cooperation, a hostile cue of its own, and "refused to lift sanctions
// on" its flipped relief.
func (c *Context) RefusedOnly(targets []Target, h, t int) bool {
	d := c.Doc
	refused, other := false, false
	c.pairCues(targets, h, t, func(cue *CueMatch) bool {
		switch {
		case cue.Polarity < 0 && cue.End-cue.First == 1 && scopeMarkers(d, cue.First, cue.End)&markRefusal != 0:
			// The refusal word itself, hostile in the sentiment
			// lexicons: no act toward anyone on its own.
		case cue.Polarity < 0:
			other = true
			return false
		case cue.Negated && cue.First >= 2 && d.LowerFast(cue.First-1) == "to" &&
			scopeMarkers(d, cue.First-2, cue.First-1)&markRefusal != 0:
			refused = true
		}
		return true
	})
	return refused && !other
}

// DisapprovedHarm reports whether party t, after the holder h, is the
// victim of a harm that h disapproves of or calls to end: "Turkey
// condemned the attack on Ukrainian ports", "China opposed any strike on
// Iran", "Germany criticised the sanctions on Cuba", "Brazil called for
// the lifting of sanctions on Venezuela". The hostile verb is toward the harm,
// or toward its author ("condemned Russia's attack on Ukraine": Russia),
// not toward its victim, whom the model read as the verb's object. In the
// team's sentences such a victim is the holder's target in 44 labelled
// pairs: none in 37, cooperative in 6, hostile in 1.
func (c *Context) DisapprovedHarm(targets []Target, h, t int) bool {
	d := c.Doc
	hold, vict := targets[h], targets[t]
	if vict.First <= hold.End {
		return false
	}
	si := d.SentenceOf(vict.First)
	sent := d.Sentences[si]
	p := vict.First - 1 // the preposition before the victim
	if p > sent.First && isArticleOrPossessive(d.LowerFast(p)) {
		p--
	}
	if p <= hold.End {
		return false
	}
	// The harm: a hostile cue right before the preposition, a noun
	// there whatever the lexicon's kind ("the attack on"), or a
	// participle right before the victim ("a resolution condemning
	// Syria").
	end, participle := p, false
	switch d.LowerFast(p) {
	case "on", "against", "of", "targeting", "toward", "towards", "upon":
	default:
		end, participle = vict.First, true
	}
	harm := -1
	for ci := int(c.firstCue[si]); ci < int(c.firstCue[si+1]); ci++ {
		cue := &c.Cues[ci]
		// A hostile cue that the disapproval flipped counts as hostile
		// ("blocked a statement condemning": "blocked" negates it).
		hostile := cue.Polarity < 0 != (cue.Negated && cue.Polarity > 0)
		if cue.End == end && cue.End-cue.First == 1 && hostile && cue.First > hold.End {
			harm = cue.First
			break
		}
	}
	if harm < 0 || participle && !isIngForm(d.LowerFast(harm)) {
		return false
	}
	switch d.LowerFast(harm - 1) {
	case "its", "their", "his", "her":
		// "pressed Israel to stop its raids on Lebanon": the harm is
		// the doer's, who may be the holder.
		return false
	}
	if !participle && isDisapproval(d, harm) {
		return false // "in protest against X": the protest is toward X
	}
	// Two disapprovals undo each other: "voted against lifting the
	// embargo on South Sudan".
	n := 0
	for i := harm - 1; i >= max(hold.End, harm-6); i-- {
		if d.Tokens[i].Kind == KindPunct {
			break
		}
		if isDisapproval(d, i) {
			n++
		}
	}
	return n%2 == 1
}

// isDisapproval reports whether token i disapproves of the act after it
// or calls for its end: "condemned", "opposed", "criticised", "warned
// against", "voted against", "an end to", "the lifting of". A verb that
// ends an act ("stop", "lift") is not one: its subject may be the act's
// doer ("urged Israel to lift its blockade").
func isDisapproval(d *Document, i int) bool {
	w := d.LowerFast(i)
	switch w {
	case "against", "lifting", "easing", "ending", "block", "blocked", "blocking", "veto", "vetoed", "vetoing":
		return true
	case "end", "halt", "cessation":
		if i > 0 {
			switch d.LowerFast(i - 1) {
			case "an", "a", "the":
				return true
			}
		}
		return false
	}
	return hasAnyPrefix(w, "condemn", "criticis", "criticiz", "denounc", "oppos", "deplor", "decr", "protest", "lament", "slam", "reject", "regrett") &&
		!strings.HasPrefix(w, "opposit") // "the opposition to" is a stance noun's
}

// hasAnyPrefix reports whether w starts with one of prefixes.
func hasAnyPrefix(w string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

// DeniedOnly reports whether every hostile cue within reach of parties h
// and t in their sentence stands, before the target, in a clause that the
// holder h's denial opens, and one does: "Russia denied it had attacked
// Ukraine" and "Thailand rejected reports that its jets had bombed
// Cambodia" assert no attack (deniedBetween says what a denied clause
// is). Where the target comes before the denied act ("rejected Azerbaijani
// claims that its forces fired first"), the rejection is an act toward
// it; the denial word itself, a cue or not, is the holder's own act
// ("Iran rejected the U.S. proposal") and counts neither way.
func (c *Context) DeniedOnly(targets []Target, h, t int) bool {
	d := c.Doc
	hold, target := targets[h], targets[t]
	end := d.Sentences[d.SentenceOf(hold.First)].End
	denied, other := false, false
	c.pairCues(targets, h, t, func(cue *CueMatch) bool {
		switch {
		case cue.Polarity >= 0 || scopeMarkers(d, cue.First, cue.End)&markDenial != 0:
		case cue.First < hold.End || cue.End > target.First || !deniedBetween(d, hold.End, cue.First, end):
			other = true
		default:
			denied = true
		}
		return !other
	})
	return denied && !other
}

// deniedBetween reports whether a denial that opens a clause (in the
// sentence that ends at token end) stands in tokens [from, to) with no
// comma, clause break or "and" after it:
// "denied that ...", "denied it had ...", "denied bombing ...",
// "rejected reports that ...". A denial of a thing ("rejected Somali
// calls to scrap the deal", "dismissed demands from the UN") is an act
// toward whoever made it, not a denied act.
func deniedBetween(d *Document, from, to, end int) bool {
	denied := false
	for i := from; i < to; i++ {
		w := d.LowerFast(i)
		switch {
		case scopeMarkers(d, i, i+1)&markDenial != 0:
			denied = opensClause(d, i+1, end) // the clause may open with the cue itself ("denied bombing")
		case denied && (w == "and" || w == "," || isClauseBoundary(w) && !joiningDash(d, i)):
			denied = false
		}
	}
	return denied
}

// opensClause reports whether the tokens from i, before end, open a
// denied clause: "that" within three words ("claims that", "reports
// that"), or at once a pronoun subject, a gerund or a part in the act
// ("it had", "its troops", "bombing", "responsibility for").
func opensClause(d *Document, i, end int) bool {
	if i >= end {
		return false
	}
	switch w := d.LowerFast(i); w {
	case "it", "its", "they", "their", "that":
		return true
	case "any", "all":
		// "denied any role in", "denied all responsibility for"
		if i+1 < end && isInvolvement(d.LowerFast(i+1)) {
			return true
		}
	default:
		if isIngForm(w) || isInvolvement(w) {
			return true // "denied responsibility for the explosion"
		}
	}
	for j := i + 1; j < min(end, i+3); j++ {
		if d.LowerFast(j) == "that" {
			return true
		}
	}
	return false
}

// isInvolvement reports whether w, lowered, names a part in an act,
// which a denial of it denies: "denied responsibility for", "denied
// involvement in", "denied any role in".
func isInvolvement(w string) bool {
	switch w {
	case "responsibility", "involvement", "role", "part", "complicity", "knowledge":
		return true
	}
	return false
}

// feelingAt reports whether cue c is a word of feeling said of the one
// who feels: after a linking verb ("was disappointed", "has grown
// alarmed", across an adverb) or before what the feeling is about
// ("disappointed by"). In "India's decision disappointed Canada" the
// verb's subject is the cause, and RoleOf's roles stand.
func feelingAt(d *Document, sent Sentence, c *CueMatch) bool {
	if c.End-c.First != 1 || !isFeeling(d.LowerFast(c.First)) {
		return false
	}
	if c.End < sent.End && isFeelingCause(d.LowerFast(c.End)) {
		return true
	}
	i := c.First - 1
	if i >= sent.First && isAdverb(d.LowerFast(i)) {
		i--
	}
	return i >= sent.First && (isBeForm(d.LowerFast(i)) || isLinkingVerb(d.LowerFast(i)))
}

// predicateNoun reports whether noun cue c is the predicate of a linking
// verb or of "pose": "is a threat", "posed a grave danger", "remains a
// close ally", with at most two lower-case words (a determiner, an
// adjective, an adverb) between, and a preposition after it that names
// what it is toward.
func predicateNoun(d *Document, sent Sentence, c *CueMatch) bool {
	if c.End >= sent.End || !isPredicatePreposition(d.LowerFast(c.End)) {
		return false
	}
	for i := c.First - 1; i >= max(sent.First, c.First-3); i-- {
		w := d.LowerFast(i)
		if isBeForm(w) || isLinkingVerb(w) {
			return true
		}
		switch w {
		case "pose", "poses", "posed", "posing":
			return true
		}
		if d.Tokens[i].Kind != KindWord || w != d.Surface(i) {
			return false // punctuation or a capitalised word: no predicate
		}
	}
	return false
}

// isPredicatePreposition reports whether w, after a predicate noun, names
// what it is toward: "a threat to", "an ally of", "a partner for", "a
// bulwark against".
func isPredicatePreposition(w string) bool {
	switch w {
	case "to", "for", "of", "against", "toward", "towards":
		return true
	}
	return false
}

func isLinkingVerb(w string) bool {
	switch w {
	case "grew", "grown", "grows", "become", "became", "becomes", "felt", "feel", "feels", "seemed", "seems",
		"appeared", "appears", "remained", "remains", "looked", "sounded":
		return true
	}
	return false
}

// isFeeling reports whether w is a word of feeling that news reports an
// actor's stance with ("concerned by", "angered at", "pleased with").
func isFeeling(w string) bool {
	switch w {
	case "disappointed", "angered", "outraged", "alarmed", "concerned", "dismayed", "frustrated", "troubled",
		"worried", "shocked", "appalled", "saddened", "irritated", "incensed", "infuriated", "angry", "upset",
		"unhappy", "pleased", "delighted", "encouraged", "heartened", "impressed", "satisfied", "grateful", "happy":
		return true
	}
	return false
}

// isFeelingCause reports whether w, right after a word of feeling,
// introduces what the feeling is about.
func isFeelingCause(w string) bool {
	switch w {
	case "by", "with", "at", "over", "about", "that":
		return true
	}
	return false
}

// Mutual reports whether targets h and t of one sentence are joined by a
// predicate that holds both ways (mutualWith): "X is at war with Y".
func (c *Context) Mutual(targets []Target, h, t int) bool {
	return mutualWith(c.Doc, targets, min(h, t), max(h, t))
}

// mutualWith reports whether parties a and b (a first, targets in token
// order) of one sentence are joined by a predicate that holds both ways,
// b named after "with": "Ethiopia has been at war with Eritrea", "Ukraine
// is in a military conflict with Russia", "Japan signed a trade agreement
// with Australia", "Trump had a phone call with Erdogan". What one does
// with the other, the other does with it, where "accused" or "attacked" is
// one actor's act, and so is ending the state ("broke off relations with",
// "pulled out of the deal with"). No
// party stands between the two: in "NATO accused Russia of being at war
// with Ukraine" the war is Russia's; nor does a phrase of time open
// before the predicate (opensAdjunct).
func mutualWith(d *Document, targets []Target, a, b int) bool {
	lo, hi := targets[a], targets[b]
	if hi.First < lo.First {
		lo, hi = hi, lo
	}
	if hi.First-lo.End < 2 || hi.First-lo.End > 8 {
		return false
	}
	for j := a + 1; j < b; j++ {
		if targets[j].First >= lo.End && targets[j].End <= hi.First {
			return false
		}
	}
	with := -1
	for i := hi.First - 1; i >= max(lo.End, hi.First-3); i-- {
		w := d.LowerFast(i)
		if w == "with" {
			with = i
			break
		}
		if !isArticleOrPossessive(w) && !StartsUpper(d.Surface(i)) {
			return false
		}
	}
	if with < 0 {
		return false
	}
	mutual := false
	for i := lo.End; i < with; i++ {
		w := d.LowerFast(i)
		switch {
		case d.Tokens[i].Kind == KindPunct || endsState(w) || opensAdjunct(w):
			return false
		case (w == "and" || w == "but" || w == "yet" || w == "while") && opensPredicate(d, d.Sentences[d.SentenceOf(i)], i):
			// "Egypt hosted Sudan's leader and signed a deal with
			// Ethiopia": the deal is the shared subject's, not Sudan's.
			return false
		case isMutualWord(w):
			mutual = true
		}
	}
	return mutual
}

// MediatedBetween reports whether parties lo and hi (in text order, in
// one sentence) are the two sides that a third party mediates between:
// "Qatar mediated between Washington and Caracas", "offered to mediate
// between the Taliban and Tajik officials". The act is the mediator's:
// the sides may be at war or at the table, and the sentence says neither
// (in the team's sentences 164 such pairs hold nothing, 28 a relation,
// from another clause). Where the mediator's act has an object ("brokered
// a ceasefire between", "hosted talks between"), the sides hold it, and
// this is false.
func MediatedBetween(d *Document, lo, hi Target) bool {
	if hi.First-lo.End > 3 {
		return false
	}
	and := false
	for i := lo.End; i < hi.First; i++ {
		switch w := d.LowerFast(i); {
		case w == "and":
			and = true
		case !isArticleOrPossessive(w):
			return false
		}
	}
	if !and {
		return false
	}
	// "between" up to four words before the first side: "between the
	// leaders of Congo and Rwanda".
	sent := d.Sentences[d.SentenceOf(lo.First)]
	for i := lo.First - 1; i > max(sent.First, lo.First-5); i-- {
		if d.Tokens[i].Kind == KindPunct {
			return false
		}
		if d.LowerFast(i) == "between" {
			return isMediationWord(d.LowerFast(i-1)) && !sidesActAfter(d, sent, hi.End)
		}
	}
	return false
}

// sidesActAfter reports whether the sentence goes on, from token from,
// to say what the two sides of a mediation did themselves: "mediated
// between Somalia and Ethiopia, which agreed to end their dispute", "whose
// leaders met in Nairobi", "a prisoner swap that both carried out",
// "during their rift".
func sidesActAfter(d *Document, sent Sentence, from int) bool {
	for i := from; i < sent.End; i++ {
		switch d.LowerFast(i) {
		case ",":
			if i+1 < sent.End {
				switch d.LowerFast(i + 1) {
				case "which", "who", "whose":
					return true
				}
			}
		case "both", "their", "each", "two":
			return true
		}
	}
	return false
}

// isMediationWord reports whether w, lowered, names a third party's
// go-between act: mediating, brokering, facilitating or hosting talks,
// carrying messages.
func isMediationWord(w string) bool {
	switch w {
	case "host", "hosted", "hosting", "hosts", "messages", "go-between":
		return true
	}
	return hasAnyPrefix(w, "mediat", "broker", "facilitat", "shuttl", "intermediar", "arbitrat")
}

// isArticleOrPossessive reports whether w may stand between "with" and
// the party it names ("with the Philippines", "with its neighbour").
func isArticleOrPossessive(w string) bool {
	switch w {
	case "the", "a", "an", "its", "their", "neighbouring", "neighboring":
		return true
	}
	return false
}

// opensAdjunct reports whether w opens a phrase of time or circumstance,
// whose state is not the first party's: "Russia attacked Ukraine after
// talks with Turkey".
func opensAdjunct(w string) bool {
	switch w {
	case "after", "before", "during", "despite", "amid", "following", "since", "while", "without", "ahead",
		"than", "until":
		return true
	}
	return false
}

// endsState reports whether w ends or refuses what two parties share: one
// party's act toward the other ("broke off talks with", "pulled out of
// the deal with").
func endsState(w string) bool {
	switch w {
	case "ended", "ends", "end", "ending", "broke", "breaks", "break", "breaking", "cut", "cuts", "cutting",
		"severed", "severs", "sever", "suspended", "suspends", "suspend", "froze", "freezes", "freeze", "pulled",
		"withdrew", "withdraws", "quit", "quits", "abandoned", "scrapped", "rejected", "refused", "refuses",
		"violated", "violating", "breached", "tore", "blocked", "blocks", "block", "blocking", "vetoed", "vetoes",
		"vetoing", "opposed", "opposes", "opposing", "rejects", "rejecting", "torpedoed", "derailed", "downgraded",
		"downgrades", "downgrade", "downgrading", "reduced", "scaled":
		return true
	}
	return false
}

// isMutualWord reports whether w names a state or act that two parties
// share: war, conflict, alliance, talks, an agreement.
func isMutualWord(w string) bool {
	switch w {
	case "war", "wars", "conflict", "conflicts", "clash", "clashed", "clashes", "clashing", "fought", "fighting",
		"feud", "feuding", "odds", "dispute", "disputes", "standoff", "allied", "alliance", "talks", "negotiations",
		"negotiated", "negotiating", "agreement", "agreements", "deal", "deals", "treaty", "pact", "accord", "ties",
		"relations", "partnership", "cooperation", "cooperated", "cooperating", "co-operation", "met", "meeting",
		"meetings", "summit", "exercises", "drills", "truce", "ceasefire", "call", "calls", "conversation",
		"conversations", "spoke", "talked", "consultations", "dialogue":
		return true
	}
	return false
}

// governingPreposition returns the code of the preposition right before
// party t in its sentence (prepositions' index + 1), past at most two
// words of an article or a place or rivalry ("in the occupied West Bank",
// "in northern Iraq", "with rival Armenia"), or
// 0 where none stands there or the party owns what follows it ("a place
// in Iran's foreign policy": the preposition governs the policy).
func governingPreposition(d *Document, sent Sentence, t Target) uint8 {
	if PossessiveAfter(d, t) {
		return 0
	}
	i := t.First - 1
	for k := 0; k < 2 && i >= sent.First && beforePlace(d.LowerFast(i)); k++ {
		i--
	}
	if i < sent.First {
		return 0
	}
	return uint8(slices.Index(prepositions[:], d.LowerFast(i)) + 1)
}

// beforePlace reports whether w may stand between a preposition and the
// party it governs: an article, a word of place or of rivalry.
func beforePlace(w string) bool {
	switch w {
	case "the", "northern", "southern", "eastern", "western", "central", "north", "south", "east", "west",
		"occupied", "neighbouring", "neighboring", "rival":
		return true
	}
	return false
}

// prepositions are the words governingPreposition tells apart.
var prepositions = [...]string{"in", "at", "from", "to", "with", "against", "by", "of", "on", "for", "into", "over",
	"near", "between", "across", "inside", "toward", "towards", "about", "through", "among", "under", "within"}
