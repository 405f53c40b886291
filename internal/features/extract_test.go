package features

import (
	"slices"
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/lexicon"
	"github.com/stance/classifierd/internal/sharedtest"
)

// prepared tokenizes text and finds its lexicon cues.
func prepared(t *testing.T, text string) (*Document, []CueMatch) {
	t.Helper()
	tok, err := NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	d := tok.Tokenize(text)
	var s Scratch
	return d, NewCueIndex(lexicon.Default()).Match(nil, d, &s)
}

// targetsOf returns one single-token target per word in names, in order.
func targetsOf(t *testing.T, d *Document, names ...string) []Target {
	t.Helper()
	var ts []Target
	next := 0
	for _, n := range names {
		found := false
		for i := next; i < len(d.Tokens); i++ {
			if d.Surface(i) == n {
				ts = append(ts, Target{First: i, End: i + 1})
				next, found = i+1, true
				break
			}
		}
		if !found {
			t.Fatalf("%q not in %q", n, d.Text)
		}
	}
	return ts
}

func cueAt(t *testing.T, d *Document, cues []CueMatch, word string) *CueMatch {
	t.Helper()
	for i := range cues {
		if d.Surface(cues[i].First) == word {
			return &cues[i]
		}
	}
	t.Fatalf("no cue %q in %q", word, d.Text)
	return nil
}

// roleCase is a sentence, one of its cues and its parties (single words,
// in order) with the role each should take toward the cue.
type roleCase struct {
	text    string
	cue     string
	targets []string
	want    []Role
}

// checkRoles runs role on each case's parties and cue.
func checkRoles(t *testing.T, cases []roleCase, role func(d *Document, sent Sentence, sentCues []CueMatch, targets []Target, m int, c *CueMatch) Role) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.text, func(t *testing.T) {
			d, cues := prepared(t, tt.text)
			targets := targetsOf(t, d, tt.targets...)
			c := cueAt(t, d, cues, tt.cue)
			sent := d.Sentences[d.SentenceOf(targets[0].First)]
			for m, want := range tt.want {
				if got := role(d, sent, cues, targets, m, c); got != want {
					t.Errorf("%s: role %d, want %d", tt.targets[m], got, want)
				}
			}
		})
	}
}

func TestRoleOf(t *testing.T) {
	checkRoles(t, []roleCase{
		{"NATO accused Iran of destabilizing the region.", "accused", []string{"NATO", "Iran"}, []Role{RoleSubject, RoleObject}},
		{"Iran was accused by NATO of destabilizing the region.", "accused", []string{"Iran", "NATO"}, []Role{RoleObject, RoleSubject}},
		{"NATO accused Iran and Russia.", "accused", []string{"NATO", "Iran", "Russia"}, []Role{RoleSubject, RoleObject, RoleObject}},
		{"Iran said NATO threatened the region.", "threatened", []string{"Iran", "NATO"}, []Role{RoleNear, RoleSubject}},
		{"NATO's expansion poses a serious threat.", "threat", []string{"NATO"}, []Role{RoleAttribute}},
		{"The expansion of the NATO is a serious threat.", "threat", []string{"NATO"}, []Role{RoleAttribute}},
		{"A call with Russia after the escalation of the crisis.", "escalation", []string{"Russia"}, []Role{RoleNear}},
		// Passives across adverbs and coordinated participles.
		{"Syria was repeatedly bombed by Israel.", "bombed", []string{"Syria", "Israel"}, []Role{RoleObject, RoleSubject}},
		{"Iran was not accused by NATO.", "accused", []string{"Iran", "NATO"}, []Role{RoleObject, RoleSubject}},
		{"Iran was criticised and accused by NATO.", "accused", []string{"Iran", "NATO"}, []Role{RoleObject, RoleSubject}},
		{"Russia attacked and accused Ukraine.", "accused", []string{"Russia", "Ukraine"}, []Role{RoleSubject, RoleObject}},
		{"Yemen accused Israel.", "accused", []string{"Yemen", "Israel"}, []Role{RoleSubject, RoleObject}},
		// A form in -ing after "be" is the progressive, active.
		{"Israel was bombing Gaza.", "bombing", []string{"Israel", "Gaza"}, []Role{RoleSubject, RoleObject}},
		{"Russia is attacking Ukraine.", "attacking", []string{"Russia", "Ukraine"}, []Role{RoleSubject, RoleObject}},
	}, func(d *Document, _ Sentence, _ []CueMatch, targets []Target, m int, c *CueMatch) Role {
		return RoleOf(d, targets, m, c)
	})
}

