package batch

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/zstd"
)

// Compression is how the output file is compressed, chosen by its name.
type Compression int

// The output compressions.
const (
	// NoCompression writes plain JSONL.
	NoCompression Compression = iota
	// Gzip writes gzip (a name ending in .gz).
	Gzip
	// Zstd writes Zstandard (a name ending in .zst or .zstd), with
	// github.com/klauspost/compress/zstd: several times faster than gzip
	// and smaller.
	Zstd
)

// CompressionFor returns the compression that a file name asks for.
func CompressionFor(name string) Compression {
	n := strings.ToLower(name)
	switch {
	case strings.HasSuffix(n, ".gz"):
		return Gzip
	case strings.HasSuffix(n, ".zst"), strings.HasSuffix(n, ".zstd"):
		return Zstd
	}
	return NoCompression
}

// String names the compression.
func (c Compression) String() string {
	switch c {
	case Gzip:
		return "gzip"
	case Zstd:
		return "zstd"
	}
	return "none"
}

// compressor is a compressing writer that can make what it was given so
// far decodable (Flush) and end its stream (Close) without closing the
// writer below.
type compressor interface {
	io.Writer
	Flush() error
	Close() error
}

// nopCompressor writes through.
type nopCompressor struct{ io.Writer }

func (nopCompressor) Flush() error { return nil }
func (nopCompressor) Close() error { return nil }

// newCompressor returns a compressor of c writing to w.
func newCompressor(c Compression, w io.Writer) (compressor, error) {
	switch c {
	case Gzip:
		return gzip.NewWriter(w), nil
	case Zstd:
		// One goroutine: a batch run's cores classify; the default level is
		// about gzip's ratio at several times its speed.
		zw, err := zstd.NewWriter(w, zstd.WithEncoderConcurrency(1))
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		return zw, nil
	}
	return nopCompressor{w}, nil
}

// zstdMagic starts every Zstandard frame.
var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// decompressReader returns r decompressed as its first bytes say (gzip,
// Zstandard or neither), buffered.
func decompressReader(r io.Reader) (*bufio.Reader, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	magic, _ := br.Peek(4)
	switch {
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		return bufio.NewReaderSize(zr, 256<<10), nil
	case len(magic) == 4 && string(magic) == string(zstdMagic):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		return bufio.NewReaderSize(zr.IOReadCloser(), 256<<10), nil
	}
	return br, nil
}
