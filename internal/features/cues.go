package features

import (
	"slices"
	"strings"
	"sync/atomic"
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
	// RelationOnly is set for a cue that only the relation stage reads
	// (lexicon.SourceRelation): the mention features, the mentions'
	// holders and the sentences' tone leave it out.
	RelationOnly bool
}

// CueIndex finds lexicon cues in tokenized documents. It is immutable and
// safe for concurrent use.
//
// It lives as long as the process, so it holds no pointers the garbage
// collector would scan on every cycle (the map-and-slices version of it
// was 6.4 MB of the 14 MB it scanned): words are numbered by a wordTable,
// each word's cues are a range of one array, and each cue's later words a
// range of another.
type CueIndex struct {
	// words numbers the lowercased words: word e's entry is entries[e]:
	// the cues it starts and the modifier it is. One lookup per token
	// answers both.
	words   wordTable
	entries []wordEntry
	// marks[e] says what entries[e] is: every token reads it, and a byte
	// per entry stays in the cache where the entries do not.
	marks []entryMark
	// cues holds every entry's cues, an entry's together, longest first.
	cues []indexedCue
	// rest holds the entries of the words after each cue's first.
	rest []int32
	// sources are the distinct cue sources, named by indexedCue.source;
	// relationOnly[i] says whether sources[i] is a relation stage cue's
	// (lexicon.RelationOnlySource).
	sources      []string
	relationOnly []bool
	// multi holds the modifiers of more than one word ("refused to",
	// "stopped short of", "not only", "is said to") by the entry of their
	// first word, longest first; their words have entries, and a first
	// word is marked markModifier (and markHedge for a hedge).
	multi map[int32][]multiModifier
	// maxMultiWords is the most words of a modifier (1 without multi).
	maxMultiWords int
	// id tells this index's entries cached in the lexemes from another's
	// (see cueCache).
	id uint64
}

// multiModifier is a modifier of more than one word.
type multiModifier struct {
	rest   []int32 // the entries of its words after the first
	weight float64
	kind   lexicon.Kind
}

// cueIndexIDs numbers CueIndexes, from 1, so that a lexeme's cached entry
// names the index it belongs to.
var cueIndexIDs atomic.Uint64

// A lexeme caches its word's entry in one CueIndex as one uint64: the
// index's id in the top cueOwnerShift bits, then the entry's marks, then
// the entry plus one. The entry and marks sit in the lexeme that the
// tokenizer has just loaded, so resolve reads no other memory for a word
// it has seen (a pointer to a per-entry slot of the index cost a cache
// miss per token). An index numbered past what the bits hold caches
// nothing and looks every token up.
const (
	cueOwnerShift = 40
	maxCachingID  = 1<<(64-cueOwnerShift) - 1
)

// cueCache packs entry e (-1 for none) of index id with its marks.
func cueCache(id uint64, e int32, m entryMark) uint64 {
	return id<<cueOwnerShift | uint64(m)<<32 | uint64(uint32(e+1))
}

// entryMark is a set of flags about a wordEntry.
type entryMark uint8

const (
	markCues     entryMark = 1 << iota // the entry starts cues
	markModifier                       // the entry is a modifier
	markHedge                          // a modifier of kind KindHedge
)

type wordEntry struct {
	// cues[first:end] start with the word, longest first.
	first, end int32
	// The modifier the word is (when marked markModifier).
	modWeight float64
	modKind   lexicon.Kind
}

type indexedCue struct {
	weight float64
	// rest[restFirst:restEnd] are the entries of the words after the first:
	// a token matches one exactly when its entry is the word's, which
	// compares integers instead of strings.
	restFirst, restEnd int32
	// second is rest's first entry (-1 for a one-word cue), kept here
	// so that the usual mismatch, on the second word, reads only the cue.
	second int32
	id     uint32
	source int32 // index in CueIndex.sources
	kind   lexicon.Kind
	quad   lexicon.Quad // the cue's Quad(), which parses the source
}

// NewCueIndex indexes the cues of lex by their first word. The index of the
// embedded lexicon is read from its snapshot (see cuesnapshot.go).
func NewCueIndex(lex *lexicon.Lexicon) *CueIndex {
	if x, err := readCueSnapshot(cueSnapshot, lex); err == nil {
		return x
	}
	return BuildCueIndex(lex)
}

