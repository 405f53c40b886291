package main

import (
	"context"
	"io"
	"net"
	"os"
	"testing"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/sharedtest"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// The daemon benchmarks run classifierd as main wires it (metrics, the
// per-call log line, panic recovery, the shedding tap) over loopback TCP:
//
//	go test -run '^$' -bench . -benchmem ./cmd/classifierd/
//
// Start-up time is measured on a real process by cmd/stanceload (make
// load): in a test binary the gazetteer is built once per process.

// startBenchDaemon serves on loopback until the benchmark ends.
func startBenchDaemon(b *testing.B) stancev1.StanceServiceClient {
	b.Helper()
	cfg, err := parseConfig([]string{"-addr", "127.0.0.1:0", "-reload-poll", "0"}, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, cfg, make(chan os.Signal), ready, io.Discard) }()
	var addr net.Addr
	select {
	case addr = <-ready:
	case err := <-done:
		cancel()
		b.Fatal(err)
	}
	b.Cleanup(func() { cancel(); <-done })
	conn, err := grpc.NewClient(addr.String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	return stancev1.NewStanceServiceClient(conn)
}

// BenchmarkDaemonUnary is unary Classify of a 5 KB article through the
// whole daemon, one call at a time.
func BenchmarkDaemonUnary(b *testing.B) {
	client := startBenchDaemon(b)
	req := &stancev1.ClassifyRequest{Id: "a", Text: sharedtest.Article(b)}
	ctx := context.Background()
	if _, err := client.Classify(ctx, req); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(req.GetText())))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := client.Classify(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDaemonStream streams the corpus through the whole daemon on
// one ClassifyStream per iteration.
func BenchmarkDaemonStream(b *testing.B) {
	client := startBenchDaemon(b)
	docs := sharedtest.News(b)
	reqs := make([]*stancev1.ClassifyRequest, len(docs))
	for i, d := range docs {
		reqs[i] = &stancev1.ClassifyRequest{Text: d}
	}
	for _, r := range reqs {
		if _, err := client.Classify(context.Background(), r); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(sharedtest.Bytes(docs))
	b.ReportAllocs()
	for b.Loop() {
		s, err := client.ClassifyStream(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		go func() {
			for _, r := range reqs {
				if s.Send(r) != nil {
					return
				}
			}
			s.CloseSend()
		}()
		for range reqs {
			resp, err := s.Recv()
			if err != nil {
				b.Fatal(err)
			}
			if resp.GetError() != nil {
				b.Fatal(resp.GetError())
			}
		}
		if _, err := s.Recv(); err != io.EOF {
			b.Fatalf("after the last response: %v, want EOF", err)
		}
	}
}
