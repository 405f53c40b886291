package features

import (
	"math/bits"
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
		var end int
		var kind Kind
		switch byteClasses[text[i]] {
		case classSpace:
			i++
			continue
		case classNewline:
			newlines = min(newlines+1, 255)
			i++
			continue
		case classLetter, classDigit:
			kind = KindWord
			if byteClasses[text[i]] == classDigit {
				kind = KindNumber
			}
			// Most words are ASCII letters up to a space or punctuation;
			// only a joiner or a non-ASCII rune after them needs scanWord.
			if end = asciiWordEnd(text, i); end < len(text) && mayJoin(byteClasses[text[end]]) {
				end = scanWord(text, i)
			}
		case classApostrophe:
			end, kind = i+1, KindPunct
			if isPossessive(text, i+1, 1) {
				// The possessive clitic stays one token: "'s".
				end, kind = i+2, KindWord
			}
		case classWide:
			end, kind = wideToken(text, i)
			if kind == 0 {
				i = end
				continue
			}
		default:
			end, kind = i+1, KindPunct
		}
		dst = append(dst, Token{Start: i, End: end, Kind: kind, Newlines: uint8(newlines)})
		newlines = 0
		i = end
	}
	return dst
}

// wideToken returns the end and kind of the token that starts with the
// non-ASCII (or invalid) byte at i. At white space it returns the end of
// the space and kind 0 instead: such a space is never a line break, so
// the caller only skips it.
func wideToken(text string, i int) (int, Kind) {
	r, size := utf8.DecodeRuneInString(text[i:])
	// U+2010 to U+2027 (dashes, curly quotes, bullets, ellipsis), the
	// most common non-ASCII runes in English news, are punctuation:
	// neither space nor word, which spares the table searches.
	if r < '\u2010' || r > '\u2027' {
		switch {
		case isWordRune(r): // never a space: test it first, it is cheaper
			if isDigit(r) {
				return scanWord(text, i), KindNumber
			}
			return scanWord(text, i), KindWord
		case isSpace(r):
			return i + size, 0
		}
	}
	if r == '’' && isPossessive(text, i+size, 1) {
		return i + size + 1, KindWord
	}
	// An invalid byte decodes to utf8.RuneError of size 1: a one-byte
	// token.
	return i + size, KindPunct
}

// scanWord returns the end of the word that starts at i.
func scanWord(text string, i int) int {
	// Only a capital and a dot can start an initialism: checking for them
	// first keeps the call off the common path.
	if c := text[i]; c >= 'A' && c <= 'Z' && i+1 < len(text) && text[i+1] == '.' {
		if end, ok := scanInitialism(text, i); ok {
			return end
		}
	}
	end := i
	for {
		end = asciiWordEnd(text, end)
		if end == len(text) {
			return end
		}
		if !mayJoin(byteClasses[text[end]]) {
			return end // space or punctuation
		}
		r, size := decode(text, end)
		if isWordRune(r) {
			end += size
			continue
		}
		// A joiner continues the word only between two word runes, and an
		// apostrophe never swallows a possessive "s".
		if !isJoiner(r) || end == i {
			return end
		}
		next, nsize := decode(text, end+size)
		if !isWordRune(next) {
			return end
		}
		if isApostrophe(r) && isPossessive(text, end+size, nsize) {
			return end
		}
		// Dots and commas join only digits: "1,000", "3.5".
		if (r == '.' || r == ',') && !(isDigitByte(text[end-1]) && isDigitByte(text[end+size])) {
			return end
		}
		end += size + nsize
	}
}

// asciiWordEnd returns the end of the run of ASCII letters and digits that
// starts at i. It classifies eight bytes at a time, so that the end of a
// short word costs no mispredicted loop branch.
func asciiWordEnd(text string, i int) int {
	for i+8 <= len(text) {
		n := asciiWordRun(load64(text[i:]))
		i += n
		if n < 8 {
			return i
		}
	}
	for i < len(text) && byteClasses[text[i]] >= classLetter {
		i++
	}
	return i
}

