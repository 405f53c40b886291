package lexicon

import (
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
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read lexicon: %w", err)
	}
	// The table is read whole and its lines cut from one string, with
	// room for every line made up front: the embedded table's 27,000
	// lines read one by one, appended and hashed into a growing map were a
	// fifth of stancectl -local's start-up.
	text := string(data)
	nlines := strings.Count(text, "\n") + 1
	var (
		cues  = make([]Cue, 0, nlines)
		lines = make(map[string]int, nlines) // phrase -> line of first use
		errs  []error
	)
	for n := 1; text != ""; n++ {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i+1], text[i+1:]
		} else {
			text = ""
		}
		c, ok, problems := parseLine(line)
		for _, p := range problems {
			errs = append(errs, &LineError{Line: n, Err: p})
		}
		if ok && len(problems) == 0 {
			if first, dup := lines[c.Phrase]; dup {
				errs = append(errs, &LineError{Line: n, Err: fmt.Errorf("%w %q (first on line %d)", ErrDuplicate, c.Phrase, first)})
			} else {
				lines[c.Phrase] = n
				cues = append(cues, c)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	slices.SortFunc(cues, func(a, b Cue) int { return strings.Compare(a.Phrase, b.Phrase) })
	return build(cues), nil
}

// parseLine parses one line. It returns ok false and no problems for a
// blank or comment line.
func parseLine(line string) (c Cue, ok bool, problems []error) {
	line = strings.TrimSuffix(line, "\n")
	line = strings.TrimSuffix(line, "\r")
	if !utf8.ValidString(line) {
		return Cue{}, false, []error{ErrEncoding}
	}
	if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") {
		return Cue{}, false, nil
	}
	nfields := strings.Count(line, "\t") + 1
	if nfields < 3 || nfields > 4 {
		return Cue{}, false, []error{fmt.Errorf("%w: %d fields", ErrFields, nfields)}
	}
	var fields [4]string
	for i := range nfields {
		f, rest, _ := strings.Cut(line, "\t")
		fields[i], line = strings.Trim(f, " "), rest
	}
	c = Cue{Phrase: fields[0], Source: DefaultSource}
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
	if nfields == 4 {
		c.Source = fields[3]
		if err := CheckSource(c.Source); err != nil {
			problems = append(problems, err)
		}
	}
	return c, true, problems
}
