package entities

import (
	"slices"
	"strings"
)

// trie finds, at one offset of a text, the longest of many keys that starts
// there.
//
// Find needs no more than that: it keeps, for every start offset on a word
// boundary, the longest key there, so an anchored walk at the few offsets
// where a word starts replaces scanning every byte with an automaton. The
// trie is a double array (Aoe's layout): the child of cell n on byte class c
// is cell base(n)+c if that cell's check is n, so a step costs a load or
// two and no search. It takes three int32s a node (the array comes out
// nearly full) and is built breadth-first from the sorted keys.
//
// Case folding lives in the byte classes: a folding trie gives 'A' the
// class of 'a', so it walks the text as written and needs no lower-cased
// copy of it. A trie is immutable once built.
type trie struct {
	// class maps a byte to its edge label, 1 to the number of distinct key
	// bytes; 0 is a byte no key has, where every walk stops.
	class    [256]uint8
	cells    []cell
	values   []int32   // per cell, the index of the key that ends there, or -1
	patterns []pattern // what the key with value i stands for
	keys     int       // the number of keys, values 0 to keys-1
}

// cell is one trie node, or a free slot (check < 0). The values live
// apart, with a flag here for where a key ends, so that a step reads 8 bytes
// and more of the nodes near the root share cache lines (4% faster Find).
type cell struct {
	base  uint32 // children on class c are at base+c; keyEnds if a key ends here
	check int32  // the parent cell; -1 for a free slot, -2 for the root
}

// keyEnds is the flag in cell.base for a node where a key ends; bases stay
// far below it.
const keyEnds = 1 << 31

// longest returns the end offset and the value of the longest key that is a
// prefix of text[s:] and has a value below limit, or (-1, -1). A limit
// lets one trie hold keys that only some offsets may match.
func (t *trie) longest(text string, s int, limit int32) (end int, value int32) {
	end, value = -1, -1
	cells := t.cells
	if len(cells) == 0 {
		return end, value
	}
	n := int32(0)
	for i := s; i < len(text); i++ {
		c := t.class[text[i]]
		if c == 0 {
			break
		}
		next := int32(cells[n].base&^keyEnds) + int32(c)
		if cells[next].check != n {
			break
		}
		n = next
		if cells[n].base&keyEnds != 0 {
			if v := t.values[n]; v < limit {
				end, value = i+1, v
			}
		}
	}
	return end, value
}

// pairs returns the pairs of bytes that a key may start with: those that
// lead from the root through two nodes, or through a node where a key ends.
func (t *trie) pairs() (p pairSet) {
	for a := range 256 {
		n := t.step(0, byte(a))
		if n < 0 {
			continue
		}
		for b := range 256 {
			if t.cells[n].base&keyEnds != 0 || t.step(n, byte(b)) >= 0 {
				p.add(byte(a), byte(b))
			}
		}
	}
	return p
}

// step returns the child of node n on byte c, or -1.
func (t *trie) step(n int32, c byte) int32 {
	k := t.class[c]
	if k == 0 || len(t.cells) == 0 {
		return -1
	}
	if next := int32(t.cells[n].base&^keyEnds) + int32(k); t.cells[next].check == n {
		return next
	}
	return -1
}

// pairSet is a set of byte pairs.
type pairSet [1 << 16 / 64]uint64

func (p *pairSet) add(a, b byte) {
	i := uint(a)<<8 | uint(b)
	p[i/64] |= 1 << (i % 64)
}

func (p *pairSet) has(a, b byte) bool {
	i := uint(a)<<8 | uint(b)
	return p[i/64]&(1<<(i%64)) != 0
}

// all is a limit that admits every key.
const all = int32(1<<31 - 1)

// starts reports whether some key starts with byte c.
func (t *trie) starts(c byte) bool { return t.step(0, c) >= 0 }

// newTrie builds a trie over keys, which are non-empty and distinct; the
// value of keys[i] is i and stands for patterns[i]. If fold is set, the
// keys are lower-case ASCII where they are ASCII and the trie matches ASCII
// capitals as the lower-case letters.
func newTrie(keys []string, patterns []pattern, fold bool) trie {
	t := trie{patterns: patterns, keys: len(keys)}
	if len(keys) == 0 {
		return t
	}
	// Classes in byte order keep byte order of the keys as the order of
	// their labels, so siblings come out of the sorted keys already sorted.
	var seen [256]bool
	for _, k := range keys {
		for i := 0; i < len(k); i++ {
			seen[k[i]] = true
		}
	}
	n := uint8(0)
	for c := range seen {
		if seen[c] {
			n++
			t.class[c] = n
		}
	}
	if fold {
		for c := 'A'; c <= 'Z'; c++ {
			t.class[c] = t.class[c+'a'-'A']
		}
	}
	order := make([]int32, len(keys))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(keys[a], keys[b]) })
	nodes := countNodes(keys, order)
	b := trieBuilder{t: &t, keys: keys, order: order, maxClass: int32(n), head: -1, tail: -1}
	// The array comes out nearly full, so room for the nodes and some
	// padding spares the appends most of their copying.
	room := nodes + 2*int(n) + 64
	t.cells, t.values = make([]cell, 0, room), make([]int32, 0, room)
	b.next, b.prev, b.fails = make([]int32, 0, room), make([]int32, 0, room), make([]uint8, 0, room)
	b.grow(1)
	b.use(0, -2)
	b.place(nodes)
	// Pad so that base+c of any cell, even a leaf's 0, stays in range; the
	// padding is free, so a walk into it fails the check.
	b.grow(b.maxBase + b.maxClass + 1)
	if cap(t.cells) > len(t.cells)+len(t.cells)/8 {
		t.cells, t.values = slices.Clone(t.cells), slices.Clone(t.values)
	}
	return t
}

