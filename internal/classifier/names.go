package classifier

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/features"
)

// Unknown names as holders. Real news names many of those who act by names
// no table holds: a surname alone ("Johnson said"), a legislature or a
// court ("the House of Representatives voted"), a company, a party, a
// committee, a titled official the gazetteer does not know ("Judge
// Marrero"). On the Wikinews sentences, a third of the gold holders were
// found by nothing when only the target was given. nameParties makes each
// such name a party of the relation stage that may hold a relation toward
// a known party, a caller's span or a generic actor, and may not receive
// one: the target side stays with what the service can name.

// maxNameTokens bounds an unknown name: a longer run of capitalised words
// (a headline, a long institution's name, whose tail alone would be read
// as one) is no name.
const maxNameTokens = 6

// maxSentenceNames bounds the names of one sentence, so that a sentence
// of many names does not crowd its mentions and the caller's spans out of
// the parties the stage pairs (maxSentenceParties).
const maxSentenceNames = 4

// nameParties appends to dst, in token order, the unknown names of the
// wanted sentences of d: runs of up to maxNameTokens capitalised words,
// with connectors inside ("House of Representatives", "Court of the Ninth
// Circuit": nameConnector), and nouns of those who act in lower case
// (actorNoun) that no party owns. A name overlaps and touches no party of
// ps and no mention ("President [Trump]", "[Iraqi] Parliament": the words
// belong to the party beside them), holds no form the gazetteer left out
// (leftOut, sorted by Start: a place, a blocked phrase), stands where a
// holder does (holderPosition), and is no news outlet, modifier or
// contraction. Function words and dates that open a run are left out ("On
// Monday Johnson"); a run right after a preposition of place or time is a
// place, not an actor ("in Victoria Park"). Sentences where the caller
// marked two parties or more get none, and others at most
// maxSentenceNames, within what their parties leave of maxSentenceParties.
// ps, mentions and cues (the lexicon's matches) must be in token order.
func nameParties(dst []party, d *features.Document, want []bool, ps []party, mentions []features.Target, leftOut []entities.Mention, cues []features.CueMatch) []party {
	pi, ci, mi, li, qi := 0, 0, 0, 0, 0 // the first party, caller's span, mention, left-out form and cue not before the run or sentence
	for si, s := range d.Sentences {
		if si >= len(want) || !want[si] {
			continue
		}
		// A caller who marks two parties of a sentence or more has named
		// its actors: its other names are no one's to add.
		for ci < len(ps) && ps[ci].target.First < s.First {
			ci++
		}
		callers, parties := 0, 0
		for j := ci; j < len(ps) && ps[j].target.First < s.End; j++ {
			parties++
			if ps[j].caller {
				callers++
			}
		}
		if callers >= 2 {
			continue
		}
		// The names fill what the sentence's parties leave of the ones
		// paired (maxSentenceParties), so that they crowd none of those out.
		names, most := 0, min(maxSentenceNames, maxSentenceParties-parties)
		for i := s.First; i < s.End && names < most; {
			end := i + 1
			if !capitalisedWord(d, i) {
				// "the court ruled", "prosecutors said": a noun of those
				// who act, in lower case, names its actor as a capitalised
				// name does.
				if d.Tokens[i].Kind != features.KindWord || !mayBeActorNoun(d, i) || !actorNoun(d.Surface(i)) {
					i++
					continue
				}
			}
			// The run: capitalised words, and connectors between two. It is
			// read to its end: one longer than maxNameTokens is no name (a
			// headline; a long institution's name, whose tail alone would
			// be one).
			for end < s.End && capitalisedWord(d, i) {
				if capitalisedWord(d, end) {
					end++
					continue
				}
				if c := nameConnector(d, end); c > 0 && end+c < s.End && capitalisedWord(d, end+c) {
					end += c + 1
					continue
				}
				break
			}
			// Opening words, and the connectors they leave in front ("Some
			// of the Wardens"), are no part of the name.
			first := i
			for first < end && (openingWord(d.Surface(first)) || nameConnector(d, first) > 0 || d.Surface(first) == "the") {
				first++
			}
			i = end
			if first == end || end-first > maxNameTokens {
				continue
			}
			// The first party and the first mention that end at first or
			// later touch or overlap the run where they start at end or
			// before. A mention that is no party is no name either ("the
			// ambassador to Moscow": the post, which parties leaves out).
			for pi < len(ps) && ps[pi].target.End < first {
				pi++
			}
			for mi < len(mentions) && mentions[mi].End < first {
				mi++
			}
			if pi < len(ps) && ps[pi].target.First <= end || mi < len(mentions) && mentions[mi].First <= end {
				continue
			}
			// A form the gazetteer matched and left out ("the mayor of
			// London spoke", "the Vienna talks") names no actor here.
			bs, be := d.Tokens[first].Start, d.Tokens[end-1].End
			for li < len(leftOut) && leftOut[li].End <= bs {
				li++
			}
			if li < len(leftOut) && leftOut[li].Start < be {
				continue
			}
			// "Iran's foreign minister", "Iraqi defence officials": a noun
			// that a party owns or qualifies is that party's.
			if !capitalisedWord(d, first) && (pi > 0 && ownedBy(d, ps[pi-1].target.End, first) ||
				mi > 0 && ownedBy(d, mentions[mi-1].End, first) || appositionHead(d, first, s.First)) {
				continue
			}
			// A word of the political lexicon (the team's or CAMEO's) that
			// opens the sentence is a common word, capitalised only there
			// ("Sanctions hit Russia's economy", "Protests erupted"), not a
			// name; a sentiment word may be one ("Grant criticised ...",
			// "Noble condemned ...").
			for qi < len(cues) && cues[qi].End <= first {
				qi++
			}
			if first == s.First && end == first+1 && qi < len(cues) && cues[qi].First <= first && politicalCue(&cues[qi]) {
				continue
			}
			if !holderPosition(d, first, end, s.First, s.End) || placeBeforeName(d, first, s.First) || contraction(d.Surface(first)) ||
				modifierWord(d.Surface(first)) || outlet(d, first, end, s.First) || allCapitalsLong(d, first, end) {
				continue
			}
			t := features.Target{First: first, End: end, Type: uint8(entities.TypeUnspecified)}
			span := Span{d.Tokens[first].Start, d.Tokens[end-1].End}
			name := d.Text[span.Start:span.End]
			// The ID ("name:" and the name in lower case) is made when the
			// name holds a relation (Classifier.relate).
			dst = append(dst, party{target: t, entity: entities.Entity{Name: name}, span: span, mention: -1, name: true})
			names++
		}
	}
	return dst
}

