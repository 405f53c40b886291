package features

import (
	"math/rand/v2"
	"slices"
	"testing"
	"unicode"

	"github.com/stance/classifierd/internal/lexicon"
	"github.com/stance/classifierd/internal/sharedtest"
)

// TestExtractPairCache checks that ExtractPair's per-party cache changes
// nothing: pairs taken in a shuffled order from one Context, with three
// party lists interleaved (so entries go stale), give the features that a
// fresh Context gives each pair on its own, in the same order.
// (The golden of TestDumpOutputs in internal/classifier holds the
// features as they were before the cache.)
func TestExtractPairCache(t *testing.T) {
	tok := mustTokenizer(t)
	idx := NewCueIndex(lexicon.Default())
	e := NewExtractor(20)
	rng := rand.New(rand.NewPCG(1, 2))
	var s Scratch
	pairs := 0
	for _, text := range sharedtest.News(t) {
		d := tok.Tokenize(text)
		cues := idx.Match(nil, d, &s)
		// Two party lists: every capitalized word, and every other one
		// with some two-word parties.
		var all, some []Target
		for i := range d.Tokens {
			w := []rune(d.Surface(i))
			if len(w) == 0 || !unicode.IsUpper(w[0]) {
				continue
			}
			all = append(all, Target{First: i, End: i + 1})
			if len(all)%2 == 0 {
				end := i + 1
				if end < len(d.Tokens) && rng.IntN(2) == 0 {
					end++
				}
				if len(some) == 0 || some[len(some)-1].End <= i {
					some = append(some, Target{First: i, End: end})
				}
			}
		}
		// And all less a few: the party before each one dropped keeps
		// its index and its previous neighbour but not its next.
		var fewer []Target
		for i, x := range all {
			if i%5 != 3 {
				fewer = append(fewer, x)
			}
		}
		type job struct {
			targets []Target
			h, t    int
		}
		var jobs []job
		var pairing Context
		pairing.Reset(d, cues)
		for _, ts := range [][]Target{all, some, fewer} {
			for h := range ts {
				for k := max(0, h-16); k < min(len(ts), h+16); k++ {
					if k == h {
						continue
					}
					// A few pairs across sentences too: ExtractPair reads
					// the target in the holder's sentence.
					if pairing.Pairable(ts, h, k) || rng.IntN(20) == 0 {
						jobs = append(jobs, job{ts, h, k})
					}
				}
			}
		}
		rng.Shuffle(len(jobs), func(i, j int) { jobs[i], jobs[j] = jobs[j], jobs[i] })
		stances := make([][2]float32, len(all))
		for i := range stances {
			stances[i] = [2]float32{rng.Float32(), rng.Float32()}
		}
		var shared, fresh Context
		shared.Reset(d, cues)
		for _, j := range jobs {
			got := e.ExtractPair(nil, &shared, j.targets, stances, j.h, j.t)
			fresh.Reset(d, cues)
			want := e.ExtractPair(nil, &fresh, j.targets, stances, j.h, j.t)
			if len(got) != len(want) {
				t.Fatalf("pair %v-%v: %d features, fresh %d", j.targets[j.h], j.targets[j.t], len(got), len(want))
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("pair %v-%v feature %d: %+v, fresh %+v", j.targets[j.h], j.targets[j.t], i, got[i], want[i])
				}
			}
			pairs++
		}
	}
	if pairs < 1000 {
		t.Fatalf("only %d pairs", pairs)
	}
}

