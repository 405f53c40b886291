package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/stance/classifierd/internal/classifier/classifiertest"
	"github.com/stance/classifierd/internal/server"
	"github.com/stance/classifierd/internal/sharedtest"
	"google.golang.org/grpc"
)

var (
	svcOnce sync.Once
	svc     *server.Server
)

// service is the real service with the embedded model, loaded once.
func service(t *testing.T) *server.Server {
	t.Helper()
	c := classifiertest.Embedded(t)
	svcOnce.Do(func() {
		svc = server.New(c, server.DefaultLimits, slog.New(slog.DiscardHandler))
	})
	return svc
}

// startServer serves the real service on a loopback port (addr
// "127.0.0.1:0" for any) until the test ends.
func startServer(t *testing.T, addr string, opts ...grpc.ServerOption) (string, *grpc.Server) {
	t.Helper()
	lis := sharedtest.Listen(t, addr)
	g := grpc.NewServer(opts...)
	service(t).Register(g)
	go g.Serve(lis)
	t.Cleanup(g.Stop)
	return lis.Addr().String(), g
}

// stancectl runs the command and returns its exit status and output.
func stancectl(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(t.Context(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// testJSONL writes the first n lines of NewsMTSC dev_mt, with a malformed
// line inserted as line 5, and returns its path.
func testJSONL(t *testing.T, n int) string {
	t.Helper()
	f, err := os.Open(filepath.Join(sharedtest.Dir(t), "data", "newsmtsc", "dev_mt.stance.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() && len(lines) < n {
		lines = append(lines, sc.Text())
	}
	lines = slices.Insert(lines, 4, `{"id":"broken","text":"cut short`)
	p := filepath.Join(t.TempDir(), "dev.jsonl")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestClassifyRemoteEqualsLocal(t *testing.T) {
	seeds := filepath.Join(sharedtest.Dir(t), "seeds")
	addr, _ := startServer(t, "127.0.0.1:0")
	dir := t.TempDir()
	remote, local := filepath.Join(dir, "remote.jsonl"), filepath.Join(dir, "local.jsonl")
	if code, _, stderr := stancectl(t, "classify", "-addr", addr, "-in", seeds, "-out", remote); code != 0 {
		t.Fatalf("remote: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := stancectl(t, "classify", "-local", "-in", seeds, "-out", local); code != 0 {
		t.Fatalf("local: exit %d\n%s", code, stderr)
	}
	r, l := readFile(t, remote), readFile(t, local)
	if r != l {
		t.Errorf("remote and local outputs differ")
	}
	lines := strings.Split(strings.TrimSuffix(r, "\n"), "\n")
	entries, _ := os.ReadDir(seeds)
	if len(lines) != len(entries) {
		t.Fatalf("%d lines for %d files", len(lines), len(entries))
	}
	for i, l := range lines {
		var resp struct {
			ID       string `json:"id"`
			Mentions []any  `json:"mentions"`
			Version  string `json:"model_version"`
		}
		if err := json.Unmarshal([]byte(l), &resp); err != nil {
			t.Fatal(err)
		}
		if resp.ID != entries[i].Name() || resp.Version == "" {
			t.Errorf("line %d: id %q version %q, want id %q", i+1, resp.ID, resp.Version, entries[i].Name())
		}
	}
}

// TestClassifyResume cuts a finished output short at several points, as
// an interruption would, and resumes it: the result equals the
// uninterrupted output byte for byte.
func TestClassifyResume(t *testing.T) {
	addr, _ := startServer(t, "127.0.0.1:0")
	in := testJSONL(t, 60)
	dir := t.TempDir()
	fullPath := filepath.Join(dir, "full.jsonl")
	code, _, stderr := stancectl(t, "classify", "-addr", addr, "-in", in, "-out", fullPath)
	if code != exitFailedDocs {
		t.Fatalf("exit %d, want 1 (one malformed line)\n%s", code, stderr)
	}
	for _, want := range []string{"stancectl: malformed input: line 5:", "1 document failed (1 malformed input line)"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	full := readFile(t, fullPath)
	lines := strings.SplitAfter(full, "\n")
	if len(lines) != 62 || !strings.HasPrefix(lines[4], `{"id":"line:5","error":{"code":3,"message":"malformed input: line 5:`) {
		t.Fatalf("%d lines; line 5: %s", len(lines)-1, lines[4])
	}
	cuts := []int{
		0,                                      // nothing written
		len(lines[0]) / 2,                      // inside the first line
		len(strings.Join(lines[:4], "")),       // at a line end
		len(strings.Join(lines[:30], "")) + 17, // inside line 31
		len(full),                              // all done
	}
	for _, cut := range cuts {
		out := filepath.Join(dir, "cut.jsonl")
		if err := os.WriteFile(out, []byte(full[:cut]), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := stancectl(t, "classify", "-addr", addr, "-in", in, "-out", out, "-resume", "-inflight", "7")
		if code != exitOK && code != exitFailedDocs {
			t.Fatalf("cut at %d: exit %d\n%s", cut, code, stderr)
		}
		if got := readFile(t, out); got != full {
			t.Errorf("cut at %d: resumed output differs from the uninterrupted one", cut)
		}
	}
}

func TestClassifyGzipAndUnordered(t *testing.T) {
	addr, _ := startServer(t, "127.0.0.1:0")
	in := testJSONL(t, 40)
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write([]byte(readFile(t, in)))
	zw.Close()
	gzPath := filepath.Join(t.TempDir(), "dev.jsonl.gz")
	if err := os.WriteFile(gzPath, zb.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	plain, zipped, unordered := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "c")
	stancectl(t, "classify", "-addr", addr, "-in", in, "-out", plain)
	stancectl(t, "classify", "-addr", addr, "-in", gzPath, "-out", zipped)
	stancectl(t, "classify", "-addr", addr, "-in", gzPath, "-out", unordered, "-unordered")
	if readFile(t, plain) != readFile(t, zipped) {
		t.Error("gzip input gave other output than plain input")
	}
	sorted := func(s string) []string {
		l := strings.Split(s, "\n")
		slices.Sort(l)
		return l
	}
	if !slices.Equal(sorted(readFile(t, plain)), sorted(readFile(t, unordered))) {
		t.Error("-unordered output does not hold the same lines")
	}
}

// TestClassifyServerRestart stops the server mid-run, after it has taken
// 25 documents and while it holds more, and starts a new one on the same
// address: every document is answered once, in order.
func TestClassifyServerRestart(t *testing.T) {
	in := testJSONL(t, 120)
	reached := make(chan struct{})
	var once sync.Once
	var n int
	var mu sync.Mutex
	// The first server takes 25 documents, then stops reading its streams.
	stall := func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		return handler(srv, &stallingStream{ServerStream: ss, recv: func() bool {
			mu.Lock()
			defer mu.Unlock()
			n++
			if n > 25 {
				once.Do(func() { close(reached) })
				return false
			}
			return true
		}})
	}
	addr, g1 := startServer(t, "127.0.0.1:0", grpc.StreamInterceptor(stall))
	go func() {
		<-reached
		g1.Stop()
		startServer(t, addr)
	}()
	dir := t.TempDir()
	got := filepath.Join(dir, "restart.jsonl")
	code, _, stderr := stancectl(t, "classify", "-addr", addr, "-in", in, "-out", got)
	if code != exitFailedDocs {
		t.Fatalf("exit %d, want 1\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "resends after transient failures") {
		t.Errorf("no resend reported:\n%s", stderr)
	}
	addr2, _ := startServer(t, "127.0.0.1:0")
	want := filepath.Join(dir, "want.jsonl")
	stancectl(t, "classify", "-addr", addr2, "-in", in, "-out", want)
	if readFile(t, got) != readFile(t, want) {
		t.Error("output across a server restart differs from an undisturbed run")
	}
}

// stallingStream stops delivering messages once recv says so, until the
// call ends.
type stallingStream struct {
	grpc.ServerStream
	recv func() bool
}

func (s *stallingStream) RecvMsg(m any) error {
	if !s.recv() {
		<-s.Context().Done()
		return s.Context().Err()
	}
	return s.ServerStream.RecvMsg(m)
}

func TestEvalJSON(t *testing.T) {
	addr, _ := startServer(t, "127.0.0.1:0")
	in := testJSONL(t, 50)
	code, stdout, stderr := stancectl(t, "eval", "-addr", addr, "-in", in, "-output", "json")
	if code != exitFailedDocs || !strings.Contains(stderr, "line 5") {
		t.Errorf("exit %d, want 1 for the malformed line 5\n%s", code, stderr)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &m); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	for _, k := range []string{"n", "accuracy", "macro_f1", "per_class", "confusion"} {
		if _, ok := m[k]; !ok {
			t.Errorf("no %q in %s", k, stdout)
		}
	}
	var n int
	json.Unmarshal(m["n"], &n)
	if n < 50 {
		t.Errorf("n = %d, want at least one target per document", n)
	}
	code, stdout, _ = stancectl(t, "eval", "-addr", addr, "-in", in)
	if code != exitFailedDocs || !strings.Contains(stdout, "macro-F1") || !strings.Contains(stdout, "confusion") {
		t.Errorf("text format: exit %d\n%s", code, stdout)
	}
}

func TestCommandLine(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out.jsonl")
	os.WriteFile(out, []byte("{}\n"), 0o644)
	in := filepath.Join(t.TempDir(), "in.txt")
	os.WriteFile(in, []byte("text"), 0o644)
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{nil, exitError, "Usage:"},
		{[]string{"help"}, exitOK, ""},
		{[]string{"--version"}, exitOK, ""},
		{[]string{"frobnicate"}, exitError, "unknown command"},
		{[]string{"classify", "-in", in}, exitError, "-in and -out are required"},
		{[]string{"classify", "-in", in, "-out", out}, exitError, "use -resume to continue it or -force"},
		{[]string{"classify", "-in", in, "-out", "-", "-resume"}, exitError, "-resume needs an output file"},
		{[]string{"classify", "-in", in, "-out", "-", "-model", "m.bin"}, exitError, "need -local"},
		{[]string{"classify", "-nope"}, exitError, "flag provided but not defined"},
		{[]string{"classify", "-h"}, exitOK, "Order: by default line N"},
		{[]string{"eval", "-in", in, "-output", "xml"}, exitError, "want text or json"},
		{[]string{"eval", "-in", in, "-format", "xml"}, exitError, "-format is deprecated, use -output"},
		{[]string{"classify", "-in", in, "-out", "-", "-evidence", "21"}, exitError, "want 0 (none) to 20"},
		{[]string{"classify", "-in", in, "-out", "-", "-fields", "mentions,nope"}, exitError, `unknown field "nope"`},
		{[]string{"classify", "-in", in, "-out", "-", "-format", "xml"}, exitError, "want auto, jsonl, requests, csv or text"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := stancectl(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, want %d; stderr:\n%s\nwant it to contain %q", code, tt.code, stderr, tt.stderr)
			}
		})
	}
}

// TestNoServer: a wrong -addr says at once that no server answers there,
// naming the address, and leaves no output file.
func TestNoServer(t *testing.T) {
	addr := sharedtest.FreeAddr(t)
	in := filepath.Join(t.TempDir(), "in.txt")
	os.WriteFile(in, []byte("NATO accused Iran."), 0o644)
	out := filepath.Join(t.TempDir(), "out.jsonl")
	code, _, stderr := stancectl(t, "classify", "-addr", addr, "-in", in, "-out", out)
	if code != exitError || !strings.Contains(stderr, "no server answers at "+addr) {
		t.Errorf("exit %d; stderr:\n%s", code, stderr)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("output file left behind: %v", err)
	}
}

// TestClassifyOutputOptions: -fields and -evidence shape the lines, and a
// .gz or .zst output holds the same lines as a plain one, resumed from a
// cut stream as from a cut line.
func TestClassifyOutputOptions(t *testing.T) {
	in := testJSONL(t, 30)
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.jsonl")
	if code, _, stderr := stancectl(t, "classify", "-local", "-quiet", "-in", in, "-out", plain); code != exitFailedDocs {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want, _ := os.ReadFile(plain)

	slim := filepath.Join(dir, "slim.jsonl")
	if code, _, stderr := stancectl(t, "classify", "-local", "-quiet", "-in", in, "-out", slim, "-fields", "entities", "-evidence", "0"); code != exitFailedDocs {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got, _ := os.ReadFile(slim)
	if bytes.Contains(got, []byte(`"mentions"`)) || bytes.Contains(got, []byte(`"evidence"`)) || !bytes.Contains(got, []byte(`"entities"`)) {
		t.Errorf("-fields entities -evidence 0 wrote:\n%.600s", got)
	}
	if len(got) >= len(want)/2 {
		t.Errorf("slim output %d bytes, full %d", len(got), len(want))
	}

	for _, ext := range []string{".gz", ".zst"} {
		t.Run(ext, func(t *testing.T) {
			out := filepath.Join(dir, "out.jsonl"+ext)
			if code, _, stderr := stancectl(t, "classify", "-local", "-quiet", "-in", in, "-out", out); code != exitFailedDocs {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			full, _ := os.ReadFile(out)
			if got := decompressAll(t, full); !bytes.Equal(got, want) {
				t.Fatalf("%s output decompresses to other lines", ext)
			}
			// Cut the compressed stream, as a crash would, and resume.
			os.WriteFile(out, full[:len(full)*2/3], 0o644)
			code, _, stderr := stancectl(t, "classify", "-local", "-quiet", "-in", in, "-out", out, "-resume")
			if code == exitError || !strings.Contains(stderr, "resume:") {
				t.Fatalf("resume: exit %d: %s", code, stderr)
			}
			resumed, _ := os.ReadFile(out)
			if got := decompressAll(t, resumed); !bytes.Equal(got, want) {
				t.Errorf("resumed %s output differs from an uninterrupted run:\n%s", ext, stderr)
			}
			if _, err := os.Stat(out + ".resume"); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("temporary file left: %v", err)
			}
		})
	}
}

// decompressAll reads a gzip or zstd file whole.
func decompressAll(t *testing.T, b []byte) []byte {
	t.Helper()
	var r io.Reader
	if bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	} else {
		zr, err := zstd.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		r = zr
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestClassifyRequests: ClassifyRequest lines reach the service whole:
// caller targets by name (builtin entities off), explicit spans in UTF-16
// offsets, and options.
func TestClassifyRequests(t *testing.T) {
	in := filepath.Join(t.TempDir(), "req.jsonl")
	os.WriteFile(in, []byte(`{"id":"r1","text":"«Tehran» rejected the demands of the E3.","targets":[{"name":"Iran","aliases":["Tehran"],"type":"ENTITY_TYPE_COUNTRY"}],"spans":[{"start":1,"end":7}],"offsetEncoding":"OFFSET_ENCODING_UTF16","options":{"builtinEntities":false,"maxEvidence":1,"includeSpanText":true}}`+"\n"), 0o644)
	code, stdout, stderr := stancectl(t, "classify", "-local", "-quiet", "-format", "requests", "-in", in, "-out", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var resp struct {
		ID       string
		Entities []struct{ Entity struct{ ID, Name string } }
		Targeted []struct {
			Span     struct{ Start, End int }
			Text     string
			Evidence []json.RawMessage
		}
	}
	if err := json.Unmarshal([]byte(stdout), &resp); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	if resp.ID != "r1" || len(resp.Entities) != 1 || resp.Entities[0].Entity.Name != "Iran" {
		t.Errorf("entities: %s", stdout)
	}
	if len(resp.Targeted) != 1 || resp.Targeted[0].Text != "Tehran" || resp.Targeted[0].Span.Start != 1 || resp.Targeted[0].Span.End != 7 || len(resp.Targeted[0].Evidence) > 1 {
		t.Errorf("targeted: %s", stdout)
	}
}
