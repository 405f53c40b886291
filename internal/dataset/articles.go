package dataset

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// Articles are news articles by URL. Labels on text the repository may not
// hold (third-party news, such as the Wikinews sample in
// ../shared/data/raw-news/wikinews) are kept as references: a data line
// names an article and byte offsets into its text, and the text is read
// from here when the data is, so that no article's words are copied.
type Articles map[string]Article

// Article is one article: its title and text as the source gives them.
type Article struct {
	Title, Text string
}

// ReadArticles reads every *.csv file of dir with the columns url, date,
// title and text (the Wikinews sample's), in file-name order; rows
// without text are left out.
func ReadArticles(dir string) (Articles, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s: no *.csv article files", dir)
	}
	sort.Strings(paths)
	out := Articles{}
	for _, p := range paths {
		if err := readArticleCSV(p, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func readArticleCSV(path string, out Articles) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for _, name := range []string{"url", "title", "text"} {
		if _, ok := col[name]; !ok {
			return fmt.Errorf("%s: no %q column", path, name)
		}
	}
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if text := row[col["text"]]; text != "" {
			out[row[col["url"]]] = Article{Title: row[col["title"]], Text: text}
		}
	}
}

// refLine is a stance JSONL line that labels a span of an article:
// "text" is arts[article].Text[start:end], and the targets' offsets are
// into that span, as in any stance JSONL line.
type refLine struct {
	ID      string   `json:"id"`
	Article string   `json:"article"`
	Start   int      `json:"start"`
	End     int      `json:"end"`
	Targets []Target `json:"targets"`
	Labels  []string `json:"labels"`
}

// ReadRefFile reads a stance JSONL file whose lines refer to spans of
// arts' articles ({"id", "article", "start", "end", "targets", "labels"})
// as examples with the span's text. Any malformed line, unknown article
// or span outside its text is an error.
func ReadRefFile(path string, arts Articles) ([]Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Example
	err = scanLines(f, func(n int, b []byte) error {
		var l refLine
		if err := json.Unmarshal(b, &l); err != nil {
			return fmt.Errorf("%s: line %d: %w", path, n, err)
		}
		a, ok := arts[l.Article]
		if !ok {
			return fmt.Errorf("%s: line %d: no article %q", path, n, l.Article)
		}
		if l.Start < 0 || l.End > len(a.Text) || l.Start >= l.End {
			return fmt.Errorf("%s: line %d: span [%d,%d) invalid for the %d-byte article", path, n, l.Start, l.End, len(a.Text))
		}
		ex := Example{ID: l.ID, Text: a.Text[l.Start:l.End], Targets: l.Targets, Labels: l.Labels, Group: l.Article}
		if err := ex.Check(); err != nil {
			return fmt.Errorf("%s: line %d: %w", path, n, err)
		}
		out = append(out, ex)
		return nil
	})
	return out, err
}
