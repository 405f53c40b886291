package entities

import (
	"slices"
	"strings"
)

// A caller target without a type is typed by what the service can tell of
// it, as the entities it finds itself are: a person's document stance, the
// surname that refers back to them, the pronouns and the document model's
// reading of people all hang on the type, and a caller that sends
// {"name": "Harvey Weinstein"} means a person as surely as one that says
// so. Untyped, PerSenT's main persons read 0.39 accuracy where typed ones
// read 0.54 (dev, served model).
//
// tableType is the first of three readings: the built-in table's,
// where the target's name or one of its aliases, read alone, is one
// mention from its first byte to its last ("Iran": a country, "NATO": an
// organisation, "Vladimir Putin", or a given name the table's people bear
// and one to three more name words: a person).
func (g *Gazetteer) tableType(t *Target) Type {
	for k := -1; k < len(t.Aliases); k++ {
		s := t.Name
		if k >= 0 {
			s = t.Aliases[k]
		}
		s = strings.TrimSpace(s)
		ms, err := g.FindInto(nil, s, Options{Builtin: true})
		if err == nil && len(ms) == 1 && ms[0].Start == 0 && ms[0].End == len(s) {
			// A one-word alias that is some known person's surname
			// ("Villa" of "Aston Villa") says little of the target.
			if k < 0 || ms[0].Entity.Type != TypePerson || strings.Contains(s, " ") {
				return ms[0].Entity.Type
			}
		}
		if g.titledName(s) {
			return TypePerson
		}
	}
	return TypeUnspecified
}

// titledName reports whether s is a title and a name that the table does
// not know, opening with a given name its people bear: "Senator Al
// Franken". Not "General Motors", "King Kong" or "Dr. Pepper".
func (g *Gazetteer) titledName(s string) bool {
	cands, _ := g.collectBuiltin(s, nil, nil)
	for _, c := range cands {
		if c.entity == kindTitle && c.start == 0 && nameWordAfter(s, c.end) && personShape(s[c.end+1:]) &&
			g.isGivenName(s[c.end+1:wordEnd(s, c.end+1)]) {
			return true
		}
	}
	return false
}

// personShape reports whether name reads as a personal name: one to four
// words, each capitalised and not all in capitals (a particle such as
// "bin" or "de" aside), none a word of institutions ("Bank", "Party").
func personShape(name string) bool {
	ws := strings.Fields(name)
	if len(ws) == 0 || len(ws) > 4 {
		return false
	}
	for _, w := range ws {
		if nameParticle(w) {
			continue
		}
		if !startsUpper(w) || isExact(w) && len(w) > 2 || institutionWord(w) {
			return false
		}
	}
	return !nameParticle(ws[len(ws)-1])
}

// titledTargets is the second: a target that the table could not type is
// a person where the text puts a title right before one of its mentions
// ("Mr. Koellmann", "Senator Franken"). ents are the targets, untyped
// those of them the caller left untyped, ms the mentions found so far (the
// caller's are read), titles the title spans the built-in pass found, in
// order. ents and ms are updated in place.
func titledTargets(ents []Entity, untyped []bool, ms []Mention, titles []span) {
	person := map[string]bool{}
	for _, m := range ms {
		if m.Source != SourceCaller || m.Entity.Type != TypeUnspecified || person[m.Entity.ID] {
			continue
		}
		if titledAt(titles, m.Start) {
			person[m.Entity.ID] = true
		}
	}
	if len(person) == 0 {
		return
	}
	for i := range ents {
		if untyped[i] && person[ents[i].ID] {
			ents[i].Type = TypePerson
		}
	}
	for i := range ms {
		if ms[i].Source == SourceCaller && ms[i].Entity.Type == TypeUnspecified && person[ms[i].Entity.ID] {
			ms[i].Entity.Type = TypePerson
		}
	}
}

