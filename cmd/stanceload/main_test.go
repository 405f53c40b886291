package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/proto"
)

func TestCheckLoopback(t *testing.T) {
	for _, tt := range []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:50051", true},
		{"[::1]:50051", true},
		{"127.0.0.2:1", true},
		{"localhost:50051", false}, // a name could resolve anywhere
		{"10.0.0.1:50051", false},
		{"example.com:443", false},
		{":50051", false},
		{"127.0.0.1", false},
	} {
		if err := checkLoopback(tt.addr); (err == nil) != tt.ok {
			t.Errorf("checkLoopback(%q) = %v, want ok=%v", tt.addr, err, tt.ok)
		}
	}
}

func TestParseConfig(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string // error substring; "" for success
	}{
		{[]string{"-text", "a.txt"}, ""},
		{[]string{}, "one of -text and -seeds"},
		{[]string{"-text", "a", "-seeds", "b"}, "one of -text and -seeds"},
		{[]string{"-text", "a", "-addr", "192.168.1.1:50051"}, "loopback"},
		{[]string{"-text", "a", "-rates", "50,x"}, "-rates"},
		{[]string{"-text", "a", "-duration", "1h"}, "-duration"},
	} {
		_, err := parseConfig(tt.args, io.Discard)
		if got := ""; err != nil {
			got = err.Error()
			if tt.want == "" || !strings.Contains(got, tt.want) {
				t.Errorf("parseConfig(%q) = %v, want %q", tt.args, err, tt.want)
			}
		} else if tt.want != "" {
			t.Errorf("parseConfig(%q) succeeded, want %q", tt.args, tt.want)
		}
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i))
	}
	for p, want := range map[float64]time.Duration{50: 50, 95: 95, 99: 99, 100: 100, 0: 1} {
		if got := percentile(d, p); got != want {
			t.Errorf("percentile(1..100, %v) = %v, want %v", p, got, want)
		}
	}
	if got := percentile(nil, 99); got != 0 {
		t.Errorf("percentile(nil) = %v", got)
	}
}

// The generator tells failed stream answers from good ones without
// decoding them.
func TestWireCodecSeesErrors(t *testing.T) {
	ok := &stancev1.ClassifyResponse{Id: "a", ModelVersion: "m", Mentions: []*stancev1.Mention{{Text: "Iran"}}}
	bad := &stancev1.ClassifyResponse{Id: "b", Error: &spb.Status{Code: 3, Message: "text is empty"}}
	for _, tt := range []struct {
		msg  *stancev1.ClassifyResponse
		fail bool
	}{{ok, false}, {bad, true}, {&stancev1.ClassifyResponse{}, false}} {
		b, err := proto.Marshal(tt.msg)
		if err != nil {
			t.Fatal(err)
		}
		var f frame
		if err := (wireCodec{}).Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		if f.failed != tt.fail || f.received != len(b) {
			t.Errorf("%v: failed=%v received=%d, want %v and %d", tt.msg, f.failed, f.received, tt.fail, len(b))
		}
	}
	req := &stancev1.ClassifyRequest{Id: "x", Text: "NATO accused Iran."}
	c, err := newCaller(nil, req)
	if err != nil {
		t.Fatal(err)
	}
	wire, _ := (wireCodec{}).Marshal(&frame{wire: c.req})
	var back stancev1.ClassifyRequest
	if err := proto.Unmarshal(wire, &back); err != nil || !proto.Equal(&back, req) {
		t.Errorf("request on the wire = %v (%v), want %v", &back, err, req)
	}
}

// TestWriteLatencies checks the -latencies file: one line per request of an
// open-loop step, at its scheduled start, failed ones marked, appended.
func TestWriteLatencies(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lat.tsv")
	start := time.Unix(100, 0)
	s := step{offered: 1000, start: start, all: []time.Duration{2 * time.Millisecond, 0, time.Millisecond}}
	for range 2 {
		if err := writeLatencies(path, 50, s); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "50\t100000000000\t2000000\tfalse\n50\t100001000000\t0\ttrue\n50\t100002000000\t1000000\tfalse\n"
	if got := string(b); got != want+want {
		t.Errorf("file:\n%s\nwant twice:\n%s", got, want)
	}
	if err := writeLatencies("", 50, s); err != nil {
		t.Errorf("no path: %v", err)
	}
}
