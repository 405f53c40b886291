package builder

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stance/classifierd/internal/lexicon"
)

var update = flag.Bool("update", false, "rewrite ../data/lexicon.tsv from the shared sources")

// committedTable is the generated table, relative to this package.
var committedTable = filepath.Join("..", "data", "lexicon.tsv")

// sharedOrSkip returns the shared folder, or skips the test when it is
// absent, failing instead when STANCE_REQUIRE_DATA=1.
func sharedOrSkip(t *testing.T) string {
	t.Helper()
	shared, err := FindShared(".")
	if err != nil {
		if os.Getenv("STANCE_REQUIRE_DATA") == "1" {
			t.Fatalf("STANCE_REQUIRE_DATA=1 but the shared data is missing: %v", err)
		}
		t.Skipf("skipping: shared data not found (%v); set STANCE_SHARED to its folder", err)
	}
	return shared
}

// TestGeneratedTableUpToDate rebuilds the table from the shared sources
// and compares it byte for byte with the committed one.
func TestGeneratedTableUpToDate(t *testing.T) {
	shared := sharedOrSkip(t)
	cues, err := Build(os.DirFS(shared))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, cues); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(committedTable, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	committed, err := os.ReadFile(committedTable)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), committed) {
		t.Errorf("%s is stale (%d bytes, fresh build %d bytes); regenerate it:\n"+
			"  go run ./cmd/lexicongen -shared ../shared -out internal/lexicon/data/lexicon.tsv",
			committedTable, len(committed), buf.Len())
	}
	// The build is deterministic.
	again, err := Build(os.DirFS(shared))
	if err != nil {
		t.Fatal(err)
	}
	var buf2 bytes.Buffer
	if err := WriteTable(&buf2, again); err != nil || !bytes.Equal(buf.Bytes(), buf2.Bytes()) {
		t.Errorf("two builds differ (%v)", err)
	}
}

// TestBuildSources checks what each source contributes on the real data.
func TestBuildSources(t *testing.T) {
	shared := sharedOrSkip(t)
	cues, err := Build(os.DirFS(shared))
	if err != nil {
		t.Fatal(err)
	}
	l, err := lexicon.New(cues)
	if err != nil {
		t.Fatal(err)
	}
	stats := Count(cues)
	for _, src := range []string{"cameo", "vader", "afinn", "vader+afinn", "team", "team+cameo"} {
		if stats.BySource[src] == 0 {
			t.Errorf("no cues from %s", src)
		}
	}
	for phrase, source := range map[string]string{
		"bombarded": "cameo:190", "abducted": "cameo:181", "accused": "team+cameo:112",
		"mutual respect": "team", "not": "team",
	} {
		if c, ok := l.Lookup(phrase); !ok || c.Source != source {
			t.Errorf("Lookup(%q) = %+v, %v, want source %q", phrase, c, ok, source)
		}
	}
}

func TestFindShared(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("STANCE_SHARED", dir)
	if _, err := FindShared("."); err == nil {
		t.Error("FindShared accepted a folder without the lexicon sources")
	}
	if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(filepath.FromSlash(CAMEOPath))), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(CAMEOPath)), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := FindShared("."); err != nil || got != dir {
		t.Errorf("FindShared = %q, %v, want %q", got, err, dir)
	}
}
