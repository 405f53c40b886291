package sharedtest

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// News returns realistic news documents for benchmarks: the five seed
// articles and the Wikinews articles of ../shared/data/raw-news (title and
// text), in a fixed order.
func News(t testing.TB) []string {
	t.Helper()
	var docs []string
	seeds, err := filepath.Glob(filepath.Join(Dir(t), "seeds", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(seeds)
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(b))
	}
	csvs, err := filepath.Glob(Path(t, "data", "raw-news", "wikinews", "*.csv"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(csvs)
	for _, p := range csvs {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, row := range rows[1:] { // url,date,title,text
			if len(row) >= 4 && strings.TrimSpace(row[3]) != "" {
				docs = append(docs, row[2]+"\n\n"+row[3])
			}
		}
	}
	return docs
}

// Bytes returns the total size of docs.
func Bytes(docs []string) int64 {
	var n int64
	for _, d := range docs {
		n += int64(len(d))
	}
	return n
}

// ArticleBytes is the size of the "typical article" of the article
// benchmarks and of cmd/stanceload's default.
const ArticleBytes = 5000

// Article returns the seed article closest to ArticleBytes, the one that
// cmd/stanceload sends by default, so that the in-process, RPC and load
// numbers are about the same text. The seeds are dense in entities (seed
// 002 has 83 mentions in 5,272 bytes), which makes them costlier per byte
// than the average news article.
func Article(t testing.TB) string {
	t.Helper()
	seeds, err := filepath.Glob(filepath.Join(Dir(t), "seeds", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(seeds)
	best, bestDiff := "", -1
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if d := max(len(b)-ArticleBytes, ArticleBytes-len(b)); bestDiff < 0 || d < bestDiff {
			best, bestDiff = string(b), d
		}
	}
	if bestDiff < 0 {
		t.Fatal("no seed articles")
	}
	return best
}
