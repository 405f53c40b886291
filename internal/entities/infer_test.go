package entities

import (
	"slices"
	"testing"
)

// A target the caller left untyped gets the type the service can tell:
// the table's for its name, a person's where a title stands before it or
// the text refers to it by its last word; otherwise it stays untyped.
func TestUntypedTargetsTyped(t *testing.T) {
	for _, tc := range []struct {
		name    string
		target  Target
		text    string
		builtin bool
		want    Type
		// more are the forms, beyond the name, found as the target
		more []string
	}{
		{name: "a state the table knows", target: Target{Name: "Iran"}, text: "Iran warned NATO on Monday.", builtin: true, want: TypeCountry},
		{name: "an alliance the table knows", target: Target{Name: "NATO"}, text: "NATO warned Iran on Monday.", builtin: true, want: TypeOrganization},
		{name: "known by an alias", target: Target{Name: "the Islamic Republic", Aliases: []string{"Iran"}}, text: "Iran warned NATO.", builtin: true, want: TypeCountry},
		{name: "the table without its mentions", target: Target{Name: "Iran"}, text: "Iran warned NATO on Monday.", want: TypeCountry},
		{name: "a title before the name", target: Target{Name: "Koellmann"}, text: "Mr. Koellmann spoke on Monday.", builtin: true, want: TypePerson},
		{name: "a title in the name", target: Target{Name: "Pope Francis"}, text: "Pope Francis prayed for peace.", builtin: true, want: TypePerson},
		{
			name: "the last word alone, and a pronoun", target: Target{Name: "Harvey Weinstein"}, builtin: true, want: TypePerson,
			text: "Harvey Weinstein was charged on Monday. Weinstein said he would fight.",
			more: []string{"Weinstein"},
		},
		{
			name: "the last word as the caller's alias", target: Target{Name: "Guy Seemann", Aliases: []string{"Seemann"}}, builtin: true, want: TypePerson,
			text: "Guy Seemann runs a survey. Seemann, who asks one question, says he is curious.",
			more: []string{"Seemann"},
		},
		{name: "a last word that says nothing", target: Target{Name: "Manchester United"}, text: "Manchester United lost. United fans booed, and he left.", builtin: true},
		{name: "an alias that says nothing", target: Target{Name: "Tottenham Hotspur", Aliases: []string{"Hotspur"}}, text: "Tottenham Hotspur won. Hotspur fans sang as he scored.", builtin: true},
		{name: "a title word in a company's name", target: Target{Name: "General Motors"}, text: "General Motors cut 500 jobs. He blamed China.", builtin: true},
		{name: "no pronoun anywhere", target: Target{Name: "Red Hawk"}, text: "Red Hawk won the final. Hawk fans cheered.", builtin: true},
		{name: "a last word the table knows", target: Target{Name: "Little Havana"}, text: "Little Havana held a festival. The band lives in Havana, he said.", builtin: true},
		{name: "an institution's word", target: Target{Name: "Acme Bank"}, text: "Acme Bank fell. Bank shares, he said, slid.", builtin: true},
		{name: "nothing to tell", target: Target{Name: "Zbogar"}, text: "Zbogar was nominated on Monday.", builtin: true},
		{name: "the caller's type stands", target: Target{Name: "Iran", Type: TypeOrganization}, text: "Iran warned NATO.", builtin: true, want: TypeOrganization},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.target.ID = "x"
			ms, err := Default().Find(tc.text, Options{Builtin: tc.builtin, Targets: []Target{tc.target}})
			if err != nil {
				t.Fatal(err)
			}
			var forms []string
			for _, m := range ms {
				if m.Entity.ID != "x" {
					continue
				}
				forms = append(forms, tc.text[m.Start:m.End])
				if m.Entity.Type != tc.want {
					t.Errorf("%q is %v, want %v", tc.text[m.Start:m.End], m.Entity.Type, tc.want)
				}
			}
			if len(forms) == 0 {
				t.Fatalf("target not found in %q", tc.text)
			}
			for _, f := range tc.more {
				if !slices.Contains(forms[1:], f) {
					t.Errorf("found %q as the target, want %q too", forms, f)
				}
			}
		})
	}
}

// Training asks for the targets as given: an untyped target stays so.
func TestTypesAsGiven(t *testing.T) {
	ms, err := Default().Find("Mr. Koellmann met Iran's envoy.", Options{Builtin: true, TypesAsGiven: true,
		Targets: []Target{{ID: "a", Name: "Iran"}, {ID: "b", Name: "Koellmann"}}})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range ms {
		if m.Source == SourceCaller {
			n++
			if m.Entity.Type != TypeUnspecified {
				t.Errorf("%s is %v, want it untyped", m.Entity.Name, m.Entity.Type)
			}
		}
	}
	if n != 2 {
		t.Errorf("found %d caller mentions, want 2: %+v", n, ms)
	}
}
