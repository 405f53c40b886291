package entities

import (
	"strings"
	"unicode/utf8"
)

// Everyday news uses many of the table's forms for something else: a
// capital as a place ("a hotel in Moscow", a "WASHINGTON" dateline), a state
// name inside the name of a team, paper or school ("Ottawa Senators",
// "University College London"), a surname of a famous person for a namesake
// ("Sam Harris"), a state for a US state ("Georgia"). The rules here keep a
// match only where its context lets it name the entity; which forms are
// ambiguous in which way comes from the table's M rows, derived from the
// dictionaries by cmd/gazettegen.

// verdict is what judge decides about a candidate.
type verdict uint8

const (
	keep     verdict = iota
	drop             // names something else, or nothing the table knows
	place            // a drop: a city or capital named as where something is
	namesake         // a personal name around a known person's: an unlinked person
)

// context is what judge knows about a candidate besides the text.
type context struct {
	afterTitle   bool // a title ends right before it ("Captain America")
	afterMention bool // a mention ends right before it ("Soviet Russia")
	// follower is the entity or title candidate that starts after the
	// next space, if any ("Iranian President", "US Navy" has none).
	follower *span
	// listed is the entity candidate after ", " ("Tehran, Yerevan").
	listed *span
	// afterList: a mention ends right before ", " ("Tehran, Yerevan").
	afterList bool
	// titleEnd is where the last title before it ends, -1 if none.
	titleEnd int
	// headline: it stands in a headline line (headlineLines), where
	// every word is capitalised.
	headline bool
}

// judge decides whether candidate c, an alias of entity e, names e here.
// For a namesake it returns the span of the whole personal name.
func (g *Gazetteer) judge(text string, c span, e *entityRec, cx context) (verdict, int, int) {
	switch e.typ {
	case TypeCountry:
		if cx.headline {
			if cx.afterTitle {
				return drop, 0, 0
			}
			if ws, ok := g.givenNameBefore(text, c.start); ok {
				return namesake, ws, c.end // "Denzel Washington Wins Oscar"
			}
		} else if partOfName(text, c, cx, g) {
			// A state form after a known first name ends a personal name
			// ("Denzel Washington"), and a state name that is also a first
			// name starts one ("Jordan Fisher").
			if !cx.afterTitle && (c.end == len(text) || text[c.end] != '-') {
				if g.nameWordBefore(text, c.start) && !nameWordAfter(text, c.end) {
					if ws := wordStart(text, c.start-1); g.isGivenName(text[ws : c.start-1]) {
						return namesake, nameStart(text, ws), c.end
					}
				} else if c.marks&markQualified != 0 && nameWordAfter(text, c.end) && startsUpperAt(text, c.end+1) && g.isGivenName(text[c.start:c.end]) {
					return namesake, c.start, wordEnd(text, c.end+1)
				}
			}
			return drop, 0, 0
		}
		if c.marks&markPlace != 0 && g.isPlace(text, c, cx) {
			return place, 0, 0
		}
	case TypePerson:
		if cx.afterTitle || strings.IndexByte(text[c.start:c.end], ' ') >= 0 {
			return keep, c.start, c.end
		}
		return g.judgeSurname(text, c, e, cx)
	default:
		// "the West" is not "West Africa", "the West Bank" or "the West Asian
		// region".
		if c.marks&markArticle != 0 && (c.start < 4 || !hasArticle(text, c.start-4) || nameWordAfter(text, c.end) && cx.follower == nil) {
			return drop, 0, 0
		}
		if c.start > 0 && text[c.start-1] == '-' && strings.HasPrefix(text[c.start:], "Western") {
			return drop, 0, 0 // "pro-Western" parties are not the West
		}
	}
	return keep, c.start, c.end
}

