package batch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/resolver"
	"google.golang.org/grpc/resolver/manual"
	"google.golang.org/grpc/status"
)

// RemoteOptions configure a Remote. Zero fields take the defaults.
type RemoteOptions struct {
	// Streams is the number of ClassifyStream calls open at once (default
	// 8). round_robin places each call on the next server, and each stream
	// takes documents as fast as its server answers, so a faster server
	// gets more.
	Streams int
	// Timeout is how long one attempt at a document may take (default
	// 1m). A stream with a document pending longer is abandoned and its
	// documents are sent again.
	Timeout time.Duration
	// MaxAttempts is how many times a document is sent before it is
	// answered with the last transient error (default 10). A document only
	// uses an attempt when it was in flight on a stream that broke, or its
	// own answer was a transient error.
	MaxAttempts int
	// RetryFor is how long streams may keep failing, with no document
	// answered, before the run gives up (default 5m).
	RetryFor time.Duration
	// MinBackoff and MaxBackoff bound the wait before a failed stream is
	// reopened (defaults 100ms and 5s); the wait doubles on each failure
	// in a row, with jitter.
	MinBackoff, MaxBackoff time.Duration
	// MaxStreamAge is how long a stream takes new documents (default
	// 15s); then it is half-closed once its documents are answered and a
	// new one opened, so that a replica added mid-run gets its share and a
	// draining server is let go.
	MaxStreamAge time.Duration
	// DialOptions are added to the client's, and win over them: TLS
	// credentials (the default is plaintext), per-call credentials.
	DialOptions []grpc.DialOption
}

func (o *RemoteOptions) setDefaults() {
	if o.Streams <= 0 {
		o.Streams = 8
	}
	if o.Timeout <= 0 {
		o.Timeout = time.Minute
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 10
	}
	if o.RetryFor <= 0 {
		o.RetryFor = 5 * time.Minute
	}
	if o.MaxStreamAge <= 0 {
		o.MaxStreamAge = 15 * time.Second
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = 100 * time.Millisecond
	}
	if o.MaxBackoff < o.MinBackoff {
		o.MaxBackoff = max(o.MinBackoff, 5*time.Second)
	}
}

// Remote classifies documents through ClassifyStream on one or more
// classifierd servers. It is safe for concurrent use.
type Remote struct {
	conn   *grpc.ClientConn
	client stancev1.StanceServiceClient
	opts   RemoteOptions
	dialed time.Time
	addr   string // as the user gave it
}

// Streams opened in the first warmUp after dialling live only
// warmUpStreamAge: round_robin places a call only on a connection that is
// already up, so the first streams of a run all land on whichever server
// answered first, and would stay there for MaxStreamAge while the other
// connections come up.
const (
	warmUp          = 3 * time.Second
	warmUpStreamAge = 500 * time.Millisecond
)

var _ Backend = (*Remote)(nil)

// maxResponseBytes bounds one response message (a large document with
// many mentions and their evidence).
const maxResponseBytes = 64 << 20

// Dial returns a client of addr: HOST:PORT (resolved through DNS, every
// address of the name used), a comma-separated list of HOST:PORT, or a
// gRPC target such as dns:///name:port. Calls are balanced round_robin
// over all addresses. The connection is made lazily; Close releases it.
func Dial(addr string, opts RemoteOptions) (*Remote, error) {
	opts.setDefaults()
	target, res, err := parseTarget(addr)
	if err != nil {
		return nil, err
	}
	bo := backoff.DefaultConfig
	bo.BaseDelay, bo.MaxDelay = opts.MinBackoff, opts.MaxBackoff
	dopts := []grpc.DialOption{
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultServiceConfig(`{"loadBalancingConfig":[{"round_robin":{}}]}`),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxResponseBytes)),
		// Reconnect to a restarted server within seconds, not grpc's
		// default of up to two minutes.
		grpc.WithConnectParams(grpc.ConnectParams{Backoff: bo, MinConnectTimeout: 5 * time.Second}),
	}
	if res != nil {
		dopts = append(dopts, grpc.WithResolvers(res))
	}
	conn, err := grpc.NewClient(target, append(dopts, opts.DialOptions...)...)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	return &Remote{conn: conn, client: stancev1.NewStanceServiceClient(conn), opts: opts, dialed: time.Now(), addr: addr}, nil
}

// ErrNoServer marks a run that could not reach any server.
var ErrNoServer = errors.New("no server answers")

