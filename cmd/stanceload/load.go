package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// load runs the steps and prints the report.
func load(ctx context.Context, cfg Config, stdout, stderr io.Writer) error {
	name, text, err := article(cfg)
	if err != nil {
		return err
	}
	var d *daemon
	if cfg.Exec != "" {
		if d, err = startDaemon(ctx, cfg.Exec, cfg.Addr, cfg.ServerProcs, cfg.ServerCPUs, stderr); err != nil {
			return err
		}
		defer d.stop()
	}
	conn, err := grpc.NewClient(cfg.Addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	req := &stancev1.ClassifyRequest{Id: name, Text: text}
	// The one call whose answer is decoded and checked; the load itself
	// does not decode (see wire.go).
	first, err := stancev1.NewStanceServiceClient(conn).Classify(ctx, req)
	if err != nil {
		return fmt.Errorf("first call: %w", err)
	}
	if len(first.GetMentions()) == 0 {
		return fmt.Errorf("first call: no mentions found in %s", name)
	}
	c, err := newCaller(conn, req)
	if err != nil {
		return err
	}

	fmt.Fprintf(stdout, "# stanceload\n\nArticle %s, %d bytes; server %s", name, len(text), cfg.Addr)
	if d != nil {
		fmt.Fprintf(stdout, " (started with GOMAXPROCS=%d", cfg.ServerProcs)
		if cfg.ServerCPUs != "" {
			fmt.Fprintf(stdout, ", pinned to CPU %s", cfg.ServerCPUs)
		}
		fmt.Fprint(stdout, ")")
	}
	fmt.Fprintf(stdout, "; load generator GOMAXPROCS=%d on CPU %s; %s per step, at most %d requests.\n\n",
		runtime.GOMAXPROCS(0), allowedCPUs(), cfg.Duration, cfg.MaxRequests)
	if d != nil {
		rss, hwm, _ := d.memory()
		fmt.Fprintf(stdout, "Start-up to SERVING: %s as logged (startup=), %s from exec. RSS after start-up: %.1f MiB (peak %.1f MiB).\n\n",
			d.startup, d.wall.Round(time.Millisecond), float64(rss)/1024, float64(hwm)/1024)
	}

	closedLoop(ctx, c, cfg.Concurrency, cfg.Warmup, cfg.MaxRequests)
	settle()
	peak := closedLoop(ctx, c, cfg.Concurrency, cfg.Duration, cfg.MaxRequests)
	if peak.requests == peak.errors {
		return fmt.Errorf("peak step: all %d requests failed", peak.requests)
	}
	fmt.Fprintln(stdout, "| load | offered req/s | achieved req/s | MB/s | p50 ms | p95 ms | p99 ms | max ms | requests | errors | sent late p99 ms |")
	fmt.Fprintln(stdout, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	peakName := fmt.Sprintf("peak (closed loop, %d callers)", cfg.Concurrency)
	row(stdout, peakName, peak, len(text))
	var failures []string
	if peak.firstErr != nil {
		failures = append(failures, fmt.Sprintf("%s: %d, the first: %v", peakName, peak.errors, peak.firstErr))
	}
	for _, pct := range cfg.Rates {
		settle()
		s := openLoop(ctx, c, peak.throughput()*pct/100, cfg.Duration, cfg.MaxRequests)
		name := fmt.Sprintf("%g%% of peak", pct)
		row(stdout, name, s, len(text))
		if err := writeLatencies(cfg.Latencies, pct, s); err != nil {
			return err
		}
		if s.firstErr != nil {
			failures = append(failures, fmt.Sprintf("%s: %d, the first: %v", name, s.errors, s.firstErr))
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	if len(failures) > 0 {
		fmt.Fprintf(stdout, "\nErrors:\n- %s\n", strings.Join(failures, "\n- "))
	}
	settle()
	st, err := streamLoad(ctx, c, cfg.Streams, cfg.Duration, cfg.MaxRequests)
	if err != nil {
		return fmt.Errorf("stream step: %w", err)
	}
	fmt.Fprintf(stdout, "\nClassifyStream, %d stream(s): %d documents in %s: %.0f docs/s, %.2f MB/s (%.0f%% of unary peak), %d errors.\n",
		cfg.Streams, st.requests, st.elapsed.Round(time.Millisecond), st.throughput(), st.throughput()*float64(len(text))/1e6,
		100*st.throughput()/peak.throughput(), st.errors)
	if d != nil {
		rss, hwm, _ := d.memory()
		fmt.Fprintf(stdout, "\nServer memory after the load: VmRSS %.1f MiB, VmHWM (peak) %.1f MiB.\n", float64(rss)/1024, float64(hwm)/1024)
	}
	return nil
}

// settle lets the calls that the end of the last step cancelled leave the
// server, so that they neither hold its slots nor add to the next step.
func settle() { time.Sleep(300 * time.Millisecond) }

func row(w io.Writer, name string, s step, size int) {
	slices.Sort(s.latencies)
	offered := "-"
	if s.offered > 0 {
		offered = fmt.Sprintf("%.0f", s.offered)
	}
	late := "-"
	if s.late != nil {
		slices.Sort(s.late)
		late = fmt.Sprintf("%.2f", ms(percentile(s.late, 99)))
	}
	tp := s.throughput()
	fmt.Fprintf(w, "| %s | %s | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %d | %d | %s |\n", name, offered, tp, tp*float64(size)/1e6,
		ms(percentile(s.latencies, 50)), ms(percentile(s.latencies, 95)), ms(percentile(s.latencies, 99)), ms(percentile(s.latencies, 100)),
		s.requests, s.errors, late)
}

// percentile returns the p-th percentile (nearest rank) of sorted.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// allowedCPUs returns the CPUs this process may run on, as Linux lists
// them ("0-1"), or "?" where that is not known.
func allowedCPUs() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "Cpus_allowed_list:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

// writeLatencies appends the requests of open-loop step s to the file
// named by path (nothing when path is empty): the step's percentage, each
// request's scheduled start in Unix nanoseconds, its latency in
// nanoseconds and whether it failed, one request a line.
func writeLatencies(path string, pct float64, s step) error {
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	interval := time.Duration(float64(time.Second) / s.offered) // as openLoop schedules
	for i, l := range s.all {
		at := s.start.Add(time.Duration(i) * interval)
		fmt.Fprintf(w, "%g\t%d\t%d\t%t\n", pct, at.UnixNano(), l.Nanoseconds(), l == 0)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
