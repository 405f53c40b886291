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
