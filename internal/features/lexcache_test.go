package features

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

func TestLexCache(t *testing.T) {
	var c lexCache
	c.init()
	put := func(w string) *lexeme {
		lx := &lexeme{hash: c.hash(w)}
		lx.setKey(w)
		return c.put(lx)
	}
	a := put("Iran")
	if got := c.get("Iran", c.hash("Iran")); got != a {
		t.Fatalf("get(Iran) = %p, want %p", got, a)
	}
	if got := put("Iran"); got != a {
		t.Errorf("second put(Iran) = %p, want the first lexeme %p", got, a)
	}
	long := "Nagorno-Karabakh-Armenia-Azerbaijan"
	if got := put(long); got.key != long || c.get(long, c.hash(long)) != got {
		t.Errorf("long word: put gave key %q, get does not find it", got.key)
	}
	if got := c.get("Iraq", c.hash("Iraq")); got != nil {
		t.Errorf("get(Iraq) = %+v, want nil", got)
	}
	// Doubling the table keeps every word.
	var words []*lexeme
	for i := range lexCacheLimit / 2 {
		words = append(words, put("d"+strconv.Itoa(i)))
	}
	if n := len(c.table.Load().slots); n < lexCacheLimit {
		t.Errorf("table has %d slots for %d words, want at least twice as many", n, lexCacheLimit/2)
	}
	for _, lx := range words {
		if got := c.get(lx.key, lx.hash); got != lx {
			t.Fatalf("get(%s) after doubling = %p, want %p", lx.key, got, lx)
		}
	}
	if got := c.get("Iran", c.hash("Iran")); got != a {
		t.Errorf("get(Iran) after doubling = %p, want %p", got, a)
	}
	// Filling the table empties it once it holds the limit.
	for i := range lexCacheLimit {
		put(strconv.Itoa(i))
	}
	if n := c.table.Load().n.Load(); n > lexCacheLimit {
		t.Errorf("table holds %d words, limit %d", n, lexCacheLimit)
	}
	if got := c.get("Iran", c.hash("Iran")); got != nil {
		t.Errorf("get(Iran) after the table filled = %+v, want nil", got)
	}
	if got := c.get(strconv.Itoa(lexCacheLimit-1), c.hash(strconv.Itoa(lexCacheLimit-1))); got == nil {
		t.Error("the word put after the reset is missing")
	}
}

// TestLexCacheConcurrent runs lookups and inserts from several goroutines
// (run it with -race): every word maps to one lexeme with its own key.
func TestLexCacheConcurrent(t *testing.T) {
	wp, err := NewWordPiece()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 3 * lexCacheLimit / 2 {
				w := "w" + strconv.Itoa((i*7+g)%(lexCacheLimit+100))
				if lx := wp.lexeme(w); lx.key != w || len(lx.appendPieces(nil, 0)) == 0 {
					t.Errorf("lexeme(%q) = key %q, %d pieces", w, lx.key, len(lx.appendPieces(nil, 0)))
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestLexemeSize keeps a lexeme in one cache line: a token's lookup reads
// nothing else when its word is one piece.
func TestLexemeSize(t *testing.T) {
	if n := unsafe.Sizeof(lexeme{}); n != 64 {
		t.Errorf("a lexeme is %d bytes, want 64", n)
	}
}

// TestLexCacheBoundedInBytes fills the cache with words of many pieces and
// with words too long to cache: what it holds stays under its byte bound,
// long words are answered but never kept, and common words come back
// after a reset.
func TestLexCacheBoundedInBytes(t *testing.T) {
	wp, err := NewWordPiece()
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("Xq", 1<<19) // a 1 MB word
	if lx := wp.lexeme(long); lx.key != long {
		t.Fatalf("lexeme of a long word has key of %d bytes", len(lx.key))
	}
	if wp.cache.get(long, wp.cache.hash(long)) != nil {
		t.Error("a 1 MB word was cached")
	}
	maxBytes := int64(0)
	for i := range 20_000 {
		// A 60-byte word of 60 pieces, as WordPiece splits odd words
		// (built here: the model takes a millisecond for each).
		w := strconv.Itoa(i) + strings.Repeat("-q", 27)
		lx := &lexeme{hash: wp.cache.hash(w), split: true, more: &lexemeMore{pieces: make([]relPiece, 60), ids: make([]int32, 60)}}
		lx.setKey(w)
		lx.more.lower = lx.key
		wp.cache.put(lx)
		maxBytes = max(maxBytes, wp.cache.table.Load().bytes.Load())
	}
	if maxBytes > lexCacheMaxBytes+4<<10 {
		t.Errorf("cache held %d bytes of lexemes, bound %d", maxBytes, lexCacheMaxBytes)
	}
	if maxBytes < lexCacheMaxBytes/2 {
		t.Errorf("cache never held more than %d bytes: the test did not fill it", maxBytes)
	}
	if lx := wp.lexeme("Iran"); wp.cache.get("Iran", lx.hash) != lx {
		t.Error("Iran is not cached after the cache was reset")
	}
}