// Check asks the servers for their model (GetModelInfo) before a run, so
// that a wrong address is reported at once rather than retried: it fails
// with ErrNoServer as soon as no address can be connected to, or, with
// wait > 0, when none could for that long. It returns the model version.
func (r *Remote) Check(ctx context.Context, wait time.Duration) (string, error) {
	deadline := time.Now().Add(wait)
	for attempt := 0; ; attempt++ {
		cctx, cancel := context.WithTimeout(ctx, max(wait, 20*time.Second))
		info, err := r.client.GetModelInfo(cctx, &stancev1.GetModelInfoRequest{})
		cancel()
		switch {
		case err == nil:
			return info.GetModelVersion(), nil
		case ctx.Err() != nil:
			return "", ctx.Err()
		case status.Code(err) == codes.Unimplemented:
			return "", fmt.Errorf("the server at %s does not serve stance.v1.StanceService: %w", r.addr, err)
		case status.Code(err) != codes.Unavailable && status.Code(err) != codes.DeadlineExceeded:
			return "", fmt.Errorf("server at %s: %w", r.addr, err)
		case time.Now().After(deadline):
			msg := status.Convert(err).Message()
			if wait > 0 {
				return "", fmt.Errorf("%w at %s after trying for %v: %s", ErrNoServer, r.addr, wait, msg)
			}
			return "", fmt.Errorf("%w at %s (is classifierd running there? -retry-for waits for one): %s", ErrNoServer, r.addr, msg)
		}
		t := time.NewTimer(backoffDelay(r.opts.MinBackoff, r.opts.MaxBackoff, attempt))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return "", ctx.Err()
		}
	}
}

// Client returns the service client, for calls outside a batch run.
func (r *Remote) Client() stancev1.StanceServiceClient { return r.client }

// Close closes the connection.
func (r *Remote) Close() error { return r.conn.Close() }

// parseTarget turns -addr into a gRPC target, with a resolver for a list.
func parseTarget(addr string) (string, resolver.Builder, error) {
	addr = strings.TrimSpace(addr)
	if strings.Contains(addr, "://") || strings.HasPrefix(addr, "dns:") || strings.HasPrefix(addr, "unix:") {
		return addr, nil, nil
	}
	var addrs []resolver.Address
	for a := range strings.SplitSeq(addr, ",") {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		if _, _, err := net.SplitHostPort(a); err != nil {
			return "", nil, fmt.Errorf("-addr %q: %w", a, err)
		}
		addrs = append(addrs, resolver.Address{Addr: a})
	}
	switch len(addrs) {
	case 0:
		return "", nil, errors.New("-addr: no address")
	case 1:
		return "dns:///" + addrs[0].Addr, nil, nil
	}
	res := manual.NewBuilderWithScheme("stancectl")
	res.InitialState(resolver.State{Addresses: addrs})
	return "stancectl:///servers", res, nil
}

// serve runs Streams stream workers until every document is answered.
func (r *Remote) serve(ctx context.Context, q *queue) error {
	perStream := max(1, (cap(q.retry)+r.opts.Streams-1)/r.opts.Streams)
	g, ctx := errgroup.WithContext(ctx)
	for range r.opts.Streams {
		g.Go(func() error { return r.worker(ctx, q, perStream) })
	}
	return g.Wait()
}

