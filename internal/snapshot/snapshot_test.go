package snapshot

import (
	"errors"
	"strings"
	"testing"
)

// TestRoundTrip: what an Encoder writes, a Decoder reads back, and Body
// tells a snapshot of another format or key.
func TestRoundTrip(t *testing.T) {
	kind := NewKind("test snapshot", "test-snapshot/1\n", "source")
	key := []byte("0123456789abcdef")
	e := kind.Encoder(key)
	e.U32(7)
	e.F64(-2.5)
	e.Str("héllo")
	e.Raw(Bool(true), 9)
	snap := string(e.B)

	other := NewKind("test snapshot", "other/1\n", "source")
	if _, err := other.Body(snap, key); err == nil || err.Error() != "test snapshot: not other/1" {
		t.Errorf("another format: %v", err)
	}
	if _, err := kind.Body(snap, []byte("fedcba9876543210")); err != kind.Stale || err.Error() != "test snapshot: written from another source" {
		t.Errorf("another key: %v, want the stale error", err)
	}
	body, err := kind.Body(snap, key)
	if err != nil {
		t.Fatal(err)
	}
	var w strings.Builder
	if err := kind.Write(&w, e); err != nil || w.String() != snap {
		t.Errorf("Write: %v, %q", err, w.String())
	}
	if err := kind.Write(failingWriter{}, e); err == nil || !strings.HasPrefix(err.Error(), "write test snapshot: ") {
		t.Errorf("Write to a failing writer: %v", err)
	}
	d := kind.Decoder(body)
	if u, f, s, b1, b2 := d.U32(), d.F64(), d.Str(), d.Byte(), d.Byte(); u != 7 || f != -2.5 || s != "héllo" || b1 != 1 || b2 != 9 {
		t.Errorf("read %v %v %q %v %v", u, f, s, b1, b2)
	}
	if err := d.Finish("the end"); err != nil {
		t.Error(err)
	}
}

// TestDecoderErrors: a count the bytes left cannot hold, a read past the
// end and bytes left over are errors, the first one kept.
func TestDecoderErrors(t *testing.T) {
	x := Kind{Name: "x"}
	e := x.Encoder(nil)
	e.U32(1000)
	if d := x.Decoder(string(e.B)); d.Count(4) != 0 || d.Finish("") == nil ||
		!strings.Contains(d.Finish("").Error(), "count 1000 past the end") {
		t.Errorf("a count past the end: %v", d.Finish(""))
	}
	d := x.Decoder("ab")
	if d.U32() != 0 || d.Byte() != 0 || d.Finish("") == nil || d.Finish("").Error() != "x: truncated" {
		t.Errorf("a read past the end: %v", d.Finish(""))
	}
	d = x.Decoder("abc")
	d.Byte()
	if err := d.Finish("the byte"); err == nil || err.Error() != "x: 2 bytes after the byte" {
		t.Errorf("bytes left over: %v", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }
