// Package offsets converts text offsets between UTF-8 bytes, UTF-16 code
// units and Unicode code points, so that callers in any language get spans
// they can slice their own strings with.
package offsets

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// Encoding is how offsets are counted.
type Encoding uint8

const (
	// UTF8 counts bytes of UTF-8 (Go, Rust, C).
	UTF8 Encoding = iota
	// UTF16 counts UTF-16 code units (Java, JavaScript, C#).
	UTF16
	// CodePoints counts Unicode code points (Python).
	CodePoints
)

// String names the encoding.
func (e Encoding) String() string {
	switch e {
	case UTF8:
		return "utf8"
	case UTF16:
		return "utf16"
	case CodePoints:
		return "code points"
	}
	return fmt.Sprintf("encoding(%d)", uint8(e))
}

var (
	// ErrOutOfRange is an offset past the end of the text.
	ErrOutOfRange = errors.New("out of range")
	// ErrNotBoundary is an offset inside a character (inside a UTF-8
	// sequence, or between the two halves of a UTF-16 surrogate pair).
	ErrNotBoundary = errors.New("not on a character boundary")
)

const notBoundary = ^uint32(0)

// Converter maps offsets of one text between UTF-8 bytes and an encoding.
// The zero-cost UTF-8 converter builds no tables.
type Converter struct {
	enc  Encoding
	size int // text length in bytes
	// unitAt[b] is the offset in enc of byte b, or notBoundary.
	unitAt []uint32
	// byteAt[u] is the byte offset of unit u, or notBoundary.
	byteAt []uint32
}

// NewConverter builds a converter for text in enc. Invalid UTF-8 bytes
// count as one unit each (U+FFFD) in the other encodings.
func NewConverter(text string, enc Encoding) *Converter {
	c := &Converter{enc: enc, size: len(text)}
	if enc == UTF8 {
		return c
	}
	c.unitAt = make([]uint32, len(text)+1)
	c.byteAt = make([]uint32, 0, len(text)+1)
	for i := range c.unitAt {
		c.unitAt[i] = notBoundary
	}
	u := uint32(0)
	for b := 0; b < len(text); {
		r, size := utf8.DecodeRuneInString(text[b:])
		c.unitAt[b] = u
		c.byteAt = append(c.byteAt, uint32(b))
		u++
		if enc == UTF16 && r >= 0x10000 {
			c.byteAt = append(c.byteAt, notBoundary) // low surrogate
			u++
		}
		b += size
	}
	c.unitAt[len(text)] = u
	c.byteAt = append(c.byteAt, uint32(len(text)))
	return c
}

// Len returns the text's length in the converter's encoding.
func (c *Converter) Len() int {
	if c.enc == UTF8 {
		return c.size
	}
	return len(c.byteAt) - 1
}

// ToBytes converts an offset in the encoding to a byte offset.
func (c *Converter) ToBytes(off uint32) (int, error) {
	if int64(off) > int64(c.Len()) {
		return 0, fmt.Errorf("offset %d: %w (length %d)", off, ErrOutOfRange, c.Len())
	}
	if c.enc == UTF8 {
		return int(off), nil
	}
	b := c.byteAt[off]
	if b == notBoundary {
		return 0, fmt.Errorf("offset %d: %w", off, ErrNotBoundary)
	}
	return int(b), nil
}

// FromBytes converts a byte offset, which must be a character boundary
// within the text, to the encoding.
func (c *Converter) FromBytes(b int) uint32 {
	if c.enc == UTF8 {
		return uint32(b)
	}
	return c.unitAt[b]
}
