package features

import (
	_ "embed"
	"fmt"
	"strings"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"

	"github.com/sugarme/tokenizer/model"
	"github.com/sugarme/tokenizer/model/wordpiece"
)

// casedVocab is the cased BERT WordPiece vocabulary shipped with
// github.com/sugarme/tokenizer (Apache-2.0; see NOTICE).
//
//go:embed vocab/bert-cased-vocab.txt
var casedVocab string

const unknownPiece = "[UNK]"

// Piece is one WordPiece sub-word of a token.
type Piece struct {
	// ID is the piece's index in the vocabulary.
	ID int32
	// Start and End are the piece's UTF-8 byte offsets in the text.
	Start, End int
}

// WordPiece splits words into sub-word pieces of the cased BERT vocabulary
// with sugarme/tokenizer's WordPiece model. Words are looked up whole first;
// only words not in the vocabulary go to the model. Either answer is cached
// per word, with the word's lowered form and its cue-index entry, so that a
// token costs one lookup in one table. WordPiece is safe for concurrent use.
type WordPiece struct {
	vocab map[string]int
	model wordpiece.WordPiece
	unkID int32
	cache lexCache
	// ascii[c] is the lexeme of the one-byte word c. Punctuation, "a" and
	// "I" are a fifth of all tokens: indexing an array is cheaper than
	// hashing them and probing the cache.
	ascii [utf8.RuneSelf]*lexeme
	// marker gives each new lexeme its marks: wordMarker as it was when
	// the WordPiece was made.
	marker WordMarker
}

// WordMarker returns the marks of a word, given as written and lowered
// (as LowerFast gives it): bits that a later stage defines and reads per
// token, in the sentences it reads, through Context.SentenceMarks. They
// are worked out once per word, when the word cache first sees it, and
// read from a per-token array that the mention stage fills while it loads
// each token's word anyway, so that a stage looking for a few words in
// every sentence (the relation stage's generic actors) need not load every
// token's text or word again.
type WordMarker func(surface, lower string) uint16

// wordMarker is the one registered WordMarker (SetWordMarker).
var wordMarker WordMarker

// SetWordMarker registers f as the WordMarker of every WordPiece made
// from then on. Call it once, from an init function, so that no word is
// cached unmarked; a second call panics.
func SetWordMarker(f WordMarker) {
	if wordMarker != nil {
		panic("features: SetWordMarker called twice")
	}
	wordMarker = f
}

// NewWordPiece loads the embedded cased vocabulary. Call it once and share
// the result: loading parses some 29,000 entries.
func NewWordPiece() (*WordPiece, error) {
	vocab := make(model.Vocab, 29000)
	id := 0
	for line := range strings.Lines(casedVocab) {
		// The pieces are substrings of the embedded file, which is not in
		// the heap: the garbage collector need not mark 29,000 of them on
		// every cycle, as it did when each was its own allocation.
		line = strings.TrimSuffix(line, "\n")
		vocab[strings.TrimSuffix(line, "\r")] = id
		id++
	}
	unk, ok := vocab[unknownPiece]
	if !ok {
		return nil, fmt.Errorf("wordpiece vocabulary lacks %s", unknownPiece)
	}
	m := wordpiece.NewWordPieceBuilder().Vocab(&vocab).UnkToken(unknownPiece).Build()
	w := &WordPiece{vocab: vocab, model: m, unkID: int32(unk), marker: wordMarker}
	w.cache.init()
	for c := range w.ascii {
		word := string(rune(c))
		w.ascii[c] = w.newLexeme(word, w.cache.hash(word))
	}
	return w, nil
}

// VocabSize returns the number of pieces in the vocabulary.
func (w *WordPiece) VocabSize() int { return len(w.vocab) }

// AppendPieces appends the pieces of word, which starts at byte offset
// start of the text, to dst.
func (w *WordPiece) AppendPieces(dst []Piece, word string, start int) []Piece {
	return w.lexeme(word).appendPieces(dst, start)
}

func appendRel(dst []Piece, ps []relPiece, start int) []Piece {
	for _, p := range ps {
		dst = append(dst, Piece{ID: p.id, Start: start + p.start, End: start + p.end})
	}
	return dst
}

// lexeme returns what is known about the word surface: its pieces and its
// lowered form. One cache lookup answers the tokenizer and, through
// lexeme.cue, the cue index.
func (w *WordPiece) lexeme(word string) *lexeme {
	if len(word) == 1 && word[0] < utf8.RuneSelf {
		return w.ascii[word[0]]
	}
	return w.lexemeHashed(word, w.cache.hash(word))
}

// lexemeHashed is lexeme for a word whose hash is h.
func (w *WordPiece) lexemeHashed(word string, h uint64) *lexeme {
	if lx := w.cache.get(word, h); lx != nil {
		return lx
	}
	return w.cache.put(w.newLexeme(word, h))
}

