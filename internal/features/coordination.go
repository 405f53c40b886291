package features

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stance/classifierd/internal/lexicon"
)

// Coordinated predicates: "Argentina thanked Brazil but criticised Chile",
// "Iran accused Israel of sabotage and vowed revenge", "China met Russian
// officials and later criticised Japan". The second verb has no subject
// of its own: it shares the first one's, and the party between the two
// verbs is the first verb's object, not the second's subject, as the
// nearest party before a verb otherwise is (RoleOf's blockedBefore).
//
// Everything here reads the sentence's words and cues and the one party
// asked about, never the other parties: a party's roles are cached with
// its neighbours alone (partyKey), and an unknown name must change no
// other pair (the relation stage's knownTargets).

// coordinatedPredicate returns the token of the "and", "but", "yet" or
// "while" that joins the predicate of the verb cue at token i to an
// earlier one, with at most two auxiliaries or adverbs between ("and
// later criticised", "but did not condemn"), or -1. The verb must read as
// one: a lower-case word ("and United States officials" is a name); after
// "and", "but" or "yet" a past form, or any form after an auxiliary ("and
// will send"); after "while" a form in -ing with no preposition after it
// ("while accusing Israel", not "while fighting between Armenia and
// Azerbaijan continued"). "Japan and Korea criticised China" has a party,
// not a coordinator, before its verb.
func coordinatedPredicate(d *Document, sent Sentence, i int) int {
	if !lowerWord(d, i) {
		return -1
	}
	w := d.LowerFast(i)
	j, aux := i-1, false
	for n := 0; j > sent.First && n < 2; n++ {
		x := d.LowerFast(j)
		if IsAuxiliary(x) {
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
		if isIngForm(w) && (i+1 >= sent.End || !isPreposition(d.LowerFast(i+1))) {
			return j
		}
	}
	return -1
}

// opensPredicate reports whether the word at token k ("and", "but",
// "yet", "while") opens a predicate that shares the subject before it
// ("praised Germany but warned Italy", "while courting Russia"): the
// first word after it past auxiliaries and adverbs is a verb that
// coordinatedPredicate joins there. "But will NATO defend Kyiv?" opens a
// question with its own subject.
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
		if w := d.LowerFast(i); !IsAuxiliary(w) && !isAdverb(w) {
			return coordinatedPredicate(d, sent, i) == k
		}
	}
	return false
}

// sharedSubjectRole returns the role of party t, before the verb cue c,
// where c's predicate is coordinated with an earlier one in t's clause
// (coordinatedPredicate), and whether it is: the party that ends where
// the earlier predicate's subject does (sharedSubjectEnd), one joined to
// it by "and" ("Japan and South Korea welcomed ... but criticised") or
// owning it ("Russia's foreign minister thanked Turkey but criticised
// Ukraine") is c's subject; another party before the coordinator is only
// near c ("Russia thanked Turkey and accused Ukraine": Turkey did not
// accuse).
func sharedSubjectRole(d *Document, sent Sentence, sentCues []CueMatch, t Target, c *CueMatch) (Role, bool) {
	k := coordinatedPredicate(d, sent, c.First)
	if k < 0 || t.End > k || boundaryBetween(d, t.End, k) {
		return 0, false
	}
	end := sharedSubjectEnd(d, sent, sentCues, k)
	switch {
	case end < 0:
		return 0, false
	case isSharedSubject(d, t, end):
		return RoleSubject, true
	}
	return RoleNear, true
}

// isSharedSubject reports whether party t is the subject that ends at
// token end (sharedSubjectEnd; -1 for none), or joined to it or owning it
// (subjectGroup).
func isSharedSubject(d *Document, t Target, end int) bool {
	return end >= 0 && (t.End == end || t.End < end && subjectGroup(d, t.End, end))
}

