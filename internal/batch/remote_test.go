package batch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/sharedtest"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// fake is a StanceService whose stream answers each document from its own
// goroutine, so answers come back in any order. An answer names the text
// it answers, so tests can check that answers reach the right documents.
type fake struct {
	stancev1.UnimplementedStanceServiceServer

	// streamErr, when set, may end a new stream at once.
	streamErr func(call int64) error
	// docErr, when set, may answer a document with an error.
	docErr func(text string, attempt int) *status.Status
	// hold, when set, may keep a document unanswered (until the stream
	// ends).
	hold func(n int64, text string) bool

	calls    atomic.Int64
	streams  atomic.Int64 // ClassifyStream calls
	received atomic.Int64
	mu       sync.Mutex
	attempts map[string]int
}

func (f *fake) ClassifyStream(stream grpc.BidiStreamingServer[stancev1.ClassifyRequest, stancev1.ClassifyResponse]) error {
	f.streams.Add(1)
	if f.streamErr != nil {
		if err := f.streamErr(f.calls.Add(1)); err != nil {
			return err
		}
	}
	var send sync.Mutex
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		req, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		n := f.received.Add(1)
		if f.hold != nil && f.hold(n, req.GetText()) {
			continue
		}
		f.mu.Lock()
		if f.attempts == nil {
			f.attempts = map[string]int{}
		}
		f.attempts[req.GetText()]++
		attempt := f.attempts[req.GetText()]
		f.mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp := &stancev1.ClassifyResponse{Id: req.GetId(), ModelVersion: "fake"}
			if f.docErr != nil {
				if st := f.docErr(req.GetText(), attempt); st != nil {
					resp.Error = st.Proto()
				}
			}
			if resp.Error == nil {
				resp.Mentions = []*stancev1.Mention{{Text: req.GetText()}}
				for _, sp := range req.GetSpans() {
					resp.Targeted = append(resp.Targeted, &stancev1.Mention{Span: sp, Text: req.GetText()[sp.GetStart():sp.GetEnd()]})
				}
			}
			send.Lock()
			defer send.Unlock()
			stream.Send(resp)
		}()
	}
}

// serve serves f on addr ("127.0.0.1:0" for any port) until the test ends.
func serve(t *testing.T, f stancev1.StanceServiceServer, addr string) (string, *grpc.Server) {
	t.Helper()
	lis := sharedtest.Listen(t, addr)
	g := grpc.NewServer()
	stancev1.RegisterStanceServiceServer(g, f)
	go g.Serve(lis)
	t.Cleanup(g.Stop)
	return lis.Addr().String(), g
}

// fastOptions retry at once, so tests do not wait on backoff.
func fastOptions() RemoteOptions {
	return RemoteOptions{Streams: 3, MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond, RetryFor: 20 * time.Second}
}

