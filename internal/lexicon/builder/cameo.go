package builder

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// cameoVerb is one verb of a CAMEO verb block with its surface forms.
type cameoVerb struct {
	lemma string   // as the dictionary writes it, "+" dropped: "ASK_FOR", "RUSH"
	forms []string // lowercase surface phrases: "asks for", "asked for", ...
	code  string   // its own code, else the block's; "" for none
}

// cameoPattern is a verb followed by an object noun phrase, with the code
// that the pair carries: "* {PEACE PLAN} [027] # PUT".
type cameoPattern struct {
	verb   string   // lemma of the verb the pattern was written for
	object []string // lowercase words
	code   string
}

// cameoDict is what the builder takes from the PETRARCH-2 verb dictionary.
type cameoDict struct {
	verbs    []cameoVerb
	patterns []cameoPattern
	// lemmas maps a verb's lemma to its first entry, so that a pattern's
	// verb comment finds the verb's forms.
	lemmas map[string]*cameoVerb
}

var (
	cameoBlockRE   = regexp.MustCompile(`^---\s+(\S+)\s+\[([^\]]*)\]`)
	cameoPatternRE = regexp.MustCompile(`^-\s*\*\s+(\{[A-Z' -]+\}|[A-Z-]+)\s*\[([^\]]*)\]\s*(?:#\s*([A-Z_+]+))?`)
	cameoCodeRE    = regexp.MustCompile(`\[([^\]]*)\]`)
	cameoFormsRE   = regexp.MustCompile(`\{([^}]*)\}`)
)

// parseCAMEO reads a PETRARCH-2 verb dictionary (CAMEO.2.0.txt): the verb
// blocks after the "VERB PATTERNS" marker, each verb with its forms and
// code, and the patterns of the simple shape "* OBJECT [code] # VERB".
func parseCAMEO(r io.Reader) (*cameoDict, error) {
	d := &cameoDict{lemmas: map[string]*cameoVerb{}}
	var lastBlock []string // lemmas of the current block
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	inVerbs := false
	blockCode, blockSeen := "", false
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), " \t\r")
		if !inVerbs {
			inVerbs = strings.Contains(line, "VERB PATTERNS")
			continue
		}
		switch {
		case strings.TrimSpace(line) == "", strings.HasPrefix(line, "#"), strings.HasPrefix(line, "~"), strings.HasPrefix(line, "&"):
			continue
		case strings.HasPrefix(line, "---"):
			m := cameoBlockRE.FindStringSubmatch(line)
			if m == nil {
				return nil, fmt.Errorf("line %d: bad verb block header %q", n, line)
			}
			blockCode, blockSeen, lastBlock = parseCode(m[2]), true, nil
		case strings.HasPrefix(line, "-"):
			m := cameoPatternRE.FindStringSubmatch(line)
			if m == nil {
				continue // not a simple verb-object pattern
			}
			object := strings.Fields(strings.ToLower(strings.Trim(m[1], "{}")))
			code := parseCode(m[2])
			if code == "" {
				continue
			}
			verb := m[3]
			if verb == "" && len(lastBlock) == 1 {
				verb = lastBlock[0]
			}
			if verb == "" {
				continue
			}
			d.patterns = append(d.patterns, cameoPattern{verb: strings.ReplaceAll(verb, "+", ""), object: object, code: code})
		default:
			if !blockSeen {
				return nil, fmt.Errorf("line %d: verb %q before any block", n, line)
			}
			v, err := parseCAMEOVerb(line, blockCode)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
			d.verbs = append(d.verbs, v)
			lastBlock = append(lastBlock, v.lemma)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if !inVerbs {
		return nil, errors.New("no VERB PATTERNS section")
	}
	for i := range d.verbs {
		if _, dup := d.lemmas[d.verbs[i].lemma]; !dup {
			d.lemmas[d.verbs[i].lemma] = &d.verbs[i]
		}
	}
	return d, nil
}

// parseCAMEOVerb parses a verb line: "SPEED {SPEEDING SPEEDS SPED}",
// "+ASK_FOR {+ASKED_FOR +ASKING_FOR} [020]", "WIRE_+TAP", "GRILL [110]".
func parseCAMEOVerb(line, blockCode string) (cameoVerb, error) {
	// Comments start with "#", or ";" in lines inherited from TABARI.
	if i := strings.IndexAny(line, "#;"); i >= 0 {
		line = line[:i]
	}
	v := cameoVerb{code: blockCode}
	if m := cameoCodeRE.FindStringSubmatch(line); m != nil {
		v.code = parseCode(m[1])
		line = strings.Replace(line, m[0], " ", 1)
	}
	var listed []string
	hasList := false
	if m := cameoFormsRE.FindStringSubmatch(line); m != nil {
		hasList = true
		listed = strings.Fields(m[1])
		line = strings.Replace(line, m[0], " ", 1)
	}
	fields := strings.Fields(line)
	if len(fields) != 1 {
		return v, fmt.Errorf("bad verb line %q", line)
	}
	raw := fields[0]
	v.lemma = strings.ReplaceAll(raw, "+", "")
	base := cameoPhrase(raw)
	if hasList {
		v.forms = []string{base}
		for _, f := range listed {
			v.forms = append(v.forms, cameoPhrase(f))
		}
		v.forms = dedupe(v.forms)
		return v, nil
	}
	// Inflect the word marked "+", or the only word.
	words := strings.Split(strings.ToLower(raw), "_")
	at := 0
	for i, w := range words {
		if strings.HasPrefix(w, "+") {
			at = i
		}
		words[i] = strings.TrimPrefix(w, "+")
	}
	for _, f := range Inflect(words[at]) {
		ws := append([]string(nil), words...)
		ws[at] = f
		v.forms = append(v.forms, strings.Join(ws, " "))
	}
	return v, nil
}

// cameoPhrase turns a dictionary word ("+ASKED_FOR") into a phrase
// ("asked for").
func cameoPhrase(s string) string {
	s = strings.ReplaceAll(s, "+", "")
	return strings.ToLower(strings.ReplaceAll(s, "_", " "))
}

// parseCode returns the event code of a bracket "[042:043]" (the code
// before the colon, or after it when that is empty), or "" for the null
// code "---".
func parseCode(s string) string {
	for part := range strings.SplitSeq(s, ":") {
		var b strings.Builder
		for _, c := range part {
			if c >= '0' && c <= '9' {
				b.WriteRune(c)
			}
		}
		if b.Len() >= 2 {
			return b.String()
		}
	}
	return ""
}

// goldstein maps CAMEO event codes to Goldstein scores (-10..+10).
type goldstein map[string]float64

// parseGoldstein reads cameo-goldstein.csv (code,name,goldstein,root_code).
func parseGoldstein(r io.Reader) (goldstein, error) {
	rows, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) < 2 || len(rows[0]) < 3 || rows[0][0] != "code" || rows[0][2] != "goldstein" {
		return nil, errors.New("want a header code,name,goldstein,...")
	}
	g := goldstein{}
	for i, row := range rows[1:] {
		score, err := strconv.ParseFloat(row[2], 64)
		if err != nil || score < -10 || score > 10 {
			return nil, fmt.Errorf("row %d: bad score %q", i+2, row[2])
		}
		g[row[0]] = score
	}
	return g, nil
}

// score returns the Goldstein score of code, falling back to its parent
// codes ("0344" -> "034" -> "03").
func (g goldstein) score(code string) (float64, bool) {
	for c := code; len(c) >= 2; c = c[:len(c)-1] {
		if s, ok := g[c]; ok {
			return s, true
		}
	}
	return 0, false
}
