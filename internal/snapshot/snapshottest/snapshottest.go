// Package snapshottest checks a snapshot decoder against damaged input,
// the same way for every snapshot the project writes.
package snapshottest

import "testing"

// Damage checks that decode refuses body cut short (at every stride-th
// length) and with a byte after its end, and decodes body with each of
// overwrites written at every offset, one at a time: what decode accepts
// must be safe to use, which use exercises (a lookup that indexes what was
// read panics on what it should have refused).
func Damage[T any](t *testing.T, body string, stride int, overwrites []string, decode func(string) (T, error), use func(T)) {
	t.Helper()
	for n := 0; n < len(body); n += max(1, stride) {
		if _, err := decode(body[:n]); err == nil {
			t.Fatalf("truncated to %d of %d bytes: read", n, len(body))
		}
	}
	if _, err := decode(body + "x"); err == nil {
		t.Error("a byte after the end: read")
	}
	for i := range len(body) {
		for _, v := range overwrites {
			b := []byte(body)
			copy(b[i:], v)
			if x, err := decode(string(b)); err == nil {
				use(x)
			}
		}
	}
}