// partOfName reports whether the state form c stands inside a longer
// proper name: after a title ("Captain America"), after another capitalised
// name word ("University College London", "Denzel Washington"), or before
// one that is no title or institution ("Ottawa Senators", "Chad Smith",
// "USA TODAY").
func partOfName(text string, c span, cx context, g *Gazetteer) bool {
	if cx.afterTitle {
		return true
	}
	// "President of Iran Hassan Rouhani": a name after "of State" is an
	// appositive, not the rest of the state's name.
	if nameWordAfter(text, c.end) && cx.follower == nil && !strings.HasSuffix(text[:c.start], " of ") {
		w := text[c.end+1 : wordEnd(text, c.end+1)]
		if !institutionWord(w) || c.marks&markPlace != 0 && placeWord(w) {
			return true
		}
	}
	if !cx.afterMention && g.nameWordBefore(text, c.start) {
		return true
	}
	// "Unity Party of America", "Bank of America", "Observatoire de Paris":
	// the state ends the name of something else. A state's own organs and
	// titles ("Government of India", "President of Iran") do not.
	if !ofBefore(text, c.start) {
		return false
	}
	// "President Muhammadu Buhari of Nigeria"; a name shared with a
	// namesake stays part of the name ("Senator David Perdue of Georgia").
	if prev, _ := prevWords(text, c.start); prev == "of" && c.marks&markQualified == 0 &&
		!(nameWordAfter(text, c.end) && cx.follower == nil) && g.personBeforeOf(text, c.start-len(" of "), cx.titleEnd) {
		return false // not "Maria Kab of Ghana Airways"
	}
	if prev, before := prevWords(text, c.start); before != "" && (prev == "of" || nameParticle(prev)) {
		bs := c.start - len(prev) - len(before) - 2
		// "King Abdullah of Jordan": a titled person of the state.
		titled := false
		if _, w := prevWords(text, bs+len(before)+1); w != "" {
			titled = stateOrgan(w)
		}
		if startsUpperAt(text, bs) && !cx.afterTitle && !stateOrgan(before) && !titled && !sentenceStart(text, bs) {
			return true
		}
	}
	return false
}

// personBeforeOf reports whether the capitalised words that end at p,
// before "of" and a state, are a personal name: one to three words after
// a title ("President Muhammadu Buhari of Nigeria", "Presidents ... and
// Patrice Talon of Benin") or opening with a given name the table's people
// bear ("Andrzej Duda of Poland"); the state is then the person's, not the
// end of a longer name ("Bank of America", "University of Texas").
func (g *Gazetteer) personBeforeOf(text string, p, titleEnd int) bool {
	end, first, words := p, -1, 0 // the words read backward from p, the first of them
	for words < 3 {
		ws := wordStart(text, end)
		if ws == end || !startsUpperAt(text, ws) || organisationNoun(text[ws:end]) || ws <= titleEnd {
			break
		}
		words, first = words+1, ws
		if ws == titleEnd+1 {
			return true
		}
		if ws < 2 || text[ws-1] != ' ' {
			break
		}
		end = ws - 1
	}
	return words >= 2 && g.isGivenName(text[first:wordEnd(text, first)])
}

// organisationNoun reports whether w heads the name of a body, not a
// person ("Bank of America", "University of Texas"): an institution word
// or one of the bodies and peerages that come before "of".
func organisationNoun(w string) bool {
	switch w {
	case "University", "College", "Institute", "School", "Church", "Museum", "Society", "Association",
		"Foundation", "Company", "Corporation", "Academy", "Hospital", "Center", "Centre", "Club", "League",
		"Authority", "Commission", "Movement", "Front", "Force", "Group", "Airways", "Airlines", "Bishop",
		"Archbishop", "Duke", "Duchess", "Earl", "Princess":
		return true
	}
	return institutionWord(w)
}

// ofBefore reports whether "of" or a short lower-case name particle
// ("de", "du", "del", "des") stands right before p, a cheap test before
// partOfName reads the words.
func ofBefore(text string, p int) bool {
	if p < 4 || text[p-1] != ' ' {
		return false
	}
	i := p - 2
	for i >= 0 && i > p-6 && 'a' <= text[i] && text[i] <= 'z' {
		i--
	}
	return p-2-i >= 2 && (i < 0 || text[i] == ' ')
}

// stateOrgan reports whether w, before "of" and a state, names the state's
// own institution or office ("Government of India", "King of Jordan").
func stateOrgan(w string) bool {
	switch w {
	case "Government", "Republic", "Kingdom", "Embassy", "Ministry", "Parliament", "President", "Minister",
		"Ambassador", "Consulate", "King", "Queen", "Emir", "Sultan", "Federation", "Commonwealth",
		"Prince", "Princess", "Emperor", "Chancellor", "Premier", "Governor", "Army", "Navy", "Forces",
		"Constitution", "Representative", "Envoy", "Consul", "Secretary", "Leader", "Chief", "Head",
		"Foreign", "Affairs", "Defence", "Defense", "Interior", "Justice", "Finance", "Islamic",
		"Democratic", "Socialist", "Federal", "People's", "Union", "State", "States", "Republics",
		"Minister's", "Presidency", "Office", "Cabinet", "Council", "Court", "Senate", "Congress":
		return true
	}
	return false
}

// nameWordAfter reports whether a capitalised word follows p after one
// space, or a particle that starts a name ("al-Abadi").
func nameWordAfter(text string, p int) bool {
	if p+1 >= len(text) || text[p] != ' ' {
		return false
	}
	q := p + 1
	if startsUpperAt(text, q) {
		return true
	}
	for _, pre := range [...]string{"al-", "el-", "bin ", "ibn "} {
		if strings.HasPrefix(text[q:], pre) && startsUpperAt(text, q+len(pre)) {
			return true
		}
	}
	return false
}

