package features

import (
	"hash/fnv"
	"strings"
	"unicode/utf8"

	"github.com/stance/classifierd/internal/lexicon"
)

// CueMatch is one lexicon cue found in a document.
type CueMatch struct {
	// First and End are the cue's token indices: Tokens[First:End].
	First, End int
	// Polarity is the cue's weight after negation, intensifiers and
	// hedges: below 0 hostile, above 0 cooperative, magnitude at most 2.
	Polarity float32
	// Negated is set when a negator flipped the cue.
	Negated bool
	// Kind is the cue's part of speech in the lexicon.
	Kind lexicon.Kind
	// Quad is the CAMEO class of the cue (QuadNone for sentiment words):
	// the same polarity means different things for the subject and the
	// object, since the subject of verbal conflict ("NATO accused Iran") is
	// an accuser but the subject of material conflict ("Russia shelled the
	// city") is an aggressor.
	Quad lexicon.Quad
	// ID identifies the cue's phrase (a hash, stable across lexicon edits),
	// so that the model can learn a weight per cue.
	ID uint32
	// Source is the lexicon source of the cue ("cameo:112", "team").
	Source string
}

// CueIndex finds lexicon cues in tokenized documents. It is immutable and
// safe for concurrent use.
type CueIndex struct {
	byFirst   map[string][]indexedCue
	modifiers map[string]lexicon.Cue
	cues      int
}

type indexedCue struct {
	rest []string // words after the first
	cue  lexicon.Cue
	id   uint32
}

// NewCueIndex indexes the cues of lex by their first word.
func NewCueIndex(lex *lexicon.Lexicon) *CueIndex {
	x := &CueIndex{byFirst: make(map[string][]indexedCue), modifiers: make(map[string]lexicon.Cue)}
	for _, c := range lex.Cues() {
		switch c.Kind {
		case lexicon.KindNegator, lexicon.KindIntensifier, lexicon.KindHedge:
			x.modifiers[c.Phrase] = c
			continue
		}
		words := strings.Fields(c.Phrase)
		if len(words) == 0 || c.Weight == 0 {
			continue
		}
		h := fnv.New32a()
		h.Write([]byte(c.Phrase))
		ic := indexedCue{rest: words[1:], cue: c, id: h.Sum32()}
		list := append(x.byFirst[words[0]], ic)
		// Longest phrase first, so that "signed a memorandum" wins over
		// "signed".
		for i := len(list) - 1; i > 0 && len(list[i].rest) > len(list[i-1].rest); i-- {
			list[i], list[i-1] = list[i-1], list[i]
		}
		x.byFirst[words[0]] = list
		x.cues++
	}
	return x
}

// Len returns the number of cues indexed (modifiers excluded).
func (x *CueIndex) Len() int { return x.cues }

// Scratch is per-worker scratch space for matching; reuse one per
// goroutine to avoid allocating per token.
type Scratch struct {
	lower []string
	buf   []byte
}

const (
	negationWindow  = 3 // tokens before a cue in which a negator flips it
	modifierWindow  = 2 // tokens before a cue in which an intensifier acts
	negationFactor  = -0.75
	maxCuePolarity  = 2
	minHedgedFactor = 0.25
)

// Match appends the cues found in d to dst, in token order, without
// overlaps (the longest cue at the leftmost position wins).
func (x *CueIndex) Match(dst []CueMatch, d *Document, s *Scratch) []CueMatch {
	s.lower = s.lower[:0]
	for i := range d.Tokens {
		s.lower = append(s.lower, s.lowerWord(d, i))
	}
	for _, sent := range d.Sentences {
		hedge := float32(1)
		for i := sent.First; i < sent.End; i++ {
			if m, ok := x.modifiers[s.lower[i]]; ok && m.Kind == lexicon.KindHedge {
				hedge *= float32(m.Weight)
			}
		}
		hedge = max(hedge, minHedgedFactor)
		for i := sent.First; i < sent.End; {
			ic, n := x.longestAt(s.lower, i, sent.End)
			if n == 0 {
				i++
				continue
			}
			pol, negated := x.modify(s.lower, d, sent.First, i, float32(ic.cue.Weight))
			pol *= hedge
			pol = min(max(pol, -maxCuePolarity), maxCuePolarity)
			dst = append(dst, CueMatch{First: i, End: i + n, Polarity: pol, Negated: negated,
				Kind: ic.cue.Kind, Quad: ic.cue.Quad(), ID: ic.id, Source: ic.cue.Source})
			i += n
		}
	}
	return dst
}

func (x *CueIndex) longestAt(lower []string, i, end int) (indexedCue, int) {
	list := x.byFirst[lower[i]]
	for _, ic := range list {
		n := 1 + len(ic.rest)
		if i+n > end {
			continue
		}
		ok := true
		for j, w := range ic.rest {
			if lower[i+1+j] != w {
				ok = false
				break
			}
		}
		if ok {
			return ic, n
		}
	}
	return indexedCue{}, 0
}

// modify applies negators and intensifiers that stand just before the cue
// at token i, without crossing punctuation.
func (x *CueIndex) modify(lower []string, d *Document, first, i int, w float32) (float32, bool) {
	negated := false
	for j := i - 1; j >= first && j >= i-negationWindow; j-- {
		if d.Tokens[j].Kind == KindPunct {
			break
		}
		m, ok := x.modifiers[lower[j]]
		if !ok {
			continue
		}
		switch {
		case m.Kind == lexicon.KindNegator && !negated:
			w *= negationFactor
			negated = true
		case m.Kind == lexicon.KindIntensifier && j >= i-modifierWindow:
			w *= float32(m.Weight)
		}
	}
	return w, negated
}

// lowerWord returns token i lowercased with curly apostrophes straightened,
// allocating only when the token changes.
func (s *Scratch) lowerWord(d *Document, i int) string {
	w := d.Surface(i)
	if d.Tokens[i].Kind == KindPunct {
		return w
	}
	plain := true
	for j := 0; j < len(w); j++ {
		c := w[j]
		if c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf {
			plain = false
			break
		}
	}
	if plain {
		return w
	}
	return strings.ToLower(strings.ReplaceAll(w, "’", "'"))
}
