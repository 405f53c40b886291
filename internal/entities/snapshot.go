package entities

import (
	"crypto/sha256"
	"io"
	"unsafe"

	"github.com/stance/classifierd/internal/snapshot"
)

// Loading the embedded table (gunzip, parse, check, pack, build the tries)
// was the largest part of a stancectl -local start-up, and its result is
// the same at every start. So cmd/gazettegen writes the loaded gazetteer
// beside the table (data/gazetteer.snapshot), and Default reads it when it
// was written from the embedded table, byte for byte (the SHA-256 of the
// table file, compressed as it is embedded, is in the snapshot); otherwise,
// and for any other table, the table is loaded. TestEmbeddedSnapshot fails
// when the committed snapshot is stale, and checks that reading it gives
// what loading the table does, field by field.
//
// The snapshot is a line naming its format, the table's SHA-256, then the
// Gazetteer's fields in order, all integers little-endian: text (its
// length as a uint32, then its bytes); ents, surnames and given (a count,
// then each record's fields); refers (a count, then each list's length and
// entity indices); referWords (a count, then each word as text is);
// people and aliases (uint32 each); then the tries folded, lower, capitals
// and exact, each: the number of keys, the 256 byte classes, the number of
// cells, each cell's base and check, each cell's value, the number of
// patterns and each pattern (entity int32, then capFirst, plural and marks
// as bytes). first, lowerPairs and capitalPairs are computed from the tries.
var gazetteerSnapshot = snapshot.NewKind("gazetteer snapshot", "stance-gazetteer-snapshot/1\n", "table")

// WriteSnapshot writes g, loaded from the table file table (compressed or
// not, as given to Load), in the form that Default reads (cmd/gazettegen
// writes data/gazetteer.snapshot with it).
func (g *Gazetteer) WriteSnapshot(w io.Writer, table []byte) error {
	sum := sha256.Sum256(table)
	e := gazetteerSnapshot.Encoder(sum[:])
	e.Str(g.text)
	e.U32(uint32(len(g.ents)))
	for _, r := range g.ents {
		e.U32(r.id)
		e.U32(r.name)
		e.U32(r.end)
		e.U32(uint32(r.country))
		e.Raw(byte(r.typ))
	}
	for _, ss := range [][]surname{g.surnames, g.given} {
		e.U32(uint32(len(ss)))
		for _, s := range ss {
			e.U32(s.start)
			e.U32(s.end)
			e.U32(uint32(s.entity))
		}
	}
	e.U32(uint32(len(g.refers)))
	for _, ids := range g.refers {
		e.U32(uint32(len(ids)))
		for _, id := range ids {
			e.U32(uint32(id))
		}
	}
	e.U32(uint32(len(g.referWords)))
	for _, w := range g.referWords {
		e.Str(w)
	}
	e.U32(uint32(g.people))
	e.U32(uint32(g.aliases))
	for _, t := range g.tries() {
		e.U32(uint32(t.keys))
		e.Raw(t.class[:]...)
		e.U32(uint32(len(t.cells)))
		for _, c := range t.cells {
			e.U32(c.base)
			e.U32(uint32(c.check))
		}
		for _, v := range t.values {
			e.U32(uint32(v))
		}
		e.U32(uint32(len(t.patterns)))
		for _, p := range t.patterns {
			e.U32(uint32(p.entity))
			e.Raw(snapshot.Bool(p.capFirst), snapshot.Bool(p.plural), p.marks)
		}
	}
	return gazetteerSnapshot.Write(w, e)
}

// tries returns g's tries in the snapshot's order.
func (g *Gazetteer) tries() []*trie { return []*trie{&g.folded, &g.lower, &g.capitals, &g.exact} }

// errStaleSnapshot is readSnapshot's answer for a snapshot of another table.
var errStaleSnapshot = gazetteerSnapshot.Stale

// readSnapshot reads a gazetteer from snap, a snapshot written from the
// table file table. It checks what a lookup could trip on (every offset,
// index and trie walk stays in range), so that a damaged snapshot is
// refused rather than read.
func readSnapshot(snap, table string) (*Gazetteer, error) {
	// The table is hashed in place (an embedded string, never written).
	sum := sha256.Sum256(unsafe.Slice(unsafe.StringData(table), len(table)))
	body, err := gazetteerSnapshot.Body(snap, sum[:])
	if err != nil {
		return nil, err
	}
	return decodeSnapshot(body)
}

