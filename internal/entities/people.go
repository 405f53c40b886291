package entities

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameWords bounds a personal name after a title; longer runs of capitals
// are headlines or organisation names.
const maxNameWords = 5

// notName reports whether w is a capitalised word that ends a name: a
// function word at the start of a sentence, or a noun of institutions
// ("General Assembly", "General Staff"), which follows titles without being
// a person. This and the word lists below are switches, not maps, to keep
// them out of the heap that every collection cycle scans.
func notName(w string) bool {
	switch w {
	case "The", "A", "An", "And", "Or", "But", "In",
		"On", "At", "Of", "For", "To", "With", "By",
		"From", "As", "He", "She", "It", "They", "We",
		"I", "His", "Her", "Their", "This", "That",
		"These", "Those", "Is", "Was", "Has", "Had",
		"Will", "Would", "Said", "Says", "Also", "Who",
		"Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
		"Saturday", "Sunday", "January", "February", "March",
		"April", "June", "July", "August", "September",
		"October", "November", "December",
		"Assembly", "Staff", "Council", "Forces", "Ministry",
		"Office", "Department", "Committee", "Court", "House",
		"Party", "Army", "Navy", "Agency", "Union",
		"Organization", "Organisation", "Republic", "Revolution",
		"State", "States", "Government", "Administration",
		"Affairs", "Security", "Defense", "Defence", "Foreign",
		"National", "Islamic", "Supreme", "Armed", "Military",
		"Command", "Headquarters", "Parliament", "Senate",
		"Congress", "Cabinet", "Bank", "Fund", "Corps",
		"Guard", "Guards", "Police", "Service", "Services",
		"Intelligence", "Kingdom", "Federation", "Region",
		"Province", "City", "Street", "Times", "Post",
		"News", "Agency's", "Summit", "Conference", "Forum":
		return true
	}
	return false
}

// nameParticle reports whether w may appear in lower case inside a name
// ("Ursula von der Leyen", "Mohammed bin Salman").
func nameParticle(w string) bool {
	switch w {
	case "bin", "ibn", "al", "el", "de", "da", "del",
		"der", "van", "von", "du", "la", "le", "dos":
		return true
	}
	return false
}

// findPeople recognises personal names next to titles ("President Ebrahim
// Raisi", "Brig. Gen. Ashtiani", "Mehdi Safari, the former Iranian
// ambassador") and links each to the state or body the text ties the title
// to. ms is sorted; the result is sorted.
func (g *Gazetteer) findPeople(text string, ms []Mention, titles []span, headlines [][2]int) []Mention {
	n0 := len(ms)
	nextHeadline := 0
	for ti := 0; ti < len(titles); ti++ {
		cs, ce := titles[ti].start, titles[ti].end
		headline := len(headlines) > 0 && inHeadline(headlines, &nextHeadline, cs)
		var complement []Mention
		// Chain adjacent titles and "of the X" complements: "Defense Minister
		// Brigadier General", "Supreme Leader of the Islamic Revolution
		// Ayatollah", "Chief of the General Staff of the Armed Forces,".
		for {
			if ti+1 < len(titles) && titles[ti+1].start == ce+1 && text[ce] == ' ' {
				ti++
				ce = titles[ti].end
				continue
			}
			if p, ok := skipComplement(text, ce, ms[:n0]); ok {
				complement = appendWithin(complement, ms[:n0], ce, p)
				if ti+1 < len(titles) && titles[ti+1].start == p+1 && text[p] == ' ' {
					ti++
					ce = titles[ti].end
					continue
				}
				if strings.HasPrefix(text[p:], ", ") {
					ce = p
				}
			}
			break
		}
		country := countryBefore(text, ms[:n0], cs)
		if country == "" {
			country = firstStateOrBody(complement)
		}
		// The name follows the title after one space, or after a comma when
		// it has at least two words ("spokesperson, Nasser Kan'ani").
		var ns, ne, words int
		switch {
		case strings.HasPrefix(text[ce:], " "):
			ns, ne, words = readName(text, ce+1, ms[:n0], headline)
		case strings.HasPrefix(text[ce:], ", "):
			ns, ne, words = readName(text, ce+2, ms[:n0], headline)
			if words < 2 {
				words = 0
			}
		}
		if words == 0 {
			// "Name, the former Iranian ambassador": the name comes first.
			ns, ne, words = appositive(text, cs, ce, ms[:n0])
			if words == 0 {
				continue
			}
			if country == "" {
				country = countryBefore(text, ms[:n0], cs)
			}
		}
		if country == "" {
			country = stateOrBody(ofAfter(text, ms[:n0], ne).Entity)
		}
		ms = addPerson(text, ms, ns, ne, country)
	}
	// Drop the mentions that a widened person swallowed.
	out := ms[:0]
	for _, m := range ms {
		if m.Start >= 0 {
			out = append(out, m)
		}
	}
	sortMentions(out)
	return out
}

