// Package server is the gRPC face of the classifier: it validates requests,
// converts offsets and protobuf messages to the classifier's plain Go types
// and back, and maps domain errors to gRPC statuses.
package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/offsets"
	"github.com/stance/classifierd/internal/wire"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Limits bound what one request may ask for.
type Limits struct {
	// MaxDocumentBytes is the largest text accepted (RESOURCE_EXHAUSTED
	// beyond).
	MaxDocumentBytes int
	// MaxBatchDocuments is the most documents in one ClassifyBatch.
	MaxBatchDocuments int
	// MaxSpans is the most explicit spans per request.
	MaxSpans int
	// MaxTargets is the most caller targets per request.
	MaxTargets int
	// MaxAliases is the most aliases per target.
	MaxAliases int
	// MaxStreamInFlight is the most documents of one stream being
	// classified at once; the server stops reading the stream beyond it.
	MaxStreamInFlight int
	// MaxInFlight is the most documents being classified at once across
	// all calls; unary and batch calls beyond it are shed.
	MaxInFlight int
	// MaxStreams is the most ClassifyStream calls open at once.
	MaxStreams int
	// MaxMentions is the most mentions, found and explicit, in the answer
	// to one document; a document with more gets RESOURCE_EXHAUSTED.
	MaxMentions int
	// MaxResponseBytes bounds the encoded answer to one call, a document
	// or a whole batch (estimated from above before it is built); a
	// document whose answer would pass it gets RESOURCE_EXHAUSTED.
	MaxResponseBytes int
	// MaxInFlightBytes bounds the memory of the documents admitted, as
	// estimated from their text, mentions and answers, from admission
	// until their answer is written (see admission).
	MaxInFlightBytes int64
	// MaxQueueWait bounds how long a unary or batch call may wait for
	// admission, from its arrival at the transport; it is shed with
	// RESOURCE_EXHAUSTED and RetryInfo after that.
	MaxQueueWait time.Duration
}

// DefaultLimits are the limits when none are configured.
var DefaultLimits = Limits{
	MaxDocumentBytes:  1 << 20,
	MaxBatchDocuments: 100,
	MaxSpans:          1024,
	MaxTargets:        64,
	MaxAliases:        32,
	MaxStreamInFlight: 16,
	MaxInFlight:       64,
	MaxStreams:        64,
	MaxMentions:       20_000,
	MaxResponseBytes:  8 << 20,
	MaxInFlightBytes:  256 << 20,
	MaxQueueWait:      500 * time.Millisecond,
}

// Server implements stance.v1.StanceService over a classifier that can be
// swapped at run time (model reload).
type Server struct {
	stancev1.UnimplementedStanceServiceServer
	current atomic.Pointer[classifier.Classifier]
	limits  Limits
	log     *slog.Logger
	admit   *admission
	streams *capacity
	// pending counts the unary and batch calls past the tap and not yet
	// admitted or shed, so that the tap can shed when the queue is long.
	pending atomic.Int64
	// waitingBytes is the text of the calls waiting for admission, which
	// they hold decoded: bounded to a quarter of MaxInFlightBytes.
	waitingBytes atomic.Int64
	shedLog      shedLog
	metrics      *Metrics
	// tokens, if set, are checked by TapHandle before a call is decoded.
	tokens *Tokens
	// streamed counts the stream documents started (each is answered).
	streamed atomic.Int64
	// draining is closed by Drain: streams stop starting documents.
	draining  chan struct{}
	drainOnce sync.Once
}

var _ stancev1.StanceServiceServer = (*Server)(nil)

// New returns a server that classifies with c.
func New(c *classifier.Classifier, limits Limits, log *slog.Logger) *Server {
	s := &Server{limits: limits, log: log, admit: newAdmission(limits),
		streams: newCapacity(limits.MaxStreams), draining: make(chan struct{})}
	s.current.Store(c)
	return s
}

// SetMetrics makes the server record its metrics on m.
func (s *Server) SetMetrics(m *Metrics) {
	s.metrics = m
	m.setModel(s.current.Load().Model().Version())
}

// SetTokens makes TapHandle refuse calls without one of t's tokens (to
// methods t does not leave open) with UNAUTHENTICATED, before their message
// is read. Call it before serving.
func (s *Server) SetTokens(t *Tokens) { s.tokens = t }

