package features

import (
	"testing"

	"github.com/stance/classifierd/internal/lexicon"
)

// TestCoordinatedPredicate: a verb after "and", "but", "yet" or "while",
// across at most two auxiliaries or adverbs, opens a predicate with no
// subject of its own; a verb after a party has one.
func TestCoordinatedPredicate(t *testing.T) {
	for _, tc := range []struct {
		text, verb string
		want       string // the coordinator's surface, "" for none
	}{
		{"Argentina thanked Brazil but criticised Chile.", "criticised", "but"},
		{"Russia thanked Turkey and accused Ukraine.", "accused", "and"},
		{"China met Russia on Monday and later criticised Japan.", "criticised", "and"},
		{"Egypt backed Sudan but did not condemn Chad.", "condemn", "but"},
		{"Venezuela accused Guyana while courting Russia.", "courting", "while"},
		{"Russia thanked Turkey and has already threatened Ukraine.", "threatened", "and"},
		{"Russia and China criticised Japan.", "criticised", ""},
		{"Russia thanked Turkey and Ukraine accused Poland.", "accused", ""},
		// After "and", a present form could be a noun ("and attacks on").
		{"Russia thanked Turkey and condemns Ukraine.", "condemns", ""},
		// After "while", only a form in -ing.
		{"Cuba protested while Washington accused Havana.", "accused", ""},
	} {
		d, _ := prepared(t, tc.text)
		v := -1
		for i := range d.Tokens {
			if d.Surface(i) == tc.verb {
				v = i
			}
		}
		got := ""
		if k := coordinatedPredicate(d, d.Sentences[0], v); k >= 0 {
			got = d.Surface(k)
		}
		if got != tc.want {
			t.Errorf("%q: coordinator of %q is %q, want %q", tc.text, tc.verb, got, tc.want)
		}
	}
}

// TestPairRoleSharedSubject: the subject of a coordinated predicate is
// the one before the first verb, not the first verb's object, and a party
// of the later predicate is not the earlier verb's object.
func TestPairRoleSharedSubject(t *testing.T) {
	checkRoles(t, []roleCase{
		{"Argentina thanked Brazil but criticised Chile.", "criticised", []string{"Argentina", "Brazil", "Chile"}, []Role{RoleSubject, RoleNear, RoleObject}},
		{"Argentina thanked Brazil but criticised Chile.", "thanked", []string{"Argentina", "Brazil", "Chile"}, []Role{RoleSubject, RoleObject, RoleNear}},
		{"Russia thanked Turkey for its mediation and accused Ukraine.", "accused", []string{"Russia", "Turkey", "Ukraine"}, []Role{RoleSubject, RoleNear, RoleObject}},
		{"Japan and Korea welcomed India but criticised China.", "criticised", []string{"Japan", "Korea", "India", "China"}, []Role{RoleSubject, RoleSubject, RoleNear, RoleObject}},
		{"Venezuela accuses Guyana of plundering the disputed region while praising Russia.", "praising", []string{"Venezuela", "Guyana", "Russia"}, []Role{RoleSubject, RoleNear, RoleObject}},
		// The inner subject of reported speech holds both of its verbs.
		{"Iran said Russia attacked Ukraine and threatened Poland.", "threatened", []string{"Iran", "Russia", "Ukraine", "Poland"}, []Role{RoleNear, RoleSubject, RoleNear, RoleObject}},
		// Two verbs of one object, and a coordinated passive, as before.
		{"Russia attacked and accused Ukraine.", "attacked", []string{"Russia", "Ukraine"}, []Role{RoleSubject, RoleObject}},
		{"Iran was criticised and accused by NATO.", "accused", []string{"Iran", "NATO"}, []Role{RoleObject, RoleSubject}},
		// The first participle's agent is not the second's object.
		{"The deal was welcomed by Egypt and criticised by Ethiopia.", "criticised", []string{"Egypt", "Ethiopia"}, []Role{RoleNear, RoleSubject}},
		{"The deal was welcomed by Egypt and criticised by Ethiopia.", "welcomed", []string{"Egypt", "Ethiopia"}, []Role{RoleSubject, RoleNear}},
		// The subject is the one a verb follows, past an aside and with
		// what it owns: not an object, a noun cue or a name in "-ed".
		{"Russia condemned US strikes but praised China.", "praised", []string{"Russia", "US", "China"}, []Role{RoleSubject, RoleNear, RoleObject}},
		{"Iran, which Russia backs, accused Israel but threatened Washington.", "threatened", []string{"Iran", "Russia", "Israel", "Washington"}, []Role{RoleSubject, RoleNear, RoleNear, RoleObject}},
		{"Russia's foreign minister thanked Turkey but criticised Ukraine.", "criticised", []string{"Russia", "Turkey", "Ukraine"}, []Role{RoleSubject, RoleNear, RoleObject}},
		{"Trump met Netanyahu and Mohammed bin Salman.", "met", []string{"Trump", "Netanyahu", "Mohammed"}, []Role{RoleSubject, RoleObject, RoleObject}},
		{"Japan last week praised India but criticised China.", "criticised", []string{"Japan", "India", "China"}, []Role{RoleSubject, RoleNear, RoleObject}},
		{"Russia on Monday thanked Turkey and accused Ukraine.", "accused", []string{"Russia", "Turkey", "Ukraine"}, []Role{RoleSubject, RoleNear, RoleObject}},
		// Not across a clause boundary.
		{"Argentina thanked Brazil; Peru's envoy came and criticised Chile.", "criticised", []string{"Argentina", "Brazil", "Peru", "Chile"}, []Role{RoleNear, RoleNear, RoleSubject, RoleObject}},
		// A new subject after "and" is no shared one.
		{"Russia thanked Turkey and Ukraine accused Poland.", "accused", []string{"Russia", "Turkey", "Ukraine", "Poland"}, []Role{RoleNear, RoleNear, RoleSubject, RoleObject}},
	}, pairRole)
}