// worker keeps one stream open, reopening it with backoff when it fails.
func (r *Remote) worker(ctx context.Context, q *queue, perStream int) error {
	var failures int
	var failingSince time.Time
	for {
		progressed, err := r.session(ctx, q, perStream)
		if err == nil {
			return nil
		}
		if errors.Is(err, errRecycled) {
			failures, failingSince = 0, time.Time{}
			continue
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if fatal(err) {
			return fmt.Errorf("classify stream: %w", err)
		}
		if progressed || failingSince.IsZero() {
			failures, failingSince = 0, time.Now()
		}
		if time.Since(failingSince) > r.opts.RetryFor && q.sinceAnswer() > r.opts.RetryFor {
			return fmt.Errorf("gave up after %v without an answer: %w", r.opts.RetryFor.Round(time.Second), err)
		}
		wait := backoffDelay(r.opts.MinBackoff, r.opts.MaxBackoff, failures)
		failures++
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-q.finished:
			t.Stop()
			return nil
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

// backoffDelay is min·2ⁿ capped at max, with jitter: uniform in [d/2, d).
func backoffDelay(minDelay, maxDelay time.Duration, n int) time.Duration {
	d := maxDelay
	if n < 30 {
		d = min(maxDelay, minDelay<<n)
	}
	return d/2 + rand.N(d/2+1)
}

// fatal says whether a stream error is one that retrying cannot cure:
// the server does not offer the service, or refuses this client.
func fatal(err error) bool {
	switch status.Code(err) {
	case codes.Unimplemented, codes.Unauthenticated, codes.PermissionDenied,
		codes.InvalidArgument, codes.FailedPrecondition, codes.NotFound:
		return true
	}
	return false
}

// retryable says whether a document's own error answer is transient.
// RESOURCE_EXHAUSTED is not: for one document it means the document is over
// the server's size limit.
func retryable(code codes.Code) bool {
	return code == codes.Unavailable || code == codes.Aborted || code == codes.Canceled
}

// errRecycled ends a stream that reached MaxStreamAge.
var errRecycled = errors.New("stream recycled")

// errDocTimeout ends a stream on which a document waited too long.
var errDocTimeout = errors.New("document timed out")

// session runs one stream until it breaks or every document is answered
// (nil). Documents pending on a broken stream go back to the queue.
// progressed says whether the stream answered any document.
func (r *Remote) session(ctx context.Context, q *queue, perStream int) (progressed bool, err error) {
	// A stream is opened only for a document to send: streams opened for
	// nothing (more workers than documents left, a recycled stream at the
	// end of the input) were most of the server's log lines per run, each
	// with documents=0.
	first, err := q.take(ctx)
	if errors.Is(err, errFinished) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	sctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stream, err := r.client.ClassifyStream(sctx)
	if err != nil {
		q.putBack(first)
		return false, err
	}
	s := &session{stream: stream, q: q, slots: make(chan struct{}, perStream), pending: map[int64]*job{}, opts: &r.opts,
		start: time.Now(), maxAge: r.opts.MaxStreamAge, first: first}
	if time.Since(r.dialed) < warmUp {
		s.maxAge = min(s.maxAge, warmUpStreamAge)
	}
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		s.send(sctx)
	}()
	if r.opts.Timeout > 0 {
		go s.watch(sctx, cancel)
	}
	err = s.receive()
	if errors.Is(context.Cause(sctx), errDocTimeout) {
		err = status.Errorf(codes.DeadlineExceeded, "no answer within %v", r.opts.Timeout)
	}
	cancel(nil)
	<-sent
	if s.first != nil {
		q.putBack(s.first) // the stream broke before it could be sent
	}
	if errors.Is(err, errRecycled) {
		return true, err
	}
	if ctx.Err() != nil {
		return s.progressed, ctx.Err() // the run is ending: nothing to resend
	}
	st := status.Convert(err)
	if err == nil {
		st = status.New(codes.Internal, "stream ended early")
	}
	for _, j := range s.pending {
		q.again(j, st, r.opts.MaxAttempts)
	}
	if err == nil && len(s.pending) > 0 {
		err = st.Err()
	}
	return s.progressed, err
}

// session is one ClassifyStream call. Requests carry the document's
// sequence number as their id, so answers match documents even when input
// ids repeat; the answer gets the document's own id back.
type session struct {
	stream     grpc.BidiStreamingClient[stancev1.ClassifyRequest, stancev1.ClassifyResponse]
	q          *queue
	opts       *RemoteOptions
	start      time.Time
	maxAge     time.Duration // how long the stream takes new documents
	closedSend atomic.Bool   // half-closed to recycle the stream
	first      *job          // the document the stream was opened for
	slots      chan struct{} // bounds the documents in flight on this stream
	progressed bool

	mu      sync.Mutex
	pending map[int64]*job
}

// send sends documents while the stream has room, and half-closes it once
// every document is answered.
func (s *session) send(ctx context.Context) {
	for {
		select {
		case s.slots <- struct{}{}:
		case <-ctx.Done():
			return
		}
		j := s.first
		s.first = nil
		if j == nil {
			var err error
			j, err = s.q.take(ctx)
			if errors.Is(err, errFinished) {
				s.stream.CloseSend()
				return
			}
			if err != nil {
				return
			}
		}
		j.doc.Req.Id = strconv.FormatInt(j.doc.Seq, 10)
		j.sent = time.Now()
		s.mu.Lock()
		s.pending[j.doc.Seq] = j
		s.mu.Unlock()
		if err := s.stream.Send(j.doc.Req); err != nil {
			return // Recv reports why
		}
		if time.Since(s.start) > s.maxAge {
			s.closedSend.Store(true)
			s.stream.CloseSend()
			return
		}
	}
}

// receive matches answers to documents until the stream ends.
func (s *session) receive() error {
	for {
		resp, err := s.stream.Recv()
		if errors.Is(err, io.EOF) {
			s.mu.Lock()
			n := len(s.pending)
			s.mu.Unlock()
			switch {
			case n == 0 && s.q.isFinished():
				return nil
			case n == 0 && s.closedSend.Load():
				return errRecycled
			}
			return status.Error(codes.Unavailable, "server ended the stream")
		}
		if err != nil {
			return err
		}
		seq, err := strconv.ParseInt(resp.GetId(), 10, 64)
		s.mu.Lock()
		j := s.pending[seq]
		delete(s.pending, seq)
		s.mu.Unlock()
		if err != nil || j == nil {
			return status.Errorf(codes.Internal, "answer for unknown document %q", resp.GetId())
		}
		<-s.slots
		s.progressed = true
		resp.Id = j.doc.ID
		if e := resp.GetError(); e != nil && retryable(codes.Code(e.GetCode())) {
			s.q.again(j, status.FromProto(e), s.opts.MaxAttempts)
			continue
		}
		j.resp = resp
		s.q.complete(j)
	}
}

// watch ends the stream when a document has been pending too long.
func (s *session) watch(ctx context.Context, cancel context.CancelCauseFunc) {
	t := time.NewTicker(max(s.opts.Timeout/4, 10*time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
		s.mu.Lock()
		expired := false
		for _, j := range s.pending {
			if time.Since(j.sent) > s.opts.Timeout {
				expired = true
				break
			}
		}
		s.mu.Unlock()
		if expired {
			cancel(errDocTimeout)
			return
		}
	}
}
