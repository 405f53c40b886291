package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/classifier/classifiertest"
	"github.com/stance/classifierd/internal/sharedtest"
)

// corpusRepeats is how many times the news corpus (2.7 MB) is repeated,
// to about 10 MB: long enough that start-up (loading the model, ~0.1 s)
// is a small part of a whole-process run, as it is of any real batch job.
const corpusRepeats = 4

// sentenceDocBytes is the size of the documents NewsMTSC sentences are
// joined into: 3.3 KB, about the mean of the Wikinews articles.
const sentenceDocBytes = 3300

// benchCorpus returns the documents of the whole-process benchmark: the
// news corpus of the in-process benchmarks (seeds and Wikinews) and the
// distinct NewsMTSC sentences (train and dev) joined, in file order, into
// documents of about sentenceDocBytes, the size of a news article, all
// repeated corpusRepeats times: about 2,900 documents, 10.6 MB. (One
// document per sentence would make it 34,000 documents of 300 bytes, a
// measure of per-document overhead rather than of batch scoring.)
func benchCorpus(b *testing.B) []string {
	b.Helper()
	news := sharedtest.News(b)
	seen := map[string]bool{}
	sentencesFrom := len(news)
	for _, name := range []string{"train", "dev_mt", "dev_rw"} {
		f, err := os.Open(sharedtest.Path(b, "data", "newsmtsc", name+".stance.jsonl"))
		if err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var l struct{ Text string }
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				b.Fatal(err)
			}
			if !seen[l.Text] {
				seen[l.Text] = true
				if n := len(news) - 1; n >= sentencesFrom && len(news[n]) < sentenceDocBytes {
					news[n] += "\n" + l.Text
				} else {
					news = append(news, l.Text)
				}
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			b.Fatal(err)
		}
	}
	var docs []string
	for range corpusRepeats {
		docs = append(docs, news...)
	}
	return docs
}

// BenchmarkWholeProcess measures, in one run and on one core each, what a
// user of stancectl gets, against in-process Classify on the same
// documents (about 10 MB, see benchCorpus):
//
//   - inproc: classifier.Classify over the documents, default options
//     (5 evidence items), GOMAXPROCS as the benchmark's -cpu;
//   - local: the stancectl binary, "classify -local" from a JSONL file to
//     a file, GOMAXPROCS=1, default options, start-up included;
//   - remote: the same through a classifierd process on the same machine
//     (GOMAXPROCS=1 each; with STANCE_BENCH_PIN=1 pinned to different
//     CPUs with taskset), the server started beforehand;
//   - afinn: scripts/afinn.js, the AFINN lexicon in Node over the same
//     file, when node is installed;
//   - base-local: with STANCE_BENCH_BASE=DIR, local with DIR/stancectl
//     (another build, say main's) too, in ABBA order with this build's
//     (local, base, base, local; the mean of two runs each), so that a
//     change is measured against its baseline in one run.
//
// It reports each as MB/s of input text and the ratios to inproc:
//
//	make bench-ctl   (go test -run '^$' -bench WholeProcess -cpu 1 -benchtime 1x -count 3 ./cmd/stancectl)
func BenchmarkWholeProcess(b *testing.B) {
	docs := benchCorpus(b)
	size := sharedtest.Bytes(docs)
	dir := b.TempDir()
	in := filepath.Join(dir, "corpus.jsonl")
	writeCorpus(b, in, docs)
	bin := buildBinaries(b, dir)

	c := classifiertest.Embedded(b)
	ctx := context.Background()
	inproc := func() {
		for _, d := range docs {
			if _, err := c.Classify(ctx, classifier.Request{Text: d, Builtin: true, MaxEvidence: 5}); err != nil {
				b.Fatal(err)
			}
		}
	}
	inproc() // warm the word cache, as the benchmarks of internal/classifier do

	clientPin, serverPin := pins()
	addr, serverPID := benchServer(b, bin, serverPin)
	out := filepath.Join(dir, "out.jsonl")
	// stancectl runs the binary in dir and returns the CPU time it used.
	stancectlIn := func(dir string, args ...string) time.Duration {
		args = append([]string{"classify", "-in", in, "-out", out, "-force", "-quiet"}, args...)
		cmd := exec.Command(filepath.Join(dir, "stancectl"), args...)
		cmd = pinned(cmd, clientPin)
		cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("stancectl %s: %v\n%s", strings.Join(args, " "), err, msg)
		}
		return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	stancectl := func(args ...string) time.Duration { return stancectlIn(bin, args...) }
	base := os.Getenv("STANCE_BENCH_BASE")
	node, _ := exec.LookPath("node")
	afinnScript := filepath.Join(sharedtest.RepoRoot(b), "scripts", "afinn.js")
	afinnList := sharedtest.Path(b, "data", "lexicons", "afinn", "AFINN-en-165.txt")

	// Wall-clock time is what a user gets; on a machine shared with other
	// work it varies with the load, so CPU time is reported too: for
	// remote, the larger of the client's and the server's, since they
	// work in parallel on their own cores.
	var tIn, tLocal, tRemote, tNode, tBase, cIn, cLocal, cRemote, cBase time.Duration
	b.ResetTimer()
	for b.Loop() {
		c0 := selfCPU()
		t0 := time.Now()
		inproc()
		t1 := time.Now()
		cIn += selfCPU() - c0
		cLocal += stancectl("-local")
		t2 := time.Now()
		tIn, tLocal = tIn+t1.Sub(t0), tLocal+t2.Sub(t1)
		if base != "" {
			// ABBA: the baseline twice, then this build again, so that
			// neither always runs right after inproc; each counts the
			// mean of its two runs (halved below).
			cBase += stancectlIn(base, "-local") + stancectlIn(base, "-local")
			tb := time.Now()
			cLocal += stancectl("-local")
			tl := time.Now()
			tBase, tLocal = tBase+tb.Sub(t2), tLocal+tl.Sub(tb)
			t2 = tl
		}
		s0 := procCPU(serverPID)
		cClient := stancectl("-addr", addr)
		cRemote += max(cClient, procCPU(serverPID)-s0)
		t3 := time.Now()
		tRemote += t3.Sub(t2)
		if node != "" {
			cmd := pinned(exec.Command(node, afinnScript, afinnList, in), clientPin)
			if msg, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("node: %v\n%s", err, msg)
			}
			tNode += time.Since(t3)
		}
	}
	b.StopTimer()
	if base != "" {
		tLocal, cLocal, tBase, cBase = tLocal/2, cLocal/2, tBase/2, cBase/2
	}
	mbs := func(d time.Duration) float64 { return float64(size) * float64(b.N) / 1e6 / d.Seconds() }
	b.ReportMetric(mbs(tIn), "inproc-MB/s")
	b.ReportMetric(mbs(tLocal), "local-MB/s")
	b.ReportMetric(mbs(tRemote), "remote-MB/s")
	b.ReportMetric(tIn.Seconds()/tLocal.Seconds(), "local/inproc")
	b.ReportMetric(tIn.Seconds()/tRemote.Seconds(), "remote/inproc")
	b.ReportMetric(mbs(cIn), "inproc-cpu-MB/s")
	b.ReportMetric(mbs(cLocal), "local-cpu-MB/s")
	b.ReportMetric(mbs(cRemote), "remote-cpu-MB/s")
	b.ReportMetric(cIn.Seconds()/cLocal.Seconds(), "local/inproc-cpu")
	b.ReportMetric(cIn.Seconds()/cRemote.Seconds(), "remote/inproc-cpu")
	if node != "" {
		b.ReportMetric(mbs(tNode), "afinn-node-MB/s")
	}
	if base != "" {
		b.ReportMetric(mbs(tBase), "base-local-MB/s")
		b.ReportMetric(tIn.Seconds()/tBase.Seconds(), "base-local/inproc")
		b.ReportMetric(cIn.Seconds()/cBase.Seconds(), "base-local/inproc-cpu")
	}
	b.ReportMetric(0, "ns/op") // the iteration mixes four measurements
}

