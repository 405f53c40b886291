package features

import (
	"hash/fnv"
	"strings"
	"unicode"
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
	// words maps a lowercased word to its entry in entries: the cues it
	// starts and the modifier it is. One lookup per token answers both.
	words   map[string]int32
	entries []wordEntry
	// marks[e] says what entries[e] is: every token reads it, and a byte
	// per entry stays in the cache where the entries do not.
	marks []entryMark
	// slots[e+1] is the cueSlot of entry e (slots[0] of -1, no entry), so
	// that resolve stores a pointer into the index instead of allocating.
	slots []cueSlot
	cues  int
}

// entryMark is a set of flags about a wordEntry.
type entryMark uint8

const (
	markCues     entryMark = 1 << iota // first is not empty
	markModifier                       // isMod
	markHedge                          // a modifier of kind KindHedge
)

type wordEntry struct {
	first    []indexedCue // cues starting with the word, longest first
	modifier lexicon.Cue
	isMod    bool
}

type indexedCue struct {
	rest []string // words after the first
	// restEntries are the rest's entries in CueIndex.entries: a token
	// matches a rest word exactly when its entry is the word's, which
	// compares integers instead of strings.
	restEntries []int32
	cue         lexicon.Cue
	quad        lexicon.Quad // cue.Quad(), which parses the source
	id          uint32
}

// NewCueIndex indexes the cues of lex by their first word.
func NewCueIndex(lex *lexicon.Lexicon) *CueIndex {
	x := &CueIndex{words: make(map[string]int32)}
	entry := func(w string) *wordEntry {
		i, ok := x.words[w]
		if !ok {
			i = int32(len(x.entries))
			x.words[w] = i
			x.entries = append(x.entries, wordEntry{})
		}
		return &x.entries[i]
	}
	for _, c := range lex.Cues() {
		switch c.Kind {
		case lexicon.KindNegator, lexicon.KindIntensifier, lexicon.KindHedge:
			e := entry(c.Phrase)
			e.modifier, e.isMod = c, true
			continue
		}
		words := strings.Fields(c.Phrase)
		if len(words) == 0 || c.Weight == 0 {
			continue
		}
		h := fnv.New32a()
		h.Write([]byte(c.Phrase))
		ic := indexedCue{rest: words[1:], cue: c, quad: c.Quad(), id: h.Sum32()}
		e := entry(words[0])
		list := append(e.first, ic)
		// Longest phrase first, so that "signed a memorandum" wins over
		// "signed".
		for i := len(list) - 1; i > 0 && len(list[i].rest) > len(list[i-1].rest); i-- {
			list[i], list[i-1] = list[i-1], list[i]
		}
		e.first = list
		x.cues++
	}
	// Every word after the first gets an entry (with no cues and no
	// modifier if it has none), so that longestAt compares entries.
	for i := 0; i < len(x.entries); i++ {
		for k := range x.entries[i].first {
			rest := x.entries[i].first[k].rest
			ids := make([]int32, len(rest))
			for j, w := range rest {
				entry(w)
				ids[j] = x.words[w]
			}
			x.entries[i].first[k].restEntries = ids
		}
	}
	x.marks = make([]entryMark, len(x.entries))
	x.slots = make([]cueSlot, len(x.entries)+1)
	x.slots[0] = cueSlot{owner: x, entry: -1}
	for e := range x.entries {
		we := &x.entries[e]
		if len(we.first) > 0 {
			x.marks[e] |= markCues
		}
		if we.isMod {
			x.marks[e] |= markModifier
			if we.modifier.Kind == lexicon.KindHedge {
				x.marks[e] |= markHedge
			}
		}
		x.slots[e+1] = cueSlot{owner: x, entry: int32(e), mark: x.marks[e]}
	}
	return x
}

// mark returns the marks of entry e, none for -1.
func (x *CueIndex) mark(e int32) entryMark {
	if e < 0 {
		return 0
	}
	return x.marks[e]
}

// Len returns the number of cues indexed (modifiers excluded).
func (x *CueIndex) Len() int { return x.cues }

// Scratch is per-worker scratch space for matching; reuse one per
// goroutine to avoid allocating per token.
type Scratch struct {
	lower []string    // per token, lowered; only for Documents without lexemes
	entry []int32     // per token: index in CueIndex.entries, or -1
	mark  []entryMark // per token: the marks of its entry
	buf   []byte
	offs  []int32 // per token: start and end in buf, or -1 if unchanged
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
	if len(d.lexemes) == len(d.Tokens) {
		x.resolve(s, d)
	} else {
		s.lowerAll(d)
		s.entry, s.mark = s.entry[:0], s.mark[:0]
		for _, w := range s.lower {
			e := x.lookup(w)
			s.entry = append(s.entry, e)
			s.mark = append(s.mark, x.mark(e))
		}
	}
	for _, sent := range d.Sentences {
		hedge := float32(1)
		for i := sent.First; i < sent.End; i++ {
			if s.mark[i]&markHedge != 0 {
				hedge *= float32(x.entries[s.entry[i]].modifier.Weight)
			}
		}
		hedge = max(hedge, minHedgedFactor)
		for i := sent.First; i < sent.End; {
			if s.mark[i]&markCues == 0 {
				i++ // most tokens: no cue starts here
				continue
			}
			ic, n := x.longestAt(s, i, sent.End)
			if n == 0 {
				i++
				continue
			}
			pol, negated := x.modify(s, d, sent.First, i, float32(ic.cue.Weight))
			pol *= hedge
			pol = min(max(pol, -maxCuePolarity), maxCuePolarity)
			dst = append(dst, CueMatch{First: i, End: i + n, Polarity: pol, Negated: negated,
				Kind: ic.cue.Kind, Quad: ic.quad, ID: ic.id, Source: ic.cue.Source})
			i += n
		}
	}
	return dst
}

