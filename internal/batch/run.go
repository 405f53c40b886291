package batch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// DefaultWindow is the default number of documents read but not yet
// emitted.
const DefaultWindow = 256

// Backend classifies documents: a gRPC client ([Remote]) or the service
// in-process ([Local]).
type Backend interface {
	// serve takes jobs from q and completes each one, until q is finished
	// (nil), a failure that retrying cannot cure, or ctx ends.
	serve(ctx context.Context, q *queue) error
}

// Stats count a run's documents.
type Stats struct {
	// Read is the number of documents read from the input, skipped ones
	// included.
	Read int64
	// Skipped is the number of documents an earlier run answered
	// (-resume).
	Skipped int64
	// Done is the number of documents answered and emitted by this run.
	Done int64
	// Failed is the number of emitted documents whose answer is an error,
	// malformed ones included.
	Failed int64
	// Malformed is the number of documents that could not be read.
	Malformed int64
	// Retries is the number of times a document was sent again after a
	// transient failure.
	Retries int64
	// Offset is how many input bytes (as stored) had been read when the
	// last emitted document was, for progress.
	Offset int64
	// SkippedOffset is the Offset of the last skipped document: where this
	// run's own work starts.
	SkippedOffset int64
}

// EmitFunc receives each answered document with its response (the
// response's id is the document's). It is called from one goroutine at a
// time; an error stops the run. The response is valid only until EmitFunc
// returns: a local backend reuses its memory for later answers.
type EmitFunc func(d *Doc, resp *stancev1.ClassifyResponse) error

// Runner runs one batch job. Set its fields, then call Run once.
type Runner struct {
	// Backend classifies the documents.
	Backend Backend
	// Unordered emits documents as they are answered rather than in input
	// order. Ordered output waits for the oldest document in flight, so
	// one slow document holds back the Window after it; unordered output
	// does not.
	Unordered bool
	// Window bounds the documents read but not yet emitted, and so memory
	// and the number in flight; 0 means DefaultWindow.
	Window int
	// Resume, when set, skips the documents an earlier run answered.
	Resume *Resume
	// Evidence, when set, sets every request's evidence: none for 0, else
	// at most *Evidence items per mention. nil leaves each request as it
	// is (the server's default is 5).
	Evidence *int

	read, skipped, done, failed, malformed, retries, offset, skippedOffset atomic.Int64
}

// Progress returns the counts so far; it may be called while Run runs.
func (r *Runner) Progress() Stats {
	return Stats{
		Read: r.read.Load(), Skipped: r.skipped.Load(), Done: r.done.Load(), Failed: r.failed.Load(),
		Malformed: r.malformed.Load(), Retries: r.retries.Load(), Offset: r.offset.Load(),
		SkippedOffset: r.skippedOffset.Load(),
	}
}

// Run classifies every document of in and emits each answer once. It
// returns when all are emitted, or with the first error that stops the
// run: the input failing, emit failing, a failure that retrying cannot
// cure, or ctx ending. Documents emitted before an error stay emitted and
// in order, so a run resumed from its output continues where this one
// stopped.
func (r *Runner) Run(ctx context.Context, in *Input, emit EmitFunc) error {
	window := r.Window
	if window <= 0 {
		window = DefaultWindow
	}
	q := newQueue(window, &r.retries)
	slots := make(chan struct{}, window)
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return r.readInput(ctx, in, q, slots) })
	g.Go(func() error { return r.Backend.serve(ctx, q) })
	g.Go(func() error { return r.write(ctx, q, slots, emit) })
	return g.Wait()
}

