package entities

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Headlines are often written in title case ("Iran Warns NATO Over
// Expansion") or in capitals ("RUSSIA AND CHINA SIGN ENERGY DEAL"). There
// every word is capitalised, so the rules that read a capitalised
// neighbour as part of a longer name ("Iran Air", "Chad Smith") would drop
// every state the headline names; and a headline is the first thing the
// document stage reads. In a headline line a state or a surname is part of
// a longer name only after a title or a given name the table's people bear
// ("Captain America"), or where the body shows its neighbour to be a name
// (nameBesideInBody); there a title's name ends at a known person
// (readName).

// maxHeadlineBytes bounds the lines read as headlines: a headline is
// short, and a long line of capitalised words is a list of names. Only
// the first headlineLinesRead lines of a text can be headlines (a title
// and a subtitle), so that a text of many such lines costs no more than
// one.
const (
	maxHeadlineBytes  = 300
	headlineLinesRead = 2
)

// headlineLines appends to dst the byte ranges of text's headline lines:
// among its first lines, those of at most maxHeadlineBytes with three
// words or more, in which every word starts with a capital but the short
// ones title case leaves in lower case ("of", "the"), at least three of
// them, or in which no letter is lower case.
func headlineLines(text string, dst [][2]int) [][2]int {
	for start, n := 0, 0; start < len(text) && n < headlineLinesRead; n++ {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		if line := text[start:end]; len(line) <= maxHeadlineBytes && !byline(line) && headlineCase(line) {
			dst = append(dst, [2]int{start, end})
		}
		start = end + 1
	}
	return dst
}

// byline reports whether line credits a writer or a photographer ("By
// Chad Bray", "Photo by ...", "Reporting by ..."): names, not a headline.
func byline(line string) bool {
	line = strings.TrimSpace(line)
	for _, p := range []string{"By ", "BY ", "Photo", "PHOTO", "Reporting by", "REPORTING BY", "Written by", "Words by"} {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return false
}

// headlineCase reports whether line is written in title case or in
// capitals (headlineLines).
func headlineCase(line string) bool {
	words, capitalised, others, lower := 0, 0, 0, false
	for _, w := range strings.Fields(line) {
		r, _ := utf8.DecodeRuneInString(w)
		letters := 0
		for _, c := range w {
			if unicode.IsLetter(c) {
				letters++
				lower = lower || unicode.IsLower(c)
			}
		}
		if letters == 0 {
			continue
		}
		words++
		if unicode.IsUpper(r) {
			capitalised++
		} else if !titleCaseLower[w] {
			others++
		}
	}
	if words < 3 {
		return false
	}
	return !lower || others == 0 && capitalised >= 3
}

// titleCaseLower are the words that title case leaves in lower case.
var titleCaseLower = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "or": true, "but": true, "nor": true, "of": true, "to": true,
	"in": true, "on": true, "at": true, "by": true, "for": true, "from": true, "with": true, "as": true, "vs": true,
	"vs.": true, "via": true, "per": true, "-": true, "–": true, "—": true,
}

// inHeadline reports whether p is in one of lines (sorted), advancing
// *next past the lines that end before p; calls must come in order of p.
func inHeadline(lines [][2]int, next *int, p int) bool {
	for *next < len(lines) && lines[*next][1] <= p {
		*next++
	}
	return *next < len(lines) && lines[*next][0] <= p
}

// givenNameBefore reports whether the word before p (after one space) is
// a capitalised given name that the table's people bear, and returns
// where it starts.
func (g *Gazetteer) givenNameBefore(text string, p int) (int, bool) {
	if p < 2 || text[p-1] != ' ' {
		return 0, false
	}
	ws := wordStart(text, p-1)
	w := text[ws : p-1]
	return ws, ws < p-1 && startsUpperAt(text, ws) && !notName(w) && g.isGivenName(w)
}

// nameBesideInBody reports whether the body of text (from body on) shows
// the capitalised word beside the form at [s, e) of a headline to be a
// name: written beside the form there too ("Denzel Washington Wins Oscar"
// and, below it, "the actor Denzel Washington"), or alone and capitalised
// inside a sentence ("Jordan Peterson Says ..." and "Peterson said"), as
// news refers to a person after the first mention. Then the form is part
// of a name, as outside headlines. A headline's neighbours are most often
// verbs and other words that title case capitalises ("Iran Warns NATO"),
// which the body writes in lower case.
func nameBesideInBody(text string, s, e, body int) bool {
	if body >= len(text) {
		return false
	}
	rest := text[body:]
	named := func(ws, we int) bool {
		if strings.Contains(rest, text[min(ws, s):max(we, e)]) {
			return true
		}
		for p, q := range wholeWords(rest, text[ws:we]) {
			if !sentenceStart(rest, p) && !nameWordAfter(rest, q) && (p < 2 || !startsUpperAt(rest, wordStart(rest, p-1))) {
				return true
			}
		}
		return false
	}
	if s >= 2 && text[s-1] == ' ' {
		if ws := wordStart(text, s-1); ws < s-1 && startsUpperAt(text, ws) && named(ws, s-1) {
			return true
		}
	}
	return nameWordAfter(text, e) && named(e+1, wordEnd(text, e+1))
}
