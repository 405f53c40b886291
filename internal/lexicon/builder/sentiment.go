package builder

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/stance/classifierd/internal/lexicon"
)

// parseValence reads a TAB-separated sentiment lexicon whose first field is
// a word or phrase and second its valence, and returns each entry that has
// the shape of a lexicon phrase with its valence divided by scale.
// Emoticons, abbreviations with punctuation, single letters, words with
// digits and the like are left out.
func parseValence(r io.Reader, scale float64) (map[string]float64, error) {
	out := map[string]float64{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) < 2 {
			return nil, fmt.Errorf("line %d: want word<TAB>valence", n)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(fields[1]), 64)
		if err != nil || v < -scale || v > scale {
			return nil, fmt.Errorf("line %d: bad valence %q", n, fields[1])
		}
		phrase := strings.Join(strings.Fields(strings.ToLower(fields[0])), " ")
		// Numbers are chat slang ("143", "10q"), not news.
		if lexicon.CheckPhrase(phrase) != nil || strings.ContainsAny(phrase, "0123456789") || len(phrase) < 2 {
			continue
		}
		out[phrase] = v / scale
	}
	return out, sc.Err()
}

// sentimentStop lists sentiment words that news uses mostly in names or in
// senses without stance ("United Nations", "political party", "Supreme
// Court", "free trade", "Great Britain", "security council") or that the
// team's cues treat as modifiers.
var sentimentStop = setOf(
	"united", "unite", "party", "parties", "like", "likes", "liked", "free", "freed", "justice", "security",
	"defense", "defence", "interest", "interests", "interested", "share", "shares", "popular", "god",
	"please", "pleased", "yes", "ok", "okay", "well", "kind", "pretty", "fine", "top", "hand", "supreme",
	"leading", "natural", "clear", "clearly", "great", "greater", "greatest", "grand", "dear", "gross",
	"lol", "haha", "hah", "ha", "yeah", "yay", "wow", "cool", "hot", "credit", "sure", "certain",
	"certainly", "matter", "spirit", "big", "play", "worth", "true", "no", "not", "yes", "want", "wants",
	"care", "charges", "charge", "chance", "fire", "fired", "miss", "god", "gods", "lord", "lost",
	"capital", "gain", "gains", "growth", "fall", "falls", "fell", "drop", "drops", "bull", "bear",
	"crash", "crashes", "easy", "heavy", "hard", "harder", "strong", "stronger", "strongest", "weak",
	"high", "low", "major", "minor", "fan", "fans", "nice", "rose", "increase", "increased", "intelligence",
	"special", "number", "committed", "giving", "energy", "create", "created", "authority", "reach",
	"secure", "launched", "leave", "jesus", "christ", "leadership",
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// guessKind guesses the part of speech of a sentiment word from its
// ending. It is rough on purpose: a sentiment word is a weak signal and
// never a directional verb.
func guessKind(phrase string) lexicon.Kind {
	if strings.Contains(phrase, " ") {
		return lexicon.KindPhrase
	}
	has := func(suffixes ...string) bool {
		for _, s := range suffixes {
			if len(phrase) > len(s)+2 && strings.HasSuffix(phrase, s) {
				return true
			}
		}
		return false
	}
	switch {
	case otherNouns[phrase]:
		return lexicon.KindNoun
	case lyAdjectives[phrase]:
		return lexicon.KindAdjective
	case has("ly"):
		return lexicon.KindAdverb
	case has("tion", "sion", "ment", "ness", "ity", "ism", "ance", "ence", "ship", "dom", "hood", "age", "ure", "cy", "ist", "ists"):
		return lexicon.KindNoun
	case has("ery", "ory", "ary", "edy", "omy", "emy", "rmy", "ony", "gy", "phy", "sy", "ury"):
		return lexicon.KindNoun // "misery", "victory", "tragedy", "enemy", "agony"
	case has("ous", "ful", "less", "ive", "able", "ible", "ic", "ical", "ish", "ent", "ant", "ed", "ing", "est", "ier", "y", "al"):
		return lexicon.KindAdjective
	}
	return lexicon.KindNoun
}

// lyAdjectives are adjectives that end in -ly.
var lyAdjectives = setOf(
	"friendly", "unfriendly", "deadly", "costly", "lovely", "lonely", "ugly", "silly", "holy", "jolly",
	"lively", "likely", "unlikely", "cowardly", "worldly", "ghastly", "beastly", "ungodly", "godly",
	"sickly", "timely", "untimely", "lowly", "bubbly", "cuddly", "wobbly", "scholarly", "brotherly",
	"neighborly", "neighbourly", "fatherly", "motherly", "sisterly", "surly", "smelly",
	"gnarly", "manly", "kindly", "orderly", "disorderly", "elderly", "leisurely", "heavenly",
	"earthly", "unruly", "melancholy", "grisly", "homely", "lovely", "shapely", "stately", "wily",
)

// otherNouns are nouns with an adjective or adverb ending.
var otherNouns = setOf("hatred", "rally", "ally", "belly", "folly", "bully", "monopoly", "family", "jelly", "supply", "reply", "assembly", "anomaly")
