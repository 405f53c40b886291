package entities

import "strings"

// Group is every mention of one entity.
type Group struct {
	Entity Entity
	// Mentions are indices into the mention slice given to GroupMentions.
	Mentions []int
	// Salience is in [0,1]; it sums to 1 over the groups of a document.
	Salience float64
}

// Salience weights. An entity is central when it is named often, early, and
// in the headline or lead sentence, the way news puts its subject first.
const (
	weightMention = 1.0 // every mention
	weightLead    = 1.0 // extra for a mention in the first sentence or title line
	weightEarly   = 0.5 // extra, falling linearly from the start to the end of the text
)

// GroupMentions groups mentions by Entity.ID, in order of first mention, and
// scores each group's salience.
func GroupMentions(text string, mentions []Mention) []Group {
	var g Grouper
	return g.Group(text, mentions)
}

// Grouper is GroupMentions for a caller that groups document after
// document: it reuses its memory from one call to the next.
type Grouper struct {
	groups []Group
	ints   []int
	index  map[string]int // kept, cleared, for documents with many entities
}

// Group is GroupMentions. What it returns is valid until the next call.
func (gr *Grouper) Group(text string, mentions []Mention) []Group {
	if len(mentions) == 0 {
		return nil
	}
	lead := leadEnd(text)
	groups := gr.groups[:0]
	// Each mention's group, then the groups' mention lists, then their
	// sizes: one array.
	if n := 3 * len(mentions); cap(gr.ints) < n {
		gr.ints = make([]int, n)
	}
	of, lists, count := gr.ints[:len(mentions)], gr.ints[len(mentions):2*len(mentions)], gr.ints[2*len(mentions):2*len(mentions)]
	// A document names a handful of entities, so a linear search beats
	// building a map; past smallGroups distinct entities, a map takes over.
	const smallGroups = 16
	var index map[string]int
	total := 0.0
	for i, m := range mentions {
		gi := -1
		if index != nil {
			if j, ok := index[m.Entity.ID]; ok {
				gi = j
			}
		} else {
			for j := range groups {
				if groups[j].Entity.ID == m.Entity.ID {
					gi = j
					break
				}
			}
		}
		if gi < 0 {
			gi = len(groups)
			groups = append(groups, Group{Entity: m.Entity})
			if index != nil {
				index[m.Entity.ID] = gi
			} else if len(groups) > smallGroups {
				if gr.index == nil {
					gr.index = make(map[string]int, 4*smallGroups)
				}
				index = gr.index
				clear(index)
				for j := range groups {
					index[groups[j].Entity.ID] = j
				}
			}
		}
		of[i] = gi
		w := weightMention
		if m.Start < lead {
			w += weightLead
		}
		if len(text) > 0 {
			w += weightEarly * (1 - float64(m.Start)/float64(len(text)))
		}
		groups[gi].Salience += w
		total += w
	}
	// Every group's mention list is a piece of one array: count, cut, fill.
	count = count[:len(groups)]
	clear(count)
	for _, gi := range of {
		count[gi]++
	}
	for i, n := range count {
		groups[i].Mentions, lists = lists[:0:n], lists[n:]
	}
	for i, gi := range of {
		groups[gi].Mentions = append(groups[gi].Mentions, i)
	}
	for i := range groups {
		groups[i].Salience /= total
	}
	gr.groups = groups
	return groups
}

// leadEnd returns the end of the title line or first sentence, whichever
// comes first.
func leadEnd(text string) int {
	t := strings.TrimLeft(text, " \t\r\n")
	off := len(text) - len(t)
	end := len(t)
	if i := strings.IndexByte(t, '\n'); i >= 0 {
		end = i
	}
	for _, p := range [...]string{". ", "? ", "! ", ".\n", ".\u201d ", ".\" "} {
		if i := strings.Index(t[:end], p); i >= 0 && i+1 < end {
			end = i + 1
		}
	}
	return off + end
}
