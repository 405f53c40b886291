package entities

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// namePartMentions adds mentions for the person targets that the text
// never names as the caller wrote them, where it names them by a part of
// that name: callers pass a person's name as a list or an annotator gave
// it, and articles write it otherwise ("Thaksin Shinawatra" is "Thaksin"
// throughout a Thai story, "Ma Xiaotian" is "Ma", "Stilp Gene" is "Gene
// Stilp" or "Stilp", "Tim Ryan Tuesday" holds "Tim Ryan"). Of PerSenT's
// 578 dev documents, 8 main persons were never found, 6 of them named so.
//
// For each person target with two or more words whose name and aliases
// match nowhere, the longest run of the name's words that the text has,
// case as written and as whole words, names it; among runs of one length
// the one the text has most often, the later on a tie (a surname comes
// last in English). A single word must start with a capital, have two
// letters or more, be no weekday or month, and never appear in the text
// in lower case (a common word capitalised at a sentence's start: "You",
// "Will"). Its occurrences that overlap no mention in ms become the
// target's mentions. ms must be sorted; the result is not.
func namePartMentions(text string, ts []Target, ents []Entity, ms []Mention) []Mention {
	var found []bool
	for i := range ts {
		if ts[i].Type != TypePerson {
			continue
		}
		if found == nil {
			found = make([]bool, len(ts))
			for _, m := range ms {
				for j := range ents {
					if ents[j].ID == m.Entity.ID {
						found[j] = true
					}
				}
			}
		}
		if found[i] {
			continue
		}
		words := strings.Fields(ts[i].Name)
		if len(words) < 2 {
			continue
		}
		part := bestNamePart(text, words)
		if part == "" {
			continue
		}
		n := len(ms)
		for p := 0; ; {
			k := strings.Index(text[p:], part)
			if k < 0 {
				break
			}
			s, e := p+k, p+k+len(part)
			p = e
			if wholeWord(text, s, e) && !overlapsAny(ms[:n], s, e) {
				ms = append(ms, Mention{Start: s, End: e, Entity: ents[i], Source: SourceCaller})
			}
		}
		if len(ms) > n {
			sortMentions(ms)
		}
	}
	return ms
}

// bestNamePart returns the longest run of words (shorter than all of
// them) that text names, by the rules of namePartMentions, or "".
func bestNamePart(text string, words []string) string {
	for size := len(words) - 1; size >= 1; size-- {
		best, bestCount := "", 0
		for i := 0; i+size <= len(words); i++ {
			part := strings.Join(words[i:i+size], " ")
			if size == 1 && !nameWord(text, part) {
				continue
			}
			if c := countWords(text, part); c > 0 && c >= bestCount {
				best, bestCount = part, c
			}
		}
		if best != "" {
			return best
		}
	}
	return ""
}

// nameWord reports whether w may stand alone for a person in text.
func nameWord(text, w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) || utf8.RuneCountInString(w) < 2 || calendarWords[w] {
		return false
	}
	lower := strings.ToLower(w)
	return lower == w || countWords(text, lower) == 0
}

// calendarWords are capitalised words that trail names in annotations and
// name no one.
var calendarWords = map[string]bool{
	"Monday": true, "Tuesday": true, "Wednesday": true, "Thursday": true, "Friday": true, "Saturday": true,
	"Sunday": true, "January": true, "February": true, "March": true, "April": true, "May": true, "June": true,
	"July": true, "August": true, "September": true, "October": true, "November": true, "December": true,
}

// countWords counts the whole-word occurrences of w in text, case as
// written.
func countWords(text, w string) int {
	n := 0
	for p := 0; ; {
		k := strings.Index(text[p:], w)
		if k < 0 {
			return n
		}
		s, e := p+k, p+k+len(w)
		if wholeWord(text, s, e) {
			n++
		}
		p = e
	}
}

func wholeWord(text string, s, e int) bool { return leftBoundary(text, s) && rightBoundary(text, e) }
