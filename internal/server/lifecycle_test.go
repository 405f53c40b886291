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
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/mem"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/proto"
)

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
	limits.MaxInFlight = 8
	limits.MaxInFlightBytes = 16 << 20
	limits.MaxQueueWait = 50 * time.Millisecond
	svc, _, client := startServerWith(t, limits)
	// The callers do not decode the answers, so that the heap measured is
	// the server's.
	discard := grpc.ForceCodecV2(discardCodec{})
	text := strings.Repeat("NATO accused Iran of destabilizing the region while Russia and Belarus deepened ties. ", 600) // ~50 KB

	// With every slot taken, a call waits MaxQueueWait and is shed,
	// whatever the timing.
	if !svc.admit.docs.TryAcquire(int64(limits.MaxInFlight)) {
		t.Fatal("capacity full before any call")
	}
	_, err := client.Classify(context.Background(), &stancev1.ClassifyRequest{Text: text})
	if status.Code(err) != codes.ResourceExhausted || !hasRetryInfo(err) {
		t.Errorf("call at full capacity = %v, want RESOURCE_EXHAUSTED with RetryInfo", err)
	}
	svc.admit.docs.Release(int64(limits.MaxInFlight))

	// Then real overload: eight callers of documents of 8 MB of work each,
	// where the memory budget admits two. How many calls overlap depends
	// on the machine, so the test does not insist on sheds here: only that
	// every call is answered or shed, and that the heap stays within what
	// the budget allows (counting calls alone would admit eight).
	svc.admit.queueWait = 5 * time.Second
	const callers, calls = 8, 5
	var ok, shed, other atomic.Int64
	var peak atomic.Uint64
	runtime.GC()
	var ms0 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	baseline := ms0.HeapAlloc
	var wg sync.WaitGroup
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range calls {
				_, err := client.Classify(context.Background(), &stancev1.ClassifyRequest{Text: text}, discard)
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
					if ms.HeapAlloc <= p || peak.CompareAndSwap(p, ms.HeapAlloc) {
						break
					}
				}
			}
		}()
	}
	wg.Wait()
	// Twice: pooled objects (workspaces, arenas) survive one collection.
	runtime.GC()
	runtime.GC()
	var ms1 runtime.MemStats
	runtime.ReadMemStats(&ms1)
	mb := func(b uint64) float64 { return float64(b) / (1 << 20) }
	t.Logf("ok=%d shed=%d other=%d heap: %.0f MB before, %.0f MB peak, %.0f MB after", ok.Load(), shed.Load(), other.Load(),
		mb(baseline), mb(peak.Load()), mb(ms1.HeapAlloc))
	if ok.Load() == 0 {
		t.Errorf("in overload: ok=%d shed=%d, want some answered", ok.Load(), shed.Load())
	}
	// What is live at once is the baseline, the documents admitted (at
	// most MaxInFlightBytes as costOf counts them), the classifier's memory
	// of documents waiting to grow their share (at most MaxInFlight, of
	// 1,400 mentions each, see ticket.grow), and the requests waiting (at
	// most MaxInFlight, 50 KB each) or in the callers' hands (8); the
	// garbage collector lets the heap reach twice what is live. Counting
	// calls alone, eight documents of 8 MB of work each were admitted.
	waiting := limits.MaxInFlight * (costPerTextByte*len(text) + costPerMention*len(text)/20)
	live := baseline + uint64(limits.MaxInFlightBytes) + uint64(waiting) + uint64((limits.MaxInFlight+callers)*4*len(text))
	if peak.Load() > 2*live {
		t.Errorf("heap peaked at %.0f MB from a baseline of %.0f MB; the bound is %.0f MB", mb(peak.Load()), mb(baseline), mb(2*live))
	}
	if ms1.HeapAlloc > baseline+16<<20 {
		t.Errorf("heap after the load is %.0f MB, %.0f MB above the baseline: something is kept", mb(ms1.HeapAlloc), mb(ms1.HeapAlloc-baseline))
	}
	if svc.admit.held.Load() != 0 || svc.pending.Load() != 0 {
		t.Errorf("after the load %d document slots are held and %d calls pending", svc.admit.held.Load(), svc.pending.Load())
	}
}

// discardCodec decodes nothing: a client that uses it keeps no answers.
type discardCodec struct{}

