package model

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
)

// The model file is gzip-compressed: one line of JSON (the header), then
// the non-zero weight rows as little-endian binary records of a uint32
// bucket index followed by NumLabels float32 weights, in increasing index
// order. Gzip without a name or time stamp keeps the bytes reproducible.
const fileFormat = "stance-linear-model/1"

type header struct {
	Format       string             `json:"format"`
	Labels       []string           `json:"labels"`
	HashBits     uint               `json:"hash_bits"`
	Bias         [NumLabels]float32 `json:"bias"`
	Temperature  float32            `json:"temperature"`
	DocThreshold float32            `json:"doc_threshold,omitempty"`
	Rows         int                `json:"rows"`
	Metadata     Metadata           `json:"metadata"`
}

const recordSize = 4 + 4*NumLabels

// Write writes m in the model file format.
func (m *Model) Write(w io.Writer) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	if err := m.writeBody(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

// writeBody writes m's header line and weight records, uncompressed.
func (m *Model) writeBody(bw *bufio.Writer) error {
	rows := 0
	for i := range m.rows {
		if m.rows[i].w != ([NumLabels]float32{}) {
			rows++
		}
	}
	h := header{Format: fileFormat, HashBits: m.bits, Bias: m.bias, Temperature: m.temperature,
		DocThreshold: m.docThreshold, Rows: rows, Metadata: m.meta}
	for _, l := range Labels {
		h.Labels = append(h.Labels, l.String())
	}
	line, err := json.Marshal(h)
	if err != nil {
		return err
	}
	bw.Write(line)
	bw.WriteByte('\n')
	var rec [recordSize]byte
	for i := range m.rows {
		if m.rows[i].w == ([NumLabels]float32{}) {
			continue
		}
		binary.LittleEndian.PutUint32(rec[0:], uint32(i))
		for k := range NumLabels {
			binary.LittleEndian.PutUint32(rec[4+4*k:], math.Float32bits(m.rows[i].w[k]))
		}
		bw.Write(rec[:])
	}
	return nil
}

// maxHeaderBytes bounds the JSON header so a corrupt file cannot make the
// loader buffer without limit.
const maxHeaderBytes = 1 << 20

// Load reads a model file, checking its format, labels, shape and every
// weight. All problems are reported together.
func Load(r io.Reader) (*Model, error) {
	br, line, err := openFile(r)
	if err != nil {
		return nil, err
	}
	m, err := readBody(br, line)
	if err != nil {
		return nil, err
	}
	var b [1]byte
	if n, _ := br.Read(b[:]); n != 0 {
		return nil, fmt.Errorf("%w: data after the weight rows", ErrInvalidModel)
	}
	return m, nil
}

// readBody reads one model whose header line is line from br: its weight
// records, and nothing after them.
func readBody(br *bufio.Reader, line []byte) (*Model, error) {
	var h header
	if err := json.Unmarshal(line, &h); err != nil {
		return nil, fmt.Errorf("%w: header: %w", ErrInvalidModel, err)
	}
	var errs []error
	if h.Format != fileFormat {
		errs = append(errs, fmt.Errorf("format %q, want %q", h.Format, fileFormat))
	}
	if len(h.Labels) != NumLabels {
		errs = append(errs, fmt.Errorf("%d labels, want %d", len(h.Labels), NumLabels))
	} else {
		for k, l := range Labels {
			if h.Labels[k] != l.String() {
				errs = append(errs, fmt.Errorf("label %d is %q, want %q", k, h.Labels[k], l))
			}
		}
	}
	if h.HashBits < MinBits || h.HashBits > MaxBits {
		errs = append(errs, fmt.Errorf("hash bits %d out of range [%d, %d]", h.HashBits, MinBits, MaxBits))
	}
	if h.Rows < 0 || h.HashBits <= MaxBits && h.Rows > 1<<h.HashBits {
		errs = append(errs, fmt.Errorf("%d weight rows for %d hash bits", h.Rows, h.HashBits))
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w: %w", ErrInvalidModel, errors.Join(errs...))
	}
	rows := makeRows(1 << h.HashBits)
	var rec [recordSize]byte
	var w [NumLabels]float32
	var scan rowScan
	prev := -1
	for row := 0; row < h.Rows; row++ {
		if _, err := io.ReadFull(br, rec[:]); err != nil {
			return nil, fmt.Errorf("%w: weight row %d of %d: %w", ErrInvalidModel, row, h.Rows, err)
		}
		idx := int(binary.LittleEndian.Uint32(rec[0:]))
		if idx <= prev || idx >= 1<<h.HashBits {
			return nil, fmt.Errorf("%w: weight row %d: bucket %d out of order or range", ErrInvalidModel, row, idx)
		}
		prev = idx
		for k := range NumLabels {
			w[k] = math.Float32frombits(binary.LittleEndian.Uint32(rec[4+4*k:]))
		}
		rows[idx].set(w[:])
		scan.add(idx, &w)
	}
	return newModel(Params{Meta: h.Metadata, Bits: h.HashBits, Bias: h.Bias,
		Temperature: h.Temperature, DocThreshold: h.DocThreshold}, NumLabels<<h.HashBits, rows, &scan)
}

// LoadFS reads the model file name from fsys.
func LoadFS(fsys fs.FS, name string) (*Model, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := Load(f)
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", name, err)
	}
	return m, nil
}

func readLine(br *bufio.Reader, limit int) ([]byte, error) {
	var line []byte
	for {
		chunk, isPrefix, err := br.ReadLine()
		if err != nil {
			return nil, err
		}
		line = append(line, chunk...)
		if len(line) > limit {
			return nil, fmt.Errorf("longer than %d bytes", limit)
		}
		if !isPrefix {
			return line, nil
		}
	}
}

// openFile opens a gzip-compressed model or bundle file and reads its first
// line.
func openFile(r io.Reader) (*bufio.Reader, []byte, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: not gzip: %w", ErrInvalidModel, err)
	}
	br := bufio.NewReader(zr)
	line, err := readLine(br, maxHeaderBytes)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: header: %w", ErrInvalidModel, err)
	}
	return br, line, nil
}
