package batch

import (
	"context"
	"fmt"
	"runtime"
	"time"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// BatchClassifier is the service's ClassifyBatch method; the server
// adapter (*server.Server) has it, so a local run answers exactly as a
// server does, per-document errors included.
type BatchClassifier interface {
	ClassifyBatch(context.Context, *stancev1.ClassifyBatchRequest) (*stancev1.ClassifyBatchResponse, error)
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
	for range l.workers {
		g.Go(func() error {
			for {
				j, err := q.take(ctx)
				if err == errFinished {
					return nil
				}
				if err != nil {
					return err
				}
				resp, err := l.classify(ctx, j.doc.Req)
				if err != nil {
					return err
				}
				resp.Id = j.doc.ID
				j.resp = resp
				q.complete(j)
			}
		})
	}
	return g.Wait()
}

// classify answers one document as a one-document batch, the path on which
// the server answers a bad document with an error response, as it does on
// a stream.
func (l *Local) classify(ctx context.Context, req *stancev1.ClassifyRequest) (resp *stancev1.ClassifyResponse, err error) {
	// In process there is no server interceptor to catch a panic: one
	// document's crash becomes that document's INTERNAL error, as it would
	// through classifierd, and the job goes on.
	defer func() {
		if r := recover(); r != nil {
			resp, err = &stancev1.ClassifyResponse{Id: req.GetId(), Error: status.New(codes.Internal, "internal error").Proto()}, nil
		}
	}()
	dctx := ctx
	if l.timeout > 0 {
		var cancel context.CancelFunc
		dctx, cancel = context.WithTimeout(ctx, l.timeout)
		defer cancel()
	}
	out, err := l.c.ClassifyBatch(dctx, &stancev1.ClassifyBatchRequest{Requests: []*stancev1.ClassifyRequest{req}})
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		// The document's own deadline passed.
		return &stancev1.ClassifyResponse{Error: status.Convert(err).Proto()}, nil
	case len(out.GetResponses()) != 1:
		return nil, fmt.Errorf("classify %q: %d responses for one document", req.GetId(), len(out.GetResponses()))
	}
	return out.GetResponses()[0], nil
}
