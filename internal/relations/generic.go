package relations

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"

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
// and the set of first words.
type agentTable struct {
	phrases map[string]agent
	first   map[string]bool
	// firstSeen is a bit per (length, first letter, last letter) of the
	// first words: most words of a sentence fail it without hashing.
	firstSeen [1 << 14]bool
}

func firstKey(w string) int {
	return min(len(w), 15)<<10 | int(w[0]&31)<<5 | int(w[len(w)-1]&31)
}

// maybeFirst reports whether w may be a first word of the table.
func (t *agentTable) maybeFirst(w string) bool { return w != "" && t.firstSeen[firstKey(w)] }

// agent is a phrase's role, as an entity ID ("generic:police"), and
// whether it is a party on its own, without a state before it.
type agent struct {
	role       string
	standalone bool
}

var agents = sync.OnceValue(func() *agentTable {
	t := &agentTable{phrases: map[string]agent{}, first: map[string]bool{}}
	for line := range strings.SplitSeq(agentsTSV, "\n") {
		phrase, role, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		t.phrases[phrase] = agent{role: "generic:" + role, standalone: standalone[phrase]}
		w, _, _ := strings.Cut(phrase, " ")
		t.first[w] = true
		t.firstSeen[firstKey(w)] = true
	}
	return t
})

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

// FindGeneric appends the generic actors of the sentences of d with want
// set. A phrase inside a target's tokens is skipped (a named mention
// wins), and one that follows a target of a state or group right after
// (or after its possessive) takes that target in: it is that state's
// police, army or government. targets and ents are the document's
// mentions in token order and their entities.
func FindGeneric(dst []Generic, d *features.Document, want []bool, targets []features.Target, ents []entities.Entity) []Generic {
	tab := agents()
	ti := 0
	for si, s := range d.Sentences {
		if si >= len(want) || !want[si] {
			continue
		}
		lower := d.LowerFast
		for i := s.First; i < s.End; i++ {
			if d.Tokens[i].Kind != features.KindWord {
				continue
			}
			if w := lower(i); !tab.maybeFirst(w) || !tab.first[w] {
				continue
			}
			// The longest phrase at i, built in a buffer: a map lookup of
			// string(buf) does not copy it.
			end, role, standalone := 0, "", false
			var buf [96]byte
			phrase := buf[:0]
			for j := i; j < min(s.End, i+maxAgentWords); j++ {
				if j > i {
					phrase = append(phrase, ' ')
				}
				phrase = append(phrase, lower(j)...)
				if a, ok := tab.phrases[string(phrase)]; ok {
					end, role, standalone = j+1, a.role, a.standalone
				}
			}
			if end == 0 {
				continue
			}
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
