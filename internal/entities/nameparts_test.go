package entities

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A person target that the text never names as the caller wrote it is
// found where the text names it by a part of that name.
func TestFindTargetNameParts(t *testing.T) {
	person := func(name string) Target { return Target{ID: "doc", Name: name, Type: TypePerson} }
	for _, tc := range []struct {
		name   string
		target Target
		text   string
		want   []hit
	}{{
		name:   "given name alone",
		target: person("Thaksin Shinawatra"),
		text:   "Thaksin left Bangkok. Opponents of Thaksin marched.",
		want:   []hit{{"Thaksin", "doc", SourceCaller}, {"Bangkok", "THA", SourceGazetteer}, {"Thaksin", "doc", SourceCaller}},
	}, {
		name:   "the longest run the text has",
		target: person("Tim Ryan Smith"),
		text:   "Tim Ryan spoke. Ryan said Tim Ryan would run.",
		want:   []hit{{"Tim Ryan", "doc", SourceCaller}, {"Ryan", "doc", SourceShortRef}, {"Tim Ryan", "doc", SourceCaller}},
	}, {
		name:   "the word the text has most",
		target: person("Stilp Gene"),
		text:   "Stilp burns a flag. Gene Simmons sings. Stilp said so.",
		want:   []hit{{"Stilp", "doc", SourceCaller}, {"Stilp", "doc", SourceCaller}},
	}, {
		name:   "no common word, however capitalised",
		target: person("Nigel You"),
		text:   "You may know Nigel. Nigel was a gannet, and you could see him.",
		want:   []hit{{"Nigel", "doc", SourceCaller}, {"Nigel", "doc", SourceCaller}},
	}, {
		name:   "no weekday",
		target: person("Jane Roe Tuesday"),
		text:   "On Tuesday the court met.",
		want:   []hit{},
	}, {
		name:   "named in full and by surname: the surname is the short reference",
		target: person("Benjamin Koellmann"),
		text:   "Benjamin Koellmann bought a flat. Benjamin said Koellmann would stay.",
		want:   []hit{{"Benjamin Koellmann", "doc", SourceCaller}, {"Koellmann", "doc", SourceShortRef}},
	}, {
		name:   "not a person: the name as written only",
		target: Target{ID: "doc", Name: "Acme Corporation"},
		text:   "Acme said so.",
		want:   []hit{},
	}, {
		name:   "a title before the caller's name does not take it",
		target: person("Tim Ryan Tuesday"),
		text:   "Democratic Rep. Tim Ryan Tuesday said the party needs new leaders.",
		want:   []hit{{"Tim Ryan Tuesday", "doc", SourceCaller}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			ms, err := Default().Find(tc.text, Options{Builtin: true, Targets: []Target{tc.target}})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, hits(tc.text, ms)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