// politicalCue reports whether cue c comes from the team's lexicon or
// CAMEO's, not from the sentiment lexicons alone.
func politicalCue(c *features.CueMatch) bool {
	return strings.Contains(c.Source, "team") || strings.Contains(c.Source, "cameo")
}

// capitalisedWord reports whether token i is a word that starts with an
// upper-case letter.
func capitalisedWord(d *features.Document, i int) bool {
	t := d.Tokens[i]
	if t.Kind != features.KindWord {
		return false
	}
	// Most words are ASCII: their first byte answers without decoding
	// a rune (this runs on every word of the sentences with a mention).
	if b := d.Text[t.Start]; b < utf8.RuneSelf {
		return 'A' <= b && b <= 'Z'
	}
	return features.StartsUpper(d.Text[t.Start:t.End])
}

// nameConnector returns how many lower-case words at i join two parts of
// one name ("House of Representatives", "Committee to Protect
// Journalists", "Court of the Ninth Circuit"), or 0.
func nameConnector(d *features.Document, i int) int {
	switch d.Surface(i) {
	case "of":
		if i+1 < len(d.Tokens) && d.Surface(i+1) == "the" {
			return 2
		}
		return 1
	case "for", "de", "del", "da", "bin", "al":
		return 1
	}
	return 0
}

