package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// The abuse suite (issue 21) attacks a classifierd process on loopback
// with the memory settings of the shipped manifest, one fresh process per
// case, and fails a case when the process dies, its resident memory passes
// abuseMaxRSS, or a fresh client waits more than abuseMaxWait for an
// answer. It takes a minute or two, so it runs only with STANCE_ABUSE=1
// (make abuse); STANCE_ABUSE_BIN names another classifierd binary to
// attack (an older build, to measure the "before" numbers). Every case
// logs what it measured.
const (
	abuseMaxRSS  = 400 << 20
	abuseMaxWait = 10 * time.Second
	// abuseKillRSS stops a process that runs away, so that a build that
	// fails the suite cannot take the machine's memory with it.
	abuseKillRSS = 1536 << 20
)

const abuseToken = "alpha-0123456789abcdef"

// abuseEnv is the manifest's environment (deploy/kubernetes): a 256 MiB
// pod on two cores.
var abuseEnv = []string{"GOMEMLIMIT=230MiB", "GOMAXPROCS=2"}

type abuseCase struct {
	name string
	args []string
	run  func(t *testing.T, p *abuseProc)
}

func TestAbuse(t *testing.T) {
	if os.Getenv("STANCE_ABUSE") != "1" {
		t.Skip("the abuse suite runs with STANCE_ABUSE=1 (make abuse)")
	}
	bin := os.Getenv("STANCE_ABUSE_BIN")
	if bin == "" {
		bin = filepath.Join(t.TempDir(), "classifierd")
		if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
			t.Fatalf("build: %v\n%s", err, out)
		}
	}
	tokens := filepath.Join(t.TempDir(), "tokens")
	os.WriteFile(tokens, []byte(abuseToken+"\n"), 0o600)
	for _, c := range abuseCases(tokens) {
		t.Run(c.name, func(t *testing.T) {
			p := startAbuseProc(t, bin, c.args...)
			c.run(t, p)
			p.finish(t)
		})
	}
}

