package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"unicode"
)

// Phoenix files read by the compiler, relative to the dictionary directory.
const (
	countriesFile     = "Phoenix.Countries.actors.txt"
	internationalFile = "Phoenix.International.actors.txt"
	milNonStateFile   = "Phoenix.MilNonState.actors.txt"
	agentsFile        = "Phoenix.agents.txt"
)

// entity is one row of the compiled table.
type entity struct {
	id, typ, country, name string
	fromAdditions          bool
}

// compiler accumulates entities, aliases and titles from both sources.
type compiler struct {
	add      *additions
	entities map[string]*entity
	// aliases maps the lower-cased alias to candidate entity ids, with the
	// surface form each source gave.
	aliases map[string]map[string]string
	// curated marks lower-cased aliases that additions.txt assigned; they
	// beat every Phoenix assignment.
	curated map[string]string
	titles  map[string]bool
	// places and qualified hold the lower-cased state synonyms that
	// ambiguity.go marks.
	places, qualified map[string]bool
}

// compile builds the gazetteer table from the Phoenix dictionaries in dict and
// the additions file. The output is deterministic: same inputs, same bytes.
func compile(dict fs.FS, addText io.Reader) ([]byte, error) {
	add, err := parseAdditions(addText)
	if err != nil {
		return nil, fmt.Errorf("additions: %w", err)
	}
	c := &compiler{
		add:       add,
		entities:  map[string]*entity{},
		aliases:   map[string]map[string]string{},
		curated:   map[string]string{},
		titles:    map[string]bool{},
		places:    map[string]bool{},
		qualified: map[string]bool{},
	}
	read := func(name string) ([]*actorBlock, error) {
		f, err := dict.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		b, err := parseActors(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return b, nil
	}
	countries, err := read(countriesFile)
	if err != nil {
		return nil, err
	}
	var igo []*actorBlock
	for _, name := range []string{internationalFile, milNonStateFile} {
		b, err := read(name)
		if err != nil {
			return nil, err
		}
		igo = append(igo, b...)
	}
	af, err := dict.Open(agentsFile)
	if err != nil {
		return nil, err
	}
	agents, err := parseAgents(af)
	af.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", agentsFile, err)
	}

	c.addCurated()
	c.addTitles(agents)
	c.addCountries(countries)
	c.addPeople(countries)
	c.addMapped(igo)
	if err := c.check(); err != nil {
		return nil, err
	}
	return c.write()
}

// addCurated loads the hand-written entities first so that their names,
// types and countries win over anything derived from Phoenix.
func (c *compiler) addCurated() {
	for _, e := range c.add.entities {
		c.entities[e.id] = &entity{id: e.id, typ: e.typ, country: e.country, name: e.name, fromAdditions: true}
		c.curate(e.id, e.name)
		for _, a := range e.aliases {
			c.curate(e.id, a)
		}
	}
	for _, a := range c.add.aliases {
		for _, s := range a.aliases {
			c.curate(a.id, s)
		}
	}
}

func (c *compiler) curate(id, alias string) {
	k := strings.ToLower(alias)
	c.curated[k] = id
	c.put(id, alias)
}

func (c *compiler) put(id, alias string) {
	k := strings.ToLower(alias)
	if c.add.dropped[k] && c.curated[k] != id {
		return
	}
	m := c.aliases[k]
	if m == nil {
		m = map[string]string{}
		c.aliases[k] = m
	}
	// Of several casings of one alias keep the one with lower-case letters:
	// it matches case-insensitively, while an all-capital form would only
	// match itself ("NATO" and "Nato" -> "Nato" matches both).
	if old, ok := m[id]; !ok || (!hasLower(old) && hasLower(alias)) {
		m[id] = alias
	}
}

// personHeads are the head nouns that make an agent phrase a title that can
// stand before a personal name ("Foreign Minister", "Police Chief").
var personHeads = map[string]bool{
	"MINISTER": true, "SECRETARY": true, "PRESIDENT": true, "CHANCELLOR": true,
	"GOVERNOR": true, "AMBASSADOR": true, "ENVOY": true, "GENERAL": true,
	"COMMANDER": true, "CHIEF": true, "SPOKESMAN": true, "SPOKESWOMAN": true,
	"SPOKESPERSON": true, "KING": true, "QUEEN": true, "PRINCE": true,
	"EMPEROR": true, "MAYOR": true, "SENATOR": true, "ADMIRAL": true,
	"COLONEL": true, "LIEUTENANT": true, "DIRECTOR": true, "PREMIER": true,
	"LEADER": true, "CONSUL": true, "DIPLOMAT": true, "JUSTICE": true,
	"JUDGE": true, "PROSECUTOR": true, "LAWMAKER": true, "LEGISLATOR": true,
	"SPEAKER": true, "DEPUTY": true, "OFFICIAL": true, "MARSHAL": true,
	"CAPTAIN": true, "MAJOR": true, "SERGEANT": true, "COMMISSIONER": true,
}

