package lexicon

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
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
const snapshotFormat = "stance-lexicon-snapshot/1\n"

// WriteSnapshot writes l, parsed from table, in the form that Default
// reads (cmd/lexicongen writes data/lexicon.snapshot with it).
func (l *Lexicon) WriteSnapshot(w io.Writer, table []byte) error {
	b := []byte(snapshotFormat)
	sum := sha256.Sum256(table)
	b = append(b, sum[:]...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(l.blob)))
	b = append(b, l.blob...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(l.records)))
	for _, r := range l.records {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(r.weight))
		b = binary.LittleEndian.AppendUint32(b, uint32(r.off))
		b = append(b, r.phraseLen, r.sourceLen, byte(r.kind))
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(l.maxWords))
	b = append(b, l.digest[:]...)
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write lexicon snapshot: %w", err)
	}
	return nil
}

// errStaleSnapshot is readSnapshot's answer for a snapshot of another
// table.
var errStaleSnapshot = errors.New("lexicon snapshot: written from another table")

// recordBytes is the size of a record in a snapshot.
const recordBytes = 8 + 4 + 3

// readSnapshot reads a lexicon from snap, a snapshot written from table.
// It checks that every record lies in the blob, has a known kind, and
// comes after the one before it in phrase order (as build leaves them),
// so that a damaged snapshot is refused rather than read.
func readSnapshot(snap string, table []byte) (*Lexicon, error) {
	rest, ok := strings.CutPrefix(snap, snapshotFormat)
	if !ok {
		return nil, errors.New("lexicon snapshot: not " + strings.TrimSpace(snapshotFormat))
	}
	if len(rest) < sha256.Size || sha256.Sum256(table) != [sha256.Size]byte([]byte(rest[:sha256.Size])) {
		return nil, errStaleSnapshot
	}
	return decodeSnapshot(rest[sha256.Size:])
}

var errTruncated = errors.New("lexicon snapshot: truncated")

// decodeSnapshot reads the fields of a snapshot, after its table's hash.
func decodeSnapshot(b string) (*Lexicon, error) {
	u32 := func() (uint32, bool) {
		if len(b) < 4 {
			return 0, false
		}
		v := binary.LittleEndian.Uint32([]byte(b[:4]))
		b = b[4:]
		return v, true
	}
	n, ok := u32()
	if !ok || int(n) > len(b) {
		return nil, errTruncated
	}
	// The strings are the snapshot's, as embedded: not copied.
	l := &Lexicon{blob: b[:n]}
	b = b[n:]
	n, ok = u32()
	if !ok || int(n) > len(b)/recordBytes {
		return nil, errTruncated
	}
	l.records = make([]record, n)
	prev := ""
	for i := range l.records {
		r := &l.records[i]
		r.weight = math.Float64frombits(binary.LittleEndian.Uint64([]byte(b[:8])))
		r.off = int(binary.LittleEndian.Uint32([]byte(b[8:12])))
		r.phraseLen, r.sourceLen, r.kind = b[12], b[13], Kind(b[14])
		b = b[recordBytes:]
		if r.off+int(r.phraseLen)+int(r.sourceLen) > len(l.blob) || r.kind < KindVerb || r.kind > lastKind {
			return nil, fmt.Errorf("lexicon snapshot: record %d out of range", i)
		}
		p := l.phrase(*r)
		if i > 0 && p <= prev {
			return nil, fmt.Errorf("lexicon snapshot: record %d out of order", i)
		}
		prev = p
	}
	maxWords, ok := u32()
	if !ok || len(b) != sha256.Size {
		return nil, errTruncated
	}
	l.maxWords = int(maxWords)
	copy(l.digest[:], b)
	l.version = hex.EncodeToString(l.digest[:])[:12]
	l.index()
	return l, nil
}
