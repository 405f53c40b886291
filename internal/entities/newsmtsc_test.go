package entities

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// newsMTSCFloor is the recorded proper-name recall (overlap) on NewsMTSC
// minus a margin; see TestNewsMTSCRecall. NewsMTSC is US domestic politics,
// mostly people named by surname alone, so this is far below the seed score.
const newsMTSCFloor = 0.40

// notProperStart are capitalised first words of NewsMTSC targets that do not
// make a proper name: pronouns and determiners ("He", "The president").
var notProperStart = map[string]bool{
	"He": true, "She": true, "His": true, "Her": true, "Him": true, "It": true, "Its": true,
	"They": true, "Them": true, "Their": true, "I": true, "We": true, "You": true, "Our": true,
	"The": true, "A": true, "An": true, "This": true, "That": true, "These": true, "Those": true,
	"Himself": true, "Herself": true, "Who": true, "Whose": true, "My": true, "Your": true,
}

// TestNewsMTSCRecall measures how many NewsMTSC targets that are proper
// names (capitalised, not a pronoun or determiner phrase) Find detects with
// built-in entities only: "overlap" counts a mention overlapping the target
// span, "exact" a mention with the same span (modulo a leading title such as
// "Mr." that NewsMTSC includes and Find leaves out).
func TestNewsMTSCRecall(t *testing.T) {
	dir := sharedDir(t, "data/newsmtsc")
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no NewsMTSC files in %s: %v", dir, err)
	}
	g := Default()
	var total, overlap, exact int
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 0, 1<<16), 1<<22)
		for sc.Scan() {
			var ex struct {
				Text    string `json:"text"`
				Targets []struct {
					Start int `json:"start"`
					End   int `json:"end"`
				} `json:"targets"`
			}
			if err := json.Unmarshal(sc.Bytes(), &ex); err != nil {
				t.Fatal(err)
			}
			ms, err := g.Find(ex.Text, Options{Builtin: true})
			if err != nil {
				t.Fatal(err)
			}
			seen := map[[2]int]bool{}
			for _, tg := range ex.Targets {
				if tg.Start < 0 || tg.End > len(ex.Text) || tg.Start >= tg.End || seen[[2]int{tg.Start, tg.End}] {
					continue
				}
				seen[[2]int{tg.Start, tg.End}] = true
				surface := ex.Text[tg.Start:tg.End]
				r, _ := utf8.DecodeRuneInString(surface)
				first, _, _ := strings.Cut(surface, " ")
				if !unicode.IsUpper(r) || notProperStart[first] {
					continue
				}
				total++
				for _, m := range ms {
					if m.Start < tg.End && m.End > tg.Start {
						overlap++
						if m.End == tg.End && m.Start >= tg.Start && (m.Start == tg.Start || strings.HasSuffix(ex.Text[tg.Start:m.Start], " ")) {
							exact++
						}
						break
					}
				}
			}
		}
		fh.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	ro := float64(overlap) / float64(total)
	re := float64(exact) / float64(total)
	t.Logf("NewsMTSC proper-name targets: %d; recall overlap %.4f, exact %.4f", total, ro, re)
	if ro < newsMTSCFloor {
		t.Errorf("NewsMTSC proper-name recall %.4f below floor %.2f", ro, newsMTSCFloor)
	}
}
