package entities

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedDir locates ../shared next to the repository root (found by walking
// up to go.mod), or $STANCE_SHARED. It skips the test when the directory is
// absent, and fails instead when STANCE_REQUIRE_DATA=1.
func sharedDir(t testing.TB, sub string) string {
	t.Helper()
	dir := os.Getenv("STANCE_SHARED")
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			t.Fatal(err)
		}
		for root := wd; ; root = filepath.Dir(root) {
			if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
				dir = filepath.Join(root, "..", "shared")
				break
			}
			if filepath.Dir(root) == root {
				t.Fatal("go.mod not found above " + wd)
			}
		}
	}
	p := filepath.Join(dir, sub)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("STANCE_REQUIRE_DATA") == "1" {
			t.Fatalf("shared data required (STANCE_REQUIRE_DATA=1) but %s is missing: %v", p, err)
		}
		t.Skipf("shared data %s not present (set STANCE_SHARED or check out ../shared); skipping", p)
	}
	return p
}

// wordOccurrences returns the start offsets of s in text where s stands as a
// whole word (no letter or digit on either side), in order.
func wordOccurrences(text, s string) []int {
	var out []int
	for i := 0; ; {
		j := strings.Index(text[i:], s)
		if j < 0 {
			return out
		}
		p := i + j
		if leftBoundary(text, p) && rightBoundary(text, p+len(s)) {
			out = append(out, p)
		}
		i = p + 1
	}
}

// seedFixture is testdata/seed_entities.json.
type seedFixture struct {
	Documents []struct {
		File     string `json:"file"`
		Mentions []struct {
			ID      string `json:"id"`
			Surface string `json:"surface"`
			Occ     []int  `json:"occ"`
		} `json:"mentions"`
	} `json:"documents"`
}

// seedMention is a mention reduced to what the fixture pins down.
type seedMention struct {
	id         string
	start, end int
}

// loadSeedGold reads the fixture and resolves every row to byte offsets in
// the seed articles.
func loadSeedGold(t *testing.T) (texts map[string]string, gold map[string][]seedMention) {
	t.Helper()
	seeds := sharedDir(t, "seeds")
	b, err := os.ReadFile("testdata/seed_entities.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx seedFixture
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	texts, gold = map[string]string{}, map[string][]seedMention{}
	for _, d := range fx.Documents {
		raw, err := os.ReadFile(filepath.Join(seeds, d.File))
		if err != nil {
			t.Fatal(err)
		}
		text := string(raw)
		texts[d.File] = text
		for _, m := range d.Mentions {
			occ := wordOccurrences(text, m.Surface)
			for _, i := range m.Occ {
				if i >= len(occ) {
					t.Fatalf("%s: %q occurrence %d: only %d in text", d.File, m.Surface, i, len(occ))
				}
				gold[d.File] = append(gold[d.File], seedMention{m.ID, occ[i], occ[i] + len(m.Surface)})
			}
		}
	}
	return texts, gold
}

// TestSeedQuality is the quality floor of issue 3: on the five seed
// articles, Find must reach precision and recall of at least 0.95 against
// the hand-checked fixture.
func TestSeedQuality(t *testing.T) {
	texts, gold := loadSeedGold(t)
	g := Default()
	var tp, fp, fn int
	for file, text := range texts {
		ms, err := g.Find(text, Options{Builtin: true})
		if err != nil {
			t.Fatal(err)
		}
		want := map[seedMention]bool{}
		for _, m := range gold[file] {
			want[m] = true
		}
		got := map[seedMention]bool{}
		for _, m := range ms {
			k := seedMention{m.Entity.ID, m.Start, m.End}
			got[k] = true
			if want[k] {
				tp++
			} else {
				fp++
				t.Logf("%s: unexpected %s %q at %d", file, k.id, text[k.start:k.end], k.start)
			}
		}
		for k := range want {
			if !got[k] {
				fn++
				t.Logf("%s: missed %s %q at %d", file, k.id, text[k.start:k.end], k.start)
			}
		}
	}
	p := float64(tp) / float64(tp+fp)
	r := float64(tp) / float64(tp+fn)
	t.Logf("seed entities: precision %.4f recall %.4f (tp %d, fp %d, fn %d)", p, r, tp, fp, fn)
	if p < 0.95 || r < 0.95 {
		t.Errorf("precision %.4f, recall %.4f: want both >= 0.95", p, r)
	}
}