// findNamedPeople recognises people the table does not know by a given
// name that the table's people bear, followed by one to three more name
// words: "Nikos Dendias", "Emily Spanton", "Pedro Pierluisi". A name is
// often the only way news names the one who acts ("Elijah Cummings said").
// It is no name where it runs into an institution ("John Hopkins
// University"), where a capitalised word that does not start the sentence
// comes right before it (part of a longer name or a title the table does
// not know), or where it runs into a mention. ms is sorted; the result is
// sorted. starts are the offsets of the words that start with a capital or
// a non-ASCII letter, in order (collectBuiltin's); places those of the
// cities left out as places ("talks in Abu Dhabi"), which name no one.
func (g *Gazetteer) findNamedPeople(text string, ms []Mention, starts, places []int32) []Mention {
	n0 := len(ms)
	next := 0  // the first mention that may end after the scan
	after := 0 // where the last name found ends
	for _, s := range starts {
		p := int(s)
		if p < after || text[p] < 'A' || text[p] > 'Z' || p > 0 && text[p-1] == '-' {
			// Inside the last name, no ASCII capital (the table's given
			// names are ASCII), or inside a hyphenated word ("Jean-Yves").
			continue
		}
		for next < n0 && ms[next].End <= p {
			next++
		}
		if next < n0 && ms[next].Start <= p {
			continue // inside a mention
		}
		if _, place := slices.BinarySearch(places, s); place {
			continue
		}
		w := wordEnd(text, p)
		// "Jean-Yves Le Drian", "Hans-Peter Friedrich": a hyphenated given
		// name is two the table knows ("Mercedes-Benz Group" is none).
		given := w
		if h := strings.IndexByte(text[p:w], '-'); h > 0 && startsUpperAt(text, p+h+1) {
			if !g.isGivenName(text[p+h+1 : w]) {
				continue
			}
			given = p + h
		}
		// The cheap tests first: a name has a capitalised word after the
		// first, which most capitalised words (a sentence's first) lack.
		if w+1 >= len(text) || text[w] != ' ' || !nameWordAt(text, w+1) || commonGiven(text[p:given]) ||
			capitalisedBefore(text, p) || !g.isGivenName(text[p:given]) {
			continue
		}
		// The name can only run into the next mention: readName is given
		// that one alone, which keeps a text of many names linear.
		ns, ne, words := readName(text, p, ms[next:min(next+1, n0)], false)
		if words < 2 || words > 4 || len(lastWord(text[ns:ne])) < 2 || institutionAfter(text, ns, ne) ||
			next < n0 && ms[next].Start <= ne+1 {
			// Too short or long, an institution's name, or running into or
			// up to a mention: a known person's name ("Sayyid Ali Hosseini
			// Khamenei") or a caller's ("Andres Manuel [Lopez Obrador]")
			// stays as it is.
			continue
		}
		name := text[ns:ne]
		e := Entity{ID: "person:" + slug(name), Name: name, Type: TypePerson}
		if next < n0 {
			e.Country = stateOrBody(ofAfter(text, ms[next:next+1], ne).Entity)
		}
		ms = append(ms, Mention{Start: ns, End: ne, Entity: e, Source: SourceName})
		after = ne
	}
	if len(ms) > n0 {
		sortMentions(ms)
	}
	return ms
}