// nameWordBefore reports whether the word before p (after one space) is a
// capitalised word of a personal or proper name: not a function word that
// starts a sentence, not a possessive, not an initial-free title word. At
// the start of a sentence only a known first name counts ("Denzel
// Washington", not "Yesterday Washington").
func (g *Gazetteer) nameWordBefore(text string, p int) bool {
	if p < 2 || text[p-1] != ' ' {
		return false
	}
	ws := wordStart(text, p-1)
	if ws == p-1 || !startsUpperAt(text, ws) {
		return false
	}
	w := text[ws : p-1]
	if strings.ContainsAny(w, "-'\u2019") || notName(w) || stateModifier(w) || institutionWord(w) || isExact(w) {
		return false
	}
	if sentenceStart(text, ws) {
		return g.isGivenName(w)
	}
	return true
}

// sentenceStart reports whether a sentence or line starts at p.
func sentenceStart(text string, p int) bool {
	q := p
	for q > 0 {
		c := text[q-1]
		switch c {
		case ' ', '\t', '"', '(':
			q--
			continue
		case '\n', '.', '!', '?', ':':
			return true
		}
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeLastRuneInString(text[:q])
			if r == '\u201c' || r == '\u2018' || r == '\u2014' || r == '\u2013' {
				q -= n
				continue
			}
		}
		return false
	}
	return true
}

// stateModifier reports whether w is a capitalised word that may stand
// before a state's name without being part of another name.
func stateModifier(w string) bool {
	switch w {
	case "Communist", "Mainland", "Nazi", "Imperial", "Tsarist", "Soviet", "Royal",
		"North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central",
		"Northeastern", "Northwestern", "Southeastern", "Southwestern", "Greater", "Upper", "Lower",
		"Modern", "Independent", "Free", "Neighbouring", "Neighboring",
		"Both", "Neither", "Either", "Unlike", "Like", "Meanwhile",
		"Yesterday", "Today", "Tomorrow", "When", "If", "While", "After",
		"Before", "Since", "Although", "Though", "Because", "Under", "Over",
		"Against", "Between", "Among", "During", "Without", "Within", "Until",
		"Now", "Then", "Here", "There", "Why", "How", "What", "Where",
		"Only", "Even", "Still", "Yet", "So", "Nor", "Not", "Did", "Does",
		"Do", "Can", "Could", "Should", "May", "Might", "Must", "Are", "Were",
		"Including", "Whether", "Once", "Last", "Next", "Every", "Each",
		"Many", "Most", "Some", "All", "Such", "Our", "Your", "Its", "No", "Any", "Another":
		return true
	}
	return false
}

// institutionWord reports whether w, after a state's name or demonym, names
// one of its organs or a rank ("Russian Navy", "US Republican senator"), not
// the rest of a proper name.
func institutionWord(w string) bool {
	if notName(w) {
		return true
	}
	switch w {
	case "Embassy", "Consulate", "Treasury", "Marines", "Marine", "Coast",
		"Air", "Federal", "Central", "Special", "Border", "Customs",
		"Communist", "Republican", "Republicans", "Democratic", "Democrat",
		"Democrats", "Constitutional", "Parliamentary", "People's", "Peoples",
		"Presidential", "Justice", "Energy", "Finance", "Interior", "Health",
		"Prime", "Vice", "Deputy", "Acting", "Former", "Minister", "Ministers",
		"Secretary", "President", "Premier", "Chancellor", "Ambassador",
		"General", "Commander", "Admiral", "Colonel", "Major", "Captain",
		"Envoy", "Senator", "Representative", "King", "Queen", "Crown",
		"Prince", "Emperor", "Leader", "Chief", "Officials", "Navy's",
		"Citizens", "Parliament's", "Legislature", "Coalition",
		"Opposition", "Foreign", "Defence", "Defense", "Trade", "Economy",
		"Economic", "Human", "Atomic", "Nuclear", "Civil", "Highway", "Labor",
		"Labour", "Conservative", "Liberal", "Green", "Greens", "Socialist",
		"Kurdish", "Kurds", "Arab", "Arabs", "Jewish", "Muslim", "Muslims",
		"Christian", "Christians", "Jews", "Sunni", "Shia", "Shiite", "Orthodox",
		"War", "Constitution", "District", "Attorney", "Attorneys", "Geological", "Census",
		"Postal", "Bureau", "Immigration", "Secret", "Mission", "Delegation":
		return true
	}
	return false
}

