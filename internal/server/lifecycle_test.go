package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
)

// startServerWith is startServer that also returns the Server and the
// grpc.Server, for tests that drive shutdown and shedding.
func startServerWith(t testing.TB, limits Limits) (*Server, *grpc.Server, stancev1.StanceServiceClient) {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	svc := New(testClassifier(t), limits, slog.New(slog.NewTextHandler(io.Discard, nil)))
	g := grpc.NewServer(grpc.InTapHandle(svc.TapHandle))
	svc.Register(g)
	go g.Serve(lis)
	t.Cleanup(g.Stop)
	conn, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return svc, g, stancev1.NewStanceServiceClient(conn)
}

// TestShutdownDuringStream drains the server while a client streams: every
// document the server started is answered, none twice, and the stream ends
// with UNAVAILABLE so that the client knows to resend the rest.
func TestShutdownDuringStream(t *testing.T) {
	svc, g, client := startServerWith(t, DefaultLimits)
	stream, err := client.ClassifyStream(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	const total = 5000
	var sent atomic.Int64
	go func() {
		for i := range total {
			if err := stream.Send(&stancev1.ClassifyRequest{Id: fmt.Sprintf("d%d", i), Text: "Iran and Belarus signed a memorandum; NATO objected."}); err != nil {
				return
			}
			sent.Add(1)
		}
		stream.CloseSend()
	}()
	got := map[string]int{}
	var endErr error
	for {
		resp, err := stream.Recv()
		if err != nil {
			endErr = err
			break
		}
		got[resp.GetId()]++
		if len(got) == 200 {
			svc.Drain()
			go g.GracefulStop()
		}
	}
	if status.Code(endErr) != codes.Unavailable {
		t.Fatalf("stream ended with %v, want UNAVAILABLE after drain", endErr)
	}
	for id, n := range got {
		if n != 1 {
			t.Errorf("%s answered %d times", id, n)
		}
	}
	if started := svc.streamed.Load(); int64(len(got)) != started {
		t.Errorf("server started %d documents but answered %d", started, len(got))
	}
	if int64(len(got)) >= sent.Load() && sent.Load() == total {
		t.Errorf("drain did not stop the stream early: %d of %d answered", len(got), total)
	}
}

// TestOverloadSheds sends at several times the server's capacity: the excess
// is shed at once with RESOURCE_EXHAUSTED and retry advice, everything else
// succeeds, nothing crashes, and the heap stays bounded.
func TestOverloadSheds(t *testing.T) {
	limits := DefaultLimits
	limits.MaxInFlight = 2
	_, _, client := startServerWith(t, limits)
	text := strings.Repeat("NATO accused Iran of destabilizing the region while Russia and Belarus deepened ties. ", 600) // ~50 KB
	const callers, calls = 8, 10                                                                                          // 4x capacity
	var ok, shed, other atomic.Int64
	var peak atomic.Uint64
	var wg sync.WaitGroup
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range calls {
				_, err := client.Classify(context.Background(), &stancev1.ClassifyRequest{Text: text})
				switch status.Code(err) {
				case codes.OK:
					ok.Add(1)
				case codes.ResourceExhausted:
					shed.Add(1)
					if !hasRetryInfo(err) {
						t.Error("shed call lacks RetryInfo")
					}
				default:
					other.Add(1)
					t.Errorf("unexpected %v", err)
				}
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				for {
					p := peak.Load()
					if ms.HeapInuse <= p || peak.CompareAndSwap(p, ms.HeapInuse) {
						break
					}
				}
			}
		}()
	}
	wg.Wait()
	t.Logf("ok=%d shed=%d other=%d peak heap in use=%.0f MB", ok.Load(), shed.Load(), other.Load(), float64(peak.Load())/(1<<20))
	if shed.Load() == 0 || ok.Load() == 0 {
		t.Errorf("at 4x capacity: ok=%d shed=%d, want both", ok.Load(), shed.Load())
	}
	// The model and gazetteer take a few hundred MB; 80 concurrent calls of
	// 50 KB each add little because the excess is shed, not queued.
	if peak.Load() > 1<<30 {
		t.Errorf("heap in use peaked at %d MB", peak.Load()>>20)
	}
}

func hasRetryInfo(err error) bool {
	for _, d := range status.Convert(err).Details() {
		if _, ok := d.(*errdetails.RetryInfo); ok {
			return true
		}
	}
	return false
}

func TestStreamLimit(t *testing.T) {
	limits := DefaultLimits
	limits.MaxStreams = 1
	_, _, client := startServerWith(t, limits)
	first, err := client.ClassifyStream(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// The first stream is open once it has answered a document.
	first.Send(&stancev1.ClassifyRequest{Id: "a", Text: "NATO"})
	if _, err := first.Recv(); err != nil {
		t.Fatal(err)
	}
	second, err := client.ClassifyStream(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	second.CloseSend()
	if _, err := second.Recv(); status.Code(err) != codes.ResourceExhausted {
		t.Errorf("second stream: %v, want RESOURCE_EXHAUSTED", err)
	}
	first.CloseSend()
}

func TestDeadlineExceeded(t *testing.T) {
	_, _, client := startServerWith(t, DefaultLimits)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := client.Classify(ctx, &stancev1.ClassifyRequest{Text: "NATO"})
	if status.Code(err) != codes.Canceled {
		t.Errorf("cancelled call: %v", err)
	}
	// A deadline that passes while the server works: the classifier checks
	// its context between stages and every few mentions.
	svc := New(testClassifier(t), DefaultLimits, slog.New(slog.NewTextHandler(io.Discard, nil)))
	dctx, dcancel := context.WithTimeout(context.Background(), 0)
	defer dcancel()
	_, err = svc.Classify(dctx, &stancev1.ClassifyRequest{Text: strings.Repeat("NATO warned Iran. ", 10000)})
	if status.Code(err) != codes.DeadlineExceeded {
		t.Errorf("expired deadline: %v, want DEADLINE_EXCEEDED", err)
	}
}