// nameWordAt reports whether a word of a name may start at q: a capital,
// an Arabic article joined to one ("al-Jahafi"), or a particle before one
// ("de Graaf", "van Biljon").
func nameWordAt(text string, q int) bool {
	if startsUpperAt(text, q) || hyphenParticle(text, q) {
		return true
	}
	w := wordEnd(text, q)
	return nameParticle(text[q:w]) && w+1 < len(text) && text[w] == ' ' && startsUpperAt(text, w+1)
}

// commonGiven reports whether w is a given name that is more often a
// common word or a month at the head of a phrase ("May Day", "Will
// Power").
func commonGiven(w string) bool {
	switch w {
	case "May", "Will", "Mark", "Grace", "Hope", "Rose", "Art", "Bill", "Don", "Major", "General", "Justice",
		"King", "Prince", "Page", "Say", "Bay", "Star", "Sun", "Golden", "Royal", "Long", "Young", "Little",
		"Faith", "Glory", "Joy", "Summer", "Winter", "Autumn", "Dawn", "Sky", "Ocean", "Land", "Guy", "Chance",
		"Chase", "Rich", "Frank", "Sterling", "Miles", "Norman", "Christian", "Sharia", "Allah", "God", "Jesus",
		"Santa", "San", "Saint", "St", "Mount", "Lake", "Port", "Fort", "Cape", "North", "South", "East", "West",
		"New", "Old", "Great", "Grand", "Upper", "Lower", "Central", "United", "National", "International",
		// Articles and particles that open places and titles ("El Paso",
		// "La Paz", "Al Jazeera", "Lord Mayor").
		"El", "La", "Las", "Los", "Le", "Les", "De", "Del", "Da", "Al", "Ad", "Lord", "Lady", "Sir", "Mass", "Roman",
		"So", "Air", "First", "No", "Om", "Mars", "Maker", "Fan", "Tin", "Ain", "Islam":
		return true
	}
	return institutionWord(w) || !hasLowerASCII(w) // "AB", "NASA"
}

// capitalisedBefore reports whether a capitalised word comes right before
// the word at p in its sentence, which makes the word part of a longer
// name: "Hotel Maria Regina", "Judge Amy Berman Jackson" (where a title the
// table knows has already made the person).
func capitalisedBefore(text string, p int) bool {
	prev, _ := prevWords(text, p)
	ws := p - 1 - len(prev)
	return prev != "" && startsUpperAt(text, ws) && !sentenceStart(text, ws)
}

// institutionAfter reports whether the name read at [ns, ne) is the start
// of an institution's name: its last word, or the capitalised word after
// it, is an institution's noun ("John Hopkins University", "Abraham
// Lincoln Memorial").
func institutionAfter(text string, ns, ne int) bool {
	if w := lastWord(text[ns:ne]); institutionWord(w) || placeNoun(w) {
		return true
	}
	if ne+1 < len(text) && text[ne] == ' ' && startsUpperAt(text, ne+1) {
		w := text[ne+1 : wordEnd(text, ne+1)]
		return institutionWord(w) || placeNoun(w)
	}
	return false
}