// BuildCueIndex is NewCueIndex without the snapshot: it always indexes the
// cues (cmd/lexicongen writes the snapshot from it).
func BuildCueIndex(lex *lexicon.Lexicon) *CueIndex {
	x := &CueIndex{words: newWordTable(), id: cueIndexIDs.Add(1)}
	// first[e] collects entry e's cues with their later words, in the
	// order they are flattened into x.cues.
	type building struct {
		ic   indexedCue
		rest []string
	}
	// Sized for a word per cue, about what the lexicon needs: growing
	// them cue by cue was a third of building the index.
	n := lex.Len()
	first := make([][]building, 0, n)
	isMod := make([]bool, 0, n)
	x.entries = make([]wordEntry, 0, n)
	x.cues = make([]indexedCue, 0, n)
	entry := func(w string) int32 {
		e := x.words.add(w)
		if int(e) == len(x.entries) {
			x.entries = append(x.entries, wordEntry{})
			first = append(first, nil)
			isMod = append(isMod, false)
		}
		return e
	}
	sourceIDs := map[string]int32{}
	for _, c := range lex.Cues() {
		switch c.Kind {
		case lexicon.KindNegator, lexicon.KindIntensifier, lexicon.KindHedge:
			if words := strings.Fields(c.Phrase); len(words) > 1 {
				// Indexed from the lexicon by indexMulti; their words
				// need entries and the first its marks.
				for _, w := range words {
					entry(w)
				}
				continue
			}
			e := entry(c.Phrase)
			x.entries[e].modWeight, x.entries[e].modKind, isMod[e] = c.Weight, c.Kind, true
			continue
		}
		words := strings.Fields(c.Phrase)
		if len(words) == 0 || c.Weight == 0 {
			continue
		}
		src, ok := sourceIDs[c.Source]
		if !ok {
			src = int32(len(x.sources))
			sourceIDs[c.Source] = src
			x.sources = append(x.sources, c.Source)
			x.relationOnly = append(x.relationOnly, lexicon.RelationOnlySource(c.Source))
		}
		b := building{ic: indexedCue{weight: c.Weight, kind: c.Kind, quad: c.Quad(), id: fnv32a(c.Phrase), source: src},
			rest: words[1:]}
		e := entry(words[0])
		list := append(first[e], b)
		// Longest phrase first, so that "signed a memorandum" wins over
		// "signed".
		for i := len(list) - 1; i > 0 && len(list[i].rest) > len(list[i-1].rest); i-- {
			list[i], list[i-1] = list[i-1], list[i]
		}
		first[e] = list
	}
	// Every word after the first gets an entry (with no cues and no
	// modifier if it has none), so that longestAt compares entries.
	for e := 0; e < len(first); e++ {
		for k := range first[e] {
			for _, w := range first[e][k].rest {
				entry(w)
			}
		}
	}
	x.marks = make([]entryMark, len(x.entries))
	for e := range x.entries {
		we := &x.entries[e]
		we.first = int32(len(x.cues))
		for _, b := range first[e] {
			b.ic.restFirst = int32(len(x.rest))
			for _, w := range b.rest {
				x.rest = append(x.rest, x.words.find(w))
			}
			b.ic.restEnd = int32(len(x.rest))
			b.ic.second = -1
			if b.ic.restEnd > b.ic.restFirst {
				b.ic.second = x.rest[b.ic.restFirst]
			}
			x.cues = append(x.cues, b.ic)
		}
		we.end = int32(len(x.cues))
		if we.end > we.first {
			x.marks[e] |= markCues
		}
		if isMod[e] {
			x.marks[e] |= markModifier
			if we.modKind == lexicon.KindHedge {
				x.marks[e] |= markHedge
			}
		}
	}
	x.cues = slices.Clip(x.cues)
	x.rest = slices.Clip(x.rest)
	x.indexMulti(lex)
	for e, mods := range x.multi {
		x.marks[e] |= markModifier
		for _, m := range mods {
			if m.kind == lexicon.KindHedge {
				x.marks[e] |= markHedge
			}
		}
	}
	return x
}

