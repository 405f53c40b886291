package lexicon

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DefaultSource is the source of a cue whose line has no source field.
const DefaultSource = "user"

// Load reads a lexicon in the TSV format described in the package comment
// and FORMAT.md. It checks every line and reports all problems at once,
// joined with errors.Join, each a *LineError with its line number.
func Load(r io.Reader) (*Lexicon, error) {
	br := bufio.NewReader(r)
	var (
		cues  []Cue
		lines = map[string]int{} // phrase -> line of first use
		errs  []error
	)
	for n := 1; ; n++ {
		line, err := br.ReadString('\n')
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("read lexicon line %d: %w", n, err)
		}
		if line == "" && err == io.EOF {
			break
		}
		c, problems := parseLine(line)
		for _, p := range problems {
			errs = append(errs, &LineError{Line: n, Err: p})
		}
		if c != nil && len(problems) == 0 {
			if first, dup := lines[c.Phrase]; dup {
				errs = append(errs, &LineError{Line: n, Err: fmt.Errorf("%w %q (first on line %d)", ErrDuplicate, c.Phrase, first)})
			} else {
				lines[c.Phrase] = n
				cues = append(cues, *c)
			}
		}
		if err == io.EOF {
			break
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	slices.SortFunc(cues, func(a, b Cue) int { return strings.Compare(a.Phrase, b.Phrase) })
	return build(cues), nil
}

// parseLine parses one line. It returns nil and no problems for a blank or
// comment line.
func parseLine(line string) (*Cue, []error) {
	line = strings.TrimSuffix(line, "\n")
	line = strings.TrimSuffix(line, "\r")
	if !utf8.ValidString(line) {
		return nil, []error{ErrEncoding}
	}
	if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") {
		return nil, nil
	}
	fields := strings.Split(line, "\t")
	if len(fields) < 3 || len(fields) > 4 {
		return nil, []error{fmt.Errorf("%w: %d fields", ErrFields, len(fields))}
	}
	for i, f := range fields {
		fields[i] = strings.Trim(f, " ")
	}
	c := &Cue{Phrase: fields[0], Source: DefaultSource}
	var problems []error
	if err := CheckPhrase(c.Phrase); err != nil {
		problems = append(problems, err)
	}
	kind, kerr := ParseKind(fields[2])
	if kerr != nil {
		problems = append(problems, kerr)
	}
	c.Kind = kind
	w, err := strconv.ParseFloat(fields[1], 64)
	switch {
	case err != nil:
		problems = append(problems, fmt.Errorf("%w %q: not a number", ErrWeight, fields[1]))
	case kerr == nil:
		if err := checkWeight(w, kind); err != nil {
			problems = append(problems, err)
		}
	}
	if w == 0 {
		w = 0 // -0 reads as 0
	}
	c.Weight = w
	if len(fields) == 4 {
		c.Source = fields[3]
		if err := CheckSource(c.Source); err != nil {
			problems = append(problems, err)
		}
	}
	return c, problems
}
