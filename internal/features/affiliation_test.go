package features

import (
	"strings"
	"testing"
)

func TestAffiliationBetween(t *testing.T) {
	for _, tc := range []struct {
		text, a, b string
		want       Affiliation
	}{
		{"Kerik, a former commissioner of the New York police, was convicted.", "Kerik", "New York police", AffiliatedBy},
		{"Ahmed al-Assadi, a spokesman for the PMF, spoke.", "Ahmed al-Assadi", "PMF", AffiliatedBy},
		{"Friedler, formerly the president and chief executive officer of Symplicity, pled guilty.", "Friedler", "Symplicity", AffiliatedBy},
		{"Hatice Cengiz, fiancée of journalist Jamal Khashoggi, spoke.", "Hatice Cengiz", "Jamal Khashoggi", AffiliatedBy},
		{"Arnel dela Vega of the army spoke.", "Arnel dela Vega", "army", AffiliatedOf},
		{"Argentina's National Congress voted.", "Argentina", "National Congress", AffiliatedOwned},
		// Order does not matter.
		{"Argentina's National Congress voted.", "National Congress", "Argentina", AffiliatedOwned},
		{"Maria Santos, a senior adviser to the IMF, criticised Argentina.", "Maria Santos", "IMF", AffiliatedBy},
		{"Ali Bagheri, Iran's deputy foreign minister, met Josep Borrell.", "Ali Bagheri", "Iran", AffiliatedBy},
		{"Ali Bagheri, Iran's deputy foreign minister, met Josep Borrell.", "Iran", "Josep Borrell", NotAffiliated},
		{"Ali Bagheri, Iran's deputy foreign minister, met Josep Borrell.", "Iran's deputy", "Ali Bagheri", AffiliatedBy},
		// A verb, a clause or another preposition in between is no title.
		{"Pedro Sánchez, at odds with Morocco, recalled his envoy.", "Pedro Sánchez", "Morocco", NotAffiliated},
		{"Ali Bagheri, Iran's negotiator who met Borrell, left.", "Ali Bagheri", "Iran", NotAffiliated},
		{"Barr, in contempt of Congress, refused.", "Barr", "Congress", NotAffiliated},
		{"The United States, which retreated from its goal of ousting Assad, said so.", "United States", "Assad", NotAffiliated},
		{"Republicans, who voted for Pelosi, left.", "Republicans", "Pelosi", NotAffiliated},
		{"Iran accused Israel of sabotage.", "Iran", "Israel", NotAffiliated},
		{"NATO's expansion worries Russia.", "NATO", "Russia", NotAffiliated},
	} {
		d, _ := prepared(t, tc.text)
		span := func(name string) Target {
			off := strings.Index(tc.text, name)
			first := d.TokenAt(off)
			end := d.TokenAt(off + len(name) - 1)
			return Target{First: first, End: end + 1}
		}
		if got := AffiliationBetween(d, span(tc.a), span(tc.b)); got != tc.want {
			t.Errorf("%q, %q and %q: %d, want %d", tc.text, tc.a, tc.b, got, tc.want)
		}
	}
}
