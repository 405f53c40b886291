package server

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"google.golang.org/grpc/tap"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"
)

// capacity bounds the ClassifyStream calls open at once; a stream past it
// is refused at once with RESOURCE_EXHAUSTED. (Documents are admitted by
// admission.)
type capacity struct {
	slots chan struct{}
}

func newCapacity(n int) *capacity { return &capacity{slots: make(chan struct{}, max(1, n))} }

// tryAcquire takes a slot if one is free.
func (c *capacity) tryAcquire() bool {
	select {
	case c.slots <- struct{}{}:
		return true
	default:
		return false
	}
}

func (c *capacity) release() { <-c.slots }

// retryDelay is the backoff suggested to shed callers.
const retryDelay = 100e6 // 100ms in nanoseconds

// overloaded is the status of a shed call: RESOURCE_EXHAUSTED with a
// google.rpc.RetryInfo suggesting when to retry.
func overloaded(what string, limit int) error {
	msg := fmt.Sprintf("server at capacity (%d %s in flight); retry with backoff", limit, what)
	if what == "bytes" {
		msg = "server at capacity (memory of the documents in flight); retry with backoff"
	}
	st := status.New(codes.ResourceExhausted, msg)
	if d, err := st.WithDetails(&errdetails.RetryInfo{RetryDelay: durationpb.New(retryDelay)}); err == nil {
		st = d
	}
	return st.Err()
}

// TapHandle refuses calls without valid credentials (see SetTokens) and
// sheds unary calls when the server's queue is full, before their message
// is read, so that neither costs the memory of decoding the request nor a
// goroutine: 32 unauthenticated 16 MB calls held 1.2 GiB when tokens were
// checked by an interceptor, after decoding. It also notes when each call
// arrived, so that a call's wait for admission counts from there, not from
// when its handler started: under overload calls queue in the transport
// first. Install it with grpc.InTapHandle (ServerOptions does). It runs
// under the connection's lock, so it only compares and counts.
func (s *Server) TapHandle(ctx context.Context, info *tap.Info) (context.Context, error) {
	if s.tokens != nil {
		if err := s.tokens.checkHeader(info.Header, info.FullMethodName); err != nil {
			s.metrics.unauthenticated()
			return nil, err
		}
	}
	switch info.FullMethodName {
	case stancev1.StanceService_Classify_FullMethodName, stancev1.StanceService_ClassifyBatch_FullMethodName:
		// Calls queue for admission, in order, for at most MaxQueueWait
		// each: that bounds their latency. The queue's length is bounded
		// too, to sixteen times the calls in flight (at least 128), and
		// beyond it a call is refused before its message is read; the
		// memory of the requests waiting is bounded by waitingBytes. (A
		// queue only as long as the calls in flight shed three calls in
		// four under 64 closed-loop callers and answered 58% fewer:
		// refusing is not free either.)
		if s.pending.Load() >= int64(maxQueued(s.limits)) {
			s.metrics.shedCall("queue")
			s.shedLog.note(ctx, s.log, "queue")
			return nil, overloaded("documents", s.limits.MaxInFlight)
		}
		s.pending.Add(1)
		return context.WithValue(ctx, arrivalKey{}, &arrival{at: time.Now(), pending: &s.pending}), nil
	}
	return ctx, nil
}

// maxQueued is the most unary and batch calls waiting for admission.
func maxQueued(l Limits) int { return max(128, 16*l.MaxInFlight) }

type arrivalKey struct{}

// arrival is when a call reached the transport, and its place in the
// server's count of calls waiting for admission.
type arrival struct {
	at      time.Time
	pending *atomic.Int64
	left    atomic.Bool
}

// arrivalOf returns when the call in ctx arrived (now without the tap).
func arrivalOf(ctx context.Context) time.Time {
	if a, ok := ctx.Value(arrivalKey{}).(*arrival); ok {
		return a.at
	}
	return time.Now()
}

// markAdmitted takes the call in ctx off the count of calls waiting, once:
// when it is admitted or refused, or when it ends without reaching its
// handler (arenaStats calls it too).
func markAdmitted(ctx context.Context) {
	if a, ok := ctx.Value(arrivalKey{}).(*arrival); ok && a.left.CompareAndSwap(false, true) {
		a.pending.Add(-1)
	}
}

// shed answers a call that could not be admitted in time: RESOURCE_EXHAUSTED
// with RetryInfo, counted and logged; or the caller's own deadline or
// cancellation, if that is what ended the wait.
func (s *Server) shed(ctx context.Context, what string, err error) error {
	if ctx.Err() != nil {
		return status.FromContextError(ctx.Err()).Err()
	}
	s.metrics.shedCall(what)
	s.shedLog.note(ctx, s.log, what)
	return overloaded(what, s.limits.MaxInFlight)
}

// shedLog logs shed calls as one line per second at most, with the count
// since the last line: a line per call would cost more than the shedding
// saves. Calls shed by the tap reach no interceptor, so this line and
// stance_shed_total are where they show.
type shedLog struct {
	mu    sync.Mutex
	last  time.Time
	count map[string]int
}

func (l *shedLog) note(ctx context.Context, log *slog.Logger, what string) {
	l.mu.Lock()
	if l.count == nil {
		l.count = map[string]int{}
	}
	l.count[what]++
	now := time.Now()
	if now.Sub(l.last) < time.Second {
		l.mu.Unlock()
		return
	}
	counts := l.count
	l.count, l.last = nil, now
	l.mu.Unlock()
	attrs := []any{}
	for w, n := range counts {
		attrs = append(attrs, "shed_"+w, n)
	}
	log.WarnContext(ctx, "shedding calls: server at capacity", attrs...)
}
