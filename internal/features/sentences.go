package features

import "strings"

// SplitSentences appends to dst the sentences of the tokens of text. A
// sentence ends after ".", "!" or "?" (with the closing quotes or brackets
// that touch it)
// when the next token starts on a new line or with a capital, digit or
// quote and the dot does not end a title or abbreviation ("Gen.", "Mr."),
// and at every line break: headlines and paragraphs in news have no final
// punctuation. A single line break before a word in lower case is a
// wrapped line, not a break ("Russia accused\nthe Ukrainian army of
// ..."): no headline or paragraph starts so.
func SplitSentences(dst []Sentence, text string, tokens []Token) []Sentence {
	first := 0
	for i, t := range tokens {
		if i > first && t.Newlines > 0 && !wrappedLine(text, t) {
			dst = append(dst, Sentence{First: first, End: i})
			first = i
		}
		if !isTerminal(text, tokens, i) {
			continue
		}
		end := i + 1
		// A closer touches what it closes: after a space, a quotation
		// mark opens the next sentence (`Monday. "He said`).
		for end < len(tokens) && tokens[end].Start == tokens[end-1].End && isCloser(text[tokens[end].Start:tokens[end].End]) {
			end++
		}
		if end == len(tokens) || tokens[end].Newlines > 0 || startsSentence(text[tokens[end].Start:tokens[end].End]) {
			dst = append(dst, Sentence{First: first, End: end})
			first = end
		}
	}
	if first < len(tokens) {
		dst = append(dst, Sentence{First: first, End: len(tokens)})
	}
	return dst
}

// wrappedLine reports whether token t, after a line break, continues the
// line before it: one line break, and a word that starts in lower case.
func wrappedLine(text string, t Token) bool {
	c := text[t.Start]
	return t.Newlines == 1 && t.Kind == KindWord && 'a' <= c && c <= 'z'
}

// isTerminal reports whether token i is a ".", "!" or "?" that may end a
// sentence. Every token pays for this test, so it looks at the token's
// length and first byte before comparing strings.
func isTerminal(text string, tokens []Token, i int) bool {
	t := tokens[i]
	if t.End-t.Start != 1 {
		return false
	}
	switch text[t.Start] {
	case '!', '?':
		return true
	case '.':
		if i == 0 || tokens[i-1].End != t.Start {
			return true
		}
		return !abbreviations[text[tokens[i-1].Start:tokens[i-1].End]] && !middleInitial(text, tokens, i-1)
	}
	return false
}

// middleInitial reports whether token j, before a dot, is a capital letter
// alone after a capitalised word: a name's initial ("John R. Bolton",
// "Thomas T. Cullen"), whose dot ends no sentence.
func middleInitial(text string, tokens []Token, j int) bool {
	t := tokens[j]
	if t.End-t.Start != 1 || text[t.Start] < 'A' || text[t.Start] > 'Z' || j == 0 {
		return false
	}
	p := tokens[j-1]
	return p.Kind == KindWord && p.End < t.Start && p.End-p.Start > 1 && 'A' <= text[p.Start] && text[p.Start] <= 'Z'
}

func isCloser(s string) bool {
	switch s {
	case "\"", "'", "’", "”", ")", "]", "»":
		return true
	}
	return false
}

func startsSentence(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	if c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '"' || c == '\'' || c == '(' {
		return true
	}
	return strings.HasPrefix(s, "“") || strings.HasPrefix(s, "‘") || c >= 0x80 && strings.ToLower(s) != s
}

// abbreviations end with a dot that does not end a sentence.
var abbreviations = map[string]bool{
	"Mr": true, "Mrs": true, "Ms": true, "Dr": true, "Prof": true, "Sen": true, "Rep": true,
	"Gen": true, "Lt": true, "Col": true, "Maj": true, "Capt": true, "Sgt": true, "Adm": true,
	"Gov": true, "Pres": true, "St": true, "Jr": true, "Sr": true, "No": true, "vs": true,
	"Jan": true, "Feb": true, "Mar": true, "Apr": true, "Aug": true, "Sept": true, "Sep": true,
	"Oct": true, "Nov": true, "Dec": true, "Inc": true, "Corp": true, "Ltd": true, "Co": true,
}
