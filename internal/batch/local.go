package batch

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// BatchClassifier is the service's ClassifyBatch method, in the form that
// the server adapter (*server.Server) offers a caller in its own process:
// a local run answers exactly as a server does, per-document errors
// included, and calls release once it has written the answers, so that
// their memory is reused.
type BatchClassifier interface {
	ClassifyBatchPooled(context.Context, *stancev1.ClassifyBatchRequest) (resp *stancev1.ClassifyBatchResponse, release func(), err error)
}

// Local classifies documents in-process with a pool of workers.
type Local struct {
	c       BatchClassifier
	workers int
	timeout time.Duration
}

var _ Backend = (*Local)(nil)

// NewLocal returns a backend that calls c from workers goroutines (0 means
// runtime.GOMAXPROCS), giving each document at most timeout (0: no limit).
func NewLocal(c BatchClassifier, workers int, timeout time.Duration) *Local {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return &Local{c: c, workers: workers, timeout: timeout}
}

func (l *Local) serve(ctx context.Context, q *queue) error {
	g, ctx := errgroup.WithContext(ctx)
	ws := make([]*localWorker, l.workers)
	for i := range ws {
		w := &localWorker{}
		ws[i] = w
		g.Go(func() error {
			for {
				j, err := q.take(ctx)
				if err == errFinished {
					return nil
				}
				if err != nil {
					return err
				}
				resp, release, err := l.classify(ctx, w, j.doc.Req)
				if err != nil {
					return err
				}
				resp.Id = j.doc.ID
				j.resp, j.release = resp, release
				q.complete(j)
				// Let the writer have the answer now, while it is in the
				// cache, and give its memory back for the next one. On one
				// core a worker that has documents queued would otherwise
				// run on until preempted, answering up to the window (256)
				// before the writer runs: as many answers' arenas live at
				// once, 15 MB more heap on the benchmark corpus, all of it
				// new memory for the kernel to zero.
				runtime.Gosched()
			}
		})
	}
	if l.timeout > 0 {
		stop := make(chan struct{})
		defer close(stop)
		go l.watch(ws, stop)
	}
	return g.Wait()
}

// localWorker is one worker's document context, cancelled by watch when
// its document runs past the timeout. One context per worker rather than a
// context.WithTimeout per document: the timer of each was 6% of a run.
type localWorker struct {
	mu      sync.Mutex
	ctx     context.Context
	cancel  context.CancelCauseFunc
	started atomic.Int64 // UnixNano when the current document started; 0 when idle
}

// errDocTimeoutLocal is the cause of a worker context cancelled by watch.
var errDocTimeoutLocal = errors.New("document timed out")

// docContext returns the context for the worker's next document: the
// worker's, or a new one after watch cancelled it.
func (w *localWorker) docContext(parent context.Context) context.Context {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ctx == nil || w.ctx.Err() != nil {
		w.ctx, w.cancel = context.WithCancelCause(parent)
	}
	w.started.Store(time.Now().UnixNano())
	return w.ctx
}

// watch cancels the context of a worker whose document has run longer
// than the timeout, until stop closes.
func (l *Local) watch(ws []*localWorker, stop chan struct{}) {
	t := time.NewTicker(max(l.timeout/8, 5*time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		now := time.Now().UnixNano()
		for _, w := range ws {
			if s := w.started.Load(); s != 0 && time.Duration(now-s) > l.timeout {
				w.mu.Lock()
				if w.cancel != nil {
					w.cancel(errDocTimeoutLocal)
				}
				w.mu.Unlock()
			}
		}
	}
}

// classify answers one document as a one-document batch, the path on which
// the server answers a bad document with an error response, as it does on
// a stream. release, when not nil, gives the answer's memory back.
func (l *Local) classify(ctx context.Context, w *localWorker, req *stancev1.ClassifyRequest) (resp *stancev1.ClassifyResponse, release func(), err error) {
	// In process there is no server interceptor to catch a panic: one
	// document's crash becomes that document's INTERNAL error, as it would
	// through classifierd, and the job goes on.
	defer func() {
		if r := recover(); r != nil {
			resp, release, err = &stancev1.ClassifyResponse{Id: req.GetId(), Error: status.New(codes.Internal, "internal error").Proto()}, nil, nil
		}
	}()
	dctx := w.docContext(ctx)
	defer w.started.Store(0)
	out, release, err := l.c.ClassifyBatchPooled(dctx, &stancev1.ClassifyBatchRequest{Requests: []*stancev1.ClassifyRequest{req}})
	switch {
	case ctx.Err() != nil:
		release()
		return nil, nil, ctx.Err()
	case err == nil && len(out.GetResponses()) != 1:
		release()
		return nil, nil, fmt.Errorf("classify %q: %d responses for one document", req.GetId(), len(out.GetResponses()))
	case context.Cause(dctx) == errDocTimeoutLocal && (err != nil || out.GetResponses()[0].GetError() != nil):
		release()
		return &stancev1.ClassifyResponse{Error: status.Newf(codes.DeadlineExceeded, "no answer within %v", l.timeout).Proto()}, nil, nil
	case err != nil:
		release()
		return &stancev1.ClassifyResponse{Error: status.Convert(err).Proto()}, nil, nil
	}
	return out.GetResponses()[0], release, nil
}
