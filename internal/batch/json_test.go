package batch

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/classifier/classifiertest"
	"github.com/stance/classifierd/internal/server"
	"github.com/stance/classifierd/internal/sharedtest"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	statuspb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/anypb"
)

// protojsonLine is the reference: protojson's output with jsonOptions,
// compacted.
func protojsonLine(t testing.TB, resp *stancev1.ClassifyResponse) ([]byte, error) {
	t.Helper()
	b, err := jsonOptions.Marshal(resp)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), nil
}

// checkJSON asserts that AppendJSON writes exactly protojson's bytes for
// resp (or fails exactly when protojson does), and that the line reads
// back as resp.
func checkJSON(t testing.TB, resp *stancev1.ClassifyResponse) {
	t.Helper()
	want, werr := protojsonLine(t, resp)
	got, gerr := AppendJSON(nil, resp)
	if (werr != nil) != (gerr != nil) {
		t.Fatalf("protojson error %v, AppendJSON error %v, for %v", werr, gerr, resp)
	}
	if werr != nil {
		return
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("AppendJSON differs from protojson\n got %s\nwant %s", got, want)
	}
	back := &stancev1.ClassifyResponse{}
	if err := unmarshalOptions.Unmarshal(got, back); err != nil {
		t.Fatalf("output does not read back: %v\n%s", err, got)
	}
	if !proto.Equal(back, resp) {
		t.Fatalf("output reads back as another message\n%s", got)
	}
}

var (
	testSvcOnce sync.Once
	testSvc     *server.Server
)

// service is the in-process service with the embedded model.
func service(t testing.TB) *server.Server {
	t.Helper()
	c := classifiertest.Embedded(t)
	testSvcOnce.Do(func() {
		testSvc = server.New(c, server.DefaultLimits, slog.New(slog.NewTextHandler(io.Discard, nil)))
	})
	return testSvc
}

// TestJSONMatchesProtojson writes the answers to the news corpus, with and
// without evidence, with caller targets, explicit spans and every offset
// encoding, and a rejected document's answer with its BadRequest details,
// and compares each line with protojson's.
func TestJSONMatchesProtojson(t *testing.T) {
	svc := service(t)
	docs := sharedtest.News(t)
	variants := sharedtest.RequestVariants()
	for v, variant := range variants {
		batch := &stancev1.ClassifyBatchRequest{}
		for i, d := range docs {
			req := &stancev1.ClassifyRequest{Id: fmt.Sprintf("%d/%d", v, i), Text: d}
			variant(req)
			batch.Requests = append(batch.Requests, req)
		}
		batch.Requests = append(batch.Requests, &stancev1.ClassifyRequest{Id: "bad", Text: "NATO", Spans: []*stancev1.Span{{Start: 2, End: 9}}})
		var last *stancev1.ClassifyResponse
		for reqs := range slices.Chunk(batch.Requests, server.DefaultLimits.MaxBatchDocuments) {
			out, err := svc.ClassifyBatch(context.Background(), &stancev1.ClassifyBatchRequest{Requests: reqs})
			if err != nil {
				t.Fatalf("variant %d: %v", v, err)
			}
			for _, resp := range out.GetResponses() {
				checkJSON(t, resp)
				last = resp
			}
		}
		if last.GetError() == nil {
			t.Fatal("the bad document's answer has no error")
		}
	}
}

// TestJSONEveryField fills every field of every answer message, walking
// their descriptors, and compares the writer with protojson: a field added
// to the API fails this test until the writer writes it. It also checks
// every selectable field alone against protojson of a copy with only that
// field.
func TestJSONEveryField(t *testing.T) {
	for i := range 8 {
		resp := &stancev1.ClassifyResponse{}
		sharedtest.FillAll(resp.ProtoReflect(), 5, i)
		resp.Error = &statuspb.Status{Code: int32(3 + i), Message: "bad"} // Any details need a real type
		checkJSON(t, resp)
	}
	// Set but empty messages are written as {}.
	checkJSON(t, &stancev1.ClassifyResponse{Mentions: []*stancev1.Mention{{Span: &stancev1.Span{}, Entity: &stancev1.EntityRef{}, Probabilities: &stancev1.Probabilities{}}},
		Relations: []*stancev1.Relation{{}}, Dyads: []*stancev1.Dyad{{}}, Entities: []*stancev1.EntityStance{{}}, Error: &statuspb.Status{}})

	full := &stancev1.ClassifyResponse{}
	sharedtest.FillAll(full.ProtoReflect(), 5, 0)
	full.Error = &statuspb.Status{Code: 3, Message: "bad"}
	for _, fn := range fieldNames {
		t.Run(fn.name, func(t *testing.T) {
			want := proto.Clone(full).(*stancev1.ClassifyResponse)
			for _, other := range fieldNames {
				if other.f != fn.f {
					fd := want.ProtoReflect().Descriptor().Fields().ByName(protoreflect.Name(other.name))
					want.ProtoReflect().Clear(fd)
				}
			}
			w, err := protojsonLine(t, want)
			if err != nil {
				t.Fatal(err)
			}
			got, err := appendJSONFields(nil, full, fn.f)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, w) {
				t.Errorf("-fields %s\n got %s\nwant %s", fn.name, got, w)
			}
		})
	}
}