// countNodes returns the number of nodes of a trie over keys, which order
// sorts: the root and, per key, the bytes it does not share with the key
// before it.
func countNodes(keys []string, order []int32) int {
	n, prev := 1, ""
	for _, k := range order {
		key := keys[k]
		n += len(key) - commonPrefix(prev, key)
		prev = key
	}
	return n
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

// trieBuilder places the nodes of a trie in its double array.
type trieBuilder struct {
	t        *trie
	keys     []string
	order    []int32 // key indexes in key order
	maxClass int32
	maxBase  int32
	// The free cells that findBase may still try, as a doubly linked list
	// in array order, so that it skips the used ones; a cell that fails as
	// the first child of too many nodes drops out (and stays empty), which
	// bounds the search over a nearly full stretch.
	next, prev []int32
	fails      []uint8
	head, tail int32
}

// giveUp is how often a free cell may fail as a first child before
// findBase stops trying it.
const giveUp = 16

// place lays out the nodes breadth-first, so that the first few levels,
// where every walk starts and most end, share a few cache lines instead of
// being strewn between the deep chains of long names. Each node is placed
// with the keys order[lo:hi] that run through it, which share their first
// depth bytes.
func (b *trieBuilder) place(nodes int) {
	type node struct{ n, depth, lo, hi int32 }
	keys, order := b.keys, b.order
	queue := make([]node, 1, nodes)
	queue[0] = node{0, 0, 0, int32(len(order))}
	var labels []int32
	for q := 0; q < len(queue); q++ {
		x := queue[q]
		depth := int(x.depth)
		// Sorted first, a key that ends here is the node's own.
		if k := order[x.lo]; len(keys[k]) == depth {
			b.t.cells[x.n].base |= keyEnds
			b.t.values[x.n] = k
			x.lo++
		}
		if x.lo == x.hi {
			continue
		}
		labels = labels[:0]
		for i := x.lo; i < x.hi; i++ {
			c := int32(b.t.class[keys[order[i]][depth]])
			if len(labels) == 0 || labels[len(labels)-1] != c {
				labels = append(labels, c)
			}
		}
		base := b.findBase(labels)
		b.t.cells[x.n].base |= uint32(base)
		for _, c := range labels {
			b.use(base+c, x.n)
		}
		for i := x.lo; i < x.hi; {
			c := int32(b.t.class[keys[order[i]][depth]])
			j := i + 1
			for j < x.hi && int32(b.t.class[keys[order[j]][depth]]) == c {
				j++
			}
			queue = append(queue, node{base + c, x.depth + 1, i, j})
			i = j
		}
	}
}

// findBase returns a base at least 1 that puts every label (in increasing
// order) on a free cell, growing the array as needed. Most nodes of long
// names have one child, which takes the first free cell, so the array stays
// dense.
func (b *trieBuilder) findBase(labels []int32) int32 {
	first, last := labels[0], labels[len(labels)-1]
	p := b.head
	for {
		if p < 0 {
			// Past the last cell: the next one is new and free.
			p = int32(len(b.t.cells))
			b.grow(p + 1)
		}
		if base := p - first; base >= 1 {
			b.grow(base + last + 1)
			if b.fits(base, labels[1:]) {
				b.maxBase = max(b.maxBase, base)
				return base
			}
		}
		np := b.next[p]
		if b.fails[p]++; b.fails[p] >= giveUp {
			b.unlink(p)
		}
		p = np
	}
}

func (b *trieBuilder) fits(base int32, labels []int32) bool {
	for _, c := range labels {
		if b.t.cells[base+c].check != -1 {
			return false
		}
	}
	return true
}

// use makes the free cell i a child of n.
func (b *trieBuilder) use(i, n int32) {
	b.t.cells[i] = cell{check: n}
	if b.fails[i] < giveUp {
		b.unlink(i)
	}
}

// unlink takes the free cell i out of the list.
func (b *trieBuilder) unlink(i int32) {
	p, n := b.prev[i], b.next[i]
	if p >= 0 {
		b.next[p] = n
	} else {
		b.head = n
	}
	if n >= 0 {
		b.prev[n] = p
	} else {
		b.tail = p
	}
}

// grow makes the array at least n cells long, the new ones free and at the
// end of the list.
func (b *trieBuilder) grow(n int32) {
	for i := int32(len(b.t.cells)); i < n; i++ {
		b.t.cells = append(b.t.cells, cell{check: -1})
		b.t.values = append(b.t.values, -1)
		b.next = append(b.next, -1)
		b.prev = append(b.prev, b.tail)
		b.fails = append(b.fails, 0)
		if b.tail >= 0 {
			b.next[b.tail] = i
		} else {
			b.head = i
		}
		b.tail = i
	}
}
