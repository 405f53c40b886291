package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// actorBlock is one record of a PETRARCH actor dictionary: a primary phrase,
// its '+' synonyms and the codes that apply to it (inline or on tab-indented
// date-restriction lines).
type actorBlock struct {
	primary  string
	synonyms []string
	codes    []actorCode
	comment  string // comments on the primary line, e.g. "CountryInfo.txt"
	line     int
}

// actorCode is one "[CODE date-restriction]" entry.
type actorCode struct {
	code     string
	openEnd  bool // no restriction or ">date": still applies today
	restrict string
}

// current returns the code that applies today: the last open-ended one, else
// the last one listed. Phoenix lists restrictions chronologically, so the last
// entry is the most recent role.
func (b *actorBlock) current() string {
	for i := len(b.codes) - 1; i >= 0; i-- {
		if b.codes[i].openEnd {
			return b.codes[i].code
		}
	}
	if len(b.codes) > 0 {
		return b.codes[len(b.codes)-1].code
	}
	return ""
}

// parseActors reads a PETRARCH actor dictionary (see dictionaries.rst in the
// Phoenix distribution).
func parseActors(r io.Reader) ([]*actorBlock, error) {
	var (
		blocks []*actorBlock
		cur    *actorBlock
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	n := 0
	for sc.Scan() {
		n++
		raw := sc.Text()
		body, comment, _ := strings.Cut(raw, "#")
		if strings.TrimSpace(body) == "" {
			continue
		}
		switch {
		case raw[0] == '\t' || raw[0] == ' ':
			if cur == nil {
				return nil, fmt.Errorf("line %d: code line before any actor", n)
			}
			cur.codes = append(cur.codes, parseCodes(body)...)
		case raw[0] == '+':
			if cur == nil {
				return nil, fmt.Errorf("line %d: synonym before any actor", n)
			}
			phrase, codes := splitPhrase(body[1:])
			cur.synonyms = append(cur.synonyms, phrase)
			cur.codes = append(cur.codes, codes...)
		default:
			phrase, codes := splitPhrase(body)
			cur = &actorBlock{primary: phrase, codes: codes, comment: strings.TrimSpace(comment), line: n}
			blocks = append(blocks, cur)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	// Blocks without codes share the codes of the next block that has some
	// (the TABARI "several primaries, one set of restrictions" layout).
	for i := len(blocks) - 2; i >= 0; i-- {
		if len(blocks[i].codes) == 0 && len(blocks[i+1].codes) > 0 && blocks[i+1].comment == blocks[i].comment {
			blocks[i].codes = blocks[i+1].codes
		}
	}
	return blocks, nil
}

// splitPhrase separates "PHRASE_ [CODE] [CODE2 >date]" into the normalised
// phrase and its codes.
func splitPhrase(s string) (string, []actorCode) {
	phrase := s
	var codes []actorCode
	if i := strings.IndexByte(s, '['); i >= 0 {
		phrase = s[:i]
		codes = parseCodes(s[i:])
	}
	return normPhrase(phrase), codes
}

// parseCodes parses every "[CODE restriction]" group in s.
func parseCodes(s string) []actorCode {
	var out []actorCode
	for {
		i := strings.IndexByte(s, '[')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(s[i:], ']')
		if j < 0 {
			return out
		}
		f := strings.Fields(s[i+1 : i+j])
		s = s[i+j+1:]
		if len(f) == 0 {
			continue
		}
		c := actorCode{code: f[0], openEnd: true}
		if len(f) > 1 {
			c.restrict = f[1]
			c.openEnd = strings.HasPrefix(f[1], ">")
		}
		out = append(out, c)
	}
}

// normPhrase turns "NORTH_ATLANTIC_TREATY_ORGANIZATION_ " into
// "NORTH ATLANTIC TREATY ORGANIZATION".
func normPhrase(s string) string {
	s = strings.ReplaceAll(s, "_", " ")
	return strings.Join(strings.Fields(s), " ")
}

// agentEntry is one line of the Phoenix agents dictionary.
type agentEntry struct {
	phrase string
	code   string
}

// parseAgents reads the agents dictionary, expanding !SUBSTITUTION! markers.
func parseAgents(r io.Reader) ([]agentEntry, error) {
	subs := map[string][]string{}
	var out []agentEntry
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		body, _, _ := strings.Cut(sc.Text(), "#")
		body = strings.TrimSpace(body)
		if body == "" || strings.HasPrefix(body, "<!--") {
			continue
		}
		if strings.HasPrefix(body, "!") && strings.Contains(body, "=") {
			name, list, _ := strings.Cut(body, "=")
			var items []string
			for _, it := range strings.Split(list, ",") {
				items = append(items, strings.TrimSpace(it))
			}
			subs[strings.TrimSpace(name)] = items
			continue
		}
		i := strings.IndexByte(body, '[')
		if i < 0 {
			continue
		}
		code := strings.Trim(body[i:], "[]{} ")
		phrase := body[:i]
		if j := strings.IndexByte(phrase, '{'); j >= 0 {
			phrase = phrase[:j] // drop the irregular-plural part
		}
		phrase = strings.TrimSpace(phrase)
		for _, p := range expandSubs(phrase, subs) {
			out = append(out, agentEntry{phrase: normPhrase(p), code: code})
		}
	}
	return out, sc.Err()
}

func expandSubs(phrase string, subs map[string][]string) []string {
	i := strings.IndexByte(phrase, '!')
	if i < 0 {
		return []string{phrase}
	}
	j := strings.IndexByte(phrase[i+1:], '!')
	if j < 0 {
		return []string{phrase}
	}
	marker := phrase[i : i+j+2]
	items, ok := subs[marker]
	if !ok {
		return nil
	}
	var out []string
	for _, it := range items {
		out = append(out, expandSubs(phrase[:i]+it+phrase[i+j+2:], subs)...)
	}
	return out
}