// indexMulti sets x.multi from lex's modifiers of more than one word,
// whose words x has entries for. It reports whether every word had one
// (a snapshot built from another lexicon may lack them).
func (x *CueIndex) indexMulti(lex *lexicon.Lexicon) bool {
	x.multi = map[int32][]multiModifier{}
	x.maxMultiWords = 1
	for _, c := range lex.Cues() {
		words := strings.Fields(c.Phrase)
		if !c.Kind.IsModifier() || len(words) < 2 {
			continue
		}
		first := x.words.find(words[0])
		m := multiModifier{weight: c.Weight, kind: c.Kind}
		for _, w := range words[1:] {
			m.rest = append(m.rest, x.words.find(w))
		}
		if first < 0 || slices.Contains(m.rest, -1) {
			return false
		}
		x.maxMultiWords = max(x.maxMultiWords, len(words))
		mods := append(x.multi[first], m)
		for i := len(mods) - 1; i > 0 && len(mods[i].rest) > len(mods[i-1].rest); i-- {
			mods[i], mods[i-1] = mods[i-1], mods[i]
		}
		x.multi[first] = mods
	}
	return true
}

// modifierAt returns the modifier that starts at token j and ends by
// token limit: the longest of several words whose words follow, else the
// word's own; ok is false where there is none.
func (x *CueIndex) modifierAt(s *Scratch, j, limit int) (weight float64, kind lexicon.Kind, n int, ok bool) {
	e := s.entry[j]
	for _, m := range x.multi[e] {
		n := 1 + len(m.rest)
		if j+n > limit {
			continue
		}
		match := true
		for k, r := range m.rest {
			if s.entry[j+1+k] != r {
				match = false
				break
			}
		}
		if match {
			return m.weight, m.kind, n, true
		}
	}
	if we := &x.entries[e]; we.modKind.IsModifier() {
		return we.modWeight, we.modKind, 1, true
	}
	return 0, 0, 0, false
}

// fnv32a is the 32-bit FNV-1a hash of s (hash/fnv's New32a), without
// hash/fnv's allocations.
func fnv32a(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// mark returns the marks of entry e, none for -1.
func (x *CueIndex) mark(e int32) entryMark {
	if e < 0 {
		return 0
	}
	return x.marks[e]
}

// Len returns the number of cues indexed (modifiers excluded).
func (x *CueIndex) Len() int { return len(x.cues) }

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
	return x.MatchIn(dst, d, s, nil)
}

// MatchIn is Match in only the sentences i for which want[i] is set, all
// if want is nil. A cue never crosses a sentence, and negators and hedges
// act within theirs, so each sentence's cues are what Match finds there.
func (x *CueIndex) MatchIn(dst []CueMatch, d *Document, s *Scratch, want []bool) []CueMatch {
	if len(d.lexemes) == len(d.Tokens) {
		x.resolve(s, d, want)
	} else {
		s.lowerAll(d)
		s.entry, s.mark = s.entry[:0], s.mark[:0]
		for _, w := range s.lower {
			e := x.lookup(w)
			s.entry = append(s.entry, e)
			s.mark = append(s.mark, x.mark(e))
		}
	}
	for si, sent := range d.Sentences {
		if want != nil && !want[si] {
			continue
		}
		hedge := float32(1)
		for i := sent.First; i < sent.End; i++ {
			if s.mark[i]&markHedge == 0 {
				continue
			}
			if w, kind, n, ok := x.modifierAt(s, i, sent.End); ok && kind == lexicon.KindHedge {
				hedge *= float32(w)
				i += n - 1
			}
		}
		hedge = max(hedge, minHedgedFactor)
		// skip is the token after the last modifier phrase begun: the
		// words inside one start no cue ("no doubt" holds no "doubt",
		// "stopped short of" no "short"), while its first word may
		// ("refused to" keeps the refusal, "refused").
		skip := 0
		for i := sent.First; i < sent.End; {
			if s.mark[i]&(markCues|markModifier) == 0 {
				i++ // most tokens: no cue or modifier starts here
				continue
			}
			first := false
			if s.mark[i]&markModifier != 0 {
				if _, _, m, ok := x.modifierAt(s, i, sent.End); ok && m > 1 {
					first = i >= skip
					skip = max(skip, i+m)
				}
			}
			if i < skip && !first || s.mark[i]&markCues == 0 {
				i++
				continue
			}
			ic, n := x.longestAt(s, i, sent.End)
			if n == 0 {
				i++
				continue
			}
			pol, negated := x.modify(s, d, sent.First, i, float32(ic.weight))
			pol *= hedge
			pol = min(max(pol, -maxCuePolarity), maxCuePolarity)
			dst = append(dst, CueMatch{First: i, End: i + n, Polarity: pol, Negated: negated,
				Kind: ic.kind, Quad: ic.quad, ID: ic.id, Source: x.sources[ic.source], RelationOnly: x.relationOnly[ic.source]})
			i += n
		}
	}
	return dst
}

