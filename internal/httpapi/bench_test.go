package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/server"
	"github.com/stance/classifierd/internal/sharedtest"
)

// BenchmarkHTTPClassify is POST /v1/classify of the typical seed article
// through the whole HTTP side but the network: body read, JSON decoding,
// the in-memory gRPC call, JSON encoding. Compare with the server
// package's bufconn benchmarks for the cost of JSON.
func BenchmarkHTTPClassify(b *testing.B) {
	article := sharedtest.Article(b)
	body, err := json.Marshal(map[string]any{"text": article})
	if err != nil {
		b.Fatal(err)
	}
	svc := server.New(testClassifier(b), server.DefaultLimits, slog.New(slog.DiscardHandler))
	h, err := New(Config{MaxBodyBytes: 1 << 24, MaxInFlight: 64}, svc.Register, svc.ServerOptions()...)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { h.Shutdown(b.Context()) })
	handler := h.Handler()
	b.SetBytes(int64(len(article)))
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, httptest.NewRequest("POST", "/v1/classify", strings.NewReader(string(body))))
		if w.Code != 200 {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
