package batch

import (
	"context"
	"strings"
	"testing"
	"time"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"google.golang.org/grpc/status"
)

// slowBatch answers every document at once, except one whose text starts
// with "slow", which it holds until its context ends.
type slowBatch struct{}

func (slowBatch) ClassifyBatchPooled(ctx context.Context, req *stancev1.ClassifyBatchRequest) (*stancev1.ClassifyBatchResponse, func(), error) {
	r := req.GetRequests()[0]
	if strings.HasPrefix(r.GetText(), "slow") {
		<-ctx.Done()
		return &stancev1.ClassifyBatchResponse{Responses: []*stancev1.ClassifyResponse{{Error: status.FromContextError(ctx.Err()).Proto()}}}, func() {}, nil
	}
	return &stancev1.ClassifyBatchResponse{Responses: []*stancev1.ClassifyResponse{{Mentions: []*stancev1.Mention{{Text: r.GetText()}}}}}, func() {}, nil
}

// TestLocalTimeout: a document past the timeout is answered with
// DEADLINE_EXCEEDED, and the worker goes on with the next documents.
func TestLocalTimeout(t *testing.T) {
	in := writeFile(t, "in.jsonl", `{"id":"a","text":"one"}`+"\n"+`{"id":"b","text":"slow two"}`+"\n"+`{"id":"c","text":"three"}`+"\n"+`{"id":"d","text":"four"}`+"\n")
	r := &Runner{}
	out, err := runJob(t, t.Context(), NewLocal(slowBatch{}, 1, 50*time.Millisecond), in, r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"a","mentions":[{"text":"one"}]}
{"id":"b","error":{"code":4,"message":"no answer within 50ms"}}
{"id":"c","mentions":[{"text":"three"}]}
{"id":"d","mentions":[{"text":"four"}]}
`
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	if s := r.Progress(); s.Failed != 1 {
		t.Errorf("stats %+v", s)
	}
}