func abuseCases(tokens string) []abuseCase {
	news := strings.Repeat("The foreign minister of Iran said on Tuesday that talks with European officials would go on next week. ", 10500)[:1<<20]
	dense := strings.Repeat("Iran ", 1<<20/5)
	return []abuseCase{
		{"full-text spans 64 KiB", nil, func(t *testing.T, p *abuseProc) {
			text := news[:64<<10]
			for _, withText := range []bool{false, true} {
				code, size := p.classify(t, &stancev1.ClassifyRequest{Text: text, Spans: fullSpans(text, 1024),
					Options: &stancev1.ClassifyOptions{IncludeSpanText: withText}})
				t.Logf("include_span_text=%v: %v, %d-byte answer", withText, code, size)
			}
		}},
		{"full-text spans 1 MiB", nil, func(t *testing.T, p *abuseProc) {
			code, size := p.classify(t, &stancev1.ClassifyRequest{Text: news, Spans: fullSpans(news, 1024)})
			t.Logf("%v, %d-byte answer", code, size)
		}},
		{"1 MiB of mentions", nil, func(t *testing.T, p *abuseProc) {
			code, size := p.classify(t, &stancev1.ClassifyRequest{Text: dense})
			t.Logf("%v, %d-byte answer", code, size)
		}},
		{"batch of 15 x 1 MiB of mentions", nil, func(t *testing.T, p *abuseProc) {
			batch := &stancev1.ClassifyBatchRequest{}
			for range 15 {
				batch.Requests = append(batch.Requests, &stancev1.ClassifyRequest{Text: dense})
			}
			resp, err := p.client.ClassifyBatch(context.Background(), batch, grpc.MaxCallRecvMsgSize(1<<30))
			codes := map[codes.Code]int{}
			for _, r := range resp.GetResponses() {
				codes[status.FromProto(r.GetError()).Code()]++
			}
			t.Logf("call: %v; documents: %v", status.Code(err), codes)
		}},
		{"1,100 silent connections", nil, func(t *testing.T, p *abuseProc) {
			for range 1100 {
				c, err := net.Dial("tcp", p.addr)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				io.WriteString(c, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
			}
			p.probe(t, "with 1,100 silent connections held")
		}},
		{"60 distinct 1 MB words", nil, func(t *testing.T, p *abuseProc) {
			var first int64
			for i := range 60 {
				// Letters only, so that the tokenizer keeps it one word.
				word := "Q" + strings.Repeat("q", 1<<20) + string(rune('a'+i/26)) + string(rune('a'+i%26))
				// A span over the word, so that it is looked up whatever
				// the sentence holds.
				p.classify(t, &stancev1.ClassifyRequest{Text: "Iran " + word, Spans: []*stancev1.Span{{Start: 5, End: uint32(5 + len(word))}}})
				if i == 0 {
					first = p.rss()
				}
			}
			growth := p.rss() - first
			t.Logf("RSS growth over 59 more requests: %d MiB", growth>>20)
			if growth > 150<<20 {
				t.Errorf("RSS grew %d MiB over 59 requests with new long words, limit 150 MiB", growth>>20)
			}
		}},
		{"stream of 1 MiB documents", nil, func(t *testing.T, p *abuseProc) {
			stream, err := p.client.ClassifyStream(context.Background(), grpc.MaxCallRecvMsgSize(1<<30))
			if err != nil {
				t.Fatal(err)
			}
			const n = 12
			go func() {
				for i := range n {
					stream.Send(&stancev1.ClassifyRequest{Id: strconv.Itoa(i), Text: news})
				}
				stream.CloseSend()
			}()
			got := map[codes.Code]int{}
			for {
				r, err := stream.Recv()
				if err != nil {
					t.Logf("%d answers %v; stream ended with %v", n, got, err)
					break
				}
				got[status.FromProto(r.GetError()).Code()]++
			}
		}},
		{"32 unauthenticated 15.7 MB calls", []string{"-auth-tokens", tokens}, func(t *testing.T, p *abuseProc) {
			batch := &stancev1.ClassifyBatchRequest{}
			for range 15 {
				batch.Requests = append(batch.Requests, &stancev1.ClassifyRequest{Text: news})
			}
			var wg sync.WaitGroup
			var mu sync.Mutex
			got := map[codes.Code]int{}
			for range 32 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := p.client.ClassifyBatch(context.Background(), batch)
					mu.Lock()
					got[status.Code(err)]++
					mu.Unlock()
				}()
			}
			wg.Wait()
			t.Logf("answers: %v", got)
		}},
		{"8 MiB of headers", nil, func(t *testing.T, p *abuseProc) {
			ctx := metadata.AppendToOutgoingContext(context.Background(), "x-padding", strings.Repeat("p", 8<<20))
			_, err := p.client.Classify(ctx, &stancev1.ClassifyRequest{Text: "NATO warned Iran."})
			t.Logf("%v", status.Code(err))
		}},
		{"invalid UTF-8 in a stream", nil, func(t *testing.T, p *abuseProc) {
			stream, err := p.client.ClassifyStream(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			reqs := []*stancev1.ClassifyRequest{{Id: "a", Text: "NATO warned Iran."}, {Id: "b\xff", Text: "NATO"},
				{Id: "c", Text: "Iran", Targets: []*stancev1.Target{{Name: "\xc3"}}}, {Id: "d", Text: "NATO warned Iran."}}
			for _, r := range reqs {
				stream.Send(r)
			}
			stream.CloseSend()
			var answers []string
			for {
				r, err := stream.Recv()
				if err != nil {
					t.Logf("answers %q; stream ended with %v", answers, status.Code(err))
					if len(answers) != len(reqs) {
						t.Errorf("%d answers to %d documents", len(answers), len(reqs))
					}
					break
				}
				answers = append(answers, r.GetId()+":"+status.FromProto(r.GetError()).Code().String())
			}
		}},
		{"unary overload", nil, func(t *testing.T, p *abuseProc) {
			text := news[:5000]
			lat, got := p.load(t, 64, 3*time.Second, func(ctx context.Context) error {
				_, err := p.client.Classify(ctx, &stancev1.ClassifyRequest{Text: text})
				return err
			}, "during unary overload")
			t.Logf("64 callers, 3 s: %v; latency of answered calls p50 %v p99 %v", got, pct(lat, 50), pct(lat, 99))
		}},
		{"a stream of expensive documents beside unary calls", nil, func(t *testing.T, p *abuseProc) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			stream, err := p.client.ClassifyStream(ctx, grpc.MaxCallRecvMsgSize(1<<30))
			if err != nil {
				t.Fatal(err)
			}
			go func() {
				for ctx.Err() == nil {
					if stream.Send(&stancev1.ClassifyRequest{Text: news[:200<<10]}) != nil {
						return
					}
				}
			}()
			go func() {
				for {
					if _, err := stream.Recv(); err != nil {
						return
					}
				}
			}()
			time.Sleep(500 * time.Millisecond)
			lat, got := p.load(t, 1, 3*time.Second, func(ctx context.Context) error {
				_, err := p.client.Classify(ctx, &stancev1.ClassifyRequest{Text: news[:5000]})
				return err
			}, "beside the stream")
			t.Logf("one unary caller for 3 s beside the stream: %v; p50 %v p99 %v", got, pct(lat, 50), pct(lat, 99))
		}},
	}
}

func fullSpans(text string, n int) []*stancev1.Span {
	spans := make([]*stancev1.Span, n)
	for i := range spans {
		spans[i] = &stancev1.Span{Start: 0, End: uint32(len(text))}
	}
	return spans
}

// abuseProc is a classifierd process under attack.
type abuseProc struct {
	cmd    *exec.Cmd
	addr   string
	conn   *grpc.ClientConn
	client stancev1.StanceServiceClient
	exited chan struct{}
	killed atomic.Bool // by the RSS watchdog
	start  time.Time
	// token is what the probe presents when the server wants one.
	token string
}

var servingAddr = regexp.MustCompile(`msg=serving addr=(\S+)`)

