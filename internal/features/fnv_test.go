package features

import (
	"hash/fnv"
	"testing"
)

// TestFNV32a: a cue's id is hash/fnv's FNV-1a of its phrase, as before it
// was computed inline.
func TestFNV32a(t *testing.T) {
	for _, s := range []string{"", "a", "signed a memorandum", "ñandú", "\xff\x00"} {
		h := fnv.New32a()
		h.Write([]byte(s))
		if got, want := fnv32a(s), h.Sum32(); got != want {
			t.Errorf("fnv32a(%q) = %#x, want %#x", s, got, want)
		}
	}
}
