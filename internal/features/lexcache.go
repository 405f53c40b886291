package features

import (
	"hash/maphash"
	"sync/atomic"
)

// lexCache is the bounded word → lexeme cache of a WordPiece: an
// open-addressing table of atomic pointers, so that a lookup, which every
// token does, takes no lock: one hash, a pointer load or two and a string
// comparison. Writers claim an empty slot with a compare-and-swap. When the
// table holds lexCacheLimit words it is replaced by an empty one rather
// than evicted entry by entry: memory stays bounded under adversarial
// input and the common words come straight back.
type lexCache struct {
	seed  maphash.Seed
	table atomic.Pointer[lexTable]
}

const (
	lexCacheLimit = 1 << 16
	lexCacheSlots = 2 * lexCacheLimit // at most half full: short probes
)

type lexTable struct {
	slots [lexCacheSlots]atomic.Pointer[lexeme]
	n     atomic.Int32
}

func (c *lexCache) init() {
	c.seed = maphash.MakeSeed()
	c.table.Store(new(lexTable))
}

func (c *lexCache) hash(word string) uint64 { return maphash.String(c.seed, word) }

// get returns the lexeme of word, whose hash is h, or nil.
func (c *lexCache) get(word string, h uint64) *lexeme {
	t := c.table.Load()
	for i := h; ; i++ {
		lx := t.slots[i%lexCacheSlots].Load()
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
	if t.n.Load() >= lexCacheLimit {
		fresh := new(lexTable)
		if c.table.CompareAndSwap(t, fresh) {
			t = fresh
		} else {
			t = c.table.Load()
		}
	}
	for i := lx.hash; ; i++ {
		s := &t.slots[i%lexCacheSlots]
		if s.CompareAndSwap(nil, lx) {
			t.n.Add(1)
			return lx
		}
		if old := s.Load(); old.hash == lx.hash && old.key == lx.key {
			return old
		}
	}
}