// lookup returns the index in x.entries of lowered word w, or -1.
func (x *CueIndex) lookup(w string) int32 { return x.words.find(w) }

// resolve sets s.entry and s.mark of the tokens of the sentences in want
// (all if nil) from the tokenizer's lexemes, as lowerAll and a lookup per
// token would: a word's entry is looked up once per lexeme and CueIndex,
// not once per token. Punctuation is not lowered, so it is
// looked up as written; a lexeme is never punctuation in one token and a
// word in another, since SplitWords gives a surface always the same kind.
func (x *CueIndex) resolve(s *Scratch, d *Document, want []bool) {
	n := len(d.Tokens)
	s.entry = slices.Grow(s.entry[:0], n)[:n]
	s.mark = slices.Grow(s.mark[:0], n)[:n]
	for si := 0; si < len(d.Sentences); si++ {
		if want != nil && !want[si] {
			continue // its entries are never read
		}
		// The run of wanted sentences from si, resolved in one pass.
		end := si + 1
		for end < len(d.Sentences) && (want == nil || want[end]) {
			end++
		}
		d.resolveSentences(si, end)
		for i := d.Sentences[si].First; i < d.Sentences[end-1].End; i++ {
			lx := d.lexemes[i]
			c := lx.cue.Load()
			if c>>cueOwnerShift != x.id {
				w := lx.lower()
				if d.Tokens[i].Kind == KindPunct {
					w = lx.key
				}
				e := x.lookup(w)
				c = cueCache(x.id, e, x.mark(e))
				if x.id <= maxCachingID {
					lx.cue.Store(c)
				}
			}
			s.entry[i] = int32(uint32(c)) - 1
			s.mark[i] = entryMark(c >> 32)
		}
		si = end - 1
	}
}

func (x *CueIndex) longestAt(s *Scratch, i, end int) (*indexedCue, int) {
	e := s.entry[i]
	if e < 0 {
		return nil, 0
	}
	entry := s.entry
	we := &x.entries[e]
	for k := we.first; k < we.end; k++ {
		ic := &x.cues[k]
		n := 1 + int(ic.restEnd-ic.restFirst)
		if n == 1 {
			return ic, 1
		}
		if i+n > end || entry[i+1] != ic.second {
			continue
		}
		ok := true
		for j, w := range x.rest[ic.restFirst+1 : ic.restEnd] {
			if entry[i+2+j] != w {
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
//
// A modifier of several words must end before the cue ("refused to
// condemn", "stopped short of condemning"); a negator whose weight is
// positive cancels the negation of its words ("not only condemned": no
// flip), as the lexicon format says.
func (x *CueIndex) modify(s *Scratch, d *Document, first, i int, w float32) (float32, bool) {
	negated, cancelled := false, false
	// The windows count from a modifier's last word ("stopped short of
	// openly condemning": "of" is two words before the cue), so a phrase
	// may start up to maxMultiWords-1 words further back.
	for j := i - 1; j >= first && j >= i-negationWindow-x.maxMultiWords+1; j-- {
		if d.Tokens[j].Kind == KindPunct {
			break
		}
		if s.mark[j]&markModifier == 0 {
			continue
		}
		weight, kind, n, ok := x.modifierAt(s, j, i)
		if !ok {
			continue
		}
		last := j + n - 1
		switch {
		case kind == lexicon.KindNegator && last >= i-negationWindow && weight > 0:
			cancelled = true
		case kind == lexicon.KindNegator && last >= i-negationWindow && !negated && !cancelled:
			w *= negationFactor
			negated = true
		case kind == lexicon.KindIntensifier && last >= i-modifierWindow:
			w *= float32(weight)
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
