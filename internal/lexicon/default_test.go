package lexicon

import (
	"bytes"
	"strings"
	"testing"
)

func TestDefault(t *testing.T) {
	l := Default()
	if l != Default() {
		t.Error("Default() should parse once and return the same lexicon")
	}
	if l.Len() < 10000 {
		t.Errorf("Default() has %d cues, want the full compiled table", l.Len())
	}
	tests := []struct {
		phrase string
		kind   Kind
		// sign of the weight for stance cues; for modifiers the range.
		min, max float64
		source   string // prefix
		quad     Quad
	}{
		// CAMEO verbs, some with the team's weight.
		{"accused", KindVerb, -1, -0.3, "team+cameo:112", QuadVerbalConflict},
		{"invaded", KindVerb, -1, -0.8, "team+cameo:192", QuadMaterialConflict},
		{"bombarded", KindVerb, -1, -0.8, "cameo:190", QuadMaterialConflict},
		{"expelled", KindVerb, -1, -0.3, "team+cameo:174", QuadMaterialConflict},
		{"extradited", KindVerb, 0.5, 1, "cameo:063", QuadMaterialCoop},
		{"apologized", KindVerb, 0.5, 1, "cameo:055", QuadVerbalCoop},
		{"lifted sanctions", KindVerb, 0.3, 1, "team+cameo:085", QuadMaterialCoop},
		// The team's own cues.
		{"mutual respect", KindPhrase, 0.5, 1, "team", QuadNone},
		{"strategic partnership", KindPhrase, 0.5, 1, "team", QuadNone},
		{"signed a memorandum", KindVerb, 0.5, 1, "team", QuadVerbalCoop},
		{"good neighborliness", KindPhrase, 0.5, 1, "team", QuadNone},
		{"expansionist", KindAdjective, -1, -0.5, "team", QuadNone},
		{"provocations", KindNoun, -1, -0.5, "team", QuadNone},
		{"destabilizing", KindAdjective, -1, -0.5, "team", QuadNone},
		{"baseless", KindAdjective, -1, -0.3, "team", QuadNone},
		{"warmongering", KindNoun, -1, -0.5, "team", QuadNone},
		// Sentiment lexicons.
		{"brutality", KindNoun, -1, -0.3, "vader", QuadNone},
		{"tragedy", KindNoun, -1, -0.3, "vader+afinn", QuadNone},
		{"tragic", KindAdjective, -1, -0.3, "vader+afinn", QuadNone},
		{"outstanding", KindAdjective, 0.3, 1, "vader+afinn", QuadNone},
		// Modifiers.
		{"not", KindNegator, -1, -1, "team", QuadNone},
		{"didn't", KindNegator, -1, -1, "team", QuadNone},
		{"never", KindNegator, -1, -1, "team", QuadNone},
		{"strongly", KindIntensifier, 1.1, 2, "team", QuadNone},
		{"vehemently", KindIntensifier, 1.1, 2, "team", QuadNone},
		{"reportedly", KindHedge, 0.1, 0.9, "team", QuadNone},
		{"may", KindHedge, 0.1, 0.9, "team", QuadNone},
	}
	for _, tt := range tests {
		c, ok := l.Lookup(tt.phrase)
		if !ok {
			t.Errorf("Lookup(%q): no cue", tt.phrase)
			continue
		}
		if c.Kind != tt.kind || c.Weight < tt.min || c.Weight > tt.max || !strings.HasPrefix(c.Source, tt.source) || c.Quad() != tt.quad {
			t.Errorf("Lookup(%q) = %+v (quad %v), want kind %v, weight in [%v, %v], source %q..., quad %v",
				tt.phrase, c, c.Quad(), tt.kind, tt.min, tt.max, tt.source, tt.quad)
		}
	}
	for _, c := range l.Cues() {
		if got, ok := l.Lookup(c.Phrase); !ok || got != c {
			t.Fatalf("Lookup(%q) = %+v, %v, want %+v", c.Phrase, got, ok, c)
		}
	}
	// Generic verbs and names are left out.
	for _, phrase := range []string{"said", "say", "make", "go", "united", "party", "great"} {
		if c, ok := l.Lookup(phrase); ok {
			t.Errorf("Lookup(%q) = %+v, want no cue", phrase, c)
		}
	}
}

// TestDefaultCanonical checks that the embedded table, less its comment
// header, is in canonical form, so that Version is the hash of its body.
func TestDefaultCanonical(t *testing.T) {
	var body []string
	for line := range strings.Lines(string(defaultTable)) {
		if !strings.HasPrefix(line, "#") {
			body = append(body, line)
		}
	}
	var buf bytes.Buffer
	if err := Write(&buf, Default().Cues()); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(body, ""); got != buf.String() {
		t.Error("embedded table is not in canonical form; regenerate it with cmd/lexicongen")
	}
	if len(defaultTable) > 2<<20 {
		t.Errorf("embedded table is %d bytes, keep it under 2 MiB", len(defaultTable))
	}
}

// BenchmarkDefaultLoad reads the embedded lexicon as Default does (from
// its snapshot), and /parse parses the table as Load does any other.
func BenchmarkDefaultLoad(b *testing.B) {
	b.Run("snapshot", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := readSnapshot(defaultSnapshot, defaultTable); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Load(bytes.NewReader(defaultTable)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkLookup(b *testing.B) {
	l := Default()
	phrases := []string{"accused", "mutual respect", "the", "not", "signed a memorandum", "xyzzy"}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range phrases {
			l.Lookup(p)
		}
	}
}
