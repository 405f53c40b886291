package offsets

import (
	"errors"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

func TestConverterRoundTrip(t *testing.T) {
	text := "“NATO’s” café 中国 🕊️ end"
	for _, enc := range []Encoding{UTF8, UTF16, CodePoints} {
		c := NewConverter(text, enc)
		for b := 0; b <= len(text); b++ {
			if b < len(text) && !utf8.RuneStart(text[b]) {
				continue
			}
			u := c.FromBytes(b)
			back, err := c.ToBytes(u)
			if err != nil || back != b {
				t.Fatalf("%v: byte %d -> %d -> %d, %v", enc, b, u, back, err)
			}
		}
	}
}

func TestConverterLengths(t *testing.T) {
	text := "a🕊é"
	tests := []struct {
		enc  Encoding
		want int
	}{
		{UTF8, len(text)},
		{UTF16, len(utf16.Encode([]rune(text)))},
		{CodePoints, utf8.RuneCountInString(text)},
	}
	for _, tt := range tests {
		if got := NewConverter(text, tt.enc).Len(); got != tt.want {
			t.Errorf("%v: Len = %d, want %d", tt.enc, got, tt.want)
		}
	}
}

func TestConverterErrors(t *testing.T) {
	text := "a🕊b" // the dove is a surrogate pair in UTF-16
	if _, err := NewConverter(text, UTF16).ToBytes(2); !errors.Is(err, ErrNotBoundary) {
		t.Errorf("UTF16 offset inside surrogate pair: err = %v, want ErrNotBoundary", err)
	}
	if _, err := NewConverter(text, CodePoints).ToBytes(4); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("code point offset past end: err = %v, want ErrOutOfRange", err)
	}
	if _, err := NewConverter(text, UTF8).ToBytes(99); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("byte offset past end: err = %v, want ErrOutOfRange", err)
	}
}
