package entities

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	ahocorasick "github.com/petar-dambovaliev/aho-corasick"
)

// span is a half-open byte range with what matched there.
type span struct {
	start, end int
	entity     int32 // pattern entity index, kindTitle or kindBlock
}

// scratch holds per-call buffers, pooled so that Find allocates little
// beyond its result.
type scratch struct {
	cands  []span
	titles []span
	folded []byte  // the text with ASCII letters lower-cased
	starts []int32 // offsets where a capitalised word may start
}

// Find returns the mentions in text, sorted by Start and non-overlapping.
// Caller targets win over built-in entries where they overlap. It returns a
// *TargetError (wrapping ErrInvalidTarget) for a target that cannot be
// matched, such as an empty name or alias.
func (g *Gazetteer) Find(text string, opts Options) ([]Mention, error) {
	var (
		out     []Mention
		tm      *matcher
		targets []Entity
	)
	if len(opts.Targets) > 0 {
		var err error
		tm, targets, err = buildTargets(opts.Targets)
		if err != nil {
			return nil, err
		}
	}
	if tm == nil && !opts.Builtin {
		return nil, nil
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
		return out, nil
	}
	nTargets := len(out)
	sc.folded, sc.starts = foldASCII(sc.folded, text, sc.starts[:0])
	sc.cands = g.collectBuiltin(text, sc, sc.cands)
	sc.cands = g.exact.collect(text, sc.cands)
	sortSpans(sc.cands)
	last := 0
	for _, c := range sc.cands {
		if c.start < last || overlapsAny(out[:nTargets], c.start, c.end) {
			continue
		}
		last = c.end
		switch c.entity {
		case kindBlock:
		case kindTitle:
			sc.titles = append(sc.titles, c)
		default:
			out = append(out, Mention{Start: c.start, End: c.end, Entity: g.entities[c.entity], Source: SourceGazetteer})
		}
	}
	sortMentions(out)
	if len(sc.titles) > 0 {
		out = g.findPeople(text, out, sc.titles)
	}
	out = g.resolveShortRefs(text, out, sc.starts)
	return out, nil
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

// collectBuiltin is collect for the built-in aliases: at each start, the
// automaton's longest match in the folded text, or the people index's if
// that is longer, and the longest all-capital alias. The indexes are asked
// only where a capitalised word starts, since their names need a capital
// there.
func (g *Gazetteer) collectBuiltin(text string, sc *scratch, dst []span) []span {
	if text == "" {
		return dst
	}
	folded := unsafe.String(unsafe.SliceData(sc.folded), len(sc.folded))
	var it ahocorasick.Iter
	var mt *ahocorasick.Match
	if len(g.folded.patterns) > 0 {
		it = g.folded.ac.IterByte(sc.folded)
		mt = it.Next()
	}
	starts := sc.starts
	for mt != nil || len(starts) > 0 {
		var (
			s, e = 0, -1
			p    pattern
		)
		if mt != nil && (len(starts) == 0 || mt.Start() <= int(starts[0])) {
			s, e, p = mt.Start(), mt.End(), g.folded.patterns[mt.Pattern()]
			if len(starts) > 0 && int(starts[0]) == s {
				starts = starts[1:]
			}
			mt = it.Next()
		} else {
			s, starts = int(starts[0]), starts[1:]
		}
		if !leftBoundary(text, s) {
			continue
		}
		r, _ := utf8.DecodeRuneInString(text[s:])
		upper := unicode.IsUpper(r)
		if upper {
			if i := g.people.longest(folded[s:]); i >= 0 && s+len(g.people.keys[i]) > e {
				e, p = s+len(g.people.keys[i]), g.people.patterns[i]
			}
			if i := g.capitals.longest(text[s:]); i >= 0 {
				dst = appendValid(dst, text, s, s+len(g.capitals.keys[i]), g.capitals.patterns[i])
			}
		}
		if e < 0 || p.capFirst && !upper {
			continue
		}
		dst = appendValid(dst, text, s, e, p)
	}
	return dst
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
	return append(dst, span{start: s, end: e, entity: p.entity})
}

// leftBoundary reports whether a match may start at i: at the start of the
// text or after a character that is not a letter or digit (space,
// punctuation, the hyphen of "anti-NATO").
func leftBoundary(text string, i int) bool {
	if i == 0 {
		return true
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
	r, _ := utf8.DecodeRuneInString(text[i:])
	return !isWordRune(r)
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
func overlapsAny(ms []Mention, s, e int) bool {
	i, _ := slices.BinarySearchFunc(ms, s, func(m Mention, s int) int { return m.End - s - 1 })
	return i < len(ms) && ms[i].Start < e && ms[i].End > s
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
	m := b.build(true, false)
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
