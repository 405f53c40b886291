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
// built before the split.
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
	return &splitOracle{g: g, folded: fb.build(true, false), exact: xb.build(false, false)}
}

// diff compares the candidate spans of both, before overlaps are settled.
func (o *splitOracle) diff(text string) string {
	want := o.exact.collect(text, o.folded.collect(text, nil))
	sc := new(scratch)
	sc.folded, sc.starts = foldASCII(nil, text, nil)
	got := o.g.exact.collect(text, o.g.collectBuiltin(text, sc, nil))
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

func TestNameIndexLongest(t *testing.T) {
	keys := []string{"ab", "abc d", "abc de", "abd", "abcdef", "xy"}
	x := newNameIndex(keys, make([]pattern, len(keys)), 2)
	for _, tc := range []struct{ text, want string }{
		{"abc def", "abc de"},
		{"abc dx", "abc d"},
		{"abcdeg", "ab"},
		{"abd", "abd"},
		{"abz", "ab"},
		{"a", ""},
		{"ac", ""},
		{"xyz", "xy"},
		{"zz", ""},
	} {
		got := ""
		if i := x.longest(tc.text); i >= 0 {
			got = x.keys[i]
		}
		if got != tc.want {
			t.Errorf("longest(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestFoldASCII(t *testing.T) {
	text := "NATO’s Ärzte, e.g. McCain's “Iran” 9A"
	folded, starts := foldASCII(nil, text, nil)
	if want := "nato’s Ärzte, e.g. mccain's “iran” 9a"; string(folded) != want {
		t.Errorf("folded %q, want %q", folded, want)
	}
	var got []string
	for _, s := range starts {
		got = append(got, strings.Fields(text[s:])[0])
	}
	// Candidates only: "“" is checked and dropped later.
	want := []string{"NATO’s", "Ärzte,", "McCain's", "“Iran”", "Iran”"}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("starts (-want +got):\n%s", diff)
	}
}