// TestSameFeatures: where SameFeatures says that a target gets the same
// features in two target lists, Extract gives it the same features, over
// the corpus with party lists as TestExtractPairCache makes them (every
// capitalized word, some of them, two-word ones) compared pairwise; and it
// says so for targets whose neighbours differ, not only for the same
// neighbours, and not for all of them.
func TestSameFeatures(t *testing.T) {
	tok := mustTokenizer(t)
	idx := NewCueIndex(lexicon.Default())
	e := NewExtractor(20)
	rng := rand.New(rand.NewPCG(3, 4))
	var s Scratch
	var c Context
	same, differ := 0, 0
	for _, text := range sharedtest.News(t) {
		d := tok.Tokenize(text)
		c.Reset(d, idx.Match(nil, d, &s))
		var all, some, wide []Target
		for i := range d.Tokens {
			w := []rune(d.Surface(i))
			if len(w) == 0 || !unicode.IsUpper(w[0]) {
				continue
			}
			all = append(all, Target{First: i, End: i + 1})
			if rng.IntN(3) != 0 {
				some = append(some, Target{First: i, End: i + 1})
			}
			// A few targets two words long, which may take in a cue or
			// stand between a target and one.
			if n := len(wide); (n == 0 || wide[n-1].End <= i) && i+2 <= len(d.Tokens) {
				wide = append(wide, Target{First: i, End: i + 1 + rng.IntN(2)})
			}
		}
		lists := [][]Target{all, some, wide}
		for x := range lists {
			for y := range lists {
				if x == y {
					continue
				}
				a, b := lists[x], lists[y]
				for i := range a {
					j, found := slices.BinarySearchFunc(b, a[i].First, func(t Target, first int) int { return t.First - first })
					if !found || !c.SameFeatures(a, i, b, j) {
						continue
					}
					fa := e.Extract(nil, &c, a, i)
					fb := e.Extract(nil, &c, b, j)
					if !slices.Equal(fa, fb) {
						t.Fatalf("%v among %v and among %v: SameFeatures, but features %v and %v", a[i], a[max(0, i-1):min(len(a), i+2)], b[max(0, j-1):min(len(b), j+2)], fa, fb)
					}
					if i > 0 && j > 0 && a[i-1] != b[j-1] || i+1 < len(a) && j+1 < len(b) && a[i+1] != b[j+1] {
						differ++
					} else {
						same++
					}
				}
			}
		}
	}
	if same < 1000 || differ < 1000 {
		t.Fatalf("SameFeatures held for %d targets with the same neighbours, %d with others", same, differ)
	}
}

// TestExtractPairs: ExtractPairs gives each direction of a pair the
// features ExtractPair gives it, over the corpus with every capitalized
// word a party (some two words long), from one Context as the relation
// stage uses it, and for pairs across sentences too.
func TestExtractPairs(t *testing.T) {
	tok := mustTokenizer(t)
	idx := NewCueIndex(lexicon.Default())
	e := NewExtractor(20)
	rng := rand.New(rand.NewPCG(5, 6))
	var s Scratch
	pairs := 0
	for _, text := range sharedtest.News(t) {
		d := tok.Tokenize(text)
		cues := idx.Match(nil, d, &s)
		var ts []Target
		for i := range d.Tokens {
			w := []rune(d.Surface(i))
			if len(w) == 0 || !unicode.IsUpper(w[0]) || len(ts) > 0 && ts[len(ts)-1].End > i {
				continue
			}
			end := i + 1
			if end < len(d.Tokens) && rng.IntN(4) == 0 {
				end++
			}
			ts = append(ts, Target{First: i, End: end})
		}
		stances := make([][2]float32, len(ts))
		for i := range stances {
			stances[i] = [2]float32{rng.Float32(), rng.Float32()}
		}
		var shared, fresh Context
		shared.Reset(d, cues)
		for h := range ts {
			for k := h + 1; k < min(len(ts), h+16); k++ {
				if !shared.Pairable(ts, h, k) && rng.IntN(20) != 0 {
					continue
				}
				ht, th := e.ExtractPairs(nil, nil, &shared, ts, stances, h, k)
				fresh.Reset(d, cues)
				wantHT := e.ExtractPair(nil, &fresh, ts, stances, h, k)
				fresh.Reset(d, cues)
				wantTH := e.ExtractPair(nil, &fresh, ts, stances, k, h)
				if !slices.Equal(ht, wantHT) || !slices.Equal(th, wantTH) {
					t.Fatalf("pair %v-%v: ExtractPairs gave\n%v\n%v\nExtractPair\n%v\n%v", ts[h], ts[k], ht, th, wantHT, wantTH)
				}
				pairs++
			}
		}
	}
	if pairs < 1000 {
		t.Fatalf("only %d pairs", pairs)
	}
}

