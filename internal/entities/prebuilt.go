package entities

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Building the folded trie of the embedded table (220,000 cells) was a
// third of loading it, and loading the gazetteer the largest part of a
// stancectl -local start-up. So cmd/gazettegen writes the built tries
// beside the table (data/gazetteer.tries), and Default takes each trie from
// there when the keys it would be built from are the ones it was built
// from; otherwise, and for any other table, it builds it.
//
// The file is a line naming its format, then per trie: the SHA-256 of its
// keys (trieKeyHash), its 256 byte classes, its number of cells as a
// little-endian uint32, each cell's base and check, then each cell's value,
// all little-endian 32-bit.
const triesFormat = "stance-gazetteer-tries/1\n"

// trieKeyHash identifies the keys a trie is built from, in order, and
// whether it folds case.
func trieKeyHash(keys []string, fold bool) [sha256.Size]byte {
	h := sha256.New()
	b := make([]byte, 1, 64<<10)
	if fold {
		b[0] = 1
	}
	for _, k := range keys {
		if len(b)+4+len(k) > cap(b) {
			h.Write(b)
			b = b[:0]
		}
		b = binary.LittleEndian.AppendUint32(b, uint32(len(k)))
		b = append(b, k...)
	}
	h.Write(b)
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

// prebuiltTries are the tries of a tries file, by the hash of their keys,
// each the rest of the file from its classes on.
type prebuiltTries map[[sha256.Size]byte]string

// parseTries splits a tries file into its tries.
func parseTries(file string) (prebuiltTries, error) {
	rest, ok := strings.CutPrefix(file, triesFormat)
	if !ok {
		return nil, errors.New("gazetteer tries: not " + strings.TrimSpace(triesFormat))
	}
	p := prebuiltTries{}
	for rest != "" {
		if len(rest) < sha256.Size+256+4 {
			return nil, errors.New("gazetteer tries: truncated")
		}
		key := [sha256.Size]byte([]byte(rest[:sha256.Size]))
		n := int(binary.LittleEndian.Uint32([]byte(rest[sha256.Size+256:])))
		size := sha256.Size + 256 + 4 + 12*n
		if n > len(rest) || len(rest) < size {
			return nil, errors.New("gazetteer tries: truncated")
		}
		p[key] = rest[sha256.Size:size]
		rest = rest[size:]
	}
	return p, nil
}

// trie returns the trie over keys from p, or builds it when p has none.
func (p prebuiltTries) trie(keys []string, patterns []pattern, fold bool) trie {
	if len(keys) == 0 {
		return newTrie(keys, patterns, fold)
	}
	h := trieKeyHash(keys, fold)
	t, ok := decodeTrie(p[h], patterns, len(keys))
	if !ok {
		t = newTrie(keys, patterns, fold)
	}
	t.keyHash = h
	return t
}

// decodeTrie reads a trie over nkeys keys as encode wrote it, checking that
// every walk stays in its arrays and every value names a key.
func decodeTrie(b string, patterns []pattern, nkeys int) (trie, bool) {
	if len(b) < 256+4 {
		return trie{}, false
	}
	t := trie{patterns: patterns}
	copy(t.class[:], b)
	n := int(binary.LittleEndian.Uint32([]byte(b[256 : 256+4])))
	b = b[256+4:]
	if len(b) != 12*n || n == 0 {
		return trie{}, false
	}
	maxClass := uint32(0)
	for _, c := range t.class {
		maxClass = max(maxClass, uint32(c))
	}
	t.cells, t.values = make([]cell, n), make([]int32, n)
	for i := range t.cells {
		c := cell{base: binary.LittleEndian.Uint32([]byte(b[8*i:])), check: int32(binary.LittleEndian.Uint32([]byte(b[8*i+4:])))}
		v := int32(binary.LittleEndian.Uint32([]byte(b[8*n+4*i:])))
		if int(c.base&^keyEnds+maxClass) >= n || c.check < -2 || int(c.check) >= n ||
			v < -1 || int(v) >= nkeys || (c.base&keyEnds != 0) != (v >= 0) {
			return trie{}, false
		}
		t.cells[i], t.values[i] = c, v
	}
	return t, true
}

// encode appends t, built over keys that hash to key, to b.
func (t *trie) encode(b []byte, key [sha256.Size]byte) []byte {
	b = append(b, key[:]...)
	b = append(b, t.class[:]...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(t.cells)))
	for _, c := range t.cells {
		b = binary.LittleEndian.AppendUint32(b, c.base)
		b = binary.LittleEndian.AppendUint32(b, uint32(c.check))
	}
	for _, v := range t.values {
		b = binary.LittleEndian.AppendUint32(b, uint32(v))
	}
	return b
}

// WriteTries writes g's built tries in the form that Default reads
// beside the embedded table to skip building them (cmd/gazettegen writes
// data/gazetteer.tries with it).
func (g *Gazetteer) WriteTries(w io.Writer) error {
	b := []byte(triesFormat)
	for _, t := range []*trie{&g.folded, &g.lower, &g.capitals, &g.exact} {
		if len(t.cells) > 0 {
			b = t.encode(b, t.keyHash)
		}
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write gazetteer tries: %w", err)
	}
	return nil
}
