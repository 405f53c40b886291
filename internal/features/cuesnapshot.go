package features

import (
	_ "embed"
	"errors"
	"io"

	"github.com/stance/classifierd/internal/lexicon"
	"github.com/stance/classifierd/internal/snapshot"
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
var cueSnapshotKind = snapshot.NewKind("cue index snapshot", "stance-cue-index-snapshot/1\n", "lexicon")

// cueSnapshot is the index of the embedded lexicon, as cmd/lexicongen
// writes it.
//
//go:embed data/cues.snapshot
var cueSnapshot string

// The sizes of an entry and of a cue as WriteSnapshot writes them, which
// bound their counts as read.
const (
	snapEntryBytes = 4 + 4 + 8 + 1
	snapCueBytes   = 8 + 5*4 + 2
)

// WriteSnapshot writes x, built from lex, in the form that NewCueIndex
// reads (cmd/lexicongen writes data/cues.snapshot with it).
func (x *CueIndex) WriteSnapshot(w io.Writer, lex *lexicon.Lexicon) error {
	d := lex.Digest()
	e := cueSnapshotKind.Encoder(d[:])
	e.Str(string(x.words.text))
	e.U32(uint32(len(x.words.ends)))
	for _, end := range x.words.ends {
		e.U32(end)
	}
	e.U32(uint32(len(x.entries)))
	for _, en := range x.entries {
		e.U32(uint32(en.first))
		e.U32(uint32(en.end))
		e.F64(en.modWeight)
		e.Raw(byte(en.modKind))
	}
	for _, m := range x.marks {
		e.Raw(byte(m))
	}
	e.U32(uint32(len(x.cues)))
	for _, c := range x.cues {
		e.F64(c.weight)
		e.U32(uint32(c.restFirst))
		e.U32(uint32(c.restEnd))
		e.U32(uint32(c.second))
		e.U32(c.id)
		e.U32(uint32(c.source))
		e.Raw(byte(c.kind), byte(c.quad))
	}
	e.U32(uint32(len(x.rest)))
	for _, r := range x.rest {
		e.U32(uint32(r))
	}
	e.U32(uint32(len(x.sources)))
	for _, src := range x.sources {
		e.Str(src)
	}
	return cueSnapshotKind.Write(w, e)
}

// errOtherLexicon is readCueSnapshot's answer for a snapshot of another
// lexicon.
var errOtherLexicon = cueSnapshotKind.Stale

// readCueSnapshot reads the index of lex from snap. It checks that every
// index in it stays within its arrays, so that a damaged snapshot is
// refused rather than read.
func readCueSnapshot(snap string, lex *lexicon.Lexicon) (*CueIndex, error) {
	digest := lex.Digest()
	body, err := cueSnapshotKind.Body(snap, digest[:])
	if err != nil {
		return nil, err
	}
	x, err := decodeCueSnapshot(body)
	if err != nil {
		return nil, err
	}
	if !x.indexMulti(lex) {
		return nil, errors.New("cue snapshot: a word of a modifier has no entry")
	}
	return x, nil
}

// decodeCueSnapshot reads the fields of a snapshot, after the lexicon's
// digest.
func decodeCueSnapshot(b string) (*CueIndex, error) {
	d := cueSnapshotKind.Decoder(b)
	x := &CueIndex{id: cueIndexIDs.Add(1)}
	x.words.seed = newWordTable().seed
	text := d.Str()
	x.words.text = []byte(text)
	x.words.ends = make([]uint32, d.Count(4))
	for i := range x.words.ends {
		x.words.ends[i] = d.U32()
		if x.words.ends[i] > uint32(len(text)) || i > 0 && x.words.ends[i] < x.words.ends[i-1] {
			d.Fail("word %d out of range", i)
		}
	}
	x.entries = make([]wordEntry, d.Count(snapEntryBytes))
	for i := range x.entries {
		e := &x.entries[i]
		e.first, e.end = int32(d.U32()), int32(d.U32())
		e.modWeight, e.modKind = d.F64(), lexicon.Kind(d.Byte())
	}
	if len(x.entries) != len(x.words.ends) {
		d.Fail("%d entries for %d words", len(x.entries), len(x.words.ends))
	}
	marks := d.Take(len(x.entries))
	x.marks = make([]entryMark, len(marks))
	for i := range marks {
		x.marks[i] = entryMark(marks[i])
	}
	x.cues = make([]indexedCue, d.Count(snapCueBytes))
	for i := range x.cues {
		c := &x.cues[i]
		c.weight = d.F64()
		c.restFirst, c.restEnd, c.second = int32(d.U32()), int32(d.U32()), int32(d.U32())
		c.id, c.source = d.U32(), int32(d.U32())
		c.kind, c.quad = lexicon.Kind(d.Byte()), lexicon.Quad(d.Byte())
	}
	x.rest = make([]int32, d.Count(4))
	for i := range x.rest {
		x.rest[i] = int32(d.U32())
		if x.rest[i] < 0 || int(x.rest[i]) >= len(x.entries) {
			d.Fail("rest %d out of range", i)
		}
	}
	x.sources = make([]string, d.Count(4))
	x.relationOnly = make([]bool, len(x.sources))
	for i := range x.sources {
		x.sources[i] = d.Str()
		x.relationOnly[i] = lexicon.RelationOnlySource(x.sources[i])
	}
	for i, e := range x.entries {
		if e.first < 0 || e.first > e.end || int(e.end) > len(x.cues) {
			d.Fail("entry %d out of range", i)
		}
	}
	for i, c := range x.cues {
		if c.restFirst < 0 || c.restFirst > c.restEnd || int(c.restEnd) > len(x.rest) || c.second < -1 ||
			int(c.second) >= len(x.entries) || c.source < 0 || int(c.source) >= len(x.sources) {
			d.Fail("cue %d out of range", i)
		}
	}
	if err := d.Finish("the sources"); err != nil {
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
