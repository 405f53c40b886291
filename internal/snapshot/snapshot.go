// Package snapshot writes and reads the binary snapshots of built tables
// (the gazetteer, the lexicon, the cue index) that start-up reads instead
// of building them again: a line naming the format, the SHA-256 key of
// what the snapshot was built from, then the fields, integers
// little-endian. Each table's package says which fields, in which order;
// this package keeps the encoding and the bounds checks in one place.
package snapshot

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
)

// Kind is one kind of snapshot: Name starts its errors ("gazetteer
// snapshot"), Format is its first line, and Stale is the error for a
// snapshot built from another source than the one at hand.
type Kind struct {
	Name, Format string
	Stale        error
}

// NewKind returns the kind name of snapshot, whose first line is format
// and which is built from a source ("table", "lexicon").
func NewKind(name, format, source string) Kind {
	return Kind{Name: name, Format: format, Stale: errors.New(name + ": written from another " + source)}
}

// Encoder starts a snapshot of kind k, built from what key names.
func (k Kind) Encoder(key []byte) *Encoder {
	return &Encoder{B: append([]byte(k.Format), key...)}
}

// Write writes what e holds to w.
func (k Kind) Write(w io.Writer, e *Encoder) error {
	if _, err := w.Write(e.B); err != nil {
		return fmt.Errorf("write %s: %w", k.Name, err)
	}
	return nil
}

// Body returns the fields of snap after its format line and key: an error
// for a snap of another format, k.Stale for one built from something other
// than key.
func (k Kind) Body(snap string, key []byte) (string, error) {
	rest, ok := strings.CutPrefix(snap, k.Format)
	if !ok || len(rest) < len(key) {
		return "", errors.New(k.Name + ": not " + strings.TrimSpace(k.Format))
	}
	if rest[:len(key)] != string(key) {
		return "", k.Stale
	}
	return rest[len(key):], nil
}

// Decoder reads body, the fields of a snapshot of kind k.
func (k Kind) Decoder(body string) *Decoder { return &Decoder{name: k.Name, b: body} }

// Encoder appends a snapshot's fields to B.
type Encoder struct{ B []byte }

// U32 appends v.
func (e *Encoder) U32(v uint32) { e.B = binary.LittleEndian.AppendUint32(e.B, v) }

// F64 appends v's bits.
func (e *Encoder) F64(v float64) { e.B = binary.LittleEndian.AppendUint64(e.B, math.Float64bits(v)) }

// Raw appends bs as they are.
func (e *Encoder) Raw(bs ...byte) { e.B = append(e.B, bs...) }

// Str appends s's length, then s.
func (e *Encoder) Str(s string) {
	e.U32(uint32(len(s)))
	e.B = append(e.B, s...)
}

// Bool is b as a byte.
func Bool(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// Decoder reads a snapshot's fields. After its first error it reads
// zeros and empty strings, so that a reader checks Err once, at the end.
type Decoder struct {
	name string
	b    string
	err  error
}

// Fail records an error, unless one is recorded already, and stops
// reading.
func (d *Decoder) Fail(format string, a ...any) {
	if d.err == nil {
		d.err = fmt.Errorf(d.name+": "+format, a...)
	}
	d.b = ""
}

// Take reads n bytes. The string is the snapshot's own, not a copy.
func (d *Decoder) Take(n int) string {
	if n < 0 || n > len(d.b) {
		d.Fail("truncated")
		return ""
	}
	s := d.b[:n]
	d.b = d.b[n:]
	return s
}

// U32 reads a uint32.
func (d *Decoder) U32() uint32 {
	s := d.Take(4)
	if len(s) < 4 {
		return 0
	}
	return le32(s)
}

// F64 reads a float64.
func (d *Decoder) F64() float64 {
	s := d.Take(8)
	if len(s) < 8 {
		return 0
	}
	return math.Float64frombits(uint64(le32(s[:4])) | uint64(le32(s[4:]))<<32)
}

// le32 is the little-endian uint32 of s's first four bytes, read from the
// string without converting it.
func le32(s string) uint32 {
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// Byte reads a byte.
func (d *Decoder) Byte() byte {
	s := d.Take(1)
	if s == "" {
		return 0
	}
	return s[0]
}

// Str reads a string written by Encoder.Str.
func (d *Decoder) Str() string { return d.Take(int(d.U32())) }

// Count reads a number of items of at least size bytes each, refusing
// one that the bytes left could not hold, so that a damaged snapshot
// allocates no more than its own size.
func (d *Decoder) Count(size int) int {
	n := int(d.U32())
	if n > len(d.b)/size {
		d.Fail("count %d past the end", n)
		return 0
	}
	return n
}

// Finish returns the first error, or one for bytes left after the last
// field (what names it).
func (d *Decoder) Finish(what string) error {
	if d.err == nil && d.b != "" {
		d.Fail("%d bytes after %s", len(d.b), what)
	}
	return d.err
}
