package features

import (
	"crypto/sha256"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/stance/classifierd/internal/lexicon"
)

// Indexing the embedded lexicon's 27,000 cues was a sixth of a stancectl
// -local start-up, and gives the same index at every start. So
// cmd/lexicongen writes the index of the lexicon it generates
// (data/cues.snapshot), and NewCueIndex reads it when it is given the
// lexicon it was written from (the lexicon's Digest is in the snapshot);
// otherwise, as for a lexicon merged with a user's, it indexes the cues.
// TestEmbeddedCueSnapshot fails when the committed snapshot is stale and
// checks that reading it gives what indexing does.
//
// The snapshot is a line naming its format, the lexicon's digest, then the
// index's words (their text as a uint32 length and bytes, then the number
// of words and each one's end), entries (a count, then each: first and end
// as uint32, the modifier weight's float64 bits, the modifier kind as a
// byte), marks (one byte per entry), cues (a count, then each: the
// weight's float64 bits, restFirst, restEnd, second, id and source as
// uint32, kind and quad as bytes), rest (a count and the entries) and
// sources (a count, then each as a length and bytes); integers
// little-endian. The word table's hash slots are built as it is read (its
// seed is the process's own).
const cueSnapshotFormat = "stance-cue-index-snapshot/1\n"

// cueSnapshot is the index of the embedded lexicon, as cmd/lexicongen
// writes it.
//
//go:embed data/cues.snapshot
var cueSnapshot string

// WriteSnapshot writes x, built from lex, in the form that NewCueIndex
// reads (cmd/lexicongen writes data/cues.snapshot with it).
func (x *CueIndex) WriteSnapshot(w io.Writer, lex *lexicon.Lexicon) error {
	b := []byte(cueSnapshotFormat)
	d := lex.Digest()
	b = append(b, d[:]...)
	u32 := func(v uint32) { b = binary.LittleEndian.AppendUint32(b, v) }
	f64 := func(v float64) { b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v)) }
	u32(uint32(len(x.words.text)))
	b = append(b, x.words.text...)
	u32(uint32(len(x.words.ends)))
	for _, e := range x.words.ends {
		u32(e)
	}
	u32(uint32(len(x.entries)))
	for _, e := range x.entries {
		u32(uint32(e.first))
		u32(uint32(e.end))
		f64(e.modWeight)
		b = append(b, byte(e.modKind))
	}
	for _, m := range x.marks {
		b = append(b, byte(m))
	}
	u32(uint32(len(x.cues)))
	for _, c := range x.cues {
		f64(c.weight)
		u32(uint32(c.restFirst))
		u32(uint32(c.restEnd))
		u32(uint32(c.second))
		u32(c.id)
		u32(uint32(c.source))
		b = append(b, byte(c.kind), byte(c.quad))
	}
	u32(uint32(len(x.rest)))
	for _, r := range x.rest {
		u32(uint32(r))
	}
	u32(uint32(len(x.sources)))
	for _, s := range x.sources {
		u32(uint32(len(s)))
		b = append(b, s...)
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write cue index snapshot: %w", err)
	}
	return nil
}

// errOtherLexicon is readCueSnapshot's answer for a snapshot of another
// lexicon.
var errOtherLexicon = errors.New("cue index snapshot: written from another lexicon")

// readCueSnapshot reads the index of lex from snap. It checks that every
// index in it stays within its arrays, so that a damaged snapshot is
// refused rather than read.
func readCueSnapshot(snap string, lex *lexicon.Lexicon) (*CueIndex, error) {
	rest, ok := strings.CutPrefix(snap, cueSnapshotFormat)
	if !ok {
		return nil, errors.New("cue index snapshot: not " + strings.TrimSpace(cueSnapshotFormat))
	}
	if d := lex.Digest(); len(rest) < sha256.Size || rest[:sha256.Size] != string(d[:]) {
		return nil, errOtherLexicon
	}
	return decodeCueSnapshot(rest[sha256.Size:])
}

