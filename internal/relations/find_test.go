package relations

import (
	"slices"
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/model"
	"github.com/stance/classifierd/internal/sharedtest"
)

// findAll finds the generic actors of every sentence of d, with the
// mentions targets of entities ents.
func findAll(d *features.Document, targets []features.Target, ents []entities.Entity) []Generic {
	want := make([]bool, len(d.Sentences))
	for i := range want {
		want[i] = true
	}
	var c features.Context
	c.Reset(d, nil)
	return FindGeneric(nil, &c, want, targets, ents)
}

// TestFindGeneric finds generic actors: linked to the state mention right
// before them, standalone ones on their own, and a spokesman's title
// ("the ministry") left out when no state is named.
func TestFindGeneric(t *testing.T) {
	tok, err := features.NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	text := "Iraqi police fired on protesters near the ministry, and Iran's government said troops were ready."
	d := tok.Tokenize(text)
	span := func(s string) features.Target {
		for i := range d.Tokens {
			if d.Surface(i) == s {
				return features.Target{First: i, End: i + 1}
			}
		}
		t.Fatalf("no token %q", s)
		return features.Target{}
	}
	targets := []features.Target{span("Iraqi"), span("Iran")}
	ents := []entities.Entity{{ID: "IRQ", Name: "Iraq", Type: entities.TypeCountry}, {ID: "IRN", Name: "Iran", Type: entities.TypeCountry}}
	got := findAll(d, targets, ents)
	type found struct{ text, id, country string }
	var gotF []found
	for _, g := range got {
		gotF = append(gotF, found{text[d.Tokens[g.First].Start:d.Tokens[g.End-1].End], g.Entity.ID, g.Entity.Country})
	}
	wantF := []found{
		{"Iraqi police", "generic:police", "IRQ"},
		{"protesters", "generic:protesters", ""},
		{"Iran's government", "generic:government", "IRN"},
		{"troops", "generic:military", ""},
	}
	if len(gotF) != len(wantF) {
		t.Fatalf("found %v, want %v", gotF, wantF)
	}
	for i := range wantF {
		if gotF[i] != wantF[i] {
			t.Errorf("actor %d = %v, want %v", i, gotF[i], wantF[i])
		}
	}
}

// TestFindGenericOwnerAfter: a state named after a generic phrase owns
// it ("police in Kenya", "troops from Chad", "the army of Sudan") where
// the preposition says so: "in" a country, not for troops (deployed
// there), an embassy (another state's) or an organisation; not a state
// that owns what follows it ("Russia's ally", "Kenya police"), opens a
// list, or whose troops are moved; a counted phrase stays no actor.
func TestFindGenericOwnerAfter(t *testing.T) {
	tok, err := features.NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	ents := map[string]entities.Entity{
		"Kenya": {ID: "KEN", Type: entities.TypeCountry}, "Chad": {ID: "TCD", Type: entities.TypeCountry},
		"Sudan": {ID: "SDN", Type: entities.TypeCountry}, "Iraq": {ID: "IRQ", Type: entities.TypeCountry},
		"Hamas": {ID: "HAMAS", Type: entities.TypeGroup}, "NATO": {ID: "NATO", Type: entities.TypeOrganization},
		"Russia": {ID: "RUS", Type: entities.TypeCountry}, "Uganda": {ID: "UGA", Type: entities.TypeCountry},
	}
	type found struct{ text, country string }
	for _, c := range []struct {
		text string
		want []found
	}{
		{"Police in Kenya arrested migrants.", []found{{"Police in Kenya", "KEN"}}},
		{"Troops from Chad attacked the town.", []found{{"Troops from Chad", "TCD"}}},
		{"The army of the Sudan clashed with fighters of Hamas.", []found{{"army of the Sudan", "SDN"}, {"fighters of Hamas", "HAMAS"}}},
		{"Troops in Iraq were attacked.", []found{{"Troops", ""}}},
		{"Officials in NATO met.", nil},
		{"Two soldiers from Chad died.", nil},
		{"Police from Russia's ally Chad came.", []found{{"Police", ""}}},
		{"Police in Kenya and Uganda arrested migrants.", []found{{"Police", ""}}},
		{"Officials from Kenya police spoke.", []found{{"Kenya police", "KEN"}}},
		{"Russia pulled troops from Chad.", nil},
		{"Protesters stormed the embassy in Kenya.", []found{{"Protesters", ""}}},
	} {
		d := tok.Tokenize(c.text)
		var targets []features.Target
		var es []entities.Entity
		for i := range d.Tokens {
			if e, ok := ents[d.Surface(i)]; ok {
				targets = append(targets, features.Target{First: i, End: i + 1})
				es = append(es, e)
			}
		}
		var got []found
		for _, g := range findAll(d, targets, es) {
			got = append(got, found{c.text[d.Tokens[g.First].Start:d.Tokens[g.End-1].End], g.Entity.Country})
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: found %v, want %v", c.text, got, c.want)
		}
	}
}