func hasLower(s string) bool {
	for _, r := range s {
		if unicode.IsLower(r) {
			return true
		}
	}
	return false
}

// addTitles derives titles from the Phoenix agents dictionary (government,
// military, judicial and legislative roles whose head noun names a person)
// and adds the curated ones.
func (c *compiler) addTitles(agents []agentEntry) {
	for _, a := range agents {
		if !strings.HasPrefix(a.code, "~GOV") && !strings.HasPrefix(a.code, "~MIL") &&
			!strings.HasPrefix(a.code, "~JUD") && !strings.HasPrefix(a.code, "~LEG") {
			continue
		}
		words := strings.Fields(a.phrase)
		if len(words) == 0 || len(words) > 4 || !personHeads[words[len(words)-1]] {
			continue
		}
		if !isPlainPhrase(a.phrase) {
			continue
		}
		c.titles[displayCase(a.phrase)] = true
	}
	for _, t := range c.add.titles {
		c.titles[t] = true
	}
	for _, t := range c.add.dropTitles {
		delete(c.titles, t)
	}
}

// isPlainPhrase rejects phrases with digits, parentheses or commas, which in
// Phoenix mark annotations rather than surface text.
func isPlainPhrase(p string) bool {
	for _, r := range p {
		if unicode.IsDigit(r) || strings.ContainsRune("(),/+&;\"", r) {
			return false
		}
	}
	return p != ""
}

// isCountryCode reports whether s is a three-letter upper-case code, the
// shape Phoenix uses for states.
func isCountryCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// addCountries takes every Phoenix block whose current code is a bare state
// code. Phoenix lists cities, provinces and foreign-language spellings as
// synonyms; only synonyms that look like the state's own name (share its first
// four letters, e.g. "IRANIAN", "BELORUSSIA") are kept, because a city is not
// the state ("Vienna talks" is not about Austria). Capitals and other
// metonyms come from additions.txt instead.
func (c *compiler) addCountries(blocks []*actorBlock) {
	stems := map[string][]string{}
	for _, b := range blocks {
		code := c.recode(b.current())
		if !isCountryCode(code) || c.add.dropEntities[code] || strings.Contains(b.comment, "CountryInfo") {
			continue
		}
		e := c.entities[code]
		if e == nil {
			e = &entity{id: code, typ: "COUNTRY", name: displayCase(b.primary)}
			c.entities[code] = e
		}
		if len(stems[code]) == 0 {
			stems[code] = append(stems[code], stem(b.primary), stem(e.name))
			for k, id := range c.curated {
				if id == code {
					stems[code] = append(stems[code], stem(k))
				}
			}
		}
		for i, p := range append([]string{b.primary}, b.synonyms...) {
			// A secondary block's primary (e.g. "MAYOTTE [FRA]") is a
			// territory, not a spelling of the state's name.
			if i == 0 && stem(p) != stems[code][0] && !slices.Contains(stems[code], stem(p)) {
				continue
			}
			if i > 0 && !slices.Contains(stems[code], stem(p)) && !strings.Contains(p, b.primary) {
				continue
			}

			c.putPhoenix(code, p)
		}
		c.noteSynonyms(b, stems[code][:2])
	}
}

// stem is the first four letters of a phrase, upper-cased, ignoring a
// leading "THE" and anything that is not a letter.
func stem(p string) string {
	p = strings.ToUpper(p)
	p = strings.TrimPrefix(p, "THE ")
	var b strings.Builder
	for _, r := range p {
		if unicode.IsLetter(r) {
			b.WriteRune(r)
			if b.Len() >= 4 {
				break
			}
		}
	}
	return b.String()
}

func (c *compiler) recode(code string) string {
	if r, ok := c.add.recode[code]; ok {
		return r
	}
	return code
}

