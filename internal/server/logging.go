package server

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// LogUnary logs one line per unary call: method, code, duration, and the
// documents and bytes of text it carried. Text itself is logged only when
// logText is set (a debugging aid; documents may be confidential).
func LogUnary(log *slog.Logger, logText bool) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		start := time.Now()
		resp, err := handler(ctx, req)
		docs, size := documentsOf(req)
		attrs := []any{"method", info.FullMethod, "code", status.Code(err).String(),
			"duration_ms", millis(time.Since(start)), "documents", docs, "bytes", size}
		if logText {
			if r, ok := req.(*stancev1.ClassifyRequest); ok {
				attrs = append(attrs, "text", r.GetText())
			}
		}
		log.InfoContext(ctx, "rpc", attrs...)
		return resp, err
	}
}

// LogStream is LogUnary for streams: one line when the stream ends, with
// the documents and bytes received over its life.
func LogStream(log *slog.Logger) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		start := time.Now()
		cs := &countingStream{ServerStream: ss}
		err := handler(srv, cs)
		log.InfoContext(ss.Context(), "rpc", "method", info.FullMethod, "code", status.Code(err).String(),
			"duration_ms", millis(time.Since(start)), "documents", cs.docs.Load(), "bytes", cs.bytes.Load())
		return err
	}
}

// millis is d in milliseconds, to the microsecond. A time.Duration logs as
// "1.5ms" in text but as nanoseconds in JSON (1500000), which reads as
// seconds at a glance; milliseconds, named so, read the same in both.
func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// countingStream counts the documents and text bytes a stream receives.
// The counters are atomic: the handler receives on its own goroutine,
// which may still be finishing a Recv when the interceptor reads them.
type countingStream struct {
	grpc.ServerStream
	docs, bytes atomic.Int64
}

func (c *countingStream) RecvMsg(m any) error {
	err := c.ServerStream.RecvMsg(m)
	if err == nil {
		d, b := documentsOf(m)
		c.docs.Add(int64(d))
		c.bytes.Add(int64(b))
	}
	return err
}

func documentsOf(m any) (docs, size int) {
	switch r := m.(type) {
	case *stancev1.ClassifyRequest:
		return 1, len(r.GetText())
	case *stancev1.ClassifyBatchRequest:
		for _, d := range r.GetRequests() {
			size += len(d.GetText())
		}
		return len(r.GetRequests()), size
	}
	return 0, 0
}
