package entities_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/features"
)

// BenchmarkFindVsTokenize runs mention finding and tokenization (word
// splitting plus WordPiece) over the seed articles in one run, since mention
// finding should cost less than tokenization.
func BenchmarkFindVsTokenize(b *testing.B) {
	dir := os.Getenv("STANCE_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "seeds", "*.txt"))
	if len(files) == 0 {
		b.Skip("no seed articles")
	}
	var (
		texts []string
		n     int64
	)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, string(raw))
		n += int64(len(raw))
	}
	tok, err := features.NewTokenizer()
	if err != nil {
		b.Fatal(err)
	}
	g := entities.Default()
	b.Run("tokenize", func(b *testing.B) {
		var d features.Document
		b.SetBytes(n)
		b.ReportAllocs()
		for b.Loop() {
			for _, t := range texts {
				tok.TokenizeInto(&d, t)
			}
		}
	})
	b.Run("find", func(b *testing.B) {
		b.SetBytes(n)
		b.ReportAllocs()
		for b.Loop() {
			for _, t := range texts {
				if _, err := g.Find(t, entities.Options{Builtin: true}); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
