package entities

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"unsafe"
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
const snapshotFormat = "stance-gazetteer-snapshot/1\n"

// WriteSnapshot writes g, loaded from the table file table (compressed or
// not, as given to Load), in the form that Default reads (cmd/gazettegen
// writes data/gazetteer.snapshot with it).
func (g *Gazetteer) WriteSnapshot(w io.Writer, table []byte) error {
	var e snapEncoder
	e.b = append(e.b, snapshotFormat...)
	sum := sha256.Sum256(table)
	e.b = append(e.b, sum[:]...)
	e.str(g.text)
	e.u32(uint32(len(g.ents)))
	for _, r := range g.ents {
		e.u32(r.id)
		e.u32(r.name)
		e.u32(r.end)
		e.u32(uint32(r.country))
		e.b = append(e.b, byte(r.typ))
	}
	for _, ss := range [][]surname{g.surnames, g.given} {
		e.u32(uint32(len(ss)))
		for _, s := range ss {
			e.u32(s.start)
			e.u32(s.end)
			e.u32(uint32(s.entity))
		}
	}
	e.u32(uint32(len(g.refers)))
	for _, ids := range g.refers {
		e.u32(uint32(len(ids)))
		for _, id := range ids {
			e.u32(uint32(id))
		}
	}
	e.u32(uint32(len(g.referWords)))
	for _, w := range g.referWords {
		e.str(w)
	}
	e.u32(uint32(g.people))
	e.u32(uint32(g.aliases))
	for _, t := range g.tries() {
		e.u32(uint32(t.keys))
		e.b = append(e.b, t.class[:]...)
		e.u32(uint32(len(t.cells)))
		for _, c := range t.cells {
			e.u32(c.base)
			e.u32(uint32(c.check))
		}
		for _, v := range t.values {
			e.u32(uint32(v))
		}
		e.u32(uint32(len(t.patterns)))
		for _, p := range t.patterns {
			e.u32(uint32(p.entity))
			e.b = append(e.b, b2u(p.capFirst), b2u(p.plural), p.marks)
		}
	}
	if _, err := w.Write(e.b); err != nil {
		return fmt.Errorf("write gazetteer snapshot: %w", err)
	}
	return nil
}

// tries returns g's tries in the snapshot's order.
func (g *Gazetteer) tries() []*trie { return []*trie{&g.folded, &g.lower, &g.capitals, &g.exact} }

// errStaleSnapshot is readSnapshot's answer for a snapshot of another table.
var errStaleSnapshot = errors.New("gazetteer snapshot: written from another table")

// readSnapshot reads a gazetteer from snap, a snapshot written from the
// table file table. It checks what a lookup could trip on (every offset,
// index and trie walk stays in range), so that a damaged snapshot is
// refused rather than read.
func readSnapshot(snap, table string) (*Gazetteer, error) {
	rest, ok := strings.CutPrefix(snap, snapshotFormat)
	if !ok {
		return nil, errors.New("gazetteer snapshot: not " + strings.TrimSpace(snapshotFormat))
	}
	if len(rest) < sha256.Size {
		return nil, errTruncated
	}
	// The table is hashed in place (an embedded string, never written).
	if sha256.Sum256(unsafe.Slice(unsafe.StringData(table), len(table))) != [sha256.Size]byte([]byte(rest[:sha256.Size])) {
		return nil, errStaleSnapshot
	}
	return decodeSnapshot(rest[sha256.Size:])
}

var errTruncated = errors.New("gazetteer snapshot: truncated")