func (discardCodec) Marshal(v any) (mem.BufferSlice, error) {
	b, err := proto.Marshal(v.(proto.Message))
	return mem.BufferSlice{mem.SliceBuffer(b)}, err
}
func (discardCodec) Unmarshal(mem.BufferSlice, any) error { return nil }
func (discardCodec) Name() string                         { return "proto" }

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
	svc := New(testClassifier(t), DefaultLimits, slog.New(slog.NewTextHandler(io.Discard, nil)))
	dctx, dcancel := context.WithTimeout(context.Background(), 0)
	defer dcancel()
	_, err = svc.Classify(dctx, &stancev1.ClassifyRequest{Text: strings.Repeat("NATO warned Iran. ", 10000)})
	if status.Code(err) != codes.DeadlineExceeded {
		t.Errorf("expired deadline: %v, want DEADLINE_EXCEEDED", err)
	}
}

// TestCancelledMidDocument cancels a call while the classifier works on a
// large document: the call ends with CANCELLED before the document is
// done. The cancellation comes from the classifier's own progress (a
// context whose Err turns non-nil after it has been asked a number of
// times), not from a timer, so the test does not depend on speed.
func TestCancelledMidDocument(t *testing.T) {
	limits := DefaultLimits
	limits.MaxMentions = 1 << 20
	limits.MaxResponseBytes = 1 << 30
	svc := New(testClassifier(t), limits, slog.New(slog.NewTextHandler(io.Discard, nil)))
	text := strings.Repeat("NATO warned Iran and Russia. ", 30000) // 90,000 mentions
	full := &countingContext{Context: context.Background()}
	if _, err := svc.Classify(full, &stancev1.ClassifyRequest{Text: text}); err != nil {
		t.Fatal(err)
	}
	if full.asked.Load() < 10 {
		t.Fatalf("the classifier checked its context %d times over 90,000 mentions", full.asked.Load())
	}
	// Cancelled half way through the checks a whole document makes.
	half := &countingContext{Context: context.Background(), cancelAt: full.asked.Load() / 2}
	_, err := svc.Classify(half, &stancev1.ClassifyRequest{Text: text})
	if status.Code(err) != codes.Canceled {
		t.Errorf("cancelled mid-document: %v, want CANCELLED", err)
	}
	if got, limit := half.asked.Load(), half.cancelAt+1; got > limit {
		t.Errorf("the classifier went on after the cancellation: asked %d times, cancelled at %d", got, limit)
	}
}

// countingContext is a context whose Err becomes context.Canceled from its
// cancelAt'th call on (never when cancelAt is 0), counting the calls.
type countingContext struct {
	context.Context
	cancelAt int64
	asked    atomic.Int64
}

func (c *countingContext) Err() error {
	if n := c.asked.Add(1); c.cancelAt > 0 && n >= c.cancelAt {
		return context.Canceled
	}
	return nil
}

// TestStalledStreamKeepsNoCapacity: a client that opens a stream, sends
// many documents and never reads holds only its own stream's slots; the
// server-wide capacity goes back as each document is done, so other
// callers are served.
func TestStalledStreamKeepsNoCapacity(t *testing.T) {
	limits := DefaultLimits
	limits.MaxInFlight = 4
	svc, _, client := startServerWith(t, limits)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stream, err := client.ClassifyStream(ctx)
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("NATO accused Iran of destabilizing the region. ", 1000)
	go func() {
		for i := range 200 {
			if stream.Send(&stancev1.ClassifyRequest{Id: fmt.Sprint(i), Text: big}) != nil {
				return
			}
		}
	}()
	// Wait until the stream is stalled: it has started documents, and none
	// is being classified any more (the rest wait for the client to read).
	for deadline := time.Now().Add(30 * time.Second); svc.streamed.Load() < int64(limits.MaxStreamInFlight) || svc.admit.held.Load() > 0; {
		if time.Now().After(deadline) {
			t.Fatalf("the stalled stream still holds %d of the server's %d slots", svc.admit.held.Load(), limits.MaxInFlight)
		}
		time.Sleep(time.Millisecond)
	}
	for i := range 20 {
		if _, err := client.Classify(context.Background(), &stancev1.ClassifyRequest{Text: "NATO warned Iran."}); err != nil {
			t.Fatalf("unary call %d while a stream is stalled: %v", i, err)
		}
	}
}