// decodeCueSnapshot reads the fields of a snapshot, after the lexicon's
// digest.
func decodeCueSnapshot(b string) (*CueIndex, error) {
	var err error
	fail := func(format string, a ...any) {
		if err == nil {
			err = fmt.Errorf("cue index snapshot: "+format, a...)
		}
		b = ""
	}
	take := func(n int) string {
		if n < 0 || n > len(b) {
			fail("truncated")
			return ""
		}
		s := b[:n]
		b = b[n:]
		return s
	}
	u32 := func() uint32 {
		s := take(4)
		if len(s) < 4 {
			return 0
		}
		return binary.LittleEndian.Uint32([]byte(s))
	}
	byte1 := func() byte {
		s := take(1)
		if s == "" {
			return 0
		}
		return s[0]
	}
	f64 := func() float64 {
		s := take(8)
		if len(s) < 8 {
			return 0
		}
		return math.Float64frombits(binary.LittleEndian.Uint64([]byte(s)))
	}
	// count reads a number of items of size bytes or more each.
	count := func(size int) int {
		n := int(u32())
		if n > len(b)/size {
			fail("truncated")
			return 0
		}
		return n
	}
	x := &CueIndex{id: cueIndexIDs.Add(1)}
	x.words.seed = newWordTable().seed
	text := take(int(u32()))
	x.words.text = []byte(text)
	x.words.ends = make([]uint32, count(4))
	for i := range x.words.ends {
		x.words.ends[i] = u32()
		if x.words.ends[i] > uint32(len(text)) || i > 0 && x.words.ends[i] < x.words.ends[i-1] {
			fail("word %d out of range", i)
		}
	}
	x.entries = make([]wordEntry, count(17))
	for i := range x.entries {
		e := &x.entries[i]
		e.first, e.end = int32(u32()), int32(u32())
		e.modWeight, e.modKind = f64(), lexicon.Kind(byte1())
	}
	if len(x.entries) != len(x.words.ends) {
		fail("%d entries for %d words", len(x.entries), len(x.words.ends))
	}
	marks := take(len(x.entries))
	x.marks = make([]entryMark, len(marks))
	for i := range marks {
		x.marks[i] = entryMark(marks[i])
	}
	x.cues = make([]indexedCue, count(26))
	for i := range x.cues {
		c := &x.cues[i]
		c.weight = f64()
		c.restFirst, c.restEnd, c.second = int32(u32()), int32(u32()), int32(u32())
		c.id, c.source = u32(), int32(u32())
		c.kind, c.quad = lexicon.Kind(byte1()), lexicon.Quad(byte1())
	}
	x.rest = make([]int32, count(4))
	for i := range x.rest {
		x.rest[i] = int32(u32())
		if x.rest[i] < 0 || int(x.rest[i]) >= len(x.entries) {
			fail("rest %d out of range", i)
		}
	}
	x.sources = make([]string, count(4))
	for i := range x.sources {
		x.sources[i] = take(int(u32()))
	}
	for i, e := range x.entries {
		if e.first < 0 || e.first > e.end || int(e.end) > len(x.cues) {
			fail("entry %d out of range", i)
		}
	}
	for i, c := range x.cues {
		if c.restFirst < 0 || c.restFirst > c.restEnd || int(c.restEnd) > len(x.rest) || c.second < -1 ||
			int(c.second) >= len(x.entries) || c.source < 0 || int(c.source) >= len(x.sources) {
			fail("cue %d out of range", i)
		}
	}
	if err == nil && b != "" {
		fail("%d bytes after the sources", len(b))
	}
	if err != nil {
		return nil, err
	}
	// As many slots as adding the words one by one leaves.
	slots := len(newWordTable().slots)
	for slots < 2*len(x.words.ends) {
		slots *= 2
	}
	x.words.rehash(slots)
	return x, nil
}
