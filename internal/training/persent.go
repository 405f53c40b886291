package training

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stance/classifierd/internal/dataset"
)

// PerSenT (../shared/data/persent) labels the author's stance toward one
// person per news article, paragraph by paragraph. Every mention of that
// person in a labelled paragraph becomes a weakly labelled mention example
// with the paragraph's label: the label is about the paragraph, not the
// sentence, and about sentiment more than an event between parties, so
// these examples train with a small weight that cross-validation chose and
// are never scored as if they were gold.

// perSenTDoc is one line of a PerSenT *.doc.jsonl file.
type perSenTDoc struct {
	ID         string `json:"id"`
	Text       string `json:"text"`
	Entity     string `json:"entity"`
	Paragraphs []struct {
		Start int    `json:"start"`
		End   int    `json:"end"`
		Label string `json:"label"`
	} `json:"paragraphs"`
}

// maxPerSenTMentions caps the examples one paragraph gives: a profile's
// paragraph naming its person five times is one judgement, not five.
const maxPerSenTMentions = 3

// readPerSenT reads a PerSenT document file as stance examples: one per
// document with paragraph labels, its targets the main person's mentions in
// labelled paragraphs. pronouns adds sentence-initial "He"/"She" in a
// paragraph that does not name the person.
func readPerSenT(path string, pronouns bool) ([]dataset.Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), dataset.MaxLineBytes)
	var out []dataset.Example
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var d perSenTDoc
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", path, n, err)
		}
		ex := dataset.Example{ID: d.ID, Text: d.Text}
		names := personNames(d.Entity)
		for _, p := range d.Paragraphs {
			if p.Start < 0 || p.End > len(d.Text) || p.Start >= p.End {
				return nil, fmt.Errorf("%s: line %d: paragraph [%d,%d) out of range", path, n, p.Start, p.End)
			}
			spans := findNames(d.Text, p.Start, p.End, names)
			if len(spans) == 0 && pronouns {
				spans = findPronouns(d.Text, p.Start, p.End)
			}
			for _, s := range spans[:min(len(spans), maxPerSenTMentions)] {
				ex.Targets = append(ex.Targets, dataset.Target{Start: s[0], End: s[1], Entity: d.Entity})
				ex.Labels = append(ex.Labels, p.Label)
			}
		}
		if len(ex.Targets) == 0 {
			continue
		}
		if err := ex.Check(); err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", path, n, err)
		}
		out = append(out, ex)
	}
	return out, sc.Err()
}

// personNames returns the forms a person is named by, longest first: the
// full name and the surname (its last word, passing over "Jr." and the
// like). All-capital names ("MORRIS") are also looked for in title case.
func personNames(entity string) []string {
	words := strings.FieldsFunc(entity, func(r rune) bool { return unicode.IsSpace(r) })
	for len(words) > 0 && !startsWithLetter(words[0]) {
		words = words[1:] // "-- Donald Trump"
	}
	if len(words) == 0 {
		return nil
	}
	var names []string
	add := func(s string) {
		for _, form := range []string{s, titleCase(s)} {
			if utf8.RuneCountInString(form) >= 3 && !contains(names, form) {
				names = append(names, form)
			}
		}
	}
	add(strings.Join(words, " "))
	last := len(words) - 1
	for last > 0 && isNameSuffix(words[last]) {
		last--
	}
	if last > 0 {
		add(words[last])
	}
	return names
}

func startsWithLetter(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsLetter(r)
}

func isNameSuffix(w string) bool {
	switch strings.TrimSuffix(w, ".") {
	case "Jr", "Sr", "II", "III", "IV":
		return true
	}
	return false
}

// titleCase turns an all-capital word sequence into title case and leaves
// anything else as it is.
func titleCase(s string) string {
	if strings.ToUpper(s) != s {
		return s
	}
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		r, n := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[n:]
	}
	return strings.Join(words, " ")
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// findNames returns the spans of names in text[start:end] as whole words,
// in text order, a shorter name never inside a longer one's match.
func findNames(text string, start, end int, names []string) [][2]int {
	var spans [][2]int
	taken := func(a, b int) bool {
		for _, s := range spans {
			if a < s[1] && b > s[0] {
				return true
			}
		}
		return false
	}
	for _, name := range names {
		for from := start; from < end; {
			i := strings.Index(text[from:end], name)
			if i < 0 {
				break
			}
			a, b := from+i, from+i+len(name)
			from = b
			if wordEdge(text, a, b) && !taken(a, b) {
				spans = append(spans, [2]int{a, b})
			}
		}
	}
	slices.SortFunc(spans, func(x, y [2]int) int { return x[0] - y[0] })
	return spans
}

// wordEdge reports whether text[a:b] is not part of a longer word.
func wordEdge(text string, a, b int) bool {
	if r, _ := utf8.DecodeLastRuneInString(text[:a]); a > 0 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(text[b:]); b < len(text) && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
		return false
	}
	return true
}

// findPronouns returns the sentence-initial "He" and "She" of
// text[start:end]: in an article about one person they almost always
// refer to that person.
func findPronouns(text string, start, end int) [][2]int {
	var spans [][2]int
	for _, p := range []string{"He", "She"} {
		for from := start; from < end; {
			i := strings.Index(text[from:end], p)
			if i < 0 {
				break
			}
			a, b := from+i, from+i+len(p)
			from = b
			if !wordEdge(text, a, b) {
				continue
			}
			before := strings.TrimRight(text[start:a], " \t\"“")
			if before == "" || strings.HasSuffix(before, ".") || strings.HasSuffix(before, "\n") {
				spans = append(spans, [2]int{a, b})
			}
		}
	}
	slices.SortFunc(spans, func(x, y [2]int) int { return x[0] - y[0] })
	return spans
}
