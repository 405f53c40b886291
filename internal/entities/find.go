package entities

import (
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// span is a half-open byte range with what matched there.
type span struct {
	start, end int
	entity     int32 // pattern entity index, kindTitle or kindBlock
	marks      uint8 // the pattern's marks
}

// scratch holds per-call buffers, pooled so that Find allocates little
// beyond its result.
type scratch struct {
	cands  []span
	titles []span
	starts []int32 // offsets where a word may start with a capital
	// support holds the starts of the mentions whose form needs the
	// document's support (markQualified), checked once all are found.
	support []int32
	places  []int32 // the entities of city forms left out as places
	// placeStarts are where those forms start, in order: no name of a
	// person either ("in Abu Dhabi").
	placeStarts []int32
	// dropped holds the starts of state forms that context rejected:
	// "Washington" in "Washington, D.C." is no short reference to a George
	// Washington named earlier either.
	dropped []int32
	// headlines are the text's headline lines (headlineLines).
	headlines [][2]int
}

// Find returns the mentions in text, sorted by Start and non-overlapping.
// Caller targets win over built-in entries where they overlap. It returns a
// *TargetError (wrapping ErrInvalidTarget) for a target that cannot be
// matched, such as an empty name or alias.
func (g *Gazetteer) Find(text string, opts Options) ([]Mention, error) {
	return g.FindInto(nil, text, opts)
}

// FindInto is Find that builds its result in buf's storage (overwriting
// it) when buf is large enough, so that a caller classifying document after
// document allocates no new slice for each.
func (g *Gazetteer) FindInto(buf []Mention, text string, opts Options) ([]Mention, error) {
	var (
		out     = buf[:0]
		tm      *matcher
		targets []Entity
		untyped []bool // the targets neither the caller nor the table typed
	)
	if len(opts.Targets) > 0 {
		var err error
		tm, targets, err = buildTargets(opts.Targets)
		if err != nil {
			return nil, err
		}
		if !opts.TypesAsGiven {
			untyped = make([]bool, len(targets))
			for i := range targets {
				if targets[i].Type == TypeUnspecified {
					targets[i].Type = g.tableType(&opts.Targets[i])
					untyped[i] = targets[i].Type == TypeUnspecified
				}
			}
		}
	}
	if tm == nil && !opts.Builtin {
		return out, nil
	}
	sc := g.scratch.Get().(*scratch)
	defer g.scratch.Put(sc)
	sc.cands, sc.titles = sc.cands[:0], sc.titles[:0]

	if tm != nil {
		sc.cands = tm.collect(text, sc.cands)
		sortSpans(sc.cands)
		last := 0
		for _, c := range sc.cands {
			if c.start < last {
				continue
			}
			out = append(out, Mention{Start: c.start, End: c.end, Entity: targets[c.entity], Source: SourceCaller})
			last = c.end
		}
		sc.cands = sc.cands[:0]
	}
	if !opts.Builtin {
		return namePartMentions(text, targets, out), nil
	}
	nTargets := len(out)
	sc.cands, sc.starts = g.collectBuiltin(text, sc.cands, sc.starts[:0])
	sortSpans(sc.cands)
	sc.support, sc.places, sc.dropped, sc.placeStarts = sc.support[:0], sc.places[:0], sc.dropped[:0], sc.placeStarts[:0]
	sc.headlines = headlineLines(text, sc.headlines[:0])
	last, titleEnd, nextHeadline := 0, -1, 0
	for i := range sc.cands {
		c := sc.cands[i]
		if c.start < last || nTargets > 0 && overlapsAny(out[:nTargets], c.start, c.end) {
			continue
		}
		switch {
		case c.entity == kindBlock:
			last = c.end
			if opts.LeftOut != nil {
				*opts.LeftOut = append(*opts.LeftOut, Mention{Start: c.start, End: c.end})
			}
		case c.entity == kindTitle:
			last = c.end
			titleEnd = c.end
			sc.titles = append(sc.titles, c)
		default:
			cx := context{
				afterTitle:   titleEnd >= 0 && titleEnd+1 == c.start,
				afterMention: len(out) > nTargets && out[len(out)-1].End+1 == c.start,
				afterList:    len(out) > nTargets && out[len(out)-1].End+2 == c.start,
				follower:     candAt(sc.cands, i, c.end+1),
				titleEnd:     titleEnd,
			}
			if len(sc.headlines) > 0 && inHeadline(sc.headlines, &nextHeadline, c.start) {
				cx.headline = !nameBesideInBody(text, c.start, c.end, sc.headlines[len(sc.headlines)-1][1])
			}
			if strings.HasPrefix(text[c.end:], ", ") {
				cx.listed = candAt(sc.cands, i, c.end+2)
			}
			v, s, e := g.judge(text, c, &g.ents[c.entity], cx)
			switch v {
			case drop, place:
				if v == place {
					// Not one that starts a longer name ("Santiago Peña").
					sc.placeStarts = append(sc.placeStarts, int32(c.start))
				}
				if c.marks&markPlace != 0 {
					sc.places = append(sc.places, c.entity)
				}
				sc.dropped = append(sc.dropped, int32(c.start))
				if opts.LeftOut != nil && c.marks&markPlace != 0 {
					*opts.LeftOut = append(*opts.LeftOut, Mention{Start: c.start, End: c.end, Entity: g.entity(c.entity), Source: SourceGazetteer})
				}
			case keep:
				last = c.end
				out = append(out, Mention{Start: s, End: e, Entity: g.entity(c.entity), Source: SourceGazetteer})
				if c.marks&markQualified != 0 {
					sc.support = append(sc.support, int32(s))
				}
			case namesake:
				// The name words before the form stop at the last mention.
				if n := len(out); n > nTargets && s < out[n-1].End {
					for s = out[n-1].End; s < c.start && !startsUpperAt(text, s); s++ {
					}
				}
				if s == c.start && e == c.end || overlapsAny(out[:nTargets], s, e) {
					continue
				}
				last = e
				name := text[s:e]
				out = append(out, Mention{Start: s, End: e, Entity: Entity{ID: "person:" + slug(name), Name: name, Type: TypePerson}, Source: SourceName})
			}
		}
	}
	// The built-in mentions come in order; only caller targets before them
	// and phrases that refer back after them need a sort.
	n := len(out)
	if len(g.refers) > 0 {
		out = g.resolveRefers(text, out, nTargets)
	}
	if nTargets > 0 || len(out) > n {
		sortMentions(out)
	}
	if len(sc.titles) > 0 {
		out = g.findPeople(text, out, sc.titles, sc.headlines)
	}
	if tm != nil {
		if slices.Contains(untyped, true) {
			titledTargets(targets, untyped, out, sc.titles)
			g.surnamedTargets(text, targets, untyped, out, sc.titles)
		}
		// After the built-in mentions, which keep what they name
		// ("Israel" of a target "Israel Epstein" stays the state).
		out = namePartMentions(text, targets, out)
	}
	// After the caller's targets, which keep the names they give.
	out = g.findNamedPeople(text, out, sc.starts, sc.placeStarts)
	out = g.resolveShortRefs(text, out, sc.starts, sc.dropped)
	if len(sc.support) > 0 {
		out = unsupported(text, out, sc.support, sc.places, g)
	}
	return out, nil
}

// candAt returns the entity or title candidate that starts at p, looking
// forward from candidate i of the sorted cands.
func candAt(cands []span, i, p int) *span {
	for j := i + 1; j < len(cands) && cands[j].start <= p; j++ {
		if cands[j].start == p && cands[j].entity != kindBlock {
			return &cands[j]
		}
	}
	return nil
}

// collect appends every valid match of m in text: for each start offset the
// automaton's longest match there, kept only if it sits on word boundaries
// and satisfies the case rules. The library's iterator restarts one byte
// after each match start, so a rejected long match does not hide a valid
// match that starts later.
func (m *matcher) collect(text string, dst []span) []span {
	if len(m.patterns) == 0 || text == "" {
		return dst
	}
	// The iterator only reads the haystack; converting without a copy keeps
	// Find from duplicating every input text.
	it := m.ac.IterByte(unsafe.Slice(unsafe.StringData(text), len(text)))
	for mt := it.Next(); mt != nil; mt = it.Next() {
		s, e, p := mt.Start(), mt.End(), m.patterns[mt.Pattern()]
		if !leftBoundary(text, s) {
			continue
		}
		if p.capFirst {
			if r, _ := utf8.DecodeRuneInString(text[s:]); !unicode.IsUpper(r) {
				continue
			}
		}
		if m.cased != nil {
			if c := m.cased[mt.Pattern()]; c != "" && text[s:e] != c {
				continue
			}
		}
		dst = appendValid(dst, text, s, e, p)
	}
	return dst
}

// collectBuiltin is collect for the built-in entries. At each offset on a
// left boundary where some key may start, it appends the longest
// all-capital alias there and then the longest folded one (a person's name
// only where the word starts with a capital); then the other exact aliases.
// That is what an automaton over the whole text yielded, start by start and
// in the same order, without reading the bytes inside words. It also
// appends to starts the word starts with a capital (or a non-ASCII letter)
// for resolveShortRefs.
func (g *Gazetteer) collectBuiltin(text string, dst []span, starts []int32) ([]span, []int32) {
	// A branch per byte on where words start mispredicts at nearly every
	// word; masks of 64 bytes at a time, built without branches, leave a
	// branch per candidate.
	var carry uint64 // whether the byte before the block is an ASCII word byte
	for at := 0; at < len(text); at += 64 {
		try, word := g.masks(text[at:min(at+64, len(text))])
		cand := try &^ (word<<1 | carry)
		carry = word >> 63
		for cand != 0 {
			s := at + bits.TrailingZeros64(cand)
			cand &= cand - 1
			// After a non-ASCII byte only a decoded rune tells a boundary.
			if s == 0 || text[s-1] < utf8.RuneSelf || leftBoundary(text, s) {
				dst, starts = g.collectAt(text, s, g.first[text[s]], dst, starts)
			}
		}
	}
	if len(g.exact.cells) > 0 {
		dst = g.collectExact(text, dst)
	}
	return dst, starts
}

// masks returns the firstTry and firstWord bits of the bytes of block, at
// most 64, as bit masks.
func (g *Gazetteer) masks(block string) (try, word uint64) {
	const (
		low    = 0x0101010101010101 // bit 0 of each byte
		gather = 0x0102040810204080 // times bit 0 of each byte: the 8 bits in the top byte
	)
	j := 0
	for ; j+8 <= len(block); j += 8 {
		b := block[j : j+8]
		x := uint64(g.first[b[0]]) | uint64(g.first[b[1]])<<8 | uint64(g.first[b[2]])<<16 |
			uint64(g.first[b[3]])<<24 | uint64(g.first[b[4]])<<32 | uint64(g.first[b[5]])<<40 |
			uint64(g.first[b[6]])<<48 | uint64(g.first[b[7]])<<56
		try |= (x & low * gather >> 56) << j
		word |= (x >> 1 & low * gather >> 56) << j
	}
	for ; j < len(block); j++ {
		f := uint64(g.first[block[j]])
		try |= (f & firstTry) << j
		word |= (f >> 1 & 1) << j
	}
	return try, word
}

// collectAt appends the candidates at s, a left boundary, whose first byte
// f classifies.
func (g *Gazetteer) collectAt(text string, s int, f uint8, dst []span, starts []int32) ([]span, []int32) {
	upper := false
	if f&firstCapital != 0 {
		starts = append(starts, int32(s))
		upper = text[s] < utf8.RuneSelf || startsUpperAt(text, s)
	}
	if !upper {
		return g.collectLower(text, s, f, dst), starts
	}
	if f&firstCapitals != 0 && (s+1 == len(text) || g.capitalPairs.has(text[s], text[s+1])) {
		if e, v := g.capitals.longest(text, s, all); v >= 0 {
			dst = appendValid(dst, text, s, e, g.capitals.patterns[v])
		}
	}
	if f&firstFolded != 0 {
		if e, v := g.folded.longest(text, s, all); v >= 0 {
			dst = appendValid(dst, text, s, e, g.folded.patterns[v])
		}
	}
	return dst, starts
}

// collectLower appends the candidate at s, a left boundary where the word
// does not start with a capital. There the longest folded key other than a
// person's name counts, and only if it does not need a capital: most words
// start in lower case, and a handful of keys do not need one, so a walk of
// the small trie of those settles most of them.
func (g *Gazetteer) collectLower(text string, s int, f uint8, dst []span) []span {
	if f&firstLower == 0 || s+1 < len(text) && !g.lowerPairs.has(text[s], text[s+1]) {
		return dst
	}
	if _, v := g.lower.longest(text, s, all); v < 0 {
		return dst
	}
	e, v := g.folded.longest(text, s, g.people)
	if p := g.folded.patterns[v]; !p.capFirst {
		dst = appendValid(dst, text, s, e, p)
	}
	return dst
}

// collectExact appends the matches of the exact aliases that do not start
// with a capital, at every left boundary.
func (g *Gazetteer) collectExact(text string, dst []span) []span {
	for s := 0; s < len(text); s++ {
		if !g.exact.starts(text[s]) || !leftBoundary(text, s) {
			continue
		}
		if e, v := g.exact.longest(text, s, all); v >= 0 {
			if p := g.exact.patterns[v]; !p.capFirst || startsUpperAt(text, s) {
				dst = appendValid(dst, text, s, e, p)
			}
		}
	}
	return dst
}

// Bits of Gazetteer.first, per byte. collectBuiltin shifts the first two
// into place.
const (
	// firstTry is firstLower or firstCapital: a word start without either
	// has no candidate and is no start for resolveShortRefs.
	firstTry      = 1 << iota
	firstWord     // an ASCII letter or digit
	firstFolded   // some folded key starts with it
	firstLower    // some folded key that needs no capital starts with it
	firstCapitals // some all-capital key starts with it
	firstCapital  // an ASCII capital or the lead byte of a non-ASCII character
)

// firstClasses classifies the bytes for collectBuiltin.
func firstClasses(folded, lower, capitals *trie) (t [256]uint8) {
	for i := range t {
		c := byte(i)
		if folded.starts(c) {
			t[c] |= firstFolded
		}
		if lower.starts(c) {
			t[c] |= firstLower
		}
		if capitals.starts(c) {
			t[c] |= firstCapitals
		}
		if 'A' <= c && c <= 'Z' || c >= 0xC0 {
			t[c] |= firstCapital
		}
		if t[c]&(firstLower|firstCapital) != 0 {
			t[c] |= firstTry
		}
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
			t[c] |= firstWord
		}
	}
	return t
}