// TestJSONErrorDetails writes a rejected document's field violations as
// protojson does, and keeps the code and message of a detail whose type is
// unknown.
func TestJSONErrorDetails(t *testing.T) {
	br, err := anypb.New(&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: "spans[0]", Description: "start 3 is after end 1"}}})
	if err != nil {
		t.Fatal(err)
	}
	resp := &stancev1.ClassifyResponse{Id: "x", Error: &statuspb.Status{Code: 3, Message: "invalid", Details: []*anypb.Any{br}}}
	checkJSON(t, resp)

	resp.Error.Details = append(resp.Error.Details, &anypb.Any{TypeUrl: "type.googleapis.com/unknown.Type", Value: []byte{8, 1}})
	got, err := AppendJSON(nil, resp)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"id":"x","error":{"code":3,"message":"invalid"}}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestJSONInvalidUTF8(t *testing.T) {
	resp := &stancev1.ClassifyResponse{Id: "ok", Mentions: []*stancev1.Mention{{Text: "a\xffb"}}}
	if _, err := AppendJSON(nil, resp); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("error %v, want invalid UTF-8", err)
	}
}

func TestParseFields(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Field
		err  bool
	}{
		{"", AllFields, false},
		{"all", AllFields, false},
		{"mentions", FieldMentions, false},
		{"entities,dyads", FieldEntities | FieldDyads, false},
		{"mentions,bogus", 0, true},
		{"mentions,", 0, true},
	} {
		got, err := ParseFields(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParseFields(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.err)
		}
		if err == nil {
			if back, _ := ParseFields(got.String()); back != got {
				t.Errorf("ParseFields(%q).String() = %q does not read back", tc.in, got.String())
			}
		}
	}
}

// FuzzJSONMatchesProtojson builds answers from fuzzed strings, floats and
// enum numbers and compares the writer with protojson.
func FuzzJSONMatchesProtojson(f *testing.F) {
	f.Add("NATO", "Iran \"accused\"\n", uint32(0x3f000000), int32(1), uint32(5))
	f.Add("\xff", "\u2028<>&", uint32(0x7fc00000), int32(-3), uint32(0))
	f.Add("", "é\x00\x1f", uint32(0x80000000), int32(99), uint32(1<<31))
	f.Add("x", "", uint32(0x00000001), int32(2), uint32(7))
	f.Fuzz(func(t *testing.T, a, b string, fbits uint32, enum int32, n uint32) {
		x := math.Float32frombits(fbits)
		y := math.Float32frombits(fbits ^ n)
		ref := &stancev1.EntityRef{Id: a, Name: b, Type: stancev1.EntityType(enum), CountryId: a + b}
		probs := &stancev1.Probabilities{Hostile: x, Cooperative: y, Neutral: float32(n)}
		ev := []*stancev1.Evidence{{Span: &stancev1.Span{Start: n, End: n + 1}, Text: b, Contribution: x, Stance: stancev1.Stance(enum), Source: a}}
		resp := &stancev1.ClassifyResponse{
			Id:           a,
			Mentions:     []*stancev1.Mention{{Span: &stancev1.Span{Start: n}, Text: b, Entity: ref, Label: stancev1.Stance(enum), Probabilities: probs, Evidence: ev, Holder: ref}},
			Entities:     []*stancev1.EntityStance{{Entity: ref, Label: stancev1.Stance(-enum), Probabilities: probs, MentionCount: n, Salience: y}},
			ModelVersion: b,
			Relations: []*stancev1.Relation{{Holder: &stancev1.Party{Text: a, Entity: ref}, Target: &stancev1.Party{Span: &stancev1.Span{End: n}},
				Label: stancev1.Stance(enum), Probabilities: probs, Evidence: ev, Sentence: &stancev1.Span{}, CameoClass: stancev1.CameoClass(enum), CameoCode: b}},
			Dyads: []*stancev1.Dyad{{Holder: ref, Target: ref, Label: stancev1.Stance(enum), Probabilities: probs, Support: n}},
		}
		if enum%2 == 0 {
			resp.Error = &statuspb.Status{Code: enum, Message: a}
		}
		checkJSON(t, resp)
	})
}

func BenchmarkJSON(b *testing.B) {
	svc := service(b)
	docs := sharedtest.News(b)
	var resps []*stancev1.ClassifyResponse
	for i, d := range docs {
		resp, err := svc.Classify(context.Background(), &stancev1.ClassifyRequest{Id: fmt.Sprint(i), Text: d})
		if err != nil {
			b.Fatal(err)
		}
		resps = append(resps, resp)
	}
	b.SetBytes(sharedtest.Bytes(docs))
	b.Run("protojson", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, r := range resps {
				if _, err := protojsonLine(b, r); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("writer", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			for _, r := range resps {
				var err error
				if buf, err = AppendJSON(buf[:0], r); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

var unmarshalOptions = protojson.UnmarshalOptions{}
