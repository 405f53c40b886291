package entities

import (
	"os"
	"testing"
)

// Floors of the everyday-news sets, short news-like documents written for
// this project with the traps of issue 19: testdata/everyday.jsonl, which
// the rules of context.go were written against, and testdata/heldout.jsonl,
// written after them and scored once before two labels were corrected. A
// score below them fails.
const (
	everydayPrecision = 0.95
	everydayRecall    = 0.92
	everydayTraps     = 0.10 // the most of the traps that may be linked
)

// evaluateFile scores the built-in gazetteer on a labelled JSONL file and
// logs every miss.
func evaluateFile(t *testing.T, path string) Score {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := Evaluate(Default(), f, func(doc, kind, surface, id string) {
		t.Logf("%s: %s %q %s", doc, kind, surface, id)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %v", path, s)
	return s
}

func TestEverydayFloors(t *testing.T) {
	for _, path := range []string{"testdata/everyday.jsonl", "testdata/heldout.jsonl"} {
		t.Run(path, func(t *testing.T) {
			s := evaluateFile(t, path)
			if s.Precision() < everydayPrecision || s.Recall() < everydayRecall || s.TrapRate() > everydayTraps {
				t.Errorf("precision %.3f recall %.3f traps %.3f: want >= %.2f, >= %.2f, <= %.2f",
					s.Precision(), s.Recall(), s.TrapRate(), everydayPrecision, everydayRecall, everydayTraps)
			}
		})
	}
}