// load64 returns the first eight bytes of s, the first in the lowest byte.
func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// asciiWordRun returns how many bytes of x, lowest first, are ASCII
// letters or digits before the first that is not. Each byte is tested with
// the high bit of a sum: for a byte b below 0x80, b+(0x80-m) has its high
// bit set exactly when b >= m, and no sum carries into the next byte.
func asciiWordRun(x uint64) int {
	const (
		ones = 0x0101010101010101
		high = 0x8080808080808080
	)
	low := x &^ high
	folded := low | 0x20*ones // 'A'-'Z' onto 'a'-'z'
	letter := (folded + (0x80-'a')*ones) &^ (folded + (0x80-'z'-1)*ones)
	digit := (low + (0x80-'0')*ones) &^ (low + (0x80-'9'-1)*ones)
	word := (letter | digit) &^ x & high // and not a non-ASCII byte
	return bits.TrailingZeros64(^word&high) / 8
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
	if r < 1<<16 {
		return bmpWord[r/64]&(1<<(r%64)) != 0
	}
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r))
}

// bmpWord is the set of word runes below U+10000 (letters, digits and
// marks), one bit each. Scripts such as Devanagari have most of their
// letters or vowel signs deep in those tables, where a test costs up to
// four binary searches; the set costs 8 KiB.
var bmpWord = func() *[1 << 16 / 64]uint64 {
	set := new([1 << 16 / 64]uint64)
	for _, tab := range []*unicode.RangeTable{unicode.Letter, unicode.Digit, unicode.Mn, unicode.Mc} {
		for _, rg := range tab.R16 {
			for r := int(rg.Lo); r <= int(rg.Hi); r += int(rg.Stride) {
				set[r/64] |= 1 << (r % 64)
			}
		}
		for _, rg := range tab.R32 {
			for r := int(rg.Lo); r <= int(min(rg.Hi, 1<<16-1)); r += int(rg.Stride) {
				set[r/64] |= 1 << (r % 64)
			}
		}
	}
	return set
}()

// asciiWord[c] reports whether ASCII c is a word rune: a letter or digit.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = byteClasses[c] >= classLetter
	}
	return t
}()

// byteClass is what the splitter needs to know about a byte. A table of
// them answers for ASCII bytes, the bulk of any English text, without
// decoding a rune or calling a predicate.
type byteClass uint8

const (
	classPunct      byteClass = iota // a one-byte token
	classJoiner                      // '-', '.' or ',': punctuation that may join a word
	classApostrophe                  // '\'': a joiner, or the start of a possessive "'s"
	classSpace                       // white space other than a line break
	classNewline                     // '\n'
	classWide                        // the first byte of a multi-byte rune, or invalid
	classLetter                      // word bytes from here on
	classDigit
)

// mayJoin reports whether a byte of class c may continue a word: a joiner,
// an apostrophe or the start of a non-ASCII rune.
func mayJoin(c byteClass) bool {
	return c == classJoiner || c == classApostrophe || c == classWide
}

var byteClasses = func() (t [256]byteClass) {
	for c := range t {
		switch {
		case c >= utf8.RuneSelf:
			t[c] = classWide
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			t[c] = classLetter
		case c >= '0' && c <= '9':
			t[c] = classDigit
		case c == '\n':
			t[c] = classNewline
		case c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f':
			t[c] = classSpace
		case c == '\'':
			t[c] = classApostrophe
		case c == '-' || c == '.' || c == ',':
			t[c] = classJoiner
		}
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

// FunctionWord reports whether w, a lowered word, carries grammar or a
// title rather than stance: the features use such words (a "by" turns a
// passive around, "minister" makes a speaker), but they are no evidence to
// show a reader.
func FunctionWord(w string) bool {
	_, ok := functionWords[w]
	return ok
}

var functionWords = map[string]struct{}{}

func init() {
	for _, w := range []string{"a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or",
		"but", "as", "is", "was", "were", "are", "be", "been", "being", "has", "have", "had", "that", "this", "these",
		"those", "it", "its", "their", "his", "her", "he", "she", "they", "them", "we", "our", "i", "you", "which", "who",
		"whom", "whose", "what", "when", "where", "will", "would", "could", "should", "can", "may", "might", "shall",
		"do", "does", "did", "into", "over", "about", "after", "before", "than", "then", "there", "here", "also",
		"s", "mr", "ms", "mrs", "said", "says", "say", "told", "while", "if", "so", "such", "not", "no", "all", "any",
		"some", "one", "two", "up", "out", "more", "most", "other", "since", "during", "between", "against",
		"under", "per", "via", "amid", "upon", "both", "each", "own", "same", "very", "just", "only",
		"president", "minister", "prime", "foreign", "secretary", "general", "spokesman", "spokeswoman", "official",
		"officials", "leader", "chief", "counterpart", "deputy", "head", "seyed", "sayyid", "ayatollah"} {
		functionWords[w] = struct{}{}
	}
}