// TestSpeechNear: where speechNear finds no speech word, isSpeaker and
// ownsSpeaker find none either, for every capitalized word and two-word
// span of the corpus; and it rules most of them out.
func TestSpeechNear(t *testing.T) {
	tok := mustTokenizer(t)
	var c Context
	ruledOut, speakers := 0, 0
	for _, text := range sharedtest.News(t) {
		d := tok.Tokenize(text)
		c.Reset(d, nil)
		for si, sent := range d.Sentences {
			for i := sent.First; i < sent.End; i++ {
				w := []rune(d.Surface(i))
				if len(w) == 0 || !unicode.IsUpper(w[0]) {
					continue
				}
				for end := i + 1; end <= min(i+2, sent.End); end++ {
					tg := Target{First: i, End: end}
					speaks, owns := isSpeaker(d, sent, tg), ownsSpeaker(d, sent, tg)
					if speaks || owns {
						speakers++
					}
					if c.speechNear(si, tg) {
						continue
					}
					ruledOut++
					if speaks || owns {
						t.Fatalf("%q in %.80q: no speech word near, but isSpeaker %v, ownsSpeaker %v", d.Surface(i), text, speaks, owns)
					}
				}
			}
		}
	}
	if speakers < 100 || ruledOut < 10*speakers {
		t.Fatalf("%d speakers, %d targets ruled out", speakers, ruledOut)
	}
}

// pairContext tokenizes text, matches its cues into a Context and returns
// it with the parties holder and target, each the first token of that
// surface.
func pairContext(t *testing.T, tok *Tokenizer, idx *CueIndex, s *Scratch, text, holder, target string) (*Context, []Target) {
	t.Helper()
	d := tok.Tokenize(text)
	c := &Context{}
	c.Reset(d, idx.Match(nil, d, s))
	var ts []Target
	for _, w := range []string{holder, target} {
		for i := range d.Tokens {
			if d.Surface(i) == w {
				ts = append(ts, Target{First: i, End: i + 1})
				break
			}
		}
	}
	if len(ts) != 2 {
		t.Fatalf("%q: parties not found: %v", text, ts)
	}
	return c, ts
}

// TestNegatedOnly: a side's cues count as negated only where every one of
// them within reach of the pair was flipped by a negator, and one was.
func TestNegatedOnly(t *testing.T) {
	tok := mustTokenizer(t)
	idx := NewCueIndex(lexicon.Default())
	var s Scratch
	for _, tc := range []struct {
		text, holder, target string
		coop, hostile        bool // NegatedOnly for each side
	}{
		{"Egypt did not condemn Ethiopia.", "Egypt", "Ethiopia", true, false},
		{"Egypt condemned Ethiopia.", "Egypt", "Ethiopia", false, false},
		{"Egypt did not condemn Ethiopia but praised its restraint.", "Egypt", "Ethiopia", false, false},
		{"Serbia would not recognise Kosovo.", "Serbia", "Kosovo", false, true},
		{"Serbia met Kosovo.", "Serbia", "Kosovo", false, false},
		// Holding back from an act is not doing it.
		{"Egypt refrained from condemning Ethiopia.", "Egypt", "Ethiopia", true, false},
		{"Egypt avoided criticising Ethiopia.", "Egypt", "Ethiopia", true, false},
		{"Egypt declined to condemn Ethiopia.", "Egypt", "Ethiopia", true, false},
		{"Egypt stopped short of condemning Ethiopia.", "Egypt", "Ethiopia", true, false},
	} {
		c, ts := pairContext(t, tok, idx, &s, tc.text, tc.holder, tc.target)
		if got := c.NegatedOnly(ts, 0, 1, false); got != tc.coop {
			t.Errorf("%q: cooperative side negated only: %v, want %v", tc.text, got, tc.coop)
		}
		if got := c.NegatedOnly(ts, 0, 1, true); got != tc.hostile {
			t.Errorf("%q: hostile side negated only: %v, want %v", tc.text, got, tc.hostile)
		}
	}
}

// TestDeniedOnly: a holder's hostile cues are denied only inside a clause
// that its denial opens, before the target; a rejection of the target's
// own words or demands is an act toward it.
func TestDeniedOnly(t *testing.T) {
	tok := mustTokenizer(t)
	idx := NewCueIndex(lexicon.Default())
	var s Scratch
	for _, tc := range []struct {
		text, holder, target string
		want                 bool
	}{
		{"Russia denied it had attacked Ukraine.", "Russia", "Ukraine", true},
		{"China denied that its ships had damaged cables off Taiwan.", "China", "Taiwan", true},
		{"Chad denied bombing villages in Cameroon.", "Chad", "Cameroon", true},
		{"Russia attacked Ukraine.", "Russia", "Ukraine", false},
		{"Russia denied it had attacked Ukraine and accused Kyiv of lying.", "Russia", "Kyiv", false},
		{"Armenia rejected Azerbaijani claims that its forces had attacked first.", "Armenia", "Azerbaijani", false},
		{"Ethiopia rejected Somali demands to scrap the deal.", "Ethiopia", "Somali", false},
		{"Ukraine denied it had attacked Russia.", "Russia", "Ukraine", false}, // the holder is not the denier
	} {
		c, ts := pairContext(t, tok, idx, &s, tc.text, tc.holder, tc.target)
		if got := c.DeniedOnly(ts, 0, 1); got != tc.want {
			t.Errorf("%q, %s -> %s: denied only %v, want %v", tc.text, tc.holder, tc.target, got, tc.want)
		}
	}
}

