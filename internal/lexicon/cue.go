package lexicon

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on a cue, checked by Load, New and Write.
const (
	// MaxPhraseWords is the longest phrase, in words, that a lexicon holds.
	MaxPhraseWords = 8
	// MaxPhraseBytes is the longest phrase, in bytes.
	MaxPhraseBytes = 200
	// MaxMultiplier is the largest weight of an intensifier or hedge.
	MaxMultiplier = 4
	// MaxSourceBytes is the longest source.
	MaxSourceBytes = 200
)

// Cue is one entry of a lexicon: a phrase and what it does to stance.
type Cue struct {
	// Phrase is one or more lowercase words separated by single spaces
	// ("signed a memorandum", "accused"). A word is a run of letters and
	// digits, possibly joined by internal hyphens ("anti-western") or ending
	// in a negative contraction ("don't"), the same shape as a token.
	Phrase string
	// Weight is the cue's strength. For stance cues (verb, noun, adjective,
	// adverb, phrase) it runs from -1 (most hostile) to +1 (most
	// cooperative). For intensifiers and hedges it is a multiplier in
	// (0, MaxMultiplier]; for negators a factor in [-1, 1], -1 to flip.
	// Zero marks a removal when the lexicon is merged over another.
	Weight float64
	// Kind says what part the cue plays.
	Kind Kind
	// Source says where the cue comes from: "cameo:112" (with the CAMEO
	// event code), "vader", "afinn", "team", "user"; several are joined
	// with "+" ("vader+afinn").
	Source string
}

// Words returns the number of words in the cue's phrase.
func (c Cue) Words() int { return strings.Count(c.Phrase, " ") + 1 }

// Validate reports every problem with the cue, joined.
func (c Cue) Validate() error {
	return errors.Join(CheckPhrase(c.Phrase), checkWeight(c.Weight, c.Kind), checkKind(c.Kind), CheckSource(c.Source))
}

// CAMEO returns the CAMEO event code recorded in the cue's source
// ("112" for "cameo:112"), or "" when there is none.
func (c Cue) CAMEO() string {
	for part := range strings.SplitSeq(c.Source, "+") {
		if code, ok := strings.CutPrefix(part, "cameo:"); ok {
			return code
		}
	}
	return ""
}

// Quad returns the CAMEO quad class of the cue's event code, QuadNone when
// it has none.
func (c Cue) Quad() Quad { return QuadOf(c.CAMEO()) }

// SourceRelation is the source part of a cue that names a stance one actor
// holds toward another ("Turkey's opposition to Sweden's membership") and
// says nothing of the text's own stance toward either: the relation stage
// reads it, the mention stage and the sentences' tone do not. Read as a
// mention cue, "opposition" makes the one who opposes a target of
// hostility, which the text is not.
const SourceRelation = "relation"

// RelationOnlySource reports whether a cue source has the part
// SourceRelation.
func RelationOnlySource(source string) bool {
	for part := range strings.SplitSeq(source, "+") {
		if part == SourceRelation {
			return true
		}
	}
	return false
}

// Quad is a CAMEO quad class: an event code's root grouped into verbal or
// material cooperation or conflict.
type Quad uint8

const (
	// QuadNone means the cue has no CAMEO code.
	QuadNone Quad = iota
	// QuadVerbalCoop covers roots 01-05: statements, appeals, intentions,
	// consultations, diplomatic cooperation.
	QuadVerbalCoop
	// QuadMaterialCoop covers roots 06-09: material cooperation, aid,
	// yielding, investigation.
	QuadMaterialCoop
	// QuadVerbalConflict covers roots 10-14: demands, disapproval,
	// rejection, threats, protest.
	QuadVerbalConflict
	// QuadMaterialConflict covers roots 15-20: force posture, reduced
	// relations, coercion, assault, fighting, mass violence.
	QuadMaterialConflict
)

// String returns the quad class's name.
func (q Quad) String() string {
	switch q {
	case QuadNone:
		return "none"
	case QuadVerbalCoop:
		return "verbal-cooperation"
	case QuadMaterialCoop:
		return "material-cooperation"
	case QuadVerbalConflict:
		return "verbal-conflict"
	case QuadMaterialConflict:
		return "material-conflict"
	}
	return fmt.Sprintf("quad(%d)", uint8(q))
}