// openingWord reports whether w, capitalised, opens a sentence or a
// clause rather than a name: a function word, a pronoun, a sentence
// adverb, a day, a month or a compass point. News outlets are outlet's.
func openingWord(w string) bool {
	switch w {
	case "The", "A", "An", "And", "Or", "But", "Nor", "So", "Yet", "If", "In", "On", "At", "Of", "For", "To",
		"With", "By", "From", "As", "Into", "About", "Over", "Under", "Between", "Against", "Among", "Through",
		"He", "She", "It", "They", "We", "I", "You", "His", "Her", "Their", "Its", "Our", "My", "Your",
		"This", "That", "These", "Those", "There", "Here", "What", "When", "Where", "Why", "How", "Who", "Whom",
		"Which", "While", "Whether", "After", "Before", "During", "Since", "Until", "Although", "Though",
		"Because", "However", "Meanwhile", "Also", "Then", "Now", "Today", "Yesterday", "Tomorrow", "Tonight",
		"Earlier", "Later", "Early", "Late", "Elsewhere", "Last", "Next", "According", "Despite", "Following", "Amid", "Some", "Many", "Most",
		"All", "Both", "Each", "Every", "Other", "Another", "Such", "No", "Not", "Only", "Even", "Still",
		"Instead", "Thus", "Moreover", "Furthermore", "Nevertheless", "Additionally", "Separately", "Overall",
		"Mr", "Mrs", "Ms", "Dr", "Sir", "Yes", "Oh", "Please", "Thank", "Thanks", "Let", "Do", "Does", "Did",
		"Is", "Are", "Was", "Were", "Be", "Has", "Have", "Had", "Will", "Would", "Can", "Could", "Should",
		"May", "Might", "Must", "Shall", "One", "Two", "Three", "First", "Second", "Third", "New", "Former",
		"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
		"January", "February", "March", "April", "June", "July", "August", "September", "October",
		"November", "December", "East", "West", "North", "South", "Middle", "Central":
		return true
	}
	return false
}

// placeBeforeName reports whether the word before token i, in its
// sentence, or before its article, is a preposition of place or time,
// after which a name is a place or a date ("in Victoria Park", "at
// Harvard", "on Christmas Day"), or "to" ("expansion to the East
// creates", "sent to Johnson"), after which it receives.
func placeBeforeName(d *features.Document, i, sentFirst int) bool {
	if i == sentFirst {
		return false
	}
	j := i - 1
	if w := d.LowerFast(j); (w == "the" || w == "a" || w == "an") && j > sentFirst {
		j-- // "to the East", "in a Hanoi court"
	}
	switch d.LowerFast(j) {
	case "to":
		// A recipient or a direction, not a holder; "according to" names
		// a source.
		return j == sentFirst || d.LowerFast(j-1) != "according"
	case "in", "at", "near", "on", "into", "across", "outside", "inside", "throughout", "within", "toward",
		"towards", "via", "around", "along", "through", "off", "during", "since", "until":
		return true
	}
	return false
}

// allCapitalsLong reports whether the words [first, end) are written in
// capitals and are not an acronym ("WASHINGTON", a headline), which names
// no actor the stage can read.
func allCapitalsLong(d *features.Document, first, end int) bool {
	letters := 0
	for i := first; i < end; i++ {
		for _, r := range d.Surface(i) {
			if unicode.IsLower(r) {
				return false
			}
			if unicode.IsLetter(r) {
				letters++
			}
		}
	}
	return letters > 5
}

