package batch

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stance/classifierd/internal/dataset"
	"github.com/valyala/fastjson"
	"google.golang.org/protobuf/testing/protocmp"
)

// readAll returns every document of an input as "id|text|err".
func readAll(t *testing.T, in *Input) []string {
	t.Helper()
	defer in.Close()
	var got []string
	for {
		d, err := in.Next()
		if errors.Is(err, io.EOF) {
			return got
		}
		if err != nil {
			t.Fatal(err)
		}
		s := d.ID + "|"
		if d.Req != nil {
			s += d.Req.GetText()
		}
		if d.Err != nil {
			s += "|" + d.Err.Error()
		}
		got = append(got, s)
	}
}

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestInputFormats(t *testing.T) {
	jsonl := `{"id":"a","text":"Iran and NATO"}` + "\n\n" + `{"id":"b","text":"x"}`
	tests := []struct {
		name    string
		file    string
		content []byte
		format  Format
		want    []string
	}{
		{"jsonl", "in.jsonl", []byte(jsonl), FormatAuto, []string{"a|Iran and NATO", "b|x"}},
		{"gzip jsonl", "in.jsonl.gz", gz(t, jsonl), FormatAuto, []string{"a|Iran and NATO", "b|x"}},
		{"gzip without .gz", "data", gz(t, jsonl), FormatAuto, []string{"a|Iran and NATO", "b|x"}},
		{"sniffed jsonl", "data", []byte("  \n" + jsonl), FormatAuto, []string{"a|Iran and NATO", "b|x"}},
		{"sniffed text", "story", []byte("NATO met.\n{not json}"), FormatAuto, []string{"story|NATO met.\n{not json}"}},
		{"forced text", "in.jsonl", []byte(jsonl), FormatText, []string{"in.jsonl|" + jsonl}},
		{"gzip text", "story.txt.gz", gz(t, "Iran spoke."), FormatAuto, []string{"story.txt.gz|Iran spoke."}},
		{"not UTF-8", "bad.txt", []byte("caf\xe9"), FormatAuto, []string{"bad.txt||malformed input: bad.txt is not valid UTF-8"}},
		{"empty", "empty.jsonl", nil, FormatAuto, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), tt.file)
			if err := os.WriteFile(p, tt.content, 0o644); err != nil {
				t.Fatal(err)
			}
			in, err := Open(p, tt.format, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := readAll(t, in)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestInputStdin(t *testing.T) {
	in, err := Open("-", FormatAuto, bytes.NewReader(gz(t, `{"id":"s","text":"hi"}`)))
	if err != nil {
		t.Fatal(err)
	}
	if in.Size() != -1 {
		t.Errorf("size %d, want -1", in.Size())
	}
	if got := readAll(t, in); len(got) != 1 || got[0] != "s|hi" {
		t.Errorf("got %q", got)
	}
}

func TestInputDirectory(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{
		"b.txt":       []byte("second"),
		"a.txt":       []byte("first"),
		"c.txt.gz":    gz(t, "third"),
		".hidden":     []byte("skipped"),
		"sub/d.txt":   []byte("skipped too"),
		"e.jsonl":     []byte(`{"id":"x","text":"a file of a directory is text"}`),
		"f-empty.txt": nil,
	}
	var size int64
	for name, b := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(name, "/") && !strings.HasPrefix(name, ".") {
			size += int64(len(b))
		}
	}
	in, err := Open(dir, FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	if in.Size() != size {
		t.Errorf("size %d, want %d", in.Size(), size)
	}
	want := []string{"a.txt|first", "b.txt|second", "c.txt.gz|third", `e.jsonl|{"id":"x","text":"a file of a directory is text"}`, "f-empty.txt|"}
	if got := readAll(t, in); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if _, err := Open(dir, FormatJSONL, nil); err == nil {
		t.Error("a directory read as JSONL: no error")
	}
}

func TestInputLongLine(t *testing.T) {
	long := `{"id":"big","text":"` + strings.Repeat("a", dataset.MaxLineBytes) + `"}`
	p := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(p, []byte(`{"id":"1","text":"x"}`+"\n"+long+"\n"+`{"id":"3","text":"y"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := Open(p, FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := readAll(t, in)
	want := []string{"1|x", "line:2||malformed input: line 2: line longer than 8388608 bytes", "3|y"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestScanOutput(t *testing.T) {
	out := `{"id":"a","mentions":[]}` + "\n" + `{"model_version":"v"}` + "\n" + `{"id":"a"}` + "\n" + `{"id":"c","men`
	res, err := ScanOutput(strings.NewReader(out), false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Lines != 3 || res.Size != int64(strings.LastIndex(out, "\n")+1) {
		t.Errorf("lines %d size %d", res.Lines, res.Size)
	}
	if res.ids["a"] != 2 || res.ids[""] != 1 {
		t.Errorf("ids %v", res.ids)
	}
	if _, err := ScanOutput(strings.NewReader("not json\n"), false); err == nil {
		t.Error("garbage line: no error")
	}
}

func FuzzParseLine(f *testing.F) {
	f.Add([]byte(`{"id":"a","text":"Iran","targets":[{"start":0,"end":4}],"labels":["hostile"]}`))
	f.Add([]byte(`{"text":"é","targets":[{"start":1,"end":2}]}`))
	f.Add([]byte(`[`))
	f.Add([]byte(`{"ID":"a","text":"x","Text":"y","targets":[{"start":0,"end":1,"START":0}],"labels":null}`))
	f.Add([]byte(`{"id":"\ud800","text":"a\u00e9\t","targets":[null,{"start":1.0,"end":2}],"x":[1,{"y":2}]}`))
	f.Add([]byte(`{"id":"a","id":"b","text":"xy","targets":[{"start":0,"end":1}],"targets":[{"end":2}]}`))
	f.Add([]byte("{\"text\":\"a\xffb\"}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d := parseLine(1, b, new(fastjson.Parser))
		// The fast path reads every line as encoding/json does.
		slow := parseLine(1, b, nil)
		if diff := cmp.Diff(slow, d, protocmp.Transform(), cmp.Comparer(func(a, b error) bool { return (a == nil) == (b == nil) })); diff != "" {
			t.Fatalf("fast and encoding/json paths differ for %q (-slow +fast):\n%s", b, diff)
		}
		if d.ID == "" {
			t.Fatal("empty id")
		}
		if (d.Err == nil) == (d.Req == nil) {
			t.Fatalf("err %v with request %v", d.Err, d.Req)
		}
		if d.Req != nil {
			for _, s := range d.Req.GetSpans() {
				if s.GetStart() >= s.GetEnd() || int(s.GetEnd()) > len(d.Req.GetText()) {
					t.Fatalf("span %v out of range", s)
				}
			}
		}
	})
}

// TestParseFastTakesPlainLines: the fast path reads the lines of the
// NewsMTSC files and stancectl's own examples, not only odd ones.
func TestParseFastTakesPlainLines(t *testing.T) {
	var p fastjson.Parser
	for _, l := range []string{
		`{"id": "train:1", "text": "She referred to President Trump as a \u201cpiece\u201d.", "targets": [{"start": 0, "end": 3, "entity": "She"}], "labels": ["hostile"]}`,
		`{"id":"a1","text":"NATO accused Iran.","targets":[{"start":0,"end":4,"entity":"NATO"}]}`,
		`{"text":"no id","extra":{"nested":[1,2]}}`,
	} {
		if _, ok := parseFast(&p, []byte(l)); !ok {
			t.Errorf("fast path refused %s", l)
		}
	}
}
