package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/classifier/classifiertest"
	"github.com/stance/classifierd/internal/server"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/anypb"
)

func testClassifier(t testing.TB) *classifier.Classifier {
	t.Helper()
	return classifiertest.Embedded(t)
}

const testToken = "correct-horse-battery-staple"

// startHTTP serves the API as classifierd wires it: the service behind the
// log, token and recovery interceptors and the message limit, reached
// through the gateway over an in-memory gRPC server.
func startHTTP(t testing.TB, limits server.Limits, cfg Config, tokens bool) *httptest.Server {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	svc := server.New(testClassifier(t), limits, log)
	unary := []grpc.UnaryServerInterceptor{server.LogUnary(log, false), server.RecoverUnary(log)}
	if tokens {
		tk, err := server.LoadTokens(strings.NewReader(testToken+"\n"), nil)
		if err != nil {
			t.Fatal(err)
		}
		unary = append(unary, tk.UnaryInterceptor())
	}
	opts := append([]grpc.ServerOption{grpc.MaxRecvMsgSize(limits.MaxDocumentBytes + 64<<10), grpc.ChainUnaryInterceptor(unary...)}, svc.ServerOptions()...)
	h, err := New(cfg, svc.Register, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h.Handler())
	t.Cleanup(func() {
		ts.Close()
		h.Shutdown(context.Background())
	})
	return ts
}

func do(t testing.TB, method, url, body string, header ...string) (*http.Response, []byte) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func decode(t testing.TB, b []byte, m proto.Message) {
	t.Helper()
	if err := protojson.Unmarshal(b, m); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}

const demo = "NATO accused Iran of destabilizing the region, while Iran and Russia signed a strategic partnership."

func TestRoutes(t *testing.T) {
	ts := startHTTP(t, server.DefaultLimits, Config{}, false)

	t.Run("model", func(t *testing.T) {
		resp, b := do(t, "GET", ts.URL+"/v1/model", "")
		if resp.StatusCode != 200 {
			t.Fatalf("status %d: %s", resp.StatusCode, b)
		}
		var info stancev1.GetModelInfoResponse
		decode(t, b, &info)
		if info.GetModelVersion() != testClassifier(t).Model().Version() || info.GetLimits().GetMaxDocumentBytes() != uint32(server.DefaultLimits.MaxDocumentBytes) {
			t.Errorf("model info: version %q, limits %v", info.GetModelVersion(), info.GetLimits())
		}
	})

	t.Run("classify", func(t *testing.T) {
		resp, b := do(t, "POST", ts.URL+"/v1/classify", `{"id":"demo","text":"`+demo+`","options":{"maxEvidence":2}}`)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("status %d, type %q: %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
		}
		var got stancev1.ClassifyResponse
		decode(t, b, &got)
		// The same answer as the service gives in process.
		want, err := server.New(testClassifier(t), server.DefaultLimits, slog.New(slog.DiscardHandler)).Classify(context.Background(),
			&stancev1.ClassifyRequest{Id: "demo", Text: demo, Options: &stancev1.ClassifyOptions{MaxEvidence: 2}})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, &got, protocmp.Transform()); diff != "" {
			t.Errorf("answer over HTTP (-in process +HTTP):\n%s", diff)
		}
		if len(got.GetMentions()) < 3 || got.GetMentions()[1].GetHolder().GetId() != "NATO" {
			t.Errorf("want Iran held hostile by NATO, got %v", got.GetMentions())
		}
	})

	t.Run("classify UTF-16 offsets", func(t *testing.T) {
		text := "😀 NATO accused Iran."
		_, b := do(t, "POST", ts.URL+"/v1/classify", `{"text":"`+text+`","offsetEncoding":"OFFSET_ENCODING_UTF16"}`)
		var got stancev1.ClassifyResponse
		decode(t, b, &got)
		// The emoji is two UTF-16 code units (four UTF-8 bytes).
		if s := got.GetMentions()[0].GetSpan(); s.GetStart() != 3 || s.GetEnd() != 7 {
			t.Errorf("NATO at %v, want [3,7)", s)
		}
	})

	t.Run("batch", func(t *testing.T) {
		resp, b := do(t, "POST", ts.URL+"/v1/classify:batch",
			`{"requests":[{"id":"a","text":"`+demo+`"},{"id":"b","text":"Iran","spans":[{"start":3,"end":1}]}]}`)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d: %s", resp.StatusCode, b)
		}
		var got stancev1.ClassifyBatchResponse
		decode(t, b, &got)
		if n := len(got.GetResponses()); n != 2 {
			t.Fatalf("%d responses, want 2", n)
		}
		if a := got.GetResponses()[0]; a.GetId() != "a" || len(a.GetMentions()) == 0 || a.GetError() != nil {
			t.Errorf("first answer: %v", a)
		}
		if e := got.GetResponses()[1].GetError(); e.GetCode() != 3 {
			t.Errorf("second answer's error: %v, want INVALID_ARGUMENT", e)
		}
	})
}