// TestFindGenericContext: a generic phrase without a state is an actor
// only where the words around it make it one. Owned ("its troops"),
// counted or moved ("two soldiers", "massed troops") and modifying
// ("military drills", "a police station") phrases are not; a name ("the
// Arakan Army"), a noun for people after it ("military commanders") and a verb
// ("the army retook") keep it.
func TestFindGenericContext(t *testing.T) {
	tok, err := features.NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		text string
		want []string
	}{
		{"The military said rebels attacked a convoy.", []string{"military", "rebels"}},
		{"Military commanders met the rebels.", []string{"Military", "rebels"}},
		{"The army retook the town from the Arakan Army.", []string{"army", "Army"}},
		{"Gunmen shot two soldiers and torched a police station.", []string{"Gunmen"}},
		{"The ministry said its troops had repelled the militants.", []string{"militants"}},
		{"It massed troops and held joint military drills near government buildings.", nil},
		{"Fresh troops arrived as 3,000 soldiers left.", nil},
		{"They attacked the People's Army.", []string{"Army"}},
		// The opposition as a body acts on its own; its leader is a title.
		{"Police arrested opposition leaders after the government banned the opposition party.", []string{"Police", "opposition leaders", "government", "opposition party"}},
		{"Opposition leader Kizza Besigye was arrested.", nil},
		// "joined forces" is an idiom, not armed forces.
		{"Rebels joined forces with the militias, and government forces retreated.", []string{"Rebels", "militias", "government forces"}},
	} {
		d := tok.Tokenize(c.text)
		var got []string
		for _, g := range findAll(d, nil, nil) {
			got = append(got, c.text[d.Tokens[g.First].Start:d.Tokens[g.End-1].End])
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%q: found %q, want %q", c.text, got, c.want)
		}
	}
}

// TestFindGenericSkipsUnwanted: sentences not asked for are not read.
func TestFindGenericSkipsUnwanted(t *testing.T) {
	tok, err := features.NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	d := tok.Tokenize("Police arrested rebels. Troops left.")
	var c features.Context
	c.Reset(d, nil)
	if got := FindGeneric(nil, &c, make([]bool, len(d.Sentences)), nil, nil); len(got) != 0 {
		t.Errorf("found %d actors in sentences not wanted", len(got))
	}
}

func TestDecide(t *testing.T) {
	const e = 0.02
	th := float32(Floor)
	for _, tc := range []struct {
		p    [model.NumLabels]float32
		want model.Label
	}{
		{[model.NumLabels]float32{0.6, 0.1, 0.3}, model.Hostile},
		{[model.NumLabels]float32{0.1, 0.6, 0.3}, model.Cooperative},
		// At the threshold, whether or not it is the argmax.
		{[model.NumLabels]float32{th + e, 0, 1 - th - e}, model.Hostile},
		{[model.NumLabels]float32{0, th + e, 1 - th - e}, model.Cooperative},
		// The more probable polar label, but under the threshold.
		{[model.NumLabels]float32{th - e, th - 2*e, 1 - 2*th + 3*e}, model.Neutral},
		{[model.NumLabels]float32{0.2, 0.2, 0.6}, model.Neutral},
	} {
		if got := Decide(tc.p); got != tc.want {
			t.Errorf("Decide(%v) = %v, want %v", tc.p, got, tc.want)
		}
	}
}

// TestFindGenericMarks: reading only the tokens that the word marks allow
// finds what reading every word finds, over the news corpus with all its
// sentences wanted, and the marks are there to read.
func TestFindGenericMarks(t *testing.T) {
	tok, err := features.NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	gaz := entities.Default()
	var c features.Context
	found := 0
	for _, text := range sharedtest.News(t) {
		d := tok.Tokenize(text)
		ms, err := gaz.Find(text, entities.Options{Builtin: true})
		if err != nil {
			t.Fatal(err)
		}
		var targets []features.Target
		var ents []entities.Entity
		for _, m := range ms {
			first := d.TokenAt(m.Start)
			end := max(d.TokenAt(m.End-1)+1, first+1)
			if n := len(targets); n > 0 && first < targets[n-1].First {
				continue
			}
			targets = append(targets, features.Target{First: first, End: end, Type: uint8(m.Entity.Type)})
			ents = append(ents, m.Entity)
		}
		want := make([]bool, len(d.Sentences))
		for i := range want {
			want[i] = true
		}
		c.Reset(d, nil)
		if _, ok := c.SentenceMarks(0); !ok {
			t.Fatal("the tokenizer's words are not marked")
		}
		all := findGeneric(nil, &c, want, targets, ents, false)
		marked := findGeneric(nil, &c, want, targets, ents, true)
		if !slices.Equal(all, marked) {
			t.Fatalf("in %.60q: %v reading every word, %v reading the marked ones", text, all, marked)
		}
		found += len(all)
	}
	if found < 500 {
		t.Errorf("%d generic actors in the corpus", found)
	}
}