// surnamedTargets is the third reading: a target of two to four words
// shaped as a personal name is a person where the text says "he" or "she"
// somewhere and uses the name's last word alone as news uses a surname:
// before a verb of saying or "who" ("Weinstein said", "Seemann, who
// ...") or after a title ("Mr. Weinstein"). A club, a product or a place
// seldom says anything ("United won", "Worth residents"), and a last word
// the table knows alone ("Havana") is no surname. The caller's own alias
// counts where the text uses it so. ents, untyped and ms are as for
// titledTargets; titles the title spans, in order.
func (g *Gazetteer) surnamedTargets(text string, ents []Entity, untyped []bool, ms []Mention, titles []span) {
	pronoun := -1 // whether the text has a personal pronoun, once asked
	for i := range ents {
		if !untyped[i] || ents[i].Type != TypeUnspecified {
			continue
		}
		ws := strings.Fields(ents[i].Name)
		if len(ws) < 2 || !personShape(ents[i].Name) {
			continue
		}
		last := ws[len(ws)-1]
		if g.knownForm(last) {
			continue
		}
		if pronoun < 0 {
			pronoun = 0
			if personalPronoun(text) {
				pronoun = 1
			}
		}
		if pronoun == 0 {
			continue
		}
		person := false
		for s, e := range wholeWords(text, last) {
			if m := mentionOver(ms, s, e); m != nil && m.Entity.ID != ents[i].ID {
				// The word found as a person already ("Mr. Weinstein",
				// titled) is this one's surname.
				if person = m.Entity.Type == TypePerson && m.Start == s && m.End == e; person {
					break
				}
				continue
			}
			if nameWordAfter(text, e) {
				continue
			}
			if person = titledAt(titles, s) || saysAfter(text, e); person {
				break
			}
		}
		if !person {
			continue
		}
		ents[i].Type = TypePerson
		for j := range ms {
			if ms[j].Source == SourceCaller && ms[j].Entity.ID == ents[i].ID && ms[j].Entity.Type == TypeUnspecified {
				ms[j].Entity.Type = TypePerson
			}
		}
	}
}

// titledAt reports whether a title of titles (in order) ends right before
// the word at p, after one space ("Mr. Weinstein"). Titles do not overlap,
// so their ends are in order too.
func titledAt(titles []span, p int) bool {
	_, titled := slices.BinarySearchFunc(titles, p-1, func(t span, end int) int { return t.end - end })
	return titled
}

// saysAfter reports whether a verb of saying or "who" follows the word that
// ends at e, after a space or a comma ("Weinstein said", "Seemann, who").
func saysAfter(text string, e int) bool {
	rest := strings.TrimPrefix(text[e:], ",")
	if !strings.HasPrefix(rest, " ") {
		return false
	}
	rest = strings.TrimLeft(rest, " ")
	w := rest[:wordEnd(rest, 0)]
	switch w {
	case "said", "says", "told", "tells", "added", "adds", "wrote", "writes", "who", "whose", "recalled", "explained",
		"insisted", "argued", "admitted", "stated", "replied", "noted", "asked", "tweeted", "testified", "denied",
		"claimed", "believes", "believed", "thinks", "thought", "wants", "wanted", "hopes", "hoped", "spoke",
		"responded", "acknowledged", "apologized", "apologised", "vowed", "pleaded", "described", "called",
		"announced", "confirmed", "died", "married", "resigned", "himself", "herself":
		return true
	}
	return false
}

// knownForm reports whether the table has w alone as an entity's form.
func (g *Gazetteer) knownForm(w string) bool {
	cands, _ := g.collectBuiltin(w, nil, nil)
	for _, c := range cands {
		if c.entity >= 0 && c.start == 0 && c.end == len(w) {
			return true
		}
	}
	return false
}

// personalPronoun reports whether text has "he", "she", "him", "his" or
// "her" as a word, in any case.
func personalPronoun(text string) bool {
	for _, w := range []string{"he", "she", "him", "his", "her", "He", "She", "His", "Her"} {
		for range wholeWords(text, w) {
			return true
		}
	}
	return false
}
