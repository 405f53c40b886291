package entities

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stance/classifierd/internal/entities/data"
)

// hit is a mention reduced to surface, id and source for table tests.
type hit struct {
	Surface, ID string
	Source      Source
}

func hits(text string, ms []Mention) []hit {
	out := make([]hit, 0, len(ms))
	for _, m := range ms {
		out = append(out, hit{text[m.Start:m.End], m.Entity.ID, m.Source})
	}
	return out
}

func TestFindRules(t *testing.T) {
	g := Default()
	G := SourceGazetteer
	tests := []struct {
		name, text string
		want       []hit
	}{
		{"acronym is case-sensitive", "Officials told us the US would wait.", []hit{{"US", "USA", G}}},
		{"dotted acronym", "The U.S. and the U.K. disagreed.", []hit{{"U.S.", "USA", G}, {"U.K.", "GBR", G}}},
		{"possessive outside the span", "NATO's summit ended.", []hit{{"NATO", "NATO", G}}},
		{"curly possessive", "Iran\u2019s envoy left.", []hit{{"Iran", "IRN", G}}},
		{"hyphenated prefix", "An anti-NATO rally formed.", []hit{{"NATO", "NATO", G}}},
		{"hyphenated pair", "Iranian-Russian ties grew.", []hit{{"Iranian", "IRN", G}, {"Russian", "RUS", G}}},
		{"plural demonym", "Many Iranians voted.", []hit{{"Iranians", "IRN", G}}},
		{"longest match wins", "The North Atlantic Treaty Organization met.", []hit{{"North Atlantic Treaty Organization", "NATO", G}}},
		{"never inside a word", "Iranic studies and USAID funding.", nil},
		{"capitalised only for common words", "We ate turkey in Turkey.", []hit{{"Turkey", "TUR", G}}},
		{"metonyms", "The Kremlin answered Washington, and Tehran and Minsk agreed.", []hit{
			{"Kremlin", "RUS", G}, {"Washington", "USA", G}, {"Tehran", "IRN", G}, {"Minsk", "BLR", G}}},
		{"blocked phrase", "The Vienna talks resumed in New Mexico.", nil},
		{"organisations", "The IAEA, the EU and the Shanghai Cooperation Organization (SCO) met.", []hit{
			{"IAEA", "IAEA", G}, {"EU", "EU", G}, {"Shanghai Cooperation Organization", "SCO", G}, {"SCO", "SCO", G}}},
		{"a capital in a dateline is a place", "MOSCOW - Talks began.", nil},
		{"gazetteer leader", "Vladimir Putin spoke; later Putin left.", []hit{
			{"Vladimir Putin", "person:vladimir-putin", G}, {"Putin", "person:vladimir-putin", G}}},
		{"titled unknown person and short reference", "Defense Minister Jan Novak arrived. Novak said little.", []hit{
			{"Jan Novak", "person:jan-novak", SourceTitle}, {"Novak", "person:jan-novak", SourceShortRef}}},
		{"short reference before the full name", "Novak spoke first. Later, Defense Minister Jan Novak left.", []hit{
			{"Novak", "person:jan-novak", SourceShortRef}, {"Jan Novak", "person:jan-novak", SourceTitle}}},
		{"title chain", "Brigadier General Karim Rahimi and Brig. Gen. Rahimi.", []hit{
			{"Karim Rahimi", "person:karim-rahimi", SourceTitle}, {"Rahimi", "person:karim-rahimi", SourceShortRef}}},
		{"title with comma", "The spokesperson, Lina Farouk, denied it.", []hit{{"Lina Farouk", "person:lina-farouk", SourceTitle}}},
		{"appositive", "Omar Haddad, the former Syrian ambassador, spoke.", []hit{
			{"Omar Haddad", "person:omar-haddad", SourceTitle}, {"Syrian", "SYR", G}}},
		{"lone word after title in a headline", "President Warns against Delay", nil},
		{"no person from an institution", "The UN General Assembly voted.", []hit{{"UN General Assembly", "UN", G}}},
		{"variant spelling widened to known person", "President Ibrahim Raisi spoke.", []hit{{"Ibrahim Raisi", "person:ebrahim-raisi", G}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := g.Find(tt.text, Options{Builtin: true})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, hits(tt.text, ms)); diff != "" && !(len(tt.want) == 0 && len(ms) == 0) {
				t.Errorf("Find(%q) (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestFindCountryLink(t *testing.T) {
	g := Default()
	tests := []struct{ text, person, country string }{
		{"Iran's Defense Minister Karim Rahimi spoke.", "Karim Rahimi", "IRN"},
		{"Iran\u2019s Defense Minister Karim Rahimi spoke.", "Karim Rahimi", "IRN"},
		{"Iranian President Karim Rahimi spoke.", "Karim Rahimi", "IRN"},
		{"Russian Foreign Minister Ivan Petrovsky spoke.", "Ivan Petrovsky", "RUS"},
		{"NATO Secretary General Lars Holm spoke.", "Lars Holm", "NATO"},
		{"Chief of Staff Ana Ruiz spoke.", "Ana Ruiz", ""},
		{"Ana Ruiz, the Secretary of the Armenian Security Council, spoke.", "Ana Ruiz", "ARM"},
	}
	for _, tt := range tests {
		ms, err := g.Find(tt.text, Options{Builtin: true})
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(ms, func(m Mention) bool { return tt.text[m.Start:m.End] == tt.person })
		if i < 0 {
			t.Errorf("%q: person %q not found in %v", tt.text, tt.person, hits(tt.text, ms))
			continue
		}
		if e := ms[i].Entity; e.Type != TypePerson || e.Country != tt.country {
			t.Errorf("%q: %s type %v country %q, want PERSON %q", tt.text, tt.person, e.Type, e.Country, tt.country)
		}
	}
}

func TestFindTargets(t *testing.T) {
	g := Default()
	text := "Acme Corp and the Atlantic Alliance met in Iran; ACME said so."
	ms, err := g.Find(text, Options{Builtin: true, Targets: []Target{
		{Name: "Acme Corp", Aliases: []string{"ACME"}, Type: TypeOrganization},
		{ID: "alliance", Name: "Atlantic Alliance"}, // overlaps the built-in NATO alias and wins
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := []hit{
		{"Acme Corp", "target:acme-corp", SourceCaller},
		{"Atlantic Alliance", "alliance", SourceCaller},
		{"Iran", "IRN", SourceGazetteer},
		{"ACME", "target:acme-corp", SourceCaller},
	}
	if diff := cmp.Diff(want, hits(text, ms)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Targets only: built-ins are off.
	ms, err = g.Find("acme and Acme Corp in Iran", Options{Targets: []Target{{Name: "Acme Corp", Aliases: []string{"ACME"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := hits("acme and Acme Corp in Iran", ms); len(got) != 1 || got[0].Surface != "Acme Corp" {
		t.Errorf("targets only: got %v", got)
	}
}

// FindInto over a buffer left full by another text gives what Find gives.
func TestFindIntoReusesBuffer(t *testing.T) {
	g := Default()
	texts := []string{
		"President Ebrahim Raisi of Iran met NATO, the IAEA, Russia, Belarus, China and the United States in Tehran.",
		"Iran and Russia signed a pact.",
		"Nothing named here.",
		"Acme Corp and Iran.",
	}
	opts := Options{Builtin: true, Targets: []Target{{Name: "Acme Corp"}}}
	var buf []Mention
	for range 2 {
		for _, text := range texts {
			want, err := g.Find(text, opts)
			if err != nil {
				t.Fatal(err)
			}
			got, err := g.FindInto(buf, text, opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%q: FindInto differs from Find (-want +got):\n%s", text, diff)
			}
			buf = got
		}
	}
}

func TestFindBadTargets(t *testing.T) {
	_, err := Default().Find("x", Options{Targets: []Target{{Name: "ok"}, {Name: " "}, {Name: "x", Aliases: []string{"y", ""}}}})
	if !errors.Is(err, ErrInvalidTarget) {
		t.Fatalf("err = %v, want ErrInvalidTarget", err)
	}
	var te *TargetError
	if !errors.As(err, &te) || te.Index != 1 || te.Field != "name" {
		t.Errorf("first TargetError = %+v, want index 1 field name", te)
	}
	if !strings.Contains(err.Error(), "target 2: aliases[1]: empty") {
		t.Errorf("error %q does not report the empty alias", err)
	}
}

func TestGroupMentions(t *testing.T) {
	text := "Iran rejected NATO claims. Later, NATO and Iran talked. Iran again."
	ms, err := Default().Find(text, Options{Builtin: true})
	if err != nil {
		t.Fatal(err)
	}
	gs := GroupMentions(text, ms)
	if len(gs) != 2 || gs[0].Entity.ID != "IRN" || gs[1].Entity.ID != "NATO" {
		t.Fatalf("groups = %+v", gs)
	}
	if !slices.Equal(gs[0].Mentions, []int{0, 3, 4}) {
		t.Errorf("IRN mentions = %v", gs[0].Mentions)
	}
	sum := gs[0].Salience + gs[1].Salience
	if sum < 0.999999 || sum > 1.000001 || gs[0].Salience <= gs[1].Salience {
		t.Errorf("salience = %v, %v: want sum 1 and Iran first", gs[0].Salience, gs[1].Salience)
	}
	if GroupMentions(text, nil) != nil {
		t.Error("no mentions: want nil")
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	table := "E\tX\tNOPE\t\tX\nA\tY\tfoo\nT\t\nQ\tz\nE\tP\tPERSON\tZZZ\tP\n"
	_, err := Load(strings.NewReader(table))
	if err == nil {
		t.Fatal("Load accepted a broken table")
	}
	for _, want := range []string{"unknown type", "unknown entity Y", "title row", "unknown row kind", "unknown country ZZZ"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestDefault(t *testing.T) {
	g := Default()
	if g != Default() {
		t.Error("Default built twice")
	}
	if g.Entities() < 1000 || g.Aliases() < g.Entities() {
		t.Errorf("Entities %d, Aliases %d: table looks truncated", g.Entities(), g.Aliases())
	}
	for _, s := range []string{"Iran", "NATO", "IAEA", "Vladimir Putin", "Hezbollah", "Crimea", "ROK", "KSA"} {
		ms, _ := g.Find(s, Options{Builtin: true})
		if len(ms) != 1 {
			t.Errorf("%q not in the gazetteer", s)
		}
	}
}

// onBoundary reports whether p falls between two characters as a UTF-8
// decoder walking from the start sees them (invalid bytes count as one
// character each).
func onBoundary(text string, p int) bool {
	i := 0
	for i < p {
		_, n := utf8.DecodeRuneInString(text[i:])
		i += n
	}
	return i == p
}

// checkInvariants verifies what every Find result promises.
func checkInvariants(t *testing.T, text string, ms []Mention) {
	t.Helper()
	last := 0
	for i, m := range ms {
		if m.Start < 0 || m.End > len(text) || m.Start >= m.End {
			t.Fatalf("mention %d [%d,%d) out of range for len %d", i, m.Start, m.End, len(text))
		}
		if m.Start < last {
			t.Fatalf("mention %d [%d,%d) overlaps or is out of order (previous end %d)", i, m.Start, m.End, last)
		}
		if !onBoundary(text, m.Start) || !onBoundary(text, m.End) {
			t.Fatalf("mention %d [%d,%d) splits a character", i, m.Start, m.End)
		}
		if m.Entity.ID == "" {
			t.Fatalf("mention %d has no entity id", i)
		}
		last = m.End
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{
		"Iran's Defense Minister Brigadier General Mohammad Reza Ashtiani met NATO's chief.",
		"Omar Haddad, the former Syrian ambassador, spoke. Haddad left.",
		"US us U.S. anti-NATO Iranians Iran\u2019s",
		"President Warns", "\xff\xfeNATO\x00", "Mr. ", ", the former ",
		"WASHINGTON (AP) \u2014 a hotel in Moscow, Paris, France. NATO met; the alliance agreed.",
		"Sam Harris and Denzel Washington of Georgia. Iran\u00e2\u0080\u0099s the West",
		"the alliance", "Tehran,", "of America", " the West", "Harris",
		"Bashar pro- the ,  Moscow Harris Chad ", // a namesake that once reached back over a mention
	} {
		f.Add(s, "Acme")
	}
	g := Default()
	f.Fuzz(func(t *testing.T, text, target string) {
		opts := Options{Builtin: true}
		if strings.TrimSpace(target) != "" && utf8.ValidString(target) {
			opts.Targets = []Target{{Name: target}}
		}
		ms, err := g.Find(text, opts)
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, text, ms)
		again, _ := g.Find(text, opts)
		if !slices.Equal(ms, again) {
			t.Fatal("Find is not deterministic")
		}
		var total float64
		for _, gr := range GroupMentions(text, ms) {
			total += gr.Salience
		}
		if len(ms) > 0 && (total < 0.999999 || total > 1.000001) {
			t.Fatalf("salience sums to %v", total)
		}
	})
}

// seedTexts reads the seed articles, skipping the benchmark when absent.
func seedTexts(b *testing.B) []string {
	dir := sharedDir(b, "seeds")
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		b.Skip("no seed articles")
	}
	var texts []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, string(raw))
	}
	return texts
}

func BenchmarkFind(b *testing.B) {
	texts := seedTexts(b)
	g := Default()
	n := 0
	for _, t := range texts {
		n += len(t)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range texts {
			if _, err := g.Find(t, Options{Builtin: true}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkFindWithTargets(b *testing.B) {
	texts := seedTexts(b)
	g := Default()
	n := 0
	for _, t := range texts {
		n += len(t)
	}
	opts := Options{Builtin: true, Targets: []Target{{Name: "Ebrahim Raisi", Aliases: []string{"Raisi"}}, {Name: "NATO"}}}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range texts {
			if _, err := g.Find(t, opts); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkGroupMentions(b *testing.B) {
	texts := seedTexts(b)
	g := Default()
	ms := make([][]Mention, len(texts))
	for i, t := range texts {
		ms[i], _ = g.Find(t, Options{Builtin: true})
	}
	b.ReportAllocs()
	for b.Loop() {
		for i, t := range texts {
			GroupMentions(t, ms[i])
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	raw, err := io.ReadAll(data.Gazetteer())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(bytes.NewReader(raw)); err != nil {
			b.Fatal(err)
		}
	}
}

// GroupMentions gives what a plain map-based grouping gives, with few
// entities (linear search) and with many (the map), and so does a Grouper
// that grouped other mentions before.
func TestGroupMentionsMatchesMapGrouping(t *testing.T) {
	text := strings.Repeat("x", 400) + ". " + strings.Repeat("y", 400)
	var gr Grouper // reused across the cases, as a workspace reuses it
	for _, distinct := range []int{40, 1, 5, 17, 16, 2} {
		var ms []Mention
		for i := range 3 * distinct {
			id := fmt.Sprintf("E%d", (i*7)%distinct)
			ms = append(ms, Mention{Start: 10 * i, End: 10*i + 3, Entity: Entity{ID: id, Name: id}})
		}
		got := GroupMentions(text, ms)
		// The reference: group through a map, in order of first mention.
		index := map[string]int{}
		var want []Group
		total := 0.0
		lead := leadEnd(text)
		for i, m := range ms {
			gi, ok := index[m.Entity.ID]
			if !ok {
				gi = len(want)
				index[m.Entity.ID] = gi
				want = append(want, Group{Entity: m.Entity})
			}
			w := weightMention
			if m.Start < lead {
				w += weightLead
			}
			w += weightEarly * (1 - float64(m.Start)/float64(len(text)))
			want[gi].Mentions = append(want[gi].Mentions, i)
			want[gi].Salience += w
			total += w
		}
		for i := range want {
			want[i].Salience /= total
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%d entities (-want +got):\n%s", distinct, diff)
		}
		if diff := cmp.Diff(want, gr.Group(text, ms)); diff != "" {
			t.Errorf("%d entities, reused Grouper (-want +got):\n%s", distinct, diff)
		}
	}
}

// TestLeftOut: Options.LeftOut receives the places and blocked phrases
// that Find matched and left out, in order, and nothing that it kept.
func TestLeftOut(t *testing.T) {
	g := Default()
	text := "The mayor of London met Iran's envoy before the Vienna talks."
	var left []Mention
	ms, err := g.Find(text, Options{Builtin: true, LeftOut: &left})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range left {
		got = append(got, text[m.Start:m.End])
	}
	if want := []string{"London", "Vienna talks"}; !slices.Equal(got, want) {
		t.Errorf("left out %q, want %q, in this order", got, want)
	}
	if len(ms) != 1 || text[ms[0].Start:ms[0].End] != "Iran" {
		t.Errorf("mentions %v, want Iran alone", ms)
	}
}
