package features

// Affiliation is how the words between two parties tie one to the other
// (AffiliationBetween).
type Affiliation uint8

const (
	// NotAffiliated: no tie of the kinds below.
	NotAffiliated Affiliation = iota
	// AffiliatedBy: "X, a former commissioner of Y", "X, a spokesman for
	// Y": a title in an apposition.
	AffiliatedBy
	// AffiliatedOwned: "Y's X" with nothing between: "South Korea's
	// National Police Agency", "Turkey's Hakan Fidan".
	AffiliatedOwned
	// AffiliatedOf: "X of Y" with nothing but the article between: a tie
	// only where X is a person ("Arnel dela Vega of the army"), which the
	// caller knows.
	AffiliatedOf
)

// AffiliationBetween reports whether parties a and b are a person and the
// body they belong to, as the text introduces one by the other: "Arnel dela Vega
// of the army", "Kerik, a former commissioner of the New York police",
// "Ahmed al-Assadi, a spokesman for the PMF", or a body and its own organ
// or official right after its possessive ("South Korea's National Police
// Agency", "Turkey's Hakan Fidan"). Such a pair holds no stance either
// way, whatever the sentence then says of one of them ("..., was
// convicted", "..., died"), as an official and their state do not
// (sameActor in the classifier, which needs the entities' countries). It
// is symmetric, and reads the words between the two alone.
func AffiliationBetween(d *Document, a, b Target) Affiliation {
	lo, hi := a, b
	if hi.First < lo.First {
		lo, hi = hi, lo
	}
	if lo.End > hi.First {
		return NotAffiliated
	}
	word := func(i int) string {
		if i < 0 || i >= len(d.Tokens) || d.Tokens[i].Kind != KindWord && d.Tokens[i].Kind != KindPunct {
			return ""
		}
		return d.LowerFast(i)
	}
	// "South Korea's National Police Agency": the possessive alone between.
	if hi.First-lo.End == 1 && PossessiveAfter(d, lo) {
		return AffiliatedOwned
	}
	// "Ali Bagheri, Iran's deputy foreign minister, met ...": a comma,
	// then b owning a title that a comma closes.
	if hi.First-lo.End == 1 && word(lo.End) == "," {
		if PossessiveAfter(d, hi) && titleThenComma(d, hi.End+1, false) {
			return AffiliatedBy
		}
		// b's span takes in the possessive and the title's head ("Iran's
		// deputy", a generic actor of Iran).
		for i := hi.First + 1; i < hi.End; i++ {
			if IsPossessiveToken(d.Surface(i)) {
				if titleThenComma(d, hi.End, true) {
					return AffiliatedBy
				}
				break
			}
		}
	}
	// The preposition that attaches b to a's title: "of", "for", "at", "to", "with",
	// with a determiner and up to two modifiers of b after it ("of
	// Virginia-based Symplicity", "of journalist Jamal Khashoggi").
	p := hi.First - 1
	for k := 0; k < 3 && p > lo.End && !isAffiliationPreposition(word(p)); k++ {
		if w := word(p); d.Tokens[p].Kind != KindWord || isDeterminer(w) && k > 0 || IsAuxiliary(w) || PastForm(w) {
			return NotAffiliated
		}
		p--
	}
	if p < lo.End || !isAffiliationPreposition(word(p)) {
		return NotAffiliated
	}
	if p == lo.End {
		// "Arnel dela Vega of the army": a person's name, then "of".
		if word(p) == "of" {
			return AffiliatedOf
		}
		return NotAffiliated
	}
	// "Kerik, a former commissioner of": a comma, then a title of a few
	// words that holds no verb, clause or other preposition.
	if word(lo.End) != "," || p-lo.End-1 < 1 || p-lo.End-1 > maxTitleTokens {
		return NotAffiliated
	}
	for i := lo.End + 1; i < p; i++ {
		w := word(i)
		if d.Tokens[i].Kind != KindWord && w != "-" || !titleWord(w) {
			return NotAffiliated
		}
	}
	return AffiliatedBy
}

// maxTitleTokens bounds the title of an apposition ("the deputy executive
// director", "formerly the president and chief executive officer").
const maxTitleTokens = 8

func isAffiliationPreposition(w string) bool {
	return w == "of" || w == "for" || w == "at" || w == "to" || w == "with"
}

// titleThenComma reports whether the tokens from token i are a title of
// at most maxTitleTokens words (titleWord) closed by a comma; of none at
// all where empty is set.
func titleThenComma(d *Document, i int, empty bool) bool {
	for j := i; j < len(d.Tokens) && j-i <= maxTitleTokens; j++ {
		if d.Surface(j) == "," {
			return j > i || empty
		}
		if d.Tokens[j].Kind != KindWord || !titleWord(d.LowerFast(j)) {
			return false
		}
	}
	return false
}

// titleWord reports whether w, lower case, may be a word of a title in an
// apposition: not a verb form, an auxiliary, a clause word or a
// preposition ("in contempt of", "which had retreated from").
func titleWord(w string) bool {
	switch w {
	case "which", "who", "whom", "whose", "that", "where", "when", "while", "after", "before", "since", "because",
		"with", "to", "from", "by", "in", "on", "at", "of", "for", "against", "as", "into", "over", "not", "said", "says":
		return false
	}
	return !IsAuxiliary(w) && !PastForm(w) && !isIngForm(w)
}