// decodeSnapshot reads the fields of a snapshot, after its table's hash.
func decodeSnapshot(b string) (*Gazetteer, error) {
	d := snapDecoder{b: b}
	g := &Gazetteer{}
	// The strings are the snapshot's, as embedded: not copied.
	g.text = d.str()
	text := uint32(len(g.text))
	n := d.count(17)
	g.ents = make([]entityRec, n)
	for i := range g.ents {
		r := &g.ents[i]
		r.id, r.name, r.end, r.country = d.u32(), d.u32(), d.u32(), int32(d.u32())
		r.typ = Type(d.byte())
		if r.id > r.name || r.name > r.end || r.end > text || r.country < -1 || int(r.country) >= n || int(r.typ) >= len(typeNames) {
			d.fail("entity %d out of range", i)
		}
	}
	for _, ss := range []*[]surname{&g.surnames, &g.given} {
		*ss = make([]surname, d.count(12))
		for i := range *ss {
			s := &(*ss)[i]
			s.start, s.end, s.entity = d.u32(), d.u32(), int32(d.u32())
			if s.start > s.end || s.end > text || s.entity < -1 || int(s.entity) >= n {
				d.fail("name %d out of range", i)
			}
		}
	}
	g.refers = make([][]int32, d.count(4))
	for i := range g.refers {
		ids := make([]int32, d.count(4))
		for k := range ids {
			ids[k] = int32(d.u32())
			if ids[k] < 0 || int(ids[k]) >= n {
				d.fail("refer %d: entity out of range", i)
			}
		}
		g.refers[i] = ids
	}
	g.referWords = make([]string, d.count(4))
	for i := range g.referWords {
		g.referWords[i] = d.str()
	}
	g.people, g.aliases = int32(d.u32()), int(d.u32())
	for _, t := range g.tries() {
		d.trie(t, n)
	}
	if d.err == nil && (g.people < 0 || int(g.people) > len(g.folded.patterns)) {
		d.fail("people %d out of range", g.people)
	}
	if d.err == nil && d.b != "" {
		d.fail("%d bytes after the last trie", len(d.b))
	}
	if d.err != nil {
		return nil, d.err
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

type snapEncoder struct{ b []byte }

func (e *snapEncoder) u32(v uint32) { e.b = binary.LittleEndian.AppendUint32(e.b, v) }

func (e *snapEncoder) str(s string) {
	e.u32(uint32(len(s)))
	e.b = append(e.b, s...)
}

func b2u(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// snapDecoder reads a snapshot; after the first error it reads zeros.
type snapDecoder struct {
	b   string
	err error
}

func (d *snapDecoder) fail(format string, a ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("gazetteer snapshot: "+format, a...)
	}
	d.b = ""
}

func (d *snapDecoder) take(n int) string {
	if n < 0 || n > len(d.b) {
		if d.err == nil {
			d.err = errTruncated
		}
		d.b = ""
		return ""
	}
	s := d.b[:n]
	d.b = d.b[n:]
	return s
}

func (d *snapDecoder) u32() uint32 {
	s := d.take(4)
	if len(s) < 4 {
		return 0
	}
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

func (d *snapDecoder) byte() byte {
	s := d.take(1)
	if s == "" {
		return 0
	}
	return s[0]
}

func (d *snapDecoder) str() string { return d.take(int(d.u32())) }

// count reads a number of items of at least size bytes each, refusing one
// that the bytes left could not hold (so that it allocates no more than
// the snapshot's size).
func (d *snapDecoder) count(size int) int {
	n := int(d.u32())
	if n > len(d.b)/size {
		d.fail("count %d past the end", n)
		return 0
	}
	return n
}

// trie reads a trie whose patterns name entities below ents, checking
// that every walk stays in its arrays and every value names a key.
func (d *snapDecoder) trie(t *trie, ents int) {
	t.keys = int(d.u32())
	copy(t.class[:], d.take(len(t.class)))
	n := d.count(12)
	maxClass := uint32(0)
	for _, c := range t.class {
		maxClass = max(maxClass, uint32(c))
	}
	if n > 0 {
		t.cells, t.values = make([]cell, n), make([]int32, n)
	}
	for i := range t.cells {
		t.cells[i] = cell{base: d.u32(), check: int32(d.u32())}
	}
	for i := range t.values {
		t.values[i] = int32(d.u32())
	}
	for i, c := range t.cells {
		v := t.values[i]
		if int(c.base&^keyEnds+maxClass) >= n || c.check < -2 || int(c.check) >= n ||
			v < -1 || int(v) >= t.keys || (c.base&keyEnds != 0) != (v >= 0) {
			d.fail("trie cell %d out of range", i)
			return
		}
	}
	np := d.count(7)
	if np > 0 {
		t.patterns = make([]pattern, np)
	}
	for i := range t.patterns {
		p := &t.patterns[i]
		p.entity = int32(d.u32())
		p.capFirst, p.plural, p.marks = d.byte() != 0, d.byte() != 0, d.byte()
		if p.entity < kindTitle || int(p.entity) >= ents {
			d.fail("pattern %d out of range", i)
			return
		}
	}
	if np > 0 && np != t.keys {
		d.fail("%d patterns for %d keys", np, t.keys)
	}
}
