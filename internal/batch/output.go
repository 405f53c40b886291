package batch

import (
	"bufio"
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

// Writer writes one JSON line per response to a buffered writer, flushing
// at least once a second so that an interrupted run loses little; the last
// line may be left partial by a crash, which ScanOutput drops.
type Writer struct {
	w         *bufio.Writer
	line      []byte
	lastFlush time.Time
}

// NewWriter returns a Writer on w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: bufio.NewWriterSize(w, 1<<20), lastFlush: time.Now()}
}

// Write writes resp as one line.
func (w *Writer) Write(resp *stancev1.ClassifyResponse) error {
	line, err := AppendJSON(w.line[:0], resp)
	if err != nil {
		return err
	}
	w.line = append(line, '\n')
	if _, err := w.w.Write(w.line); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	if time.Since(w.lastFlush) > time.Second {
		return w.Flush()
	}
	return nil
}

// Flush writes out buffered lines.
func (w *Writer) Flush() error {
	w.lastFlush = time.Now()
	if err := w.w.Flush(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

func statusWithoutDetails(st *statuspb.Status) *statuspb.Status {
	return &statuspb.Status{Code: st.GetCode(), Message: st.GetMessage()}
}
