package main

import (
	"context"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// The generator sends one request encoded once and does not decode the
// answers, only looks for a per-document error in stream answers. Decoding
// a response of the 5 KB seed article (some 30 KB and 1,500 messages) costs
// the client about as much CPU as the server spends answering it, so a
// generator that decoded everything on its one core, not the server, would
// set the "peak" that the other steps are fractions of.

// frame is a message in wire form: the bytes to send, or the size of what
// came back and whether it carried a per-document error.
type frame struct {
	wire     []byte
	received int
	failed   bool
}

// wireCodec passes frames through untouched. It keeps the name "proto", so
// the server sees an ordinary protobuf call.
type wireCodec struct{}

func (wireCodec) Marshal(v any) ([]byte, error) { return v.(*frame).wire, nil }

func (wireCodec) Unmarshal(data []byte, v any) error {
	f := v.(*frame)
	f.received = len(data)
	f.failed = hasField(data, responseErrorField)
	return nil
}

func (wireCodec) Name() string { return "proto" }

// responseErrorField is the number of ClassifyResponse.error, set on a
// stream answer when that document failed.
var responseErrorField = (&stancev1.ClassifyResponse{}).ProtoReflect().Descriptor().Fields().ByName("error").Number()

// hasField reports whether the encoded message b has a top-level field num,
// skipping over the others without decoding them.
func hasField(b []byte, num protowire.Number) bool {
	for len(b) > 0 {
		n, typ, l := protowire.ConsumeTag(b)
		if l < 0 {
			return false
		}
		if n == num {
			return true
		}
		b = b[l:]
		if l = protowire.ConsumeFieldValue(n, typ, b); l < 0 {
			return false
		}
		b = b[l:]
	}
	return false
}

// caller sends the encoded request over conn.
type caller struct {
	conn *grpc.ClientConn
	req  []byte
}

func newCaller(conn *grpc.ClientConn, req *stancev1.ClassifyRequest) (*caller, error) {
	b, err := proto.Marshal(req)
	if err != nil {
		return nil, err
	}
	return &caller{conn: conn, req: b}, nil
}

// classify makes one unary Classify call.
func (c *caller) classify(ctx context.Context) error {
	var resp frame
	return c.conn.Invoke(ctx, stancev1.StanceService_Classify_FullMethodName, &frame{wire: c.req}, &resp, grpc.ForceCodec(wireCodec{}))
}

// stream opens a ClassifyStream call.
func (c *caller) stream(ctx context.Context) (grpc.ClientStream, error) {
	return c.conn.NewStream(ctx, &stancev1.StanceService_ServiceDesc.Streams[0], stancev1.StanceService_ClassifyStream_FullMethodName, grpc.ForceCodec(wireCodec{}))
}
