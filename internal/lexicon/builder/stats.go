package builder

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/stance/classifierd/internal/lexicon"
)

// Stats counts cues by source (all CAMEO codes counted as "cameo") and by
// kind.
type Stats struct {
	// BySource counts cues by source, "cameo:CODE" parts counted as "cameo".
	BySource map[string]int
	// ByKind counts cues by kind.
	ByKind map[lexicon.Kind]int
}

// Count returns the stats of cues.
func Count(cues []lexicon.Cue) Stats {
	s := Stats{BySource: map[string]int{}, ByKind: map[lexicon.Kind]int{}}
	for _, c := range cues {
		parts := strings.Split(c.Source, "+")
		for i, p := range parts {
			if strings.HasPrefix(p, "cameo:") {
				parts[i] = "cameo"
			}
		}
		src := strings.Join(parts, "+")
		s.BySource[src]++
		s.ByKind[c.Kind]++
	}
	return s
}

// WriteTo writes the stats as "source N" and "kind N" lines, sorted.
func (s Stats) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	for _, src := range slices.Sorted(maps.Keys(s.BySource)) {
		fmt.Fprintf(&b, "source %-12s %6d\n", src, s.BySource[src])
	}
	for _, k := range slices.Sorted(maps.Keys(s.ByKind)) {
		fmt.Fprintf(&b, "kind   %-12s %6d\n", k, s.ByKind[k])
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}
