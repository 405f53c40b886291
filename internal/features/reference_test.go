package features

// The tokenizer as it was before the byte-class splitter: the reference
// that the fast paths must match exactly (see TestSplitMatchesReference and
// FuzzTokenize).

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/stance/classifierd/internal/sharedtest"
)

// refSplitWords splits text into tokens. White space separates tokens and is
// dropped. A word keeps internal hyphens ("Iranian-Russian"), internal
// apostrophes ("Kan'ani", "don't") and dots of initialisms ("U.S."), but a
// possessive "'s" or "’s" is its own token so that "Iran's" yields "Iran".
// Every other punctuation or symbol rune is a token of its own. Invalid
// UTF-8 bytes become one-byte punctuation tokens, so any input is covered.
//
// It appends to dst (which may be nil) and returns the extended slice, so a
// caller can reuse one buffer across documents.
func refSplitWords(dst []Token, text string) []Token {
	newlines := 0
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if refIsSpace(r) {
			if r == '\n' && newlines < 255 {
				newlines++
			}
			i += size
			continue
		}
		var end int
		var kind Kind
		switch {
		case refIsWordRune(r):
			end = refScanWord(text, i)
			kind = KindWord
			if refIsDigit(r) {
				kind = KindNumber
			}
		case refIsApostrophe(r) && refIsPossessive(text, i+size, 1):
			// The possessive clitic stays one token: "'s".
			end, kind = i+size+1, KindWord
		case r == utf8.RuneError && size == 1:
			end, kind = i+1, KindPunct
		default:
			end, kind = i+size, KindPunct
		}
		dst = append(dst, Token{Start: i, End: end, Kind: kind, Newlines: uint8(newlines)})
		newlines = 0
		i = end
	}
	return dst
}

// refScanWord returns the end of the word that starts at i.
func refScanWord(text string, i int) int {
	if end, ok := refScanInitialism(text, i); ok {
		return end
	}
	end := i
	for end < len(text) {
		if c := text[end]; c < utf8.RuneSelf && refAsciiWord[c] {
			end++ // the common case, without decoding
			continue
		}
		r, size := refDecode(text, end)
		if refIsWordRune(r) {
			end += size
			continue
		}
		// A joiner continues the word only between two word runes, and an
		// apostrophe never swallows a possessive "s".
		if refIsJoiner(r) && end > i {
			next, nsize := refDecode(text, end+size)
			if !refIsWordRune(next) {
				break
			}
			if refIsApostrophe(r) && refIsPossessive(text, end+size, nsize) {
				break
			}
			// Dots and commas join only digits: "1,000", "3.5".
			if (r == '.' || r == ',') && !(refIsDigitByte(text[end-1]) && refIsDigitByte(text[end+size])) {
				break
			}
			end += size + nsize
			continue
		}
		break
	}
	return end
}

// refScanInitialism matches dotted initialisms such as "U.S." or "U.K.": two
// or more single capital letters each followed by a dot.
func refScanInitialism(text string, i int) (int, bool) {
	end, letters := i, 0
	for end+1 < len(text) && text[end] >= 'A' && text[end] <= 'Z' && text[end+1] == '.' {
		end += 2
		letters++
	}
	if letters < 2 {
		return 0, false
	}
	// "U.S.A" without the last dot still counts the trailing capital.
	if end < len(text) && text[end] >= 'A' && text[end] <= 'Z' && (end+1 == len(text) || !refIsWordByte(text[end+1])) {
		end++
	}
	if end < len(text) && refIsWordByte(text[end]) {
		return 0, false
	}
	return end, true
}

// refIsPossessive reports whether the word rune at i (of the given size) is an
// "s" that ends the word, as in "Iran's".
func refIsPossessive(text string, i, size int) bool {
	if size != 1 || i >= len(text) || (text[i] != 's' && text[i] != 'S') {
		return false
	}
	r, _ := refDecode(text, i+1)
	return i+1 >= len(text) || !refIsWordRune(r)
}

func refDecode(text string, i int) (rune, int) {
	if i >= len(text) {
		return utf8.RuneError, 0
	}
	if c := text[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(text[i:])
}

func refIsWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= utf8.RuneSelf
}

// refIsWordRune is small enough to inline; the non-ASCII case is not.
func refIsWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return refAsciiWord[r]
	}
	return refIsWordRuneWide(r)
}

func refIsWordRuneWide(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r))
}

// refAsciiWord[c] reports whether ASCII c is a word rune: a letter or digit.
var refAsciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	return t
}()

func refIsDigit(r rune) bool { return r >= '0' && r <= '9' || r >= utf8.RuneSelf && unicode.IsDigit(r) }

func refIsDigitByte(c byte) bool { return c >= '0' && c <= '9' }

func refIsApostrophe(r rune) bool { return r == '\'' || r == '’' }

// refIsJoiner reports runes that may join two word parts into one word:
// hyphens, apostrophes, and the dots and commas inside numbers.
func refIsJoiner(r rune) bool {
	return r == '-' || r == '‐' || r == '‑' || refIsApostrophe(r) || r == '.' || r == ','
}

func refIsSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f'
	}
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
}

