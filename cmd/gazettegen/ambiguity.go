package main

import (
	"slices"
	"strings"
)

// Marks of an alias that names a state only in some contexts, written as M
// rows. Both are derived from the Phoenix country dictionary, not typed by
// hand, so that a new capital or a new state gets them too.
const (
	// markPlace: Phoenix lists the alias among a state's synonyms though it
	// is not a spelling of the state's name: a city ("TEHRAN", "LONDON",
	// "WASHINGTON"), which names the state only as its government.
	markPlace = "c"
	// markQualified: Phoenix also lists the alias with a qualifier that
	// tells the state from a namesake ("GEORGIA (COUNTRY)", "JORDAN
	// (COUNTRY)"), so the bare name needs the document's support.
	markQualified = "q"
)

// stateQualifiers are the parenthesised Phoenix qualifiers that set a state
// apart from something else of the same name. Regional qualifiers such as
// "(PRC)" or "(SOUTH)" tell two states apart and mark nothing.
var stateQualifiers = map[string]bool{"COUNTRY": true, "NATION": true, "REPUBLIC": true, "SOVEREIGN STATE": true}

// noteSynonyms records what the synonyms of a state block say about
// ambiguity. A qualified synonym marks its bare name. A synonym is a place
// when it neither shares the first letters of the state's name (nameStems,
// see stem) nor stands as whole words inside a synonym that does
// ("GREAT BRITAIN" in "UNITED KINGDOM OF GREAT BRITAIN ..."): a city such as
// "TEHRAN", or a demonym, which the place rules of internal/entities never
// meet in a place's context.
func (c *compiler) noteSynonyms(b *actorBlock, nameStems []string) {
	var names []string
	for _, p := range append([]string{b.primary}, b.synonyms...) {
		if slices.Contains(nameStems, stem(p)) {
			names = append(names, " "+p+" ")
		}
	}
	for _, p := range b.synonyms {
		if name, qual, ok := strings.Cut(p, " ("); ok {
			if q, ok := strings.CutSuffix(qual, ")"); ok && stateQualifiers[strings.TrimSpace(q)] {
				c.qualified[strings.ToLower(displayCase(strings.TrimSpace(name)))] = true
			}
			continue
		}
		if slices.Contains(nameStems, stem(p)) || strings.Contains(p, b.primary) || !isPlainPhrase(p) {
			continue
		}
		inName := false
		for _, n := range names {
			inName = inName || strings.Contains(n, " "+p+" ")
		}
		if !inName {
			c.places[strings.ToLower(displayCase(strings.TrimPrefix(p, "THE ")))] = true
		}
	}
}

// marks returns the M-row marks of an alias of entity e, "" for none.
func (c *compiler) marks(e *entity, lower string) string {
	if e.typ != "COUNTRY" {
		return ""
	}
	// An acronym ("US", "UAE") is the state's name in short.
	if !hasLower(strings.Join(strings.Fields(c.aliases[lower][e.id]), "")) {
		return ""
	}
	m := ""
	if c.places[lower] && !c.demonym(e.id, lower) {
		m += markPlace
	}
	if c.qualified[lower] {
		m += markQualified
	}
	return m
}

// demonymEndings are the endings of the English adjectives of nationality
// among Phoenix's non-name synonyms ("Danish", "Burmese", "Dutch", "Swiss",
// "Laotian", "American", "Filipino", "Spaniard", "Monegasque", "Malagasy").
// No capital in the table ends in one.
var demonymEndings = []string{"ish", "ese", "ch", "ss", "ian", "ean", "ican", "ino", "ina", "ard", "que", "asy"}

// demonym reports whether an alias of state id is a word for its people or
// language rather than a city: it has a demonym's ending, or it is the
// singular or the plural of another alias of the state ("Briton" and
// "Britons", "Dane" and "Danes").
func (c *compiler) demonym(id, lower string) bool {
	for _, end := range demonymEndings {
		if strings.HasSuffix(lower, end) {
			return true
		}
	}
	has := func(k string) bool {
		_, ok := c.aliases[k][id]
		return ok
	}
	single, plural := strings.CutSuffix(lower, "s")
	return has(lower+"s") || plural && has(single)
}