// decodeSnapshot reads the fields of a snapshot, after its table's hash.
func decodeSnapshot(b string) (*Gazetteer, error) {
	d := gazetteerSnapshot.Decoder(b)
	g := &Gazetteer{}
	// The strings are the snapshot's, as embedded: not copied.
	g.text = d.Str()
	text := uint32(len(g.text))
	n := d.Count(17)
	g.ents = make([]entityRec, n)
	for i := range g.ents {
		r := &g.ents[i]
		r.id, r.name, r.end, r.country = d.U32(), d.U32(), d.U32(), int32(d.U32())
		r.typ = Type(d.Byte())
		if r.id > r.name || r.name > r.end || r.end > text || r.country < -1 || int(r.country) >= n || int(r.typ) >= len(typeNames) {
			d.Fail("entity %d out of range", i)
		}
	}
	for _, ss := range []*[]surname{&g.surnames, &g.given} {
		*ss = make([]surname, d.Count(12))
		for i := range *ss {
			s := &(*ss)[i]
			s.start, s.end, s.entity = d.U32(), d.U32(), int32(d.U32())
			if s.start > s.end || s.end > text || s.entity < -1 || int(s.entity) >= n {
				d.Fail("name %d out of range", i)
			}
		}
	}
	g.refers = make([][]int32, d.Count(4))
	for i := range g.refers {
		ids := make([]int32, d.Count(4))
		for k := range ids {
			ids[k] = int32(d.U32())
			if ids[k] < 0 || int(ids[k]) >= n {
				d.Fail("refer %d: entity out of range", i)
			}
		}
		g.refers[i] = ids
	}
	g.referWords = make([]string, d.Count(4))
	for i := range g.referWords {
		g.referWords[i] = d.Str()
	}
	g.people, g.aliases = int32(d.U32()), int(d.U32())
	for _, t := range g.tries() {
		readTrie(d, t, n)
	}
	if g.people < 0 || int(g.people) > len(g.folded.patterns) {
		d.Fail("people %d out of range", g.people)
	}
	if err := d.Finish("the last trie"); err != nil {
		return nil, err
	}
	g.finish()
	return g, nil
}

// finish computes what follows from the tries.
func (g *Gazetteer) finish() {
	g.lowerPairs = g.lower.pairs()
	g.capitalPairs = g.capitals.pairs()
	g.first = firstClasses(&g.folded, &g.lower, &g.capitals)
	g.scratch.New = func() any { return new(scratch) }
}

// readTrie reads a trie whose patterns name entities below ents, checking
// that every walk stays in its arrays and every value names a key.
func readTrie(d *snapshot.Decoder, t *trie, ents int) {
	t.keys = int(d.U32())
	copy(t.class[:], d.Take(len(t.class)))
	n := d.Count(12)
	maxClass := uint32(0)
	for _, c := range t.class {
		maxClass = max(maxClass, uint32(c))
	}
	if n > 0 {
		t.cells, t.values = make([]cell, n), make([]int32, n)
	}
	for i := range t.cells {
		t.cells[i] = cell{base: d.U32(), check: int32(d.U32())}
	}
	for i := range t.values {
		t.values[i] = int32(d.U32())
	}
	for i, c := range t.cells {
		v := t.values[i]
		if int(c.base&^keyEnds+maxClass) >= n || c.check < -2 || int(c.check) >= n ||
			v < -1 || int(v) >= t.keys || (c.base&keyEnds != 0) != (v >= 0) {
			d.Fail("trie cell %d out of range", i)
			return
		}
	}
	np := d.Count(7)
	if np > 0 {
		t.patterns = make([]pattern, np)
	}
	for i := range t.patterns {
		p := &t.patterns[i]
		p.entity = int32(d.U32())
		p.capFirst, p.plural, p.marks = d.Byte() != 0, d.Byte() != 0, d.Byte()
		if p.entity < kindTitle || int(p.entity) >= ents {
			d.Fail("pattern %d out of range", i)
			return
		}
	}
	if np > 0 && np != t.keys {
		d.Fail("%d patterns for %d keys", np, t.keys)
	}
}
