package relations

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"math"
	"math/bits"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/features"
)

// Generic actors are the unnamed parties news reports events between:
// "police", "rebels", "protesters", "the government", "troops". Their table,
// data/agents.tsv (phrase, tab, role), is derived from the Phoenix agents
// dictionary of PETRARCH-2 (MIT, Open Event Data Alliance) by
// DeriveAgents, plus the team's additions below; TestAgentsTable keeps the
// committed file equal to the derivation.
//
//go:embed data/agents.tsv
var agentsTSV string

// Roles: the agent codes of the Phoenix dictionary that name actors of
// events between states and groups, and the role each becomes.
var roles = map[string]string{
	"GOV": "government", "MIL": "military", "REB": "rebels", "COP": "police", "OPP": "opposition",
	"LEG": "legislature", "JUD": "judiciary", "SPY": "intelligence", "UAF": "gunmen",
}

// teamAgents are actors the dictionary lacks or files under codes left out
// above (civilians, activists, protesters).
var teamAgents = [][2]string{
	{"protesters", "protesters"}, {"protester", "protesters"}, {"demonstrators", "protesters"},
	{"demonstrator", "protesters"}, {"activists", "activists"}, {"activist", "activists"},
	{"civilians", "civilians"}, {"troops", "military"}, {"soldiers", "military"}, {"militants", "militants"},
	{"militant", "militants"}, {"insurgents", "rebels"}, {"insurgent", "rebels"}, {"fighters", "rebels"},
	{"separatists", "rebels"}, {"jihadists", "militants"}, {"security forces", "police"},
	{"authorities", "government"}, {"officials", "government"}, {"lawmakers", "legislature"},
	{"forces", "military"}, {"regime", "government"}, {"administration", "government"},
}

// standalone are the generic actors that are parties without a state
// named before them; in the plural, with their singular where it is used
// alone ("the army", "the government").
var standalone = map[string]bool{}

func init() {
	for _, w := range []string{"police", "rebels", "rebel", "protesters", "demonstrators", "troops", "soldiers", "militants",
		"insurgents", "army", "military", "government", "opposition", "gunmen", "fighters", "jihadists", "separatists",
		"activists", "civilians", "security forces", "militia", "militias", "guerrillas", "junta", "regime", "smugglers",
		"pirates", "terrorists", "extremists", "settlers", "coast guard", "navy", "air force", "forces"} {
		standalone[w] = true
	}
}

// maxAgentWords is the longest phrase kept: longer ones are titles
// ("army general chief of staff") that name a person, not an actor.
const maxAgentWords = 3

var agentLine = regexp.MustCompile(`^([A-Z][A-Z'\-_.]*)\s*(\{([^}]*)\})?\s*\[~([A-Z]{3})[A-Z]*\]`)