// TestPairableAcrossPredicate: "but" and "while" end a clause, except
// toward the subject that the predicate they open shares, whatever other
// parties the sentence has.
func TestPairableAcrossPredicate(t *testing.T) {
	tok := mustTokenizer(t)
	idx := NewCueIndex(lexicon.Default())
	var s Scratch
	for _, tc := range []struct {
		text    string
		parties []string
		h, t    int
		want    bool
	}{
		{"Argentina thanked Brazil but criticised Chile.", []string{"Argentina", "Brazil", "Chile"}, 0, 2, true},
		{"Argentina thanked Brazil but criticised Chile.", []string{"Argentina", "Brazil", "Chile"}, 1, 2, false},
		{"Argentina thanked Brazil but criticised Chile.", []string{"Argentina", "Brazil", "Chile"}, 2, 0, true},
		{"Venezuela accuses Guyana of plundering the region while courting Russia.", []string{"Venezuela", "Guyana", "Russia"}, 0, 2, true},
		{"Venezuela accuses Guyana of plundering the region while courting Russia.", []string{"Venezuela", "Guyana", "Russia"}, 1, 2, false},
		{"Russia condemned US strikes but praised China.", []string{"Russia", "US", "China"}, 0, 2, true},
		{"Russia condemned US strikes but praised China.", []string{"Russia", "US", "China"}, 1, 2, false},
		{"Iran, which Russia backs, accused Israel but threatened Washington.", []string{"Iran", "Russia", "Israel", "Washington"}, 0, 3, true},
		{"Iran, which Russia backs, accused Israel but threatened Washington.", []string{"Iran", "Russia", "Israel", "Washington"}, 1, 3, false},
		{"Russia's foreign minister thanked Turkey but criticised Ukraine.", []string{"Russia", "Turkey", "Ukraine"}, 0, 2, true},
		// A question, and a name, open no shared predicate.
		{"Russia attacked Ukraine, but will NATO defend Kyiv?", []string{"Russia", "Ukraine", "NATO"}, 0, 2, false},
		{"Russia praised China but United States officials criticised Beijing.", []string{"Russia", "China", "United", "Beijing"}, 0, 3, false},
		// A new subject after the boundary.
		{"Cuba blamed Spain, while Washington accused Havana.", []string{"Cuba", "Spain", "Washington", "Havana"}, 0, 3, false},
	} {
		d := tok.Tokenize(tc.text)
		c := &Context{}
		c.Reset(d, idx.Match(nil, d, &s))
		ts := targetsOf(t, d, tc.parties...)
		if got := c.Pairable(ts, tc.h, tc.t); got != tc.want {
			t.Errorf("%q: %s, %s pairable %v, want %v", tc.text, tc.parties[tc.h], tc.parties[tc.t], got, tc.want)
		}
		// The other parties change nothing: an unknown name must not
		// decide whether two known parties are paired.
		two := []Target{ts[min(tc.h, tc.t)], ts[max(tc.h, tc.t)]}
		if got := c.Pairable(two, 0, 1); got != tc.want {
			t.Errorf("%q: %s, %s alone pairable %v, want %v", tc.text, tc.parties[tc.h], tc.parties[tc.t], got, tc.want)
		}
	}
}
