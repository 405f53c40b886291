package entities

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/stance/classifierd/internal/entities/data"
)

// splitOracle is a gazetteer with, beside it, one automaton over all its
// case-insensitive patterns and one over all its all-capital ones, as Load
// built before the tries.
type splitOracle struct {
	g             *Gazetteer
	folded, exact matcher
}

func newSplitOracle(t testing.TB) *splitOracle {
	g, fb, xb, err := readTable(data.Gazetteer())
	if err != nil {
		t.Fatal(err)
	}
	g.compile(&fb, &xb)
	return &splitOracle{g: g, folded: fb.build(true), exact: xb.build(false)}
}

// diff compares the candidate spans of both, before overlaps are settled.
func (o *splitOracle) diff(text string) string {
	want := o.exact.collect(text, o.folded.collect(text, nil))
	got, _ := o.g.collectBuiltin(text, nil, nil)
	order := func(a, b span) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end), cmp.Compare(a.entity, b.entity))
	}
	slices.SortFunc(want, order)
	slices.SortFunc(got, order)
	return gocmp.Diff(want, got, gocmp.AllowUnexported(span{}))
}

var splitTexts = []string{
	"",
	"Iran's Foreign Minister Hossein Amir-Abdollahian met Vladimir Putin and Sergey Lavrov.",
	"Officials told us the US would wait; the U.S. and the UK, NATO's allies, agreed.",
	"Putinism, PUTIN, putin and Mr. Putin’s “Kremlin” in Moscow.",
	"Ursula von der Leyen, Bashar al-Assad and Mohammed bin Salman in Brasília and Yaoundé.",
	"Côte d'Ivoire, São Tomé and Príncipe, Türkiye, the Élysée Palace and Élysée.",
	"Iranians and Americans; the USA, USAID, U.S.-led and anti-NATO protests.",
	"Xi Jinping, Xi, Kim Jong Un and Kim; He Yafei said. In Kim's words.",
	"ÉMILE Zola; Émile; Ørsted; Ötzi; ÇA; ǅ",
}

// TestBuiltinMatchesAutomaton checks that splitting the built-in patterns
// between an automaton and the name indexes finds what one automaton over
// all of them finds, on the seed articles and Wikinews.
func TestBuiltinMatchesAutomaton(t *testing.T) {
	o := newSplitOracle(t)
	texts := slices.Clone(splitTexts)
	files, _ := filepath.Glob(filepath.Join(sharedDir(t, "seeds"), "*.txt"))
	wiki, _ := filepath.Glob(filepath.Join(sharedDir(t, "data/raw-news/wikinews"), "*.csv"))
	for _, f := range append(files, wiki...) {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(raw))
	}
	for _, text := range texts {
		if diff := o.diff(text); diff != "" {
			t.Errorf("spans in %.60q… (-automaton +split):\n%s", text, diff)
		}
	}
}

func FuzzBuiltinMatchesAutomaton(f *testing.F) {
	for _, s := range splitTexts {
		f.Add(s)
	}
	o := newSplitOracle(f)
	f.Fuzz(func(t *testing.T, text string) {
		if diff := o.diff(text); diff != "" {
			t.Errorf("spans in %q (-automaton +split):\n%s", text, diff)
		}
	})
}

func TestTrieLongest(t *testing.T) {
	keys := []string{"ab", "abc d", "abc de", "abd", "abcdef", "xy", "é", "b"}
	tr := newTrie(keys, make([]pattern, len(keys)), true)
	for _, tc := range []struct {
		text  string
		limit int32
		want  string
	}{
		{"abc def", all, "abc de"},
		{"ABC DEF", all, "abc de"},
		{"abc dx", all, "abc d"},
		{"abcdeg", all, "ab"},
		{"abd", all, "abd"},
		{"abz", all, "ab"},
		{"a", all, ""},
		{"ac", all, ""},
		{"xyz", all, "xy"},
		{"zz", all, ""},
		{"éa", all, "é"},
		{"É", all, ""},
		{"b", all, "b"},
		{"abc def", 2, "abc d"},
		{"abd", 3, "ab"},
		{"xy", 5, ""},
	} {
		got := ""
		if e, v := tr.longest(tc.text, 0, tc.limit); v >= 0 {
			if keys[v] != asciiLower(tc.text[:e]) {
				t.Errorf("longest(%q) = value %d (%q), end %d", tc.text, v, keys[v], e)
			}
			got = keys[v]
		}
		if got != tc.want {
			t.Errorf("longest(%q, %d) = %q, want %q", tc.text, tc.limit, got, tc.want)
		}
	}
}

// TestTrieMatchesNaive checks the folded trie of the embedded table against
// a naive search of its keys at every offset of the seed articles, and at
// the start of every key written in capitals.
func TestTrieMatchesNaive(t *testing.T) {
	_, fb, _, err := readTable(data.Gazetteer())
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, len(fb.texts))
	byFirst := map[byte][]int{}
	for i, s := range fb.texts {
		keys[i] = asciiLower(s)
		byFirst[keys[i][0]] = append(byFirst[keys[i][0]], i)
	}
	tr := newTrie(keys, fb.patterns, true)
	naive := func(folded string) int {
		want := -1
		for _, i := range byFirst[folded[0]] {
			if strings.HasPrefix(folded, keys[i]) && (want < 0 || len(keys[i]) > len(keys[want])) {
				want = i
			}
		}
		return want
	}
	check := func(text string, s int) {
		want := naive(asciiLower(text[s:]))
		e, v := tr.longest(text, s, all)
		if int(v) != want || want >= 0 && e != s+len(keys[want]) {
			t.Fatalf("at %d of %.40q: got value %d end %d, want %d", s, text[s:], v, e, want)
		}
	}
	texts := slices.Clone(splitTexts)
	files, _ := filepath.Glob(filepath.Join(sharedDir(t, "seeds"), "*.txt"))
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(raw))
	}
	for _, text := range texts {
		for s := range len(text) {
			check(text, s)
		}
	}
	for _, k := range fb.texts {
		check(strings.ToUpper(k)+" x", 0)
	}
}

func TestTriePairs(t *testing.T) {
	keys := []string{"ab", "abc", "x", "é"}
	tr := newTrie(keys, make([]pattern, len(keys)), true)
	p := tr.pairs()
	for a := range 256 {
		for b := range 256 {
			s := string([]byte{byte(a), byte(b)})
			want := false
			for _, k := range keys {
				n := min(len(k), 2)
				want = want || asciiLower(s[:n]) == k[:n]
			}
			if got := p.has(byte(a), byte(b)); got != want {
				t.Errorf("pairs has %q = %v, want %v", s, got, want)
			}
		}
	}
}