// putPhoenix adds a Phoenix phrase as an alias after normalising it; phrases
// that carry annotations or are too short to be safe are skipped.
func (c *compiler) putPhoenix(id, phrase string) {
	phrase = strings.TrimPrefix(phrase, "THE ")
	if !isPlainPhrase(phrase) {
		return
	}
	letters := 0
	for _, r := range phrase {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters < 2 {
		return
	}
	c.put(id, displayCase(phrase))
}

// honorifics are stripped from the front of Phoenix person names, so that
// "HOJATOLISLAM SAYYED ALI KHAMENEI" yields the name "Ali Khamenei".
var honorifics = map[string]bool{
	"HOJATOLISLAM": true, "HOJJATOLESLAM": true, "SAYYED": true, "SAYED": true, "SEYED": true,
	"AYATOLLAH": true, "SHEIKH": true, "SHAIKH": true, "SHEIK": true, "DR.": true, "DR": true,
	"GENERAL": true, "GEN.": true, "COLONEL": true, "COL.": true, "KING": true, "PRINCE": true,
	"SIR": true, "MR.": true, "MRS.": true, "MS.": true, "EMIR": true, "SULTAN": true,
}

// addPeople takes the Phoenix person records (those generated from
// CountryInfo) with at least a given name and a surname, linked to the state
// of their most recent role. People also named in additions.txt merge into the
// curated entry.
func (c *compiler) addPeople(blocks []*actorBlock) {
	titleWords := map[string]bool{}
	for t := range c.titles {
		for _, w := range strings.Fields(strings.ToUpper(t)) {
			titleWords[w] = true
		}
	}
	for _, b := range blocks {
		if !strings.Contains(b.comment, "CountryInfo") {
			continue
		}
		code := b.current()
		if len(code) < 3 {
			continue
		}
		country := c.recode(code[:3])
		if e := c.entities[country]; e == nil || e.typ != "COUNTRY" {
			country = ""
		}
		words := strings.Fields(b.primary)
		for len(words) > 0 && honorifics[words[0]] {
			words = words[1:]
		}
		if len(words) < 2 || !isPlainPhrase(b.primary) {
			continue
		}
		name := displayCase(strings.Join(words, " "))
		id := "person:" + slug(name)
		// A curated person with the same full name absorbs this record.
		if cid, ok := c.curated[strings.ToLower(name)]; ok {
			id = cid
		}
		if e, ok := c.entities[id]; ok && !e.fromAdditions && e.country != country {
			continue // two different Phoenix people with one name: keep the first
		}
		if _, ok := c.entities[id]; !ok {
			c.entities[id] = &entity{id: id, typ: "PERSON", country: country, name: name}
		}
		c.put(id, name)
		for _, s := range b.synonyms {
			if !personAlias(s, titleWords) {
				continue
			}
			c.putPhoenix(id, s)
		}
	}
}

// personAlias keeps synonyms that are names only: "PRESIDENT GORBACHEV" or
// "SOVIET LEADER MIKHAIL GORBACHEV" would put a title into the surface form.
func personAlias(s string, titleWords map[string]bool) bool {
	for _, w := range strings.Fields(s) {
		if titleWords[w] || honorifics[w] {
			return false
		}
	}
	return len(s) >= 4
}

// addMapped takes the International and MilNonState blocks that
// additions.txt maps to an entity by primary phrase. Phoenix codes there are
// too coarse (every Lebanese rebel group is LBNREB) to map by code.
func (c *compiler) addMapped(blocks []*actorBlock) {
	titleWords := map[string]bool{}
	for t := range c.titles {
		for _, w := range strings.Fields(strings.ToUpper(t)) {
			titleWords[w] = true
		}
	}
	for _, b := range blocks {
		id, ok := c.add.phoenix[b.primary]
		if !ok {
			continue
		}
		for _, p := range append([]string{b.primary}, b.synonyms...) {
			if !personAlias(p, titleWords) {
				continue
			}
			c.putPhoenix(id, p)
		}
	}
}

// check reports every inconsistency at once.
func (c *compiler) check() error {
	var errs []error
	for k, id := range c.curated {
		if _, ok := c.entities[id]; !ok {
			errs = append(errs, fmt.Errorf("alias %q: unknown entity %s", k, id))
		}
	}
	for _, id := range c.add.phoenix {
		if _, ok := c.entities[id]; !ok {
			errs = append(errs, fmt.Errorf("phoenix mapping: unknown entity %s", id))
		}
	}
	for _, r := range c.add.refers {
		for _, id := range r.ids {
			if _, ok := c.entities[id]; !ok {
				errs = append(errs, fmt.Errorf("refer %q: unknown entity %s", r.phrase, id))
			}
		}
	}
	for _, e := range c.entities {
		if e.country != "" {
			if ce, ok := c.entities[e.country]; !ok || ce.typ == "PERSON" {
				errs = append(errs, fmt.Errorf("entity %s: country %s is not a state or organisation", e.id, e.country))
			}
		}
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errors.Join(errs...)
}

// header is the first line of the table; it names the sources for
// attribution.
const header = "# classifierd gazetteer v1. Generated by cmd/gazettegen from the Phoenix/PETRARCH2 actor and agent dictionaries (MIT, Copyright (c) 2014 Open Event Data Alliance) and cmd/gazettegen/additions.txt. Do not edit.\n"

// write renders the table: E (entity), A (alias), M (marks of an alias, see
// ambiguity.go), R (a phrase that refers back to one of a set of entities),
// B (blocked phrase) and T (title) rows, sorted,
// gzip-compressed with a zero header so the bytes depend on content only.
func (c *compiler) write() ([]byte, error) {
	var tsv bytes.Buffer
	tsv.WriteString(header)
	ids := make([]string, 0, len(c.entities))
	for id := range c.entities {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		e := c.entities[id]
		fmt.Fprintf(&tsv, "E\t%s\t%s\t%s\t%s\n", e.id, e.typ, e.country, e.name)
	}
	var rows, marks []string
	for k, m := range c.aliases {
		id, ok := c.curated[k]
		if !ok {
			if len(m) != 1 {
				continue // ambiguous between Phoenix entries: keep neither
			}
			for only := range m {
				id = only
			}
		}
		surface, ok := m[id]
		if !ok {
			continue
		}
		if _, ok := c.entities[id]; !ok {
			continue
		}
		rows = append(rows, "A\t"+id+"\t"+surface+"\n")
		if m := c.marks(c.entities[id], k); m != "" {
			marks = append(marks, "M\t"+surface+"\t"+m+"\n")
		}
	}
	slices.Sort(rows)
	for _, r := range rows {
		tsv.WriteString(r)
	}
	slices.Sort(marks)
	for _, m := range marks {
		tsv.WriteString(m)
	}
	refers := make([]string, 0, len(c.add.refers))
	for _, r := range c.add.refers {
		refers = append(refers, "R\t"+r.phrase+"\t"+strings.Join(r.ids, ",")+"\n")
	}
	slices.Sort(refers)
	for _, r := range refers {
		tsv.WriteString(r)
	}
	blocks := make([]string, 0, len(c.add.blocks))
	for _, b := range c.add.blocks {
		blocks = append(blocks, "B\t"+b+"\n")
	}
	slices.Sort(blocks)
	for _, b := range slices.Compact(blocks) {
		tsv.WriteString(b)
	}
	titles := make([]string, 0, len(c.titles))
	for t := range c.titles {
		titles = append(titles, "T\t"+t+"\n")
	}
	slices.Sort(titles)
	for _, t := range titles {
		tsv.WriteString(t)
	}

	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(tsv.Bytes()); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// smallWords stay lower-case inside multi-word names.
var smallWords = map[string]bool{
	"OF": true, "THE": true, "AND": true, "FOR": true, "ON": true, "IN": true,
	"DE": true, "DU": true, "DES": true, "LA": true, "LE": true, "DA": true, "DO": true,
	"VON": true, "VAN": true, "DER": true, "BIN": true, "IBN": true,
}

// displayCase turns Phoenix's upper-case phrases into news casing:
// "NORTH ATLANTIC TREATY ORGANIZATION" -> "North Atlantic Treaty
// Organization". One-word phrases of up to three letters and dotted ones
// ("UN", "U.S.") stay upper case: they are acronyms and the matcher treats
// all-caps aliases case-sensitively.
func displayCase(p string) string {
	words := strings.Fields(p)
	if len(words) == 1 && (len([]rune(p)) <= 3 || strings.Contains(p, ".")) {
		return strings.ToUpper(p)
	}
	for i, w := range words {
		if i > 0 && smallWords[w] {
			words[i] = strings.ToLower(w)
			continue
		}
		if strings.Contains(w, ".") && len(w) <= 4 {
			words[i] = strings.ToUpper(w) // initials: "B."
			continue
		}
		var b strings.Builder
		up := true
		for _, r := range w {
			if up {
				b.WriteRune(unicode.ToUpper(r))
			} else {
				b.WriteRune(unicode.ToLower(r))
			}
			up = r == '-' || r == '\''
		}
		words[i] = b.String()
	}
	return strings.Join(words, " ")
}

// slug makes the "person:<slug>" part of an id: lower-case ASCII letters and
// digits joined by single hyphens.
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case r == '\'' || r == '\u2019':
			// apostrophes inside names ("Kan'ani") do not split words
		default:
			dash = true
		}
	}
	return b.String()
}

