package relations

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
