package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"testing"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/offsets"
	"github.com/stance/classifierd/internal/sharedtest"
	"github.com/stance/classifierd/internal/wire"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"
)

// The RPC benchmarks classify realistic news (the seeds and Wikinews, read
// at run time) over bufconn and over loopback TCP, for the seed article of about
// 5 KB (sharedtest.Article, the one cmd/stanceload sends) and for the whole corpus per iteration, so that MB/s compare with
// the in-process stage benchmarks of internal/classifier:
//
//	go test -run '^$' -bench . -benchmem ./internal/server/

func requests(docs []string) []*stancev1.ClassifyRequest {
	reqs := make([]*stancev1.ClassifyRequest, len(docs))
	for i, d := range docs {
		reqs[i] = &stancev1.ClassifyRequest{Id: fmt.Sprint(i), Text: d}
	}
	return reqs
}

// benchServer serves the service as startServerWith does, over lis.
func benchServer(b *testing.B, lis net.Listener, dial func(context.Context, string) (net.Conn, error), target string) stancev1.StanceServiceClient {
	b.Helper()
	svc := New(testClassifier(b), DefaultLimits, slog.New(slog.NewTextHandler(io.Discard, nil)))
	g := grpc.NewServer(svc.ServerOptions()...)
	svc.Register(g)
	go g.Serve(lis)
	b.Cleanup(g.Stop)
	opts := []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}
	if dial != nil {
		opts = append(opts, grpc.WithContextDialer(dial))
	}
	conn, err := grpc.NewClient(target, opts...)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	return stancev1.NewStanceServiceClient(conn)
}

type transport struct {
	name  string
	start func(b *testing.B) stancev1.StanceServiceClient
}

var transports = []transport{
	{"bufconn", func(b *testing.B) stancev1.StanceServiceClient {
		lis := bufconn.Listen(1 << 20)
		return benchServer(b, lis, func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }, "passthrough:///bufnet")
	}},
	{"tcp", func(b *testing.B) stancev1.StanceServiceClient {
		lis, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		return benchServer(b, lis, nil, lis.Addr().String())
	}},
}

// inputs are the two workloads: one article, and the whole corpus.
func inputs(b *testing.B) []struct {
	name string
	docs []string
} {
	docs := sharedtest.News(b)
	return []struct {
		name string
		docs []string
	}{
		{"article", []string{sharedtest.Article(b)}},
		{"corpus", docs},
	}
}

func BenchmarkUnary(b *testing.B) {
	for _, tr := range transports {
		for _, in := range inputs(b) {
			b.Run(tr.name+"/"+in.name, func(b *testing.B) {
				client := tr.start(b)
				reqs := requests(in.docs)
				ctx := context.Background()
				warm(b, client, reqs)
				b.SetBytes(sharedtest.Bytes(in.docs))
				b.ReportAllocs()
				for b.Loop() {
					for _, r := range reqs {
						if _, err := client.Classify(ctx, r); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
	}
}

// batchSize is the documents per ClassifyBatch call.
const batchSize = 20

func BenchmarkBatch(b *testing.B) {
	for _, tr := range transports {
		for _, in := range inputs(b) {
			b.Run(tr.name+"/"+in.name, func(b *testing.B) {
				client := tr.start(b)
				reqs := requests(in.docs)
				if len(reqs) == 1 {
					// A batch of twenty copies of the article.
					for len(reqs) < batchSize {
						reqs = append(reqs, reqs[0])
					}
				}
				var batches []*stancev1.ClassifyBatchRequest
				for i := 0; i < len(reqs); i += batchSize {
					batches = append(batches, &stancev1.ClassifyBatchRequest{Requests: reqs[i:min(i+batchSize, len(reqs))]})
				}
				ctx := context.Background()
				warm(b, client, reqs)
				b.SetBytes(requestBytes(reqs))
				b.ReportAllocs()
				for b.Loop() {
					for _, br := range batches {
						if _, err := client.ClassifyBatch(ctx, br); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
	}
}

// BenchmarkStream sends the documents down one ClassifyStream per
// iteration (the article 20 times) while reading the responses.
func BenchmarkStream(b *testing.B) {
	for _, tr := range transports {
		for _, in := range inputs(b) {
			b.Run(tr.name+"/"+in.name, func(b *testing.B) {
				client := tr.start(b)
				reqs := requests(in.docs)
				for len(reqs) < batchSize {
					reqs = append(reqs, reqs[0])
				}
				warm(b, client, reqs)
				b.SetBytes(requestBytes(reqs))
				b.ReportAllocs()
				for b.Loop() {
					stream(b, client, reqs)
				}
			})
		}
	}
}

func stream(b *testing.B, client stancev1.StanceServiceClient, reqs []*stancev1.ClassifyRequest) {
	s, err := client.ClassifyStream(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	sendErr := make(chan error, 1)
	go func() {
		for _, r := range reqs {
			if err := s.Send(r); err != nil {
				sendErr <- err
				return
			}
		}
		sendErr <- s.CloseSend()
	}()
	got := 0
	for {
		resp, err := s.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		if resp.GetError() != nil {
			b.Fatalf("%s: %v", resp.GetId(), resp.GetError())
		}
		got++
	}
	if err := <-sendErr; err != nil {
		b.Fatal(err)
	}
	if got != len(reqs) {
		b.Fatalf("got %d responses, want %d", got, len(reqs))
	}
}

// warm classifies every document once so that the timed loop sees the
// steady state (the WordPiece cache filled, connections up).
func warm(b *testing.B, client stancev1.StanceServiceClient, reqs []*stancev1.ClassifyRequest) {
	b.Helper()
	for _, r := range reqs {
		if _, err := client.Classify(context.Background(), r); err != nil {
			b.Fatal(err)
		}
	}
}

type classifiedDoc struct {
	req  *stancev1.ClassifyRequest
	res  classifier.Result
	conv *offsets.Converter
}

// BenchmarkStageBuildResponse is the response-building stage alone:
// classifier results to protobuf, offsets converted, over the corpus.
func BenchmarkStageBuildResponse(b *testing.B) {
	c := testClassifier(b)
	docs := sharedtest.News(b)
	svc := New(c, DefaultLimits, slog.New(slog.NewTextHandler(io.Discard, nil)))
	reqs := requests(docs)
	ins := make([]classifiedDoc, len(reqs))
	for i, r := range reqs {
		in, conv, err := svc.toDomain(r)
		if err != nil {
			b.Fatal(err)
		}
		res, err := c.Classify(context.Background(), in)
		if err != nil {
			b.Fatal(err)
		}
		ins[i] = classifiedDoc{req: r, res: res, conv: conv}
	}
	b.SetBytes(sharedtest.Bytes(docs))
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range ins {
			// The server's steady state: a pooled arena, released once
			// the response is sent.
			// (The result is the benchmark's: the arena lets go of it
			// before release clears it.)
			a := wire.NewArena()
			a.Result = d.res
			a.Response(d.req, c.Model().Version(), d.conv)
			a.Result = classifier.Result{}
			a.Release()
		}
	}
}

// requestBytes is the text the requests carry, for b.SetBytes.
func requestBytes(reqs []*stancev1.ClassifyRequest) int64 {
	var n int64
	for _, r := range reqs {
		n += int64(len(r.GetText()))
	}
	return n
}
