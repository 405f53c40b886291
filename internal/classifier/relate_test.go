package classifier

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/model"
	"github.com/stance/classifierd/internal/sharedtest"
)

// relationsOf classifies text with the built-in gazetteer and returns its
// relations as relationTexts writes them.
func relationsOf(t *testing.T, c *Classifier, text string) []string {
	t.Helper()
	res, err := c.Classify(context.Background(), Request{Text: text, Builtin: true})
	if err != nil {
		t.Fatal(err)
	}
	return relationTexts(text, res)
}

// relationTexts returns the relations of a result as "holder -> target
// label" lines, by the text of their spans.
func relationTexts(text string, res Result) []string {
	var out []string
	for _, r := range res.Relations {
		out = append(out, text[r.Holder.Span.Start:r.Holder.Span.End]+" -> "+text[r.Target.Span.Start:r.Target.Span.End]+" "+r.Label.String())
	}
	return out
}

// TestRelations checks the embedded models on sentences of the kinds the
// relation stage is for: the agent of a verb, a passive turned around,
// joint action both ways, a speaker, a refusal, generic actors without a
// named one, and sentences that assert no relation ("did not condemn").
func TestRelations(t *testing.T) {
	c := newTestClassifier(t)
	for _, tc := range []struct {
		text    string
		want    []string // each must be among the relations
		notWant []string // none of these may be
	}{
		{"NATO accused Iran of destabilizing the region.", []string{"NATO -> Iran hostile"}, []string{"Iran -> NATO hostile"}},
		{"Russia attacked Ukraine.", []string{"Russia -> Ukraine hostile"}, []string{"Ukraine -> Russia hostile"}},
		{"Iran and Russia signed a strategic partnership.", []string{"Iran -> Russia cooperative", "Russia -> Iran cooperative"}, nil},
		// A state that holds both ways ("at war with") is each side's.
		{"Ethiopia has been at war with Eritrea for two years.", []string{"Ethiopia -> Eritrea hostile", "Eritrea -> Ethiopia hostile"}, nil},
		{"Syria was bombed by Israel on Tuesday.", []string{"Israel -> Syria hostile"}, []string{"Syria -> Israel hostile"}},
		{"Japan refused to cooperate with North Korea.", []string{"Japan -> North Korea hostile"}, []string{"Japan -> North Korea cooperative"}},
		{"China pledged support for Pakistan.", []string{"China -> Pakistan cooperative"}, nil},
		{"Egypt did not condemn Ethiopia.", nil, []string{"Egypt -> Ethiopia hostile", "Egypt -> Ethiopia cooperative"}},
		{"Indonesia refused to condemn Russia.", nil, []string{"Indonesia -> Russia hostile", "Indonesia -> Russia cooperative"}},
		{"India declined to sanction Russia.", nil, []string{"India -> Russia hostile", "India -> Russia cooperative"}},
		{"Russia denied it had attacked Ukraine.", nil, []string{"Russia -> Ukraine hostile"}},
		{"Iran denied responsibility for the drone strike on Saudi oil facilities.", nil, []string{"Iran -> Saudi hostile"}},
		// Disapproving of a harm is not hostility toward its victim; its
		// author is the target (DisapprovedHarm).
		{"Turkey condemned the attack on Ukrainian ports.", nil, []string{"Turkey -> Ukrainian hostile"}},
		{"China opposed any strike on Iran.", nil, []string{"China -> Iran hostile"}},
		{"The EU condemned Russia's attack on Ukrainian ports.", []string{"EU -> Russia hostile"}, []string{"EU -> Ukrainian hostile"}},
		{"Iran warned against any attack on Syria.", nil, []string{"Iran -> Syria hostile"}},
		{"Turkey demanded an end to the blockade of Qatar.", nil, []string{"Turkey -> Qatar hostile"}},
		{"China blocked a statement condemning Myanmar.", nil, []string{"China -> Myanmar hostile"}},
		// Two disapprovals undo each other; the doer's own harm stays.
		{"The UN Security Council voted against lifting the arms embargo on South Sudan.", []string{"UN Security Council -> South Sudan hostile"}, nil},
		{"Qatar pressed Israel to stop its raids on Lebanon.", []string{"Israel -> Lebanon hostile"}, nil},
		// What a person reports is not done to them; what follows the
		// report is (reportsOn).
		{"Araghchi said NATO is a threat to the region.", []string{"Araghchi -> NATO hostile"}, []string{"NATO -> Araghchi hostile"}},
		{"Sergei Lavrov said Washington was to blame for the conflict, a remark that drew criticism from the EU.",
			[]string{"EU -> Sergei Lavrov hostile"}, []string{"Washington -> Sergei Lavrov hostile"}},
		{"\"Kyiv is sabotaging every chance of a settlement,\" Kremlin spokesman Dmitry Peskov told journalists.",
			[]string{"Dmitry Peskov -> Kyiv hostile"}, []string{"Kyiv -> Dmitry Peskov hostile"}},
		{"Human Rights Watch said Ethiopian forces had killed dozens of civilians.", []string{"Ethiopian forces -> civilians hostile"},
			[]string{"Ethiopian forces -> Human Rights Watch hostile"}},
		{"NATO said Russia had violated its airspace.", []string{"Russia -> NATO hostile"}, nil},
		// Joint patrols and drills are joint military cooperation.
		{"Rwandan troops are conducting joint patrols with Mozambican forces.", nil,
			[]string{"Rwandan troops -> Mozambican forces hostile", "Mozambican forces -> Rwandan troops hostile"}},
		// Downgrading ties is one actor's act, not a shared state.
		{"Lithuania downgraded diplomatic relations with China.", []string{"Lithuania -> China hostile"},
			[]string{"Lithuania -> China cooperative", "China -> Lithuania cooperative", "China -> Lithuania hostile"}},
		// A mediator's act is toward both sides; the sides hold nothing
		// toward each other unless the sentence says what they did.
		{"Qatar mediated between Washington and Caracas.", []string{"Qatar -> Washington cooperative", "Qatar -> Caracas cooperative"},
			[]string{"Washington -> Caracas cooperative", "Caracas -> Washington cooperative"}},
		{"Kenya mediated between Somalia and Somaliland, whose leaders met in Nairobi.", []string{"Somalia -> Somaliland cooperative"}, nil},
		// The post in a diplomat's title is no actor.
		{"The Turkish ambassador to Moscow warned that NATO's plans endanger the region.", nil, []string{"Moscow -> NATO hostile"}},
		{"India's ambassador to Washington praised Japan for its support.", nil, []string{"Washington -> Japan cooperative"}},
		// A party that a joint act is aimed against is its partners'
		// adversary, not their partner.
		{"Turkey and Iraq agreed to cooperate against PKK militants.", []string{"Iraq -> PKK militants hostile", "Iraq -> Turkey cooperative"},
			[]string{"Iraq -> PKK militants cooperative", "Turkey -> PKK militants cooperative"}},
		{"Germany sided with France against Italy on the budget rules.", []string{"Germany -> France cooperative", "Germany -> Italy hostile"},
			[]string{"Germany -> Italy cooperative"}},
		// "hit" is an attack; "enmity with" a stance noun of the relation
		// stage; a lexicon word that opens a sentence is no name.
		{"Israeli jets hit Hezbollah positions in southern Lebanon.", []string{"Israeli -> Hezbollah hostile"}, nil},
		{"Pakistan's enmity with India has shaped its defence spending.", []string{"Pakistan -> India hostile"}, []string{"Pakistan -> India cooperative"}},
		{"Sanctions hit Russia's economy hard.", nil, []string{"Sanctions -> Russia hostile"}},
		{"Grant criticised Russia over the invasion.", []string{"Grant -> Russia hostile"}, nil},
		// A recalled envoy's post holds nothing, and the recall must be in
		// the envoy's clause.
		{"Mexico named its ambassador to Ecuador to lead talks with Peru.", nil, []string{"Ecuador -> Peru cooperative"}},
		{"Kenya sent aid while the ambassador to Sudan praised Ethiopia.", nil, []string{"Sudan -> Ethiopia cooperative"}},
		// Wire verbs the CAMEO dictionary has only inside phrases.
		{"A Chinese coast guard ship rammed a Philippine supply boat.", []string{"Chinese coast guard -> Philippine hostile"}, nil},
		{"The EU fined Hungary for breaching asylum rules.", []string{"EU -> Hungary hostile"}, nil},
		// Unless the envoy is recalled or appointed: that act is toward
		// the post.
		{"Mexico recalled its ambassador to Ecuador after police stormed its embassy.", []string{"Mexico -> Ecuador hostile"}, nil},
		// A stance noun for the relation stage alone: the one who opposes
		// is the holder, and no mention is hostile for opposing.
		{"Turkey's opposition to Sweden's membership delayed the vote.", []string{"Turkey -> Sweden hostile"}, []string{"Turkey -> Sweden cooperative"}},
		// The one whose "its" owns the stance noun holds it, inside a
		// quote as well; the possessor of the target's policies does not.
		{"Mexico's president said, “Just as Mexico opposes conflict and war, it also declares its strong opposition to Russia's expansionist policies.”",
			[]string{"Mexico -> Russia hostile"}, []string{"Russia -> Mexico hostile"}},
		{"Brazil's foreign minister said, “Just as Brazil rejects sanctions and blockades, it also declares its firm opposition to Washington's interventionist policies.”",
			[]string{"Brazil -> Washington hostile"}, []string{"Washington -> Brazil hostile"}},
		// A generic actor whose state is named after it is that state's
		// ("rebels in Yemen", "the army of Sudan"), not a second party
		// that its own state acts on.
		{"Rebels in Yemen fired missiles at Saudi Arabia.", []string{"Rebels in Yemen -> Saudi Arabia hostile"}, []string{"Yemen -> Rebels hostile"}},
		{"The army of Sudan clashed with fighters from South Sudan.",
			[]string{"army of Sudan -> fighters from South Sudan hostile", "fighters from South Sudan -> army of Sudan hostile"},
			[]string{"army -> Sudan hostile", "South Sudan -> Sudan hostile"}},
		// Two roles of one state are two actors.
		{"The government of Syria bombed rebels in Syria's north.", []string{"government of Syria -> rebels in Syria hostile"}, nil},
		// Generic actors alone, in a text that names no state.
		{"Police fired tear gas at protesters.", []string{"Police -> protesters hostile"}, nil},
		{"Rebels attacked government forces near the town.", []string{"Rebels -> government forces hostile"}, nil},
		// The progressive is active, not passive.
		{"Israel was bombing Gaza when the talks began.", []string{"Israel -> Gaza hostile"}, []string{"Gaza -> Israel hostile"}},
		// A state compounded with a participle backs the actor it
		// modifies and does not act with it ("Iran-backed"); one that
		// names where arms were made is no party ("US-made").
		{"Iran-backed Houthi rebels attacked a ship in the Red Sea.", []string{"Iran -> Houthi rebels cooperative"}, []string{"Houthi rebels -> Iran hostile"}},
		{"The Houthis fired US-made missiles at Israel.", []string{"Houthis -> Israel hostile"}, []string{"Houthis -> US hostile"}},
		{"The Houthis fired U.S.-made missiles at Israel.", []string{"Houthis -> Israel hostile"}, []string{"Houthis -> U.S. hostile", "U.S. -> Israel hostile"}},
		// Two parties of one hyphenated word are the two sides of what
		// the word modifies, or of nothing.
		{"The US-China trade war escalated this week.", []string{"US -> China hostile", "China -> US hostile"}, nil},
		{"The Turkish-Libyan maritime agreement was signed in November.", []string{"Turkish -> Libyan cooperative", "Libyan -> Turkish cooperative"}, nil},
		// Each part of a compound of two words is a party of its own.
		{"China condemned the US-South Korea drills near its coast.", []string{"China -> US hostile", "China -> South Korea hostile"}, nil},
		{"Lorries queued for days at the Iran-Iraq border crossing.", nil,
			[]string{"Iran -> Iraq hostile", "Iran -> Iraq cooperative", "Iraq -> Iran hostile", "Iraq -> Iran cooperative"}},
		// A call with someone is had with each other.
		{"Macron held a phone call with Putin on Friday.", []string{"Macron -> Putin cooperative", "Putin -> Macron cooperative"}, nil},
		// An official and the state or title named with them hold the
		// same relations: the name reads weaker than the title next to
		// "with" here.
		{"The announcement came after Trump had a phone conversation with Turkish President Recep Tayyip Erdogan.",
			[]string{"Trump -> Turkish President cooperative", "Trump -> Recep Tayyip Erdogan cooperative"}, nil},
		// Only in one phrase: a state and its official on either side of
		// a comma or a conjunction are two parties.
		{"Russia attacked Ukraine, Zelensky said.", []string{"Russia -> Ukraine hostile"}, []string{"Russia -> Zelensky hostile"}},
		// A colon that opens a quote leaves the quote in the speaker's
		// clause.
		{"Russia said: \"Ukraine is lying about the attack.\"", []string{"Russia -> Ukraine hostile"}, nil},
		{"Russia attacked Ukraine and Zelensky condemned it.", []string{"Russia -> Ukraine hostile"}, []string{"Russia -> Zelensky hostile"}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			res, err := c.Classify(context.Background(), Request{Text: tc.text, Builtin: true, MaxEvidence: 3})
			if err != nil {
				t.Fatal(err)
			}
			got := relationTexts(tc.text, res)
			has := func(s string) bool {
				for _, g := range got {
					if g == s {
						return true
					}
				}
				return false
			}
			for _, w := range tc.want {
				if !has(w) {
					t.Errorf("no %q among %q", w, got)
				}
			}
			for _, w := range tc.notWant {
				if has(w) {
					t.Errorf("%q among %q", w, got)
				}
			}
		})
	}
}

