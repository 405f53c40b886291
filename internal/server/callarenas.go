package server

import (
	"context"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/wire"
	"google.golang.org/grpc/stats"
)

// callArenas are the arenas of one unary or batch call's response, and its
// admission ticket. gRPC sends that response after the handler returns, so
// they can only go back when the call ends, which arenaStats sees: the
// bytes of a batch's answer stay counted until it is written.
type callArenas struct {
	list   []*wire.Arena
	ticket *ticket
}

// holdUntilWritten hands t to arenaStats, to be given back when the call
// in ctx ends, and reports whether it could (false on a server without
// arenaStats: the caller gives it back itself).
func holdUntilWritten(ctx context.Context, t *ticket) bool {
	c, ok := ctx.Value(callArenasKey{}).(*callArenas)
	if ok {
		c.ticket = t
	}
	return ok
}

type callArenasKey struct{}

// arenaFor returns an arena for a response of the call in ctx: a pooled
// one, released when the call ends, or, on a server without arenaStats
// (tests that build their own grpc.Server), a new one left to the garbage
// collector.
func arenaFor(ctx context.Context) *wire.Arena {
	c, ok := ctx.Value(callArenasKey{}).(*callArenas)
	if !ok {
		return new(wire.Arena)
	}
	a := wire.NewArena()
	c.list = append(c.list, a)
	return a
}

// ClassifyBatchPooled is ClassifyBatch for a caller in the same process
// (stancectl -local): the answers are built in pooled arenas, as they are
// for a gRPC call, and held with the call's admission until the caller
// calls release, once it no longer reads them. Without it, each answer's
// messages and the classifier's result were allocated anew, a tenth of a
// one-core batch run.
func (s *Server) ClassifyBatchPooled(ctx context.Context, req *stancev1.ClassifyBatchRequest) (resp *stancev1.ClassifyBatchResponse, release func(), err error) {
	c := &callArenas{}
	resp, err = s.ClassifyBatch(context.WithValue(ctx, callArenasKey{}, c), req)
	return resp, c.release, err
}

// release gives back the call's arenas and its admission.
func (c *callArenas) release() {
	for _, a := range c.list {
		a.Release()
	}
	c.list = nil
	c.ticket.done()
	c.ticket = nil
}

// arenaStats is a stats.Handler that releases the arenas of a unary or
// batch call when the call ends, after its response is sent.
type arenaStats struct{}

func (arenaStats) TagRPC(ctx context.Context, info *stats.RPCTagInfo) context.Context {
	switch info.FullMethodName {
	case stancev1.StanceService_Classify_FullMethodName, stancev1.StanceService_ClassifyBatch_FullMethodName:
		return context.WithValue(ctx, callArenasKey{}, &callArenas{})
	}
	return ctx
}

func (arenaStats) HandleRPC(ctx context.Context, s stats.RPCStats) {
	if _, end := s.(*stats.End); !end {
		return
	}
	markAdmitted(ctx) // a call that failed before its handler
	if c, ok := ctx.Value(callArenasKey{}).(*callArenas); ok {
		c.release()
	}
}

func (arenaStats) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context { return ctx }

func (arenaStats) HandleConn(context.Context, stats.ConnStats) {}
