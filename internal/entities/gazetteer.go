package entities

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	ahocorasick "github.com/petar-dambovaliev/aho-corasick"

	"github.com/stance/classifierd/internal/entities/data"
)

// Pattern kinds other than an entity index.
const (
	kindBlock = -1 // a phrase that names nothing but hides shorter aliases
	kindTitle = -2 // a title that can precede a personal name
)

// Marks of an alias (M rows of the table, derived by cmd/gazettegen):
// forms that name their entity only in some contexts (context.go).
const (
	markPlace     = 1 << iota // a city: its state only as its government
	markQualified             // a state name shared with a namesake: needs support
	// markArticle is set on the aliases written with "the" ("the West"):
	// the key leaves the article out, so that the many words that start
	// with "th" walk no further, and a match needs it before.
	markArticle
)

// pattern is what a key of a trie or an automaton stands for.
type pattern struct {
	entity int32 // index into Gazetteer.ents, or kindBlock / kindTitle
	// capFirst requires an upper-case first letter in the text, so that
	// "Turkey" matches but "turkey" does not.
	capFirst bool
	// plural allows a trailing "s" ("Iranians" from "Iranian").
	plural bool
	marks  uint8 // markPlace, markQualified
}

// matcher is one Aho-Corasick automaton plus what its patterns mean. Only
// caller targets use one now; the built-in entries are in tries.
type matcher struct {
	ac       ahocorasick.AhoCorasick
	patterns []pattern
	// cased, when set, holds per pattern the text a case-folding automaton
	// must match exactly ("" for none): caller targets share one automaton
	// for all-capital and mixed-case surfaces.
	cased []string
}

// Gazetteer is a compiled entity table. It is immutable and safe for
// concurrent use.
type Gazetteer struct {
	// The fields with pointers come first: a collection cycle scans an
	// object only up to its last pointer, and the tables at the end take
	// 17 KB. None of the slices' arrays holds pointers (see table.go).
	//
	// text holds every entity's ID and Name, then the surnames' keys.
	text string
	ents []entityRec
	// surnames holds the lower-cased last names of people, for title names
	// and short references.
	surnames []surname
	// given holds the lower-cased first names of people (text[start:end],
	// sorted; entity unused), to tell "Denzel Washington" from "Yesterday
	// Washington" at the start of a sentence.
	given []surname
	// refers are the phrases that refer back to one of a set of entities
	// ("the alliance": NATO, CSTO, ...), by entity index; referWords are
	// their nouns ("alliance"), which Find looks for only in a text that
	// names a member of the set.
	refers     [][]int32
	referWords []string
	scratch    sync.Pool // *scratch, reused across Find calls
	// folded holds the case-insensitive aliases, titles and blocked
	// phrases, lower-cased, and walks the text folding ASCII case. Its
	// values from people on are people's names with a capital first letter,
	// which only words with a capital may match (see compile); lower holds
	// its keys that need no capital.
	folded trie
	lower  trie
	// capitals holds the all-capital aliases that start with a capital
	// ("US", "NATO"), exact any others; both match as written.
	capitals trie
	exact    trie
	people   int32 // the first value of folded that is a person's name
	aliases  int
	// first classifies the bytes for the scan in collectBuiltin.
	first [256]uint8
	// lowerPairs holds the pairs of bytes that lower's keys start with, a
	// test that most lower-case words fail without a walk.
	lowerPairs   pairSet
	capitalPairs pairSet // rules out "The" and "Iran", most capitalised words
}

var (
	defaultOnce sync.Once
	defaultGaz  *Gazetteer
)

// Default returns the gazetteer embedded in the binary. It is built once on
// first use; the embedded table is verified by tests, so a load failure is a
// build defect and panics.
func Default() *Gazetteer {
	defaultOnce.Do(func() {
		// A snapshot that is stale or fails its checks is ignored and the
		// table loaded instead; a test checks that the embedded one is the
		// table's and reads as loading it gives.
		g, err := readSnapshot(data.Snapshot(), data.Table())
		if err != nil {
			g, err = Load(data.Gazetteer())
		}
		if err != nil {
			panic("entities: embedded gazetteer: " + err.Error())
		}
		defaultGaz = g
	})
	return defaultGaz
}

// Entities returns the number of entities in the table.
func (g *Gazetteer) Entities() int { return len(g.ents) }

// Aliases returns the number of surface forms that name an entity.
func (g *Gazetteer) Aliases() int { return g.aliases }

// Load reads a gazetteer table as written by cmd/gazettegen (gzip-compressed
// or plain TSV) and builds its matchers. It checks the whole table and
// reports every problem at once.
func Load(r io.Reader) (*Gazetteer, error) {
	g, fb, xb, err := readTable(r)
	if err != nil {
		return nil, err
	}
	g.compile(&fb, &xb)
	return g, nil
}