// TestCallerSpanOwnsGenericActor: a caller's span on the state that a
// generic actor before it takes in ("Police in [Kenya]") is the party,
// with its span exactly, and reads as the actor, not as the object of
// "in".
func TestCallerSpanOwnsGenericActor(t *testing.T) {
	c := newTestClassifier(t)
	text := "Police in Kenya arrested migrants from Uganda."
	span := func(s string) Span {
		i := strings.Index(text, s)
		return Span{i, i + len(s)}
	}
	res, err := c.Classify(context.Background(), Request{Text: text, Builtin: true, Spans: []Span{span("Kenya"), span("Uganda")}})
	if err != nil {
		t.Fatal(err)
	}
	got := relationTexts(text, res)
	if !slices.Contains(got, "Kenya -> Uganda hostile") {
		t.Errorf("no Kenya -> Uganda hostile among %q", got)
	}
}

// TestGenericOnlySentencesInShortTexts: a sentence that names only generic
// actors is read for relations in a short text, and left unread in an
// article (wantGenericOnly), where the tone of the article's mention
// sentences is all the document stage reads.
func TestGenericOnlySentencesInShortTexts(t *testing.T) {
	c := newTestClassifier(t)
	const sentence = "Police fired tear gas at protesters."
	article := strings.Repeat("Iran and Russia signed a trade agreement in Tehran on Monday. ", 20) + sentence
	for _, tc := range []struct {
		text string
		want bool
	}{{sentence, true}, {article, false}} {
		res, err := c.Classify(context.Background(), Request{Text: tc.text, Builtin: true})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, g := range relationTexts(tc.text, res) {
			found = found || g == "Police -> protesters hostile"
		}
		if found != tc.want {
			t.Errorf("%d bytes: police -> protesters found %v, want %v", len(tc.text), found, tc.want)
		}
	}
}

