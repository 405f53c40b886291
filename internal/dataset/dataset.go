// Package dataset reads and writes stance JSONL, the format of the
// training, evaluation and batch files: one document per line,
//
//	{"id":"...","text":"...","targets":[{"start":12,"end":16,"entity":"NATO"}],"labels":["hostile"]}
//
// with UTF-8 byte offsets (end exclusive) and labels aligned with targets.
package dataset

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"unicode/utf8"
)

// Target is an explicit span of a document.
type Target struct {
	Start  int    `json:"start"`
	End    int    `json:"end"`
	Entity string `json:"entity,omitempty"`
	// Holder names who holds the stance toward the target, in relation
	// data: the label is then the holder's stance toward the target
	// (hostile, cooperative, or none), and HolderStart/HolderEnd its span.
	Holder      string `json:"holder,omitempty"`
	HolderStart int    `json:"holder_start,omitempty"`
	HolderEnd   int    `json:"holder_end,omitempty"`
	// Quad and CAMEO are the event's CAMEO class and code, when labelled.
	Quad  string `json:"quad,omitempty"`
	CAMEO string `json:"cameo,omitempty"`
}

// HasHolder reports whether the target carries a holder span.
func (t Target) HasHolder() bool { return t.HolderEnd > t.HolderStart }

// Example is one document, with optional targets and labels.
type Example struct {
	ID      string   `json:"id"`
	Text    string   `json:"text"`
	Targets []Target `json:"targets,omitempty"`
	Labels  []string `json:"labels,omitempty"`
	// Group, when set, keeps examples together in cross-validation: the
	// sentences of one article (ReadRefFile sets it to the article's URL)
	// share actors and events, and a fold must not learn from one what
	// another fold is scored on.
	Group string `json:"group,omitempty"`
}

// LineError is a malformed line.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// MaxLineBytes is the longest line read (a 1 MiB document with room for
// JSON escaping and targets).
const MaxLineBytes = 8 << 20

// Check reports what is wrong with an example: offsets out of range or off
// character boundaries, or labels not aligned with targets.
func (e *Example) Check() error {
	var errs []error
	if len(e.Labels) > 0 && len(e.Labels) != len(e.Targets) {
		errs = append(errs, fmt.Errorf("%d labels for %d targets", len(e.Labels), len(e.Targets)))
	}
	for i, t := range e.Targets {
		switch {
		case t.Start < 0 || t.End > len(e.Text) || t.Start >= t.End:
			errs = append(errs, fmt.Errorf("target %d: span [%d,%d) invalid for %d-byte text", i, t.Start, t.End, len(e.Text)))
		case !utf8.RuneStart(e.Text[t.Start]) || t.End < len(e.Text) && !utf8.RuneStart(e.Text[t.End]):
			errs = append(errs, fmt.Errorf("target %d: span [%d,%d) not on character boundaries", i, t.Start, t.End))
		}
		if t.Holder == "" && t.HolderEnd == 0 {
			continue
		}
		switch hs, he := t.HolderStart, t.HolderEnd; {
		case hs < 0 || he > len(e.Text) || hs >= he:
			errs = append(errs, fmt.Errorf("target %d: holder span [%d,%d) invalid for %d-byte text", i, hs, he, len(e.Text)))
		case !utf8.RuneStart(e.Text[hs]) || he < len(e.Text) && !utf8.RuneStart(e.Text[he]):
			errs = append(errs, fmt.Errorf("target %d: holder span [%d,%d) not on character boundaries", i, hs, he))
		}
	}
	return errors.Join(errs...)
}

// Scan reads stance JSONL from r and calls fn for each line in order, with
// its 1-based line number. A malformed line is passed to bad (which may
// stop the scan by returning an error) and skipped; blank lines are
// skipped.
func Scan(r io.Reader, fn func(line int, ex Example) error, bad func(*LineError) error) error {
	return scanLines(r, func(n int, b []byte) error {
		var ex Example
		err := json.Unmarshal(b, &ex)
		if err == nil {
			err = ex.Check()
		}
		if err != nil {
			return bad(&LineError{Line: n, Err: err})
		}
		return fn(n, ex)
	})
}

// scanLines calls fn with each non-blank line of r, up to MaxLineBytes
// long, and its 1-based number, until fn returns an error.
func scanLines(r io.Reader, fn func(line int, b []byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxLineBytes)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		if err := fn(n, sc.Bytes()); err != nil {
			return err
		}
	}
	return sc.Err()
}

// ReadFile reads a whole stance JSONL file; any malformed line is an
// error.
func ReadFile(path string) ([]Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Example
	err = Scan(f, func(_ int, ex Example) error {
		out = append(out, ex)
		return nil
	}, func(le *LineError) error { return fmt.Errorf("%s: %w", path, le) })
	return out, err
}
