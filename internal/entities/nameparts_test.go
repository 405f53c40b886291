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
		// The given names before a caller's name are no person of their
		// own ("Andres Manuel" before the target "Lopez Obrador").
		name:   "given names before a caller's name",
		target: Target{ID: "doc", Name: "Lopez Obrador"},
		text:   "Andres Manuel Lopez Obrador criticized the United States on Monday.",
		want:   []hit{{"Lopez Obrador", "doc", SourceCaller}, {"United States", "USA", SourceGazetteer}},
	}, {
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

// BenchmarkFindNamePartsWorst finds 64 person targets of eight words each,
// no word shared, in a 1 MB text that has every word of them but none of
// the names: the most a request can ask of the name-part look-up.
func BenchmarkFindNamePartsWorst(b *testing.B) {
	word := func(i, j int) string { return fmt.Sprintf("Q%cx%c", 'a'+rune(i%26), 'a'+rune((i/26)*8+j)) }
	var text strings.Builder
	for text.Len() < 1<<20 {
		for i := range 64 {
			for j := range 8 {
				text.WriteString(word(i, j))
				text.WriteString(" said so. ")
			}
		}
	}
	var ts []Target
	for i := range 64 {
		name := make([]string, 8)
		for j := range name {
			name[j] = word(i, j)
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

// TestFindTargetNamePartsKeepOthers: a part of a person's name does not
// take what names someone or something else.
func TestFindTargetNamePartsKeepOthers(t *testing.T) {
	person := func(id, name string) Target { return Target{ID: id, Name: name, Type: TypePerson} }
	for _, tc := range []struct {
		name    string
		targets []Target
		text    string
		want    []hit
	}{{
		name:    "a state of the same name stays the state",
		targets: []Target{person("doc", "Israel Epstein")},
		text:    "Israel struck Gaza. Iran condemned Israel.",
		want:    []hit{{"Israel", "ISR", SourceGazetteer}, {"Gaza", "GAZA", SourceGazetteer}, {"Iran", "IRN", SourceGazetteer}, {"Israel", "ISR", SourceGazetteer}},
	}, {
		name:    "a given name of other people",
		targets: []Target{person("doc", "Ali Larijani")},
		text:    "Ayatollah Ali Khamenei met Foreign Minister Ali Bagheri.",
		want:    []hit{{"Ali Khamenei", "person:ali-khamenei", SourceGazetteer}, {"Ali Bagheri", "person:ali-bagheri", SourceTitle}},
	}, {
		name:    "a caller's name inside a titled name is a shared given name",
		targets: []Target{person("doc", "Mohammad Reza")},
		text:    "Foreign Minister Mohammad Reza Ashtiani met Iraq's minister.",
		want:    []hit{{"Mohammad Reza Ashtiani", "person:mohammad-reza-ashtiani", SourceTitle}, {"Iraq", "IRQ", SourceGazetteer}},
	}, {
		name:    "no run of small words",
		targets: []Target{person("doc", "Jean de la Fontaine")},
		text:    "The Musee de la Marine opened.",
		want:    []hit{},
	}, {
		name:    "a word of two missing names is neither's",
		targets: []Target{person("paul", "Paul Ryan"), person("tim", "Tim Ryan")},
		text:    "Ryan attacked the bill. Tim said no.",
		want:    []hit{{"Tim", "tim", SourceCaller}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			ms, err := Default().Find(tc.text, Options{Builtin: true, Targets: tc.targets})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, hits(tc.text, ms)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
