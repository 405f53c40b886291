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

// jsonOptions fix the output form: the protobuf JSON mapping with the
// .proto field names (model_version, mention_count, country_id), fields at
// their default value left out, enums by name.
var jsonOptions = protojson.MarshalOptions{UseProtoNames: true}

// AppendJSON appends resp to dst as one line of compact JSON, without the
// newline. protojson output is compacted because protojson deliberately
// varies its whitespace between builds; compact output is the same from
// every build, so a resumed run appends lines in the same form.
func AppendJSON(dst []byte, resp *stancev1.ClassifyResponse) ([]byte, error) {
	b, err := jsonOptions.Marshal(resp)
	if err != nil && resp.GetError() != nil && len(resp.GetError().GetDetails()) > 0 {
		// An error detail of a type this client does not know: keep the
		// code and message rather than lose the line.
		st := resp.GetError()
		bare := &stancev1.ClassifyResponse{Id: resp.GetId(), ModelVersion: resp.GetModelVersion(),
			Error: statusWithoutDetails(st)}
		b, err = jsonOptions.Marshal(bare)
	}
	if err != nil {
		return dst, fmt.Errorf("marshal response %q: %w", resp.GetId(), err)
	}
	buf := bytes.NewBuffer(dst)
	if err := json.Compact(buf, b); err != nil {
		return dst, fmt.Errorf("compact response %q: %w", resp.GetId(), err)
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
	return &Writer{w: bufio.NewWriterSize(w, 256<<10), lastFlush: time.Now()}
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
