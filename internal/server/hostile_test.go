package server

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/wire"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
)

// TestHostileInputs sends the inputs that break text services and checks
// each gets its expected status, never a crash.
func TestHostileInputs(t *testing.T) {
	client := startServer(t, DefaultLimits)
	manySpans := make([]*stancev1.Span, 100_000)
	for i := range manySpans {
		manySpans[i] = &stancev1.Span{Start: 0, End: 1}
	}
	utf16 := stancev1.OffsetEncoding_OFFSET_ENCODING_UTF16
	points := stancev1.OffsetEncoding_OFFSET_ENCODING_CODE_POINTS
	tests := []struct {
		name string
		req  *stancev1.ClassifyRequest
		want codes.Code
	}{
		{"empty", &stancev1.ClassifyRequest{}, codes.OK},
		{"whitespace", &stancev1.ClassifyRequest{Text: " \t\r\n\u00a0\u2003\n"}, codes.OK},
		{"10 MB", &stancev1.ClassifyRequest{Text: strings.Repeat("NATO accused Iran. ", 10<<20/19)}, codes.ResourceExhausted},
		{"just over the limit", &stancev1.ClassifyRequest{Text: strings.Repeat("x", DefaultLimits.MaxDocumentBytes+1)}, codes.ResourceExhausted},
		{"NUL bytes", &stancev1.ClassifyRequest{Text: "NATO\x00accused\x00\x00Iran\x00"}, codes.OK},
		{"byte order mark", &stancev1.ClassifyRequest{Text: "\ufeffNATO warned Iran.\ufeff"}, codes.OK},
		{"zero-width and bidi controls", &stancev1.ClassifyRequest{Text: "NA\u200bTO \u202eIran\u202c \u2066Russia\u2069 \u200d\u200c\u200e\u200f"}, codes.OK},
		{"U+FFFD next to controls", &stancev1.ClassifyRequest{Text: "\ufffd\x01\x1b[31mIran\ufffd\x7f\u0085NATO\ufffd"}, codes.OK},
		{"lone combining marks", &stancev1.ClassifyRequest{Text: "\u0301\u0308 Iran \u0301\u0301\u0301 NATO\u20dd"}, codes.OK},
		{"invalid UTF-8", &stancev1.ClassifyRequest{Text: "Iran \xc3\x28 NATO"}, codes.InvalidArgument},
		{"100k spans", &stancev1.ClassifyRequest{Text: "Iran", Spans: manySpans}, codes.InvalidArgument},
		{"overlapping spans", &stancev1.ClassifyRequest{Text: "NATO accused Iran", Spans: []*stancev1.Span{{Start: 0, End: 12}, {Start: 5, End: 17}, {Start: 0, End: 17}}}, codes.OK},
		{"reversed span", &stancev1.ClassifyRequest{Text: "NATO accused Iran", Spans: []*stancev1.Span{{Start: 12, End: 5}}}, codes.InvalidArgument},
		{"offset inside a multi-byte character", &stancev1.ClassifyRequest{Text: "Zürich", Spans: []*stancev1.Span{{Start: 2, End: 4}}}, codes.InvalidArgument},
		{"utf16 offsets on emoji", &stancev1.ClassifyRequest{Text: "🕊 Iran", OffsetEncoding: utf16, Spans: []*stancev1.Span{{Start: 3, End: 7}}}, codes.OK},
		{"utf16 offset in surrogate pair", &stancev1.ClassifyRequest{Text: "🕊 Iran", OffsetEncoding: utf16, Spans: []*stancev1.Span{{Start: 1, End: 7}}}, codes.InvalidArgument},
		{"code points on emoji", &stancev1.ClassifyRequest{Text: "🕊 Iran", OffsetEncoding: points, Spans: []*stancev1.Span{{Start: 2, End: 6}}}, codes.OK},
		{"code point past end", &stancev1.ClassifyRequest{Text: "🕊 Iran", OffsetEncoding: points, Spans: []*stancev1.Span{{Start: 2, End: 7}}}, codes.InvalidArgument},
		{"huge offsets", &stancev1.ClassifyRequest{Text: "Iran", Spans: []*stancev1.Span{{Start: 4294967295, End: 4294967295}}}, codes.InvalidArgument},
		{"unknown target type", &stancev1.ClassifyRequest{Text: "Iran", Targets: []*stancev1.Target{{Name: "Iran", Type: 999}}}, codes.InvalidArgument},
		{"one long word", &stancev1.ClassifyRequest{Text: strings.Repeat("a", 500_000)}, codes.OK},
		{"only punctuation", &stancev1.ClassifyRequest{Text: strings.Repeat("“”’.,;:!?—", 20_000)}, codes.OK},
		{"many mentions", &stancev1.ClassifyRequest{Text: strings.Repeat("Iran NATO Russia ", 6_000)}, codes.OK},
		{"too many mentions", &stancev1.ClassifyRequest{Text: strings.Repeat("Iran NATO Russia ", 50_000)}, codes.ResourceExhausted},
		{"invalid UTF-8 id", &stancev1.ClassifyRequest{Id: "\xff", Text: "Iran"}, codes.InvalidArgument},
		{"invalid UTF-8 target", &stancev1.ClassifyRequest{Text: "Iran", Targets: []*stancev1.Target{{Id: "\xc3", Name: "\xed\xa0\x80", Aliases: []string{"\xf4\x90\x80\x80"}}}}, codes.InvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A document with 18,000 mentions has a response of some
			// MB: callers that send such documents raise their limit.
			_, err := client.Classify(context.Background(), tt.req, grpc.MaxCallRecvMsgSize(1<<30))
			if got := status.Code(err); got != tt.want {
				t.Errorf("code = %v (%v), want %v", got, err, tt.want)
			}
		})
	}
}

