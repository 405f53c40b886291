package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/classifier/classifiertest"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/testing/protocmp"
)

func testClassifier(t testing.TB) *classifier.Classifier {
	t.Helper()
	return classifiertest.Embedded(t)
}

// startServer serves the service over bufconn, as classifierd wires it
// (with the shedding tap), and returns a client.
func startServer(t testing.TB, limits Limits) stancev1.StanceServiceClient {
	t.Helper()
	_, _, client := startServerWith(t, limits)
	return client
}

// startServerWith is startServer that also returns the Server and the
// grpc.Server, for tests that drive shutdown and shedding.
func startServerWith(t testing.TB, limits Limits) (*Server, *grpc.Server, stancev1.StanceServiceClient) {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	svc := New(testClassifier(t), limits, slog.New(slog.NewTextHandler(io.Discard, nil)))
	g := grpc.NewServer(svc.ServerOptions()...)
	svc.Register(g)
	go g.Serve(lis)
	t.Cleanup(g.Stop)
	conn, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return svc, g, stancev1.NewStanceServiceClient(conn)
}

func checkProbabilities(t *testing.T, where string, p *stancev1.Probabilities) {
	t.Helper()
	sum := p.GetHostile() + p.GetCooperative() + p.GetNeutral()
	if math.Abs(float64(sum)-1) > 1e-4 {
		t.Errorf("%s: probabilities sum to %v", where, sum)
	}
	for _, x := range []float32{p.GetHostile(), p.GetCooperative(), p.GetNeutral()} {
		if x < 0 || x > 1 {
			t.Errorf("%s: probability %v out of [0,1]", where, x)
		}
	}
}

func TestClassify(t *testing.T) {
	client := startServer(t, DefaultLimits)
	text := "NATO accused Iran of destabilizing the region, while Iran and Russia signed a strategic partnership."
	resp, err := client.Classify(context.Background(), &stancev1.ClassifyRequest{Id: "doc-1", Text: text})
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetId() != "doc-1" {
		t.Errorf("id = %q, want doc-1", resp.GetId())
	}
	if resp.GetModelVersion() == "" || resp.GetModelVersion() != testClassifier(t).Model().Version() {
		t.Errorf("model_version = %q", resp.GetModelVersion())
	}
	var found []string
	prevEnd := uint32(0)
	for _, m := range resp.GetMentions() {
		found = append(found, m.GetEntity().GetId())
		if m.GetSpan().GetStart() < prevEnd {
			t.Errorf("mentions not in text order at %q", m.GetText())
		}
		prevEnd = m.GetSpan().GetEnd()
		if got := text[m.GetSpan().GetStart():m.GetSpan().GetEnd()]; got != m.GetText() {
			t.Errorf("mention text %q != text[span] %q", m.GetText(), got)
		}
		if m.GetLabel() == stancev1.Stance_STANCE_UNSPECIFIED {
			t.Errorf("mention %q has no label", m.GetText())
		}
		checkProbabilities(t, m.GetText(), m.GetProbabilities())
		for _, e := range m.GetEvidence() {
			if got := text[e.GetSpan().GetStart():e.GetSpan().GetEnd()]; got != e.GetText() {
				t.Errorf("evidence text %q != text[span] %q", e.GetText(), got)
			}
		}
	}
	if want := "NATO IRN IRN RUS"; strings.Join(found, " ") != want {
		t.Errorf("mention entities = %q, want %q", strings.Join(found, " "), want)
	}
	var iran *stancev1.Mention
	for _, m := range resp.GetMentions() {
		if m.GetEntity().GetId() == "IRN" {
			iran = m
			break
		}
	}
	if iran.GetLabel() != stancev1.Stance_STANCE_HOSTILE {
		t.Errorf("Iran in %q: label %v, want hostile", "NATO accused Iran", iran.GetLabel())
	}
	if iran.GetHolder().GetId() != "NATO" {
		t.Errorf("Iran in %q: holder %q, want NATO", "NATO accused Iran", iran.GetHolder().GetId())
	}
	if len(iran.GetEvidence()) == 0 {
		t.Error("no evidence for Iran's mention")
	}
	// The second clause ("Iran and Russia signed…") is not NATO's doing:
	// if anyone's, Russia's, the other side of the joint act.
	if h := resp.GetMentions()[2].GetHolder(); h != nil && h.GetId() != "RUS" {
		t.Errorf("the second Iran has holder %q, want none or RUS", h.GetId())
	}
	var sal float32
	for _, e := range resp.GetEntities() {
		sal += e.GetSalience()
		checkProbabilities(t, e.GetEntity().GetId(), e.GetProbabilities())
	}
	if len(resp.GetEntities()) != 3 || math.Abs(float64(sal)-1) > 1e-3 {
		t.Errorf("entities = %d with salience sum %v, want 3 summing to 1", len(resp.GetEntities()), sal)
	}
}

