package relations

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/sharedtest"
)

var update = flag.Bool("update", false, "rewrite data/agents.tsv from the shared Phoenix dictionary")

// TestAgentsTable derives the generic actor table from the Phoenix agents
// dictionary and compares it with the committed file (-update rewrites
// it).
func TestAgentsTable(t *testing.T) {
	shared := sharedtest.Dir(t)
	f, err := os.Open(filepath.Join(shared, "data", "lexicons", "cameo-petrarch2-dictionaries", "Phoenix.agents.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := DeriveAgents(f)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("data/agents.tsv", []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got != agentsTSV {
		t.Errorf("data/agents.tsv is not what the dictionary derives (%d bytes, derived %d): go test ./internal/relations -run TestAgentsTable -update", len(agentsTSV), len(got))
	}
	for phrase := range agents().phrases {
		if f := strings.Fields(phrase); len(f) > 1 && trailingPreposition(f[len(f)-1]) {
			t.Errorf("%q ends in a preposition: a generic actor's span would take in the word after the actor", phrase)
		}
		for w := range strings.FieldsSeq(phrase) {
			if len(w) > maxWordBytes {
				t.Errorf("%q in %q is longer than maxWordBytes, %d bytes: FindGeneric would never match it", w, phrase, maxWordBytes)
			}
		}
	}
	for _, want := range []string{"police", "rebels", "government", "troops", "protesters", "army", "security forces"} {
		if _, ok := agents().phrases[want]; !ok && *update == false {
			t.Errorf("%q is not a generic actor", want)
		}
	}
}

// TestLongestAt: at every word of the news corpus, the marks and
// longestAt find the phrase that building each phrase of up to
// maxAgentWords words from the lowered words and looking it up finds
// (the way FindGeneric found phrases before words were marked).
func TestLongestAt(t *testing.T) {
	tok, err := features.NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	tab := agents()
	// lowered is a token as the table spells it: A-Z lowered in ASCII,
	// lowered otherwise.
	lowered := func(d *features.Document, i int) (string, bool) {
		w := d.Surface(i)
		if !isASCII(w) {
			return d.LowerFast(i), true
		}
		return string(foldASCII(nil, w)), len(w) <= maxWordBytes
	}
	var c features.Context
	found := 0
	for _, text := range sharedtest.News(t) {
		d := tok.Tokenize(text)
		c.Reset(d, nil)
		for si, s := range d.Sentences {
			marks, ok := c.SentenceMarks(si)
			if !ok {
				t.Fatal("the tokenizer's words are not marked")
			}
			for i := s.First; i < s.End; i++ {
				end := min(s.End, i+maxAgentWords)
				var want agent
				wantAfter, wantOK := 0, false
				for n := end - i; n >= 1 && !wantOK; n-- {
					var words []string
					for k := i; k < i+n; k++ {
						w, ok := lowered(d, k)
						if !ok {
							break
						}
						words = append(words, w)
					}
					if len(words) == n {
						want, wantOK = tab.phrases[strings.Join(words, " ")]
						wantAfter = i + n
					}
				}
				var got agent
				gotAfter, gotOK := 0, false
				m := marks[i-s.First]
				if m&markFirstOne != 0 || m&markFirstMore != 0 && i+1 < s.End && marks[i+1-s.First]&markSecond != 0 {
					got, gotAfter, gotOK = tab.longestAt(marks, s.First, i, end)
				}
				if gotOK != wantOK || gotOK && (got != want || gotAfter != wantAfter) {
					t.Fatalf("at %q in %.60q: %v %d %v, want %v %d %v", d.Surface(i), text, got, gotAfter, gotOK, want, wantAfter, wantOK)
				}
				if gotOK {
					found++
				}
			}
		}
	}
	if found < 1000 {
		t.Errorf("%d phrases in the corpus", found)
	}
}
