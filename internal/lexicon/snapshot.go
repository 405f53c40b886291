package lexicon

import (
	"crypto/sha256"
	"io"

	"github.com/stance/classifierd/internal/snapshot"
)

// Parsing the embedded table (27,000 lines: fields, weights, checks, a map
// to find repeated phrases, a sort and a hash) was a fifth of a stancectl
// -local start-up, and gives the same lexicon at every start. So
// cmd/lexicongen writes the parsed lexicon beside the table
// (data/lexicon.snapshot), and Default reads it when it was written from the
// embedded table, byte for byte (the table's SHA-256 is in the snapshot);
// otherwise the table is parsed. TestEmbeddedSnapshot fails when the
// committed snapshot is stale and checks that reading it gives what
// parsing the table does.
//
// The snapshot is a line naming its format, the table's SHA-256, the blob
// (its length as a uint32, then its bytes), the number of records, each
// record (its weight's float64 bits, its offset as a uint32, its phrase's
// and its source's lengths and its kind as bytes), maxWords as a uint32 and
// the digest; integers little-endian. The hash table is built as it is
// read (its seed is the process's own).
var lexiconSnapshot = snapshot.NewKind("lexicon snapshot", "stance-lexicon-snapshot/1\n", "table")

// WriteSnapshot writes l, parsed from table, in the form that Default
// reads (cmd/lexicongen writes data/lexicon.snapshot with it).
func (l *Lexicon) WriteSnapshot(w io.Writer, table []byte) error {
	sum := sha256.Sum256(table)
	e := lexiconSnapshot.Encoder(sum[:])
	e.Str(l.blob)
	e.U32(uint32(len(l.records)))
	for _, r := range l.records {
		e.F64(r.weight)
		e.U32(uint32(r.off))
		e.Raw(r.phraseLen, r.sourceLen, byte(r.kind))
	}
	e.U32(uint32(l.maxWords))
	e.Raw(l.digest[:]...)
	return lexiconSnapshot.Write(w, e)
}

// errStaleSnapshot is readSnapshot's answer for a snapshot of another
// table.
var errStaleSnapshot = lexiconSnapshot.Stale

// recordBytes is the size of a record in a snapshot.
const recordBytes = 8 + 4 + 3

// readSnapshot reads a lexicon from snap, a snapshot written from table.
// It checks that every record lies in the blob, has a known kind, and
// comes after the one before it in phrase order (as build leaves them),
// so that a damaged snapshot is refused rather than read.
func readSnapshot(snap string, table []byte) (*Lexicon, error) {
	sum := sha256.Sum256(table)
	body, err := lexiconSnapshot.Body(snap, sum[:])
	if err != nil {
		return nil, err
	}
	return decodeSnapshot(body)
}

// decodeSnapshot reads the fields of a snapshot, after its table's hash.
func decodeSnapshot(b string) (*Lexicon, error) {
	d := lexiconSnapshot.Decoder(b)
	// The strings are the snapshot's, as embedded: not copied.
	l := &Lexicon{blob: d.Str()}
	l.records = make([]record, d.Count(recordBytes))
	prev := ""
	for i := range l.records {
		r := &l.records[i]
		r.weight, r.off = d.F64(), int(d.U32())
		r.phraseLen, r.sourceLen, r.kind = d.Byte(), d.Byte(), Kind(d.Byte())
		if r.off+int(r.phraseLen)+int(r.sourceLen) > len(l.blob) || r.kind < KindVerb || r.kind > lastKind {
			d.Fail("record %d out of range", i)
			break
		}
		p := l.phrase(*r)
		if i > 0 && p <= prev {
			d.Fail("record %d out of order", i)
			break
		}
		prev = p
	}
	maxWords := d.U32()
	copy(l.digest[:], d.Take(sha256.Size))
	if err := d.Finish("the digest"); err != nil {
		return nil, err
	}
	l.maxWords = int(maxWords)
	l.finish()
	return l, nil
}
