package batch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	_ "google.golang.org/genproto/googleapis/rpc/errdetails" // resolves google.rpc.BadRequest in error details
	statuspb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/encoding/protojson"
)

// jsonOptions are protojson's options for the output form, used for error
// details only (see statusJSON) and by the tests that compare the output
// with protojson's: the protobuf JSON mapping with the .proto field names
// (model_version, mention_count, country_id), fields at their default
// value left out, enums by name.
var jsonOptions = protojson.MarshalOptions{UseProtoNames: true}

// AppendJSON appends resp to dst as one line of compact JSON, without the
// newline: exactly protojson's output with jsonOptions, compacted.
func AppendJSON(dst []byte, resp *stancev1.ClassifyResponse) ([]byte, error) {
	return appendJSONFields(dst, resp, AllFields)
}

func appendJSONFields(dst []byte, resp *stancev1.ClassifyResponse, fields Field) ([]byte, error) {
	b, err := appendResponse(dst, resp, fields)
	if err != nil {
		return dst, fmt.Errorf("marshal response %q: %w", resp.GetId(), err)
	}
	return b, nil
}

// statusJSON appends st, which has details, by protojson. protojson's
// output is compacted because protojson deliberately varies its whitespace
// between builds; compact output is the same from every build, so a
// resumed run appends lines in the same form. A detail of a type this
// client does not know is dropped, keeping the code and message rather
// than losing the line.
func statusJSON(dst []byte, st *statuspb.Status) ([]byte, error) {
	b, err := jsonOptions.Marshal(st)
	if err != nil {
		b, err = jsonOptions.Marshal(statusWithoutDetails(st))
	}
	if err != nil {
		return dst, err
	}
	buf := bytes.NewBuffer(dst)
	if err := json.Compact(buf, b); err != nil {
		return dst, err
	}
	return buf.Bytes(), nil
}

// WriterOptions shape the output.
type WriterOptions struct {
	// Fields are the parts of each answer written (0 means AllFields).
	Fields Field
	// Compression compresses the output.
	Compression Compression
}

// Writer writes one JSON line per response, buffered and compressed as
// asked, flushing (the compressor too, so that what is written decodes)
// at least once a second so that an interrupted run loses little; the
// last line may be left partial by a crash, which ScanOutput drops.
//
// Lines are encoded straight into the Writer's buffer, which goes to the
// compressor (or the file) in blocks of writeBlock bytes or more: a line
// encoded apart and copied into a bufio.Writer was 56 MB copied twice over
// in a run of the benchmark corpus.
type Writer struct {
	c         compressor
	buf       []byte // encoded lines not yet written to c
	fields    Field
	lastFlush time.Time
}

// writeBlock is how much output Writer gathers before it writes to the
// compressor or the file; its buffer is twice that, so that most lines
// fit in what is left of it.
const writeBlock = 512 << 10

// NewWriter returns a Writer of plain JSONL with every field on w.
func NewWriter(w io.Writer) *Writer {
	wr, _ := NewWriterOptions(w, WriterOptions{}) // uncompressed: no error
	return wr
}

// NewWriterOptions returns a Writer on w.
func NewWriterOptions(w io.Writer, opts WriterOptions) (*Writer, error) {
	c, err := newCompressor(opts.Compression, w)
	if err != nil {
		return nil, err
	}
	if opts.Fields == 0 {
		opts.Fields = AllFields
	}
	return &Writer{c: c, buf: make([]byte, 0, 2*writeBlock), fields: opts.Fields, lastFlush: time.Now()}, nil
}

// Write writes resp as one line. A response that cannot be written
// (invalid UTF-8 in a string) writes nothing.
func (w *Writer) Write(resp *stancev1.ClassifyResponse) error {
	line, err := appendJSONFields(w.buf, resp, w.fields)
	if err != nil {
		return err
	}
	w.buf = append(line, '\n')
	if err := w.spill(); err != nil {
		return err
	}
	if time.Since(w.lastFlush) > time.Second {
		return w.Flush()
	}
	return nil
}

// spill writes the buffered lines out once they fill a block.
func (w *Writer) spill() error {
	if len(w.buf) < writeBlock {
		return nil
	}
	return w.writeOut()
}

// writeOut writes the buffered lines to the compressor.
func (w *Writer) writeOut() error {
	if len(w.buf) == 0 {
		return nil
	}
	_, err := w.c.Write(w.buf)
	w.buf = w.buf[:0]
	if err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

// rawWriter appends bytes already in JSON form to a Writer's buffer.
type rawWriter struct{ w *Writer }

func (r rawWriter) Write(p []byte) (int, error) {
	r.w.buf = append(r.w.buf, p...)
	if err := r.w.spill(); err != nil {
		return 0, err
	}
	return len(p), nil
}

// raw is where lines already in JSON form are written (a resumed
// compressed output's earlier lines).
func (w *Writer) raw() io.Writer { return rawWriter{w} }

// Flush writes out buffered lines, compressed so far as to decode.
func (w *Writer) Flush() error {
	w.lastFlush = time.Now()
	err := w.writeOut()
	if err == nil {
		if err = w.c.Flush(); err != nil {
			err = fmt.Errorf("write output: %w", err)
		}
	}
	return err
}

// Close flushes and ends the compressed stream; it does not close the
// writer below.
func (w *Writer) Close() error {
	err := w.writeOut()
	if err == nil {
		if err = w.c.Close(); err != nil {
			err = fmt.Errorf("write output: %w", err)
		}
	}
	return err
}

func statusWithoutDetails(st *statuspb.Status) *statuspb.Status {
	return &statuspb.Status{Code: st.GetCode(), Message: st.GetMessage()}
}
