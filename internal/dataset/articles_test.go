package dataset

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// writeArticles writes a CSV article file as the Wikinews sample has them:
// quoted fields, a text with line breaks and doubled quotes.
func writeArticles(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	csv := "url,date,title,text\n" +
		"https://example.org/a,2020-01-01,\"Talks, at last\",\"Friday\n\nIran and Russia signed a \"\"strategic\"\" pact. Brazil watched.\"\n" +
		"https://example.org/empty,2020-01-02,Nothing,\n"
	if err := os.WriteFile(filepath.Join(dir, "news_2020.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestReadArticles(t *testing.T) {
	arts, err := ReadArticles(writeArticles(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 1 {
		t.Fatalf("%d articles, want 1 (a row without text is left out)", len(arts))
	}
	a := arts["https://example.org/a"]
	if a.Title != "Talks, at last" || !strings.Contains(a.Text, `a "strategic" pact`) {
		t.Fatalf("article %+v", a)
	}
	if _, err := ReadArticles(t.TempDir()); err == nil {
		t.Error("a directory without article files reads")
	}
}

func TestReadRefFile(t *testing.T) {
	arts, err := ReadArticles(writeArticles(t))
	if err != nil {
		t.Fatal(err)
	}
	text := arts["https://example.org/a"].Text
	start := strings.Index(text, "Iran")
	end := strings.Index(text, "pact.") + len("pact.")
	dir := t.TempDir()
	write := func(line string) string {
		p := filepath.Join(dir, "refs.jsonl")
		if err := os.WriteFile(p, []byte(line+"\n\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	line := `{"id":"r1","article":"https://example.org/a","start":` + strconv.Itoa(start) + `,"end":` + strconv.Itoa(end) +
		`,"targets":[{"start":9,"end":15,"entity":"Russia","holder":"Iran","holder_start":0,"holder_end":4}],"labels":["cooperative"]}`
	exs, err := ReadRefFile(write(line), arts)
	if err != nil {
		t.Fatal(err)
	}
	if len(exs) != 1 || exs[0].Group != "https://example.org/a" || exs[0].Text != `Iran and Russia signed a "strategic" pact.` || exs[0].Labels[0] != "cooperative" {
		t.Fatalf("examples %+v", exs)
	}
	if ex := exs[0]; ex.Text[ex.Targets[0].Start:ex.Targets[0].End] != "Russia" || ex.Text[ex.Targets[0].HolderStart:ex.Targets[0].HolderEnd] != "Iran" {
		t.Fatalf("offsets are not into the span: %+v", ex.Targets[0])
	}
	for name, bad := range map[string]string{
		"unknown article":  strings.Replace(line, "example.org/a", "example.org/b", 1),
		"span past text":   strings.Replace(line, `"end":`+strconv.Itoa(end), `"end":9999`, 1),
		"target past span": strings.Replace(line, `"start":9,"end":15`, `"start":9,"end":150`, 1),
		"not JSON":         line[:20],
	} {
		if _, err := ReadRefFile(write(bad), arts); err == nil {
			t.Errorf("%s: read without an error", name)
		}
	}
}
