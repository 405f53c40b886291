package wire_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"testing"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/classifier/classifiertest"
	"github.com/stance/classifierd/internal/server"
	"github.com/stance/classifierd/internal/sharedtest"
	"github.com/stance/classifierd/internal/wire"
	"google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// checkMarshal asserts that the codec encodes m exactly as protobuf does.
func checkMarshal(t testing.TB, m proto.Message) {
	t.Helper()
	want, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	got, err := wire.NewCodec().Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Free()
	if b := got.Materialize(); !bytes.Equal(b, want) {
		t.Fatalf("codec wrote %d bytes that differ from protobuf's %d for %.200v", len(b), len(want), m)
	}
}

// TestMarshalMatchesProto encodes the answers to the news corpus, with and
// without evidence, with caller targets, explicit spans and every offset
// encoding, one by one and in batches with a failed document, and compares
// the codec's bytes with protobuf's.
func TestMarshalMatchesProto(t *testing.T) {
	svc := newServer(t)
	docs := sharedtest.News(t)
	variants := sharedtest.RequestVariants()
	for v, variant := range variants {
		batch := &stancev1.ClassifyBatchRequest{}
		for i, d := range docs {
			req := &stancev1.ClassifyRequest{Id: string(rune('a' + v)), Text: d}
			variant(req)
			resp, err := svc.Classify(context.Background(), req)
			if err != nil {
				t.Fatalf("variant %d, document %d: %v", v, i, err)
			}
			checkMarshal(t, resp)
			if i < 20 {
				batch.Requests = append(batch.Requests, req)
			}
		}
		// A span past the end: that document's answer carries an error.
		batch.Requests = append(batch.Requests, &stancev1.ClassifyRequest{Id: "bad", Text: "NATO", Spans: []*stancev1.Span{{Start: 2, End: 9}}})
		resp, err := svc.ClassifyBatch(context.Background(), batch)
		if err != nil {
			t.Fatalf("variant %d batch: %v", v, err)
		}
		if resp.GetResponses()[len(batch.Requests)-1].GetError() == nil {
			t.Fatal("the bad document's answer has no error")
		}
		checkMarshal(t, resp)
	}
}

// newServer returns the service over the embedded model, whose answers
// the tests encode.
func newServer(t testing.TB) *server.Server {
	t.Helper()
	return server.New(classifiertest.Embedded(t), server.DefaultLimits, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// BenchmarkStageMarshal encodes the answer to the seed article as gRPC
// sends it, with protobuf's encoder and with the server's codec.
func BenchmarkStageMarshal(b *testing.B) {
	svc := newServer(b)
	text := sharedtest.Article(b)
	resp, err := svc.Classify(context.Background(), &stancev1.ClassifyRequest{Id: "1", Text: text})
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name  string
		codec interface {
			Marshal(any) (mem.BufferSlice, error)
		}
	}{{"proto", encoding.GetCodecV2("proto")}, {"wire", wire.NewCodec()}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				out, err := bc.codec.Marshal(resp)
				if err != nil {
					b.Fatal(err)
				}
				out.Free()
			}
		})
	}
}

// TestFieldNumbersFitOneByteKeys guards appendTag's assumption.
func TestFieldNumbersFitOneByteKeys(t *testing.T) {
	for _, md := range answerMessages() {
		fields := md.Fields()
		for i := range fields.Len() {
			if n := fields.Get(i).Number(); n >= 16 {
				t.Errorf("%s has field number %d: its key takes two bytes", fields.Get(i).FullName(), n)
			}
		}
	}
}

// TestMarshalEveryField fills every field of the answer messages, walking
// their descriptors, and compares the codec with protobuf: a field added to
// the API fails this test until the codec writes it.
func TestMarshalEveryField(t *testing.T) {
	resp := &stancev1.ClassifyResponse{}
	sharedtest.FillAll(resp.ProtoReflect(), 4, 0)
	resp.Error = &status.Status{Code: 3, Message: "bad"} // Any details need a real type
	checkMarshal(t, resp)
	batch := &stancev1.ClassifyBatchResponse{Responses: []*stancev1.ClassifyResponse{resp, {Id: "x"}}}
	checkMarshal(t, batch)
}

// answerMessages returns every message type reachable from
// ClassifyResponse, which the codec writes.
func answerMessages() []protoreflect.MessageDescriptor {
	seen := map[protoreflect.FullName]bool{}
	var out []protoreflect.MessageDescriptor
	var walk func(md protoreflect.MessageDescriptor)
	walk = func(md protoreflect.MessageDescriptor) {
		if seen[md.FullName()] || md.ParentFile().Package() != "stance.v1" {
			return
		}
		seen[md.FullName()] = true
		out = append(out, md)
		fields := md.Fields()
		for i := range fields.Len() {
			if m := fields.Get(i).Message(); m != nil {
				walk(m)
			}
		}
	}
	walk((&stancev1.ClassifyBatchResponse{}).ProtoReflect().Descriptor())
	return out
}
