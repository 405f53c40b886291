package lexicon

import (
	"bufio"
	"io"
	"strconv"
)

// Write writes cues in the canonical TSV format: one
// "phrase<TAB>weight<TAB>kind<TAB>source" line per cue, sorted by phrase,
// weights in the shortest decimal form that reads back exactly, no
// comments. It reports every invalid cue and repeated phrase at once and
// then writes nothing. Load reads the output back to the same cues.
func Write(w io.Writer, cues []Cue) error {
	sorted := append([]Cue(nil), cues...)
	if err := validateSorted(sorted); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	var buf []byte
	for _, c := range sorted {
		buf = appendLine(buf[:0], c)
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// appendLine appends the canonical line for c.
func appendLine(b []byte, c Cue) []byte {
	b = append(b, c.Phrase...)
	b = append(b, '\t')
	w := c.Weight
	if w == 0 {
		w = 0 // write -0 as 0
	}
	b = strconv.AppendFloat(b, w, 'f', -1, 64)
	b = append(b, '\t')
	b = append(b, c.Kind.String()...)
	b = append(b, '\t')
	b = append(b, c.Source...)
	return append(b, '\n')
}