// placeNoun reports whether w is the noun of a named place, work or body
// that people's names start: "Lincoln Memorial", "Nelson Mandela Bay".
func placeNoun(w string) bool {
	switch w {
	case "University", "College", "School", "Academy", "Hospital", "Institute", "Foundation", "Memorial",
		"Stadium", "Arena", "Airport", "Center", "Centre", "Museum", "Prize", "Award", "Awards", "Bridge", "Park",
		"Avenue", "Road", "Square", "Hall", "Library", "Trust", "Fund", "Group", "Corporation", "Company",
		"Inc", "Ltd", "Station", "Hotel", "Tower", "Street", "Boulevard", "Island", "Islands", "Bay", "Dam",
		"Canal", "Show", "Festival", "Cup", "Trophy", "Act", "Law", "Doctrine", "Plan", "Era", "County", "World",
		"Authority", "Strategies", "Colony", "Faire", "Expo", "Point", "Club", "Clubs", "Image", "Falls", "Prison":
		return true
	}
	return false
}

// addPerson records a titled name. A gazetteer person inside the name span
// ("Ibrahim Raisi" around the alias "Raisi") lends its identity to the whole
// span; otherwise the name becomes a new PERSON entity.
func addPerson(text string, ms []Mention, ns, ne int, country string) []Mention {
	for i := range ms {
		m := &ms[i]
		if m.Start < 0 || m.Start >= ne || m.End <= ns {
			continue
		}
		if m.Entity.Type != TypePerson {
			return ms // overlaps a non-person: readName stopped before it, so this is a title-name clash
		}
		if m.Source == SourceCaller && (m.End > ne || m.Start < ns) {
			// A caller's name reaching past the titled name wins, as
			// caller targets do: "Rep. Tim Ryan Tuesday" stays the
			// caller's "Tim Ryan Tuesday", not a titled "Tim Ryan" that
			// drops it as a shared given name. One inside it is a
			// shared given name ("Mohammad Reza" in "Foreign Minister
			// Mohammad Reza Ashtiani") or widens, as below.
			return ms
		}
		if m.End != ne {
			// A known person inside the name but not at its end ("Mohammad
			// Reza" in "Mohammad Reza Ashtiani") is a shared given name,
			// not this person: the titled name wins.
			m.Start = -1
			continue
		}
		// Widen the person mention to the full titled name; mark any other
		// mention inside it for removal (Start -1) so that indices stay put
		// while findPeople is still scanning. A person the table does not
		// know is named by the span, which may also narrow ("the mayor,
		// President Maria Kab": Maria Kab, not "President Maria Kab").
		m.Start, m.End = ns, ne
		if m.Source == SourceTitle && m.Entity.ID == "person:"+slug(m.Entity.Name) {
			name := text[ns:ne]
			m.Entity.ID, m.Entity.Name = "person:"+slug(name), name
			if country != "" {
				m.Entity.Country = country
			}
		}
		for j := range ms {
			if j != i && ms[j].Start >= ns && ms[j].End <= ne {
				ms[j].Start = -1
			}
		}
		return ms
	}
	for j := range ms {
		if ms[j].Start >= ns && ms[j].End <= ne {
			ms[j].Start = -1
		}
	}
	name := text[ns:ne]
	e := Entity{ID: "person:" + slug(name), Name: name, Type: TypePerson, Country: country}
	return append(ms, Mention{Start: ns, End: ne, Entity: e, Source: SourceTitle})
}

// skipComplement skips " of [the] Capitalised Words" after a title and
// returns the offset after the last word.
func skipComplement(text string, p int, ms []Mention) (int, bool) {
	if !strings.HasPrefix(text[p:], " of ") {
		return p, false
	}
	q := p + len(" of ")
	if strings.HasPrefix(text[q:], "the ") {
		q += len("the ")
	}
	end := -1
	for q < len(text) {
		if m := mentionAt(ms, q); m != nil {
			q = m.End
			end = q
		} else {
			w := wordEnd(text, q)
			if w == q || !startsUpperAt(text, q) {
				break
			}
			q = w
			end = q
		}
		if !strings.HasPrefix(text[q:], " ") || !startsUpperAt(text, q+1) {
			break
		}
		q++
	}
	if end < 0 {
		return p, false
	}
	return end, true
}

