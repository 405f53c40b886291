package server

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/sharedtest"
	"github.com/stance/classifierd/internal/wire"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// TestStreamSurvivesBadDocuments sends a stream in which documents have
// invalid UTF-8 in every request string and answers too large to send:
// each gets its own error, with its id made readable, and the documents
// after them are answered.
func TestStreamSurvivesBadDocuments(t *testing.T) {
	limits := DefaultLimits
	limits.MaxMentions = 100
	client := startServer(t, limits)
	stream, err := client.ClassifyStream(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	good := "NATO accused Iran."
	reqs := []*stancev1.ClassifyRequest{
		{Id: "first", Text: good},
		{Id: "bad\xffid", Text: good},
		{Id: "target", Text: good, Targets: []*stancev1.Target{{Name: "Iran\xc3", Aliases: []string{"\xed\xa0\x80"}}}},
		{Id: "text", Text: "Iran \xc3\x28"},
		{Id: "mentions", Text: strings.Repeat("Iran NATO ", 60)},
		{Id: "last", Text: good},
	}
	go func() {
		for _, r := range reqs {
			if err := stream.Send(r); err != nil {
				t.Error(err)
			}
		}
		stream.CloseSend()
	}()
	type answer struct {
		Code     codes.Code
		Fields   []string
		Mentions int
	}
	got := map[string]answer{}
	for {
		resp, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("stream ended with %v after %d answers", err, len(got))
		}
		st := status.FromProto(resp.GetError())
		got[resp.GetId()] = answer{st.Code(), violations(st.Err()), len(resp.GetMentions())}
	}
	want := map[string]answer{
		"first":       {codes.OK, nil, 2},
		"bad\uFFFDid": {codes.InvalidArgument, []string{"id"}, 0},
		"target":      {codes.InvalidArgument, []string{"targets[0].name", "targets[0].aliases[0]"}, 0},
		"text":        {codes.InvalidArgument, []string{"text"}, 0},
		"mentions":    {codes.ResourceExhausted, nil, 0},
		"last":        {codes.OK, nil, 2},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("answers (-want +got):\n%s", diff)
	}
}

// TestAnswerLimits checks the caps on one document's answer: spans over
// the whole text are answered without repeating it unless asked, and an
// answer over the size limit is refused before it is built.
func TestAnswerLimits(t *testing.T) {
	limits := DefaultLimits
	limits.MaxResponseBytes = 1 << 20
	client := startServer(t, limits)
	text := strings.Repeat("The ministers of Iran and Russia met again. ", 1000) // 44 KB
	spans := make([]*stancev1.Span, 100)
	for i := range spans {
		spans[i] = &stancev1.Span{Start: 0, End: uint32(len(text))}
	}
	req := &stancev1.ClassifyRequest{Text: text, Spans: spans, Options: &stancev1.ClassifyOptions{IncludeEvidence: proto.Bool(false)}}
	resp, err := client.Classify(context.Background(), req)
	if err != nil {
		t.Fatalf("spans without their text: %v", err)
	}
	if n := proto.Size(resp); n > 1<<20 {
		t.Errorf("answer is %d bytes", n)
	}
	for i, m := range resp.GetTargeted() {
		if m.GetText() != "" || m.GetEntity().GetName() != "" {
			t.Fatalf("targeted[%d] repeats the span's text (%d and %d bytes)", i, len(m.GetText()), len(m.GetEntity().GetName()))
		}
	}
	req.Options.IncludeSpanText = true
	_, err = client.Classify(context.Background(), req)
	if status.Code(err) != codes.ResourceExhausted || !strings.Contains(err.Error(), "response bytes; the limit is 1048576") {
		t.Errorf("spans with their text, 8.8 MB: %v, want RESOURCE_EXHAUSTED naming the limit", err)
	}
	req.Spans = spans[:1]
	resp, err = client.Classify(context.Background(), req)
	if err != nil || resp.GetTargeted()[0].GetText() != text {
		t.Errorf("one span with its text: %v", err)
	}
}

// TestAnswerBytesBoundsTheAnswer checks that answerBytes, which the
// response limit is checked against, is never below the encoded size of
// the answer, over the news corpus with every option that adds to it.
func TestAnswerBytesBoundsTheAnswer(t *testing.T) {
	svc := New(testClassifier(t), DefaultLimits, slog.New(slog.NewTextHandler(io.Discard, nil)))
	c := svc.Classifier()
	for i, d := range sharedtest.News(t) {
		req := &stancev1.ClassifyRequest{Id: "doc", Text: d, Spans: []*stancev1.Span{{Start: 0, End: uint32(min(len(d), 40))}},
			Targets: []*stancev1.Target{{Name: "the"}}, Options: &stancev1.ClassifyOptions{MaxEvidence: 20, IncludeSpanText: true}}
		a := wire.NewArena()
		resp, err := svc.classify(context.Background(), c, req, a)
		if err != nil {
			t.Fatalf("document %d: %v", i, err)
		}
		bound := wire.AnswerBytes(req.GetId(), &a.Result, true, c.Model().Version())
		if n := proto.Size(resp); n > bound || bound > n+n/10+64 {
			t.Fatalf("document %d: answer is %d bytes, answerBytes says at most %d", i, n, bound)
		}
		a.Release()
	}
}
