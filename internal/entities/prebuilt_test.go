package entities

import (
	"bytes"
	"slices"
	"testing"

	"github.com/stance/classifierd/internal/entities/data"
)

// TestEmbeddedTries: the committed data/gazetteer.tries holds every trie
// of the embedded table, cell for cell what building it gives, so that
// Default builds none of them.
func TestEmbeddedTries(t *testing.T) {
	pre, err := parseTries(data.Tries())
	if err != nil {
		t.Fatal(err)
	}
	built, err := Load(data.Gazetteer())
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := load(data.Gazetteer(), pre)
	if err != nil {
		t.Fatal(err)
	}
	for i, pair := range [][2]*trie{{&built.folded, &loaded.folded}, {&built.lower, &loaded.lower},
		{&built.capitals, &loaded.capitals}, {&built.exact, &loaded.exact}} {
		b, l := pair[0], pair[1]
		if len(b.cells) > 0 {
			if _, ok := pre[b.keyHash]; !ok {
				t.Fatalf("trie %d is not in data/gazetteer.tries: it is stale; regenerate it from the repository root with\n\tgo run ./cmd/gazettegen -shared ../shared", i)
			}
		}
		if b.class != l.class || !slices.Equal(b.cells, l.cells) || !slices.Equal(b.values, l.values) || b.keyHash != l.keyHash {
			t.Errorf("trie %d: the prebuilt one differs from the one built", i)
		}
	}
	var w bytes.Buffer
	if err := built.WriteTries(&w); err != nil {
		t.Fatal(err)
	}
	if w.String() != data.Tries() {
		t.Errorf("WriteTries of the embedded table (%d bytes) differs from data/gazetteer.tries (%d bytes)", w.Len(), len(data.Tries()))
	}
}

// TestPrebuiltTriesChecked: a trie file whose keys differ from the table's
// is ignored, and one whose cells lead out of the array is refused.
func TestPrebuiltTriesChecked(t *testing.T) {
	keys := []string{"iran", "iraq", "israel"}
	built := newTrie(keys, make([]pattern, len(keys)), true)
	h := trieKeyHash(keys, true)
	file := string(built.encode([]byte(triesFormat), h))
	pre, err := parseTries(file)
	if err != nil {
		t.Fatal(err)
	}
	if got := pre.trie(keys, make([]pattern, len(keys)), true); !slices.Equal(got.cells, built.cells) {
		t.Error("the prebuilt trie was not used")
	}
	other := []string{"iran", "iraq"}
	if got, want := pre.trie(other, make([]pattern, 2), true), newTrie(other, make([]pattern, 2), true); !slices.Equal(got.cells, want.cells) {
		t.Error("a prebuilt trie of other keys was used")
	}
	bad := built
	bad.cells = slices.Clone(built.cells)
	bad.cells[0].base = uint32(len(bad.cells))
	if _, err := parseTries(triesFormat + "x"); err == nil {
		t.Error("a truncated file parsed")
	}
	pre, err = parseTries(string(bad.encode([]byte(triesFormat), h)))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := decodeTrie(pre[h], nil, len(keys)); ok {
		t.Error("a trie with a cell out of range decoded")
	}
}