// readName reads up to maxNameWords capitalised words from p. It stops
// before a non-person mention, a stop word, or punctuation, and leaves a
// possessive 's outside the span. In a headline, where every word is
// capitalised, a known person ends the name and no name runs into one:
// "President Biden Calls Putin" is Biden, and Putin apart.
func readName(text string, p int, ms []Mention, headline bool) (start, end, words int) {
	start, end = p, p
	q := p
	for words < maxNameWords && q < len(text) {
		m := mentionAt(ms, q)
		if m != nil && (m.Entity.Type != TypePerson || headline && words > 0) {
			break
		}
		w := wordEnd(text, q)
		if w == q {
			break
		}
		word := text[q:w]
		if !startsUpperAt(text, q) && !hyphenParticle(text, q) {
			// "von der", "bin": only inside a name, before another capital.
			if words == 0 || !nameParticle(word) || !strings.HasPrefix(text[w:], " ") || !startsUpperAt(text, w+1) {
				break
			}
		} else if notName(word) {
			break
		}
		// An initial keeps its dot: "George W. Bush".
		if w < len(text) && text[w] == '.' && utf8.RuneCountInString(word) == 1 {
			w++
		}
		words++
		end = w
		if possessiveAt(text, w) || headline && m != nil && m.End <= w {
			break
		}
		if !strings.HasPrefix(text[w:], " ") {
			break
		}
		q = w + 1
	}
	// A lone particle is not a name.
	if words > 0 && !startsUpperAt(text, start) {
		return 0, 0, 0
	}
	return start, end, words
}

// hyphenParticle reports whether the word at p is an Arabic article joined
// to a capitalised name ("al-Assad", "el-Sisi"), a name word of its own.
func hyphenParticle(text string, p int) bool {
	for _, pre := range [...]string{"al-", "el-", "ad-", "as-", "ash-", "an-", "ar-", "at-", "az-"} {
		if strings.HasPrefix(text[p:], pre) && startsUpperAt(text, p+len(pre)) {
			return true
		}
	}
	return false
}

// appositive finds the name of "First Last, the [former] [Iranian] " before
// a title that starts at ts and ends at te, and returns the name span. The
// article may be "a" or "an", or none ("Kerri Kupec, spokeswoman for the
// Department of Justice"), and up to two lower-case words may stand before
// the title ("the caretaker Prime Minister", "the foreign affairs minister
// of Cuba"). The phrase must close as an apposition does (closesApposition):
// in "In New York, the mayor said" the title is the subject, not an
// apposition, and a name after a preposition that opens the sentence is a
// place (placeBefore).
func appositive(text string, ts, te int, ms []Mention) (start, end, words int) {
	if !closesApposition(text, te) {
		return 0, 0, 0
	}
	p := ts
	// An optional demonym or country mention directly before the title.
	if m := mentionEndingAt(ms, p-1); m != nil && m.Entity.Type == TypeCountry && text[p-1] == ' ' {
		p = m.Start
	}
	// Up to two lower-case modifier words ("former", "caretaker", "foreign
	// affairs").
	for range 2 {
		if p < 2 || text[p-1] != ' ' {
			break
		}
		ws := wordStart(text, p-1)
		w := text[ws : p-1]
		if ws == p-1 || !lowerWord(w) || isArticle(w) {
			break
		}
		p = ws
	}
	switch {
	case strings.HasSuffix(text[:p], ", the "):
		end = p - len(", the ")
	case strings.HasSuffix(text[:p], ", a "):
		end = p - len(", a ")
	case strings.HasSuffix(text[:p], ", an "):
		end = p - len(", an ")
	case strings.HasSuffix(text[:p], ", ") && p == ts:
		end = p - len(", ") // no article, no modifier: "Kerri Kupec, spokeswoman for"
	default:
		return 0, 0, 0
	}
	start = end
	q := end
	for words < 4 {
		ws := wordStart(text, q)
		if ws == q || !startsUpperAt(text, ws) && !hyphenParticle(text, ws) || notName(text[ws:q]) || personWordBefore(text[ws:q]) {
			break
		}
		if m := mentionAt(ms, ws); m != nil && m.Entity.Type != TypePerson {
			break
		}
		start = ws
		words++
		if ws < 2 || text[ws-1] != ' ' {
			break
		}
		q = ws - 1
	}
	if words < 2 || !startsUpperAt(text, start) || placeBefore(text, start) {
		return 0, 0, 0
	}
	return start, end, words
}

