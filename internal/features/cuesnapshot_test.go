package features

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/lexicon"
	"github.com/stance/classifierd/internal/sharedtest"
	"github.com/stance/classifierd/internal/snapshot/snapshottest"
)

// sameCueIndex fails t unless a and b hold the same index (every field of
// CueIndex but its id, and the word table's seed and slots, which are the
// process's own) and find every word alike.
func sameCueIndex(t *testing.T, a, b *CueIndex) {
	t.Helper()
	var fields []string
	for f := range reflect.TypeFor[CueIndex]().Fields() {
		fields = append(fields, f.Name)
	}
	// multi is not in the snapshot: reading one indexes it from the
	// lexicon, as building does.
	if want := []string{"words", "entries", "marks", "cues", "rest", "sources", "relationOnly", "multi", "maxMultiWords", "id"}; !slices.Equal(fields, want) {
		t.Fatalf("CueIndex's fields are %v; the snapshot and this test know %v", fields, want)
	}
	if !bytes.Equal(a.words.text, b.words.text) || !slices.Equal(a.words.ends, b.words.ends) || len(a.words.slots) != len(b.words.slots) ||
		!slices.Equal(a.entries, b.entries) || !slices.Equal(a.marks, b.marks) || !slices.Equal(a.cues, b.cues) ||
		!slices.Equal(a.rest, b.rest) || !slices.Equal(a.sources, b.sources) || !slices.Equal(a.relationOnly, b.relationOnly) ||
		!reflect.DeepEqual(a.multi, b.multi) || a.maxMultiWords != b.maxMultiWords {
		t.Fatal("the indexes differ")
	}
	for i := range int32(len(a.words.ends)) {
		if w := string(a.words.word(i)); b.words.find(w) != i {
			t.Fatalf("word %q: %d, want %d", w, b.words.find(w), i)
		}
	}
	if b.words.find("no-such-word") != -1 {
		t.Error("a word not in the index found")
	}
}

// TestEmbeddedCueSnapshot: the committed data/cues.snapshot is what
// WriteSnapshot writes for the embedded lexicon's index (it is stale
// otherwise), reading it gives what indexing does, and NewCueIndex reads
// it for that lexicon: the same cues in the news corpus either way.
func TestEmbeddedCueSnapshot(t *testing.T) {
	lex := lexicon.Default()
	built := BuildCueIndex(lex)
	var w bytes.Buffer
	if err := built.WriteSnapshot(&w, lex); err != nil {
		t.Fatal(err)
	}
	if w.String() != cueSnapshot {
		t.Fatalf("data/cues.snapshot (%d bytes) is not the embedded lexicon's index (%d bytes): it is stale; regenerate it from the repository root with\n\tgo run ./cmd/lexicongen -shared ../shared", len(cueSnapshot), w.Len())
	}
	read, err := readCueSnapshot(cueSnapshot, lex)
	if err != nil {
		t.Fatal(err)
	}
	sameCueIndex(t, built, read)
	if x := NewCueIndex(lex); !bytes.Equal(x.words.text, read.words.text) || x.id == built.id || x.id == read.id {
		t.Error("NewCueIndex did not read the snapshot into an index of its own")
	}
	tok := mustTokenizer(t)
	var s1, s2 Scratch
	for _, text := range sharedtest.News(t) {
		d := tok.Tokenize(text)
		a, b := built.Match(nil, d, &s1), read.Match(nil, d, &s2)
		if !slices.Equal(a, b) {
			t.Fatalf("Match differs on %.60q", text)
		}
	}
}