// readTable reads and checks a table: the entities, and the patterns of the
// case-insensitive (fb) and all-capital (xb) aliases, titles and blocked
// phrases.
func readTable(r io.Reader) (g *Gazetteer, fb, xb builder, err error) {
	br := bufio.NewReader(r)
	var in io.Reader = br
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fb, xb, fmt.Errorf("gazetteer: %w", err)
		}
		defer zr.Close()
		in = zr
	}
	// The table is read whole and its lines and fields cut from one
	// string: a string and a slice of fields per line were most of the
	// 200,000 allocations of loading the embedded table. Nothing the
	// gazetteer keeps may point into it (refer words are cloned; pack
	// copies the rest).
	var sb strings.Builder
	sb.Grow(1 << 20)
	if _, err := io.Copy(&sb, in); err != nil {
		return nil, fb, xb, fmt.Errorf("gazetteer: %w", err)
	}
	text := sb.String()
	nlines := strings.Count(text, "\n") + 1
	g = &Gazetteer{}
	index := make(map[string]int32, nlines/2)
	type alias struct {
		entity int32
		text   string
	}
	var (
		errs    []error
		ents    = make([]Entity, 0, nlines/2) // Country is an ID here, an index once packed
		aliases = make([]alias, 0, nlines/2)
		titles  []string
		blocks  []string
		marks   = map[string]uint8{}
	)
	n := 0
	var fields [6]string
	for text != "" {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		n++
		line = strings.TrimSuffix(line, "\r")
		if len(line) > maxLineBytes {
			errs = append(errs, fmt.Errorf("line %d: longer than %d bytes", n, maxLineBytes))
			break
		}
		if line == "" || line[0] == '#' {
			continue
		}
		f := splitTabs(line, &fields)
		bad := func(format string, a ...any) {
			errs = append(errs, fmt.Errorf("line %d: "+format, append([]any{n}, a...)...))
		}
		switch f[0] {
		case "E":
			if len(f) != 5 {
				bad("entity row needs 5 fields, has %d", len(f))
				continue
			}
			t, ok := parseType(f[2])
			if !ok {
				bad("unknown type %q", f[2])
			}
			if f[1] == "" || f[4] == "" {
				bad("empty id or name")
			}
			if _, dup := index[f[1]]; dup {
				bad("duplicate entity %s", f[1])
				continue
			}
			index[f[1]] = int32(len(ents))
			ents = append(ents, Entity{ID: f[1], Type: t, Country: f[3], Name: f[4]})
		case "A":
			if len(f) != 3 || f[2] == "" {
				bad("alias row needs an id and a non-empty alias")
				continue
			}
			e, ok := index[f[1]]
			if !ok {
				bad("alias %q for unknown entity %s", f[2], f[1])
				continue
			}
			aliases = append(aliases, alias{e, f[2]})
		case "T":
			if len(f) != 2 || f[1] == "" {
				bad("title row needs a title")
				continue
			}
			titles = append(titles, f[1])
		case "M":
			if len(f) != 3 || f[1] == "" {
				bad("mark row needs an alias and marks")
				continue
			}
			var m uint8
			for _, c := range f[2] {
				switch c {
				case 'c':
					m |= markPlace
				case 'q':
					m |= markQualified
				default:
					bad("unknown mark %q", c)
				}
			}
			marks[strings.ToLower(f[1])] |= m
		case "R":
			if len(f) != 3 || f[1] == "" || f[2] == "" {
				bad("refer row needs a phrase and entity ids")
				continue
			}
			var ids []int32
			for _, id := range strings.Split(f[2], ",") {
				e, ok := index[id]
				if !ok {
					bad("refer %q: unknown entity %s", f[1], id)
					continue
				}
				ids = append(ids, e)
			}
			w, ok := strings.CutPrefix(f[1], "the ")
			if !ok || w == "" || strings.ContainsAny(w, " \t") {
				bad("refer phrase %q: want \"the\" and one word", f[1])
				continue
			}
			g.refers = append(g.refers, ids)
			g.referWords = append(g.referWords, strings.Clone(w))
		case "B":
			if len(f) != 2 || f[1] == "" {
				bad("block row needs a phrase")
				continue
			}
			blocks = append(blocks, f[1])
		default:
			bad("unknown row kind %q", f[0])
		}
	}
	for _, e := range ents {
		if e.Country != "" {
			if _, ok := index[e.Country]; !ok {
				errs = append(errs, fmt.Errorf("entity %s: unknown country %s", e.ID, e.Country))
			}
		}
	}
	if len(ents) == 0 {
		errs = append(errs, errors.New("no entities"))
	}
	if len(errs) == 0 {
		if err := g.pack(ents, index); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fb, xb, fmt.Errorf("gazetteer: %w", err)
	}
	for _, a := range aliases {
		m := marks[strings.ToLower(a.text)]
		if rest, ok := strings.CutPrefix(a.text, "the "); ok && rest != "" {
			a.text = rest
			m |= markArticle
		}
		if isExact(a.text) {
			xb.add(a.text, pattern{entity: a.entity, marks: m})
		} else {
			fb.add(a.text, pattern{entity: a.entity, capFirst: startsUpper(a.text), plural: endsLowerLetter(a.text), marks: m})
		}
	}

	for _, t := range titles {
		fb.add(t, pattern{entity: kindTitle, capFirst: startsUpper(t)})
	}
	for _, b := range blocks {
		fb.add(b, pattern{entity: kindBlock, capFirst: startsUpper(b)})
	}
	g.aliases = len(aliases)
	return g, fb, xb, nil
}

