package lexicon

import "fmt"

// Kind says what part a cue plays: a stance-bearing word or phrase, or a
// modifier that changes the cues near it.
type Kind uint8

const (
	// KindVerb is a directional verb form: its subject acts on its object
	// ("accused", "signed", "attacks").
	KindVerb Kind = iota + 1
	// KindNoun is a stance-bearing noun ("threat", "partnership").
	KindNoun
	// KindAdjective is a stance-bearing adjective ("baseless", "expansionist").
	KindAdjective
	// KindAdverb is a stance-bearing adverb ("unilaterally", "warmly").
	KindAdverb
	// KindPhrase is a multiword idiom whose stance is not that of its parts
	// ("mutual respect", "red line").
	KindPhrase
	// KindNegator reverses or dampens the cues it governs ("not", "never").
	// Its Weight is the factor applied to them: -1 flips.
	KindNegator
	// KindIntensifier strengthens the cues it governs ("strongly", "grave").
	// Its Weight is a multiplier, usually above 1.
	KindIntensifier
	// KindHedge weakens the cues it governs ("reportedly", "may"). Its
	// Weight is a multiplier, usually below 1.
	KindHedge

	lastKind = KindHedge
)

var kindNames = [...]string{
	KindVerb:        "verb",
	KindNoun:        "noun",
	KindAdjective:   "adjective",
	KindAdverb:      "adverb",
	KindPhrase:      "phrase",
	KindNegator:     "negator",
	KindIntensifier: "intensifier",
	KindHedge:       "hedge",
}

// String returns the kind's name as written in the TSV format ("verb",
// "negator", ...), or "kind(N)" for an unknown value.
func (k Kind) String() string {
	if k.Valid() {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Valid reports whether k is one of the declared kinds.
func (k Kind) Valid() bool { return k >= KindVerb && k <= lastKind }

// IsModifier reports whether cues of this kind modify other cues (negators,
// intensifiers, hedges) rather than carry stance themselves.
func (k Kind) IsModifier() bool {
	return k == KindNegator || k == KindIntensifier || k == KindHedge
}

// ParseKind returns the kind named s, as String writes it.
func ParseKind(s string) (Kind, error) {
	for k := KindVerb; k <= lastKind; k++ {
		if kindNames[k] == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("%w %q", ErrKind, s)
}