// TestPairRoleRelationOnly: a relation-only stance noun ("opposition to")
// takes its subject and object as a verb would: the party it is
// attributed to, or the antecedent of the "its" before it, is the
// subject; the party its preposition names, the object. Other nouns keep
// RoleOf's roles, unless a linking verb makes them a predicate
// (TestPairRolePredicateNoun).
func TestPairRoleRelationOnly(t *testing.T) {
	checkRoles(t, []roleCase{
		{"Iran declared its strong opposition to NATO's policies.", "opposition", []string{"Iran", "NATO"}, []Role{RoleSubject, RoleObject}},
		{"Turkey's objection to Sweden's membership stands.", "objection", []string{"Turkey", "Sweden"}, []Role{RoleSubject, RoleObject}},
		{"Iran voiced opposition to the NATO presence.", "opposition", []string{"Iran", "NATO"}, []Role{RoleSubject, RoleObject}},
		// The nearest party before "its" is its antecedent, also where
		// the noun is not attributed to it (RoleOf gives RoleNear here).
		{"Russia said Iran declared its opposition to NATO.", "opposition", []string{"Russia", "Iran", "NATO"}, []Role{RoleNear, RoleSubject, RoleObject}},
		{"Iran, in a statement, declared its opposition to NATO.", "opposition", []string{"Iran", "NATO"}, []Role{RoleSubject, RoleObject}},
		// Not a relation-only cue: RoleOf's attribute stands.
		{"NATO's expansion, a serious threat to Russia, goes on.", "threat", []string{"NATO", "Russia"}, []Role{RoleAttribute, RoleAttribute}},
	}, pairRole)
}

// TestPairRolePredicateNoun: a noun said of its subject by a linking verb
// or "pose", with a preposition after it, takes a verb's roles: its
// subject acts toward the party the preposition names.
func TestPairRolePredicateNoun(t *testing.T) {
	checkRoles(t, []roleCase{
		{"NATO's expansion poses a serious threat to Russia.", "threat", []string{"NATO", "Russia"}, []Role{RoleSubject, RoleObject}},
		{"NATO is a threat to Iran.", "threat", []string{"NATO", "Iran"}, []Role{RoleSubject, RoleObject}},
		{"Belarus remains a close ally of Russia.", "ally", []string{"Belarus", "Russia"}, []Role{RoleSubject, RoleObject}},
		// No linking verb, or no preposition: RoleOf's roles.
		{"The threat to Iran from NATO grew.", "threat", []string{"Iran", "NATO"}, []Role{RoleAttribute, RoleNear}},
	}, pairRole)
}

// TestPossessivePronounAntecedent: "its" before a noun cue is owned by the
// nearest party before it in its sentence, and the pronoun is found
// across an adjective but not across punctuation.
func TestPossessivePronounAntecedent(t *testing.T) {
	d, cues := prepared(t, "Russia said Iran declared its strong opposition to NATO.")
	targets := targetsOf(t, d, "Russia", "Iran", "NATO")
	sent := d.Sentences[0]
	p := possessivePronounBefore(d, sent, cueAt(t, d, cues, "opposition"))
	if p < 0 || d.Surface(p) != "its" {
		t.Fatalf("pronoun at %d, want \"its\"", p)
	}
	for m, want := range []bool{false, true, false} {
		if got := antecedentOf(targets, m, p, sent); got != want {
			t.Errorf("antecedentOf(%s) = %v, want %v", d.Surface(targets[m].First), got, want)
		}
	}
	d, cues = prepared(t, "Iran spoke of its allies, opposition to NATO.")
	if p := possessivePronounBefore(d, d.Sentences[0], cueAt(t, d, cues, "opposition")); p >= 0 {
		t.Errorf("pronoun found at %d across a comma", p)
	}
}

