package features

import "hash/maphash"

// wordTable numbers distinct words 0, 1, 2, … in the order they are added
// and finds a word's number, like a map[string]int32, but holds no
// pointers besides its three slices: the words are kept end to end in one
// byte array, and an open-addressing table of numbers finds them.
//
// Why not a map: the tables built at start-up live as long as the process,
// and the garbage collector scans every string header of a map on every
// cycle. On one core a cycle's mark phase is what delays the slowest
// requests, so long-lived tables should give it nothing to scan.
type wordTable struct {
	seed  maphash.Seed
	text  []byte   // the words, end to end
	ends  []uint32 // ends[i] is where word i ends in text; it starts at ends[i-1] (0 for i = 0)
	slots []int32  // number+1 of the word hashed there, 0 for empty; a power of two, at most half full
}

func newWordTable() wordTable {
	return wordTable{seed: maphash.MakeSeed(), slots: make([]int32, 16)}
}

// word returns word i.
func (t *wordTable) word(i int32) []byte {
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.text[start:t.ends[i]]
}

// find returns the number of w, or -1.
func (t *wordTable) find(w string) int32 {
	mask := uint64(len(t.slots) - 1)
	for i := maphash.String(t.seed, w); ; i++ {
		n := t.slots[i&mask]
		if n == 0 {
			return -1
		}
		if string(t.word(n-1)) == w {
			return n - 1
		}
	}
}

// add returns the number of w, numbering it if it is new.
func (t *wordTable) add(w string) int32 {
	if n := t.find(w); n >= 0 {
		return n
	}
	n := int32(len(t.ends))
	t.text = append(t.text, w...)
	t.ends = append(t.ends, uint32(len(t.text)))
	if 2*len(t.ends) > len(t.slots) {
		t.rehash(2 * len(t.slots))
	} else {
		t.place(n)
	}
	return n
}

func (t *wordTable) rehash(slots int) {
	t.slots = make([]int32, slots)
	for n := range int32(len(t.ends)) {
		t.place(n)
	}
}

// place puts word n in the first empty slot from its hash on.
func (t *wordTable) place(n int32) {
	mask := uint64(len(t.slots) - 1)
	i := maphash.Bytes(t.seed, t.word(n))
	for t.slots[i&mask] != 0 {
		i++
	}
	t.slots[i&mask] = n + 1
}