// closesApposition reports whether a title that ends at te ends an
// apposition: a comma, a full stop, the end of the text, or a complement
// ("of Cuba", "for the PMF", "to Germany", "at the ministry", "in
// Tehran") follows.
func closesApposition(text string, te int) bool {
	rest := text[te:]
	if rest == "" || rest[0] == ',' || rest[0] == '.' {
		return true
	}
	for _, c := range [...]string{" of ", " for ", " to ", " at ", " in "} {
		if strings.HasPrefix(rest, c) {
			return true
		}
	}
	return false
}

// placeBefore reports whether the word before offset p is a preposition of
// place that opens the sentence, which makes the capitalised words after
// it a place: "In New York, the mayor". Inside a sentence the name after
// "to" or "from" is someone's ("according to Kerri Kupec, the
// spokeswoman").
func placeBefore(text string, p int) bool {
	prev, _ := prevWords(text, p)
	if prev == "" || !sentenceStart(text, p-1-len(prev)) {
		return false
	}
	switch strings.ToLower(prev) {
	case "in", "at", "from", "near", "to", "across", "inside", "outside":
		return true
	}
	return false
}

// lowerWord reports whether w is a word of lower-case ASCII letters.
func lowerWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return w != ""
}

// isArticle reports whether w is an article.
func isArticle(w string) bool { return w == "the" || w == "a" || w == "an" }

// countryBefore returns the state or body named right before offset p:
// "Iranian President", "Iran's Defense Minister", "NATO Secretary General".
func countryBefore(text string, ms []Mention, p int) string {
	for _, gap := range [...]string{" ", "'s ", "\u2019s "} {
		if p < len(gap) || text[p-len(gap):p] != gap {
			continue
		}
		if m := mentionEndingAt(ms, p-len(gap)); m != nil {
			return stateOrBody(m.Entity)
		}
	}
	return ""
}

// ofAfter returns the mention of ms that follows p after " of " or " of
// the " ("Muhammadu Buhari of Nigeria", "Rafael Grossi of the IAEA"), or
// the zero Mention.
func ofAfter(text string, ms []Mention, p int) Mention {
	if !strings.HasPrefix(text[p:], " of ") {
		return Mention{}
	}
	q := p + len(" of ")
	if strings.HasPrefix(text[q:], "the ") {
		q += len("the ")
	}
	// ms is sorted: a search, as a text of many titles asks for each.
	if i, ok := slices.BinarySearchFunc(ms, q, func(m Mention, q int) int { return m.Start - q }); ok {
		return ms[i]
	}
	return Mention{}
}

func stateOrBody(e Entity) string {
	switch e.Type {
	case TypeCountry, TypeOrganization, TypeGroup:
		return e.ID
	}
	return ""
}

func firstStateOrBody(ms []Mention) string {
	for _, m := range ms {
		if id := stateOrBody(m.Entity); id != "" {
			return id
		}
	}
	return ""
}

// appendWithin appends the mentions of ms that lie inside [s,e).
func appendWithin(dst, ms []Mention, s, e int) []Mention {
	for _, m := range ms {
		if m.Start >= s && m.End <= e {
			dst = append(dst, m)
		}
	}
	return dst
}

// mentionAt returns the mention of ms that starts at p.
func mentionAt(ms []Mention, p int) *Mention {
	for i := range ms {
		if ms[i].Start == p {
			return &ms[i]
		}
	}
	return nil
}

