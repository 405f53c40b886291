package server

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/entities"
	"golang.org/x/sync/semaphore"
)

// admission decides when a document may be classified. Two budgets bound
// the work in flight: documents (MaxInFlight, which bounds CPU) and bytes
// (MaxInFlightBytes, which bounds memory: a document's text, the
// classifier's working memory and the answer it can produce, from the
// moment it is admitted until its answer is written). Counting calls alone
// let one 1 MiB document of 200,000 mentions take 500 MB.
//
// The budgets are FIFO semaphores shared by every kind of call, so unary
// calls and stream documents are served in the order they asked. Streams
// together may hold at most three quarters of the documents and half of
// the bytes: a stream always has a document waiting, and a client that
// stops reading its answers holds their bytes, so without those shares a
// few streams could keep unary calls out altogether.
type admission struct {
	docs, bytes             *semaphore.Weighted
	streamDocs, streamBytes *semaphore.Weighted
	budget, streamBudget    int64
	// queueWait bounds the time a unary or batch call waits, from its
	// arrival at the transport (see TapHandle) to its admission.
	queueWait time.Duration
	// held is the number of document slots held, for tests and metrics.
	held atomic.Int64
}

func newAdmission(l Limits) *admission {
	docs := int64(max(1, l.MaxInFlight))
	budget := max(1, l.MaxInFlightBytes)
	return &admission{
		docs: semaphore.NewWeighted(docs), bytes: semaphore.NewWeighted(budget),
		streamDocs: semaphore.NewWeighted(max(1, docs-docs/4)), streamBytes: semaphore.NewWeighted(max(1, budget/2)),
		budget: budget, streamBudget: max(1, budget/2), queueWait: l.MaxQueueWait,
	}
}

// ticket is an admitted document's (or batch's) share of the budgets.
type ticket struct {
	a           *admission
	bytes       int64
	stream      bool
	docReleased bool
}

// doneClassifying gives back the document slot: the CPU work is over, the
// memory is not until the answer is written.
func (t *ticket) doneClassifying() {
	if t == nil || t.docReleased {
		return
	}
	t.docReleased = true
	t.a.held.Add(-1)
	t.a.docs.Release(1)
	if t.stream {
		t.a.streamDocs.Release(1)
	}
}

// done gives back everything once the answer is written.
func (t *ticket) done() {
	if t == nil {
		return
	}
	t.doneClassifying()
	t.a.bytes.Release(t.bytes)
	if t.stream {
		t.a.streamBytes.Release(t.bytes)
	}
}

// enter waits for a document slot and cost bytes, until ctx ends. A cost
// over the budget is cut to it: such a document runs alone.
func (a *admission) enter(ctx context.Context, cost int64, stream bool) (*ticket, error) {
	t := &ticket{a: a, bytes: min(cost, a.budget), stream: stream}
	if stream {
		t.bytes = min(t.bytes, a.streamBudget)
		if err := a.streamDocs.Acquire(ctx, 1); err != nil {
			return nil, err
		}
		if err := a.streamBytes.Acquire(ctx, t.bytes); err != nil {
			a.streamDocs.Release(1)
			return nil, err
		}
	}
	undo := func() {
		if stream {
			a.streamBytes.Release(t.bytes)
			a.streamDocs.Release(1)
		}
	}
	if err := a.docs.Acquire(ctx, 1); err != nil {
		undo()
		return nil, err
	}
	if err := a.bytes.Acquire(ctx, t.bytes); err != nil {
		a.docs.Release(1)
		undo()
		return nil, err
	}
	a.held.Add(1)
	return t, nil
}

// enterUnary is enter for a unary or batch call that arrived at the
// transport at arrival: it waits at most until arrival plus queueWait.
func (a *admission) enterUnary(ctx context.Context, arrival time.Time, cost int64) (*ticket, error) {
	if !a.docs.TryAcquire(1) {
		wctx, cancel := context.WithDeadline(ctx, arrival.Add(a.queueWait))
		defer cancel()
		if err := a.docs.Acquire(wctx, 1); err != nil {
			return nil, err
		}
	}
	t := &ticket{a: a, bytes: min(cost, a.budget)}
	if !a.bytes.TryAcquire(t.bytes) {
		wctx, cancel := context.WithDeadline(ctx, arrival.Add(a.queueWait))
		defer cancel()
		if err := a.bytes.Acquire(wctx, t.bytes); err != nil {
			a.docs.Release(1)
			return nil, err
		}
	}
	a.held.Add(1)
	return t, nil
}

