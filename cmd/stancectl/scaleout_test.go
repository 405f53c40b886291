package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stance/classifierd/internal/sharedtest"
)

// daemon is a classifierd process started by a test.
type daemon struct {
	cmd           *exec.Cmd
	addr, metrics string
	stderr        bytes.Buffer
}

// startDaemons builds classifierd once and starts n processes on loopback
// ports, each with its metrics port, and waits until each serves.
func startDaemons(t *testing.T, n int) []*daemon {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "classifierd")
	build := exec.Command("go", "build", "-o", bin, "../classifierd")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build classifierd: %v\n%s", err, out)
	}
	var ds []*daemon
	for range n {
		d := &daemon{addr: sharedtest.FreeAddr(t), metrics: sharedtest.FreeAddr(t)}
		d.cmd = exec.Command(bin, "-addr", d.addr, "-metrics-addr", d.metrics, "-drain-timeout", "5s")
		d.cmd.Stderr = &d.stderr
		if err := d.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.cmd.Process.Kill(); d.cmd.Wait() })
		ds = append(ds, d)
	}
	for _, d := range ds {
		deadline := time.Now().Add(60 * time.Second)
		for {
			if _, err := d.documents(); err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("classifierd on %s did not start:\n%s", d.addr, d.stderr.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return ds
}

var documentsMetric = regexp.MustCompile(`(?m)^stance_documents_classified_total\{outcome="ok",rpc="ClassifyStream"\} (\d+)$`)

// documents reads how many stream documents the daemon has classified.
func (d *daemon) documents() (int, error) {
	resp, err := http.Get("http://" + d.metrics + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := documentsMetric.FindSubmatch(body)
	if m == nil {
		return 0, nil
	}
	return strconv.Atoi(string(m[1]))
}

// TestScaleOut runs stancectl across three classifierd processes with
// round_robin, stops one with SIGTERM mid-run, and checks that every
// document is answered exactly once, without error, and that the load was
// spread over the servers.
func TestScaleOut(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three servers; skipped with -short")
	}
	news := sharedtest.News(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	const total = 3000
	f, err := os.Create(in)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range total {
		doc := news[i%len(news)]
		if len(doc) > 4000 {
			doc = doc[:strings.LastIndexByte(doc[:4000], ' ')]
		}
		line, _ := json.Marshal(map[string]string{"id": fmt.Sprintf("doc-%04d", i), "text": doc})
		w.Write(append(line, '\n'))
	}
	w.Flush()
	f.Close()

	ds := startDaemons(t, 3)
	addrs := []string{ds[0].addr, ds[1].addr, ds[2].addr}
	out := filepath.Join(dir, "out.jsonl")

	// Stop the second server once it has done some of the work.
	stopped := make(chan int, 1)
	go func() {
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if n, _ := ds[1].documents(); n >= 100 {
				ds[1].cmd.Process.Signal(syscall.SIGTERM)
				stopped <- n
				return
			}
		}
		stopped <- -1
	}()
	var stderr bytes.Buffer
	code := run(context.Background(), []string{"classify", "-addr", strings.Join(addrs, ","), "-in", in, "-out", out,
		"-quiet", "-retry-for", "1m"}, nil, io.Discard, &stderr)
	if code != 0 {
		t.Fatalf("stancectl exit %d:\n%s", code, stderr.String())
	}
	for i, d := range ds {
		n, err := d.documents()
		t.Logf("server %d: %d documents (%v)", i, n, err)
	}
	if n := <-stopped; n < 0 {
		t.Fatal("the second server never reached 100 documents, so it was not stopped mid-run")
	}
	if err := ds[1].cmd.Wait(); err != nil {
		t.Errorf("stopped server exited with %v (want 0 after draining):\n%s", err, ds[1].stderr.String())
	}

	seen := map[string]int{}
	lines := 0
	outFile, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer outFile.Close()
	sc := bufio.NewScanner(outFile)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		lines++
		var resp struct {
			ID    string          `json:"id"`
			Error json.RawMessage `json:"error"`
		}
		if err := json.Unmarshal(sc.Bytes(), &resp); err != nil {
			t.Fatal(err)
		}
		if resp.Error != nil {
			t.Errorf("%s answered with an error: %s", resp.ID, resp.Error)
		}
		if want := fmt.Sprintf("doc-%04d", lines-1); resp.ID != want {
			t.Errorf("line %d answers %s, want %s (input order)", lines, resp.ID, want)
		}
		seen[resp.ID]++
	}
	if lines != total || len(seen) != total {
		t.Fatalf("%d output lines for %d distinct ids, want %d each", lines, len(seen), total)
	}

	// Every server took a share; the two that stayed up did most.
	var shares []int
	for _, d := range []*daemon{ds[0], ds[2]} {
		n, err := d.documents()
		if err != nil {
			t.Fatal(err)
		}
		shares = append(shares, n)
	}
	t.Logf("documents classified by the servers that stayed up: %v (the stopped one had done at least 100)", shares)
	for i, n := range shares {
		if n < total/10 {
			t.Errorf("server %d classified only %d of %d documents: load not spread", i, n, total)
		}
	}
}