// TestRelationSpanIsCallerSpan: a caller's span takes part as a party,
// and a relation toward it carries exactly that span.
func TestRelationSpanIsCallerSpan(t *testing.T) {
	c := newTestClassifier(t)
	text := "NATO accused the Islamic Republic of destabilizing the region."
	start := strings.Index(text, "the Islamic Republic")
	span := Span{start, start + len("the Islamic Republic")}
	res, err := c.Classify(context.Background(), Request{Text: text, Builtin: true, Spans: []Span{span}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Relations {
		if r.Target.Span == span && r.Label == model.Hostile && text[r.Holder.Span.Start:r.Holder.Span.End] == "NATO" {
			return
		}
	}
	t.Errorf("no hostile relation from NATO toward the span %v among %q", span, relationTexts(text, res))
}

// TestCallerSpanSameActor: a caller's span that is no found mention is the
// same actor as a mention of the same name elsewhere in its sentence, and
// holds no stance toward it (the Wikinews relations had "Coast Guard ->
// Coast Guard hostile 0.65").
func TestCallerSpanSameActor(t *testing.T) {
	c := newTestClassifier(t)
	text := "The Coast Guard ordered Coast Guard units to join the army in the pursuit of the rebels."
	start := strings.Index(text, "Coast Guard")
	span := Span{start, start + len("Coast Guard")}
	caller := party{entity: entities.Entity{Name: "Coast Guard"}, span: span, mention: -1, caller: true}
	army := Span{strings.Index(text, "army"), strings.Index(text, "army") + len("army")}
	if !oneActor(text, &caller, &party{entity: entities.Entity{ID: "coast-guard", Name: "coast guard"}, span: army, mention: 0}) {
		t.Error("a caller's span and a mention of the same name are two actors")
	}
	if oneActor(text, &caller, &party{entity: entities.Entity{ID: "navy", Name: "Navy"}, span: army, mention: 0}) {
		t.Error("a caller's span and a mention of another name are one actor")
	}
	res, err := c.Classify(context.Background(), Request{Text: text, Builtin: true, Spans: []Span{span}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Relations {
		h, tg := text[r.Holder.Span.Start:r.Holder.Span.End], text[r.Target.Span.Start:r.Target.Span.End]
		if strings.EqualFold(h, tg) {
			t.Errorf("%q holds a relation toward itself: %q", h, relationTexts(text, res))
		}
	}
}

// TestDyadsCountOfficialsForTheirState: an official's relation counts for
// the state they speak for, so that the document's dyads say what the
// state's officials said.
func TestDyadsCountOfficialsForTheirState(t *testing.T) {
	c := newTestClassifier(t)
	text := "Iranian Foreign Minister Hossein Amir-Abdollahian condemned NATO's expansion as a threat to the region."
	res, err := c.Classify(context.Background(), Request{Text: text, Builtin: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Dyads {
		if d.Holder.ID == "IRN" && d.Target.ID == "NATO" && d.Label == model.Hostile {
			return
		}
	}
	var got []string
	for _, d := range res.Dyads {
		got = append(got, d.Holder.Name+" -> "+d.Target.Name+" "+d.Label.String())
	}
	t.Errorf("no hostile Iran -> NATO dyad among %q (relations %q)", got, relationTexts(text, res))
}

// TestHolderFromSameEntityInSentence: a mention that no relation is toward
// takes the holder of a relation toward the same entity in its sentence,
// and only in its sentence.
func TestHolderFromSameEntityInSentence(t *testing.T) {
	c := newTestClassifier(t)
	text := "Iran warned NATO about its expansion, saying NATO was a threat. NATO met in Brussels."
	w := c.an.get()
	defer c.an.put(w)
	if err := c.an.analyze(w, text, entities.Options{Builtin: true}, nil, false); err != nil {
		t.Fatal(err)
	}
	var res Result
	var natos []int
	for i, m := range w.mentions {
		res.Mentions = append(res.Mentions, Mention{Span: Span{m.Start, m.End}, Entity: m.Entity})
		if m.Entity.ID == "NATO" {
			natos = append(natos, i)
		}
	}
	if len(natos) != 3 || w.mentions[0].Entity.ID != "IRN" {
		t.Fatalf("mentions %v: want Iran and three NATO", w.mentions)
	}
	first := w.mentions[natos[0]]
	res.Relations = []Relation{{
		Holder:   Party{Span: Span{w.mentions[0].Start, w.mentions[0].End}, Entity: w.mentions[0].Entity},
		Target:   Party{Span: Span{first.Start, first.End}, Entity: first.Entity},
		Label:    model.Hostile,
		Probs:    [model.NumLabels]float32{0.9, 0.05, 0.05},
		Sentence: Span{0, strings.Index(text, " NATO met")},
	}}
	c.holdersFromRelations(w, &res, res.Relations)
	for k, want := range []string{"IRN", "IRN", ""} {
		if got := res.Mentions[natos[k]].Holder.ID; got != want {
			t.Errorf("NATO mention %d: holder %q, want %q", k, got, want)
		}
	}
}

// TestPartyStancesReuseMentionScores: partyStances takes a mention's
// stance from the mention stage where features.Context.SameFeatures says
// that Extract gives it the same features among the parties as among the
// mentions; this checks that claim over the news corpus, so that a
// feature reading other targets in a way SameFeatures does not compare
// fails here.
func TestPartyStancesReuseMentionScores(t *testing.T) {
	c := newTestClassifier(t)
	reused := 0
	for _, text := range sharedtest.News(t) {
		w := c.an.get()
		if err := c.an.analyze(w, text, entities.Options{Builtin: true}, nil, false); err != nil {
			t.Fatal(err)
		}
		parties := c.an.parties(w, text, nil, true)
		for i, p := range parties {
			if p.mention < 0 || !w.ctx.SameFeatures(w.partyTargets, i, w.targets, p.mention) {
				continue
			}
			reused++
			asParty := slices.Clone(c.an.ext.Extract(nil, &w.ctx, w.partyTargets, i))
			asMention := c.an.ext.Extract(nil, &w.ctx, w.targets, p.mention)
			if !slices.Equal(asParty, asMention) {
				t.Fatalf("party %d (mention %d) of %.60q: features %v among the parties, %v among the mentions", i, p.mention, text, asParty, asMention)
			}
		}
		c.an.put(w)
	}
	if reused < 2000 {
		t.Fatalf("%d mention parties found to have their features as mentions", reused)
	}
}

// TestPairsInSentencesSymmetric: pairsInSentences, which asks oneActor and
// Pairable once for both directions of a pair, enumerates what asking them
// for each direction does, in the same order, over the news corpus, and
// gives each pair first as (h, t) with h > t.
func TestPairsInSentencesSymmetric(t *testing.T) {
	c := newTestClassifier(t)
	pairs := 0
	for _, text := range sharedtest.News(t) {
		w := c.an.get()
		if err := c.an.analyze(w, text, entities.Options{Builtin: true}, nil, false); err != nil {
			t.Fatal(err)
		}
		parties := c.an.parties(w, text, nil, true)
		targets := w.partyTargets
		var got, want [][4]int
		pairsInSentences(w, parties, targets, func(si, first, h, t int) { got = append(got, [4]int{si, first, h, t}) })
		d := &w.doc
		for lo := 0; lo < len(parties); {
			si := d.SentenceOf(targets[lo].First)
			hi := lo + 1
			for hi < len(parties) && targets[hi].First < d.Sentences[si].End {
				hi++
			}
			for tt := lo; tt < min(hi, lo+maxSentenceParties); tt++ {
				for h := lo; h < min(hi, lo+maxSentenceParties); h++ {
					if h != tt && !(parties[h].name && parties[tt].name) && !oneActor(w.doc.Text, &parties[h], &parties[tt]) && w.ctx.Pairable(targets, h, tt) {
						want = append(want, [4]int{si, lo, h, tt})
					}
				}
			}
			lo = hi
		}
		if !slices.Equal(got, want) {
			t.Fatalf("in %.60q: pairs %v, asking for each direction %v", text, got, want)
		}
		// relate scores both directions at a pair's first visit, which
		// must be the one with h > t.
		seen := map[[2]int]bool{}
		for _, p := range got {
			k := [2]int{min(p[2], p[3]), max(p[2], p[3])}
			if !seen[k] && p[2] < p[3] {
				t.Fatalf("in %.60q: pair %v comes before its reverse", text, p)
			}
			seen[k] = true
		}
		pairs += len(got)
		c.an.put(w)
	}
	if pairs < 1000 {
		t.Fatalf("%d pairs", pairs)
	}
}

// TestPartyStancesAsScored: partyStances gives each party the stance that
// scoring every party of a mixed sentence over the party list, and taking
// the mention stage's scores in a sentence of mentions only, gives. It runs
// over PerSenT's test documents with their entity as a caller's target,
// whose mentions overlap built-in ones: a mention dropped from the parties
// changes its neighbours' features, and in a sentence of mentions only the
// mention stage's score is still the one taken (77968d0 took it only where
// the features agreed, which changed those stances).
func TestPartyStancesAsScored(t *testing.T) {
	c := newTestClassifier(t)
	f, err := os.Open(sharedtest.Path(t, "data", "persent", "fixed_test.doc.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	parties, differing := 0, 0
	for sc.Scan() {
		var doc struct{ Title, Text, Entity string }
		if err := json.Unmarshal(sc.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		text := doc.Title + "\n" + doc.Text
		tg := entities.Target{ID: "doc:" + doc.Entity, Name: doc.Entity, Type: entities.TypePerson}
		if fs := strings.Fields(doc.Entity); len(fs) > 1 {
			tg.Aliases = []string{fs[len(fs)-1]}
		}
		req := Request{Text: text, Builtin: true, Targets: []entities.Target{tg}}
		w := c.an.get()
		if err := c.an.analyze(w, text, entities.Options{Builtin: true, Targets: req.Targets}, nil, true); err != nil {
			t.Fatal(err)
		}
		var res Result
		if err := c.scoreMentions(context.Background(), w, req, &res); err != nil {
			t.Fatal(err)
		}
		ps := c.an.parties(w, text, nil, true)
		got := slices.Clone(c.an.partyStances(w, c.model, ps, res.Mentions, false))
		targets, d := w.partyTargets, &w.doc
		for lo := 0; lo < len(ps); {
			end := d.Sentences[d.SentenceOf(targets[lo].First)].End
			hi, only := lo, true
			for ; hi < len(ps) && targets[hi].First < end; hi++ {
				only = only && (ps[hi].mention >= 0 || ps[hi].name)
			}
			for i := lo; i < hi && hi-lo >= 2; i++ {
				var want [2]float32 // no mention model reads an unknown name
				switch {
				case ps[i].name:
				case only:
					if !w.ctx.SameFeatures(w.knownTargets, w.knownParty(i), w.targets, ps[i].mention) {
						differing++
					}
					q := res.Mentions[ps[i].mention].Probs
					want = [2]float32{q[model.Hostile], q[model.Cooperative]}
				default:
					// Read among the parties without the unknown names, as
					// the model was trained.
					w.feats = c.an.ext.Extract(w.feats[:0], &w.ctx, w.knownTargets, w.knownParty(i))
					p := c.model.Score(w.feats).Probs
					want = [2]float32{p[model.Hostile], p[model.Cooperative]}
				}
				if got[i] != want {
					t.Fatalf("in %.60q, party %d %q: stance %v, want %v", text, i, text[ps[i].span.Start:ps[i].span.End], got[i], want)
				}
				parties++
			}
			lo = hi
		}
		c.an.put(w)
	}
	if parties < 10000 || differing == 0 {
		t.Fatalf("%d parties, %d in sentences of mentions only whose features differ among the parties", parties, differing)
	}
}

// TestDyadsCountOfficialsOnBothSides: a relation between two officials
// counts for their states on either side and for the two states, but a
// state gets no dyad toward its own official.
func TestDyadsCountOfficialsOnBothSides(t *testing.T) {
	c := newTestClassifier(t)
	w := c.an.get()
	defer c.an.put(w)
	raisi := entities.Entity{ID: "person:ebrahim-raisi", Name: "Ebrahim Raisi", Type: entities.TypePerson, Country: "IRN"}
	putin := entities.Entity{ID: "person:vladimir-putin", Name: "Vladimir Putin", Type: entities.TypePerson, Country: "RUS"}
	iran := entities.Entity{ID: "IRN", Name: "Iran", Type: entities.TypeCountry}
	coop := [model.NumLabels]float32{model.Cooperative: 0.8, model.Neutral: 0.2}
	rels := []Relation{
		{Holder: Party{Entity: raisi}, Target: Party{Entity: putin}, Label: model.Cooperative, Probs: coop},
		{Holder: Party{Entity: iran}, Target: Party{Entity: raisi}, Label: model.Cooperative, Probs: coop},
	}
	got := map[string]int{}
	for _, d := range c.dyads(w, nil, rels) {
		got[d.Holder.ID+" -> "+d.Target.ID] = d.Support
	}
	want := map[string]int{
		"person:ebrahim-raisi -> person:vladimir-putin": 1,
		"IRN -> person:vladimir-putin":                  1,
		"person:ebrahim-raisi -> RUS":                   1,
		"IRN -> RUS":                                    1,
		"IRN -> person:ebrahim-raisi":                   1,
	}
	if !maps.Equal(got, want) {
		t.Errorf("dyads %v, want %v", got, want)
	}
}

// TestRelationOnlyCue: a relation-only cue ("opposition to") carries a
// relation, and the mention stage does not read it: the mentions score as
// they do with the cue left out of the lexicon.
func TestRelationOnlyCue(t *testing.T) {
	with := newTestClassifier(t)
	override := filepath.Join(t.TempDir(), "no-opposition.tsv")
	if err := os.WriteFile(override, []byte("opposition to\t0\tnoun\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	without := openTestClassifier(t, Sources{LexiconPath: override})
	text := "Iran declared its opposition to NATO's presence in the region."
	req := Request{Text: text, Builtin: true, MaxEvidence: 3}
	a, err := with.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := without.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Mentions) != len(b.Mentions) {
		t.Fatalf("%d mentions with the cue, %d without", len(a.Mentions), len(b.Mentions))
	}
	for i := range a.Mentions {
		if a.Mentions[i].Probs != b.Mentions[i].Probs {
			t.Errorf("%s: mention probabilities %v with the relation-only cue, %v without", a.Mentions[i].Entity.Name, a.Mentions[i].Probs, b.Mentions[i].Probs)
		}
	}
	// The override must take the cue out, or the comparison above says
	// nothing: without it the relation is weaker.
	hostility := func(res Result) float32 {
		for _, r := range res.Relations {
			if r.Holder.Entity.Name == "Iran" && r.Target.Entity.Name == "NATO" {
				return r.Probs[model.Hostile]
			}
		}
		return 0
	}
	if hostility(a) <= hostility(b) {
		t.Errorf("Iran -> NATO hostile %.3f with the cue, %.3f without: the override took nothing out", hostility(a), hostility(b))
	}
	var found bool
	for _, r := range a.Relations {
		if r.Holder.Entity.Name == "Iran" && r.Target.Entity.Name == "NATO" && r.Label == model.Hostile {
			found = true
			cited := false
			for _, e := range r.Evidence {
				cited = cited || strings.HasPrefix(text[e.Span.Start:e.Span.End], "opposition")
			}
			if !cited {
				t.Errorf("Iran -> NATO hostile does not cite \"opposition to\": %+v", r.Evidence)
			}
		}
	}
	if !found {
		t.Errorf("no Iran -> NATO hostile among %q", relationTexts(text, a))
	}
}

// relationCase is a text and the relations (as relationTexts writes them)
// it must and must not have.
type relationCase struct {
	text          string
	want, notWant []string
}

// checkRelations classifies each case's text and reports every wanted
// relation missing and every unwanted one returned.
func checkRelations(t *testing.T, c *Classifier, cases []relationCase) {
	t.Helper()
	for _, tc := range cases {
		got := relationsOf(t, c, tc.text)
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q: no %s among %q", tc.text, w, got)
			}
		}
		for _, w := range tc.notWant {
			if slices.Contains(got, w) {
				t.Errorf("%q: %s among %q", tc.text, w, got)
			}
		}
	}
}

// TestAccusedOfActing: in "A accused B of acting on C" the act on C is
// B's, which A reports; A holds no relation toward C. Before the pair
// features read C as no object of "accused" (features.objectBefore), the
// first two came back Japan -> Taiwan and Marco Rubio -> Philippines
// hostile.
func TestAccusedOfActing(t *testing.T) {
	checkRelations(t, newTestClassifier(t), []relationCase{
		{"Japan accused China of harassing Taiwan.", []string{"Japan -> China hostile"}, []string{"Japan -> Taiwan hostile"}},
		{"Marco Rubio accused China of bullying the Philippines.", []string{"Marco Rubio -> China hostile"}, []string{"Marco Rubio -> Philippines hostile"}},
		{"Israel accused Iran of arming Hezbollah.", []string{"Iran -> Hezbollah cooperative"}, []string{"Israel -> Hezbollah hostile"}},
		// A predicate noun takes a verb's roles (features.predicateNoun):
		// this read NATO -> Iran cooperative.
		{"NATO is a threat to Iran.", []string{"NATO -> Iran hostile"}, []string{"NATO -> Iran cooperative"}},
	})
}

// TestBlocksAndRetorts: "blocks" is a verb ("Turkey blocks Sweden's
// NATO bid" read cooperative when the lexicon had it as a noun), a
// capital after "hit back at" is a government, not a place (the relation
// was lost with it), and "meets" and "speaks with" are cues of weight.
func TestBlocksAndRetorts(t *testing.T) {
	checkRelations(t, newTestClassifier(t), []relationCase{
		{"Turkey blocks Sweden's NATO bid", []string{"Turkey -> Sweden hostile"}, nil},
		{"Beijing hit back at Washington over the tariffs.", []string{"Beijing -> Washington hostile"}, nil},
		// A headline's present: "meets" was a cue of weight 0.1, too
		// light for a form the training sentences hardly use.
		{"Macron meets Modi in Paris", []string{"Macron -> Modi cooperative"}, nil},
		{"Erdogan speaks with Zelensky by phone", []string{"Erdogan -> Zelensky cooperative"}, nil},
	})
}

// TestDashCompounds: two parties joined by an en dash written without
// spaces read as one phrase, as with a hyphen, not as two clauses (the
// dash between spaces of an aside). Before, none of these had a relation.
func TestDashCompounds(t *testing.T) {
	checkRelations(t, newTestClassifier(t), []relationCase{
		{"The Thailand–Cambodia border clashes killed 12 civilians.", []string{"Thailand -> Cambodia hostile"}, nil},
		{"Russia–Ukraine talks resumed in Istanbul.", []string{"Russia -> Ukraine cooperative"}, nil},
		{"The Iran–Russia partnership deepened.", []string{"Iran -> Russia cooperative"}, nil},
	})
}

// TestMarkedListMembers checks two parties that the text marks as acting
// alike: "both" or "each" makes their acts parallel, so that each takes
// the other's relation toward the party they act on, and neither holds one
// toward the other; "jointly" keeps them partners, and "each other" makes
// the act mutual.
func TestMarkedListMembers(t *testing.T) {
	checkRelations(t, newTestClassifier(t), []relationCase{
		// Without the rule: no Ghana -> Nigeria, which Togo has.
		{"Both Ghana and Togo welcomed the offer from Nigeria to train their coast guards.",
			[]string{"Ghana -> Nigeria cooperative", "Togo -> Nigeria cooperative"}, nil},
		// Without the rule: Latvia -> Estonia hostile, Laos <-> Cambodia
		// and Samoa -> Fiji cooperative.
		{"Estonia and Latvia each summoned the ambassador of Belarus over the border incidents.",
			[]string{"Latvia -> ambassador of Belarus hostile"}, []string{"Latvia -> Estonia hostile", "Estonia -> Latvia hostile"}},
		{"Laos and Cambodia both turned down a request from Thailand to extradite the activists.",
			nil, []string{"Laos -> Cambodia cooperative", "Cambodia -> Laos cooperative"}},
		{"Both Fiji and Samoa thanked New Zealand for the emergency supplies.",
			[]string{"Fiji -> New Zealand cooperative", "Samoa -> New Zealand cooperative"}, []string{"Samoa -> Fiji cooperative"}},
		{"Norway and Iceland jointly criticised Japan over its whaling quota.",
			[]string{"Norway -> Iceland cooperative", "Norway -> Japan hostile", "Iceland -> Japan hostile"}, nil},
		{"Armenia and Azerbaijan both accused each other of shelling border villages.",
			[]string{"Azerbaijan -> Armenia hostile"}, nil},
		{"Russia and Ukraine each accused the other of violating the truce.",
			[]string{"Ukraine -> Russia hostile"}, nil},
		// "each other" in another clause makes no act of these two on
		// each other.
		{"Estonia and Latvia each summoned the Belarusian envoy, while Armenia and Azerbaijan accused each other of shelling.",
			[]string{"Latvia -> Belarusian envoy hostile"},
			[]string{"Latvia -> Estonia hostile", "Estonia -> Latvia hostile", "Latvia -> Estonia cooperative", "Estonia -> Latvia cooperative"}},
	})
}

// TestListMembersShareRelations: each member of a list of parties holds
// the list's act ("pledged by Japan, Norway and Canada"), however far from
// the act it stands; commas alone make no list.
func TestListMembersShareRelations(t *testing.T) {
	c := newTestClassifier(t)
	text := "Aid for the flood victims in Pakistan was pledged by Japan, Norway and Canada."
	res, err := c.Classify(context.Background(), Request{Text: text, Builtin: true})
	if err != nil {
		t.Fatal(err)
	}
	got := relationTexts(text, res)
	for _, h := range []string{"Japan", "Norway", "Canada"} {
		if !slices.Contains(got, h+" -> Pakistan cooperative") {
			t.Errorf("no %s -> Pakistan cooperative: %q", h, got)
		}
	}
	// The relations keep the API's order: by target, then by holder.
	if !slices.IsSortedFunc(res.Relations, func(a, b Relation) int {
		return cmp.Or(cmp.Compare(a.Target.Span.Start, b.Target.Span.Start), cmp.Compare(a.Holder.Span.Start, b.Holder.Span.Start))
	}) {
		t.Errorf("relations out of order: %q", got)
	}
	// Two lists in one sentence: each member of one toward each of the
	// other, once.
	two := "Japan, Norway and Canada sent aid to Chile, Peru and Bolivia after the floods."
	res, err = c.Classify(context.Background(), Request{Text: two, Builtin: true})
	if err != nil {
		t.Fatal(err)
	}
	got = relationTexts(two, res)
	seen := map[[2]Span]bool{}
	for _, r := range res.Relations {
		k := [2]Span{r.Holder.Span, r.Target.Span}
		if seen[k] {
			t.Errorf("%q: %s -> %s twice: %q", two, two[k[0].Start:k[0].End], two[k[1].Start:k[1].End], got)
		}
		seen[k] = true
	}
	for _, h := range []string{"Japan", "Norway", "Canada"} {
		for _, tg := range []string{"Chile", "Peru", "Bolivia"} {
			if !slices.Contains(got, h+" -> "+tg+" cooperative") {
				t.Errorf("%q: no %s -> %s cooperative: %q", two, h, tg, got)
			}
		}
	}
	// A list acted on takes the act as one, and a list cut by a blank
	// line is two sentences, whose relations stay in each (one line break
	// before "and" only wraps the line).
	for _, tc := range []struct{ text, want, notWant string }{
		{"Turkey accused Egypt, Greece and Cyprus of violating its waters.", "Turkey -> Cyprus hostile", ""},
		{"Turkey accused Egypt, Greece\n\nand Cyprus of violating its waters.", "", "Turkey -> Cyprus hostile"},
	} {
		res, err := c.Classify(context.Background(), Request{Text: tc.text, Builtin: true})
		if err != nil {
			t.Fatal(err)
		}
		got := relationTexts(tc.text, res)
		if tc.want != "" && !slices.Contains(got, tc.want) {
			t.Errorf("%q: no %s among %q", tc.text, tc.want, got)
		}
		if tc.notWant != "" && slices.Contains(got, tc.notWant) {
			t.Errorf("%q: %s among %q", tc.text, tc.notWant, got)
		}
		for _, r := range res.Relations {
			if r.Holder.Span.Start < r.Sentence.Start || r.Target.Span.End > r.Sentence.End ||
				r.Target.Span.Start < r.Sentence.Start || r.Holder.Span.End > r.Sentence.End {
				t.Errorf("%q: a relation's parties outside its sentence: %q", tc.text, got)
			}
		}
	}

	for _, tc := range []struct {
		text string
		want int // parties in the list that starts at the first
	}{
		{"Egypt, Greece and Cyprus condemned Turkey.", 3},
		{"Egypt, Greece, and Cyprus condemned Turkey.", 3},
		{"Egypt, Greece or Cyprus may host the talks.", 3},
		{"Egypt and Greece condemned Turkey.", 2},
		{"In Cairo, Egypt condemned Turkey.", 1},
		{"Egypt, Greece, Cyprus condemned Turkey.", 1},
		// A place that opens the sentence is no member.
		{"In Washington, Israel and Egypt condemned Iran.", 1},
		// Nor is a party of the next sentence.
		{"Egypt, Greece\n\nand Cyprus condemned Turkey.", 1},
	} {
		w := c.an.get()
		if err := c.an.analyze(w, tc.text, entities.Options{Builtin: true}, nil, false); err != nil {
			t.Fatal(err)
		}
		c.an.parties(w, tc.text, nil, true)
		if got := listEnd(&w.doc, w.partyTargets, 0) + 1; got != tc.want {
			t.Errorf("%q: the list from the first party has %d parties, want %d", tc.text, got, tc.want)
		}
		c.an.put(w)
	}
}

// TestOneWayKeepsJoint: of two relations between the same parties, the
// less probable one stands beside the other where the two are joined
// ("Iran and Russia", "at war with") or it is likely on its own.
func TestOneWayKeepsJoint(t *testing.T) {
	rel := func(h, tg int32, p float32, joint bool) relCand {
		c := relCand{h: h, t: tg, label: model.Hostile, joint: joint}
		c.probs[model.Hostile] = p
		return c
	}
	for _, tc := range []struct {
		name  string
		cands []relCand
		want  int
	}{
		{"not joined, weaker under BothWaysAt", []relCand{rel(0, 1, 0.9, false), rel(1, 0, 0.5, false)}, 1},
		{"joined", []relCand{rel(0, 1, 0.9, true), rel(1, 0, 0.5, true)}, 2},
		{"weaker likely on its own", []relCand{rel(0, 1, 0.9, false), rel(1, 0, 0.65, false)}, 2},
	} {
		if got := len(oneWay(slices.Clone(tc.cands))); got != tc.want {
			t.Errorf("%s: %d relations kept, want %d", tc.name, got, tc.want)
		}
	}
}

// TestUnknownNamesHold: a name no table holds holds a relation where a
// holder stands (before a verb, after "by"), never receives one, and is
// not added where the caller marked two parties of the sentence or where
// it is a news outlet or a place.
func TestUnknownNamesHold(t *testing.T) {
	c := newTestClassifier(t)
	for _, tc := range []struct {
		text    string
		spans   []string // the caller's spans, by text
		want    []string
		notWant []string
	}{
		{"Johnson accused Iran of lying about the attack.", []string{"Iran"}, []string{"Johnson -> Iran hostile"}, nil},
		{"The House of Representatives voted to condemn Iran.", nil, []string{"House of Representatives -> Iran hostile"}, nil},
		{"The sanctions on Iran were criticised by Amnestia Global.", []string{"Iran"}, []string{"Amnestia Global -> Iran hostile"}, nil},
		// An apposition before the verb.
		{"Acme, a firm based in Lyon, sued Iran.", []string{"Iran"}, []string{"Acme -> Iran hostile"}, nil},
		// The speaker after a quote.
		{"\"Iran is lying about the attack,\" said Johnson.", []string{"Iran"}, []string{"Johnson -> Iran hostile"}, nil},
		// The progressive after "be", across an adverb.
		{"Acme is fully cooperating with Iran on the project.", []string{"Iran"}, []string{"Acme -> Iran cooperative"}, nil},
		// A time adjunct between the name and its verb, as wire news dates
		// an act.
		{"Acme on Thursday sued Iran over the seizure.", []string{"Iran"}, []string{"Acme -> Iran hostile"}, nil},
		{"Acme late on Monday accused Iran of lying.", []string{"Iran"}, []string{"Acme -> Iran hostile"}, nil},
		{"Acme last week sued Iran over the seizure.", []string{"Iran"}, []string{"Acme -> Iran hostile"}, nil},
		// An opening word is no name across one either.
		{"Early on Monday troops attacked Iran.", []string{"Iran"}, nil, []string{"Early -> Iran hostile"}},
		// A noun of those who act, and a name's short complement.
		{"Later, prosecutors accused Iran of fraud.", []string{"Iran"}, []string{"prosecutors -> Iran hostile"}, nil},
		{"Lawyers for the family sued Iran.", []string{"Iran"}, []string{"Lawyers -> Iran hostile"}, nil},
		// A noun a party owns is the party's.
		{"Iraq's chief prosecutors accused Iran of fraud.", nil, []string{"Iraq -> Iran hostile"}, []string{"prosecutors -> Iran hostile"}},
		// Never a target.
		{"Iran accused Johnson of lying about the attack.", []string{"Iran"}, nil, []string{"Iran -> Johnson hostile"}},
		// A run of more than six words is no name, nor its tail.
		{"The Federal Association of the Grain Growers Union criticised Iran.", []string{"Iran"}, nil,
			[]string{"Growers Union -> Iran hostile", "Grain Growers Union -> Iran hostile"}},
		// A name between two known parties leaves their pair as it was.
		{"Iran, Johnson said, attacked Iraq.", nil, []string{"Iran -> Iraq hostile", "Johnson -> Iraq hostile"}, nil},
		// The caller named the sentence's actors.
		{"Johnson said Iran had attacked Iraq.", []string{"Iran", "Iraq"}, []string{"Iran -> Iraq hostile"}, []string{"Johnson -> Iran hostile", "Johnson -> Iraq hostile"}},
		// A news outlet cites; a place is no actor.
		{"Al Jazeera reported that Iran attacked Iraq.", nil, nil, []string{"Al Jazeera -> Iran hostile", "Al Jazeera -> Iraq hostile"}},
		{"Protesters in Victoria Park denounced China.", []string{"China"}, nil, []string{"Victoria Park -> China hostile"}},
		// A city the gazetteer left out as a place is no name either.
		{"The mayor of London spoke against Iran.", nil, nil, []string{"London -> Iran hostile"}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			var spans []Span
			for _, s := range tc.spans {
				i := strings.Index(tc.text, s)
				spans = append(spans, Span{i, i + len(s)})
			}
			res, err := c.Classify(context.Background(), Request{Text: tc.text, Builtin: true, Spans: spans})
			if err != nil {
				t.Fatal(err)
			}
			got := relationTexts(tc.text, res)
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("no %q among %q", w, got)
				}
			}
			for _, w := range tc.notWant {
				if slices.Contains(got, w) {
					t.Errorf("%q among %q", w, got)
				}
			}
		})
	}
}

// TestPlacedHolder: a state where an act happens ("over Syria") holds no
// relation.
func TestPlacedHolder(t *testing.T) {
	c := newTestClassifier(t)
	text := "Two Iranian drones were shot down by Israeli jets over Syria."
	got := relationsOf(t, c, text)
	if !slices.Contains(got, "Israeli -> Iranian hostile") {
		t.Errorf("no Israeli -> Iranian hostile among %q", got)
	}
	for _, r := range got {
		if strings.HasPrefix(r, "Syria ->") {
			t.Errorf("%q among %q", r, got)
		}
	}
}

// TestPronounsHold: "he" or "she" opening a sentence after one person is
// named holds that person's relations, as the person (its entity), and
// never where two people were named before it or as a possessive.
func TestPronounsHold(t *testing.T) {
	c := newTestClassifier(t)
	for _, tc := range []struct {
		text    string
		want    string // holder text -> target text label, holder entity id
		notWant []string
	}{
		{text: "Russian Foreign Minister Sergei Lavrov spoke in Moscow on Monday. He accused NATO of provoking a new arms race.",
			want: "He -> NATO hostile person:sergey-lavrov"},
		{text: "Angela Merkel met officials in Paris. She praised Poland for its courage.",
			want: "She -> Poland cooperative person:angela-merkel"},
		// Two people before it: who "she" is, the rule cannot tell.
		{text: "Angela Merkel met Emmanuel Macron in Paris. She praised Poland for its courage.",
			notWant: []string{"She -> Poland cooperative"}},
		// A pronoun in a quote is the speaker's, and "He" before a
		// capitalised word is a name.
		{text: "Joe Biden visited Kyiv on Monday. \"He wants to destroy Ukraine,\" a minister said of the Russian leader.",
			notWant: []string{"He -> Ukraine hostile"}},
		{text: "Sergei Lavrov spoke in Moscow on Monday. He Yafei accused NATO of provoking a new arms race.",
			notWant: []string{"He -> NATO hostile"}},
		// A possessive is no holder.
		{text: "Sergei Lavrov spoke in Moscow on Monday. His ministry accused NATO of provoking a new arms race.",
			notWant: []string{"His -> NATO hostile"}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			res, err := c.Classify(context.Background(), Request{Text: tc.text, Builtin: true})
			if err != nil {
				t.Fatal(err)
			}
			got := relationTexts(tc.text, res)
			if tc.want != "" {
				found := false
				for _, r := range res.Relations {
					s := tc.text[r.Holder.Span.Start:r.Holder.Span.End] + " -> " + tc.text[r.Target.Span.Start:r.Target.Span.End] + " " + r.Label.String() + " " + r.Holder.Entity.ID
					found = found || s == tc.want
				}
				if !found {
					t.Errorf("no %q among %q", tc.want, got)
				}
			}
			for _, w := range tc.notWant {
				if slices.Contains(got, w) {
					t.Errorf("%q among %q", w, got)
				}
			}
		})
	}
}

// TestNamesPerSentence: a sentence of many names gets at most
// maxSentenceNames of them as parties, so that they do not crowd its
// mentions out of the parties the stage pairs.
func TestNamesPerSentence(t *testing.T) {
	c := newTestClassifier(t)
	var b strings.Builder
	for _, n := range []string{"Adams", "Baker", "Clark", "Davis", "Evans", "Fuller", "Grant"} {
		b.WriteString(n + " said, ")
	}
	text := b.String() + "and Iran agreed."
	w := c.an.get()
	defer c.an.put(w)
	if err := c.an.analyze(w, text, entities.Options{Builtin: true}, nil, false); err != nil {
		t.Fatal(err)
	}
	names := 0
	for _, p := range c.an.parties(w, text, nil, true) {
		if p.name {
			names++
		}
	}
	if names != maxSentenceNames {
		t.Errorf("%d names among the parties of %q, want %d", names, text, maxSentenceNames)
	}
	// Names fill only the places the sentence's other parties leave of
	// those paired.
	states := "Iran, Iraq, Syria, Jordan, Egypt, Libya, Sudan, Chad, Niger, Mali, Oman, Yemen, Qatar and Kuwait"
	text = "Adams said, Baker said and Clark said that " + states + " condemned Russia."
	if err := c.an.analyze(w, text, entities.Options{Builtin: true}, nil, false); err != nil {
		t.Fatal(err)
	}
	others := 0
	names = 0
	for _, p := range c.an.parties(w, text, nil, true) {
		if p.name {
			names++
		} else {
			others++
		}
	}
	if others+names > maxSentenceParties || names == 0 {
		t.Errorf("%d names and %d other parties in %q: want names, and at most %d in all", names, others, text, maxSentenceParties)
	}
}

// TestCounterWordEvidence: "against" is the evidence of the hostility it
// carries toward the party it governs, and no evidence of the partners'
// cooperation.
func TestCounterWordEvidence(t *testing.T) {
	c := newTestClassifier(t)
	text := "Germany sided with France against Italy on the budget rules."
	res, err := c.Classify(context.Background(), Request{Text: text, Builtin: true, MaxEvidence: 5})
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, r := range res.Relations {
		pair := text[r.Holder.Span.Start:r.Holder.Span.End] + " -> " + text[r.Target.Span.Start:r.Target.Span.End]
		against := false
		for _, e := range r.Evidence {
			against = against || text[e.Span.Start:e.Span.End] == "against"
		}
		switch pair {
		case "Germany -> Italy":
			seen++
			if r.Label != model.Hostile || !against {
				t.Errorf("%s: %v, evidence without \"against\": %+v", pair, r.Label, r.Evidence)
			}
		case "Germany -> France":
			seen++
			if against {
				t.Errorf("%s: %v, \"against\" in its evidence", pair, r.Label)
			}
		}
	}
	if seen != 2 {
		t.Errorf("want Germany -> Italy and Germany -> France, got %d of them in %+v", seen, res.Relations)
	}
}

// TestHolderPositionAcrossTime: a time phrase between a name and its verb
// keeps the name a holder, and the test that a one-word name opening a
// sentence is followed by a verb, not a plural noun, still applies past it.
func TestHolderPositionAcrossTime(t *testing.T) {
	c := newTestClassifier(t)
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"Arnor on Thursday signed a pact.", true},
		{"Arnor late on Monday accused Gondor.", true},
		{"Arnor earlier this month condemned Gondor.", true},
		{"Arnor on Tuesday night attacked Gondor.", true},
		{"Arnor on Monday says it will sign.", true},
		// A plural noun after the phrase: "Arnor" opens the sentence.
		{"Arnor on Monday troops attacked Gondor.", false},
		{"Arnor last week officials accused Gondor.", false},
		// A weekday that is no phrase of time leaves the name without a verb.
		{"Arnor on the record attacked Gondor.", false},
	} {
		d := c.an.tok.Tokenize(tc.text)
		s := d.Sentences[0]
		if got := holderPosition(d, s.First, s.First+1, s.First, s.End); got != tc.want {
			t.Errorf("%q: holderPosition(Arnor) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// TestAffiliatedPairs: a person and the body a title ties them to hold no
// stance either way, whatever the sentence says of one of them, while a
// state's possessive before another state is no tie.
func TestAffiliatedPairs(t *testing.T) {
	c := newTestClassifier(t)
	for _, tc := range []struct {
		text    string
		want    []string
		notWant []string // matched as prefixes: no label either way
	}{
		{"John Smith, the chief of the Kenyan police, was arrested.", nil,
			[]string{"John Smith -> Kenyan police", "Kenyan police -> John Smith"}},
		{"Abdul Karim, a commander of Hezbollah, was killed in an Israeli strike.", []string{"Israeli -> Hezbollah hostile"},
			[]string{"Abdul Karim -> Hezbollah", "Hezbollah -> Abdul Karim"}},
		{"Ahmed al-Assadi, a spokesman for the PMF, accused the United States of violating Iraqi sovereignty.",
			[]string{"Ahmed al-Assadi -> United States hostile"}, []string{"Ahmed al-Assadi -> PMF", "PMF -> Ahmed al-Assadi"}},
		{"Russia's Ukraine invasion drew condemnation from France.", []string{"Russia -> Ukraine hostile"}, nil},
		// "deputy" opening a title is no police deputy, and the official
		// and the state that owns the title hold nothing toward each other.
		{"Ali Bagheri, Iran's deputy foreign minister, met Josep Borrell.", nil,
			[]string{"Iran's deputy ->", "Ali Bagheri -> Iran", "Iran -> Ali Bagheri"}},
	} {
		got := relationsOf(t, c, tc.text)
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q: no %q among %q", tc.text, w, got)
			}
		}
		for _, r := range got {
			for _, nw := range tc.notWant {
				if strings.HasPrefix(r, nw+" ") || strings.HasSuffix(nw, "->") && strings.HasPrefix(r, nw) {
					t.Errorf("%q: %q among %q", tc.text, r, got)
				}
			}
		}
	}
}