// Drain makes every open stream stop starting new documents, answer the
// ones it started, and end with UNAVAILABLE so that its client resends the
// rest elsewhere. Unary calls are left to grpc.Server.GracefulStop.
func (s *Server) Drain() { s.drainOnce.Do(func() { close(s.draining) }) }

// Register registers the service on g.
func (s *Server) Register(g *grpc.Server) { stancev1.RegisterStanceServiceServer(g, s) }

// Swap replaces the classifier; calls in flight finish on the one they
// started with.
func (s *Server) Swap(c *classifier.Classifier) {
	s.current.Store(c)
	s.metrics.setModel(c.Model().Version())
}

// Classifier returns the classifier now serving.
func (s *Server) Classifier() *classifier.Classifier { return s.current.Load() }

// Classify implements stance.v1.StanceService.
func (s *Server) Classify(ctx context.Context, req *stancev1.ClassifyRequest) (*stancev1.ClassifyResponse, error) {
	c := s.current.Load()
	d := s.prepare(c, req)
	if d.err != nil {
		markAdmitted(ctx)
		s.metrics.failed("Classify")
		return nil, s.statusOf(ctx, d.err).Err()
	}
	t, err := s.enterUnary(ctx, d.cost, len(req.GetText()))
	if err != nil {
		return nil, err
	}
	if !holdUntilWritten(ctx, t) {
		defer t.done()
	}
	resp, _, err := s.answer(ctx, c, d, arenaFor(ctx), t, s.limits.MaxResponseBytes)
	t.doneClassifying()
	if err != nil {
		s.metrics.failed("Classify")
		return nil, s.statusOf(ctx, err).Err()
	}
	s.metrics.document("Classify", resp, len(req.GetText()))
	return resp, nil
}

// ClassifyBatch implements stance.v1.StanceService.
func (s *Server) ClassifyBatch(ctx context.Context, req *stancev1.ClassifyBatchRequest) (*stancev1.ClassifyBatchResponse, error) {
	if n := len(req.GetRequests()); n > s.limits.MaxBatchDocuments {
		markAdmitted(ctx)
		return nil, status.Errorf(codes.ResourceExhausted, "batch has %d documents; the limit is %d", n, s.limits.MaxBatchDocuments)
	}
	c := s.current.Load()
	docs := make([]prepared, len(req.GetRequests()))
	var cost int64
	for i, r := range req.GetRequests() {
		docs[i] = s.prepare(c, r)
		cost += docs[i].cost
	}
	// A batch is classified one document after another, so it holds one
	// document slot: its cost is latency, not concurrency. It holds the
	// bytes of all its documents until its answer is written, since the
	// answer holds them all.
	size := 0
	for _, r := range req.GetRequests() {
		size += len(r.GetText())
	}
	t, err := s.enterUnary(ctx, cost, size)
	if err != nil {
		return nil, err
	}
	if !holdUntilWritten(ctx, t) {
		defer t.done()
	}
	defer t.doneClassifying()
	out := &stancev1.ClassifyBatchResponse{Responses: make([]*stancev1.ClassifyResponse, len(docs))}
	room := s.limits.MaxResponseBytes
	for i, d := range docs {
		r := req.GetRequests()[i]
		resp, size, err := (*stancev1.ClassifyResponse)(nil), 0, d.err
		if err == nil {
			resp, size, err = s.answer(ctx, c, d, arenaFor(ctx), t, room)
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, s.statusOf(ctx, err).Err()
			}
			resp = s.errorResponse(ctx, c, r, err)
		}
		room -= size
		s.metrics.document("ClassifyBatch", resp, len(r.GetText()))
		out.Responses[i] = resp
	}
	return out, nil
}

// enterUnary admits a unary or batch call of cost bytes whose requests
// hold size bytes of text while they wait, or sheds it: at once when the
// calls waiting already hold a quarter of MaxInFlightBytes, or after
// MaxQueueWait.
func (s *Server) enterUnary(ctx context.Context, cost int64, size int) (*ticket, error) {
	defer markAdmitted(ctx)
	if w := s.waitingBytes.Add(int64(size)); w > s.admit.budget/4 && w > int64(size) {
		s.waitingBytes.Add(-int64(size))
		return nil, s.shed(ctx, "queue", errQueueFull)
	}
	t, err := s.admit.enterUnary(ctx, arrivalOf(ctx), cost)
	s.waitingBytes.Add(-int64(size))
	if err != nil {
		return nil, s.shed(ctx, "documents", err)
	}
	return t, nil
}

var errQueueFull = errors.New("queue full")