// placeWord reports whether w, capitalised after a city, names a place or
// service of the city rather than an organ of its state ("Paris Police
// Prefecture", "London Fire Brigade").
func placeWord(w string) bool {
	switch w {
	case "Police", "Fire", "Ambulance", "Metro", "Underground", "Marathon", "Bridge", "Airport",
		"City", "Street", "Zoo", "Bay", "Port", "Stock", "Times", "Post", "University", "State",
		"District", "Hospital", "County", "Province", "Region", "Mayor", "Council":
		return true
	}
	return false
}

// nameStart returns the start of the run of capitalised name words that
// ends with the word at ws: "Ali Reza" before "Raisi".
func nameStart(text string, ws int) int {
	for i := 0; i < 2 && ws >= 2 && text[ws-1] == ' '; i++ {
		p := wordStart(text, ws-1)
		w := text[p : ws-1]
		if p == ws-1 || !startsUpperAt(text, p) || notName(w) || stateModifier(w) || institutionWord(w) ||
			personWordBefore(w) || strings.ContainsAny(w, "-'\u2019") || sentenceStart(text, p) && !isCapitalName(w) {
			break
		}
		ws = p
	}
	return ws
}

// isCapitalName reports whether w looks like a name word: a capital and
// then lower-case letters only.
func isCapitalName(w string) bool {
	return len(w) > 1 && startsUpperAt(w, 0) && !isExact(w)
}

// hasArticle reports whether the lower- or upper-case article "the " starts
// at p.
func hasArticle(text string, p int) bool {
	return strings.HasPrefix(text[p:], "the ") || strings.HasPrefix(text[p:], "The ")
}

// isPlace reports whether the city form c stands for the place rather than
// its state's government: a dateline ("WASHINGTON (AP) —"), a place
// preposition before it ("a hotel in Moscow", "flying to Tehran", "mayor of
// London"), or a "city, region" pattern ("Paris, France"; "Washington,
// D.C.").
func (g *Gazetteer) isPlace(text string, c span, cx context) bool {
	form := text[c.start:c.end]
	if !hasLowerASCII(form) && len(form) >= 4 {
		for _, after := range [...]string{" (", " —", " –", " -", ", "} {
			if strings.HasPrefix(text[c.end:], after) {
				return true
			}
		}
	}
	// "Paris, France", "London, Ontario", "Washington, D.C.": a city and the
	// region it lies in; "Tehran, Yerevan, Baku" is a list of capitals.
	if strings.HasPrefix(text[c.end:], ", ") && startsUpperAt(text, c.end+2) {
		if cx.listed == nil {
			q := c.end + 2
			if w := text[q:wordEnd(text, q)]; !notName(w) && !stateModifier(w) && placeEnds(text, q+len(w)) {
				return true
			}
		} else if l := cx.listed; l.entity >= 0 && g.ents[l.entity].typ == TypeCountry && g.sameState(l.entity, c.entity) && placeEnds(text, l.end) {
			return true
		}
	}
	// "London's Royal Veterinary College", "Moscow's Red Square".
	if p := c.end; possessiveAt(text, p) {
		q := p + 2
		if text[p] != '\'' {
			q = p + len("\u2019s")
		}
		if nameWordAfter(text, q) && !institutionWord(text[q+1:wordEnd(text, q+1)]) {
			return true
		}
	}
	// "pro-Beijing camp", "anti-Washington": the government.
	if c.start > 0 && text[c.start-1] == '-' {
		return false
	}
	if strings.HasPrefix(text[c.end:], "-based") {
		return true
	}
	// "Beijing residents", "a London restaurant", "a Kabul car bombing":
	// the city as a modifier of a noun, where a government would be the
	// subject of a verb ("Beijing knows", "Moscow insisted", "Athens
	// expelled").
	if c.end+1 < len(text) && text[c.end] == ' ' && 'a' <= text[c.end+1] && text[c.end+1] <= 'z' {
		if w := text[c.end+1 : wordEnd(text, c.end+1)]; modifiedNoun(w) {
			return true
		}
	}
	// "Karol Bagh, New Delhi", "Lewisham, London": a district and its city;
	// "the Indian capital, New Delhi".
	if strings.HasSuffix(text[:c.start], ", ") && c.start >= 3 {
		ws := wordStart(text, c.start-2)
		if w := text[ws : c.start-2]; w == "capital" || startsUpperAt(text, ws) && !cx.afterList &&
			!notName(w) && !stateModifier(w) && !institutionWord(w) && !sentenceStart(text, ws) {
			return true
		}
	}
	// "from Omsk to Berlin", "from London to Sydney".
	if strings.HasSuffix(text[:c.start], " to ") && fromBefore(text, c.start-len(" to ")) ||
		strings.HasPrefix(text[c.end:], " to ") && startsUpperAt(text, c.end+len(" to ")) && strings.HasSuffix(text[:c.start], "from ") {
		return true
	}
	prev, before := prevWords(text, c.start)
	switch before {
	case "embassy", "Embassy", "hotel", "hospital", "restaurant", "airport", "university", "school",
		"office", "offices", "home", "house", "flat", "apartment", "street", "museum", "stadium",
		"station", "building", "prison", "jail", "born", "lives", "lived", "living", "based",
		"headquartered", "died", "studied", "marched", "protest", "protests", "protesters", "rally",
		"concert", "match", "festival", "premiere", "attack", "stabbing", "fire", "flights", "landed":
		if prev == "in" || prev == "at" || prev == "near" {
			return true
		}
	}
	switch prev {
	case "in", "at", "near", "outside", "inside", "into", "across", "around", "throughout", "central",
		"downtown", "capital", "city", "suburban", "western", "eastern", "northern", "southern", "greater":
		if prev == "in" && (governmentNoun(strings.ToLower(before)) || meetingBefore(text, c.start)) ||
			prev == "at" && aimedAt(text, c.start) {
			return false
		}
		return placeEnds(text, c.end)
	case "of":
		switch before {
		case "mayor", "Mayor", "University", "suburb", "suburbs", "streets", "outskirts", "centre", "center",
			"heart", "residents", "city", "City", "Bishop", "Archbishop", "Museum", "Port", "Tower", "Bank",
			"town", "village", "province", "region", "area", "part", "parts", "district", "districts",
			"neighbourhood", "neighborhood", "people", "citizens", "north", "south", "east", "west":
			return true
		}
	case "for":
		switch before {
		case "bound", "headed", "heading", "left", "departed", "flights", "flight", "destined":
			return true
		}
	case "off":
		return true
	case "to", "from":
		switch before {
		case "flown", "transported", "airlifted", "evacuated", "taken", "brought", "sent",
			"flying", "flew", "fly", "flies", "flight", "flights", "travel", "travelled", "traveled",
			"traveling", "travelling", "trip", "journey", "moved", "returned", "return", "returning",
			"headed", "heading", "drove", "came", "went", "back", "arrived", "arriving", "relocated",
			"commute", "route", "train", "trains", "bus", "road", "deported", "extradited", "fled":
			return true
		}
	}
	return false
}

