package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/sharedtest"
)

// syncBuffer is a bytes.Buffer safe for the logger and the test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestMetricsLogsAndPprof(t *testing.T) {
	metricsAddr := sharedtest.FreeAddr(t)
	d := startDaemon(t, "-metrics-addr", metricsAddr, "-pprof", "-log-format", "json")
	conn := d.dial(t)
	secret := "NATO accused Iran of destabilizing the region."
	cctx, ccancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer ccancel()
	if _, err := stancev1.NewStanceServiceClient(conn).Classify(cctx, &stancev1.ClassifyRequest{Text: secret}); err != nil {
		t.Fatal(err)
	}

	body := get(t, "http://"+metricsAddr+"/metrics")
	for _, want := range []string{
		`grpc_server_handled_total{grpc_code="OK",grpc_method="Classify",grpc_service="stance.v1.StanceService",grpc_type="unary"} 1`,
		`grpc_server_handling_seconds_bucket{grpc_method="Classify"`,
		`stance_documents_classified_total{outcome="ok",rpc="Classify"} 1`,
		`stance_bytes_classified_total{rpc="Classify"} 46`,
		`stance_mention_labels_total{label="STANCE_HOSTILE"}`,
		`stance_model_info{version="stance-`,
		`go_goroutines `,
		`process_resident_memory_bytes `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if !strings.Contains(get(t, "http://"+metricsAddr+"/debug/pprof/"), "goroutine") {
		t.Error("/debug/pprof/ not served with -pprof")
	}

	out := d.logs.String()
	if !strings.Contains(out, `"method":"/stance.v1.StanceService/Classify"`) || !strings.Contains(out, `"code":"OK"`) ||
		!strings.Contains(out, `"documents":1`) || !strings.Contains(out, `"bytes":46`) {
		t.Errorf("no per-RPC log line with method, code, documents and bytes in:\n%s", out)
	}
	if strings.Contains(out, "destabilizing") {
		t.Error("document text was logged without -debug-log-text")
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	return string(b)
}