// Memory per unit of work, measured over the news corpus and a 1 MiB text
// of back-to-back mentions with Go's heap statistics, rounded up: the
// classifier holds some 40 bytes per byte of text and 2 KB per mention
// while it works (1 KB for the mention stage; the relation stage's
// parties, pair features and relations about as much again: a text dense
// with mentions peaked past the 1 KB bound in TestOverloadSheds); an answer takes about six times its encoded size while
// it is built and written (its messages, the encoding, gRPC's buffer).
const (
	costPerTextByte   = 40
	costPerMention    = 2048
	costPerAnswerByte = 6
	costFixed         = 64 << 10
	// costGuessDensity is the mentions per byte of text assumed before a
	// small document is classified (news has one per 250 bytes, the
	// densest seed article one per 60); a denser one is charged the rest
	// once its answer is known (ticket.grow).
	costGuessDensity = 64
	// costGuessAnswer is the answer bytes assumed per mention, with 5
	// evidence items.
	costGuessAnswer = 300
	// costPreScanBytes is the text size from which mentions are counted
	// before classification, so that a document with too many is refused
	// before the classifier's memory grows with them.
	costPreScanBytes = 64 << 10
)

// mentionBuf holds the gazetteer's mentions while they are counted.
var mentionBuf = sync.Pool{New: func() any { return new([]entities.Mention) }}

// costOf estimates the memory that classifying in and answering it takes.
// For a text of costPreScanBytes or more it counts the mentions first, a
// pass of the gazetteer over the text, and refuses a document with more
// than MaxMentions: the classifier's working memory grows with them, so
// checking its result would be too late.
func (s *Server) costOf(c *classifier.Classifier, req *stancev1.ClassifyRequest, in classifier.Request) (int64, error) {
	text := len(in.Text)
	mentions := text / costGuessDensity
	if text >= costPreScanBytes && (in.Builtin || len(in.Targets) > 0) {
		p := mentionBuf.Get().(*[]entities.Mention)
		ms, err := c.Analyzer().Gazetteer().FindInto(*p, in.Text, entities.Options{Builtin: in.Builtin, Targets: in.Targets})
		if err == nil {
			// (A bad target is left for the classifier to report.)
			mentions = len(ms)
		}
		if cap(ms) <= 1<<16 {
			clear(ms)
			*p = ms[:0]
			mentionBuf.Put(p)
		}
		if n := mentions + len(in.Spans); n > s.limits.MaxMentions {
			return 0, &answerTooLargeError{"mentions", n, s.limits.MaxMentions}
		}
	}
	mentions = min(mentions, s.limits.MaxMentions) + len(in.Spans)
	answer := int64(mentions) * costGuessAnswer
	if req.GetOptions().GetIncludeSpanText() {
		for _, sp := range in.Spans {
			answer += 2 * int64(sp.End-sp.Start)
		}
	}
	answer = min(answer, int64(s.limits.MaxResponseBytes))
	return costFixed + costPerTextByte*int64(text) + costPerMention*int64(mentions) + costPerAnswerByte*answer, nil
}

// costAfter is the memory of a document once classified, with its answer
// of answerBytes known.
func costAfter(text, mentions, answerBytes int) int64 {
	return costFixed + costPerTextByte*int64(text) + costPerMention*int64(mentions) + costPerAnswerByte*int64(answerBytes)
}

// grow raises t to cost bytes, for a document whose answer turned out
// larger than its estimate. When the bytes are not free at once it gives
// back what it holds and waits, at most wait, for the whole cost in line
// with everyone else: documents that waited to grow while holding their
// bytes could wait for each other until they all failed (and did, in
// TestOverloadSheds). While it waits its memory is counted nowhere; that
// is bounded by the documents in flight, and each waits only once.
func (t *ticket) grow(ctx context.Context, cost int64, wait time.Duration) error {
	a := t.a
	limit := a.budget
	if t.stream {
		limit = a.streamBudget
	}
	cost = min(cost, limit)
	extra := cost - t.bytes
	if extra <= 0 {
		return nil
	}
	gotStream := !t.stream || a.streamBytes.TryAcquire(extra)
	if gotStream && a.bytes.TryAcquire(extra) {
		t.bytes = cost
		return nil
	}
	if gotStream && t.stream {
		a.streamBytes.Release(extra)
	}
	if t.stream {
		a.streamBytes.Release(t.bytes)
	}
	a.bytes.Release(t.bytes)
	t.bytes = 0
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	if t.stream {
		if err := a.streamBytes.Acquire(wctx, cost); err != nil {
			return err
		}
	}
	if err := a.bytes.Acquire(wctx, cost); err != nil {
		if t.stream {
			a.streamBytes.Release(cost)
		}
		return err
	}
	t.bytes = cost
	return nil
}
