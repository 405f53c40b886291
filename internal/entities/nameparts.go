package entities

import (
	"iter"
	"slices"
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
// For each person target with two to eight words whose name and aliases
// match nowhere, the longest run of the name's words that the text has,
// case as written and as whole words, names it; among runs of one length
// the one the text has most often, the later on a tie (a surname comes
// last in English). A run starts and ends with a name word: a capital,
// two letters or more, no weekday or month (so "de la" of "Jean de la
// Fontaine" and "Queen of" of "Mary Queen of Scots" are none); a single
// word must also never appear in the text in lower case (a common word
// capitalised at a sentence's start: "You", "Will") and be in no other
// missing target's name ("Ryan" of "Paul Ryan" and "Tim Ryan" is
// neither's). The run's occurrences that overlap no mention in ms, built-in
// ones included ("Israel" of "Israel Epstein" stays the state), and that
// no other capitalised word follows ("Ali" of "Ali Larijani" is not the
// "Ali" of "Ali Bagheri"), become the target's mentions. ms must be
// sorted, and so is the result.
//
// The text's words are counted once, in one pass, and only where some
// person target is missing; a run of several words is looked for in the
// text only when each of its words is there, and at most maxRunScans
// times a request. So a request of 64 targets with names of 256 bytes
// costs a pass over the text, those scans and one scan per target found.
func namePartMentions(text string, ents []Entity, ms []Mention) []Mention {
	var missing []int
	for i := range ents {
		if ents[i].Type != TypePerson {
			continue
		}
		if n := len(strings.Fields(ents[i].Name)); n < 2 || n > maxPartWords {
			continue
		}
		found := false
		for _, m := range ms {
			found = found || m.Source == SourceCaller && m.Entity.ID == ents[i].ID
		}
		if !found {
			missing = append(missing, i)
		}
	}
	if len(missing) == 0 {
		return ms
	}
	// A word in the names of two missing targets names neither.
	shared := map[string]int{}
	for _, i := range missing {
		for _, w := range uniqueWords(ents[i].Name) {
			shared[w]++
		}
	}
	words := textWords(text)
	scans := maxRunScans
	for _, i := range missing {
		part := bestNamePart(text, words, strings.Fields(ents[i].Name), shared, &scans)
		if part == "" {
			continue
		}
		n := len(ms)
		for s, e := range wholeWords(text, part) {
			if !nameWordAfter(text, e) && !overlapsAny(ms[:n], s, e) {
				ms = append(ms, Mention{Start: s, End: e, Entity: ents[i], Source: SourceCaller})
			}
		}
		if len(ms) > n {
			sortMentions(ms)
		}
	}
	return ms
}

// uniqueWords returns the distinct words of name.
func uniqueWords(name string) []string {
	var out []string
	for _, w := range strings.Fields(name) {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// maxPartWords bounds the words of a name that namePartMentions reads: a
// person's name has a few.
const maxPartWords = 8

// maxRunScans bounds the scans of the text for runs of several words in
// one request: 64 targets of eight words each, every word in the text,
// would otherwise scan it 1,700 times; a request's few people need a few.
const maxRunScans = 16

// bestNamePart returns the longest run of name's words (shorter than all
// of them) that text names, by the rules of namePartMentions, or "".
// words counts text's words (textWords) and shared the missing targets'
// names that have each word; a run that words cannot count (several
// words, or one with a hyphen or an apostrophe) costs a scan of the text,
// of which *scans are left.
func bestNamePart(text string, words map[string]int, name []string, shared map[string]int, scans *int) string {
	for size := len(name) - 1; size >= 1; size-- {
		best, bestCount := "", 0
		for i := 0; i+size <= len(name); i++ {
			run := name[i : i+size]
			if !nameWord(run[0]) || !nameWord(run[size-1]) {
				continue
			}
			if size == 1 {
				lower := strings.ToLower(run[0])
				if shared[run[0]] > 1 || isPlainWord(lower) && words[lower] > 0 {
					continue
				}
			}
			part, c := strings.Join(run, " "), 0
			switch {
			case size == 1 && isPlainWord(part):
				c = words[part]
			case *scans > 0 && allPresent(words, run):
				*scans--
				for range wholeWords(text, part) {
					c++
				}
			}
			if c > 0 && c >= bestCount {
				best, bestCount = part, c
			}
		}
		if best != "" {
			return best
		}
	}
	return ""
}

// nameWord reports whether w may begin or end a part of a name: a
// capital first, two letters or more, no weekday or month.
func nameWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) && utf8.RuneCountInString(w) >= 2 && !calendarWords[w]
}

// allPresent reports whether every word of run that is a plain word is
// one of the text's words (a run with a word the text lacks is nowhere in
// it).
func allPresent(words map[string]int, run []string) bool {
	for _, w := range run {
		if isPlainWord(w) && words[w] == 0 {
			return false
		}
	}
	return true
}

// isPlainWord reports whether w is all word runes, as textWords splits
// the text ("Kan'ani" and "al-Abadi" are not).
func isPlainWord(w string) bool {
	for _, r := range w {
		if !isWordRune(r) {
			return false
		}
	}
	return w != ""
}

// textWords counts the words of text, runs of word runes (isWordRune), as
// written.
func textWords(text string) map[string]int {
	m := map[string]int{}
	start := -1
	for i, r := range text {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			m[text[start:i]]++
			start = -1
		}
	}
	if start >= 0 {
		m[text[start:]]++
	}
	return m
}

// calendarWords are capitalised words that trail names in annotations and
// name no one.
var calendarWords = map[string]bool{
	"Monday": true, "Tuesday": true, "Wednesday": true, "Thursday": true, "Friday": true, "Saturday": true,
	"Sunday": true, "January": true, "February": true, "March": true, "April": true, "May": true, "June": true,
	"July": true, "August": true, "September": true, "October": true, "November": true, "December": true,
}

// wholeWords yields the start and end of each whole-word occurrence of w
// in text, case as written.
func wholeWords(text, w string) iter.Seq2[int, int] {
	return func(yield func(int, int) bool) {
		for p := 0; ; {
			k := strings.Index(text[p:], w)
			if k < 0 {
				return
			}
			s, e := p+k, p+k+len(w)
			p = e
			if leftBoundary(text, s) && rightBoundary(text, e) && !yield(s, e) {
				return
			}
		}
	}
}
