package lexicon

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	const file = "# comment\n" +
		"\n" +
		"accused\t-0.6\tverb\tcameo:112\n" +
		"  # indented comment\n" +
		"mutual respect\t0.8\tphrase\tteam\r\n" +
		"not\t-1\tnegator\n" + // source defaults to "user"
		" strongly \t 1.5 \tintensifier\tteam\n" +
		"reportedly\t0.6\thedge\tteam\n" +
		"anti-western\t-0.3\tadjective\tteam\n" +
		"don't\t-1\tnegator\tteam\n" +
		"détente\t0.5\tnoun\tteam\n" +
		"partnership\t0\tnoun\tuser" // removal marker, no final newline
	l, err := Load(strings.NewReader(file))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := []Cue{
		{"accused", -0.6, KindVerb, "cameo:112"},
		{"anti-western", -0.3, KindAdjective, "team"},
		{"don't", -1, KindNegator, "team"},
		{"détente", 0.5, KindNoun, "team"},
		{"mutual respect", 0.8, KindPhrase, "team"},
		{"not", -1, KindNegator, "user"},
		{"partnership", 0, KindNoun, "user"},
		{"reportedly", 0.6, KindHedge, "team"},
		{"strongly", 1.5, KindIntensifier, "team"},
	}
	if got := l.Cues(); !reflect.DeepEqual(got, want) {
		t.Errorf("Cues() =\n%v\nwant\n%v", got, want)
	}
	if got := l.Len(); got != len(want) {
		t.Errorf("Len() = %d, want %d", got, len(want))
	}
	if got := l.MaxWords(); got != 2 {
		t.Errorf("MaxWords() = %d, want 2", got)
	}
}

func TestLoadEmpty(t *testing.T) {
	for _, in := range []string{"", "\n\n", "# only comments\n"} {
		l, err := Load(strings.NewReader(in))
		if err != nil {
			t.Fatalf("Load(%q): %v", in, err)
		}
		if l.Len() != 0 || l.MaxWords() != 0 {
			t.Errorf("Load(%q): Len %d, MaxWords %d, want 0, 0", in, l.Len(), l.MaxWords())
		}
	}
}

func TestLoadMalformed(t *testing.T) {
	tests := []struct {
		name string
		line string
		want error
	}{
		{"two fields", "accused\t-0.6", ErrFields},
		{"five fields", "accused\t-0.6\tverb\tteam\textra", ErrFields},
		{"spaces not tabs", "accused -0.6 verb team", ErrFields},
		{"empty phrase", "\t-0.6\tverb\tteam", ErrPhrase},
		{"uppercase", "Accused\t-0.6\tverb\tteam", ErrPhrase},
		{"double space", "mutual  respect\t0.8\tphrase\tteam", ErrPhrase},
		{"punctuation", "u.s.\t0.1\tnoun\tteam", ErrPhrase},
		{"emoticon", ":-)\t0.5\tnoun\tvader", ErrPhrase},
		{"leading hyphen", "-western\t0.1\tnoun\tteam", ErrPhrase},
		{"double hyphen", "anti--western\t0.1\tnoun\tteam", ErrPhrase},
		{"possessive apostrophe", "nato's\t0.1\tnoun\tteam", ErrPhrase},
		{"bare contraction", "n't\t-1\tnegator\tteam", ErrPhrase},
		{"too many words", "a b c d e f g h i\t0.1\tphrase\tteam", ErrPhrase},
		{"not a number", "accused\tvery\tverb\tteam", ErrWeight},
		{"NaN", "accused\tNaN\tverb\tteam", ErrWeight},
		{"infinite", "accused\t-Inf\tverb\tteam", ErrWeight},
		{"cue above 1", "accused\t1.5\tverb\tteam", ErrWeight},
		{"cue below -1", "accused\t-2\tverb\tteam", ErrWeight},
		{"negative multiplier", "strongly\t-1.5\tintensifier\tteam", ErrWeight},
		{"huge multiplier", "strongly\t5\tintensifier\tteam", ErrWeight},
		{"negator below -1", "not\t-2\tnegator\tteam", ErrWeight},
		{"unknown kind", "accused\t-0.6\tpreposition\tteam", ErrKind},
		{"kind by number", "accused\t-0.6\t1\tteam", ErrKind},
		{"empty source", "accused\t-0.6\tverb\t", ErrSource},
		{"space in source", "accused\t-0.6\tverb\tmy team", ErrSource},
		{"empty source part", "accused\t-0.6\tverb\tteam++vader", ErrSource},
		{"invalid UTF-8", "accus\xffed\t-0.6\tverb\tteam", ErrEncoding},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The bad line is line 2, after a good one.
			_, err := Load(strings.NewReader("fine\t0.1\tadjective\tteam\n" + tt.line + "\n"))
			if !errors.Is(err, tt.want) {
				t.Fatalf("Load(%q) = %v, want %v", tt.line, err, tt.want)
			}
			var le *LineError
			if !errors.As(err, &le) || le.Line != 2 {
				t.Errorf("Load(%q) = %v, want a *LineError on line 2", tt.line, err)
			}
		})
	}
}

// TestLoadReportsEveryProblem checks that one call reports all bad lines,
// each with its number, and several problems of one line separately.
func TestLoadReportsEveryProblem(t *testing.T) {
	const file = "# header\n" + // 1
		"accused\t-0.6\tverb\tteam\n" + // 2 good
		"Bad Phrase\t-0.6\tverb\tteam\n" + // 3 phrase
		"threat\tx\tnoun\tteam\n" + // 4 weight
		"threat\t-0.7\tnounn\tteam\n" + // 5 kind
		"\n" + // 6
		"accused\t-0.5\tverb\tteam\n" + // 7 duplicate of 2
		"only one field\n" + // 8 fields
		"Worse!\t9\tthing\t\n" // 9 phrase, kind, source (weight unchecked without kind)
	_, err := Load(strings.NewReader(file))
	if err == nil {
		t.Fatal("Load succeeded, want errors")
	}
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("error %T does not join several errors", err)
	}
	type problem struct {
		line int
		err  error
	}
	var got []problem
	for _, e := range joined.Unwrap() {
		var le *LineError
		if !errors.As(e, &le) {
			t.Fatalf("error %v is not a *LineError", e)
		}
		var kind error
		for _, s := range []error{ErrFields, ErrPhrase, ErrWeight, ErrKind, ErrSource, ErrDuplicate, ErrEncoding} {
			if errors.Is(le, s) {
				kind = s
			}
		}
		got = append(got, problem{le.Line, kind})
	}
	want := []problem{
		{3, ErrPhrase}, {4, ErrWeight}, {5, ErrKind}, {7, ErrDuplicate}, {8, ErrFields},
		{9, ErrPhrase}, {9, ErrKind}, {9, ErrSource},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems = %v, want %v", got, want)
	}
	for _, s := range []string{"line 3:", "line 7:", "first on line 2", "line 9:"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error message lacks %q:\n%v", s, err)
		}
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestLoadReadError(t *testing.T) {
	if _, err := Load(failingReader{}); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("Load(failing reader) = %v, want the read error", err)
	}
}