// TestPossessorThroughPronoun: the party an "its" before a stance noun
// refers to gets the possessor feature toward the noun's object, as
// "Iran's opposition to NATO" would give it; without the pronoun it does
// not.
func TestPossessorThroughPronoun(t *testing.T) {
	e := NewExtractor(20)
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"Iran, in a statement, declared its opposition to NATO.", true},
		{"Iran, in a statement, declared opposition to NATO.", false},
	} {
		d, cues := prepared(t, tc.text)
		ts := targetsOf(t, d, "Iran", "NATO")
		var c Context
		c.Reset(d, cues)
		fs := e.ExtractPair(nil, &c, ts, make([][2]float32, len(ts)), 0, 1)
		cue := cueAt(t, d, cues, "opposition")
		pol, _ := polaritySign(cue.Polarity)
		key := e.hash(tPairPossessor<<56 | pol<<40 | uint64(cue.Kind)<<32) // holder first
		found := false
		for _, f := range fs {
			found = found || f.Index == key
		}
		if found != tc.want {
			t.Errorf("%q: Iran -> NATO possessor feature %v, want %v", tc.text, found, tc.want)
		}
	}
}

// TestThirdParty: a cue outside a pair has a third party on its far side
// when one stands within reach there: the object of the pair's act ("X and
// Y criticized Z") or the subject of an act on both ("Z accused X and
// Y"); a joint act has none, nor a party beyond reach or in another
// sentence.
func TestThirdParty(t *testing.T) {
	cases := []struct {
		text, cue string
		parties   []string // single words, in order
		h, t      int      // the pair, as indices into parties
		after     bool     // the cue follows the pair
		want      bool
	}{
		{"France and Germany criticized Hungary over its veto.", "criticized", []string{"France", "Germany", "Hungary"}, 0, 1, true, true},
		{"Hungary said France and Germany criticized the plan.", "criticized", []string{"Hungary", "France", "Germany"}, 1, 2, true, false},
		{"France and Germany signed a treaty in Paris.", "signed", []string{"France", "Germany"}, 0, 1, true, false},
		{"Russia accused Ukraine and Poland of sabotage.", "accused", []string{"Russia", "Ukraine", "Poland"}, 1, 2, false, true},
		{"Ukraine and Poland were accused of sabotage.", "accused", []string{"Ukraine", "Poland"}, 0, 1, true, false},
		{"France and Germany criticized the long delays at Hungary.", "criticized", []string{"France", "Germany", "Hungary"}, 0, 1, true, false},
		{"France and Germany criticized it. Hungary replied.", "criticized", []string{"France", "Germany", "Hungary"}, 0, 1, true, false},
	}
	for _, c := range cases {
		d, cues := prepared(t, c.text)
		targets := targetsOf(t, d, c.parties...)
		cue := cueAt(t, d, cues, c.cue)
		sent := d.Sentences[d.SentenceOf(cue.First)]
		for _, hh := range [2][2]int{{c.h, c.t}, {c.t, c.h}} {
			if got := thirdParty(targets, sent, hh[0], hh[1], cue, c.after); got != c.want {
				t.Errorf("%q: thirdParty(%s, %s) = %v, want %v", c.text, c.parties[hh[0]], c.parties[hh[1]], got, c.want)
			}
		}
	}
}

// TestActsBack: after a hostile verb, a later hostile act turns back on
// its subject only where a pronoun after that act may stand for it.
func TestActsBack(t *testing.T) {
	for _, c := range []struct {
		text, cue string
		want      bool
	}{
		{"Guyana accused Venezuela of firing on a boat carrying rations to its troops.", "accused", true},
		{"Iran accused Israel of sabotage at its nuclear site.", "accused", true},
		{"NATO accused Iran of destabilizing the region.", "accused", false},
		{"Russia attacked Ukraine and its allies.", "attacked", false},  // no later act
		{"Its allies said Russia attacked Ukraine.", "attacked", false}, // the pronoun comes before
	} {
		d, cues := prepared(t, c.text)
		cue := cueAt(t, d, cues, c.cue)
		sent := d.Sentences[d.SentenceOf(cue.First)]
		if got := actsBack(d, sent, cues, cue); got != c.want {
			t.Errorf("%q: actsBack = %v, want %v", c.text, got, c.want)
		}
	}
}

