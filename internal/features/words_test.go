package features

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func surfaces(text string, toks []Token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = text[t.Start:t.End]
	}
	return out
}

func TestSplitWords(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"plain", "NATO warned Iran.", []string{"NATO", "warned", "Iran", "."}},
		{"possessive straight", "Iran's navy", []string{"Iran", "'s", "navy"}},
		{"possessive curly", "Iran’s navy", []string{"Iran", "’s", "navy"}},
		{"name with apostrophe", "Kan'ani said", []string{"Kan'ani", "said"}},
		{"contraction", "they don't agree", []string{"they", "don't", "agree"}},
		{"hyphenated", "anti-NATO and Iranian-Russian ties", []string{"anti-NATO", "and", "Iranian-Russian", "ties"}},
		{"initialism", "the U.S. and U.K. said", []string{"the", "U.S.", "and", "U.K.", "said"}},
		{"initialism at end", "sanctions by the U.S.", []string{"sanctions", "by", "the", "U.S."}},
		{"numbers", "1,000 troops and 3.5 billion, in 2024.", []string{"1,000", "troops", "and", "3.5", "billion", ",", "in", "2024", "."}},
		{"curly quotes", "“Baseless,” he said", []string{"“", "Baseless", ",", "”", "he", "said"}},
		{"accents", "Lukašenka met Erdoğan", []string{"Lukašenka", "met", "Erdoğan"}},
		{"cjk", "中国 and 日本", []string{"中国", "and", "日本"}},
		{"emoji", "peace 🕊️ talks", []string{"peace", "🕊", "️", "talks"}},
		{"combining mark", "Ame\u0301lie", []string{"Ame\u0301lie"}},
		{"trailing hyphen", "pro- and anti-war", []string{"pro", "-", "and", "anti-war"}},
		{"empty", "", []string{}},
		{"spaces only", " \t\n ", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := surfaces(tt.text, SplitWords(nil, tt.text))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("SplitWords(%q) mismatch (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestSplitWordsKinds(t *testing.T) {
	text := "In 2024 , NATO"
	got := SplitWords(nil, text)
	want := []Kind{KindWord, KindNumber, KindPunct, KindWord}
	for i, tok := range got {
		if tok.Kind != want[i] {
			t.Errorf("token %q kind = %v, want %v", text[tok.Start:tok.End], tok.Kind, want[i])
		}
	}
}

func TestSplitSentences(t *testing.T) {
	text := "Gen. Ashtiani met officials in the U.S. on Monday. He said \"no.\" Talks resumed!\nHeadline without dot\nNext paragraph? Yes\nRussia accused\nthe Ukrainian army of shelling.\n\nnew paragraph after a blank line"
	d := mustTokenizer(t).Tokenize(text)
	var got []string
	for _, s := range d.Sentences {
		got = append(got, text[d.Tokens[s.First].Start:d.Tokens[s.End-1].End])
	}
	want := []string{
		"Gen. Ashtiani met officials in the U.S. on Monday.",
		"He said \"no.\"",
		"Talks resumed!",
		"Headline without dot",
		"Next paragraph?",
		"Yes",
		// One line break before a lower-case word wraps a line; a blank
		// line still ends the paragraph.
		"Russia accused\nthe Ukrainian army of shelling.",
		"new paragraph after a blank line",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sentences mismatch (-want +got):\n%s", diff)
	}
	for i := range d.Tokens {
		s := d.Sentences[d.SentenceOf(i)]
		if i < s.First || i >= s.End {
			t.Fatalf("SentenceOf(%d) = %+v", i, s)
		}
	}
}

// TestASCIIWordRun checks the eight-byte classifier against the byte table
// for every byte value in every position, after a run of word bytes.
func TestASCIIWordRun(t *testing.T) {
	for pos := range 8 {
		for c := range 256 {
			b := []byte("abcZ09xy")
			b[pos] = byte(c)
			want := 0
			for want < 8 && byteClasses[b[want]] >= classLetter {
				want++
			}
			if got := asciiWordRun(load64(string(b))); got != want {
				t.Errorf("asciiWordRun(%q) = %d, want %d", b, got, want)
			}
		}
	}
}