// DeriveAgents reads the Phoenix agents dictionary and returns the table
// file: one lowercase phrase, a tab and its role a line, sorted. Regular
// plurals are added unless the entry says otherwise ("{}": none;
// "{X}": X).
func DeriveAgents(phoenix io.Reader) (string, error) {
	table := map[string]string{}
	put := func(phrase, role string) {
		phrase = strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(phrase, "_", " ")), " "))
		if phrase == "" || strings.Count(phrase, " ") >= maxAgentWords {
			return
		}
		if _, ok := table[phrase]; !ok {
			table[phrase] = role
		}
	}
	sc := bufio.NewScanner(phoenix)
	for sc.Scan() {
		line := sc.Text()
		if strings.Contains(line, "!") {
			continue // substitution sets and their uses
		}
		m := agentLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		role, ok := roles[m[4]]
		if !ok {
			continue
		}
		put(m[1], role)
		switch {
		case m[2] == "":
			put(plural(m[1]), role)
		case strings.TrimSpace(m[3]) != "":
			put(m[3], role)
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	for _, a := range teamAgents {
		table[a[0]] = a[1]
	}
	keys := make([]string, 0, len(table))
	for k := range table {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s\t%s\n", k, table[k])
	}
	return b.String(), nil
}

func plural(w string) string {
	switch {
	case strings.HasSuffix(w, "Y") && !strings.HasSuffix(w, "EY") && !strings.HasSuffix(w, "AY"):
		return w[:len(w)-1] + "IES"
	case strings.HasSuffix(w, "S"), strings.HasSuffix(w, "SH"), strings.HasSuffix(w, "CH"), strings.HasSuffix(w, "X"):
		return w + "ES"
	}
	return w + "S"
}

// agentTable is the embedded table, parsed once: phrase -> its agent,
// and the phrases by their first word.
type agentTable struct {
	phrases map[string]agent
	// first numbers the phrases' first words: byFirst[first[w]] are the
	// phrases that start with w, longest first, so that a token is looked
	// up once and the words after it compared, rather than each phrase it
	// may start built and looked up ("the" starts four).
	first   map[string]int32
	byFirst [][]agentPhrase
	// firstSeen has the bit foldKey(w) set for each first word w: most
	// words of a sentence fail it, read from the text, without loading
	// their lowered form.
	firstSeen [1 << foldKeyBits / 64]uint64
	// slots finds a first word by its foldKey without hashing it again:
	// an open-addressing table of their numbers plus one, from slot
	// foldKey&slotMask on, 0 for none. firstWords are the words by number.
	slots      []uint16
	slotMask   uint32
	firstWords []string
	// marks are the words' WordMarker bits (markFirstOne, ...).
	marks map[string]uint8
}

// The marks a word of the text gets (features.SetWordMarker), from which
// FindGeneric tells the tokens that may start a phrase without reading
// them: of the words of a wanted sentence, a sixth start some phrase ("the",
// "a", "state"), but few are followed by a word that goes on one.
const (
	// markFirstOne: the word is a phrase of one word ("police").
	markFirstOne uint8 = 1 << iota
	// markFirstMore: the word starts a phrase of more words.
	markFirstMore
	// markSecond: the word is the second of some phrase.
	markSecond
)

func init() { features.SetWordMarker(wordMarks) }

// wordMarks is the WordMarker of the generic actor table. A word is
// matched (firstAt, longestAt) as lowered gives it: lowered when it is
// not ASCII, ASCII-lowered when it is; it gets the marks of both forms, so
// that a word without a mark is never matched.
func wordMarks(surface, lower string) uint8 {
	t := agents()
	m := t.marks[lower]
	if len(surface) <= maxWordBytes && isASCII(surface) {
		var buf [maxWordBytes]byte
		m |= t.marks[string(foldASCII(buf[:0], surface))]
	}
	return m
}

func isASCII(s string) bool {
	for k := 0; k < len(s); k++ {
		if s[k] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// agentPhrase is a phrase of the table under its first word.
type agentPhrase struct {
	rest []string // the words after the first
	agent
}

// foldKey returns the key of a word in agentTable.firstSeen and slots: a
// hash of its first two and last two bytes with ASCII letters in lower
// case (bit 5 set). Where those bytes of a token's text are ASCII, they
// are the same bytes of its lowered form, lowered, whatever the rest of
// it is, since lowering goes rune by rune and keeps an ASCII rune one
// byte; so the text gives the key without the lowered form. ok is false
// where they are not ASCII.
func foldKey(w string) (bit uint32, ok bool) {
	n := len(w)
	if n == 0 {
		return 0, false
	}
	b0, b1, b2, b3 := w[0], w[min(1, n-1)], w[max(n-2, 0)], w[n-1]
	if (b0 | b1 | b2 | b3) >= utf8.RuneSelf {
		return 0, false
	}
	k := uint32(b0|0x20) | uint32(b1|0x20)<<8 | uint32(b2|0x20)<<16 | uint32(b3|0x20)<<24
	return (k * 0x9e3779b1) >> (32 - foldKeyBits), true
}

// foldKeyBits is the width of foldKey: for the 716 first words, 1 bit in
// 90 of agentTable.firstSeen is set.
const foldKeyBits = 16

// agent is a phrase's role, as an entity ID ("generic:police"), and
// whether it is a party on its own, without a state before it.
type agent struct {
	role       string
	standalone bool
}

var agents = sync.OnceValue(func() *agentTable {
	t := &agentTable{phrases: map[string]agent{}, first: map[string]int32{}, marks: map[string]uint8{}}
	for line := range strings.SplitSeq(agentsTSV, "\n") {
		phrase, role, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		a := agent{role: "generic:" + role, standalone: standalone[phrase]}
		t.phrases[phrase] = a
		words := strings.Split(phrase, " ")
		if len(words) > maxAgentWords {
			continue // never matched: FindGeneric reads at most maxAgentWords
		}
		if len(words) == 1 {
			t.marks[words[0]] |= markFirstOne
		} else {
			t.marks[words[0]] |= markFirstMore
			t.marks[words[1]] |= markSecond
		}
		n, ok := t.first[words[0]]
		if !ok {
			n = int32(len(t.byFirst))
			t.first[words[0]] = n
			t.byFirst = append(t.byFirst, nil)
			t.firstWords = append(t.firstWords, words[0])
		}
		t.byFirst[n] = append(t.byFirst[n], agentPhrase{rest: words[1:], agent: a})
	}
	for _, ps := range t.byFirst {
		slices.SortStableFunc(ps, func(a, b agentPhrase) int { return len(b.rest) - len(a.rest) })
	}
	// A quarter full at most, so that a probe ends soon.
	size := 1 << bits.Len(uint(4*len(t.firstWords)))
	if len(t.firstWords) >= math.MaxUint16 {
		panic("relations: too many first words for agentTable.slots")
	}
	t.slots, t.slotMask = make([]uint16, size), uint32(size-1)
	for n, w := range t.firstWords {
		h, ok := foldKey(w)
		if !ok {
			continue // firstAt looks such a word up in first
		}
		t.firstSeen[h/64] |= 1 << (h % 64)
		s := h & t.slotMask
		for t.slots[s] != 0 {
			s = (s + 1) & t.slotMask
		}
		t.slots[s] = uint16(n + 1)
	}
	return t
})

// firstAt returns the number in first of token i of d, a word, if it is
// a first word of the table. It reads the token's text rather than its
// lowered form, which is in the token's lexeme: loading that was half of
// FindGeneric, a cache miss a token.
func (t *agentTable) firstAt(d *features.Document, i int) (int32, bool) {
	tok := d.Tokens[i]
	w := d.Text[tok.Start:tok.End]
	h, ok := foldKey(w)
	if !ok {
		w = d.LowerFast(i)
		if h, ok = foldKey(w); !ok {
			n, ok := t.first[w]
			return n, ok
		}
	}
	if t.firstSeen[h/64]&(1<<(h%64)) == 0 {
		return 0, false
	}
	var buf [maxWordBytes]byte
	lw, ok := lowered(buf[:0], d, i)
	if !ok {
		return 0, false
	}
	for s := h & t.slotMask; t.slots[s] != 0; s = (s + 1) & t.slotMask {
		if n := int32(t.slots[s]) - 1; t.firstWords[n] == string(lw) {
			return n, true
		}
	}
	return 0, false
}

// maxWordBytes is the longest word that lowered returns: no word of the
// table is longer (TestAgentsTable).
const maxWordBytes = 48

// longestAt returns the longest phrase of the table that starts at token i
// of d, a word that is first of phrases byFirst[n], and ends by token end,
// and the token after it; ok is false when none does.
func (t *agentTable) longestAt(d *features.Document, n int32, i, end int) (a agent, after int, ok bool) {
	// The words after token i, lowered once for all the phrases.
	var bufs [maxAgentWords - 1][maxWordBytes]byte
	var next [maxAgentWords - 1][]byte
	var done, fits [maxAgentWords - 1]bool
	for _, p := range t.byFirst[n] {
		if i+1+len(p.rest) > end {
			continue
		}
		match := true
		for k, w := range p.rest {
			if !done[k] {
				next[k], fits[k] = lowered(bufs[k][:0], d, i+1+k)
				done[k] = true
			}
			if !fits[k] || string(next[k]) != w {
				match = false
				break
			}
		}
		if match {
			return p.agent, i + 1 + len(p.rest), true
		}
	}
	return agent{}, 0, false
}

// lowered appends token i of d lowered to dst, as LowerFast gives it, if
// that is at most maxWordBytes long; otherwise it returns dst and false
// (no phrase has such a word). ASCII text is lowered here, which spares
// loading the token's lexeme.
func lowered(dst []byte, d *features.Document, i int) ([]byte, bool) {
	tok := d.Tokens[i]
	s := d.Text[tok.Start:tok.End]
	for k := 0; k < len(s); k++ {
		if s[k] >= utf8.RuneSelf {
			if s = d.LowerFast(i); len(s) > maxWordBytes {
				return dst, false
			}
			return append(dst, s...), true
		}
	}
	if len(s) > maxWordBytes {
		return dst, false
	}
	return foldASCII(dst, s), true
}

// foldASCII appends ASCII w lowered as features lowers words: A-Z only.
func foldASCII(dst []byte, w string) []byte {
	for k := 0; k < len(w); k++ {
		dst = append(dst, lowerASCII(w[k]))
	}
	return dst
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Agents returns the number of phrases in the generic actor table.
func Agents() int { return len(agents().phrases) }

// Generic is a generic actor found in a text: Tokens[First:End], with its
// role, and the state it belongs to when a mention of one stands right
// before it ("Iraqi police", "Iran's government"): then First is that
// mention's first token.
type Generic struct {
	First, End int
	Entity     entities.Entity
}

// FindGeneric appends the generic actors of the sentences of c's document
// with want set. A phrase inside a target's tokens is skipped (a named
// mention wins), and one that follows a target of a state or group right
// after (or after its possessive) takes that target in: it is that state's
// police, army or government. targets and ents are the document's
// mentions in token order and their entities.
//
// Only the tokens whose word marks (wordMarks) allow a phrase there are
// read: a word of a phrase of one, or the first word of a longer one
// followed by a second word of one.
func FindGeneric(dst []Generic, c *features.Context, want []bool, targets []features.Target, ents []entities.Entity) []Generic {
	return findGeneric(dst, c, want, targets, ents, true)
}

// findGeneric is FindGeneric; without useMarks it reads every word, as
// it does for a document whose words are not marked.
func findGeneric(dst []Generic, c *features.Context, want []bool, targets []features.Target, ents []entities.Entity, useMarks bool) []Generic {
	tab := agents()
	d := c.Doc
	ti := 0
	for si, s := range d.Sentences {
		if si >= len(want) || !want[si] {
			continue
		}
		marks, marked := c.SentenceMarks(si)
		marked = marked && useMarks
		for i := s.First; i < s.End; i++ {
			if marked {
				m := marks[i-s.First]
				if m&markFirstOne == 0 && (m&markFirstMore == 0 || i+1 == s.End || marks[i+1-s.First]&markSecond == 0) {
					continue
				}
			}
			if d.Tokens[i].Kind != features.KindWord {
				continue
			}
			n, ok := tab.firstAt(d, i)
			if !ok {
				continue
			}
			a, end, ok := tab.longestAt(d, n, i, min(s.End, i+maxAgentWords))
			if !ok {
				continue
			}
			role, standalone := a.role, a.standalone
			for ti < len(targets) && targets[ti].End <= i {
				ti++
			}
			if ti < len(targets) && targets[ti].First < end {
				i = end - 1
				continue // part of a named mention
			}
			g := Generic{First: i, End: end, Entity: entities.Entity{ID: role, Name: role[len("generic:"):], Type: entities.TypeGroup}}
			if p := ti - 1; p >= 0 && linksTo(d, targets[p], i) {
				e := ents[p]
				switch e.Type {
				case entities.TypeCountry, entities.TypeGroup, entities.TypeOrganization:
					g.First = targets[p].First
					g.Entity.Country = e.ID
				}
			}
			if g.Entity.Country == "" && !standalone {
				// Unlinked, only the actors news names on their own:
				// "police fired on protesters", not "the ministry" or
				// "officials", which are someone's spokespeople.
				i = end - 1
				continue
			}
			dst = append(dst, g)
			i = end - 1
		}
	}
	return dst
}

// linksTo reports whether target t modifies the phrase at token i: "Iraqi
// police", "Iran's government", "the Syrian army".
func linksTo(d *features.Document, t features.Target, i int) bool {
	switch t.End {
	case i:
		return true
	case i - 1:
		w := d.Surface(t.End)
		return w == "'s" || w == "’s"
	}
	return false
}
