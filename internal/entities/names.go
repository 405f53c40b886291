package entities

import (
	"slices"
	"strings"
)

// nameIndex finds, at one offset of a text, the longest of many names that
// starts there.
//
// It holds the gazetteer's people: nine in ten of its aliases and, as an
// automaton, over 200,000 states, which the Aho-Corasick DFA turned into some
// 250 MB and two seconds of start-up. A person's alias needs a capital first
// letter, so it can only be found where a capitalised word starts, a few
// dozen times in an article; a sorted slice searched there costs well under
// a megabyte and a few milliseconds to build. The all-capital aliases ("US",
// "NATO") get one too, matched as written, which spares Find a second pass
// over the text. The automaton keeps the short, frequent rest (states,
// organisations, groups, titles), where scanning every byte pays.
// TestBuiltinMatchesAutomaton checks the split against the library's
// automaton over all patterns.
type nameIndex struct {
	keys     []string  // names as matched (ASCII-folded for people), sorted
	patterns []pattern // what keys[i] stands for
	// buckets maps the first width bytes of a key to the range of keys that
	// start with them, so a search touches a few dozen keys.
	buckets map[uint32][2]int32
	width   int
	maxLen  int
}

// newNameIndex indexes keys, each at least width (1 to 4) bytes long.
func newNameIndex(keys []string, patterns []pattern, width int) nameIndex {
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
	x := nameIndex{
		keys:     make([]string, len(keys)),
		patterns: make([]pattern, len(keys)),
		buckets:  map[uint32][2]int32{},
		width:    width,
	}
	for i, j := range order {
		k := keys[j]
		x.keys[i], x.patterns[i] = k, patterns[j]
		x.maxLen = max(x.maxLen, len(k))
		b := x.bucket(k)
		r, ok := x.buckets[b]
		if !ok {
			r[0] = int32(i)
		}
		r[1] = int32(i + 1)
		x.buckets[b] = r
	}
	return x
}

// bucket packs the first width bytes of s, which has at least that many.
func (x *nameIndex) bucket(s string) uint32 {
	var b uint32
	for i := range x.width {
		b = b<<8 | uint32(s[i])
	}
	return b
}

// longest returns the index of the longest key that is a prefix of t, or -1.
func (x *nameIndex) longest(t string) int {
	if len(t) < x.width {
		return -1
	}
	r, ok := x.buckets[x.bucket(t)]
	if !ok {
		return -1
	}
	if len(t) > x.maxLen {
		t = t[:x.maxLen]
	}
	keys := x.keys[:r[1]]
	lo := int(r[0])
	for {
		// The last key <= t is t's longest prefix among the keys if it is a
		// prefix at all; if not, every shorter candidate is a prefix of what
		// the two share, and sorts before that key.
		i, found := slices.BinarySearch(keys[lo:], t)
		i += lo
		if found {
			return i
		}
		if i--; i < lo {
			return -1
		}
		k := keys[i]
		if strings.HasPrefix(t, k) {
			return i
		}
		t = t[:commonPrefix(k, t)]
		keys = keys[:i]
	}
}

func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// foldASCII writes text with ASCII letters lower-cased into dst, which keeps
// every byte offset, and appends to starts each offset where a capitalised
// word may start: an upper-case ASCII letter or the first byte of a
// non-ASCII character, not preceded by an ASCII letter or digit. Callers
// check the boundary and the case of such an offset exactly.
func foldASCII(dst []byte, text string, starts []int32) ([]byte, []int32) {
	dst = append(dst[:0], text...)
	word := false
	for i, c := range dst {
		// Branch-free but for the rare start: a switch per byte mispredicts
		// at every change of case and at every space.
		f := foldClass[c]
		dst[i] = c | f&foldLower
		if f&foldStart != 0 && !word {
			starts = append(starts, int32(i))
		}
		word = f&foldWord != 0
	}
	return dst, starts
}

const (
	foldLower = 0x20 // the bit that lower-cases an ASCII capital
	foldWord  = 0x01 // an ASCII letter or digit
	foldStart = 0x02 // a capital or the first byte of a non-ASCII character
)

// foldClass classifies the bytes for foldASCII.
var foldClass = func() (t [256]byte) {
	for c := range t {
		switch {
		case 'A' <= c && c <= 'Z':
			t[c] = foldLower | foldWord | foldStart
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			t[c] = foldWord
		case c >= 0xC0:
			t[c] = foldStart
		}
	}
	return t
}()

// asciiLower lower-cases the ASCII letters of s and nothing else, as
// foldASCII does to a text.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + ('a' - 'A')
				}
			}
			return string(b)
		}
	}
	return s
}