func TestIsSpeaker(t *testing.T) {
	tests := []struct {
		text, target string
		want         bool
	}{
		{"Iran said the talks were useful.", "Iran", true},
		{"Iran has also said the talks were useful.", "Iran", true},
		{"The talks were useful, said Lavrov.", "Lavrov", true},
		{"According to Tehran, the talks were useful.", "Tehran", true},
		{"NATO accused Iran of destabilizing the region.", "Iran", false},
		// An envoy's post is no speaker; the envoy is.
		{"The Iranian ambassador to Moscow noted that the talks were useful.", "Moscow", false},
		{"The Iranian ambassador to Moscow noted that the talks were useful.", "ambassador", true},
		{"Their envoy to the United Nations said the talks were useful.", "envoy", true},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			d, _ := prepared(t, tt.text)
			ts := targetsOf(t, d, tt.target)
			if got := isSpeaker(d, d.Sentences[d.SentenceOf(ts[0].First)], ts[0]); got != tt.want {
				t.Errorf("isSpeaker(%s) = %v, want %v", tt.target, got, tt.want)
			}
		})
	}
}

func TestIsCoordinated(t *testing.T) {
	tests := []struct {
		text    string
		targets []string
		want    []bool
	}{
		{"Tensions between Russia and NATO grew.", []string{"Russia", "NATO"}, []bool{true, true}},
		{"Russia warned NATO.", []string{"Russia", "NATO"}, []bool{false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			d, _ := prepared(t, tt.text)
			ts := targetsOf(t, d, tt.targets...)
			for m, want := range tt.want {
				if got := isCoordinated(d, ts, m); got != want {
					t.Errorf("%s: %v, want %v", tt.targets[m], got, want)
				}
			}
		})
	}
}

// TestIsCoordinatedHyphen: both mentions of "Ukraine-Russia" cover the
// one hyphenated token.
func TestIsCoordinatedHyphen(t *testing.T) {
	d, _ := prepared(t, "The Ukraine-Russia crisis deepened.")
	ts := targetsOf(t, d, "Ukraine-Russia")
	ts = append(ts, ts[0])
	for m := range ts {
		if !isCoordinated(d, ts, m) {
			t.Errorf("mention %d not coordinated", m)
		}
	}
}

// clauseBounds is what Context.clause computes, by scanning the tokens
// around the mention: the reference it is checked against. A colon that
// opens a quote is no boundary, nor is a dash that joins two words.
func clauseBounds(d *Document, sent Sentence, t Target) (left, right int) {
	left, right = max(sent.First, t.First-maxClause), min(sent.End, t.End+maxClause)
	for i := t.First - 1; i >= left; i-- {
		if ClauseBoundaryAt(d, i) && !quoteColon(d, i, sent.End) {
			left = i + 1
			break
		}
	}
	for i := t.End; i < right; i++ {
		if ClauseBoundaryAt(d, i) && !quoteColon(d, i, sent.End) {
			right = i
			break
		}
	}
	return left, right
}

// TestClauseMatchesScan checks Context.clause, which reads the boundaries
// found once per document, against clauseBounds at every token of the news
// corpus, for mentions of one to three tokens.
func TestClauseMatchesScan(t *testing.T) {
	tok := mustTokenizer(t)
	var c Context
	for _, text := range sharedtest.News(t) {
		d := tok.Tokenize(text)
		c.Reset(d, nil)
		for si, sent := range d.Sentences {
			for i := sent.First; i < sent.End; i++ {
				for n := 1; n <= 3 && i+n <= sent.End; n++ {
					tg := Target{First: i, End: i + n}
					l, r := c.clause(si, tg)
					wl, wr := clauseBounds(d, sent, tg)
					if l != wl || r != wr {
						t.Fatalf("clause of tokens [%d,%d) in %.60q: [%d,%d), want [%d,%d)", i, i+n, text, l, r, wl, wr)
					}
				}
			}
		}
	}
}