// fromBefore reports whether "from" stands among the three words before p.
func fromBefore(text string, p int) bool {
	s := max(0, p-40)
	seg := text[s:p]
	if i := strings.LastIndexAny(seg, ".,;\n"); i >= 0 {
		seg = seg[i+1:]
	}
	return strings.HasPrefix(seg, "from ") || strings.Contains(seg, " from ") && strings.Count(seg[strings.LastIndex(seg, " from "):], " ") <= 3
}

// aimedAt reports whether the text before position p, which follows
// "at ", makes what stands at p the target of an attack or a retort, a
// government rather than a place: "lashed out at Washington", "hit back
// at Beijing", "took aim at Moscow", "a swipe at Kyiv", "angry at Tehran"
// (not "broke out at Tripoli", "was back at London").
func aimedAt(text string, p int) bool {
	for _, s := range aimedPhrases {
		if q := p - len(s); q >= 0 && strings.EqualFold(text[q:p], s) {
			if r, _ := utf8.DecodeLastRuneInString(text[:q]); q == 0 || !isWordRune(r) {
				return true
			}
		}
	}
	return false
}

// aimedPhrases end with "at ": the retorts and attacks of aimedAt.
var aimedPhrases = []string{"lashed out at ", "lashes out at ", "lashing out at ", "hit back at ", "hits back at ",
	"hitting back at ", "fired back at ", "fires back at ", "firing back at ", "struck back at ", "shot back at ",
	"took aim at ", "takes aim at ", "taking aim at ", "swipe at ", "swipes at ", "jab at ", "jabs at ", "dig at ",
	"digs at ", "barbs at ", "potshots at ", "angry at ", "furious at ", "anger at ", "fury at ", "snapped at ",
	"aimed at ", "directed at ", "finger at "}

