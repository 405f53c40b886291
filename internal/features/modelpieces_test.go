package features

import (
	"slices"
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/sharedtest"
	"github.com/sugarme/tokenizer/model"
	"github.com/sugarme/tokenizer/model/wordpiece"
)

// libraryPieces is modelPieces as it was, by sugarme/tokenizer's WordPiece
// model over w's vocabulary, which modelPieces must match.
func libraryPieces(t testing.TB, w *WordPiece) func(string) []relPiece {
	vocab := model.Vocab(w.vocab)
	m := wordpiece.NewWordPieceBuilder().Vocab(&vocab).UnkToken(unknownPiece).Build()
	return func(word string) []relPiece {
		whole := []relPiece{{id: w.unkID, start: 0, end: len(word)}}
		toks, err := m.Tokenize(word)
		if err != nil || len(toks) == 0 {
			return whole
		}
		runeByte := make([]int, 0, len(word)+1)
		for i := range word {
			runeByte = append(runeByte, i)
		}
		runeByte = append(runeByte, len(word))
		out := make([]relPiece, 0, len(toks))
		for _, tk := range toks {
			if len(tk.Offsets) != 2 || tk.Offsets[0] < 0 || tk.Offsets[1] > len(runeByte)-1 || tk.Offsets[0] >= tk.Offsets[1] {
				t.Fatalf("%q: the library's offsets %v", word, tk.Offsets)
			}
			out = append(out, relPiece{id: int32(tk.Id), start: runeByte[tk.Offsets[0]], end: runeByte[tk.Offsets[1]]})
		}
		return out
	}
}

func checkModelPieces(t *testing.T, w *WordPiece, lib func(string) []relPiece, word string) {
	t.Helper()
	if got, want := w.modelPieces(word), lib(word); !slices.Equal(got, want) {
		t.Fatalf("%q: pieces %v, the library's %v", word, got, want)
	}
}

// TestModelPieces: modelPieces splits as sugarme/tokenizer's WordPiece
// model does every piece of the vocabulary, with and without its "##",
// joined to its neighbours, every word of the news corpus, and words at
// the edges: empty, 100 and 101 runes, invalid UTF-8, no piece at all.
func TestModelPieces(t *testing.T) {
	w := mustTokenizer(t).WordPiece()
	lib := libraryPieces(t, w)
	words := []string{"", "expansionist", "Lukašenka", "中国", "\xff", "a\xffb", "##", "###", "#", "Iran\xc3", "\xed\xa0\x80x",
		strings.Repeat("a", 100), strings.Repeat("a", 101), strings.Repeat("é", 100), strings.Repeat("é", 101),
		strings.Repeat("Zz", 60), "\U0001F54A\U0001F54A", "e\u0301", "anti-NATO", "x\x00y"}
	pieces := strings.Split(strings.TrimSpace(casedVocab), "\n")
	for i, p := range pieces {
		p = strings.TrimSuffix(p, "\r")
		words = append(words, p, "##"+p, strings.TrimPrefix(p, "##"))
		if i > 0 {
			words = append(words, strings.TrimPrefix(pieces[i-1], "##")+strings.TrimPrefix(p, "##"))
		}
	}
	for _, word := range words {
		checkModelPieces(t, w, lib, word)
	}
	seen := map[string]bool{}
	for _, doc := range sharedtest.News(t) {
		for _, tok := range SplitWords(nil, doc) {
			word := doc[tok.Start:tok.End]
			if !seen[word] {
				seen[word] = true
				checkModelPieces(t, w, lib, word)
			}
		}
	}
}

func FuzzModelPieces(f *testing.F) {
	for _, s := range []string{"expansionist", "Lukašenka", "中国", "\xff", "a\xffb", "##ing", "antidisestablishmentarianism"} {
		f.Add(s)
	}
	w := mustTokenizer(f).WordPiece()
	lib := libraryPieces(f, w)
	f.Fuzz(func(t *testing.T, word string) {
		checkModelPieces(t, w, lib, word)
	})
}