func TestClauseBounds(t *testing.T) {
	d, _ := prepared(t, "Iran praised the deal, but Israel condemned it; Egypt was silent.")
	ts := targetsOf(t, d, "Iran", "Israel", "Egypt")
	sent := d.Sentences[0]
	want := [][2]string{{"Iran", "but"}, {"Israel", ";"}, {"Egypt", ""}}
	for m, tg := range ts {
		var c Context
		c.Reset(d, nil)
		left, right := c.clause(0, tg)
		if got := d.Surface(left); got != want[m][0] {
			t.Errorf("%s: clause starts at %q, want %q", want[m][0], got, want[m][0])
		}
		end := ""
		if right < sent.End {
			end = d.Surface(right)
		}
		if end != want[m][1] && !(want[m][1] == "" && right == sent.End-1) {
			t.Errorf("%s: clause ends before %q, want %q", want[m][0], end, want[m][1])
		}
	}
}

// TestExtractClauseScope checks that the cues of another clause give a
// mention other features than the cues of its own.
func TestExtractClauseScope(t *testing.T) {
	d, cues := prepared(t, "Iran praised the deal, but Israel condemned it.")
	ts := targetsOf(t, d, "Iran", "Israel")
	var c Context
	c.Reset(d, cues)
	e := NewExtractor(20)
	iran := e.Extract(nil, &c, ts, 0)
	israel := e.Extract(nil, &c, ts, 1)
	same := make(map[uint32]bool)
	for _, f := range iran {
		same[f.Index] = true
	}
	shared := 0
	for _, f := range israel {
		if f.Cue >= 0 && same[f.Index] {
			shared++
		}
	}
	if shared == len(israel) {
		t.Errorf("Iran and Israel share all %d cue features", shared)
	}
	again := e.Extract(nil, &c, ts, 1)
	if len(again) != len(israel) {
		t.Fatalf("extraction not deterministic: %d then %d features", len(israel), len(again))
	}
	for i := range again {
		if again[i] != israel[i] {
			t.Fatalf("feature %d: %+v then %+v", i, israel[i], again[i])
		}
	}
}

func BenchmarkExtract(b *testing.B) {
	tok, err := NewTokenizer()
	if err != nil {
		b.Fatal(err)
	}
	d := tok.Tokenize("In a phone call with his Russian counterpart after the escalation of the crisis, Iranian President Ebrahim Raisi cautioned that NATO's expansion poses a serious threat to the stability of independent states, but he welcomed the talks.")
	var s Scratch
	cues := NewCueIndex(lexicon.Default()).Match(nil, d, &s)
	var c Context
	c.Reset(d, cues)
	ts := []Target{{First: 7, End: 8}, {First: 22, End: 23}}
	e := NewExtractor(20)
	var dst []Feature
	b.ReportAllocs()
	for b.Loop() {
		for m := range ts {
			dst = e.Extract(dst[:0], &c, ts, m)
		}
	}
}

func TestMentionBetween(t *testing.T) {
	tests := []struct {
		text    string
		cue     string
		targets []string
		want    []bool
	}{
		{"Russia held talks with China and praised the outcome.", "praised", []string{"Russia", "China"}, []bool{true, false}},
		{"Sanctions hurt Iran, Russia said.", "Sanctions", []string{"Iran", "Russia"}, []bool{false, true}},
		{"Iran welcomed the deal.", "welcomed", []string{"Iran"}, []bool{false}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			d, cues := prepared(t, tt.text)
			c := cueAt(t, d, cues, tt.cue)
			ts := targetsOf(t, d, tt.targets...)
			for m, want := range tt.want {
				if got := mentionBetween(ts, m, c); got != want {
					t.Errorf("mentionBetween(%s, %q) = %v, want %v", tt.targets[m], tt.cue, got, want)
				}
			}
		})
	}
}

func TestSourceClass(t *testing.T) {
	tests := []struct {
		source string
		want   uint8
	}{
		{"cameo:112", srcCAMEO},
		{"vader+afinn", srcVADER | srcAFINN},
		{"team", srcTeam},
		{"user", 0},
		{"", 0},
	}
	for _, tt := range tests {
		t.Run(tt.source, func(t *testing.T) {
			if got := sourceClass(tt.source); got != tt.want {
				t.Errorf("sourceClass(%q) = %b, want %b", tt.source, got, tt.want)
			}
		})
	}
}

// isClauseBoundary knows the boundary words, case and all.
func TestIsClauseBoundary(t *testing.T) {
	for _, w := range []string{";", ":", "but", "But", "while", "While", "whereas", "although", "Although", "though", "however", "However", "—", "–"} {
		if !isClauseBoundary(w) {
			t.Errorf("%q is not a clause boundary", w)
		}
	}
	for _, w := range []string{"", "the", "and", "BUT", "whilst", "thought", "-", ",", "Tehran", "h", "a"} {
		if isClauseBoundary(w) {
			t.Errorf("%q is a clause boundary", w)
		}
	}
}

