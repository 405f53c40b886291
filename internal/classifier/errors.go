package classifier

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/features"
)

// FieldError is a problem with one field of a request. Field is a path in
// the request ("spans[3]", "targets[0].aliases[2]").
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// FieldErrors collects every field problem of a request.
type FieldErrors []*FieldError

func (e FieldErrors) Error() string {
	if len(e) == 1 {
		return e[0].Error()
	}
	return fmt.Sprintf("%s (and %d more)", e[0].Error(), len(e)-1)
}

// ValidateSpans checks explicit spans against text: in range, non-empty and
// on UTF-8 character boundaries. It reports every bad span.
func ValidateSpans(text string, spans []Span) error {
	var errs FieldErrors
	for i, s := range spans {
		field := fmt.Sprintf("spans[%d]", i)
		switch {
		case s.Start > s.End:
			errs = append(errs, &FieldError{field, fmt.Sprintf("start %d is after end %d", s.Start, s.End)})
		case s.Start == s.End:
			errs = append(errs, &FieldError{field, fmt.Sprintf("empty span at %d", s.Start)})
		case s.Start < 0 || s.End > len(text):
			errs = append(errs, &FieldError{field, fmt.Sprintf("[%d, %d) is out of range for a %d-byte text", s.Start, s.End, len(text))})
		case !boundary(text, s.Start) || !boundary(text, s.End):
			errs = append(errs, &FieldError{field, fmt.Sprintf("[%d, %d) is not on character boundaries", s.Start, s.End)})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func boundary(text string, i int) bool { return i == len(text) || utf8.RuneStart(text[i]) }

// spansWithoutWords rejects explicit spans over a text that has no word at
// all (white space alone): a span is read with the words around it, and
// there are none. A span in white space beside words is read with the
// nearest.
func spansWithoutWords(d *features.Document, spans []Span) error {
	if len(spans) == 0 || len(d.Tokens) > 0 {
		return nil
	}
	errs := make(FieldErrors, len(spans))
	for i := range spans {
		errs[i] = &FieldError{fmt.Sprintf("spans[%d]", i), "the text has no words to read the span with"}
	}
	return errs
}

// targetError turns the gazetteer's target errors into field errors.
func targetError(err error) error {
	var te *entities.TargetError
	if errors.As(err, &te) {
		return FieldErrors{{Field: fmt.Sprintf("targets[%d].%s", te.Index, te.Field), Reason: te.Reason}}
	}
	return err
}
