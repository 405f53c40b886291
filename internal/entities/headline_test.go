package entities

import (
	"slices"
	"testing"
)

func TestHeadlineCase(t *testing.T) {
	for line, want := range map[string]bool{
		"Iran Warns NATO Over Expansion Toward the East": true,
		"RUSSIA AND CHINA SIGN ENERGY DEAL":              true,
		"Pope Francis to Address Rohingya Crisis":        true,
		"Iran warns NATO over expansion":                 false,
		"The Washington Nationals won the World Series.": false, // "won": a sentence
		"Iran Warns":     false, // too short to tell
		"US-China Talks": false,
	} {
		if got := headlineCase(line); got != want {
			t.Errorf("headlineCase(%q) = %v, want %v", line, got, want)
		}
	}
}

// In a headline every word is capitalised, and a state beside a
// capitalised word is still the state, unless the body writes the two
// words together as a name.
func TestFindInHeadlines(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string // entity ids, in order
	}{
		{"Iran Warns NATO Over Expansion\nThe foreign ministry spoke on Monday.", []string{"IRN", "NATO"}},
		{"RUSSIA AND CHINA SIGN ENERGY DEAL\nThe deal runs for 30 years.", []string{"RUS", "CHN"}},
		{"Hugo Chavez Slams United States at UN\nThe speech was long.", []string{"person:hugo-chavez", "USA", "UN"}},
		// The body names the person: the headline's state form is his
		// surname.
		{"Denzel Washington Wins Oscar for Best Actor\nThe actor Denzel Washington thanked the academy.", nil},
		// A title's name ends at a known person, who is no part of it.
		{"President Biden Calls Putin\nThe White House said the call lasted an hour.", []string{"person:joe-biden", "person:vladimir-putin", "USA"}},
		// A byline is names; a name the body uses alone is a name.
		{"By Chad Bray\nShares fell on Monday.", nil},
		{"Jordan Peterson Says Canada Is Broken\nThe psychologist spoke, and Peterson said more.", []string{"CAN"}},
		// Only the first lines can be headlines.
		{"Markets were calm.\nTraders waited.\nIran Warns NATO Over Expansion", []string{"NATO"}},
	} {
		ms, err := Default().Find(tc.text, Options{Builtin: true})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range ms {
			got = append(got, m.Entity.ID)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Find(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