// TestClauseBoundaryAt: a dash between spaces sets off an aside, a clause
// of its own; one that touches the words either side joins them as a
// hyphen does.
func TestClauseBoundaryAt(t *testing.T) {
	tok, err := NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		text     string
		boundary bool // at the dash
	}{
		{"The Russia–Ukraine talks resumed.", false},
		{"Iran – which denies it – accused Israel.", true},
		{"Iran –which denies it– accused Israel.", true},
		{"Iran — which denies it — accused Israel.", true},
		{"The 1990–1995 talks failed.", true},
	} {
		d := tok.Tokenize(tc.text)
		dash := -1
		for i := range d.Tokens {
			if s := d.Surface(i); s == "–" || s == "—" || s == "‐" {
				dash = i
				break
			}
		}
		if dash < 0 {
			t.Fatalf("%q: no dash token", tc.text)
		}
		if got := ClauseBoundaryAt(d, dash); got != tc.boundary {
			t.Errorf("%q: ClauseBoundaryAt = %v, want %v", tc.text, got, tc.boundary)
		}
	}
}

// TestAttribution: the attribution features fire where a reader would say
// whose a cue is, and not in a plain sentence. The keys are those
// attribution builds.
func TestAttribution(t *testing.T) {
	const (
		speech = 1 << 48
		deny   = 2 << 48
		denyG  = 3 << 48
		rev    = 4 << 48
		negd   = 5 << 48
	)
	tests := []struct {
		text    string
		targets []string
		m       int
		cue     string
		want    uint64 // the kind of attribution feature that must fire
		side    uint64
		pol     uint64 // the sign in the key (before negation for negd)
	}{
		// "did not condemn" is not praise of Ethiopia: the feature keeps
		// the hostile sign the cue had before negation.
		{"Egypt did not condemn Ethiopia.", []string{"Egypt", "Ethiopia"}, 1, "condemn", negd, 0, 1},
		{"Iran said NATO threatened the region.", []string{"Iran", "NATO"}, 0, "threatened", speech, 1, 1},
		// "refused to" negates what it governs, as "did not" does, and
		// governs it as a refusal.
		{"Russia refused to condemn Israel.", []string{"Russia", "Israel"}, 1, "condemn", negd, 0, 1},
		{"Russia refused to condemn Israel.", []string{"Russia", "Israel"}, 1, "condemn", denyG, 0, 2},
		{"Russia refused to condemn Israel.", []string{"Russia", "Israel"}, 0, "condemn", deny, 1, 2},
		{"The United States suspended cooperation with Egypt.", []string{"Egypt"}, 0, "cooperation", rev, 0, 2},
	}
	e := NewExtractor(20)
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			d, cues := prepared(t, tt.text)
			var c Context
			c.Reset(d, cues)
			ts := targetsOf(t, d, tt.targets...)
			cue := cueAt(t, d, cues, tt.cue)
			role := RoleOf(d, ts, tt.m, cue)
			want := e.hash(tAttribution<<56 | tt.want | tt.pol<<40 | tt.side<<32 | uint64(role)<<24)
			fs := e.Extract(nil, &c, ts, tt.m)
			if !slices.ContainsFunc(fs, func(f Feature) bool { return f.Index == want }) {
				t.Errorf("no attribution feature %d for %s and %q (role %d)", tt.want>>48, tt.targets[tt.m], tt.cue, role)
			}
		})
	}
	// A plain sentence has none of them.
	d, cues := prepared(t, "Iran welcomed the deal with Oman.")
	var c Context
	c.Reset(d, cues)
	ts := targetsOf(t, d, "Iran", "Oman")
	for m := range ts {
		fs := e.Extract(nil, &c, ts, m)
		for _, kind := range []uint64{speech, deny, denyG, rev, negd} {
			for pol := range uint64(3) {
				for side := range uint64(2) {
					for role := range uint64(numRoles) {
						k := e.hash(tAttribution<<56 | kind | pol<<40 | side<<32 | role<<24)
						if slices.ContainsFunc(fs, func(f Feature) bool { return f.Index == k }) {
							t.Errorf("%s: attribution feature %d in a plain sentence", d.Surface(ts[m].First), kind>>48)
						}
					}
				}
			}
		}
	}
}