// TestCompoundKind: a party's last word compounded with a participle
// after a hyphen says whether its state backs, leads, brokers or only made
// what follows, whether the hyphen is inside the word or a token of its
// own touching both; other hyphenated words are no compound.
func TestCompoundKind(t *testing.T) {
	for _, c := range []struct {
		text, word string
		want       uint8
		next       string // the word after the compound
	}{
		{"Iran-backed Houthi rebels attacked a ship.", "Iran-backed", compoundBacks, "Houthi"},
		{"Iran\u2011backed Houthi rebels attacked a ship.", "Iran\u2011backed", compoundBacks, "Houthi"},
		{"Iran\u2013backed Houthi rebels attacked a ship.", "Iran", compoundBacks, "Houthi"},
		{"The Saudi-led coalition struck Sanaa.", "Saudi-led", compoundLeads, "coalition"},
		{"They fired US-made missiles.", "US-made", compoundMakes, "missiles"},
		{"They fired U.S.-made missiles.", "U.S.", compoundMakes, "missiles"},
		{"Russia used Iran-supplied drones.", "Iran-supplied", compoundBacks, "drones"},
		{"A Qatari-brokered truce held.", "Qatari-brokered", compoundBrokers, "truce"},
		{"An anti-NATO rally was held.", "anti-NATO", compoundNone, "rally"},
		{"The Russia-Ukraine war went on.", "Russia-Ukraine", compoundNone, "war"},
		{"Iran - backed by Russia - struck back.", "Iran", compoundNone, "-"},
		{"Iran struck back.", "Iran", compoundNone, "struck"},
	} {
		d, _ := prepared(t, c.text)
		ts := targetsOf(t, d, c.word)
		d.resolveSentence(0)
		got, end := compoundKind(d, ts[0])
		if got != c.want {
			t.Errorf("%q: compoundKind(%q) = %d, want %d", c.text, c.word, got, c.want)
		}
		if end >= len(d.Tokens) || d.Surface(end) != c.next {
			t.Errorf("%q: the compound ends before token %d, want before %q", c.text, end, c.next)
		}
		if MadeIn(d, ts[0]) != (c.want == compoundMakes) {
			t.Errorf("%q: MadeIn(%q) = %v", c.text, c.word, !(c.want == compoundMakes))
		}
	}
}

// TestPairRoleFeeling: the one who feels holds the stance toward what the
// feeling is about, which a passive's "by" or an adjective's attribute
// would turn around.
func TestPairRoleFeeling(t *testing.T) {
	checkRoles(t, []roleCase{
		{"Canada was disappointed by India's decision.", "disappointed", []string{"Canada", "India"}, []Role{RoleSubject, RoleObject}},
		{"Jordan has grown alarmed at Iranian smuggling.", "alarmed", []string{"Jordan", "Iranian"}, []Role{RoleSubject, RoleObject}},
		{"Germany was delighted with France's offer.", "delighted", []string{"Germany", "France"}, []Role{RoleSubject, RoleObject}},
		// A verb of feeling whose subject is the cause: RoleOf's roles.
		{"India's decision disappointed Canada.", "disappointed", []string{"India", "Canada"}, []Role{RoleAttribute, RoleAttribute}},
	}, pairRole)
}

// TestPairRoleObjectBefore: a party after a verb whose own object stands
// before it is no object of that verb, unless the two are one list.
func TestPairRoleObjectBefore(t *testing.T) {
	checkRoles(t, []roleCase{
		{"Japan accused China of harassing Taiwan.", "accused", []string{"Japan", "China", "Taiwan"}, []Role{RoleSubject, RoleObject, RoleNear}},
		{"Japan accused China of harassing Vietnam and Taiwan.", "accused", []string{"Japan", "China", "Vietnam", "Taiwan"}, []Role{RoleSubject, RoleObject, RoleNear, RoleNear}},
		{"Britain warned Russia against attacking Ukraine.", "warned", []string{"Britain", "Russia", "Ukraine"}, []Role{RoleSubject, RoleObject, RoleNear}},
		{"Iran was accused by Israel of arming Hezbollah.", "accused", []string{"Iran", "Israel", "Hezbollah"}, []Role{RoleObject, RoleSubject, RoleNear}},
		// One list: every member is the verb's object.
		{"Turkey condemned Egypt, Greece and Cyprus.", "condemned", []string{"Turkey", "Egypt", "Greece", "Cyprus"}, []Role{RoleSubject, RoleObject, RoleObject, RoleObject}},
		{"Turkey condemned Greece as well as Cyprus.", "condemned", []string{"Turkey", "Greece", "Cyprus"}, []Role{RoleSubject, RoleObject, RoleObject}},
		// The first party after the verb too far from it to be its object.
		{"Japan accused the fishing fleets from China of raiding Taiwan.", "accused", []string{"Japan", "China", "Taiwan"}, []Role{RoleSubject, RoleObject, RoleObject}},
	}, pairRole)
}