func TestClassifyOptions(t *testing.T) {
	client := startServer(t, DefaultLimits)
	text := "Belarus and Iran deepened cooperation, said the minister."
	off, on := false, true
	resp, err := client.Classify(context.Background(), &stancev1.ClassifyRequest{
		Text:    text,
		Targets: []*stancev1.Target{{Id: "min", Name: "the minister", Type: stancev1.EntityType_ENTITY_TYPE_PERSON}},
		Options: &stancev1.ClassifyOptions{BuiltinEntities: &off, IncludeEvidence: &on, MaxEvidence: 2},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.GetMentions()) != 1 || resp.GetMentions()[0].GetEntity().GetId() != "min" {
		t.Fatalf("with built-in entities off, mentions = %v, want only the caller's target", resp.GetMentions())
	}
	if n := len(resp.GetMentions()[0].GetEvidence()); n > 2 {
		t.Errorf("max_evidence 2 gave %d items", n)
	}
	resp, err = client.Classify(context.Background(), &stancev1.ClassifyRequest{Text: text, Options: &stancev1.ClassifyOptions{IncludeEvidence: &off}})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range resp.GetMentions() {
		if len(m.GetEvidence()) > 0 {
			t.Errorf("include_evidence false still gave evidence for %q", m.GetText())
		}
	}
}

// unitsOf returns s's length in the encoding.
func unitsOf(s string, enc stancev1.OffsetEncoding) uint32 {
	switch enc {
	case stancev1.OffsetEncoding_OFFSET_ENCODING_UTF16:
		return uint32(len(utf16.Encode([]rune(s))))
	case stancev1.OffsetEncoding_OFFSET_ENCODING_CODE_POINTS:
		return uint32(utf8.RuneCountInString(s))
	}
	return uint32(len(s))
}

// sliceUnits slices text by offsets in the encoding, as a caller in that
// language would.
func sliceUnits(text string, enc stancev1.OffsetEncoding, start, end uint32) string {
	switch enc {
	case stancev1.OffsetEncoding_OFFSET_ENCODING_UTF16:
		u := utf16.Encode([]rune(text))
		if end > uint32(len(u)) || start > end {
			return "<out of range>"
		}
		return string(utf16.Decode(u[start:end]))
	case stancev1.OffsetEncoding_OFFSET_ENCODING_CODE_POINTS:
		r := []rune(text)
		if end > uint32(len(r)) || start > end {
			return "<out of range>"
		}
		return string(r[start:end])
	}
	return text[start:end]
}

func TestOffsetEncodings(t *testing.T) {
	client := startServer(t, DefaultLimits)
	text := "🕊️ “Zürich talks”: Iran’s envoy met 日本 officials; Iran and Japan—東京—agreed. ✅ NATO’s café"
	for _, enc := range []stancev1.OffsetEncoding{
		stancev1.OffsetEncoding_OFFSET_ENCODING_UNSPECIFIED,
		stancev1.OffsetEncoding_OFFSET_ENCODING_UTF8,
		stancev1.OffsetEncoding_OFFSET_ENCODING_UTF16,
		stancev1.OffsetEncoding_OFFSET_ENCODING_CODE_POINTS,
	} {
		t.Run(enc.String(), func(t *testing.T) {
			// Explicit spans on "日本" and "café", computed in the encoding.
			var spans []*stancev1.Span
			for _, w := range []string{"日本", "café"} {
				b := strings.Index(text, w)
				start := unitsOf(text[:b], enc)
				spans = append(spans, &stancev1.Span{Start: start, End: start + unitsOf(w, enc)})
			}
			resp, err := client.Classify(context.Background(), &stancev1.ClassifyRequest{
				Text:           text,
				OffsetEncoding: enc,
				Spans:          spans,
				Targets:        []*stancev1.Target{{Name: "Zürich"}, {Name: "Japan", Aliases: []string{"東京"}}},
				Options:        &stancev1.ClassifyOptions{IncludeSpanText: true},
			})
			if err != nil {
				t.Fatal(err)
			}
			check := func(what string, sp *stancev1.Span, want string) {
				t.Helper()
				if got := sliceUnits(text, enc, sp.GetStart(), sp.GetEnd()); got != want {
					t.Errorf("%s: text[%d:%d] in %v = %q, want %q", what, sp.GetStart(), sp.GetEnd(), enc, got, want)
				}
			}
			var surfaces []string
			for _, m := range resp.GetMentions() {
				check("mention", m.GetSpan(), m.GetText())
				surfaces = append(surfaces, m.GetText())
				for _, e := range m.GetEvidence() {
					check("evidence", e.GetSpan(), e.GetText())
				}
			}
			for _, want := range []string{"Zürich", "Iran", "東京", "NATO"} {
				if !strings.Contains(strings.Join(surfaces, "|"), want) {
					t.Errorf("mentions %q lack %q", surfaces, want)
				}
			}
			if len(resp.GetTargeted()) != 2 {
				t.Fatalf("targeted = %d, want 2", len(resp.GetTargeted()))
			}
			check("targeted[0]", resp.GetTargeted()[0].GetSpan(), "日本")
			check("targeted[1]", resp.GetTargeted()[1].GetSpan(), "café")
			if resp.GetTargeted()[0].GetText() != "日本" {
				t.Errorf("targeted[0].text = %q", resp.GetTargeted()[0].GetText())
			}
		})
	}
}

// violations returns the BadRequest field names of an error.
func violations(err error) []string {
	var fields []string
	for _, d := range status.Convert(err).Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				fields = append(fields, v.GetField())
			}
		}
	}
	return fields
}