// holderPosition reports whether the name [first, end) of the sentence
// [sentFirst, sentEnd) stands where a holder does: before a verb, after at
// most two auxiliaries or adverbs ("Johnson said", "the House of
// Representatives has voted", "Ford is fully cooperating"), as the agent
// of a passive ("was criticised by Amnesty"), after a verb of saying
// ("..., said Johnson") or after "according to". Elsewhere a capitalised
// run is more often a place, a date, a work or a source than an actor; as
// a possessor it is as often a place ("Northamptonshire's chief
// constable", "Hawke's Bay") as one whose stance a noun carries.
func holderPosition(d *features.Document, first, end, sentFirst, sentEnd int) bool {
	if first > sentFirst {
		switch d.LowerFast(first - 1) {
		case "by", "said", "says", "added", "adds", "wrote", "tweeted", "stated", "warned", "insisted", "asked":
			// The agent of a passive; the speaker after a quote ("...,"
			// said Johnson).
			return true
		case "to":
			if first-1 > sentFirst && d.LowerFast(first-2) == "according" {
				return true
			}
		}
	}
	j := end
	// "Lawyers for the family sued", "Supporters of the plan praised": a
	// short complement of the name comes before its verb.
	if j < sentEnd && (d.Surface(j) == "of" || d.Surface(j) == "for") {
		for k := j + 1; k < sentEnd && k <= j+4 && d.Tokens[k].Kind == features.KindWord; k++ {
			if !capitalisedWord(d, k) && verbForm(d.LowerFast(k)) && !strings.HasSuffix(d.Surface(k), "s") {
				j = k
				break
			}
		}
	}
	// "Cherry, who led the petition, said", "Smith, a lawyer, argued": an
	// apposition or a relative clause between commas comes before the verb.
	if j < sentEnd && d.Surface(j) == "," {
		for k := j + 1; k < sentEnd && k <= j+10; k++ {
			if w := d.Surface(k); w == "," {
				j = k + 1
				break
			} else if d.Tokens[k].Kind == features.KindPunct {
				break
			}
		}
	}
	// "Arnor on Thursday signed", "Acme last week sued": wire news
	// dates the act between its subject and its verb.
	j = features.TimeAdjunctEnd(d, j, sentEnd)
	verbAt := j // where the verb stands if no auxiliary comes first
	auxiliary := false
	for k := 0; k < 2 && j < sentEnd; k++ {
		w := d.LowerFast(j)
		if capitalisedWord(d, j) || !auxiliaryOrAdverb(w) {
			break
		}
		auxiliary = auxiliary || beForm(w)
		j++
	}
	if j == sentEnd || d.Tokens[j].Kind != features.KindWord || capitalisedWord(d, j) {
		return false
	}
	w := d.LowerFast(j)
	// "Ford is fully cooperating": the progressive after "be".
	if auxiliary && len(w) > 4 && strings.HasSuffix(w, "ing") {
		return true
	}
	// A capitalised word that opens the sentence is as often a common
	// word ("Early reports suggested", "Violence broke out"): there the
	// verb must not read as a plural noun.
	if first == sentFirst && end == first+1 && j == verbAt && w[len(w)-1] == 's' {
		return presentVerb(w)
	}
	return verbForm(w)
}

// presentVerb reports whether w is a verb in -s that news uses of those
// who act or speak ("says", "accuses"), not a plural noun.
func presentVerb(w string) bool {
	switch w {
	case "says", "tells", "warns", "accuses", "urges", "plans", "wants", "calls", "denies", "rejects", "condemns",
		"supports", "opposes", "claims", "insists", "hopes", "believes", "argues", "thinks", "faces", "vows",
		"seeks", "leads", "backs", "signs", "meets", "threatens", "demands", "blames", "criticises",
		"criticizes", "praises", "welcomes", "announces", "agrees", "refuses", "admits", "sues", "wins", "loses":
		return true
	}
	return false
}

// modifierWord reports whether w is a hyphenated modifier ("US-built",
// "Muslim-majority"), not a name.
func modifierWord(w string) bool {
	i := strings.LastIndexByte(w, '-')
	return i > 0 && i+1 < len(w) && 'a' <= w[i+1] && w[i+1] <= 'z'
}