// modifiedNoun reports whether the lower-case word w after a city form is
// a noun it modifies rather than a verb it is the subject of: not a word of
// the forms of verbs (-s, -ed), an auxiliary or a common irregular past, nor
// a noun for those who govern ("Washington officials").
func modifiedNoun(w string) bool {
	switch w {
	case "resident", "street", "airport", "police", "mayor", "subway", "metro", "marathon", "hotel",
		"hospital", "suburb", "zoo", "skyline", "traffic", "restaurant", "location", "office", "bureau",
		"correspondent", "court", "stock", "exchange", "pride", "concert", "branch", "lobbyist",
		"headquarters", "museum", "university", "station", "area", "region", "neighbourhood":
		return true
	case "residents", "streets", "suburbs", "commuters", "hotels", "hospitals", "restaurants", "offices":
		return true
	case "policy", "camp", "politics", "ally", "allies", "backing", "support", "pressure", "position",
		"stance", "view", "line", "leadership", "regime", "government", "officials", "authorities":
		return false
	}
	if len(w) < 3 || strings.HasSuffix(w, "s") || strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ly") {
		return false
	}
	switch w {
	case "and", "or", "but", "nor", "has", "had", "have", "will", "would", "can", "could", "may",
		"might", "must", "should", "shall", "did", "does", "said", "told", "took", "made", "sent",
		"hit", "put", "set", "cut", "led", "met", "kept", "gave", "left", "went", "came", "saw",
		"got", "held", "won", "lost", "built", "began", "spent", "paid", "bought", "brought",
		"chose", "drew", "fell", "felt", "found", "fought", "knew", "let", "meant", "ran", "rose",
		"sought", "spoke", "stood", "struck", "thought", "threw", "wrote", "want", "now",
		"hurt", "shot", "shut", "sold", "spread", "fled", "broke", "beat", "grew", "hid", "quit", "sank",
		"shook", "stole", "swore", "taught", "tore", "withdrew", "overran", "upheld", "froze", "forbade",
		"dealt", "lent", "overtook", "rebuilt", "withheld", "undid", "foresaw",
		"also", "still", "too", "then", "already", "again", "never", "not", "wants", "sees", "see",
		"say", "think", "hope", "fear", "insist", "warn", "demand", "refuse", "reject", "deny",
		"agree", "accept", "believe", "expect", "plan", "respond", "retaliate", "intend", "claim",
		"its", "their", "his", "her", "that", "which", "who", "where", "when", "while", "with",
		"from", "into", "over", "under", "about", "against", "after", "before", "this", "last",
		"next", "the", "for", "to", "on", "in", "at", "by", "as", "via":
		return false
	}
	return true
}

// placeEnds reports whether a place's name may end at p: the clause goes on
// with punctuation, a preposition, a date or a conjunction, not with a noun
// that the form modifies ("in British waters").
func placeEnds(text string, p int) bool {
	if p >= len(text) {
		return true
	}
	if possessiveAt(text, p) {
		return false // "in Tehran's foreign policy"
	}
	switch text[p] {
	case '.', ',', ';', ':', '!', '?', ')', '"', '\n', '\'':
		return true
	case ' ':
	default:
		return text[p] >= utf8.RuneSelf
	}
	w := text[p+1 : wordEnd(text, p+1)]
	// A verb after the place ends it: "ministers in Cairo denounced", "Notre
	// Dame in Paris catches fire".
	if len(w) > 3 && (strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "s")) {
		return true
	}
	switch w {
	case "have", "are", "were", "also", "via", "we", "they", "he", "she", "it", "there", "people", "so",
		"over", "under", "near", "around", "through", "into", "against", "because", "if", "than":
		return true
	case "on", "in", "at", "for", "and", "or", "with", "to", "last", "this", "next", "where", "after",
		"before", "during", "since", "until", "from", "by", "as", "but", "when", "while", "that", "which",
		"who", "is", "was", "has", "had", "will", "would", "earlier", "later", "today", "yesterday", "":
		return true
	}
	return w != "" && '0' <= w[0] && w[0] <= '9'
}

// prevWords returns the word before p and the one before that, when only
// single spaces separate them.
func prevWords(text string, p int) (prev, before string) {
	if p < 2 || text[p-1] != ' ' {
		return "", ""
	}
	ws := wordStart(text, p-1)
	prev = text[ws : p-1]
	if ws >= 2 && text[ws-1] == ' ' {
		bs := wordStart(text, ws-1)
		before = text[bs : ws-1]
	}
	return prev, before
}

// governmentNoun reports whether w names those who govern: "officials in
// Tehran" speak for the state.
func governmentNoun(w string) bool {
	switch w {
	case "officials", "government", "authorities", "leaders", "leadership", "regime", "policymakers",
		"decision-makers", "rulers", "administration", "diplomats", "counterparts", "establishment",
		"elite", "elites", "insiders", "negotiators":
		return true
	}
	return false
}

// meetingBefore reports whether the sentence before p speaks of a meeting or
// talks: "a meeting with Kazakh President Tokayev in Tehran" is a visit to
// Iran's government.
func meetingBefore(text string, p int) bool {
	s := max(0, p-120)
	if i := strings.LastIndexAny(text[s:p], ".\n"); i >= 0 {
		s += i + 1
	}
	seg := text[s:p]
	for _, w := range [...]string{"meeting with", "met with", "talks with"} {
		if strings.Contains(seg, w) {
			return true
		}
	}
	return false
}

