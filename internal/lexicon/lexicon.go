package lexicon

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
)

// Lexicon is a table of stance cues keyed by phrase. It is immutable and
// safe for concurrent use; Merge returns a new one.
type Lexicon struct {
	cues     []Cue          // sorted by phrase
	index    map[string]int // phrase -> position in cues
	maxWords int
	version  string
}

// New returns a lexicon of the given cues, in any order. It reports every
// invalid cue and every repeated phrase at once.
func New(cues []Cue) (*Lexicon, error) {
	sorted := slices.Clone(cues)
	if err := validateSorted(sorted); err != nil {
		return nil, err
	}
	return build(sorted), nil
}

// validateSorted checks each cue, sorts them by phrase and reports
// repeated phrases.
func validateSorted(cues []Cue) error {
	var errs []error
	for i, c := range cues {
		if err := c.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("cue %d (%q): %w", i, c.Phrase, err))
		}
	}
	slices.SortStableFunc(cues, func(a, b Cue) int { return cmp.Compare(a.Phrase, b.Phrase) })
	for i := 1; i < len(cues); i++ {
		if cues[i].Phrase == cues[i-1].Phrase {
			errs = append(errs, fmt.Errorf("%w %q", ErrDuplicate, cues[i].Phrase))
		}
	}
	return errors.Join(errs...)
}

// build indexes cues that are valid and sorted by phrase without repeats.
func build(cues []Cue) *Lexicon {
	l := &Lexicon{cues: cues, index: make(map[string]int, len(cues))}
	for i, c := range cues {
		l.index[c.Phrase] = i
		l.maxWords = max(l.maxWords, c.Words())
	}
	h := sha256.New()
	for _, c := range cues {
		h.Write(appendLine(nil, c))
	}
	l.version = hex.EncodeToString(h.Sum(nil))[:12]
	return l
}

// Lookup returns the cue for a phrase (lowercase words separated by single
// spaces) and whether there is one.
func (l *Lexicon) Lookup(phrase string) (Cue, bool) {
	if l == nil {
		return Cue{}, false
	}
	i, ok := l.index[phrase]
	if !ok {
		return Cue{}, false
	}
	return l.cues[i], true
}

// Cues returns a copy of the cues sorted by phrase.
func (l *Lexicon) Cues() []Cue {
	if l == nil {
		return nil
	}
	return slices.Clone(l.cues)
}

// Len returns the number of cues.
func (l *Lexicon) Len() int {
	if l == nil {
		return 0
	}
	return len(l.cues)
}

// MaxWords returns the number of words in the longest phrase, 0 for an
// empty lexicon; a matcher need not look at longer n-grams.
func (l *Lexicon) MaxWords() int {
	if l == nil {
		return 0
	}
	return l.maxWords
}

// Version returns a short hash of the lexicon's content: the first 12 hex
// digits of the SHA-256 of its canonical table (what Write writes for
// Cues). Two lexicons with the same cues have the same version.
func (l *Lexicon) Version() string {
	if l == nil {
		return build(nil).version
	}
	return l.version
}

// Merge returns a new lexicon with the cues of l and over. A cue in over
// replaces the cue of l with the same phrase, whatever its kind; a cue in
// over with weight 0 removes that phrase and is itself left out. Neither l
// nor over changes. A nil or empty over returns l itself.
func (l *Lexicon) Merge(over *Lexicon) *Lexicon {
	if over == nil || over.Len() == 0 {
		return l
	}
	base := l.Cues()
	merged := make([]Cue, 0, len(base)+over.Len())
	i, j := 0, 0
	for i < len(base) || j < len(over.cues) {
		switch {
		case j == len(over.cues) || i < len(base) && base[i].Phrase < over.cues[j].Phrase:
			merged = append(merged, base[i])
			i++
			continue
		case i < len(base) && base[i].Phrase == over.cues[j].Phrase:
			i++ // replaced or removed
		}
		if c := over.cues[j]; c.Weight != 0 {
			merged = append(merged, c)
		}
		j++
	}
	return build(merged)
}