func badRequest(violations ...*errdetails.BadRequest_FieldViolation) []*anypb.Any {
	a, err := anypb.New(&errdetails.BadRequest{FieldViolations: violations})
	if err != nil {
		panic(err)
	}
	return []*anypb.Any{a}
}

func TestErrors(t *testing.T) {
	limits := server.DefaultLimits
	limits.MaxDocumentBytes = 1000
	limits.MaxBatchDocuments = 2
	ts := startHTTP(t, limits, Config{MaxBodyBytes: 4000}, true)
	auth := []string{"Authorization", "Bearer " + testToken}
	long := strings.Repeat("Iran and Russia signed a deal. ", 40) // 1,240 bytes
	tests := []struct {
		name, method, path, body string
		header                   []string
		wantHTTP                 int
		want                     *spb.Status
		wantHeader               map[string]string
	}{{
		name: "field violations", method: "POST", path: "/v1/classify", header: auth,
		body:     `{"text":"Iran","spans":[{"start":3,"end":1},{"start":0,"end":9}]}`,
		wantHTTP: 400,
		want: &spb.Status{Code: 3, Message: "invalid request: spans[0]: start 3 is after end 1 (and 1 more)",
			Details: badRequest(
				&errdetails.BadRequest_FieldViolation{Field: "spans[0]", Description: "start 3 is after end 1"},
				&errdetails.BadRequest_FieldViolation{Field: "spans[1]", Description: "[0, 9) in utf8: offset 9: out of range (length 4)"})},
	}, {
		name: "unknown field", method: "POST", path: "/v1/classify", header: auth,
		body:     `{"txt":"Iran"}`,
		wantHTTP: 400,
		want:     &spb.Status{Code: 3, Message: `proto: (line 1:2): unknown field "txt"`},
	}, {
		name: "document over the limit", method: "POST", path: "/v1/classify", header: auth,
		body:     `{"text":"` + long + `"}`,
		wantHTTP: 413,
		want:     &spb.Status{Code: 8, Message: "text is 1240 bytes; the limit is 1000 bytes"},
	}, {
		name: "body over the limit", method: "POST", path: "/v1/classify", header: auth,
		body:     `{"text":"` + strings.Repeat("x", 5000) + `"}`,
		wantHTTP: 413,
		want:     &spb.Status{Code: 8, Message: "request body over the limit of 4000 bytes"},
	}, {
		name: "batch over the limit", method: "POST", path: "/v1/classify:batch", header: auth,
		body:     `{"requests":[{"text":"a"},{"text":"b"},{"text":"c"}]}`,
		wantHTTP: 413,
		want:     &spb.Status{Code: 8, Message: "batch has 3 documents; the limit is 2"},
	}, {
		name: "no token", method: "POST", path: "/v1/classify",
		body:       `{"text":"Iran"}`,
		wantHTTP:   401,
		want:       &spb.Status{Code: 16, Message: "missing or invalid credentials"},
		wantHeader: map[string]string{"WWW-Authenticate": `Bearer realm="classifierd"`},
	}, {
		name: "wrong token", method: "GET", path: "/v1/model", header: []string{"Authorization", "Bearer " + testToken + "x"},
		wantHTTP: 401,
		want:     &spb.Status{Code: 16, Message: "missing or invalid credentials"},
	}, {
		name: "no such route", method: "GET", path: "/v1/classifier", header: auth,
		wantHTTP: 404,
		want:     &spb.Status{Code: 5, Message: "Not Found"},
	}, {
		name: "wrong method", method: "GET", path: "/v1/classify", header: auth,
		wantHTTP: 405,
		want:     &spb.Status{Code: 12, Message: "Method Not Allowed"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, b := do(t, tt.method, ts.URL+tt.path, tt.body, tt.header...)
			if resp.StatusCode != tt.wantHTTP {
				t.Errorf("HTTP status %d, want %d", resp.StatusCode, tt.wantHTTP)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			var got spb.Status
			decode(t, b, &got)
			// protojson's errors put a no-break space at random to keep
			// callers from matching them; this test can.
			got.Message = strings.ReplaceAll(got.Message, "\u00a0", " ")
			if diff := cmp.Diff(tt.want, &got, protocmp.Transform()); diff != "" {
				t.Errorf("status (-want +got):\n%s", diff)
			}
			for k, v := range tt.wantHeader {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
		})
	}

	t.Run("chunked body over the limit", func(t *testing.T) {
		// A reader of unknown length is sent chunked, without a
		// Content-Length to refuse it by.
		body := io.MultiReader(strings.NewReader(`{"text":"`), strings.NewReader(strings.Repeat("x", 5000)+`"}`))
		req, err := http.NewRequest("POST", ts.URL+"/v1/classify", body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+testToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var st spb.Status
		decode(t, b, &st)
		if req.ContentLength != 0 || resp.StatusCode != 413 || st.GetCode() != 8 {
			t.Errorf("request length %d: status %d, %v", req.ContentLength, resp.StatusCode, &st)
		}
	})

	t.Run("good token", func(t *testing.T) {
		if resp, b := do(t, "POST", ts.URL+"/v1/classify", `{"text":"Iran"}`, auth...); resp.StatusCode != 200 {
			t.Errorf("status %d: %s", resp.StatusCode, b)
		}
	})
}

// TestShedBeforeReading holds the only in-flight slot with a request whose
// body is still to come: the next request is refused with 429, a
// Retry-After and a google.rpc.RetryInfo, and the first then completes.
func TestShedBeforeReading(t *testing.T) {
	ts := startHTTP(t, server.DefaultLimits, Config{MaxInFlight: 1, MaxBodyBytes: 1 << 20}, false)
	finish := startSlowRequest(t, ts.Listener.Addr().String(), "/v1/classify", `{"text":"NATO accused Iran."}`)
	resp, b := do(t, "POST", ts.URL+"/v1/classify", `{"text":"Iran"}`)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "1" {
		t.Errorf("second request: status %d, Retry-After %q: %s", resp.StatusCode, resp.Header.Get("Retry-After"), b)
	}
	var st spb.Status
	decode(t, b, &st)
	if st.GetCode() != 8 || len(st.GetDetails()) != 1 || !st.GetDetails()[0].MessageIs(&errdetails.RetryInfo{}) {
		t.Errorf("second request's status: %v", &st)
	}
	if code, err := finish(); code != 200 {
		t.Errorf("first request: status %d, %v", code, err)
	}
}

// startSlowRequest sends the headers of a POST with "Expect: 100-continue"
// and returns once the server asks for the body, which Go's server does
// when the handler first reads it: the request is then in flight, past the
// in-flight limit. finish sends the body and reads the answer's status.
func startSlowRequest(t *testing.T, addr, path, body string) (finish func() (int, error)) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", path, len(body))
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusContinue {
		t.Fatalf("waiting for 100 Continue: %v %v", resp, err)
	}
	return func() (int, error) {
		if _, err := io.WriteString(c, body); err != nil {
			return 0, err
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
}

func TestOpenAPI(t *testing.T) {
	ts := startHTTP(t, server.DefaultLimits, Config{}, true)
	resp, b := do(t, "GET", ts.URL+"/v1/openapi.json", "") // open without a token
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	committed, err := os.ReadFile("openapi/stance.swagger.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, committed) {
		t.Errorf("served document differs from openapi/stance.swagger.json")
	}
	var doc struct {
		Swagger string
		Paths   map[string]map[string]struct{ OperationID string }
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			got[strings.ToUpper(method)+" "+path] = op.OperationID
		}
	}
	want := map[string]string{
		"POST /v1/classify":       "StanceService_Classify",
		"POST /v1/classify:batch": "StanceService_ClassifyBatch",
		"GET /v1/model":           "StanceService_GetModelInfo",
	}
	if diff := cmp.Diff(want, got); diff != "" || doc.Swagger != "2.0" {
		t.Errorf("swagger %q, operations (-want +got):\n%s", doc.Swagger, diff)
	}
}

func TestPage(t *testing.T) {
	ts := startHTTP(t, server.DefaultLimits, Config{}, true)
	for _, tt := range []struct{ path, typ, contains string }{
		{"/", "text/html; charset=utf-8", `<script src="app.js" defer></script>`},
		{"/app.js", "text/javascript; charset=utf-8", `OFFSET_ENCODING_UTF16`},
		{"/style.css", "text/css; charset=utf-8", `.mention.hostile`},
	} {
		resp, b := do(t, "GET", ts.URL+tt.path, "")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != tt.typ || !bytes.Contains(b, []byte(tt.contains)) {
			t.Errorf("GET %s: status %d, type %q, %d bytes", tt.path, resp.StatusCode, resp.Header.Get("Content-Type"), len(b))
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'self'") {
			t.Errorf("GET %s: Content-Security-Policy %q", tt.path, csp)
		}
	}
	// Offline: nothing on the page names another host.
	for _, name := range []string{"index.html", "app.js", "style.css"} {
		b, err := webFiles.ReadFile("web/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("http://")) || bytes.Contains(b, []byte("https://")) || bytes.Contains(b, []byte("//fonts.")) {
			t.Errorf("%s refers to another host", name)
		}
	}
	if resp, _ := do(t, "GET", ts.URL+"/index.htm", ""); resp.StatusCode != 404 {
		t.Errorf("GET /index.htm: status %d, want 404", resp.StatusCode)
	}
}
