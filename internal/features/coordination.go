package features

import (
	"cmp"
	"slices"
	"strings"

	"github.com/stance/classifierd/internal/lexicon"
)

// Coordinated predicates: "Argentina thanked Brazil but criticised Chile",
// "Iran accused Israel of sabotage and vowed revenge", "China met Russian
// officials and later criticised Japan". The second verb has no subject
// of its own: it shares the first one's, and the party between the two
// verbs is the first verb's object, not the second's subject, as the
// nearest party before a verb otherwise is (RoleOf's blockedBefore).

// coordinatedPredicate returns the token of the "and", "but", "yet" or
// "while" that joins the predicate of the verb at token i to an earlier
// one, with at most two auxiliaries or adverbs between ("and later
// criticised", "but did not condemn"), or -1. The verb must read as one:
// after "and", "but" or "yet" a past form, or any form after an
// auxiliary ("and will send"); after "while" a form in -ing ("while
// accusing"). "Japan and Korea criticised China" has a party, not a
// coordinator, before its verb.
func coordinatedPredicate(d *Document, sent Sentence, i int) int {
	w := d.LowerFast(i)
	j, aux := i-1, false
	for n := 0; j > sent.First && n < 2; n++ {
		x := d.LowerFast(j)
		if isAuxiliary(x) {
			aux = true
		} else if !isAdverb(x) {
			break
		}
		j--
	}
	if j <= sent.First {
		return -1
	}
	switch d.LowerFast(j) {
	case "and", "but", "yet":
		if aux || PastForm(w) {
			return j
		}
	case "while":
		if isIngForm(w) {
			return j
		}
	}
	return -1
}

// opensPredicate reports whether the word at token k ("and", "but",
// "yet", "while") opens a predicate that shares the subject before it
// ("praised Germany but warned Italy", "while accusing").
func opensPredicate(d *Document, sent Sentence, k int) bool {
	switch d.LowerFast(k) {
	case "and", "but", "yet", "while":
	default:
		return false
	}
	for i := k + 1; i < sent.End && i <= k+3; i++ {
		if d.Tokens[i].Kind != KindWord {
			return false
		}
		if coordinatedPredicate(d, sent, i) == k {
			return true
		}
	}
	return false
}

// sharedSubject returns the party that a coordinated predicate opened at
// token k shares as its subject: the nearest party before k, in its
// sentence, that a verb follows ("Venezuela accuses Guyana of ... while
// courting Russia": Venezuela, not Guyana), or -1. A party joined to it by
// "and" shares it ("Japan and Korea thanked China but criticised Russia"),
// which Joined tells.
func sharedSubject(d *Document, sent Sentence, sentCues []CueMatch, targets []Target, k int) int {
	m, _ := slices.BinarySearchFunc(targets, k, func(t Target, k int) int { return cmp.Compare(t.End, k+1) })
	for m--; m >= 0 && targets[m].First >= sent.First; m-- {
		if verbAt(d, sentCues, targets[m].End, k) {
			return m
		}
	}
	return -1
}

// joinedSubject reports whether party m is subject s or joined to it by
// "and" or a comma ("Japan and South Korea", "Japan, Korea and China").
func joinedSubject(d *Document, targets []Target, m, s int) bool {
	for ; m < s; m++ {
		for i := targets[m].End; i < targets[m+1].First; i++ {
			if w := d.LowerFast(i); w != "and" && w != "," {
				return false
			}
		}
	}
	return m == s
}

// verbAt reports whether a verb starts at token i, before token end,
// after at most two adverbs: an auxiliary, a past form, or a verb cue.
func verbAt(d *Document, sentCues []CueMatch, i, end int) bool {
	for n := 0; i < end && n < 3; n++ {
		w := d.LowerFast(i)
		if isAuxiliary(w) || PastForm(w) {
			return true
		}
		if !isAdverb(w) {
			k, ok := slices.BinarySearchFunc(sentCues, i, func(c CueMatch, i int) int { return cmp.Compare(c.First, i) })
			return ok && sentCues[k].Kind == lexicon.KindVerb
		}
		i++
	}
	return false
}