// mentionEndingAt returns the mention of ms that ends at p.
func mentionEndingAt(ms []Mention, p int) *Mention {
	for i := range ms {
		if ms[i].End == p {
			return &ms[i]
		}
	}
	return nil
}

// wordEnd returns the end of the name word starting at p: letters, digits,
// marks, hyphens and inner apostrophes ("Kan'ani", "Kassym-Jomart").
func wordEnd(text string, p int) int {
	q := p
	for q < len(text) {
		// Most name letters are ASCII; the first-byte table knows those
		// without decoding a rune.
		if c := text[q]; c < utf8.RuneSelf && asciiWord[c] {
			q++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[q:])
		if isWordRune(r) && !(r == 'â' && mojibakeApostrophe(text, q) > 0) {
			q += n
			continue
		}
		if (r == '-' || r == '\'' || r == '\u2019') && q > p {
			if r2, _ := utf8.DecodeRuneInString(text[q+n:]); isWordRune(r2) && !possessiveAt(text, q) {
				q += n
				continue
			}
		}
		break
	}
	return q
}

// asciiWord marks the ASCII letters and digits, the ASCII runes for which
// isWordRune holds.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
	}
	return t
}()

// wordStart returns the start of the word ending at p (p itself if none).
func wordStart(text string, p int) int {
	q := p
	for q > 0 {
		// ASCII letters without decoding, as in wordEnd.
		if c := text[q-1]; c < utf8.RuneSelf && asciiWord[c] {
			q--
			continue
		}
		r, n := utf8.DecodeLastRuneInString(text[:q])
		if isWordRune(r) {
			q -= n
			continue
		}
		if (r == '-' || r == '\'' || r == '\u2019') && q < p {
			if r2, _ := utf8.DecodeLastRuneInString(text[:q-n]); isWordRune(r2) {
				q -= n
				continue
			}
		}
		break
	}
	return q
}

// possessiveAt reports whether text[p:] starts with a possessive 's.
func possessiveAt(text string, p int) bool {
	if p < len(text) && text[p] == 0xc3 { // the lead byte of "â"
		if n := mojibakeApostrophe(text, p); n > 0 {
			p += n - 1 // its last byte stands for the apostrophe
		}
	}
	for _, ap := range [...]string{"'s", "\u2019s", "\x99s", "\u2122s"} {
		if strings.HasPrefix(text[p:], ap) {
			q := p + len(ap)
			if q == len(text) {
				return true
			}
			r, _ := utf8.DecodeRuneInString(text[q:])
			return !isWordRune(r)
		}
	}
	return false
}

func startsUpperAt(text string, p int) bool {
	if p >= len(text) {
		return false
	}
	if c := text[p]; c < utf8.RuneSelf {
		return 'A' <= c && c <= 'Z'
	}
	r, _ := utf8.DecodeRuneInString(text[p:])
	return unicode.IsUpper(r)
}