func startAbuseProc(t *testing.T, bin string, args ...string) *abuseProc {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), abuseEnv...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &abuseProc{cmd: cmd, exited: make(chan struct{}), start: time.Now()}
	if slices.Contains(args, "-auth-tokens") {
		p.token = abuseToken
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if m := servingAddr.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		io.Copy(io.Discard, stderr) // a log line too long to scan must not block the server
	}()
	go func() { cmd.Wait(); close(p.exited) }()
	go p.watch()
	select {
	case p.addr = <-addr:
	case <-p.exited:
		t.Fatal("classifierd exited at start-up")
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("classifierd did not start in 30 s")
	}
	p.conn, err = grpc.NewClient(p.addr, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(1<<30), grpc.MaxCallSendMsgSize(1<<30)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.conn.Close()
		cmd.Process.Kill()
		<-p.exited
	})
	p.client = stancev1.NewStanceServiceClient(p.conn)
	return p
}

// watch kills the process if it runs away (see abuseKillRSS).
func (p *abuseProc) watch() {
	for {
		select {
		case <-p.exited:
			return
		case <-time.After(20 * time.Millisecond):
		}
		if p.rss() > abuseKillRSS {
			p.killed.Store(true)
			p.cmd.Process.Kill()
			return
		}
	}
}

// rss returns the process's resident memory now; peak its high-water mark.
func (p *abuseProc) rss() int64  { return p.status("VmRSS:") }
func (p *abuseProc) peak() int64 { return p.status("VmHWM:") }

func (p *abuseProc) status(field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, field); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// classify makes one call and returns its code and the answer's size.
func (p *abuseProc) classify(t *testing.T, req *stancev1.ClassifyRequest) (codes.Code, int) {
	resp, err := p.client.Classify(context.Background(), req)
	size := 0
	for _, m := range append(resp.GetMentions(), resp.GetTargeted()...) {
		size += len(m.GetText()) + len(m.GetEntity().GetName()) + 32
	}
	return status.Code(err), size
}

// probe checks that a fresh client, on its own connection, gets a health
// check and a classification answered within abuseMaxWait.
func (p *abuseProc) probe(t *testing.T, when string) {
	t.Helper()
	start := time.Now()
	conn, err := grpc.NewClient(p.addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), abuseMaxWait+5*time.Second)
	defer cancel()
	if p.token != "" {
		ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+p.token)
	}
	_, herr := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
	health := time.Since(start)
	_, cerr := stancev1.NewStanceServiceClient(conn).Classify(ctx, &stancev1.ClassifyRequest{Text: "NATO warned Iran."})
	if status.Code(cerr) == codes.ResourceExhausted { // shed: a client retries
		_, cerr = stancev1.NewStanceServiceClient(conn).Classify(ctx, &stancev1.ClassifyRequest{Text: "NATO warned Iran."},
			grpc.WaitForReady(true))
	}
	wait := time.Since(start)
	t.Logf("fresh client %s: health %v in %v, classify %v in %v", when, status.Code(herr), health.Round(time.Millisecond), status.Code(cerr), wait.Round(time.Millisecond))
	if herr != nil || cerr != nil || wait > abuseMaxWait {
		t.Errorf("fresh client %s: health %v, classify %v after %v (limit %v)", when, herr, cerr, wait, abuseMaxWait)
	}
}

// load runs callers calling fn for d, probing with a fresh client half
// way, and returns the latencies of the answered calls and the codes.
func (p *abuseProc) load(t *testing.T, callers int, d time.Duration, fn func(context.Context) error, when string) ([]time.Duration, map[codes.Code]int) {
	var mu sync.Mutex
	var lat []time.Duration
	got := map[codes.Code]int{}
	end := time.Now().Add(d)
	var wg sync.WaitGroup
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				start := time.Now()
				err := fn(context.Background())
				mu.Lock()
				got[status.Code(err)]++
				if err == nil {
					lat = append(lat, time.Since(start))
				}
				mu.Unlock()
			}
		}()
	}
	time.Sleep(d / 2)
	p.probe(t, when)
	wg.Wait()
	return lat, got
}

func pct(lat []time.Duration, q int) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	slices.Sort(lat)
	return lat[min(len(lat)-1, len(lat)*q/100)].Round(100 * time.Microsecond)
}

// finish checks the process after a case: alive, its peak resident memory
// within the limit, and a fresh client served.
func (p *abuseProc) finish(t *testing.T) {
	t.Helper()
	peak := p.peak()
	if p.killed.Load() {
		<-p.exited
	}
	select {
	case <-p.exited:
		if p.killed.Load() {
			t.Errorf("classifierd passed %d MiB of RSS and was stopped", abuseKillRSS>>20)
		} else {
			t.Errorf("classifierd died: %v", p.cmd.ProcessState)
		}
		return
	default:
	}
	t.Logf("peak RSS %d MiB", peak>>20)
	if peak > abuseMaxRSS {
		t.Errorf("peak RSS %d MiB, limit %d MiB", peak>>20, abuseMaxRSS>>20)
	}
	p.probe(t, "after the case")
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Error(err)
	}
}