// checkMarshal asserts that the server's codec encodes m exactly as
// protobuf does.
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

// FuzzClassify drives the handler with arbitrary text, spans and
// encodings: it never panics, answers bad input with INVALID_ARGUMENT or
// RESOURCE_EXHAUSTED, keeps every span in range, encodes its answer as
// protobuf does, and answers the same request the same way twice.
func FuzzClassify(f *testing.F) {
	f.Add("NATO accused Iran of destabilizing the region.", uint32(0), uint32(4), uint8(0))
	f.Add("🕊️ “Zürich” Iran’s 日本", uint32(3), uint32(7), uint8(2))
	f.Add("e\u0301 \xff NATO", uint32(1), uint32(2), uint8(3))
	f.Add("", uint32(0), uint32(0), uint8(9))
	svc := New(testClassifier(f), DefaultLimits, slog.New(slog.NewTextHandler(io.Discard, nil)))
	f.Fuzz(func(t *testing.T, text string, start, end uint32, enc uint8) {
		// enc's high bit asks for the spans' text.
		spanText := enc&0x80 != 0
		req := &stancev1.ClassifyRequest{Text: text, OffsetEncoding: stancev1.OffsetEncoding(enc & 0x7f % 5),
			Spans: []*stancev1.Span{{Start: start, End: end}}, Targets: []*stancev1.Target{{Name: "Iran", Aliases: []string{text[:min(len(text), 8)]}}},
			Options: &stancev1.ClassifyOptions{IncludeSpanText: spanText}}
		resp, err := svc.Classify(context.Background(), req)
		if err != nil {
			switch status.Code(err) {
			case codes.InvalidArgument, codes.ResourceExhausted:
				return
			}
			t.Fatalf("unexpected error %v", err)
		}
		n := unitsOf(text, req.GetOffsetEncoding())
		for i, m := range append(resp.GetMentions(), resp.GetTargeted()...) {
			if m.GetSpan().GetStart() >= m.GetSpan().GetEnd() || m.GetSpan().GetEnd() > n {
				t.Fatalf("span %v out of range (length %d)", m.GetSpan(), n)
			}
			want := sliceUnits(text, req.GetOffsetEncoding(), m.GetSpan().GetStart(), m.GetSpan().GetEnd())
			if i >= len(resp.GetMentions()) && !spanText {
				want = "" // an explicit span's text is not repeated unless asked
			}
			if m.GetText() != want {
				t.Fatalf("span text %q != mention text %q", want, m.GetText())
			}
			// These fields are declared without UTF-8 validation: the
			// server must never put invalid UTF-8 in them.
			strs := []string{m.GetText(), m.GetEntity().GetId(), m.GetEntity().GetName(), m.GetEntity().GetCountryId(),
				m.GetHolder().GetId(), m.GetHolder().GetName(), m.GetHolder().GetCountryId()}
			for _, e := range m.GetEvidence() {
				strs = append(strs, e.GetText(), e.GetSource())
			}
			for _, str := range strs {
				if !utf8.ValidString(str) {
					t.Fatalf("invalid UTF-8 %q in a response", str)
				}
			}
		}
		checkMarshal(t, resp)
		again, err := svc.Classify(context.Background(), req)
		if err != nil {
			t.Fatalf("second call: %v", err)
		}
		if diff := cmp.Diff(resp, again, protocmp.Transform()); diff != "" {
			t.Fatalf("not deterministic (-first +second):\n%s", diff)
		}
		// The size bound that -max-response-bytes is checked against is
		// never below the answer's size.
		a := wire.NewArena()
		defer a.Release()
		if _, err := svc.classify(context.Background(), svc.Classifier(), req, a); err != nil {
			t.Fatalf("classify: %v", err)
		}
		if n, bound := proto.Size(resp), wire.AnswerBytes(req.GetId(), &a.Result, spanText, resp.GetModelVersion()); n > bound {
			t.Fatalf("answer is %d bytes, AnswerBytes bounds it at %d", n, bound)
		}
	})
}