// sameState reports whether entity candidates a and b are, or belong to,
// the same state.
func (g *Gazetteer) sameState(a, b int32) bool {
	return a == b || g.ents[a].country == b || g.ents[b].country == a
}

func hasLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'a' <= s[i] && s[i] <= 'z' {
			return true
		}
	}
	return false
}

// judgeSurname decides about a one-word alias of a person ("Harris",
// "Hillary"). Before another capitalised name word it is a first name, or
// part of another name ("Harris County"); after one, someone else's surname
// ("Sam Harris", "Melania Trump"). A first name alone before another surname
// is a different person ("Haider al-Abadi").
func (g *Gazetteer) judgeSurname(text string, c span, e *entityRec, cx context) (verdict, int, int) {
	name := g.text[e.name:e.end]
	first, _, _ := strings.Cut(name, " ")
	form := text[c.start:c.end]
	if cx.headline {
		// "Putin Warns West": only a given name before it makes another
		// person of the same surname.
		if ws, ok := g.givenNameBefore(text, c.start); ok && !strings.EqualFold(text[ws:c.start-1], first) {
			return namesake, ws, c.end
		}
		return keep, c.start, c.end
	}
	// A following name that the table knows is still a name here ("Kerry
	// Washington"); only a title after the form keeps it a surname.
	if nameWordAfter(text, c.end) && (cx.follower == nil || cx.follower.entity != kindTitle) {
		q := c.end + 1
		end := wordEnd(text, q)
		if w := text[q:end]; institutionWord(w) || notName(w) {
			return keep, c.start, c.end
		}
		if strings.EqualFold(form, first) {
			return namesake, c.start, end
		}
		return drop, 0, 0
	}
	if !cx.afterMention && g.nameWordBefore(text, c.start) {
		ws := wordStart(text, c.start-1)
		if personWordBefore(text[ws : c.start-1]) {
			return keep, c.start, c.end
		}
		ns := nameStart(text, ws)
		// "Sayyid Ali Hosseini Khamenei" is still Ali Khamenei.
		for p := ns; p < c.start; {
			e := wordEnd(text, p)
			if strings.EqualFold(text[p:e], first) {
				return keep, c.start, c.end
			}
			p = e + 1
		}
		return namesake, ns, c.end
	}
	return keep, c.start, c.end
}

// personWordBefore reports whether w may stand before a surname without
// being a first name: an abbreviated title or a party.
func personWordBefore(w string) bool {
	switch w {
	case "Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Democrat", "Republican", "Democratic",
		"Senate", "House", "Vice", "Former", "Candidate", "Nominee", "Attorney", "County",
		"Lady", "Judge", "Sheriff", "Sergeant", "Officer", "Detective", "Professor", "Pastor",
		"Reverend", "Bishop", "Father", "Saint", "St":
		return true
	}
	return false
}

// resolveRefers finds the phrases that refer back ("the alliance") in a
// text that names a member of their set, and links each to the member
// named most often before it, the later one on a tie ("the alliance" after
// "NATO ... the defunct Warsaw Pact" is NATO); with none named before, the
// phrase names nothing. The span leaves the article out. out[from:] holds
// the built-in mentions, in order.
func (g *Gazetteer) resolveRefers(text string, out []Mention, from int) []Mention {
	n := len(out)
	for i, set := range g.refers {
		if !g.namesAny(out[from:n], set) {
			continue
		}
		w := g.referWords[i]
		for p := 0; ; {
			j := strings.Index(text[p:], w)
			if j < 0 {
				break
			}
			s := p + j
			p = s + len(w)
			if s < 4 || !hasArticle(text, s-4) || !leftBoundary(text, s-4) || !rightBoundary(text, p) {
				continue
			}
			best, bestN := -1, 0
			for _, e := range set {
				r := &g.ents[e]
				id := g.text[r.id:r.name]
				c, at := 0, -1
				for k := from; k < n && out[k].Start < s; k++ {
					if out[k].Entity.ID == id {
						c, at = c+1, k
					}
				}
				if c > bestN || c == bestN && c > 0 && at > best {
					best, bestN = at, c
				}
			}
			if best >= 0 && !overlapsAny(out[from:n], s, p) {
				out = append(out, Mention{Start: s, End: p, Entity: out[best].Entity, Source: SourceShortRef})
			}
		}
	}
	return out
}

