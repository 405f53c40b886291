package entities

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/entities/data"
	"github.com/stance/classifierd/internal/snapshot/snapshottest"
)

// sameGazetteer fails t unless a and b hold the same tables, field by
// field (every field of Gazetteer but the scratch pool: a field added to
// Gazetteer fails here until the snapshot writes it and this compares it).
func sameGazetteer(t *testing.T, a, b *Gazetteer) {
	t.Helper()
	known := []string{"text", "ents", "surnames", "given", "refers", "referWords", "scratch", "folded", "lower",
		"capitals", "exact", "people", "aliases", "first", "lowerPairs", "capitalPairs"}
	var fields []string
	for f := range reflect.TypeFor[Gazetteer]().Fields() {
		fields = append(fields, f.Name)
	}
	if !slices.Equal(fields, known) {
		t.Fatalf("Gazetteer's fields are %v; the snapshot and this test know %v", fields, known)
	}
	if a.text != b.text || !slices.Equal(a.ents, b.ents) || !slices.Equal(a.surnames, b.surnames) || !slices.Equal(a.given, b.given) {
		t.Error("the entity table or the names differ")
	}
	if !slices.EqualFunc(a.refers, b.refers, slices.Equal) || !slices.Equal(a.referWords, b.referWords) {
		t.Error("the refer phrases differ")
	}
	if a.people != b.people || a.aliases != b.aliases || a.first != b.first || a.lowerPairs != b.lowerPairs || a.capitalPairs != b.capitalPairs {
		t.Error("people, aliases or the first-byte tables differ")
	}
	for i, ts := range [][2]*trie{{&a.folded, &b.folded}, {&a.lower, &b.lower}, {&a.capitals, &b.capitals}, {&a.exact, &b.exact}} {
		x, y := ts[0], ts[1]
		if x.class != y.class || !slices.Equal(x.cells, y.cells) || !slices.Equal(x.values, y.values) ||
			!slices.Equal(x.patterns, y.patterns) || x.keys != y.keys {
			t.Errorf("trie %d differs", i)
		}
	}
}

// TestEmbeddedSnapshot: the committed data/gazetteer.snapshot is what
// WriteSnapshot writes for the embedded table (it is stale otherwise), and
// reading it gives what loading the table does, so that Default, which
// reads it, finds what it would have loaded.
func TestEmbeddedSnapshot(t *testing.T) {
	loaded, err := Load(data.Gazetteer())
	if err != nil {
		t.Fatal(err)
	}
	var w bytes.Buffer
	if err := loaded.WriteSnapshot(&w, []byte(data.Table())); err != nil {
		t.Fatal(err)
	}
	if w.String() != data.Snapshot() {
		t.Fatalf("data/gazetteer.snapshot (%d bytes) is not the embedded table's (%d bytes): it is stale; regenerate it from the repository root with\n\tgo run ./cmd/gazettegen -shared ../shared", len(data.Snapshot()), w.Len())
	}
	read, err := readSnapshot(data.Snapshot(), data.Table())
	if err != nil {
		t.Fatal(err)
	}
	sameGazetteer(t, loaded, read)
	if Default().text != read.text {
		t.Error("Default did not read the snapshot")
	}
	// What a caller sees: the same mentions in the news-like seed text.
	text := "NATO accused Iran of destabilizing the region, while Iran and Russia signed a strategic partnership. " +
		"President Biden met Mr. Putin; the alliance and the Kremlin said the U.S. and the UN would follow."
	a, err := loaded.Find(text, Options{Builtin: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := read.Find(text, Options{Builtin: true})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) || len(a) == 0 {
		t.Errorf("Find differs:\n loaded %v\n   read %v", a, b)
	}
}

// TestSnapshotChecked: a snapshot of another table is refused, and so is a
// damaged one: truncated, with bytes after its end, or with a trie cell,
// an entity or a pattern out of range.
func TestSnapshotChecked(t *testing.T) {
	table := "E\tIRN\tCOUNTRY\t\tIran\nE\tIRQ\tCOUNTRY\t\tIraq\nA\tIRN\tIranian\nA\tIRQ\tIRAQ\nT\tPresident\n"
	g, err := Load(strings.NewReader(table))
	if err != nil {
		t.Fatal(err)
	}
	var w bytes.Buffer
	if err := g.WriteSnapshot(&w, []byte(table)); err != nil {
		t.Fatal(err)
	}
	snap := w.String()
	read, err := readSnapshot(snap, table)
	if err != nil {
		t.Fatal(err)
	}
	sameGazetteer(t, g, read)
	if _, err := readSnapshot(snap, table+"\n"); err != errStaleSnapshot {
		t.Errorf("another table's snapshot: %v", err)
	}
	if _, err := readSnapshot("stance-gazetteer-snapshot/0\n"+snap[len(gazetteerSnapshot.Format):], table); err == nil {
		t.Error("another format read")
	}
	body := snap[len(gazetteerSnapshot.Format)+32:]
	// Every 4-byte word set to a large value, one at a time: anything that
	// reads is still within range, which a lookup checks.
	snapshottest.Damage(t, body, len(body)/97, []string{"\xff\xff\xff\x7f"}, decodeSnapshot, func(g *Gazetteer) {
		_, _ = g.Find("Iranian President and IRAQ; Iran, Iraq. President Iraq", Options{Builtin: true})
	})
	good := g.folded.cells
	g.folded.cells = slices.Clone(good)
	g.folded.cells[0].base = uint32(len(good))
	w.Reset()
	err = g.WriteSnapshot(&w, []byte(table))
	g.folded.cells = good
	if err != nil {
		t.Fatal(err)
	}
	if _, err := readSnapshot(w.String(), table); err == nil {
		t.Error("a trie cell out of range: read")
	}
}

// FuzzDecodeSnapshot: no damage to a snapshot makes reading it, or
// finding mentions with what it reads, panic.
func FuzzDecodeSnapshot(f *testing.F) {
	table := "E\tIRN\tCOUNTRY\t\tIran\nE\tUSA\tCOUNTRY\t\tUnited States\nA\tUSA\tU.S.\nA\tIRN\tthe Islamic Republic\nE\tperson:x\tPERSON\tIRN\tAli Khamenei\nR\tthe country\tIRN,USA\nT\tPresident\nB\tIran Air\nM\tIran\tq\n"
	g, err := Load(strings.NewReader(table))
	if err != nil {
		f.Fatal(err)
	}
	var w bytes.Buffer
	if err := g.WriteSnapshot(&w, []byte(table)); err != nil {
		f.Fatal(err)
	}
	f.Add(w.Bytes()[len(gazetteerSnapshot.Format)+32:])
	f.Fuzz(func(t *testing.T, body []byte) {
		if g, err := decodeSnapshot(string(body)); err == nil {
			_, _ = g.Find("President Ali Khamenei of the Islamic Republic said the U.S. and Iran Air; the country. Khamenei", Options{Builtin: true})
		}
	})
}