// corpus writes n JSONL documents; document i has id d<i> and text
// "text <i> ..." with one explicit span.
func corpus(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"id":"d%d","text":"text %d about NATO","targets":[{"start":0,"end":4}]}`+"\n", i, i)
	}
	return writeFile(t, "in.jsonl", b.String())
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// runJob runs in through b and returns the output and the runner.
func runJob(t *testing.T, ctx context.Context, b Backend, in string, r *Runner) ([]byte, error) {
	t.Helper()
	input, err := Open(in, FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer input.Close()
	r.Backend = b
	var out bytes.Buffer
	w := NewWriter(&out)
	err = r.Run(ctx, input, func(_ *Doc, resp *stancev1.ClassifyResponse) error { return w.Write(resp) })
	if ferr := w.Flush(); ferr != nil {
		t.Fatal(ferr)
	}
	return out.Bytes(), err
}

func dial(t *testing.T, addr string, opts RemoteOptions) *Remote {
	t.Helper()
	r, err := Dial(addr, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// checkOrdered checks that out answers documents 0..n-1 of corpus, in
// order, each once, with the answer for its own text.
func checkOrdered(t *testing.T, out []byte, n int) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != n {
		t.Fatalf("%d output lines, want %d", len(lines), n)
	}
	for i, l := range lines {
		want := fmt.Sprintf(`{"id":"d%d","mentions":[{"text":"text %d about NATO"}]`, i, i)
		if !strings.HasPrefix(l, want) {
			t.Fatalf("line %d = %s\nwant prefix %s", i+1, l, want)
		}
	}
}

func TestRemoteOrdered(t *testing.T) {
	addr, _ := serve(t, &fake{}, "127.0.0.1:0")
	in := corpus(t, 500)
	r := &Runner{Window: 32}
	out, err := runJob(t, t.Context(), dial(t, addr, fastOptions()), in, r)
	if err != nil {
		t.Fatal(err)
	}
	checkOrdered(t, out, 500)
	if s := r.Progress(); s.Done != 500 || s.Failed != 0 || s.Read != 500 {
		t.Errorf("stats %+v", s)
	}
	first := strings.SplitN(string(out), "\n", 2)[0]
	want := `{"id":"d0","mentions":[{"text":"text 0 about NATO"}],"targeted":[{"span":{"end":4},"text":"text"}],"model_version":"fake"}`
	if first != want {
		t.Errorf("first line\n got %s\nwant %s", first, want)
	}
}

func TestRemoteUnordered(t *testing.T) {
	addr, _ := serve(t, &fake{}, "127.0.0.1:0")
	in := corpus(t, 300)
	out, err := runJob(t, t.Context(), dial(t, addr, fastOptions()), in, &Runner{Unordered: true, Window: 16})
	if err != nil {
		t.Fatal(err)
	}
	ordered, err := runJob(t, t.Context(), dial(t, addr, fastOptions()), in, &Runner{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sortedLines(out), sortedLines(ordered); !slices.Equal(got, want) {
		t.Errorf("unordered output is not a permutation of the ordered one")
	}
}

func sortedLines(b []byte) []string {
	l := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	slices.Sort(l)
	return l
}

func TestRemoteRepeatedIDs(t *testing.T) {
	addr, _ := serve(t, &fake{}, "127.0.0.1:0")
	in := writeFile(t, "in.jsonl", `{"id":"x","text":"one"}`+"\n"+`{"id":"x","text":"two"}`+"\n"+`{"text":"three"}`+"\n")
	out, err := runJob(t, t.Context(), dial(t, addr, fastOptions()), in, &Runner{})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"x","mentions":[{"text":"one"}],"model_version":"fake"}
{"id":"x","mentions":[{"text":"two"}],"model_version":"fake"}
{"id":"line:3","mentions":[{"text":"three"}],"model_version":"fake"}
`
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestMalformedLines(t *testing.T) {
	addr, _ := serve(t, &fake{}, "127.0.0.1:0")
	in := writeFile(t, "in.jsonl", strings.Join([]string{
		`{"id":"ok1","text":"fine"}`,
		`{"id":"cut","text":"no end`,
		``,
		`{"id":"span","text":"abc","targets":[{"start":2,"end":9}]}`,
		`[1,2]`,
		`{"id":"notext"}`,
		`{"text":"é","targets":[{"start":1,"end":2}]}`,
		`{"id":"ok2","text":"fine too"}`,
	}, "\r\n"))
	r := &Runner{}
	out, err := runJob(t, t.Context(), dial(t, addr, fastOptions()), in, r)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	want := []string{
		`{"id":"ok1","mentions"`,
		`{"id":"line:2","error":{"code":3,"message":"malformed input: line 2: unexpected end of JSON input"}}`,
		`{"id":"span","error":{"code":3,"message":"malformed input: line 4: target 0: span [2,9) invalid for 3-byte text"}}`,
		`{"id":"line:5","error":{"code":3,"message":"malformed input: line 5: not a JSON object"}}`,
		`{"id":"notext","error":{"code":3,"message":"malformed input: line 6: no \"text\" field"}}`,
		`{"id":"line:7","error":{"code":3,"message":"malformed input: line 7: target 0: span [1,2) not on character boundaries"}}`,
		`{"id":"ok2","mentions"`,
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), out)
	}
	for i := range want {
		if !strings.HasPrefix(lines[i], want[i]) {
			t.Errorf("line %d\n got %s\nwant %s", i+1, lines[i], want[i])
		}
	}
	if s := r.Progress(); s.Malformed != 5 || s.Failed != 5 || s.Done != 7 {
		t.Errorf("stats %+v", s)
	}
}