// namesAny reports whether ms names an entity of set.
func (g *Gazetteer) namesAny(ms []Mention, set []int32) bool {
	for _, m := range ms {
		if m.Entity.Type != TypeOrganization {
			continue
		}
		for _, e := range set {
			r := &g.ents[e]
			if m.Entity.ID == g.text[r.id:r.name] {
				return true
			}
		}
	}
	return false
}

// unsupported removes the mentions at starts (forms with markQualified,
// such as "Georgia") that nothing else in the document supports: another
// form of the same entity ("Tbilisi", "Georgian"), someone or something of
// it, a state beside it in a list ("Ukraine and Georgia") or in its
// sentence (foreignStateBeside). What supports
// an entity is gathered in one pass over the mentions, so that a document
// of thousands of such forms is read in linear time.
func unsupported(text string, ms []Mention, starts []int32, places []int32, g *Gazetteer) []Mention {
	// support[id]: the first form of the entity, whether it has a second
	// one, and whether something of it is named.
	type support struct {
		form          string
		forms2, owned bool
		place         int8 // placeOf, once asked: 1 yes, -1 no
	}
	need := map[string]*support{}
	k := 0
	for _, m := range ms {
		for k < len(starts) && int(starts[k]) < m.Start {
			k++
		}
		if k < len(starts) && int(starts[k]) == m.Start && need[m.Entity.ID] == nil {
			need[m.Entity.ID] = &support{}
		}
	}
	for _, o := range ms {
		if s := need[o.Entity.ID]; s != nil {
			switch form := text[o.Start:o.End]; {
			case s.form == "":
				s.form = form
			case !strings.EqualFold(s.form, form):
				s.forms2 = true
			}
		}
		if s := need[o.Entity.Country]; s != nil && o.Entity.Country != "" {
			s.owned = true
		}
	}
	unsure := func(id string) bool { return need[id] != nil }
	out := ms[:0]
	k = 0
	for i, m := range ms {
		for k < len(starts) && int(starts[k]) < m.Start {
			k++
		}
		if k < len(starts) && int(starts[k]) == m.Start {
			s := need[m.Entity.ID]
			if !s.forms2 && !s.owned && !listedState(text, ms, i) && !foreignStateBeside(text, ms, i, unsure) {
				if s.place == 0 {
					s.place = -1
					if g.placeOf(m.Entity.ID, places) {
						s.place = 1
					}
				}
				if s.place < 0 {
					continue
				}
			}
		}
		out = append(out, m)
	}
	return out
}

// placeOf reports whether one of the places (entity indices of city forms
// left out as places) is in the state with the given ID: "Amman" as a place
// still tells which Jordan a text means.
func (g *Gazetteer) placeOf(id string, places []int32) bool {
	for _, p := range places {
		if r := &g.ents[p]; g.text[r.id:r.name] == id {
			return true
		}
	}
	return false
}

// foreignStateBeside reports whether the mention before or after ms[i] in
// its sentence is another state by its name, and not the United States,
// whose own states share the names ("Jordan condemned Israel", "Russia
// invaded Georgia"; not "the results in Georgia, the United States' ...",
// nor "Lima beans and Jordan almonds", where a capital stands), nor one
// that needs support itself (unsure: "Jordan moved to Georgia").
func foreignStateBeside(text string, ms []Mention, i int, unsure func(id string) bool) bool {
	foreign := func(o Mention) bool {
		return o.Entity.Type == TypeCountry && o.Entity.ID != "USA" && o.Entity.ID != ms[i].Entity.ID &&
			!unsure(o.Entity.ID) && text[o.Start:o.End] == o.Entity.Name
	}
	m := ms[i]
	return i > 0 && foreign(ms[i-1]) && !sentenceBreak(text[ms[i-1].End:m.Start]) ||
		i+1 < len(ms) && foreign(ms[i+1]) && !sentenceBreak(text[m.End:ms[i+1].Start])
}

// sentenceBreak reports whether s, the text between two mentions, ends a
// sentence or a line.
func sentenceBreak(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\n', '!', '?':
			return true
		case '.':
			if i+1 == len(s) || s[i+1] == ' ' {
				return true
			}
		}
	}
	return false
}

// listedState reports whether mention i is a state beside another in a
// list: "Ukraine and Georgia", "Georgia, Armenia".
func listedState(text string, ms []Mention, i int) bool {
	m := ms[i]
	listed := func(a, b Mention) bool {
		if a.Entity.Type != TypeCountry || b.Entity.Type != TypeCountry || a.End > b.Start {
			return false
		}
		switch text[a.End:b.Start] {
		case ", ", " and ", ", and ", " or ", ", or ", " & ":
			return true
		}
		return false
	}
	return i > 0 && listed(ms[i-1], m) || i+1 < len(ms) && listed(m, ms[i+1])
}
