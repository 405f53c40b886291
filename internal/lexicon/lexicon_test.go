package lexicon

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func mustNew(t *testing.T, cues ...Cue) *Lexicon {
	t.Helper()
	l, err := New(cues)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return l
}

func TestNew(t *testing.T) {
	l := mustNew(t,
		Cue{"threat", -0.7, KindNoun, "team"},
		Cue{"accused", -0.6, KindVerb, "cameo:112"},
		Cue{"signed a memorandum", 0.7, KindVerb, "team"},
	)
	if got, want := l.Len(), 3; got != want {
		t.Errorf("Len() = %d, want %d", got, want)
	}
	if got, want := l.MaxWords(), 3; got != want {
		t.Errorf("MaxWords() = %d, want %d", got, want)
	}
	var phrases []string
	for _, c := range l.Cues() {
		phrases = append(phrases, c.Phrase)
	}
	if want := []string{"accused", "signed a memorandum", "threat"}; !reflect.DeepEqual(phrases, want) {
		t.Errorf("Cues() phrases = %q, want sorted %q", phrases, want)
	}
}

func TestNewReportsEveryProblem(t *testing.T) {
	_, err := New([]Cue{
		{"ok", 0.1, KindNoun, "team"},
		{"Bad", 0.1, KindNoun, "team"},
		{"ok", 0.2, KindNoun, "team"},
		{"weight", 3, KindNoun, "team"},
		{"kind", 0.1, Kind(42), "team"},
		{"source", 0.1, KindNoun, ""},
	})
	for _, want := range []error{ErrPhrase, ErrDuplicate, ErrWeight, ErrKind, ErrSource} {
		if !errors.Is(err, want) {
			t.Errorf("New: %v, want it to include %v", err, want)
		}
	}
}

func TestLookup(t *testing.T) {
	l := mustNew(t, Cue{"mutual respect", 0.8, KindPhrase, "team"})
	if c, ok := l.Lookup("mutual respect"); !ok || c.Weight != 0.8 || c.Kind != KindPhrase {
		t.Errorf(`Lookup("mutual respect") = %v, %v`, c, ok)
	}
	for _, miss := range []string{"", "mutual", "Mutual respect", "mutual  respect", "respect"} {
		if c, ok := l.Lookup(miss); ok {
			t.Errorf("Lookup(%q) = %v, want no cue", miss, c)
		}
	}
	var nilLex *Lexicon
	if _, ok := nilLex.Lookup("x"); ok || nilLex.Len() != 0 || nilLex.MaxWords() != 0 || nilLex.Cues() != nil {
		t.Error("a nil *Lexicon should behave as an empty one")
	}
}

func TestCuesIsACopy(t *testing.T) {
	l := mustNew(t, Cue{"threat", -0.7, KindNoun, "team"})
	cues := l.Cues()
	cues[0].Weight = 1
	if c, _ := l.Lookup("threat"); c.Weight != -0.7 {
		t.Errorf("changing Cues() changed the lexicon: %v", c)
	}
}

func TestVersion(t *testing.T) {
	a := mustNew(t, Cue{"threat", -0.7, KindNoun, "team"}, Cue{"ally", 0.6, KindNoun, "team"})
	b := mustNew(t, Cue{"ally", 0.6, KindNoun, "team"}, Cue{"threat", -0.7, KindNoun, "team"})
	c := mustNew(t, Cue{"ally", 0.6, KindNoun, "team"}, Cue{"threat", -0.8, KindNoun, "team"})
	if len(a.Version()) != 12 {
		t.Errorf("Version() = %q, want 12 hex digits", a.Version())
	}
	if a.Version() != b.Version() {
		t.Errorf("same cues, different versions %s, %s", a.Version(), b.Version())
	}
	if a.Version() == c.Version() {
		t.Errorf("different cues, same version %s", a.Version())
	}
	// The version hashes the canonical table that Write writes.
	var buf bytes.Buffer
	if err := Write(&buf, a.Cues()); err != nil {
		t.Fatal(err)
	}
	back, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if back.Version() != a.Version() {
		t.Errorf("version after Write/Load %s, want %s", back.Version(), a.Version())
	}
}

func TestWrite(t *testing.T) {
	var buf bytes.Buffer
	err := Write(&buf, []Cue{
		{"threat", -0.7, KindNoun, "team"},
		{"not", -1, KindNegator, "team"},
		{"ally", 1.0 / 3, KindNoun, "vader+afinn"},
	})
	if err != nil {
		t.Fatal(err)
	}
	const want = "ally\t0.3333333333333333\tnoun\tvader+afinn\n" +
		"not\t-1\tnegator\tteam\n" +
		"threat\t-0.7\tnoun\tteam\n"
	if got := buf.String(); got != want {
		t.Errorf("Write =\n%s\nwant\n%s", got, want)
	}

	buf.Reset()
	err = Write(&buf, []Cue{{"a", 0.1, KindNoun, "team"}, {"a", 0.2, KindNoun, "team"}, {"B", 0.1, KindNoun, "team"}})
	if !errors.Is(err, ErrDuplicate) || !errors.Is(err, ErrPhrase) {
		t.Errorf("Write(bad cues) = %v, want duplicate and phrase errors", err)
	}
	if buf.Len() != 0 {
		t.Errorf("Write(bad cues) wrote %q, want nothing", buf.String())
	}
}

func TestKind(t *testing.T) {
	for k := KindVerb; k <= KindHedge; k++ {
		got, err := ParseKind(k.String())
		if err != nil || got != k {
			t.Errorf("ParseKind(%q) = %v, %v, want %v", k.String(), got, err, k)
		}
	}
	if s := Kind(0).String(); s != "kind(0)" {
		t.Errorf("Kind(0).String() = %q", s)
	}
	if _, err := ParseKind("Verb"); !errors.Is(err, ErrKind) {
		t.Errorf(`ParseKind("Verb") = %v, want ErrKind`, err)
	}
	for k, want := range map[Kind]bool{KindVerb: false, KindPhrase: false, KindNegator: true, KindIntensifier: true, KindHedge: true} {
		if k.IsModifier() != want {
			t.Errorf("%v.IsModifier() = %v", k, !want)
		}
	}
}

func TestQuad(t *testing.T) {
	tests := []struct {
		source string
		code   string
		want   Quad
	}{
		{"cameo:057", "057", QuadVerbalCoop},
		{"cameo:0233", "0233", QuadVerbalCoop},
		{"cameo:073", "073", QuadMaterialCoop},
		{"cameo:090", "090", QuadMaterialCoop},
		{"team+cameo:112", "112", QuadVerbalConflict},
		{"cameo:141", "141", QuadVerbalConflict},
		{"cameo:1712", "1712", QuadMaterialConflict},
		{"cameo:202", "202", QuadMaterialConflict},
		{"cameo:21", "21", QuadNone},
		{"cameo:x", "x", QuadNone},
		{"team", "", QuadNone},
		{"vader+afinn", "", QuadNone},
	}
	for _, tt := range tests {
		c := Cue{Source: tt.source}
		if got := c.CAMEO(); got != tt.code {
			t.Errorf("CAMEO(%q) = %q, want %q", tt.source, got, tt.code)
		}
		if got := c.Quad(); got != tt.want {
			t.Errorf("Quad(%q) = %v, want %v", tt.source, got, tt.want)
		}
	}
	for q := QuadNone; q <= QuadMaterialConflict; q++ {
		if s := q.String(); s == "" || strings.HasPrefix(s, "quad(") {
			t.Errorf("Quad(%d).String() = %q", q, s)
		}
	}
}