func TestClassifyErrors(t *testing.T) {
	limits := DefaultLimits
	limits.MaxDocumentBytes = 1000
	limits.MaxSpans = 4
	limits.MaxTargets = 2
	limits.MaxAliases = 2
	client := startServer(t, limits)
	text := "Iran’s envoy met 日本 officials 🕊️."
	dove := uint32(strings.Index(text, "🕊"))
	utf16Dove := unitsOf(text[:dove], stancev1.OffsetEncoding_OFFSET_ENCODING_UTF16)
	tests := []struct {
		name      string
		req       *stancev1.ClassifyRequest
		code      codes.Code
		fields    []string
		msgSubstr string
	}{
		{"span out of range", &stancev1.ClassifyRequest{Text: text, Spans: []*stancev1.Span{{Start: 0, End: 999}}}, codes.InvalidArgument, []string{"spans[0]"}, ""},
		{"span reversed", &stancev1.ClassifyRequest{Text: text, Spans: []*stancev1.Span{{Start: 5, End: 2}}}, codes.InvalidArgument, []string{"spans[0]"}, ""},
		{"span empty", &stancev1.ClassifyRequest{Text: text, Spans: []*stancev1.Span{{Start: 3, End: 3}}}, codes.InvalidArgument, []string{"spans[0]"}, ""},
		{"span inside utf8 character", &stancev1.ClassifyRequest{Text: text, Spans: []*stancev1.Span{{Start: 0, End: 5}}}, codes.InvalidArgument, []string{"spans[0]"}, ""},
		{"span inside surrogate pair", &stancev1.ClassifyRequest{Text: text, OffsetEncoding: stancev1.OffsetEncoding_OFFSET_ENCODING_UTF16,
			Spans: []*stancev1.Span{{Start: 0, End: 4}, {Start: utf16Dove, End: utf16Dove + 1}}}, codes.InvalidArgument, []string{"spans[1]"}, ""},
		{"code points past end", &stancev1.ClassifyRequest{Text: text, OffsetEncoding: stancev1.OffsetEncoding_OFFSET_ENCODING_CODE_POINTS,
			Spans: []*stancev1.Span{{Start: 0, End: uint32(len(text))}}}, codes.InvalidArgument, []string{"spans[0]"}, ""},
		{"unknown encoding", &stancev1.ClassifyRequest{Text: text, OffsetEncoding: 9}, codes.InvalidArgument, []string{"offset_encoding"}, ""},
		{"too many spans", &stancev1.ClassifyRequest{Text: text, Spans: make([]*stancev1.Span, 5)}, codes.InvalidArgument, []string{"spans"}, ""},
		{"too many targets", &stancev1.ClassifyRequest{Text: text, Targets: []*stancev1.Target{{Name: "a"}, {Name: "b"}, {Name: "c"}}}, codes.InvalidArgument, []string{"targets"}, ""},
		{"too many aliases", &stancev1.ClassifyRequest{Text: text, Targets: []*stancev1.Target{{Name: "a", Aliases: []string{"b", "c", "d"}}}}, codes.InvalidArgument, []string{"targets[0].aliases"}, ""},
		{"target without name", &stancev1.ClassifyRequest{Text: text, Targets: []*stancev1.Target{{Aliases: []string{"x"}}}}, codes.InvalidArgument, []string{"targets[0].name"}, ""},
		{"empty alias", &stancev1.ClassifyRequest{Text: text, Targets: []*stancev1.Target{{Name: "a", Aliases: []string{""}}}}, codes.InvalidArgument, []string{"targets[0].aliases[0]"}, ""},
		{"several problems at once", &stancev1.ClassifyRequest{Text: text, OffsetEncoding: 7, Targets: []*stancev1.Target{{}}}, codes.InvalidArgument, []string{"offset_encoding", "targets[0].name"}, ""},
		{"invalid utf8", &stancev1.ClassifyRequest{Text: "NATO \xff\xfe warned"}, codes.InvalidArgument, []string{"text"}, ""},
		{"invalid utf8 everywhere else", &stancev1.ClassifyRequest{Id: "a\xff", Text: text, Targets: []*stancev1.Target{{Id: "\xc3", Name: "N\xe2\x82", Aliases: []string{"ok", "\xed\xa0\x80"}}}},
			codes.InvalidArgument, []string{"id", "targets[0].name", "targets[0].id", "targets[0].aliases[1]"}, ""},
		{"empty span in utf16 units", &stancev1.ClassifyRequest{Text: "🕊🕊 Iran", OffsetEncoding: stancev1.OffsetEncoding_OFFSET_ENCODING_UTF16,
			Spans: []*stancev1.Span{{Start: 3, End: 3}}}, codes.InvalidArgument, []string{"spans[0]"}, "empty span at 3 in utf16"},
		{"document too large", &stancev1.ClassifyRequest{Text: strings.Repeat("NATO ", 201)}, codes.ResourceExhausted, nil, "limit is 1000 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := client.Classify(context.Background(), tt.req)
			if got := status.Code(err); got != tt.code {
				t.Fatalf("code = %v (%v), want %v", got, err, tt.code)
			}
			if got := violations(err); strings.Join(got, ",") != strings.Join(tt.fields, ",") {
				t.Errorf("field violations = %q, want %q", got, tt.fields)
			}
			if !strings.Contains(status.Convert(err).Message(), tt.msgSubstr) {
				t.Errorf("message %q lacks %q", status.Convert(err).Message(), tt.msgSubstr)
			}
		})
	}
}