// sharedSubjectEnd returns the token after the subject of the predicate
// that a coordinator at token k joins a later one to, in k's clause: the
// nearest word before k that a verb follows (verbAt) and that can end a
// noun phrase (endsSubject), looking past an aside between commas before
// the verb ("Iran, which Russia backs, accused Israel and ...") and a
// phrase of time ("Japan last week praised"); -1 for none. "Venezuela
// accuses Guyana of plundering the disputed region while courting Russia"
// has its subject before "accuses", not before "plundering" or "disputed".
func sharedSubjectEnd(d *Document, sent Sentence, sentCues []CueMatch, k int) int {
	for p := k - 1; p > sent.First; p-- {
		if w := d.LowerFast(p); isClauseBoundary(w) && !joiningDash(d, p) {
			return -1
		}
		if !verbAt(d, sentCues, p, k) {
			continue
		}
		q := p - 1
		if d.Surface(q) == "," {
			// An aside between commas: its subject stands before it.
			for q--; q > sent.First && q > p-14 && d.Surface(q) != ","; q-- {
			}
			if q <= sent.First || d.Surface(q) != "," {
				continue
			}
			q--
		}
		// A phrase of time between the subject and its verb: "Japan
		// last week praised India but criticised China".
		for x := max(sent.First+1, q-3); x < q; x++ {
			if TimeAdjunctEnd(d, x, k) == q+1 {
				q = x - 1
				break
			}
		}
		if d.Tokens[q].Kind == KindWord && endsSubject(d.LowerFast(q)) {
			return q + 1
		}
	}
	return -1
}

// subjectGroup reports whether the tokens [from, to) join a party that
// ends at from to the subject ending at to: "and" and names ("Japan and
// South Korea"), or its possessive and at most three words ("Russia's
// foreign minister", "Russia's foreign minister Sergei Lavrov").
func subjectGroup(d *Document, from, to int) bool {
	if IsPossessiveToken(d.Surface(from)) {
		return to-from <= 6
	}
	for i := from; i < to; i++ {
		if w := d.Surface(i); w != "and" && w != "," && (d.Tokens[i].Kind != KindWord || lowerWord(d, i)) {
			return false
		}
	}
	return true
}