// lookup returns the index in x.entries of lowered word w, or -1.
func (x *CueIndex) lookup(w string) int32 {
	if e, ok := x.words[w]; ok {
		return e
	}
	return -1
}

// resolve sets s.entry from the tokenizer's lexemes, as lowerAll and a
// lookup per token would: a word's entry is looked up once per lexeme and
// CueIndex, not once per token. Punctuation is not lowered, so it is
// looked up as written; a lexeme is never punctuation in one token and a
// word in another, since SplitWords gives a surface always the same kind.
func (x *CueIndex) resolve(s *Scratch, d *Document) {
	s.entry, s.mark = s.entry[:0], s.mark[:0]
	for i, t := range d.Tokens {
		lx := d.lexemes[i]
		sl := lx.cue.Load()
		if sl == nil || sl.owner != x {
			w := lx.lower()
			if t.Kind == KindPunct {
				w = lx.key
			}
			sl = &x.slots[x.lookup(w)+1]
			lx.cue.Store(sl)
		}
		s.entry = append(s.entry, sl.entry)
		s.mark = append(s.mark, sl.mark)
	}
}

func (x *CueIndex) longestAt(s *Scratch, i, end int) (*indexedCue, int) {
	e := s.entry[i]
	if e < 0 {
		return nil, 0
	}
	entry := s.entry
	list := x.entries[e].first
	for k := range list {
		ic := &list[k]
		n := 1 + len(ic.restEntries)
		if i+n > end {
			continue
		}
		ok := true
		for j, w := range ic.restEntries {
			if entry[i+1+j] != w {
				ok = false
				break
			}
		}
		if ok {
			return ic, n
		}
	}
	return nil, 0
}

// modify applies negators and intensifiers that stand just before the cue
// at token i, without crossing punctuation.
func (x *CueIndex) modify(s *Scratch, d *Document, first, i int, w float32) (float32, bool) {
	negated := false
	for j := i - 1; j >= first && j >= i-negationWindow; j-- {
		if d.Tokens[j].Kind == KindPunct {
			break
		}
		if s.mark[j]&markModifier == 0 {
			continue
		}
		m := &x.entries[s.entry[j]].modifier
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

// lowerAll sets s.lower to the tokens of d lowercased with curly
// apostrophes straightened, as strings.ToLower(strings.ReplaceAll(w, "’",
// "'")) would, but with one allocation per document: the changed words are
// written to one buffer that becomes one string.
func (s *Scratch) lowerAll(d *Document) {
	s.buf, s.offs = s.buf[:0], s.offs[:0]
	for _, t := range d.Tokens {
		w := d.Text[t.Start:t.End]
		if t.Kind == KindPunct || isPlain(w) {
			s.offs = append(s.offs, -1, -1)
			continue
		}
		start := len(s.buf)
		s.buf = appendLower(s.buf, w)
		s.offs = append(s.offs, int32(start), int32(len(s.buf)))
	}
	lowered := string(s.buf)
	s.lower = s.lower[:0]
	for i, t := range d.Tokens {
		if a := s.offs[2*i]; a >= 0 {
			s.lower = append(s.lower, lowered[a:s.offs[2*i+1]])
		} else {
			s.lower = append(s.lower, d.Text[t.Start:t.End])
		}
	}
}

// isPlain reports whether w has no capital and no non-ASCII byte, so that
// lowering leaves it as it is.
func isPlain(w string) bool {
	for j := 0; j < len(w); j++ {
		if c := w[j]; c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// appendLower appends w lowercased rune by rune with "’" as "'". It is
// byte for byte strings.ToLower(strings.ReplaceAll(w, "’", "'")): ToLower
// maps every rune with unicode.ToLower and writes an invalid byte as
// U+FFFD, which is what decoding it as utf8.RuneError and appending that
// does.
func appendLower(dst []byte, w string) []byte {
	for j := 0; j < len(w); {
		c := w[j]
		if c < utf8.RuneSelf {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			j++
			continue
		}
		r, size := utf8.DecodeRuneInString(w[j:])
		j += size
		if r == '’' {
			dst = append(dst, '\'')
			continue
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	return dst
}