// QuadOf returns the quad class of a CAMEO event code ("112", "0233"), or
// QuadNone when code does not start with a root from 01 to 20.
func QuadOf(code string) Quad {
	if len(code) < 2 || !isASCIIDigit(code[0]) || !isASCIIDigit(code[1]) {
		return QuadNone
	}
	switch root := int(code[0]-'0')*10 + int(code[1]-'0'); {
	case root >= 1 && root <= 5:
		return QuadVerbalCoop
	case root >= 6 && root <= 9:
		return QuadMaterialCoop
	case root >= 10 && root <= 14:
		return QuadVerbalConflict
	case root >= 15 && root <= 20:
		return QuadMaterialConflict
	}
	return QuadNone
}

// CheckPhrase reports whether s has the shape of a lexicon phrase: at most
// MaxPhraseWords lowercase words separated by single spaces, each a run of
// letters and digits, possibly joined by internal hyphens
// ("well-known") or ending in a negative contraction ("don't", "won't").
func CheckPhrase(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("%w: empty", ErrPhrase)
	case len(s) > MaxPhraseBytes:
		return fmt.Errorf("%w: longer than %d bytes", ErrPhrase, MaxPhraseBytes)
	case !utf8.ValidString(s):
		return fmt.Errorf("%w %q: invalid UTF-8", ErrPhrase, s)
	}
	n := 0
	for w := range strings.SplitSeq(s, " ") {
		n++
		if err := checkWord(w); err != nil {
			return fmt.Errorf("%w %q: %v", ErrPhrase, s, err)
		}
	}
	if n > MaxPhraseWords {
		return fmt.Errorf("%w %q: %d words, more than %d", ErrPhrase, s, n, MaxPhraseWords)
	}
	return nil
}

// checkWord checks one word of a phrase.
func checkWord(w string) error {
	if w == "" {
		return errors.New("words must be separated by single spaces, without leading or trailing space")
	}
	if stem, ok := strings.CutSuffix(w, "n't"); ok {
		// Only negative contractions keep an apostrophe: "don't", "can't".
		if stem == "" || strings.HasSuffix(stem, "-") {
			return fmt.Errorf("word %q: a contraction needs a stem", w)
		}
		w = stem + "n"
	}
	prevHyphen := true // a word may not start with a hyphen
	for _, r := range w {
		switch {
		case r == '-':
			if prevHyphen {
				return fmt.Errorf("word %q: a hyphen must join two word parts", w)
			}
			prevHyphen = true
			continue
		case !isWordRune(r):
			return fmt.Errorf("word %q: %q is not a letter, digit, internal hyphen or n't", w, r)
		case unicode.ToLower(r) != r:
			return fmt.Errorf("word %q: not lowercase", w)
		}
		prevHyphen = false
	}
	if prevHyphen {
		return fmt.Errorf("word %q: a hyphen must join two word parts", w)
	}
	return nil
}

// isWordRune matches the tokenizer's word runes: letters, digits and
// combining marks.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc))
}

func isASCIIDigit(c byte) bool { return c >= '0' && c <= '9' }

// CheckSource reports whether s is a valid source: one or more parts joined
// by "+", each made of ASCII letters, digits and the punctuation ":._-/".
func CheckSource(s string) error {
	if s == "" {
		return fmt.Errorf("%w: empty", ErrSource)
	}
	if len(s) > MaxSourceBytes {
		return fmt.Errorf("%w: longer than %d bytes", ErrSource, MaxSourceBytes)
	}
	for part := range strings.SplitSeq(s, "+") {
		if part == "" {
			return fmt.Errorf("%w %q: empty part between '+'", ErrSource, s)
		}
		for i := 0; i < len(part); i++ {
			c := part[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isASCIIDigit(c) || strings.IndexByte(":._-/", c) >= 0) {
				return fmt.Errorf("%w %q: character %q not allowed", ErrSource, s, rune(c))
			}
		}
	}
	return nil
}

func checkKind(k Kind) error {
	if !k.Valid() {
		return fmt.Errorf("%w %s", ErrKind, k)
	}
	return nil
}

// checkWeight checks the weight's range for its kind; zero (a removal) is
// always allowed.
func checkWeight(w float64, k Kind) error {
	switch {
	case math.IsNaN(w) || math.IsInf(w, 0):
		return fmt.Errorf("%w %v: not finite", ErrWeight, w)
	case w == 0:
		return nil
	case k == KindIntensifier || k == KindHedge:
		if w < 0 || w > MaxMultiplier {
			return fmt.Errorf("%w %v: a %s multiplies, so it must be in (0, %d]", ErrWeight, w, k, MaxMultiplier)
		}
	case w < -1 || w > 1:
		return fmt.Errorf("%w %v: must be in [-1, 1]", ErrWeight, w)
	}
	return nil
}
