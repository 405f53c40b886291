package batch

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ErrCannotResume marks output that does not continue the input: an
// earlier run's output resumed against another input.
var ErrCannotResume = errors.New("cannot resume")

// Resume is what an earlier, interrupted run wrote to its output, and
// which input documents it therefore answered.
//
// In input order (the default), the output's complete lines answer the
// input's first documents, one each, so a resumed run skips as many
// documents as there are lines; it checks that the id of the last line is
// the id of the last document it skips, to catch a different input.
//
// In completion order, the lines name their documents by id: a resumed run
// skips a document whose id the output holds (once per line with that id,
// so repeated ids are counted). With repeated ids it cannot tell which of
// two same-id documents was answered, so give documents unique ids there.
type Resume struct {
	// Size is the length in bytes of the output's complete lines; what
	// follows is a line cut short by the interruption, to be truncated.
	Size int64
	// Lines is the number of complete lines.
	Lines int64

	ordered bool
	lastID  string
	ids     map[string]int
}

// ScanOutput reads an earlier run's output. ordered says whether that run
// (and the one that resumes it) wrote in input order.
func ScanOutput(r io.Reader, ordered bool) (*Resume, error) {
	return scanOutput(r, ordered, nil, false)
}

// scanOutput is ScanOutput, also copying the complete lines to copyTo when
// it is set. cut says that a read error ends the output (a compressed
// stream cut short by an interruption) rather than failing the scan.
func scanOutput(r io.Reader, ordered bool, copyTo io.Writer, cut bool) (*Resume, error) {
	res := &Resume{ordered: ordered}
	if !ordered {
		res.ids = map[string]int{}
	}
	br := bufio.NewReaderSize(r, 1<<20)
	var last []byte
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A long line: gather it whole.
			buf := append([]byte(nil), line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = br.ReadSlice('\n')
				buf = append(buf, line...)
			}
			line = buf
		}
		if err == io.EOF || err != nil && cut {
			break // a partial last line, or nothing
		}
		if err != nil {
			return nil, fmt.Errorf("read output: %w", err)
		}
		if copyTo != nil {
			if _, err := copyTo.Write(line); err != nil {
				return nil, fmt.Errorf("copy output: %w", err)
			}
		}
		res.Lines++
		res.Size += int64(len(line))
		if ordered {
			last = append(last[:0], line...)
			continue
		}
		id, err := responseID(line)
		if err != nil {
			return nil, fmt.Errorf("output line %d: %w", res.Lines, err)
		}
		res.ids[id]++
	}
	if ordered && res.Lines > 0 {
		id, err := responseID(last)
		if err != nil {
			return nil, fmt.Errorf("output line %d: %w", res.Lines, err)
		}
		res.lastID = id
	}
	return res, nil
}

// skip says whether an earlier run answered d.
func (r *Resume) skip(d *Doc) (bool, error) {
	if r.ordered {
		if d.Seq >= r.Lines {
			return false, nil
		}
		if d.Seq == r.Lines-1 && d.ID != r.lastID {
			return false, fmt.Errorf("%w: output line %d answers %q but input document %d is %q; is this the input (and -format) of the earlier run?",
				ErrCannotResume, r.Lines, r.lastID, d.Seq+1, d.ID)
		}
		return true, nil
	}
	if r.ids[d.ID] > 0 {
		r.ids[d.ID]--
		return true, nil
	}
	return false, nil
}

// finish checks, at the end of the input, that every output line was
// matched by an input document.
func (r *Resume) finish(read int64) error {
	if r.ordered {
		if read < r.Lines {
			return fmt.Errorf("%w: output has %d lines but input only %d documents; is this the input of the earlier run?", ErrCannotResume, r.Lines, read)
		}
		return nil
	}
	var n int
	var example string
	for id, k := range r.ids {
		if k > 0 {
			n += k
			example = id
		}
	}
	if n > 0 {
		return fmt.Errorf("%w: output has %d lines whose ids are not in the input (for example %q); is this the input of the earlier run?", ErrCannotResume, n, example)
	}
	return nil
}

// ResumeCompressed reads the output of an earlier run that wrote a
// compressed file: a compressed stream cannot be cut at a line and
// appended to, so the complete lines it holds (up to where an interruption
// cut the stream) are written again, through w, which then takes the new
// lines. ordered is as for ScanOutput.
func ResumeCompressed(old io.Reader, ordered bool, w *Writer) (*Resume, error) {
	dr, err := decompressReader(old)
	if err != nil {
		return nil, fmt.Errorf("read output: %w", err)
	}
	res, err := scanOutput(dr, ordered, w.raw(), true)
	if err != nil {
		return nil, err
	}
	if err := w.Flush(); err != nil {
		return nil, err
	}
	return res, nil
}

// responseID returns the id of an output line. protojson writes fields in
// field-number order, so id, field 1, is the first key when it is set.
func responseID(line []byte) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return "", errors.New("not a JSON object")
	}
	if !dec.More() {
		return "", nil
	}
	key, err := dec.Token()
	if err != nil {
		return "", fmt.Errorf("not a JSON object: %w", err)
	}
	if key != "id" {
		return "", nil
	}
	tok, err := dec.Token()
	if err != nil {
		return "", fmt.Errorf("bad id: %w", err)
	}
	id, ok := tok.(string)
	if !ok {
		return "", errors.New("id is not a string")
	}
	return id, nil
}