// appendValid appends the match [s,e) of p if it ends on a word boundary,
// taking a plural s with it where p allows one.
func appendValid(dst []span, text string, s, e int, p pattern) []span {
	if !rightBoundary(text, e) {
		// "Iranians": a demonym alias plus a plural s.
		if !p.plural || text[e] != 's' || !rightBoundary(text, e+1) {
			return dst
		}
		e++
	}
	return append(dst, span{start: s, end: e, entity: p.entity, marks: p.marks})
}

// leftBoundary reports whether a match may start at i: at the start of the
// text or after a character that is not a letter or digit (space,
// punctuation, the hyphen of "anti-NATO").
func leftBoundary(text string, i int) bool {
	if i == 0 {
		return true
	}
	if c := text[i-1]; c < utf8.RuneSelf {
		return !asciiWord[c]
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return !isWordRune(r)
}

// rightBoundary reports whether a match may end at i. An apostrophe is a
// boundary, so "NATO's" and "Iran’s" match "NATO" and "Iran" and the
// possessive stays outside the surface form.
func rightBoundary(text string, i int) bool {
	if i >= len(text) {
		return true
	}
	if c := text[i]; c < utf8.RuneSelf {
		return !asciiWord[c]
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return !isWordRune(r) || r == 'â' && mojibakeApostrophe(text, i) > 0
}

// mojibakeApostrophe returns the length of the apostrophe U+2019 at i as
// scraped text often has it, its UTF-8 bytes read as Latin-1 ("â" and two
// control characters) or as Windows-1252 ("â€™"), or 0.
func mojibakeApostrophe(text string, i int) int {
	for _, m := range [...]string{"\u00e2\u0080\u0099", "\u00e2\u20ac\u2122"} {
		if strings.HasPrefix(text[i:], m) {
			return len(m)
		}
	}
	return 0
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

// sortSpans orders by start, longest first, so a greedy left-to-right pass
// yields leftmost-longest non-overlapping spans.
func sortSpans(s []span) {
	slices.SortFunc(s, func(a, b span) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.end - a.end
	})
}

func sortMentions(m []Mention) {
	slices.SortStableFunc(m, func(a, b Mention) int { return a.Start - b.Start })
}

// overlapsAny reports whether [s,e) overlaps a mention in sorted ms.
func overlapsAny(ms []Mention, s, e int) bool { return mentionOver(ms, s, e) != nil }

// mentionOver returns the mention of ms (sorted, not overlapping) that
// overlaps [s, e), or nil.
func mentionOver(ms []Mention, s, e int) *Mention {
	i, _ := slices.BinarySearchFunc(ms, s, func(m Mention, s int) int { return m.End - s - 1 })
	if i < len(ms) && ms[i].Start < e && ms[i].End > s {
		return &ms[i]
	}
	return nil
}

// buildTargets validates caller targets and compiles them into a small
// automaton. It returns every problem, each as a *TargetError.
func buildTargets(ts []Target) (*matcher, []Entity, error) {
	var (
		errs  []error
		b     builder
		ents  = make([]Entity, 0, len(ts))
		cased []string
	)
	check := func(i int, field, s string) bool {
		switch {
		case strings.TrimSpace(s) == "":
			errs = append(errs, &TargetError{Index: i, Field: field, Reason: "empty"})
		case !utf8.ValidString(s):
			errs = append(errs, &TargetError{Index: i, Field: field, Reason: "not valid UTF-8"})
		default:
			return true
		}
		return false
	}
	for i, t := range ts {
		id := t.ID
		if id == "" {
			id = "target:" + slug(t.Name)
		}
		ents = append(ents, Entity{ID: id, Name: strings.TrimSpace(t.Name), Type: t.Type})
		if check(i, "name", t.Name) {
			addTarget(&b, &cased, int32(i), strings.TrimSpace(t.Name))
		}
		for j, a := range t.Aliases {
			if check(i, fmt.Sprintf("aliases[%d]", j), a) {
				addTarget(&b, &cased, int32(i), strings.TrimSpace(a))
			}
		}
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	m := b.build(true)
	m.cased = cased
	return &m, ents, nil
}

// addTarget adds one target surface. All-capital surfaces must match as
// written; the automaton folds case, so the text is kept for a check.
func addTarget(b *builder, cased *[]string, entity int32, s string) {
	n := len(b.texts)
	b.add(s, pattern{entity: entity, capFirst: startsUpper(s), plural: endsLowerLetter(s)})
	if len(b.texts) > n {
		c := ""
		if isExact(s) {
			c = s
		}
		*cased = append(*cased, c)
	}
}

// slug makes an id part from a name: lower-case letters and digits joined by
// hyphens ("Ebrahim Raisi" -> "ebrahim-raisi").
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range name {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '\u2019':
			// "Kan'ani" stays one word
		default:
			dash = true
		}
	}
	return b.String()
}
