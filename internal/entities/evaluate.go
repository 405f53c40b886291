package entities

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// LabelledDoc is one document of an evaluation set, one JSON object per
// line: {"id", "text", "mentions": [{"start", "end", "entity"}], "traps":
// [{"start", "end", "not"}]}. Offsets are UTF-8 byte offsets, end exclusive.
type LabelledDoc struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Mentions []struct {
		Start  int    `json:"start"`
		End    int    `json:"end"`
		Entity string `json:"entity"` // an Entity.ID; "person:<slug>" for people the table lacks
	} `json:"mentions"`
	// Traps are forms that must not be linked to the entity Not there
	// ("Sam Harris" not to Kamala Harris, "a hotel in Moscow" not to Russia).
	Traps []struct {
		Start int    `json:"start"`
		End   int    `json:"end"`
		Not   string `json:"not"`
	} `json:"traps"`
}

// Score counts what Evaluate found against the labels. A found mention is
// correct when its span and entity ID equal a labelled one; spans compare
// without a leading "the " ("the West" and "West" are one mention).
type Score struct {
	Labelled, Found, Correct int
	// Detected counts found mentions whose span is labelled, whatever entity
	// they were linked to.
	Detected int
	// The same for people: labelled mentions of a "person:" entity and found
	// mentions of TypePerson.
	PersonsLabelled, PersonsFound, PersonsCorrect int
	Traps, TrapsLinked                            int
}

// Precision is Correct over Found (1 when nothing was found).
func (s Score) Precision() float64 { return ratio(s.Correct, s.Found) }

// Recall is Correct over Labelled (1 when nothing was labelled).
func (s Score) Recall() float64 { return ratio(s.Correct, s.Labelled) }

// PersonPrecision and PersonRecall are Precision and Recall for people.
func (s Score) PersonPrecision() float64 { return ratio(s.PersonsCorrect, s.PersonsFound) }

// PersonRecall is Recall for people.
func (s Score) PersonRecall() float64 { return ratio(s.PersonsCorrect, s.PersonsLabelled) }

// TrapRate is the share of traps linked to the entity they must not be.
func (s Score) TrapRate() float64 { return 1 - ratio(s.Traps-s.TrapsLinked, s.Traps) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// String is a one-line summary.
func (s Score) String() string {
	return fmt.Sprintf("precision %.3f recall %.3f (%d labelled, %d found, %d correct, %d detected); persons precision %.3f recall %.3f (%d labelled, %d found); traps linked %d of %d",
		s.Precision(), s.Recall(), s.Labelled, s.Found, s.Correct, s.Detected,
		s.PersonPrecision(), s.PersonRecall(), s.PersonsLabelled, s.PersonsFound, s.TrapsLinked, s.Traps)
}

// Evaluate runs Find with the built-in table over a labelled JSONL set and
// scores detection and linking. miss, when not nil, is called for each
// wrong, missed or trapped mention, for a test to log.
func Evaluate(g *Gazetteer, r io.Reader, miss func(doc, kind, surface, id string)) (Score, error) {
	var s Score
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	var buf []Mention
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var d LabelledDoc
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			return s, fmt.Errorf("line %d: %w", line, err)
		}
		t := d.Text
		var err error
		if buf, err = g.FindInto(buf, t, Options{Builtin: true}); err != nil {
			return s, fmt.Errorf("line %d: %w", line, err)
		}
		type key struct{ start, end int }
		span := func(a, b int) key {
			if hasArticle(t, a) && a+len("the ") < b {
				a += len("the ")
			}
			return key{a, b}
		}
		gold := map[key]string{}
		for _, m := range d.Mentions {
			if m.Start < 0 || m.End > len(t) || m.Start >= m.End {
				return s, fmt.Errorf("line %d: mention [%d,%d) outside the text", line, m.Start, m.End)
			}
			gold[span(m.Start, m.End)] = m.Entity
			s.Labelled++
			if strings.HasPrefix(m.Entity, "person:") {
				s.PersonsLabelled++
			}
		}
		found := map[key]string{}
		for _, m := range buf {
			k := span(m.Start, m.End)
			found[k] = m.Entity.ID
			s.Found++
			person := m.Entity.Type == TypePerson
			if person {
				s.PersonsFound++
			}
			id, ok := gold[k]
			if ok {
				s.Detected++
			}
			if ok && id == m.Entity.ID {
				s.Correct++
				if person {
					s.PersonsCorrect++
				}
			} else if miss != nil {
				miss(d.ID, "wrong", t[m.Start:m.End], m.Entity.ID)
			}
		}
		if miss != nil {
			for k, id := range gold {
				if found[k] != id {
					miss(d.ID, "missed", t[k.start:k.end], id)
				}
			}
		}
		for _, tr := range d.Traps {
			s.Traps++
			for _, m := range buf {
				if m.Start < tr.End && m.End > tr.Start && m.Entity.ID == tr.Not {
					s.TrapsLinked++
					if miss != nil {
						miss(d.ID, "trap", t[tr.Start:tr.End], tr.Not)
					}
					break
				}
			}
		}
	}
	return s, sc.Err()
}