// ClassifyStream implements stance.v1.StanceService. Documents are read
// while earlier ones are classified, up to MaxStreamInFlight at once (and
// within the server's MaxInFlight); each response goes out as soon as it is
// ready. Every document the server starts gets a response before the call
// returns. On Drain the stream stops starting documents, answers the ones
// it started and ends with UNAVAILABLE: the client resends any document
// that got no response.
func (s *Server) ClassifyStream(stream grpc.BidiStreamingServer[stancev1.ClassifyRequest, stancev1.ClassifyResponse]) error {
	if !s.streams.tryAcquire() {
		s.metrics.shedCall("streams")
		return overloaded("streams", s.limits.MaxStreams)
	}
	defer s.streams.release()
	ctx := stream.Context()
	slots := make(chan struct{}, max(1, s.limits.MaxStreamInFlight))
	results := make(chan reply, cap(slots))
	sendErr := make(chan error, 1)
	go func() {
		// The only sender: gRPC streams allow one Send at a time. After a
		// failed Send it keeps draining results so that workers finish.
		var err error
		for r := range results {
			if err == nil {
				err = stream.Send(r.resp)
			}
			// Send has encoded the response: its arena can be reused.
			r.release()
		}
		sendErr <- err
	}()

	// Recv runs on its own goroutine so that a drain can interrupt the
	// wait for the next document.
	type received struct {
		req *stancev1.ClassifyRequest
		err error
	}
	incoming := make(chan received)
	go func() {
		for {
			req, err := stream.Recv()
			select {
			case incoming <- received{req, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()

	var wg sync.WaitGroup
	endErr := func() error {
		for {
			var in received
			select {
			case in = <-incoming:
			case <-s.draining:
				return status.Error(codes.Unavailable, "server is shutting down: resend the documents that got no response")
			case <-ctx.Done():
				return ctx.Err()
			}
			if errors.Is(in.err, io.EOF) {
				return nil
			}
			if in.err != nil {
				return in.err
			}
			// Wait for room in this stream and in the server. A stream is
			// not shed: it waits, and gRPC's flow control makes its client
			// wait too.
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return ctx.Err()
			}
			// A reload mid-stream takes effect for the documents after it.
			c := s.current.Load()
			d := s.prepare(c, in.req)
			var t *ticket
			if d.err == nil {
				var err error
				if t, err = s.admit.enter(ctx, d.cost, true); err != nil {
					<-slots
					return err
				}
			}
			s.streamed.Add(1)
			wg.Add(1)
			go func(req *stancev1.ClassifyRequest) {
				defer wg.Done()
				r := s.classifyOne(ctx, c, d, t)
				// The document slot goes back as soon as the work is done;
				// the bytes when the answer is sent. A client that stops
				// reading holds only its own stream's slots, and bytes
				// within the streams' share, never the other callers'
				// capacity.
				t.doneClassifying()
				s.metrics.document("ClassifyStream", r.resp, len(req.GetText()))
				results <- r
				<-slots
			}(in.req)
		}
	}()
	wg.Wait()
	close(results)
	if err := <-sendErr; err != nil {
		return err
	}
	if endErr == nil {
		return nil
	}
	if _, ok := status.FromError(endErr); ok {
		return endErr
	}
	return status.FromContextError(endErr).Err()
}

// GetModelInfo implements stance.v1.StanceService.
func (s *Server) GetModelInfo(ctx context.Context, _ *stancev1.GetModelInfoRequest) (*stancev1.GetModelInfoResponse, error) {
	return modelInfo(s.current.Load(), s.limits), nil
}

// prepared is a validated request, converted for the classifier, with its
// estimated cost; or the reason it cannot be classified.
type prepared struct {
	req  *stancev1.ClassifyRequest
	in   classifier.Request
	conv *offsets.Converter
	cost int64
	err  error
}

// prepare validates and converts req and estimates its cost (see costOf).
func (s *Server) prepare(c *classifier.Classifier, req *stancev1.ClassifyRequest) prepared {
	d := prepared{req: req}
	if d.in, d.conv, d.err = s.toDomain(req); d.err == nil {
		d.cost, d.err = s.costOf(c, req, d.in)
	}
	return d
}

// classify validates, converts and answers one request in a, with no
// admission: for tests and benchmarks of the stages.
func (s *Server) classify(ctx context.Context, c *classifier.Classifier, req *stancev1.ClassifyRequest, a *wire.Arena) (*stancev1.ClassifyResponse, error) {
	d := s.prepare(c, req)
	if d.err != nil {
		return nil, d.err
	}
	resp, _, err := s.answer(ctx, c, d, a, nil, s.limits.MaxResponseBytes)
	return resp, err
}

// answer runs the classifier on d and builds the answer in a, if it has at
// most MaxMentions mentions and room bytes; it returns the answer's size
// bound. t, if not nil, grows to the document's cost once that is known.
func (s *Server) answer(ctx context.Context, c *classifier.Classifier, d prepared, a *wire.Arena, t *ticket, room int) (*stancev1.ClassifyResponse, int, error) {
	if err := c.ClassifyInto(ctx, d.in, &a.Result); err != nil {
		return nil, 0, err
	}
	mentions := len(a.Result.Mentions) + len(a.Result.Targeted)
	if mentions > s.limits.MaxMentions {
		return nil, 0, &answerTooLargeError{"mentions", mentions, s.limits.MaxMentions}
	}
	size := wire.AnswerBytes(d.req.GetId(), &a.Result, d.req.GetOptions().GetIncludeSpanText(), c.Model().Version())
	if size > room {
		if room < s.limits.MaxResponseBytes {
			return nil, 0, &answerTooLargeError{"response bytes with the batch's earlier answers", s.limits.MaxResponseBytes - room + size, s.limits.MaxResponseBytes}
		}
		return nil, 0, &answerTooLargeError{"response bytes", size, s.limits.MaxResponseBytes}
	}
	if t != nil {
		if err := t.grow(ctx, costAfter(len(d.in.Text), mentions, size), s.admit.queueWait); err != nil {
			return nil, 0, s.shed(ctx, "bytes", err)
		}
	}
	return a.Response(d.req, c.Model().Version(), d.conv), size, nil
}

// reply is a streamed response, the pooled arena it was built in, if any,
// and its share of the server's budgets.
type reply struct {
	resp   *stancev1.ClassifyResponse
	arena  *wire.Arena
	ticket *ticket
}

// release returns the arena to the pool and the ticket's bytes to the
// server once the response is sent.
func (r reply) release() {
	if r.arena != nil {
		r.arena.Release()
	}
	r.ticket.done()
}

// classifyOne answers one streamed document, with its error if it fails.
// It runs on its own goroutine, out of reach of the stream interceptor, so
// it recovers panics itself: one document's crash becomes that document's
// INTERNAL error and the stream goes on.
func (s *Server) classifyOne(ctx context.Context, c *classifier.Classifier, d prepared, t *ticket) (r reply) {
	if d.err != nil {
		return reply{resp: s.errorResponse(ctx, c, d.req, d.err)}
	}
	a := wire.NewArena()
	defer func() {
		if p := recover(); p != nil {
			s.log.ErrorContext(ctx, "classify panic", "id", d.req.GetId(), "panic", p, "stack", string(debug.Stack()))
			// The arena may be half built: it is left to the garbage
			// collector rather than pooled.
			r = reply{resp: s.errorResponse(ctx, c, d.req, status.Error(codes.Internal, "internal error")), ticket: t}
		}
	}()
	resp, _, err := s.answer(ctx, c, d, a, t, s.limits.MaxResponseBytes)
	if err != nil {
		a.Release()
		return reply{resp: s.errorResponse(ctx, c, d.req, err), ticket: t}
	}
	return reply{resp: resp, arena: a, ticket: t}
}

// errorResponse answers one document of a batch or stream with its error.
// An id that is not valid UTF-8 (the request's error then says so) is
// echoed with U+FFFD for each bad byte: ClassifyResponse.id is checked by
// protobuf decoders, and the caller could not read the answer otherwise.
func (s *Server) errorResponse(ctx context.Context, c *classifier.Classifier, req *stancev1.ClassifyRequest, err error) *stancev1.ClassifyResponse {
	return &stancev1.ClassifyResponse{Id: strings.ToValidUTF8(req.GetId(), "\uFFFD"), ModelVersion: c.Model().Version(), Error: s.statusOf(ctx, err).Proto()}
}

// ServerOptions are the options the service needs on its grpc.Server: the
// tap that sheds calls before decoding them, the stats handler that
// recycles response arenas, and the codec that encodes answers.
func (s *Server) ServerOptions() []grpc.ServerOption {
	return []grpc.ServerOption{grpc.InTapHandle(s.TapHandle), grpc.StatsHandler(arenaStats{}), grpc.ForceServerCodecV2(wire.NewCodec())}
}