// sharedSubjectRole returns the role of party targets[m], before the verb
// cue c, where c's predicate is coordinated with an earlier one
// (coordinatedPredicate), and whether it is: the shared subject, and the
// parties joined to it, are c's subject; the others before c are only
// near it ("Russia thanked Turkey and accused Ukraine": Turkey did not
// accuse).
func sharedSubjectRole(d *Document, sent Sentence, sentCues []CueMatch, targets []Target, m int, c *CueMatch) (Role, bool) {
	k := coordinatedPredicate(d, sent, c.First)
	if k < 0 {
		return 0, false
	}
	s := sharedSubject(d, sent, sentCues, targets, k)
	if s < 0 {
		return 0, false
	}
	if m <= s && joinedSubject(d, targets, m, s) {
		return RoleSubject, true
	}
	return RoleNear, true
}

// coordinatedRole returns r, RoleOf's role of party targets[m] toward
// the verb cue c, read across coordinated predicates: "Argentina thanked
// Brazil but criticised Chile" has Argentina criticise, not Brazil
// (sharedSubjectRole), and thank Brazil, not Chile (inLaterPredicate).
func coordinatedRole(d *Document, sent Sentence, sentCues []CueMatch, targets []Target, m int, c *CueMatch, r Role) Role {
	if c.Kind != lexicon.KindVerb {
		return r
	}
	t := targets[m]
	switch {
	case r != RoleObject && t.End <= c.First:
		if sr, ok := sharedSubjectRole(d, sent, sentCues, targets, m, c); ok {
			return sr
		}
	case r == RoleObject && t.First > c.End && inLaterPredicate(d, sent, t, c):
		return RoleNear
	case r == RoleObject && t.End <= c.First && byBefore(d, sent, t.First) && coordinatedPredicate(d, sent, c.First) >= 0:
		// "was welcomed by Egypt and criticised by Ethiopia": Egypt
		// is the first participle's agent, not the second's object.
		return RoleNear
	}
	return r
}

// inLaterPredicate reports whether party t, after the verb cue c, stands
// in a predicate coordinated with c's, past a coordinator with at least
// one word before it: "accused Guyana of plundering Essequibo while
// courting Russia" does not accuse Russia; "attacked and accused
// Ukraine" attacks Ukraine.
func inLaterPredicate(d *Document, sent Sentence, t Target, c *CueMatch) bool {
	for k := c.End + 1; k < t.First; k++ {
		if opensPredicate(d, sent, k) {
			return true
		}
	}
	return false
}

// PastForm reports whether w, lower case, reads as a verb's past form:
// in -ed, or a common irregular one ("met", "held", "sought").
func PastForm(w string) bool {
	if len(w) > 3 && strings.HasSuffix(w, "ed") {
		return true
	}
	switch w {
	case "said", "told", "met", "won", "led", "took", "gave", "sent", "made", "went", "began", "spoke", "wrote",
		"sought", "brought", "held", "left", "lost", "struck", "fought", "sold", "paid", "chose", "hit", "cut",
		"set", "put", "let", "saw", "heard", "felt", "kept", "found", "threw", "shot", "broke", "stood", "came",
		"became", "ran", "drew", "knew", "thought", "meant", "stole", "bought", "forbade", "withdrew", "swore":
		return true
	}
	return false
}

// isAuxiliary reports whether w, lower case, is an auxiliary or modal
// verb that can open a predicate: "has", "will", "did".
func isAuxiliary(w string) bool {
	switch w {
	case "has", "have", "had", "will", "would", "could", "can", "may", "might", "must", "should", "shall",
		"did", "does", "do":
		return true
	}
	return false
}
