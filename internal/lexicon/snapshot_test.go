package lexicon

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/snapshot/snapshottest"
)

// sameLexicon fails t unless a and b hold the same cues in the same
// records, and answer every lookup alike (their hash tables differ by
// seed).
func sameLexicon(t *testing.T, a, b *Lexicon) {
	t.Helper()
	var fields []string
	for f := range reflect.TypeFor[Lexicon]().Fields() {
		fields = append(fields, f.Name)
	}
	if want := []string{"blob", "records", "slots", "seed", "maxWords", "version", "digest"}; !slices.Equal(fields, want) {
		t.Fatalf("Lexicon's fields are %v; the snapshot and this test know %v", fields, want)
	}
	if a.blob != b.blob || !slices.Equal(a.records, b.records) || a.maxWords != b.maxWords ||
		a.version != b.version || a.digest != b.digest || len(a.slots) != len(b.slots) {
		t.Fatal("the lexicons differ")
	}
	for _, c := range a.Cues() {
		if got, ok := b.Lookup(c.Phrase); !ok || got != c {
			t.Fatalf("Lookup(%q) = %+v, %v; want %+v", c.Phrase, got, ok, c)
		}
	}
	if _, ok := b.Lookup("no such cue"); ok {
		t.Error("a phrase not in the lexicon found")
	}
}

// TestEmbeddedSnapshot: the committed data/lexicon.snapshot is what
// WriteSnapshot writes for the embedded table (it is stale otherwise), and
// reading it gives what parsing the table does, so that Default, which
// reads it, has the lexicon it would have parsed.
func TestEmbeddedSnapshot(t *testing.T) {
	parsed, err := Load(bytes.NewReader(defaultTable))
	if err != nil {
		t.Fatal(err)
	}
	var w bytes.Buffer
	if err := parsed.WriteSnapshot(&w, defaultTable); err != nil {
		t.Fatal(err)
	}
	if w.String() != defaultSnapshot {
		t.Fatalf("data/lexicon.snapshot (%d bytes) is not the embedded table's (%d bytes): it is stale; regenerate it from the repository root with\n\tgo run ./cmd/lexicongen -shared ../shared", len(defaultSnapshot), w.Len())
	}
	read, err := readSnapshot(defaultSnapshot, defaultTable)
	if err != nil {
		t.Fatal(err)
	}
	sameLexicon(t, parsed, read)
	if Default().blob != read.blob || Default().Version() != parsed.Version() {
		t.Error("Default did not read the snapshot")
	}
}

// TestSnapshotChecked: a snapshot of another table is refused, and so is a
// damaged one: truncated, with bytes after its end, with a record out of
// the blob, of an unknown kind or out of order.
func TestSnapshotChecked(t *testing.T) {
	table := []byte("accused\t-0.7\tverb\tcameo:112\nnot\t-1\tnegator\tteam\nstrategic partnership\t0.8\tphrase\n")
	l, err := Load(bytes.NewReader(table))
	if err != nil {
		t.Fatal(err)
	}
	var w bytes.Buffer
	if err := l.WriteSnapshot(&w, table); err != nil {
		t.Fatal(err)
	}
	snap := w.String()
	read, err := readSnapshot(snap, table)
	if err != nil {
		t.Fatal(err)
	}
	sameLexicon(t, l, read)
	if _, err := readSnapshot(snap, append(table, '\n')); err != errStaleSnapshot {
		t.Errorf("another table's snapshot: %v", err)
	}
	if _, err := readSnapshot(strings.Replace(snap, "/1\n", "/0\n", 1), table); err == nil {
		t.Error("another format read")
	}
	body := snap[len(lexiconSnapshot.Format)+32:]
	// Every byte and every 4-byte word set to large values, one at a
	// time: what still reads answers lookups without failing.
	snapshottest.Damage(t, body, 1, []string{"\xff", "\xff\xff\xff\x7f", "\x00"}, decodeSnapshot, func(l *Lexicon) {
		l.Lookup("accused")
		l.Cues()
	})
	// The records out of order: the second's offset set to the first's.
	b := []byte(body)
	first := 4 + len(l.blob) + 4
	copy(b[first+recordBytes+8:first+recordBytes+12], b[first+8:first+12])
	if _, err := decodeSnapshot(string(b)); err == nil {
		t.Error("records out of order: read")
	}
}

// FuzzDecodeSnapshot: no damage to a snapshot makes reading it, or looking
// cues up in what it reads, panic.
func FuzzDecodeSnapshot(f *testing.F) {
	table := []byte("accused\t-0.7\tverb\tcameo:112\nnot\t-1\tnegator\tteam\nstrategic partnership\t0.8\tphrase\n")
	l, err := Load(bytes.NewReader(table))
	if err != nil {
		f.Fatal(err)
	}
	var w bytes.Buffer
	if err := l.WriteSnapshot(&w, table); err != nil {
		f.Fatal(err)
	}
	f.Add(w.Bytes()[len(lexiconSnapshot.Format)+32:])
	f.Fuzz(func(t *testing.T, body []byte) {
		if l, err := decodeSnapshot(string(body)); err == nil {
			for _, c := range l.Cues() {
				l.Lookup(c.Phrase)
			}
		}
	})
}