// outlet reports whether the name [first, end) is a news outlet, which
// news cites as a source rather than as an actor: a word of an outlet's
// name in it ("Associated Press", "Al Jazeera"), or a noun for one before
// it ("Greek daily Kathimerini", "broadcaster PBS").
func outlet(d *features.Document, first, end, sentFirst int) bool {
	for i := first; i < end; i++ {
		switch d.Surface(i) {
		case "Press", "AP", "Jazeera", "PBS", "MSNBC", "Fox", "Times", "Post", "News", "Daily", "Journal", "Guardian",
			"Telegraph", "Independent", "Herald", "Tribune", "Gazette", "Bloomberg", "Reuters", "AFP", "BBC",
			"CNN", "NPR", "Xinhua", "TASS", "Interfax", "Sputnik", "RIA", "IRNA", "Tasnim", "Fars", "Anadolu",
			"Yonhap", "Kyodo", "Politico", "Axios", "Wikinews", "Twitter", "Facebook", "Telegram", "Instagram":
			return true
		}
	}
	if first > sentFirst {
		switch d.LowerFast(first - 1) {
		case "daily", "newspaper", "broadcaster", "outlet", "magazine", "channel", "network", "agency", "weekly",
			"tabloid", "paper", "website", "station", "show", "program", "programme":
			return true
		}
	}
	return false
}

// auxiliaryOrAdverb reports whether w may stand between a subject and its
// verb ("has", "also", "reportedly", "fully").
func auxiliaryOrAdverb(w string) bool {
	if len(w) > 4 && strings.HasSuffix(w, "ly") || features.IsAuxiliary(w) {
		return true
	}
	switch w {
	case "is", "was", "are", "were", "not", "never", "then", "later", "earlier", "also",
		"previously", "already", "still", "reportedly", "recently", "yesterday", "today", "again", "since",
		"once", "now", "further", "publicly", "formally", "officially", "repeatedly", "strongly", "just":
		return true
	}
	return false
}

// verbForm reports whether w, lower-case, reads as a finite verb or a
// participle: a past form in -ed, a present in -s, or a common irregular
// past ("said", "told", "met").
func verbForm(w string) bool {
	n := len(w)
	if features.PastForm(w) {
		return true
	}
	if n > 3 && w[n-1] == 's' && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is") {
		return true
	}
	switch w {
	case "say", "tell", "meet", "warn", "urge", "accuse", "support", "oppose", "reject", "condemn", "praise",
		"sign", "attack", "back", "call", "want", "plan", "vote", "sue", "ban", "deny", "agree", "help":
		return true
	}
	return false
}

// contraction reports whether w is a pronoun's contraction ("I've",
// "I'm"), not a name with an apostrophe ("O'Brien").
func contraction(w string) bool {
	i := strings.IndexAny(w, "'\u2019")
	if i < 0 {
		return false
	}
	_, n := utf8.DecodeRuneInString(w[i:])
	rest := w[i+n:]
	return rest != "" && rest != "s" && 'a' <= rest[0] && rest[0] <= 'z'
}

// actorNoun reports whether w, in lower case, is a noun that names those
// who act in news where no name is given: courts, prosecutors, lawmakers,
// a committee, a company. Titles and organs that news writes of a named
// party ("the minister", "the ministry", "the alliance") are left out: they
// stand for one the sentence or the text has named, and as parties of
// their own they took that party's relations (relation CV by target: 164
// of 318 false relations of such nouns were "minister" and "ministry").
// The generic actors of the Phoenix agents (police, rebels, the
// government) are parties already.
func actorNoun(w string) bool { return actorNouns[w] }

var actorNouns = map[string]bool{}

// actorNounStarts has, for each length, a bit for each letter that starts
// an actor noun of that length.
var actorNounStarts [16]uint32

func init() {
	for _, w := range []string{
		"court", "courts", "judge", "judges", "jury", "prosecutor", "prosecutors", "lawyer", "lawyers",
		"attorney", "attorneys", "supporters", "critics", "lawmakers", "legislators", "senators", "voters",
		"activists", "committee", "company", "companies", "firm", "union", "unions", "campaign",
		"investigators", "demonstrators", "residents", "organizers", "organisers", "researchers", "experts",
		"analysts", "senate", "congress",
	} {
		actorNouns[w] = true
		actorNounStarts[len(w)] |= 1 << (w[0] - 'a')
	}
}