// resolveShortRefs links a later (or earlier) lone surname to the person
// named in full elsewhere in the text, and re-points single-word titled names
// ("Brig. Gen. Ashtiani") to that person. A surname shared by two people in
// the text stays unresolved.
func (g *Gazetteer) resolveShortRefs(text string, ms []Mention, starts, dropped []int32) []Mention {
	type person struct {
		surname string
		entity  Entity
		dup     bool
	}
	var people [8]person
	ps := people[:0]
	// Past a few people, their surnames are found through a map, so that a
	// text naming thousands of people stays linear; below, a scan costs
	// less than the map.
	const scanned = 16
	var index map[string]int // lower-cased surname -> ps
	find := func(sn string) int {
		if index != nil {
			if i, ok := index[strings.ToLower(sn)]; ok {
				return i
			}
			return -1
		}
		for i := range ps {
			if strings.EqualFold(ps[i].surname, sn) {
				return i
			}
		}
		return -1
	}
	add := func(sn string, e Entity) {
		if i := find(sn); i >= 0 {
			if ps[i].entity.ID != e.ID {
				ps[i].dup = true
			}
			return
		}
		ps = append(ps, person{surname: sn, entity: e})
		switch {
		case index != nil:
			index[strings.ToLower(sn)] = len(ps) - 1
		case len(ps) > scanned:
			index = make(map[string]int, 2*len(ps))
			for i := range ps {
				index[strings.ToLower(ps[i].surname)] = i
			}
		}
	}
	for _, m := range ms {
		if m.Entity.Type != TypePerson {
			continue
		}
		full := text[m.Start:m.End]
		sn := lastWord(full)
		if sn == full {
			continue
		}
		if find(sn) >= 0 {
			add(sn, m.Entity)
			continue
		}
		add(sn, m.Entity)
		// "al-Abadi" is "Abadi" later in the text.
		if i := strings.IndexByte(sn, '-'); i > 0 && i+1 < len(sn) && hyphenParticle(sn, 0) {
			add(sn[i+1:], m.Entity)
		}
	}
	lookup := func(w string) *Entity {
		if i := find(w); i >= 0 && !ps[i].dup && ps[i].surname == w {
			return &ps[i].entity
		}
		return nil
	}
	// Single-word titled names first: "Brig. Gen. Ashtiani" is the
	// Ashtiani named in full elsewhere in the text, else the one gazetteer
	// person with that surname ("Mrs. Clinton" stays unresolved: there are
	// two). Anything else is dropped, as a lone capitalised word after a
	// title is as often a headline verb ("President Warns") as a surname.
	out := ms[:0]
	for _, m := range ms {
		// A famous person's surname alone is the namesake that the text
		// names in full ("Sam Harris ... Harris said").
		if m.Source == SourceGazetteer && m.Entity.Type == TypePerson && strings.IndexByte(text[m.Start:m.End], ' ') < 0 {
			if e := lookup(text[m.Start:m.End]); e != nil && e.ID != m.Entity.ID {
				m.Entity, m.Source = *e, SourceShortRef
			}
		}
		if m.Source == SourceTitle && strings.IndexByte(text[m.Start:m.End], ' ') < 0 {
			if e := lookup(text[m.Start:m.End]); e != nil {
				m.Entity, m.Source = *e, SourceShortRef
			} else if i, ok := g.personBySurname(text[m.Start:m.End]); ok {
				m.Entity = g.entity(i)
			} else {
				continue
			}
		}
		out = append(out, m)
	}
	ms = out
	if len(ps) == 0 {
		return ms
	}
	// Only words whose first byte starts some surname are looked at; this
	// scan runs over every word of every text with people in it. Where
	// every surname starts with a capital or a non-ASCII letter, the
	// word starts with such a byte that collectBuiltin collected are all it
	// needs to see.
	var first [256]bool
	capital := true
	for _, p := range ps {
		c := p.surname[0]
		first[c] = true
		capital = capital && ('A' <= c && c <= 'Z' || c >= 0xC0)
	}
	n0 := len(ms)
	try := func(p int) int {
		if !first[text[p]] || !leftBoundary(text, p) {
			return p
		}
		if len(dropped) > 0 {
			if _, no := slices.BinarySearch(dropped, int32(p)); no {
				return p
			}
		}
		w := wordEnd(text, p)
		if e := lookup(text[p:w]); e != nil && !overlapsAny(ms[:n0], p, w) {
			ms = append(ms, Mention{Start: p, End: w, Entity: *e, Source: SourceShortRef})
		}
		return max(p, w-1)
	}
	if capital {
		next := 0
		for _, p := range starts {
			if int(p) >= next {
				next = try(int(p)) + 1
			}
		}
	} else {
		for p := 0; p < len(text); p++ {
			p = try(p)
		}
	}
	if len(ms) > n0 {
		sortMentions(ms)
	}
	return ms
}