// refSplitSentences appends to dst the sentences of the tokens of text. A
// sentence ends after ".", "!" or "?" (with any closing quotes or brackets)
// when the next token starts on a new line or with a capital, digit or
// quote and the dot does not end a title or abbreviation ("Gen.", "Mr."),
// and at every line break: headlines and paragraphs in news have no final
// punctuation.
func refSplitSentences(dst []Sentence, text string, tokens []Token) []Sentence {
	first := 0
	for i := range tokens {
		// One line break before a lower-case word wraps a line.
		wrapped := tokens[i].Newlines == 1 && tokens[i].Kind == KindWord && strings.IndexByte("abcdefghijklmnopqrstuvwxyz", text[tokens[i].Start]) >= 0
		if i > first && tokens[i].Newlines > 0 && !wrapped {
			dst = append(dst, Sentence{First: first, End: i})
			first = i
		}
		if !refIsTerminal(text, tokens, i) {
			continue
		}
		end := i + 1
		for end < len(tokens) && tokens[end].Start == tokens[end-1].End && refIsCloser(text[tokens[end].Start:tokens[end].End]) {
			end++
		}
		if end == len(tokens) || tokens[end].Newlines > 0 || refStartsSentence(text[tokens[end].Start:tokens[end].End]) {
			dst = append(dst, Sentence{First: first, End: end})
			first = end
		}
	}
	if first < len(tokens) {
		dst = append(dst, Sentence{First: first, End: len(tokens)})
	}
	return dst
}

func refIsTerminal(text string, tokens []Token, i int) bool {
	switch text[tokens[i].Start:tokens[i].End] {
	case "!", "?":
		return true
	case ".":
		if i == 0 || tokens[i-1].End != tokens[i].Start {
			return true
		}
		prev := text[tokens[i-1].Start:tokens[i-1].End]
		// A name's middle initial ("John R. Bolton") ends no sentence.
		// A capital letter in ASCII: a lone byte such as 0xD1 is no
		// letter, though rune(0xD1) is "Ñ".
		if len(prev) == 1 && 'A' <= prev[0] && prev[0] <= 'Z' && i >= 2 && tokens[i-2].Kind == KindWord &&
			tokens[i-2].End < tokens[i-1].Start {
			if w := text[tokens[i-2].Start:tokens[i-2].End]; len(w) > 1 && w[0] >= 'A' && w[0] <= 'Z' {
				return false
			}
		}
		return !refAbbreviations[prev]
	}
	return false
}

func refIsCloser(s string) bool {
	switch s {
	case "\"", "'", "’", "”", ")", "]", "»":
		return true
	}
	return false
}

func refStartsSentence(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	if c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '"' || c == '\'' || c == '(' {
		return true
	}
	return strings.HasPrefix(s, "“") || strings.HasPrefix(s, "‘") || c >= 0x80 && strings.ToLower(s) != s
}

// refAbbreviations end with a dot that does not end a sentence.
var refAbbreviations = map[string]bool{
	"Mr": true, "Mrs": true, "Ms": true, "Dr": true, "Prof": true, "Sen": true, "Rep": true,
	"Gen": true, "Lt": true, "Col": true, "Maj": true, "Capt": true, "Sgt": true, "Adm": true,
	"Gov": true, "Pres": true, "St": true, "Jr": true, "Sr": true, "No": true, "vs": true,
	"Jan": true, "Feb": true, "Mar": true, "Apr": true, "Aug": true, "Sept": true, "Sep": true,
	"Oct": true, "Nov": true, "Dec": true, "Inc": true, "Corp": true, "Ltd": true, "Co": true,
}

// TestRuneClassesMatchReference checks the splitter's rune classes against
// the reference predicates for every rune and every byte.
func TestRuneClassesMatchReference(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune+1; r++ {
		if isSpace(r) != refIsSpace(r) || isWordRune(r) != refIsWordRune(r) || isDigit(r) != refIsDigit(r) {
			t.Fatalf("rune %U: space %v word %v digit %v, reference %v %v %v", r,
				isSpace(r), isWordRune(r), isDigit(r), refIsSpace(r), refIsWordRune(r), refIsDigit(r))
		}
		if refIsSpace(r) && refIsWordRune(r) {
			t.Fatalf("rune %U is both space and word", r)
		}
		if r >= '\u2010' && r <= '\u2027' && (refIsSpace(r) || refIsWordRune(r)) {
			t.Fatalf("rune %U on the punctuation fast path is space or word", r)
		}
	}
	for c := range 256 {
		b := byte(c)
		cl := byteClasses[b]
		if b < utf8.RuneSelf {
			r := rune(b)
			if (cl >= classLetter) != refIsWordRune(r) || (cl == classDigit) != refIsDigit(r) ||
				(cl == classSpace || cl == classNewline) != refIsSpace(r) || (cl == classNewline) != (b == '\n') ||
				(cl == classApostrophe) != refIsApostrophe(r) || (cl == classJoiner) != (refIsJoiner(r) && !refIsApostrophe(r)) {
				t.Errorf("byte %q: class %d disagrees with the reference", b, cl)
			}
		} else if cl != classWide {
			t.Errorf("byte %#x: class %d, want classWide", b, cl)
		}
	}
}

// TestSplitMatchesReference checks tokens and sentences against the
// reference over the news corpus.
func TestSplitMatchesReference(t *testing.T) {
	for _, text := range sharedtest.News(t) {
		checkReference(t, text, SplitWords(nil, text))
	}
}

// checkReference fails unless toks, and the sentences split from them, are
// what the reference splitters give for text.
func checkReference(t *testing.T, text string, toks []Token) {
	t.Helper()
	want := refSplitWords(nil, text)
	if diff := cmp.Diff(want, toks); diff != "" {
		t.Fatalf("SplitWords(%.60q) differs from the reference (-want +got):\n%s", text, diff)
	}
	if diff := cmp.Diff(refSplitSentences(nil, text, want), SplitSentences(nil, text, toks)); diff != "" {
		t.Fatalf("SplitSentences(%.60q) differs from the reference (-want +got):\n%s", text, diff)
	}
}