// read1 reads the input and queues its documents.
func (r *Runner) readInput(ctx context.Context, in *Input, q *queue, slots chan struct{}) error {
	for {
		d, err := in.Next()
		if errors.Is(err, io.EOF) {
			if r.Resume != nil {
				if err := r.Resume.finish(r.read.Load()); err != nil {
					return err
				}
			}
			q.closeInput()
			return nil
		}
		if err != nil {
			return err
		}
		r.read.Add(1)
		if r.Resume != nil {
			skip, err := r.Resume.skip(d)
			if err != nil {
				return err
			}
			if skip {
				r.skipped.Add(1)
				r.offset.Store(d.Offset)
				r.skippedOffset.Store(d.Offset)
				continue
			}
		}
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		if d.Req != nil && r.Evidence != nil {
			setEvidence(d.Req, *r.Evidence)
		}
		j := &job{doc: d}
		q.admit()
		if d.Err != nil {
			r.malformed.Add(1)
			j.resp = &stancev1.ClassifyResponse{Id: d.ID, Error: status.New(codes.InvalidArgument, d.Err.Error()).Proto()}
			q.complete(j)
			continue
		}
		select {
		case q.jobs <- j:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// write emits answered documents, in input order unless Unordered.
func (r *Runner) write(ctx context.Context, q *queue, slots chan struct{}, emit EmitFunc) error {
	var next int64
	if r.Resume != nil && r.Resume.ordered {
		next = r.Resume.Lines
	}
	held := map[int64]*job{}
	out := func(j *job) error {
		err := emit(j.doc, j.resp)
		if j.release != nil {
			j.release()
		}
		if err != nil {
			return err
		}
		<-slots
		r.done.Add(1)
		if j.resp.GetError() != nil {
			r.failed.Add(1)
		}
		if j.doc.Offset > r.offset.Load() {
			r.offset.Store(j.doc.Offset)
		}
		return nil
	}
	take := func(j *job) error {
		if r.Unordered {
			return out(j)
		}
		held[j.doc.Seq] = j
		for {
			j, ok := held[next]
			if !ok {
				return nil
			}
			delete(held, next)
			next++
			if err := out(j); err != nil {
				return err
			}
		}
	}
	for {
		select {
		case j := <-q.results:
			if err := take(j); err != nil {
				return err
			}
		case <-q.finished:
			// Every result was sent before finished was closed.
			for {
				select {
				case j := <-q.results:
					if err := take(j); err != nil {
						return err
					}
				default:
					if len(held) > 0 {
						return fmt.Errorf("internal error: %d answers held back waiting for document %d", len(held), next)
					}
					return nil
				}
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// job is one document on its way through a backend.
type job struct {
	doc  *Doc
	resp *stancev1.ClassifyResponse
	// release, when set, gives resp's memory back once it is emitted.
	release  func()
	attempts int
	sent     time.Time
}

// queue hands documents to a backend, takes them back for a retry, and
// knows when the last one is answered.
type queue struct {
	jobs     chan *job // new documents
	retry    chan *job // documents to send again; never full, as it holds at most the window
	results  chan *job // answered documents, to the writer
	finished chan struct{}
	retries  *atomic.Int64

	mu          sync.Mutex
	outstanding int  // admitted, not yet complete
	inputDone   bool // no more admits
	lastAnswer  atomic.Int64
}

func newQueue(window int, retries *atomic.Int64) *queue {
	q := &queue{
		jobs:     make(chan *job),
		retry:    make(chan *job, window),
		results:  make(chan *job, window),
		finished: make(chan struct{}),
		retries:  retries,
	}
	q.lastAnswer.Store(time.Now().UnixNano())
	return q
}

func (q *queue) admit() {
	q.mu.Lock()
	q.outstanding++
	q.mu.Unlock()
}

func (q *queue) closeInput() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.inputDone = true
	if q.outstanding == 0 {
		close(q.finished)
	}
}

// complete hands an answered job (j.resp set) to the writer.
func (q *queue) complete(j *job) {
	q.lastAnswer.Store(time.Now().UnixNano())
	q.results <- j // never blocks: results holds the window
	q.mu.Lock()
	defer q.mu.Unlock()
	q.outstanding--
	if q.inputDone && q.outstanding == 0 {
		close(q.finished)
	}
}

// errFinished is take's answer once every document is answered.
var errFinished = errors.New("all documents answered")

// take returns the next job to send, retries first.
func (q *queue) take(ctx context.Context) (*job, error) {
	select {
	case j := <-q.retry:
		return j, nil
	default:
	}
	select {
	case j := <-q.retry:
		return j, nil
	case j := <-q.jobs:
		return j, nil
	case <-q.finished:
		return nil, errFinished
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// isFinished says whether every document is answered.
func (q *queue) isFinished() bool {
	select {
	case <-q.finished:
		return true
	default:
		return false
	}
}

// sinceAnswer is how long ago a document was last answered.
func (q *queue) sinceAnswer() time.Duration {
	return time.Since(time.Unix(0, q.lastAnswer.Load()))
}

// putBack returns a job that was taken but never sent, with no attempt
// counted.
func (q *queue) putBack(j *job) { q.retry <- j }

// again queues j to be sent again after a transient failure st, or, after
// maxAttempts attempts, completes it with st as its error.
func (q *queue) again(j *job, st *status.Status, maxAttempts int) {
	j.attempts++
	if j.attempts >= maxAttempts {
		j.resp = &stancev1.ClassifyResponse{Id: j.doc.ID,
			Error: status.Newf(st.Code(), "gave up after %d attempts: %s", j.attempts, st.Message()).Proto()}
		q.complete(j)
		return
	}
	q.retries.Add(1)
	q.retry <- j
}

// MaxEvidence is the most evidence items per mention that the service
// gives.
const MaxEvidence = 20

// setEvidence asks for n evidence items per mention (none for 0).
func setEvidence(req *stancev1.ClassifyRequest, n int) {
	if req.Options == nil {
		req.Options = &stancev1.ClassifyOptions{}
	}
	include := n > 0
	req.Options.IncludeEvidence = &include
	req.Options.MaxEvidence = 0
	if n > 0 {
		req.Options.MaxEvidence = uint32(n)
	}
}