// mayBeActorNoun is a cheap filter before actorNoun, which the scan would
// otherwise ask of every lower-case word: a noun of that length must start
// with that letter (actorNounStarts).
func mayBeActorNoun(d *features.Document, i int) bool {
	t := d.Tokens[i]
	n := t.End - t.Start
	if n >= len(actorNounStarts) {
		return false
	}
	b := d.Text[t.Start]
	return 'a' <= b && b <= 'z' && actorNounStarts[n]&(1<<(b-'a')) != 0
}

// ownedBy reports whether a party that ends at token p owns or qualifies
// the noun at token i: only lower-case words and a possessive stand
// between them, three at most ("Iran's foreign minister", "Iraqi defence
// officials").
func ownedBy(d *features.Document, p, i int) bool {
	if p > i || i-p > 3 {
		return false
	}
	for k := p; k < i; k++ {
		if !features.IsPossessiveToken(d.Surface(k)) && (d.Tokens[k].Kind != features.KindWord || capitalisedWord(d, k)) {
			return false
		}
	}
	return true
}

func beForm(w string) bool { return w == "is" || w == "are" || w == "was" || w == "were" }

// appositionHead reports whether the noun at token i heads an apposition
// ("Acme, a firm based in Lyon, sued"): it describes the name before it,
// which holds what follows.
func appositionHead(d *features.Document, i, sentFirst int) bool {
	if i-2 < sentFirst || d.Surface(i-2) != "," {
		return false
	}
	w := d.LowerFast(i - 1)
	return w == "a" || w == "an" || w == "the"
}

// pronounParties adds to names (unknown names, in token order) the
// subject pronouns that findCorefs linked to a person ("Lavrov spoke in
// Moscow. He accused NATO of ..."): news names a person once and then says
// "he" or "she", and the sentences after the first hold most of what the
// person does. Each holds relations as a name does, never receives one, and
// carries the person's entity, so that the relation and the dyad are the
// person's. Only a pronoun with one person to refer to holds: where the
// sentences before name two, the rule that links it for the document stage
// (the one named most) knows neither gender nor who acts, and a relation
// would give another's act to the wrong person ("Merkel met Macron. She
// praised France": Macron named last). Nor does a pronoun inside a quote,
// which is the speaker's ("\"He wants to destroy Ukraine,\" the minister
// said"), a "He" before a capitalised word, which is a name ("He Yafei"),
// or one a party covers (a caller's span). ps are the other parties, in
// token order; the result is in token order.
func pronounParties(names []party, c *features.Context, corefs []coref, ms []entities.Mention, ps []party) []party {
	d := c.Doc
	n := len(names)
	for _, cr := range corefs {
		if !cr.sole || c.Quoted(cr.token) {
			continue
		}
		switch d.Surface(cr.token) {
		case "He", "She", "he", "she":
		default:
			continue // "his", "her": a possessor, not the one who acts
		}
		if cr.token+1 < len(d.Tokens) && features.StartsUpper(d.Surface(cr.token+1)) {
			continue
		}
		if coveredBy(ps, cr.token) || coveredBy(names[:n], cr.token) {
			continue
		}
		tok := d.Tokens[cr.token]
		names = append(names, party{
			target:  features.Target{First: cr.token, End: cr.token + 1, Type: uint8(entities.TypePerson)},
			entity:  ms[cr.mention].Entity,
			span:    Span{tok.Start, tok.End},
			mention: -1,
			name:    true,
			pronoun: true,
		})
	}
	if len(names) > n {
		slices.SortStableFunc(names, func(a, b party) int { return a.target.First - b.target.First })
	}
	return names
}

// coveredBy reports whether one of ps (in token order) covers token i.
func coveredBy(ps []party, i int) bool {
	k, _ := slices.BinarySearchFunc(ps, i, func(p party, i int) int { return p.target.End - 1 - i })
	return k < len(ps) && ps[k].target.First <= i && i < ps[k].target.End
}