func TestAttrClass(t *testing.T) {
	for w, want := range map[string]uint8{
		"said": attrSpeech, "according": attrSpeech, "denied": attrDeny, "refused": attrDeny,
		"halted": attrReverse, "lifted": attrReverse, "opposed": attrReverse, "the": 0, "condemned": 0,
	} {
		if got := attrClass(w); got != want {
			t.Errorf("attrClass(%q) = %b, want %b", w, got, want)
		}
	}
}

// TestMentionPieces: a mention's own words are features, named by no
// token of the text (PriorToken), so that evidence cannot show them, and
// they come last, where PriorStart finds them.
func TestMentionPieces(t *testing.T) {
	d, cues := prepared(t, "Officials met Hamas leaders in Doha.")
	var c Context
	c.Reset(d, cues)
	ts := targetsOf(t, d, "Hamas")
	e := NewExtractor(20)
	fs := e.Extract(nil, &c, ts, 0)
	n := 0
	for _, id := range d.pieceIDs(ts[0].First) {
		k := e.hash(tMentionPiece<<56 | uint64(uint32(id)))
		for _, f := range fs {
			if f.Index == k {
				n++
				if f.Token != PriorToken || f.Cue != -1 {
					t.Errorf("mention piece feature names token %d, cue %d", f.Token, f.Cue)
				}
			}
		}
	}
	if n == 0 {
		t.Error("no mention piece feature")
	}
	k := PriorStart(fs)
	if len(fs)-k != n {
		t.Errorf("PriorStart: %d features after it, want the %d mention pieces", len(fs)-k, n)
	}
	for _, f := range fs[:k] {
		if f.Token == PriorToken {
			t.Errorf("a prior feature before PriorStart %d", k)
		}
	}
}

// TestSentencesKeepInitials: a name's middle initial ends no sentence; a
// dot after a word still does.
func TestSentencesKeepInitials(t *testing.T) {
	tok := mustTokenizer(t)
	for _, tc := range []struct {
		text string
		want int
	}{
		{"John R. Bolton resigned. Trump said so.", 2},
		{"Attorney Thomas T. Cullen said Smithers lied.", 1},
		{"He met I. Then he left.", 2},
	} {
		if got := len(tok.Tokenize(tc.text).Sentences); got != tc.want {
			t.Errorf("%q: %d sentences, want %d", tc.text, got, tc.want)
		}
	}
}

// A quotation mark that touches the dot closes its sentence; one after a
// space opens the next.
func TestSentencesOwnTheirQuotes(t *testing.T) {
	tok := mustTokenizer(t)
	for text, want := range map[string]string{
		`Lavrov spoke on Monday. "He is lying," an aide said.`: `"He is lying," an aide said.`,
		`"Iran is lying." Lavrov spoke on Monday.`:             `Lavrov spoke on Monday.`,
	} {
		d := tok.Tokenize(text)
		if len(d.Sentences) != 2 {
			t.Fatalf("%q: %d sentences, want 2", text, len(d.Sentences))
		}
		s := d.Sentences[1]
		if got := text[d.Tokens[s.First].Start:d.Tokens[s.End-1].End]; got != want {
			t.Errorf("%q: second sentence %q, want %q", text, got, want)
		}
	}
}

func TestPostActedOn(t *testing.T) {
	tok, err := NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		text, post string
		want       bool
	}{
		{"Mexico recalled its ambassador to Ecuador.", "Ecuador", true},
		{"Israel withdrew the country's ambassador to Ireland.", "Ireland", true},
		{"Riyadh named a new envoy to Tehran.", "Tehran", true},
		{"The Turkish ambassador to Moscow warned NATO.", "Moscow", false},
		{"Iran's ambassador to Russia said so.", "Russia", false},
		{"Mexico recalled that its ambassador to Ecuador had left.", "Ecuador", false},
	} {
		var d Document
		tok.TokenizeInto(&d, tc.text)
		first := d.TokenAt(strings.Index(tc.text, tc.post))
		if !IsPost(&d, first) {
			t.Errorf("%q: %q is no post", tc.text, tc.post)
			continue
		}
		if got := PostActedOn(&d, first); got != tc.want {
			t.Errorf("%q: PostActedOn(%q) = %v, want %v", tc.text, tc.post, got, tc.want)
		}
	}
}