func writeCorpus(b *testing.B, path string, docs []string) {
	b.Helper()
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for i, d := range docs {
		if err := enc.Encode(struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		}{fmt.Sprint(i), d}); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}

// buildBinaries builds stancectl and classifierd into dir.
func buildBinaries(b *testing.B, dir string) string {
	b.Helper()
	cmd := exec.Command("go", "build", "-o", dir+string(filepath.Separator), "./cmd/stancectl", "./cmd/classifierd")
	cmd.Dir = sharedtest.RepoRoot(b)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	return dir
}

// pins returns the taskset CPU lists for the client and the server with
// STANCE_BENCH_PIN=1: two different CPUs when taskset exists and there are
// two, else none. Pinning is off by default: on a machine shared with
// other work, a pinned process waits for its CPU while the other is free,
// and the in-process measurement is not pinned.
func pins() (client, server string) {
	if os.Getenv("STANCE_BENCH_PIN") != "1" {
		return "", ""
	}
	if _, err := exec.LookPath("taskset"); err != nil {
		return "", ""
	}
	if n, err := exec.Command("nproc").Output(); err != nil || strings.TrimSpace(string(n)) == "1" {
		return "", ""
	}
	return "0", "1"
}

func pinned(cmd *exec.Cmd, cpus string) *exec.Cmd {
	if cpus == "" {
		return cmd
	}
	p := exec.Command("taskset", append([]string{"-c", cpus}, cmd.Args...)...)
	p.Env, p.Dir = cmd.Env, cmd.Dir
	return p
}

// selfCPU is the CPU time this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// procCPU is the CPU time process pid has used, from /proc (Linux), or 0.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command name, which is in parentheses: state is
	// field 3, utime and stime fields 14 and 15, in clock ticks (100/s).
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+s) * 10 * time.Millisecond
}

// benchServer starts classifierd on one core on a free loopback port and
// waits until it accepts connections; it returns the address and the
// server's process id (of taskset's exec, the same process).
func benchServer(b *testing.B, bin, cpus string) (string, int) {
	b.Helper()
	addr := sharedtest.FreeAddr(b)
	cmd := pinned(exec.Command(filepath.Join(bin, "classifierd"), "-addr", addr), cpus)
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(30 * time.Second)
	for {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return addr, cmd.Process.Pid
		}
		if time.Now().After(deadline) {
			b.Fatalf("classifierd did not start:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