func TestClassifyEmptyText(t *testing.T) {
	client := startServer(t, DefaultLimits)
	for _, text := range []string{"", "   \n\t "} {
		resp, err := client.Classify(context.Background(), &stancev1.ClassifyRequest{Id: "e", Text: text})
		if err != nil {
			t.Fatalf("text %q: %v", text, err)
		}
		if len(resp.GetMentions()) != 0 || len(resp.GetEntities()) != 0 {
			t.Errorf("text %q: got mentions %v", text, resp.GetMentions())
		}
	}
}

func TestClassifyBatch(t *testing.T) {
	limits := DefaultLimits
	limits.MaxBatchDocuments = 3
	client := startServer(t, limits)
	reqs := []*stancev1.ClassifyRequest{
		{Id: "a", Text: "NATO warned Russia."},
		{Id: "b", Text: "Iran", Spans: []*stancev1.Span{{Start: 2, End: 1}}},
		{Id: "c", Text: "China welcomed the EU delegation."},
	}
	resp, err := client.ClassifyBatch(context.Background(), &stancev1.ClassifyBatchRequest{Requests: reqs})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.GetResponses()) != 3 {
		t.Fatalf("%d responses for 3 requests", len(resp.GetResponses()))
	}
	for i, r := range resp.GetResponses() {
		if r.GetId() != reqs[i].GetId() {
			t.Errorf("responses[%d].id = %q, want %q", i, r.GetId(), reqs[i].GetId())
		}
	}
	if e := resp.GetResponses()[1].GetError(); codes.Code(e.GetCode()) != codes.InvalidArgument {
		t.Errorf("bad document error = %v, want INVALID_ARGUMENT", e)
	}
	if violations(status.ErrorProto(resp.GetResponses()[1].GetError()))[0] != "spans[0]" {
		t.Errorf("bad document error lacks its field violation: %v", resp.GetResponses()[1].GetError())
	}
	for _, i := range []int{0, 2} {
		if r := resp.GetResponses()[i]; r.GetError() != nil || len(r.GetMentions()) != 2 {
			t.Errorf("responses[%d]: error %v, %d mentions, want 2", i, r.GetError(), len(r.GetMentions()))
		}
	}
	_, err = client.ClassifyBatch(context.Background(), &stancev1.ClassifyBatchRequest{Requests: append(reqs, reqs[0])})
	if status.Code(err) != codes.ResourceExhausted || !strings.Contains(err.Error(), "limit is 3") {
		t.Errorf("oversized batch: %v, want RESOURCE_EXHAUSTED naming the limit", err)
	}
}

