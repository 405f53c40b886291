package classifier

import (
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/entities"
)

func TestMutualParty(t *testing.T) {
	// Each case marks mentions with [..]; want lists which are one party of a pair.
	tests := []struct {
		text string
		want []bool
	}{
		{"after the escalation of the [Ukraine]-[Russia] crisis", []bool{true, true}},
		{"along the [Armenia]–[Azerbaijan] border", []bool{true, true}},
		{"tensions between [Iran] and [NATO] grew", []bool{true, true}},
		{"[Iran] and [NATO] met", []bool{false, false}},
		{"the [Soviet]-led [Warsaw Pact]", []bool{false, false}},
		{"a gap between [Iran] and the [EU]", []bool{false, false}},
		{"[Russia]-[Russia] relations", []bool{false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			var text strings.Builder
			var ms []entities.Mention
			for i := 0; i < len(tt.text); i++ {
				switch tt.text[i] {
				case '[':
					ms = append(ms, entities.Mention{Start: text.Len()})
				case ']':
					m := &ms[len(ms)-1]
					m.End = text.Len()
					name := text.String()[m.Start:m.End]
					m.Entity = entities.Entity{ID: name, Name: name}
				default:
					text.WriteByte(tt.text[i])
				}
			}
			for i, want := range tt.want {
				if got := mutualParty(text.String(), ms, i); got != want {
					t.Errorf("mention %d (%s): mutualParty = %v, want %v", i, ms[i].Entity.Name, got, want)
				}
			}
		})
	}
}

// TestMutualPartyOverlap: mentions that overlap (a caller's target inside
// a built-in name) do not crash the check, and a pair still counts.
func TestMutualPartyOverlap(t *testing.T) {
	text := "talks between Iran and Iraq on the Islamic Republic of Iran"
	ms := []entities.Mention{
		{Start: 14, End: 18, Entity: entities.Entity{ID: "IRN"}},
		{Start: 23, End: 27, Entity: entities.Entity{ID: "IRQ"}},
		{Start: 35, End: 59, Entity: entities.Entity{ID: "IRN"}},
		{Start: 39, End: 59, Entity: entities.Entity{ID: "doc:IR"}},
	}
	for i := range ms {
		mutualParty(text, ms, i) // must not panic
	}
	if !mutualParty(text, ms, 1) {
		t.Error(`Iraq in "between Iran and Iraq" is not one party of a pair`)
	}
}
