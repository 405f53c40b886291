package features

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stance/classifierd/internal/sharedtest"
)

func mustTokenizer(t testing.TB) *Tokenizer {
	t.Helper()
	tok, err := NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestWordPiecePieces(t *testing.T) {
	tok := mustTokenizer(t)
	tests := []struct {
		word string
		want []string // piece surfaces
	}{
		{"NATO", []string{"NATO"}},
		{"Iran", []string{"Iran"}},
		{"expansionist", nil}, // split by the model; checked for coverage below
		{"Lukašenka", nil},
		{"中国", nil},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			ps := tok.WordPiece().AppendPieces(nil, tt.word, 10)
			if len(ps) == 0 {
				t.Fatal("no pieces")
			}
			if ps[0].Start != 10 || ps[len(ps)-1].End != 10+len(tt.word) {
				t.Errorf("pieces %+v do not cover [10,%d)", ps, 10+len(tt.word))
			}
			for i := 1; i < len(ps); i++ {
				if ps[i].Start != ps[i-1].End {
					t.Errorf("pieces %+v not contiguous", ps)
				}
			}
			if tt.want != nil {
				var got []string
				for _, p := range ps {
					got = append(got, tt.word[p.Start-10:p.End-10])
				}
				if strings.Join(got, "|") != strings.Join(tt.want, "|") {
					t.Errorf("pieces = %q, want %q", got, tt.want)
				}
			}
		})
	}
}

func TestWordPieceSplitsUnknownWord(t *testing.T) {
	ps := mustTokenizer(t).WordPiece().AppendPieces(nil, "expansionist", 0)
	if len(ps) < 2 {
		t.Fatalf("expansionist: got %d pieces, want a sub-word split", len(ps))
	}
}

// checkDocument asserts the invariants every tokenization must keep.
func checkDocument(t *testing.T, text string, d *Document) {
	t.Helper()
	prevEnd := 0
	for i, tok := range d.Tokens {
		if tok.Start < prevEnd || tok.End <= tok.Start || tok.End > len(text) {
			t.Fatalf("token %d span [%d,%d) out of order or range (len %d)", i, tok.Start, tok.End, len(text))
		}
		if utf8.ValidString(text) && (!utf8.RuneStart(text[tok.Start]) || tok.End < len(text) && !utf8.RuneStart(text[tok.End])) {
			t.Fatalf("token %d span [%d,%d) not on rune boundaries", i, tok.Start, tok.End)
		}
		if got := d.Surface(i); got != text[tok.Start:tok.End] {
			t.Fatalf("token %d surface %q != text slice", i, got)
		}
		ps := d.AppendPieces(nil, i)
		if len(ps) == 0 || ps[0].Start != tok.Start || ps[len(ps)-1].End != tok.End {
			t.Fatalf("token %d pieces %+v do not cover [%d,%d)", i, ps, tok.Start, tok.End)
		}
		var ids []int32
		for _, p := range ps {
			ids = append(ids, p.ID)
		}
		if got := d.pieceIDs(i); !slices.Equal(got, ids) {
			t.Fatalf("token %d piece ids %v, want those of its pieces %v", i, got, ids)
		}
		prevEnd = tok.End
	}
	next := 0
	for _, s := range d.Sentences {
		if s.First != next || s.End <= s.First {
			t.Fatalf("sentences %+v do not tile the tokens", d.Sentences)
		}
		next = s.End
	}
	if next != len(d.Tokens) {
		t.Fatalf("sentences end at %d of %d tokens", next, len(d.Tokens))
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{
		"", "NATO's expansion", "Iran’s “baseless” claims", "U.S.A", "1,000.5", "中国 🕊️ e\u0301",
		"\xff\xfe", "a'", "'s", "-a-", "A.B.C.d", "\u200b\ufeffX", "Gen. X. Y.\n\nZ?",
	} {
		f.Add(s)
	}
	tok := mustTokenizer(f)
	f.Fuzz(func(t *testing.T, text string) {
		d := tok.Tokenize(text)
		checkDocument(t, text, d)
		checkReference(t, text, d.Tokens)
		again := tok.Tokenize(text)
		if len(again.Tokens) != len(d.Tokens) || len(again.Sentences) != len(d.Sentences) {
			t.Fatal("tokenization is not deterministic")
		}
		for i := range d.Tokens {
			if !slices.Equal(d.AppendPieces(nil, i), again.AppendPieces(nil, i)) {
				t.Fatal("pieces are not deterministic")
			}
		}
	})
}

// TestTokenAt checks TokenAt against its definition, the first token that
// ends after the offset, at every offset of the seed article, and
// TokenAtFrom against TokenAt from every start that keeps its promise.
func TestTokenAt(t *testing.T) {
	d := mustTokenizer(t).Tokenize(sharedtest.Article(t))
	for off := 0; off <= len(d.Text); off++ {
		want := len(d.Tokens)
		for i, tok := range d.Tokens {
			if tok.End > off {
				want = i
				break
			}
		}
		if got := d.TokenAt(off); got != want {
			t.Fatalf("TokenAt(%d) = %d, want %d", off, got, want)
		}
		for from := max(0, want-12); from <= want; from++ {
			if got := d.TokenAtFrom(off, from); got != want {
				t.Fatalf("TokenAtFrom(%d, %d) = %d, want %d", off, from, got, want)
			}
		}
	}
}

// TestSplitIntoPiecesOnDemand checks that a Document from SplitInto gives
// every token the pieces Tokenize gives it, looked up when first asked
// for, in any order, and the same tokens and sentences.
func TestSplitIntoPiecesOnDemand(t *testing.T) {
	tok := mustTokenizer(t)
	var d Document
	for _, text := range sharedtest.News(t)[:60] {
		full := tok.Tokenize(text)
		tok.SplitInto(&d, text)
		if !slices.Equal(full.Tokens, d.Tokens) || !slices.Equal(full.Sentences, d.Sentences) {
			t.Fatalf("%.60q: SplitInto's tokens or sentences differ from Tokenize's", text)
		}
		for k := range d.Tokens {
			i := (k * 7919) % len(d.Tokens) // not in order
			if got, want := d.AppendPieces(nil, i), full.AppendPieces(nil, i); !slices.Equal(got, want) {
				t.Fatalf("%.60q token %d: pieces %v, want %v", text, i, got, want)
			}
			if got, want := d.pieceIDs(i), full.pieceIDs(i); !slices.Equal(got, want) {
				t.Fatalf("%.60q token %d: piece ids %v, want %v", text, i, got, want)
			}
		}
	}
}