func TestClassifyStream(t *testing.T) {
	limits := DefaultLimits
	limits.MaxStreamInFlight = 4
	client := startServer(t, limits)
	stream, err := client.ClassifyStream(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	const n = 60
	want := map[string]bool{} // id -> expects an error
	go func() {
		for i := range n {
			req := &stancev1.ClassifyRequest{Id: fmt.Sprintf("d%d", i), Text: fmt.Sprintf("Document %d: Iran thanked Russia for its support.", i)}
			if i%7 == 3 {
				req.Spans = []*stancev1.Span{{Start: 0, End: 9999}}
			}
			if err := stream.Send(req); err != nil {
				t.Error(err)
				return
			}
		}
		stream.CloseSend()
	}()
	for i := range n {
		want[fmt.Sprintf("d%d", i)] = i%7 == 3
	}
	got := map[string]bool{}
	for {
		resp, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, dup := got[resp.GetId()]; dup {
			t.Errorf("duplicate response for %s", resp.GetId())
		}
		got[resp.GetId()] = resp.GetError() != nil
		if resp.GetError() == nil && len(resp.GetMentions()) != 2 {
			t.Errorf("%s: %d mentions, want 2", resp.GetId(), len(resp.GetMentions()))
		}
	}
	if len(got) != n {
		t.Fatalf("got %d responses, want %d", len(got), n)
	}
	for id, wantErr := range want {
		if got[id] != wantErr {
			t.Errorf("%s: error = %v, want %v", id, got[id], wantErr)
		}
	}
}

func TestGetModelInfo(t *testing.T) {
	client := startServer(t, DefaultLimits)
	info, err := client.GetModelInfo(context.Background(), &stancev1.GetModelInfoRequest{})
	if err != nil {
		t.Fatal(err)
	}
	c := testClassifier(t)
	if info.GetModelVersion() != c.Model().Version() {
		t.Errorf("version = %q, want %q", info.GetModelVersion(), c.Model().Version())
	}
	if len(info.GetLabels()) != 3 || info.GetEntityCount() < 200 || info.GetAliasCount() <= info.GetEntityCount() ||
		info.GetLexiconCueCount() < 1000 || info.GetFeatureCount() == 0 {
		t.Errorf("implausible counts: %v", info)
	}
	if len(info.GetTrainingData()) == 0 || len(info.GetEvaluations()) == 0 {
		t.Errorf("no training data or evaluations recorded: %v", info)
	}
	for _, e := range info.GetEvaluations() {
		if e.GetMacroF1() <= 0 || e.GetMacroF1() > 1 || len(e.GetPerClass()) > 3 ||
			strings.HasPrefix(e.GetDataset(), "cv/") && !(e.GetMacroF1Low() <= e.GetMacroF1() && e.GetMacroF1() <= e.GetMacroF1High()) {
			t.Errorf("evaluation %s implausible: %v", e.GetDataset(), e)
		}
	}
	if info.GetLimits().GetMaxDocumentBytes() != uint32(DefaultLimits.MaxDocumentBytes) {
		t.Errorf("limits = %v", info.GetLimits())
	}
	// The response must be self-contained for grpcurl users.
	if diff := cmp.Diff(modelInfo(c, DefaultLimits), info, protocmp.Transform()); diff != "" {
		t.Errorf("GetModelInfo differs from modelInfo (-want +got):\n%s", diff)
	}
}
