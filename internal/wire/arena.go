package wire

import (
	"sync"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/classifier"
)

// Arena holds every message of one ClassifyResponse, one slice per
// message type. The messages of the 5 KB seed article's response take some
// 100 KB, more than half of what a call allocates, and at a thousand calls
// a second they set how often the garbage collector runs; with one core a
// collection cycle costs the calls that overlap it several milliseconds of
// latency. So arenas are pooled: a response is built in a pooled arena and
// the arena goes back to the pool once gRPC has sent the response (see
// arenaFor and arenaStats for unary and batch calls, ClassifyStream for
// streams).
type Arena struct {
	// Result is the classifier's result that the response is built from,
	// its slices reused too (classifier.ClassifyInto).
	Result classifier.Result
	resp   stancev1.ClassifyResponse
	// The slices the messages are handed out from; size cuts them from
	// the backing arrays in all, which the arena keeps across responses.
	mentionBuf     []stancev1.Mention
	evidenceBuf    []stancev1.Evidence
	spanBuf        []stancev1.Span
	refBuf         []stancev1.EntityRef
	probBuf        []stancev1.Probabilities
	stanceBuf      []stancev1.EntityStance
	relationBuf    []stancev1.Relation
	partyBuf       []stancev1.Party
	dyadBuf        []stancev1.Dyad
	evidencePtrBuf []*stancev1.Evidence
	mentionPtrBuf  []*stancev1.Mention
	stancePtrBuf   []*stancev1.EntityStance
	relationPtrBuf []*stancev1.Relation
	dyadPtrBuf     []*stancev1.Dyad
	all            arenaArrays
}

// arenaArrays are an arena's backing arrays, each as long as the last
// response needed.
type arenaArrays struct {
	mentions     []stancev1.Mention
	evidence     []stancev1.Evidence
	spans        []stancev1.Span
	refs         []stancev1.EntityRef
	probs        []stancev1.Probabilities
	stances      []stancev1.EntityStance
	relations    []stancev1.Relation
	parties      []stancev1.Party
	dyads        []stancev1.Dyad
	evidencePtrs []*stancev1.Evidence
	mentionPtrs  []*stancev1.Mention
	stancePtrs   []*stancev1.EntityStance
	relationPtrs []*stancev1.Relation
	dyadPtrs     []*stancev1.Dyad
}

// maxPooledMessages bounds the messages an arena may keep when it goes back
// to the pool: the response to one huge document is not worth holding on to.
const maxPooledMessages = 1 << 15

var arenaPool = sync.Pool{New: func() any { return new(Arena) }}

// NewArena returns an empty arena from the pool; Release gives it back.
func NewArena() *Arena { return arenaPool.Get().(*Arena) }

// size makes room for nm mentions, ns entity stances, nr relations and nd
// dyads, with ne evidence items in all (of mentions and relations).
func (a *Arena) size(nm, ns, nr, nd, ne int) {
	x := &a.all
	x.mentions = grow(x.mentions, nm)
	x.evidence = grow(x.evidence, ne)
	// A span per mention and evidence item, and per relation its sentence
	// and its two parties'.
	x.spans = grow(x.spans, nm+ne+3*nr)
	// An entity and a holder per mention, one per stance, one per party
	// and two per dyad.
	x.refs = grow(x.refs, 2*nm+ns+2*nr+2*nd)
	x.probs = grow(x.probs, nm+ns+nr+nd)
	x.stances = grow(x.stances, ns)
	x.relations = grow(x.relations, nr)
	x.parties = grow(x.parties, 2*nr)
	x.dyads = grow(x.dyads, nd)
	x.evidencePtrs = grow(x.evidencePtrs, ne)
	x.mentionPtrs = grow(x.mentionPtrs, nm)
	x.stancePtrs = grow(x.stancePtrs, ns)
	x.relationPtrs = grow(x.relationPtrs, nr)
	x.dyadPtrs = grow(x.dyadPtrs, nd)
	a.mentionBuf, a.evidenceBuf, a.spanBuf = x.mentions, x.evidence, x.spans
	a.refBuf, a.probBuf, a.stanceBuf = x.refs, x.probs, x.stances
	a.relationBuf, a.partyBuf, a.dyadBuf = x.relations, x.parties, x.dyads
	a.evidencePtrBuf, a.mentionPtrBuf, a.stancePtrBuf = x.evidencePtrs, x.mentionPtrs, x.stancePtrs
	a.relationPtrBuf, a.dyadPtrBuf = x.relationPtrs, x.dyadPtrs
}

// grow returns s with length n. Its elements are zero: a new array, or
// one that release cleared.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, n+n/4)
	}
	return s[:n]
}

// next hands out the first element of *s.
func next[T any](s *[]T) *T {
	e := &(*s)[0]
	*s = (*s)[1:]
	return e
}

// take hands out the first n elements of *s, capped so that appending to
// them cannot overwrite the next ones.
func take[T any](s *[]T, n int) []T {
	t := (*s)[:n:n]
	*s = (*s)[n:]
	return t
}

func (a *Arena) mentionPtrs(n int) []*stancev1.Mention { return take(&a.mentionPtrBuf, n) }

func (a *Arena) stancePtrs(n int) []*stancev1.EntityStance { return take(&a.stancePtrBuf, n) }

func (a *Arena) stance() *stancev1.EntityStance { return next(&a.stanceBuf) }

// Release clears what the response used and pools the arena. Nothing may
// touch the response afterwards, and an arena is released once per
// NewArena.
func (a *Arena) Release() {
	if a.Reset() {
		arenaPool.Put(a)
	}
}

// Reset clears what the response used, and reports whether the arena is
// small enough to keep.
func (a *Arena) Reset() bool {
	x := &a.all
	clear(x.mentions)
	clear(x.evidence)
	clear(x.spans)
	clear(x.refs)
	clear(x.probs)
	clear(x.stances)
	clear(x.relations)
	clear(x.parties)
	clear(x.dyads)
	clear(x.evidencePtrs)
	clear(x.mentionPtrs)
	clear(x.stancePtrs)
	clear(x.relationPtrs)
	clear(x.dyadPtrs)
	a.resp = stancev1.ClassifyResponse{}
	// Entity names can be substrings of the request's text: clearing them
	// keeps a pooled arena from holding on to an old document.
	clear(a.Result.Mentions)
	clear(a.Result.Entities)
	clear(a.Result.Targeted)
	clear(a.Result.Relations)
	clear(a.Result.Dyads)
	// A huge result is let go too: a response refused for its size was
	// never built, so the arrays above can be small when it is not.
	return len(x.spans)+len(x.refs) <= maxPooledMessages &&
		cap(a.Result.Mentions)+cap(a.Result.Targeted) <= maxPooledMessages/4
}