// TestPairRoleAside: the party an aside between commas describes is the
// subject of the verb after the aside, though a party in the aside
// stands nearer the verb.
func TestPairRoleAside(t *testing.T) {
	checkRoles(t, []roleCase{
		{"Assadi, a spokesman for the PMF, accused Washington of meddling.", "accused", []string{"Assadi", "PMF", "Washington"}, []Role{RoleSubject, RoleSubject, RoleObject}},
		{"Iran, which Russia backs, accused Israel of sabotage.", "accused", []string{"Iran", "Russia", "Israel"}, []Role{RoleSubject, RoleSubject, RoleObject}},
		// No aside: a list, or the party before a plain clause.
		{"Iran, Russia, China and Syria condemned Israel.", "condemned", []string{"Iran", "Russia", "Israel"}, []Role{RoleNear, RoleSubject, RoleObject}},
		{"In Tehran, officials said Russia condemned Israel.", "condemned", []string{"Tehran", "Russia", "Israel"}, []Role{RoleNear, RoleSubject, RoleObject}},
	}, pairRole)
}

// TestMutual: a predicate that holds both ways joins its subject and the
// party after "with"; an act of one on the other does not.
func TestMutual(t *testing.T) {
	for _, tc := range []struct {
		text    string
		parties []string // the first and the last are asked
		want    bool
	}{
		{"Ethiopia has been at war with Eritrea for two years.", []string{"Ethiopia", "Eritrea"}, true},
		{"Ukraine is in a military conflict with Russia.", []string{"Ukraine", "Russia"}, true},
		{"Japan signed a free trade agreement with the Philippines.", []string{"Japan", "Philippines"}, true},
		{"NATO accused Iran of destabilizing the region.", []string{"NATO", "Iran"}, false},
		{"Russia attacked Ukraine together with Belarus.", []string{"Russia", "Belarus"}, false},
		{"Iran and Russia signed a partnership.", []string{"Iran", "Russia"}, false},
		// Another party between: the war is Russia's.
		{"NATO accused Russia of being at war with Ukraine.", []string{"NATO", "Russia", "Ukraine"}, false},
		// A phrase of time: the talks are not Ukraine's.
		{"Russia attacked Ukraine after talks with Turkey.", []string{"Ukraine", "Turkey"}, false},
		// Ending what two share is one party's act.
		{"Mali broke off relations with France.", []string{"Mali", "France"}, false},
		// So is blocking or opposing it.
		{"Putin blocks the peace deal with Ukraine.", []string{"Putin", "Ukraine"}, false},
		{"Hungary opposed the trade agreement with Mercosur.", []string{"Hungary", "Mercosur"}, false},
		// The one before a coordinated predicate is not its subject.
		{"Egypt hosted Sudan's leader and signed a deal with Ethiopia.", []string{"Sudan", "Ethiopia"}, false},
	} {
		d, cues := prepared(t, tc.text)
		ts := targetsOf(t, d, tc.parties...)
		var c Context
		c.Reset(d, cues)
		a, b := 0, len(ts)-1
		if got := c.Mutual(ts, a, b); got != tc.want {
			t.Errorf("%q: %s and %s mutual %v, want %v", tc.text, tc.parties[a], tc.parties[b], got, tc.want)
		}
		if got := c.Mutual(ts, b, a); got != tc.want {
			t.Errorf("%q: %s and %s mutual %v the other way, want %v", tc.text, tc.parties[b], tc.parties[a], got, tc.want)
		}
	}
}