// verbAt reports whether a verb starts at token i, before token end,
// after at most two adverbs: an auxiliary, a past form, or a verb cue, in
// lower case. A verb cue in -s must take an object that a capital or a
// determiner opens ("accuses Guyana"), as "US strikes" is a noun.
func verbAt(d *Document, sentCues []CueMatch, i, end int) bool {
	for n := 0; i < end && n < 3; n++ {
		if !lowerWord(d, i) {
			return false
		}
		w := d.LowerFast(i)
		if IsAuxiliary(w) || PastForm(w) {
			return true
		}
		if !isAdverb(w) {
			if !verbCueAt(sentCues, i) {
				return false
			}
			return !strings.HasSuffix(w, "s") || i+1 < end && (!lowerWord(d, i+1) || isDeterminer(d.LowerFast(i+1)))
		}
		i++
	}
	return false
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

// coordinatedRole returns r, RoleOf's role of party t toward the verb cue
// c, read across coordinated predicates: "Argentina thanked Brazil but
// criticised Chile" has Argentina criticise, not Brazil
// (sharedSubjectRole), and thank Brazil, not Chile (inLaterPredicate).
func coordinatedRole(d *Document, sent Sentence, sentCues []CueMatch, t Target, c *CueMatch, r Role) Role {
	if c.Kind != lexicon.KindVerb {
		return r
	}
	switch {
	case r != RoleObject && t.End <= c.First:
		if sr, ok := sharedSubjectRole(d, sent, sentCues, t, c); ok {
			return sr
		}
	case t.First > c.End && (r == RoleObject || r == RoleSubject) && inLaterPredicate(d, sent, t, c):
		// Also the later participle's agent: "was welcomed by Egypt
		// and criticised by Ethiopia" is not welcomed by Ethiopia.
		return RoleNear
	case r == RoleObject && t.End <= c.First && byBefore(d, sent, t.First) && coordinatedPredicate(d, sent, c.First) >= 0:
		// "was welcomed by Egypt and criticised by Ethiopia": Egypt
		// is the first participle's agent, not the second's object.
		return RoleNear
	}
	return r
}

// boundaryBetween reports whether a clause boundary word stands in
// tokens [from, to).
func boundaryBetween(d *Document, from, to int) bool {
	for i := from; i < to; i++ {
		if ClauseBoundaryAt(d, i) {
			return true
		}
	}
	return false
}

// verbCueAt reports whether a verb cue starts at token i.
func verbCueAt(sentCues []CueMatch, i int) bool {
	k, ok := slices.BinarySearchFunc(sentCues, i, func(c CueMatch, i int) int { return cmp.Compare(c.First, i) })
	for ; ok && k < len(sentCues) && sentCues[k].First == i; k++ {
		if sentCues[k].Kind == lexicon.KindVerb {
			return true
		}
	}
	return false
}

// lowerWord reports whether token i is a word that opens in lower case.
func lowerWord(d *Document, i int) bool {
	t := d.Tokens[i]
	if t.Kind != KindWord {
		return false
	}
	r, _ := utf8.DecodeRuneInString(d.Text[t.Start:t.End])
	return unicode.IsLower(r)
}

// endsSubject reports whether w, lower case, can be the last word of a
// subject: not an article, a preposition, a conjunction, a relative
// pronoun or a verb ("the disputed region": not "the"; "accused of
// plundering": not "of").
func endsSubject(w string) bool {
	switch w {
	case "and", "or", "but", "to", "for", "with", "that", "which", "who", "whom", "as", "than", "into", "about",
		"after", "before", "during", "against", "under", "via", "amid", "upon", "not", "never", "said", "says":
		return false
	}
	return !isDeterminer(w) && !isPreposition(w) && !IsAuxiliary(w) && !isAdverb(w) && !PastForm(w)
}

func isDeterminer(w string) bool {
	switch w {
	case "the", "a", "an", "its", "their", "his", "her", "our", "this", "these", "those", "two", "three", "several":
		return true
	}
	return false
}

func isPreposition(w string) bool {
	switch w {
	case "between", "by", "in", "on", "of", "at", "from", "over", "across", "near", "along":
		return true
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

// IsAuxiliary reports whether w, lower case, is an auxiliary or modal
// verb that can open a predicate: "has", "will", "did".
func IsAuxiliary(w string) bool {
	switch w {
	case "has", "have", "had", "will", "would", "could", "can", "may", "might", "must", "should", "shall",
		"did", "does", "do":
		return true
	}
	return false
}

// TimeAdjunctEnd returns the token after a time adjunct that starts at
// token i ("on Thursday", "late on Monday", "on Tuesday night", "last
// week", "earlier this month"), or i where none does.
func TimeAdjunctEnd(d *Document, i, end int) int {
	at := func(k int) string {
		if k < end {
			return d.LowerFast(k)
		}
		return ""
	}
	j := i
	switch at(j) {
	case "late", "early":
		if at(j+1) == "on" {
			j++
		}
	case "earlier", "later":
		if at(j+1) == "this" || at(j+1) == "last" {
			j++
		}
	}
	switch w := at(j); {
	case w == "on" && weekday(at(j+1)):
		j += 2
		switch at(j) {
		case "night", "morning", "afternoon", "evening":
			j++
		}
		return j
	case (w == "last" || w == "this") && timeUnit(at(j+1)):
		return j + 2
	}
	return i
}

// weekday reports whether w, lower-case, names a day of the week.
func weekday(w string) bool {
	switch w {
	case "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday":
		return true
	}
	return false
}

// timeUnit reports whether w, after "last" or "this", dates an act.
func timeUnit(w string) bool {
	switch w {
	case "week", "weekend", "month", "year", "morning", "afternoon", "evening", "night", "spring", "summer",
		"autumn", "winter", "fall":
		return true
	}
	return false
}
