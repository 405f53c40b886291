package features

import (
	"unicode"
	"unicode/utf8"
)

// Kind says what a token is made of.
type Kind uint8

const (
	// KindWord is a run of letters (and marks), possibly with internal
	// hyphens, apostrophes or digits: "Iran", "anti-NATO", "don't", "G7".
	KindWord Kind = iota + 1
	// KindNumber starts with a digit: "2024", "1,000", "3.5".
	KindNumber
	// KindPunct is a single punctuation or symbol rune, or one byte of
	// invalid UTF-8.
	KindPunct
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case KindWord:
		return "word"
	case KindNumber:
		return "number"
	case KindPunct:
		return "punct"
	}
	return "unknown"
}

// Token is one word, number or punctuation mark of a text.
type Token struct {
	// Start and End are the token's UTF-8 byte offsets in the text,
	// half-open: text[Start:End] is the token exactly as written.
	Start, End int
	// Kind is what the token is made of.
	Kind Kind
	// Newlines is the number of line breaks in the white space before the
	// token (capped at 255); sentence splitting uses it.
	Newlines uint8
}

// SplitWords splits text into tokens. White space separates tokens and is
// dropped. A word keeps internal hyphens ("Iranian-Russian"), internal
// apostrophes ("Kan'ani", "don't") and dots of initialisms ("U.S."), but a
// possessive "'s" or "’s" is its own token so that "Iran's" yields "Iran".
// Every other punctuation or symbol rune is a token of its own. Invalid
// UTF-8 bytes become one-byte punctuation tokens, so any input is covered.
//
// It appends to dst (which may be nil) and returns the extended slice, so a
// caller can reuse one buffer across documents.
func SplitWords(dst []Token, text string) []Token {
	newlines := 0
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if isSpace(r) {
			if r == '\n' && newlines < 255 {
				newlines++
			}
			i += size
			continue
		}
		var end int
		var kind Kind
		switch {
		case isWordRune(r):
			end = scanWord(text, i)
			kind = KindWord
			if isDigit(r) {
				kind = KindNumber
			}
		case isApostrophe(r) && isPossessive(text, i+size, 1):
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

// scanWord returns the end of the word that starts at i.
func scanWord(text string, i int) int {
	if end, ok := scanInitialism(text, i); ok {
		return end
	}
	end := i
	for end < len(text) {
		if c := text[end]; c < utf8.RuneSelf && asciiWord[c] {
			end++ // the common case, without decoding
			continue
		}
		r, size := decode(text, end)
		if isWordRune(r) {
			end += size
			continue
		}
		// A joiner continues the word only between two word runes, and an
		// apostrophe never swallows a possessive "s".
		if isJoiner(r) && end > i {
			next, nsize := decode(text, end+size)
			if !isWordRune(next) {
				break
			}
			if isApostrophe(r) && isPossessive(text, end+size, nsize) {
				break
			}
			// Dots and commas join only digits: "1,000", "3.5".
			if (r == '.' || r == ',') && !(isDigitByte(text[end-1]) && isDigitByte(text[end+size])) {
				break
			}
			end += size + nsize
			continue
		}
		break
	}
	return end
}

// scanInitialism matches dotted initialisms such as "U.S." or "U.K.": two
// or more single capital letters each followed by a dot.
func scanInitialism(text string, i int) (int, bool) {
	end, letters := i, 0
	for end+1 < len(text) && text[end] >= 'A' && text[end] <= 'Z' && text[end+1] == '.' {
		end += 2
		letters++
	}
	if letters < 2 {
		return 0, false
	}
	// "U.S.A" without the last dot still counts the trailing capital.
	if end < len(text) && text[end] >= 'A' && text[end] <= 'Z' && (end+1 == len(text) || !isWordByte(text[end+1])) {
		end++
	}
	if end < len(text) && isWordByte(text[end]) {
		return 0, false
	}
	return end, true
}

// isPossessive reports whether the word rune at i (of the given size) is an
// "s" that ends the word, as in "Iran's".
func isPossessive(text string, i, size int) bool {
	if size != 1 || i >= len(text) || (text[i] != 's' && text[i] != 'S') {
		return false
	}
	r, _ := decode(text, i+1)
	return i+1 >= len(text) || !isWordRune(r)
}

func decode(text string, i int) (rune, int) {
	if i >= len(text) {
		return utf8.RuneError, 0
	}
	if c := text[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(text[i:])
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= utf8.RuneSelf
}

// isWordRune is small enough to inline; the non-ASCII case is not.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWord[r]
	}
	return isWordRuneWide(r)
}

func isWordRuneWide(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r))
}

// asciiWord[c] reports whether ASCII c is a word rune: a letter or digit.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	return t
}()

func isDigit(r rune) bool { return r >= '0' && r <= '9' || r >= utf8.RuneSelf && unicode.IsDigit(r) }

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

// isJoiner reports runes that may join two word parts into one word:
// hyphens, apostrophes, and the dots and commas inside numbers.
func isJoiner(r rune) bool {
	return r == '-' || r == '‐' || r == '‑' || isApostrophe(r) || r == '.' || r == ','
}

func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f'
	}
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
}