func TestTransientDocumentErrors(t *testing.T) {
	f := &fake{docErr: func(text string, attempt int) *status.Status {
		switch {
		case strings.HasPrefix(text, "text 7 "):
			return status.New(codes.InvalidArgument, "bad document")
		case strings.HasPrefix(text, "text 9 "):
			return status.New(codes.Unavailable, "always down") // until attempts run out
		case attempt == 1 && len(text)%3 == 0:
			return status.New(codes.Unavailable, "try again")
		}
		return nil
	}}
	addr, _ := serve(t, f, "127.0.0.1:0")
	opts := fastOptions()
	opts.MaxAttempts = 4
	r := &Runner{}
	out, err := runJob(t, t.Context(), dial(t, addr, opts), corpus(t, 40), r)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != 40 {
		t.Fatalf("%d lines", len(lines))
	}
	if want := `{"id":"d7","model_version":"fake","error":{"code":3,"message":"bad document"}}`; lines[7] != want {
		t.Errorf("line 8 = %s, want %s", lines[7], want)
	}
	if want := `{"id":"d9","error":{"code":14,"message":"gave up after 4 attempts: always down"}}`; lines[9] != want {
		t.Errorf("line 10 = %s, want %s", lines[9], want)
	}
	s := r.Progress()
	if s.Failed != 2 || s.Retries == 0 {
		t.Errorf("stats %+v, want 2 failed and some retries", s)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if n := f.attempts["text 9 about NATO"]; n != 4 {
		t.Errorf("document 9 sent %d times, want 4", n)
	}
}

func TestStreamErrorsRetried(t *testing.T) {
	// The first streams are refused as a busy server refuses them; then
	// every stream breaks after a few documents.
	f := &fake{streamErr: func(call int64) error {
		if call <= 4 {
			return status.Error(codes.ResourceExhausted, "server at capacity")
		}
		return nil
	}}
	f.hold = func(n int64, _ string) bool { return n%25 == 0 } // a document the server never answers
	addr, _ := serve(t, f, "127.0.0.1:0")
	opts := fastOptions()
	opts.Timeout = 200 * time.Millisecond // how a held document is noticed
	r := &Runner{Window: 20}
	out, err := runJob(t, t.Context(), dial(t, addr, opts), corpus(t, 100), r)
	if err != nil {
		t.Fatal(err)
	}
	checkOrdered(t, out, 100)
	if s := r.Progress(); s.Retries == 0 {
		t.Errorf("stats %+v, want retries", s)
	}
}

func TestServerRestart(t *testing.T) {
	// The first server stops answering after 60 documents, and is
	// stopped; a new one starts on the same address.
	reached := make(chan struct{})
	var once sync.Once
	first := &fake{hold: func(n int64, _ string) bool {
		if n >= 60 {
			once.Do(func() { close(reached) })
			return true
		}
		return false
	}}
	addr, g1 := serve(t, first, "127.0.0.1:0")
	second := &fake{}
	go func() {
		<-reached
		g1.Stop()
		serve(t, second, addr)
	}()
	r := &Runner{Window: 24}
	out, err := runJob(t, t.Context(), dial(t, addr, fastOptions()), corpus(t, 300), r)
	if err != nil {
		t.Fatal(err)
	}
	checkOrdered(t, out, 300)
	if second.received.Load() == 0 {
		t.Error("the restarted server got no document")
	}
	if s := r.Progress(); s.Retries == 0 || s.Failed != 0 {
		t.Errorf("stats %+v, want resends and no failure", s)
	}
}

func TestSeveralServers(t *testing.T) {
	a, b := &fake{}, &fake{}
	addrA, _ := serve(t, a, "127.0.0.1:0")
	addrB, _ := serve(t, b, "127.0.0.1:0")
	opts := fastOptions()
	opts.MaxStreamAge = time.Nanosecond // a new stream after every document
	out, err := runJob(t, t.Context(), dial(t, addrA+" , "+addrB, opts), corpus(t, 200), &Runner{Window: 16})
	if err != nil {
		t.Fatal(err)
	}
	checkOrdered(t, out, 200)
	if got := a.received.Load() + b.received.Load(); got != 200 {
		t.Errorf("servers received %d documents, want 200", got)
	}
	if a.received.Load() == 0 || b.received.Load() == 0 {
		t.Errorf("documents per server: %d and %d; want both used", a.received.Load(), b.received.Load())
	}
}

func TestFatalStreamError(t *testing.T) {
	// A server without the service answers UNIMPLEMENTED: no retry.
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := grpc.NewServer()
	go g.Serve(lis)
	t.Cleanup(g.Stop)
	_, err = runJob(t, t.Context(), dial(t, lis.Addr().String(), fastOptions()), corpus(t, 10), &Runner{})
	if status.Code(errors.Unwrap(err)) != codes.Unimplemented {
		t.Errorf("err = %v, want UNIMPLEMENTED", err)
	}
}

func TestGiveUpWhenNoServer(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := lis.Addr().String()
	lis.Close() // nothing listens there
	opts := fastOptions()
	opts.RetryFor = 50 * time.Millisecond
	out, err := runJob(t, t.Context(), dial(t, addr, opts), corpus(t, 10), &Runner{})
	if err == nil || !strings.Contains(err.Error(), "gave up") {
		t.Errorf("err = %v, want gave up", err)
	}
	if len(out) != 0 {
		t.Errorf("output %q, want none", out)
	}
}

// TestResumeAfterInterrupt interrupts a run after some documents, leaves a
// partial last line as a crash would, resumes it, and compares the result
// with an uninterrupted run, byte for byte.
func TestResumeAfterInterrupt(t *testing.T) {
	addr, _ := serve(t, &fake{}, "127.0.0.1:0")
	in := corpus(t, 400)
	for _, unordered := range []bool{false, true} {
		t.Run(fmt.Sprintf("unordered=%v", unordered), func(t *testing.T) {
			full, err := runJob(t, t.Context(), dial(t, addr, fastOptions()), in, &Runner{Unordered: unordered})
			if err != nil {
				t.Fatal(err)
			}

			// Interrupted run: stop after 150 documents.
			input, err := Open(in, FormatAuto, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer input.Close()
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var part bytes.Buffer
			n := 0
			r := &Runner{Backend: dial(t, addr, fastOptions()), Unordered: unordered, Window: 32}
			err = r.Run(ctx, input, func(_ *Doc, resp *stancev1.ClassifyResponse) error {
				if n == 150 {
					cancel()
					return ctx.Err()
				}
				n++
				line, err := AppendJSON(nil, resp)
				part.Write(append(line, '\n'))
				return err
			})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("interrupted run: %v", err)
			}
			part.WriteString(`{"id":"d151","mentio`) // cut short by the crash

			res, err := ScanOutput(bytes.NewReader(part.Bytes()), !unordered)
			if err != nil {
				t.Fatal(err)
			}
			if res.Lines != 150 {
				t.Fatalf("resume finds %d lines, want 150", res.Lines)
			}
			kept := part.Bytes()[:res.Size]
			rest, err := runJob(t, t.Context(), dial(t, addr, fastOptions()), in, &Runner{Unordered: unordered, Resume: res})
			if err != nil {
				t.Fatal(err)
			}
			resumed := append(slices.Clone(kept), rest...)
			if unordered {
				if !slices.Equal(sortedLines(resumed), sortedLines(full)) {
					t.Error("resumed unordered output does not hold the same lines as an uninterrupted run")
				}
				return
			}
			if !bytes.Equal(resumed, full) {
				t.Errorf("resumed output differs from an uninterrupted run")
			}
		})
	}
}

func TestResumeOtherInput(t *testing.T) {
	addr, _ := serve(t, &fake{}, "127.0.0.1:0")
	out, err := runJob(t, t.Context(), dial(t, addr, fastOptions()), corpus(t, 10), &Runner{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ScanOutput(bytes.NewReader(out), true)
	if err != nil {
		t.Fatal(err)
	}
	other := writeFile(t, "other.jsonl", strings.Repeat(`{"id":"zz","text":"t"}`+"\n", 20))
	_, err = runJob(t, t.Context(), dial(t, addr, fastOptions()), other, &Runner{Resume: res})
	if !errors.Is(err, ErrCannotResume) {
		t.Errorf("err = %v, want ErrCannotResume", err)
	}
	short := corpus(t, 5)
	res, _ = ScanOutput(bytes.NewReader(out), true)
	_, err = runJob(t, t.Context(), dial(t, addr, fastOptions()), short, &Runner{Resume: res})
	if !errors.Is(err, ErrCannotResume) {
		t.Errorf("shorter input: err = %v, want ErrCannotResume", err)
	}
}

// TestCheckNoServer: a wrong address is reported at once, naming it.
func TestCheckNoServer(t *testing.T) {
	addr := sharedtest.FreeAddr(t) // nothing listens there
	r := dial(t, addr, fastOptions())
	_, err := r.Check(t.Context(), 0)
	if !errors.Is(err, ErrNoServer) || !strings.Contains(err.Error(), addr) {
		t.Fatalf("error %v, want ErrNoServer naming %s", err, addr)
	}
	// A server that does not offer the service.
	fakeAddr, _ := serve(t, &fake{}, "127.0.0.1:0")
	if _, err := dial(t, fakeAddr, fastOptions()).Check(t.Context(), 0); err == nil || !strings.Contains(err.Error(), "does not serve") {
		t.Errorf("fake server: error %v", err)
	}
}

// TestNoIdleStreams: streams are opened for documents only, so a small job
// with many -streams opens no stream that carries none (each is a server
// log line, which read documents=0).
func TestNoIdleStreams(t *testing.T) {
	f := &fake{}
	addr, _ := serve(t, f, "127.0.0.1:0")
	opts := fastOptions()
	opts.Streams = 8
	out, err := runJob(t, t.Context(), dial(t, addr, opts), corpus(t, 2), &Runner{})
	if err != nil {
		t.Fatal(err)
	}
	checkOrdered(t, out, 2)
	if n := f.streams.Load(); n < 1 || n > 2 {
		t.Errorf("%d streams opened for 2 documents", n)
	}
}