// newLexeme computes the lexeme of word, whose hash is h.
func (w *WordPiece) newLexeme(word string, h uint64) *lexeme {
	lx := &lexeme{hash: h}
	lx.setKey(word)
	var pieces []relPiece
	if id, ok := w.vocab[word]; ok {
		lx.id = int32(id)
	} else if pieces = w.modelPieces(word); len(pieces) == 1 && pieces[0].start == 0 && pieces[0].end == len(word) {
		lx.id, pieces = pieces[0].id, nil
	}
	lx.split = pieces != nil
	lx.attr = attrClass(word)
	if pieces != nil || !isPlain(word) {
		lx.more = &lexemeMore{pieces: pieces, lower: lx.key}
		for _, p := range pieces {
			lx.more.ids = append(lx.more.ids, p.id)
		}
		if !isPlain(word) {
			lx.more.lower = string(appendLower(nil, word))
		}
	}
	lx.attr |= scopeMarks(lx.lower()) << attrScopeShift
	if FunctionWord(lx.lower()) {
		lx.attr |= attrFunction
	}
	if w.marker != nil {
		lx.marks = w.marker(word, lx.lower())
	}
	return lx
}

// relPiece is a piece with offsets relative to its word.
type relPiece struct {
	id         int32
	start, end int
}

// modelPieces runs the WordPiece model and converts its rune offsets to
// byte offsets within the word.
func (w *WordPiece) modelPieces(word string) []relPiece {
	whole := []relPiece{{id: w.unkID, start: 0, end: len(word)}}
	toks, err := w.model.Tokenize(word)
	if err != nil || len(toks) == 0 {
		return whole
	}
	// Byte offset of every rune index, plus the end.
	runeByte := make([]int, 0, len(word)+1)
	for i := range word {
		runeByte = append(runeByte, i)
	}
	runeByte = append(runeByte, len(word))
	out := make([]relPiece, 0, len(toks))
	for _, t := range toks {
		if len(t.Offsets) != 2 || t.Offsets[0] < 0 || t.Offsets[1] > len(runeByte)-1 || t.Offsets[0] >= t.Offsets[1] {
			return whole
		}
		out = append(out, relPiece{id: int32(t.Id), start: runeByte[t.Offsets[0]], end: runeByte[t.Offsets[1]]})
	}
	return out
}

// lexeme is one word surface as the tokenizer and the cue index see it.
// Lexemes are shared by all documents and never change once published,
// except for cue, which the cue index fills in on first use.
//
// A lexeme is 64 bytes, one cache line (the allocator aligns objects of
// that size class to 64): a token's lookup misses the cache at most once
// for it, and what few words need besides is in more.
type lexeme struct {
	hash  uint64
	key   string // the surface, cloned; in short when it fits
	short [lexemeShort]byte
	// cue caches the word's entry in the last CueIndex that asked, as
	// cueCache packs it; 0 for none yet.
	cue atomic.Uint64
	// id is the word's piece when the word is one piece, as every word in
	// the vocabulary is; otherwise split is set and more.pieces are its
	// pieces. The flag spares one-piece words a load of more.
	id    int32
	split bool
	// attr is the word's attribution classes and clause-boundary bit
	// (attrClass) and its scope markers (attrScopeShift), computed once
	// per word rather than per token.
	attr uint8
	// marks are the word's WordMarker bits (in what was padding).
	marks uint16
	more  *lexemeMore // nil for a word of one piece that lowering keeps
}

// lexemeMore is the part of a lexeme that most words do not need.
type lexemeMore struct {
	pieces []relPiece // nil when the word is one piece, lexeme.id
	ids    []int32    // the pieces' ids
	// lower is the word lowered as the cue index matches a word token (see
	// appendLower); the surface itself when lowering keeps it. The cue
	// index does not lower punctuation tokens.
	lower string
}

// lower returns the word lowered as the cue index matches a word token.
func (lx *lexeme) lower() string {
	if lx.more == nil {
		return lx.key
	}
	return lx.more.lower
}

// appendPieces appends the pieces of the word, which starts at byte offset
// start of the text, to dst.
func (lx *lexeme) appendPieces(dst []Piece, start int) []Piece {
	if !lx.split {
		return append(dst, Piece{ID: lx.id, Start: start, End: start + len(lx.key)})
	}
	return appendRel(dst, lx.more.pieces, start)
}

// pieceIDs returns the ids of the word's pieces.
func (lx *lexeme) pieceIDs() []int32 {
	if !lx.split {
		return unsafe.Slice(&lx.id, 1)
	}
	return lx.more.ids
}

// lexemeShort is the longest word whose key is kept inside its lexeme,
// which spares a cache lookup a memory load: most words are shorter.
const lexemeShort = 16

// setKey sets lx.key to a copy of word, which may point into a caller's
// large document.
func (lx *lexeme) setKey(word string) {
	if len(word) > lexemeShort {
		lx.key = string(append([]byte(nil), word...))
		return
	}
	n := copy(lx.short[:], word)
	lx.key = unsafe.String(&lx.short[0], n)
}
