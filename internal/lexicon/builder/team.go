package builder

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/stance/classifierd/internal/lexicon"
)

// teamCue is one surface phrase expanded from a line of team.tsv.
type teamCue struct {
	lexicon.Cue
	line     int
	expanded bool // made by inflecting a "+" verb or pluralising a "~" noun
}

// parseTeam reads the team's cue file: "phrase<TAB>weight<TAB>kind" lines,
// with "<TAB>relation" after a cue for the relation stage alone
// (lexicon.SourceRelation), and '#' comments. In a phrase, a word written
// "+word" is a verb and expands to its inflections ("+sign a memorandum"
// gives "signed a memorandum", "signs a memorandum", ...) and a word
// written "word~" is a noun that expands to its singular and plural
// ("provocation~"). Problems are reported together with their line
// numbers.
func parseTeam(r io.Reader) ([]teamCue, error) {
	var (
		out  []teamCue
		errs []error
	)
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		cues, err := parseTeamLine(line)
		if err != nil {
			errs = append(errs, fmt.Errorf("team.tsv line %d: %w", n, err))
			continue
		}
		for _, c := range cues {
			c.line = n
			out = append(out, c)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, errors.Join(errs...)
}

func parseTeamLine(line string) ([]teamCue, error) {
	fields := strings.Split(line, "\t")
	if len(fields) != 3 && len(fields) != 4 {
		return nil, fmt.Errorf("want phrase<TAB>weight<TAB>kind[<TAB>relation], got %d fields", len(fields))
	}
	source := "team"
	if len(fields) == 4 {
		if fields[3] != lexicon.SourceRelation {
			return nil, fmt.Errorf("fourth field %q: only %q (a cue for the relation stage alone)", fields[3], lexicon.SourceRelation)
		}
		source += "+" + lexicon.SourceRelation
	}
	w, err := strconv.ParseFloat(fields[1], 64)
	if err != nil {
		return nil, fmt.Errorf("weight %q: %w", fields[1], err)
	}
	kind, err := lexicon.ParseKind(fields[2])
	if err != nil {
		return nil, err
	}
	if w == 0 {
		return nil, errors.New("weight 0 would remove the cue; leave the line out instead")
	}
	phrases, expanded, err := expandTeamPhrase(fields[0])
	if err != nil {
		return nil, err
	}
	out := make([]teamCue, 0, len(phrases))
	for _, p := range phrases {
		c := lexicon.Cue{Phrase: p, Weight: w, Kind: kind, Source: source}
		if err := c.Validate(); err != nil {
			return nil, err
		}
		out = append(out, teamCue{Cue: c, expanded: expanded})
	}
	return out, nil
}

// expandTeamPhrase expands the "+verb" and "noun~" marks of a phrase.
func expandTeamPhrase(s string) (phrases []string, expanded bool, err error) {
	variants := [][]string{{}}
	verbs := 0
	for w := range strings.SplitSeq(s, " ") {
		var forms []string
		switch {
		case strings.HasPrefix(w, "+"):
			verbs++
			forms = Inflect(w[1:])
		case strings.HasSuffix(w, "~"):
			w = strings.TrimSuffix(w, "~")
			forms = []string{w, Plural(w)}
		default:
			forms = []string{w}
		}
		if len(forms) > 1 {
			expanded = true
		}
		var next [][]string
		for _, v := range variants {
			for _, f := range forms {
				next = append(next, append(append([]string(nil), v...), f))
			}
		}
		variants = next
	}
	if verbs > 1 {
		return nil, false, fmt.Errorf("phrase %q: at most one +verb", s)
	}
	for _, v := range variants {
		phrases = append(phrases, strings.Join(v, " "))
	}
	return phrases, expanded, nil
}