// maxLineBytes bounds a line of a table, as bufio.Scanner did when tables
// were read line by line.
const maxLineBytes = 1024 * 1024

// splitTabs returns the tab-separated fields of line, in f's array while
// they fit (a line with more fields than that is refused for their number,
// so those past it are not needed, only counted).
func splitTabs(line string, f *[6]string) []string {
	n := strings.Count(line, "\t") + 1
	if n > len(f) {
		return strings.Split(line, "\t")
	}
	for i := range n - 1 {
		f[i], line, _ = strings.Cut(line, "\t")
	}
	f[n-1] = line
	return f[:n]
}

// compile builds the tries for the patterns of readTable.
func (g *Gazetteer) compile(fb, xb *builder) {
	// People's names with a capital first letter go last in the folded
	// trie, so that a limit leaves them out where a word starts in lower
	// case; they were a separate index once, and Find still treats them as
	// one. The all-capital aliases that start with a capital letter are
	// walked at every such word start, the rest (none in the embedded
	// table) in a pass of their own.
	var hot, names, capitals, rest builder
	for i, t := range fb.texts {
		p := fb.patterns[i]
		if p.entity >= 0 && g.ents[p.entity].typ == TypePerson && p.capFirst && len(t) >= peopleWidth {
			names.texts = append(names.texts, asciiLower(t))
			names.patterns = append(names.patterns, p)
		} else {
			hot.texts = append(hot.texts, asciiLower(t))
			hot.patterns = append(hot.patterns, p)
		}
	}
	for i, t := range xb.texts {
		if len(t) >= capitalsWidth && 'A' <= t[0] && t[0] <= 'Z' {
			capitals.texts = append(capitals.texts, t)
			capitals.patterns = append(capitals.patterns, xb.patterns[i])
		} else {
			rest.texts = append(rest.texts, t)
			rest.patterns = append(rest.patterns, xb.patterns[i])
		}
	}
	var lower builder
	for i, t := range hot.texts {
		if !hot.patterns[i].capFirst {
			lower.texts = append(lower.texts, t)
		}
	}
	g.people = int32(len(hot.texts))
	g.folded = newTrie(append(hot.texts, names.texts...), append(hot.patterns, names.patterns...), true)
	g.lower = newTrie(lower.texts, nil, true)
	g.capitals = newTrie(capitals.texts, capitals.patterns, false)
	g.exact = newTrie(rest.texts, rest.patterns, false)
	g.finish()
}

// The split of the built-in patterns that Find relies on: names shorter
// than peopleWidth, and all-capital aliases shorter than capitalsWidth, stay
// with the patterns that every word start may match.
const (
	peopleWidth   = 3
	capitalsWidth = 2
)

// builder collects patterns for one trie or automaton, merging duplicates
// that it could not tell apart.
type builder struct {
	texts    []string
	patterns []pattern
	seen     map[string]int
}

func (b *builder) add(text string, p pattern) {
	if b.seen == nil {
		b.seen = map[string]int{}
	}
	key := text
	if !isExact(text) {
		key = strings.ToLower(text)
	}
	if i, ok := b.seen[key]; ok {
		old := &b.patterns[i]
		// An entity beats a title or a blocked phrase of the same text, and
		// a lower-case variant relaxes the capital-letter requirement.
		if old.entity < 0 && p.entity >= 0 {
			*old = p
		} else if old.entity == p.entity {
			old.capFirst = old.capFirst && p.capFirst
		}
		return
	}
	b.seen[key] = len(b.texts)
	b.texts = append(b.texts, text)
	b.patterns = append(b.patterns, p)
}

// build compiles the patterns into an automaton, folding ASCII case if fold
// is set. Per-call caller targets get an NFA, which is far cheaper to build
// than a DFA for a handful of names.
func (b *builder) build(fold bool) matcher {
	ab := ahocorasick.NewAhoCorasickBuilder(ahocorasick.Opts{
		AsciiCaseInsensitive: fold,
		MatchKind:            ahocorasick.LeftMostLongestMatch,
	})
	return matcher{ac: ab.Build(b.texts), patterns: b.patterns}
}

// isExact reports whether an alias is matched case-sensitively: it has
// letters and none of them is lower case ("US", "U.S.", "NATO", "G7"). This
// keeps "US" the country apart from "us".
func isExact(s string) bool {
	letters := false
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters = true
		}
	}
	return letters
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

func endsLowerLetter(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsLower(r) && r != 's'
}

// lastWord returns the last space-separated word of s.
func lastWord(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		return s[i+1:]
	}
	return s
}

// asciiLower lower-cases the ASCII letters of s and nothing else, as the
// folded trie's byte classes do to a text.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + ('a' - 'A')
				}
			}
			return string(b)
		}
	}
	return s
}
