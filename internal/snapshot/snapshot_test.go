package snapshot

import (
	"errors"
	"strings"
	"testing"
)

// TestRoundTrip: what an Encoder writes, a Decoder reads back, and Body
// tells a snapshot of another format or key.
func TestRoundTrip(t *testing.T) {
	const format = "test-snapshot/1\n"
	key := []byte("0123456789abcdef")
	e := NewEncoder(format, key)
	e.U32(7)
	e.F64(-2.5)
	e.Str("héllo")
	e.Raw(Bool(true), 9)
	snap := string(e.B)

	stale := errors.New("stale")
	if _, err := Body("test snapshot", snap, "other/1\n", key, stale); err == nil || err.Error() != "test snapshot: not other/1" {
		t.Errorf("another format: %v", err)
	}
	if _, err := Body("test snapshot", snap, format, []byte("fedcba9876543210"), stale); err != stale {
		t.Errorf("another key: %v, want the stale error", err)
	}
	body, err := Body("test snapshot", snap, format, key, stale)
	if err != nil {
		t.Fatal(err)
	}
	d := NewDecoder("test snapshot", body)
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
	e := NewEncoder("", nil)
	e.U32(1000)
	if d := NewDecoder("x", string(e.B)); d.Count(4) != 0 || d.Finish("") == nil ||
		!strings.Contains(d.Finish("").Error(), "count 1000 past the end") {
		t.Errorf("a count past the end: %v", d.Finish(""))
	}
	d := NewDecoder("x", "ab")
	if d.U32() != 0 || d.Byte() != 0 || d.Finish("") == nil || d.Finish("").Error() != "x: truncated" {
		t.Errorf("a read past the end: %v", d.Finish(""))
	}
	d = NewDecoder("x", "abc")
	d.Byte()
	if err := d.Finish("the byte"); err == nil || err.Error() != "x: 2 bytes after the byte" {
		t.Errorf("bytes left over: %v", err)
	}
}