// TestCueSnapshotChecked: the snapshot of another lexicon is not read
// (NewCueIndex indexes that one), and a damaged one is refused: truncated,
// with bytes after its end, or with an index out of range.
func TestCueSnapshotChecked(t *testing.T) {
	lex, err := lexicon.New([]lexicon.Cue{
		{Phrase: "accused", Weight: -0.7, Kind: lexicon.KindVerb, Source: "cameo:112"},
		{Phrase: "signed a memorandum", Weight: 0.8, Kind: lexicon.KindVerb, Source: "team"},
		{Phrase: "signed", Weight: 0.5, Kind: lexicon.KindVerb, Source: "team"},
		{Phrase: "opposition to", Weight: -0.5, Kind: lexicon.KindNoun, Source: "team+relation"},
		{Phrase: "not", Weight: -1, Kind: lexicon.KindNegator, Source: "team"},
		{Phrase: "refused to", Weight: -1, Kind: lexicon.KindNegator, Source: "team"},
		{Phrase: "reportedly", Weight: 0.5, Kind: lexicon.KindHedge, Source: "team"},
	})
	if err != nil {
		t.Fatal(err)
	}
	built := BuildCueIndex(lex)
	var w bytes.Buffer
	if err := built.WriteSnapshot(&w, lex); err != nil {
		t.Fatal(err)
	}
	snap := w.String()
	read, err := readCueSnapshot(snap, lex)
	if err != nil {
		t.Fatal(err)
	}
	sameCueIndex(t, built, read)
	if !slices.Contains(read.relationOnly, true) || !slices.Contains(read.relationOnly, false) {
		t.Errorf("relationOnly %v: want the relation cue's source marked and the others not", read.relationOnly)
	}
	if _, err := readCueSnapshot(snap, lexicon.Default()); err != errOtherLexicon {
		t.Errorf("another lexicon's snapshot: %v", err)
	}
	if _, err := readCueSnapshot(cueSnapshot, lex); err != errOtherLexicon {
		t.Errorf("the embedded snapshot for another lexicon: %v", err)
	}
	if x := NewCueIndex(lex); x.Len() != built.Len() {
		t.Errorf("NewCueIndex of another lexicon: %d cues, want %d", x.Len(), built.Len())
	}
	if _, err := readCueSnapshot(strings.Replace(snap, "/1\n", "/0\n", 1), lex); err == nil {
		t.Error("another format read")
	}
	body := snap[len(cueSnapshotKind.Format)+32:]
	tok := mustTokenizer(t)
	d := tok.Tokenize("NATO reportedly did not sign it; Iran accused Iraq and signed a memorandum with Syria.")
	var s Scratch
	snapshottest.Damage(t, body, 1, []string{"\xff", "\xff\xff\xff\x7f", "\x00"}, decodeCueSnapshot, func(x *CueIndex) {
		x.Match(nil, d, &s)
	})
}

// FuzzDecodeCueSnapshot: no damage to a snapshot makes reading it, or
// matching cues with what it reads, panic.
func FuzzDecodeCueSnapshot(f *testing.F) {
	lex, err := lexicon.New([]lexicon.Cue{
		{Phrase: "accused", Weight: -0.7, Kind: lexicon.KindVerb, Source: "cameo:112"},
		{Phrase: "signed a memorandum", Weight: 0.8, Kind: lexicon.KindVerb, Source: "team"},
		{Phrase: "not", Weight: -1, Kind: lexicon.KindNegator, Source: "team"},
		{Phrase: "refused to", Weight: -1, Kind: lexicon.KindNegator, Source: "team"},
		{Phrase: "reportedly", Weight: 0.5, Kind: lexicon.KindHedge, Source: "team"},
	})
	if err != nil {
		f.Fatal(err)
	}
	var w bytes.Buffer
	if err := BuildCueIndex(lex).WriteSnapshot(&w, lex); err != nil {
		f.Fatal(err)
	}
	f.Add(w.Bytes()[len(cueSnapshotKind.Format)+32:])
	tok := mustTokenizer(f)
	d := tok.Tokenize("NATO reportedly did not sign it; Iran accused Iraq and signed a memorandum with Syria.")
	f.Fuzz(func(t *testing.T, body []byte) {
		if x, err := decodeCueSnapshot(string(body)); err == nil {
			var s Scratch
			x.Match(nil, d, &s)
		}
	})
}

// BenchmarkNewCueIndex indexes the embedded lexicon as NewCueIndex does
// (from the snapshot), and /build as it does any other lexicon.
func BenchmarkNewCueIndex(b *testing.B) {
	lex := lexicon.Default()
	b.Run("snapshot", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := readCueSnapshot(cueSnapshot, lex); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("build", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			BuildCueIndex(lex)
		}
	})
}
