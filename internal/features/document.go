package features

import (
	"slices"
	"unicode/utf8"
)

// Document is a tokenized text: words, their WordPiece pieces and its
// sentences. All offsets are UTF-8 byte offsets into Text.
type Document struct {
	// Text is the text as given.
	Text string
	// Tokens are the words, numbers and punctuation of Text, in order.
	Tokens []Token
	// hashes[i] is token i's word-cache hash, while tokenizing.
	hashes []uint64
	// lexemes[i] is token i's entry in the tokenizer's word cache, which
	// holds its pieces: features read them there rather than from a copy
	// made for every token (the copy was 5% of Classify). After SplitInto
	// a sentence's entries are looked up when first needed, all at once,
	// and are nil until then: a sentence is resolved when its first
	// token's entry is set.
	lexemes []*lexeme
	// wp is the tokenizer's WordPiece, which looks up lexemes.
	wp *WordPiece
	// Sentences are the sentences of Text as token index ranges, in order,
	// covering every token.
	Sentences []Sentence
}

// Sentence is a half-open range of token indices.
type Sentence struct {
	// First and End are token indices: Tokens[First:End].
	First, End int
}

// AppendPieces appends the WordPiece pieces of token i, with their
// offsets in Text, to dst.
func (d *Document) AppendPieces(dst []Piece, i int) []Piece {
	return d.lexeme(i).appendPieces(dst, d.Tokens[i].Start)
}

// pieceIDs returns the vocabulary ids of token i's pieces. The slice is
// the word cache's: read it, never write it. Token i's sentence must be
// resolved (resolveSentence): a look-up here would cost more than the
// inliner allows, and features call this for every context word.
func (d *Document) pieceIDs(i int) []int32 { return d.lexemes[i].pieceIDs() }

// lexeme returns token i's lexeme, looking up its sentence's if SplitInto
// left them for later. The look-up is a call of its own, so that the rest
// inlines where features read every context word's pieces.
func (d *Document) lexeme(i int) *lexeme {
	if lx := d.lexemes[i]; lx != nil {
		return lx
	}
	return d.resolveFor(i)
}

// LowerFast is Lower for a token whose sentence is looked up already (a
// stage walking a sentence that Lower or the cue index has read); it
// falls back to Lower otherwise.
func (d *Document) LowerFast(i int) string {
	if lx := d.lexemes[i]; lx != nil {
		return lx.lower()
	}
	return d.Lower(i)
}

// Lower returns token i lowered as the cue index matches words (see
// appendLower), looking up its sentence's words if that is not done yet.
func (d *Document) Lower(i int) string { return d.resolveFor(i).lower() }

// IsFunctionWord reports whether token i's lowered word is a FunctionWord,
// as its lexeme records once a word.
func (d *Document) IsFunctionWord(i int) bool { return d.resolveFor(i).attr&attrFunction != 0 }

// resolveFor looks up the lexemes of token i's sentence and returns i's.
// A token with its lexeme has its sentence's too (resolve fills whole
// sentences), so it skips the search for its sentence, which the relation
// stage's many look-ups of resolved words had made 3% of Classify.
func (d *Document) resolveFor(i int) *lexeme {
	if lx := d.lexemes[i]; lx != nil {
		return lx
	}
	d.resolveSentence(d.SentenceOf(i))
	return d.lexemes[i]
}

// resolveSentence looks up the lexemes of sentence s's tokens in the word
// cache, unless they are: what Split leaves for later, Tokenize has done.
func (d *Document) resolveSentence(s int) { d.resolveSentences(s, s+1) }

// resolveSentences is resolveSentence for sentences [first, end), in one
// pass over their tokens: the more tokens a pass looks up, the more of
// their cache misses overlap.
func (d *Document) resolveSentences(first, end int) {
	for first < end && d.isResolved(first) {
		first++
	}
	for end > first && d.isResolved(end-1) {
		end--
	}
	if first == end {
		return
	}
	// Resolved sentences in between are looked up again, which finds the
	// same lexemes.
	d.resolve(d.Sentences[first].First, d.Sentences[end-1].End)
}

// isResolved reports whether sentence s's lexemes are looked up.
func (d *Document) isResolved(s int) bool { return d.lexemes[d.Sentences[s].First] != nil }