// additions is the parsed additions.txt.
type additions struct {
	entities     []addEntity
	aliases      []addAlias
	phoenix      map[string]string // Phoenix primary phrase -> entity id
	recode       map[string]string // Phoenix code -> ISO code
	dropped      map[string]bool   // lower-cased aliases never emitted
	dropEntities map[string]bool
	titles       []string
	dropTitles   []string
	blocks       []string
	refers       []addRefer
}

// addRefer is a phrase such as "the alliance" that names the last entity of
// a set named before it.
type addRefer struct {
	phrase string
	ids    []string
}

type addEntity struct {
	id, typ, country, name string
	aliases                []string
}

type addAlias struct {
	id      string
	aliases []string
}

var validTypes = map[string]bool{"COUNTRY": true, "ORGANIZATION": true, "PERSON": true, "GROUP": true, "LOCATION": true}

// parseAdditions reads the tab-separated additions file. Directives:
//
//	entity  ID TYPE COUNTRY|- Name alias|alias...
//	alias   ID alias|alias...
//	phoenix ID PHOENIX PRIMARY PHRASE
//	recode  PHOENIXCODE ISOCODE
//	drop    alias
//	dropentity ID
//	title   Title
//	droptitle Title
//	block   phrase
//	refer   phrase ID|ID...
func parseAdditions(r io.Reader) (*additions, error) {
	a := &additions{
		phoenix:      map[string]string{},
		recode:       map[string]string{},
		dropped:      map[string]bool{},
		dropEntities: map[string]bool{},
	}
	var errs []error
	sc := bufio.NewScanner(r)
	n := 0
	seen := map[string]bool{}
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), " \t\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		bad := func(msg string) { errs = append(errs, fmt.Errorf("line %d: %s", n, msg)) }
		split := func(s string) []string {
			var out []string
			for _, x := range strings.Split(s, "|") {
				if x = strings.TrimSpace(x); x != "" {
					out = append(out, x)
				}
			}
			return out
		}
		switch f[0] {
		case "entity":
			if len(f) < 5 || len(f) > 6 {
				bad("entity needs ID TYPE COUNTRY NAME [ALIASES]")
				continue
			}
			e := addEntity{id: f[1], typ: f[2], country: f[3], name: f[4]}
			if e.country == "-" {
				e.country = ""
			}
			if len(f) == 6 {
				e.aliases = split(f[5])
			}
			if !validTypes[e.typ] {
				bad("unknown type " + e.typ)
			}
			if seen[e.id] {
				bad("duplicate entity " + e.id)
			}
			seen[e.id] = true
			a.entities = append(a.entities, e)
		case "alias":
			if len(f) != 3 {
				bad("alias needs ID ALIASES")
				continue
			}
			a.aliases = append(a.aliases, addAlias{id: f[1], aliases: split(f[2])})
		case "phoenix":
			if len(f) != 3 {
				bad("phoenix needs ID PHRASE")
				continue
			}
			a.phoenix[normPhrase(f[2])] = f[1]
		case "recode":
			if len(f) != 3 {
				bad("recode needs FROM TO")
				continue
			}
			a.recode[f[1]] = f[2]
		case "drop":
			if len(f) != 2 {
				bad("drop needs ALIAS")
				continue
			}
			a.dropped[strings.ToLower(f[1])] = true
		case "dropentity":
			if len(f) != 2 {
				bad("dropentity needs ID")
				continue
			}
			a.dropEntities[f[1]] = true
		case "title":
			if len(f) != 2 {
				bad("title needs TITLE")
				continue
			}
			a.titles = append(a.titles, f[1])
		case "block":
			if len(f) != 2 {
				bad("block needs PHRASE")
				continue
			}
			a.blocks = append(a.blocks, f[1])
		case "refer":
			if len(f) != 3 {
				bad("refer needs PHRASE IDS")
				continue
			}
			a.refers = append(a.refers, addRefer{phrase: f[1], ids: split(f[2])})
		case "droptitle":
			if len(f) != 2 {
				bad("droptitle needs TITLE")
				continue
			}
			a.dropTitles = append(a.dropTitles, f[1])
		default:
			bad("unknown directive " + f[0])
		}
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, err)
	}
	return a, errors.Join(errs...)
}
