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
	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
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

func TestRequestLines(t *testing.T) {
	in := writeFile(t, "req.jsonl", strings.Join([]string{
		`{"id":"r1","text":"Tehran accused Washington.","targets":[{"name":"Iran","aliases":["Tehran"],"type":"ENTITY_TYPE_COUNTRY"}],"options":{"maxEvidence":2},"offsetEncoding":"OFFSET_ENCODING_UTF16"}`,
		`{"text":"NATO met.","spans":[{"start":0,"end":4}],"offset_encoding":"OFFSET_ENCODING_CODE_POINTS","options":{"include_evidence":false}}`,
		`{"text":"x","targetz":[]}`,
		`[1]`,
	}, "\n"))
	input, err := Open(in, FormatRequests, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer input.Close()
	var docs []*Doc
	for {
		d, err := input.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
	no := false
	want := []*stancev1.ClassifyRequest{
		{Id: "r1", Text: "Tehran accused Washington.", Targets: []*stancev1.Target{{Name: "Iran", Aliases: []string{"Tehran"}, Type: stancev1.EntityType_ENTITY_TYPE_COUNTRY}},
			Options: &stancev1.ClassifyOptions{MaxEvidence: 2}, OffsetEncoding: stancev1.OffsetEncoding_OFFSET_ENCODING_UTF16},
		{Id: "line:2", Text: "NATO met.", Spans: []*stancev1.Span{{End: 4}}, OffsetEncoding: stancev1.OffsetEncoding_OFFSET_ENCODING_CODE_POINTS,
			Options: &stancev1.ClassifyOptions{IncludeEvidence: &no}},
	}
	if len(docs) != 4 {
		t.Fatalf("%d documents, want 4", len(docs))
	}
	for i, w := range want {
		if diff := cmp.Diff(w, docs[i].Req, protocmp.Transform()); diff != "" {
			t.Errorf("line %d (-want +got):\n%s", i+1, diff)
		}
	}
	if e := docs[2].Err; e == nil || !strings.Contains(e.Error(), "line 3: not a ClassifyRequest") || !strings.Contains(e.Error(), "targetz") {
		t.Errorf("line 3: %v", e)
	}
	if e := docs[3].Err; e == nil || !strings.Contains(e.Error(), "not a JSON object") {
		t.Errorf("line 4: %v", e)
	}
}

// TestStanceLineLooksLikeRequest: a ClassifyRequest line read as stance
// JSONL says to use -format requests, rather than reading name targets as
// spans [0,0).
func TestStanceLineLooksLikeRequest(t *testing.T) {
	var p fastjson.Parser
	for _, l := range []string{
		`{"text":"Iran","targets":[{"name":"Iran"}]}`,
		`{"text":"Iran","spans":[{"start":0,"end":4}]}`,
		`{"text":"Iran","options":{"maxEvidence":1}}`,
	} {
		d := parseLine(1, []byte(l), &p)
		if d.Err == nil || !strings.Contains(d.Err.Error(), "-format requests") {
			t.Errorf("%s: error %v", l, d.Err)
		}
	}
}

func TestCSV(t *testing.T) {
	in := writeFile(t, "news.csv", "url,id,headline,body\n"+
		"http://a,a1,H1,\"NATO accused Iran, again.\"\n"+
		"http://b,,H2,\"Multi\nline\"\n"+
		"http://c,c3\n"+
		"http://d,d4,H4,\"bad \"quote\"\n")
	input, err := OpenWith(in, FormatCSV, nil, InputOptions{TextColumn: "body"})
	if err != nil {
		t.Fatal(err)
	}
	got := readAll(t, input)
	want := []string{
		"a1|NATO accused Iran, again.",
		"line:3|Multi\nline",
		"c3||malformed input: line 5: CSV row has 2 fields, no \"body\" column",
	}
	if len(got) < 3 {
		t.Fatalf("got %q", got)
	}
	if diff := cmp.Diff(want, got[:3]); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(got) != 4 || !strings.Contains(got[3], "malformed input: line 6: CSV") {
		t.Errorf("bad quote row: %q", got[3:])
	}
	if _, err := OpenWith(in, FormatCSV, nil, InputOptions{}); err == nil || !strings.Contains(err.Error(), "-text-column") {
		t.Errorf("no text column: error %v", err)
	}
	// Auto-detection reads it as one text document, and warns.
	auto, err := Open(in, FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer auto.Close()
	if w := auto.Warning(); !strings.Contains(w, "-format csv") {
		t.Errorf("warning %q", w)
	}
}