// TestStreamWithLoggingInterceptor runs streams through the logging
// interceptor as classifierd installs it; under -race it checks that the
// counters the interceptor reads are not written concurrently.
func TestStreamWithLoggingInterceptor(t *testing.T) {
	lis := bufconn.Listen(1 << 20)
	svc := New(testClassifier(t), DefaultLimits, slog.New(slog.NewTextHandler(io.Discard, nil)))
	g := grpc.NewServer(grpc.ChainStreamInterceptor(LogStream(slog.New(slog.NewTextHandler(io.Discard, nil)))))
	svc.Register(g)
	go g.Serve(lis)
	defer g.Stop()
	conn, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	client := stancev1.NewStanceServiceClient(conn)
	for round := range 3 {
		stream, err := client.ClassifyStream(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for i := range 20 {
			stream.Send(&stancev1.ClassifyRequest{Id: fmt.Sprint(i), Text: "Iran thanked Russia."})
		}
		if round == 2 {
			svc.Drain() // the receiving goroutine outlives the handler
		} else {
			stream.CloseSend()
		}
		for {
			if _, err := stream.Recv(); err != nil {
				break
			}
		}
	}
}

// TestStreamLeavesRoomForUnary keeps a stream of expensive documents busy
// (and read) while unary calls come one after another: streams together
// hold at most three quarters of the document slots, so every unary call
// finds one and none is shed. (Before, one stream could take every slot.)
func TestStreamLeavesRoomForUnary(t *testing.T) {
	limits := DefaultLimits
	limits.MaxInFlight = 4
	limits.MaxQueueWait = 5 * time.Second
	svc, _, client := startServerWith(t, limits)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stream, err := client.ClassifyStream(ctx)
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("NATO accused Iran of destabilizing the region. ", 1000)
	go func() {
		for i := 0; ; i++ {
			if stream.Send(&stancev1.ClassifyRequest{Id: fmt.Sprint(i), Text: big}) != nil {
				return
			}
		}
	}()
	go func() {
		for {
			if _, err := stream.Recv(); err != nil {
				return
			}
		}
	}()
	// Wait until the stream holds every slot it may.
	for deadline := time.Now().Add(30 * time.Second); svc.admit.held.Load() < 3; {
		if time.Now().After(deadline) {
			t.Fatalf("the stream never held 3 slots (%d)", svc.admit.held.Load())
		}
		time.Sleep(time.Millisecond)
	}
	for i := range 20 {
		if _, err := client.Classify(context.Background(), &stancev1.ClassifyRequest{Text: "NATO warned Iran."}); err != nil {
			t.Fatalf("unary call %d beside a busy stream: %v", i, err)
		}
		if h := svc.admit.held.Load(); h > 4 {
			t.Fatalf("%d document slots held, limit 4", h)
		}
	}
}

// TestTapShedsWhenTheQueueIsFull: when the queue of calls waiting for
// admission is full, the tap refuses the next before reading it, with
// RetryInfo, and counts it.
func TestTapShedsWhenTheQueueIsFull(t *testing.T) {
	limits := DefaultLimits
	limits.MaxInFlight = 2
	svc, _, client := startServerWith(t, limits)
	reg := prometheus.NewRegistry()
	svc.SetMetrics(NewMetrics(reg))
	svc.pending.Add(int64(maxQueued(limits)))
	_, err := client.Classify(context.Background(), &stancev1.ClassifyRequest{Text: "NATO warned Iran."})
	if status.Code(err) != codes.ResourceExhausted || !hasRetryInfo(err) {
		t.Errorf("call with a full queue: %v, want RESOURCE_EXHAUSTED with RetryInfo", err)
	}
	var m dto.Metric
	if err := svc.metrics.shed.WithLabelValues("queue").Write(&m); err != nil || m.GetCounter().GetValue() != 1 {
		t.Errorf("stance_shed_total{what=queue} = %v (%v), want 1", m.GetCounter().GetValue(), err)
	}
	svc.pending.Add(-int64(maxQueued(limits)))
	if _, err := client.Classify(context.Background(), &stancev1.ClassifyRequest{Text: "NATO warned Iran."}); err != nil {
		t.Errorf("call with an empty queue: %v", err)
	}
	if n := svc.pending.Load(); n != 0 {
		t.Errorf("%d calls pending after the calls ended", n)
	}
}