// TestCounteredAt: a party that a counter word governs, alone or behind
// the start of its noun phrase, is what the act is aimed against; a party
// past a clause word, another name or a word of no such kind is not.
func TestCounteredAt(t *testing.T) {
	tok := mustTokenizer(t)
	for _, tc := range []struct {
		text, cue, party string
		want             bool
	}{
		{"Iraq and Syria cooperated against the Islamic State.", "cooperated", "Islamic", true},
		{"India and Japan deepened ties to counter China.", "deepened", "China", true},
		{"Germany sided with France against Italy.", "sided", "Italy", true},
		{"They held drills aimed at Iran.", "held", "Iran", true},
		{"They joined hands against Chinese incursions.", "joined", "Chinese", true},
		{"Germany sided with France against Italy.", "sided", "France", false},
		{"Iraq cooperated with Syria.", "cooperated", "Syria", false},
		{"They cooperated against smuggling and with Peru.", "cooperated", "Peru", false},
		{"They fought against the rebels of Sudan.", "fought", "Sudan", false},
		{"They agreed to cooperate against terrorism across Syria.", "cooperate", "Syria", false},
		{"Russia warned Iran against attacking Israel.", "warned", "Israel", false},
		{"They united against attacks inside Lebanon.", "united", "Lebanon", false},
		{"They held drills directed at Iran.", "held", "Iran", true},
		{"They allied against rival Houthi fighters.", "allied", "Houthi", true},
	} {
		d := tok.Tokenize(tc.text)
		cue, party := -1, -1
		for i := range d.Tokens {
			switch d.Surface(i) {
			case tc.cue:
				cue = i
			case tc.party:
				party = i
			}
		}
		if cue < 0 || party < 0 {
			t.Fatalf("%q: %q or %q not found", tc.text, tc.cue, tc.party)
		}
		if got := counteredAt(d, d.Sentences[0], cue+1, party); got != tc.want {
			t.Errorf("%q: counteredAt(%q) = %v, want %v", tc.text, tc.party, got, tc.want)
		}
	}
}

func TestGoverningPreposition(t *testing.T) {
	tok := mustTokenizer(t)
	for _, tc := range []struct {
		text, party string
		want        string // "" for none
	}{
		{"Turkish jets struck PKK positions in northern Iraq.", "Iraq", "in"},
		{"He held a news conference in Baku.", "Baku", "in"},
		{"Israel settled in the occupied West Bank.", "West", "in"},
		{"Ukraine bought jets from the Netherlands.", "Netherlands", "from"},
		{"Iran held talks with Russia.", "Russia", "with"},
		{"Russia attacked Ukraine.", "Ukraine", ""},
		{"Russia opened the session.", "Russia", ""},
		// A possessor: "in" governs the policy, not Iran.
		{"Belarus has a special place in Iran's foreign policy.", "Iran", ""},
	} {
		d := tok.Tokenize(tc.text)
		party := -1
		for i := range d.Tokens {
			if d.Surface(i) == tc.party {
				party = i
				break
			}
		}
		if party < 0 {
			t.Fatalf("%q: %q not found", tc.text, tc.party)
		}
		end := party + 1
		if tc.party == "West" {
			end++ // "West Bank"
		}
		got := ""
		if code := governingPreposition(d, d.Sentences[0], Target{First: party, End: end}); code > 0 {
			got = prepositions[code-1]
		}
		if got != tc.want {
			t.Errorf("%q: governingPreposition(%q) = %q, want %q", tc.text, tc.party, got, tc.want)
		}
	}
}

func TestMediatedBetween(t *testing.T) {
	tok, err := NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		text   string
		lo, hi string
		want   bool
	}{
		{"Qatar mediated between Washington and Caracas.", "Washington", "Caracas", true},
		{"Algeria offered to mediate between the junta and the rebels.", "junta", "rebels", true},
		{"Kuwait passed messages between Riyadh and Doha.", "Riyadh", "Doha", true},
		// The sides' own acts, an object they hold, no mediator, a list
		// of more than two.
		{"Turkey mediated between Somalia and Ethiopia, which agreed to end the dispute.", "Somalia", "Ethiopia", false},
		{"Malaysia brokered a ceasefire between Thailand and Cambodia.", "Thailand", "Cambodia", false},
		{"Hostility between the Taliban and Pakistan has turned deadly.", "Taliban", "Pakistan", false},
		{"Talks between Armenia and Turkey resumed.", "Armenia", "Turkey", false},
		{"Qatar mediated between Washington, Caracas and Havana.", "Washington", "Caracas", false},
	} {
		d := tok.Tokenize(tc.text)
		ts := targetsOf(t, d, tc.lo, tc.hi)
		if got := MediatedBetween(d, ts[0], ts[1]); got != tc.want {
			t.Errorf("%q: MediatedBetween(%s, %s) = %v, want %v", tc.text, tc.lo, tc.hi, got, tc.want)
		}
	}
}