// resolve looks up the lexemes of tokens [from, to).
func (d *Document) resolve(from, to int) {
	// Two passes: the first hashes each word and loads its first slot in
	// the word cache, the second checks what it found; the processor then
	// overlaps the cache misses of many tokens instead of waiting for each
	// in turn (Tokenize 1.07x, Classify 1.07x over the news corpus). A
	// table the cache replaced meanwhile only costs the second pass a miss.
	wp, text := d.wp, d.Text
	tab := wp.cache.table.Load()
	for i := from; i < to; i++ {
		tok := d.Tokens[i]
		word := text[tok.Start:tok.End]
		if len(word) == 1 && word[0] < utf8.RuneSelf {
			lx := wp.ascii[word[0]]
			d.lexemes[i], d.hashes[i] = lx, lx.hash
			continue
		}
		h := wp.cache.hash(word)
		d.lexemes[i], d.hashes[i] = tab.slots[h&tab.mask].Load(), h
	}
	for i := from; i < to; i++ {
		tok := d.Tokens[i]
		word := text[tok.Start:tok.End]
		if lx := d.lexemes[i]; lx != nil && lx.hash == d.hashes[i] && lx.key == word {
			continue
		}
		d.lexemes[i] = wp.lexemeHashed(word, d.hashes[i])
	}
}

// Surface returns the text of token i exactly as written.
func (d *Document) Surface(i int) string { return d.Text[d.Tokens[i].Start:d.Tokens[i].End] }

// TokenAt returns the index of the first token that ends after byte offset
// off, or len(Tokens) when there is none.
func (d *Document) TokenAt(off int) int { return d.TokenAtFrom(off, 0) }

// TokenAtFrom is TokenAt for a caller that knows that no token before from
// ends after off, as when offsets come in order: it looks at the few tokens
// from there before searching the rest, so that a run of nearby offsets (a
// document's mentions) costs a step or two each rather than a search.
func (d *Document) TokenAtFrom(off, from int) int {
	const near = 4
	for end := min(from+near, len(d.Tokens)); from < end; from++ {
		if d.Tokens[from].End > off {
			return from
		}
	}
	lo, hi := from, len(d.Tokens)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if d.Tokens[mid].End <= off {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// SentenceOf returns the index of the sentence that holds token i.
func (d *Document) SentenceOf(i int) int {
	lo, hi := 0, len(d.Sentences)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if d.Sentences[mid].End <= i {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// Tokenizer turns text into Documents. It is safe for concurrent use.
type Tokenizer struct {
	wp *WordPiece
}

// NewTokenizer returns a tokenizer over the embedded cased WordPiece
// vocabulary.
func NewTokenizer() (*Tokenizer, error) {
	wp, err := NewWordPiece()
	if err != nil {
		return nil, err
	}
	return &Tokenizer{wp: wp}, nil
}

// WordPiece returns the tokenizer's WordPiece model.
func (t *Tokenizer) WordPiece() *WordPiece { return t.wp }

// Tokenize tokenizes text into a new Document.
func (t *Tokenizer) Tokenize(text string) *Document {
	d := &Document{}
	t.TokenizeInto(d, text)
	return d
}

// TokenizeInto tokenizes text into d, reusing d's slices: a caller that
// scores many documents keeps one Document per worker and allocates
// nothing per token once the slices have grown.
func (t *Tokenizer) TokenizeInto(d *Document, text string) {
	t.SplitInto(d, text)
	d.resolve(0, len(d.Tokens))
}

// SplitInto is TokenizeInto that leaves looking up each sentence's
// words in the word cache until something needs their pieces
// (AppendPieces, Extract) or cues (MatchIn): a classifier needs them only
// in the sentences with a mention, which hold under a third of the words
// of news.
func (t *Tokenizer) SplitInto(d *Document, text string) {
	d.Text, d.wp = text, t.wp
	d.Tokens = SplitWords(d.Tokens[:0], text)
	d.Sentences = SplitSentences(d.Sentences[:0], text, d.Tokens)
	n := len(d.Tokens)
	d.lexemes = slices.Grow(d.lexemes[:0], n)[:n]
	clear(d.lexemes)
	d.hashes = slices.Grow(d.hashes[:0], n)[:n]
}
