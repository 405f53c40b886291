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

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/classifier"
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
	// MaxResponseBytes bounds the encoded answer to one document
	// (estimated from above before it is built); a document whose answer
	// would be larger gets RESOURCE_EXHAUSTED.
	MaxResponseBytes int
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
}

// Server implements stance.v1.StanceService over a classifier that can be
// swapped at run time (model reload).
type Server struct {
	stancev1.UnimplementedStanceServiceServer
	current  atomic.Pointer[classifier.Classifier]
	limits   Limits
	log      *slog.Logger
	capacity *capacity
	streams  *capacity
	metrics  *Metrics
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
	s := &Server{limits: limits, log: log, capacity: newCapacity(limits.MaxInFlight),
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
	if !s.capacity.tryAcquire() {
		s.metrics.shedCall("documents")
		return nil, overloaded("documents", s.limits.MaxInFlight)
	}
	defer s.capacity.release()
	resp, err := s.classify(ctx, s.current.Load(), req, arenaFor(ctx))
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
		return nil, status.Errorf(codes.ResourceExhausted, "batch has %d documents; the limit is %d", n, s.limits.MaxBatchDocuments)
	}
	// A batch is classified one document after another, so it holds one
	// slot: its cost is latency, not concurrency.
	if !s.capacity.tryAcquire() {
		s.metrics.shedCall("documents")
		return nil, overloaded("documents", s.limits.MaxInFlight)
	}
	defer s.capacity.release()
	c := s.current.Load()
	out := &stancev1.ClassifyBatchResponse{Responses: make([]*stancev1.ClassifyResponse, len(req.GetRequests()))}
	for i, r := range req.GetRequests() {
		resp, err := s.classify(ctx, c, r, arenaFor(ctx))
		if err != nil {
			if ctx.Err() != nil {
				return nil, s.statusOf(ctx, err).Err()
			}
			resp = s.errorResponse(ctx, c, r, err)
		}
		s.metrics.document("ClassifyBatch", resp, len(r.GetText()))
		out.Responses[i] = resp
	}
	return out, nil
}

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
			// Wait for room in this stream and in the server.
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return ctx.Err()
			}
			if err := s.capacity.acquire(ctx); err != nil {
				<-slots
				return err
			}
			// A reload mid-stream takes effect for the documents after it.
			c := s.current.Load()
			s.streamed.Add(1)
			wg.Add(1)
			go func(req *stancev1.ClassifyRequest) {
				defer wg.Done()
				r := s.classifyOne(ctx, c, req)
				// The server-wide slot goes back as soon as the work is
				// done: a client that stops reading holds only its own
				// stream's slots, never the other callers' capacity.
				s.capacity.release()
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

// classify validates and converts one request, runs the classifier, and
// builds the response in a.
func (s *Server) classify(ctx context.Context, c *classifier.Classifier, req *stancev1.ClassifyRequest, a *responseArena) (*stancev1.ClassifyResponse, error) {
	in, conv, err := s.toDomain(req)
	if err != nil {
		return nil, err
	}
	if err := c.ClassifyInto(ctx, in, &a.result); err != nil {
		return nil, err
	}
	if n := len(a.result.Mentions) + len(a.result.Targeted); n > s.limits.MaxMentions {
		return nil, &answerTooLargeError{"mentions", n, s.limits.MaxMentions}
	}
	if n := answerBytes(req.GetId(), &a.result, req.GetOptions().GetIncludeSpanText(), c.Model().Version()); n > s.limits.MaxResponseBytes {
		return nil, &answerTooLargeError{"response bytes", n, s.limits.MaxResponseBytes}
	}
	return toProto(req, c, a.result, conv, a), nil
}

// reply is a streamed response and the pooled arena it was built in, if
// any.
type reply struct {
	resp  *stancev1.ClassifyResponse
	arena *responseArena
}

// release returns the arena to the pool once the response is sent.
func (r reply) release() {
	if r.arena != nil {
		r.arena.release()
	}
}

// classifyOne answers one streamed document, with its error if it fails.
// It runs on its own goroutine, out of reach of the stream interceptor, so
// it recovers panics itself: one document's crash becomes that document's
// INTERNAL error and the stream goes on.
func (s *Server) classifyOne(ctx context.Context, c *classifier.Classifier, req *stancev1.ClassifyRequest) (r reply) {
	a := newArena()
	defer func() {
		if p := recover(); p != nil {
			s.log.ErrorContext(ctx, "classify panic", "id", req.GetId(), "panic", p, "stack", string(debug.Stack()))
			// The arena may be half built: it is left to the garbage
			// collector rather than pooled.
			r = reply{resp: s.errorResponse(ctx, c, req, status.Error(codes.Internal, "internal error"))}
		}
	}()
	resp, err := s.classify(ctx, c, req, a)
	if err != nil {
		a.release()
		return reply{resp: s.errorResponse(ctx, c, req, err)}
	}
	return reply{resp: resp, arena: a}
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
	return []grpc.ServerOption{grpc.InTapHandle(s.TapHandle), grpc.StatsHandler(arenaStats{}), grpc.ForceServerCodecV2(newCodec())}
}
