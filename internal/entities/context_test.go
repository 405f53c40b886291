package entities

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestContextRules covers each rule of context.go with a case it must
// link and a case it must leave alone.
func TestContextRules(t *testing.T) {
	g := Default()
	G, N, R := SourceGazetteer, SourceName, SourceShortRef
	tests := []struct {
		name, text string
		want       []hit
	}{
		{"capital as government", "Washington said it would respond, and Moscow rejected the plan.", []hit{
			{"Washington", "USA", G}, {"Moscow", "RUS", G}}},
		{"capital as a place after a place noun", "They stayed at a hotel in Moscow.", nil},
		{"embassy in a capital", "She wrote to the US Embassy in London.", []hit{{"US", "USA", G}}},
		{"travel to a capital", "The minister was flying to Tehran on Monday.", nil},
		{"in a capital, then a date", "A concert in London on Saturday drew crowds.", nil},
		// "Abu" is a given name the table's people bear: a capital left
		// out as a place is no person's name either.
		{"capital of two words as a place", "Leaders met in Abu Dhabi on Monday.", nil},
		{"officials in a capital speak for the state", "Officials in Tehran rejected it.", []hit{{"Tehran", "IRN", G}}},
		{"ambassador to a capital", "He was ambassador to Moscow for years.", []hit{{"Moscow", "RUS", G}}},
		{"capital's policy", "Aid shaped policy in Tehran's view.", []hit{{"Tehran", "IRN", G}}},
		{"dateline with agency", "WASHINGTON (AP) — The vote passed.", nil},
		{"city and region", "He died in Paris, France, on Friday.", []hit{{"France", "FRA", G}}},
		{"city and district", "Protests spread in Washington, D.C. on Sunday.", nil},
		{"list of capitals is governments", "Messages from Tehran, Yerevan, Baku, and Moscow agreed.", []hit{
			{"Tehran", "IRN", G}, {"Yerevan", "ARM", G}, {"Baku", "AZE", G}, {"Moscow", "RUS", G}}},
		{"mayor of a capital", "The mayor of London spoke.", nil},
		{"capital as a modifier of a noun", "A Kabul car bombing killed five near a London restaurant.", nil},
		{"capital as the subject of a verb", "Athens expelled the ambassador, and Beijing knows it.", []hit{
			{"Athens", "GRC", G}, {"Beijing", "CHN", G}}},
		{"capital as the target of a retort", "Beijing hit back at Washington, and Moscow took aim at London.", []hit{
			{"Beijing", "CHN", G}, {"Washington", "USA", G}, {"Moscow", "RUS", G}, {"London", "GBR", G}}},
		{"capital as the target of the longest retort", "Beijing is hitting back at Washington over tariffs.", []hit{
			{"Beijing", "CHN", G}, {"Washington", "USA", G}}},
		{"capital after at as a place", "The talks at Geneva ended.", nil},
		{"capital after at after other words as a place", "Fighting broke out at Tripoli, and she was back at London.", nil},
		{"capital before a noun", "The Paris bid for the Olympics won.", nil},
		{"capital as the subject of an irregular past", "Sanctions on Caracas hurt, and Kyiv shot down drones.", []hit{
			{"Caracas", "VEN", G}, {"Kyiv", "UKR", G}}},
		{"pro-capital camp", "The pro-Beijing camp lost seats.", []hit{{"Beijing", "CHN", G}}},
		{"from one city to another", "He was airlifted from Omsk to Berlin.", nil},
		{"district and city", "He was born in Lewisham, London, in 1939.", nil},
		{"state at the end of an organisation's name", "The Unity Party of America and the Bank of America met.", nil},
		{"titled person of a state", "King Abdullah of Jordan met Jordanian troops.", []hit{{"Jordan", "JOR", G}, {"Jordanian", "JOR", G}}},
		{"titled person of a state, two names", "President Kwame Boateng of Ghana and Nikos Papas of Greece met.", []hit{
			{"Kwame Boateng", "person:kwame-boateng", SourceTitle}, {"Ghana", "GHA", G}, {"Nikos Papas", "person:nikos-papas", N}, {"Greece", "GRC", G}}},
		{"plural title before a list of names", "Presidents Kwame Boateng and Maria Kab met.", []hit{
			{"Kwame Boateng", "person:kwame-boateng", SourceTitle}, {"Maria Kab", "person:maria-kab", N}}},
		{"state organ of a state", "The Government of India agreed.", []hit{{"India", "IND", G}}},
		{"demonym before a noun", "British waters and American voters.", []hit{{"British", "GBR", G}, {"American", "USA", G}}},
		{"university named after a capital", "Researchers at University College London and the University of Washington agreed.", nil},
		{"state inside a team or paper name", "The Ottawa Senators beat USA TODAY and The Canadian Press.", nil},
		{"state after a title is a character", "Fans dressed as Captain America.", nil},
		{"first name that is a state", "Chad Smith and Jordan Fisher sang.", nil},
		{"surname that is a capital", "The actor Denzel Washington smiled.", nil},
		{"capital after a known first name", "A statue of George Washington stood there.", []hit{{"George Washington", "person:george-washington", N}}},
		{"state before an organ word", "The United States Constitution and the Iraq War.", []hit{
			{"United States", "USA", G}, {"Iraq", "IRQ", G}}},
		{"demonym before an organ", "The Russian Navy and the Iranian Foreign Ministry replied.", []hit{
			{"Russian", "RUS", G}, {"Iranian", "IRN", G}}},
		{"US state without support", "Senator David Perdue of Georgia voted.", []hit{{"David Perdue", "person:david-perdue", SourceTitle}}},
		{"country listed beside another", "Ukraine and Georgia want to join.", []hit{{"Ukraine", "UKR", G}, {"Georgia", "GEO", G}}},
		{"country beside another state in its sentence", "Jordan condemned Israel. Georgia voted.", []hit{{"Jordan", "JOR", G}, {"Israel", "ISR", G}}},
		{"two states that need support", "Jordan moved to Georgia last year.", nil},
		{"state opening a company's name after a person", "Maria Kab of Ghana Airways spoke.", []hit{{"Maria Kab", "person:maria-kab", N}}},
		{"country beside the United States only", "The United States watched the results in Georgia.", []hit{{"United States", "USA", G}}},
		{"country supported by its capital", "Georgia protested; Tbilisi recalled its envoy.", []hit{{"Georgia", "GEO", G}, {"Tbilisi", "GEO", G}}},
		{"namesake of a famous surname", "The author Sam Harris spoke.", []hit{{"Sam Harris", "person:sam-harris", N}}},
		{"relative of a leader", "The first lady, Melania Trump, waved.", []hit{{"Melania Trump", "person:melania-trump", N}}},
		{"surname after a title", "Vice President Harris met Senator Kerry.", []hit{
			{"Harris", "person:kamala-harris", G}, {"Kerry", "person:john-kerry", G}}},
		{"first name alone is someone else", "Actress Hillary Swank won.", []hit{{"Hillary Swank", "person:hillary-swank", N}}},
		{"surname before a place word", "Harris County voted.", nil},
		{"namesake's surname alone later", "The author Sam Harris spoke. Harris said more.", []hit{
			{"Sam Harris", "person:sam-harris", N}, {"Harris", "person:sam-harris", R}}},
		{"first name among the words before", "Sayyid Ali Hosseini Khamenei spoke.", []hit{{"Khamenei", "person:ali-khamenei", G}}},
		{"title path keeps the known person", "President Bashar al-Assad spoke.", []hit{{"Bashar al-Assad", "person:bashar-al-assad", G}}},
		{"the West", "Russia and the West traded blame over the West Bank.", []hit{
			{"Russia", "RUS", G}, {"West", "WEST", G}, {"West Bank", "WEST-BANK", G}}},
		{"Western powers, not pro-Western", "Western powers backed pro-Western governments.", []hit{{"Western powers", "WEST", G}}},
		{"the alliance refers back", "NATO met in Brussels. The alliance agreed.", []hit{
			{"NATO", "NATO", G}, {"Brussels", "EU", G}, {"alliance", "NATO", R}}},
		{"the bloc refers back", "ASEAN leaders met; the bloc agreed.", []hit{{"ASEAN", "ASEAN", G}, {"bloc", "ASEAN", R}}},
		{"an alliance named nowhere", "The alliance agreed.", nil},
		{"mis-encoded possessive", "Iran\u00e2\u0080\u0099s envoy and Iran\u00e2\u20ac\u2122s minister left.", []hit{
			{"Iran", "IRN", G}, {"Iran", "IRN", G}}},
		// People without a title, by a given name the table's people bear.
		{"given name and surname", "Nikos Dendias met the press. Dendias said more.", []hit{
			{"Nikos Dendias", "person:nikos-dendias", N}, {"Dendias", "person:nikos-dendias", R}}},
		{"hyphenated given name", "Jean-Pierre Mbala met Hans-Peter Kohl.", []hit{
			{"Jean-Pierre Mbala", "person:jean-pierre-mbala", N}, {"Hans-Peter Kohl", "person:hans-peter-kohl", N}}},
		{"hyphenated company name", "Mercedes-Benz Group AG said it would leave.", nil},
		{"given name opening an institution", "She studied at John Hopkins University.", nil},
		{"given name that is a month", "May Day parades were held.", nil},
		{"given name after a capitalised word", "They stayed at the Hotel Maria Regina.", nil},
		{"place opened by an article", "He crossed at El Paso on Sunday.", nil},
		// Appositions that close as one, with or without an article.
		{"apposition with a complement", "Bruno Parrilla, the foreign affairs minister of Cuba, responded.", []hit{
			{"Bruno Parrilla", "person:bruno-parrilla", SourceTitle}, {"Cuba", "CUB", G}}},
		{"apposition without an article", "Kerri Kupec, spokeswoman for the department, objected.", []hit{
			{"Kerri Kupec", "person:kerri-kupec", SourceTitle}}},
		{"a title as subject is no apposition", "In New York, the mayor said the city would recover.", nil},
		{"apposition with a, after a preposition inside the sentence", "It was confirmed to Omar Haddad, a spokesman for the council.", []hit{
			{"Omar Haddad", "person:omar-haddad", SourceTitle}}},
		{"an apposition closes", "Pine Ridge, the mayor said, was flooded.", nil},
		// A name one title's reading took too wide, another's narrows:
		// its id is the name's.
		{"narrowed titled name", "He met the mayor, President Maria Kab said.", []hit{
			{"Maria Kab", "person:maria-kab", SourceTitle}}},
		{"lower-case title", "UN rapporteur Agnes Callamard said. Callamard added.", []hit{
			{"UN", "UN", G}, {"Agnes Callamard", "person:agnes-callamard", SourceTitle}, {"Callamard", "person:agnes-callamard", R}}},
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

// TestPersonOfState checks that "Name of State" gives the person the
// state, by title and by given name alike, and a body after "of the".
func TestPersonOfState(t *testing.T) {
	g := Default()
	for _, tt := range []struct{ text, person, country string }{
		{"President Kwame Boateng of Ghana spoke.", "Kwame Boateng", "GHA"},
		{"Nikos Papas of Greece spoke.", "Nikos Papas", "GRC"},
		{"Director Maria Kab of the IAEA spoke.", "Maria Kab", "IAEA"},
		{"Nikos Papas of Bank of Greece spoke.", "Nikos Papas", ""},
	} {
		ms, err := g.Find(tt.text, Options{Builtin: true})
		if err != nil {
			t.Fatal(err)
		}
		got := "(not found)"
		for _, m := range ms {
			if tt.text[m.Start:m.End] == tt.person {
				got = m.Entity.Country
			}
		}
		if got != tt.country {
			t.Errorf("%q: %s's country %q, want %q", tt.text, tt.person, got, tt.country)
		}
	}
}
