package features

import (
	"hash/maphash"
	"sync/atomic"
	"unsafe"
)

// lexCache is the bounded word → lexeme cache of a WordPiece: an
// open-addressing table of atomic pointers, so that a lookup, which every
// token does, takes no lock: one hash, a pointer load or two and a string
// comparison. Writers claim an empty slot with a compare-and-swap.
//
// The table starts small and doubles when half full, so that it is no
// larger than the words in use need: a lookup's slot is then more often in
// the processor's cache (the news corpus, 19,000 words, needs 512 KiB of
// slots where the full size is 1 MiB). A put that races with a doubling may
// be lost, which costs only a recomputation. When the table holds
// lexCacheLimit words, or its lexemes lexCacheMaxBytes, it is replaced by
// an empty one rather than evicted entry by entry: memory stays bounded
// under adversarial input and the common words come straight back.
//
// The bound is in bytes as well as words because a lexeme's size depends
// on its word: an odd word of many pieces costs a kilobyte, and a word of a
// megabyte (one request can send it) two megabytes. Words longer than
// lexCacheMaxWord are not cached at all: no news word is that long, and a
// lookup of one costs little next to reading it.
type lexCache struct {
	seed  maphash.Seed
	table atomic.Pointer[lexTable]
}

const (
	lexCacheLimit    = 1 << 16
	lexCacheMinSlots = 1 << 12
	// lexCacheMaxBytes bounds the bytes of the lexemes in a table (as
	// lexemeBytes counts them; the slots come on top, at most 1 MiB).
	// The news corpus's 19,000 words take 2.4 MB.
	lexCacheMaxBytes = 8 << 20
	// lexCacheMaxWord is the longest word cached, in bytes.
	lexCacheMaxWord = 64
)

type lexTable struct {
	slots []atomic.Pointer[lexeme] // a power of two of them, at most half full
	mask  uint64                   // len(slots) - 1
	n     atomic.Int32
	bytes atomic.Int64 // of the lexemes put in, as lexemeBytes counts them
}

// lexemeBytes is the memory lx holds: the lexeme, its key when that is not
// inside it, and what its more part points to.
func lexemeBytes(lx *lexeme) int64 {
	n := int64(unsafe.Sizeof(lexeme{}))
	if len(lx.key) > lexemeShort {
		n += int64(len(lx.key))
	}
	if m := lx.more; m != nil {
		n += int64(unsafe.Sizeof(lexemeMore{})) + int64(cap(m.pieces))*int64(unsafe.Sizeof(relPiece{})) + 4*int64(cap(m.ids))
		if m.lower != lx.key {
			n += int64(len(m.lower))
		}
	}
	return n
}

func newLexTable(slots int) *lexTable {
	return &lexTable{slots: make([]atomic.Pointer[lexeme], slots), mask: uint64(slots - 1)}
}

func (c *lexCache) init() {
	c.seed = maphash.MakeSeed()
	c.table.Store(newLexTable(lexCacheMinSlots))
}

func (c *lexCache) hash(word string) uint64 { return maphash.String(c.seed, word) }

// get returns the lexeme of word, whose hash is h, or nil.
func (c *lexCache) get(word string, h uint64) *lexeme {
	t := c.table.Load()
	for i := h; ; i++ {
		lx := t.slots[i&t.mask].Load()
		if lx == nil {
			return nil
		}
		if lx.hash == h && lx.key == word {
			return lx
		}
	}
}

// put stores lx unless its word is there already or too long to cache, and
// returns the lexeme that the cache holds for the word (lx, or the one
// another goroutine stored first), or lx itself when it is not cached.
func (c *lexCache) put(lx *lexeme) *lexeme {
	if len(lx.key) > lexCacheMaxWord {
		return lx
	}
	t := c.table.Load()
	if n := int(t.n.Load()); n >= lexCacheLimit || 2*n >= len(t.slots) || t.bytes.Load() >= lexCacheMaxBytes {
		next := newLexTable(lexCacheMinSlots)
		if n < lexCacheLimit && t.bytes.Load() < lexCacheMaxBytes {
			next = t.doubled()
		}
		if c.table.CompareAndSwap(t, next) {
			t = next
		} else {
			t = c.table.Load()
		}
	}
	for i := lx.hash; ; i++ {
		s := &t.slots[i&t.mask]
		if s.CompareAndSwap(nil, lx) {
			t.n.Add(1)
			t.bytes.Add(lexemeBytes(lx))
			return lx
		}
		if old := s.Load(); old.hash == lx.hash && old.key == lx.key {
			return old
		}
	}
}

// doubled returns a copy of t with twice the slots. Words that other
// goroutines put into t meanwhile may be missing from it.
func (t *lexTable) doubled() *lexTable {
	next := newLexTable(2 * len(t.slots))
	n := int32(0)
	var bytes int64
	for k := range t.slots {
		lx := t.slots[k].Load()
		if lx == nil {
			continue
		}
		i := lx.hash
		for next.slots[i&next.mask].Load() != nil {
			i++
		}
		next.slots[i&next.mask].Store(lx)
		n++
		bytes += lexemeBytes(lx)
	}
	next.n.Store(n)
	next.bytes.Store(bytes)
	return next
}
