package offsets_test

import (
	"fmt"

	"github.com/stance/classifierd/internal/offsets"
)

// A Python caller counts code points and a JavaScript caller UTF-16 code
// units; the service works in UTF-8 bytes and converts at the edges.
func ExampleConverter() {
	text := "🕊 Iran’s envoy"
	start := len("🕊 ") // byte offset of "Iran"
	for _, enc := range []offsets.Encoding{offsets.UTF8, offsets.UTF16, offsets.CodePoints} {
		c := offsets.NewConverter(text, enc)
		fmt.Printf("%-11s Iran starts at %d, text length %d\n", enc, c.FromBytes(start), c.Len())
	}
	// Output:
	// utf8        Iran starts at 5, text length 19
	// utf16       Iran starts at 3, text length 15
	// code points Iran starts at 2, text length 14
}
