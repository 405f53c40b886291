package features

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"sync"

	"github.com/sugarme/tokenizer/model"
	"github.com/sugarme/tokenizer/model/wordpiece"
)

// casedVocab is the cased BERT WordPiece vocabulary shipped with
// github.com/sugarme/tokenizer (Apache-2.0; see NOTICE).
//
//go:embed vocab/bert-cased-vocab.txt
var casedVocab []byte

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
// only words not in the vocabulary go to the model, and its answer is cached
// per word. WordPiece is safe for concurrent use.
type WordPiece struct {
	vocab map[string]int
	model wordpiece.WordPiece
	unkID int32
	cache pieceCache
}

// NewWordPiece loads the embedded cased vocabulary. Call it once and share
// the result: loading parses some 29,000 entries.
func NewWordPiece() (*WordPiece, error) {
	vocab := make(model.Vocab, 29000)
	sc := bufio.NewScanner(bytes.NewReader(casedVocab))
	for id := 0; sc.Scan(); id++ {
		vocab[sc.Text()] = id
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read wordpiece vocabulary: %w", err)
	}
	unk, ok := vocab[unknownPiece]
	if !ok {
		return nil, fmt.Errorf("wordpiece vocabulary lacks %s", unknownPiece)
	}
	m := wordpiece.NewWordPieceBuilder().Vocab(&vocab).UnkToken(unknownPiece).Build()
	w := &WordPiece{vocab: vocab, model: m, unkID: int32(unk)}
	w.cache.init()
	return w, nil
}

// VocabSize returns the number of pieces in the vocabulary.
func (w *WordPiece) VocabSize() int { return len(w.vocab) }

// AppendPieces appends the pieces of word, which starts at byte offset
// start of the text, to dst.
func (w *WordPiece) AppendPieces(dst []Piece, word string, start int) []Piece {
	if id, ok := w.vocab[word]; ok {
		return append(dst, Piece{ID: int32(id), Start: start, End: start + len(word)})
	}
	for _, p := range w.split(word) {
		dst = append(dst, Piece{ID: p.id, Start: start + p.start, End: start + p.end})
	}
	return dst
}

// relPiece is a piece with offsets relative to its word.
type relPiece struct {
	id         int32
	start, end int
}

func (w *WordPiece) split(word string) []relPiece {
	if ps, ok := w.cache.get(word); ok {
		return ps
	}
	ps := w.modelPieces(word)
	w.cache.put(word, ps)
	return ps
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

// pieceCache is a bounded, sharded word → pieces cache. A shard that fills
// up is emptied rather than evicted entry by entry: memory stays bounded
// under adversarial input and the common words come straight back.
type pieceCache struct {
	shards [cacheShards]cacheShard
}

const (
	cacheShards     = 16
	cacheShardLimit = 4096
)

type cacheShard struct {
	mu sync.RWMutex
	m  map[string][]relPiece
}

func (c *pieceCache) init() {
	for i := range c.shards {
		c.shards[i].m = make(map[string][]relPiece)
	}
}

func (c *pieceCache) shard(word string) *cacheShard {
	// FNV-1a over at most the first 16 bytes is plenty to spread words.
	h := uint32(2166136261)
	for i := 0; i < len(word) && i < 16; i++ {
		h = (h ^ uint32(word[i])) * 16777619
	}
	return &c.shards[h%cacheShards]
}

func (c *pieceCache) get(word string) ([]relPiece, bool) {
	s := c.shard(word)
	s.mu.RLock()
	ps, ok := s.m[word]
	s.mu.RUnlock()
	return ps, ok
}

func (c *pieceCache) put(word string, ps []relPiece) {
	s := c.shard(word)
	s.mu.Lock()
	if len(s.m) >= cacheShardLimit {
		clear(s.m)
	}
	// Clone the key: word may point into a caller's large document.
	s.m[string(append([]byte(nil), word...))] = ps
	s.mu.Unlock()
}
