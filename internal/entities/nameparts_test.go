package entities

import (
	"fmt"
	"slices"
	"strings"
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

// BenchmarkFindNamePartsWorst finds 64 person targets of eight words in a
// 1 MB text that has every word of them but none of the names: the most a
// request can ask of the name-part look-up.
func BenchmarkFindNamePartsWorst(b *testing.B) {
	words := []string{"Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir", "Ginkgo", "Hazel"}
	var text strings.Builder
	for text.Len() < 1<<20 {
		for _, w := range words {
			text.WriteString(w)
			text.WriteString(" said so. ")
		}
	}
	var ts []Target
	for i := range 64 {
		name := make([]string, len(words))
		for j := range words {
			name[j] = words[(i+j*3)%len(words)]
		}
		ts = append(ts, Target{ID: fmt.Sprint("t", i), Name: strings.Join(name, " "), Type: TypePerson})
	}
	// Untyped, the same targets are looked for as written only: the cost
	// of the look-up is the difference.
	untyped := slices.Clone(ts)
	for i := range untyped {
		untyped[i].Type = TypeUnspecified
	}
	g := Default()
	for _, c := range []struct {
		name string
		ts   []Target
	}{{"people", ts}, {"untyped", untyped}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(text.Len()))
			for b.Loop() {
				if _, err := g.Find(text.String(), Options{Targets: c.ts}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
