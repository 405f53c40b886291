package classifier_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/classifier/classifiertest"
	"github.com/stance/classifierd/internal/sharedtest"
)

// expectations mirrors ../shared/seeds/expectations.json.
type expectations struct {
	Documents []struct {
		File   string            `json:"file"`
		Expect map[string]string `json:"expect"`
	} `json:"documents"`
	Mentions []struct {
		File             string `json:"file"`
		SentenceContains string `json:"sentence_contains"`
		Entity           string `json:"entity"`
		Expect           string `json:"expect"`
		Holder           string `json:"holder"`
	} `json:"mentions"`
	Not []struct {
		File   string `json:"file"`
		Entity string `json:"entity"`
		Not    string `json:"not"`
		Why    string `json:"why"`
	} `json:"not"`
	Dyads []struct {
		File   string `json:"file"`
		Holder string `json:"holder"`
		Target string `json:"target"`
		Expect string `json:"expect"`
	} `json:"dyads"`
}

func openClassifier(t *testing.T) *classifier.Classifier {
	t.Helper()
	return classifiertest.Embedded(t)
}

// TestSeedExpectations checks the stance the seed articles express, read by
// hand, against the embedded model with built-in entity detection.
func TestSeedExpectations(t *testing.T) {
	dir := sharedtest.Path(t, "seeds")
	raw, err := os.ReadFile(filepath.Join(dir, "expectations.json"))
	if err != nil {
		t.Fatal(err)
	}
	var exp expectations
	if err := json.Unmarshal(raw, &exp); err != nil {
		t.Fatal(err)
	}
	c := openClassifier(t)
	classify := func(t *testing.T, file string) (string, classifier.Result) {
		t.Helper()
		text, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		res, err := c.Classify(context.Background(), classifier.Request{Text: string(text), Builtin: true, MaxEvidence: 5})
		if err != nil {
			t.Fatal(err)
		}
		return string(text), res
	}
	for _, doc := range exp.Documents {
		t.Run(doc.File, func(t *testing.T) {
			_, res := classify(t, doc.File)
			for name, want := range doc.Expect {
				var got string
				for _, e := range res.Entities {
					if e.Entity.Name == name {
						got = e.Label.String()
						t.Logf("%s: %s %v over %d mentions", name, got, e.Probs, e.Mentions)
					}
				}
				if got != want {
					t.Errorf("%s: document stance %q, want %q", name, got, want)
				}
			}
		})
	}
	for _, m := range exp.Mentions {
		t.Run(m.File+"/"+m.Entity, func(t *testing.T) {
			text, res := classify(t, m.File)
			at := strings.Index(text, m.SentenceContains)
			if at < 0 {
				t.Fatalf("sentence %q not in %s", m.SentenceContains, m.File)
			}
			var found *classifier.Mention
			for i, mm := range res.Mentions {
				if mm.Entity.Name == m.Entity && mm.Span.Start >= at && mm.Span.Start < at+len(m.SentenceContains) {
					found = &res.Mentions[i]
					break
				}
			}
			if found == nil {
				t.Fatalf("no mention of %s in %q", m.Entity, m.SentenceContains)
			}
			if found.Label.String() != m.Expect {
				t.Errorf("%s in %q: %s %v, want %s", m.Entity, m.SentenceContains, found.Label, found.Probs, m.Expect)
			}
			if found.Holder.Name != m.Holder {
				t.Errorf("%s in %q: holder %q, expected holder %q", m.Entity, m.SentenceContains, found.Holder.Name, m.Holder)
			}
		})
	}
	for _, n := range exp.Not {
		t.Run(n.File+"/not/"+n.Entity, func(t *testing.T) {
			_, res := classify(t, n.File)
			for _, e := range res.Entities {
				if e.Entity.Name == n.Entity && e.Label.String() == n.Not {
					t.Errorf("%s: document stance %s %v, which it must not be: %s", n.Entity, e.Label, e.Probs, n.Why)
				}
			}
		})
	}
	for _, dy := range exp.Dyads {
		t.Run(dy.File+"/dyad/"+dy.Holder+"->"+dy.Target, func(t *testing.T) {
			_, res := classify(t, dy.File)
			var got []string
			for _, d := range res.Dyads {
				if d.Holder.Name == dy.Holder && d.Target.Name == dy.Target {
					if d.Label.String() != dy.Expect {
						t.Errorf("dyad %s -> %s: %s %v over %d relations, want %s", dy.Holder, dy.Target, d.Label, d.Probs, d.Support, dy.Expect)
					}
					return
				}
				got = append(got, d.Holder.Name+" -> "+d.Target.Name)
			}
			t.Errorf("no dyad %s -> %s among %q", dy.Holder, dy.Target, got)
		})
	}
}
