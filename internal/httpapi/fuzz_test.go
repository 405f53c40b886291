package httpapi

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/server"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
)

// FuzzHTTP posts any body to the API routes: every answer is a 200 or a
// 4xx whose body is a google.rpc.Status with a matching code, never a 5xx
// or a crash.
func FuzzHTTP(f *testing.F) {
	for _, s := range []string{
		`{"text":"NATO accused Iran."}`,
		`{"text":"😀 NATO","offsetEncoding":"OFFSET_ENCODING_UTF16","spans":[{"start":1,"end":3}]}`,
		`{"text":"Iran","spans":[{"start":3,"end":1}]}`,
		`{"text":"Iran","targets":[{"name":"","aliases":[""]}],"options":{"maxEvidence":99}}`,
		`{"requests":[{"text":"a"},{"text":"b","offsetEncoding":7}]}`,
		`{"text":"\ud800"}`, `{"text":1}`, `[]`, `{`, ``, `{"text":"x"} {}`,
	} {
		f.Add("/v1/classify", s)
	}
	f.Add("/v1/classify:batch", `{"requests":[{"text":"NATO"},{"text":"Iran","spans":[{"start":9,"end":10}]}]}`)
	limits := server.DefaultLimits
	limits.MaxDocumentBytes = 4096
	svc := server.New(testClassifier(f), limits, slog.New(slog.DiscardHandler))
	h, err := New(Config{MaxBodyBytes: 16 << 10, MaxInFlight: 1000}, svc.Register, svc.ServerOptions()...)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { h.Shutdown(f.Context()) })
	f.Fuzz(func(t *testing.T, path, body string) {
		if path != "/v1/classify" {
			path = "/v1/classify:batch"
		}
		w := httptest.NewRecorder()
		h.Handler().ServeHTTP(w, httptest.NewRequest("POST", path, strings.NewReader(body)))
		if w.Code == http.StatusOK {
			return
		}
		if w.Code < 400 || w.Code >= 500 {
			t.Fatalf("POST %s %q: HTTP %d: %s", path, body, w.Code, w.Body)
		}
		var st spb.Status
		if err := protojson.Unmarshal(w.Body.Bytes(), &st); err != nil || st.GetCode() == 0 {
			t.Fatalf("POST %s %q: HTTP %d with body %q (%v)", path, body, w.Code, w.Body, err)
		}
		if got := httpStatus(status.FromProto(&st)); got != w.Code {
			t.Fatalf("HTTP %d for status %v, which maps to %d", w.Code, &st, got)
		}
	})
}
