package features

import (
	"hash/maphash"
	"sync/atomic"
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
// lexCacheLimit words it is replaced by an empty one rather than evicted
// entry by entry: memory stays bounded under adversarial input and the
// common words come straight back.
type lexCache struct {
	seed  maphash.Seed
	table atomic.Pointer[lexTable]
}

const (
	lexCacheLimit    = 1 << 16
	lexCacheMinSlots = 1 << 12
)

type lexTable struct {
	slots []atomic.Pointer[lexeme] // a power of two of them, at most half full
	mask  uint64                   // len(slots) - 1
	n     atomic.Int32
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

// put stores lx unless its word is there already, and returns the lexeme
// that the cache holds for the word (lx, or the one another goroutine
// stored first).
func (c *lexCache) put(lx *lexeme) *lexeme {
	t := c.table.Load()
	if n := int(t.n.Load()); n >= lexCacheLimit || 2*n >= len(t.slots) {
		next := newLexTable(lexCacheMinSlots)
		if n < lexCacheLimit {
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
	}
	next.n.Store(n)
	return next
}
